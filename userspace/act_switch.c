// SPDX-License-Identifier: GPL-2.0-only
/*
 * act_switch.c - start, complete, cancel and recover
 *
 * Each of the first three decides the new table of every device it names
 * (start: mirrorlive onto DEST, after start's checks of the destination;
 * complete: linear onto the destination; cancel: linear onto the source)
 * and has swap.h swap them all at once.  recover only finishes or undoes
 * what a killed one left behind, as the three do first.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "act_switch.h"
#include "act_verify.h"
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
#include "output.h"
#include "probe.h"
#include "result_json.h"
#include "sector.h"
#include "size.h"
#include "status.h"
#include "swap.h"
#include "table.h"
#include "volmgr.h"
#include "watch.h"

/* ------------------------------------------------------------------ */
/* start */

/* Which segment of @d's table reads from @major:@minor (the disk of)? */
static int dest_overlaps_source(const struct swap_dev *d)
{
	uint32_t dw_maj, dw_min, smaj, smin, sw_maj, sw_min;
	const struct blockdev *bd = &d->dest_bd;
	char dev[TABLE_DEV_MAX];
	uint64_t off;
	size_t i;

	blockdev_whole_disk(bd->major, bd->minor, &dw_maj, &dw_min);
	for (i = 0; i < d->live->nr; i++) {
		if (table_parse_linear(d->live->lines[i].params, dev, &off) ||
		    blockdev_parse_devno(dev, &smaj, &smin))
			continue;
		if (smaj == bd->major && smin == bd->minor) {
			log_err("%s: destination is the source of %s",
				d->dest, d->info.name);
			return -MCTL_EPRECOND;
		}
		blockdev_whole_disk(smaj, smin, &sw_maj, &sw_min);
		if ((sw_maj == bd->major && sw_min == bd->minor) ||
		    (dw_maj == smaj && dw_min == smin)) {
			log_err("%s: destination overlaps the source of %s "
				"(%s, same disk)", d->dest, d->info.name, dev);
			return -MCTL_EPRECOND;
		}
	}
	return 0;
}

/* Nobody else may be using @path (@what: "destination", ...). */
static int not_in_use(const char *path, const struct blockdev *bd,
		      const char *what)
{
	struct dmctl_info info;
	char holder[128];
	int r;

	r = dmctl_find_holder(bd->major, bd->minor, holder, sizeof(holder));
	if (!r) {
		log_err("%s: %s backs dm device %s", path, what, holder);
		return -MCTL_EPRECOND;
	}
	if (r != -ENOENT)
		return r;

	if (dmctl_is_dm_major(bd->major)) {
		r = dmctl_get_info(path, &info);
		if (r)
			return r;
		if (info.open_count > 0) {
			log_err("%s: %s is open elsewhere (dm device %s, open "
				"count %d)", path, what, info.name,
				info.open_count);
			return -MCTL_EPRECOND;
		}
	}
	r = blockdev_open_exclusive(path);
	if (r == -EBUSY) {
		log_err("%s: %s is open elsewhere (in use: mounted, or held "
			"by another process or device)", path, what);
		return -MCTL_EPRECOND;
	}
	if (r)
		log_err("%s: cannot open: %s", path, strerror(-r));
	return r;
}

static int dest_fits(const struct swap_dev *d)
{
	const struct blockdev *bd = &d->dest_bd;
	uint64_t need = table_length(d->live) << SECTOR_SHIFT;
	char have_s[SIZE_FORMAT_MAX], need_s[SIZE_FORMAT_MAX];
	unsigned int lbs;
	int r;

	if (bd->size_bytes < need) {
		size_format(bd->size_bytes, have_s, sizeof(have_s));
		size_format(need, need_s, sizeof(need_s));
		log_err("%s: destination is smaller than %s (%s < %s)", d->dest,
			d->info.name, have_s, need_s);
		return -MCTL_EPRECOND;
	}
	r = blockdev_sysfs_lbs(d->info.major, d->info.minor, &lbs);
	if (r) {
		log_err("%s: cannot read its logical block size: %s",
			d->info.name, strerror(-r));
		return r;
	}
	if (bd->logical_block_size > lbs) {
		log_err("%s: destination logical block size %u is larger than "
			"%s's %u", d->dest, bd->logical_block_size,
			d->info.name, lbs);
		return -MCTL_EPRECOND;
	}
	return 0;
}

