/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * lock.h - one mirrorctl changing tables at a time
 *
 * start, complete, cancel and wrap read a table, decide, and swap it; two
 * of them interleaving (a complete and a cancel of the same device) could
 * make the loser's decision on a table that is gone.  They hold an
 * exclusive flock() on LOCK_PATH from reading the tables until the swap is
 * done.  Waiting (--wait, wait) happens outside it.
 *
 * A command that finds the lock held waits for it; after LOCK_SAY_WAIT_MS
 * it says once who holds it (pid and command line, from /proc/locks), and
 * with --timeout it gives up at the command's deadline (exit 4), so that a
 * mirrorctl stuck behind a dead destination never makes the others hang
 * silently.
 *
 * The lock file also carries the record of a swap in progress (journal.h):
 * only a holder reads it, and only the exclusive holder writes it, through
 * the handle below.
 */
#ifndef MIRRORCTL_LOCK_H
#define MIRRORCTL_LOCK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#define LOCK_DIR	"/run/lock"
#define LOCK_PATH	LOCK_DIR "/mirrorctl.lock"

/* how long a wait for the lock stays silent, and how often it tries */
#define LOCK_SAY_WAIT_MS	1000
#define LOCK_POLL_MS		100

/*
 * struct mctl_lock - the mirrorctl lock, as lock_take() left it
 * @held: we hold the flock() on LOCK_PATH, and @fd is the open lock file
 *	  for the journal (journal.h).  False when lock_take() could not
 *	  open or lock LOCK_PATH -- /run read-only or without room, as in
 *	  some initramfs -- and after lock_release(): the command then goes
 *	  on unlocked, and its swaps unrecorded (swap.h).  A zeroed struct
 *	  is not held.
 * @fd: the lock file while @held; -1 otherwise
 */
struct mctl_lock {
	bool held;
	int fd;
};

/*
 * lock_take - take the lock into @lock, waiting for another holder
 * @deadline_us: clock_now_us() time to give up at; 0 waits for ever
 *
 * Returns 0, with @lock held or, when the lock file cannot be opened or
 * locked, not held (see struct mctl_lock; --verbose says so); or
 * -ETIMEDOUT, with a message naming the holder, when @deadline_us passed.
 */
int lock_take(struct mctl_lock *lock, uint64_t deadline_us);

/*
 * lock_peek - take the lock shared into @lock, without waiting, to read
 * the journal.  Returns 0 (held), -EWOULDBLOCK when a mirrorctl holds it
 * (a swap in progress), or -errno (no lock file: no mirrorctl ever ran).
 * No messages.
 */
int lock_peek(struct mctl_lock *lock);

/*
 * lock_release - release what lock_take() or lock_peek() took, held or
 * not; @lock is not held afterwards
 */
void lock_release(struct mctl_lock *lock);

/*
 * lock_holder_pid - the pid that holds a flock() on the file @dev:@ino
 * according to @proc_locks (the text of /proc/locks), or 0 when none is
 * listed.  Waiters ("->" lines) are not holders.
 */
pid_t lock_holder_pid(FILE *proc_locks, dev_t dev, ino_t ino);

#endif /* MIRRORCTL_LOCK_H */
