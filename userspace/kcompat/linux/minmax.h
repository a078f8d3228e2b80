/* SPDX-License-Identifier: GPL-2.0-only */
/* kcompat: min_t() of the kernel's <linux/minmax.h>. */
#ifndef MIRRORCTL_KCOMPAT_LINUX_MINMAX_H
#define MIRRORCTL_KCOMPAT_LINUX_MINMAX_H

#define min_t(type, x, y) \
	((type)(x) < (type)(y) ? (type)(x) : (type)(y))

#endif
