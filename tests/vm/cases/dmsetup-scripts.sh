#!/bin/sh
# dmsetup-scripts/: the mirrorlive-* shell tools, run by busybox sh, with
# plain dmsetup only.
#   0. --help and usage errors (exit 2) of every script
#   1. start's refusals (exit 1 or 3, one reason, the device untouched:
#      same table, no inactive table, not suspended)
#   2. start + status + wait (timeout, no stray process) + complete (refused
#      before ready; then under a running fio writer); all data verified
#      on the raw destination
#   3. cancel while copying, while paused, in ready (under a writer), with
#      the data verified on the raw source; wait woken by an event; wait
#      interrupted by SIGTERM; exact status fields
#   4. a failed destination: wait exits 1 with the reason, complete is
#      refused with the mirror still live, cancel from failed
#   5. the re-checks made while suspended (test hooks): a mirror that fails
#      between the first check and the suspend, an inactive table replaced
#      while suspended, SIGTERM while suspended: the old table stays live
#   6. a device of two linear segments: start, cancel, start, complete
# timeout: 290
# once: the scripts' own logic; the dm requests they make run on every kernel in the other cases
. /tests/lib.sh
setup

PATH=/dmsetup-scripts:$PATH
SCRIPTS="start status wait complete cancel"

# ---- helpers local to this case ----

# attr NAME: dmsetup's attr, "L--w" for a live, idle, writable device.
attr() { dmsetup info -c --noheadings -o attr "$1"; }

# untouched DESC NAME TABLE [ATTR=L--w]: NAME still has TABLE, and no
# inactive table and is not suspended (or ATTR).
untouched() {
	t_eq "$1: $2 untouched" "$(dm_table "$2") $(attr "$2")" "$3 ${4:-L--w}"
}

# refused DESC RC WHY-ERE SCRIPT ARGS...: SCRIPT exits RC, its stderr is
# one line matching WHY-ERE, and $R_DEV still has $R_TABLE ($R_ATTR).
refused() {
	_rdesc=$1 _rrc=$2 _rwhy=$3
	shift 3
	cmd_rc "$_rrc" "refused: $_rdesc (exit $_rrc)" "$@"
	t_like "refused: $_rdesc: reason" "$(cat "$T_TMP/err")" "$_rwhy"
	untouched "refused: $_rdesc" "$R_DEV" "$R_TABLE" "${R_ATTR:-L--w}"
}

# nproc_like ERE: how many processes' command lines match ERE.
# (busybox has no pgrep in this image)
# shellcheck disable=SC2009
nproc_like() { ps | grep -E -- "$1" | grep -vc grep; }
copied_some() { [ "$(ml_copied "$1")" -gt 0 ]; }
mirrored_above() { [ "$(dm_status_field "$1" mirrored_writes)" -gt "$2" ]; }

# dev_md5 DEV: md5 of the whole device (O_DIRECT).
dev_md5() { dd if="$1" iflag=direct bs=1M 2>/dev/null | md5sum | cut -d' ' -f1; }

# status_line FIELD: the value of "FIELD:" in $T_TMP/out (mirrorlive-status).
status_line() { sed -n "s/^$1: *//p" "$T_TMP/out"; }

# ====================================================== 0. usage, help ===
for s in $SCRIPTS; do
	p=mirrorlive-$s
	cmd_rc 0 "$p --help" "$p" --help
	t_like "$p --help: usage line" "$(head -n 1 "$T_TMP/out")" "^Usage: $p DEVICE"
	t_like "$p --help: exit codes" "$(cat "$T_TMP/out")" "Exit codes:"
	t_like "$p --help: exit code 2" "$(grep '^  2  ' "$T_TMP/out")" '^  2  usage error$'
	cmd_rc 0 "$p -h after an argument" "$p" vm -h
	cmd_rc 2 "$p without arguments: usage error" "$p"
	t_like "$p without arguments: message" "$(head -n 1 "$T_TMP/err")" "^$p: usage error: DEVICE.* required\$"
	t_like "$p without arguments: usage on stderr" "$(sed -n 2p "$T_TMP/err")" "^Usage: $p "
	cmd_rc 2 "$p --bogus: usage error" "$p" vm --bogus
	t_eq "$p --bogus: message" "$(head -n 1 "$T_TMP/err")" "$p: usage error: --bogus: unknown option"
	cmd_rc 2 "$p with too many arguments" "$p" a b c
