#!/bin/sh
# Small unaligned writes aimed at the region being copied
# (Documentation/interface.rst, invariants 1-3): the copy is throttled
# (128 KiB/s, 64 KiB regions, so 2 regions a second) and the destination is
# a dm-delay device with a 300 ms write delay, so that each region stays
# locked by its copy for ~300 ms of every ~500 ms.  A loop reads the copy
# position (status field 2) before every pair of writes, takes R = copied /
# region_size as the region being copied next, and writes 512 B - 4 KiB at
# any sector offset in [R*128 - 32, (R+2)*128), i.e. into R, R+1, across the
# R/R+1 boundary and into the tail of R-1 (already copied), with O_DIRECT
# dd, one write() per dd.  Every write has its own content and is applied
# to a third "reference" disk that starts as a copy of the source.  At
# ready: source == reference (every write landed once and whole, also those
# split at region boundaries and those deferred on a region lock),
# destination == source (no copy overwrote a newer write, no mirrored write
# was lost), and no write hung (bounded loop, dm_wait_phase with a timeout).
# Round 2 does the same with 4 KiB regions (region_size 8, 8 KiB/s), where
# most writes cross a region boundary.
# The write latencies are classified (diagnostics only): < delay/2 went to
# the source only; longer ones were mirrored; >= 1.5 x delay most likely
# waited for a region's copy (deferred) and then were mirrored.
# timeout: 150
. /tests/lib.sh
setup

# ---- helpers local to this case ----

# lcg: next pseudo-random number in RND (reproducible from the seed).
lcg() { RND=$(((RND * 1103515245 + 12345) % 2147483648)); }

# make_pool FILE SECTORS: SECTORS distinct 512-byte sectors (sector s is
# "%07d\n" of s, 64 times): the content of write n is taken from it.
make_pool() {
    awk -v n="$2" 'BEGIN { for (s = 0; s < n; s++) { l = sprintf("%07d\n", s + 1000000);
        for (i = 0; i < 64; i++) printf "%s", l } }' > "$1"
}

# put DEV SECTOR COUNT POOLSECTOR: one O_DIRECT write() of COUNT sectors
# from the pool at POOLSECTOR to DEV at SECTOR.
put() {
    dd if="$POOL" of="$1" bs=$(($3 * 512)) count=1 \
        iflag=skip_bytes skip=$(($4 * 512)) \
        oflag=direct,seek_bytes seek=$(($2 * 512)) conv=notrunc 2>/dev/null
}

# hammer NAME LEN REGION MAXSECS: the write loop described above, while NAME
# is copying (at most MAXSECS seconds).  Sets WRITES, WFAIL, BATCHES and
# the latency classes FAST, MID, LONG.
hammer() {
    _name=$1 _len=$2 _rs=$3
    _deadline=$(($(ms_now) + $4 * 1000))
    WRITES=0 WFAIL=0 BATCHES=0 FAST=0 MID=0 LONG=0
    while :; do
        _st=$(dm_status "$_name")
        case "$_st" in copying*) ;; *) break ;; esac
        [ "$(ms_now)" -ge "$_deadline" ] && { echo "hammer: deadline reached: $_st"; return 1; }
        _p=$(echo "$_st" | cut -d' ' -f2)
        _r=$((${_p%/*} / _rs))
        BATCHES=$((BATCHES + 1))
        for _j in 1 2; do
            lcg; _k=$((RND % 8 + 1))
            lcg; _off=$((_r * _rs - _rs / 4 + RND % (2 * _rs + _rs / 4 - _k + 1)))
            [ $_off -lt 0 ] && _off=0
            [ $((_off + _k)) -gt "$_len" ] && _off=$((_len - _k))
            _ps=$((WRITES * 8 % (POOL_SECTORS - 8)))
            _t0=$(ms_now)
            if ! put "/dev/mapper/$_name" $_off $_k $_ps; then
                echo "write $WRITES failed: $_k sectors at $_off"
                WFAIL=$((WFAIL + 1))
            fi
            _t1=$(ms_now)
            _dt=$((_t1 - _t0))
            if [ $_dt -lt $((DELAY_MS / 2)) ]; then FAST=$((FAST + 1))
            elif [ $_dt -lt $((DELAY_MS * 3 / 2)) ]; then MID=$((MID + 1))
            else LONG=$((LONG + 1)); fi
            put "$REF" $_off $_k $_ps || { echo "reference write failed"; WFAIL=$((WFAIL + 1)); }
            WRITES=$((WRITES + 1))
        done
    done
    echo "hammer: $WRITES writes in $BATCHES batches, $WFAIL failed;" \
        "latency < $((DELAY_MS / 2)) ms: $FAST, < $((DELAY_MS * 3 / 2)) ms: $MID, longer: $LONG"
}

DELAY_MS=300
POOL=$T_TMP/pool
POOL_SECTORS=4096
REF=/dev/ram2
RND=$(($(ms_now) % 65536 + 1))
diag "random seed $RND"

t_ok "brd: 3 x 8 MiB (source, destination, reference)" brd_setup 3 8
S=$(dev_sectors /dev/ram0)
t_ok "write pool of $POOL_SECTORS distinct sectors" make_pool "$POOL" $POOL_SECTORS
t_ok "dm-delay over the destination, writes +$DELAY_MS ms" \
    dm_create dly "0 $S delay /dev/ram1 0 0 /dev/ram1 0 $DELAY_MS"

# run_round N LEN REGION KBPS
run_round() {
    RN=$1 L=$2 RS=$3
    diag "round $RN: $L sectors, region_size $RS, max_copy_kbps $4"
    t_ok "$RN: source: gen $RN on every block" fio_write /dev/ram0 "$RN" --size=$((L * 512))
    t_ok "$RN: reference = source" dd if=/dev/ram0 of=$REF bs=1M iflag=direct oflag=direct
    t_ok "$RN: zero the destination" zero_dev /dev/ram1
    t_ok "$RN: create ml" dm_create ml "0 $L mirrorlive /dev/ram0 0 /dev/mapper/dly 0 4 region_size $RS max_copy_kbps $4"
    t_ok "$RN: unaligned writes at the copy position" hammer ml "$L" "$RS" 60
    t_eq "$RN: every write succeeded" "$WFAIL" 0
    t_num "$RN: enough writes ($WRITES)" "$WRITES" -ge 20
    diag "$RN: write latencies: $FAST fast, $MID mirrored, $LONG deferred+mirrored (by latency)"
    t_ok "$RN: ready (no write or copy stuck)" dm_wait_phase ml ready 30
    t_eq "$RN: errors and reason" "$(dm_status_field ml dest_errors) $(dm_status_field ml source_errors) $(dm_status_field ml reason)" "0 0 -"
    t_num "$RN: some writes were mirrored" "$(dm_status_field ml mirrored_writes)" -gt 0
    t_ok "$RN: source == reference" same_content /dev/ram0 $REF "$L"
    t_ok "$RN: destination == source" same_content /dev/ram1 /dev/ram0 "$L"
    t_ok "$RN: remove ml" dm_remove ml
}

# round 1: 2 MiB, 64 KiB regions, 2 regions/s: ~16 s
run_round 1 4096 128 128
# round 2: 128 KiB, 4 KiB regions, 2 regions/s: ~16 s
run_round 2 256 8 8

t_ok "remove dly" dm_remove dly
finish
