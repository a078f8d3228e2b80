#!/bin/sh
# Seeded random table lines and messages through dmsetup (issue 6,
# "Fuzzing").  bad-input.sh holds the hand-written cases; this one mutates
# valid inputs at random: wrong feature counts, huge, negative and hex
# numbers, missing and extra words, feature names in any case, devices that
# do not exist or are the mirror itself, offsets past the end, region sizes
# that are no power of two, other targets, two-line tables, tabs for spaces.
#
# Kernel parameters: fuzz_seed=N (default 1; printed) and fuzz_count=N
# inputs (default 200: the case then takes about 60 s under TCG on a 2-core
# host that runs other guests too), e.g.
#   MLTEST_APPEND="fuzz_seed=7 fuzz_count=3000" tests/vm/run.sh fuzz-table
# A dmsetup call costs 80-150 ms under TCG (process start-up, not the
# ioctl), an input 1.6 calls on average: 3000 inputs take 8-10 minutes,
# so scale the "# timeout:" below for such a run (MLTEST_TIMEOUT_SCALE;
# make fuzz sets inputs / 300 + 1).  The loop stops 60 s before the scaled
# timeout (MLTEST_CASE_TIMEOUT) whatever the count; that counts as a failure.
#
# Table lines are loaded onto "fz", a paused mirror that stays live:
# - refused: fz is unchanged: no uevent and not suspended (free to read),
#   and its info and live table ("dmsetup -v table") when a uevent came,
#   every 100 inputs and after every accepted table;
# - accepted: the inactive table's status has phase and 7 fields
#   (Documentation/interface.rst, section 2.1) and agrees with the
#   canonical table the kernel prints
#   (phase from nosync/paused, rate, length, nothing copied yet), then
#   "dmsetup clear" leaves fz as it was; one in ten is also swapped in
#   live, its live status checked, and fz's own table swapped back.
# Messages go to "fmp" (copying 1 TiB of null_blk at 1 KiB/s, so it never
# finishes) and "fmr" (ready): a model of the message grammar says which
# must be accepted; a refused one changes nothing (tables, event number,
# phase, rate, reason), an accepted one takes effect.
# The kernel log is checked every 100 inputs, with the console quiet
# meanwhile.  Afterwards a new mirror must still copy correctly.
# timeout: 300
. /tests/lib.sh
setup

SEED=1 COUNT=200
for _a in $(cat /proc/cmdline); do
    case "$_a" in
        fuzz_seed=*) SEED=${_a#fuzz_seed=} ;;
        fuzz_count=*) COUNT=${_a#fuzz_count=} ;;
    esac
done
case "$SEED$COUNT" in *[!0-9]*|"") t_abort "fuzz_seed and fuzz_count must be decimal" ;; esac
diag "fuzz-table: fuzz_seed=$SEED fuzz_count=$COUNT"

t_ok "brd: 3 x 16 MiB" brd_setup 3 16
S=$(dev_sectors /dev/ram0)

t_ok "null_blk module" modprobe null_blk nr_devices=0
# not memory-backed: the copy of fmp costs no memory
t_ok "nbsrc: 1 TiB null_blk" nullb nbsrc size=1048576
t_ok "nbdst: 1 TiB null_blk" nullb nbdst size=1048576
t_ok "nb4k: 64 MiB, 4 KiB blocks" nullb nb4k size=64 blocksize=4096
BIG=$(dev_sectors /dev/nbsrc)

# fz's own region size never comes out of the generator, so a table
# swapped in and out never hands its progress over to fz (same geometry).
FZ_TABLE="0 $S mirrorlive /dev/ram0 0 /dev/ram1 0 3 region_size 16 paused"
t_ok "create fz: paused mirror" dm_create fz "$FZ_TABLE"
t_ok "create fmr: ready mirror" dm_create fmr "0 8192 mirrorlive /dev/ram2 0 /dev/ram2 8192 1 nosync"
t_ok "create fmp: 1 TiB copy at 1 KiB/s" dm_create fmp "0 $BIG mirrorlive /dev/nbsrc 0 /dev/nbdst 0 2 max_copy_kbps 1"
FZ_DEV=$(devno /dev/mapper/fz) R0=$(devno /dev/ram0) R1=$(devno /dev/ram1) R2=$(devno /dev/ram2)
FZ_LINE="0 $S mirrorlive $R0 0 $R1 0 3 region_size 16 paused"

