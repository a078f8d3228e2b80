// SPDX-License-Identifier: GPL-2.0-only
/*
 * report_human.c - status, list and wait --progress as text; see
 * report_human.h
 *
 * Laid out as its twin report_json.c is: the building blocks, then a
 * mirrorlive segment's status, a segment's header, a segment, the
 * segments, the device, the list; last what only the text has, wait
 * --progress's line.
 */
#include <stdio.h>

#include "output.h"
#include "report_human.h"
#include "sector.h"
#include "size.h"

/* ------------------------------------------------------------------ */
/* building blocks */

/* How far a copy is, as every text shows it. */
struct human_copied {
	char copied[SIZE_FORMAT_MAX];		/* "32.0 MiB" */
	char total[SIZE_FORMAT_MAX];		/* "64.0 MiB" */
	char percent[OUTPUT_PERCENT_MAX];	/* "50.0%" */
};

/* How fast it goes. */
struct human_speed {
	char rate[OUTPUT_RATE_MAX];		/* "10.0 MiB/s" or "-" */
	char eta[OUTPUT_DURATION_MAX];		/* "3s" or "-" */
};

/* @copied and @total in bytes */
static void human_copied(uint64_t copied, uint64_t total,
			 struct human_copied *c)
{
	size_format(copied, c->copied, sizeof(c->copied));
	size_format(total, c->total, sizeof(c->total));
	output_percent(copied, total, c->percent, sizeof(c->percent));
}

static void human_speed(const struct report *r, struct human_speed *s)
{
	output_rate(r->has_rate, r->rate_bytes_per_sec, s->rate,
		    sizeof(s->rate));
	if (r->has_eta)
		output_duration(r->eta_seconds, s->eta, sizeof(s->eta));
	else
		snprintf(s->eta, sizeof(s->eta), "-");
}

/* "copied: 32.0 MiB / 64.0 MiB (50.0%)"; @copied and @total in bytes */
static void human_copied_field(FILE *out, uint64_t copied, uint64_t total)
{
	struct human_copied c;

	human_copied(copied, total, &c);
	output_field(out, "copied", "%s / %s (%s)", c.copied, c.total,
		     c.percent);
}

/* The counters and the rate limit, of a segment or summed for a device. */
static void human_counters(FILE *out, uint64_t mirrored, uint64_t derr,
			   uint64_t serr, uint64_t zero, uint64_t kbps)
{
	output_field(out, "mirrored writes", "%llu",
		     (unsigned long long)mirrored);
	output_field(out, "dest errors", "%llu", (unsigned long long)derr);
	output_field(out, "source errors", "%llu", (unsigned long long)serr);
	output_field(out, "zero regions", "%llu", (unsigned long long)zero);
	if (kbps)
		output_field(out, "max copy rate", "%llu KiB/s",
			     (unsigned long long)kbps);
	else
		output_field(out, "max copy rate", "unlimited");
}

/* ------------------------------------------------------------------ */
/* a segment */

void report_human_mirror_status(FILE *out, const struct mirror_status *st)
{
	output_field(out, "phase", "%s", status_phase_name(st->phase));
	/* status_parse() bounds the sector counts: the bytes fit. */
	human_copied_field(out, st->copied_sectors << SECTOR_SHIFT,
			   st->total_sectors << SECTOR_SHIFT);
	human_counters(out, st->mirrored_writes, st->dest_errors,
		       st->source_errors, st->zero_regions, st->max_copy_kbps);
	output_field(out, "reason", "%s", st->reason);
}

void report_human_segment_header(FILE *out, uint64_t start, uint64_t length,
				 const char *target)
{
	char size[SIZE_FORMAT_MAX];

	/* length < 2^64 sectors from the kernel; bytes only for show. */
	size_format(length > UINT64_MAX >> SECTOR_SHIFT ?
		    UINT64_MAX : length << SECTOR_SHIFT, size, sizeof(size));
	fputc('\n', out);
	output_field(out, "segment", "start %llu, length %llu sectors (%s)",
		     (unsigned long long)start, (unsigned long long)length,
		     size);
	output_field(out, "target", "%s", target);
}

static void human_segment(FILE *out, const struct report_segment *rs)
{
	report_human_segment_header(out, rs->start, rs->length, rs->target);
	if (!rs->is_mirror)
		return;
	report_human_mirror_status(out, &rs->st);
	if (!rs->has_table)
		return;
	output_field(out, "source", "%s at sector %llu", rs->source,
		     (unsigned long long)rs->mp.source_offset);
	output_field(out, "destination", "%s at sector %llu", rs->dest,
		     (unsigned long long)rs->mp.dest_offset);
}

static void human_segments(FILE *out, const struct report *r)
{
	size_t i;

	output_field(out, "segments", "%zu", r->nr_segments);
	for (i = 0; i < r->nr_segments; i++)
		human_segment(out, &r->segments[i]);
}

/* ------------------------------------------------------------------ */
/* a device, a list of devices */

void report_human_device(FILE *out, const struct report *r)
{
	struct human_speed s;

	human_speed(r, &s);
	output_field(out, "device", "%s", r->device);
	output_field(out, "phase", "%s", status_phase_name(r->phase));
	human_copied_field(out, r->copied_bytes, r->total_bytes);
	output_field(out, "rate", "%s", s.rate);
	output_field(out, "eta", "%s", s.eta);
	human_counters(out, r->mirrored_writes, r->dest_errors,
		       r->source_errors, r->zero_regions, r->max_copy_kbps);
	output_field(out, "reason", "%s", r->reason);
	if (r->source[0])
		output_field(out, "source", "%s", r->source);
	if (r->destination[0])
		output_field(out, "destination", "%s", r->destination);
	if (r->nr_segments > 1)
		human_segments(out, r);
}

#define LIST_FORMAT	"%-16s %-8s %8s %10s %10s %12s %7s %s\n"

void report_human_list_header(FILE *out)
{
	fprintf(out, LIST_FORMAT, "DEVICE", "PHASE", "PROGRESS", "COPIED",
		"TOTAL", "RATE", "ETA", "REASON");
}

void report_human_list_row(FILE *out, const struct report *r)
{
	struct human_copied c;
	struct human_speed s;

	human_copied(r->copied_bytes, r->total_bytes, &c);
	human_speed(r, &s);
	fprintf(out, LIST_FORMAT, r->device, status_phase_name(r->phase),
		c.percent, c.copied, c.total, s.rate, s.eta, r->reason);
}

/* ------------------------------------------------------------------ */
/* text only: wait --progress */

void report_human_progress_line(const struct report *r, char *buf,
				size_t len)
{
	struct human_copied c;
	struct human_speed s;

	human_copied(r->copied_bytes, r->total_bytes, &c);
	if (r->phase == MIRROR_READY) {
		snprintf(buf, len, "%s: ready %s %s/%s", r->device, c.percent,
			 c.copied, c.total);
		return;
	}
	human_speed(r, &s);
	snprintf(buf, len, "%s: %s %s %s/%s, %s, ETA %s", r->device,
		 status_phase_name(r->phase), c.percent, c.copied, c.total,
		 s.rate, s.eta);
}
