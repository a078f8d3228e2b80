/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * lock.h - one mirrorctl changing tables at a time
 *
 * start, complete, cancel and wrap read a table, decide, and swap it; two
 * of them interleaving (a complete and a cancel of the same device) could
 * make the loser's decision on a table that is gone.  They hold an
 * exclusive flock() on LOCK_PATH from reading the tables until the swap is
 * done.  Waiting (--wait, wait) happens outside it.
 */
#ifndef MIRRORCTL_LOCK_H
#define MIRRORCTL_LOCK_H

#define LOCK_DIR	"/run/lock"
#define LOCK_PATH	LOCK_DIR "/mirrorctl.lock"

/*
 * lock_take - take the lock, waiting for another holder; returns the lock
 * (>= 0) or -1 when the lock file cannot be opened (read-only /run): the
 * command then goes on without it, and says so with --verbose.
 */
int lock_take(void);

/* lock_release - release a lock_take() result; -1 is fine */
void lock_release(int lock);

#endif /* MIRRORCTL_LOCK_H */
