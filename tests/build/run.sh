#!/bin/bash
# Build lane: the kernel code meets the project's standards.
#   - builds warning-free (W=1) against Debian's 6.1 and 6.12 headers
#   - sparse (C=2) reports nothing
#   - checkpatch --strict reports nothing
# Builds happen in copies under $MLTEST_RESULTS so the tree's own build
# (and the module the vm lane boots) is never disturbed.
set -u
. "$(dirname "$0")/../lib/common.sh"

work=$MLTEST_RESULTS/build
log_dir=$work/logs
mkdir -p "$log_dir"

# copy_sources DIR: the module's sources alone, as a kbuild external module.
copy_sources() {
	rm -rf "$1"
	mkdir -p "$1"
	cp -r "$MLTEST_TOP/Kbuild" "$MLTEST_TOP/kernel" "$1/"
}

# kbuild_clean NAME KVER [MAKE-ARGS...]: build, and require no diagnostics.
kbuild_clean() {
	local name=$1 kver=$2 kdir dir log
	shift 2

	kdir=$(headers_dir "$kver")
	if [ -z "$kdir" ]; then
		tap_skip "$name" "no headers for $kver"
		return
	fi
	dir=$work/$name
	log=$log_dir/$name.log
	copy_sources "$dir"
	if make -C "$kdir" M="$dir" "$@" modules > "$log" 2>&1 &&
	   ! grep -E 'warning:|error:|sparse:|\.c:[0-9]+:[0-9]+:' "$log" > "$log.diag"; then
		tap_ok "$name ($kver)"
	else
		[ -s "$log.diag" ] || tail -n 20 "$log" > "$log.diag"
		tap_not_ok "$name ($kver)" "$log.diag"
	fi
}

checkpatch_clean() {
	local src log=$log_dir/checkpatch.log

	if ! src=$(kernel_source_tree); then
		tap_not_ok "checkpatch --strict"
		return
	fi
	if perl "$src/scripts/checkpatch.pl" --no-tree --strict --terse \
		--show-types -f "$MLTEST_TOP"/kernel/*.[ch] > "$log" 2>&1; then
		tap_ok "checkpatch --strict: $(ls "$MLTEST_TOP"/kernel/*.[ch] | wc -l) files"
	else
		tap_not_ok "checkpatch --strict" "$log"
	fi
}

main() {
	local kver612

	kbuild_clean "module-6.1-W1" "$(guest_kver)" W=1
	kver612=$(newest_612_kver)
	if [ -n "$kver612" ]; then
		kbuild_clean "module-6.12-W1" "$kver612" W=1
	else
		tap_skip "module-6.12-W1" "no linux-headers-6.12 installed"
	fi
	if command -v sparse > /dev/null; then
		kbuild_clean "sparse-6.1" "$(guest_kver)" C=2
	else
		tap_not_ok "sparse-6.1: sparse is not installed"
	fi
	checkpatch_clean
	tap_done build
}

main
