#!/bin/sh
# kill -9 of mirrorctl in the middle of start, complete and cancel (issue 6,
# fault matrix), with a writer running through all of it.
#
# The contract: a device is always on its old table or its new one, and
# never stays half switched.  A swap loads the new table, suspends, checks
# and resumes; killed in between, mirrorctl leaves the new table loaded and
# possibly the device suspended (every write then waits).  Its record in
# the lock file (userspace/journal.h) lets the next start, complete or
# cancel recover: a swap killed before its checks passed is undone, one
# killed after them is finished; then the command does its own work.
#   H  deterministic: MIRRORCTL_TEST_HOOK kills mirrorctl at each point of
#      each swap -- after the load, after the suspend, after the checks,
#      after the resume -- then the same command run again recovers and
#      ends with the device on the new table, live and not suspended;
#      groups: complete of two devices killed after resuming the first
#      (the second is finished: no group is left half switched) and after
#      suspending both (both undone, then completed);
#      a device someone else suspended is not touched;
#   R  random: kill -9 at a random time, or as soon as mirrorctl sleeps in
#      the suspend (its wchan), with dm-delay under both legs so that the
#      suspend has writes to wait for; after every kill the live table is
#      the old or the new one, and the command run again ends on the new
#      one, live.
# Every generation written verifies through the device at the end.
# timeout: 240
# once: mirrorctl's journal recovery; a suspend cut short by a signal runs on every kernel in mirrorctl-interrupt
. /tests/lib.sh
setup

ROUNDS=${MLTEST_KILL_ROUNDS:-30}
HOOK=$T_TMP/kill-hook.sh
cat > "$HOOK" <<'EOF'
#!/bin/sh
# $1 point, $2 device: kill mirrorctl (our parent) at the chosen point
[ "$1" = "$MLTEST_KILL_AT" ] || exit 0
[ -z "$MLTEST_KILL_DEV" ] || [ "$2" = "$MLTEST_KILL_DEV" ] || exit 0
kill -9 $PPID
EOF
chmod +x "$HOOK"

# attr NAME: dmsetup's attr column: L live table, I inactive table, s
# suspended ("L--w" is a device at rest)
attr() { dmsetup info -c --noheadings -o attr "$1" | tr -d ' '; }

# killed_at POINT [DEVICE] ARGS...: run mirrorctl ARGS, killed by the hook
# at POINT (of DEVICE); rc in $rc
killed_at() {
	_pt=$1 _dv=""
	shift
	case "$1" in vm|vm2) _dv=$1; shift ;; esac
	MIRRORCTL_TEST_HOOK=$HOOK MLTEST_KILL_AT=$_pt MLTEST_KILL_DEV=$_dv \
		mirrorctl "$@" > "$T_TMP/k.out" 2>&1
	rc=$?
}

# only a test build (make mirrorctl TEST_HOOKS=1) runs the hook
t_ok "mirrorctl is a test build (TEST_HOOKS=1)" \
	grep -q MIRRORCTL_TEST_HOOK "$(command -v mirrorctl)" ||
	t_abort "mirrorctl runs no MIRRORCTL_TEST_HOOK: build it with make mirrorctl TEST_HOOKS=1"
t_ok "modprobe dm-delay" modprobe dm-delay
t_ok "brd: 6 x 16 MiB" brd_setup 6 16
S=$(dev_sectors /dev/ram0)
R0=$(devno /dev/ram0) R1=$(devno /dev/ram1) R2=$(devno /dev/ram2) R3=$(devno /dev/ram3)
LIN0="0 $S linear $R0 0"
LIN1="0 $S linear $R1 0"
ML01="0 $S mirrorlive $R0 0 $R1 0"

# ================================ H ======================================
t_ok "H: wrap ram0 as vm" mirrorctl wrap /dev/ram0 vm
t_ok "H: writer gen 1 on vm" fio_write_bg /dev/mapper/vm 1 --time_based --runtime=900

# round OP POINT OLD NEW RERUN_RC ARGS...: kill OP at POINT, check the
# device, run the same command again, check it ends on NEW
round() {
	_op=$1 _pt=$2 _old=$3 _new=$4 _rerun=$5
	shift 5
	killed_at "$_pt" "$@"
	t_eq "H: $_op killed at $_pt: by SIGKILL" "$rc" 137
	case $_pt in
	loaded)    _want="$_old LI-w" ;;
	suspended|committed) _want="$_old LIsw" ;;
	resumed)   _want="$_new L--w" ;;
	esac
	t_eq "H: $_op killed at $_pt: old or new table, as expected" \
		"$(dm_table vm) $(attr vm)" "$_want"
	t_ok "H: $_op killed at $_pt: the writer lives" fio_running 1
	mctl_rc "$_rerun" "H: $_op killed at $_pt: $_op again exits $_rerun" "$@"
	case $_pt in
	loaded|suspended) t_like "H: ... undoing the interrupted $_op first" \
		"$(head -n1 "$T_TMP/err")" "^mirrorctl: vm: undid an interrupted $_op \\(pid [0-9]+\\): back on its previous table\$" ;;
	committed) t_like "H: ... finishing the interrupted $_op" \
		"$(head -n1 "$T_TMP/err")" "^mirrorctl: vm: finished an interrupted $_op \\(pid [0-9]+\\): its checks had passed" ;;
	esac
	t_eq "H: $_op killed at $_pt: ends on the new table, at rest" \
		"$(dm_table vm) $(attr vm)" "$_new L--w"
}

