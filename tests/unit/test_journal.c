// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_journal.c - unit tests for journal.c: the record of a swap in the
 * lock file, and how a device it names is recovered
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "journal.h"

#define H_A	0x1111111111111111ULL	/* the table the device had */
#define H_B	0x2222222222222222ULL	/* the table the swap loads */
#define H_X	0x3333333333333333ULL	/* someone else's */

static struct journal_dev dev_ab = {
	.name = "vm1", .major = 253, .minor = 3,
	.live_hash = H_A, .next_hash = H_B,
};

#define TEXT_ONE	"mirrorctl-journal 1\naction complete\npid 77\n"	\
			"phase commit\ndevice 253 3 1111111111111111 "		\
			"2222222222222222 vm1\nend\n"

/* ---- format and parse ---- */

static void journal_test_format(void **state)
{
	struct journal_dev devs[2] = { dev_ab, dev_ab };
	struct journal j = { .action = "complete", .pid = 77,
			     .phase = JOURNAL_COMMIT, .nr = 1, .devs = devs };
	char *text;

	(void)state;
	text = journal_format(&j);
	assert_string_equal(text, TEXT_ONE);
	free(text);

	snprintf(devs[1].name, sizeof(devs[1].name), "my disk");
	devs[1].minor = 4;
	j.nr = 2;
	j.phase = JOURNAL_PREPARE;
	text = journal_format(&j);
	assert_string_equal(text, "mirrorctl-journal 1\naction complete\n"
			    "pid 77\nphase prepare\n"
			    "device 253 3 1111111111111111 2222222222222222 vm1\n"
			    "device 253 4 1111111111111111 2222222222222222 "
			    "my disk\nend\n");
	free(text);
}

static void journal_test_roundtrip(void **state)
{
	struct journal j;

	(void)state;
	assert_int_equal(journal_parse(TEXT_ONE, &j), 0);
	assert_string_equal(j.action, "complete");
	assert_int_equal(j.pid, 77);
	assert_int_equal(j.phase, JOURNAL_COMMIT);
	assert_int_equal(j.nr, 1);
	assert_string_equal(j.devs[0].name, "vm1");
	assert_int_equal(j.devs[0].major, 253);
	assert_int_equal(j.devs[0].minor, 3);
	assert_true(j.devs[0].live_hash == H_A);
	assert_true(j.devs[0].next_hash == H_B);
	journal_release(&j);
	assert_null(j.devs);

	/* what follows "end" is an older, longer record's tail */
	assert_int_equal(journal_parse(TEXT_ONE "device 1 2 3 4 x\nend\n", &j),
			 0);
	assert_int_equal(j.nr, 1);
	journal_release(&j);

	/* a name with spaces survives */
	assert_int_equal(journal_parse("mirrorctl-journal 1\naction start\n"
				       "pid 1\nphase prepare\ndevice 253 4 "
				       "0 ffffffffffffffff my disk\nend\n", &j),
			 0);
	assert_string_equal(j.devs[0].name, "my disk");
	assert_true(j.devs[0].next_hash == ~0ULL);
	journal_release(&j);
}

static const struct bad_row {
	const char *what;
	const char *text;
} bad_rows[] = {
	{ "empty", "" },
	{ "another magic", "mirrorctl-journal 2\naction start\npid 1\n"
	  "phase prepare\nend\n" },
	{ "no end: torn", "mirrorctl-journal 1\naction start\npid 1\n"
	  "phase prepare\ndevice 253 3 1 2 vm1\n" },
	{ "cut in a device line", "mirrorctl-journal 1\naction start\npid 1\n"
	  "phase prepare\ndevice 253 3 1" },
	{ "no action", "mirrorctl-journal 1\npid 1\nphase prepare\nend\n" },
	{ "action not a word", "mirrorctl-journal 1\naction st art\npid 1\n"
	  "phase prepare\nend\n" },
	{ "pid 0", "mirrorctl-journal 1\naction start\npid 0\n"
	  "phase prepare\nend\n" },
	{ "pid with junk", "mirrorctl-journal 1\naction start\npid 12x\n"
	  "phase prepare\nend\n" },
	{ "unknown phase", "mirrorctl-journal 1\naction start\npid 1\n"
	  "phase done\nend\n" },
	{ "device without name", "mirrorctl-journal 1\naction start\npid 1\n"
	  "phase prepare\ndevice 253 3 1 2 \nend\n" },
	{ "device with a bad hash", "mirrorctl-journal 1\naction start\n"
	  "pid 1\nphase prepare\ndevice 253 3 xyz 2 vm1\nend\n" },
	{ "something else", "mirrorctl-journal 1\naction start\npid 1\n"
	  "phase prepare\nhello\nend\n" },
};

static void journal_test_bad(void **state)
{
	const struct bad_row *row = *state;
	struct journal j;

	assert_int_equal(journal_parse(row->text, &j), -EINVAL);
	assert_null(j.devs);
	assert_int_equal(j.nr, 0);
}

/* ---- hash ---- */

static void journal_test_hash(void **state)
{
	struct table *a = table_new(), *b = table_new();

	(void)state;
	assert_int_equal(table_add(a, 0, 8, "linear", "7:0 0"), 0);
	/* FNV-1a 64 of "0 8 linear 7:0 0\n" */
	assert_true(journal_table_hash(a) == 0x630ab5b55fce2457ULL);
	assert_int_equal(table_add(b, 0, 8, "linear", "7:0 8"), 0);
	assert_true(journal_table_hash(a) != journal_table_hash(b));
	table_free(a);
	table_free(b);
}

/* ---- decide ---- */

