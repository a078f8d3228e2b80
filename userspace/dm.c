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

/* Create a task of @type with no device set. */
static int dmctl_task_new(int type, struct dm_task **out)
{
	struct dm_task *dmt;
	int r;

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
	*out = dmt;
	return 0;
}

/*
 * Create a task of @type aimed at @device, by name or by number; the open
 * count is only asked for when @open_count.
 */
static int dmctl_task_create_ex(const char *device, int type, bool open_count,
				struct dm_task **out)
{
	const char *name = dmctl_name_from_arg(device);
	struct dm_task *dmt;
	dev_t devno = 0;
	int r, ok;

	r = name ? dmctl_check_name(device, name) :
		   dmctl_path_devno(device, &devno);
	if (!r)
		r = dmctl_task_new(type, &dmt);
	if (r)
		return r;

	if (name)
		ok = dm_task_set_name(dmt, name);
	else
		ok = dm_task_set_major(dmt, major(devno)) &&
		     dm_task_set_minor(dmt, minor(devno));
	if (ok && !open_count)
		ok = dm_task_no_open_count(dmt);
	if (!ok) {
		log_err("%s: cannot prepare device-mapper request: %s", device,
			dmctl_why(EINVAL));
		dm_task_destroy(dmt);
		return -EINVAL;
	}

	*out = dmt;
	return 0;
}

static int dmctl_task_create(const char *device, int type,
			     struct dm_task **out)
{
	return dmctl_task_create_ex(device, type, false, out);
}

/*
 * Run @dmt and make sure it found a device; @what names the request in
 * the error message ("cannot <what>: <why>").
 */
static int dmctl_task_run_what(const char *device, struct dm_task *dmt,
			       struct dm_info *info, const char *what)
{
	int err;

