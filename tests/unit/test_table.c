// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_table.c - unit tests for userspace/table.c
 *
 * The table rewrites decide where a VM's data goes: start must map every
 * source segment onto the matching offset of the destination, complete
 * onto the destination, cancel back onto exactly the original segments.
 * Each row is a whole table, checked line by line in dmsetup's format.
 */
#include <errno.h>
#include <string.h>

#include "unit.h"
#include "table.h"

/* Build a table from "start len target params\n" lines. */
static struct table *table_from(const char *text)
{
	struct table *t = table_new();
	char *copy = strdup(text), *line, *save = NULL;

	assert_non_null(t);
	assert_non_null(copy);
	for (line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		unsigned long long start, len;
		char target[32];
		int off = 0;

		assert_int_equal(sscanf(line, "%llu %llu %31s %n", &start, &len,
					target, &off), 3);
		assert_int_equal(table_add(t, start, len, target, line + off), 0);
	}
	free(copy);
	return t;
}

static void assert_table(const struct table *t, const char *want)
{
	char *got = table_format(t);

	assert_non_null(got);
	if (strcmp(got, want))
		fail_msg("table:\n%s\nexpected:\n%s", got, want);
	free(got);
}

/* ------------------------------------------------------------------ */
/* start, complete, cancel */

static const struct rewrite_row {
	const char *what;
	const char *linear;
	const char *dest;
	uint64_t dest_base;
	struct mirror_features f;
	const char *mirror;
	const char *complete;
} rewrite_rows[] = {
	{ "one segment, whole disk",
	  "0 131072 linear 7:0 0\n", "7:1", 0, { 0 },
	  "0 131072 mirrorlive 7:0 0 7:1 0\n",
	  "0 131072 linear 7:1 0\n" },
	{ "one segment at a source offset",
	  "0 2048 linear 8:16 4096\n", "8:32", 0, { 0 },
	  "0 2048 mirrorlive 8:16 4096 8:32 0\n",
	  "0 2048 linear 8:32 0\n" },
	{ "two segments on two disks, non-zero offsets",
	  "0 1000 linear 8:16 2048\n1000 3000 linear 8:32 777\n", "8:48", 0,
	  { 0 },
	  "0 1000 mirrorlive 8:16 2048 8:48 0\n"
	  "1000 3000 mirrorlive 8:32 777 8:48 1000\n",
	  "0 1000 linear 8:48 0\n1000 3000 linear 8:48 1000\n" },
	{ "three segments onto a destination base",
	  "0 8 linear 7:0 0\n8 16 linear 7:1 100\n24 8 linear 7:0 8\n",
	  "7:2", 64, { 0 },
	  "0 8 mirrorlive 7:0 0 7:2 64\n8 16 mirrorlive 7:1 100 7:2 72\n"
	  "24 8 mirrorlive 7:0 8 7:2 88\n",
	  "0 8 linear 7:2 64\n8 16 linear 7:2 72\n24 8 linear 7:2 88\n" },
	{ "every feature, canonical order",
	  "0 8192 linear 7:0 0\n", "7:1", 0,
	  { 128, 2048, true, true, false, true, "", "", 512 },
	  "0 8192 mirrorlive 7:0 0 7:1 0 9 region_size 128 max_copy_kbps 2048 "
	  "sparse dest_zeroed paused min_copy_kbps 512\n",
	  "0 8192 linear 7:1 0\n" },
	{ "default region size is not printed",
	  "0 8192 linear 7:0 0\n", "7:1", 0, { 1024, 0, false, false, true, false, "", "", 0 },
	  "0 8192 mirrorlive 7:0 0 7:1 0 1 nosync\n",
	  "0 8192 linear 7:1 0\n" },
	{ "metadata and mirror_id, last",
	  "0 8192 linear 7:0 0\n", "7:1", 0,
	  { 0, 0, false, false, false, false, "7:9",
	    "00112233445566778899aabbccddeeff", 0 },
	  "0 8192 mirrorlive 7:0 0 7:1 0 4 metadata 7:9 mirror_id "
	  "00112233445566778899aabbccddeeff\n",
	  "0 8192 linear 7:1 0\n" },
	{ "largest values",
	  "0 18446744073709551615 linear 254:1048575 0\n", "259:0", 0,
	  { 2097152, 4294967295u, false, false, false, false, "", "", 0 },
	  "0 18446744073709551615 mirrorlive 254:1048575 0 259:0 0 4 "
	  "region_size 2097152 max_copy_kbps 4294967295\n",
	  "0 18446744073709551615 linear 259:0 0\n" },
};

