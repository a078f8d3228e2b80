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
 * unit-wrap: dm_task_set_major
 * unit-wrap: dm_task_set_minor
 * unit-wrap: dm_task_no_open_count
 * unit-wrap: dm_task_run
 * unit-wrap: dm_task_get_errno
 * unit-wrap: dm_task_get_info
 * unit-wrap: dm_task_get_name
 * unit-wrap: dm_get_next_target
 * unit-wrap: stat
 */
#ifndef MIRRORCTL_FAKE_DM_H
#define MIRRORCTL_FAKE_DM_H

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <libdevmapper.h>

#include "unit.h"

#define FAKE_MAX_TARGETS	3

struct fake_target {
	uint64_t start;
	uint64_t length;
	const char *type;
	const char *params;	/* NULL: the target reported nothing */
};

/* What the fake kernel and filesystem answer. */
struct fake_setup {
	int stat_errno;			/* stat() fails with this */
	mode_t stat_mode;		/* S_IFBLK, S_IFCHR ... */
	unsigned int stat_major, stat_minor;
	int is_dm_major;
	int create_errno;		/* dm_task_create() fails */
	const char *create_log;		/* libdevmapper error logged then */
	int run_errno;			/* dm_task_run() fails; -1: errno 0 */
	const char *run_log;
	int not_exists;			/* run succeeds, info.exists == 0 */
	const char *name;		/* the dm name the kernel reports */
	unsigned int major, minor;
	size_t nr_targets;
	struct fake_target targets[FAKE_MAX_TARGETS];
};

static struct {
	const struct fake_setup *setup;
	dm_log_with_errno_fn log_fn;
	int udev_sync;			/* -1: never set */
	int tasks_live;
	int tasks_created;
	int stat_calls;
	char set_name[256];
	int set_major, set_minor;
	int run_failed_errno;
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
	assert_int_equal(type, DM_DEVICE_STATUS);
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

int __wrap_dm_task_run(struct dm_task *dmt)
{
	assert_ptr_equal(dmt, FAKE_TASK);
	if (!fake.setup->run_errno)
		return 1;
	fake_log_error(fake.setup->run_log);
	fake.run_failed_errno = fake.setup->run_errno < 0 ? 0 :
				fake.setup->run_errno;
	return 0;
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
	info->exists = !fake.setup->not_exists;
	info->major = fake.setup->major;
	info->minor = fake.setup->minor;
	info->target_count = fake.setup->nr_targets;
	return 1;
}

const char *__wrap_dm_task_get_name(const struct dm_task *dmt)
{
	assert_ptr_equal(dmt, FAKE_TASK);
	return fake.setup->name;
}

/* Same contract as libdevmapper: NULL next = first; returns the next. */
void *__wrap_dm_get_next_target(struct dm_task *dmt, void *next,
				uint64_t *start, uint64_t *length,
				char **target_type, char **params)
{
	size_t i = (uintptr_t)next;
	const struct fake_target *t;

	assert_ptr_equal(dmt, FAKE_TASK);
	if (i >= fake.setup->nr_targets) {
		*start = *length = 0;
		*target_type = *params = NULL;
		return NULL;
	}
	t = &fake.setup->targets[i];
	*start = t->start;
	*length = t->length;
	*target_type = (char *)t->type;
	*params = (char *)t->params;
	return i + 1 < fake.setup->nr_targets ? (void *)(uintptr_t)(i + 1) : NULL;
}

#endif /* MIRRORCTL_FAKE_DM_H */
