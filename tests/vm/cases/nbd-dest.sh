#!/bin/sh
# A destination on another host, over NBD. "Host B" is a second network
# namespace of the guest, joined to the main one ("host A") by a veth pair;
# it exports the brd disk /dev/ram1 with nbd-server, and host A reaches it
# as /dev/nbd0 with nbd-client (netlink, request timeout $NBD_T s). The
# guest has no NIC: 192.0.2.0/24 (TEST-NET-1) exists only on that pair.
#   1. copy onto /dev/nbd0 and `mirrorctl complete` while fio writes; every
#      block of the untouched half must hold what was copied, every
#      completed write what was written, read both over NBD and on the raw
#      export;
#   2. mid-copy, host B's link goes down; 3. mid-copy, nbd-server is killed
#      (-9). Each time: the mirror fails with dest_write_error, the writer
#      goes on and ends without an error, complete refuses, the source holds
#      every completed write, and `mirrorctl cancel` puts the device back on
#      linear(source). The time from the cut to "failed" is reported.
#   4. connected without a request timeout: `mirrorctl start` warns (and
#      does not with one, in 1);
#   5. then nbd-server stops answering (SIGSTOP) while the copy and a
#      writer run: the copy's writes wait for it, and `mirrorctl cancel`
#      waits with them; `dmsetup message vm 0 fail_dest` lets them go: the
#      cancel completes, the writer saw no error, the source holds its
#      writes, and once the server answers again (SIGCONT) the old table's
#      context, which outlived the table, is freed.
# A dead connection holds the requests in flight until nbd's timeout: the
# mirror waits for them (a write completes when both legs have), so $NBD_T
# bounds how long writes to copied regions and the cancel can stall.
# timeout: 270
# shellcheck shell=sh disable=SC1091,SC2046,SC2086
# (lib.sh exists in the image only; status fields, pid lists and the cut
# command are split into words on purpose)

. /tests/lib.sh
setup

# busybox ash runs its own ip applet for "ip", whatever PATH says, and that
# one has no netns: call iproute2's by its path (the image replaces the
# applet's link with it, so "ip netns exec ... ip" finds it too).
IP=/usr/sbin/ip
HOSTB=hostb
A_ADDR=192.0.2.1
B_ADDR=192.0.2.2
PORT=10809
# 5 s, longer on a slower (debug) kernel, where nbd-server may not answer
# within 5 s under load
NBD_T=$((5 * MLTEST_TIMEOUT_SCALE))
NBD=/dev/nbd0

# ------------------------------------------------------- local helpers ---

# hostb_up: the namespace, the veth pair, addresses, and one ping across.
hostb_up() {
    $IP netns add $HOSTB &&
    $IP link add nbda type veth peer name nbdb &&
    $IP link set nbdb netns $HOSTB &&
    $IP addr add $A_ADDR/24 dev nbda &&
    $IP link set nbda up &&
    $IP netns exec $HOSTB ip link set lo up &&
    $IP netns exec $HOSTB ip addr add $B_ADDR/24 dev nbdb &&
    $IP netns exec $HOSTB ip link set nbdb up &&
    ping -c 1 -W 10 $B_ADDR
}

# hostb_link up|down: host B's end of the pair.
hostb_link() { $IP netns exec $HOSTB ip link set nbdb "$1"; }

# server_start: nbd-server in host B exporting /dev/ram1 as "disk", with
# flush and FUA (a migration needs the destination durable, not in host
# B's page cache); returns once it answers a listing (at most 10 s).
server_start() {
    cat > "$T_TMP/nbd-server.conf" <<EOF
[generic]
	listenaddr = $B_ADDR
	port = $PORT
	allowlist = true
[disk]
	exportname = /dev/ram1
	flush = true
	fua = true
EOF
    $IP netns exec $HOSTB nbd-server -C "$T_TMP/nbd-server.conf" || return 1
    ss_try=0
    until timeout 5 nbd-client -l $B_ADDR $PORT 2>&1 | grep -qx disk; do
        ss_try=$((ss_try + 1))
        [ $ss_try -lt 20 ] || { echo "nbd-server does not answer" >&2; return 1; }
        sleep 0.5
    done
}

# nbd_connect: /dev/nbd0 = host B's "disk", requests failed after $NBD_T s.
nbd_connect() {
    timeout 30 nbd-client -N disk $B_ADDR $PORT $NBD -t $NBD_T || return 1
    nc_size=$(dev_sectors $NBD)
    echo "$NBD: $nc_size sectors"
    [ "$nc_size" = "$S" ]
}

