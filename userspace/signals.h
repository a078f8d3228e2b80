/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * signals.h - no signal ends mirrorctl while devices are suspended
 *
 * Between the first suspend of a table swap (swap.h) and the last resume,
 * the VM's disk queues every I/O.  A Ctrl-C, a SIGHUP from a closed ssh
 * session or a SIGTERM from a service manager that ended mirrorctl there
 * would leave the disk suspended, and the guest hung, until someone ran
 * another command.  lvm2 blocks signals around its suspended sections for
 * the same reason (block_signals() in lib/misc/lvm-signal.c).  Here they
 * are caught instead of blocked, so that one can also cut a suspend short
 * that waits on a dead device (dm's suspend gives up with EINTR when a
 * signal arrives while it drains I/O):
 *
 *   signals_hold()       from now on SIGINT, SIGTERM, SIGHUP, SIGQUIT,
 *                        SIGPIPE, SIGUSR1, SIGUSR2 (ending signals) and
 *                        SIGTSTP, SIGTTIN, SIGTTOU (stopping ones) are
 *                        only noted: the first one is kept, or the
 *                        first ending one after a stopping one; one that
 *                        was ignored (nohup) stays ignored;
 *   signals_ending()     an ending signal was noted: the swap stops where
 *                        it is and rolls back, unless its checks already
 *                        passed, in which case finishing is the quickest
 *                        way out;
 *   signals_release()    the devices are resumed: put the old actions
 *                        back, then deliver the noted signal to ourselves,
 *                        so that an ending one ends mirrorctl as it would
 *                        have (a shell sees 128+N) and a stopping one
 *                        stops it now.
 *
 * Only one hold at a time; a hold is not inherited by a child mirrorctl
 * runs (exec puts caught signals back to their default).
 */
#ifndef MIRRORCTL_SIGNALS_H
#define MIRRORCTL_SIGNALS_H

#include <signal.h>
#include <stdbool.h>

#define SIGNALS_HELD_NR	10

struct signals_held {
	struct sigaction old[SIGNALS_HELD_NR];
	bool active;
};

/* signals_hold - start noting the signals above instead of acting on them */
void signals_hold(struct signals_held *h);

/* signals_noted - the signal kept since signals_hold() (above), or 0 */
int signals_noted(void);

/* signals_ending - was the signal noted one that ends the process? */
bool signals_ending(void);

/*
 * signals_release - end the hold and act on the noted signal, if any
 * @outcome: when the signal came and what was done about it, for the
 *	     message "SIGINT received <outcome>" printed before the signal
 *	     is delivered
 *
 * Returns only when no signal was noted, or when it was a stopping signal
 * and the process was continued.
 */
void signals_release(struct signals_held *h, const char *outcome);

#endif /* MIRRORCTL_SIGNALS_H */
