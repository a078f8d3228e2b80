#!/bin/sh
# mirrorctl start refuses every destination Documentation/interface.rst
# section 7.3 names -- smaller, the source, the device itself, backing another
# dm device, open elsewhere (held exclusively, or an open dm device), a larger
# logical block size, a filesystem signature (accepted with --force) -- and
# devices it cannot mirror, each with exit 3, a one-line reason, and the
# device untouched. Then complete is refused before ready and after a
# destination failure: the device stays on its source and its data is intact;
# cancel takes it back to linear(source).  Last, a device LVM or kpartx
# owns (by its dm UUID) is refused, and moved with --risk-stale-metadata.
# timeout: 240
. /tests/lib.sh
setup

# mctl_rc1 WANT DESC ARGS...: mctl_rc, and a failure prints exactly one line.
mctl_rc1() {
	mctl_rc "$@" || return 1
	[ "$1" -eq 0 ] || [ "$(wc -l < "$T_TMP/err")" -eq 1 ] && return 0
	t_notok "$2: one line on stderr" "stderr: $(head -n 3 "$T_TMP/err")"
}

# refused DESC WHY-ERE ARGS...: start exits 3 saying WHY-ERE, and vm is
# untouched: same table, no inactive table, not suspended.
refused() {
	_desc=$1 _why=$2
	shift 2
	mctl_rc1 3 "refused: $_desc" "$@"
	t_like "refused: $_desc: reason" "$(cat "$T_TMP/err")" "$_why"
	t_eq "refused: $_desc: vm untouched" \
		"$(dm_table vm) $(dmsetup info -c --noheadings -o attr vm)" \
		"0 $S linear $SRC 0 L--w"
}

t_ok "brd: 5 x 32 MiB" brd_setup 5 32
S=$(dev_sectors /dev/ram0)
SRC=$(devno /dev/ram0)
t_ok "wrap ram0 as vm" mirrorctl wrap /dev/ram0 vm
t_ok "gen 1 through vm" fio_write /dev/mapper/vm 1

# A destination that is too small, which also makes ram3 back a dm device.
t_ok "small: 8 MiB dm device over ram3" dm_create small "0 16384 linear /dev/ram3 0"
refused "smaller destination" \
	'^mirrorctl: /dev/mapper/small: destination is smaller than vm \(8\.0 MiB < 32\.0 MiB\)$' \
	start vm /dev/mapper/small
refused "the source" '^mirrorctl: /dev/ram0: destination is the source of vm$' \
	start vm /dev/ram0
refused "the device itself" '^mirrorctl: /dev/mapper/vm: destination is vm itself$' \
	start vm /dev/mapper/vm
refused "backing another dm device" '^mirrorctl: /dev/ram3: destination backs dm device small$' \
	start vm /dev/ram3

t_ok "held: dm device over ram4" dm_create held "0 $S linear /dev/ram4 0"
exec 7< /dev/mapper/held
refused "an open dm device" \
	'^mirrorctl: /dev/mapper/held: destination is open elsewhere \(dm device held, open count 1\)$' \
	start vm /dev/mapper/held
exec 7<&-
t_ok "remove held" dm_remove held

# /usr/sbin: the busybox applet of the same name knows no -t
t_ok "ext4 on ram2" /usr/sbin/mke2fs -q -F -t ext4 /dev/ram2
mkdir -p "$T_TMP/mnt"
t_ok "mount ram2" mount -t ext4 /dev/ram2 "$T_TMP/mnt"
refused "a mounted destination (O_EXCL)" \
	'^mirrorctl: /dev/ram2: destination is open elsewhere \(in use: mounted, or held by another process or device\)$' \
	start vm /dev/ram2
t_ok "umount ram2" umount "$T_TMP/mnt"
refused "a filesystem signature" \
	'^mirrorctl: /dev/ram2: destination carries a signature: ext4 \(--force overwrites it\)$' \
	start vm /dev/ram2

# null_blk with 4 KiB logical blocks: the guest's 512-byte writes to vm
# could not be mirrored onto it.
t_ok "null_blk with 4 KiB logical blocks" modprobe null_blk nr_devices=1 bs=4096 gb=1
refused "a larger logical block size" \
	'^mirrorctl: /dev/nullb0: destination logical block size 4096 is larger than vm.s 512$' \
	start vm /dev/nullb0
t_ok "unload null_blk" rmmod null_blk

touch "$T_TMP/file"
refused "a regular file" "^mirrorctl: $T_TMP/file: not a block device\$" start vm "$T_TMP/file"
mctl_rc1 1 "a missing destination fails (exit 1)" start vm /dev/no-such-disk
t_like "missing destination: reason" "$(cat "$T_TMP/err")" '^mirrorctl: /dev/no-such-disk: no such device$'
mctl_rc1 1 "a missing device fails (exit 1)" start no-such-vm /dev/ram1
t_ok "err: an error-target device" dm_create err "0 8 error"
mctl_rc1 3 "refused: a device that is not linear" start err /dev/ram1
t_like "not linear: reason" "$(cat "$T_TMP/err")" '^mirrorctl: err: segment 1 \(sector 0\) is error, not linear$'
t_ok "remove err" dm_remove err
mctl_rc1 3 "refused: status of a linear device" status vm
mctl_rc1 3 "refused: cancel of a linear device" cancel vm
mctl_rc1 3 "refused: complete of a linear device" complete vm
mctl_rc1 3 "refused: pause of a linear device" pause vm

