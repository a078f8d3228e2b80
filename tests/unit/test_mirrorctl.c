// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_mirrorctl.c - unit tests for the command line and the actions
 *
 * mirrorctl.c is compiled with main() renamed to mirrorctl_main() and run
 * in-process against the fake libdevmapper of fake_dm.h and the fake block
 * devices of fake_host.h.  Each row is one command line and pins what an
 * operator or a script sees -- the exit code (Documentation/interface.rst,
 * section 7.5) and the exact stdout and stderr -- and what the command did to
 * the device: the requests that change something, in order (fake.ops).
 */
#include <fcntl.h>
#include <pty.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "unit.h"
#include "fake_dm.h"
#include "fake_host.h"
#include "verify.h"

int mirrorctl_main(int argc, const char **argv);

#define MAX_ARGS	12

#define TRY_HELP	"Try 'mirrorctl --help' for more information.\n"

#define MIRROR_TABLE	"7:0 0 7:1 0"

/* A one-segment mirror half way through a 64 MiB copy. */
#define FAKE_VM1 {							\
	.name = "vm1", .major = 253, .minor = 3, .nr_targets = 1,	\
	.targets = { { 0, 131072, "mirrorlive",				\
		       "copying 65536/131072 3 0 0 2 0 -", MIRROR_TABLE,	\
		       NULL, NULL, NULL } } }

/* One with a given status line. */
#define FAKE_ML(st) {							\
	.name = "vm1", .major = 253, .minor = 3, .nr_targets = 1,	\
	.targets = { { 0, 131072, "mirrorlive", st, MIRROR_TABLE,	\
		       NULL, NULL, NULL } } }

/* One whose status is @st until the first event wait, @after from then on. */
#define FAKE_ML_THEN(st, after) {					\
	.name = "vm1", .major = 253, .minor = 3, .nr_targets = 1,	\
	.targets = { { 0, 131072, "mirrorlive", st, MIRROR_TABLE,	\
		       NULL, after, NULL } } }

/*
 * verify: a ready mirror of 128 regions whose status is @before, @during
 * once a pass was started, @after once mirrorctl waited for an event;
 * "verify mismatches" answers @resp.
 */
#define ST_READY_V(v)	"ready 131072/131072 0 0 0 0 0 - - " v
#define FAKE_VERIFY(before, during, after, resp) {			\
	.name = "vm1", .major = 253, .minor = 3, .nr_targets = 1,	\
	.targets = { { 0, 131072, "mirrorlive", before, MIRROR_TABLE,	\
		       NULL, after, NULL } },				\
	.verify_params = { during }, .response = { resp } }
#define FAKE_VERIFY_CLEAN						\
	FAKE_VERIFY(ST_READY_V("- 0/128 0 0"),				\
		    ST_READY_V("verifying 0/128 0 0"),			\
		    ST_READY_V("done 128/128 0 0"), NULL)
#define FAKE_VERIFY_3							\
	FAKE_VERIFY(ST_READY_V("- 0/128 0 0"),				\
		    ST_READY_V("verifying 0/128 0 0"),			\
		    ST_READY_V("done 128/128 3 0"), "2048 10240 12288")
/* A ready mirror before any pass, with the fields given (.suspended = 1) */
#define FAKE_UNVERIFIED(...) {						\
	.name = "vm1", .major = 253, .minor = 3, .nr_targets = 1,	\
	__VA_ARGS__,							\
	.targets = { { 0, 131072, "mirrorlive", ST_READY_V("- 0/128 0 0"), \
		       MIRROR_TABLE, NULL, NULL, NULL } } }
#define VERIFY_OPS	"message vm1 0 verify start;"			\
			"message vm1 0 verify mismatches;"
#define VERIFY_3_AT	"at sectors 2048, 10240, 12288 (bytes 1048576, "	\
			"5242880, 6291456)"
#define VERIFY_3_LINES	"vm1: mismatch at sector 2048 (byte 1048576)\n"	\
			"vm1: mismatch at sector 10240 (byte 5242880)\n"	\
			"vm1: mismatch at sector 12288 (byte 6291456)\n"
#define VERIFY_3_OUT	"vm1: done, 128 of 128 regions verified, 3 "	\
			"mismatched, 0 repaired\n" VERIFY_3_LINES
#define COMPLETE_OPS	"load vm1;  0 131072 linear 7:1 0;suspend vm1;"	\
			"resume vm1;"

/* Two mirrorlive segments of 64 regions around a linear one. */
#define ST_HALF_V(v)	"ready 65536/65536 0 0 0 0 0 - - " v
#define FAKE_VERIFY_TWO {						\
	.name = "vm1", .major = 253, .minor = 3, .nr_targets = 3,	\
	.targets = { { 0, 65536, "mirrorlive", ST_HALF_V("- 0/64 0 0"),	\
		       "7:0 0 7:1 0", NULL, ST_HALF_V("done 64/64 2 0"),	\
		       NULL },						\
		     { 65536, 1024, "linear", "", "7:0 65536", NULL, NULL, \
		       NULL },						\
		     { 66560, 65536, "mirrorlive", ST_HALF_V("- 0/64 0 0"), \
		       "7:0 66560 7:1 66560", NULL,			\
		       ST_HALF_V("done 64/64 2 0"), NULL } },		\
	.verify_params = { ST_HALF_V("verifying 0/64 0 0"), NULL,	\
			   ST_HALF_V("verifying 0/64 0 0") },		\
	.response = { "1024 4096", NULL, "0 2048" } }

/* The device before start: linear over 7:0. */
#define FAKE_LIN {							\
	.name = "vm1", .major = 253, .minor = 3, .nr_targets = 1,	\
	.targets = { { 0, 131072, "linear", "", "7:0 0", NULL, NULL,	\
		       NULL } } }

/* The same device as an LVM logical volume. */
#define LV_UUID "Dn9pX2ZkQzUGbRzXhVKnwBPkUh1ceaAMvLxnl8oM0WX4TKqJeNrP34yRc9dXg8ZP"
#define FAKE_LV {							\
	.name = "vm1", .uuid = "LVM-" LV_UUID, .major = 253, .minor = 3,	\
	.nr_targets = 1,						\
	.targets = { { 0, 131072, "linear", "", "7:0 0", NULL, NULL,	\
		       NULL } } }

#define START_OPS							\
	"load vm1;  0 131072 mirrorlive 7:0 0 7:1 0;suspend vm1;resume vm1;"

#define VM1_REPORT(rate, eta)						\
	"device:          vm1\n"					\
	"phase:           copying\n"					\
	"copied:          32.0 MiB / 64.0 MiB (50.0%)\n"		\
	"rate:            " rate "\n"					\
	"eta:             " eta "\n"					\
	"mirrored writes: 3\n"						\
	"dest errors:     0\n"						\
	"source errors:   0\n"						\
	"zero regions:    2\n"						\
	"max copy rate:   unlimited\n"					\
	"reason:          -\n"						\
	"source:          7:0\n"					\
	"destination:     7:1\n"

/* The verify keys of a segment or device without a pass, and a comma. */
#define VERIFY_NONE_JSON						\
	"\"verify_state\":\"-\",\"verified_regions\":0,"		\
	"\"copied_regions\":0,\"mismatched_regions\":0,"		\
	"\"repaired_regions\":0,"

static const struct fake_host host_ok = { 0 };

/* A 127-character dm name: 100 "a", 27 "b"; its FNV-1a 64 hash. */
#define LONG_100	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" \
			"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define LONG_NAME	LONG_100 "bbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define LONG_HASH	"69a3656a30f83501"

