// SPDX-License-Identifier: GPL-2.0-only
/*
 * dm-mirrorlive: a persistent mirror's metadata device. See
 * mirrorlive-meta.h for the contract.
 */
#include <linux/blkdev.h>
#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include "mirrorlive-meta.h"

#define DM_MSG_PREFIX "mirrorlive"

#define LONGS_PER_BLOCK	(MIRRORLIVE_META_BITS_PER_BLOCK / BITS_PER_LONG)
/* Copied-bitmap blocks committed per flush of the destination. */
#define COMMIT_BATCH	16

struct mirrorlive_meta {
	struct mirrorlive_meta_params p;
	struct dm_dev *dev;
	u64 regions;
	u64 bitmap_blocks;

	/* Serialises the metadata I/O of the worker and of the hooks. */
	struct mutex io_lock;
	struct mirrorlive_meta_sb sb;	/* the live superblock, once known */
	bool formatted;			/* sb is valid */
	bool went_live;			/* the bitmaps were written once */
	bool stopped;			/* stop finished: an outcome may follow */
	bool failed;			/* an I/O error: nothing more is written */
	/* sb's geometry is this mirror's with the legs swapped */
	bool legs_swapped;
	/* this table reverses the mirror of sb: go_live takes it over */
	bool reversing;

	struct mirrorlive_intent *intent;
	struct delayed_work work;
	bool running;			/* the worker re-arms itself */
	unsigned long next_sweep;	/* jiffies */

	/* copied regions per copied-bitmap block, as last committed */
	u32 *committed;
	u64 committed_total;

	struct page *page;		/* superblock and intent block I/O */
	struct page *batch[COMMIT_BATCH];
	u64 batch_index[COMMIT_BATCH];
	u32 batch_weight[COMMIT_BATCH];
	unsigned long *bits;		/* one block's worth */
	unsigned long *bits2;
};

/* ---- block I/O, synchronous, process context ---- */

static int meta_io(struct mirrorlive_meta *m, blk_opf_t opf, u64 block,
		   struct page *page)
{
	struct bio_vec bvec;
	struct bio bio;
	int r;

	bio_init(&bio, m->dev->bdev, &bvec, 1, opf | REQ_SYNC);
	bio.bi_iter.bi_sector = block * MIRRORLIVE_META_BLOCK_SECTORS;
	__bio_add_page(&bio, page, MIRRORLIVE_META_BLOCK_SIZE, 0);
	r = submit_bio_wait(&bio);
	bio_uninit(&bio);
	return r;
}

static int meta_read(struct mirrorlive_meta *m, u64 block, struct page *page)
{
	return meta_io(m, REQ_OP_READ, block, page);
}

/* Durable when it returns 0: FUA. */
static int meta_write(struct mirrorlive_meta *m, u64 block, struct page *page)
{
	return meta_io(m, REQ_OP_WRITE | REQ_FUA, block, page);
}

/* With io_lock held: nothing more is written; the mirror fails. */
static void meta_failed(struct mirrorlive_meta *m, const char *what, int r)
{
	struct bio_list go = BIO_EMPTY_LIST;

	if (!m->failed)
		DMERR("%s: metadata device %s: %s failed (%d); the mirror fails",
		      dm_table_device_name(m->p.ti->table), m->dev->name, what,
		      r);
	m->failed = true;
	m->running = false;
	/* a write waiting for its bit goes, to the source only */
	m->p.failed(m->p.context);
	mirrorlive_intent_fail(m->intent, &go);
	if (!bio_list_empty(&go))
		m->p.release(m->p.context, &go);
}

/* ---- the superblock ---- */

/* Whether m->sb is the record of this mirror with its legs swapped. */
static bool reverses(struct mirrorlive_meta *m)
{
	struct mirrorlive_meta_geometry rev;
	const char *ignored;

	mirrorlive_meta_geometry_reversed(&m->p.geo, &rev);
	return !mirrorlive_meta_geometry_check(&m->sb, &rev, &ignored);
}