static const struct decide_row {
	const char *what;
	enum journal_phase phase;
	struct journal_state s;
	enum journal_fix want;
} decide_rows[] = {
	{ "not loaded yet", JOURNAL_PREPARE, { 253, 3, H_A, false, 0, false },
	  JOURNAL_FIX_NONE },
	{ "loaded", JOURNAL_PREPARE, { 253, 3, H_A, true, H_B, false },
	  JOURNAL_FIX_BACK },
	{ "loaded and suspended", JOURNAL_PREPARE,
	  { 253, 3, H_A, true, H_B, true }, JOURNAL_FIX_BACK },
	{ "checked and suspended", JOURNAL_COMMIT,
	  { 253, 3, H_A, true, H_B, true }, JOURNAL_FIX_FORWARD },
	{ "checked but resumed since", JOURNAL_COMMIT,
	  { 253, 3, H_A, true, H_B, false }, JOURNAL_FIX_BACK },
	{ "rolled back but not resumed", JOURNAL_PREPARE,
	  { 253, 3, H_A, false, 0, true }, JOURNAL_FIX_RESUME },
	{ "swapped", JOURNAL_COMMIT, { 253, 3, H_B, false, 0, false },
	  JOURNAL_FIX_NONE },
	{ "swapped, still suspended", JOURNAL_COMMIT,
	  { 253, 3, H_B, false, 0, true }, JOURNAL_FIX_RESUME },
	{ "swapped, then someone loaded", JOURNAL_COMMIT,
	  { 253, 3, H_B, true, H_X, true }, JOURNAL_FIX_FOREIGN },
	{ "someone else's inactive table", JOURNAL_PREPARE,
	  { 253, 3, H_A, true, H_X, true }, JOURNAL_FIX_FOREIGN },
	{ "someone else's inactive table, commit", JOURNAL_COMMIT,
	  { 253, 3, H_A, true, H_X, true }, JOURNAL_FIX_FOREIGN },
	{ "another live table", JOURNAL_PREPARE,
	  { 253, 3, H_X, true, H_B, true }, JOURNAL_FIX_FOREIGN },
	{ "the name is another device now", JOURNAL_PREPARE,
	  { 253, 9, H_A, true, H_B, true }, JOURNAL_FIX_FOREIGN },
};

static void journal_test_decide(void **state)
{
	const struct decide_row *row = *state;

	assert_int_equal(journal_decide(row->phase, &dev_ab, &row->s),
			 row->want);
}

/* ---- the lock file ---- */

/* A held lock on a fresh, empty temporary file. */
static struct mctl_lock temp_lock(void)
{
	char path[] = "/tmp/mltest-journal.XXXXXX";
	struct mctl_lock lock = { .held = true, .fd = mkstemp(path) };

	assert_true(lock.fd >= 0);
	unlink(path);
	return lock;
}

static void journal_test_file(void **state)
{
	struct journal_dev devs[3] = { dev_ab, dev_ab, dev_ab };
	struct journal j = { .action = "start", .pid = 5,
			     .phase = JOURNAL_PREPARE, .nr = 3, .devs = devs };
	struct mctl_lock lock = temp_lock(), unheld = { .held = false };
	struct journal got;

	(void)state;
	assert_int_equal(journal_load(&lock, &got), 0);
	assert_int_equal(got.nr, 0);

	assert_int_equal(journal_save(&lock, &j), 0);
	assert_int_equal(journal_load(&lock, &got), 0);
	assert_int_equal(got.nr, 3);
	assert_int_equal(got.phase, JOURNAL_PREPARE);
	journal_release(&got);

	/* a shorter record replaces a longer one */
	j.nr = 1;
	j.phase = JOURNAL_COMMIT;
	assert_int_equal(journal_save(&lock, &j), 0);
	assert_int_equal(journal_load(&lock, &got), 0);
	assert_int_equal(got.nr, 1);
	assert_int_equal(got.phase, JOURNAL_COMMIT);
	assert_string_equal(got.action, "start");
	journal_release(&got);

	assert_int_equal(journal_erase(&lock), 0);
	assert_int_equal(journal_load(&lock, &got), 0);
	assert_int_equal(got.nr, 0);

	/* a torn record is no record */
	assert_int_equal(pwrite(lock.fd, "mirrorctl-journal 1\naction st",
				29, 0), 29);
	assert_int_equal(journal_load(&lock, &got), -EINVAL);
	close(lock.fd);

	/* no lock (read-only /run), no record */
	assert_int_equal(journal_save(&unheld, &j), -EBADF);
	assert_int_equal(journal_load(&unheld, &got), -EBADF);
	assert_int_equal(got.nr, 0);
	assert_int_equal(journal_erase(&unheld), -EBADF);
}

int main(void)
{
	struct unit_suite suite = { 0 };
	size_t i;

	unit_add(&suite, journal_test_format, NULL, "journal_test_format");
	unit_add(&suite, journal_test_roundtrip, NULL, "journal_test_roundtrip");
	for (i = 0; i < ARRAY_SIZE(bad_rows); i++)
		unit_add(&suite, journal_test_bad, (void *)&bad_rows[i],
			 "parse refuses: %s", bad_rows[i].what);
	unit_add(&suite, journal_test_hash, NULL, "journal_test_hash");
	for (i = 0; i < ARRAY_SIZE(decide_rows); i++)
		unit_add(&suite, journal_test_decide, (void *)&decide_rows[i],
			 "decide: %s", decide_rows[i].what);
	unit_add(&suite, journal_test_file, NULL, "journal_test_file");

	return unit_run(&suite, "journal");
}
