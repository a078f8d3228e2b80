// SPDX-License-Identifier: GPL-2.0-only
/*
 * report_human.c - status, list and wait --progress as text; see
 * report_human.h
 */
#include <stdio.h>

#include "output.h"
#include "report_human.h"
#include "sector.h"
#include "size.h"

void report_human_segment_header(FILE *out, uint64_t start, uint64_t length,
				 const char *target)
{
	char size[SIZE_FORMAT_MAX];

	/* length < 2^64 sectors from the kernel; bytes only for show. */
	size_format(length > UINT64_MAX >> SECTOR_SHIFT ? UINT64_MAX : length << SECTOR_SHIFT,
		    size, sizeof(size));
	fputc('\n', out);
	output_field(out, "segment", "start %llu, length %llu sectors (%s)",
		     (unsigned long long)start, (unsigned long long)length,
		     size);
	output_field(out, "target", "%s", target);
}

static void human_progress(FILE *out, const struct mirror_status *st)
{
	char copied[SIZE_FORMAT_MAX], total[SIZE_FORMAT_MAX];
	char percent[OUTPUT_PERCENT_MAX];

	size_format(st->copied_sectors << SECTOR_SHIFT, copied, sizeof(copied));
	size_format(st->total_sectors << SECTOR_SHIFT, total, sizeof(total));
	output_percent(st->copied_sectors, st->total_sectors, percent,
		       sizeof(percent));
	output_field(out, "copied", "%s / %s (%s)", copied, total, percent);
}

void report_human_mirror_status(FILE *out, const struct mirror_status *st)
{
	output_field(out, "phase", "%s", status_phase_name(st->phase));
	human_progress(out, st);
	output_field(out, "mirrored writes", "%llu",
		     (unsigned long long)st->mirrored_writes);
	output_field(out, "dest errors", "%llu",
		     (unsigned long long)st->dest_errors);
	output_field(out, "source errors", "%llu",
		     (unsigned long long)st->source_errors);
	output_field(out, "zero regions", "%llu",
		     (unsigned long long)st->zero_regions);
	if (st->max_copy_kbps)
		output_field(out, "max copy rate", "%llu KiB/s",
			     (unsigned long long)st->max_copy_kbps);
	else
		output_field(out, "max copy rate", "unlimited");
	output_field(out, "reason", "%s", st->reason);
}

static void human_eta(const struct report *r, char *buf, size_t len)
{
	if (r->has_eta)
		output_duration(r->eta_seconds, buf, len);
	else
		snprintf(buf, len, "-");
}

static void human_copied(FILE *out, uint64_t copied, uint64_t total)
{
	char c[SIZE_FORMAT_MAX], t[SIZE_FORMAT_MAX];
	char percent[OUTPUT_PERCENT_MAX];

	size_format(copied, c, sizeof(c));
	size_format(total, t, sizeof(t));
	output_percent(copied, total, percent, sizeof(percent));
	output_field(out, "copied", "%s / %s (%s)", c, t, percent);
}

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

static void human_segment(FILE *out, const struct report_segment *rs)
{
	report_human_segment_header(out, rs->start, rs->length, rs->target);
	if (!rs->is_mirror)
		return;
	report_human_mirror_status(out, &rs->st);
	if (rs->has_table) {
		output_field(out, "source", "%s at sector %llu", rs->source,
			     (unsigned long long)rs->mp.source_offset);
		output_field(out, "destination", "%s at sector %llu", rs->dest,
			     (unsigned long long)rs->mp.dest_offset);
	}
}

void report_human_device(FILE *out, const struct report *r)
{
	char rate[OUTPUT_RATE_MAX], eta[OUTPUT_DURATION_MAX];
	size_t i;

	output_rate(r->has_rate, r->rate_bytes_per_sec, rate, sizeof(rate));
	human_eta(r, eta, sizeof(eta));
	output_field(out, "device", "%s", r->device);
	output_field(out, "phase", "%s", status_phase_name(r->phase));
	human_copied(out, r->copied_bytes, r->total_bytes);
	output_field(out, "rate", "%s", rate);
	output_field(out, "eta", "%s", eta);
	human_counters(out, r->mirrored_writes, r->dest_errors,
			r->source_errors, r->zero_regions, r->max_copy_kbps);
	output_field(out, "reason", "%s", r->reason);
	if (r->source[0])
		output_field(out, "source", "%s", r->source);
	if (r->destination[0])
		output_field(out, "destination", "%s", r->destination);
	if (r->nr_segments < 2)
		return;

	output_field(out, "segments", "%zu", r->nr_segments);
	for (i = 0; i < r->nr_segments; i++)
		human_segment(out, &r->segments[i]);
}

#define LIST_FORMAT	"%-16s %-8s %8s %10s %10s %12s %7s %s\n"

void report_human_list_header(FILE *out)
{
	fprintf(out, LIST_FORMAT, "DEVICE", "PHASE", "PROGRESS", "COPIED",
		"TOTAL", "RATE", "ETA", "REASON");
}

void report_human_list_row(FILE *out, const struct report *r)
{
	char c[SIZE_FORMAT_MAX], t[SIZE_FORMAT_MAX], pct[OUTPUT_PERCENT_MAX];
	char rate[OUTPUT_RATE_MAX], eta[OUTPUT_DURATION_MAX];

	size_format(r->copied_bytes, c, sizeof(c));
	size_format(r->total_bytes, t, sizeof(t));
	output_percent(r->copied_bytes, r->total_bytes, pct, sizeof(pct));
	output_rate(r->has_rate, r->rate_bytes_per_sec, rate, sizeof(rate));
	human_eta(r, eta, sizeof(eta));
	fprintf(out, LIST_FORMAT, r->device, status_phase_name(r->phase), pct,
		c, t, rate, eta, r->reason);
}

void report_human_progress_line(const struct report *r, char *buf,
				size_t len)
{
	char c[SIZE_FORMAT_MAX], t[SIZE_FORMAT_MAX], pct[OUTPUT_PERCENT_MAX];
	char rate[OUTPUT_RATE_MAX], eta[OUTPUT_DURATION_MAX];

	size_format(r->copied_bytes, c, sizeof(c));
	size_format(r->total_bytes, t, sizeof(t));
	output_percent(r->copied_bytes, r->total_bytes, pct, sizeof(pct));
	if (r->phase == MIRROR_READY) {
		snprintf(buf, len, "%s: ready %s %s/%s", r->device, pct, c, t);
		return;
	}
	output_rate(r->has_rate, r->rate_bytes_per_sec, rate, sizeof(rate));
	human_eta(r, eta, sizeof(eta));
	snprintf(buf, len, "%s: %s %s %s/%s, %s, ETA %s", r->device,
		 status_phase_name(r->phase), pct, c, t, rate, eta);
}
