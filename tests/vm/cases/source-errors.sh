#!/bin/sh
# A source read error during the copy (Documentation/interface.rst, invariants
# 4, 6): the source is a dm device "mls" over a brd whose 4 KiB at 24 MiB + 4
# KiB are an "error" target (inside region 48 of the default 512 KiB regions).
#   1  plain copy: the copy reaches the bad region -> failed,
#      source_read_error, exactly one source error; every region before it
#      is on the destination; guest reads of the good parts, even within
#      region 48, return the right data; a guest read or write of the bad
#      block fails as on the source alone; writes after the failure go to
#      the source only; cancel keeps the source readable;
#   2  the same with "sparse" (the copy reads and scans with dm-io);
#   3  a guest read error while paused does not fail the mirror; the copy
#      does, once resumed.
# timeout: 150
. /tests/lib.sh
setup

# read_blk DEV BLOCK / write_blk DEV BLOCK: one direct 4 KiB read / write
read_blk() { dd if="$1" of=/dev/null bs=4096 count=1 skip="$2" iflag=direct 2>&1; }
write_blk() { dd if=/dev/zero of="$1" bs=4096 count=1 seek="$2" oflag=direct conv=notrunc 2>&1; }

t_ok "brd: 2 x 64 MiB" brd_setup 2 64
S=$(dev_sectors /dev/ram0)
BAD=49160                 # first bad sector: 24 MiB + 4 KiB
BADBLK=$((BAD / 8))       # its 4 KiB block number
GOOD2=$((BAD + 8))        # first good sector after it
REG0=49152                # start of the region holding the bad block
MLS="0 $BAD linear /dev/ram0 0
$BAD 8 error
$GOOD2 $((S - GOOD2)) linear /dev/ram0 $GOOD2"

# readverify_good DEV: gen 1 on both good parts of DEV
readverify_good() {
    fio_readverify "$1" 1 --size=$((BAD * 512)) &&
        fio_readverify "$1" 1 --offset=$((GOOD2 * 512)) --size=$(((S - GOOD2) * 512))
}

t_ok "ram0: gen 1, every block (sequential)" fio_write /dev/ram0 1 --rw=write
t_ok "mls: linear / 4 KiB error / linear over ram0" dm_create mls "$MLS"
t_ok "mls: the good parts read back gen 1" readverify_good /dev/mapper/mls
t_fail "mls: the bad block fails" read_blk /dev/mapper/mls $BADBLK

# ======== 1: plain copy hits the bad region =====
kmsg part1
t_ok "1: mirror mls -> ram1" dm_create ml "0 $S mirrorlive /dev/mapper/mls 0 /dev/ram1 0"
t_ok "1: copy fails" dm_wait_phase ml failed 60
t_eq "1: failed, one source error, no dest error, source_read_error" \
    "$(ml_errs ml)" "failed 0 1 source_read_error"
c=$(ml_copied ml)
diag "1: copied $c of $S sectors"
t_num "1: every region before the bad one copied" "$c" -ge $REG0
t_num "1: the bad region not counted" "$c" -le $((S - 1024))
t_eq "1: one failure message" "$(klog_count part1 'copy failed \(source_read_error\)')" 1
t_ok "1: destination holds the regions before the bad one" \
    fio_readverify /dev/ram1 1 --size=$((REG0 * 512))
t_ok "1: guest reads of the good parts through the mirror" readverify_good /dev/mapper/ml
t_ok "1: guest read of the good 4 KiB just before the bad block" \
    fio_readverify /dev/mapper/ml 1 --offset=$(((BAD - 8) * 512)) --size=4096
t_fail "1: guest read of the bad block fails (EIO as on mls)" read_blk /dev/mapper/ml $BADBLK
t_eq "1: ... and counts as a source error, reason kept" "$(ml_errs ml)" "failed 0 2 source_read_error"
t_ok "1: writes after the failure (gen 2, first 8 MiB)" \
    fio_write /dev/mapper/ml 2 --rw=write --size=8M
t_eq "1: nothing mirrored" "$(dm_status_field ml mirrored_writes)" 0
t_ok "1: source holds gen 2" fio_verify /dev/mapper/mls 2
t_ok "1: destination still holds gen 1 there" fio_readverify /dev/ram1 1 --size=8M
t_fail "1: guest write of the bad block fails (as on mls)" write_blk /dev/mapper/ml $BADBLK
t_eq "1: phase and reason unchanged" "$(ml_phase ml) $(dm_status_field ml reason)" "failed source_read_error"
t_ok "1: cancel: load linear(mls)" dm_load ml "0 $S linear /dev/mapper/mls 0"
t_ok "1: cancel: resume" dmsetup resume ml
t_ok "1: gen 2 through the cancelled device" fio_verify /dev/mapper/ml 2
t_ok "1: gen 1 after 8 MiB through the cancelled device" \
    fio_readverify /dev/mapper/ml 1 --offset=8M --size=$((BAD * 512 - 8388608))
t_ok "1: remove ml" dm_remove ml

# ======== 2: the scanning copy (sparse) hits the bad region =====
t_ok "2: source gen 1 again (first 8 MiB)" fio_write /dev/ram0 1 --rw=write --size=8M
t_ok "2: zero the destination" zero_dev /dev/ram1
kmsg part2
t_ok "2: mirror mls -> ram1, sparse" dm_create ml "0 $S mirrorlive /dev/mapper/mls 0 /dev/ram1 0 1 sparse"
t_ok "2: copy fails" dm_wait_phase ml failed 60
t_eq "2: failed, one source error, source_read_error" "$(ml_errs ml)" "failed 0 1 source_read_error"
c=$(ml_copied ml)
t_num "2: every region before the bad one copied" "$c" -ge $REG0
t_num "2: the bad region not counted" "$c" -le $((S - 1024))
t_eq "2: one failure message" "$(klog_count part2 'copy failed \(source_read_error\)')" 1
t_ok "2: destination holds the regions before the bad one" \
    fio_readverify /dev/ram1 1 --size=$((REG0 * 512))
t_ok "2: guest reads of the good parts" readverify_good /dev/mapper/ml
t_ok "2: remove ml" dm_remove ml

# ======== 3: guest read error while paused =====
t_ok "3: mirror created paused" dm_create ml "0 $S mirrorlive /dev/mapper/mls 0 /dev/ram1 0 1 paused"
t_fail "3: guest read of the bad block fails" read_blk /dev/mapper/ml $BADBLK
t_eq "3: counted, but the mirror stays paused with no reason" "$(ml_errs ml)" "paused 0 1 -"
t_ok "3: resume_copy" dmsetup message ml 0 resume_copy
t_ok "3: copy fails" dm_wait_phase ml failed 60
t_eq "3: failed, source_read_error" "$(ml_errs ml)" "failed 0 2 source_read_error"
t_ok "3: remove ml" dm_remove ml
t_ok "remove mls" dm_remove mls

finish
