#!/bin/sh
# Self-test of the VM test library on dm-linear (no dm-mirrorlive needed):
# the fio verify recipe must pass on good data and must catch stale,
# missing and misplaced blocks; otherwise the mirror cases prove nothing.
# timeout: 240
# once: it tests the test library, not the module
. /tests/lib.sh
setup --no-module

t_ok "brd: 3 x 16 MiB" brd_setup 3 16
S=$(dev_sectors /dev/ram0)
t_eq "brd size in sectors" "$S" 32768
t_eq "devno /dev/ram1" "$(devno /dev/ram1)" "1:1"
t_ok "dm-linear over ram0" dm_create lin "0 $S linear /dev/ram0 0"
t_ok "/dev/mapper/lin exists" test -b /dev/mapper/lin
t_eq "dm_table" "$(dm_table lin)" "0 $S linear 1:0 0"
t_eq "dm_status of linear is empty" "$(dm_status lin)" ""
t0=$(ms_now); sleep 0.2; t1=$(ms_now)
t_num "ms_now advances ~200 ms" $((t1 - t0)) -ge 150

# gen 1 over the whole device; verify through dm and on the raw device
t_ok "fio_write gen 1 via dm" fio_write /dev/mapper/lin 1
t_ok "fio_verify gen 1 via dm" fio_verify /dev/mapper/lin 1
t_ok "fio_verify gen 1 on ram0" fio_verify /dev/ram0 1
t_ok "fio_readverify gen 1 on ram0" fio_readverify /dev/ram0 1

# a stale copy (gen 1) must fail the gen 2 verify
t_ok "copy ram0 -> ram1 (gen 1)" dd if=/dev/ram0 of=/dev/ram1 bs=1M iflag=direct oflag=direct
t_ok "same_content ram0 ram1" same_content /dev/ram0 /dev/ram1
t_ok "fio_write gen 2 via dm" fio_write /dev/mapper/lin 2
t_fail "same_content ram0 ram1 now differs" same_content /dev/ram0 /dev/ram1
t_ok "fio_verify gen 2 on ram0" fio_verify /dev/ram0 2
t_fail "fio_verify gen 2 catches stale gen-1 blocks" fio_verify /dev/ram1 2
t_fail "fio_verify gen 2 catches all-zero blocks" fio_verify /dev/ram2 2

# misplaced block: the pattern carries the offset
t_ok "move one block on ram1 copy" sh -c 'dd if=/dev/ram0 of=/dev/ram1 bs=1M iflag=direct oflag=direct 2>/dev/null &&
    dd if=/dev/ram0 of=/dev/ram1 bs=4096 skip=10 seek=20 count=1 iflag=direct oflag=direct'
t_fail "fio_verify gen 2 catches a misplaced block" fio_verify /dev/ram1 2
t_fail "fio_readverify gen 2 catches a misplaced block" fio_readverify /dev/ram1 2

# time-limited write: only completed writes are verified
t_ok "fio_write gen 3, rate-limited for 1 s" fio_write /dev/mapper/lin 3 --rate_iops=300 --runtime=1
kb=$(cat "$FIO_AUX/g3.kb")
t_num "gen 3 wrote part of the device" "$kb" -lt 16384
t_ok "fio_verify gen 3 on ram0 (state: completed writes only)" fio_verify /dev/ram0 3

# background write stopped with SIGINT
fio_write_bg /dev/mapper/lin 4 --time_based --runtime=120 --rate_iops=500
sleep 2
t_ok "fio_stop gen 4 (SIGINT)" fio_stop 4
kb=$(cat "$FIO_AUX/g4.kb")
t_num "gen 4 wrote something" "$kb" -gt 0
t_ok "fio_verify gen 4 on ram0" fio_verify /dev/ram0 4
t_fail "fio_verify gen 4 on a zero disk fails" fio_verify /dev/ram2 4

# a smaller device at an offset of a disk: the pattern holds the offset in
# the file, so verify through a read-only linear view at the same offset;
# on the bigger raw disk itself it fails (fio_write pins --size, so the
# random offsets replay identically: the failure is the content)
t_ok "dm-linear lin2: 8 MiB at 2 MiB of ram0" dm_create lin2 "0 16384 linear /dev/ram0 4096"
t_ok "fio_write gen 5 via lin2" fio_write /dev/mapper/lin2 5
t_ok "dm_view v2 of ram0 at 2 MiB" dm_view v2 /dev/ram0 4096 16384
t_ok "fio_verify gen 5 on the view" fio_verify /dev/mapper/v2 5
t_fail "fio_verify gen 5 on raw ram0 fails (offset differs)" fio_verify /dev/ram0 5
t_fail "the view is read-only" dd if=/dev/zero of=/dev/mapper/v2 bs=4k count=1 oflag=direct
t_ok "remove v2" dm_remove v2
t_ok "remove lin2" dm_remove lin2

