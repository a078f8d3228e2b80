# dm-mirrorlive VM test library (guest side).  Sourced by every case:
#
#   . /tests/lib.sh
#   setup                      # marker in the kernel log, modprobe the module
#   t_ok "brd disks" brd_setup 2 64
#   ...
#   finish                     # cleanup, rmmod, dmesg check, plan, exit
#
# POSIX sh / busybox ash only (no bash).  Output is TAP with a trailing plan;
# every TAP line is also echoed to stderr (the console) when MLTEST_TAP_ECHO
# is set, so the console log shows results between kernel messages.  Command
# output of t_ok/t_fail goes to stderr, never into the TAP stream.
#
# Every t_* function returns 0 when its TAP test passed, 1 when it failed.
#
# shellcheck shell=sh disable=SC2046
# (fio option lists are stored space-separated and split on purpose)

[ -f /tests/env ] && . /tests/env
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
# no udev in the guest: libdevmapper creates /dev/mapper nodes itself and
# does not wait for udev cookies
export DM_DISABLE_UDEV=1
# the target's status field numbers (ML_F_*) and names: one copy for the
# scripts and the tests, checked against kernel/mirrorlive-abi.h
. /dmsetup-scripts/mirrorlive-abi.sh

# MLTEST_TIMEOUT_SCALE: how many times slower than Debian's this kernel is
# taken to be (the runner's, passed on: 4 on check-debug's kernel).  A case
# scales deadlines of its own by it, such as a device's request timeout;
# never an assertion about what the module does.  MLTEST_CASE_TIMEOUT is
# the case's own timeout, already scaled.
case "${MLTEST_TIMEOUT_SCALE:-}" in ''|*[!0-9]*|0) MLTEST_TIMEOUT_SCALE=1 ;; esac
T_CASE=${MLTEST:-$(basename "$0" .sh)}
T_MOD=${MLTEST_MODNAME:-dm-mirrorlive}
T_TMP=/tmp/mltest.$$
FIO_AUX=$T_TMP/fio
mkdir -p "$T_TMP" "$FIO_AUX"
_T_N=0
_T_FAILED=0
_T_MARKER=""
_T_DM_BEFORE=""
_T_MODULE_WANTED=0
_T_FINISHED=0

# ------------------------------------------------------------------- TAP ---

_tap() {
    printf '%s\n' "$*"
    if [ -n "${MLTEST_TAP_ECHO:-}" ]; then
        read -r _up _ < /proc/uptime
        printf '[tap %ss] %s\n' "$_up" "$*" >&2
    fi
    return 0
}

# diag MSG...: TAP diagnostic lines ("# MSG"), one per argument and per
# line of a multi-line argument.
diag() {
    printf '%s\n' "$@" | while IFS= read -r _l; do _tap "# $_l"; done
}

# diag_file FILE [N]: the last N (default 20) lines of FILE as diagnostics.
diag_file() {
    [ -s "$1" ] || return 0
    tail -n "${2:-20}" "$1" | while IFS= read -r _l; do _tap "#   $_l"; done
}

