#!/bin/sh
# More malformed table lines and messages, beyond table-errors.sh and
# table.sh (Documentation/interface.rst, sections 1.3 and 4: a bad line "never
# oopses, whatever the input" and gets a precise ti->error; a bad message
# returns -EINVAL "and changes nothing").
#
# Table lines are loaded onto a live, paused mirror "ml": each must be
# refused, with its precise error in the kernel log where the kernel sees
# the line, and leave ml's state unchanged: "dmsetup -v status" (state,
# tables present - so no inactive table -, event number, status) after each
# input, and the live table after each group (only a resume can change it).
# No input may log a warning or oops.  Messages go to a paused, a ready and
# a failed mirror under the same checks.  Then 100 fuzzed lines from a
# seeded generator are created as a new device: refused (and no device
# left) or accepted (status parses, the canonical table loads again); no
# warning either way.
#
# Cost: dmsetup takes 100-150 ms per call under TCG, so each input costs
# one dmsetup call for the input and one for the state.
# timeout: 240
. /tests/lib.sh
setup

t_ok "brd: 3 x 16 MiB" brd_setup 3 16
S=$(dev_sectors /dev/ram0)
SD="/dev/ram0 0 /dev/ram1 0"
ML="0 $S mirrorlive"
mount | grep -q ' /sys/kernel/config ' || mount -t configfs none /sys/kernel/config
t_ok "null_blk module" modprobe null_blk nr_devices=0
# 18 TiB, not memory-backed: room for more than INT_MAX 4 KiB regions
NB=/sys/kernel/config/nullb/nullb0
t_ok "nullb0: 18 TiB null_blk" sh -c "mkdir $NB && echo $((18 * 1024 * 1024)) > $NB/size && echo 1 > $NB/power && test -b /dev/nullb0"
H=$((9 * 1024 * 1024 * 1024 * 2))    # 9 TiB in sectors

t_ok "create ml: paused mirror" dm_create ml "$ML $SD 1 paused"
TB0=$(dmsetup table ml)

# ----------------------------------------------------------- helpers ---
n=0

# _state DEV: state, tables present, event number and status, one call
_state() { dmsetup -v status "$1" 2>&1; }

# _bad_in TEXT: TEXT holds a kernel warning/oops (lib.sh's T_DMESG_BAD)
_bad_in() { printf '%s\n' "$1" | grep -Eq -- "$T_DMESG_BAD"; }

# _mark: a new marker "bad-<n>." in the kernel log
_mark() { n=$((n + 1)); kmsg "bad-$n."; }
# _log: the kernel log since the last marker
_log() { dmesg | sed -n "/mltest: bad-$n\.\$/,\$p"; }

# _check DESC DEV BEFORE KMSG: the checks after a refused input (KMSG:
# fixed string the kernel must have logged since the marker, or empty when
# only dmsetup saw the input)
_check() {
    _l=$(_log)
    case "$_l" in *"mltest: bad-$n."*) ;; *)
        t_notok "$1" "marker bad-$n. not found in the kernel log"; return 1 ;;
    esac
    if [ -n "$4" ]; then
        case "$_l" in *"$4"*) ;; *)
            t_notok "$1" "kernel did not log: $4"
            printf '%s\n' "$_l" | tail -n 4 | while IFS= read -r _x; do diag "dmesg: $_x"; done
            return 1 ;;
        esac
    fi
    if _bad_in "$_l"; then
        t_notok "$1" "kernel warning/oops:" "$_l"
        return 1
    fi
    _after=$(_state "$2")
    if [ "$_after" != "$3" ]; then
        t_notok "$1" "state of $2 changed:" "before: $3" "after:  $_after"
        return 1
    fi
    t_pass "$1"
}

# refused_load DESC TABLE [KMSG]: "dmsetup load ml" of TABLE (one or more
# lines) must fail and change nothing.
ST_ml=$(_state ml)
refused_load() {
    _mark
    if dm_load ml "$2" > "$T_TMP/out" 2>&1; then
        t_notok "refused: $1" "table accepted: $(printf '%s' "$2" | head -c 200)"
        dmsetup clear ml > /dev/null 2>&1
        return 1
    fi
    _check "refused: $1" ml "$ST_ml" "${3:-}"
}

