#!/bin/sh
# Quick IOPS comparison (guest case; uses /tests/lib.sh): 4 KiB random
# writes, QD16, libaio, O_DIRECT, 10 s per run, through
#   A  dm-linear over one leg,
#   B  dm-mirror, 2 legs, core log, in sync from the start (nosync),
#   C  mirrorlive in ready (nosync feature),
# on two backends: brd (2 x 256 MiB, pre-filled so no run pays for page
# allocation) and null_blk (timer completions after 100 us, no memory).
# Runs interleave A B C A B C A B C on each backend; the summary gives the
# median IOPS of each configuration and the ratios mirrorlive/dm-linear and
# mirrorlive/dm-mirror, as "# iops ..." diagnostics.  Compare ratios within
# one run only: TCG numbers are noisy.
#
# run.sh only runs cases from tests/vm/cases; run this one with
# tests/bench/run-quick-iops.sh (copies it there as zz-quick-iops.sh for the
# run and removes it afterwards).
# timeout: 480
. /tests/lib.sh
setup

ROUNDS=${BENCH_ROUNDS:-3}
RUNTIME=${BENCH_RUNTIME:-10}
MIB=256

t_ok "modprobe dm-mirror" modprobe dm-mirror
t_ok "brd: 2 x $MIB MiB" brd_setup 2 $MIB
t_ok "brd: pre-fill both legs" zero_dev /dev/ram0 /dev/ram1
t_ok "null_blk: 2 devices, 100 us timer completions" \
    modprobe null_blk nr_devices=2 irqmode=2 completion_nsec=100000 gb=1
BS=$(dev_sectors /dev/ram0)
NS=$(dev_sectors /dev/nullb0)

# table BACKEND CONFIG: the table of the device under test
table() {
    if [ "$1" = brd ]; then a=/dev/ram0 b=/dev/ram1 s=$BS; else a=/dev/nullb0 b=/dev/nullb1 s=$NS; fi
    case "$2" in
        dm-linear)  echo "0 $s linear $a 0" ;;
        dm-mirror)  echo "0 $s mirror core 2 1024 nosync 2 $a 0 $b 0" ;;
        mirrorlive) echo "0 $s mirrorlive $a 0 $b 0 1 nosync" ;;
    esac
}

# check_sync CONFIG: the device mirrors (dm-mirror: both legs "A"live and in
# sync; mirrorlive: ready, writes mirrored, no errors)
check_sync() {
    case "$1" in
        dm-linear)  return 0 ;;
        dm-mirror)  dmsetup status bench | grep -q ' AA ' ;;
        mirrorlive) set -- $(dm_status bench)
                    [ "$1" = ready ] && [ "$3" -gt 0 ] && [ "$4 $5 $8" = "0 0 -" ] ;;
    esac
}

# measure BACKEND CONFIG ROUND: one 10 s run; appends "BACKEND CONFIG IOPS"
measure() {
    _t="$1 $2 round $3"
    t_ok "$_t: create" dm_create bench "$(table "$1" "$2")" || return
    fio --name=bench --filename=/dev/mapper/bench --rw=randwrite --bs=4k --iodepth=16 \
        --ioengine=libaio --direct=1 --norandommap --randrepeat=0 \
        --runtime="$RUNTIME" --time_based --output-format=terse --terse-version=3 \
        --output="$T_TMP/fio.out" > /dev/null 2>&1
    rc=$?
    iops=$(_fio_field "$T_TMP/fio.out" 49); iops=${iops%.*}
    err=$(_fio_field "$T_TMP/fio.out" 5)
    if [ $rc -eq 0 ] && [ "$err" = 0 ] && [ "$iops" -gt 0 ]; then
        t_pass "$_t: $iops IOPS"
        echo "$1 $2 $iops" >> "$T_TMP/results"
    else
        t_notok "$_t: fio" "rc=$rc error=$err iops=$iops"
    fi
    t_ok "$_t: mirrored and in sync after the run" check_sync "$2"
    t_ok "$_t: remove" dm_remove bench
}

: > "$T_TMP/results"
r=1
while [ $r -le "$ROUNDS" ]; do
    for be in brd null_blk; do
        for cfg in dm-linear dm-mirror mirrorlive; do
            measure $be $cfg $r
        done
    done
    r=$((r + 1))
done

# median BACKEND CONFIG
median() {
    awk -v b="$1" -v c="$2" '$1 == b && $2 == c { print $3 }' "$T_TMP/results" | sort -n |
        awk '{ v[NR] = $1 } END { if (NR) print (NR % 2 ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2)); else print 0 }'
}
diag "iops: 4 KiB randwrite QD16, ${RUNTIME} s runs, median of $ROUNDS (all runs: backend config IOPS)"
while read -r l; do diag "iops run: $l"; done < "$T_TMP/results"
diag "$(printf 'iops %-9s %10s %10s %10s %10s %10s' backend dm-linear dm-mirror mirrorlive ml/linear ml/mirror)"
for be in brd null_blk; do
    a=$(median $be dm-linear) b=$(median $be dm-mirror) c=$(median $be mirrorlive)
    diag "$(awk -v be="$be" -v a="$a" -v b="$b" -v c="$c" 'BEGIN {
        printf "iops %-9s %10d %10d %10d %10.2f %10.2f", be, a, b, c, (a ? c / a : 0), (b ? c / b : 0) }')"
done
t_eq "every run measured" "$(wc -l < "$T_TMP/results" | tr -d ' ')" $((ROUNDS * 6))

finish
