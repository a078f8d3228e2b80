/* SPDX-License-Identifier: GPL-2.0-only */
/* kcompat: ilog2() and is_power_of_2() of the kernel's <linux/log2.h>. */
#ifndef MIRRORCTL_KCOMPAT_LINUX_LOG2_H
#define MIRRORCTL_KCOMPAT_LINUX_LOG2_H

#include <linux/types.h>

/* floor(log2(n)); n > 0 */
static inline int ilog2(u64 n)
{
	return 63 - __builtin_clzll(n);
}

static inline bool is_power_of_2(u64 n)
{
	return n != 0 && (n & (n - 1)) == 0;
}

#endif
