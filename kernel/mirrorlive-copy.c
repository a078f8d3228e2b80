// SPDX-License-Identifier: GPL-2.0-only
/*
 * dm-mirrorlive: the background copy. See mirrorlive-copy.h for the
 * contract.
 *
 * One job copies one region. Its start is a work item: it locks the
 * region, waits for the writes in flight to it if there are any, and
 * copies it chunk by chunk with synchronous dm-io through the job's own
 * buffer: read the source, write the destination (or, with sparse and
 * dest_zeroed, look at the data first). Then it unlocks the region and
 * takes the next uncopied one, as the rate limit allows. The dispatcher
 * (a delayed work) starts jobs when the copy starts and when the rate
 * limit lets it go on; the end of the copy and a failure are reported
 * from a work item too, which may sleep.
 *
 * The workqueue (the caller's) is per CPU: a job's next start is queued
 * on the pool it ran in, so on a device that completes in the submitter's
 * context (brd) one worker runs job after job with no hand-over to
 * another thread, and on one with latency the pool wakes another worker
 * for the next job while one sleeps in its I/O. Nothing here has a thread
 * of its own: the workqueue's rescuer is the copy's only one.
 *
 * A job's buffer is allocated when the job first runs (GFP_NOIO) and given
 * back when the copy is done; the first job's is allocated with the copy,
 * so that the copy always progresses: a job that cannot get one waits,
 * parked, until the copy starts again.
 */
#include <linux/dm-io.h>
#include <linux/err.h>
#include <linux/ioprio.h>
#include <linux/jiffies.h>
#include <linux/math64.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "mirrorlive-copy.h"
#include "mirrorlive-throttle.h"

/* Enough jobs to keep about this much I/O in flight... */
#define COPY_BYTES_IN_FLIGHT	(8U << 20)
/* ...but no more than these (small regions). */
#define COPY_MAX_JOBS		64U
/*
 * A region is copied in chunks of at most this size, the size of a job's
 * buffer, so that a stop (a suspend, pause_copy) waits for one chunk per
 * job, not for whole regions of up to 1 GiB: the rest of a region is
 * abandoned and copied again later.
 */
#define COPY_CHUNK_SECTORS	(1U << (20 - SECTOR_SHIFT))
/*
 * Regions the dispatcher looks at in one go under cp->lock (interrupts
 * off): 32768 bits, 4 KiB of bitmap. A bitmap may hold 2^31.
 */
#define DISPATCH_SCAN_REGIONS	BIT(15)

struct copy_job {
	struct mirrorlive_copy *cp;
	struct work_struct start_work;
	struct work_struct report_work;
	struct list_head free_entry;
	struct mirrorlive_region_copy region_lock;
	u64 region;
	bool locked;		/* region_lock is held */
	bool abandoned;		/* stopped before the region was copied */
	/* Under cp->lock: an I/O of the job's is in flight... */
	bool in_io;
	/* ...and the job was let go of: see mirrorlive_copy_detach(). */
	bool orphaned;
	/* What report_work reports: the failure, or none for the end. */
	enum mirrorlive_reason reason;

	/* min(region, COPY_CHUNK_SECTORS) of vmalloc memory, or NULL. */
	void *buf;
};

struct mirrorlive_copy {
	struct mirrorlive_copy_params p;
	struct dm_io_client *io;
	size_t buf_bytes;	/* of each job's buffer */
	/* sparse or dest_zeroed as created: the copy looks at the data */
	bool looking;
	struct delayed_work dispatch;
	wait_queue_head_t idle;

	/* Protects everything below. */
	spinlock_t lock;
	bool running;
	bool failed;		/* final: start does nothing */
	bool detached;		/* final: no job starts an I/O */
	bool done_reported;
	u64 cursor;		/* next region to consider */
	unsigned int in_flight;	/* jobs not free and not let go of */
	struct list_head free_jobs;
	struct list_head parked_jobs;	/* without a buffer, until a start */
	struct mirrorlive_throttle throttle;
	u32 max_kbps;		/* the limit, 0 = unlimited */
	u32 throttle_kbps;	/* the rate the bucket has now */

