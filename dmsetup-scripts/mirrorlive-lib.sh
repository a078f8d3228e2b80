# shellcheck shell=sh disable=SC2034
# (SC2034: the ML_* results are for the scripts that source this file)
# mirrorlive-lib.sh - shared by the mirrorlive-* scripts (sourced, not run).
#
# Everything here uses dmsetup, /proc, /sys and POSIX sh (dash, bash,
# busybox ash).  No "local": every function's variables carry its own
# prefix, so callers' variables are never clobbered.
#
# Conventions (those of mirrorctl):
#   exit 0 done, 1 operation failed (dmsetup/kernel refused, I/O error,
#   mirror failed), 2 usage error, 3 precondition not met (not ready, not
#   mirroring, already mirroring, destination rejected), 4 timeout.
#   Errors go to stderr as "<script>: <what>: <why>".
#   Functions that can fail print their message and return the exit code
#   the caller should use; callers do "fn || exit $?".
#
# Index:
#   ml_err MSG / ml_fail RC MSG / ml_usage_error MSG
#   ml_help_scan ARGS...            --help or -h anywhere: help, exit 0
#   ml_is_uint STR                  decimal, no sign, at most 18 digits
#   ml_resolve DEVICE               ML_NAME ML_MM ML_ATTR ML_OPEN ML_EVENTS
#   ml_info NAME                    refresh ML_ATTR ML_OPEN ML_EVENTS ML_MM
#   ml_require_idle NAME            not suspended, no inactive table
#   ml_devno PATH / ml_devname MM   "major:minor" / "ram0", "mapper/vm"
#   ml_is_mirror TABLE, ml_targets TABLE, ml_require_mirror NAME
#   ml_mirror_to_linear TABLE dest|source   complete's and cancel's tables
#   ml_sans_promises TABLE          without nosync, dest_zeroed (compare)
#   ml_status_sum NAME              ML_PHASE ML_COPIED ML_TOTAL ... summed
#   ml_swap NAME TABLE LIVE [CHECK] load, suspend, re-check, resume / undo
#   ml_clock / ml_ms US             ML_NOW_US, and microseconds as "N.NNN"
#   ml_human BYTES / ml_percent A B

# the target's names and status field positions
# shellcheck source=mirrorlive-abi.sh
. "$ML_DIR/mirrorlive-abi.sh" || { echo "${ML_PROG:-mirrorlive}: cannot read $ML_DIR/mirrorlive-abi.sh" >&2; exit 1; }

ML_EX_FAILED=1
ML_EX_USAGE=2
ML_EX_PRECOND=3
ML_EX_TIMEOUT=4

ML_PROG=${ML_PROG:-mirrorlive}

# ------------------------------------------------------------ messages ---

ml_err() { printf '%s: %s\n' "$ML_PROG" "$*" >&2; }

# ml_fail RC MSG: print MSG as an error and return RC.
ml_fail() {
    _mf_rc=$1
    shift
    ml_err "$@"
    return "$_mf_rc"
}

# ml_usage_error MSG: a command line error; the script's usage() follows.
ml_usage_error() {
    ml_err "usage error: $*"
    usage >&2
    exit $ML_EX_USAGE
}

# ml_help_scan ARGS...: --help / -h anywhere (before "--") prints the
# script's help() and exits 0.
ml_help_scan() {
    for _mh_a in "$@"; do
        case $_mh_a in
            --) return 0 ;;
            -h|--help) help; exit 0 ;;
        esac
    done
}

