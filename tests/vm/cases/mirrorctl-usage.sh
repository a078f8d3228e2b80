#!/bin/sh
# Malformed mirrorctl command lines: each one exits 2, prints nothing on
# stdout, says "mirrorctl: <what>: <why>" and points to --help on stderr,
# and changes nothing (the devices keep their tables).  Then the help
# (--help, help, ACTION --help, help ACTION: each action's options only, no
# line wider than 79 columns), --version, wait --progress printing nothing
# when stdout is no terminal; then mirrorctl without root, and without
# device-mapper in the kernel, says so.
# timeout: 150
# once: command lines and help, refused before any dm request
. /tests/lib.sh
setup

t_ok "brd: 2 x 16 MiB" brd_setup 2 16
S=$(dev_sectors /dev/ram0)
t_ok "wrap ram0 as vm" mirrorctl wrap /dev/ram0 vm
t_ok "create ml, a paused mirror" dm_create ml "0 $S mirrorlive /dev/ram1 0 /dev/ram0 0 1 paused"
t_ok "create lin" dm_create lin "0 $S linear /dev/ram1 0"
before=$(dmsetup table)

# One command line per line, split by the shell as it would be typed.
cat > "$T_TMP/lines" <<'EOF'

--no-such-option
frobnicate
frobnicate vm
-x status vm
--verbose=yes status vm
--version=2
start
start vm
start vm /dev/ram1 lin
start vm /dev/ram1 --region-size
start vm /dev/ram1 --region-size 0
start vm /dev/ram1 --region-size 3K
start vm /dev/ram1 --region-size 2K
start vm /dev/ram1 --region-size 2G
start vm /dev/ram1 --region-size -4K
start vm /dev/ram1 --region-size 4KB
start vm /dev/ram1 --region-size ""
start vm /dev/ram1 --max-rate
start vm /dev/ram1 --max-rate fast
start vm /dev/ram1 --max-rate -1
start vm /dev/ram1 --max-rate 1.5M
start vm /dev/ram1 --max-rate 100
start vm /dev/ram1 --max-rate 1KB
start vm /dev/ram1 --max-rate 16T
start vm /dev/ram1 --max-rate 99999999999999999999
start vm /dev/ram1 --timeout 5s
start vm /dev/ram1 --progress
start vm /dev/ram1 --nosync --paused
start vm /dev/ram1 --wait --timeout soon
start vm /dev/ram1 --wait --timeout 1e3
status
status vm lin
status vm --wait
status vm --timeout 3
status vm --force
status ""
list vm
list --progress
wait
wait vm --timeout
wait vm --timeout -1
wait vm --timeout 999999999999
wait vm --json
complete
complete vm --force
complete vm --timeout x
complete ml ml
cancel
cancel vm --wait
pause
pause vm lin
pause vm --max-rate 1M
pause-copy vm --json
resume
resume ml --paused
resume-copy
help start status
help frobnicate
set-rate
set-rate ml
set-rate ml 1M 2M
set-rate ml slow
set-rate ml -5
set-rate ml 10Mbps
set-rate ml 100
set-rate ml 10MB/s
wrap
wrap /dev/ram1
wrap /dev/ram1 a b
wrap /dev/ram1 x/y
wrap /dev/ram1 ""
wrap /dev/ram1 $(printf '%0128d' 0 | tr 0 x)
wrap /dev/ram1 lin2 --sparse
EOF

n=0
while IFS= read -r line; do
	n=$((n + 1))
	eval "set -- $line"
	mirrorctl "$@" > "$T_TMP/out" 2> "$T_TMP/err" < /dev/null
	rc=$?
	if [ "$rc" -ne 2 ]; then
		t_notok "usage error: mirrorctl $line" "exit $rc, want 2" "stderr: $(head -n 2 "$T_TMP/err")"
	elif [ -s "$T_TMP/out" ]; then
		t_notok "usage error: mirrorctl $line" "stdout: $(head -n 2 "$T_TMP/out")"
	elif ! head -n 1 "$T_TMP/err" | grep -q '^mirrorctl: .*: .'; then
		t_notok "usage error: mirrorctl $line" "no 'mirrorctl: <what>: <why>'" "stderr: $(head -n 2 "$T_TMP/err")"
	elif [ "$(tail -n 1 "$T_TMP/err")" != "Try 'mirrorctl --help' for more information." ]; then
		t_notok "usage error: mirrorctl $line" "no pointer to --help" "stderr: $(cat "$T_TMP/err")"
	else
		t_pass "usage error: mirrorctl $line"
	fi
