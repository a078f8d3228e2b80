// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_dm.c - unit tests for userspace/dm.c
 *
 * dm.c is tested against the fake libdevmapper of fake_dm.h, so no
 * device-mapper driver or root is needed.  Each row describes what the fake
 * kernel answers and what dm.c must make of it: the return code, the exact
 * error message, how the device was addressed, and the segments.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "fake_dm.h"
#include "dm.h"
#include "errors.h"
#include "log.h"

/* The longest name the kernel accepts (DM_NAME_LEN - 1). */
#define X8		"xxxxxxxx"
#define X64		X8 X8 X8 X8 X8 X8 X8 X8
#define NAME_127	X64 X8 X8 X8 X8 X8 X8 X8 "xxxxxxx"

/* What dm.c must do with it. */
struct expect {
	int ret;
	const char *err;		/* exact stderr */
	const char *set_name;		/* NULL: must address by number */
	int set_major, set_minor;	/* -1: must address by name */
	int stat_calls;
};

static const struct dm_row {
	const char *what;
	const char *device;
	struct fake_setup fake;
	struct expect want;
} dm_rows[] = {
	{ "dm name, one mirrorlive segment", "vm1",
	  { .name = "vm1", .major = 253, .minor = 3, .nr_targets = 1,
	    .targets = { { 0, 131072, "mirrorlive",
			   "copying 0/131072 0 0 0 0 0 -" } } },
	  { 0, "", "vm1", -1, -1, 0 } },
	{ "/dev/mapper/NAME by name, without stat", "/dev/mapper/vg-disk",
	  { .name = "vg-disk", .major = 253, .minor = 0, .nr_targets = 1,
	    .targets = { { 0, 8, "linear", "" } } },
	  { 0, "", "vg-disk", -1, -1, 0 } },
	{ "/dev/dm-N by major:minor", "/dev/dm-7",
	  { .stat_mode = S_IFBLK, .stat_major = 253, .stat_minor = 7,
	    .is_dm_major = 1, .name = "vg-disk", .major = 253, .minor = 7,
	    .nr_targets = 1, .targets = { { 0, 8, "linear", "" } } },
	  { 0, "", NULL, 253, 7, 1 } },
	{ "two segments, NULL params", "vm2",
	  { .name = "vm2", .major = 253, .minor = 4, .nr_targets = 2,
	    .targets = { { 0, 1024, "linear", NULL },
			 { 1024, 2048, "mirrorlive", "ready 2048/2048 0 0 0 0 0 -" } } },
	  { 0, "", "vm2", -1, -1, 0 } },
	{ "no table loaded", "empty",
	  { .name = "empty", .major = 253, .minor = 9 },
	  { 0, "", "empty", -1, -1, 0 } },
	{ "ioctl ENXIO is no such device", "gone",
	  { .run_errno = ENXIO },
	  { -ENODEV, "mirrorctl: gone: no such device\n", "gone", -1, -1, 0 } },
	{ "exists == 0 is no such device", "gone",
	  { .not_exists = 1 },
	  { -ENODEV, "mirrorctl: gone: no such device\n", "gone", -1, -1, 0 } },
	{ "driver missing, first libdevmapper error quoted", "vm1",
	  { .create_errno = ENODEV,
	    .create_log = "/dev/mapper/control: open failed: No such device" },
	  { -ENODEV, "mirrorctl: device-mapper driver not available: "
	    "/dev/mapper/control: open failed: No such device\n",
	    NULL, -1, -1, 0 } },
	{ "driver missing, nothing logged", "vm1",
	  { .create_errno = ENOENT },
	  { -ENOENT, "mirrorctl: device-mapper driver not available: "
	    "No such file or directory\n", NULL, -1, -1, 0 } },
	{ "ioctl refused", "vm1",
	  { .run_errno = EPERM,
	    .run_log = "device-mapper: status ioctl on vm1 failed: "
		       "Operation not permitted" },
	  { -EPERM, "mirrorctl: vm1: device-mapper request failed: "
	    "device-mapper: status ioctl on vm1 failed: "
	    "Operation not permitted\n", "vm1", -1, -1, 0 } },
	{ "run failed without errno or message", "vm1",
	  { .run_errno = -1 },
	  { -EIO, "mirrorctl: vm1: device-mapper request failed: "
	    "Input/output error\n", "vm1", -1, -1, 0 } },
	{ "path does not exist", "/dev/dm-99",
	  { .stat_errno = ENOENT },
	  { -ENODEV, "mirrorctl: /dev/dm-99: no such device\n",
	    NULL, -1, -1, 1 } },
	{ "path through a non-directory", "/dev/null/x",
	  { .stat_errno = ENOTDIR },
	  { -ENODEV, "mirrorctl: /dev/null/x: no such device\n",
	    NULL, -1, -1, 1 } },
	{ "path not readable", "/root/dev",
	  { .stat_errno = EACCES },
	  { -EACCES, "mirrorctl: /root/dev: cannot stat: Permission denied\n",
	    NULL, -1, -1, 1 } },
	{ "character device", "/dev/null",
	  { .stat_mode = S_IFCHR, .stat_major = 1, .stat_minor = 3 },
	  { -MCTL_EPRECOND, "mirrorctl: /dev/null: not a block device\n",
	    NULL, -1, -1, 1 } },
	{ "block device that is not dm", "/dev/loop0",
	  { .stat_mode = S_IFBLK, .stat_major = 7, .stat_minor = 0 },
	  { -MCTL_EPRECOND, "mirrorctl: /dev/loop0: not a device-mapper "
	    "device (7:0)\n", NULL, -1, -1, 1 } },
	{ "/dev/mapper/a/b is a path, not a name", "/dev/mapper/a/b",
	  { .stat_errno = ENOENT },
	  { -ENODEV, "mirrorctl: /dev/mapper/a/b: no such device\n",
	    NULL, -1, -1, 1 } },
	{ "empty argument", "",
	  { 0 },
	  { -MCTL_EUSAGE, "mirrorctl: \"\": empty device name\n",
	    NULL, -1, -1, 0 } },
	{ "/dev/mapper/ alone", "/dev/mapper/",
	  { 0 },
	  { -MCTL_EUSAGE, "mirrorctl: /dev/mapper/: empty device name\n",
	    NULL, -1, -1, 0 } },
	{ "name of 127 characters", NAME_127,
	  { .not_exists = 1 },
	  { -ENODEV, "mirrorctl: " NAME_127 ": no such device\n", NAME_127,
	    -1, -1, 0 } },
	{ "name of 128 characters", NAME_127 "x",
	  { 0 },
	  { -MCTL_EUSAGE, "mirrorctl: " NAME_127 "x: device name longer than "
	    "127 characters\n", NULL, -1, -1, 0 } },
};