static const struct cli_row {
	const char *what;
	const char *argv[MAX_ARGS];	/* after "mirrorctl", NULL-ended */
	struct fake_setup fake;
	const struct fake_host *host;	/* NULL: host_ok */
	int exit_code;
	const char *out;		/* exact stdout */
	const char *err;		/* exact stderr; NULL: not checked */
	const char *ops;		/* exact fake.ops; NULL: not checked */
} cli_rows[] = {
	/* ---- global options and usage errors ---- */
	{ "version", { "--version" }, { 0 }, NULL, 0,
	  "mirrorctl " MIRRORCTL_VERSION "\n", "", "" },
	{ "version, short", { "-V" }, { 0 }, NULL, 0,
	  "mirrorctl " MIRRORCTL_VERSION "\n", "", "" },
	{ "no action", { NULL }, { 0 }, NULL, 2, "",
	  "mirrorctl: no action given: expected one of the actions in --help\n"
	  TRY_HELP, "" },
	{ "unknown action", { "frobnicate", "vm1" }, { 0 }, NULL, 2, "",
	  "mirrorctl: frobnicate: unknown action\n" TRY_HELP, "" },
	{ "status without DEVICE", { "status" }, { 0 }, NULL, 2, "",
	  "mirrorctl: status: wrong number of arguments, usage: "
	  "mirrorctl status DEVICE\n" TRY_HELP, "" },
	{ "status with two DEVICEs", { "status", "vm1", "vm2" }, { 0 }, NULL,
	  2, "", "mirrorctl: status: wrong number of arguments, usage: "
	  "mirrorctl status DEVICE\n" TRY_HELP, "" },
	{ "list with an argument", { "list", "vm1" }, { 0 }, NULL, 2, "",
	  "mirrorctl: list: wrong number of arguments, usage: "
	  "mirrorctl list\n" TRY_HELP, "" },
	{ "unknown option", { "--bogus", "status", "vm1" }, { 0 }, NULL, 2, "",
	  "mirrorctl: --bogus: unknown option\n" TRY_HELP, "" },
	{ "option of another action", { "status", "vm1", "--wait" }, { 0 },
	  NULL, 2, "", "mirrorctl: --wait: not an option of status\n" TRY_HELP,
	  "" },
	{ "argument to a flag", { "--verbose=yes", "status", "vm1" },
	  { 0 }, NULL, 2, "", NULL, "" },
	{ "start with an odd count", { "start", "vm1", "/dev/sdb", "vm2" },
	  { 0 }, NULL, 2, "", "mirrorctl: start: DEST missing for vm2, usage: "
	  "mirrorctl start DEVICE DEST [DEVICE DEST]...\n" TRY_HELP, "" },
	{ "status takes no --timeout (it never waits)",
	  { "status", "vm1", "--timeout", "5" }, { 0 }, NULL, 2, "",
	  "mirrorctl: --timeout: not an option of status\n" TRY_HELP, "" },
	{ "start --progress without --wait",
	  { "start", "vm1", "/dev/sdb", "--progress" }, { 0 }, NULL, 2, "",
	  "mirrorctl: --progress: start takes it with --wait only\n" TRY_HELP,
	  "" },
	{ "start --nosync --paused",
	  { "start", "vm1", "/dev/sdb", "--nosync", "--paused" }, { 0 }, NULL,
	  2, "", "mirrorctl: --nosync: conflicts with --paused (nothing to "
	  "copy)\n" TRY_HELP, "" },
	{ "region size not a power of two",
	  { "start", "vm1", "/dev/sdb", "--region-size", "12K" }, { 0 }, NULL,
	  2, "", "mirrorctl: --region-size 12K: expected a power of two from "
	  "4K to 1G\n" TRY_HELP, "" },
	{ "region size too small",
	  { "start", "vm1", "/dev/sdb", "--region-size=2K" }, { 0 }, NULL, 2,
	  "", NULL, "" },
	{ "region size too large",
	  { "start", "vm1", "/dev/sdb", "--region-size=2G" }, { 0 }, NULL, 2,
	  "", NULL, "" },
	{ "max rate with a bad suffix",
	  { "start", "vm1", "/dev/sdb", "--max-rate", "10MB" }, { 0 }, NULL, 2,
	  "", "mirrorctl: --max-rate 10MB: expected a number with a binary "
	  "unit (K, M, G, T or KiB, MiB, GiB, TiB; per second, e.g. 100M or "
	  "100MiB/s), or 0 for unlimited\n" TRY_HELP, "" },
	{ "max rate without a unit",
	  { "start", "vm1", "/dev/sdb", "--max-rate", "100" }, { 0 }, NULL, 2,
	  "", "mirrorctl: --max-rate 100: no unit: expected a number with a "
	  "binary unit (K, M, G, T or KiB, MiB, GiB, TiB; per second, e.g. "
	  "100M or 100MiB/s), or 0 for unlimited\n" TRY_HELP, "" },
	{ "max rate too large",
	  { "start", "vm1", "/dev/sdb", "--max-rate", "8T" }, { 0 }, NULL, 2,
	  "", "mirrorctl: --max-rate 8T: too large\n" TRY_HELP, "" },
	{ "timeout negative", { "wait", "vm1", "--timeout", "-1" }, { 0 },
	  NULL, 2, "", "mirrorctl: --timeout -1: expected whole seconds, 0 to "
	  "315360000\n" TRY_HELP, "" },
	{ "timeout with a unit", { "wait", "vm1", "--timeout=5s" }, { 0 },
	  NULL, 2, "", NULL, "" },
	{ "set-rate with a bad RATE", { "set-rate", "vm1", "fast" }, FAKE_VM1,
	  NULL, 2, "", "mirrorctl: fast: invalid RATE: expected a number with "
	  "a binary unit (K, M, G, T or KiB, MiB, GiB, TiB; per second, e.g. "
	  "100M or 100MiB/s), or 0 for unlimited\n" TRY_HELP, "" },
	{ "set-rate without a unit", { "set-rate", "vm1", "1024" }, FAKE_VM1,
	  NULL, 2, "", "mirrorctl: 1024: invalid RATE: no unit: expected a "
	  "number with a binary unit (K, M, G, T or KiB, MiB, GiB, TiB; per "
	  "second, e.g. 100M or 100MiB/s), or 0 for unlimited\n" TRY_HELP,
	  "" },
	{ "empty device name", { "status", "" }, { 0 }, NULL, 2, "",
	  "mirrorctl: \"\": empty device name\n" TRY_HELP, "" },
	{ "complete of one device twice", { "complete", "vm1", "vm1" },
	  FAKE_ML("ready 131072/131072 0 0 0 0 0 -"), NULL, 2, "",
	  "mirrorctl: vm1: device named twice\n" TRY_HELP, "" },
	{ "wrap onto a name with a slash", { "wrap", "/dev/sdb", "a/b" },
	  { .not_exists = 1 }, NULL, 2, "",
	  "mirrorctl: a/b: a device name cannot contain '/'\n" TRY_HELP, "" },

	/* ---- status ---- */
	{ "status of a copying mirror, no progress in a second",
	  { "status", "vm1" }, FAKE_VM1, NULL, 0,
	  VM1_REPORT("0 B/s", "-"), "", "" },
	{ "status by /dev/mapper path", { "status", "/dev/mapper/vm1" },
	  FAKE_VM1, NULL, 0, VM1_REPORT("0 B/s", "-"), "", "" },
	{ "options after the action", { "status", "vm1", "-v" }, FAKE_VM1,
	  NULL, 0, VM1_REPORT("0 B/s", "-"), "", "" },
	{ "status: rate and eta from two samples", { "status", "vm1" },
	  { .name = "vm1", .major = 253, .minor = 3, .nr_targets = 1,
	    .targets = { { 0, 131072, "mirrorlive",
			   "copying 0/131072 3 0 0 2 0 -", MIRROR_TABLE, NULL,
			   NULL, "copying 65536/131072 3 0 0 2 0 -" } } },
	  NULL, 0, VM1_REPORT("32.0 MiB/s", "1s"), "", "" },
	{ "status by /dev/dm-N shows the dm name", { "status", "/dev/dm-5" },
	  { .stat_mode = S_IFBLK, .stat_major = 253, .stat_minor = 5,
	    .is_dm_major = 1, .name = "vg-disk", .major = 253, .minor = 5,
	    .nr_targets = 1,
	    .targets = { { 0, 8, "mirrorlive",
			   "failed 0/8 1 1 0 0 10240 dest_write_error", NULL,
			   NULL, NULL, NULL } } },
	  NULL, 0,
	  "device:          vg-disk\n"
	  "phase:           failed\n"
	  "copied:          0 B / 4.0 KiB (0.0%)\n"
	  "rate:            0 B/s\n"
	  "eta:             -\n"
	  "mirrored writes: 1\n"
	  "dest errors:     1\n"
	  "source errors:   0\n"
	  "zero regions:    0\n"
	  "max copy rate:   10.0 MiB/s\n"
	  "reason:          dest_write_error\n", "", "" },
	{ "status of a two-segment device", { "status", "vm2" },
	  { .name = "vm2", .major = 253, .minor = 4, .nr_targets = 2,
	    .targets = { { 0, 1024, "linear", "", "7:5 0", NULL, NULL, NULL },
			 { 1024, 2048, "mirrorlive",
			   "ready 2048/2048 0 0 0 0 0 - 17 done 4/4 1 1 0 - "
			   "appended",
			   "7:5 1024 7:6 1024 2 metadata 7:7", NULL, NULL,
			   NULL } } },
	  NULL, 0,
	  "device:          vm2\n"
	  "phase:           ready\n"
	  "copied:          1.0 MiB / 1.0 MiB (100.0%)\n"
	  "rate:            0 B/s\n"
	  "eta:             0s\n"
	  "mirrored writes: 0\n"
	  "dest errors:     0\n"
	  "source errors:   0\n"
	  "zero regions:    0\n"
	  "max copy rate:   unlimited\n"
	  "reason:          -\n"
	  "source:          7:5\n"
	  "destination:     7:6\n"
	  "persistent:      yes, metadata on 7:7, 17 regions dirty\n"
	  "verify:          done, 4 / 4 regions verified, 1 mismatched, 1 "
	  "repaired\n"
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
	  "reason:          -\n"
	  "verify:          done, 4 / 4 regions verified, 1 mismatched, 1 "
	  "repaired\n"
	  "source:          7:5 at sector 1024\n"
	  "destination:     7:6 at sector 1024\n"
	  "persistent:      yes, metadata on 7:7, 17 regions dirty\n", "", "" },
	{ "status --json", { "status", "vm1", "--json" },
	  FAKE_ML("ready 131072/131072 9 0 0 0 0 -"), NULL, 0,
	  "{\"version\":1,\"device\":"
	  "{\"device\":\"vm1\",\"phase\":\"ready\",\"copied_bytes\":67108864,"
	  "\"total_bytes\":67108864,\"progress\":100.0,"
	  "\"rate_bytes_per_sec\":0,\"eta_seconds\":0,\"dest_errors\":0,"
	  "\"source_errors\":0,\"reason\":\"-\",\"source\":[\"7:0\"],"
	  "\"destination\":[\"7:1\"],\"mirrored_writes\":9,\"zero_regions\":0,"
	  "\"max_copy_bytes_per_sec\":0,\"min_copy_bytes_per_sec\":0,"
	  "\"yielding\":false,\"persistent\":false,"
	  "\"dirty_regions\":null,\"metadata\":null,\"kept_since\":null,"
	  VERIFY_NONE_JSON "\"segments\":[{\"start_sector\":0,"
	  "\"length_sectors\":131072,\"target\":\"mirrorlive\","
	  "\"phase\":\"ready\",\"copied_bytes\":67108864,"
	  "\"total_bytes\":67108864,\"progress\":100.0,\"mirrored_writes\":9,"
	  "\"dest_errors\":0,\"source_errors\":0,\"zero_regions\":0,"
	  "\"max_copy_bytes_per_sec\":0,\"min_copy_bytes_per_sec\":0,"
	  "\"yielding\":false,\"reason\":\"-\","
	  "\"persistent\":false,\"dirty_regions\":null," VERIFY_NONE_JSON
	  "\"source\":\"7:0\","
	  "\"source_offset_sectors\":0,\"destination\":\"7:1\","
	  "\"destination_offset_sectors\":0,\"region_size_bytes\":524288,\"metadata\":null}]}}"
	  "\n", "", "" },
	{ "not a mirror", { "status", "vm1" }, FAKE_LIN, NULL, 3, "",
	  "mirrorctl: vm1: not a mirrorlive device (target linear)\n", "" },
	{ "not a mirror, several targets", { "status", "vm1" },
	  { .name = "vm1", .nr_targets = 3,
	    .targets = { { 0, 8, "linear", "", NULL, NULL, NULL, NULL },
			 { 8, 8, "error", "", NULL, NULL, NULL, NULL },
			 { 16, 8, "linear", "", NULL, NULL, NULL, NULL } } },
	  NULL, 3, "", "mirrorctl: vm1: not a mirrorlive device "
		 "(targets linear, error)\n", "" },
	{ "no table loaded", { "status", "vm1" }, { .name = "vm1" }, NULL,
	  3, "", "mirrorctl: vm1: not a mirrorlive device (no table loaded)\n",
	  "" },
	{ "unparseable kernel status", { "status", "vm1" },
	  FAKE_ML("copying 9/8 0 0 0 0 0 -"), NULL, 1, "",
	  "mirrorctl: vm1: unparseable mirrorlive status "
	  "\"copying 9/8 0 0 0 0 0 -\"\n", "" },
	{ "one bad segment spoils the report", { "status", "vm2" },
	  { .name = "vm2", .nr_targets = 2,
	    .targets = { { 0, 8, "mirrorlive", "ready 8/8 0 0 0 0 0 -", NULL,
			   NULL, NULL, NULL },
			 { 8, 8, "mirrorlive", "", NULL, NULL, NULL, NULL } } },
	  NULL, 1, "", "mirrorctl: vm2: unparseable mirrorlive status \"\"\n",
	  "" },
	{ "no such device", { "status", "nonexistent" }, { .not_exists = 1 },
	  NULL, 1, "", "mirrorctl: nonexistent: no such device\n", "" },
	{ "no such device, verbose", { "--verbose", "status", "nonexistent" },
	  { .not_exists = 1 }, NULL, 1, "",
	  "mirrorctl: nonexistent: no such device\n"
	  "mirrorctl: failed: No such device (exit 1)\n", "" },
	{ "no such node", { "status", "/dev/dm-99" }, { .stat_errno = ENOENT },
	  NULL, 1, "", "mirrorctl: /dev/dm-99: no such device\n", "" },
	{ "not a dm device", { "status", "/dev/loop0" },
	  { .stat_mode = S_IFBLK, .stat_major = 7 }, NULL, 3, "",
	  "mirrorctl: /dev/loop0: not a device-mapper device (7:0)\n", "" },
	{ "driver missing", { "status", "vm1" },
	  { .create_errno = ENODEV,
	    .create_log = "/dev/mapper/control: open failed: No such device" },
	  NULL, 1, "", "mirrorctl: device-mapper driver not available: "
	  "/dev/mapper/control: open failed: No such device\n", "" },

	/* ---- list ---- */
	{ "list", { "list" },
	  { .name = "vm1", .major = 253, .minor = 3, .nr_targets = 1,
	    .list = { "vm1" },
	    .targets = { { 0, 131072, "mirrorlive",
			   "copying 0/131072 3 0 0 2 0 -", MIRROR_TABLE, NULL,
			   NULL, "copying 32768/131072 3 0 0 2 0 -" } } },
	  NULL, 0,
	  "DEVICE PHASE   PROGRESS   COPIED    TOTAL       RATE ETA REASON\n"
	  "vm1    copying    25.0% 16.0 MiB 64.0 MiB 16.0 MiB/s  3s -\n",
	  "", "" },
	{ "list --json", { "list", "--json" },
	  { .name = "vm1", .major = 253, .minor = 3, .nr_targets = 1,
	    .list = { "vm1" },
	    .targets = { { 0, 8, "mirrorlive", "paused 0/8 0 0 0 0 0 -",
			   NULL, NULL, NULL, NULL } } },
	  NULL, 0, "{\"version\":1,\"devices\":[{\"device\":\"vm1\","
	  "\"phase\":\"paused\","
	  "\"copied_bytes\":0,\"total_bytes\":4096,\"progress\":0.0,"
	  "\"rate_bytes_per_sec\":0,\"eta_seconds\":null,\"dest_errors\":0,"
	  "\"source_errors\":0,\"reason\":\"-\",\"source\":null,"
	  "\"destination\":null,\"mirrored_writes\":0,\"zero_regions\":0,"
	  "\"max_copy_bytes_per_sec\":0,\"min_copy_bytes_per_sec\":0,"
	  "\"yielding\":false,\"persistent\":false,"
	  "\"dirty_regions\":null,\"metadata\":null,\"kept_since\":null,"
	  VERIFY_NONE_JSON "\"segments\":[{\"start_sector\":0,"
	  "\"length_sectors\":8,\"target\":\"mirrorlive\",\"phase\":\"paused\","
	  "\"copied_bytes\":0,\"total_bytes\":4096,\"progress\":0.0,"
	  "\"mirrored_writes\":0,\"dest_errors\":0,\"source_errors\":0,"
	  "\"zero_regions\":0,\"max_copy_bytes_per_sec\":0,"
	  "\"min_copy_bytes_per_sec\":0,\"yielding\":false,\"reason\":\"-\","
	  "\"persistent\":false,\"dirty_regions\":null," VERIFY_NONE_JSON
	  "\"source\":null,\"source_offset_sectors\":null,"
	  "\"destination\":null,\"destination_offset_sectors\":null,"
	  "\"region_size_bytes\":null,\"metadata\":null}]}]}\n", "", "" },
	{ "list without mirrors", { "list" },
	  { .name = "vm1", .nr_targets = 1, .list = { "vm1" },
	    .targets = { { 0, 8, "linear", "", NULL, NULL, NULL, NULL } } },
	  NULL, 0, "", "", "" },
	{ "list --json without devices", { "list", "--json" }, { 0 }, NULL, 0,
	  "{\"version\":1,\"devices\":[]}\n", "", "" },

	/* ---- start ---- */
	{ "start", { "start", "vm1", "/dev/sdb" }, FAKE_LIN, NULL, 0, "", "",
	  START_OPS },
	{ "start with every table option",
	  { "start", "vm1", "/dev/sdb", "--region-size", "64K", "--max-rate",
	    "10M", "--sparse", "--dest-zeroed", "--paused" },
	  FAKE_LIN, NULL, 0, "", "",
	  "load vm1;  0 131072 mirrorlive 7:0 0 7:1 0 7 region_size 128 "
	  "max_copy_kbps 10240 sparse dest_zeroed paused;suspend vm1;"
	  "resume vm1;" },
	{ "start --nosync, default region size not printed",
	  { "start", "--nosync", "--region-size=512K", "vm1", "/dev/sdb" },
	  FAKE_LIN, NULL, 0, "", "",
	  "load vm1;  0 131072 mirrorlive 7:0 0 7:1 0 1 nosync;suspend vm1;"
	  "resume vm1;" },
	{ "start --min-rate: min_copy_kbps, last",
	  { "start", "vm1", "/dev/sdb", "--min-rate", "64M", "--max-rate",
	    "1G" }, FAKE_LIN, NULL, 0, "", "",
	  "load vm1;  0 131072 mirrorlive 7:0 0 7:1 0 4 max_copy_kbps 1048576 "
	  "min_copy_kbps 65536;suspend vm1;resume vm1;" },
	{ "start --max-rate 1K is 1 KiB/s",
	  { "start", "vm1", "/dev/sdb", "--max-rate", "1K" }, FAKE_LIN, NULL, 0,
	  "", "", "load vm1;  0 131072 mirrorlive 7:0 0 7:1 0 2 max_copy_kbps "
	  "1;suspend vm1;resume vm1;" },
	{ "start two linear segments with offsets onto one destination",
	  { "start", "vm1", "/dev/sdb" },
	  { .name = "vm1", .major = 253, .minor = 3, .nr_targets = 2,
	    .targets = { { 0, 1000, "linear", "", "8:16 2048", NULL, NULL, NULL },
			 { 1000, 3000, "linear", "", "8:32 777", NULL, NULL,
			   NULL } } },
	  NULL, 0, "", "",
	  "load vm1;  0 1000 mirrorlive 8:16 2048 7:1 0;"
	  "  1000 3000 mirrorlive 8:32 777 7:1 1000;suspend vm1;resume vm1;" },
	{ "start shares --max-rate among the segments",
	  { "start", "vm1", "/dev/sdb", "--max-rate", "10M" },
	  { .name = "vm1", .major = 253, .minor = 3, .nr_targets = 2,
	    .targets = { { 0, 1000, "linear", "", "8:16 2048", NULL, NULL, NULL },
			 { 1000, 3000, "linear", "", "8:32 777", NULL, NULL,
			   NULL } } },
	  NULL, 0, "", "",
	  "load vm1;  0 1000 mirrorlive 8:16 2048 7:1 0 2 max_copy_kbps 5120;"
	  "  1000 3000 mirrorlive 8:32 777 7:1 1000 2 max_copy_kbps 5120;"
	  "suspend vm1;resume vm1;" },
	{ "start --verbose says what it did",
	  { "start", "-v", "vm1", "/dev/sdb" }, FAKE_LIN, NULL, 0, "",
	  "mirrorctl: start: 1 device suspended for 0.000 ms\n"
	  "mirrorctl: vm1: mirroring onto /dev/sdb\n", START_OPS },
	{ "start refuses an LVM logical volume", { "start", "vm1", "/dev/sdb" },
	  FAKE_LV, NULL, 3, "",
	  "mirrorctl: vm1: owned by LVM (dm UUID LVM-" LV_UUID "), which "
	  "would map it onto the source again at its next reload (a refresh, "
	  "an extend, the next boot), after complete too; move its data with "
	  "pvmove (or lvconvert --type raid1 -m1, then split), or pass "
	  "--risk-stale-metadata\n", "" },
	{ "start --risk-stale-metadata moves an LV, warning",
	  { "start", "vm1", "/dev/sdb", "--risk-stale-metadata" }, FAKE_LV,
	  NULL, 0, "",
	  "mirrorctl: vm1: warning: owned by LVM (dm UUID LVM-" LV_UUID "): "
	  "its next reload of the device maps the source again, whatever "
	  "complete did\n", START_OPS },
	{ "status takes no --risk-stale-metadata",
	  { "status", "vm1", "--risk-stale-metadata" }, FAKE_LV, NULL, 2, "",
	  "mirrorctl: --risk-stale-metadata: not an option of status\n"
	  TRY_HELP, "" },
	{ "start refuses a smaller destination", { "start", "vm1", "/dev/sdb" },
	  FAKE_LIN, &(const struct fake_host){ .size_bytes = 1 << 20 }, 3, "",
	  "mirrorctl: /dev/sdb: destination is smaller than vm1 "
	  "(1.0 MiB < 64.0 MiB)\n", "" },
	{ "start refuses the source as destination",
	  { "start", "vm1", "/dev/sdb" }, FAKE_LIN,
	  &(const struct fake_host){ .major = 7, .minor = 0 }, 3, "",
	  "mirrorctl: /dev/sdb: destination is the source of vm1\n", "" },
	{ "start refuses the device itself",
	  { "start", "vm1", "/dev/mapper/vm1" }, FAKE_LIN,
	  &(const struct fake_host){ .major = 253, .minor = 3 }, 3, "",
	  "mirrorctl: /dev/mapper/vm1: destination is vm1 itself\n", "" },
	{ "start refuses the disk of a source partition",
	  { "start", "vm1", "/dev/sdb" },
	  { .name = "vm1", .major = 253, .minor = 3, .nr_targets = 1,
	    .targets = { { 0, 8, "linear", "", "8:17 0", NULL, NULL, NULL } } },
	  &(const struct fake_host){ .major = 8, .minor = 16,
				     .part_major = 8, .part_minor = 17,
				     .whole_major = 8, .whole_minor = 16 }, 3,
	  "", "mirrorctl: /dev/sdb: destination overlaps the source of vm1 "
	  "(8:17, same disk)\n", "" },
	{ "start refuses a partition of the source disk",
	  { "start", "vm1", "/dev/sdb1" }, FAKE_LIN,
	  &(const struct fake_host){ .part_major = 7, .part_minor = 1,
				     .whole_major = 7, .whole_minor = 0 }, 3,
	  "", "mirrorctl: /dev/sdb1: destination overlaps the source of vm1 "
	  "(7:0, same disk)\n", "" },
	{ "start refuses a destination backing another dm device",
	  { "start", "vm1", "/dev/sdb" },
	  { .name = "vm1", .major = 253, .minor = 3, .nr_targets = 1,
	    .list = { "other" }, .deps_major = 7, .deps_minor = 1,
	    .targets = { { 0, 131072, "linear", "", "7:0 0", NULL, NULL,
			   NULL } } },
	  NULL, 3, "", "mirrorctl: /dev/sdb: destination backs dm device "
	  "other\n", "" },
	{ "start refuses a destination open elsewhere",
	  { "start", "vm1", "/dev/sdb" }, FAKE_LIN,
	  &(const struct fake_host){ .excl_ret = -EBUSY }, 3, "",
	  "mirrorctl: /dev/sdb: destination is open elsewhere (in use: "
	  "mounted, or held by another process or device)\n", "" },
	{ "start refuses an open dm destination",
	  { "start", "vm1", "/dev/mapper/lv" },
	  { .name = "vm1", .major = 253, .minor = 3, .nr_targets = 1,
	    .is_dm_major = 1, .open_count = 1,
	    .targets = { { 0, 131072, "linear", "", "7:0 0", NULL, NULL,
			   NULL } } },
	  &(const struct fake_host){ .major = 253, .minor = 9 }, 3, "",
	  "mirrorctl: /dev/mapper/lv: destination is open elsewhere (dm device "
	  "vm1, open count 1)\n", "" },
	{ "start refuses a larger logical block size",
	  { "start", "vm1", "/dev/sdb" }, FAKE_LIN,
	  &(const struct fake_host){ .lbs = 4096 }, 3, "",
	  "mirrorctl: /dev/sdb: destination logical block size 4096 is larger "
	  "than vm1's 512\n", "" },
	{ "start takes a smaller logical block size",
	  { "start", "vm1", "/dev/sdb" }, FAKE_LIN,
	  &(const struct fake_host){ .lbs = 512, .dm_lbs = 4096 }, 0, "", "",
	  START_OPS },
	{ "start warns about an NBD destination without a timeout",
	  { "start", "vm1", "/dev/nbd0" }, FAKE_LIN,
	  &(const struct fake_host){ .nbd_ret = 1, .nbd_timeout = 0 }, 0, "",
	  "mirrorctl: /dev/nbd0: warning: NBD device without a request "
	  "timeout: if its server stops answering, writes to vm1 wait for "
	  "it and cancel needs fail_dest first (mirrorctl(8), cancel; "
	  "connect with nbd-client -t SECONDS)\n", START_OPS },
	{ "start takes an NBD destination with a timeout silently",
	  { "start", "vm1", "/dev/nbd0" }, FAKE_LIN,
	  &(const struct fake_host){ .nbd_ret = 1, .nbd_timeout = 1250 }, 0,
	  "", "", START_OPS },
	{ "start warns when an NBD destination's timeout is unknown",
	  { "start", "vm1", "/dev/nbd0" }, FAKE_LIN,
	  &(const struct fake_host){ .nbd_ret = -ENOENT }, 0, "",
	  "mirrorctl: /dev/nbd0: warning: NBD device whose request timeout "
	  "cannot be read (debugfs is not mounted): without one (nbd-client "
	  "-t SECONDS), a server that stops answering stalls writes to vm1 "
	  "and cancel\n", START_OPS },
	{ "start refuses a destination with a signature",
	  { "start", "vm1", "/dev/sdb" }, FAKE_LIN,
	  &(const struct fake_host){ .signature = "ext4" }, 3, "",
	  "mirrorctl: /dev/sdb: destination carries a signature: ext4 "
	  "(--force overwrites it)\n", "" },
	{ "start --force overwrites a signature",
	  { "start", "vm1", "/dev/sdb", "--force" }, FAKE_LIN,
	  &(const struct fake_host){ .signature = "LVM2_member" }, 0, "", "",
	  START_OPS },
	{ "start refuses a missing destination",
	  { "start", "vm1", "/dev/nope" }, FAKE_LIN,
	  &(const struct fake_host){ .get_ret = -ENODEV }, 1, "",
	  "mirrorctl: /dev/nope: no such device\n", "" },
	{ "start refuses a destination that is no block device",
	  { "start", "vm1", "/etc/passwd" }, FAKE_LIN,
	  &(const struct fake_host){ .get_ret = -MCTL_EPRECOND }, 3, "",
	  "mirrorctl: /etc/passwd: not a block device\n", "" },
	{ "start refuses a mirror", { "start", "vm1", "/dev/sdb" }, FAKE_VM1,
	  NULL, 3, "", "mirrorctl: vm1: already mirroring (onto 7:1)\n", "" },
	{ "start refuses a striped device", { "start", "vm1", "/dev/sdb" },
	  { .name = "vm1", .major = 253, .minor = 3, .nr_targets = 2,
	    .targets = { { 0, 8, "linear", "", "7:0 0", NULL, NULL, NULL },
			 { 8, 16, "striped", "", "2 8 7:2 0 7:3 0", NULL, NULL,
			   NULL } } },
	  NULL, 3, "", "mirrorctl: vm1: segment 2 (sector 8) is striped, not "
	  "linear\n", "" },
	{ "start refuses a suspended device", { "start", "vm1", "/dev/sdb" },
	  { .name = "vm1", .major = 253, .minor = 3, .nr_targets = 1,
	    .suspended = 1,
	    .targets = { { 0, 8, "linear", "", "7:0 0", NULL, NULL, NULL } } },
	  NULL, 3, "", "mirrorctl: vm1: device is suspended (another operation "
	  "in progress?)\n", "" },
	{ "start refuses a device with an inactive table",
	  { "start", "vm1", "/dev/sdb" },
	  { .name = "vm1", .major = 253, .minor = 3, .nr_targets = 1,
	    .inactive = 1,
	    .targets = { { 0, 8, "linear", "", "7:0 0", NULL, NULL, NULL } } },
	  NULL, 3, "", "mirrorctl: vm1: an inactive table is loaded (another "
	  "operation in progress?)\n", "" },
	{ "start refuses a device without table", { "start", "vm1", "/dev/sdb" },
	  { .name = "vm1", .major = 253, .minor = 3 }, NULL, 3, "",
	  "mirrorctl: vm1: no table loaded\n", "" },
	{ "start refuses one destination for two devices",
	  { "start", "vm1", "/dev/sdb", "vm2", "/dev/sdb" }, FAKE_LIN, NULL, 2,
	  "", "mirrorctl: vm2: device named twice\n" TRY_HELP, "" },
	{ "start of a missing device", { "start", "vm9", "/dev/sdb" },
	  { .not_exists = 1 }, NULL, 1, "",
	  "mirrorctl: vm9: no such device\n", "" },
	{ "start: the kernel refuses the table",
	  { "start", "vm1", "/dev/sdb" },
	  { .name = "vm1", .major = 253, .minor = 3, .nr_targets = 1,
	    .fail_type = DM_DEVICE_RELOAD + 1, .fail_errno = EINVAL,
	    .targets = { { 0, 131072, "linear", "", "7:0 0", NULL, NULL,
			   NULL } } },
	  NULL, 1, "", "mirrorctl: vm1: cannot load the table: Invalid "
	  "argument\n", "" },
	{ "start: the target module cannot be loaded",
	  { "start", "vm1", "/dev/sdb" },
	  { .name = "vm1", .major = 253, .minor = 3, .nr_targets = 1,
	    .fail_type = DM_DEVICE_RELOAD + 1, .fail_errno = EINVAL,
	    .no_mirrorlive = 1,
	    .targets = { { 0, 131072, "linear", "", "7:0 0", NULL, NULL,
			   NULL } } },
	  NULL, 1, "", "mirrorctl: vm1: cannot load the table: Invalid "
	  "argument\nmirrorctl: mirrorlive: target not available: module "
	  "dm-mirrorlive is not loaded and the kernel could not load it (is it "
	  "installed? modprobe dm-mirrorlive)\n", "" },
	{ "start: suspend fails, the loaded table is dropped",
	  { "start", "vm1", "/dev/sdb" },
	  { .name = "vm1", .major = 253, .minor = 3, .nr_targets = 1,
	    .fail_type = DM_DEVICE_SUSPEND + 1, .fail_errno = EIO,
	    .targets = { { 0, 131072, "linear", "", "7:0 0", NULL, NULL,
			   NULL } } },
	  NULL, 1, "", "mirrorctl: vm1: cannot suspend: Input/output error\n",
	  "load vm1;  0 131072 mirrorlive 7:0 0 7:1 0;clear vm1;" },
	{ "start: someone else loaded a table meanwhile",
	  { "start", "vm1", "/dev/sdb" },
	  { .name = "vm1", .major = 253, .minor = 3, .nr_targets = 1,
	    .change_inactive = 1,
	    .targets = { { 0, 131072, "linear", "", "7:0 0", NULL, NULL,
			   NULL } } },
	  NULL, 3, "", "mirrorctl: vm1: table changed by someone else "
	  "meanwhile\n", "load vm1;  0 131072 mirrorlive 7:0 0 7:1 0;"
	  "suspend vm1;clear vm1;resume vm1;" },

	/* ---- --json: what start, complete and cancel did ---- */
	{ "complete --json", { "complete", "vm1", "--json" },
	  FAKE_ML("ready 131072/131072 0 0 0 0 0 -"), NULL, 0,
	  "{\"version\":1,\"action\":\"complete\",\"exit_code\":0,"
	  "\"switched\":true,\"suspend_ms\":0.000,\"devices\":[{"
	  "\"device\":\"vm1\",\"switched\":true,\"old_table\":\"0 131072 "
	  "mirrorlive 7:0 0 7:1 0\",\"new_table\":\"0 131072 linear 7:1 0\"}],"
	  "\"errors\":[]}\n", "",
	  "load vm1;  0 131072 linear 7:1 0;suspend vm1;resume vm1;" },
	{ "complete --json, refused", { "complete", "vm1", "--json" }, FAKE_VM1,
	  NULL, 3,
	  "{\"version\":1,\"action\":\"complete\",\"exit_code\":3,"
	  "\"switched\":false,\"suspend_ms\":null,\"devices\":[{"
	  "\"device\":\"vm1\",\"switched\":false,\"old_table\":\"0 131072 "
	  "mirrorlive 7:0 0 7:1 0\",\"new_table\":null}],"
	  "\"errors\":[\"vm1: not ready (copying, 50.0% copied), staying on "
	  "the source\"]}\n",
	  "mirrorctl: vm1: not ready (copying, 50.0% copied), staying on the "
	  "source\n", "" },
	{ "cancel --json of a missing device", { "cancel", "nosuch", "--json" },
	  { .not_exists = 1 }, NULL, 1,
	  "{\"version\":1,\"action\":\"cancel\",\"exit_code\":1,"
	  "\"switched\":false,\"suspend_ms\":null,\"devices\":[{"
	  "\"device\":\"nosuch\",\"switched\":false,\"old_table\":null,"
	  "\"new_table\":null}],\"errors\":[\"nosuch: no such device\"]}\n",
	  "mirrorctl: nosuch: no such device\n", "" },
	{ "start --json", { "start", "vm1", "/dev/sdb", "--json" }, FAKE_LIN,
	  NULL, 0,
	  "{\"version\":1,\"action\":\"start\",\"exit_code\":0,"
	  "\"switched\":true,\"suspend_ms\":0.000,\"devices\":[{"
	  "\"device\":\"vm1\",\"switched\":true,\"old_table\":\"0 131072 "
	  "linear 7:0 0\",\"new_table\":\"0 131072 mirrorlive 7:0 0 7:1 0\"}],"
	  "\"errors\":[]}\n", "", START_OPS },

	/* ---- complete ---- */
	{ "complete", { "complete", "vm1" },
	  FAKE_ML("ready 131072/131072 0 0 0 0 0 -"), NULL, 0, "", "",
	  "load vm1;  0 131072 linear 7:1 0;suspend vm1;resume vm1;" },
	{ "complete --verbose reports the suspend window",
	  { "complete", "--verbose", "vm1" },
	  FAKE_ML("ready 131072/131072 0 0 0 0 0 -"), NULL, 0, "",
	  "mirrorctl: complete: 1 device suspended for 0.000 ms\n"
	  "mirrorctl: vm1: now on its destination\n", NULL },
	{ "complete refused before ready", { "complete", "vm1" }, FAKE_VM1,
	  NULL, 3, "", "mirrorctl: vm1: not ready (copying, 50.0% copied), "
	  "staying on the source\n", "" },
	{ "complete refused when paused", { "complete", "vm1" },
	  FAKE_ML("paused 0/131072 0 0 0 0 0 -"), NULL, 3, "",
	  "mirrorctl: vm1: not ready (paused, 0.0% copied), staying on the "
	  "source\n", "" },
	{ "complete refused after a destination failure",
	  { "complete", "vm1" },
	  FAKE_ML("failed 131072/131072 5 1 0 0 0 dest_write_error"), NULL, 3,
	  "", "mirrorctl: vm1: mirror failed (dest_write_error), staying on "
	  "the source\n", "" },
	{ "complete with source errors switches, with a warning",
	  { "complete", "vm1" },
	  FAKE_ML("ready 131072/131072 5 0 3 0 0 -"), NULL, 0, "",
	  "mirrorctl: vm1: warning: 3 source I/O errors while mirroring; "
	  "where a write failed on the source, the destination may hold its "
	  "data\n",
	  "load vm1;  0 131072 linear 7:1 0;suspend vm1;resume vm1;" },
	{ "complete refused with destination errors",
	  { "complete", "vm1" },
	  FAKE_ML("ready 131072/131072 5 2 0 0 0 -"), NULL, 3, "",
	  "mirrorctl: vm1: destination errors (2, -), staying on the source\n",
	  "" },
	{ "complete: failed while suspended, old table back",
	  { "complete", "vm1" },
	  { .name = "vm1", .major = 253, .minor = 3, .nr_targets = 1,
	    .targets = { { 0, 131072, "mirrorlive",
			   "ready 131072/131072 0 0 0 0 0 -", MIRROR_TABLE,
			   "failed 131072/131072 0 1 0 0 0 dest_flush_error",
			   NULL, NULL } } },
	  NULL, 3, "", "mirrorctl: vm1: mirror failed (dest_flush_error), "
	  "staying on the source\n",
	  "load vm1;  0 131072 linear 7:1 0;suspend vm1;clear vm1;"
	  "resume vm1;" },
	{ "complete of a linear device", { "complete", "vm1" }, FAKE_LIN, NULL,
	  3, "", "mirrorctl: vm1: not mirroring (target linear)\n", "" },
	{ "complete --timeout waits for ready",
	  { "complete", "vm1", "--timeout", "60" },
	  FAKE_ML_THEN("copying 0/131072 0 0 0 0 0 -",
		     "ready 131072/131072 0 0 0 0 0 -"),
	  NULL, 0, "", "",
	  "load vm1;  0 131072 linear 7:1 0;suspend vm1;resume vm1;" },
	{ "complete --timeout 0 on a copying mirror",
	  { "complete", "vm1", "--timeout", "0" }, FAKE_VM1, NULL, 4, "",
	  "mirrorctl: vm1: timed out, mirror copying, 50.0% copied\n", "" },
	{ "complete --timeout on a failing mirror",
	  { "complete", "vm1", "--timeout", "60" },
	  FAKE_ML("failed 0/131072 0 1 0 0 0 dest_write_error"), NULL, 3, "",
	  "mirrorctl: vm1: mirror failed: dest_write_error\n", "" },

	/* ---- cancel ---- */
	{ "cancel", { "cancel", "vm1" }, FAKE_VM1, NULL, 0, "", "",
	  "load vm1;  0 131072 linear 7:0 0;suspend vm1;resume vm1;" },
	{ "cancel a failed mirror", { "cancel", "vm1" },
	  FAKE_ML("failed 0/131072 0 1 0 0 0 dest_write_error"), NULL, 0, "",
	  "", "load vm1;  0 131072 linear 7:0 0;suspend vm1;resume vm1;" },
	{ "cancel restores two source segments",
	  { "cancel", "vm1" },
	  { .name = "vm1", .major = 253, .minor = 3, .nr_targets = 2,
	    .targets = { { 0, 1000, "mirrorlive", "ready 1000/1000 0 0 0 0 0 -",
			   "8:16 2048 7:1 0", NULL, NULL, NULL },
			 { 1000, 3000, "mirrorlive",
			   "copying 8/3000 0 0 0 0 0 -",
			   "8:32 777 7:1 1000 2 max_copy_kbps 5", NULL, NULL,
			   NULL } } },
	  NULL, 0, "", "", "load vm1;  0 1000 linear 8:16 2048;"
	  "  1000 3000 linear 8:32 777;suspend vm1;resume vm1;" },
	{ "cancel a linear device", { "cancel", "vm1" }, FAKE_LIN, NULL, 3, "",
	  "mirrorctl: vm1: not mirroring (target linear)\n", "" },

	/* ---- pause, resume, set-rate ---- */
	{ "pause", { "pause", "vm1" }, FAKE_VM1, NULL, 0, "", "",
	  "message vm1 0 pause_copy;" },
	{ "resume", { "resume", "vm1" }, FAKE_VM1, NULL, 0, "", "",
	  "message vm1 0 resume_copy;" },
	{ "set-rate", { "set-rate", "vm1", "100M" }, FAKE_VM1, NULL, 0, "", "",
	  "message vm1 0 max_copy_kbps 102400;" },
	{ "set-rate 0 is unlimited", { "set-rate", "vm1", "0" }, FAKE_VM1,
	  NULL, 0, "", "", "message vm1 0 max_copy_kbps 0;" },
	{ "set-rate in MiB/s", { "set-rate", "vm1", "2MiB/s" }, FAKE_VM1, NULL,
	  0, "", "", "message vm1 0 max_copy_kbps 2048;" },
	{ "set-rate --min-rate: the minimum first, then the limit",
	  { "set-rate", "vm1", "0", "--min-rate", "10M" }, FAKE_VM1, NULL, 0,
	  "", "", "message vm1 0 min_copy_kbps 10240;"
	  "message vm1 0 max_copy_kbps 0;" },
	{ "set-rate --min-rate 0 stops yielding",
	  { "set-rate", "--min-rate=0", "vm1", "1G" }, FAKE_VM1, NULL, 0, "",
	  "", "message vm1 0 min_copy_kbps 0;message vm1 0 max_copy_kbps "
	  "1048576;" },
	{ "set-rate --min-rate without a unit",
	  { "set-rate", "vm1", "0", "--min-rate", "10" }, FAKE_VM1, NULL, 2,
	  "", "mirrorctl: --min-rate 10: no unit: expected a number with a "
	  "binary unit (K, M, G, T or KiB, MiB, GiB, TiB; per second, e.g. "
	  "100M or 100MiB/s), or 0 for unlimited\n" TRY_HELP, "" },
	{ "pause every segment", { "pause", "vm1" },
	  { .name = "vm1", .major = 253, .minor = 3, .nr_targets = 3,
	    .targets = { { 0, 8, "mirrorlive", "", "7:0 0 7:1 0", NULL, NULL,
			   NULL },
			 { 8, 8, "linear", "", "7:0 8", NULL, NULL, NULL },
			 { 16, 8, "mirrorlive", "", "7:0 16 7:1 16", NULL,
			   NULL, NULL } } },
	  NULL, 0, "", "", "message vm1 0 pause_copy;message vm1 16 pause_copy;" },
	{ "set-rate shares RATE among the mirrorlive segments",
	  { "set-rate", "vm1", "3M" },
	  { .name = "vm1", .major = 253, .minor = 3, .nr_targets = 3,
	    .targets = { { 0, 8, "mirrorlive", "", "7:0 0 7:1 0", NULL, NULL,
			   NULL },
			 { 8, 8, "linear", "", "7:0 8", NULL, NULL, NULL },
			 { 16, 8, "mirrorlive", "", "7:0 16 7:1 16", NULL,
			   NULL, NULL } } },
	  NULL, 0, "", "", "message vm1 0 max_copy_kbps 1536;"
	  "message vm1 16 max_copy_kbps 1536;" },
	{ "set-rate --min-rate shares it among the segments too",
	  { "set-rate", "vm1", "0", "--min-rate", "3M" },
	  { .name = "vm1", .major = 253, .minor = 3, .nr_targets = 2,
	    .targets = { { 0, 8, "mirrorlive", "", "7:0 0 7:1 0", NULL, NULL,
			   NULL },
			 { 8, 8, "mirrorlive", "", "7:0 8 7:1 8", NULL, NULL,
			   NULL } } },
	  NULL, 0, "", "", "message vm1 0 min_copy_kbps 1536;"
	  "message vm1 0 max_copy_kbps 0;message vm1 8 min_copy_kbps 1536;"
	  "message vm1 8 max_copy_kbps 0;" },
	{ "set-rate gives each segment at least 1 KiB/s",
	  { "set-rate", "vm1", "1K" },
	  { .name = "vm1", .major = 253, .minor = 3, .nr_targets = 2,
	    .targets = { { 0, 8, "mirrorlive", "", "7:0 0 7:1 0", NULL, NULL,
			   NULL },
			 { 8, 8, "mirrorlive", "", "7:0 8 7:1 8", NULL, NULL,
			   NULL } } },
	  NULL, 0, "", "", "message vm1 0 max_copy_kbps 1;"
	  "message vm1 8 max_copy_kbps 1;" },
	{ "pause a linear device", { "pause", "vm1" }, FAKE_LIN, NULL, 3, "",
	  "mirrorctl: vm1: not mirroring (linear)\n", "" },
	{ "message refused", { "resume", "vm1" },
	  { .name = "vm1", .major = 253, .minor = 3, .nr_targets = 1,
	    .fail_type = DM_DEVICE_TARGET_MSG + 1, .fail_errno = EINVAL,
	    .targets = { { 0, 8, "mirrorlive", "", MIRROR_TABLE, NULL, NULL,
			   NULL } } },
	  NULL, 1, "", "mirrorctl: vm1: cannot send message \"resume_copy\": "
	  "Invalid argument\n", "" },

	/* ---- verify ---- */
	{ "verify: the legs are equal", { "verify", "vm1" }, FAKE_VERIFY_CLEAN,
	  NULL, 0, "vm1: done, 128 of 128 regions verified, 0 mismatched, 0 "
	  "repaired\nvm1: source and destination are equal\n", "",
	  VERIFY_OPS },
	{ "verify: three regions differ", { "verify", "vm1" }, FAKE_VERIFY_3,
	  NULL, 1, VERIFY_3_OUT, "mirrorctl: vm1: source and destination "
	  "differ: 3 mismatched regions " VERIFY_3_AT "\n", VERIFY_OPS },
	{ "verify: offsets of every segment, in the device",
	  { "verify", "/dev/mapper/vm1" }, FAKE_VERIFY_TWO, NULL, 1,
	  "vm1: done, 128 of 128 regions verified, 4 mismatched, 0 repaired\n"
	  "vm1: mismatch at sector 1024 (byte 524288)\n"
	  "vm1: mismatch at sector 4096 (byte 2097152)\n"
	  "vm1: mismatch at sector 66560 (byte 34078720)\n"
	  "vm1: mismatch at sector 68608 (byte 35127296)\n",
	  "mirrorctl: vm1: source and destination differ: 4 mismatched "
	  "regions at sectors 1024, 4096, 66560, 68608 (bytes 524288, 2097152, "
	  "34078720, 35127296)\n",
	  "message vm1 0 verify start;message vm1 66560 verify start;"
	  "message vm1 0 verify mismatches;message vm1 66560 verify "
	  "mismatches;" },
	{ "verify --repair: every region repaired",
	  { "verify", "vm1", "--repair" },
	  FAKE_VERIFY(ST_READY_V("done 128/128 3 0"),
		      ST_READY_V("repairing 0/128 0 0"),
		      ST_READY_V("done 128/128 3 3"), "2048 10240 12288"),
	  NULL, 0, "vm1: done, 128 of 128 regions verified, 3 mismatched, 3 "
	  "repaired\n" VERIFY_3_LINES
	  "vm1: every mismatched region was repaired: source and destination "
	  "are equal now\n", "",
	  "message vm1 0 verify repair;message vm1 0 verify mismatches;" },
	{ "verify --repair: one region could not be repaired",
	  { "verify", "vm1", "--repair" },
	  FAKE_VERIFY(ST_READY_V("- 0/128 0 0"),
		      ST_READY_V("repairing 0/128 0 0"),
		      ST_READY_V("done 128/128 3 2"), "2048 10240 12288"),
	  NULL, 1, "vm1: done, 128 of 128 regions verified, 3 mismatched, 2 "
	  "repaired\n" VERIFY_3_LINES,
	  "mirrorctl: vm1: source and destination differ: 1 of 3 mismatched "
	  "regions not repaired, mismatched " VERIFY_3_AT "\n",
	  "message vm1 0 verify repair;message vm1 0 verify mismatches;" },
	{ "verify while copying: regions copied behind the pass",
	  { "verify", "vm1" },
	  FAKE_VERIFY("copying 65536/131072 0 0 0 0 0 - - - 0/64 0 0",
		      "copying 65536/131072 0 0 0 0 0 - - verifying 0/64 0 0",
		      "copying 98304/131072 0 0 0 0 0 - - done 64/96 0 0",
		      NULL),
	  NULL, 0, "vm1: done, 64 of 96 regions verified, 0 mismatched, 0 "
	  "repaired\nvm1: 32 regions copied during the pass were not "
	  "verified (the copy was running)\nvm1: every region verified is "
	  "equal on both legs\n", "", VERIFY_OPS },
	{ "verify refuses a failed mirror", { "verify", "vm1" },
	  FAKE_ML("failed 131072/131072 0 1 0 0 0 dest_write_error - - 0/128 "
		  "0 0"), NULL, 3, "",
	  "mirrorctl: vm1: mirror failed (dest_write_error): its legs may "
	  "rightly differ, nothing to verify\n", "" },
	{ "verify refuses while a pass runs", { "verify", "vm1" },
	  FAKE_ML(ST_READY_V("repairing 5/128 0 0")), NULL, 3, "",
	  "mirrorctl: vm1: a verify pass is running already (segment at "
	  "sector 0, repairing)\n", "" },
	{ "verify refuses a suspended device", { "verify", "vm1" },
	  FAKE_UNVERIFIED(.suspended = 1),
	  NULL, 3, "", "mirrorctl: vm1: device is suspended (another "
	  "operation in progress?)\n", "" },
	{ "verify refuses a device with an inactive table", { "verify", "vm1" },
	  FAKE_UNVERIFIED(.inactive = 1),
	  NULL, 3, "", "mirrorctl: vm1: an inactive table is loaded (another "
	  "operation in progress?)\n", "" },
	{ "verify refuses a linear device", { "verify", "vm1" }, FAKE_LIN,
	  NULL, 3, "", "mirrorctl: vm1: not a mirrorlive device (target "
	  "linear)\n", "" },
	{ "verify of an older target's line", { "verify", "vm1" },
	  FAKE_ML("ready 131072/131072 0 0 0 0 0 - -"), NULL, 1,
	  "vm1: -, 0 of 0 regions verified, 0 mismatched, 0 repaired\n",
	  "mirrorctl: vm1: verify: its pass is gone: the table was replaced "
	  "meanwhile\n", VERIFY_OPS },
	{ "verify: the kernel refuses the pass", { "verify", "vm1" },
	  FAKE_UNVERIFIED(.fail_type = DM_DEVICE_TARGET_MSG + 1,
			  .fail_errno = EBUSY),
	  NULL, 1, "", "mirrorctl: vm1: cannot send message \"verify start\": "
	  "Device or resource busy\n", "" },
	{ "verify: stopped by someone else", { "verify", "vm1" },
	  FAKE_VERIFY(ST_READY_V("- 0/128 0 0"),
		      ST_READY_V("verifying 0/128 0 0"),
		      ST_READY_V("stopped 40/128 0 0"), NULL),
	  NULL, 1, "vm1: stopped, 40 of 128 regions verified, 0 mismatched, 0 "
	  "repaired\n", "mirrorctl: vm1: verify: its pass was stopped by "
	  "someone else (verify stop, or a suspend of the device) after 40 of "
	  "128 regions\n", VERIFY_OPS },
	{ "verify: the mirror failed during the pass", { "verify", "vm1" },
	  FAKE_VERIFY(ST_READY_V("- 0/128 0 0"),
		      ST_READY_V("verifying 0/128 0 0"),
		      "failed 131072/131072 0 1 0 0 0 dest_read_error - error "
		      "60/128 0 0", NULL),
	  NULL, 1, "vm1: error, 60 of 128 regions verified, 0 mismatched, 0 "
	  "repaired\n", "mirrorctl: vm1: verify: the pass ended in error: "
	  "mirror failed (dest_read_error)\n", VERIFY_OPS },
	{ "verify: a read of the source failed", { "verify", "vm1" },
	  FAKE_VERIFY(ST_READY_V("- 0/128 0 0"),
		      ST_READY_V("verifying 0/128 0 0"),
		      "ready 131072/131072 0 0 2 0 0 - - error 60/128 1 0",
		      "512"),
	  NULL, 1, "vm1: error, 60 of 128 regions verified, 1 mismatched, 0 "
	  "repaired\nvm1: mismatch at sector 512 (byte 262144)\n",
	  "mirrorctl: vm1: verify: the pass ended in error: a read of the "
	  "source failed (2 source errors, see the kernel log)\n",
	  VERIFY_OPS },
	{ "verify --timeout 0 stops the pass", { "verify", "vm1",
						 "--timeout", "0" },
	  FAKE_VERIFY(ST_READY_V("- 0/128 0 0"),
		      ST_READY_V("verifying 0/128 0 0"), NULL, NULL),
	  NULL, 4, "vm1: verifying, 0 of 128 regions verified, 0 mismatched, "
	  "0 repaired\n", "mirrorctl: vm1: timed out, verify at 0.0% (0 of "
	  "128 regions): stopped the passes\n",
	  "message vm1 0 verify start;message vm1 0 verify stop;"
	  "message vm1 0 verify mismatches;" },
	{ "verify: Ctrl-C stops the pass", { "verify", "vm1" },
	  { .name = "vm1", .major = 253, .minor = 3, .nr_targets = 1,
	    .raise_on_wait = SIGINT,
	    .targets = { { 0, 131072, "mirrorlive", ST_READY_V("- 0/128 0 0"),
			   MIRROR_TABLE, NULL, ST_READY_V("stopped 9/128 0 0"),
			   NULL } },
	    .verify_params = { ST_READY_V("verifying 0/128 0 0") } },
	  NULL, 1, "vm1: stopped, 9 of 128 regions verified, 0 mismatched, 0 "
	  "repaired\n", "mirrorctl: vm1: verify interrupted: stopped the "
	  "passes\n", "message vm1 0 verify start;message vm1 0 verify stop;"
	  "message vm1 0 verify mismatches;" },
	{ "verify: unparseable mismatches", { "verify", "vm1" },
	  FAKE_VERIFY(ST_READY_V("- 0/128 0 0"),
		      ST_READY_V("verifying 0/128 0 0"),
		      ST_READY_V("done 128/128 2 0"), "2048  4096"),
	  NULL, 1, "vm1: done, 128 of 128 regions verified, 2 mismatched, 0 "
	  "repaired\nvm1: ...and 2 more mismatched regions\n",
	  "mirrorctl: vm1: unparseable result of \"verify mismatches\" "
	  "(segment at sector 0): \"2048  4096\"\n"
	  "mirrorctl: vm1: source and destination differ: 2 mismatched "
	  "regions at unknown sectors\n", VERIFY_OPS },
	{ "verify --json", { "verify", "vm1", "--json" }, FAKE_VERIFY_3, NULL,
	  1, "{\"version\":1,\"action\":\"verify\",\"exit_code\":1,"
	  "\"repair\":false,\"devices\":[{\"device\":\"vm1\","
	  "\"verify_state\":\"done\",\"verified_regions\":128,"
	  "\"copied_regions\":128,\"mismatched_regions\":3,"
	  "\"repaired_regions\":0,\"mismatch_sectors\":[2048,10240,12288],"
	  "\"segments\":[{\"start_sector\":0,\"length_sectors\":131072,"
	  "\"verify_state\":\"done\",\"verified_regions\":128,"
	  "\"copied_regions\":128,\"mismatched_regions\":3,"
	  "\"repaired_regions\":0}]}],\"errors\":[\"vm1: source and "
	  "destination differ: 3 mismatched regions " VERIFY_3_AT "\"]}\n",
	  "mirrorctl: vm1: source and destination differ: 3 mismatched "
	  "regions " VERIFY_3_AT "\n", VERIFY_OPS },
	{ "verify --json of a refused device", { "verify", "vm1", "--json" },
	  FAKE_LIN, NULL, 3, "{\"version\":1,\"action\":\"verify\","
	  "\"exit_code\":3,\"repair\":false,\"devices\":[{\"device\":"
	  "\"vm1\",\"verify_state\":null,\"verified_regions\":null,"
	  "\"copied_regions\":null,\"mismatched_regions\":null,"
	  "\"repaired_regions\":null,\"mismatch_sectors\":null,"
	  "\"segments\":null}],\"errors\":[\"vm1: not a mirrorlive device "
	  "(target linear)\"]}\n",
	  "mirrorctl: vm1: not a mirrorlive device (target linear)\n", "" },
	{ "verify of one device twice", { "verify", "vm1", "vm1" },
	  FAKE_VERIFY_CLEAN, NULL, 2, "", "mirrorctl: vm1: device named "
	  "twice\n" TRY_HELP, "" },
	{ "verify without DEVICE", { "verify" }, { 0 }, NULL, 2, "",
	  "mirrorctl: verify: wrong number of arguments, usage: mirrorctl "
	  "verify DEVICE...\n" TRY_HELP, "" },
	{ "verify takes no --keep-source", { "verify", "vm1", "--keep-source" },
	  { 0 }, NULL, 2, "", "mirrorctl: --keep-source: not an option of "
	  "verify\n" TRY_HELP, "" },
	{ "complete takes no --repair", { "complete", "vm1", "--repair" },
	  { 0 }, NULL, 2, "", "mirrorctl: --repair: not an option of "
	  "complete\n" TRY_HELP, "" },

	/* ---- complete --verify ---- */
	{ "complete --verify: equal, switched", { "complete", "vm1",
						  "--verify" },
	  FAKE_VERIFY_CLEAN, NULL, 0, "", "", VERIFY_OPS COMPLETE_OPS },
	{ "complete --verify --verbose says so",
	  { "complete", "vm1", "--verify", "-v" }, FAKE_VERIFY_CLEAN, NULL, 0,
	  "", "mirrorctl: vm1: sent \"verify start\" to 1 segment\n"
	  "mirrorctl: vm1: verified 128 regions: source and destination are "
	  "equal\n"
	  "mirrorctl: complete: 1 device suspended for 0.000 ms\n"
	  "mirrorctl: vm1: now on its destination\n",
	  VERIFY_OPS COMPLETE_OPS },
	{ "complete --verify refuses when regions differ",
	  { "complete", "vm1", "--verify" }, FAKE_VERIFY_3, NULL, 3, "",
	  "mirrorctl: vm1: source and destination differ: 3 mismatched "
	  "regions " VERIFY_3_AT ": staying on the source\n", VERIFY_OPS },
	{ "complete --verify --keep-source", { "complete", "vm1", "--verify",
					       "--keep-source" },
	  FAKE_VERIFY_CLEAN, NULL, 0, "", "", VERIFY_OPS
	  "load vm1;  0 131072 mirrorlive 7:1 0 7:0 0 1 nosync;suspend vm1;"
	  "resume vm1;" },
	{ "complete --verify --keep-source refuses when regions differ",
	  { "complete", "vm1", "--verify", "--keep-source" }, FAKE_VERIFY_3,
	  NULL, 3, "", "mirrorctl: vm1: source and destination differ: 3 "
	  "mismatched regions " VERIFY_3_AT ": staying on the source\n",
	  VERIFY_OPS },
	{ "complete --verify of a mirror not ready: no pass",
	  { "complete", "vm1", "--verify" }, FAKE_VERIFY("copying 65536/131072 "
	  "0 0 0 0 0 - - - 0/64 0 0", NULL, NULL, NULL), NULL, 3, "",
	  "mirrorctl: vm1: not ready (copying, 50.0% copied), staying on the "
	  "source\n", "" },
	{ "complete --verify refuses regions left unverified",
	  { "complete", "vm1", "--verify" },
	  FAKE_VERIFY(ST_READY_V("- 0/128 0 0"),
		      ST_READY_V("verifying 0/128 0 0"),
		      ST_READY_V("done 100/128 0 0"), NULL),
	  NULL, 3, "", "mirrorctl: vm1: verify: 28 of 128 copied regions were "
	  "not verified (copied during the pass): staying on the source\n",
	  VERIFY_OPS },
	{ "complete --verify refuses a pass stopped by someone else",
	  { "complete", "vm1", "--verify" },
	  FAKE_VERIFY(ST_READY_V("- 0/128 0 0"),
		      ST_READY_V("verifying 0/128 0 0"),
		      ST_READY_V("stopped 3/128 0 0"), NULL),
	  NULL, 3, "", "mirrorctl: vm1: verify: its pass was stopped by "
	  "someone else (verify stop, or a suspend of the device) after 3 of "
	  "128 regions: staying on the source\n", VERIFY_OPS },
	{ "complete --verify --json refused", { "complete", "vm1", "--verify",
						"--json" },
	  FAKE_VERIFY_3, NULL, 3, "{\"version\":1,\"action\":\"complete\","
	  "\"exit_code\":3,\"switched\":false,\"suspend_ms\":null,"
	  "\"devices\":[{\"device\":\"vm1\",\"switched\":false,"
	  "\"old_table\":\"0 131072 mirrorlive 7:0 0 7:1 0\","
	  "\"new_table\":null}],\"errors\":[\"vm1: source and destination "
	  "differ: 3 mismatched regions " VERIFY_3_AT ": staying on the "
	  "source\"]}\n", NULL, VERIFY_OPS },

	/* ---- wait ---- */
	{ "wait on a ready mirror", { "wait", "vm1" },
	  FAKE_ML("ready 131072/131072 0 0 0 0 0 -"), NULL, 0, "", "", "" },
	{ "wait for ready", { "wait", "vm1", "--progress" },
	  FAKE_ML_THEN("copying 0/131072 0 0 0 0 0 -",
		     "ready 131072/131072 0 0 0 0 0 -"),
	  NULL, 0, "", "", "" },
	{ "wait on a failed mirror", { "wait", "vm1" },
	  FAKE_ML("failed 0/131072 0 0 1 0 0 source_read_error"), NULL, 1, "",
	  "mirrorctl: vm1: mirror failed: source_read_error\n", "" },
	{ "wait until it fails", { "wait", "vm1", "--timeout", "10" },
	  FAKE_ML_THEN("copying 0/131072 0 0 0 0 0 -",
		     "failed 8/131072 0 1 0 0 0 dest_write_error"),
	  NULL, 1, "", "mirrorctl: vm1: mirror failed: dest_write_error\n", "" },
	{ "monitor --interval 0", { "monitor", "vm1", "--interval", "0" },
	  { 0 }, NULL, 2, "", "mirrorctl: --interval 0: expected whole seconds, "
	  "1 to 86400\n" TRY_HELP, "" },
	{ "monitor --interval 1.5", { "monitor", "vm1", "--interval", "1.5" },
	  { 0 }, NULL, 2, "", "mirrorctl: --interval 1.5: expected whole "
	  "seconds, 1 to 86400\n" TRY_HELP, "" },
	{ "wait takes no --interval", { "wait", "vm1", "--interval", "5" },
	  { 0 }, NULL, 2, "", "mirrorctl: --interval: not an option of wait\n"
	  TRY_HELP, "" },
	{ "wait --timeout 0", { "wait", "vm1", "--timeout", "0" }, FAKE_VM1,
	  NULL, 4, "", "mirrorctl: vm1: timed out, mirror copying, 50.0% "
	  "copied\n", "" },
	{ "wait on a paused mirror says so", { "wait", "vm1", "--timeout", "0" },
	  FAKE_ML("paused 65536/131072 3 0 0 2 0 -"), NULL, 4, "",
	  "mirrorctl: vm1: the copy is paused: waiting until it is resumed "
	  "(mirrorctl resume-copy vm1)\n"
	  "mirrorctl: vm1: timed out, mirror paused, 50.0% copied\n", "" },
	{ "wait on a linear device", { "wait", "vm1" }, FAKE_LIN, NULL, 3, "",
	  "mirrorctl: vm1: not a mirrorlive device (target linear)\n", "" },

	/* ---- wrap ---- */
	{ "wrap", { "wrap", "/dev/sdb", "disk0" }, { .not_exists = 1 }, NULL,
	  0, "", "", "create disk0 uuid MIRRORLIVE-disk0;  0 131072 linear 7:1 "
	  "0;" },
	{ "wrap: a name too long for the UUID keeps it unique",
	  { "wrap", "/dev/sdb", LONG_NAME }, { .not_exists = 1 }, NULL, 0, "",
	  "", "create " LONG_NAME " uuid MIRRORLIVE-" LONG_100 "-"
	  LONG_HASH ";  0 131072 linear 7:1 0;" },
	{ "wrap onto a taken name", { "wrap", "/dev/sdb", "vm1" }, FAKE_LIN,
	  NULL, 3, "", "mirrorctl: vm1: a device of that name, or of dm UUID "
	  "MIRRORLIVE-vm1, exists\n", "" },
	{ "wrap a disk in use", { "wrap", "/dev/sdb", "disk0" },
	  { .not_exists = 1 }, &(const struct fake_host){ .excl_ret = -EBUSY },
	  3, "", "mirrorctl: /dev/sdb: device is in use (mounted, or held by "
	  "another process or device)\n", "" },
	{ "wrap a missing disk", { "wrap", "/dev/nope", "disk0" },
	  { .not_exists = 1 }, &(const struct fake_host){ .get_ret = -ENODEV },
	  1, "", "mirrorctl: /dev/nope: no such device\n", "" },

	/* ---- no device-mapper to talk to: nothing asked of it ---- */
	{ "not root", { "start", "vm1", "/dev/sdb" },
	  { .name = "vm1", .access_ret = -EPERM }, NULL, 1, "",
	  "mirrorctl: fake: no device-mapper (-1)\n", "" },
	{ "no dm_mod", { "list" }, { .access_ret = -ENODEV }, NULL, 1, "",
	  "mirrorctl: fake: no device-mapper (-19)\n", "" },
	/* --verbose's last word names no internal code */
	{ "a refusal under --verbose", { "-v", "cancel", "vm1" }, FAKE_LIN,
	  NULL, 3, "", "mirrorctl: vm1: not mirroring (target linear)\n"
	  "mirrorctl: failed: Precondition not met (exit 3)\n", "" },
};

