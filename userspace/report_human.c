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
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

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

/*
 * "min copy rate: 10.0 MiB/s, yielding to the guest" (or "guest quiet"),
 * only for a copy that yields (@kbps not 0).
 */
static void human_yield(FILE *out, uint64_t kbps, bool yielding)
{
	char rate[SIZE_FORMAT_MAX];

	if (!kbps || size_format(kbps * 1024, rate, sizeof(rate)))
		return;
	output_field(out, "min copy rate", "%s/s, %s", rate,
		     yielding ? "yielding to the guest" : "guest quiet");
}

/* The counters and the rate limit, of a segment or summed for a device. */
static void human_counters(FILE *out, uint64_t mirrored, uint64_t derr,
			   uint64_t serr, uint64_t zero, uint64_t kbps)
{
	char limit[SIZE_FORMAT_MAX];

	output_field(out, "mirrored writes", "%llu",
		     (unsigned long long)mirrored);
	output_field(out, "dest errors", "%llu", (unsigned long long)derr);
	output_field(out, "source errors", "%llu", (unsigned long long)serr);
	output_field(out, "zero regions", "%llu", (unsigned long long)zero);
	/* in the unit style of "rate": "10.0 MiB/s" */
	if (kbps && !size_format(kbps * 1024, limit, sizeof(limit)))
		output_field(out, "max copy rate", "%s/s", limit);
	else
		output_field(out, "max copy rate", "unlimited");
}

/* complete --keep-source: the source leg is the new disk now. */
static void human_kept(FILE *out, uint64_t since)
{
	time_t t = (time_t)since;
	char when[32];
	struct tm tm;

	if (!gmtime_r(&t, &tm) ||
	    !strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(when, sizeof(when), "%llu", (unsigned long long)since);
	output_field(out, "kept", "the old source (destination above), in "
		     "sync since %s: commit or revert", when);
}

/* A persistent mirror: where its record is, how much of it is dirty. */
static void human_persistent(FILE *out, const char *metadata, uint64_t dirty)
{
	output_field(out, "persistent", "yes, metadata on %s, %llu region%s "
		     "dirty", metadata[0] ? metadata : "(unknown)",
		     (unsigned long long)dirty, dirty == 1 ? "" : "s");
}

/* The last verify pass: "done, 8 / 8 regions verified, 1 mismatched, ..." */
static void human_verify(FILE *out, enum mirror_verify verify,
			 uint64_t verified, uint64_t copied,
			 uint64_t mismatched, uint64_t repaired)
{
	output_field(out, "verify", "%s, %llu / %llu regions verified, %llu "
		     "mismatched, %llu repaired", status_verify_name(verify),
		     (unsigned long long)verified, (unsigned long long)copied,
		     (unsigned long long)mismatched,
		     (unsigned long long)repaired);
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
	human_yield(out, st->min_copy_kbps, st->yielding);
	output_field(out, "reason", "%s", st->reason);
	if (st->verify != MIRROR_VERIFY_NONE)
		human_verify(out, st->verify, st->verified_regions,
			     st->copied_regions, st->mismatched_regions,
			     st->repaired_regions);
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
	if (rs->st.persistent)
		human_persistent(out, rs->metadata, rs->st.dirty_regions);
}

/* Did a verify pass run on any segment of @r? */
static bool human_verify_ran(const struct report *r)
{
	size_t i;

	for (i = 0; i < r->nr_segments; i++)
		if (r->segments[i].is_mirror &&
		    r->segments[i].st.verify != MIRROR_VERIFY_NONE)
			return true;
	return false;
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
	human_yield(out, r->min_copy_kbps, r->yielding);
	output_field(out, "reason", "%s", r->reason);
	if (r->source[0])
		output_field(out, "source", "%s", r->source);
	if (r->destination[0])
		output_field(out, "destination", "%s", r->destination);
	if (r->persistent)
		human_persistent(out, r->metadata, r->dirty_regions);
	if (r->kept)
		human_kept(out, r->kept_since);
	if (human_verify_ran(r))
		human_verify(out, r->verify, r->verified_regions,
			     r->copied_regions, r->mismatched_regions,
			     r->repaired_regions);
	if (r->nr_segments > 1)
		human_segments(out, r);
}

/* list's columns: DEVICE and PHASE flush left, the numbers right */
enum list_col {
	LIST_DEVICE, LIST_PHASE, LIST_PROGRESS, LIST_COPIED, LIST_TOTAL,
	LIST_RATE, LIST_ETA, LIST_REASON, LIST_NR
};

static const char * const list_header[LIST_NR] = {
	"DEVICE", "PHASE", "PROGRESS", "COPIED", "TOTAL", "RATE", "ETA",
	"REASON",
};

/* One row's cells, pointing into @c, @s and @r. */
static void list_cells(const struct report *r, const struct human_copied *c,
		       const struct human_speed *s, const char **cell)
{
	cell[LIST_DEVICE] = r->device;
	/* kept: ready, the old source in sync (complete --keep-source) */
	cell[LIST_PHASE] = r->kept && r->phase == MIRROR_READY ? "kept" :
			   status_phase_name(r->phase);
	cell[LIST_PROGRESS] = c->percent;
	cell[LIST_COPIED] = c->copied;
	cell[LIST_TOTAL] = c->total;
	cell[LIST_RATE] = s->rate;
	cell[LIST_ETA] = s->eta;
	cell[LIST_REASON] = r->reason;
}

static void list_print_row(FILE *out, const char * const *cell,
			   const int *width)
{
	int i;

	for (i = 0; i < LIST_NR; i++) {
		if (i == LIST_REASON)
			fprintf(out, "%s\n", cell[i]);
		else if (i <= LIST_PHASE)
			fprintf(out, "%-*s ", width[i], cell[i]);
		else
			fprintf(out, "%*s ", width[i], cell[i]);
	}
}

void report_human_list(FILE *out, const struct report *reps, int nr)
{
	struct human_copied c;
	struct human_speed s;
	const char *cell[LIST_NR];
	int width[LIST_NR], i, k, w;

	if (!nr)
		return;
	for (k = 0; k < LIST_NR; k++)
		width[k] = strlen(list_header[k]);
	for (i = 0; i < nr; i++) {
		human_copied(reps[i].copied_bytes, reps[i].total_bytes, &c);
		human_speed(&reps[i], &s);
		list_cells(&reps[i], &c, &s, cell);
		for (k = 0; k < LIST_NR; k++) {
			w = strlen(cell[k]);
			if (w > width[k])
				width[k] = w;
		}
	}
	list_print_row(out, list_header, width);
	for (i = 0; i < nr; i++) {
		human_copied(reps[i].copied_bytes, reps[i].total_bytes, &c);
		human_speed(&reps[i], &s);
		list_cells(&reps[i], &c, &s, cell);
		list_print_row(out, cell, width);
	}
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
