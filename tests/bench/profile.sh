#!/bin/bash
# Profile in a guest, with perf:
#
#   tests/bench/profile.sh [brd|null_blk]     (default null_blk)
#     the write path: 4 KiB random writes through dm-linear and through
#     mirrorlive (ready); prints IOPS, guest CPU time per write, the share
#     of perf samples per binary/module (dm_mirrorlive's own code among
#     them) and the top symbols
#   tests/bench/profile.sh copy
#     the copy: an idle copy of a data-filled brd source, mirrorlive
#     (plain and sparse) against dm-mirror's resync and dd; prints time,
#     CPU and context switches per copy, the top symbols and the threads
#     doing the copy
#
# Builds like make bench; copies the host's perf (linux-perf) into the
# guest image.  Environment: PROFILE_RUNTIME (s, default 8),
# PROFILE_MIB (copy size, default 1024), and the VM lane's
# (tests/vm/README.md).
set -u
. "$(dirname "$0")/../lib/common.sh"

backend=${1:-null_blk}
case "$backend" in
brd|null_blk) case_file=profile-case ;;
copy) case_file=profile-copy-case
	# two brd disks of PROFILE_MIB, perf's buffers
	export MLTEST_MEM=${MLTEST_MEM:-$((2 * ${PROFILE_MIB:-1024} + 2048))} ;;
*) echo "usage: $0 [brd|null_blk|copy]" >&2; exit 2 ;;
esac
perf=$(command -v perf) || { echo "profile: perf not installed (apt-get install linux-perf)" >&2; exit 1; }

"$MLTEST_TOP/tests/deps.sh" || exit 1
kdir=$(headers_dir "$(guest_kver)")
[ -n "$kdir" ] || { echo "profile: no headers for the guest kernel $(guest_kver)" >&2; exit 1; }
make -s -C "$MLTEST_TOP" module KDIR="$kdir" && make -s -C "$MLTEST_TOP" mirrorctl || exit 1

MLTEST_EXTRA_BINS="${MLTEST_EXTRA_BINS:-} $perf" \
MLTEST_APPEND="${MLTEST_APPEND:-} profile_backend=$backend profile_runtime=${PROFILE_RUNTIME:-8} profile_mib=${PROFILE_MIB:-1024}" \
	"$MLTEST_TOP/tests/vm/run.sh" "$MLTEST_TOP/tests/bench/$case_file.sh" > /dev/null
rc=$?
sed -n 's/^# profile //p' "$MLTEST_RESULTS/vm/$case_file/tap.log" | tr -d '\r'
grep -a '^not ok' "$MLTEST_RESULTS/vm/$case_file/tap.log"
exit $rc
