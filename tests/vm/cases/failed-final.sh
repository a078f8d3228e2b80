#!/bin/sh
# "failed" is final, and status says why (Documentation/design.md, section 4
# and "Failure" in section 5):
#   - a mirror whose destination failed mid-copy makes no more progress,
#     whatever follows: resume_copy, pause_copy, max_copy_kbps, suspend and
#     resume, even with the destination working again and the copy at full
#     speed; its status, read in a tight loop while it fails, never shows
#     "failed" without its reason;
#   - each mirror's workqueue is named after its device: one
#     kmirrorlived/<major:minor> rescuer thread per mirror.
# timeout: 150
. /tests/lib.sh
setup

t_ok "brd: 2 x 64 MiB" brd_setup 2 64
S=$(dev_sectors /dev/ram0)
LIN1="0 $S linear /dev/ram1 0"
t_ok "destination behind mld" dm_create mld "$LIN1"
t_ok "mirror at 2 MiB/s, 64 KiB regions" dm_create ml \
    "0 $S mirrorlive /dev/ram0 0 /dev/mapper/mld 0 4 region_size 128 max_copy_kbps 2048"

# Workqueue names.  The rescuer thread is "kmirrorlived/<dev>" in 6.1,
# whose /proc/PID/comm holds 15 characters (so 254:1 and 254:2 both read
# "kmirrorlived/25"), and "kworker/R-kmirrorlived/<dev>" in full in 6.12.
mm=$(dmsetup info -c --noheadings -o major,minor --separator : ml | tr -d ' ')
t_ok "a second mirror" dm_create ml2 "0 2048 mirrorlive /dev/ram0 0 /dev/ram1 0 1 nosync"
want61=$(printf 'kmirrorlived/%s' "$mm" | cut -c1-15)
cat /proc/[0-9]*/comm 2>/dev/null | grep 'kmirrorlived' > "$T_TMP/comm"
diag "threads: $(tr '\n' ' ' < "$T_TMP/comm")"
t_num "ml's rescuer thread is named after it ($mm)" \
    "$(grep -cx -e "$want61" -e "kworker/R-kmirrorlived/$mm" "$T_TMP/comm")" -ge 1
# Only the rescuers count: in 6.12 a pool kworker running one of the
# mirror's work items reads "kworker/0:0-kmirrorlived/<dev>" meanwhile.
t_eq "one kmirrorlived/ thread per mirror" \
    "$(grep -c -e '^kmirrorlived/' -e '^kworker/R-kmirrorlived/' "$T_TMP/comm")" 2
t_ok "remove the second mirror" dm_remove ml2

copied_some() { [ "$(ml_copied ml)" -gt 0 ]; }
t_ok "the copy is under way" wait_until 30 copied_some

# status readers while the destination fails
( while :; do dmsetup status ml; done ) > "$T_TMP/statuses" 2>&1 &
reader=$!
t_ok "destination to error" swap_table mld "0 $S error"
t_ok "a write to a copied region" \
    dd if=/dev/zero of=/dev/mapper/ml bs=4096 count=1 oflag=direct
t_eq "failed" "$(ml_phase ml) $(dm_status_field ml reason)" "failed dest_write_error"
kill "$reader"; wait "$reader" 2>/dev/null
n=$(grep -c ' failed ' "$T_TMP/statuses")
diag "status read $(wc -l < "$T_TMP/statuses") times, $n of them failed"
t_eq "no status showed failed without its reason" \
    "$(grep ' failed ' "$T_TMP/statuses" | awk -v r="$ML_F_REASON" '$(r + 3) == "-"' | head -n 3)" ""

C=$(ml_copied ml)
diag "copied when it failed: $C of $S"
t_num "the copy was not done" "$C" -lt "$S"
t_ok "destination working again" swap_table mld "$LIN1"
t_ok "full speed" dmsetup message ml 0 max_copy_kbps 0
t_ok "pause_copy" dmsetup message ml 0 pause_copy
t_ok "resume_copy" dmsetup message ml 0 resume_copy
for i in 1 2 3; do
    t_ok "suspend and resume $i" sh -c "dmsetup suspend ml && dmsetup resume ml"
    t_ok "resume_copy $i" dmsetup message ml 0 resume_copy
done
# Time for a copy that wrongly ran to show: read the whole device through
# the mirror (64 MiB at full speed would copy many regions meanwhile).
t_ok "read the whole mirror" dd if=/dev/mapper/ml of=/dev/null bs=1M iflag=direct
t_eq "no progress after the failure" "$(ml_copied ml)" "$C"
t_eq "still failed, first reason" "$(ml_phase ml) $(dm_status_field ml reason)" "failed dest_write_error"

t_ok "remove ml" dm_remove ml
t_ok "remove mld" dm_remove mld
finish
