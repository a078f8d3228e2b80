// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_decimal.c - unit tests for userspace/decimal.c
 *
 * decimal_u64() reads every number mirrorctl takes from the kernel and the
 * command line: each row pins what one text gives in each of its modes
 * (the whole NUL-terminated text, the first @len bytes, a prefix before a
 * suffix), and that a refused text leaves the outputs untouched.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "unit.h"
#include "decimal.h"

/* Left in the outputs by a failed parse: must survive untouched. */
#define SENTINEL	UINT64_C(0xdeadbeefcafef00d)

#define MAX		UINT64_MAX

/* Rows: the whole text of @s, its first @n bytes, a prefix of @n bytes. */
#define WHOLE(s, r, v)		{ s, DECIMAL_NUL, false, r, v, 0 }
#define FIRST(s, n, r, v)	{ s, n, false, r, v, 0 }
#define PREFIX(s, n, r, v, e)	{ s, n, true, r, v, e }

static const struct row {
	const char *in;
	size_t len;		/* DECIMAL_NUL: up to the NUL of @in */
	bool prefix;		/* pass @end: digits, then anything */
	int ret;
	uint64_t value;		/* when ret == 0 */
	size_t end;		/* when ret == 0 and prefix: *end - in */
} rows[] = {
	/* whole NUL-terminated text */
	WHOLE("0", 0, 0),
	WHOLE("1", 0, 1),
	WHOLE("512", 0, 512),
	WHOLE("007", 0, 7),
	WHOLE("0000000000000000000000000042", 0, 42),
	WHOLE("4294967296", 0, UINT64_C(4294967296)),
	WHOLE("18446744073709551614", 0, MAX - 1),
	WHOLE("18446744073709551615", 0, MAX),
	WHOLE("018446744073709551615", 0, MAX),
	WHOLE("", -EINVAL, 0),
	WHOLE("+1", -EINVAL, 0),
	WHOLE("-1", -EINVAL, 0),
	WHOLE("-0", -EINVAL, 0),
	WHOLE(" 1", -EINVAL, 0),
	WHOLE("\t1", -EINVAL, 0),
	WHOLE("1 ", -EINVAL, 0),
	WHOLE("1\n", -EINVAL, 0),
	WHOLE("1 2", -EINVAL, 0),
	WHOLE("a", -EINVAL, 0),
	WHOLE("1a", -EINVAL, 0),
	WHOLE("0x10", -EINVAL, 0),
	WHOLE("1.5", -EINVAL, 0),
	WHOLE("1,000", -EINVAL, 0),
	WHOLE("1e3", -EINVAL, 0),
	WHOLE("\xd9\xa1", -EINVAL, 0),
	WHOLE("18446744073709551616", -ERANGE, 0),
	WHOLE("18446744073709551620", -ERANGE, 0),
	WHOLE("99999999999999999999", -ERANGE, 0),
	WHOLE("184467440737095516150", -ERANGE, 0),
	/* overflow is found before the junk after it, junk before digits */
	WHOLE("18446744073709551616x", -ERANGE, 0),
	WHOLE("x18446744073709551616", -EINVAL, 0),
	WHOLE("1x18446744073709551616", -EINVAL, 0),
	/* the first @len bytes: nothing after them is read */
	FIRST("123", 3, 0, 123),
	FIRST("123456", 3, 0, 123),
	FIRST("12 34", 2, 0, 12),
	FIRST("7/9", 1, 0, 7),
	FIRST("18446744073709551615", 20, 0, MAX),
	FIRST("184467440737095516159", 20, 0, MAX),
	FIRST("18446744073709551616", 20, -ERANGE, 0),
	FIRST("", 0, -EINVAL, 0),
	FIRST("123", 0, -EINVAL, 0),
	FIRST("12 34", 3, -EINVAL, 0),
	FIRST("-1", 2, -EINVAL, 0),
	FIRST(" 1", 2, -EINVAL, 0),
	FIRST("1\0" "2", 3, -EINVAL, 0),
	/* a prefix: the digits, then *end at what follows them */
	PREFIX("512K", DECIMAL_NUL, 0, 512, 3),
	PREFIX("512", DECIMAL_NUL, 0, 512, 3),
	PREFIX("007x", DECIMAL_NUL, 0, 7, 3),
	PREFIX("1 2", DECIMAL_NUL, 0, 1, 1),
	PREFIX("18446744073709551615T", DECIMAL_NUL, 0, MAX, 20),
	PREFIX("", DECIMAL_NUL, -EINVAL, 0, 0),
	PREFIX("K", DECIMAL_NUL, -EINVAL, 0, 0),
	PREFIX("+1", DECIMAL_NUL, -EINVAL, 0, 0),
	PREFIX("-1", DECIMAL_NUL, -EINVAL, 0, 0),
	PREFIX(" 1", DECIMAL_NUL, -EINVAL, 0, 0),
	PREFIX("18446744073709551616", DECIMAL_NUL, -ERANGE, 0, 0),
	PREFIX("18446744073709551616K", DECIMAL_NUL, -ERANGE, 0, 0),
	/* a prefix of the first @len bytes */
	PREFIX("123456", 3, 0, 123, 3),
	PREFIX("12/34", 5, 0, 12, 2),
	PREFIX("1\0" "2", 3, 0, 1, 1),
	PREFIX("", 0, -EINVAL, 0, 0),
	PREFIX("/34", 3, -EINVAL, 0, 0),
};

