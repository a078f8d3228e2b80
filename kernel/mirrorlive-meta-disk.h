/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dm-mirrorlive: the on-disk format of the metadata device, version 1.
 *
 * Documentation/metadata-format.rst is the specification; this file spells
 * out its byte layout. The module (mirrorlive-meta-format.c) and mirrorctl
 * (its metadata reader) both include it, so it holds only #defines and
 * structures of fixed-size little-endian fields from <linux/types.h>.
 *
 * The device is read and written in blocks of MIRRORLIVE_META_BLOCK_SIZE
 * bytes:
 *
 *   block 0, 1                  superblock slots (the valid one with the
 *                               higher seq is live; a commit writes the other)
 *   2 .. 2+B-1                  the copied bitmap, B blocks
 *   2+B .. 2+2B-1               the write-intent bitmap, B blocks
 *
 * where B = ceil(regions / MIRRORLIVE_META_BITS_PER_BLOCK). Every block
 * starts with a CRC-32 (IEEE 802.3, as zlib's crc32()) of the rest of the
 * block, so a torn or misdirected write is detected, never trusted.
 */
#ifndef DM_MIRRORLIVE_META_DISK_H
#define DM_MIRRORLIVE_META_DISK_H

#include <linux/types.h>

#define MIRRORLIVE_META_BLOCK_SIZE	4096U
#define MIRRORLIVE_META_BLOCK_SECTORS	(MIRRORLIVE_META_BLOCK_SIZE >> 9)
#define MIRRORLIVE_META_VERSION		1U

/* "MLSB" and "MLBM" as little-endian 32-bit words */
#define MIRRORLIVE_META_SB_MAGIC	0x42534c4dU
#define MIRRORLIVE_META_BITMAP_MAGIC	0x4d424c4dU

#define MIRRORLIVE_META_SB_SLOTS	2U
#define MIRRORLIVE_META_MIRROR_ID_LEN	16U

/* superblock state: what the table swap that ends the migration chose */
#define MIRRORLIVE_META_STATE_MIGRATING	1U
#define MIRRORLIVE_META_STATE_COMPLETED	2U	/* the destination is primary */
#define MIRRORLIVE_META_STATE_CANCELLED	3U	/* back on the source */

/* superblock flags */
#define MIRRORLIVE_META_SB_CLEAN	0x1U	/* no write-intent bit set */
/* the legs of the migration that formatted it, swapped (a kept mirror) */
#define MIRRORLIVE_META_SB_REVERSED	0x2U
#define MIRRORLIVE_META_SB_KNOWN_FLAGS	(MIRRORLIVE_META_SB_CLEAN | \
					 MIRRORLIVE_META_SB_REVERSED)

/* bitmap block kinds */
#define MIRRORLIVE_META_KIND_COPIED	1U
#define MIRRORLIVE_META_KIND_INTENT	2U

struct mirrorlive_meta_sb_disk {
	__le32 csum;		/* CRC-32 of bytes 4 .. block end */
	__le32 magic;		/* MIRRORLIVE_META_SB_MAGIC */
	__le32 version;		/* MIRRORLIVE_META_VERSION */
	__le32 flags;		/* MIRRORLIVE_META_SB_* */
	__le64 seq;		/* commit number; written to slot seq % 2 */
	__le64 nonce;		/* random, chosen at format; in every block */
	__u8 mirror_id[MIRRORLIVE_META_MIRROR_ID_LEN]; /* table's mirror_id */

	/* the geometry it was formatted for: a load must match all of it */
	__le64 len;		/* mapped sectors (the target's length) */
	__le64 source_offset;	/* sectors */
	__le64 dest_offset;	/* sectors */
	__le64 source_sectors;	/* size of the source device */
	__le64 dest_sectors;	/* size of the destination device */
	__le32 region_sectors;
	__le32 state;		/* MIRRORLIVE_META_STATE_* */

	/* derived from the geometry; stored to check the two agree */
	__le64 regions;
	__le64 bitmap_blocks;	/* B, blocks in each bitmap */

	/* informative: regions counted copied at this commit */
	__le64 copied_regions;
	__le64 format_time;	/* seconds since the epoch */
	__le64 commit_time;	/* seconds since the epoch */
	/* zero up to the end of the block */
};

#define MIRRORLIVE_META_SB_USED_BYTES	136U

struct mirrorlive_meta_bitmap_disk {
	__le32 csum;		/* CRC-32 of bytes 4 .. block end */
	__le32 magic;		/* MIRRORLIVE_META_BITMAP_MAGIC */
	__le32 kind;		/* MIRRORLIVE_META_KIND_* */
	__le32 reserved;	/* zero */
	__le64 index;		/* block number within its bitmap */
	__le64 nonce;		/* the superblock's */
	/*
	 * Then MIRRORLIVE_META_BITS_PER_BLOCK bits, little-endian bit order
	 * (bit i is bit i % 8 of byte i / 8): bit i is region
	 * index * MIRRORLIVE_META_BITS_PER_BLOCK + i. Bits past the last
	 * region are zero.
	 */
};

#define MIRRORLIVE_META_BITMAP_HEADER	32U
#define MIRRORLIVE_META_BITS_PER_BLOCK \
	((MIRRORLIVE_META_BLOCK_SIZE - MIRRORLIVE_META_BITMAP_HEADER) * 8U)

#endif /* DM_MIRRORLIVE_META_DISK_H */
