// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_metadata.c - unit tests for userspace/metadata.c (mirrorctl
 * metadata) and, through it, the module's decoder built in userspace
 *
 * The images are packed here byte by byte from the tables of
 * Documentation/metadata-format.rst, not with the module's encoder, and
 * the golden checksums are the ones computed with Python's zlib.crc32
 * (kernel/mirrorlive-meta-format-test.c holds the same two): a change of
 * layout, checksum or recovery rule fails here.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/crc32_ieee.h"
#include "metadata.h"
#include "unit.h"

#define BLK		4096
#define BITS_PER_BLK	32512
#define NONCE		0x0123456789abcdefULL
#define GOLDEN_SB_CSUM	0xbc9d8d72U
#define GOLDEN_BM_CSUM	0x261574cfU

/* ------------------------------------------------------------------ */
/* packing, independent of the code under test */

static void put32(uint8_t *b, unsigned int off, uint32_t v)
{
	for (unsigned int i = 0; i < 4; i++)
		b[off + i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *b, unsigned int off, uint64_t v)
{
	for (unsigned int i = 0; i < 8; i++)
		b[off + i] = (uint8_t)(v >> (8 * i));
}

static void seal(uint8_t *b)
{
	put32(b, 0, crc32_ieee(b + 4, BLK - 4));
}

struct image {
	uint8_t *data;
	uint64_t blocks;
};

static uint8_t *block(struct image *img, uint64_t n)
{
	return img->data + n * BLK;
}

/* The golden superblock of the KUnit suite, with @seq, @len, @regions. */
static void pack_sb(uint8_t *b, uint64_t seq, uint64_t len, uint64_t regions)
{
	uint64_t bitmap_blocks = (regions + BITS_PER_BLK - 1) / BITS_PER_BLK;

	memset(b, 0, BLK);
	memcpy(b + 4, "MLSB", 4);
	put32(b, 8, 1);			/* version */
	put32(b, 12, 1);		/* clean */
	put64(b, 16, seq);
	put64(b, 24, NONCE);
	for (int i = 0; i < 16; i++)
		b[32 + i] = (uint8_t)i;
	put64(b, 48, len);
	put64(b, 56, 0);
	put64(b, 64, 2048);
	put64(b, 72, len);
	put64(b, 80, 2 * len);
	put32(b, 88, 1024);
	put32(b, 92, 1);		/* migrating */
	put64(b, 96, regions);
	put64(b, 104, bitmap_blocks);
	put64(b, 112, 100);
	put64(b, 120, 1764806400);
	put64(b, 128, 1764806460);
	seal(b);
}

static void pack_bitmap(uint8_t *b, uint32_t kind, uint64_t index,
			uint64_t first, uint64_t count)
{
	memset(b, 0, BLK);
	memcpy(b + 4, "MLBM", 4);
	put32(b, 8, kind);
	put64(b, 16, index);
	put64(b, 24, NONCE);
	for (uint64_t r = first; r < first + count; r++)
		b[32 + r / 8] |= (uint8_t)(1U << (r % 8));
	seal(b);
}

/*
 * The golden image: 1 GiB in 2048 regions, slot 1 live (seq 7), regions
 * 0..99 copied, 90..94 with a write-intent bit, 8 blocks in all.
 */
static struct image golden(void)
{
	struct image img = { calloc(8, BLK), 8 };

	assert_non_null(img.data);
	pack_sb(block(&img, 1), 7, 2097152, 2048);
	pack_bitmap(block(&img, 2), 1, 0, 0, 100);
	pack_bitmap(block(&img, 3), 2, 0, 90, 5);
	return img;
}

static int read_image(void *ctx, uint64_t n, void *buf)
{
	struct image *img = ctx;

	if (n >= img->blocks)
		return -EIO;
	memcpy(buf, block(img, n), BLK);
	return 0;
}

static int summarize(struct image *img, struct meta_summary *sum)
{
	struct meta_reader rd = { read_image, img, img->blocks };

	return meta_summarize(&rd, sum);
}

/* ------------------------------------------------------------------ */

static void golden_checksums(void **state)
{
	struct image img = golden();

	(void)state;
	/* the golden superblock is the KUnit suite's, with seq 7 */
	assert_int_equal(crc32_ieee(block(&img, 1) + 4, BLK - 4),
			 GOLDEN_SB_CSUM);
	/* and the KUnit golden bitmap block: regions 0 1 31 32 63 64 2047 */
	pack_bitmap(block(&img, 4), 1, 0, 0, 2);
	block(&img, 4)[32 + 3] |= 0x80;
	block(&img, 4)[32 + 4] |= 0x01;
	block(&img, 4)[32 + 7] |= 0x80;
	block(&img, 4)[32 + 8] |= 0x01;
	block(&img, 4)[32 + 255] |= 0x80;
	assert_int_equal(crc32_ieee(block(&img, 4) + 4, BLK - 4),
			 GOLDEN_BM_CSUM);
	free(img.data);
}

static void golden_summary(void **state)
{
	struct image img = golden();
	struct meta_summary sum;

	(void)state;
	assert_int_equal(summarize(&img, &sum), 0);
	assert_int_equal(sum.live, 1);
	assert_int_equal(sum.slot_result[0], -ENODATA);
	assert_int_equal(sum.slot_result[1], 0);
	assert_int_equal(sum.sb.seq, 7);
	assert_int_equal(sum.sb.nonce, NONCE);
	assert_int_equal(sum.sb.state, MIRRORLIVE_META_STATE_MIGRATING);
	assert_int_equal(sum.sb.flags, MIRRORLIVE_META_SB_CLEAN);
	assert_int_equal(sum.sb.mirror_id[15], 15);
	assert_int_equal(sum.sb.len, 2097152);
	assert_int_equal(sum.sb.dest_offset, 2048);
	assert_int_equal(sum.sb.dest_sectors, 4194304);
	assert_int_equal(sum.sb.region_sectors, 1024);
	assert_int_equal(sum.sb.regions, 2048);
	assert_int_equal(sum.sb.bitmap_blocks, 1);
	assert_int_equal(sum.sb.commit_time, 1764806460);
	assert_int_equal(sum.needed_blocks, 4);
	assert_int_equal(sum.device_blocks, 8);
	assert_int_equal(sum.copied_recorded, 100);
	assert_int_equal(sum.dirty, 5);
	assert_int_equal(meta_copied(&sum), 95);
	assert_int_equal(sum.invalid_copied_blocks, 0);
	assert_int_equal(sum.invalid_intent_blocks, 0);
	free(img.data);
}

/* How an image is damaged, and what the summary must then say. */
struct damage {
	const char *name;
	void (*apply)(struct image *img);
	int result;
	const char *why;		/* NULL: not checked */
	int live;
	uint64_t copied, dirty, invalid_copied, invalid_intent;
};

static void never_written(struct image *img)
{
	memset(img->data, 0, img->blocks * BLK);
}

static void torn_slot1_slot0_older(struct image *img)
{
	pack_sb(block(img, 0), 6, 2097152, 2048);
	block(img, 1)[300] ^= 0x10;
}

static void slot0_newer(struct image *img)
{
	pack_sb(block(img, 0), 8, 2097152, 2048);
}

static void slot0_other_format(struct image *img)
{
	pack_sb(block(img, 0), 8, 2097152, 2048);
	put64(block(img, 0), 24, NONCE + 1);
	seal(block(img, 0));
}

static void bad_magic(struct image *img)
{
	memcpy(block(img, 1) + 4, "XLSB", 4);
	seal(block(img, 1));
}

static void version_2(struct image *img)
{
	put32(block(img, 1), 8, 2);
	seal(block(img, 1));
}

static void torn_copied_block(struct image *img)
{
	block(img, 2)[40] ^= 1;
}

static void torn_intent_block(struct image *img)
{
	block(img, 3)[40] ^= 1;
}

static void intent_of_other_format(struct image *img)
{
	put64(block(img, 3), 24, NONCE + 1);
	seal(block(img, 3));
}

static void copied_bit_past_the_end(struct image *img)
{
	block(img, 2)[32 + 256] = 1;	/* region 2048 of 2048 */
	seal(block(img, 2));
}

static void too_small(struct image *img)
{
	img->blocks = 3;
}

static void one_block(struct image *img)
{
	img->blocks = 1;
}

static const struct damage damages[] = {
	{ "not formatted", never_written, -ENODATA,
	  "metadata device is not formatted", -1, 0, 0, 0, 0 },
	{ "slot 1 torn: slot 0 (seq 6) is live", torn_slot1_slot0_older, 0,
	  NULL, 0, 95, 5, 0, 0 },
	{ "slot 0 newer (seq 8)", slot0_newer, 0, NULL, 0, 95, 5, 0, 0 },
	{ "slots of two formats", slot0_other_format, -EINVAL,
	  "metadata superblock slots belong to two formats", -1, 0, 0, 0, 0 },
	{ "not a superblock", bad_magic, -EINVAL,
	  "not a mirrorlive metadata device (no superblock magic)", -1,
	  0, 0, 0, 0 },
	{ "version 2", version_2, -EINVAL,
	  "metadata superblock has an unsupported version", -1, 0, 0, 0, 0 },
	{ "torn copied block: nothing counts copied", torn_copied_block, 0,
	  NULL, 1, 0, 0, 1, 0 },
	{ "torn write-intent block: every copied region is dirty",
	  torn_intent_block, 0, NULL, 1, 0, 100, 0, 1 },
	{ "write-intent block of another format", intent_of_other_format, 0,
	  NULL, 1, 0, 100, 0, 1 },
	{ "copied bit past the last region", copied_bit_past_the_end, 0,
	  NULL, 1, 0, 0, 1, 0 },
	{ "device smaller than its geometry", too_small, -ENOSPC,
	  "metadata device is smaller than its geometry needs", 1, 0, 0, 0, 0 },
	{ "device of one block", one_block, -ENOSPC,
	  "metadata device is smaller than its two superblocks", -1,
	  0, 0, 0, 0 },
};

static void damaged(void **state)
{
	const struct damage *d = *state;
	struct image img = golden();
	struct meta_summary sum;

	d->apply(&img);
	assert_int_equal(summarize(&img, &sum), d->result);
	if (d->why)
		assert_string_equal(sum.why, d->why);
	assert_int_equal(sum.live, d->live);
	if (!d->result) {
		assert_int_equal(meta_copied(&sum), d->copied);
		assert_int_equal(sum.dirty, d->dirty);
		assert_int_equal(sum.invalid_copied_blocks, d->invalid_copied);
		assert_int_equal(sum.invalid_intent_blocks, d->invalid_intent);
	}
	free(img.data);
}

/* Two blocks per bitmap: regions land in the block and bit they name. */
static void two_blocks(void **state)
{
	const uint64_t regions = BITS_PER_BLK + 77;
	struct image img = { calloc(6, BLK), 6 };
	struct meta_summary sum;

	(void)state;
	assert_non_null(img.data);
	pack_sb(block(&img, 0), 0, regions * 1024, regions);
	pack_bitmap(block(&img, 2), 1, 0, BITS_PER_BLK - 10, 10);
	pack_bitmap(block(&img, 3), 1, 1, 0, 77);	/* all of block 1 */
	pack_bitmap(block(&img, 4), 2, 0, 0, 0);
	pack_bitmap(block(&img, 5), 2, 1, 76, 1);	/* the last region */
	assert_int_equal(summarize(&img, &sum), 0);
	assert_int_equal(sum.live, 0);
	assert_int_equal(sum.sb.bitmap_blocks, 2);
	assert_int_equal(sum.copied_recorded, 87);
	assert_int_equal(sum.dirty, 1);
	/* bit 77 of block 1 is past the last region: refused */
	pack_bitmap(block(&img, 3), 1, 1, 0, 78);
	assert_int_equal(summarize(&img, &sum), 0);
	assert_int_equal(sum.invalid_copied_blocks, 1);
	assert_int_equal(sum.copied_recorded, 10);
	free(img.data);
}

/* meta_read_path() on a file: the golden image, then a short file. */
static void from_a_file(void **state)
{
	char path[] = "/tmp/mirrorctl-test-metadata-XXXXXX";
	struct image img = golden();
	struct meta_summary sum;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, img.data, 8 * BLK), 8 * BLK);
	assert_int_equal(meta_read_path(path, &sum), 0);
	assert_int_equal(meta_copied(&sum), 95);
	assert_int_equal(sum.device_blocks, 8);
	assert_int_equal(ftruncate(fd, BLK + 100), 0);
	assert_int_equal(meta_read_path(path, &sum), -ENOSPC);
	close(fd);
	unlink(path);
	free(img.data);
}

int main(void)
{
	struct unit_suite suite = { 0 };
	size_t i;

	unit_add(&suite, golden_checksums, NULL, "golden checksums");
	unit_add(&suite, golden_summary, NULL, "golden image summed up");
	for (i = 0; i < ARRAY_SIZE(damages); i++)
		unit_add(&suite, damaged, (void *)&damages[i], "%s",
			 damages[i].name);
	unit_add(&suite, two_blocks, NULL, "two blocks per bitmap");
	unit_add(&suite, from_a_file, NULL, "read from a file");
	return unit_run(&suite, "metadata");
}
