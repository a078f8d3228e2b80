#!/bin/sh
# Static copy, then pivot ("complete"), with no writer: the device starts as
# linear(source), its table is swapped to mirrorlive(source, dest), the copy
# runs to ready, and the table is swapped to linear(dest).  The destination
# is pre-filled with 0xff so that a region the copy skipped, or a copy that
# wrote past the end of the mapping, shows.  Checked on the raw destination
# (O_DIRECT compare, fio pattern verify, sequential read-verify of every
# block) and through the pivoted device.  Three geometries:
#   A. whole 16 MiB disk, default region size (1024 sectors)
#   B. odd length (25001 sectors): last region partial (425 sectors) and
#      the last 4 KiB block partial
#   C. region_size 128, odd length 15003 (last region 27 sectors), source
#      offset 3072, destination offset 777 (not 4 KiB aligned)
# (Sizes are small because an O_DIRECT md5 compare runs at ~10 MB/s under
# TCG.)
# timeout: 150
. /tests/lib.sh
setup

# ---- helpers local to this case (candidates for lib.sh) ----

# is_ff DEV START COUNT: COUNT sectors from START read as 0xff (O_DIRECT);
# also fails when fewer bytes than asked could be read.
is_ff() {
    _all=$(dd if="$1" iflag=direct,skip_bytes,count_bytes bs=1M skip=$(($2 * 512)) \
        count=$(($3 * 512)) 2>/dev/null | wc -c)
    _n=$(dd if="$1" iflag=direct,skip_bytes,count_bytes bs=1M skip=$(($2 * 512)) \
        count=$(($3 * 512)) 2>/dev/null | tr -d '\377' | wc -c)
    echo "is_ff $1 $2+$3: read $_all bytes, $_n not 0xff"
    [ "$_all" -eq $(($3 * 512)) ] && [ "$_n" -eq 0 ]
}

# same_range A B START COUNT: sectors START..START+COUNT-1 of A and B are
# equal (O_DIRECT reads; same_content of lib.sh compares from sector 0).
same_range() {
    _a=$(dd if="$1" iflag=direct,skip_bytes,count_bytes bs=1M skip=$(($3 * 512)) \
        count=$(($4 * 512)) 2>/dev/null | md5sum | cut -d' ' -f1)
    _b=$(dd if="$2" iflag=direct,skip_bytes,count_bytes bs=1M skip=$(($3 * 512)) \
        count=$(($4 * 512)) 2>/dev/null | md5sum | cut -d' ' -f1)
    echo "same_range $1 $2 $3+$4: $_a $_b"
    [ "$_a" = "$_b" ]
}

t_ok "brd: 2 x 16 MiB" brd_setup 2 16
S=$(dev_sectors /dev/ram0)
SRC=$(devno /dev/ram0)
DST=$(devno /dev/ram1)

# ---------------------------------------------------------------- A ---
diag "A: whole disk, default region size"
t_ok "A: destination filled with 0xff" fill_ff /dev/ram1
t_ok "A: create ml = linear(source)" dm_create ml "0 $S linear /dev/ram0 0"
t_ok "A: gen 1 through linear ml (every block)" fio_write /dev/mapper/ml 1
t_fail "A: destination differs before the copy (the compare can fail)" \
    same_content /dev/ram0 /dev/ram1 2048
t_ok "A: start: swap to mirrorlive" swap_table ml "0 $S mirrorlive /dev/ram0 0 /dev/ram1 0"
t_eq "A: table is mirrorlive" "$(dm_table ml)" "0 $S mirrorlive $SRC 0 $DST 0"
t_ok "A: copy reaches ready" dm_wait_phase ml ready 60
t_eq "A: status in ready" "$(dm_status ml)" "ready $S/$S 0 0 0 0 0 - - - 0/32 0 0 0 -"
t_ok "A: complete: swap to linear(dest)" swap_table ml "0 $S linear /dev/ram1 0"
t_eq "A: table is linear over the destination" "$(dm_table ml)" "0 $S linear $DST 0"
t_ok "A: source released by the old table" no_holders /dev/ram0
t_ok "A: raw destination == source" same_content /dev/ram0 /dev/ram1
t_ok "A: gen 1 verifies through the pivoted device" fio_verify /dev/mapper/ml 1
t_ok "A: gen 1 verifies on the raw destination" fio_verify /dev/ram1 1
t_ok "A: every block of the raw destination holds gen 1" fio_readverify /dev/ram1 1
t_ok "A: remove ml" dm_remove ml

