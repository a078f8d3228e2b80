/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dm-mirrorlive: guest I/O to the destination that can be let go of.
 *
 * A destination clone stands for one completion of its parent bio
 * (bi_private): a write that must reach both legs, or the flush the
 * destination gets for a guest flush. Normally the clone completes, the
 * owner's done() looks at its status, puts it and ends the parent.
 *
 * A destination that stops answering (NBD without a timeout) would keep
 * the parents, and with them every suspend, waiting forever. Detaching
 * ends the parent of every clone in flight at once, as if the destination
 * had finished; the clones stay with the destination for as long as it
 * takes, and their completion then only frees them. So that this is safe:
 *  - a clone owns its bvec table (a copy of the parent's), because the
 *    parent's is freed when the parent ends;
 *  - detaching takes a reference on the pages of each clone it lets go of
 *    (unless one is a slab page, which it cannot hold: those stay mapped
 *    anyway), so that the destination never reads pages reused by others;
 *  - every clone let go of holds its owner through hold()/release(),
 *    called under no lock of the owner's: the owner, its bio set and this
 *    structure outlive the table until the last one has completed.
 * After mirrorlive_dest_detach(), no clone is submitted any more.
 *
 * A clone may carry at most MIRRORLIVE_DEST_MAX_VECS bvecs; the owner
 * splits larger bios (mirrorlive_dest_max_bytes(), dm_accept_partial_bio())
 * before cloning them.
 *
 * Context: clone and submit from map or any process context (they may
 * sleep unless @gfp forbids it), detach from process context; done() is
 * called from the clone's completion (any context).
 */
#ifndef DM_MIRRORLIVE_DEST_H
#define DM_MIRRORLIVE_DEST_H

#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/list.h>
#include <linux/spinlock.h>

#define MIRRORLIVE_DEST_MAX_VECS	BIO_MAX_VECS

struct mirrorlive_dest_ios {
	struct block_device *bdev;
	struct bio_set bios;
	void (*hold)(void *context);
	void (*release)(void *context);
	void *context;

	spinlock_t lock;		/* protects the two below */
	struct list_head in_flight;	/* of clones not let go of */
	bool detached;
};

int mirrorlive_dest_ios_init(struct mirrorlive_dest_ios *d,
			     struct block_device *bdev,
			     void (*hold)(void *context),
			     void (*release)(void *context), void *context);
/* Every clone must have completed. */
void mirrorlive_dest_ios_exit(struct mirrorlive_dest_ios *d);

/*
 * mirrorlive_dest_clone() - a clone of @parent for the destination.
 * @done: called when the clone completes (unless it was let go of).
 *
 * The clone covers @parent's range, with its flags, priority and cgroup,
 * at the same sector: the caller sets bi_iter.bi_sector. bi_private is
 * @parent.
 *
 * Return: the clone, or NULL if @gfp could not be satisfied or @parent has
 * more than MIRRORLIVE_DEST_MAX_VECS bvecs.
 */
struct bio *mirrorlive_dest_clone(struct mirrorlive_dest_ios *d,
				  struct bio *parent, gfp_t gfp,
				  bio_end_io_t *done);

/*
 * Return: false if the destination was let go of; the clone is put, and
 * the caller ends its parent's completion itself.
 */
bool mirrorlive_dest_submit(struct mirrorlive_dest_ios *d, struct bio *clone);

/*
 * Let go of the destination: end the parent of every clone in flight,
 * and submit no clone from now on.
 *
 * Return: how many clones were let go of.
 */
unsigned int mirrorlive_dest_detach(struct mirrorlive_dest_ios *d);

/*
 * How much of @parent one clone can carry: all of it, or the largest
 * multiple of @block_bytes that its first MIRRORLIVE_DEST_MAX_VECS bvecs
 * cover (0 if even that is less than a block).
 */
unsigned int mirrorlive_dest_max_bytes(struct bio *parent,
				       unsigned int block_bytes);

#endif /* DM_MIRRORLIVE_DEST_H */
