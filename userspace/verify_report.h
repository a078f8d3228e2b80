/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * verify_report.h - what verify says about its passes, as text or JSON
 *
 * The results of verify.h's passes, one device at a time
 * (Documentation/interface.rst, sections 7.3 and 7.8).  Text, on stdout:
 *
 *   vm1: done, 2048 of 2048 regions verified, 3 mismatched, 0 repaired
 *   vm1: mismatch at sector 2048 (byte 1048576)
 *   vm1: ...and 29 more mismatched regions
 *   vm1: 12 regions copied during the pass were not verified (the copy
 *        was running)                                     (one line)
 *   vm1: source and destination are equal
 *
 * JSON, one document for the command (verify --json):
 *
 *   {"version":1,"action":"verify","exit_code":1,"repair":false,
 *    "devices":[{"device":"vm1","verify_state":"done",
 *                "verified_regions":2048,"copied_regions":2048,
 *                "mismatched_regions":3,"repaired_regions":0,
 *                "mismatch_sectors":[2048,10240,12288],
 *                "segments":[{"start_sector":0,"length_sectors":131072,
 *                             "verify_state":"done",...}]}],
 *    "errors":["vm1: source and destination differ: ..."]}
 */
#ifndef MIRRORCTL_VERIFY_REPORT_H
#define MIRRORCTL_VERIFY_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "verify.h"

/*
 * verify_report_human - the lines above for @d, nothing unless ->ended:
 * its state and counts; its first mismatches, one a line; the regions
 * copied behind a done pass (verified < copied); and, when none is left
 * mismatched (none at all, or all repaired), that the legs are equal.
 * Its failures are the caller's to say (on stderr).
 */
void verify_report_human(FILE *out, const struct verify_dev *d);

/*
 * verify_report_offsets - "sectors 2048, 10240 (bytes 1048576, 5242880)"
 * for the first @max mismatches of @d, with " and N more" when it counted
 * more, into @buf (cut short to fit)
 */
void verify_report_offsets(const struct verify_dev *d, size_t max,
			   char *buf, size_t len);

/*
 * verify_report_json - print the document above for @nr devices @d,
 * which ended with @r (0, -errno or -MCTL_E*), errors being the messages
 * log_keep_errors() kept.  A device without results has null values.
 * Returns 0, or -ENOMEM / -EIO with a message.
 */
int verify_report_json(const struct verify_dev *d, int nr, int r,
		       bool repair);

#endif /* MIRRORCTL_VERIFY_REPORT_H */
