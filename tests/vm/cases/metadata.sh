#!/bin/sh
# A persistent mirror: the table feature "metadata <dev>"
# (Documentation/interface.rst 1.2; the format and the rules are
# Documentation/metadata-format.rst).  What the disk records is read back
# with "mirrorctl metadata --json", which decodes it with the module's own
# decoder.
#   F: a fresh (zeroed) metadata device is formatted at the first resume;
#      TABLE shows the feature; live, the record is not clean.
#   R: planned reboot: a suspend leaves the record clean with every copied
#      region in it; the table removed and created again copies nothing
#      twice (its progress starts where it was), and reaches ready.
#   C: crash: the record copied (O_DIRECT) while a writer runs in ready is
#      not clean and has dirty regions; a new mirror over that copy counts
#      exactly copied - dirty regions as copied, and copies the rest again;
#      the legs are equal once ready, and the writer's data verifies.
#   X: refusals with their ti->error: too small, a leg, another geometry,
#      a corrupt superblock, a record in use by another mirror.
#   E: the metadata device fails under a writer: the mirror fails with
#      metadata_error, the writer sees no error, its data verifies.
#   M: mirrorctl start --metadata: a fresh record; a planned reboot (the
#      device removed, wrapped again, start run again with the same
#      META) goes on where it stopped and says so; complete and cancel end
#      the record; refusals (two pairs, META the destination, another
#      mirror's record) and --force.
#   S: the same with mirrorlive-start --metadata and mirrorlive-complete.
#   D: a failed mirror (fail_dest) leaves a record that counts nothing
#      copied: its destination may have missed writes; before its suspend
#      (a crash), every region written after the failure is dirty on it.
#   O: the outcome message: only while suspended, completed only for a
#      ready mirror; the record then says completed or cancelled, a resume
#      says migrating again (a rollback), and a table over a finished
#      record is refused.
#   T: the mirrortab and restore: start --metadata lists the mirror,
#      status says it is persistent; after a reboot restore creates it
#      again (its dm UUID too) where it stopped; restore twice changes
#      nothing; a crash after complete's or cancel's outcome is set up on
#      the leg it names; a record never formatted on the source; refusals
#      (another mirror's record, a malformed line) leave the entry.
#   I: identity: legs with dm UUIDs give the mirror a mirror_id (table
#      and record); restore finds the same; a leg that is another device
#      under the same path (another UUID) is refused, by restore and by
#      the kernel.
# timeout: 300
. /tests/lib.sh
setup

# meta_field DEV KEY: a value of the metadata object (top-level keys that
# occur once in the document); meta_reason DEV: its reason
meta_field() {
	mirrorctl metadata --json "$1" 2>/dev/null |
		sed -n "s/.*\"$2\":\\([^,}]*\\).*/\\1/p" | tr -d '"'
}
meta_reason() {
	mirrorctl metadata --json "$1" 2>/dev/null |
		sed -n 's/.*"valid":[a-z]*,"reason":"\([^"]*\)".*/\1/p'
}

# copied_at_least DEV N: DEV's mirror has N sectors or more copied
copied_at_least() { [ "$(ml_copied "$1")" -ge "$2" ]; }

# meta_dirty DEV: the record on DEV has dirty regions
meta_dirty() { [ "$(meta_field "$1" dirty_regions)" -gt 0 ] 2>/dev/null; }

# equal_regions A B: how many regions (RS sectors) hold the same bytes on
# A and B (O_DIRECT reads, one md5 a region)
equal_regions() {
	region_sums "$1" a && region_sums "$2" b &&
		paste "$T_TMP/sums.a" "$T_TMP/sums.b" | awk '$1 == $2' | wc -l
}
region_sums() {
	local r
	r=0
	: > "$T_TMP/sums.$2"
	while [ $r -lt $REGIONS ]; do
		dd if="$1" iflag=direct bs=$((RS * 512)) skip=$r count=1 2>/dev/null |
			md5sum | cut -d' ' -f1 >> "$T_TMP/sums.$2" || return 1
		r=$((r + 1))
	done
}

# wait_failed DEV [SECS=60]: wait for DEV's mirror to fail, on dm events
wait_failed() {
	local ev deadline
	deadline=$(($(ms_now) + ${2:-60} * 1000))
	while :; do
		ev=$(dmsetup info -c --noheadings -o events "$1" | tr -d ' ')
		[ "$(ml_phase "$1")" = failed ] && return 0
		[ "$(ms_now)" -lt "$deadline" ] || return 1
		timeout "${2:-60}" dmsetup wait "$1" "$ev" > /dev/null 2>&1
	done
}

