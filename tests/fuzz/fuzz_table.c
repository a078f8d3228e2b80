// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_table.c - table parsing and the rewrites of start, complete, cancel
 *
 * Input: table lines ("<start> <length> <target> <params>", as
 * libdevmapper returns them), optionally followed by a line "--" and a
 * line "<dest> <dest_base> <region_sectors> <max_copy_kbps> <flags>" (flags:
 * 1 sparse, 2 dest_zeroed, 4 nosync, 8 paused) for table_make_mirror();
 * missing fields take defaults.
 *
 * Checked, beyond no crash, leak or undefined behaviour:
 * - every params string table_parse_mirror() accepts holds values the
 *   kernel accepts, and its canonical form (table_format_mirror) reads
 *   back the same and is stable;
 * - table_make_mirror() succeeds exactly when the table is a contiguous
 *   run of linear lines and the destination and features are valid; its
 *   lines keep every start and length, read back with the right source,
 *   destination and offsets; cancel gives back the source segments and
 *   mirroring those again gives the same table; complete maps onto the
 *   destination;
 * - table_make_complete() and table_make_cancel() on any table carry
 *   other targets' lines over verbatim and name the right bad line;
 * - table_format() reads back as the same table.
 */
#include <inttypes.h>

#include "fuzz.h"

struct trailer {
	char dest[256];
	uint64_t base;
	struct mirror_features f;
};

static void parse_trailer(char *text, struct trailer *tr)
{
	char *w[5] = { NULL }, *save = NULL, *p;
	uint64_t v;
	int n = 0;

	memset(tr, 0, sizeof(*tr));
	strcpy(tr->dest, "253:7");
	if (!text)
		return;
	p = strchr(text, '\n');
	if (p)
		*p = '\0';
	for (p = strtok_r(text, " ", &save); p && n < 5;
	     p = strtok_r(NULL, " ", &save))
		w[n++] = p;
	if (w[0])
		snprintf(tr->dest, sizeof(tr->dest), "%s", w[0]);
	if (w[1])
		decimal_u64(w[1], DECIMAL_NUL, &tr->base, NULL);
	if (w[2] && !decimal_u64(w[2], DECIMAL_NUL, &v, NULL))
		tr->f.region_sectors = (uint32_t)v;
	if (w[3] && !decimal_u64(w[3], DECIMAL_NUL, &v, NULL))
		tr->f.max_copy_kbps = (uint32_t)v;
	if (w[4] && !decimal_u64(w[4], DECIMAL_NUL, &v, NULL)) {
		tr->f.sparse = v & 1;
		tr->f.dest_zeroed = v & 2;
		tr->f.nosync = v & 4;
		tr->f.paused = v & 8;
	}
}

static int region_valid(uint64_t r)
{
	return r >= MIRROR_REGION_MIN && r <= MIRROR_REGION_MAX && !(r & (r - 1));
}

static int features_valid(const struct mirror_features *f)
{
	return (!f->region_sectors || region_valid(f->region_sectors)) &&
	       !(f->nosync && f->paused);
}

/* One word of a table line as the kernel's dm_split_args() splits it. */
static int dev_valid(const char *dev)
{
	size_t len = strlen(dev);

	return len > 0 && len < TABLE_DEV_MAX &&
	       !strpbrk(dev, " \t\n\v\f\r\\\xa0");
}

static int features_equal(const struct mirror_features *a,
			  const struct mirror_features *b)
{
	uint32_t ra = a->region_sectors ? a->region_sectors : MIRROR_REGION_DEFAULT;
	uint32_t rb = b->region_sectors ? b->region_sectors : MIRROR_REGION_DEFAULT;

	return ra == rb && a->max_copy_kbps == b->max_copy_kbps &&
	       a->sparse == b->sparse && a->dest_zeroed == b->dest_zeroed &&
	       a->nosync == b->nosync && a->paused == b->paused &&
	       !strcmp(a->metadata, b->metadata);
}

static int params_equal(const struct mirror_params *a,
			const struct mirror_params *b)
{
	return !strcmp(a->source, b->source) &&
	       a->source_offset == b->source_offset &&
	       !strcmp(a->dest, b->dest) && a->dest_offset == b->dest_offset &&
	       features_equal(&a->features, &b->features);
}