# e MSG: ti->error as dm core logs it for mirrorlive
e() { echo "mirrorlive: $1 (-E"; }

# refused_msg DEV DESC SECTOR WORD...: "dmsetup message DEV SECTOR WORD..."
# must fail and change nothing.
refused_msg() {
    _dev=$1 _desc=$2 _sec=$3; shift 3
    _mark
    _before=$(_state "$_dev")
    if dmsetup message "$_dev" "$_sec" "$@" > "$T_TMP/out" 2>&1; then
        t_notok "$_dev: message refused: $_desc" "message accepted: $(echo "$*" | head -c 200)"
        return 1
    fi
    _check "$_dev: message refused: $_desc" "$_dev" "$_before" ""
}

# noop_msg DEV DESC WORD...: an accepted message that must change nothing
noop_msg() {
    _dev=$1 _desc=$2; shift 2
    _mark
    _before=$(_state "$_dev")
    if ! dmsetup message "$_dev" 0 "$@" > "$T_TMP/out" 2>&1; then
        t_notok "$_dev: no-op message accepted: $_desc" "refused: $(cat "$T_TMP/out")"
        return 1
    fi
    _check "$_dev: no-op message accepted: $_desc" "$_dev" "$_before" ""
}

rep() { awk -v c="$1" -v n="$2" 'BEGIN { while (n-- > 0) printf "%s", c; print "" }'; }
words() { awk -v w="$1" -v n="$2" 'BEGIN { s = w; for (i = 1; i < n; i++) s = s " " w; print s }'; }
TAB=$(printf '\t')
BIN=$(printf '\001\002\377\376')
NBSP=$(printf '\302\240')
LONG4K=$(rep a 4000)
PATH4K="/dev/$(rep a 4091)"
PATH5K="/dev/$(rep b 4995)"