# t_pass DESC / t_notok DESC [DIAG...]: record a result computed by the case.
t_pass() {
    _T_N=$((_T_N + 1))
    _tap "ok $_T_N - $1"
    return 0
}
t_notok() {
    _T_N=$((_T_N + 1))
    _T_FAILED=$((_T_FAILED + 1))
    _tap "not ok $_T_N - $1"
    shift
    [ $# -gt 0 ] && diag "$@"
    return 1
}

# t_skip DESC [REASON]
t_skip() {
    _T_N=$((_T_N + 1))
    _tap "ok $_T_N - $1 # SKIP ${2:-}"
    return 0
}

# _t_run CMD...: run CMD, output to $T_TMP/out (copied to stderr); sets _t_rc.
_t_run() {
    "$@" > "$T_TMP/out" 2>&1
    _t_rc=$?
    cat "$T_TMP/out" >&2
}

# t_ok DESC CMD...: passes if CMD exits 0 (CMD may be a shell function).
t_ok() {
    _t_desc=$1; shift
    _t_run "$@"
    if [ "$_t_rc" -eq 0 ]; then
        t_pass "$_t_desc"
    else
        t_notok "$_t_desc" "command: $*" "exit status: $_t_rc"
        diag_file "$T_TMP/out" 20
        return 1
    fi
}

# t_fail DESC CMD...: passes if CMD exits non-zero.
t_fail() {
    _t_desc=$1; shift
    _t_run "$@"
    if [ "$_t_rc" -ne 0 ]; then
        t_pass "$_t_desc"
    else
        t_notok "$_t_desc" "command: $*" "exit status: 0, expected failure"
        diag_file "$T_TMP/out" 10
        return 1
    fi
}

# t_eq DESC GOT WANT: string equality.
t_eq() {
    if [ "$2" = "$3" ]; then
        t_pass "$1"
    else
        t_notok "$1" "got:  '$2'" "want: '$3'"
    fi
}

# t_like DESC GOT ERE: GOT matches the extended regular expression.
t_like() {
    if printf '%s\n' "$2" | grep -Eq -- "$3"; then
        t_pass "$1"
    else
        t_notok "$1" "got:  '$2'" "want: /$3/"
    fi
}

# t_num DESC A OP B: numeric comparison, OP one of -eq -ne -lt -le -gt -ge.
t_num() {
    if test "$2" "$3" "$4" 2>/dev/null; then
        t_pass "$1"
    else
        t_notok "$1" "got:  $2" "want: $3 $4"
    fi
}

# t_abort REASON: record a failure, clean up and end the case now.
t_abort() {
    t_notok "aborted: $1"
    finish
}

# ------------------------------------------------------- setup / finish ---

# kmsg MSG: write a line into the kernel log (tagged "mltest:").
kmsg() { echo "mltest: $*" > /dev/kmsg; }

# setup [--no-module]: put a unique marker into the kernel log and load the
# module under test (one TAP test; the case is aborted if it fails).
setup() {
    _T_MARKER="mltest-marker-$T_CASE-$$-$(ms_now)"
    echo "$_T_MARKER" > /dev/kmsg
    kmemleak_clear
    _T_DM_BEFORE=" $(_dm_names | tr '\n' ' ') "
    diag "case $T_CASE, kernel $(uname -r), module ${MLTEST_MODNAME:-none} ${MLTEST_MODULE_SHA:-}"
    if [ "${1:-}" = "--no-module" ]; then
        return 0
    fi
    _T_MODULE_WANTED=1
    if [ -z "${MLTEST_MODNAME:-}" ]; then
        t_abort "this image holds no module under test (MODULE was empty)"
    fi
    t_ok "modprobe $T_MOD" modprobe "$T_MOD" || t_abort "module $T_MOD did not load"
}

_dm_names() {
    dmsetup ls 2>/dev/null | awk '$1 != "No" {print $1}'
}

# _bg_cleanup: stop background fio jobs a case left running (SIGINT, then
# SIGKILL after 10 s), so that its devices can be removed.
_bg_cleanup() {
    for _pf in "$FIO_AUX"/*.pid; do
        [ -f "$_pf" ] || continue
        _pid=$(cat "$_pf")
        kill -0 "$_pid" 2>/dev/null || continue
        diag "finish: stopping background fio $(basename "$_pf" .pid) (pid $_pid)"
        kill -INT "$_pid" 2>/dev/null
        _i=0
        while kill -0 "$_pid" 2>/dev/null && [ $_i -lt 100 ]; do sleep 0.1; _i=$((_i + 1)); done
        kill -KILL "$_pid" 2>/dev/null
        wait "$_pid" 2>/dev/null
    done
    return 0
}

# dm_cleanup: remove every dm device created since setup (dependents first).
dm_cleanup() {
    _pass=0
    while [ $_pass -lt 5 ]; do
        _left=""
        for _d in $(_dm_names); do
            case "$_T_DM_BEFORE" in *" $_d "*) continue ;; esac
            _left="$_left $_d"
            dmsetup resume "$_d" > /dev/null 2>&1
            if dmsetup remove "$_d" > /dev/null 2>&1; then
                diag "finish: removed leftover dm device $_d"
            fi
        done
        [ -z "$_left" ] && return 0
        _pass=$((_pass + 1))
    done
    for _d in $_left; do
        dmsetup remove --force "$_d" > /dev/null 2>&1 && diag "finish: force-removed $_d"
    done
    return 0
}

# klog_since TAG: the kernel log from the line "mltest: TAG" (kmsg TAG)
# on; klog_count TAG ERE: how many of those lines match ERE.
klog_since() { dmesg | sed -n "/mltest: $1\$/,\$p"; }
klog_count() { klog_since "$1" | grep -cE -- "$2"; }

# dmesg_since_marker: the kernel log from setup's marker on (all of it if the
# marker has been overwritten in the ring buffer).
dmesg_since_marker() {
    dmesg | awk -v m="$_T_MARKER" '
        { line[NR] = $0 }
        m != "" && index($0, m) { start = NR }
        END { s = start ? start : 1; for (i = s; i <= NR; i++) print line[i] }'
}

# (kmemleak: its reports and warnings, not its start-up lines)
T_DMESG_BAD='BUG:|WARNING:|Oops|general protection|UBSAN|KASAN|possible recursive locking|circular locking|blocked for more than|kmemleak: .*(suspected memory leak|unknown object|[Cc]annot|disabled|pool empty|larger than|by alias)|Objects remaining|still has objects|detected stall|Kernel panic'

# dmesg_check [DESC]: one TAP test, fails on any bad pattern since the marker.
dmesg_check() {
    dmesg_since_marker > "$T_TMP/dmesg"
    grep -E "$T_DMESG_BAD" "$T_TMP/dmesg" | grep -v 'mltest-marker-' > "$T_TMP/dmesg.bad"
    if [ -s "$T_TMP/dmesg.bad" ]; then
        t_notok "${1:-dmesg clean}" "kernel log since the marker has:"
        head -n 30 "$T_TMP/dmesg.bad" | while IFS= read -r _l; do _tap "#   $_l"; done
        return 1
    fi
    t_pass "${1:-dmesg clean}"
}

# kmemleak_clear / kmemleak_check: on a kernel built with kmemleak (the
# check-debug lane's), forget the objects already suspected at setup, and
# at finish (after rmmod) scan and fail one TAP test if any object
# allocated since is unreferenced.  A no-op on other kernels.  kmemleak
# only reports objects a few seconds old, so a leak in the last seconds of
# a case can go unseen; the long cases make up for it.
KMEMLEAK=/sys/kernel/debug/kmemleak
kmemleak_clear() {
    # clear forgets only what a scan has reported: scan first, so that
    # whatever leaked before setup (at boot, say) is not the case's
    [ -w "$KMEMLEAK" ] && echo scan > "$KMEMLEAK" && echo clear > "$KMEMLEAK"
    return 0
}
kmemleak_check() {
    [ -w "$KMEMLEAK" ] || return 0
    echo scan > "$KMEMLEAK"
    cat "$KMEMLEAK" > "$T_TMP/kmemleak"
    if [ -s "$T_TMP/kmemleak" ]; then
        t_notok "kmemleak clean" "kmemleak reports $(grep -c '^unreferenced object' "$T_TMP/kmemleak") object(s):"
        head -n 40 "$T_TMP/kmemleak" | while IFS= read -r _l; do _tap "#   $_l"; done
        return 1
    fi
    t_pass "kmemleak clean"
}

# module_loaded NAME
module_loaded() { [ -d "/sys/module/$(echo "$1" | tr - _)" ]; }

# request_kill: end this boot of a multi-boot case ("# boots: N" in the
# case file, MLTEST_BOOT says which boot this is) the hard way: check the
# kernel log (one TAP test), print the plan of this boot, and ask the host
# to SIGKILL QEMU ("# mltest-kill").  Nothing is cleaned up, synced or
# unmounted: what is in flight stays in flight.  Never returns; if no kill
# comes, the case times out.
request_kill() {
    dmesg_check "dmesg clean before the kill"
    _tap "1..$_T_N"
    _tap "# mltest-kill (boot ${MLTEST_BOOT:-1}, $_T_FAILED failed)"
    while :; do sleep 60; done
}

# finish: remove leftover dm devices, unload the module (TAP test), check
# the kernel log (TAP test; after rmmod so unload-time leaks count), print
# the plan and exit non-zero if any test failed.
finish() {
    [ "$_T_FINISHED" = 1 ] && exit 1
    _T_FINISHED=1
    _bg_cleanup
    dm_cleanup
    if [ "$_T_MODULE_WANTED" = 1 ]; then
        if module_loaded "$T_MOD"; then
            t_ok "rmmod $T_MOD" rmmod "$T_MOD"
        else
            t_skip "rmmod $T_MOD" "module not loaded"
        fi
    fi
    kmemleak_check
    dmesg_check "dmesg clean"
    _tap "1..$_T_N"
    rm -rf "$T_TMP"
    [ "$_T_FAILED" -eq 0 ] && exit 0
    exit 1
}

# ----------------------------------------------------------------- helpers ---

# rand_int LO HI: a random integer in LO..HI (from /dev/urandom).
rand_int() {
    _r=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
    echo $(($1 + _r % ($2 - $1 + 1)))
}

# wait_until SECS CMD...: run CMD every 0.1 s until it succeeds (0) or
# SECS seconds have passed (1).  For states that have no event to wait on
# (a process started, a counter moved); not a delay.
wait_until() {
    _wu_end=$(($(ms_now) + $1 * 1000))
    shift
    until "$@"; do
        [ "$(ms_now)" -lt "$_wu_end" ] || return 1
        sleep 0.1
    done
}

# ms_now: milliseconds since boot (/proc/uptime has 10 ms resolution).
ms_now() {
    read -r _up _ < /proc/uptime
    _s=${_up%.*}; _f=${_up#*.}
    echo $((_s * 1000 + ${_f#0} * 10))
}

# brd_setup COUNT MIB: (re)load brd with COUNT ramdisks of MIB MiB each
# (/dev/ram0..); brd takes one size for all disks, once per load.
brd_setup() {
    if module_loaded brd; then rmmod brd || return 1; fi
    modprobe brd rd_nr="$1" rd_size=$(($2 * 1024)) || return 1
    _i=0
    while [ $_i -lt "$1" ]; do
        [ -b /dev/ram$_i ] || { echo "brd_setup: /dev/ram$_i missing" >&2; return 1; }
        _i=$((_i + 1))
    done
}

# nullb NAME ATTR=VALUE...: a null_blk disk made through configfs (the
# null_blk module must be loaded; the disk is /dev/NAME), with the given
# attributes (size in MiB, blocksize, irqmode, completion_nsec, ...).
nullb() {
    _d=/sys/kernel/config/nullb/$1
    shift
    mkdir "$_d" || return 1
    for _kv in "$@"; do
        echo "${_kv#*=}" > "$_d/${_kv%%=*}" || return 1
    done
    echo 1 > "$_d/power" || return 1
    [ -b "/dev/${_d##*/}" ] || { echo "nullb: no /dev/${_d##*/} after power on" >&2; return 1; }
}

# nullb_remove NAME...: power off and delete null_blk disks made by nullb.
nullb_remove() {
    for _nb in "$@"; do
        echo 0 > "/sys/kernel/config/nullb/$_nb/power" &&
            rmdir "/sys/kernel/config/nullb/$_nb" || return 1
    done
}

# devno DEV: "major:minor" in decimal, as dm prints devices in tables.
devno() {
    _mm=$(stat -L -c '%t %T' "$1") || return 1
    set -- $_mm
    echo "$((0x$1)):$((0x$2))"
}

# dev_sectors DEV: size in 512-byte sectors.
dev_sectors() { blockdev --getsz "$1"; }

# dm_mknodes: create missing /dev/mapper nodes (there is no udev).
dm_mknodes() { dmsetup mknodes > /dev/null 2>&1; return 0; }

# dm_create NAME TABLE: create and resume a device (TABLE may hold several
# lines), then make its node.
dm_create() {
    case "$2" in
        *"
"*) printf '%s\n' "$2" | dmsetup create "$1" ;;
        *) dmsetup create "$1" --table "$2" ;;
    esac || return 1
    dm_mknodes
}

