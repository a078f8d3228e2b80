// SPDX-License-Identifier: GPL-2.0-only
/*
 * decimal.c - unsigned decimal numbers, as the kernel prints them
 */
#include <errno.h>

#include "decimal.h"

int decimal_u64(const char *s, size_t len, uint64_t *value, const char **end)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
		unsigned int digit = s[i] - '0';

		if (v > (UINT64_MAX - digit) / 10)
			return -ERANGE;
		v = v * 10 + digit;
	}
	if (!i)
		return -EINVAL;

	/* Whole text: at the NUL, or @len bytes read (s[len] is not ours). */
	if (end)
		*end = s + i;
	else if (len == DECIMAL_NUL ? s[i] != '\0' : i < len)
		return -EINVAL;
	*value = v;
	return 0;
}
