// SPDX-License-Identifier: GPL-2.0-only
/*
 * dm-mirrorlive: the write-intent record of a persistent mirror. See
 * mirrorlive-intent.h for the contract.
 *
 * Four bitmaps of one bit per region:
 *   wanted       the bits the next write of their block will hold
 *   durable      the bits the disk holds (the last completed block write)
 *   recent_now   regions a write began for since the last sweep_prepare
 *   recent_prev  the same for the interval before
 * and, per bitmap block, its waiting writes, its writes in flight, and
 * whether a write of it is due or in flight.
 */
#include <linux/bitmap.h>
#include <linux/err.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

#include "mirrorlive-gate.h"
#include "mirrorlive-intent.h"
#include "mirrorlive-meta-format.h"

#define LONGS_PER_BLOCK	(MIRRORLIVE_META_BITS_PER_BLOCK / BITS_PER_LONG)

struct intent_block {
	struct list_head waiting;	/* mirrorlive_intent_write.node */
	unsigned int inflight;		/* writes out, not yet ended */
	unsigned int nr_wanted;
	unsigned int nr_durable;
	bool due;			/* a write of it is needed */
	bool writing;			/* a write of it is in flight */
	bool idle_at_prepare;		/* no write in flight at sweep_prepare */
};

struct mirrorlive_intent {
	spinlock_t lock;		/* protects everything below */
	u64 regions;
	u64 blocks;
	bool failed;			/* a block write failed */
	u64 nr_wanted;
	u64 nr_durable;
	u64 nr_due;			/* blocks due and not being written */
	u64 nr_writing;
	u64 cursor;			/* where next_write looks first */
	unsigned long *wanted;
	unsigned long *durable;
	unsigned long *recent_now;
	unsigned long *recent_prev;
	struct intent_block *blk;

	/*
	 * Writes whose region's bit is on the disk, written since the last
	 * sweep, pass it without the lock; a sweep closes it
	 * (mirrorlive-gate.h). Bits are cleared in memory (sweep_commit) and
	 * on the disk (the blocks written) only while it is closed, so a
	 * write that reads them without the lock reads what the disk holds.
	 */
	struct mirrorlive_gate hot;
};

static u64 block_of(u64 region)
{
	return div_u64(region, MIRRORLIVE_META_BITS_PER_BLOCK);
}

/* The first word of block @index in a whole bitmap. */
static unsigned long *block_words(unsigned long *bits, u64 index)
{
	return bits + index * LONGS_PER_BLOCK;
}

static u32 block_regions(struct mirrorlive_intent *in, u64 index)
{
	return mirrorlive_meta_block_regions(in->regions, index);
}

static unsigned int block_longs(struct mirrorlive_intent *in, u64 index)
{
	return BITS_TO_LONGS(block_regions(in, index));
}

struct mirrorlive_intent *mirrorlive_intent_create(u64 regions)
{
	struct mirrorlive_intent *in;
	size_t longs = BITS_TO_LONGS(regions);
	u64 i;

	in = kzalloc(sizeof(*in), GFP_KERNEL);
	if (!in)
		return ERR_PTR(-ENOMEM);
	spin_lock_init(&in->lock);
	in->regions = regions;
	in->blocks = mirrorlive_meta_bitmap_blocks(regions);
	in->wanted = kvcalloc(longs, sizeof(long), GFP_KERNEL);
	in->durable = kvcalloc(longs, sizeof(long), GFP_KERNEL);
	in->recent_now = kvcalloc(longs, sizeof(long), GFP_KERNEL);
	in->recent_prev = kvcalloc(longs, sizeof(long), GFP_KERNEL);
	in->blk = kvcalloc(in->blocks, sizeof(*in->blk), GFP_KERNEL);
	if (mirrorlive_gate_init(&in->hot) || !in->wanted || !in->durable ||
	    !in->recent_now || !in->recent_prev || !in->blk) {
		mirrorlive_intent_destroy(in);
		return ERR_PTR(-ENOMEM);
	}
	for (i = 0; i < in->blocks; i++)
		INIT_LIST_HEAD(&in->blk[i].waiting);
	return in;
}

void mirrorlive_intent_destroy(struct mirrorlive_intent *in)
{
	u64 i;

	for (i = 0; in->blk && i < in->blocks; i++) {
		WARN_ON(in->blk[i].inflight);
		WARN_ON(!list_empty(&in->blk[i].waiting));
	}
	mirrorlive_gate_exit(&in->hot);
	kvfree(in->blk);
	kvfree(in->recent_prev);
	kvfree(in->recent_now);
	kvfree(in->durable);
	kvfree(in->wanted);
	kfree(in);
}

/* Under the lock: block @b needs a write. */
static void mark_due(struct mirrorlive_intent *in, struct intent_block *b)
{
	if (b->due)
		return;
	b->due = true;
	if (!b->writing)
		in->nr_due++;
}

