// SPDX-License-Identifier: GPL-2.0-only
/*
 * report_json.c - status --json and list --json (json-c); see
 * report_json.h
 *
 * Laid out as its twin report_human.c is: the building blocks, then a
 * mirrorlive segment's status, a segment's header, a segment, the
 * segments, the device, the list.
 *
 * json-c objects are reference counted: a successful
 * json_object_object_add() or json_object_array_add() takes over the
 * value's reference, so only the root needs a json_object_put(); a failed
 * one leaves it with us, and add() drops it.  Out of memory is caught
 * once, at the end, by counting failures.
 */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "output.h"
#include "report_json.h"
#include "sector.h"

/* ------------------------------------------------------------------ */
/* building blocks */

struct builder {
	int failed;
};

static void add(struct builder *b, struct json_object *obj, const char *key,
		struct json_object *val)
{
	/* A NULL val is JSON null; a failed allocation was counted. */
	if (json_object_object_add(obj, key, val)) {
		json_object_put(val);
		b->failed++;
	}
}

static struct json_object *new_u64(struct builder *b, uint64_t v)
{
	struct json_object *o = json_object_new_uint64(v);

	if (!o)
		b->failed++;
	return o;
}

static struct json_object *new_str(struct builder *b, const char *s)
{
	struct json_object *o = json_object_new_string(s);

	if (!o)
		b->failed++;
	return o;
}

/* The percentage as output_percent() prints it, but as a JSON number. */
static struct json_object *new_progress(struct builder *b, uint64_t done,
					uint64_t total)
{
	char pct[OUTPUT_PERCENT_MAX];
	struct json_object *o;

	output_percent(done, total, pct, sizeof(pct));
	pct[strlen(pct) - 1] = '\0';	/* drop the '%' */
	o = json_object_new_double_s(strtod(pct, NULL), pct);
	if (!o)
		b->failed++;
	return o;
}

/* ------------------------------------------------------------------ */
/* a segment */

static void json_mirror_status(struct builder *b, struct json_object *o,
			       const struct mirror_status *st)
{
	add(b, o, "phase", new_str(b, status_phase_name(st->phase)));
	add(b, o, "copied_bytes", new_u64(b, st->copied_sectors << SECTOR_SHIFT));
	add(b, o, "total_bytes", new_u64(b, st->total_sectors << SECTOR_SHIFT));
	add(b, o, "progress", new_progress(b, st->copied_sectors,
					   st->total_sectors));
	add(b, o, "mirrored_writes", new_u64(b, st->mirrored_writes));
	add(b, o, "dest_errors", new_u64(b, st->dest_errors));
	add(b, o, "source_errors", new_u64(b, st->source_errors));
	add(b, o, "zero_regions", new_u64(b, st->zero_regions));
	add(b, o, "max_copy_bytes_per_sec",
	    new_u64(b, st->max_copy_kbps * 1024));
	add(b, o, "reason", new_str(b, st->reason));
}

static void json_segment_header(struct builder *b, struct json_object *o,
				uint64_t start, uint64_t length,
				const char *target)
{
	add(b, o, "start_sector", new_u64(b, start));
	add(b, o, "length_sectors", new_u64(b, length));
	add(b, o, "target", new_str(b, target));
}

static void json_segment(struct builder *b, struct json_object *o,
			 const struct report_segment *rs)
{
	json_segment_header(b, o, rs->start, rs->length, rs->target);
	if (!rs->is_mirror)
		return;
	json_mirror_status(b, o, &rs->st);
	if (!rs->has_table) {
		/* unknown, not absent: every key is there, null */
		add(b, o, "source", NULL);
		add(b, o, "source_offset_sectors", NULL);
		add(b, o, "destination", NULL);
		add(b, o, "destination_offset_sectors", NULL);
		add(b, o, "region_size_bytes", NULL);
		return;
	}
	add(b, o, "source", new_str(b, rs->source));
	add(b, o, "source_offset_sectors", new_u64(b, rs->mp.source_offset));
	add(b, o, "destination", new_str(b, rs->dest));
	add(b, o, "destination_offset_sectors",
	    new_u64(b, rs->mp.dest_offset));
	add(b, o, "region_size_bytes",
	    new_u64(b, (uint64_t)(rs->mp.features.region_sectors ?
				  rs->mp.features.region_sectors :
				  MIRROR_REGION_DEFAULT) << SECTOR_SHIFT));
}

