// SPDX-License-Identifier: GPL-2.0-only
/*
 * dm-mirrorlive: encoding and checking of metadata blocks. See
 * mirrorlive-meta-format.h for the contract and
 * Documentation/metadata-format.rst for the format.
 */
#include <linux/bitops.h>
#include <linux/build_bug.h>
#include <linux/crc32.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/stddef.h>
#include <linux/string.h>

#include "mirrorlive-abi.h"
#include "mirrorlive-meta-format.h"

/* The layout of mirrorlive-meta-disk.h is the specification's. */
static_assert(offsetof(struct mirrorlive_meta_sb_disk, seq) == 16);
static_assert(offsetof(struct mirrorlive_meta_sb_disk, mirror_id) == 32);
static_assert(offsetof(struct mirrorlive_meta_sb_disk, len) == 48);
static_assert(offsetof(struct mirrorlive_meta_sb_disk, region_sectors) == 88);
static_assert(offsetof(struct mirrorlive_meta_sb_disk, regions) == 96);
static_assert(offsetof(struct mirrorlive_meta_sb_disk, commit_time) == 128);
static_assert(sizeof(struct mirrorlive_meta_sb_disk) ==
	      MIRRORLIVE_META_SB_USED_BYTES);
static_assert(sizeof(struct mirrorlive_meta_bitmap_disk) ==
	      MIRRORLIVE_META_BITMAP_HEADER);
/* a bitmap block starts on a word of any in-memory bitmap */
static_assert(MIRRORLIVE_META_BITS_PER_BLOCK % 64 == 0);

u64 mirrorlive_meta_regions(u64 len, u32 region_sectors)
{
	return (len + region_sectors - 1) >> ilog2(region_sectors);
}

u64 mirrorlive_meta_bitmap_blocks(u64 regions)
{
	return div_u64(regions + MIRRORLIVE_META_BITS_PER_BLOCK - 1,
		       MIRRORLIVE_META_BITS_PER_BLOCK);
}

u64 mirrorlive_meta_bitmap_start(u64 bitmap_blocks, u32 kind)
{
	return MIRRORLIVE_META_SB_SLOTS +
	       (kind == MIRRORLIVE_META_KIND_INTENT ? bitmap_blocks : 0);
}

u64 mirrorlive_meta_device_sectors(u64 regions)
{
	return (MIRRORLIVE_META_SB_SLOTS +
		2 * mirrorlive_meta_bitmap_blocks(regions)) *
	       MIRRORLIVE_META_BLOCK_SECTORS;
}

u32 mirrorlive_meta_block_csum(const void *block)
{
	return ~crc32_le(~0U, (const u8 *)block + sizeof(__le32),
			 MIRRORLIVE_META_BLOCK_SIZE - sizeof(__le32));
}

static bool block_is_zero(const void *block)
{
	return !memchr_inv(block, 0, MIRRORLIVE_META_BLOCK_SIZE);
}

void mirrorlive_meta_sb_init(struct mirrorlive_meta_sb *sb,
			     const struct mirrorlive_meta_geometry *geo,
			     u64 nonce, u64 now)
{
	memset(sb, 0, sizeof(*sb));
	sb->nonce = nonce;
	sb->flags = MIRRORLIVE_META_SB_CLEAN;
	sb->state = MIRRORLIVE_META_STATE_MIGRATING;
	sb->geo = *geo;
	sb->regions = mirrorlive_meta_regions(geo->len, geo->region_sectors);
	sb->bitmap_blocks = mirrorlive_meta_bitmap_blocks(sb->regions);
	sb->format_time = now;
	sb->commit_time = now;
}

void mirrorlive_meta_sb_encode(const struct mirrorlive_meta_sb *sb,
			       void *block)
{
	struct mirrorlive_meta_sb_disk *d = block;

	memset(block, 0, MIRRORLIVE_META_BLOCK_SIZE);
	d->magic = cpu_to_le32(MIRRORLIVE_META_SB_MAGIC);
	d->version = cpu_to_le32(MIRRORLIVE_META_VERSION);
	d->flags = cpu_to_le32(sb->flags);
	d->seq = cpu_to_le64(sb->seq);
	d->nonce = cpu_to_le64(sb->nonce);
	memcpy(d->mirror_id, sb->geo.mirror_id, sizeof(d->mirror_id));
	d->len = cpu_to_le64(sb->geo.len);
	d->source_offset = cpu_to_le64(sb->geo.source_offset);
	d->dest_offset = cpu_to_le64(sb->geo.dest_offset);
	d->source_sectors = cpu_to_le64(sb->geo.source_sectors);
	d->dest_sectors = cpu_to_le64(sb->geo.dest_sectors);
	d->region_sectors = cpu_to_le32(sb->geo.region_sectors);
	d->state = cpu_to_le32(sb->state);
	d->regions = cpu_to_le64(sb->regions);
	d->bitmap_blocks = cpu_to_le64(sb->bitmap_blocks);
	d->copied_regions = cpu_to_le64(sb->copied_regions);
	d->format_time = cpu_to_le64(sb->format_time);
	d->commit_time = cpu_to_le64(sb->commit_time);
	d->csum = cpu_to_le32(mirrorlive_meta_block_csum(block));
}

