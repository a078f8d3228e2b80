#!/bin/bash
# Demo lane: `make demo` as an operator sees it in an 80x24 terminal.
#
#   tests/demo/run.sh            run tests/demo.sh in a detached tmux pane,
#                                capture the pane, check it
#   tests/demo/run.sh --check    check the last capture again (no guest)
#
# tests/demo.sh runs in a private tmux server (its own socket, status line
# off, so the pane is exactly COLS x ROWS). Everything written to the pane
# is also recorded raw (pipe-pane), since the progress line redraws itself
# and is gone from the final screen. When the script ends it signals a
# tmux channel; then the pane and its whole scrollback are captured.
# Results in $MLTEST_RESULTS/demo/: capture.txt (the pane as text),
# joined.txt (wrapped lines joined), raw.txt (the byte stream), exit.
# Counts in $MLTEST_RESULTS/demo.counts.
#
# Environment: MLTEST_DEMO_TIMEOUT (s, default 900); MLTEST_DEMO_CMD, the
# command run in the pane (default tests/demo.sh; another one, e.g. one
# that replays a raw.txt, tests the checks without booting a guest).
set -u
. "$(dirname "$0")/../lib/common.sh"

lane=demo
COLS=80 ROWS=24
out=$MLTEST_RESULTS/demo
capture=$out/capture.txt joined=$out/joined.txt raw=$out/raw.txt
timeout=${MLTEST_DEMO_TIMEOUT:-900}
demo_cmd=${MLTEST_DEMO_CMD:-tests/demo.sh}
DISK_BYTES=268435456		# tests/vm/demo.sh's 256 MiB disk
SUSPEND_MAX_MS=1000		# a sanity bound, not a performance target
diag=$out/diag

# ---------------------------------------------------------------- run ---

# run_demo: tests/demo.sh in a fresh COLS x ROWS pane; fills $out.
run_demo() {
	local sock=mltest-demo-$$ rc
	local t=(tmux -L "$sock" -f "$out/tmux.conf")

	rm -rf "$out" && mkdir -p "$out" || return 1
	cat > "$out/tmux.conf" <<-EOF
		set -g status off
		set -g history-limit 20000
	EOF
	# The pane waits for demo-go so that pipe-pane records from the first
	# byte on; it holds on after demo-done so that the pane is still there
	# to capture (kill-server ends it).
	"${t[@]}" new-session -d -s demo -x "$COLS" -y "$ROWS" \
		"tmux -L $sock wait-for demo-go; cd '$MLTEST_TOP' && $demo_cmd; \
		 echo \$? > '$out/exit'; tmux -L $sock wait-for -S demo-done; \
		 tmux -L $sock wait-for demo-end" || return 1
	"${t[@]}" pipe-pane -t demo "cat > '$raw'; tmux -L $sock wait-for -S demo-piped"
	"${t[@]}" wait-for -S demo-go
	timeout "$timeout" "${t[@]}" wait-for demo-done
	rc=$?
	[ $rc -eq 124 ] && echo "demo: timed out after $timeout s" > "$out/timeout"
	"${t[@]}" capture-pane -p -S - -E - -t demo > "$capture"
	"${t[@]}" capture-pane -p -J -S - -E - -t demo > "$joined"
	# close the pipe: cat sees EOF, has written everything, signals
	"${t[@]}" pipe-pane -t demo
	timeout 10 "${t[@]}" wait-for demo-piped
	"${t[@]}" kill-server
	return 0
}

# --------------------------------------------------------------- checks ---

# check DESC CMD...: one TAP line; CMD's output is the diagnostic.
check() {
	local desc=$1
	shift
	if "$@" > "$diag" 2>&1; then
		tap_ok "$desc"
	else
		tap_not_ok "$desc" "$diag"
	fi
}

# field LABEL: the value of a summary line "   LABEL   VALUE"
field() {
	sed -n "s/^   $1  *//p" "$capture" | tail -n 1
}

exit_zero() {
	[ ! -e "$out/timeout" ] || { cat "$out/timeout"; return 1; }
	[ "$(cat "$out/exit" 2>/dev/null)" = 0 ] || {
		echo "exit status: $(cat "$out/exit" 2>/dev/null || echo none)"
		grep -m 3 'FAILED' "$capture"
		return 1
	}
}

