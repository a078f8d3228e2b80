// SPDX-License-Identifier: GPL-2.0-only
/*
 * ml-failnth - fail each slab allocation of a device-mapper ioctl in turn
 *
 *   ml-failnth load|resume NAME "START LEN TARGET ARGS..."
 *
 * Systematic fault injection in the way syzkaller does it, through
 * /proc/thread-self/fail-nth (Documentation/fault-injection/
 * fault-injection.rst): for n = 1, 2, ... the n-th fault-injection site
 * the ioctl reaches in this task fails -- with failslab enabled and
 * ignore-gfp-wait off, that is the n-th slab allocation -- until an ioctl
 * runs without reaching n sites.
 *
 *   load    the table load (the target's constructor, dm's table setup)
 *           fails at n; the resume that follows is clean;
 *   resume  the load is clean and the first resume (preresume, resume)
 *           fails at n.
 *
 * After each ioctl, whatever it returned: a failed load must leave no
 * table, live or inactive; a failed resume must succeed when retried
 * without injection; the device must then be live with a status naming
 * TARGET, and it must remove.  The
 * kernel log and kmemleak are the caller's to check (tests/debug/cases).
 *
 * Prints one line per point and a summary; exits 0 when every check held,
 * 1 when one did not, 2 on bad usage or when fault injection is missing.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libdevmapper.h>

#define MAX_POINTS	5000

static const char *fail_nth_path = "/proc/thread-self/fail-nth";
static int fail_nth_fd = -1;

/* libdevmapper's own messages would flood the log with expected failures */
static void quiet_log(int level, const char *file, int line, int dm_errno,
		      const char *f, ...)
{
	(void)level; (void)file; (void)line; (void)dm_errno; (void)f;
}

static int fail_nth_set(unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	if (pwrite(fail_nth_fd, buf, len, 0) != len)
		return -errno;
	return 0;
}

/* The count left: 0 when the n-th site was reached (and failed). */
static long fail_nth_get(void)
{
	char buf[16] = "";

	if (pread(fail_nth_fd, buf, sizeof(buf) - 1, 0) <= 0)
		return -1;
	return strtol(buf, NULL, 10);
}

struct target_line {
	uint64_t start, len;
	char type[64];
	const char *args;
};

static int parse_line(const char *s, struct target_line *t)
{
	int off = 0;

	if (sscanf(s, "%" SCNu64 " %" SCNu64 " %63s %n", &t->start, &t->len,
		   t->type, &off) != 3 || !off)
		return -EINVAL;
	t->args = s + off;
	return 0;
}

/* Run one ioctl on @name; with @nth, fail its nth site.  -errno or 0. */
static int run(int op, const char *name, const struct target_line *t,
	       unsigned int nth, bool *reached)
{
	struct dm_task *dmt = dm_task_create(op);
	int r = 0, ok;

	if (!dmt)
		return -ENOMEM;
	if (!dm_task_set_name(dmt, name) ||
	    (t && !dm_task_add_target(dmt, t->start, t->len, t->type, t->args))) {
		dm_task_destroy(dmt);
		return -ENOMEM;
	}
	if (nth && fail_nth_set(nth)) {
		dm_task_destroy(dmt);
		return -EIO;
	}
	ok = dm_task_run(dmt);
	if (nth) {
		*reached = fail_nth_get() == 0;
		fail_nth_set(0);
	}
	if (!ok)
		r = dm_task_get_errno(dmt) ? -dm_task_get_errno(dmt) : -EIO;
	dm_task_destroy(dmt);
	return r;
}

static int info(const char *name, struct dm_info *i)
{
	struct dm_task *dmt = dm_task_create(DM_DEVICE_INFO);
	int r = -EIO;

	if (dmt && dm_task_set_name(dmt, name) && dm_task_run(dmt) &&
	    dm_task_get_info(dmt, i) && i->exists)
		r = 0;
	if (dmt)
		dm_task_destroy(dmt);
	return r;
}

