// SPDX-License-Identifier: GPL-2.0-only
/*
 * dm.c - the device-mapper ioctl interface
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <libdevmapper.h>
#include <linux/dm-ioctl.h>	/* DM_NAME_LEN */

#include "dm.h"
#include "errors.h"
#include "log.h"

#define DEV_MAPPER_DIR		"/dev/mapper/"
#define UDEV_CONTROL		"/run/udev/control"

/* libdevmapper's private log levels (libdm/misc/dm-logging.h). */
#define DMCTL_LOG_LEVEL_MASK	0x7
#define DMCTL_LOG_ERR		3

/*
 * The first error libdevmapper logged since dmctl_clear_error(): usually the
 * root cause ("/dev/mapper/control: open failed: No such device"), where
 * the later ones are consequences ("Incompatible libdevmapper ...").
 */
static char dm_first_error[256];

static void dmctl_clear_error(void)
{
	dm_first_error[0] = '\0';
}

static void dmctl_log(int level, const char *file, int line,
		      int dm_errno_or_class, const char *f, ...)
{
	char msg[256];
	va_list ap;

	(void)dm_errno_or_class;
	va_start(ap, f);
	vsnprintf(msg, sizeof(msg), f, ap);
	va_end(ap);

	if ((level & DMCTL_LOG_LEVEL_MASK) <= DMCTL_LOG_ERR && !dm_first_error[0])
		snprintf(dm_first_error, sizeof(dm_first_error), "%s", msg);

	/* "<backtrace>" marks a failing call site; noise without the source. */
	if (strcmp(msg, "<backtrace>"))
		log_dbg("libdevmapper %s:%d: %s", file, line, msg);
}

void dmctl_init(void)
{
	dm_log_with_errno_init(dmctl_log);

	if (access(UDEV_CONTROL, F_OK)) {
		log_dbg("udev not running (%s absent), no udev sync",
			UDEV_CONTROL);
		dm_udev_set_sync_support(0);
	}
}

void dmctl_exit(void)
{
	dm_lib_release();
}

const char *dmctl_name_from_arg(const char *device)
{
	if (!strncmp(device, DEV_MAPPER_DIR, strlen(DEV_MAPPER_DIR))) {
		const char *name = device + strlen(DEV_MAPPER_DIR);

		/* /dev/mapper/x/y is no dm name; let stat() judge it. */
		return strchr(name, '/') ? NULL : name;
	}
	return strchr(device, '/') ? NULL : device;
}

/* Why libdevmapper failed: its first error if it logged one, else @err. */
static const char *dmctl_why(int err)
{
	if (dm_first_error[0])
		return dm_first_error;
	return strerror(err ? err : EIO);
}

/* Find the device number behind a path; only dm devices qualify. */
static int dmctl_path_devno(const char *device, dev_t *devno)
{
	struct stat st;

	if (stat(device, &st)) {
		if (errno == ENOENT || errno == ENOTDIR) {
			log_err("%s: no such device", device);
			return -ENODEV;
		}
		log_err("%s: cannot stat: %s", device, strerror(errno));
		return -errno;
	}
	if (!S_ISBLK(st.st_mode)) {
		log_err("%s: not a block device", device);
		return -MCTL_EPRECOND;
	}
	if (!dm_is_dm_major(major(st.st_rdev))) {
		log_err("%s: not a device-mapper device (%u:%u)", device,
			major(st.st_rdev), minor(st.st_rdev));
		return -MCTL_EPRECOND;
	}
	*devno = st.st_rdev;
	return 0;
}

static int dmctl_check_name(const char *device, const char *name)
{
	if (!*name) {
		log_err("%s: empty device name", *device ? device : "\"\"");
		return -MCTL_EUSAGE;
	}
	if (strlen(name) >= DM_NAME_LEN) {
		log_err("%s: device name longer than %d characters", device,
			DM_NAME_LEN - 1);
		return -MCTL_EUSAGE;
	}
	return 0;
}

/* Create a task of @type aimed at @device, by name or by number. */
static int dmctl_task_create(const char *device, int type,
			     struct dm_task **out)
{
	const char *name = dmctl_name_from_arg(device);
	struct dm_task *dmt;
	dev_t devno = 0;
	int r, ok;

	r = name ? dmctl_check_name(device, name) :
		   dmctl_path_devno(device, &devno);
	if (r)
		return r;

