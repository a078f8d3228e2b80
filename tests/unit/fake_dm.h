/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fake_dm.h - a fake libdevmapper (and stat()) for unit tests
 *
 * Include from exactly one test file per binary.  The linker redirects the
 * library's calls to the __wrap_* functions below: the Makefile turns each
 * line "unit-wrap: SYMBOL" of this comment into -Wl,--wrap=SYMBOL for the
 * tests that depend on this header.  A test describes what the fake kernel
 * and filesystem answer in a struct fake_setup, calls fake_reset() with it,
 * and checks afterwards how the code under test addressed the device
 * (fake.set_name, fake.set_major/minor, fake.stat_calls) and that it
 * destroyed every task it created (fake.tasks_live == 0).
 *
 * unit-wrap: dm_log_with_errno_init
 * unit-wrap: dm_udev_set_sync_support
 * unit-wrap: dm_lib_release
 * unit-wrap: dm_is_dm_major
 * unit-wrap: dm_task_create
 * unit-wrap: dm_task_destroy
 * unit-wrap: dm_task_set_name
 * unit-wrap: dm_task_set_uuid
 * unit-wrap: dm_task_set_major
 * unit-wrap: dm_task_set_minor
 * unit-wrap: dm_task_no_open_count
 * unit-wrap: dm_task_run
 * unit-wrap: dm_task_get_errno
 * unit-wrap: dm_task_get_info
 * unit-wrap: dm_task_get_name
 * unit-wrap: dm_task_get_uuid
 * unit-wrap: dm_get_next_target
 * unit-wrap: stat
 * unit-wrap: dm_task_add_target
 * unit-wrap: dm_task_set_cookie
 * unit-wrap: dm_udev_wait
 * unit-wrap: dm_task_skip_lockfs
 * unit-wrap: dm_task_query_inactive_table
 * unit-wrap: dm_task_set_event_nr
 * unit-wrap: dm_task_set_message
 * unit-wrap: dm_task_set_sector
 * unit-wrap: dm_task_get_message_response
 * unit-wrap: dm_task_get_names
 * unit-wrap: dm_task_get_deps
 * unit-wrap: dm_task_get_versions
 * unit-wrap: dm_mknodes
 * unit-wrap: dmctl_check_access
 *
 * The fake kernel holds one device; every name and number addresses it.
 * It answers STATUS with the targets' params (params_suspended while
 * suspended, params_after once a WAITEVENT returned), TABLE with their
 * table params (the inactive TABLE with what was loaded), INFO with the
 * setup's counters, LIST with setup.list, DEPS with setup.deps, and
 * LIST_VERSIONS with mirrorlive unless setup.no_mirrorlive.  Requests that
 * change something are logged in fake.ops ("load vm1;suspend vm1;...");
 * setup.fail_type makes the first request of that type fail.
 *
 * The inactive table is what was loaded (setup.inactive_targets before any
 * load); INFO reports one while it is there (or setup.inactive says so).
 * A RELOAD loads one, CLEAR and RESUME drop it; with setup.swap_on_resume
 * a RESUME makes it the live table, as the kernel does.
 *
 * Messages are logged ("message vm1 0 verify start"); a message to the
 * target at index i answers setup.response[i] (dmsetup message's result;
 * NULL: none).  Once a "verify start" or "verify repair" was sent, target
 * i's STATUS is setup.verify_params[i] when set, until a WAITEVENT makes
 * it params_after.  With setup.raise_on_wait, a WAITEVENT raises that
 * signal, as an operator would while mirrorctl waits.
 */
#ifndef MIRRORCTL_FAKE_DM_H
#define MIRRORCTL_FAKE_DM_H

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <libdevmapper.h>

#include "unit.h"

#define FAKE_MAX_TARGETS	3
#define FAKE_MAX_LIST		4

struct fake_target {
	uint64_t start;
	uint64_t length;
	const char *type;
	const char *params;	/* NULL: the target reported nothing */
	const char *table;	/* TABLE params; NULL: "" */
	const char *params_suspended;	/* STATUS while suspended, if set */
	const char *params_after;	/* STATUS after a WAITEVENT, if set */
	const char *params_second;	/* STATUS from the second on, if set */
};

