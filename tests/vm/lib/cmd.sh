# shellcheck shell=sh disable=SC3043 # (local: busybox ash and dash have it)
# cmd.sh - commands that must exit with a given status and say why the
# way mirrorctl and the dmsetup-scripts do; mirrorctl's sanitizer exit.

# A mirrorctl built with SANITIZE=1 (MIRRORCTL=... tests/vm/run.sh) exits 97
# on a leak or a sanitizer error, which no check accepts.
export ASAN_OPTIONS=exitcode=97 UBSAN_OPTIONS=halt_on_error=1:exitcode=97

# cmd_rc WANT DESC CMD ARGS...: CMD exits WANT, and a failure's first line
# on stderr is "CMD: <what>: <why>" (CMD's basename), as mirrorctl and the
# dmsetup-scripts write them.  stdout is left in $T_TMP/out, stderr in
# $T_TMP/err (both copied to the console).  CMD, which may be a shell
# function, sees the locals of cmd_rc and mctl_rc (ash's scoping is
# dynamic), hence their _cr_ and _mr_ names, which no case uses.
cmd_rc() {
    local _cr_want _cr_desc _cr_cmd _cr_rc
    _cr_want=$1 _cr_desc=$2 _cr_cmd=$3
    shift 3
    "$_cr_cmd" "$@" > "$T_TMP/out" 2> "$T_TMP/err"
    _cr_rc=$?
    cat "$T_TMP/out" "$T_TMP/err" >&2
    if [ "$_cr_rc" -ne "$_cr_want" ]; then
        t_notok "$_cr_desc" "$_cr_cmd $*: exit $_cr_rc, want $_cr_want" \
            "stdout: $(head -n 3 "$T_TMP/out")" "stderr: $(head -n 3 "$T_TMP/err")"
    elif [ "$_cr_want" -ne 0 ] && ! head -n 1 "$T_TMP/err" | grep -q "^${_cr_cmd##*/}: .*: "; then
        t_notok "$_cr_desc" "no '${_cr_cmd##*/}: <what>: <why>' message" \
            "stderr: $(head -n 3 "$T_TMP/err")"
    else
        t_pass "$_cr_desc"
    fi
}

# mctl_rc WANT DESC ARGS...: cmd_rc for mirrorctl.
mctl_rc() {
    local _mr_want _mr_desc
    _mr_want=$1 _mr_desc=$2
    shift 2
    cmd_rc "$_mr_want" "$_mr_desc" mirrorctl "$@"
}
