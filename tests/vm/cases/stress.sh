#!/bin/sh
# Randomized stress (issue 6 item 3): runs that each pick at random the
# region size, copy rate, write pattern (randwrite / sequential / mixed,
# bs 512..64k, QD 1..16), whether the mirror starts paused, a sequence of
# actions at random moments (pause_copy, resume_copy, max_copy_kbps,
# identical table reload, suspend/resume) and the end: cancel (back to
# linear over the source) or complete (wait for ready, swap to linear over
# the destination) -- all while a fio writer runs.  Then the writer is
# stopped and every completed write verifies (verify=pattern, one
# generation per run) on the raw device that now backs the volume: the
# source after a cancel, the destination after a complete.
# Invariants checked at every step: status parses, copied never goes
# backwards (within a table and across an identical reload), copied ==
# total in ready, phase transitions are legal, no errors, never failed;
# at a complete, suspended in ready: destination == source; after a
# cancel: the destination receives no more writes.
#
# Knobs (kernel command line, MLTEST_APPEND; make stress sets them):
#   stress_seed=N    PRNG seed (default 1)
#   stress_runs=N    number of runs (default 5: make check's short version)
#   stress_first=K   index of the first run (default 1; make stress splits
#                    the runs over several guests)
#   stress_only=K    replay only run K of the seed
#   stress_pat=P     force the fio pattern (randwrite, write or mixed)
#   stress_break=gen verify with a wrong generation: every run must fail
#                    (proves the verification can fail)
#   stress_break=dev verify on the other raw device (fails in most runs)
# Every run prints its parameters as a "# run K/seed S: ..." diagnostic;
# replay one with MLTEST_APPEND="stress_seed=S stress_only=K".
# timeout: 400
# smp: 2    (copy and guest writes on two CPUs at once)
. /tests/lib.sh
setup

