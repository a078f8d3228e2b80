// SPDX-License-Identifier: GPL-2.0-only
/*
 * table.c - device-mapper tables, and the rewrites start/complete/cancel do
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decimal.h"
#include "table.h"

/*
 * The kernel accepts at most this many feature words
 * (Documentation/interface.rst, section 1.1).
 */
#define MIRROR_MAX_FEATURE_WORDS	MIRRORLIVE_MAX_FEATURE_ARGS

/* Room for three devices (two legs, metadata), offsets, every feature. */
#define PARAMS_MAX	(3 * TABLE_DEV_MAX + 208)

struct table *table_new(void)
{
	return calloc(1, sizeof(struct table));
}

void table_free(struct table *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->nr; i++) {
		free(t->lines[i].target);
		free(t->lines[i].params);
	}
	free(t->lines);
	free(t->name);
	free(t);
}

int table_add(struct table *t, uint64_t start, uint64_t length,
	      const char *target, const char *params)
{
	struct table_line *lines, *l;
	char *tgt, *par;

	tgt = strdup(target);
	par = strdup(params ? params : "");
	lines = (tgt && par) ? realloc(t->lines, (t->nr + 1) * sizeof(*lines))
			     : NULL;
	if (!lines) {
		free(tgt);
		free(par);
		return -ENOMEM;
	}
	t->lines = lines;
	l = &lines[t->nr++];
	l->start = start;
	l->length = length;
	l->target = tgt;
	l->params = par;
	return 0;
}

uint64_t table_length(const struct table *t)
{
	uint64_t end = 0;
	size_t i;

	for (i = 0; i < t->nr; i++) {
		if (t->lines[i].start != end || !t->lines[i].length ||
		    t->lines[i].length > UINT64_MAX - end)
			return 0;
		end += t->lines[i].length;
	}
	return end;
}

static bool same_mirror_but_promises(const char *a, const char *b);

/* Same lines; @promises: nosync and dest_zeroed count (table_same_mapping). */
static bool tables_match(const struct table *a, const struct table *b,
			 bool promises)
{
	size_t i;

	if (a->nr != b->nr)
		return false;
	for (i = 0; i < a->nr; i++) {
		const struct table_line *x = &a->lines[i], *y = &b->lines[i];

		if (x->start != y->start || x->length != y->length ||
		    strcmp(x->target, y->target))
			return false;
		if (strcmp(x->params, y->params) &&
		    (promises || !table_line_is_mirror(x) ||
		     !same_mirror_but_promises(x->params, y->params)))
			return false;
	}
	return true;
}

bool table_equal(const struct table *a, const struct table *b)
{
	return tables_match(a, b, true);
}

bool table_same_mapping(const struct table *a, const struct table *b)
{
	return tables_match(a, b, false);
}

size_t table_count_target(const struct table *t, const char *target)
{
	size_t i, n = 0;

	for (i = 0; i < t->nr; i++)
		n += !strcmp(t->lines[i].target, target);
	return n;
}

bool table_line_is_mirror(const struct table_line *l)
{
	return !strcmp(l->target, TARGET_MIRRORLIVE);
}

bool table_has_mirror(const struct table *t)
{
	size_t i;

	for (i = 0; i < t->nr; i++)
		if (table_line_is_mirror(&t->lines[i]))
			return true;
	return false;
}

/* ------------------------------------------------------------------ */
/* words */

struct words {
	char *buf;		/* a private copy, cut into words */
	char *w[4 + 1 + MIRROR_MAX_FEATURE_WORDS + 1];
	size_t n;
};

/*
 * Split @s at spaces into at most ARRAY_SIZE(w) words; one more word than
 * that is reported as -E2BIG so a caller can say "too many arguments".
 */
static int words_split(const char *s, struct words *ws)
{
	const size_t max = sizeof(ws->w) / sizeof(ws->w[0]);
	char *p, *save = NULL;

	ws->n = 0;
	ws->buf = strdup(s);
	if (!ws->buf)
		return -ENOMEM;
	for (p = strtok_r(ws->buf, " \t\n", &save); p;
	     p = strtok_r(NULL, " \t\n", &save)) {
		if (ws->n == max)
			return -E2BIG;
		ws->w[ws->n++] = p;
	}
	return 0;
}

