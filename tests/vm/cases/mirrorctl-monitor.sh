#!/bin/sh
# mirrorctl monitor (Documentation/interface.rst, 7.3 and 7.8;
# userspace/monitor.h): one JSON line per phase change, reported as the
# target's dm event arrives, and a progress line every --interval, until
# ready (0), failed (1) or --timeout (4); --progress prints text lines for
# a log instead.
#   J  a paused, throttled mirror: the first line says paused; resume-copy
#      gives a copying line, --interval 1 progress lines whose copied bytes
#      never go back; set-rate 0 lets it finish: a ready line, exit 0;
#   G  two devices at once, one ready, one paused then resumed;
#   T  --progress: text lines, the last one ready;
#   F  fail_dest while monitored: a failed line with its reason, exit 1;
#   O  --timeout on a paused mirror: exit 4.
# timeout: 200
# once: mirrorctl's event stream; waiting on dm events runs on every kernel in wait's cases
. /tests/lib.sh
setup

t_ok "brd: 4 x 32 MiB" brd_setup 4 32
S=$(dev_sectors /dev/ram0)
t_ok "wrap ram0 as vm" mirrorctl wrap /dev/ram0 vm
t_ok "gen 1 through vm" fio_write /dev/mapper/vm 1

# lines_of FILE PATTERN: how many lines of FILE match PATTERN (ERE)
lines_of() { grep -cE "$2" "$1"; }
# has_lines FILE PATTERN N: at least N
has_lines() { [ "$(lines_of "$1" "$2")" -ge "$3" ]; }
gone() { ! kill -0 "$1" 2>/dev/null; }
# phases FILE: the phases of its phase events, in order, one line
phases() {
	sed -n 's/^{"version":1,"event":"phase",.*"device":{"device":"[^"]*","phase":"\([a-z]*\)".*/\1/p' "$1" |
		tr '\n' ' ' | sed 's/ $//'
}

# ================================ J ======================================
kmsg J
mctl_rc 0 "J: start vm onto ram1, paused, 2 MiB/s" start vm /dev/ram1 --paused --max-rate 2M
OUT=$T_TMP/mon.out
mirrorctl monitor vm --interval 1 > "$OUT" 2> "$T_TMP/mon.err" &
mp=$!
t_ok "J: a first line" wait_until 30 has_lines "$OUT" . 1
t_like "J: ... the phase event of a paused mirror, versioned" "$(head -n 1 "$OUT")" \
	'^\{"version":1,"event":"phase","time":[0-9]+,"device":\{"device":"vm","phase":"paused","copied_bytes":0,"total_bytes":33554432,'
mctl_rc 0 "J: resume-copy" resume-copy vm
t_ok "J: a copying phase event" wait_until 30 has_lines "$OUT" '"event":"phase".*"phase":"copying"' 1
t_ok "J: progress lines every second" wait_until 30 has_lines "$OUT" '"event":"progress"' 3
t_ok "J: monitor still running" kill -0 $mp
mctl_rc 0 "J: set-rate 0" set-rate vm 0
t_ok "J: monitor ends" wait_until 60 gone $mp
wait $mp
t_eq "J: ... with exit 0, ready" "$?" 0
t_eq "J: ... silent on stderr" "$(cat "$T_TMP/mon.err")" ""
diag_file "$OUT" 8
t_eq "J: the phases, in order" "$(phases "$OUT")" "paused copying ready"
t_like "J: the last line: ready, all copied" "$(tail -n 1 "$OUT")" \
	'^\{"version":1,"event":"phase",.*"phase":"ready","copied_bytes":33554432,"total_bytes":33554432,"progress":100.0,'
copied=$(sed -n 's/.*"event":"progress".*"device":{[^{]*"copied_bytes":\([0-9]*\),.*/\1/p' "$OUT" | tr '\n' ' ')
diag "J: copied bytes at each progress event: $copied"
prev=0 back=0
for c in $copied; do [ "$c" -ge "$prev" ] || back=1; prev=$c; done
t_eq "J: progress never goes back" "$back" 0
t_like "J: progress lines carry a rate" "$(grep '"event":"progress"' "$OUT" | tail -n 1)" \
	'"rate_bytes_per_sec":[0-9]+,'
