/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dm.h - the device-mapper ioctl interface
 *
 * The only part of mirrorctl that includes libdevmapper.h; everything else
 * sees plain C types. A DEVICE (Documentation/interface.rst, section 7.2) is
 * accepted as
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

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "table.h"

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
 * dmctl_check_access - can this process talk to device-mapper at all?
 *
 * Before an action's first request, so that the operator reads the cause
 * rather than the failure of whatever came first: 0; or -EPERM when
 * /dev/mapper/control cannot be opened for reading and writing with our
 * credentials ("... device-mapper needs root"); or -ENODEV when the
 * running kernel has no device-mapper (no control node, and none in
 * /proc/misc for libdevmapper to create: "... modprobe dm_mod").  Any
 * other answer is left to the requests themselves.
 */
int dmctl_check_access(void);

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
 * @out: on success, a new struct table (table.h) of the live table's lines,
 *       each with the target's INFO status as its params ("" if none), no
 *       lines when no table is loaded, and the device's dm name, major and
 *       minor; free it with table_free()
 *
 * Returns 0 or:
 *   -ENODEV          no such device (nothing at the path, or no dm device
 *                    with that name or number)
 *   -MCTL_EPRECOND   the path is not a block device, or not a dm device
 *   -MCTL_EUSAGE     the name can never be a dm name (empty, too long)
 *   other -errno     the device-mapper driver is missing or refused
 */
int dmctl_get_status(const char *device, struct table **out);

/* What DM_DEVICE_INFO says about a device. */
struct dmctl_info {
	char name[128];		/* the dm name */
	char uuid[129];		/* the dm UUID, "" if none */
	uint32_t major;
	uint32_t minor;
	bool suspended;
	bool live_table;
	bool inactive_table;
	int32_t open_count;
	uint32_t event_nr;
};

/*
 * dmctl_get_info - DM_DEVICE_INFO, with the open count
 *
 * Returns 0, or the errors of dmctl_get_status().
 */
int dmctl_get_info(const char *device, struct dmctl_info *info);

/*
 * dmctl_get_table - DM_DEVICE_TABLE: the live (or inactive) table
 * @out: a new table on success (no lines when none is loaded), naming the
 *       device as dmctl_get_status() does; table_free()
 *
 * Returns 0, or the errors of dmctl_get_status().
 */
int dmctl_get_table(const char *device, bool inactive, struct table **out);

/*
 * dmctl_load - DM_DEVICE_RELOAD: load @t as the inactive table
 *
 * The kernel's reason for refusing a table goes to its log only; the
 * message here names the errno.  Returns 0 or -errno.
 */
int dmctl_load(const char *device, const struct table *t);

/*
 * dmctl_suspend - DM_DEVICE_SUSPEND, without freezing a filesystem on it
 * (the table swap keeps every block where it is, so there is nothing for
 * the filesystem to flush); waits for the I/O in flight.
 */
int dmctl_suspend(const char *device);

/*
 * dmctl_resume - DM_DEVICE_RESUME: make the inactive table live, if one is
 * loaded, and resume.  Uses a udev cookie and waits for udev when udev
 * runs (dmctl_init()).
 */
int dmctl_resume(const char *device);

/* dmctl_clear - DM_DEVICE_CLEAR: drop the inactive table */
int dmctl_clear(const char *device);

/*
 * dmctl_message - DM_DEVICE_TARGET_MSG: send @msg to the target at @sector
 *
 * Returns 0 or -errno (-EINVAL: the target refused the message).
 */
int dmctl_message(const char *device, uint64_t sector, const char *msg);

/*
 * dmctl_message_result - dmctl_message() for a message that answers: the
 * target's result (dmsetup message prints it) into @result, "" when it
 * gave none; cut short at @len - 1 characters.
 */
int dmctl_message_result(const char *device, uint64_t sector,
			 const char *msg, char *result, size_t len);

/*
 * dmctl_wait_event - DM_DEVICE_WAITEVENT: block until the device's event
 * counter differs from @event_nr
 *
 * Returns 0 once it does, -EINTR (without a message) when a signal
 * interrupted the wait, or another -errno.
 */
int dmctl_wait_event(const char *device, uint32_t event_nr);

/*
 * dmctl_check_new_name - can @name be the name of a new dm device?
 * Returns 0, or -MCTL_EUSAGE with a message (empty, too long, a '/').
 */
int dmctl_check_new_name(const char *name);

/*
 * dmctl_create - DM_DEVICE_CREATE a device @name with table @t, resumed,
 * with its /dev/mapper node; with dm UUID @uuid unless NULL
 *
 * Returns 0, -EEXIST when a device of that name (or UUID) exists, or
 * -errno.
 */
int dmctl_create(const char *name, const char *uuid, const struct table *t);

/*
 * dmctl_find_holder - the dm device whose table uses block device
 * @major:@minor (DM_DEVICE_LIST, then DM_DEVICE_DEPS of each device)
 * @name: receives the first holder's name
 *
 * Returns 0 when one was found, -ENOENT when none, or -errno.
 */
int dmctl_find_holder(uint32_t major, uint32_t minor, char *name,
		      size_t len);

/*
 * dmctl_list - DM_DEVICE_LIST: the names of every dm device
 * @names: a NULL-terminated array; free with dmctl_names_free()
 */
int dmctl_list(char ***names);
void dmctl_names_free(char **names);

/*
 * dmctl_target_available - is target @target registered in the kernel?
 * (DM_DEVICE_LIST_VERSIONS).  Returns 1, 0, or -errno.
 */
int dmctl_target_available(const char *target);

/* dmctl_is_dm_major - is @major the device-mapper's block major? */
bool dmctl_is_dm_major(uint32_t major);

#endif /* MIRRORCTL_DM_H */