static void table_test_rewrite(void **state)
{
	const struct rewrite_row *row = *state;
	struct table *lin = table_from(row->linear), *mir = NULL, *done = NULL;
	struct table *back = NULL;

	assert_int_equal(table_make_mirror(lin, row->dest, row->dest_base,
					   &row->f, &mir, NULL), 0);
	assert_table(mir, row->mirror);
	assert_int_equal(table_make_complete(mir, &done, NULL), 0);
	assert_table(done, row->complete);
	/* cancel gives back exactly the table start was given. */
	assert_int_equal(table_make_cancel(mir, &back, NULL), 0);
	assert_table(back, row->linear);
	assert_true(table_equal(back, lin));

	table_free(lin);
	table_free(mir);
	table_free(done);
	table_free(back);
}

/* A table printed by the kernel with features in any order cancels too. */
static const struct cancel_row {
	const char *what;
	const char *mirror;
	int ret;
	size_t bad;
	const char *cancel;
	const char *complete;
} cancel_rows[] = {
	{ "features in another order",
	  "0 8 mirrorlive 7:0 16 7:1 0 3 paused max_copy_kbps 10\n", 0, 0,
	  "0 8 linear 7:0 16\n", "0 8 linear 7:1 0\n" },
	{ "other targets are kept",
	  "0 8 linear 7:5 0\n8 8 mirrorlive 7:0 16 7:1 8\n16 8 error \n",
	  0, 0, "0 8 linear 7:5 0\n8 8 linear 7:0 16\n16 8 error \n",
	  "0 8 linear 7:5 0\n8 8 linear 7:1 8\n16 8 error \n" },
	{ "no mirrorlive line", "0 8 linear 7:0 0\n", -ENOENT, 0, NULL, NULL },
	{ "garbled second line",
	  "0 8 mirrorlive 7:0 0 7:1 0\n8 8 mirrorlive 7:0 8 7:1\n",
	  -EINVAL, 1, NULL, NULL },
};

static void table_test_cancel(void **state)
{
	const struct cancel_row *row = *state;
	struct table *mir = table_from(row->mirror), *out = NULL;
	size_t bad = 99;

	assert_int_equal(table_make_cancel(mir, &out, &bad), row->ret);
	if (row->ret) {
		assert_null(out);
		if (row->ret == -EINVAL)
			assert_int_equal(bad, row->bad);
	} else {
		assert_table(out, row->cancel);
		table_free(out);
		out = NULL;
		assert_int_equal(table_make_complete(mir, &out, NULL), 0);
		assert_table(out, row->complete);
	}
	table_free(out);
	table_free(mir);
}

/* start refuses what it cannot rewrite, naming the line. */
static const struct refuse_row {
	const char *what;
	const char *linear;
	const char *dest;
	size_t bad;
} refuse_rows[] = {
	{ "striped line", "0 8 linear 7:0 0\n8 8 striped 2 8 7:1 0 7:2 0\n",
	  "7:3", 1 },
	{ "already a mirror", "0 8 mirrorlive 7:0 0 7:1 0\n", "7:3", 0 },
	{ "linear without offset", "0 8 linear 7:0\n", "7:3", 0 },
	{ "linear with junk", "0 8 linear 7:0 0 x\n", "7:3", 0 },
	{ "negative offset", "0 8 linear 7:0 -1\n", "7:3", 0 },
	{ "hex offset", "0 8 linear 7:0 0x10\n", "7:3", 0 },
	{ "gap between lines", "0 8 linear 7:0 0\n16 8 linear 7:0 8\n", "7:3",
	  (size_t)-1 },
	{ "not starting at 0", "8 8 linear 7:0 0\n", "7:3", (size_t)-1 },
	{ "empty table", "", "7:3", (size_t)-1 },
	{ "empty destination", "0 8 linear 7:0 0\n", "", (size_t)-1 },
	/* the kernel would read "8" as the destination offset */
	{ "destination of two words", "0 8 linear 7:0 0\n", "7:1 8", (size_t)-1 },
	{ "destination with a tab", "0 8 linear 7:0 0\n", "7:1\t8", (size_t)-1 },
	{ "destination with a CR", "0 8 linear 7:0 0\n", "7:1\r8", (size_t)-1 },
};

