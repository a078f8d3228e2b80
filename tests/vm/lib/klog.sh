# shellcheck shell=sh disable=SC3043 # (local: busybox ash and dash have it)
# klog.sh - the kernel log: marks in it, what a case's part of it holds,
# and the checks that fail a case on a kernel splat or a kmemleak report.

# kmsg MSG: write a line into the kernel log (tagged "mltest:").
kmsg() { echo "mltest: $*" > /dev/kmsg; }

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
    local line
    dmesg_since_marker > "$T_TMP/dmesg"
    grep -E "$T_DMESG_BAD" "$T_TMP/dmesg" | grep -v 'mltest-marker-' > "$T_TMP/dmesg.bad"
    if [ -s "$T_TMP/dmesg.bad" ]; then
        t_notok "${1:-dmesg clean}" "kernel log since the marker has:"
        head -n 30 "$T_TMP/dmesg.bad" | while IFS= read -r line; do _tap "#   $line"; done
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
    local line
    [ -w "$KMEMLEAK" ] || return 0
    echo scan > "$KMEMLEAK"
    cat "$KMEMLEAK" > "$T_TMP/kmemleak"
    if [ -s "$T_TMP/kmemleak" ]; then
        t_notok "kmemleak clean" "kmemleak reports $(grep -c '^unreferenced object' "$T_TMP/kmemleak") object(s):"
        head -n 40 "$T_TMP/kmemleak" | while IFS= read -r line; do _tap "#   $line"; done
        return 1
    fi
    t_pass "kmemleak clean"
}
