#!/bin/sh
# The crash loop (issue 17, tests): persistent mirrors (table feature
# "metadata <dev>") survive SIGKILLs of QEMU at random points, during the
# copy and in ready, with a writer running; every acknowledged write is
# found again.  One boot per kill, over the same disk files
# (tests/vm/README.md, "Cases over disk files"):
#   vda, vdb, vdc, vdd  mirror A: source, destination, metadata, ack log
#   vde                 notes: the seed, and what each boot saw before its
#                       kill (sector k) and after it (sector 100 + k)
#   vdf, vdg, vdh, vdi  mirror B (smaller): the same four
#   vdj                 an ext4 holding the mirrortab (the host's /etc)
# ackwrite (tests/vm/tools/ackwrite.c) writes self-describing 4 KiB blocks
# and logs each one's sequence number on the ack log only once the write
# is acknowledged (O_DSYNC or fdatasync); its verify finds a lost
# acknowledged write as zeroes, an older sequence number or a malformed
# block.
#   every boot: both sources verify against their logs (whatever the
#      mirror had done, every acknowledged write is on the source); both
#      mirrors are brought back by mirrorctl restore from the mirrortab
#      over their records; the
#      regions copied before the kill and copied again now are counted
#      from the record (and what start says) against a bound: the hot
#      window's regions, the few cold writes of the last 20 s, and for a
#      kill during the copy (or just after it) the copy of COPY_LAG s not
#      yet committed -- never of the order of the device; writers run
#      (most writes in a hot window drawn each boot); whenever a mirror is
#      ready its writer stops and its legs compare equal (O_DIRECT), then
#      it writes again;
#      at a random moment, drawn from the seed, during the copy or in
#      ready, the host SIGKILLs the guest (once A was all copied, a kill
#      "during the copy" lands in the copy of the regions the last crash
#      left dirty, slowed down to two regions a second for that).
#   last boot: A is brought back, ready, legs equal, completed under its
#      writer, and every acknowledged write verifies on the destination;
#      B is brought back and cancelled under its writer: every
#      acknowledged write verifies on its source.
# Kernel parameters (MLTEST_APPEND): crash_seed=N replays a run's draws
# (the timing still varies); without it boot 1 draws one and prints it.
# crash_break=legs (a block of A's destination changed before each boot's
# first ready check of A, then put back) or crash_break=dest (A's hot
# window zeroed on the completed destination) shows that the check can
# fail: the run stays green only if that check then fails.
# crash-loop-long.sh (outside cases/, make stress) runs this file with
# more boots, which the body reads from the running case's own header.
# disks: 2x64M 1M 9M 1M 2x16M 1M 3M 8M
# boots: 6
# timeout: 150
. /tests/lib.sh
setup

K=$MLTEST_BOOT
BOOTS=$(sed -n 's/^# *boots: *\([0-9]*\).*/\1/p' "/tests/cases/$T_CASE.sh" | head -n1)
[ "${MLTEST_DISKS:-0}" = 10 ] || t_abort "this case needs its 10 disks (# disks: line), got ${MLTEST_DISKS:-0}"
[ "${BOOTS:-0}" -ge 2 ] 2>/dev/null || t_abort "no '# boots:' in /tests/cases/$T_CASE.sh"
LAST=0
[ "$K" = "$BOOTS" ] && LAST=1

RS=1024			# region size (sectors): mirrorctl's default, 512 KiB
A_RATE_KIB=4096		# copy rates
A_SLOW_KIB=1024
B_RATE_KIB=2048
A_HOT=4096		# hot windows (sectors): 2 MiB, 1 MiB
B_HOT=2048
A_WRATE=50		# writes/s and the share of them in the hot window
B_WRATE=20
A_HOTPCT=99.5
B_HOTPCT=99
# the bound on what a crash costs, in regions (see re_copied)
COLD_SECS=20		# a region's write-intent bit goes within 2-3 sweeps of 5 s
COPY_LAG=2		# copied regions are committed once a second
NOTES=/dev/vde
A_S=$(dev_sectors /dev/vda)
B_S=$(dev_sectors /dev/vdf)

