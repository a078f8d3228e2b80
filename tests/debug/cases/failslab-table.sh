#!/bin/sh
# check-debug only: every slab allocation of a mirrorlive table load and of
# its first resume made to fail in turn (failslab through fail-nth, by
# tests/debug/failnth.c), for tables with and without feature arguments.
# Each failure must be refused cleanly (no table left behind, a failed
# resume can be retried), a device must remove, and nothing may leak
# (kmemleak, checked at finish) or warn (lockdep, KASAN, debug objects).
# Afterwards a mirror still copies 16 MiB correctly.
# Needs CONFIG_FAILSLAB and CONFIG_FAULT_INJECTION_DEBUG_FS.
# timeout: 900
. /tests/lib.sh
setup

FS=/sys/kernel/debug/failslab
if [ ! -d "$FS" ]; then
    t_skip "failslab over table creation" "no $FS: a kernel without CONFIG_FAILSLAB"
    finish
fi
FAILNTH=$(command -v ml-failnth) || t_abort "no ml-failnth in the image (tests/debug/run.sh builds it)"

t_ok "brd: 2 x 16 MiB" brd_setup 2 16
S=$(dev_sectors /dev/ram0)
SD="/dev/ram0 0 /dev/ram1 0"

# fail-nth decides which call fails; the attributes only have to let a
# GFP_KERNEL allocation fail and keep the log quiet.
t_ok "failslab: sleeping allocations may fail, quietly" sh -c "
    echo N > $FS/ignore-gfp-wait &&
    echo 0 > $FS/verbose &&
    echo 0 > $FS/probability &&
    echo N > $FS/task-filter"

# run_points MODE TABLE: one TAP test per line of ml-failnth's summary.
run_points() {
    _d="$1: $3"
    if "$FAILNTH" "$1" fs "0 $S mirrorlive $SD $2" > "$T_TMP/points" 2>&1; then
        _sum=$(tail -n1 "$T_TMP/points")
        t_pass "$_d: ${_sum#ml-failnth: }"
        _inj=$(echo "$_sum" | sed -n 's/.*: \([0-9]*\) points injected.*/\1/p')
        t_num "$_d: some allocation was failed" "${_inj:-0}" -gt 0
    else
        t_notok "$_d" "ml-failnth exit status $?"
        grep 'FAIL' "$T_TMP/points" | head -n 20 | while IFS= read -r _l; do diag "$_l"; done
        tail -n 3 "$T_TMP/points" | while IFS= read -r _l; do diag "$_l"; done
    fi
    dmsetup remove fs > /dev/null 2>&1
    return 0
}

# Each refused load logs two lines; on the serial console they would cost
# more than the loads.  The ring buffer still gets them for finish's check.
dmesg -n 1
run_points load "" "no features"
run_points load "6 region_size 8 max_copy_kbps 100 sparse paused" "4 KiB regions, rate, sparse, paused"
run_points load "2 dest_zeroed nosync" "dest_zeroed, nosync"
run_points resume "" "no features"
run_points resume "1 paused" "paused"
dmesg -n 4

# the module still does its job
t_ok "fill the source" dd if=/dev/urandom of=/dev/ram0 bs=1M count=16 oflag=direct
t_ok "create ml" dm_create ml "0 $S mirrorlive $SD"
t_ok "ml: ready" dm_wait_phase ml ready 120
t_eq "destination equals the source" "$(dd if=/dev/ram1 bs=1M iflag=direct 2>/dev/null | md5sum)" "$(dd if=/dev/ram0 bs=1M iflag=direct 2>/dev/null | md5sum)"
t_ok "remove ml" dmsetup remove ml

finish