# ----------------------------------------------------------- generator ---
# One input per line, fields separated by tabs:
#   T <swap> <table line>            one-line table; swap=1: swap it in live
#   T <swap> <line>|<line>           two-line table
#   M <device> <sector> <expect> <words>
# <expect> is what the kernel must do with the message: pause, resume,
# rate:N, refuse, or unknown (bytes the model does not follow).
awk -v seed="$SEED" -v count="$COUNT" -v S="$S" -v fzdev="$FZ_DEV" \
    -v r0="$R0" -v r1="$R1" -v r2="$R2" -v big="$BIG" '
function pick(s,   n, a) { n = split(s, a, " "); return a[int(rand() * n) + 1] }
function chance(p) { return rand() < p }
function subst(w) {
    if (w == "R") return int(rand() * 2 * S)
    if (w == "S") return S
    if (w == "S/2") return S / 2
    if (w == "S-8") return S - 8
    if (w == "S+8") return S + 8
    if (w == "2S") return 2 * S
    return w
}
function num() { return chance(0.8) ? "0" : subst(pick(chance(0.5) ? NUMS_OK : NUMS)) }
function dev(good) {
    if (chance(0.85)) return good
    return subst(pick(chance(0.5) ? DEVS_OK : DEVS))
}
function features(   k, j, f, w, r, c) {
    f = ""; w = 0; k = int(rand() * 4)
    for (j = 0; j < k; j++) {
        r = rand()
        if (r < 0.6)       { f = f " " pick("sparse dest_zeroed nosync paused"); w++ }
        else if (r < 0.75) { f = f " region_size " pick(REGS); w += 2 }
        else if (r < 0.9)  { f = f " max_copy_kbps " pick(KBPS); w += 2 }
        else               { f = f " " pick(JUNK); w++ }
    }
    c = chance(0.9) ? w : subst(pick("0 1 2 3 9 4294967297 -1 0x2 +1 R"))
    if (k == 0 && chance(0.5)) return ""
    return " " c f
}
function line(start, len, soff, doff) {
    return start " " len " " (chance(0.95) ? "mirrorlive" : pick("mirrorLive linear mirror error")) \
        " " dev(pick("/dev/ram0 " r0)) " " soff " " dev(pick("/dev/ram1 " r1)) " " doff features()
}
function mutate(l,   n, w, i, j, op, out, t) {
    n = split(l, w, " ")
    op = int(rand() * 7); i = int(rand() * n) + 1
    if (op == 0)      w[i] = ""                                    # drop a word
    else if (op == 1) w[i] = w[i] " " w[i]                         # repeat a word
    else if (op == 2 && i < n) { t = w[i]; w[i] = w[i + 1]; w[i + 1] = t }
    else if (op == 3) w[i] = pick(JUNK)                            # replace a word
    else if (op == 4) w[n] = w[n] " " pick(JUNK " sparse paused 8 0")
    else if (op == 5) n = i                                        # cut the line
    else if (op == 6) w[i] = w[i] "\t"                             # a tab, not a space
    out = ""
    for (j = 1; j <= n; j++) if (w[j] != "") out = out (out == "" ? "" : " ") w[j]
    return out
}
function table(   l, l2, len) {
    if (chance(0.05)) {
        l = line(0, S / 2, num(), num())
        l2 = line(S / 2, S / 2, chance(0.7) ? S / 2 : num(), chance(0.7) ? S / 2 : num())
        if (chance(0.3)) l2 = mutate(l2)
        return l "|" l2
    }
    len = chance(0.6) ? S : subst(pick(LENS))
    l = line(chance(0.95) ? 0 : pick("8 1"), len, num(), num())
    if (chance(0.2)) l = mutate(l)
    if (chance(0.05)) l = mutate(l)
    return l
}
# The kernel reads a sector with dmsetup strtoull() and refuses one outside
# the device; the words are joined by dmsetup and split at blanks.
function expect(dv, sec, words,   n, w, v, len) {
    len = dv == "fmr" ? 8192 : big
    if (sec !~ /^\+?[0-9]+$/ || length(sec) > 12 || sec + 0 >= len) return "refuse"
    if (index(words, "\\") || index(words, "ä")) return "unknown"
    sub("^" WS, "", words)
    n = split(words, w, WS)
    if (n > 0 && w[n] == "") n--
    if (n == 1 && tolower(w[1]) == "pause_copy") return "pause"
    if (n == 1 && tolower(w[1]) == "resume_copy") return "resume"
    if (n == 2 && tolower(w[1]) == "max_copy_kbps" && w[2] ~ /^[0-9]+$/) {
        v = w[2]; sub(/^0+/, "", v); if (v == "") v = "0"
        if (length(v) > 10 || (length(v) == 10 && v > "4294967295")) return "refuse"
        return "rate:" v
    }
    return "refuse"
}
function message(   dv, sec, words, r) {
    dv = chance(0.6) ? "fmp" : "fmr"
    sec = chance(0.8) ? "0" : pick("00 +0 1 8191 8192 -1 18446744073709551615 18446744073709551616 x 0x0")
    r = rand()
    if (r < 0.25)      words = "pause_copy"
    else if (r < 0.5)  words = "resume_copy"
    else if (r < 0.8)  words = "max_copy_kbps " pick("1 1 1 2 10 0 4294967295 00010 4294967296 -1 +1 1.5 0x10 1k 99999999999999999999")
    else               words = pick("PAUSE_COPY Resume_Copy pause resume cancel complete max_copy_kbps bogus %s%n ä -- 0 region_size")
    if (chance(0.3)) {
        r = int(rand() * 5)
        if (r == 0)      words = words " " pick(JUNK " 1 pause_copy")
        else if (r == 1) words = words " " words
        else if (r == 2) words = toupper(words)
        else if (r == 3) words = words VT pick("x 1 pause_copy")
        else             words = CR words
    }
    return "M\t" dv "\t" sec "\t" expect(dv, sec, words) "\t" words
}
BEGIN {
    srand(seed)
    VT = sprintf("%c", 11); CR = sprintf("%c", 13)
    WS = "[ \t" VT sprintf("%c", 12) CR "]+"
    NUMS_OK = "8 7 1 4096 R 00 08"
    NUMS = "S-8 S S+8 R 18446744073709551615 18446744073709551616 -1 +8 0x10 1e3 0.5 1,024"
    LENS = "8 1 0 7 S/2 S+8 2S 4096 1024 R 18446744073709551615 36028797018963968"
    REGS = "8 8 1024 2048 2097152 4096 512 0 4 7 1000 4194304 2097153 4294967296 -8 0x400 1e3 +1024"
    KBPS = "0 1 100 100 4294967295 0010 4294967296 -1 1.5 1k 0x10 +1 99999999999999999999"
    JUNK = "SPARSE Paused NoSync DEST_ZEROED bogus = -- %n%s ä region_size max_copy_kbps 0 1 \\ x:y"
    DEVS_OK = "/dev/ram2 " r2 " /dev/nb4k /dev/mapper/fmr /dev/mapper/fmp"
    DEVS = "/dev/mapper/fz " fzdev " /dev/nonexistent /dev/null 0:0 1:999 4294967295:4294967295 " \
        "-1:0 1:0:0 ram0 /dev/ram0/ x /dev/dm-0"
    for (i = 0; i < count; i++) {
        if (chance(0.25)) print message()
        else print "T\t" (chance(0.1) ? 1 : 0) "\t" table()
    }
}' > "$T_TMP/inputs"
t_eq "fuzz: $COUNT inputs generated" "$(wc -l < "$T_TMP/inputs" | tr -d ' ')" "$COUNT"

