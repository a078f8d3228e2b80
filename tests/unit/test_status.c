// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_status.c - unit tests for userspace/status.c
 *
 * The INFO status line is the kernel/userspace contract of
 * Documentation/interface.rst, section 2.1. A line mirrorctl misreads could
 * make `complete` switch a VM onto a destination that is not ready, so every
 * field is checked for its exact value, and every malformed line must be
 * refused -- except that fields appended after <dirty_regions> are allowed
 * by the contract and must be ignored, and that a line ending after
 * <reason> is an older target's (no metadata device).
 */
#include <errno.h>
#include <string.h>

#include "unit.h"
#include "status.h"

static const struct valid_row {
	const char *what;
	const char *line;
	struct mirror_status want;
} valid_rows[] = {
	{ "fresh copy",
	  "copying 0/131072 0 0 0 0 0 -",
	  { MIRROR_COPYING, 0, 131072, 0, 0, 0, 0, 0, "-", false, 0 } },
	{ "paused, throttled, some zero regions",
	  "paused 65536/131072 12 0 0 3 10240 -",
	  { MIRROR_PAUSED, 65536, 131072, 12, 0, 0, 3, 10240, "-", false, 0 } },
	{ "ready",
	  "ready 131072/131072 100 0 0 0 0 -",
	  { MIRROR_READY, 131072, 131072, 100, 0, 0, 0, 0, "-", false, 0 } },
	{ "failed on destination write",
	  "failed 1024/131072 5 1 0 0 0 dest_write_error",
	  { MIRROR_FAILED, 1024, 131072, 5, 1, 0, 0, 0, "dest_write_error", false, 0 } },
	{ "failed on source read",
	  "failed 0/8 0 0 1 0 0 source_read_error",
	  { MIRROR_FAILED, 0, 8, 0, 0, 1, 0, 0, "source_read_error", false, 0 } },
	{ "every documented reason: dest_flush_error",
	  "failed 8/8 0 1 0 0 0 dest_flush_error",
	  { MIRROR_FAILED, 8, 8, 0, 1, 0, 0, 0, "dest_flush_error", false, 0 } },
	{ "every documented reason: dest_discard_error",
	  "failed 8/8 0 1 0 0 0 dest_discard_error",
	  { MIRROR_FAILED, 8, 8, 0, 1, 0, 0, 0, "dest_discard_error", false, 0 } },
	{ "every documented reason: copy_error",
	  "failed 0/8 0 0 0 0 0 copy_error",
	  { MIRROR_FAILED, 0, 8, 0, 0, 0, 0, 0, "copy_error", false, 0 } },
	{ "reason from a newer kernel is kept verbatim",
	  "failed 0/8 0 1 0 0 0 dest_gone_2",
	  { MIRROR_FAILED, 0, 8, 0, 1, 0, 0, 0, "dest_gone_2", false, 0 } },
	{ "longest reason (63 characters)",
	  "failed 0/8 0 0 0 0 0 "
	  "abcdefghijklmnopqrstuvwxyz_abcdefghijklmnopqrstuvwxyz_012345678",
	  { MIRROR_FAILED, 0, 8, 0, 0, 0, 0, 0,
	    "abcdefghijklmnopqrstuvwxyz_abcdefghijklmnopqrstuvwxyz_012345678", false, 0 } },
	{ "empty device",
	  "ready 0/0 0 0 0 0 0 -",
	  { MIRROR_READY, 0, 0, 0, 0, 0, 0, 0, "-", false, 0 } },
	{ "counters at 2^64-1",
	  "copying 0/8 18446744073709551615 18446744073709551615 "
	  "18446744073709551615 18446744073709551615 18446744073709551615 -",
	  { MIRROR_COPYING, 0, 8, UINT64_MAX, UINT64_MAX, UINT64_MAX,
	    UINT64_MAX, UINT64_MAX, "-", false, 0 } },
	{ "largest sector count whose bytes fit in 64 bits",
	  "copying 36028797018963967/36028797018963967 0 0 0 0 0 -",
	  { MIRROR_COPYING, UINT64_C(36028797018963967),
	    UINT64_C(36028797018963967), 0, 0, 0, 0, 0, "-", false, 0 } },
	{ "leading zeroes",
	  "copying 007/010 0 0 0 0 0 -",
	  { MIRROR_COPYING, 7, 10, 0, 0, 0, 0, 0, "-", false, 0 } },
	{ "no metadata device: dirty_regions is -",
	  "ready 8/8 1 2 3 4 5 - -",
	  { MIRROR_READY, 8, 8, 1, 2, 3, 4, 5, "-", false, 0 } },
	{ "a metadata device: dirty_regions is a count",
	  "ready 8/8 1 2 3 4 5 - 42",
	  { MIRROR_READY, 8, 8, 1, 2, 3, 4, 5, "-", true, 42 } },
	{ "a metadata device with nothing dirty",
	  "ready 8/8 1 2 3 4 5 - 0",
	  { MIRROR_READY, 8, 8, 1, 2, 3, 4, 5, "-", true, 0 } },
	{ "one appended field is ignored",
	  "ready 8/8 1 2 3 4 5 - - 42",
	  { MIRROR_READY, 8, 8, 1, 2, 3, 4, 5, "-", false, 0 } },
	{ "several appended fields of any shape are ignored",
	  "ready 8/8 1 2 3 4 5 - 3 extra 42 key=value,x 9/9",
	  { MIRROR_READY, 8, 8, 1, 2, 3, 4, 5, "-", true, 3 } },
	{ "appended fields after a real reason",
	  "failed 4/8 1 2 3 4 5 copy_error 7 x",
	  { MIRROR_FAILED, 4, 8, 1, 2, 3, 4, 5, "copy_error", true, 7 } },
	{ "runs of spaces between fields",
	  "copying  0/8   1 2 3 4 5    -",
	  { MIRROR_COPYING, 0, 8, 1, 2, 3, 4, 5, "-", false, 0 } },
	{ "leading and trailing spaces",
	  "  paused 0/8 1 2 3 4 5 -  ",
	  { MIRROR_PAUSED, 0, 8, 1, 2, 3, 4, 5, "-", false, 0 } },
};