# crc32c passes
t_ok "fio_crc via dm" fio_crc /dev/mapper/lin
t_ok "fio_crc_write A via dm" fio_crc_write /dev/mapper/lin A
t_ok "fio_crc_verify A on ram0" fio_crc_verify /dev/ram0 A
t_fail "fio_crc_verify A on a zero disk fails" fio_crc_verify /dev/ram2 A
t_ok "copy ram0 -> ram1, move one block" sh -c 'dd if=/dev/ram0 of=/dev/ram1 bs=1M iflag=direct oflag=direct 2>/dev/null &&
    dd if=/dev/ram0 of=/dev/ram1 bs=4096 skip=10 seek=20 count=1 iflag=direct oflag=direct'
t_fail "fio_crc_verify A catches a misplaced block" fio_crc_verify /dev/ram1 A

# a writer stopped before one pass over its range can be verified twice:
# the first verify must not overwrite the writer's saved state
fio_write_bg /dev/ram2 7 --size=16m --time_based --runtime=600 --rate_iops=300
sleep 2
t_ok "stop writer gen 7 mid-pass" fio_stop 7
t_ok "fio_verify gen 7, first time" fio_verify /dev/ram2 7
t_ok "fio_verify gen 7, second time" fio_verify /dev/ram2 7

# helpers on a dm-delay device (status has params), then clean up
t_ok "modprobe dm-delay" modprobe dm-delay
t_ok "dm-delay over ram1" dm_create dly "0 $S delay /dev/ram1 0 0"
t_eq "dm_status dly (in-flight counters)" "$(dm_status dly)" "0 0 0"
t_eq "dm_status_field dly 3" "$(dm_status_field dly 3)" "0"
t_ok "mkfs.ext4 + e2fsck work" sh -c 'mkfs.ext4 -q -F /dev/mapper/dly && e2fsck -fn /dev/mapper/dly'
t_ok "remove dly" dm_remove dly
t_ok "remove lin" dm_remove lin
t_ok "rmmod dm-delay" rmmod dm-delay

# copy_table and copy_wait (dm_mirror_wait_sync): the kernel's dm-mirror
# resyncs ram0 onto a zeroed ram2
t_eq "copy_table dm-mirror" "$(copy_table dm-mirror /dev/ram0 /dev/ram2)" \
    "0 $S mirror core 1 1024 2 /dev/ram0 0 /dev/ram2 0"
t_eq "copy_table mirrorlive" "$(copy_table mirrorlive /dev/ram0 /dev/ram2)" \
    "0 $S mirrorlive /dev/ram0 0 /dev/ram2 0"
t_fail "copy_table refuses an unknown kind" copy_table raid1 /dev/ram0 /dev/ram2
t_ok "modprobe dm-mirror" modprobe dm-mirror
t_ok "zero ram2" zero_dev /dev/ram2
t_ok "dm-mirror dmm over ram0 and ram2 (core log, full resync)" \
    dm_create dmm "$(copy_table dm-mirror /dev/ram0 /dev/ram2)"
t_ok "copy_wait dm-mirror dmm" copy_wait dm-mirror dmm 60
t_ok "ram2 holds ram0's data once in sync" same_content /dev/ram0 /dev/ram2
t_ok "remove dmm" dm_remove dmm
t_ok "dm-zero zz" dm_create zz "0 8 zero"
t_fail "dm_mirror_wait_sync fails on a device that is not a dm-mirror" dm_mirror_wait_sync zz 5
t_ok "remove zz" dm_remove zz

# what finish's dmesg check fails on, and what it lets through
bad_line() { printf '%s\n' "$1" | grep -Eq -- "$T_DMESG_BAD"; }
for l in "WARNING: CPU: 1 PID: 7 at drivers/md/dm.c:1 f+0x1/0x2" \
    "kmemleak: 2 new suspected memory leaks (see /sys/kernel/debug/kmemleak)" \
    "kmemleak: Freeing unknown object at 0xffff888004a0" \
    "kmemleak: Kernel memory leak detector disabled" \
    "BUG: KASAN: slab-out-of-bounds in f+0x1/0x2"; do
    t_ok "dmesg check catches: $l" bad_line "$l"
done
for l in "kmemleak: Kernel memory leak detector initialized (mem pool available: 14563)" \
    "kmemleak: Automatic memory scanning thread started"; do
    t_fail "dmesg check lets through: $l" bad_line "$l"
done

# finish's safety net removes devices left behind
dm_create leftover "0 8 zero" > /dev/null 2>&1
finish
