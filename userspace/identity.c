// SPDX-License-Identifier: GPL-2.0-only
/*
 * identity.c - who a mirror's legs are; see identity.h for the contract.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "identity.h"

#define FNV_PRIME	0x100000001b3ULL
#define FNV_OFFSET	0xcbf29ce484222325ULL
/* a second offset basis, for the id's other 64 bits */
#define FNV_OFFSET2	0x84222325cbf29ce4ULL

/* The first line of sysfs file @path, without blanks at its end. */
static int read_attr(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	size_t n;

	if (!f)
		return -errno;
	if (!fgets(buf, (int)len, f))
		buf[0] = '\0';
	fclose(f);
	n = strlen(buf);
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return n ? 0 : -ENOENT;
}

int device_identity(uint32_t major, uint32_t minor, char *buf, size_t len)
{
	static const struct {
		const char *attr;	/* under /sys/dev/block/M:m/ */
		const char *kind;
	} attrs[] = {
		{ "dm/uuid", "dm-uuid" },
		{ "wwid", "wwid" },
		{ "device/wwid", "wwid" },
		{ "serial", "serial" },
		{ "device/serial", "serial" },
		{ "loop/backing_file", "loop" },
	};
	char path[128], value[IDENTITY_MAX], part[16];
	unsigned int pmajor, pminor;
	size_t i;

	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/partition", major,
		 minor);
	if (!read_attr(path, part, sizeof(part))) {
		/* the disk's identity, and which partition of it */
		snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/../dev",
			 major, minor);
		if (read_attr(path, value, sizeof(value)) ||
		    sscanf(value, "%u:%u", &pmajor, &pminor) != 2 ||
		    device_identity(pmajor, pminor, value, sizeof(value)))
			return -ENOENT;
		return (size_t)snprintf(buf, len, "%s:part%s", value, part) <
			       len ? 0 : -ENOENT;
	}
	for (i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
		snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/%s", major,
			 minor, attrs[i].attr);
		if (read_attr(path, value, sizeof(value)))
			continue;
		return (size_t)snprintf(buf, len, "%s:%s", attrs[i].kind,
					value) < len ? 0 : -ENOENT;
	}
	return -ENOENT;
}

static uint64_t fnv1a(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * FNV_PRIME;
	return h;
}

void mirror_id_hash(const char *a, const char *b, char out[33])
{
	uint64_t h1 = fnv1a(FNV_OFFSET, a), h2 = fnv1a(FNV_OFFSET2, a);

	/* a NUL between the two, so that ("ab", "c") != ("a", "bc") */
	h1 = fnv1a((h1 ^ 0) * FNV_PRIME, b);
	h2 = fnv1a((h2 ^ 0) * FNV_PRIME, b);
	snprintf(out, 33, "%016" PRIx64 "%016" PRIx64, h1, h2);
}

int mirror_id_of(uint32_t src_major, uint32_t src_minor, uint32_t dst_major,
		 uint32_t dst_minor, char out[33])
{
	char src[IDENTITY_MAX], dst[IDENTITY_MAX];

	if (device_identity(src_major, src_minor, src, sizeof(src)) ||
	    device_identity(dst_major, dst_minor, dst, sizeof(dst)))
		return -ENOENT;
	mirror_id_hash(src, dst, out);
	return 0;
}
