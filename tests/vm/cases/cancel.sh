#!/bin/sh
# Cancel: swap a live mirror back to linear(source) while a writer runs, in
# each phase the mirror can be cancelled from:
#   1. copying, part-way (throttled copy, so progress is predictable);
#      then a fresh start after the cancel must copy from scratch (the
#      destination missed the writes made after the cancel)
#   2. paused (pause_copy in the middle of the copy)
#   3. ready
# After each cancel: the table is linear over the source, the destination
# is released and receives no more writes, the generation written through
# the device verifies on the raw source (and through the device), and the
# device can be removed.
#
# Progress raises no event, and the case does not poll for it: the copy is
# throttled to 4 MiB/s and cancelled after a 3 s window (about 37 % of the
# 32 MiB disk); the case asserts the cancel really happened part-way.
# timeout: 150
. /tests/lib.sh
setup

# ---- helpers local to this case (candidates for lib.sh) ----

# dev_md5 DEV: md5 of the whole device (O_DIRECT).
dev_md5() {
    dd if="$1" iflag=direct bs=1M 2>/dev/null | md5sum | cut -d' ' -f1
}

t_ok "brd: 2 x 32 MiB" brd_setup 2 32
S=$(dev_sectors /dev/ram0)
SRC=$(devno /dev/ram0)
LINEAR_SRC="0 $S linear /dev/ram0 0"
MIRROR="0 $S mirrorlive /dev/ram0 0 /dev/ram1 0"

t_ok "source: gen 1 on every block" fio_write /dev/ram0 1

# ----------------------------------------------------- 1. copying ---
diag "1: cancel while copying, part-way"
t_ok "1: create ml = linear(source)" dm_create ml "$LINEAR_SRC"
fio_write_bg /dev/mapper/ml 2 --time_based --runtime=600
t_ok "1: start: swap to mirrorlive, 4 MiB/s" swap_table ml "$MIRROR 2 max_copy_kbps 4096"
sleep 3   # workload window: about 37 % of 32 MiB at 4 MiB/s
t_ok "1: load linear(source)" dm_load ml "$LINEAR_SRC"
P=$(ml_copied ml)
t_eq "1: still copying at the cancel" "$(ml_phase ml)" copying
diag "1: cancel at $P/$S sectors ($((P * 100 / S)) %)"
t_num "1: cancel point is past the start" "$P" -gt 0
t_num "1: cancel point is before the end" "$P" -lt "$S"
t_ok "1: cancel: suspend" dmsetup suspend ml
t_ok "1: cancel: resume with linear(source)" dmsetup resume ml
t_eq "1: table is linear over the source" "$(dm_table ml)" "0 $S linear $SRC 0"
t_ok "1: destination released" no_holders /dev/ram1
t_ok "1: writer survived the cancel" fio_running 2
D1=$(dev_md5 /dev/ram1)
sleep 1   # observation window: writes after the cancel
t_ok "1: stop gen 2 writer" fio_stop 2
t_eq "1: no write reached the destination after the cancel" "$(dev_md5 /dev/ram1)" "$D1"
t_ok "1: gen 2 verifies on the raw source" fio_verify /dev/ram0 2
t_ok "1: gen 2 verifies through the device" fio_verify /dev/mapper/ml 2

# a new start after the cancel must not reuse the cancelled progress
t_ok "1: restart: swap to mirrorlive, 4 MiB/s" swap_table ml "$MIRROR 2 max_copy_kbps 4096"
R=$(ml_copied ml)
diag "1: copied right after the restart: $R (at the cancel: $P)"
t_num "1: the restarted copy starts from scratch" "$R" -lt "$P"
t_ok "1: unthrottle" dmsetup message ml 0 max_copy_kbps 0
t_ok "1: restarted copy reaches ready" dm_wait_phase ml ready 60
t_ok "1: destination == source after the restarted copy" same_content /dev/ram0 /dev/ram1
t_ok "1: cancel from ready (idle)" swap_table ml "$LINEAR_SRC"
t_ok "1: remove ml" dm_remove ml
t_ok "1: nothing holds the source" no_holders /dev/ram0

# ------------------------------------------------------- 2. paused ---
diag "2: cancel while paused"
t_ok "2: zero the destination" zero_dev /dev/ram1
t_ok "2: create ml = linear(source)" dm_create ml "$LINEAR_SRC"
fio_write_bg /dev/mapper/ml 3 --time_based --runtime=600
t_ok "2: start: swap to mirrorlive, 8 MiB/s" swap_table ml "$MIRROR 2 max_copy_kbps 8192"
sleep 1   # workload window: some progress at 8 MiB/s
t_ok "2: message pause_copy" dmsetup message ml 0 pause_copy
t_eq "2: phase paused" "$(ml_phase ml)" paused
P=$(ml_copied ml)
diag "2: paused at $P/$S sectors"
t_num "2: paused before the end" "$P" -lt "$S"
t_ok "2: cancel from paused, writer running" swap_table ml "$LINEAR_SRC"
t_eq "2: table is linear over the source" "$(dm_table ml)" "0 $S linear $SRC 0"
t_ok "2: destination released" no_holders /dev/ram1
D1=$(dev_md5 /dev/ram1)
sleep 1   # observation window: writes after the cancel
t_ok "2: stop gen 3 writer" fio_stop 3
t_eq "2: no write reached the destination after the cancel" "$(dev_md5 /dev/ram1)" "$D1"
t_ok "2: gen 3 verifies on the raw source" fio_verify /dev/ram0 3
t_ok "2: remove ml" dm_remove ml

# -------------------------------------------------------- 3. ready ---
diag "3: cancel from ready"
t_ok "3: create ml = linear(source)" dm_create ml "$LINEAR_SRC"
fio_write_bg /dev/mapper/ml 4 --time_based --runtime=600
t_ok "3: start: swap to mirrorlive, unthrottled" swap_table ml "$MIRROR"
t_ok "3: copy reaches ready under writes" dm_wait_phase ml ready 60
sleep 1   # mirrored writes in ready
t_num "3: mirrored_writes > 0" "$(dm_status_field ml mirrored_writes)" -gt 0
t_ok "3: cancel from ready, writer running" swap_table ml "$LINEAR_SRC"
t_eq "3: table is linear over the source" "$(dm_table ml)" "0 $S linear $SRC 0"
t_ok "3: destination released" no_holders /dev/ram1
D1=$(dev_md5 /dev/ram1)
sleep 1   # observation window: writes after the cancel
t_ok "3: stop gen 4 writer" fio_stop 4
t_eq "3: no write reached the destination after the cancel" "$(dev_md5 /dev/ram1)" "$D1"
t_ok "3: gen 4 verifies on the raw source" fio_verify /dev/ram0 4
t_ok "3: gen 4 verifies through the device" fio_verify /dev/mapper/ml 4
t_ok "3: remove ml" dm_remove ml
t_ok "3: nothing holds the source" no_holders /dev/ram0
t_ok "3: nothing holds the destination" no_holders /dev/ram1

finish
