#!/bin/bash
# Host-side runner of the dm-mirrorlive VM test lane.
#
#   tests/vm/run.sh [CASE...]     run cases (default: all tests/vm/cases/*.sh;
#                                 a CASE with a slash is a case file path)
#   tests/vm/run.sh --shell       interactive guest (ttyS0 on this terminal;
#                                 Ctrl-A X quits QEMU)
#   tests/vm/run.sh --demo        run /tests/demo.sh in an interactive guest
#   tests/vm/run.sh --list        list the cases
#
# Each case boots its own QEMU/TCG guest (Debian's kernel + the busybox
# initramfs of build-initramfs.sh), which runs the case and powers off.  TAP
# comes back over the second serial port and is printed prefixed with the
# case name as it arrives.  Logs: $MLTEST_RESULTS/vm/<case>/{tap,console}.log.
# Totals: $MLTEST_RESULTS/vm.counts ("passed=N failed=N skipped=N").
#
# Environment:
#   MLTEST_RESULTS  results dir (default <repo>/build/test-results)
#   GUEST_KVER      guest kernel (default: newest /lib/modules/6.1.*)
#   GUEST_ROOT      where that kernel is installed (default /): its image is
#                   GUEST_ROOT/boot/vmlinuz-KVER, its config
#                   boot/config-KVER, its modules lib/modules/KVER
#   MODULE          module under test (default <repo>/dm-mirrorlive.ko);
#                   never built here: run the top-level make first
#   MIRRORCTL       mirrorctl binary (default <repo>/userspace/mirrorctl)
#   MLTEST_KVM=1    use KVM instead of TCG (opt-in; hangs on some hosts)
#   MLTEST_JOBS     guests run in parallel (default 1)
#   MLTEST_CASES    space-separated cases to run when none are named
#                   (default: all)
#   MLTEST_TIMEOUT  default per-case timeout in s (default 300; a case file
#                   may say "# timeout: N")
#   MLTEST_TIMEOUT_SCALE  multiply every case's timeout (default 1; the
#                   check-debug lane's kernel is several times slower);
#                   cases see it under the same name, for deadlines of
#                   their own, and their own scaled timeout as
#                   MLTEST_CASE_TIMEOUT
#   MLTEST_BOOT_TIMEOUT  s for a guest to reach init (default 120, times
#                   MLTEST_TIMEOUT_SCALE); a boot that hangs or dies before
#                   init is retried once
#   MLTEST_MEM      guest memory in MiB (default 1536)
#   MLTEST_SMP      guest vCPUs (default 2; a case file may say "# smp: N",
#                   the fewest it runs with)
#   MLTEST_ONCE_SKIP=1  skip, counted as skipped, every case whose file says
#                   "# once: WHY" (the vm-6.12 lane sets it: such a case
#                   tests userspace logic whose kernel side other cases
#                   already run on every kernel)
#   MLTEST_APPEND   extra kernel command line
#   MLTEST_OOPS_PANIC=0  let an oops continue instead of panicking at once
#   MLTEST_PVH=0    boot the compressed bzImage instead of the vmlinux
#                   extracted from it (PVH entry: saves ~2.5 s per boot
#                   under TCG, the kernel's own xz decompression)
#   MLTEST_COMPRESS initramfs compression: lz4 (default when installed and
#                   the guest kernel has CONFIG_RD_LZ4), gz, zst or raw
#
# A case counts one extra failure when it times out, the kernel panics, the
# "# mltest-done" sentinel is missing, its plan is missing or does not match
# the number of tests, or it exits non-zero without any "not ok".
set -u

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
RESULTS=${MLTEST_RESULTS:-$REPO/build/test-results}
MODULE=${MODULE-$REPO/dm-mirrorlive.ko}
MIRRORCTL=${MIRRORCTL-$REPO/userspace/mirrorctl}
JOBS=${MLTEST_JOBS:-1}
DEF_TIMEOUT=${MLTEST_TIMEOUT:-300}
MEM=${MLTEST_MEM:-1536}
SMP=${MLTEST_SMP:-2}
# a boot that takes longer than this never reached init (boot_watchdog)
BOOT_TMO=$(( ${MLTEST_BOOT_TIMEOUT:-120} * ${MLTEST_TIMEOUT_SCALE:-1} ))

