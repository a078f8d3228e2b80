// SPDX-License-Identifier: GPL-2.0-only
/*
 * dm-mirrorlive: live migration of a block device to another one.
 *
 * The target wraps a source and a destination. Reads are served by the
 * source; writes reach the source and, for regions already copied, the
 * destination; a background copy brings the destination up to date. When
 * every region is copied the mirror is "ready" and userspace swaps the table
 * to linear(destination) ("complete"), or back to linear(source) at any time
 * ("cancel"). Documentation/dm-mirrorlive.rst describes the interface.
 *
 * This file holds the target operations. Each mechanism lives in its own
 * file behind a header that documents its contract:
 *   mirrorlive-args.{c,h}	table line parsing
 *   mirrorlive-region.{c,h}	copied bitmap and region locks
 *   mirrorlive-phase.{c,h}	phase state machine
 *   mirrorlive-copy.{c,h}	background copy (dm-io, throttle)
 *   mirrorlive-dest.{c,h}	guest I/O to the destination, and letting go
 *   mirrorlive-verify.{c,h}	online verify (and repair) of copied regions
 *   mirrorlive-meta*.{c,h}	a persistent mirror's metadata device
 */
#include <linux/atomic.h>
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/device-mapper.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/workqueue.h>

#include "mirrorlive-abi.h"
#include "mirrorlive-args.h"
#include "mirrorlive-copy.h"
#include "mirrorlive-dest.h"
#include "mirrorlive-meta.h"
#include "mirrorlive-phase.h"
#include "mirrorlive-region.h"
#include "mirrorlive-verify.h"

#define DM_MSG_PREFIX "mirrorlive"

/* Flush bios: dm core sends num_flush_bios copies, numbered from 0. */
#define FLUSH_BIO_SOURCE	0
#define FLUSH_BIO_DEST		1

struct mirrorlive_c {
	struct dm_target *ti;
	struct dm_dev *source;
	struct dm_dev *dest;
	sector_t source_offset;
	sector_t dest_offset;
	unsigned int region_shift;

	/*
	 * Feature arguments as constructed; TABLE status re-emits these.
	 * nosync and dest_zeroed are promises about the destination: the
	 * first resume drops them when the instance this one replaces failed,
	 * and TABLE stops printing them once they may no longer be true.
	 */
	u32 region_sectors;
	bool sparse;
	bool dest_zeroed;
	bool nosync;
	u32 max_copy_kbps;	/* current: the message may change it */
	u32 min_copy_kbps;	/* current, likewise; 0 = never yield */

	struct mirrorlive_phase_state phase;
	struct mirrorlive_regions *regions;
	/* A persistent mirror's metadata device, or NULL. */
	struct mirrorlive_meta *meta;
	/* The identity its record must carry (zeroes: none given). */
	bool has_mirror_id;
	u8 mirror_id[MIRRORLIVE_MIRROR_ID_LEN];
	struct mirrorlive_copy *copy;
	struct mirrorlive_verify *verify;
	struct mirrorlive_dest_ios dest_ios;
	struct work_struct event_work;

	/*
	 * The table, and every destination I/O let go of by fail_dest that
	 * is still in flight: the context outlives its table until the last
	 * of those ends (see mirrorlive_dtr()), and is freed by free_work.
	 */
	refcount_t users;
	struct work_struct free_work;

	/* The copy's, the verify pass's and refused_work's workqueue. */
	struct workqueue_struct *wq;
	/*
	 * Write-zeroes and discards that one leg refused and the other
	 * performed, to be finished in process context (see finish_refused()).
	 */
	spinlock_t refused_lock;	/* protects refused */
	struct bio_list refused;
	struct work_struct refused_work;

	/* Serialises the decisions to start and stop the copy. */
	struct mutex control_lock;
	bool suspended;
	bool resumed_once;

	/* On mirrorlive_instances, to hand progress over on reload. */
	struct mapped_device *md;
	struct list_head instance_entry;

	/* Guest I/O; the copy keeps its own counts. */
	atomic64_t mirrored_writes;
	atomic64_t dest_errors;
	atomic64_t source_errors;
};

/* Frees contexts that outlived their table. */
static struct workqueue_struct *free_wq;

/*
 * Per-bio data, so that map allocates nothing for a bio but the
 * destination clone (from a bio set).
 */
struct mirrorlive_io {
	struct mirrorlive_c *mc;
	struct mirrorlive_region_write region_write;
	struct mirrorlive_intent_write intent_write;
	/* Where a write-zeroes or discard lies, for finish_refused(). */
	sector_t offset;
	u32 sectors;
	bool region_held;	/* region_write_begin routed it: end it */
	bool both_legs;		/* a destination clone was sent */
	bool dest_refused;	/* ... and the destination refused it */
	bool finished;		/* finish_refused() ended it */
	bool intent_held;	/* its write-intent bit is on the disk */
};

static struct mirrorlive_io *io_of(struct bio *bio)
{
	return dm_per_bio_data(bio, sizeof(struct mirrorlive_io));
}

static void event_fn(struct work_struct *work)
{
	struct mirrorlive_c *mc = container_of(work, struct mirrorlive_c,
					       event_work);

	dm_table_event(mc->ti->table);
}

/*
 * The destination failed: keep the first reason, stop copying, go on with
 * the source alone. Any context: the dm event is raised from a work item
 * because dm_table_event() sleeps.
 */
static bool mirror_failed(struct mirrorlive_c *mc)
{
	return mirrorlive_phase_get(&mc->phase) == MIRRORLIVE_FAILED;
}

static void dest_failed(struct mirrorlive_c *mc, enum mirrorlive_reason reason)
{
	atomic64_inc(&mc->dest_errors);
	if (!mirrorlive_phase_event(&mc->phase, MIRRORLIVE_EV_FAIL, reason))
		return;

	DMERR_LIMIT("%s: destination failed (%s); writes go to the source only",
		    dm_table_device_name(mc->ti->table),
		    mirrorlive_reason_name(reason));
	mirrorlive_copy_fail(mc->copy);
	schedule_work(&mc->event_work);
}

static bool range_fits(struct dm_dev *dev, sector_t offset, sector_t len)
{
	sector_t size = bdev_nr_sectors(dev->bdev);

	return offset <= size && size - offset >= len;
}

static bool offset_aligned(struct dm_dev *dev, sector_t offset)
{
	return !(offset & ((bdev_logical_block_size(dev->bdev) >> SECTOR_SHIFT) - 1));
}

/*
 * Checks that need the opened devices: sizes, alignment to each leg's
 * logical block size, and that the two ranges do not overlap.
 */
static int check_devices(struct dm_target *ti, struct mirrorlive_c *mc)
{
	unsigned int block_size = max(bdev_logical_block_size(mc->source->bdev),
				      bdev_logical_block_size(mc->dest->bdev));

	if (!range_fits(mc->source, mc->source_offset, ti->len)) {
		ti->error = "Source device too small";
		return -EINVAL;
	}
	if (!range_fits(mc->dest, mc->dest_offset, ti->len)) {
		ti->error = "Destination device too small";
		return -EINVAL;
	}
	if (!offset_aligned(mc->source, mc->source_offset)) {
		ti->error = "Source offset not aligned to logical block size";
		return -EINVAL;
	}
	if (!offset_aligned(mc->dest, mc->dest_offset)) {
		ti->error = "Destination offset not aligned to logical block size";
		return -EINVAL;
	}
	/*
	 * The mirror presents the larger of the two block sizes: a larger
	 * destination would raise the block size of a device in use at the
	 * source's, and break a guest doing I/O in the smaller blocks.
	 */
	if (bdev_logical_block_size(mc->dest->bdev) >
	    bdev_logical_block_size(mc->source->bdev)) {
		ti->error = "Destination logical block size larger than the source's";
		return -EINVAL;
	}
	if (((u64)mc->region_sectors << SECTOR_SHIFT) < block_size) {
		ti->error = "Region size smaller than logical block size";
		return -EINVAL;
	}
	/* A mirror over itself would write to itself forever. */
	if (mc->source->bdev->bd_disk == dm_disk(dm_table_get_md(ti->table))) {
		ti->error = "Source is the mirror device itself";
		return -EINVAL;
	}
	if (mc->dest->bdev->bd_disk == dm_disk(dm_table_get_md(ti->table))) {
		ti->error = "Destination is the mirror device itself";
		return -EINVAL;
	}
	if (mc->source->bdev == mc->dest->bdev &&
	    mc->source_offset < mc->dest_offset + ti->len &&
	    mc->dest_offset < mc->source_offset + ti->len) {
		ti->error = "Source and destination overlap";
		return -EINVAL;
	}

	return 0;
}

