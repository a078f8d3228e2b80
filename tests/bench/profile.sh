#!/bin/bash
# Profile the write path in a guest: where the CPU goes for 4 KiB random
# writes through dm-linear and through mirrorlive (ready), with perf.
#
#   tests/bench/profile.sh [brd|null_blk]     (default null_blk)
#
# Prints IOPS, guest CPU time per write, the share of perf samples per
# binary/module (dm_mirrorlive's own code among them) and the top symbols.
# Builds like make bench; copies the host's perf (linux-perf) into the
# guest image.  Environment: PROFILE_RUNTIME (s, default 8), and the VM
# lane's (tests/vm/README.md).
set -u
. "$(dirname "$0")/../lib/common.sh"

backend=${1:-null_blk}
case "$backend" in
brd|null_blk) ;;
*) echo "usage: $0 [brd|null_blk]" >&2; exit 2 ;;
esac
perf=$(command -v perf) || { echo "profile: perf not installed (apt-get install linux-perf)" >&2; exit 1; }

"$MLTEST_TOP/tests/deps.sh" || exit 1
kdir=$(headers_dir "$(guest_kver)")
[ -n "$kdir" ] || { echo "profile: no headers for the guest kernel $(guest_kver)" >&2; exit 1; }
make -s -C "$MLTEST_TOP" module KDIR="$kdir" && make -s -C "$MLTEST_TOP" mirrorctl || exit 1

MLTEST_EXTRA_BINS="${MLTEST_EXTRA_BINS:-} $perf" \
MLTEST_APPEND="${MLTEST_APPEND:-} profile_backend=$backend profile_runtime=${PROFILE_RUNTIME:-8}" \
	"$MLTEST_TOP/tests/vm/run.sh" "$MLTEST_TOP/tests/bench/profile-case.sh" > /dev/null
rc=$?
sed -n 's/^# profile //p' "$MLTEST_RESULTS/vm/profile-case/tap.log" | tr -d '\r'
grep -a '^not ok' "$MLTEST_RESULTS/vm/profile-case/tap.log"
exit $rc