static int dest_blank(const struct swap_dev *d)
{
	char what[64];
	int r;

	if (mctl_opt.force)
		return 0;
	r = probe_signature(d->dest, what, sizeof(what));
	if (r == 1) {
		log_err("%s: destination carries a signature: %s (--force "
			"overwrites it)", d->dest, what);
		return -MCTL_EPRECOND;
	}
	return r;
}

/*
 * Not a refusal: a destination whose requests never time out makes every
 * write to a copied region, and every suspend, wait for it when it stops
 * answering, and then cancel needs the fail_dest message first
 * (dm-mirrorlive.rst, "A destination that stops answering").  NBD without
 * nbd-client -t is the usual case.
 */
static void start_warn_no_timeout(const struct swap_dev *d)
{
	uint64_t timeout;
	int r;

	r = blockdev_nbd_timeout(d->dest_bd.major, d->dest_bd.minor, &timeout);
	if (r == 1 && !timeout)
		log_err("%s: warning: NBD device without a request timeout: if "
			"its server stops answering, writes to %s wait for "
			"it and cancel needs fail_dest first (mirrorctl(8), "
			"cancel; connect with nbd-client -t SECONDS)",
			d->dest, d->info.name);
	else if (r == -ENOENT)
		log_err("%s: warning: NBD device whose request timeout cannot "
			"be read (debugfs is not mounted): without one "
			"(nbd-client -t SECONDS), a server that stops answering "
			"stalls writes to %s and cancel", d->dest, d->info.name);
}

/*
 * The refusals of Documentation/interface.rst, section 7.3 (start), in an
 * order that names the real cause.
 */
static int start_check_dest(struct swap_dev *d)
{
	int r;

	r = blockdev_get(d->dest, &d->dest_bd);
	if (r)
		return r;
	if (d->dest_bd.major == d->info.major &&
	    d->dest_bd.minor == d->info.minor) {
		log_err("%s: destination is %s itself", d->dest, d->info.name);
		return -MCTL_EPRECOND;
	}
	r = dest_overlaps_source(d);
	if (!r)
		r = not_in_use(d->dest, &d->dest_bd, "destination");
	if (!r)
		r = dest_fits(d);
	if (!r)
		start_warn_no_timeout(d);
	return r;
}

/* ------------------------------------------------------------------ */
/* start --metadata */

/* What start does with the record on --metadata's device. */
enum meta_plan {
	META_FRESH,	/* both slots zero: the kernel formats it */
	META_RESUME,	/* this mirror's record: go on where it stopped */
	META_OVERWRITE,	/* anything else, with --force: zero both slots */
};

/*
 * The geometry the kernel will check the record against, with the
 * mirror_id of the legs' identities (identity.h): @mirror_id gets its
 * hex, or "" when a leg has no identity.
 */
static int meta_geometry_of(const struct swap_dev *d, struct meta_geometry *g,
			    char *mirror_id)
{
	const struct table_line *l = &d->live->lines[0];
	char dev[TABLE_DEV_MAX];
	uint32_t maj, min;
	uint64_t off;
	int r;

	if (d->live->nr != 1) {
		log_err("%s: --metadata takes a device of one segment (it has "
			"%zu)", d->info.name, d->live->nr);
		return -MCTL_EPRECOND;
	}
	if (table_parse_linear(l->params, dev, &off) ||
	    blockdev_parse_devno(dev, &maj, &min)) {
		log_err("%s: cannot read its source from '%s'", d->info.name,
			l->params);
		return -EINVAL;
	}
	memset(g, 0, sizeof(*g));
	g->len = l->length;
	g->source_offset = off;
	r = blockdev_sysfs_sectors(maj, min, &g->source_sectors);
	if (r) {
		log_err("%s: cannot read the size of its source %s: %s",
			d->info.name, dev, strerror(-r));
		return r;
	}
	g->dest_sectors = d->dest_bd.size_bytes >> SECTOR_SHIFT;
	g->region_sectors = mctl_opt.region_sectors ? mctl_opt.region_sectors :
						      MIRROR_REGION_DEFAULT;
	if (mirror_id_of(maj, min, d->dest_bd.major, d->dest_bd.minor,
			 mirror_id))
		mirror_id[0] = '\0';
	else
		log_verbose("%s: mirror_id %s, from the identities of %s and "
			    "%s", d->info.name, mirror_id, dev, d->dest);
	return meta_parse_mirror_id(mirror_id, g);
}

