// SPDX-License-Identifier: GPL-2.0-only
/*
 * act_restore.c - mirrorctl restore: set the devices of the mirrortab up
 * again, at boot (Documentation/interface.rst, 7.3 and 7.11).
 *
 * For each entry, the record on its metadata device decides:
 *
 *   migrating   the device is created as the mirror again; the target
 *               loads the record (recovery rules of
 *               Documentation/metadata-format.rst, section 4) and copies
 *               what is not recorded copied and clean
 *   completed   the device is created linear on the destination
 *   cancelled   the device is created linear on the source
 *   none        (both slots zero: start never got to its resume) linear
 *               on the source, as before the start
 *
 * A record flagged reversed is the kept mirror's of complete --keep-source,
 * which took the record over (metadata-format.rst, section 3, "Reversal"):
 * the same rules with the entry's legs swapped, so
 * migrating sets the kept mirror up again (marked kept since the record's
 * format_time, kept.h), completed is a revert (the old source) and
 * cancelled a commit (the destination).
 *
 * For the last three the migration is over: the entry is removed, then
 * the record zeroed (in that order, so that a crash in between leaves the
 * outcome to the next restore). A device that exists already is left as
 * it is: when it is this very mirror, that is success (restore ran
 * twice); anything else is a refusal. Entries are independent: a refused
 * one does not stop the others; the exit status is the first failure's.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>

#include "actions.h"
#include "blockdev.h"
#include "clock.h"
#include "dm.h"
#include "errors.h"
#include "identity.h"
#include "kept.h"
#include "lock.h"
#include "log.h"
#include "metadata.h"
#include "mirrortab.h"
#include "sector.h"
#include "table.h"

/* With --timeout, wait for @path to appear (udev, iSCSI logins, ...). */
static int wait_for_device(const char *path)
{
	const struct timespec tick = { 0, 100 * 1000 * 1000 };
	struct stat st;

	while (stat(path, &st)) {
		if (errno != ENOENT || !mctl_opt.deadline_us ||
		    clock_now_us() >= mctl_opt.deadline_us) {
			log_err("%s: %s", path, strerror(errno));
			return -ENODEV;
		}
		nanosleep(&tick, NULL);
	}
	return 0;
}

/* One line "0 LEN linear DEV OFF" on @bd. */
static int linear_table(const struct blockdev *bd, uint64_t offset,
			uint64_t len, struct table **out)
{
	char params[64];
	struct table *t = table_new();
	int r;

	snprintf(params, sizeof(params), "%u:%u %" PRIu64, bd->major,
		 bd->minor, offset);
	r = t ? table_add(t, 0, len, TARGET_LINEAR, params) : -ENOMEM;
	if (r) {
		table_free(t);
		return r;
	}
	*out = t;
	return 0;
}

static int mirror_table(const struct mirrortab_entry *e,
			const struct meta_sb *sb, const struct blockdev *src,
			const struct blockdev *dst, const struct blockdev *meta,
			const char *mirror_id, struct table **out)
{
	struct mirror_params mp = {
		.source_offset = sb->source_offset,
		.dest_offset = sb->dest_offset,
		.features = {
			.max_copy_kbps = e->opts.max_copy_kbps,
			.min_copy_kbps = e->opts.min_copy_kbps,
			.sparse = e->opts.sparse,
			.dest_zeroed = e->opts.dest_zeroed,
		},
	};
	char params[512];
	struct table *t;
	int r;

	if (sb->region_sectors != MIRROR_REGION_DEFAULT)
		mp.features.region_sectors = sb->region_sectors;
	snprintf(mp.source, sizeof(mp.source), "%u:%u", src->major,
		 src->minor);
	snprintf(mp.dest, sizeof(mp.dest), "%u:%u", dst->major, dst->minor);
	snprintf(mp.features.metadata, sizeof(mp.features.metadata), "%u:%u",
		 meta->major, meta->minor);
	snprintf(mp.features.mirror_id, sizeof(mp.features.mirror_id), "%s",
		 mirror_id);
	r = table_format_mirror(&mp, params, sizeof(params));
	if (r)
		return r;
	t = table_new();
	r = t ? table_add(t, 0, sb->len, TARGET_MIRRORLIVE, params) : -ENOMEM;
	if (r) {
		table_free(t);
		return r;
	}
	*out = t;
	return 0;
}

