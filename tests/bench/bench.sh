#!/bin/sh
# make bench, guest side (runs as a VM-lane case; uses /tests/lib.sh):
# dm-mirrorlive side by side with dm-linear, dm-mirror and dm-raid (B1, B2),
# figures B1..B10 of
# Documentation/performance.md, in one boot.
#
# Every measurement prints one raw record on the TAP log,
#   # benchrec <figure> <series> <metric> <unit> <round> <value>
# and tests/bench/report.py turns them into min/median/max, the targets,
# JSON and a plot.  The TAP tests only say that each measurement ran and
# that the device under test was in the state it claims (in sync, ready,
# copying): a slow figure never fails.
#
# Rounds interleave the configurations (A B C A B C ...) so machine drift
# hits all of them alike.  Kernel command line knobs (tests/bench/run.sh
# passes its environment through MLTEST_APPEND):
#   bench_rounds=N    rounds per figure (default 3)
#   bench_runtime=S   seconds per fio run in B1/B2 (default 8)
#   bench_mib=M       size of the B3..B5, B8 source in MiB (default 1024)
#   bench_only=B1,B4  only these figures
# timeout: 3000
. /tests/lib.sh
setup

ROUNDS=3 RUNTIME=8 MIB=1024 ONLY=""
for p in $(cat /proc/cmdline); do
    case "$p" in
        bench_rounds=*)  ROUNDS=${p#*=} ;;
        bench_runtime=*) RUNTIME=${p#*=} ;;
        bench_mib=*)     MIB=${p#*=} ;;
        bench_only=*)    ONLY=${p#*=} ;;
    esac
done

# wanted FIGURE: FIGURE is selected
wanted() { [ -z "$ONLY" ] || case ",$ONLY," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }

# rec FIGURE SERIES METRIC UNIT ROUND VALUE: one raw record
rec() { diag "benchrec $*"; }

# ms_since T0: milliseconds since T0 (ms_now)
ms_since() { echo $(($(ms_now) - $1)); }

# secs MS: MS milliseconds as seconds with 3 decimals
secs() { awk -v m="$1" 'BEGIN { printf "%.3f", m / 1000 }'; }

# dm_writes NAME: writes completed on dm device NAME (/sys/block/dm-N/stat)
dm_writes() {
    _n=$(dmsetup info -c --noheadings -o minor "$1" | tr -d ' ')
    set -- $(cat "/sys/block/dm-$_n/stat")
    echo "$5"
}

# dev_writes DEV: writes completed on block device DEV (its sysfs stat)
dev_writes() {
    set -- $(cat "/sys/dev/block/$(devno "$1")/stat")
    echo "$5"
}

# meta_sectors LEN: the smallest metadata device for a mirror of LEN
# sectors in 512 KiB regions, in sectors: 4096 * (2 + 2 * B) bytes with
# B = ceil(regions / 32512) (Documentation/metadata-format.rst, 2)
meta_sectors() {
    awk -v s="$1" 'BEGIN { r = int((s + 1023) / 1024); b = int((r + 32511) / 32512)
                           print 8 * (2 + 2 * b) }'
}

# meta_zero META: zero both superblock slots, so that the next table
# formats META afresh (what mirrorctl start --force does): no run takes up
# the record of the one before, which would have nothing left to copy
meta_zero() { dd if=/dev/zero of="$1" bs=4096 count=2 oflag=direct 2> /dev/null; }

# meta_clean META: after a clean removal the record on META is clean and
# has every region copied and none dirty (mirrorctl metadata --json)
meta_clean() {
    _j=$(mirrorctl metadata "$1" --json) || return 1
    echo "$_j"
    _r=$(echo "$_j" | sed -n 's/.*"regions":\([0-9]*\).*/\1/p')
    case "$_j" in *'"clean":true'*) ;; *) return 1 ;; esac
    case "$_j" in *'"dirty_regions":0,'*) ;; *) return 1 ;; esac
    case "$_j" in *"\"copied_regions\":$_r,"*) ;; *) return 1 ;; esac
}

t_ok "modprobe dm-mirror, dm-zero, dm-thin-pool" modprobe -a dm-mirror dm-zero dm-thin-pool
# ram0 source, ram1 destination, ram2 + ram3 a thin pool's data and
# metadata (B5); pages are allocated once up front, so no run pays for it.
# ram4 holds the metadata device of mirrorlive+meta (B1, B4): brd
# allocates a page when it is first written, so it costs those 16 KiB.
t_ok "brd: 5 x $MIB MiB" brd_setup 5 "$MIB"
t_ok "null_blk: 2 devices, 100 us timer completions" \
    modprobe null_blk nr_devices=2 irqmode=2 completion_nsec=100000 gb=1
# B1 also runs on these, where the device's latency, not the TCG guest's
# CPU, bounds IOPS (16 in flight / 1 ms = 16000 IOPS at most)
SLOW0=/dev/slow0 SLOW1=/dev/slow1
for _n in slow0 slow1; do
    t_ok "null_blk $_n: 1 GiB, 1 ms completions" nullb $_n size=1024 irqmode=2 completion_nsec=1000000