/*
 * Every constructed instance, so that a table reloaded over the same
 * mirror can take over the progress of the table it replaces.
 */
static LIST_HEAD(mirrorlive_instances);
static DEFINE_MUTEX(instances_lock);	/* protects mirrorlive_instances */

/* ---- write path ---- */

static void remap_to_source(struct mirrorlive_c *mc, struct bio *bio)
{
	bio_set_dev(bio, mc->source->bdev);
	if (bio_sectors(bio))
		bio->bi_iter.bi_sector = mc->source_offset +
			dm_target_offset(mc->ti, bio->bi_iter.bi_sector);
}

static u64 region_of(struct mirrorlive_c *mc, struct bio *bio)
{
	return dm_target_offset(mc->ti, bio->bi_iter.bi_sector) >>
		mc->region_shift;
}

static bool is_zeroing(struct bio *bio)
{
	return bio_op(bio) == REQ_OP_DISCARD || bio_op(bio) == REQ_OP_WRITE_ZEROES;
}

/*
 * A leg "refused" a discard or write-zeroes that it advertised: it answered
 * "not supported", or, as SCSI disks do when WRITE SAME or UNMAP fails, an
 * error after which it no longer advertises the operation (dm core's test
 * in clone_endio()).
 */
static bool leg_refused(struct block_device *bdev, struct bio *bio,
			blk_status_t status)
{
	if (status == BLK_STS_NOTSUPP)
		return true;
	if (status != BLK_STS_TARGET)
		return false;
	return bio_op(bio) == REQ_OP_DISCARD ? !bdev_max_discard_sectors(bdev) :
					       !bdev_write_zeroes_sectors(bdev);
}

/*
 * Once a leg refused a discard or write-zeroes, the mirror stops
 * advertising it, as dm core's disable_discard()/disable_write_zeroes() do,
 * so that callers take their fallback (zero writes) at once. A reload
 * stacks the legs' limits again. Any context.
 */
static void stop_advertising(struct mirrorlive_c *mc, struct bio *bio)
{
	struct queue_limits *limits = &dm_disk(mc->md)->queue->limits;

	if (bio_op(bio) == REQ_OP_DISCARD)
		WRITE_ONCE(limits->max_discard_sectors, 0);
	else
		WRITE_ONCE(limits->max_write_zeroes_sectors, 0);
}

/* A destination clone completed: see mirrorlive-dest.h. */
static void dest_write_endio(struct bio *clone)
{
	struct bio *bio = clone->bi_private;
	struct mirrorlive_io *io = io_of(bio);
	struct mirrorlive_c *mc = io->mc;
	blk_status_t status = clone->bi_status;

	if (status && is_zeroing(clone) && leg_refused(mc->dest->bdev, clone, status))
		io->dest_refused = true;	/* end_io decides */
	else if (status)
		dest_failed(mc, bio_op(clone) == REQ_OP_DISCARD ?
			    MIRRORLIVE_REASON_DEST_DISCARD :
			    MIRRORLIVE_REASON_DEST_WRITE);
	bio_put(clone);
	/* The guest's bio completes when both legs have: see write_both(). */
	bio_endio(bio);
}

/*
 * Send @bio to both legs in parallel. The source leg is @bio itself,
 * remapped; the destination leg is a clone sharing its pages (with a bvec
 * table of its own: mirrorlive-dest.h). @bio holds an extra completion
 * reference that the clone drops, so the guest sees the completion once
 * both legs are done, with the source's status.
 *
 * The clone is never polled and never "nowait": dm core polls the source
 * leg only (a polled clone would never be reaped), and a destination that
 * answered "try again" would fail the mirror. So it completes by interrupt,
 * and its submission may wait for a request like any other.
 *
 * Return: false if @bio is REQ_NOWAIT and no clone could be had without
 * waiting; @bio was then completed with BLK_STS_AGAIN.
 */
static bool write_both(struct mirrorlive_c *mc, struct bio *bio)
{
	struct mirrorlive_io *io = io_of(bio);
	bool nowait = bio->bi_opf & REQ_NOWAIT;
	struct bio *clone;

	clone = mirrorlive_dest_clone(&mc->dest_ios, bio,
				      nowait ? GFP_NOWAIT : GFP_NOIO,
				      dest_write_endio);
	if (unlikely(!clone) && nowait) {
		bio_wouldblock_error(bio);
		return false;
	}
	if (unlikely(!clone)) {
		/* More bvecs than map let through: see mirrorlive_map(). */
		dest_failed(mc, MIRRORLIVE_REASON_DEST_WRITE);
		remap_to_source(mc, bio);
		return true;
	}
	bio_clear_polled(clone);
	clone->bi_opf &= ~REQ_NOWAIT;
	clone->bi_iter.bi_sector = mc->dest_offset +
		dm_target_offset(mc->ti, bio->bi_iter.bi_sector);

	io->both_legs = true;
	if (is_zeroing(bio)) {
		io->offset = dm_target_offset(mc->ti, bio->bi_iter.bi_sector);
		io->sectors = bio_sectors(bio);
	}
	bio_inc_remaining(bio);
	atomic64_inc(&mc->mirrored_writes);
	remap_to_source(mc, bio);
	/* Let go of (fail_dest) meanwhile: drop the clone's completion. */
	if (!mirrorlive_dest_submit(&mc->dest_ios, clone))
		bio_endio(bio);
	return true;
}

/*
 * Make @sectors at @offset of one leg read as zeroes, writing zeroes where
 * the leg has no (working) write-zeroes. Process context.
 */
static int zero_leg(struct dm_dev *leg, sector_t leg_offset, sector_t offset,
		    sector_t sectors, bool nounmap)
{
	return blkdev_issue_zeroout(leg->bdev, leg_offset + offset, sectors,
				    GFP_NOIO, nounmap ? BLKDEV_ZERO_NOUNMAP : 0);
}

/*
 * One leg refused a write-zeroes or discard that the other performed; the
 * legs must not silently differ (Documentation/dm-mirrorlive.rst,
 * "Write-zeroes and discards"):
 *  - a write-zeroes is completed on the leg that refused it, by writing
 *    zeroes;
 *  - a discard leaves the range reading back as anything on the leg that
 *    performed it, so both legs are zeroed.
 * The guest then sees success. The destination failing meanwhile fails
 * the mirror as any destination write does; the source failing is the
 * guest's error.
 */
static blk_status_t finish_refused(struct mirrorlive_c *mc, struct bio *bio)
{
	struct mirrorlive_io *io = io_of(bio);
	bool nounmap = bio->bi_opf & REQ_NOUNMAP;
	bool discard = bio_op(bio) == REQ_OP_DISCARD;

	if ((discard || !io->dest_refused) &&
	    zero_leg(mc->source, mc->source_offset, io->offset, io->sectors,
		     nounmap))
		return BLK_STS_IOERR;	/* counted by mirrorlive_end_io() */
	if ((discard || io->dest_refused) &&
	    mirrorlive_phase_get(&mc->phase) != MIRRORLIVE_FAILED &&
	    zero_leg(mc->dest, mc->dest_offset, io->offset, io->sectors,
		     nounmap))
		dest_failed(mc, discard ? MIRRORLIVE_REASON_DEST_DISCARD :
					  MIRRORLIVE_REASON_DEST_WRITE);
	return BLK_STS_OK;
}

static void refused_fn(struct work_struct *work)
{
	struct mirrorlive_c *mc = container_of(work, struct mirrorlive_c,
					       refused_work);
	struct bio_list bios;
	struct bio *bio;

	spin_lock_irq(&mc->refused_lock);
	bios = mc->refused;
	bio_list_init(&mc->refused);
	spin_unlock_irq(&mc->refused_lock);

	while ((bio = bio_list_pop(&bios))) {
		bio->bi_status = finish_refused(mc, bio);
		io_of(bio)->finished = true;
		/* Back through dm core's clone_endio(), and mirrorlive_end_io(). */
		bio_endio(bio);
	}
}

