#!/bin/bash
# Build lane: the kernel code meets the project's standards.
#   - builds warning-free (W=1) against Debian's 6.1 and 6.12 headers
#   - sparse (C=2) reports nothing
#   - checkpatch --strict reports nothing
#   - make install works (staged), dkms.conf names the project's version
#   - debian/ builds the mirrorctl and dm-mirrorlive-dkms packages, lintian
#     clean, with the right files, a mirrorctl that runs and sources that
#     DKMS builds (packages.sh)
# Builds happen in copies under $MLTEST_RESULTS so the tree's own build
# (and the module the vm lane boots) is never disturbed.
set -u
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/packages.sh"

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
	if make -j"$(nproc)" -C "$kdir" M="$dir" "$@" modules > "$log" 2>&1 &&
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

# unit_verify ROOT: the installed systemd unit runs the installed
# mirrorctl's restore, and systemd-analyze verify accepts it (its
# ExecStart pointed into ROOT, where the binary is; man pages are not
# looked up: they are not installed on this host)
unit_verify() {
	local unit=$1/usr/local/lib/systemd/system/mirrorctl-restore.service
	local log=$log_dir/unit.log tmp=$work/unit-check

	if ! command -v systemd-analyze > /dev/null; then
		tap_skip "systemd unit" "no systemd-analyze on this host"
		return
	fi
	rm -rf "$tmp" && mkdir -p "$tmp"
	if grep -qx 'ExecStart=/usr/local/sbin/mirrorctl restore --timeout 120' "$unit" 2> "$log" &&
	   sed "s|^ExecStart=|ExecStart=$1|" "$unit" > "$tmp/mirrorctl-restore.service" &&
	   systemd-analyze verify --man=no "$tmp/mirrorctl-restore.service" >> "$log" 2>&1; then
		tap_ok "systemd unit: ExecStart is the installed mirrorctl restore, systemd-analyze verify"
	else
		tap_not_ok "systemd unit: ExecStart is the installed mirrorctl restore, systemd-analyze verify" "$log"
	fi
}

# make install, staged under a scratch root: the module lands in extra/
# with a modules.dep entry, mirrorctl and the dmsetup scripts in sbin, the
# man page and the bash completion in share/; make uninstall removes all
# of it again.
install_staged() {
	local root=$work/install-root log=$log_dir/install.log
	local kver kdir p missing="" left

	kver=$(guest_kver)
	kdir=$(headers_dir "$kver")
	rm -rf "$root"
	if make -C "$MLTEST_TOP" install KDIR="$kdir" INSTALL_MOD_PATH="$root" \
		DESTDIR="$root" > "$log" 2>&1 &&
	   [ -f "$root/lib/modules/$kver/extra/dm-mirrorlive.ko" ] &&
	   grep -q '^extra/dm-mirrorlive.ko:' "$root/lib/modules/$kver/modules.dep" &&
	   [ -x "$root/usr/local/sbin/mirrorctl" ]; then
		tap_ok "make install (staged)"
	else
		tap_not_ok "make install (staged)" "$log"
	fi
	# Only the test lanes' build (TEST_HOOKS=1) runs MIRRORCTL_TEST_HOOK.
	if [ -x "$root/usr/local/sbin/mirrorctl" ] &&
	   ! grep -q MIRRORCTL_TEST_HOOK "$root/usr/local/sbin/mirrorctl"; then
		tap_ok "installed mirrorctl has no test hook"
	else
		tap_not_ok "installed mirrorctl has no test hook"
	fi
	for p in usr/local/share/man/man8/mirrorctl.8 \
		 usr/local/share/man/man8/mirrorlive-start.8 \
		 usr/local/share/man/man8/mirrorlive-cancel.8 \
		 usr/local/share/bash-completion/completions/mirrorctl \
		 usr/local/lib/systemd/system/mirrorctl-restore.service \
		 usr/local/lib/dm-mirrorlive/mirrorlive-lib.sh \
		 usr/local/lib/dm-mirrorlive/mirrorlive-abi.sh \
		 usr/local/lib/dm-mirrorlive/mirrorlive-start \
		 usr/local/lib/dm-mirrorlive/mirrorlive-cancel; do
		[ -f "$root/$p" ] || missing="$missing $p"
	done
	[ "$(readlink "$root/usr/local/sbin/mirrorlive-start")" = \
	  /usr/local/lib/dm-mirrorlive/mirrorlive-start ] ||
		missing="$missing usr/local/sbin/mirrorlive-start->lib"
	# the installed scripts find their library next to themselves
	"$root/usr/local/lib/dm-mirrorlive/mirrorlive-start" --help \
		> "$log_dir/scripts.log" 2>&1 || missing="$missing (mirrorlive-start --help fails)"
	if [ -z "$missing" ]; then
		tap_ok "make install: man page, bash completion, dmsetup scripts"
	else
		echo "missing:$missing" >> "$log"
		tap_not_ok "make install: man page, bash completion, dmsetup scripts" "$log"
	fi
	unit_verify "$root"
	make -C "$MLTEST_TOP" uninstall KDIR="$kdir" INSTALL_MOD_PATH="$root" \
		DESTDIR="$root" > "$log_dir/uninstall.log" 2>&1
	# what may stay: depmod's index files, and directories
	left=$(cd "$root" && find . ! -type d ! -name 'modules.*' | sort)
	if [ -z "$left" ]; then
		tap_ok "make uninstall removes what make install installed"
	else
		echo "left behind: $left" >> "$log_dir/uninstall.log"
		tap_not_ok "make uninstall removes what make install installed" \
			"$log_dir/uninstall.log"
	fi
}

# DKMS builds the version dkms.conf names: it must be the project's.
dkms_version() {
	local want got

	want=$(cat "$MLTEST_TOP/VERSION")
	got=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$MLTEST_TOP/dkms.conf")
	if [ "$got" = "$want" ]; then
		tap_ok "dkms.conf PACKAGE_VERSION is $want"
	else
		echo "dkms.conf says '$got', VERSION says '$want'" > "$log_dir/dkms.log"
		tap_not_ok "dkms.conf PACKAGE_VERSION matches VERSION" "$log_dir/dkms.log"
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
	install_staged
	dkms_version
	packages_check
	tap_done build
}

main
