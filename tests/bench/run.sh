#!/bin/bash
# make bench: dm-mirrorlive side by side with dm-linear and dm-mirror.
#
#   tests/bench/run.sh
#
# Builds the module for the guest kernel and mirrorctl, boots ONE guest that
# runs tests/bench/bench.sh (figures B1..B10), then tests/bench/report.py
# prints a Markdown table and writes results.json, results.md and bench.png
# (gnuplot) to $MLTEST_RESULTS/bench (default build/test-results/bench).
# The guest's raw records stay in $MLTEST_RESULTS/vm/bench/tap.log.
#
# It reports and never fails on a slow figure: its exit status is non-zero
# only when a measurement could not be taken (a TAP failure in the guest)
# or no report could be written.
#
# Environment:
#   BENCH_ROUNDS   rounds per figure, interleaved (default 3, at least 3
#                  for the published figures)
#   BENCH_RUNTIME  seconds per fio run in B1/B2 (default 8)
#   BENCH_MIB      source size of B3..B6 in MiB (default 1024)
#   BENCH_ONLY     comma-separated figures to run, e.g. B1,B4 (default all)
#   MLTEST_MEM     guest memory in MiB (default 5120: up to three full 1 GiB ramdisks)
#   and the VM lane's (tests/vm/README.md).
#
# Whole run: about 25 minutes on a 2-core TCG host.  Run it on an idle
# machine: every other guest or build on the host skews the figures.
set -u
. "$(dirname "$0")/../lib/common.sh"

ROUNDS=${BENCH_ROUNDS:-3}
RUNTIME=${BENCH_RUNTIME:-8}
MIB=${BENCH_MIB:-1024}
ONLY=${BENCH_ONLY:-}
OUT=$MLTEST_RESULTS/bench

for v in "$ROUNDS" "$RUNTIME" "$MIB"; do
	case "$v" in
	''|*[!0-9]*|0)
		echo "bench: BENCH_ROUNDS, BENCH_RUNTIME and BENCH_MIB must be positive integers" >&2
		exit 2 ;;
	esac
done
case "$ONLY" in *[!B0-9,]*)
	echo "bench: BENCH_ONLY is a list like B1,B4 (figures B1..B10): '$ONLY'" >&2
	exit 2 ;;
esac

"$MLTEST_TOP/tests/deps.sh" || exit 1
kdir=$(headers_dir "$(guest_kver)")
if [ -z "$kdir" ]; then
	echo "bench: no headers for the guest kernel $(guest_kver)" >&2
	exit 1
fi
make -s -C "$MLTEST_TOP" module KDIR="$kdir" || exit 1
make -s -C "$MLTEST_TOP" mirrorctl || exit 1

# host_info: "# benchinfo" lines about the host, for the report
host_info() {
	echo "# benchinfo host $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
	echo "# benchinfo qemu $(qemu-system-x86_64 --version | head -n 1)"
	echo "# benchinfo host load (1/5/15 min) before $load0, after $(cut -d' ' -f1-3 /proc/loadavg)"
}
load0=$(cut -d' ' -f1-3 /proc/loadavg)
if awk -v l="${load0%% *}" 'BEGIN { exit !(l > 0.5) }'; then
	echo "bench: warning: host load average is $load0; other work on the host skews the figures" >&2
fi

append="bench_rounds=$ROUNDS bench_runtime=$RUNTIME bench_mib=$MIB"
[ -n "$ONLY" ] && append="$append bench_only=$ONLY"
MLTEST_MEM=${MLTEST_MEM:-5120} MLTEST_APPEND="${MLTEST_APPEND:-} $append" \
	"$MLTEST_TOP/tests/vm/run.sh" "$MLTEST_TOP/tests/bench/bench.sh" |
	grep -av -e '^\[bench\] ok ' -e '^\[bench\] # benchrec '
guest=${PIPESTATUS[0]}

mkdir -p "$OUT"
if ! { host_info; cat "$MLTEST_RESULTS/vm/bench/tap.log"; } |
	python3 "$MLTEST_TOP/tests/bench/report.py" - --out "$OUT"; then
	echo "bench: no report (see $MLTEST_RESULTS/vm/bench/)" >&2
	exit 1
fi
echo "bench: results in $OUT (results.json, results.md, bench.png)" >&2
if [ "$guest" -ne 0 ]; then
	echo "bench: some measurements failed (see 'not ok' above); the report lacks them" >&2
	exit 1
fi
