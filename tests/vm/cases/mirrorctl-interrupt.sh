#!/bin/sh
# mirrorctl interrupted: signals while it swaps tables, a kill -9 that
# leaves a swap half done, a command stuck holding the lock
# (Documentation/interface.rst, 7.4; userspace/signals.h, swap.h, lock.h),
# with a writer running through all of it.
#
# A SIGINT, SIGTERM or SIGHUP that reaches start, complete or cancel while
# it has loaded or suspended a device is held until the device is resumed:
# before the swap's checks passed it undoes the swap, after them it lets
# the swap finish; mirrorctl says which and then dies of the signal (exit
# 128+N), with the device live, not suspended, on its old or its new table,
# and no record left for the next command to recover.
#   S  every ending signal at "suspended" of start, complete and cancel,
#      and SIGINT at "loaded" and "committed" (MIRRORCTL_TEST_HOOK sends
#      the signal to mirrorctl, its parent, at that point);
#   H  a SIGHUP that was ignored (nohup) stays ignored: the swap finishes;
#   T  SIGTSTP at "suspended": the swap finishes before mirrorctl stops;
#   D  a SIGTERM while the suspend itself waits for writes stuck on a slow
#      destination (dm-delay) cuts the wait short: undone, in far less time
#      than the writes take;
#   R  complete killed (-9) while suspended, and after its checks: status
#      and list warn of the half-done swap and name recover; recover undoes
#      or finishes it, and then finds nothing to recover;
#   L  a complete that hangs while holding the lock (the hook waits): a
#      command behind it says who holds the lock (pid, command line) and
#      gives up at --timeout (exit 4); one without --timeout waits, then
#      runs; status does not wait.
# Every generation written verifies through the device at the end.
# timeout: 280
. /tests/lib.sh
setup

HOOK=$T_TMP/signal-hook.sh
cat > "$HOOK" <<'EOF'
#!/bin/sh
# $1 point: at $MLTEST_SIG_AT send $MLTEST_SIG to mirrorctl (our parent),
# or with MLTEST_SIG=hold say so in $MLTEST_HELD and wait for
# $MLTEST_RELEASE to exist
[ "$1" = "$MLTEST_SIG_AT" ] || exit 0
if [ "$MLTEST_SIG" = hold ]; then
	echo $PPID > "$MLTEST_HELD"
	until [ -e "$MLTEST_RELEASE" ]; do sleep 0.1; done
	exit 0
fi
kill -"$MLTEST_SIG" $PPID
EOF
chmod +x "$HOOK"

# attr NAME: dmsetup's attr column ("L--w" is a device at rest)
attr() { dmsetup info -c --noheadings -o attr "$1" | tr -d ' '; }

# signalled SIG POINT ARGS...: run mirrorctl ARGS in the foreground, sent
# SIG by the hook at POINT; exit status in $rc, stderr in $T_TMP/err
signalled() {
	_sg=$1 _pt=$2
	shift 2
	MIRRORCTL_TEST_HOOK=$HOOK MLTEST_SIG=$_sg MLTEST_SIG_AT=$_pt \
		mirrorctl "$@" > "$T_TMP/out" 2> "$T_TMP/err"
	rc=$?
}

signum() { case $1 in HUP) echo 1 ;; INT) echo 2 ;; TERM) echo 15 ;; esac; }

# round SIG POINT OP OLD NEW ARGS...: OP (mirrorctl ARGS) sent SIG at
# POINT ends by SIG, live on OLD (undone) or NEW (finished), and the next
# command finds nothing to recover
round() {
	_sg=$1 _pt=$2 _op=$3 _old=$4 _new=$5
	shift 5
	kmsg "$_sg-$_op-$_pt"
	signalled "$_sg" "$_pt" "$@"
	t_eq "S: $_op, SIG$_sg at $_pt: ends by the signal" "$rc" \
		$((128 + $(signum "$_sg")))
	case $_pt in
	committed)
		_want="$_new L--w"
		_msg="finished first, the new table is live" ;;
	*)
		_want="$_old L--w"
		_msg="undone first, no device changed" ;;
	esac
	t_eq "S: $_op, SIG$_sg at $_pt: live, at rest, on the expected table" \
		"$(dm_table vm) $(attr vm)" "$_want"
	# (the shell may add "Terminated" to the same stderr)
	t_like "S: $_op, SIG$_sg at $_pt: says what it did" \
		"$(grep received "$T_TMP/err")" \
		"^mirrorctl: SIG$_sg received during the table swap of $_op: $_msg\$"
	t_ok "S: $_op, SIG$_sg at $_pt: the writer lives" fio_running 1
	mctl_rc 0 "S: $_op, SIG$_sg at $_pt: list afterwards" list
	t_eq "S: $_op, SIG$_sg at $_pt: nothing left to recover" \
		"$(grep -c interrupted "$T_TMP/err")" 0
}

