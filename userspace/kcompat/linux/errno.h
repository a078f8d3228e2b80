/* SPDX-License-Identifier: GPL-2.0-only */
/* kcompat: the errno values, from the uapi <linux/errno.h>. */
#ifndef MIRRORCTL_KCOMPAT_LINUX_ERRNO_H
#define MIRRORCTL_KCOMPAT_LINUX_ERRNO_H

#include_next <linux/errno.h>

#endif
