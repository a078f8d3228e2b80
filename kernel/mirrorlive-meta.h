/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dm-mirrorlive: a persistent mirror's metadata device.
 *
 * The I/O and the timing of Documentation/metadata-format.rst, sections 3
 * and 4, for one mirror: the blocks themselves are encoded and checked by
 * mirrorlive-meta-format.c, the write-intent bits are kept by
 * mirrorlive-intent.c, the copied bits by the region state. In order:
 *
 *   open        (constructor) the device, its size, the superblock and
 *               the geometry it belongs to (this mirror's, or with
 *               may_reverse the reversed one's); refusals set ti->error
 *   load        (first resume, nothing handed over by a replaced table)
 *               mark copied what the disk records as copied and not dirty
 *   reverse     (first resume) the table replaces the mirror it reverses
 *   go_live     (every resume) the first time, check the record is this
 *               mirror's (or take it over: reverse), write both bitmaps
 *               from memory; then the superblock, not clean and
 *               migrating; start the worker
 *   write_begin/write_end  around every write to both legs
 *   stop        (postsuspend: no guest I/O in flight) stop the worker,
 *               commit the copied bits, clear every write-intent bit,
 *               write the superblock clean
 *   record_outcome  (suspended, after stop) completed or cancelled
 *   close       (destructor)
 *
 * While live, a worker on the mirror's workqueue writes the bitmap blocks
 * that writes wait for, commits copied bits once a second (after a flush
 * of the destination), and sweeps write-intent bits every
 * MIRRORLIVE_META_SWEEP_SECONDS (after a flush of both legs). Once the
 * mirror failed it only writes the bitmap blocks: writes to the source
 * alone keep going through write_begin, and no bit is cleared, so that
 * after a crash every region the destination may have missed is dirty. Metadata I/O
 * is synchronous, in the worker or the resume and suspend hooks, never in
 * the map path. A metadata I/O error calls @failed (the mirror fails with
 * metadata_error) and lets every waiting write go: never the guest's I/O.
 */
#ifndef DM_MIRRORLIVE_META_H
#define DM_MIRRORLIVE_META_H

#include <linux/bio.h>
#include <linux/device-mapper.h>
#include <linux/workqueue.h>

#include "mirrorlive-intent.h"
#include "mirrorlive-meta-format.h"
#include "mirrorlive-region.h"

#define MIRRORLIVE_META_SWEEP_SECONDS	5

struct mirrorlive_meta;

struct mirrorlive_meta_params {
	struct dm_target *ti;
	const char *path;		/* the table's word */
	struct mirrorlive_meta_geometry geo;
	/*
	 * The table's nosync: it may take over the record of the mirror it
	 * reverses (metadata-format.rst, section 3, "Reversal").
	 */
	bool may_reverse;
	struct block_device *source;
	struct block_device *dest;
	struct gendisk *mirror_disk;	/* the mirror's own device */
	struct mirrorlive_regions *regions;
	struct workqueue_struct *wq;
	/* a metadata I/O error: fail the mirror. Process context. */
	void (*failed)(void *context);
	/* whether the mirror failed (its destination misses writes). Any context. */
	bool (*mirror_failed)(void *context);
	/* writes the write-intent record let go: submit them. Process context. */
	void (*release)(void *context, struct bio_list *writes);
	void *context;
};

/*
 * mirrorlive_meta_open() - open and check the metadata device. Sets
 * ti->error on refusal: a device that cannot be opened, is smaller than
 * the geometry needs (mirrorlive_meta_device_sectors()), is a leg or the
 * mirror itself, holds
 * something that is not a valid superblock, belongs to another geometry,
 * or records a finished migration. With @p->may_reverse, a record of the
 * reversed geometry is accepted, and one that records completed: see
 * mirrorlive_meta_reverse().
 */
int mirrorlive_meta_open(const struct mirrorlive_meta_params *p,
			 struct mirrorlive_meta **out);

void mirrorlive_meta_close(struct mirrorlive_meta *m);

/* The device, for TABLE output ("major:minor") and for comparisons. */
const char *mirrorlive_meta_name(struct mirrorlive_meta *m);
struct block_device *mirrorlive_meta_bdev(struct mirrorlive_meta *m);

/*
 * mirrorlive_meta_load() - mark copied in the region state every region
 * the disk records as copied and not dirty (recovery rule 3). Returns 0
 * (nothing recorded yet counts as nothing copied) or -errno after a read
 * error or a superblock that changed meanwhile.
 */
int mirrorlive_meta_load(struct mirrorlive_meta *m);

/*
 * mirrorlive_meta_reverse() - before the first go_live: this table (with
 * may_reverse) replaces, on its device, the suspended mirror with its
 * legs swapped whose record this is; go_live takes the record over
 * (Documentation/metadata-format.rst, section 3, "Reversal"). Without
 * it, a record of the reversed geometry fails go_live.
 */
void mirrorlive_meta_reverse(struct mirrorlive_meta *m);

/*
 * mirrorlive_meta_needs_reversal() - whether the record read by the
 * constructor is only this table's if it reverses the mirror recorded
 * (may_reverse only: the swapped geometry, or a completed record), so
 * that the table must be loaded over that mirror. Return: NULL, or the
 * constructor's refusal for a table that is not.
 */
const char *mirrorlive_meta_needs_reversal(struct mirrorlive_meta *m);

/* Going live; returns 0 or -errno (the caller fails the mirror). */
int mirrorlive_meta_go_live(struct mirrorlive_meta *m);

/*
 * Suspended with no guest I/O in flight: see above. @mirror_failed: the
 * destination may have missed writes, so instead every region is marked
 * dirty on the record (nothing counts as copied at the next load), and
 * the record is left not clean.
 */
void mirrorlive_meta_stop(struct mirrorlive_meta *m, bool mirror_failed);

/*
 * mirrorlive_meta_record_outcome() - record in the superblock that the
 * table swap ending the migration chose @state (MIRRORLIVE_META_STATE_*),
 * once mirrorlive_meta_stop() finished and before any go_live (which
 * records migrating again: a rollback). The caller checks that the state
 * is true of the legs (completed: the mirror is ready and did not fail).
 *
 * Return: 0 once it is durable; -EBUSY when not stopped; -EIO after a
 * metadata error (then, or on a write error, the mirror has failed).
 */
int mirrorlive_meta_record_outcome(struct mirrorlive_meta *m, u32 state);

/*
 * mirrorlive_meta_write_begin() - a write to @region is about to go to
 * both legs. Any context.
 *
 * Return: true when it may go now (write_end must follow); false when it
 * waits for its write-intent bit and will come back through @release.
 */
bool mirrorlive_meta_write_begin(struct mirrorlive_meta *m,
				 struct mirrorlive_intent_write *w,
				 u64 region, struct bio *bio);

void mirrorlive_meta_write_end(struct mirrorlive_meta *m,
			       struct mirrorlive_intent_write *w);

/* Regions whose write-intent bit is on the disk (status). */
u64 mirrorlive_meta_dirty(struct mirrorlive_meta *m);

#endif /* DM_MIRRORLIVE_META_H */
