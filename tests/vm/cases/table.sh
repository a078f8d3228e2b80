#!/bin/sh
# Table lines: accepted feature arguments are echoed as the canonical line
# (devices as major:minor, features in fixed order, defaults omitted), and
# bad lines are refused without creating a device.
# timeout: 240
. /tests/lib.sh
setup

t_ok "brd: 3 x 64 MiB" brd_setup 3 64
S=131072
R0=$(devno /dev/ram0)
R1=$(devno /dev/ram1)
t_eq "ram0 is 1:0" "$R0" "1:0"

# check_table ARGS WANT: create with "mirrorlive ARGS", compare dmsetup table
check_table() {
    _len=$1 _args=$2 _want=$3
    if t_ok "create: $_len mirrorlive $_args" dm_create tt "0 $_len mirrorlive $_args"; then
        t_eq "table: $_args" "$(dm_table tt)" "0 $_len mirrorlive $_want"
        # the canonical line must itself be accepted and reproduce itself
        if t_ok "reload canonical line" dm_load tt "0 $_len mirrorlive $_want"; then
            t_eq "inactive table == canonical" "$(dmsetup table --inactive tt)" "0 $_len mirrorlive $_want"
        fi
        t_ok "remove" dm_remove tt
    fi
}

check_table $S "/dev/ram0 0 /dev/ram1 0" "$R0 0 $R1 0"
check_table $S "$R0 0 $R1 0" "$R0 0 $R1 0"
check_table $S "/dev/ram0 0 /dev/ram1 0 0" "$R0 0 $R1 0"
check_table $S "/dev/ram0 0 /dev/ram1 0 2 region_size 1024" "$R0 0 $R1 0"
check_table $S "/dev/ram0 0 /dev/ram1 0 2 region_size 2048" "$R0 0 $R1 0 2 region_size 2048"
check_table $S "/dev/ram0 0 /dev/ram1 0 2 region_size 8" "$R0 0 $R1 0 2 region_size 8"
check_table $S "/dev/ram0 0 /dev/ram1 0 2 max_copy_kbps 0" "$R0 0 $R1 0"
check_table $S "/dev/ram0 0 /dev/ram1 0 4 sparse max_copy_kbps 1000 paused" \
    "$R0 0 $R1 0 4 max_copy_kbps 1000 sparse paused"
check_table $S "/dev/ram0 0 /dev/ram1 0 1 nosync" "$R0 0 $R1 0 1 nosync"
check_table $S "/dev/ram0 0 /dev/ram1 0 1 dest_zeroed" "$R0 0 $R1 0 1 dest_zeroed"
check_table $S "/dev/ram0 0 /dev/ram1 0 7 nosync dest_zeroed sparse max_copy_kbps 500 region_size 4096" \
    "$R0 0 $R1 0 7 region_size 4096 max_copy_kbps 500 sparse dest_zeroed nosync"
check_table $S "/dev/ram0 0 /dev/ram1 0 7 paused dest_zeroed sparse max_copy_kbps 500 region_size 4096" \
    "$R0 0 $R1 0 7 region_size 4096 max_copy_kbps 500 sparse dest_zeroed paused"
# offsets are kept
check_table 1000 "/dev/ram0 8 /dev/ram1 16" "$R0 8 $R1 16"
check_table 1000 "/dev/ram0 2048 /dev/ram2 4096 1 paused" "$R0 2048 $(devno /dev/ram2) 4096 1 paused"

# refused lines: no device may be left behind and nothing may oops
bad() {
    t_fail "refused: $1" dm_create bad "0 $2 mirrorlive $3"
    dmsetup remove bad > /dev/null 2>&1
}
bad "no arguments"                 $S ""
bad "missing destination"          $S "/dev/ram0 0"
bad "missing destination offset"   $S "/dev/ram0 0 /dev/ram1"
bad "non-numeric offset"           $S "/dev/ram0 x /dev/ram1 0"
bad "destination too small"        $S "/dev/ram0 0 /dev/ram1 8"
bad "source too small"             $S "/dev/ram0 8 /dev/ram1 0"
bad "nonexistent device"           $S "/dev/ram0 0 /dev/nonexistent 0"
bad "region size not a power of 2" $S "/dev/ram0 0 /dev/ram1 0 2 region_size 3000"
bad "region size below 8"          $S "/dev/ram0 0 /dev/ram1 0 2 region_size 4"
bad "region size above 1 GiB"      $S "/dev/ram0 0 /dev/ram1 0 2 region_size 4194304"
bad "region size missing value"    $S "/dev/ram0 0 /dev/ram1 0 1 region_size"
bad "unknown feature"              $S "/dev/ram0 0 /dev/ram1 0 1 frobnicate"
bad "feature count too small"      $S "/dev/ram0 0 /dev/ram1 0 3 sparse max_copy_kbps 1000 paused"
bad "feature count too large"      $S "/dev/ram0 0 /dev/ram1 0 3 sparse paused"
bad "duplicate feature"            $S "/dev/ram0 0 /dev/ram1 0 2 sparse sparse"
bad "max_copy_kbps not a number"   $S "/dev/ram0 0 /dev/ram1 0 2 max_copy_kbps fast"
bad "negative feature count"       $S "/dev/ram0 0 /dev/ram1 0 -1"
t_eq "no device left behind" "$(dmsetup ls | grep -c '^bad')" 0
t_ok "ti->error reaches the kernel log" sh -c 'dmesg | grep -q "mirrorlive"'

finish