/* What @sum says to start: resume, format, or refuse (--force: zero). */
static int meta_plan_of(const struct swap_dev *d, const char *meta, int r,
			const struct meta_summary *sum,
			const struct meta_geometry *g, enum meta_plan *plan)
{
	const char *why;

	if (r == -ENODATA) {
		*plan = META_FRESH;
		return 0;
	}
	/* a kept mirror's record, its legs the other way round (restore) */
	if (!r && sum->sb.flags & MIRRORLIVE_META_SB_REVERSED) {
		why = "it records the kept mirror of complete --keep-source, "
		      "which mirrorctl restore sets up again";
	} else if (!r && sum->sb.state == MIRRORLIVE_META_STATE_MIGRATING &&
		   !(why = meta_geometry_differs(sum, g))) {
		if (mctl_opt.nosync) {
			log_err("%s: --nosync: %s records this mirror; start "
				"without it to go on where it stopped", meta,
				d->info.name);
			return -MCTL_EUSAGE;
		}
		*plan = META_RESUME;
		return 0;
	} else if (!r && sum->sb.state != MIRRORLIVE_META_STATE_MIGRATING) {
		why = "it records a finished migration";
	} else if (r) {
		why = sum->why;
	}
	if (mctl_opt.force) {
		*plan = META_OVERWRITE;
		return 0;
	}
	log_err("%s: holds something else than a record of this mirror (%s); "
		"--force overwrites it", meta, why);
	return -MCTL_EPRECOND;
}

static int start_check_meta(const struct swap_dev *d, const char *meta,
			    struct blockdev *mbd, enum meta_plan *plan,
			    struct meta_summary *sum, char *mirror_id)
{
	char have_s[SIZE_FORMAT_MAX], need_s[SIZE_FORMAT_MAX];
	struct meta_geometry g;
	uint64_t need;
	int r;

	r = meta_geometry_of(d, &g, mirror_id);
	if (!r)
		r = blockdev_get(meta, mbd);
	if (r)
		return r;
	if ((mbd->major == d->info.major && mbd->minor == d->info.minor) ||
	    (mbd->major == d->dest_bd.major &&
	     mbd->minor == d->dest_bd.minor)) {
		log_err("%s: the metadata device is %s itself", meta,
			mbd->major == d->info.major &&
			mbd->minor == d->info.minor ? d->info.name : d->dest);
		return -MCTL_EPRECOND;
	}
	r = not_in_use(meta, mbd, "metadata device");
	if (r)
		return r;
	need = meta_needed_bytes(&g);
	if (mbd->size_bytes < need) {
		size_format(mbd->size_bytes, have_s, sizeof(have_s));
		size_format(need, need_s, sizeof(need_s));
		log_err("%s: metadata device too small for %s (%s < %s)", meta,
			d->info.name, have_s, need_s);
		return -MCTL_EPRECOND;
	}
	r = meta_read_path(meta, sum);
	if (r && r != -ENODATA && r != -EINVAL && r != -ENOSPC)
		return r;	/* could not read it: said so */
	return meta_plan_of(d, meta, r, sum, &g, plan);
}

/*
 * A device a volume manager owns goes back onto the source at its next
 * reload (volmgr.h): refused unless --risk-stale-metadata.
 */
static int start_check_owner(const struct swap_dev *d)
{
	const struct volmgr *m = volmgr_of_uuid(d->info.uuid);

	if (!m)
		return 0;
	if (mctl_opt.risk_stale_metadata) {
		log_err("%s: warning: owned by %s (dm UUID %s): its next reload of the "
			"device maps the source again, whatever complete did",
			d->info.name, m->name, d->info.uuid);
		return 0;
	}
	log_err("%s: owned by %s (dm UUID %s), which would map it onto the "
		"source again at its next reload (a refresh, an extend, the "
		"next boot), after complete too; move its data with %s, or "
		"pass --risk-stale-metadata", d->info.name, m->name,
		d->info.uuid, m->safe_tool);
	return -MCTL_EPRECOND;
}