	/*
	 * Read by every guest bio (mirrorlive_copy_note_guest_io()), written
	 * at most once a jiffy and by the rate messages: a cache line of its
	 * own, away from what the copy writes all the time.
	 */
	struct {
		/* the rate while yielding, 0 = never yield; set under lock */
		u32 min_kbps;
		/* jiffies of the guest's last noted I/O; written locklessly */
		unsigned long io_at;
	} guest ____cacheline_aligned_in_smp;

	atomic64_t zero_regions ____cacheline_aligned_in_smp;
	atomic64_t source_errors;
	atomic64_t dest_errors;
	bool wrote_dest;	/* set once, read locklessly */

	unsigned int nr_jobs;
	struct copy_job jobs[];
};

static sector_t region_start(struct mirrorlive_copy *cp, u64 region)
{
	return region * cp->p.region_sectors;
}

static sector_t region_len(struct mirrorlive_copy *cp, u64 region)
{
	return min_t(sector_t, cp->p.region_sectors,
		     cp->p.len - region_start(cp, region));
}

/*
 * Whether the copy yields now; if so, *@until is the jiffy at which it
 * stops yielding unless the guest does I/O meanwhile.
 */
static bool yielding(struct mirrorlive_copy *cp, unsigned long *until)
{
	unsigned long end = READ_ONCE(cp->guest.io_at) +
			    MIRRORLIVE_COPY_YIELD_WINDOW;

	if (!READ_ONCE(cp->guest.min_kbps) || !time_before(jiffies, end))
		return false;
	*until = end;
	return true;
}

/*
 * Give the bucket the rate the copy may run at now, refilling it from
 * empty only when that rate changed (or @reset). Return: the jiffy at
 * which a yielding copy would stop yielding, or 0 when it does not yield.
 * Called with cp->lock held.
 */
static unsigned long apply_rate_locked(struct mirrorlive_copy *cp, bool reset)
{
	unsigned long until = 0;
	u32 kbps = cp->max_kbps;

	if (yielding(cp, &until))
		kbps = kbps ? min(kbps, cp->guest.min_kbps) : cp->guest.min_kbps;
	if (reset || kbps != cp->throttle_kbps) {
		mirrorlive_throttle_set(&cp->throttle, kbps);
		cp->throttle_kbps = kbps;
	}
	return until;
}

/*
 * Hand free jobs the next uncopied regions, as the rate limit allows.
 * A yielding copy that must wait looks again when it would stop yielding,
 * so that a guest gone quiet gets the full rate back within a window.
 * Called with cp->lock held.
 */
static void dispatch_locked(struct mirrorlive_copy *cp)
{
	u64 nr_regions = mirrorlive_regions_count(cp->p.regions);
	unsigned long delay, until;
	struct copy_job *job;
	u64 region, limit;

	while (cp->running && !list_empty(&cp->free_jobs)) {
		limit = cp->cursor + DISPATCH_SCAN_REGIONS;
		region = mirrorlive_region_next_uncopied_before(cp->p.regions,
								cp->cursor,
								limit);
		if (region >= nr_regions)
			break;
		if (region == limit) {
			/* All copied so far: go on from a new work item. */
			cp->cursor = limit;
			mod_delayed_work(cp->p.wq, &cp->dispatch, 0);
			break;
		}

		until = apply_rate_locked(cp, false);
		delay = mirrorlive_throttle_take(&cp->throttle,
						 (u64)region_len(cp, region) <<
						 SECTOR_SHIFT);
		if (delay) {
			if (until)
				delay = min(delay, until - jiffies + 1);
			mod_delayed_work(cp->p.wq, &cp->dispatch, delay);
			break;
		}

		job = list_first_entry(&cp->free_jobs, struct copy_job,
				       free_entry);
		list_del(&job->free_entry);
		cp->in_flight++;
		cp->cursor = region + 1;
		job->region = region;
		queue_work(cp->p.wq, &job->start_work);
	}
}

static void dispatch_fn(struct work_struct *work)
{
	struct mirrorlive_copy *cp = container_of(to_delayed_work(work),
						  struct mirrorlive_copy,
						  dispatch);

	spin_lock_irq(&cp->lock);
	dispatch_locked(cp);
	spin_unlock_irq(&cp->lock);
}