# ============================================ table lines (on ml) ===
# whitespace and escaping, as dmsetup and dm_split_args handle them
refused_load "tabs between words"          "$ML${TAB}/dev/ram0${TAB}0${TAB}/dev/ram1${TAB}0${TAB}1${TAB}bogus" "$(e 'Unknown feature argument')"
refused_load "runs of spaces, trailing"    "$ML   /dev/ram0   0   /dev/ram1  0  2   nosync    paused   " "$(e 'Features nosync and paused conflict')"
refused_load "leading spaces"              "    $ML $SD 1 bogus"                 "$(e 'Unknown feature argument')"
refused_load "escaped space in a feature"  "$ML $SD 1 sparse\\ paused"           "$(e 'Too many arguments')"
refused_load "trailing backslash"          "$ML $SD 1 sparse\\"                  "$(e 'Unknown feature argument')"
# the kernel's isspace() is Latin-1: the 0xa0 of a UTF-8 no-break space splits
refused_load "no-break space"              "$ML $SD 1 sparse${NBSP}paused"       "$(e 'Too many arguments')"
refused_load "semicolon as separator"      "$ML $SD; 1 bogus"                     "$(e 'Invalid destination offset')"
# offsets
refused_load "source offset 1e3"           "$ML /dev/ram0 1e3 /dev/ram1 0"       "$(e 'Invalid source offset')"
refused_load "source offset arabic digit"  "$ML /dev/ram0 ٣ /dev/ram1 0"         "$(e 'Invalid source offset')"
refused_load "source offset 23 digits"     "$ML /dev/ram0 99999999999999999999999 /dev/ram1 0" "$(e 'Invalid source offset')"
refused_load "source offset 0x0"           "$ML /dev/ram0 0x0 /dev/ram1 0"       "$(e 'Invalid source offset')"
refused_load "dest offset -0"              "$ML /dev/ram0 0 /dev/ram1 -0"        "$(e 'Invalid destination offset')"
refused_load "dest offset +0"              "$ML /dev/ram0 0 /dev/ram1 +0"        "$(e 'Invalid destination offset')"
refused_load "dest offset 1,024"           "$ML /dev/ram0 0 /dev/ram1 1,024"     "$(e 'Invalid destination offset')"
refused_load "dest offset 2^64"            "$ML /dev/ram0 0 /dev/ram1 18446744073709551616" "$(e 'Invalid destination offset')"
refused_load "offsets swapped with devices" "$ML /dev/ram0 /dev/ram1 0 0"        "$(e 'Invalid source offset')"
# feature count
# dm_read_arg_group() reads the count with sscanf("%u"), which wraps
refused_load "count 2^32"                  "$ML $SD 4294967296 sparse"           "$(e 'Invalid number of feature arguments')"
refused_load "count 2^32+1"                "$ML $SD 4294967297 sparse"           "$(e 'Invalid number of feature arguments')"
refused_load "count 20 digits"             "$ML $SD 99999999999999999999 sparse" "$(e 'Invalid number of feature arguments')"
refused_load "count 0x1"                   "$ML $SD 0x1 sparse"                  "$(e 'Invalid number of feature arguments')"
refused_load "count +1"                    "$ML $SD +1 sparse"                   "$(e 'Invalid number of feature arguments')"
refused_load "count 8, 7 words"            "$ML $SD 8 region_size 8 max_copy_kbps 1 sparse dest_zeroed nosync" "$(e 'Invalid number of feature arguments')"
refused_load "count 3, region_size 8"      "$ML $SD 3 region_size 8"             "$(e 'Invalid number of feature arguments')"
refused_load "count 1, max_copy_kbps 100"  "$ML $SD 1 max_copy_kbps 100"         "$(e 'Too many arguments')"
refused_load "count 2, region_size 8 sparse" "$ML $SD 2 region_size 8 sparse"    "$(e 'Too many arguments')"
refused_load "100 words after 1 sparse"    "$ML $SD 1 $(words sparse 100)"       "$(e 'Too many arguments')"
# feature misuse
refused_load "region_size takes a flag"    "$ML $SD 3 region_size sparse 8"      "$(e 'Invalid region size')"
refused_load "max_copy_kbps takes a flag"  "$ML $SD 3 max_copy_kbps sparse 8"    "$(e 'Invalid max_copy_kbps')"
refused_load "max_copy_kbps max_copy_kbps" "$ML $SD 2 max_copy_kbps max_copy_kbps" "$(e 'Invalid max_copy_kbps')"
refused_load "duplicate dest_zeroed"       "$ML $SD 2 dest_zeroed dest_zeroed"   "$(e 'Duplicate feature argument')"
refused_load "duplicate nosync"            "$ML $SD 2 nosync nosync"             "$(e 'Duplicate feature argument')"
refused_load "duplicate paused"            "$ML $SD 2 paused paused"             "$(e 'Duplicate feature argument')"
refused_load "duplicate max_copy_kbps"     "$ML $SD 4 max_copy_kbps 1 max_copy_kbps 2" "$(e 'Duplicate feature argument')"
refused_load "duplicate, other case"       "$ML $SD 2 sparse SPARSE"             "$(e 'Duplicate feature argument')"
refused_load "paused nosync (order)"       "$ML $SD 2 paused nosync"             "$(e 'Features nosync and paused conflict')"
refused_load "conflict among 6 features"   "$ML $SD 6 nosync sparse dest_zeroed region_size 8 paused" "$(e 'Features nosync and paused conflict')"
refused_load "all 8 feature words"         "$ML $SD 8 region_size 8 max_copy_kbps 1 sparse dest_zeroed nosync paused" "$(e 'Features nosync and paused conflict')"
refused_load "region_size 1e3"             "$ML $SD 2 region_size 1e3"           "$(e 'Invalid region size')"
refused_load "region_size 0x400"           "$ML $SD 2 region_size 0x400"         "$(e 'Invalid region size')"
refused_load "region_size +1024"           "$ML $SD 2 region_size +1024"         "$(e 'Invalid region size')"
refused_load "region_size -1024"           "$ML $SD 2 region_size -1024"         "$(e 'Invalid region size')"
refused_load "region_size 2^64"            "$ML $SD 2 region_size 18446744073709551616" "$(e 'Invalid region size')"
refused_load "region_size 2097153"         "$ML $SD 2 region_size 2097153"       "$(e 'Invalid region size')"
refused_load "region_size 1"               "$ML $SD 2 region_size 1"             "$(e 'Invalid region size')"
refused_load "region_size 2^32 (pow2)"     "$ML $SD 2 region_size 4294967296"    "$(e 'Invalid region size')"
refused_load "max_copy_kbps 1.5"           "$ML $SD 2 max_copy_kbps 1.5"         "$(e 'Invalid max_copy_kbps')"
refused_load "max_copy_kbps 1k"            "$ML $SD 2 max_copy_kbps 1k"          "$(e 'Invalid max_copy_kbps')"
refused_load "max_copy_kbps +1"            "$ML $SD 2 max_copy_kbps +1"          "$(e 'Invalid max_copy_kbps')"
refused_load "max_copy_kbps 0x10"          "$ML $SD 2 max_copy_kbps 0x10"        "$(e 'Invalid max_copy_kbps')"
refused_load "max_copy_kbps 20 digits"     "$ML $SD 2 max_copy_kbps 99999999999999999999" "$(e 'Invalid max_copy_kbps')"
refused_load "max_copy_kbps 2^64-1"        "$ML $SD 2 max_copy_kbps 18446744073709551615" "$(e 'Invalid max_copy_kbps')"
# garbage feature words
refused_load "feature -sparse"             "$ML $SD 1 -sparse"                   "$(e 'Unknown feature argument')"
refused_load "feature sparse,"             "$ML $SD 1 sparse,"                   "$(e 'Unknown feature argument')"
refused_load "feature nosync;paused"       "$ML $SD 1 nosync;paused"             "$(e 'Unknown feature argument')"
refused_load "feature UTF-8 spärse"        "$ML $SD 1 spärse"                    "$(e 'Unknown feature argument')"
refused_load "feature fullwidth ｓｐａｒｓｅ" "$ML $SD 1 ｓｐａｒｓｅ"           "$(e 'Unknown feature argument')"
refused_load "feature binary bytes"        "$ML $SD 1 $BIN"                      "$(e 'Unknown feature argument')"
refused_load "feature format string"       "$ML $SD 1 %s%n%p%x"                  "$(e 'Unknown feature argument')"
refused_load "feature of 4000 chars"       "$ML $SD 1 $LONG4K"                   "$(e 'Unknown feature argument')"
refused_load "feature ''"                  "$ML $SD 1 ''"                        "$(e 'Unknown feature argument')"
refused_load "feature 0"                   "$ML $SD 1 0"                         "$(e 'Unknown feature argument')"
# devices
refused_load "source /dev/null (char dev)" "$ML /dev/null 0 /dev/ram1 0"         "$(e 'Error opening source device')"
refused_load "source relative name ram0"   "$ML ram0 0 /dev/ram1 0"              "$(e 'Error opening source device')"
refused_load "source trailing slash"       "$ML /dev/ram0/ 0 /dev/ram1 0"        "$(e 'Error opening source device')"
refused_load "source -1:0"                 "$ML -1:0 0 /dev/ram1 0"              "$(e 'Error opening source device')"
refused_load "source 4294967295:4294967295" "$ML 4294967295:4294967295 0 /dev/ram1 0" "mirrorlive: Error opening source device"
refused_load "source 0:0"                  "$ML 0:0 0 /dev/ram1 0"               "mirrorlive: Error opening source device"
refused_load "dest /dev/mapper/control"    "$ML /dev/ram0 0 /dev/mapper/control 0" "$(e 'Error opening destination device')"
refused_load "dest path of 4096 chars"     "$ML /dev/ram0 0 $PATH4K 0"           "mirrorlive: Error opening destination device"
refused_load "source path of 5000 chars"   "$ML $PATH5K 0 /dev/ram1 0"           "mirrorlive: Error opening source device"
refused_load "dest UTF-8 path"             "$ML /dev/ram0 0 /dev/rām1 0"         "$(e 'Error opening destination device')"
refused_load "dest binary path"            "$ML /dev/ram0 0 /dev/$BIN 0"         "$(e 'Error opening destination device')"
refused_load "overlap via major:minor"     "0 64 mirrorlive /dev/ram0 0 $(devno /dev/ram0) 8" "$(e 'Source and destination overlap')"
refused_load "overlap by one sector"       "0 64 mirrorlive /dev/ram0 0 /dev/ram0 63" "$(e 'Source and destination overlap')"
# geometry
refused_load "source offset 2^64-1"        "$ML /dev/ram0 18446744073709551615 /dev/ram1 0" "$(e 'Source device too small')"
refused_load "source range over the end"   "0 16 mirrorlive /dev/ram0 $((S - 8)) /dev/ram1 0" "$(e 'Source device too small')"
refused_load "dest offset at the end"      "0 8 mirrorlive /dev/ram0 0 /dev/ram1 $S" "$(e 'Destination device too small')"
refused_load "more than INT_MAX regions"   "0 $H mirrorlive /dev/nullb0 0 /dev/nullb0 $H 2 region_size 8" "$(e 'Too many regions: use a larger region size')"
# dm core
refused_load "target name mirrorLive"      "0 $S mirrorLive $SD"                 "mirrorLive: unknown target type"
refused_load "table starts at 8"           "8 $S mirrorlive $SD"                 "Gap in table"
refused_load "length 2^64-1"               "0 18446744073709551615 mirrorlive $SD" "too large device"
refused_load "second line bad"             "0 16384 mirrorlive $SD
16384 16384 mirrorlive /dev/ram0 16384 /dev/ram1 16384 1 bogus" "$(e 'Unknown feature argument')"
refused_load "gap between lines"           "0 16384 mirrorlive $SD
20000 12768 mirrorlive /dev/ram0 20000 /dev/ram1 20000" "Gap in table"
refused_load "overlapping lines"           "0 16384 mirrorlive $SD
8192 24576 mirrorlive /dev/ram0 8192 /dev/ram1 8192" "Gap in table"
t_eq "after the table lines: ml's table unchanged" "$(dmsetup table ml)" "$TB0"
t_eq "after the table lines: ml's state unchanged" "$(_state ml)" "$ST_ml"

