#!/bin/sh
# Malformed mirrorctl command lines: each one exits 2, prints nothing on
# stdout, says "mirrorctl: <what>: <why>" and points to --help on stderr,
# and changes nothing (the devices keep their tables).  Then --help and
# --version, and wait --progress printing nothing when stdout is no
# terminal.
# timeout: 150
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
start vm /dev/ram1 --max-rate 16T
start vm /dev/ram1 --max-rate 99999999999999999999
start vm /dev/ram1 --timeout 5
start vm /dev/ram1 --progress
start vm /dev/ram1 --nosync --paused
start vm /dev/ram1 --json
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
wait vm lin
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
resume
resume ml --paused
set-rate
set-rate ml
set-rate ml 1M 2M
set-rate ml slow
set-rate ml -5
set-rate ml 10M/s
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

mirrorctl --help > "$T_TMP/out" 2> "$T_TMP/err"
t_eq "--help exits 0" "$?" 0
for a in start status list wait complete cancel pause resume set-rate wrap; do
	t_like "--help lists $a" "$(cat "$T_TMP/out")" "^	$a "
done
t_like "--version" "$(mirrorctl --version)" '^mirrorctl [0-9]+\.[0-9]+\.[0-9]+$'

# --progress draws only on a terminal; a pipe gets nothing.
t_ok "resume_copy" dmsetup message ml 0 resume_copy
out=$(mirrorctl wait ml --progress --timeout 60)
t_eq "wait --progress into a pipe: ready, nothing printed" "$?:$out" "0:"
t_ok "remove ml" dm_remove ml
t_ok "remove lin" dm_remove lin
t_ok "remove vm" dm_remove vm
finish
