/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dm-mirrorlive: region state and region locks.
 *
 * The mapped range is cut into regions of a power-of-two size. Each region
 * is either copied (the destination holds it and every later write goes to
 * both legs) or not yet copied (writes go to the source only; the background
 * copy will carry them over). This file keeps that state, one bit per
 * region, and the locks that let the copy of a region exclude guest writes:
 *
 *  - A write to a copied region only counts itself, per CPU and without a
 *    lock: copied never becomes uncopied within one table instance, so a
 *    lockless test is enough to route it.
 *  - A write to an uncopied region registers itself as in flight (in its
 *    per-bio data, no allocation) until it completes on the source.
 *  - Locking a region for copying stops new writes to it (they are deferred
 *    on the lock) and waits only for the writes to it already in flight.
 *    So the copy cannot read data older than a write it then overwrites on
 *    the destination, and a stream of writes cannot starve it: the number of
 *    writes it waits for is fixed when it locks.
 *  - Unlocking after a successful copy marks the region copied and hands
 *    back the deferred writes, which then go to both legs.
 *  - A verify pass locks copied regions in the same way. So that it can,
 *    mirrorlive_regions_track_all_begin() makes writes to copied regions
 *    register themselves as those to uncopied ones do (under the lock),
 *    and waits for the merely counted ones in flight to end; _end() goes
 *    back to counting. Locking a copied region while not tracking all
 *    writes is a caller bug: the lock could not see the writes in flight.
 *
 * Writes to distinct regions never wait for each other, and reads never
 * take part. Memory: one bit per region, a fixed hash table and a counter
 * per CPU; the per-write and per-copy state is embedded in the caller's
 * structures.
 *
 * Context: write_begin may be called from the map function (any context
 * that may not sleep), write_end from bio completion (any context, also
 * hard irq). copy_lock and copy_unlock may be called from any context that
 * may not sleep; copy_wait and track_all_begin sleep.
 */
#ifndef DM_MIRRORLIVE_REGION_H
#define DM_MIRRORLIVE_REGION_H

#include <linux/bio.h>
#include <linux/list.h>
#include <linux/types.h>

struct mirrorlive_regions;
struct mirrorlive_region_copy;

/* Per-write state, embedded in the per-bio data. Opaque to callers. */
struct mirrorlive_region_write {
	struct hlist_node node;
	u64 region;
	struct mirrorlive_region_copy *waiting_copy;
	bool counted;		/* not registered: only counted per CPU */
};

/* Per-copy state, embedded in the copy engine's job. Opaque to callers. */
struct mirrorlive_region_copy {
	struct list_head list;
	u64 region;
	unsigned int writes_in_flight;
	struct bio_list deferred;
};

enum mirrorlive_write_route {
	/*
	 * The region is copied: write both legs, then call
	 * mirrorlive_region_write_end().
	 */
	MIRRORLIVE_WRITE_BOTH,
	/*
	 * The region is not copied: write the source only, then call
	 * mirrorlive_region_write_end().
	 */
	MIRRORLIVE_WRITE_SOURCE,
	/*
	 * The region is locked (being copied or verified): the bio was
	 * queued on the lock and is handed back by
	 * mirrorlive_region_copy_unlock(). Nothing to end.
	 */
	MIRRORLIVE_WRITE_DEFERRED,
};

/*
 * mirrorlive_regions_create() - state for a mapping of @len sectors cut
 * into regions of @region_sectors (a power of two); the last region may be
 * shorter. No region is copied yet.
 *
 * May sleep. Return: the state, or ERR_PTR(-E2BIG) when there would be more
 * than INT_MAX regions, or ERR_PTR(-ENOMEM).
 */
struct mirrorlive_regions *mirrorlive_regions_create(sector_t len,
						     u32 region_sectors);

/*
 * mirrorlive_regions_destroy() - free the state. No write may be
 * registered and no region locked; both are a caller bug and WARN.
 */
void mirrorlive_regions_destroy(struct mirrorlive_regions *rg);

u64 mirrorlive_regions_count(struct mirrorlive_regions *rg);

/* Regions marked copied so far. Never decreases. */
u64 mirrorlive_regions_copied(struct mirrorlive_regions *rg);

/* Sectors in the regions marked copied so far. Never decreases. */
sector_t mirrorlive_regions_copied_sectors(struct mirrorlive_regions *rg);

/*
 * mirrorlive_regions_inherit() - mark copied in @to every region copied in
 * @from, for a table that replaces another over the same devices and
 * geometry. Neither may have writes or copies in flight. Takes time in
 * proportion to the bitmap's words, with interrupts enabled.
 *
 * Return: -EINVAL if the two do not have the same geometry.
 */
int mirrorlive_regions_inherit(struct mirrorlive_regions *to,
			       struct mirrorlive_regions *from);

/*
 * mirrorlive_regions_import() - mark copied the regions whose bit is set
 * in @bits, bit 0 standing for region @first, @nbits bits (a persistent
 * mirror's record, at its first resume). @first is a multiple of
 * BITS_PER_LONG. No write or copy may be in flight.
 */
