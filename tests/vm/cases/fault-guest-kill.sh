#!/bin/sh
# The guest is killed mid-copy (issue 6, fault matrix).  Two boots over the
# same three disk files (tests/vm/README.md, "Cases over disk files"):
# /dev/vda the source, /dev/vdb the destination, /dev/vdc a note.
#   boot 1: ext4 on vm = wrap(vda), files of random data written and
#      fsync'ed, each then listed with its md5 in MANIFEST (appended and
#      fsync'ed), and the number listed written to the note (fsync'ed); a
#      mirror onto vdb starts at 4 MiB/s; files go on being written;
#      mid-copy the host SIGKILLs QEMU, the writer still running.
#   boot 2: a fresh kernel finds no dm device.  The source's ext4 mounts
#      (journal replay) and then fsck -fn finds it clean; every file in
#      MANIFEST matches its md5, and MANIFEST lists at least the note's
#      number; the destination is an unfinished copy, which start refuses
#      (it carries ext4) unless --force; a new mirror, written to while it
#      copies, completes; the disks are then equal and the filesystem on
#      the destination is clean and holds every file.
# disks: 2x128M 1M
# boots: 2
# timeout: 150
. /tests/lib.sh
setup

MNT=/mnt/fs
mkdir -p $MNT

# write_file DIR NAME: random data, fsync'ed, then "md5 NAME" appended to
# DIR/MANIFEST and fsync'ed: a line in MANIFEST means the file's fsync
# had completed.
write_file() {
	_kb=$(($(rand_int 1 16) * 16))
	dd if=/dev/urandom of="$1/$2" bs=1k count=$_kb conv=fsync 2>/dev/null || return 1
	_sum=$(md5sum "$1/$2" | cut -d' ' -f1)
	echo "$_sum $2" | dd of="$1/MANIFEST" oflag=append conv=notrunc,fsync 2>/dev/null
}

# note N: "listed N" on the note disk, fsync'ed.  (No O_DIRECT: busybox
# dd's small buffers are not aligned for it.)
note() {
	printf '%-511s\n' "listed $1" | dd of=/dev/vdc bs=512 count=1 conv=notrunc,fsync 2>/dev/null
}
read_note() {
	dd if=/dev/vdc bs=512 count=1 2>/dev/null | head -n1 | sed -n 's/^listed \([0-9]*\) *$/\1/p'
}

# write_files DIR PREFIX FROM TO: files PREFIX<FROM>..PREFIX<TO>, each
# noted once listed
write_files() {
	_i=$3
	while [ "$_i" -le "$4" ]; do
		write_file "$1" "$2$_i" || return 1
		note "$(wc -l < "$1/MANIFEST")"
		_i=$((_i + 1))
	done
}

# verify_files DIR: check every well-formed MANIFEST line (a torn last
# line is no promise); prints "<matching> <not matching>"
verify_files() {
	_ok=0 _bad=0
	while read -r _sum _name; do
		case "$_sum" in *[!0-9a-f]*) continue ;; esac
		[ ${#_sum} -eq 32 ] && [ -n "$_name" ] || continue
		if [ "$(md5sum "$1/$_name" 2>/dev/null | cut -d' ' -f1)" = "$_sum" ]; then
			_ok=$((_ok + 1))
		else
			_bad=$((_bad + 1))
			echo "verify_files: $_name does not match" >&2
		fi
	done < "$1/MANIFEST"
	echo "$_ok $_bad"
}

t_ok "modprobe ext4" modprobe ext4
t_ok "three disks" test -b /dev/vda -a -b /dev/vdb -a -b /dev/vdc
SZ=$(blockdev --getsize64 /dev/vda)
S=$((SZ / 512))
t_eq "vda is 128 MiB" "$SZ" 134217728

if [ "${MLTEST_BOOT:-1}" = 1 ]; then
	t_ok "1: wrap vda as vm" mirrorctl wrap /dev/vda vm
	t_ok "1: mkfs.ext4 on vm" mkfs.ext4 -q -E lazy_itable_init=0,lazy_journal_init=0 /dev/mapper/vm
	t_ok "1: mount vm" mount -t ext4 /dev/mapper/vm $MNT
	t_ok "1: 10 files before the mirror" write_files $MNT f 1 10
	mctl_rc 0 "1: start onto vdb at 4 MiB/s" start vm /dev/vdb --max-rate 4M
	write_files $MNT f 11 100000 > /dev/null 2>&1 &
	sleep 5		# files written while the copy runs
	n=$(read_note)
	diag "1: $n files listed; $(dm_status vm)"
	t_num "1: files listed during the copy" "${n:-0}" -gt 12
	t_eq "1: still copying" "$(ml_phase vm)" copying
	t_num "1: part of the disk copied" "$(ml_copied vm)" -gt 0
	t_num "1: not all of it" "$(ml_copied vm)" -lt "$S"
	request_kill
fi

# ---- boot 2: a fresh kernel over the same disks
n=$(read_note)
diag "2: the note says $n files were listed before the kill"
t_num "2: the note survived" "${n:-0}" -gt 10
t_eq "2: no dm device after the reboot" "$(dmsetup ls | grep -vc '^No devices')" 0
t_fail "2: the destination is an unfinished copy" cmp -s /dev/vda /dev/vdb
t_ok "2: mount vda (journal replay)" mount -t ext4 /dev/vda $MNT
t_ok "2: umount" umount $MNT
t_ok "2: fsck -fn of the source: clean" e2fsck -fn /dev/vda
t_ok "2: mount vda read-only" mount -t ext4 -o ro /dev/vda $MNT
set -- $(verify_files $MNT)
diag "2: $1 files match their md5, $2 do not"
t_eq "2: every listed file matches" "$2" 0
t_num "2: at least the noted files are listed" "$1" -ge "$n"
t_ok "2: umount" umount $MNT

t_ok "2: wrap vda as vm" mirrorctl wrap /dev/vda vm
mctl_rc 3 "2: start refuses the half-copied destination" start vm /dev/vdb
t_like "2: ... because it carries ext4" "$(cat "$T_TMP/err")" 'vdb: destination carries a signature: ext4'
t_ok "2: mount vm" mount -t ext4 /dev/mapper/vm $MNT
mctl_rc 0 "2: start --force onto vdb" start vm /dev/vdb --force
t_ok "2: files written while copying" write_files $MNT g 1 10
mctl_rc 0 "2: wait for ready" wait vm --timeout 150
t_ok "2: files written in ready" write_files $MNT h 1 5
t_ok "2: umount" umount $MNT
mctl_rc 0 "2: complete" complete vm
t_eq "2: vm is linear(vdb)" "$(dm_table vm)" "0 $S linear $(devno /dev/vdb) 0"
# the raw disks' page caches missed what reached them through vm
t_ok "2: drop caches" sh -c 'echo 3 > /proc/sys/vm/drop_caches'
t_ok "2: source == destination" cmp /dev/vda /dev/vdb
t_ok "2: fsck -fn of the destination: clean" e2fsck -fn /dev/mapper/vm
t_ok "2: mount vm read-only" mount -t ext4 -o ro /dev/mapper/vm $MNT
set -- $(verify_files $MNT)
diag "2: on the destination, $1 files match their md5, $2 do not"
t_eq "2: every listed file matches on the destination" "$2" 0
t_num "2: the 15 new files are listed too" "$1" -ge $((n + 15))
t_ok "2: umount" umount $MNT
t_ok "2: remove vm" dm_remove vm

finish