bool mirrorlive_intent_write_begin(struct mirrorlive_intent *in,
				   struct mirrorlive_intent_write *w,
				   u64 region, struct bio *bio)
{
	struct intent_block *b = &in->blk[block_of(region)];
	unsigned long flags;
	bool go;

	w->region = region;
	w->bio = bio;
	/* Its bit on the disk, written since the last sweep: no lock. */
	w->counted = false;
	if (mirrorlive_gate_try_enter(&in->hot)) {
		w->counted = test_bit(region, in->recent_now) &&
			     test_bit(region, in->wanted) &&
			     test_bit(region, in->durable);
		if (w->counted)
			return true;
		mirrorlive_gate_leave(&in->hot);
	}

	spin_lock_irqsave(&in->lock, flags);
	__set_bit(region, in->recent_now);
	go = in->failed || (test_bit(region, in->durable) &&
			    test_bit(region, in->wanted));
	if (go) {
		b->inflight++;
	} else {
		if (!__test_and_set_bit(region, in->wanted)) {
			b->nr_wanted++;
			in->nr_wanted++;
		}
		list_add_tail(&w->node, &b->waiting);
		mark_due(in, b);
	}
	spin_unlock_irqrestore(&in->lock, flags);
	return go;
}

void mirrorlive_intent_write_end(struct mirrorlive_intent *in,
				 struct mirrorlive_intent_write *w)
{
	struct intent_block *b = &in->blk[block_of(w->region)];
	unsigned long flags;

	if (w->counted) {
		mirrorlive_gate_leave(&in->hot);
		return;
	}
	spin_lock_irqsave(&in->lock, flags);
	if (!WARN_ON(!b->inflight))
		b->inflight--;
	spin_unlock_irqrestore(&in->lock, flags);
}

bool mirrorlive_intent_has_work(struct mirrorlive_intent *in)
{
	unsigned long flags;
	bool work;

	spin_lock_irqsave(&in->lock, flags);
	work = !in->failed && in->nr_due;
	spin_unlock_irqrestore(&in->lock, flags);
	return work;
}

s64 mirrorlive_intent_next_write(struct mirrorlive_intent *in, void *buf,
				 u64 nonce)
{
	struct intent_block *b;
	unsigned long flags;
	s64 found = -ENODATA;
	u64 i, index;

	spin_lock_irqsave(&in->lock, flags);
	for (i = 0; !in->failed && in->nr_due && i < in->blocks; i++) {
		index = in->cursor + i < in->blocks ? in->cursor + i :
						      in->cursor + i - in->blocks;
		b = &in->blk[index];
		if (!b->due || b->writing)
			continue;
		b->due = false;
		b->writing = true;
		in->nr_due--;
		in->nr_writing++;
		in->cursor = index + 1 < in->blocks ? index + 1 : 0;
		mirrorlive_meta_bitmap_encode(buf, MIRRORLIVE_META_KIND_INTENT,
					      index, nonce,
					      block_words(in->wanted, index),
					      block_regions(in, index));
		found = index;
		break;
	}
	spin_unlock_irqrestore(&in->lock, flags);
	return found;
}

/* Under the lock: every waiting write of block @b goes. */
static void release_all(struct intent_block *b, struct bio_list *go)
{
	struct mirrorlive_intent_write *w, *tmp;

	list_for_each_entry_safe(w, tmp, &b->waiting, node) {
		list_del(&w->node);
		b->inflight++;
		bio_list_add(go, w->bio);
	}
}

/* Under the lock: block @index's disk bits are now those of @buf. */
static int take_durable(struct mirrorlive_intent *in, u64 index,
			const void *buf, u64 nonce)
{
	struct intent_block *b = &in->blk[index];
	u32 n = block_regions(in, index);
	unsigned long *words = block_words(in->durable, index);
	int r;

	bitmap_zero(words, n);
	r = mirrorlive_meta_bitmap_decode(buf, MIRRORLIVE_META_KIND_INTENT,
					  index, nonce, words, n);
	in->nr_durable -= b->nr_durable;
	b->nr_durable = bitmap_weight(words, n);
	in->nr_durable += b->nr_durable;
	return r;
}

/* Under the lock: nothing more is recorded; every waiting write goes. */
static void fail_locked(struct mirrorlive_intent *in, struct bio_list *go)
{
	u64 i;

	in->failed = true;
	for (i = 0; i < in->blocks; i++)
		release_all(&in->blk[i], go);
}

void mirrorlive_intent_fail(struct mirrorlive_intent *in, struct bio_list *go)
{
	unsigned long flags;

	spin_lock_irqsave(&in->lock, flags);
	fail_locked(in, go);
	spin_unlock_irqrestore(&in->lock, flags);
}

void mirrorlive_intent_write_done(struct mirrorlive_intent *in, u64 index,
				  const void *buf, u64 nonce, int error,
				  struct bio_list *go)
{
	struct intent_block *b = &in->blk[index];
	struct mirrorlive_intent_write *w, *tmp;
	unsigned long flags;