ml_is_uint() {
    case $1 in
        ''|*[!0-9]*) return 1 ;;
    esac
    [ ${#1} -le 18 ]
}

# How a RATE is written (mirrorctl's size.h says the same).
ML_RATE_FORMS="a number with a binary unit (K, M, G, T or KiB, MiB, GiB, TiB; per second, e.g. 100M or 100MiB/s), or 0 for unlimited"

# ml_rate_kbps RATE: mirrorctl's RATE rule -- a number with a binary unit,
# K/M/G/T or KiB/MiB/GiB/TiB in either case, maybe "/s"; without a unit
# only 0 (unlimited), since a bare 100 reads as bytes to one operator and
# KiB to another -- as KiB/s in ML_KBPS (at most 4294967295, the kernel's
# 32 bits).  Returns 1 with the reason in ML_RATE_WHY.
ml_rate_kbps() {
    _rk=$1 ML_RATE_WHY="expected $ML_RATE_FORMS"
    case "$_rk" in *[0-9][kKmMgGtT]/[sS]|*[iI][bB]/[sS]) _rk=${_rk%/?} ;; esac
    case "$_rk" in *[0-9][kKmMgGtT][iI][bB]) _rk=${_rk%??} ;; esac
    case "$_rk" in
        *[kK]) _rk_mult=1 ;;
        *[mM]) _rk_mult=1024 ;;
        *[gG]) _rk_mult=1048576 ;;
        *[tT]) _rk_mult=1073741824 ;;
        *) _rk_mult=0 ;;
    esac
    [ "$_rk_mult" -eq 0 ] || _rk=${_rk%?}
    ml_is_uint "$_rk" || return 1
    if [ "$_rk_mult" -eq 0 ]; then
        [ "$_rk" -eq 0 ] || { ML_RATE_WHY="no unit: $ML_RATE_WHY"; return 1; }
        ML_KBPS=0
        return 0
    fi
    if [ "$_rk" -gt $((4294967295 / _rk_mult)) ]; then
        ML_RATE_WHY="too large (at most 4294967295K)"
        return 1
    fi
    ML_KBPS=$((_rk * _rk_mult))
}

# ------------------------------------------------------------- devices ---

# ml_devno PATH: "major:minor" (decimal) of the block device PATH.
ml_devno() {
    _md=$(stat -L -c '%t %T' "$1" 2>/dev/null) || return 1
    # shellcheck disable=SC2086 # two hex words
    set -- $_md
    echo "$((0x$1)):$((0x$2))"
}

# ml_devname MM: the kernel's name of block device MM ("ram0", "sdb1"), or
# "mapper/NAME" for a dm device; MM itself when sysfs does not know it.
ml_devname() {
    if [ -r "/sys/dev/block/$1/dm/name" ]; then
        echo "mapper/$(cat "/sys/dev/block/$1/dm/name")"
        return 0
    fi
    _mn=$(sed -n 's/^DEVNAME=//p' "/sys/dev/block/$1/uevent" 2>/dev/null)
    echo "${_mn:-$1}"
}

# ml_dm_major: the block major of device-mapper.
ml_dm_major() { awk '$2 == "device-mapper" { print $1 }' /proc/devices; }

# ml_info NAME: refresh ML_MM ML_ATTR ML_OPEN ML_EVENTS of an existing dm
# device.  ML_ATTR is dmsetup's attr: (L)ive (I)nactive (s)uspended r/w.
ml_info() {
    _mi=$(dmsetup info -c --noheadings --separator ' ' \
        -o major,minor,attr,open,events -- "$1" 2>&1) ||
        return $ML_EX_FAILED
    # shellcheck disable=SC2086 # five words
    set -- $_mi
    [ $# -eq 5 ] || return $ML_EX_FAILED
    ML_MM=$1:$2 ML_ATTR=$3 ML_OPEN=$4 ML_EVENTS=$5
}

# ml_volume_manager NAME: when a volume manager owns dm device NAME (by the
# prefix of its dm UUID), print "MANAGER|SAFE TOOL" and its UUID on a second
# line; print nothing otherwise.  Its next reload would map the source
# again after a complete.  The same list as mirrorctl's userspace/volmgr.c.
ml_volume_manager() {
    _vu=$(dmsetup info -c --noheadings -o uuid -- "$1" 2>/dev/null) || return 0
    case $_vu in
        LVM-*) echo "LVM|pvmove (or lvconvert --type raid1 -m1, then split)" ;;
        part[0-9]*-*)
            _vn=${_vu#part}; _vn=${_vn%%-*}
            case $_vn in ''|*[!0-9]*) return 0 ;; esac
            echo "kpartx|a migration of the whole parent device" ;;
        DMRAID-*) echo "dmraid|the RAID set's own rebuild" ;;
        stratis-*) echo "Stratis|stratis pool add-data, then removing the old block device" ;;
        *) return 0 ;;
    esac
    echo "$_vu"
}