static void table_test_refuse(void **state)
{
	const struct refuse_row *row = *state;
	struct table *lin = table_from(row->linear), *out = NULL;
	struct mirror_features f = { 0 };
	size_t bad = (size_t)-1;

	assert_int_equal(table_make_mirror(lin, row->dest, 0, &f, &out, &bad),
			 -EINVAL);
	assert_null(out);
	assert_int_equal(bad, row->bad);
	table_free(lin);
}

/* ------------------------------------------------------------------ */
/* parsing one mirrorlive line */

static const struct mirror_row {
	const char *params;
	int ret;
	struct mirror_params want;
} mirror_rows[] = {
	{ "7:0 0 7:1 0", 0, { "7:0", 0, "7:1", 0, { 0 } } },
	{ "/dev/sdb 10 /dev/sdc 20 0", 0, { "/dev/sdb", 10, "/dev/sdc", 20, { 0 } } },
	{ "7:0 0 7:1 0 2 region_size 8", 0,
	  { "7:0", 0, "7:1", 0, { 8, 0, false, false, false, false, "", "", 0 } } },
	{ "7:0 0 7:1 0 7 paused sparse dest_zeroed max_copy_kbps 1 region_size 2097152",
	  0, { "7:0", 0, "7:1", 0, { 2097152, 1, true, true, false, true, "", "", 0 } } },
	{ "7:0 0 7:1 0 3 metadata 7:2 sparse", 0,
	  { "7:0", 0, "7:1", 0, { 0, 0, true, false, false, false, "7:2", "", 0 } } },
	{ "7:0 0 7:1 0 4 mirror_id 0123456789ABCDEF0123456789abcdef metadata 7:2",
	  0, { "7:0", 0, "7:1", 0, { 0, 0, false, false, false, false, "7:2",
				    "0123456789abcdef0123456789abcdef", 0 } } },
	{ "7:0 0 7:1 0 4 MIN_copy_kbps 1 max_copy_kbps 2", -EINVAL,
	  { "7:0", 0, "7:1", 0, { 0 } } },
	{ "7:0 0 7:1 0 4 min_copy_kbps 1 max_copy_kbps 2", 0,
	  { "7:0", 0, "7:1", 0, { 0, 2, false, false, false, false, "", "",
				1 } } },
	{ "7:0 0 7:1 0 4 min_copy_kbps 1 min_copy_kbps 2", -EINVAL,
	  { "7:0", 0, "7:1", 0, { 0 } } },
	{ "7:0 0 7:1 0 2 min_copy_kbps 4294967296", -EINVAL,
	  { "7:0", 0, "7:1", 0, { 0 } } },
	{ "7:0  0   7:1 0", 0, { "7:0", 0, "7:1", 0, { 0 } } },
	{ "7:0 0 7:1 0 2 mirror_id 0123456789abcdef0123456789abcdef", -EINVAL,
	  { .source_offset = 0 } },
	{ "7:0 0 7:1 0 4 metadata 7:2 mirror_id 0123456789abcdef0123456789abcde",
	  -EINVAL, { .source_offset = 0 } },
	{ "7:0 0 7:1 0 4 metadata 7:2 mirror_id 0123456789abcdef0123456789abcdeg",
	  -EINVAL, { .source_offset = 0 } },
	{ "7:0 0 7:1", -EINVAL, { .source_offset = 0 } },
	{ "7:0 0 7:1 0 1", -EINVAL, { .source_offset = 0 } },
	{ "7:0 0 7:1 0 1 sparse sparse", -EINVAL, { .source_offset = 0 } },
	{ "7:0 0 7:1 0 2 sparse sparse", -EINVAL, { .source_offset = 0 } },
	{ "7:0 0 7:1 0 1 frob", -EINVAL, { .source_offset = 0 } },
	{ "7:0 0 7:1 0 2 region_size 1000", -EINVAL, { .source_offset = 0 } },
	{ "7:0 0 7:1 0 2 region_size 4", -EINVAL, { .source_offset = 0 } },
	{ "7:0 0 7:1 0 2 region_size 4194304", -EINVAL, { .source_offset = 0 } },
	{ "7:0 0 7:1 0 1 region_size", -EINVAL, { .source_offset = 0 } },
	{ "7:0 0 7:1 0 2 max_copy_kbps 4294967296", -EINVAL, { .source_offset = 0 } },
	{ "7:0 0 7:1 0 2 nosync paused", -EINVAL, { .source_offset = 0 } },
	{ "7:0 0 7:1 0 11 a b c d e f g h i j k", -EINVAL,
	  { .source_offset = 0 } },
	{ "7:0 0 7:1 0 1 metadata", -EINVAL, { .source_offset = 0 } },
	{ "7:0 0 7:1 0 4 metadata 7:2 metadata 7:3", -EINVAL,
	  { .source_offset = 0 } },
	{ "7:0 x 7:1 0", -EINVAL, { .source_offset = 0 } },
	{ "7:0 0 7:1 18446744073709551616", -EINVAL, { .source_offset = 0 } },
	{ "", -EINVAL, { .source_offset = 0 } },
};

