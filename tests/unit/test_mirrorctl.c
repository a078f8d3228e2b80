// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_mirrorctl.c - unit tests for userspace/mirrorctl.c, the command line
 *
 * mirrorctl.c is compiled with main() renamed to mirrorctl_main() and run
 * in-process against the fake libdevmapper of fake_dm.h.  Each row is one
 * command line and pins what an operator or a script sees: the exit code
 * (DESIGN.md §2) and the exact stdout and stderr.
 */
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "fake_dm.h"

int mirrorctl_main(int argc, const char **argv);

#define MAX_ARGS	6

#define TRY_HELP	"Try 'mirrorctl --help' for more information.\n"

/* A one-segment mirror half way through a 64 MiB copy. */
#define FAKE_VM1 {							\
	.name = "vm1", .major = 253, .minor = 3, .nr_targets = 1,	\
	.targets = { { 0, 131072, "mirrorlive",				\
		       "copying 65536/131072 3 0 0 2 0 -" } } }

#define VM1_REPORT							\
	"device:          vm1\n"					\
	"phase:           copying\n"					\
	"copied:          32.0 MiB / 64.0 MiB (50.0%)\n"		\
	"mirrored writes: 3\n"						\
	"dest errors:     0\n"						\
	"source errors:   0\n"						\
	"zero regions:    2\n"						\
	"max copy rate:   unlimited\n"					\
	"reason:          -\n"

