#!/bin/sh
# Malformed table lines and messages: each one is refused with its precise
# error, leaves no device and no state change behind, and warns nothing.
# timeout: 240
. /tests/lib.sh
setup

t_ok "brd: 3 x 16 MiB" brd_setup 3 16
t_ok "null_blk with 4 KiB logical blocks" modprobe null_blk nr_devices=1 bs=4096 gb=1
S=$(dev_sectors /dev/ram0)
SD="/dev/ram0 0 /dev/ram1 0"

# refused DESC TABLE KERNEL-MESSAGE: t_refused (lib/dm.sh)
refused() { t_refused "$@"; }

# ti->error as dm core logs it: "<dev>: mirrorlive: <error> (-EINVAL)"
e() { echo "mirrorlive: $1 (-E"; }

refused "no devices"              "0 $S mirrorlive"                         "$(e 'Not enough arguments')"
refused "source only"             "0 $S mirrorlive /dev/ram0"               "$(e 'Not enough arguments')"
refused "no destination offset"   "0 $S mirrorlive /dev/ram0 0 /dev/ram1"   "$(e 'Not enough arguments')"
refused "source offset word"      "0 $S mirrorlive /dev/ram0 x /dev/ram1 0" "$(e 'Invalid source offset')"
refused "negative source offset"  "0 $S mirrorlive /dev/ram0 -8 /dev/ram1 0" "$(e 'Invalid source offset')"
refused "signed source offset"    "0 $S mirrorlive /dev/ram0 +8 /dev/ram1 0" "$(e 'Invalid source offset')"
refused "source offset suffix"    "0 $S mirrorlive /dev/ram0 8s /dev/ram1 0" "$(e 'Invalid source offset')"
refused "source offset overflow"  "0 $S mirrorlive /dev/ram0 18446744073709551616 /dev/ram1 0" "$(e 'Invalid source offset')"
refused "dest offset word"        "0 $S mirrorlive /dev/ram0 0 /dev/ram1 junk" "$(e 'Invalid destination offset')"
refused "dest offset hex"         "0 $S mirrorlive /dev/ram0 0 /dev/ram1 0x8" "$(e 'Invalid destination offset')"
refused "feature count word"      "0 $S mirrorlive $SD x"                  "$(e 'Invalid number of feature arguments')"
refused "feature count negative"  "0 $S mirrorlive $SD -1"                 "$(e 'Invalid number of feature arguments')"
refused "feature count above 14"  "0 $S mirrorlive $SD 15 a b c d e f g h i j k l m n o" "$(e 'Invalid number of feature arguments')"
refused "feature count too high"  "0 $S mirrorlive $SD 2 sparse"           "$(e 'Invalid number of feature arguments')"
refused "words after features"    "0 $S mirrorlive $SD 1 sparse paused"    "$(e 'Too many arguments')"
refused "words after zero count"  "0 $S mirrorlive $SD 0 sparse"           "$(e 'Too many arguments')"
refused "unknown feature"         "0 $S mirrorlive $SD 1 bogus"            "$(e 'Unknown feature argument')"
refused "feature with equals"     "0 $S mirrorlive $SD 1 sparse=1"         "$(e 'Unknown feature argument')"
refused "duplicate flag"          "0 $S mirrorlive $SD 2 sparse sparse"    "$(e 'Duplicate feature argument')"
refused "duplicate region_size"   "0 $S mirrorlive $SD 4 region_size 8 region_size 8" "$(e 'Duplicate feature argument')"
refused "region_size no value"    "0 $S mirrorlive $SD 1 region_size"      "$(e 'Invalid region size')"
refused "region_size 0"           "0 $S mirrorlive $SD 2 region_size 0"    "$(e 'Invalid region size')"
refused "region_size below 4 KiB" "0 $S mirrorlive $SD 2 region_size 4"    "$(e 'Invalid region size')"
refused "region_size not pow2"    "0 $S mirrorlive $SD 2 region_size 1000" "$(e 'Invalid region size')"
refused "region_size above 1 GiB" "0 $S mirrorlive $SD 2 region_size 4194304" "$(e 'Invalid region size')"
refused "region_size suffix"      "0 $S mirrorlive $SD 2 region_size 8k"   "$(e 'Invalid region size')"
refused "region_size is a flag"   "0 $S mirrorlive $SD 2 sparse region_size" "$(e 'Invalid region size')"
refused "max_copy_kbps no value"  "0 $S mirrorlive $SD 1 max_copy_kbps"    "$(e 'Invalid max_copy_kbps')"
refused "max_copy_kbps negative"  "0 $S mirrorlive $SD 2 max_copy_kbps -5" "$(e 'Invalid max_copy_kbps')"
refused "max_copy_kbps overflow"  "0 $S mirrorlive $SD 2 max_copy_kbps 4294967296" "$(e 'Invalid max_copy_kbps')"
refused "nosync with paused"      "0 $S mirrorlive $SD 2 nosync paused"    "$(e 'Features nosync and paused conflict')"
refused "missing source"          "0 $S mirrorlive /dev/nonexistent 0 /dev/ram1 0" "$(e 'Error opening source device')"
refused "missing destination"     "0 $S mirrorlive /dev/ram0 0 /dev/nonexistent 0" "$(e 'Error opening destination device')"
refused "destination 250:250"     "0 $S mirrorlive /dev/ram0 0 250:250 0"  "$(e 'Error opening destination device')"
refused "length beyond source"    "0 $((S + 8)) mirrorlive $SD"            "$(e 'Source device too small')"
refused "source offset past end"  "0 $S mirrorlive /dev/ram0 8 /dev/ram1 0" "$(e 'Source device too small')"
refused "dest offset past end"    "0 $S mirrorlive /dev/ram0 0 /dev/ram1 8" "$(e 'Destination device too small')"
refused "dest offset huge"        "0 $S mirrorlive /dev/ram0 0 /dev/ram1 18446744073709551615" "$(e 'Destination device too small')"
refused "overlapping same device" "0 64 mirrorlive /dev/ram0 0 /dev/ram0 8" "$(e 'Source and destination overlap')"
refused "identical ranges"        "0 64 mirrorlive /dev/ram0 0 /dev/ram0 0" "$(e 'Source and destination overlap')"
refused "source offset in a 4 KiB block" "0 8 mirrorlive /dev/nullb0 1 /dev/ram1 0" "$(e 'Source offset not aligned to logical block size')"
refused "dest offset in a 4 KiB block"   "0 8 mirrorlive /dev/ram0 0 /dev/nullb0 4" "$(e 'Destination offset not aligned to logical block size')"
refused "zero length"             "0 0 mirrorlive $SD"                     "zero-length target"
refused "length not 4 KiB aligned" "0 7 mirrorlive /dev/nullb0 0 /dev/ram1 0" "not aligned to h/w logical block size 4096"