# dm_load NAME TABLE: load an inactive table.
dm_load() {
    case "$2" in
        *"
"*) printf '%s\n' "$2" | dmsetup load "$1" ;;
        *) dmsetup load "$1" --table "$2" ;;
    esac
}

# dm_view NAME DEV OFFSET LEN: a read-only dm-linear window of LEN sectors
# at OFFSET of DEV, e.g. to verify a destination written at dest_offset
# (fio's patterns and crc32c headers hold the offset within the file).
dm_view() {
    dmsetup create --readonly "$1" --table "0 $4 linear $2 $3" || return 1
    dm_mknodes
}

# dm_remove NAME: remove a device. Busy means a case left an opener behind:
# that is a failure, not something to wait out.
dm_remove() {
    dmsetup remove "$1"
}

# dm_table DEV [LINE]: the table line (all lines if LINE is omitted).
dm_table() {
    if [ -n "${2:-}" ]; then dmsetup table "$1" | sed -n "${2}p"; else dmsetup table "$1"; fi
}

# dm_status DEV [LINE] [--inactive]: the status params of one table line
# (default the first): everything after "<start> <len> <target>".
dm_status() {
    _ln=${2:-1}
    if [ "${3:-}" = "--inactive" ]; then
        dmsetup status --inactive "$1"
    else
        dmsetup status "$1"
    fi | sed -n "${_ln}p" | cut -d' ' -f4-
}

