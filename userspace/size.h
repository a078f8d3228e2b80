/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * size.h - SIZE and RATE arguments, and sizes for humans
 *
 * SIZE and RATE (Documentation/interface.rst, section 7.2) are a decimal
 * number with a binary unit: K or KiB (2^10), M or MiB (2^20), G or GiB
 * (2^30), T or TiB (2^40), in either case.  A SIZE without a unit is in
 * bytes.  A RATE is per second and may end in "/s" ("100MiB/s"); without
 * a unit only 0 (unlimited) is a RATE, since a bare 100 reads as bytes to
 * one operator and KiB to another (the dmsetup scripts took KiB/s).  No
 * sign, no spaces, no fractions, no "B" alone ("4KB"): an operator typo
 * must be refused, not guessed at.
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
 * rate_parse - parse a RATE argument into bytes per second
 * @str: e.g. "0", "100M", "100MiB/s", "512k"
 *
 * As size_parse(), and -EDOM for a number without a unit other than 0.
 */
int rate_parse(const char *str, uint64_t *bytes_per_sec);

/* How a RATE is written, for messages. */
#define RATE_FORMS	"a number with a binary unit (K, M, G, T or KiB, MiB, " \
			"GiB, TiB; per second, e.g. 100M or 100MiB/s), or 0 " \
			"for unlimited"

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