static bool device_exists(const char *name)
{
	char **names = NULL, **n;
	bool found = false;

	if (dmctl_list(&names))
		return false;	/* said why; create() will tell */
	for (n = names; n && *n && !found; n++)
		found = !strcmp(*n, name);
	dmctl_names_free(names);
	return found;
}

/* Does the existing device @name already run the mirror of @meta? */
static bool is_this_mirror(const char *name, const struct blockdev *meta)
{
	struct mirror_params mp;
	struct table *t = NULL;
	char want[32];
	bool same = false;

	snprintf(want, sizeof(want), "%u:%u", meta->major, meta->minor);
	if (!dmctl_get_table(name, false, &t) && t->nr == 1 &&
	    table_line_is_mirror(&t->lines[0]) &&
	    !table_parse_mirror(t->lines[0].params, &mp))
		same = !strcmp(mp.features.metadata, want);
	table_free(t);
	return same;
}

/* The migration is over: drop the entry, then end the record. */
static int finish_entry(const struct mirrortab_entry *e)
{
	int r = mirrortab_drop(mctl_opt.mirrortab, e->name);

	if (!r && meta_zero_slots(e->metadata))
		log_err("%s: warning: its record on %s stays: zero its first "
			"8 KiB before using it again", e->name, e->metadata);
	return r;
}

static int create(const struct mirrortab_entry *e, const struct table *t)
{
	int r = dmctl_create(e->name, e->opts.uuid[0] ? e->opts.uuid : NULL, t);

	if (r == -EEXIST) {
		log_err("%s: a device of that name or dm UUID exists: left as "
			"it is", e->name);
		return -MCTL_EPRECOND;
	}
	return r;
}

/* The legs as the record has them: the entry's, or swapped (kept). */
struct restore_legs {
	const struct blockdev *src, *dst;
	const char *src_path, *dst_path;
	bool kept;
};

/* Create @e's device as @t (then freed); a kept mirror is marked kept. */
static int create_as(const struct mirrortab_entry *e, struct table *t,
		     const struct restore_legs *legs, const struct meta_sb *sb)
{
	int r = t ? create(e, t) : -ENOMEM;

	if (!r && legs->kept && table_has_mirror(t) &&
	    kept_save(KEPT_DIR, e->name, sb->format_time, t))
		log_err("%s: warning: cannot mark it kept in %s: commit and "
			"revert refuse it", e->name, KEPT_DIR);
	table_free(t);
	return r;
}

/* Set @e up as the record @sum, of the legs @l, says. */
static int restore_recorded(const struct mirrortab_entry *e,
			    const struct meta_summary *sum,
			    const struct restore_legs *l,
			    const struct blockdev *meta, const char *mirror_id)
{
	const struct meta_sb *sb = &sum->sb;
	struct mirrortab_entry as = *e;
	struct table *t = NULL;
	int r;

	/* the old source, the kept mirror's destination, holds data */
	if (l->kept)
		as.opts.dest_zeroed = false;
	switch (sb->state) {
	case MIRRORLIVE_META_STATE_MIGRATING:
		r = mirror_table(&as, sb, l->src, l->dst, meta, mirror_id, &t);
		if (!r)
			r = create_as(e, t, l, sb);
		if (!r && l->kept)
			printf("%s: kept mirror restored from %s: the old source "
			       "%s kept in sync with %s, %" PRIu64 " regions "
			       "dirty to copy again\n", e->name, e->metadata,
			       l->dst_path, l->src_path, sum->dirty);
		else if (!r)
			printf("%s: mirror restored from %s: %" PRIu64 " of %"
			       PRIu64 " regions copied, %" PRIu64 " dirty to "
			       "copy again\n", e->name, e->metadata,
			       meta_copied(sum), sb->regions, sum->dirty);
		return r;
	case MIRRORLIVE_META_STATE_COMPLETED:
		r = linear_table(l->dst, sb->dest_offset, sb->len, &t);
		if (!r)
			r = create_as(e, t, l, sb);
		if (!r)
			printf("%s: %s: set up on its %s %s\n", e->name,
			       l->kept ? "the kept source had been reverted to" :
			       "the migration had completed",
			       l->kept ? "source" : "destination", l->dst_path);
		return r ? r : finish_entry(e);
	case MIRRORLIVE_META_STATE_CANCELLED:
		r = linear_table(l->src, sb->source_offset, sb->len, &t);
		if (!r)
			r = create_as(e, t, l, sb);
		if (!r)
			printf("%s: %s: set up on its %s %s\n", e->name,
			       l->kept ? "the kept source had been dropped "
			       "(commit)" : "the migration had been cancelled",
			       l->kept ? "destination" : "source", l->src_path);
		return r ? r : finish_entry(e);
	}
	return -EINVAL;		/* meta_summarize() knows no other state */
}