/* Any context. */
static void queue_refused(struct mirrorlive_c *mc, struct bio *bio)
{
	unsigned long flags;

	spin_lock_irqsave(&mc->refused_lock, flags);
	bio_list_add(&mc->refused, bio);
	spin_unlock_irqrestore(&mc->refused_lock, flags);
	queue_work(mc->wq, &mc->refused_work);
}

/*
 * Route a write, discard or write-zeroes lying within one region:
 * copied regions get both legs, uncopied ones the source only (the copy
 * will carry the data over), and a region being copied defers the bio
 * until its copy ends. A failed mirror uses the source only.
 *
 * Return: DM_MAPIO_REMAPPED when @bio is to be submitted to the source by
 * the caller, DM_MAPIO_SUBMITTED when it was deferred (or, being nowait,
 * completed with BLK_STS_AGAIN).
 */
static int route_write(struct mirrorlive_c *mc, struct bio *bio)
{
	struct mirrorlive_io *io = io_of(bio);

	if (mirrorlive_phase_get(&mc->phase) == MIRRORLIVE_FAILED) {
		/*
		 * The destination misses this write: a persistent mirror
		 * keeps its region dirty on the record until a suspend
		 * marks every region so (mirrorlive-meta.h), so that a
		 * crash before it never trusts the region.
		 */
		if (mc->meta && !io->intent_held) {
			if (!mirrorlive_meta_write_begin(mc->meta,
							 &io->intent_write,
							 region_of(mc, bio), bio))
				return DM_MAPIO_SUBMITTED;
			io->intent_held = true;
		}
		remap_to_source(mc, bio);
		return DM_MAPIO_REMAPPED;
	}

	/*
	 * A persistent mirror marks a copied region dirty on its disk before
	 * anything else, as the write may wait there and be routed again.
	 */
again:
	if (mc->meta && !io->intent_held &&
	    mirrorlive_region_is_copied(mc->regions, region_of(mc, bio))) {
		if (!mirrorlive_meta_write_begin(mc->meta, &io->intent_write,
						 region_of(mc, bio), bio))
			return DM_MAPIO_SUBMITTED;
		io->intent_held = true;
	}

	switch (mirrorlive_region_write_begin(mc->regions, &io->region_write,
					      region_of(mc, bio), bio)) {
	case MIRRORLIVE_WRITE_DEFERRED:
		return DM_MAPIO_SUBMITTED;
	case MIRRORLIVE_WRITE_SOURCE:
		io->region_held = true;
		remap_to_source(mc, bio);
		return DM_MAPIO_REMAPPED;
	case MIRRORLIVE_WRITE_BOTH:
		break;
	}
	/* Its copy ended in the meantime: mark it dirty first after all. */
	if (mc->meta && !io->intent_held) {
		mirrorlive_region_write_end(mc->regions, &io->region_write);
		goto again;
	}
	io->region_held = true;
	return write_both(mc, bio) ? DM_MAPIO_REMAPPED : DM_MAPIO_SUBMITTED;
}

/* Writes that waited for a region's copy: route them again and submit. */
static void release_writes(void *context, struct bio_list *writes)
{
	struct mirrorlive_c *mc = context;
	struct bio *bio;

	while ((bio = bio_list_pop(writes)))
		if (route_write(mc, bio) == DM_MAPIO_REMAPPED)
			dm_submit_bio_remap(bio, NULL);
}

/* Writes whose write-intent bit is now on the metadata device. */
static void release_intent_writes(void *context, struct bio_list *writes)
{
	struct mirrorlive_c *mc = context;
	struct bio *bio;

	while ((bio = bio_list_pop(writes))) {
		io_of(bio)->intent_held = true;
		if (route_write(mc, bio) == DM_MAPIO_REMAPPED)
			dm_submit_bio_remap(bio, NULL);
	}
}

/* The metadata device failed: as a failed destination, with its reason. */
static void meta_failed(void *context)
{
	struct mirrorlive_c *mc = context;

	if (!mirrorlive_phase_event(&mc->phase, MIRRORLIVE_EV_FAIL,
				    MIRRORLIVE_REASON_METADATA))
		return;
	DMERR_LIMIT("%s: metadata device failed; writes go to the source only",
		    dm_table_device_name(mc->ti->table));
	mirrorlive_copy_fail(mc->copy);
	schedule_work(&mc->event_work);
}

/* A destination error never reaches the guest. */
static void dest_flush_endio(struct bio *clone)
{
	struct bio *bio = clone->bi_private;

	if (clone->bi_status)
		dest_failed(io_of(bio)->mc, MIRRORLIVE_REASON_DEST_FLUSH);
	bio_put(clone);
	bio_endio(bio);
}

/*
 * Empty flushes: dm core sends one per leg. While the destination is in
 * use it gets a clone of its bio (which fail_dest can let go of); once
 * the mirror failed, its flush is completed here.
 */
static int map_flush(struct mirrorlive_c *mc, struct bio *bio)
{
	bool nowait = bio->bi_opf & REQ_NOWAIT;
	struct bio *clone;

	/* dm core splits the data off a flush with data before it comes here. */
	WARN_ON_ONCE(bio_sectors(bio));

	if (dm_bio_get_target_bio_nr(bio) == FLUSH_BIO_SOURCE) {
		bio_set_dev(bio, mc->source->bdev);
		return DM_MAPIO_REMAPPED;
	}

	if (mirrorlive_phase_get(&mc->phase) == MIRRORLIVE_FAILED) {
		bio_endio(bio);
		return DM_MAPIO_SUBMITTED;
	}
	clone = mirrorlive_dest_clone(&mc->dest_ios, bio,
				      nowait ? GFP_NOWAIT : GFP_NOIO,
				      dest_flush_endio);
	if (unlikely(!clone)) {
		bio_wouldblock_error(bio);
		return DM_MAPIO_SUBMITTED;
	}
	bio_clear_polled(clone);
	clone->bi_opf &= ~REQ_NOWAIT;
	if (!mirrorlive_dest_submit(&mc->dest_ios, clone))
		bio_endio(bio);
	return DM_MAPIO_SUBMITTED;
}

static int mirrorlive_map(struct dm_target *ti, struct bio *bio)
{
	struct mirrorlive_c *mc = ti->private;
	struct mirrorlive_io *io = io_of(bio);
	sector_t offset, to_region_end;
	unsigned int clone_bytes, block;

	io->mc = mc;
	io->region_held = false;
	io->both_legs = false;
	io->dest_refused = false;
	io->finished = false;
	io->intent_held = false;

	/* A copy with a minimum rate yields to the guest's I/O. */
	mirrorlive_copy_note_guest_io(mc->copy);

	if (bio->bi_opf & REQ_PREFLUSH)
		return map_flush(mc, bio);

	switch (bio_op(bio)) {
	case REQ_OP_WRITE:
	case REQ_OP_DISCARD:
	case REQ_OP_WRITE_ZEROES:
		break;
	default:
		/* Reads never wait. */
		remap_to_source(mc, bio);
		return DM_MAPIO_REMAPPED;
	}

	/*
	 * Writes are split at region boundaries by max_io_len; discards and
	 * write-zeroes only at target boundaries, so cut them here.
	 */
	offset = dm_target_offset(ti, bio->bi_iter.bi_sector);
	to_region_end = mc->region_sectors - (offset & (mc->region_sectors - 1));
	if (bio_sectors(bio) > to_region_end)
		dm_accept_partial_bio(bio, to_region_end);

	/* A destination clone has room for BIO_MAX_VECS bvecs. */
	if (bio_op(bio) == REQ_OP_WRITE) {
		block = bdev_logical_block_size(mc->source->bdev);
		clone_bytes = mirrorlive_dest_max_bytes(bio, block);
		if (clone_bytes && clone_bytes < bio->bi_iter.bi_size)
			dm_accept_partial_bio(bio, clone_bytes >> SECTOR_SHIFT);
	}

	return route_write(mc, bio);
}