/*
 * Read both slots and choose; sets m->sb, m->formatted and m->legs_swapped
 * (the record is the reversed mirror's, which may_reverse accepts).
 */
static int read_superblock(struct mirrorlive_meta *m, const char **why)
{
	struct mirrorlive_meta_slot slots[MIRRORLIVE_META_SB_SLOTS];
	unsigned int s;
	int r;

	for (s = 0; s < MIRRORLIVE_META_SB_SLOTS; s++) {
		r = meta_read(m, s, m->page);
		if (r) {
			*why = "Cannot read the metadata superblock";
			return r;
		}
		mirrorlive_meta_slot_decode(&slots[s], page_address(m->page));
	}
	r = mirrorlive_meta_sb_pick(slots, why);
	if (r == -ENODATA) {
		m->formatted = false;
		return 0;
	}
	if (r < 0)
		return r;
	m->sb = slots[r].sb;
	m->formatted = true;
	r = mirrorlive_meta_geometry_check(&m->sb, &m->p.geo, why);
	m->legs_swapped = r && m->p.may_reverse && reverses(m);
	return m->legs_swapped ? 0 : r;
}

/*
 * A state the record may be in for this table to take it up: migrating;
 * for one that may reverse it, also completed (the mirror it reverses
 * records its outcome while suspended, after this table's constructor).
 */
static bool state_allowed(struct mirrorlive_meta *m)
{
	return m->sb.state == MIRRORLIVE_META_STATE_MIGRATING ||
		(m->p.may_reverse &&
		 m->sb.state == MIRRORLIVE_META_STATE_COMPLETED);
}

/*
 * At the first resume, the record just read must be this mirror's. A
 * table that reverses the mirror recorded takes the record over: this
 * mirror's geometry, formatted now, the legs' orientation flipped, with
 * the same nonce (its bitmap blocks are written next, from memory).
 */
static int claim_record(struct mirrorlive_meta *m, const char **why)
{
	if (!m->formatted)
		return 0;
	if (m->reversing) {
		if (!state_allowed(m)) {
			*why = "Metadata records a finished migration";
			return -EINVAL;
		}
		m->sb.geo = m->p.geo;
		m->sb.format_time = ktime_get_real_seconds();
		m->sb.flags ^= MIRRORLIVE_META_SB_REVERSED;
		m->reversing = false;
		m->legs_swapped = false;
		return 0;
	}
	if (m->legs_swapped) {
		*why = "Metadata belongs to the reversed mirror: load over it";
		return -EINVAL;
	}
	if (m->sb.state != MIRRORLIVE_META_STATE_MIGRATING) {
		*why = "Metadata records a finished migration";
		return -EINVAL;
	}
	return 0;
}

/* Commit @clean and @state in the slot after the live one. */
static int write_superblock(struct mirrorlive_meta *m, bool clean, u32 state)
{
	struct mirrorlive_meta_sb sb = m->sb;
	int r;

	if (m->formatted)
		sb.seq++;
	sb.flags &= ~MIRRORLIVE_META_SB_CLEAN;
	if (clean)
		sb.flags |= MIRRORLIVE_META_SB_CLEAN;
	sb.state = state;
	sb.copied_regions = m->committed_total;
	sb.commit_time = ktime_get_real_seconds();
	mirrorlive_meta_sb_encode(&sb, page_address(m->page));
	r = meta_write(m, sb.seq % MIRRORLIVE_META_SB_SLOTS, m->page);
	if (!r) {
		m->sb = sb;
		m->formatted = true;
	}
	return r;
}

/* ---- copied bits ---- */

static u64 copied_block(struct mirrorlive_meta *m, u64 index)
{
	return mirrorlive_meta_bitmap_start(m->bitmap_blocks,
					    MIRRORLIVE_META_KIND_COPIED) + index;
}

static u64 intent_block(struct mirrorlive_meta *m, u64 index)
{
	return mirrorlive_meta_bitmap_start(m->bitmap_blocks,
					    MIRRORLIVE_META_KIND_INTENT) + index;
}