# refused DESC TABLE TI-ERROR: t_refused (lib/dm.sh) on the message dm core
# logs, "mirrorlive: <ti->error> (-E..."
refused() { t_refused "X: $1" "$2" "mirrorlive: $3 (-E"; }

t_ok "brd: 5 x 32 MiB" brd_setup 5 32
S=$(dev_sectors /dev/ram0)
RS=1024				# 512 KiB regions: 64 of them
REGIONS=$((S / RS))
SRC=$(devno /dev/ram0)
DST=$(devno /dev/ram1)
META=$(devno /dev/ram2)
ML="0 $S mirrorlive $SRC 0 $DST 0"
t_ok "source: gen 1 on every block" fio_write /dev/ram0 1

# ------------------------------------------------------------------ F
t_eq "F: a zeroed device holds no record" \
	"$(meta_field /dev/ram2 valid) $(meta_reason /dev/ram2)" \
	"false not formatted: both superblock slots are zero (no mirror has used it)"
t_ok "F: create ml with metadata, 1 MiB/s" \
	dm_create ml "$ML 6 region_size $RS max_copy_kbps 1024 metadata $META"
t_like "F: TABLE shows the metadata device" "$(dm_table ml)" \
	" 4 max_copy_kbps 1024 metadata $META\$"
t_eq "F: formatted, live: valid, migrating, not clean" \
	"$(meta_field /dev/ram2 valid) $(meta_field /dev/ram2 state) $(meta_field /dev/ram2 clean)" \
	"true migrating false"
t_eq "F: the record's geometry" \
	"$(meta_field /dev/ram2 length_sectors) $(meta_field /dev/ram2 regions) $(meta_field /dev/ram2 region_size_bytes)" \
	"$S $REGIONS $((RS * 512))"

# ------------------------------------------------------------------ R
t_ok "R: a quarter copied" wait_until 60 copied_at_least ml $((S / 4))
t_ok "R: suspend ml" dmsetup suspend ml
COPIED=$(ml_copied ml)
diag "R: copied at the suspend: $COPIED of $S sectors"
t_eq "R: suspended: clean, every copied region recorded, none dirty" \
	"$(meta_field /dev/ram2 clean) $(meta_field /dev/ram2 copied_regions) $(meta_field /dev/ram2 dirty_regions)" \
	"true $((COPIED / RS)) 0"
t_ok "R: remove ml (the planned reboot)" dm_remove ml
t_ok "R: create ml again over the same record, paused" \
	dm_create ml "$ML 7 region_size $RS max_copy_kbps 1024 metadata $META paused"
t_eq "R: progress starts where it was: nothing copied twice" \
	"$(ml_copied ml)" "$COPIED"
t_ok "R: unthrottle, resume_copy" sh -c \
	"dmsetup message ml 0 max_copy_kbps 0 && dmsetup message ml 0 resume_copy"
t_ok "R: ready" dm_wait_phase ml ready 120
t_ok "R: destination == source" same_content /dev/ram0 /dev/ram1

# ------------------------------------------------------------------ C
# a suspend and resume commits every copied region: the crash below then
# happens with all of them recorded
t_ok "C: suspend and resume ml" sh -c "dmsetup suspend ml && dmsetup resume ml"
t_eq "C: every region recorded copied, live" \
	"$(meta_field /dev/ram2 copied_regions) $(meta_field /dev/ram2 clean)" "$REGIONS false"
# the writer keeps to the first 8 MiB: the other regions stay clean
t_ok "C: gen 2 writer in ready, first 8 MiB" \
	fio_write_bg /dev/mapper/ml 2 --size=8M --time_based --runtime=600
t_ok "C: the writer's regions are marked dirty" wait_until 30 meta_dirty /dev/ram2
t_ok "C: a copy of the live record (the crash)" \
	dd if=/dev/ram2 of=/dev/ram3 bs=4096 count=64 iflag=direct oflag=direct
