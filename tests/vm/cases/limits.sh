#!/bin/sh
# Queue limits of a mirror: logical and physical block size are the larger
# of the two legs', a destination with larger logical blocks than the
# source is refused, and discard is advertised only when both legs support
# it (DESIGN invariant 5). A mirrored discard reaches both legs.
# timeout: 120
. /tests/lib.sh
setup

q() { cat "/sys/block/$(basename "$(readlink -f "$1")")/queue/$2"; }
dmq() { cat "/sys/block/dm-$(dmsetup info -c --noheadings -o minor "$1" | tr -d ' ')/queue/$2"; }

t_ok "null_blk without default disks" modprobe null_blk nr_devices=0
t_ok "disk d512: 512 B blocks, discard" nullb d512 size=64 blocksize=512 memory_backed=1 discard=1
t_ok "disk e512: 512 B blocks, discard" nullb e512 size=64 blocksize=512 memory_backed=1 discard=1
t_ok "disk d4k: 4 KiB blocks, discard" nullb d4k size=64 blocksize=4096 memory_backed=1 discard=1
t_ok "disk n512: 512 B blocks, no discard" nullb n512 size=64 blocksize=512 memory_backed=1 discard=0
S=$(dev_sectors /dev/d512)
t_eq "d4k logical block size" "$(q /dev/d4k logical_block_size)" 4096
t_eq "n512 has no discard" "$(q /dev/n512 discard_max_bytes)" 0

# mirror NAME SRC DST: a ready mirror (nosync: these checks need no copy)
mirror() { dm_create "$1" "0 $S mirrorlive /dev/$2 0 /dev/$3 0 1 nosync"; }

# A destination with larger logical blocks than the source would raise the
# block size of a device already in use at the source's (a guest doing
# 512-byte direct I/O breaks): the constructor refuses it, whatever tool
# loaded the line, and the open device keeps its table and block size.
t_fail "512 -> 4k: refused at create" mirror m1 d512 d4k
t_like "512 -> 4k: the reason" "$(dmesg | tail -n 5)" \
	"Destination logical block size larger than the source.s"
t_ok "a device in use at 512 B blocks" dm_create m1 "0 $S linear /dev/d512 0"
exec 7< /dev/mapper/m1
t_fail "512 -> 4k: refused at load over it" \
	dm_load m1 "0 $S mirrorlive /dev/d512 0 /dev/d4k 0 1 nosync"
t_eq "no inactive table was left" "$(dmsetup info m1 | grep -c 'Tables present: LIVE & INACTIVE')" 0
t_ok "suspend and resume it" sh -c "dmsetup suspend m1 && dmsetup resume m1"
t_eq "its block size is still 512" "$(dmq m1 logical_block_size)" 512
t_eq "its table is still linear" "$(dm_table m1 | cut -d' ' -f3)" linear
t_ok "a 512 B direct write still works" \
	fio --name=small --filename=/dev/mapper/m1 --rw=write --bs=512 \
	--offset=512 --size=512 --direct=1 --ioengine=psync
exec 7<&-
t_ok "mirror 4k -> 512" mirror m2 d4k e512
t_eq "4k -> 512: logical block size is the larger" "$(dmq m2 logical_block_size)" 4096
t_eq "4k -> 512: physical block size is the larger" "$(dmq m2 physical_block_size)" 4096
t_fail "4k -> 512: a 512 B direct write is refused" \
	fio --name=small --filename=/dev/mapper/m2 --rw=write --bs=512 \
	--offset=512 --size=512 --direct=1 --ioengine=psync
t_ok "4k -> 512: a 4 KiB direct write works" \
	fio --name=block --filename=/dev/mapper/m2 --rw=write --bs=4k \
	--offset=4096 --size=4k --direct=1 --ioengine=psync
t_ok "remove m1" dm_remove m1
t_ok "remove m2" dm_remove m2

t_ok "mirror discard -> no discard" mirror m3 d512 n512
t_eq "no discard on the destination: none advertised" "$(dmq m3 discard_max_bytes)" 0
t_fail "blkdiscard is refused" blkdiscard -o 0 -l 1048576 /dev/mapper/m3
t_ok "remove m3" dm_remove m3
t_ok "mirror no discard -> discard" mirror m4 n512 d512
t_eq "no discard on the source: none advertised" "$(dmq m4 discard_max_bytes)" 0
t_ok "remove m4" dm_remove m4

# Both legs discard: a discard through a ready mirror clears both.
t_ok "fill d512 and e512 with 0xff" sh -c \
	'for d in d512 e512; do tr "\0" "\377" < /dev/zero | dd of=/dev/$d bs=1M count=4 iflag=fullblock oflag=direct 2>/dev/null || exit 1; done'
t_ok "mirror discard -> discard" mirror m5 d512 e512
t_num "discard advertised" "$(dmq m5 discard_max_bytes)" -gt 0
t_ok "blkdiscard 1 MiB at 1 MiB" blkdiscard -o 1048576 -l 1048576 /dev/mapper/m5
t_ok "source range reads as zeroes" is_zero /dev/d512 2048 2048
t_ok "destination range reads as zeroes" is_zero /dev/e512 2048 2048
t_fail "data outside the range is kept" is_zero /dev/e512 0 2048
t_num "the discard was mirrored" "$(dm_status_field m5 mirrored_writes)" -ge 1
t_eq "no errors" "$(dm_status_field m5 dest_errors) $(dm_status_field m5 source_errors) $(dm_status_field m5 reason)" "0 0 -"
t_ok "remove m5" dm_remove m5

t_ok "null_blk disks off" nullb_remove d512 e512 d4k n512
t_ok "rmmod null_blk" rmmod null_blk
finish
