// SPDX-License-Identifier: GPL-2.0-only
/*
 * act_keep.c - mirrorctl commit and revert: the end of the kept state
 * that complete --keep-source begins (kept.h; Documentation/interface.rst,
 * 7.3 and 7.12).
 *
 * The kept device is a mirror of the destination onto the old source.
 *   commit   drops the old source: each mirrorlive line becomes linear on
 *            its primary leg (table_make_cancel()); works whatever the
 *            kept leg's state, a failed one included.
 *   revert   goes back to the old source, with complete's care: the kept
 *            leg must be ready, without error, before anything is
 *            suspended and again while the device is suspended; each line
 *            becomes linear on the old source (table_make_complete()).
 * A persistent migration's kept mirror has taken its record over
 * (Documentation/metadata-format.rst, section 3, "Reversal"): to the
 * record, revert is that mirror's complete and commit its cancel, so each
 * records its outcome while the device is suspended, as they do, and a
 * crash after the swap sets the device up on the leg it chose. Both then
 * drop the marker, the mirrortab entry and the record.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "act_switch.h"
#include "actions.h"
#include "errors.h"
#include "kept.h"
#include "log.h"
#include "swap.h"
#include "table.h"

/* revert's condition: the kept leg is in sync and had no error. */
static int kept_leg_ok(const struct swap_dev *d)
{
	int r = complete_check_status(d, false);

	if (r == -MCTL_EPRECOND)
		log_err("%s: revert refused: the kept source is not in sync "
			"(above); commit drops it", d->info.name);
	return r;
}

/* Suspended: still in sync, and the kept mirror's record says so. */
static int revert_check(const struct swap_dev *d)
{
	int r = kept_leg_ok(d);

	return r ? r : switch_record_outcome(d, "completed");
}

static int keep_prepare(struct swap_dev *d, int nr, bool revert)
{
	uint64_t since;
	int i, r;

	r = swap_devs_get(d, nr);
	for (i = 0; i < nr && !r; i++) {
		r = kept_since(KEPT_DIR, d[i].info.name, d[i].live, &since);
		if (r == -ENOENT) {
			log_err("%s: not in the kept state (complete "
				"--keep-source keeps the old source)",
				d[i].info.name);
			r = -MCTL_EPRECOND;
		} else if (r) {
			log_err("%s: cannot read %s/%s: %s", d[i].info.name,
				KEPT_DIR, d[i].info.name, strerror(-r));
		}
		if (!r && revert)
			r = kept_leg_ok(&d[i]);
		if (!r)
			r = (revert ? table_make_complete :
				      table_make_cancel)(d[i].live, &d[i].next,
							 NULL);
	}
	return r;
}

/* After the swap: the kept state and the persistent migration are over. */
static void keep_end(const struct swap_dev *d, int nr)
{
	int i;

	for (i = 0; i < nr; i++)
		if (d[i].swapped && kept_drop(KEPT_DIR, d[i].info.name))
			log_err("%s: warning: cannot remove %s/%s",
				d[i].info.name, KEPT_DIR, d[i].info.name);
	switch_end_records(d, nr);
}

static int commit_prepare(struct swap_dev *d, int nr)
{
	return keep_prepare(d, nr, false);
}

static int revert_prepare(struct swap_dev *d, int nr)
{
	return keep_prepare(d, nr, true);
}

static int commit_or_revert(int argc, const char **argv, bool revert)
{
	const char *action = revert ? "revert" : "commit";
	struct swap_dev *d;
	uint64_t window_us;
	int i, r;

	d = swap_devs_new(argv, argc, 1);
	if (!d)
		return -ENOMEM;
	r = switch_run(d, argc, revert ? revert_prepare : commit_prepare,
		       revert ? revert_check : switch_check_cancelled,
		       action, &window_us);
	if (r == -MCTL_EPRECOND && argc > 1)
		log_err("%s: no device switched", action);
	for (i = 0; i < argc && !r; i++)
		log_verbose("%s: %s", d[i].info.name, revert ?
			    "back on its old source" :
			    "on its destination alone");
	keep_end(d, argc);
	return switch_done(action, d, argc, r, window_us);
}

int action_commit(int argc, const char **argv)
{
	return commit_or_revert(argc, argv, false);
}

int action_revert(int argc, const char **argv)
{
	return commit_or_revert(argc, argv, true);
}
