// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_kept.c - unit tests for userspace/kept.c: a kept marker counts only
 * while the device's table is the kept one (nosync dropped by the kernel
 * or not), never once it changed; commit and revert trust it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kept.h"
#include "unit.h"

static struct table *one_line(const char *target, const char *params)
{
	struct table *t = table_new();

	assert_non_null(t);
	assert_int_equal(table_add(t, 0, 1024, target, params), 0);
	return t;
}

static void marker(void **state)
{
	char dir[] = "/tmp/test_kept.XXXXXX", sub[64], path[96];
	struct table *kept = one_line("mirrorlive", "8:48 0 8:16 0 1 nosync");
	struct table *written = one_line("mirrorlive", "8:48 0 8:16 0");
	struct table *other = one_line("linear", "8:48 0");
	uint64_t since = 0;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(sub, sizeof(sub), "%s/kept", dir);
	assert_int_equal(kept_since(sub, "vm", kept, &since), -ENOENT);
	assert_int_equal(kept_save(sub, "vm", 1796360000, kept), 0);
	assert_int_equal(kept_since(sub, "vm", kept, &since), 0);
	assert_int_equal(since, 1796360000);
	/* the kernel stops printing nosync once writes reached both legs */
	assert_int_equal(kept_since(sub, "vm", written, &since), 0);
	/* reloaded since: stale */
	assert_int_equal(kept_since(sub, "vm", other, &since), -ENOENT);
	assert_int_equal(kept_since(sub, "vm2", kept, &since), -ENOENT);
	assert_int_equal(kept_save(sub, "a/b", 1, kept), -EINVAL);
	assert_int_equal(kept_drop(sub, "vm"), 0);
	assert_int_equal(kept_drop(sub, "vm"), 0);
	assert_int_equal(kept_since(sub, "vm", kept, &since), -ENOENT);
	snprintf(path, sizeof(path), "%s/vm.new", sub);
	assert_int_equal(access(path, F_OK), -1);
	rmdir(sub);
	rmdir(dir);
	table_free(kept);
	table_free(written);
	table_free(other);
}

int main(void)
{
	struct unit_suite suite = { 0 };

	unit_add(&suite, marker, NULL, "marker: saved, stale, dropped");
	return unit_run(&suite, "kept");
}