/*
 * Commit copied bits: snapshot the changed blocks (at most COMMIT_BATCH),
 * flush the destination, then write them, so that no bit reaches the disk
 * before the data it stands for. @all: every block, changed or not (the
 * first time live). Returns the number of blocks written, or -errno.
 */
static int commit_copied(struct mirrorlive_meta *m, bool all, u64 *from)
{
	unsigned int n = 0, i;
	u64 index;
	u32 nbits, weight;
	int r;

	for (index = *from; index < m->bitmap_blocks && n < COMMIT_BATCH;
	     index++) {
		nbits = mirrorlive_meta_block_regions(m->regions, index);
		if (!all && m->committed[index] == nbits)
			continue;	/* full: never changes again */
		mirrorlive_regions_export(m->p.regions, m->bits,
					  index * MIRRORLIVE_META_BITS_PER_BLOCK,
					  nbits);
		weight = bitmap_weight(m->bits, nbits);
		if (!all && weight == m->committed[index])
			continue;
		mirrorlive_meta_bitmap_encode(page_address(m->batch[n]),
					      MIRRORLIVE_META_KIND_COPIED,
					      index, m->sb.nonce, m->bits,
					      nbits);
		m->batch_weight[n] = weight;
		m->batch_index[n++] = index;
	}
	*from = index;
	if (!n)
		return 0;
	r = blkdev_issue_flush(m->p.dest);
	if (r)
		return r;
	for (i = 0; i < n; i++) {
		index = m->batch_index[i];
		r = meta_write(m, copied_block(m, index), m->batch[i]);
		if (r)
			return r;
		weight = m->batch_weight[i];
		m->committed_total = m->committed_total - m->committed[index] +
				     weight;
		m->committed[index] = weight;
	}
	return n;
}

static int commit_all_copied(struct mirrorlive_meta *m, bool all)
{
	u64 from = 0;
	int r;

	do {
		r = commit_copied(m, all, &from);
	} while (r >= 0 && from < m->bitmap_blocks);
	return r < 0 ? r : 0;
}

/* ---- write intent ---- */

/* Write every intent block that is due; release what they cover. */
static int write_intent_blocks(struct mirrorlive_meta *m)
{
	struct bio_list go = BIO_EMPTY_LIST;
	s64 index;
	int r;

	while ((index = mirrorlive_intent_next_write(m->intent,
						     page_address(m->page),
						     m->sb.nonce)) >= 0) {
		r = meta_write(m, intent_block(m, index), m->page);
		mirrorlive_intent_write_done(m->intent, index,
					     page_address(m->page),
					     m->sb.nonce, r, &go);
		if (!bio_list_empty(&go))
			m->p.release(m->p.context, &go);
		if (r)
			return r;
	}
	return 0;
}

static int sweep(struct mirrorlive_meta *m)
{
	int r;

	if (!mirrorlive_intent_sweep_prepare(m->intent))
		return 0;
	r = blkdev_issue_flush(m->p.source);
	if (!r)
		r = blkdev_issue_flush(m->p.dest);
	/* a destination that failed meanwhile may miss what the bits cover */
	if (m->p.mirror_failed(m->p.context)) {
		r = 0;
	} else if (!r) {
		mirrorlive_intent_sweep_commit(m->intent);
		r = write_intent_blocks(m);
	}
	/* after a failed block write every write goes anyway */
	mirrorlive_intent_sweep_end(m->intent);
	return r;
}

static void meta_work_fn(struct work_struct *work)
{
	struct mirrorlive_meta *m = container_of(to_delayed_work(work),
						 struct mirrorlive_meta, work);
	const char *what = "writing a write-intent block";
	int r;

	mutex_lock(&m->io_lock);
	if (!m->running || m->failed)
		goto out;
	r = write_intent_blocks(m);
	if (m->p.mirror_failed(m->p.context))
		goto rearm;	/* stop() marks every region dirty */
	if (!r && mirrorlive_regions_copied(m->p.regions) !=
		  m->committed_total) {
		what = "committing copied regions";
		r = commit_all_copied(m, false);
	}
	if (!r && time_after_eq(jiffies, m->next_sweep)) {
		what = "sweeping write-intent bits";
		r = sweep(m);
		m->next_sweep = jiffies + MIRRORLIVE_META_SWEEP_SECONDS * HZ;
	}
rearm:
	if (r)
		meta_failed(m, what, r);
	else
		queue_delayed_work(m->p.wq, &m->work, HZ);
out:
	mutex_unlock(&m->io_lock);
}

