// SPDX-License-Identifier: GPL-2.0-only
/*
 * dm-mirrorlive: online verify. See mirrorlive-verify.h for the contract.
 *
 * A pass is a begin work item, which has every write tracked, and a few
 * jobs, each a delayed work item that takes the next copied region from a
 * shared cursor, verifies it, and goes on until the regions run out, the
 * pass is stopped or the mirror failed; a throttled job queues itself
 * again after the delay. The last job to end ends the pass. v->active
 * counts the begin work and the jobs still part of the pass.
 */
#include <linux/completion.h>
#include <linux/device-mapper.h>
#include <linux/dm-io.h>
#include <linux/err.h>
#include <linux/ioprio.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "mirrorlive-abi.h"
#include "mirrorlive-throttle.h"
#include "mirrorlive-verify.h"

#define VERIFY_JOBS		4
/* Compared at once: a region, or this much of it. */
#define VERIFY_CHUNK_SECTORS	2048U	/* 1 MiB */

enum { LEG_SOURCE, LEG_DEST, NR_LEGS };

struct verify_job;

struct verify_io {
	struct verify_job *job;
	unsigned long error_bits;
};

struct verify_job {
	struct mirrorlive_verify *v;
	struct delayed_work work;
	struct list_head orphan_entry;
	struct mirrorlive_region_copy region_lock;
	bool locked;		/* region_lock is held */
	/* Under v->lock: part of the pass, in I/O, let go of. */
	bool active;
	bool in_io;
	bool orphaned;

	atomic_t ios;
	struct completion ios_done;
	bool write_failed;	/* a repair's write, not its read back */
	struct verify_io io[NR_LEGS];
	void *buf[NR_LEGS];
};

struct mirrorlive_verify {
	struct mirrorlive_verify_params p;
	struct dm_io_client *io;
	struct work_struct begin_work;
	wait_queue_head_t idle;
	sector_t chunk_sectors;

	/* Protects everything below but source_errors. */
	spinlock_t lock;
	unsigned int active;	/* begin work and jobs in the pass */
	bool running;		/* jobs take regions */
	bool repair;
	bool stopping;		/* mirrorlive_verify_stop() ends the pass */
	bool source_failed;
	bool detached;		/* final */
	u64 cursor;
	struct mirrorlive_throttle throttle;
	struct mirrorlive_verify_result res;
	unsigned int nr_reported;
	sector_t reported[MIRRORLIVE_VERIFY_MAX_REPORTED];

	atomic64_t source_errors;
	struct verify_job jobs[VERIFY_JOBS];
};

static const char * const state_names[MIRRORLIVE_NR_VERIFY_STATES] = {
	[MIRRORLIVE_VERIFY_NONE]	= MIRRORLIVE_VERIFY_NAME_NONE,
	[MIRRORLIVE_VERIFY_VERIFYING]	= MIRRORLIVE_VERIFY_NAME_VERIFYING,
	[MIRRORLIVE_VERIFY_REPAIRING]	= MIRRORLIVE_VERIFY_NAME_REPAIRING,
	[MIRRORLIVE_VERIFY_DONE]	= MIRRORLIVE_VERIFY_NAME_DONE,
	[MIRRORLIVE_VERIFY_STOPPED]	= MIRRORLIVE_VERIFY_NAME_STOPPED,
	[MIRRORLIVE_VERIFY_ERROR]	= MIRRORLIVE_VERIFY_NAME_ERROR,
};

const char *mirrorlive_verify_state_name(enum mirrorlive_verify_state state)
{
	return state < MIRRORLIVE_NR_VERIFY_STATES ? state_names[state] : "unknown";
}

static sector_t region_start(struct mirrorlive_verify *v, u64 region)
{
	return region * v->p.region_sectors;
}

static sector_t region_len(struct mirrorlive_verify *v, u64 region)
{
	return min_t(sector_t, v->p.region_sectors,
		     v->p.len - region_start(v, region));
}

/*
 * Keep the lowest MIRRORLIVE_VERIFY_MAX_REPORTED starts, ascending.
 * Called with v->lock held.
 */
static void report_mismatch_locked(struct mirrorlive_verify *v, sector_t start)
{
	unsigned int i = v->nr_reported;

	if (i == MIRRORLIVE_VERIFY_MAX_REPORTED) {
		if (start > v->reported[i - 1])
			return;
		i--;
	} else {
		v->nr_reported++;
	}
	for (; i && v->reported[i - 1] > start; i--)
		v->reported[i] = v->reported[i - 1];
	v->reported[i] = start;
}

