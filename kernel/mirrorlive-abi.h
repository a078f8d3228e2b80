/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dm-mirrorlive: the names and numbers that the target and its tools share.
 *
 * The module (kernel/) and mirrorctl (userspace/) both include this file,
 * so it holds plain #defines only: no types, no includes. It spells out
 * what Documentation/interface.rst states (sections 1.2 and 2.1 to 2.3).
 * The shell side (dmsetup-scripts/, tests/vm/lib.sh) reads the same values
 * from dmsetup-scripts/mirrorlive-abi.sh, which tests/unit/test_abi.c
 * checks against this file.
 */
#ifndef DM_MIRRORLIVE_ABI_H
#define DM_MIRRORLIVE_ABI_H

#define MIRRORLIVE_TARGET_NAME			"mirrorlive"

/* region_size, in sectors (section 1.2). */
#define MIRRORLIVE_MIN_REGION_SECTORS		8U	 /* 4 KiB */
#define MIRRORLIVE_MAX_REGION_SECTORS		2097152U /* 1 GiB */
#define MIRRORLIVE_DEFAULT_REGION_SECTORS	1024U	 /* 512 KiB */

/* Upper bound of <#feature_args>: every feature once, five with a value. */
#define MIRRORLIVE_MAX_FEATURE_ARGS		14U

/* mirror_id: bytes, written as twice as many hex digits */
#define MIRRORLIVE_MIRROR_ID_LEN		16U

/* Phase names (section 2.2). */
#define MIRRORLIVE_PHASE_NAME_COPYING		"copying"
#define MIRRORLIVE_PHASE_NAME_PAUSED		"paused"
#define MIRRORLIVE_PHASE_NAME_READY		"ready"
#define MIRRORLIVE_PHASE_NAME_FAILED		"failed"

/* Reason names (section 2.3). */
#define MIRRORLIVE_REASON_NAME_NONE		"-"
#define MIRRORLIVE_REASON_NAME_DEST_WRITE	"dest_write_error"
#define MIRRORLIVE_REASON_NAME_DEST_FLUSH	"dest_flush_error"
#define MIRRORLIVE_REASON_NAME_DEST_DISCARD	"dest_discard_error"
#define MIRRORLIVE_REASON_NAME_SOURCE_READ	"source_read_error"
#define MIRRORLIVE_REASON_NAME_COPY		"copy_error"
#define MIRRORLIVE_REASON_NAME_FAIL_DEST	"fail_dest"
#define MIRRORLIVE_REASON_NAME_METADATA		"metadata_error"
#define MIRRORLIVE_REASON_NAME_DEST_READ	"dest_read_error"

/* Verify states (section 2.1, field 10; section 6.13). */
#define MIRRORLIVE_VERIFY_NAME_NONE		"-"
#define MIRRORLIVE_VERIFY_NAME_VERIFYING	"verifying"
#define MIRRORLIVE_VERIFY_NAME_REPAIRING	"repairing"
#define MIRRORLIVE_VERIFY_NAME_DONE		"done"
#define MIRRORLIVE_VERIFY_NAME_STOPPED		"stopped"
#define MIRRORLIVE_VERIFY_NAME_ERROR		"error"

/* "verify mismatches" returns the start of at most this many regions. */
#define MIRRORLIVE_VERIFY_MAX_REPORTED		32U

/*
 * The INFO status fields, numbered from 1 after "<start> <len> mirrorlive"
 * (section 2.1). Fields are only ever appended: a new one gets the next
 * number and MIRRORLIVE_NR_STATUS_FIELDS grows.
 */
#define MIRRORLIVE_STATUS_PHASE			1
#define MIRRORLIVE_STATUS_PROGRESS		2	/* copied/total */
#define MIRRORLIVE_STATUS_MIRRORED_WRITES	3
#define MIRRORLIVE_STATUS_DEST_ERRORS		4
#define MIRRORLIVE_STATUS_SOURCE_ERRORS		5
#define MIRRORLIVE_STATUS_ZERO_REGIONS		6
#define MIRRORLIVE_STATUS_MAX_COPY_KBPS		7
#define MIRRORLIVE_STATUS_REASON		8
#define MIRRORLIVE_STATUS_DIRTY_REGIONS		9	/* "-" without metadata */
#define MIRRORLIVE_STATUS_VERIFY_STATE		10
#define MIRRORLIVE_STATUS_VERIFY_PROGRESS	11	/* verified/copied */
#define MIRRORLIVE_STATUS_VERIFY_MISMATCHED	12
#define MIRRORLIVE_STATUS_VERIFY_REPAIRED	13
#define MIRRORLIVE_STATUS_MIN_COPY_KBPS		14
#define MIRRORLIVE_STATUS_YIELDING		15	/* "-", "y" or "n" */
#define MIRRORLIVE_NR_STATUS_FIELDS		15

#endif /* DM_MIRRORLIVE_ABI_H */