/* ---- the contract ---- */

static int alloc_buffers(struct mirrorlive_meta *m)
{
	unsigned int i;

	m->page = alloc_page(GFP_KERNEL);
	m->bits = kcalloc(LONGS_PER_BLOCK, sizeof(long), GFP_KERNEL);
	m->bits2 = kcalloc(LONGS_PER_BLOCK, sizeof(long), GFP_KERNEL);
	m->committed = kvcalloc(m->bitmap_blocks, sizeof(u32), GFP_KERNEL);
	if (!m->page || !m->bits || !m->bits2 || !m->committed)
		return -ENOMEM;
	for (i = 0; i < COMMIT_BATCH; i++) {
		m->batch[i] = alloc_page(GFP_KERNEL);
		if (!m->batch[i])
			return -ENOMEM;
	}
	return 0;
}

static void free_buffers(struct mirrorlive_meta *m)
{
	unsigned int i;

	for (i = 0; i < COMMIT_BATCH; i++)
		if (m->batch[i])
			__free_page(m->batch[i]);
	kvfree(m->committed);
	kfree(m->bits2);
	kfree(m->bits);
	if (m->page)
		__free_page(m->page);
}

int mirrorlive_meta_open(const struct mirrorlive_meta_params *p,
			 struct mirrorlive_meta **out)
{
	struct dm_target *ti = p->ti;
	struct mirrorlive_meta *m;
	const char *why = NULL;
	int r;

	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m) {
		ti->error = "Cannot allocate metadata state";
		return -ENOMEM;
	}
	m->p = *p;
	mutex_init(&m->io_lock);
	INIT_DELAYED_WORK(&m->work, meta_work_fn);
	m->regions = mirrorlive_meta_regions(p->geo.len,
					     p->geo.region_sectors);
	m->bitmap_blocks = mirrorlive_meta_bitmap_blocks(m->regions);

	r = dm_get_device(ti, p->path, dm_table_get_mode(ti->table), &m->dev);
	if (r) {
		ti->error = "Error opening metadata device";
		goto out_free;
	}
	r = -EINVAL;
	if (m->dev->bdev == p->source || m->dev->bdev == p->dest) {
		ti->error = "Metadata device is a leg of the mirror";
		goto out_put;
	}
	if (m->dev->bdev->bd_disk == p->mirror_disk) {
		ti->error = "Metadata device is the mirror device itself";
		goto out_put;
	}
	if (bdev_nr_sectors(m->dev->bdev) <
	    mirrorlive_meta_device_sectors(m->regions)) {
		ti->error = "Metadata device too small for the mapping";
		goto out_put;
	}
	if (bdev_logical_block_size(m->dev->bdev) > MIRRORLIVE_META_BLOCK_SIZE) {
		ti->error = "Metadata device blocks larger than 4 KiB";
		goto out_put;
	}
	r = alloc_buffers(m);
	if (r) {
		ti->error = "Cannot allocate metadata buffers";
		goto out_put;
	}
	m->intent = mirrorlive_intent_create(m->regions);
	if (IS_ERR(m->intent)) {
		r = PTR_ERR(m->intent);
		m->intent = NULL;
		ti->error = "Cannot allocate the write-intent record";
		goto out_put;
	}
	r = read_superblock(m, &why);
	if (r) {
		ti->error = (char *)why;
		goto out_put;
	}
	if (m->formatted && !state_allowed(m)) {
		ti->error = "Metadata records a finished migration";
		r = -EINVAL;
		goto out_put;
	}
	*out = m;
	return 0;

