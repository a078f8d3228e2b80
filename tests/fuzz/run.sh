#!/bin/bash
# tests/fuzz/run.sh - make fuzz: run each libFuzzer harness for a bounded time
#
#   tests/fuzz/run.sh [HARNESS...]     (default: every tests/fuzz/fuzz_*.c)
#
# Builds the harnesses (clang, libFuzzer, ASan, UBSan; tests/deps.sh --fuzz
# installs clang and its fuzzer runtime when they are missing), then runs
# them one after the other, each for FUZZ_SECONDS.  Every run starts from
# the seed corpus (corpus/NAME) and the saved reproducers (regress/NAME);
# the inputs it finds go to build/fuzz/corpus/NAME, so the tree stays
# clean.  A crash, leak, timeout or broken invariant stops that harness
# and leaves its input in build/fuzz/artifacts/NAME/: the path is printed,
# and the script exits 1 once every harness has run.  README.md says how to
# turn one into a regression input.
#
# Environment:
#   FUZZ_SECONDS   time per harness (default 60)
#   FUZZ_FLAGS     more libFuzzer flags, e.g. "-seed=1 -jobs=2"
#   FUZZ_OUT       build and work directory (default <repo>/build/fuzz)
set -u

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
OUT=${FUZZ_OUT:-$TOP/build/fuzz}
SECONDS_EACH=${FUZZ_SECONDS:-60}
FUZZ_CC=${FUZZ_CC:-clang}

say() { echo "fuzz: $*"; }

case $SECONDS_EACH in
'' | *[!0-9]*) say "FUZZ_SECONDS must be a number of seconds, not '$SECONDS_EACH'" >&2; exit 2 ;;
esac

# Can $FUZZ_CC build a libFuzzer binary?  Debian puts the runtime in
# libclang-rt-<ver>-dev, apart from clang.
fuzzer_works() {
	local dir rc

	dir=$(mktemp -d) || return 1
	echo 'int LLVMFuzzerTestOneInput(const char *d, long n) { (void)d; return n < 0; }' \
		> "$dir/t.c"
	"$FUZZ_CC" -fsanitize=fuzzer,address,undefined -o "$dir/t" "$dir/t.c" \
		> /dev/null 2>&1
	rc=$?
	rm -rf "$dir"
	return $rc
}

if ! fuzzer_works; then
	say "$FUZZ_CC cannot build libFuzzer harnesses; checking packages"
	"$TOP/tests/deps.sh" --fuzz || exit 1
	fuzzer_works || { say "$FUZZ_CC still cannot link -fsanitize=fuzzer" >&2; exit 1; }
fi

if [ $# -gt 0 ]; then
	harnesses=("$@")
else
	harnesses=()
	for f in "$HERE"/fuzz_*.c; do
		f=${f##*/fuzz_}
		harnesses+=("${f%.c}")
	done
fi

make -s -C "$HERE" OUT="$OUT" FUZZ_CC="$FUZZ_CC" \
	"${harnesses[@]/#/fuzzer-}" || { say "build failed" >&2; exit 1; }

failed=()
for h in "${harnesses[@]}"; do
	bin=$OUT/fuzz_$h
	work=$OUT/corpus/$h
	art=$OUT/artifacts/$h
	log=$OUT/$h.log
	mkdir -p "$work" "$art" "$HERE/regress/$h"
	dict=()
	[ -f "$HERE/$h.dict" ] && dict=("-dict=$HERE/$h.dict")

	say "$h: ${SECONDS_EACH} s"
	# shellcheck disable=SC2086
	"$bin" -max_total_time="$SECONDS_EACH" -print_final_stats=1 \
		-max_len=4096 -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$art/" "${dict[@]}" ${FUZZ_FLAGS:-} \
		"$work" "$HERE/corpus/$h" "$HERE/regress/$h" > "$log" 2>&1
	rc=$?

	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	corpus=$(find "$work" -type f | wc -l)
	if [ $rc -eq 0 ]; then
		say "$h: ok, ${execs:-?} executions, ${rate:-?}/s, $corpus inputs in $work"
		continue
	fi
	failed+=("$h")
	repro=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
	say "$h: FAILED (exit $rc) after ${execs:-?} executions; log $log"
	grep -E 'invariant broken|ERROR: |SUMMARY: |runtime error' "$log" | head -n 5 |
		sed 's/^/fuzz:   /'
	if [ -n "$repro" ]; then
		say "$h: reproducer: $repro"
		say "$h: replay it: $bin $repro"
	fi
done

if [ ${#failed[@]} -gt 0 ]; then
	say "failed: ${failed[*]} (see tests/fuzz/README.md to keep a reproducer)"
	exit 1
fi
say "all ${#harnesses[@]} harnesses ran ${SECONDS_EACH} s each without a failure"
