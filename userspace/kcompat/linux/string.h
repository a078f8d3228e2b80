/* SPDX-License-Identifier: GPL-2.0-only */
/* kcompat: libc's <string.h> and the kernel's memchr_inv(), beside uapi's. */
#ifndef MIRRORCTL_KCOMPAT_LINUX_STRING_H
#define MIRRORCTL_KCOMPAT_LINUX_STRING_H

#include_next <linux/string.h>
#include <string.h>

/* The first byte of @s[0..@n) that is not @c, or NULL. */
static inline void *memchr_inv(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++)
		if (*p != (unsigned char)c)
			return (void *)p;
	return NULL;
}

#endif