out_put:
	if (m->intent)
		mirrorlive_intent_destroy(m->intent);
	free_buffers(m);
	dm_put_device(ti, m->dev);
out_free:
	kfree(m);
	return r;
}

void mirrorlive_meta_close(struct mirrorlive_meta *m)
{
	m->running = false;
	cancel_delayed_work_sync(&m->work);
	mirrorlive_intent_destroy(m->intent);
	free_buffers(m);
	dm_put_device(m->p.ti, m->dev);
	mutex_destroy(&m->io_lock);
	kfree(m);
}

void mirrorlive_meta_reverse(struct mirrorlive_meta *m)
{
	mutex_lock(&m->io_lock);
	m->reversing = true;
	mutex_unlock(&m->io_lock);
}

const char *mirrorlive_meta_needs_reversal(struct mirrorlive_meta *m)
{
	if (m->legs_swapped)
		return "Metadata belongs to the reversed mirror: load over it";
	if (m->formatted && m->sb.state == MIRRORLIVE_META_STATE_COMPLETED)
		return "Metadata records a finished migration";
	return NULL;
}

const char *mirrorlive_meta_name(struct mirrorlive_meta *m)
{
	return m->dev->name;
}

struct block_device *mirrorlive_meta_bdev(struct mirrorlive_meta *m)
{
	return m->dev->bdev;
}

/* The bitmap block of @kind and @index read into m->page, into @bits. */
static int decode_block(struct mirrorlive_meta *m, u32 kind, u64 index,
			unsigned long *bits)
{
	return mirrorlive_meta_bitmap_decode(page_address(m->page), kind, index,
			m->sb.nonce, bits,
			mirrorlive_meta_block_regions(m->regions, index));
}

int mirrorlive_meta_load(struct mirrorlive_meta *m)
{
	const char *why = NULL;
	u64 index;
	u32 nbits;
	int r;

	mutex_lock(&m->io_lock);
	r = read_superblock(m, &why);
	if (r || !m->formatted)
		goto out;
	for (index = 0; index < m->bitmap_blocks; index++) {
		nbits = mirrorlive_meta_block_regions(m->regions, index);
		bitmap_zero(m->bits, MIRRORLIVE_META_BITS_PER_BLOCK);
		bitmap_zero(m->bits2, MIRRORLIVE_META_BITS_PER_BLOCK);
		r = meta_read(m, copied_block(m, index), m->page);
		if (r)
			goto out;
		if (decode_block(m, MIRRORLIVE_META_KIND_COPIED, index, m->bits))
			continue;	/* not trusted: nothing copied */
		r = meta_read(m, intent_block(m, index), m->page);
		if (r)
			goto out;
		if (decode_block(m, MIRRORLIVE_META_KIND_INTENT, index, m->bits2))
			continue;	/* not trusted: all dirty */
		bitmap_andnot(m->bits, m->bits, m->bits2, nbits);
		mirrorlive_regions_import(m->p.regions, m->bits,
					  index * MIRRORLIVE_META_BITS_PER_BLOCK,
					  nbits);
	}
out:
	mutex_unlock(&m->io_lock);
	if (r)
		DMERR("%s: metadata device %s: cannot load it (%d)",
		      dm_table_device_name(m->p.ti->table), m->dev->name, r);
	return r;
}

/* Write every intent block empty: the disk then matches the record. */
static int clear_intent_blocks(struct mirrorlive_meta *m)
{
	u64 index;
	u32 nbits;
	int r;

	bitmap_zero(m->bits, MIRRORLIVE_META_BITS_PER_BLOCK);
	for (index = 0; index < m->bitmap_blocks; index++) {
		nbits = mirrorlive_meta_block_regions(m->regions, index);
		mirrorlive_meta_bitmap_encode(page_address(m->page),
					      MIRRORLIVE_META_KIND_INTENT,
					      index, m->sb.nonce, m->bits,
					      nbits);
		r = meta_write(m, intent_block(m, index), m->page);
		if (r)
			return r;
	}
	return 0;
}