say()  { echo "vm: $*" >&2; }

mkdir -p "$RESULTS/vm" || { echo "vm: cannot create $RESULTS/vm" >&2; exit 2; }
RESULTS=$(cd "$RESULTS" && pwd)
COUNTS=$RESULTS/vm.counts
rm -f "$COUNTS"

# fatal MSG: report, record one failure so no stale count survives, exit 2
fatal() {
    echo "vm: error: $*" >&2
    echo "passed=0 failed=1 skipped=0" > "$COUNTS"
    exit 2
}

if [ -z "${GUEST_KVER:-}" ]; then
    GUEST_KVER=$(ls -1d "${GUEST_ROOT:-}"/lib/modules/6.1.* 2>/dev/null | sed 's|.*/||' | sort -V | tail -n1)
fi
[ -n "$GUEST_KVER" ] || fatal "no guest kernel: no ${GUEST_ROOT:-}/lib/modules/6.1.* (install linux-image-amd64) and GUEST_KVER unset"
export GUEST_KVER GUEST_ROOT=${GUEST_ROOT:-}
KERNEL=$GUEST_ROOT/boot/vmlinuz-$GUEST_KVER
# symbols for boot_watchdog's register dump of a hung guest
SYSTEM_MAP=${MLTEST_SYSTEM_MAP:-${GUEST_ROOT:-}/boot/System.map-$GUEST_KVER}
[ -r "$KERNEL" ] || fatal "guest kernel $KERNEL missing or unreadable"

# The bzImage decompresses itself (xz, zstd) in the guest: ~2.5 s of TCG per
# boot.  Extract the ELF vmlinux once and boot it through its PVH entry.
prepare_kernel() {
    [ "${MLTEST_PVH:-1}" = 1 ] || return 0
    local cache=$RESULTS/vm/.kernel-cache key out off
    key=$(stat -c '%s-%Y' "$KERNEL")
    out=$cache/vmlinux-$GUEST_KVER-$key
    if [ ! -s "$out" ]; then
        mkdir -p "$cache"
        rm -f "$cache"/vmlinux-"$GUEST_KVER"-*
        # Debian's 6.1 compresses with xz, 6.12 with zstd
        off=$(LC_ALL=C grep -aobP '\xfd7zXZ\x00' "$KERNEL" | head -n1 | cut -d: -f1)
        if [ -n "$off" ]; then
            tail -c +$((off + 1)) "$KERNEL" | xz -dc > "$out.tmp" 2>/dev/null
        elif command -v zstd > /dev/null; then
            off=$(LC_ALL=C grep -aobP '\x28\xb5\x2f\xfd' "$KERNEL" | head -n1 | cut -d: -f1)
            [ -n "$off" ] && tail -c +$((off + 1)) "$KERNEL" | zstd -dcq > "$out.tmp" 2>/dev/null
        fi
        # an ELF with the PVH entry note (XEN_ELFNOTE_PHYS32_ENTRY, 0x12)
        if [ -s "$out.tmp" ] && [ "$(head -c4 "$out.tmp" | od -An -c | tr -d ' ')" = '177ELF' ] &&
           readelf -n "$out.tmp" 2>/dev/null | grep -q '0x00000012'; then
            mv "$out.tmp" "$out"
        else
            rm -f "$out.tmp"
            say "note: cannot extract a PVH vmlinux from $KERNEL; booting the bzImage"
            return 0
        fi
    fi
    KERNEL=$out
}
prepare_kernel

COMP=${MLTEST_COMPRESS:-}
if [ -z "$COMP" ]; then
    COMP=gz
    if command -v lz4 >/dev/null && grep -q '^CONFIG_RD_LZ4=y' "$GUEST_ROOT/boot/config-$GUEST_KVER" 2>/dev/null; then
        COMP=lz4
    fi
fi
case "$COMP" in
    gz|lz4|zst) INITRD=$RESULTS/vm/initramfs.cpio.$COMP ;;
    raw)        INITRD=$RESULTS/vm/initramfs.cpio ;;
    *) fatal "MLTEST_COMPRESS must be gz, lz4, zst or raw" ;;
