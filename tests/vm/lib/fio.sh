# shellcheck shell=sh disable=SC3043 # (local: busybox ash and dash have it)
# fio.sh - data written and verified with fio: the generation recipe
# (fio_write / fio_verify), crc32c passes, background writers.
#
# shellcheck disable=SC2046
# (fio option lists are stored space-separated and split on purpose)
#
# The verify recipe (tests/vm/README.md, "Verifying data with fio"):
#   fio_write  DEV GEN [OPT...]  randwrite 4k QD16 O_DIRECT through DEV with
#                                verify=pattern, pattern 0x<GEN>%o (per
#                                generation and offset), do_verify=0; the
#                                verify state goes to $FIO_AUX.
#   fio_verify DEV GEN [OPT...]  the identical job (same name, same OPTs,
#                                stored by fio_write) on DEV, which may be
#                                another device, plus --verify_only
#                                --verify_state_load=1: checks exactly the
#                                writes that completed.  Also fails if fio
#                                verified less data than fio_write wrote.
# Note: do_verify=0 must NOT be passed to the verify run: with it fio
# 3.33's --verify_only silently reads and checks nothing. And the verify run
# must not save state (--verify_state_save=0): it would overwrite the
# writer's, and a second verify of the generation would check wrong offsets.
# Every option is on the command line (no job files).  One fio_write per GEN
# per case (the state file is keyed by the job name g<GEN>).  The state
# files are in $FIO_AUX (lib.sh), named g<GEN>.* (c<TAG>.* for crc32c).

FIO_BASE="--ioengine=libaio --direct=1 --bs=4k --iodepth=16 --group_reporting --output-format=terse --terse-version=3"

# fio_pattern GEN: the verify pattern of generation GEN
fio_pattern() { printf '0x%08x%%o' "$1"; }

# _fio OUTFILE ARGS...: run fio (terse output to OUTFILE, errors to stderr)
_fio() {
    local out
    out=$1; shift
    fio --aux-path="$FIO_AUX" "$@" --output="$out"
}
# _fio_terse FILE: the terse (v3) result line of an --output file.  fio
# also writes its messages there, unsynchronised with the result: a
# message cut short may precede the result on the same line (seen with
# continue_on_error and thousands of "io_u error" messages).
_fio_terse() {
    grep -o '3;fio-[^;]*;.*' "$1" 2>/dev/null | head -n 1
}

# _fio_field FILE N: field N of the terse (v3) result line, 0 if absent:
# 5 error, 6 read KiB, 8 read IOPS, 47 write KiB, 49 write IOPS.
_fio_field() {
    local v
    v=$(_fio_terse "$1" | cut -d';' -f"$2")
    case "$v" in ''|*[!0-9.]*) echo 0 ;; *) echo "$v" ;; esac
}

# _fio_verify_opts OPT...: the stored write options minus those that only
# decide when the write phase stops (the state file says what completed);
# a verify_only run with --time_based would spin for the whole runtime.
_fio_verify_opts() {
    local o
    for o in "$@"; do
        case "$o" in
            --time_based|--time_based=*|--runtime=*|--rate=*|--rate_iops=*|--rate_min=*|--ramp_time=*|--thinktime*) ;;
            *) printf '%s ' "$o" ;;
        esac
    done
}

# _fio_save_opts FILE DEV OPT...: store the job options for the verify run,
# with --size pinned to DEV's size unless given: fio spreads its random
# offsets over the file size, so a verify on a bigger raw device (or one
# with an --offset) must see the same size to replay the same offsets.
_fio_save_opts() {
    local file dev
    file=$1 dev=$2; shift 2
    case " $* " in
        *" --size="*) echo "$*" ;;
        *) echo "$* --size=$(blockdev --getsize64 "$dev")" ;;
    esac > "$file"
}

# _fio_size_kb OPTSFILE: the --size of the stored options, in KiB (bytes or
# a k/m/g suffix)
_fio_size_kb() {
    local sz
    sz=$(tr ' ' '\n' < "$1" | sed -n 's/^--size=//p' | tail -n 1)
    case "$sz" in
        *[kK]) echo "${sz%?}" ;;
        *[mM]) echo $(( ${sz%?} * 1024 )) ;;
        *[gG]) echo $(( ${sz%?} * 1024 * 1024 )) ;;
        *)     echo $(( sz / 1024 )) ;;
    esac
}

