#!/bin/bash
# Self-test of the host-side bench report generator, tests/bench/report.py.
#
#   tests/bench/selftest.sh
#
# Runs report.py on testdata/sample-records.txt (3 rounds of every series
# the bench guest emits, the persistent mirror's "+meta" ones and B8's
# online verify included, with
# "\r", prefixed, malformed and noise lines, and an X1 figure of 4 rounds
# for the even-N median) and on small logs made here, and checks the
# figures, the target verdicts, the with/without-metadata comparisons and
# the exit statuses.
# Prints TAP; exits non-zero when any check fails.  Needs python3; the PNG
# checks are skipped when gnuplot is not installed.  Starts no guest.
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPORT=$HERE/report.py
SAMPLE=$HERE/testdata/sample-records.txt
PNG_MAGIC=89504e470d0a1a0a
PY=$(python3 -c 'import sys; print(sys.executable)') || {
    echo "Bail out! python3 not found"; exit 1; }

T=$(mktemp -d) || { echo "Bail out! mktemp failed"; exit 1; }
trap 'rm -rf "$T"' EXIT

n=0 failed=0 skipped=0

pass() { n=$((n + 1)); echo "ok $n - $1"; }
fail() {	# fail DESC [DIAG...]
    n=$((n + 1)) failed=$((failed + 1))
    echo "not ok $n - $1"
    shift
    for d in "$@"; do printf '%s\n' "$d" | sed 's/^/#   /'; done
}
skip() { n=$((n + 1)) skipped=$((skipped + 1)); echo "ok $n - $1 # SKIP $2"; }

# check DESC CMD...: CMD succeeds
check() {
    local desc=$1; shift
    if "$@"; then pass "$desc"; else fail "$desc" "failed: $*"; fi
}

# check_eq DESC GOT WANT
check_eq() {
    if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got:  $2" "want: $3"; fi
}

# check_row DESC FILE CELL...: FILE has a Markdown table row of exactly
# these cells, padded as report.py pads them; a CELL "*" matches any cell
check_row() {
    local desc=$1 file=$2 re='^\|' c
    shift 2
    for c; do
        if [ "$c" = "*" ]; then
            re+=' [^|]* \|'
        else
            re+=" *$(printf '%s' "$c" | sed 's/[].[*^$+?(){}|\\/]/\\&/g') *\\|"
        fi
    done
    if grep -qE "$re\$" "$file"; then
        pass "$desc"
    else
        fail "$desc" "no row: | $*" "in $file"
    fi
}

# check_exit DESC OUT RC TEXT: the last report exited RC and said TEXT
# (a fixed string) on stderr
check_exit() {
    if [ "$rc" -eq "$3" ] && grep -qF -- "$4" "$2.err"; then
        pass "$1"
    else
        fail "$1" "exit status $rc, want $3; stderr:" "$(cat "$2.err")"
    fi
}

# png_magic FILE: the first 8 bytes of FILE in hex
png_magic() { od -An -tx1 -N8 "$1" 2> /dev/null | tr -d ' \n'; }

# report OUT ARGS...: run report.py; stdout to OUT.md, stderr to OUT.err,
# the exit status in $rc
report() {
    local out=$1; shift
    "$PY" "$REPORT" "$@" > "$out.md" 2> "$out.err"
    rc=$?
}

