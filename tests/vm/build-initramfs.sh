#!/bin/bash
# Build the busybox initramfs the VM test lane boots (newc cpio, gzip).
#
#   tests/vm/build-initramfs.sh OUT.cpio.gz
#
# The compression follows OUT's name: .cpio.gz gzip (default), .cpio.lz4
# lz4 legacy format (unpacks ~1 s faster per boot under TCG; run.sh uses it
# when lz4 is installed), .cpio.zst zstd, .cpio none.
#
# Environment:
#   GUEST_KVER  guest kernel version (default: newest /lib/modules/6.1.*)
#   GUEST_ROOT  where that kernel is installed (default /): modules are
#               GUEST_ROOT/lib/modules/KVER
#   MODULE      module under test (default <repo>/dm-mirrorlive.ko);
#               MODULE= (empty) builds an image without it (shell/demo use)
#   MIRRORCTL   mirrorctl binary (default <repo>/userspace/mirrorctl;
#               skipped with a warning when missing)
#   MLTEST_EXTRA_BINS  extra host binaries to copy (space separated), each
#               to the same path, or SRC=DEST (the guest mounts tmpfs over
#               /tmp and /run, hiding anything copied there)
#
# The image is two concatenated gzip'd cpio archives (the kernel unpacks them
# in order): a "base" one holding busybox, the host binaries with their
# libraries and the kernel modules, cached under $OUTDIR/.initramfs-cache and
# rebuilt only when its inputs change, and a small "overlay" one rebuilt every
# time with /init, the test cases, the module under test and the depmod
# output.  A cold build takes a few seconds, a warm one well under a second.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)

die()  { echo "build-initramfs: error: $*" >&2; exit 1; }
warn() { echo "build-initramfs: warning: $*" >&2; }

[ $# -eq 1 ] || { echo "usage: $0 OUT.cpio.gz" >&2; exit 2; }
OUT=$1
OUTDIR=$(cd "$(dirname "$OUT")" 2>/dev/null && pwd) || die "output directory $(dirname "$OUT") does not exist"
OUT="$OUTDIR/$(basename "$OUT")"
case "$OUT" in
    *.cpio.gz|*.cpio.gzip) COMP=gz;  COMPRESS=(gzip -1 -c) ;;
    *.cpio.lz4)            COMP=lz4; COMPRESS=(lz4 -l -1 -q -c) ;;
    *.cpio.zst)            COMP=zst; COMPRESS=(zstd -3 -q -c) ;;
    *.cpio)                COMP=raw; COMPRESS=(cat) ;;
    *) die "OUT must end in .cpio.gz, .cpio.lz4, .cpio.zst or .cpio: $OUT" ;;
esac
command -v "${COMPRESS[0]}" >/dev/null || die "${COMPRESS[0]} not installed (needed for $OUT)"

if [ -z "${GUEST_KVER:-}" ]; then
    GUEST_KVER=$(ls -1d "${GUEST_ROOT:-}"/lib/modules/6.1.* 2>/dev/null | sed 's|.*/||' | sort -V | tail -n1 || true)
    [ -n "$GUEST_KVER" ] || die "no /lib/modules/6.1.* found; install linux-image-amd64 or set GUEST_KVER"
fi
KVER=$GUEST_KVER
MODDIR=${GUEST_ROOT:-}/lib/modules/$KVER
[ -d "$MODDIR/kernel" ] || die "no modules for guest kernel $KVER under $MODDIR"
MODULE=${MODULE-$REPO/dm-mirrorlive.ko}
MIRRORCTL=${MIRRORCTL-$REPO/userspace/mirrorctl}

for t in cpio gzip depmod modinfo ldd busybox; do
    command -v "$t" >/dev/null || die "host tool '$t' not found"
done
BUSYBOX=$(command -v busybox)
# Debian's busybox-static lives at /bin/busybox; refuse a dynamic one.
if ldd "$BUSYBOX" >/dev/null 2>&1; then
    die "$BUSYBOX is dynamically linked; install busybox-static"
fi

# ---------------------------------------------------------------- helpers ---

