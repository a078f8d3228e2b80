#!/bin/bash
# Build the check-debug lane's guest kernel: Debian's linux-source-6.1 with
# lockdep, KASAN, kmemleak, debug objects and fault injection (debug.config
# merged over x86_64_defconfig and kvm_guest.config), cached outside the
# repository so later runs only relink what changed.
#
#   tests/debug/build-kernel.sh
#
# Prints the kernel release on stdout when the kernel is ready.  Layout under
# $MLTEST_CACHE/debug-kernel (default ~/.cache/dm-mirrorlive/debug-kernel):
#   src/                   the extracted source (never modified)
#   build/                 the O= build tree (module builds use it as KDIR)
#   root/lib/modules/REL/  modules_install output
#   root/boot/vmlinuz-REL  the bzImage the guest boots (not through PVH:
#                          this kernel's PVH entry dies before its console)
#   root/boot/config-REL   its configuration
# The first build takes about an hour on 2 cores; the log is build/make.log.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cache=${MLTEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dm-mirrorlive}/debug-kernel
tarball=/usr/src/linux-source-6.1.tar.xz
frag=$here/debug.config

die() { echo "build-kernel: $*" >&2; exit 1; }
[ -r "$tarball" ] || die "no $tarball: install linux-source-6.1 (apt-get install linux-source-6.1)"
command -v gcc >/dev/null || die "no gcc: install build-essential"
for t in flex bison bc; do
	command -v $t >/dev/null || die "no $t: apt-get install flex bison bc libelf-dev libssl-dev"
done

mkdir -p "$cache"
exec 9>"$cache/lock"
flock 9

# A new tarball or fragment starts over: the key names both.
key=$( { stat -c '%s %Y' "$tarball"; sha256sum < "$frag"; } | sha256sum | cut -c1-16)
if [ "$(cat "$cache/key" 2>/dev/null)" != "$key" ]; then
	rm -rf "$cache/src" "$cache/build" "$cache/root" "$cache/key"
	mkdir -p "$cache/src" "$cache/build"
	tar -xJf "$tarball" -C "$cache/src" --strip-components=1 ||
		die "cannot extract $tarball into $cache/src"
	make -s -C "$cache/src" O="$cache/build" x86_64_defconfig kvm_guest.config >/dev/null
	"$cache/src/scripts/kconfig/merge_config.sh" -m -O "$cache/build" \
		"$cache/build/.config" "$frag" >/dev/null
	make -s -C "$cache/src" O="$cache/build" olddefconfig >/dev/null
	# merge_config only warns; a checker that did not stick is an error.
	for opt in PROVE_LOCKING KASAN DEBUG_KMEMLEAK DEBUG_OBJECTS FAILSLAB \
		FAIL_MAKE_REQUEST BLK_DEV_DM BLK_DEV_RAM BLK_DEV_NULL_BLK; do
		grep -Eq "^CONFIG_$opt=(y|m)" "$cache/build/.config" ||
			die "CONFIG_$opt is not set in the generated .config"
	done
	echo "$key" > "$cache/key"
fi

jobs=$(nproc)
if ! make -C "$cache/src" O="$cache/build" -j"$jobs" bzImage modules \
	> "$cache/build/make.log" 2>&1; then
	tail -n 30 "$cache/build/make.log" >&2
	die "kernel build failed; full log: $cache/build/make.log"
fi
rel=$(make -s -C "$cache/src" O="$cache/build" kernelrelease)
if [ ! -f "$cache/root/boot/vmlinuz-$rel" ] ||
	[ "$cache/build/arch/x86/boot/bzImage" -nt "$cache/root/boot/vmlinuz-$rel" ]; then
	rm -rf "$cache/root"
	mkdir -p "$cache/root/boot"
	make -s -C "$cache/src" O="$cache/build" INSTALL_MOD_PATH="$cache/root" \
		modules_install >> "$cache/build/make.log" 2>&1 ||
		die "modules_install failed; log: $cache/build/make.log"
	rm -f "$cache/root/lib/modules/$rel/build" "$cache/root/lib/modules/$rel/source"
	cp "$cache/build/.config" "$cache/root/boot/config-$rel"
	cp "$cache/build/arch/x86/boot/bzImage" "$cache/root/boot/vmlinuz-$rel"
fi
echo "$rel"
