#!/bin/sh
# The background copy racing guest writes (Documentation/interface.rst,
# invariants 1-3, 7): a throttled copy runs while fio writes a new generation
# through the device; after ready the destination must equal the source, i.e.
# no copy overwrote a newer guest write and no mirrored write was lost. Also:
# pause/resume and suspend/resume stop and continue the copy.
# timeout: 300
. /tests/lib.sh
setup

t_ok "brd: 2 x 64 MiB" brd_setup 2 64
S=$(dev_sectors /dev/ram0)

# --- round 1: default regions, 16 MiB/s copy (~4 s), writer throughout
t_ok "source holds gen 1" fio_write /dev/ram0 1
t_ok "create ml, max_copy_kbps 16384" \
    dm_create ml "0 $S mirrorlive /dev/ram0 0 /dev/ram1 0 2 max_copy_kbps 16384"
fio_write_bg /dev/mapper/ml 2 --time_based --runtime=600
t_ok "copy reaches ready under writes" dm_wait_phase ml ready 90
t_ok "writer still running at ready" fio_running 2
sleep 1
t_ok "stop writer gen 2" fio_stop 2
t_ok "verify gen 2 on the source" fio_verify /dev/ram0 2
t_ok "verify gen 2 on the destination" fio_verify /dev/ram1 2
t_ok "destination == source" same_content /dev/ram0 /dev/ram1
t_num "mirrored_writes > 0" "$(dm_status_field ml mirrored_writes)" -gt 0
t_eq "errors and reason" "$(dm_status_field ml dest_errors) $(dm_status_field ml source_errors) $(dm_status_field ml reason)" "0 0 -"
t_ok "remove ml" dm_remove ml

# --- round 2: 4 KiB regions (maximal lock traffic), pause/resume and
# suspend/resume in the middle of the copy
L=32768
t_ok "zero the destination" dd if=/dev/zero of=/dev/ram1 bs=1M count=16 oflag=direct
# created paused: the copy (8 s at 2 MiB/s) starts only once the writer
# runs, however long fio takes to start on a slow (debug) kernel
t_ok "create ml, region_size 8, max_copy_kbps 2048, paused" \
    dm_create ml "0 $L mirrorlive /dev/ram0 0 /dev/ram1 0 5 region_size 8 max_copy_kbps 2048 paused"
fio_write_bg /dev/mapper/ml 3 --time_based --runtime=600
t_eq "created paused" "$(dm_status_field ml phase)" paused
t_ok "message resume_copy (start)" dmsetup message ml 0 resume_copy
sleep 2
t_ok "message pause_copy" dmsetup message ml 0 pause_copy
t_eq "phase paused" "$(dm_status_field ml phase)" paused
# pause_copy returns after the copies in flight finished
a=$(ml_copied ml); sleep 1; b=$(ml_copied ml)
t_eq "no copy progress while paused" "$b" "$a"
t_num "some progress before the pause" "$a" -gt 0
t_ok "message resume_copy" dmsetup message ml 0 resume_copy
sleep 1
t_ok "suspend (writer blocks)" dmsetup suspend ml
a=$(ml_copied ml); sleep 1; b=$(ml_copied ml)
t_eq "no copy progress while suspended" "$b" "$a"
t_ok "resume" dmsetup resume ml
t_ok "copy continues to ready" dm_wait_phase ml ready 90
c=$(ml_copied ml)
t_num "progress did not go backwards across suspend" "$c" -ge "$a"
sleep 1
t_ok "stop writer gen 3" fio_stop 3
t_ok "verify gen 3 on the destination" fio_verify /dev/ram1 3
t_ok "destination == source (16 MiB)" same_content /dev/ram0 /dev/ram1 $L
t_eq "errors and reason" "$(dm_status_field ml dest_errors) $(dm_status_field ml source_errors) $(dm_status_field ml reason)" "0 0 -"
t_ok "remove ml" dm_remove ml

finish