esac
command -v qemu-system-x86_64 >/dev/null || fatal "qemu-system-x86_64 not installed (apt-get install qemu-system-x86)"

if [ "${MLTEST_KVM:-0}" = 1 ]; then
    ACCEL=(-enable-kvm -cpu host)
else
    ACCEL=(-accel tcg)
fi
OOPS="oops=panic"
[ "${MLTEST_OOPS_PANIC:-1}" = 0 ] && OOPS=""
# tsc=reliable: TCG's TSC is the host's clock on every vCPU.  Untrusted,
# 6.1 finds the vCPUs' TSCs unsynchronized at boot and falls back to the
# HPET, an emulated MMIO read per clock read (25-40% of the I/O rate in
# make bench); and the clocksource watchdog may declare it unstable at run
# time, which flips the sched_clock static keys: code patching that TCG
# can get wrong on the other vCPU (stale_int3)
APPEND_BASE="console=ttyS0 loglevel=4 panic=-1 tsc=reliable $OOPS mltest_timeout_scale=${MLTEST_TIMEOUT_SCALE:-1} ${MLTEST_APPEND:-}"

qemu_base() {
    echo qemu-system-x86_64 "${ACCEL[@]}" -m "$MEM" -smp "$SMP" -nodefaults -no-user-config \
        -kernel "$KERNEL" -initrd "$INITRD" -display none -no-reboot -nic none
}

build_image() {
    local t0=$SECONDS
    MODULE=$MODULE MIRRORCTL=$MIRRORCTL "$HERE/build-initramfs.sh" "$INITRD" \
        || fatal "building the initramfs failed"
    say "initramfs built in $((SECONDS - t0)) s"
}

# ----------------------------------------------------------- interactive ---
case "${1:-}" in
--shell|--demo)
    what=shell; [ "$1" = --demo ] && what=demo
    if [ -n "$MODULE" ] && [ ! -f "$MODULE" ]; then
        say "warning: $MODULE not found; booting without the module under test"
        MODULE=""
    fi
    build_image
    mkdir -p "$RESULTS/vm/$what"
    say "booting an interactive guest (Ctrl-A X quits)"
    # shellcheck disable=SC2046
    exec $(qemu_base) -serial mon:stdio -serial "file:$RESULTS/vm/$what/tap.log" \
        -append "$APPEND_BASE mltest=$what"
    ;;
--list)
    for c in "$HERE"/cases/*.sh; do basename "$c" .sh; done
    exit 0 ;;
-h|--help)
    sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'
    exit 0 ;;
-*)
    echo "usage: $0 [--shell|--demo|--list|CASE...]" >&2; exit 2 ;;
esac

# ------------------------------------------------------------------ cases ---
CASES=()
declare -A CASE_FILE=()
# MLTEST_CASES: the cases to run when none are named (make check-vm, a
# quick try of the whole check with a few cases)
if [ $# -eq 0 ] && [ -n "${MLTEST_CASES:-}" ]; then
    # shellcheck disable=SC2086  # a space-separated list, split on purpose
    set -- $MLTEST_CASES
fi
if [ $# -eq 0 ]; then
    for c in "$HERE"/cases/*.sh; do [ -e "$c" ] && CASES+=("$(basename "$c" .sh)"); done
else
    # A CASE with a slash is a case file elsewhere (tests/bench/...): it is
    # carried into the image beside the lane's own cases.
    MLTEST_EXTRA_CASES=""
    for c in "$@"; do
        if [ "${c#*/}" != "$c" ]; then
            [ -f "$c" ] || fatal "no such case file: $c"
            f=$(cd "$(dirname "$c")" && pwd)/$(basename "$c")
            c=$(basename "$c" .sh)
            [ -f "$HERE/cases/$c.sh" ] && fatal "case file $f shadows the lane's case $c"
            CASE_FILE[$c]=$f
            MLTEST_EXTRA_CASES="$MLTEST_EXTRA_CASES $f"
        else
            c=${c%.sh}
            [ -f "$HERE/cases/$c.sh" ] || fatal "no such case: $c (see $0 --list)"
        fi
        CASES+=("$c")
    done
    export MLTEST_EXTRA_CASES
