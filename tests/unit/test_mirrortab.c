// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_mirrortab.c - unit tests for userspace/mirrortab.c, the table
 * restore reads at boot (mirrortab.h): a line misread there sets a VM's
 * disk up on the wrong device, so every field and option is checked, and
 * a rewrite must keep what it does not understand.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mirrortab.h"
#include "unit.h"

static const struct good_row {
	const char *line;
	const char *name, *source, *dest, *meta;
	struct mirrortab_opts opts;
} good_rows[] = {
	{ "vm /dev/vda /dev/vdb /dev/vdc -", "vm", "/dev/vda", "/dev/vdb",
	  "/dev/vdc", { 0 } },
	{ "  vm\t/dev/disk/by-id/wwn-0x1  /dev/disk/by-id/nvme-eui.2 "
	  "/dev/vdc region_size=2048,max_copy_kbps=4096,sparse,dest_zeroed,"
	  "uuid=mirrorctl-vm ", "vm", "/dev/disk/by-id/wwn-0x1",
	  "/dev/disk/by-id/nvme-eui.2", "/dev/vdc",
	  { 2048, 4096, true, true, "mirrorctl-vm", 0 } },
	{ "a /s /d /m max_copy_kbps=4294967295", "a", "/s", "/d", "/m",
	  { 0, UINT32_MAX, false, false, "", 0 } },
	{ "a /s /d /m min_copy_kbps=65536,max_copy_kbps=1", "a", "/s", "/d",
	  "/m", { 0, 1, false, false, "", 65536 } },
};

static void good_line(void **state)
{
	const struct good_row *row = *state;
	struct mirrortab_entry e;
	const char *why = NULL;

	assert_int_equal(mirrortab_parse_line(row->line, &e, &why), 1);
	assert_string_equal(e.name, row->name);
	assert_string_equal(e.source, row->source);
	assert_string_equal(e.dest, row->dest);
	assert_string_equal(e.metadata, row->meta);
	assert_int_equal(e.opts.region_sectors, row->opts.region_sectors);
	assert_int_equal(e.opts.max_copy_kbps, row->opts.max_copy_kbps);
	assert_int_equal(e.opts.sparse, row->opts.sparse);
	assert_int_equal(e.opts.dest_zeroed, row->opts.dest_zeroed);
	assert_string_equal(e.opts.uuid, row->opts.uuid);
}

static const struct bad_row {
	const char *line;
	const char *why;
} bad_rows[] = {
	{ "vm /dev/vda /dev/vdb /dev/vdc", "fewer than 5 fields" },
	{ "vm /dev/vda /dev/vdb /dev/vdc - extra", "more than 5 fields" },
	{ "v/m /dev/vda /dev/vdb /dev/vdc -", "NAME holds a '/'" },
	{ "vm vda /dev/vdb /dev/vdc -",
	  "SOURCE, DEST and METADATA must be absolute paths" },
	{ "vm /dev/vda /dev/vdb /dev/vdc region_size=3",
	  "region_size is not a power of two" },
	{ "vm /dev/vda /dev/vdb /dev/vdc region_size=0",
	  "region_size is not a power of two" },
	{ "vm /dev/vda /dev/vdb /dev/vdc max_copy_kbps=4294967296",
	  "max_copy_kbps is not a 32-bit number" },
	{ "vm /dev/vda /dev/vdb /dev/vdc max_copy_kbps=-1",
	  "max_copy_kbps is not a 32-bit number" },
	{ "vm /dev/vda /dev/vdb /dev/vdc nosync", "unknown option" },
	{ "vm /dev/vda /dev/vdb /dev/vdc uuid=", "unknown option" },
	{ "vm /dev/vda /dev/vdb /dev/vdc sparse,sparse", "an option given twice" },
	{ "vm /dev/vda /dev/vdb /dev/vdc uuid=a,uuid=b", "an option given twice" },
	{ "vm /dev/vda /dev/vdb /dev/vdc min_copy_kbps=1,min_copy_kbps=2",
	  "an option given twice" },
	{ "vm /dev/vda /dev/vdb /dev/vdc min_copy_kbps=4294967296",
	  "min_copy_kbps is not a 32-bit number" },
};

static void bad_line(void **state)
{
	const struct bad_row *row = *state;
	struct mirrortab_entry e;
	const char *why = NULL;

	assert_int_equal(mirrortab_parse_line(row->line, &e, &why), -EINVAL);
	assert_string_equal(why, row->why);
}

static void comments_and_blanks(void **state)
{
	struct mirrortab_entry e;
	const char *why;

	(void)state;
	assert_int_equal(mirrortab_parse_line("", &e, &why), 0);
	assert_int_equal(mirrortab_parse_line(" \t ", &e, &why), 0);
	assert_int_equal(mirrortab_parse_line("# vm /a /b /c -", &e, &why), 0);
	assert_int_equal(mirrortab_parse_line("  # x", &e, &why), 0);
}

