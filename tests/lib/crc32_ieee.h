/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * crc32_ieee.h - the CRC-32 of IEEE 802.3 (zlib's crc32()), bit by bit
 *
 * The tests' own reading of the checksum of
 * Documentation/metadata-format.rst, apart from the code under test
 * (the kernel's crc32_le(), userspace/kcompat/crc32.c), so that the test
 * images they seal are independent of it.
 */
#ifndef MIRRORLIVE_TESTS_CRC32_IEEE_H
#define MIRRORLIVE_TESTS_CRC32_IEEE_H

#include <stddef.h>
#include <stdint.h>

static inline uint32_t crc32_ieee(const uint8_t *p, size_t len)
{
	uint32_t c = 0xffffffffU;

	while (len--) {
		c ^= *p++;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ 0xedb88320U : c >> 1;
	}
	return ~c;
}

#endif
