#!/bin/sh
# `make demo`, inside the guest: move a disk that is being written to onto
# another disk, and prove nothing was lost.
. /tests/lib.sh > /dev/null 2>&1

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }
die() { printf '\ndemo: FAILED: %s\n' "$*"; exit 1; }

modprobe dm-mirrorlive || die "cannot load dm-mirrorlive"
brd_setup 2 256 || die "cannot create the ram disks"
SRC=/dev/ram0 DST=/dev/ram1
S=$(dev_sectors $SRC)

say "A 256 MiB 'VM disk': a dm device over the old backing disk ($SRC)"
run dmsetup create vmdisk --table "0 $S linear $SRC 0" || die "create vmdisk"
dm_mknodes
fio_write /dev/mapper/vmdisk 1 > /dev/null || die "initial write"
echo "(filled with data generation 1)"

say "The guest keeps writing (fio, 4 KiB random writes, generation 2)"
fio_write_bg /dev/mapper/vmdisk 2 --time_based --runtime=600 --rate_iops=2000

say "Start the migration: same device, new table (copy limited to 64 MiB/s)"
run dmsetup load vmdisk --table \
	"0 $S mirrorlive $SRC 0 $DST 0 2 max_copy_kbps 65536" || die "load"
run dmsetup suspend vmdisk && run dmsetup resume vmdisk || die "swap in mirror"

say "Progress (dmsetup status; the VM's writes go to both disks where copied)"
while :; do
	st=$(dm_status vmdisk)
	printf '  %s\n' "$st"
	case "$st" in ready*|failed*) break ;; esac
	sleep 1
done
[ "${st%% *}" = ready ] || die "the mirror did not become ready: $st"
run mirrorctl status vmdisk

say "Complete: swap the table to the new disk while the guest writes"
run dmsetup load vmdisk --table "0 $S linear $DST 0" || die "load linear"
t0=$(ms_now)
dmsetup suspend vmdisk && dmsetup resume vmdisk || die "pivot"
echo "device suspended for $(($(ms_now) - t0)) ms"
run dmsetup table vmdisk

say "Stop the guest's writes and check every block on the new disk alone"
fio_stop 2 > /dev/null || die "the writer saw an error"
fio_verify $DST 2 > /tmp/verify.log 2>&1 || { cat /tmp/verify.log; die "verification on $DST"; }
echo "generation 2 verified on $DST: every write the guest completed is there,"
echo "including those made during the copy and across the swap"

run dmsetup remove vmdisk
rmmod dm-mirrorlive
printf '\ndemo: migration complete, data verified\n'
