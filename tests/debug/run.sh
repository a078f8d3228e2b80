#!/bin/bash
# make check-debug: every tests/vm case, plus tests/debug/cases (failslab
# over table creation), in a guest running a 6.1 kernel built with lockdep,
# KASAN, kmemleak, debug objects and fault injection.  Not part of make
# check: the first kernel build takes about an hour on 2 cores, and the
# cases run several times slower than on Debian's kernel.
#
#   tests/debug/run.sh [CASE...]     (default: all of them)
#
# Zero reports is the bar: each case fails on any lockdep, KASAN, UBSAN,
# debug-objects or hung-task report in the kernel log, and (lib.sh's
# kmemleak_check) on any object kmemleak finds unreferenced after the
# module is unloaded.
#
# Environment: MLTEST_TIMEOUT_SCALE (default 4), MLTEST_JOBS (default: one
# guest per CPU), and the vm lane's
# (tests/vm/README.md).  Results: $MLTEST_RESULTS/debug/vm/<case>/, counts
# in $MLTEST_RESULTS/debug.counts.
set -u
. "$(dirname "$0")/../lib/common.sh"

lane=debug
work=$MLTEST_RESULTS/$lane
mkdir -p "$work"
rm -f "$MLTEST_RESULTS/$lane.counts"

fail_lane() {	# fail_lane DESCRIPTION [LOG]
	tap_not_ok "$lane: $1" "${2:-}"
	tap_done "$lane"
	exit 1
}

"$MLTEST_TOP/tests/deps.sh" --debug || fail_lane "required packages are installed"

echo "debug: building the debug kernel (log: $MLTEST_CACHE/debug-kernel/build/make.log)"
rel=$("$MLTEST_TOP/tests/debug/build-kernel.sh") || fail_lane "debug kernel builds"
kroot=$MLTEST_CACHE/debug-kernel/root
kbuild=$MLTEST_CACHE/debug-kernel/build
echo "debug: kernel $rel"

# the module, built against that kernel in a scratch copy
src=$work/src
rm -rf "$src" && mkdir -p "$src" &&
	cp -r "$MLTEST_TOP/Kbuild" "$MLTEST_TOP/kernel" "$src/" || exit 1
make -s -C "$kbuild" M="$src" modules > "$work/build.log" 2>&1 ||
	fail_lane "module builds against $rel" "$work/build.log"
make -s -C "$MLTEST_TOP" mirrorctl TEST_HOOKS=1 || fail_lane "mirrorctl builds"

# ml-failnth, carried into the image beside dmsetup
mkdir -p "$work/bin"
# shellcheck disable=SC2046
gcc -std=gnu11 -Wall -Wextra -Werror -O2 -o "$work/bin/ml-failnth" \
	"$MLTEST_TOP/tests/debug/failnth.c" $(pkg-config --cflags --libs devmapper) \
	> "$work/failnth.log" 2>&1 || fail_lane "ml-failnth builds" "$work/failnth.log"

if [ $# -eq 0 ]; then
	set -- $("$MLTEST_TOP/tests/vm/run.sh" --list) "$MLTEST_TOP"/tests/debug/cases/*.sh
fi

# KASAN's shadow takes an eighth of the memory; kmemleak's scans and the
# checkers' bookkeeping slow everything down.
# Now and then a boot hangs before init on this kernel (1 of 37 in one full
# run; vCPUs idle, the console silent; not on Debian's): the runner retries
# it after 60 s x 4.  The one dump taken (hung.txt) had CPU0 halted in the
# idle loop and CPU1 still in real mode (CR0=0x11): the second CPU never
# started, and the boot CPU waits for a wake-up that does not come.
# nokaslr: the runner's dump of a guest that hangs before init
# (boot_watchdog) names each vCPU's function from System.map.
# Each guest keeps about one host CPU busy (the checkers serialise much of
# the kernel), so one guest per CPU halves the lane's time.
GUEST_KVER=$rel GUEST_ROOT=$kroot MODULE=$src/dm-mirrorlive.ko MLTEST_RESULTS=$work \
	MLTEST_JOBS=${MLTEST_JOBS:-$(nproc)} MLTEST_BOOT_TIMEOUT=${MLTEST_BOOT_TIMEOUT:-60} \
	MLTEST_APPEND="nokaslr ${MLTEST_APPEND:-}" MLTEST_SYSTEM_MAP=$kbuild/System.map \
	MLTEST_EXTRA_BINS="$work/bin/ml-failnth=/usr/bin/ml-failnth" MLTEST_MEM=${MLTEST_MEM:-2048} \
	MLTEST_TIMEOUT_SCALE=${MLTEST_TIMEOUT_SCALE:-4} MLTEST_PVH=0 \
	"$MLTEST_TOP/tests/vm/run.sh" "$@" 2>&1 | sed -u 's/^\[/[debug /'
rc=${PIPESTATUS[0]}
if [ -f "$work/vm.counts" ]; then
	cp "$work/vm.counts" "$MLTEST_RESULTS/$lane.counts"
fi
exit "$rc"