/* The device must be linear; say what it is otherwise. */
static int start_check_device(const struct swap_dev *d)
{
	struct mirror_params mp;
	size_t i;

	if (start_check_owner(d))
		return -MCTL_EPRECOND;
	for (i = 0; i < d->live->nr; i++) {
		const struct table_line *l = &d->live->lines[i];

		if (table_line_is_mirror(l)) {
			if (!table_parse_mirror(l->params, &mp))
				log_err("%s: already mirroring (onto %s)",
					d->info.name, mp.dest);
			else
				log_err("%s: already mirroring", d->info.name);
			return -MCTL_EPRECOND;
		}
		if (strcmp(l->target, TARGET_LINEAR)) {
			log_err("%s: segment %zu (sector %" PRIu64 ") is %s, "
				"not linear", d->info.name, i + 1, l->start,
				l->target);
			return -MCTL_EPRECOND;
		}
	}
	if (!table_length(d->live)) {
		log_err("%s: the table has gaps", d->info.name);
		return -MCTL_EPRECOND;
	}
	return 0;
}

/* No DEST twice, no DEST that is another pair's DEVICE. */
static int start_check_group(const struct swap_dev *d, int nr)
{
	int i, j;

	for (i = 0; i < nr; i++) {
		for (j = 0; j < nr; j++) {
			if (j < i && d[j].dest_bd.major == d[i].dest_bd.major &&
			    d[j].dest_bd.minor == d[i].dest_bd.minor) {
				log_err("%s: destination given twice", d[i].dest);
				return -MCTL_EPRECOND;
			}
			if (d[j].info.major == d[i].dest_bd.major &&
			    d[j].info.minor == d[i].dest_bd.minor) {
				log_err("%s: destination is %s, mirrored too",
					d[i].dest, d[j].info.name);
				return -MCTL_EPRECOND;
			}
		}
	}
	return 0;
}

static int start_prepare(struct swap_dev *d, int nr)
{
	struct mirror_features f = {
		.region_sectors = mctl_opt.region_sectors,
		.max_copy_kbps = mctl_opt.max_kbps,
		.min_copy_kbps = mctl_opt.min_kbps,
		.sparse = mctl_opt.sparse,
		.dest_zeroed = mctl_opt.dest_zeroed,
		.nosync = mctl_opt.nosync,
		.paused = mctl_opt.paused,
	};
	enum meta_plan plan = META_FRESH;
	struct meta_summary sum;
	struct blockdev mbd;
	char dest[32];
	int i, r;

	r = swap_devs_get(d, nr);
	for (i = 0; i < nr && !r; i++) {
		r = start_check_device(&d[i]);
		if (!r)
			r = start_check_dest(&d[i]);
		if (!r && mctl_opt.metadata)
			r = start_check_meta(&d[i], mctl_opt.metadata, &mbd,
					     &plan, &sum, f.mirror_id);
		/* a record of this mirror: the destination holds its copy */
		if (!r && plan != META_RESUME)
			r = dest_blank(&d[i]);
	}
	if (!r && plan == META_RESUME && !mctl_opt.json)
		printf("%s: going on with the mirror recorded on %s: %" PRIu64
		       " of %" PRIu64 " regions copied, %" PRIu64 " dirty to "
		       "copy again\n", d[0].info.name, mctl_opt.metadata,
		       meta_copied(&sum), sum.sb.regions, sum.dirty);
	if (!r && plan == META_OVERWRITE)
		r = meta_zero_slots(mctl_opt.metadata);
	if (!r && mctl_opt.metadata)
		snprintf(f.metadata, sizeof(f.metadata), "%u:%u", mbd.major,
			 mbd.minor);
	if (!r)
		r = start_check_group(d, nr);
	for (i = 0; i < nr && !r; i++) {
		snprintf(dest, sizeof(dest), "%u:%u", d[i].dest_bd.major,
			 d[i].dest_bd.minor);
		/* One linear segment becomes one mirrorlive segment. */
		f.max_copy_kbps = rate_per_segment(mctl_opt.max_kbps,
						   d[i].live->nr);
		f.min_copy_kbps = rate_per_segment(mctl_opt.min_kbps,
						   d[i].live->nr);
		r = table_make_mirror(d[i].live, dest, 0, &f, &d[i].next, NULL);
		if (r)
			log_err("%s: cannot build the mirror table: %s",
				d[i].info.name, strerror(-r));
	}
	return r;
}

