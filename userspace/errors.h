/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * errors.h - internal error codes and the one mapping to exit codes
 *
 * Every internal function of mirrorctl returns 0 on success or a negative
 * value: either -errno, or one of the negated MCTL_E* codes below for the
 * outcomes errno cannot express (a usage error, a precondition that does not
 * hold).  The function that detects a failure prints the message; the value
 * travels up unchanged to main(), which turns it into the process exit
 * status with mctl_exit_code() and nothing else.
 */
#ifndef MIRRORCTL_ERRORS_H
#define MIRRORCTL_ERRORS_H

/*
 * Exit codes, as documented in Documentation/interface.rst, section 7.5,
 * and `mirrorctl --help`.
 */
enum mctl_exit {
	MCTL_EXIT_OK		= 0,	/* success */
	MCTL_EXIT_FAILED	= 1,	/* kernel refused, I/O error, mirror failed */
	MCTL_EXIT_USAGE		= 2,	/* bad command line */
	MCTL_EXIT_PRECONDITION	= 3,	/* not ready, not a mirror, dest rejected */
	MCTL_EXIT_TIMEOUT	= 4,	/* --timeout expired */
};

/*
 * Internal codes, above the kernel's MAX_ERRNO (4095) so they can never be
 * mistaken for an errno.  Return them negated, like errnos.
 */
#define MCTL_ERRNO_BASE	4096
#define MCTL_EUSAGE	(MCTL_ERRNO_BASE + 1)	/* command line is wrong */
#define MCTL_EPRECOND	(MCTL_ERRNO_BASE + 2)	/* device not in required state */
#define MCTL_EMIRROR	(MCTL_ERRNO_BASE + 3)	/* the mirror is in phase failed */
#define MCTL_EDIFFER	(MCTL_ERRNO_BASE + 4)	/* verify: the legs differ */

/*
 * mctl_exit_code - map an internal return value to an exit code
 * @r: 0, -errno or -MCTL_E*
 *
 * -MCTL_EUSAGE is a usage error, -MCTL_EPRECOND a precondition not met,
 * -ETIMEDOUT and -ETIME a timeout, -MCTL_EMIRROR (the mirror failed) and
 * -MCTL_EDIFFER (verify found regions that differ) an operation failure.  Every other negative value, and any
 * positive value (a bug), is an operation failure: an errno coming back from
 * the kernel says the operation was attempted and refused, so it must never
 * be reported as a precondition.
 */
int mctl_exit_code(int r);

/*
 * mctl_strerror - describe an internal return value
 * @r: 0, -errno or -MCTL_E*
 *
 * Returns a static string: strerror() for errnos, a fixed text for the
 * internal codes.  Never returns NULL.
 */
const char *mctl_strerror(int r);

#endif /* MIRRORCTL_ERRORS_H */
