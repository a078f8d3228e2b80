#!/bin/sh
# "nosync" and "dest_zeroed" are promises about the destination, and a
# reloaded table must not make them after they stopped being true
# (Documentation/dm-mirrorlive.rst, "Reloading a mirror"):
#   A  a nosync mirror whose destination failed, destination restored, the
#      printed table loaded back: no nosync in it, the reload copies, and
#      once ready the destination equals the source;
#   B  the same with the line as it was first loaded (nosync included):
#      the instance it replaces failed, so the promise is not kept;
#   C  a dest_zeroed mirror: data mirrored onto the destination, the
#      destination fails, the source's copy of that data is zeroed, the
#      printed table loaded back: no dest_zeroed, and the zeroes reach
#      the destination;
#   D  a healthy nosync mirror that mirrored writes: the printed table no
#      longer says nosync, and an identical reload still takes over its
#      progress (ready at once, nothing copied again).
# The destination sits behind its own dm device ("mld"), swapped to
# "error" to fail it and back to linear to restore it.
# timeout: 180
. /tests/lib.sh
setup

t_ok "brd: 2 x 32 MiB" brd_setup 2 32
S=$(dev_sectors /dev/ram0)
LIN1="0 $S linear /dev/ram1 0"

# fresh: both legs zeroes, mld = linear over ram1
fresh() {
    dm_remove ml 2>/dev/null
    dm_remove mld 2>/dev/null
    zero_dev /dev/ram0 /dev/ram1 && dm_create mld "$LIN1"
}
# fail_dest TAG: turn mld to error, make writes fail the mirror, restore it
fail_dest() {
    t_ok "$1: destination to error" swap_table mld "0 $S error"
    t_ok "$1: 64 writes" fio_write /dev/mapper/ml 2 --number_ios=64 --size=$((16 << 20))
    t_eq "$1: failed" "$(ml_phase ml) $(dm_status_field ml reason)" "failed dest_write_error"
    t_ok "$1: destination restored" swap_table mld "$LIN1"
}
# reload_back TAG TABLE [GEN]: load TABLE into ml, wait for ready; the
# destination equals the source (and holds generation GEN's writes)
reload_back() {
    t_ok "$1: load it back" swap_table ml "$2"
    t_ok "$1: ready" dm_wait_phase ml ready 60
    t_eq "$1: no errors" "$(ml_errs ml)" "ready 0 0 -"
    t_ok "$1: destination equals the source" same_content /dev/ram0 /dev/ram1
    [ -z "${3:-}" ] || t_ok "$1: destination holds generation $3" fio_verify /dev/ram1 "$3"
}

# A
t_ok "A: legs" fresh
LINE="0 $S mirrorlive /dev/ram0 0 /dev/mapper/mld 0 1 nosync"
t_ok "A: nosync mirror" dm_create ml "$LINE"
t_eq "A: ready" "$(ml_phase ml)" ready
fail_dest A
T=$(dmsetup table ml)
diag "A: table $T"
t_like "A: the printed table has no nosync" "$T" '^0 [0-9]+ mirrorlive [0-9:]+ 0 [0-9:]+ 0$'
reload_back A "$T" 2

# B
t_ok "B: legs" fresh
t_ok "B: nosync mirror" dm_create ml "$LINE"
fail_dest B
reload_back B "$LINE" 2
t_like "B: the kernel says why" "$(dmesg | tail -n 20)" "ignoring nosync"

# C
t_ok "C: legs" fresh
t_ok "C: dest_zeroed mirror" dm_create ml \
    "0 $S mirrorlive /dev/ram0 0 /dev/mapper/mld 0 1 dest_zeroed"
t_ok "C: ready" dm_wait_phase ml ready 60
t_ok "C: data mirrored onto both legs" fio_write /dev/mapper/ml 1 --size=$((8 << 20))
fail_dest C
t_ok "C: the source's first 8 MiB zeroed behind the mirror's back" \
    dd if=/dev/zero of=/dev/ram0 bs=1M count=8 oflag=direct
T=$(dmsetup table ml)
diag "C: table $T"
t_like "C: the printed table has no dest_zeroed" "$T" '^0 [0-9]+ mirrorlive [0-9:]+ 0 [0-9:]+ 0$'
reload_back C "$T"
t_ok "C: the zeroes reached the destination" is_zero /dev/ram1 0 16384

# D
t_ok "D: legs" fresh
t_ok "D: nosync mirror" dm_create ml "$LINE"
t_ok "D: writes" fio_write /dev/mapper/ml 2 --number_ios=64 --size=$((16 << 20))
T=$(dmsetup table ml)
diag "D: table $T"
t_like "D: the printed table has no nosync" "$T" '^0 [0-9]+ mirrorlive [0-9:]+ 0 [0-9:]+ 0$'
t_ok "D: identical reload" swap_table ml "$T"
t_eq "D: ready at once, nothing lost" "$(ml_phase ml) $(ml_copied ml)/$(ml_total ml)" "ready $S/$S"
t_eq "D: no errors" "$(ml_errs ml)" "ready 0 0 -"
t_ok "D: destination holds generation 2" fio_verify /dev/ram1 2
t_ok "D: destination equals the source" same_content /dev/ram0 /dev/ram1

t_ok "remove ml" dm_remove ml
t_ok "remove mld" dm_remove mld
finish
