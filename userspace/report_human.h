/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * report_human.h - status, list and wait --progress as text
 *
 * One of the two renderers of a device report (report.h); its twin is
 * report_json.h, the same report as JSON for status --json and list
 * --json.  The two are laid out alike, function for function: a
 * mirrorlive segment's status, a segment's header, a segment, the
 * segments, the device, the list.  A value added to one is looked for in
 * the other.
 *
 * A device report is a block of "label: value" lines (output_field())
 * with the values aligned in one column, e.g.
 *
 *   device:          vm1
 *   phase:           copying
 *   copied:          32.0 MiB / 64.0 MiB (50.0%)
 *   mirrored writes: 0
 *
 * Functions take the stream so tests can capture it.  They print nothing
 * else and never fail: a short write shows up in ferror(out) for the caller.
 */
#ifndef MIRRORCTL_REPORT_HUMAN_H
#define MIRRORCTL_REPORT_HUMAN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "report.h"
#include "status.h"

/*
 * report_human_mirror_status - print the lines describing one mirrorlive
 * segment
 *
 * phase, copied (bytes and percent), mirrored writes, dest errors, source
 * errors, zero regions, max copy rate ("unlimited" or "N KiB/s"), reason;
 * once a verify pass ran, "verify: done, 8 / 8 regions verified, 0
 * mismatched, 0 repaired".
 * @st must come from status_parse(), which bounds the sector counts.
 */
void report_human_mirror_status(FILE *out, const struct mirror_status *st);

/*
 * report_human_segment_header - print the header of one segment of a
 * multi-segment table
 * @start, @length: the segment's place in the device, in 512-byte sectors
 * @target: its target type, e.g. "mirrorlive" or "linear"
 *
 * Prints a blank separator line, then "segment:" and "target:" lines.
 */
void report_human_segment_header(FILE *out, uint64_t start, uint64_t length,
				 const char *target);

/*
 * report_human_device - print a device report (status; the JSON's
 * report_json_device())
 *
 * The device-wide lines (device, phase, copied, rate, eta, the summed
 * counters, max copy rate, reason, source and destination when known,
 * persistent, kept, and the device-wide verify line once a segment ran a
 * pass); for a table of several lines then "segments: N" and, per line, its
 * report_human_segment_header() and, for mirrorlive lines, their
 * report_human_mirror_status() and source and destination.
 */
void report_human_device(FILE *out, const struct report *r);

/*
 * report_human_list - a header and one line per device of @reps (list;
 * the JSON's report_json_list()), nothing when @nr is 0:
 *
 *   DEVICE PHASE   PROGRESS   COPIED     TOTAL       RATE ETA REASON
 *
 * Each column is as wide as its widest cell or its title, as dmsetup info
 * -c does, so that long (LVM-style) names keep the columns aligned; one
 * blank between columns; DEVICE and PHASE flush left, the numbers flush
 * right, REASON last and unpadded.
 */
void report_human_list(FILE *out, const struct report *reps, int nr);

/*
 * report_human_progress_line - the one line wait --progress redraws:
 * "DEVICE: PHASE 50.0% 32.0 MiB/64.0 MiB, 10.0 MiB/s, ETA 3s", without a
 * newline, into @buf.  Text only: wait has no JSON.
 */
void report_human_progress_line(const struct report *r, char *buf,
				size_t len);

#endif /* MIRRORCTL_REPORT_HUMAN_H */
