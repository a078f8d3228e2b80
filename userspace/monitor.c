// SPDX-License-Identifier: GPL-2.0-only
/*
 * monitor.c - a stream of what mirrors do; see monitor.h
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "dm.h"
#include "errors.h"
#include "events.h"
#include "log.h"
#include "monitor.h"
#include "report_human.h"
#include "report_json.h"
#include "watch.h"

/* With several devices, no wait on one of them lasts longer. */
#define MONITOR_SLICE_MS	1000

struct mon_dev {
	const char *arg;
	char name[128];
	uint32_t event_nr;
	struct table *prev;		/* the sample the rate is taken from */
	uint64_t prev_us;
	uint64_t next_progress_us;	/* 0: none due */
	bool seen;
	bool done;
	enum mirror_phase phase;
	char reason[64];
};

static int emit(const char *event, const struct report *rep, bool text)
{
	char line[256], *json;

	if (text) {
		report_human_progress_line(rep, line, sizeof(line));
		printf("%s\n", line);
	} else {
		json = report_json_event(event, (uint64_t)time(NULL), rep);
		if (!json) {
			log_err("monitor: %s", strerror(ENOMEM));
			return -ENOMEM;
		}
		printf("%s\n", json);
		free(json);
	}
	return fflush(stdout) ? -EIO : 0;
}

/*
 * Take a sample of @m, say what is due, and mark it done when ready or
 * failed.  Returns 0, -MCTL_EMIRROR when it failed, or -errno.
 */
static int monitor_one(struct mon_dev *m, uint64_t now, unsigned int interval_s,
		       bool text)
{
	struct dmctl_info info;
	struct table *ts = NULL;
	uint64_t ms = 0;
	struct report rep;
	bool changed;
	int r;

	/* the counter before the status: no event falls between */
	r = dmctl_get_info(m->arg, &info);
	if (!r)
		r = dmctl_get_status(info.name, &ts);
	if (r)
		return r;
	snprintf(m->name, sizeof(m->name), "%s", info.name);
	m->event_nr = info.event_nr;
	if (m->prev)
		ms = (now - m->prev_us) / 1000;
	r = watch_report(m->arg, ms ? m->prev : ts, ms ? ts : NULL, ms, NULL,
			 &rep);
	if (r) {
		table_free(ts);
		return r;
	}
	changed = !m->seen || rep.phase != m->phase ||
		  strcmp(rep.reason, m->reason);
	m->seen = true;
	m->phase = rep.phase;
	snprintf(m->reason, sizeof(m->reason), "%s", rep.reason);
	m->done = rep.phase == MIRROR_READY || rep.phase == MIRROR_FAILED;
	if (changed) {
		r = emit("phase", &rep, text);
		if (interval_s)
			m->next_progress_us = now + interval_s * 1000000ull;
	} else if (!m->done && m->next_progress_us &&
		   now >= m->next_progress_us) {
		r = emit("progress", &rep, text);
		m->next_progress_us = now + interval_s * 1000000ull;
	}
	if (!r && rep.phase == MIRROR_FAILED) {
		log_err("%s: mirror failed: %s", m->arg, rep.reason);
		r = -MCTL_EMIRROR;
	}
	report_free(&rep);
	/* the rate is taken over at least a second */
	if (!m->prev || ms >= WATCH_SAMPLE_INTERVAL_MS) {
		table_free(m->prev);
		m->prev = ts;
		m->prev_us = now;
	} else {
		table_free(ts);
	}
	return r;
}

/* How long the next wait may last, in ms; 0: no limit. */
static uint64_t monitor_wake_ms(const struct mon_dev *m, int nr,
				uint64_t now, uint64_t deadline_us)
{
	uint64_t wake = nr > 1 ? MONITOR_SLICE_MS : 0, due;
	int i;

	for (i = 0; i < nr; i++) {
		if (m[i].done || !m[i].next_progress_us)
			continue;
		due = m[i].next_progress_us > now ?
		      (m[i].next_progress_us - now + 999) / 1000 : 1;
		if (!wake || due < wake)
			wake = due;
	}
	if (deadline_us) {
		due = deadline_us > now ? (deadline_us - now + 999) / 1000 : 1;
		if (!wake || due < wake)
			wake = due;
	}
	return wake;
}

int monitor_run(const char * const *names, int nr, uint64_t deadline_us,
		unsigned int interval_s, bool text)
{
	struct events_saved old;
	struct mon_dev *m = calloc(nr, sizeof(*m));
	uint64_t now, wake;
	int i, r = 0, left, w;

	if (!m) {
		log_err("monitor: %s", strerror(ENOMEM));
		return -ENOMEM;
	}
	for (i = 0; i < nr; i++)
		m[i].arg = names[i];
	events_begin(&old);
	for (;;) {
		events_timer_off();
		if (events_stopped()) {
			log_err("monitor interrupted");
			r = -EINTR;
			break;
		}
		now = clock_now_us();
		left = 0;
		for (i = 0; i < nr && !r; i++) {
			if (!m[i].done)
				r = monitor_one(&m[i], now, interval_s, text);
			left += !m[i].done;
		}
		if (r || !left)
			break;
		if (deadline_us && now >= deadline_us) {
			log_err("monitor: timed out, %d of %d device%s not "
				"ready", left, nr, nr > 1 ? "s" : "");
			r = -ETIMEDOUT;
			break;
		}
		for (w = 0; m[w].done; w++)
			;
		wake = monitor_wake_ms(m, nr, now, deadline_us);
		if (wake)
			events_timer(wake);
		r = dmctl_wait_event(m[w].name, m[w].event_nr);
		if (r == -EINTR)
			r = 0;
		if (r)
			break;
	}
	events_end(&old);
	for (i = 0; i < nr; i++)
		table_free(m[i].prev);
	free(m);
	return r;
}
