// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_status.c - status_parse() on any line
 *
 * The input is one status line, as libdevmapper would return it.  Besides
 * not crashing, a line that parses must hold the values status.h promises
 * (known phase, copied <= total, byte counts that fit, a reason token), its
 * canonical form (every field of section 2.1) must parse to the same
 * values, and fields appended after the last one must change nothing
 * (Documentation/interface.rst, section 2.1).
 */
#include <inttypes.h>

#include "fuzz.h"
#include "status.h"

static int status_cmp(const struct mirror_status *a,
		      const struct mirror_status *b)
{
	return a->phase != b->phase ||
	       a->copied_sectors != b->copied_sectors ||
	       a->total_sectors != b->total_sectors ||
	       a->mirrored_writes != b->mirrored_writes ||
	       a->dest_errors != b->dest_errors ||
	       a->source_errors != b->source_errors ||
	       a->zero_regions != b->zero_regions ||
	       a->max_copy_kbps != b->max_copy_kbps ||
	       strcmp(a->reason, b->reason) ||
	       a->persistent != b->persistent ||
	       a->dirty_regions != b->dirty_regions ||
	       a->verify != b->verify ||
	       a->verified_regions != b->verified_regions ||
	       a->copied_regions != b->copied_regions ||
	       a->mismatched_regions != b->mismatched_regions ||
	       a->repaired_regions != b->repaired_regions ||
	       a->min_copy_kbps != b->min_copy_kbps ||
	       a->yielding != b->yielding;
}

static void check_values(const char *line, const struct mirror_status *st)
{
	size_t i, len = strnlen(st->reason, MIRROR_REASON_MAX);

	FUZZ_CHECK((unsigned int)st->phase <= MIRROR_FAILED, "'%s'", line);
	FUZZ_CHECK(strcmp(status_phase_name(st->phase), "unknown"), "'%s'",
		   line);
	FUZZ_CHECK(st->copied_sectors <= st->total_sectors, "'%s'", line);
	FUZZ_CHECK(st->total_sectors <= UINT64_MAX >> 9, "'%s'", line);
	FUZZ_CHECK(len > 0 && len < MIRROR_REASON_MAX, "'%s'", line);
	FUZZ_CHECK(strcmp(status_verify_name(st->verify), "unknown"), "'%s'",
		   line);
	if (strcmp(st->reason, "-"))
		for (i = 0; i < len; i++)
			FUZZ_CHECK(strchr("abcdefghijklmnopqrstuvwxyz0123456789_",
					  st->reason[i]),
				   "reason '%s' of '%s'", st->reason, line);
}

/* @st as the kernel prints it, every field of section 2.1, into @buf. */
static void canonical(const struct mirror_status *st, char *buf, size_t len)
{
	char dirty[24] = "-";

	if (st->persistent)
		snprintf(dirty, sizeof(dirty), "%" PRIu64, st->dirty_regions);
	snprintf(buf, len,
		 "%s %" PRIu64 "/%" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64
		 " %" PRIu64 " %" PRIu64 " %s %s %s %" PRIu64 "/%" PRIu64
		 " %" PRIu64 " %" PRIu64 " %" PRIu64 " %s",
		 status_phase_name(st->phase), st->copied_sectors,
		 st->total_sectors, st->mirrored_writes, st->dest_errors,
		 st->source_errors, st->zero_regions, st->max_copy_kbps,
		 st->reason, dirty, status_verify_name(st->verify),
		 st->verified_regions, st->copied_regions,
		 st->mismatched_regions, st->repaired_regions,
		 st->min_copy_kbps,
		 !st->min_copy_kbps ? "-" : st->yielding ? "y" : "n");
}

/* The line as the kernel prints it must read back the same. */
static void check_canonical(const char *line, const struct mirror_status *st)
{
	struct mirror_status again;
	char buf[512];

	canonical(st, buf, sizeof(buf));
	FUZZ_CHECK(!status_parse(buf, &again) && !status_cmp(st, &again),
		   "'%s' printed as '%s' reads back differently", line, buf);
}

/*
 * Fields may only ever be appended; an old parser must ignore those after
 * the last it knows (the line may end early only where an older target's
 * did: the full line is the one to append to).
 */
static void check_appended(const char *line, const struct mirror_status *st)
{
	struct mirror_status again;
	char longer[560];

	canonical(st, longer, sizeof(longer) - 16);
	strcat(longer, " 42 new_field");
	FUZZ_CHECK(!status_parse(longer, &again) && !status_cmp(st, &again),
		   "'%s' changes meaning with a field appended", line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = fuzz_cstr(data, size);
	struct mirror_status st;

	if (!status_parse(line, &st)) {
		check_values(line, &st);
		check_canonical(line, &st);
		check_appended(line, &st);
	}
	if (size)
		FUZZ_CHECK(status_phase_name((enum mirror_phase)data[0]) != NULL,
			   "phase %u", data[0]);
	FUZZ_CHECK(status_parse(NULL, &st) == -EINVAL, "NULL line");
	free(line);
	return 0;
}
