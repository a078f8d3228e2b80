#!/bin/sh
# Destination errors never reach the writer (Documentation/interface.rst,
# invariants 1, 5, 6). The destination sits behind its own dm device ("mld")
# whose table is swapped to "error" or to dm-flakey with error_writes at the
# chosen moment:
#   A  during a throttled copy, under fio writes: failed/dest_write_error,
#      fio sees no error, the source holds every completed write, later
#      writes go to the source only, cancel leaves an intact source;
#   B  in ready, under fio writes (flakey error_writes): the same, and the
#      failed writes really did not reach the destination;
#   C  in ready, the first failing request is an empty flush (fsync of the
#      mirror with no dirty data) on a write-back destination:
#      dest_flush_error, and the reason survives later I/O;
#   D  in ready, the first failing request is a discard:
#      dest_discard_error; later flush/write/read errors keep that reason;
#   E  a mirror created paused: writes to uncopied regions never touch the
#      dead destination; once some regions are copied, a write to an
#      uncopied region still does not, a write to a copied one fails the
#      mirror (only copied regions are mirrored).
# timeout: 180
. /tests/lib.sh
setup

# ------------------------------------------------------- local helpers ---

# write_at DEV SECTOR BYTE: one direct 4 KiB write of BYTE (octal) at SECTOR
write_at() {
    printf "%4096s" "" | tr ' ' "\\$3" |
        dd of="$1" bs=4096 count=1 seek=$(($2 / 8)) oflag=direct conv=notrunc 2>/dev/null
}
# read_byte DEV SECTOR: the first byte of SECTOR, as octal (od)
read_byte() {
    dd if="$1" bs=4096 count=1 skip=$(($2 / 8)) iflag=direct 2>/dev/null | od -An -bN1 | tr -d ' '
}

t_ok "modprobe dm-flakey" modprobe dm-flakey
t_ok "brd: 2 x 64 MiB" brd_setup 2 64
S=$(dev_sectors /dev/ram0)
ERR="0 $S error"
LIN1="0 $S linear /dev/ram1 0"

# ============== A: error target during a throttled copy, under fio =====
kmsg partA
t_ok "A: source holds gen 1" fio_write /dev/ram0 1
t_ok "A: dest device mld = linear(ram1)" dm_create mld "$LIN1"
# 2 MiB/s: 32 s of copy, still going when the error comes even on a debug
# kernel beside another guest
t_ok "A: mirror, max_copy_kbps 2048" \
    dm_create ml "0 $S mirrorlive /dev/ram0 0 /dev/mapper/mld 0 2 max_copy_kbps 2048"
fio_write_bg /dev/mapper/ml 2 --time_based --runtime=600
sleep 2    # observation window: copy and writer under way
st=$(dm_status ml)
diag "A: before the failure: $st"
t_eq "A: still copying" "$(ml_phase ml)" copying
t_num "A: some regions copied" "$(ml_copied ml)" -gt 0
t_num "A: some guest writes mirrored" "$(dm_status_field ml mirrored_writes)" -gt 0
t_ok "A: dest switched to the error target" swap_table mld "$ERR"
t_ok "A: mirror fails" dm_wait_phase ml failed 30
m1=$(dm_status_field ml mirrored_writes)
t_ok "A: writer still running after the failure" fio_running 2
sleep 1    # the writer goes on against the failed mirror
t_eq "A: mirrored_writes frozen once failed" "$(dm_status_field ml mirrored_writes)" "$m1"
t_ok "A: writer stops without an error" fio_stop 2
t_eq "A: fio job error 0" "$(_fio_field "$FIO_AUX/g2.w" 5)" 0
set -- $(ml_errs ml)
t_eq "A: failed, dest_write_error, no source errors" "$1 $3 $4" "failed 0 dest_write_error"
t_num "A: dest_errors > 0" "$2" -gt 0
d1=$2
t_eq "A: exactly one failure message logged" \
    "$(klog_count partA 'mirrorlive: .*failed \(dest_write_error\); writes go to the source only')" 1
t_ok "A: source holds every completed gen 2 write" fio_verify /dev/ram0 2
t_ok "A: later writes succeed (gen 3)" fio_write /dev/mapper/ml 3 --runtime=2 --time_based
t_eq "A: gen 3 reached no destination" \
    "$(dm_status_field ml mirrored_writes) $(dm_status_field ml dest_errors) $(ml_phase ml)" "$m1 $d1 failed"
t_ok "A: source holds gen 3" fio_verify /dev/ram0 3
t_ok "A: cancel: load linear(source)" dm_load ml "0 $S linear /dev/ram0 0"
t_ok "A: cancel: resume" dmsetup resume ml
t_eq "A: table is linear(source)" "$(dm_table ml)" "0 $S linear $(devno /dev/ram0) 0"
t_ok "A: gen 3 intact through the cancelled device" fio_verify /dev/mapper/ml 3
t_ok "A: remove ml" dm_remove ml
t_ok "A: remove mld" dm_remove mld

