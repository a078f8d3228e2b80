// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_verify.c - unit tests for the pure parts of userspace/verify.c and
 * userspace/verify_report.c
 *
 * The result of "verify mismatches" (Documentation/interface.rst, section
 * 4) is read strictly: first sectors relative to the segment, ascending,
 * one space apart; the device's list keeps its first
 * VERIFY_MAX_MISMATCHES.  The messages name the first of them.
 */
#include <errno.h>
#include <string.h>

#include "unit.h"
#include "verify.h"
#include "verify_report.h"

static const struct parse_row {
	const char *text;
	uint64_t base;
	int ret;
	size_t nr;
	uint64_t want[4];
} parse_rows[] = {
	{ "",			0,	0,	0, { 0 } },
	{ "0",			0,	0,	1, { 0 } },
	{ "2048",		1024,	0,	1, { 3072 } },
	{ "0 1024 4096",	66560,	0,	3, { 66560, 67584, 70656 } },
	{ "18446744073709551615", 0,	0,	1, { UINT64_MAX } },
	{ "007 8",		0,	0,	2, { 7, 8 } },
	/* refused */
	{ " 1",			0,	-EINVAL, 0, { 0 } },
	{ "1 ",			0,	-EINVAL, 0, { 0 } },
	{ "1  2",		0,	-EINVAL, 0, { 0 } },
	{ "1\t2",		0,	-EINVAL, 0, { 0 } },
	{ "1,2",		0,	-EINVAL, 0, { 0 } },
	{ "-1",			0,	-EINVAL, 0, { 0 } },
	{ "0x10",		0,	-EINVAL, 0, { 0 } },
	{ "8 4",		0,	-EINVAL, 0, { 0 } },
	{ "8 8",		0,	-EINVAL, 0, { 0 } },
	{ "18446744073709551616", 0,	-EINVAL, 0, { 0 } },
	{ "18446744073709551615", 1,	-EINVAL, 0, { 0 } },
	{ "1\n",		0,	-EINVAL, 0, { 0 } },
};

static void verify_test_parse(void **state)
{
	const struct parse_row *row = *state;
	uint64_t out[4] = { 0 };
	size_t nr = 0, i;

	assert_int_equal(verify_parse_mismatches(row->text, row->base, out, 4,
						 &nr), row->ret);
	assert_int_equal(nr, row->nr);
	for (i = 0; i < nr; i++)
		assert_int_equal(out[i], row->want[i]);
}

/* A second segment's come after the first's; beyond @max, dropped. */
static void verify_test_parse_append(void **state)
{
	uint64_t out[3];
	size_t nr = 0;

	(void)state;
	assert_int_equal(verify_parse_mismatches("8 16", 0, out, 3, &nr), 0);
	assert_int_equal(verify_parse_mismatches("0 8", 100, out, 3, &nr), 0);
	assert_int_equal(nr, 3);
	assert_int_equal(out[0], 8);
	assert_int_equal(out[1], 16);
	assert_int_equal(out[2], 100);
	/* a refused one adds nothing */
	assert_int_equal(verify_parse_mismatches("x", 0, out, 3, &nr), -EINVAL);
	assert_int_equal(nr, 3);
}

static void verify_test_offsets(void **state)
{
	struct verify_dev d = { .nr_mismatches = 3,
				.mismatches = { 2048, 10240, 12288 } };
	char buf[256];

	(void)state;
	d.rep.mismatched_regions = 3;
	verify_report_offsets(&d, 8, buf, sizeof(buf));
	assert_string_equal(buf, "sectors 2048, 10240, 12288 (bytes 1048576, "
			    "5242880, 6291456)");
	verify_report_offsets(&d, 1, buf, sizeof(buf));
	assert_string_equal(buf, "sector 2048 (byte 1048576) and 2 more");
	d.rep.mismatched_regions = 40;
	verify_report_offsets(&d, 2, buf, sizeof(buf));
	assert_string_equal(buf, "sectors 2048, 10240 (bytes 1048576, "
			    "5242880) and 38 more");
	/* cut short, never overrun */
	verify_report_offsets(&d, 8, buf, 12);
	assert_string_equal(buf, "sectors 204");
	d.nr_mismatches = 0;
	verify_report_offsets(&d, 8, buf, sizeof(buf));
	assert_string_equal(buf, "unknown sectors");
}

int main(void)
{
	struct unit_suite suite = { 0 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(parse_rows); i++)
		unit_add(&suite, verify_test_parse, (void *)&parse_rows[i],
			 "mismatches \"%s\" at %llu -> %d",
			 unit_esc(parse_rows[i].text),
			 (unsigned long long)parse_rows[i].base,
			 parse_rows[i].ret);
	unit_add(&suite, verify_test_parse_append, NULL,
		 "verify_test_parse_append");
	unit_add(&suite, verify_test_offsets, NULL, "verify_test_offsets");
	return unit_run(&suite, "verify");
}