/* ------------------------------------------------------------------ */

static void dm_test_get_status(void **state)
{
	const struct dm_row *row = *state;
	const struct fake_setup *f = &row->fake;
	struct table *ts = NULL;
	struct unit_capture cap;
	char *err;
	size_t i;
	int r;

	fake_reset(f);
	log_set_level(false, false);
	dmctl_init();
	unit_capture_start(&cap, STDERR_FILENO);
	r = dmctl_get_status(row->device, &ts);
	err = unit_capture_end(&cap);
	dmctl_exit();

	/* Compare before asserting so a failure frees what it can. */
	if (row->want.err && strcmp(err, row->want.err))
		fail_msg("stderr \"%s\", expected \"%s\"", err, row->want.err);
	free(err);
	assert_int_equal(r, row->want.ret);
	assert_int_equal(fake.tasks_live, 0);
	assert_int_equal(fake.stat_calls, row->want.stat_calls);
	assert_string_equal(fake.set_name,
			    row->want.set_name ? row->want.set_name : "");
	assert_int_equal(fake.set_major, row->want.set_major);
	assert_int_equal(fake.set_minor, row->want.set_minor);

	if (r) {
		assert_null(ts);
		return;
	}
	assert_non_null(ts);
	assert_string_equal(ts->name, f->name);
	assert_int_equal(ts->major, f->major);
	assert_int_equal(ts->minor, f->minor);
	assert_int_equal(ts->nr, f->nr_targets);
	for (i = 0; i < f->nr_targets; i++) {
		assert_int_equal(ts->lines[i].start, f->targets[i].start);
		assert_int_equal(ts->lines[i].length, f->targets[i].length);
		assert_string_equal(ts->lines[i].target, f->targets[i].type);
		assert_string_equal(ts->lines[i].params,
				    f->targets[i].params ? f->targets[i].params : "");
	}
	table_free(ts);
}

