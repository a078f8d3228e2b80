#!/bin/sh
# complete --keep-source, commit and revert (Documentation/interface.rst,
# 7.3 and 7.12): a switch-over that can be undone.
#   R: under a pattern writer, complete --keep-source: the device is a
#      mirror of the destination onto the old source (reads from the new
#      disk); status, list and JSON say kept and since when; a second
#      writer; revert: linear on the old source, which holds every
#      acknowledged write of both.
#   C: the same with commit: linear on the destination, which holds them.
#   F: the kept leg fails (dm-error under it) while a writer runs: the
#      writer sees no error, revert is refused with the reason (3), commit
#      works and the destination verifies.
#   X: refusals: commit/revert of a mirror that is not kept and of a
#      linear device (3); a stale marker (the device reloaded) is not kept.
#   G: a group of two: complete --keep-source and revert together.
#   P: a persistent migration (--metadata): the kept mirror takes the record
#      over (reversed, migrating) and the mirrortab entry stays; a reboot
#      (the table removed, /run emptied): restore sets the kept mirror up
#      again, kept since the same moment; revert: the old source holds
#      every write, before and after the reboot; the record, copied while
#      suspended, says completed and restore of that copy sets the device
#      up on the old source; then both end. Again with commit after the
#      reboot; start over a kept record is refused; legs of different
#      sizes, and the kept record refused to a table not loaded over it.
#   D: the dmsetup scripts: mirrorlive-complete --keep-source (mirrorctl
#      sees the same marker; with --metadata the kept mirror takes the
#      record over), mirrorlive-revert (the record ended),
#      mirrorlive-commit, and their refusals.
# timeout: 300
. /tests/lib.sh
setup

t_ok "brd: 6 x 32 MiB" brd_setup 6 32
S=$(dev_sectors /dev/ram0)
DST=$(devno /dev/ram1)
MT=$T_TMP/mirrortab
mt() { mirrorctl --mirrortab "$MT" "$@"; }

# writes_reached DEV N: DEV's mirror sent N writes to both legs
writes_reached() { [ "$(dm_status_field "$1" mirrored_writes)" -ge "$2" ]; }
vm_failed() { [ "$(ml_phase vm)" = failed ]; }

# kept_table DEV NEW OLD: the live table is the kept mirror NEW -> OLD
kept_table() {
	dm_table "$1" | grep -Eq "^0 $S mirrorlive $2 0 $3 0( 1 nosync)?\$"
}

# ---------------------------------------------------------------- R
t_ok "R: s0 linear over ram0 (the source), vm over s0" sh -c \
	"dmsetup create s0 --table '0 $S linear /dev/ram0 0' && dmsetup mknodes &&
	 mirrorctl wrap /dev/mapper/s0 vm"
SRC=$(devno /dev/mapper/s0)
t_ok "R: start onto ram1, ready" mirrorctl start vm /dev/ram1 --wait --timeout 120
t_ok "R: gen 1 writer" fio_write_bg /dev/mapper/vm 1 --time_based --runtime=600
t_ok "R: complete --keep-source under the writer" mirrorctl complete --keep-source vm
t_ok "R: vm is the mirror of ram1 onto s0" kept_table vm "$DST" "$SRC"
t_eq "R: ready" "$(ml_phase vm)" ready
t_like "R: status says kept, since when" "$(mirrorctl status vm)" \
	"kept: +the old source \\(destination above\\), in sync since 20[0-9-]+T[0-9:]+Z: commit or revert"
t_like "R: status --json: kept_since" "$(mirrorctl status vm --json)" '"kept_since":[0-9]+,'
t_like "R: list shows it kept" "$(mirrorctl list | grep '^vm ')" '^vm +kept '
t_ok "R: stop gen 1" fio_stop 1
t_ok "R: gen 2 writer" fio_write_bg /dev/mapper/vm 2 --time_based --runtime=600
t_ok "R: gen 2 reaches both legs" wait_until 60 writes_reached vm 200
mirrorctl revert --verbose vm > "$T_TMP/revert.out" 2>&1
t_eq "R: revert under the writer" $? 0
# the suspend window of a revert under writes, for the notes
diag "R: revert: $(grep 'suspended for' "$T_TMP/revert.out")"
t_eq "R: vm is linear on the old source" "$(dm_table vm)" "0 $S linear $SRC 0"
t_ok "R: stop gen 2" fio_stop 2
t_ok "R: the old source holds every acknowledged write of gen 2" fio_verify /dev/mapper/s0 2
t_eq "R: not kept any more" "$(mirrorctl status vm 2>&1 | grep -c '^kept:')" 0
mctl_rc 3 "R: revert again: not kept" revert vm

