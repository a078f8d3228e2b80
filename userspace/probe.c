// SPDX-License-Identifier: GPL-2.0-only
/*
 * probe.c - signatures on a destination (the only user of libblkid)
 *
 * Like cryptsetup's utils_blkid.c: one low-level probe over superblocks
 * (filesystems, RAID members, LVM physical volumes, swap ...) and partition
 * tables, so that start never overwrites something an operator may still
 * want without --force.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <blkid.h>

#include "log.h"
#include "probe.h"

int probe_signature(const char *path, char *what, size_t len)
{
	const char *type = NULL;
	blkid_probe pr;
	int r;

	errno = 0;
	pr = blkid_new_probe_from_filename(path);
	if (!pr) {
		r = errno ? -errno : -ENOMEM;
		log_err("%s: cannot probe for signatures: %s", path,
			strerror(-r));
		return r;
	}
	blkid_probe_enable_superblocks(pr, 1);
	blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE |
					  BLKID_SUBLKS_BADCSUM);
	blkid_probe_enable_partitions(pr, 1);
	blkid_probe_set_partitions_flags(pr, BLKID_PARTS_MAGIC);

	r = blkid_do_safeprobe(pr);
	switch (r) {
	case 0:		/* one signature */
		if (!blkid_probe_lookup_value(pr, "TYPE", &type, NULL))
			snprintf(what, len, "%s", type);
		else if (!blkid_probe_lookup_value(pr, "PTTYPE", &type, NULL))
			snprintf(what, len, "partition table %s", type);
		else
			snprintf(what, len, "unknown");
		r = 1;
		break;
	case 1:		/* nothing */
		r = 0;
		break;
	case -2:	/* several, contradicting each other */
		snprintf(what, len, "several signatures");
		r = 1;
		break;
	default:
		log_err("%s: cannot probe for signatures: %s", path,
			strerror(EIO));
		r = -EIO;
		break;
	}
	blkid_free_probe(pr);
	log_dbg("%s: blkid: %s", path, r == 1 ? what : "no signature");
	return r;
}