# jget JSON EXPR: print EXPR evaluated over results.json as d; stat(f, s, m)
# gives "n min median max" of one record set, values(f, s, m) its values
# in round order, verdicts() "id=verdict ..." and tvalues() "id=value ...",
# comparisons() "figure series metric ratio writes/s-median; ...".
jget() {
    "$PY" - "$1" "$2" <<'EOF' 2> /dev/null
import json, sys
d = json.load(open(sys.argv[1]))
def num(v):
    return "{:.10g}".format(v)
def rec(f, s, m):
    return next(x for x in d["figures"]
                if (x["figure"], x["series"], x["metric"]) == (f, s, m))
def stat(f, s, m):
    x = rec(f, s, m)
    return " ".join([str(x["n"])] +
                    [num(x[k]) for k in ("min", "median", "max")])
def values(f, s, m):
    return " ".join(num(v) for v in rec(f, s, m)["values"])
def verdicts():
    return " ".join("%s=%s" % (t["id"], t["verdict"]) for t in d["targets"])
def tvalues():
    return " ".join("%s=%s" % (t["id"], "n/a" if t["value"] is None
                               else "%.2f" % t["value"]) for t in d["targets"])
def comparisons():
    return "; ".join(" ".join([c["figure"], c["series"], c["metric"],
                               "%.4f" % c["ratio"],
                               "-" if c["meta_writes_per_s"] is None
                               else num(c["meta_writes_per_s"]["median"])])
                     for c in d["metadata_comparisons"])
print(eval(sys.argv[2]))
EOF
}

# --- the sample log --------------------------------------------------------
S=$T/sample
report "$S" "$SAMPLE" --out "$S"
J=$S/results.json
js() { jget "$J" "$1"; }

check_eq "sample: exit status 0 although targets are missed" "$rc" 0
check "sample: results.json parses" \
    "$PY" -c 'import json, sys; json.load(open(sys.argv[1]))' "$J"
# B1 8 + 2 metadata writes + B2 12 + B3 4 + B4 6 + B5 4 + B6 3 + B7 6
# + B8 6 + B9 4 + X1 2, B1's dm-raid 2, B4's 1
check_eq "sample: 65 figure entries" "$(js 'len(d["figures"])')" 65
check_eq "sample: benchinfo with spaces in the value" \
    "$(js 'd["info"]["guest"] + "|" + d["info"]["kernel"]')" \
    "2 vCPU TCG, 4096 MiB|6.1.0-56-amd64"
check_eq "sample: B1 brd/mirrorlive n min median max" \
    "$(js 'stat("B1", "brd/mirrorlive", "randwrite_iops")')" \
    "3 9188 9300 9415"
check_eq "sample: B4 idle/dd (console-prefixed lines, floats)" \
    "$(js 'stat("B4", "idle/dd", "time_to_ready_s")')" "3 7.2 7.31 7.45"
check_eq "sample: B1 round 2 on CRLF lines; '# benchrecord' ignored" \
    "$(js 'values("B1", "brd/dm-linear", "randwrite_iops")')" \
    "15210 14509 14877"
check_eq "sample: B2 round 3 behind a 'bench: ' prefix" \
    "$(js 'values("B2", "null_blk/mirrorlive", "seqwrite_mibps")')" \
    "371.2 369.9 374.5"
check_eq "sample: B5 round 2 after a bare CR" \
    "$(js 'values("B5", "mirrorlive-sparse", "allocated_pct")')" \
    "3.1 3.1 3.2"
check_eq "sample: runs of blanks between fields" \
    "$(js 'stat("B5", "dm-mirror", "allocated_pct")')" "3 100 100 100"
check_eq "sample: B7 round 3, two records on one line split by a bare CR" \
    "$(js 'values("B7", "mirrorlive", "kib_per_tib")') |
$(js 'values("B7", "dm-mirror", "kib_per_tib")')" \
    "600 600 600 |
2176 2176 2176"
check_eq "sample: even N=4: median is the mean of the middle two" \
    "$(js 'stat("X1", "demo/even", "latency_us")')" "4 10 25 40"
check_eq "sample: even N=4: values in round order, not log order" \
    "$(js 'values("X1", "demo/even", "latency_us")')" "10 40 20 30"
check_eq "sample: even N=2 of floats" \
    "$(js 'stat("X1", "demo/even", "size_kib")')" "2 1.5 1.875 2.25"
check_eq "sample: malformed benchrec lines skipped" \
    "$(js 'stat("B6", "pivot", "max_write_lat_ms")')" "3 47.3 52.1 60.2"