static void table_test_parse_mirror(void **state)
{
	const struct mirror_row *row = *state;
	struct mirror_params mp;

	assert_int_equal(table_parse_mirror(row->params, &mp), row->ret);
	if (row->ret)
		return;
	assert_string_equal(mp.source, row->want.source);
	assert_int_equal(mp.source_offset, row->want.source_offset);
	assert_string_equal(mp.dest, row->want.dest);
	assert_int_equal(mp.dest_offset, row->want.dest_offset);
	assert_memory_equal(&mp.features, &row->want.features,
			    sizeof(mp.features));
}

/* Whatever table_format_mirror() prints parses back to the same. */
static void table_test_format_round_trip(void **state)
{
	static const struct mirror_features fs[] = {
		{ 0 }, { 8, 0, false, false, false, false, "", "", 0 },
		{ 0, 1, true, false, false, false, "", "", 0 },
		{ 4096, 100, true, true, true, false, "", "", 0 },
		{ 2097152, 4294967295u, true, true, false, true, "", "", 0 },
		{ 0, 0, false, false, true, false, "/dev/mapper/meta", "", 0 },
		{ 0, 0, false, false, false, false, "7:3",
		  "0123456789abcdef0123456789abcdef", 0 },
		{ 0, 64, false, false, false, false, "", "", 10240 },
		{ 0, 0, false, false, false, true, "7:3", "", 4294967295u },
	};
	struct mirror_params mp = { "253:0", 12, "8:16", 34, { 0 } }, back;
	char buf[512];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(fs); i++) {
		mp.features = fs[i];
		assert_int_equal(table_format_mirror(&mp, buf, sizeof(buf)), 0);
		assert_int_equal(table_parse_mirror(buf, &back), 0);
		if (back.features.region_sectors == 0)
			back.features.region_sectors = mp.features.region_sectors;
		assert_memory_equal(&back.features, &mp.features,
				    sizeof(back.features));
	}
}

static void table_test_format_refuses(void **state)
{
	struct mirror_params mp = { "7:0", 0, "7:1", 0, { 0 } };
	char buf[512];

	(void)state;
	mp.features.region_sectors = 24;
	assert_int_equal(table_format_mirror(&mp, buf, sizeof(buf)), -EINVAL);
	mp.features.region_sectors = 0;
	mp.features.nosync = mp.features.paused = true;
	assert_int_equal(table_format_mirror(&mp, buf, sizeof(buf)), -EINVAL);
	mp.features.paused = false;
	assert_int_equal(table_format_mirror(&mp, buf, 10), -ENOSPC);
}

static const struct linear_row {
	const char *params;
	int ret;
	const char *dev;
	uint64_t offset;
} linear_rows[] = {
	{ "8:16 0", 0, "8:16", 0 },
	{ "8:16 18446744073709551615", 0, "8:16", UINT64_MAX },
	{ " /dev/sdb   384", 0, "/dev/sdb", 384 },
	{ "8:16", -EINVAL, NULL, 0 },
	{ "8:16 1 2", -EINVAL, NULL, 0 },
	{ "8:16 +1", -EINVAL, NULL, 0 },
	{ "", -EINVAL, NULL, 0 },
};

static void table_test_parse_linear(void **state)
{
	const struct linear_row *row = *state;
	char dev[TABLE_DEV_MAX];
	uint64_t off;

	assert_int_equal(table_parse_linear(row->params, dev, &off), row->ret);
	if (row->ret)
		return;
	assert_string_equal(dev, row->dev);
	assert_int_equal(off, row->offset);
}

