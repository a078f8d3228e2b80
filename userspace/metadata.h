/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * metadata.h - reading a mirrorlive metadata device (mirrorctl metadata)
 *
 * Reads the superblock slots and both bitmaps of a metadata device and
 * sums them up: which slot is live, what it records, how many regions
 * count as copied after a crash and how many must be copied again.  The
 * blocks are decoded by the module's own code,
 * kernel/mirrorlive-meta-format.c, built here with kcompat/; the format
 * is Documentation/metadata-format.rst.
 *
 * The reading itself goes through a callback, so that the unit tests and
 * the fuzzer feed images from memory; meta_read_path() reads a file or a
 * block device with O_DIRECT (the module writes the device without its
 * page cache).
 */
#ifndef MIRRORCTL_METADATA_H
#define MIRRORCTL_METADATA_H

#include <stdint.h>

/* The block size, magics, states and flags; plain uapi types only. */
#include "../kernel/mirrorlive-meta-disk.h"

struct meta_reader {
	/* read block @block into @buf (MIRRORLIVE_META_BLOCK_SIZE bytes) */
	int (*read)(void *ctx, uint64_t block, void *buf);
	void *ctx;
	uint64_t blocks;		/* the device's size in blocks */
};

/* A superblock as decoded; the fields of Documentation/metadata-format.rst. */
struct meta_sb {
	uint64_t seq;
	uint64_t nonce;
	uint32_t flags;
	uint32_t state;
	uint8_t mirror_id[MIRRORLIVE_META_MIRROR_ID_LEN];
	uint64_t len;
	uint64_t source_offset;
	uint64_t dest_offset;
	uint64_t source_sectors;
	uint64_t dest_sectors;
	uint32_t region_sectors;
	uint64_t regions;
	uint64_t bitmap_blocks;
	uint64_t copied_regions;
	uint64_t format_time;
	uint64_t commit_time;
};

struct meta_summary {
	/* each slot's decode: 0, -ENODATA (zero) or -EINVAL with a reason */
	int slot_result[MIRRORLIVE_META_SB_SLOTS];
	const char *slot_why[MIRRORLIVE_META_SB_SLOTS];
	uint64_t slot_seq[MIRRORLIVE_META_SB_SLOTS];	/* when decoded */
	int live;			/* the live slot, or -1 */
	struct meta_sb sb;		/* the live superblock */
	const char *why;		/* why it was refused */

	uint64_t device_blocks;
	uint64_t needed_blocks;		/* the size rule of the geometry */
	/* regions whose copied bit is set in a valid block */
	uint64_t copied_recorded;
	/* ... and whose write-intent bit is set, or its block invalid */
	uint64_t dirty;
	uint64_t invalid_copied_blocks;
	uint64_t invalid_intent_blocks;
};

/*
 * meta_summarize() - read and sum up the metadata behind @rd.
 *
 * Return: 0; -ENODATA when it is not formatted (both slots zero), -EINVAL
 * when it is refused (sum->why says why), -ENOSPC when the device is
 * smaller than its geometry needs, -ENOMEM, or the reader's -errno.
 */
int meta_summarize(const struct meta_reader *rd, struct meta_summary *sum);

/* Regions that count as copied after a crash: recorded and not dirty. */
uint64_t meta_copied(const struct meta_summary *sum);

/*
 * meta_read_path() - meta_summarize() of the file or block device
 * @path.  Logs why it cannot be opened or read; the refusals
 * (-ENODATA, -EINVAL, -ENOSPC) are left to the caller to report.
 */
int meta_read_path(const char *path, struct meta_summary *sum);

/*
 * meta_zero_slots() - zero both superblock slots of @meta (opened
 * exclusively, then fsync'ed): a record no table uses any more, or one to
 * be formatted anew. 0 or -errno, with a message.
 */
int meta_zero_slots(const char *meta);

/* "migrating", "completed", "cancelled" */
const char *meta_state_name(uint32_t state);

/* What a mirror's record must match (the constructor's geometry check). */
struct meta_geometry {
	uint8_t mirror_id[MIRRORLIVE_META_MIRROR_ID_LEN];	/* zeroes: none */
	uint64_t len;
	uint64_t source_offset;
	uint64_t source_sectors;
	uint64_t dest_offset;
	uint64_t dest_sectors;
	uint32_t region_sectors;
};

/*
 * meta_parse_mirror_id() - the table's "mirror_id" hex (32 digits, or ""
 * for none) as @g->mirror_id bytes. 0 or -EINVAL.
 */
int meta_parse_mirror_id(const char *hex, struct meta_geometry *g);

/* The smallest metadata device for @g, in bytes (the size rule). */
uint64_t meta_needed_bytes(const struct meta_geometry *g);

/*
 * meta_geometry_differs - NULL when the record @sum (valid) belongs to a
 * mirror of geometry @g, else the kernel's reason naming the first field
 * that differs ("metadata belongs to a mirror of another length", ...).
 */
const char *meta_geometry_differs(const struct meta_summary *sum,
				  const struct meta_geometry *g);

#endif /* MIRRORCTL_METADATA_H */
