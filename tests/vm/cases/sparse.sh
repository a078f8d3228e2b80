#!/bin/sh
# "sparse" and "dest_zeroed" onto a dm-thin destination
# (Documentation/interface.rst section 1.2, status field 6 zero_regions).
#
# Source: 256 MiB of brd, 512 regions of 512 KiB, in 52 groups of 10
# regions (5 MiB; the last group has 2 regions).  The first region of each
# group holds data in its first 256 KiB and in its last 4 KiB, zeroes in
# between (so a scan must look at the whole region); the other regions are
# all-zero.  So 52 regions hold data (10.2%) and 460 are all-zero.
#
# Each run mirrors the source onto a fresh 256 MiB thin volume of a pool
# with 64 KiB blocks, waits for ready, then checks:
#   - the destination's content with one fio run of strided pattern reads:
#     data extents carry the generation pattern with offsets, zero extents
#     pattern 0 (md5 of 256 MiB takes ~20 s under TCG, this ~2 s);
#   - zero_regions (status field 6);
#   - the pool's allocation for the volume (used data blocks, from
#     "dmsetup status pool"), against the volume's 4096 blocks.
# Runs: "1 sparse" and "1 dest_zeroed": 460 zero regions, allocation at
# most 15% (52 regions = 416 blocks = 10.2%); no features: 0 zero regions,
# allocation >= 95%.
# timeout: 240
. /tests/lib.sh
setup

MIB=1048576
NREG=512                  # regions of 512 KiB in 256 MiB
LEN=$((NREG * 1024))      # mirror length in sectors
TBLK=128                  # thin-pool block: 64 KiB
VOL_BLOCKS=$((LEN / TBLK))
GEN=0xa1
K=1024
GRP=$((5 * MIB))          # group stride
NGRP=52

# fio_layout DEV write|verify JOBS KIB: one fio run with a job per kind of extent,
# strided with "rw=<dir>:<hole>" and an exact --number_ios (so nothing
# wraps around).  write: the two data jobs; verify: data and zero jobs.
# Passes when fio and every job report no error, JOBS jobs ran and they
# moved KIB KiB in total.
fio_layout() {
    _dev=$1 _mode=$2 _wantj=$3 _wantkb=$4 _dir=read
    [ "$_mode" = write ] && _dir=write
    _pat=$(fio_pattern "$GEN")
    set -- --filename="$_dev" --size=$((NREG * 512 * K)) --direct=1 --ioengine=psync \
        --thread --output-format=terse --terse-version=3 --verify=pattern
    [ "$_mode" = write ] && set -- "$@" --do_verify=0
    # data: the first 256 KiB of each group, and the last 4 KiB of its region
    set -- "$@" --name=head --rw=$_dir:$((GRP - 256 * K)) --offset=0 --bs=256k \
        --number_ios=$NGRP --verify_pattern="$_pat"
    set -- "$@" --name=tail --rw=$_dir:$((GRP - 4 * K)) --offset=$((508 * K)) --bs=4k \
        --number_ios=$NGRP --verify_pattern="$_pat"
    if [ "$_mode" = verify ]; then
        # zeroes: the middle of each data region, regions 1-9 of each group,
        # and the last region (the last group has only regions 510, 511)
        set -- "$@" --name=mid --rw=read:$((GRP - 252 * K)) --offset=$((256 * K)) \
            --bs=$((252 * K)) --number_ios=$NGRP --verify_pattern=0x00
        set -- "$@" --name=rest --rw=read:$((512 * K)) --offset=$((512 * K)) \
            --bs=$((GRP - 512 * K)) --number_ios=$((NGRP - 1)) --verify_pattern=0x00
        set -- "$@" --name=last --rw=read --offset=$(((NREG - 1) * 512 * K)) \
            --bs=512k --number_ios=1 --verify_pattern=0x00
    fi
    fio "$@" --output="$T_TMP/fio.$_mode"
    _rc=$?
    _jobs=$(grep -c '^3;' "$T_TMP/fio.$_mode")
    _errs=$(grep '^3;' "$T_TMP/fio.$_mode" | cut -d';' -f5 | grep -vc '^0$')
    _kb=$(grep '^3;' "$T_TMP/fio.$_mode" | awk -F';' '{ s += $6 + $47 } END { print s }')
    echo "fio_layout $_dev $_mode: rc=$_rc, $_jobs jobs, $_errs with errors, $_kb KiB"
    [ "$_rc" -eq 0 ] && [ "$_errs" -eq 0 ] && [ "$_jobs" -eq "$_wantj" ] && [ "$_kb" -eq "$_wantkb" ]
}
# KiB each mode moves: data 52 x 260 KiB; all 256 MiB
W_KB=$((NGRP * 260))
V_KB=$((NREG * 512))

# pool_used: used data blocks of the pool
pool_used() { dm_status_field pool 3 | cut -d/ -f1; }

