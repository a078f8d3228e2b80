# shellcheck shell=sh disable=SC3043 # (local: busybox ash and dash have it)
# dm.sh - device-mapper devices through dmsetup: create, load, swap,
# remove, tables and status lines, sysfs, and finish's cleanup of what a
# case left behind.

# _dm_names: the names of all dm devices, one a line (none: nothing).
_dm_names() {
    dmsetup ls 2>/dev/null | awk '$1 != "No" {print $1}'
}

# dm_cleanup: remove every dm device created since setup (dependents first).
dm_cleanup() {
    local pass left d
    pass=0
    while [ $pass -lt 5 ]; do
        left=""
        for d in $(_dm_names); do
            case "$_T_DM_BEFORE" in *" $d "*) continue ;; esac
            left="$left $d"
            dmsetup resume "$d" > /dev/null 2>&1
            if dmsetup remove "$d" > /dev/null 2>&1; then
                diag "finish: removed leftover dm device $d"
            fi
        done
        [ -z "$left" ] && return 0
        pass=$((pass + 1))
    done
    for d in $left; do
        dmsetup remove --force "$d" > /dev/null 2>&1 && diag "finish: force-removed $d"
    done
    return 0
}

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
    local line
    line=${2:-1}
    if [ "${3:-}" = "--inactive" ]; then
        dmsetup status --inactive "$1"
    else
        dmsetup status "$1"
    fi | sed -n "${line}p" | cut -d' ' -f4-
}

# dm_sysfs NAME: /sys/block/dm-N of a dm device; dm_holders NAME: what
# holds it open.
dm_sysfs() { echo "/sys/block/dm-$(dmsetup info -c --noheadings -o minor "$1" | tr -d ' ')"; }
dm_holders() { ls "$(dm_sysfs "$1")/holders"; }

# swap_table NAME TABLE: load TABLE, suspend, resume: dmsetup's way of
# replacing a live table (start, complete and cancel are all this).
swap_table() {
    dm_load "$1" "$2" || return 1
    dmsetup suspend "$1" || return 1
    dmsetup resume "$1"
}

# t_refused DESC TABLE KERNEL-MESSAGE: "dmsetup create" of TABLE must fail,
# the kernel must log KERNEL-MESSAGE (grep -F) for this very attempt, and
# no device may remain.  A TAP result, "refused: DESC".
_tr_n=0
t_refused() {
    _tr_n=$((_tr_n + 1))
    kmsg "refused-$_tr_n"
    if dmsetup create ml_bad --table "$2" > /dev/null 2>&1; then
        t_notok "refused: $1" "table accepted: $2"
        dmsetup remove ml_bad
        return
    fi
    if ! klog_since "refused-$_tr_n" | grep -qF -- "$3"; then
        t_notok "refused: $1" "table: $2" "kernel did not log: $3"
        klog_since "refused-$_tr_n" | tail -n 5 |
            while IFS= read -r _tr_l; do diag "dmesg: $_tr_l"; done
    elif dmsetup info ml_bad > /dev/null 2>&1; then
        t_notok "refused: $1" "device ml_bad left behind"
        dmsetup remove ml_bad
    else
        t_pass "refused: $1"
    fi
}
