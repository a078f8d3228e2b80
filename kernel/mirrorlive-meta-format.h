/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dm-mirrorlive: encoding and checking of metadata blocks.
 *
 * Converts between the on-disk blocks of mirrorlive-meta-disk.h and the
 * in-memory forms below, and decides what a block read back means. Pure
 * functions of their arguments: no I/O, no allocation, no locks, callable
 * from any context; KUnit tests them byte for byte
 * (mirrorlive-meta-format-test.c). Documentation/metadata-format.rst is
 * the specification.
 */
#ifndef DM_MIRRORLIVE_META_FORMAT_H
#define DM_MIRRORLIVE_META_FORMAT_H

#include <linux/types.h>

#include "mirrorlive-meta-disk.h"

/* What a metadata device was formatted for; a load must match all of it. */
struct mirrorlive_meta_geometry {
	u8 mirror_id[MIRRORLIVE_META_MIRROR_ID_LEN];
	u64 len;
	u64 source_offset;
	u64 dest_offset;
	u64 source_sectors;
	u64 dest_sectors;
	u32 region_sectors;
};

struct mirrorlive_meta_sb {
	u64 seq;
	u64 nonce;
	u32 flags;			/* MIRRORLIVE_META_SB_* */
	u32 state;			/* MIRRORLIVE_META_STATE_* */
	struct mirrorlive_meta_geometry geo;
	u64 regions;
	u64 bitmap_blocks;
	u64 copied_regions;
	u64 format_time;
	u64 commit_time;
};

/* Regions of a mapping of @len sectors (a region_sectors power of two). */
u64 mirrorlive_meta_regions(u64 len, u32 region_sectors);

/* Blocks in each bitmap for @regions regions. */
u64 mirrorlive_meta_bitmap_blocks(u64 regions);

/*
 * mirrorlive_meta_device_sectors() - the smallest metadata device for
 * @regions regions: 2 superblock slots and two bitmaps, in sectors.
 */
u64 mirrorlive_meta_device_sectors(u64 regions);

/* First block of the bitmap of @kind (MIRRORLIVE_META_KIND_*). */
u64 mirrorlive_meta_bitmap_start(u64 bitmap_blocks, u32 kind);

/* CRC-32 of a block: bytes 4 to the end, as stored in its first 4 bytes. */
u32 mirrorlive_meta_block_csum(const void *block);

/*
 * mirrorlive_meta_sb_init() - the superblock of a new format for @geo:
 * seq 0, MIGRATING, clean, nothing copied. @geo->region_sectors must be a
 * power of two.
 */
void mirrorlive_meta_sb_init(struct mirrorlive_meta_sb *sb,
			     const struct mirrorlive_meta_geometry *geo,
			     u64 nonce, u64 now);

/* Write @sb into the MIRRORLIVE_META_BLOCK_SIZE bytes at @block. */
void mirrorlive_meta_sb_encode(const struct mirrorlive_meta_sb *sb,
			       void *block);

/*
 * mirrorlive_meta_sb_decode() - read a superblock slot.
 * @why: set to a static message on -EINVAL, for ti->error and the log.
 *
 * Return: 0 when @block is a valid version-1 superblock (all fields
 * consistent), -ENODATA when it is all zeroes (never written), -EINVAL
 * otherwise (@why says why: not a superblock, bad checksum, another
 * version, unknown flags, inconsistent fields).
 */
int mirrorlive_meta_sb_decode(const void *block, struct mirrorlive_meta_sb *sb,
			      const char **why);

/* A superblock slot as read back: mirrorlive_meta_slot_decode() fills it. */
struct mirrorlive_meta_slot {
	int result;		/* of mirrorlive_meta_sb_decode() */
	const char *why;	/* its reason when not 0 */
	struct mirrorlive_meta_sb sb;
};

void mirrorlive_meta_slot_decode(struct mirrorlive_meta_slot *slot,
				 const void *block);

/*
 * mirrorlive_meta_sb_pick() - the live one of the MIRRORLIVE_META_SB_SLOTS
 * @slots: the valid one with the higher seq. A valid superblock whose seq
 * does not match its slot (seq % 2) does not count.
 * @why: set on error: the reason of the first slot that holds something
 *       invalid, or why the two valid slots cannot be chosen between.
 *
 * Return: 0 or 1; -ENODATA when neither slot was ever written (format
 * it); -EINVAL when no slot is valid but one holds something, or when
 * both are valid but carry different nonces (two formats: refuse, never
 * guess).
 */
int mirrorlive_meta_sb_pick(const struct mirrorlive_meta_slot *slots,
			    const char **why);

/*
 * mirrorlive_meta_geometry_check() - does @sb belong to a mirror of
 * geometry @geo?
 *
 * Return: 0, or -EINVAL with @why naming the first field that differs.
 */
int mirrorlive_meta_geometry_check(const struct mirrorlive_meta_sb *sb,
				   const struct mirrorlive_meta_geometry *geo,
				   const char **why);

/*
 * mirrorlive_meta_geometry_reversed() - @geo with its legs swapped: the
 * source's offset and size are @geo's destination's and the other way
 * round; the identity, length and region size stay. A mirror that
 * reverses a completed one (Documentation/metadata-format.rst, section
 * 3, "Reversal") takes over a record of this geometry.
 */
void mirrorlive_meta_geometry_reversed(const struct mirrorlive_meta_geometry *geo,
				       struct mirrorlive_meta_geometry *out);

/*
 * mirrorlive_meta_block_regions() - how many of @regions regions bitmap
 * block @index holds: MIRRORLIVE_META_BITS_PER_BLOCK, fewer in the last
 * block, 0 past it.
 */
u32 mirrorlive_meta_block_regions(u64 regions, u64 index);

/*
 * mirrorlive_meta_bitmap_encode() - write bitmap block @index of @kind.
 * @bits:  the block's part of the in-memory bitmap (unsigned long words,
 *         as the kernel's bitmap API keeps them): for a whole bitmap
 *         @whole, @whole + index * BITS_PER_BLOCK / BITS_PER_LONG.
 * @nbits: mirrorlive_meta_block_regions(); bits past it are not written.
 */
void mirrorlive_meta_bitmap_encode(void *block, u32 kind, u64 index,
				   u64 nonce, const unsigned long *bits,
				   u32 nbits);

/*
 * mirrorlive_meta_bitmap_decode() - check bitmap block @index of @kind
 * and, when valid, OR its bits into @bits (as for encode).
 *
 * Return: 0 when valid, -EINVAL when not (bad checksum, another kind,
 * index or nonce, bits set past @nbits, @nbits 0): the caller must then
 * treat every region of the block conservatively (not copied; dirty).
 */
int mirrorlive_meta_bitmap_decode(const void *block, u32 kind, u64 index,
				  u64 nonce, unsigned long *bits, u32 nbits);

#endif /* DM_MIRRORLIVE_META_FORMAT_H */
