/* SPDX-License-Identifier: GPL-2.0-only */
/* kcompat: the kernel's short integer names over the uapi <linux/types.h>. */
#ifndef MIRRORCTL_KCOMPAT_LINUX_TYPES_H
#define MIRRORCTL_KCOMPAT_LINUX_TYPES_H

#include_next <linux/types.h>
#include <stdbool.h>
#include <stddef.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;

#endif
