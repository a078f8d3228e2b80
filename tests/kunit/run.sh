#!/bin/bash
# KUnit lane: the kernel/ mechanisms' suites, run by kunit.py in UML.
#
# The suites are built into a UML kernel from a scratch copy of Debian's
# linux-source-6.1 kept in $MLTEST_CACHE, so a rerun rebuilds only what
# changed. kernel/*.c except the target file itself are copied to
# drivers/md/mirrorlive/ and built in with CONFIG_KUNIT.
#
# Extra kunit.py arguments may be given, e.g. --kconfig_add CONFIG_KASAN=y.
set -u
. "$(dirname "$0")/../lib/common.sh"

log=$MLTEST_RESULTS/kunit.log
mkdir -p "$MLTEST_RESULTS"

fail_lane() {
	echo "kunit: $*" >&2
	write_counts kunit 0 1 0
	exit 1
}

# install_file SRC DIR: copy SRC into DIR unless the copy there is the
# same. A changed file gets a new mtime, so make rebuilds it even when its
# object is newer than the source's own mtime (another checkout built it).
install_file() {
	cmp -s "$1" "$2/$(basename "$1")" || cp "$1" "$2/"
}

# install_sources TREE: copy the mechanisms and their tests into the tree.
install_sources() {
	local tree=$1 dir=$1/drivers/md/mirrorlive f objs=""

	mkdir -p "$dir"
	# files no longer in kernel/ must not be built
	for f in "$dir"/*.[ch]; do
		[ -e "$f" ] && [ ! -e "$MLTEST_TOP/kernel/$(basename "$f")" ] && rm -f "$f"
	done
	for f in "$MLTEST_TOP"/kernel/*.c; do
		[ "$(basename "$f")" = dm-mirrorlive.c ] && continue
		install_file "$f" "$dir"
		objs="$objs $(basename "${f%.c}").o"
	done
	for f in "$MLTEST_TOP"/kernel/*.h "$MLTEST_TOP/kernel/.kunitconfig"; do
		install_file "$f" "$dir"
	done
	echo "obj-y +=$objs" > "$dir/Makefile.new"
	cmp -s "$dir/Makefile.new" "$dir/Makefile" || mv "$dir/Makefile.new" "$dir/Makefile"
	rm -f "$dir/Makefile.new"

	grep -q '^obj-$(CONFIG_KUNIT) += mirrorlive/$' "$tree/drivers/md/Makefile" ||
		echo 'obj-$(CONFIG_KUNIT) += mirrorlive/' >> "$tree/drivers/md/Makefile"
}

main() {
	local tree summary passed failed skipped

	tree=$(kernel_source_tree) || fail_lane "no kernel source tree"
	install_sources "$tree"

	( cd "$tree" && python3 tools/testing/kunit/kunit.py run \
		--kunitconfig=drivers/md/mirrorlive/.kunitconfig \
		--build_dir="$MLTEST_CACHE/kunit/build" \
		--jobs="$(nproc)" "$@" ) 2>&1 | tee "$log"

	# "Testing complete. Ran 57 tests: passed: 55, failed: 1, skipped: 1"
	summary=$(grep -E 'Testing complete\. Ran [0-9]+ tests' "$log" | tail -n 1)
	[ -n "$summary" ] || fail_lane "kunit.py did not finish (see $log)"
	passed=$(echo "$summary" | sed -nE 's/.*passed: ([0-9]+).*/\1/p')
	failed=$(echo "$summary" | sed -nE 's/.*failed: ([0-9]+).*/\1/p')
	skipped=$(echo "$summary" | sed -nE 's/.*skipped: ([0-9]+).*/\1/p')
	failed=${failed:-0}
	# Crashed or timed-out suites are reported as errors, not failures.
	failed=$((failed + $(echo "$summary" | sed -nE 's/.*errors: ([0-9]+).*/\1/p' | grep . || echo 0)))
	write_counts kunit "${passed:-0}" "$failed" "${skipped:-0}"
	[ "${passed:-0}" -gt 0 ] && [ "$failed" -eq 0 ]
}

main "$@"