/* Without --debug, libdevmapper's own chatter never reaches the operator. */
static void dm_test_log_silent(void **state)
{
	struct fake_setup f = { .run_errno = EPERM, .run_log = "boom" };
	struct table *ts = NULL;
	struct unit_capture cap;
	char *err;

	(void)state;
	fake_reset(&f);
	log_set_level(true, false);
	dmctl_init();
	assert_non_null(fake.log_fn);
	unit_capture_start(&cap, STDERR_FILENO);
	fake.log_fn(7, "libdm-common.c", 1, 0, "some debug detail");
	assert_int_equal(dmctl_get_status("vm1", &ts), -EPERM);
	err = unit_capture_end(&cap);
	dmctl_exit();
	log_set_level(false, false);
	assert_string_equal(err,
			    "mirrorctl: vm1: device-mapper request failed: boom\n");
	free(err);
}

/* With --debug, it does, tagged and without "<backtrace>" noise. */
static void dm_test_log_debug(void **state)
{
	struct fake_setup f = { 0 };
	struct unit_capture cap;
	char *err;

	(void)state;
	fake_reset(&f);
	dmctl_init();
	log_set_level(false, true);
	unit_capture_start(&cap, STDERR_FILENO);
	fake.log_fn(7, "libdm-common.c", 12, 0, "detail %d", 42);
	fake.log_fn(7, "libdm-common.c", 13, 0, "<backtrace>");
	err = unit_capture_end(&cap);
	dmctl_exit();
	log_set_level(false, false);
	assert_string_equal(err, "# libdevmapper libdm-common.c:12: detail 42\n");
	free(err);
}

/* udev sync is turned off exactly when udev is not running. */
static void dm_test_udev_sync(void **state)
{
	struct fake_setup f = { 0 };
	int udev_running = !access("/run/udev/control", F_OK);

	(void)state;
	fake_reset(&f);
	dmctl_init();
	dmctl_exit();
	assert_int_equal(fake.udev_sync, udev_running ? -1 : 0);
}

static const struct name_row {
	const char *device;
	const char *name;	/* NULL: a path to stat() */
} name_rows[] = {
	{ "vm1",			"vm1" },
	{ "vg-lv_1.x",			"vg-lv_1.x" },
	{ "/dev/mapper/vg-disk",	"vg-disk" },
	{ "/dev/mapper/",		"" },
	{ "",				"" },
	{ "/dev/dm-3",			NULL },
	{ "/dev/vg/disk",		NULL },
	{ "dev/mapper/x",		NULL },
	{ "/dev/mapper/a/b",		NULL },
	{ "/dev/mapperx",		NULL },
	{ "./vm1",			NULL },
};

static void dm_test_name_from_arg(void **state)
{
	const struct name_row *row = *state;
	const char *name = dmctl_name_from_arg(row->device);

	if (!row->name) {
		assert_null(name);
		return;
	}
	assert_non_null(name);
	assert_string_equal(name, row->name);
	/* A pointer into the argument, not a copy. */
	assert_true(name >= row->device &&
		    name <= row->device + strlen(row->device));
}

static void dm_test_free_null(void **state)
{
	(void)state;
	table_free(NULL);
}

int main(void)
{
	struct unit_suite suite = { 0 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(dm_rows); i++)
		unit_add(&suite, dm_test_get_status, (void *)&dm_rows[i],
			 "get_status %s", dm_rows[i].what);
	unit_add(&suite, dm_test_log_silent, NULL, "dm_test_log_silent");
	unit_add(&suite, dm_test_log_debug, NULL, "dm_test_log_debug");
	unit_add(&suite, dm_test_udev_sync, NULL, "dm_test_udev_sync");
	for (i = 0; i < ARRAY_SIZE(name_rows); i++)
		unit_add(&suite, dm_test_name_from_arg, (void *)&name_rows[i],
			 "name_from_arg \"%s\"", name_rows[i].device);
	unit_add(&suite, dm_test_free_null, NULL, "dm_test_free_null");

	return unit_run(&suite, "dm");
}