/* A path for the mirrortab: absolute, and stable across reboots if it can. */
static void tab_path(const char *path, char *out, size_t len)
{
	char full[PATH_MAX];

	if (path[0] != '/' && realpath(path, full))
		path = full;
	stable_path(path, out, len);
}

/*
 * start --metadata lists the mirror in the mirrortab before its swap, so
 * that a crash right after the swap finds it at boot. *@added: it was not
 * listed before (a failed start removes it again).
 */
static int start_list(const struct swap_dev *d, bool *added)
{
	struct mirrortab_entry e = {
		.opts = {
			.region_sectors = mctl_opt.region_sectors,
			.max_copy_kbps = mctl_opt.max_kbps,
			.min_copy_kbps = mctl_opt.min_kbps,
			.sparse = mctl_opt.sparse,
			.dest_zeroed = mctl_opt.dest_zeroed,
		},
	};
	char dev[TABLE_DEV_MAX], node[TABLE_DEV_MAX + 16];
	struct mirrortab tab;
	uint64_t off;
	int r;

	*added = false;
	if (table_parse_linear(d->live->lines[0].params, dev, &off))
		return -EINVAL;		/* start_check_meta() read it */
	blockdev_name(dev, node, sizeof(node));
	snprintf(e.name, sizeof(e.name), "%s", d->info.name);
	tab_path(node, e.source, sizeof(e.source));
	tab_path(d->dest, e.dest, sizeof(e.dest));
	tab_path(mctl_opt.metadata, e.metadata, sizeof(e.metadata));
	if (d->info.uuid[0] && !strpbrk(d->info.uuid, " \t,\\"))
		snprintf(e.opts.uuid, sizeof(e.opts.uuid), "%s", d->info.uuid);
	r = mirrortab_read(mctl_opt.mirrortab, &tab);
	if (!r) {
		*added = !mirrortab_find(&tab, e.name);
		mirrortab_free(&tab);
		r = mirrortab_add(mctl_opt.mirrortab, &e);
	} else {
		log_err("%s: cannot read: %s", mctl_opt.mirrortab,
			strerror(-r));
	}
	if (!r)
		log_verbose("%s: listed in %s, to be set up again at boot",
			    e.name, mctl_opt.mirrortab);
	return r;
}

/*
 * The end of start, complete and cancel: with --json, print what was done
 * (result_json.h); free @d.  Returns @r, or the printing's error.
 */
int switch_done(const char *action, struct swap_dev *d, int nr, int r,
		       uint64_t window_us)
{
	int rr;

	if (mctl_opt.json) {
		rr = result_json_print(action, d, nr, r, window_us);
		if (!r)
			r = rr;
		log_keep_errors(false);
	}
	swap_devs_free(d, nr);
	return r;
}

int action_start(int argc, const char **argv)
{
	const char **names = NULL;
	struct swap_dev *d;
	struct mctl_lock lock;
	uint64_t window_us = SWAP_NO_WINDOW;
	int nr = argc / 2, i, r, avail;
	bool listed = false;

	if (argc < 2)
		return -MCTL_EUSAGE;	/* the action table asks for 2 */
	if (argc % 2) {
		log_err("start: DEST missing for %s, usage: mirrorctl start "
			"DEVICE DEST [DEVICE DEST]...", argv[argc - 1]);
		return -MCTL_EUSAGE;
	}
	if (mctl_opt.metadata && nr != 1) {
		log_err("--metadata: start takes one DEVICE DEST pair with it "
			"(one record a mirror)");
		return -MCTL_EUSAGE;
	}
	d = swap_devs_new(argv, nr, 2);
	if (!d)
		return -ENOMEM;
	if (mctl_opt.json)
		log_keep_errors(true);

	r = lock_take(&lock, mctl_opt.deadline_us);
	if (!r)
		r = swap_recover(&lock, NULL);
	if (!r)
		r = start_prepare(d, nr);
	if (!r && mctl_opt.metadata)
		r = start_list(&d[0], &listed);
	if (!r) {
		avail = dmctl_target_available(TARGET_MIRRORLIVE);
		if (!avail)
			log_verbose("target mirrorlive not registered yet: the "
				    "kernel loads module dm-mirrorlive for the "
				    "table");
		r = swap_tables(d, nr, NULL, "start", &lock, &window_us);
		if (r && !avail && dmctl_target_available(TARGET_MIRRORLIVE) == 0)
			log_err("mirrorlive: target not available: module "
				"dm-mirrorlive is not loaded and the kernel could "
				"not load it (is it installed? modprobe "
				"dm-mirrorlive)");
		if (r && listed)
			mirrortab_drop(mctl_opt.mirrortab, d[0].info.name);
	}
	lock_release(&lock);
	for (i = 0; i < nr && !r; i++)
		log_verbose("%s: mirroring onto %s", d[i].info.name, d[i].dest);

	if (!r && mctl_opt.wait) {
		names = calloc(nr, sizeof(*names));
		for (i = 0; names && i < nr; i++)
			names[i] = d[i].info.name;
		r = names ? wait_ready(names, nr, mctl_opt.deadline_us,
				       mctl_opt.progress) :
			    -ENOMEM;
		free(names);
	}
	return switch_done("start", d, nr, r, window_us);
}