# ================================================ messages (paused) ===
refused_msg ml "empty"                   0 ""
refused_msg ml "blanks only"             0 "   "
refused_msg ml "pause_copy x 50"         0 $(words pause_copy 50)
refused_msg ml "50 words"                0 $(awk 'BEGIN { srand(7); for (i = 0; i < 50; i++) printf "w%d ", int(rand() * 1e6) }')
refused_msg ml "4000-char word"          0 "$LONG4K"
refused_msg ml "pause_copy + 4000 chars" 0 "pause_copy$LONG4K"
refused_msg ml "max_copy_kbps 1k"        0 max_copy_kbps 1k
refused_msg ml "max_copy_kbps 1M"        0 max_copy_kbps 1M
refused_msg ml "max_copy_kbps +5"        0 max_copy_kbps +5
refused_msg ml "max_copy_kbps -0"        0 max_copy_kbps -0
refused_msg ml "max_copy_kbps 0x1f"      0 max_copy_kbps 0x1f
refused_msg ml "max_copy_kbps 1e3"       0 max_copy_kbps 1e3
refused_msg ml "max_copy_kbps 20 digits" 0 max_copy_kbps 99999999999999999999
refused_msg ml "max_copy_kbps 2^64"      0 max_copy_kbps 18446744073709551616
refused_msg ml "max_copy_kbps 2^32+1"    0 max_copy_kbps 4294967297
refused_msg ml "max_copy_kbps fullwidth" 0 max_copy_kbps ５
refused_msg ml "max_copy_kbps '5\\ 6'"   0 "max_copy_kbps 5\\ 6"
refused_msg ml "max_copy_kbps=5"         0 max_copy_kbps=5
refused_msg ml "max_copy_kbps: 5"        0 max_copy_kbps: 5
refused_msg ml "max_copy_kbps twice"     0 max_copy_kbps max_copy_kbps
refused_msg ml "max_copy_kbps 5 6 7"     0 max_copy_kbps 5 6 7
refused_msg ml "max_copy_kbps ''"        0 max_copy_kbps ""
refused_msg ml "pause_copy resume_copy"  0 pause_copy resume_copy
refused_msg ml "resume_copy twice"       0 resume_copy resume_copy
refused_msg ml "pause"                   0 pause
refused_msg ml "cancel"                  0 cancel
refused_msg ml "complete"                0 complete
refused_msg ml "UTF-8 pause_cöpy"        0 pause_cöpy
refused_msg ml "binary bytes"            0 "$BIN"
refused_msg ml "format string"           0 "%s%n%p"
refused_msg ml "-1"                      0 -- -1
refused_msg ml "trailing backslash"      0 "pause_copy\\"
refused_msg ml "fail_dest now"           0 fail_dest now
refused_msg ml "fail_dest twice"         0 fail_dest fail_dest
refused_msg ml "fail-dest"               0 fail-dest
refused_msg ml "sector outside device"   $S pause_copy
refused_msg ml "sector 2^64-1"           18446744073709551615 pause_copy
refused_msg ml "sector x (dmsetup)"      x pause_copy
noop_msg ml "pause_copy when paused" pause_copy
t_eq "after the messages: ml's table unchanged" "$(dmsetup table ml)" "$TB0"