static struct json_object *json_segments(struct builder *b,
					 const struct report *r)
{
	struct json_object *arr = json_object_new_array(), *o;
	size_t i;

	if (!arr) {
		b->failed++;
		return NULL;
	}
	for (i = 0; i < r->nr_segments; i++) {
		o = json_object_new_object();
		if (!o || json_object_array_add(arr, o)) {
			json_object_put(o);
			b->failed++;
			continue;
		}
		json_segment(b, o, &r->segments[i]);
	}
	return arr;
}

/* ------------------------------------------------------------------ */
/* a device, a list of devices */

/*
 * The distinct sources (@dest: destinations) of @r's mirrorlive segments,
 * in table order, as an array; null when no segment's table is known.
 */
static struct json_object *json_devs(struct builder *b,
				     const struct report *r, bool dest)
{
	struct json_object *arr = NULL, *s;
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
			arr = json_object_new_array();
		s = arr ? new_str(b, dev) : NULL;
		if (!s || json_object_array_add(arr, s)) {
			json_object_put(s);
			b->failed++;
			break;
		}
	}
	return arr;
}

static struct json_object *json_device(struct builder *b,
				       const struct report *r)
{
	struct json_object *o = json_object_new_object();

	if (!o) {
		b->failed++;
		return NULL;
	}
	add(b, o, "device", new_str(b, r->device));
	add(b, o, "phase", new_str(b, status_phase_name(r->phase)));
	add(b, o, "copied_bytes", new_u64(b, r->copied_bytes));
	add(b, o, "total_bytes", new_u64(b, r->total_bytes));
	add(b, o, "progress", new_progress(b, r->copied_bytes, r->total_bytes));
	add(b, o, "rate_bytes_per_sec",
	    r->has_rate ? new_u64(b, r->rate_bytes_per_sec) : NULL);
	add(b, o, "eta_seconds", r->has_eta ? new_u64(b, r->eta_seconds) : NULL);
	add(b, o, "dest_errors", new_u64(b, r->dest_errors));
	add(b, o, "source_errors", new_u64(b, r->source_errors));
	add(b, o, "reason", new_str(b, r->reason));
	add(b, o, "source", json_devs(b, r, false));
	add(b, o, "destination", json_devs(b, r, true));
	add(b, o, "mirrored_writes", new_u64(b, r->mirrored_writes));
	add(b, o, "zero_regions", new_u64(b, r->zero_regions));
	add(b, o, "max_copy_bytes_per_sec", new_u64(b, r->max_copy_kbps * 1024));
	add(b, o, "segments", json_segments(b, r));
	return o;
}

/* Serialise @root (consumed) unless something failed on the way. */
static char *json_finish(struct builder *b, struct json_object *root)
{
	const char *text;
	char *out = NULL;

	if (root && !b->failed) {
		text = json_object_to_json_string_ext(root,
			JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
		if (text)
			out = strdup(text);
	}
	json_object_put(root);
	return out;
}

/* {"version": REPORT_JSON_VERSION, @key: @value (consumed)} */
static struct json_object *json_document(struct builder *b, const char *key,
					 struct json_object *value)
{
	struct json_object *root = json_object_new_object();

	if (!root) {
		json_object_put(value);
		b->failed++;
		return NULL;
	}
	add(b, root, "version", new_u64(b, REPORT_JSON_VERSION));
	add(b, root, key, value);
	return root;
}

char *report_json_device(const struct report *r)
{
	struct builder b = { 0 };

	return json_finish(&b, json_document(&b, "device",
					      json_device(&b, r)));
}

char *report_json_event(const char *event, uint64_t time_s,
			const struct report *r)
{
	struct builder b = { 0 };
	struct json_object *root = json_object_new_object();

	if (!root)
		return NULL;
	add(&b, root, "version", new_u64(&b, REPORT_JSON_VERSION));
	add(&b, root, "event", new_str(&b, event));
	add(&b, root, "time", new_u64(&b, time_s));
	add(&b, root, "device", json_device(&b, r));
	return json_finish(&b, root);
}

char *report_json_list(const struct report *r, size_t nr)
{
	struct builder b = { 0 };
	struct json_object *root, *arr, *o;
	size_t i;

	arr = json_object_new_array();
	if (!arr)
		return NULL;
	for (i = 0; i < nr; i++) {
		o = json_device(&b, &r[i]);
		if (o && json_object_array_add(arr, o)) {
			json_object_put(o);
			b.failed++;
		}
	}
	root = json_document(&b, "devices", arr);
	return json_finish(&b, root);
}
