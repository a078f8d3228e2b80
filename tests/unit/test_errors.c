// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_errors.c - unit tests for userspace/errors.c
 *
 * The exit codes are part of the contract (Documentation/interface.rst,
 * section 7.5): scripts branch on them, so every internal code is pinned to
 * its exact exit status.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "unit.h"
#include "errors.h"

static const struct exit_row {
	const char *what;
	int r;
	int exit_code;
} exit_rows[] = {
	{ "success",		0,			MCTL_EXIT_OK },
	{ "usage error",	-MCTL_EUSAGE,		MCTL_EXIT_USAGE },
	{ "precondition",	-MCTL_EPRECOND,		MCTL_EXIT_PRECONDITION },
	{ "mirror failed",	-MCTL_EMIRROR,		MCTL_EXIT_FAILED },
	{ "legs differ",	-MCTL_EDIFFER,		MCTL_EXIT_FAILED },
	{ "ETIMEDOUT",		-ETIMEDOUT,		MCTL_EXIT_TIMEOUT },
	{ "ETIME",		-ETIME,			MCTL_EXIT_TIMEOUT },
	/* an errno means the operation was tried and failed */
	{ "EINVAL",		-EINVAL,		MCTL_EXIT_FAILED },
	{ "EIO",		-EIO,			MCTL_EXIT_FAILED },
	{ "ENODEV",		-ENODEV,		MCTL_EXIT_FAILED },
	{ "ENXIO",		-ENXIO,			MCTL_EXIT_FAILED },
	{ "ENOMEM",		-ENOMEM,		MCTL_EXIT_FAILED },
	{ "EPERM",		-EPERM,			MCTL_EXIT_FAILED },
	{ "EBUSY from kernel",	-EBUSY,			MCTL_EXIT_FAILED },
	{ "EEXIST from kernel",	-EEXIST,		MCTL_EXIT_FAILED },
	{ "ENOENT",		-ENOENT,		MCTL_EXIT_FAILED },
	{ "ERANGE",		-ERANGE,		MCTL_EXIT_FAILED },
	{ "EAGAIN",		-EAGAIN,		MCTL_EXIT_FAILED },
	{ "MAX_ERRNO",		-4095,			MCTL_EXIT_FAILED },
	/* values that should never occur still fail, never succeed */
	{ "positive 1",		1,			MCTL_EXIT_FAILED },
	{ "INT_MAX",		INT_MAX,		MCTL_EXIT_FAILED },
	{ "INT_MIN",		INT_MIN,		MCTL_EXIT_FAILED },
	{ "MCTL_ERRNO_BASE",	-MCTL_ERRNO_BASE,	MCTL_EXIT_FAILED },
	{ "unassigned code",	-(MCTL_ERRNO_BASE + 99), MCTL_EXIT_FAILED },
};

static void errors_test_exit_code(void **state)
{
	const struct exit_row *row = *state;

	assert_int_equal(mctl_exit_code(row->r), row->exit_code);
}

static const struct strerror_row {
	int r;
	const char *text;
} strerror_rows[] = {
	{ 0,			"Success" },
	{ -MCTL_EUSAGE,		"Usage error" },
	{ -MCTL_EPRECOND,	"Precondition not met" },
	{ -MCTL_EMIRROR,	"Mirror failed" },
	{ -MCTL_EDIFFER,	"Source and destination differ" },
	{ 1,			"Unexpected return value" },
	{ INT_MIN,		"Unexpected return value" },
	{ -EINVAL,		"Invalid argument" },
	{ -ENODEV,		"No such device" },
};

static void errors_test_strerror(void **state)
{
	const struct strerror_row *row = *state;

	assert_string_equal(mctl_strerror(row->r), row->text);
}

/* The numbers themselves are documented; they must not drift. */
static void errors_test_exit_values(void **state)
{
	(void)state;
	assert_int_equal(MCTL_EXIT_OK, 0);
	assert_int_equal(MCTL_EXIT_FAILED, 1);
	assert_int_equal(MCTL_EXIT_USAGE, 2);
	assert_int_equal(MCTL_EXIT_PRECONDITION, 3);
	assert_int_equal(MCTL_EXIT_TIMEOUT, 4);
}

/* Internal codes must not collide with any errno, even the kernel's. */
static void errors_test_internal_codes_above_errno(void **state)
{
	(void)state;
	assert_true(MCTL_ERRNO_BASE > 4095);
	assert_true(MCTL_EUSAGE > MCTL_ERRNO_BASE);
	assert_true(MCTL_EPRECOND > MCTL_ERRNO_BASE);
	assert_true(MCTL_EMIRROR > MCTL_ERRNO_BASE);
	assert_int_not_equal(MCTL_EUSAGE, MCTL_EPRECOND);
	assert_int_not_equal(MCTL_EMIRROR, MCTL_EPRECOND);
	assert_int_not_equal(MCTL_EMIRROR, MCTL_EUSAGE);
	assert_true(MCTL_EDIFFER > MCTL_ERRNO_BASE);
	assert_int_not_equal(MCTL_EDIFFER, MCTL_EMIRROR);
	assert_int_not_equal(MCTL_EDIFFER, MCTL_EPRECOND);
	assert_int_not_equal(MCTL_EDIFFER, MCTL_EUSAGE);
}

/* Unknown errnos still get a text, never NULL. */
static void errors_test_strerror_unknown(void **state)
{
	(void)state;
	assert_non_null(mctl_strerror(-(MCTL_ERRNO_BASE + 99)));
	assert_non_null(mctl_strerror(-4000));
}

int main(void)
{
	struct unit_suite suite = { 0 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(exit_rows); i++)
		unit_add(&suite, errors_test_exit_code, (void *)&exit_rows[i],
			 "exit_code %s (%d) -> %d", exit_rows[i].what,
			 exit_rows[i].r, exit_rows[i].exit_code);
	for (i = 0; i < ARRAY_SIZE(strerror_rows); i++)
		unit_add(&suite, errors_test_strerror, (void *)&strerror_rows[i],
			 "strerror %d -> \"%s\"", strerror_rows[i].r,
			 strerror_rows[i].text);
	unit_add(&suite, errors_test_exit_values, NULL,
		 "errors_test_exit_values");
	unit_add(&suite, errors_test_internal_codes_above_errno, NULL,
		 "errors_test_internal_codes_above_errno");
	unit_add(&suite, errors_test_strerror_unknown, NULL,
		 "errors_test_strerror_unknown");

	return unit_run(&suite, "errors");
}
