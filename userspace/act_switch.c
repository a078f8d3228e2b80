// SPDX-License-Identifier: GPL-2.0-only
/*
 * act_switch.c - start, complete and cancel: swapping tables
 *
 * All three replace the tables of a group of devices at once, the way
 * Documentation/dm-mirrorlive.rst does it with dmsetup:
 *
 *   1. load every new table (inactive);
 *   2. suspend every device (in-flight I/O drains, new I/O queues);
 *   3. while all are suspended, check nothing changed under us (the live
 *      and the inactive tables are those we decided on) and, for complete,
 *      that every mirrorlive segment is ready with reason "-" and no
 *      destination error -- no write can slip in between this check and
 *      the swap;
 *   4. resume every device: the new tables go live together;
 *   or, when a step fails, clear every inactive table and resume the old
 *   ones, so no device changes.
 *
 * The suspend window, from the first suspend to the last resume, is
 * measured and printed with --verbose.  Deciding and swapping happen under
 * the mirrorctl lock (lock.h), so two mirrorctl processes never interleave.
 *
 * A swap keeps a record of what it is doing in the lock file (journal.h):
 * "prepare" before step 1, "commit" once step 3 passed, erased after step
 * 4 or the rollback.  start, complete and cancel first recover whatever a
 * killed mirrorctl left behind: they undo a swap still in "prepare" and
 * finish one in "commit".
 *
 * MIRRORCTL_TEST_HOOK, when set, is run as "$MIRRORCTL_TEST_HOOK POINT
 * DEVICE" at the points "loaded" (after step 1), "suspended" (after step
 * 2), "committed" (after step 3 and its record) and "resumed" (after each
 * resume in step 4), and waited for.  The test suite uses it to kill
 * mirrorctl at exactly those points.  Never set it otherwise.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "actions.h"
#include "blockdev.h"
#include "clock.h"
#include "dm.h"
#include "errors.h"
#include "journal.h"
#include "lock.h"
#include "log.h"
#include "output.h"
#include "probe.h"
#include "sector.h"
#include "size.h"
#include "status.h"
#include "table.h"

struct swap_dev {
	const char *arg;		/* DEVICE as given */
	struct dmctl_info info;		/* info.name addresses it from now on */
	struct table *live;		/* the table decided on */
	struct table *next;		/* the table to swap in */
	const char *dest;		/* start: DEST as given */
	struct blockdev dest_bd;	/* start: DEST's number and sizes */
	bool loaded;
	bool suspended;
};

/* A check run on every device while all are suspended. */
typedef int (*swap_check_fn)(const struct swap_dev *d);

static void swap_devs_free(struct swap_dev *d, int nr)
{
	int i;

	for (i = 0; i < nr; i++) {
		table_free(d[i].live);
		table_free(d[i].next);
	}
	free(d);
}

/*
 * Undo steps 1 and 2.  A device whose new table cannot be dropped is left
 * suspended: resuming it would make the refused table live.
 */
static void swap_rollback(struct swap_dev *d, int nr)
{
	int i;

	for (i = 0; i < nr; i++) {
		if (d[i].loaded && dmctl_clear(d[i].info.name)) {
			log_err("%s: left suspended with the new table loaded; "
				"to keep the old one: dmsetup clear %s && "
				"dmsetup resume %s", d[i].info.name,
				d[i].info.name, d[i].info.name);
			continue;
		}
		d[i].loaded = false;
		if (d[i].suspended && !dmctl_resume(d[i].info.name))
			d[i].suspended = false;
	}
}

/* Are the live and inactive tables still those we decided on? */
static int swap_unchanged(const struct swap_dev *d)
{
	struct table *live = NULL, *inactive = NULL;
	int r;

	r = dmctl_get_table(d->info.name, false, &live);
	if (!r)
		r = dmctl_get_table(d->info.name, true, &inactive);
	if (!r && (!table_same_mapping(live, d->live) ||
		   !table_equal(inactive, d->next))) {
		log_err("%s: table changed by someone else meanwhile",
			d->info.name);
		r = -MCTL_EPRECOND;
	}
	table_free(live);
	table_free(inactive);
	return r;
}