t_num "J: every line is one JSON object" "$(grep -cvE '^\{"version":1,"event":"(phase|progress)","time":[0-9]+,"device":\{.*\}\}$' "$OUT")" -eq 0

# ================================ G ======================================
kmsg G
t_ok "G: wrap ram2 as vm2" mirrorctl wrap /dev/ram2 vm2
mctl_rc 0 "G: start vm2 onto ram3, paused" start vm2 /dev/ram3 --paused
mirrorctl monitor vm vm2 > "$OUT" 2> "$T_TMP/mon.err" &
mp=$!
t_ok "G: a phase line for each" wait_until 30 has_lines "$OUT" '"event":"phase"' 2
t_like "G: vm ready" "$(grep '"device":"vm"' "$OUT")" '"phase":"ready"'
t_like "G: vm2 paused" "$(grep '"device":"vm2"' "$OUT")" '"phase":"paused"'
mctl_rc 0 "G: resume-copy vm2" resume-copy vm2
t_ok "G: monitor ends once vm2 is ready" wait_until 60 gone $mp
wait $mp
t_eq "G: ... exit 0" "$?" 0
t_eq "G: vm2's phases" "$(grep '"device":{"device":"vm2"' "$OUT" > "$T_TMP/vm2"; phases "$T_TMP/vm2")" \
	"paused copying ready"

# ================================ T ======================================
kmsg T
mctl_rc 0 "T: cancel vm" cancel vm
mctl_rc 0 "T: start vm onto ram1 at 4 MiB/s" start vm /dev/ram1 --max-rate 4M
mctl_rc 0 "T: monitor --progress --interval 1" monitor vm --progress --interval 1
diag_file "$T_TMP/out" 5
t_like "T: text lines, copying" "$(head -n 1 "$T_TMP/out")" \
	'^vm: copying [0-9]+\.[0-9]% [0-9.]+ [KMG]?i?B/32\.0 MiB, '
t_eq "T: the last one ready" "$(tail -n 1 "$T_TMP/out")" "vm: ready 100.0% 32.0 MiB/32.0 MiB"
t_eq "T: no JSON" "$(grep -c '^{' "$T_TMP/out")" 0

# ================================ F ======================================
kmsg F
mctl_rc 0 "F: cancel vm" cancel vm
mctl_rc 0 "F: start vm onto ram1, paused" start vm /dev/ram1 --paused
mirrorctl monitor vm > "$OUT" 2> "$T_TMP/mon.err" &
mp=$!
t_ok "F: the first line" wait_until 30 has_lines "$OUT" . 1
t_ok "F: fail_dest" dmsetup message vm 0 fail_dest
t_ok "F: monitor ends" wait_until 30 gone $mp
wait $mp
t_eq "F: ... exit 1" "$?" 1
t_like "F: the last line: failed, and why" "$(tail -n 1 "$OUT")" \
	'"phase":"failed",.*"reason":"fail_dest"'
t_eq "F: stderr says so" "$(cat "$T_TMP/mon.err")" 'mirrorctl: vm: mirror failed: fail_dest'

# ================================ O ======================================
kmsg O
mctl_rc 0 "O: cancel vm" cancel vm
mctl_rc 0 "O: start vm onto ram1, paused" start vm /dev/ram1 --paused
mctl_rc 4 "O: monitor --timeout 2 of a paused mirror" monitor vm --timeout 2
t_eq "O: one phase line" "$(phases "$T_TMP/out")" "paused"
t_eq "O: stderr says why" "$(cat "$T_TMP/err")" "mirrorctl: monitor: timed out, 1 of 1 device not ready"
mctl_rc 0 "O: cancel vm2" cancel vm2
mctl_rc 3 "O: monitor of a linear device" monitor vm2

mctl_rc 0 "cancel vm" cancel vm
t_ok "gen 1 verifies through vm" fio_verify /dev/mapper/vm 1
t_ok "remove vm" dm_remove vm
t_ok "remove vm2" dm_remove vm2
finish