# ------------------------------------------------------------- checks ---
NL='
'
# fail CATEGORY WHAT: count a failed check; keep the first 5 per category
fail() {
    eval "_n=\${F_$1:-0}"
    eval "F_$1=$((_n + 1))"
    [ "$_n" -lt 5 ] && printf 'input %s: %s\n' "$i" "$2" >> "$T_TMP/fail.$1"
    return 0
}
# report CATEGORY DESC: one TAP test over every input of that category
report() {
    eval "_n=\${F_$1:-0}"
    if [ "$_n" -eq 0 ]; then
        t_pass "$2"
    else
        t_notok "$2" "$_n failure(s), the first ones:"
        diag_file "$T_TMP/fail.$1" 10
    fi
}

is_num() { case "$1" in ''|*[!0-9]*) return 1 ;; esac; }
is_devno() { case "$1" in *:*) is_num "${1%%:*}" && is_num "${1#*:}" ;; *) return 1 ;; esac; }
# The checks below run once per input: they set WHY and return 1 on a
# failure, without subshells (a fork costs milliseconds under TCG).
no() { WHY=$1; return 1; }

# status_ok LINE: "<start> <len> mirrorlive <phase> <c>/<t> <5 counters> <reason>
# <dirty_regions> <verify_state> <verified>/<copied> <mismatched> <repaired>
# <min_copy_kbps> <yielding>" (no metadata device here: "-"; no verify pass:
# "- 0/<n> 0 0"; a copy that never yields: "0 -")
status_ok() {
    set -- $1
    [ $# -eq 18 ] || { no "$# words in '$*'"; return; }
    [ "${12}" = - ] || { no "dirty_regions '${12}' without metadata"; return; }
    [ "${13}" = - ] && [ "${14%%/*}" = 0 ] && [ "${15}" = 0 ] && [ "${16}" = 0 ] ||
        { no "verify fields '${13} ${14} ${15} ${16}' without a pass"; return; }
    [ "${17}" = 0 ] && [ "${18}" = - ] ||
        { no "yield fields '${17} ${18}' without min_copy_kbps"; return; }
    [ "$3" = mirrorlive ] || { no "target '$3'"; return; }
    case "$4" in copying|paused|ready|failed) ;; *) no "phase '$4'"; return ;; esac
    _c=${5%%/*} _t=${5#*/}
    is_num "$_c" && is_num "$_t" || { no "progress '$5'"; return; }
    [ "$_t" = "$2" ] || { no "total $_t for length $2"; return; }
    [ "$_c" -le "$_t" ] || { no "copied $_c > total $_t"; return; }
    for _f in "$6" "$7" "$8" "$9" "${10}"; do
        is_num "$_f" || { no "counter '$_f'"; return; }
    done
    case "${11}" in
        -|dest_write_error|dest_flush_error|dest_discard_error|source_read_error|copy_error) ;;
        *) no "reason '${11}'" ;;
    esac
}