CDIRTY=$(meta_field /dev/ram3 dirty_regions)
CCOPIED=$(meta_field /dev/ram3 copied_regions)
diag "C: the crashed record: $CCOPIED regions copied and clean, $CDIRTY dirty"
t_eq "C: not clean" "$(meta_field /dev/ram3 clean)" false
t_num "C: dirty regions recorded" "$CDIRTY" -gt 0
t_eq "C: copied + dirty = every region (ready)" "$((CCOPIED + CDIRTY))" "$REGIONS"
t_ok "C: stop gen 2" fio_stop 2
t_ok "C: gen 2 verifies through ml" fio_verify /dev/mapper/ml 2
t_ok "C: remove ml (clean)" dm_remove ml
t_eq "C: the clean record has nothing dirty" \
	"$(meta_field /dev/ram2 clean) $(meta_field /dev/ram2 dirty_regions)" "true 0"
# make the dirty regions really differ, as a write that reached one leg
# would: the new mirror must copy them again, or the legs stay different
t_ok "C: damage the destination (0xff over it)" fill_ff /dev/ram1
t_ok "C: a mirror over the crashed record, paused" \
	dm_create ml "$ML 5 region_size $RS metadata $(devno /dev/ram3) paused"
t_eq "C: copied at the start: the record's copied regions, not the dirty" \
	"$(ml_copied ml)" "$((CCOPIED * RS))"
t_ok "C: resume_copy" dmsetup message ml 0 resume_copy
t_ok "C: ready" dm_wait_phase ml ready 120
# only the dirty regions were copied again: the clean ones still hold 0xff
t_eq "C: the regions equal on both legs are exactly the dirty ones" \
	"$(equal_regions /dev/ram0 /dev/ram1)" "$CDIRTY"
t_ok "C: remove ml" dm_remove ml

# ------------------------------------------------------------------ X
t_ok "X: a 4 KiB metadata device" dm_create tiny "0 8 linear /dev/ram3 0"
refused "metadata device too small" "$ML 4 region_size $RS metadata $(devno /dev/mapper/tiny)" \
	"Metadata device too small for the mapping"
t_ok "X: remove tiny" dm_remove tiny
refused "metadata device is the source" "$ML 4 region_size $RS metadata $SRC" \
	"Metadata device is a leg of the mirror"
refused "a record of another length" "0 $((S / 2)) mirrorlive $SRC 0 $DST 0 4 region_size $RS metadata $META" \
	"metadata belongs to a mirror of another length"
refused "a record of another region size" "$ML 4 region_size 2048 metadata $META" \
	"metadata belongs to a mirror of another region size"
t_ok "X: corrupt both superblock slots of the crashed record" sh -c \
	"printf x | dd of=/dev/ram3 bs=1 seek=200 conv=notrunc 2>/dev/null &&
	 printf x | dd of=/dev/ram3 bs=1 seek=4296 conv=notrunc 2>/dev/null"
refused "a corrupt superblock" "$ML 4 region_size $RS metadata $(devno /dev/ram3)" \
	"metadata superblock checksum mismatch"
t_ok "X: ml over /dev/ram2" dm_create ml "$ML 4 region_size $RS metadata $META"
refused "a record another mirror uses" "$ML 4 region_size $RS metadata $META" \
	"Metadata device in use by another mirror"
t_ok "X: remove ml" dm_remove ml

# ------------------------------------------------------------------ E
t_ok "E: zero ram3, a dm-linear record over it" sh -c \
	"dd if=/dev/zero of=/dev/ram3 bs=1M count=1 oflag=direct 2>/dev/null"
t_ok "E: mm over ram3" dm_create mm "0 2048 linear /dev/ram3 0"
t_ok "E: ml with the record on mm, nosync" \
	dm_create ml "$ML 5 region_size $RS nosync metadata $(devno /dev/mapper/mm)"
t_ok "E: the record fails: mm becomes dm-error" \
	swap_table mm "0 2048 error"
# every first write to a region needs its write-intent bit on mm
t_ok "E: gen 3 writer" fio_write_bg /dev/mapper/ml 3 --time_based --runtime=600
t_ok "E: the mirror fails" wait_failed ml 60
t_eq "E: reason metadata_error" "$(dm_status_field ml reason)" metadata_error
t_ok "E: the writer runs on" fio_running 3
t_ok "E: stop gen 3: no error" fio_stop 3
t_ok "E: gen 3 verifies through ml" fio_verify /dev/mapper/ml 3
t_ok "E: gen 3 verifies on the source" fio_verify /dev/ram0 3
t_ok "E: remove ml" dm_remove ml
t_ok "E: remove mm" dm_remove mm