# ---------------------------------------------------------------- C
t_ok "C: start onto ram1 --force (it holds the last copy), ready" \
	mirrorctl start vm /dev/ram1 --force --wait --timeout 120
t_ok "C: complete --keep-source" mirrorctl complete --keep-source vm
t_ok "C: gen 3 writer" fio_write_bg /dev/mapper/vm 3 --time_based --runtime=600
t_ok "C: gen 3 reaches both legs" wait_until 60 writes_reached vm 200
t_ok "C: commit under the writer" mirrorctl commit vm
t_eq "C: vm is linear on ram1" "$(dm_table vm)" "0 $S linear $DST 0"
t_ok "C: stop gen 3" fio_stop 3
t_ok "C: ram1 holds every acknowledged write" fio_verify /dev/ram1 3
t_ok "C: remove vm" dm_remove vm

# ---------------------------------------------------------------- F
t_ok "F: wrap s0 as vm, start onto ram1, ready" sh -c \
	"mirrorctl wrap /dev/mapper/s0 vm && mirrorctl start vm /dev/ram1 --force --wait --timeout 120"
t_ok "F: complete --keep-source" mirrorctl complete --keep-source vm
t_ok "F: gen 4 writer" fio_write_bg /dev/mapper/vm 4 --time_based --runtime=600
t_ok "F: the kept leg fails (s0 becomes dm-error)" swap_table s0 "0 $S error"
t_ok "F: the kept mirror fails" wait_until 60 vm_failed
t_ok "F: the writer runs on" fio_running 4
mctl_rc 3 "F: revert is refused" revert vm
t_like "F: ... with the reason" "$(cat "$T_TMP/err")" \
	"vm: mirror failed \\(dest_write_error\\).*"
t_like "F: ... and what works" "$(cat "$T_TMP/err")" \
	"vm: revert refused: the kept source is not in sync \\(above\\); commit drops it"
t_ok "F: commit works" mirrorctl commit vm
t_ok "F: stop gen 4: no error" fio_stop 4
t_ok "F: ram1 holds every acknowledged write" fio_verify /dev/ram1 4
t_ok "F: remove vm" dm_remove vm

# ---------------------------------------------------------------- X
t_ok "X: wrap ram0 as vm, start onto ram1" sh -c \
	"dmsetup remove s0 && mirrorctl wrap /dev/ram0 vm && mirrorctl start vm /dev/ram1 --force --wait --timeout 120"
mctl_rc 3 "X: commit of a mirror that is not kept" commit vm
t_like "X: ... says so" "$(cat "$T_TMP/err")" \
	"vm: not in the kept state \\(complete --keep-source keeps the old source\\)"
mctl_rc 3 "X: revert of it" revert vm
t_ok "X: complete --keep-source" mirrorctl complete --keep-source vm
t_ok "X: reloaded by hand (another region size): the marker is stale" sh -c \
	"dmsetup load vm --table '0 $S mirrorlive $DST 0 $(devno /dev/ram0) 0 2 region_size 2048' &&
	 dmsetup suspend vm && dmsetup resume vm"
mctl_rc 3 "X: then commit refuses it" commit vm
t_ok "X: cancel it (back on ram1) and remove" sh -c "mirrorctl cancel vm && dmsetup remove vm"
t_ok "X: a linear device" mirrorctl wrap /dev/ram0 lin
mctl_rc 3 "X: commit of a linear device" commit lin
t_ok "X: remove lin" dm_remove lin

# ---------------------------------------------------------------- G
t_ok "G: vm (ram0 -> ram1), vm2 (ram2 -> ram3), ready" sh -c \
	"mirrorctl wrap /dev/ram0 vm && mirrorctl wrap /dev/ram2 vm2 &&
	 mirrorctl start vm /dev/ram1 vm2 /dev/ram3 --force --wait --timeout 120"