# agrees STATUS TABLE: an un-resumed table's status follows from its
# canonical line (phase from nosync/paused, its rate, nothing copied unless
# nosync), and the line is canonical: features once, in the kernel's
# order, defaults left out, a valid region size.
agrees() {
    _st=$1
    set -- $2
    [ "$3" = mirrorlive ] && is_devno "$4" && is_num "$5" && is_devno "$6" && is_num "$7" ||
        { no "table line '$*'"; return; }
    _got="$*" _want="$1 $2 $3 $4 $5 $6 $7"
    _rs=1024 _kb=0 _sp="" _dz="" _ns="" _pa=""
    if [ $# -gt 7 ]; then
        _nf=$8
        shift 8
        [ "$_nf" = $# ] || { no "feature count $_nf for $# words in '$_got'"; return; }
        while [ $# -gt 0 ]; do
            case "$1" in
                region_size) _rs=$2; shift ;;
                max_copy_kbps) _kb=$2; shift ;;
                sparse) _sp=sparse ;; dest_zeroed) _dz=dest_zeroed ;;
                nosync) _ns=nosync ;; paused) _pa=paused ;;
                *) no "feature '$1' in '$_got'"; return ;;
            esac
            shift
        done
    fi
    is_num "$_rs" && is_num "$_kb" || { no "values in '$_got'"; return; }
    _feat="" _n=0
    [ "$_rs" != 1024 ] && _feat="$_feat region_size $_rs" _n=$((_n + 2))
    [ "$_kb" != 0 ] && _feat="$_feat max_copy_kbps $_kb" _n=$((_n + 2))
    for _w in $_sp $_dz $_ns $_pa; do _feat="$_feat $_w" _n=$((_n + 1)); done
    [ $_n -gt 0 ] && _want="$_want $_n$_feat"
    [ "$_got" = "$_want" ] || { no "not canonical: '$_got'"; return; }
    [ $((_rs & (_rs - 1))) -eq 0 ] && [ "$_rs" -ge 8 ] && [ "$_rs" -le 2097152 ] ||
        { no "region_size $_rs in '$_got'"; return; }
    set -- $_st
    _ph=copying _c=0
    [ -n "$_pa" ] && _ph=paused
    [ -n "$_ns" ] && _ph=ready _c=$2
    [ "$4 ${5%%/*} ${10}" = "$_ph $_c $_kb" ] ||
        no "status '$*' for '$_got': want $_ph, $_c copied, rate $_kb"
}

