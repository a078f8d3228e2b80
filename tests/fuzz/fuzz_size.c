// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_size.c - SIZE and RATE arguments, and sizes and rates for humans
 *
 * The input is a command-line argument for size_parse() and rate_parse().
 * Their results are compared with a reference reading of size.h's
 * contract in 128-bit arithmetic: decimal digits and at most one of KMGT
 * (either case), maybe followed by "iB" (either case) and, for a RATE,
 * "/s", give the value, or -ERANGE when it does not fit in 64 bits; a RATE
 * of digits alone other than 0 is -EDOM; anything else is -EINVAL, and
 * *bytes is untouched on error.
 *
 * The first bytes of the input also serve as numbers for size_format(),
 * output_rate(), output_duration() and output_percent(), whose text is
 * read back and checked against the value it stands for, and as buffer
 * lengths, so that truncation is exercised.
 */
#include <inttypes.h>

#include "fuzz.h"
#include "output.h"
#include "size.h"

typedef unsigned __int128 u128;

static int shift_of(char c)
{
	const char *s = strchr("kKmMgGtT", c);

	return c && s ? 10 * (1 + (int)(s - "kKmMgGtT") / 2) : -1;
}

/*
 * size.h's contract, read independently of size.c: the digits, then the
 * suffix, then the shift.  Digits that overflow are -ERANGE whatever
 * follows them (tests/unit/test_size.c: "overflow is found first").
 */
static int reference_parse(const char *str, int rate, uint64_t *bytes)
{
	size_t n = strspn(str, "0123456789"), i;
	const char *rest;
	int shift = 0;
	u128 v = 0;

	if (!n)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		v = v * 10 + (u128)(str[i] - '0');
		if (v > UINT64_MAX)
			return -ERANGE;
	}
	if (str[n]) {
		shift = shift_of(str[n]);
		if (shift < 0)
			return -EINVAL;
		rest = str + n + 1;
		if (strchr("iI", rest[0]) && rest[0] && rest[1] &&
		    strchr("bB", rest[1]))
			rest += 2;
		if (rate && rest[0] == '/' && rest[1] && strchr("sS", rest[1]))
			rest += 2;
		if (*rest)
			return -EINVAL;
	} else if (rate && v) {
		return -EDOM;
	}
	v <<= shift;
	if (v > UINT64_MAX)
		return -ERANGE;
	*bytes = (uint64_t)v;
	return 0;
}

static void check_parse(const char *str)
{
	uint64_t got = 0x5a5a5a5a5a5a5a5aULL, want = got;
	int r = size_parse(str, &got), w = reference_parse(str, 0, &want);

	FUZZ_CHECK(r == w, "size_parse('%s') = %d, contract says %d", str, r, w);
	FUZZ_CHECK(got == want, "size_parse('%s') = %" PRIu64 ", want %" PRIu64,
		   str, got, want);
	got = want = 0x5a5a5a5a5a5a5a5aULL;
	r = rate_parse(str, &got);
	w = reference_parse(str, 1, &want);
	FUZZ_CHECK(r == w, "rate_parse('%s') = %d, contract says %d", str, r, w);
	FUZZ_CHECK(got == want, "rate_parse('%s') = %" PRIu64 ", want %" PRIu64,
		   str, got, want);
}

/* Read "N B" or "W.T UNIT" back and check it stands for @v. */
static void check_size_text(uint64_t v, const char *text)
{
	static const char * const units[] = {
		"KiB", "MiB", "GiB", "TiB", "PiB", "EiB",
	};
	unsigned long long whole, tenths;
	char unit[8], tail;
	unsigned int u, shift;
	u128 scaled, exact, diff;

	if (v < 1024) {
		FUZZ_CHECK(sscanf(text, "%llu B%c", &whole, &tail) == 1 &&
			   whole == v, "%" PRIu64 " as '%s'", v, text);
		return;
	}
	FUZZ_CHECK(sscanf(text, "%llu.%1llu %7s%c", &whole, &tenths, unit,
			  &tail) == 3, "%" PRIu64 " as '%s'", v, text);
	for (u = 0; u < 6 && strcmp(unit, units[u]); u++)
		;
	FUZZ_CHECK(u < 6, "%" PRIu64 " as '%s': unit", v, text);
	FUZZ_CHECK(whole >= 1 && (whole < 1024 || u == 5) && tenths <= 9,
		   "%" PRIu64 " as '%s': not normalised", v, text);
	/* Rounded to the nearest tenth: |10 v - (10 W + T) 2^s| <= 2^(s-1) */
	shift = 10 * (u + 1);
	scaled = ((u128)whole * 10 + tenths) << shift;
	exact = (u128)v * 10;
	diff = scaled > exact ? scaled - exact : exact - scaled;
	FUZZ_CHECK(diff <= (u128)1 << (shift - 1), "%" PRIu64 " as '%s'", v,
		   text);
}

