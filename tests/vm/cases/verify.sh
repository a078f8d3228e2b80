#!/bin/sh
# Online verify (Documentation/interface.rst, sections 2.1 fields 10-13,
# 4 "verify", 6.13; mirrorctl: 7.3 verify, complete --verify).
#   K: the kernel messages: a clean pass over a ready mirror; divergence
#      written to the raw destination behind the mirror's back in three
#      known regions is reported as exactly those regions; repair fixes
#      them (the legs compare equal) and a second pass is clean.
#   W: passes under a running pattern writer find no mismatch, and every
#      acknowledged write verifies afterwards.
#   S: a throttled pass can be stopped (and a second start is refused
#      while it runs); a suspend stops a pass; a suspended mirror refuses.
#   P: on a paused mirror only the copied regions are compared: a
#      divergence in a copied region is found, uncopied ones are skipped.
#   R: after a reload the new instance starts with no pass ("-") and a
#      pass finds divergence written after the reload.
#   F: a failed mirror refuses a pass with its reason; a destination that
#      cannot be read fails the mirror with dest_read_error while guest
#      I/O goes on.
#   M: mirrorctl verify (exit 1 and the offsets; --repair; exit 0),
#      complete --verify refusing (exit 3, table untouched) and then
#      completing onto a destination that verifies.
# timeout: 420
. /tests/lib.sh
setup

t_ok "brd: 4 x 32 MiB" brd_setup 4 32
S=$(dev_sectors /dev/ram0)
NR=$((S / 1024))	# default regions of 512 KiB

# vstate DEV / vfields DEV: the verify fields of DEV's status
vstate() { dm_status_field "$1" verify_state; }
vfields() { ml_fields "$1" verify_state verify_progress verify_mismatched verify_repaired; }
# verify_ended DEV: the pass is no longer running
verify_ended() { case $(vstate "$1") in verifying|repairing) return 1 ;; esac; }
# pass DEV start|repair: run one pass to its end
pass() {
    dmsetup message "$1" 0 verify "$2" || return 1
    wait_until 180 verify_ended "$1"
}
# diverge DEV REGION: 4 KiB of 0x5a into region REGION of DEV (a raw leg),
# 20 KiB into it, so the leg differs from the other there
diverge() {
    head -c 4096 /dev/zero | tr '\0' '\132' |
        dd of="$1" bs=4096 seek=$(($2 * 128 + 5)) count=1 oflag=direct conv=notrunc 2> /dev/null
}
mismatches() { dmsetup message "$1" 0 verify mismatches; }

# ---------------------------------------------------------------- K
t_ok "K: source holds gen 1" fio_write /dev/ram0 1 --bs=64k
t_ok "K: ml over ram0 -> ram1" dm_create ml "0 $S mirrorlive /dev/ram0 0 /dev/ram1 0"
t_ok "K: ready" dm_wait_phase ml ready 120
t_eq "K: no pass yet" "$(vfields ml)" "- 0/$NR 0 0"
t_ok "K: a pass over the ready mirror" pass ml start
t_eq "K: done, every region compared, none mismatched" "$(vfields ml)" "done $NR/$NR 0 0"
t_eq "K: no mismatches to report" "$(mismatches ml)" ""
for r in 3 40 $((NR - 1)); do
    t_ok "K: divergence in region $r of the raw destination" diverge /dev/ram1 $r
done
t_ok "K: a pass" pass ml start
t_eq "K: exactly three regions mismatched" "$(vfields ml)" "done $NR/$NR 3 0"
t_eq "K: their start sectors, ascending" "$(mismatches ml)" "3072 40960 $(((NR - 1) * 1024))"
t_eq "K: still ready, nothing failed" "$(ml_errs ml)" "ready 0 0 -"
t_ok "K: a repairing pass" pass ml repair
t_eq "K: three mismatched, three repaired" "$(vfields ml)" "done $NR/$NR 3 3"
t_ok "K: the legs are equal" same_content /dev/ram0 /dev/ram1
t_ok "K: a second pass" pass ml start
t_eq "K: clean" "$(vfields ml)" "done $NR/$NR 0 0"
t_eq "K: nothing to report" "$(mismatches ml)" ""