# check_pairs CHECK STATUS TABLE: CHECK on each pair of status and table
# lines (a table has one or two); a line of another target (error,
# linear) must only be that target in both
check_pairs() {
    _s1=${2%%"$NL"*} _t1=${3%%"$NL"*} _s2="" _t2=""
    case "$2" in *"$NL"*) _s2=${2#*"$NL"} ;; esac
    case "$3" in *"$NL"*) _t2=${3#*"$NL"} ;; esac
    check_pair "$1" "$_s1" "$_t1" || return
    if [ -n "$_s2" ] || [ -n "$_t2" ]; then check_pair "$1" "$_s2" "$_t2"; fi
}
check_pair() {
    set -- "$1" "$2" "$3" $3
    case "$6" in
        mirrorlive) "$1" "$2" "$3" ;;
        *) case "$2 " in "$4 $5 $6 "*) ;; *) no "status '$2' for table '$3'" ;; esac ;;
    esac
}

# msnap DEV: MSNAP = what a message may change: tables present, event
# number, phase, rate and reason (the copied count of fmp may move)
msnap() {
    _o=$(dmsetup -v status "$1" 2>&1)
    _tp=${_o#*Tables present:} _tp=${_tp%%"$NL"*}
    _ev=${_o#*Event number:} _ev=${_ev%%"$NL"*}
    set -- $_tp events: $_ev
    _tp="$*"
    set -- ${_o##*"$NL"}
    MSNAP="tables: $_tp phase: $4 rate: ${10} reason: ${11}"
}

FZ0=$(dmsetup -v table fz 2>&1)
FZ_SUSP=/sys/block/dm-${FZ_DEV#*:}/dm/suspended
msnap fmp; MS_fmp=$MSNAP
msnap fmr; MS_fmr=$MSNAP
diag "fz: $(dmsetup table fz)" "fmp: $MS_fmp" "fmr: $MS_fmr"

# ---------------------------------------------------------- the loop ---
tables=0 accepted=0 refused=0 swapped=0 msgs=0 macc=0 mref=0 munk=0
i=0
T0=$(ms_now)
# ms_now is the guest's uptime: stop 60 s before the host's timeout
DEADLINE=$(((${MLTEST_CASE_TIMEOUT:-300} - 60) * 1000))
read -r PRINTK _ < /proc/sys/kernel/printk
echo 1 > /proc/sys/kernel/printk    # refused lines log errors: not on the serial console
set -f
snap=$FZ0 snap_at=0

# fz_same WHAT: fz's info and live table must be as at the last full look
# (input $snap_at); a difference is reported once, then taken as the new
# state, so one change does not fail every later input.
fz_same() {
    now=$(dmsetup -v table fz 2>&1)
    [ "$now" = "$snap" ] ||
        fail fz_changed "$1; fz differs from input $snap_at on: $(echo "$now" | tr '\n' '|')"
    snap=$now snap_at=$i
}

# kernel log every 100 inputs (the first time, from setup's marker on: the
# boot's messages are no input's)
dmesg_chunk() {
    if [ "$i" -eq 0 ]; then
        dmesg_since_marker > "$T_TMP/kmsg"
        dmesg -C
    else
        dmesg -c > "$T_TMP/kmsg" 2>/dev/null
    fi
    if grep -E "$T_DMESG_BAD" "$T_TMP/kmsg" > "$T_TMP/kmsg.bad"; then
        fail dmesg "kernel log after inputs up to $i: $(head -n 3 "$T_TMP/kmsg.bad" | tr '\n' '|')"
    fi
}
dmesg_chunk    # the setup's messages too: the ring may overflow later

while IFS= read -r rec; do
    i=$((i + 1))
    if [ $((i % 100)) -eq 0 ]; then
        dmesg_chunk
        fz_same "inputs up to $i"
        [ "$(ms_now)" -lt "$DEADLINE" ] || { i=$((i - 1)); break; }
    fi
    kind=${rec%%"	"*} rest=${rec#*"	"}
    if [ "$kind" = T ]; then
        tables=$((tables + 1))
        swap=${rest%%"	"*} tbl=${rest#*"	"}
        read -r seq0 < /sys/kernel/uevent_seqnum
        case "$tbl" in
            *"|"*) printf '%s\n%s\n' "${tbl%%|*}" "${tbl#*|}" | dmsetup load fz > /dev/null 2>&1 ;;
            *) dmsetup load fz --table "$tbl" > /dev/null 2>&1 ;;
        esac
        if [ $? -ne 0 ]; then
            # A dmsetup call costs 100 ms: first what is free to read (a
            # resume of fz would send a uevent); all of fz's state when a
            # uevent came (a target module loaded, or worse), every 100
            # inputs and after every accepted table.
            refused=$((refused + 1))
            read -r seq1 < /sys/kernel/uevent_seqnum
            read -r susp < "$FZ_SUSP"
            if [ "$seq1 $susp" != "$seq0 0" ]; then
                [ "$susp" = 0 ] || fail fz_changed "'$tbl' left fz suspended"
                fz_same "'$tbl' refused, then a uevent"
            fi
            continue
        fi
        accepted=$((accepted + 1))
        st=$(dmsetup status --inactive fz 2>&1)
        tb=$(dmsetup table --inactive fz 2>&1)
        check_pairs status_ok "$st" "$tb" || fail status "'$tbl': $WHY"
        check_pairs agrees "$st" "$tb" || fail agrees "'$tbl': $WHY"
        if [ "$swap" != 1 ]; then
            dmsetup clear fz > /dev/null 2>&1 || fail fz_changed "'$tbl': clear failed"
            fz_same "'$tbl' accepted and cleared"
            continue
        fi
        # swap it in live, check, swap fz's own table back
        swapped=$((swapped + 1))
        if ! dmsetup resume fz > /dev/null 2>&1; then
            fail swap "'$tbl' was loaded but does not resume"
            dmsetup clear fz > /dev/null 2>&1
            continue
        fi
        st=$(dmsetup status fz 2>&1)
        check_pairs status_ok "$st" "$tb" || fail swap "'$tbl' live: $WHY"
        dmsetup load fz --table "$FZ_TABLE" > /dev/null 2>&1 &&
            dmsetup resume fz > /dev/null 2>&1 ||
            fail swap "'$tbl': cannot swap fz's table back"
        snap=$(dmsetup -v table fz 2>&1) snap_at=$i
        case "$snap" in
            *INACTIVE*) fail swap "'$tbl': fz keeps an inactive table" ;;
            *"$NL$FZ_LINE") ;;
            *) fail swap "'$tbl': fz after swapping back: $(echo "$snap" | tr '\n' '|')" ;;
        esac
        continue
    fi

    # M <device> <sector> <expect> <words>
    msgs=$((msgs + 1))
    dv=${rest%%"	"*} rest=${rest#*"	"}
    sec=${rest%%"	"*} rest=${rest#*"	"}
    exp=${rest%%"	"*} words=${rest#*"	"}
    case "$dv" in fmp) before=$MS_fmp ;; *) before=$MS_fmr ;; esac
    # words unquoted: dmsetup gets them as separate arguments, as typed
    # shellcheck disable=SC2086
    if dmsetup message -- "$dv" "$sec" $words > /dev/null 2>&1; then
        macc=$((macc + 1))
        msnap "$dv"
        # the state the model expects: only the message's own field
        # changes, and a phase change raises one dm event
        set -- $before
        want=$before
        case "$dv $exp $6" in
            "fmp pause copying") want="$1 $2 $3 $(($4 + 1)) $5 paused $7 $8 $9 ${10}" ;;
            "fmp resume paused") want="$1 $2 $3 $(($4 + 1)) $5 copying $7 $8 $9 ${10}" ;;
            *" rate:"*) want="$1 $2 $3 $4 $5 $6 $7 ${exp#rate:} $9 ${10}" ;;
        esac
        case "$exp" in
            refuse) fail msg_accepted "$dv $sec '$words' accepted" ;;
            unknown) munk=$((munk + 1)) ;;
            *) [ "$MSNAP" = "$want" ] ||
                fail msg_effect "$dv '$words': $before -> $MSNAP, want $want" ;;
        esac
        if [ "$dv" = fmp ] && [ "${MSNAP#*rate: }" != "1 reason: -" ]; then
            dmsetup message fmp 0 max_copy_kbps 1 > /dev/null 2>&1 ||
                fail msg_effect "cannot set fmp's rate back to 1"
            msnap fmp
        fi
    else
        mref=$((mref + 1))
        case "$exp" in
            pause|resume|rate:*) fail msg_refused "$dv $sec '$words' refused, want $exp" ;;
            unknown) munk=$((munk + 1)) ;;
        esac
        msnap "$dv"
        [ "$MSNAP" = "$before" ] || fail msg_changed "$dv $sec '$words': $before -> $MSNAP"
    fi
    case "$dv" in fmp) MS_fmp=$MSNAP ;; *) MS_fmr=$MSNAP ;; esac