done
SRC=/dev/ram0 DST=/dev/ram1
S=$(dev_sectors $SRC)
NS=$(dev_sectors /dev/nullb0)
# The metadata devices of mirrorlive+meta (feature "metadata <dev>"): one
# per backend, of the legs' kind and latency.  brd keeps no I/O counters
# (a bio driver without accounting), so its metadata device is a dm-linear
# of exactly the size rule over ram4, whose dm stat counts the writes.
# null_blk's are memory_backed: the target reads the record back at the
# first resume, and a null_blk without memory hands back whatever the
# buffer held, not the blocks written; 1 MiB, null_blk's smallest size.
t_ok "brd metadata: dm-linear of $(meta_sectors "$S") sectors over ram4" \
    dm_create benchmeta "0 $(meta_sectors "$S") linear /dev/ram4 0"
for _n in "nbmeta 100000" "slowmeta 1000000"; do
    set -- $_n
    t_ok "null_blk $1: 1 MiB, memory backed, $(($2 / 1000)) us completions" \
        nullb "$1" size=1 memory_backed=1 irqmode=2 completion_nsec="$2"
done
BMETA=/dev/mapper/benchmeta
# B3/B4's mirrorlive+yield: min_copy_kbps, the copy's rate while the
# guest writes (64 MiB/s; report.py's B3-yield-min target says the same)
YIELD_KBPS=65536
# dm-raid's metadata devices for B3/B4's resync (lvconvert -m1 makes
# them: without one, dm-raid takes a new raid1 as in sync and copies
# nothing, even with "sync"): 4 MiB each at the end of ram4
RMETA_SECTORS=8192
for _i in 0 1; do
    t_ok "dm-raid metadata rmeta$_i: 4 MiB at the end of ram4" dm_create "rmeta$_i" \
        "0 $RMETA_SECTORS linear /dev/ram4 $(($(dev_sectors /dev/ram4) - (2 - _i) * RMETA_SECTORS))"
done
diag "benchinfo kernel $(uname -r)"
diag "benchinfo guest $(grep -c ^processor /proc/cpuinfo) vCPU, $(awk '/MemTotal/ { print int($2 / 1024) }' /proc/meminfo) MiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
diag "benchinfo method rounds=$ROUNDS runtime=${RUNTIME}s source=${MIB}MiB brd; null_blk 100us (B1 also 1 ms); fio libaio O_DIRECT; mirrorlive+meta: metadata on dm-linear over brd, memory-backed null_blk"
# fill SRC with data (B3, B4, B6 copy it) and DST so its pages exist
t_ok "fill the source with data" fio --name=fill --filename=$SRC --rw=write --bs=1M \
    --ioengine=libaio --iodepth=4 --direct=1 --buffer_compress_percentage=0 \
    --refill_buffers=0 --output=/dev/null
t_ok "allocate the destination" zero_dev $DST

# ------------------------------------------------------------ B1 and B2 ---

# table BACKEND CONFIG: the device under test; dm-mirror, dm-raid and
# mirrorlive start in sync (nosync) so these figures are the steady state.
# dm-raid is md's raid1 as lvconvert --type raid1 -m1 builds it, without
# metadata devices ("-"), 512 KiB regions like the others.
table() {
    case "$1" in
        brd)          a=$SRC b=$DST s=$S ;;
        null_blk)     a=/dev/nullb0 b=/dev/nullb1 s=$NS ;;
        null_blk-1ms) a=$SLOW0 b=$SLOW1 s=$NS ;;
    esac
    case "$2" in
        dm-linear)  echo "0 $s linear $a 0" ;;
        dm-mirror)  echo "0 $s mirror core 2 1024 nosync 2 $a 0 $b 0" ;;
        dm-raid)    echo "0 $s raid raid1 4 0 nosync region_size 1024 2 - $a - $b" ;;
        mirrorlive) echo "0 $s mirrorlive $a 0 $b 0 1 nosync" ;;
        mirrorlive+meta) echo "0 $s mirrorlive $a 0 $b 0 3 nosync metadata $(meta_dev "$1")" ;;
    esac
}

# meta_dev BACKEND: the metadata device of mirrorlive+meta on BACKEND
meta_dev() {
    case "$1" in
        brd)          echo $BMETA ;;
        null_blk)     echo /dev/nbmeta ;;
        null_blk-1ms) echo /dev/slowmeta ;;
    esac
}

# in_sync CONFIG DEV: dm-mirror has both legs alive and in sync, mirrorlive
# is ready with writes mirrored and no errors
in_sync() {
    case "$1" in
        dm-linear)  return 0 ;;
        dm-mirror|dm-raid)  dmsetup status "$2" | grep -q ' AA ' ;;
        mirrorlive|mirrorlive+meta)
            [ "$(ml_fields "$2" phase dest_errors source_errors reason)" = "ready 0 0 -" ] ;;
    esac
}

# fio_bench OUT ARGS...: one fio run on /dev/mapper/bench, terse v3 to OUT
fio_bench() {
    _o=$1; shift
    fio --name=bench --filename=/dev/mapper/bench --ioengine=libaio --direct=1 \
        --norandommap --randrepeat=0 --output-format=terse --terse-version=3 \
        --output="$_o" "$@" > /dev/null 2>&1
}

