#!/bin/sh
# A copy that yields to the guest (Documentation/interface.rst, feature and
# message min_copy_kbps, status fields 14 and 15, section 6.14):
#   a  the feature in the table and the status; a guest that is quiet gets
#      no yielding ("n"), the field is "-" without the feature.
#   b  under a guest writer (fio, randwrite 4k): the status says "y" and the
#      copy runs at the minimum rate, not more (measured over a window) and
#      not less; once the writer stops the copy goes at full speed: ready
#      long before the minimum rate would get there, destination == source,
#      and the writer's data verifies on the destination.
#   c  min_copy_kbps 0 by message under the same writer: no yielding, the
#      copy reaches ready while the guest still writes; a bad value is
#      refused and changes nothing; max_copy_kbps below the minimum wins.
#   d  mirrorctl start --min-rate, status, set-rate --min-rate.
# timeout: 240
. /tests/lib.sh
setup

t_ok "brd: 2 x 256 MiB" brd_setup 2 256
S=$(dev_sectors /dev/ram0)
SRC=$(devno /dev/ram0) DST=$(devno /dev/ram1)
t_ok "source: random data (first 64 MiB)" dd if=/dev/urandom of=/dev/ram0 bs=1M count=64 status=none

# copied_over SECONDS: COPIED = sectors copied over an observation window
copied_over() {
    _c0=$(ml_copied ml)
    sleep "$1"
    COPIED=$(($(ml_copied ml) - _c0))
    diag "copied $COPIED sectors in $1 s ($(ml_fields ml phase min_copy_kbps yielding))"
}

# ================= a: the feature =================
t_ok "a: mirror, paused, min_copy_kbps 1024" \
    dm_create ml "0 $S mirrorlive /dev/ram0 0 /dev/ram1 0 3 paused min_copy_kbps 1024"
t_eq "a: table" "$(dm_table ml)" "0 $S mirrorlive $SRC 0 $DST 0 3 paused min_copy_kbps 1024"
t_eq "a: fields 14 and 15, guest quiet" "$(ml_fields ml min_copy_kbps yielding)" "1024 n"
t_ok "a: remove ml" dm_remove ml
t_ok "a: mirror without the feature" dm_create ml "0 $S mirrorlive /dev/ram0 0 /dev/ram1 0 1 paused"
t_ok "a: a guest write" dd if=/dev/zero of=/dev/mapper/ml bs=4k count=1 oflag=direct status=none
t_eq "a: fields 14 and 15 without the feature" "$(ml_fields ml min_copy_kbps yielding)" "0 -"
t_ok "a: remove ml" dm_remove ml

# ================= b: yielding under a writer =================
# 1 MiB/s: 2048 sectors a second, regions of 512 KiB (1024 sectors).
t_ok "b: mirror, paused, min_copy_kbps 1024" \
    dm_create ml "0 $S mirrorlive /dev/ram0 0 /dev/ram1 0 3 paused min_copy_kbps 1024"
t_ok "b: writer (randwrite 4k, QD 1, 200 IOPS) over the first 16 MiB" \
    fio_write_bg /dev/mapper/ml 1 --size=16m --iodepth=1 --rate_iops=200 \
    --time_based --runtime=600
t_ok "b: resume_copy" dmsetup message ml 0 resume_copy
t_eq "b: yielding while the guest writes" "$(dm_status_field ml yielding)" y
sleep 1    # settle: the first region may have gone before the writer was seen
copied_over 4
t_num "b: at least the minimum rate over 4 s (>= 3 MiB)" "$COPIED" -ge 6144
t_num "b: not more than it, with one region's burst (<= 6 MiB)" "$COPIED" -le 12288
t_eq "b: still copying" "$(ml_phase ml)" copying
t_ok "b: stop the writer" fio_stop 1
t0=$(ms_now)
t_ok "b: the quiet guest gets the full rate: ready" dm_wait_phase ml ready 120
# the minimum rate would need 256 s for the rest
t_num "b: ... in under 60 s" $(($(ms_now) - t0)) -lt 60000
t_eq "b: not yielding once quiet" "$(dm_status_field ml yielding)" n
t_ok "b: destination == source" same_content /dev/ram0 /dev/ram1 "$S"
t_ok "b: the writer's data on the destination" fio_verify /dev/ram1 1
t_ok "b: remove ml" dm_remove ml

