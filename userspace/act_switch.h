/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * act_switch.h - what complete and cancel share with commit and revert
 * (act_keep.c)
 */
#ifndef MIRRORCTL_ACT_SWITCH_H
#define MIRRORCTL_ACT_SWITCH_H

#include <stdbool.h>
#include <stdint.h>

#include "swap.h"

/*
 * complete's condition on every mirrorlive segment of @d: ready, reason
 * "-", no destination error; with @warn_source_errors, a warning for
 * source errors. 0 or -MCTL_EPRECOND (said why), or -errno.
 */
int complete_check_status(const struct swap_dev *d, bool warn_source_errors);

/*
 * switch_record_outcome() - while @d is suspended, send "outcome
 * @outcome" (completed, cancelled) to each of its mirrorlive lines with a
 * metadata device (Documentation/metadata-format.rst, section 3,
 * "Outcome"). 0, or the first refusal's -errno (said why).
 */
int switch_record_outcome(const struct swap_dev *d, const char *outcome);

/*
 * switch_check_cancelled() - cancel's and commit's check, suspended: each
 * persistent mirror records "cancelled" (its source holds every write);
 * a refusal only warns that restore may set the mirror up again. 0.
 */
int switch_check_cancelled(const struct swap_dev *d);

/*
 * switch_end_records() - after the swap, for each device of @d switched
 * off its persistent mirrors: drop its mirrortab entry, then zero their
 * records, in that order (a failure only warns).
 */
void switch_end_records(const struct swap_dev *d, int nr);

/*
 * switch_run() - the body of cancel, commit and revert: take the lock,
 * recover what a killed mirrorctl left, @prepare every device (look it up,
 * decide its next table), swap the tables with @check (swap.h), release
 * the lock. With --json, errors are kept for switch_done(). Returns 0 or
 * the first failure.
 */
int switch_run(struct swap_dev *d, int nr,
	       int (*prepare)(struct swap_dev *d, int nr), swap_check_fn check,
	       const char *action, uint64_t *window_us);

/*
 * The end of a switching action: with --json, print what was done
 * (result_json.h); free @d. Returns @r, or the printing's error.
 */
int switch_done(const char *action, struct swap_dev *d, int nr, int r,
		uint64_t window_us);

#endif /* MIRRORCTL_ACT_SWITCH_H */
