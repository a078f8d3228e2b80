#!/bin/sh
# shellcheck disable=SC2015,SC2046
# (table and status lines are split into fields on purpose, and
# "a && b || die" is meant to die when either fails)
# nbd-destination.sh - move a live disk to another host over NBD, with
# plain dmsetup and nbd-client.
#
# Host A runs the VM; its disk is a dm device (here "vmdisk", a linear table
# over /dev/sdb). Host B is where the disk should live. Host B exports an
# empty disk over NBD; host A connects to it as /dev/nbd0 and mirrors the
# VM's disk onto it while the VM keeps running. When the copy is ready, one
# table swap moves the VM's disk onto /dev/nbd0:
#
#   host B:  nbd-destination.sh export /dev/sdc 192.0.2.20
#   host A:  nbd-destination.sh connect 192.0.2.20
#   host A:  nbd-destination.sh start vmdisk
#   host A:  nbd-destination.sh wait vmdisk          # until ready
#   host A:  nbd-destination.sh complete vmdisk      # the VM now uses host B's disk
#   or, at any time before complete (and always after a failure):
#   host A:  nbd-destination.sh cancel vmdisk        # back to /dev/sdb, nothing lost
#
# Every step is a few dmsetup or nbd-client commands: read the functions
# below, or run them by hand. mirrorctl does the same with more checks
# (mirrorctl start vmdisk /dev/nbd0, wait, complete, cancel).
#
# Environment (host A and B):
#   NBD_PORT=10809        TCP port of the export
#   NBD_NAME=mirrorlive   export name
#   NBD_DEV=/dev/nbd0     the NBD device on host A
#   NBD_TIMEOUT=30        seconds before nbd fails a request on a dead link;
#                         never 0 (see "When the link drops" below)
#   MAX_COPY_KBPS=0       background copy limit in KiB/s, 0 = unlimited
#
# When the link drops (or nbd-server dies) before complete:
#   - Once nbd knows the connection is dead it fails every new request at
#     once. It knows at once when host B closed the connection (nbd-server
#     killed); a link that went silent shows only when a request times
#     out, NBD_TIMEOUT after it was sent (a send stuck on a full socket
#     can add another NBD_TIMEOUT). Requests already in flight always wait
#     for their timeout.
#   - The first error puts the mirror in phase "failed" (reason
#     dest_write_error, or dest_flush_error); from then on the VM's writes
#     go to the source only. The VM sees no error, but its writes to
#     regions already copied that were in flight to host B wait until nbd
#     fails them. With NBD_TIMEOUT=0 nbd never does: those writes, and the
#     suspend that cancel needs, hang until the link comes back, or until
#     "dmsetup message VM 0 fail_dest" lets go of them (from another
#     shell while cancel hangs; dm-mirrorlive.rst, "A destination that
#     stops answering").
#   - A blip shorter than NBD_TIMEOUT costs only latency: TCP retransmits
#     and nothing fails.
#   - A failed mirror never becomes ready again and complete refuses it.
#     Run "cancel" (the source has every write), then "nbd-client -d", fix
#     the network, and start again: the copy starts from the beginning,
#     because the destination missed writes.
#
# After complete the source no longer gets writes: the disk lives on host
# B, and host A's VM does its I/O over the network with no fallback. If
# the link drops now, the VM gets I/O errors. So complete when the VM is
# about to follow its disk (live migration to host B, or a restart there),
# and keep that window short. Once nothing on host A writes through
# NBD_DEV (VM gone, last writes flushed), run "nbd-client -d NBD_DEV" on
# host A and stop nbd-server on host B; host B then opens the disk itself.
#
# NBD carries the data in clear and does not authenticate: use it on a
# private link, or with TLS (nbd-server certfile/keyfile, nbd-client -x).
#
# Exit codes follow mirrorctl: 0 done, 1 failed, 2 usage, 3 precondition
# not met (not ready, mirror failed, wrong table), 4 timeout.
set -eu

NBD_PORT=${NBD_PORT:-10809}
NBD_NAME=${NBD_NAME:-mirrorlive}
NBD_DEV=${NBD_DEV:-/dev/nbd0}
NBD_TIMEOUT=${NBD_TIMEOUT:-30}
MAX_COPY_KBPS=${MAX_COPY_KBPS:-0}
PROG=nbd-destination

