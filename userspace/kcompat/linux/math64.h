/* SPDX-License-Identifier: GPL-2.0-only */
/* kcompat: div_u64() of the kernel's <linux/math64.h>. */
#ifndef MIRRORCTL_KCOMPAT_LINUX_MATH64_H
#define MIRRORCTL_KCOMPAT_LINUX_MATH64_H

#include <linux/types.h>

static inline u64 div_u64(u64 dividend, u32 divisor)
{
	return dividend / divisor;
}

#endif
