// SPDX-License-Identifier: GPL-2.0-only
/*
 * dm-mirrorlive: the mirror's phase. See mirrorlive-phase.h for the contract.
 */
#include <asm/barrier.h>
#include <linux/bug.h>

#include "mirrorlive-abi.h"
#include "mirrorlive-phase.h"

#define STAY	MIRRORLIVE_NR_PHASES

/* transitions[phase][event]: the next phase, or STAY. */
static const enum mirrorlive_phase
transitions[MIRRORLIVE_NR_PHASES][MIRRORLIVE_NR_EVENTS] = {
	[MIRRORLIVE_COPYING] = {
		[MIRRORLIVE_EV_PAUSE]		= MIRRORLIVE_PAUSED,
		[MIRRORLIVE_EV_RESUME]		= STAY,
		[MIRRORLIVE_EV_COPY_DONE]	= MIRRORLIVE_READY,
		[MIRRORLIVE_EV_FAIL]		= MIRRORLIVE_FAILED,
	},
	[MIRRORLIVE_PAUSED] = {
		[MIRRORLIVE_EV_PAUSE]		= STAY,
		[MIRRORLIVE_EV_RESUME]		= MIRRORLIVE_COPYING,
		/* Copies in flight when pausing may finish the job. */
		[MIRRORLIVE_EV_COPY_DONE]	= MIRRORLIVE_READY,
		[MIRRORLIVE_EV_FAIL]		= MIRRORLIVE_FAILED,
	},
	[MIRRORLIVE_READY] = {
		[MIRRORLIVE_EV_PAUSE]		= STAY,
		[MIRRORLIVE_EV_RESUME]		= STAY,
		[MIRRORLIVE_EV_COPY_DONE]	= STAY,
		[MIRRORLIVE_EV_FAIL]		= MIRRORLIVE_FAILED,
	},
	[MIRRORLIVE_FAILED] = {
		[MIRRORLIVE_EV_PAUSE]		= STAY,
		[MIRRORLIVE_EV_RESUME]		= STAY,
		[MIRRORLIVE_EV_COPY_DONE]	= STAY,
		[MIRRORLIVE_EV_FAIL]		= STAY,
	},
};

static const char * const phase_names[MIRRORLIVE_NR_PHASES] = {
	[MIRRORLIVE_COPYING]	= MIRRORLIVE_PHASE_NAME_COPYING,
	[MIRRORLIVE_PAUSED]	= MIRRORLIVE_PHASE_NAME_PAUSED,
	[MIRRORLIVE_READY]	= MIRRORLIVE_PHASE_NAME_READY,
	[MIRRORLIVE_FAILED]	= MIRRORLIVE_PHASE_NAME_FAILED,
};

static const char * const reason_names[MIRRORLIVE_NR_REASONS] = {
	[MIRRORLIVE_REASON_NONE]	 = MIRRORLIVE_REASON_NAME_NONE,
	[MIRRORLIVE_REASON_DEST_WRITE]	 = MIRRORLIVE_REASON_NAME_DEST_WRITE,
	[MIRRORLIVE_REASON_DEST_FLUSH]	 = MIRRORLIVE_REASON_NAME_DEST_FLUSH,
	[MIRRORLIVE_REASON_DEST_DISCARD] = MIRRORLIVE_REASON_NAME_DEST_DISCARD,
	[MIRRORLIVE_REASON_SOURCE_READ]	 = MIRRORLIVE_REASON_NAME_SOURCE_READ,
	[MIRRORLIVE_REASON_COPY]	 = MIRRORLIVE_REASON_NAME_COPY,
	[MIRRORLIVE_REASON_FAIL_DEST]	 = MIRRORLIVE_REASON_NAME_FAIL_DEST,
	[MIRRORLIVE_REASON_METADATA]	 = MIRRORLIVE_REASON_NAME_METADATA,
	[MIRRORLIVE_REASON_DEST_READ]	 = MIRRORLIVE_REASON_NAME_DEST_READ,
};

void mirrorlive_phase_init(struct mirrorlive_phase_state *ps,
			   enum mirrorlive_phase initial)
{
	spin_lock_init(&ps->lock);
	ps->phase = initial;
	ps->reason = MIRRORLIVE_REASON_NONE;
}

bool mirrorlive_phase_event(struct mirrorlive_phase_state *ps,
			    enum mirrorlive_phase_event_type ev,
			    enum mirrorlive_reason reason)
{
	enum mirrorlive_phase next;
	unsigned long flags;

	if (WARN_ON_ONCE(ev >= MIRRORLIVE_NR_EVENTS))
		return false;

	spin_lock_irqsave(&ps->lock, flags);
	next = transitions[ps->phase][ev];
	if (next != STAY) {
		if (next == MIRRORLIVE_FAILED)
			WRITE_ONCE(ps->reason, reason);
		/*
		 * The reason before the phase, paired with the acquire in
		 * mirrorlive_phase_read(): whoever sees "failed" sees why.
		 */
		smp_store_release(&ps->phase, next);
	}
	spin_unlock_irqrestore(&ps->lock, flags);

	return next != STAY;
}

enum mirrorlive_phase mirrorlive_phase_get(struct mirrorlive_phase_state *ps)
{
	return READ_ONCE(ps->phase);
}

enum mirrorlive_phase mirrorlive_phase_read(struct mirrorlive_phase_state *ps,
					    enum mirrorlive_reason *reason)
{
	/* Paired with the release in mirrorlive_phase_event(). */
	enum mirrorlive_phase phase = smp_load_acquire(&ps->phase);

	*reason = READ_ONCE(ps->reason);
	return phase;
}

enum mirrorlive_reason mirrorlive_phase_reason(struct mirrorlive_phase_state *ps)
{
	return READ_ONCE(ps->reason);
}

const char *mirrorlive_phase_name(enum mirrorlive_phase phase)
{
	return phase < MIRRORLIVE_NR_PHASES ? phase_names[phase] : "unknown";
}

const char *mirrorlive_reason_name(enum mirrorlive_reason reason)
{
	return reason < MIRRORLIVE_NR_REASONS ? reason_names[reason] : "unknown";
}
