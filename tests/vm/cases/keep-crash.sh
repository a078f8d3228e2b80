#!/bin/sh
# The kept state survives a host crash (issue 18: "with a metadata
# device, the kept state survives a reboot too"; Documentation/
# metadata-format.rst, section 3, "Reversal").  Two boots over the same
# disk files (tests/vm/README.md, "Cases over disk files"):
#   vda  the old source, under "old" (dm linear; dm-delay while kept)
#   vdb  the new disk (the destination)
#   vdc  the metadata device     vdd  ackwrite's log
#   vde  an ext4 holding the mirrortab (the host's /etc)
#   boot 1: vm = wrap(old) is started --metadata onto vdb, ready, and
#      switched with complete --keep-source under an ackwrite writer:
#      the kept mirror takes the record over.  Then old's writes are
#      delayed by 2 s (dm-delay reloaded under the kept mirror), so that
#      every write in flight has reached the new disk and not yet the old
#      source; the host SIGKILLs QEMU with the writer running.
#   boot 2: the crash left the legs different (the writes in flight); both
#      legs hold every acknowledged write.  mirrorctl restore sets the kept
#      mirror up again (the record flagged reversed), kept since the
#      moment boot 1 noted, with dirty regions to copy again; it copies
#      them from the new disk: once ready the new disk is unchanged (its
#      md5) and the old source equal to it.  A writer again; revert under
#      it: the old source holds every acknowledged write of both boots;
#      the entry and the record end.
# disks: 2x32M 1M 5M 8M
# boots: 2
# timeout: 150
. /tests/lib.sh
setup

K=$MLTEST_BOOT
[ "${MLTEST_DISKS:-0}" = 5 ] || t_abort "this case needs its 5 disks (# disks: line), got ${MLTEST_DISKS:-0}"
S=$(dev_sectors /dev/vda)
MT=/persist/mirrortab
NOTE=/persist/kept-since
mctl() { mirrorctl --mirrortab "$MT" "$@"; }
# "old": the old source as a dm device whose table can delay its writes
old_table() { echo "0 $S delay /dev/vda 0 0 /dev/vda 0 $1"; }
kept_since_of() { mirrorctl status vm --json | sed -n 's/.*"kept_since":\([0-9]*\).*/\1/p'; }
meta_field() {
	mirrorctl metadata --json /dev/vdc | sed -n "s/.*\"$1\":\"*\([^,}\"]*\).*/\1/p"
}
writer_start() {
	ackwrite write /dev/mapper/vm /dev/vdd --seed "$1" --hot-start 0 \
		--hot-len 8192 --hot-pct 90 --qd 4 >> "$T_TMP/writer" 2>&1 &
	WPID=$!
}
# writes_reached N: vm's mirror sent N writes to both legs
writes_reached() { [ "$(dm_status_field vm mirrored_writes)" -ge "$1" ]; }
# md5_direct DEV: of what DEV holds, read past its page cache
md5_direct() { dd if="$1" bs=1M iflag=direct 2>/dev/null | md5sum; }
writer_stop() {
	kill -TERM "$WPID" 2>/dev/null
	wait "$WPID"
	_wrc=$?
	tail -n 2 "$T_TMP/writer"
	[ "$_wrc" -eq 0 ]
}

t_ok "modprobe ext4, dm-delay" sh -c "modprobe ext4 && modprobe dm-delay"
mkdir -p /persist
[ "$K" = 1 ] && t_ok "1: an ext4 for the mirrortab on vde" mkfs.ext4 -q -F /dev/vde
t_ok "$K: mount it" mount -t ext4 /dev/vde /persist
t_ok "$K: old over vda" sh -c "dmsetup create old --table '$(old_table 0)' && dmsetup mknodes"

if [ "$K" = 1 ]; then
	t_ok "1: an empty ack log" ackwrite init /dev/vdd
	t_ok "1: wrap old as vm, start --metadata onto vdb, ready" sh -c \
		"mirrorctl wrap /dev/mapper/old vm &&
		 mirrorctl --mirrortab $MT start vm /dev/vdb --metadata /dev/vdc --wait --timeout 120"
	writer_start 1
	t_ok "1: the writer writes to both legs" wait_until 30 writes_reached 50
	t_ok "1: complete --keep-source under the writer" mctl complete --keep-source vm
	t_eq "1: the kept mirror took the record over" \
		"$(meta_field state) $(meta_field reversed)" "migrating true"
	t_ok "1: note when it became kept" sh -c "echo $(kept_since_of) > $NOTE && sync"
	t_ok "1: old's writes delayed by 2 s, under the kept mirror" sh -c \
		"dmsetup suspend old && dmsetup load old --table '$(old_table 2000)' && dmsetup resume old"
	t_ok "1: the writer goes on, slowed down" wait_until 60 writes_reached 20
	request_kill
fi

# ---------------------------------------------------------------- boot 2
t_ok "2: both legs hold every acknowledged write" sh -c \
	"ackwrite verify /dev/vda /dev/vdd && ackwrite verify /dev/vdb /dev/vdd"
t_fail "2: the crash left them different (writes in flight)" ackwrite cmp /dev/vda /dev/vdb
NEW_MD5=$(md5_direct /dev/vdb)
t_eq "2: the record is the kept mirror's" "$(meta_field state) $(meta_field reversed)" "migrating true"
mctl restore > "$T_TMP/restore" 2>&1
t_eq "2: restore" $? 0
cat "$T_TMP/restore"
t_like "2: ... sets the kept mirror up again, with dirty regions" "$(cat "$T_TMP/restore")" \
	"^vm: kept mirror restored from /dev/vdc: the old source /dev/[^ ]+ kept in sync with /dev/vdb, [1-9][0-9]* regions dirty to copy again"
t_like "2: vm is the mirror of vdb onto old" "$(dm_table vm)" \
	"^0 $S mirrorlive $(devno /dev/vdb) 0 $(devno /dev/mapper/old) 0 [0-9]+ metadata $(devno /dev/vdc)\$"
t_eq "2: kept since the moment boot 1 noted (the record's)" \
	"$(( $(kept_since_of) - $(cat $NOTE) <= 2 && $(cat $NOTE) - $(kept_since_of) <= 2 ))" 1
t_ok "2: ready" mirrorctl wait vm --timeout 120
t_eq "2: the new disk is unchanged (copied from, never to)" "$(md5_direct /dev/vdb)" "$NEW_MD5"
t_ok "2: the old source equals it" ackwrite cmp /dev/vda /dev/vdb
writer_start 2
t_ok "2: writes reach both legs" wait_until 60 writes_reached 200
t_ok "2: revert under the writer" mctl revert vm
t_ok "2: stop the writer" writer_stop
t_eq "2: vm is linear on old" "$(dm_table vm)" "0 $S linear $(devno /dev/mapper/old) 0"
t_ok "2: the old source holds every acknowledged write of both boots" \
	ackwrite verify /dev/vda /dev/vdd
t_eq "2: the entry is gone" "$(grep -vc '^#' "$MT")" 0
t_eq "2: the record ended" "$(meta_field valid)" false
t_ok "2: remove vm, old" sh -c "dmsetup remove vm && dmsetup remove old"
t_ok "2: unmount the mirrortab's ext4" umount /persist
finish
