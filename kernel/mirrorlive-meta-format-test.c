// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the metadata block format (mirrorlive-meta-format.c).
 *
 * The golden checksums were computed apart from this code, from the byte
 * layout of Documentation/metadata-format.rst, with Python's struct and
 * zlib.crc32: a change of layout or checksum fails here first.
 */
#include <kunit/test.h>
#include <linux/bitmap.h>
#include <linux/slab.h>
#include <asm/unaligned.h>

#include "mirrorlive-meta-format.h"

#define GOLDEN_SB_CSUM		0xbc9d8d72U
#define GOLDEN_BITMAP_CSUM	0x261574cfU
#define NONCE			0x0123456789abcdefULL
#define COPIED			MIRRORLIVE_META_KIND_COPIED
#define INTENT			MIRRORLIVE_META_KIND_INTENT

static const struct mirrorlive_meta_geometry golden_geo = {
	.mirror_id = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 },
	.len = 2097152,			/* 1 GiB */
	.source_offset = 0,
	.dest_offset = 2048,
	.source_sectors = 2097152,
	.dest_sectors = 4194304,
	.region_sectors = 1024,		/* 2048 regions */
};

static void golden_sb(struct mirrorlive_meta_sb *sb)
{
	mirrorlive_meta_sb_init(sb, &golden_geo, NONCE, 1764806400);
	sb->seq = 7;
	sb->copied_regions = 100;
	sb->commit_time = 1764806460;
}

static u8 *new_block(struct kunit *test)
{
	u8 *b = kunit_kzalloc(test, MIRRORLIVE_META_BLOCK_SIZE, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, b);
	return b;
}

static u64 get_le64(const u8 *b, unsigned int off)
{
	return get_unaligned_le64(b + off);
}

static void set_le32(u8 *b, unsigned int off, u32 v)
{
	put_unaligned_le32(v, b + off);
}

static int decode(const u8 *b, u32 kind, u64 index, u64 nonce,
		  unsigned long *bits, u32 nbits)
{
	return mirrorlive_meta_bitmap_decode(b, kind, index, nonce, bits,
					     nbits);
}

/* The part of whole bitmap @bits that bitmap block @index holds. */
static unsigned long *block_part(unsigned long *bits, u64 index)
{
	return bits + index * (MIRRORLIVE_META_BITS_PER_BLOCK / BITS_PER_LONG);
}

/* Re-seal @b after editing it, so that only the edited field is wrong. */
static void reseal(u8 *b)
{
	set_le32(b, 0, mirrorlive_meta_block_csum(b));
}

static void mirrorlive_meta_test_sizes(struct kunit *test)
{
	/* 1 TiB in 512 KiB regions: 2 Mi regions, 65 blocks per bitmap */
	KUNIT_EXPECT_EQ(test, mirrorlive_meta_regions(1ULL << 31, 1024),
			1ULL << 21);
	KUNIT_EXPECT_EQ(test, mirrorlive_meta_bitmap_blocks(1ULL << 21), 65ULL);
	KUNIT_EXPECT_EQ(test, mirrorlive_meta_device_sectors(1ULL << 21),
			(2 + 2 * 65) * 8ULL);
	/* a short last region counts */
	KUNIT_EXPECT_EQ(test, mirrorlive_meta_regions(1025, 1024), 2ULL);
	KUNIT_EXPECT_EQ(test, mirrorlive_meta_bitmap_blocks(1), 1ULL);
	KUNIT_EXPECT_EQ(test, mirrorlive_meta_bitmap_blocks(32512), 1ULL);
	KUNIT_EXPECT_EQ(test, mirrorlive_meta_bitmap_blocks(32513), 2ULL);
	KUNIT_EXPECT_EQ(test, mirrorlive_meta_bitmap_start(65, COPIED), 2ULL);
	KUNIT_EXPECT_EQ(test, mirrorlive_meta_bitmap_start(65, INTENT), 67ULL);
	KUNIT_EXPECT_EQ(test, mirrorlive_meta_block_regions(32589, 0), 32512U);
	KUNIT_EXPECT_EQ(test, mirrorlive_meta_block_regions(32589, 1), 77U);
	KUNIT_EXPECT_EQ(test, mirrorlive_meta_block_regions(32589, 2), 0U);
}