# note_put N TEXT / note_get N: one line in sector N of the notes disk
note_put() {
	printf '%-511s\n' "$2" | dd of=$NOTES bs=512 seek="$1" count=1 conv=notrunc,fsync 2>/dev/null
}
note_get() {
	dd if=$NOTES bs=512 skip="$1" count=1 2>/dev/null | head -n1 | sed 's/ *$//'
}
# val LINE KEY: the value of KEY=value in LINE
val() { printf ' %s\n' "$1" | sed -n "s/.* $2=\\([^ ]*\\).*/\\1/p"; }

# the seed: crash_seed=N on the kernel command line, else drawn at boot 1
SEED=$(val "$(cat /proc/cmdline)" crash_seed)
if [ -z "$SEED" ] && [ "$K" = 1 ]; then
	SEED=$(rand_int 1 999999)
elif [ -z "$SEED" ]; then
	SEED=$(val "$(note_get 0)" seed)
fi
[ -n "$SEED" ] || t_abort "no seed on the notes disk"
BREAK=$(val "$(cat /proc/cmdline)" crash_break)
diag "boot $K of $BOOTS, seed $SEED (replay: MLTEST_APPEND=crash_seed=$SEED)"

# draw SALT LO HI: a number in LO..HI that depends on (seed, boot, SALT) only
# (a 31-bit integer hash, three rounds: 64-bit shell arithmetic suffices)
draw() {
	local x i
	x=$(( (SEED * 1000003 + K * 7919 + $1 * 104729) & 0x7fffffff ))
	for i in 1 2 3; do
		x=$(( ((x ^ (x >> 15)) * 0x2c1b3c6d) & 0x7fffffff ))
		x=$(( ((x ^ (x >> 12)) * 0x297a2d39) & 0x7fffffff ))
		x=$(( x ^ (x >> 15) ))
	done
	echo $(( $2 + x % ($3 - $2 + 1) ))
}

# meta_field DEV KEY: a number of "mirrorctl metadata --json DEV"
meta_field() {
	mirrorctl metadata --json "$1" 2>/dev/null |
		sed -n "s/.*\"$2\":\\([^,}]*\\).*/\\1/p" | tr -d '"'
}