# ml_field_number FIELD: the number of a mirrorlive status field named as
# in mirrorlive-abi.sh (phase, progress, mirrored_writes, dest_errors,
# source_errors, zero_regions, max_copy_kbps, reason), or a number as is
ml_field_number() {
    case "$1" in
        ''|*[!0-9]*)
            _fn_var=ML_F_$(echo "$1" | tr a-z A-Z)
            eval "_fn=\${$_fn_var:-}"
            [ -n "$_fn" ] || { echo "ml_field_number: no status field $1" >&2; return 1; }
            echo "$_fn" ;;
        *) echo "$1" ;;
    esac
}

# dm_status_field DEV FIELD [LINE] [--inactive]: one status param, by name
# (ml_field_number) or 1-based number.
dm_status_field() {
    _sf_n=$(ml_field_number "$2") || return 1
    dm_status "$1" "${3:-1}" "${4:-}" | cut -d' ' -f"$_sf_n"
}

# ml_pick STATUS FIELD...: the named fields (ml_field_number) of a status
# params string (dm_status's output), space-separated
ml_pick() {
    _mp_st=$1; shift
    _mp_out=""
    for _mp_f in "$@"; do
        _mp_n=$(ml_field_number "$_mp_f") || return 1
        _mp_out="$_mp_out${_mp_out:+ }$(echo "$_mp_st" | cut -d' ' -f"$_mp_n")"
    done
    echo "$_mp_out"
}

# ml_fields DEV FIELD...: ml_pick on DEV's first status line
ml_fields() { _mfd=$1; shift; ml_pick "$(dm_status "$_mfd")" "$@"; }
# every field but the progress, which a copy still moves
ML_FIELDS_BUT_PROGRESS="phase mirrored_writes dest_errors source_errors reason"

# ml_phase DEV / ml_copied DEV / ml_total DEV: mirrorlive status shortcuts.
ml_phase()  { dm_status_field "$1" phase; }
ml_copied() { dm_status_field "$1" progress | cut -d/ -f1; }
ml_total()  { dm_status_field "$1" progress | cut -d/ -f2; }
# ml_errs DEV: "phase dest_errors source_errors reason"
ml_errs()   {
    dm_status "$1" | awk -v p="$ML_F_PHASE" -v d="$ML_F_DEST_ERRORS" \
        -v s="$ML_F_SOURCE_ERRORS" -v r="$ML_F_REASON" '{ print $p, $d, $s, $r }'
}