static void table_test_length(void **state)
{
	struct table *t;

	(void)state;
	t = table_from("0 8 linear 7:0 0\n8 8 linear 7:0 8\n");
	assert_int_equal(table_length(t), 16);
	table_free(t);
	t = table_from("0 8 linear 7:0 0\n4 8 linear 7:0 8\n");
	assert_int_equal(table_length(t), 0);
	table_free(t);
	t = table_from("0 0 linear 7:0 0\n");
	assert_int_equal(table_length(t), 0);
	table_free(t);
	t = table_from("0 18446744073709551615 linear 7:0 0\n"
		       "18446744073709551615 1 linear 7:0 0\n");
	assert_int_equal(table_length(t), 0);
	table_free(t);
	table_free(NULL);
}

static void table_test_equal(void **state)
{
	struct table *a = table_from("0 8 linear 7:0 0\n");
	struct table *b = table_from("0 8 linear 7:0 0\n");
	struct table *c = table_from("0 8 linear 7:0 8\n");
	struct table *d = table_from("0 8 linear 7:0 0\n8 8 linear 7:0 8\n");

	(void)state;
	assert_true(table_equal(a, b));
	assert_false(table_equal(a, c));
	assert_false(table_equal(a, d));
	assert_int_equal(table_count_target(d, "linear"), 2);
	assert_int_equal(table_count_target(d, "mirrorlive"), 0);
	table_free(a);
	table_free(b);
	table_free(c);
	table_free(d);
}

/* Lines of target mirrorlive, exactly that name; a status reads the same. */
static void table_test_has_mirror(void **state)
{
	struct table *none = table_new();
	struct table *lin = table_from("0 8 linear 7:0 0\n"
				       "8 8 mirrorlivex 7:0 8\n"
				       "16 8 mirror 7:0 16\n");
	struct table *mix = table_from("0 8 linear 7:0 0\n"
				       "8 8 mirrorlive 7:0 8 7:1 8\n");
	struct table *st = table_from("0 8 mirrorlive ready 8/8 0 0 0 0 0 -\n");

	(void)state;
	assert_false(table_has_mirror(none));
	assert_false(table_has_mirror(lin));
	assert_false(table_line_is_mirror(&lin->lines[1]));
	assert_false(table_line_is_mirror(&lin->lines[2]));
	assert_true(table_has_mirror(mix));
	assert_false(table_line_is_mirror(&mix->lines[0]));
	assert_true(table_line_is_mirror(&mix->lines[1]));
	assert_true(table_has_mirror(st));
	table_free(none);
	table_free(lin);
	table_free(mix);
	table_free(st);
}

/* A table read from a device names it; table_free() frees the name too. */
static void table_test_free_name(void **state)
{
	struct table *t = table_from("0 8 linear 7:0 0\n");

	(void)state;
	assert_null(t->name);
	t->name = strdup("vm1");
	assert_non_null(t->name);
	table_free(t);
}

/*
 * The kernel drops nosync and dest_zeroed from its table by itself once
 * they stop being true: that is the same mapping; anything else is not.
 */
static void table_test_same_mapping(void **state)
{
	struct table *ns = table_from("0 8 mirrorlive 7:0 0 7:1 0 3 nosync max_copy_kbps 5\n");
	struct table *dz = table_from("0 8 mirrorlive 7:0 0 7:1 0 4 sparse dest_zeroed region_size 8\n");
	struct table *none = table_from("0 8 mirrorlive 7:0 0 7:1 0 2 max_copy_kbps 5\n");
	struct table *sp = table_from("0 8 mirrorlive 7:0 0 7:1 0 3 sparse region_size 8\n");
	struct table *other = table_from("0 8 mirrorlive 7:0 0 7:2 0 2 max_copy_kbps 5\n");
	struct table *rate = table_from("0 8 mirrorlive 7:0 0 7:1 0 2 max_copy_kbps 6\n");
	struct table *lin = table_from("0 8 linear 7:0 0\n");

	(void)state;
	assert_false(table_equal(ns, none));
	assert_true(table_same_mapping(ns, none));
	assert_true(table_same_mapping(none, ns));
	assert_true(table_same_mapping(dz, sp));
	assert_false(table_same_mapping(dz, none));
	assert_false(table_same_mapping(ns, other));
	assert_false(table_same_mapping(ns, rate));
	assert_false(table_same_mapping(ns, lin));
	assert_true(table_same_mapping(lin, lin));
	table_free(ns);
	table_free(dz);
	table_free(none);
	table_free(sp);
	table_free(other);
	table_free(rate);
	table_free(lin);
}

