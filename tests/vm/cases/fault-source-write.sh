#!/bin/sh
# Source write failures reach the writer, and nothing is silently
# acknowledged (issue 6, fault matrix; Documentation/interface.rst,
# invariant 1).
#
# "Nothing silently acknowledged": a write the mirror completes without an
# error is on the source -- the leg every read comes from and the one a
# cancel keeps -- and a write that did not reach the source completes with
# an error, whatever the destination did with its copy.  To check it, fio
# writes one generation once over every block (randwrite, random map, no
# repeats) through the mirror, going on after write errors and logging the
# offset of each one (continue_on_error=write, error_dump); meanwhile the
# source (a dm device "mls" over ram0) fails writes for about a second.
# Then a verify-only replay of the whole run on the raw source lists every
# block that does not hold the generation.  The two lists must be the same
# set of offsets:
#   - a block that lacks the data, but whose write fio saw succeed, is a
#     silently acknowledged write;
#   - a write fio saw fail whose block holds the data would be an error
#     reported for a write that landed;
# and there must be errors at all, as many as fio counted and as the
# mirror counted in source_errors; the mirror stays healthy (no
# destination error, reason "-").
#   1  ready: mls is switched to the "error" target (reads fail too, but
#      in ready nothing reads the source);
#   2  copying (throttled): mls is switched to dm-flakey error_writes, so
#      the copy's reads still work; the copy then reaches ready, and
#      mirrorctl complete switches to the destination with a warning that
#      names the source errors.
# timeout: 150
. /tests/lib.sh
setup

# wait_fio GEN SECS: wait until the background fio of GEN ends by itself
wait_fio() {
	_i=0
	while fio_running "$1" && [ $_i -lt $(($2 * 10)) ]; do sleep 0.1; _i=$((_i + 1)); done
	! fio_running "$1"
}

# write_errors GEN: the offsets of the writes fio saw fail, sorted, in
# $FIO_AUX/gGEN.errs; prints their number
write_errors() {
	sed -n 's/.*io_u error on file .*: write offset=\([0-9]*\),.*/\1/p' \
		"$FIO_AUX/g$1.bglog" | sort -n > "$FIO_AUX/g$1.errs"
	wc -l < "$FIO_AUX/g$1.errs" | tr -d ' '
}

# fio_total_err GEN: fio's own count of the errors it went on after (the
# next to last field of the terse line with continue_on_error)
fio_total_err() {
	_fio_terse "$FIO_AUX/g$1.w" | awk -F';' '{ print $(NF - 1) }'
}

# stale_blocks GEN DEV: replay gen GEN's run on DEV, verifying every block
# and going on after mismatches; the offsets that do not hold GEN's
# pattern, sorted, go to $FIO_AUX/gGEN.stale.DEV; prints their number
stale_blocks() {
	_f=$FIO_AUX/g$1.stale.$(basename "$2")
	fio --aux-path="$FIO_AUX" --name="g$1" --filename="$2" --rw=randwrite \
		--verify=pattern --verify_pattern="$(fio_pattern "$1")" \
		$FIO_BASE $(_fio_verify_opts $(cat "$FIO_AUX/g$1.opts")) \
		--verify_only --verify_state_load=1 --verify_state_save=0 \
		--continue_on_error=verify --output="$_f.out" > "$_f.log" 2>&1
	echo "stale_blocks $2 gen $1: fio rc=$?, read $(_fio_field "$_f.out" 6) KiB" >&2
	sed -n 's/.*verify failed at file [^ ]* offset \([0-9]*\),.*/\1/p' "$_f.log" |
		sort -n > "$_f"
	cp "$_f.out" "$FIO_AUX/g$1.v"
	wc -l < "$_f" | tr -d ' '
}

# same_set DESC A B: the two sorted offset files are equal
same_set() {
	if cmp -s "$2" "$3"; then
		t_pass "$1"
	else
		t_notok "$1" "only in $(basename "$2"): $(comm -23 "$2" "$3" | head -n 5 | tr '\n' ' ')" \
			"only in $(basename "$3"): $(comm -13 "$2" "$3" | head -n 5 | tr '\n' ' ')"
	fi
}

t_ok "modprobe dm-flakey" modprobe dm-flakey
t_ok "brd: 2 x 64 MiB" brd_setup 2 64
S=$(dev_sectors /dev/ram0)
KIB=$((S / 2))
LIN0="0 $S linear /dev/ram0 0"
# one pass over every block, at a pace that leaves room for the window
ONCE="--continue_on_error=write --error_dump=1 --rate_iops=2500"

