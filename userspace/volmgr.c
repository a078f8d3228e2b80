// SPDX-License-Identifier: GPL-2.0-only
/*
 * volmgr.c - dm devices that a volume manager owns (see volmgr.h)
 */
#include <ctype.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "volmgr.h"

/*
 * The prefixes, from the managers' sources: lvm2 (lib/misc/lvm-string.h,
 * UUID_PREFIX "LVM-"), multipath-tools' kpartx ("part<N>-" before the
 * parent's UUID), dmraid ("DMRAID-"), stratisd ("stratis-").  dm-crypt
 * ("CRYPT-") and multipath ("mpath-") devices are not linear, which start
 * refuses anyway.
 */
static const struct volmgr volmgrs[] = {
	{ "LVM-", false, "LVM", "pvmove (or lvconvert --type raid1 -m1, then split)" },
	{ "part", true, "kpartx", "a migration of the whole parent device" },
	{ "DMRAID-", false, "dmraid", "the RAID set's own rebuild" },
	{ "stratis-", false, "Stratis", "stratis pool add-data, then removing "
	  "the old block device" },
};

/* kpartx's prefix is "part", its partition number, then "-": numbered. */
static bool prefix_matches(const struct volmgr *m, const char *uuid)
{
	size_t n = strlen(m->uuid_prefix);
	const char *p;

	if (strncmp(uuid, m->uuid_prefix, n))
		return false;
	if (!m->numbered)
		return true;
	p = uuid + n;
	if (!isdigit((unsigned char)*p))
		return false;
	while (isdigit((unsigned char)*p))
		p++;
	return *p == '-';
}

const struct volmgr *volmgr_of_uuid(const char *uuid)
{
	size_t i;

	if (!uuid)
		return NULL;
	for (i = 0; i < sizeof(volmgrs) / sizeof(volmgrs[0]); i++)
		if (prefix_matches(&volmgrs[i], uuid))
			return &volmgrs[i];
	return NULL;
}
