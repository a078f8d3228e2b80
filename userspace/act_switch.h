/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * act_switch.h - what complete shares with commit and revert (act_keep.c)
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