# ------------------------------------------------------------------ M
t_ok "M: zero ram4's first MiB" dd if=/dev/zero of=/dev/ram4 bs=1M count=1 oflag=direct
t_ok "M: wrap ram0 as vm" mirrorctl wrap /dev/ram0 vm
t_ok "M: start --metadata, 1 MiB/s" \
	mirrorctl start vm /dev/ram1 --metadata /dev/ram4 --max-rate 1M
t_like "M: the table has the record" "$(dm_table vm)" " metadata $(devno /dev/ram4)\$"
t_ok "M: a quarter copied" wait_until 60 copied_at_least vm $((S / 4))
t_ok "M: remove vm (the planned reboot)" dm_remove vm
MCOPIED=$(meta_field /dev/ram4 copied_regions)
t_eq "M: the record is clean" "$(meta_field /dev/ram4 clean)" true
t_ok "M: wrap ram0 as vm again" mirrorctl wrap /dev/ram0 vm
mctl_rc 0 "M: start again with the same META" \
	start vm /dev/ram1 --metadata /dev/ram4 --paused
t_like "M: it says where it goes on" "$(cat "$T_TMP/out")" \
	"^vm: going on with the mirror recorded on /dev/ram4: $MCOPIED of $REGIONS regions copied, 0 dirty to copy again\$"
t_eq "M: progress where it stopped" "$(ml_copied vm)" "$((MCOPIED * RS))"
t_ok "M: resume the copy" mirrorctl resume-copy vm
t_ok "M: ready" mirrorctl wait vm --timeout 120
t_ok "M: complete" mirrorctl complete vm
t_ok "M: destination == source" same_content /dev/ram0 /dev/ram1
t_eq "M: complete ended the record (both slots zeroed)" \
	"$(meta_field /dev/ram4 valid) $(meta_reason /dev/ram4)" \
	"false not formatted: both superblock slots are zero (no mirror has used it)"
# another mirror's record, for the refusal below: 1 MiB regions
t_ok "M: a record of another mirror on ram4" sh -c \
	"dmsetup create other --table '0 $S mirrorlive $SRC 0 $DST 0 4 region_size 2048 metadata $(devno /dev/ram4)' &&
	 dmsetup remove other"
t_ok "M: remove vm" dm_remove vm
t_ok "M: wrap ram0 as vm" mirrorctl wrap /dev/ram0 vm
mctl_rc 2 "M: --metadata with two pairs" \
	start vm /dev/ram1 vm /dev/ram2 --metadata /dev/ram4
mctl_rc 3 "M: META is the destination" \
	start vm /dev/ram1 --metadata /dev/ram1
t_like "M: ... says so" "$(cat "$T_TMP/err")" "/dev/ram1: the metadata device is /dev/ram1 itself"
mctl_rc 3 "M: another mirror's record (another region size)" \
	start vm /dev/ram1 --metadata /dev/ram4
t_like "M: ... says which and what overwrites it" "$(cat "$T_TMP/err")" \
	"/dev/ram4: holds something else than a record of this mirror \\(metadata belongs to a mirror of another region size\\); --force overwrites it"
t_eq "M: nothing changed" "$(dm_table vm | cut -d' ' -f3)" linear
t_ok "M: --force starts a new record" \
	mirrorctl start vm /dev/ram1 --metadata /dev/ram4 --force --wait --timeout 120
t_eq "M: a new record of 512 KiB regions" "$(meta_field /dev/ram4 region_size_bytes)" 524288
t_ok "M: cancel" mirrorctl cancel vm
t_eq "M: cancel ended the record" "$(meta_field /dev/ram4 valid)" false
t_ok "M: remove vm" dm_remove vm