fi
[ ${#CASES[@]} -gt 0 ] || fatal "no cases in $HERE/cases"

[ -n "$MODULE" ] || fatal "MODULE is empty: the cases need the module under test"
[ -f "$MODULE" ] || fatal "module under test $MODULE not found: build it first (top-level 'make'), or set MODULE=/path/to/dm-mirrorlive.ko"

LANE_T0=$(date +%s.%N)
build_image

# case_header FILE KEY: the value of the case file's "# KEY: value" line
case_header() {
    sed -n "s/^# *$2: *//p" "$1" | head -n1 | sed 's/[[:space:]]*$//'
}

# size_bytes SIZE: 256M, 1G, 512K or a plain byte count, in bytes
size_bytes() {
    case "$1" in
        *[kK]) echo $(( ${1%?} * 1024 )) ;;
        *[mM]) echo $(( ${1%?} * 1048576 )) ;;
        *[gG]) echo $(( ${1%?} * 1073741824 )) ;;
        *[!0-9]*|"") return 1 ;;
        *) echo "$1" ;;
    esac
}

# make_disks DIR SPEC: create the raw disk files a "# disks:" line asks
# for (e.g. "2x256M 1M": three disks) as DIR/disk<i>.raw, sparse and
# zeroed, and print the QEMU options that attach them as virtio-blk drives
# (the guest sees /dev/vda, /dev/vdb... in that order).
make_disks() {
    local dir=$1 item n size bytes i=0 k
    for item in $2; do
        n=1 size=$item
        case "$item" in *x*) n=${item%%x*} size=${item#*x} ;; esac
        bytes=$(size_bytes "$size") && [ -n "$n" ] && [ "$n" -ge 1 ] 2>/dev/null ||
            { echo "vm: bad '# disks:' item '$item' (want SIZE or NxSIZE)" >&2; return 1; }
        for ((k = 0; k < n; k++)); do
            rm -f "$dir/disk$i.raw"
            truncate -s "$bytes" "$dir/disk$i.raw" || return 1
            printf -- '-drive file=%s,format=raw,if=virtio,cache=writeback ' "$dir/disk$i.raw"
            i=$((i + 1))
        done
    done
}

# boot_watchdog DIR SUFFIX PID: a guest whose init has not said
# "# mltest-boot" within BOOT_TMO s is stuck in the kernel's own boot,
# before the case or the module ran: dump its vCPUs' state to
# DIR/hung<SUFFIX>.txt (qemu-hung.py, through the QEMU monitor), kill it
# and leave DIR/boothung<SUFFIX> for run_case, which boots it once more.
# Ends as soon as init speaks or the guest (PID, its timeout) is gone.
boot_watchdog() {
    local dir=$1 sfx=$2 pid=$3 end=$((SECONDS + BOOT_TMO))
    while [ $SECONDS -lt $end ]; do
        grep -q '# mltest-boot' "$dir/tap$sfx.log" 2>/dev/null && return 0
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 1
    done
    grep -q '# mltest-boot' "$dir/tap$sfx.log" 2>/dev/null && return 0
    date +%s > "$dir/boothung$sfx"
    "$HERE/qemu-hung.py" "$dir/qemu$sfx.mon" "$SYSTEM_MAP" > "$dir/hung$sfx.txt" 2>&1
    kill -KILL "$(cat "$dir/qemu$sfx.pid" 2>/dev/null)" 2>/dev/null
    return 0
}