static void mirrorlive_meta_test_sb_layout(struct kunit *test)
{
	struct mirrorlive_meta_sb sb;
	u8 *b = new_block(test);

	golden_sb(&sb);
	mirrorlive_meta_sb_encode(&sb, b);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(b), GOLDEN_SB_CSUM);
	KUNIT_EXPECT_EQ(test, memcmp(b + 4, "MLSB", 4), 0);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(b + 8), 1U);	/* version */
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(b + 12), 1U);	/* clean */
	KUNIT_EXPECT_EQ(test, get_le64(b, 16), 7ULL);
	KUNIT_EXPECT_EQ(test, get_le64(b, 24), NONCE);
	KUNIT_EXPECT_EQ(test, b[32], 0);
	KUNIT_EXPECT_EQ(test, b[47], 15);
	KUNIT_EXPECT_EQ(test, get_le64(b, 48), 2097152ULL);
	KUNIT_EXPECT_EQ(test, get_le64(b, 64), 2048ULL);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(b + 88), 1024U);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(b + 92),
			MIRRORLIVE_META_STATE_MIGRATING);
	KUNIT_EXPECT_EQ(test, get_le64(b, 96), 2048ULL);	/* regions */
	KUNIT_EXPECT_EQ(test, get_le64(b, 104), 1ULL);		/* blocks */
	KUNIT_EXPECT_EQ(test, get_le64(b, 112), 100ULL);
	KUNIT_EXPECT_EQ(test, get_le64(b, 128), 1764806460ULL);
	KUNIT_EXPECT_NULL(test, memchr_inv(b + MIRRORLIVE_META_SB_USED_BYTES, 0,
					   MIRRORLIVE_META_BLOCK_SIZE -
					   MIRRORLIVE_META_SB_USED_BYTES));
}

static void mirrorlive_meta_test_sb_round_trip(struct kunit *test)
{
	struct mirrorlive_meta_sb sb, back;
	const char *why = NULL;
	u8 *b = new_block(test);

	golden_sb(&sb);
	sb.state = MIRRORLIVE_META_STATE_COMPLETED;
	sb.flags = 0;
	mirrorlive_meta_sb_encode(&sb, b);
	KUNIT_ASSERT_EQ(test, mirrorlive_meta_sb_decode(b, &back, &why), 0);
	KUNIT_EXPECT_EQ(test, memcmp(&sb, &back, sizeof(sb)), 0);
	KUNIT_EXPECT_EQ(test, mirrorlive_meta_geometry_check(&back, &golden_geo,
							     &why), 0);
}

struct sb_damage {
	const char *desc;
	unsigned int off;	/* a 32-bit word to overwrite */
	u32 value;
	bool reseal;		/* fix the checksum after the change */
	const char *why;
};

static const struct sb_damage sb_damages[] = {
	{ "one bit flipped in the geometry", 48, 2097153, false,
	  "metadata superblock checksum mismatch" },
	{ "one bit flipped in the reserved tail", 4000, 1, false,
	  "metadata superblock checksum mismatch" },
	{ "another magic", 4, 0x12345678, true,
	  "not a mirrorlive metadata device (no superblock magic)" },
	{ "version 2", 8, 2, true,
	  "metadata superblock has an unsupported version" },
	{ "an unknown flag", 12, 1U << 5, true,
	  "metadata superblock has flags this module does not know" },
	{ "state 0", 92, 0, true, "metadata superblock has an unknown state" },
	{ "state 4", 92, 4, true, "metadata superblock has an unknown state" },
	{ "region size not a power of two", 88, 1000, true,
	  "metadata superblock geometry is inconsistent" },
	{ "region size below the table's minimum", 88, 4, true,
	  "metadata superblock geometry is inconsistent" },
	{ "region size above the table's maximum", 88, 4194304, true,
	  "metadata superblock geometry is inconsistent" },
	{ "regions not those of the geometry", 96, 2049, true,
	  "metadata superblock geometry is inconsistent" },
	{ "bitmap blocks not those of the regions", 104, 2, true,
	  "metadata superblock geometry is inconsistent" },
	{ "more copied than regions", 112, 2049, true,
	  "metadata superblock counts more copied regions than regions" },
	{ "data in the reserved tail", 4000, 1, true,
	  "metadata superblock has data in its reserved bytes" },
};