done
cmd_rc 2 "start: DEST missing" mirrorlive-start vm
cmd_rc 2 "start: --region-size without value" mirrorlive-start vm /dev/ram1 --region-size
t_eq "start: --region-size without value: message" "$(head -n 1 "$T_TMP/err")" \
	"mirrorlive-start: usage error: --region-size: missing value"
cmd_rc 2 "start: --region-size 1000 (not a power of two)" mirrorlive-start vm /dev/ram1 --region-size 1000
cmd_rc 2 "start: --region-size=4 (below 8)" mirrorlive-start vm /dev/ram1 --region-size=4
cmd_rc 2 "start: --region-size 4194304 (above 1 GiB)" mirrorlive-start vm /dev/ram1 --region-size 4194304
cmd_rc 2 "start: --max-rate abc" mirrorlive-start vm /dev/ram1 --max-rate abc
cmd_rc 2 "start: --max-rate=-1" mirrorlive-start vm /dev/ram1 --max-rate=-1
cmd_rc 2 "start: --max-rate 4294967296K (too large)" mirrorlive-start vm /dev/ram1 --max-rate 4294967296K
cmd_rc 2 "start: --max-rate 1024 (no unit)" mirrorlive-start vm /dev/ram1 --max-rate 1024
t_eq "... says which forms a RATE takes" "$(head -n 1 "$T_TMP/err")" \
	"mirrorlive-start: usage error: --max-rate '1024': no unit: expected a number with a binary unit (K, M, G, T or KiB, MiB, GiB, TiB; per second, e.g. 100M or 100MiB/s), or 0 for unlimited"
cmd_rc 2 "start: --sparse=1" mirrorlive-start vm /dev/ram1 --sparse=1
cmd_rc 2 "wait: --timeout without value" mirrorlive-wait vm --timeout
cmd_rc 2 "wait: --timeout 1.5" mirrorlive-wait vm --timeout 1.5
cmd_rc 2 "wait: --timeout=x" mirrorlive-wait vm --timeout=x
cmd_rc 2 "status: --raw with two devices" mirrorlive-status --raw a b
cmd_rc 2 "complete: an option" mirrorlive-complete vm --force
cmd_rc 2 "cancel: two devices" mirrorlive-cancel vm vm2

# ================================================== 1. start refusals ===
t_ok "brd: 6 x 64 MiB" brd_setup 6 64
S=$(dev_sectors /dev/ram0)
SRC=$(devno /dev/ram0)
DST=$(devno /dev/ram1)
LINEAR="0 $S linear $SRC 0"
t_ok "vm = linear(ram0)" dm_create vm "0 $S linear /dev/ram0 0"
R_DEV=vm R_TABLE=$LINEAR

refused "a missing device" 1 '^mirrorlive-start: nosuch: no such device-mapper device$' \
	mirrorlive-start nosuch /dev/ram1
refused "a device that is not dm" 3 '^mirrorlive-start: /dev/ram2: not a device-mapper device \(ram2\)$' \
	mirrorlive-start /dev/ram2 /dev/ram1
t_ok "err: an error-target device" dm_create err "0 $S error"
cmd_rc 3 "refused: a device that is not linear" mirrorlive-start err /dev/ram1
t_eq "not linear: reason" "$(cat "$T_TMP/err")" "mirrorlive-start: err: segment 1 (sector 0) is error, not linear"
t_ok "remove err" dm_remove err
refused "a missing destination" 1 '^mirrorlive-start: /dev/nosuch: no such device$' \
	mirrorlive-start vm /dev/nosuch
touch "$T_TMP/file"
refused "a regular file" 3 "^mirrorlive-start: $T_TMP/file: not a block device\$" \
	mirrorlive-start vm "$T_TMP/file"
t_ok "small: 8 MiB dm device over ram3" dm_create small "0 16384 linear /dev/ram3 0"
refused "a smaller destination" 3 \
	"^mirrorlive-start: /dev/mapper/small: destination is smaller than vm \\(16384 < $S sectors\\)\$" \
	mirrorlive-start vm /dev/mapper/small
refused "the source" 3 "^mirrorlive-start: /dev/ram0: destination is a source of vm \\($SRC\\)\$" \
	mirrorlive-start vm /dev/ram0
refused "the device itself" 3 '^mirrorlive-start: /dev/mapper/vm: destination is vm itself$' \
	mirrorlive-start vm /dev/mapper/vm