# A destination held exclusively (here: active swap) cannot be opened.
t_ok "swap on ram2" sh -c 'mkswap /dev/ram2 && swapon /dev/ram2'
refused "destination in use (swap)" "0 $S mirrorlive /dev/ram0 0 /dev/ram2 0" "$(e 'Error opening destination device')"
refused "source in use (swap)"      "0 $S mirrorlive /dev/ram2 0 /dev/ram1 0" "$(e 'Error opening source device')"
t_ok "swapoff ram2" swapoff /dev/ram2

# A mirror naming its own device as a leg would write to itself forever.
# The target refuses it; since 6.12 dm core's dm_get_device() already does
# (-EINVAL), so the target's own message is one of two.
t_ok "create ml_self (linear)" dm_create ml_self "0 $S linear /dev/ram0 0"
for leg in source destination; do
	if [ $leg = source ]; then
		tbl="0 $S mirrorlive /dev/mapper/ml_self 0 /dev/ram1 0"
		msg="$(e 'Source is the mirror device itself')"
		core="$(e 'Error opening source device')"
	else
		tbl="0 $S mirrorlive /dev/ram0 0 /dev/mapper/ml_self 0"
		msg="$(e 'Destination is the mirror device itself')"
		core="$(e 'Error opening destination device')"
	fi
	kmsg "self-$leg"
	t_fail "load refused: $leg is the mirror itself" dmsetup load ml_self --table "$tbl"
	t_like "kernel says why ($leg)" \
		"$(klog_since "self-$leg" | grep -F -e "$msg" -e "$core")" mirrorlive
done
t_eq "ml_self still linear" "$(dm_table ml_self)" "0 $S linear $(devno /dev/ram0) 0"
t_ok "remove ml_self" dm_remove ml_self

# Non-overlapping ranges of one device are a legal move.
t_ok "same device, disjoint ranges" dm_create ml_same "0 64 mirrorlive /dev/ram0 0 /dev/ram0 64"
t_ok "remove ml_same" dm_remove ml_same

# Malformed messages change nothing on a live mirror.
# The copy runs (at 100 KiB/s) meanwhile, so progress is left out.
but_progress() { dm_status ml | awk -v f="$ML_F_PROGRESS" '{ $f = "*"; print }'; }
t_ok "create ml" dm_create ml "0 $S mirrorlive $SD 2 max_copy_kbps 100"
status_before=$(but_progress)
table_before=$(dm_table ml)
for msg in "bogus" "pause_copy now" "resume_copy 1" "max_copy_kbps" \
	   "max_copy_kbps x" "max_copy_kbps -1" "max_copy_kbps 1 2" \
	   "max_copy_kbps 4294967296" "max_copy_kbps 0x10" "pause-copy"; do
	t_fail "message refused: '$msg'" dmsetup message ml 0 $msg
done
t_eq "status but progress unchanged by refused messages" "$(but_progress)" "$status_before"
t_eq "table unchanged by refused messages" "$(dm_table ml)" "$table_before"

# Well-formed messages take effect; a phase change raises a dm event.
events() { dmsetup info -c --noheadings -o events ml | tr -d ' '; }
t_ok "message max_copy_kbps 500" dmsetup message ml 0 max_copy_kbps 500
t_eq "status shows the new rate" "$(dm_status_field ml max_copy_kbps)" 500
t_eq "table keeps the new rate" "$(dm_table ml)" "0 $S mirrorlive $(devno /dev/ram0) 0 $(devno /dev/ram1) 0 2 max_copy_kbps 500"
ev0=$(events)
t_ok "message pause_copy" dmsetup message ml 0 pause_copy
t_eq "phase paused" "$(ml_phase ml)" paused
t_eq "table shows the pause, so a reload keeps it" "$(dm_table ml)" "0 $S mirrorlive $(devno /dev/ram0) 0 $(devno /dev/ram1) 0 3 max_copy_kbps 500 paused"
t_eq "pause raised one event" "$(events)" $((ev0 + 1))
t_ok "pause_copy again is a no-op" dmsetup message ml 0 pause_copy
t_eq "no event for a no-op" "$(events)" $((ev0 + 1))
t_ok "message resume_copy" dmsetup message ml 0 resume_copy
t_eq "phase copying" "$(ml_phase ml)" copying
t_eq "resume raised one event" "$(events)" $((ev0 + 2))
t_ok "message max_copy_kbps 0 (unlimited)" dmsetup message ml 0 max_copy_kbps 0
t_eq "table without features" "$(dm_table ml)" "0 $S mirrorlive $(devno /dev/ram0) 0 $(devno /dev/ram1) 0"
t_ok "remove ml" dm_remove ml

finish