void mirrorlive_regions_import(struct mirrorlive_regions *rg,
			       const unsigned long *bits, u64 first,
			       u32 nbits);

/*
 * mirrorlive_regions_export() - copy the copied bits of regions @first ..
 * @first + @nbits - 1 into @bits (bit 0 for region @first; @first a
 * multiple of BITS_PER_LONG). Lockless, any context: a region marked
 * copied before the call is in @bits, one marked meanwhile may be.
 */
void mirrorlive_regions_export(struct mirrorlive_regions *rg,
			       unsigned long *bits, u64 first, u32 nbits);

/*
 * mirrorlive_regions_mark_all_copied() - every region is copied (the
 * "nosync" feature). No write or copy may be in flight.
 */
void mirrorlive_regions_mark_all_copied(struct mirrorlive_regions *rg);

/*
 * mirrorlive_regions_forget_all() - no region is copied any more: the one
 * exception to "copied stays copied", for a table whose nosync is dropped
 * at its first resume, before any write or copy ever reached it.
 */
void mirrorlive_regions_forget_all(struct mirrorlive_regions *rg);

/*
 * mirrorlive_regions_track_all_begin() - from now on, writes to copied
 * regions register themselves, so that copied regions can be locked (a
 * verify pass). Returns once every write to a copied region that was not
 * registered has ended. At most one caller at a time. Sleeps.
 */
void mirrorlive_regions_track_all_begin(struct mirrorlive_regions *rg);

/*
 * mirrorlive_regions_track_all_end() - writes to copied regions go back to
 * being counted only. No copied region may be locked any more.
 */
void mirrorlive_regions_track_all_end(struct mirrorlive_regions *rg);

/*
 * Writes to copied regions in flight that are counted, not registered. A
 * snapshot: exact only while no write begins or ends (KUnit).
 */
long mirrorlive_regions_untracked(struct mirrorlive_regions *rg);

/* Lockless: true once @region is copied; stays true. */
bool mirrorlive_region_is_copied(struct mirrorlive_regions *rg, u64 region);

/*
 * mirrorlive_region_next_uncopied() - the first region at or after @from
 * that is not copied, or mirrorlive_regions_count() if there is none.
 */
u64 mirrorlive_region_next_uncopied(struct mirrorlive_regions *rg, u64 from);

/*
 * mirrorlive_region_next_uncopied_before() - the same, looking at the
 * regions before @limit only: the first uncopied one in [@from, @limit),
 * else @limit, or mirrorlive_regions_count() if that comes first. Bounds
 * the work of a caller that holds a lock with interrupts off.
 */
u64 mirrorlive_region_next_uncopied_before(struct mirrorlive_regions *rg,
					   u64 from, u64 limit);

/*
 * mirrorlive_region_next_copied() - the first region at or after @from
 * that is copied, or mirrorlive_regions_count() if there is none.
 */
u64 mirrorlive_region_next_copied(struct mirrorlive_regions *rg, u64 from);

/*
 * mirrorlive_region_write_begin() - route a write (or discard or
 * write-zeroes) that lies within @region.
 * @w: per-write state; must stay valid until write_end unless
 *     MIRRORLIVE_WRITE_DEFERRED is returned.
 * @bio: queued on the lock when MIRRORLIVE_WRITE_DEFERRED is returned.
 */
enum mirrorlive_write_route
mirrorlive_region_write_begin(struct mirrorlive_regions *rg,
			      struct mirrorlive_region_write *w, u64 region,
			      struct bio *bio);

/*
 * mirrorlive_region_write_end() - the write @w has completed (on every leg
 * it was sent to). If the copy or verify of its region was waiting for
 * it, it may now proceed.
 */
void mirrorlive_region_write_end(struct mirrorlive_regions *rg,
				 struct mirrorlive_region_write *w);

/*
 * mirrorlive_region_copy_lock() - lock @region for copying (or verifying).
 *
 * From now on writes to @region are deferred. The region must not be
 * locked already; it may be copied only while all writes are tracked.
 *
 * Return: true if no write to @region is in flight, so the copy may read
 * the source now; false if mirrorlive_region_copy_wait() must be called
 * first.
 */
bool mirrorlive_region_copy_lock(struct mirrorlive_regions *rg,
				 struct mirrorlive_region_copy *c, u64 region);

/*
 * mirrorlive_region_copy_wait() - sleep until the writes to the locked
 * region that were in flight when it was locked have completed.
 */
void mirrorlive_region_copy_wait(struct mirrorlive_regions *rg,
				 struct mirrorlive_region_copy *c);

/*
 * mirrorlive_region_copy_unlock() - end the copy of a locked region.
 * @copied: the destination now holds the region; mark it copied (a
 *	    verified region stays copied either way).
 * @deferred: receives the writes deferred while the region was locked.
 *
 * The caller must route the deferred writes again (with write_begin): they
 * go to both legs when @copied, to the source only otherwise.
 */
void mirrorlive_region_copy_unlock(struct mirrorlive_regions *rg,
				   struct mirrorlive_region_copy *c,
				   bool copied, struct bio_list *deferred);

#endif /* DM_MIRRORLIVE_REGION_H */
