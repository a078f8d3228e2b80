#!/bin/sh
# Polled I/O (io_uring with IORING_SETUP_IOPOLL: fio --hipri) through a
# mirror whose legs both poll (Documentation/design.md, "Polled I/O"):
# the writes succeed, reach both legs, and nothing waits forever.
#   - control: the same fio through dm-linear over the same kind of leg;
#   - a ready mirror: every completed write verifies on the source and on
#     the destination, after a suspend and resume;
#   - a copying mirror (throttled), so that writes meet regions being
#     copied and are deferred: both legs verify once ready, and equal.
# Every device in the stack advertises polling (io_poll 1), so the block
# layer keeps REQ_POLLED on the writes; on Debian's 6.1 a target that did
# not take polled (and so "nowait") bios fails each of them.
# timeout: 240
. /tests/lib.sh
setup

MIB=1048576
HIPRI="--ioengine=io_uring --hipri=1 --iodepth=8 --size=$((16 * MIB))"

# Two poll queues, but no more than CPUs: 6.12 warns (group_cpus_evenly)
# when a 1-vCPU guest is asked to spread 2 poll queues and 1 submit queue.
PQ=2
[ "$(nproc)" -lt 2 ] && PQ=1
t_ok "null_blk, up to $PQ poll queues" modprobe null_blk nr_devices=0 poll_queues=$PQ
for n in p0 p1 p2 p3; do
    t_ok "disk $n: memory-backed, $PQ poll queue(s)" \
        nullb "$n" size=32 memory_backed=1 queue_mode=2 submit_queues=1 poll_queues=$PQ
done
S=$(dev_sectors /dev/p0)
t_eq "the legs poll" "$(cat /sys/block/p0/queue/io_poll) $(cat /sys/block/p1/queue/io_poll)" "1 1"

# Control: dm-linear passes polled writes through.
t_ok "dm-linear over p3" dm_create lin "0 $S linear /dev/p3 0"
t_eq "dm-linear advertises polling" "$(cat "$(dm_sysfs lin)/queue/io_poll")" 1
t_ok "dm-linear: polled writes" fio_write /dev/mapper/lin 1 $HIPRI
t_ok "dm-linear: p3 verifies" fio_verify /dev/p3 1
t_ok "remove dm-linear" dm_remove lin

# A ready mirror over two equal (zeroed) legs.
t_ok "ready mirror p0 -> p1" dm_create ml "0 $S mirrorlive /dev/p0 0 /dev/p1 0 1 nosync"
t_eq "the mirror advertises polling" "$(cat "$(dm_sysfs ml)/queue/io_poll")" 1
t_ok "ready: polled writes" fio_write /dev/mapper/ml 2 $HIPRI
t_ok "ready: suspend and resume" sh -c "dmsetup suspend ml && dmsetup resume ml"
t_eq "ready: still ready, no errors" "$(ml_errs ml)" "ready 0 0 -"
t_num "ready: writes were mirrored" "$(dm_status_field ml mirrored_writes)" -gt 0
t_ok "ready: the source verifies" fio_verify /dev/p0 2
t_ok "ready: the destination verifies" fio_verify /dev/p1 2
t_ok "ready: legs equal" same_content /dev/p0 /dev/p1
t_ok "remove the ready mirror" dm_remove ml

# A copying mirror, p0 (generation 2) -> p2 (zeroes), at 2 MiB/s in 64 KiB
# regions, under polled writes of generation 3.
t_ok "copying mirror p0 -> p2" dm_create ml \
    "0 $S mirrorlive /dev/p0 0 /dev/p2 0 4 region_size 128 max_copy_kbps 2048"
t_ok "copying: polled writes during the copy" fio_write /dev/mapper/ml 3 $HIPRI
t_eq "copying: the copy was still running" "$(ml_phase ml)" copying
t_ok "copying: full speed" dmsetup message ml 0 max_copy_kbps 0
t_ok "copying: ready" dm_wait_phase ml ready 120
t_ok "copying: suspend and resume" sh -c "dmsetup suspend ml && dmsetup resume ml"
t_eq "copying: no errors" "$(ml_errs ml)" "ready 0 0 -"
t_ok "copying: the source verifies" fio_verify /dev/p0 3
t_ok "copying: the destination verifies" fio_verify /dev/p2 3
t_ok "copying: legs equal" same_content /dev/p0 /dev/p2
t_ok "remove the copying mirror" dm_remove ml

t_ok "null_blk disks off" nullb_remove p0 p1 p2 p3
t_ok "rmmod null_blk" rmmod null_blk
finish