# ml_resolve DEVICE: DEVICE is a dm name, /dev/mapper/NAME or /dev/dm-N.
# Sets ML_NAME and, through ml_info, ML_MM ML_ATTR ML_OPEN ML_EVENTS.
ml_resolve() {
    case $1 in
        */*)
            [ -e "$1" ] || ml_fail $ML_EX_FAILED "$1: no such device" || return
            [ -b "$1" ] || ml_fail $ML_EX_PRECOND "$1: not a block device" || return
            _mr_mm=$(ml_devno "$1") ||
                ml_fail $ML_EX_FAILED "$1: cannot stat it" || return
            [ "${_mr_mm%:*}" = "$(ml_dm_major)" ] ||
                ml_fail $ML_EX_PRECOND "$1: not a device-mapper device ($(ml_devname "$_mr_mm"))" ||
                return
            ML_NAME=$(dmsetup info -c --noheadings -o name \
                -j "${_mr_mm%:*}" -m "${_mr_mm#*:}" 2>/dev/null) ||
                ml_fail $ML_EX_FAILED "$1: no such device-mapper device" ||
                return
            ;;
        '')
            ml_fail $ML_EX_FAILED "empty device name" || return ;;
        *)
            ML_NAME=$1 ;;
    esac
    if ! ml_info "$ML_NAME"; then
        if dmsetup info -- "$ML_NAME" > /dev/null 2>&1; then
            ml_fail $ML_EX_FAILED "$ML_NAME: dmsetup info failed: $(ml_why "$_mi")"
        else
            ml_fail $ML_EX_FAILED "$ML_NAME: no such device-mapper device"
        fi
        return
    fi
}

# ml_require_idle NAME: refuse a device another operation is working on.
ml_require_idle() {
    case $ML_ATTR in
        ??s*) ml_fail $ML_EX_PRECOND "$1: device is suspended (another operation in progress?)"
              return ;;
        ?I*)  ml_fail $ML_EX_PRECOND "$1: an inactive table is loaded (another operation in progress? 'dmsetup clear $1' drops it)"
              return ;;
        L*)   return 0 ;;
    esac
    ml_fail $ML_EX_PRECOND "$1: no table loaded"
}

# ml_table NAME [--inactive]: the table lines "start len target params".
ml_table() {
    if [ "${2:-}" = --inactive ]; then
        dmsetup table --inactive -- "$1"
    else
        dmsetup table -- "$1"
    fi
}

# ml_is_mirror TABLE: does TABLE have a mirrorlive line?
ml_is_mirror() {
    printf '%s\n' "$1" | awk '$3 == "mirrorlive" { f = 1 } END { exit !f }'
}

# ml_targets TABLE: the target types of TABLE, e.g. "linear" or "linear,error"
ml_targets() {
    printf '%s\n' "$1" | awk 'NF >= 3 && !($3 in seen) { seen[$3]; s = s (s ? "," : "") $3 }
        END { print s }'
}

# ml_sans_promises TABLE: TABLE with nosync and dest_zeroed left out of its
# mirrorlive lines (and the feature count adjusted).  The kernel stops
# printing them by itself once they are no longer true (the destination was
# written to, the mirror failed: dm-mirrorlive.rst, "Reloading a mirror"),
# which is no one else changing the table.
ml_sans_promises() {
    printf '%s\n' "$1" | awk '
        $3 != "mirrorlive" || NF < 8 { print; next }
        {
            line = $1 " " $2 " " $3 " " $4 " " $5 " " $6 " " $7; feat = ""; n = 0
            for (i = 9; i <= NF; i++)
                if ($i != "nosync" && $i != "dest_zeroed") { feat = feat " " $i; n++ }
            print (n ? line " " n feat : line)
        }'
}

# ml_mirror_to_linear TABLE dest|source: TABLE with every mirrorlive line
# replaced by linear over its destination (complete) or its source
# (cancel); other lines are kept.
ml_mirror_to_linear() {
    printf '%s\n' "$1" | awk -v to="$2" '
        $3 == "mirrorlive" && to == "dest" { print $1, $2, "linear", $6, $7; next }
        $3 == "mirrorlive" { print $1, $2, "linear", $4, $5; next }
        { print }'
}

# ml_mirror_to_kept TABLE: complete --keep-source: every mirrorlive line
# "S L mirrorlive SRC SOFF DEST DOFF [f]" becomes "S L mirrorlive DEST DOFF
# SRC SOFF [region_size R] nosync [metadata M [mirror_id I]]" (the
# destination the primary, the old source a second leg equal to it, the
# record taken over: metadata-format.rst, section 3, "Reversal"), as
# mirrorctl's table_make_keep().
ml_mirror_to_kept() {
    printf '%s\n' "$1" | awk '
        $3 != "mirrorlive" { print; next }
        {
            f = ""; n = 0
            for (i = 9; i < NF; i++) if ($i == "region_size") { f = f " region_size " $(i + 1); n += 2 }
            f = f " nosync"; n++
            for (i = 9; i < NF; i++)
                if ($i == "metadata" || $i == "mirror_id") { f = f " " $i " " $(i + 1); n += 2 }
            print $1, $2, "mirrorlive", $6, $7, $4, $5, n f
        }'
}

# The kept state's markers, shared with mirrorctl (Documentation/
# interface.rst, 7.12): DIR/NAME holds "since SECONDS", then the kept table.
ML_KEPT_DIR=/run/dm-mirrorlive/kept

# ml_kept_save NAME TABLE: mark NAME kept, now, as TABLE
ml_kept_save() {
    mkdir -p "$ML_KEPT_DIR" &&
        printf 'since %s\n%s\n' "$(date +%s)" "$2" > "$ML_KEPT_DIR/$1.new" &&
        mv "$ML_KEPT_DIR/$1.new" "$ML_KEPT_DIR/$1"
}

# ml_kept_check NAME LIVE: is NAME (live table LIVE) kept?  Only while its
# table is still the marker's (nosync may have been dropped by the kernel).
ml_kept_check() {
    [ -f "$ML_KEPT_DIR/$1" ] || return 1
    [ "$(ml_sans_promises "$(sed 1d "$ML_KEPT_DIR/$1")")" = "$(ml_sans_promises "$2")" ]
}

ml_kept_drop() { rm -f "$ML_KEPT_DIR/$1"; }

# ml_ready_to_switch NAME: every mirrorlive segment ready, reason "-", no
# destination error (complete's and revert's condition); else refuse (3)
# saying why.
ml_ready_to_switch() {
    ml_status_sum "$1" || return
    case $ML_PHASE in
        ready)
            if [ "$ML_REASON" != - ] || [ "$ML_DEST_ERRORS" -ne 0 ]; then
                ml_fail $ML_EX_PRECOND "$1: destination errors ($ML_DEST_ERRORS, $ML_REASON), staying on the source"
                return
            fi
            return 0 ;;
        failed)
            ml_fail $ML_EX_PRECOND "$1: mirror failed ($ML_REASON), staying on the source" ;;
        none)
            ml_fail $ML_EX_PRECOND "$1: not mirroring any more" ;;
        *)
            ml_fail $ML_EX_PRECOND "$1: not ready ($ML_PHASE, $(ml_progress)), staying on the source" ;;
    esac
}

# ml_record_outcome NAME TABLE OUTCOME: while NAME is suspended, send
# "outcome OUTCOME" (completed, cancelled) to every mirrorlive line of
# TABLE with a metadata device, so that a crash before the next boot
# leaves on the record which leg holds the device (metadata-format.rst,
# section 3).  Returns non-zero, having said why, if one is refused.
ml_record_outcome() {
    for _ro in $(printf '%s\n' "$2" | awk '$3 == "mirrorlive" {
            for (i = 8; i < NF; i++) if ($i == "metadata") { print $1; break } }'); do
        if ! _ro_out=$(dmsetup message -- "$1" "$_ro" outcome "$3" 2>&1); then
            ml_err "$1: cannot record \"$3\" on its metadata device: $(ml_why "$_ro_out") (see the kernel log)"
            return $ML_EX_FAILED
        fi
    done
}

# The checks ml_swap runs while NAME is suspended, over ML_LIVE (the table
# it replaces).  ml_ready_and_completed NAME: still ready, and every
# persistent mirror records "completed" (complete, revert); else refuse.
ml_ready_and_completed() {
    ml_ready_to_switch "$1" && ml_record_outcome "$1" "$ML_LIVE" completed
}
# ml_record_cancelled NAME: every persistent mirror records "cancelled";
# on failure only a warning, the switch goes on (cancel, commit).
ml_record_cancelled() {
    ml_record_outcome "$1" "$ML_LIVE" cancelled ||
        ml_err "$1: warning: a crash before its next boot may set it up as a mirror again (mirrorctl restore)"
    return 0
}

# ml_end_records TABLE: zero the first 8 KiB (both superblock slots) of
# every metadata device of TABLE's mirrorlive lines, once the device is
# switched off them (complete, cancel), so that no later start takes up a
# finished migration's record.  Only warns on failure.
ml_end_records() {
    for _er in $(printf '%s\n' "$1" | awk '$3 == "mirrorlive" {
            for (i = 8; i < NF; i++) if ($i == "metadata") print $(i + 1) }'); do
        _ern=$(ml_devname "$_er")
        if ! dd if=/dev/zero of="/dev/$_ern" bs=4096 count=2 conv=notrunc,fsync \
                2>/dev/null; then
            ml_err "warning: the record on $_er stays: zero its first 8 KiB before using it again"
        fi
    done
}

# ml_require_mirror NAME: set ML_LIVE to NAME's live table; refuse (3) a
# table without a mirrorlive line.
ml_require_mirror() {
    ML_LIVE=$(ml_table "$1") ||
        ml_fail $ML_EX_FAILED "$1: cannot read its table" || return
    ml_is_mirror "$ML_LIVE" && return 0
    ml_fail $ML_EX_PRECOND "$1: not mirroring (target $(ml_targets "$ML_LIVE"))"
}

# -------------------------------------------------------------- status ---

# ml_status_sum NAME: read the mirrorlive status lines of NAME and set
#   ML_PHASE      failed if any segment failed, else copying if any copies,
#                 else paused if any is paused, else ready; "none" when
#                 there is no mirrorlive segment
#   ML_COPIED ML_TOTAL ML_MIRRORED ML_DEST_ERRORS ML_SOURCE_ERRORS
#   ML_ZERO_REGIONS   summed over the segments
#   ML_MAX_KBPS   the first segment's limit
#   ML_REASON     the first reason that is not "-", else "-"
#   ML_SEGMENTS   number of mirrorlive segments
#   ML_STATUS     the raw status lines
# Shell builtins only, besides dmsetup: complete calls it while the device
# is suspended.  Fields appended by later versions are ignored.  Returns 1
# (message printed) when dmsetup fails or a line is malformed.
ml_status_sum() {
    _ss_name=$1
    ML_STATUS=$(dmsetup status -- "$_ss_name" 2>&1) ||
        ml_fail $ML_EX_FAILED "$_ss_name: dmsetup status failed: $(ml_why "$ML_STATUS")" || return
    ML_SEGMENTS=0 ML_COPIED=0 ML_TOTAL=0 ML_MIRRORED=0 ML_DEST_ERRORS=0
    ML_SOURCE_ERRORS=0 ML_ZERO_REGIONS=0 ML_MAX_KBPS=0 ML_REASON=- _ss_all=
    while read -r _ss_start _ss_len _ss_t _ss_fields; do
        [ "$_ss_t" = "$ML_TARGET" ] || continue
        # the fields by their numbers in mirrorlive-abi.sh
        # shellcheck disable=SC2086 # one word per field
        set -- $_ss_fields
        _ss_ph='' _ss_prog='' _ss_mw='' _ss_de='' _ss_se='' _ss_zr='' _ss_kb='' _ss_re=''
        eval "_ss_ph=\${$ML_F_PHASE:-} _ss_prog=\${$ML_F_PROGRESS:-}
              _ss_mw=\${$ML_F_MIRRORED_WRITES:-} _ss_de=\${$ML_F_DEST_ERRORS:-}
              _ss_se=\${$ML_F_SOURCE_ERRORS:-} _ss_zr=\${$ML_F_ZERO_REGIONS:-}
              _ss_kb=\${$ML_F_MAX_COPY_KBPS:-} _ss_re=\${$ML_F_REASON:-}"
        case $_ss_ph/$_ss_prog/$_ss_re in
            copying/*/?*|paused/*/?*|ready/*/?*|failed/*/?*) ;;
            *) _ss_start=bad ;;
        esac
        for _ss_n in "$_ss_start" "$_ss_len" "${_ss_prog%/*}" "${_ss_prog#*/}" \
                "$_ss_mw" "$_ss_de" "$_ss_se" "$_ss_zr" "$_ss_kb"; do
            ml_is_uint "$_ss_n" && continue
            ml_fail $ML_EX_FAILED "$_ss_name: cannot parse the mirrorlive status: $_ss_t $_ss_ph $_ss_prog $_ss_mw $_ss_de $_ss_se $_ss_zr $_ss_kb $_ss_re"
            return
        done
        ML_SEGMENTS=$((ML_SEGMENTS + 1))
        ML_COPIED=$((ML_COPIED + ${_ss_prog%/*}))
        ML_TOTAL=$((ML_TOTAL + ${_ss_prog#*/}))
        ML_MIRRORED=$((ML_MIRRORED + _ss_mw))
        ML_DEST_ERRORS=$((ML_DEST_ERRORS + _ss_de))
        ML_SOURCE_ERRORS=$((ML_SOURCE_ERRORS + _ss_se))
        ML_ZERO_REGIONS=$((ML_ZERO_REGIONS + _ss_zr))
        [ "$ML_SEGMENTS" -gt 1 ] || ML_MAX_KBPS=$_ss_kb
        [ "$ML_REASON" != - ] || ML_REASON=$_ss_re
        _ss_all="$_ss_all $_ss_ph"
    done <<EOF