/* ------------------------------------------------------------------ */
/* complete and cancel */

static int require_mirror_table(const struct swap_dev *d)
{
	if (table_has_mirror(d->live))
		return 0;
	log_err("%s: not mirroring (target %s)", d->info.name,
		d->live->lines[0].target);
	return -MCTL_EPRECOND;
}

/*
 * complete's condition, for each mirrorlive segment: ready, reason "-",
 * no destination error.  With @warn_source_errors, also tell the operator
 * about source errors: a write that failed on the source may still have
 * reached the destination, so the legs can differ where the guest was
 * told a write failed (Documentation/dm-mirrorlive.rst, source_errors).
 */
int complete_check_status(const struct swap_dev *d, bool warn_source_errors)
{
	struct table *ts;
	struct mirror_status st;
	char pct[OUTPUT_PERCENT_MAX];
	size_t i;
	int r;

	r = dmctl_get_status(d->info.name, &ts);
	if (r)
		return r;
	for (i = 0; i < ts->nr && !r; i++) {
		const struct table_line *s = &ts->lines[i];

		if (!table_line_is_mirror(s))
			continue;
		r = -MCTL_EPRECOND;
		if (status_parse(s->params, &st)) {
			log_err("%s: unparseable mirrorlive status \"%s\"",
				d->info.name, s->params);
		} else if (st.phase == MIRROR_FAILED) {
			log_err("%s: mirror failed (%s), staying on the source",
				d->info.name, st.reason);
		} else if (st.phase != MIRROR_READY) {
			output_percent(st.copied_sectors, st.total_sectors, pct,
				       sizeof(pct));
			log_err("%s: not ready (%s, %s copied), staying on the "
				"source", d->info.name,
				status_phase_name(st.phase), pct);
		} else if (strcmp(st.reason, "-") || st.dest_errors) {
			log_err("%s: destination errors (%" PRIu64 ", %s), "
				"staying on the source", d->info.name,
				st.dest_errors, st.reason);
		} else {
			r = 0;
			if (warn_source_errors && st.source_errors)
				log_err("%s: warning: %" PRIu64 " source I/O "
					"errors while mirroring; where a write "
					"failed on the source, the destination "
					"may hold its data", d->info.name,
					st.source_errors);
		}
	}
	table_free(ts);
	return r;
}

/*
 * While the device is suspended, its persistent mirrors record on their
 * metadata devices how the migration ends ("completed", "cancelled"), so
 * that after a crash between the swap and the next boot restore sets the
 * device up on the right leg (Documentation/metadata-format.rst, section
 * 3, "Outcome"). A rollback resumes the old table, which records
 * "migrating" again.
 */
int switch_record_outcome(const struct swap_dev *d, const char *outcome)
{
	struct mirror_params mp;
	char msg[32];
	size_t l;
	int r;

	snprintf(msg, sizeof(msg), "outcome %s", outcome);
	for (l = 0; l < d->live->nr; l++) {
		const struct table_line *line = &d->live->lines[l];

		if (!table_line_is_mirror(line) ||
		    table_parse_mirror(line->params, &mp) ||
		    !mp.features.metadata[0])
			continue;
		r = dmctl_message(d->info.name, line->start, msg);
		if (r) {
			log_err("%s: cannot record \"%s\" on its metadata "
				"device %s: %s (see the kernel log)",
				d->info.name, outcome, mp.features.metadata,
				strerror(-r));
			return r;
		}
		log_verbose("%s: %s recorded on %s", d->info.name, outcome,
			    mp.features.metadata);
	}
	return 0;
}

