#!/bin/sh
# Suspend/resume and table reloads of a live mirror under a writer
# (Documentation/interface.rst, invariants 7 and 11, status field 2; the target
# hands the copied bitmap over to a reloaded table of the same geometry):
#   rounds 1-3, each: (a) suspend + resume, (b) reload of the identical
#   table (dmsetup table | dmsetup load), (c) reload with another
#   max_copy_kbps.  Every step: the progress read after the resume is >=
#   the progress read while suspended >= the progress read before; the
#   phase goes on (copying, or ready if the copy happened to end).
#   Then: a rate set by message survives an identical reload (the table
#   line re-emits the current rate); an identical reload of a mirror
#   paused by message stays paused; a reload that changes region_size
#   does not inherit: the copy starts over (what the target does, asserted
#   as such); an identical reload in ready is ready at once.  Last, a
#   mirror created "paused" and resumed by message keeps copying across
#   an identical reload.
#   At the end, with the writer stopped: gen 2 verifies on the raw
#   destination and destination == source.
# The destination is a dm-delay device (writes +100 ms), so that region
# copies hold their lock long enough for writes to be deferred on them,
# and every suspend has copies and deferred writes to drain.
# timeout: 150
. /tests/lib.sh
setup

# ---- helpers local to this case (candidates for lib.sh) ----

copied_some() { [ "$(ml_copied ml)" -gt 0 ]; }


# swap_step DESC [TABLE] [--restart]: suspend + resume ml, loading TABLE
# first if given (TABLE "-" = the live table, as "dmsetup table ml |
# dmsetup load ml").  Records copied before (STEP_B), while suspended
# (STEP_S) and after the resume (STEP_A), and the phase before (STEP_PB)
# and after (STEP_PH).  Asserts that progress did not go backwards (across
# the resume only without --restart) and that the phase goes on: the same
# as before, or ready when it was copying.
swap_step() {
    _desc=$1
    STEP_B=$(ml_copied ml)
    STEP_PB=$(ml_phase ml)
    if [ "${2:-}" = - ]; then
        t_ok "$_desc: reload the live table" sh -c "dmsetup table ml | dmsetup load ml"
    elif [ -n "${2:-}" ]; then
        t_ok "$_desc: load" dm_load ml "$2"
    fi
    t_ok "$_desc: suspend" dmsetup suspend ml
    STEP_S=$(ml_copied ml)
    t_ok "$_desc: resume" dmsetup resume ml
    STEP_A=$(ml_copied ml)
    STEP_PH=$(ml_phase ml)
    diag "$_desc: copied before $STEP_B, suspended $STEP_S, after resume $STEP_A; phase $STEP_PB -> $STEP_PH"
    t_num "$_desc: progress not lost while suspended" "$STEP_S" -ge "$STEP_B"
    if [ "${3:-}" != --restart ]; then
        t_num "$_desc: progress kept across the resume" "$STEP_A" -ge "$STEP_S"
    fi
    _want=$STEP_PB
    [ "$STEP_PB" = copying ] && [ "$STEP_PH" = ready ] && _want=ready
    t_eq "$_desc: phase goes on ($STEP_PB)" "$STEP_PH" "$_want"
}

t_ok "brd: 2 x 32 MiB" brd_setup 2 32
S=$(dev_sectors /dev/ram0)
t_ok "dm-delay over the destination, writes +100 ms" \
    dm_create dly "0 $S delay /dev/ram1 0 0 /dev/ram1 0 100"
SRC=$(devno /dev/ram0)
DST=$(devno /dev/mapper/dly)
ML="0 $S mirrorlive $SRC 0 $DST 0"

t_ok "source: gen 1 on every block" fio_write /dev/ram0 1
# Slow rates (256-512 KiB/s, 1/4 of the 32 MiB per 16-32 s) keep the copy
# going through every step below even on a debug kernel, where each step
# takes seconds.
t_ok "create ml, max_copy_kbps 256" dm_create ml "$ML 2 max_copy_kbps 256"
fio_write_bg /dev/mapper/ml 2 --time_based --runtime=600
t_ok "gen 2 writer running" fio_running 2

# ------------------------------------------------- rounds 1..3 ---
for r in 1 2 3; do
    swap_step "round $r (a) suspend/resume"
    T=$(dm_table ml)
    swap_step "round $r (b) identical reload" -
    t_eq "round $r (b): table unchanged" "$(dm_table ml)" "$T"
    K=$((256 * (r % 2 + 1)))
    swap_step "round $r (c) reload, max_copy_kbps $K" "$ML 2 max_copy_kbps $K"
    t_eq "round $r (c): max_copy_kbps in the status" "$(dm_status_field ml max_copy_kbps)" "$K"
