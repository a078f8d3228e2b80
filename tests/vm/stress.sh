#!/bin/bash
# make stress: the full randomized stress set (tests/vm/cases/stress.sh),
# split over several guests so none runs into the case's timeout.
#
#   STRESS_RUNS   runs in all (default 200)
#   STRESS_SEED   PRNG seed (default 1)
#   STRESS_CHUNK  runs per guest boot (default 20: ~8-13 s a run under TCG,
#                 well inside the case's 400 s timeout)
#   and the VM lane's (tests/vm/README.md); MLTEST_APPEND is added to.
# Each chunk's TAP goes to $MLTEST_RESULTS/vm/stress-<first>/tap.log.
# Then the crash loop's full version (tests/vm/crash-loop-long.sh, 21
# kills of the guest) runs; its logs are in $MLTEST_RESULTS/vm/crash-loop-long/.
# Exit status: non-zero if any chunk or the crash loop failed.
# Two stress.sh files, because each runs somewhere else: this one on the
# host; tests/vm/cases/stress.sh is the guest case it boots (make check
# runs that case alone, with 5 runs).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../lib/common.sh"
RUNS=${STRESS_RUNS:-200} SEED=${STRESS_SEED:-1} CHUNK=${STRESS_CHUNK:-20}
for v in "$RUNS" "$SEED" "$CHUNK"; do
	case "$v" in ''|*[!0-9]*) echo "stress: STRESS_RUNS, STRESS_SEED and STRESS_CHUNK must be integers" >&2; exit 2 ;; esac
done
RES=$MLTEST_RESULTS

# the module for the guest's kernel (make all builds it for the newest
# headers installed, which may be 6.12's), and mirrorctl
kdir=$(headers_dir "$(guest_kver)")
[ -n "$kdir" ] || { echo "stress: no headers for the guest kernel $(guest_kver)" >&2; exit 1; }
make -s -C "$MLTEST_TOP" module KDIR="$kdir" && make -s -C "$MLTEST_TOP" mirrorctl || exit 1
rc=0 first=1 t0=$(date +%s)
while [ "$first" -le "$RUNS" ]; do
	n=$CHUNK
	[ $((first + n - 1)) -gt "$RUNS" ] && n=$((RUNS - first + 1))
	MLTEST_APPEND="${MLTEST_APPEND:-} stress_seed=$SEED stress_first=$first stress_runs=$n" \
		"$HERE/run.sh" stress || rc=1
	rm -rf "$RES/vm/stress-$first"
	cp -r "$RES/vm/stress" "$RES/vm/stress-$first"
	first=$((first + n))
done
echo "stress: $RUNS runs, seed $SEED, in $(($(date +%s) - t0)) s: $(cat "$RES"/vm/stress-*/tap.log | tr -d '\r' | grep -c '^not ok') failed"
cat "$RES"/vm/stress-*/tap.log | tr -d '\r' | grep -A2 '^not ok' || true
# the crash loop's full version: 21 kills of the guest, its draws from
# STRESS_SEED too (tests/vm/README.md)
MLTEST_APPEND="${MLTEST_APPEND:-} crash_seed=$SEED" \
	"$HERE/run.sh" "$HERE/crash-loop-long.sh" || rc=1
exit $rc
