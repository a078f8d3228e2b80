#!/bin/sh
# mirrorctl against real device-mapper devices: --help, --version, status
# in every device spelling, and the documented exit codes.
# timeout: 120
. /tests/lib.sh
setup

t_ok "brd: 2 x 16 MiB" brd_setup 2 16
S=$(dev_sectors /dev/ram0)

t_like "--version" "$(mirrorctl --version)" '^mirrorctl [0-9]+\.[0-9]+\.[0-9]+$'
t_like "--help lists status" "$(mirrorctl --help)" 'status'
mctl_rc 2 "no action is a usage error"
mctl_rc 2 "unknown action is a usage error" frobnicate
mctl_rc 2 "status without a device is a usage error" status
mctl_rc 2 "status with two devices is a usage error" status a b
mctl_rc 2 "unknown option is a usage error" --no-such-option status ml

t_ok "create ml (paused)" dm_create ml "0 $S mirrorlive /dev/ram0 0 /dev/ram1 0 3 max_copy_kbps 2048 paused"
t_ok "create lin" dm_create lin "0 $S linear /dev/ram0 0"

mctl_rc 0 "status ml" status ml
out=$(cat "$T_TMP/out")
t_like "status: device" "$out" '^device: +ml$'
t_like "status: phase" "$out" 'phase: +paused'
t_like "status: copied" "$out" 'copied: +0 B / 16\.0 MiB \(0\.0%\)'
t_like "status: rate" "$out" 'max copy rate: +2\.0 MiB/s'
t_like "status: reason" "$out" 'reason: +-'

dmnode=/dev/dm-$(dmsetup info -c --noheadings -o minor ml | tr -d " ")
mctl_rc 0 "status /dev/mapper/ml" status /dev/mapper/ml
mctl_rc 0 "status $dmnode" status "$dmnode"
t_like "status via /dev/dm-N names the device" "$(cat "$T_TMP/out")" '^device: +ml$'

t_ok "resume_copy" dmsetup message ml 0 resume_copy
t_ok "ml reaches ready" dm_wait_phase ml ready 60
mctl_rc 0 "status ml in ready" status ml
t_like "status: ready and 100%" "$(cat "$T_TMP/out")" 'copied: +16\.0 MiB / 16\.0 MiB \(100\.0%\)'

mctl_rc 3 "status of a linear device: not a mirror" status lin
mctl_rc 1 "status of a missing device" status no-such-device
mctl_rc 3 "status of a block device that is not dm" status /dev/ram0

t_ok "remove ml" dm_remove ml
t_ok "remove lin" dm_remove lin
finish
