/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dm-mirrorlive: the write-intent record of a persistent mirror.
 *
 * With a metadata device, a write to a copied region goes to both legs,
 * and a crash in the middle may leave it on one leg only. The
 * write-intent bitmap on the metadata device says which regions may
 * differ, so that they are copied again after a crash; this file keeps
 * it (Documentation/metadata-format.rst, section 3, "Write intent"):
 *
 *  - A write to a region goes out only once the region's bit is on the
 *    disk. If it is not, the bit is set, the write waits on its bitmap
 *    block, and the caller writes that block (next_write/write_done);
 *    every write that arrived for the block's regions by then goes out
 *    when the block write completes. A write to a region whose bit is on
 *    the disk goes out at once, without I/O: under the lock if it is the
 *    region's first write since the last sweep, else without any lock (it
 *    only counts itself per CPU), outside a sweep.
 *  - Bits are cleared lazily, as md's write-intent bitmap does: a region
 *    is cleared when no write to it began during one whole sweep interval
 *    and the one after, and none is in flight in its block, and only
 *    after a flush of both legs issued after that was established
 *    (sweep_prepare, flush, sweep_commit, the blocks written, sweep_end).
 *    So the data of every write to a region is durable on both legs
 *    before its bit goes. From sweep_prepare to sweep_end every write
 *    takes the lock, and sweep_prepare first waits for the writes that
 *    did not to end, so that it sees every write in flight.
 *  - set_all (a failed mirror) sets every bit.
 *  - clear_all (a suspended mirror: no write in flight, both legs
 *    flushed) clears every bit, for a clean shutdown.
 *
 * Memory: four bits per region, one small structure per bitmap block;
 * the per-write state is embedded in the caller's per-bio data.
 *
 * Context: write_begin and write_end may be called from any context (bio
 * submission, hard-irq completion); the rest from process context. Each
 * call holds the lock for at most one bitmap block's worth of work.
 */
#ifndef DM_MIRRORLIVE_INTENT_H
#define DM_MIRRORLIVE_INTENT_H

#include <linux/bio.h>
#include <linux/list.h>
#include <linux/types.h>

struct mirrorlive_intent;

/* Per-write state, embedded in the per-bio data. Opaque to callers. */
struct mirrorlive_intent_write {
	struct list_head node;		/* on its block's waiting list */
	u64 region;
	struct bio *bio;
	bool counted;			/* went without the lock */
};

/*
 * mirrorlive_intent_create() - the record of @regions regions, every bit
 * clear in memory and on the disk. May sleep.
 *
 * Return: the record, or ERR_PTR(-ENOMEM).
 */
struct mirrorlive_intent *mirrorlive_intent_create(u64 regions);

/* No write may be waiting or in flight; both are a caller bug and WARN. */
void mirrorlive_intent_destroy(struct mirrorlive_intent *in);

/*
 * mirrorlive_intent_write_begin() - a write to @region wants to go to both
 * legs.
 *
 * Return: true when it may go now (it is in flight until write_end);
 * false when it was queued on its block, to be handed back by
 * write_done: the caller must then see that the block is written
 * (mirrorlive_intent_has_work()).
 */
bool mirrorlive_intent_write_begin(struct mirrorlive_intent *in,
				   struct mirrorlive_intent_write *w,
				   u64 region, struct bio *bio);

/* The write @w, that went out, has completed on both legs. */
void mirrorlive_intent_write_end(struct mirrorlive_intent *in,
				 struct mirrorlive_intent_write *w);

/* True when a bitmap block must be written (next_write() has one). */
bool mirrorlive_intent_has_work(struct mirrorlive_intent *in);

/*
 * mirrorlive_intent_next_write() - take a bitmap block that must be
 * written and encode it into @buf (MIRRORLIVE_META_BLOCK_SIZE bytes) with
 * @nonce. At most one write per block is in flight.
 *
 * Return: the block's index, or -ENODATA when no block needs a write.
 */
s64 mirrorlive_intent_next_write(struct mirrorlive_intent *in, void *buf,
				 u64 nonce);

/*
 * mirrorlive_intent_write_done() - the write of block @index, encoded in
 * @buf, has completed with @error (0 or -errno).
 * @go: receives the writes that may go out now; they are in flight.
 *
 * On success the block's bits in @buf are what the disk holds, and every
 * waiting write whose bit is among them goes. On error every waiting
 * write of the block goes too, for the caller to send to the source only
 * (a metadata error fails the mirror, never the guest's I/O), and the
 * record stops asking for block writes.
 */
void mirrorlive_intent_write_done(struct mirrorlive_intent *in, u64 index,
				  const void *buf, u64 nonce, int error,
				  struct bio_list *go);

/*
 * mirrorlive_intent_fail() - the metadata device failed elsewhere (a
 * commit, a flush): as a failed block write, every waiting write goes
 * (into @go) and the record stops asking for block writes.
 */
void mirrorlive_intent_fail(struct mirrorlive_intent *in, struct bio_list *go);

/*
 * mirrorlive_intent_sweep_prepare() - start a sweep: note which regions
 * were not written since the previous sweep. The caller then flushes
 * both legs, calls sweep_commit(), writes the blocks that are due and
 * calls sweep_end(). Sleeps: until the writes in flight that took no
 * lock have ended.
 *
 * Return: true when some region may be cleared (the flush is worth it);
 * false when the sweep is over already (no sweep_end() needed).
 */
bool mirrorlive_intent_sweep_prepare(struct mirrorlive_intent *in);

/*
 * mirrorlive_intent_sweep_end() - the blocks that sweep_commit() changed
 * are on the disk (or the sweep was given up): writes may take no lock
 * again. Safe to call when no sweep is under way.
 */
void mirrorlive_intent_sweep_end(struct mirrorlive_intent *in);

/*
 * mirrorlive_intent_sweep_commit() - both legs were flushed after
 * sweep_prepare(): clear the bits of the regions written neither before
 * it (during the previous interval) nor since, in blocks with no write in
 * flight or waiting. The blocks that changed must be written.
 *
 * Return: the number of regions cleared.
 */
u64 mirrorlive_intent_sweep_commit(struct mirrorlive_intent *in);

/*
 * mirrorlive_intent_set_all() - no region may be trusted (the mirror
 * failed): set every bit; the blocks that changed must be written. Writes
 * then go at once, and only clear_all clears bits again.
 */
void mirrorlive_intent_set_all(struct mirrorlive_intent *in);

/*
 * mirrorlive_intent_clear_all() - no write is in flight or waiting, and
 * both legs were flushed: clear every bit; the blocks that changed must
 * be written before any write begins (a suspended mirror), then the record
 * is clean.
 */
void mirrorlive_intent_clear_all(struct mirrorlive_intent *in);

/* Regions whose bit is set in memory / on the disk. */
u64 mirrorlive_intent_wanted(struct mirrorlive_intent *in);
u64 mirrorlive_intent_durable(struct mirrorlive_intent *in);

/* True when no bit is set on the disk and no block write is due. */
bool mirrorlive_intent_clean(struct mirrorlive_intent *in);

#endif /* DM_MIRRORLIVE_INTENT_H */