struct cli_result {
	int exit_code;
	char *out;
	char *err;
};

static void run_cli(const char * const *args, const struct fake_setup *f,
		    const struct fake_host *h, struct cli_result *res)
{
	const char *argv[MAX_ARGS + 2] = { "mirrorctl" };
	struct unit_capture out, err;
	int argc = 1;

	while (argc <= MAX_ARGS && args[argc - 1]) {
		argv[argc] = args[argc - 1];
		argc++;
	}

	fake_reset(f);
	fake_host_reset(h ? h : &host_ok);
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

	run_cli(row->argv, &row->fake, row->host, &res);
	ok = res.exit_code == row->exit_code && !strcmp(res.out, row->out) &&
	     (!row->err || !strcmp(res.err, row->err)) &&
	     (!row->ops || !strcmp(fake.ops, row->ops));
	if (!ok)
		print_error("exit %d (want %d)\nstdout:\n%s\nstderr:\n%s\n"
			    "ops: %s\n", res.exit_code, row->exit_code, res.out,
			    res.err, fake.ops);
	free(res.out);
	free(res.err);
	assert_true(ok);
	assert_int_equal(fake.tasks_live, 0);
	/* Never left suspended, never holding the lock, nothing recorded. */
	assert_int_equal(fake.suspended, row->fake.suspended);
	assert_int_equal(fhost.locked, 0);
	assert_string_equal(fhost.journal, "");
}

