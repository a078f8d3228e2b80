# shellcheck shell=sh disable=SC3043 # (local: busybox ash and dash have it)
# copy.sh - waiting for a copy: a mirrorlive device's phase, the kernel's
# dm-mirror's sync, and tables that copy one device onto another either way.

# dm_wait_phase DEV PHASE [TIMEOUT=60]: wait until DEV's first mirrorlive
# segment reports PHASE; fail at once on "failed", or after TIMEOUT seconds.
# No polling: the target raises a dm event on every phase change, so this
# blocks in "dmsetup wait" for the next event. The event counter is read
# before the status, so a change between the two is never missed.
dm_wait_phase() {
    local t0 deadline ev st ph now left
    t0=$(ms_now)
    deadline=$((t0 + ${3:-60} * 1000))
    while :; do
        ev=$(dmsetup info -c --noheadings -o events "$1" | tr -d ' ')
        st=$(dm_status "$1")
        ph=${st%% *}
        now=$(ms_now)
        if [ "$ph" = "$2" ]; then
            echo "$2 after $((now - t0)) ms: $st"; return 0
        fi
        if [ "$ph" = failed ]; then
            echo "failed after $((now - t0)) ms: $st"; return 1
        fi
        left=$(((deadline - now + 999) / 1000))
        if [ "$left" -le 0 ] || [ -z "$ev" ]; then
            echo "timeout after $((now - t0)) ms: $st"; return 1
        fi
        timeout "$left" dmsetup wait "$1" "$ev" > /dev/null 2>&1
    done
}

# dm_mirror_wait_sync DEV [TIMEOUT=600]: wait until the kernel's dm-mirror
# DEV has every region in sync; fail at once on a failed leg, or after
# TIMEOUT seconds.  On dm events like dm_wait_phase (dm-mirror raises one
# when it is in sync or a leg fails).
dm_mirror_wait_sync() {
    local deadline ev
    deadline=$(($(ms_now) + ${2:-600} * 1000))
    set -- "$1" "${2:-600}"
    while :; do
        ev=$(dmsetup info -c --noheadings -o events "$1" | tr -d ' ')
        # DEV TIMEOUT 0 LEN mirror 2 LEG LEG SYNC/TOTAL 1 HEALTH ...
        # shellcheck disable=SC2046 # (split into fields on purpose)
        set -- "$1" "$2" $(dmsetup status "$1")
        [ "${5:-}" = mirror ] || { echo "$1 is not a dm-mirror (status: ${3:-none} ${4:-} ${5:-})"; return 1; }
        case "${11}" in *[!A]*) echo "dm-mirror leg failed: $*"; return 1 ;; esac
        [ "${9%/*}" = "${9#*/}" ] && return 0
        [ "$(ms_now)" -lt $deadline ] || { echo "dm-mirror: not in sync in $2 s"; return 1; }
        timeout "$2" dmsetup wait "$1" "$ev" > /dev/null 2>&1
    done
}

# copy_table KIND SRC DST: one table line that copies all of SRC onto DST,
# as KIND does it: "mirrorlive" (the target's default, every region) or
# "dm-mirror" (the kernel's dm-mirror, core log, full resync).  For
# comparing the two on the same devices (bench, profile, lib-selftest).
copy_table() {
    local sectors
    sectors=$(dev_sectors "$2") || return 1
    case "$1" in
        mirrorlive) echo "0 $sectors mirrorlive $2 0 $3 0" ;;
        dm-mirror)  echo "0 $sectors mirror core 1 1024 2 $2 0 $3 0" ;;
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
