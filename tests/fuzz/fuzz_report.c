// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_report.c - status samples through report_build() to every output
 *
 * Input, sections separated by lines "--":
 *
 *   status lines of the first sample   "<start> <length> <target> <status>"
 *   --
 *   status lines of the second sample  (none: one sample only)
 *   --
 *   table lines                        (none: table unknown)
 *   --
 *   <interval_ms> <buffer length>
 *
 * report_build() aggregates what status, list and wait print; its result
 * goes through report_human_device(), report_human_list(),
 * report_human_progress_line() and report_json_device().  Checked: the
 * return value says why it failed (and names a line whose status does not
 * parse), the aggregate stays within what its segments say (copied <=
 * total, a progress of at most 100%, an ETA that covers what is left at
 * the rate shown, a known rate only when it can be known), and the JSON
 * is an object that parses.
 */
#include <inttypes.h>

#include <json-c/json.h>

#include "fuzz.h"
#include "report.h"
#include "report_human.h"
#include "report_json.h"

/* @t as a status sample of the device "fuzz", as dmctl_get_status() reads. */
static struct table *as_status(struct table *t)
{
	t->name = strdup("fuzz");
	if (!t->name)
		abort();
	return t;
}

/* Like mirrorctl's: fills @buf whatever @dev is. */
static void name_dev(const char *dev, char *buf, size_t len)
{
	snprintf(buf, len, "/dev/block/%s", dev);
}

/* Checks on a report built with success from @now. */
static void check_report(const struct table *now,
			 const struct report *r)
{
	unsigned __int128 total = 0, copied = 0;
	struct mirror_status st;
	uint64_t left;
	size_t i;

	FUZZ_CHECK(r->nr_segments == now->nr, "%zu segments",
		   r->nr_segments);
	FUZZ_CHECK((unsigned int)r->phase <= MIRROR_FAILED, "phase %d",
		   r->phase);
	for (i = 0; i < now->nr; i++) {
		if (strcmp(now->lines[i].target, TARGET_MIRRORLIVE))
			continue;
		FUZZ_CHECK(!status_parse(now->lines[i].params, &st) &&
			   r->segments[i].is_mirror, "segment %zu", i);
		total += (unsigned __int128)st.total_sectors << 9;
		copied += (unsigned __int128)st.copied_sectors << 9;
	}
	/* A dm device is below 2^63 bytes (dm-table.c), so sums fit. */
	if (total >= (unsigned __int128)1 << 63)
		return;
	FUZZ_CHECK(r->total_bytes == total && r->copied_bytes == copied,
		   "sums %" PRIu64 "/%" PRIu64, r->copied_bytes, r->total_bytes);
	FUZZ_CHECK(r->copied_bytes <= r->total_bytes, "copied > total");
	if (r->phase == MIRROR_READY)
		FUZZ_CHECK(r->has_rate && r->has_eta && !r->eta_seconds,
			   "ready without a zero ETA");
	if (r->phase != MIRROR_COPYING)
		FUZZ_CHECK(!r->rate_bytes_per_sec, "a rate while not copying");
	if (r->has_eta && r->rate_bytes_per_sec) {
		left = r->total_bytes - r->copied_bytes;
		FUZZ_CHECK((unsigned __int128)r->eta_seconds * r->rate_bytes_per_sec >= left &&
			   (unsigned __int128)(r->eta_seconds ? r->eta_seconds - 1 : 0) *
			   r->rate_bytes_per_sec < left + (left == 0),
			   "ETA %" PRIu64 " s for %" PRIu64 " B at %" PRIu64 " B/s",
			   r->eta_seconds, left, r->rate_bytes_per_sec);
	}
	if (r->phase == MIRROR_COPYING && r->has_rate)
		FUZZ_CHECK(r->has_eta == (r->rate_bytes_per_sec != 0),
			   "copying at %" PRIu64 " B/s, eta known %d",
			   r->rate_bytes_per_sec, r->has_eta);
}

static void check_json(const struct report *r)
{
	struct json_object *doc, *obj, *v;
	char *text = report_json_device(r);

	FUZZ_CHECK(text, "report_json_device");
	doc = json_tokener_parse(text);
	FUZZ_CHECK(doc && json_object_is_type(doc, json_type_object),
		   "not a JSON object: %s", text);
	FUZZ_CHECK(json_object_object_get_ex(doc, "version", &v) &&
		   json_object_get_int(v) == REPORT_JSON_VERSION,
		   "version in %s", text);
	FUZZ_CHECK(json_object_object_get_ex(doc, "device", &obj) &&
		   json_object_is_type(obj, json_type_object),
		   "device in %s", text);
	FUZZ_CHECK(json_object_object_get_ex(obj, "progress", &v) &&
		   json_object_get_double(v) >= 0.0 &&
		   json_object_get_double(v) <= 100.0, "progress in %s", text);
	FUZZ_CHECK(json_object_object_get_ex(obj, "phase", &v) &&
		   !strcmp(json_object_get_string(v), status_phase_name(r->phase)),
		   "phase in %s", text);
	json_object_put(doc);
	free(text);
	text = report_json_list(r, 1);
	FUZZ_CHECK(text, "report_json_list");
	free(text);
}

static void check_outputs(const struct report *r, size_t len, int null_in)
{
	char *buf = NULL, line[256];
	size_t size = 0;
	FILE *out = open_memstream(&buf, &size);

	FUZZ_CHECK(out, "open_memstream");
	report_human_device(out, r);
	report_human_list(out, r, 1);
	FUZZ_CHECK(!fclose(out), "output");
	FUZZ_CHECK(null_in || !strstr(buf, "(null)"), "'(null)' in:\n%s", buf);
	free(buf);

	len %= sizeof(line) + 1;
	if (len) {
		report_human_progress_line(r, line, len);
		FUZZ_CHECK(strlen(line) < len, "progress line overran %zu", len);
	}
	check_json(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size), *rest, *rest2, *rest3;
	struct table *first, *second = NULL;
	struct table *t1, *t2, *tt;
	uint64_t interval = 1000, len = 80;
	size_t bad = SIZE_MAX;
	struct report r;
	int ret;

	t1 = fuzz_table_parse(text, &rest);
	t2 = rest ? fuzz_table_parse(rest, &rest2) : table_new();
	tt = rest && rest2 ? fuzz_table_parse(rest2, &rest3) : table_new();
	if (rest && rest2 && rest3)
		sscanf(rest3, "%" SCNu64 " %" SCNu64, &interval, &len);
	if (!t2 || !tt)
		abort();
	first = as_status(t1);
	if (rest)
		second = as_status(t2);

	report_needs_rate(first);
	ret = report_build(first, second, interval, tt->nr ? tt : NULL,
			   size & 1 ? name_dev : NULL, &r, &bad);
	if (!ret) {
		check_report(second ? second : first, &r);
		check_outputs(&r, len, memmem(data, size, "(null)", 6) != NULL);
		report_free(&r);
	} else {
		const struct table *now = second ? second : first;
		struct mirror_status st;

		FUZZ_CHECK(ret == -EINVAL || ret == -ENOENT, "report_build %d", ret);
		if (ret == -EINVAL)
			FUZZ_CHECK(bad < now->nr &&
				   !strcmp(now->lines[bad].target,
					   TARGET_MIRRORLIVE) &&
				   status_parse(now->lines[bad].params, &st),
				   "bad line %zu", bad);
		FUZZ_CHECK(!r.segments, "segments left allocated");
	}

	table_free(t1);
	table_free(t2);
	table_free(tt);
	free(text);
	return 0;
}