# dm_sysfs NAME: /sys/block/dm-N of a dm device; dm_holders NAME: what
# holds it open.
dm_sysfs() { echo "/sys/block/dm-$(dmsetup info -c --noheadings -o minor "$1" | tr -d ' ')"; }
dm_holders() { ls "$(dm_sysfs "$1")/holders"; }

# dm_wait_phase DEV PHASE [TIMEOUT=60]: wait until DEV's first mirrorlive
# segment reports PHASE; fail at once on "failed", or after TIMEOUT seconds.
# No polling: the target raises a dm event on every phase change, so this
# blocks in "dmsetup wait" for the next event. The event counter is read
# before the status, so a change between the two is never missed.
dm_wait_phase() {
    _t0=$(ms_now)
    _deadline=$((_t0 + ${3:-60} * 1000))
    while :; do
        _ev=$(dmsetup info -c --noheadings -o events "$1" | tr -d ' ')
        _st=$(dm_status "$1")
        _ph=${_st%% *}
        _now=$(ms_now)
        if [ "$_ph" = "$2" ]; then
            echo "$2 after $((_now - _t0)) ms: $_st"; return 0
        fi
        if [ "$_ph" = failed ]; then
            echo "failed after $((_now - _t0)) ms: $_st"; return 1
        fi
        _left=$(((_deadline - _now + 999) / 1000))
        if [ "$_left" -le 0 ] || [ -z "$_ev" ]; then
            echo "timeout after $((_now - _t0)) ms: $_st"; return 1
        fi
        timeout "$_left" dmsetup wait "$1" "$_ev" > /dev/null 2>&1
    done
}

# dm_mirror_wait_sync DEV [TIMEOUT=600]: wait until the kernel's dm-mirror
# DEV has every region in sync; fail at once on a failed leg, or after
# TIMEOUT seconds.  On dm events like dm_wait_phase (dm-mirror raises one
# when it is in sync or a leg fails).
dm_mirror_wait_sync() {
    _dl=$(($(ms_now) + ${2:-600} * 1000))
    set -- "$1" "${2:-600}"
    while :; do
        _ev=$(dmsetup info -c --noheadings -o events "$1" | tr -d ' ')
        # DEV TIMEOUT 0 LEN mirror 2 LEG LEG SYNC/TOTAL 1 HEALTH ...
        set -- "$1" "$2" $(dmsetup status "$1")
        [ "${5:-}" = mirror ] || { echo "$1 is not a dm-mirror (status: ${3:-none} ${4:-} ${5:-})"; return 1; }
        case "${11}" in *[!A]*) echo "dm-mirror leg failed: $*"; return 1 ;; esac
        [ "${9%/*}" = "${9#*/}" ] && return 0
        [ "$(ms_now)" -lt $_dl ] || { echo "dm-mirror: not in sync in $2 s"; return 1; }
        timeout "$2" dmsetup wait "$1" "$_ev" > /dev/null 2>&1
    done
}

# copy_table KIND SRC DST: one table line that copies all of SRC onto DST,
# as KIND does it: "mirrorlive" (the target's default, every region) or
# "dm-mirror" (the kernel's dm-mirror, core log, full resync).  For
# comparing the two on the same devices (bench, profile, lib-selftest).
copy_table() {
    _s=$(dev_sectors "$2") || return 1
    case "$1" in
        mirrorlive) echo "0 $_s mirrorlive $2 0 $3 0" ;;
        dm-mirror)  echo "0 $_s mirror core 1 1024 2 $2 0 $3 0" ;;
        *) echo "copy_table: no such kind: $1" >&2; return 1 ;;
    esac
}

# copy_wait KIND DEV [TIMEOUT=600]: wait on dm events until DEV, a
# copy_table KIND device, has copied everything (mirrorlive: ready;
# dm-mirror: in sync); on failure, say why on stdout.
copy_wait() {
    case "$1" in
        mirrorlive) dm_wait_phase "$2" ready "${3:-600}" > "$T_TMP/copy_wait.out" ||
                        { cat "$T_TMP/copy_wait.out"; return 1; } ;;
        dm-mirror)  dm_mirror_wait_sync "$2" "${3:-600}" ;;
        *) echo "copy_wait: no such kind: $1"; return 1 ;;
    esac
}

# -------------------------------------------------------------------- fio ---
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
# per case (the state file is keyed by the job name g<GEN>).

FIO_BASE="--ioengine=libaio --direct=1 --bs=4k --iodepth=16 --group_reporting --output-format=terse --terse-version=3"

# fio_pattern GEN: the verify pattern of generation GEN
fio_pattern() { printf '0x%08x%%o' "$1"; }

