#!/bin/bash
# The VM lane again, on Debian's 6.12 LTS kernel: the module built against
# the newest installed linux-headers-6.12.*+deb12-amd64 boots in a guest of
# the matching linux-image and runs every tests/vm case.
#
#   tests/vm-6.12/run.sh [CASE...]
#
# The module is built in a copy under $MLTEST_RESULTS/vm-6.12, so the
# tree's own (6.1) build is left alone.  Without a 6.12 kernel image and
# headers the lane counts one skip.  Results: $MLTEST_RESULTS/vm-6.12/vm/,
# counts in $MLTEST_RESULTS/vm-6.12.counts.
set -u
. "$(dirname "$0")/../lib/common.sh"

lane=vm-6.12
work=$MLTEST_RESULTS/$lane
mkdir -p "$work"
rm -f "$MLTEST_RESULTS/$lane.counts"

kver=$(newest_612_kver)
if [ -z "$kver" ] || [ ! -r "/boot/vmlinuz-$kver" ] || [ ! -d "/lib/modules/$kver/kernel" ]; then
	tap_skip "$lane" "no Debian 6.12 kernel image and headers installed (tests/deps.sh installs them as root)"
	tap_done "$lane"
	exit
fi

src=$work/src
rm -rf "$src" && mkdir -p "$src" &&
	cp -r "$MLTEST_TOP/Kbuild" "$MLTEST_TOP/kernel" "$src/" || exit 1
if ! make -s -C "$(headers_dir "$kver")" M="$src" modules > "$work/build.log" 2>&1; then
	cat "$work/build.log"
	tap_not_ok "$lane: module builds against $kver"
	tap_done "$lane"
	exit
fi
make -s -C "$MLTEST_TOP" mirrorctl TEST_HOOKS=1 || exit 1

# A "# once:" case tests mirrorctl's or the scripts' own logic; the 6.1
# lane runs it, this one counts it skipped (MLTEST_ONCE_SKIP=0 runs it).
GUEST_KVER=$kver MODULE=$src/dm-mirrorlive.ko MLTEST_RESULTS=$work \
	MLTEST_ONCE_SKIP=${MLTEST_ONCE_SKIP:-1} \
	"$MLTEST_TOP/tests/vm/run.sh" "$@" 2>&1 | sed -u 's/^\[/[6.12 /'
rc=${PIPESTATUS[0]}
if [ -f "$work/vm.counts" ]; then
	cp "$work/vm.counts" "$MLTEST_RESULTS/$lane.counts"
fi
exit "$rc"