t_ok "G: complete --keep-source both" mirrorctl complete --keep-source vm vm2
t_ok "G: vm kept" kept_table vm "$DST" "$(devno /dev/ram0)"
t_ok "G: vm2 kept" kept_table vm2 "$(devno /dev/ram3)" "$(devno /dev/ram2)"
t_ok "G: gen 5 on vm2" fio_write /dev/mapper/vm2 5 --size=8M
t_ok "G: revert both" mirrorctl revert vm vm2
t_eq "G: both linear on their old sources" "$(dm_table vm) / $(dm_table vm2)" \
	"0 $S linear $(devno /dev/ram0) 0 / 0 $S linear $(devno /dev/ram2) 0"
t_ok "G: ram2 holds gen 5" fio_verify /dev/ram2 5
t_ok "G: remove vm, vm2" sh -c "dmsetup remove vm && dmsetup remove vm2"

# ---------------------------------------------------------------- P
# meta_field DEV KEY: a scalar of "mirrorctl metadata --json DEV"
meta_field() {
	mirrorctl metadata --json "$1" | sed -n "s/.*\"$2\":\"*\([^,}\"]*\).*/\1/p"
}
kept_since_of() { mirrorctl status vm --json | sed -n 's/.*"kept_since":\([0-9]*\).*/\1/p'; }
# kept_persistent: the live table is the kept mirror ram1 -> ram0 over ram4
kept_persistent() {
	dm_table vm | grep -Eq "^0 $S mirrorlive $DST 0 $(devno /dev/ram0) 0 [0-9]+( nosync)? metadata $(devno /dev/ram4)\$"
}
t_ok "P: zero ram4's first 8 KiB" dd if=/dev/zero of=/dev/ram4 bs=4096 count=2 oflag=direct
t_ok "P: wrap ram0, start --metadata, ready" sh -c \
	"mirrorctl wrap /dev/ram0 vm && mirrorctl --mirrortab $MT start vm /dev/ram1 --force --metadata /dev/ram4 --wait --timeout 120"
t_ok "P: gen 8 through vm" fio_write /dev/mapper/vm 8 --size=8M
t_eq "P: the record is not reversed" "$(meta_field /dev/ram4 reversed)" false
t_ok "P: complete --keep-source" mt complete --keep-source vm
t_eq "P: the entry stays" "$(grep -vc '^#' "$MT")" 1
t_ok "P: the kept mirror names the record" kept_persistent
t_eq "P: ... and took it over: migrating, reversed" \
	"$(meta_field /dev/ram4 state) $(meta_field /dev/ram4 reversed)" "migrating true"
SINCE=$(kept_since_of)
t_ok "P: gen 9 through the kept mirror" fio_write /dev/mapper/vm 9 --offset=8M --size=8M
t_ok "P: a reboot: vm removed (suspended first), /run emptied" \
	sh -c "dmsetup remove vm && rm -f /run/dm-mirrorlive/kept/vm"
cmd_rc 0 "P: restore" mt restore
t_like "P: ... sets the kept mirror up again" "$(cat "$T_TMP/out")" \
	"^vm: kept mirror restored from /dev/ram4: the old source /dev/ram0 kept in sync with /dev/ram1, 0 regions dirty to copy again"
t_ok "P: vm is the kept mirror over the record" kept_persistent
t_like "P: status says kept" "$(mirrorctl status vm)" "kept: +the old source"
t_ok "P: kept since the same moment (the record's, within 2 s)" \
	test "$(( $(kept_since_of) - SINCE ))" -ge -2 -a "$(( $(kept_since_of) - SINCE ))" -le 2
t_ok "P: ready" mirrorctl wait vm --timeout 60
t_ok "P: gen 10 through the kept mirror" fio_write /dev/mapper/vm 10 --offset=16M --size=8M
printf '#!/bin/sh\n[ "$1" = committed ] && dd if=/dev/ram4 of=/dev/ram5 bs=4096 count=64 iflag=direct oflag=direct 2>/dev/null\nexit 0\n' > "$T_TMP/hook-copy"
chmod +x "$T_TMP/hook-copy"
t_ok "P: revert (the test hook copies the record, suspended)" \
	env MIRRORCTL_TEST_HOOK="$T_TMP/hook-copy" mirrorctl --mirrortab "$MT" revert vm
