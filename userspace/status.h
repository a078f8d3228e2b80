/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * status.h - the mirrorlive target's INFO status line
 *
 * Parses exactly the line of Documentation/interface.rst, section 2.1
 * (`dmsetup status`, one segment), whose positions and names
 * kernel/mirrorlive-abi.h defines:
 *
 *   <phase> <copied>/<total> <mirrored_writes> <dest_errors> <source_errors>
 *   <zero_regions> <max_copy_kbps> <reason> <dirty_regions>
 *   <verify_state> <verified_regions>/<copied_regions> <mismatched_regions>
 *   <repaired_regions> <min_copy_kbps> <yielding>
 *
 * <dirty_regions> (target 0.5.0) is "-" for a mirror without a metadata
 * device; a line that ends after <reason> (an older target) reads so too.
 * The four verify fields (target 0.6.0, section 6.13) come together: a
 * line that ends after <dirty_regions> (or <reason>) reads as no pass ever
 * run ("-", counts 0); one that ends inside them is refused.  The two
 * yield fields (target 0.7.0) come together too: a line that ends before
 * them reads as a copy that never yields (0, "-").
 *
 * Fields are separated by one or more spaces.  Parsing is strict on the
 * fields the contract defines -- a line mirrorctl does not understand must
 * never be reported as a healthy mirror -- but any fields after
 * <yielding> are ignored, because the contract allows the kernel
 * to append fields.
 *
 * Pure functions: no I/O, no messages, no allocation.
 */
#ifndef MIRRORCTL_STATUS_H
#define MIRRORCTL_STATUS_H

#include <stdbool.h>
#include <stdint.h>

#include "../kernel/mirrorlive-abi.h"

enum mirror_phase {
	MIRROR_COPYING,		/* background copy running */
	MIRROR_PAUSED,		/* background copy paused, writes still mirrored */
	MIRROR_READY,		/* every region copied, destination == source */
	MIRROR_FAILED,		/* a leg failed; only cancel gets out */
};

/* A verify pass (status field 10), in the kernel's order. */
enum mirror_verify {
	MIRROR_VERIFY_NONE,	/* "-": no pass in this table instance */
	MIRROR_VERIFY_VERIFYING,
	MIRROR_VERIFY_REPAIRING,
	MIRROR_VERIFY_DONE,	/* compared every region copied when reached */
	MIRROR_VERIFY_STOPPED,	/* verify stop, or a suspend */
	MIRROR_VERIFY_ERROR,	/* a source read failed, or the mirror did */
};

/* Longest <reason> token accepted, including the terminating NUL. */
#define MIRROR_REASON_MAX	64

struct mirror_status {
	enum mirror_phase phase;
	uint64_t copied_sectors;
	uint64_t total_sectors;
	uint64_t mirrored_writes;
	uint64_t dest_errors;
	uint64_t source_errors;
	uint64_t zero_regions;
	uint64_t max_copy_kbps;		/* 0 = unlimited */
	char reason[MIRROR_REASON_MAX];	/* "-" or e.g. "dest_write_error" */
	bool persistent;		/* it has a metadata device */
	uint64_t dirty_regions;		/* write-intent bits on it */
	enum mirror_verify verify;	/* the last pass, fields 10 to 13 */
	uint64_t verified_regions;
	uint64_t copied_regions;	/* regions copied now */
	uint64_t mismatched_regions;
	uint64_t repaired_regions;
	uint64_t min_copy_kbps;		/* 0 = the copy never yields */
	bool yielding;			/* it yields to guest I/O now */
};

/*
 * status_parse - parse one mirrorlive INFO status line
 * @line: the params string libdevmapper returned for the segment
 * @st: filled in on success; contents undefined on error
 *
 * Returns 0, or -EINVAL when @line is not a valid status line: unknown
 * phase or verify state, a missing or non-decimal number, a line ending
 * inside the verify fields, a number above 2^64 - 1 (or, for
 * the two sector counts, one whose byte count would overflow), copied >
 * total, or a reason that is not "-" or a token of [a-z0-9_] shorter than
 * MIRROR_REASON_MAX.  The reason is not checked against the list of known
 * reasons: a newer kernel may name a new failure, and reporting it verbatim
 * beats refusing to report at all.  The verify counts are only checked to
 * be numbers, not against each other.
 */
int status_parse(const char *line, struct mirror_status *st);

/*
 * status_phase_name - the kernel's name of a phase, e.g. "copying"
 *
 * Returns "unknown" for a value outside enum mirror_phase.
 */
const char *status_phase_name(enum mirror_phase phase);

/*
 * status_verify_name - the kernel's name of a verify state, e.g. "done"
 * ("-" for MIRROR_VERIFY_NONE)
 *
 * Returns "unknown" for a value outside enum mirror_verify.
 */
const char *status_verify_name(enum mirror_verify verify);

/* status_verify_running - is a pass in @verify still going? */
bool status_verify_running(enum mirror_verify verify);

#endif /* MIRRORCTL_STATUS_H */