# --force takes the ext4 destination; cancel goes back.
mctl_rc1 0 "start --force onto the ext4 destination" start vm /dev/ram2 --force
t_like "vm is mirroring onto ram2" "$(dm_table vm)" "^0 $S mirrorlive $SRC 0 $(devno /dev/ram2) 0"
mctl_rc1 3 "refused: already mirroring" start vm /dev/ram1
t_like "already mirroring: reason" "$(cat "$T_TMP/err")" "^mirrorctl: vm: already mirroring \(onto $(devno /dev/ram2)\)\$"
mctl_rc1 0 "cancel" cancel vm
t_eq "back on linear(ram0)" "$(dm_table vm)" "0 $S linear $SRC 0"

# ---- complete refused before ready ----
mctl_rc1 0 "start paused onto ram1" start vm /dev/ram1 --paused
mctl_rc1 3 "complete refused before ready" complete vm
t_like "not ready: reason" "$(cat "$T_TMP/err")" '^mirrorctl: vm: not ready \(paused, 0\.0% copied\), staying on the source$'
t_like "still mirroring from the source" "$(dm_table vm)" "^0 $S mirrorlive $SRC 0 "
t_eq "no inactive table, not suspended" "$(dmsetup info -c --noheadings -o attr vm)" "L--w"
t_ok "gen 1 intact through vm" fio_verify /dev/mapper/vm 1 --verify_state_save=0
mctl_rc1 0 "cancel the paused mirror" cancel vm

# ---- complete refused after a destination failure ----
t_ok "fdest: dm device over ram4" dm_create fdest "0 $S linear /dev/ram4 0"
mctl_rc1 0 "start onto fdest, wait" start vm /dev/mapper/fdest --wait --timeout 60
t_eq "ready" "$(ml_phase vm)" ready
t_ok "fdest now fails every I/O" sh -c "dmsetup load fdest --table '0 $S error' && dmsetup suspend fdest && dmsetup resume fdest"
t_ok "gen 3 through vm (succeeds: the source answers)" fio_write /dev/mapper/vm 3 --size=8m
mctl_rc1 1 "wait: the mirror failed (exit 1)" wait vm
t_like "wait: reason" "$(cat "$T_TMP/err")" '^mirrorctl: vm: mirror failed: dest_write_error$'
mctl_rc1 3 "complete refused after a destination failure" complete vm
t_like "failed: reason" "$(cat "$T_TMP/err")" '^mirrorctl: vm: mirror failed \(dest_write_error\), staying on the source$'
t_like "still on the source" "$(dm_table vm)" "^0 $S mirrorlive $SRC 0 "
t_eq "no inactive table, not suspended" "$(dmsetup info -c --noheadings -o attr vm)" "L--w"
t_ok "gen 3 intact through vm" fio_verify /dev/mapper/vm 3 --verify_state_save=0
t_ok "gen 3 intact on the raw source" fio_verify /dev/ram0 3 --verify_state_save=0
mctl_rc1 0 "status of the failed mirror" status vm
t_like "status: failed" "$(cat "$T_TMP/out")" '^reason: +dest_write_error$'
mctl_rc1 0 "cancel the failed mirror" cancel vm
t_eq "back on linear(ram0)" "$(dm_table vm)" "0 $S linear $SRC 0"
t_ok "gen 3 intact after cancel" fio_verify /dev/mapper/vm 3 --verify_state_save=0
t_ok "remove fdest" dm_remove fdest
t_ok "remove small" dm_remove small
t_ok "remove vm" dm_remove vm

# A device a volume manager owns: its next reload would map the source
# again (Documentation/interface.rst, "start"), so start refuses it
# unless --risk-stale-metadata.  The dm UUID is what says who owns it.
LV_UUID=LVM-Dn9pX2ZkQzUGbRzXhVKnwBPkUh1ceaAMvLxnl8oM0WX4TKqJeNrP34yRc9dXg8ZP
for owned in "part1-mpath-3600508b4001:kpartx:a migration of the whole parent device" "$LV_UUID:LVM:pvmove"; do
	uuid=${owned%%:*} rest=${owned#*:}
	manager=${rest%%:*} tool=${rest#*:}
	t_ok "$manager: ram0 as a device with dm UUID $uuid" sh -c \
		"dmsetup create lv --uuid $uuid --table '0 $S linear /dev/ram0 0' && dmsetup mknodes"
	mctl_rc1 3 "refused: a device $manager owns" start lv /dev/ram1
	t_like "$manager: reason names the owner, the hazard and the safe tool" \
		"$(cat "$T_TMP/err")" \
		"^mirrorctl: lv: owned by $manager \(dm UUID $uuid\), which would map it onto the source again at its next reload .*; move its data with $tool.*, or pass --risk-stale-metadata\$"
	t_eq "$manager: lv untouched" \
		"$(dm_table lv) $(dmsetup info -c --noheadings -o attr lv)" \
		"0 $S linear $SRC 0 L--w"
	[ "$manager" = LVM ] || t_ok "$manager: remove lv" dm_remove lv
done
mctl_rc1 0 "LVM: start --risk-stale-metadata" start lv /dev/ram1 --risk-stale-metadata
t_like "LVM: it warns" "$(cat "$T_TMP/err")" \
	"^mirrorctl: lv: warning: owned by LVM \(dm UUID $LV_UUID\): its next reload of the device maps the source again, whatever complete did\$"
mctl_rc1 0 "LVM: wait until ready" wait lv
mctl_rc1 0 "LVM: complete" complete lv
t_eq "LVM: lv is linear on ram1" "$(dm_table lv)" "0 $S linear $(devno /dev/ram1) 0"
t_ok "LVM: gen 3 intact through lv" fio_verify /dev/mapper/lv 3 --verify_state_save=0
t_ok "remove lv" dm_remove lv
finish
