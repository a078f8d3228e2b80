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

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

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

#endif /* MIRRORCTL_OUTPUT_H */
