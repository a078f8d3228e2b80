#!/bin/sh
# Write-zeroes and discards that a leg advertises but refuses
# (Documentation/dm-mirrorlive.rst, "Write-zeroes and discards").
#
# Loop devices over files stand in for SCSI disks whose WRITE SAME or UNMAP
# fails: each advertises both operations, and answers "not supported" for
# what its filesystem's fallocate cannot do:
#   ext4   does both (FALLOC_FL_ZERO_RANGE, FALLOC_FL_PUNCH_HOLE);
#   tmpfs  discards, refuses write-zeroes;
#   vfat   refuses both.
# The clients are the ones operators meet: util-linux's blkdiscard (-z is
# BLKZEROOUT, which falls back to writing zeroes) and QEMU's block layer
# (qemu-io write -z, which falls back likewise).  For every pair of legs:
#   - the operation succeeds for the caller, as on the legs themselves;
#   - the mirror stays ready, with no destination error;
#   - both legs read zeroes over the range and equal each other;
#   - once a leg refused, the mirror stops advertising the operation.
# timeout: 240
. /tests/lib.sh
setup

MIB=1048576
IMG_MIB=10
dmq() { cat "$(dm_sysfs "$1")/queue/$2"; }

t_ok "brd: 2 x 80 MiB" brd_setup 2 80
t_ok "modprobe loop" modprobe loop
mkdir -p /mnt/tmpfs /mnt/ext4 /mnt/vfat
t_ok "tmpfs" mount -t tmpfs -o size=72m none /mnt/tmpfs
t_ok "ext4 on ram0" sh -c "mkfs.ext4 -q -F /dev/ram0 && mount -t ext4 /dev/ram0 /mnt/ext4"
t_ok "vfat on ram1" sh -c "mkdosfs /dev/ram1 > /dev/null && mount -t vfat /dev/ram1 /mnt/vfat"

