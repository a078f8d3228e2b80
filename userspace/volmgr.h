/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * volmgr.h - dm devices that a volume manager owns
 *
 * A volume manager keeps its own record of where a device it created maps
 * (LVM's metadata on its PVs, kpartx's partition table, dmraid's RAID
 * metadata, stratisd's pool) and writes that record back into the kernel
 * whenever it reloads the device: lvchange --refresh, vgchange -ay, an
 * lvextend, kpartx -u, the next boot.  A table swap by mirrorctl changes
 * the kernel's table but not that record, so after complete the next
 * reload silently maps the device onto its old, stale data again.  start
 * therefore refuses such a device (Documentation/interface.rst, section
 * 7.3, "start") unless told --risk-stale-metadata.
 *
 * A device is recognised by the prefix its manager puts on its dm UUID.
 * Pure functions: no I/O, no messages.
 */
#ifndef MIRRORCTL_VOLMGR_H
#define MIRRORCTL_VOLMGR_H

#include <stdbool.h>

struct volmgr {
	const char *uuid_prefix;	/* as the manager writes it */
	bool numbered;			/* the prefix, digits, then "-" */
	const char *name;		/* "LVM", for messages */
	const char *safe_tool;		/* what moves its data instead */
};

/*
 * volmgr_of_uuid - the volume manager that owns a dm device
 * @uuid: the device's dm UUID, "" or NULL when it has none
 *
 * Returns the manager, or NULL when none owns it.
 */
const struct volmgr *volmgr_of_uuid(const char *uuid);

#endif /* MIRRORCTL_VOLMGR_H */
