#!/bin/sh
# Pause and rate limit of the background copy (Documentation/interface.rst,
# section 4, status field 7, table).
#   a  pause_copy returns once the copies in flight drained: no progress
#      over a 2 s window; changing the rate while paused does not restart
#      the copy; resume_copy continues to ready.
#   b  max_copy_kbps 4096 at creation, then 8192 and 0 by message: the
#      copy rate measured over ~5 s windows (copied sectors, ms_now) is
#      within 25% of the limit; status field 7 and the table follow.
#   c  the same limit with 64 KiB regions (more, smaller copies).
# The device is 128 MiB, not 64: two 5 s windows at 4 and 8 MiB/s plus the
# settling time would copy ~68 MiB and end the copy inside the second one.
# timeout: 150
. /tests/lib.sh
setup

t_ok "brd: 2 x 128 MiB" brd_setup 2 128
S=$(dev_sectors /dev/ram0)
SRC=$(devno /dev/ram0) DST=$(devno /dev/ram1)

# rate_window SECONDS: sets RATE to the copy rate in KiB/s measured over an
# observation window of SECONDS (copied is in sectors: 2 per KiB).
rate_window() {
    _c0=$(ml_copied ml); _t0=$(ms_now)
    sleep "$1"
    _c1=$(ml_copied ml); _t1=$(ms_now)
    RATE=$(( (_c1 - _c0) * 1000 / 2 / (_t1 - _t0) ))
    diag "copied $_c0 -> $_c1 sectors in $((_t1 - _t0)) ms: $RATE KiB/s"
}

# within PCT GOT WANT DESC: |GOT - WANT| <= WANT * PCT / 100
within() {
    _lo=$(($3 * (100 - $1) / 100)) _hi=$(($3 * (100 + $1) / 100))
    if [ "$2" -ge "$_lo" ] && [ "$2" -le "$_hi" ]; then
        t_pass "$4"
    else
        t_notok "$4" "got:  $2" "want: $_lo..$_hi"
    fi
}

# ================= a: pause =================
t_ok "a: mirror, max_copy_kbps 8192" \
    dm_create ml "0 $S mirrorlive /dev/ram0 0 /dev/ram1 0 2 max_copy_kbps 8192"
sleep 1    # observation window: the copy runs
t_num "a: progress before the pause" "$(ml_copied ml)" -gt 0
t_ok "a: pause_copy" dmsetup message ml 0 pause_copy
a=$(ml_copied ml)
t_eq "a: phase paused" "$(ml_phase ml)" paused
t_num "a: paused before the end" "$a" -lt "$S"
sleep 2    # observation window
t_eq "a: no progress over 2 s while paused" "$(ml_copied ml)" "$a"
t_ok "a: max_copy_kbps 0 while paused" dmsetup message ml 0 max_copy_kbps 0
t_eq "a: status shows rate 0, still paused" "$(dm_status_field ml max_copy_kbps) $(ml_phase ml)" "0 paused"
sleep 1    # observation window
t_eq "a: a rate change does not restart a paused copy" "$(ml_copied ml)" "$a"
t_ok "a: resume_copy" dmsetup message ml 0 resume_copy
t_ok "a: the copy continues to ready" dm_wait_phase ml ready 30
t_eq "a: everything copied" "$(ml_copied ml)" "$S"
t_ok "a: destination == source (first 16 MiB)" same_content /dev/ram0 /dev/ram1 32768
t_ok "a: remove ml" dm_remove ml

# ================= b: rate limit =================
t_ok "b: mirror, max_copy_kbps 4096" \
    dm_create ml "0 $S mirrorlive /dev/ram0 0 /dev/ram1 0 2 max_copy_kbps 4096"
t_eq "b: status field 7" "$(dm_status_field ml max_copy_kbps)" 4096
t_eq "b: table" "$(dm_table ml)" "0 $S mirrorlive $SRC 0 $DST 0 2 max_copy_kbps 4096"
sleep 1    # settle: the first second includes the initial burst
rate_window 5
within 25 "$RATE" 4096 "b: copy rate within 25% of 4096 KiB/s"
t_ok "b: message max_copy_kbps 8192" dmsetup message ml 0 max_copy_kbps 8192
t_eq "b: status field 7" "$(dm_status_field ml max_copy_kbps)" 8192
t_eq "b: table" "$(dm_table ml)" "0 $S mirrorlive $SRC 0 $DST 0 2 max_copy_kbps 8192"
sleep 0.5  # settle after the change
rate_window 5
within 25 "$RATE" 8192 "b: copy rate within 25% of 8192 KiB/s"
t_eq "b: still copying" "$(ml_phase ml)" copying
t_ok "b: message max_copy_kbps 0" dmsetup message ml 0 max_copy_kbps 0
t_eq "b: status field 7" "$(dm_status_field ml max_copy_kbps)" 0
t_eq "b: table without max_copy_kbps" "$(dm_table ml)" "0 $S mirrorlive $SRC 0 $DST 0"
t0=$(ms_now)
t_ok "b: unlimited copy reaches ready" dm_wait_phase ml ready 30
t_num "b: ... within 10 s" $(($(ms_now) - t0)) -lt 10000
t_ok "b: remove ml" dm_remove ml

# ================= c: 64 KiB regions =================
t_ok "c: mirror, region_size 128, max_copy_kbps 4096" \
    dm_create ml "0 $S mirrorlive /dev/ram0 0 /dev/ram1 0 4 region_size 128 max_copy_kbps 4096"
t_eq "c: table" "$(dm_table ml)" "0 $S mirrorlive $SRC 0 $DST 0 4 region_size 128 max_copy_kbps 4096"
sleep 1    # settle
rate_window 5
within 25 "$RATE" 4096 "c: copy rate within 25% of 4096 KiB/s"
t_ok "c: remove ml" dm_remove ml

finish