# json_num KEY: a number of the document in $T_TMP/meta.json
# (json_val KEY: any scalar, quotes dropped)
json_num() { sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p" "$T_TMP/meta.json"; }
json_val() { sed -n "s/.*\"$1\":\"*\([^,}\"]*\).*/\1/p" "$T_TMP/meta.json"; }

# The mirrortab lives on an ext4 of its own disk (vdj), as /etc does on a
# host: boot 1 starts the mirrors, which lists them there; every later
# boot mounts it (the journal replays the kill) and mirrorctl restore
# brings both back from it, as mirrorctl-restore.service does at boot.
MT=/persist/mirrortab
mctl() { mirrorctl --mirrortab "$MT" "$@"; }

# start_mirror NAME SRC DEST META RATE_KIB: boot 1's persistent mirror
start_mirror() {
	mirrorctl wrap "$2" "$1" &&
		mctl start "$1" "$3" --metadata "$4" --max-rate "${5}K"
}

# Writers: W_<X>_PID; writer_start X NAME LOG SEED HOT_START HOT_LEN
# HOT_PCT RATE QD SYNC writes to /dev/mapper/NAME in the background;
# writer_stop X stops it (SIGTERM: it ends the write in flight) and
# fails unless it exited 0; writer_alive X.
writer_start() {
	ackwrite write "/dev/mapper/$2" "$3" --seed "$4" --hot-start "$5" --hot-len "$6" \
		--hot-pct "$7" --rate "$8" --qd "$9" --sync "${10}" \
		>> "$T_TMP/writer.$1" 2>&1 &
	eval "W_${1}_PID=$!"
	eval "W_${1}_ARGS=\"\$2 \$3 \$4 \$5 \$6 \$7 \$8 \$9 \${10}\""
}
writer_restart() { eval "writer_start $1 \$W_${1}_ARGS"; }
writer_alive() { eval "kill -0 \"\${W_${1}_PID:-none}\"" 2>/dev/null; }
writer_stop() {
	local pid rc
	eval "pid=\${W_${1}_PID:-}"
	[ -n "$pid" ] || { echo "writer $1: not started"; return 1; }
	kill -TERM "$pid" 2>/dev/null
	wait "$pid"
	rc=$?
	eval "W_${1}_PID="
	tail -n 2 "$T_TMP/writer.$1"
	[ "$rc" -eq 0 ]
}
# writers_kill: stop any writer left running (before finish, whose
# cleanup needs the devices closed)
writers_kill() {
	local x pid
	for x in A B; do
		eval "pid=\${W_${x}_PID:-}"
		[ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null && wait "$pid"
		eval "W_${x}_PID="
	done
	return 0
}

# verify_log DESC DEV LOG: ackwrite verify as a test; VERIFIED: its counts
verify_log() {
	t_ok "$1" ackwrite verify "$2" "$3"
	_vrc=$?
	VERIFIED=$(sed -n 's/^ackwrite: //p' "$T_TMP/out")
	diag "$1: $VERIFIED"
	return $_vrc
}

# ready_check X NAME SRC DEST: NAME is ready: stop its writer, the legs
# hold the same bytes (O_DIRECT), start the writer again
ready_check() {
	eval "READY_$1=$(ms_now)"
	t_ok "$K: $2 ready: stop its writer" writer_stop "$1"
	t_eq "$K: $2 still ready" "$(ml_phase "$2")" ready
	if [ "$BREAK" = legs ] && [ "$1" = A ]; then
		BREAK=""
		dd if=/dev/urandom of="$T_TMP/blk" bs=4096 count=1 2>/dev/null
		t_ok "$K: break: a block of $2's destination changed" \
			dd if="$T_TMP/blk" of="$4" bs=4096 seek=$((A_HS / 8)) count=1 oflag=direct conv=notrunc
		t_fail "$K: break: ... then the legs differ" ackwrite cmp "$3" "$4"
		t_ok "$K: break: the block back from the source" \
			dd if="$3" of="$4" bs=4096 skip=$((A_HS / 8)) seek=$((A_HS / 8)) count=1 iflag=direct oflag=direct conv=notrunc
	fi
	t_ok "$K: $2 ready: source == destination" ackwrite cmp "$3" "$4"
	writer_restart "$1"
}

# ready_for X: ms since X was seen ready (READY_X, set by ready_check); 0
# if it was not
ready_for() {
	local t
	eval "t=\$READY_$1"
	if [ "$t" = 0 ]; then echo 0; else echo $(( $(ms_now) - t )); fi
}

# hot_regions START LEN: the regions a window of LEN sectors at START touches
hot_regions() { echo $(( ($1 + $2 - 1) / RS - $1 / RS + 1 )); }

# re_copied X NAME META: what the crash before this boot cost mirror X,
# from its record (read before restore) and the note of the last boot:
# the regions it had copied then and that do not count as copied now.
# Bound: the hot window's regions, the cold writes of COLD_SECS (spread
# evenly by ackwrite: COLD_SECS * rate * cold share + qd), and, killed
# while copying or less than COPY_LAG s after ready, COPY_LAG s of copy
# (at that boot's rate), which may not be committed yet.  Sets RC_BYTES.
re_copied() {
	local x name meta prev before phase hot qd rate wrate pct c d lost bound cold lag since
	x=$1 name=$2 meta=$3
	prev=$(note_get $((K - 1)))
	before=$(val "$prev" "copied$x") phase=$(val "$prev" "phase$x")
	hot=$(val "$prev" "hot$x") qd=$(val "$prev" "qd$x") rate=$(val "$prev" "rate$x")
	since=$(val "$prev" "ready$x")
	eval "wrate=\$${x}_WRATE pct=\$${x}_HOTPCT"
	mirrorctl metadata --json "$meta" > "$T_TMP/meta.json" 2>&1
	t_eq "$K: $name: the record survived the kill (valid, state, clean)" \
		"$(json_val valid) $(json_val state) $(json_val clean)" "true migrating false"
	c=$(json_num copied_regions) d=$(json_num dirty_regions)
	c=${c:-0} before=${before:-0}
	lost=$(( before - c * RS ))
	[ "$lost" -lt 0 ] && lost=0
	cold=$(awk -v s=$COLD_SECS -v w="$wrate" -v p="$pct" -v q="$qd" \
		'BEGIN { c = s * w * (100 - p) / 100; printf "%d", c + (c > int(c)) + q }')
	lag=0
	[ "$phase" = ready ] && [ "${since:-0}" -ge $((COPY_LAG * 1000)) ] ||
		lag=$(( (COPY_LAG * rate + RS / 2 - 1) / (RS / 2) ))
	bound=$(( hot + cold + lag ))
	RC_BYTES=$(( lost * 512 ))
	[ "$phase" = ready ] && phase="ready (for $since ms)"
	diag "$K: $name: killed in $phase with $before sectors copied; the record" \
		"  counts $c regions copied, $d dirty: $(( (lost + RS - 1) / RS )) regions" \
		"  ($RC_BYTES bytes) to copy again; bound $bound (hot $hot + cold $cold + copy lag $lag)"
	t_num "$K: $name: regions to copy again <= $bound" $(( (lost + RS - 1) / RS )) -le "$bound"
	t_num "$K: $name: dirty regions <= $bound" "${d:-999}" -le "$bound"
	eval "REC_$x=$c RC_$x=$RC_BYTES"
}

t_ok "the disks" test -b /dev/vda -a -b /dev/vdj
t_ok "modprobe ext4" modprobe ext4
mkdir -p /persist
[ "$K" = 1 ] && t_ok "1: an ext4 for the mirrortab on vdj" mkfs.ext4 -q -F /dev/vdj
t_ok "$K: mount it" mount -t ext4 /dev/vdj /persist
t_eq "A: 64 MiB, B: 16 MiB" "$A_S $B_S" "131072 32768"

if [ "$K" = 1 ]; then
	note_put 0 "seed=$SEED"
	t_ok "1: empty ack logs" sh -c "ackwrite init /dev/vdd && ackwrite init /dev/vdi"
	# data all over the sources before any mirror: every region has some
	t_ok "1: prefill A's source" ackwrite write /dev/vda /dev/vdd --seed "$SEED" --count 400 --qd 4
	t_ok "1: prefill B's source" ackwrite write /dev/vdf /dev/vdi --seed "$SEED" --count 150 --qd 2
else
	t_eq "$K: no dm device after the kill" "$(dmsetup ls | grep -vc '^No devices')" 0
	verify_log "$K: A's source holds every acknowledged write" /dev/vda /dev/vdd
	verify_log "$K: B's source holds every acknowledged write" /dev/vdf /dev/vdi
	re_copied A vm /dev/vdc
	re_copied B vx /dev/vdh
	note_put $((100 + K)) "recopyA=$RC_A recopyB=$RC_B"
fi

# this boot's draws
A_HS=$(( $(draw 3 0 $(( (A_S - A_HOT) / 8 ))) * 8 ))
B_HS=$(( $(draw 4 0 $(( (B_S - B_HOT) / 8 ))) * 8 ))
A_QD=$(draw 5 1 3)
A_SYNC=dsync; [ "$(draw 6 0 1)" = 1 ] && A_SYNC=fdatasync
B_SYNC=dsync; [ "$(draw 7 0 1)" = 1 ] && B_SYNC=fdatasync
MODE=copy; [ "$(draw 1 0 1)" = 1 ] && MODE=ready
[ "$K" = 1 ] && MODE=copy		# A cannot be ready yet: a kill mid-copy
if [ "$K" = $((BOOTS - 1)) ] && [ "$MODE" = copy ]; then
	# at least one boot waits for ready before its kill
	i=1 seen=0
	while [ $i -lt "$K" ]; do
		[ "$(val "$(note_get $i)" mode)" = ready ] && seen=1
		i=$((i + 1))
	done
	[ $seen = 0 ] && MODE=ready
fi
[ "$LAST" = 1 ] && MODE=last
# A kill while copying once A was all copied lands in the copy of what the
# crash left dirty: that copy runs at A_SLOW_KIB, so that it lasts a few
# seconds (two regions a second) and the kill can land in it.
A_RATE=$A_RATE_KIB
if [ "$MODE" = copy ] && [ "$K" -gt 1 ] && [ "${REC_A:-0}" -ge $((A_S / RS - 16)) ]; then
	A_RATE=$A_SLOW_KIB
fi

if [ "$K" = 1 ]; then
	t_ok "1: start A (vm: vda -> vdb, record on vdc), at $A_RATE KiB/s" \
		start_mirror vm /dev/vda /dev/vdb /dev/vdc $A_RATE
	t_ok "1: start B (vx: vdf -> vdg, record on vdh)" \
		start_mirror vx /dev/vdf /dev/vdg /dev/vdh $B_RATE_KIB
	t_eq "1: the mirrortab lists both" "$(grep -v '^#' "$MT" | cut -d' ' -f1-4 | tr '\n' ' ')" \
		"vm /dev/vda /dev/vdb /dev/vdc vx /dev/vdf /dev/vdg /dev/vdh "
else
	mctl_rc 0 "$K: restore brings both back from the mirrortab" --mirrortab "$MT" restore
	t_like "$K: A goes on where its record says" "$(cat "$T_TMP/out")" \
		"^vm: mirror restored from /dev/vdc: $REC_A of $((A_S / RS)) regions copied"
	t_like "$K: B goes on where its record says" "$(cat "$T_TMP/out")" \
		"^vx: mirror restored from /dev/vdh: $REC_B of $((B_S / RS)) regions copied"
	t_like "$K: A is the mirror of vda onto vdb with its record" "$(dm_table vm)" \
		"^0 $A_S mirrorlive $(devno /dev/vda) 0 $(devno /dev/vdb) 0 .*metadata $(devno /dev/vdc)"
	t_ok "$K: A at $A_RATE KiB/s" mirrorctl set-rate vm "${A_RATE}K"
fi

writer_start A vm /dev/vdd $((SEED * 1000 + K)) "$A_HS" $A_HOT $A_HOTPCT $A_WRATE "$A_QD" $A_SYNC
writer_start B vx /dev/vdi $((SEED * 1000 + 500 + K)) "$B_HS" $B_HOT $B_HOTPCT $B_WRATE 1 $B_SYNC
READY_A=0 READY_B=0
diag "$K: A $(dm_status vm)" "$K: B $(dm_status vx)" \
	"$K: $MODE; A's writer: hot window $A_HS+$A_HOT sectors, qd $A_QD, $A_SYNC;" \
	"  B's: $B_HS+$B_HOT, qd 1, $B_SYNC"

if [ "$MODE" = last ]; then
	t_ok "$K: A ready" mirrorctl wait vm --timeout 100
	ready_check A vm /dev/vda /dev/vdb
	t_ok "$K: complete A, its writer running" mctl complete vm
	t_eq "$K: vm is linear on vdb" "$(dm_table vm)" "0 $A_S linear $(devno /dev/vdb) 0"
	t_ok "$K: cancel B, its writer running ($(ml_phase vx))" mctl cancel vx
	t_eq "$K: the mirrortab is empty" "$(grep -vc '^#' "$MT")" 0
	t_eq "$K: vx is linear on vdf" "$(dm_table vx)" "0 $B_S linear $(devno /dev/vdf) 0"
	t_ok "$K: stop A's writer" writer_stop A
	t_ok "$K: stop B's writer" writer_stop B
	verify_log "$K: A's destination holds every acknowledged write (through vm)" \
		/dev/mapper/vm /dev/vdd
	A_FINAL=$VERIFIED
	verify_log "$K: ... and so does vdb itself" /dev/vdb /dev/vdd
	if [ "$BREAK" = dest ]; then
		t_ok "$K: break: zero A's hot window on the destination" \
			dd if=/dev/zero of=/dev/mapper/vm bs=4096 seek=$((A_HS / 8)) count=$((A_HOT / 8)) oflag=direct conv=notrunc
		t_fail "$K: break: ... then the destination does not verify" \
			ackwrite verify /dev/mapper/vm /dev/vdd
		diag "$K: break: $(grep -m 3 'block' "$T_TMP/out")"
	fi
	verify_log "$K: cancelled B's source holds every acknowledged write (through vx)" \
		/dev/mapper/vx /dev/vdi
	B_FINAL=$VERIFIED
	verify_log "$K: ... and so does vdf itself" /dev/vdf /dev/vdi
	t_eq "$K: complete ended A's record" "$(meta_field /dev/vdc valid)" false
	t_eq "$K: cancel ended B's record" "$(meta_field /dev/vdh valid)" false
	t_ok "$K: remove vm, vx" sh -c "dmsetup remove vm && dmsetup remove vx"

	# the summary over all boots
	kills=$((BOOTS - 1)) list="" listb="" i=2 nc=0 nr=0
	while [ $i -le "$BOOTS" ]; do
		n=$(note_get $((100 + i)))
		list="$list${list:+, }$(val "$n" recopyA)"
		listb="$listb${listb:+, }$(val "$n" recopyB)"
		i=$((i + 1))
	done
	i=1
	while [ $i -lt "$BOOTS" ]; do
		case "$(val "$(note_get $i)" phaseA)" in ready) nr=$((nr + 1)) ;; *) nc=$((nc + 1)) ;; esac
		i=$((i + 1))
	done
	diag "crash-loop summary: $kills kills survived (A killed $nc times while copying, $nr in ready);" \
		"  acknowledged writes: A $(val "$A_FINAL" acked_writes) ($(val "$A_FINAL" acked_blocks) blocks hold their last one, verified on the destination)," \
		"  B $(val "$B_FINAL" acked_writes) ($(val "$B_FINAL" acked_blocks) blocks, verified on the source after the cancel);" \
		"  bytes copied again after each crash: A (64 MiB): $list;" \
		"  B (16 MiB): $listb"
	writers_kill
	t_ok "$K: unmount the mirrortab's ext4" umount /persist
	finish