/*
 * The last member of the pass ended: the pass ends. Writes go back to
 * being counted only (no region is locked any more). Called with v->lock
 * held. Return: whether the pass ended by itself.
 */
static bool end_pass_locked(struct mirrorlive_verify *v)
{
	bool failed = v->source_failed || v->p.mirror_failed(v->p.context);

	mirrorlive_regions_track_all_end(v->p.regions);
	v->running = false;
	if (v->stopping)
		v->res.state = MIRRORLIVE_VERIFY_STOPPED;
	else
		v->res.state = failed ? MIRRORLIVE_VERIFY_ERROR : MIRRORLIVE_VERIFY_DONE;
	return !v->stopping;
}

/* One member of the pass is done with it. */
static void put_active(struct mirrorlive_verify *v)
{
	bool last, by_itself = false;
	unsigned long flags;

	spin_lock_irqsave(&v->lock, flags);
	last = !--v->active;
	if (last)
		by_itself = end_pass_locked(v);
	spin_unlock_irqrestore(&v->lock, flags);

	if (last && by_itself)
		v->p.ended(v->p.context);
	if (last)
		wake_up_all(&v->idle);
}

static void job_exit(struct verify_job *job)
{
	struct mirrorlive_verify *v = job->v;
	unsigned long flags;

	spin_lock_irqsave(&v->lock, flags);
	job->active = false;
	spin_unlock_irqrestore(&v->lock, flags);
	put_active(v);
}

/* Return: false if detached: the job must issue nothing. */
static bool job_io_begin(struct verify_job *job)
{
	struct mirrorlive_verify *v = job->v;
	bool go;

	spin_lock_irq(&v->lock);
	go = !v->detached;
	job->in_io = go;
	spin_unlock_irq(&v->lock);
	return go;
}

/*
 * Return: true if the job was let go of meanwhile; it must then touch
 * nothing: release() lets the engine be freed.
 */
static bool job_io_end(struct verify_job *job)
{
	struct mirrorlive_verify *v = job->v;
	bool orphaned;

	spin_lock_irq(&v->lock);
	job->in_io = false;
	orphaned = job->orphaned;
	spin_unlock_irq(&v->lock);

	if (orphaned)
		v->p.release(v->p.context);
	return orphaned;
}

static void io_notify(unsigned long error_bits, void *context)
{
	struct verify_io *io = context;

	io->error_bits = error_bits;
	if (atomic_dec_and_test(&io->job->ios))
		complete(&io->job->ios_done);
}

/* An I/O of @count sectors at @start of the mapping on @leg, from @buf. */
static void submit_leg(struct verify_job *job, unsigned int leg, blk_opf_t opf,
		       sector_t start, sector_t count, void *buf)
{
	struct mirrorlive_verify *v = job->v;
	struct dm_io_region where = {
		.bdev = leg == LEG_SOURCE ? v->p.source : v->p.dest,
		.sector = (leg == LEG_SOURCE ? v->p.source_offset :
			   v->p.dest_offset) + start,
		.count = count,
	};
	struct dm_io_request req = {
		.bi_opf = opf,
		.mem.type = DM_IO_VMA,
		.mem.ptr.vma = buf,
		.notify.fn = io_notify,
		.notify.context = &job->io[leg],
		.client = v->io,
	};

	job->io[leg].error_bits = 0;
	if (dm_io(&req, 1, &where, NULL, IOPRIO_DEFAULT))
		io_notify(1, &job->io[leg]);
}

/*
 * What became of a region; or, from chunk_io(), of a chunk's I/O:
 * REGION_IO_DONE (go on), ABANDONED (detached) or ORPHANED.
 */
enum region_outcome { REGION_IO_DONE, REGION_MATCHED, REGION_MISMATCHED,
		      REGION_REPAIRED, REGION_ABANDONED, REGION_ORPHANED };

/*
 * Read the chunk from both legs in parallel into the job's buffers, or
 * (@repair) write the source's buffer to the destination (FUA) and read
 * it back into the destination's buffer; and wait. The caller looks at
 * the legs' error_bits.
 */