check_eq "sample: malformed benchrec lines warned about, with the line" \
    "$(grep -c 'sample-records.txt:[0-9]*: benchrec .*skipped' "$S.err")" 2
check_eq "sample: B8 idle/copy and idle/verify MiB/s, in round order" \
    "$(js 'values("B8", "idle/copy", "mibps")') |
$(js 'values("B8", "idle/verify", "mibps")')" \
    "146.3 143.8 147.3 |
120 110.5 125.2"
check_eq "sample: B8 load/verify n min median max of MiB/s, time, IOPS" \
    "$(js 'stat("B8", "load/verify", "mibps")') |
$(js 'stat("B8", "load/verify", "verify_time_s")') |
$(js 'stat("B8", "load/verify", "randwrite_iops")')" \
    "3 55 61.4 63.8 |
3 16.05 16.678 18.618 |
3 4980.7 5210.3 5302"
check_eq "sample: B8 in report order: metric, then series" \
    "$(js '" ".join(x["series"] + ":" + x["metric"] for x in d["figures"] if x["figure"] == "B8")')" \
    "$(echo idle/copy:mibps idle/verify:mibps load/verify:mibps \
        idle/verify:verify_time_s load/verify:verify_time_s \
        load/verify:randwrite_iops)"
check_eq "sample: B1 metadata writes/s (CRLF-free floats, 'bench: ' prefix)" \
    "$(js 'stat("B1", "brd/mirrorlive+meta", "meta_writes_per_s")')" \
    "3 58.4 61.2 64"
check_eq "sample: target verdicts" "$(js 'verdicts()')" \
    "$(echo B1-null_blk=missed B1-brd=met B1-raid-brd=met \
        B1-raid-null_blk=missed "B1-raid-null_blk-1ms=not measured" \
        B1-mirror-null_blk=met "B1-mirror-null_blk-1ms=not measured" \
        "B1-null_blk-1ms=not measured" B1-meta-brd=met \
        B1-meta-null_blk=missed B2-brd=met B2-null_blk=missed \
        B3-write=met B3-copy=met B3-yield-write=met B3-yield-min=met \
        B4-yield-idle=met B4-idle=met B4-idle-raid=met B4-load=missed B4-meta=met \
        B5-sparse=met B5-dest_zeroed=met B6-suspend=met B7-memory=missed \
        B8-verify-speed=met B8-verify-load=met B9-aggregate=met \
        B9-threads=met B10-latency=met)"
check_eq "sample: target values" "$(js 'tvalues()')" \
    "$(echo B1-null_blk=0.80 B1-brd=1.55 B1-raid-brd=1.31 \
        B1-raid-null_blk=0.95 B1-raid-null_blk-1ms=n/a B1-mirror-null_blk=1.97 \
        B1-mirror-null_blk-1ms=n/a B1-null_blk-1ms=n/a B1-meta-brd=0.96 \
        B1-meta-null_blk=0.89 B2-brd=0.97 B2-null_blk=0.92 \
        B3-write=0.85 B3-copy=42.50 B3-yield-write=0.97 B3-yield-min=64.00 \
        B4-yield-idle=1.01 B4-idle=1.03 B4-idle-raid=0.93 B4-load=1.60 \
        B4-meta=1.03 B5-sparse=3.10 B5-dest_zeroed=0.40 B6-suspend=35.20 \
        B7-memory=600.00 B8-verify-speed=0.82 B8-verify-load=61.40 \
        B9-aggregate=0.95 B9-threads=1.03 B10-latency=0.94)"
check_eq "sample: with/without metadata comparisons in results.json" \
    "$(js 'comparisons()')" \
    "$(echo "B1 brd/mirrorlive randwrite_iops 0.9624 61.2;" \
        "B1 null_blk/mirrorlive randwrite_iops 0.8938 120.5;" \
        "B4 idle/mirrorlive time_to_ready_s 1.0300 -")"
