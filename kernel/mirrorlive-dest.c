// SPDX-License-Identifier: GPL-2.0-only
/*
 * dm-mirrorlive: guest I/O to the destination that can be let go of. See
 * mirrorlive-dest.h for the contract.
 *
 * Every clone in flight is on one list, under a lock taken twice per
 * clone (submission and completion), never across I/O. Detaching moves
 * them off it under the lock and marks them, so that each clone is ended
 * either by its completion (done()) or by the detach, never by both.
 */
#include <linux/mm.h>
#include <linux/blk-cgroup.h>

#include "mirrorlive-dest.h"

struct dest_clone {
	struct mirrorlive_dest_ios *d;
	bio_end_io_t *done;
	struct list_head in_flight;	/* on d->in_flight until let go of */
	struct list_head let_go;	/* on mirrorlive_dest_detach()'s list */
	bool detached;
	bool pages_held;
	struct bio bio;			/* last: the bio set's front pad */
};

static struct dest_clone *dest_clone_of(struct bio *bio)
{
	return container_of(bio, struct dest_clone, bio);
}

int mirrorlive_dest_ios_init(struct mirrorlive_dest_ios *d,
			     struct block_device *bdev,
			     void (*hold)(void *context),
			     void (*release)(void *context), void *context)
{
	d->bdev = bdev;
	d->hold = hold;
	d->release = release;
	d->context = context;
	spin_lock_init(&d->lock);
	INIT_LIST_HEAD(&d->in_flight);
	d->detached = false;

	/*
	 * No rescuer (a thread per mirror): a map call allocates at most one
	 * clone from here, and dm core maps one piece of a bio per
	 * submission (the rest goes back through submit_bio_noacct()), so a
	 * clone waiting in the pool never waits for one of ours still on
	 * current->bio_list: those to the destination, another queue, are
	 * submitted before dm core maps the next piece. dm core's own clone
	 * bio_set has none for the same reason. Clones own their bvecs.
	 */
	return bioset_init(&d->bios, BIO_POOL_SIZE,
			   offsetof(struct dest_clone, bio), BIOSET_NEED_BVECS);
}

void mirrorlive_dest_ios_exit(struct mirrorlive_dest_ios *d)
{
	WARN_ON(!list_empty(&d->in_flight));
	bioset_exit(&d->bios);
}

/* Call @fn on every page of @bio's own bvec table. */
static bool on_every_page(struct bio *bio, bool (*fn)(struct page *page))
{
	unsigned int i, p, first, last;
	struct bio_vec *bv;

	for (i = 0; i < bio->bi_vcnt; i++) {
		bv = &bio->bi_io_vec[i];
		first = bv->bv_offset >> PAGE_SHIFT;
		last = (bv->bv_offset + bv->bv_len - 1) >> PAGE_SHIFT;
		for (p = first; p <= last; p++)
			if (!fn(nth_page(bv->bv_page, p)))
				return false;
	}
	return true;
}

static bool not_slab(struct page *page)
{
	return !PageSlab(page);
}

static bool get_one(struct page *page)
{
	get_page(page);
	return true;
}

static bool put_one(struct page *page)
{
	put_page(page);
	return true;
}

/*
 * Keep the pages of a clone let go of from being freed and reused while
 * the destination may still read them. Return: whether they are held.
 */
static bool hold_pages(struct bio *clone)
{
	if (!on_every_page(clone, not_slab))
		return false;
	on_every_page(clone, get_one);
	return true;
}

static void dest_clone_endio(struct bio *bio)
{
	struct dest_clone *dc = dest_clone_of(bio);
	struct mirrorlive_dest_ios *d = dc->d;
	void (*release)(void *context);
	unsigned long flags;
	void *context;
	bool detached;

	spin_lock_irqsave(&d->lock, flags);
	detached = dc->detached;
	if (!detached)
		list_del(&dc->in_flight);
	spin_unlock_irqrestore(&d->lock, flags);

	if (!detached) {
		dc->done(bio);
		return;
	}

	/* Its parent ended long ago: only free it, then the owner may go. */
	if (dc->pages_held)
		on_every_page(bio, put_one);
	release = d->release;
	context = d->context;
	bio_put(bio);
	release(context);
}

unsigned int mirrorlive_dest_max_bytes(struct bio *parent,
				       unsigned int block_bytes)
{
	unsigned int nr = 0, bytes = 0;
	struct bvec_iter iter;
	struct bio_vec bv;

	if (!bio_has_data(parent))
		return parent->bi_iter.bi_size;
	bio_for_each_bvec(bv, parent, iter) {
		if (++nr > MIRRORLIVE_DEST_MAX_VECS)
			return round_down(bytes, block_bytes);
		bytes += bv.bv_len;
	}
	return bytes;
}

struct bio *mirrorlive_dest_clone(struct mirrorlive_dest_ios *d,
				  struct bio *parent, gfp_t gfp,
				  bio_end_io_t *done)
{
	unsigned int nr = 0;
	struct dest_clone *dc;
	struct bvec_iter iter;
	struct bio_vec bv;
	struct bio *clone;

	if (bio_has_data(parent)) {
		bio_for_each_bvec(bv, parent, iter)
			nr++;
		if (nr > MIRRORLIVE_DEST_MAX_VECS)
			return NULL;
	}

	clone = bio_alloc_bioset(d->bdev, nr, parent->bi_opf, gfp, &d->bios);
	if (!clone)
		return NULL;
	if (nr)
		bio_for_each_bvec(bv, parent, iter)
			clone->bi_io_vec[clone->bi_vcnt++] = bv;
	clone->bi_iter.bi_size = parent->bi_iter.bi_size;
	clone->bi_ioprio = parent->bi_ioprio;
	bio_clone_blkg_association(clone, parent);
	clone->bi_end_io = dest_clone_endio;
	clone->bi_private = parent;

	dc = dest_clone_of(clone);
	dc->d = d;
	dc->done = done;
	dc->detached = false;
	dc->pages_held = false;
	return clone;
}

bool mirrorlive_dest_submit(struct mirrorlive_dest_ios *d, struct bio *clone)
{
	struct dest_clone *dc = dest_clone_of(clone);
	unsigned long flags;
	bool detached;

	spin_lock_irqsave(&d->lock, flags);
	detached = d->detached;
	if (!detached)
		list_add_tail(&dc->in_flight, &d->in_flight);
	spin_unlock_irqrestore(&d->lock, flags);

	if (detached) {
		bio_put(clone);
		return false;
	}
	submit_bio_noacct(clone);
	return true;
}

unsigned int mirrorlive_dest_detach(struct mirrorlive_dest_ios *d)
{
	struct dest_clone *dc, *next;
	unsigned int nr = 0;
	LIST_HEAD(let_go);

	spin_lock_irq(&d->lock);
	d->detached = true;
	list_for_each_entry_safe(dc, next, &d->in_flight, in_flight) {
		list_del_init(&dc->in_flight);
		dc->detached = true;
		dc->pages_held = hold_pages(&dc->bio);
		/* Until its parent has ended: it may complete meanwhile. */
		bio_get(&dc->bio);
		d->hold(d->context);
		list_add_tail(&dc->let_go, &let_go);
		nr++;
	}
	spin_unlock_irq(&d->lock);

	list_for_each_entry_safe(dc, next, &let_go, let_go) {
		bio_endio(dc->bio.bi_private);
		bio_put(&dc->bio);
	}
	return nr;
}
