/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kcompat: static_assert(expr[, msg]), as the kernel's build_bug.h has it:
 * the message may be left out (C11's _Static_assert needs one; clang
 * says so under -Werror).
 */
#ifndef MIRRORCTL_KCOMPAT_LINUX_BUILD_BUG_H
#define MIRRORCTL_KCOMPAT_LINUX_BUILD_BUG_H

#include <assert.h>

#undef static_assert
#define static_assert(expr, ...) __static_assert(expr, ##__VA_ARGS__, #expr)
#define __static_assert(expr, msg, ...) _Static_assert(expr, msg)

#endif