# ======================================= messages (ready and failed) ===
t_ok "create mlr: ready mirror (nosync)" dm_create mlr "0 8192 mirrorlive /dev/ram2 0 /dev/ram2 8192 1 nosync"
t_ok "create errdev: error target" dm_create errdev "0 8192 error"
t_ok "create mlf: mirror onto errdev" dm_create mlf "0 8192 mirrorlive /dev/ram2 16384 /dev/mapper/errdev 0 1 nosync"
t_ok "mlf: a write fails the destination" dd if=/dev/zero of=/dev/mapper/mlf bs=4k count=1 oflag=direct
t_eq "mlf: failed, dest_write_error" "$(ml_phase mlf) $(dm_status_field mlf reason)" "failed dest_write_error"
for d in mlr mlf; do
    refused_msg $d "bogus"              0 bogus
    refused_msg $d "empty"              0 ""
    refused_msg $d "resume_copy now"    0 resume_copy now
    refused_msg $d "pause_copy 1"       0 pause_copy 1
    refused_msg $d "max_copy_kbps x"    0 max_copy_kbps x
    refused_msg $d "max_copy_kbps -1"   0 max_copy_kbps -1
    refused_msg $d "max_copy_kbps 2^32" 0 max_copy_kbps 4294967296
    refused_msg $d "50 words"           0 $(words resume_copy 50)
    refused_msg $d "4000-char word"     0 "$LONG4K"
    refused_msg $d "binary bytes"       0 "$BIN"
    refused_msg $d "fail_dest 1"        0 fail_dest 1
    refused_msg $d "verify"             0 verify
    refused_msg $d "verify frobnicate"  0 verify frobnicate
    refused_msg $d "verify start now"   0 verify start now
    noop_msg $d "pause_copy" pause_copy
    noop_msg $d "resume_copy" resume_copy
