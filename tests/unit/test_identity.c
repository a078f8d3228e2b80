// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_identity.c - unit tests for userspace/identity.c: the mirror_id a
 * record is formatted with must be the same on every host and every run
 * (restore recomputes it after a reboot), so the hash is checked against
 * values computed apart from this code (Python, FNV-1a 64 by its
 * definition), and the two legs' order and boundary must count.
 */
#include <errno.h>
#include <string.h>

#include "identity.h"
#include "unit.h"

static void golden(void **state)
{
	char id[33];

	(void)state;
	mirror_id_hash("serial:SRC1", "serial:DST1", id);
	assert_string_equal(id, "898fe5afe2599650aeb396b00957edfb");
	mirror_id_hash("serial:DST1", "serial:SRC1", id);
	assert_string_equal(id, "5130f38187c240706291c210d843aeab");
}

static void boundary(void **state)
{
	char a[33], b[33];

	(void)state;
	mirror_id_hash("ab", "c", a);
	mirror_id_hash("a", "bc", b);
	assert_string_equal(a, "fd61c083ef200867673baf23e4160df2");
	assert_string_equal(b, "ab40f6820d40b523b7b69125c48e7fda");
	assert_string_not_equal(a, b);
}

/* a device number sysfs does not know has no identity */
static void unknown_device(void **state)
{
	char buf[IDENTITY_MAX], id[33];

	(void)state;
	assert_int_equal(device_identity(4095, 1048575, buf, sizeof(buf)),
			 -ENOENT);
	assert_int_equal(mirror_id_of(4095, 1048575, 4095, 1048574, id),
			 -ENOENT);
}

int main(void)
{
	struct unit_suite suite = { 0 };

	unit_add(&suite, golden, NULL, "mirror_id of two serials, golden");
	unit_add(&suite, boundary, NULL, "where one identity ends counts");
	unit_add(&suite, unknown_device, NULL, "no identity: no mirror_id");
	return unit_run(&suite, "identity");
}