# ================= c: switched off, bad values, a lower limit =================
t_ok "c: mirror, paused, min_copy_kbps 1024" \
    dm_create ml "0 $S mirrorlive /dev/ram0 0 /dev/ram1 0 3 paused min_copy_kbps 1024"
t_fail "c: min_copy_kbps x refused" dmsetup message ml 0 min_copy_kbps x
t_fail "c: min_copy_kbps 4294967296 refused" dmsetup message ml 0 min_copy_kbps 4294967296
t_fail "c: min_copy_kbps without a value refused" dmsetup message ml 0 min_copy_kbps
t_eq "c: field 14 unchanged" "$(dm_status_field ml min_copy_kbps)" 1024
t_ok "c: writer" fio_write_bg /dev/mapper/ml 2 --size=16m --iodepth=1 \
    --rate_iops=200 --time_based --runtime=600
t_ok "c: max_copy_kbps 512 below the minimum" dmsetup message ml 0 max_copy_kbps 512
t_ok "c: resume_copy" dmsetup message ml 0 resume_copy
sleep 1    # settle
copied_over 4
t_num "c: the lower limit wins (<= 2 MiB + a region over 4 s)" "$COPIED" -le 5120
t_ok "c: max_copy_kbps 0" dmsetup message ml 0 max_copy_kbps 0
t_ok "c: min_copy_kbps 0 under the writer" dmsetup message ml 0 min_copy_kbps 0
t_eq "c: fields 14 and 15" "$(ml_fields ml min_copy_kbps yielding)" "0 -"
t_eq "c: table without it" "$(dm_table ml)" "0 $S mirrorlive $SRC 0 $DST 0"
t_ok "c: ready while the guest writes" dm_wait_phase ml ready 120
t_ok "c: the writer was still running" fio_running 2
t_ok "c: stop the writer" fio_stop 2
t_ok "c: destination == source" same_content /dev/ram0 /dev/ram1 "$S"
t_ok "c: remove ml" dm_remove ml

# ================= d: mirrorctl =================
t_ok "d: linear vm" dm_create vm "0 $S linear /dev/ram0 0"
mctl_rc 2 "d: --min-rate without a unit is a usage error" start vm /dev/ram1 --min-rate 10
mctl_rc 0 "d: start --paused --min-rate 1M" start vm /dev/ram1 --paused --min-rate 1M
t_eq "d: table" "$(dm_table vm)" "0 $S mirrorlive $SRC 0 $DST 0 3 paused min_copy_kbps 1024"
mctl_rc 0 "d: status" status vm
t_like "d: status shows the minimum" "$(cat "$T_TMP/out")" 'min copy rate: +1\.0 MiB/s, guest quiet'
mctl_rc 0 "d: status --json" status vm --json
t_like "d: JSON min_copy_bytes_per_sec" "$(cat "$T_TMP/out")" '"min_copy_bytes_per_sec":1048576,"yielding":false'
mctl_rc 0 "d: set-rate vm 100M --min-rate 2M" set-rate vm 100M --min-rate 2M
t_eq "d: table after set-rate" "$(dm_table vm)" "0 $S mirrorlive $SRC 0 $DST 0 5 max_copy_kbps 102400 paused min_copy_kbps 2048"
mctl_rc 0 "d: set-rate vm 0 --min-rate 0" set-rate vm 0 --min-rate 0
t_eq "d: table after set-rate 0" "$(dm_table vm)" "0 $S mirrorlive $SRC 0 $DST 0 1 paused"
mctl_rc 0 "d: cancel" cancel vm
t_eq "d: back on the source" "$(dm_table vm)" "0 $S linear $SRC 0"
t_ok "d: remove vm" dm_remove vm

finish