done < "$T_TMP/inputs"
set +f
T1=$(ms_now)
dmesg_chunk
echo "$PRINTK" > /proc/sys/kernel/printk

ms=$((T1 - T0))
diag "fuzz: $i inputs in $ms ms ($((i * 1000 / (ms + 1))) per s), seed $SEED" \
     "tables: $tables tried, $accepted accepted, $refused refused, $swapped swapped in" \
     "messages: $msgs tried, $macc accepted, $mref refused, $munk outside the model"
t_num "fuzz: all $COUNT inputs tried before the time budget" "$i" -eq "$COUNT"
report fz_changed "refused tables, and accepted ones cleared, leave fz unchanged"
report status "accepted tables: inactive status has phase and 7 fields"
report agrees "accepted tables: status agrees with the canonical table"
report swap "swapped-in tables: live status parses, fz swaps back"
report msg_refused "messages the model calls valid are accepted"
report msg_accepted "messages the model calls invalid are refused"
report msg_changed "refused messages change nothing"
report msg_effect "accepted messages take effect"
report dmesg "no kernel warning during the inputs"
t_num "fuzz: some tables accepted" "$accepted" -gt 0
t_num "fuzz: some tables refused" "$refused" -gt 0
t_num "fuzz: some tables swapped in" "$swapped" -gt 0
t_num "fuzz: some messages accepted" "$macc" -gt 0
t_num "fuzz: some messages refused" "$mref" -gt 0
t_eq "fz still has its table" "$(dmsetup table fz)" "$FZ_LINE"

# ------------------------------------------------- the module still works ---
t_ok "remove fz, fmr, fmp" sh -c 'dmsetup remove fz && dmsetup remove fmr && dmsetup remove fmp'
t_ok "nbsrc, nbdst, nb4k off" nullb_remove nbsrc nbdst nb4k
t_ok "fill ram1 with 0xff" fill_ff /dev/ram1
t_ok "write gen 1 to ram0" fio_write /dev/ram0 1
t_ok "create mirror ram0 -> ram1" dm_create after "0 $S mirrorlive /dev/ram0 0 /dev/ram1 0"
t_ok "mirror ready" dm_wait_phase after ready 60
t_ok "ram1 equals ram0" same_content /dev/ram0 /dev/ram1
t_ok "gen 1 verifies on ram1" fio_verify /dev/ram1 1
t_ok "remove the mirror" dm_remove after

finish
