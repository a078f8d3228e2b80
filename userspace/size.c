// SPDX-License-Identifier: GPL-2.0-only
/*
 * size.c - SIZE and RATE arguments, and sizes for humans
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>

#include "decimal.h"
#include "size.h"

/* Return the shift of a suffix letter, or -1 if it is not one. */
static int size_suffix_shift(char c)
{
	switch (c) {
	case 'k': case 'K':
		return 10;
	case 'm': case 'M':
		return 20;
	case 'g': case 'G':
		return 30;
	case 't': case 'T':
		return 40;
	default:
		return -1;
	}
}

/*
 * The digits with decimal_u64() rather than strtoull(), which would accept
 * leading blanks, a sign (even "-1", wrapping around) and "0x".  Digits
 * that overflow are -ERANGE whatever follows them.
 */
static int size_or_rate_parse(const char *str, bool rate, uint64_t *bytes)
{
	const char *p;
	uint64_t value;
	int shift = 0, r;

	if (!str)
		return -EINVAL;
	r = decimal_u64(str, DECIMAL_NUL, &value, &p);
	if (r)
		return r;

	if (*p) {
		shift = size_suffix_shift(*p);
		if (shift < 0)
			return -EINVAL;
		p++;
		/* K or KiB: the same binary unit */
		if ((p[0] == 'i' || p[0] == 'I') && (p[1] == 'b' || p[1] == 'B'))
			p += 2;
		if (rate && p[0] == '/' && (p[1] == 's' || p[1] == 'S'))
			p += 2;
		if (*p)
			return -EINVAL;
	} else if (rate && value) {
		return -EDOM;	/* a bare number: bytes? KiB? say which */
	}

	if (shift && value > (UINT64_MAX >> shift))
		return -ERANGE;

	*bytes = value << shift;
	return 0;
}

int size_parse(const char *str, uint64_t *bytes)
{
	return size_or_rate_parse(str, false, bytes);
}

int rate_parse(const char *str, uint64_t *bytes_per_sec)
{
	return size_or_rate_parse(str, true, bytes_per_sec);
}

int size_format(uint64_t bytes, char *buf, size_t len)
{
	static const char * const units[] = {
		"KiB", "MiB", "GiB", "TiB", "PiB", "EiB",
	};
	unsigned int u = 0, shift = 10;
	uint64_t whole, rem, tenths;
	int n;

	if (bytes < 1024) {
		n = snprintf(buf, len, "%llu B", (unsigned long long)bytes);
		return n < 0 || (size_t)n >= len ? -ENOSPC : 0;
	}

	/* Largest unit that leaves a whole part of at least 1. */
	while (u + 1 < sizeof(units) / sizeof(units[0]) &&
	       (bytes >> (shift + 10)) > 0) {
		u++;
		shift += 10;
	}

	/*
	 * Round to the nearest tenth in integers: rem < 2^60, so rem * 10
	 * cannot overflow.  1023.96 KiB rounds up to 1.0 MiB, not 1024.0 KiB.
	 */
	whole = bytes >> shift;
	rem = bytes & ((UINT64_C(1) << shift) - 1);
	tenths = (rem * 10 + (UINT64_C(1) << (shift - 1))) >> shift;
	if (tenths == 10) {
		whole++;
		tenths = 0;
	}
	if (whole == 1024 && u + 1 < sizeof(units) / sizeof(units[0])) {
		whole = 1;
		u++;
	}

	n = snprintf(buf, len, "%llu.%llu %s", (unsigned long long)whole,
		     (unsigned long long)tenths, units[u]);
	return n < 0 || (size_t)n >= len ? -ENOSPC : 0;
}
