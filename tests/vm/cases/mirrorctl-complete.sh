#!/bin/sh
# mirrorctl's whole migration under fio load: wrap a raw disk, start onto a
# destination pre-filled with 0xff (paused, rate-limited), status and list
# (human and --json), wait --timeout expiring on a paused mirror, pause,
# resume, set-rate, wait until ready, then complete while fio keeps
# writing, and verify every completed write on the raw destination.  The
# suspend window of complete (--verbose) is reported as a diagnostic.
# timeout: 280
. /tests/lib.sh
setup

t_ok "brd: 2 x 64 MiB" brd_setup 2 64
S=$(dev_sectors /dev/ram0)
SRC=$(devno /dev/ram0)
DST=$(devno /dev/ram1)
t_ok "destination filled with 0xff" fill_ff /dev/ram1

mctl_rc 0 "wrap /dev/ram0 as vm" wrap /dev/ram0 vm
t_eq "wrap: dm UUID of the project's own prefix" \
	"$(dmsetup info -c --noheadings -o uuid vm | tr -d ' ')" "MIRRORLIVE-vm"
t_ok "/dev/mapper/vm exists" test -b /dev/mapper/vm
t_eq "vm is linear over ram0" "$(dm_table vm)" "0 $S linear $SRC 0"
t_ok "gen 1 through vm" fio_write /dev/mapper/vm 1

# ---- start, paused and throttled ----
# Nobody loads the module: the kernel asks for "dm-mirrorlive" when the
# first mirrorlive table comes.
t_ok "unload dm-mirrorlive" rmmod dm-mirrorlive
mctl_rc 0 "start vm /dev/ram1 --paused --max-rate 1M" start vm /dev/ram1 --paused --max-rate 1M
t_ok "start got dm-mirrorlive loaded" module_loaded dm-mirrorlive
t_eq "table is mirrorlive" "$(dm_table vm)" "0 $S mirrorlive $SRC 0 $DST 0 3 max_copy_kbps 1024 paused"
mctl_rc 0 "status vm" status vm
out=$(cat "$T_TMP/out")
t_like "status: phase paused" "$out" '^phase: +paused$'
t_like "status: rate 0 when paused" "$out" '^rate: +0 B/s$'
t_like "status: eta unknown when paused" "$out" '^eta: +-$'
t_like "status: source" "$out" '^source: +/dev/ram0$'
t_like "status: destination" "$out" '^destination: +/dev/ram1$'
t_like "status: max copy rate" "$out" '^max copy rate: +1\.0 MiB/s$'
mctl_rc 0 "status vm --json" status vm --json
js=$(cat "$T_TMP/out")
for k in device phase copied_bytes total_bytes progress rate_bytes_per_sec \
	eta_seconds dest_errors source_errors reason source destination segments; do
	t_like "status --json has $k" "$js" "\"$k\":"
done
t_like "status --json: one line" "$(wc -l < "$T_TMP/out")" '^ *1$'
t_like "status --json: values" "$js" '^\{"version":1,"device":\{"device":"vm","phase":"paused","copied_bytes":0,"total_bytes":67108864,"progress":0.0,"rate_bytes_per_sec":0,"eta_seconds":null,'
t_like "status --json: sources and destinations are arrays" "$js" '"source":\["/dev/ram0"\],"destination":\["/dev/ram1"\],'
mctl_rc 4 "wait --timeout 1 on a paused mirror times out" wait vm --timeout 1
t_like "timeout message" "$(cat "$T_TMP/err")" '^mirrorctl: vm: timed out, mirror paused'

# ---- copy under load ----
t_ok "fio gen 2 in the background" fio_write_bg /dev/mapper/vm 2 --time_based --runtime=600 --rate=8m
mctl_rc 0 "resume vm" resume vm
diag "table line after resume_copy: $(dm_table vm)"
mctl_rc 0 "status vm while copying" status vm
out=$(cat "$T_TMP/out")
t_like "status: copying" "$out" '^phase: +copying$'
t_like "status: a rate from two samples" "$out" '^rate: +[0-9.]+ [KMG]?i?B/s$'
t_like "status: an eta" "$out" '^eta: +[0-9]+[smhd]'
mctl_rc 0 "list" list
t_like "list: header" "$(head -n 1 "$T_TMP/out")" '^DEVICE +PHASE +PROGRESS +COPIED +TOTAL +RATE +ETA +REASON$'
t_like "list: vm copying" "$(sed -n 2p "$T_TMP/out")" '^vm +copying '
mctl_rc 0 "list --json" list --json
t_like "list --json" "$(cat "$T_TMP/out")" '^\{"version":1,"devices":\[\{"device":"vm","phase":"copying",'
mctl_rc 0 "pause vm" pause vm
t_eq "paused" "$(ml_phase vm)" paused
mctl_rc 0 "resume vm again" resume vm
mctl_rc 0 "set-rate vm 0" set-rate vm 0
# unthrottled, the copy may already be done: the rate field is what counts
t_like "rate limit gone" "$(dm_status vm)" '^(copying|ready) [0-9]+/[0-9]+ [0-9]+ 0 0 0 0 - - - 0/[0-9]+ 0 0 0 -$'
mctl_rc 0 "wait vm --timeout 120" wait vm --timeout 120
t_eq "ready" "$(ml_phase vm)" ready
t_ok "fio still writing" fio_running 2

# ---- complete under load ----
mctl_rc 0 "complete --debug --json vm under load" complete --debug --json vm
win=$(sed -n 's/^mirrorctl: complete: 1 device suspended for \([0-9.]*\) ms$/\1/p' "$T_TMP/err")
t_like "complete reports its suspend window" "$win" '^[0-9]+\.[0-9]{3}$'
t_like "complete --json: what it did, the same window" "$(cat "$T_TMP/out")" \
	"^\\{\"version\":1,\"action\":\"complete\",\"exit_code\":0,\"switched\":true,\"suspend_ms\":$win,\"devices\":\\[\\{\"device\":\"vm\",\"switched\":true,\"old_table\":\"0 $S mirrorlive $SRC 0 $DST 0[^\"]*\",\"new_table\":\"0 $S linear $DST 0\"\\}\\],\"errors\":\\[\\]\\}\$"
diag "complete suspend window under fio load: $win ms"
diag "$(grep '^# complete: suspend' "$T_TMP/err")"
t_eq "vm is linear over the destination" "$(dm_table vm)" "0 $S linear $DST 0"
t_ok "fio still writing after complete" fio_running 2
t_ok "stop fio gen 2" fio_stop 2
# --verify_state_save=0: a verify_only run would save its own state over
# the writer's, and a second verify of the generation would then fail.
t_ok "gen 2 verifies on the raw destination" fio_verify /dev/ram1 2 --verify_state_save=0
t_ok "gen 2 verifies through vm" fio_verify /dev/mapper/vm 2 --verify_state_save=0
mctl_rc 3 "status after complete: not a mirror" status vm
mctl_rc 3 "complete again: not mirroring" complete vm --json
t_like "... --json says so" "$(cat "$T_TMP/out")" \
	'^\{"version":1,"action":"complete","exit_code":3,"switched":false,"suspend_ms":null,.*"errors":\["vm: not mirroring \(target linear\)"\]\}$'
t_ok "remove vm" dm_remove vm
finish
