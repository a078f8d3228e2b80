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
 * The lock file also carries the record of a swap in progress (journal.h):
 * only the holder reads or writes it, through the handle below.
 */
#ifndef MIRRORCTL_LOCK_H
#define MIRRORCTL_LOCK_H

#include <stdbool.h>

#define LOCK_DIR	"/run/lock"
#define LOCK_PATH	LOCK_DIR "/mirrorctl.lock"

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
 *
 * Never fails: a lock file that cannot be opened or locked leaves @lock
 * not held (see struct mctl_lock), which --verbose says.
 */
void lock_take(struct mctl_lock *lock);

/*
 * lock_release - release what lock_take() took, held or not; @lock is not
 * held afterwards
 */
void lock_release(struct mctl_lock *lock);

#endif /* MIRRORCTL_LOCK_H */