static const struct cli_row {
	const char *what;
	const char *argv[MAX_ARGS];	/* after "mirrorctl", NULL-ended */
	struct fake_setup fake;
	int exit_code;
	const char *out;		/* exact stdout */
	const char *err;		/* exact stderr; NULL: not checked */
} cli_rows[] = {
	/* global options and usage errors */
	{ "version", { "--version" }, { 0 }, 0,
	  "mirrorctl " MIRRORCTL_VERSION "\n", "" },
	{ "version, short", { "-V" }, { 0 }, 0,
	  "mirrorctl " MIRRORCTL_VERSION "\n", "" },
	{ "no action", { NULL }, { 0 }, 2, "",
	  "mirrorctl: no action given: expected one of the actions in --help\n"
	  TRY_HELP },
	{ "unknown action", { "frobnicate", "vm1" }, { 0 }, 2, "",
	  "mirrorctl: frobnicate: unknown action\n" TRY_HELP },
	{ "planned but unimplemented action", { "start", "vm1", "/dev/sdb" },
	  { 0 }, 2, "", "mirrorctl: start: unknown action\n" TRY_HELP },
	{ "status without DEVICE", { "status" }, { 0 }, 2, "",
	  "mirrorctl: status: wrong number of arguments, usage: "
	  "mirrorctl status DEVICE\n" TRY_HELP },
	{ "status with two DEVICEs", { "status", "vm1", "vm2" }, { 0 }, 2, "",
	  "mirrorctl: status: wrong number of arguments, usage: "
	  "mirrorctl status DEVICE\n" TRY_HELP },
	{ "unknown option", { "--bogus", "status", "vm1" }, { 0 }, 2, "",
	  "mirrorctl: --bogus: unknown option\n" TRY_HELP },
	{ "option not implemented yet", { "status", "vm1", "--json" },
	  { 0 }, 2, "", "mirrorctl: --json: unknown option\n" TRY_HELP },
	{ "argument to a flag", { "--verbose=yes", "status", "vm1" },
	  { 0 }, 2, "", NULL },

	/* status of a mirror */
	{ "status of a mirror", { "status", "vm1" }, FAKE_VM1, 0,
	  VM1_REPORT, "" },
	{ "status by /dev/mapper path", { "status", "/dev/mapper/vm1" },
	  FAKE_VM1, 0, VM1_REPORT, "" },
	{ "options after the action", { "status", "vm1", "-v" }, FAKE_VM1, 0,
	  VM1_REPORT, "mirrorctl: vm1: dm device vm1 (253:3), 1 segment(s)\n" },
	{ "status by /dev/dm-N shows the dm name", { "status", "/dev/dm-5" },
	  { .stat_mode = S_IFBLK, .stat_major = 253, .stat_minor = 5,
	    .is_dm_major = 1, .name = "vg-disk", .major = 253, .minor = 5,
	    .nr_targets = 1,
	    .targets = { { 0, 8, "mirrorlive",
			   "failed 0/8 1 1 0 0 10240 dest_write_error" } } },
	  0,
	  "device:          vg-disk\n"
	  "phase:           failed\n"
	  "copied:          0 B / 4.0 KiB (0.0%)\n"
	  "mirrored writes: 1\n"
	  "dest errors:     1\n"
	  "source errors:   0\n"
	  "zero regions:    0\n"
	  "max copy rate:   10240 KiB/s\n"
	  "reason:          dest_write_error\n", "" },
	{ "status of a two-segment device", { "status", "vm2" },
	  { .name = "vm2", .major = 253, .minor = 4, .nr_targets = 2,
	    .targets = { { 0, 1024, "linear", "" },
			 { 1024, 2048, "mirrorlive",
			   "ready 2048/2048 0 0 0 0 0 - 17 appended" } } },
	  0,
	  "device:          vm2\n"
	  "segments:        2\n"
	  "\n"
	  "segment:         start 0, length 1024 sectors (512.0 KiB)\n"
	  "target:          linear\n"
	  "\n"
	  "segment:         start 1024, length 2048 sectors (1.0 MiB)\n"
	  "target:          mirrorlive\n"
	  "phase:           ready\n"
	  "copied:          1.0 MiB / 1.0 MiB (100.0%)\n"
	  "mirrored writes: 0\n"
	  "dest errors:     0\n"
	  "source errors:   0\n"
	  "zero regions:    0\n"
	  "max copy rate:   unlimited\n"
	  "reason:          -\n", "" },

	/* status failures */
	{ "not a mirror", { "status", "vm1" },
	  { .name = "vm1", .nr_targets = 1,
	    .targets = { { 0, 8, "linear", "" } } },
	  3, "", "mirrorctl: vm1: not a mirrorlive device (target linear)\n" },
	{ "not a mirror, several targets", { "status", "vm1" },
	  { .name = "vm1", .nr_targets = 3,
	    .targets = { { 0, 8, "linear", "" }, { 8, 8, "error", "" },
			 { 16, 8, "linear", "" } } },
	  3, "", "mirrorctl: vm1: not a mirrorlive device "
		 "(targets linear, error)\n" },
	{ "no table loaded", { "status", "vm1" }, { .name = "vm1" },
	  3, "", "mirrorctl: vm1: not a mirrorlive device (no table loaded)\n" },
	{ "unparseable kernel status", { "status", "vm1" },
	  { .name = "vm1", .nr_targets = 1,
	    .targets = { { 0, 8, "mirrorlive", "copying 9/8 0 0 0 0 0 -" } } },
	  1, "", "mirrorctl: vm1: unparseable mirrorlive status "
		 "\"copying 9/8 0 0 0 0 0 -\"\n" },
	{ "one bad segment spoils the report", { "status", "vm2" },
	  { .name = "vm2", .nr_targets = 2,
	    .targets = { { 0, 8, "mirrorlive", "ready 8/8 0 0 0 0 0 -" },
			 { 8, 8, "mirrorlive", "" } } },
	  1, "", "mirrorctl: vm2: unparseable mirrorlive status \"\"\n" },
	{ "no such device", { "status", "nonexistent" }, { .not_exists = 1 },
	  1, "", "mirrorctl: nonexistent: no such device\n" },
	{ "no such device, verbose", { "--verbose", "status", "nonexistent" },
	  { .not_exists = 1 }, 1, "",
	  "mirrorctl: nonexistent: no such device\n"
	  "mirrorctl: command failed with code -19: No such device\n" },
	{ "no such node", { "status", "/dev/dm-99" }, { .stat_errno = ENOENT },
	  1, "", "mirrorctl: /dev/dm-99: no such device\n" },
	{ "not a dm device", { "status", "/dev/loop0" },
	  { .stat_mode = S_IFBLK, .stat_major = 7 }, 3, "",
	  "mirrorctl: /dev/loop0: not a device-mapper device (7:0)\n" },
	{ "driver missing", { "status", "vm1" },
	  { .create_errno = ENODEV,
	    .create_log = "/dev/mapper/control: open failed: No such device" },
	  1, "", "mirrorctl: device-mapper driver not available: "
		 "/dev/mapper/control: open failed: No such device\n" },
	{ "empty device name", { "status", "" }, { 0 }, 2, "",
	  "mirrorctl: \"\": empty device name\n" TRY_HELP },
};