$ML_STATUS
EOF
    case "$_ss_all " in
        *" failed "*)  ML_PHASE=failed ;;
        *" copying "*) ML_PHASE=copying ;;
        *" paused "*)  ML_PHASE=paused ;;
        *" ready "*)   ML_PHASE=ready ;;
        *)             ML_PHASE=none ;;
    esac
}

# ml_progress: "37.5% copied" from ML_COPIED/ML_TOTAL.
ml_progress() { echo "$(ml_percent "$ML_COPIED" "$ML_TOTAL") copied"; }

# ------------------------------------------------------ formatting, time ---

# ml_percent A B: A/B as "37.5%" (one decimal, rounded down).
ml_percent() {
    if [ "$2" -le 0 ]; then echo "0.0%"; return; fi
    _mp=$(($1 * 1000 / $2))
    echo "$((_mp / 10)).$((_mp % 10))%"
}

# ml_human BYTES: "512 B", "4.0 KiB", "1.5 GiB" (one decimal, rounded down).
ml_human() {
    if [ "$1" -lt 1024 ]; then echo "$1 B"; return; fi
    _mhv=$(($1 * 10)) _mhu=B
    for _mhn in KiB MiB GiB TiB PiB EiB; do
        [ "$_mhv" -ge 10240 ] || break
        _mhv=$((_mhv / 1024)) _mhu=$_mhn
    done
    echo "$((_mhv / 10)).$((_mhv % 10)) $_mhu"
}