/* What the fake kernel and filesystem answer. */
struct fake_setup {
	int stat_errno;			/* stat() fails with this */
	mode_t stat_mode;		/* S_IFBLK, S_IFCHR ... */
	unsigned int stat_major, stat_minor;
	int is_dm_major;
	int access_ret;			/* dmctl_check_access()'s answer */
	int create_errno;		/* dm_task_create() fails */
	const char *create_log;		/* libdevmapper error logged then */
	int run_errno;			/* dm_task_run() fails; -1: errno 0 */
	const char *run_log;
	int not_exists;			/* run succeeds, info.exists == 0 */
	const char *name;		/* the dm name the kernel reports */
	const char *uuid;		/* its dm UUID; NULL: none */
	unsigned int major, minor;
	size_t nr_targets;
	struct fake_target targets[FAKE_MAX_TARGETS];
	int32_t open_count;
	uint32_t event_nr;
	int suspended;			/* INFO says so */
	int inactive;			/* INFO: an inactive table is loaded */
	const char *list[FAKE_MAX_LIST];	/* DM_DEVICE_LIST */
	unsigned int deps_major, deps_minor;	/* DEPS: one device, if set */
	int no_mirrorlive;		/* LIST_VERSIONS lacks mirrorlive */
	int fail_type;			/* DM_DEVICE_* + 1 that fails... */
	int fail_errno;			/* ...with this errno */
	int change_inactive;		/* someone else loads another table */
	size_t nr_inactive;		/* an inactive table at the start */
	struct fake_target inactive_targets[FAKE_MAX_TARGETS];
	int swap_on_resume;		/* RESUME makes the loaded table live */
	/* STATUS of target i once a verify pass was started, if set */
	const char *verify_params[FAKE_MAX_TARGETS];
	/* the result of a message to target i; NULL: none */
	const char *response[FAKE_MAX_TARGETS];
	int raise_on_wait;		/* WAITEVENT raises this signal first */
};

static struct {
	const struct fake_setup *setup;
	dm_log_with_errno_fn log_fn;
	int udev_sync;			/* -1: never set */
	int tasks_live;
	int tasks_created;
	int stat_calls;
	char set_name[256];
	char set_uuid[256];
	int set_major, set_minor;
	int run_failed_errno;
	int type;			/* of the live task */
	int inactive_query;
	int suspended;
	int waits;
	int status_calls;
	int failed_once;
	char msg[128];
	uint64_t sector;
	int verify_started;		/* "verify start|repair" was sent */
	char ops[1024];			/* what was changed, in order */
	size_t nr_loaded;
	struct fake_target loaded[FAKE_MAX_TARGETS];
	char loaded_text[FAKE_MAX_TARGETS][2][128];
	int inactive;			/* an inactive table is loaded */
	int swapped;			/* the live table is live[] */
	size_t nr_live;
	struct fake_target live[FAKE_MAX_TARGETS];
	char live_text[FAKE_MAX_TARGETS][2][128];
	char names_buf[512];
	char versions_buf[256];
	char deps_buf[64];
} fake;

static char fake_task_storage;
#define FAKE_TASK	((struct dm_task *)&fake_task_storage)

static void fake_reset(const struct fake_setup *setup)
{
	memset(&fake, 0, sizeof(fake));
	fake.setup = setup;
	fake.udev_sync = -1;
	fake.set_major = -1;
	fake.set_minor = -1;
	fake.suspended = setup->suspended;
	fake.nr_loaded = setup->nr_inactive;
	memcpy(fake.loaded, setup->inactive_targets, sizeof(fake.loaded));
	fake.inactive = setup->inactive || setup->nr_inactive;
}

/* RESUME with a loaded table and setup.swap_on_resume: it becomes live. */
static void fake_swap_live(void)
{
	size_t i;

	for (i = 0; i < fake.nr_loaded; i++) {
		snprintf(fake.live_text[i][0], sizeof(fake.live_text[i][0]),
			 "%s", fake.loaded[i].type);
		snprintf(fake.live_text[i][1], sizeof(fake.live_text[i][1]),
			 "%s", fake.loaded[i].table);
		fake.live[i] = (struct fake_target){ fake.loaded[i].start,
			fake.loaded[i].length, fake.live_text[i][0], "",
			fake.live_text[i][1], NULL, NULL, NULL };
	}
	fake.nr_live = fake.nr_loaded;
	fake.swapped = 1;
}