# workload FIGURE METRIC: fio options, terse field and scale of a workload
workload() {
    case "$1" in
        randwrite_iops) echo "--rw=randwrite --bs=4k --iodepth=16 49 1" ;;
        randread_iops)  echo "--rw=randread --bs=4k --iodepth=16 8 1" ;;
        seqwrite_mibps) echo "--rw=write --bs=128k --iodepth=8 48 1024" ;;
    esac
}

# WARMUP: seconds of the B1 workload run, unrecorded, before the measured
# run of every configuration, so that B1 is the steady state of a mirror in
# ready: a persistent mirror's fresh record has every region clean, and
# the first write to each region waits for its write-intent block (the
# transient a guest pays once, not per write). Under 2 s of random writes
# every region of B1's devices is written many times, and none is idle
# long enough (two 5 s sweeps) for its bit to be cleared in the run.
WARMUP=2

# cpu_busy: busy clock ticks of all CPUs so far (/proc/stat: user, nice,
# system, irq, softirq, steal; USER_HZ is 100 on x86, a tick 10 ms)
cpu_busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }

# steady FIGURE METRIC BACKEND CONFIG ROUND: one run of a workload; B1
# also records the guest CPU time per write (cpu_us_per_write: busy time
# of both vCPUs over the measured run, divided by the writes); for
# mirrorlive+meta also the writes its metadata device completed during the
# measured run, per second (meta_writes_per_s: in the steady state, the
# commits of the copied bitmap and write-intent blocks of regions not yet
# marked)
steady() {
    _t="$1 $3/$4 $2 round $5"
    _meta=""
    [ "$4" = mirrorlive+meta ] && _meta=$(meta_dev "$3")
    set -- "$@" $(workload "$2")
    if [ -n "$_meta" ]; then
        t_ok "$_t: zero the metadata device's superblocks" meta_zero "$_meta" || return
    fi
    t_ok "$_t: create" dm_create bench "$(table "$3" "$4")" || return
    if [ -n "$_meta" ]; then
        t_like "$_t: the table has the metadata device" "$(dm_table bench)" \
            " metadata $(devno "$_meta")\$"
        mw0=$(dev_writes "$_meta")
    fi
    if [ "$1" = B1 ]; then
        fio_bench "$T_TMP/warm.out" $6 $7 $8 --runtime="$WARMUP" --time_based
        t_eq "$_t: warm-up without errors" "$(_fio_field "$T_TMP/warm.out" 5)" 0
    fi
    if [ -n "$_meta" ]; then
        # every region started clean (a fresh record): the first write to
        # each must have written its write-intent block
        t_ok "$_t: the warm-up wrote write-intent blocks" [ "$(dev_writes "$_meta")" -gt "$mw0" ]
        mw0=$(dev_writes "$_meta")
        mt0=$(ms_now)
    fi
    _c0=$(cpu_busy)
    fio_bench "$T_TMP/fio.out" $6 $7 $8 --runtime="$RUNTIME" --time_based
    rc=$?
    _c1=$(cpu_busy)
    if [ -n "$_meta" ]; then
        mw=$(($(dev_writes "$_meta") - mw0))
        mms=$(ms_since "$mt0")
    fi
    v=$(_fio_field "$T_TMP/fio.out" "$9")
    v=$(awk -v v="$v" -v d="${10}" 'BEGIN { printf "%.1f", v / d }')
    err=$(_fio_field "$T_TMP/fio.out" 5)
    if [ $rc -eq 0 ] && [ "$err" = 0 ] && [ "${v%.*}" -gt 0 ]; then
        t_pass "$_t: $v"
        rec "$1" "$3/$4" "$2" "$(echo "$2" | sed 's/.*_iops/IOPS/; s/.*_mibps/MiB\/s/')" "$5" "$v"
        [ "$1" = B1 ] && rec B1 "$3/$4" cpu_us_per_write us "$5" \
            "$(awk -v t=$((_c1 - _c0)) -v v="$v" -v s="$RUNTIME" 'BEGIN { printf "%.1f", t * 10000 / (v * s) }')"
        if [ -n "$_meta" ]; then
            t_pass "$_t: $mw metadata writes in $mms ms"
            rec "$1" "$3/$4" meta_writes_per_s writes/s "$5" \
                "$(awk -v w="$mw" -v m="$mms" 'BEGIN { printf "%.1f", w * 1000 / m }')"
        fi
    else
        t_notok "$_t: fio" "rc=$rc error=$err value=$v"
    fi
    t_ok "$_t: in sync after the run" in_sync "$4" bench
    t_ok "$_t: remove" dm_remove bench
    if [ -n "$_meta" ]; then
        t_ok "$_t: the record is clean, all copied, none dirty" meta_clean "$_meta"
    fi
}

