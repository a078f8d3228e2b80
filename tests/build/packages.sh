# shellcheck shell=bash
# Build lane, Debian packages: debian/ builds mirrorctl and
# dm-mirrorlive-dkms with the standard tools, lintian finds nothing, they
# hold what they should, the packaged mirrorctl runs, and DKMS builds the
# packaged module sources.
# Sourced by tests/build/run.sh (which defines $work, $log_dir and the tap_*
# reporters); packages_check is the entry point.
#
# Everything happens in a copy under $work/deb: dpkg-buildpackage writes its
# .debs into the parent of the tree it builds and leaves build products in
# the tree, and the checkout must stay clean.

# deb_expect_mirrorctl: the paths mirrorctl_VERSION_ARCH.deb must hold
# (files and links, no directories), sorted.
deb_expect_mirrorctl() {
	local s

	{
		echo ./usr/sbin/mirrorctl
		echo ./usr/share/man/man8/mirrorctl.8.gz
		echo ./usr/share/man/man8/mirrorlive-start.8.gz
		echo ./usr/share/bash-completion/completions/mirrorctl
		echo ./lib/systemd/system/mirrorctl-restore.service
		echo ./usr/share/doc/mirrorctl/changelog.gz
		echo ./usr/share/doc/mirrorctl/copyright
		echo ./usr/lib/dm-mirrorlive/mirrorlive-lib.sh
		echo ./usr/lib/dm-mirrorlive/mirrorlive-abi.sh
		for s in start status wait complete cancel commit revert; do
			echo "./usr/lib/dm-mirrorlive/mirrorlive-$s"
			echo "./usr/sbin/mirrorlive-$s -> ../lib/dm-mirrorlive/mirrorlive-$s"
			[ "$s" = start ] ||
				echo "./usr/share/man/man8/mirrorlive-$s.8.gz -> mirrorlive-start.8.gz"
		done
	} | LC_ALL=C sort
}

# deb_expect_dkms VERSION: the paths dm-mirrorlive-dkms_VERSION_all.deb must
# hold: what dkms.conf's MAKE line builds from (Kbuild, Makefile, the
# module's kernel/ sources without the KUnit suites) and dkms.conf.
deb_expect_dkms() {
	local src=./usr/src/dm-mirrorlive-$1 f

	{
		echo ./usr/share/doc/dm-mirrorlive-dkms/changelog.gz
		echo ./usr/share/doc/dm-mirrorlive-dkms/copyright
		for f in Kbuild Makefile VERSION dkms.conf; do
			echo "$src/$f"
		done
		for f in "$MLTEST_TOP"/kernel/*.[ch]; do
			case $f in *-test.c) continue ;; esac
			echo "$src/kernel/${f##*/}"
		done
	} | LC_ALL=C sort
}

# deb_paths DEB: its files and links as dpkg-deb -c lists them, sorted.
deb_paths() {
	dpkg-deb -c "$1" | awk '$1 !~ /^d/ {
		$1 = $2 = $3 = $4 = $5 = ""; sub(/^ +/, ""); print }' | LC_ALL=C sort
}

# deb_file_list NAME DEB EXPECTED-FILE
deb_file_list() {
	local log=$log_dir/deb-$1-files.diff

	if [ ! -f "$2" ]; then
		tap_not_ok "$1 .deb file list: $2 was not built"
		return
	fi
	if deb_paths "$2" | diff -u "$3" - > "$log"; then
		tap_ok "$1 .deb holds $(wc -l < "$3") files (dpkg-deb -c)"
	else
		tap_not_ok "$1 .deb file list (dpkg-deb -c, - expected + built)" "$log"
	fi
}