nbd_disconnect() { timeout 30 nbd-client -d $NBD; }

# hostb_kill: SIGKILL every process of host B (the server and its
# per-connection children).
hostb_kill() {
    hk_pids=$($IP netns pids $HOSTB)
    echo "killing host B's processes: $hk_pids"
    [ -n "$hk_pids" ] && kill -9 $hk_pids
}

# dm_writes NAME: writes the dm device has completed (/sys/block/dm-N/stat)
dm_writes() {
    dw_minor=$(dmsetup info -c --noheadings -o minor "$1" | tr -d ' ')
    awk '{ print $5 }' "/sys/block/dm-$dw_minor/stat"
}

# fsync_dev DEV: an empty flush down DEV (to nbd-server's fdatasync)
fsync_dev() { dd if=/dev/zero of="$1" bs=4k count=0 conv=fsync 2>/dev/null; }

VERIFIED_KB=0
# count_verified FILE: add a verify run's read KiB to VERIFIED_KB
count_verified() { VERIFIED_KB=$((VERIFIED_KB + $(_fio_field "$1" 6))); }

# ------------------------------------------------------------- host B ---

t_ok "modules nbd, veth" sh -c "modprobe nbd nbds_max=1 && modprobe veth"
t_ok "brd: 2 x 64 MiB (ram0 host A's disk, ram1 host B's)" brd_setup 2 64
S=$(dev_sectors /dev/ram0)
HALF=$((S / 2))
SRC=$(devno /dev/ram0)
NBDNO=$(devno $NBD)
t_ok "host B's disk filled with 0xff" fill_ff /dev/ram1
t_ok "host B: netns, veth pair, ping" hostb_up || t_abort "no network namespace"
t_ok "host B: nbd-server exports ram1" server_start || t_abort "no NBD server"

# ------------------------------------ 1. copy and complete under fio ---
kmsg part1
t_ok "1: connect $NBD" nbd_connect || t_abort "no NBD device"
t_eq "1: $NBD has a write-back cache (flush reaches host B)" \
    "$(cat /sys/block/nbd0/queue/write_cache)" "write back"
mctl_rc 0 "1: wrap /dev/ram0 as vm" wrap /dev/ram0 vm
t_ok "1: gen 1 on every block, through vm" fio_write /dev/mapper/vm 1
# gen 2 stays in the second half: the first half reaches host B only
# through the copy, and must hold gen 1 there on every block.
t_ok "1: gen 2 writer, second half" fio_write_bg /dev/mapper/vm 2 \
    --offset=$((HALF * 512)) --size=$((HALF * 512)) --time_based --runtime=600 --rate=4m
mctl_rc 0 "1: start vm onto $NBD" start vm $NBD
t_eq "1: no warning: $NBD has a request timeout" "$(cat "$T_TMP/err")" ""
t_eq "1: vm mirrors onto $NBD" "$(dm_table vm)" "0 $S mirrorlive $SRC 0 $NBDNO 0"
t0=$(ms_now)
mctl_rc 0 "1: wait until ready" wait vm --timeout $((150 * MLTEST_TIMEOUT_SCALE))
diag "1: 64 MiB copied over NBD under fio in $(($(ms_now) - t0)) ms: $(dm_status vm)"
set -- $(dm_status vm)
t_eq "1: ready, all copied, no errors" "$1 $2 $4 $5 $8" "ready $S/$S 0 0 -"
t_num "1: writes were mirrored over NBD" "$3" -gt 0
t_ok "1: writer still running" fio_running 2
mctl_rc 0 "1: complete under load" complete --verbose vm
diag "1: $(grep 'suspended for' "$T_TMP/err")"
t_eq "1: vm is linear over $NBD" "$(dm_table vm)" "0 $S linear $NBDNO 0"
sleep 1    # the writer goes on, on the destination alone
t_ok "1: writer still running after complete" fio_running 2
t_ok "1: stop gen 2" fio_stop 2
t_ok "1: flush vm (nbd-server syncs ram1)" fsync_dev /dev/mapper/vm
t_ok "1: first half holds gen 1, over NBD" fio_readverify $NBD 1 --size=$((HALF * 512))
count_verified "$FIO_AUX/r1.r"
t_ok "1: every gen 2 write, over NBD" fio_verify $NBD 2
count_verified "$FIO_AUX/g2.v"
t_ok "1: first half holds gen 1, raw export" fio_readverify /dev/ram1 1 --size=$((HALF * 512))
count_verified "$FIO_AUX/r1.r"
t_ok "1: every gen 2 write, raw export" fio_verify /dev/ram1 2
count_verified "$FIO_AUX/g2.v"
diag "1: gen 2 wrote $(cat "$FIO_AUX/g2.kb") KiB; verified $VERIFIED_KB KiB in all (NBD + raw export)"
t_ok "1: remove vm" dm_remove vm
t_ok "1: disconnect $NBD" nbd_disconnect