for fig in B1 B2; do
    wanted $fig || continue
    metrics=randwrite_iops backends="brd null_blk null_blk-1ms"
    [ $fig = B2 ] && metrics="randread_iops seqwrite_mibps" backends="brd null_blk"
    r=1
    while [ $r -le "$ROUNDS" ]; do
        for m in $metrics; do
            for be in $backends; do
                cfgs="dm-linear dm-mirror dm-raid mirrorlive"
                [ $fig = B1 ] && cfgs="$cfgs mirrorlive+meta"
                for cfg in $cfgs; do
                    steady $fig $m $be $cfg $r
                done
            done
        done
        r=$((r + 1))
    done
done

# ------------------------------------------------------- B3, B4 and B8 ---

# verify_wait DEV [TIMEOUT=600]: wait on dm events until the verify pass
# of mirrorlive DEV has ended (the target raises one when a pass ends by
# itself); the event counter is read before the status, so the end is
# never missed.  "-" counts as not ended: a pass just started.
verify_wait() {
    _vdl=$(($(ms_now) + ${2:-600} * 1000))
    while :; do
        _vev=$(dmsetup info -c --noheadings -o events "$1" | tr -d ' ')
        _vst=$(dm_status_field "$1" verify_state)
        case "$_vst" in -|verifying|repairing) ;; *) return 0 ;; esac
        _vleft=$(((_vdl - $(ms_now) + 999) / 1000))
        if [ "$_vleft" -le 0 ] || [ -z "$_vev" ]; then
            echo "verify state '$_vst' after ${2:-600} s"; return 1
        fi
        timeout "$_vleft" dmsetup wait "$1" "$_vev" > /dev/null 2>&1
    done
}

# verify_run MODE ROUND: B8, one verify pass over the ready mirrorlive
# device bench (all of SRC copied onto DST), from the message to the pass's
# end; MODE load: under copy_run's writer, whose IOPS over exactly that
# window it records too.  The pass must end done, every copied region
# compared (all of them: the mirror is ready) and none mismatched: the legs
# are equal, so a mismatch would be a false one.
verify_run() {
    _vt="B8 $1/verify round $2"
    _vnr=$(((S + 1023) / 1024))	# copy_table's default 512 KiB regions
    _vw0=$(dm_writes bench)
    _vt0=$(ms_now)
    if ! dmsetup message bench 0 verify start; then
        t_notok "$_vt: verify start"; return
    fi
    _vwhy=$(verify_wait bench)
    _vrc=$?
    _vms=$(ms_since "$_vt0")
    _vw1=$(dm_writes bench)
    _vf=$(ml_fields bench verify_state verify_progress verify_mismatched verify_repaired)
    if [ $_vrc -ne 0 ]; then
        t_notok "$_vt: the pass ended" "$_vwhy"
        dmsetup message bench 0 verify stop
        return
    fi
    if t_eq "$_vt: done in $_vms ms, every region compared, none mismatched" \
            "$_vf" "done $_vnr/$_vnr 0 0"; then
        rec B8 "$1/verify" verify_time_s s "$2" "$(secs "$_vms")"
        rec B8 "$1/verify" mibps MiB/s "$2" \
            "$(awk -v n="$_vnr" -v m="$_vms" 'BEGIN { printf "%.1f", n * 512 * 1000 / 1024 / m }')"
        [ "$1" = load ] && rec B8 "$1/verify" randwrite_iops IOPS "$2" \
            "$(awk -v w=$((_vw1 - _vw0)) -v m="$_vms" 'BEGIN { printf "%.1f", w * 1000 / m }')"
    fi
    t_eq "$_vt: still ready, no errors" "$(ml_errs bench)" "ready 0 0 -"
}

# raid_table SRC DST: dm-raid's raid1 over SRC and DST with fresh
# metadata devices (rmeta0, rmeta1 zeroed), 512 KiB regions: a full
# resync (B3, B4)
raid_table() {
    dd if=/dev/zero of=/dev/mapper/rmeta0 bs=1M count=4 oflag=direct 2>/dev/null &&
        dd if=/dev/zero of=/dev/mapper/rmeta1 bs=1M count=4 oflag=direct 2>/dev/null &&
        echo "0 $(dev_sectors "$1") raid raid1 3 0 region_size 1024 2 /dev/mapper/rmeta0 $1 /dev/mapper/rmeta1 $2"
}

# raid_wait DEV [TIMEOUT=600]: until dm-raid DEV is in sync ("AA", the
# ratio complete, idle).  md raises no dm event at the end of a resync,
# so this polls its status every 50 ms (the bench's resolution for it).
raid_wait() {
    _rdl=$(($(ms_now) + ${2:-600} * 1000))
    while :; do
        # 0 LEN raid raid1 2 HEALTH SYNCED/TOTAL ACTION ...
        # shellcheck disable=SC2046 # (split into fields on purpose)
        set -- "$1" "${2:-600}" $(dmsetup status "$1")
        # health: A in sync, a alive and resyncing, D dead
        case "${8:-}" in *[!Aa]*|'') echo "dm-raid: $*"; return 1 ;; esac
        case "$8" in *a*) ;; *) [ "${9%/*}" = "${9#*/}" ] && [ "${10:-}" = idle ] && return 0 ;; esac
        [ "$(ms_now)" -lt $_rdl ] || { echo "dm-raid: not in sync in $2 s"; return 1; }
        sleep 0.05
    done
}