/* Decimal digits only, as the kernel prints them; no sign, no junk. */
static int parse_u64(const char *s, uint64_t *value)
{
	return decimal_u64(s, DECIMAL_NUL, value, NULL) ? -EINVAL : 0;
}

/*
 * A device must stay one word of the table line as the kernel splits it
 * (dm_split_args(): isspace(), Latin-1 0xa0, backslash escapes): a blank
 * in a destination would shift every field after it, e.g. "7:1 8" would
 * load as destination 7:1 at offset 8.
 */
static int copy_dev(char *dst, const char *src)
{
	size_t len = strlen(src);

	if (!len || len >= TABLE_DEV_MAX || strpbrk(src, " \t\n\v\f\r\\\xa0"))
		return -EINVAL;
	memcpy(dst, src, len + 1);
	return 0;
}

int table_parse_linear(const char *params, char *dev, uint64_t *offset)
{
	struct words ws;
	int r;

	r = words_split(params, &ws);
	if (!r && (ws.n != 2 || copy_dev(dev, ws.w[0]) ||
		   parse_u64(ws.w[1], offset)))
		r = -EINVAL;
	free(ws.buf);
	return r == -E2BIG ? -EINVAL : r;
}

static bool region_size_valid(uint64_t sectors)
{
	return sectors >= MIRROR_REGION_MIN && sectors <= MIRROR_REGION_MAX &&
	       !(sectors & (sectors - 1));
}

/* A mirror_id: exactly 32 hex digits, stored in lower case. */
static int copy_mirror_id(char *out, const char *word)
{
	size_t i;

	if (strlen(word) != 2 * MIRRORLIVE_MIRROR_ID_LEN)
		return -EINVAL;
	for (i = 0; word[i]; i++) {
		if (!isxdigit((unsigned char)word[i]))
			return -EINVAL;
		out[i] = (char)tolower((unsigned char)word[i]);
	}
	out[i] = '\0';
	return 0;
}

/* Parse the feature words w[0..n); each feature at most once. */
static int parse_features(char **w, size_t n, struct mirror_features *f)
{
	bool seen_region = false, seen_kbps = false, seen_min = false;
	uint64_t v;
	size_t i;

	for (i = 0; i < n; i++) {
		bool *flag = NULL;

		if (!strcmp(w[i], "region_size")) {
			if (seen_region || i + 1 >= n || parse_u64(w[i + 1], &v) ||
			    !region_size_valid(v))
				return -EINVAL;
			seen_region = true;
			f->region_sectors = v;
			i++;
			continue;
		}
		if (!strcmp(w[i], "max_copy_kbps") ||
		    !strcmp(w[i], "min_copy_kbps")) {
			bool max = w[i][1] == 'a';
			bool *seen = max ? &seen_kbps : &seen_min;

			if (*seen || i + 1 >= n || parse_u64(w[i + 1], &v) ||
			    v > MIRROR_KBPS_MAX)
				return -EINVAL;
			*seen = true;
			*(max ? &f->max_copy_kbps : &f->min_copy_kbps) = v;
			i++;
			continue;
		}
		if (!strcmp(w[i], "metadata")) {
			if (f->metadata[0] || i + 1 >= n ||
			    copy_dev(f->metadata, w[i + 1]))
				return -EINVAL;
			i++;
			continue;
		}
		if (!strcmp(w[i], "mirror_id")) {
			if (f->mirror_id[0] || i + 1 >= n ||
			    copy_mirror_id(f->mirror_id, w[i + 1]))
				return -EINVAL;
			i++;
			continue;
		}
		if (!strcmp(w[i], "sparse"))
			flag = &f->sparse;
		else if (!strcmp(w[i], "dest_zeroed"))
			flag = &f->dest_zeroed;
		else if (!strcmp(w[i], "nosync"))
			flag = &f->nosync;
		else if (!strcmp(w[i], "paused"))
			flag = &f->paused;
		if (!flag || *flag)
			return -EINVAL;
		*flag = true;
	}
	if ((f->nosync && f->paused) || (f->mirror_id[0] && !f->metadata[0]))
		return -EINVAL;
	return 0;
}