static void format_round_trip(void **state)
{
	struct mirrortab_entry e = {
		.name = "vm", .source = "/dev/vda", .dest = "/dev/vdb",
		.metadata = "/dev/vdc",
		.opts = { 1024, 100, true, false, "LVM-x", 2048 },
	}, back;
	const char *why;
	char buf[1024];

	(void)state;
	assert_int_equal(mirrortab_format_entry(&e, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "vm /dev/vda /dev/vdb /dev/vdc "
			    "region_size=1024,max_copy_kbps=100,"
			    "min_copy_kbps=2048,sparse,uuid=LVM-x\n");
	buf[strlen(buf) - 1] = '\0';
	assert_int_equal(mirrortab_parse_line(buf, &back, &why), 1);
	assert_memory_equal(&back, &e, sizeof(e));
	memset(&e.opts, 0, sizeof(e.opts));
	assert_int_equal(mirrortab_format_entry(&e, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "vm /dev/vda /dev/vdb /dev/vdc -\n");
	/* what would not read back as one word is refused */
	strcpy(e.dest, "/dev/with space");
	assert_int_equal(mirrortab_format_entry(&e, buf, sizeof(buf)),
			 -EINVAL);
	strcpy(e.dest, "/dev/vdb");
	strcpy(e.name, "#vm");
	assert_int_equal(mirrortab_format_entry(&e, buf, sizeof(buf)),
			 -EINVAL);
	strcpy(e.name, "vm");
	assert_int_equal(mirrortab_format_entry(&e, buf, 10), -ENOSPC);
}

static char *slurp(const char *path)
{
	static char buf[4096];
	FILE *f = fopen(path, "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void spit(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* add, replace, drop: the file keeps comments and lines it cannot read */
static void file_updates(void **state)
{
	char dir[] = "/tmp/test_mirrortab.XXXXXX", path[64], newp[80];
	struct mirrortab_entry e = {
		.name = "vm2", .source = "/dev/vdd", .dest = "/dev/vde",
		.metadata = "/dev/vdf",
	};
	struct mirrortab t;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/mirrortab", dir);
	snprintf(newp, sizeof(newp), "%s.new", path);

	/* a missing file is an empty table; the first add writes a header */
	assert_int_equal(mirrortab_read(path, &t), 0);
	assert_int_equal(t.nr, 0);
	assert_int_equal(mirrortab_add(path, &e), 0);
	assert_string_equal(slurp(path),
		"# mirrorctl: persistent migrations in progress, set up again "
		"at boot by\n# mirrorctl restore (mirrorctl(8)). NAME SOURCE "
		"DEST METADATA OPTIONS\nvm2 /dev/vdd /dev/vde /dev/vdf -\n");

	spit(path, "# mine\nvm /dev/vda /dev/vdb /dev/vdc -\n\n"
		   "broken line\nvm2 /dev/vdd /dev/vde /dev/vdf sparse\n");
	assert_int_equal(mirrortab_read(path, &t), 0);
	assert_int_equal(t.nr, 5);
	assert_false(t.lines[3].is_entry);
	assert_int_equal(t.lines[3].lineno, 4);
	assert_string_equal(t.lines[3].why, "fewer than 5 fields");
	assert_null(t.lines[2].why);
	assert_non_null(mirrortab_find(&t, "vm"));
	assert_true(mirrortab_find(&t, "vm2")->opts.sparse);
	assert_null(mirrortab_find(&t, "vm3"));
	mirrortab_free(&t);

	/* replacing keeps its place */
	e.opts.max_copy_kbps = 7;
	assert_int_equal(mirrortab_add(path, &e), 0);
	assert_string_equal(slurp(path),
		"# mine\nvm /dev/vda /dev/vdb /dev/vdc -\n\nbroken line\n"
		"vm2 /dev/vdd /dev/vde /dev/vdf max_copy_kbps=7\n");
	assert_int_equal(mirrortab_drop(path, "vm"), 0);
	assert_int_equal(mirrortab_drop(path, "not-there"), 0);
	assert_string_equal(slurp(path),
		"# mine\n\nbroken line\n"
		"vm2 /dev/vdd /dev/vde /dev/vdf max_copy_kbps=7\n");
	assert_int_equal(access(newp, F_OK), -1);

	unlink(path);
	rmdir(dir);
}

/* no /dev/disk/by-id link, or not a block device: the path as given */
static void stable_path_fallback(void **state)
{
	char out[256];

	(void)state;
	stable_path("/nonexistent/dev", out, sizeof(out));
	assert_string_equal(out, "/nonexistent/dev");
	stable_path("/dev/null", out, sizeof(out));
	assert_string_equal(out, "/dev/null");
}

int main(void)
{
	struct unit_suite suite = { 0 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(good_rows); i++)
		unit_add(&suite, good_line, (void *)&good_rows[i],
			 "parse \"%s\"", good_rows[i].line);
	for (i = 0; i < ARRAY_SIZE(bad_rows); i++)
		unit_add(&suite, bad_line, (void *)&bad_rows[i],
			 "refuse \"%s\": %s", bad_rows[i].line,
			 bad_rows[i].why);
	unit_add(&suite, comments_and_blanks, NULL, "comments and blanks");
	unit_add(&suite, format_round_trip, NULL, "format, round trip");
	unit_add(&suite, file_updates, NULL,
		 "add, replace, drop keep the other lines");
	unit_add(&suite, stable_path_fallback, NULL, "stable_path fallback");
	return unit_run(&suite, "mirrortab");
}