# copy_run MODE CONFIG ROUND: the time from the mirror table going live to
# in sync; MODE load runs the B3 writer through it and records its IOPS
# over exactly that window, plus the copy's rate.  With B8, mirrorlive's
# runs go on with a verify pass once ready (verify_run), idle ones also
# record the copy's rate (B8 idle/copy).  CONFIG mirrorlive+meta
# is the default mirrorlive table with "metadata" on ram4 (formatted
# afresh at its resume, so inside the time measured).
copy_run() {
    _t="B4 $1/$2 round $3"
    _k=${2%+*}
    if [ "$_k" = dm-raid ]; then
        _tbl=$(raid_table $SRC $DST)
    else
        _tbl=$(copy_table "$_k" $SRC $DST)
    fi
    if [ "$2" = mirrorlive+meta ]; then
        _tbl="$_tbl 2 metadata $BMETA"
        t_ok "$_t: zero the metadata device's superblocks" meta_zero $BMETA || return
    fi
    [ "$2" = mirrorlive+yield ] && _tbl="$_tbl 2 min_copy_kbps $YIELD_KBPS"
    t_ok "$_t: linear device over the source" dm_create bench "0 $S linear $SRC 0" || return
    if [ "$1" = load ]; then
        # the writer is the B1 workload on the top device
        fio --name=load --filename=/dev/mapper/bench --rw=randwrite --bs=4k --iodepth=16 \
            --ioengine=libaio --direct=1 --norandommap --randrepeat=0 --time_based \
            --runtime=3600 --output-format=terse --terse-version=3 \
            --output="$T_TMP/load.out" > /dev/null 2>&1 &
        _fp=$!
        # started when the device sees writes (counts, not time)
        _w=0; _i=0
        while [ "$_w" -lt 1000 ] && [ $_i -lt 300 ]; do
            sleep 0.1; _w=$(dm_writes bench); _i=$((_i + 1))
        done
        t_ok "$_t: the writer runs" [ "$_w" -ge 1000 ]
    fi
    dm_load bench "$_tbl" && dmsetup suspend bench || { t_fail "$_t: load"; return; }
    w0=$(dm_writes bench)
    t0=$(ms_now)
    dmsetup resume bench
    if [ "$_k" = dm-raid ]; then
        _why=$(raid_wait bench)
    else
        _why=$(copy_wait "$_k" bench)
    fi
    rc=$?
    ms=$(ms_since "$t0")
    w1=$(dm_writes bench)
    if [ $rc -eq 0 ]; then
        t_pass "$_t: in sync after $ms ms"
        rec B4 "$1/$2" time_to_ready_s s "$3" "$(secs "$ms")"
        if [ "$2" = mirrorlive ] && wanted B8; then
            [ "$1" = idle ] && rec B8 idle/copy mibps MiB/s "$3" \
                "$(awk -v b="$MIB" -v m="$ms" 'BEGIN { printf "%.1f", b * 1000 / m }')"
            verify_run "$1" "$3"
        fi
    else
        t_notok "$_t: in sync" "$_why"
    fi
    if [ "$1" = load ]; then
        kill -INT $_fp; wait $_fp
        err=$(_fio_field "$T_TMP/load.out" 5)
        t_eq "$_t: the writer saw no error" "$err" 0
        if [ $rc -eq 0 ]; then
            _s=copying; [ "$_k" != mirrorlive ] && _s=resyncing
            rec B3 "brd/$2-$_s" randwrite_iops IOPS "$3" \
                "$(awk -v w=$((w1 - w0)) -v m="$ms" 'BEGIN { printf "%.1f", w * 1000 / m }')"
            rec B3 "brd/$2-$_s" copy_mibps MiB/s "$3" \
                "$(awk -v b="$MIB" -v m="$ms" 'BEGIN { printf "%.1f", b * 1000 / m }')"
        fi
    fi
    t_ok "$_t: remove" dm_remove bench
    if [ "$2" = mirrorlive+meta ] && [ $rc -eq 0 ]; then
        t_ok "$_t: the record is clean, all copied, none dirty" meta_clean $BMETA
    fi
}

# dd_run ROUND: the same copy by dd, O_DIRECT, 1 MiB blocks
dd_run() {
    t0=$(ms_now)
    dd if=$SRC of=$DST bs=1M iflag=direct oflag=direct 2> "$T_TMP/dd.err"
    rc=$?
    ms=$(ms_since "$t0")
    if t_eq "B4 idle/dd round $1: dd exit status" $rc 0; then
        rec B4 idle/dd time_to_ready_s s "$1" "$(secs "$ms")"
    fi
}

if wanted B4 || wanted B3 || wanted B8; then
    r=1
    while [ $r -le "$ROUNDS" ]; do
        # B8 alone: mirrorlive's copies only, for its passes and copy rate
        if wanted B4 || wanted B8; then
            copy_run idle mirrorlive $r
        fi
        if wanted B4; then
            copy_run idle mirrorlive+meta $r
            copy_run idle dm-mirror $r
            copy_run idle dm-raid $r
            dd_run $r
        fi
        copy_run load mirrorlive $r
        if wanted B4 || wanted B3; then
            copy_run load dm-mirror $r
            copy_run load dm-raid $r
            copy_run idle mirrorlive+yield $r
            copy_run load mirrorlive+yield $r
        fi
        r=$((r + 1))
    done
    t_ok "B4: the destination holds the source's data" same_content $SRC $DST
