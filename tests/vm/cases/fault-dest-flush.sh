#!/bin/sh
# Destination flush failures under a running, fsync-heavy writer (issue 6,
# fault matrix).  dest-errors.sh part C fails one empty flush on an idle
# mirror; here fio keeps writing and fsyncing (--fsync=2) through the
# failure, on null_blk legs whose destination has a write-back cache (so
# flushes reach it; brd would have the block layer complete them at once).
#   1  a paused mirror (nothing copied): the writer's writes go to the
#      source only, its fsyncs flush both legs; the destination turns into
#      dm-flakey error_writes, so the first request that fails is a flush:
#      failed/dest_flush_error, no write mirrored, the writer sees no error
#      (not even on fsync), the source holds every completed write;
#   2  a ready mirror: writes and flushes both fail for a random 1-5 s
#      window; the reason is the first of dest_write_error and
#      dest_flush_error, and is kept.
# After each: complete refused, cancel, start again under a second fsync
# writer, ready, destination == source, complete, both generations verify
# on the raw destination.
# timeout: 180
. /tests/lib.sh
setup

t_ok "modprobe dm-flakey" modprobe dm-flakey
mount | grep -q ' /sys/kernel/config ' || mount -t configfs none /sys/kernel/config
t_ok "null_blk module" modprobe null_blk nr_devices=0
t_ok "nullb0: 64 MiB, memory-backed, write-back cache" \
	nullb nullb0 size=64 memory_backed=1 cache_size=16
t_ok "nullb1: 64 MiB, memory-backed, write-back cache" \
	nullb nullb1 size=64 memory_backed=1 cache_size=16
N=$(dev_sectors /dev/nullb0)
HALF=$((N * 256))
FSYNC="--time_based --runtime=600 --fsync=2"
VERIFIED=0

# restart P DEVICE_DEST_NAME SRC_RAW DEST_RAW GEN_A GEN_B OFFSET_B: the
# destination is healthy again: complete refused, cancel, start again
# under writer GEN_B (fsync-heavy, at OFFSET_B), complete, verify.
restart() {
	p=$1 dst=$2 src_raw=$3 dst_raw=$4 ga=$5 gb=$6 offb=$7
	mctl_rc 3 "$p: complete refused" complete vm
	t_like "$p: ... because the mirror failed" "$(cat "$T_TMP/err")" 'vm: mirror failed \('
	t_ok "$p: writer gen $gb (fsync-heavy)" \
		fio_write_bg /dev/mapper/vm "$gb" $FSYNC --offset="$offb" --size=$HALF
	mctl_rc 0 "$p: cancel under load" cancel vm
	mctl_rc 0 "$p: start again, wait for ready" start vm "/dev/mapper/$dst" --wait --timeout 120
	t_eq "$p: ready, no error" "$(ml_errs vm)" "ready 0 0 -"
	t_ok "$p: stop writer gen $gb" fio_stop "$gb"
	t_eq "$p: the writer saw no error" "$(job_errors "$gb")" "0 0"
	t_ok "$p: destination == source" same_content "$src_raw" "$dst_raw"
	mctl_rc 0 "$p: complete" complete vm
	t_eq "$p: vm is linear($dst)" "$(dm_table vm)" "0 $N linear $(devno "/dev/mapper/$dst") 0"
	t_ok "$p: gen $ga verifies on the raw destination" fio_verify "$dst_raw" "$ga"
	VERIFIED=$((VERIFIED + $(fio_kib "$ga" v 6)))
	t_ok "$p: gen $gb verifies on the raw destination" fio_verify "$dst_raw" "$gb"
	VERIFIED=$((VERIFIED + $(fio_kib "$gb" v 6)))
}

# ============== 1: paused, the first failing request is a flush =========
kmsg part1
t_ok "1: source nullb1: gen 1 on every block" fio_write /dev/nullb1 1 --rw=write
t_ok "1: wrap nullb1 as vm" mirrorctl wrap /dev/nullb1 vm
t_ok "1: mld = linear(nullb0)" dm_create mld "0 $N linear /dev/nullb0 0"
mctl_rc 0 "1: start onto mld, paused" start vm /dev/mapper/mld --paused
t_eq "1: vm has a write-back cache" "$(cat "$(dm_sysfs vm)/queue/write_cache")" "write back"
t_ok "1: writer gen 2 on the uncopied second half, fsync every 2 writes" \
	fio_write_bg /dev/mapper/vm 2 $FSYNC --offset=$HALF --size=$HALF