/* Every line of @text fits 80 columns (79 characters, no tab). */
static void assert_fits_80(const char *text)
{
	const char *p = text, *nl;

	for (; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		assert_non_null(nl);
		if (nl - p > 79 || memchr(p, '\t', nl - p))
			fail_msg("help line too wide: \"%.*s\"", (int)(nl - p), p);
	}
}

/* --help, help: the synopsis, every action, the common options, exits. */
static void cli_test_help(void **state)
{
	static const char * const wanted[] = {
		"Usage: mirrorctl [OPTION...] ACTION [ARG...]\n",
		"  -v, --verbose ", "  --debug ", "  -V, --version ",
		"  -h, --help ",
		"  start DEVICE DEST [DEVICE DEST]...\n", "  status DEVICE ",
		"  list ", "  wait DEVICE... ", "  monitor DEVICE... ",
		"  verify DEVICE... ", "  complete DEVICE... ",
		"  cancel DEVICE... ", "  pause-copy DEVICE ",
		"(also: pause)", "  resume-copy DEVICE ", "(also: resume)",
		"  set-rate DEVICE RATE ", "  recover ",
		"  wrap BLOCKDEV NAME ", "  help [ACTION] ",
		"  0  success\n", "  1  operation failed", "  2  usage error\n",
		"  3  precondition not met", "  4  timeout (--timeout)\n",
	};
	static const char * const args[][MAX_ARGS] = {
		{ "--help" }, { "-h" }, { "help" }, { "--help", "bogus" },
	};
	struct cli_result res;
	size_t i, j;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(args); i++) {
		run_cli(args[i], &(struct fake_setup){ 0 }, NULL, &res);
		assert_int_equal(res.exit_code, 0);
		assert_string_equal(res.err, "");
		for (j = 0; j < ARRAY_SIZE(wanted); j++)
			if (!strstr(res.out, wanted[j]))
				fail_msg("--help lacks \"%s\"", wanted[j]);
		/* the options of actions are in their own help */
		assert_null(strstr(res.out, "--region-size"));
		assert_fits_80(res.out);
		free(res.out);
		free(res.err);
	}
}

