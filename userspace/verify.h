/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * verify.h - a verify pass on every mirrorlive segment of a group of
 * devices, and waiting for it to end
 *
 * verify and complete --verify (Documentation/interface.rst, sections 4,
 * 6.13 and 7.3) have the target compare its two legs:
 *
 *   1. verify_start(): under the mirrorctl lock (lock.h), look up every
 *      DEVICE and refuse the group unless each is a running mirrorlive
 *      device whose segments neither failed nor run a pass; then send
 *      "verify start" (or "verify repair") to every mirrorlive segment,
 *      addressed by its first sector.  A segment the kernel refuses stops
 *      the passes already started: all or none.
 *   2. verify_wait(): block on each device's dm events (watch_events())
 *      until none of its segments is verifying or repairing; the target
 *      raises an event when a pass ends by itself.  A pass stopped by
 *      someone else, or by a suspend, raises none: the status is also
 *      re-read every VERIFY_RECHECK_MS (once a second with --progress, to
 *      redraw the line).  A deadline, SIGINT or SIGTERM ends the wait:
 *      every pass still started is stopped ("verify stop").  Then every
 *      device's status is read once more, and each segment's "verify
 *      mismatches", made relative to the device.
 *
 * What the results mean is the caller's (act_verify.c).  Every function
 * prints its reason before it returns an error.
 */
#ifndef MIRRORCTL_VERIFY_H
#define MIRRORCTL_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dm.h"
#include "report.h"

/* Without --progress, how often the status is re-read anyway. */
#define VERIFY_RECHECK_MS	5000

/* The mismatches a device reports at most, its first ones. */
#define VERIFY_MAX_MISMATCHES	MIRRORLIVE_VERIFY_MAX_REPORTED

struct verify_dev {
	const char *arg;		/* DEVICE as given */
	struct dmctl_info info;		/* info.name addresses it once found */
	uint64_t *segments;		/* first sectors of its mirrorlive */
	size_t nr_segments;		/* ...segments, in table order; the */
	size_t nr_started;		/* ...first nr_started run our pass */
	bool stopped;			/* verify_run() stopped their passes */
	bool ended;			/* @rep is its status after the passes */
	struct report rep;		/* device-wide and per-segment values */
	/* the first sectors, in the device, of its first mismatched regions */
	uint64_t mismatches[VERIFY_MAX_MISMATCHES];
	size_t nr_mismatches;
};

/*
 * verify_devs_new - a group of @nr devices, DEVICE args[i]; NULL (said
 * why) when out of memory.  verify_devs_free - free them.
 */
struct verify_dev *verify_devs_new(const char * const *args, int nr);
void verify_devs_free(struct verify_dev *d, int nr);

/*
 * verify_run - steps 1 and 2 above, SIGINT and SIGTERM caught throughout
 * @repair: "verify repair" instead of "verify start"
 * @deadline_us: clock_now_us() time to give up at, waiting for the lock
 *		 or stopping the passes (0: never)
 * @progress: draw a progress line while waiting (only on a terminal)
 *
 * Returns 0 once every pass ended, each device ->ended with its results.
 * Refusals, no pass started: -MCTL_EUSAGE (a device named twice),
 * -MCTL_EPRECOND (not a mirrorlive device, suspended, a segment failed or
 * running a pass), -ETIMEDOUT (the lock).  After the start: -ETIMEDOUT or
 * -EINTR, the passes stopped.  Or another -errno.  Whatever the return,
 * every device whose passes started and whose status could be read after
 * has ->ended and its results.
 */
int verify_run(struct verify_dev *d, int nr, bool repair,
	       uint64_t deadline_us, bool progress);

/*
 * verify_parse_mismatches - read the result of "verify mismatches":
 * first sectors, relative to the segment, ascending, separated by one
 * space; "" for none
 * @base: the segment's first sector, added to each
 * @out, @max: where they go; beyond @max they are dropped (segments in
 *	       table order give the device's first ones)
 * @nr: in: how many @out holds already; out: with these
 *
 * Returns 0, or -EINVAL when @text is not such a list (nothing added).
 * Pure function.
 */
int verify_parse_mismatches(const char *text, uint64_t base, uint64_t *out,
			    size_t max, size_t *nr);

#endif /* MIRRORCTL_VERIFY_H */
