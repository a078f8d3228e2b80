// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_abi.c - dmsetup-scripts/mirrorlive-abi.sh agrees with
 * kernel/mirrorlive-abi.h
 *
 * The shell side (the dmsetup scripts, tests/vm/lib.sh) reads the target's
 * names and status field positions from mirrorlive-abi.sh; the kernel and
 * mirrorctl from mirrorlive-abi.h.  Every variable of the shell file must
 * have the header's value, and every one the table below names must be
 * there.  The file is found from the test binary's path:
 * <top>/tests/unit/test_abi -> <top>/dmsetup-scripts/mirrorlive-abi.sh.
 */
#include <libgen.h>
#include <stdbool.h>
#include <string.h>

#include "unit.h"
#include "../kernel/mirrorlive-abi.h"

#define STR(x)		STR_(x)
#define STR_(x)		#x

static const struct abi_row {
	const char *var;
	const char *value;
} abi_rows[] = {
	{ "ML_TARGET",			MIRRORLIVE_TARGET_NAME },
	{ "ML_MIN_REGION_SECTORS",	"8" },
	{ "ML_MAX_REGION_SECTORS",	"2097152" },
	{ "ML_DEFAULT_REGION_SECTORS",	"1024" },
	{ "ML_PHASES",			MIRRORLIVE_PHASE_NAME_COPYING " "
					MIRRORLIVE_PHASE_NAME_PAUSED " "
					MIRRORLIVE_PHASE_NAME_READY " "
					MIRRORLIVE_PHASE_NAME_FAILED },
	{ "ML_REASONS",			MIRRORLIVE_REASON_NAME_NONE " "
					MIRRORLIVE_REASON_NAME_DEST_WRITE " "
					MIRRORLIVE_REASON_NAME_DEST_FLUSH " "
					MIRRORLIVE_REASON_NAME_DEST_DISCARD " "
					MIRRORLIVE_REASON_NAME_SOURCE_READ " "
					MIRRORLIVE_REASON_NAME_COPY " "
					MIRRORLIVE_REASON_NAME_FAIL_DEST " "
					MIRRORLIVE_REASON_NAME_METADATA " "
					MIRRORLIVE_REASON_NAME_DEST_READ },
	{ "ML_VERIFY_STATES",		MIRRORLIVE_VERIFY_NAME_NONE " "
					MIRRORLIVE_VERIFY_NAME_VERIFYING " "
					MIRRORLIVE_VERIFY_NAME_REPAIRING " "
					MIRRORLIVE_VERIFY_NAME_DONE " "
					MIRRORLIVE_VERIFY_NAME_STOPPED " "
					MIRRORLIVE_VERIFY_NAME_ERROR },
	{ "ML_VERIFY_MAX_REPORTED",	"32" },
	{ "ML_F_PHASE",			STR(MIRRORLIVE_STATUS_PHASE) },
	{ "ML_F_PROGRESS",		STR(MIRRORLIVE_STATUS_PROGRESS) },
	{ "ML_F_MIRRORED_WRITES",	STR(MIRRORLIVE_STATUS_MIRRORED_WRITES) },
	{ "ML_F_DEST_ERRORS",		STR(MIRRORLIVE_STATUS_DEST_ERRORS) },
	{ "ML_F_SOURCE_ERRORS",		STR(MIRRORLIVE_STATUS_SOURCE_ERRORS) },
	{ "ML_F_ZERO_REGIONS",		STR(MIRRORLIVE_STATUS_ZERO_REGIONS) },
	{ "ML_F_MAX_COPY_KBPS",		STR(MIRRORLIVE_STATUS_MAX_COPY_KBPS) },
	{ "ML_F_REASON",		STR(MIRRORLIVE_STATUS_REASON) },
	{ "ML_F_DIRTY_REGIONS",		STR(MIRRORLIVE_STATUS_DIRTY_REGIONS) },
	{ "ML_F_VERIFY_STATE",		STR(MIRRORLIVE_STATUS_VERIFY_STATE) },
	{ "ML_F_VERIFY_PROGRESS",	STR(MIRRORLIVE_STATUS_VERIFY_PROGRESS) },
	{ "ML_F_VERIFY_MISMATCHED",	STR(MIRRORLIVE_STATUS_VERIFY_MISMATCHED) },
	{ "ML_F_VERIFY_REPAIRED",	STR(MIRRORLIVE_STATUS_VERIFY_REPAIRED) },
	{ "ML_F_MIN_COPY_KBPS",		STR(MIRRORLIVE_STATUS_MIN_COPY_KBPS) },
	{ "ML_F_YIELDING",		STR(MIRRORLIVE_STATUS_YIELDING) },
	{ "ML_NR_FIELDS",		STR(MIRRORLIVE_NR_STATUS_FIELDS) },
};

