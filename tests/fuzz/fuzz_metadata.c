// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_metadata.c - a metadata device image, read by mirrorctl metadata
 *
 * The input is the device: its first byte says which blocks the harness
 * re-seals (gives a correct checksum: bit n for block n, bit 7 for block 7
 * and every one after it); the rest are the blocks, the last one
 * zero-padded.  Re-sealing lets the fuzzer past the CRC to the field
 * checks of the module's decoder
 * (kernel/mirrorlive-meta-format.c, built with kcompat/) and to the
 * bitmap counting of metadata.c.  Whatever the image, the summary must be
 * consistent: a result of the documented set, a reason for every
 * refusal, counts within the geometry.
 */
#include <inttypes.h>

#include "fuzz.h"
#include "../lib/crc32_ieee.h"
#include "metadata.h"

#define BLK	MIRRORLIVE_META_BLOCK_SIZE

struct img {
	uint8_t *data;
	uint64_t blocks;
};

static int read_block(void *ctx, uint64_t n, void *buf)
{
	struct img *img = ctx;

	if (n >= img->blocks)
		return -EIO;
	memcpy(buf, img->data + n * BLK, BLK);
	return 0;
}

static void check(const struct meta_summary *s, int r, uint64_t blocks)
{
	FUZZ_CHECK(r == 0 || r == -ENODATA || r == -EINVAL || r == -ENOSPC,
		   "result %d", r);
	FUZZ_CHECK(s->device_blocks == blocks, "%" PRIu64, s->device_blocks);
	for (unsigned int i = 0; i < MIRRORLIVE_META_SB_SLOTS; i++) {
		FUZZ_CHECK(s->slot_result[i] == 0 ||
			   s->slot_result[i] == -ENODATA ||
			   s->slot_result[i] == -EINVAL ||
			   blocks < MIRRORLIVE_META_SB_SLOTS,
			   "slot %u: %d", i, s->slot_result[i]);
		FUZZ_CHECK(s->slot_result[i] != -EINVAL || s->slot_why[i],
			   "slot %u refused without a reason", i);
	}
	if (r) {
		FUZZ_CHECK(s->why && *s->why, "refused (%d) without a reason",
			   r);
		return;
	}
	FUZZ_CHECK(s->live == 0 || s->live == 1, "live %d", s->live);
	FUZZ_CHECK(s->sb.seq % 2 == (uint64_t)s->live, "seq %" PRIu64 " in %d",
		   s->sb.seq, s->live);
	FUZZ_CHECK(s->needed_blocks <= blocks, "needs %" PRIu64,
		   s->needed_blocks);
	FUZZ_CHECK(s->copied_recorded <= s->sb.regions &&
		   s->dirty <= s->copied_recorded,
		   "copied %" PRIu64 " dirty %" PRIu64 " of %" PRIu64,
		   s->copied_recorded, s->dirty, s->sb.regions);
	FUZZ_CHECK(s->invalid_copied_blocks <= s->sb.bitmap_blocks &&
		   s->invalid_intent_blocks <= s->sb.bitmap_blocks,
		   "invalid blocks");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct img img;
	struct meta_reader rd = { read_block, &img, 0 };
	struct meta_summary sum;
	uint8_t seal;
	int r;

	if (!size)
		return 0;
	seal = data[0];
	img.blocks = (size - 1 + BLK - 1) / BLK;
	/* at most a few hundred blocks: the bitmaps of a small mirror */
	if (img.blocks > 512)
		img.blocks = 512;
	img.data = calloc(img.blocks ? img.blocks : 1, BLK);
	if (!img.data)
		return 0;
	memcpy(img.data, data + 1,
	       size - 1 < img.blocks * BLK ? size - 1 : img.blocks * BLK);
	for (uint64_t b = 0; b < img.blocks; b++) {
		uint8_t *p = img.data + b * BLK;
		uint32_t c;

		if (!(seal & (1U << (b < 7 ? b : 7))))
			continue;
		c = crc32_ieee(p + 4, BLK - 4);
		memcpy(p, &c, 4);	/* little-endian hosts only, as x86 */
	}
	rd.blocks = img.blocks;
	r = meta_summarize(&rd, &sum);
	check(&sum, r, img.blocks);
	free(img.data);
	return 0;
}
