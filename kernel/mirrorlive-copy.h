/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dm-mirrorlive: the background copy.
 *
 * Copies every region not yet copied from the source to the destination,
 * in ascending order, several regions at a time so that a destination with
 * a high latency (NBD, iSCSI) is kept busy. Each region is copied under its
 * region lock (mirrorlive-region.h): the lock is taken, the writes to the
 * region already in flight drain, the region is read and written in chunks
 * of at most 1 MiB, and the unlock marks it copied and hands back the
 * writes that arrived meanwhile. A copy stopped between two chunks of a
 * region abandons it: unlocked, still uncopied, copied again when the copy
 * goes on.
 *
 * Each job reads a chunk into a buffer of its own and writes it, with
 * dm-io; no kcopyd. With "sparse" or "dest_zeroed" the copy looks at the
 * data in between: an all-zero chunk is not written at all (dest_zeroed),
 * or is made to read as zeroes without writing data where the destination
 * allows (sparse). The buffers other than one are allocated while the
 * copy runs and given back when it is done.
 *
 * The rate limit is a token bucket (mirrorlive-throttle.h); a throttled
 * copy waits on a timer, never in a loop.
 *
 * A copy with a minimum rate yields to the guest: while guest I/O was
 * noted (mirrorlive_copy_note_guest_io()) within the last
 * MIRRORLIVE_COPY_YIELD_WINDOW, the copy runs at the minimum rate (or the
 * limit, if lower); once the guest has been quiet that long, at the limit
 * again. The precedent is DRBD's c-min-rate: the resync slows down to a
 * floor while application I/O is seen, and never stops, unlike
 * dm-clone's hydration, which waits whenever guest I/O is in flight.
 *
 * A failure is final: once the copy failed, or mirrorlive_copy_fail() was
 * called, mirrorlive_copy_start() does nothing, so that no path can set a
 * failed mirror's copy going again.
 *
 * A destination that stops answering keeps a job's I/O (and the region it
 * locked, and the writes waiting on that) in flight forever. Detaching
 * lets go of the jobs in I/O: their regions are unlocked, uncopied, and a
 * drain no longer waits for them; each holds the owner through hold()
 * until its I/O ends, whereupon it touches nothing and calls release().
 * The copy must not be destroyed before the last release().
 *
 * Context: create and destroy sleep; start, stop, fail, forget_dest_zeroed,
 * set_rate and set_min_rate may be called from any process context, fail
 * also from bio completion (hard irq), note_guest_io and yielding from any
 * context; drain sleeps; detach from process context. The callbacks are
 * called in process context from the copy's workers: release_writes (it
 * must not sleep for long), failed and done (they may sleep briefly). None
 * may wait for the copy itself.
 */
#ifndef DM_MIRRORLIVE_COPY_H
#define DM_MIRRORLIVE_COPY_H

#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/types.h>

#include "mirrorlive-phase.h"
#include "mirrorlive-region.h"

struct mirrorlive_copy;

struct mirrorlive_copy_params {
	/*
	 * Where the copy runs its work: the caller's, WQ_MEM_RECLAIM and per
	 * CPU, with room for a work item per job (up to 64) and one more on
	 * each CPU. mirrorlive_copy_destroy() flushes it.
	 */
	struct workqueue_struct *wq;
	struct block_device *source;
	sector_t source_offset;
	struct block_device *dest;
	sector_t dest_offset;
	sector_t len;			/* of the mapping, in sectors */
	u32 region_sectors;
	bool sparse;
	bool dest_zeroed;
	u32 max_copy_kbps;
	u32 min_copy_kbps;		/* 0 = never yield to the guest */
	struct mirrorlive_regions *regions;

	/* Writes deferred on a region's lock, to be routed again. */
	void (*release_writes)(void *context, struct bio_list *writes);
	/* The copy failed; it has stopped issuing. */
	void (*failed)(void *context, enum mirrorlive_reason reason);
	/* Every region is copied. */
	void (*done)(void *context);
	/*
	 * A job let go of holds the owner (hold(), called under a spinlock)
	 * until its I/O ends (release(), from the I/O's completion).
	 */
	void (*hold)(void *context);
	void (*release)(void *context);
	void *context;
};

/* Return: the copy (stopped), or an ERR_PTR(). */
struct mirrorlive_copy *mirrorlive_copy_create(const struct mirrorlive_copy_params *p);

/* The copy must be stopped and drained. */
void mirrorlive_copy_destroy(struct mirrorlive_copy *cp);

/* Start or continue copying from where it stopped. */
void mirrorlive_copy_start(struct mirrorlive_copy *cp);

/*
 * Issue no more regions. Those in flight end after their current chunk:
 * copied if it was their last, else abandoned.
 */
void mirrorlive_copy_stop(struct mirrorlive_copy *cp);

/* The mirror failed: stop, and never start again. */
void mirrorlive_copy_fail(struct mirrorlive_copy *cp);

/*
 * The destination stopped answering: fail, and let go of every job
 * waiting for an I/O, so that a drain returns.
 */
void mirrorlive_copy_detach(struct mirrorlive_copy *cp);

/*
 * Drop the dest_zeroed promise before the first start: all-zero chunks are
 * then made to read as zeroes on the destination as with "sparse".
 */
void mirrorlive_copy_forget_dest_zeroed(struct mirrorlive_copy *cp);

/* Whether the copy has written to the destination (data or zeroes). */
bool mirrorlive_copy_wrote_dest(struct mirrorlive_copy *cp);

/*
 * Wait until no region is in flight: at most one chunk per job. Call after
 * mirrorlive_copy_stop().
 */
void mirrorlive_copy_drain(struct mirrorlive_copy *cp);

/* Change the rate limit (KiB/s, 0 = unlimited). */
void mirrorlive_copy_set_rate(struct mirrorlive_copy *cp, u32 kbps);

/* How long after the guest's last I/O the copy still yields. */
#define MIRRORLIVE_COPY_YIELD_WINDOW	(HZ / 10)

/* Change the minimum rate (KiB/s, 0 = never yield). Process context. */
void mirrorlive_copy_set_min_rate(struct mirrorlive_copy *cp, u32 kbps);

/*
 * The guest submitted an I/O. Any context, lockless: called for every
 * guest bio, it writes a shared word only once per jiffy.
 */
void mirrorlive_copy_note_guest_io(struct mirrorlive_copy *cp);

/* Whether the copy yields now: a minimum rate and guest I/O just seen. */
bool mirrorlive_copy_yielding(struct mirrorlive_copy *cp);

/* Regions the copy found all-zero and did not write as data. */
u64 mirrorlive_copy_zero_regions(struct mirrorlive_copy *cp);

/* Copy I/O errors on each leg. */
u64 mirrorlive_copy_source_errors(struct mirrorlive_copy *cp);
u64 mirrorlive_copy_dest_errors(struct mirrorlive_copy *cp);

#endif /* DM_MIRRORLIVE_COPY_H */