refused "a destination backing a dm device" 3 \
	'^mirrorlive-start: /dev/ram3: destination backs dm device small$' \
	mirrorlive-start vm /dev/ram3
t_ok "held: dm device over ram4" dm_create held "0 $S linear /dev/ram4 0"
exec 7< /dev/mapper/held
refused "an open dm device" 3 \
	'^mirrorlive-start: /dev/mapper/held: destination is open elsewhere \(dm device held, open count 1\)$' \
	mirrorlive-start vm /dev/mapper/held
exec 7<&-
t_ok "remove held" dm_remove held
exec 8< /dev/ram5
refused "a destination a process has open" 3 \
	"^mirrorlive-start: /dev/ram5: destination is open by process $$ \\(sh\\)\$" \
	mirrorlive-start vm /dev/ram5
exec 8<&-
# /usr/sbin: the busybox applet of the same name knows no -t
t_ok "ext4 on ram5" /usr/sbin/mke2fs -q -F -t ext4 /dev/ram5
mkdir -p "$T_TMP/mnt"
t_ok "mount ram5" mount -t ext4 /dev/ram5 "$T_TMP/mnt"
refused "a mounted destination" 3 '^mirrorlive-start: /dev/ram5: destination is mounted$' \
	mirrorlive-start vm /dev/ram5
t_ok "umount ram5" umount "$T_TMP/mnt"
t_ok "null_blk with 4 KiB logical blocks" modprobe null_blk nr_devices=1 bs=4096 gb=1
refused "a larger logical block size" 3 \
	"^mirrorlive-start: /dev/nullb0: destination logical block size 4096 is larger than vm's 512\$" \
	mirrorlive-start vm /dev/nullb0
t_ok "unload null_blk" rmmod null_blk
t_ok "suspend vm" dmsetup suspend vm
R_ATTR=L-sw
refused "a suspended device" 3 '^mirrorlive-start: vm: device is suspended \(another operation in progress\?\)$' \
	mirrorlive-start vm /dev/ram1
R_ATTR=
t_ok "resume vm" dmsetup resume vm
t_ok "an inactive table on vm" dm_load vm "0 $S linear /dev/ram2 0"
R_ATTR=LI-w
refused "a device with an inactive table" 3 '^mirrorlive-start: vm: an inactive table is loaded' \
	mirrorlive-start vm /dev/ram1
R_ATTR=
t_ok "clear vm's inactive table" dmsetup clear vm
# the kernel itself refuses: no target, and none can be loaded
MODPROBE=$(cat /proc/sys/kernel/modprobe)
t_ok "unload dm-mirrorlive" rmmod dm-mirrorlive
echo /bin/false > /proc/sys/kernel/modprobe
refused "the kernel refuses the table" 1 \
	'^mirrorlive-start: vm: kernel log: .*device-mapper: table: .*mirrorlive: unknown target type' \
	mirrorlive-start vm /dev/ram1
t_like "the kernel refuses: dmsetup's message" "$(head -n 1 "$T_TMP/err")" \
	'^mirrorlive-start: vm: the kernel refused the new table: .*reload ioctl on vm +failed'
echo "$MODPROBE" > /proc/sys/kernel/modprobe
t_ok "load dm-mirrorlive again" modprobe dm-mirrorlive
untouched "after the refusals" vm "$LINEAR"

# ============================ 2. start, status, wait, complete under load ===
diag "2: start, status, wait, complete under fio"
t_ok "destination filled with 0xff" fill_ff /dev/ram1
t_ok "gen 1 through vm: first half" fio_write /dev/mapper/vm 1 --size=32m
t_ok "gen 2 through vm in the background: second half" \
	fio_write_bg /dev/mapper/vm 2 --offset=32m --size=32m --time_based --runtime=600 --rate=4m
# 1 MiB/s: 64 s of copy, so it is still copying at the refusal below
# even on the check-debug lane's kernel, where each step takes ~0.5 s
cmd_rc 0 "start vm /dev/ram1, 1 MiB/s, region 256" \
	mirrorlive-start /dev/mapper/vm /dev/ram1 --max-rate 1MiB/s --region-size 256
t_like "start: message" "$(cat "$T_TMP/out")" \
	"^vm: mirroring onto /dev/ram1 \\($DST\\), $S sectors in 1 segment\\(s\\); suspended for [0-9]+\\.[0-9]{3} ms\$"