check "sample: results.md is the Markdown of stdout" \
    cmp -s "$S.md" "$S/results.md"
check "sample: Markdown lists the benchinfo" \
    grep -qx -- '- guest: 2 vCPU TCG, 4096 MiB' "$S.md"
check_row "sample: Markdown B1 row with the ratio to dm-linear" "$S.md" \
    null_blk/mirrorlive randwrite_iops IOPS 3 15720 16000 16390 0.80
check_row "sample: Markdown B2 row, one number of decimals per row" "$S.md" \
    brd/dm-mirror seqwrite_mibps MiB/s 3 398.7 402.3 410.0 0.50
check_row "sample: Markdown unknown figure X1, even N" "$S.md" \
    demo/even latency_us us 4 10 25 40
check_row "sample: Markdown targets row" "$S.md" \
    B4-load '*' 1.60 '<= 1.5' missed
check_row "sample: Markdown B1 row of a persistent mirror" "$S.md" \
    brd/mirrorlive+meta randwrite_iops IOPS 3 8820 8950 9012 0.60
check_row "sample: Markdown metadata writes/s row, no dm-linear ratio" \
    "$S.md" null_blk/mirrorlive+meta meta_writes_per_s writes/s 3 \
    118.00 120.50 131.25 ''
check_row "sample: Markdown with/without metadata, B1 with writes/s" "$S.md" \
    B1 brd/mirrorlive randwrite_iops IOPS '9300 (9188..9415)' \
    '8950 (8820..9012)' 0.96 '61.2 (58.4..64.0)'
check_row "sample: Markdown with/without metadata, time to ready" "$S.md" \
    B4 idle/mirrorlive time_to_ready_s s '7.00 (6.95..7.12)' \
    '7.21 (7.15..7.40)' 1.03 ''
check_row "sample: Markdown metadata target row" "$S.md" \
    B1-meta-null_blk '*' 0.89 '>= 0.9' missed
check_row "sample: Markdown B8 verify MiB/s row" "$S.md" \
    idle/verify mibps MiB/s 3 110.5 120.0 125.2
check_row "sample: Markdown B8 writer IOPS during the pass" "$S.md" \
    load/verify randwrite_iops IOPS 3 4980.7 5210.3 5302.0
check_row "sample: Markdown B8 verify speed target row" "$S.md" \
    B8-verify-speed '*' 0.82 '>= 0.8' met
check "sample: Markdown counts the verdicts" \
    grep -qx '21 met, 6 missed, 3 not measured.' "$S.md"
report "$T/stdin" - < "$SAMPLE"
check "sample: LOG '-' reads stdin, same Markdown" cmp -s "$S.md" "$T/stdin.md"
check_eq "sample: gnuplot script and data kept in DIR" \
    "$(cd "$S" && ls bench.gp b12_norm.dat b3_copying.dat b4.dat b5.dat \
        b6.dat b7.dat b8.dat 2> /dev/null | wc -l)" 8
check_eq "sample: b8.dat: copy, verify, verify under load; 0.8x the copy marked on verify" \
    "$(awk '!/^#/ { print $(NF - 5), $(NF - 2) }' "$S/b8.dat" | tr '\n' ' ')" \
    "146.3 NaN 120 117.04 61.4 0 "
check_eq "sample: b12_norm.dat: 6 clusters (B1 write, B2 read, write x 2)" \
    "$(grep -vc '^#' "$S/b12_norm.dat")" 6
check_eq "sample: b12_norm.dat: a mirrorlive+meta bar and its target" \
    "$(awk '!/^#/ { print $(NF - 3), $(NF - 2) }' "$S/b12_norm.dat" | head -n 2 | tr '\n' ' ')" \
    "0.6016 0.562613 0.715 0.72 "
