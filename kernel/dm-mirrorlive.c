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
 */
#include <linux/atomic.h>
#include <linux/blkdev.h>
#include <linux/device-mapper.h>
#include <linux/module.h>
#include <linux/spinlock.h>

#include "mirrorlive-args.h"

#define DM_MSG_PREFIX "mirrorlive"

enum mirrorlive_phase {
	PHASE_COPYING,
	PHASE_PAUSED,
	PHASE_READY,
	PHASE_FAILED,
};

static const char * const phase_names[] = {
	[PHASE_COPYING]	= "copying",
	[PHASE_PAUSED]	= "paused",
	[PHASE_READY]	= "ready",
	[PHASE_FAILED]	= "failed",
};

struct mirrorlive_c {
	struct dm_target *ti;
	struct dm_dev *source;
	struct dm_dev *dest;
	sector_t source_offset;
	sector_t dest_offset;

	/* Feature arguments as constructed; TABLE status re-emits these. */
	u32 region_sectors;
	bool sparse;
	bool dest_zeroed;
	bool nosync;
	bool start_paused;

	/* Protects phase, copied_sectors and max_copy_kbps. */
	spinlock_t lock;
	enum mirrorlive_phase phase;
	sector_t copied_sectors;
	u32 max_copy_kbps;

	atomic64_t mirrored_writes;
	atomic64_t dest_errors;
	atomic64_t source_errors;
	atomic64_t zero_regions;
};

/*
 * Move to @phase and tell userspace waiting in DM_DEVICE_WAITEVENT.
 * Called with no lock held.
 */
static void set_phase(struct mirrorlive_c *mc, enum mirrorlive_phase from,
		      enum mirrorlive_phase to)
{
	bool changed = false;

	spin_lock_irq(&mc->lock);
	if (mc->phase == from) {
		mc->phase = to;
		changed = true;
	}
	spin_unlock_irq(&mc->lock);