t_ok "ram0: gen 1 on every block" fio_write /dev/ram0 1
t_ok "mls = linear(ram0)" dm_create mls "$LIN0"
t_ok "wrap mls as vm" mirrorctl wrap /dev/mapper/mls vm

# check P GEN: the assertions of the header, after gen GEN ended
check() {
	p=$1 g=$2
	t_ok "$p: writer gen $g ended by itself" wait_fio "$g" 120
	fio_stop "$g" > /dev/null 2>&1
	n=$(write_errors "$g")
	diag "$p: fio saw $n failed writes; first: $(grep -m1 'io_u error' "$FIO_AUX/g$g.bglog")"
	t_num "$p: the writer got errors" "$n" -gt 0
	t_eq "$p: every one an EIO on a write" \
		"$(grep -c 'io_u error on file .*: Input/output error: write offset=' "$FIO_AUX/g$g.bglog")" "$n"
	t_eq "$p: fio counted as many" "$(fio_total_err "$g")" "$n"
	t_eq "$p: the mirror counted as many source errors" "$(dm_status_field vm source_errors)" "$n"
	t_like "$p: no destination error, no failure" "$(ml_errs vm)" '^(copying|ready) 0 [0-9]+ -$'
	m=$(stale_blocks "$g" /dev/ram0)
	t_eq "$p: the verify replayed every block of the run" "$(_fio_field "$FIO_AUX/g$g.v" 6)" "$KIB"
	t_eq "$p: as many stale blocks on the source as failed writes" "$m" "$n"
	same_set "$p: stale blocks == failed writes (nothing silently acknowledged)" \
		"$FIO_AUX/g$g.errs" "$FIO_AUX/g$g.stale.ram0"
}

# ============== 1: ready, the source becomes an "error" target ==========
kmsg part1
mctl_rc 0 "1: start onto ram1, wait for ready" start vm /dev/ram1 --wait --timeout 120
t_ok "1: writer gen 2: every block once, going on after errors" \
	fio_write_bg /dev/mapper/vm 2 $ONCE
sleep 2
t_ok "1: mls -> error" swap_table mls "0 $S error"
sleep 1
t_ok "1: mls -> linear(ram0)" swap_table mls "$LIN0"
check 1 2
t_eq "1: still ready" "$(ml_phase vm)" ready
d=$(stale_blocks 2 /dev/ram1)
diag "1: $((n - d)) of the $n writes that failed on the source reached the destination"
mctl_rc 0 "1: cancel" cancel vm
t_eq "1: vm is linear(mls)" "$(dm_table vm)" "0 $S linear $(devno /dev/mapper/mls) 0"
t_eq "1: through vm too, exactly the failed writes are stale" "$(stale_blocks 2 /dev/mapper/vm)" "$n"

# ============== 2: copying, the source fails writes only ================
kmsg part2
# 2 MiB/s: 32 s of copy, so it still runs after the fault even on the
# check-debug lane's kernel, where each step takes seconds
mctl_rc 0 "2: start onto ram1 at 2 MiB/s" start vm /dev/ram1 --max-rate 2M
t_ok "2: writer gen 3: every block once, going on after errors" \
	fio_write_bg /dev/mapper/vm 3 $ONCE
sleep 2
t_eq "2: copying" "$(ml_phase vm)" copying
t_ok "2: mls -> flakey error_writes" swap_table mls "0 $S flakey /dev/ram0 0 0 1 1 error_writes"
sleep 1
t_ok "2: mls -> linear(ram0)" swap_table mls "$LIN0"
t_eq "2: the copy went on" "$(ml_phase vm)" copying
check 2 3
mctl_rc 0 "2: rate unlimited" set-rate vm 0
mctl_rc 0 "2: the copy reaches ready" wait vm --timeout 120
t_eq "2: ready, no destination error" "$(ml_errs vm | cut -d' ' -f1,2,4)" "ready 0 -"
d=$(stale_blocks 3 /dev/ram1)
diag "2: $((n - d)) of the $n writes that failed on the source reached the destination"
t_eq "2: through vm (reads the source), exactly the failed writes are stale" \
	"$(stale_blocks 3 /dev/mapper/vm)" "$n"
# complete still switches (no destination error) but warns: the legs may
# differ where a write failed on the source
mctl_rc 0 "2: complete" complete vm
t_like "2: complete warns about the source errors" "$(cat "$T_TMP/err")" \
	"^mirrorctl: vm: warning: $n source I/O errors while mirroring; "
t_eq "2: vm is linear(ram1)" "$(dm_table vm)" "0 $S linear $(devno /dev/ram1) 0"
t_ok "remove vm" dm_remove vm
t_ok "remove mls" dm_remove mls

finish