for pt in loaded suspended committed resumed; do
	kmsg "H-$pt"
	r=0; [ $pt = committed ] || [ $pt = resumed ] && r=3
	round start $pt "$LIN0" "$ML01" $r start vm /dev/ram1
	t_ok "H: ready" mirrorctl wait vm --timeout 60
	round complete $pt "$ML01" "$LIN1" $r complete vm
	t_ok "H: back to ram0" sh -c 'mirrorctl start vm /dev/ram0 --wait --timeout 60 && mirrorctl complete vm'
	t_ok "H: start, ready" mirrorctl start vm /dev/ram1 --wait --timeout 60
	round cancel $pt "$ML01" "$LIN0" $r cancel vm
done

# ---- a group of two: complete vm vm2
kmsg H-group
t_ok "H: wrap ram2 as vm2" mirrorctl wrap /dev/ram2 vm2
t_ok "H: writer gen 2 on vm2" fio_write_bg /dev/mapper/vm2 2 --time_based --runtime=900
t_ok "H: start vm and vm2, ready" mirrorctl start vm /dev/ram1 vm2 /dev/ram3 --wait --timeout 60
killed_at resumed vm complete vm vm2
t_eq "H: group complete killed after resuming vm: by SIGKILL" "$rc" 137
t_eq "H: ... vm on its destination" "$(dm_table vm) $(attr vm)" "$LIN1 L--w"
t_eq "H: ... vm2 checked, suspended, not switched yet" "$(dm_table vm2) $(attr vm2)" \
	"0 $S mirrorlive $R2 0 $R3 0 LIsw"
mctl_rc 3 "H: complete vm vm2 again: finishes vm2, then finds nothing to do" complete vm vm2
t_like "H: ... vm2 finished" "$(cat "$T_TMP/err")" \
	'mirrorctl: vm2: finished an interrupted complete \(pid [0-9]+\)'
t_eq "H: both on their destinations, at rest" "$(dm_table vm) $(attr vm) $(dm_table vm2) $(attr vm2)" \
	"$LIN1 L--w 0 $S linear $R3 0 L--w"
t_ok "H: both back, ready" sh -c 'mirrorctl start vm /dev/ram0 vm2 /dev/ram2 --wait --timeout 60 &&
	mirrorctl complete vm vm2 && mirrorctl start vm /dev/ram1 vm2 /dev/ram3 --wait --timeout 60'
killed_at suspended complete vm vm2
t_eq "H: group complete killed after suspending both" \
	"$rc $(attr vm) $(attr vm2)" "137 LIsw LIsw"
mctl_rc 0 "H: complete vm vm2 again: undoes both, then completes both" complete vm vm2
t_eq "H: both undone first" "$(grep -c 'undid an interrupted complete' "$T_TMP/err")" 2
t_eq "H: both on their destinations, at rest" "$(dm_table vm) $(attr vm) $(dm_table vm2) $(attr vm2)" \
	"$LIN1 L--w 0 $S linear $R3 0 L--w"

# ---- a suspend that is not mirrorctl's is left alone
t_ok "H: start vm onto ram0" mirrorctl start vm /dev/ram0 --wait --timeout 60
t_ok "H: someone suspends vm" dmsetup suspend vm
mctl_rc 3 "H: cancel refuses a device suspended by someone else" cancel vm
t_eq "H: ... and leaves it suspended" "$(attr vm)" "L-sw"
t_ok "H: someone resumes vm" dmsetup resume vm
mctl_rc 0 "H: cancel" cancel vm
t_eq "H: vm on ram1" "$(dm_table vm)" "$LIN1"

t_ok "H: stop writer gen 1" fio_stop 1
t_ok "H: stop writer gen 2" fio_stop 2
t_ok "H: gen 1 verifies through vm" fio_verify /dev/mapper/vm 1
t_ok "H: gen 2 verifies through vm2" fio_verify /dev/mapper/vm2 2
t_ok "H: remove vm, vm2" sh -c 'dmsetup remove vm && dmsetup remove vm2'

