# shellcheck shell=sh disable=SC3043 # (local: busybox ash and dash have it)
# util.sh - time and chance: milliseconds since boot, bounded waits for
# a state, random numbers.

# rand_int LO HI: a random integer in LO..HI (from /dev/urandom).
rand_int() {
    local r
    r=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
    echo $(($1 + r % ($2 - $1 + 1)))
}

# wait_until SECS CMD...: run CMD every 0.1 s until it succeeds (0) or
# SECS seconds have passed (1).  For states that have no event to wait on
# (a process started, a counter moved); not a delay.  CMD sees the local
# _wu_end (ash's scoping is dynamic), a name no case uses.
wait_until() {
    local _wu_end
    _wu_end=$(($(ms_now) + $1 * 1000))
    shift
    until "$@"; do
        [ "$(ms_now)" -lt "$_wu_end" ] || return 1
        sleep 0.1
    done
}

# ms_now: milliseconds since boot (/proc/uptime has 10 ms resolution).
ms_now() {
    local up s f rest
    read -r up rest < /proc/uptime
    s=${up%.*}; f=${up#*.}
    echo $((s * 1000 + ${f#0} * 10))
}