t_ok "mirrorctl is a test build (TEST_HOOKS=1)" \
	grep -q MIRRORCTL_TEST_HOOK "$(command -v mirrorctl)" ||
	t_abort "mirrorctl runs no MIRRORCTL_TEST_HOOK: build it with make mirrorctl TEST_HOOKS=1"
t_ok "modprobe dm-delay" modprobe dm-delay
t_ok "brd: 3 x 16 MiB" brd_setup 3 16
S=$(dev_sectors /dev/ram0)
R0=$(devno /dev/ram0) R1=$(devno /dev/ram1)
LIN0="0 $S linear $R0 0"
LIN1="0 $S linear $R1 0"
ML01="0 $S mirrorlive $R0 0 $R1 0"

t_ok "wrap ram0 as vm" mirrorctl wrap /dev/ram0 vm
t_ok "writer gen 1 on vm" fio_write_bg /dev/mapper/vm 1 --time_based --runtime=900

# ================================ S ======================================
for sig in INT TERM HUP; do
	round $sig suspended start "$LIN0" "$ML01" start vm /dev/ram1
	t_ok "S: start, ready" mirrorctl start vm /dev/ram1 --wait --timeout 60
	round $sig suspended complete "$ML01" "$LIN1" complete vm
	round $sig suspended cancel "$ML01" "$LIN0" cancel vm
	t_ok "S: cancel" mirrorctl cancel vm
done
t_ok "S: start, ready" mirrorctl start vm /dev/ram1 --wait --timeout 60
round INT loaded complete "$ML01" "$LIN1" complete vm
round INT committed complete "$ML01" "$LIN1" complete vm
t_ok "S: back to ram0" sh -c 'mirrorctl start vm /dev/ram0 --wait --timeout 60 && mirrorctl complete vm'
t_eq "S: on ram0" "$(dm_table vm)" "$LIN0"

# ================================ H ======================================
kmsg nohup
t_ok "H: start, ready" mirrorctl start vm /dev/ram1 --wait --timeout 60
# what nohup does: SIGHUP ignored, and so across exec
MIRRORCTL_TEST_HOOK=$HOOK MLTEST_SIG=HUP MLTEST_SIG_AT=suspended \
	sh -c 'trap "" HUP; exec mirrorctl cancel vm' > "$T_TMP/out" 2> "$T_TMP/err"
t_eq "H: cancel with SIGHUP ignored, SIGHUP at suspended: exit 0" "$?" 0
t_eq "H: ... cancelled, at rest" "$(dm_table vm) $(attr vm)" "$LIN0 L--w"
t_eq "H: ... nothing said of a signal" "$(grep -c SIGHUP "$T_TMP/err")" 0

# ================================ T ======================================
# The case's process group may be orphaned (it runs under init), where the
# kernel discards a stop signal: then mirrorctl goes on; else it stops
# after the swap and is continued here.
kmsg tstp
t_ok "T: start, ready" mirrorctl start vm /dev/ram1 --wait --timeout 60
MIRRORCTL_TEST_HOOK=$HOOK MLTEST_SIG=TSTP MLTEST_SIG_AT=suspended \
	mirrorctl complete vm > "$T_TMP/out" 2> "$T_TMP/err" &
tp=$!
stopped_or_gone() {
	_st=""
	read -r _st < "/proc/$tp/stat" 2>/dev/null
	case "$_st" in ""|*") T "*|*") Z "*) return 0 ;; esac
	return 1
}
t_ok "T: complete stopped or finished" wait_until 60 stopped_or_gone
_st=""
read -r _st < "/proc/$tp/stat" 2>/dev/null
case "$_st" in *") T "*) diag "T: complete stopped (continued below)" ;;
*) diag "T: complete went on: the kernel discarded SIGTSTP (orphaned process group)" ;; esac
t_eq "T: ... the swap finished first, at rest" "$(dm_table vm) $(attr vm)" "$LIN1 L--w"
kill -CONT $tp 2>/dev/null
wait $tp
t_eq "T: ... complete exits 0 once continued" "$?" 0
t_like "T: ... and says so" "$(grep received "$T_TMP/err")" \
	'^mirrorctl: SIGTSTP received during the table swap of complete: finished first, the new table is live$'