# leg NAME FS: a loop device over a fully written file NAME on FS, printed
leg() {
    _img=/mnt/$2/$1.img
    dd if=/dev/zero of="$_img" bs=1M count=$IMG_MIB 2>/dev/null || return 1
    /usr/sbin/losetup -f --show --direct-io=off "$_img"
}
# A fresh pair of legs for each case that refuses: 6.12's loop stops
# advertising an operation once its file refused it, as SCSI does.
for l in t1:tmpfs t2:tmpfs t3:tmpfs t4:tmpfs e1:ext4 e2:ext4 v1:vfat v2:vfat v3:vfat v4:vfat; do
    dev=$(leg "${l%%:*}" "${l#*:}") || t_abort "loop over ${l#*:}"
    eval "L_${l%%:*}=$dev"
    diag "${l%%:*} (${l#*:}): $dev, write_zeroes_max_bytes" \
        "$(cat "/sys/block/${dev#/dev/}/queue/write_zeroes_max_bytes")," \
        "discard_max_bytes $(cat "/sys/block/${dev#/dev/}/queue/discard_max_bytes")"
done
S=$(dev_sectors "$L_t1")
t_num "tmpfs loop advertises write-zeroes" \
    "$(cat "/sys/block/${L_t1#/dev/}/queue/write_zeroes_max_bytes")" -gt 0
t_num "vfat loop advertises discard" \
    "$(cat "/sys/block/${L_v1#/dev/}/queue/discard_max_bytes")" -gt 0

# Legs of IMG_MIB: room for the ranges at 4 and 8 MiB and the MiB before
# each, and little more (the case copies and compares every leg).
# mirror TAG SRC DST: SRC filled with generation 1, then copied to DST (a
# real copy, not nosync) until ready
mirror() {
    t_ok "$1: fill the source" fio_write "$2" 1 --size=$((IMG_MIB * MIB)) --rw=write
    t_ok "$1: mirror" dm_create z "0 $S mirrorlive $2 0 $3 0 2 region_size 2048"
    t_ok "$1: ready" dm_wait_phase z ready 120
}

# healthy TAG SRC DST: ready, no errors; the legs are equal
healthy() {
    t_eq "$1: still ready, no errors" "$(ml_errs z)" "ready 0 0 -"
    t_ok "$1: legs equal" same_content "$2" "$3"
}

# zeroed TAG SRC DST OFF_MIB: one MiB at OFF_MIB reads zeroes on both legs
# and through the mirror; the MiB before it still holds generation 1
zeroed() {
    t_ok "$1: zeroes through the mirror" is_zero /dev/mapper/z $(($4 * 2048)) 2048
    t_ok "$1: zeroes on the source" is_zero "$2" $(($4 * 2048)) 2048
    t_ok "$1: zeroes on the destination" is_zero "$3" $(($4 * 2048)) 2048
    t_ok "$1: data before the range kept" fio_readverify /dev/mapper/z 1 \
        --offset=$((($4 - 1) * MIB)) --size=$MIB
}

# zeroout_case TAG SRC DST: blkdiscard -z, then qemu-io write -z
zeroout_case() {
    mirror "$1" "$2" "$3"
    t_num "$1: write-zeroes advertised" "$(dmq z write_zeroes_max_bytes)" -gt 0
    t_ok "$1: blkdiscard -z 1 MiB at 4 MiB" /usr/sbin/blkdiscard -z -o $((4 * MIB)) -l $MIB /dev/mapper/z
    zeroed "$1 (blkdiscard -z)" "$2" "$3" 4
    healthy "$1 (blkdiscard -z)" "$2" "$3"
    t_ok "$1: qemu-io write -z 1 MiB at 8 MiB" sh -c \
        "qemu-io -f raw -t none -c 'write -z $((8 * MIB)) $MIB' /dev/mapper/z | tee /dev/stderr | grep -q '^wrote'"
    zeroed "$1 (qemu-io write -z)" "$2" "$3" 8
    healthy "$1 (qemu-io write -z)" "$2" "$3"
}

# Both legs refuse write-zeroes: the caller falls back to writing zeroes,
# which reach both legs; the mirror stops advertising write-zeroes.
zeroout_case "both refuse" "$L_t1" "$L_t2"
t_eq "both refuse: write-zeroes no longer advertised" "$(dmq z write_zeroes_max_bytes)" 0
t_ok "both refuse: remove" dm_remove z

# Only the destination refuses: the mirror writes the zeroes there itself.
zeroout_case "destination refuses" "$L_e1" "$L_t3"
t_eq "destination refuses: write-zeroes no longer advertised" "$(dmq z write_zeroes_max_bytes)" 0
t_ok "destination refuses: remove" dm_remove z

# Only the source refuses: likewise on the source.
zeroout_case "source refuses" "$L_t4" "$L_e2"
t_ok "source refuses: remove" dm_remove z

# Both legs do it: nothing changes.
zeroout_case "both do it" "$L_e1" "$L_e2"
t_num "both do it: write-zeroes still advertised" "$(dmq z write_zeroes_max_bytes)" -gt 0
t_ok "both do it: remove" dm_remove z

# Discards.  Both refuse: the caller gets "not supported" (which
# BLKDISCARD reports as done), the mirror stays healthy and stops
# advertising discard, so the next BLKDISCARD is refused at once.
mirror "discard, both refuse" "$L_v1" "$L_v2"
t_num "discard, both refuse: advertised" "$(dmq z discard_max_bytes)" -gt 0
t_ok "discard, both refuse: blkdiscard (BLKDISCARD counts \"not supported\" as done)" \
    /usr/sbin/blkdiscard -o $((4 * MIB)) -l $MIB /dev/mapper/z
healthy "discard, both refuse" "$L_v1" "$L_v2"
t_eq "discard, both refuse: discard no longer advertised" "$(dmq z discard_max_bytes)" 0
t_fail "discard, both refuse: the next blkdiscard is refused" \
    /usr/sbin/blkdiscard -o $((4 * MIB)) -l $MIB /dev/mapper/z
t_like "discard, both refuse: as not supported" "$(cat "$T_TMP/out")" "[Nn]ot supported"
t_ok "discard, both refuse: remove" dm_remove z

# One leg refuses: a discarded range reads back as anything, so only
# zeroes on both legs make them equal; the caller sees success.
for p in "destination:$L_e1:$L_v3" "source:$L_v4:$L_e2"; do
    tag="discard, only the ${p%%:*} refuses"
    set -- $(echo "$p" | tr ':' ' ')
    mirror "$tag" "$2" "$3"
    t_num "$tag: discard advertised" "$(dmq z discard_max_bytes)" -gt 0
    t_ok "$tag: blkdiscard 1 MiB at 4 MiB" /usr/sbin/blkdiscard -o $((4 * MIB)) -l $MIB /dev/mapper/z
    zeroed "$tag" "$2" "$3" 4
    healthy "$tag" "$2" "$3"
    t_eq "$tag: discard no longer advertised" "$(dmq z discard_max_bytes)" 0
    t_ok "$tag: remove" dm_remove z
done

for l in t1 t2 t3 t4 e1 e2 v1 v2 v3 v4; do eval "/usr/sbin/losetup -d \$L_$l"; done
t_ok "umount" umount /mnt/tmpfs /mnt/ext4 /mnt/vfat
finish