/* The fields of a superblock whose checksum matched agree with each other. */
static int sb_check_fields(const struct mirrorlive_meta_sb *sb,
			   const char **why)
{
	u32 rs = sb->geo.region_sectors;

	if (sb->flags & ~MIRRORLIVE_META_SB_KNOWN_FLAGS) {
		*why = "metadata superblock has flags this module does not know";
		return -EINVAL;
	}
	if (sb->state < MIRRORLIVE_META_STATE_MIGRATING ||
	    sb->state > MIRRORLIVE_META_STATE_CANCELLED) {
		*why = "metadata superblock has an unknown state";
		return -EINVAL;
	}
	if (rs < MIRRORLIVE_MIN_REGION_SECTORS ||
	    rs > MIRRORLIVE_MAX_REGION_SECTORS || !is_power_of_2(rs) ||
	    !sb->geo.len || sb->geo.len > (u64)-1 - rs ||
	    sb->regions != mirrorlive_meta_regions(sb->geo.len, rs) ||
	    sb->bitmap_blocks != mirrorlive_meta_bitmap_blocks(sb->regions)) {
		*why = "metadata superblock geometry is inconsistent";
		return -EINVAL;
	}
	if (sb->copied_regions > sb->regions) {
		*why = "metadata superblock counts more copied regions than regions";
		return -EINVAL;
	}
	return 0;
}

int mirrorlive_meta_sb_decode(const void *block, struct mirrorlive_meta_sb *sb,
			      const char **why)
{
	const struct mirrorlive_meta_sb_disk *d = block;
	const u8 *tail = (const u8 *)block + MIRRORLIVE_META_SB_USED_BYTES;

	if (block_is_zero(block)) {
		*why = "metadata superblock was never written";
		return -ENODATA;
	}
	if (le32_to_cpu(d->magic) != MIRRORLIVE_META_SB_MAGIC) {
		*why = "not a mirrorlive metadata device (no superblock magic)";
		return -EINVAL;
	}
	if (le32_to_cpu(d->csum) != mirrorlive_meta_block_csum(block)) {
		*why = "metadata superblock checksum mismatch";
		return -EINVAL;
	}
	if (le32_to_cpu(d->version) != MIRRORLIVE_META_VERSION) {
		*why = "metadata superblock has an unsupported version";
		return -EINVAL;
	}
	if (memchr_inv(tail, 0, MIRRORLIVE_META_BLOCK_SIZE -
			       MIRRORLIVE_META_SB_USED_BYTES)) {
		*why = "metadata superblock has data in its reserved bytes";
		return -EINVAL;
	}

	sb->flags = le32_to_cpu(d->flags);
	sb->seq = le64_to_cpu(d->seq);
	sb->nonce = le64_to_cpu(d->nonce);
	memcpy(sb->geo.mirror_id, d->mirror_id, sizeof(sb->geo.mirror_id));
	sb->geo.len = le64_to_cpu(d->len);
	sb->geo.source_offset = le64_to_cpu(d->source_offset);
	sb->geo.dest_offset = le64_to_cpu(d->dest_offset);
	sb->geo.source_sectors = le64_to_cpu(d->source_sectors);
	sb->geo.dest_sectors = le64_to_cpu(d->dest_sectors);
	sb->geo.region_sectors = le32_to_cpu(d->region_sectors);
	sb->state = le32_to_cpu(d->state);
	sb->regions = le64_to_cpu(d->regions);
	sb->bitmap_blocks = le64_to_cpu(d->bitmap_blocks);
	sb->copied_regions = le64_to_cpu(d->copied_regions);
	sb->format_time = le64_to_cpu(d->format_time);
	sb->commit_time = le64_to_cpu(d->commit_time);
	return sb_check_fields(sb, why);
}

void mirrorlive_meta_slot_decode(struct mirrorlive_meta_slot *slot,
				 const void *block)
{
	slot->why = NULL;
	slot->result = mirrorlive_meta_sb_decode(block, &slot->sb, &slot->why);
}

/* Does slot @i hold a valid superblock that may live there? */
static bool slot_usable(const struct mirrorlive_meta_slot *slots,
			unsigned int i)
{
	return !slots[i].result && slots[i].sb.seq % 2 == i;
}

int mirrorlive_meta_sb_pick(const struct mirrorlive_meta_slot *slots,
			    const char **why)
{
	bool ok0 = slot_usable(slots, 0), ok1 = slot_usable(slots, 1);
	unsigned int i;

	if (ok0 && ok1) {
		/* a format starts from two zeroed slots: one nonce */
		if (slots[0].sb.nonce != slots[1].sb.nonce) {
			*why = "metadata superblock slots belong to two formats";
			return -EINVAL;
		}
		return slots[0].sb.seq > slots[1].sb.seq ? 0 : 1;
	}
	if (ok0 || ok1)
		return ok0 ? 0 : 1;
	if (slots[0].result == -ENODATA && slots[1].result == -ENODATA) {
		*why = "metadata device is not formatted";
		return -ENODATA;
	}
	for (i = 0; i < MIRRORLIVE_META_SB_SLOTS; i++) {
		if (slots[i].result && slots[i].result != -ENODATA) {
			*why = slots[i].why;
			return -EINVAL;
		}
	}
	*why = "metadata superblock seq does not match its slot";
	return -EINVAL;
}