done < "$T_TMP/lines"
t_num "at least 40 malformed command lines" "$n" -ge 40
t_eq "no table changed" "$(dmsetup table)" "$before"
t_eq "no device created" "$(dmsetup ls | wc -l)" 3

mirrorctl --help > "$T_TMP/help" 2> "$T_TMP/herr"
t_eq "--help exits 0" "$?" 0
for a in start status list wait complete cancel pause-copy resume-copy \
	set-rate recover wrap help; do
	t_like "--help lists $a" "$(cat "$T_TMP/help")" "^  $a( |\$)"
done
t_eq "help is --help" "$(mirrorctl help)" "$(cat "$T_TMP/help")"
# fits80 FILE: no line over 79 characters, no tab
fits80() { ! grep -q "$(printf '\t')" "$1" && ! grep -q '.\{80\}' "$1"; }
t_ok "--help fits 80 columns" fits80 "$T_TMP/help"
for a in start status list wait complete cancel pause resume set-rate recover wrap; do
	# (not $T_TMP/out: t_ok keeps its command's output there)
	mirrorctl "$a" --help > "$T_TMP/help" 2> "$T_TMP/herr"
	t_eq "$a --help exits 0, silent on stderr" "$?:$(cat "$T_TMP/herr")" "0:"
	t_eq "help $a is $a --help" "$(mirrorctl help "$a")" "$(cat "$T_TMP/help")"
	t_ok "$a --help fits 80 columns" fits80 "$T_TMP/help"
	t_like "$a --help: its usage first" "$(head -n 1 "$T_TMP/help")" "^Usage: mirrorctl $a"
done
mirrorctl start --help > "$T_TMP/help"
t_like "start --help has --region-size" "$(cat "$T_TMP/help")" '^  --region-size=SIZE '
t_like "start --help has --json" "$(cat "$T_TMP/help")" '^  --json '
mirrorctl wait --help > "$T_TMP/help"
t_eq "wait --help has no --json" "$(grep -c -- '--json' "$T_TMP/help")" 0
mirrorctl status --help > "$T_TMP/help"
t_eq "status --help has no --region-size" "$(grep -c -- '--region-size' "$T_TMP/help")" 0
t_like "--version" "$(mirrorctl --version)" '^mirrorctl [0-9]+\.[0-9]+\.[0-9]+$'

# -v on a refusal names no internal code
mctl_rc 3 "-v cancel of a linear device: refused" -v cancel lin
t_eq "... its last word is the exit status, no internal code" \
	"$(tail -n 1 "$T_TMP/err")" "mirrorctl: failed: Precondition not met (exit 3)"

# --progress draws only on a terminal; a pipe gets nothing.
t_ok "resume_copy" dmsetup message ml 0 resume_copy
out=$(mirrorctl wait ml --progress --timeout 60)
t_eq "wait --progress into a pipe: ready, nothing printed" "$?:$out" "0:"
t_ok "remove ml" dm_remove ml
t_ok "remove lin" dm_remove lin
t_ok "remove vm" dm_remove vm

# Not root: the first word is the cause, nothing is asked of the kernel.
echo "nobody:x:65534:65534:nobody:/:/bin/sh" >> /etc/passwd
su -s /bin/sh nobody -c 'mirrorctl list' > "$T_TMP/out" 2> "$T_TMP/err"
t_eq "as nobody: list exits 1" "$?" 1
t_eq "... and says root is needed" "$(cat "$T_TMP/err")" \
	"mirrorctl: /dev/mapper/control: Permission denied: device-mapper needs root (run mirrorctl as root)"

# No device-mapper in the kernel: dm_mod unloaded (nothing else uses it),
# and the control node gone with it (a static node left by libdevmapper
# would load dm_mod again when opened).
t_ok "rmmod $T_MOD" rmmod "$T_MOD"
t_ok "rmmod dm_mod" rmmod dm_mod
rm -f /dev/mapper/control
mctl_rc 1 "without dm_mod: list exits 1" list
t_eq "... and says to load dm_mod" "$(cat "$T_TMP/err")" \
	"mirrorctl: /dev/mapper/control: no such device, and the kernel has no device-mapper: load it with modprobe dm_mod"
t_ok "modprobe $T_MOD again" modprobe "$T_MOD"
finish