# deb_dkms_build KVER ROOT VERSION: dkms builds the sources unpacked in
# ROOT/pkg-dkms for KVER, in a tree of its own under ROOT (nothing is added
# to /var/lib/dkms), and the module is one for KVER.
deb_dkms_build() {
	local kver=$1 root=$2 version=$3 kdir ko="" log
	local name="dkms build of the packaged sources ($kver)"

	kdir=$(headers_dir "$kver")
	if [ -z "$kdir" ]; then
		tap_skip "$name" "no headers for $kver"
		return
	fi
	log=$log_dir/dkms-$kver.log
	rm -rf "$root/tree-$kver"
	mkdir -p "$root/tree-$kver"
	if dkms build -m dm-mirrorlive -v "$version" -k "$kver" \
		--sourcetree "$root/pkg-dkms/usr/src" \
		--dkmstree "$root/tree-$kver" --kernelsourcedir "$kdir" \
		> "$log" 2>&1; then
		# compressed as the kernel's own modules are (.ko.xz on 6.12)
		ko=$(ls "$root/tree-$kver/dm-mirrorlive/$version/$kver"/*/module/dm-mirrorlive.ko* 2>> "$log")
	fi
	if [ -n "$ko" ] &&
	   [ "$(modinfo -F vermagic "$ko" 2>> "$log" | cut -d' ' -f1)" = "$kver" ]; then
		tap_ok "$name"
	else
		tap_not_ok "$name" "$log"
	fi
}

packages_check() {
	local root=$work/deb src=$work/deb/src log=$log_dir/dpkg-buildpackage.log
	local version arch cl_version ctl_deb dkms_deb had_mok=0 kver612

	version=$(cat "$MLTEST_TOP/VERSION")
	cl_version=$(dpkg-parsechangelog -l "$MLTEST_TOP/debian/changelog" -S Version)
	if [ "$cl_version" = "$version" ]; then
		tap_ok "debian/changelog version is VERSION ($version)"
	else
		echo "debian/changelog says '$cl_version', VERSION says '$version'" \
			> "$log_dir/changelog.log"
		tap_not_ok "debian/changelog version is VERSION" "$log_dir/changelog.log"
	fi

	# the checkout's files as they are now (committed or not), nothing built
	rm -rf "$root"
	mkdir -p "$src"
	if ! git -C "$MLTEST_TOP" ls-files -z --cached --others --exclude-standard |
	     (cd "$MLTEST_TOP" && tar -c --null -T - -f -) | tar -x -C "$src"; then
		tap_not_ok "dpkg-buildpackage: cannot copy the tree (not a git checkout?)"
		return
	fi
	arch=$(dpkg --print-architecture)
	ctl_deb=$root/mirrorctl_${version}_$arch.deb
	dkms_deb=$root/dm-mirrorlive-dkms_${version}_all.deb
	if (cd "$src" && dpkg-buildpackage -b -us -uc) > "$log" 2>&1 &&
	   [ -f "$ctl_deb" ] && [ -f "$dkms_deb" ]; then
		tap_ok "dpkg-buildpackage -b -us -uc: mirrorctl, dm-mirrorlive-dkms"
	else
		tail -n 30 "$log" > "$log.tail"
		tap_not_ok "dpkg-buildpackage -b -us -uc" "$log.tail"
	fi

	# Debian's own checks of the built packages
	log=$log_dir/lintian.log
	if ! command -v lintian > /dev/null; then
		tap_not_ok "lintian: lintian is not installed"
	elif lintian --fail-on error,warning --tag-display-limit 0 \
		"$root"/dm-mirrorlive_"${version}"_"$arch".changes > "$log" 2>&1; then
		tap_ok "lintian reports no error or warning"
	else
		tap_not_ok "lintian reports no error or warning" "$log"
	fi

	deb_expect_mirrorctl > "$root/expect-mirrorctl"
	deb_file_list mirrorctl "$ctl_deb" "$root/expect-mirrorctl"
	deb_expect_dkms "$version" > "$root/expect-dkms"
	deb_file_list dm-mirrorlive-dkms "$dkms_deb" "$root/expect-dkms"

	# the packaged programs run from an unpacked copy
	log=$log_dir/deb-run.log
	if dpkg-deb -x "$ctl_deb" "$root/pkg-ctl" > "$log" 2>&1 &&
	   [ "$("$root/pkg-ctl/usr/sbin/mirrorctl" --version 2>> "$log")" = \
	     "mirrorctl $version" ] &&
	   ! grep -q MIRRORCTL_TEST_HOOK "$root/pkg-ctl/usr/sbin/mirrorctl" &&
	   "$root/pkg-ctl/usr/sbin/mirrorlive-start" --help >> "$log" 2>&1; then
		tap_ok "the .deb's mirrorctl --version is $version (no test hook), its scripts run"
	else
		tap_not_ok "the .deb's mirrorctl --version and scripts" "$log"
	fi

	# dkms signs what it builds, creating its own key on first use: remove
	# the key again when this lane made it
	[ -e /var/lib/dkms/mok.key ] && had_mok=1
	if ! command -v dkms > /dev/null; then
		tap_not_ok "dkms build of the packaged sources: dkms is not installed"
	elif ! dpkg-deb -x "$dkms_deb" "$root/pkg-dkms" 2> "$log_dir/dkms-x.log"; then
		tap_not_ok "dkms build: cannot unpack $dkms_deb" "$log_dir/dkms-x.log"
	else
		deb_dkms_build "$(guest_kver)" "$root" "$version"
		kver612=$(newest_612_kver)
		if [ -n "$kver612" ]; then
			deb_dkms_build "$kver612" "$root" "$version"
		else
			tap_skip "dkms build of the packaged sources (6.12)" \
				"no linux-headers-6.12 installed"
		fi
	fi
	[ "$had_mok" = 1 ] || rm -f /var/lib/dkms/mok.key /var/lib/dkms/mok.pub
}
