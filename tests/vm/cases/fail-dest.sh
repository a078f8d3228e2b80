#!/bin/sh
# A destination that stops answering, and the way out: the fail_dest
# message (Documentation/dm-mirrorlive.rst, "A destination that stops
# answering"). The destination is dm-delay over brd, reloaded to hold
# every bio for an hour: as NBD without a timeout whose server stopped.
#   1. ready, a writer with flushes, mirrorctl cancel: the writes and the
#      cancel wait for the destination; fail_dest lets go of them: the
#      cancel completes, the writer saw no error, the source holds every
#      write. The mirror's context outlives its table (the module stays
#      held) until the destination ends its I/O, then goes.
#   2. copying (plain copy): a suspend waits for the copy stuck on the
#      destination; fail_dest lets it go, the suspend completes, the
#      mirror reports failed/fail_dest, a reload over the same devices
#      starts afresh (nothing handed over from a failed table).
#   3. copying with sparse (copies read and write in work items, with
#      synchronous I/O): the same.
#   4. fail_dest on a healthy copying mirror fails it, with nothing to let
#      go of; a second fail_dest keeps the reason.
# timeout: 300
. /tests/lib.sh
setup

t_ok "modprobe dm-delay" modprobe dm-delay
t_ok "brd: 2 x 64 MiB" brd_setup 2 64
S=$(dev_sectors /dev/ram0)
LIVE="0 $S delay /dev/ram1 0 0"
STALLED="0 $S delay /dev/ram1 0 3600000"
MOD_REFCNT=/sys/module/$(echo "$T_MOD" | tr - _)/refcnt

# stall / unstall: dm-delay holds every bio from now on (an hour) / lets
# the held ones go at once (its suspend submits them) and passes I/O again
stall() { dm_load dest "$STALLED" && dmsetup suspend dest && dmsetup resume dest; }
unstall() { dm_load dest "$LIVE" && dmsetup suspend dest && dmsetup resume dest; }

gone() { ! kill -0 "$1" 2>/dev/null; }

# bg_wait PID SECS: wait for a background command, at most SECS; its status
bg_wait() {
    wait_until "$2" gone "$1" || return 124
    wait "$1"
}

# running_after PID SECS: PID is still running after SECS (a command that
# must not finish: it waits for the stalled destination)
running_after() { ! wait_until "$2" gone "$1"; }

mirrored_above() { [ "$(dm_status_field ml mirrored_writes)" -gt "$1" ]; }
copied_some() { [ "$(ml_copied ml)" -gt 0 ]; }

module_refs() { cat "$MOD_REFCNT"; }
refs_are() { [ "$(module_refs)" = "$1" ]; }

# ------------------------------------------------- 1. ready, cancel ---
diag "1: ready mirror, writer, cancel waits, fail_dest"
kmsg part1
t_ok "1: dest = dm-delay(ram1), passing" dm_create dest "$LIVE"
t_ok "1: source: gen 1 everywhere" fio_write /dev/ram0 1 --rw=write --bs=64k
t_ok "1: ml = linear(ram0)" dm_create ml "0 $S linear /dev/ram0 0"
t_ok "1: mirrorctl start, ready" mirrorctl start ml /dev/mapper/dest --wait --timeout 120
refs0=$(module_refs)
fio_write_bg /dev/mapper/ml 2 --time_based --runtime=600 --fsync=16
mw0=$(dm_status_field ml mirrored_writes)
t_ok "1: writes reach both legs" wait_until 60 mirrored_above "$mw0"
t_ok "1: destination stalls" stall
mirrorctl cancel ml > "$T_TMP/cancel.out" 2>&1 &
cancel_pid=$!
t_ok "1: cancel waits for the destination (5 s)" running_after $cancel_pid 5
t_ok "1: fail_dest" dmsetup message ml 0 fail_dest
t_ok "1: cancel completes" bg_wait $cancel_pid 60
diag_file "$T_TMP/cancel.out"
t_like "1: ml is linear over the source" "$(dm_table ml)" "^0 $S linear $(devno /dev/ram0) 0\$"
t_ok "1: the writer saw no error" fio_stop 2
t_eq "1: no write failed" "$(job_errors 2)" "0 0"
t_ok "1: the source holds every write" fio_verify /dev/ram0 2
t_num "1: fail_dest let I/O go" "$(klog_count part1 'let go of [0-9]+ destination I/Os')" -ge 1
t_num "1: the old table's context outlives it" "$(klog_count part1 'still in flight after fail_dest')" -eq 1
t_num "1: and holds the module" "$(module_refs)" -eq $((refs0))
t_ok "1: destination answers again" unstall
t_ok "1: the context is freed, the module let go" wait_until 30 refs_are $((refs0 - 1))
t_num "1: freed once" "$(klog_count part1 'freeing a mirror whose destination I/O has ended')" -eq 1
t_ok "1: remove ml" dm_remove ml
t_ok "1: remove dest" dm_remove dest

