#!/bin/sh
# A host evacuation (issue 19, section 3): 32 mirrors started at once by one
# mirrorctl start, over 64 small brd disks, each source holding its own
# data.  Every one reaches ready and its destination then equals its
# source; the kernel threads the 32 mirrors add are counted (ps): one per
# mirror, the rescuer of its workqueue (the copy has no thread of its own;
# design.md, section 8), with and without sparse; removing them all leaves
# none.
# timeout: 300
. /tests/lib.sh
setup

N=32
t_ok "brd: $((2 * N)) x 4 MiB" brd_setup $((2 * N)) 4
# kthreads: kernel threads ([name] in ps), but the kworkers of the shared
# pools, which come and go with the load
kthreads() { ps -o args | grep '^\[' | grep -vc '^\[kworker'; }
threads_at_most() { [ "$(kthreads)" -le "$1" ]; }
# ram0..ram31 the sources, ram32..ram63 the destinations
i=0 PAIRS=""
while [ $i -lt $N ]; do
	dd if=/dev/urandom of=/dev/ram$i bs=1M count=4 2>/dev/null
	PAIRS="$PAIRS m$i /dev/ram$((i + N))"
	i=$((i + 1))
done
wrap_all() {
	local j=0
	while [ $j -lt $N ]; do
		mirrorctl wrap /dev/ram$j m$j || return 1
		j=$((j + 1))
	done
}
names() { local j=0; while [ $j -lt $N ]; do printf 'm%s ' $j; j=$((j + 1)); done; }
legs_equal() {
	local j=0
	while [ $j -lt $N ]; do
		cmp /dev/ram$j /dev/ram$((j + N)) || return 1
		j=$((j + 1))
	done
}
# one_round WHAT THREADS OPTS...: start all N, ready, legs equal, at most
# THREADS kernel threads per mirror, cancel
one_round() {
	local what=$1 per=$2 before after
	shift 2
	t_ok "$what: wrap the $N sources" wrap_all
	before=$(kthreads)
	# shellcheck disable=SC2086  # the pairs, split on purpose
	t_ok "$what: one start of all $N" mirrorctl start $PAIRS --force "$@"
	t_ok "$what: every one ready" mirrorctl wait $(names) --timeout 240
	after=$(kthreads)
	diag "$what: kernel threads $before before, $after with $N mirrors"
	t_ok "$what: at most $per kernel thread(s) per mirror ($((after - before)) for $N)" \
		test $((after - before)) -le $((per * N))
	t_ok "$what: every destination equals its source" legs_equal
	# shellcheck disable=SC2046
	t_ok "$what: cancel all" mirrorctl cancel $(names)
	t_ok "$what: remove all" sh -c "for d in $(names); do dmsetup remove \$d || exit 1; done"
	t_ok "$what: no thread left behind" wait_until 10 threads_at_most "$before"
}
t_ok "load the module" modprobe dm-mirrorlive
one_round plain 1
one_round sparse 1 --sparse
finish
