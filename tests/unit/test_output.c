// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_output.c - unit tests for userspace/output.c and the segment lines
 * of userspace/report_human.c
 *
 * The status report is read by operators and, inevitably, by scripts that
 * grep it: its layout is pinned here line by line.
 */
#include <errno.h>
#include <string.h>

#include "unit.h"
#include "output.h"
#include "report_human.h"

/* Collect what a function prints into a string. */
struct capture {
	FILE *f;
	char *buf;
	size_t len;
};

static FILE *capture_start(struct capture *c)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	assert_non_null(c->f);
	return c->f;
}

static const char *capture_end(struct capture *c)
{
	assert_int_equal(fclose(c->f), 0);
	return c->buf;
}

static const struct field_row {
	const char *label;
	const char *value;
	const char *out;
} field_rows[] = {
	{ "device",		"vg-disk",	"device:          vg-disk\n" },
	{ "mirrored writes",	"0",		"mirrored writes: 0\n" },
	{ "x",			"",		"x:               \n" },
	{ "a label far too long", "v",		"a label far too long: v\n" },
	{ "sixteen chars xx",	"v",		"sixteen chars xx: v\n" },
};

static void output_test_field(void **state)
{
	const struct field_row *row = *state;
	struct capture c;

	output_field(capture_start(&c), row->label, "%s", row->value);
	assert_string_equal(capture_end(&c), row->out);
	free(c.buf);
}

static const struct percent_row {
	uint64_t done;
	uint64_t total;
	const char *out;
} percent_rows[] = {
	{ 0,			8,		"0.0%" },
	{ 1,			3,		"33.3%" },
	{ 2,			3,		"66.6%" },	/* rounds down */
	{ 4,			8,		"50.0%" },
	{ 7,			8,		"87.5%" },
	{ 999,			1000,		"99.9%" },
	{ 9999,			10000,		"99.9%" },	/* never 100.0% early */
	{ 8,			8,		"100.0%" },
	{ 0,			0,		"100.0%" },
	{ 9,			8,		"100.0%" },
	{ 1,			UINT64_MAX,	"0.0%" },
	{ UINT64_MAX - 1,	UINT64_MAX,	"99.9%" },
	{ UINT64_MAX / 2,	UINT64_MAX,	"49.9%" },
	{ UINT64_MAX,		UINT64_MAX,	"100.0%" },
};

static void output_test_percent(void **state)
{
	const struct percent_row *row = *state;
	char buf[OUTPUT_PERCENT_MAX];

	assert_int_equal(output_percent(row->done, row->total, buf,
					sizeof(buf)), 0);
	assert_string_equal(buf, row->out);
}