# ------------------------------------------------------------------ S
PATH=/dmsetup-scripts:$PATH
t_ok "S: vm linear over ram0" dm_create vm "0 $S linear $SRC 0"
cmd_rc 2 "S: --metadata without a value" mirrorlive-start vm /dev/ram1 --metadata
cmd_rc 3 "S: META is the destination" mirrorlive-start vm /dev/ram1 --metadata /dev/ram1
t_like "S: ... says so" "$(cat "$T_TMP/err")" "^mirrorlive-start: /dev/ram1: the metadata device is the destination\$"
t_ok "S: a 4 KiB device" dm_create tiny "0 8 linear /dev/ram3 0"
cmd_rc 3 "S: META too small" mirrorlive-start vm /dev/ram1 --metadata /dev/mapper/tiny
t_like "S: ... says so" "$(cat "$T_TMP/err")" "metadata device too small for vm \\(8 < 32 sectors\\)"
t_ok "S: remove tiny" dm_remove tiny
t_eq "S: nothing changed" "$(dm_table vm | cut -d' ' -f3)" linear
t_ok "S: zero ram4's first 8 KiB" dd if=/dev/zero of=/dev/ram4 bs=4096 count=2 oflag=direct
cmd_rc 0 "S: mirrorlive-start --metadata" mirrorlive-start vm /dev/ram1 --metadata /dev/ram4
t_like "S: the table has the record" "$(dm_table vm)" " metadata $(devno /dev/ram4)\$"
t_eq "S: a live record" "$(meta_field /dev/ram4 valid) $(meta_field /dev/ram4 clean)" "true false"
t_ok "S: ready" mirrorlive-wait vm --timeout 120
# the hook copies the record as the suspended device left it
printf '#!/bin/sh\n[ "$1" = committed ] && dd if=/dev/ram4 of=/dev/ram3 bs=4096 count=64 iflag=direct oflag=direct 2>/dev/null\nexit 0\n' > "$T_TMP/hook-copy"
chmod +x "$T_TMP/hook-copy"
t_ok "S: zero ram3" dd if=/dev/zero of=/dev/ram3 bs=4096 count=64 oflag=direct
cmd_rc 0 "S: mirrorlive-complete" env MIRRORLIVE_TEST_HOOK="$T_TMP/hook-copy" mirrorlive-complete vm
t_eq "S: suspended, the record said completed" "$(meta_field /dev/ram3 state)" completed
t_eq "S: complete ended the record" "$(meta_field /dev/ram4 valid)" false
t_ok "S: destination == source" same_content /dev/ram0 /dev/ram1
t_ok "S: remove vm" dm_remove vm

# ------------------------------------------------------------------ D
# a failed mirror's destination may have missed writes: its record must
# not let a later mirror count anything as copied
t_ok "D: zero ram4's first 8 KiB" dd if=/dev/zero of=/dev/ram4 bs=4096 count=2 oflag=direct
t_ok "D: ml over ram4, nosync (every region copied)" \
	dm_create ml "$ML 3 nosync metadata $(devno /dev/ram4)"
t_ok "D: fail_dest" dmsetup message ml 0 fail_dest
t_eq "D: failed" "$(ml_phase ml)" failed
t_ok "D: remove ml" dm_remove ml
t_eq "D: the record counts nothing copied, every region dirty" \
	"$(meta_field /dev/ram4 copied_regions) $(meta_field /dev/ram4 dirty_regions) $(meta_field /dev/ram4 clean)" \
	"0 $REGIONS false"
t_ok "D: a mirror over that record, paused" \
	dm_create ml "$ML 3 metadata $(devno /dev/ram4) paused"
t_eq "D: it copies everything again" "$(ml_copied ml)" 0
t_ok "D: remove ml" dm_remove ml
# a crash before that suspend: the writes to the source alone after the
# failure went through the write-intent record, and no sweep cleared a bit
t_ok "D: zero ram4's first 8 KiB" dd if=/dev/zero of=/dev/ram4 bs=4096 count=2 oflag=direct
t_ok "D: ml over ram4, nosync" dm_create ml "$ML 3 nosync metadata $(devno /dev/ram4)"
t_eq "D: status field 9: nothing dirty" "$(dm_status_field ml dirty_regions)" 0
t_eq "D: no metadata: field 9 is -" \
	"$(dmsetup create nm --table "$ML" && dm_status_field nm dirty_regions; dmsetup remove nm)" -
t_ok "D: fail_dest" dmsetup message ml 0 fail_dest
t_ok "D: a write to region 10, source only" \
	dd if=/dev/urandom of=/dev/mapper/ml bs=4096 count=1 seek=$((10 * RS / 8)) oflag=direct
t_ok "D: a copy of the live record (the crash)" \
	dd if=/dev/ram4 of=/dev/ram3 bs=4096 count=64 iflag=direct oflag=direct
t_eq "D: the crashed record: region 10 dirty, the rest copied" \
	"$(meta_field /dev/ram3 dirty_regions) $(meta_field /dev/ram3 copied_regions)" \
	"1 $((REGIONS - 1))"
t_eq "D: status field 9 says so" "$(dm_status_field ml dirty_regions)" 1
t_ok "D: remove ml" dm_remove ml

