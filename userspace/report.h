/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * report.h - what status, list and wait say about one device
 *
 * A report aggregates every segment of a device: the status lines of its
 * mirrorlive segments (one or two samples) and, when known, its table (for
 * the source and destination devices).  The device-wide values are:
 *
 *   phase    failed if any segment failed, else copying if any copies,
 *            else paused if any is paused, else ready
 *   copied, total, counters   sums over the mirrorlive segments
 *   reason   the first segment's reason that is not "-", else "-"
 *   persistent  some segment has a metadata device; dirty_regions is the
 *            sum of their write-intent bits (status field 9)
 *   rate     bytes copied between the two samples / their interval, summed
 *            over the segments (they copy in parallel); 0 when the phase
 *            is not copying; unknown with one sample of a copying mirror
 *   eta      remaining bytes / rate; 0 in ready; unknown when paused,
 *            failed, or copying at an unknown or zero rate
 *   verify   the state of the segments' last verify pass that ranks
 *            highest of repairing, verifying, error, stopped, "-", done
 *            (so done only when every segment's pass is); the verify
 *            counts are sums
 *
 * Pure functions, apart from the device name callback the caller passes.
 */
#ifndef MIRRORCTL_REPORT_H
#define MIRRORCTL_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "status.h"
#include "table.h"

/* Longest "source" or "destination" value: several devices, ", "-joined. */
#define REPORT_DEVS_MAX		512

struct report_segment {
	uint64_t start;			/* sectors */
	uint64_t length;		/* sectors */
	char target[32];
	bool is_mirror;			/* the fields below are valid */
	struct mirror_status st;
	bool has_table;			/* mp, source and dest are valid */
	struct mirror_params mp;
	char source[TABLE_DEV_MAX];	/* as the name callback made it */
	char dest[TABLE_DEV_MAX];
	char metadata[TABLE_DEV_MAX];	/* "" without a metadata device */
};

struct report {
	char device[128];
	enum mirror_phase phase;
	uint64_t copied_bytes;
	uint64_t total_bytes;
	uint64_t mirrored_writes;
	uint64_t dest_errors;
	uint64_t source_errors;
	uint64_t zero_regions;
	uint64_t max_copy_kbps;		/* of the first mirrorlive segment */
	uint64_t min_copy_kbps;		/* the segments' sum; 0: none yields */
	bool yielding;			/* a segment yields to the guest now */
	char reason[MIRROR_REASON_MAX];
	bool has_rate;
	uint64_t rate_bytes_per_sec;
	bool has_eta;
	uint64_t eta_seconds;
	char source[REPORT_DEVS_MAX];	/* distinct sources, ", "-joined */
	char destination[REPORT_DEVS_MAX];
	bool persistent;		/* some segment has a metadata device */
	uint64_t dirty_regions;		/* summed over those segments */
	char metadata[REPORT_DEVS_MAX];	/* their metadata devices, ", "-joined */
	/* complete --keep-source's kept state (kept.h), and since when */
	bool kept;
	uint64_t kept_since;		/* seconds since the epoch */
	/* the segments' last verify passes (status fields 10 to 13) */
	enum mirror_verify verify;
	uint64_t verified_regions;
	uint64_t copied_regions;
	uint64_t mismatched_regions;
	uint64_t repaired_regions;
	size_t nr_segments;
	struct report_segment *segments;
};

/*
 * A device as it goes into a table ("major:minor") made readable for the
 * operator, e.g. "/dev/sdb"; must always fill @buf.
 */
typedef void (*report_name_fn)(const char *dev, char *buf, size_t len);

/*
 * report_build - aggregate one or two status samples of a device
 * @first: the first sample, as dmctl_get_status() reads it (a table of
 *         status lines, naming the device)
 * @second: a later sample of the same device, or NULL
 * @interval_ms: time between the samples (ignored without @second)
 * @table: the live table, or NULL when unknown
 * @name_dev: turns table devices into names; NULL copies them
 * @r: filled in; free with report_free()
 *
 * The report describes @second when given (the newer state), else @first.
 * A segment whose sector range or target differs between the samples, or
 * the table, is reported from the newer sample alone: the table changed.
 *
 * Returns 0, -ENOENT when the device has no mirrorlive segment, -EINVAL
 * when a mirrorlive status line cannot be parsed (*bad_line is its index
 * if not NULL), or -ENOMEM.
 */
int report_build(const struct table *first, const struct table *second,
		 uint64_t interval_ms, const struct table *table,
		 report_name_fn name_dev, struct report *r, size_t *bad_line);

/* report_free - free what report_build() allocated; the struct stays */
void report_free(struct report *r);

/*
 * report_needs_rate - true when a second sample would tell more: some
 * mirrorlive segment of @ts is copying.  Unparseable lines count as not.
 */
bool report_needs_rate(const struct table *ts);

#endif /* MIRRORCTL_REPORT_H */