fi

# ------------------------------------------------------------------- B5 ---

if wanted B5; then
    # A source 10% data, 90% zeroes: the first 512 KiB region of every
    # 5 MiB holds data (a multiple of the 64 KiB pool block).
    t_ok "B5: zero the source" zero_dev $SRC
    t_ok "B5: data in 1 region of 10" fio --name=tenth --filename=$SRC \
        --rw=write:4608k --bs=512k --ioengine=psync --direct=1 --output=/dev/null
    t_ok "B5: thin pool metadata zeroed" dd if=/dev/zero of=/dev/ram3 bs=4k count=1 oflag=direct
    TB=128   # pool block: 64 KiB
    t_ok "B5: thin pool, 64 KiB blocks" dm_create pool \
        "0 $(dev_sectors /dev/ram2) thin-pool /dev/ram3 /dev/ram2 $TB 0 1 skip_block_zeroing"
    id=0
    r=1
    while [ $r -le "$ROUNDS" ]; do
        for cfg in mirrorlive-sparse mirrorlive-dest_zeroed mirrorlive-plain dm-mirror; do
            _t="B5 $cfg round $r"
            id=$((id + 1))
            dmsetup message pool 0 "create_thin $id" &&
                dm_create thin "0 $S thin /dev/mapper/pool $id" || { t_fail "$_t: thin volume"; continue; }
            case $cfg in
                dm-mirror) tbl="0 $S mirror core 1 1024 2 $SRC 0 /dev/mapper/thin 0" ;;
                mirrorlive-plain) tbl="0 $S mirrorlive $SRC 0 /dev/mapper/thin 0" ;;
                *) tbl="0 $S mirrorlive $SRC 0 /dev/mapper/thin 0 1 ${cfg#mirrorlive-}" ;;
            esac
            c=mirrorlive; [ $cfg = dm-mirror ] && c=dm-mirror
            if t_ok "$_t: create" dm_create bench "$tbl" && t_ok "$_t: in sync" copy_wait $c bench; then
                mapped=$(dm_status thin | cut -d' ' -f1)
                pct=$(awk -v m="$mapped" -v s="$S" 'BEGIN { printf "%.1f", m * 100 / s }')
                t_pass "$_t: $pct% of the thin volume allocated"
                rec B5 "$cfg" allocated_pct % $r "$pct"
            fi
            t_ok "$_t: the copy reads back as the source" same_content $SRC /dev/mapper/thin
            dm_remove bench; dm_remove thin
            t_ok "$_t: delete the thin volume" dmsetup message pool 0 "delete $id"
        done
        r=$((r + 1))
    done
    t_ok "B5: remove the pool" dm_remove pool
    # B6 copies the source again: data everywhere
    t_ok "B5: refill the source" fio --name=fill --filename=$SRC --rw=write --bs=1M \
        --ioengine=libaio --iodepth=4 --direct=1 --output=/dev/null
fi

# ------------------------------------------------------------------- B6 ---

# pivot_run ROUND PIVOT: a fio writer on a wrapped disk that mirrorctl has
# made ready; with PIVOT=pivot, mirrorctl complete switches it to the
# destination in the middle of the run.  Records the suspend window and
# fio's maximum write latency.
pivot_run() {
    _t="B6 $2 round $1"
    t_ok "$_t: disk over the source" dm_create vm "0 $S linear $SRC 0" || return
    mctl_rc 0 "$_t: mirrorctl start" start vm $DST
    t_ok "$_t: mirrorctl wait" mirrorctl wait vm
    fio --name=pivot --filename=/dev/mapper/vm --rw=randwrite --bs=4k --iodepth=16 \
        --ioengine=libaio --direct=1 --norandommap --randrepeat=0 --time_based \
        --runtime=6 --output-format=terse --terse-version=3 \
        --output="$T_TMP/pivot.out" > /dev/null 2>&1 &
    _fp=$!
    sleep 3
    if [ "$2" = pivot ]; then
        mctl_rc 0 "$_t: mirrorctl complete" -v complete vm
        susp=$(sed -n 's/.*suspended for \([0-9.]*\) ms.*/\1/p' "$T_TMP/err" | head -n 1)
        t_like "$_t: suspend window reported" "$susp" '^[0-9][0-9.]*$' &&
            rec B6 mirrorctl-complete suspend_ms ms "$1" "$susp"
        t_eq "$_t: the disk maps to the destination" \
            "$(dm_table vm | cut -d' ' -f3,4)" "linear $(devno $DST)"
    fi
    wait $_fp
    rc=$?
    err=$(_fio_field "$T_TMP/pivot.out" 5)
    # terse v3: write total latency max is field 80, in microseconds
    lat=$(_fio_field "$T_TMP/pivot.out" 80)
    if t_eq "$_t: fio exit status and error" "$rc $err" "0 0"; then
        rec B6 "$2" max_write_lat_ms ms "$1" "$(awk -v l="$lat" 'BEGIN { printf "%.2f", l / 1000 }')"
    fi
    if [ "$2" = no-pivot ]; then
        mctl_rc 0 "$_t: mirrorctl cancel" cancel vm
    fi
    t_ok "$_t: remove" dm_remove vm
}

