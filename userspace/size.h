/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * size.h - SIZE and RATE arguments, and sizes for humans
 *
 * SIZE and RATE (Documentation/interface.rst, section 7.2) are a decimal
 * number of bytes with an optional binary suffix: K (2^10), M (2^20), G
 * (2^30) or T (2^40), in either case. A RATE is the same syntax, read as
 * bytes per second. No sign, no spaces, no fractions, no trailing "B" or
 * "iB": an operator typo must be refused, not guessed at.
 *
 * Pure functions: no I/O, no messages, no allocation.
 */
#ifndef MIRRORCTL_SIZE_H
#define MIRRORCTL_SIZE_H

#include <stddef.h>
#include <stdint.h>

/* Large enough for any size_format() result, "1023.9 KiB" or "16.0 EiB". */
#define SIZE_FORMAT_MAX	16

/*
 * size_parse - parse a SIZE or RATE argument
 * @str: the argument, e.g. "512", "512K", "100m", "1G"
 * @bytes: set to the value in bytes on success, untouched on error
 *
 * Returns 0, -EINVAL when @str is not of the form above (empty, sign, junk,
 * unknown suffix), or -ERANGE when the value does not fit in 64 bits.
 */
int size_parse(const char *str, uint64_t *bytes);

/*
 * size_format - render a byte count for an operator
 * @bytes: the value
 * @buf: destination, at least SIZE_FORMAT_MAX bytes to never truncate
 * @len: size of @buf
 *
 * Below 1 KiB prints the exact count ("512 B"); above, one decimal in the
 * largest binary unit that keeps the number below 1024 ("64.0 MiB",
 * "1.5 GiB"), rounded to nearest.  Returns 0, or -ENOSPC when @buf was too
 * small (it then holds a truncated, NUL-terminated string).
 */
int size_format(uint64_t bytes, char *buf, size_t len);

#endif /* MIRRORCTL_SIZE_H */
