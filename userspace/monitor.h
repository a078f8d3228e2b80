/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * monitor.h - a stream of what mirrors do, for orchestrators and logs
 *
 * mirrorctl monitor DEVICE... prints one line per event on stdout, each
 * flushed at once, until every device is ready, one fails, --timeout
 * passes, or SIGINT/SIGTERM:
 *
 *   phase      at the start, for every device, and whenever a device's
 *              phase or reason changes (the target raises a dm event on
 *              each change: it is reported as it happens)
 *   progress   every @interval_s seconds for a device that is neither
 *              ready nor failed (none when @interval_s is 0)
 *
 * As JSON (the schema of report_json.h, Documentation/interface.rst 7.8):
 *
 *   {"version":1,"event":"phase","time":1764750000,"device":{...}}
 *
 * where time is the wall clock in seconds since the epoch and device the
 * object status --json prints; or, with @text (--progress), the line of
 * wait --progress, "vm1: copying 25.0% 16.0 MiB/64.0 MiB, 16.0 MiB/s, ETA
 * 3s", for a log where stdout is no terminal.
 *
 * It sleeps on dm events (events.h), on one device at a time: with
 * several, each wait is cut short after a second so that another device's
 * change is seen within that second.
 */
#ifndef MIRRORCTL_MONITOR_H
#define MIRRORCTL_MONITOR_H

#include <stdbool.h>
#include <stdint.h>

/*
 * monitor_run - the stream above for @nr devices @names
 * @deadline_us: clock_now_us() time to stop at; 0 = never
 *
 * Returns 0 when every device is ready, -MCTL_EMIRROR when one failed,
 * -ETIMEDOUT, -EINTR on SIGINT/SIGTERM, -MCTL_EPRECOND when one is no
 * mirror, or another -errno; with a message on stderr.
 */
int monitor_run(const char * const *names, int nr, uint64_t deadline_us,
		unsigned int interval_s, bool text);

#endif /* MIRRORCTL_MONITOR_H */