# _fio OUTFILE ARGS...: run fio (terse output to OUTFILE, errors to stderr)
_fio() {
    _out=$1; shift
    fio --aux-path="$FIO_AUX" "$@" --output="$_out"
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
    _v=$(_fio_terse "$1" | cut -d';' -f"$2")
    case "$_v" in ''|*[!0-9.]*) echo 0 ;; *) echo "$_v" ;; esac
}

# _fio_verify_opts OPT...: the stored write options minus those that only
# decide when the write phase stops (the state file says what completed);
# a verify_only run with --time_based would spin for the whole runtime.
_fio_verify_opts() {
    for _o in "$@"; do
        case "$_o" in
            --time_based|--time_based=*|--runtime=*|--rate=*|--rate_iops=*|--rate_min=*|--ramp_time=*|--thinktime*) ;;
            *) printf '%s ' "$_o" ;;
        esac
    done
}

# _fio_save_opts FILE DEV OPT...: store the job options for the verify run,
# with --size pinned to DEV's size unless given: fio spreads its random
# offsets over the file size, so a verify on a bigger raw device (or one
# with an --offset) must see the same size to replay the same offsets.
_fio_save_opts() {
    _f=$1 _d=$2; shift 2
    case " $* " in
        *" --size="*) echo "$*" ;;
        *) echo "$* --size=$(blockdev --getsize64 "$_d")" ;;
    esac > "$_f"
}

# _fio_size_kb OPTSFILE: the --size of the stored options, in KiB (bytes or
# a k/m/g suffix)
_fio_size_kb() {
    _sz=$(tr ' ' '\n' < "$1" | sed -n 's/^--size=//p' | tail -n 1)
    case "$_sz" in
        *[kK]) echo "${_sz%?}" ;;
        *[mM]) echo $(( ${_sz%?} * 1024 )) ;;
        *[gG]) echo $(( ${_sz%?} * 1024 * 1024 )) ;;
        *)     echo $(( _sz / 1024 )) ;;
    esac
}

fio_write() {
    _dev=$1 _gen=$2; shift 2
    _fio_save_opts "$FIO_AUX/g$_gen.opts" "$_dev" "$@"
    _fio "$FIO_AUX/g$_gen.w" --name="g$_gen" --filename="$_dev" --rw=randwrite \
        --verify=pattern --verify_pattern="$(fio_pattern "$_gen")" --do_verify=0 \
        $FIO_BASE $(cat "$FIO_AUX/g$_gen.opts")
    _rc=$?
    _kb=$(_fio_field "$FIO_AUX/g$_gen.w" 47)
    echo "$_kb" > "$FIO_AUX/g$_gen.kb"
    echo "fio_write $_dev gen $_gen: rc=$_rc wrote $_kb KiB, $(_fio_field "$FIO_AUX/g$_gen.w" 49) IOPS"
    return $_rc
}

# fio_write_bg DEV GEN [OPT...]: fio_write in the background (pass e.g.
# --time_based --runtime=600); stop it with fio_stop GEN.
fio_write_bg() {
    _dev=$1 _gen=$2; shift 2
    _fio_save_opts "$FIO_AUX/g$_gen.opts" "$_dev" "$@"
    # fio 3.33 ignores a SIGINT that arrives before its job has started
    # (and then runs its whole runtime), so return only once the job runs:
    # its exec_prerun writes to a FIFO we read, with a bound.
    _up=$FIO_AUX/g$_gen.up
    rm -f "$_up" && mkfifo "$_up" || return 1
    printf '#!/bin/sh\necho up > %s\n' "$_up" > "$_up.sh" && chmod +x "$_up.sh" || return 1
    exec 9<> "$_up"
    fio --aux-path="$FIO_AUX" --name="g$_gen" --filename="$_dev" --rw=randwrite \
        --verify=pattern --verify_pattern="$(fio_pattern "$_gen")" --do_verify=0 \
        $FIO_BASE $(cat "$FIO_AUX/g$_gen.opts") --exec_prerun="$_up.sh" \
        --output="$FIO_AUX/g$_gen.w" > "$FIO_AUX/g$_gen.bglog" 2>&1 &
    echo $! > "$FIO_AUX/g$_gen.pid"
    _tok=""
    read -r -t 60 _tok <&9
    exec 9<&-
    [ "$_tok" = up ] && return 0
    echo "fio_write_bg: gen $_gen did not start within 60 s" >&2
    cat "$FIO_AUX/g$_gen.bglog" >&2
    return 1
}

