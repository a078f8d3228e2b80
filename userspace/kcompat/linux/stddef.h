/* SPDX-License-Identifier: GPL-2.0-only */
/* kcompat: offsetof, from libc, beside the uapi <linux/stddef.h>. */
#ifndef MIRRORCTL_KCOMPAT_LINUX_STDDEF_H
#define MIRRORCTL_KCOMPAT_LINUX_STDDEF_H

#include_next <linux/stddef.h>
#include <stddef.h>

#endif