static void status_test_valid(void **state)
{
	const struct valid_row *row = *state;
	struct mirror_status st;

	memset(&st, 0xa5, sizeof(st));
	assert_int_equal(status_parse(row->line, &st), 0);
	assert_int_equal(st.phase, row->want.phase);
	assert_int_equal(st.copied_sectors, row->want.copied_sectors);
	assert_int_equal(st.total_sectors, row->want.total_sectors);
	assert_int_equal(st.mirrored_writes, row->want.mirrored_writes);
	assert_int_equal(st.dest_errors, row->want.dest_errors);
	assert_int_equal(st.source_errors, row->want.source_errors);
	assert_int_equal(st.zero_regions, row->want.zero_regions);
	assert_int_equal(st.max_copy_kbps, row->want.max_copy_kbps);
	assert_string_equal(st.reason, row->want.reason);
	assert_int_equal(st.persistent, row->want.persistent);
	assert_int_equal(st.dirty_regions, row->want.dirty_regions);
}

static const struct invalid_row {
	const char *what;
	const char *line;
} invalid_rows[] = {
	/* missing fields */
	{ "empty line",			"" },
	{ "only spaces",		"   " },
	{ "phase only",			"copying" },
	{ "no counters",		"copying 0/8" },
	{ "no dest_errors",		"copying 0/8 0" },
	{ "no source_errors",		"copying 0/8 0 0" },
	{ "no zero_regions",		"copying 0/8 0 0 0" },
	{ "no max_copy_kbps",		"copying 0/8 0 0 0 0" },
	{ "no reason",			"copying 0/8 0 0 0 0 0" },
	{ "no reason, trailing space",	"copying 0/8 0 0 0 0 0 " },
	/* phase */
	{ "unknown phase",		"syncing 0/8 0 0 0 0 0 -" },
	{ "phase in capitals",		"Copying 0/8 0 0 0 0 0 -" },
	{ "phase with suffix",		"copyingx 0/8 0 0 0 0 0 -" },
	{ "phase prefix",		"copy 0/8 0 0 0 0 0 -" },
	{ "number as phase",		"0 0/8 0 0 0 0 0 -" },
	{ "progress first",		"0/8 copying 0 0 0 0 0 -" },
	{ "dm-raid1 status",		"2 253:1 253:2 1/1 1 AA 1 core" },
	/* progress */
	{ "copied > total",		"copying 9/8 0 0 0 0 0 -" },
	{ "copied > total in ready",	"ready 9/8 0 0 0 0 0 -" },
	{ "no slash",			"copying 8 0 0 0 0 0 -" },
	{ "no copied",			"copying /8 0 0 0 0 0 -" },
	{ "no total",			"copying 0/ 0 0 0 0 0 -" },
	{ "slash only",			"copying / 0 0 0 0 0 -" },
	{ "two slashes",		"copying 0/8/9 0 0 0 0 0 -" },
	{ "dash instead of slash",	"copying 0-8 0 0 0 0 0 -" },
	{ "space in progress",		"copying 0 /8 0 0 0 0 0 -" },
	{ "negative copied",		"copying -1/8 0 0 0 0 0 -" },
	{ "plus sign",			"copying +1/8 0 0 0 0 0 -" },
	{ "hex copied",			"copying 0x1/8 0 0 0 0 0 -" },
	{ "percent instead",		"copying 50% 0 0 0 0 0 -" },
	{ "total above 2^64",
	  "copying 0/18446744073709551616 0 0 0 0 0 -" },
	{ "total in bytes overflows",
	  "copying 0/36028797018963968 0 0 0 0 0 -" },
	/* counters */
	{ "letter in mirrored_writes",	"copying 0/8 1a 0 0 0 0 -" },
	{ "negative dest_errors",	"copying 0/8 0 -1 0 0 0 -" },
	{ "decimal source_errors",	"copying 0/8 0 0 1.0 0 0 -" },
	{ "hex zero_regions",		"copying 0/8 0 0 0 0x0 0 -" },
	{ "suffix on max_copy_kbps",	"copying 0/8 0 0 0 0 100K -" },
	{ "counter above 2^64",
	  "copying 0/8 18446744073709551616 0 0 0 0 -" },
	{ "reason where a counter is",	"copying 0/8 0 0 0 0 - -" },
	/* dirty_regions */
	{ "dirty_regions not a number",	"ready 8/8 0 0 0 0 0 - x" },
	{ "dirty_regions negative",	"ready 8/8 0 0 0 0 0 - -1" },
	{ "dirty_regions beyond 64 bits",
	  "ready 8/8 0 0 0 0 0 - 18446744073709551616" },
	/* reason */
	{ "reason in capitals",		"failed 0/8 0 1 0 0 0 Dest_write_error" },
	{ "reason with dash",		"failed 0/8 0 1 0 0 0 dest-write-error" },
	{ "double dash",		"failed 0/8 0 1 0 0 0 --" },
	{ "reason with colon",		"failed 0/8 0 1 0 0 0 dest:write" },
	{ "reason too long (64 characters)",
	  "failed 0/8 0 0 0 0 0 "
	  "abcdefghijklmnopqrstuvwxyz_abcdefghijklmnopqrstuvwxyz_0123456789" },
	/* separators other than spaces are garbage */
	{ "tabs",			"copying\t0/8\t0\t0\t0\t0\t0\t-" },
	{ "trailing newline",		"copying 0/8 0 0 0 0 0 -\n" },
	{ "comma separated",		"copying,0/8,0,0,0,0,0,-" },
	{ "binary junk",		"copying 0/8 0 0 0 0 0 \x01" },
};