int mirrorlive_meta_go_live(struct mirrorlive_meta *m)
{
	const char *why = NULL;
	int r = 0;

	mutex_lock(&m->io_lock);
	if (m->failed) {
		r = -EIO;
		goto out;
	}
	if (!m->went_live) {
		/* a table it replaced may have committed since the ctr */
		r = read_superblock(m, &why);
		if (!r)
			r = claim_record(m, &why);
		if (r)
			goto out;
		if (!m->formatted)
			mirrorlive_meta_sb_init(&m->sb, &m->p.geo,
						get_random_u64(),
						ktime_get_real_seconds());
		r = clear_intent_blocks(m);
		if (!r)
			r = commit_all_copied(m, true);
		if (r)
			goto out;
		m->went_live = true;
	}
	/* live again: a recorded outcome was rolled back (section 3) */
	m->stopped = false;
	r = write_superblock(m, false, MIRRORLIVE_META_STATE_MIGRATING);
	if (r)
		goto out;
	m->running = true;
	m->next_sweep = jiffies + MIRRORLIVE_META_SWEEP_SECONDS * HZ;
	queue_delayed_work(m->p.wq, &m->work, HZ);
out:
	if (r)
		meta_failed(m, why ? why : "going live", r);
	mutex_unlock(&m->io_lock);
	return r;
}

void mirrorlive_meta_stop(struct mirrorlive_meta *m, bool mirror_failed)
{
	const char *what = "committing copied regions";
	int r;

	mutex_lock(&m->io_lock);
	m->running = false;
	mutex_unlock(&m->io_lock);
	cancel_delayed_work_sync(&m->work);

	mutex_lock(&m->io_lock);
	if (m->failed || !m->went_live) {
		mutex_unlock(&m->io_lock);
		return;
	}
	if (mirror_failed) {
		/* the destination may have missed writes: trust no region */
		what = "marking every region dirty";
		mirrorlive_intent_set_all(m->intent);
		r = write_intent_blocks(m);
		if (!r)
			r = write_superblock(m, false, m->sb.state);
		goto out;
	}
	r = commit_all_copied(m, false);
	if (!r) {
		what = "flushing the legs";
		r = blkdev_issue_flush(m->p.source);
	}
	if (!r)
		r = blkdev_issue_flush(m->p.dest);
	if (!r) {
		what = "clearing write-intent bits";
		mirrorlive_intent_clear_all(m->intent);
		r = write_intent_blocks(m);
	}
	if (!r) {
		what = "writing the clean superblock";
		r = write_superblock(m, true, m->sb.state);
	}
out:
	if (r)
		meta_failed(m, what, r);
	else
		m->stopped = true;
	mutex_unlock(&m->io_lock);
}

int mirrorlive_meta_record_outcome(struct mirrorlive_meta *m, u32 state)
{
	int r;

	mutex_lock(&m->io_lock);
	if (m->failed) {
		r = -EIO;
	} else if (!m->stopped) {
		r = -EBUSY;
	} else {
		r = write_superblock(m, m->sb.flags & MIRRORLIVE_META_SB_CLEAN,
				     state);
		if (r)
			meta_failed(m, "recording the outcome", r);
	}
	mutex_unlock(&m->io_lock);
	return r;
}

bool mirrorlive_meta_write_begin(struct mirrorlive_meta *m,
				 struct mirrorlive_intent_write *w,
				 u64 region, struct bio *bio)
{
	if (mirrorlive_intent_write_begin(m->intent, w, region, bio))
		return true;
	mod_delayed_work(m->p.wq, &m->work, 0);
	return false;
}

void mirrorlive_meta_write_end(struct mirrorlive_meta *m,
			       struct mirrorlive_intent_write *w)
{
	mirrorlive_intent_write_end(m->intent, w);
}

u64 mirrorlive_meta_dirty(struct mirrorlive_meta *m)
{
	return mirrorlive_intent_durable(m->intent);
}