static void sb_damage_desc(const struct sb_damage *d, char *desc)
{
	strscpy(desc, d->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(sb_damage, sb_damages, sb_damage_desc);

static void mirrorlive_meta_test_sb_refused(struct kunit *test)
{
	const struct sb_damage *d = test->param_value;
	struct mirrorlive_meta_sb sb;
	const char *why = NULL;
	u8 *b = new_block(test);

	golden_sb(&sb);
	mirrorlive_meta_sb_encode(&sb, b);
	set_le32(b, d->off, d->value);
	if (d->reseal)
		reseal(b);
	KUNIT_EXPECT_EQ(test, mirrorlive_meta_sb_decode(b, &sb, &why), -EINVAL);
	KUNIT_EXPECT_STREQ(test, why, d->why);
}

/*
 * A length so close to 2^64 that rounding it up to regions wraps: the
 * regions and bitmap blocks of the wrapped sum (0) would agree with it.
 */
static void mirrorlive_meta_test_sb_wrapping_length(struct kunit *test)
{
	struct mirrorlive_meta_sb sb;
	const char *why = NULL;
	u8 *b = new_block(test);

	golden_sb(&sb);
	sb.geo.len = (u64)-512;
	sb.regions = 0;
	sb.bitmap_blocks = 0;
	sb.copied_regions = 0;
	mirrorlive_meta_sb_encode(&sb, b);
	KUNIT_EXPECT_EQ(test, mirrorlive_meta_sb_decode(b, &sb, &why), -EINVAL);
	KUNIT_EXPECT_STREQ(test, why,
			   "metadata superblock geometry is inconsistent");
}

static void mirrorlive_meta_test_sb_zero(struct kunit *test)
{
	struct mirrorlive_meta_sb sb;
	const char *why = NULL;
	u8 *b = new_block(test);

	KUNIT_EXPECT_EQ(test, mirrorlive_meta_sb_decode(b, &sb, &why), -ENODATA);
}

/* Slots filled from encoded superblocks of seq @s0/@s1, or damaged (-1). */
static void fill_slots(struct kunit *test, struct mirrorlive_meta_slot *slots,
		       long long s0, long long s1, u64 nonce1)
{
	long long seqs[2] = { s0, s1 };
	struct mirrorlive_meta_sb sb;
	unsigned int i;
	u8 *b = new_block(test);

	for (i = 0; i < 2; i++) {
		memset(b, 0, MIRRORLIVE_META_BLOCK_SIZE);
		if (seqs[i] >= 0) {
			golden_sb(&sb);
			sb.seq = seqs[i];
			if (i == 1)
				sb.nonce = nonce1;
			mirrorlive_meta_sb_encode(&sb, b);
		} else if (seqs[i] == -1) {
			golden_sb(&sb);
			mirrorlive_meta_sb_encode(&sb, b);
			b[200] ^= 1;	/* torn: checksum mismatch */
		}			/* -2: never written */
		mirrorlive_meta_slot_decode(&slots[i], b);
	}
}

struct pick_case {
	const char *desc;
	long long s0, s1;	/* seq, -1 torn, -2 zero */
	bool other_nonce;
	int want;
	const char *why;
};

static const struct pick_case pick_cases[] = {
	{ "fresh format: slot 0 only", 0, -2, false, 0, NULL },
	{ "slot 1 newer", 4, 5, false, 1, NULL },
	{ "slot 0 newer", 6, 5, false, 0, NULL },
	{ "slot 1 torn: slot 0", 6, -1, false, 0, NULL },
	{ "slot 0 torn: slot 1", -1, 5, false, 1, NULL },
	{ "both zero: not formatted", -2, -2, false, -ENODATA,
	  "metadata device is not formatted" },
	{ "both torn", -1, -1, false, -EINVAL,
	  "metadata superblock checksum mismatch" },
	{ "torn and zero", -2, -1, false, -EINVAL,
	  "metadata superblock checksum mismatch" },
	{ "seq in the wrong slot", 3, -2, false, -EINVAL,
	  "metadata superblock seq does not match its slot" },
	{ "two formats", 4, 5, true, -EINVAL,
	  "metadata superblock slots belong to two formats" },
};

static void pick_case_desc(const struct pick_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(pick_case, pick_cases, pick_case_desc);

static void mirrorlive_meta_test_sb_pick(struct kunit *test)
{
	const struct pick_case *c = test->param_value;
	struct mirrorlive_meta_slot slots[2];
	const char *why = NULL;

	fill_slots(test, slots, c->s0, c->s1, c->other_nonce ? NONCE + 1 : NONCE);
	KUNIT_EXPECT_EQ(test, mirrorlive_meta_sb_pick(slots, &why), c->want);
	if (c->why)
		KUNIT_EXPECT_STREQ(test, why, c->why);
}

static void mirrorlive_meta_test_geometry(struct kunit *test)
{
	struct mirrorlive_meta_geometry geo;
	struct mirrorlive_meta_sb sb;
	const char *why = NULL;

	golden_sb(&sb);
	geo = golden_geo;
	geo.mirror_id[15] ^= 1;
	KUNIT_EXPECT_EQ(test, mirrorlive_meta_geometry_check(&sb, &geo, &why),
			-EINVAL);
	KUNIT_EXPECT_STREQ(test, why,
			   "metadata belongs to another mirror (mirror_id differs)");
	geo = golden_geo;
	geo.len += 8;
	mirrorlive_meta_geometry_check(&sb, &geo, &why);
	KUNIT_EXPECT_STREQ(test, why,
			   "metadata belongs to a mirror of another length");
	geo = golden_geo;
	geo.region_sectors = 2048;
	mirrorlive_meta_geometry_check(&sb, &geo, &why);
	KUNIT_EXPECT_STREQ(test, why,
			   "metadata belongs to a mirror of another region size");
	geo = golden_geo;
	geo.source_sectors += 8;
	mirrorlive_meta_geometry_check(&sb, &geo, &why);
	KUNIT_EXPECT_STREQ(test, why,
			   "metadata belongs to another source (offset or size differs)");
	geo = golden_geo;
	geo.dest_offset = 0;
	mirrorlive_meta_geometry_check(&sb, &geo, &why);
	KUNIT_EXPECT_STREQ(test, why,
			   "metadata belongs to another destination (offset or size differs)");
}

/* The geometry of the mirror that reverses golden_geo's, by hand. */
static void mirrorlive_meta_test_geometry_reversed(struct kunit *test)
{
	struct mirrorlive_meta_geometry rev, back;
	struct mirrorlive_meta_sb sb;
	const char *why = NULL;

	mirrorlive_meta_geometry_reversed(&golden_geo, &rev);
	KUNIT_EXPECT_EQ(test, rev.source_offset, 2048ULL);
	KUNIT_EXPECT_EQ(test, rev.source_sectors, 4194304ULL);
	KUNIT_EXPECT_EQ(test, rev.dest_offset, 0ULL);
	KUNIT_EXPECT_EQ(test, rev.dest_sectors, 2097152ULL);
	KUNIT_EXPECT_EQ(test, rev.len, golden_geo.len);
	KUNIT_EXPECT_EQ(test, rev.region_sectors, golden_geo.region_sectors);
	KUNIT_EXPECT_EQ(test, memcmp(rev.mirror_id, golden_geo.mirror_id,
				     sizeof(rev.mirror_id)), 0);
	/* a record is not its reversal's: the check names the source */
	golden_sb(&sb);
	KUNIT_EXPECT_EQ(test, mirrorlive_meta_geometry_check(&sb, &rev, &why),
			-EINVAL);
	KUNIT_EXPECT_STREQ(test, why,
			   "metadata belongs to another source (offset or size differs)");
	mirrorlive_meta_geometry_reversed(&rev, &back);
	KUNIT_EXPECT_EQ(test, mirrorlive_meta_geometry_check(&sb, &back, &why),
			0);
}

static const u64 golden_bits[] = { 0, 1, 31, 32, 63, 64, 2047 };

static void mirrorlive_meta_test_bitmap_layout(struct kunit *test)
{
	unsigned long *bits = kunit_kcalloc(test, BITS_TO_LONGS(2048),
					    sizeof(long), GFP_KERNEL);
	unsigned long *back = kunit_kcalloc(test, BITS_TO_LONGS(2048),
					    sizeof(long), GFP_KERNEL);
	u8 *b = new_block(test);
	unsigned int i;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, bits);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, back);
	for (i = 0; i < ARRAY_SIZE(golden_bits); i++)
		__set_bit(golden_bits[i], bits);
	mirrorlive_meta_bitmap_encode(b, MIRRORLIVE_META_KIND_COPIED, 0, NONCE,
				      bits, 2048);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(b), GOLDEN_BITMAP_CSUM);
	KUNIT_EXPECT_EQ(test, memcmp(b + 4, "MLBM", 4), 0);
	KUNIT_EXPECT_EQ(test, b[32], 0x03);		/* regions 0, 1 */
	KUNIT_EXPECT_EQ(test, b[32 + 3], 0x80);		/* region 31 */
	KUNIT_EXPECT_EQ(test, b[32 + 255], 0x80);	/* region 2047 */

	KUNIT_EXPECT_EQ(test, decode(b, COPIED, 0, NONCE, back, 2048), 0);
	KUNIT_EXPECT_TRUE(test, bitmap_equal(bits, back, 2048));
}