# ================================ D ======================================
# vm on ram1 now; mirror it onto slow (dm-delay over ram0), then delay
# slow's writes by DELAY ms so that vm's suspend waits for them.
kmsg drain
DELAY=8000
t_ok "D: slow = dm-delay over ram0, no delay yet" dm_create slow "0 $S delay $R0 0 0"
SLOW=$(devno /dev/mapper/slow)
t_ok "D: start vm onto slow, ready" mirrorctl start vm /dev/mapper/slow --wait --timeout 60
t_ok "D: delay slow's I/O by $DELAY ms" swap_table slow "0 $S delay $R0 0 $DELAY"
mirrorctl complete vm > "$T_TMP/out" 2> "$T_TMP/err" &
dp=$!
in_suspend() {
	_w=""
	# wchan has no newline: read fails, but sets _w
	read -r _w < "/proc/$dp/wchan" 2>/dev/null
	case "$_w" in *dm_wait_for*|*dm_suspend*) return 0 ;; esac
	return 1
}
t_ok "D: complete waits in the suspend" wait_until 30 in_suspend
d0=$(ms_now)
kill -TERM $dp
wait $dp
rc=$?
d_ms=$(($(ms_now) - d0))
diag "D: complete ended $d_ms ms after SIGTERM (writes take $DELAY ms)"
t_eq "D: complete ends by SIGTERM" "$rc" 143
t_num "D: ... in less than half the delay" "$d_ms" -lt $((DELAY / 2))
t_eq "D: ... undone, live, at rest" "$(dm_table vm) $(attr vm)" \
	"0 $S mirrorlive $R1 0 $SLOW 0 L--w"
t_like "D: ... says so" "$(grep received "$T_TMP/err")" \
	'^mirrorctl: SIGTERM received during the table swap of complete: undone first, no device changed$'
t_ok "D: slow without delay again" swap_table slow "0 $S delay $R0 0 0"
t_ok "D: cancel" mirrorctl cancel vm
t_eq "D: vm on ram1" "$(dm_table vm)" "$LIN1"
t_ok "D: remove slow" dm_remove slow

# ================================ R ======================================
# vm on ram1 now.  A syslogd collects what mirrorctl records of each swap
# and recovery (userspace/swaplog.h).
kmsg recover
SYSLOG=$T_TMP/syslog
syslogd -n -O "$SYSLOG" &
slp=$!
t_ok "R: syslogd listens" wait_until 30 test -S /dev/log
t_ok "R: start onto ram0, ready" mirrorctl start vm /dev/ram0 --wait --timeout 60
ML10="0 $S mirrorlive $R1 0 $R0 0"
signalled KILL suspended complete vm
t_eq "R: complete killed at suspended" "$rc" 137
t_eq "R: ... left suspended, new table loaded" "$(dm_table vm) $(attr vm)" "$ML10 LIsw"
WARN_RE='^mirrorctl: warning: an interrupted complete \(pid [0-9]+\) left vm half switched and suspended, every write waiting: mirrorctl recover finishes or undoes it$'
mctl_rc 0 "R: status still works" status vm
t_like "R: ... and warns" "$(head -n 1 "$T_TMP/err")" "$WARN_RE"
mctl_rc 0 "R: list still works" list
t_like "R: ... and warns" "$(head -n 1 "$T_TMP/err")" "$WARN_RE"
mctl_rc 0 "R: recover" recover
t_like "R: ... says what it did" "$(cat "$T_TMP/err")" \
	'^mirrorctl: vm: undid an interrupted complete \(pid [0-9]+\): back on its previous table$'
t_eq "R: ... prints nothing else" "$(cat "$T_TMP/out")" ""
t_eq "R: ... vm on the mirror, at rest" "$(dm_table vm) $(attr vm)" "$ML10 L--w"
mctl_rc 0 "R: recover again" recover
t_eq "R: ... nothing to recover" "$(cat "$T_TMP/out")" "nothing to recover"
mctl_rc 0 "R: status" status vm
t_eq "R: ... no warning now" "$(cat "$T_TMP/err")" ""
signalled KILL committed complete vm
t_eq "R: complete killed after its checks" "$rc" 137
mctl_rc 0 "R: recover" recover
t_like "R: ... finishes it" "$(cat "$T_TMP/err")" \
	'^mirrorctl: vm: finished an interrupted complete \(pid [0-9]+\): its checks had passed, its new table is live$'
