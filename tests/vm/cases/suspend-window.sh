#!/bin/sh
# A suspend waits for the chunks being copied, not for whole regions
# (Documentation/design.md, section 5: a region is copied in chunks of at
# most 2 MiB, and a stopped copy abandons the rest of its regions):
#   - over a slow destination (dm-delay, writes +50 ms), the time a
#     "dmsetup suspend" takes while the copy runs does not grow with
#     region_size: at 1 GiB and 64 MiB regions it stays within 4 times the
#     time at 512 KiB (it grew about 100-fold before);
#   - an abandoned region is copied again: suspend/resume and pause_copy
#     in the middle of 32 MiB regions, then ready, and the destination
#     holds every block of the source.
# The times are printed (diag) for the record.
# timeout: 300
. /tests/lib.sh
setup

t_ok "modprobe dm-delay" modprobe dm-delay
t_ok "null_blk" modprobe null_blk nr_devices=0
t_ok "source: 16 GiB null_blk" nullb src size=16384 memory_backed=0
t_ok "destination: 16 GiB null_blk" nullb dst size=16384 memory_backed=0
S=$(dev_sectors /dev/src)
t_ok "destination writes delayed 50 ms" dm_create slow "0 $S delay /dev/dst 0 0 /dev/dst 0 50"

# copy_writing: the copy has written to "slow" since the mirror was made.
# Its chunks wait there 50 ms each, and once it writes it keeps about a
# dozen in flight (measured: 480 writes of 56 ms in 2 s), so a suspend
# from then on meets chunks in flight.  The device's inflight counter
# cannot tell: dm does not keep it for bio-based devices (284 samples in
# 2 s, all 0, with 13 writes in flight on average).  Waiting for a whole
# region instead would wait 40 s for the first GiB region under TCG.
SLOW_MINOR=$(dmsetup info -c --noheadings -o minor slow | tr -d ' ')
slow_writes() { awk '{ print $5 }' "/sys/block/dm-$SLOW_MINOR/stat"; }
copy_writing() { [ "$(slow_writes)" -gt "$1" ]; }

# suspend_ms REGION: ms a suspend takes while a mirror with REGION-sector
# regions copies onto "slow"
suspend_ms() {
    _w0=$(slow_writes)
    dm_create ml "0 $S mirrorlive /dev/src 0 /dev/mapper/slow 0 2 region_size $1" || return 1
    wait_until 120 copy_writing "$_w0" || { echo "no copy write in flight in 120 s" >&2; dm_remove ml; return 1; }
    _t0=$(ms_now)
    dmsetup suspend ml || return 1
    _t1=$(ms_now)
    dmsetup resume ml && dm_remove ml || return 1
    echo $((_t1 - _t0))
}

for r in 1024 131072 2097152; do
    ms=$(suspend_ms $r)
    t_like "region_size $r: suspend while copying" "$ms" '^[0-9]+$'
    eval "T_$r=\${ms:-0}"
    diag "region_size $r ($((r / 2)) KiB): suspend took $ms ms"
done
base=$((T_1024 > 100 ? T_1024 : 100))
t_num "64 MiB regions: suspend within 4x that at 512 KiB" "$T_131072" -le $((4 * base))
t_num "1 GiB regions: suspend within 4x that at 512 KiB" "$T_2097152" -le $((4 * base))
t_ok "remove slow" dm_remove slow
t_ok "null_blk disks off" nullb_remove src dst

# Abandoned regions are copied again.
t_ok "brd: 2 x 64 MiB" brd_setup 2 64
B=$(dev_sectors /dev/ram0)
t_ok "source data" fio_write /dev/ram0 1 --rw=write --bs=64k
# writes +500 ms: a 32 MiB region (16 chunks) takes 8 s, so that the steps
# below land in the middle of one however slow the machine
t_ok "slow brd destination" dm_create slow "0 $B delay /dev/ram1 0 0 /dev/ram1 0 500"
t_ok "mirror, 32 MiB regions" dm_create ml \
    "0 $B mirrorlive /dev/ram0 0 /dev/mapper/slow 0 2 region_size 65536"
t_eq "copying, nothing copied yet" "$(ml_phase ml) $(ml_copied ml)" "copying 0"
t_ok "suspend mid-region" dmsetup suspend ml
t_eq "nothing marked copied" "$(ml_copied ml)" 0
t_ok "resume" dmsetup resume ml
t_ok "pause_copy mid-region" dmsetup message ml 0 pause_copy
t_eq "paused, nothing marked copied" "$(ml_phase ml) $(ml_copied ml)" "paused 0"
t_ok "resume_copy" dmsetup message ml 0 resume_copy
t_ok "ready" dm_wait_phase ml ready 120
t_eq "no errors" "$(ml_errs ml)" "ready 0 0 -"
t_ok "the destination holds the source's data" fio_verify /dev/ram1 1
t_ok "destination equals the source" same_content /dev/ram0 /dev/ram1
t_ok "remove ml" dm_remove ml
t_ok "remove slow" dm_remove slow
t_ok "rmmod null_blk" rmmod null_blk
finish