# ------------------------------------------------------------------ O
# msg_refused DESC DEV MESSAGE KLOG: the message fails and the kernel says
msg_refused() {
	_mr_n=$((${_mr_n:-0} + 1))
	kmsg "msg-refused-$_mr_n"
	if dmsetup message "$2" 0 $3 > /dev/null 2>&1; then
		t_notok "O: refused: $1" "message accepted: $3"
	elif ! klog_since "msg-refused-$_mr_n" | grep -qF -- "$4"; then
		t_notok "O: refused: $1" "kernel did not log: $4"
	else
		t_pass "O: refused: $1"
	fi
}
t_ok "O: zero ram4's first 8 KiB" dd if=/dev/zero of=/dev/ram4 bs=4096 count=2 oflag=direct
t_ok "O: ml over ram4, nosync (ready)" dm_create ml "$ML 3 nosync metadata $(devno /dev/ram4)"
msg_refused "outcome while live" ml "outcome completed" "outcome: the mirror is not suspended"
t_ok "O: suspend ml" dmsetup suspend ml
msg_refused "an unknown outcome" ml "outcome done" "Invalid outcome: done"
t_ok "O: outcome completed" dmsetup message ml 0 outcome completed
t_eq "O: the record says completed, clean" \
	"$(meta_field /dev/ram4 state) $(meta_field /dev/ram4 clean)" "completed true"
t_ok "O: resume (a rollback)" dmsetup resume ml
t_eq "O: migrating again, live" \
	"$(meta_field /dev/ram4 state) $(meta_field /dev/ram4 clean)" "migrating false"
t_ok "O: suspend ml, outcome completed, remove it (suspended)" sh -c \
	"dmsetup suspend ml && dmsetup message ml 0 outcome completed && dmsetup remove ml"
# a nosync table may take a completed record over only to reverse the
# mirror live on its device (metadata-format.rst, "Reversal"): not here
refused "a completed record, to a nosync table on its own" \
	"$ML 3 nosync metadata $(devno /dev/ram4)" "Metadata records a finished migration"
t_ok "O: zero ram4's first 8 KiB" dd if=/dev/zero of=/dev/ram4 bs=4096 count=2 oflag=direct
t_ok "O: ml over ram4, paused (nothing copied)" dm_create ml "$ML 3 metadata $(devno /dev/ram4) paused"
t_ok "O: suspend ml" dmsetup suspend ml
msg_refused "completed while paused" ml "outcome completed" "outcome: completed needs a ready mirror"
t_eq "O: still migrating" "$(meta_field /dev/ram4 state)" migrating
t_ok "O: outcome cancelled (any phase)" dmsetup message ml 0 outcome cancelled
t_eq "O: the record says cancelled" "$(meta_field /dev/ram4 state)" cancelled
t_ok "O: remove ml" dm_remove ml
refused "a finished record" "$ML 3 metadata $(devno /dev/ram4) paused" \
	"Metadata records a finished migration"
t_ok "O: create nm without metadata" dm_create nm "$ML 1 nosync"
t_ok "O: suspend nm" dmsetup suspend nm
msg_refused "no metadata device" nm "outcome cancelled" "outcome: the mirror has no metadata device"
t_ok "O: remove nm" dm_remove nm

# ------------------------------------------------------------------ T
MT=$T_TMP/mirrortab
mt() { mirrorctl --mirrortab "$MT" "$@"; }
t_ok "T: zero ram4's first 8 KiB" dd if=/dev/zero of=/dev/ram4 bs=4096 count=2 oflag=direct
t_ok "T: wrap ram0 as vm" mirrorctl wrap /dev/ram0 vm
t_ok "T: start --metadata --mirrortab, 1 MiB/s" \
	mt start vm /dev/ram1 --metadata /dev/ram4 --max-rate 1M
t_eq "T: the mirrortab lists it" "$(grep -v '^#' "$MT")" \
	"vm /dev/ram0 /dev/ram1 /dev/ram4 max_copy_kbps=1024,uuid=MIRRORLIVE-vm"
t_like "T: status says it is persistent" "$(mirrorctl status vm)" \
	"persistent: +yes, metadata on /dev/ram4, [0-9]+ regions? dirty"
t_like "T: status --json too" "$(mirrorctl status vm --json)" \
	'"persistent":true,"dirty_regions":[0-9]+,"metadata":"/dev/ram4"'