diag "start: $(cat "$T_TMP/out")"
MIRROR="0 $S mirrorlive $SRC 0 $DST 0 4 region_size 256 max_copy_kbps 1024"
untouched "start" vm "$MIRROR"
t_ok "the writer survived start" fio_running 2
R_TABLE=$MIRROR
refused "already mirroring" 3 "^mirrorlive-start: vm: already mirroring \\(onto $DST\\)\$" \
	mirrorlive-start vm /dev/ram2

cmd_rc 0 "status vm while copying" mirrorlive-status vm
t_eq "status: device" "$(status_line device)" "vm ($(devno /dev/mapper/vm))"
t_eq "status: phase" "$(status_line phase)" copying
t_like "status: progress" "$(status_line progress)" '^[0-9]{1,2}\.[0-9]%$'
t_like "status: copied" "$(status_line copied)" "^[0-9]+/$S sectors \\([0-9.]+ [KM]iB of 64\\.0 MiB\\)\$"
t_like "status: mirrored writes" "$(status_line 'mirrored writes')" '^[0-9]+$'
t_eq "status: errors" "$(status_line errors)" "destination 0, source 0"
# measured over 1 s under TCG: only its form is certain
t_like "status: measured rate" "$(status_line rate)" '^[0-9]+(\.[0-9])? (B|KiB|MiB)/s$'
diag "status: measured copy rate $(status_line rate) (limit 1 MiB/s)"
t_eq "status: max copy rate" "$(status_line 'max copy rate')" "1.0 MiB/s"
t_like "status: eta" "$(status_line eta)" '^[0-9]+ s$'
t_eq "status: reason" "$(status_line reason)" "-"
t_like "status: segment" "$(status_line 'segment 1')" \
	"^sectors 0\\+$S: copying [0-9.]+%, source $SRC \\(ram0\\) at 0, destination $DST \\(ram1\\) at 0\$"
cmd_rc 0 "status --raw" mirrorlive-status vm --raw
t_like "status --raw: the dmsetup status line" "$(cat "$T_TMP/out")" \
	"^0 $S mirrorlive copying [0-9]+/$S [0-9]+ 0 0 0 1024 - - - 0/[0-9]+ 0 0 0 -\$"

SLEEPS=$(nproc_like '[s]leep')
T0=$(ms_now)
cmd_rc 4 "wait --timeout 1 while copying: exit 4" mirrorlive-wait vm --timeout 1
T1=$(ms_now)
t_like "wait timeout: message" "$(cat "$T_TMP/err")" \
	'^mirrorlive-wait: vm: timed out after [1-9][0-9]*\.[0-9] s \(copying, [0-9]+\.[0-9]% copied\)$'
diag "wait --timeout 1 returned after $((T1 - T0)) ms"
t_num "wait timeout: not before 1 s" $((T1 - T0)) -ge 1000
t_num "wait timeout: soon after 1 s" $((T1 - T0)) -lt 6000
t_eq "wait timeout: no dmsetup wait left" "$(nproc_like 'dmsetup wait')" 0
t_eq "wait timeout: no sleep left" "$(nproc_like '[s]leep')" "$SLEEPS"

R_TABLE=$MIRROR
refused "complete before ready" 3 \
	'^mirrorlive-complete: vm: not ready \(copying, [0-9]+\.[0-9]% copied\), staying on the source$' \
	mirrorlive-complete vm
t_ok "unthrottle the copy" dmsetup message vm 0 max_copy_kbps 0
cmd_rc 0 "wait --timeout 120" mirrorlive-wait vm --timeout 120
t_like "wait: message" "$(cat "$T_TMP/out")" "^vm: ready after [0-9.]+ s \\($S/$S sectors copied\\)\$"
t_eq "ready" "$(ml_phase vm)" ready
cmd_rc 0 "wait when already ready" mirrorlive-wait vm
t_ok "fio still writing" fio_running 2
t_num "writes were mirrored" "$(dm_status_field vm mirrored_writes)" -gt 0

# what a suspend window costs at least: the five dmsetup calls in it
T0=$(ms_now)
for _ in 1 2 3 4 5; do dmsetup info vm > /dev/null; done
diag "5 x dmsetup info: $(($(ms_now) - T0)) ms"
DMN=/dev/$(dmsetup info -c --noheadings -o blkdevname vm)
cmd_rc 0 "complete $DMN under load" mirrorlive-complete "$DMN"
t_like "complete: message" "$(cat "$T_TMP/out")" \
	"^vm: now on its destination \\($DST\\); suspended for [0-9]+\\.[0-9]{3} ms\$"
