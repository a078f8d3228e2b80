/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * result_json.h - what start, complete and cancel did, as JSON (--json)
 *
 * One document on one line on stdout, whatever the outcome, in the
 * versioned schema of report_json.h (Documentation/interface.rst, 7.8):
 *
 *   {"version": 1, "action": "complete", "exit_code": 0,
 *    "switched": true, "suspend_ms": 12.345,
 *    "devices": [{"device": "vm1", "switched": true,
 *                 "old_table": "0 131072 mirrorlive 7:0 0 7:1 0",
 *                 "new_table": "0 131072 linear 7:1 0"}],
 *    "errors": []}
 *
 * switched: every device is on its new table; suspend_ms: the suspend
 * window, null when no device was suspended and resumed; per device,
 * device is the dm name (the argument as given when it was not found),
 * old_table the table it was on and new_table the one it is on now when
 * switched, else the one it would have got (null when not decided);
 * errors: every error message printed, without "mirrorctl: ", in order.
 * Tables are dmsetup's text, lines joined with "\n".
 */
#ifndef MIRRORCTL_RESULT_JSON_H
#define MIRRORCTL_RESULT_JSON_H

#include <stdint.h>

#include "swap.h"

/*
 * result_json_print - print the document for @action on @nr devices @d,
 * which ended with @r (0, -errno or -MCTL_E*), @window_us from
 * swap_tables() (SWAP_NO_WINDOW: none).  Returns 0, or -ENOMEM / -EIO with a message.
 */
int result_json_print(const char *action, const struct swap_dev *d, int nr,
		      int r, uint64_t window_us);

#endif /* MIRRORCTL_RESULT_JSON_H */
