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
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "blockdev.h"
#include "clock.h"
#include "dm.h"
#include "errors.h"
#include "lock.h"
#include "log.h"
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

/* Nobody else may be using the destination. */
static int dest_not_in_use(const struct swap_dev *d)
{
	const struct blockdev *bd = &d->dest_bd;
	struct dmctl_info info;
	char holder[128];
	int r;

	r = dmctl_find_holder(bd->major, bd->minor, holder, sizeof(holder));
	if (!r) {
		log_err("%s: destination backs dm device %s", d->dest, holder);
		return -MCTL_EPRECOND;
	}
	if (r != -ENOENT)
		return r;

	if (dmctl_is_dm_major(bd->major)) {
		r = dmctl_get_info(d->dest, &info);
		if (r)
			return r;
		if (info.open_count > 0) {
			log_err("%s: destination is open elsewhere (dm device "
				"%s, open count %d)", d->dest, info.name,
				info.open_count);
			return -MCTL_EPRECOND;
		}
	}
	r = blockdev_open_exclusive(d->dest);
	if (r == -EBUSY) {
		log_err("%s: destination is open elsewhere (in use: mounted, "
			"or held by another process or device)", d->dest);
		return -MCTL_EPRECOND;
	}
	if (r)
		log_err("%s: cannot open: %s", d->dest, strerror(-r));
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
		r = dest_not_in_use(d);
	if (!r)
		r = dest_fits(d);
	if (!r)
		r = dest_blank(d);
	if (!r)
		start_warn_no_timeout(d);
	return r;
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
		.sparse = mctl_opt.sparse,
		.dest_zeroed = mctl_opt.dest_zeroed,
		.nosync = mctl_opt.nosync,
		.paused = mctl_opt.paused,
	};
	char dest[32];
	int i, r;

	r = swap_devs_get(d, nr);
	for (i = 0; i < nr && !r; i++) {
		r = start_check_device(&d[i]);
		if (!r)
			r = start_check_dest(&d[i]);
	}
	if (!r)
		r = start_check_group(d, nr);
	for (i = 0; i < nr && !r; i++) {
		snprintf(dest, sizeof(dest), "%u:%u", d[i].dest_bd.major,
			 d[i].dest_bd.minor);
		/* One linear segment becomes one mirrorlive segment. */
		f.max_copy_kbps = rate_per_segment(mctl_opt.max_kbps,
						   d[i].live->nr);
		r = table_make_mirror(d[i].live, dest, 0, &f, &d[i].next, NULL);
		if (r)
			log_err("%s: cannot build the mirror table: %s",
				d[i].info.name, strerror(-r));
	}
	return r;
}

/*
 * The end of start, complete and cancel: with --json, print what was done
 * (result_json.h); free @d.  Returns @r, or the printing's error.
 */
static int switch_done(const char *action, struct swap_dev *d, int nr, int r,
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

	if (argc < 2)
		return -MCTL_EUSAGE;	/* the action table asks for 2 */
	if (argc % 2) {
		log_err("start: DEST missing for %s, usage: mirrorctl start "
			"DEVICE DEST [DEVICE DEST]...", argv[argc - 1]);
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
static int complete_check_status(const struct swap_dev *d,
				 bool warn_source_errors)
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

static int complete_check(const struct swap_dev *d)
{
	return complete_check_status(d, false);
}

static int complete_prepare(struct swap_dev *d, int nr, bool check_now)
{
	int i, r;

	r = swap_devs_get(d, nr);
	for (i = 0; i < nr && !r; i++) {
		r = require_mirror_table(&d[i]);
		/* Refuse early, before anything is suspended. */
		if (!r && check_now)
			r = complete_check_status(&d[i], true);
		if (!r) {
			r = table_make_complete(d[i].live, &d[i].next, NULL);
			if (r)
				log_err("%s: cannot parse the mirror table",
					d[i].info.name);
		}
	}
	return r;
}

int action_complete(int argc, const char **argv)
{
	struct mctl_lock lock;
	struct swap_dev *d;
	uint64_t window_us = SWAP_NO_WINDOW;
	int i, r;

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
	r = lock_take(&lock, mctl_opt.deadline_us);
	if (!r)
		r = swap_recover(&lock, NULL);
	if (!r)
		r = complete_prepare(d, argc, true);
	if (!r)
		r = swap_tables(d, argc, complete_check, "complete", &lock,
				&window_us);
	lock_release(&lock);
	if (r == -MCTL_EPRECOND && argc > 1)
		log_err("complete: no device switched");
	for (i = 0; i < argc && !r; i++)
		log_verbose("%s: now on its destination", d[i].info.name);
	return switch_done("complete", d, argc, r, window_us);
}

int action_cancel(int argc, const char **argv)
{
	struct mctl_lock lock;
	struct swap_dev *d;
	uint64_t window_us = SWAP_NO_WINDOW;
	int i, r;

	d = swap_devs_new(argv, argc, 1);
	if (!d)
		return -ENOMEM;
	if (mctl_opt.json)
		log_keep_errors(true);
	r = lock_take(&lock, mctl_opt.deadline_us);
	if (!r)
		r = swap_recover(&lock, NULL);
	if (!r)
		r = swap_devs_get(d, argc);
	for (i = 0; i < argc && !r; i++) {
		r = require_mirror_table(&d[i]);
		if (!r && table_make_cancel(d[i].live, &d[i].next, NULL)) {
			log_err("%s: cannot parse the mirror table",
				d[i].info.name);
			r = -EINVAL;
		}
	}
	if (!r)
		r = swap_tables(d, argc, NULL, "cancel", &lock, &window_us);
	lock_release(&lock);
	for (i = 0; i < argc && !r; i++)
		log_verbose("%s: back on its source", d[i].info.name);
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