/* Run the test hook, if any, and wait for it (see the head of this file). */
static void test_hook(const char *point, const char *device)
{
	const char *hook = getenv("MIRRORCTL_TEST_HOOK");
	pid_t pid;

	if (!hook || !*hook)
		return;
	fflush(NULL);
	pid = fork();
	if (!pid) {
		execl(hook, hook, point, device, (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
}

/*
 * Record the swap in the lock file @lock, in @phase.  Without the lock, or
 * when the record cannot be written, the swap goes on unrecorded, as it
 * goes on unlocked (lock.h): a kill then leaves what it leaves.
 */
static void swap_record(const struct swap_dev *d, int nr, const char *action,
			enum journal_phase phase, int lock)
{
	struct journal j = { .pid = getpid(), .phase = phase, .nr = nr };
	int i, r = -ENOMEM;

	if (lock < 0)
		return;
	snprintf(j.action, sizeof(j.action), "%s", action);
	j.devs = calloc(nr, sizeof(*j.devs));
	for (i = 0; j.devs && i < nr; i++) {
		snprintf(j.devs[i].name, sizeof(j.devs[i].name), "%s",
			 d[i].info.name);
		j.devs[i].major = d[i].info.major;
		j.devs[i].minor = d[i].info.minor;
		j.devs[i].live_hash = journal_table_hash(d[i].live);
		j.devs[i].next_hash = journal_table_hash(d[i].next);
	}
	if (j.devs)
		r = journal_save(lock, &j);
	if (r)
		log_verbose("%s: cannot record the %s, going on unrecorded: %s",
			    LOCK_PATH, action, strerror(-r));
	free(j.devs);
}

/* The swap is over: drop its record, unless it left a device half done. */
static void swap_unrecord(const struct swap_dev *d, int nr, int lock)
{
	int i, r;

	if (lock < 0)
		return;
	for (i = 0; i < nr; i++)
		if (d[i].loaded || d[i].suspended)
			return;
	r = journal_erase(lock);
	if (r)
		log_verbose("%s: cannot erase the record: %s", LOCK_PATH,
			    strerror(-r));
}

static int swap_tables(struct swap_dev *d, int nr, swap_check_fn check,
		       const char *action, int lock)
{
	uint64_t t0 = 0, ts, tc, t1;
	int i, r = 0;

	swap_record(d, nr, action, JOURNAL_PREPARE, lock);
	for (i = 0; i < nr && !r; i++) {
		r = dmctl_load(d[i].info.name, d[i].next);
		d[i].loaded = !r;
	}
	if (!r) {
		test_hook("loaded", d[0].info.name);
		t0 = clock_now_us();
	}
	for (i = 0; i < nr && !r; i++) {
		r = dmctl_suspend(d[i].info.name);
		d[i].suspended = !r;
	}
	ts = clock_now_us();
	if (!r)
		test_hook("suspended", d[0].info.name);
	for (i = 0; i < nr && !r; i++)
		r = swap_unchanged(&d[i]);
	for (i = 0; i < nr && !r && check; i++)
		r = check(&d[i]);
	tc = clock_now_us();
	if (r) {
		swap_rollback(d, nr);
		swap_unrecord(d, nr, lock);
		return r;
	}

	swap_record(d, nr, action, JOURNAL_COMMIT, lock);
	test_hook("committed", d[0].info.name);
	for (i = 0; i < nr; i++) {
		int rr = dmctl_resume(d[i].info.name);

		if (rr && !r)
			r = rr;
		d[i].suspended = rr != 0;
		d[i].loaded = rr != 0;
		if (!rr)
			test_hook("resumed", d[i].info.name);
	}
	t1 = clock_now_us();
	swap_unrecord(d, nr, lock);
	for (i = 0; i < nr && r; i++)
		if (d[i].suspended)
			log_err("%s: %s not done: may be left suspended "
				"(dmsetup resume %s retries)", d[i].info.name,
				action, d[i].info.name);
	log_verbose("%s: %d device%s suspended for %" PRIu64 ".%03" PRIu64
		    " ms", action, nr, nr > 1 ? "s" : "", (t1 - t0) / 1000,
		    (t1 - t0) % 1000);
	log_dbg("%s: suspend (draining I/O) %" PRIu64 " us, checks %" PRIu64
		" us, resume %" PRIu64 " us", action, ts - t0, tc - ts, t1 - tc);
	return r;
}

/* ------------------------------------------------------------------ */
/* recovering from a killed mirrorctl */

static bool name_listed(char **names, const char *name)
{
	for (; names && *names; names++)
		if (!strcmp(*names, name))
			return true;
	return false;
}

/* What the device recorded as @jd looks like now. */
static int recover_state(const struct journal_dev *jd, struct journal_state *s)
{
	struct dmctl_info info;
	struct table *t = NULL;
	int r;

	r = dmctl_get_info(jd->name, &info);
	if (r)
		return r;
	memset(s, 0, sizeof(*s));
	s->major = info.major;
	s->minor = info.minor;
	s->suspended = info.suspended;
	s->inactive = info.inactive_table;
	r = dmctl_get_table(jd->name, false, &t);
	if (r)
		return r;
	s->live_hash = journal_table_hash(t);
	table_free(t);
	if (!s->inactive)
		return 0;
	r = dmctl_get_table(jd->name, true, &t);
	if (r)
		return r;
	s->inactive_hash = journal_table_hash(t);
	table_free(t);
	return 0;
}

static int recover_dev(const struct journal *j, const struct journal_dev *jd,
		       char **names)
{
	const char *name = jd->name;
	struct journal_state s;
	int r;

	if (!name_listed(names, name)) {
		log_verbose("%s: removed since an interrupted %s (pid %ld)",
			    name, j->action, j->pid);
		return 0;
	}
	r = recover_state(jd, &s);
	if (r)
		return r;

	switch (journal_decide(j->phase, jd, &s)) {
	case JOURNAL_FIX_NONE:
		log_verbose("%s: nothing left half done by an interrupted %s "
			    "(pid %ld)", name, j->action, j->pid);
		return 0;
	case JOURNAL_FIX_FOREIGN:
		if (s.suspended || s.inactive)
			log_err("%s: left as it is: an interrupted %s (pid %ld) "
				"was changing it, and it changed since", name,
				j->action, j->pid);
		return 0;
	case JOURNAL_FIX_RESUME:
		r = dmctl_resume(name);
		if (!r)
			log_err("%s: resumed: an interrupted %s (pid %ld) had "
				"left it suspended", name, j->action, j->pid);
		return r;
	case JOURNAL_FIX_BACK:
		r = dmctl_clear(name);
		if (!r && s.suspended)
			r = dmctl_resume(name);
		if (!r)
			log_err("%s: undid an interrupted %s (pid %ld): back on "
				"its previous table", name, j->action, j->pid);
		return r;
	case JOURNAL_FIX_FORWARD:
		r = dmctl_resume(name);
		if (!r)
			log_err("%s: finished an interrupted %s (pid %ld): its "
				"checks had passed, its new table is live", name,
				j->action, j->pid);
		return r;
	}
	return -EINVAL;
}

/*
 * Recover what the swap recorded in the lock file (held: its writer is
 * dead) left behind, then erase the record.  A device that cannot be
 * recovered fails the command and keeps the record for the next one.
 */
static int swap_recover(int lock)
{
	struct journal j;
	char **names = NULL;
	size_t i;
	int r, rr;

	if (lock < 0)
		return 0;
	r = journal_load(lock, &j);
	if (r == -EINVAL) {
		log_err("%s: unreadable record of an interrupted operation, "
			"ignored", LOCK_PATH);
		return journal_erase(lock);
	}
	if (r) {
		log_err("%s: cannot read: %s", LOCK_PATH, strerror(-r));
		return r;
	}
	if (!j.nr)
		return 0;
	log_dbg("%s: record of an interrupted %s (pid %ld, %s), %zu device(s)",
		LOCK_PATH, j.action, j.pid,
		j.phase == JOURNAL_COMMIT ? "commit" : "prepare", j.nr);
	r = dmctl_list(&names);
	for (i = 0; i < j.nr && !r; i++) {
		rr = recover_dev(&j, &j.devs[i], names);
		if (rr && !r)
			r = rr;
	}
	dmctl_names_free(names);
	journal_release(&j);
	if (!r) {
		r = journal_erase(lock);
		if (r)
			log_err("%s: cannot erase: %s", LOCK_PATH, strerror(-r));
	}
	return r;
}

/*
 * Look up every DEVICE: its name, its live table, nothing half done on
 * it (suspended, an inactive table), named once.
 */
static int swap_devs_get(struct swap_dev *d, int nr)
{
	int i, j, r;

	for (i = 0; i < nr; i++) {
		r = dmctl_get_info(d[i].arg, &d[i].info);
		if (r)
			return r;
		for (j = 0; j < i; j++) {
			if (d[j].info.minor == d[i].info.minor &&
			    d[j].info.major == d[i].info.major) {
				log_err("%s: device named twice", d[i].arg);
				return -MCTL_EUSAGE;
			}
		}
		if (d[i].info.suspended) {
			log_err("%s: device is suspended (another operation in "
				"progress?)", d[i].info.name);
			return -MCTL_EPRECOND;
		}
		if (d[i].info.inactive_table) {
			log_err("%s: an inactive table is loaded (another "
				"operation in progress?)", d[i].info.name);
			return -MCTL_EPRECOND;
		}
		r = dmctl_get_table(d[i].info.name, false, &d[i].live);
		if (r)
			return r;
		if (!d[i].live->nr) {
			log_err("%s: no table loaded", d[i].info.name);
			return -MCTL_EPRECOND;
		}
	}
	return 0;
}

static struct swap_dev *swap_devs_new(const char **args, int nr, int step)
{
	struct swap_dev *d = calloc(nr, sizeof(*d));
	int i;

	if (!d) {
		log_err("%s: %s", args[0], strerror(ENOMEM));
		return NULL;
	}
	for (i = 0; i < nr; i++) {
		d[i].arg = args[i * step];
		if (step == 2)
			d[i].dest = args[i * step + 1];
	}
	return d;
}

/* ------------------------------------------------------------------ */
/* start */

/* Which segment of @d's table reads from @major:@minor (the disk of)? */
static int dest_overlaps_source(const struct swap_dev *d)
{
	uint32_t dw_maj, dw_min, smaj, smin, sw_maj, sw_min;
	const struct blockdev *bd = &d->dest_bd;
	char dev[TABLE_DEV_MAX];
	uint64_t off;
	size_t i;

	blockdev_whole_disk(bd->major, bd->minor, &dw_maj, &dw_min);
	for (i = 0; i < d->live->nr; i++) {
		if (table_parse_linear(d->live->lines[i].params, dev, &off) ||
		    blockdev_parse_devno(dev, &smaj, &smin))
			continue;
		if (smaj == bd->major && smin == bd->minor) {
			log_err("%s: destination is the source of %s",
				d->dest, d->info.name);
			return -MCTL_EPRECOND;
		}
		blockdev_whole_disk(smaj, smin, &sw_maj, &sw_min);
		if ((sw_maj == bd->major && sw_min == bd->minor) ||
		    (dw_maj == smaj && dw_min == smin)) {
			log_err("%s: destination overlaps the source of %s "
				"(%s, same disk)", d->dest, d->info.name, dev);
			return -MCTL_EPRECOND;
		}
	}
	return 0;
}

/* Nobody else may be using the destination. */
static int dest_not_in_use(const struct swap_dev *d)
{
	const struct blockdev *bd = &d->dest_bd;
	struct dmctl_info info;
	char holder[128];
	int r;

	r = dmctl_find_holder(bd->major, bd->minor, holder, sizeof(holder));
	if (!r) {
		log_err("%s: destination backs dm device %s", d->dest, holder);
		return -MCTL_EPRECOND;
	}
	if (r != -ENOENT)
		return r;

	if (dmctl_is_dm_major(bd->major)) {
		r = dmctl_get_info(d->dest, &info);
		if (r)
			return r;
		if (info.open_count > 0) {
			log_err("%s: destination is open elsewhere (dm device "
				"%s, open count %d)", d->dest, info.name,
				info.open_count);
			return -MCTL_EPRECOND;
		}
	}
	r = blockdev_open_exclusive(d->dest);
	if (r == -EBUSY) {
		log_err("%s: destination is open elsewhere (in use: mounted, "
			"or held by another process or device)", d->dest);
		return -MCTL_EPRECOND;
	}
	if (r)
		log_err("%s: cannot open: %s", d->dest, strerror(-r));
	return r;
}

static int dest_fits(const struct swap_dev *d)
{
	const struct blockdev *bd = &d->dest_bd;
	uint64_t need = table_length(d->live) << SECTOR_SHIFT;
	char have_s[SIZE_FORMAT_MAX], need_s[SIZE_FORMAT_MAX];
	unsigned int lbs;
	int r;

	if (bd->size_bytes < need) {
		size_format(bd->size_bytes, have_s, sizeof(have_s));
		size_format(need, need_s, sizeof(need_s));
		log_err("%s: destination is smaller than %s (%s < %s)", d->dest,
			d->info.name, have_s, need_s);
		return -MCTL_EPRECOND;
	}
	r = blockdev_sysfs_lbs(d->info.major, d->info.minor, &lbs);
	if (r) {
		log_err("%s: cannot read its logical block size: %s",
			d->info.name, strerror(-r));
		return r;
	}
	if (bd->logical_block_size > lbs) {
		log_err("%s: destination logical block size %u is larger than "
			"%s's %u", d->dest, bd->logical_block_size,
			d->info.name, lbs);
		return -MCTL_EPRECOND;
	}
	return 0;
}

static int dest_blank(const struct swap_dev *d)
{
	char what[64];
	int r;

	if (mctl_opt.force)
		return 0;
	r = probe_signature(d->dest, what, sizeof(what));
	if (r == 1) {
		log_err("%s: destination carries a signature: %s (--force "
			"overwrites it)", d->dest, what);
		return -MCTL_EPRECOND;
	}
	return r;
}

/*
 * Not a refusal: a destination whose requests never time out makes every
 * write to a copied region, and every suspend, wait for it when it stops
 * answering, and then cancel needs the fail_dest message first
 * (dm-mirrorlive.rst, "A destination that stops answering").  NBD without
 * nbd-client -t is the usual case.
 */
static void start_warn_no_timeout(const struct swap_dev *d)
{
	uint64_t timeout;
	int r;

	r = blockdev_nbd_timeout(d->dest_bd.major, d->dest_bd.minor, &timeout);
	if (r == 1 && !timeout)
		log_err("%s: warning: NBD device without a request timeout: if "
			"its server stops answering, writes to %s wait for "
			"it and cancel needs fail_dest first (mirrorctl(8), "
			"cancel; connect with nbd-client -t SECONDS)",
			d->dest, d->info.name);
	else if (r == -ENOENT)
		log_err("%s: warning: NBD device whose request timeout cannot "
			"be read (debugfs is not mounted): without one "
			"(nbd-client -t SECONDS), a server that stops answering "
			"stalls writes to %s and cancel", d->dest, d->info.name);
}

/*
 * The refusals of Documentation/interface.rst, section 7.3 (start), in an
 * order that names the real cause.
 */
static int start_check_dest(struct swap_dev *d)
{
	int r;

	r = blockdev_get(d->dest, &d->dest_bd);
	if (r)
		return r;
	if (d->dest_bd.major == d->info.major &&
	    d->dest_bd.minor == d->info.minor) {
		log_err("%s: destination is %s itself", d->dest, d->info.name);
		return -MCTL_EPRECOND;
	}
	r = dest_overlaps_source(d);
	if (!r)
		r = dest_not_in_use(d);
	if (!r)
		r = dest_fits(d);
	if (!r)
		r = dest_blank(d);
	if (!r)
		start_warn_no_timeout(d);
	return r;
}

/* The device must be linear; say what it is otherwise. */
static int start_check_device(const struct swap_dev *d)
{
	struct mirror_params mp;
	size_t i;

	for (i = 0; i < d->live->nr; i++) {
		const struct table_line *l = &d->live->lines[i];

		if (!strcmp(l->target, TARGET_MIRRORLIVE)) {
			if (!table_parse_mirror(l->params, &mp))
				log_err("%s: already mirroring (onto %s)",
					d->info.name, mp.dest);
			else
				log_err("%s: already mirroring", d->info.name);
			return -MCTL_EPRECOND;
		}
		if (strcmp(l->target, TARGET_LINEAR)) {
			log_err("%s: segment %zu (sector %" PRIu64 ") is %s, "
				"not linear", d->info.name, i + 1, l->start,
				l->target);
			return -MCTL_EPRECOND;
		}
	}
	if (!table_length(d->live)) {
		log_err("%s: the table has gaps", d->info.name);
		return -MCTL_EPRECOND;
	}
	return 0;
}

/* No DEST twice, no DEST that is another pair's DEVICE. */
static int start_check_group(const struct swap_dev *d, int nr)
{
	int i, j;

	for (i = 0; i < nr; i++) {
		for (j = 0; j < nr; j++) {
			if (j < i && d[j].dest_bd.major == d[i].dest_bd.major &&
			    d[j].dest_bd.minor == d[i].dest_bd.minor) {
				log_err("%s: destination given twice", d[i].dest);
				return -MCTL_EPRECOND;
			}
			if (d[j].info.major == d[i].dest_bd.major &&
			    d[j].info.minor == d[i].dest_bd.minor) {
				log_err("%s: destination is %s, mirrored too",
					d[i].dest, d[j].info.name);
				return -MCTL_EPRECOND;
			}
		}
	}
	return 0;
}

static int start_prepare(struct swap_dev *d, int nr)
{
	struct mirror_features f = {
		.region_sectors = mctl_opt.region_sectors,
		.max_copy_kbps = mctl_opt.max_kbps,
		.sparse = mctl_opt.sparse,
		.dest_zeroed = mctl_opt.dest_zeroed,
		.nosync = mctl_opt.nosync,
		.paused = mctl_opt.paused,
	};
	char dest[32];
	int i, r;

	r = swap_devs_get(d, nr);
	for (i = 0; i < nr && !r; i++) {
		r = start_check_device(&d[i]);
		if (!r)
			r = start_check_dest(&d[i]);
	}
	if (!r)
		r = start_check_group(d, nr);
	for (i = 0; i < nr && !r; i++) {
		snprintf(dest, sizeof(dest), "%u:%u", d[i].dest_bd.major,
			 d[i].dest_bd.minor);
		/* One linear segment becomes one mirrorlive segment. */
		f.max_copy_kbps = rate_per_segment(mctl_opt.max_kbps,
						   d[i].live->nr);
		r = table_make_mirror(d[i].live, dest, 0, &f, &d[i].next, NULL);
		if (r)
			log_err("%s: cannot build the mirror table: %s",
				d[i].info.name, strerror(-r));
	}
	return r;
}

int action_start(int argc, const char **argv)
{
	const char **names = NULL;
	struct swap_dev *d;
	uint64_t deadline = 0;
	int nr = argc / 2, i, r, avail, lock;

	if (argc % 2) {
		log_err("start: DEST missing for %s, usage: mirrorctl start "
			"DEVICE DEST [DEVICE DEST]...", argv[argc - 1]);
		return -MCTL_EUSAGE;
	}
	d = swap_devs_new(argv, nr, 2);
	if (!d)
		return -ENOMEM;

	lock = lock_take();
	r = swap_recover(lock);
	if (!r)
		r = start_prepare(d, nr);
	if (!r) {
		avail = dmctl_target_available(TARGET_MIRRORLIVE);
		if (!avail)
			log_verbose("target mirrorlive not registered yet: the "
				    "kernel loads module dm-mirrorlive for the "
				    "table");
		r = swap_tables(d, nr, NULL, "start", lock);
		if (r && !avail && dmctl_target_available(TARGET_MIRRORLIVE) == 0)
			log_err("mirrorlive: target not available: module "
				"dm-mirrorlive is not loaded and the kernel could "
				"not load it (is it installed? modprobe "
				"dm-mirrorlive)");
	}
	lock_release(lock);
	for (i = 0; i < nr && !r; i++)
		log_verbose("%s: mirroring onto %s", d[i].info.name, d[i].dest);

	if (!r && mctl_opt.wait) {
		names = calloc(nr, sizeof(*names));
		for (i = 0; names && i < nr; i++)
			names[i] = d[i].info.name;
		if (mctl_opt.has_timeout)
			deadline = clock_now_us() +
				   (uint64_t)mctl_opt.timeout_s * 1000000;
		r = names ? wait_ready(names, nr, deadline, mctl_opt.progress) :
			    -ENOMEM;
		free(names);
	}
	swap_devs_free(d, nr);
	return r;
}

/* ------------------------------------------------------------------ */
/* complete and cancel */

static int require_mirror_table(const struct swap_dev *d)
{
	if (table_count_target(d->live, TARGET_MIRRORLIVE))
		return 0;
	log_err("%s: not mirroring (target %s)", d->info.name,
		d->live->lines[0].target);
	return -MCTL_EPRECOND;
}

/*
 * complete's condition, for each mirrorlive segment: ready, reason "-",
 * no destination error.  With @warn_source_errors, also tell the operator
 * about source errors: a write that failed on the source may still have
 * reached the destination, so the legs can differ where the guest was
 * told a write failed (Documentation/dm-mirrorlive.rst, source_errors).
 */
static int complete_check_status(const struct swap_dev *d,
				 bool warn_source_errors)
{
	struct dmctl_table_status *ts;
	struct mirror_status st;
	char pct[OUTPUT_PERCENT_MAX];
	size_t i;
	int r;

	r = dmctl_get_status(d->info.name, &ts);
	if (r)
		return r;
	for (i = 0; i < ts->nr_segments && !r; i++) {
		const struct dmctl_segment *s = &ts->segments[i];

		if (strcmp(s->target_type, TARGET_MIRRORLIVE))
			continue;
		r = -MCTL_EPRECOND;
		if (status_parse(s->params, &st)) {
			log_err("%s: unparseable mirrorlive status \"%s\"",
				d->info.name, s->params);
		} else if (st.phase == MIRROR_FAILED) {
			log_err("%s: mirror failed (%s), staying on the source",
				d->info.name, st.reason);
		} else if (st.phase != MIRROR_READY) {
			output_percent(st.copied_sectors, st.total_sectors, pct,
				       sizeof(pct));
			log_err("%s: not ready (%s, %s copied), staying on the "
				"source", d->info.name,
				status_phase_name(st.phase), pct);
		} else if (strcmp(st.reason, "-") || st.dest_errors) {
			log_err("%s: destination errors (%" PRIu64 ", %s), "
				"staying on the source", d->info.name,
				st.dest_errors, st.reason);
		} else {
			r = 0;
			if (warn_source_errors && st.source_errors)
				log_err("%s: warning: %" PRIu64 " source I/O "
					"errors while mirroring; where a write "
					"failed on the source, the destination "
					"may hold its data", d->info.name,
					st.source_errors);
		}
	}
	dmctl_table_status_free(ts);
	return r;
}

static int complete_check(const struct swap_dev *d)
{
	return complete_check_status(d, false);
}

static int complete_prepare(struct swap_dev *d, int nr, bool check_now)
{
	int i, r;

	r = swap_devs_get(d, nr);
	for (i = 0; i < nr && !r; i++) {
		r = require_mirror_table(&d[i]);
		/* Refuse early, before anything is suspended. */
		if (!r && check_now)
			r = complete_check_status(&d[i], true);
		if (!r) {
			r = table_make_complete(d[i].live, &d[i].next, NULL);
			if (r)
				log_err("%s: cannot parse the mirror table",
					d[i].info.name);
		}
	}
	return r;
}

int action_complete(int argc, const char **argv)
{
	struct swap_dev *d;
	int i, r, lock;

	d = swap_devs_new(argv, argc, 1);
	if (!d)
		return -ENOMEM;
	if (mctl_opt.has_timeout) {
		r = wait_ready(argv, argc, clock_now_us() +
			       (uint64_t)mctl_opt.timeout_s * 1000000, false);
		if (r) {
			swap_devs_free(d, argc);
			return r == -MCTL_EMIRROR ? -MCTL_EPRECOND : r;
		}
	}
	lock = lock_take();
	r = swap_recover(lock);
	if (!r)
		r = complete_prepare(d, argc, true);
	if (!r)
		r = swap_tables(d, argc, complete_check, "complete", lock);
	lock_release(lock);
	if (r == -MCTL_EPRECOND && argc > 1)
		log_err("complete: no device switched");
	for (i = 0; i < argc && !r; i++)
		log_verbose("%s: now on its destination", d[i].info.name);
	swap_devs_free(d, argc);
	return r;
}

int action_cancel(int argc, const char **argv)
{
	struct swap_dev *d;
	int i, r, lock;

	d = swap_devs_new(argv, argc, 1);
	if (!d)
		return -ENOMEM;
	lock = lock_take();
	r = swap_recover(lock);
	if (!r)
		r = swap_devs_get(d, argc);
	for (i = 0; i < argc && !r; i++) {
		r = require_mirror_table(&d[i]);
		if (!r && table_make_cancel(d[i].live, &d[i].next, NULL)) {
			log_err("%s: cannot parse the mirror table",
				d[i].info.name);
			r = -EINVAL;
		}
	}
	if (!r)
		r = swap_tables(d, argc, NULL, "cancel", lock);
	lock_release(lock);
	for (i = 0; i < argc && !r; i++)
		log_verbose("%s: back on its source", d[i].info.name);
	swap_devs_free(d, argc);
	return r;
}
