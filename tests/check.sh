#!/bin/bash
# Run test lanes and print one summary over all of them.
#
# Usage: tests/check.sh LANE...   (lanes: build unit kunit vm vm-6.12 demo)
#
# Each lane is tests/<lane>/run.sh; it prints TAP and records its counts in
# $MLTEST_RESULTS/<lane>.counts. A lane that fails or crashes never stops
# the others. Each lane's output is also kept in $MLTEST_RESULTS/<lane>.log.
# Before the summary, the first failing tests of each failed lane are listed
# again, so that the tail of the output (all a CI log may keep) names them.
# The last line is "N passed, N failed, N skipped"; the exit status is
# non-zero if anything failed.  The vm and vm-6.12 lanes run at the same
# time where the machine has the CPUs for it (see PARALLEL_LANES).
set -u
. "$(dirname "$0")/lib/common.sh"

lanes=("$@")
[ ${#lanes[@]} -gt 0 ] || lanes=(build unit kunit vm vm-6.12 demo)

total_pass=0 total_fail=0 total_skip=0
summary=()
failures=()
# at most this many failing tests are listed again per lane
FAILURES_PER_LANE=8

add_lane_result() {	# add_lane_result LANE EXIT-STATUS SECONDS
	local lane=$1 rc=$2 secs=$3 passed=0 failed=0 skipped=0
	local counts=$MLTEST_RESULTS/$lane.counts

	if [ -f "$counts" ]; then
		eval "$(grep -E '^passed=[0-9]+ failed=[0-9]+ skipped=[0-9]+$' "$counts")"
	fi
	# A lane that stopped without counting, or exited non-zero with no
	# failure counted, still failed.
	if [ ! -f "$counts" ] || { [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; }; then
		failed=$((failed + 1))
	fi
	total_pass=$((total_pass + passed))
	total_fail=$((total_fail + failed))
	total_skip=$((total_skip + skipped))
	summary+=("$(printf '  %-7s %5d pass %4d fail %4d skip %6d s' \
		"$lane" "$passed" "$failed" "$skipped" "$secs")")
	[ "$failed" -gt 0 ] && add_lane_failures "$lane" "$failed"
}

# add_lane_failures LANE FAILED: remember the lane's first "not ok" lines
# (TAP, or the vm runner's "[case] not ok ..."), cut to 200 columns.
add_lane_failures() {
	local lane=$1 failed=$2 log=$MLTEST_RESULTS/$1.log lines

	lines=$(grep -E '^(\[[^]]*\] )?not ok' "$log" 2>/dev/null |
		grep -viE '# *TODO' | head -n "$FAILURES_PER_LANE" | cut -c1-200)
	if [ -z "$lines" ]; then
		failures+=("$lane: $failed failure(s) without a \"not ok\" line: see $log")
		return
	fi
	while IFS= read -r l; do
		failures+=("$lane: $l")
	done <<< "$lines"
	[ "$failed" -gt "$FAILURES_PER_LANE" ] &&
		failures+=("$lane: ... and more: see $log")
}

# The vm lane boots Debian's 6.1 kernel: build the module against exactly
# that kernel's headers, and mirrorctl, before it starts.
prepare_vm() {
	local kdir

	kdir=$(headers_dir "$(guest_kver)")
	if [ -z "$kdir" ]; then
		echo "check: no headers for the guest kernel $(guest_kver)" >&2
		return 1
	fi
	make -s -C "$MLTEST_TOP" module KDIR="$kdir" &&
	make -s -C "$MLTEST_TOP" mirrorctl TEST_HOOKS=1
}

# prepare_lane LANE: what LANE needs built before it starts, if anything
prepare_lane() {
	if [ ! -x "$MLTEST_TOP/tests/$1/run.sh" ]; then
		echo "check: no lane named '$1'" >&2
		return 1
	fi
	if [ "$(type -t "prepare_$1")" = function ] && ! "prepare_$1"; then
		echo "check: could not prepare lane $1" >&2
		return 1
	fi
}

run_lane() {	# run_lane LANE
	prepare_lane "$1" && "$MLTEST_TOP/tests/$1/run.sh"
}

# Guest shape of the vm lanes.  A TCG guest with 2 vCPUs keeps about one
# host CPU busy (it idles while a case waits on its devices), so on a
# machine with fewer than 4 CPUs make check boots 1-vCPU guests, one per
# host CPU at a time (MLTEST_SMP=1, MLTEST_JOBS=nproc).  Measured on the
# 2-CPU machine, 6.1 lane: 1208 s with one 2-vCPU guest at a time, 718 s
# with two 1-vCPU guests; each case took 1.1-1.2 times as long as alone.
# A case that needs real parallelism in the guest says "# smp: 2" (see
# tests/vm/README.md).  Setting MLTEST_SMP or MLTEST_JOBS keeps both as
# given (run.sh's defaults: 2 vCPUs, one guest).
choose_guest_shape() {
	local cpus

	[ -n "${MLTEST_SMP:-}${MLTEST_JOBS:-}" ] && return 0
	cpus=$(nproc 2>/dev/null || echo 1)
	[ "$cpus" -ge 4 ] && return 0
	export MLTEST_SMP=1 MLTEST_JOBS=$cpus
	echo "check: $cpus CPU(s): vm lanes boot 1-vCPU guests, $cpus at a time"
}

# The two guest lanes may run at the same time on a machine with CPUs for
# all their guests' vCPUs (MLTEST_SMP x MLTEST_JOBS each).  Not on fewer:
# measured on 2 CPUs, two 2-vCPU guests at once ran each case 2.5-3 times
# slower than alone (bad-input 140 s against 57 s, basic-io 140 s against
# 43 s), so that the pair took longer than the lanes in turn.
# Each lane's output goes to the terminal a line at a time (the 6.12
# lane's lines say "[6.12 case]"), and whole to its own log.
# MLTEST_PARALLEL_LANES=1 forces it, =0 forbids it.
PARALLEL_LANES=" vm vm-6.12 "

in_parallel_set() {	# in_parallel_set LANE
	local want=${MLTEST_PARALLEL_LANES:-auto}

	[[ "$PARALLEL_LANES" == *" $1 "* ]] || return 1
	case "$want" in
	0) return 1 ;;
	1) return 0 ;;
	esac
	[ "$(nproc 2>/dev/null || echo 1)" -ge \
		$((2 * ${MLTEST_SMP:-2} * ${MLTEST_JOBS:-1})) ]
}

# run_lanes_together LANE...: prepare each in turn (they share the tree's
# build), then run them at once; records each lane's result.
run_lanes_together() {
	local lane rcs=$MLTEST_RESULTS/.parallel-rc start pids=()

	echo "=== lanes $* (at the same time) ==="
	start=$(date +%s)
	mkdir -p "$rcs"
	for lane in "$@"; do
		rm -f "$MLTEST_RESULTS/$lane.counts" "$rcs/$lane"
		prepare_lane "$lane" 2>&1 | tee "$MLTEST_RESULTS/$lane.log"
		[ "${PIPESTATUS[0]}" -eq 0 ] || echo "1 0" > "$rcs/$lane"
	done
	for lane in "$@"; do
		[ -f "$rcs/$lane" ] && continue
		{
			"$MLTEST_TOP/tests/$lane/run.sh" 2>&1 |
				tee -a "$MLTEST_RESULTS/$lane.log" | sed -u ''
			echo "${PIPESTATUS[0]} $(($(date +%s) - start))" > "$rcs/$lane"
		} &
		pids+=($!)
	done
	[ ${#pids[@]} -gt 0 ] && wait "${pids[@]}"
	for lane in "$@"; do
		# "RC SECONDS"; a lane that left nothing behind failed
		# shellcheck disable=SC2046
		add_lane_result "$lane" $(cat "$rcs/$lane" 2>/dev/null || echo 1 0)
	done
	rm -rf "$rcs"
}

main() {
	local lane start rc i together

	mkdir -p "$MLTEST_RESULTS"
	choose_guest_shape
	if ! "$MLTEST_TOP/tests/deps.sh"; then
		echo "check: required packages are missing (see above)" >&2
		echo "0 passed, 1 failed"
		return 1
	fi

	for ((i = 0; i < ${#lanes[@]}; i++)); do
		lane=${lanes[i]}
		together=()
		while [ $i -lt ${#lanes[@]} ] && in_parallel_set "${lanes[i]}"; do
			together+=("${lanes[i]}")
			i=$((i + 1))
		done
		if [ ${#together[@]} -gt 1 ]; then
			run_lanes_together "${together[@]}"
			i=$((i - 1))
			continue
		elif [ ${#together[@]} -eq 1 ]; then
			i=$((i - 1))
		fi
		rm -f "$MLTEST_RESULTS/$lane.counts"
		echo "=== lane $lane ==="
		start=$(date +%s)
		run_lane "$lane" 2>&1 | tee "$MLTEST_RESULTS/$lane.log"
		rc=${PIPESTATUS[0]}
		add_lane_result "$lane" "$rc" $(($(date +%s) - start))
	done

	if [ ${#failures[@]} -gt 0 ]; then
		echo "=== failures ==="
		printf '  %s\n' "${failures[@]}"
	fi
	echo "=== summary ==="
	printf '%s\n' "${summary[@]}"
	echo "$total_pass passed, $total_fail failed, $total_skip skipped"
	[ "$total_fail" -eq 0 ]
}

main
