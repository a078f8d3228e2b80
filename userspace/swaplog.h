/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * swaplog.h - every table swap recorded in syslog
 *
 * After an incident (a complete that went to the wrong disk, a host that
 * rebooted mid-migration) an operator must be able to find which disk a
 * device was on before and after each change mirrorctl made, without
 * having kept its output.  Each device a swap (swap.h) switched, or a
 * recovery finished or undid, is one syslog line (log_syslog()):
 *
 *   complete vm1 (253:3): switched; was: 0 131072 mirrorlive 7:0 0 7:1 0;
 *   now: 0 131072 linear 7:1 0
 *   recover vm1 (253:3): undid an interrupted complete (pid 4242); now:
 *   0 131072 mirrorlive 7:0 0 7:1 0
 *
 * (one line each; a table of several lines is joined with " | ").
 * Nothing is logged for a swap refused before it changed anything.
 */
#ifndef MIRRORCTL_SWAPLOG_H
#define MIRRORCTL_SWAPLOG_H

#include <stdint.h>

#include "table.h"

/*
 * swaplog_table - "ACTION NAME (MAJ:MIN): WHAT[; was: OLD][; now: NEW]"
 * to syslog; @was and @now may be NULL
 */
void swaplog_table(const char *action, const char *name, uint32_t major,
		   uint32_t minor, const char *what, const struct table *was,
		   const struct table *now);

#endif /* MIRRORCTL_SWAPLOG_H */