# usr_path PATH: the merged-/usr spelling (/lib/x -> /usr/lib/x), so that no
# archive ever holds a real /lib, /bin... directory next to the symlinks.
usr_path() {
    case "$1" in
        /bin/*|/sbin/*|/lib/*|/lib64/*) echo "/usr$1" ;;
        *) echo "$1" ;;
    esac
}

# copy_file SRC DST_IN_ROOT ROOT: copy SRC's content (following symlinks in
# SRC) to a fresh file in ROOT.  Whatever is at the destination (e.g. a
# busybox applet link) is removed first, never written through.
copy_file() {
    local d
    d=$(usr_path "$2")
    case "$3" in "$CACHE"/*|"$OUTDIR"/*) ;; *) die "refusing to write outside the staging dirs: $3" ;; esac
    mkdir -p "$3$(dirname "$d")"
    rm -f "$3$d"
    cp -L --preserve=mode "$1" "$3$d"
}

declare -A COPIED=()
# copy_bin ROOT BIN [NAME-IN-/usr/bin-or-sbin]: copy a dynamic binary plus
# every library ldd lists (and the loader) to the same paths in ROOT.
copy_bin() {
    local root=$1 bin=$2 dest=${3:-} lib
    [ -n "$dest" ] || dest=$bin
    copy_file "$bin" "$dest" "$root"
    # ldd prints "name => /path (addr)" and "/lib64/ld-linux... (addr)"
    while read -r lib; do
        [ -n "$lib" ] || continue
        [ -n "${COPIED[$lib]:-}" ] && continue
        COPIED[$lib]=1
        copy_file "$lib" "$lib" "$root"
    done < <(ldd "$bin" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}')
}

# ----------------------------------------------------------- base archive ---

# nbd-server, nbd-client and iproute2's ip serve the network-destination
# cases; /usr/sbin/ip replaces busybox's applet there, which has no netns.
# util-linux's losetup (-b: logical block size) and blkdiscard (-z: zeroout)
# replace busybox's, which have neither; qemu-io is QEMU's own block layer
# as a client (zero writes, discards, O_DIRECT).
HOST_BINS="/usr/sbin/dmsetup /usr/bin/fio /usr/sbin/mke2fs /usr/sbin/e2fsck /bin/kmod /usr/sbin/blkid
           /usr/bin/nbd-server /usr/sbin/nbd-client /usr/sbin/ip
           /usr/sbin/losetup /usr/sbin/blkdiscard /usr/bin/qemu-io ${MLTEST_EXTRA_BINS:-}"
# virtio_pci + virtio_blk: the raw disk files a case asks for ("# disks:")
# vfat: a loop device over a file on it advertises discard and write-zeroes
# and refuses both (no FALLOC_FL_PUNCH_HOLE or _ZERO_RANGE)
BASE_MODS="dm-mod brd loop null_blk nbd veth configfs scsi_debug ext4 crc32c_generic crc32c-intel
           virtio_pci virtio_blk vfat nls_cp437 nls_ascii"

CACHE=$OUTDIR/.initramfs-cache
mkdir -p "$CACHE"
exec 9>"$CACHE/lock"
flock 9

# The base archive's key: this script, the kernel version and the identity
# (path, size, mtime) of every host file it is built from.
base_key() {
    {
        sha256sum "${BASH_SOURCE[0]}"
        echo "$KVER $BASE_MODS"
        for b in $BUSYBOX $HOST_BINS; do
            echo "$b"
            stat -L -c '%n %s %Y' "${b%%=*}" 2>/dev/null || echo "missing $b"
        done
        stat -c '%n %s %Y' "$MODDIR/modules.dep" "$MODDIR/modules.builtin"
    } | sha256sum | cut -c1-16
}
KEY=$(base_key)
BASE=$CACHE/base-$KVER-$KEY.cpio.$COMP
MODTREE=$CACHE/modtree-$KVER-$KEY     # uncompressed module tree, for depmod

build_base() {
    local root n rel src dst
    root=$(mktemp -d "$CACHE/base-staging.XXXXXX")
    # merged-/usr layout like the host, so ldd's paths work unchanged
    mkdir -p "$root"/usr/{bin,sbin,lib,lib64} "$root"/{etc,proc,sys,dev,run,tmp,mnt,root,var}
    ln -s usr/bin "$root/bin"; ln -s usr/sbin "$root/sbin"
    ln -s usr/lib "$root/lib"; ln -s usr/lib64 "$root/lib64"
    chmod 1777 "$root/tmp"

    cp "$BUSYBOX" "$root/usr/bin/busybox"
    # applet links are relative (usr/bin/x -> busybox, usr/sbin/x ->
    # ../bin/busybox), so even a bug here cannot reach the host's files
    "$BUSYBOX" --list-full | while read -r n; do
        case "$n" in */*) ;; *) continue ;; esac   # "linuxrc"
        n=${n#/}; n=${n#usr/}            # bin/x, sbin/x, usr/bin/x -> usr/...
        [ -e "$root/usr/$n" ] || [ -L "$root/usr/$n" ] && continue
        case "$n" in
            bin/*)  ln -s busybox "$root/usr/$n" ;;
            sbin/*) ln -s ../bin/busybox "$root/usr/$n" ;;
        esac
    done

    for b in $HOST_BINS; do
        [ -x "${b%%=*}" ] || die "host binary ${b%%=*} missing"
        copy_bin "$root" "${b%%=*}" "${b#*=}"
    done
    # kmod's modprobe/insmod/rmmod/... replace busybox's (real modules.dep.bin
    # handling, softdeps, parameters); the kernel's request_module runs
    # /sbin/modprobe.
    for n in modprobe insmod rmmod lsmod modinfo depmod; do
        rm -f "$root/usr/sbin/$n" "$root/usr/bin/$n"
        ln -s ../bin/kmod "$root/usr/sbin/$n"
    done
    rm -f "$root/usr/sbin/mkfs.ext4" "$root/usr/sbin/fsck.ext4"
    ln -s mke2fs "$root/usr/sbin/mkfs.ext4"; ln -s e2fsck "$root/usr/sbin/fsck.ext4"
    [ -f /etc/mke2fs.conf ] && copy_file /etc/mke2fs.conf /etc/mke2fs.conf "$root"
    echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"
    echo 'root:x:0:' > "$root/etc/group"

    # Kernel modules: dm-mod, everything under kernel/drivers/md/, the block
    # drivers the tests use, and all their dependencies (modules.dep is
    # already transitively closed) and soft dependencies.
    local want=() m path
    while read -r path; do want+=("$path"); done < <(
        cd "$MODDIR" && find kernel/drivers/md -name '*.ko*' | sort)
    for m in $BASE_MODS; do
        path=$(modinfo ${GUEST_ROOT:+-b "$GUEST_ROOT"} -k "$KVER" -n "$m" 2>/dev/null) || { warn "module $m not found for $KVER"; continue; }
        [ "${path#"$MODDIR"/}" != "$path" ] || continue   # builtin
        want+=("${path#"$MODDIR"/}")
    done
    mkdir -p "$root/usr/lib/modules/$KVER"
    printf '%s\n' "${want[@]}" | awk -v dep="$MODDIR/modules.dep" -v soft="$MODDIR/modules.softdep" '
        BEGIN {
            while ((getline l < dep) > 0) {
                n = split(l, f, /:? +|:$/); k = f[1]; sub(/:$/, "", k)
                deps[k] = ""
                for (i = 2; i <= n; i++) if (f[i] != "") deps[k] = deps[k] " " f[i]
                b = k; sub(/.*\//, "", b); sub(/\.ko.*/, "", b); gsub(/-/, "_", b); byname[b] = k
            }
            while ((getline l < soft) > 0) {
                n = split(l, f, / +/)
                if (f[1] != "softdep") continue
                m = f[2]; gsub(/-/, "_", m)
                for (i = 3; i <= n; i++) if (f[i] !~ /:$/) { s = f[i]; gsub(/-/, "_", s); sd[m] = sd[m] " " s }
            }
        }
        function add(k,   n, i, f, b) {
            if (k == "" || (k in seen)) return
            seen[k] = 1; print k
            n = split(deps[k], f, " ")
            for (i = 1; i <= n; i++) add(f[i])
            b = k; sub(/.*\//, "", b); sub(/\.ko.*/, "", b); gsub(/-/, "_", b)
            n = split(sd[b], f, " ")
            for (i = 1; i <= n; i++) if (f[i] in byname) add(byname[f[i]])
        }
        { add($0) }' > "$root/.modlist"
    while read -r rel; do
        src=$MODDIR/$rel
        dst=$root/usr/lib/modules/$KVER/${rel%.ko*}.ko
        mkdir -p "$(dirname "$dst")"
        case "$rel" in
            *.ko.xz)  xz -dc "$src" > "$dst" ;;
            *.ko.zst) zstd -qdc "$src" > "$dst" ;;
            *.ko.gz)  gzip -dc "$src" > "$dst" ;;
            *.ko)     cp "$src" "$dst" ;;
        esac
    done < "$root/.modlist"
    for f in modules.builtin modules.builtin.modinfo modules.order; do
        [ -f "$MODDIR/$f" ] && sed 's/\.ko\.\(xz\|zst\|gz\)$/.ko/' "$MODDIR/$f" > "$root/usr/lib/modules/$KVER/$f"
    done
    rm -f "$root/.modlist"

    (cd "$root" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) \
        > "$CACHE/base-$KVER-$KEY.cpio"
    rm -rf "$MODTREE"
    mv "$root/usr/lib/modules/$KVER" "$MODTREE"
    rm -rf "$root"
    # drop stale cache generations
    find "$CACHE" -maxdepth 1 \( -name "base-*" -o -name "modtree-*" \) \
        ! -name "base-$KVER-$KEY.*" ! -name "$(basename "$MODTREE")" -exec rm -rf {} +
}