static enum region_outcome chunk_io(struct verify_job *job, sector_t start,
				    sector_t count, bool repair)
{
	if (!job_io_begin(job))
		return REGION_ABANDONED;

	job->io[LEG_SOURCE].error_bits = 0;
	job->write_failed = false;
	reinit_completion(&job->ios_done);
	if (repair) {
		atomic_set(&job->ios, 1);
		submit_leg(job, LEG_DEST, REQ_OP_WRITE | REQ_FUA, start, count,
			   job->buf[LEG_SOURCE]);
		wait_for_completion_io(&job->ios_done);
		job->write_failed = job->io[LEG_DEST].error_bits;
		if (job->write_failed)
			goto out;
		reinit_completion(&job->ios_done);
		atomic_set(&job->ios, 1);
		submit_leg(job, LEG_DEST, REQ_OP_READ, start, count,
			   job->buf[LEG_DEST]);
	} else {
		atomic_set(&job->ios, NR_LEGS);
		submit_leg(job, LEG_SOURCE, REQ_OP_READ, start, count,
			   job->buf[LEG_SOURCE]);
		submit_leg(job, LEG_DEST, REQ_OP_READ, start, count,
			   job->buf[LEG_DEST]);
	}
	wait_for_completion_io(&job->ios_done);
out:
	return job_io_end(job) ? REGION_ORPHANED : REGION_IO_DONE;
}

/* The chunk differs: write the source's data over it, and compare again. */
static enum region_outcome repair_chunk(struct verify_job *job, sector_t start,
					sector_t count)
{
	struct mirrorlive_verify *v = job->v;
	enum region_outcome io = chunk_io(job, start, count, true);

	if (io != REGION_IO_DONE)
		return io;
	if (job->io[LEG_DEST].error_bits) {
		v->p.dest_failed(v->p.context, job->write_failed ?
				 MIRRORLIVE_REASON_DEST_WRITE :
				 MIRRORLIVE_REASON_DEST_READ);
		return REGION_ABANDONED;
	}
	return memcmp(job->buf[LEG_SOURCE], job->buf[LEG_DEST],
		      count << SECTOR_SHIFT) ? REGION_MISMATCHED : REGION_REPAIRED;
}

/* Compare the locked region chunk by chunk (repairing: and repair it). */
static enum region_outcome compare_region(struct verify_job *job, u64 region)
{
	struct mirrorlive_verify *v = job->v;
	sector_t start = region_start(v, region);
	sector_t len = region_len(v, region);
	bool mismatched = false, repaired = true;
	enum region_outcome chunk;
	sector_t done, count;

	for (done = 0; done < len; done += count) {
		if (!READ_ONCE(v->running))
			return REGION_ABANDONED;
		count = min(len - done, v->chunk_sectors);
		chunk = chunk_io(job, start + done, count, false);
		if (chunk != REGION_IO_DONE)
			return chunk;
		if (job->io[LEG_SOURCE].error_bits) {
			atomic64_inc(&v->source_errors);
			spin_lock_irq(&v->lock);
			v->source_failed = true;
			v->running = false;
			spin_unlock_irq(&v->lock);
			return REGION_ABANDONED;
		}
		if (job->io[LEG_DEST].error_bits)
			v->p.dest_failed(v->p.context, MIRRORLIVE_REASON_DEST_READ);
		/* A failed mirror's destination may rightly differ. */
		if (v->p.mirror_failed(v->p.context))
			return REGION_ABANDONED;
		if (!memcmp(job->buf[LEG_SOURCE], job->buf[LEG_DEST],
			    count << SECTOR_SHIFT))
			continue;

		mismatched = true;
		if (!v->repair)
			return REGION_MISMATCHED;
		chunk = repair_chunk(job, start + done, count);
		if (chunk == REGION_ABANDONED || chunk == REGION_ORPHANED)
			return chunk;
		repaired &= chunk == REGION_REPAIRED;
	}
	if (!mismatched)
		return REGION_MATCHED;
	return repaired ? REGION_REPAIRED : REGION_MISMATCHED;
}

/* Return: false if the job was let go of (it touches nothing more). */
static bool verify_region(struct verify_job *job, u64 region)
{
	struct mirrorlive_verify *v = job->v;
	struct mirrorlive_regions *rg = v->p.regions;
	struct bio_list deferred = BIO_EMPTY_LIST;
	enum region_outcome outcome;

	if (!mirrorlive_region_copy_lock(rg, &job->region_lock, region))
		mirrorlive_region_copy_wait(rg, &job->region_lock);
	job->locked = true;

	outcome = compare_region(job, region);
	if (outcome == REGION_ORPHANED)
		return false;

	job->locked = false;
	mirrorlive_region_copy_unlock(rg, &job->region_lock, false, &deferred);
	if (!bio_list_empty(&deferred))
		v->p.release_writes(v->p.context, &deferred);

	if (outcome == REGION_ABANDONED)
		return true;
	spin_lock_irq(&v->lock);
	v->res.verified++;
	if (outcome != REGION_MATCHED) {
		v->res.mismatched++;
		report_mismatch_locked(v, region_start(v, region));
	}
	if (outcome == REGION_REPAIRED)
		v->res.repaired++;
	spin_unlock_irq(&v->lock);
	return true;
}