static int restore_entry(const struct mirrortab_entry *e)
{
	struct blockdev src, dst, meta;
	struct meta_geometry g;
	struct restore_legs legs;
	struct meta_summary sum;
	struct table *t = NULL;
	char mirror_id[33] = "";
	const char *why;
	int r;

	r = wait_for_device(e->source);
	if (!r)
		r = wait_for_device(e->dest);
	if (!r)
		r = wait_for_device(e->metadata);
	if (!r)
		r = blockdev_get(e->metadata, &meta);
	if (r)
		return r;
	if (device_exists(e->name) && is_this_mirror(e->name, &meta)) {
		printf("%s: running already, as the mirror recorded on %s\n",
		       e->name, e->metadata);
		return 0;
	}
	r = blockdev_get(e->source, &src);
	if (!r)
		r = blockdev_get(e->dest, &dst);
	if (r)
		return r;
	legs = (struct restore_legs) { &src, &dst, e->source, e->dest, false };
	r = meta_read_path(e->metadata, &sum);
	if (r == -ENODATA) {
		/* start never resumed the mirror: as before it */
		r = linear_table(&src, 0, src.size_bytes >> SECTOR_SHIFT, &t);
		if (!r)
			r = create_as(e, t, &legs, &sum.sb);
		if (!r)
			printf("%s: no record on %s (the migration never "
			       "started): set up on its source %s\n", e->name,
			       e->metadata, e->source);
		return r ? r : finish_entry(e);
	}
	if (r == -EINVAL || r == -ENOSPC) {
		log_err("%s: %s holds no usable record (%s): left as it is",
			e->name, e->metadata,
			r == -ENOSPC ? "smaller than its geometry" : sum.why);
		return -MCTL_EPRECOND;
	}
	if (r)
		return r;

	/* a kept mirror's record has the entry's legs the other way round */
	if (sum.sb.flags & MIRRORLIVE_META_SB_REVERSED)
		legs = (struct restore_legs) { &dst, &src, e->dest, e->source,
					       true };
	g = (struct meta_geometry) {
		.len = sum.sb.len,
		.source_offset = sum.sb.source_offset,
		.source_sectors = legs.src->size_bytes >> SECTOR_SHIFT,
		.dest_offset = sum.sb.dest_offset,
		.dest_sectors = legs.dst->size_bytes >> SECTOR_SHIFT,
		.region_sectors = sum.sb.region_sectors,
	};
	/*
	 * The legs' identities now: another disk at a path gets another id.
	 * A kept mirror keeps the id of the migration it reverses.
	 */
	if (mirror_id_of(src.major, src.minor, dst.major, dst.minor, mirror_id))
		mirror_id[0] = '\0';
	why = meta_parse_mirror_id(mirror_id, &g) ? "bad mirror_id" :
	      meta_geometry_differs(&sum, &g);
	if (why) {
		log_err("%s: %s does not record a mirror of %s onto %s (%s): "
			"left as it is", e->name, e->metadata, legs.src_path,
			legs.dst_path, why);
		return -MCTL_EPRECOND;
	}
	return restore_recorded(e, &sum, &legs, &meta, mirror_id);
}

int action_restore(int argc, const char **argv)
{
	struct mctl_lock lock;
	struct mirrortab tab;
	size_t i, done = 0;
	int r, rr;

	(void)argc;
	(void)argv;
	r = lock_take(&lock, mctl_opt.deadline_us);
	if (r)
		return r;
	r = mirrortab_read(mctl_opt.mirrortab, &tab);
	if (r) {
		log_err("%s: cannot read: %s", mctl_opt.mirrortab,
			strerror(-r));
		lock_release(&lock);
		return r;
	}
	for (i = 0; i < tab.nr; i++) {
		const struct mirrortab_line *l = &tab.lines[i];

		if (!l->is_entry) {
			if (l->why) {
				log_err("%s:%u: ignored: %s", mctl_opt.mirrortab,
					l->lineno, l->why);
				if (!r)
					r = -MCTL_EPRECOND;
			}
			continue;
		}
		rr = restore_entry(&l->entry);
		if (rr && !r)
			r = rr;
		done += !rr;
	}
	log_verbose("restore: %zu of %zu entries set up", done,
		    tab.nr);
	mirrortab_free(&tab);
	lock_release(&lock);
	return r;
}