static void status_test_invalid(void **state)
{
	const struct invalid_row *row = *state;
	struct mirror_status st;

	assert_int_equal(status_parse(row->line, &st), -EINVAL);
}

static void status_test_null(void **state)
{
	struct mirror_status st;

	(void)state;
	assert_int_equal(status_parse(NULL, &st), -EINVAL);
}

/* Truncating a valid line anywhere before <reason> must be refused. */
static void status_test_every_truncation(void **state)
{
	static const char line[] = "failed 1024/131072 5 1 2 3 4 copy_error";
	const size_t reason_at = strlen(line) - strlen("copy_error");
	struct mirror_status st;
	char buf[sizeof(line)];
	size_t len;

	(void)state;
	for (len = 0; len < reason_at; len++) {
		memcpy(buf, line, len);
		buf[len] = '\0';
		if (status_parse(buf, &st) != -EINVAL)
			fail_msg("accepted truncated line \"%s\"", buf);
	}
	assert_int_equal(status_parse(line, &st), 0);
}

static const struct phase_row {
	int phase;
	const char *name;
} phase_rows[] = {
	{ MIRROR_COPYING,	"copying" },
	{ MIRROR_PAUSED,	"paused" },
	{ MIRROR_READY,		"ready" },
	{ MIRROR_FAILED,	"failed" },
	{ MIRROR_FAILED + 1,	"unknown" },
	{ -1,			"unknown" },
	{ 1000,			"unknown" },
};

static void status_test_phase_name(void **state)
{
	const struct phase_row *row = *state;

	assert_string_equal(status_phase_name(row->phase), row->name);
}

/* Every name status_phase_name() gives must parse back to its phase. */
static void status_test_phase_round_trip(void **state)
{
	struct mirror_status st;
	char line[128];
	int phase;

	(void)state;
	for (phase = MIRROR_COPYING; phase <= MIRROR_FAILED; phase++) {
		snprintf(line, sizeof(line), "%s 8/8 0 0 0 0 0 -",
			 status_phase_name(phase));
		assert_int_equal(status_parse(line, &st), 0);
		assert_int_equal(st.phase, phase);
	}
}

int main(void)
{
	struct unit_suite suite = { 0 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(valid_rows); i++)
		unit_add(&suite, status_test_valid, (void *)&valid_rows[i],
			 "accept %s: \"%s\"", valid_rows[i].what,
			 unit_esc(valid_rows[i].line));
	for (i = 0; i < ARRAY_SIZE(invalid_rows); i++)
		unit_add(&suite, status_test_invalid, (void *)&invalid_rows[i],
			 "reject %s: \"%s\"", invalid_rows[i].what,
			 unit_esc(invalid_rows[i].line));
	unit_add(&suite, status_test_null, NULL, "status_test_null");
	unit_add(&suite, status_test_every_truncation, NULL,
		 "status_test_every_truncation");
	for (i = 0; i < ARRAY_SIZE(phase_rows); i++)
		unit_add(&suite, status_test_phase_name, (void *)&phase_rows[i],
			 "phase name %d -> %s", phase_rows[i].phase,
			 phase_rows[i].name);
	unit_add(&suite, status_test_phase_round_trip, NULL,
		 "status_test_phase_round_trip");

	return unit_run(&suite, "status");
}
