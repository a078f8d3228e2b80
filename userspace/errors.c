// SPDX-License-Identifier: GPL-2.0-only
/*
 * errors.c - internal error codes and the one mapping to exit codes
 */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "errors.h"

int mctl_exit_code(int r)
{
	if (r == 0)
		return MCTL_EXIT_OK;
	if (r > 0 || r == INT_MIN)	/* -INT_MIN would overflow */
		return MCTL_EXIT_FAILED;

	switch (-r) {
	case MCTL_EUSAGE:
		return MCTL_EXIT_USAGE;
	case MCTL_EPRECOND:
		return MCTL_EXIT_PRECONDITION;
	case ETIMEDOUT:
	case ETIME:
		return MCTL_EXIT_TIMEOUT;
	default:
		return MCTL_EXIT_FAILED;
	}
}

const char *mctl_strerror(int r)
{
	if (r == 0)
		return "Success";
	if (r > 0 || r == INT_MIN)
		return "Unexpected return value";

	switch (-r) {
	case MCTL_EUSAGE:
		return "Usage error";
	case MCTL_EPRECOND:
		return "Precondition not met";
	case MCTL_EMIRROR:
		return "Mirror failed";
	case MCTL_EDIFFER:
		return "Source and destination differ";
	default:
		/* strerror() handles unknown values ("Unknown error N"). */
		return strerror(-r);
	}
}