# ----------------------------------- 2, 3. the connection dies mid-copy ---

# cut_mid_copy PART GEN CUT...: mirror vm onto $NBD at 4 MiB/s under a
# fio writer (generation GEN), run CUT after 2 s, and check the failure
# and the cancel. (cm_ variables: lib.sh's helpers use the _ ones.)
cut_mid_copy() {
    cm_p=$1 cm_g=$2
    shift 2
    cm_cut=$*
    kmsg "part$cm_p"
    t_ok "$cm_p: connect $NBD" nbd_connect || return 1
    mctl_rc 0 "$cm_p: wrap /dev/ram0 as vm" wrap /dev/ram0 vm
    t_ok "$cm_p: gen $cm_g writer" fio_write_bg /dev/mapper/vm "$cm_g" --time_based --runtime=600 --rate=2m
    mctl_rc 0 "$cm_p: start vm onto $NBD at 4 MiB/s" start vm $NBD --max-rate 4M
    sleep 2    # copy and mirrored writes under way over the network
    set -- $(dm_status vm)
    diag "$cm_p: before the cut: $*"
    t_eq "$cm_p: copying, no error yet" "$1 $4 $5 $8" "copying 0 0 -"
    t_num "$cm_p: part of the disk copied" "${2%/*}" -gt 0
    t_num "$cm_p: not all of it" "${2%/*}" -lt "$S"
    t_num "$cm_p: writes in flight over NBD too" "$3" -gt 0

    cm_t0=$(ms_now)
    t_ok "$cm_p: cut: $cm_cut" $cm_cut
    t_ok "$cm_p: the mirror fails" dm_wait_phase vm failed $((12 * NBD_T))
    cm_ms=$(($(ms_now) - cm_t0))
    cm_m=$(dm_status_field vm mirrored_writes)
    diag "$cm_p: failed $cm_ms ms after the cut (nbd timeout $NBD_T s)"
    t_num "$cm_p: failure seen within 6 nbd timeouts" "$cm_ms" -lt $((6000 * NBD_T))
    set -- $(dm_status vm)
    t_eq "$cm_p: status: failed, no source error, dest_write_error" "$1 $5 $8" "failed 0 dest_write_error"
    t_num "$cm_p: status: dest_errors > 0" "$4" -gt 0
    t_num "$cm_p: status: the copy stopped short" "${2%/*}" -lt "$S"
    # the target names the device by major:minor (dm's md->name)
    cm_mm=$(dmsetup info -c --noheadings --separator : -o major,minor vm | tr -d ' ')
    t_eq "$cm_p: one failure message" \
        "$(klog_count "part$cm_p" "mirrorlive: $cm_mm: .*failed \\(dest_write_error\\); writes go to the source only")" 1
    t_num "$cm_p: nbd0 lost its connection" \
        "$(klog_count "part$cm_p" 'nbd0: (Connection timed out|Receive control failed|Dead connection)')" -gt 0

    # Writes sent to the dead link before the failure end within $NBD_T s
    # (nbd's timeout); after that the writer must run freely.
    sleep $NBD_T
    cm_w=$(dm_writes vm)
    sleep 1
    t_ok "$cm_p: writer still running" fio_running "$cm_g"
    t_num "$cm_p: writes go on after the failure" "$(dm_writes vm)" -gt "$cm_w"
    t_eq "$cm_p: none reached the destination since" "$(dm_status_field vm mirrored_writes)" "$cm_m"
    mctl_rc 3 "$cm_p: complete refuses a failed mirror" complete vm
    t_like "$cm_p: complete says why" "$(head -n 1 "$T_TMP/err")" \
        '^mirrorctl: vm: mirror failed \(dest_write_error\), staying on the source$'
    t_eq "$cm_p: vm still on the mirror table" "$(dm_table vm | cut -d' ' -f3)" mirrorlive
    t_ok "$cm_p: stop gen $cm_g" fio_stop "$cm_g"
    t_eq "$cm_p: fio job error 0" "$(_fio_field "$FIO_AUX/g$cm_g.w" 5)" 0
    diag "$cm_p: gen $cm_g wrote $(cat "$FIO_AUX/g$cm_g.kb") KiB; slowest write $(($(_fio_field "$FIO_AUX/g$cm_g.w" 56) / 1000)) ms"
    t_ok "$cm_p: the source holds every gen $cm_g write" fio_verify /dev/ram0 "$cm_g"
    count_verified "$FIO_AUX/g$cm_g.v"
    mctl_rc 0 "$cm_p: cancel" cancel vm
    t_eq "$cm_p: vm is linear over the source" "$(dm_table vm)" "0 $S linear $SRC 0"
    t_ok "$cm_p: $NBD released" no_holders $NBD
    t_ok "$cm_p: gen $cm_g through vm after the cancel" fio_verify /dev/mapper/vm "$cm_g"
    count_verified "$FIO_AUX/g$cm_g.v"
    t_ok "$cm_p: remove vm" dm_remove vm
    t_ok "$cm_p: disconnect the dead $NBD" nbd_disconnect
}