static void kick(struct mirrorlive_copy *cp)
{
	mod_delayed_work(cp->p.wq, &cp->dispatch, 0);
}

static void end_copy(struct copy_job *job, enum mirrorlive_reason reason);

/*
 * Whether the job is to stop before its next chunk: the copy was stopped.
 * The region stays uncopied (end_copy() puts the cursor back).
 */
static bool abandon(struct copy_job *job)
{
	job->abandoned = !READ_ONCE(job->cp->running);
	return job->abandoned;
}

/*
 * The job is about to wait for an I/O that the destination may never end.
 * Return: false if the copy was detached: the job must issue nothing.
 */
static bool job_io_begin(struct copy_job *job)
{
	struct mirrorlive_copy *cp = job->cp;
	bool go;

	spin_lock_irq(&cp->lock);
	go = !cp->detached;
	job->in_io = go;
	spin_unlock_irq(&cp->lock);
	return go;
}

/*
 * The job's I/O ended. Return: true if the job was let go of meanwhile;
 * it must then touch nothing but its own buffer: release() lets the copy
 * be freed.
 */
static bool job_io_end(struct copy_job *job)
{
	struct mirrorlive_copy *cp = job->cp;
	unsigned long flags;
	bool orphaned;

	spin_lock_irqsave(&cp->lock, flags);
	job->in_io = false;
	orphaned = job->orphaned;
	spin_unlock_irqrestore(&cp->lock, flags);

	if (orphaned)
		cp->p.release(cp->p.context);
	return orphaned;
}

static int sync_io(struct mirrorlive_copy *cp, blk_opf_t opf,
		   struct block_device *bdev, sector_t sector, sector_t count,
		   void *buf)
{
	struct dm_io_region where = {
		.bdev = bdev, .sector = sector, .count = count,
	};
	struct dm_io_request req = {
		.bi_opf = opf,
		.mem.type = DM_IO_VMA,
		.mem.ptr.vma = buf,
		.client = cp->io,
	};
	unsigned long error_bits = 0;
	int r;

	r = dm_io(&req, 1, &where, &error_bits, IOPRIO_DEFAULT);
	return r ? r : (error_bits ? -EIO : 0);
}

/*
 * Make @count sectors at @dest_sector read as zeroes without allocating
 * where possible: a write-zeroes request the device supports natively (it
 * may deallocate); else, since @buf is free, read the destination and
 * write zeroes only if it does not read as zeroes already (a thin volume's
 * unprovisioned blocks do, and stay unprovisioned). A failed read of the
 * destination is a copy_error: the destination failed, though not on a
 * write.
 */
static enum mirrorlive_reason zero_dest_chunk(struct copy_job *job,
					      sector_t dest_sector,
					      sector_t count)
{
	struct mirrorlive_copy *cp = job->cp;

	WRITE_ONCE(cp->wrote_dest, true);
	if (bdev_write_zeroes_sectors(cp->p.dest) &&
	    !blkdev_issue_zeroout(cp->p.dest, dest_sector, count, GFP_NOIO,
				  BLKDEV_ZERO_NOFALLBACK))
		return MIRRORLIVE_REASON_NONE;

	if (sync_io(cp, REQ_OP_READ, cp->p.dest, dest_sector, count, job->buf))
		return MIRRORLIVE_REASON_COPY;
	if (!memchr_inv(job->buf, 0, count << SECTOR_SHIFT))
		return MIRRORLIVE_REASON_NONE;

	if (blkdev_issue_zeroout(cp->p.dest, dest_sector, count, GFP_NOIO, 0))
		return MIRRORLIVE_REASON_DEST_WRITE;
	return MIRRORLIVE_REASON_NONE;
}

/*
 * Copy one chunk through the job's buffer; with sparse or dest_zeroed,
 * look at it first. Return the failure, and whether the chunk was looked
 * at and found all zeroes in *@zero.
 */