int table_parse_mirror(const char *params, struct mirror_params *mp)
{
	uint64_t nr_features = 0;
	struct words ws;
	int r;

	memset(mp, 0, sizeof(*mp));
	r = words_split(params, &ws);
	if (r)
		goto out;
	r = -EINVAL;
	if (ws.n < 4 || copy_dev(mp->source, ws.w[0]) ||
	    parse_u64(ws.w[1], &mp->source_offset) ||
	    copy_dev(mp->dest, ws.w[2]) || parse_u64(ws.w[3], &mp->dest_offset))
		goto out;
	if (ws.n > 4 && (parse_u64(ws.w[4], &nr_features) ||
			 nr_features > MIRROR_MAX_FEATURE_WORDS ||
			 nr_features != ws.n - 5))
		goto out;
	r = parse_features(ws.w + 5, nr_features, &mp->features);
out:
	free(ws.buf);
	return r == -E2BIG ? -EINVAL : r;
}

/* Two mirrorlive params that differ at most in nosync and dest_zeroed. */
static bool same_mirror_but_promises(const char *a, const char *b)
{
	struct mirror_params pa, pb;
	char fa[PARAMS_MAX], fb[PARAMS_MAX];

	if (table_parse_mirror(a, &pa) || table_parse_mirror(b, &pb))
		return false;
	pa.features.nosync = pb.features.nosync = false;
	pa.features.dest_zeroed = pb.features.dest_zeroed = false;
	return !table_format_mirror(&pa, fa, sizeof(fa)) &&
	       !table_format_mirror(&pb, fb, sizeof(fb)) && !strcmp(fa, fb);
}

int table_format_mirror(const struct mirror_params *mp, char *buf,
			size_t len)
{
	const struct mirror_features *f = &mp->features;
	uint32_t region = f->region_sectors;
	unsigned int nr = 0;
	char feat[208 + TABLE_DEV_MAX] = "";
	size_t fl = 0;
	int n;

	if ((region && !region_size_valid(region)) || (f->nosync && f->paused) ||
	    (f->mirror_id[0] && !f->metadata[0]))
		return -EINVAL;
	if (region == MIRROR_REGION_DEFAULT)
		region = 0;

#define FEAT(...) (fl += snprintf(feat + fl, sizeof(feat) - fl, __VA_ARGS__))
	if (region) {
		FEAT(" region_size %" PRIu32, region);
		nr += 2;
	}
	if (f->max_copy_kbps) {
		FEAT(" max_copy_kbps %" PRIu32, f->max_copy_kbps);
		nr += 2;
	}
	if (f->sparse) {
		FEAT(" sparse");
		nr++;
	}
	if (f->dest_zeroed) {
		FEAT(" dest_zeroed");
		nr++;
	}
	if (f->nosync) {
		FEAT(" nosync");
		nr++;
	}
	if (f->paused) {
		FEAT(" paused");
		nr++;
	}
	if (f->metadata[0]) {
		FEAT(" metadata %s", f->metadata);
		nr += 2;
	}
	if (f->mirror_id[0]) {
		FEAT(" mirror_id %s", f->mirror_id);
		nr += 2;
	}
	if (f->min_copy_kbps) {
		FEAT(" min_copy_kbps %" PRIu32, f->min_copy_kbps);
		nr += 2;
	}
#undef FEAT

	if (nr)
		n = snprintf(buf, len, "%s %" PRIu64 " %s %" PRIu64 " %u%s",
			     mp->source, mp->source_offset, mp->dest,
			     mp->dest_offset, nr, feat);
	else
		n = snprintf(buf, len, "%s %" PRIu64 " %s %" PRIu64,
			     mp->source, mp->source_offset, mp->dest,
			     mp->dest_offset);
	return n < 0 || (size_t)n >= len ? -ENOSPC : 0;
}

/* ------------------------------------------------------------------ */
/* rewrites */

static int fail_line(size_t i, size_t *bad_line)
{
	if (bad_line)
		*bad_line = i;
	return -EINVAL;
}

int table_make_mirror(const struct table *linear, const char *dest,
		      uint64_t dest_base, const struct mirror_features *features,
		      struct table **out, size_t *bad_line)
{
	struct mirror_params mp = { .features = *features };
	char params[PARAMS_MAX];
	struct table *t;
	uint64_t len;
	size_t i;
	int r;

	len = table_length(linear);
	if (!len || len > UINT64_MAX - dest_base || copy_dev(mp.dest, dest))
		return -EINVAL;
	t = table_new();
	if (!t)
		return -ENOMEM;