/* A params string that parses: kernel-valid values, canonical round trip. */
static void check_mirror_params(const char *params, size_t small)
{
	struct mirror_params mp, again;
	char buf[1024], buf2[1024], tiny[64];
	int r;

	if (table_parse_mirror(params, &mp))
		return;
	FUZZ_CHECK(dev_valid(mp.source) && dev_valid(mp.dest), "'%s'", params);
	FUZZ_CHECK(features_valid(&mp.features), "'%s'", params);
	FUZZ_CHECK(!table_format_mirror(&mp, buf, sizeof(buf)), "'%s'", params);
	FUZZ_CHECK(!table_parse_mirror(buf, &again) && params_equal(&mp, &again),
		   "'%s' formatted as '%s' reads back differently", params, buf);
	FUZZ_CHECK(!table_format_mirror(&again, buf2, sizeof(buf2)) &&
		   !strcmp(buf, buf2), "'%s' is not stable: '%s'", buf, buf2);

	/* Too small a buffer: -ENOSPC, never an overrun. */
	small %= sizeof(tiny) + 1;
	if (small) {
		r = table_format_mirror(&mp, tiny, small);
		FUZZ_CHECK(r == (strlen(buf) < small ? 0 : -ENOSPC) &&
			   strlen(tiny) < small, "'%s' in %zu bytes", buf, small);
	}
}

static void check_linear_params(const char *params)
{
	char dev[TABLE_DEV_MAX], again_dev[TABLE_DEV_MAX], buf[TABLE_DEV_MAX + 32];
	uint64_t off, again_off;

	if (table_parse_linear(params, dev, &off))
		return;
	FUZZ_CHECK(dev_valid(dev), "'%s'", params);
	snprintf(buf, sizeof(buf), "%s %" PRIu64, dev, off);
	FUZZ_CHECK(!table_parse_linear(buf, again_dev, &again_off) &&
		   !strcmp(dev, again_dev) && off == again_off, "'%s'", params);
}

/* The contract's table_length(): contiguous from 0, no empty line. */
static uint64_t reference_length(const struct table *t)
{
	uint64_t end = 0;
	size_t i;

	for (i = 0; i < t->nr; i++) {
		const struct table_line *l = &t->lines[i];

		if (l->start != end || !l->length || end + l->length < end)
			return 0;
		end += l->length;
	}
	return end;
}

/* table_format() output must read back as the same table. */
static void check_format_round_trip(const struct table *t)
{
	char *text = table_format(t), *rest;
	struct table *again;

	FUZZ_CHECK(text, "table_format");
	again = fuzz_table_parse(text, &rest);
	FUZZ_CHECK(table_equal(t, again), "table_format does not read back");
	table_free(again);
	free(text);
}

/* Every line of @lin is "linear DEV OFF" for what @mirror line i names. */
static void check_linear_of(const struct table *mirror, const struct table *lin,
			    int to_dest)
{
	struct mirror_params mp;
	char dev[TABLE_DEV_MAX];
	uint64_t off;
	size_t i;

	FUZZ_CHECK(lin->nr == mirror->nr, "%zu lines, want %zu", lin->nr,
		   mirror->nr);
	for (i = 0; i < lin->nr; i++) {
		const struct table_line *m = &mirror->lines[i], *l = &lin->lines[i];

		FUZZ_CHECK(l->start == m->start && l->length == m->length,
			   "line %zu moved", i);
		if (strcmp(m->target, TARGET_MIRRORLIVE)) {
			FUZZ_CHECK(!strcmp(l->target, m->target) &&
				   !strcmp(l->params, m->params),
				   "line %zu (%s) not carried over", i, m->target);
			continue;
		}
		FUZZ_CHECK(!table_parse_mirror(m->params, &mp), "line %zu", i);
		FUZZ_CHECK(!strcmp(l->target, TARGET_LINEAR) &&
			   !table_parse_linear(l->params, dev, &off),
			   "line %zu: '%s %s'", i, l->target, l->params);
		FUZZ_CHECK(!strcmp(dev, to_dest ? mp.dest : mp.source) &&
			   off == (to_dest ? mp.dest_offset : mp.source_offset),
			   "line %zu: '%s' from '%s'", i, l->params, m->params);
	}
}

