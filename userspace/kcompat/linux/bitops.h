/* SPDX-License-Identifier: GPL-2.0-only */
/* kcompat: BITS_PER_LONG, as the kernel's <linux/bitops.h> provides it. */
#ifndef MIRRORCTL_KCOMPAT_LINUX_BITOPS_H
#define MIRRORCTL_KCOMPAT_LINUX_BITOPS_H

#include <limits.h>

#define BITS_PER_LONG	((int)(sizeof(long) * CHAR_BIT))

#endif
