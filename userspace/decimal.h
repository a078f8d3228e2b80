/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * decimal.h - unsigned decimal numbers, as the kernel prints them
 *
 * The one reader of decimal digits in mirrorctl: status lines and table
 * lines from the kernel (%llu), and the numbers of the command line (SIZE,
 * RATE, --timeout).  Stricter than strtoull() on purpose, which would take
 * leading blanks, a sign (even "-1", wrapping around), "0x" and a number
 * that does not fit without a word.
 *
 * Accepted: one or more ASCII digits '0'..'9', nothing else.  Leading zeros
 * are allowed and change nothing ("007" is 7).  No sign ('+' or '-'), no
 * whitespace before, inside or after, no base prefix, no separators.
 *
 * Pure function: no I/O, no messages, no allocation, no locale.
 */
#ifndef MIRRORCTL_DECIMAL_H
#define MIRRORCTL_DECIMAL_H

#include <stddef.h>
#include <stdint.h>

/* A @len for decimal_u64(): read up to the terminating NUL. */
#define DECIMAL_NUL	SIZE_MAX

/*
 * decimal_u64 - read an unsigned decimal number
 * @s: the text; needs no NUL when @len is a length
 * @len: the number of bytes of @s to read, or DECIMAL_NUL for all of a
 *       NUL-terminated @s.  With a length, a NUL among them is a non-digit.
 * @value: set to the number on success, untouched on error
 * @end: NULL to require that the number is all of the text; otherwise the
 *       number is the longest run of digits at the start of @s, and *@end
 *       is set to the byte after it (a suffix, or the end of the text) on
 *       success, untouched on error
 *
 * Digits are read from the left and the first problem met is the one
 * reported: digits that overflow are -ERANGE whatever follows them.
 *
 * Returns 0; -EINVAL when @s does not start with a digit (e.g. empty, a
 * sign, a blank) or, with @end NULL, when a non-digit follows the digits;
 * -ERANGE when the number is above UINT64_MAX (18446744073709551615).
 */
int decimal_u64(const char *s, size_t len, uint64_t *value, const char **end);

#endif /* MIRRORCTL_DECIMAL_H */