	dmctl_clear_error();
	errno = 0;
	dmt = dm_task_create(type);
	if (!dmt) {
		/* Fails when /dev/mapper/control cannot be opened, too. */
		r = errno ? -errno : -ENOMEM;
		if (r == -ENOMEM)
			log_err("device-mapper request: %s", strerror(ENOMEM));
		else
			log_err("device-mapper driver not available: %s",
				dmctl_why(-r));
		return r;
	}

	if (name)
		ok = dm_task_set_name(dmt, name);
	else
		ok = dm_task_set_major(dmt, major(devno)) &&
		     dm_task_set_minor(dmt, minor(devno));
	if (!ok || !dm_task_no_open_count(dmt)) {
		log_err("%s: cannot prepare device-mapper request: %s", device,
			dmctl_why(EINVAL));
		dm_task_destroy(dmt);
		return -EINVAL;
	}

	*out = dmt;
	return 0;
}

/* Run @dmt and make sure it found a device. */
static int dmctl_task_run(const char *device, struct dm_task *dmt,
			  struct dm_info *info)
{
	int err;

	dmctl_clear_error();
	if (!dm_task_run(dmt)) {
		err = dm_task_get_errno(dmt);
		if (err == ENXIO || err == ENODEV) {
			log_err("%s: no such device", device);
			return -ENODEV;
		}
		log_err("%s: device-mapper request failed: %s", device,
			dmctl_why(err));
		return err ? -err : -EIO;
	}
	if (!dm_task_get_info(dmt, info)) {
		log_err("%s: cannot read device-mapper reply: %s", device,
			dmctl_why(EIO));
		return -EIO;
	}
	/* A missing device is a successful ioctl with exists == 0. */
	if (!info->exists) {
		log_err("%s: no such device", device);
		return -ENODEV;
	}
	return 0;
}

static int dmctl_add_segment(struct dmctl_table_status *ts, uint64_t start,
			     uint64_t length, const char *type,
			     const char *params)
{
	struct dmctl_segment *seg, *segs;

	segs = realloc(ts->segments, (ts->nr_segments + 1) * sizeof(*segs));
	if (!segs)
		return -ENOMEM;
	ts->segments = segs;

	seg = &segs[ts->nr_segments];
	seg->start = start;
	seg->length = length;
	seg->target_type = strdup(type);
	seg->params = strdup(params ? params : "");
	/* Count it even if half-built, so the free path sees it. */
	ts->nr_segments++;
	if (!seg->target_type || !seg->params)
		return -ENOMEM;
	return 0;
}

static int dmctl_collect(struct dm_task *dmt, const struct dm_info *info,
			 struct dmctl_table_status **out)
{
	struct dmctl_table_status *ts;
	uint64_t start, length;
	char *type, *params;
	void *next = NULL;
	int r = 0;

	ts = calloc(1, sizeof(*ts));
	if (!ts)
		return -ENOMEM;
	ts->major = info->major;
	ts->minor = info->minor;
	ts->name = strdup(dm_task_get_name(dmt));
	if (!ts->name)
		r = -ENOMEM;

	do {
		type = NULL;
		next = dm_get_next_target(dmt, next, &start, &length, &type,
					  &params);
		if (type && !r)
			r = dmctl_add_segment(ts, start, length, type, params);
	} while (next);

	if (r) {
		log_err("%s: cannot store table status: %s", ts->name ?
			ts->name : "device-mapper", strerror(-r));
		dmctl_table_status_free(ts);
		return r;
	}
	*out = ts;
	return 0;
}

int dmctl_get_status(const char *device, struct dmctl_table_status **out)
{
	struct dm_task *dmt;
	struct dm_info info;
	int r;

	r = dmctl_task_create(device, DM_DEVICE_STATUS, &dmt);
	if (r)
		return r;

	r = dmctl_task_run(device, dmt, &info);
	if (!r)
		r = dmctl_collect(dmt, &info, out);
	dm_task_destroy(dmt);
	if (r)
		return r;

	log_verbose("%s: dm device %s (%u:%u), %zu segment(s)", device,
		    (*out)->name, (*out)->major, (*out)->minor,
		    (*out)->nr_segments);
	return 0;
}

void dmctl_table_status_free(struct dmctl_table_status *ts)
{
	size_t i;

	if (!ts)
		return;
	for (i = 0; i < ts->nr_segments; i++) {
		free(ts->segments[i].target_type);
		free(ts->segments[i].params);
	}
	free(ts->segments);
	free(ts->name);
	free(ts);
}