# boot_guest NAME DIR BOOT LAST TMO DRIVES APPEND: run one boot of a case
# and stream its TAP.  A boot that is not the last ends when the case prints
# "# mltest-kill": QEMU is then killed with SIGKILL, the hard way, and
# DIR/killed<SUFFIX> records it.  Logs get the suffix ".bootN" from the
# second boot on.
boot_guest() {
    local name=$1 dir=$2 boot=$3 last=$4 tmo=$5 drives=$6 append=$7 sfx="" qpid rc
    [ "$boot" -gt 1 ] && sfx=.boot$boot
    : > "$dir/tap$sfx.log"; : > "$dir/console$sfx.log"
    rm -f "$dir/qemu$sfx.pid" "$dir/qemu$sfx.mon" "$dir/killed$sfx" "$dir/boothung$sfx"
    # shellcheck disable=SC2046,SC2086
    timeout -k 5 "$tmo" $(qemu_base) $drives -pidfile "$dir/qemu$sfx.pid" \
        -monitor "unix:$dir/qemu$sfx.mon,server=on,wait=off" \
        -serial "file:$dir/console$sfx.log" -serial "file:$dir/tap$sfx.log" \
        -append "$APPEND_BASE mltest=$name mltest_case_timeout=$tmo $append" > "$dir/qemu$sfx.log" 2>&1 &
    qpid=$!
    boot_watchdog "$dir" "$sfx" "$qpid" &
    # no filter between tail and the loop: one would buffer, and hold
    # back the kill request until the guest is gone
    tail -s 0.2 -n +1 -F --pid=$qpid "$dir/tap$sfx.log" 2>/dev/null |
    while IFS= read -r line; do
        line=${line%$'\r'}
        printf '[%s] %s\n' "$name" "$line"
        case "$line" in
        "# mltest-kill"*)
            if [ "$last" = 0 ] && [ ! -e "$dir/killed$sfx" ] && [ -s "$dir/qemu$sfx.pid" ]; then
                kill -KILL "$(cat "$dir/qemu$sfx.pid")" 2>/dev/null &&
                    date +%s.%N > "$dir/killed$sfx" &&
                    printf '[%s] # runner: guest killed with SIGKILL (boot %s)\n' "$name" "$boot"
            fi ;;
        esac
    done
    wait $qpid 2>/dev/null   # the result says why a guest was killed
    rc=$?
    echo "$rc" > "$dir/qemu$sfx.rc"
    return 0
}

