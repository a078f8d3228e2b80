// SPDX-License-Identifier: GPL-2.0-only
/*
 * report_json.c - status --json and list --json (json-c); see
 * report_json.h
 *
 * Laid out as its twin report_human.c is: the building blocks, then a
 * mirrorlive segment's status, a segment's header, a segment, the
 * segments, the device, the list.  Built with json_build.h, which counts
 * allocation failures and catches them once, at the end.
 */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "json_build.h"
#include "output.h"
#include "report_json.h"
#include "sector.h"

/* ------------------------------------------------------------------ */
/* building blocks */

/* The percentage as output_percent() prints it, but as a JSON number. */
static struct json_object *new_progress(struct json_build *b, uint64_t done,
					uint64_t total)
{
	char pct[OUTPUT_PERCENT_MAX];

	output_percent(done, total, pct, sizeof(pct));
	pct[strlen(pct) - 1] = '\0';	/* drop the '%' */
	return jb_double(b, strtod(pct, NULL), pct);
}

void report_json_verify(struct json_build *b, struct json_object *o,
			enum mirror_verify verify, uint64_t verified,
			uint64_t copied, uint64_t mismatched,
			uint64_t repaired)
{
	jb_add(b, o, "verify_state", jb_str(b, status_verify_name(verify)));
	jb_add(b, o, "verified_regions", jb_u64(b, verified));
	jb_add(b, o, "copied_regions", jb_u64(b, copied));
	jb_add(b, o, "mismatched_regions", jb_u64(b, mismatched));
	jb_add(b, o, "repaired_regions", jb_u64(b, repaired));
}

/* ------------------------------------------------------------------ */
/* a segment */

static void json_mirror_status(struct json_build *b, struct json_object *o,
			       const struct mirror_status *st)
{
	jb_add(b, o, "phase", jb_str(b, status_phase_name(st->phase)));
	jb_add(b, o, "copied_bytes",
	       jb_u64(b, st->copied_sectors << SECTOR_SHIFT));
	jb_add(b, o, "total_bytes",
	       jb_u64(b, st->total_sectors << SECTOR_SHIFT));
	jb_add(b, o, "progress",
	       new_progress(b, st->copied_sectors, st->total_sectors));
	jb_add(b, o, "mirrored_writes", jb_u64(b, st->mirrored_writes));
	jb_add(b, o, "dest_errors", jb_u64(b, st->dest_errors));
	jb_add(b, o, "source_errors", jb_u64(b, st->source_errors));
	jb_add(b, o, "zero_regions", jb_u64(b, st->zero_regions));
	jb_add(b, o, "max_copy_bytes_per_sec",
	       jb_u64(b, st->max_copy_kbps * 1024));
	jb_add(b, o, "min_copy_bytes_per_sec",
	       jb_u64(b, st->min_copy_kbps * 1024));
	jb_add(b, o, "yielding", jb_bool(b, st->yielding));
	jb_add(b, o, "reason", jb_str(b, st->reason));
	jb_add(b, o, "persistent", jb_bool(b, st->persistent));
	jb_add(b, o, "dirty_regions",
	       st->persistent ? jb_u64(b, st->dirty_regions) : NULL);
	report_json_verify(b, o, st->verify, st->verified_regions,
			   st->copied_regions, st->mismatched_regions,
			   st->repaired_regions);
}

static void json_segment_header(struct json_build *b, struct json_object *o,
				uint64_t start, uint64_t length,
				const char *target)
{
	jb_add(b, o, "start_sector", jb_u64(b, start));
	jb_add(b, o, "length_sectors", jb_u64(b, length));
	jb_add(b, o, "target", jb_str(b, target));
}

static void json_segment(struct json_build *b, struct json_object *o,
			 const struct report_segment *rs)
{
	json_segment_header(b, o, rs->start, rs->length, rs->target);
	if (!rs->is_mirror)
		return;
	json_mirror_status(b, o, &rs->st);
	if (!rs->has_table) {
		/* unknown, not absent: every key is there, null */
		jb_add(b, o, "source", NULL);
		jb_add(b, o, "source_offset_sectors", NULL);
		jb_add(b, o, "destination", NULL);
		jb_add(b, o, "destination_offset_sectors", NULL);
		jb_add(b, o, "region_size_bytes", NULL);
		jb_add(b, o, "metadata", NULL);
		return;
	}
	jb_add(b, o, "source", jb_str(b, rs->source));
	jb_add(b, o, "source_offset_sectors", jb_u64(b, rs->mp.source_offset));
	jb_add(b, o, "destination", jb_str(b, rs->dest));
	jb_add(b, o, "destination_offset_sectors",
	       jb_u64(b, rs->mp.dest_offset));
	jb_add(b, o, "region_size_bytes",
	       jb_u64(b, (uint64_t)(rs->mp.features.region_sectors ?
				    rs->mp.features.region_sectors :
				    MIRROR_REGION_DEFAULT) << SECTOR_SHIFT));
	jb_add(b, o, "metadata",
	       rs->metadata[0] ? jb_str(b, rs->metadata) : NULL);
}

