/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * identity.h - who a mirror's legs are, for the mirror_id of its record
 *
 * A persistent mirror's record must not be taken up for other devices
 * (Documentation/metadata-format.rst, section 4): the kernel compares its
 * geometry, and the table's mirror_id (Documentation/interface.rst, 1.2)
 * with the one the record was formatted with. mirrorctl derives that id
 * from the identities of the two legs, the way udev names disks that
 * keep their name across reboots:
 *
 *   a dm device         its dm UUID                      "dm-uuid:..."
 *   an NVMe namespace   /sys/dev/block/M:m/wwid           "wwid:..."
 *   a SCSI disk         .../device/wwid                   "wwid:..."
 *   a virtio disk       /sys/dev/block/M:m/serial         "serial:..."
 *   a loop device       its backing file                  "loop:..."
 *   a partition         its disk's identity + ":part<N>"
 *
 * A device with none of these (a ramdisk, a virtio disk without a serial)
 * has no identity: the mirror then gets no mirror_id, and only the
 * geometry tells its record apart. The id is a 128-bit hash of the two
 * identities (two FNV-1a 64 hashes with distinct offsets): a check
 * against mistakes, not against an adversary who writes the record.
 */
#ifndef MIRRORCTL_IDENTITY_H
#define MIRRORCTL_IDENTITY_H

#include <stddef.h>
#include <stdint.h>

#define IDENTITY_MAX	256

/* The identity of block device @major:@minor; -ENOENT when it has none. */
int device_identity(uint32_t major, uint32_t minor, char *buf, size_t len);

/*
 * mirror_id_of() - the mirror_id (32 lower-case hex digits and a NUL) of
 * a mirror of @src onto @dst.
 * Return: 0, or -ENOENT when either leg has no identity (no mirror_id).
 */
int mirror_id_of(uint32_t src_major, uint32_t src_minor, uint32_t dst_major,
		 uint32_t dst_minor, char out[33]);

/* The hash itself, for the unit tests: @a and @b as the id's digits. */
void mirror_id_hash(const char *a, const char *b, char out[33]);

#endif /* MIRRORCTL_IDENTITY_H */
