/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dm.h - the device-mapper ioctl interface
 *
 * The only part of mirrorctl that includes libdevmapper.h; everything else
 * sees plain C types.  A DEVICE (DESIGN.md §2) is accepted as
 *
 *   NAME               a dm name, e.g. "vg-disk0"
 *   /dev/mapper/NAME   the same, looked up by name (no node needed)
 *   any other path     e.g. /dev/dm-3 or /dev/vg/disk0: a block device node,
 *                      looked up by its major:minor
 *
 * Functions print their own error messages ("mirrorctl: DEVICE: why") and
 * return -errno or -MCTL_E* (errors.h).  Not thread-safe: libdevmapper keeps
 * global state.
 */
#ifndef MIRRORCTL_DM_H
#define MIRRORCTL_DM_H

#include <stddef.h>
#include <stdint.h>

/* One line of a device's live table, with its status. */
struct dmctl_segment {
	uint64_t start;		/* 512-byte sectors */
	uint64_t length;	/* 512-byte sectors */
	char *target_type;	/* e.g. "mirrorlive", "linear" */
	char *params;		/* the target's INFO status, "" if none */
};

/* The live table status of one dm device. */
struct dmctl_table_status {
	char *name;		/* the dm name, whatever form DEVICE took */
	uint32_t major;
	uint32_t minor;
	size_t nr_segments;	/* 0 when no table is loaded */
	struct dmctl_segment *segments;
};

/*
 * dmctl_init - set up libdevmapper; call once before any other dmctl_*()
 *
 * Routes libdevmapper's messages to log_dbg() (shown with --debug only; its
 * errors are otherwise reported by the caller with context), and disables
 * udev synchronisation when udev is not running (/run/udev/control absent),
 * as in an initramfs or a container: libdevmapper would otherwise wait for
 * udev to acknowledge cookies that nobody will ever acknowledge.
 */
void dmctl_init(void);

/* dmctl_exit - release libdevmapper's resources (control fd, caches) */
void dmctl_exit(void);

/*
 * dmctl_name_from_arg - the dm name a DEVICE argument designates
 * @device: the argument as given
 *
 * Returns a pointer into @device -- @device itself for a plain name, the
 * part after "/dev/mapper/" for such a path -- or NULL when @device is a
 * path whose node must be stat()ed to find the device.  Pure function.
 */
const char *dmctl_name_from_arg(const char *device);

/*
 * dmctl_get_status - read the status of every segment of a device's table
 * @device: a DEVICE argument, see above
 * @out: on success, a new struct dmctl_table_status; free it with
 *       dmctl_table_status_free()
 *
 * Returns 0 or:
 *   -ENODEV          no such device (nothing at the path, or no dm device
 *                    with that name or number)
 *   -MCTL_EPRECOND   the path is not a block device, or not a dm device
 *   -MCTL_EUSAGE     the name can never be a dm name (empty, too long)
 *   other -errno     the device-mapper driver is missing or refused
 */
int dmctl_get_status(const char *device, struct dmctl_table_status **out);

/* dmctl_table_status_free - free dmctl_get_status()'s result; NULL is ok */
void dmctl_table_status_free(struct dmctl_table_status *ts);

#endif /* MIRRORCTL_DM_H */