static bool is_dest_flush(struct bio *bio)
{
	return (bio->bi_opf & REQ_PREFLUSH) && !bio_sectors(bio) &&
		dm_bio_get_target_bio_nr(bio) == FLUSH_BIO_DEST;
}

/* A write, discard or write-zeroes completed (on both legs, if sent there). */
static int end_write(struct mirrorlive_c *mc, struct bio *bio,
		     blk_status_t *error)
{
	struct mirrorlive_io *io = io_of(bio);

	if (is_zeroing(bio) && !io->finished) {
		bool source_refused = leg_refused(mc->source->bdev, bio, *error);

		if (source_refused || io->dest_refused)
			stop_advertising(mc, bio);
		/*
		 * One leg refused, the other did it: finish it on the first,
		 * then complete. A source that failed otherwise gives the
		 * caller its error, as any failed source write does.
		 */
		if (io->both_legs && source_refused != io->dest_refused &&
		    (source_refused || *error == BLK_STS_OK)) {
			queue_refused(mc, bio);
			return DM_ENDIO_INCOMPLETE;
		}
		/* Both refused (or one leg only was asked): the source's answer. */
		if (source_refused)
			return DM_ENDIO_DONE;
	}

	if (*error && *error != BLK_STS_NOTSUPP && *error != BLK_STS_AGAIN)
		atomic64_inc(&mc->source_errors);

	return DM_ENDIO_DONE;
}

static int mirrorlive_end_io(struct dm_target *ti, struct bio *bio,
			     blk_status_t *error)
{
	struct mirrorlive_c *mc = ti->private;
	struct mirrorlive_io *io = io_of(bio);
	int r;

	/* dest_flush_endio() took its error; a "try again" is the guest's. */
	if (is_dest_flush(bio))
		return DM_ENDIO_DONE;

	r = end_write(mc, bio, error);
	if (r != DM_ENDIO_DONE)
		return r;	/* back here once finish_refused() ended it */
	/* Done on every leg: a copy or verify of its region may go on. */
	if (io->region_held) {
		mirrorlive_region_write_end(mc->regions, &io->region_write);
		io->region_held = false;
	}
	/* Its write-intent bit may go in a later sweep. */
	if (io->intent_held) {
		mirrorlive_meta_write_end(mc->meta, &io->intent_write);
		io->intent_held = false;
	}
	return r;
}

/* ---- the copy's callbacks ---- */

static void copy_done(void *context)
{
	struct mirrorlive_c *mc = context;

	if (mirrorlive_phase_event(&mc->phase, MIRRORLIVE_EV_COPY_DONE,
				   MIRRORLIVE_REASON_NONE))
		dm_table_event(mc->ti->table);
}

static void copy_failed(void *context, enum mirrorlive_reason reason)
{
	struct mirrorlive_c *mc = context;

	if (!mirrorlive_phase_event(&mc->phase, MIRRORLIVE_EV_FAIL, reason))
		return;

	DMERR_LIMIT("%s: copy failed (%s); writes go to the source only",
		    dm_table_device_name(mc->ti->table),
		    mirrorlive_reason_name(reason));
	dm_table_event(mc->ti->table);
}

/* ---- construction ---- */

/* The first resume may still drop nosync: see take_over_progress(). */
static enum mirrorlive_phase initial_phase(const struct mirrorlive_args *args)
{
	if (args->nosync)
		return MIRRORLIVE_READY;
	return args->paused ? MIRRORLIVE_PAUSED : MIRRORLIVE_COPYING;
}

static void init_config(struct mirrorlive_c *mc, struct dm_target *ti,
			const struct mirrorlive_args *args)
{
	mc->ti = ti;
	mc->source_offset = args->source_offset;
	mc->dest_offset = args->dest_offset;
	mc->region_sectors = args->region_sectors;
	mc->region_shift = ilog2(args->region_sectors);
	mc->sparse = args->sparse;
	mc->dest_zeroed = args->dest_zeroed;
	mc->nosync = args->nosync;
	mc->max_copy_kbps = args->max_copy_kbps;
	mc->min_copy_kbps = args->min_copy_kbps;

	mirrorlive_phase_init(&mc->phase, initial_phase(args));
	mutex_init(&mc->control_lock);
	INIT_WORK(&mc->event_work, event_fn);
	spin_lock_init(&mc->refused_lock);
	bio_list_init(&mc->refused);
	INIT_WORK(&mc->refused_work, refused_fn);
	/* Not started until the first resume. */
	mc->suspended = true;
	atomic64_set(&mc->mirrored_writes, 0);
	atomic64_set(&mc->dest_errors, 0);
	atomic64_set(&mc->source_errors, 0);
}

static void mc_hold(void *context)
{
	struct mirrorlive_c *mc = context;

	refcount_inc(&mc->users);
}

/*
 * The last user of a context whose table is gone frees it from free_wq,
 * whose destruction at module exit waits for that. The caller runs module
 * code after the drop: inside an RCU read-side section, which the module
 * loader's synchronize_rcu() before freeing the module waits for.
 */
static void mc_release(void *context)
{
	struct mirrorlive_c *mc = context;

	rcu_read_lock();
	if (refcount_dec_and_test(&mc->users))
		queue_work(free_wq, &mc->free_work);
	rcu_read_unlock();
}

static int create_copy(struct dm_target *ti, struct mirrorlive_c *mc)
{
	struct mirrorlive_copy_params p = {
		.wq = mc->wq,
		.source = mc->source->bdev,
		.source_offset = mc->source_offset,
		.dest = mc->dest->bdev,
		.dest_offset = mc->dest_offset,
		.len = ti->len,
		.region_sectors = mc->region_sectors,
		.sparse = mc->sparse,
		.dest_zeroed = mc->dest_zeroed,
		.max_copy_kbps = mc->max_copy_kbps,
		.min_copy_kbps = mc->min_copy_kbps,
		.regions = mc->regions,
		.release_writes = release_writes,
		.failed = copy_failed,
		.done = copy_done,
		.hold = mc_hold,
		.release = mc_release,
		.context = mc,
	};

	mc->copy = mirrorlive_copy_create(&p);
	if (IS_ERR(mc->copy)) {
		ti->error = "Cannot create the copy engine";
		return PTR_ERR(mc->copy);
	}
	return 0;
}

/* ---- the verify pass's callbacks ---- */

static bool mirror_failed_cb(void *context)
{
	return mirror_failed(context);
}

static void verify_dest_failed(void *context, enum mirrorlive_reason reason)
{
	dest_failed(context, reason);
}

/* A pass ended by itself: raise a dm event (from a work item: it sleeps). */
static void verify_ended(void *context)
{
	struct mirrorlive_c *mc = context;

	schedule_work(&mc->event_work);
}

static int create_verify(struct dm_target *ti, struct mirrorlive_c *mc)
{
	struct mirrorlive_verify_params p = {
		.wq = mc->wq,
		.source = mc->source->bdev,
		.source_offset = mc->source_offset,
		.dest = mc->dest->bdev,
		.dest_offset = mc->dest_offset,
		.len = ti->len,
		.region_sectors = mc->region_sectors,
		.regions = mc->regions,
		.release_writes = release_writes,
		.mirror_failed = mirror_failed_cb,
		.dest_failed = verify_dest_failed,
		.ended = verify_ended,
		.hold = mc_hold,
		.release = mc_release,
		.context = mc,
	};

	mc->verify = mirrorlive_verify_create(&p);
	if (IS_ERR(mc->verify)) {
		ti->error = "Cannot create the verify engine";
		return PTR_ERR(mc->verify);
	}
	return 0;
}