diag "2: host B's link goes down mid-copy"
cut_mid_copy 2 3 hostb_link down
t_ok "2: host B's link up again" hostb_link up

diag "3: nbd-server killed mid-copy"
cut_mid_copy 3 4 hostb_kill
diag "verified $VERIFIED_KB KiB in all"

# 4. Without -t, a server that stops answering stalls the mirror's writes
# and its cancel: start says so (the timeout is in nbd's debugfs).
kmsg part4
t_ok "4: nbd-server again" server_start
t_ok "4: connect $NBD without a timeout" \
    timeout 30 nbd-client -N disk $B_ADDR $PORT $NBD
t_eq "4: debugfs shows no timeout" "$(cat /sys/kernel/debug/nbd/nbd0/timeout)" 0
mctl_rc 0 "4: wrap /dev/ram0 as vm" wrap /dev/ram0 vm
mctl_rc 0 "4: start vm onto $NBD, paused" start vm $NBD --paused --force
t_like "4: start warns: no request timeout" "$(cat "$T_TMP/err")" \
    "^mirrorctl: $NBD: warning: NBD device without a request timeout: .*nbd-client -t"

# 5. The server stops answering: the way out is fail_dest.
kmsg part5
MOD_REFCNT=/sys/module/$(echo "$T_MOD" | tr - _)/refcnt
refs_are() { [ "$(cat "$MOD_REFCNT")" = "$1" ]; }
gone() { ! kill -0 "$1" 2>/dev/null; }
running_after() { ! wait_until "$2" gone "$1"; }
nbd_busy() { [ "$(awk '{ print $1 + $2 }' /sys/block/nbd0/inflight)" -gt 0 ]; }
refs0=$(cat "$MOD_REFCNT")
hb_pids=$(echo $($IP netns pids $HOSTB))
t_ok "5: nbd-server stops answering (SIGSTOP $hb_pids)" kill -STOP $hb_pids
fio_write_bg /dev/mapper/vm 50 --time_based --runtime=600
mctl_rc 0 "5: resume the copy" resume vm
t_ok "5: the copy's writes wait on $NBD" wait_until 30 nbd_busy
mirrorctl cancel vm > "$T_TMP/cancel.out" 2>&1 &
cancel_pid=$!
t_ok "5: cancel waits for the server (5 s)" running_after $cancel_pid 5
t_ok "5: fail_dest" dmsetup message vm 0 fail_dest
t_ok "5: cancel completes" wait_until 60 gone $cancel_pid
wait $cancel_pid
t_eq "5: cancel exit status" "$?" 0
diag_file "$T_TMP/cancel.out"
t_eq "5: vm is linear over the source" "$(dm_table vm)" "0 $S linear $SRC 0"
t_ok "5: the writer saw no error" fio_stop 50
t_eq "5: no write failed" "$(job_errors 50)" "0 0"
t_ok "5: the source holds every write" fio_verify /dev/ram0 50
t_eq "5: the old table's context outlived it" \
    "$(klog_count part5 'still in flight after fail_dest')" 1
t_ok "5: nbd-server answers again (SIGCONT)" kill -CONT $hb_pids
t_ok "5: the context is freed" wait_until 60 refs_are $((refs0 - 1))
t_ok "5: remove vm" dm_remove vm
t_ok "5: disconnect $NBD" nbd_disconnect

t_ok "host B gone" $IP netns del $HOSTB
finish
