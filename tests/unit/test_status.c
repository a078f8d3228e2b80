// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_status.c - unit tests for userspace/status.c
 *
 * The INFO status line is the kernel/userspace contract of
 * Documentation/interface.rst, section 2.1. A line mirrorctl misreads could
 * make `complete` switch a VM onto a destination that is not ready, so every
 * field is checked for its exact value, and every malformed line must be
 * refused -- except that fields appended after <yielding> are
 * allowed by the contract and must be ignored, and that a line ending
 * after <reason>, <dirty_regions> or <repaired_regions> is an older
 * target's (no metadata device, no verify pass, a copy that never yields).
 */
#include <errno.h>
#include <string.h>

#include "unit.h"
#include "status.h"

/* The verify fields of a line without them, or before any pass. */
#define NO_VERIFY	MIRROR_VERIFY_NONE, 0, 0, 0, 0, 0, false

static const struct valid_row {
	const char *what;
	const char *line;
	struct mirror_status want;
} valid_rows[] = {
	{ "fresh copy",
	  "copying 0/131072 0 0 0 0 0 -",
	  { MIRROR_COPYING, 0, 131072, 0, 0, 0, 0, 0, "-", false, 0, NO_VERIFY } },
	{ "paused, throttled, some zero regions",
	  "paused 65536/131072 12 0 0 3 10240 -",
	  { MIRROR_PAUSED, 65536, 131072, 12, 0, 0, 3, 10240, "-", false, 0, NO_VERIFY } },
	{ "ready",
	  "ready 131072/131072 100 0 0 0 0 -",
	  { MIRROR_READY, 131072, 131072, 100, 0, 0, 0, 0, "-", false, 0, NO_VERIFY } },
	{ "failed on destination write",
	  "failed 1024/131072 5 1 0 0 0 dest_write_error",
	  { MIRROR_FAILED, 1024, 131072, 5, 1, 0, 0, 0, "dest_write_error", false, 0, NO_VERIFY } },
	{ "failed on source read",
	  "failed 0/8 0 0 1 0 0 source_read_error",
	  { MIRROR_FAILED, 0, 8, 0, 0, 1, 0, 0, "source_read_error", false, 0, NO_VERIFY } },
	{ "every documented reason: dest_flush_error",
	  "failed 8/8 0 1 0 0 0 dest_flush_error",
	  { MIRROR_FAILED, 8, 8, 0, 1, 0, 0, 0, "dest_flush_error", false, 0, NO_VERIFY } },
	{ "every documented reason: dest_discard_error",
	  "failed 8/8 0 1 0 0 0 dest_discard_error",
	  { MIRROR_FAILED, 8, 8, 0, 1, 0, 0, 0, "dest_discard_error", false, 0, NO_VERIFY } },
	{ "every documented reason: copy_error",
	  "failed 0/8 0 0 0 0 0 copy_error",
	  { MIRROR_FAILED, 0, 8, 0, 0, 0, 0, 0, "copy_error", false, 0, NO_VERIFY } },
	{ "reason from a newer kernel is kept verbatim",
	  "failed 0/8 0 1 0 0 0 dest_gone_2",
	  { MIRROR_FAILED, 0, 8, 0, 1, 0, 0, 0, "dest_gone_2", false, 0, NO_VERIFY } },
	{ "longest reason (63 characters)",
	  "failed 0/8 0 0 0 0 0 "
	  "abcdefghijklmnopqrstuvwxyz_abcdefghijklmnopqrstuvwxyz_012345678",
	  { MIRROR_FAILED, 0, 8, 0, 0, 0, 0, 0,
	    "abcdefghijklmnopqrstuvwxyz_abcdefghijklmnopqrstuvwxyz_012345678", false, 0, NO_VERIFY } },
	{ "empty device",
	  "ready 0/0 0 0 0 0 0 -",
	  { MIRROR_READY, 0, 0, 0, 0, 0, 0, 0, "-", false, 0, NO_VERIFY } },
	{ "counters at 2^64-1",
	  "copying 0/8 18446744073709551615 18446744073709551615 "
	  "18446744073709551615 18446744073709551615 18446744073709551615 -",
	  { MIRROR_COPYING, 0, 8, UINT64_MAX, UINT64_MAX, UINT64_MAX,
	    UINT64_MAX, UINT64_MAX, "-", false, 0, NO_VERIFY } },
	{ "largest sector count whose bytes fit in 64 bits",
	  "copying 36028797018963967/36028797018963967 0 0 0 0 0 -",
	  { MIRROR_COPYING, UINT64_C(36028797018963967),
	    UINT64_C(36028797018963967), 0, 0, 0, 0, 0, "-", false, 0, NO_VERIFY } },
	{ "leading zeroes",
	  "copying 007/010 0 0 0 0 0 -",
	  { MIRROR_COPYING, 7, 10, 0, 0, 0, 0, 0, "-", false, 0, NO_VERIFY } },
	{ "no metadata device: dirty_regions is -",
	  "ready 8/8 1 2 3 4 5 - -",
	  { MIRROR_READY, 8, 8, 1, 2, 3, 4, 5, "-", false, 0, NO_VERIFY } },
	{ "a metadata device: dirty_regions is a count",
	  "ready 8/8 1 2 3 4 5 - 42",
	  { MIRROR_READY, 8, 8, 1, 2, 3, 4, 5, "-", true, 42, NO_VERIFY } },
	{ "a metadata device with nothing dirty",
	  "ready 8/8 1 2 3 4 5 - 0",
	  { MIRROR_READY, 8, 8, 1, 2, 3, 4, 5, "-", true, 0, NO_VERIFY } },
	{ "one appended field is ignored",
	  "ready 8/8 1 2 3 4 5 - - - 0/1 0 0 0 - 42",
	  { MIRROR_READY, 8, 8, 1, 2, 3, 4, 5, "-", false, 0,
	    MIRROR_VERIFY_NONE, 0, 1, 0, 0, 0, false } },
	{ "several appended fields of any shape are ignored",
	  "ready 8/8 1 2 3 4 5 - 3 done 1/1 0 0 64 n extra 42 key=value,x 9/9",
	  { MIRROR_READY, 8, 8, 1, 2, 3, 4, 5, "-", true, 3,
	    MIRROR_VERIFY_DONE, 1, 1, 0, 0, 64, false } },
	{ "appended fields after a real reason",
	  "failed 4/8 1 2 3 4 5 copy_error 7 error 0/1 0 0 0 - x",
	  { MIRROR_FAILED, 4, 8, 1, 2, 3, 4, 5, "copy_error", true, 7,
	    MIRROR_VERIFY_ERROR, 0, 1, 0, 0, 0, false } },
	/* the verify fields (target 0.6.0) */
	{ "no pass yet",
	  "ready 8/8 1 2 3 4 5 - - - 0/8 0 0",
	  { MIRROR_READY, 8, 8, 1, 2, 3, 4, 5, "-", false, 0,
	    MIRROR_VERIFY_NONE, 0, 8, 0, 0, 0, false } },
	{ "a pass verifying",
	  "copying 4/8 0 0 0 0 0 - - verifying 3/4 1 0",
	  { MIRROR_COPYING, 4, 8, 0, 0, 0, 0, 0, "-", false, 0,
	    MIRROR_VERIFY_VERIFYING, 3, 4, 1, 0, 0, false } },
	{ "a pass repairing",
	  "ready 8/8 0 0 0 0 0 - 2 repairing 5/8 2 1",
	  { MIRROR_READY, 8, 8, 0, 0, 0, 0, 0, "-", true, 2,
	    MIRROR_VERIFY_REPAIRING, 5, 8, 2, 1, 0, false } },
	{ "a pass done",
	  "ready 8/8 0 0 0 0 0 - - done 8/8 3 3",
	  { MIRROR_READY, 8, 8, 0, 0, 0, 0, 0, "-", false, 0,
	    MIRROR_VERIFY_DONE, 8, 8, 3, 3, 0, false } },
	{ "a pass stopped",
	  "paused 4/8 0 0 0 0 0 - - stopped 2/4 0 0",
	  { MIRROR_PAUSED, 4, 8, 0, 0, 0, 0, 0, "-", false, 0,
	    MIRROR_VERIFY_STOPPED, 2, 4, 0, 0, 0, false } },
	{ "a pass ended in error, the mirror failed",
	  "failed 8/8 0 1 0 0 0 dest_read_error - error 6/8 0 0",
	  { MIRROR_FAILED, 8, 8, 0, 1, 0, 0, 0, "dest_read_error", false, 0,
	    MIRROR_VERIFY_ERROR, 6, 8, 0, 0, 0, false } },
	{ "verify counts at 2^64-1",
	  "ready 8/8 0 0 0 0 0 - - done 18446744073709551615/"
	  "18446744073709551615 18446744073709551615 18446744073709551615",
	  { MIRROR_READY, 8, 8, 0, 0, 0, 0, 0, "-", false, 0,
	    MIRROR_VERIFY_DONE, UINT64_MAX, UINT64_MAX, UINT64_MAX,
	    UINT64_MAX, 0, false } },
	{ "verified above copied is not checked",
	  "ready 8/8 0 0 0 0 0 - - done 9/8 0 0",
	  { MIRROR_READY, 8, 8, 0, 0, 0, 0, 0, "-", false, 0,
	    MIRROR_VERIFY_DONE, 9, 8, 0, 0, 0, false } },
	/* the yield fields (target 0.7.0) */
	{ "a copy that never yields",
	  "copying 4/8 0 0 0 0 0 - - - 0/4 0 0 0 -",
	  { MIRROR_COPYING, 4, 8, 0, 0, 0, 0, 0, "-", false, 0,
	    MIRROR_VERIFY_NONE, 0, 4, 0, 0, 0, false } },
	{ "a copy yielding to the guest now",
	  "copying 4/8 9 0 0 0 0 - - - 0/4 0 0 10240 y",
	  { MIRROR_COPYING, 4, 8, 9, 0, 0, 0, 0, "-", false, 0,
	    MIRROR_VERIFY_NONE, 0, 4, 0, 0, 10240, true } },
	{ "a copy that would yield, the guest quiet",
	  "ready 8/8 9 0 0 0 1000 - 0 - 0/8 0 0 4294967295 n",
	  { MIRROR_READY, 8, 8, 9, 0, 0, 0, 1000, "-", true, 0,
	    MIRROR_VERIFY_NONE, 0, 8, 0, 0, UINT32_MAX, false } },
	{ "a 0.6.0 line: no yield fields",
	  "ready 8/8 1 2 3 4 5 - - done 8/8 0 0",
	  { MIRROR_READY, 8, 8, 1, 2, 3, 4, 5, "-", false, 0,
	    MIRROR_VERIFY_DONE, 8, 8, 0, 0, 0, false } },
	{ "a 0.5.0 line: no verify fields",
	  "ready 8/8 1 2 3 4 5 - 6",
	  { MIRROR_READY, 8, 8, 1, 2, 3, 4, 5, "-", true, 6,
	    MIRROR_VERIFY_NONE, 0, 0, 0, 0, 0, false } },
	{ "runs of spaces between fields",
	  "copying  0/8   1 2 3 4 5    -",
	  { MIRROR_COPYING, 0, 8, 1, 2, 3, 4, 5, "-", false, 0, NO_VERIFY } },
	{ "leading and trailing spaces",
	  "  paused 0/8 1 2 3 4 5 -  ",
	  { MIRROR_PAUSED, 0, 8, 1, 2, 3, 4, 5, "-", false, 0, NO_VERIFY } },
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
	assert_int_equal(st.verify, row->want.verify);
	assert_int_equal(st.verified_regions, row->want.verified_regions);
	assert_int_equal(st.copied_regions, row->want.copied_regions);
	assert_int_equal(st.mismatched_regions, row->want.mismatched_regions);
	assert_int_equal(st.repaired_regions, row->want.repaired_regions);
	assert_int_equal(st.min_copy_kbps, row->want.min_copy_kbps);
	assert_int_equal(st.yielding, row->want.yielding);
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
	/* the yield fields: both or none, "-" exactly without a rate */
	{ "ends after min_copy_kbps",	"ready 8/8 0 0 0 0 0 - - - 0/8 0 0 64" },
	{ "yielding without a rate",	"ready 8/8 0 0 0 0 0 - - - 0/8 0 0 0 y" },
	{ "not yielding without a rate", "ready 8/8 0 0 0 0 0 - - - 0/8 0 0 0 n" },
	{ "a rate but no yield state",	"ready 8/8 0 0 0 0 0 - - - 0/8 0 0 64 -" },
	{ "yield state in capitals",	"ready 8/8 0 0 0 0 0 - - - 0/8 0 0 64 Y" },
	{ "yield state a word",		"ready 8/8 0 0 0 0 0 - - - 0/8 0 0 64 yes" },
	{ "min_copy_kbps above 32 bits",
	  "ready 8/8 0 0 0 0 0 - - - 0/8 0 0 4294967296 n" },
	{ "min_copy_kbps not a number",	"ready 8/8 0 0 0 0 0 - - - 0/8 0 0 1k n" },
	/* the verify fields: all four or none */
	{ "ends after verify_state",	"ready 8/8 0 0 0 0 0 - - done" },
	{ "ends after verified/copied",	"ready 8/8 0 0 0 0 0 - - done 8/8" },
	{ "ends after mismatched",	"ready 8/8 0 0 0 0 0 - - done 8/8 0" },
	{ "unknown verify state",	"ready 8/8 0 0 0 0 0 - - running 0/8 0 0" },
	{ "verify state in capitals",	"ready 8/8 0 0 0 0 0 - - Done 8/8 0 0" },
	{ "verify state with suffix",	"ready 8/8 0 0 0 0 0 - - done_ 8/8 0 0" },
	{ "double dash verify state",	"ready 8/8 0 0 0 0 0 - - -- 0/8 0 0" },
	{ "number as verify state",	"ready 8/8 0 0 0 0 0 - - 0 0/8 0 0" },
	{ "a phase as verify state",	"ready 8/8 0 0 0 0 0 - - ready 8/8 0 0" },
	{ "verified without slash",	"ready 8/8 0 0 0 0 0 - - done 8 0 0" },
	{ "verified without copied",	"ready 8/8 0 0 0 0 0 - - done 8/ 0 0" },
	{ "copied without verified",	"ready 8/8 0 0 0 0 0 - - done /8 0 0" },
	{ "verified negative",		"ready 8/8 0 0 0 0 0 - - done -1/8 0 0" },
	{ "verified in hex",		"ready 8/8 0 0 0 0 0 - - done 0x8/8 0 0" },
	{ "verified/copied/more",	"ready 8/8 0 0 0 0 0 - - done 1/8/8 0 0" },
	{ "verified above 2^64",
	  "ready 8/8 0 0 0 0 0 - - done 18446744073709551616/8 0 0" },
	{ "mismatched not a number",	"ready 8/8 0 0 0 0 0 - - done 8/8 x 0" },
	{ "mismatched a dash",		"ready 8/8 0 0 0 0 0 - - done 8/8 - 0" },
	{ "mismatched negative",	"ready 8/8 0 0 0 0 0 - - done 8/8 -1 0" },
	{ "repaired not a number",	"ready 8/8 0 0 0 0 0 - - done 8/8 0 1k" },
	{ "repaired above 2^64",
	  "ready 8/8 0 0 0 0 0 - - done 8/8 0 18446744073709551616" },
	{ "junk where verify_state is",	"ready 8/8 0 0 0 0 0 - - 42 new_field" },
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

/*
 * A line may end after <reason> or <dirty_regions> (older targets) or after
 * the last verify field, never inside the verify fields.
 */
static void status_test_verify_truncation(void **state)
{
	static const char line[] =
		"ready 8/8 0 0 0 0 0 - 5 repairing 5/8 2 1";
	static const bool parses[] = {	/* cut after field N */
		[8] = true, [9] = true, [10] = false, [11] = false,
		[12] = false, [13] = true,
	};
	struct mirror_status st;
	char buf[sizeof(line)];
	unsigned int field = 0;
	size_t len;

	(void)state;
	for (len = 1; len <= sizeof(line) - 1; len++) {
		if (line[len] != ' ' && line[len] != '\0')
			continue;
		field++;
		if (field < 8)
			continue;
		memcpy(buf, line, len);
		buf[len] = '\0';
		if ((status_parse(buf, &st) == 0) != parses[field])
			fail_msg("\"%s\" (%u fields): %s", buf, field,
				 parses[field] ? "refused" : "accepted");
	}
	assert_int_equal(field, 13);
	assert_int_equal(st.verify, MIRROR_VERIFY_REPAIRING);
}

static const struct verify_row {
	int verify;
	const char *name;
	bool running;
} verify_rows[] = {
	{ MIRROR_VERIFY_NONE,		"-",		false },
	{ MIRROR_VERIFY_VERIFYING,	"verifying",	true },
	{ MIRROR_VERIFY_REPAIRING,	"repairing",	true },
	{ MIRROR_VERIFY_DONE,		"done",		false },
	{ MIRROR_VERIFY_STOPPED,	"stopped",	false },
	{ MIRROR_VERIFY_ERROR,		"error",	false },
	{ MIRROR_VERIFY_ERROR + 1,	"unknown",	false },
	{ -1,				"unknown",	false },
};

/* Every verify state's name, and that it parses back to the state. */
static void status_test_verify_name(void **state)
{
	const struct verify_row *row = *state;
	struct mirror_status st;
	char line[128];

	assert_string_equal(status_verify_name(row->verify), row->name);
	assert_int_equal(status_verify_running(row->verify), row->running);
	if (!strcmp(row->name, "unknown"))
		return;
	snprintf(line, sizeof(line), "ready 8/8 0 0 0 0 0 - - %s 0/1 0 0",
		 row->name);
	assert_int_equal(status_parse(line, &st), 0);
	assert_int_equal(st.verify, row->verify);
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
	unit_add(&suite, status_test_verify_truncation, NULL,
		 "status_test_verify_truncation");
	for (i = 0; i < ARRAY_SIZE(verify_rows); i++)
		unit_add(&suite, status_test_verify_name,
			 (void *)&verify_rows[i], "verify name %d -> %s",
			 verify_rows[i].verify, verify_rows[i].name);

	return unit_run(&suite, "status");
}