t_ok "brd: 3 x 320 MiB (source, pool metadata, pool data)" brd_setup 3 320
t_ok "source: write the data" fio_layout /dev/ram0 write 2 $W_KB
t_ok "source: verify all 256 MiB" fio_layout /dev/ram0 verify 5 $V_KB
t_fail "the check fails on a destination that lacks the data" fio_layout /dev/ram1 verify 5 $V_KB

t_ok "zero the metadata device's first 4 KiB" dd if=/dev/zero of=/dev/ram1 bs=4096 count=1 oflag=direct
PS=$(dev_sectors /dev/ram2)
t_ok "thin pool, 64 KiB blocks" dm_create pool \
    "0 $PS thin-pool /dev/ram1 /dev/ram2 $TBLK 0 3 skip_block_zeroing no_discard_passdown error_if_no_space"

# run ID FEATURES EXPECT_ZERO_REGIONS MIN_PCT MAX_PCT
run() {
    _id=$1 _feat=$2 _zr=$3 _min=$4 _max=$5
    _tag="thin $_id${_feat:+ ($_feat)}"
    t_ok "$_tag: create_thin" dmsetup message pool 0 "create_thin $_id" || return
    t_ok "$_tag: volume" dm_create thin$_id "0 $LEN thin /dev/mapper/pool $_id" || return
    _u0=$(pool_used)
    _q=/sys/block/dm-$(dmsetup info -c --noheadings -o minor thin$_id | tr -d ' ')/queue
    diag "$_tag: volume write_zeroes_max_bytes $(cat $_q/write_zeroes_max_bytes), discard_max_bytes $(cat $_q/discard_max_bytes)"
    _args=""; [ -n "$_feat" ] && _args=" 1 $_feat"
    t_ok "$_tag: mirror" dm_create ml "0 $LEN mirrorlive /dev/ram0 0 /dev/mapper/thin$_id 0$_args"
    t_ok "$_tag: ready" dm_wait_phase ml ready 90
    t_eq "$_tag: zero_regions" "$(dm_status_field ml zero_regions)" "$_zr"
    t_eq "$_tag: no errors" "$(ml_fields ml dest_errors source_errors reason)" "0 0 -"
    _u1=$(pool_used)
    _blk=$((_u1 - _u0))
    _pct=$((_blk * 100 / VOL_BLOCKS))
    diag "$_tag: pool used $_u0 -> $_u1 data blocks: $_blk of $VOL_BLOCKS ($_pct%)"
    t_num "$_tag: allocation >= $_min%" "$_pct" -ge "$_min"
    t_num "$_tag: allocation <= $_max%" "$_pct" -le "$_max"
    t_ok "$_tag: destination content == source" fio_layout /dev/mapper/thin$_id verify 5 $V_KB
    t_ok "$_tag: remove ml" dm_remove ml
    t_ok "$_tag: remove volume" dm_remove thin$_id
    t_ok "$_tag: delete_thin" dmsetup message pool 0 "delete $_id"
}

run 1 sparse      460 10 15
run 2 dest_zeroed 460 10 15
run 3 ""          0   95 100
t_ok "remove pool" dm_remove pool

# For contrast, "sparse" onto a destination with write-zeroes that
# deallocates: a loop device over a sparse file on tmpfs (loop turns
# write-zeroes without REQ_NOUNMAP into a hole punch).  Allocation is the
# file's allocated blocks.
t_ok "modprobe loop" modprobe loop
t_ok "tmpfs" mount -t tmpfs -o size=300m none /mnt
t_ok "sparse 256 MiB file" truncate -s 256M /mnt/dest.img
LOOP=$(losetup -f)
t_ok "loop device $LOOP" losetup "$LOOP" /mnt/dest.img
diag "loop write_zeroes_max_bytes $(cat /sys/block/${LOOP#/dev/}/queue/write_zeroes_max_bytes)"
t_ok "loop: fill the file (so holes must be punched)" \
    dd if=/dev/zero of="$LOOP" bs=1M count=256 oflag=direct
t_num "loop: file fully allocated" "$(du -k /mnt/dest.img | cut -f1)" -ge $((256 * 1024))
t_ok "loop (sparse): mirror" dm_create ml "0 $LEN mirrorlive /dev/ram0 0 $LOOP 0 1 sparse"
t_ok "loop (sparse): ready" dm_wait_phase ml ready 90
t_eq "loop (sparse): zero_regions" "$(dm_status_field ml zero_regions)" 460
t_ok "loop (sparse): remove ml" dm_remove ml
kb=$(du -k /mnt/dest.img | cut -f1)
pct=$((kb * 100 / (256 * 1024)))
diag "loop (sparse): file allocation $kb KiB ($pct%)"
t_num "loop (sparse): allocation >= 10%" "$pct" -ge 10
t_num "loop (sparse): allocation <= 15%" "$pct" -le 15
t_ok "loop (sparse): destination content == source" fio_layout "$LOOP" verify 5 $V_KB
t_ok "loop: detach" losetup -d "$LOOP"
t_ok "umount tmpfs" umount /mnt

finish
