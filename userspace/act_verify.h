/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * act_verify.h - what complete --verify takes from verify (act_verify.c)
 */
#ifndef MIRRORCTL_ACT_VERIFY_H
#define MIRRORCTL_ACT_VERIFY_H

/*
 * verify_before_complete - a verify pass (no repair) on every device of
 * @names (dm names of mirrorlive devices, ready), waited for within
 * --timeout; complete goes on only when each ended done, every copied
 * region verified and none mismatched.
 *
 * Returns 0; -MCTL_EPRECOND, saying why (the count and first offsets of
 * the mismatches, ...: staying on the source); or verify_run()'s errors
 * (-ETIMEDOUT, -EINTR, -errno).
 */
int verify_before_complete(const char * const *names, int nr);

#endif /* MIRRORCTL_ACT_VERIFY_H */
