/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dm-mirrorlive: the mirror's phase.
 *
 *            pause                   copy done
 *   copying -------> paused         copying|paused ---------> ready
 *           <-------
 *            resume
 *
 *   copying|paused|ready --- fail(reason) ---> failed   (terminal)
 *
 * Every other event in a phase changes nothing (pausing a ready mirror, a
 * second failure). The first failure's reason is kept. The caller raises
 * a dm event whenever mirrorlive_phase_event() reports a change.
 *
 * Context: mirrorlive_phase_event() may be called from any context,
 * including bio completion; the getters are lockless.
 */
#ifndef DM_MIRRORLIVE_PHASE_H
#define DM_MIRRORLIVE_PHASE_H

#include <linux/spinlock.h>
#include <linux/types.h>

enum mirrorlive_phase {
	MIRRORLIVE_COPYING,
	MIRRORLIVE_PAUSED,
	MIRRORLIVE_READY,
	MIRRORLIVE_FAILED,
	MIRRORLIVE_NR_PHASES
};

enum mirrorlive_phase_event_type {
	MIRRORLIVE_EV_PAUSE,
	MIRRORLIVE_EV_RESUME,
	MIRRORLIVE_EV_COPY_DONE,
	MIRRORLIVE_EV_FAIL,
	MIRRORLIVE_NR_EVENTS
};

/* Why a mirror failed; the status line's last field. */
enum mirrorlive_reason {
	MIRRORLIVE_REASON_NONE,
	MIRRORLIVE_REASON_DEST_WRITE,
	MIRRORLIVE_REASON_DEST_FLUSH,
	MIRRORLIVE_REASON_DEST_DISCARD,
	MIRRORLIVE_REASON_SOURCE_READ,
	MIRRORLIVE_REASON_COPY,
	MIRRORLIVE_REASON_FAIL_DEST,	/* the operator's fail_dest message */
	MIRRORLIVE_REASON_METADATA,	/* the metadata device failed */
	MIRRORLIVE_REASON_DEST_READ,	/* a verify pass's read failed */
	MIRRORLIVE_NR_REASONS
};

struct mirrorlive_phase_state {
	spinlock_t lock;	/* serialises transitions; reads are lockless */
	enum mirrorlive_phase phase;
	enum mirrorlive_reason reason;
};

void mirrorlive_phase_init(struct mirrorlive_phase_state *ps,
			   enum mirrorlive_phase initial);

/*
 * mirrorlive_phase_event() - apply an event.
 * @reason: with MIRRORLIVE_EV_FAIL, why; ignored otherwise.
 *
 * Return: true if the phase changed.
 */
bool mirrorlive_phase_event(struct mirrorlive_phase_state *ps,
			    enum mirrorlive_phase_event_type ev,
			    enum mirrorlive_reason reason);

enum mirrorlive_phase mirrorlive_phase_get(struct mirrorlive_phase_state *ps);
enum mirrorlive_reason mirrorlive_phase_reason(struct mirrorlive_phase_state *ps);

/*
 * mirrorlive_phase_read() - the phase and, consistent with it, the reason:
 * a "failed" phase always comes with the reason it was given.
 */
enum mirrorlive_phase mirrorlive_phase_read(struct mirrorlive_phase_state *ps,
					    enum mirrorlive_reason *reason);

/* Names as the status line prints them: "copying", "dest_write_error", "-". */
const char *mirrorlive_phase_name(enum mirrorlive_phase phase);
const char *mirrorlive_reason_name(enum mirrorlive_reason reason);

#endif /* DM_MIRRORLIVE_PHASE_H */
