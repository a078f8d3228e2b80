// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the mirrorlive table line parser (mirrorlive-args.c).
 */
#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "mirrorlive-args.h"

#define SRC_DST "/dev/src 0 /dev/dst 0"
#define ID_1_TO_16 "0102030405060708090a0b0c0d0e0f10"

struct valid_line {
	const char *line;
	struct mirrorlive_args want;
};

#define DEFAULTS .region_sectors = MIRRORLIVE_DEFAULT_REGION_SECTORS

static const struct valid_line valid_lines[] = {
	{ SRC_DST, { DEFAULTS } },
	{ SRC_DST " 0", { DEFAULTS } },
	{ "8:0 2048 8:16 4096",
	  { .source_offset = 2048, .dest_offset = 4096, DEFAULTS } },
	{ "/dev/src 18446744073709551615 /dev/dst 0",
	  { .source_offset = U64_MAX, DEFAULTS } },
	{ SRC_DST " 2 region_size 8", { .region_sectors = 8 } },
	{ SRC_DST " 2 region_size 2097152", { .region_sectors = 2097152 } },
	{ SRC_DST " 2 max_copy_kbps 4294967295",
	  { .max_copy_kbps = U32_MAX, DEFAULTS } },
	{ SRC_DST " 2 max_copy_kbps 0", { DEFAULTS } },
	{ SRC_DST " 1 sparse", { .sparse = true, DEFAULTS } },
	{ SRC_DST " 1 dest_zeroed", { .dest_zeroed = true, DEFAULTS } },
	{ SRC_DST " 1 nosync", { .nosync = true, DEFAULTS } },
	{ SRC_DST " 1 paused", { .paused = true, DEFAULTS } },
	{ SRC_DST " 1 PAUSED", { .paused = true, DEFAULTS } },
	{ SRC_DST " 3 paused dest_zeroed sparse",
	  { .paused = true, .dest_zeroed = true, .sparse = true, DEFAULTS } },
	{ SRC_DST " 7 nosync max_copy_kbps 100 sparse region_size 64 dest_zeroed",
	  { .nosync = true, .max_copy_kbps = 100, .sparse = true,
	    .region_sectors = 64, .dest_zeroed = true } },
	{ SRC_DST " 7 paused region_size 16 sparse max_copy_kbps 1 dest_zeroed",
	  { .paused = true, .region_sectors = 16, .sparse = true,
	    .max_copy_kbps = 1, .dest_zeroed = true } },
	{ SRC_DST " 2 metadata /dev/meta", { .meta_dev = "/dev/meta", DEFAULTS } },
	{ SRC_DST " 9 metadata 7:3 region_size 16 max_copy_kbps 9 sparse dest_zeroed nosync",
	  { .meta_dev = "7:3", .region_sectors = 16, .max_copy_kbps = 9,
	    .sparse = true, .dest_zeroed = true, .nosync = true } },
	{ SRC_DST " 4 metadata 7:3 mirror_id 00112233445566778899aAbBcCdDeEfF",
	  { .meta_dev = "7:3", .has_mirror_id = true,
	    .mirror_id = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
			   0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff },
	    DEFAULTS } },
	{ SRC_DST " 2 min_copy_kbps 10240",
	  { .min_copy_kbps = 10240, DEFAULTS } },
	{ SRC_DST " 4 MIN_COPY_KBPS 4294967295 max_copy_kbps 1",
	  { .min_copy_kbps = U32_MAX, .max_copy_kbps = 1, DEFAULTS } },
	{ SRC_DST " 13 mirror_id " ID_1_TO_16
	  " region_size 16 min_copy_kbps 5 sparse max_copy_kbps 9 dest_zeroed nosync metadata 7:3",
	  { .meta_dev = "7:3", .region_sectors = 16, .max_copy_kbps = 9,
	    .min_copy_kbps = 5, .sparse = true, .dest_zeroed = true,
	    .nosync = true, .has_mirror_id = true,
	    .mirror_id = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
			   16 } } },
	{ SRC_DST " 11 mirror_id " ID_1_TO_16
	  " region_size 16 max_copy_kbps 9 sparse dest_zeroed nosync metadata 7:3",
	  { .meta_dev = "7:3", .region_sectors = 16, .max_copy_kbps = 9,
	    .sparse = true, .dest_zeroed = true, .nosync = true,
	    .has_mirror_id = true,
	    .mirror_id = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
			   16 } } },
};

struct invalid_line {
	const char *line;
	const char *error;
};