SEED=1 RUNS=5 FIRST=1 ONLY="" BREAK="" PAT_FORCE=""
for p in $(cat /proc/cmdline); do
    case "$p" in
        stress_seed=*)  SEED=${p#*=} ;;
        stress_runs=*)  RUNS=${p#*=} ;;
        stress_first=*) FIRST=${p#*=} ;;
        stress_only=*)  ONLY=${p#*=} ;;
        stress_break=*) BREAK=${p#*=} ;;
        stress_pat=*)   PAT_FORCE=${p#*=} ;;
    esac
done
if [ -n "$ONLY" ]; then FIRST=$ONLY RUNS=1; fi
diag "stress: seed $SEED, runs $FIRST..$((FIRST + RUNS - 1))${BREAK:+, break=$BREAK}"

MIB=32

# ---- deterministic PRNG: a 31-bit LCG seeded from (seed, run index) ----
# rnd N: sets R to a value in [0, N)
rnd_init() {
    _rs=$(( ($1 * 1000003 + $2 * 7919 + 12345) & 2147483647 ))
    rnd 2; rnd 2; rnd 2   # stir
}
rnd() {
    _rs=$(( (_rs * 1103515245 + 12345) & 2147483647 ))
    R=$(( (_rs >> 8) % $1 ))
}
# pick WORD...: sets R to one of the words
pick() { rnd $#; shift "$R"; R=$1; }

# ---- status checking ----
# st_read: read ml's status into PH CP TOT MW DE SE ZR RATE RSN and check
# that it parses; st_check WHAT: st_read plus the invariants against the
# previous reading (LAST_CP, LAST_PH).  Failures go to ERRS.
ERRS=""
st_read() {
    _s=$(dm_status ml)
    set -- $_s
    PH=${1:-} CP=${2%/*} TOT=${2#*/} MW=${3:-} DE=${4:-} SE=${5:-} ZR=${6:-} RATE=${7:-} RSN=${8:-}
    if ! printf '%s\n' "$_s" | grep -Eq '^(copying|paused|ready|failed) [0-9]+/[0-9]+ [0-9]+ [0-9]+ [0-9]+ [0-9]+ [0-9]+ [-a-z_]+ - (-|verifying|repairing|done|stopped|error) [0-9]+/[0-9]+ [0-9]+ [0-9]+ 0 -$'; then
        ERRS="$ERRS; unparsable status '$_s'"
        return 1
    fi
}
st_check() {
    st_read || return 1
    STEPS="$STEPS $1:$PH:$CP"
    [ "$PH" = failed ] && ERRS="$ERRS; $1: failed ($RSN)"
    [ "$TOT" = "$S" ] || ERRS="$ERRS; $1: total $TOT != $S"
    [ "$DE $SE $RSN" = "0 0 -" ] || ERRS="$ERRS; $1: errors/reason '$DE $SE $RSN'"
    [ "$CP" -ge "$LAST_CP" ] || ERRS="$ERRS; $1: copied went back $LAST_CP -> $CP"
    [ "$CP" -le "$TOT" ] || ERRS="$ERRS; $1: copied $CP > total $TOT"
    [ "$PH" = ready ] && [ "$CP" != "$TOT" ] && ERRS="$ERRS; $1: ready with $CP/$TOT"
    [ "$LAST_PH" = ready ] && [ "$PH" != ready ] && ERRS="$ERRS; $1: ready -> $PH"
    LAST_CP=$CP LAST_PH=$PH
    return 0
}

TOTAL_KB=0
run_one() {
    K=$1
    rnd_init "$SEED" "$K"
    rnd 12; RS=$((8 << R))                         # region_size 8..16384 (8 MiB: 4 copy chunks)
    pick 0 0 4096 8192 16384 32768; RATE0=$R       # KiB/s, 0 = unlimited
    rnd 4; PAUSED0=$(( R == 0 ))
    # "mixed" (randwrite --percentage_random=50) is left out of the draw:
    # fio 3.33's verify_only does not replay its offsets (with libaio,
    # direct, QD 2, bs 512 on a plain host file, no dm at all: "got
    # pattern '00'" at offset 28596736 after 1500 KiB, the very failure
    # seen on the raw source of seed 1 run 1).  stress_pat=mixed forces it.
    pick randwrite write randwrite; PAT=${PAT_FORCE:-$R}
    pick 512 4k 8k 16k 64k; BS=$R
    pick 1 2 4 8 16; QD=$R
    rnd 5; NACT=$R
    pick cancel complete complete; END=$R
    rnd 10; WARM=$R                                # 0..0.9 s before the swap
    GEN=$((K + 16))
    case $PAT in
        randwrite) FOPT="--rw=randwrite" ;;
        write)     FOPT="--rw=write" ;;
        mixed)     FOPT="--rw=randwrite --percentage_random=50" ;;
        *)         FOPT="--rw=$PAT" ;;
    esac
    FOPT="$FOPT --bs=$BS --iodepth=$QD --randseed=$((SEED * 1000 + K)) --time_based --runtime=600"
    # the action list, chosen up front so the parameter line tells it all
    ACTS=""
    _i=0
    while [ $_i -lt "$NACT" ]; do
        rnd 10; _w=$R
        pick pause resume rate rate reload suspend; _a=$R
        if [ "$_a" = rate ]; then pick 0 4096 16384 65536; _a="rate$R"; fi
        ACTS="$ACTS 0.$_w:$_a"
        _i=$((_i + 1))
    done
    rnd 10; TAIL=$R
    diag "run $K/seed $SEED: region_size $RS max_copy_kbps $RATE0 paused $PAUSED0 fio $PAT bs $BS qd $QD gen $GEN; warm 0.$WARM s; actions:${ACTS:- none}; end $END after 0.$TAIL s"

    ERRS="" STEPS="" LAST_CP=0 LAST_PH=copying
    _t0=$(ms_now)
    brd_setup 2 $MIB > /dev/null 2>&1 || { t_notok "run $K: brd"; return 1; }
    S=$(dev_sectors /dev/ram0)
    dm_create ml "0 $S linear /dev/ram0 0" || { t_notok "run $K: create ml"; return 1; }
    if ! fio_write_bg /dev/mapper/ml "$GEN" $FOPT; then
        t_notok "run $K: start fio"; dm_remove ml; return 1
    fi
    sleep "0.$WARM"
    _feat="region_size $RS max_copy_kbps $RATE0"
    _n=4
    [ "$PAUSED0" = 1 ] && { _feat="$_feat paused"; _n=5; }
    if ! swap_table ml "0 $S mirrorlive /dev/ram0 0 /dev/ram1 0 $_n $_feat" > "$T_TMP/sw" 2>&1; then
        ERRS="$ERRS; swap to mirrorlive: $(cat "$T_TMP/sw")"
    fi
    st_check start
    [ "$PAUSED0" = 1 ] && [ "$PH" != paused ] && ERRS="$ERRS; created paused but $PH"
    for _a in $ACTS; do
        sleep "${_a%%:*}"
        _a=${_a#*:}
        st_check "pre-$_a"
        _pb=$PH
        case $_a in
            pause)  dmsetup message ml 0 pause_copy || ERRS="$ERRS; pause_copy refused" ;;
            resume) dmsetup message ml 0 resume_copy || ERRS="$ERRS; resume_copy refused" ;;
            rate*)  dmsetup message ml 0 max_copy_kbps "${_a#rate}" || ERRS="$ERRS; $_a refused" ;;
            reload) { dmsetup table ml | dmsetup load ml && dmsetup suspend ml && dmsetup resume ml; } ||
                        ERRS="$ERRS; identical reload failed" ;;
            suspend) { dmsetup suspend ml && dmsetup resume ml; } || ERRS="$ERRS; suspend/resume failed" ;;
        esac
        st_check "$_a"
        case "$_a:$_pb" in
            pause:ready) ;;
            # the copy may end between the reading and the message
            pause:*)  [ "$PH" = paused ] || [ "$PH" = ready ] || ERRS="$ERRS; after pause_copy in $_pb: $PH" ;;
            resume:*) [ "$PH" = copying ] || [ "$PH" = ready ] || ERRS="$ERRS; after resume_copy: $PH" ;;
            rate*)    [ "$RATE" = "${_a#rate}" ] || ERRS="$ERRS; status rate $RATE after $_a" ;;
            suspend:paused) [ "$PH" = paused ] || ERRS="$ERRS; suspend/resume of a paused mirror: $PH" ;;
        esac
        # a reload may lose a pause (reload.sh); copying may end in ready
    done
    sleep "0.$TAIL"
    st_check end
    if [ "$END" = complete ]; then
        [ "$PH" = paused ] && dmsetup message ml 0 resume_copy
        dmsetup message ml 0 max_copy_kbps 0
        dm_wait_phase ml ready 90 > "$T_TMP/wait" 2>&1 || ERRS="$ERRS; no ready: $(cat "$T_TMP/wait")"
        st_check ready
        # suspended, nothing in flight: in ready the legs are equal (semantics 2)
        dm_load ml "0 $S linear /dev/ram1 0" && dmsetup suspend ml && st_check suspended || ERRS="$ERRS; suspend for the complete failed"
        same_content /dev/ram0 /dev/ram1 > "$T_TMP/same" 2>&1 || ERRS="$ERRS; in ready, suspended: destination != source"
        dmsetup resume ml || ERRS="$ERRS; swap to linear(destination) failed"
        VDEV=/dev/ram1 ODEV=/dev/ram0
    else
        dm_load ml "0 $S linear /dev/ram0 0" && dmsetup suspend ml && st_check suspended &&
            dmsetup resume ml || ERRS="$ERRS; swap to linear(source) failed"
        VDEV=/dev/ram0 ODEV=/dev/ram1
    fi
    [ "$END" = cancel ] && D1=$(dd if=/dev/ram1 iflag=direct bs=1M 2>/dev/null | md5sum)
    sleep 0.3   # writes through the final linear table
    fio_running "$GEN" || ERRS="$ERRS; fio died: $(tail -n 3 "$FIO_AUX/g$GEN.bglog")"
    fio_stop "$GEN" > "$T_TMP/stop" 2>&1 || ERRS="$ERRS; fio_stop: $(tail -n 3 "$T_TMP/stop")"
    if [ "$END" = cancel ] && [ "$(dd if=/dev/ram1 iflag=direct bs=1M 2>/dev/null | md5sum)" != "$D1" ]; then
        ERRS="$ERRS; the destination changed after the cancel"
    fi
    case "$BREAK" in
        gen) fio_verify "$VDEV" "$GEN" --verify_pattern="$(fio_pattern $((GEN + 1)))" > "$T_TMP/ver" 2>&1 ;;
        dev) VDEV=$ODEV; fio_verify "$ODEV" "$GEN" > "$T_TMP/ver" 2>&1 ;;
        *)   fio_verify "$VDEV" "$GEN" > "$T_TMP/ver" 2>&1 ;;
    esac || ERRS="$ERRS; verify on $VDEV: $(grep -m 3 -E 'verify|bad|fio' "$T_TMP/ver" | tr '\n' ' ')"
    _vkb=$(_fio_field "$FIO_AUX/g$GEN.v" 6)
    TOTAL_KB=$((TOTAL_KB + _vkb))
    dm_remove ml || ERRS="$ERRS; remove ml failed"
    _t1=$(ms_now)
    diag "run $K: steps$STEPS; verified $_vkb KiB of $(cat "$FIO_AUX/g$GEN.kb") written on $VDEV; $((_t1 - _t0)) ms"
    if [ -z "$ERRS" ]; then
        t_pass "run $K/seed $SEED: $END, data and invariants hold"
    else
        t_notok "run $K/seed $SEED: $END" "${ERRS#; }" "replay: MLTEST_APPEND=\"stress_seed=$SEED stress_only=$K\""
        diag_file "$T_TMP/ver" 8
    fi
}

_T0=$(ms_now)
k=$FIRST
while [ "$k" -lt $((FIRST + RUNS)) ]; do
    run_one "$k"
    k=$((k + 1))
done
_T1=$(ms_now)
diag "stress: $RUNS runs in $((_T1 - _T0)) ms, $TOTAL_KB KiB verified"

finish
