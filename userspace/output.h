/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * output.h - human-readable reports on stdout
 *
 * A report is a block of "label: value" lines with the values aligned in
 * one column, e.g.
 *
 *   phase:           copying
 *   copied:          32.0 MiB / 64.0 MiB (50.0%)
 *   mirrored writes: 0
 *
 * Functions take the stream so tests can capture it.  They print nothing
 * else and never fail: a short write shows up in ferror(out) for the caller.
 */
#ifndef MIRRORCTL_OUTPUT_H
#define MIRRORCTL_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "report.h"
#include "size.h"
#include "status.h"

/* Column of the values: the longest label, "mirrored writes:", + 1 space. */
#define OUTPUT_LABEL_WIDTH	17

/* Large enough for any output_percent() result, "100.0%". */
#define OUTPUT_PERCENT_MAX	8

/*
 * output_field - print one "label: value" line
 * @label: without the colon
 * @fmt: printf format of the value
 */
void output_field(FILE *out, const char *label, const char *fmt, ...)
	__attribute__((format(printf, 3, 4), nonnull(1, 2, 3)));

/*
 * output_percent - render @done of @total as a percentage, e.g. "99.9%"
 *
 * Rounds down, so only a finished copy ever shows "100.0%"; a @total of 0
 * is complete by definition.  Returns 0 or -ENOSPC like size_format().
 */
int output_percent(uint64_t done, uint64_t total, char *buf, size_t len);

/*
 * output_segment - print the header of one segment of a multi-segment table
 * @start, @length: the segment's place in the device, in 512-byte sectors
 * @target: its target type, e.g. "mirrorlive" or "linear"
 *
 * Prints a blank separator line, then "segment:" and "target:" lines.
 */
void output_segment(FILE *out, uint64_t start, uint64_t length,
		    const char *target);

/*
 * output_mirror_status - print the lines describing one mirrorlive segment
 *
 * phase, copied (bytes and percent), mirrored writes, dest errors, source
 * errors, zero regions, max copy rate ("unlimited" or "N KiB/s"), reason.
 * @st must come from status_parse(), which bounds the sector counts.
 */
void output_mirror_status(FILE *out, const struct mirror_status *st);

/* Large enough for any output_duration() result, "99999d23h". */
#define OUTPUT_DURATION_MAX	24

/* Large enough for any output_rate() result, "1023.9 KiB/s" or "-". */
#define OUTPUT_RATE_MAX		(SIZE_FORMAT_MAX + 2)

/*
 * output_duration - render seconds for an operator: "0s", "59s", "1m05s",
 * "2h03m", "3d04h"; rounded down to the unit shown.
 */
void output_duration(uint64_t seconds, char *buf, size_t len);

/* output_rate - "12.5 MiB/s", "0 B/s", or "-" when @known is false */
void output_rate(bool known, uint64_t bytes_per_sec, char *buf, size_t len);

/*
 * output_report - print a device report (status)
 *
 * The device-wide lines (device, phase, copied, rate, eta, the summed
 * counters, max copy rate, reason, source and destination when known); for
 * a table of several lines then "segments: N" and, per line, its
 * output_segment() header and, for mirrorlive lines, their own values.
 */
void output_report(FILE *out, const struct report *r);

/*
 * output_list_header, output_list_row - one line per device (list):
 *
 *   DEVICE  PHASE    PROGRESS  COPIED    TOTAL     RATE       ETA   REASON
 */
void output_list_header(FILE *out);
void output_list_row(FILE *out, const struct report *r);

/*
 * output_progress_line - the one line wait --progress redraws:
 * "DEVICE: PHASE 50.0% 32.0 MiB/64.0 MiB, 10.0 MiB/s, ETA 3s", without a
 * newline, into @buf.
 */
void output_progress_line(const struct report *r, char *buf, size_t len);

#endif /* MIRRORCTL_OUTPUT_H */