struct cli_result {
	int exit_code;
	char *out;
	char *err;
};

static void run_cli(const char * const *args, const struct fake_setup *f,
		    struct cli_result *res)
{
	const char *argv[MAX_ARGS + 2] = { "mirrorctl" };
	struct unit_capture out, err;
	int argc = 1;

	while (argc <= MAX_ARGS && args[argc - 1]) {
		argv[argc] = args[argc - 1];
		argc++;
	}

	fake_reset(f);
	unit_capture_start(&out, STDOUT_FILENO);
	unit_capture_start(&err, STDERR_FILENO);
	res->exit_code = mirrorctl_main(argc, argv);
	res->err = unit_capture_end(&err);
	res->out = unit_capture_end(&out);
}

static void cli_test_row(void **state)
{
	const struct cli_row *row = *state;
	struct cli_result res;
	int ok;

	run_cli(row->argv, &row->fake, &res);
	ok = res.exit_code == row->exit_code && !strcmp(res.out, row->out) &&
	     (!row->err || !strcmp(res.err, row->err));
	if (!ok)
		print_error("exit %d (want %d)\nstdout:\n%s\nstderr:\n%s\n",
			    res.exit_code, row->exit_code, res.out, res.err);
	free(res.out);
	free(res.err);
	assert_true(ok);
	assert_int_equal(fake.tasks_live, 0);
}

/* --help: the synopsis, the implemented actions and the exit codes. */
static void cli_test_help(void **state)
{
	static const char * const wanted[] = {
		"Usage: mirrorctl [OPTION...] <action> <action-specific>\n",
		"  -v, --verbose ",
		"      --debug ",
		"  -V, --version ",
		"  -h, --help ",
		"\tstatus DEVICE - ",
		"  0  success\n",
		"  1  operation failed",
		"  2  usage error\n",
		"  3  precondition not met",
		"  4  timeout\n",
	};
	static const char * const args[][MAX_ARGS] = {
		{ "--help" }, { "-h" }, { "--help", "status" },
		{ "status", "--help" },
	};
	struct cli_result res;
	size_t i, j;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(args); i++) {
		run_cli(args[i], &(struct fake_setup){ 0 }, &res);
		assert_int_equal(res.exit_code, 0);
		assert_string_equal(res.err, "");
		for (j = 0; j < ARRAY_SIZE(wanted); j++)
			if (!strstr(res.out, wanted[j]))
				fail_msg("--help lacks \"%s\"", wanted[j]);
		/* Only implemented actions are offered. */
		assert_null(strstr(res.out, "\tstart "));
		free(res.out);
		free(res.err);
	}
}

/* --debug implies --verbose and shows libdevmapper's messages. */
static void cli_test_debug(void **state)
{
	static const char * const args[MAX_ARGS] = {
		"--debug", "status", "nonexistent",
	};
	struct fake_setup f = { .run_errno = EPERM, .run_log = "ioctl failed" };
	struct cli_result res;

	(void)state;
	run_cli(args, &f, &res);
	assert_int_equal(res.exit_code, 1);
	assert_string_equal(res.out, "");
	assert_non_null(strstr(res.err, "# running action status\n"));
	assert_non_null(strstr(res.err, "# libdevmapper fake.c:1: ioctl failed\n"));
	assert_null(strstr(res.err, "<backtrace>"));
	assert_non_null(strstr(res.err, "mirrorctl: nonexistent: device-mapper "
				       "request failed: ioctl failed\n"));
	assert_non_null(strstr(res.err, "mirrorctl: command failed with code "
				       "-1: Operation not permitted\n"));
	free(res.out);
	free(res.err);
}

int main(void)
{
	struct unit_suite suite = { 0 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cli_rows); i++)
		unit_add(&suite, cli_test_row, (void *)&cli_rows[i],
			 "cli %s -> exit %d", cli_rows[i].what,
			 cli_rows[i].exit_code);
	unit_add(&suite, cli_test_help, NULL, "cli_test_help");
	unit_add(&suite, cli_test_debug, NULL, "cli_test_debug");

	return unit_run(&suite, "mirrorctl");
}