static struct json_object *json_segments(struct json_build *b,
					 const struct report *r)
{
	struct json_object *arr = jb_array(b), *o;
	size_t i;

	if (!arr)
		return NULL;
	for (i = 0; i < r->nr_segments; i++) {
		o = jb_object(b);
		if (!o)
			continue;
		json_segment(b, o, &r->segments[i]);
		jb_append(b, arr, o);
	}
	return arr;
}

/* ------------------------------------------------------------------ */
/* a device, a list of devices */

/*
 * The distinct sources (@dest: destinations) of @r's mirrorlive segments,
 * in table order, as an array; null when no segment's table is known.
 */
static struct json_object *json_devs(struct json_build *b,
				     const struct report *r, bool dest)
{
	struct json_object *arr = NULL;
	const char *dev;
	size_t i, j;

	for (i = 0; i < r->nr_segments; i++) {
		if (!r->segments[i].is_mirror || !r->segments[i].has_table)
			continue;
		dev = dest ? r->segments[i].dest : r->segments[i].source;
		for (j = 0; j < i; j++)
			if (r->segments[j].is_mirror &&
			    r->segments[j].has_table &&
			    !strcmp(dev, dest ? r->segments[j].dest :
					 r->segments[j].source))
				break;
		if (j < i)
			continue;
		if (!arr)
			arr = jb_array(b);
		if (!arr)
			break;
		jb_append(b, arr, jb_str(b, dev));
	}
	return arr;
}

static struct json_object *json_device(struct json_build *b,
				       const struct report *r)
{
	struct json_object *o = jb_object(b);

	if (!o)
		return NULL;
	jb_add(b, o, "device", jb_str(b, r->device));
	jb_add(b, o, "phase", jb_str(b, status_phase_name(r->phase)));
	jb_add(b, o, "copied_bytes", jb_u64(b, r->copied_bytes));
	jb_add(b, o, "total_bytes", jb_u64(b, r->total_bytes));
	jb_add(b, o, "progress",
	       new_progress(b, r->copied_bytes, r->total_bytes));
	jb_add(b, o, "rate_bytes_per_sec",
	       r->has_rate ? jb_u64(b, r->rate_bytes_per_sec) : NULL);
	jb_add(b, o, "eta_seconds",
	       r->has_eta ? jb_u64(b, r->eta_seconds) : NULL);
	jb_add(b, o, "dest_errors", jb_u64(b, r->dest_errors));
	jb_add(b, o, "source_errors", jb_u64(b, r->source_errors));
	jb_add(b, o, "reason", jb_str(b, r->reason));
	jb_add(b, o, "source", json_devs(b, r, false));
	jb_add(b, o, "destination", json_devs(b, r, true));
	jb_add(b, o, "mirrored_writes", jb_u64(b, r->mirrored_writes));
	jb_add(b, o, "zero_regions", jb_u64(b, r->zero_regions));
	jb_add(b, o, "max_copy_bytes_per_sec",
	       jb_u64(b, r->max_copy_kbps * 1024));
	jb_add(b, o, "min_copy_bytes_per_sec",
	       jb_u64(b, r->min_copy_kbps * 1024));
	jb_add(b, o, "yielding", jb_bool(b, r->yielding));
	jb_add(b, o, "persistent", jb_bool(b, r->persistent));
	jb_add(b, o, "dirty_regions",
	       r->persistent ? jb_u64(b, r->dirty_regions) : NULL);
	jb_add(b, o, "metadata", r->metadata[0] ? jb_str(b, r->metadata) : NULL);
	jb_add(b, o, "kept_since", r->kept ? jb_u64(b, r->kept_since) : NULL);
	report_json_verify(b, o, r->verify, r->verified_regions,
			   r->copied_regions, r->mismatched_regions,
			   r->repaired_regions);
	jb_add(b, o, "segments", json_segments(b, r));
	return o;
}

/* {"version": REPORT_JSON_VERSION, @key: @value (consumed)} */
static struct json_object *json_document(struct json_build *b, const char *key,
					 struct json_object *value)
{
	struct json_object *root = jb_object(b);

	if (!root) {
		json_object_put(value);
		return NULL;
	}
	jb_add(b, root, "version", jb_u64(b, REPORT_JSON_VERSION));
	jb_add(b, root, key, value);
	return root;
}

char *report_json_device(const struct report *r)
{
	struct json_build b = { 0 };

	return jb_text(&b, json_document(&b, "device",
					      json_device(&b, r)));
}

char *report_json_event(const char *event, uint64_t time_s,
			const struct report *r)
{
	struct json_build b = { 0 };
	struct json_object *root = jb_object(&b);

	if (!root)
		return NULL;
	jb_add(&b, root, "version", jb_u64(&b, REPORT_JSON_VERSION));
	jb_add(&b, root, "event", jb_str(&b, event));
	jb_add(&b, root, "time", jb_u64(&b, time_s));
	jb_add(&b, root, "device", json_device(&b, r));
	return jb_text(&b, root);
}

char *report_json_list(const struct report *r, size_t nr)
{
	struct json_build b = { 0 };
	struct json_object *root, *arr, *o;
	size_t i;

	arr = jb_array(&b);
	if (!arr)
		return NULL;
	for (i = 0; i < nr; i++) {
		o = json_device(&b, &r[i]);
		if (o)
			jb_append(&b, arr, o);
	}
	root = json_document(&b, "devices", arr);
	return jb_text(&b, root);
}
