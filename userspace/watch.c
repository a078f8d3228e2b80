// SPDX-License-Identifier: GPL-2.0-only
/*
 * watch.c - looking at mirrors: samples, reports, and waiting for ready;
 * see watch.h for the contract.
 *
 * wait blocks on dm events (events.h, watch_events()) and re-reads the
 * status after every event: the target raises one on every phase change.
 * The timer cuts the wait short for the deadline and, with progress, once
 * a second to redraw the line; nothing polls.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blockdev.h"
#include "clock.h"
#include "errors.h"
#include "events.h"
#include "kept.h"
#include "log.h"
#include "output.h"
#include "report_human.h"
#include "watch.h"

/* wait --progress redraws this often. */
#define PROGRESS_TICK_MS	1000

/* ------------------------------------------------------------------ */
/* samples and reports */

/*
 * Refuse a device without any mirrorlive segment, naming what it is
 * instead: "target linear", "targets linear, striped", "no table loaded".
 */
int watch_require_mirror(const char *device,
			 const struct table *ts)
{
	char what[128] = "no table loaded";
	size_t i, j, len = 0, nr_types = 0;

	if (table_has_mirror(ts))
		return 0;
	for (i = 0; i < ts->nr && len < sizeof(what); i++) {
		const char *type = ts->lines[i].target;

		for (j = 0; j < i; j++)
			if (!strcmp(ts->lines[j].target, type))
				break;
		if (j < i)
			continue;	/* already named */
		len += snprintf(what + len, sizeof(what) - len, "%s%s",
				nr_types++ ? ", " : "", type);
	}
	if (nr_types)
		log_err("%s: not a mirrorlive device (target%s %s)", device,
			nr_types > 1 ? "s" : "", what);
	else
		log_err("%s: not a mirrorlive device (%s)", device, what);
	return -MCTL_EPRECOND;
}

/* report_build() with the messages status, list and wait give. */
int watch_report(const char *device, const struct table *first,
		 const struct table *second, uint64_t interval_ms,
		 const struct table *table, struct report *r)
{
	const struct table *now = second ? second : first;
	size_t bad = 0;
	int ret;

	ret = report_build(first, second, interval_ms, table, blockdev_name,
			   r, &bad);
	if (!ret && table)
		r->kept = !kept_since(KEPT_DIR, r->device, table,
				      &r->kept_since);
	if (ret == -EINVAL)
		log_err("%s: unparseable mirrorlive status \"%s\"", device,
			now->lines[bad].params);
	else if (ret == -ENOENT)
		ret = watch_require_mirror(device, now);
	else if (ret)
		log_err("%s: %s", device, strerror(-ret));
	return ret;
}

/*
 * Take the samples of one device: @first always, @second a second later
 * when it is copying (else NULL), and the table; @device must be a mirror.
 */
int watch_sample(const char *device, struct table **first,
		 struct table **second, uint64_t *interval_ms,
		 struct table **table)
{
	uint64_t t0;
	int r;

	*first = *second = NULL;
	*table = NULL;
	r = dmctl_get_status(device, first);
	if (r)
		return r;
	r = watch_require_mirror(device, *first);
	if (r)
		return r;
	if (report_needs_rate(*first)) {
		t0 = clock_now_us();
		clock_sleep_ms(WATCH_SAMPLE_INTERVAL_MS);
		r = dmctl_get_status((*first)->name, second);
		if (r)
			return r;
		*interval_ms = (clock_now_us() - t0) / 1000;
	}
	return dmctl_get_table((*first)->name, false, table);
}

/* ------------------------------------------------------------------ */
/* waiting on events */

int watch_events(const char *device, uint64_t deadline_us, uint64_t tick_ms,
		 watch_check_fn check, void *ctx)
{
	struct dmctl_info info;
	struct table *ts;
	uint64_t now, wake_ms;
	bool late;
	int r;

	for (;;) {
		events_timer_off();
		if (events_stopped())
			return -EINTR;
		/* The counter before the status: no event falls between. */
		r = dmctl_get_info(device, &info);
		if (!r)
			r = dmctl_get_status(info.name, &ts);
		if (r)
			return r;
		now = clock_now_us();
		late = deadline_us && now >= deadline_us;
		r = check(ctx, ts, now, late);
		if (r)
			return r > 0 ? 0 : r;
		if (late)
			return -ETIMEDOUT;

		wake_ms = tick_ms;
		if (deadline_us && (!wake_ms ||
				    (deadline_us - now) / 1000 < wake_ms))
			wake_ms = (deadline_us - now + 999) / 1000;
		if (wake_ms)
			events_timer(wake_ms);
		log_dbg("%s: waiting for event %u", info.name, info.event_nr);
		r = dmctl_wait_event(info.name, info.event_nr);
		if (r && r != -EINTR)
			return r;
	}
}