static void job_fn(struct work_struct *work)
{
	struct verify_job *job = container_of(to_delayed_work(work),
					      struct verify_job, work);
	struct mirrorlive_verify *v = job->v;
	struct mirrorlive_regions *rg = v->p.regions;
	unsigned long delay;
	u64 region;

	spin_lock_irq(&v->lock);
	if (!job->active) {
		spin_unlock_irq(&v->lock);
		return;
	}
	spin_unlock_irq(&v->lock);

	while (!v->p.mirror_failed(v->p.context)) {
		spin_lock_irq(&v->lock);
		region = mirrorlive_region_next_copied(rg, v->cursor);
		if (!v->running || region >= mirrorlive_regions_count(rg)) {
			spin_unlock_irq(&v->lock);
			break;
		}
		delay = mirrorlive_throttle_take(&v->throttle,
						 (u64)region_len(v, region) <<
						 SECTOR_SHIFT);
		if (delay) {
			/* stop() cancels it, under the same lock's order */
			queue_delayed_work(v->p.wq, &job->work, delay);
			spin_unlock_irq(&v->lock);
			return;
		}
		v->cursor = region + 1;
		spin_unlock_irq(&v->lock);

		if (!verify_region(job, region))
			return;
	}
	job_exit(job);
}

/* Have every write tracked, then set the jobs going. */
static void begin_fn(struct work_struct *work)
{
	struct mirrorlive_verify *v = container_of(work, struct mirrorlive_verify,
						   begin_work);
	unsigned int i;

	mirrorlive_regions_track_all_begin(v->p.regions);
	for (i = 0; i < VERIFY_JOBS; i++)
		queue_delayed_work(v->p.wq, &v->jobs[i].work, 0);
	put_active(v);
}

static void free_buffers(struct mirrorlive_verify *v)
{
	unsigned int i, leg;

	for (i = 0; i < VERIFY_JOBS; i++)
		for (leg = 0; leg < NR_LEGS; leg++) {
			vfree(v->jobs[i].buf[leg]);
			v->jobs[i].buf[leg] = NULL;
		}
}

static int alloc_buffers(struct mirrorlive_verify *v)
{
	size_t bytes = (size_t)v->chunk_sectors << SECTOR_SHIFT;
	unsigned int i, leg;

	if (v->jobs[0].buf[LEG_SOURCE])
		return 0;
	for (i = 0; i < VERIFY_JOBS; i++)
		for (leg = 0; leg < NR_LEGS; leg++) {
			v->jobs[i].buf[leg] = vmalloc(bytes);
			if (!v->jobs[i].buf[leg]) {
				free_buffers(v);
				return -ENOMEM;
			}
		}
	return 0;
}

struct mirrorlive_verify *
mirrorlive_verify_create(const struct mirrorlive_verify_params *p)
{
	struct mirrorlive_verify *v;
	unsigned int i;

	v = kzalloc(sizeof(*v), GFP_KERNEL);
	if (!v)
		return ERR_PTR(-ENOMEM);

	v->p = *p;
	v->chunk_sectors = min(p->region_sectors, VERIFY_CHUNK_SECTORS);
	spin_lock_init(&v->lock);
	init_waitqueue_head(&v->idle);
	INIT_WORK(&v->begin_work, begin_fn);
	atomic64_set(&v->source_errors, 0);
	for (i = 0; i < VERIFY_JOBS; i++) {
		v->jobs[i].v = v;
		INIT_DELAYED_WORK(&v->jobs[i].work, job_fn);
		init_completion(&v->jobs[i].ios_done);
		v->jobs[i].io[LEG_SOURCE].job = &v->jobs[i];
		v->jobs[i].io[LEG_DEST].job = &v->jobs[i];
	}

	v->io = dm_io_client_create();
	if (IS_ERR(v->io)) {
		int r = PTR_ERR(v->io);

		kfree(v);
		return ERR_PTR(r);
	}
	return v;
}

void mirrorlive_verify_destroy(struct mirrorlive_verify *v)
{
	unsigned int i;

	WARN_ON(v->active);
	cancel_work_sync(&v->begin_work);
	/* Also waits for a job let go of that is returning from its I/O. */
	for (i = 0; i < VERIFY_JOBS; i++)
		cancel_delayed_work_sync(&v->jobs[i].work);
	dm_io_client_destroy(v->io);
	free_buffers(v);
	kfree(v);
}

