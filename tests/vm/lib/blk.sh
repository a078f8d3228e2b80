# shellcheck shell=sh disable=SC3043 # (local: busybox ash and dash have it)
# blk.sh - block devices: brd and null_blk disks, device numbers and
# sizes, and whole-device content (zeroes, 0xff, comparisons).

# brd_setup COUNT MIB: (re)load brd with COUNT ramdisks of MIB MiB each
# (/dev/ram0..); brd takes one size for all disks, once per load.
brd_setup() {
    local i
    if module_loaded brd; then rmmod brd || return 1; fi
    modprobe brd rd_nr="$1" rd_size=$(($2 * 1024)) || return 1
    i=0
    while [ $i -lt "$1" ]; do
        [ -b /dev/ram$i ] || { echo "brd_setup: /dev/ram$i missing" >&2; return 1; }
        i=$((i + 1))
    done
}

# nullb NAME ATTR=VALUE...: a null_blk disk made through configfs (the
# null_blk module must be loaded; the disk is /dev/NAME), with the given
# attributes (size in MiB, blocksize, irqmode, completion_nsec, ...).
nullb() {
    local dir kv
    dir=/sys/kernel/config/nullb/$1
    shift
    mkdir "$dir" || return 1
    for kv in "$@"; do
        echo "${kv#*=}" > "$dir/${kv%%=*}" || return 1
    done
    echo 1 > "$dir/power" || return 1
    [ -b "/dev/${dir##*/}" ] || { echo "nullb: no /dev/${dir##*/} after power on" >&2; return 1; }
}

# nullb_remove NAME...: power off and delete null_blk disks made by nullb.
nullb_remove() {
    local nb
    for nb in "$@"; do
        echo 0 > "/sys/kernel/config/nullb/$nb/power" &&
            rmdir "/sys/kernel/config/nullb/$nb" || return 1
    done
}

# devno DEV: "major:minor" in decimal, as dm prints devices in tables.
devno() {
    local mm
    mm=$(stat -L -c '%t %T' "$1") || return 1
    set -- $mm
    echo "$((0x$1)):$((0x$2))"
}

# dev_sectors DEV: size in 512-byte sectors.
dev_sectors() { blockdev --getsz "$1"; }

# zero_dev DEV...: overwrite whole devices with zeroes (O_DIRECT).
zero_dev() {
    local dev bytes
    for dev in "$@"; do
        bytes=$(blockdev --getsize64 "$dev") || return 1
        dd if=/dev/zero of="$dev" oflag=direct,seek_bytes iflag=count_bytes bs=1M count="$bytes" 2>/dev/null || return 1
    done
}

# is_zero DEV START COUNT: COUNT sectors from START read as zeroes (O_DIRECT).
is_zero() {
    local nonzero
    nonzero=$(dd if="$1" iflag=direct,skip_bytes,count_bytes bs=1M skip=$(($2 * 512)) \
        count=$(($3 * 512)) 2>/dev/null | tr -d '\000' | wc -c)
    echo "is_zero $1 $2+$3: $nonzero non-zero bytes"
    [ "$nonzero" -eq 0 ]
}

# same_content A B [SECTORS]: compare two devices (O_DIRECT reads, so no
# stale page cache), the first SECTORS sectors or all of A.
same_content() {
    local n a b
    n=${3:-$(dev_sectors "$1")}
    a=$(dd if="$1" iflag=direct,count_bytes bs=1M count=$((n * 512)) 2>/dev/null | md5sum | cut -d' ' -f1)
    b=$(dd if="$2" iflag=direct,count_bytes bs=1M count=$((n * 512)) 2>/dev/null | md5sum | cut -d' ' -f1)
    echo "same_content $1 $2 ($n sectors): $a $b"
    [ "$a" = "$b" ]
}

# no_holders DEV: no dm table holds the block device any more.
no_holders() {
    local holders
    holders=$(ls "/sys/class/block/$(basename "$1")/holders" 2>/dev/null)
    echo "holders of $1: '${holders}'"
    [ -z "$holders" ]
}

# fill_ff DEV: overwrite the whole device with 0xff bytes (O_DIRECT), so a
# block a copy skipped shows.
fill_ff() {
    local mib
    mib=$(($(blockdev --getsize64 "$1") / 1048576))
    tr '\0' '\377' < /dev/zero |
        dd of="$1" bs=1M count="$mib" iflag=fullblock oflag=direct 2>/dev/null
}
