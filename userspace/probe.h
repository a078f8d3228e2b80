/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * probe.h - signatures on a destination (the only user of libblkid)
 */
#ifndef MIRRORCTL_PROBE_H
#define MIRRORCTL_PROBE_H

#include <stddef.h>

/*
 * probe_signature - does @path carry a filesystem, RAID, LVM or partition
 * table signature that start would overwrite?
 * @what: receives what was found, e.g. "ext4", "LVM2_member",
 *        "linux_raid_member", "partition table gpt"
 *
 * Returns 1 (found), 0 (none), or -errno (with a message).
 */
int probe_signature(const char *path, char *what, size_t len);

#endif /* MIRRORCTL_PROBE_H */
