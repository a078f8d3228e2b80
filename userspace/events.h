/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * events.h - waiting on dm events, cut short by a timer or by the operator
 *
 * wait, monitor, start --wait, complete --timeout and verify block in
 * DM_DEVICE_WAITEVENT (dmctl_wait_event(), watch_events()), the way
 * dmeventd does: the target raises an event on every phase change and at
 * the end of a verify pass, so nothing polls.  Two
 * things end such a wait early, and both make the ioctl return EINTR:
 *
 *   a timer (SIGALRM)      for a deadline, a redraw or a report; armed
 *                          with events_timer(), it fires again every
 *                          EVENTS_REFIRE_MS until disarmed, so that one
 *                          landing between the caller's last check and
 *                          the ioctl is not lost;
 *   SIGINT or SIGTERM      the operator: events_stopped() says so.
 *
 * The handlers are installed without SA_RESTART by events_begin() and the
 * old ones put back by events_end().  One user at a time.
 */
#ifndef MIRRORCTL_EVENTS_H
#define MIRRORCTL_EVENTS_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#define EVENTS_REFIRE_MS	200

struct events_saved {
	struct sigaction alrm, intr, term;
};

void events_begin(struct events_saved *old);
void events_end(const struct events_saved *old);

/* events_stopped - SIGINT or SIGTERM arrived since events_begin() */
bool events_stopped(void);

/* events_timer - fire in @ms (0: at once); events_timer_off - disarm */
void events_timer(uint64_t ms);
void events_timer_off(void);

#endif /* MIRRORCTL_EVENTS_H */
