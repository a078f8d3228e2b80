/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dm-mirrorlive: a gate that lets writes pass without a lock, until a rare
 * slow path closes it.
 *
 * A write that passes the open gate counts itself per CPU, writing no
 * shared cache line, and leaves once it has ended. Closing the gate turns
 * every later write back (the caller then takes its lock instead) and
 * waits until every write that passed has left. Used by the region state
 * (every write tracked during a verify pass, mirrorlive-region.h) and the
 * write-intent record (every write under the lock during a sweep,
 * mirrorlive-intent.h).
 *
 * How: try_enter() tests the gate and counts itself inside one RCU
 * read-side section, so after close() has set the flag and called
 * synchronize_rcu(), no write passes any more; the counters then only go
 * down, so a sum of 0, though read one CPU at a time, means all of them
 * left. leave() decrements, then (full barrier) wakes the closer if the
 * gate is closed: either the closer's sum sees the decrement, or the
 * leaver sees the flag. open() is a release, try_enter()'s test an
 * acquire: a write that passes sees what the closer changed meanwhile.
 *
 * Context: try_enter and leave from any context (also hard irq); close
 * sleeps; at most one closer at a time.
 */
#ifndef DM_MIRRORLIVE_GATE_H
#define DM_MIRRORLIVE_GATE_H

#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/wait.h>

struct mirrorlive_gate {
	long __percpu *passed;	/* only the sum means anything */
	bool closed;
	wait_queue_head_t left;
};

static inline int mirrorlive_gate_init(struct mirrorlive_gate *g)
{
	g->passed = alloc_percpu(long);
	g->closed = false;
	init_waitqueue_head(&g->left);
	return g->passed ? 0 : -ENOMEM;
}

/* Writes that passed and have not left (exact only while none moves). */
static inline long mirrorlive_gate_inside(struct mirrorlive_gate *g)
{
	long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += *per_cpu_ptr(g->passed, cpu);
	return sum;
}

/* No write may be inside. Safe on a gate whose init failed. */
static inline void mirrorlive_gate_exit(struct mirrorlive_gate *g)
{
	if (g->passed)
		WARN_ON(mirrorlive_gate_inside(g));
	free_percpu(g->passed);
}

/* Return: true if the write passed: it must call leave() once it ended. */
static inline bool mirrorlive_gate_try_enter(struct mirrorlive_gate *g)
{
	bool passed = false;

	rcu_read_lock();
	/* Pairs with the release in mirrorlive_gate_open(). */
	if (!smp_load_acquire(&g->closed)) {
		this_cpu_inc(*g->passed);
		passed = true;
	}
	rcu_read_unlock();
	return passed;
}

static inline void mirrorlive_gate_leave(struct mirrorlive_gate *g)
{
	this_cpu_dec(*g->passed);
	/* Pairs with synchronize_rcu() in mirrorlive_gate_close(). */
	smp_mb();
	if (READ_ONCE(g->closed))
		wake_up_all(&g->left);
}

/* Turn every later write back, and wait for those inside to leave. */
static inline void mirrorlive_gate_close(struct mirrorlive_gate *g)
{
	WRITE_ONCE(g->closed, true);
	synchronize_rcu();
	wait_event(g->left, !mirrorlive_gate_inside(g));
}

static inline void mirrorlive_gate_open(struct mirrorlive_gate *g)
{
	/* Pairs with the acquire in mirrorlive_gate_try_enter(). */
	smp_store_release(&g->closed, false);
}

#endif /* DM_MIRRORLIVE_GATE_H */