static enum mirrorlive_reason copy_chunk(struct copy_job *job, sector_t start,
					 sector_t count, bool *zero)
{
	struct mirrorlive_copy *cp = job->cp;
	sector_t dest_sector = cp->p.dest_offset + start;
	enum mirrorlive_reason reason;

	if (sync_io(cp, REQ_OP_READ, cp->p.source, cp->p.source_offset + start,
		    count, job->buf)) {
		atomic64_inc(&cp->source_errors);
		return MIRRORLIVE_REASON_SOURCE_READ;
	}

	*zero = cp->looking && !memchr_inv(job->buf, 0, count << SECTOR_SHIFT);
	if (*zero && cp->p.dest_zeroed)
		return MIRRORLIVE_REASON_NONE;

	if (*zero) {
		reason = zero_dest_chunk(job, dest_sector, count);
	} else {
		WRITE_ONCE(cp->wrote_dest, true);
		reason = sync_io(cp, REQ_OP_WRITE, cp->p.dest, dest_sector,
				 count, job->buf) ? MIRRORLIVE_REASON_DEST_WRITE :
						    MIRRORLIVE_REASON_NONE;
	}

	if (reason)
		atomic64_inc(&cp->dest_errors);
	return reason;
}

/*
 * Copy the job's region chunk by chunk. Return: false if the job was let
 * go of meanwhile (it is then finished with), else true with the failure
 * in *@reason.
 */
static bool copy_region(struct copy_job *job, enum mirrorlive_reason *reason)
{
	struct mirrorlive_copy *cp = job->cp;
	sector_t start = region_start(cp, job->region);
	sector_t len = region_len(cp, job->region);
	bool region_zero = true, chunk_zero;
	sector_t done, count;

	*reason = MIRRORLIVE_REASON_NONE;
	for (done = 0; done < len && !*reason; done += count) {
		if (done && abandon(job))
			return true;
		count = min_t(sector_t, len - done, COPY_CHUNK_SECTORS);
		if (!job_io_begin(job)) {
			job->abandoned = true;
			return true;
		}
		*reason = copy_chunk(job, start + done, count, &chunk_zero);
		if (job_io_end(job))
			return false;
		region_zero &= chunk_zero;
	}

	if (!*reason && region_zero)
		atomic64_inc(&cp->zero_regions);
	return true;
}

/* The job is free again. Called with cp->lock held. */
static void put_job_locked(struct copy_job *job)
{
	struct mirrorlive_copy *cp = job->cp;

	list_add(&job->free_entry, &cp->free_jobs);
	cp->in_flight--;
}

/*
 * The copy of the job's region ended: unlock it, route the writes that
 * waited on it, and either give the job the next region or, when the copy
 * failed or this was the last region, have report_work report it. Called
 * from the job's start work.
 */
static void end_copy(struct copy_job *job, enum mirrorlive_reason reason)
{
	struct mirrorlive_copy *cp = job->cp;
	struct mirrorlive_regions *rg = cp->p.regions;
	struct bio_list deferred = BIO_EMPTY_LIST;
	bool report = false, idle;
	unsigned long flags;

	job->locked = false;
	mirrorlive_region_copy_unlock(rg, &job->region_lock,
				      !reason && !job->abandoned, &deferred);
	if (!bio_list_empty(&deferred))
		cp->p.release_writes(cp->p.context, &deferred);

	spin_lock_irqsave(&cp->lock, flags);
	/* An abandoned region is copied again when the copy goes on. */
	if (job->abandoned)
		cp->cursor = min(cp->cursor, job->region);
	if (reason) {
		cp->running = false;
		cp->failed = true;
		report = true;
	} else if (!cp->done_reported &&
		   mirrorlive_regions_copied(rg) == mirrorlive_regions_count(rg)) {
		cp->done_reported = true;
		report = true;
	}
	if (report) {
		spin_unlock_irqrestore(&cp->lock, flags);
		job->reason = reason;
		queue_work(cp->p.wq, &job->report_work);
		return;
	}
	put_job_locked(job);
	dispatch_locked(cp);
	idle = !cp->in_flight;
	spin_unlock_irqrestore(&cp->lock, flags);

	if (idle)
		wake_up_all(&cp->idle);
}

/*
 * The copy is done: give back the buffers of @reporter, the job that
 * reports it, and of the free jobs, but the first job's; one at a time
 * (vfree() outside the lock). A job still in flight keeps its own; the
 * copy frees it when destroyed.
 */