# ================================ R ======================================
kmsg R
# both legs delay writes by 20 ms: a suspend waits for the writes in flight
t_ok "R: da = delay(ram4), db = delay(ram5), writes 20 ms" sh -c "
	dmsetup create da --table '0 $S delay /dev/ram4 0 0 /dev/ram4 0 20' &&
	dmsetup create db --table '0 $S delay /dev/ram5 0 0 /dev/ram5 0 20' &&
	dmsetup mknodes"
DA=$(devno /dev/mapper/da) DB=$(devno /dev/mapper/db)
t_ok "R: wrap da as vr" mirrorctl wrap /dev/mapper/da vr
t_ok "R: writer gen 3 on vr" fio_write_bg /dev/mapper/vr 3 --time_based --runtime=900

# r_kill MS ARGS...: run mirrorctl ARGS in the background and kill -9 it:
# at a random time within MS ms, about as long as the command takes (odd
# rounds), or once it sleeps in the suspend (even rounds); rc and where it
# was in $rc, $where
r_kill() {
	_ms=$1
	shift
	mirrorctl "$@" > "$T_TMP/r.out" 2>&1 &
	_p=$!
	where=""
	if [ $((i % 2)) = 1 ]; then
		_d=$(rand_int 0 "$_ms")
		usleep $((_d * 1000))
		where="random ${_d}ms"
	else
		_n=0
		while [ $_n -lt 20000 ]; do
			# wchan has no newline: read fails, but sets _w
			_w="" _st=""
			read -r _w < "/proc/$_p/wchan" 2>/dev/null
			case "$_w" in *dm_wait_for*|*dm_suspend*) where=$_w; break ;; esac
			read -r _st < "/proc/$_p/stat" 2>/dev/null
			case "$_st" in ""|*") Z "*) break ;; esac	# it ended by itself
			_n=$((_n + 1))
		done
		[ -n "$where" ] || where="never-in-suspend"
	fi
	kill -9 $_p 2>/dev/null
	wait $_p
	rc=$?
}

i=1
while [ $i -le $ROUNDS ]; do
	t=$(dm_table vr)
	case "$t" in
	"0 $S linear $DA 0") op="start vr /dev/mapper/db"; new="0 $S mirrorlive $DA 0 $DB 0" ;;
	"0 $S linear $DB 0") op="start vr /dev/mapper/da"; new="0 $S mirrorlive $DB 0 $DA 0" ;;
	*)
		mirrorctl wait vr --timeout 60 > /dev/null 2>&1
		set -- $t
		if [ "$(rand_int 0 1)" = 1 ]; then
			op="complete vr"; new="0 $S linear $6 0"
		else
			op="cancel vr"; new="0 $S linear $4 0"
		fi ;;
	esac
	eval "ms=\${ms_${op%% *}:-300}"
	# shellcheck disable=SC2086
	r_kill "$ms" $op
	st="$(attr vr)"
	now=$(dm_table vr)
	if [ "$now" = "$t" ]; then tbl=old; elif [ "$now" = "$new" ]; then tbl=new; else tbl=other; fi
	diag "R $i: ${op%% *} rc $rc at $where: $tbl table, $st"
	echo "${op%% *} $rc $tbl $st" >> "$T_TMP/r.classes"
	[ "$tbl" = other ] && echo "round $i: ${op%% *} left $now (old: $t, new: $new)" >> "$T_TMP/r.bad"
	t0=$(ms_now)
	# shellcheck disable=SC2086
	mirrorctl $op > "$T_TMP/r.out" 2>&1
	rr=$?
	# how long the command takes, for the next random kill of its kind
	[ "$rr" = 0 ] && eval "ms_${op%% *}=$(($(ms_now) - t0 + 20))"
	case "$rr:$(dm_table vr) $(attr vr)" in
	"0:$new L--w"|"3:$new L--w") ;;
	*) echo "round $i: ${op%% *} again: exit $rr, $(dm_table vr) $(attr vr), want $new L--w:" \
		"$(cat "$T_TMP/r.out")" >> "$T_TMP/r.bad2" ;;
	esac
	i=$((i + 1))
done
t_eq "R: $ROUNDS rounds, every kill left the old or the new table" \
	"$(cat "$T_TMP/r.bad" 2>/dev/null)" ""
t_eq "R: ... and the command run again always ended on the new one, at rest" \
	"$(cat "$T_TMP/r.bad2" 2>/dev/null)" ""
diag "R: after the kill (command, exit, table, attr): $(sort "$T_TMP/r.classes" | uniq -c | tr '\n' ';')"
t_ok "R: stop writer gen 3" fio_stop 3
t_ok "R: gen 3 verifies through vr" fio_verify /dev/mapper/vr 3
t_ok "R: remove vr, da, db" sh -c 'dmsetup remove vr && dmsetup remove da && dmsetup remove db'

finish