static void output_test_percent_short_buffer(void **state)
{
	char buf[6];

	(void)state;
	assert_int_equal(output_percent(8, 8, buf, sizeof(buf)), -ENOSPC);
	assert_string_equal(buf, "100.0");
	assert_int_equal(output_percent(4, 8, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "50.0%");
}

/* The verify fields of a segment before any pass. */
#define NO_VERIFY	MIRROR_VERIFY_NONE, 0, 0, 0, 0, 0, false

static const struct report_row {
	const char *what;
	struct mirror_status st;
	const char *out;
} report_rows[] = {
	{ "fresh 64 MiB copy",
	  { MIRROR_COPYING, 0, 131072, 0, 0, 0, 0, 0, "-",
	    false, 0, NO_VERIFY },
	  "phase:           copying\n"
	  "copied:          0 B / 64.0 MiB (0.0%)\n"
	  "mirrored writes: 0\n"
	  "dest errors:     0\n"
	  "source errors:   0\n"
	  "zero regions:    0\n"
	  "max copy rate:   unlimited\n"
	  "reason:          -\n" },
	{ "paused half way, throttled",
	  { MIRROR_PAUSED, 65536, 131072, 12, 0, 0, 3, 10240, "-",
	    false, 0, NO_VERIFY },
	  "phase:           paused\n"
	  "copied:          32.0 MiB / 64.0 MiB (50.0%)\n"
	  "mirrored writes: 12\n"
	  "dest errors:     0\n"
	  "source errors:   0\n"
	  "zero regions:    3\n"
	  "max copy rate:   10.0 MiB/s\n"
	  "reason:          -\n" },
	{ "ready",
	  { MIRROR_READY, 2097152, 2097152, 7, 0, 0, 0, 0, "-",
	    false, 0, NO_VERIFY },
	  "phase:           ready\n"
	  "copied:          1.0 GiB / 1.0 GiB (100.0%)\n"
	  "mirrored writes: 7\n"
	  "dest errors:     0\n"
	  "source errors:   0\n"
	  "zero regions:    0\n"
	  "max copy rate:   unlimited\n"
	  "reason:          -\n" },
	{ "failed on the destination",
	  { MIRROR_FAILED, 1, 3, 5, 1, 0, 0, 1, "dest_write_error",
	    false, 0, NO_VERIFY },
	  "phase:           failed\n"
	  "copied:          512 B / 1.5 KiB (33.3%)\n"
	  "mirrored writes: 5\n"
	  "dest errors:     1\n"
	  "source errors:   0\n"
	  "zero regions:    0\n"
	  "max copy rate:   1.0 KiB/s\n"
	  "reason:          dest_write_error\n" },
	{ "ready, a repairing pass under way",
	  { MIRROR_READY, 8, 8, 0, 0, 0, 0, 0, "-", false, 0,
	    MIRROR_VERIFY_REPAIRING, 3, 8, 2, 1, 0, false },
	  "phase:           ready\n"
	  "copied:          4.0 KiB / 4.0 KiB (100.0%)\n"
	  "mirrored writes: 0\n"
	  "dest errors:     0\n"
	  "source errors:   0\n"
	  "zero regions:    0\n"
	  "max copy rate:   unlimited\n"
	  "reason:          -\n"
	  "verify:          repairing, 3 / 8 regions verified, 2 mismatched, "
	  "1 repaired\n" },
};

static void output_test_mirror_status(void **state)
{
	const struct report_row *row = *state;
	struct capture c;

	report_human_mirror_status(capture_start(&c), &row->st);
	assert_string_equal(capture_end(&c), row->out);
	free(c.buf);
}

static void output_test_segment(void **state)
{
	struct capture c;

	(void)state;
	report_human_segment_header(capture_start(&c), 131072, 65536, "linear");
	assert_string_equal(capture_end(&c),
			    "\n"
			    "segment:         start 131072, "
			    "length 65536 sectors (32.0 MiB)\n"
			    "target:          linear\n");
	free(c.buf);
}

/* A length whose byte count overflows is shown saturated, not wrapped. */
static void output_test_segment_huge(void **state)
{
	struct capture c;

	(void)state;
	report_human_segment_header(capture_start(&c), 0, UINT64_MAX, "error");
	assert_string_equal(capture_end(&c),
			    "\n"
			    "segment:         start 0, "
			    "length 18446744073709551615 sectors (16.0 EiB)\n"
			    "target:          error\n");
	free(c.buf);
}

int main(void)
{
	struct unit_suite suite = { 0 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(field_rows); i++)
		unit_add(&suite, output_test_field, (void *)&field_rows[i],
			 "field \"%s\"", field_rows[i].label);
	for (i = 0; i < ARRAY_SIZE(percent_rows); i++)
		unit_add(&suite, output_test_percent, (void *)&percent_rows[i],
			 "percent %llu of %llu -> %s",
			 (unsigned long long)percent_rows[i].done,
			 (unsigned long long)percent_rows[i].total,
			 percent_rows[i].out);
	unit_add(&suite, output_test_percent_short_buffer, NULL,
		 "output_test_percent_short_buffer");
	for (i = 0; i < ARRAY_SIZE(report_rows); i++)
		unit_add(&suite, output_test_mirror_status,
			 (void *)&report_rows[i], "report %s",
			 report_rows[i].what);
	unit_add(&suite, output_test_segment, NULL, "output_test_segment");
	unit_add(&suite, output_test_segment_huge, NULL,
		 "output_test_segment_huge");

	return unit_run(&suite, "output");
}
