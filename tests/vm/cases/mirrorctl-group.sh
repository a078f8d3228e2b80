#!/bin/sh
# mirrorctl with several devices and several segments:
#   - one start call for two devices, one of them made of two linear
#     segments on two disks at non-zero offsets, mirrored onto one
#     contiguous destination;
#   - a group complete while one of the two is not ready: neither switches;
#     once both are ready, both switch in one suspend window, under fio
#     load, and the data verifies on the raw destinations;
#   - cancel under load, mid-copy, restores the exact original segments;
#     cancel of a ready mirror, and start --nosync.
# timeout: 280
. /tests/lib.sh
setup

# attrs DEV: "L--w" is live table, no inactive table, not suspended.
attrs() { dmsetup info -c --noheadings -o attr "$1"; }

t_ok "brd: 4 x 32 MiB" brd_setup 4 32
R0=$(devno /dev/ram0) R1=$(devno /dev/ram1) R2=$(devno /dev/ram2) R3=$(devno /dev/ram3)

# ms: 4 MiB of ram0 at sector 2048, then 6 MiB of ram1 at sector 777.
MS_TABLE="0 8192 linear $R0 2048
8192 12288 linear $R1 777"
t_ok "create ms: two segments on two disks" dm_create ms "$MS_TABLE"
t_eq "ms table" "$(dm_table ms)" "$MS_TABLE"
# vm2: 8 MiB of ram0 at sector 16384.
t_ok "create vm2" dm_create vm2 "0 16384 linear $R0 16384"
t_ok "gen 1 through ms" fio_write /dev/mapper/ms 1
t_ok "gen 2 through vm2" fio_write /dev/mapper/vm2 2

mctl_rc 0 "start ms and vm2 in one call, paused" start ms /dev/ram2 vm2 /dev/ram3 --paused
t_eq "ms: a mirrorlive segment per linear one, onto one destination" "$(dm_table ms)" \
"0 8192 mirrorlive $R0 2048 $R2 0 1 paused
8192 12288 mirrorlive $R1 777 $R2 8192 1 paused"
t_eq "vm2 table" "$(dm_table vm2)" "0 16384 mirrorlive $R0 16384 $R3 0 1 paused"
mctl_rc 0 "status of the two-segment mirror" status ms
out=$(cat "$T_TMP/out")
t_like "status: segments" "$out" '^segments: +2$'
t_like "status: both sources" "$out" '^source: +/dev/ram0, /dev/ram1$'
t_like "status: one destination" "$out" '^destination: +/dev/ram2$'
t_like "status: second segment's offsets" "$out" '^destination: +/dev/ram2 at sector 8192$'
mctl_rc 0 "status --json of the two-segment mirror" status ms --json
t_like "json: segments" "$(cat "$T_TMP/out")" '"segments":\[\{"start_sector":0,"length_sectors":8192,.*"source_offset_sectors":2048,.*\},\{"start_sector":8192,"length_sectors":12288,.*"source_offset_sectors":777,"destination":"/dev/ram2","destination_offset_sectors":8192,'
mctl_rc 0 "resume ms" resume ms
mctl_rc 0 "wait ms" wait ms --timeout 60
mctl_rc 4 "wait ms vm2: vm2 is paused, gives up at --timeout" wait ms vm2 --timeout 3
t_like "... says vm2 is paused" "$(cat "$T_TMP/err")" \
	'^mirrorctl: vm2: the copy is paused: waiting until it is resumed \(mirrorctl resume-copy vm2\)$'
t_like "... then times out on vm2" "$(tail -n 1 "$T_TMP/err")" \
	'^mirrorctl: vm2: timed out, mirror paused, 0\.0% copied$'

