#!/bin/bash
# tests/unit/run.sh - the unit lane
#
# Builds mirrorctl and every tests/unit/test_*.c (through userspace/Makefile),
# runs each test binary with cmocka's TAP output, under valgrind when it is
# installed, then smoke-tests the real mirrorctl binary's command line (exit
# codes of Documentation/interface.rst section 7.5, leaks) and runs
# tests/bench/selftest.sh (make bench's report generator on a sample log) and
# tests/unit/completion.sh (the bash completion against mirrorctl's help).
# Prints everything, and writes the lane's counts of individual test cases to
# $MLTEST_RESULTS/unit.counts as
#
#   passed=N failed=N skipped=N
#
# A test file that does not build, and a binary that crashes or stops before
# its plan is complete, count as failures, so a broken lane never reads as
# a smaller green one.  Exits non-zero when anything failed.
#
# Environment:
#   MLTEST_RESULTS   where unit.counts goes (default: <repo>/build/test-results)
#   MLTEST_VALGRIND  auto (default: use valgrind if installed), 1 (require), 0
#   SANITIZE=1       build with ASan/UBSan instead (valgrind is then skipped)
#   CC, CFLAGS, EXTRA_CFLAGS   passed on to make

set -u

UNIT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$UNIT_DIR/../.." && pwd)
USERSPACE=$TOP/userspace
RESULTS=${MLTEST_RESULTS:-$TOP/build/test-results}
VALGRIND_MODE=${MLTEST_VALGRIND:-auto}
SANITIZE=${SANITIZE:-}

passed=0
failed=0
skipped=0

LOG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/mltest-unit.XXXXXX") || exit 1
trap 'rm -rf "$LOG_DIR"' EXIT

make_cmd=(make -C "$USERSPACE" --no-print-directory TEST_HOOKS=1)
[[ -n $SANITIZE ]] && make_cmd+=("SANITIZE=$SANITIZE")

# Valgrind's own exit code for "errors found", distinct from any test's.
VG_ERROR_RC=97
runner=()
case $VALGRIND_MODE in
0) ;;
auto | 1)
	if [[ $SANITIZE == 1 ]]; then
		echo "# SANITIZE=1: sanitizers replace valgrind"
	elif command -v valgrind >/dev/null; then
		# Reachable blocks are not errors: glibc keeps e.g. strerror()'s
		# buffer for unknown errnos until exit.
		runner=(valgrind -q --leak-check=full
			"--errors-for-leak-kinds=definite,indirect,possible"
			"--error-exitcode=$VG_ERROR_RC")
	elif [[ $VALGRIND_MODE == 1 ]]; then
		echo "not ok - valgrind required (MLTEST_VALGRIND=1) but not installed"
		failed=$((failed + 1))
	else
		echo "# valgrind not installed: running without it"
	fi
	;;
*)
	echo "not ok - MLTEST_VALGRIND must be auto, 0 or 1, not '$VALGRIND_MODE'"
	failed=$((failed + 1))
	;;
esac

# Count the TAP results in file $1 into t_pass, t_fail, t_skip, t_plan.
# cmocka reports a skipped test as "not ok N # SKIP name".
count_tap() {
	local line
	t_pass=0 t_fail=0 t_skip=0 t_plan=0
	while IFS= read -r line; do
		case $line in
		1..[0-9]*) t_plan=$((t_plan + ${line#1..})) ;;
		"ok "*"# SKIP"* | "not ok "*"# SKIP"*) t_skip=$((t_skip + 1)) ;;
		"ok "*) t_pass=$((t_pass + 1)) ;;
		"not ok "*) t_fail=$((t_fail + 1)) ;;
		esac
	done <"$1"
}

# Build and run one test binary; $1 is its name, e.g. test_status.
run_test() {
	local name=$1 log=$LOG_DIR/$1.log

	echo "# === $name"
	if ! "${make_cmd[@]}" "unit-$name" >"$LOG_DIR/$name.build" 2>&1; then
		cat "$LOG_DIR/$name.build"
		echo "not ok - $name: does not build"
		failed=$((failed + 1))
		return
	fi

	CMOCKA_MESSAGE_OUTPUT=TAP "${runner[@]}" "$UNIT_DIR/$name" >"$log" 2>&1
	account "$name" "$log" $?
}

