// SPDX-License-Identifier: GPL-2.0-only
/* kcompat: crc32_le(), see linux/crc32.h. */
#include <linux/crc32.h>

static u32 crc32_table[256];

static void crc32_init(void)
{
	u32 c;
	int i, k;

	for (i = 0; i < 256; i++) {
		c = (u32)i;
		for (k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ 0xedb88320U : c >> 1;
		crc32_table[i] = c;
	}
}

u32 crc32_le(u32 crc, const unsigned char *p, size_t len)
{
	if (!crc32_table[1])
		crc32_init();
	while (len--)
		crc = (crc >> 8) ^ crc32_table[(crc ^ *p++) & 0xff];
	return crc;
}
