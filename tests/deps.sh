#!/bin/bash
# Install the Debian packages that building and testing dm-mirrorlive need.
#
# As root, missing packages are installed with apt-get. Otherwise the exact
# apt-get command is printed and the script fails, so nothing is half done.
#
# Usage: tests/deps.sh [--print] [--fuzz] [--debug]
#   --print: only list the missing packages
#   --fuzz:  the packages of make fuzz instead (not part of make check)
#   --debug: also what make check-debug needs to build its kernel
set -u

packages=(
	# build
	gcc libc6-dev make pkg-config kmod sparse perl
	linux-headers-amd64
	libdevmapper-dev libblkid-dev libpopt-dev libjson-c-dev
	# build lane: the Debian packages (debian/) and a DKMS build of them
	debhelper dh-dkms dkms dpkg-dev lintian
	# unit lane
	libcmocka-dev valgrind
	# kunit lane: a UML kernel built from Debian's kernel source
	linux-source-6.1 xz-utils bc flex bison python3
	# vm lane: Debian's 6.1 kernel booted under QEMU with a busybox initramfs
	linux-image-amd64 qemu-system-x86 busybox-static cpio gzip lz4 zstd
	dmsetup fio e2fsprogs
	# vm lane, clients that reach the edges: QEMU's block layer (qemu-io),
	# util-linux's losetup -b and blkdiscard -z
	qemu-utils util-linux
	# vm lane, network destination: an NBD server in a second network
	# namespace of the guest, the client, and iproute2's ip (busybox's
	# ip has no netns)
	nbd-server nbd-client iproute2
	# make bench: the plot
	gnuplot-nox
	# demo lane: make demo in a terminal of fixed size, captured
	tmux
)

# make fuzz: libFuzzer harnesses of mirrorctl's parsers (tests/fuzz/); Debian
# ships clang's fuzzer runtime apart, in libclang-rt-<ver>-dev.
fuzz_packages=(clang libclang-rt-dev make pkg-config libjson-c-dev)

# make check-debug: a 6.1 kernel with lockdep, KASAN and kmemleak built from
# linux-source-6.1 (tests/debug/build-kernel.sh), on top of the vm lane's
debug_packages=(libelf-dev libssl-dev)

# The build lane also compiles against the newest 6.12 LTS headers of
# bookworm, and the vm-6.12 lane boots that kernel; the exact package name
# moves with every kernel update.
newest_612_headers() {
	local cached

	cached=$(dpkg-query -W -f='${Package}\n' 'linux-headers-6.12.*+deb12-amd64' 2>/dev/null |
		 sort -V | tail -n 1)
	if [ -n "$cached" ]; then
		echo "$cached"
		return
	fi
	apt-cache search --names-only '^linux-headers-6\.12\.[0-9]+\+deb12-amd64$' 2>/dev/null |
		awk '{ print $1 }' | sort -V | tail -n 1
}

# image_for_headers HEADERS: the kernel image package of those headers.  The
# signed image reaches the archive some days after its headers and the
# -unsigned image (the same kernel, same /boot/vmlinuz-KVER, no Secure Boot
# signature, which a TCG guest never checks): take the signed one when the
# archive has it or it is installed, else the unsigned one.
image_for_headers() {
	local image=${1/linux-headers-/linux-image-}

	if is_installed "$image-unsigned" ||
	   { ! is_installed "$image" &&
	     [ -z "$(apt-cache show --no-all-versions "$image" 2>/dev/null)" ] &&
	     [ -n "$(apt-cache show --no-all-versions "$image-unsigned" 2>/dev/null)" ]; }; then
		echo "$image-unsigned"
	else
		echo "$image"
	fi
}

is_installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q '^install ok installed$'
}

missing_packages() {
	local p

	for p in "$@"; do
		is_installed "$p" || echo "$p"
	done
}

main() {
	local h612=none missing print=0 fuzz=0 arg

	for arg in "$@"; do
		case $arg in
		--print) print=1 ;;
		--fuzz) fuzz=1 packages=("${fuzz_packages[@]}") ;;
		--debug) packages+=("${debug_packages[@]}") ;;
		*) echo "usage: $0 [--print] [--fuzz] [--debug]" >&2; return 2 ;;
		esac
	done

	if [ $fuzz = 0 ]; then
		h612=$(newest_612_headers)
		if [ -z "$h612" ] && [ "$(id -u)" = 0 ]; then
			apt-get update -q >/dev/null
			h612=$(newest_612_headers)
		fi
		# ...and its kernel image, which the vm-6.12 lane boots
		[ -n "$h612" ] && packages+=("$h612" "$(image_for_headers "$h612")")
	fi

	mapfile -t missing < <(missing_packages "${packages[@]}")
	if [ $print = 1 ]; then
		printf '%s\n' "${missing[@]}"
		return 0
	fi
	[ ${#missing[@]} -eq 0 ] && return 0

	if [ "$(id -u)" != 0 ]; then
		echo "deps: missing Debian packages: ${missing[*]}" >&2
		echo "deps: as root, run:" >&2
		echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
		return 1
	fi

	echo "deps: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	if ! apt-get update -q >/dev/null ||
	   ! apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null; then
		echo "deps: apt-get install ${missing[*]} failed" >&2
		return 1
	fi
	[ -n "$h612" ] || echo "deps: no linux-headers-6.12 package found; the 6.12 build check will be skipped" >&2
	return 0
}

main "$@"