	spin_lock_irqsave(&in->lock, flags);
	b->writing = false;
	in->nr_writing--;
	if (!error)
		error = take_durable(in, index, buf, nonce);
	if (error) {
		fail_locked(in, go);
		spin_unlock_irqrestore(&in->lock, flags);
		return;
	}
	list_for_each_entry_safe(w, tmp, &b->waiting, node) {
		if (!test_bit(w->region, in->durable) ||
		    !test_bit(w->region, in->wanted))
			continue;
		list_del(&w->node);
		b->inflight++;
		bio_list_add(go, w->bio);
	}
	if (b->due)
		in->nr_due++;
	spin_unlock_irqrestore(&in->lock, flags);
}

bool mirrorlive_intent_sweep_prepare(struct mirrorlive_intent *in)
{
	struct intent_block *b;
	unsigned long flags;
	unsigned int longs;
	bool any = false;
	u64 i;

	/*
	 * Every write from now on takes the lock and counts in its block;
	 * the sum of the others only goes down, so 0 means they all ended.
	 */
	mirrorlive_gate_close(&in->hot);

	for (i = 0; i < in->blocks; i++) {
		b = &in->blk[i];
		longs = block_longs(in, i);
		spin_lock_irqsave(&in->lock, flags);
		memcpy(block_words(in->recent_prev, i),
		       block_words(in->recent_now, i), longs * sizeof(long));
		memset(block_words(in->recent_now, i), 0, longs * sizeof(long));
		b->idle_at_prepare = !b->inflight;
		any |= b->idle_at_prepare && b->nr_wanted;
		spin_unlock_irqrestore(&in->lock, flags);
	}
	if (!any)
		mirrorlive_intent_sweep_end(in);
	return any;
}

void mirrorlive_intent_sweep_end(struct mirrorlive_intent *in)
{
	/* What sweep_commit() and the block writes changed is seen. */
	mirrorlive_gate_open(&in->hot);
}

u64 mirrorlive_intent_sweep_commit(struct mirrorlive_intent *in)
{
	unsigned long *wanted, *prev, *now, clear;
	struct intent_block *b;
	unsigned long flags;
	unsigned int longs, k, n;
	u64 i, cleared = 0;

	for (i = 0; i < in->blocks; i++) {
		b = &in->blk[i];
		longs = block_longs(in, i);
		spin_lock_irqsave(&in->lock, flags);
		if (!b->idle_at_prepare || b->writing || !b->nr_wanted) {
			spin_unlock_irqrestore(&in->lock, flags);
			continue;
		}
		wanted = block_words(in->wanted, i);
		prev = block_words(in->recent_prev, i);
		now = block_words(in->recent_now, i);
		for (k = 0, n = 0; k < longs; k++) {
			clear = wanted[k] & ~prev[k] & ~now[k];
			wanted[k] &= ~clear;
			n += hweight_long(clear);
		}
		if (n) {
			b->nr_wanted -= n;
			in->nr_wanted -= n;
			cleared += n;
			mark_due(in, b);
		}
		spin_unlock_irqrestore(&in->lock, flags);
	}
	return cleared;
}

void mirrorlive_intent_set_all(struct mirrorlive_intent *in)
{
	struct intent_block *b;
	unsigned long flags;
	u32 nbits;
	u64 i;

	for (i = 0; i < in->blocks; i++) {
		b = &in->blk[i];
		nbits = block_regions(in, i);
		spin_lock_irqsave(&in->lock, flags);
		bitmap_set(block_words(in->wanted, i), 0, nbits);
		in->nr_wanted += nbits - b->nr_wanted;
		b->nr_wanted = nbits;
		if (b->nr_durable != nbits)
			mark_due(in, b);
		spin_unlock_irqrestore(&in->lock, flags);
	}
}

void mirrorlive_intent_clear_all(struct mirrorlive_intent *in)
{
	struct intent_block *b;
	unsigned long flags;
	u64 i;

	for (i = 0; i < in->blocks; i++) {
		b = &in->blk[i];
		spin_lock_irqsave(&in->lock, flags);
		WARN_ON(b->inflight || !list_empty(&b->waiting));
		bitmap_zero(block_words(in->wanted, i), block_regions(in, i));
		in->nr_wanted -= b->nr_wanted;
		b->nr_wanted = 0;
		if (b->nr_durable)
			mark_due(in, b);
		spin_unlock_irqrestore(&in->lock, flags);
	}
}

u64 mirrorlive_intent_wanted(struct mirrorlive_intent *in)
{
	unsigned long flags;
	u64 n;

	spin_lock_irqsave(&in->lock, flags);
	n = in->nr_wanted;
	spin_unlock_irqrestore(&in->lock, flags);
	return n;
}

u64 mirrorlive_intent_durable(struct mirrorlive_intent *in)
{
	unsigned long flags;
	u64 n;

	spin_lock_irqsave(&in->lock, flags);
	n = in->nr_durable;
	spin_unlock_irqrestore(&in->lock, flags);
	return n;
}

bool mirrorlive_intent_clean(struct mirrorlive_intent *in)
{
	unsigned long flags;
	bool clean;

	spin_lock_irqsave(&in->lock, flags);
	clean = !in->failed && !in->nr_durable && !in->nr_due &&
		!in->nr_writing;
	spin_unlock_irqrestore(&in->lock, flags);
	return clean;
}