static void fake_op(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fake_op(const char *fmt, ...)
{
	size_t len = strlen(fake.ops);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(fake.ops + len, sizeof(fake.ops) - len, fmt, ap);
	va_end(ap);
	len = strlen(fake.ops);
	snprintf(fake.ops + len, sizeof(fake.ops) - len, ";");
}

static void fake_log_error(const char *msg)
{
	/* libdevmapper logs errors at level 3, backtraces at 7. */
	if (msg && fake.log_fn) {
		fake.log_fn(3, "fake.c", 1, -1, "%s", msg);
		fake.log_fn(7, "fake.c", 2, 0, "<backtrace>");
		fake.log_fn(3, "fake.c", 3, -1, "%s", "a consequence, not the cause");
	}
}

void __wrap_dm_log_with_errno_init(dm_log_with_errno_fn fn)
{
	fake.log_fn = fn;
}

void __wrap_dm_udev_set_sync_support(int sync_with_udev)
{
	fake.udev_sync = sync_with_udev;
}

void __wrap_dm_lib_release(void)
{
}

int __wrap_dm_is_dm_major(uint32_t major)
{
	(void)major;
	return fake.setup->is_dm_major;
}

int __wrap_stat(const char *path, struct stat *st)
{
	(void)path;
	fake.stat_calls++;
	if (fake.setup->stat_errno) {
		errno = fake.setup->stat_errno;
		return -1;
	}
	memset(st, 0, sizeof(*st));
	st->st_mode = fake.setup->stat_mode | 0600;
	st->st_rdev = makedev(fake.setup->stat_major, fake.setup->stat_minor);
	return 0;
}

struct dm_task *__wrap_dm_task_create(int type)
{
	fake.type = type;
	fake.inactive_query = 0;
	if (type == DM_DEVICE_RELOAD || type == DM_DEVICE_CREATE)
		fake.nr_loaded = 0;
	if (fake.setup->create_errno) {
		fake_log_error(fake.setup->create_log);
		errno = fake.setup->create_errno;
		return NULL;
	}
	fake.tasks_created++;
	fake.tasks_live++;
	return FAKE_TASK;
}

void __wrap_dm_task_destroy(struct dm_task *dmt)
{
	assert_ptr_equal(dmt, FAKE_TASK);
	fake.tasks_live--;
}

int __wrap_dm_task_set_name(struct dm_task *dmt, const char *name)
{
	assert_ptr_equal(dmt, FAKE_TASK);
	snprintf(fake.set_name, sizeof(fake.set_name), "%s", name);
	return 1;
}

int __wrap_dm_task_set_uuid(struct dm_task *dmt, const char *uuid)
{
	assert_ptr_equal(dmt, FAKE_TASK);
	snprintf(fake.set_uuid, sizeof(fake.set_uuid), "%s", uuid);
	return 1;
}

int __wrap_dm_task_set_major(struct dm_task *dmt, int major)
{
	assert_ptr_equal(dmt, FAKE_TASK);
	fake.set_major = major;
	return 1;
}

int __wrap_dm_task_set_minor(struct dm_task *dmt, int minor)
{
	assert_ptr_equal(dmt, FAKE_TASK);
	fake.set_minor = minor;
	return 1;
}

int __wrap_dm_task_no_open_count(struct dm_task *dmt)
{
	assert_ptr_equal(dmt, FAKE_TASK);
	return 1;
}

static const char *fake_name(void)
{
	return fake.set_name[0] ? fake.set_name : "?";
}

/* What a request that succeeds changes in the fake kernel. */
static void fake_apply(void)
{
	size_t i;

	switch (fake.type) {
	case DM_DEVICE_RELOAD:
		fake.inactive = 1;
		fake_op("load %s", fake_name());
		for (i = 0; i < fake.nr_loaded; i++)
			fake_op("  %llu %llu %s %s",
				(unsigned long long)fake.loaded[i].start,
				(unsigned long long)fake.loaded[i].length,
				fake.loaded[i].type, fake.loaded[i].table);
		break;
	case DM_DEVICE_SUSPEND:
		fake_op("suspend %s", fake_name());
		fake.suspended = 1;
		break;
	case DM_DEVICE_RESUME:
		fake_op("resume %s", fake_name());
		fake.suspended = 0;
		if (fake.inactive && fake.setup->swap_on_resume)
			fake_swap_live();
		fake.inactive = 0;
		break;
	case DM_DEVICE_CLEAR:
		fake_op("clear %s", fake_name());
		fake.nr_loaded = 0;
		fake.inactive = 0;
		break;
	case DM_DEVICE_TARGET_MSG:
		fake_op("message %s %llu %s", fake_name(),
			(unsigned long long)fake.sector, fake.msg);
		if (!strcmp(fake.msg, "verify start") ||
		    !strcmp(fake.msg, "verify repair"))
			fake.verify_started = 1;
		break;
	case DM_DEVICE_CREATE:
		if (fake.set_uuid[0])
			fake_op("create %s uuid %s", fake_name(), fake.set_uuid);
		else
			fake_op("create %s", fake_name());
		for (i = 0; i < fake.nr_loaded; i++)
			fake_op("  %llu %llu %s %s",
				(unsigned long long)fake.loaded[i].start,
				(unsigned long long)fake.loaded[i].length,
				fake.loaded[i].type, fake.loaded[i].table);
		break;
	case DM_DEVICE_WAITEVENT:
		/* the operator's Ctrl-C, while mirrorctl waits */
		if (fake.setup->raise_on_wait)
			raise(fake.setup->raise_on_wait);
		fake.waits++;
		break;
	}
}

int __wrap_dm_task_run(struct dm_task *dmt)
{
	int err = fake.setup->run_errno;

	assert_ptr_equal(dmt, FAKE_TASK);
	if (fake.setup->fail_type == fake.type + 1 && !fake.failed_once) {
		fake.failed_once = 1;
		err = fake.setup->fail_errno;
	}
	if (!err) {
		fake.status_calls += fake.type == DM_DEVICE_STATUS;
		fake_apply();
		return 1;
	}
	fake_log_error(fake.setup->run_log);
	fake.run_failed_errno = err < 0 ? 0 : err;
	return 0;
}

int __wrap_dm_task_add_target(struct dm_task *dmt, uint64_t start,
			      uint64_t size, const char *ttype,
			      const char *params)
{
	size_t i = fake.nr_loaded;

	assert_ptr_equal(dmt, FAKE_TASK);
	assert_true(i < FAKE_MAX_TARGETS);
	snprintf(fake.loaded_text[i][0], sizeof(fake.loaded_text[i][0]), "%s",
		 ttype);
	snprintf(fake.loaded_text[i][1], sizeof(fake.loaded_text[i][1]), "%s",
		 params);
	fake.loaded[i] = (struct fake_target){ start, size,
		fake.loaded_text[i][0], NULL, fake.loaded_text[i][1],
		NULL, NULL, NULL };
	fake.nr_loaded++;
	return 1;
}

int __wrap_dm_task_set_cookie(struct dm_task *dmt, uint32_t *cookie,
			      uint16_t flags)
{
	assert_ptr_equal(dmt, FAKE_TASK);
	(void)flags;
	*cookie = 0;
	return 1;
}

int __wrap_dm_udev_wait(uint32_t cookie)
{
	(void)cookie;
	return 1;
}

int __wrap_dm_task_skip_lockfs(struct dm_task *dmt)
{
	assert_ptr_equal(dmt, FAKE_TASK);
	return 1;
}

int __wrap_dm_task_query_inactive_table(struct dm_task *dmt)
{
	assert_ptr_equal(dmt, FAKE_TASK);
	fake.inactive_query = 1;
	return 1;
}

int __wrap_dm_task_set_event_nr(struct dm_task *dmt, uint32_t event_nr)
{
	assert_ptr_equal(dmt, FAKE_TASK);
	(void)event_nr;
	return 1;
}

int __wrap_dm_task_set_message(struct dm_task *dmt, const char *msg)
{
	assert_ptr_equal(dmt, FAKE_TASK);
	snprintf(fake.msg, sizeof(fake.msg), "%s", msg);
	return 1;
}

int __wrap_dm_task_set_sector(struct dm_task *dmt, uint64_t sector)
{
	assert_ptr_equal(dmt, FAKE_TASK);
	fake.sector = sector;
	return 1;
}

/* The result of the message to the live target at fake.sector. */
const char *__wrap_dm_task_get_message_response(struct dm_task *dmt)
{
	size_t i;

	assert_ptr_equal(dmt, FAKE_TASK);
	for (i = 0; i < fake.setup->nr_targets; i++)
		if (fake.setup->targets[i].start == fake.sector)
			return fake.setup->response[i];
	return NULL;
}

int __wrap_dm_mknodes(const char *name)
{
	(void)name;
	return 1;
}

/* The host's /dev/mapper/control is not the fake's: as told, said as is. */
int __wrap_dmctl_check_access(void)
{
	if (fake.setup->access_ret)
		fprintf(stderr, "mirrorctl: fake: no device-mapper (%d)\n",
			fake.setup->access_ret);
	return fake.setup->access_ret;
}

struct dm_names *__wrap_dm_task_get_names(struct dm_task *dmt)
{
	struct dm_names *n = NULL;
	size_t off = 0, i, len;

	assert_ptr_equal(dmt, FAKE_TASK);
	memset(fake.names_buf, 0, sizeof(fake.names_buf));
	for (i = 0; i < FAKE_MAX_LIST && fake.setup->list[i]; i++) {
		if (n)
			n->next = off - ((char *)n - fake.names_buf);
		n = (struct dm_names *)(fake.names_buf + off);
		n->dev = 253 << 8 | i;
		strcpy(n->name, fake.setup->list[i]);
		len = sizeof(*n) + strlen(n->name) + 1;
		off += (len + 7) & ~(size_t)7;
	}
	return (struct dm_names *)fake.names_buf;
}

struct dm_deps *__wrap_dm_task_get_deps(struct dm_task *dmt)
{
	struct dm_deps *d = (struct dm_deps *)fake.deps_buf;

	assert_ptr_equal(dmt, FAKE_TASK);
	memset(fake.deps_buf, 0, sizeof(fake.deps_buf));
	if (fake.setup->deps_major) {
		d->count = 1;
		d->device[0] = makedev(fake.setup->deps_major,
				       fake.setup->deps_minor);
	}
	return d;
}

struct dm_versions *__wrap_dm_task_get_versions(struct dm_task *dmt)
{
	struct dm_versions *v = (struct dm_versions *)fake.versions_buf;

	assert_ptr_equal(dmt, FAKE_TASK);
	memset(fake.versions_buf, 0, sizeof(fake.versions_buf));
	strcpy(v->name, "linear");
	if (!fake.setup->no_mirrorlive) {
		v->next = 64;
		v = (struct dm_versions *)(fake.versions_buf + 64);
		strcpy(v->name, "mirrorlive");
	}
	return (struct dm_versions *)fake.versions_buf;
}

int __wrap_dm_task_get_errno(struct dm_task *dmt)
{
	assert_ptr_equal(dmt, FAKE_TASK);
	return fake.run_failed_errno;
}

int __wrap_dm_task_get_info(struct dm_task *dmt, struct dm_info *info)
{
	assert_ptr_equal(dmt, FAKE_TASK);
	memset(info, 0, sizeof(*info));
	/* A created device exists, whatever the lookup before said. */
	info->exists = !fake.setup->not_exists || fake.type == DM_DEVICE_CREATE;
	info->major = fake.setup->major;
	info->minor = fake.setup->minor;
	info->target_count = fake.swapped ? fake.nr_live : fake.setup->nr_targets;
	info->open_count = fake.setup->open_count;
	info->event_nr = fake.setup->event_nr + fake.waits;
	info->suspended = fake.suspended;
	info->inactive_table = fake.inactive;
	info->live_table = info->target_count > 0;
	return 1;
}

const char *__wrap_dm_task_get_name(const struct dm_task *dmt)
{
	assert_ptr_equal(dmt, FAKE_TASK);
	return fake.setup->name;
}

const char *__wrap_dm_task_get_uuid(const struct dm_task *dmt)
{
	assert_ptr_equal(dmt, FAKE_TASK);
	return fake.setup->uuid ? fake.setup->uuid : "";
}

/* Same contract as libdevmapper: NULL next = first; returns the next. */
void *__wrap_dm_get_next_target(struct dm_task *dmt, void *next,
				uint64_t *start, uint64_t *length,
				char **target_type, char **params)
{
	bool inactive = fake.type == DM_DEVICE_TABLE && fake.inactive_query;
	size_t i = (uintptr_t)next;
	const struct fake_target *live = fake.swapped ? fake.live :
					 fake.setup->targets;
	size_t nr = inactive ? fake.nr_loaded :
		    fake.swapped ? fake.nr_live : fake.setup->nr_targets;
	const struct fake_target *t;

	assert_ptr_equal(dmt, FAKE_TASK);
	if (i >= nr) {
		*start = *length = 0;
		*target_type = *params = NULL;
		return NULL;
	}
	t = inactive ? &fake.loaded[i] : &live[i];
	*start = t->start;
	*length = t->length;
	*target_type = (char *)t->type;
	if (fake.type == DM_DEVICE_TABLE)
		*params = (char *)(t->table ? t->table : "");
	else if (fake.suspended && t->params_suspended)
		*params = (char *)t->params_suspended;
	else if (fake.waits && t->params_after)
		*params = (char *)t->params_after;
	else if (fake.verify_started && !fake.swapped && !inactive &&
		 fake.setup->verify_params[i])
		*params = (char *)fake.setup->verify_params[i];
	else if (fake.status_calls > 1 && t->params_second)
		*params = (char *)t->params_second;
	else
		*params = (char *)t->params;
	if (inactive && fake.setup->change_inactive)
		*params = (char *)"7:9 0";
	return i + 1 < nr ? (void *)(uintptr_t)(i + 1) : NULL;
}

#endif /* MIRRORCTL_FAKE_DM_H */
