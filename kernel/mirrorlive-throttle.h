/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dm-mirrorlive: a rate limit for background I/O (the copy, a verify pass).
 *
 * A token bucket refilled by time: taking @bytes either succeeds now or
 * says how many jiffies to wait, so that a throttled caller waits on a
 * timer, never in a loop. At most one region's bytes plus 1/8 s of the
 * rate accumulate while nothing is taken. The caller serialises every call
 * on one bucket with a lock of its own.
 */
#ifndef DM_MIRRORLIVE_THROTTLE_H
#define DM_MIRRORLIVE_THROTTLE_H

#include <linux/jiffies.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/types.h>

/* Time worth of tokens credited at once, so the product cannot overflow. */
#define MIRRORLIVE_THROTTLE_MAX_REFILL	(600 * HZ)

struct mirrorlive_throttle {
	u64 bytes_per_sec;	/* 0 = unlimited */
	u64 tokens;		/* bytes the rate limit allows now */
	unsigned long refilled_at;
};

/* Set the rate (KiB/s, 0 = unlimited); the bucket starts empty. */
static inline void mirrorlive_throttle_set(struct mirrorlive_throttle *t,
					   u32 kbps)
{
	t->bytes_per_sec = (u64)kbps << 10;
	t->tokens = 0;
	t->refilled_at = jiffies;
}

/* Return: 0 if @bytes may go now (taken), else the jiffies to wait. */
static inline unsigned long mirrorlive_throttle_take(struct mirrorlive_throttle *t,
						     u64 bytes)
{
	unsigned long now = jiffies;
	unsigned long elapsed = min(now - t->refilled_at,
				    (unsigned long)MIRRORLIVE_THROTTLE_MAX_REFILL);
	u64 burst;

	if (!t->bytes_per_sec)
		return 0;

	burst = bytes + (t->bytes_per_sec >> 3);
	t->tokens = min(burst, t->tokens +
			div_u64((u64)elapsed * t->bytes_per_sec, HZ));
	t->refilled_at = now;

	if (t->tokens >= bytes) {
		t->tokens -= bytes;
		return 0;
	}
	return max(1UL, (unsigned long)div64_u64((bytes - t->tokens) * HZ +
						  t->bytes_per_sec - 1,
						  t->bytes_per_sec));
}

#endif /* DM_MIRRORLIVE_THROTTLE_H */