/*
 * ACTION --help and help ACTION: the action's usage, its options and no
 * other action's, the common options; the same text either way.
 */
static void cli_test_action_help(void **state)
{
	static const struct {
		const char *action, *usage, *has, *lacks;
	} rows[] = {
		{ "start", "Usage: mirrorctl start DEVICE DEST [DEVICE DEST]... "
		  "[OPTION...]\n", "  --region-size=SIZE ", "Also called" },
		{ "status", "Usage: mirrorctl status DEVICE [OPTION...]\n",
		  "  --json ", "--progress" },
		{ "wait", "Usage: mirrorctl wait DEVICE... [OPTION...]\n",
		  "  --progress ", "--json" },
		{ "cancel", "Usage: mirrorctl cancel DEVICE... [OPTION...]\n",
		  "  --timeout=SECS ", "  --wait " },
		{ "verify", "Usage: mirrorctl verify DEVICE... [OPTION...]\n",
		  "  --repair ", "--keep-source" },
		{ "complete", "Usage: mirrorctl complete DEVICE... "
		  "[OPTION...]\n", "  --verify ", "--repair" },
		{ "pause", "Usage: mirrorctl pause-copy DEVICE [OPTION...]\n",
		  "Also called: pause\n", "--json" },
		{ "resume-copy", "Usage: mirrorctl resume-copy DEVICE "
		  "[OPTION...]\n", "Also called: resume\n", "--json" },
		{ "recover", "Usage: mirrorctl recover [OPTION...]\n",
		  "  --timeout=SECS ", "--json" },
	};
	struct cli_result a, b;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		run_cli((const char * const[MAX_ARGS]){ rows[i].action, "--help" },
			&(struct fake_setup){ 0 }, NULL, &a);
		run_cli((const char * const[MAX_ARGS]){ "help", rows[i].action },
			&(struct fake_setup){ 0 }, NULL, &b);
		assert_int_equal(a.exit_code, 0);
		assert_int_equal(b.exit_code, 0);
		assert_string_equal(a.out, b.out);
		assert_string_equal(a.err, "");
		assert_string_equal(b.err, "");
		if (strncmp(a.out, rows[i].usage, strlen(rows[i].usage)))
			fail_msg("%s --help starts \"%.60s\"", rows[i].action,
				 a.out);
		assert_non_null(strstr(a.out, rows[i].has));
		assert_null(strstr(a.out, rows[i].lacks));
		assert_non_null(strstr(a.out, "  -v, --verbose "));
		assert_non_null(strstr(a.out, "  4  timeout (--timeout)\n"));
		assert_fits_80(a.out);
		free(a.out);
		free(a.err);
		free(b.out);
		free(b.err);
	}
	run_cli((const char * const[MAX_ARGS]){ "help", "bogus" },
		&(struct fake_setup){ 0 }, NULL, &a);
	assert_int_equal(a.exit_code, 2);
	assert_string_equal(a.out, "");
	assert_string_equal(a.err, "mirrorctl: bogus: unknown action\n" TRY_HELP);
	free(a.out);
	free(a.err);
}

