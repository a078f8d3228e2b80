// SPDX-License-Identifier: GPL-2.0-only
/*
 * dm-mirrorlive: region state and region locks. See mirrorlive-region.h
 * for the contract.
 */
#include <linux/bitmap.h>
#include <linux/err.h>
#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

#include "mirrorlive-gate.h"
#include "mirrorlive-region.h"

/*
 * In-flight writes to uncopied regions, hashed by region. Only a copy
 * locking a region walks a bucket, so a small table is enough.
 */
#define WRITES_HASH_BITS	6

struct mirrorlive_regions {
	/* Protects everything below except what is read locklessly. */
	spinlock_t lock;
	u64 nr_regions;
	sector_t len;
	unsigned int region_shift;
	/* Written under lock, read locklessly (atomic64: no torn 32-bit reads). */
	atomic64_t nr_copied;
	atomic64_t copied_sectors;
	unsigned long *copied;	/* bits only ever set, under lock */

	struct list_head copies;	/* locked regions */
	unsigned int nr_writes;		/* registered writes */
	wait_queue_head_t drained;
	struct hlist_head writes[1 << WRITES_HASH_BITS];

	/*
	 * Writes to copied regions pass it without the lock; closed while
	 * every write is tracked (mirrorlive-gate.h).
	 */
	struct mirrorlive_gate untracked;
};

static struct hlist_head *writes_bucket(struct mirrorlive_regions *rg,
					u64 region)
{
	return &rg->writes[hash_64(region, WRITES_HASH_BITS)];
}

struct mirrorlive_regions *mirrorlive_regions_create(sector_t len,
						     u32 region_sectors)
{
	unsigned int shift = ilog2(region_sectors);
	struct mirrorlive_regions *rg;
	u64 nr_regions;
	unsigned int i;

	nr_regions = (len >> shift) + !!(len & (region_sectors - 1));
	/* The bitmap helpers count bits in an unsigned int. */
	if (!nr_regions || nr_regions > INT_MAX)
		return ERR_PTR(-E2BIG);

	rg = kzalloc(sizeof(*rg), GFP_KERNEL);
	if (!rg)
		return ERR_PTR(-ENOMEM);

	rg->copied = kvcalloc(BITS_TO_LONGS(nr_regions), sizeof(unsigned long),
			      GFP_KERNEL);
	if (!rg->copied || mirrorlive_gate_init(&rg->untracked)) {
		mirrorlive_gate_exit(&rg->untracked);
		kvfree(rg->copied);
		kfree(rg);
		return ERR_PTR(-ENOMEM);
	}

	spin_lock_init(&rg->lock);
	rg->nr_regions = nr_regions;
	rg->len = len;
	rg->region_shift = shift;
	INIT_LIST_HEAD(&rg->copies);
	init_waitqueue_head(&rg->drained);
	for (i = 0; i < ARRAY_SIZE(rg->writes); i++)
		INIT_HLIST_HEAD(&rg->writes[i]);
	atomic64_set(&rg->nr_copied, 0);
	atomic64_set(&rg->copied_sectors, 0);
	return rg;
}

void mirrorlive_regions_destroy(struct mirrorlive_regions *rg)
{
	WARN_ON(rg->nr_writes);
	WARN_ON(!list_empty(&rg->copies));
	mirrorlive_gate_exit(&rg->untracked);
	kvfree(rg->copied);
	kfree(rg);
}

u64 mirrorlive_regions_count(struct mirrorlive_regions *rg)
{
	return rg->nr_regions;
}

u64 mirrorlive_regions_copied(struct mirrorlive_regions *rg)
{
	return atomic64_read(&rg->nr_copied);
}

sector_t mirrorlive_regions_copied_sectors(struct mirrorlive_regions *rg)
{
	return atomic64_read(&rg->copied_sectors);
}

static sector_t region_len(struct mirrorlive_regions *rg, u64 region)
{
	sector_t start = region << rg->region_shift;

	return min_t(sector_t, rg->len - start, 1ULL << rg->region_shift);
}

bool mirrorlive_region_is_copied(struct mirrorlive_regions *rg, u64 region)
{
	return test_bit(region, rg->copied);
}