# Add up the TAP of one run: account NAME LOG EXIT_STATUS.  Planned tests
# that never reported, a crash and an empty run count as failures.
account() {
	local name=$1 log=$2 rc=$3 seen missing

	cat "$log"
	count_tap "$log"

	seen=$((t_pass + t_fail + t_skip))
	missing=$((t_plan > seen ? t_plan - seen : 0))
	if ((missing)); then
		echo "not ok - $name: $missing planned test(s) never reported"
		t_fail=$((t_fail + missing))
	fi
	if ((rc == VG_ERROR_RC && ${#runner[@]})); then
		echo "not ok - $name: valgrind reported errors"
		t_fail=$((t_fail + 1))
	elif ((rc != 0 && t_fail == 0)); then
		echo "not ok - $name: exited with status $rc"
		t_fail=$((t_fail + 1))
	elif ((seen == 0 && t_fail == 0)); then
		echo "not ok - $name: reported no test at all"
		t_fail=$((t_fail + 1))
	fi

	passed=$((passed + t_pass))
	failed=$((failed + t_fail))
	skipped=$((skipped + t_skip))
}

# Host-side scripts with a TAP self-test of their own (not under valgrind:
# no C in them): run_selftest NAME SCRIPT.
run_selftest() {
	echo "# === $1"
	"$2" >"$LOG_DIR/$1.log" 2>&1
	account "$1" "$LOG_DIR/$1.log" $?
}

# Run the real mirrorctl: cli_check WHAT WANT_RC WANT_STDOUT|- ARGS...
# ("-" skips the stdout comparison).  Counts one test case.
cli_check() {
	local what=$1 want_rc=$2 want_out=$3 rc out
	shift 3

	out=$("${runner[@]}" "$USERSPACE/mirrorctl" "$@" 2>"$LOG_DIR/cli.err")
	rc=$?
	if ((rc == VG_ERROR_RC && ${#runner[@]})); then
		cat "$LOG_DIR/cli.err"
		echo "not ok - mirrorctl $what: valgrind reported errors"
		failed=$((failed + 1))
	elif ((rc != want_rc)); then
		cat "$LOG_DIR/cli.err"
		echo "not ok - mirrorctl $what: exit $rc, expected $want_rc"
		failed=$((failed + 1))
	elif [[ $want_out != - && $out != "$want_out" ]]; then
		echo "not ok - mirrorctl $what: printed '$out', expected '$want_out'"
		failed=$((failed + 1))
	else
		echo "ok - mirrorctl $what -> exit $rc"
		passed=$((passed + 1))
	fi
}

run_cli_smoke() {
	local version

	echo "# === mirrorctl binary"
	version=$(cat "$TOP/VERSION")
	cli_check "--version" 0 "mirrorctl $version" --version
	cli_check "--help" 0 - --help
	cli_check "without action" 2 ""
	cli_check "unknown action" 2 "" frobnicate
	cli_check "status without DEVICE" 2 "" status
	cli_check "unknown option" 2 "" --no-such-option status x
	# Exit 1 whether the dm driver is loaded (no such device) or not.
	cli_check "status of a missing device" 1 "" status mltest-no-such-dev-$$
	# metadata needs no device-mapper, on any host
	cli_check "metadata of a character device" 3 "" metadata /dev/null
	cli_check "metadata of a missing file" 1 "" \
		metadata /nonexistent/mltest-meta-$$
	# the fuzz seed without its first byte (which blocks to re-seal)
	tail -c +2 "$TOP/tests/fuzz/corpus/metadata/golden" > "$LOG_DIR/golden.meta"
	cli_check "metadata of the golden image" 0 - metadata "$LOG_DIR/golden.meta"
	# A path that is no block device is refused (exit 3) once device-mapper
	# is there; a host without it (no dm_mod, as on some CI machines) gets
	# the "load it with modprobe dm_mod" error first (exit 1).
	if grep -q ' device-mapper$' /proc/misc 2>/dev/null; then
		cli_check "status of a non-block file" 3 "" status /dev/null
	else
		cli_check "status of a non-block file, no dm_mod on this host" \
			1 "" status /dev/null
	fi
}

echo "# unit lane: $UNIT_DIR"
if ! "${make_cmd[@]}" all >"$LOG_DIR/all.build" 2>&1; then
	cat "$LOG_DIR/all.build"
	echo "not ok - userspace does not build"
	failed=$((failed + 1))
fi

shopt -s nullglob
sources=("$UNIT_DIR"/test_*.c)
if ((${#sources[@]} == 0)); then
	echo "not ok - no tests/unit/test_*.c found"
	failed=$((failed + 1))
fi
for src in "${sources[@]}"; do
	run_test "$(basename "$src" .c)"
done

if [[ -x $USERSPACE/mirrorctl ]]; then
	run_cli_smoke
else
	echo "not ok - mirrorctl binary missing: command line not tested"
	failed=$((failed + 1))
fi

run_selftest "bench report" "$TOP/tests/bench/selftest.sh"
run_selftest "bash completion" "$UNIT_DIR/completion.sh"

# The fuzzing harnesses built without libFuzzer replay their seed corpus and
# every saved reproducer, one TAP test per input, so that what fuzzing
# found stays fixed (tests/fuzz/README.md).
for src in "$TOP"/tests/fuzz/fuzz_*.c; do
	h=${src##*/fuzz_} h=${h%.c}
	echo "# === fuzz regressions: $h"
	if ! make -C "$TOP/tests/fuzz" --no-print-directory "SANITIZE=$SANITIZE" \
		"regress-$h" >"$LOG_DIR/fuzz-$h.log" 2>&1; then
		cat "$LOG_DIR/fuzz-$h.log"
		echo "not ok - fuzz $h: does not build"
		failed=$((failed + 1))
		continue
	fi
	(cd "$TOP/tests/fuzz" && "${runner[@]}" "$TOP/build/fuzz/fuzz_$h-regress" \
		"corpus/$h" "regress/$h") >"$LOG_DIR/fuzz-$h.log" 2>&1
	account "fuzz $h" "$LOG_DIR/fuzz-$h.log" $?
done

counts="passed=$passed failed=$failed skipped=$skipped"
echo "# unit lane: $counts"
if mkdir -p "$RESULTS" &&
	echo "$counts" >"$RESULTS/unit.counts.tmp.$$" &&
	mv -f "$RESULTS/unit.counts.tmp.$$" "$RESULTS/unit.counts"; then
	echo "# counts written to $RESULTS/unit.counts"
else
	echo "# cannot write $RESULTS/unit.counts" >&2
	exit 1
fi

((failed == 0))