t_eq "R: ... vm on ram0, at rest" "$(dm_table vm) $(attr vm)" "$LIN0 L--w"
VMMM=$(dmsetup info -c --noheadings --separator : -o major,minor vm | tr -d ' ')
# syslogd writes what it received; the last record may still be on its way
logged() { grep -q "recover vm ($VMMM): finished" "$SYSLOG"; }
t_ok "R: syslog has the last recovery" wait_until 30 logged
diag_file "$SYSLOG"
t_like "R: syslog: the start, with both tables" "$(cat "$SYSLOG")" \
	"mirrorctl\\[[0-9]+\\]: start vm \\($VMMM\\): switched; was: $LIN1; now: $ML10\$"
t_like "R: syslog: the undone complete" "$(cat "$SYSLOG")" \
	"mirrorctl\\[[0-9]+\\]: recover vm \\($VMMM\\): undid an interrupted complete \\(pid [0-9]+\\); now: $ML10\$"
t_like "R: syslog: the finished complete" "$(cat "$SYSLOG")" \
	"mirrorctl\\[[0-9]+\\]: recover vm \\($VMMM\\): finished an interrupted complete \\(pid [0-9]+\\); now: $LIN0\$"
t_eq "R: syslog: nothing of the killed swaps themselves" \
	"$(grep -c "complete vm ($VMMM): switched" "$SYSLOG")" 0
kill $slp
wait $slp 2>/dev/null

# ================================ L ======================================
kmsg lock
t_ok "L: start onto ram1, ready" mirrorctl start vm /dev/ram1 --wait --timeout 60
HELD=$T_TMP/held RELEASE=$T_TMP/release
rm -f "$HELD" "$RELEASE"
MIRRORCTL_TEST_HOOK=$HOOK MLTEST_SIG=hold MLTEST_SIG_AT=suspended \
	MLTEST_HELD=$HELD MLTEST_RELEASE=$RELEASE \
	mirrorctl complete vm > "$T_TMP/hold.out" 2> "$T_TMP/hold.err" &
hp=$!
t_ok "L: complete stops in the hook, holding the lock" wait_until 60 test -s "$HELD"
HOLDER="held by pid $hp \\(mirrorctl complete vm\\)"
mctl_rc 4 "L: pause --timeout 2 gives up" pause vm --timeout 2
t_like "L: ... first says who holds the lock" "$(head -n 1 "$T_TMP/err")" \
	"^mirrorctl: /run/lock/mirrorctl.lock: $HOLDER, waiting \\(until --timeout\\)\$"
t_like "L: ... then gives up" "$(sed -n 2p "$T_TMP/err")" \
	"^mirrorctl: /run/lock/mirrorctl.lock: still $HOLDER, giving up \\(--timeout\\)\$"
mctl_rc 4 "L: cancel --timeout 0 gives up at once" cancel vm --timeout 0
t_like "L: ... saying who holds it" "$(cat "$T_TMP/err")" \
	"^mirrorctl: /run/lock/mirrorctl.lock: still $HOLDER, giving up \\(--timeout\\)\$"
t_ok "L: status does not wait for the lock" timeout 30 mirrorctl status vm
mirrorctl wrap /dev/ram2 vm3 > "$T_TMP/w.out" 2> "$T_TMP/w.err" &
wp=$!
said_wait() { grep -q "waiting" "$T_TMP/w.err"; }
t_ok "L: wrap without --timeout waits, and says so" wait_until 30 said_wait
t_like "L: ... naming the holder" "$(cat "$T_TMP/w.err")" \
	"^mirrorctl: /run/lock/mirrorctl.lock: $HOLDER, waiting\$"
t_ok "L: ... still waiting" kill -0 $wp
touch "$RELEASE"
wait $hp
t_eq "L: the held complete finishes" "$?" 0
wait $wp
t_eq "L: then wrap runs" "$?" 0
t_eq "L: vm on ram1, vm3 over ram2" "$(dm_table vm) | $(dm_table vm3)" \
	"$LIN1 | 0 $S linear $(devno /dev/ram2) 0"
t_ok "L: remove vm3" dm_remove vm3

# ============================== the data =================================
t_ok "stop gen 1" fio_stop 1
t_eq "gen 1 saw no error" "$(job_errors 1)" "0 0"
t_ok "every gen 1 write, through vm" fio_verify /dev/mapper/vm 1
t_ok "remove vm" dm_remove vm
finish