/* ------------------------------------------------------------------ */
/* waiting for ready */

struct progress {
	struct output_line line;	/* drawn on a terminal */
	struct table *prev;		/* the sample the rate is taken from */
	uint64_t prev_us;
};

/*
 * Draw the line for sample @ts (which the progress keeps) taken at @now_us;
 * the rate comes from a sample at least a second older.
 */
static void progress_draw(struct progress *p, struct table *ts,
			  uint64_t now_us)
{
	uint64_t interval_ms = (now_us - p->prev_us) / 1000;
	struct report rep;
	char line[256];

	if (!p->line.on) {
		table_free(ts);
		return;
	}
	if (!p->prev) {
		p->prev = ts;
		p->prev_us = now_us;
		interval_ms = 0;
	}
	if (!report_build(p->prev, interval_ms ? ts : NULL, interval_ms, NULL,
			  NULL, &rep, NULL)) {
		report_human_progress_line(&rep, line, sizeof(line));
		report_free(&rep);
		output_line_draw(&p->line, line);
	}
	if (ts == p->prev)
		return;
	if (interval_ms >= PROGRESS_TICK_MS) {
		table_free(p->prev);
		p->prev = ts;
		p->prev_us = now_us;
	} else {
		table_free(ts);
	}
}

/* The state of @ts as wait sees it: 1 ready, 0 not yet, or -errno. */
static int wait_check(const char *name, const struct table *ts,
		      struct report *rep)
{
	int r;

	r = watch_report(name, ts, NULL, 0, NULL, rep);
	if (r)
		return r;
	r = 0;
	if (rep->phase == MIRROR_READY) {
		r = 1;
	} else if (rep->phase == MIRROR_FAILED) {
		log_err("%s: mirror failed: %s", name, rep->reason);
		r = -MCTL_EMIRROR;
	}
	report_free(rep);
	return r;
}

/* What waiting for one device keeps between its samples. */
struct wait_one {
	const char *device;
	struct progress *p;
	bool said_paused;
};

/* watch_events()'s check for wait: ready, failed, paused, timed out. */
static int wait_one_check(void *ctx, struct table *ts, uint64_t now,
			  bool late)
{
	struct wait_one *w = ctx;
	struct progress *p = w->p;
	char pct[OUTPUT_PERCENT_MAX];
	struct report rep;
	int r;

	r = wait_check(w->device, ts, &rep);
	if (r > 0 && p->line.on) {
		/* The line ends on this sample, ready, and stays. */
		table_free(p->prev);
		p->prev = NULL;
		progress_draw(p, ts, now);
		output_line_keep(&p->line);
		return 1;
	}
	if (r) {
		table_free(ts);
		return r;
	}
	/* A paused copy only ends when someone resumes it: say so. */
	if (rep.phase == MIRROR_PAUSED && !w->said_paused) {
		output_line_clear(&p->line);
		log_err("%s: the copy is paused: waiting until it is "
			"resumed (mirrorctl resume-copy %s)", w->device,
			w->device);
	}
	w->said_paused = rep.phase == MIRROR_PAUSED;
	if (late) {
		output_percent(rep.copied_bytes, rep.total_bytes, pct,
			       sizeof(pct));
		output_line_clear(&p->line);
		log_err("%s: timed out, mirror %s, %s copied", w->device,
			status_phase_name(rep.phase), pct);
		table_free(ts);
		return -ETIMEDOUT;
	}
	progress_draw(p, ts, now);
	return 0;
}

static int wait_one(const char *device, uint64_t deadline_us,
		    struct progress *p)
{
	struct wait_one w = { .device = device, .p = p };
	int r;

	r = watch_events(device, deadline_us, p->line.on ? PROGRESS_TICK_MS : 0,
			 wait_one_check, &w);
	if (r == -EINTR)
		log_err("%s: wait interrupted", device);
	return r;
}

int wait_ready(const char * const *names, int nr, uint64_t deadline_us,
	       bool progress)
{
	struct progress p = { 0 };
	struct events_saved old;
	int i, r = 0;

	output_line_begin(&p.line, progress);
	events_begin(&old);
	for (i = 0; i < nr && !r; i++) {
		r = wait_one(names[i], deadline_us, &p);
		table_free(p.prev);
		p.prev = NULL;
	}
	events_end(&old);
	output_line_clear(&p.line);
	if (!r)
		log_verbose("%s%s ready", names[0], nr > 1 ? " and the others" :
			    "");
	return r;
}