# boot_result DIR BOOT LAST WALL: "passed failed skipped uptime wall|why" of
# one boot.  A boot before the last must have been killed on its request.
boot_result() {
    local dir=$1 boot=$2 last=$3 wall=$4 sfx="" killed=0
    [ "$boot" -gt 1 ] && sfx=.boot$boot
    [ -e "$dir/killed$sfx" ] && killed=1
    [ -e "$dir/boothung$sfx" ] && killed=2
    tr -d '\r' < "$dir/tap$sfx.log" | awk -v qrc="$(cat "$dir/qemu$sfx.rc")" -v tmo="$tmo" \
        -v boot_tmo="$BOOT_TMO" \
        -v wall="$wall" -v console="$dir/console$sfx.log" -v last="$last" -v killed="$killed" '
        /^ok /              { n++; if (toupper($0) ~ /# *SKIP/) s++; else p++; next }
        /^not ok /          { n++; if (toupper($0) ~ /# *TODO/) p++; else f++; next }
        /^1\.\.[0-9]+/      { plan = substr($0, 4) + 0; hasplan = 1; next }
        /^# mltest-done /   { done = 1; drc = $3 + 0; next }
        /^# mltest-kill/    { kill = 1; next }
        /^# mltest-boot /   { boot = $4; sub(/uptime=/, "", boot); next }
        /^Bail out!/        { bail = $0; next }
        END {
            while ((getline l < console) > 0)
                if (l ~ /Kernel panic/) panic = l
            why = ""
            if (killed == 2)            why = why sprintf("; no \"# mltest-boot\" in %d s: the kernel hung before init, twice", boot_tmo)
            else if (!killed && (qrc == 124 || qrc == 137)) why = why sprintf("; timed out after %d s", tmo)
            if (panic != "")            why = why "; kernel panic: " panic
            if (bail != "")             why = why "; " bail
            if (killed == 2) {
                # said above
            } else if (last) {
                if (!done)              why = why "; no \"# mltest-done\" sentinel (guest died or hung)"
                else if (drc != 0 && f == 0) why = why sprintf("; case exited %d without a failing test", drc)
            } else if (!kill) {
                why = why "; no \"# mltest-kill\" request: the next boot cannot run"
            } else if (!killed) {
                why = why "; the runner could not kill the guest"
            }
            if ((done || kill) && !hasplan) why = why "; no plan line"
            else if (hasplan && plan != n) why = why sprintf("; plan 1..%d but %d tests ran", plan, n)
            if (why != "") { f++; sub(/^; /, "", why) }
            printf "%d %d %d %s %s|%s\n", p, f, s, (boot == "" ? "?" : boot), wall, why
        }'
}

# show_console NAME LOG: the start of the first kernel splat, unless the
# tail shows it, and the last 40 lines of a console log.
show_console() {
    local name=$1 log=$2 total first
    total=$(wc -l < "$log")
    first=$(grep -nE 'BUG:|Oops|WARNING:|general protection|Kernel panic|blocked for more than|mltest: watchdog' \
        "$log" | head -n1 | cut -d: -f1)
    if [ -n "$first" ] && [ "$first" -le $((total - 40)) ]; then
        echo "[$name] --- console from line $first (first kernel splat) ---"
        sed -n "${first},$((first + 39))p" "$log" | tr -d '\r' | sed "s/^/[$name] | /"
    fi
    echo "[$name] --- last 40 console lines ($log) ---"
    tail -n 40 "$log" | tr -d '\r' | sed "s/^/[$name] | /"
}

# stale_int3 DIR: did a guest of this case die on an int3 trap outside any
# module?  That is QEMU TCG running a stale translation of kernel text that
# another vCPU was patching (static keys: "sched_clock: Marking stable" at
# boot, a clocksource flip later): Debian's 6.12 oopsed so at
# sched_clock_cpu+0x9 with the patched "66 90" already in memory.  Nothing
# of ours patches code, and a BUG or WARN in the module is an invalid opcode,
# not an int3, so this never hides a fault of the module.
stale_int3() {
    local log rip
    for log in "$1"/console.log "$1"/console.boot*.log; do
        [ -f "$log" ] || continue
        case "$log" in *.noinit.log) continue ;; esac
        rip=$(tr -d '\r' < "$log" | grep -A4 'Oops: int3' | grep -m1 'RIP: ')
        [ -n "$rip" ] && [ "${rip%\]}" = "$rip" ] && return 0
    done
    return 1
}

# run_case NAME: run a case (run_case_once); a case whose guest died of
# stale_int3 is run once more from scratch, the first try kept in DIR.try1
run_case() {
    local name=$1 dir=$RESULTS/vm/$1 F file=${CASE_FILE[$1]:-$HERE/cases/$1.sh} once
    once=$(case_header "$file" once)
    if [ -n "$once" ] && [ "${MLTEST_ONCE_SKIP:-0}" = 1 ]; then
        rm -rf "$dir"; mkdir -p "$dir"
        echo "[$name] ok 1 - $name # SKIP runs on the first kernel only: $once"
        echo "0 0 1 - 0|" > "$dir/result"
        return
    fi
    run_case_once "$name"
    read -r _ F _ < "$dir/result"
    if [ "$F" -gt 0 ] && stale_int3 "$dir"; then
        rm -rf "$dir.try1" && mv "$dir" "$dir.try1"
        echo "[$name] # runner: the guest died on a stale int3 (QEMU TCG and kernel code patching, not the case): running the case again; first try: $dir.try1"
        run_case_once "$name"
    fi
}

# run_case_once NAME: boot one guest (or, for a "# boots: N" case, N guests
# one after the other over the same disks), stream its TAP, write
# $dir/result
run_case_once() {
    local name=$1 dir=$RESULTS/vm/$1 file=${CASE_FILE[$1]:-$HERE/cases/$1.sh}
    local tmo boots disks drives="" ndisks=0 b last t0 t1 sfx append res smp
    local P=0 F=0 S=0 BOOT="?" WALL=0 WHY="" nums why p f s boot wall
    rm -rf "$dir"; mkdir -p "$dir"
    tmo=$(case_header "$file" timeout | sed -n 's/^\([0-9][0-9]*\).*/\1/p')
    tmo=$(( ${tmo:-$DEF_TIMEOUT} * ${MLTEST_TIMEOUT_SCALE:-1} ))
    # qemu_base reads SMP: this case's guests get at least its "# smp: N"
    smp=$(case_header "$file" smp | sed -n 's/^\([1-9][0-9]*\).*/\1/p')
    local SMP=$SMP
    [ -n "$smp" ] && [ "$smp" -gt "$SMP" ] && SMP=$smp
    boots=$(case_header "$file" boots)
    boots=${boots:-1}
    disks=$(case_header "$file" disks)
    case "$boots" in
        [1-9]|[1-9][0-9]) ;;
        *) WHY="bad '# boots: $boots' line"; boots=0 ;;
    esac
    if [ -n "$disks" ]; then
        if drives=$(make_disks "$dir" "$disks"); then
            ndisks=$(echo "$drives" | grep -o -- '-drive ' | wc -l)
        else
            WHY="cannot create the disks of '# disks: $disks'"; boots=0
        fi
    fi
    for ((b = 1; b <= boots; b++)); do
        last=0; [ "$b" -eq "$boots" ] && last=1
        sfx=""; [ "$b" -gt 1 ] && sfx=.boot$b
        append=""
        [ "$boots" -gt 1 ] && append="mltest_boot=$b"
        [ "$ndisks" -gt 0 ] && append="$append mltest_disks=$ndisks"
        t0=$(date +%s.%N)
        boot_guest "$name" "$dir" "$b" "$last" "$tmo" "$drives" "$append"
        if ! grep -q '# mltest-boot' "$dir/tap$sfx.log"; then
            # The guest never reached init: it hung (boot_watchdog) or died
            # in the kernel's own boot (TCG has oopsed Debian's 6.12 at 2 s,
            # an int3 left by code patching).  Nothing of the case or the
            # module had run and the disks are as they were, so boot once
            # more; the failed boot's console is kept.
            why="died before init"
            [ -e "$dir/boothung$sfx" ] && why="hung before init (no '# mltest-boot' in $BOOT_TMO s)"
            mv "$dir/console$sfx.log" "$dir/console$sfx.noinit.log"
            echo "[$name] # runner: boot $b $why; console: $dir/console$sfx.noinit.log; booting again"
            boot_guest "$name" "$dir" "$b" "$last" "$tmo" "$drives" "$append"
        fi
        t1=$(date +%s.%N)
        res=$(boot_result "$dir" "$b" "$last" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')")
        IFS='|' read -r nums why <<< "$res"
        read -r p f s boot wall <<< "$nums"
        P=$((P + p)) F=$((F + f)) S=$((S + s))
        [ "$b" -eq 1 ] && BOOT=$boot
        WALL=$(awk -v a="$WALL" -v b="$wall" 'BEGIN { print a + b }')
        if [ -n "$why" ]; then
            [ "$boots" -gt 1 ] && why="boot $b: $why"
            WHY="${WHY:+$WHY; }$why"
            echo "[$name] not ok - case: $why"
            show_console "$name" "$dir/console$sfx.log"
            # a boot that failed this way leaves the next one nothing to find
            [ "$last" = 1 ] || break
        fi
    done
    if [ "$boots" -eq 0 ]; then
        F=1
        echo "[$name] not ok - case: $WHY"
    fi
    echo "$P $F $S $BOOT $WALL|$WHY" > "$dir/result"
    printf '[%s] passed=%d failed=%d skipped=%d boot=%ss wall=%.1fs\n' "$name" "$P" "$F" "$S" "$BOOT" "$WALL"
}

running=0
for c in "${CASES[@]}"; do
    if [ "$JOBS" -le 1 ]; then
        run_case "$c"
    else
        run_case "$c" &
        running=$((running + 1))
        if [ $running -ge "$JOBS" ]; then wait -n; running=$((running - 1)); fi
    fi
done
wait

P=0 F=0 S=0
for c in "${CASES[@]}"; do
    r=$RESULTS/vm/$c/result
    if [ -s "$r" ]; then
        read -r p f s _ < "$r"
    else
        p=0 f=1 s=0
    fi
    P=$((P + p)) F=$((F + f)) S=$((S + s))
done
echo "passed=$P failed=$F skipped=$S" > "$COUNTS"
LANE_T1=$(date +%s.%N)
printf 'vm: %d case(s): passed=%d failed=%d skipped=%d in %.1f s (results in %s)\n' \
    "${#CASES[@]}" "$P" "$F" "$S" "$(awk -v a="$LANE_T0" -v b="$LANE_T1" 'BEGIN { print b - a }')" "$RESULTS/vm" >&2
[ "$F" -eq 0 ]
