#!/bin/sh
# The crash loop's full version, for make stress (tests/vm/stress.sh runs
# it after the stress chunks): the body of cases/crash-loop.sh, which
# reads the boot count from this file's header, with 22 boots: 21 kills of
# the guest.  Outside cases/ so that make check runs only the short one;
# run it alone with
#     tests/vm/run.sh tests/vm/crash-loop-long.sh
# Its "# disks:" line must stay crash-loop.sh's.
# disks: 2x64M 1M 9M 1M 2x16M 1M 3M 8M
# boots: 22
# timeout: 150
. /tests/cases/crash-loop.sh