/*
 * Every device a swap switched, or a recovery changed, is one syslog line
 * with its tables (swaplog.h); a refusal logs nothing.
 */
static void cli_test_syslog(void **state)
{
	static const struct fake_setup ready =
		FAKE_ML("ready 131072/131072 0 0 0 0 0 -");
	static const struct fake_setup copying = FAKE_VM1, lin = FAKE_LIN;
	struct cli_result res;

	(void)state;
	run_cli((const char * const[MAX_ARGS]){ "complete", "vm1" }, &ready,
		NULL, &res);
	assert_int_equal(res.exit_code, 0);
	assert_string_equal(fhost.syslog, "complete vm1 (253:3): switched; "
			    "was: 0 131072 mirrorlive 7:0 0 7:1 0; now: 0 "
			    "131072 linear 7:1 0\n");
	free(res.out);
	free(res.err);
	run_cli((const char * const[MAX_ARGS]){ "start", "vm1", "/dev/sdb" },
		&lin, NULL, &res);
	assert_int_equal(res.exit_code, 0);
	assert_string_equal(fhost.syslog, "start vm1 (253:3): switched; was: "
			    "0 131072 linear 7:0 0; now: 0 131072 mirrorlive "
			    "7:0 0 7:1 0\n");
	free(res.out);
	free(res.err);
	run_cli((const char * const[MAX_ARGS]){ "complete", "vm1" }, &copying,
		NULL, &res);
	assert_int_equal(res.exit_code, 3);
	assert_string_equal(fhost.syslog, "");
	free(res.out);
	free(res.err);
}