# ------------------------------------------- 2. and 3. while copying ---
# copying_stall PART FEATURES: a throttled copy (8 MiB/s) with a writer;
# the destination stalls; a suspend waits; fail_dest; it completes.
copying_stall() {
    _p=$1; shift
    t_ok "$_p: dest = dm-delay(ram1), passing" dm_create dest "$LIVE"
    t_ok "$_p: mirror, copying at 8 MiB/s" dm_create ml \
        "0 $S mirrorlive /dev/ram0 0 /dev/mapper/dest 0 $(($# + 2)) max_copy_kbps 8192 $*"
    fio_write_bg /dev/mapper/ml $((10 + ${_p})) --time_based --runtime=600
    t_ok "$_p: copied some" wait_until 60 copied_some
    t_ok "$_p: destination stalls" stall
    dmsetup suspend ml &
    _sp=$!
    t_ok "$_p: suspend waits for the stuck copy (5 s)" running_after $_sp 5
    t_eq "$_p: still copying" "$(ml_phase ml)" copying
    t_ok "$_p: fail_dest" dmsetup message ml 0 fail_dest
    t_ok "$_p: suspend completes" bg_wait $_sp 60
    t_ok "$_p: resume" dmsetup resume ml
    t_eq "$_p: failed, fail_dest" "$(ml_phase ml) $(dm_status_field ml reason)" "failed fail_dest"
    t_ok "$_p: the writer goes on" fio_running $((10 + ${_p}))
    t_ok "$_p: reload over the same devices, paused" swap_table ml \
        "0 $S mirrorlive /dev/ram0 0 /dev/mapper/dest 0 $(($# + 3)) max_copy_kbps 8192 $* paused"
    t_eq "$_p: a failed table hands nothing over" "$(ml_phase ml) $(ml_copied ml)" "paused 0"
    t_ok "$_p: back to linear(ram0)" swap_table ml "0 $S linear /dev/ram0 0"
    t_ok "$_p: the writer saw no error" fio_stop $((10 + ${_p}))
    t_eq "$_p: no write failed" "$(job_errors $((10 + ${_p})))" "0 0"
    t_ok "$_p: the source holds every write" fio_verify /dev/ram0 $((10 + ${_p}))
    t_ok "$_p: destination answers again" unstall
    t_ok "$_p: every context freed" wait_until 30 refs_are "$refs_idle"
    t_ok "$_p: remove ml" dm_remove ml
    t_ok "$_p: remove dest" dm_remove dest
}

refs_idle=$(module_refs)
diag "2: copying, plain copy"
kmsg part2
copying_stall 2
t_num "2: copies let go, context outlived its table" \
    "$(klog_count part2 'still in flight after fail_dest')" -eq 1

diag "3: copying with sparse"
kmsg part3
copying_stall 3 sparse
t_num "3: copies let go, context outlived its table" \
    "$(klog_count part3 'still in flight after fail_dest')" -eq 1

# ----------------------------------------- 4. on a healthy mirror ---
diag "4: fail_dest on a healthy mirror"
kmsg part4
t_ok "4: mirror, paused" dm_create ml "0 $S mirrorlive /dev/ram0 0 /dev/ram1 0 1 paused"
t_ok "4: fail_dest" dmsetup message ml 0 fail_dest
t_eq "4: failed, fail_dest" "$(ml_phase ml) $(dm_status_field ml reason)" "failed fail_dest"
t_ok "4: fail_dest again" dmsetup message ml 0 fail_dest
t_eq "4: first reason kept" "$(ml_errs ml)" "failed 0 0 fail_dest"
t_ok "4: writes go to the source" fio_write /dev/mapper/ml 20 --size=4m
t_ok "4: the source holds them" fio_verify /dev/ram0 20
t_eq "4: nothing mirrored" "$(dm_status_field ml mirrored_writes)" 0
t_ok "4: remove ml, no context left behind" dm_remove ml
t_eq "4: nothing outlived its table" "$(klog_count part4 'still in flight')" 0
finish
