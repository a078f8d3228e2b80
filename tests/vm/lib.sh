# dm-mirrorlive VM test library (guest side).  Sourced by every case:
#
#   . /tests/lib.sh
#   setup                      # marker in the kernel log, modprobe the module
#   t_ok "brd disks" brd_setup 2 64
#   ...
#   finish                     # cleanup, rmmod, dmesg check, plan, exit
#
# POSIX sh / busybox ash only (no bash).  This file sets up the environment
# and the case's globals, then sources the helpers, one subject a file
# (tests/vm/lib/ here, /tests/lib/ in the guest); each file's header says
# what it holds and the functions are described where they are defined:
#   tap.sh     TAP results: t_ok, t_fail, t_eq, t_like, t_num, t_pass,
#              t_notok, t_skip, t_abort, diag, diag_file
#   case.sh    setup, finish, request_kill, module_loaded
#   klog.sh    the kernel log: kmsg, klog_since, klog_count,
#              dmesg_since_marker, dmesg_check, kmemleak_clear/_check
#   util.sh    ms_now, wait_until, rand_int
#   blk.sh     block devices: brd_setup, nullb, nullb_remove, devno,
#              dev_sectors, zero_dev, is_zero, same_content, no_holders,
#              fill_ff
#   dm.sh      dm devices: dm_create, dm_load, dm_view, dm_remove,
#              swap_table, dm_table, dm_status, dm_sysfs, dm_holders,
#              dm_mknodes, dm_cleanup, t_refused
#   status.sh  mirrorlive status fields: ml_field_number, dm_status_field,
#              ml_pick, ml_fields, ml_phase, ml_copied, ml_total, ml_errs
#   copy.sh    dm_wait_phase, dm_mirror_wait_sync, copy_table, copy_wait
#   fio.sh     fio_write, fio_verify, fio_write_bg, fio_stop, fio_crc, ...
#   cmd.sh     cmd_rc, mctl_rc
#
# Variables: what a function keeps to itself is `local` (busybox ash and
# dash have it), declared first and assigned apart, so that `x=$(cmd) ||`
# still sees cmd's status.  ash's scoping is dynamic: a command a helper
# runs for its caller (t_ok, t_fail, wait_until, cmd_rc) sees the helper's
# locals, so those few keep a prefix (_t_, _wu_, _cr_, _mr_) that no case
# uses.  What is global is state, named in its file's header: the TAP
# counters (tap.sh), setup's marker and flags (case.sh), and the T_*,
# FIO_* and ML_* names below and in the parts.
#
# shellcheck shell=sh disable=SC1091,SC2034
# (SC1091: the sourced files are at their guest paths; SC2034: the T_*
# globals are for the parts and the cases)

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
# T_TMP: the case's scratch directory (finish removes it); FIO_AUX: fio.sh's
# state files in it
T_TMP=/tmp/mltest.$$
FIO_AUX=$T_TMP/fio
mkdir -p "$T_TMP" "$FIO_AUX"

. /tests/lib/tap.sh
. /tests/lib/case.sh
. /tests/lib/klog.sh
. /tests/lib/util.sh
. /tests/lib/blk.sh
. /tests/lib/dm.sh
. /tests/lib/status.sh
. /tests/lib/copy.sh
. /tests/lib/fio.sh
. /tests/lib/cmd.sh
