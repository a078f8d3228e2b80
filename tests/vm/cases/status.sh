#!/bin/sh
# The status line (Documentation/interface.rst, section 2.1), field by field:
#   <phase> <copied>/<total> <mirrored_writes> <dest_errors> <source_errors>
#   <zero_regions> <max_copy_kbps> <reason> <dirty_regions>
#   <verify_state> <verified>/<copied_regions> <mismatched> <repaired>
#   <min_copy_kbps> <yielding>
# (a verify pass: tests/vm/cases/verify.sh)
# (a mirror with a metadata device: tests/vm/cases/metadata.sh)
# timeout: 240
. /tests/lib.sh
setup

t_ok "brd: 2 x 64 MiB" brd_setup 2 64
S=$(dev_sectors /dev/ram0)

# check_fields [--inactive] NAME DESC WANT...: compare the 15 fields one by one
FIELDS="phase progress mirrored_writes dest_errors source_errors zero_regions max_copy_kbps reason dirty_regions verify_state verify_progress verify_mismatched verify_repaired min_copy_kbps yielding"
check_fields() {
    _inact=""
    [ "$1" = --inactive ] && { _inact=--inactive; shift; }
    _dev=$1 _what=$2; shift 2
    _st=$(dm_status "$_dev" 1 $_inact)
    diag "$_what: $_st"
    _i=1
    for _f in $FIELDS; do
        t_eq "$_what: $_f" "$(echo "$_st" | cut -d' ' -f$_i)" "$1"
        shift; _i=$((_i + 1))
    done
    t_eq "$_what: 15 fields" "$(echo "$_st" | wc -w)" 15
}

# A freshly constructed table, before resume (the copy starts on resume, so
# the inactive table is the only deterministic "fresh" state).
t_ok "create empty device st" dmsetup create st --notable
t_ok "load a default table" dm_load st "0 $S mirrorlive /dev/ram0 0 /dev/ram1 0"
check_fields --inactive st "fresh" copying "0/$S" 0 0 0 0 0 - - - 0/0 0 0 0 -
t_ok "resume" dmsetup resume st
t_ok "reaches ready" dm_wait_phase st ready 60
check_fields st "ready" ready "$S/$S" 0 0 0 0 0 - - - 0/128 0 0 0 -
t_ok "remove" dm_remove st

# paused: nothing is copied
t_ok "create paused" dm_create st "0 $S mirrorlive /dev/ram0 0 /dev/ram1 0 1 paused"
check_fields st "paused" paused "0/$S" 0 0 0 0 0 - - - 0/0 0 0 0 -
sleep 1
t_eq "paused: still nothing copied after 1 s" "$(dm_status_field st progress)" "0/$S"
t_ok "write 1 MiB through the device" dd if=/dev/zero of=/dev/mapper/st bs=64k count=16 oflag=direct
t_eq "paused: phase after writes" "$(dm_status_field st phase)" paused
t_ok "message resume_copy" dmsetup message st 0 resume_copy
t_ok "resumed copy reaches ready" dm_wait_phase st ready 60
t_eq "ready: progress" "$(dm_status_field st progress)" "$S/$S"
t_ok "remove" dm_remove st

# max_copy_kbps echoed in the status, changed live by message
t_ok "create with max_copy_kbps 1000, paused" \
    dm_create st "0 $S mirrorlive /dev/ram0 0 /dev/ram1 0 3 max_copy_kbps 1000 paused"
check_fields st "throttled" paused "0/$S" 0 0 0 0 1000 - - - 0/0 0 0 0 -
t_ok "message max_copy_kbps 2000" dmsetup message st 0 max_copy_kbps 2000
t_eq "max_copy_kbps after message" "$(dm_status_field st max_copy_kbps)" 2000
t_fail "message max_copy_kbps x refused" dmsetup message st 0 max_copy_kbps x
t_fail "unknown message refused" dmsetup message st 0 frobnicate
t_eq "status unchanged by bad messages" "$(dm_status st)" "paused 0/$S 0 0 0 0 2000 - - - 0/0 0 0 0 -"
t_ok "remove" dm_remove st

# nosync: ready at once, nothing to copy
t_ok "create nosync" dm_create st "0 $S mirrorlive /dev/ram0 0 /dev/ram1 0 1 nosync"
check_fields st "nosync" ready "$S/$S" 0 0 0 0 0 - - - 0/128 0 0 0 -
t_ok "remove" dm_remove st

# totals are the target length, also when not a multiple of the region
for len in 1000 8 1024 1025 131071; do
    t_ok "create paused, length $len" dm_create st "0 $len mirrorlive /dev/ram0 0 /dev/ram1 0 1 paused"
    t_eq "length $len: paused progress" "$(dm_status_field st progress)" "0/$len"
    t_ok "length $len: resume_copy" dmsetup message st 0 resume_copy
    t_ok "length $len: reaches ready" dm_wait_phase st ready 60
    t_eq "length $len: ready progress" "$(dm_status_field st progress)" "$len/$len"
    t_ok "remove" dm_remove st
    t_ok "create nosync, length $len" dm_create st "0 $len mirrorlive /dev/ram0 0 /dev/ram1 0 1 nosync"
    t_eq "length $len: nosync progress" "$(dm_status_field st progress)" "$len/$len"
    t_ok "remove" dm_remove st
done

# a mirrorlive segment that does not start at sector 0 of the device
t_ok "create linear + mirrorlive segments" dm_create st "0 1000 linear /dev/ram0 0
1000 3000 mirrorlive /dev/ram0 1000 /dev/ram1 0 1 paused"
t_eq "second segment: phase/progress" "$(dm_status_field st phase 2) $(dm_status_field st progress 2)" "paused 0/3000"
t_ok "remove" dm_remove st

finish
