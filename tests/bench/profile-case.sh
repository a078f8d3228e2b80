#!/bin/sh
# make bench's profiler, guest side (a VM-lane case run by
# tests/bench/profile.sh): 4 KiB random writes, QD16, on one backend through
# dm-linear and through mirrorlive in ready, each measured (IOPS, guest CPU
# busy and idle) and then sampled with perf (cpu-clock, all CPUs, call
# graphs).  Prints, per configuration, the IOPS, the CPU time per write,
# the share of samples in dm-mirrorlive's own code, and the top symbols.
# Kernel command line: profile_backend=brd|null_blk (default null_blk),
# profile_runtime=S (default 8).
# timeout: 600
. /tests/lib.sh
setup

BACKEND=null_blk RUNTIME=8
for p in $(cat /proc/cmdline); do
    case "$p" in
        profile_backend=*) BACKEND=${p#*=} ;;
        profile_runtime=*) RUNTIME=${p#*=} ;;
    esac
done

t_ok "perf is in the image" command -v perf
if [ "$BACKEND" = brd ]; then
    t_ok "brd: 2 x 256 MiB" brd_setup 2 256
    t_ok "allocate both legs" zero_dev /dev/ram0 /dev/ram1
    A=/dev/ram0 B=/dev/ram1
else
    t_ok "null_blk: 2 devices, 100 us timer completions" \
        modprobe null_blk nr_devices=2 irqmode=2 completion_nsec=100000 gb=1
    A=/dev/nullb0 B=/dev/nullb1
fi
S=$(dev_sectors $A)

# cpu_ticks: "busy idle" clock ticks of all CPUs (/proc/stat)
cpu_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $5 + $6 }' /proc/stat; }

fio_run() {
    fio --name=p --filename=/dev/mapper/p --rw=randwrite --bs=4k --iodepth=16 \
        --ioengine=libaio --direct=1 --norandommap --randrepeat=0 --time_based \
        --runtime="$1" --output-format=terse --terse-version=3 --output="$2" > /dev/null 2>&1
}

for cfg in dm-linear mirrorlive; do
    case $cfg in
        dm-linear)  tbl="0 $S linear $A 0" ;;
        mirrorlive) tbl="0 $S mirrorlive $A 0 $B 0 1 nosync" ;;
    esac
    t_ok "$cfg: create" dm_create p "$tbl" || continue
    set -- $(cpu_ticks)
    t_ok "$cfg: fio" fio_run "$RUNTIME" "$T_TMP/f.out"
    set -- "$@" $(cpu_ticks)
    iops=$(_fio_field "$T_TMP/f.out" 49); iops=${iops%.*}
    ios=$(_fio_field "$T_TMP/f.out" 47); ios=$((${ios%.*} / 4))
    diag "profile $BACKEND $cfg: $iops IOPS; CPU busy $(($3 - $1)), idle $(($4 - $2)) ticks; $(awk \
        -v b=$(($3 - $1)) -v n="$ios" 'BEGIN { printf "%.1f us of busy CPU per write", b * 1e4 / n }')"
    fio --name=p --filename=/dev/mapper/p --rw=randwrite --bs=4k --iodepth=16 \
        --ioengine=libaio --direct=1 --norandommap --randrepeat=0 --time_based \
        --runtime=$((RUNTIME + 4)) --output=/dev/null > /dev/null 2>&1 &
    fp=$!
    sleep 2
    t_ok "$cfg: perf record" perf record -q -o "$T_TMP/perf.data" -e cpu-clock -F 997 -a -g -- sleep "$RUNTIME"
    wait $fp
    perf report -i "$T_TMP/perf.data" --stdio --no-children --sort sym -g none 2>/dev/null |
        grep -E '^ +[0-9.]+%' > "$T_TMP/syms"
    head -n 25 "$T_TMP/syms" | while read -r l; do diag "profile $cfg sym: $l"; done
    # dm-mirrorlive's own functions (perf folds module symbols into the
    # kernel's map, so they are picked by name from /proc/kallsyms)
    awk '$4 == "[dm_mirrorlive]" { print $3 }' /proc/kallsyms > "$T_TMP/own"
    diag "profile $cfg: samples in dm-mirrorlive's own code: $(awk 'NR == FNR { own[$1] = 1; next }
        ($3 in own) { s += $1 } END { printf "%.2f%%", s }' "$T_TMP/own" "$T_TMP/syms"), idle (native_safe_halt): $(awk '$3 == "native_safe_halt" { print $1 }' "$T_TMP/syms")"
    t_ok "$cfg: remove" dm_remove p
done

finish