static void check_format(uint64_t v, size_t len)
{
	char full[SIZE_FORMAT_MAX], small[SIZE_FORMAT_MAX], rate[OUTPUT_RATE_MAX];
	char want[OUTPUT_RATE_MAX + 4];
	int r;

	FUZZ_CHECK(!size_format(v, full, sizeof(full)), "%" PRIu64, v);
	check_size_text(v, full);

	/* Too small a buffer: -ENOSPC and a NUL-terminated prefix. */
	len %= sizeof(small) + 1;
	if (len) {
		r = size_format(v, small, len);
		FUZZ_CHECK(r == (strlen(full) < len ? 0 : -ENOSPC),
			   "%" PRIu64 " in %zu bytes: %d", v, len, r);
		FUZZ_CHECK(strlen(small) < len &&
			   !strncmp(small, full, strlen(small)),
			   "%" PRIu64 " in %zu bytes: '%s'", v, len, small);
	}

	output_rate(true, v, rate, sizeof(rate));
	snprintf(want, sizeof(want), "%s/s", full);
	FUZZ_CHECK(!strcmp(rate, want), "rate %" PRIu64 ": '%s'", v, rate);
	output_rate(false, v, rate, sizeof(rate));
	FUZZ_CHECK(!strcmp(rate, "-"), "unknown rate: '%s'", rate);
}

/* "59s", "1m05s", "2h03m", "3d04h": rounded down to the unit shown. */
static void check_duration(uint64_t s)
{
	unsigned long long a, b;
	char buf[OUTPUT_DURATION_MAX], tail;
	u128 lo, unit;

	output_duration(s, buf, sizeof(buf));
	if (s < 60) {
		FUZZ_CHECK(sscanf(buf, "%llus%c", &a, &tail) == 1 && a == s,
			   "%" PRIu64 " s as '%s'", s, buf);
		return;
	}
	if (sscanf(buf, "%llum%2llus%c", &a, &b, &tail) == 2) {
		lo = (u128)a * 60 + b;
		unit = 1;
		FUZZ_CHECK(a < 60 && b < 60, "%" PRIu64 " s as '%s'", s, buf);
	} else if (sscanf(buf, "%lluh%2llum%c", &a, &b, &tail) == 2) {
		lo = (u128)a * 3600 + b * 60;
		unit = 60;
		FUZZ_CHECK(a < 24 && b < 60, "%" PRIu64 " s as '%s'", s, buf);
	} else {
		FUZZ_CHECK(sscanf(buf, "%llud%2lluh%c", &a, &b, &tail) == 2,
			   "%" PRIu64 " s as '%s'", s, buf);
		lo = (u128)a * 86400 + b * 3600;
		unit = 3600;
		FUZZ_CHECK(b < 24, "%" PRIu64 " s as '%s'", s, buf);
	}
	FUZZ_CHECK(lo <= s && s < lo + unit, "%" PRIu64 " s as '%s'", s, buf);
}

/* "X.Y%", rounded down; 100.0% only when done >= total or total is 0. */
static void check_percent(uint64_t done, uint64_t total, size_t len)
{
	char buf[OUTPUT_PERCENT_MAX], small[OUTPUT_PERCENT_MAX], tail;
	unsigned int whole, tenth;
	uint64_t exact, got;
	int r;

	FUZZ_CHECK(!output_percent(done, total, buf, sizeof(buf)),
		   "%" PRIu64 "/%" PRIu64, done, total);
	FUZZ_CHECK(sscanf(buf, "%u.%1u%%%c", &whole, &tenth, &tail) == 2,
		   "%" PRIu64 "/%" PRIu64 " as '%s'", done, total, buf);
	got = whole * 10 + tenth;
	if (!total || done >= total) {
		FUZZ_CHECK(got == 1000, "%" PRIu64 "/%" PRIu64 " as '%s'",
			   done, total, buf);
	} else {
		exact = (uint64_t)((u128)done * 1000 / total);
		/*
		 * Rounded down; values too big to multiply by 1000 are scaled
		 * first, which may move the result by one step either way,
		 * but never to 100.0%.
		 */
		FUZZ_CHECK(got <= 999 &&
			   (done <= UINT64_MAX / 1000 ? got == exact :
			    got + 1 >= exact && got <= exact + 1),
			   "%" PRIu64 "/%" PRIu64 " as '%s', exact %" PRIu64
			   " permille", done, total, buf, exact);
	}

	len %= sizeof(small) + 1;
	if (len) {
		r = output_percent(done, total, small, len);
		FUZZ_CHECK(r == (strlen(buf) < len ? 0 : -ENOSPC) &&
			   strlen(small) < len, "percent in %zu bytes", len);
	}
}

static uint64_t take_u64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *str = fuzz_cstr(data, size);
	uint64_t v = 0;

	check_parse(str);
	if (!size_parse(str, &v))
		check_format(v, size);

	if (size >= 17) {
		uint64_t a = take_u64(data), b = take_u64(data + 8);

		check_format(a, data[16]);
		check_duration(a);
		check_percent(a, b, data[16]);
		check_percent(a >> (data[16] & 63), b, data[16] >> 4);
	}
	free(str);
	return 0;
}