int mirrorlive_verify_start(struct mirrorlive_verify *v, bool repair, u32 kbps)
{
	unsigned int i;
	int r;

	spin_lock_irq(&v->lock);
	r = v->detached ? -ENODEV : v->active ? -EBUSY : 0;
	spin_unlock_irq(&v->lock);
	if (r)
		return r;

	/* Callers serialise start and stop: no pass can begin meanwhile. */
	r = alloc_buffers(v);
	if (r)
		return r;

	spin_lock_irq(&v->lock);
	memset(&v->res, 0, sizeof(v->res));
	v->res.state = repair ? MIRRORLIVE_VERIFY_REPAIRING :
				MIRRORLIVE_VERIFY_VERIFYING;
	v->nr_reported = 0;
	v->cursor = 0;
	v->repair = repair;
	v->stopping = false;
	v->source_failed = false;
	v->running = true;
	mirrorlive_throttle_set(&v->throttle, kbps);
	v->active = VERIFY_JOBS + 1;
	for (i = 0; i < VERIFY_JOBS; i++)
		v->jobs[i].active = true;
	spin_unlock_irq(&v->lock);

	queue_work(v->p.wq, &v->begin_work);
	return 0;
}

void mirrorlive_verify_stop(struct mirrorlive_verify *v)
{
	unsigned int i;

	spin_lock_irq(&v->lock);
	if (!v->active) {
		spin_unlock_irq(&v->lock);
		return;
	}
	v->running = false;
	v->stopping = true;
	spin_unlock_irq(&v->lock);

	/* A job waiting for its throttle delay (or its first run) ends here. */
	for (i = 0; i < VERIFY_JOBS; i++)
		if (cancel_delayed_work(&v->jobs[i].work))
			job_exit(&v->jobs[i]);
	wait_event(v->idle, !READ_ONCE(v->active));
}

void mirrorlive_verify_detach(struct mirrorlive_verify *v)
{
	struct bio_list deferred = BIO_EMPTY_LIST;
	struct verify_job *job, *next;
	LIST_HEAD(orphans);
	unsigned int i;

	spin_lock_irq(&v->lock);
	v->detached = true;
	v->running = false;
	for (i = 0; i < VERIFY_JOBS; i++) {
		job = &v->jobs[i];
		if (!job->in_io || job->orphaned)
			continue;
		job->orphaned = true;
		v->p.hold(v->p.context);
		list_add_tail(&job->orphan_entry, &orphans);
	}
	spin_unlock_irq(&v->lock);

	/* The job never touches its region again: unlock it for the job. */
	list_for_each_entry_safe(job, next, &orphans, orphan_entry) {
		if (job->locked) {
			job->locked = false;
			mirrorlive_region_copy_unlock(v->p.regions,
						      &job->region_lock, false,
						      &deferred);
			if (!bio_list_empty(&deferred))
				v->p.release_writes(v->p.context, &deferred);
		}
		job_exit(job);
	}
}

void mirrorlive_verify_set_rate(struct mirrorlive_verify *v, u32 kbps)
{
	unsigned int i;

	spin_lock_irq(&v->lock);
	mirrorlive_throttle_set(&v->throttle, kbps);
	/* A delay computed against the old rate: compute it again. */
	for (i = 0; i < VERIFY_JOBS; i++)
		if (v->jobs[i].active && delayed_work_pending(&v->jobs[i].work))
			mod_delayed_work(v->p.wq, &v->jobs[i].work, 0);
	spin_unlock_irq(&v->lock);
}

bool mirrorlive_verify_running(struct mirrorlive_verify *v)
{
	return READ_ONCE(v->active);
}

void mirrorlive_verify_result(struct mirrorlive_verify *v,
			      struct mirrorlive_verify_result *res)
{
	unsigned long flags;

	spin_lock_irqsave(&v->lock, flags);
	*res = v->res;
	spin_unlock_irqrestore(&v->lock, flags);
}

unsigned int mirrorlive_verify_mismatches(struct mirrorlive_verify *v,
					  sector_t *starts)
{
	unsigned long flags;
	unsigned int n;

	spin_lock_irqsave(&v->lock, flags);
	n = v->nr_reported;
	memcpy(starts, v->reported, n * sizeof(*starts));
	spin_unlock_irqrestore(&v->lock, flags);
	return n;
}

u64 mirrorlive_verify_source_errors(struct mirrorlive_verify *v)
{
	return atomic64_read(&v->source_errors);
}