	if (changed)
		dm_table_event(mc->ti->table);
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
	if (((u64)mc->region_sectors << SECTOR_SHIFT) < block_size) {
		ti->error = "Region size smaller than logical block size";
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

static void init_state(struct mirrorlive_c *mc, struct dm_target *ti,
		       const struct mirrorlive_args *args)
{
	mc->ti = ti;
	mc->source_offset = args->source_offset;
	mc->dest_offset = args->dest_offset;
	mc->region_sectors = args->region_sectors;
	mc->sparse = args->sparse;
	mc->dest_zeroed = args->dest_zeroed;
	mc->nosync = args->nosync;
	mc->start_paused = args->paused;
	mc->max_copy_kbps = args->max_copy_kbps;

	spin_lock_init(&mc->lock);
	if (args->nosync) {
		mc->phase = PHASE_READY;
		mc->copied_sectors = ti->len;
	} else {
		mc->phase = args->paused ? PHASE_PAUSED : PHASE_COPYING;
	}

	atomic64_set(&mc->mirrored_writes, 0);
	atomic64_set(&mc->dest_errors, 0);
	atomic64_set(&mc->source_errors, 0);
	atomic64_set(&mc->zero_regions, 0);
}

/*
 * Construct a mirrorlive mapping:
 *
 *   <source_dev> <source_offset> <dest_dev> <dest_offset>
 *   [<#feature_args> <feature_arg>*]
 *
 * Steps: parse the line (mirrorlive-args.c), open both devices with the
 * table's mode, check them against each other, split bios at region
 * boundaries.
 */
static int mirrorlive_ctr(struct dm_target *ti, unsigned int argc, char **argv)
{
	struct mirrorlive_args args;
	struct mirrorlive_c *mc;
	int r;

	r = mirrorlive_parse_args(&args, argc, argv, &ti->error);
	if (r)
		return r;

	mc = kzalloc(sizeof(*mc), GFP_KERNEL);
	if (!mc) {
		ti->error = "Cannot allocate mirrorlive context";
		return -ENOMEM;
	}
	init_state(mc, ti, &args);

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

	ti->num_flush_bios = 1;
	ti->num_discard_bios = 1;
	ti->num_write_zeroes_bios = 1;
	ti->private = mc;
	return 0;

out_put_dest:
	dm_put_device(ti, mc->dest);
out_put_source:
	dm_put_device(ti, mc->source);
out_free:
	kfree(mc);
	return r;
}

static void mirrorlive_dtr(struct dm_target *ti)
{
	struct mirrorlive_c *mc = ti->private;

	dm_put_device(ti, mc->dest);
	dm_put_device(ti, mc->source);
	kfree(mc);
}

static int mirrorlive_map(struct dm_target *ti, struct bio *bio)
{
	struct mirrorlive_c *mc = ti->private;

	bio_set_dev(bio, mc->source->bdev);
	if (bio_sectors(bio))
		bio->bi_iter.bi_sector = mc->source_offset +
			dm_target_offset(ti, bio->bi_iter.bi_sector);

	return DM_MAPIO_REMAPPED;
}

static int mirrorlive_end_io(struct dm_target *ti, struct bio *bio,
			     blk_status_t *error)
{
	struct mirrorlive_c *mc = ti->private;

	if (*error && *error != BLK_STS_NOTSUPP && *error != BLK_STS_AGAIN)
		atomic64_inc(&mc->source_errors);

	return DM_ENDIO_DONE;
}

static unsigned int emit_table(struct mirrorlive_c *mc, char *result,
			       unsigned int maxlen)
{
	unsigned int features = 0;
	size_t sz = 0;

	features += mc->region_sectors != MIRRORLIVE_DEFAULT_REGION_SECTORS ? 2 : 0;
	features += mc->max_copy_kbps ? 2 : 0;
	features += mc->sparse + mc->dest_zeroed + mc->nosync + mc->start_paused;

	DMEMIT("%s %llu %s %llu", mc->source->name,
	       (unsigned long long)mc->source_offset, mc->dest->name,
	       (unsigned long long)mc->dest_offset);
	if (!features)
		return sz;

	DMEMIT(" %u", features);
	if (mc->region_sectors != MIRRORLIVE_DEFAULT_REGION_SECTORS)
		DMEMIT(" region_size %u", mc->region_sectors);
	if (mc->max_copy_kbps)
		DMEMIT(" max_copy_kbps %u", mc->max_copy_kbps);
	if (mc->sparse)
		DMEMIT(" sparse");
	if (mc->dest_zeroed)
		DMEMIT(" dest_zeroed");
	if (mc->nosync)
		DMEMIT(" nosync");
	if (mc->start_paused)
		DMEMIT(" paused");
	return sz;
}

/*
 * INFO:  <phase> <copied>/<total> <mirrored_writes> <dest_errors>
 *        <source_errors> <zero_regions> <max_copy_kbps> <reason>
 * TABLE: the canonical constructor line, devices as major:minor.
 * IMA:   the configuration as key=value pairs.
 */
static void mirrorlive_status(struct dm_target *ti, status_type_t type,
			      unsigned int status_flags, char *result,
			      unsigned int maxlen)
{
	struct mirrorlive_c *mc = ti->private;
	enum mirrorlive_phase phase;
	sector_t copied;
	u32 kbps;
	size_t sz = 0;

	switch (type) {
	case STATUSTYPE_INFO:
		spin_lock_irq(&mc->lock);
		phase = mc->phase;
		copied = mc->copied_sectors;
		kbps = mc->max_copy_kbps;
		spin_unlock_irq(&mc->lock);

		DMEMIT("%s %llu/%llu %llu %llu %llu %llu %u -",
		       phase_names[phase], (unsigned long long)copied,
		       (unsigned long long)ti->len,
		       (unsigned long long)atomic64_read(&mc->mirrored_writes),
		       (unsigned long long)atomic64_read(&mc->dest_errors),
		       (unsigned long long)atomic64_read(&mc->source_errors),
		       (unsigned long long)atomic64_read(&mc->zero_regions), kbps);
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
		DMEMIT(",region_size=%u,sparse=%c,dest_zeroed=%c,nosync=%c;",
		       mc->region_sectors, mc->sparse ? 'y' : 'n',
		       mc->dest_zeroed ? 'y' : 'n', mc->nosync ? 'y' : 'n');
		break;
	}
}

/*
 * pause_copy | resume_copy | max_copy_kbps <n>
 *
 * Pausing or resuming a mirror that is ready or failed changes nothing and
 * is not an error: there is no copy left to control.
 */
static int mirrorlive_message(struct dm_target *ti, unsigned int argc,
			      char **argv, char *result, unsigned int maxlen)
{
	struct mirrorlive_c *mc = ti->private;
	u32 kbps;

	if (argc == 1 && !strcasecmp(argv[0], "pause_copy")) {
		set_phase(mc, PHASE_COPYING, PHASE_PAUSED);
		return 0;
	}
	if (argc == 1 && !strcasecmp(argv[0], "resume_copy")) {
		set_phase(mc, PHASE_PAUSED, PHASE_COPYING);
		return 0;
	}
	if (argc == 2 && !strcasecmp(argv[0], "max_copy_kbps")) {
		if (mirrorlive_parse_kbps(argv[1], &kbps)) {
			DMWARN_LIMIT("Invalid max_copy_kbps value: %.32s", argv[1]);
			return -EINVAL;
		}
		spin_lock_irq(&mc->lock);
		mc->max_copy_kbps = kbps;
		spin_unlock_irq(&mc->lock);
		return 0;
	}

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
	.name		 = "mirrorlive",
	.version	 = {0, 1, 0},
	.module		 = THIS_MODULE,
	.ctr		 = mirrorlive_ctr,
	.dtr		 = mirrorlive_dtr,
	.map		 = mirrorlive_map,
	.end_io		 = mirrorlive_end_io,
	.status		 = mirrorlive_status,
	.message	 = mirrorlive_message,
	.iterate_devices = mirrorlive_iterate_devices,
};

static int __init dm_mirrorlive_init(void)
{
	int r = dm_register_target(&mirrorlive_target);

	if (r < 0)
		DMERR("register failed %d", r);

	return r;
}

static void __exit dm_mirrorlive_exit(void)
{
	dm_unregister_target(&mirrorlive_target);
}

module_init(dm_mirrorlive_init);
module_exit(dm_mirrorlive_exit);

MODULE_DESCRIPTION(DM_NAME " live migration of a device to another one");
MODULE_AUTHOR("dm-mirrorlive developers");
MODULE_LICENSE("GPL");