fio_write() {
    local dev gen rc kb
    dev=$1 gen=$2; shift 2
    _fio_save_opts "$FIO_AUX/g$gen.opts" "$dev" "$@"
    _fio "$FIO_AUX/g$gen.w" --name="g$gen" --filename="$dev" --rw=randwrite \
        --verify=pattern --verify_pattern="$(fio_pattern "$gen")" --do_verify=0 \
        $FIO_BASE $(cat "$FIO_AUX/g$gen.opts")
    rc=$?
    kb=$(_fio_field "$FIO_AUX/g$gen.w" 47)
    echo "$kb" > "$FIO_AUX/g$gen.kb"
    echo "fio_write $dev gen $gen: rc=$rc wrote $kb KiB, $(_fio_field "$FIO_AUX/g$gen.w" 49) IOPS"
    return $rc
}

# fio_write_bg DEV GEN [OPT...]: fio_write in the background (pass e.g.
# --time_based --runtime=600); stop it with fio_stop GEN.
fio_write_bg() {
    local dev gen up tok
    dev=$1 gen=$2; shift 2
    _fio_save_opts "$FIO_AUX/g$gen.opts" "$dev" "$@"
    # fio 3.33 ignores a SIGINT that arrives before its job has started
    # (and then runs its whole runtime), so return only once the job runs:
    # its exec_prerun writes to a FIFO we read, with a bound.
    up=$FIO_AUX/g$gen.up
    rm -f "$up" && mkfifo "$up" || return 1
    printf '#!/bin/sh\necho up > %s\n' "$up" > "$up.sh" && chmod +x "$up.sh" || return 1
    exec 9<> "$up"
    fio --aux-path="$FIO_AUX" --name="g$gen" --filename="$dev" --rw=randwrite \
        --verify=pattern --verify_pattern="$(fio_pattern "$gen")" --do_verify=0 \
        $FIO_BASE $(cat "$FIO_AUX/g$gen.opts") --exec_prerun="$up.sh" \
        --output="$FIO_AUX/g$gen.w" > "$FIO_AUX/g$gen.bglog" 2>&1 &
    echo $! > "$FIO_AUX/g$gen.pid"
    tok=""
    # shellcheck disable=SC3045 # (busybox ash has read -t)
    read -r -t 60 tok <&9
    exec 9<&-
    [ "$tok" = up ] && return 0
    echo "fio_write_bg: gen $gen did not start within 60 s" >&2
    cat "$FIO_AUX/g$gen.bglog" >&2
    return 1
}

# fio_stop GEN: SIGINT a background fio_write_bg (fio saves its verify state
# on SIGINT; never SIGKILL it) and wait for it.  fio exits 128 when stopped
# by the signal: that counts as success when its job reported no error.
fio_stop() {
    local pid rc kb
    pid=$(cat "$FIO_AUX/g$1.pid") || return 1
    kill -INT "$pid" 2>/dev/null
    wait "$pid"
    rc=$?
    cat "$FIO_AUX/g$1.bglog"
    kb=$(_fio_field "$FIO_AUX/g$1.w" 47)
    echo "$kb" > "$FIO_AUX/g$1.kb"
    echo "fio_stop gen $1: rc=$rc wrote $kb KiB, $(_fio_field "$FIO_AUX/g$1.w" 49) IOPS, job error $(_fio_field "$FIO_AUX/g$1.w" 5)"
    if [ $rc -eq 128 ] && [ -n "$(_fio_terse "$FIO_AUX/g$1.w")" ] && [ "$(_fio_field "$FIO_AUX/g$1.w" 5)" = 0 ]; then
        rc=0
    fi
    return $rc
}

# fio_running GEN: is the background fio of generation GEN still running?
fio_running() { kill -0 "$(cat "$FIO_AUX/g$1.pid" 2>/dev/null)" 2>/dev/null; }

# fio_kib GEN FILE N: field N of gen GEN's fio result FILE (w|v), as
# _fio_field numbers them.
fio_kib() { _fio_field "$FIO_AUX/g$1.$2" "$3"; }

# job_errors GEN: a background writer's first error and its count of
# "io_u error" lines: "0 0" when every write succeeded.
job_errors() {
    echo "$(_fio_field "$FIO_AUX/g$1.w" 5) $(grep -c 'io_u error' "$FIO_AUX/g$1.bglog")"
}

# _fio_verified WHAT JOB RC: say how verify run JOB.v went (RC is its fio
# status) against what its writer stored in JOB.kb and JOB.opts.  It must
# check something, and everything written unless the writer wrapped around
# its range (time-based runs), where fio replays only one pass.
_fio_verified() {
    local rkb wkb
    rkb=$(_fio_field "$2.v" 6)
    wkb=$(cat "$2.kb")
    echo "$1: rc=$3 verified $rkb of $wkb KiB written"
    [ "$3" -eq 0 ] || return "$3"
    if [ "$rkb" -eq 0 ]; then
        echo "fio verify: nothing was verified" >&2
        return 1
    fi
    if [ "$rkb" -lt "$wkb" ] && [ "$wkb" -le "$(_fio_size_kb "$2.opts")" ]; then
        echo "fio verify: verified $rkb KiB < $wkb KiB written" >&2
        return 1
    fi
    return 0
}

