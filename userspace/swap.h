/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * swap.h - replacing the tables of a group of devices at once
 *
 * start, complete and cancel swap tables the way
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
 * No signal ends mirrorctl between the steps (signals.h).  The suspend
 * window, from the first suspend to the last resume, is measured and
 * printed with --verbose.  Deciding and swapping happen under
 * the mirrorctl lock (lock.h), so two mirrorctl processes never interleave.
 *
 * A swap keeps a record of what it is doing in the lock file (journal.h):
 * "prepare" before step 1, "commit" once step 3 passed, erased after step
 * 4 or the rollback.  start, complete and cancel first recover whatever a
 * killed mirrorctl left behind: they undo a swap still in "prepare" and
 * finish one in "commit".
 *
 * In a test build (userspace/Makefile's TEST_HOOKS=1, which the test lanes
 * use) MIRRORCTL_TEST_HOOK, when set, is run as "$MIRRORCTL_TEST_HOOK POINT
 * DEVICE" at the points "loaded" (after step 1), "suspended" (after step
 * 2), "committed" (after step 3 and its record) and "resumed" (after each
 * resume in step 4), and waited for.  The test suite uses it to kill
 * mirrorctl at exactly those points.  A normal build, the one make install
 * installs, has no hook: a root-run binary never executes a program an
 * environment variable names while VM disks are suspended.
 */
#ifndef MIRRORCTL_SWAP_H
#define MIRRORCTL_SWAP_H

#include <stdbool.h>
#include <stdint.h>

#include "blockdev.h"
#include "dm.h"
#include "lock.h"
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
	bool swapped;			/* swap_tables() made next live */
};

/* A check run on every device while all are suspended. */
typedef int (*swap_check_fn)(const struct swap_dev *d);

/*
 * swap_devs_new - a group of @nr devices from the command line: DEVICE is
 * args[i * @step], and with @step 2 (start) DEST is the word after it.
 * Returns NULL, with a message, when out of memory.
 */
struct swap_dev *swap_devs_new(const char **args, int nr, int step);

/*
 * swap_devs_get - look up every DEVICE: its name and live table, nothing
 * half done on it (suspended, an inactive table), each named once.
 * Returns 0, -MCTL_EPRECOND, -MCTL_EUSAGE or -errno, with a message.
 */
int swap_devs_get(struct swap_dev *d, int nr);

void swap_devs_free(struct swap_dev *d, int nr);

/*
 * swap_tables - swap every d[i].live for d[i].next, all or none
 * @check: run on every device while all are suspended (step 3), or NULL
 * @action: "start", "complete" or "cancel", for the record and messages
 * @lock: lock_take()'s; the swap is recorded in it when held, and goes
 *	  on unrecorded when not (struct mctl_lock)
 * @window_us: when not NULL, set to the suspend window (first suspend to
 *	       last resume) of a swap that resumed its devices, else
 *	       SWAP_NO_WINDOW; d[i].swapped says which devices are on their
 *	       new table
 *
 * Signals that would end or stop mirrorctl are held from the first load
 * to the last resume (signals.h): an ending one that comes before the
 * checks of step 3 passed undoes the swap, one that comes after lets it
 * finish; then mirrorctl says so and the signal takes effect.
 *
 * Returns 0 when every new table is live; else the first error, with a
 * message, and every device back on its old table (except one that could
 * not be, which is named with what to do).
 */
#define SWAP_NO_WINDOW	UINT64_MAX

int swap_tables(struct swap_dev *d, int nr, swap_check_fn check,
		const char *action, const struct mctl_lock *lock,
		uint64_t *window_us);

/*
 * swap_recover - finish or undo what a killed mirrorctl recorded in the
 * lock file of @lock (lock_take()'s), then erase the record.  A device that
 * cannot be recovered fails the command (-errno, with a message) and keeps
 * the record for the next one.  0 when @lock is not held, or without a
 * record.  *@recovered (when not NULL) counts the devices it resumed,
 * undid or finished.
 */
int swap_recover(const struct mctl_lock *lock, size_t *recovered);

/*
 * swap_report_interrupted - without waiting for the lock, say on stderr
 * whether a killed mirrorctl left a swap half done: a record in the lock
 * file, no mirrorctl holding it, and a recorded device still suspended or
 * with the recorded new table loaded.  Names the devices and `mirrorctl
 * recover`.  Returns true when it said so.  status and list call it.
 */
bool swap_report_interrupted(void);

#endif /* MIRRORCTL_SWAP_H */
