#!/bin/bash
# make demo: boot a guest (QEMU, software emulation) and migrate a disk
# that is being written to, with the module and mirrorctl of this tree.
# The host kernel is never touched. Exit status 0 iff the demo verified
# its data.
set -u
. "$(dirname "$0")/lib/common.sh"

"$MLTEST_TOP/tests/deps.sh" || exit 1

kdir=$(headers_dir "$(guest_kver)")
[ -n "$kdir" ] || { echo "demo: no headers for the guest kernel $(guest_kver)" >&2; exit 1; }
make -s -C "$MLTEST_TOP" module KDIR="$kdir" || exit 1
make -s -C "$MLTEST_TOP" mirrorctl || exit 1

log=$MLTEST_RESULTS/demo.log
mkdir -p "$MLTEST_RESULTS"
"$MLTEST_TOP/tests/vm/run.sh" --demo < /dev/null 2>&1 | tee "$log"
grep -q '^demo: migration complete, data verified' "$log"