sleep 1		# writes to the source, flushes to both legs
t_eq "1: paused, nothing copied or mirrored, no error" \
	"$(ml_fields vm phase progress mirrored_writes dest_errors source_errors reason)" "paused 0/$N 0 0 0 -"
t_ok "1: mld -> flakey error_writes" \
	swap_table mld "0 $N flakey /dev/nullb0 0 0 1 1 error_writes"
t_ok "1: mirror failed" dm_wait_phase vm failed 30
set -- $(ml_errs vm)
t_eq "1: failed, dest_flush_error, no source error" "$1 $3 $4" "failed 0 dest_flush_error"
t_num "1: dest_errors > 0" "$2" -gt 0
t_eq "1: no write was mirrored" "$(dm_status_field vm mirrored_writes)" 0
t_ok "1: writer still running" fio_running 2
st=$(dm_status vm)
sleep 1		# more fsyncs on the failed mirror
t_eq "1: status unchanged by later fsyncs" "$(dm_status vm)" "$st"
t_ok "1: stop writer gen 2" fio_stop 2
t_eq "1: the writer saw no error" "$(job_errors 2)" "0 0"
t_ok "1: gen 2 verifies on the raw source" fio_verify /dev/nullb1 2
VERIFIED=$((VERIFIED + $(fio_kib 2 v 6)))
t_eq "1: one failure message" \
	"$(klog_count part1 'failed \(dest_flush_error\)')" 1
t_ok "1: mld healthy again" swap_table mld "0 $N linear /dev/nullb0 0"
restart 1 mld /dev/nullb1 /dev/nullb0 2 3 0

# ============== 2: ready, writes and flushes fail for 1-5 s =============
# vm is on mld (nullb0) now: mirror it back onto nullb1, behind mld2
kmsg part2
t_ok "2: mld2 = linear(nullb1)" dm_create mld2 "0 $N linear /dev/nullb1 0"
t_ok "2: writer gen 4 on the first half (fsync-heavy)" \
	fio_write_bg /dev/mapper/vm 4 $FSYNC --size=$HALF
mctl_rc 0 "2: start onto mld2, wait for ready" start vm /dev/mapper/mld2 --wait --timeout 120
sleep 1		# mirrored writes and flushes in ready
t_num "2: writes mirrored" "$(dm_status_field vm mirrored_writes)" -gt 0
D=$(rand_int 1 5)
diag "2: writes and flushes to the destination fail for $D s"
t_ok "2: mld2 -> flakey error_writes" \
	swap_table mld2 "0 $N flakey /dev/nullb1 0 0 1 1 error_writes"
t_ok "2: mirror failed" dm_wait_phase vm failed 30
sleep "$D"
t_ok "2: mld2 healthy again" swap_table mld2 "0 $N linear /dev/nullb1 0"
set -- $(ml_errs vm)
diag "2: $(dm_status vm)"
t_like "2: failed on the first of a write and a flush, no source error" \
	"$1 $3 $4" '^failed 0 dest_(write|flush)_error$'
st=$(dm_status vm)
sleep 1
t_eq "2: nothing sent to the restored destination, reason kept" \
	"$(ml_fields vm $ML_FIELDS_BUT_PROGRESS)" "$(ml_pick "$st" $ML_FIELDS_BUT_PROGRESS)"
t_ok "2: stop writer gen 4" fio_stop 4
t_eq "2: the writer saw no error" "$(job_errors 4)" "0 0"
t_ok "2: gen 4 verifies on the raw source" fio_verify /dev/nullb0 4
VERIFIED=$((VERIFIED + $(fio_kib 4 v 6)))
restart 2 mld2 /dev/nullb0 /dev/nullb1 4 5 $HALF
diag "verified $VERIFIED KiB of pattern data in all"
t_ok "remove vm" dm_remove vm
t_ok "remove mld" dm_remove mld
t_ok "remove mld2" dm_remove mld2

finish
