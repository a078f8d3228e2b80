// SPDX-License-Identifier: GPL-2.0-only
/*
 * metadata.c - reading a mirrorlive metadata device; see metadata.h
 *
 * Built with -Ikcompat: it calls the module's decoder
 * (kernel/mirrorlive-meta-format.c) with the kernel's types.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <linux/bitops.h>
#include <linux/fs.h>

#include "../kernel/mirrorlive-meta-format.h"
#include "errors.h"
#include "log.h"
#include "metadata.h"

#define LONGS_PER_BLOCK	(MIRRORLIVE_META_BITS_PER_BLOCK / BITS_PER_LONG)

const char *meta_state_name(uint32_t state)
{
	switch (state) {
	case MIRRORLIVE_META_STATE_MIGRATING:
		return "migrating";
	case MIRRORLIVE_META_STATE_COMPLETED:
		return "completed";
	case MIRRORLIVE_META_STATE_CANCELLED:
		return "cancelled";
	}
	return "unknown";
}

static void copy_sb(struct meta_sb *o, const struct mirrorlive_meta_sb *sb)
{
	o->seq = sb->seq;
	o->nonce = sb->nonce;
	o->flags = sb->flags;
	o->state = sb->state;
	memcpy(o->mirror_id, sb->geo.mirror_id, sizeof(o->mirror_id));
	o->len = sb->geo.len;
	o->source_offset = sb->geo.source_offset;
	o->dest_offset = sb->geo.dest_offset;
	o->source_sectors = sb->geo.source_sectors;
	o->dest_sectors = sb->geo.dest_sectors;
	o->region_sectors = sb->geo.region_sectors;
	o->regions = sb->regions;
	o->bitmap_blocks = sb->bitmap_blocks;
	o->copied_regions = sb->copied_regions;
	o->format_time = sb->format_time;
	o->commit_time = sb->commit_time;
}

uint64_t meta_copied(const struct meta_summary *sum)
{
	return sum->copied_recorded - sum->dirty;
}

/* Read and decode both superblock slots; choose the live one. */
static int read_slots(const struct meta_reader *rd, void *block,
		      struct mirrorlive_meta_slot *slots,
		      struct meta_summary *sum)
{
	unsigned int s;
	int r;

	for (s = 0; s < MIRRORLIVE_META_SB_SLOTS; s++) {
		r = rd->read(rd->ctx, s, block);
		if (r)
			return r;
		mirrorlive_meta_slot_decode(&slots[s], block);
		sum->slot_result[s] = slots[s].result;
		sum->slot_why[s] = slots[s].why;
		sum->slot_seq[s] = slots[s].result ? 0 : slots[s].sb.seq;
	}
	return mirrorlive_meta_sb_pick(slots, &sum->why);
}

/* Count the bitmaps, one pair of blocks at a time. */
static int count_bitmaps(const struct meta_reader *rd, void *block,
			 const struct mirrorlive_meta_sb *sb,
			 struct meta_summary *sum)
{
	unsigned long copied[LONGS_PER_BLOCK], intent[LONGS_PER_BLOCK];
	const u32 copied_kind = MIRRORLIVE_META_KIND_COPIED;
	const u32 intent_kind = MIRRORLIVE_META_KIND_INTENT;
	u64 copied_start, intent_start, i;
	unsigned long both;
	unsigned int w;
	u32 n;
	int r;

	copied_start = mirrorlive_meta_bitmap_start(sb->bitmap_blocks,
						    copied_kind);
	intent_start = mirrorlive_meta_bitmap_start(sb->bitmap_blocks,
						    intent_kind);
	for (i = 0; i < sb->bitmap_blocks; i++) {
		n = mirrorlive_meta_block_regions(sb->regions, i);
		memset(copied, 0, sizeof(copied));
		memset(intent, 0, sizeof(intent));

		r = rd->read(rd->ctx, copied_start + i, block);
		if (r)
			return r;
		if (mirrorlive_meta_bitmap_decode(block, copied_kind, i,
						  sb->nonce, copied, n))
			sum->invalid_copied_blocks++;

		r = rd->read(rd->ctx, intent_start + i, block);
		if (r)
			return r;
		if (mirrorlive_meta_bitmap_decode(block, intent_kind, i,
						  sb->nonce, intent, n)) {
			/* not trusted: every region of it is dirty */
			sum->invalid_intent_blocks++;
			memset(intent, 0xff, sizeof(intent));
		}

		/* bits past n are zero in copied, so intent's do not count */
		for (w = 0; w < LONGS_PER_BLOCK; w++) {
			sum->copied_recorded += __builtin_popcountl(copied[w]);
			both = copied[w] & intent[w];
			sum->dirty += __builtin_popcountl(both);
		}
	}
	return 0;
}

int meta_summarize(const struct meta_reader *rd, struct meta_summary *sum)
{
	struct mirrorlive_meta_slot slots[MIRRORLIVE_META_SB_SLOTS];
	void *block;
	int r;

	memset(sum, 0, sizeof(*sum));
	sum->live = -1;
	sum->device_blocks = rd->blocks;
	if (rd->blocks < MIRRORLIVE_META_SB_SLOTS) {
		sum->why =
			"metadata device is smaller than its two superblocks";
		return -ENOSPC;
	}
	/* O_DIRECT wants an aligned buffer */
	block = aligned_alloc(MIRRORLIVE_META_BLOCK_SIZE,
			      MIRRORLIVE_META_BLOCK_SIZE);
	if (!block)
		return -ENOMEM;

	r = read_slots(rd, block, slots, sum);
	if (r < 0)
		goto out;
	sum->live = r;
	copy_sb(&sum->sb, &slots[r].sb);
	sum->needed_blocks = mirrorlive_meta_device_sectors(sum->sb.regions) /
			     MIRRORLIVE_META_BLOCK_SECTORS;
	if (rd->blocks < sum->needed_blocks) {
		sum->why = "metadata device is smaller than its geometry needs";
		r = -ENOSPC;
		goto out;
	}
	r = count_bitmaps(rd, block, &slots[sum->live].sb, sum);
out:
	free(block);
	return r;
}