/*
 * complete --keep-source: the legs swap, nosync, the region size, the
 * metadata device and the mirror_id stay;
 * commit (cancel of the kept table) is linear on the destination, revert
 * (its complete) gives back exactly the source segments; other lines stay.
 */
static void table_test_keep(void **state)
{
	struct table *mir = table_from(
		"0 8 linear 7:5 0\n"
		"8 1000 mirrorlive 8:16 2048 8:48 0 6 region_size 128 "
		"max_copy_kbps 9 metadata 7:9\n"
		"1008 3000 mirrorlive 8:32 777 8:48 1000 5 sparse metadata 7:10 "
		"mirror_id 000102030405060708090a0b0c0d0e0f\n");
	struct table *kept = NULL, *commit = NULL, *revert = NULL;

	(void)state;
	assert_int_equal(table_make_keep(mir, &kept, NULL), 0);
	assert_table(kept, "0 8 linear 7:5 0\n"
		     "8 1000 mirrorlive 8:48 0 8:16 2048 5 region_size 128 nosync "
		     "metadata 7:9\n"
		     "1008 3000 mirrorlive 8:48 1000 8:32 777 5 nosync metadata 7:10 "
		     "mirror_id 000102030405060708090a0b0c0d0e0f\n");
	assert_int_equal(table_make_cancel(kept, &commit, NULL), 0);
	assert_table(commit, "0 8 linear 7:5 0\n8 1000 linear 8:48 0\n"
		     "1008 3000 linear 8:48 1000\n");
	assert_int_equal(table_make_complete(kept, &revert, NULL), 0);
	assert_table(revert, "0 8 linear 7:5 0\n8 1000 linear 8:16 2048\n"
		     "1008 3000 linear 8:32 777\n");
	table_free(kept);
	assert_int_equal(table_make_keep(revert, &kept, NULL), -ENOENT);
	table_free(mir);
	table_free(commit);
	table_free(revert);
}

int main(void)
{
	struct unit_suite suite = { 0 };
	size_t i;

	unit_add(&suite, table_test_keep, NULL, "keep: commit and revert");

	for (i = 0; i < ARRAY_SIZE(rewrite_rows); i++)
		unit_add(&suite, table_test_rewrite, (void *)&rewrite_rows[i],
			 "rewrite %s", rewrite_rows[i].what);
	for (i = 0; i < ARRAY_SIZE(cancel_rows); i++)
		unit_add(&suite, table_test_cancel, (void *)&cancel_rows[i],
			 "cancel/complete %s", cancel_rows[i].what);
	for (i = 0; i < ARRAY_SIZE(refuse_rows); i++)
		unit_add(&suite, table_test_refuse, (void *)&refuse_rows[i],
			 "start refuses %s", refuse_rows[i].what);
	for (i = 0; i < ARRAY_SIZE(mirror_rows); i++)
		unit_add(&suite, table_test_parse_mirror, (void *)&mirror_rows[i],
			 "parse mirror \"%s\" -> %d",
			 unit_esc(mirror_rows[i].params), mirror_rows[i].ret);
	for (i = 0; i < ARRAY_SIZE(linear_rows); i++)
		unit_add(&suite, table_test_parse_linear, (void *)&linear_rows[i],
			 "parse linear \"%s\" -> %d",
			 unit_esc(linear_rows[i].params), linear_rows[i].ret);
	unit_add(&suite, table_test_format_round_trip, NULL,
		 "table_test_format_round_trip");
	unit_add(&suite, table_test_format_refuses, NULL,
		 "table_test_format_refuses");
	unit_add(&suite, table_test_length, NULL, "table_test_length");
	unit_add(&suite, table_test_equal, NULL, "table_test_equal");
	unit_add(&suite, table_test_same_mapping, NULL, "table_test_same_mapping");
	unit_add(&suite, table_test_has_mirror, NULL, "table_test_has_mirror");
	unit_add(&suite, table_test_free_name, NULL, "table_test_free_name");

	return unit_run(&suite, "table");
}
