/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kept.h - the kept state of complete --keep-source
 *
 * After complete --keep-source a device is a mirror the other way round
 * (table_make_keep(): the destination is the primary, the old source a
 * second leg kept equal to it), until commit drops the old source or
 * revert goes back to it (Documentation/interface.rst, 7.3 and 7.12).
 * To the kernel that is a mirror like any other; what makes it "kept" is
 * a marker, DIR/NAME (KEPT_DIR for mirrorctl and the dmsetup scripts):
 *
 *   since <seconds since the epoch>
 *   <the kept table, as dmsetup prints it>
 *
 * A marker counts only while the device's live table is still that table
 * (table_same_mapping(): the kernel stops printing nosync once writes
 * reached both legs), so a stale one (the device reloaded or removed
 * since) is never taken for the kept state. Markers live in /run: they
 * go with a reboot, as a kept mirror without metadata does; restore
 * writes a persistent kept mirror's again, since its record's
 * format_time (act_restore.c).
 */
#ifndef MIRRORCTL_KEPT_H
#define MIRRORCTL_KEPT_H

#include <stdint.h>

#include "table.h"

#define KEPT_DIR	"/run/dm-mirrorlive/kept"

/* Write the marker of @name (atomically): kept since @since, as @kept. */
int kept_save(const char *dir, const char *name, uint64_t since,
	      const struct table *kept);

/*
 * kept_since() - is @name, whose live table is @live, in the kept state?
 * Return: 0 and *@since; -ENOENT when not (no marker, or a stale one);
 * -errno when the marker cannot be read.
 */
int kept_since(const char *dir, const char *name, const struct table *live,
	       uint64_t *since);

/* Remove the marker of @name; a missing one is fine. */
int kept_drop(const char *dir, const char *name);

#endif /* MIRRORCTL_KEPT_H */