static void kernel_geometry(const struct meta_geometry *g,
			    struct mirrorlive_meta_geometry *k)
{
	memset(k, 0, sizeof(*k));
	memcpy(k->mirror_id, g->mirror_id, sizeof(k->mirror_id));
	k->len = g->len;
	k->source_offset = g->source_offset;
	k->source_sectors = g->source_sectors;
	k->dest_offset = g->dest_offset;
	k->dest_sectors = g->dest_sectors;
	k->region_sectors = g->region_sectors;
}

int meta_parse_mirror_id(const char *hex, struct meta_geometry *g)
{
	unsigned int i, byte;

	memset(g->mirror_id, 0, sizeof(g->mirror_id));
	if (!*hex)
		return 0;
	if (strlen(hex) != 2 * sizeof(g->mirror_id))
		return -EINVAL;
	for (i = 0; i < sizeof(g->mirror_id); i++) {
		if (sscanf(hex + 2 * i, "%2x", &byte) != 1)
			return -EINVAL;
		g->mirror_id[i] = (uint8_t)byte;
	}
	return 0;
}

uint64_t meta_needed_bytes(const struct meta_geometry *g)
{
	return mirrorlive_meta_device_sectors(
		mirrorlive_meta_regions(g->len, g->region_sectors)) << 9;
}

const char *meta_geometry_differs(const struct meta_summary *sum,
				  const struct meta_geometry *g)
{
	struct mirrorlive_meta_geometry want;
	struct mirrorlive_meta_sb sb = { 0 };
	const char *why = NULL;

	kernel_geometry(g, &want);
	memcpy(sb.geo.mirror_id, sum->sb.mirror_id, sizeof(sb.geo.mirror_id));
	sb.geo.len = sum->sb.len;
	sb.geo.source_offset = sum->sb.source_offset;
	sb.geo.source_sectors = sum->sb.source_sectors;
	sb.geo.dest_offset = sum->sb.dest_offset;
	sb.geo.dest_sectors = sum->sb.dest_sectors;
	sb.geo.region_sectors = sum->sb.region_sectors;
	return mirrorlive_meta_geometry_check(&sb, &want, &why) ? why : NULL;
}

/* ------------------------------------------------------------------ */
/* a file or block device */

struct path_ctx {
	const char *path;
	int fd;
};

static int read_path_block(void *ctx, uint64_t block, void *buf)
{
	struct path_ctx *p = ctx;
	ssize_t n;

	n = pread(p->fd, buf, MIRRORLIVE_META_BLOCK_SIZE,
		  (off_t)(block * MIRRORLIVE_META_BLOCK_SIZE));
	if (n == MIRRORLIVE_META_BLOCK_SIZE)
		return 0;
	if (n < 0) {
		log_err("%s: cannot read block %llu: %s", p->path,
			(unsigned long long)block, strerror(errno));
		return -errno;
	}
	log_err("%s: cannot read block %llu: only %zd bytes", p->path,
		(unsigned long long)block, n);
	return -EIO;
}

/* The size of the open file or block device @fd, in bytes. */
static int path_size(const char *path, int fd, uint64_t *bytes)
{
	struct stat st;

	if (fstat(fd, &st)) {
		log_err("%s: cannot stat: %s", path, strerror(errno));
		return -errno;
	}
	if (S_ISREG(st.st_mode)) {
		*bytes = (uint64_t)st.st_size;
		return 0;
	}
	if (!S_ISBLK(st.st_mode)) {
		log_err("%s: neither a block device nor a file", path);
		return -MCTL_EPRECOND;
	}
	if (ioctl(fd, BLKGETSIZE64, bytes)) {
		log_err("%s: cannot get its size: %s", path, strerror(errno));
		return -errno;
	}
	return 0;
}

int meta_read_path(const char *path, struct meta_summary *sum)
{
	struct path_ctx p = { .path = path };
	struct meta_reader rd = { .read = read_path_block, .ctx = &p };
	uint64_t bytes;
	int r;

	/* the module writes past the page cache: read past it too */
	p.fd = open(path, O_RDONLY | O_DIRECT | O_CLOEXEC);
	if (p.fd < 0 && errno == EINVAL)	/* tmpfs has no O_DIRECT */
		p.fd = open(path, O_RDONLY | O_CLOEXEC);
	if (p.fd < 0) {
		r = -errno;
		log_err("%s: cannot open: %s", path, strerror(errno));
		return r;
	}
	r = path_size(path, p.fd, &bytes);
	if (!r) {
		rd.blocks = bytes / MIRRORLIVE_META_BLOCK_SIZE;
		r = meta_summarize(&rd, sum);
	}
	close(p.fd);
	return r;
}

int meta_zero_slots(const char *meta)
{
	static const char zero[2 * MIRRORLIVE_META_BLOCK_SIZE];
	int fd, r = 0;

	fd = open(meta, O_WRONLY | O_EXCL | O_CLOEXEC);
	if (fd < 0 ||
	    pwrite(fd, zero, sizeof(zero), 0) != (ssize_t)sizeof(zero) ||
	    fsync(fd)) {
		r = -errno;
		log_err("%s: cannot overwrite its record: %s", meta,
			strerror(errno));
	}
	if (fd >= 0)
		close(fd);
	return r;
}