last_line() {
	local l
	l=$(grep -v '^[[:space:]]*$' "$capture" | tail -n 1)
	[ "$l" = "demo: migration complete, data verified" ] ||
		{ echo "last line: '$l'"; return 1; }
}

# the section headers, each once, in this order
headers_in_order() {
	local want=("== The VM's disk:" "== Live migration onto" "== Complete:"
		    "== Proof:" "== Summary") h n prev=0
	for h in "${want[@]}"; do
		n=$(grep -n -F -- "$h" "$capture" | cut -d: -f1)
		case "$n" in
		'') echo "missing header '$h'"; return 1 ;;
		*[!0-9]*) echo "header '$h' more than once: lines $n" | tr '\n' ' '
			  return 1 ;;
		esac
		[ "$n" -gt "$prev" ] || { echo "header '$h' (line $n) out of order"; return 1; }
		prev=$n
	done
}

# the workflow's commands, shown as "$ cmd", in this order
commands_in_order() {
	awk 'BEGIN { n = split("mirrorctl wrap /dev/ram0 vmdisk|mirrorctl start vmdisk /dev/ram1 " \
			"--max-rate|mirrorctl wait vmdisk --progress|mirrorctl status vmdisk|" \
			"mirrorctl complete -v vmdisk|dmsetup table vmdisk|e2fsck -fn /dev/ram1", w, "|"); i = 1 }
	     i <= n && index($0, "$ " w[i]) == 1 { i++ }
	     END { if (i <= n) { print "missing or out of order: $ " w[i]; exit 1 } }' "$capture"
}

# The progress line as drawn: each redraw is ESC[2K CR LINE. It must have
# been drawn several times, never gone backwards, and got near the end
# (its last draw, the ready line, is checked on the screen).
progress_drawn() {
	LC_ALL=C awk 'BEGIN { RS = "\033\\[2K\r" }
		NR > 1 && match($0, /^vmdisk: copying [0-9.]+%/) {
			p = substr($0, 17, RLENGTH - 17) + 0; n++
			if (p < last) { printf "went back from %s%% to %s%%\n", last, p; bad = 1 }
			last = p
		}
		END {
			if (n) printf "%d redraws, last at %s%%\n", n, last
			else print "no progress line drawn"
			exit bad || n < 3 || last < 50
		}' "$raw"
}

ready_reached() {
	grep -Eq '^vmdisk: ready 100\.0% 256\.0 MiB/256\.0 MiB$' "$capture" &&
	grep -Eq '^   ready after [0-9]+\.[0-9]+ s' "$capture" &&
	grep -Eq '^phase: +ready$' "$capture" &&
	grep -Eq '^copied: +256\.0 MiB / 256\.0 MiB \(100\.0%\)$' "$capture" || {
		grep -E 'vmdisk: ready|ready after|^phase:|^copied:' "$capture"
		echo "want: 'vmdisk: ready 100.0% ...', 'ready after N s', 'phase: ready', 'copied: ... (100.0%)'"
		return 1
	}
}

maps_to_dest() {
	grep -Eq '^0 524288 linear 1:1 0$' "$capture" &&
	grep -q '^   vmdisk maps to 1:1 = /dev/ram1: the device now maps to the destination$' "$capture" ||
		{ grep -A 2 -F '$ dmsetup table' "$capture"; return 1; }
}

fsck_clean() {
	grep -Eq '^/dev/ram1: [0-9]+/[0-9]+ files .* [0-9]+/[0-9]+ blocks$' "$capture" &&
	grep -q '^   e2fsck clean: no errors on /dev/ram1$' "$capture" ||
		{ grep -A 3 -F '$ e2fsck' "$capture"; return 1; }
}

files_verified() {
	local n
	n=$(sed -n 's/^   \([0-9][0-9]*\) files verified: every checksum matches$/\1/p' "$capture")
	[ -n "$n" ] && [ "$n" -ge 320 ] || { echo "verified line: '${n:-none}', want >= 320 files"; return 1; }
	[ "$(field 'files verified')" = "$n" ] ||
		{ echo "summary says '$(field 'files verified')', the check $n"; return 1; }
	echo "$n files"
}

summary_bytes() {
	local v
	v=$(field 'bytes copied')
	[ "$v" = "$DISK_BYTES (256 MiB)" ] || { echo "bytes copied: '$v', want '$DISK_BYTES (256 MiB)'"; return 1; }
}

