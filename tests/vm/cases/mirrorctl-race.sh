#!/bin/sh
# Two mirrorctl processes racing on the same device, started together,
# many times over: start vs start (two destinations), complete vs cancel,
# cancel vs cancel, complete vs complete.  Exactly one of each pair wins
# (exit 0), the other is refused (exit 3) because the device is no longer
# in the state it needs; the device is left with a valid table -- linear
# over one disk, or one mirror -- live, not suspended, no inactive table;
# and the data written before verifies at the end.
# timeout: 280
# once: mirrorctl's lock between two processes; its swaps run on every kernel elsewhere
. /tests/lib.sh
setup

ROUNDS=8

t_ok "brd: 3 x 16 MiB" brd_setup 3 16
S=$(dev_sectors /dev/ram0)
R0=$(devno /dev/ram0) R1=$(devno /dev/ram1) R2=$(devno /dev/ram2)
t_ok "wrap ram0 as vm" mirrorctl wrap /dev/ram0 vm
t_ok "gen 1 through vm" fio_write /dev/mapper/vm 1

# race "ARGS1" "ARGS2": run two mirrorctl at once; exit codes in rc1, rc2.
race() {
	# shellcheck disable=SC2086
	mirrorctl $1 > "$T_TMP/r1" 2>&1 &
	_p1=$!
	# shellcheck disable=SC2086
	mirrorctl $2 > "$T_TMP/r2" 2>&1 &
	_p2=$!
	wait $_p1
	rc1=$?
	wait $_p2
	rc2=$?
}

# one_wins DESC: exactly one of the two exited 0 and the other 3.
one_wins() {
	case "$rc1:$rc2" in
	0:3 | 3:0) t_pass "$1: one wins, one is refused ($rc1:$rc2)" ;;
	*) t_notok "$1: one wins, one is refused" "exit codes $rc1:$rc2" \
		"first: $(cat "$T_TMP/r1")" "second: $(cat "$T_TMP/r2")" ;;
	esac
}

# valid DESC ERE: vm's table matches ERE, live, not suspended, no
# inactive table.
valid() {
	_t="$(dm_table vm) $(dmsetup info -c --noheadings -o attr vm)"
	t_like "$1: valid table" "$_t" "^($2) L--w\$"
}

# home: put vm back on linear(ram0) by copying it there if it is on ram1.
home() {
	[ "$(dm_table vm)" = "0 $S linear $R0 0" ] && return 0
	mirrorctl start vm /dev/ram0 --wait --timeout 60 && mirrorctl complete vm
}

LIN0="0 $S linear $R0 0"
i=1
while [ $i -le $ROUNDS ]; do
	race "start vm /dev/ram1" "start vm /dev/ram2"
	one_wins "round $i start vs start"
	valid "round $i start vs start" "0 $S mirrorlive $R0 0 ($R1|$R2) 0"
	t_ok "round $i: cancel" mirrorctl cancel vm

	t_ok "round $i: start, wait" mirrorctl start vm /dev/ram1 --wait --timeout 60
	race "complete vm" "cancel vm"
	one_wins "round $i complete vs cancel"
	valid "round $i complete vs cancel" "$LIN0|0 $S linear $R1 0"
	t_ok "round $i: home" home

	t_ok "round $i: start paused" mirrorctl start vm /dev/ram2 --paused
	race "cancel vm" "cancel vm"
	one_wins "round $i cancel vs cancel"
	valid "round $i cancel vs cancel" "$LIN0"

	t_ok "round $i: start, wait" mirrorctl start vm /dev/ram1 --wait --timeout 60
	race "complete vm" "complete /dev/mapper/vm"
	one_wins "round $i complete vs complete"
	valid "round $i complete vs complete" "0 $S linear $R1 0"
	t_ok "round $i: home" home
	i=$((i + 1))
done

t_eq "vm on ram0 at the end" "$(dm_table vm)" "$LIN0"
t_ok "gen 1 intact through vm" fio_verify /dev/mapper/vm 1 --verify_state_save=0
t_ok "remove vm" dm_remove vm
finish
