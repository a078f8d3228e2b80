// SPDX-License-Identifier: GPL-2.0-only
/*
 * verify.c - a verify pass on every mirrorlive segment of a group of
 * devices, and waiting for it to end; see verify.h for the contract.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decimal.h"
#include "errors.h"
#include "events.h"
#include "lock.h"
#include "log.h"
#include "output.h"
#include "swap.h"
#include "verify.h"
#include "watch.h"

/* verify --progress redraws this often. */
#define VERIFY_TICK_MS		1000

/* Room for the result of "verify mismatches": 32 numbers of 20 digits. */
#define VERIFY_RESULT_MAX	(VERIFY_MAX_MISMATCHES * 21 + 1)

struct verify_dev *verify_devs_new(const char * const *args, int nr)
{
	struct verify_dev *d = calloc(nr, sizeof(*d));
	int i;

	if (!d) {
		log_err("%s: %s", args[0], strerror(ENOMEM));
		return NULL;
	}
	for (i = 0; i < nr; i++)
		d[i].arg = args[i];
	return d;
}

void verify_devs_free(struct verify_dev *d, int nr)
{
	int i;

	for (i = 0; d && i < nr; i++) {
		free(d[i].segments);
		report_free(&d[i].rep);
	}
	free(d);
}

/* ------------------------------------------------------------------ */
/* starting */

/* Send "verify stop" to every segment of @d whose pass was started. */
static void stop_passes(struct verify_dev *d)
{
	size_t i;

	for (i = 0; i < d->nr_started; i++)
		if (!dmctl_message(d->info.name, d->segments[i], "verify stop"))
			d->stopped = true;
}

/*
 * A segment's pass may start unless it failed (its legs may rightly
 * differ) or runs one; the kernel refuses both, this says why first.
 */
static int check_segment(const struct verify_dev *d,
			 const struct report_segment *rs)
{
	if (rs->st.phase == MIRROR_FAILED) {
		log_err("%s: mirror failed (%s): its legs may rightly differ, "
			"nothing to verify", d->info.name, rs->st.reason);
		return -MCTL_EPRECOND;
	}
	if (status_verify_running(rs->st.verify)) {
		log_err("%s: a verify pass is running already (segment at "
			"sector %" PRIu64 ", %s)", d->info.name, rs->start,
			status_verify_name(rs->st.verify));
		return -MCTL_EPRECOND;
	}
	return 0;
}

/*
 * Look every device up as the table swaps do (swap.h): each named once,
 * not suspended, without an inactive table (another operation), with a
 * table.
 */
static int look_up(struct verify_dev *d, int nr)
{
	const char **args = calloc(nr, sizeof(*args));
	struct swap_dev *sd = NULL;
	int i, r = -ENOMEM;

	for (i = 0; args && i < nr; i++)
		args[i] = d[i].arg;
	if (args)
		sd = swap_devs_new(args, nr, 1);
	if (sd)
		r = swap_devs_get(sd, nr);
	else if (!args)
		log_err("%s: %s", d[0].arg, strerror(ENOMEM));
	for (i = 0; sd && i < nr; i++)
		d[i].info = sd[i].info;
	if (sd)
		swap_devs_free(sd, nr);
	free(args);
	return r;
}

/*
 * Check @d by its status (verify_start()'s refusals); on success its
 * mirrorlive segments are the ones to start, in d->segments.
 */
static int check_device(struct verify_dev *d)
{
	struct table *ts = NULL;
	struct report rep;
	size_t s;
	int r;

	r = dmctl_get_status(d->info.name, &ts);
	if (!r)
		r = watch_report(d->info.name, ts, NULL, 0, NULL, &rep);
	table_free(ts);
	if (r)
		return r;
	d->segments = calloc(rep.nr_segments, sizeof(*d->segments));
	if (!d->segments) {
		log_err("%s: %s", d->info.name, strerror(ENOMEM));
		r = -ENOMEM;
	}
	for (s = 0; s < rep.nr_segments && !r; s++) {
		if (!rep.segments[s].is_mirror)
			continue;
		r = check_segment(d, &rep.segments[s]);
		d->segments[d->nr_segments++] = rep.segments[s].start;
	}
	report_free(&rep);
	return r;
}

/* Send @msg to each mirrorlive segment of @d, in table order. */
static int start_device(struct verify_dev *d, const char *msg)
{
	int r = 0;

	while (d->nr_started < d->nr_segments && !r) {
		r = dmctl_message(d->info.name, d->segments[d->nr_started],
				  msg);
		d->nr_started += !r;
	}
	if (!r)
		log_verbose("%s: sent \"%s\" to %zu segment%s", d->info.name,
			    msg, d->nr_started, d->nr_started > 1 ? "s" : "");
	return r;
}

/* Step 1 of verify.h, under the lock: all or none. */
static int verify_start(struct verify_dev *d, int nr, bool repair)
{
	const char *msg = repair ? "verify repair" : "verify start";
	int i, r;

	r = look_up(d, nr);
	for (i = 0; i < nr && !r; i++)
		r = check_device(&d[i]);
	for (i = 0; i < nr && !r; i++)
		r = start_device(&d[i], msg);
	if (r) {
		for (i = 0; i < nr; i++)
			stop_passes(&d[i]);
	}
	return r;
}

/* ------------------------------------------------------------------ */
/* waiting */

/* What waiting for one device keeps between its samples. */
struct verify_waiter {
	struct verify_dev *d;
	struct output_line *line;
};

/* Is a pass still running on one of @rep's mirrorlive segments? */
static bool passes_running(const struct report *rep)
{
	size_t i;

	for (i = 0; i < rep->nr_segments; i++)
		if (rep->segments[i].is_mirror &&
		    status_verify_running(rep->segments[i].st.verify))
			return true;
	return false;
}

