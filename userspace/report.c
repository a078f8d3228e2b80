// SPDX-License-Identifier: GPL-2.0-only
/*
 * report.c - what status, list and wait say about one device
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "sector.h"

bool report_needs_rate(const struct table *ts)
{
	struct mirror_status st;
	size_t i;

	for (i = 0; i < ts->nr; i++) {
		const struct table_line *s = &ts->lines[i];

		if (table_line_is_mirror(s) &&
		    !status_parse(s->params, &st) && st.phase == MIRROR_COPYING)
			return true;
	}
	return false;
}

/* Append @dev to the ", "-joined list @list unless it is there already. */
static void devs_add(char *list, const char *dev)
{
	size_t len = strlen(list), dl = strlen(dev);
	const char *p = list;

	while ((p = strstr(p, dev))) {
		bool starts = p == list || (p >= list + 2 && p[-1] == ' ' &&
					    p[-2] == ',');
		bool ends = p[dl] == '\0' || p[dl] == ',';

		if (starts && ends)
			return;
		p += dl;
	}
	snprintf(list + len, REPORT_DEVS_MAX - len, "%s%s", len ? ", " : "",
		 dev);
}

/* The same segment of the other sample, if the table did not change. */
static const struct table_line *find_segment(const struct table *ts,
					     const struct table_line *s)
{
	size_t i;

	for (i = 0; ts && i < ts->nr; i++) {
		const struct table_line *o = &ts->lines[i];

		if (o->start == s->start && o->length == s->length &&
		    !strcmp(o->target, s->target))
			return o;
	}
	return NULL;
}

static void fill_table(struct report_segment *rs, const struct table *table,
		       report_name_fn name_dev)
{
	size_t i;

	for (i = 0; table && i < table->nr; i++) {
		const struct table_line *l = &table->lines[i];

		if (l->start != rs->start || l->length != rs->length ||
		    !table_line_is_mirror(l))
			continue;
		if (table_parse_mirror(l->params, &rs->mp))
			return;
		rs->has_table = true;
		if (name_dev) {
			name_dev(rs->mp.source, rs->source, sizeof(rs->source));
			name_dev(rs->mp.dest, rs->dest, sizeof(rs->dest));
			if (rs->mp.features.metadata[0])
				name_dev(rs->mp.features.metadata,
					 rs->metadata, sizeof(rs->metadata));
		} else {
			snprintf(rs->source, sizeof(rs->source), "%s",
				 rs->mp.source);
			snprintf(rs->dest, sizeof(rs->dest), "%s", rs->mp.dest);
			snprintf(rs->metadata, sizeof(rs->metadata), "%s",
				 rs->mp.features.metadata);
		}
		return;
	}
}

/* The device-wide verify state of two segments' (report.h). */
static enum mirror_verify verify_wins(enum mirror_verify a,
				      enum mirror_verify b)
{
	static const int rank[] = {
		[MIRROR_VERIFY_DONE] = 0, [MIRROR_VERIFY_NONE] = 1,
		[MIRROR_VERIFY_STOPPED] = 2, [MIRROR_VERIFY_ERROR] = 3,
		[MIRROR_VERIFY_VERIFYING] = 4, [MIRROR_VERIFY_REPAIRING] = 5,
	};

	return rank[b] > rank[a] ? b : a;
}

/* Add the verify fields of @st to the device-wide values. */
static void aggregate_verify(struct report *r, const struct mirror_status *st,
			     bool first)
{
	r->verify = first ? st->verify : verify_wins(r->verify, st->verify);
	r->verified_regions += st->verified_regions;
	r->copied_regions += st->copied_regions;
	r->mismatched_regions += st->mismatched_regions;
	r->repaired_regions += st->repaired_regions;
}

