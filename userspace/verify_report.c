// SPDX-License-Identifier: GPL-2.0-only
/*
 * verify_report.c - what verify says about its passes, as text or JSON;
 * see verify_report.h
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "errors.h"
#include "json_build.h"
#include "log.h"
#include "report_json.h"
#include "sector.h"
#include "verify_report.h"

/* ------------------------------------------------------------------ */
/* text */

/* The verdict of a pass that ended done with nothing left mismatched. */
static void human_equal(FILE *out, const struct verify_dev *d)
{
	const struct report *rep = &d->rep;
	bool whole = rep->verified_regions >= rep->copied_regions;

	if (rep->mismatched_regions)
		fprintf(out, "%s: every mismatched region was repaired%s\n",
			rep->device, whole ? ": source and destination are "
			"equal now" : "");
	else if (whole)
		fprintf(out, "%s: source and destination are equal\n",
			rep->device);
	else
		fprintf(out, "%s: every region verified is equal on both "
			"legs\n", rep->device);
}

void verify_report_human(FILE *out, const struct verify_dev *d)
{
	const struct report *rep = &d->rep;
	size_t i;

	if (!d->ended)
		return;
	fprintf(out, "%s: %s, %" PRIu64 " of %" PRIu64 " regions verified, %"
		PRIu64 " mismatched, %" PRIu64 " repaired\n", rep->device,
		status_verify_name(rep->verify), rep->verified_regions,
		rep->copied_regions, rep->mismatched_regions,
		rep->repaired_regions);
	for (i = 0; i < d->nr_mismatches; i++)
		fprintf(out, "%s: mismatch at sector %" PRIu64 " (byte %" PRIu64
			")\n", rep->device, d->mismatches[i],
			d->mismatches[i] << SECTOR_SHIFT);
	if (rep->mismatched_regions > d->nr_mismatches)
		fprintf(out, "%s: ...and %" PRIu64 " more mismatched regions\n",
			rep->device, rep->mismatched_regions - d->nr_mismatches);
	if (rep->verify != MIRROR_VERIFY_DONE)
		return;
	if (rep->verified_regions < rep->copied_regions)
		fprintf(out, "%s: %" PRIu64 " regions copied during the pass "
			"were not verified (the copy was running)\n",
			rep->device,
			rep->copied_regions - rep->verified_regions);
	if (rep->mismatched_regions <= rep->repaired_regions)
		human_equal(out, d);
}

/* Append printf(@fmt) to @buf, which holds *@at characters. */
static void append(char *buf, size_t len, size_t *at, const char *fmt,
		   uint64_t v)
{
	int n;

	if (*at >= len)
		return;
	n = snprintf(buf + *at, len - *at, fmt, v);
	if (n > 0)
		*at += n;
}

void verify_report_offsets(const struct verify_dev *d, size_t max,
			   char *buf, size_t len)
{
	size_t i, n = d->nr_mismatches < max ? d->nr_mismatches : max, at = 0;
	uint64_t more = d->rep.mismatched_regions - n;

	buf[0] = '\0';
	append(buf, len, &at, n > 1 ? "sectors %" PRIu64 : "sector %" PRIu64,
	       n ? d->mismatches[0] : 0);
	for (i = 1; i < n; i++)
		append(buf, len, &at, ", %" PRIu64, d->mismatches[i]);
	for (i = 0; i < n; i++)
		append(buf, len, &at, i ? ", %" PRIu64 :
		       n > 1 ? " (bytes %" PRIu64 : " (byte %" PRIu64,
		       d->mismatches[i] << SECTOR_SHIFT);
	if (n)
		append(buf, len, &at, ")", 0);
	if (n && d->rep.mismatched_regions > n)
		append(buf, len, &at, " and %" PRIu64 " more", more);
	if (!n)
		snprintf(buf, len, "unknown sectors");
}

/* ------------------------------------------------------------------ */
/* JSON */

static struct json_object *json_segments(struct json_build *b,
					 const struct report *rep)
{
	struct json_object *arr = jb_array(b), *o;
	const struct report_segment *rs;
	size_t i;

	for (i = 0; arr && i < rep->nr_segments; i++) {
		rs = &rep->segments[i];
		if (!rs->is_mirror || !(o = jb_object(b)))
			continue;
		jb_add(b, o, "start_sector", jb_u64(b, rs->start));
		jb_add(b, o, "length_sectors", jb_u64(b, rs->length));
		report_json_verify(b, o, rs->st.verify, rs->st.verified_regions,
				   rs->st.copied_regions,
				   rs->st.mismatched_regions,
				   rs->st.repaired_regions);
		jb_append(b, arr, o);
	}
	return arr;
}

/* Every key there, null, for a device without results. */
static void json_unknown(struct json_build *b, struct json_object *o)
{
	static const char * const keys[] = {
		"verify_state", "verified_regions", "copied_regions",
		"mismatched_regions", "repaired_regions", "mismatch_sectors",
		"segments",
	};
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		jb_add(b, o, keys[i], NULL);
}

static struct json_object *json_device(struct json_build *b,
				       const struct verify_dev *d)
{
	struct json_object *o = jb_object(b), *arr;
	const struct report *rep = &d->rep;
	size_t i;

	if (!o)
		return NULL;
	jb_add(b, o, "device", jb_str(b, d->info.name[0] ? d->info.name :
				      d->arg));
	if (!d->ended) {
		json_unknown(b, o);
		return o;
	}
	report_json_verify(b, o, rep->verify, rep->verified_regions,
			   rep->copied_regions, rep->mismatched_regions,
			   rep->repaired_regions);
	arr = jb_array(b);
	for (i = 0; arr && i < d->nr_mismatches; i++)
		jb_append(b, arr, jb_u64(b, d->mismatches[i]));
	jb_add(b, o, "mismatch_sectors", arr);
	jb_add(b, o, "segments", json_segments(b, rep));
	return o;
}

int verify_report_json(const struct verify_dev *d, int nr, int r,
		       bool repair)
{
	struct json_build b = { 0 };
	struct json_object *root = jb_object(&b), *devs = jb_array(&b);
	struct json_object *errs = jb_array(&b);
	const char * const *kept;
	size_t nr_kept, k;
	char *text;
	int i;

	for (i = 0; i < nr; i++)
		jb_append(&b, devs, json_device(&b, &d[i]));
	kept = log_kept_errors(&nr_kept);
	for (k = 0; k < nr_kept; k++)
		jb_append(&b, errs, jb_str(&b, kept[k]));
	/* a failed jb_add() drops its value: nothing leaks, jb_text() fails */
	jb_add(&b, root, "version", jb_int(&b, REPORT_JSON_VERSION));
	jb_add(&b, root, "action", jb_str(&b, "verify"));
	jb_add(&b, root, "exit_code", jb_int(&b, mctl_exit_code(r)));
	jb_add(&b, root, "repair", jb_bool(&b, repair));
	jb_add(&b, root, "devices", devs);
	jb_add(&b, root, "errors", errs);
	text = jb_text(&b, root);
	if (!text) {
		log_err("verify --json: %s", strerror(ENOMEM));
		return -ENOMEM;
	}
	r = printf("%s\n", text) < 0 ? -EIO : 0;
	free(text);
	return r;
}