diag "complete under fio: $(cat "$T_TMP/out")"
untouched "complete" vm "0 $S linear $DST 0"
t_ok "source released" no_holders /dev/ram0
t_ok "fio still writing after complete" fio_running 2
t_ok "stop fio gen 2" fio_stop 2
t_ok "gen 1 verifies on the raw destination" fio_verify /dev/ram1 1
t_ok "gen 2 verifies on the raw destination" fio_verify /dev/ram1 2
R_TABLE="0 $S linear $DST 0"
for s in status wait complete cancel; do
	refused "$s of a linear device" 3 "^mirrorlive-$s: vm: not mirroring \\(target linear\\)\$" \
		mirrorlive-$s vm
done
t_ok "remove vm" dm_remove vm
t_ok "remove small" dm_remove small

# ============================================================ 3. cancel ===
SRC2=$(devno /dev/ram2)
LINEAR2="0 $S linear $SRC2 0"
t_ok "vm2 = linear(ram2)" dm_create vm2 "0 $S linear /dev/ram2 0"

diag "3a: cancel while copying, under a writer"
t_ok "gen 3 through vm2 in the background" \
	fio_write_bg /dev/mapper/vm2 3 --time_based --runtime=600 --rate=4m
cmd_rc 0 "start vm2 /dev/ram3 at 2 MiB/s" mirrorlive-start vm2 /dev/ram3 --max-rate 2M
t_ok "some copy progress" wait_until 30 copied_some vm2
P=$(ml_copied vm2)
cmd_rc 0 "cancel while copying" mirrorlive-cancel vm2
t_like "cancel: message" "$(cat "$T_TMP/out")" \
	"^vm2: back on its source \\($SRC2\\), cancelled in phase copying; suspended for [0-9]+\\.[0-9]{3} ms\$"
diag "cancel at $P/$S sectors; $(cat "$T_TMP/out")"
t_num "cancelled before the end of the copy" "$P" -lt "$S"
untouched "cancel while copying" vm2 "$LINEAR2"
t_ok "destination released" no_holders /dev/ram3
t_ok "the writer survived the cancel" fio_running 3
D=$(dev_md5 /dev/ram3)
sleep 1   # writes after the cancel
t_ok "stop fio gen 3" fio_stop 3
t_eq "no write reached the destination after the cancel" "$(dev_md5 /dev/ram3)" "$D"
t_ok "gen 3 verifies on the raw source" fio_verify /dev/ram2 3