static char abi_path[4096];

/* The numbers the table spells as strings are the header's. */
static void check_numbers(void **state)
{
	(void)state;
	assert_int_equal(MIRRORLIVE_MIN_REGION_SECTORS, 8);
	assert_int_equal(MIRRORLIVE_MAX_REGION_SECTORS, 2097152);
	assert_int_equal(MIRRORLIVE_DEFAULT_REGION_SECTORS, 1024);
	assert_int_equal(MIRRORLIVE_VERIFY_MAX_REPORTED, 32);
}

/* The value of VAR=VALUE or VAR="VALUE" in the shell file, or NULL. */
static char *shell_value(const char *var, char *buf, size_t size)
{
	size_t len = strlen(var);
	char line[1024];
	char *v, *end;
	FILE *f;

	f = fopen(abi_path, "r");
	if (!f)
		return NULL;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, var, len) || line[len] != '=')
			continue;
		v = line + len + 1;
		v[strcspn(v, "\n")] = '\0';
		if (*v == '"') {
			v++;
			end = strrchr(v, '"');
			if (!end)
				break;
			*end = '\0';
		}
		snprintf(buf, size, "%s", v);
		fclose(f);
		return buf;
	}
	fclose(f);
	return NULL;
}

static void check_row(void **state)
{
	const struct abi_row *row = *state;
	char buf[1024];
	const char *v = shell_value(row->var, buf, sizeof(buf));

	if (!v)
		fail_msg("%s: %s not set", abi_path, row->var);
	assert_string_equal(v, row->value);
}

/* Every ML_ variable the shell file sets is one the table checks. */
static void check_no_unknown(void **state)
{
	char line[1024];
	size_t i, len;
	bool known;
	FILE *f;

	(void)state;
	f = fopen(abi_path, "r");
	if (!f)
		fail_msg("cannot open %s", abi_path);
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "ML_", 3))
			continue;
		len = strcspn(line, "=");
		known = false;
		for (i = 0; i < ARRAY_SIZE(abi_rows); i++)
			known |= strlen(abi_rows[i].var) == len &&
				 !strncmp(line, abi_rows[i].var, len);
		if (!known) {
			fclose(f);
			fail_msg("%s sets %.*s, which nothing checks", abi_path,
				 (int)len, line);
		}
	}
	fclose(f);
}

int main(int argc, char **argv)
{
	struct unit_suite suite = { 0 };
	char self[4096];
	size_t i;

	(void)argc;
	snprintf(self, sizeof(self), "%s", argv[0]);
	snprintf(abi_path, sizeof(abi_path),
		 "%s/../../dmsetup-scripts/mirrorlive-abi.sh", dirname(self));

	unit_add(&suite, check_numbers, NULL, "header numbers");
	for (i = 0; i < ARRAY_SIZE(abi_rows); i++)
		unit_add(&suite, check_row, (void *)&abi_rows[i], "%s",
			 abi_rows[i].var);
	unit_add(&suite, check_no_unknown, NULL, "no unchecked ML_ variable");
	return unit_run(&suite, "abi");
}