t_ok "T: a quarter copied" wait_until 60 copied_at_least vm $((S / 4))
t_ok "T: remove vm (the reboot)" dm_remove vm
TCOPIED=$(meta_field /dev/ram4 copied_regions)
mctl_rc 0 "T: restore" --mirrortab "$MT" restore
t_eq "T: it says where it goes on" "$(cat "$T_TMP/out")" \
	"vm: mirror restored from /dev/ram4: $TCOPIED of $REGIONS regions copied, 0 dirty to copy again"
t_like "T: vm is the mirror again, with its rate and record" "$(dm_table vm)" \
	"mirrorlive $SRC 0 $DST 0 4 max_copy_kbps 1024 metadata $(devno /dev/ram4)\$"
t_eq "T: its dm UUID" "$(dmsetup info -c --noheadings -o uuid vm)" MIRRORLIVE-vm
t_num "T: progress where it stopped" "$(ml_copied vm)" -ge "$((TCOPIED * RS))"
mctl_rc 0 "T: restore again" --mirrortab "$MT" restore
t_eq "T: ... changes nothing" "$(cat "$T_TMP/out")" \
	"vm: running already, as the mirror recorded on /dev/ram4"
t_ok "T: unlimited, ready" sh -c "mirrorctl set-rate vm 0 && mirrorctl wait vm --timeout 120"
# complete's outcome is on the record, then the host dies before the swap
t_ok "T: suspend vm, outcome completed, remove (the crash)" sh -c \
	"dmsetup suspend vm && dmsetup message vm 0 outcome completed && dmsetup remove vm"
mctl_rc 0 "T: restore after a completed outcome" --mirrortab "$MT" restore
t_eq "T: ... sets vm up on the destination" "$(cat "$T_TMP/out")" \
	"vm: the migration had completed: set up on its destination /dev/ram1"
t_eq "T: vm is linear on ram1" "$(dm_table vm)" "0 $S linear $DST 0"
t_ok "T: and holds the data" same_content /dev/mapper/vm /dev/ram0
t_eq "T: the entry is gone" "$(grep -vc '^#' "$MT")" 0
t_eq "T: the record ended" "$(meta_field /dev/ram4 valid)" false
t_ok "T: remove vm" dm_remove vm
# the same with cancel's
t_ok "T: wrap ram0 as vm" mirrorctl wrap /dev/ram0 vm
t_ok "T: start --metadata --force (ram1 holds the copy)" \
	mt start vm /dev/ram1 --metadata /dev/ram4 --force --paused
t_ok "T: suspend vm, outcome cancelled, remove (the crash)" sh -c \
	"dmsetup suspend vm && dmsetup message vm 0 outcome cancelled && dmsetup remove vm"
mctl_rc 0 "T: restore after a cancelled outcome" --mirrortab "$MT" restore
t_eq "T: ... sets vm up on the source" "$(cat "$T_TMP/out")" \
	"vm: the migration had been cancelled: set up on its source /dev/ram0"
t_eq "T: vm is linear on ram0" "$(dm_table vm)" "0 $S linear $SRC 0"
t_eq "T: the entry is gone" "$(grep -vc '^#' "$MT")" 0
t_ok "T: remove vm" dm_remove vm
# an entry whose record was never formatted: as before the start
t_ok "T: zero ram4's first 8 KiB" dd if=/dev/zero of=/dev/ram4 bs=4096 count=2 oflag=direct
echo "vm /dev/ram0 /dev/ram1 /dev/ram4 -" >> "$MT"
mctl_rc 0 "T: restore, no record" --mirrortab "$MT" restore
t_eq "T: ... sets vm up on the source" "$(cat "$T_TMP/out")" \
	"vm: no record on /dev/ram4 (the migration never started): set up on its source /dev/ram0"
t_eq "T: vm is linear on ram0" "$(dm_table vm)" "0 $S linear $SRC 0"
t_ok "T: remove vm" dm_remove vm
# refusals: another mirror's record (its destination half the size of
# ram1), a malformed line; the entries stay
t_ok "T: a half-size destination over ram3" dm_create od "0 $((S / 2)) linear /dev/ram3 0"
t_ok "T: a record of a mirror onto it on ram4" sh -c \
	"dmsetup create other --table '0 $((S / 2)) mirrorlive $SRC 0 $(devno /dev/mapper/od) 0 2 metadata $(devno /dev/ram4)' &&
	 dmsetup remove other && dmsetup remove od"