static void free_spare_buffers(struct mirrorlive_copy *cp,
			       struct copy_job *reporter)
{
	struct copy_job *job;
	void *buf;

	if (reporter != &cp->jobs[0]) {
		vfree(reporter->buf);
		reporter->buf = NULL;
	}
	do {
		buf = NULL;
		spin_lock_irq(&cp->lock);
		list_for_each_entry(job, &cp->free_jobs, free_entry) {
			if (job != &cp->jobs[0] && job->buf) {
				buf = job->buf;
				job->buf = NULL;
				break;
			}
		}
		spin_unlock_irq(&cp->lock);
		vfree(buf);
	} while (buf);
}

/*
 * Report the end of the copy (after the destination flush) or its failure.
 * Only then does the job stop counting as in flight, so that a drain also
 * waits for the flush and the report.
 */
static void report_fn(struct work_struct *work)
{
	struct copy_job *job = container_of(work, struct copy_job, report_work);
	struct mirrorlive_copy *cp = job->cp;
	enum mirrorlive_reason reason = job->reason;
	unsigned long flags;
	bool idle;
	int r;

	/*
	 * What the guest flushed on the source before its region was copied
	 * must be durable on the destination before the pivot can happen.
	 */
	if (!reason && !job_io_begin(job)) {
		/* Detached: the mirror failed already, the reason is kept. */
		reason = MIRRORLIVE_REASON_DEST_FLUSH;
	} else if (!reason) {
		r = blkdev_issue_flush(cp->p.dest);
		if (job_io_end(job))
			return;
		if (r) {
			atomic64_inc(&cp->dest_errors);
			reason = MIRRORLIVE_REASON_DEST_FLUSH;
		}
	}

	if (reason) {
		mirrorlive_copy_fail(cp);
		cp->p.failed(cp->p.context, reason);
	} else {
		free_spare_buffers(cp, job);
		cp->p.done(cp->p.context);
	}

	spin_lock_irqsave(&cp->lock, flags);
	put_job_locked(job);
	idle = !cp->in_flight;
	spin_unlock_irqrestore(&cp->lock, flags);
	if (idle)
		wake_up_all(&cp->idle);
}

/*
 * The job could not get a buffer: give its region back to the others and
 * park the job until the copy starts again.
 */
static void park_job(struct copy_job *job)
{
	struct mirrorlive_copy *cp = job->cp;
	unsigned long flags;
	bool idle;

	spin_lock_irqsave(&cp->lock, flags);
	cp->cursor = min(cp->cursor, job->region);
	list_add(&job->free_entry, &cp->parked_jobs);
	cp->in_flight--;
	dispatch_locked(cp);
	idle = !cp->in_flight;
	spin_unlock_irqrestore(&cp->lock, flags);

	if (idle)
		wake_up_all(&cp->idle);
}

static void start_fn(struct work_struct *work)
{
	struct copy_job *job = container_of(work, struct copy_job, start_work);
	struct mirrorlive_copy *cp = job->cp;
	struct mirrorlive_regions *rg = cp->p.regions;
	enum mirrorlive_reason reason;

	if (!job->buf) {
		/* No I/O to this device from reclaim: it may be suspended. */
		job->buf = __vmalloc(cp->buf_bytes,
				     GFP_NOIO | __GFP_NORETRY | __GFP_NOWARN);
		if (!job->buf) {
			park_job(job);
			return;
		}
	}

	if (!mirrorlive_region_copy_lock(rg, &job->region_lock, job->region))
		mirrorlive_region_copy_wait(rg, &job->region_lock);
	job->locked = true;
	job->abandoned = false;

	if (copy_region(job, &reason))
		end_copy(job, reason);
}

/* A job has one chunk in flight: 64 jobs up to 128 KiB regions, 8 from 1 MiB. */
static unsigned int nr_jobs_for(u32 region_sectors)
{
	u32 chunk = min(region_sectors, COPY_CHUNK_SECTORS);

	return min_t(u32, (COPY_BYTES_IN_FLIGHT >> SECTOR_SHIFT) / chunk,
		     COPY_MAX_JOBS);
}