if [ ! -s "$CACHE/base-$KVER-$KEY.cpio" ] || [ ! -d "$MODTREE" ]; then
    build_base
fi
if [ ! -s "$BASE" ]; then
    "${COMPRESS[@]}" "$CACHE/base-$KVER-$KEY.cpio" > "$BASE.tmp"
    mv "$BASE.tmp" "$BASE"
fi

# -------------------------------------------------------- overlay archive ---

OV=$(mktemp -d "$OUTDIR/initramfs-overlay.XXXXXX")
trap 'rm -rf "$OV"' EXIT
mkdir -p "$OV/usr/bin" "$OV/tests/cases" "$OV/usr/lib/modules/$KVER"

MODNAME=""
if [ -n "$MODULE" ]; then
    [ -f "$MODULE" ] || die "module under test $MODULE not found (build it first, e.g. 'make' at the top level, or set MODULE=)"
    vermagic=$(modinfo -F vermagic "$MODULE" 2>/dev/null || true)
    case "$vermagic" in
        "$KVER "*) ;;
        *) die "$MODULE was built for '${vermagic%% *}', the guest kernel is $KVER (rebuild against /usr/src/linux-headers-$KVER or set GUEST_KVER)" ;;
    esac
    MODNAME=$(modinfo -F name "$MODULE" 2>/dev/null || true)
    [ -n "$MODNAME" ] || { MODNAME=$(basename "$MODULE"); MODNAME=${MODNAME%%.ko*}; }
    MODNAME=$(echo "$MODNAME" | tr _ -)
    # depmod needs the whole tree: add the module to the cached one, run
    # depmod there, keep only its output for the overlay.
    rm -rf "$MODTREE/extra"; mkdir -p "$MODTREE/extra"
    cp "$MODULE" "$MODTREE/extra/$MODNAME.ko"
    mkdir -p "$OV/usr/lib/modules/$KVER/extra"
    cp "$MODULE" "$OV/usr/lib/modules/$KVER/extra/$MODNAME.ko"