if wanted B6; then
    r=1
    while [ $r -le "$ROUNDS" ]; do
        pivot_run $r pivot
        pivot_run $r no-pivot
        r=$((r + 1))
    done
fi

# ------------------------------------------------------------------- B7 ---

# kmem: "MemFree Slab VmallocUsed" in KiB, after dropping clean caches so
# that MemFree moves only with allocations
kmem() {
    sync; echo 3 > /proc/sys/vm/drop_caches
    awk '/^MemFree:/ { f = $2 } /^Slab:/ { s = $2 } /^VmallocUsed:/ { v = $2 }
         END { print f, s, v }' /proc/meminfo
}

# slabs: "cache bytes" of every slab cache
slabs() { awk 'NR > 2 { print $1, $3 * $4 }' /proc/slabinfo; }

# mem_run CONFIG ROUND: memory growth of one table over TIB TiB of dm-zero
# (mirrorlive paused, dm-mirror nosync: neither copies).  kib_per_tib is
# the growth of Slab + VmallocUsed (kmalloc'ed and vmalloc'ed memory);
# MemFree's drop is recorded too but moves with per-cpu page lists.  The
# slab caches that grew are listed once.  Also the time of the dmsetup
# create (the constructor and the first resume) and of one dmsetup status
# (issue 19: a 64 TiB mirror), each against the same command on a 1 GiB
# table of the same kind (ctr_ms_1g, status_ms_1g): a step proportional
# to the size shows as the difference.
TIB=64
mem_run() {
    _t="B7 $1 round $2"
    L=$((TIB * 1024 * 1024 * 1024 * 2))
    case "$1" in
        dm-mirror)  tbl="0 $L mirror core 2 1024 nosync 2 /dev/mapper/zsrc 0 /dev/mapper/zdst 0" ;;
        mirrorlive) tbl="0 $L mirrorlive /dev/mapper/zsrc 0 /dev/mapper/zdst 0 1 paused" ;;
    esac
    _small=$(echo "$tbl" | sed "s/^0 $L /0 2097152 /")
    _c0=$(ms_now); dm_create small "$_small"; _c1=$(ms_now)
    dmsetup status small > /dev/null; _c2=$(ms_now)
    dm_remove small
    rec B7 "$1" ctr_ms_1g ms "$2" $((_c1 - _c0))
    rec B7 "$1" status_ms_1g ms "$2" $((_c2 - _c1))
    slabs > "$T_TMP/slab.0"
    set -- "$1" "$2" $(kmem)
    _c0=$(ms_now)
    if t_ok "$_t: create over $TIB TiB" dm_create big "$tbl"; then
        _c1=$(ms_now)
        dmsetup status big > /dev/null
        _c2=$(ms_now)
        rec B7 "$1" ctr_ms ms "$2" $((_c1 - _c0))
        rec B7 "$1" status_ms ms "$2" $((_c2 - _c1))
        set -- "$@" $(kmem)
        slabs > "$T_TMP/slab.1"
        t_pass "$_t: MemFree -$(($3 - $6)) KiB, Slab +$(($7 - $4)) KiB, VmallocUsed +$(($8 - $5)) KiB"
        rec B7 "$1" kib_per_tib KiB/TiB "$2" $((($7 - $4 + $8 - $5) / TIB))
        rec B7 "$1" memfree_kib_per_tib KiB/TiB "$2" $((($3 - $6) / TIB))
        if [ "$2" = 1 ]; then
            awk -v c="$1" 'NR == FNR { was[$1] = $2; next }
                $2 - was[$1] >= 4096 { printf "B7 %s: slab %s +%d KiB\n", c, $1, ($2 - was[$1]) / 1024 }' \
                "$T_TMP/slab.0" "$T_TMP/slab.1" |
                while read -r l; do diag "$l"; done
        fi
    fi
    t_ok "$_t: remove" dm_remove big
}

if wanted B7; then
    L=$((TIB * 1024 * 1024 * 1024 * 2))
    t_ok "B7: $TIB TiB dm-zero legs" dm_create zsrc "0 $L zero" && dm_create zdst "0 $L zero"
    r=1
    while [ $r -le "$ROUNDS" ]; do
        mem_run mirrorlive $r
        mem_run dm-mirror $r
        r=$((r + 1))
    done
    dm_remove zsrc; dm_remove zdst
fi

# ------------------------------------------------------------------- B9 ---

# kthreads: kernel threads but the kworkers of the shared pools (which
# come and go with the load), as tests/vm/cases/scale.sh counts them
kthreads() { ps -o args | grep '^\[' | grep -vc '^\[kworker'; }