/* A bitmap over two blocks and a short tail: every bit lands back. */
static void mirrorlive_meta_test_bitmap_blocks(struct kunit *test)
{
	const u64 regions = MIRRORLIVE_META_BITS_PER_BLOCK + 77;
	unsigned long *bits = kunit_kcalloc(test, BITS_TO_LONGS(regions),
					    sizeof(long), GFP_KERNEL);
	unsigned long *back = kunit_kcalloc(test, BITS_TO_LONGS(regions),
					    sizeof(long), GFP_KERNEL);
	u8 *b = new_block(test);
	u64 r, i;
	u32 n;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, bits);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, back);
	for (r = 0; r < regions; r += 3)
		__set_bit(r, bits);
	__set_bit(regions - 1, bits);
	__set_bit(regions, bits);	/* memory past the end: never encoded */
	for (i = 0; i < 2; i++) {
		n = mirrorlive_meta_block_regions(regions, i);
		mirrorlive_meta_bitmap_encode(b, INTENT, i, NONCE,
					      block_part(bits, i), n);
		KUNIT_EXPECT_EQ(test, decode(b, INTENT, i, NONCE,
					     block_part(back, i), n), 0);
	}
	KUNIT_EXPECT_TRUE(test, bitmap_equal(bits, back, regions));
	/* block 1 starts at region BITS_PER_BLOCK: its first byte */
	KUNIT_EXPECT_EQ(test, b[32] & 1,
			test_bit(MIRRORLIVE_META_BITS_PER_BLOCK, bits) ? 1 : 0);
	/* nothing past the last region, even if memory has it */
	KUNIT_EXPECT_NULL(test, memchr_inv(b + 32 + 77 / 8 + 1, 0,
					   MIRRORLIVE_META_BLOCK_SIZE - 32 -
					   77 / 8 - 1));
}