else
    warn "building without a module under test (MODULE is empty)"
    rm -rf "$MODTREE/extra"
fi
# depmod -b wants BASEDIR/lib/modules/KVER
DM=$(mktemp -d "$OUTDIR/initramfs-depmod.XXXXXX")
mkdir -p "$DM/lib/modules"
ln -s "$MODTREE" "$DM/lib/modules/$KVER"
depmod -b "$DM" "$KVER" || { rm -rf "$DM"; die "depmod failed"; }
cp "$MODTREE"/modules.* "$OV/usr/lib/modules/$KVER/"
rm -rf "$DM" "$MODTREE/extra"

if [ -n "$MIRRORCTL" ] && [ -x "$MIRRORCTL" ]; then
    copy_bin "$OV" "$MIRRORCTL" /usr/bin/mirrorctl
elif [ -n "$MIRRORCTL" ]; then
    warn "mirrorctl not found at $MIRRORCTL; the image has none"
fi
# libraries mirrorctl pulls in that the base already has are harmless dups

# the lane's own tools, tests/vm/tools/NAME.c: static, in /usr/bin/NAME;
# each binary cached by its source's hash
for src in "$HERE"/tools/*.c; do
    [ -e "$src" ] || continue
    n=$(basename "$src" .c)
    bin=$CACHE/tool-$n-$(sha256sum "$src" | cut -c1-16)
    if [ ! -x "$bin" ]; then
        command -v gcc >/dev/null || die "gcc not found: it builds tests/vm/tools/$n.c"
        gcc -static -O2 -Wall -Wextra -Werror -pthread -o "$CACHE/.tool-$n.tmp" "$src" ||
            die "tests/vm/tools/$n.c does not compile (gcc -static -Wall -Wextra -Werror; static libc: libc6-dev)"
        find "$CACHE" -maxdepth 1 -name "tool-$n-*" -exec rm -f {} +
        mv "$CACHE/.tool-$n.tmp" "$bin"
    fi
    cp "$bin" "$OV/usr/bin/$n"
done

cp "$HERE/lib.sh" "$OV/tests/lib.sh"
mkdir -p "$OV/tests/lib" && cp "$HERE"/lib/*.sh "$OV/tests/lib/"
for c in "$HERE"/cases/*.sh ${MLTEST_EXTRA_CASES:-}; do [ -e "$c" ] && cp "$c" "$OV/tests/cases/"; done
[ -f "$HERE/demo.sh" ] && cp "$HERE/demo.sh" "$OV/tests/demo.sh"
# the dmsetup-only tools, for the dmsetup-scripts cases
[ -d "$REPO/dmsetup-scripts" ] && cp -a "$REPO/dmsetup-scripts" "$OV/dmsetup-scripts"
{
    echo "MLTEST_MODNAME='$MODNAME'"
    echo "MLTEST_KVER='$KVER'"
    echo "MLTEST_BUILT='$(date -u +%Y-%m-%dT%H:%M:%SZ)'"
    [ -n "$MODULE" ] && echo "MLTEST_MODULE_SHA='$(sha256sum "$MODULE" | cut -c1-12)'"
} > "$OV/tests/env"

cat > "$OV/init" <<'EOF'
#!/bin/sh
# dm-mirrorlive VM test guest: run one case (kernel parameter mltest=NAME),
# TAP on /dev/ttyS1, stderr and kernel log on the console (ttyS0).
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM=linux
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
# on the console at once: a boot that stops later stopped in init, not in
# the kernel (run.sh's boot_watchdog)
# (not in the demo, whose console is the operator's terminal)
read up0 _ < /proc/uptime
case " $(cat /proc/cmdline) " in
    *" mltest=demo "*) ;;
    *) echo "mltest: init started (uptime ${up0}s)" > /dev/console ;;
esac
mkdir -p /dev/pts /dev/shm /dev/mapper
mount -t devpts devpts /dev/pts
mount -t tmpfs -o mode=755 tmpfs /run
mount -t tmpfs -o mode=1777 tmpfs /tmp
modprobe configfs 2>/dev/null
mount -t configfs configfs /sys/kernel/config 2>/dev/null
# kmemleak and fault injection live there (the check-debug lane's kernel)
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
echo /sbin/modprobe > /proc/sys/kernel/modprobe
# report hung tasks well inside the per-case timeout
echo 60 > /proc/sys/kernel/hung_task_timeout_secs 2>/dev/null
hostname mltest
. /tests/env

MLTEST="" MLTEST_CASE_TIMEOUT="" MLTEST_BOOT=1 MLTEST_DISKS=0 MLTEST_TIMEOUT_SCALE=1
for p in $(cat /proc/cmdline); do
    case "$p" in
        mltest=*) MLTEST=${p#mltest=} ;;
        mltest_case_timeout=*) MLTEST_CASE_TIMEOUT=${p#mltest_case_timeout=} ;;
        mltest_boot=*) MLTEST_BOOT=${p#mltest_boot=} ;;
        mltest_disks=*) MLTEST_DISKS=${p#mltest_disks=} ;;
        mltest_timeout_scale=*) MLTEST_TIMEOUT_SCALE=${p#mltest_timeout_scale=} ;;
    esac
done
# MLTEST_CASE_TIMEOUT: the case's timeout in s, already scaled by
# MLTEST_TIMEOUT_SCALE; the host kills the guest that long after it started
export MLTEST MLTEST_MODNAME MLTEST_KVER MLTEST_BOOT MLTEST_DISKS MLTEST_TIMEOUT_SCALE MLTEST_CASE_TIMEOUT

# The case's disk files ("# disks:") are virtio-blk drives: no udev loads
# their drivers, so do it here and wait for /dev/vda.. (devtmpfs).
if [ "$MLTEST_DISKS" -gt 0 ] 2>/dev/null; then
    modprobe virtio_pci 2>/dev/null
    modprobe virtio_blk 2>/dev/null
    last=vd$(echo abcdefghijklmnopqrstuvwxyz | cut -c"$MLTEST_DISKS")
    i=0
    while [ ! -b "/dev/$last" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
    [ -b "/dev/$last" ] || echo "mltest: /dev/$last did not appear" > /dev/console
fi

done_and_off() {
    sync
    # closing the last fd on the tty waits until its output has drained
    echo "# mltest-done $1" > /dev/ttyS1
    sync
    poweroff -f
}

read up _ < /proc/uptime
case "$MLTEST" in
shell|"")
    echo "mltest: interactive shell (module: ${MLTEST_MODNAME:-none}; cases in /tests/cases; poweroff -f to quit)"
    setsid cttyhack sh -l
    poweroff -f ;;
demo)
    # The console is the operator's terminal: cttyhack makes it the
    # demo's controlling tty (mirrorctl draws its progress line on a
    # terminal only). On success the demo's own last line stays the last
    # one: nothing more is printed, not even the kernel's "Power down".
    if [ -f /tests/demo.sh ]; then
        setsid cttyhack sh /tests/demo.sh
        rc=$?
        [ $rc -eq 0 ] || echo "mltest: demo exited with $rc"
    else
        echo "mltest: no /tests/demo.sh in this image"
    fi
    echo 0 > /proc/sys/kernel/printk
    sync; poweroff -f ;;
*)
    c=/tests/cases/$MLTEST.sh
    echo "mltest: case $MLTEST (boot ${up}s, module ${MLTEST_MODNAME:-none})" > /dev/console
    stty -F /dev/ttyS1 -opost 2>/dev/null   # no CR before LF in the TAP log
    echo "# mltest-boot $MLTEST uptime=$up" > /dev/ttyS1
    if [ ! -f "$c" ]; then
        echo "Bail out! no such case: $MLTEST" > /dev/ttyS1
        done_and_off 127
    fi
    cd /tmp
    # Shortly before the host's timeout kills us, dump what is stuck.
    if [ -n "$MLTEST_CASE_TIMEOUT" ] && [ "$MLTEST_CASE_TIMEOUT" -gt 30 ]; then
        (
            sleep $((MLTEST_CASE_TIMEOUT - 15))
            read up _ < /proc/uptime
            echo "mltest: watchdog: case $MLTEST still running at ${up}s; blocked tasks, dm state:" > /dev/console
            # the task dumps are KERN_INFO: raise the console log level
            echo 7 > /proc/sys/kernel/printk
            echo w > /proc/sysrq-trigger
            echo 4 > /proc/sys/kernel/printk
            timeout 5 dmsetup info -c > /dev/console 2>&1
            timeout 5 dmsetup status > /dev/console 2>&1
            ps | grep -v ' \[' > /dev/console 2>&1
        ) &
    fi
    # TAP to ttyS1; lib.sh also echoes each TAP line to stderr (console) so
    # the console log interleaves results with kernel messages.
    MLTEST_TAP_ECHO=1 sh "$c" > /dev/ttyS1 2> /dev/console
    rc=$?
    read up _ < /proc/uptime
    echo "mltest: case $MLTEST exited $rc at ${up}s" > /dev/console
    done_and_off $rc ;;
esac
EOF
chmod 755 "$OV/init"

(cd "$OV" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) \
    | "${COMPRESS[@]}" > "$OUT.overlay.tmp"
cat "$BASE" "$OUT.overlay.tmp" > "$OUT.tmp"
rm -f "$OUT.overlay.tmp"
mv "$OUT.tmp" "$OUT"
echo "build-initramfs: $OUT ($(du -h "$OUT" | cut -f1), kernel $KVER, module ${MODNAME:-none})" >&2