fio_verify() {
    local dev gen
    dev=$1 gen=$2; shift 2
    [ -f "$FIO_AUX/g$gen.opts" ] || { echo "fio_verify: no fio_write of gen $gen" >&2; return 2; }
    _fio "$FIO_AUX/g$gen.v" --name="g$gen" --filename="$dev" --rw=randwrite \
        --verify=pattern --verify_pattern="$(fio_pattern "$gen")" \
        $FIO_BASE $(_fio_verify_opts $(cat "$FIO_AUX/g$gen.opts")) "$@" \
        --verify_only --verify_state_load=1 --verify_state_save=0
    _fio_verified "fio_verify $dev gen $gen" "$FIO_AUX/g$gen" $?
}

# fio_readverify DEV GEN [OPT...]: sequential 4k reads over DEV (or the range
# the OPTs select) checking every block holds generation GEN's pattern; the
# whole range must have been written by that generation.
fio_readverify() {
    local dev gen rc
    dev=$1 gen=$2; shift 2
    _fio "$FIO_AUX/r$gen.r" --name="r$gen" --filename="$dev" --rw=read \
        --verify=pattern --verify_pattern="$(fio_pattern "$gen")" $FIO_BASE "$@"
    rc=$?
    echo "fio_readverify $dev gen $gen: rc=$rc read $(_fio_field "$FIO_AUX/r$gen.r" 6) KiB"
    return $rc
}

# fio_crc DEV [OPT...]: randwrite with verify=crc32c (header with offset),
# then read everything back and check it, in one run.
fio_crc() {
    local dev rc
    dev=$1; shift
    _fio "$FIO_AUX/crc.o" --name=crc --filename="$dev" --rw=randwrite \
        --verify=crc32c --do_verify=1 $FIO_BASE "$@"
    rc=$?
    echo "fio_crc $dev: rc=$rc wrote $(_fio_field "$FIO_AUX/crc.o" 47) KiB, verified $(_fio_field "$FIO_AUX/crc.o" 6) KiB"
    return $rc
}

# fio_crc_write DEV TAG [OPT...] / fio_crc_verify DEV TAG [OPT...]: the crc32c
# pass split like fio_write/fio_verify (verify may run on another device).
fio_crc_write() {
    local dev tag rc kb
    dev=$1 tag=$2; shift 2
    _fio_save_opts "$FIO_AUX/c$tag.opts" "$dev" "$@"
    _fio "$FIO_AUX/c$tag.w" --name="c$tag" --filename="$dev" --rw=randwrite \
        --verify=crc32c --do_verify=0 $FIO_BASE $(cat "$FIO_AUX/c$tag.opts")
    rc=$?
    kb=$(_fio_field "$FIO_AUX/c$tag.w" 47)
    echo "$kb" > "$FIO_AUX/c$tag.kb"
    echo "fio_crc_write $dev $tag: rc=$rc wrote $kb KiB"
    return $rc
}
fio_crc_verify() {
    local dev tag
    dev=$1 tag=$2; shift 2
    [ -f "$FIO_AUX/c$tag.opts" ] || { echo "fio_crc_verify: no fio_crc_write $tag" >&2; return 2; }
    _fio "$FIO_AUX/c$tag.v" --name="c$tag" --filename="$dev" --rw=randwrite \
        --verify=crc32c $FIO_BASE $(_fio_verify_opts $(cat "$FIO_AUX/c$tag.opts")) "$@" \
        --verify_only --verify_state_load=1 --verify_state_save=0
    _fio_verified "fio_crc_verify $dev $tag" "$FIO_AUX/c$tag" $?
}

# _bg_cleanup: stop background fio jobs a case left running (SIGINT, then
# SIGKILL after 10 s), so that its devices can be removed.
_bg_cleanup() {
    local pf pid i
    for pf in "$FIO_AUX"/*.pid; do
        [ -f "$pf" ] || continue
        pid=$(cat "$pf")
        kill -0 "$pid" 2>/dev/null || continue
        diag "finish: stopping background fio $(basename "$pf" .pid) (pid $pid)"
        kill -INT "$pid" 2>/dev/null
        i=0
        while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
        kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    return 0
}