static void mirrorlive_meta_test_bitmap_refused(struct kunit *test)
{
	unsigned long *bits = kunit_kcalloc(test, BITS_TO_LONGS(2048),
					    sizeof(long), GFP_KERNEL);
	u8 *b = new_block(test);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, bits);
	mirrorlive_meta_bitmap_encode(b, COPIED, 0, NONCE, bits, 2048);
	KUNIT_EXPECT_EQ(test, decode(b, INTENT, 0, NONCE, bits, 2048), -EINVAL);
	KUNIT_EXPECT_EQ(test, decode(b, COPIED, 1, NONCE, bits, 2048), -EINVAL);
	KUNIT_EXPECT_EQ(test, decode(b, COPIED, 0, NONCE, bits, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, decode(b, COPIED, 0, NONCE + 1, bits, 2048),
			-EINVAL);
	/* a bit past the last region, correctly sealed */
	b[32 + 256] = 1;
	reseal(b);
	KUNIT_EXPECT_EQ(test, decode(b, COPIED, 0, NONCE, bits, 2048), -EINVAL);
	/* torn */
	b[32 + 256] = 0;
	KUNIT_EXPECT_EQ(test, decode(b, COPIED, 0, NONCE, bits, 2048), -EINVAL);
	/* never written */
	memset(b, 0, MIRRORLIVE_META_BLOCK_SIZE);
	KUNIT_EXPECT_EQ(test, decode(b, COPIED, 0, NONCE, bits, 2048), -EINVAL);
	KUNIT_EXPECT_TRUE(test, bitmap_empty(bits, 2048));
}

static struct kunit_case mirrorlive_meta_format_test_cases[] = {
	KUNIT_CASE(mirrorlive_meta_test_sizes),
	KUNIT_CASE(mirrorlive_meta_test_sb_layout),
	KUNIT_CASE(mirrorlive_meta_test_sb_round_trip),
	KUNIT_CASE_PARAM(mirrorlive_meta_test_sb_refused, sb_damage_gen_params),
	KUNIT_CASE(mirrorlive_meta_test_sb_wrapping_length),
	KUNIT_CASE(mirrorlive_meta_test_sb_zero),
	KUNIT_CASE_PARAM(mirrorlive_meta_test_sb_pick, pick_case_gen_params),
	KUNIT_CASE(mirrorlive_meta_test_geometry),
	KUNIT_CASE(mirrorlive_meta_test_geometry_reversed),
	KUNIT_CASE(mirrorlive_meta_test_bitmap_layout),
	KUNIT_CASE(mirrorlive_meta_test_bitmap_blocks),
	KUNIT_CASE(mirrorlive_meta_test_bitmap_refused),
	{}
};

static struct kunit_suite mirrorlive_meta_format_test_suite = {
	.name = "mirrorlive_meta_format",
	.test_cases = mirrorlive_meta_format_test_cases,
};

kunit_test_suite(mirrorlive_meta_format_test_suite);

MODULE_LICENSE("GPL");
