// SPDX-License-Identifier: GPL-2.0-only
/*
 * dm.c - the device-mapper ioctl interface
 */
#include <errno.h>
#include <fcntl.h>
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
#define DM_CONTROL		DEV_MAPPER_DIR "control"

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

/* Does /proc/misc list device-mapper (dm_mod loaded, or built in)? */
static bool dmctl_in_proc_misc(void)
{
	char line[128];
	bool found = false;
	FILE *f = fopen("/proc/misc", "re");

	if (!f)
		return true;	/* cannot tell: let libdevmapper try */
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, " device-mapper\n") != NULL;
	fclose(f);
	return found;
}

int dmctl_check_access(void)
{
	if (!faccessat(AT_FDCWD, DM_CONTROL, R_OK | W_OK, AT_EACCESS))
		return 0;
	if (errno == EACCES || errno == EPERM) {
		log_err("%s: %s: device-mapper needs root (run mirrorctl as "
			"root)", DM_CONTROL, strerror(errno));
		return -EPERM;
	}
	if (errno == ENOENT && !dmctl_in_proc_misc()) {
		log_err("%s: no such device, and the kernel has no "
			"device-mapper: load it with modprobe dm_mod",
			DM_CONTROL);
		return -ENODEV;
	}
	return 0;
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

/*
 * The -errno of a task that failed: the ioctl's errno, or -EIO when there
 * is none (libdevmapper failed before or after the ioctl).
 */
static int dmctl_task_errno(struct dm_task *dmt)
{
	int err = dm_task_get_errno(dmt);

	return err ? -err : -EIO;
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
 * Report that running @dmt failed: "no such device" when the kernel did not
 * find it (-ENODEV), else "cannot <what>: <why>" (the generic "device-mapper
 * request failed: <why>" when @what is NULL) and the task's -errno.
 */
static int dmctl_run_failed(const char *device, struct dm_task *dmt,
			    const char *what)
{
	int err = dm_task_get_errno(dmt);

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
	return dmctl_task_errno(dmt);
}

/*
 * Run @dmt and make sure it found a device; @what names the request in
 * the error message, as in dmctl_run_failed().
 */
static int dmctl_task_run(const char *device, struct dm_task *dmt,
			  struct dm_info *info, const char *what)
{
	dmctl_clear_error();
	if (!dm_task_run(dmt))
		return dmctl_run_failed(device, dmt, what);
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

/*
 * dmctl_task_run() with a udev cookie, and wait for udev to process the
 * event (or, without udev, for libdevmapper to create the nodes itself).
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
	r = dmctl_task_run(device, dmt, info, what);
	/* Even after a failure: the cookie's semaphore must go. */
	if (!dm_udev_wait(cookie))
		log_verbose("%s: waiting for udev failed", device);
	return r;
}

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

/*
 * One request to one device, as dmctl_simple() runs it.  Only .type is
 * required; the options that are set are applied before the run, each
 * refused one reported with its own message.
 */
struct dmctl_request {
	int type;			/* DM_DEVICE_* */
	const char *what;		/* "cannot <what>"; NULL: generic message */
	bool open_count;		/* ask for the device's open count */
	bool skip_lockfs;		/* suspend/resume without freezing an fs
					 * (needs .what for its message) */
	bool inactive;			/* TABLE: read the inactive table */
	bool udev_sync;			/* run with a udev cookie, wait for udev */
	const struct table *load;	/* RELOAD: the table to load */
	const char *message;		/* TARGET_MSG: the message... */
	uint64_t sector;		/* ...for the target at this sector */
	/*
	 * Takes the reply of a run that found the device (@out is .out);
	 * returns 0 or -errno, with a message.
	 */
	int (*reply)(const char *device, struct dm_task *dmt,
		     const struct dm_info *info, void *out);
	void *out;
};

/* Apply @req's options to @dmt: 0, or -errno with a message. */
static int dmctl_task_options(const char *device, struct dm_task *dmt,
			      const struct dmctl_request *req)
{
	int r;

	if (req->skip_lockfs && !dm_task_skip_lockfs(dmt)) {
		log_err("%s: cannot prepare %s: %s", device, req->what,
			dmctl_why(EINVAL));
		return -EINVAL;
	}
	if (req->inactive && !dm_task_query_inactive_table(dmt)) {
		log_err("%s: cannot ask for the inactive table: %s", device,
			dmctl_why(EINVAL));
		return -EINVAL;
	}
	if (req->message && (!dm_task_set_sector(dmt, req->sector) ||
			     !dm_task_set_message(dmt, req->message))) {
		log_err("%s: cannot prepare message: %s", device,
			dmctl_why(ENOMEM));
		return -ENOMEM;
	}
	if (req->load) {
		r = dmctl_add_targets(dmt, req->load);
		if (r) {
			log_err("%s: cannot prepare the table: %s", device,
				strerror(-r));
			return r;
		}
	}
	return 0;
}

/*
 * Run @req on @device, as lvm2's dmsetup _simple() does: create a task
 * aimed at the device, apply the request's options, run it, make sure it
 * found the device, hand the reply to @req->reply, and destroy the task.
 * Every failure is reported (naming @req->what); returns 0 or -errno.
 */
static int dmctl_simple(const char *device, const struct dmctl_request *req)
{
	struct dm_task *dmt;
	struct dm_info info;
	int r;

	r = dmctl_task_create_ex(device, req->type, req->open_count, &dmt);
	if (r)
		return r;
	r = dmctl_task_options(device, dmt, req);
	if (!r && req->udev_sync)
		r = dmctl_run_with_cookie(device, dmt, &info, req->what);
	else if (!r)
		r = dmctl_task_run(device, dmt, &info, req->what);
	if (!r && req->reply)
		r = req->reply(device, dmt, &info, req->out);
	dm_task_destroy(dmt);
	return r;
}

/* ------------------------------------------------------------------ */
/* status, info, table */

/*
 * The lines of a STATUS or TABLE reply: a new table at @out, naming the
 * device.  Returns 0 or -ENOMEM.
 */
static int dmctl_read_lines(struct dm_task *dmt, const struct dm_info *info,
			    struct table **out)
{
	uint64_t start, length;
	char *type, *params;
	void *next = NULL;
	struct table *t;
	int r;

	t = table_new();
	if (!t)
		return -ENOMEM;
	t->major = info->major;
	t->minor = info->minor;
	t->name = strdup(dm_task_get_name(dmt));
	r = t->name ? 0 : -ENOMEM;
	while (!r) {
		type = NULL;
		next = dm_get_next_target(dmt, next, &start, &length, &type,
					  &params);
		if (type)
			r = table_add(t, start, length, type, params);
		if (!next)
			break;
	}
	if (r) {
		table_free(t);
		return r;
	}
	*out = t;
	return 0;
}

/* The reply of DM_DEVICE_STATUS: a new struct table at @out. */
static int dmctl_reply_status(const char *device, struct dm_task *dmt,
			      const struct dm_info *info, void *out)
{
	int r = dmctl_read_lines(dmt, info, out);

	(void)device;
	if (r)
		log_err("%s: cannot store table status: %s",
			dm_task_get_name(dmt), strerror(-r));
	return r;
}

int dmctl_get_status(const char *device, struct table **out)
{
	const struct dmctl_request req = {
		.type = DM_DEVICE_STATUS,
		.reply = dmctl_reply_status,
		.out = out,
	};
	int r;

	r = dmctl_simple(device, &req);
	if (r)
		return r;
	log_dbg("%s: dm device %s (%u:%u), %zu segment(s)", device,
		    (*out)->name, (*out)->major, (*out)->minor, (*out)->nr);
	return 0;
}

/* The reply of DM_DEVICE_INFO, into the struct dmctl_info at @out. */
static int dmctl_reply_info(const char *device, struct dm_task *dmt,
			    const struct dm_info *info, void *out)
{
	struct dmctl_info *di = out;
	const char *uuid;

	(void)device;
	memset(di, 0, sizeof(*di));
	snprintf(di->name, sizeof(di->name), "%s", dm_task_get_name(dmt));
	uuid = dm_task_get_uuid(dmt);
	snprintf(di->uuid, sizeof(di->uuid), "%s", uuid ? uuid : "");
	di->major = info->major;
	di->minor = info->minor;
	di->suspended = info->suspended;
	di->live_table = info->live_table;
	di->inactive_table = info->inactive_table;
	di->open_count = info->open_count;
	di->event_nr = info->event_nr;
	return 0;
}

int dmctl_get_info(const char *device, struct dmctl_info *info)
{
	const struct dmctl_request req = {
		.type = DM_DEVICE_INFO,
		.open_count = true,
		.reply = dmctl_reply_info,
		.out = info,
	};

	return dmctl_simple(device, &req);
}

/* The reply of DM_DEVICE_TABLE: a new struct table at @out. */
static int dmctl_reply_table(const char *device, struct dm_task *dmt,
			     const struct dm_info *info, void *out)
{
	int r = dmctl_read_lines(dmt, info, out);

	if (r)
		log_err("%s: cannot store the table: %s", device,
			strerror(-r));
	return r;
}

int dmctl_get_table(const char *device, bool inactive, struct table **out)
{
	const struct dmctl_request req = {
		.type = DM_DEVICE_TABLE,
		.what = "read the table",
		.inactive = inactive,
		.reply = dmctl_reply_table,
		.out = out,
	};

	return dmctl_simple(device, &req);
}

/* ------------------------------------------------------------------ */
/* load, suspend, resume, clear, message */

int dmctl_load(const char *device, const struct table *t)
{
	const struct dmctl_request req = {
		.type = DM_DEVICE_RELOAD,
		.what = "load the table",
		.load = t,
	};

	return dmctl_simple(device, &req);
}

int dmctl_suspend(const char *device)
{
	const struct dmctl_request req = {
		.type = DM_DEVICE_SUSPEND,
		.what = "suspend",
		.skip_lockfs = true,
	};

	return dmctl_simple(device, &req);
}

int dmctl_resume(const char *device)
{
	const struct dmctl_request req = {
		.type = DM_DEVICE_RESUME,
		.what = "resume",
		.skip_lockfs = true,
		.udev_sync = true,
	};

	return dmctl_simple(device, &req);
}

int dmctl_clear(const char *device)
{
	const struct dmctl_request req = {
		.type = DM_DEVICE_CLEAR,
		.what = "clear the inactive table",
	};

	return dmctl_simple(device, &req);
}

/* Where a message's result goes (struct dmctl_request.out). */
struct dmctl_result_buf {
	char *buf;
	size_t len;
};

/* The reply of DM_DEVICE_TARGET_MSG: the target's result, if any. */
static int dmctl_reply_message(const char *device, struct dm_task *dmt,
			       const struct dm_info *info, void *out)
{
	const struct dmctl_result_buf *res = out;
	const char *text = dm_task_get_message_response(dmt);

	(void)device;
	(void)info;
	snprintf(res->buf, res->len, "%s", text ? text : "");
	return 0;
}

int dmctl_message_result(const char *device, uint64_t sector,
			 const char *msg, char *result, size_t len)
{
	struct dmctl_result_buf res = { result, len };
	char what[96];
	const struct dmctl_request req = {
		.type = DM_DEVICE_TARGET_MSG,
		.what = what,
		.message = msg,
		.sector = sector,
		.reply = result ? dmctl_reply_message : NULL,
		.out = &res,
	};

	snprintf(what, sizeof(what), "send message \"%s\"", msg);
	return dmctl_simple(device, &req);
}

int dmctl_message(const char *device, uint64_t sector, const char *msg)
{
	return dmctl_message_result(device, sector, msg, NULL, 0);
}

/* ------------------------------------------------------------------ */
/* events */

int dmctl_wait_event(const char *device, uint32_t event_nr)
{
	struct dm_task *dmt;
	int r;

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
	if (dm_task_run(dmt))
		r = 0;
	else if (dmctl_task_errno(dmt) == -EINTR)
		r = -EINTR;	/* the caller's timer or a signal: no message */
	else
		r = dmctl_run_failed(device, dmt, "wait for an event");
	dm_task_destroy(dmt);
	return r;
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
		r = dmctl_task_errno(dmt);
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

int dmctl_create(const char *name, const char *uuid, const struct table *t)
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
	if (!dm_task_set_name(dmt, name) || (uuid && !dm_task_set_uuid(dmt, uuid)))
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
		r = dmctl_task_errno(dmt);
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
		r = dmctl_task_errno(dmt) == -ENXIO ? 0 : -EIO;
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
		r = dmctl_task_errno(dmt);
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
