# shellcheck shell=sh
# case.sh - a case's life: setup at the start, finish (or request_kill)
# at the end, and the module under test.
#
# State (global):
#   _T_MARKER         setup's line in the kernel log (klog.sh's dmesg
#                     checks start from it; demo.sh reads it too)
#   _T_DM_BEFORE      " NAME NAME ... ": the dm devices there before setup,
#                     which dm_cleanup leaves alone
#   _T_MODULE_WANTED  1 once setup loaded the module (finish unloads it)
#   _T_FINISHED       1 once finish ran (a second finish only exits)
_T_MARKER=""
_T_DM_BEFORE=""
_T_MODULE_WANTED=0
_T_FINISHED=0

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