/* complete and cancel on any table. */
static void check_complete_cancel(const struct table *t)
{
	size_t nr_mirror = table_count_target(t, TARGET_MIRRORLIVE);
	struct mirror_params mp;
	int to_dest;

	for (to_dest = 0; to_dest < 2; to_dest++) {
		struct table *out = NULL;
		size_t bad = SIZE_MAX, i;
		int r = to_dest ? table_make_complete(t, &out, &bad) :
				  table_make_cancel(t, &out, &bad);

		if (!nr_mirror) {
			FUZZ_CHECK(r == -ENOENT, "no mirrorlive line: %d", r);
			continue;
		}
		if (r) {
			FUZZ_CHECK(r == -EINVAL && bad < t->nr, "r %d bad %zu", r,
				   bad);
			FUZZ_CHECK(!strcmp(t->lines[bad].target, TARGET_MIRRORLIVE) &&
				   table_parse_mirror(t->lines[bad].params, &mp),
				   "bad line %zu parses", bad);
			for (i = 0; i < bad; i++)
				FUZZ_CHECK(strcmp(t->lines[i].target, TARGET_MIRRORLIVE) ||
					   !table_parse_mirror(t->lines[i].params, &mp),
					   "line %zu before bad line %zu is bad", i, bad);
			continue;
		}
		check_linear_of(t, out, to_dest);
		check_format_round_trip(out);
		table_free(out);
	}
}

static int expect_mirror_ok(const struct table *t, const struct trailer *tr)
{
	uint64_t len = reference_length(t), off;
	char dev[TABLE_DEV_MAX];
	size_t i;

	if (!len || len > UINT64_MAX - tr->base || !dev_valid(tr->dest) ||
	    !features_valid(&tr->f))
		return 0;
	for (i = 0; i < t->nr; i++)
		if (strcmp(t->lines[i].target, TARGET_LINEAR) ||
		    table_parse_linear(t->lines[i].params, dev, &off))
			return 0;
	return 1;
}

/* start's table, then cancel and complete of it. */
static void check_make_mirror(const struct table *t, const struct trailer *tr)
{
	struct table *m = NULL, *c = NULL, *d = NULL, *m2 = NULL;
	int want = expect_mirror_ok(t, tr), r;
	struct mirror_params mp;
	char dev[TABLE_DEV_MAX];
	uint64_t off;
	size_t i;

	r = table_make_mirror(t, tr->dest, tr->base, &tr->f, &m, NULL);
	FUZZ_CHECK(want ? r == 0 : r == -EINVAL,
		   "table_make_mirror onto '%s' at %" PRIu64 ": %d, want %s",
		   tr->dest, tr->base, r, want ? "success" : "-EINVAL");
	if (r)
		return;

	FUZZ_CHECK(m->nr == t->nr && table_length(m) == table_length(t),
		   "mirror table changed shape");
	for (i = 0; i < m->nr; i++) {
		const struct table_line *l = &m->lines[i];

		FUZZ_CHECK(l->start == t->lines[i].start &&
			   l->length == t->lines[i].length &&
			   !strcmp(l->target, TARGET_MIRRORLIVE),
			   "line %zu", i);
		FUZZ_CHECK(!table_parse_mirror(l->params, &mp),
			   "line %zu does not parse: '%s'", i, l->params);
		table_parse_linear(t->lines[i].params, dev, &off);
		FUZZ_CHECK(!strcmp(mp.source, dev) && mp.source_offset == off &&
			   !strcmp(mp.dest, tr->dest) &&
			   mp.dest_offset == tr->base + l->start &&
			   features_equal(&mp.features, &tr->f),
			   "line %zu: '%s'", i, l->params);
	}
	check_format_round_trip(m);

	FUZZ_CHECK(!table_make_cancel(m, &c, NULL), "cancel");
	check_linear_of(m, c, 0);
	FUZZ_CHECK(!table_make_mirror(c, tr->dest, tr->base, &tr->f, &m2, NULL) &&
		   table_equal(m, m2), "start after cancel differs");
	FUZZ_CHECK(!table_make_complete(m, &d, NULL), "complete");
	check_linear_of(m, d, 1);

	table_free(m);
	table_free(m2);
	table_free(c);
	table_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size), *rest;
	struct trailer tr;
	struct table *t;
	size_t i;

	t = fuzz_table_parse(text, &rest);
	parse_trailer(rest, &tr);

	for (i = 0; i < t->nr; i++) {
		check_mirror_params(t->lines[i].params, size + i);
		check_linear_params(t->lines[i].params);
	}
	FUZZ_CHECK(table_length(t) == reference_length(t), "table_length");
	check_format_round_trip(t);
	check_complete_cancel(t);
	check_make_mirror(t, &tr);

	table_free(t);
	free(text);
	return 0;
}