done
t_eq "mlr: still ready" "$(dm_status mlr)" "ready 8192/8192 0 0 0 0 0 - - - 0/8 0 0 0 -"
t_ok "remove mlf" dm_remove mlf
t_ok "remove errdev" dm_remove errdev
t_ok "remove mlr" dm_remove mlr

# ========================================================= fuzzing ===
# 100 lines from a seeded generator: 70% shaped like a mirrorlive line
# (devices, offsets, a feature count and feature units, each part mostly
# valid, sometimes replaced by junk), 30% word salad after the target name.
# Devices are the brd disks (never the 18 TiB null_blk).
awk -v S="$S" 'BEGIN {
    srand(20261121)
    nd = split("/dev/ram0 /dev/ram1 /dev/ram2 1:0 1:1 1:2 /dev/nonexistent /dev/null x 1:0:0", dv, " ")
    nn = split("0 0 0 8 64 1024 2048 -1 18446744073709551615 4294967296 +8 0x10 7 2097152 1k 00 3.5", nm, " ")
    nf = split("sparse dest_zeroed nosync paused SPARSE Paused region_size max_copy_kbps bogus = -- %n ä", ft, " ")
    nl = split("S S S S 8 64 1024 0 16 32760 32776 99", ln, " ")
    for (i = 0; i < 100; i++) {
        l = ln[int(rand() * nl) + 1]; if (rand() < 0.5 || l == "S") l = S
        line = "0 " l " mirrorlive"
        if (rand() < 0.7) {
            src = (rand() < 0.8) ? "/dev/ram0" : dv[int(rand() * nd) + 1]
            dst = (rand() < 0.8) ? "/dev/ram1" : dv[int(rand() * nd) + 1]
            so = (rand() < 0.8) ? "0" : nm[int(rand() * nn) + 1]
            do_ = (rand() < 0.8) ? "0" : nm[int(rand() * nn) + 1]
            f = ""; w = 0; k = int(rand() * 5)
            for (j = 0; j < k; j++) {
                r = rand()
                if (r < 0.5)       { f = f " " ft[int(rand() * 6) + 1]; w++ }
                else if (r < 0.65) { f = f " region_size " nm[int(rand() * nn) + 1]; w += 2 }
                else if (r < 0.8)  { f = f " max_copy_kbps " nm[int(rand() * nn) + 1]; w += 2 }
                else if (r < 0.9)  { f = f " " ft[int(rand() * nf) + 1]; w++ }
                else               { f = f " " nm[int(rand() * nn) + 1]; w++ }
            }
            c = (rand() < 0.85) ? w : int(rand() * 10)
            line = line " " src " " so " " dst " " do_
            if (k > 0 || rand() < 0.5) line = line " " c f
        } else {
            k = int(rand() * 12)
            for (j = 0; j < k; j++) {
                r = rand()
                if (r < 0.33)      line = line " " dv[int(rand() * nd) + 1]
                else if (r < 0.66) line = line " " nm[int(rand() * nn) + 1]
                else               line = line " " ft[int(rand() * nf) + 1]
            }
        }
        print line
    }
}' > "$T_TMP/fuzz"
t_eq "fuzz: 100 lines generated" "$(wc -l < "$T_TMP/fuzz" | tr -d ' ')" 100