int mirrorlive_meta_geometry_check(const struct mirrorlive_meta_sb *sb,
				   const struct mirrorlive_meta_geometry *geo,
				   const char **why)
{
	const struct mirrorlive_meta_geometry *m = &sb->geo;

	if (memcmp(m->mirror_id, geo->mirror_id, sizeof(m->mirror_id)))
		*why = "metadata belongs to another mirror (mirror_id differs)";
	else if (m->len != geo->len)
		*why = "metadata belongs to a mirror of another length";
	else if (m->region_sectors != geo->region_sectors)
		*why = "metadata belongs to a mirror of another region size";
	else if (m->source_offset != geo->source_offset ||
		 m->source_sectors != geo->source_sectors)
		*why = "metadata belongs to another source (offset or size differs)";
	else if (m->dest_offset != geo->dest_offset ||
		 m->dest_sectors != geo->dest_sectors)
		*why = "metadata belongs to another destination (offset or size differs)";
	else
		return 0;
	return -EINVAL;
}

void mirrorlive_meta_geometry_reversed(const struct mirrorlive_meta_geometry *geo,
				       struct mirrorlive_meta_geometry *out)
{
	*out = *geo;
	out->source_offset = geo->dest_offset;
	out->source_sectors = geo->dest_sectors;
	out->dest_offset = geo->source_offset;
	out->dest_sectors = geo->source_sectors;
}

u32 mirrorlive_meta_block_regions(u64 regions, u64 index)
{
	u64 first = index * MIRRORLIVE_META_BITS_PER_BLOCK;

	if (first >= regions)
		return 0;
	return min_t(u64, regions - first, MIRRORLIVE_META_BITS_PER_BLOCK);
}

/*
 * Bitmap payloads are little-endian 32-bit words; a block's first bit is
 * region index * BITS_PER_BLOCK, a multiple of 64, so the block's part of
 * an in-memory bitmap starts on an unsigned long and each payload word
 * lies within one unsigned long.
 */
#define WORDS_PER_BLOCK	(MIRRORLIVE_META_BITS_PER_BLOCK / 32)

static u32 bits_word(const unsigned long *bits, u32 pos, u32 nbits)
{
	u32 w;

	if (pos >= nbits)
		return 0;
	w = (u32)(bits[pos / BITS_PER_LONG] >> (pos % BITS_PER_LONG));
	if (nbits - pos < 32)
		w &= (1U << (nbits - pos)) - 1;
	return w;
}

void mirrorlive_meta_bitmap_encode(void *block, u32 kind, u64 index,
				   u64 nonce, const unsigned long *bits,
				   u32 nbits)
{
	struct mirrorlive_meta_bitmap_disk *d = block;
	__le32 *words = (__le32 *)((u8 *)block + MIRRORLIVE_META_BITMAP_HEADER);
	unsigned int i;

	memset(d, 0, sizeof(*d));
	d->magic = cpu_to_le32(MIRRORLIVE_META_BITMAP_MAGIC);
	d->kind = cpu_to_le32(kind);
	d->index = cpu_to_le64(index);
	d->nonce = cpu_to_le64(nonce);
	for (i = 0; i < WORDS_PER_BLOCK; i++)
		words[i] = cpu_to_le32(bits_word(bits, 32 * i, nbits));
	d->csum = cpu_to_le32(mirrorlive_meta_block_csum(block));
}

int mirrorlive_meta_bitmap_decode(const void *block, u32 kind, u64 index,
				  u64 nonce, unsigned long *bits, u32 nbits)
{
	const struct mirrorlive_meta_bitmap_disk *d = block;
	const __le32 *words = (const __le32 *)((const u8 *)block +
					       MIRRORLIVE_META_BITMAP_HEADER);
	unsigned int i;
	u32 pos, w;

	if (le32_to_cpu(d->magic) != MIRRORLIVE_META_BITMAP_MAGIC ||
	    le32_to_cpu(d->csum) != mirrorlive_meta_block_csum(block) ||
	    le32_to_cpu(d->kind) != kind || d->reserved ||
	    le64_to_cpu(d->index) != index || le64_to_cpu(d->nonce) != nonce ||
	    !nbits || nbits > MIRRORLIVE_META_BITS_PER_BLOCK)
		return -EINVAL;
	/* no bit past the last region */
	for (i = 0; i < WORDS_PER_BLOCK; i++) {
		pos = 32 * i;
		w = le32_to_cpu(words[i]);
		if (w && (pos >= nbits || (nbits - pos < 32 && w >> (nbits - pos))))
			return -EINVAL;
	}
	for (i = 0; i < WORDS_PER_BLOCK; i++) {
		pos = 32 * i;
		w = le32_to_cpu(words[i]);
		if (w)
			bits[pos / BITS_PER_LONG] |=
				(unsigned long)w << (pos % BITS_PER_LONG);
	}
	return 0;
}