diag "3b: cancel while paused; exact status fields"
cmd_rc 0 "start vm2 /dev/ram3 at 2 MiB/s" mirrorlive-start vm2 /dev/ram3 --max-rate 2M
t_ok "a few writes through vm2" dd if=/dev/urandom of=/dev/mapper/vm2 bs=4k count=16 oflag=direct
t_ok "pause_copy" dmsetup message vm2 0 pause_copy
RAW=$(dmsetup status vm2)
cmd_rc 0 "status --raw of the paused mirror" mirrorlive-status --raw vm2
t_eq "status --raw is dmsetup status" "$(cat "$T_TMP/out")" "$RAW"
# shellcheck disable=SC2086
set -- $RAW
C=${5%/*}
cmd_rc 0 "status of the paused mirror" mirrorlive-status vm2
t_eq "status: phase paused" "$(status_line phase)" paused
t_eq "status: progress" "$(status_line progress)" \
	"$(awk -v c="$C" -v t="$S" 'BEGIN { p = int(c * 1000 / t); printf "%d.%d%%", p / 10, p % 10 }')"
t_like "status: copied" "$(status_line copied)" "^$C/$S sectors "
t_eq "status: mirrored writes" "$(status_line 'mirrored writes')" "$6"
t_eq "status: errors" "$(status_line errors)" "destination $7, source $8"
t_eq "status: zero regions" "$(status_line 'zero regions')" "$9"
t_eq "status: no rate while paused" "$(status_line rate)" "-"
t_eq "status: max copy rate" "$(status_line 'max copy rate')" "2.0 MiB/s"
t_eq "status: reason" "$(status_line reason)" "${11}"
cmd_rc 4 "wait --timeout 1 on a paused mirror" mirrorlive-wait vm2 --timeout 1
t_like "wait on paused: hint" "$(cat "$T_TMP/err")" \
	'^mirrorlive-wait: vm2: timed out after [1-9][0-9]*\.[0-9] s \(paused, [0-9.]+% copied; the copy is paused: dmsetup message vm2 0 resume_copy\)$'

# SIGTERM ends a wait, and its children
mirrorlive-wait vm2 > "$T_TMP/wout" 2> "$T_TMP/werr" &
WP=$!
wait_until 30 sh -c '[ "$(ps | grep -E -- "dmsetup wait" | grep -vc grep)" -ge 1 ]'
t_eq "a waiting mirrorlive-wait runs one dmsetup wait" "$(nproc_like 'dmsetup wait')" 1
kill -TERM $WP
wait $WP
t_eq "SIGTERM: wait exits 1" "$?" 1
t_eq "SIGTERM: message" "$(cat "$T_TMP/werr")" "mirrorlive-wait: vm2: interrupted"
t_eq "SIGTERM: no dmsetup wait left" "$(nproc_like 'dmsetup wait')" 0

cmd_rc 0 "cancel while paused" mirrorlive-cancel vm2
t_like "cancel: phase paused" "$(cat "$T_TMP/out")" "cancelled in phase paused;"
untouched "cancel while paused" vm2 "$LINEAR2"
t_ok "destination released" no_holders /dev/ram3

diag "3c: wait woken by an event; cancel in ready under a writer"
cmd_rc 0 "start vm2 /dev/ram3 at 2 MiB/s" mirrorlive-start vm2 /dev/ram3 --max-rate 2M
t_ok "pause_copy" dmsetup message vm2 0 pause_copy
mirrorlive-wait vm2 --timeout 100 > "$T_TMP/wout" 2> "$T_TMP/werr" &
WP=$!
t_ok "the wait is waiting in dmsetup wait" wait_until 30 sh -c '[ "$(ps | grep -E -- "dmsetup wait" | grep -vc grep)" -ge 1 ]'
T0=$(ms_now)
t_ok "unthrottle" dmsetup message vm2 0 max_copy_kbps 0
t_ok "resume_copy" dmsetup message vm2 0 resume_copy
wait $WP
WRC=$?
T1=$(ms_now)
t_eq "the waiting wait returns 0" "$WRC" 0
t_like "it says ready" "$(cat "$T_TMP/wout")" "^vm2: ready after "
diag "wait returned $((T1 - T0)) ms after resume_copy"
t_num "wait returned soon after the copy could finish" $((T1 - T0)) -lt 30000
t_eq "event before the deadline: no sleep left" "$(nproc_like '[s]leep')" "$SLEEPS"
t_eq "event before the deadline: no dmsetup wait left" "$(nproc_like 'dmsetup wait')" 0
t_ok "gen 4 through vm2 in the background" \
	fio_write_bg /dev/mapper/vm2 4 --time_based --runtime=600 --rate=4m
MW=$(dm_status_field vm2 mirrored_writes)
t_ok "mirrored writes in ready" wait_until 30 mirrored_above vm2 "$MW"
cmd_rc 0 "cancel in ready under a writer" mirrorlive-cancel vm2
t_like "cancel: phase ready" "$(cat "$T_TMP/out")" "cancelled in phase ready;"
untouched "cancel in ready" vm2 "$LINEAR2"
t_ok "destination released" no_holders /dev/ram3
t_ok "the writer survived" fio_running 4
t_ok "stop fio gen 4" fio_stop 4
t_ok "gen 4 verifies on the raw source" fio_verify /dev/ram2 4
t_ok "gen 4 verifies through vm2" fio_verify /dev/mapper/vm2 4

# ================================================ 4. failed destination ===
diag "4: the destination fails"
t_ok "fdest = linear(ram4)" dm_create fdest "0 $S linear /dev/ram4 0"
FDEST=$(devno /dev/mapper/fdest)
cmd_rc 0 "start vm2 /dev/mapper/fdest" mirrorlive-start vm2 /dev/mapper/fdest
cmd_rc 0 "wait for ready" mirrorlive-wait vm2 --timeout 60
t_ok "fdest now fails every I/O" swap_table fdest "0 $S error"
t_ok "gen 5 through vm2 (succeeds: the source answers)" fio_write /dev/mapper/vm2 5 --size=8m
cmd_rc 1 "wait: the mirror failed (exit 1)" mirrorlive-wait vm2 --timeout 60
t_like "wait: reason" "$(cat "$T_TMP/err")" \
	'^mirrorlive-wait: vm2: mirror failed: dest_write_error \(destination errors [1-9][0-9]*, source errors 0\)$'
cmd_rc 0 "status of the failed mirror (exit 0)" mirrorlive-status vm2
t_eq "status: phase failed" "$(status_line phase)" failed
t_eq "status: reason" "$(status_line reason)" dest_write_error
t_like "status: destination errors" "$(status_line errors)" '^destination [1-9][0-9]*, source 0$'
FAILED="0 $S mirrorlive $SRC2 0 $FDEST 0"
R_DEV=vm2 R_TABLE=$FAILED
refused "complete after a destination failure" 3 \
	'^mirrorlive-complete: vm2: mirror failed \(dest_write_error\), staying on the source$' \
	mirrorlive-complete vm2
t_ok "gen 5 intact through vm2" fio_verify /dev/mapper/vm2 5
cmd_rc 0 "cancel the failed mirror" mirrorlive-cancel vm2
t_like "cancel: phase failed" "$(cat "$T_TMP/out")" "cancelled in phase failed;"
untouched "cancel from failed" vm2 "$LINEAR2"
t_ok "gen 5 verifies on the raw source" fio_verify /dev/ram2 5

# ======================================= 5. the re-checks while suspended ===
diag "5: the re-checks made while the device is suspended"
t_ok "fdest = linear(ram4) again" swap_table fdest "0 $S linear /dev/ram4 0"
cmd_rc 0 "start vm2 /dev/mapper/fdest" mirrorlive-start vm2 /dev/mapper/fdest
cmd_rc 0 "wait for ready" mirrorlive-wait vm2 --timeout 60
READY="0 $S mirrorlive $SRC2 0 $FDEST 0"

# SIGTERM while suspended: the script's trap rolls back
cat > "$T_TMP/hook-term" <<'EOF'
#!/bin/sh
# the test hook's parent is the mirrorlive script
[ "$1" = suspended ] && kill -TERM $PPID
exit 0
EOF
chmod +x "$T_TMP/hook-term"
export MIRRORLIVE_TEST_HOOK="$T_TMP/hook-term"
R_TABLE=$READY
refused "complete interrupted while suspended" 1 \
	'^mirrorlive-complete: vm2: interrupted, nothing changed$' mirrorlive-complete vm2
unset MIRRORLIVE_TEST_HOOK

# the mirror fails between the first check and the suspend
cat > "$T_TMP/hook-fail" <<EOF
#!/bin/sh
[ "\$1" = loaded ] || exit 0
dmsetup load fdest --table "0 $S error" && dmsetup suspend fdest && dmsetup resume fdest
dd if=/dev/zero of=/dev/mapper/vm2 bs=4k count=1 oflag=direct 2>/dev/null
EOF
chmod +x "$T_TMP/hook-fail"
export MIRRORLIVE_TEST_HOOK="$T_TMP/hook-fail"
R_TABLE=$READY
refused "complete: the mirror failed after the first check" 3 \
	'^mirrorlive-complete: vm2: mirror failed \(dest_write_error\), staying on the source$' \
	mirrorlive-complete vm2
unset MIRRORLIVE_TEST_HOOK
t_eq "the mirror did fail" "$(ml_phase vm2)" failed

# someone replaces the inactive table while the device is suspended
cat > "$T_TMP/hook-load" <<EOF
#!/bin/sh
[ "\$1" = suspended ] || exit 0
dmsetup load vm2 --table "0 $S linear /dev/ram4 0"
EOF
chmod +x "$T_TMP/hook-load"
export MIRRORLIVE_TEST_HOOK="$T_TMP/hook-load"
refused "cancel: the inactive table replaced while suspended" 3 \
	'^mirrorlive-cancel: vm2: the inactive table changed meanwhile' mirrorlive-cancel vm2
unset MIRRORLIVE_TEST_HOOK
cmd_rc 0 "cancel without the hook" mirrorlive-cancel vm2
untouched "cancel" vm2 "$LINEAR2"
t_ok "remove vm2" dm_remove vm2
t_ok "remove fdest" dm_remove fdest

# ================================================ 6. two linear segments ===
diag "6: a device of two linear segments"
S4=$(devno /dev/ram4)
S5=$(devno /dev/ram5)
TWO="0 32768 linear $S4 0
32768 65536 linear $S5 2048"
t_ok "vm3 = ram4[0, 16 MiB) + ram5[1 MiB, 33 MiB)" dm_create vm3 "0 32768 linear /dev/ram4 0
32768 65536 linear /dev/ram5 2048"
R_DEV=vm3 R_TABLE=$TWO
refused "the second segment's source" 3 "^mirrorlive-start: /dev/ram5: destination is a source of vm3 \\($S5\\)\$" \
	mirrorlive-start vm3 /dev/ram5
cmd_rc 0 "start vm3 /dev/ram1 --sparse --dest-zeroed" mirrorlive-start vm3 /dev/ram1 --sparse --dest-zeroed
t_like "start: 2 segments" "$(cat "$T_TMP/out")" "^vm3: mirroring onto /dev/ram1 \\($DST\\), 98304 sectors in 2 segment\\(s\\);"
# The kernel prints dest_zeroed only until the copy wrote to the destination
# (dm-mirrorlive.rst, "Reloading a mirror"), so compare without it.
t_eq "start of two segments: vm3 mirrors both, sparse, dest_zeroed" \
	"$(dm_table vm3 | sed 's/ 2 sparse dest_zeroed$/ 1 sparse/') $(attr vm3)" \
	"0 32768 mirrorlive $S4 0 $DST 0 1 sparse
32768 65536 mirrorlive $S5 2048 $DST 32768 1 sparse L--w"
cmd_rc 0 "cancel vm3" mirrorlive-cancel vm3
untouched "cancel of two segments" vm3 "$TWO"
t_ok "fill the destination with 0xff" fill_ff /dev/ram1
cmd_rc 0 "start vm3 /dev/ram1 again, 8 MiB/s" mirrorlive-start vm3 /dev/ram1 --max-rate 8M
t_ok "gen 6 through vm3 while copying" fio_write /dev/mapper/vm3 6
cmd_rc 0 "status of two segments" mirrorlive-status vm3 --no-rate
t_like "status: segment 1" "$(status_line 'segment 1')" \
	"^sectors 0\\+32768: [a-z]+ [0-9.]+%, source $S4 \\(ram4\\) at 0, destination $DST \\(ram1\\) at 0\$"
t_like "status: segment 2" "$(status_line 'segment 2')" \
	"^sectors 32768\\+65536: [a-z]+ [0-9.]+%, source $S5 \\(ram5\\) at 2048, destination $DST \\(ram1\\) at 32768\$"
t_ok "unthrottle" dmsetup message vm3 0 max_copy_kbps 0
cmd_rc 0 "wait for ready" mirrorlive-wait vm3 --timeout 120
cmd_rc 0 "complete vm3" mirrorlive-complete vm3
untouched "complete of two segments" vm3 "0 32768 linear $DST 0
32768 65536 linear $DST 32768"
t_ok "gen 6 verifies on the raw destination" fio_verify /dev/ram1 6
t_ok "remove vm3" dm_remove vm3
t_ok "nothing holds ram4" no_holders /dev/ram4
t_ok "nothing holds ram5" no_holders /dev/ram5

# A device LVM owns (by its dm UUID): its next reload would map the source
# again after a complete, so start refuses it, unless told the risk.
LV_UUID=LVM-Dn9pX2ZkQzUGbRzXhVKnwBPkUh1ceaAMvLxnl8oM0WX4TKqJeNrP34yRc9dXg8ZP
t_ok "lv = ram4, dm UUID $LV_UUID" sh -c \
	"dmsetup create lv --uuid $LV_UUID --table '0 32768 linear /dev/ram4 0' && dmsetup mknodes"
R_DEV=lv R_TABLE="0 32768 linear $S4 0"
refused "a device LVM owns" 3 \
	"^mirrorlive-start: lv: owned by LVM \\(dm UUID $LV_UUID\\), which would map it onto the source again at its next reload .*; move its data with pvmove .*, or pass --risk-stale-metadata\$" \
	mirrorlive-start lv /dev/ram5
cmd_rc 0 "start lv --risk-stale-metadata" mirrorlive-start lv /dev/ram5 --risk-stale-metadata
t_like "start lv: it warns" "$(cat "$T_TMP/err")" \
	"^mirrorlive-start: lv: warning: owned by LVM \\(dm UUID $LV_UUID\\): its next reload of the device maps the source again, whatever complete did\$"
cmd_rc 0 "cancel lv" mirrorlive-cancel lv
untouched "cancel lv" lv "0 32768 linear $S4 0"
t_ok "remove lv" dm_remove lv
finish