/* "vm1: verifying 45.0% 921/2048 regions, 0 mismatched" */
static void progress_draw(struct output_line *line, const struct report *rep)
{
	char pct[OUTPUT_PERCENT_MAX], text[256];

	output_percent(rep->verified_regions, rep->copied_regions, pct,
		       sizeof(pct));
	snprintf(text, sizeof(text), "%s: %s %s %" PRIu64 "/%" PRIu64
		 " regions, %" PRIu64 " mismatched", rep->device,
		 status_verify_name(rep->verify), pct, rep->verified_regions,
		 rep->copied_regions, rep->mismatched_regions);
	output_line_draw(line, text);
}

/* watch_events()'s check: keep the sample; over once no pass runs. */
static int verify_check(void *ctx, struct table *ts, uint64_t now_us,
			bool late)
{
	struct verify_waiter *w = ctx;
	struct verify_dev *d = w->d;
	int r;

	(void)now_us;
	report_free(&d->rep);
	d->ended = false;
	r = watch_report(d->info.name, ts, NULL, 0, NULL, &d->rep);
	table_free(ts);
	if (r)
		return r;
	d->ended = !passes_running(&d->rep);
	if (d->ended)
		return 1;
	if (!late)
		progress_draw(w->line, &d->rep);
	return 0;
}

/* Why the wait for @d ended early, said once. */
static void say_cut_short(const struct verify_dev *d, int r)
{
	char pct[OUTPUT_PERCENT_MAX];

	output_percent(d->rep.verified_regions, d->rep.copied_regions, pct,
		       sizeof(pct));
	if (r == -ETIMEDOUT)
		log_err("%s: timed out, verify at %s (%" PRIu64 " of %" PRIu64
			" regions): stopped the passes", d->info.name, pct,
			d->rep.verified_regions, d->rep.copied_regions);
	else if (r == -EINTR)
		log_err("%s: verify interrupted: stopped the passes",
			d->info.name);
}

/* The first mismatched regions of @d's segments, in the device. */
static int read_mismatches(struct verify_dev *d)
{
	char result[VERIFY_RESULT_MAX];
	size_t i;
	int r;

	d->nr_mismatches = 0;
	for (i = 0; i < d->nr_started; i++) {
		r = dmctl_message_result(d->info.name, d->segments[i],
					 "verify mismatches", result,
					 sizeof(result));
		if (!r && verify_parse_mismatches(result, d->segments[i],
						  d->mismatches,
						  VERIFY_MAX_MISMATCHES,
						  &d->nr_mismatches)) {
			log_err("%s: unparseable result of \"verify "
				"mismatches\" (segment at sector %" PRIu64
				"): \"%s\"", d->info.name, d->segments[i],
				result);
			r = -EINVAL;
		}
		if (r)
			return r;
	}
	return 0;
}

/* @d's status once its passes ended, or were stopped, and its results. */
static int read_results(struct verify_dev *d)
{
	struct table *ts = NULL;
	int r = 0;

	if (!d->ended) {
		report_free(&d->rep);
		r = dmctl_get_status(d->info.name, &ts);
		if (!r)
			r = watch_report(d->info.name, ts, NULL, 0, NULL,
					 &d->rep);
		table_free(ts);
		d->ended = !r;
	}
	return r ? r : read_mismatches(d);
}

/*
 * Step 2 of verify.h.  A device whose status went bad meanwhile (no
 * mirror any more, unparseable: said) is not read again.
 */
static int verify_wait(struct verify_dev *d, int nr, uint64_t deadline_us,
		       bool progress)
{
	struct output_line line;
	struct verify_waiter w = { .line = &line };
	int i, r = 0, rr, bad = -1;

	output_line_begin(&line, progress);
	for (i = 0; i < nr && !r; i++) {
		w.d = &d[i];
		r = watch_events(d[i].info.name, deadline_us,
				 line.on ? VERIFY_TICK_MS : VERIFY_RECHECK_MS,
				 verify_check, &w);
		output_line_clear(&line);
		if (r)
			bad = i;
	}
	if (r) {
		say_cut_short(&d[bad], r);
		for (i = 0; i < nr; i++)
			if (!d[i].ended)
				stop_passes(&d[i]);
	}
	for (i = 0; i < nr; i++) {
		if (i == bad && r != -ETIMEDOUT && r != -EINTR)
			continue;
		rr = read_results(&d[i]);
		if (!r)
			r = rr;
	}
	return r;
}

int verify_run(struct verify_dev *d, int nr, bool repair,
	       uint64_t deadline_us, bool progress)
{
	struct events_saved old;
	struct mctl_lock lock;
	int r;

	/*
	 * Ctrl-C ends a wait for the lock as usual; once it is held, one
	 * while starting stops what started (verify_wait() sees it).
	 */
	r = lock_take(&lock, deadline_us);
	events_begin(&old);
	if (!r)
		r = verify_start(d, nr, repair);
	lock_release(&lock);
	if (!r)
		r = verify_wait(d, nr, deadline_us, progress);
	events_end(&old);
	return r;
}

/* ------------------------------------------------------------------ */
/* results */

int verify_parse_mismatches(const char *text, uint64_t base, uint64_t *out,
			    size_t max, size_t *nr)
{
	size_t n = *nr, len;
	uint64_t v, prev = 0;
	bool first = true;
	const char *p;

	for (p = text; *p; p += len + !!p[len]) {
		len = strcspn(p, " ");
		if (decimal_u64(p, len, &v, NULL) || (!first && v <= prev) ||
		    v > UINT64_MAX - base || (p[len] == ' ' && !p[len + 1]))
			return -EINVAL;
		first = false;
		prev = v;
		if (n < max)
			out[n++] = base + v;
	}
	*nr = n;
	return 0;
}