static void free_copy(struct mirrorlive_copy *cp)
{
	unsigned int i;

	/*
	 * A drained copy may still be in end_copy() or park_job(), past its
	 * last use of the regions but before its wake_up_all(&cp->idle): in a
	 * work item, which flush_workqueue() waits for before kfree().
	 */
	flush_workqueue(cp->p.wq);
	if (!IS_ERR_OR_NULL(cp->io))
		dm_io_client_destroy(cp->io);
	for (i = 0; i < cp->nr_jobs; i++)
		vfree(cp->jobs[i].buf);
	kfree(cp);
}

/* The jobs, free; only the first gets its buffer now. */
static int alloc_jobs(struct mirrorlive_copy *cp)
{
	struct copy_job *job;
	unsigned int i;

	for (i = 0; i < cp->nr_jobs; i++) {
		job = &cp->jobs[i];
		job->cp = cp;
		INIT_WORK(&job->start_work, start_fn);
		INIT_WORK(&job->report_work, report_fn);
		list_add_tail(&job->free_entry, &cp->free_jobs);
	}
	cp->jobs[0].buf = vmalloc(cp->buf_bytes);
	return cp->jobs[0].buf ? 0 : -ENOMEM;
}

struct mirrorlive_copy *mirrorlive_copy_create(const struct mirrorlive_copy_params *p)
{
	unsigned int nr_jobs = nr_jobs_for(p->region_sectors);
	struct mirrorlive_copy *cp;
	int r = -ENOMEM;

	cp = kzalloc(struct_size(cp, jobs, nr_jobs), GFP_KERNEL);
	if (!cp)
		return ERR_PTR(-ENOMEM);

	cp->p = *p;
	cp->nr_jobs = nr_jobs;
	cp->buf_bytes = (size_t)min(p->region_sectors, COPY_CHUNK_SECTORS) <<
			SECTOR_SHIFT;
	cp->looking = p->sparse || p->dest_zeroed;
	spin_lock_init(&cp->lock);
	INIT_LIST_HEAD(&cp->free_jobs);
	INIT_LIST_HEAD(&cp->parked_jobs);
	INIT_DELAYED_WORK(&cp->dispatch, dispatch_fn);
	init_waitqueue_head(&cp->idle);
	atomic64_set(&cp->zero_regions, 0);
	atomic64_set(&cp->source_errors, 0);
	atomic64_set(&cp->dest_errors, 0);
	cp->max_kbps = p->max_copy_kbps;
	cp->guest.min_kbps = p->min_copy_kbps;
	cp->guest.io_at = jiffies - MIRRORLIVE_COPY_YIELD_WINDOW - 1;
	apply_rate_locked(cp, true);

	if (alloc_jobs(cp))
		goto out_free;

	cp->io = dm_io_client_create();
	if (IS_ERR(cp->io)) {
		r = PTR_ERR(cp->io);
		goto out_free;
	}
	return cp;

out_free:
	free_copy(cp);
	return ERR_PTR(r);
}

void mirrorlive_copy_destroy(struct mirrorlive_copy *cp)
{
	WARN_ON(cp->running || cp->in_flight);
	cancel_delayed_work_sync(&cp->dispatch);
	free_copy(cp);
}

void mirrorlive_copy_start(struct mirrorlive_copy *cp)
{
	unsigned long flags;

	spin_lock_irqsave(&cp->lock, flags);
	cp->running = !cp->failed;
	/* Jobs parked for want of a buffer try again. */
	list_splice_init(&cp->parked_jobs, &cp->free_jobs);
	spin_unlock_irqrestore(&cp->lock, flags);
	if (cp->running)
		kick(cp);
}

void mirrorlive_copy_stop(struct mirrorlive_copy *cp)
{
	unsigned long flags;

	spin_lock_irqsave(&cp->lock, flags);
	cp->running = false;
	spin_unlock_irqrestore(&cp->lock, flags);
	cancel_delayed_work(&cp->dispatch);
}

void mirrorlive_copy_fail(struct mirrorlive_copy *cp)
{
	unsigned long flags;

	spin_lock_irqsave(&cp->lock, flags);
	cp->running = false;
	cp->failed = true;
	spin_unlock_irqrestore(&cp->lock, flags);
	cancel_delayed_work(&cp->dispatch);
}