static const struct invalid_line invalid_lines[] = {
	{ "", "Not enough arguments" },
	{ "/dev/src", "Not enough arguments" },
	{ "/dev/src 0 /dev/dst", "Not enough arguments" },
	{ "/dev/src x /dev/dst 0", "Invalid source offset" },
	{ "/dev/src -1 /dev/dst 0", "Invalid source offset" },
	{ "/dev/src +1 /dev/dst 0", "Invalid source offset" },
	{ "/dev/src 1x /dev/dst 0", "Invalid source offset" },
	{ "/dev/src 0x10 /dev/dst 0", "Invalid source offset" },
	{ "/dev/src 18446744073709551616 /dev/dst 0", "Invalid source offset" },
	{ "/dev/src 0 /dev/dst junk", "Invalid destination offset" },
	{ "/dev/src 0 /dev/dst 1.5", "Invalid destination offset" },
	{ SRC_DST " x", "Invalid number of feature arguments" },
	{ SRC_DST " -1", "Invalid number of feature arguments" },
	{ SRC_DST " 15 a b c d e f g h i j k l m n o",
	  "Invalid number of feature arguments" },
	{ SRC_DST " 2 sparse", "Invalid number of feature arguments" },
	{ SRC_DST " 4294967297 sparse", "Invalid number of feature arguments" },
	{ SRC_DST " 4294967296", "Invalid number of feature arguments" },
	{ SRC_DST " +1 sparse", "Invalid number of feature arguments" },
	{ SRC_DST " 1x sparse", "Invalid number of feature arguments" },
	{ SRC_DST " 1 sparse paused", "Too many arguments" },
	{ SRC_DST " 0 sparse", "Too many arguments" },
	{ SRC_DST " 1 bogus", "Unknown feature argument" },
	{ SRC_DST " 1 sparse=1", "Unknown feature argument" },
	{ SRC_DST " 2 sparse sparse", "Duplicate feature argument" },
	{ SRC_DST " 2 paused PAUSED", "Duplicate feature argument" },
	{ SRC_DST " 4 region_size 8 region_size 16", "Duplicate feature argument" },
	{ SRC_DST " 1 region_size", "Invalid region size" },
	{ SRC_DST " 2 region_size 0", "Invalid region size" },
	{ SRC_DST " 2 region_size 4", "Invalid region size" },
	{ SRC_DST " 2 region_size 1000", "Invalid region size" },
	{ SRC_DST " 2 region_size 4194304", "Invalid region size" },
	{ SRC_DST " 2 region_size -8", "Invalid region size" },
	{ SRC_DST " 2 region_size 8k", "Invalid region size" },
	{ SRC_DST " 2 region_size sparse", "Invalid region size" },
	{ SRC_DST " 2 sparse region_size", "Invalid region size" },
	{ SRC_DST " 1 max_copy_kbps", "Invalid max_copy_kbps" },
	{ SRC_DST " 2 max_copy_kbps x", "Invalid max_copy_kbps" },
	{ SRC_DST " 2 max_copy_kbps -1", "Invalid max_copy_kbps" },
	{ SRC_DST " 2 max_copy_kbps 4294967296", "Invalid max_copy_kbps" },
	{ SRC_DST " 1 min_copy_kbps", "Invalid min_copy_kbps" },
	{ SRC_DST " 2 min_copy_kbps 1k", "Invalid min_copy_kbps" },
	{ SRC_DST " 2 min_copy_kbps 4294967296", "Invalid min_copy_kbps" },
	{ SRC_DST " 4 min_copy_kbps 1 min_copy_kbps 2",
	  "Duplicate feature argument" },
	{ SRC_DST " 2 nosync paused", "Features nosync and paused conflict" },
	{ SRC_DST " 1 metadata", "Invalid metadata device" },
	{ SRC_DST " 4 metadata 7:3 metadata 7:4", "Duplicate feature argument" },
	{ SRC_DST " 1 mirror_id", "Invalid mirror_id" },
	{ SRC_DST " 4 metadata 7:3 mirror_id 0011223344556677889900aabbccddee0",
	  "Invalid mirror_id" },
	{ SRC_DST " 4 metadata 7:3 mirror_id 0011223344556677889900aabbccdde",
	  "Invalid mirror_id" },
	{ SRC_DST " 4 metadata 7:3 mirror_id 0011223344556677889900aabbccddeg",
	  "Invalid mirror_id" },
	{ SRC_DST " 2 mirror_id 00112233445566778899aabbccddeeff",
	  "Feature mirror_id needs metadata" },
};

static void valid_line_desc(const struct valid_line *t, char *desc)
{
	strscpy(desc, t->line, KUNIT_PARAM_DESC_SIZE);
}

