# shellcheck shell=sh disable=SC3043 # (local: busybox ash and dash have it)
# tap.sh - TAP results: the t_* checks, diagnostics and the test counter.
#
# Every t_* function returns 0 when its TAP test passed, 1 when it failed.
# Output is TAP; every TAP line is also echoed to stderr (the console) when
# MLTEST_TAP_ECHO is set, so the console log shows results between kernel
# messages.  Command output of t_ok/t_fail goes to stderr, never into the
# TAP stream.
#
# State (global, for setup/finish and request_kill in case.sh):
#   _T_N       tests reported so far (the plan finish prints)
#   _T_FAILED  how many of them failed
_T_N=0
_T_FAILED=0

# _tap LINE...: one line of TAP, echoed to the console with the uptime.
_tap() {
    local up rest
    printf '%s\n' "$*"
    if [ -n "${MLTEST_TAP_ECHO:-}" ]; then
        read -r up rest < /proc/uptime
        printf '[tap %ss] %s\n' "$up" "$*" >&2
    fi
    return 0
}

# diag MSG...: TAP diagnostic lines ("# MSG"), one per argument and per
# line of a multi-line argument.
diag() {
    local line
    printf '%s\n' "$@" | while IFS= read -r line; do _tap "# $line"; done
}

# diag_file FILE [N]: the last N (default 20) lines of FILE as diagnostics.
diag_file() {
    local line
    [ -s "$1" ] || return 0
    tail -n "${2:-20}" "$1" | while IFS= read -r line; do _tap "#   $line"; done
}

# t_pass DESC / t_notok DESC [DIAG...]: record a result computed by the case.
t_pass() {
    _T_N=$((_T_N + 1))
    _tap "ok $_T_N - $1"
    return 0
}
t_notok() {
    _T_N=$((_T_N + 1))
    _T_FAILED=$((_T_FAILED + 1))
    _tap "not ok $_T_N - $1"
    shift
    [ $# -gt 0 ] && diag "$@"
    return 1
}

# t_skip DESC [REASON]
t_skip() {
    _T_N=$((_T_N + 1))
    _tap "ok $_T_N - $1 # SKIP ${2:-}"
    return 0
}

# _t_run CMD...: run CMD, output to $T_TMP/out (copied to stderr); returns
# CMD's exit status.
_t_run() {
    local _t_rc
    "$@" > "$T_TMP/out" 2>&1
    _t_rc=$?
    cat "$T_TMP/out" >&2
    return "$_t_rc"
}

# _t_expect WANT DESC CMD...: run CMD; pass DESC if its exit status is 0
# and WANT is "ok", or non-zero and WANT is "fail".  CMD sees the locals of
# _t_expect and _t_run (ash's scoping is dynamic), hence their _t_ names,
# which no case uses.
_t_expect() {
    local _t_want _t_desc _t_rc
    _t_want=$1 _t_desc=$2; shift 2
    _t_run "$@"
    _t_rc=$?
    if [ "$_t_want" = ok ] && [ "$_t_rc" -eq 0 ]; then
        t_pass "$_t_desc"
    elif [ "$_t_want" = fail ] && [ "$_t_rc" -ne 0 ]; then
        t_pass "$_t_desc"
    elif [ "$_t_want" = ok ]; then
        t_notok "$_t_desc" "command: $*" "exit status: $_t_rc"
        diag_file "$T_TMP/out" 20
        return 1
    else
        t_notok "$_t_desc" "command: $*" "exit status: 0, expected failure"
        diag_file "$T_TMP/out" 10
        return 1
    fi
}

# t_ok DESC CMD...: passes if CMD exits 0 (CMD may be a shell function).
t_ok() { _t_expect ok "$@"; }

# t_fail DESC CMD...: passes if CMD exits non-zero.
t_fail() { _t_expect fail "$@"; }

# t_eq DESC GOT WANT: string equality.
t_eq() {
    if [ "$2" = "$3" ]; then
        t_pass "$1"
    else
        t_notok "$1" "got:  '$2'" "want: '$3'"
    fi
}

# t_like DESC GOT ERE: GOT matches the extended regular expression.
t_like() {
    if printf '%s\n' "$2" | grep -Eq -- "$3"; then
        t_pass "$1"
    else
        t_notok "$1" "got:  '$2'" "want: /$3/"
    fi
}

# t_num DESC A OP B: numeric comparison, OP one of -eq -ne -lt -le -gt -ge.
t_num() {
    if test "$2" "$3" "$4" 2>/dev/null; then
        t_pass "$1"
    else
        t_notok "$1" "got:  $2" "want: $3 $4"
    fi
}

# t_abort REASON: record a failure, clean up and end the case now.
t_abort() {
    t_notok "aborted: $1"
    finish
}