summary_time() {
	local v
	v=$(field 'start to ready')
	[[ $v =~ ^([0-9]+)\.[0-9]{2}\ s$ ]] && [ "${BASH_REMATCH[1]}" -ge 1 ] &&
		[ "${BASH_REMATCH[1]}" -lt 300 ] || { echo "start to ready: '$v'"; return 1; }
	echo "start to ready $v"
}

summary_writes() {
	local v
	v=$(field 'writes mirrored')
	[[ $v =~ ^([0-9]+)\ \(before\ complete\)$ ]] && [ "${BASH_REMATCH[1]}" -gt 0 ] ||
		{ echo "writes mirrored: '$v'"; return 1; }
	echo "writes mirrored $v"
}

summary_suspend() {
	local v
	v=$(field 'suspend window')
	[[ $v =~ ^([0-9]+)\.[0-9]{3}\ ms$ ]] && [ "${BASH_REMATCH[1]}" -lt $SUSPEND_MAX_MS ] ||
		{ echo "suspend window: '$v', want N.NNN ms under $SUSPEND_MAX_MS"; return 1; }
	echo "suspend window $v"
}

# wrapped lines joined: none may be wider than the pane
fits_width() {
	awk -v w="$COLS" '{ sub(/[ \t]+$/, "") } length($0) > w {
		printf "line %d is %d wide: %s\n", NR, length($0), $0; bad = 1 }
		END { exit bad }' "$joined"
}

no_kernel_messages() {
	! grep -En '^\[ *[0-9]+\.[0-9]+\]|BUG|WARNING|Oops|Call Trace|Kernel panic|mltest: demo exited' "$capture"
}

# tmux turned every escape sequence it understood into screen state; what
# is left as text is garbage: ESC or other control characters, "^[", or an
# orphaned CSI tail such as "[2K" or "[1m".
no_escape_garbage() {
	! LC_ALL=C grep -nP '[\x00-\x08\x0b-\x1f\x7f]|\^\[|\[[0-9;]+[A-HJKSTfmhl]' "$capture"
}

# In the byte stream, a CR may end a line (CR LF, CR CR LF: the guest's
# and the host pty's output processing) or start a progress redraw
# (ESC[2K CR); any other CR overwrites text on the screen.
no_stray_cr() {
	LC_ALL=C perl -0777 -ne 's/\r+\n/\n/g; s/\e\[2K\r//g;
		my $n = () = /\r/g; if ($n) { /([^\n]{0,40})\r([^\n]{0,40})/;
		print "$n stray CR, e.g. in: ", $1 =~ s/\e/^[/gr, "<CR>", $2 =~ s/\e/^[/gr, "\n"; exit 1 }' "$raw"
}

no_failure() {
	! grep -n 'FAILED' "$capture"
}

run_checks() {
	check "make demo exited 0" exit_zero
	check "last line: demo: migration complete, data verified" last_line
	check "section headers in order" headers_in_order
	check "mirrorctl workflow shown as \$ commands, in order" commands_in_order
	check "progress line drawn and advancing" progress_drawn
	check "mirror reached ready, 100% copied" ready_reached
	check "device maps to the destination" maps_to_dest
	check "e2fsck of the destination clean" fsck_clean
	check "every file verified" files_verified
	check "summary: bytes copied = disk size" summary_bytes
	check "summary: start to ready" summary_time
	check "summary: writes mirrored" summary_writes
	check "summary: suspend window < $SUSPEND_MAX_MS ms" summary_suspend
	check "no line wider than $COLS columns" fits_width
	check "no kernel messages, BUG or WARNING on the console" no_kernel_messages
	check "no escape-sequence garbage" no_escape_garbage
	check "no stray carriage returns" no_stray_cr
	check "no FAILED" no_failure
}

# ----------------------------------------------------------------- main ---

rm -f "$MLTEST_RESULTS/$lane.counts"
t0=$(date +%s)
if [ "${1:-}" != --check ]; then
	if ! command -v tmux > /dev/null; then
		tap_not_ok "tmux installed (apt-get install tmux)"
		tap_done "$lane"
		exit
	fi
	if ! run_demo; then
		tap_not_ok "demo ran in tmux"
		tap_done "$lane"
		exit
	fi
fi
[ -f "$capture" ] || { tap_not_ok "capture $capture exists"; tap_done "$lane"; exit; }
run_checks
echo "# capture: $capture ($(wc -l < "$capture") lines), wall time $(($(date +%s) - t0)) s"
tap_done "$lane"