/*
 * monitor: a phase line at the start and one per change, as JSON events
 * of the versioned schema, or text with --progress; it ends as wait does.
 */
static void cli_test_monitor(void **state)
{
	static const struct fake_setup fails =
		FAKE_ML_THEN("copying 0/131072 0 0 0 0 0 -",
			     "failed 8/131072 0 1 0 0 0 dest_write_error");
	static const struct fake_setup ready =
		FAKE_ML("ready 131072/131072 0 0 0 0 0 -");
	struct cli_result res;
	const char *second;

	(void)state;
	run_cli((const char * const[MAX_ARGS]){ "monitor", "vm1" }, &fails,
		NULL, &res);
	assert_int_equal(res.exit_code, 1);
	assert_string_equal(res.err, "mirrorctl: vm1: mirror failed: "
			    "dest_write_error\n");
	assert_int_equal(strncmp(res.out, "{\"version\":1,\"event\":\"phase\","
				 "\"time\":", 36), 0);
	assert_non_null(strstr(res.out, ",\"device\":{\"device\":\"vm1\","
				       "\"phase\":\"copying\","));
	second = strchr(res.out, '\n');
	assert_non_null(second);
	assert_non_null(strstr(second, "\"event\":\"phase\""));
	assert_non_null(strstr(second, "\"phase\":\"failed\""));
	assert_non_null(strstr(second, "\"reason\":\"dest_write_error\""));
	assert_null(strchr(strchr(second + 1, '\n') + 1, '\n'));
	free(res.out);
	free(res.err);

	run_cli((const char * const[MAX_ARGS]){ "monitor", "vm1",
						"--progress" },
		&ready, NULL, &res);
	assert_int_equal(res.exit_code, 0);
	assert_string_equal(res.out, "vm1: ready 100.0% 64.0 MiB/64.0 MiB\n");
	assert_string_equal(res.err, "");
	free(res.out);
	free(res.err);
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
	run_cli(args, &f, NULL, &res);
	assert_int_equal(res.exit_code, 1);
	assert_string_equal(res.out, "");
	assert_non_null(strstr(res.err, "# running action status\n"));
	assert_non_null(strstr(res.err, "# libdevmapper fake.c:1: ioctl failed\n"));
	assert_null(strstr(res.err, "<backtrace>"));
	assert_non_null(strstr(res.err, "mirrorctl: nonexistent: device-mapper "
				       "request failed: ioctl failed\n"));
	assert_non_null(strstr(res.err, "mirrorctl: failed: Operation not "
				       "permitted (exit 1)\n"));
	free(res.out);
	free(res.err);
}

/* Changing commands hold the lock; looking ones do not need it. */
static void cli_test_lock(void **state)
{
	static const char * const start[MAX_ARGS] = {
		"start", "vm1", "/dev/sdb",
	};
	static const char * const status[MAX_ARGS] = { "status", "vm1" };
	static const struct fake_setup lin = FAKE_LIN, vm1 = FAKE_VM1;
	struct cli_result res;

	(void)state;
	run_cli(start, &lin, NULL, &res);
	assert_int_equal(res.exit_code, 0);
	assert_int_equal(fhost.lock_taken, 1);
	assert_int_equal(fhost.probes, 1);
	free(res.out);
	free(res.err);
	run_cli(status, &vm1, NULL, &res);
	assert_int_equal(res.exit_code, 0);
	assert_int_equal(fhost.lock_taken, 0);
	free(res.out);
	free(res.err);
}

/*
 * Run "mirrorctl @args..." against @f with stdout on a terminal (a pty);
 * what it wrote there goes to @buf.  Returns the exit code.
 */
static int run_on_tty(const char * const *args, const struct fake_setup *f,
		      char *buf, size_t size)
{
	const char *argv[MAX_ARGS + 2] = { "mirrorctl" };
	int master, slave, saved, rc, argc = 1;
	ssize_t n, len = 0;

	while (argc <= MAX_ARGS && args[argc - 1]) {
		argv[argc] = args[argc - 1];
		argc++;
	}
	assert_int_equal(openpty(&master, &slave, NULL, NULL, NULL), 0);
	fake_reset(f);
	fake_host_reset(&host_ok);
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	dup2(slave, STDOUT_FILENO);
	rc = mirrorctl_main(argc, argv);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	close(slave);
	fcntl(master, F_SETFL, O_NONBLOCK);
	while ((n = read(master, buf + len, size - 1 - len)) > 0)
		len += n;
	close(master);
	buf[len] = '\0';
	return rc;
}

/*
 * --progress on a terminal: one line, redrawn in place ("\33[2K\r"); wait
 * ends it on the ready state and leaves it, verify erases it when the pass
 * ended and prints its report.  The pty turns a newline into CR LF.
 */
static const struct tty_row {
	const char *what;
	const char *argv[MAX_ARGS];
	struct fake_setup fake;
	const char *out;		/* exactly what reached the terminal */
} tty_rows[] = {
	{ "wait --progress", { "wait", "vm1", "--progress" },
	  FAKE_ML_THEN("copying 0/131072 0 0 0 0 0 -",
		       "ready 131072/131072 0 0 0 0 0 -"),
	  "\33[2K\rvm1: copying 0.0% 0 B/64.0 MiB, -, ETA -\33[2K\rvm1: ready "
	  "100.0% 64.0 MiB/64.0 MiB\r\n" },
	{ "verify --progress", { "verify", "vm1", "--progress" },
	  FAKE_VERIFY_CLEAN,
	  "\33[2K\rvm1: verifying 0.0% 0/128 regions, 0 mismatched\33[2K\r"
	  "vm1: done, 128 of 128 regions verified, 0 mismatched, 0 repaired"
	  "\r\nvm1: source and destination are equal\r\n" },
};

static void cli_test_tty_row(void **state)
{
	const struct tty_row *row = *state;
	char buf[512];

	assert_int_equal(run_on_tty(row->argv, &row->fake, buf, sizeof(buf)),
			 0);
	assert_int_equal(fake.waits, 1);
	assert_string_equal(buf, row->out);
}

/*
 * verify names the device's first VERIFY_MAX_MISMATCHES mismatches: those
 * of the first segment before the second's, counting the rest.
 */
static void cli_test_verify_many(void **state)
{
	static char first[VERIFY_MAX_MISMATCHES * 8];
	struct fake_setup f = FAKE_VERIFY_TWO;
	char want[4096];
	struct cli_result res;
	size_t i, len = 0, at = 0;

	(void)state;
	for (i = 0; i < VERIFY_MAX_MISMATCHES; i++)
		len += snprintf(first + len, sizeof(first) - len, "%s%zu",
				i ? " " : "", i * 1024);
	f.response[0] = first;
	f.response[2] = "0 1024 2048";
	f.targets[0].params_after = ST_HALF_V("done 64/64 40 0");
	f.targets[2].params_after = ST_HALF_V("done 64/64 3 0");
	at += snprintf(want + at, sizeof(want) - at, "vm1: done, 128 of 128 "
		       "regions verified, 43 mismatched, 0 repaired\n");
	for (i = 0; i < VERIFY_MAX_MISMATCHES; i++)
		at += snprintf(want + at, sizeof(want) - at, "vm1: mismatch at "
			       "sector %zu (byte %zu)\n", i * 1024,
			       i * 1024 * 512);
	snprintf(want + at, sizeof(want) - at, "vm1: ...and 11 more "
		 "mismatched regions\n");
	run_cli((const char * const[MAX_ARGS]){ "verify", "vm1" }, &f, NULL,
		&res);
	assert_int_equal(res.exit_code, 1);
	assert_string_equal(res.out, want);
	assert_string_equal(res.err, "mirrorctl: vm1: source and destination "
			    "differ: 43 mismatched regions at sectors 0, 1024, "
			    "2048, 3072, 4096, 5120, 6144, 7168 (bytes 0, "
			    "524288, 1048576, 1572864, 2097152, 2621440, "
			    "3145728, 3670016) and 35 more\n");
	assert_int_equal(fake.tasks_live, 0);
	free(res.out);
	free(res.err);
}

/* ---- recovering what a killed mirrorctl left behind (journal.h) ---- */

#define T_MIRROR	"0 131072 mirrorlive 7:0 0 7:1 0"
#define T_SOURCE	"0 131072 linear 7:0 0"
#define T_DEST		"0 131072 linear 7:1 0"
#define ST_READY	"ready 131072/131072 0 0 0 0 0 -"
#define KILLED_PID	4242

/* One live table line, and maybe an inactive one, of device vm1. */
#define ML_LIVE		{ 0, 131072, "mirrorlive", ST_READY, MIRROR_TABLE, \
			  NULL, NULL, NULL }
#define SRC_LIVE	{ 0, 131072, "linear", "", "7:0 0", NULL, NULL, NULL }
#define ML_INACTIVE	{ 0, 131072, "mirrorlive", NULL, MIRROR_TABLE, NULL, \
			  NULL, NULL }
#define SRC_INACTIVE	{ 0, 131072, "linear", NULL, "7:0 0", NULL, NULL, NULL }
#define DEST_INACTIVE	{ 0, 131072, "linear", NULL, "7:1 0", NULL, NULL, NULL }
#define VM1		.name = "vm1", .major = 253, .minor = 3, \
			.nr_targets = 1, .list = { "vm1" }

