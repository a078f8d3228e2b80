// SPDX-License-Identifier: GPL-2.0-only
/*
 * swap.c - replacing the tables of a group of devices at once; see swap.h
 * for the contract.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "clock.h"
#include "errors.h"
#include "journal.h"
#include "lock.h"
#include "log.h"
#include "signals.h"
#include "swap.h"
#include "swaplog.h"


void swap_devs_free(struct swap_dev *d, int nr)
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

#ifdef MIRRORCTL_TEST_HOOKS
/* Run the test hook, if any, and wait for it (see swap.h). */
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
#else
/* Only a test build (TEST_HOOKS=1) runs a program named by the environment. */
static void test_hook(const char *point, const char *device)
{
	(void)point;
	(void)device;
}
#endif

/*
 * Record the swap in the lock file of @lock, in @phase.  Without the lock,
 * or when the record cannot be written, the swap goes on unrecorded, as it
 * goes on unlocked (lock.h): a kill then leaves what it leaves.
 */
static void swap_record(const struct swap_dev *d, int nr, const char *action,
			enum journal_phase phase,
			const struct mctl_lock *lock)
{
	struct journal j = { .pid = getpid(), .phase = phase, .nr = nr };
	int i, r = -ENOMEM;

	if (!lock->held)
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
static void swap_unrecord(const struct swap_dev *d, int nr,
			  const struct mctl_lock *lock)
{
	int i, r;

	if (!lock->held)
		return;
	for (i = 0; i < nr; i++)
		if (d[i].loaded || d[i].suspended)
			return;
	r = journal_erase(lock);
	if (r)
		log_verbose("%s: cannot erase the record: %s", LOCK_PATH,
			    strerror(-r));
}

/* Stop the swap where it is for an ending signal (signals.h). */
static int swap_interrupted(void)
{
	return signals_ending() ? -EINTR : 0;
}

int swap_tables(struct swap_dev *d, int nr, swap_check_fn check,
		const char *action, const struct mctl_lock *lock,
		uint64_t *window_us)
{
	struct signals_held held;
	uint64_t t0 = 0, ts, tc, t1;
	char outcome[128];
	int i, r = 0;

	if (window_us)
		*window_us = SWAP_NO_WINDOW;
	signals_hold(&held);
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
		r = swap_interrupted();
		if (!r)
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
	/* the last point where an ending signal undoes the swap */
	if (!r)
		r = swap_interrupted();
	tc = clock_now_us();
	if (r) {
		swap_rollback(d, nr);
		swap_unrecord(d, nr, lock);
		snprintf(outcome, sizeof(outcome), "during the table swap of "
			 "%s: undone first, no device changed", action);
		signals_release(&held, outcome);
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
		if (rr)
			continue;
		d[i].swapped = true;
		swaplog_table(action, d[i].info.name, d[i].info.major,
			      d[i].info.minor, "switched", d[i].live,
			      d[i].next);
		test_hook("resumed", d[i].info.name);
	}
	t1 = clock_now_us();
	if (window_us)
		*window_us = t1 - t0;
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
	snprintf(outcome, sizeof(outcome), "during the table swap of %s: %s",
		 action, r ? "it did not finish (see above)" :
		 nr > 1 ? "finished first, the new tables are live" :
		 "finished first, the new table is live");
	signals_release(&held, outcome);
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

/* Record in syslog what recovering @jd did, with its live table now. */
static void recover_log(const struct journal *j, const struct journal_dev *jd,
			const char *did)
{
	struct table *now = NULL;
	char what[96];

	snprintf(what, sizeof(what), "%s an interrupted %s (pid %ld)", did,
		 j->action, j->pid);
	if (dmctl_get_table(jd->name, false, &now))
		now = NULL;
	swaplog_table("recover", jd->name, jd->major, jd->minor, what, NULL,
		      now);
	table_free(now);
}

static int recover_dev(const struct journal *j, const struct journal_dev *jd,
		       char **names, size_t *fixed)
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
		if (!r) {
			log_err("%s: resumed: an interrupted %s (pid %ld) had "
				"left it suspended", name, j->action, j->pid);
			recover_log(j, jd, "resumed after");
			(*fixed)++;
		}
		return r;
	case JOURNAL_FIX_BACK:
		r = dmctl_clear(name);
		if (!r && s.suspended)
			r = dmctl_resume(name);
		if (!r) {
			log_err("%s: undid an interrupted %s (pid %ld): back on "
				"its previous table", name, j->action, j->pid);
			recover_log(j, jd, "undid");
			(*fixed)++;
		}
		return r;
	case JOURNAL_FIX_FORWARD:
		r = dmctl_resume(name);
		if (!r) {
			log_err("%s: finished an interrupted %s (pid %ld): its "
				"checks had passed, its new table is live", name,
				j->action, j->pid);
			recover_log(j, jd, "finished");
			(*fixed)++;
		}
		return r;
	}
	return -EINVAL;
}

/*
 * Recover what the swap recorded in the lock file (held: its writer is
 * dead) left behind, then erase the record.  A device that cannot be
 * recovered fails the command and keeps the record for the next one.
 */
int swap_recover(const struct mctl_lock *lock, size_t *recovered)
{
	struct journal j;
	char **names = NULL;
	size_t i, fixed = 0;
	int r, rr;

	if (recovered)
		*recovered = 0;
	if (!lock->held)
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
		rr = recover_dev(&j, &j.devs[i], names, &fixed);
		if (rr && !r)
			r = rr;
	}
	dmctl_names_free(names);
	journal_release(&j);
	if (recovered)
		*recovered = fixed;
	if (!r) {
		r = journal_erase(lock);
		if (r)
			log_err("%s: cannot erase: %s", LOCK_PATH, strerror(-r));
	}
	return r;
}

/* Does the device recorded as @jd still need what the record says? */
static bool recover_pending(const struct journal *j,
			    const struct journal_dev *jd, bool *suspended)
{
	struct journal_state s;
	enum journal_fix fix;

	if (recover_state(jd, &s))
		return false;	/* removed since, or unreadable: said later */
	fix = journal_decide(j->phase, jd, &s);
	if (fix == JOURNAL_FIX_NONE || fix == JOURNAL_FIX_FOREIGN)
		return false;
	*suspended |= s.suspended;
	return true;
}

bool swap_report_interrupted(void)
{
	struct mctl_lock lock;
	struct journal j;
	char names[256] = "";
	size_t i, nr = 0, len = 0;
	bool suspended = false;

	if (lock_peek(&lock))
		return false;	/* none ever, or a mirrorctl at work */
	if (journal_load(&lock, &j)) {
		lock_release(&lock);
		return false;
	}
	lock_release(&lock);
	for (i = 0; i < j.nr; i++) {
		if (!recover_pending(&j, &j.devs[i], &suspended))
			continue;
		if (len < sizeof(names))
			len += snprintf(names + len, sizeof(names) - len,
					"%s%s", nr ? ", " : "", j.devs[i].name);
		nr++;
	}
	if (nr)
		log_err("warning: an interrupted %s (pid %ld) left %s half "
			"switched%s: mirrorctl recover finishes or undoes it",
			j.action, j.pid, names, suspended ?
			" and suspended, every write waiting" : "");
	journal_release(&j);
	return nr > 0;
}

/*
 * Look up every DEVICE: its name, its live table, nothing half done on
 * it (suspended, an inactive table), named once.
 */
int swap_devs_get(struct swap_dev *d, int nr)
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

struct swap_dev *swap_devs_new(const char **args, int nr, int step)
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