# ml_clock: set ML_NOW_US, microseconds from some fixed point, from the
# best clock there is: the monotonic "now at N nsecs" of /proc/timer_list
# (root only), else GNU date's nanoseconds (busybox date has no %N), else
# /proc/uptime (10 ms steps).  ML_CLOCK_RES says which resolution: "us" or
# "10ms".  The /proc files are read by the shell itself: no process is
# started, so the clock costs next to nothing inside a suspend window.
ml_clock() {
    case $ML_CLOCK in
        timer_list)
            _mc_i=0
            while [ $_mc_i -lt 5 ] && read -r _mc_a _mc_b _mc_ns _mc_rest; do
                _mc_i=$((_mc_i + 1))
                [ "$_mc_a $_mc_b $_mc_rest" = "now at nsecs" ] || continue
                ml_is_uint "$_mc_ns" || break
                ML_NOW_US=$((_mc_ns / 1000))
                return 0
            done < /proc/timer_list
            ML_CLOCK=gnu_date
            ml_clock
            return ;;
        gnu_date)
            _mc_ns=$(date +%s%N 2>/dev/null)
            if ml_is_uint "$_mc_ns"; then
                ML_CLOCK_RES=us ML_NOW_US=$((_mc_ns / 1000))
                return 0
            fi
            ML_CLOCK=uptime ;;
    esac
    ML_CLOCK_RES=10ms
    read -r _mc_up _mc_rest < /proc/uptime
    _mc_s=${_mc_up%.*} _mc_f=${_mc_up#*.}
    # "12.34": seconds and hundredths (no leading zero: not octal)
    ML_NOW_US=$((_mc_s * 1000000 + ${_mc_f#0} * 10000))
}
ML_CLOCK=timer_list ML_CLOCK_RES=us
[ -r /proc/timer_list ] || ML_CLOCK=gnu_date
ml_clock

# ml_ms US: microseconds as milliseconds, "12.345 ms" ("12 ms" with the
# 10 ms clock, whose fractions would be noise).
ml_ms() {
    if [ "$ML_CLOCK_RES" = us ]; then
        printf '%d.%03d ms\n' $(($1 / 1000)) $(($1 % 1000))
    else
        echo "$(($1 / 1000)) ms (10 ms clock resolution)"
    fi
}

# ---------------------------------------------------------------- swap ---

# ml_hook POINT: a test hook.  MIRRORLIVE_TEST_HOOK, when set, is run with
# POINT ("loaded": new table loaded, device not yet suspended; "suspended":
# device suspended, nothing re-checked yet; "committed": the re-checks
# passed, not resumed yet) and the device name, so that a
# test can change the device in the window the re-checks guard.  Its
# failure is ignored.  Never set it in production.
ml_hook() {
    [ -n "${MIRRORLIVE_TEST_HOOK:-}" ] || return 0
    $MIRRORLIVE_TEST_HOOK "$1" "$ML_SWAP_NAME" >&2 || :
}

# ml_why OUTPUT: the line of dmsetup's error OUTPUT that says why (not its
# closing "Command failed.").
ml_why() {
    printf '%s\n' "$1" | grep -v '^Command failed' | tail -n 1
}

# ml_kmsg_last: the last "device-mapper: table:" line of the kernel log,
# where a refused table's reason is ("<dev>: mirrorlive: Destination device
# too small (-EINVAL)"); the ioctl's own line after it says nothing more.
ml_kmsg_last() { dmesg 2>/dev/null | grep 'device-mapper: table: ' | tail -n 1; }

# ml_rollback: undo an unfinished swap: drop the new inactive table, then
# resume the old one.  A device whose new table cannot be dropped stays
# suspended: resuming it would make that table live.
ml_rollback() {
    if [ "$ML_SWAP_LOADED" = 1 ]; then
        if ! dmsetup clear -- "$ML_SWAP_NAME" > /dev/null 2>&1; then
            ml_err "$ML_SWAP_NAME: cannot drop the new table: left suspended with it loaded; to keep the old table: dmsetup clear $ML_SWAP_NAME && dmsetup resume $ML_SWAP_NAME"
            return 1
        fi
        ML_SWAP_LOADED=0
    fi
    if [ "$ML_SWAP_SUSPENDED" = 1 ]; then
        if ! dmsetup resume -- "$ML_SWAP_NAME" > /dev/null 2>&1; then
            ml_err "$ML_SWAP_NAME: cannot resume: left suspended ('dmsetup resume $ML_SWAP_NAME' retries)"
            return 1
        fi
        ML_SWAP_SUSPENDED=0
    fi
    return 0
}

_ml_swap_interrupted() {
    trap - INT TERM HUP
    ml_rollback && ml_err "$ML_SWAP_NAME: interrupted, nothing changed"
    exit $ML_EX_FAILED
}

# ml_swap NAME TABLE LIVE [CHECK]: replace NAME's live table LIVE (as
# "dmsetup table" printed it) by TABLE, the way
# Documentation/dm-mirrorlive.rst does it:
#   1. load TABLE (inactive);
#   2. suspend NAME (in-flight I/O drains, new I/O queues);
#   3. while it is suspended, re-check that the live table is still LIVE
#      and the inactive one TABLE (exactly, as mirrorctl does: a rate
#      change by message meanwhile refuses too), and run CHECK NAME (a
#      function that prints why and returns non-zero to refuse): no write
#      can slip in between these checks and the swap;
#   4. resume: TABLE goes live.
# When a step fails (or on SIGINT/SIGTERM/SIGHUP), the inactive table is
# cleared and the old table resumed, so the device is as before.  TABLE
# must be in the kernel's canonical form (devices as major:minor, default
# features left out), as the tables the scripts build are.  Between the
# suspend and the resume nothing but dmsetup is run.  Sets ML_WINDOW_US,
# the time from suspend to resume.  Returns 0, or the exit code (message
# printed).
ml_swap() {
    ML_SWAP_NAME=$1 ML_SWAP_LOADED=0 ML_SWAP_SUSPENDED=0 ML_WINDOW_US=
    _sw_table=$2 _sw_live=$3 _sw_check=${4:-}
    _sw_kmsg=$(ml_kmsg_last)
    trap _ml_swap_interrupted INT TERM HUP

    if ! _sw_out=$(printf '%s\n' "$_sw_table" | dmsetup load -- "$1" 2>&1); then
        trap - INT TERM HUP
        ml_err "$1: the kernel refused the new table: $(ml_why "$_sw_out")"
        _sw_k=$(ml_kmsg_last)
        [ -n "$_sw_k" ] && [ "$_sw_k" != "$_sw_kmsg" ] && ml_err "$1: kernel log: $_sw_k"
        # a failed load leaves no inactive table, but make sure
        dmsetup clear -- "$1" > /dev/null 2>&1
        return $ML_EX_FAILED
    fi
    ML_SWAP_LOADED=1
    ml_hook loaded

    ml_clock
    _sw_t0=$ML_NOW_US
    ML_SWAP_SUSPENDED=1     # from here on it may be suspended
    if ! _sw_out=$(dmsetup suspend -- "$1" 2>&1); then
        ml_err "$1: suspend failed: $(ml_why "$_sw_out")"
        ml_rollback
        trap - INT TERM HUP
        return $ML_EX_FAILED
    fi
    ml_hook suspended

    _sw_rc=0
    if [ "$(ml_sans_promises "$(ml_table "$1")")" != "$(ml_sans_promises "$_sw_live")" ]; then
        ml_err "$1: the live table changed meanwhile (someone else is working on $1)"
        _sw_rc=$ML_EX_PRECOND
    elif [ "$(ml_table "$1" --inactive)" != "$_sw_table" ]; then
        ml_err "$1: the inactive table changed meanwhile (someone else is working on $1)"
        _sw_rc=$ML_EX_PRECOND
    elif [ -n "$_sw_check" ]; then
        "$_sw_check" "$1"
        _sw_rc=$?
    fi
    if [ "$_sw_rc" -ne 0 ]; then
        ml_rollback
        trap - INT TERM HUP
        return "$_sw_rc"
    fi
    ml_hook committed

    if ! _sw_out=$(dmsetup resume -- "$1" 2>&1); then
        ml_err "$1: resume with the new table failed: $(ml_why "$_sw_out")"
        ml_rollback
        trap - INT TERM HUP
        if [ "$(ml_table "$1")" = "$_sw_live" ]; then
            ml_err "$1: the old table is live again"
        fi
        return $ML_EX_FAILED
    fi
    ml_clock
    _sw_t1=$ML_NOW_US
    ML_SWAP_LOADED=0 ML_SWAP_SUSPENDED=0
    trap - INT TERM HUP
    ML_WINDOW_US=$((_sw_t1 - _sw_t0))
    return 0
}
