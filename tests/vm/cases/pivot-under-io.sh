#!/bin/sh
# Writes during the copy, then pivot ("complete") while the writer still
# runs (Documentation/interface.rst, invariants 1-3 and section 7.4):
#   - the destination is slow: a dm-delay device with a 250 ms write delay
#     over a brd disk, and the copy is throttled so that it takes > 20 s
#     (dm-delay delays each bio, not the throughput: with 8 MiB of copy in
#     flight a delay alone would have to be seconds long);
#   - the device starts as linear(source) and the mirror is started under
#     the writer: fio randwrite, verify=pattern gen 2, on [0, 16 MiB);
#   - a crc32c writer (rate-limited, no wrap-around) on [16, 24 MiB) during
#     the copy; [24, 32 MiB) keeps the source's gen 1;
#   - at ready the table is swapped to linear(dest) while gen 2 still runs,
#     the suspend-to-resume time is printed; gen 2 goes on for 2 s on the
#     destination alone, then stops (SIGINT, state saved);
#   - everything is verified on the raw destination disk, and the source
#     must have received no write after the pivot.
# timeout: 120
. /tests/lib.sh
setup

# ---- helpers local to this case (candidates for lib.sh) ----

# range_md5 DEV START COUNT: md5 of COUNT sectors from START (O_DIRECT).
range_md5() {
    dd if="$1" iflag=direct,skip_bytes,count_bytes bs=1M skip=$(($2 * 512)) \
        count=$(($3 * 512)) 2>/dev/null | md5sum | cut -d' ' -f1
}

DELAY_MS=250
RATE=1536
t_ok "brd: 2 x 32 MiB" brd_setup 2 32
S=$(dev_sectors /dev/ram0)
MIB=2048

t_ok "source: gen 1 on every block" fio_write /dev/ram0 1
t_ok "slow destination: dm-delay, writes +${DELAY_MS} ms" \
    dm_create dly "0 $S delay /dev/ram1 0 0 /dev/ram1 0 $DELAY_MS"
DLY=$(devno /dev/mapper/dly)
t_ok "create ml = linear(source)" dm_create ml "0 $S linear /dev/ram0 0"

fio_write_bg /dev/mapper/ml 2 --offset=0 --size=16m --time_based --runtime=600
t_ok "gen 2 writer running" fio_running 2
fio_crc_write /dev/mapper/ml c1 --offset=16m --size=8m --rate_iops=40 \
    --time_based --runtime=12 > "$T_TMP/crc.log" 2>&1 &
CRC_PID=$!

T0=$(ms_now)
t_ok "start under writes: swap to mirrorlive, max_copy_kbps $RATE" \
    swap_table ml "0 $S mirrorlive /dev/ram0 0 /dev/mapper/dly 0 2 max_copy_kbps $RATE"
t_eq "phase copying" "$(ml_phase ml)" copying
t_ok "copy reaches ready under writes" dm_wait_phase ml ready 90
T1=$(ms_now)
diag "copy took $((T1 - T0)) ms"
t_num "copy took more than 15 s (slow destination in effect)" $((T1 - T0)) -gt 15000
t_ok "gen 2 writer still running at ready" fio_running 2
wait $CRC_PID
CRC_RC=$?
cat "$T_TMP/crc.log" >&2
t_eq "crc32c writer during the copy finished cleanly" "$CRC_RC" 0
t_num "mirrored_writes > 0" "$(dm_status_field ml mirrored_writes)" -gt 0
t_eq "errors and reason before the pivot" \
    "$(dm_status_field ml dest_errors) $(dm_status_field ml source_errors) $(dm_status_field ml reason)" "0 0 -"

# complete while gen 2 runs: the load happens before the suspend, so the
# measured window is what the writer sees blocked
t_ok "load linear(dest)" dm_load ml "0 $S linear /dev/mapper/dly 0"
P0=$(ms_now)
t_ok "suspend (in-flight mirrored writes drain)" dmsetup suspend ml
t_ok "resume with linear(dest)" dmsetup resume ml
P1=$(ms_now)
diag "pivot: suspend-to-resume $((P1 - P0)) ms (destination write delay ${DELAY_MS} ms)"
t_num "pivot suspend-to-resume under 10 s" $((P1 - P0)) -lt 10000
t_eq "table is linear over the destination" "$(dm_table ml)" "0 $S linear $DLY 0"
t_ok "gen 2 writer survived the pivot" fio_running 2
SRC_AT_PIVOT=$(range_md5 /dev/ram0 0 $((16 * MIB)))
sleep 2   # observation window: gen 2 writes to the destination only
t_ok "stop gen 2 writer" fio_stop 2

t_eq "no write reached the source after the pivot" \
    "$(range_md5 /dev/ram0 0 $((16 * MIB)))" "$SRC_AT_PIVOT"
t_ok "gen 2 verifies on the raw destination" fio_verify /dev/ram1 2
t_ok "gen 2 verifies through the pivoted device" fio_verify /dev/mapper/ml 2
t_ok "crc32c pass verifies on the raw destination" fio_crc_verify /dev/ram1 c1
t_ok "gen 1 intact on the raw destination [24, 32 MiB)" \
    fio_readverify /dev/ram1 1 --offset=24m --size=8m
t_eq "raw destination == source on [16, 32 MiB) (not written after the pivot)" \
    "$(range_md5 /dev/ram1 $((16 * MIB)) $((16 * MIB)))" \
    "$(range_md5 /dev/ram0 $((16 * MIB)) $((16 * MIB)))"
t_ok "remove ml" dm_remove ml
t_ok "remove dly" dm_remove dly

finish
