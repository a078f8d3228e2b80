// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_size.c - unit tests for userspace/size.c
 *
 * SIZE and RATE come straight from an operator's command line and end up in
 * a kernel table line: every accepted form is pinned to its exact byte
 * count, and every near miss must be refused rather than guessed at.
 */
#include <errno.h>
#include <string.h>

#include "unit.h"
#include "size.h"

#define KiB	(UINT64_C(1) << 10)
#define MiB	(UINT64_C(1) << 20)
#define GiB	(UINT64_C(1) << 30)
#define TiB	(UINT64_C(1) << 40)
#define PiB	(UINT64_C(1) << 50)
#define EiB	(UINT64_C(1) << 60)

/* Left in the output by a failed parse: must survive untouched. */
#define SENTINEL	UINT64_C(0xdeadbeefcafef00d)

static const struct parse_row {
	const char *in;
	int ret;
	uint64_t bytes;		/* when ret == 0 */
} parse_rows[] = {
	/* plain bytes */
	{ "0",			0, 0 },
	{ "1",			0, 1 },
	{ "512",		0, 512 },
	{ "007",		0, 7 },
	{ "18446744073709551615", 0, UINT64_MAX },
	/* suffixes, both cases */
	{ "512K",		0, 512 * KiB },
	{ "512k",		0, 512 * KiB },
	{ "100M",		0, 100 * MiB },
	{ "100m",		0, 100 * MiB },
	{ "1G",			0, GiB },
	{ "1g",			0, GiB },
	{ "2T",			0, 2 * TiB },
	{ "2t",			0, 2 * TiB },
	{ "1KiB",		0, KiB },
	{ "1kib",		0, KiB },
	{ "100MiB",		0, 100 * MiB },
	{ "1GIB",		0, GiB },
	{ "2TiB",		0, 2 * TiB },
	{ "0K",			0, 0 },
	{ "0T",			0, 0 },
	{ "007K",		0, 7 * KiB },
	{ "4096K",		0, 4 * GiB / 1024 },
	/* largest values each suffix can carry */
	{ "18014398509481983K",	0, UINT64_C(18014398509481983) * KiB },
	{ "17592186044415M",	0, UINT64_C(17592186044415) * MiB },
	{ "17179869183G",	0, UINT64_C(17179869183) * GiB },
	{ "16777215T",		0, UINT64_C(16777215) * TiB },
	/* malformed */
	{ "",			-EINVAL, 0 },
	{ "K",			-EINVAL, 0 },
	{ "-1",			-EINVAL, 0 },
	{ "-0",			-EINVAL, 0 },
	{ "+1",			-EINVAL, 0 },
	{ " 1",			-EINVAL, 0 },
	{ "1 ",			-EINVAL, 0 },
	{ "1 K",		-EINVAL, 0 },
	{ "\t1",		-EINVAL, 0 },
	{ "1\n",		-EINVAL, 0 },
	{ "1.5G",		-EINVAL, 0 },
	{ "1,5G",		-EINVAL, 0 },
	{ "1e3",		-EINVAL, 0 },
	{ "0x10",		-EINVAL, 0 },
	{ "010x",		-EINVAL, 0 },
	{ "1B",			-EINVAL, 0 },
	{ "1KB",		-EINVAL, 0 },
	{ "1Ki",		-EINVAL, 0 },
	{ "1KiBs",		-EINVAL, 0 },
	{ "1MiB/s",		-EINVAL, 0 },	/* a SIZE has no "/s" */
	{ "1KK",		-EINVAL, 0 },
	{ "1P",			-EINVAL, 0 },
	{ "1E",			-EINVAL, 0 },
	{ "1X",			-EINVAL, 0 },
	{ "M1",			-EINVAL, 0 },
	{ "1M1",		-EINVAL, 0 },
	{ "abc",		-EINVAL, 0 },
	{ "unlimited",		-EINVAL, 0 },
	/* too large for 64 bits */
	{ "18446744073709551616", -ERANGE, 0 },
	{ "99999999999999999999999", -ERANGE, 0 },
	{ "18014398509481984K",	-ERANGE, 0 },
	{ "17592186044416M",	-ERANGE, 0 },
	{ "17179869184G",	-ERANGE, 0 },
	{ "16777216T",		-ERANGE, 0 },
	{ "18446744073709551615K", -ERANGE, 0 },
	/* junk after an overflowing number: overflow is found first */
	{ "18446744073709551616X", -ERANGE, 0 },
};

/* @parse on @row: its result, and the value untouched on error */
static void check_parse_row(int (*parse)(const char *, uint64_t *),
			    const struct parse_row *row)
{
	uint64_t bytes = SENTINEL;

	assert_int_equal(parse(row->in, &bytes), row->ret);
	if (row->ret)
		assert_int_equal(bytes, SENTINEL);
	else
		assert_int_equal(bytes, row->bytes);
}

static void size_test_parse(void **state)
{
	check_parse_row(size_parse, *state);
}

/* RATE: the SIZE syntax, "/s" allowed, no bare number but 0 */
static const struct parse_row rate_rows[] = {
	{ "0",			0, 0 },
	{ "000",		0, 0 },
	{ "0K",			0, 0 },
	{ "100M",		0, 100 * MiB },
	{ "100M/s",		0, 100 * MiB },
	{ "100MiB/s",		0, 100 * MiB },
	{ "100mib/S",		0, 100 * MiB },
	{ "512k",		0, 512 * KiB },
	{ "1T",			0, TiB },
	{ "1",			-EDOM, 0 },
	{ "100",		-EDOM, 0 },
	{ "4096",		-EDOM, 0 },
	{ "100/s",		-EINVAL, 0 },
	{ "100M/",		-EINVAL, 0 },
	{ "100M/sec",		-EINVAL, 0 },
	{ "100MB/s",		-EINVAL, 0 },
	{ "100Mbps",		-EINVAL, 0 },
	{ "fast",		-EINVAL, 0 },
	{ "",			-EINVAL, 0 },
	{ "-1M",		-EINVAL, 0 },
	{ "16777216T",		-ERANGE, 0 },
};