static int create_state(struct dm_target *ti, struct mirrorlive_c *mc)
{
	int r;

	mc->regions = mirrorlive_regions_create(ti->len, mc->region_sectors);
	if (IS_ERR(mc->regions)) {
		r = PTR_ERR(mc->regions);
		ti->error = r == -E2BIG ? "Too many regions: use a larger region size" :
					  "Cannot allocate region state";
		return r;
	}
	if (mc->nosync)
		mirrorlive_regions_mark_all_copied(mc->regions);

	r = mirrorlive_dest_ios_init(&mc->dest_ios, mc->dest->bdev, mc_hold,
				     mc_release, mc);
	if (r) {
		ti->error = "Cannot allocate bio set";
		goto out_regions;
	}

	/*
	 * The copy's jobs and the refused bios' work: per CPU
	 * (mirrorlive-copy.c says why), and guest bios wait on both, so it
	 * must make progress under memory reclaim. Named after the device,
	 * as dm-crypt's kcryptd/<dev>.
	 */
	mc->wq = alloc_workqueue("kmirrorlived/%s", WQ_MEM_RECLAIM, 0,
				 dm_table_device_name(ti->table));
	if (!mc->wq) {
		ti->error = "Cannot allocate workqueue";
		r = -ENOMEM;
		goto out_bioset;
	}

	r = create_copy(ti, mc);
	if (r)
		goto out_wq;
	r = create_verify(ti, mc);
	if (r)
		goto out_copy;
	return 0;

out_copy:
	mirrorlive_copy_destroy(mc->copy);
out_wq:
	destroy_workqueue(mc->wq);
out_bioset:
	mirrorlive_dest_ios_exit(&mc->dest_ios);
out_regions:
	mirrorlive_regions_destroy(mc->regions);
	return r;
}

/* Also for a context that outlived its table: touches no device or table. */
static void destroy_state(struct mirrorlive_c *mc)
{
	mirrorlive_verify_stop(mc->verify);
	mirrorlive_verify_destroy(mc->verify);
	mirrorlive_copy_stop(mc->copy);
	mirrorlive_copy_drain(mc->copy);
	mirrorlive_copy_destroy(mc->copy);
	/* Empty: a suspend waits for every guest bio, refused ones included. */
	WARN_ON(!bio_list_empty(&mc->refused));
	destroy_workqueue(mc->wq);
	mirrorlive_dest_ios_exit(&mc->dest_ios);
	mirrorlive_regions_destroy(mc->regions);
}

static void free_mc(struct mirrorlive_c *mc)
{
	destroy_state(mc);
	mutex_destroy(&mc->control_lock);
	kfree(mc);
}

static void free_fn(struct work_struct *work)
{
	struct mirrorlive_c *mc = container_of(work, struct mirrorlive_c,
					       free_work);

	DMINFO("freeing a mirror whose destination I/O has ended");
	free_mc(mc);
	module_put(THIS_MODULE);
}

static int open_meta(struct dm_target *ti, struct mirrorlive_c *mc,
		     const struct mirrorlive_args *args)
{
	struct mirrorlive_meta_params p = {
		.ti = ti,
		.path = args->meta_dev,
		.geo = {
			.len = ti->len,
			.source_offset = mc->source_offset,
			.dest_offset = mc->dest_offset,
			.source_sectors = bdev_nr_sectors(mc->source->bdev),
			.dest_sectors = bdev_nr_sectors(mc->dest->bdev),
			.region_sectors = mc->region_sectors,
		},
		.may_reverse = args->nosync,
		.source = mc->source->bdev,
		.dest = mc->dest->bdev,
		.mirror_disk = dm_disk(dm_table_get_md(ti->table)),
		.regions = mc->regions,
		.wq = mc->wq,
		.failed = meta_failed,
		.mirror_failed = mirror_failed_cb,
		.release = release_intent_writes,
		.context = mc,
	};

	static_assert(sizeof(p.geo.mirror_id) == sizeof(args->mirror_id));
	memcpy(p.geo.mirror_id, args->mirror_id, sizeof(p.geo.mirror_id));
	mc->has_mirror_id = args->has_mirror_id;
	memcpy(mc->mirror_id, args->mirror_id, sizeof(mc->mirror_id));
	return mirrorlive_meta_open(&p, &mc->meta);
}

/*
 * Whether another mirror uses @mc's metadata device: two would overwrite
 * each other's record. The table @mc replaces on its segment may.
 * Called with instances_lock.
 */
static bool meta_in_use(struct mirrorlive_c *mc)
{
	struct mirrorlive_c *other;

	list_for_each_entry(other, &mirrorlive_instances, instance_entry)
		if (other->meta &&
		    mirrorlive_meta_bdev(other->meta) ==
		    mirrorlive_meta_bdev(mc->meta) &&
		    (other->md != mc->md || other->ti->begin != mc->ti->begin))
			return true;
	return false;
}

/*
 * The persistent mirror @mc reverses on its device: over the same legs
 * swapped, with the same metadata device; @replaced: suspended, as it is
 * once @mc resumes in its place, so that a nosync @mc takes its record
 * over. Called with instances_lock.
 */
static struct mirrorlive_c *reversed_instance(struct mirrorlive_c *mc,
					      bool replaced)
{
	struct mirrorlive_c *old;

	list_for_each_entry(old, &mirrorlive_instances, instance_entry)
		if (old != mc && old->md == mc->md &&
		    (!replaced || (old->resumed_once && old->suspended)) &&
		    old->ti->begin == mc->ti->begin &&
		    old->ti->len == mc->ti->len &&
		    old->source->bdev == mc->dest->bdev &&
		    old->source_offset == mc->dest_offset &&
		    old->dest->bdev == mc->source->bdev &&
		    old->dest_offset == mc->source_offset && old->meta &&
		    mirrorlive_meta_bdev(old->meta) ==
		    mirrorlive_meta_bdev(mc->meta))
			return old;
	return NULL;
}

/*
 * Construct a mirrorlive mapping:
 *
 *   <source_dev> <source_offset> <dest_dev> <dest_offset>
 *   [<#feature_args> <feature_arg>*]
 *
 * Steps: parse the line (mirrorlive-args.c), open both devices with the
 * table's mode, check them against each other, create the region state,
 * the destination bio set and the (stopped) copy, and split bios at region
 * boundaries. The copy starts at the first resume.
 */
static int mirrorlive_ctr(struct dm_target *ti, unsigned int argc, char **argv)
{
	struct mirrorlive_args args;
	struct mirrorlive_c *mc;
	const char *why;
	int r;

	r = mirrorlive_parse_args(&args, argc, argv, &ti->error);
	if (r)
		return r;

	mc = kzalloc(sizeof(*mc), GFP_KERNEL);
	if (!mc) {
		ti->error = "Cannot allocate mirrorlive context";
		return -ENOMEM;
	}
	init_config(mc, ti, &args);

	r = dm_get_device(ti, args.source_dev, dm_table_get_mode(ti->table),
			  &mc->source);
	if (r) {
		ti->error = "Error opening source device";
		goto out_free;
	}

	r = dm_get_device(ti, args.dest_dev, dm_table_get_mode(ti->table),
			  &mc->dest);
	if (r) {
		ti->error = "Error opening destination device";
		goto out_put_source;
	}

	r = check_devices(ti, mc);
	if (r)
		goto out_put_dest;

	r = dm_set_target_max_io_len(ti, mc->region_sectors);
	if (r)
		goto out_put_dest;

	r = create_state(ti, mc);
	if (r)
		goto out_put_dest;

	if (args.meta_dev) {
		r = open_meta(ti, mc, &args);
		if (r)
			goto out_state;
	}

	ti->num_flush_bios = 2;
	ti->num_discard_bios = 1;
	ti->num_write_zeroes_bios = 1;
	ti->per_io_data_size = sizeof(struct mirrorlive_io);
	ti->accounts_remapped_io = true;
	ti->private = mc;

	mc->md = dm_table_get_md(ti->table);
	refcount_set(&mc->users, 1);
	INIT_WORK(&mc->free_work, free_fn);
	mutex_lock(&instances_lock);
	if (mc->meta && meta_in_use(mc)) {
		mutex_unlock(&instances_lock);
		ti->error = "Metadata device in use by another mirror";
		r = -EBUSY;
		goto out_meta;
	}
	why = mc->meta ? mirrorlive_meta_needs_reversal(mc->meta) : NULL;
	if (why && !reversed_instance(mc, false)) {
		mutex_unlock(&instances_lock);
		ti->error = (char *)why;
		r = -EINVAL;
		goto out_meta;
	}
	list_add(&mc->instance_entry, &mirrorlive_instances);
	mutex_unlock(&instances_lock);
	return 0;

out_meta:
	mirrorlive_meta_close(mc->meta);
out_state:
	destroy_state(mc);
out_put_dest:
	dm_put_device(ti, mc->dest);
out_put_source:
	dm_put_device(ti, mc->source);
out_free:
	mutex_destroy(&mc->control_lock);
	kfree(mc);
	return r;
}

