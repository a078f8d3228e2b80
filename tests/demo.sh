#!/bin/bash
# make demo: boot a guest (QEMU, software emulation) and migrate a disk
# that is being written to, with the module and mirrorctl of this tree.
# The host kernel is never touched. Exit status 0 iff the demo verified
# its data.
#
# The guest's console is this terminal; the demo itself is
# tests/vm/demo.sh. The build and the runner's own messages go to
# $MLTEST_RESULTS/demo.host.log, shown only when something fails, so the
# screen holds the demo alone. The console output is also in
# $MLTEST_RESULTS/demo.log.
#
# One demo, three files, because each runs somewhere else: this one on the
# host (make demo: build, boot); tests/vm/demo.sh in the guest (what the
# operator sees); tests/demo/run.sh, make check's demo lane, runs this one
# in an 80x24 tmux pane and checks the screen.
set -u
. "$(dirname "$0")/lib/common.sh"

"$MLTEST_TOP/tests/deps.sh" || exit 1

log=$MLTEST_RESULTS/demo.log
hostlog=$MLTEST_RESULTS/demo.host.log
mkdir -p "$MLTEST_RESULTS"
: > "$hostlog"

fail() {
	echo "demo: FAILED: $*"
	tail -n 20 "$hostlog" | sed 's/^/  /'
	echo "demo: see $hostlog"
	exit 1
}

kver=$(guest_kver)
kdir=$(headers_dir "$kver")
[ -n "$kdir" ] || fail "no headers for the guest kernel $kver"
echo "demo: building dm-mirrorlive for the guest kernel $kver, and mirrorctl"
{ make -s -C "$MLTEST_TOP" module KDIR="$kdir" &&
  make -s -C "$MLTEST_TOP" mirrorctl; } >> "$hostlog" 2>&1 || fail "the build failed"

echo "demo: booting the guest (QEMU, software emulation; Ctrl-C stops it)"
"$MLTEST_TOP/tests/vm/run.sh" --demo < /dev/null 2>> "$hostlog" | tee "$log"
grep -q '^demo: migration complete, data verified' "$log" && exit 0
# the guest said why already
grep -q '^demo: FAILED' "$log" && exit 1
fail "the guest ended without verifying the migration"
