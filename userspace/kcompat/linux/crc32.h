/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kcompat: crc32_le() of the kernel's <linux/crc32.h>: the reflected
 * CRC-32 of IEEE 802.3 (polynomial 0xedb88320), without the final
 * inversion, continuing from @crc. Bytewise with a table built at first
 * use; mirrorctl reads a few thousand blocks at most.
 */
#ifndef MIRRORCTL_KCOMPAT_LINUX_CRC32_H
#define MIRRORCTL_KCOMPAT_LINUX_CRC32_H

#include <linux/types.h>

u32 crc32_le(u32 crc, const unsigned char *p, size_t len);

#endif