static void mirrorlive_dtr(struct dm_target *ti)
{
	struct mirrorlive_c *mc = ti->private;

	mutex_lock(&instances_lock);
	list_del(&mc->instance_entry);
	mutex_unlock(&instances_lock);
	if (mc->meta)
		mirrorlive_meta_close(mc->meta);
	cancel_work_sync(&mc->event_work);
	dm_put_device(ti, mc->dest);
	dm_put_device(ti, mc->source);

	if (refcount_dec_if_one(&mc->users)) {
		free_mc(mc);
		return;
	}
	/*
	 * fail_dest let go of destination I/O that is still in flight: the
	 * bio set, the copy's clients and the context stay until it ends
	 * (without the devices or the table, which nothing uses any more),
	 * and so does the module.
	 */
	DMWARN("%s: destination I/O still in flight after fail_dest; freed when it ends",
	       dm_table_device_name(ti->table));
	__module_get(THIS_MODULE);
	mc_release(mc);
}

/* ---- suspend and resume ---- */

/* Called with control_lock held. */
static void start_copy_if_due(struct mirrorlive_c *mc)
{
	if (!mc->suspended &&
	    mirrorlive_phase_get(&mc->phase) == MIRRORLIVE_COPYING)
		mirrorlive_copy_start(mc->copy);
}

/*
 * Stop issuing copies and wait for those in flight: they may hold writes
 * deferred on their regions, which must be submitted before dm core waits
 * for in-flight I/O. Resuming this table continues where it stopped.
 */
static void mirrorlive_presuspend(struct dm_target *ti)
{
	struct mirrorlive_c *mc = ti->private;

	mutex_lock(&mc->control_lock);
	mc->suspended = true;
	mirrorlive_copy_stop(mc->copy);
	/* Its jobs hold region locks, and writes deferred on them. */
	mirrorlive_verify_stop(mc->verify);
	mutex_unlock(&mc->control_lock);

	mirrorlive_copy_drain(mc->copy);
}

static bool same_mirror(struct mirrorlive_c *a, struct mirrorlive_c *b)
{
	return a->md == b->md && a->ti->begin == b->ti->begin &&
		a->ti->len == b->ti->len &&
		a->source->bdev == b->source->bdev &&
		a->source_offset == b->source_offset &&
		a->dest->bdev == b->dest->bdev &&
		a->dest_offset == b->dest_offset &&
		a->region_sectors == b->region_sectors;
}

/* Whether anything of this instance's has written to the destination. */
static bool wrote_dest(struct mirrorlive_c *mc)
{
	return atomic64_read(&mc->mirrored_writes) ||
		mirrorlive_copy_wrote_dest(mc->copy);
}

/* nosync and dest_zeroed are still true of the destination. */
static bool promises_hold(struct mirrorlive_c *mc)
{
	return !mirror_failed(mc) && !wrote_dest(mc);
}

/*
 * The instance that @mc replaces on its device: a table that was live
 * over the same destination and is now suspended (dm core suspends the
 * old table before it resumes the new one). Called with instances_lock.
 */
static struct mirrorlive_c *replaced_instance(struct mirrorlive_c *mc)
{
	struct mirrorlive_c *old;

	list_for_each_entry(old, &mirrorlive_instances, instance_entry)
		if (old != mc && old->md == mc->md && old->resumed_once &&
		    old->suspended && old->dest->bdev == mc->dest->bdev &&
		    old->ti->begin == mc->ti->begin)
			return old;
	return NULL;
}

static void drop_promises(struct mirrorlive_c *mc, const char *why)
{
	if (!mc->nosync && !mc->dest_zeroed)
		return;
	DMWARN("%s: ignoring nosync and dest_zeroed: %s",
	       dm_table_device_name(mc->ti->table), why);
	if (mc->nosync) {
		/* Nothing has reached this table yet: start it anew. */
		mc->nosync = false;
		mirrorlive_regions_forget_all(mc->regions);
		mirrorlive_phase_init(&mc->phase, MIRRORLIVE_COPYING);
	}
	if (mc->dest_zeroed) {
		mc->dest_zeroed = false;
		mirrorlive_copy_forget_dest_zeroed(mc->copy);
	}
}

/*
 * At the first resume. A table loaded over a live mirror of the same
 * devices and geometry continues its copy instead of starting again: the
 * old table is suspended, its copy drained, and not yet destroyed. A
 * failed mirror hands nothing over: its destination may have missed
 * writes; and the new table's nosync and dest_zeroed, which would claim
 * the opposite, are dropped. dest_zeroed is dropped too when the old table
 * wrote to the destination and nothing was taken over. A nosync table
 * (ready, every region copied since its constructor) takes nothing over.
 */
static void take_over_progress(struct mirrorlive_c *mc)
{
	struct mirrorlive_c *old;
	bool inherited = false;

	mutex_lock(&instances_lock);
	old = replaced_instance(mc);
	if (old && mirror_failed(old))
		drop_promises(mc, "the table it replaces failed");
	else if (old && same_mirror(old, mc) && !mc->nosync)
		inherited = !mirrorlive_regions_inherit(mc->regions, old->regions);
	if (old && !inherited && mc->dest_zeroed && wrote_dest(old))
		drop_promises(mc, "the table it replaces wrote to the destination");
	/* the kept mirror of complete --keep-source: the record goes on */
	if (mc->meta && mc->nosync && reversed_instance(mc, true))
		mirrorlive_meta_reverse(mc->meta);
	mutex_unlock(&instances_lock);

	/* Nothing handed over in memory: what the metadata device records. */
	if (mc->meta && !inherited && !mc->nosync &&
	    mirrorlive_meta_load(mc->meta))
		meta_failed(mc);

	if (mirrorlive_regions_copied(mc->regions) ==
	    mirrorlive_regions_count(mc->regions))
		mirrorlive_phase_event(&mc->phase, MIRRORLIVE_EV_COPY_DONE,
				       MIRRORLIVE_REASON_NONE);
}

static int mirrorlive_preresume(struct dm_target *ti)
{
	struct mirrorlive_c *mc = ti->private;

	mutex_lock(&mc->control_lock);
	if (!mc->resumed_once) {
		take_over_progress(mc);
		mc->resumed_once = true;
	}
	/*
	 * On failure the mirror failed: the guest's I/O goes on. A failed
	 * mirror goes live too: its writes to the source alone keep their
	 * regions dirty on the record.
	 */
	if (mc->meta)
		mirrorlive_meta_go_live(mc->meta);
	mutex_unlock(&mc->control_lock);
	return 0;
}

/*
 * No guest I/O is in flight and the copy is stopped: a persistent mirror
 * leaves its record clean, so that what it copied survives a reboot.
 */
static void mirrorlive_postsuspend(struct dm_target *ti)
{
	struct mirrorlive_c *mc = ti->private;

	if (mc->meta)
		mirrorlive_meta_stop(mc->meta, mirror_failed(mc));
}

static void mirrorlive_resume(struct dm_target *ti)
{
	struct mirrorlive_c *mc = ti->private;

	mutex_lock(&mc->control_lock);
	mc->suspended = false;
	start_copy_if_due(mc);
	mutex_unlock(&mc->control_lock);
}

/* ---- status and messages ---- */

/*
 * The rate and the pause are emitted as they are now, not as constructed,
 * so that reloading the printed table keeps what messages changed; nosync
 * and dest_zeroed only while they are still true of the destination, so
 * that reloading it never claims a destination that missed writes.
 */