static int complete_check(const struct swap_dev *d)
{
	int r = complete_check_status(d, false);

	return r ? r : switch_record_outcome(d, "completed");
}

int switch_check_cancelled(const struct swap_dev *d)
{
	if (switch_record_outcome(d, "cancelled"))
		log_err("%s: warning: a crash before its next boot may set it "
			"up as a mirror again (mirrorctl restore)",
			d->info.name);
	return 0;
}

/*
 * Look every device up and refuse early, before anything is suspended:
 * not mirroring, or a segment not fit to complete (with @warn, warn of
 * source errors).
 */
static int complete_refusals(struct swap_dev *d, int nr, bool warn)
{
	int i, r;

	r = swap_devs_get(d, nr);
	for (i = 0; i < nr && !r; i++) {
		r = require_mirror_table(&d[i]);
		if (!r)
			r = complete_check_status(&d[i], warn);
	}
	return r;
}

static int complete_prepare(struct swap_dev *d, int nr)
{
	int (*make)(const struct table *, struct table **, size_t *) =
		mctl_opt.keep_source ? table_make_keep : table_make_complete;
	int i, r;

	r = complete_refusals(d, nr, true);
	for (i = 0; i < nr && !r; i++) {
		r = make(d[i].live, &d[i].next, NULL);
		if (r)
			log_err("%s: cannot parse the mirror table",
				d[i].info.name);
	}
	return r;
}

/*
 * After complete or cancel: the mirrors that ended leave the mirrortab,
 * then their records are zeroed (no table uses them any more), so that a
 * later start over the same devices cannot take up a finished migration's
 * record.  In that order: until the entry is gone, the record's outcome
 * tells restore which leg to set up.  A failure only warns: the devices
 * are switched already.
 */
void switch_end_records(const struct swap_dev *d, int nr)
{
	struct mirror_params mp;
	char path[TABLE_DEV_MAX + 16];
	size_t l;
	int i;

	for (i = 0; i < nr; i++) {
		if (!d[i].swapped)
			continue;
		for (l = 0; l < d[i].live->nr; l++) {
			if (!table_line_is_mirror(&d[i].live->lines[l]) ||
			    table_parse_mirror(d[i].live->lines[l].params, &mp) ||
			    !mp.features.metadata[0])
				continue;
			blockdev_name(mp.features.metadata, path, sizeof(path));
			if (mirrortab_drop(mctl_opt.mirrortab, d[i].info.name))
				log_err("%s: warning: still listed in %s: its "
					"record on %s keeps the outcome for "
					"restore", d[i].info.name,
					mctl_opt.mirrortab,
					mp.features.metadata);
			else if (meta_zero_slots(path))
				log_err("%s: warning: its record on %s stays: zero "
					"its first 8 KiB before using it again",
					d[i].info.name, mp.features.metadata);
			else
				log_verbose("%s: record on %s ended",
					    d[i].info.name, mp.features.metadata);
		}
	}
}

/*
 * complete --verify, before the lock and the swap: the refusals of
 * complete's status check (the mirror must be ready), then a verify pass
 * on every device (act_verify.h).  On a refusal each device keeps the
 * table read, for --json's old_table; else complete_prepare() reads them
 * again under the lock.
 */
static int complete_verify(struct swap_dev *d, int nr)
{
	const char **names;
	int i, r;

	r = complete_refusals(d, nr, false);
	if (r)
		return r;
	names = calloc(nr, sizeof(*names));
	if (!names) {
		log_err("complete: %s", strerror(ENOMEM));
		return -ENOMEM;
	}
	for (i = 0; i < nr; i++)
		names[i] = d[i].info.name;
	r = verify_before_complete(names, nr);
	free(names);
	for (i = 0; i < nr && !r; i++) {
		table_free(d[i].live);
		d[i].live = NULL;
	}
	return r;
}

