/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * blockdev.h - block devices: what start checks about a destination
 *
 * Plain syscalls and sysfs; nothing here talks to device-mapper or
 * libblkid.  Functions print their own "mirrorctl: <dev>: <why>" messages
 * where they say so, and return 0 or -errno / -MCTL_E*.
 */
#ifndef MIRRORCTL_BLOCKDEV_H
#define MIRRORCTL_BLOCKDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct blockdev {
	const char *path;		/* as given */
	uint32_t major;
	uint32_t minor;
	uint64_t size_bytes;
	unsigned int logical_block_size;
};

/*
 * blockdev_get - stat and open (read-only, shared) a block device to learn
 * its number, size and logical block size.
 *
 * Prints a message and returns -ENODEV (nothing at the path),
 * -MCTL_EPRECOND (not a block device), or -errno.
 */
int blockdev_get(const char *path, struct blockdev *bd);

/*
 * blockdev_open_exclusive - can @path be opened with O_EXCL?  That fails
 * while something holds the device exclusively: a mounted filesystem, a
 * dm table, md, another O_EXCL opener.  Returns 0, -EBUSY, or -errno;
 * prints nothing.
 */
int blockdev_open_exclusive(const char *path);

/*
 * blockdev_sysfs_lbs - the logical block size of @major:@minor from sysfs;
 * 0 and -errno when it cannot be read.  Prints nothing.
 */
int blockdev_sysfs_lbs(uint32_t major, uint32_t minor, unsigned int *lbs);

/* blockdev_sysfs_sectors - the size of @major:@min in 512-byte sectors */
int blockdev_sysfs_sectors(uint32_t major, uint32_t minor, uint64_t *sectors);

/*
 * blockdev_nbd_timeout - whether @major:@minor is an NBD device and, if
 * so, its request timeout: 1 and the timeout in *@jiffies (0: none, a
 * request to a server that stopped answering waits forever), 0 for a
 * device that is no NBD device, -ENOENT for an NBD device whose timeout
 * cannot be read (the kernel shows it in debugfs only).  Prints nothing.
 */
int blockdev_nbd_timeout(uint32_t major, uint32_t minor, uint64_t *jiffies);

/*
 * blockdev_whole_disk - the device number of the disk that partition
 * @major:@minor is on, or @major:@minor itself when it is no partition.
 */
void blockdev_whole_disk(uint32_t major, uint32_t minor, uint32_t *wmajor,
			 uint32_t *wminor);

/*
 * blockdev_parse_devno - parse "major:minor" as the kernel prints devices
 * in tables.  Returns 0 or -EINVAL.
 */
int blockdev_parse_devno(const char *s, uint32_t *major, uint32_t *minor);

/*
 * blockdev_name - a readable name for a table device "major:minor":
 * "/dev/mapper/NAME" for a dm device, "/dev/KNAME" for others, and the
 * argument itself when sysfs does not know it.  Always fills @buf.
 */
void blockdev_name(const char *dev, char *buf, size_t len);

#endif /* MIRRORCTL_BLOCKDEV_H */