static unsigned int emit_table(struct mirrorlive_c *mc, char *result,
			       unsigned int maxlen)
{
	u32 kbps = READ_ONCE(mc->max_copy_kbps);
	u32 min_kbps = READ_ONCE(mc->min_copy_kbps);
	bool paused = mirrorlive_phase_get(&mc->phase) == MIRRORLIVE_PAUSED;
	bool hold = promises_hold(mc);
	bool nosync = mc->nosync && hold;
	bool dest_zeroed = mc->dest_zeroed && hold;
	unsigned int features = 0;
	size_t sz = 0;

	features += mc->region_sectors != MIRRORLIVE_DEFAULT_REGION_SECTORS ? 2 : 0;
	features += kbps ? 2 : 0;
	features += mc->sparse + dest_zeroed + nosync + paused;
	features += mc->meta ? 2 : 0;
	features += mc->has_mirror_id ? 2 : 0;
	features += min_kbps ? 2 : 0;

	DMEMIT("%s %llu %s %llu", mc->source->name,
	       (unsigned long long)mc->source_offset, mc->dest->name,
	       (unsigned long long)mc->dest_offset);
	if (!features)
		return sz;

	DMEMIT(" %u", features);
	if (mc->region_sectors != MIRRORLIVE_DEFAULT_REGION_SECTORS)
		DMEMIT(" region_size %u", mc->region_sectors);
	if (kbps)
		DMEMIT(" max_copy_kbps %u", kbps);
	if (mc->sparse)
		DMEMIT(" sparse");
	if (dest_zeroed)
		DMEMIT(" dest_zeroed");
	if (nosync)
		DMEMIT(" nosync");
	if (paused)
		DMEMIT(" paused");
	if (mc->meta)
		DMEMIT(" metadata %s", mirrorlive_meta_name(mc->meta));
	if (mc->has_mirror_id)
		DMEMIT(" mirror_id %*phN", MIRRORLIVE_MIRROR_ID_LEN,
		       mc->mirror_id);
	if (min_kbps)
		DMEMIT(" min_copy_kbps %u", min_kbps);
	return sz;
}

/*
 * INFO:  <phase> <copied>/<total> <mirrored_writes> <dest_errors>
 *        <source_errors> <zero_regions> <max_copy_kbps> <reason>
 *        <dirty_regions> <verify_state> <verified>/<copied_regions>
 *        <mismatched_regions> <repaired_regions> <min_copy_kbps>
 *        <yielding>
 * TABLE: the canonical constructor line, devices as major:minor.
 * IMA:   the configuration as key=value pairs.
 */
static void mirrorlive_status(struct dm_target *ti, status_type_t type,
			      unsigned int status_flags, char *result,
			      unsigned int maxlen)
{
	struct mirrorlive_c *mc = ti->private;
	struct mirrorlive_verify_result vr;
	enum mirrorlive_reason reason;
	enum mirrorlive_phase phase;
	size_t sz = 0;

	switch (type) {
	case STATUSTYPE_INFO:
		phase = mirrorlive_phase_read(&mc->phase, &reason);
		DMEMIT("%s %llu/%llu %llu %llu %llu %llu %u %s ",
		       mirrorlive_phase_name(phase),
		       (unsigned long long)mirrorlive_regions_copied_sectors(mc->regions),
		       (unsigned long long)ti->len,
		       (unsigned long long)atomic64_read(&mc->mirrored_writes),
		       (unsigned long long)(atomic64_read(&mc->dest_errors) +
					    mirrorlive_copy_dest_errors(mc->copy)),
		       (unsigned long long)(atomic64_read(&mc->source_errors) +
					    mirrorlive_copy_source_errors(mc->copy) +
					    mirrorlive_verify_source_errors(mc->verify)),
		       (unsigned long long)mirrorlive_copy_zero_regions(mc->copy),
		       READ_ONCE(mc->max_copy_kbps),
		       mirrorlive_reason_name(reason));
		if (mc->meta)
			DMEMIT("%llu", (unsigned long long)
			       mirrorlive_meta_dirty(mc->meta));
		else
			DMEMIT("-");
		mirrorlive_verify_result(mc->verify, &vr);
		DMEMIT(" %s %llu/%llu %llu %llu",
		       mirrorlive_verify_state_name(vr.state),
		       (unsigned long long)vr.verified,
		       (unsigned long long)mirrorlive_regions_copied(mc->regions),
		       (unsigned long long)vr.mismatched,
		       (unsigned long long)vr.repaired);
		DMEMIT(" %u %s", READ_ONCE(mc->min_copy_kbps),
		       !READ_ONCE(mc->min_copy_kbps) ? "-" :
		       mirrorlive_copy_yielding(mc->copy) ? "y" : "n");
		break;

	case STATUSTYPE_TABLE:
		emit_table(mc, result, maxlen);
		break;

	case STATUSTYPE_IMA:
		DMEMIT_TARGET_NAME_VERSION(ti->type);
		DMEMIT(",source_device=%s,source_start=%llu",
		       mc->source->name, (unsigned long long)mc->source_offset);
		DMEMIT(",dest_device=%s,dest_start=%llu",
		       mc->dest->name, (unsigned long long)mc->dest_offset);
		DMEMIT(",region_size=%u,sparse=%c,dest_zeroed=%c,nosync=%c",
		       mc->region_sectors, mc->sparse ? 'y' : 'n',
		       mc->dest_zeroed ? 'y' : 'n', mc->nosync ? 'y' : 'n');
		if (mc->meta)
			DMEMIT(",metadata_device=%s",
			       mirrorlive_meta_name(mc->meta));
		DMEMIT(";");
		break;
	}
}

/*
 * Returns once the copies in flight have finished, so that a paused
 * mirror makes no more progress. They cannot wait for control_lock.
 */
static void pause_copy(struct mirrorlive_c *mc)
{
	mutex_lock(&mc->control_lock);
	if (mirrorlive_phase_event(&mc->phase, MIRRORLIVE_EV_PAUSE,
				   MIRRORLIVE_REASON_NONE)) {
		mirrorlive_copy_stop(mc->copy);
		mirrorlive_copy_drain(mc->copy);
		dm_table_event(mc->ti->table);
	}
	mutex_unlock(&mc->control_lock);
}

static void resume_copy(struct mirrorlive_c *mc)
{
	mutex_lock(&mc->control_lock);
	if (mirrorlive_phase_event(&mc->phase, MIRRORLIVE_EV_RESUME,
				   MIRRORLIVE_REASON_NONE)) {
		start_copy_if_due(mc);
		dm_table_event(mc->ti->table);
	}
	mutex_unlock(&mc->control_lock);
}

/*
 * The operator's way out of a destination that stopped answering: fail
 * the mirror, so that no new write or copy uses the destination, and let
 * go of the guest I/O and the copies waiting for it, so that a suspend
 * (and so cancel) can finish. Needs no lock that a stuck suspend or
 * pause_copy holds. Also on a failed mirror: its destination may still
 * hold I/O.
 */
static void let_go_of_dest(struct mirrorlive_c *mc)
{
	unsigned int let_go;

	if (mirrorlive_phase_event(&mc->phase, MIRRORLIVE_EV_FAIL,
				   MIRRORLIVE_REASON_FAIL_DEST)) {
		DMERR("%s: destination failed by fail_dest; writes go to the source only",
		      dm_table_device_name(mc->ti->table));
		schedule_work(&mc->event_work);
	}
	mirrorlive_copy_detach(mc->copy);
	mirrorlive_verify_detach(mc->verify);
	let_go = mirrorlive_dest_detach(&mc->dest_ios);
	if (let_go)
		DMWARN("%s: let go of %u destination I/Os in flight",
		       dm_table_device_name(mc->ti->table), let_go);
}

/*
 * The table swap that ends the migration records its outcome on the
 * metadata device while the mirror is suspended (its record committed
 * and clean): "completed" only for a mirror that is ready, "cancelled" in
 * any phase. A resume records "migrating" again (a rollback).
 */