t_eq "P: vm is linear on ram0" "$(dm_table vm)" "0 $S linear $(devno /dev/ram0) 0"
t_ok "P: ram0 holds gen 8" fio_verify /dev/ram0 8
t_ok "P: ram0 holds gen 9 (written while kept, before the reboot)" fio_verify /dev/ram0 9
t_ok "P: ram0 holds gen 10 (written while kept, after it)" fio_verify /dev/ram0 10
t_eq "P: the entry is gone" "$(grep -vc '^#' "$MT")" 0
t_eq "P: the record ended" "$(meta_field /dev/ram4 valid)" false
# the copy is the record as a crash during that revert's swap left it
t_eq "P: suspended, the record said completed, reversed" \
	"$(meta_field /dev/ram5 state) $(meta_field /dev/ram5 reversed)" "completed true"
printf 'vmx /dev/ram0 /dev/ram1 /dev/ram5 -\n' > "$T_TMP/mirrortab2"
cmd_rc 0 "P: restore from that record: on the old source" \
	mirrorctl --mirrortab "$T_TMP/mirrortab2" restore
t_like "P: ... says so" "$(cat "$T_TMP/out")" \
	"^vmx: the kept source had been reverted to: set up on its source /dev/ram0"
t_eq "P: vmx is linear on ram0" "$(dm_table vmx)" "0 $S linear $(devno /dev/ram0) 0"
t_ok "P: remove vm, vmx" sh -c "dmsetup remove vm && dmsetup remove vmx"

# commit after a reboot: linear on the destination, which holds it all
t_ok "P: zero ram4's first 8 KiB" dd if=/dev/zero of=/dev/ram4 bs=4096 count=2 oflag=direct
t_ok "P: wrap ram0, start --metadata --force, ready" sh -c \
	"mirrorctl wrap /dev/ram0 vm && mirrorctl --mirrortab $MT start vm /dev/ram1 --force --metadata /dev/ram4 --wait --timeout 120"
t_ok "P: complete --keep-source" mt complete --keep-source vm
t_ok "P: gen 11 through the kept mirror" fio_write /dev/mapper/vm 11 --size=8M
t_ok "P: a reboot" sh -c "dmsetup remove vm && rm -f /run/dm-mirrorlive/kept/vm"
t_ok "P: wrap ram2 as vm2" mirrorctl wrap /dev/ram2 vm2
cmd_rc 3 "P: start over the kept record is refused" \
	mirrorctl --mirrortab "$T_TMP/mirrortab3" start vm2 /dev/ram3 --metadata /dev/ram4
t_like "P: ... saying whose it is" "$(cat "$T_TMP/err")" \
	"it records the kept mirror of complete --keep-source, which mirrorctl restore sets up again"
t_ok "P: remove vm2" dm_remove vm2
cmd_rc 0 "P: restore" mt restore
t_ok "P: commit" mt commit vm
t_eq "P: vm is linear on ram1" "$(dm_table vm)" "0 $S linear $DST 0"
t_ok "P: ram1 holds gen 11" fio_verify /dev/ram1 11
t_eq "P: the entry is gone" "$(grep -vc '^#' "$MT")" 0
t_eq "P: the record ended" "$(meta_field /dev/ram4 valid)" false
t_ok "P: remove vm" dm_remove vm

# legs of different sizes: the geometry alone tells the way round too
SMALL=$((S - 2048))
t_ok "P: zero ram5's first 8 KiB" dd if=/dev/zero of=/dev/ram5 bs=4096 count=2 oflag=direct
t_ok "P: s2 (ram2 less 1 MiB) as vm, start --metadata onto ram3, ready" sh -c \
	"dmsetup create s2 --table '0 $SMALL linear /dev/ram2 0' && dmsetup mknodes &&
	 mirrorctl wrap /dev/mapper/s2 vm &&
	 mirrorctl --mirrortab $MT start vm /dev/ram3 --force --metadata /dev/ram5 --wait --timeout 120"