if command -v gnuplot > /dev/null; then
    check_eq "sample: bench.png is a PNG" "$(png_magic "$S/bench.png")" \
        $PNG_MAGIC
else
    echo "# gnuplot not installed (apt-get install gnuplot-nox): no PNG checks"
    skip "sample: bench.png is a PNG" "gnuplot not installed"
fi

# --- gnuplot missing --------------------------------------------------------
G=$T/nognuplot
mkdir -p "$T/nopath"
cp -r "$S" "$G"		# with the sample's bench.png, which must go
env PATH="$T/nopath" "$PY" "$REPORT" "$SAMPLE" --out "$G" \
    > "$G.md" 2> "$G.err"
rc=$?
if [ $rc -eq 0 ] && grep -q 'gnuplot not found' "$G.err" &&
   [ ! -e "$G/bench.png" ] && [ -s "$G/results.json" ] &&
   [ -s "$G/bench.gp" ]; then
    pass "no gnuplot: warns, no (stale) PNG, writes the rest, exits 0"
else
    fail "no gnuplot: warns, no (stale) PNG, writes the rest, exits 0" \
        "exit status $rc" "$(cat "$G.err")" "$(ls "$G")"
fi

# --- series missing, a ratio just under its limit ---------------------------
P=$T/partial
printf '%s\r\n' '# benchinfo kernel 6.1.0-56-amd64' \
    'guest: # benchrec B1 null_blk/dm-linear randwrite_iops IOPS 1 10000' \
    'guest: # benchrec B1 null_blk/mirrorlive randwrite_iops IOPS 1 8499' \
    'guest: # benchrec B1 null_blk/mirrorlive+meta randwrite_iops IOPS 1 7700' \
    '# benchrec B4 load/mirrorlive+meta time_to_ready_s s 1 6.5' \
    '# benchrec B4 idle/mirrorlive time_to_ready_s s 1 5.5' \
    '# benchrec B4 idle/dm-mirror time_to_ready_s s 1 0' \
    '# benchrec X2 a|b m u 1 7' > "$P.log"
report "$P" "$P.log" --out "$P"
check_eq "partial: exit status 0" "$rc" 0
want="B1-null_blk=missed B1-brd=not measured B1-raid-brd=not measured"
want+=" B1-raid-null_blk=not measured B1-raid-null_blk-1ms=not measured"
want+=" B1-mirror-null_blk=not measured B1-mirror-null_blk-1ms=not measured"
want+=" B1-null_blk-1ms=not measured"
want+=" B1-meta-brd=not measured"
want+=" B1-meta-null_blk=met"
for id in B2-brd B2-null_blk B3-write B3-copy B3-yield-write B3-yield-min \
        B4-yield-idle B4-idle B4-idle-raid B4-load B4-meta \
        B5-sparse B5-dest_zeroed B6-suspend B7-memory B8-verify-speed \
        B8-verify-load B9-aggregate B9-threads B10-latency; do
    want+=" $id=not measured"
done
check_eq "partial: targets without records are not measured" \
    "$(jget "$P/results.json" 'verdicts()')" "$want"
check_eq "partial: a +meta series without its plain one is no comparison" \
    "$(jget "$P/results.json" 'comparisons()')" \
    "B1 null_blk/mirrorlive randwrite_iops 0.9060 -"
check_row "partial: with/without metadata row, no writes/s recorded" "$P.md" \
    B1 null_blk/mirrorlive randwrite_iops IOPS '8499 (8499..8499)' \
    '7700 (7700..7700)' 0.91 ''
check_row "partial: Markdown row 'n/a ... not measured'" "$P.md" \
    B6-suspend '*' n/a '< 100' 'not measured'
check "partial: Markdown names the missing records" \
    grep -qxF -- "- B3-write not measured: no records of $(
        )B3 brd/mirrorlive-copying randwrite_iops, $(
        )B1 brd/mirrorlive randwrite_iops." "$P.md"
