#!/bin/sh
# Basic I/O through a mirrorlive device over two brd disks: every write
# reaches the source, reads come from the source, and once the mirror is
# ready the destination holds the same data (fio verify=pattern, per
# generation and offset, checked on the raw disks; plus a crc32c pass).
# timeout: 300
. /tests/lib.sh
setup

t_ok "brd: 2 x 64 MiB" brd_setup 2 64
S=$(dev_sectors /dev/ram0)

t_ok "create ml: 0 $S mirrorlive /dev/ram0 0 /dev/ram1 0" \
    dm_create ml "0 $S mirrorlive /dev/ram0 0 /dev/ram1 0"
t_ok "/dev/mapper/ml is a block device" test -b /dev/mapper/ml
t_eq "ml size" "$(dev_sectors /dev/mapper/ml)" "$S"

# generation 1: whole device, 4k randwrite QD16, while the copy runs
t_ok "fio randwrite gen 1 through ml" fio_write /dev/mapper/ml 1
t_ok "verify gen 1 through ml" fio_verify /dev/mapper/ml 1
t_ok "verify gen 1 on the source ram0" fio_verify /dev/ram0 1
t_ok "read-back gen 1 through ml (sequential, verify)" fio_readverify /dev/mapper/ml 1

t_ok "mirror reaches ready" dm_wait_phase ml ready 60
t_eq "progress in ready" "$(dm_status_field ml progress)" "$S/$S"
t_ok "verify gen 1 on the destination ram1" fio_verify /dev/ram1 1
t_ok "destination == source" same_content /dev/ram0 /dev/ram1

# generation 2 in ready: writes are mirrored
t_ok "fio randwrite gen 2 through ml (ready)" fio_write /dev/mapper/ml 2
t_ok "verify gen 2 on the source ram0" fio_verify /dev/ram0 2
t_ok "verify gen 2 on the destination ram1" fio_verify /dev/ram1 2
t_num "mirrored_writes counted" "$(dm_status_field ml mirrored_writes)" -gt 0
t_eq "dest_errors" "$(dm_status_field ml dest_errors)" 0
t_eq "source_errors" "$(dm_status_field ml source_errors)" 0
t_eq "reason" "$(dm_status_field ml reason)" -

# crc32c pass (header with offset and sequence number) through the device
t_ok "fio crc32c write + verify through ml" fio_crc /dev/mapper/ml
t_ok "destination == source after the crc32c pass" same_content /dev/ram0 /dev/ram1
t_eq "still ready" "$(dm_status_field ml phase)" ready
t_ok "remove ml" dm_remove ml

# writes while the copy is paused reach the source only; after resume the
# copy brings them to the destination
t_ok "zero both disks" zero_dev /dev/ram0 /dev/ram1
t_ok "create ml paused" dm_create ml "0 $S mirrorlive /dev/ram0 0 /dev/ram1 0 1 paused"
t_ok "fio randwrite gen 3 through ml (paused)" fio_write /dev/mapper/ml 3
t_eq "still paused, nothing copied" "$(dm_status_field ml phase) $(dm_status_field ml progress)" "paused 0/$S"
t_ok "verify gen 3 on the source ram0" fio_verify /dev/ram0 3
t_fail "destination ram1 does not have gen 3 yet" fio_verify /dev/ram1 3
t_ok "message resume_copy" dmsetup message ml 0 resume_copy
t_ok "mirror reaches ready" dm_wait_phase ml ready 60
t_ok "verify gen 3 on the destination ram1" fio_verify /dev/ram1 3
t_ok "destination == source" same_content /dev/ram0 /dev/ram1
t_ok "remove ml" dm_remove ml

# offsets: 16 MiB at sector 2048 of the source onto sector 4096 of the
# destination; checked through read-only linear views at those offsets
L=32768
t_ok "zero the destination" zero_dev /dev/ram1
t_ok "create ml with offsets" dm_create ml "0 $L mirrorlive /dev/ram0 2048 /dev/ram1 4096"
t_ok "fio randwrite gen 4 through ml" fio_write /dev/mapper/ml 4
t_ok "mirror reaches ready" dm_wait_phase ml ready 60
t_ok "view of the source window" dm_view vsrc /dev/ram0 2048 $L
t_ok "view of the destination window" dm_view vdst /dev/ram1 4096 $L
t_ok "verify gen 4 on the source view" fio_verify /dev/mapper/vsrc 4
t_ok "verify gen 4 on the destination view" fio_verify /dev/mapper/vdst 4
t_ok "destination view == source view" same_content /dev/mapper/vsrc /dev/mapper/vdst
t_ok "destination before the window untouched" is_zero /dev/ram1 0 4096
t_ok "destination after the window untouched" is_zero /dev/ram1 $((4096 + L)) $((S - 4096 - L))
t_ok "remove views" sh -c "dmsetup remove vsrc && dmsetup remove vdst"
t_ok "remove ml" dm_remove ml

finish
