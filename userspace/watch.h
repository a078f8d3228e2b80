/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * watch.h - looking at mirrors: samples, reports, and waiting for ready
 *
 * status, list and wait (and start --wait, complete --timeout) read a
 * mirror through these; verify (verify.h) waits with watch_events().  The rate and ETA need two samples of the copy
 * progress, WATCH_SAMPLE_INTERVAL_MS apart, when a mirror is copying
 * (otherwise the phase alone says the rate is 0).  Every function prints
 * its reason before it returns an error.
 */
#ifndef MIRRORCTL_WATCH_H
#define MIRRORCTL_WATCH_H

#include <stdbool.h>
#include <stdint.h>

#include "dm.h"
#include "report.h"
#include "table.h"

/* The interval between the two samples of status and list. */
#define WATCH_SAMPLE_INTERVAL_MS	1000

/*
 * watch_require_mirror - 0 if @ts has a mirrorlive segment; else
 * -MCTL_EPRECOND, naming what @device is instead ("target linear",
 * "targets linear, striped", "no table loaded").
 */
int watch_require_mirror(const char *device,
			 const struct table *ts);

/*
 * watch_report - report_build() with the messages status, list and wait
 * give: an unparseable status line is -EINVAL, no mirror -MCTL_EPRECOND.
 */
int watch_report(const char *device, const struct table *first,
		 const struct table *second, uint64_t interval_ms,
		 const struct table *table, struct report *r);

/*
 * watch_sample - the samples of one mirror: @first always, @second
 * WATCH_SAMPLE_INTERVAL_MS later when it is copying (else NULL), both as
 * dmctl_get_status() reads them, and its live @table.  The caller frees
 * all three with table_free(), also on error.
 */
int watch_sample(const char *device, struct table **first,
		 struct table **second, uint64_t *interval_ms,
		 struct table **table);

/*
 * watch_check_fn - what a waiter makes of one status sample @ts of its
 * device, taken at clock_now_us() @now_us; @late: the deadline passed.
 * It takes @ts over (frees or keeps it).  Returns 1 when the wait is
 * over, 0 to wait for the next event, or -errno (said why).
 */
typedef int (*watch_check_fn)(void *ctx, struct table *ts, uint64_t now_us,
			      bool late);

/*
 * watch_events - block on @device's dm events, as dmeventd does: read its
 * event counter, then its status, hand that to @check, and unless it is
 * done wait in DM_DEVICE_WAITEVENT for the counter to change; again.
 * @deadline_us: clock_now_us() time to give up at (0: never); when @check
 * returns 0 on a late sample, -ETIMEDOUT.
 * @tick_ms: wake up this often anyway, to re-read the status (0: never).
 *
 * Between events_begin() and events_end() (events.h).  Returns 0 once
 * @check said so, its error, -ETIMEDOUT, -EINTR (no message) on SIGINT
 * or SIGTERM, or another -errno of the requests (with a message).
 */
int watch_events(const char *device, uint64_t deadline_us, uint64_t tick_ms,
		 watch_check_fn check, void *ctx);

/*
 * wait_ready - block on dm events until every device in @names is ready
 * @deadline_us: clock_now_us() value to give up at; 0 = never
 * @progress: draw a progress line (only when stdout is a terminal)
 *
 * Devices are waited for one after the other, each with what is left of
 * the deadline.  Returns 0 when all are ready, -MCTL_EMIRROR when one
 * failed, -ETIMEDOUT, -MCTL_EPRECOND when one is no mirror (any more),
 * -EINTR on SIGINT/SIGTERM, or another -errno; with a message.
 */
int wait_ready(const char * const *names, int nr, uint64_t deadline_us,
	       bool progress);

#endif /* MIRRORCTL_WATCH_H */
