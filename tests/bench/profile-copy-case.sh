#!/bin/sh
# make bench's copy profiler, guest side (a VM-lane case run by
# tests/bench/profile.sh copy): an idle copy of a data-filled brd source,
# mirrorlive (default table) against dm-mirror's full resync (core log),
# three rounds interleaved, each measured (time to in sync, guest CPU busy
# and idle, context switches), beside mirrorlive with "sparse" (the copy
# looks at every chunk) and dd (1 MiB O_DIRECT, the limit), then one more
# of each sampled with perf
# (cpu-clock, all CPUs).  Prints the figures, the top symbols and the
# share of samples per command (which threads do the copy).
# Kernel command line: profile_mib=N (source size, default 1024).
# timeout: 900
. /tests/lib.sh
setup

MIB=1024
for p in $(cat /proc/cmdline); do
    case "$p" in profile_mib=*) MIB=${p#*=} ;; esac
done

# cpu_ticks: "busy idle" clock ticks of all CPUs; ctxt: context switches
cpu_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $5 + $6 }' /proc/stat; }
ctxt() { awk '/^ctxt/ { print $2 }' /proc/stat; }

t_ok "perf is in the image" command -v perf
t_ok "brd: 2 x $MIB MiB" brd_setup 2 "$MIB"
SRC=/dev/ram0 DST=/dev/ram1
S=$(dev_sectors $SRC)
t_ok "fill the source" fio --name=f --filename=$SRC --rw=write --bs=1M --direct=1 \
    --ioengine=libaio --iodepth=4 --output=/dev/null
t_ok "allocate the destination" zero_dev $DST

# copy_run CONFIG ROUND [perf]: one copy from table swap to in sync;
# CONFIG mirrorlive-sparse is mirrorlive's table with "sparse", dd is dd
copy_run() {
    _t="$1 round $2"
    _k=${1%-sparse}
    if [ "$1" = dd ]; then
        _tbl=dd
    else
        _tbl=$(copy_table "$_k" $SRC $DST) || return
        [ "$1" = mirrorlive-sparse ] && _tbl="$_tbl 1 sparse"
        t_ok "$_t: linear device over the source" dm_create prof "0 $S linear $SRC 0" || return
        dm_load prof "$_tbl" && dmsetup suspend prof || { t_fail "$_t: load"; return; }
    fi
    if [ "${3:-}" = perf ]; then
        perf record -q -o "$T_TMP/$1.data" -e cpu-clock -F 1999 -a -g > /dev/null 2>&1 &
        _pp=$!
        sleep 1
    fi
    set -- "$1" "$2" $(cpu_ticks) $(ctxt)
    _t0=$(ms_now)
    if [ "$1" = dd ]; then
        t_ok "$_t: dd" dd if=$SRC of=$DST bs=1M iflag=direct oflag=direct status=none
    else
        dmsetup resume prof
        t_ok "$_t: in sync" copy_wait "$_k" prof
    fi
    _ms=$(($(ms_now) - _t0))
    set -- "$@" $(cpu_ticks) $(ctxt)
    [ -n "${_pp:-}" ] && { kill -INT "$_pp"; wait "$_pp"; _pp=; }
    diag "profile copy $1 round $2: $_ms ms, CPU busy $(($6 - $3)) idle $(($7 - $4)) ticks, $(($8 - $5)) context switches"
    [ "$1" = dd ] || t_ok "$_t: remove" dm_remove prof
}

_pp=
CONFIGS="mirrorlive mirrorlive-sparse dm-mirror dd"
for r in 1 2 3; do
    for c in $CONFIGS; do copy_run $c $r; done
done
for c in $CONFIGS; do copy_run $c perf perf; done
for c in $CONFIGS; do
    perf report -i "$T_TMP/$c.data" --stdio --no-children --sort sym -g none 2>/dev/null |
        grep -E '^ +[0-9.]+%' | head -n 20 | while read -r l; do diag "profile copy $c sym: $l"; done
    perf report -i "$T_TMP/$c.data" --stdio --no-children --sort comm -g none 2>/dev/null |
        grep -E '^ +[0-9.]+%' | head -n 6 | while read -r l; do diag "profile copy $c comm: $l"; done
done
t_ok "the destination holds the source's data" same_content $SRC $DST

finish
