# shellcheck shell=sh disable=SC2034
# (SC2034: the values are for the scripts and tests that source this file)
# mirrorlive-abi.sh - the mirrorlive target's names and numbers, for sh.
#
# The shell copy of kernel/mirrorlive-abi.h (Documentation/interface.rst,
# sections 1.2, 2.1 to 2.3 and 4); tests/unit/test_abi.c fails when the two
# disagree.  Sourced by mirrorlive-lib.sh and by tests/vm/lib.sh.

ML_TARGET=mirrorlive

# region_size, in sectors
ML_MIN_REGION_SECTORS=8
ML_MAX_REGION_SECTORS=2097152
ML_DEFAULT_REGION_SECTORS=1024

# phases and reasons (reasons: only ever appended)
ML_PHASES="copying paused ready failed"
ML_REASONS="- dest_write_error dest_flush_error dest_discard_error source_read_error copy_error fail_dest metadata_error dest_read_error"

# verify states (status field 10)
ML_VERIFY_STATES="- verifying repairing done stopped error"
# "verify mismatches" returns the start of at most this many regions
ML_VERIFY_MAX_REPORTED=32

# INFO status fields, numbered from 1 after "<start> <len> mirrorlive";
# only ever appended
ML_F_PHASE=1
ML_F_PROGRESS=2
ML_F_MIRRORED_WRITES=3
ML_F_DEST_ERRORS=4
ML_F_SOURCE_ERRORS=5
ML_F_ZERO_REGIONS=6
ML_F_MAX_COPY_KBPS=7
ML_F_REASON=8
ML_F_DIRTY_REGIONS=9
ML_F_VERIFY_STATE=10
ML_F_VERIFY_PROGRESS=11
ML_F_VERIFY_MISMATCHED=12
ML_F_VERIFY_REPAIRED=13
ML_F_MIN_COPY_KBPS=14
ML_F_YIELDING=15
ML_NR_FIELDS=15