static int record_outcome(struct mirrorlive_c *mc, const char *word)
{
	const char *name = dm_table_device_name(mc->ti->table);
	enum mirrorlive_reason reason;
	u32 state;
	int r;

	if (!strcasecmp(word, "completed")) {
		state = MIRRORLIVE_META_STATE_COMPLETED;
	} else if (!strcasecmp(word, "cancelled")) {
		state = MIRRORLIVE_META_STATE_CANCELLED;
	} else {
		DMWARN_LIMIT("Invalid outcome: %.32s", word);
		return -EINVAL;
	}
	if (!mc->meta) {
		DMWARN_LIMIT("%s: outcome: the mirror has no metadata device",
			     name);
		return -EINVAL;
	}
	if (!dm_suspended(mc->ti)) {
		DMWARN_LIMIT("%s: outcome: the mirror is not suspended", name);
		return -EBUSY;
	}
	mutex_lock(&mc->control_lock);
	if (state == MIRRORLIVE_META_STATE_COMPLETED &&
	    mirrorlive_phase_read(&mc->phase, &reason) != MIRRORLIVE_READY) {
		DMWARN_LIMIT("%s: outcome: completed needs a ready mirror",
			     name);
		r = -EINVAL;
	} else {
		r = mirrorlive_meta_record_outcome(mc->meta, state);
		if (r)
			DMWARN_LIMIT("%s: outcome: not recorded (%d)", name, r);
	}
	mutex_unlock(&mc->control_lock);
	return r;
}

/*
 * verify start | verify repair: a pass over the copied regions. Refused
 * while one runs or the mirror is suspended (-EBUSY), and on a failed
 * mirror (-EINVAL), whose legs may rightly differ.
 */
static int start_verify(struct mirrorlive_c *mc, bool repair)
{
	const char *name = dm_table_device_name(mc->ti->table);
	enum mirrorlive_reason reason;
	int r;

	mutex_lock(&mc->control_lock);
	if (mc->suspended) {
		DMWARN_LIMIT("%s: verify: the mirror is suspended", name);
		r = -EBUSY;
	} else if (mirrorlive_phase_read(&mc->phase, &reason) ==
		   MIRRORLIVE_FAILED) {
		DMWARN_LIMIT("%s: verify: the mirror failed (%s)", name,
			     mirrorlive_reason_name(reason));
		r = -EINVAL;
	} else {
		r = mirrorlive_verify_start(mc->verify, repair,
					    READ_ONCE(mc->max_copy_kbps));
		if (r == -EBUSY)
			DMWARN_LIMIT("%s: verify: a pass is running", name);
		else if (r)
			DMWARN_LIMIT("%s: verify: cannot start a pass (%d)",
				     name, r);
	}
	mutex_unlock(&mc->control_lock);
	return r;
}

/* The start sector of the lowest mismatched regions, as the result. */
static int emit_mismatches(struct mirrorlive_c *mc, char *result,
			   unsigned int maxlen)
{
	sector_t starts[MIRRORLIVE_VERIFY_MAX_REPORTED];
	unsigned int i, n;
	size_t sz = 0;

	n = mirrorlive_verify_mismatches(mc->verify, starts);
	for (i = 0; i < n; i++)
		DMEMIT("%s%llu", i ? " " : "", (unsigned long long)starts[i]);
	if (!n)
		*result = '\0';
	return 1;
}

static int verify_message(struct mirrorlive_c *mc, const char *word,
			  char *result, unsigned int maxlen)
{
	if (!strcasecmp(word, "start"))
		return start_verify(mc, false);
	if (!strcasecmp(word, "repair"))
		return start_verify(mc, true);
	if (!strcasecmp(word, "stop")) {
		mutex_lock(&mc->control_lock);
		mirrorlive_verify_stop(mc->verify);
		mutex_unlock(&mc->control_lock);
		return 0;
	}
	if (!strcasecmp(word, "mismatches"))
		return emit_mismatches(mc, result, maxlen);
	DMWARN_LIMIT("Invalid verify message: %.32s", word);
	return -EINVAL;
}

/*
 * max_copy_kbps <n> (@max) or min_copy_kbps <n>. Under control_lock, so
 * that concurrent messages leave the status and the throttles agreeing.
 */
static int rate_message(struct mirrorlive_c *mc, bool max, const char *value)
{
	u32 kbps;

	if (mirrorlive_parse_kbps(value, &kbps)) {
		DMWARN_LIMIT("Invalid %s value: %.32s",
			     max ? "max_copy_kbps" : "min_copy_kbps", value);
		return -EINVAL;
	}

	mutex_lock(&mc->control_lock);
	if (max) {
		WRITE_ONCE(mc->max_copy_kbps, kbps);
		mirrorlive_copy_set_rate(mc->copy, kbps);
		mirrorlive_verify_set_rate(mc->verify, kbps);
	} else {
		WRITE_ONCE(mc->min_copy_kbps, kbps);
		mirrorlive_copy_set_min_rate(mc->copy, kbps);
	}
	mutex_unlock(&mc->control_lock);
	return 0;
}

/*
 * pause_copy | resume_copy | max_copy_kbps <n> | min_copy_kbps <n> |
 * fail_dest | outcome completed|cancelled |
 * verify start|repair|stop|mismatches
 *
 * Pausing or resuming a mirror that is ready or failed changes nothing and
 * is not an error: there is no copy left to control.
 */
static int mirrorlive_message(struct dm_target *ti, unsigned int argc,
			      char **argv, char *result, unsigned int maxlen)
{
	struct mirrorlive_c *mc = ti->private;

	if (argc == 1 && !strcasecmp(argv[0], "pause_copy")) {
		pause_copy(mc);
		return 0;
	}
	if (argc == 1 && !strcasecmp(argv[0], "resume_copy")) {
		resume_copy(mc);
		return 0;
	}
	if (argc == 1 && !strcasecmp(argv[0], "fail_dest")) {
		let_go_of_dest(mc);
		return 0;
	}
	if (argc == 2 && !strcasecmp(argv[0], "outcome"))
		return record_outcome(mc, argv[1]);
	if (argc == 2 && !strcasecmp(argv[0], "verify"))
		return verify_message(mc, argv[1], result, maxlen);
	if (argc == 2 && (!strcasecmp(argv[0], "max_copy_kbps") ||
			  !strcasecmp(argv[0], "min_copy_kbps")))
		return rate_message(mc, !strcasecmp(argv[0], "max_copy_kbps"),
				    argv[1]);

	DMWARN_LIMIT("Unrecognised message received (%u words, first: %.32s)",
		     argc, argc ? argv[0] : "");
	return -EINVAL;
}

static int mirrorlive_iterate_devices(struct dm_target *ti,
				      iterate_devices_callout_fn fn, void *data)
{
	struct mirrorlive_c *mc = ti->private;
	int r;

	r = fn(ti, mc->source, mc->source_offset, ti->len, data);
	if (r)
		return r;

	return fn(ti, mc->dest, mc->dest_offset, ti->len, data);
}

static struct target_type mirrorlive_target = {
	.name		 = MIRRORLIVE_TARGET_NAME,
	.version	 = {0, 7, 0},
	.features	 = DM_TARGET_NOWAIT,
	.module		 = THIS_MODULE,
	.ctr		 = mirrorlive_ctr,
	.dtr		 = mirrorlive_dtr,
	.map		 = mirrorlive_map,
	.end_io		 = mirrorlive_end_io,
	.presuspend	 = mirrorlive_presuspend,
	.presuspend_undo = mirrorlive_resume,
	.postsuspend	 = mirrorlive_postsuspend,
	.preresume	 = mirrorlive_preresume,
	.resume		 = mirrorlive_resume,
	.status		 = mirrorlive_status,
	.message	 = mirrorlive_message,
	.iterate_devices = mirrorlive_iterate_devices,
};

static int __init dm_mirrorlive_init(void)
{
	int r;

	free_wq = alloc_workqueue("kmirrorlive_free", 0, 0);
	if (!free_wq)
		return -ENOMEM;

	r = dm_register_target(&mirrorlive_target);
	if (r < 0) {
		DMERR("register failed %d", r);
		destroy_workqueue(free_wq);
	}
	return r;
}

static void __exit dm_mirrorlive_exit(void)
{
	dm_unregister_target(&mirrorlive_target);
	/* Waits for a free_fn() past its module_put(). */
	destroy_workqueue(free_wq);
}

module_init(dm_mirrorlive_init);
module_exit(dm_mirrorlive_exit);

MODULE_DESCRIPTION(DM_NAME " live migration of a device to another one");
MODULE_AUTHOR("dm-mirrorlive developers");
MODULE_LICENSE("GPL");