/* The live table's first target type, "" when none. */
static int status_type(const char *name, char *type, size_t size)
{
	struct dm_task *dmt = dm_task_create(DM_DEVICE_STATUS);
	uint64_t start, len;
	char *ttype = NULL, *params = NULL;
	int r = -EIO;

	if (dmt && dm_task_set_name(dmt, name) && dm_task_run(dmt)) {
		dm_get_next_target(dmt, NULL, &start, &len, &ttype, &params);
		snprintf(type, size, "%s", ttype ? ttype : "");
		r = 0;
	}
	if (dmt)
		dm_task_destroy(dmt);
	return r;
}

static int failures;

static void bad(unsigned int n, const char *fmt, ...)
{
	va_list ap;

	printf("point %u: FAIL: ", n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	failures++;
}

int main(int argc, char **argv)
{
	const char *mode, *name;
	struct target_line t;
	unsigned int n, injected = 0, refused = 0;
	bool load_mode, reached = false;

	if (argc != 4 || (strcmp(argv[1], "load") && strcmp(argv[1], "resume")) ||
	    parse_line(argv[3], &t)) {
		fprintf(stderr, "usage: ml-failnth load|resume NAME \"START LEN TARGET ARGS\"\n");
		return 2;
	}
	mode = argv[1];
	name = argv[2];
	load_mode = !strcmp(mode, "load");
	fail_nth_fd = open(fail_nth_path, O_RDWR);
	if (fail_nth_fd < 0) {
		fprintf(stderr, "ml-failnth: cannot open %s: %s (a kernel without CONFIG_FAULT_INJECTION?)\n",
			fail_nth_path, strerror(errno));
		return 2;
	}
	dm_udev_set_sync_support(0);
	dm_log_with_errno_init(quiet_log);

	for (n = 1; n <= MAX_POINTS; n++) {
		struct dm_info i;
		char type[64];
		int r, first;

		reached = false;
		r = run(DM_DEVICE_CREATE, name, NULL, 0, NULL);
		if (r) {
			bad(n, "cannot create %s: %s", name, strerror(-r));
			break;
		}
		r = run(DM_DEVICE_RELOAD, name, &t, load_mode ? n : 0, &reached);
		if (!r)
			r = run(DM_DEVICE_RESUME, name, NULL, load_mode ? 0 : n,
				&reached);
		else if (!load_mode) {
			bad(n, "load without injection failed: %s", strerror(-r));
			run(DM_DEVICE_REMOVE, name, NULL, 0, NULL);
			break;
		}

		first = r;
		if (info(name, &i)) {
			bad(n, "%s gone after the %s", name, mode);
			break;
		}
		if (r && load_mode) {
			refused++;
			if (i.inactive_table)
				bad(n, "failed load (%s) left an inactive table",
				    strerror(-r));
			if (i.live_table)
				bad(n, "failed load (%s) left a live table",
				    strerror(-r));
		} else if (r) {
			/* a failed resume must be retryable */
			refused++;
			r = run(DM_DEVICE_RESUME, name, NULL, 0, NULL);
			if (r)
				bad(n, "resume retried after a failed one: %s",
				    strerror(-r));
		}
		if (!r && (status_type(name, type, sizeof(type)) ||
			   strcmp(type, t.type)))
			bad(n, "%s succeeded but status shows target \"%s\"",
			    mode, type);
		if (reached)
			injected++;
		printf("point %u: %s %s%s\n", n, mode,
		       first ? "refused: " : "succeeded",
		       first ? strerror(-first) : "");

		r = run(DM_DEVICE_REMOVE, name, NULL, 0, NULL);
		if (r) {
			bad(n, "cannot remove %s: %s", name, strerror(-r));
			break;
		}
		if (!reached)
			break;
	}
	if (n > MAX_POINTS)
		bad(n, "still reaching injection sites after %d points", MAX_POINTS);
	printf("ml-failnth: %s of %s: %u points injected, %u refused, %d check(s) failed\n",
	       mode, t.type, injected, refused, failures);
	return failures ? 1 : 0;
}
