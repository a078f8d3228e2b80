// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_volmgr.c - unit tests for userspace/volmgr.c
 *
 * start refuses a device whose dm UUID says a volume manager owns it:
 * each row pins which manager a UUID names, or that none does.  The
 * prefixes are case-sensitive, as the managers write them.
 */
#include <string.h>

#include "unit.h"
#include "volmgr.h"

static const struct row {
	const char *uuid;
	const char *manager;	/* NULL: nobody owns it */
} rows[] = {
	{ "LVM-Dn9pX2ZkQzUGbRzXhVKnwBPkUh1ceaAMvLxnl8oM0WX4TKqJeNrP34yRc9"
	  "dXg8ZP", "LVM" },
	{ "LVM-", "LVM" },
	{ "LVM-x-cow", "LVM" },
	{ "lvm-x", NULL },
	{ "LVM", NULL },
	{ "part1-mpath-3600508b400105e210000900000490000", "kpartx" },
	{ "part12-LVM-x", "kpartx" },
	{ "part-x", NULL },
	{ "partx-1", NULL },
	{ "part1", NULL },
	{ "partition-1", NULL },
	{ "DMRAID-isw_beadfgbfg_vol0", "dmraid" },
	{ "stratis-1-private-3f2a", "Stratis" },
	{ "CRYPT-LUKS2-1234-vm", NULL },
	{ "mpath-3600508b400105e21", NULL },
	{ "MIRRORLIVE-vm", NULL },
	{ "", NULL },
	{ NULL, NULL },
};

static void volmgr_test_row(void **state)
{
	const struct row *row = *state;
	const struct volmgr *m = volmgr_of_uuid(row->uuid);

	if (!row->manager) {
		assert_null(m);
		return;
	}
	assert_non_null(m);
	assert_string_equal(m->name, row->manager);
	assert_int_equal(strncmp(row->uuid, m->uuid_prefix,
				 strlen(m->uuid_prefix)), 0);
	assert_non_null(m->safe_tool);
}

int main(void)
{
	struct unit_suite suite = { 0 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rows); i++)
		unit_add(&suite, volmgr_test_row, (void *)&rows[i],
			 "uuid \"%s\" -> %s",
			 rows[i].uuid ? unit_esc(rows[i].uuid) : "(null)",
			 rows[i].manager ? rows[i].manager : "none");
	return unit_run(&suite, "volmgr");
}
