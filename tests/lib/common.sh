# shellcheck shell=bash
# Shared by the host-side test scripts: where things are and how a lane
# reports. Source it; it defines no behaviour of its own.

MLTEST_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
MLTEST_RESULTS=${MLTEST_RESULTS:-$MLTEST_TOP/build/test-results}
# Big, slow-to-make things (the kernel source tree, the UML build) live
# outside the repository so that a clean clone reuses them.
MLTEST_CACHE=${MLTEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dm-mirrorlive}
export MLTEST_TOP MLTEST_RESULTS MLTEST_CACHE

# The Debian 6.1 kernel the guest boots: the newest installed one.
guest_kver() {
	local v

	v=$(ls /boot/vmlinuz-6.1.*-amd64 2>/dev/null | sort -V | tail -n 1)
	echo "${v#/boot/vmlinuz-}"
}

# Headers directory of kernel release $1, or nothing.
headers_dir() {
	[ -d "/usr/src/linux-headers-$1" ] && echo "/usr/src/linux-headers-$1"
}

# The newest installed 6.12 headers' release, or nothing.
newest_612_kver() {
	local d

	d=$(ls -d /usr/src/linux-headers-6.12.*-amd64 2>/dev/null | sort -V | tail -n 1)
	[ -n "$d" ] && echo "${d#/usr/src/linux-headers-}"
}

# Print the path of a scratch copy of Debian's linux-source-6.1, extracting
# it into the cache the first time (about 10 s). KUnit builds in it and the
# build lane takes checkpatch.pl from it.
kernel_source_tree() {
	local tarball=/usr/src/linux-source-6.1.tar.xz
	local dir=$MLTEST_CACHE/kunit/linux-source-6.1
	local stamp=$dir/.mirrorlive-extracted

	if [ ! -f "$tarball" ]; then
		echo "kernel source: $tarball missing (apt-get install linux-source-6.1)" >&2
		return 1
	fi
	if [ ! -f "$stamp" ] || [ "$tarball" -nt "$stamp" ]; then
		rm -rf "$dir"
		mkdir -p "$MLTEST_CACHE/kunit" &&
		tar -C "$MLTEST_CACHE/kunit" -xf "$tarball" &&
		touch "$stamp" || return 1
	fi
	echo "$dir"
}

# write_counts LANE PASSED FAILED SKIPPED: the lane's result for tests/check.sh.
write_counts() {
	mkdir -p "$MLTEST_RESULTS"
	echo "passed=$2 failed=$3 skipped=$4" > "$MLTEST_RESULTS/$1.counts"
}

# A tiny TAP emitter for host-side lanes.
tap_n=0 tap_pass=0 tap_fail=0 tap_skip=0
tap_ok() {	# tap_ok DESCRIPTION
	tap_n=$((tap_n + 1)); tap_pass=$((tap_pass + 1))
	echo "ok $tap_n - $1"
}
tap_not_ok() {	# tap_not_ok DESCRIPTION [DIAGNOSTIC-FILE]
	tap_n=$((tap_n + 1)); tap_fail=$((tap_fail + 1))
	echo "not ok $tap_n - $1"
	[ -n "${2:-}" ] && [ -s "$2" ] && sed 's/^/# /' "$2" | head -n 40
	return 0
}
tap_skip() {	# tap_skip DESCRIPTION REASON
	tap_n=$((tap_n + 1)); tap_skip=$((tap_skip + 1))
	echo "ok $tap_n - $1 # SKIP $2"
}
tap_done() {	# tap_done LANE: print the plan, record counts, return status
	echo "1..$tap_n"
	write_counts "$1" "$tap_pass" "$tap_fail" "$tap_skip"
	[ "$tap_fail" -eq 0 ]
}