fi

if [ "$MODE" = ready ]; then
	t_ok "$K: A ready" mirrorctl wait vm --timeout 100
	t_ok "$K: B ready" mirrorctl wait vx --timeout 100
	ready_check A vm /dev/vda /dev/vdb
	ready_check B vx /dev/vdf /dev/vdg
fi
# the kill: in ready, 0.3-2.5 s after the ready check; while copying, at a
# point of what A has left to copy now (at its rate), 0.2 s at least
if [ "$MODE" = copy ]; then
	left=$(( (A_S - $(ml_copied vm)) * 1000 / (2 * A_RATE) ))
	[ "$left" -lt 400 ] && left=400
	DELAY=$(draw 2 200 $((left * 8 / 10)))
	diag "$K: the kill in $DELAY ms, while copying (A has about $left ms to copy)"
else
	DELAY=$(draw 2 300 2500)
	diag "$K: the kill in $DELAY ms, in ready"
fi
sleep "$(awk -v d="$DELAY" 'BEGIN { printf "%.2f", d / 1000 }')"	# the random kill point
# a mirror that got ready meanwhile gets its check first
[ "$READY_A" = 0 ] && [ "$(ml_phase vm)" = ready ] && ready_check A vm /dev/vda /dev/vdb
[ "$READY_B" = 0 ] && [ "$(ml_phase vx)" = ready ] && ready_check B vx /dev/vdf /dev/vdg
t_ok "$K: A's writer runs" writer_alive A
t_ok "$K: B's writer runs" writer_alive B
A_ST=$(dm_status vm) B_ST=$(dm_status vx)
note_put "$K" "mode=$MODE phaseA=$(ml_pick "$A_ST" phase) copiedA=$(ml_pick "$A_ST" progress | cut -d/ -f1) hotA=$(hot_regions "$A_HS" $A_HOT) qdA=$A_QD rateA=$A_RATE readyA=$(ready_for A) phaseB=$(ml_pick "$B_ST" phase) copiedB=$(ml_pick "$B_ST" progress | cut -d/ -f1) hotB=$(hot_regions "$B_HS" $B_HOT) qdB=1 rateB=$B_RATE_KIB readyB=$(ready_for B)"
diag "$K: the kill: A $A_ST" "$K:           B $B_ST"
t_like "$K: A neither failed nor paused" "$(ml_pick "$A_ST" phase)" '^(copying|ready)$'
t_like "$K: B neither failed nor paused" "$(ml_pick "$B_ST" phase)" '^(copying|ready)$'
request_kill