u64 mirrorlive_region_next_uncopied_before(struct mirrorlive_regions *rg,
					   u64 from, u64 limit)
{
	limit = min(limit, rg->nr_regions);
	if (from >= limit)
		return limit;

	return find_next_zero_bit(rg->copied, limit, from);
}

u64 mirrorlive_region_next_uncopied(struct mirrorlive_regions *rg, u64 from)
{
	return mirrorlive_region_next_uncopied_before(rg, from, rg->nr_regions);
}

u64 mirrorlive_region_next_copied(struct mirrorlive_regions *rg, u64 from)
{
	if (from >= rg->nr_regions)
		return rg->nr_regions;
	return find_next_bit(rg->copied, rg->nr_regions, from);
}

long mirrorlive_regions_untracked(struct mirrorlive_regions *rg)
{
	return mirrorlive_gate_inside(&rg->untracked);
}

void mirrorlive_regions_track_all_begin(struct mirrorlive_regions *rg)
{
	mirrorlive_gate_close(&rg->untracked);
}

void mirrorlive_regions_track_all_end(struct mirrorlive_regions *rg)
{
	mirrorlive_gate_open(&rg->untracked);
}

/*
 * Sectors in the @nr copied regions of a bitmap: whole regions, except that
 * the last region may be short. O(1) beyond the caller's bitmap_weight().
 */
static sector_t sectors_of_copied(struct mirrorlive_regions *rg, u64 nr)
{
	u64 last = rg->nr_regions - 1;
	sector_t sectors = nr << rg->region_shift;

	if (nr && test_bit(last, rg->copied))
		sectors -= (1ULL << rg->region_shift) - region_len(rg, last);
	return sectors;
}

/*
 * The bitmap may hold billions of bits: nothing here walks it bit by bit,
 * and nothing walks it with interrupts off. With no write and no copy in
 * flight (the caller's promise), nobody else changes @to meanwhile.
 */
int mirrorlive_regions_inherit(struct mirrorlive_regions *to,
			       struct mirrorlive_regions *from)
{
	u64 nr;

	if (to->len != from->len || to->region_shift != from->region_shift)
		return -EINVAL;

	WARN_ON(to->nr_writes || !list_empty(&to->copies));
	bitmap_or(to->copied, to->copied, from->copied, to->nr_regions);
	nr = bitmap_weight(to->copied, to->nr_regions);
	atomic64_set(&to->copied_sectors, sectors_of_copied(to, nr));
	atomic64_set(&to->nr_copied, nr);
	return 0;
}

void mirrorlive_regions_import(struct mirrorlive_regions *rg,
			       const unsigned long *bits, u64 first,
			       u32 nbits)
{
	unsigned long flags;
	unsigned int bit;
	u64 region;

	spin_lock_irqsave(&rg->lock, flags);
	for_each_set_bit(bit, bits, nbits) {
		region = first + bit;
		if (region >= rg->nr_regions || test_bit(region, rg->copied))
			continue;
		__set_bit(region, rg->copied);
		atomic64_inc(&rg->nr_copied);
		atomic64_add(region_len(rg, region), &rg->copied_sectors);
	}
	spin_unlock_irqrestore(&rg->lock, flags);
}

void mirrorlive_regions_export(struct mirrorlive_regions *rg,
			       unsigned long *bits, u64 first, u32 nbits)
{
	const unsigned long *from = rg->copied + first / BITS_PER_LONG;
	unsigned int i;

	/* word by word, each read once: bits are only ever set */
	for (i = 0; i < BITS_TO_LONGS(nbits); i++)
		bits[i] = READ_ONCE(from[i]);
	if (nbits % BITS_PER_LONG)
		bits[i - 1] &= BITMAP_LAST_WORD_MASK(nbits);
}

void mirrorlive_regions_mark_all_copied(struct mirrorlive_regions *rg)
{
	WARN_ON(rg->nr_writes || !list_empty(&rg->copies));
	bitmap_set(rg->copied, 0, rg->nr_regions);
	atomic64_set(&rg->copied_sectors, rg->len);
	atomic64_set(&rg->nr_copied, rg->nr_regions);
}

void mirrorlive_regions_forget_all(struct mirrorlive_regions *rg)
{
	WARN_ON(rg->nr_writes || !list_empty(&rg->copies));
	bitmap_zero(rg->copied, rg->nr_regions);
	atomic64_set(&rg->copied_sectors, 0);
	atomic64_set(&rg->nr_copied, 0);
}