# ---------------------------------------------------------------- B ---
# 25001 = 24 * 1024 + 425: the last region is partial; beyond it the
# destination must keep its 0xff.  fio covers the 3125 whole 4 KiB blocks;
# the last sector still holds gen 1 from A, which the copy must carry too.
L=25001
diag "B: length $L, default region size, last region $((L % 1024)) sectors"
t_ok "B: destination filled with 0xff" fill_ff /dev/ram1
t_ok "B: create ml = linear(source), $L sectors" dm_create ml "0 $L linear /dev/ram0 0"
t_ok "B: gen 2 through linear ml" fio_write /dev/mapper/ml 2
t_ok "B: start: swap to mirrorlive" swap_table ml "0 $L mirrorlive /dev/ram0 0 /dev/ram1 0"
t_ok "B: copy reaches ready" dm_wait_phase ml ready 60
t_eq "B: progress in ready" "$(dm_status_field ml progress)" "$L/$L"
t_ok "B: complete: swap to linear(dest)" swap_table ml "0 $L linear /dev/ram1 0"
t_eq "B: table is linear over the destination" "$(dm_table ml)" "0 $L linear $DST 0"
t_ok "B: raw destination == source over $L sectors" same_content /dev/ram0 /dev/ram1 $L
t_ok "B: last (partial) region through the pivoted device == source" \
    same_range /dev/mapper/ml /dev/ram0 $((L / 1024 * 1024)) $((L % 1024))
t_ok "B: destination beyond the mapping still 0xff" is_ff /dev/ram1 $L $((S - L))
t_ok "B: gen 2 verifies through the pivoted device" fio_verify /dev/mapper/ml 2
t_ok "B: gen 2 verifies on the raw destination" fio_verify /dev/ram1 2
t_ok "B: every block of the pivoted device holds gen 2" fio_readverify /dev/mapper/ml 2
t_ok "B: remove ml" dm_remove ml

# ---------------------------------------------------------------- C ---
# 15003 = 117 * 128 + 27 with 64 KiB regions, source window at 3072,
# destination window at 777: checked through read-only views.
L=15003 SOFF=3072 DOFF=777
diag "C: length $L, region_size 128 (last region $((L % 128))), offsets $SOFF -> $DOFF"
t_ok "C: destination filled with 0xff" fill_ff /dev/ram1
t_ok "C: create ml = linear(source at $SOFF)" dm_create ml "0 $L linear /dev/ram0 $SOFF"
t_ok "C: gen 3 through linear ml" fio_write /dev/mapper/ml 3
t_ok "C: start: swap to mirrorlive" \
    swap_table ml "0 $L mirrorlive /dev/ram0 $SOFF /dev/ram1 $DOFF 2 region_size 128"
t_eq "C: table is mirrorlive" "$(dm_table ml)" \
    "0 $L mirrorlive $SRC $SOFF $DST $DOFF 2 region_size 128"
t_ok "C: copy reaches ready" dm_wait_phase ml ready 60
t_eq "C: status in ready" "$(dm_status ml)" "ready $L/$L 0 0 0 0 0 - - - 0/118 0 0 0 -"
t_ok "C: complete: swap to linear(dest at $DOFF)" swap_table ml "0 $L linear /dev/ram1 $DOFF"
t_eq "C: table is linear over the destination" "$(dm_table ml)" "0 $L linear $DST $DOFF"
t_ok "C: view of the source window" dm_view vsrc /dev/ram0 $SOFF $L
t_ok "C: view of the destination window" dm_view vdst /dev/ram1 $DOFF $L
t_ok "C: destination window == source window" same_content /dev/mapper/vsrc /dev/mapper/vdst
t_ok "C: last (partial) region through the pivoted device == source" \
    same_range /dev/mapper/ml /dev/mapper/vsrc $((L / 128 * 128)) $((L % 128))
t_ok "C: destination before the window still 0xff" is_ff /dev/ram1 0 $DOFF
t_ok "C: destination after the window still 0xff" is_ff /dev/ram1 $((DOFF + L)) $((S - DOFF - L))
t_ok "C: gen 3 verifies through the pivoted device" fio_verify /dev/mapper/ml 3
t_ok "C: gen 3 verifies on the destination window" fio_verify /dev/mapper/vdst 3
t_ok "C: every block of the destination window holds gen 3" fio_readverify /dev/mapper/vdst 3
t_ok "C: remove views" sh -c "dmsetup remove vsrc && dmsetup remove vdst"
t_ok "C: remove ml" dm_remove ml

finish