	for (i = 0; i < linear->nr; i++) {
		const struct table_line *l = &linear->lines[i];

		if (strcmp(l->target, TARGET_LINEAR) ||
		    table_parse_linear(l->params, mp.source, &mp.source_offset)) {
			r = fail_line(i, bad_line);
			goto fail;
		}
		mp.dest_offset = dest_base + l->start;
		r = table_format_mirror(&mp, params, sizeof(params));
		if (!r)
			r = table_add(t, l->start, l->length, TARGET_MIRRORLIVE,
				      params);
		if (r)
			goto fail;
	}
	*out = t;
	return 0;
fail:
	table_free(t);
	return r;
}

/*
 * Copy @mirror, each mirrorlive line replaced by what @line_fn makes of
 * its parsed params (into @target and @params); other lines kept.
 */
static int table_rewrite(const struct table *mirror,
			 int (*line_fn)(const struct mirror_params *mp,
					const char **target, char *params,
					size_t len, const void *arg),
			 const void *arg, struct table **out, size_t *bad_line)
{
	char params[PARAMS_MAX];
	struct mirror_params mp;
	const char *target;
	struct table *t;
	size_t i;
	int r = 0;

	if (!table_has_mirror(mirror))
		return -ENOENT;
	t = table_new();
	if (!t)
		return -ENOMEM;

	for (i = 0; i < mirror->nr && !r; i++) {
		const struct table_line *l = &mirror->lines[i];

		if (!table_line_is_mirror(l)) {
			r = table_add(t, l->start, l->length, l->target,
				      l->params);
			continue;
		}
		if (table_parse_mirror(l->params, &mp)) {
			r = fail_line(i, bad_line);
			break;
		}
		r = line_fn(&mp, &target, params, sizeof(params), arg);
		if (!r)
			r = table_add(t, l->start, l->length, target, params);
	}
	if (r) {
		table_free(t);
		return r;
	}
	*out = t;
	return 0;
}

/* linear over the line's dest (@arg non-NULL) or its source */
static int linear_line(const struct mirror_params *mp, const char **target,
		       char *params, size_t len, const void *to_dest)
{
	*target = TARGET_LINEAR;
	snprintf(params, len, "%s %" PRIu64, to_dest ? mp->dest : mp->source,
		 to_dest ? mp->dest_offset : mp->source_offset);
	return 0;
}

static int table_make_linear(const struct table *mirror, bool to_dest,
			     struct table **out, size_t *bad_line)
{
	return table_rewrite(mirror, linear_line, to_dest ? mirror : NULL, out,
			     bad_line);
}

int table_make_complete(const struct table *mirror, struct table **out,
			size_t *bad_line)
{
	return table_make_linear(mirror, true, out, bad_line);
}

int table_make_cancel(const struct table *mirror, struct table **out,
		      size_t *bad_line)
{
	return table_make_linear(mirror, false, out, bad_line);
}

/* the mirror the other way round, in sync: see table_make_keep() */
static int kept_line(const struct mirror_params *mp, const char **target,
		     char *params, size_t len, const void *arg)
{
	struct mirror_params kept;

	(void)arg;
	memset(&kept, 0, sizeof(kept));
	memcpy(kept.source, mp->dest, sizeof(kept.source));
	kept.source_offset = mp->dest_offset;
	memcpy(kept.dest, mp->source, sizeof(kept.dest));
	kept.dest_offset = mp->source_offset;
	kept.features.region_sectors = mp->features.region_sectors;
	kept.features.nosync = true;
	/* the record goes on as the kept mirror's: the same identity */
	memcpy(kept.features.metadata, mp->features.metadata,
	       sizeof(kept.features.metadata));
	memcpy(kept.features.mirror_id, mp->features.mirror_id,
	       sizeof(kept.features.mirror_id));
	*target = TARGET_MIRRORLIVE;
	return table_format_mirror(&kept, params, len);
}

int table_make_keep(const struct table *mirror, struct table **out,
		    size_t *bad_line)
{
	return table_rewrite(mirror, kept_line, NULL, out, bad_line);
}

char *table_format(const struct table *t)
{
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f;

	f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	for (i = 0; i < t->nr; i++)
		fprintf(f, "%" PRIu64 " %" PRIu64 " %s %s\n", t->lines[i].start,
			t->lines[i].length, t->lines[i].target,
			t->lines[i].params);
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}