t_ok "P: complete --keep-source" mt complete --keep-source vm
t_eq "P: the record is the kept mirror's: its source is ram3, reversed" \
	"$(meta_field /dev/ram5 source_sectors) $(meta_field /dev/ram5 destination_sectors) $(meta_field /dev/ram5 reversed)" \
	"$S $SMALL true"
t_ok "P: gen 12 through the kept mirror" fio_write /dev/mapper/vm 12 --size=8M
t_ok "P: a reboot" sh -c "dmsetup remove vm && rm -f /run/dm-mirrorlive/kept/vm"
t_refused "P: a nosync table with the legs of the record swapped, on its own" \
	"0 $SMALL mirrorlive $(devno /dev/mapper/s2) 0 $(devno /dev/ram3) 0 3 nosync metadata $(devno /dev/ram5)" \
	"Metadata belongs to the reversed mirror: load over it"
cmd_rc 0 "P: restore" mt restore
t_ok "P: ready" mirrorctl wait vm --timeout 60
t_ok "P: revert" mt revert vm
t_ok "P: s2 holds gen 12" fio_verify /dev/mapper/s2 12
t_eq "P: the record ended" "$(meta_field /dev/ram5 valid)" false
t_ok "P: remove vm, s2" sh -c "dmsetup remove vm && dmsetup remove s2"

# ---------------------------------------------------------------- D
PATH=/dmsetup-scripts:$PATH
t_ok "D: zero ram4's first 8 KiB" dd if=/dev/zero of=/dev/ram4 bs=4096 count=2 oflag=direct
t_ok "D: wrap ram0 as vm, mirrorlive-start --metadata onto ram1, ready" sh -c \
	"mirrorctl wrap /dev/ram0 vm && mirrorlive-start vm /dev/ram1 --metadata /dev/ram4 > /dev/null &&
	 mirrorlive-wait vm --timeout 120 > /dev/null"
cmd_rc 3 "D: mirrorlive-commit of a mirror that is not kept" mirrorlive-commit vm
t_like "D: ... says so" "$(cat "$T_TMP/err")" \
	"vm: not in the kept state \\(complete --keep-source keeps the old source\\)"
cmd_rc 0 "D: mirrorlive-complete --keep-source" mirrorlive-complete vm --keep-source
t_like "D: ... says so" "$(cat "$T_TMP/out")" "^vm: now on its destination \\(.*\\), the old source kept in sync; suspended for "
t_ok "D: vm is kept, over the record" kept_persistent
t_eq "D: the kept mirror took the record over" \
	"$(meta_field /dev/ram4 state) $(meta_field /dev/ram4 reversed)" "migrating true"
t_like "D: mirrorctl sees the same kept state" "$(mirrorctl status vm)" "kept: +the old source"
t_ok "D: gen 6 through vm" fio_write /dev/mapper/vm 6 --size=8M
cmd_rc 0 "D: mirrorlive-revert" mirrorlive-revert vm
t_eq "D: vm is linear on ram0" "$(dm_table vm)" "0 $S linear $(devno /dev/ram0) 0"
t_ok "D: ram0 holds gen 6" fio_verify /dev/ram0 6
t_eq "D: the record ended" "$(meta_field /dev/ram4 valid)" false
t_ok "D: mirrorlive-start again, ready" sh -c \
	"mirrorlive-start vm /dev/ram1 > /dev/null && mirrorlive-wait vm --timeout 120 > /dev/null"
cmd_rc 0 "D: mirrorlive-complete --keep-source" mirrorlive-complete vm --keep-source
t_ok "D: gen 7 through vm" fio_write /dev/mapper/vm 7 --size=8M
cmd_rc 0 "D: mirrorlive-commit" mirrorlive-commit vm
t_eq "D: vm is linear on ram1" "$(dm_table vm)" "0 $S linear $DST 0"
t_ok "D: ram1 holds gen 7" fio_verify /dev/ram1 7
cmd_rc 3 "D: mirrorlive-revert of a linear device" mirrorlive-revert vm
t_ok "D: remove vm" dm_remove vm

finish