/*
 * The text in a buffer of exactly its size (no NUL after @len bytes), so
 * that valgrind or ASan sees a read past what the caller handed over.
 */
static char *exact_copy(const struct row *row)
{
	size_t size;
	char *buf;

	size = row->len == DECIMAL_NUL ? strlen(row->in) + 1 : row->len;
	buf = malloc(size ? size : 1);
	assert_non_null(buf);
	memcpy(buf, row->in, size);
	return buf;
}

static void decimal_test_row(void **state)
{
	const struct row *row = *state;
	const char *end = (const char *)&end;
	uint64_t value = SENTINEL;
	ptrdiff_t off = -1;
	bool moved;
	char *buf = exact_copy(row);
	int r;

	r = decimal_u64(buf, row->len, &value, row->prefix ? &end : NULL);
	moved = end != (const char *)&end;
	if (moved)
		off = end - buf;
	free(buf);

	assert_int_equal(r, row->ret);
	if (row->ret) {
		assert_int_equal(value, SENTINEL);
		assert_false(moved);
		return;
	}
	assert_int_equal(value, row->value);
	assert_int_equal(moved, row->prefix);
	if (row->prefix)
		assert_int_equal(off, row->end);
}

/* Read @v back from its printed form, whole and as @len bytes. */
static void check_read_back(uint64_t v)
{
	uint64_t got = SENTINEL;
	char buf[32];

	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v);
	assert_int_equal(decimal_u64(buf, DECIMAL_NUL, &got, NULL), 0);
	assert_int_equal(got, v);
	got = SENTINEL;
	assert_int_equal(decimal_u64(buf, strlen(buf), &got, NULL), 0);
	assert_int_equal(got, v);
}

/* Each power of ten, its neighbours, and the largest of each length. */
static void decimal_test_round_trip(void **state)
{
	uint64_t p = 1;
	int digits;

	(void)state;
	for (digits = 1; digits <= 20; digits++) {
		check_read_back(p - 1);
		check_read_back(p);
		check_read_back(p + 1);
		check_read_back(digits < 20 ? p * 10 - 1 : UINT64_MAX);
		if (digits < 20)
			p *= 10;
	}
}

int main(void)
{
	struct unit_suite suite = { 0 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		const struct row *row = &rows[i];
		char len[24] = "NUL";

		if (row->len != DECIMAL_NUL)
			snprintf(len, sizeof(len), "%zu", row->len);
		unit_add(&suite, decimal_test_row, (void *)row,
			 "%s \"%s\" len %s -> %d",
			 row->prefix ? "prefix" : "whole", unit_esc(row->in),
			 len, row->ret);
	}
	unit_add(&suite, decimal_test_round_trip, NULL,
		 "decimal_test_round_trip");

	return unit_run(&suite, "decimal");
}