# ---------------------------------------------------------------- W
t_ok "W: gen 2 writer on ml" fio_write_bg /dev/mapper/ml 2 --time_based --runtime=600
before=$(dm_status_field ml mirrored_writes)
for i in 1 2 3; do
    t_ok "W: pass $i under the writer" pass ml start
    t_eq "W: pass $i: no false mismatch" "$(vfields ml)" "done $NR/$NR 0 0"
done
t_ok "W: the writer wrote to both legs meanwhile" \
    test "$(dm_status_field ml mirrored_writes)" -gt "$before"
t_ok "W: a repairing pass under the writer repairs nothing" pass ml repair
t_eq "W: nothing mismatched" "$(vfields ml)" "done $NR/$NR 0 0"
t_ok "W: stop gen 2" fio_stop 2
t_ok "W: every acknowledged write on the mirror" fio_verify /dev/mapper/ml 2
t_ok "W: the legs are equal" same_content /dev/ram0 /dev/ram1

# ---------------------------------------------------------------- S
t_ok "S: throttle to 512 KiB/s" dmsetup message ml 0 max_copy_kbps 512
t_ok "S: start a pass" dmsetup message ml 0 verify start
t_like "S: it runs" "$(vstate ml)" "^verifying$"
t_fail "S: a second start is refused" dmsetup message ml 0 verify start
t_ok "S: verify stop" dmsetup message ml 0 verify stop
t_eq "S: stopped" "$(vstate ml)" stopped
t_ok "S: it stopped short" test "$(dm_status_field ml verify_progress | cut -d/ -f1)" -lt "$NR"
t_ok "S: verify stop without a pass changes nothing" dmsetup message ml 0 verify stop
t_eq "S: still stopped" "$(vstate ml)" stopped
t_ok "S: start again, then suspend" sh -c \
    "dmsetup message ml 0 verify repair && dmsetup suspend ml"
t_eq "S: the suspend stopped it" "$(vstate ml)" stopped
t_fail "S: a suspended mirror refuses a pass" dmsetup message ml 0 verify start
t_ok "S: resume" dmsetup resume ml
t_eq "S: a resume does not start it again" "$(vstate ml)" stopped
t_ok "S: unthrottled" dmsetup message ml 0 max_copy_kbps 0
t_ok "S: remove ml" dm_remove ml

# ---------------------------------------------------------------- P
# 2048 KiB/s copies about 4 regions a second: pause after a few.
copied_some() { [ "$(ml_copied pm)" -ge 8192 ]; }
t_ok "P: ram2 filled with 0xff" fill_ff /dev/ram2
t_ok "P: pm over ram0 -> ram2, throttled" \
    dm_create pm "0 $S mirrorlive /dev/ram0 0 /dev/ram2 0 2 max_copy_kbps 2048"
t_ok "P: copies a few regions" wait_until 60 copied_some
t_ok "P: pause_copy" dmsetup message pm 0 pause_copy
C=$(($(ml_copied pm) / 1024))
diag "P: $C of $NR regions copied"
t_ok "P: some but not all copied" test "$C" -gt 1 -a "$C" -lt "$NR"
t_ok "P: divergence in region 1 (copied)" diverge /dev/ram2 1
t_ok "P: a pass over the paused mirror" pass pm start
t_eq "P: the copied regions compared, one mismatched" "$(ml_fields pm phase verify_state verify_progress verify_mismatched)" \
    "paused done $C/$C 1"
t_eq "P: it is region 1" "$(mismatches pm)" 1024
t_ok "P: remove pm" dm_remove pm