static void invalid_line_desc(const struct invalid_line *t, char *desc)
{
	strscpy(desc, t->line[0] ? t->line : "(empty)", KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(valid_line, valid_lines, valid_line_desc);
KUNIT_ARRAY_PARAM(invalid_line, invalid_lines, invalid_line_desc);

/* Split @line into words the way dm core hands them to a constructor. */
static char **split_line(struct kunit *test, const char *line, int *argc)
{
	char **argv = argv_split(GFP_KERNEL, line, argc);

	KUNIT_ASSERT_NOT_NULL(test, argv);
	return argv;
}

static void mirrorlive_args_test_valid(struct kunit *test)
{
	const struct valid_line *t = test->param_value;
	struct mirrorlive_args args;
	char *error = NULL;
	char **argv;
	int argc;

	argv = split_line(test, t->line, &argc);
	KUNIT_EXPECT_EQ(test, mirrorlive_parse_args(&args, argc, argv, &error), 0);
	KUNIT_EXPECT_NULL(test, error);
	KUNIT_EXPECT_STREQ(test, args.source_dev, argv[0]);
	KUNIT_EXPECT_STREQ(test, args.dest_dev, argv[2]);
	KUNIT_EXPECT_EQ(test, args.source_offset, t->want.source_offset);
	KUNIT_EXPECT_EQ(test, args.dest_offset, t->want.dest_offset);
	KUNIT_EXPECT_EQ(test, args.region_sectors, t->want.region_sectors);
	KUNIT_EXPECT_EQ(test, args.max_copy_kbps, t->want.max_copy_kbps);
	KUNIT_EXPECT_EQ(test, args.min_copy_kbps, t->want.min_copy_kbps);
	KUNIT_EXPECT_EQ(test, args.sparse, t->want.sparse);
	KUNIT_EXPECT_EQ(test, args.dest_zeroed, t->want.dest_zeroed);
	KUNIT_EXPECT_EQ(test, args.nosync, t->want.nosync);
	KUNIT_EXPECT_EQ(test, args.paused, t->want.paused);
	if (t->want.meta_dev)
		KUNIT_EXPECT_STREQ(test, args.meta_dev, t->want.meta_dev);
	else
		KUNIT_EXPECT_NULL(test, args.meta_dev);
	KUNIT_EXPECT_EQ(test, args.has_mirror_id, t->want.has_mirror_id);
	KUNIT_EXPECT_EQ(test, memcmp(args.mirror_id, t->want.mirror_id,
				     sizeof(args.mirror_id)), 0);
	argv_free(argv);
}

static void mirrorlive_args_test_invalid(struct kunit *test)
{
	const struct invalid_line *t = test->param_value;
	struct mirrorlive_args args;
	char *error = NULL;
	char **argv;
	int argc;

	argv = split_line(test, t->line, &argc);
	KUNIT_EXPECT_EQ(test, mirrorlive_parse_args(&args, argc, argv, &error),
			-EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, error);
	if (error)
		KUNIT_EXPECT_STREQ(test, error, t->error);
	argv_free(argv);
}

/* The message parser shares this helper: same words, same verdicts. */
static void mirrorlive_args_test_kbps(struct kunit *test)
{
	u32 v = 7;

	KUNIT_EXPECT_EQ(test, mirrorlive_parse_kbps("0", &v), 0);
	KUNIT_EXPECT_EQ(test, v, 0U);
	KUNIT_EXPECT_EQ(test, mirrorlive_parse_kbps("4294967295", &v), 0);
	KUNIT_EXPECT_EQ(test, v, U32_MAX);
	KUNIT_EXPECT_EQ(test, mirrorlive_parse_kbps("4294967296", &v), -EINVAL);
	KUNIT_EXPECT_EQ(test, mirrorlive_parse_kbps("", &v), -EINVAL);
	KUNIT_EXPECT_EQ(test, mirrorlive_parse_kbps(NULL, &v), -EINVAL);
	KUNIT_EXPECT_EQ(test, mirrorlive_parse_kbps("12\n", &v), -EINVAL);
	KUNIT_EXPECT_EQ(test, mirrorlive_parse_kbps(" 12", &v), -EINVAL);
	KUNIT_EXPECT_EQ(test, v, U32_MAX);
}

static void mirrorlive_args_test_sectors(struct kunit *test)
{
	sector_t v = 0;

	KUNIT_EXPECT_EQ(test, mirrorlive_parse_sectors("007", &v), 0);
	KUNIT_EXPECT_EQ(test, v, (sector_t)7);
	KUNIT_EXPECT_EQ(test, mirrorlive_parse_sectors("7 ", &v), -EINVAL);
	KUNIT_EXPECT_EQ(test, mirrorlive_parse_sectors("1e3", &v), -EINVAL);
	KUNIT_EXPECT_EQ(test, v, (sector_t)7);
}

static struct kunit_case mirrorlive_args_test_cases[] = {
	KUNIT_CASE_PARAM(mirrorlive_args_test_valid, valid_line_gen_params),
	KUNIT_CASE_PARAM(mirrorlive_args_test_invalid, invalid_line_gen_params),
	KUNIT_CASE(mirrorlive_args_test_kbps),
	KUNIT_CASE(mirrorlive_args_test_sectors),
	{}
};

static struct kunit_suite mirrorlive_args_test_suite = {
	.name = "mirrorlive_args",
	.test_cases = mirrorlive_args_test_cases,
};

kunit_test_suite(mirrorlive_args_test_suite);

MODULE_LICENSE("GPL");