# fio_stop GEN: SIGINT a background fio_write_bg (fio saves its verify state
# on SIGINT; never SIGKILL it) and wait for it.  fio exits 128 when stopped
# by the signal: that counts as success when its job reported no error.
fio_stop() {
    _pid=$(cat "$FIO_AUX/g$1.pid") || return 1
    kill -INT "$_pid" 2>/dev/null
    wait "$_pid"
    _rc=$?
    cat "$FIO_AUX/g$1.bglog"
    _kb=$(_fio_field "$FIO_AUX/g$1.w" 47)
    echo "$_kb" > "$FIO_AUX/g$1.kb"
    echo "fio_stop gen $1: rc=$_rc wrote $_kb KiB, $(_fio_field "$FIO_AUX/g$1.w" 49) IOPS, job error $(_fio_field "$FIO_AUX/g$1.w" 5)"
    if [ $_rc -eq 128 ] && [ -n "$(_fio_terse "$FIO_AUX/g$1.w")" ] && [ "$(_fio_field "$FIO_AUX/g$1.w" 5)" = 0 ]; then
        _rc=0
    fi
    return $_rc
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

# _fio_check_amount DEV VERIFIED_KIB WRITTEN_KIB SIZE_KIB: a verify run must
# check something, and everything written unless the writer wrapped around
# its range (time-based runs), where fio replays only one pass.
_fio_check_amount() {
    if [ "$2" -eq 0 ]; then
        echo "fio verify: nothing was verified" >&2
        return 1
    fi
    if [ "$2" -lt "$3" ] && [ "$3" -le "$4" ]; then
        echo "fio verify: verified $2 KiB < $3 KiB written" >&2
        return 1
    fi
    return 0
}

fio_verify() {
    _dev=$1 _gen=$2; shift 2
    [ -f "$FIO_AUX/g$_gen.opts" ] || { echo "fio_verify: no fio_write of gen $_gen" >&2; return 2; }
    _fio "$FIO_AUX/g$_gen.v" --name="g$_gen" --filename="$_dev" --rw=randwrite \
        --verify=pattern --verify_pattern="$(fio_pattern "$_gen")" \
        $FIO_BASE $(_fio_verify_opts $(cat "$FIO_AUX/g$_gen.opts")) "$@" \
        --verify_only --verify_state_load=1 --verify_state_save=0
    _rc=$?
    _rkb=$(_fio_field "$FIO_AUX/g$_gen.v" 6)
    _wkb=$(cat "$FIO_AUX/g$_gen.kb")
    echo "fio_verify $_dev gen $_gen: rc=$_rc verified $_rkb of $_wkb KiB written"
    [ $_rc -eq 0 ] || return $_rc
    _fio_check_amount "$_dev" "$_rkb" "$_wkb" "$(_fio_size_kb "$FIO_AUX/g$_gen.opts")"
}

# fio_readverify DEV GEN [OPT...]: sequential 4k reads over DEV (or the range
# the OPTs select) checking every block holds generation GEN's pattern; the
# whole range must have been written by that generation.
fio_readverify() {
    _dev=$1 _gen=$2; shift 2
    _fio "$FIO_AUX/r$_gen.r" --name="r$_gen" --filename="$_dev" --rw=read \
        --verify=pattern --verify_pattern="$(fio_pattern "$_gen")" $FIO_BASE "$@"
    _rc=$?
    echo "fio_readverify $_dev gen $_gen: rc=$_rc read $(_fio_field "$FIO_AUX/r$_gen.r" 6) KiB"
    return $_rc
}

# fio_crc DEV [OPT...]: randwrite with verify=crc32c (header with offset),
# then read everything back and check it, in one run.
fio_crc() {
    _dev=$1; shift
    _fio "$FIO_AUX/crc.o" --name=crc --filename="$_dev" --rw=randwrite \
        --verify=crc32c --do_verify=1 $FIO_BASE "$@"
    _rc=$?
    echo "fio_crc $_dev: rc=$_rc wrote $(_fio_field "$FIO_AUX/crc.o" 47) KiB, verified $(_fio_field "$FIO_AUX/crc.o" 6) KiB"
    return $_rc
}

# fio_crc_write DEV TAG [OPT...] / fio_crc_verify DEV TAG [OPT...]: the crc32c
# pass split like fio_write/fio_verify (verify may run on another device).
fio_crc_write() {
    _dev=$1 _tag=$2; shift 2
    _fio_save_opts "$FIO_AUX/c$_tag.opts" "$_dev" "$@"
    _fio "$FIO_AUX/c$_tag.w" --name="c$_tag" --filename="$_dev" --rw=randwrite \
        --verify=crc32c --do_verify=0 $FIO_BASE $(cat "$FIO_AUX/c$_tag.opts")
    _rc=$?
    _kb=$(_fio_field "$FIO_AUX/c$_tag.w" 47)
    echo "$_kb" > "$FIO_AUX/c$_tag.kb"
    echo "fio_crc_write $_dev $_tag: rc=$_rc wrote $_kb KiB"
    return $_rc
}
fio_crc_verify() {
    _dev=$1 _tag=$2; shift 2
    [ -f "$FIO_AUX/c$_tag.opts" ] || { echo "fio_crc_verify: no fio_crc_write $_tag" >&2; return 2; }
    _fio "$FIO_AUX/c$_tag.v" --name="c$_tag" --filename="$_dev" --rw=randwrite \
        --verify=crc32c $FIO_BASE $(_fio_verify_opts $(cat "$FIO_AUX/c$_tag.opts")) "$@" \
        --verify_only --verify_state_load=1 --verify_state_save=0
    _rc=$?
    _rkb=$(_fio_field "$FIO_AUX/c$_tag.v" 6)
    _wkb=$(cat "$FIO_AUX/c$_tag.kb")
    echo "fio_crc_verify $_dev $_tag: rc=$_rc verified $_rkb of $_wkb KiB written"
    [ $_rc -eq 0 ] || return $_rc
    _fio_check_amount "$_dev" "$_rkb" "$_wkb" "$(_fio_size_kb "$FIO_AUX/c$_tag.opts")"
}

# zero_dev DEV...: overwrite whole devices with zeroes (O_DIRECT).
zero_dev() {
    for _zd in "$@"; do
        _zn=$(blockdev --getsize64 "$_zd") || return 1
        dd if=/dev/zero of="$_zd" oflag=direct,seek_bytes iflag=count_bytes bs=1M count="$_zn" 2>/dev/null || return 1
    done
}

# is_zero DEV START COUNT: COUNT sectors from START read as zeroes (O_DIRECT).
is_zero() {
    _z=$(dd if="$1" iflag=direct,skip_bytes,count_bytes bs=1M skip=$(($2 * 512)) \
        count=$(($3 * 512)) 2>/dev/null | tr -d '\000' | wc -c)
    echo "is_zero $1 $2+$3: $_z non-zero bytes"
    [ "$_z" -eq 0 ]
}

# same_content A B [SECTORS]: compare two devices (O_DIRECT reads, so no
# stale page cache), the first SECTORS sectors or all of A.
same_content() {
    _n=${3:-$(dev_sectors "$1")}
    _a=$(dd if="$1" iflag=direct,count_bytes bs=1M count=$((_n * 512)) 2>/dev/null | md5sum | cut -d' ' -f1)
    _b=$(dd if="$2" iflag=direct,count_bytes bs=1M count=$((_n * 512)) 2>/dev/null | md5sum | cut -d' ' -f1)
    echo "same_content $1 $2 ($_n sectors): $_a $_b"
    [ "$_a" = "$_b" ]
}

# swap_table NAME TABLE: load TABLE, suspend, resume: dmsetup's way of
# replacing a live table (start, complete and cancel are all this).
swap_table() {
    dm_load "$1" "$2" || return 1
    dmsetup suspend "$1" || return 1
    dmsetup resume "$1"
}

# no_holders DEV: no dm table holds the block device any more.
no_holders() {
    _h=$(ls "/sys/class/block/$(basename "$1")/holders" 2>/dev/null)
    echo "holders of $1: '${_h}'"
    [ -z "$_h" ]
}

# fill_ff DEV: overwrite the whole device with 0xff bytes (O_DIRECT), so a
# block a copy skipped shows.
fill_ff() {
    _fm=$(($(blockdev --getsize64 "$1") / 1048576))
    tr '\0' '\377' < /dev/zero |
        dd of="$1" bs=1M count="$_fm" iflag=fullblock oflag=direct 2>/dev/null
}

# ---------------------------------------------------------------- mirrorctl ---

# A mirrorctl built with SANITIZE=1 (MIRRORCTL=... tests/vm/run.sh) exits 97
# on a leak or a sanitizer error, which no check accepts.
export ASAN_OPTIONS=exitcode=97 UBSAN_OPTIONS=halt_on_error=1:exitcode=97

# cmd_rc WANT DESC CMD ARGS...: CMD exits WANT, and a failure's first line
# on stderr is "CMD: <what>: <why>" (CMD's basename), as mirrorctl and the
# dmsetup-scripts write them.  stdout is left in $T_TMP/out, stderr in
# $T_TMP/err (both copied to the console).  Its variables are its own
# (_cr_*): callers' _want, _desc... survive.
cmd_rc() {
    _cr_want=$1 _cr_desc=$2 _cr_cmd=$3
    shift 3
    "$_cr_cmd" "$@" > "$T_TMP/out" 2> "$T_TMP/err"
    _cr_rc=$?
    cat "$T_TMP/out" "$T_TMP/err" >&2
    if [ "$_cr_rc" -ne "$_cr_want" ]; then
        t_notok "$_cr_desc" "$_cr_cmd $*: exit $_cr_rc, want $_cr_want" \
            "stdout: $(head -n 3 "$T_TMP/out")" "stderr: $(head -n 3 "$T_TMP/err")"
    elif [ "$_cr_want" -ne 0 ] && ! head -n 1 "$T_TMP/err" | grep -q "^${_cr_cmd##*/}: .*: "; then
        t_notok "$_cr_desc" "no '${_cr_cmd##*/}: <what>: <why>' message" \
            "stderr: $(head -n 3 "$T_TMP/err")"
    else
        t_pass "$_cr_desc"
    fi
}

# mctl_rc WANT DESC ARGS...: cmd_rc for mirrorctl.
mctl_rc() {
    _mr_want=$1 _mr_desc=$2
    shift 2
    cmd_rc "$_mr_want" "$_mr_desc" mirrorctl "$@"
}