/*
 * complete --keep-source: mark each device switched as kept (kept.h). Its
 * mirrortab entry and record stay: the kept mirror took the record over
 * at its resume (Documentation/metadata-format.rst, section 3,
 * "Reversal"), so that restore sets the kept mirror up again after a
 * crash; commit or revert ends them.
 */
static void keep_marks(const struct swap_dev *d, int nr)
{
	uint64_t now = (uint64_t)time(NULL);
	int i, r;

	for (i = 0; i < nr; i++) {
		if (!d[i].swapped)
			continue;
		r = kept_save(KEPT_DIR, d[i].info.name, now, d[i].next);
		if (r)
			log_err("%s: warning: cannot mark it kept in %s: %s; "
				"commit and revert refuse it (it is a mirror of "
				"the destination onto the old source)",
				d[i].info.name, KEPT_DIR, strerror(-r));
	}
}

int action_complete(int argc, const char **argv)
{
	struct swap_dev *d;
	uint64_t window_us = SWAP_NO_WINDOW;
	int i, r = 0;

	d = swap_devs_new(argv, argc, 1);
	if (!d)
		return -ENOMEM;
	if (mctl_opt.json)
		log_keep_errors(true);
	if (mctl_opt.has_timeout) {
		r = wait_ready(argv, argc, mctl_opt.deadline_us, false);
		if (r)
			return switch_done("complete", d, argc,
					   r == -MCTL_EMIRROR ? -MCTL_EPRECOND :
					   r, SWAP_NO_WINDOW);
	}
	if (mctl_opt.verify)
		r = complete_verify(d, argc);
	if (!r)
		r = switch_run(d, argc, complete_prepare, complete_check,
			       "complete", &window_us);
	if (r == -MCTL_EPRECOND && argc > 1)
		log_err("complete: no device switched");
	for (i = 0; i < argc && !r; i++)
		log_verbose("%s: now on its destination%s", d[i].info.name,
			    mctl_opt.keep_source ?
			    ", the old source kept in sync" : "");
	if (mctl_opt.keep_source)
		keep_marks(d, argc);
	else
		switch_end_records(d, argc);
	return switch_done("complete", d, argc, r, window_us);
}

int switch_run(struct swap_dev *d, int nr,
	       int (*prepare)(struct swap_dev *d, int nr), swap_check_fn check,
	       const char *action, uint64_t *window_us)
{
	struct mctl_lock lock;
	int r;

	*window_us = SWAP_NO_WINDOW;
	if (mctl_opt.json)
		log_keep_errors(true);
	r = lock_take(&lock, mctl_opt.deadline_us);
	if (!r)
		r = swap_recover(&lock, NULL);
	if (!r)
		r = prepare(d, nr);
	if (!r)
		r = swap_tables(d, nr, check, action, &lock, window_us);
	lock_release(&lock);
	return r;
}

static int cancel_prepare(struct swap_dev *d, int nr)
{
	int i, r;

	r = swap_devs_get(d, nr);
	for (i = 0; i < nr && !r; i++) {
		r = require_mirror_table(&d[i]);
		if (!r && table_make_cancel(d[i].live, &d[i].next, NULL)) {
			log_err("%s: cannot parse the mirror table",
				d[i].info.name);
			r = -EINVAL;
		}
	}
	return r;
}

int action_cancel(int argc, const char **argv)
{
	struct swap_dev *d;
	uint64_t window_us;
	int i, r;

	d = swap_devs_new(argv, argc, 1);
	if (!d)
		return -ENOMEM;
	r = switch_run(d, argc, cancel_prepare, switch_check_cancelled,
		       "cancel", &window_us);
	for (i = 0; i < argc && !r; i++)
		log_verbose("%s: back on its source", d[i].info.name);
	switch_end_records(d, argc);
	return switch_done("cancel", d, argc, r, window_us);
}

/* ------------------------------------------------------------------ */
/* recover */

int action_recover(int argc, const char **argv)
{
	struct mctl_lock lock;
	size_t recovered = 0;
	int r;

	(void)argc;
	(void)argv;
	r = lock_take(&lock, mctl_opt.deadline_us);
	if (!r && !lock.held) {
		log_err("%s: cannot lock, so no record to read", LOCK_PATH);
		r = -EACCES;
	}
	if (!r)
		r = swap_recover(&lock, &recovered);
	lock_release(&lock);
	if (!r && !recovered)
		printf("nothing to recover\n");
	return r;
}
