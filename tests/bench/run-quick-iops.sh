#!/bin/bash
# Run tests/bench/quick-iops.sh in a VM-lane guest and print its summary.
#
#   tests/bench/run-quick-iops.sh
#
# Environment: as tests/vm/run.sh (MLTEST_RESULTS, MODULE, ...).
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
RESULTS=${MLTEST_RESULTS:-$REPO/build/test-results}

"$REPO/tests/vm/run.sh" "$HERE/quick-iops.sh" > /dev/null
rc=$?
sed -n 's/^# iops //p' "$RESULTS/vm/quick-iops/tap.log" | tr -d '\r'
grep -a '^not ok' "$RESULTS/vm/quick-iops/tap.log"
exit $rc