die() {
	rc=$1
	shift
	echo "$PROG: $*" >&2
	exit "$rc"
}

# ---------------------------------------------------------- host B ---

# export DISK [ADDR]: serve DISK over NBD with nbd-server. DISK is
# overwritten by the copy: an empty disk at least as large as the source.
#
# flush/fua: host A's flushes must reach DISK (nbd-server fdatasyncs), or
# the copy would sit in host B's page cache when complete switches over.
#
# With qemu-nbd instead (package qemu-utils), the same export is:
#   qemu-nbd --fork --persistent --format=raw --cache=none --aio=native \
#            --bind=ADDR --port=$NBD_PORT --export-name=$NBD_NAME DISK
cmd_export() {
	[ $# -ge 1 ] || die 2 "usage: export DISK [ADDR]"
	disk=$1
	addr=${2:-}
	[ -b "$disk" ] || [ -f "$disk" ] || die 3 "$disk: not a block device or file"

	conf=$(mktemp /tmp/nbd-server.XXXXXX)
	{
		echo "[generic]"
		echo "	port = $NBD_PORT"
		[ -z "$addr" ] || echo "	listenaddr = $addr"
		# Debian's default runs as "nbd": uncomment, and let nbd write DISK.
		echo "#	user = nbd"
		echo "#	group = nbd"
		echo "[$NBD_NAME]"
		echo "	exportname = $disk"
		echo "	flush = true"
		echo "	fua = true"
	} > "$conf"
	# nbd-server goes to the background and serves each client in a child.
	nbd-server -C "$conf" || die 1 "nbd-server failed (config $conf)"
	echo "exporting $disk as \"$NBD_NAME\" on port $NBD_PORT (config $conf)"
}

# ---------------------------------------------------------- host A ---

# connect HOST: NBD_DEV = host B's export. -t is what turns a dead link
# into I/O errors that fail the mirror, instead of requests that wait
# forever. nbd-client configures the kernel (netlink) and exits: nothing
# holds NBD_DEV open, so dm can take it.
cmd_connect() {
	[ $# -eq 1 ] || die 2 "usage: connect HOST"
	[ "$NBD_TIMEOUT" -gt 0 ] || die 2 "NBD_TIMEOUT must be > 0"
	modprobe nbd
	nbd-client -N "$NBD_NAME" "$1" "$NBD_PORT" "$NBD_DEV" -t "$NBD_TIMEOUT" ||
		die 1 "cannot connect $NBD_DEV to $1:$NBD_PORT"
	echo "$NBD_DEV: $(blockdev --getsize64 "$NBD_DEV") bytes from $1"
}

# table_field DEVICE N: the N-th field of DEVICE's one-line table.
table_field() {
	dmsetup table "$1" | awk -v n="$2" 'NR == 1 { print $n }'
}

# start DEVICE: swap DEVICE's linear table for a mirror onto NBD_DEV.
cmd_start() {
	[ $# -eq 1 ] || die 2 "usage: start DEVICE"
	dev=${1#/dev/mapper/}
	[ "$(dmsetup table "$dev" | wc -l)" -eq 1 ] &&
		[ "$(table_field "$dev" 3)" = linear ] ||
		die 3 "$dev: not one linear segment (use mirrorctl for LVM volumes)"
	len=$(table_field "$dev" 2)
	src="$(table_field "$dev" 4) $(table_field "$dev" 5)"

	# The destination must be large enough, and must not need larger
	# blocks than the VM already writes.
	[ "$(blockdev --getsz "$NBD_DEV")" -ge "$len" ] ||
		die 3 "$NBD_DEV is smaller than $dev"
	[ "$(blockdev --getss "$NBD_DEV")" -le "$(blockdev --getss "/dev/mapper/$dev")" ] ||
		die 3 "$NBD_DEV has a larger logical block size than $dev"

	features=""
	[ "$MAX_COPY_KBPS" -eq 0 ] || features=" 2 max_copy_kbps $MAX_COPY_KBPS"
	dmsetup load "$dev" --table "0 $len mirrorlive $src $NBD_DEV 0$features" ||
		die 1 "$dev: the kernel refused the mirror table"
	# Suspend waits for the VM's writes in flight; resume makes the mirror
	# live: from now on writes reach both hosts (copied regions) and the
	# copy runs in the background.
	dmsetup suspend "$dev" && dmsetup resume "$dev" || die 1 "$dev: swap failed"
	dmsetup status "$dev"
}

# mirror_status DEVICE: the status line of a one-segment mirror, fields
# (Documentation/dm-mirrorlive.rst) after "<start> <len> mirrorlive":
#   $4 phase  $5 copied/total  $6 mirrored_writes  $7 dest_errors
#   $8 source_errors  $9 zero_regions  $10 max_copy_kbps  $11 reason
# The table line is "<start> <len> mirrorlive $4 src $5 src_offset
# $6 dest $7 dest_offset [features]".
mirror_status() { dmsetup status "$1" | awk 'NR == 1 && $3 == "mirrorlive"'; }

require_mirror() {
	[ -n "$(mirror_status "$1")" ] || die 3 "$1: not mirroring"
}

# wait DEVICE [SECONDS]: until ready (0), failed (1) or SECONDS passed (4).
# The target raises a dm event on every phase change, so dmsetup wait
# sleeps until one comes; it wakes every 10 s anyway to print progress.
cmd_wait() {
	[ $# -ge 1 ] || die 2 "usage: wait DEVICE [SECONDS]"
	dev=${1#/dev/mapper/}
	limit=${2:-0}
	deadline=$(($(date +%s) + limit))
	require_mirror "$dev"
	while :; do
		# The event counter first: a change after it still ends the wait.
		ev=$(dmsetup info -c --noheadings -o events "$dev" | tr -d ' ')
		set -- $(mirror_status "$dev")
		echo "$dev: $4, $5 sectors copied, dest_errors $7, reason ${11}"
		case $4 in
		ready) return 0 ;;
		failed) die 1 "$dev: mirror failed (${11}): run cancel" ;;
		esac
		wake=10
		if [ "$limit" -gt 0 ]; then
			left=$((deadline - $(date +%s)))
			[ "$left" -gt 0 ] || die 4 "$dev: timed out"
			[ "$left" -ge "$wake" ] || wake=$left
		fi
		timeout "$wake" dmsetup wait "$dev" "$ev" > /dev/null 2>&1 || true
	done
}

# complete DEVICE: move DEVICE onto the destination. The status is checked
# again while DEVICE is suspended, so that no write can slip in between the
# check and the swap.
cmd_complete() {
	[ $# -eq 1 ] || die 2 "usage: complete DEVICE"
	dev=${1#/dev/mapper/}
	require_mirror "$dev"
	set -- $(dmsetup table "$dev")
	dmsetup load "$dev" --table "0 $2 linear $6 $7" || die 1 "$dev: load failed"
	if ! dmsetup suspend "$dev"; then
		dmsetup clear "$dev"
		die 1 "$dev: suspend failed"
	fi
	set -- $(mirror_status "$dev")
	if [ "$4" != ready ] || [ "$7" != 0 ] || [ "${11}" != - ]; then
		# Not ready, or the destination missed a write: stay on the mirror.
		dmsetup clear "$dev"
		dmsetup resume "$dev"
		die 3 "$dev: not completed: phase $4, dest_errors $7, reason ${11}"
	fi
	dmsetup resume "$dev" || die 1 "$dev: resume failed"
	echo "$dev: now on the destination: $(dmsetup table "$dev")"
}

# cancel DEVICE: back to the source, in any phase. Every write reached the
# source, so it holds everything. On a dead link the suspend waits for the
# requests still in flight to it: at most NBD_TIMEOUT.
cmd_cancel() {
	[ $# -eq 1 ] || die 2 "usage: cancel DEVICE"
	dev=${1#/dev/mapper/}
	require_mirror "$dev"
	set -- $(dmsetup table "$dev")
	dmsetup load "$dev" --table "0 $2 linear $4 $5" || die 1 "$dev: load failed"
	dmsetup suspend "$dev" && dmsetup resume "$dev" || die 1 "$dev: swap failed"
	echo "$dev: back on its source: $(dmsetup table "$dev")"
	echo "now: nbd-client -d $NBD_DEV"
}

[ $# -ge 1 ] || die 2 "usage: $0 export|connect|start|wait|complete|cancel ARGS"
cmd=$1
shift
case $cmd in
	export|connect|start|wait|complete|cancel) "cmd_$cmd" "$@" ;;
	*) die 2 "unknown command $cmd" ;;
esac