static const struct recover_row {
	const char *what;
	const char *argv[MAX_ARGS];
	struct fake_setup fake;
	const char *action;		/* the record: the killed command */
	enum journal_phase phase;
	const char *live, *next;	/* ...and its tables, one line each */
	const char *dev;		/* ...on this device; NULL: vm1 */
	const char *text;		/* a record given as text instead */
	int exit_code;
	const char *err;		/* exact stderr */
	const char *ops;		/* exact fake.ops */
	int left_suspended;
	int keeps_record;
	const char *out;		/* exact stdout; NULL: "" */
	int lock_busy;			/* a mirrorctl holds the lock */
} recover_rows[] = {
	{ "complete killed while suspended: undone, then complete runs",
	  { "complete", "vm1" },
	  { VM1, .targets = { ML_LIVE }, .suspended = 1, .nr_inactive = 1,
	    .inactive_targets = { DEST_INACTIVE } },
	  "complete", JOURNAL_PREPARE, T_MIRROR, T_DEST, NULL, NULL, 0,
	  "mirrorctl: vm1: undid an interrupted complete (pid 4242): back on "
	  "its previous table\n",
	  "clear vm1;resume vm1;load vm1;  0 131072 linear 7:1 0;suspend vm1;"
	  "resume vm1;", 0, 0, NULL, 0 },
	{ "complete killed after its checks: finished",
	  { "complete", "vm1" },
	  { VM1, .targets = { ML_LIVE }, .suspended = 1, .nr_inactive = 1,
	    .inactive_targets = { DEST_INACTIVE }, .swap_on_resume = 1 },
	  "complete", JOURNAL_COMMIT, T_MIRROR, T_DEST, NULL, NULL, 3,
	  "mirrorctl: vm1: finished an interrupted complete (pid 4242): its "
	  "checks had passed, its new table is live\n"
	  "mirrorctl: vm1: not mirroring (target linear)\n", "resume vm1;", 0, 0, NULL, 0 },
	{ "start killed after its load: undone, then start runs",
	  { "start", "vm1", "/dev/sdb" },
	  { VM1, .targets = { SRC_LIVE }, .nr_inactive = 1,
	    .inactive_targets = { ML_INACTIVE } },
	  "start", JOURNAL_PREPARE, T_SOURCE, T_MIRROR, NULL, NULL, 0,
	  "mirrorctl: vm1: undid an interrupted start (pid 4242): back on its "
	  "previous table\n", "clear vm1;" START_OPS, 0, 0, NULL, 0 },
	{ "start killed while suspended, then cancel: undone, not mirroring",
	  { "cancel", "vm1" },
	  { VM1, .targets = { SRC_LIVE }, .suspended = 1, .nr_inactive = 1,
	    .inactive_targets = { ML_INACTIVE } },
	  "start", JOURNAL_PREPARE, T_SOURCE, T_MIRROR, NULL, NULL, 3,
	  "mirrorctl: vm1: undid an interrupted start (pid 4242): back on its "
	  "previous table\nmirrorctl: vm1: not mirroring (target linear)\n",
	  "clear vm1;resume vm1;", 0, 0, NULL, 0 },
	{ "start killed after its checks, then cancel: finished, cancelled",
	  { "cancel", "vm1" },
	  { VM1, .targets = { SRC_LIVE }, .suspended = 1, .nr_inactive = 1,
	    .inactive_targets = { ML_INACTIVE }, .swap_on_resume = 1 },
	  "start", JOURNAL_COMMIT, T_SOURCE, T_MIRROR, NULL, NULL, 0,
	  "mirrorctl: vm1: finished an interrupted start (pid 4242): its "
	  "checks had passed, its new table is live\n",
	  "resume vm1;load vm1;  0 131072 linear 7:0 0;suspend vm1;"
	  "resume vm1;", 0, 0, NULL, 0 },
	{ "cancel killed after its resume: nothing left to do",
	  { "cancel", "vm1" }, { VM1, .targets = { SRC_LIVE } },
	  "cancel", JOURNAL_COMMIT, T_MIRROR, T_SOURCE, NULL, NULL, 3,
	  "mirrorctl: vm1: not mirroring (target linear)\n", "", 0, 0, NULL, 0 },
	{ "left suspended by its own rollback: resumed",
	  { "start", "vm1", "/dev/sdb" },
	  { VM1, .targets = { SRC_LIVE }, .suspended = 1 },
	  "start", JOURNAL_PREPARE, T_SOURCE, T_MIRROR, NULL, NULL, 0,
	  "mirrorctl: vm1: resumed: an interrupted start (pid 4242) had left "
	  "it suspended\n", "resume vm1;" START_OPS, 0, 0, NULL, 0 },
	{ "changed by someone else since: left alone",
	  { "start", "vm1", "/dev/sdb" },
	  { VM1, .targets = { SRC_LIVE }, .suspended = 1, .nr_inactive = 1,
	    .inactive_targets = { { 0, 131072, "linear", NULL, "7:9 0", NULL,
				    NULL, NULL } } },
	  "start", JOURNAL_PREPARE, T_SOURCE, T_MIRROR, NULL, NULL, 3,
	  "mirrorctl: vm1: left as it is: an interrupted start (pid 4242) was "
	  "changing it, and it changed since\n"
	  "mirrorctl: vm1: device is suspended (another operation in "
	  "progress?)\n", "", 1, 0, NULL, 0 },
	{ "removed since: skipped", { "complete", "vm1" },
	  { VM1, .targets = { ML_LIVE } },
	  "complete", JOURNAL_PREPARE, T_MIRROR, T_DEST, "vm2", NULL, 0, "",
	  "load vm1;  0 131072 linear 7:1 0;suspend vm1;resume vm1;", 0, 0, NULL, 0 },
	{ "the recovery fails: the record stays", { "cancel", "vm1" },
	  { VM1, .targets = { ML_LIVE }, .suspended = 1, .nr_inactive = 1,
	    .inactive_targets = { SRC_INACTIVE },
	    .fail_type = DM_DEVICE_RESUME + 1, .fail_errno = EIO },
	  "cancel", JOURNAL_COMMIT, T_MIRROR, T_SOURCE, NULL, NULL, 1,
	  "mirrorctl: vm1: cannot resume: Input/output error\n", "", 1, 1, NULL, 0 },
	{ "an unreadable record is dropped", { "cancel", "vm1" }, FAKE_VM1,
	  NULL, 0, NULL, NULL, NULL, "mirrorctl-journal 1\naction start\n", 0,
	  "mirrorctl: /run/lock/mirrorctl.lock: unreadable record of an "
	  "interrupted operation, ignored\n",
	  "load vm1;  0 131072 linear 7:0 0;suspend vm1;resume vm1;", 0, 0, NULL, 0 },
	/* ---- recover, and status and list telling of the record ---- */
	{ "recover: a complete killed while suspended is undone",
	  { "recover" },
	  { VM1, .targets = { ML_LIVE }, .suspended = 1, .nr_inactive = 1,
	    .inactive_targets = { DEST_INACTIVE } },
	  "complete", JOURNAL_PREPARE, T_MIRROR, T_DEST, NULL, NULL, 0,
	  "mirrorctl: vm1: undid an interrupted complete (pid 4242): back on "
	  "its previous table\n", "clear vm1;resume vm1;", 0, 0, NULL, 0 },
	{ "recover: a complete killed after its checks is finished",
	  { "recover" },
	  { VM1, .targets = { ML_LIVE }, .suspended = 1, .nr_inactive = 1,
	    .inactive_targets = { DEST_INACTIVE }, .swap_on_resume = 1 },
	  "complete", JOURNAL_COMMIT, T_MIRROR, T_DEST, NULL, NULL, 0,
	  "mirrorctl: vm1: finished an interrupted complete (pid 4242): its "
	  "checks had passed, its new table is live\n", "resume vm1;", 0, 0, NULL, 0 },
	{ "recover: no record", { "recover" }, FAKE_VM1, NULL, 0, NULL, NULL,
	  NULL, NULL, 0, "", "", 0, 0, "nothing to recover\n", 0 },
	{ "recover: a record of a swap that ended anyway", { "recover" },
	  { VM1, .targets = { SRC_LIVE } },
	  "cancel", JOURNAL_COMMIT, T_MIRROR, T_SOURCE, NULL, NULL, 0, "", "",
	  0, 0, "nothing to recover\n", 0 },
	{ "recover takes no argument", { "recover", "vm1" }, FAKE_VM1, NULL, 0,
	  NULL, NULL, NULL, NULL, 2, "mirrorctl: recover: wrong number of "
	  "arguments, usage: mirrorctl recover\n" TRY_HELP, "", 0, 0, NULL, 0 },
	{ "list tells of a complete killed while suspended", { "list" },
	  { VM1, .targets = { ML_LIVE }, .suspended = 1, .nr_inactive = 1,
	    .inactive_targets = { DEST_INACTIVE } },
	  "complete", JOURNAL_PREPARE, T_MIRROR, T_DEST, NULL, NULL, 0,
	  "mirrorctl: warning: an interrupted complete (pid 4242) left vm1 "
	  "half switched and suspended, every write waiting: mirrorctl "
	  "recover finishes or undoes it\n", "", 1, 1, "*", 0 },
	{ "status tells of a start killed after its load", { "status", "vm1" },
	  { VM1, .targets = { ML_LIVE }, .nr_inactive = 1,
	    .inactive_targets = { SRC_INACTIVE } },
	  "cancel", JOURNAL_PREPARE, T_MIRROR, T_SOURCE, NULL, NULL, 0,
	  "mirrorctl: warning: an interrupted cancel (pid 4242) left vm1 half "
	  "switched: mirrorctl recover finishes or undoes it\n", "", 0, 1,
	  "*", 0 },
	{ "status: nothing said of a record whose swap ended",
	  { "status", "vm1" }, { VM1, .targets = { ML_LIVE } },
	  "start", JOURNAL_COMMIT, T_SOURCE, T_MIRROR, NULL, NULL, 0, "", "",
	  0, 1, "*", 0 },
	{ "status: nothing said while a mirrorctl holds the lock",
	  { "status", "vm1" },
	  { VM1, .targets = { ML_LIVE }, .suspended = 1, .nr_inactive = 1,
	    .inactive_targets = { DEST_INACTIVE } },
	  "complete", JOURNAL_PREPARE, T_MIRROR, T_DEST, NULL, NULL, 0, "", "",
	  1, 1, "*", 1 },
};

/* A table of one line "START LENGTH TARGET PARAMS". */
static struct table *table_of(const char *line)
{
	struct table *t = table_new();
	unsigned long long start, len;
	char target[32];
	int at = 0;

	assert_non_null(t);
	assert_int_equal(sscanf(line, "%llu %llu %31s %n", &start, &len, target,
				&at), 3);
	assert_int_equal(table_add(t, start, len, target, line + at), 0);
	return t;
}

static char *record_of(const char *action, enum journal_phase phase,
		       const char *dev, const char *live, const char *next)
{
	struct journal_dev d = { .major = 253, .minor = 3 };
	struct journal j = { .pid = KILLED_PID, .phase = phase, .nr = 1,
			     .devs = &d };
	struct table *t;
	char *text;

	snprintf(j.action, sizeof(j.action), "%s", action);
	snprintf(d.name, sizeof(d.name), "%s", dev ? dev : "vm1");
	t = table_of(live);
	d.live_hash = journal_table_hash(t);
	table_free(t);
	t = table_of(next);
	d.next_hash = journal_table_hash(t);
	table_free(t);
	text = journal_format(&j);
	assert_non_null(text);
	return text;
}

static void recover_test_row(void **state)
{
	const struct recover_row *row = *state;
	struct fake_host h = { 0 };
	struct cli_result res;
	char *text = NULL;
	int ok;

	if (row->action)
		text = record_of(row->action, row->phase, row->dev, row->live,
				 row->next);
	h.journal = text ? text : row->text;
	h.lock_busy = row->lock_busy;
	run_cli(row->argv, &row->fake, &h, &res);
	free(text);
	ok = res.exit_code == row->exit_code &&
	     (!strcmp(row->out ? row->out : "", "*") ||
	      !strcmp(res.out, row->out ? row->out : "")) &&
	     !strcmp(res.err, row->err) && !strcmp(fake.ops, row->ops);
	if (!ok)
		print_error("exit %d (want %d)\nstdout:\n%s\nstderr:\n%s\n"
			    "ops: %s\n", res.exit_code, row->exit_code, res.out,
			    res.err, fake.ops);
	free(res.out);
	free(res.err);
	assert_true(ok);
	assert_int_equal(fake.tasks_live, 0);
	assert_int_equal(fake.suspended, row->left_suspended);
	assert_int_equal(fhost.locked, 0);
	assert_int_equal(fhost.journal[0] != '\0', row->keeps_record);
}

/*
 * A swap records itself before it loads anything, marks the record
 * "commit" once its checks passed, and erases it at the end, whichever
 * way it ends.
 */
static void journal_test_lifecycle(void **state)
{
	static const char * const start[MAX_ARGS] = {
		"start", "vm1", "/dev/sdb",
	};
	static const char * const complete[MAX_ARGS] = { "complete", "vm1" };
	static const struct fake_setup lin = FAKE_LIN, vm1 = FAKE_VM1;
	static const struct fake_setup susp_fail = {
		VM1, .targets = { SRC_LIVE },
		.fail_type = DM_DEVICE_SUSPEND + 1, .fail_errno = EIO };
	struct cli_result res;
	char want[512], *rec;

	(void)state;
	run_cli(start, &lin, NULL, &res);
	assert_int_equal(res.exit_code, 0);
	assert_string_equal(fhost.journal_log, "prepare;commit;erase;");
	rec = record_of("start", JOURNAL_COMMIT, NULL, T_SOURCE, T_MIRROR);
	/* the same record, but from this process */
	snprintf(want, sizeof(want), "%.*spid %ld%s",
		 (int)(strstr(rec, "pid ") - rec), rec, (long)getpid(),
		 strchr(strstr(rec, "pid "), '\n'));
	assert_string_equal(fhost.journal_saved, want);
	free(rec);
	free(res.out);
	free(res.err);

	/* refused while suspended: rolled back, record erased */
	run_cli(complete, &vm1, NULL, &res);
	assert_int_equal(res.exit_code, 3);
	assert_string_equal(fhost.journal_log, "");
	free(res.out);
	free(res.err);

	run_cli(start, &susp_fail, NULL, &res);
	assert_int_equal(res.exit_code, 1);
	assert_string_equal(fhost.journal_log, "prepare;erase;");
	assert_string_equal(fhost.journal, "");
	free(res.out);
	free(res.err);
}

/* MIRRORCTL_TEST_HOOK runs at each point of a swap, with the device. */
static void journal_test_hook(void **state)
{
	static const char * const start[MAX_ARGS] = {
		"start", "vm1", "/dev/sdb",
	};
	static const struct fake_setup lin = FAKE_LIN;
	char script[] = "/tmp/mltest-hook.XXXXXX", log[64], buf[256] = "";
	struct cli_result res;
	FILE *f;
	int fd;
	size_t n;

	(void)state;
	fd = mkstemp(script);
	assert_true(fd >= 0);
	snprintf(log, sizeof(log), "%s.log", script);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fprintf(f, "#!/bin/sh\necho \"$1 $2\" >> %s\n", log);
	fclose(f);
	assert_int_equal(chmod(script, 0700), 0);
	setenv("MIRRORCTL_TEST_HOOK", script, 1);
	run_cli(start, &lin, NULL, &res);
	unsetenv("MIRRORCTL_TEST_HOOK");
	f = fopen(log, "r");
	n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
	if (f)
		fclose(f);
	buf[n] = '\0';
	unlink(log);
	unlink(script);
	assert_int_equal(res.exit_code, 0);
	free(res.out);
	free(res.err);
	assert_string_equal(buf, "loaded vm1\nsuspended vm1\ncommitted vm1\n"
				 "resumed vm1\n");
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
	unit_add(&suite, cli_test_action_help, NULL, "cli_test_action_help");
	unit_add(&suite, cli_test_syslog, NULL, "cli_test_syslog");
	unit_add(&suite, cli_test_monitor, NULL, "cli_test_monitor");
	unit_add(&suite, cli_test_debug, NULL, "cli_test_debug");
	unit_add(&suite, cli_test_lock, NULL, "cli_test_lock");
	for (i = 0; i < ARRAY_SIZE(tty_rows); i++)
		unit_add(&suite, cli_test_tty_row, (void *)&tty_rows[i],
			 "cli on a terminal: %s", tty_rows[i].what);
	unit_add(&suite, cli_test_verify_many, NULL, "cli_test_verify_many");
	for (i = 0; i < ARRAY_SIZE(recover_rows); i++)
		unit_add(&suite, recover_test_row, (void *)&recover_rows[i],
			 "recover: %s -> exit %d", recover_rows[i].what,
			 recover_rows[i].exit_code);
	unit_add(&suite, journal_test_lifecycle, NULL, "journal_test_lifecycle");
	unit_add(&suite, journal_test_hook, NULL, "journal_test_hook");

	return unit_run(&suite, "mirrorctl");
}