done
t_eq "still copying after the rounds" "$(ml_phase ml)" copying
t_ok "writer still running" fio_running 2

# ---------------------- rate set by message survives an identical reload
t_ok "message max_copy_kbps 384" dmsetup message ml 0 max_copy_kbps 384
swap_step "reload after a rate message" -
t_eq "rate set by message kept by the reload" "$(dm_status_field ml max_copy_kbps)" 384

# ------------------------------------ identical reload of a paused mirror
# The phase must go on across an identical reload: a mirror paused by
# message stays paused.  (The table line re-emits the current rate but only
# the constructor's "paused" flag, so a reload may lose the pause.)
t_ok "message pause_copy" dmsetup message ml 0 pause_copy
t_eq "phase paused" "$(ml_phase ml)" paused
diag "table line of the paused mirror: $(dm_table ml)"
swap_step "reload while paused" -
[ "$STEP_PH" = paused ] && dmsetup message ml 0 resume_copy
t_eq "copying again" "$(ml_phase ml)" copying

# ------------------------------------------- reload changing region_size
# The reset shows only if something was copied before: every reload above
# restarts the rate limit's bucket, and a 512 KiB region needs 1.3 s of it
# at 384 KiB/s, so the steps may have copied nothing yet; wait for a region.
t_ok "some progress before the region_size change" wait_until 60 copied_some
# 128 KiB/s: one 1 MiB region per 8 s, so the status read after the resume
# sees at most the first region even when each step takes seconds
swap_step "reload with region_size 2048" "$ML 4 region_size 2048 max_copy_kbps 128" --restart
diag "region_size 1024 -> 2048: copied $STEP_S before, $STEP_A after"
t_num "region_size change: the copy starts over (copied reset)" "$STEP_A" -lt "$STEP_S"
t_num "region_size change: progress only from the new copy (<= 1 region)" "$STEP_A" -le 2048
t_eq "region_size change: table" "$(dm_table ml)" "$ML 4 region_size 2048 max_copy_kbps 128"

# --------------------------------------------------------- to ready
t_ok "unthrottle" dmsetup message ml 0 max_copy_kbps 0
t_ok "copy reaches ready under writes" dm_wait_phase ml ready 60
swap_step "identical reload in ready" -
t_eq "identical reload in ready: ready at once, all copied" "$(dm_status_field ml phase) $(dm_status_field ml progress)" "ready $S/$S"
t_ok "writer still running" fio_running 2
sleep 1   # mirrored writes through the reloaded table
t_ok "stop gen 2 writer" fio_stop 2
t_eq "errors and reason" "$(dm_status_field ml dest_errors) $(dm_status_field ml source_errors) $(dm_status_field ml reason)" "0 0 -"
t_ok "gen 2 verifies on the raw destination" fio_verify /dev/ram1 2
t_ok "gen 2 verifies on the raw source" fio_verify /dev/ram0 2
t_ok "destination == source" same_content /dev/ram0 /dev/ram1
t_ok "remove ml" dm_remove ml

# ------------- created paused, resumed by message, then identical reload
# The converse: the table line of a mirror created with "paused" keeps
# "paused" after resume_copy, so an identical reload must not pause it
# again (the phase goes on: copying).
PL=16384   # 8 MiB: this part checks the phase, the data check stays cheap
t_ok "P: zero the destination's first 8 MiB" \
    dd if=/dev/zero of=/dev/ram1 bs=1M count=8 oflag=direct
t_ok "P: create ml paused, 8 MiB, max_copy_kbps 1024" \
    dm_create ml "0 $PL mirrorlive $SRC 0 $DST 0 3 max_copy_kbps 1024 paused"
t_eq "P: phase paused" "$(ml_phase ml)" paused
t_ok "P: message resume_copy" dmsetup message ml 0 resume_copy
t_eq "P: phase copying" "$(ml_phase ml)" copying
diag "P: table line of the resumed mirror: $(dm_table ml)"
swap_step "P: identical reload of the resumed mirror" -
[ "$STEP_PH" = paused ] && dmsetup message ml 0 resume_copy
t_ok "P: unthrottle" dmsetup message ml 0 max_copy_kbps 0
t_ok "P: copy reaches ready" dm_wait_phase ml ready 60
t_ok "P: destination == source (8 MiB)" same_content /dev/ram0 /dev/ram1 $PL
t_ok "P: remove ml" dm_remove ml
t_ok "remove dly" dm_remove dly

finish