static struct mirrorlive_region_copy *
find_copy(struct mirrorlive_regions *rg, u64 region)
{
	struct mirrorlive_region_copy *c;

	list_for_each_entry(c, &rg->copies, list)
		if (c->region == region)
			return c;

	return NULL;
}

enum mirrorlive_write_route
mirrorlive_region_write_begin(struct mirrorlive_regions *rg,
			      struct mirrorlive_region_write *w, u64 region,
			      struct bio *bio)
{
	enum mirrorlive_write_route route;
	struct mirrorlive_region_copy *c;
	unsigned long flags;

	w->counted = mirrorlive_region_is_copied(rg, region) &&
		     mirrorlive_gate_try_enter(&rg->untracked);
	if (w->counted)
		return MIRRORLIVE_WRITE_BOTH;

	spin_lock_irqsave(&rg->lock, flags);
	c = find_copy(rg, region);
	if (c) {
		bio_list_add(&c->deferred, bio);
		route = MIRRORLIVE_WRITE_DEFERRED;
	} else {
		w->region = region;
		w->waiting_copy = NULL;
		hlist_add_head(&w->node, writes_bucket(rg, region));
		rg->nr_writes++;
		route = mirrorlive_region_is_copied(rg, region) ?
			MIRRORLIVE_WRITE_BOTH : MIRRORLIVE_WRITE_SOURCE;
	}
	spin_unlock_irqrestore(&rg->lock, flags);

	return route;
}

void mirrorlive_region_write_end(struct mirrorlive_regions *rg,
				 struct mirrorlive_region_write *w)
{
	struct mirrorlive_region_copy *c;
	unsigned long flags;
	bool drained = false;

	if (w->counted) {
		mirrorlive_gate_leave(&rg->untracked);
		return;
	}

	spin_lock_irqsave(&rg->lock, flags);
	hlist_del(&w->node);
	rg->nr_writes--;
	c = w->waiting_copy;
	if (c)
		drained = !--c->writes_in_flight;
	spin_unlock_irqrestore(&rg->lock, flags);

	if (drained)
		wake_up_all(&rg->drained);
}

bool mirrorlive_region_copy_lock(struct mirrorlive_regions *rg,
				 struct mirrorlive_region_copy *c, u64 region)
{
	struct mirrorlive_region_write *w;
	unsigned long flags;
	bool ready;

	c->region = region;
	c->writes_in_flight = 0;
	bio_list_init(&c->deferred);

	spin_lock_irqsave(&rg->lock, flags);
	WARN_ON_ONCE(find_copy(rg, region));
	list_add_tail(&c->list, &rg->copies);
	hlist_for_each_entry(w, writes_bucket(rg, region), node) {
		if (w->region == region) {
			w->waiting_copy = c;
			c->writes_in_flight++;
		}
	}
	ready = !c->writes_in_flight;
	spin_unlock_irqrestore(&rg->lock, flags);

	return ready;
}

void mirrorlive_region_copy_wait(struct mirrorlive_regions *rg,
				 struct mirrorlive_region_copy *c)
{
	wait_event(rg->drained, !READ_ONCE(c->writes_in_flight));
}

void mirrorlive_region_copy_unlock(struct mirrorlive_regions *rg,
				   struct mirrorlive_region_copy *c,
				   bool copied, struct bio_list *deferred)
{
	struct mirrorlive_region_write *w;
	unsigned long flags;

	spin_lock_irqsave(&rg->lock, flags);
	list_del(&c->list);
	/* A copy abandoned before its writes drained: forget it. */
	if (c->writes_in_flight) {
		WARN_ON_ONCE(copied);
		hlist_for_each_entry(w, writes_bucket(rg, c->region), node)
			if (w->waiting_copy == c)
				w->waiting_copy = NULL;
		c->writes_in_flight = 0;
	}
	if (copied && !test_and_set_bit(c->region, rg->copied)) {
		atomic64_inc(&rg->nr_copied);
		atomic64_add(region_len(rg, c->region), &rg->copied_sectors);
	}
	bio_list_merge(deferred, &c->deferred);
	bio_list_init(&c->deferred);
	spin_unlock_irqrestore(&rg->lock, flags);
}
