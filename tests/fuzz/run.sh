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
# Then the kernel side: tests/vm/cases/fuzz-table.sh feeds FUZZ_GUEST_INPUTS
# seeded random table lines and messages through dmsetup in a guest (make
# check runs 200 of them).
#
# Environment:
#   FUZZ_SECONDS   time per harness (default 60)
#   FUZZ_GUEST_INPUTS  inputs of the guest pass (default 2000, ~8 min under
#                  TCG; 0 skips it)
#   FUZZ_GUEST_SEED    its seed (default: the time; printed)
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

guest_inputs=${FUZZ_GUEST_INPUTS:-2000}
guest_seed=${FUZZ_GUEST_SEED:-$(date +%s)}
case $guest_inputs$guest_seed in
'' | *[!0-9]*) say "FUZZ_GUEST_INPUTS and FUZZ_GUEST_SEED must be integers" >&2; exit 2 ;;
esac
if [ "$guest_inputs" -gt 0 ]; then
	. "$TOP/tests/lib/common.sh"
	say "guest: $guest_inputs table lines and messages through dmsetup, seed $guest_seed"
	kdir=$(headers_dir "$(guest_kver)")
	res=$OUT/guest
	if [ -z "$kdir" ] || ! "$TOP/tests/deps.sh" ||
	   ! make -s -C "$TOP" module KDIR="$kdir" || ! make -s -C "$TOP" mirrorctl; then
		say "guest: cannot build the module and mirrorctl for the guest kernel $(guest_kver)" >&2
		failed+=(guest)
	# the case's timeout is for 200 inputs; a dmsetup call costs ~0.1 s
	elif ! MLTEST_RESULTS=$res MLTEST_TIMEOUT_SCALE=$((guest_inputs / 300 + 1)) \
		MLTEST_APPEND="${MLTEST_APPEND:-} fuzz_seed=$guest_seed fuzz_count=$guest_inputs" \
		"$TOP/tests/vm/run.sh" fuzz-table > "$OUT/guest.log" 2>&1; then
		failed+=(guest)
		grep -E '^\[fuzz-table\] not ok|^vm:' "$OUT/guest.log" | head -n 10 | sed 's/^/fuzz:   /'
		say "guest: FAILED; replay with FUZZ_GUEST_SEED=$guest_seed; log $OUT/guest.log"
	else
		say "guest: ok, $(grep -E '^vm: ' "$OUT/guest.log" | tail -n 1)"
	fi
fi

if [ ${#failed[@]} -gt 0 ]; then
	say "failed: ${failed[*]} (see tests/fuzz/README.md to keep a reproducer)"
	exit 1
fi
guest_done=""
[ "$guest_inputs" -gt 0 ] && guest_done=", nor the guest's $guest_inputs inputs"
say "all ${#harnesses[@]} harnesses ran ${SECONDS_EACH} s each without a failure$guest_done"
