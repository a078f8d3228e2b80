#!/bin/sh
# The destination disappears while the mirror is ready, under load (issue
# 6, fault matrix): the mirror fails, the writer goes on without an error,
# mirrorctl refuses to complete (also with --timeout) and wait reports the
# failure, status --json shows it, cancel works under load and releases
# the destination, and every completed write verifies on the source.
# Three ways to lose the destination "mld" (a dm device over ram1):
#   A  its table replaced by the "error" target;
#   B  "dmsetup remove --force" while the mirror holds it: the table
#      becomes "error" and the removal itself fails (the device is open);
#      after the cancel it can be removed;
#   C  dm-flakey down for good: every read and write fails.
# timeout: 150
. /tests/lib.sh
setup

t_ok "modprobe dm-flakey" modprobe dm-flakey
t_ok "brd: 2 x 64 MiB" brd_setup 2 64
S=$(dev_sectors /dev/ram0)
SRC=$(devno /dev/ram0)
LIN1="0 $S linear /dev/ram1 0"
VERIFIED=0

t_ok "source: gen 1 on every block" fio_write /dev/ram0 1
t_ok "wrap ram0 as vm" mirrorctl wrap /dev/ram0 vm

# part P GEN REASON_ERE FIO_OPTS BREAK...: one way of losing mld
part() {
	p=$1 g=$2 why=$3 opts=$4
	shift 4
	kmsg "part$p"
	t_ok "$p: mld = linear(ram1)" dm_create mld "$LIN1"
	t_ok "$p: writer gen $g" fio_write_bg /dev/mapper/vm "$g" --time_based --runtime=600 $opts
	mctl_rc 0 "$p: start onto mld, wait for ready" start vm /dev/mapper/mld --wait --timeout 120
	sleep 1		# mirrored writes in ready
	t_num "$p: writes mirrored" "$(dm_status_field vm mirrored_writes)" -gt 0
	"$@"
	t_ok "$p: mirror failed" dm_wait_phase vm failed 30
	set -- $(ml_errs vm)
	t_like "$p: failed, $why, no source error" "$1 $3 $4" "^failed 0 ($why)\$"
	t_num "$p: dest_errors > 0" "$2" -gt 0
	reason=$4
	t_ok "$p: writer running" fio_running "$g"
	mctl_rc 0 "$p: status --json" status vm --json
	t_like "$p: status --json says failed and why" "$(cat "$T_TMP/out")" \
		"\"phase\":\"failed\",.*\"reason\":\"$reason\""
	mctl_rc 1 "$p: wait reports the failure" wait vm --timeout 10
	t_like "$p: ... naming the reason" "$(cat "$T_TMP/err")" "vm: mirror failed: $reason"
	mctl_rc 3 "$p: complete refused" complete vm
	t_like "$p: ... because the mirror failed" "$(cat "$T_TMP/err")" \
		"vm: mirror failed \\($reason\\), staying on the source"
	mctl_rc 3 "$p: complete --timeout 5 refused too" complete vm --timeout 5
	t_like "$p: still mirrorlive over ram0" "$(dm_table vm)" "^0 $S mirrorlive $SRC 0 "
	t_ok "$p: writer still running" fio_running "$g"
	mctl_rc 0 "$p: cancel under load" cancel vm
	t_eq "$p: vm is linear(ram0)" "$(dm_table vm)" "0 $S linear $SRC 0"
	t_eq "$p: mld released" "$(dm_holders mld)" ""
	t_eq "$p: vm live, not suspended, no inactive table" \
		"$(dmsetup info -c --noheadings -o attr vm)" "L--w"
	sleep 1		# writes after the cancel
	t_ok "$p: stop writer gen $g" fio_stop "$g"
	t_eq "$p: the writer saw no error" "$(job_errors "$g")" "0 0"
	t_ok "$p: gen $g verifies on the raw source" fio_verify /dev/ram0 "$g"
	VERIFIED=$((VERIFIED + $(_fio_field "$FIO_AUX/g$g.v" 6)))
	t_ok "$p: gen $g verifies through vm" fio_verify /dev/mapper/vm "$g"
	t_ok "$p: remove mld" dm_remove mld
}

# remove_force: "dmsetup remove --force mld" must fail (the mirror holds
# mld open) but leave mld on the error target
remove_force() {
	t_fail "B: dmsetup remove --force mld fails: mld is open" dmsetup remove --force mld
	t_like "B: ... and left mld on the error target" "$(dm_table mld)" "^0 $S error"
}

part A 2 dest_write_error "" t_ok "A: mld -> error" swap_table mld "0 $S error"
part B 3 dest_write_error "" remove_force
part C 4 dest_write_error "" \
	t_ok "C: mld -> flakey, down for good" swap_table mld "0 $S flakey /dev/ram1 0 0 1"
diag "verified $VERIFIED KiB of pattern data on the source in all"
t_ok "remove vm" dm_remove vm

finish
