/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kcompat: the uapi <linux/kernel.h>, and byte order conversions as the
 * kernel's <linux/kernel.h> brings them.
 */
#ifndef MIRRORCTL_KCOMPAT_LINUX_KERNEL_H
#define MIRRORCTL_KCOMPAT_LINUX_KERNEL_H

#include_next <linux/kernel.h>
#include <endian.h>
#include <linux/types.h>

#define cpu_to_le32(x)	((__le32)htole32(x))
#define cpu_to_le64(x)	((__le64)htole64(x))
#define le32_to_cpu(x)	le32toh((__u32)(x))
#define le64_to_cpu(x)	le64toh((__u64)(x))

#endif