check "partial: a reference median of 0 is not measured, says why" \
    grep -qxF -- "- B4-idle not measured: $(
        )the median of B4 idle/dm-mirror time_to_ready_s is 0." "$P.md"
check_row "partial: '|' in a name escaped in the Markdown table" "$P.md" \
    'a\|b' m u 1 7 7 7
check_row "partial: 0.8499 shown as 0.8499, not as the limit 0.85" "$P.md" \
    B1-null_blk '*' 0.8499 '>= 0.85' missed
if command -v gnuplot > /dev/null; then
    check_eq "partial: bench.png drawn with empty panels and a lone +meta bar, no warning" \
        "$(png_magic "$P/bench.png") $(cat "$P.err")" "$PNG_MAGIC "
else
    skip "partial: bench.png drawn with empty panels" "gnuplot not installed"
fi

# --- B8: verify just under 0.8x the copy, stalled under the writer ---------
V=$T/verify
printf '%s\n' \
    '# benchrec B8 idle/copy mibps MiB/s 1 500.0' \
    '# benchrec B8 idle/verify mibps MiB/s 1 399.9' \
    '# benchrec B8 load/verify mibps MiB/s 1 0.0' \
    '# benchrec B8 load/verify randwrite_iops IOPS 1 7000.5' > "$V.log"
report "$V" "$V.log" --out "$V"
check_eq "verify: exit status 0" "$rc" 0
check_eq "verify: 0.7998x the copy is missed, 0 MiB/s under load is missed" \
    "$(jget "$V/results.json" 'verdicts()' | tr ' ' '\n' | grep '^B8-')" \
    "$(printf '%s\n' B8-verify-speed=missed B8-verify-load=missed)"
check_row "verify: 0.7998 shown as 0.7998, not as the limit 0.80" "$V.md" \
    B8-verify-speed '*' 0.7998 '>= 0.8' missed
check_row "verify: 0 MiB/s under load" "$V.md" \
    B8-verify-load '*' 0.00 '> 0' missed
printf '%s\n' '# benchrec B8 idle/copy mibps MiB/s 1 0' \
    '# benchrec B8 idle/verify mibps MiB/s 1 400' > "$V.log"
report "$V" "$V.log"
check "verify: a copy rate of 0 leaves the speed target not measured" \
    grep -qxF -- "- B8-verify-speed not measured: $(
        )the median of B8 idle/copy mibps is 0." "$V.md"

# --- errors -----------------------------------------------------------------
: > "$T/empty.log"
report "$T/empty" "$T/empty.log" --out "$T/empty"
check_exit "empty log: exit 1, says which file" "$T/empty" 1 \
    "$T/empty.log: no '# benchrec' records"
grep -v benchrec "$SAMPLE" > "$T/norec.log"
report "$T/norec" "$T/norec.log"
check_exit "log of benchinfo and noise only: exit 1" "$T/norec" 1 \
    "$T/norec.log: no '# benchrec' records"
report "$T/missing" "$T/no-such.log"
check_exit "missing log: exit 1, says which file and why" "$T/missing" 1 \
    "cannot read $T/no-such.log: No such file"
report "$T/baddir" "$SAMPLE" --out "$T/empty.log/sub"
check_exit "unwritable --out: exit 1, says so" "$T/baddir" 1 \
    "cannot write $T/empty.log/sub"
report "$T/badopt" --bogus "$SAMPLE"
check_exit "bad option: exit 2" "$T/badopt" 2 "unrecognized arguments"
report "$T/noarg"
check_exit "no LOG: exit 2" "$T/noarg" 2 "usage:"
report "$T/help" --help
if [ $rc -eq 0 ] && grep -q '^usage: report.py' "$T/help.md"; then
    pass "--help: usage, exit 0"
else
    fail "--help: usage, exit 0" "exit status $rc" "$(cat "$T/help.md")"
fi

echo "1..$n"
echo "# $((n - failed - skipped)) passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ]