static void size_test_rate_parse(void **state)
{
	check_parse_row(rate_parse, *state);
}

static void size_test_parse_null(void **state)
{
	uint64_t bytes = SENTINEL;

	(void)state;
	assert_int_equal(size_parse(NULL, &bytes), -EINVAL);
	assert_int_equal(bytes, SENTINEL);
}

static const struct format_row {
	uint64_t bytes;
	const char *out;
} format_rows[] = {
	{ 0,				"0 B" },
	{ 1,				"1 B" },
	{ 512,				"512 B" },
	{ 1023,				"1023 B" },
	{ KiB,				"1.0 KiB" },
	{ KiB + 51,			"1.0 KiB" },	/* 1.0498 */
	{ KiB + 52,			"1.1 KiB" },	/* 1.0508 */
	{ 1536,				"1.5 KiB" },
	{ 999 * KiB,			"999.0 KiB" },
	{ 1048524,			"1023.9 KiB" },	/* 1023.949 */
	{ 1048552,			"1.0 MiB" },	/* 1023.977 rounds up */
	{ MiB - 1,			"1.0 MiB" },
	{ MiB,				"1.0 MiB" },
	{ 64 * MiB,			"64.0 MiB" },
	{ 100 * MiB,			"100.0 MiB" },
	{ GiB,				"1.0 GiB" },
	{ GiB + GiB / 4,		"1.3 GiB" },	/* half rounds up */
	{ 1288490188,			"1.2 GiB" },
	{ GiB + GiB / 2,		"1.5 GiB" },
	{ TiB + TiB / 2,		"1.5 TiB" },
	{ 5 * TiB + TiB / 2,		"5.5 TiB" },
	{ PiB,				"1.0 PiB" },
	{ EiB,				"1.0 EiB" },
	{ 15 * EiB,			"15.0 EiB" },
	{ UINT64_MAX,			"16.0 EiB" },
};

static void size_test_format(void **state)
{
	const struct format_row *row = *state;
	char buf[SIZE_FORMAT_MAX];

	assert_int_equal(size_format(row->bytes, buf, sizeof(buf)), 0);
	assert_string_equal(buf, row->out);
}

/* A short buffer is reported and still NUL-terminated. */
static void size_test_format_short_buffer(void **state)
{
	char buf[8];

	(void)state;
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(size_format(64 * MiB, buf, 5), -ENOSPC);
	assert_string_equal(buf, "64.0");
	assert_int_equal(size_format(512, buf, 4), -ENOSPC);
	assert_string_equal(buf, "512");
	assert_int_equal(size_format(512, buf, 0), -ENOSPC);
	assert_int_equal(size_format(512, buf, 6), 0);
	assert_string_equal(buf, "512 B");
}

/* SIZE_FORMAT_MAX holds the longest string size_format() produces. */
static void size_test_format_max_fits(void **state)
{
	static const uint64_t worst[] = { 1023, 1048524, UINT64_MAX };
	char buf[SIZE_FORMAT_MAX];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(worst); i++)
		assert_int_equal(size_format(worst[i], buf, sizeof(buf)), 0);
}

/* Round trip: what mirrorctl prints for a suffix value reads back. */
static void size_test_round_trip(void **state)
{
	static const char * const in[] = { "1K", "64M", "3G", "2T" };
	static const char * const out[] = {
		"1.0 KiB", "64.0 MiB", "3.0 GiB", "2.0 TiB",
	};
	char buf[SIZE_FORMAT_MAX];
	uint64_t bytes;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(in); i++) {
		assert_int_equal(size_parse(in[i], &bytes), 0);
		assert_int_equal(size_format(bytes, buf, sizeof(buf)), 0);
		assert_string_equal(buf, out[i]);
	}
}

int main(void)
{
	struct unit_suite suite = { 0 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(parse_rows); i++)
		unit_add(&suite, size_test_parse, (void *)&parse_rows[i],
			 "parse \"%s\" -> %d", unit_esc(parse_rows[i].in),
			 parse_rows[i].ret);
	for (i = 0; i < ARRAY_SIZE(rate_rows); i++)
		unit_add(&suite, size_test_rate_parse, (void *)&rate_rows[i],
			 "rate \"%s\" -> %d", unit_esc(rate_rows[i].in),
			 rate_rows[i].ret);
	unit_add(&suite, size_test_parse_null, NULL, "size_test_parse_null");
	for (i = 0; i < ARRAY_SIZE(format_rows); i++)
		unit_add(&suite, size_test_format, (void *)&format_rows[i],
			 "format %llu -> \"%s\"",
			 (unsigned long long)format_rows[i].bytes,
			 format_rows[i].out);
	unit_add(&suite, size_test_format_short_buffer, NULL,
		 "size_test_format_short_buffer");
	unit_add(&suite, size_test_format_max_fits, NULL,
		 "size_test_format_max_fits");
	unit_add(&suite, size_test_round_trip, NULL, "size_test_round_trip");

	return unit_run(&suite, "size");
}