	dmctl_clear_error();
	if (!dm_task_run(dmt)) {
		err = dm_task_get_errno(dmt);
		if (err == ENXIO || err == ENODEV) {
			log_err("%s: no such device", device);
			return -ENODEV;
		}
		if (what)
			log_err("%s: cannot %s: %s", device, what,
				err ? strerror(err) : dmctl_why(err));
		else
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

static int dmctl_task_run(const char *device, struct dm_task *dmt,
			  struct dm_info *info)
{
	return dmctl_task_run_what(device, dmt, info, NULL);
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

	log_dbg("%s: dm device %s (%u:%u), %zu segment(s)", device,
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

/* ------------------------------------------------------------------ */
/* info, table */

int dmctl_get_info(const char *device, struct dmctl_info *out)
{
	struct dm_task *dmt;
	struct dm_info info;
	int r;

	r = dmctl_task_create_ex(device, DM_DEVICE_INFO, true, &dmt);
	if (r)
		return r;
	r = dmctl_task_run(device, dmt, &info);
	if (!r) {
		memset(out, 0, sizeof(*out));
		snprintf(out->name, sizeof(out->name), "%s",
			 dm_task_get_name(dmt));
		out->major = info.major;
		out->minor = info.minor;
		out->suspended = info.suspended;
		out->live_table = info.live_table;
		out->inactive_table = info.inactive_table;
		out->open_count = info.open_count;
		out->event_nr = info.event_nr;
	}
	dm_task_destroy(dmt);
	return r;
}

int dmctl_get_table(const char *device, bool inactive, struct table **out)
{
	uint64_t start, length;
	char *type, *params;
	struct dm_task *dmt;
	struct dm_info info;
	void *next = NULL;
	struct table *t;
	int r;

	r = dmctl_task_create(device, DM_DEVICE_TABLE, &dmt);
	if (r)
		return r;
	if (inactive && !dm_task_query_inactive_table(dmt)) {
		log_err("%s: cannot ask for the inactive table: %s", device,
			dmctl_why(EINVAL));
		dm_task_destroy(dmt);
		return -EINVAL;
	}
	r = dmctl_task_run_what(device, dmt, &info, "read the table");
	t = r ? NULL : table_new();
	if (!r && !t)
		r = -ENOMEM;
	while (!r) {
		type = NULL;
		next = dm_get_next_target(dmt, next, &start, &length, &type,
					  &params);
		if (type)
			r = table_add(t, start, length, type, params);
		if (!next)
			break;
	}
	dm_task_destroy(dmt);
	if (r == -ENOMEM)
		log_err("%s: cannot store the table: %s", device,
			strerror(ENOMEM));
	if (r) {
		table_free(t);
		return r;
	}
	*out = t;
	return 0;
}

/* ------------------------------------------------------------------ */
/* load, suspend, resume, clear, message */

static int dmctl_add_targets(struct dm_task *dmt, const struct table *t)
{
	size_t i;

	for (i = 0; i < t->nr; i++) {
		const struct table_line *l = &t->lines[i];

		if (!dm_task_add_target(dmt, l->start, l->length, l->target,
					l->params))
			return -ENOMEM;
	}
	return 0;
}

int dmctl_load(const char *device, const struct table *t)
{
	struct dm_task *dmt;
	struct dm_info info;
	int r;

	r = dmctl_task_create(device, DM_DEVICE_RELOAD, &dmt);
	if (r)
		return r;
	r = dmctl_add_targets(dmt, t);
	if (r)
		log_err("%s: cannot prepare the table: %s", device,
			strerror(-r));
	else
		r = dmctl_task_run_what(device, dmt, &info, "load the table");
	dm_task_destroy(dmt);
	return r;
}

int dmctl_suspend(const char *device)
{
	struct dm_task *dmt;
	struct dm_info info;
	int r;

	r = dmctl_task_create(device, DM_DEVICE_SUSPEND, &dmt);
	if (r)
		return r;
	if (!dm_task_skip_lockfs(dmt)) {
		log_err("%s: cannot prepare suspend: %s", device,
			dmctl_why(EINVAL));
		r = -EINVAL;
	} else {
		r = dmctl_task_run_what(device, dmt, &info, "suspend");
	}
	dm_task_destroy(dmt);
	return r;
}

/*
 * Run @dmt with a udev cookie, and wait for udev to process the event
 * (or, without udev, for libdevmapper to create the nodes itself).
 */
static int dmctl_run_with_cookie(const char *device, struct dm_task *dmt,
				 struct dm_info *info, const char *what)
{
	uint32_t cookie = 0;
	int r;

	if (!dm_task_set_cookie(dmt, &cookie, 0)) {
		log_err("%s: cannot set up udev synchronisation: %s", device,
			dmctl_why(EINVAL));
		return -EINVAL;
	}
	r = dmctl_task_run_what(device, dmt, info, what);
	/* Even after a failure: the cookie's semaphore must go. */
	if (!dm_udev_wait(cookie))
		log_verbose("%s: waiting for udev failed", device);
	return r;
}

int dmctl_resume(const char *device)
{
	struct dm_task *dmt;
	struct dm_info info;
	int r;

	r = dmctl_task_create(device, DM_DEVICE_RESUME, &dmt);
	if (r)
		return r;
	if (!dm_task_skip_lockfs(dmt)) {
		log_err("%s: cannot prepare resume: %s", device,
			dmctl_why(EINVAL));
		r = -EINVAL;
	} else {
		r = dmctl_run_with_cookie(device, dmt, &info, "resume");
	}
	dm_task_destroy(dmt);
	return r;
}

int dmctl_clear(const char *device)
{
	struct dm_task *dmt;
	struct dm_info info;
	int r;

	r = dmctl_task_create(device, DM_DEVICE_CLEAR, &dmt);
	if (r)
		return r;
	r = dmctl_task_run_what(device, dmt, &info, "clear the inactive table");
	dm_task_destroy(dmt);
	return r;
}

int dmctl_message(const char *device, uint64_t sector, const char *msg)
{
	struct dm_task *dmt;
	struct dm_info info;
	char what[96];
	int r;

	r = dmctl_task_create(device, DM_DEVICE_TARGET_MSG, &dmt);
	if (r)
		return r;
	snprintf(what, sizeof(what), "send message \"%s\"", msg);
	if (!dm_task_set_sector(dmt, sector) || !dm_task_set_message(dmt, msg)) {
		log_err("%s: cannot prepare message: %s", device,
			dmctl_why(ENOMEM));
		r = -ENOMEM;
	} else {
		r = dmctl_task_run_what(device, dmt, &info, what);
	}
	dm_task_destroy(dmt);
	return r;
}

/* ------------------------------------------------------------------ */
/* events */

int dmctl_wait_event(const char *device, uint32_t event_nr)
{
	struct dm_task *dmt;
	int r, err;

	r = dmctl_task_create(device, DM_DEVICE_WAITEVENT, &dmt);
	if (r)
		return r;
	if (!dm_task_set_event_nr(dmt, event_nr)) {
		log_err("%s: cannot prepare the wait: %s", device,
			dmctl_why(EINVAL));
		dm_task_destroy(dmt);
		return -EINVAL;
	}
	dmctl_clear_error();
	if (dm_task_run(dmt)) {
		dm_task_destroy(dmt);
		return 0;
	}
	err = dm_task_get_errno(dmt);
	dm_task_destroy(dmt);
	if (err == EINTR)
		return -EINTR;	/* the caller's timer or a signal */
	if (err == ENXIO || err == ENODEV) {
		log_err("%s: no such device", device);
		return -ENODEV;
	}
	log_err("%s: cannot wait for an event: %s", device,
		err ? strerror(err) : dmctl_why(err));
	return err ? -err : -EIO;
}

/* ------------------------------------------------------------------ */
/* create */

/* Is there a device called @name?  1, 0, or -errno (with a message). */
static int dmctl_exists(const char *name)
{
	struct dm_task *dmt;
	struct dm_info info;
	int r;

	r = dmctl_task_create(name, DM_DEVICE_INFO, &dmt);
	if (r)
		return r;
	dmctl_clear_error();
	if (!dm_task_run(dmt) || !dm_task_get_info(dmt, &info)) {
		r = dm_task_get_errno(dmt);
		r = r ? -r : -EIO;
		log_err("%s: device-mapper request failed: %s", name,
			dmctl_why(-r));
	} else {
		r = !!info.exists;
	}
	dm_task_destroy(dmt);
	return r;
}

int dmctl_check_new_name(const char *name)
{
	int r = dmctl_check_name(name, name);

	if (!r && strchr(name, '/')) {
		log_err("%s: a device name cannot contain '/'", name);
		r = -MCTL_EUSAGE;
	}
	return r;
}

int dmctl_create(const char *name, const struct table *t)
{
	char node[sizeof(DEV_MAPPER_DIR) + DM_NAME_LEN];
	struct dm_task *dmt;
	struct dm_info info;
	int r;

	r = dmctl_check_new_name(name);
	if (!r)
		r = dmctl_exists(name);
	if (r > 0)
		return -EEXIST;
	if (!r)
		r = dmctl_task_new(DM_DEVICE_CREATE, &dmt);
	if (r)
		return r;
	if (!dm_task_set_name(dmt, name))
		r = -ENOMEM;
	if (!r)
		r = dmctl_add_targets(dmt, t);
	if (r) {
		log_err("%s: cannot prepare the device: %s", name, strerror(-r));
		dm_task_destroy(dmt);
		return r;
	}
	r = dmctl_run_with_cookie(name, dmt, &info, "create the device");
	dm_task_destroy(dmt);
	if (r == -EBUSY)
		r = -EEXIST;	/* the kernel's answer to a taken name */
	if (r)
		return r;

	/* Without udev nothing may have made the node yet. */
	snprintf(node, sizeof(node), "%s%s", DEV_MAPPER_DIR, name);
	if (access(node, F_OK) && !dm_mknodes(name))
		log_verbose("%s: cannot create %s", name, node);
	return 0;
}

/* ------------------------------------------------------------------ */
/* list, deps, versions */

void dmctl_names_free(char **names)
{
	size_t i;

	for (i = 0; names && names[i]; i++)
		free(names[i]);
	free(names);
}

int dmctl_list(char ***out)
{
	struct dm_names *n;
	struct dm_task *dmt;
	char **names = NULL, **tmp;
	size_t nr = 0;
	unsigned int next = 0;
	int r;

	r = dmctl_task_new(DM_DEVICE_LIST, &dmt);
	if (r)
		return r;
	dmctl_clear_error();
	if (!dm_task_run(dmt)) {
		r = dm_task_get_errno(dmt) ? -dm_task_get_errno(dmt) : -EIO;
		log_err("device-mapper: cannot list devices: %s",
			dmctl_why(-r));
		goto out;
	}
	names = calloc(1, sizeof(*names));
	n = dm_task_get_names(dmt);
	if (!names || !n) {
		r = -ENOMEM;
		goto out_nomem;
	}
	/* An empty list is one entry with dev == 0. */
	if (n->dev) {
		do {
			n = (struct dm_names *)((char *)n + next);
			tmp = realloc(names, (nr + 2) * sizeof(*names));
			if (!tmp) {
				r = -ENOMEM;
				goto out_nomem;
			}
			names = tmp;
			names[nr + 1] = NULL;
			names[nr] = strdup(n->name);
			if (!names[nr]) {
				r = -ENOMEM;
				goto out_nomem;
			}
			nr++;
			next = n->next;
		} while (next);
	}
	*out = names;
	names = NULL;
	goto out;
out_nomem:
	log_err("device-mapper: cannot list devices: %s", strerror(ENOMEM));
out:
	dmctl_names_free(names);
	dm_task_destroy(dmt);
	return r;
}

/* Does @name's table use @devno?  1 yes, 0 no, -errno. */
static int dmctl_uses(const char *name, dev_t devno)
{
	struct dm_task *dmt;
	struct dm_deps *deps;
	struct dm_info info;
	uint32_t i;
	int r;

	r = dmctl_task_create(name, DM_DEVICE_DEPS, &dmt);
	if (r)
		return r;
	dmctl_clear_error();
	if (!dm_task_run(dmt) || !dm_task_get_info(dmt, &info)) {
		/* Gone since the list: it uses nothing. */
		r = dm_task_get_errno(dmt) == ENXIO ? 0 : -EIO;
		if (r)
			log_err("%s: cannot read its dependencies: %s", name,
				dmctl_why(EIO));
		goto out;
	}
	deps = info.exists ? dm_task_get_deps(dmt) : NULL;
	for (i = 0; deps && i < deps->count; i++) {
		if (major(deps->device[i]) == major(devno) &&
		    minor(deps->device[i]) == minor(devno)) {
			r = 1;
			break;
		}
	}
out:
	dm_task_destroy(dmt);
	return r;
}

int dmctl_find_holder(uint32_t maj, uint32_t min, char *name, size_t len)
{
	char **names;
	size_t i;
	int r;

	r = dmctl_list(&names);
	if (r)
		return r;
	r = -ENOENT;
	for (i = 0; names[i] && r == -ENOENT; i++) {
		int u = dmctl_uses(names[i], makedev(maj, min));

		if (u < 0)
			r = u;
		else if (u) {
			snprintf(name, len, "%s", names[i]);
			r = 0;
		}
	}
	dmctl_names_free(names);
	return r;
}

int dmctl_target_available(const char *target)
{
	struct dm_versions *v;
	struct dm_task *dmt;
	unsigned int next = 0;
	int r;

	r = dmctl_task_new(DM_DEVICE_LIST_VERSIONS, &dmt);
	if (r)
		return r;
	dmctl_clear_error();
	if (!dm_task_run(dmt)) {
		r = dm_task_get_errno(dmt) ? -dm_task_get_errno(dmt) : -EIO;
		log_err("device-mapper: cannot list targets: %s", dmctl_why(-r));
		dm_task_destroy(dmt);
		return r;
	}
	v = dm_task_get_versions(dmt);
	do {
		v = (struct dm_versions *)((char *)v + next);
		if (!strcmp(v->name, target))
			r = 1;
		next = v->next;
	} while (next && !r);
	dm_task_destroy(dmt);
	return r;
}

bool dmctl_is_dm_major(uint32_t maj)
{
	return dm_is_dm_major(maj);
}
