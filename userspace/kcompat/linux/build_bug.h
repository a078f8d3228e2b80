/* SPDX-License-Identifier: GPL-2.0-only */
/* kcompat: static_assert(expr), C11's. */
#ifndef MIRRORCTL_KCOMPAT_LINUX_BUILD_BUG_H
#define MIRRORCTL_KCOMPAT_LINUX_BUILD_BUG_H

#include <assert.h>

#endif
