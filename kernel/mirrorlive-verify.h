/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dm-mirrorlive: online verify, a read-compare pass over the copied regions.
 *
 * A pass walks the regions in ascending order, a few at a time, and
 * compares each copied one on the two legs: it locks the region as the copy
 * does (mirrorlive-region.h), so that the guest writes to it in flight end
 * first and new ones wait, reads it from both legs in chunks, compares, and
 * unlocks it, handing back the writes that waited. For the region locks to
 * see writes to copied regions, the pass has every write tracked while it
 * runs (mirrorlive_regions_track_all_begin()).
 *
 * A region that differs is "mismatched". A repairing pass then writes the
 * source's data over the destination's (FUA), reads it back and compares
 * again; a region equal after that is "repaired". The start of the lowest
 * MIRRORLIVE_VERIFY_MAX_REPORTED mismatched regions is kept.
 *
 * A region not copied when the pass reaches it is skipped: the copy still
 * owns it. The pass shares max_copy_kbps (its own token bucket,
 * mirrorlive-throttle.h) and the owner's workqueue.
 *
 * A pass ends by itself when it has walked every region ("done"), when it
 * could not read the source ("error", counted as a source error), or when
 * the mirror failed ("error": a destination read or write error of the
 * pass's fails the mirror through dest_failed()). Then ended() is called.
 * A pass stopped by mirrorlive_verify_stop() ends "stopped"; a region
 * being compared then is not counted. Results stay until the next start.
 *
 * A destination that stops answering keeps a job in I/O forever:
 * mirrorlive_verify_detach() lets go of it as mirrorlive-copy.h describes
 * for the copy (its region is unlocked; the job holds the owner through
 * hold() until its I/O ends, then calls release() and touches nothing).
 *
 * Memory: the jobs' buffers (two chunks each, at most 8 MiB in all) are
 * allocated by the first start and kept until destroy.
 *
 * Context: create, start, stop, drain and detach sleep; the state and
 * counters may be read from any context. Callbacks: release_writes and
 * dest_failed from the pass's workers; ended from a worker or from
 * mirrorlive_verify_detach(), and must not sleep.
 */
#ifndef DM_MIRRORLIVE_VERIFY_H
#define DM_MIRRORLIVE_VERIFY_H

#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/types.h>

#include "mirrorlive-phase.h"
#include "mirrorlive-region.h"

struct mirrorlive_verify;

enum mirrorlive_verify_state {
	MIRRORLIVE_VERIFY_NONE,		/* no pass yet */
	MIRRORLIVE_VERIFY_VERIFYING,
	MIRRORLIVE_VERIFY_REPAIRING,
	MIRRORLIVE_VERIFY_DONE,
	MIRRORLIVE_VERIFY_STOPPED,
	MIRRORLIVE_VERIFY_ERROR,
	MIRRORLIVE_NR_VERIFY_STATES
};

struct mirrorlive_verify_params {
	/* The owner's: WQ_MEM_RECLAIM, with room for a work item per job. */
	struct workqueue_struct *wq;
	struct block_device *source;
	sector_t source_offset;
	struct block_device *dest;
	sector_t dest_offset;
	sector_t len;			/* of the mapping, in sectors */
	u32 region_sectors;
	struct mirrorlive_regions *regions;

	/* Writes deferred on a region's lock, to be routed again. */
	void (*release_writes)(void *context, struct bio_list *writes);
	/* Whether the mirror has failed: the pass then ends. */
	bool (*mirror_failed)(void *context);
	/* A destination I/O of the pass's failed. */
	void (*dest_failed)(void *context, enum mirrorlive_reason reason);
	/* A pass ended by itself (done or error). */
	void (*ended)(void *context);
	void (*hold)(void *context);
	void (*release)(void *context);
	void *context;
};

struct mirrorlive_verify_result {
	enum mirrorlive_verify_state state;
	u64 verified;		/* regions compared */
	u64 mismatched;
	u64 repaired;
};

/* Return: the engine (no pass), or an ERR_PTR(). */
struct mirrorlive_verify *
mirrorlive_verify_create(const struct mirrorlive_verify_params *p);

/* No pass may run: stop and drain first. */
void mirrorlive_verify_destroy(struct mirrorlive_verify *v);

/*
 * mirrorlive_verify_start() - start a pass at the given rate (KiB/s, 0 =
 * unlimited); @repair: a repairing pass.
 *
 * Return: 0; -EBUSY if a pass runs; -ENODEV once detached; -ENOMEM.
 */
int mirrorlive_verify_start(struct mirrorlive_verify *v, bool repair,
			    u32 kbps);

/*
 * mirrorlive_verify_stop() - end a running pass ("stopped") and wait
 * until its jobs have ended. Does nothing without a pass.
 */
void mirrorlive_verify_stop(struct mirrorlive_verify *v);

/* Let go of jobs in I/O (see above), and end the pass. */
void mirrorlive_verify_detach(struct mirrorlive_verify *v);

/* Change the rate of a running pass. */
void mirrorlive_verify_set_rate(struct mirrorlive_verify *v, u32 kbps);

bool mirrorlive_verify_running(struct mirrorlive_verify *v);

void mirrorlive_verify_result(struct mirrorlive_verify *v,
			      struct mirrorlive_verify_result *res);

/*
 * mirrorlive_verify_mismatches() - the first sector (of the mapping) of
 * the lowest mismatched regions, ascending, into @starts (room for
 * MIRRORLIVE_VERIFY_MAX_REPORTED). Return: how many.
 */
unsigned int mirrorlive_verify_mismatches(struct mirrorlive_verify *v,
					  sector_t *starts);

/* Source read errors of the passes. */
u64 mirrorlive_verify_source_errors(struct mirrorlive_verify *v);

const char *mirrorlive_verify_state_name(enum mirrorlive_verify_state state);

#endif /* DM_MIRRORLIVE_VERIFY_H */