# kernmem: KiB of kernel memory that does not move with the page cache:
# unreclaimable slab, vmalloc, per-cpu, kernel stacks
kernmem() {
    awk '/^SUnreclaim:|^VmallocUsed:|^Percpu:|^KernelStack:/ { k += $2 }
         END { print k }' /proc/meminfo
}

# evac_run N ROUND: a host evacuation as an operator makes one: N disks
# (dm-linear slices of SRC, ev0..), each moved onto its slice of DST
# (evd0..) by one "mirrorctl start ... --wait": from the command to every
# mirror ready, as the aggregate copy rate.  N=1 is one disk of the same
# total.  With N > 1, also the kernel threads and kernel memory the
# mirrors add, per mirror (the slices' own dm devices exist before).
EVAC_N=32
evac_run() {
    _t="B9 $1 round $2"
    _len=$((S / $1 / 1024 * 1024))
    _i=0 _ok=1 _pairs=""
    while [ $_i -lt "$1" ]; do
        dm_create "ev$_i" "0 $_len linear $SRC $((_i * _len))" &&
            dm_create "evd$_i" "0 $_len linear $DST $((_i * _len))" ||
            { t_fail "$_t: slice $_i"; _ok=0; break; }
        _pairs="$_pairs ev$_i /dev/mapper/evd$_i"
        _i=$((_i + 1))
    done
    if [ $_ok = 1 ]; then
        _kt0=$(kthreads) _km0=$(kernmem)
        _t0=$(ms_now)
        # shellcheck disable=SC2086  # the pairs, split on purpose
        mirrorctl start $_pairs --force --wait --timeout 600 > "$T_TMP/evac.out" 2>&1
        _rc=$?
        _ms=$(ms_since "$_t0")
        _kt1=$(kthreads) _km1=$(kernmem)
        if t_eq "$_t: mirrorctl start --wait of all $1, $_ms ms" $_rc 0; then
            _series=one; [ "$1" -gt 1 ] && _series=$1
            rec B9 "$_series/copy" mibps MiB/s "$2" \
                "$(awk -v n="$1" -v l="$_len" -v m="$_ms" 'BEGIN { printf "%.1f", n * l / 2048 * 1000 / m }')"
            if [ "$1" -gt 1 ]; then
                rec B9 "$_series/copy" threads_per_mirror threads "$2" \
                    "$(awk -v a="$_kt0" -v b="$_kt1" -v n="$1" 'BEGIN { printf "%.2f", (b - a) / n }')"
                rec B9 "$_series/copy" kib_per_mirror KiB "$2" $(((_km1 - _km0) / $1))
            fi
        else
            diag "$_t: $(tail -n 3 "$T_TMP/evac.out")"
        fi
    fi
    _i=0
    while [ $_i -lt "$1" ]; do
        dmsetup remove "ev$_i" 2> /dev/null; dmsetup remove "evd$_i" 2> /dev/null
        _i=$((_i + 1))
    done
}

if wanted B9; then
    r=1
    while [ $r -le "$ROUNDS" ]; do
        evac_run 1 $r
        evac_run $EVAC_N $r
        r=$((r + 1))
    done
    t_ok "B9: the destination holds the source's data" same_content $SRC $DST
fi

# ------------------------------------------------------------------ B10 ---

# B10: the copy over a destination with a high latency (a null_blk whose
# every request takes 20 ms, not memory backed: its writes cost no CPU),
# from the brd source: mirrorlive's default copy of LAT_MIB MiB against
# the limit at the same depth, fio writing 512 KiB requests 16 at a time
# (the copy's 16 jobs of one 512 KiB region each) straight to it.
LAT_MIB=512
lat_run() {
    _t="B10 $1 round $2"
    _ls=$((LAT_MIB * 2048))
    _t0=$(ms_now)
    if [ "$1" = fio-qd16 ]; then
        t_ok "$_t: fio" fio --name=lat --filename=/dev/lat0 --rw=write --bs=512k \
            --iodepth=16 --ioengine=libaio --direct=1 --size=${LAT_MIB}m \
            --output=/dev/null || return
    else
        t_ok "$_t: mirror" dm_create bench "0 $_ls mirrorlive $SRC 0 /dev/lat0 0" || return
        _why=$(copy_wait mirrorlive bench) || { t_notok "$_t: ready" "$_why"; dm_remove bench; return; }
    fi
    _ms=$(ms_since "$_t0")
    [ "$1" = fio-qd16 ] || t_ok "$_t: remove" dm_remove bench
    t_pass "$_t: $LAT_MIB MiB in $_ms ms"
    rec B10 "dest-20ms/$1" mibps MiB/s "$2" \
        "$(awk -v b="$LAT_MIB" -v m="$_ms" 'BEGIN { printf "%.1f", b * 1000 / m }')"
}

if wanted B10; then
    t_ok "null_blk lat0: 1 GiB, 20 ms completions" nullb lat0 size=1024 irqmode=2 completion_nsec=20000000
    r=1
    while [ $r -le "$ROUNDS" ]; do
        lat_run mirrorlive $r
        lat_run fio-qd16 $r
        r=$((r + 1))
    done
    t_ok "B10: remove lat0" nullb_remove lat0
fi

finish
