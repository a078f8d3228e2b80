/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * output.h - values and lines as mirrorctl shows them to people
 *
 * The pieces every text mirrorctl prints is made of: a "label: value"
 * line, a percentage, a duration, a rate.  The report renderers use them
 * (report_human.h; report_json.h takes its progress from output_percent(),
 * so that the JSON number is the percentage the text shows), and so do
 * the messages of wait and complete.
 *
 * Functions that print take the stream so tests can capture it.  They
 * print nothing else and never fail: a short write shows up in ferror(out)
 * for the caller.
 */
#ifndef MIRRORCTL_OUTPUT_H
#define MIRRORCTL_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "size.h"

/* Column of the values: the longest label, "mirrored writes:", + 1 space. */
#define OUTPUT_LABEL_WIDTH	17

/* Large enough for any output_percent() result, "100.0%". */
#define OUTPUT_PERCENT_MAX	8

/*
 * output_field - print one "label: value" line, the value in column
 * OUTPUT_LABEL_WIDTH
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
 * A line redrawn in place on stdout (wait --progress, verify --progress):
 * each drawing starts with ESC [2K and a carriage return, rate limiting is
 * the caller's.  Nothing is drawn unless stdout is a terminal.
 */
struct output_line {
	bool on;		/* asked for, and stdout is a terminal */
	bool drawn;		/* a line is on the screen */
};

/* output_line_begin - @wanted: the command was asked for the line */
void output_line_begin(struct output_line *l, bool wanted);

/* output_line_draw - replace the line with @text (no newline), flushed */
void output_line_draw(struct output_line *l, const char *text);

/* output_line_clear - erase the line; output_line_keep - end it with a
 * newline, so that it stays on the screen */
void output_line_clear(struct output_line *l);
void output_line_keep(struct output_line *l);

#endif /* MIRRORCTL_OUTPUT_H */