printf 'vm /dev/ram0 /dev/ram1 /dev/ram4 -\nbroken\n' >> "$MT"
mctl_rc 3 "T: restore refuses" --mirrortab "$MT" restore
t_like "T: ... the record" "$(cat "$T_TMP/err")" \
	"vm: /dev/ram4 does not record a mirror of /dev/ram0 onto /dev/ram1 \\(metadata belongs to another destination \\(offset or size differs\\)\\): left as it is"
t_like "T: ... the line" "$(cat "$T_TMP/err")" "$MT:[0-9]+: ignored: fewer than 5 fields"
t_ok "T: no device created" sh -c "! dmsetup info vm > /dev/null 2>&1"
t_eq "T: the entries stay" "$(grep -vc '^#' "$MT")" 2
# complete through mirrorctl removes the entry
t_ok "T: drop the two lines" sh -c "grep '^#' '$MT' > '$MT.x' && mv '$MT.x' '$MT'"
t_ok "T: zero ram4's first 8 KiB" dd if=/dev/zero of=/dev/ram4 bs=4096 count=2 oflag=direct
t_ok "T: wrap ram0 as vm" mirrorctl wrap /dev/ram0 vm
t_ok "T: start --metadata --force --wait" \
	mt start vm /dev/ram1 --metadata /dev/ram4 --force --wait --timeout 120
t_ok "T: zero ram3" dd if=/dev/zero of=/dev/ram3 bs=4096 count=64 oflag=direct
t_ok "T: complete (the test hook copies the record)" \
	env MIRRORCTL_TEST_HOOK="$T_TMP/hook-copy" mirrorctl --mirrortab "$MT" complete vm
t_eq "T: suspended, the record said completed" "$(meta_field /dev/ram3 state)" completed
t_eq "T: complete removed the entry" "$(grep -vc '^#' "$MT")" 0
t_eq "T: and ended the record" "$(meta_field /dev/ram4 valid)" false
t_ok "T: remove vm" dm_remove vm

# ------------------------------------------------------------------ I
t_ok "I: legs with dm UUIDs" sh -c \
	"dmsetup create --uuid TEST-src-1 isrc --table '0 $S linear $SRC 0' &&
	 dmsetup create --uuid TEST-dst-1 idst --table '0 $S linear $DST 0' &&
	 dmsetup mknodes"
t_ok "I: zero ram4's first 8 KiB" dd if=/dev/zero of=/dev/ram4 bs=4096 count=2 oflag=direct
t_ok "I: wrap isrc as vm" mirrorctl wrap /dev/mapper/isrc vm
t_ok "I: start --metadata, paused" \
	mt start vm /dev/mapper/idst --metadata /dev/ram4 --force --paused
ID=$(dm_table vm | sed -n 's/.* mirror_id \([0-9a-f]*\)$/\1/p')
diag "I: mirror_id $ID"
t_eq "I: the table has a mirror_id" "${#ID}" 32
t_eq "I: the record has the same" "$(meta_field /dev/ram4 mirror_id)" "$ID"
t_ok "I: remove vm (the reboot)" dm_remove vm
mctl_rc 0 "I: restore finds the same identities" --mirrortab "$MT" restore
t_like "I: ... and the same mirror_id" "$(dm_table vm)" "metadata $(devno /dev/ram4) mirror_id $ID\$"
t_ok "I: remove vm" dm_remove vm
t_ok "I: idst is another device now (another UUID, same path)" sh -c \
	"dmsetup remove idst && dmsetup create --uuid TEST-dst-2 idst --table '0 $S linear $DST 0' && dmsetup mknodes"
mctl_rc 3 "I: restore refuses it" --mirrortab "$MT" restore
t_like "I: ... and says why" "$(cat "$T_TMP/err")" \
	"vm: /dev/ram4 does not record a mirror of /dev/mapper/isrc onto /dev/mapper/idst \\(metadata belongs to another mirror \\(mirror_id differs\\)\\): left as it is"
refused "another mirror_id" \
	"0 $S mirrorlive $(devno /dev/mapper/isrc) 0 $(devno /dev/mapper/idst) 0 4 metadata $(devno /dev/ram4) mirror_id 000102030405060708090a0b0c0d0e0f" \
	"metadata belongs to another mirror (mirror_id differs)"
t_ok "I: clean up" sh -c "dmsetup remove isrc && dmsetup remove idst && : > '$MT'"

finish