# ---------------------------------------------------------------- R
TBL="0 $S mirrorlive /dev/ram0 0 /dev/ram1 0"
t_ok "R: rm over ram0 -> ram1" dm_create rm "$TBL"
t_ok "R: ready" dm_wait_phase rm ready 120
t_ok "R: one pass" pass rm start
t_ok "R: reload the same table" dm_load rm "$TBL"
t_ok "R: resume it" dmsetup resume rm
t_eq "R: the new instance: ready, no pass" "$(ml_fields rm phase verify_state verify_progress)" \
    "ready - 0/$NR"
t_ok "R: divergence in region 10" diverge /dev/ram1 10
t_ok "R: a pass" pass rm start
t_eq "R: one mismatch, region 10" "$(vfields rm) $(mismatches rm)" "done $NR/$NR 1 0 10240"
t_ok "R: repair" pass rm repair
t_ok "R: remove rm" dm_remove rm

# ---------------------------------------------------------------- F
t_ok "F: d0 = linear over ram3 (the destination)" dm_create d0 "0 $S linear /dev/ram3 0"
t_ok "F: fm over ram0 -> d0" dm_create fm "0 $S mirrorlive /dev/ram0 0 /dev/mapper/d0 0"
t_ok "F: ready" dm_wait_phase fm ready 120
t_ok "F: d0 fails every I/O" swap_table d0 "0 $S error"
kmsg verify-dest-read
t_ok "F: a pass" pass fm start
t_eq "F: the mirror failed with dest_read_error, the pass with it" \
    "$(ml_fields fm phase reason verify_state)" "failed dest_read_error error"
t_eq "F: the kernel said so" \
    "$(klog_count verify-dest-read 'destination failed \(dest_read_error\)')" 1
t_ok "F: guest writes go on" dd if=/dev/zero of=/dev/mapper/fm bs=64k count=16 oflag=direct
t_ok "F: guest reads go on" dd if=/dev/mapper/fm of=/dev/null bs=64k count=16 iflag=direct
kmsg verify-refused
t_fail "F: a failed mirror refuses a pass" dmsetup message fm 0 verify start
t_eq "F: with its reason" \
    "$(klog_count verify-refused 'verify: the mirror failed \(dest_read_error\)')" 1
t_eq "F: the last pass's state is kept" "$(vstate fm)" error
t_ok "F: remove fm" dm_remove fm
t_ok "F: remove d0" dm_remove d0

# ---------------------------------------------------------------- M
t_ok "M: vm over ram0 -> ram1 with mirrorctl, ready" sh -c \
    "mirrorctl wrap /dev/ram0 vm && mirrorctl start vm /dev/ram1 --force --wait --timeout 120"
t_ok "M: gen 3 through vm" fio_write /dev/mapper/vm 3 --size=8M
mctl_rc 0 "M: verify: clean" verify vm
t_ok "M: divergence in region 5" diverge /dev/ram1 5
t_ok "M: divergence in region 20" diverge /dev/ram1 20
mctl_rc 1 "M: verify: mismatches" verify vm
t_like "M: it gives the count and the offsets" "$(mirrorctl verify vm 2>&1)" \
    "2 mismatched.*2621440.*10485760"
mctl_rc 3 "M: complete --verify refuses" complete --verify vm
t_like "M: the table is untouched" "$(dm_table vm)" "mirrorlive"
mctl_rc 0 "M: verify --repair" verify --repair vm
mctl_rc 0 "M: verify: clean again" verify vm
t_like "M: verify --json" "$(mirrorctl verify --json vm)" '"mismatched_regions":0'
mctl_rc 0 "M: complete --verify" complete --verify vm
t_eq "M: vm is linear on ram1" "$(dm_table vm)" "0 $S linear $(devno /dev/ram1) 0"
t_ok "M: gen 3 on the destination" fio_verify /dev/ram1 3
mctl_rc 3 "M: verify of a linear device is refused" verify vm
t_ok "M: remove vm" dm_remove vm

finish