void mirrorlive_copy_detach(struct mirrorlive_copy *cp)
{
	struct bio_list deferred = BIO_EMPTY_LIST;
	struct copy_job *job, *next;
	LIST_HEAD(orphans);
	unsigned int i;
	bool idle;

	spin_lock_irq(&cp->lock);
	cp->running = false;
	cp->failed = true;
	cp->detached = true;
	for (i = 0; i < cp->nr_jobs; i++) {
		job = &cp->jobs[i];
		if (!job->in_io || job->orphaned)
			continue;
		job->orphaned = true;
		cp->p.hold(cp->p.context);
		cp->in_flight--;
		/* A job in I/O is on no list: its free_entry is unused. */
		list_add_tail(&job->free_entry, &orphans);
	}
	idle = !cp->in_flight;
	spin_unlock_irq(&cp->lock);
	cancel_delayed_work(&cp->dispatch);

	/*
	 * The job never touches its region again: unlock it for the job, as
	 * abandoned. The writes that waited on it go to the source alone.
	 */
	list_for_each_entry_safe(job, next, &orphans, free_entry) {
		if (!job->locked)
			continue;	/* flushing before "ready" */
		job->locked = false;
		mirrorlive_region_copy_unlock(cp->p.regions, &job->region_lock, false,
					      &deferred);
		if (!bio_list_empty(&deferred))
			cp->p.release_writes(cp->p.context, &deferred);
	}
	if (idle)
		wake_up_all(&cp->idle);
}

void mirrorlive_copy_forget_dest_zeroed(struct mirrorlive_copy *cp)
{
	WARN_ON_ONCE(READ_ONCE(cp->running));
	cp->p.dest_zeroed = false;
}

bool mirrorlive_copy_wrote_dest(struct mirrorlive_copy *cp)
{
	return READ_ONCE(cp->wrote_dest);
}

void mirrorlive_copy_drain(struct mirrorlive_copy *cp)
{
	wait_event(cp->idle, !READ_ONCE(cp->in_flight));
	/* A throttled job may have queued the dispatcher again. */
	cancel_delayed_work_sync(&cp->dispatch);
}

/*
 * Set the limit and the minimum rate to @max_kbps and @min_kbps, where
 * not NULL, and refill the bucket from empty at the rate they give now.
 */
static void set_rates(struct mirrorlive_copy *cp, const u32 *max_kbps,
		      const u32 *min_kbps)
{
	unsigned long flags;
	bool running;

	spin_lock_irqsave(&cp->lock, flags);
	if (max_kbps)
		cp->max_kbps = *max_kbps;
	if (min_kbps)
		WRITE_ONCE(cp->guest.min_kbps, *min_kbps);
	apply_rate_locked(cp, true);
	running = cp->running;
	spin_unlock_irqrestore(&cp->lock, flags);

	/* Recompute a pending throttle delay against the new rate. */
	if (running)
		kick(cp);
}

void mirrorlive_copy_set_rate(struct mirrorlive_copy *cp, u32 kbps)
{
	set_rates(cp, &kbps, NULL);
}

void mirrorlive_copy_set_min_rate(struct mirrorlive_copy *cp, u32 kbps)
{
	set_rates(cp, NULL, &kbps);
}

void mirrorlive_copy_note_guest_io(struct mirrorlive_copy *cp)
{
	unsigned long now = jiffies;

	if (READ_ONCE(cp->guest.min_kbps) && READ_ONCE(cp->guest.io_at) != now)
		WRITE_ONCE(cp->guest.io_at, now);
}

bool mirrorlive_copy_yielding(struct mirrorlive_copy *cp)
{
	unsigned long until;

	return yielding(cp, &until);
}

u64 mirrorlive_copy_zero_regions(struct mirrorlive_copy *cp)
{
	return atomic64_read(&cp->zero_regions);
}

u64 mirrorlive_copy_source_errors(struct mirrorlive_copy *cp)
{
	return atomic64_read(&cp->source_errors);
}

u64 mirrorlive_copy_dest_errors(struct mirrorlive_copy *cp)
{
	return atomic64_read(&cp->dest_errors);
}