t_ok "fio gen 3 on ms in the background" fio_write_bg /dev/mapper/ms 3 --time_based --runtime=600 --rate=4m
mctl_rc 3 "group complete with vm2 not ready" complete ms vm2
t_like "names vm2" "$(cat "$T_TMP/err")" 'mirrorctl: vm2: not ready \(paused, 0\.0% copied\), staying on the source'
t_like "says nothing switched" "$(cat "$T_TMP/err")" 'mirrorctl: complete: no device switched'
t_like "ms still mirroring" "$(dm_table ms | head -n 1)" "^0 8192 mirrorlive $R0 2048 $R2 0"
t_like "vm2 still mirroring" "$(dm_table vm2)" "^0 16384 mirrorlive $R0 16384 $R3 0"
t_eq "ms: no inactive table, not suspended" "$(attrs ms)" "L--w"
t_eq "vm2: no inactive table, not suspended" "$(attrs vm2)" "L--w"
mctl_rc 3 "the same in the other order" complete vm2 ms
t_like "ms still mirroring" "$(dm_table ms | head -n 1)" "^0 8192 mirrorlive "

mctl_rc 0 "resume vm2" resume vm2
mctl_rc 0 "complete --timeout waits for vm2, then switches both" complete -v ms vm2 --timeout 60
win=$(sed -n 's/^mirrorctl: complete: 2 devices suspended for \([0-9.]*\) ms$/\1/p' "$T_TMP/err")
t_like "one suspend window for both" "$win" '^[0-9]+\.[0-9]{3}$'
diag "group complete suspend window (2 devices, fio on one): $win ms"
t_eq "ms on its destination" "$(dm_table ms)" "0 8192 linear $R2 0
8192 12288 linear $R2 8192"
t_eq "vm2 on its destination" "$(dm_table vm2)" "0 16384 linear $R3 0"
t_ok "stop fio gen 3" fio_stop 3
t_ok "gen 3 verifies on the raw destination of ms" fio_verify /dev/ram2 3 --verify_state_save=0
t_ok "gen 2 verifies on the raw destination of vm2" fio_verify /dev/ram3 2 --verify_state_save=0
t_ok "remove ms" dm_remove ms
t_ok "remove vm2" dm_remove vm2

# ---- cancel under load, mid-copy ----
MC_TABLE="0 8192 linear $R0 4096
8192 8192 linear $R1 100"
t_ok "create mc: two segments" dm_create mc "$MC_TABLE"
t_ok "gen 4 through mc" fio_write /dev/mapper/mc 4
t_ok "fio gen 5 on mc in the background" fio_write_bg /dev/mapper/mc 5 --time_based --runtime=600 --rate=4m
mctl_rc 0 "start mc, 64K regions, sparse, 1M/s" start mc /dev/ram3 --region-size 64K --sparse --max-rate 1M
# 1M/s for the device: 512 KiB/s for each of its two segments
t_like "mc: table options" "$(dm_table mc | head -n 1)" "^0 8192 mirrorlive $R0 4096 $R3 0 5 region_size 128 max_copy_kbps 512 sparse\$"
t_eq "mid-copy" "$(ml_phase mc)" copying
mctl_rc 0 "cancel mc under load, mid-copy" cancel mc
t_eq "mc: exactly the original segments" "$(dm_table mc)" "$MC_TABLE"
t_ok "fio still writing" fio_running 5
t_ok "ram3 released" sh -c "[ -z \"\$(ls /sys/class/block/ram3/holders)\" ]"
t_ok "stop fio gen 5" fio_stop 5
t_ok "gen 5 verifies through mc" fio_verify /dev/mapper/mc 5 --verify_state_save=0

# ---- cancel in ready; --nosync ----
mctl_rc 0 "start --nosync" start mc /dev/ram3 --nosync
t_eq "nosync: ready at once" "$(ml_phase mc)" ready
mctl_rc 0 "cancel a ready mirror" cancel mc
t_eq "mc: the original segments again" "$(dm_table mc)" "$MC_TABLE"
t_ok "remove mc" dm_remove mc
finish
