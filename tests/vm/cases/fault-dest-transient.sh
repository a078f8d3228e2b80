#!/bin/sh
# Transient destination errors (issue 6, fault matrix): the destination
# fails for 1 to 5 s (a random length, printed) under a running fio writer
# and then works again.  The mirror must fail for good with the first
# reason kept; the writer never sees an error; the source holds every
# completed write; mirrorctl refuses to complete; and once the destination
# is back, cancel + start again copies everything, and the data verifies
# on the destination after complete.
#   1  while copying (throttled): the destination's dm table ("mld") is
#      swapped to the "error" target for the window, then back to linear;
#   2  while ready: mld becomes dm-flakey with up 1 s / down N s intervals
#      (all I/O fails while down), then linear again.
# The restart runs under a second writer on the other half of the disk;
# both halves verify on the raw destination, and the whole destination
# equals the source before complete.
# timeout: 200
. /tests/lib.sh
setup

t_ok "modprobe dm-flakey" modprobe dm-flakey
t_ok "brd: 2 x 64 MiB" brd_setup 2 64
S=$(dev_sectors /dev/ram0)
HALF=$((S * 256))		# bytes in half the disk
ERR="0 $S error"
LIN1="0 $S linear /dev/ram1 0"
VERIFIED=0

t_ok "source: gen 1 on every block" fio_write /dev/ram0 1

# one PART GEN_A GEN_B WHEN BREAK: the whole story once.  WHEN is copying
# or ready; BREAK is a command (eval'ed, $D is the window in seconds) that
# breaks mld; mld is restored D s after the mirror failed.
one() {
	p=$1 ga=$2 gb=$3 when=$4 brk=$5
	kmsg "part$p"
	t_ok "$p: wrap ram0 as vm" mirrorctl wrap /dev/ram0 vm
	t_ok "$p: mld = linear(ram1)" dm_create mld "$LIN1"
	t_ok "$p: writer gen $ga on the first half" \
		fio_write_bg /dev/mapper/vm "$ga" --time_based --runtime=600 --size=$HALF
	if [ "$when" = copying ]; then
		mctl_rc 0 "$p: start onto mld at 4 MiB/s" start vm /dev/mapper/mld --max-rate 4M
		sleep 1		# some regions copied, some writes mirrored
		t_eq "$p: still copying" "$(ml_phase vm)" copying
		t_num "$p: some regions copied" "$(ml_copied vm)" -gt 0
	else
		mctl_rc 0 "$p: start onto mld, wait for ready" start vm /dev/mapper/mld \
			--wait --timeout 120
		sleep 1		# mirrored writes in ready
		t_eq "$p: ready" "$(ml_phase vm)" ready
	fi
	t_num "$p: guest writes mirrored" "$(dm_status_field vm mirrored_writes)" -gt 0
	D=$(rand_int 1 5)
	diag "$p: the destination fails for $D s ($when)"
	t_ok "$p: destination broken" eval "$brk"
	t_ok "$p: mirror failed" dm_wait_phase vm failed 30
	t0=$(ms_now)
	t_ok "$p: writer running while the destination is down" fio_running "$ga"
	sleep "$D"
	t_ok "$p: destination restored" swap_table mld "$LIN1"
	diag "$p: restored $(($(ms_now) - t0)) ms after the failure: $(dm_status vm)"
	set -- $(ml_errs vm)
	t_eq "$p: failed, dest_write_error, no source error" "$1 $3 $4" "failed 0 dest_write_error"
	t_num "$p: dest_errors > 0" "$2" -gt 0
	st=$(dm_status vm)
	sleep 1		# writes and an fsync against the restored destination
	t_ok "$p: fsync of vm succeeds" dd if=/dev/zero of=/dev/mapper/vm bs=4k count=0 conv=fsync
	t_eq "$p: first reason kept, nothing more sent to the destination" \
		"$(ml_fields vm $ML_FIELDS_BUT_PROGRESS)" "$(ml_pick "$st" $ML_FIELDS_BUT_PROGRESS)"
	mctl_rc 3 "$p: complete refused" complete vm
	t_like "$p: ... because the mirror failed" "$(cat "$T_TMP/err")" \
		'vm: mirror failed \(dest_write_error\), staying on the source'
	t_ok "$p: stop writer gen $ga" fio_stop "$ga"
	t_eq "$p: the writer saw no error" "$(job_errors "$ga")" "0 0"
	t_ok "$p: gen $ga verifies on the raw source" fio_verify /dev/ram0 "$ga"
	VERIFIED=$((VERIFIED + $(fio_kib "$ga" v 6)))

	# --- the destination is back: cancel, start again, complete
	t_ok "$p: writer gen $gb on the second half" \
		fio_write_bg /dev/mapper/vm "$gb" --time_based --runtime=600 \
		--offset=$HALF --size=$HALF
	mctl_rc 0 "$p: cancel under load" cancel vm
	t_eq "$p: vm is linear(ram0)" "$(dm_table vm)" "0 $S linear $(devno /dev/ram0) 0"
	t_eq "$p: mld released" "$(dm_holders mld)" ""
	mctl_rc 0 "$p: start again, wait for ready" start vm /dev/mapper/mld --wait --timeout 120
	t_eq "$p: ready, no error" "$(ml_errs vm)" "ready 0 0 -"
	t_ok "$p: stop writer gen $gb" fio_stop "$gb"
	t_eq "$p: the writer saw no error" "$(job_errors "$gb")" "0 0"
	t_ok "$p: destination == source, whole disk" same_content /dev/ram0 /dev/ram1
	mctl_rc 0 "$p: complete" complete vm
	t_eq "$p: vm is linear(mld)" "$(dm_table vm)" "0 $S linear $(devno /dev/mapper/mld) 0"
	t_ok "$p: gen $ga verifies on the raw destination" fio_verify /dev/ram1 "$ga"
	VERIFIED=$((VERIFIED + $(fio_kib "$ga" v 6)))
	t_ok "$p: gen $gb verifies on the raw destination" fio_verify /dev/ram1 "$gb"
	VERIFIED=$((VERIFIED + $(fio_kib "$gb" v 6)))
	t_ok "$p: remove vm" dm_remove vm
	t_ok "$p: remove mld" dm_remove mld
	# the next part starts from ram0 again, equal to ram1 now
}

one 1 2 3 copying "swap_table mld '$ERR'"
one 2 4 5 ready "swap_table mld \"0 $S flakey /dev/ram1 0 1 \$D\""
diag "verified $VERIFIED KiB of pattern data in all"

finish