# ============== B: flakey error_writes in ready, under fio ==============
kmsg partB
t_ok "B: mld = linear(ram1)" dm_create mld "$LIN1"
t_ok "B: mirror" dm_create ml "0 $S mirrorlive /dev/ram0 0 /dev/mapper/mld 0"
t_ok "B: ready" dm_wait_phase ml ready 60
t_ok "B: destination holds gen 3" fio_verify /dev/ram1 3
t_ok "B: dest switched to flakey error_writes" \
    swap_table mld "0 $S flakey /dev/ram1 0 0 1 1 error_writes"
t_ok "B: fio gen 4 through the mirror succeeds" \
    fio_write /dev/mapper/ml 4 --runtime=3 --time_based
t_eq "B: fio job error 0" "$(_fio_field "$FIO_AUX/g4.w" 5)" 0
set -- $(ml_errs ml)
t_eq "B: failed, dest_write_error" "$1 $3 $4" "failed 0 dest_write_error"
t_num "B: dest_errors > 0" "$2" -gt 0
t_ok "B: source holds gen 4" fio_verify /dev/ram0 4
t_fail "B: destination does not (its writes failed)" fio_verify /dev/ram1 4
t_eq "B: exactly one failure message" \
    "$(klog_count partB 'failed \(dest_write_error\)')" 1
t_ok "B: remove ml" dm_remove ml
t_ok "B: remove mld" dm_remove mld

# ============== C/D: write-back, discard-capable null_blk legs ==========
mount | grep -q ' /sys/kernel/config ' || mount -t configfs none /sys/kernel/config
t_ok "null_blk module" modprobe null_blk nr_devices=0
t_ok "nullb0: dest, 64 MiB, memory-backed, write cache, discard" \
    nullb nullb0 size=64 memory_backed=1 cache_size=16 discard=1
t_ok "nullb1: source, 64 MiB, memory-backed, discard" \
    nullb nullb1 size=64 memory_backed=1 discard=1
N=$(dev_sectors /dev/nullb0)
NLIN="0 $N linear /dev/nullb0 0"
NFLAKY="0 $N flakey /dev/nullb0 0 0 1 1 error_writes"

# --- C: the first failing request is an empty flush
kmsg partC
t_ok "C: mld = linear(nullb0)" dm_create mld "$NLIN"
# both legs read zeroes: nosync is true
t_ok "C: mirror nosync" dm_create ml "0 $N mirrorlive /dev/nullb1 0 /dev/mapper/mld 0 1 nosync"
t_eq "C: mirror advertises a write-back cache" "$(cat "$(dm_sysfs ml)/queue/write_cache")" "write back"
t_ok "C: fsync on a healthy mirror" dd if=/dev/zero of=/dev/mapper/ml bs=4k count=0 conv=fsync
t_eq "C: still ready, no error" "$(ml_errs ml)" "ready 0 0 -"
t_ok "C: dest switched to flakey error_writes" swap_table mld "$NFLAKY"
t_ok "C: fsync (an empty flush only) succeeds" \
    dd if=/dev/zero of=/dev/mapper/ml bs=4k count=0 conv=fsync
t_eq "C: failed, dest_flush_error, one dest error" "$(ml_errs ml)" "failed 1 0 dest_flush_error"
t_eq "C: no write was mirrored" "$(dm_status_field ml mirrored_writes)" 0
t_ok "C: a write after the failure succeeds" write_at /dev/mapper/ml 2048 101
t_ok "C: blkdiscard after the failure succeeds" blkdiscard -o 0 -l 1048576 /dev/mapper/ml
t_ok "C: fsync after the failure succeeds" dd if=/dev/zero of=/dev/mapper/ml bs=4k count=0 conv=fsync
t_eq "C: first reason kept, no new dest error" "$(ml_errs ml)" "failed 1 0 dest_flush_error"
t_eq "C: the write is on the source" "$(read_byte /dev/nullb1 2048)" 101
t_eq "C: one failure message" "$(klog_count partC 'failed \(dest_flush_error\)')" 1
t_ok "C: remove ml" dm_remove ml
t_ok "C: remove mld" dm_remove mld

# --- D: the first failing request is a discard
kmsg partD
t_ok "D: discard both legs (null_blk reads zeroes)" sh -c "blkdiscard /dev/nullb0 && blkdiscard /dev/nullb1"
t_ok "D: mld = linear(nullb0)" dm_create mld "$NLIN"
t_ok "D: mirror nosync" dm_create ml "0 $N mirrorlive /dev/nullb1 0 /dev/mapper/mld 0 1 nosync"
t_num "D: mirror advertises discard" "$(cat "$(dm_sysfs ml)/queue/discard_max_bytes")" -gt 0
t_ok "D: 1 MiB of data at 1 MiB (mirrored)" \
    dd if=/dev/urandom of=/dev/mapper/ml bs=1M count=1 seek=1 oflag=direct