STATUS_RE='^0 [0-9]+ mirrorlive (copying|paused|ready|failed) [0-9]+/[0-9]+ [0-9]+ [0-9]+ [0-9]+ [0-9]+ [0-9]+ (-|dest_write_error|dest_flush_error|dest_discard_error|source_read_error|copy_error|fail_dest|metadata_error|dest_read_error) (-|[0-9]+) (-|verifying|repairing|done|stopped|error) [0-9]+/[0-9]+ [0-9]+ [0-9]+ [0-9]+ (-|y|n)$'
accepted=0 i=0
# dm_exists NAME: a dm device NAME exists (sysfs, no dmsetup call)
dm_exists() {
    for _f in /sys/block/dm-*/dm/name; do
        [ -r "$_f" ] || continue
        read -r _nm < "$_f"
        [ "$_nm" = "$1" ] && return 0
    done
    return 1
}
while IFS= read -r line <&3; do
    i=$((i + 1)); _mark
    if dmsetup create mlz --table "$line" > "$T_TMP/out" 2>&1; then
        accepted=$((accepted + 1))
        st=$(dmsetup status mlz); tb=$(dmsetup table mlz)
        ok=1 why=""
        printf '%s\n' "$st" | grep -Eq "$STATUS_RE" || { ok=0; why="status does not parse: $st"; }
        if [ $ok = 1 ] && ! dmsetup load mlz --table "$tb" > "$T_TMP/out" 2>&1; then
            ok=0; why="canonical table refused: $tb"
        fi
        dmsetup remove mlz > /dev/null 2>&1 || { ok=0; why="$why; remove failed"; }
        log=$(_log)
        if _bad_in "$log"; then ok=0; why="$why; kernel warning: $log"; fi
        if [ $ok = 1 ]; then t_pass "fuzz $i accepted, status parses: $line"
        else t_notok "fuzz $i accepted: $line" "$why"; fi
    else
        log=$(_log)
        if _bad_in "$log"; then
            t_notok "fuzz $i refused: $line" "kernel warning:" "$log"
        elif dm_exists mlz; then
            t_notok "fuzz $i refused: $line" "device mlz left behind"
            dmsetup remove mlz > /dev/null 2>&1
        else
            t_pass "fuzz $i refused: $line"
        fi
    fi
done 3< "$T_TMP/fuzz"
diag "fuzz: $accepted of 100 lines accepted"
t_num "fuzz: some lines accepted (the generator reaches the target)" "$accepted" -gt 0
t_num "fuzz: most lines refused" "$accepted" -lt 50

t_eq "ml unchanged at the end" "$(_state ml)" "$ST_ml"
t_ok "remove ml" dm_remove ml
t_ok "nullb0 off" sh -c "echo 0 > $NB/power && rmdir $NB"

finish
