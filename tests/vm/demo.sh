#!/bin/sh
# `make demo`, inside the guest: a "VM disk" (ext4 with files, a writer
# running) moves live onto another disk with mirrorctl, then the new disk
# alone is checked: fsck clean, every file's checksum right.
#
# The console is the operator's terminal (80x24): short lines, section
# headers, commands shown as "$ cmd", no kernel messages. The last line is
# "demo: migration complete, data verified" on success (tests/demo.sh greps
# it); any failure prints "demo: FAILED: <why>" and stops.
. /tests/lib.sh > /dev/null 2>&1

SRC=/dev/ram0 DST=/dev/ram1
DISK_MIB=256
# 256 MiB at 24 MiB/s: about 11 s of copy, long enough to watch the
# progress line (TCG guest; the writer competes for the vCPUs)
RATE=24M
MNT=/mnt/vm CHECK=/mnt/dest
W=/tmp/writer			# the writer's control files (not on the disk)

say()  { printf '\n\033[1m== %s\033[0m\n' "$*"; }
note() { printf '   %s\n' "$*"; }
show() { printf '$ %s\n' "$*"; }
run()  { show "$*"; "$@" || die "$1 failed"; }
die()  {
	touch "$W/stop" 2> /dev/null
	printf '\ndemo: FAILED: %s\n' "$*"
	drain
	exit 1
}
# drain: wait until the console has sent everything. We are the session
# leader of the console; when we exit, the kernel hangs it up and drops
# output not yet sent. stty sets the terminal with TCSADRAIN, which waits.
drain() { stty onlcr 2> /dev/null; }

# secs MS: "12.34" from milliseconds
secs() { printf '%d.%02d' $(($1 / 1000)) $(($1 % 1000 / 10)); }

# Kernel messages would land in the middle of the operator's screen: keep
# the console quiet and check the kernel log at the end instead.
dmesg -n 1
_T_MARKER="demo-marker-$$-$(ms_now)"
echo "$_T_MARKER" > /dev/kmsg
# /init starts us with the console as controlling terminal (cttyhack);
# without a terminal, mirrorctl draws no progress line.
[ -t 1 ] || die "stdout is not a terminal: no progress line would be drawn"
stty cols 80 rows 24 2> /dev/null

modprobe dm-mirrorlive || die "cannot load dm-mirrorlive"
brd_setup 2 $DISK_MIB || die "cannot create the ram disks"
mkdir -p $MNT $CHECK $W

# make_files DIR: a few hundred files of varied sizes (1 B to 2 MiB) in a small tree, and their checksums in DIR/MANIFEST.md5.
make_files() {
	_i=0
	for _d in etc home/alice home/bob srv/www var/lib/db var/log; do
		mkdir -p "$1/$_d" || return 1
	done
	while [ $_i -lt 320 ]; do
		case $((_i % 6)) in
		0) _d=etc ;; 1) _d=home/alice ;; 2) _d=home/bob ;;
		3) _d=srv/www ;; 4) _d=var/lib/db ;; *) _d=var/log ;;
		esac
		if [ $((_i % 40)) -eq 7 ]; then
			_n=$((1048576 + _i * 3000))	# a few big ones
		else
			_n=$((_i * _i * 97 % 131072 + _i + 1))
		fi
		head -c $_n /dev/urandom > "$1/$_d/file-$_i.dat" || return 1
		_i=$((_i + 1))
	done
	(cd "$1" && find etc home srv var -type f -exec md5sum {} + > MANIFEST.md5)
}

# writer DIR: what the VM keeps doing. Each round writes a file (new for
# the first 64 rounds, then replacing older ones) under a temporary
# name, syncs, renames it into place, then records its checksum in
# DIR/live/MANIFEST.md5 (rewritten and renamed, so it is never partial
# and lists each file once, with its current checksum). So every file the
# manifest lists is complete and matches. Stops between rounds when
# $W/stop appears; the number of rounds goes to $W/rounds.
writer() {
	_dir=$1/live _i=0
	mkdir -p "$_dir" && : > "$_dir/MANIFEST.md5" || return 1
	while [ ! -e $W/stop ]; do
		_f=w$((_i % 64)).dat
		head -c $((_i * 7919 % 262144 + 1)) /dev/urandom > "$_dir/.$_f.tmp" &&
		sync &&
		_sum=$(md5sum < "$_dir/.$_f.tmp") &&
		mv "$_dir/.$_f.tmp" "$_dir/$_f" &&
		{ grep -v "  live/$_f\$" "$_dir/MANIFEST.md5"
		  echo "${_sum%% *}  live/$_f"; } > "$_dir/.MANIFEST.tmp" &&
		mv "$_dir/.MANIFEST.tmp" "$_dir/MANIFEST.md5" || {
			echo $_i > $W/rounds; return 1; }
		_i=$((_i + 1))
		echo $_i > $W/rounds
	done
	sync
}