/* Add segment @rs to the device-wide values. */
static void aggregate(struct report *r, const struct report_segment *rs,
		      bool *first_mirror)
{
	static const int rank[] = {	/* which phase wins */
		[MIRROR_READY] = 0, [MIRROR_PAUSED] = 1,
		[MIRROR_COPYING] = 2, [MIRROR_FAILED] = 3,
	};
	const struct mirror_status *st = &rs->st;

	aggregate_verify(r, st, *first_mirror);
	if (*first_mirror) {
		r->phase = st->phase;
		r->max_copy_kbps = st->max_copy_kbps;
		*first_mirror = false;
	} else {
		if (rank[st->phase] > rank[r->phase])
			r->phase = st->phase;
		/* The device's limit: the segments' sum, unless one has none. */
		r->max_copy_kbps = r->max_copy_kbps && st->max_copy_kbps ?
				   r->max_copy_kbps + st->max_copy_kbps : 0;
	}
	r->copied_bytes += st->copied_sectors << SECTOR_SHIFT;
	r->total_bytes += st->total_sectors << SECTOR_SHIFT;
	r->mirrored_writes += st->mirrored_writes;
	r->dest_errors += st->dest_errors;
	r->source_errors += st->source_errors;
	r->zero_regions += st->zero_regions;
	r->min_copy_kbps += st->min_copy_kbps;
	r->yielding |= st->yielding;
	if (!strcmp(r->reason, "-") && strcmp(st->reason, "-"))
		snprintf(r->reason, sizeof(r->reason), "%s", st->reason);
	if (st->persistent) {
		r->persistent = true;
		r->dirty_regions += st->dirty_regions;
	}
	if (rs->has_table) {
		devs_add(r->source, rs->source);
		devs_add(r->destination, rs->dest);
		if (rs->metadata[0])
			devs_add(r->metadata, rs->metadata);
	}
}

/* Bytes copied by @now's segment since @then's, 0 if it went backwards. */
static uint64_t copied_since(const struct table_line *then,
			     const struct mirror_status *now)
{
	struct mirror_status old;

	if (!then || status_parse(then->params, &old) ||
	    old.total_sectors != now->total_sectors ||
	    old.copied_sectors > now->copied_sectors)
		return 0;
	return (now->copied_sectors - old.copied_sectors) << SECTOR_SHIFT;
}

static void compute_rate(struct report *r, uint64_t delta_bytes,
			 bool two_samples, uint64_t interval_ms)
{
	uint64_t left = r->total_bytes - r->copied_bytes;

	switch (r->phase) {
	case MIRROR_READY:
		r->has_rate = r->has_eta = true;
		return;
	case MIRROR_PAUSED:
	case MIRROR_FAILED:
		r->has_rate = true;
		return;
	case MIRROR_COPYING:
		break;
	}
	if (!two_samples || !interval_ms)
		return;
	r->has_rate = true;
	/* delta < 2^64 / 1000 for any real device and interval */
	r->rate_bytes_per_sec = delta_bytes > UINT64_MAX / 1000 ?
		delta_bytes / interval_ms * 1000 :
		delta_bytes * 1000 / interval_ms;
	if (r->rate_bytes_per_sec) {
		r->has_eta = true;
		r->eta_seconds = (left + r->rate_bytes_per_sec - 1) /
				 r->rate_bytes_per_sec;
	}
}

int report_build(const struct table *first, const struct table *second,
		 uint64_t interval_ms, const struct table *table,
		 report_name_fn name_dev, struct report *r, size_t *bad_line)
{
	const struct table *now = second ? second : first;
	bool first_mirror = true;
	uint64_t delta = 0;
	size_t i;

	memset(r, 0, sizeof(*r));
	snprintf(r->device, sizeof(r->device), "%s", now->name);
	strcpy(r->reason, "-");
	if (!now->nr)
		return -ENOENT;
	r->segments = calloc(now->nr, sizeof(*r->segments));
	if (!r->segments)
		return -ENOMEM;
	r->nr_segments = now->nr;

	for (i = 0; i < now->nr; i++) {
		const struct table_line *s = &now->lines[i];
		struct report_segment *rs = &r->segments[i];

		rs->start = s->start;
		rs->length = s->length;
		snprintf(rs->target, sizeof(rs->target), "%s", s->target);
		if (!table_line_is_mirror(s))
			continue;
		if (status_parse(s->params, &rs->st)) {
			if (bad_line)
				*bad_line = i;
			report_free(r);
			return -EINVAL;
		}
		rs->is_mirror = true;
		fill_table(rs, table, name_dev);
		aggregate(r, rs, &first_mirror);
		if (second)
			delta += copied_since(find_segment(first, s), &rs->st);
	}
	if (first_mirror) {
		report_free(r);
		return -ENOENT;
	}
	compute_rate(r, delta, second != NULL, interval_ms);
	return 0;
}

void report_free(struct report *r)
{
	free(r->segments);
	r->segments = NULL;
	r->nr_segments = 0;
}