t_ok "D: the destination has it" same_content /dev/nullb1 /dev/nullb0 4096
t_ok "D: dest switched to flakey error_writes" swap_table mld "$NFLAKY"
t_ok "D: blkdiscard of that MiB succeeds" blkdiscard -o 1048576 -l 1048576 /dev/mapper/ml
set -- $(ml_errs ml)
t_eq "D: failed, dest_discard_error" "$1 $3 $4" "failed 0 dest_discard_error"
# The discard covers two regions: the first region's clone fails (flakey
# errors it at submission), so the second part, mapped after it, already
# goes to the source only.
t_num "D: dest_errors > 0" "$2" -gt 0
d1=$2
t_ok "D: the source range reads zeroes" is_zero /dev/mapper/ml 2048 2048
t_ok "D: fsync after the failure succeeds" dd if=/dev/zero of=/dev/mapper/ml bs=4k count=0 conv=fsync
t_ok "D: write after the failure succeeds" write_at /dev/mapper/ml 0 102
t_eq "D: first reason kept, no new dest error" "$(ml_errs ml)" "failed $d1 0 dest_discard_error"
t_eq "D: one failure message" "$(klog_count partD 'failed \(dest_discard_error\)')" 1
# a later source error: the reason stays the first one
t_ok "D: source nullb1 gets a bad-block list" \
    sh -c 'echo "+4096-4103" > /sys/kernel/config/nullb/nullb1/badblocks'
t_fail "D: read of a bad source block fails" \
    dd if=/dev/mapper/ml of=/dev/null bs=4096 count=1 skip=512 iflag=direct
t_eq "D: source error counted, reason kept" "$(ml_errs ml)" "failed $d1 1 dest_discard_error"
t_ok "D: remove ml" dm_remove ml
t_ok "D: remove mld" dm_remove mld

# ============== E: paused mirror, only copied regions are mirrored ======
kmsg partE
t_ok "E: mld = linear(ram1)" dm_create mld "$LIN1"
t_ok "E: mirror created paused" dm_create ml "0 $S mirrorlive /dev/ram0 0 /dev/mapper/mld 0 1 paused"
t_eq "E: paused, nothing copied" "$(ml_phase ml) $(ml_copied ml)" "paused 0"
t_ok "E: dest switched to error" swap_table mld "$ERR"
t_ok "E: write to region 0 (uncopied)" write_at /dev/mapper/ml 0 141
t_ok "E: write to region 100 (uncopied)" write_at /dev/mapper/ml $((100 * 1024)) 142
t_eq "E: still paused, nothing mirrored, no dest error" \
    "$(ml_errs ml) $(dm_status_field ml mirrored_writes)" "paused 0 0 - 0"
t_ok "E: dest healthy again" swap_table mld "$LIN1"
t_ok "E: rate 2048 KiB/s" dmsetup message ml 0 max_copy_kbps 2048
t_ok "E: resume_copy" dmsetup message ml 0 resume_copy
sleep 1    # copy a few regions (4 a second)
t_ok "E: pause_copy" dmsetup message ml 0 pause_copy
c=$(ml_copied ml)
diag "E: copied $c sectors before the pause"
t_num "E: some regions copied" "$c" -gt 0
t_num "E: region 100 not copied" "$c" -le $((100 * 1024))
t_eq "E: region 0 copied with the write" "$(read_byte /dev/ram1 0)" 141
t_ok "E: dest switched to error again" swap_table mld "$ERR"
t_ok "E: write to region 100 (uncopied)" write_at /dev/mapper/ml $((100 * 1024 + 8)) 143
t_eq "E: still paused, nothing mirrored" "$(ml_errs ml) $(dm_status_field ml mirrored_writes)" "paused 0 0 - 0"
t_ok "E: write to region 0 (copied) succeeds" write_at /dev/mapper/ml 8 144
t_eq "E: failed, dest_write_error, one mirrored write" \
    "$(ml_errs ml) $(dm_status_field ml mirrored_writes)" "failed 1 0 dest_write_error 1"
t_eq "E: the source has all four writes" \
    "$(read_byte /dev/ram0 0) $(read_byte /dev/ram0 8) $(read_byte /dev/ram0 $((100 * 1024))) $(read_byte /dev/ram0 $((100 * 1024 + 8)))" \
    "141 144 142 143"
t_eq "E: copied count unchanged by the failure" "$(ml_copied ml)" "$c"
t_ok "E: remove ml" dm_remove ml
t_ok "E: remove mld" dm_remove mld

finish