# -----------------------------------------------------------------------
say "The VM's disk: ext4 on $SRC ($DISK_MIB MiB), a writer running"
run mirrorctl wrap $SRC vmdisk
run mkfs.ext4 -q /dev/mapper/vmdisk
run mount -t ext4 /dev/mapper/vmdisk $MNT
make_files $MNT || die "cannot create the files"
note "$(wc -l < $MNT/MANIFEST.md5) files, 1 B to 2 MiB, $(du -sm $MNT | cut -f1) MiB in all," \
	"checksums in MANIFEST.md5"
writer $MNT 2> $W/err &
wpid=$!
note "writer: adds and replaces files in live/ (write, sync, rename, checksum)"

# -----------------------------------------------------------------------
say "Live migration onto $DST, the writer still writing"
t0=$(ms_now)
run mirrorctl start vmdisk $DST --max-rate $RATE
run mirrorctl wait vmdisk --progress
t_ready=$(($(ms_now) - t0))
note "ready after $(secs $t_ready) s: $DST now equals $SRC, writes go to both"
show mirrorctl status vmdisk
mirrorctl status vmdisk > /tmp/status.out 2>&1 || { cat /tmp/status.out; die "mirrorctl status failed"; }
cat /tmp/status.out
mirrored=$(sed -n 's/^mirrored writes: *\([0-9][0-9]*\)$/\1/p' /tmp/status.out)
copied=$(($(dmsetup status vmdisk | cut -d' ' -f$((3 + ML_F_PROGRESS)) | cut -d/ -f1) * 512))

# -----------------------------------------------------------------------
say "Complete: switch vmdisk onto $DST while the writer writes"
show mirrorctl complete -v vmdisk
mirrorctl complete -v vmdisk > /tmp/complete.out 2>&1
rc=$?
cat /tmp/complete.out
[ $rc -eq 0 ] || die "mirrorctl complete exited $rc"
window=$(sed -n 's/.*suspended for \([0-9.]*\) ms$/\1/p' /tmp/complete.out)
show dmsetup table vmdisk
dmsetup table vmdisk > /tmp/table.out || die "dmsetup table failed"
cat /tmp/table.out
dst_dev=$(devno $DST)
read -r _ _ target dev _ < /tmp/table.out
[ "$target $dev" = "linear $dst_dev" ] || die "vmdisk does not map to $DST ($dst_dev)"
note "vmdisk maps to $dst_dev = $DST: the device now maps to the destination"
sleep 1				# let the writer go on, on the new disk
touch $W/stop
wait $wpid || die "the writer failed: $(cat $W/err)"
note "writer stopped: $(cat $W/rounds) files written, no error"

# -----------------------------------------------------------------------
say "Proof: check $DST alone"
run umount $MNT
run dmsetup remove vmdisk
show e2fsck -fn $DST
e2fsck -fn $DST > /tmp/fsck.out 2>&1
rc=$?
sed -n '$p' /tmp/fsck.out
[ $rc -eq 0 ] || { cat /tmp/fsck.out; die "e2fsck of $DST exited $rc"; }
note "e2fsck clean: no errors on $DST"
run mount -t ext4 -o ro $DST $CHECK
show "cd $CHECK && md5sum -c MANIFEST.md5 live/MANIFEST.md5"
(cd $CHECK && md5sum -c MANIFEST.md5 live/MANIFEST.md5) > /tmp/md5.out 2>&1
rc=$?
files=$(grep -c ': OK$' /tmp/md5.out)
bad=$(grep -vc ': OK$' /tmp/md5.out)
if [ $rc -ne 0 ] || [ "$bad" -ne 0 ]; then
	grep -v ': OK$' /tmp/md5.out | head -n 5
	die "checksums differ on $DST"
fi
note "$files files verified: every checksum matches"
umount $CHECK

dmesg_since_marker | grep -E "$T_DMESG_BAD" | grep -v "$_T_MARKER" > /tmp/kbad
[ -s /tmp/kbad ] && { head -n 5 /tmp/kbad; die "the kernel log has errors"; }
rmmod dm-mirrorlive || die "rmmod dm-mirrorlive"

# -----------------------------------------------------------------------
say "Summary"
printf '   %-16s %s\n' \
	"bytes copied" "$copied ($((copied / 1048576)) MiB)" \
	"start to ready" "$(secs $t_ready) s" \
	"writes mirrored" "${mirrored:-?} (before complete)" \
	"suspend window" "${window:-?} ms" \
	"files verified" "$files"
printf '\ndemo: migration complete, data verified\n'
drain
