// SPDX-License-Identifier: GPL-2.0-only
/*
 * act_watch.c - status, list and wait: looking at mirrors
 *
 * The rate and ETA need two samples of the copy progress: status and list
 * take a second one a second after the first when a mirror is copying
 * (otherwise the phase alone says the rate is 0).  wait blocks in
 * DM_DEVICE_WAITEVENT, the way dmeventd does, and re-reads the status
 * after every event: the target raises one on every phase change.  A
 * timer (SIGALRM, no SA_RESTART) interrupts the wait for --timeout and,
 * with --progress, once a second to redraw the line; nothing polls.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/time.h>

#include "actions.h"
#include "blockdev.h"
#include "clock.h"
#include "dm.h"
#include "errors.h"
#include "log.h"
#include "output.h"
#include "report.h"
#include "report_json.h"

/* The interval between the two samples of status and list. */
#define SAMPLE_INTERVAL_MS	1000

/* wait --progress redraws this often. */
#define PROGRESS_TICK_MS	1000

/*
 * A timer signal that lands after the deadline check but before the wait
 * ioctl starts would be lost; the timer fires again this much later.
 */
#define TIMER_REFIRE_MS		200

/* ------------------------------------------------------------------ */
/* status */

static bool has_mirror(const struct dmctl_table_status *ts)
{
	size_t i;

	for (i = 0; i < ts->nr_segments; i++)
		if (!strcmp(ts->segments[i].target_type, TARGET_MIRRORLIVE))
			return true;
	return false;
}

/*
 * Refuse a device without any mirrorlive segment, naming what it is
 * instead: "target linear", "targets linear, striped", "no table loaded".
 */
static int require_mirror(const char *device,
			  const struct dmctl_table_status *ts)
{
	char what[128] = "no table loaded";
	size_t i, j, len = 0, nr_types = 0;

	if (has_mirror(ts))
		return 0;
	for (i = 0; i < ts->nr_segments && len < sizeof(what); i++) {
		const char *type = ts->segments[i].target_type;

		for (j = 0; j < i; j++)
			if (!strcmp(ts->segments[j].target_type, type))
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
static int build_report(const char *device, struct dmctl_table_status *first,
			struct dmctl_table_status *second, uint64_t interval_ms,
			const struct table *table, struct report *r)
{
	const struct dmctl_table_status *now = second ? second : first;
	size_t bad = 0;
	int ret;

	ret = report_build(first, second, interval_ms, table, blockdev_name,
			   r, &bad);
	if (ret == -EINVAL)
		log_err("%s: unparseable mirrorlive status \"%s\"", device,
			now->segments[bad].params);
	else if (ret == -ENOENT)
		ret = require_mirror(device, now);
	else if (ret)
		log_err("%s: %s", device, strerror(-ret));
	return ret;
}

/*
 * Take the samples of one device: @first always, @second a second later
 * when it is copying (else NULL), and the table; @device must be a mirror.
 */
static int sample_device(const char *device, struct dmctl_table_status **first,
			 struct dmctl_table_status **second,
			 uint64_t *interval_ms, struct table **table)
{
	uint64_t t0;
	int r;

	*first = *second = NULL;
	*table = NULL;
	r = dmctl_get_status(device, first);
	if (r)
		return r;
	r = require_mirror(device, *first);
	if (r)
		return r;
	if (report_needs_rate(*first)) {
		t0 = clock_now_us();
		clock_sleep_ms(SAMPLE_INTERVAL_MS);
		r = dmctl_get_status((*first)->name, second);
		if (r)
			return r;
		*interval_ms = (clock_now_us() - t0) / 1000;
	}
	return dmctl_get_table((*first)->name, false, table);
}

static int print_json(char *text)
{
	if (!text) {
		log_err("JSON output: %s", strerror(ENOMEM));
		return -ENOMEM;
	}
	printf("%s\n", text);
	free(text);
	return 0;
}

int action_status(int argc, const char **argv)
{
	struct dmctl_table_status *first = NULL, *second = NULL;
	uint64_t interval_ms = 0;
	struct table *table = NULL;
	struct report rep;
	int r;

	(void)argc;
	r = sample_device(argv[0], &first, &second, &interval_ms, &table);
	if (!r)
		r = build_report(argv[0], first, second, interval_ms, table,
				 &rep);
	if (!r) {
		if (mctl_opt.json)
			r = print_json(json_report(&rep));
		else
			output_report(stdout, &rep);
		report_free(&rep);
	}
	table_free(table);
	dmctl_table_status_free(first);
	dmctl_table_status_free(second);
	return r;
}

/* ------------------------------------------------------------------ */
/* list */

struct list_entry {
	struct dmctl_table_status *first;
	struct dmctl_table_status *second;
	struct table *table;
};

static void list_free(struct list_entry *e, size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++) {
		dmctl_table_status_free(e[i].first);
		dmctl_table_status_free(e[i].second);
		table_free(e[i].table);
	}
	free(e);
}

/*
 * Sample every dm device once, keep the mirrors; a device removed since
 * the list is skipped.  Returns the number kept or -errno.
 */
static int list_sample(char **names, struct list_entry *e, bool *needs_rate)
{
	struct dmctl_table_status *ts;
	int nr = 0, r;
	size_t i;

	for (i = 0; names[i]; i++) {
		r = dmctl_get_status(names[i], &ts);
		if (r == -ENODEV)
			continue;
		if (r)
			return r;
		if (!has_mirror(ts)) {
			dmctl_table_status_free(ts);
			continue;
		}
		*needs_rate |= report_needs_rate(ts);
		e[nr++].first = ts;
		r = dmctl_get_table(names[i], false, &e[nr - 1].table);
		if (r)
			return r;
	}
	return nr;
}

static int list_print(struct list_entry *e, int nr, uint64_t interval_ms)
{
	struct report *reps = calloc(nr ? nr : 1, sizeof(*reps));
	int i, built = 0, r = 0;

	if (!reps) {
		log_err("list: %s", strerror(ENOMEM));
		return -ENOMEM;
	}
	for (i = 0; i < nr && !r; i++) {
		r = build_report(e[i].first->name, e[i].first, e[i].second,
				 interval_ms, e[i].table, &reps[i]);
		built += !r;
	}
	if (!r && mctl_opt.json) {
		r = print_json(json_report_list(reps, nr));
	} else if (!r && nr) {
		output_list_header(stdout);
		for (i = 0; i < nr; i++)
			output_list_row(stdout, &reps[i]);
	}
	for (i = 0; i < built; i++)
		report_free(&reps[i]);
	free(reps);
	return r;
}

int action_list(int argc, const char **argv)
{
	struct list_entry *e = NULL;
	uint64_t t0, interval_ms = 0;
	bool needs_rate = false;
	char **names;
	int nr, i, r;

	(void)argc;
	(void)argv;
	r = dmctl_list(&names);
	if (r)
		return r;
	for (nr = 0; names[nr]; nr++)
		;
	e = calloc(nr + 1, sizeof(*e));
	if (!e) {
		dmctl_names_free(names);
		log_err("list: %s", strerror(ENOMEM));
		return -ENOMEM;
	}
	t0 = clock_now_us();
	nr = list_sample(names, e, &needs_rate);
	dmctl_names_free(names);
	if (nr < 0) {
		r = nr;
		nr = 0;
		for (i = 0; e[i].first; i++)
			nr++;
		goto out;
	}
	if (needs_rate) {
		clock_sleep_ms(SAMPLE_INTERVAL_MS);
		for (i = 0; i < nr && !r; i++)
			r = dmctl_get_status(e[i].first->name, &e[i].second);
		interval_ms = (clock_now_us() - t0) / 1000;
	}
	if (!r)
		r = list_print(e, nr, interval_ms);
out:
	list_free(e, nr);
	return r;
}

/* ------------------------------------------------------------------ */
/* wait */

static volatile sig_atomic_t got_alarm;
static volatile sig_atomic_t got_stop;

static void on_alarm(int sig)
{
	(void)sig;
	got_alarm = 1;
}

static void on_stop(int sig)
{
	(void)sig;
	got_stop = 1;
}

struct wait_signals {
	struct sigaction alrm, intr, term;
};

/* Without SA_RESTART, so the signals interrupt DM_DEVICE_WAITEVENT. */
static void signals_install(struct wait_signals *old)
{
	struct sigaction sa = { 0 };

	got_alarm = got_stop = 0;
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, &old->alrm);
	sa.sa_handler = on_stop;
	sigaction(SIGINT, &sa, &old->intr);
	sigaction(SIGTERM, &sa, &old->term);
}

static void timer_arm(uint64_t ms)
{
	struct itimerval it = {
		.it_interval = { 0, TIMER_REFIRE_MS * 1000 },
		.it_value = { ms / 1000, (ms % 1000) * 1000 },
	};

	if (!ms)
		it.it_value.tv_usec = 1;	/* 0 would disarm it */
	setitimer(ITIMER_REAL, &it, NULL);
}

static void timer_disarm(void)
{
	struct itimerval it = { { 0, 0 }, { 0, 0 } };

	setitimer(ITIMER_REAL, &it, NULL);
}

static void signals_restore(const struct wait_signals *old)
{
	timer_disarm();
	sigaction(SIGALRM, &old->alrm, NULL);
	sigaction(SIGINT, &old->intr, NULL);
	sigaction(SIGTERM, &old->term, NULL);
}

struct progress {
	bool on;			/* drawing on a terminal */
	bool drawn;			/* a line is on the screen */
	struct dmctl_table_status *prev;/* the sample the rate is taken from */
	uint64_t prev_us;
};

/* Leave the line drawn last on the screen (the final state). */
static void progress_keep(struct progress *p)
{
	if (p->drawn) {
		fputc('\n', stdout);
		fflush(stdout);
		p->drawn = false;
	}
}

static void progress_clear(struct progress *p)
{
	if (p->drawn) {
		fputs("\33[2K\r", stdout);
		fflush(stdout);
		p->drawn = false;
	}
}

/*
 * Draw the line for sample @ts (which the progress keeps) taken at @now_us;
 * the rate comes from a sample at least a second older.
 */
static void progress_draw(struct progress *p, struct dmctl_table_status *ts,
			  uint64_t now_us)
{
	uint64_t interval_ms = (now_us - p->prev_us) / 1000;
	struct report rep;
	char line[256];

	if (!p->on) {
		dmctl_table_status_free(ts);
		return;
	}
	if (!p->prev) {
		p->prev = ts;
		p->prev_us = now_us;
		interval_ms = 0;
	}
	if (!report_build(p->prev, interval_ms ? ts : NULL, interval_ms, NULL,
			  NULL, &rep, NULL)) {
		output_progress_line(&rep, line, sizeof(line));
		report_free(&rep);
		printf("\33[2K\r%s", line);
		fflush(stdout);
		p->drawn = true;
	}
	if (ts == p->prev)
		return;
	if (interval_ms >= PROGRESS_TICK_MS) {
		dmctl_table_status_free(p->prev);
		p->prev = ts;
		p->prev_us = now_us;
	} else {
		dmctl_table_status_free(ts);
	}
}

/* The state of @ts as wait sees it: 1 ready, 0 not yet, or -errno. */
static int wait_check(const char *name, const struct dmctl_table_status *ts,
		      struct report *rep)
{
	int r;

	r = build_report(name, (struct dmctl_table_status *)ts, NULL, 0, NULL,
			 rep);
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

static int wait_one(const char *device, uint64_t deadline_us,
		    struct progress *p)
{
	struct dmctl_table_status *ts;
	struct dmctl_info info;
	uint64_t now, wake_ms;
	struct report rep;
	char pct[OUTPUT_PERCENT_MAX];
	int r;

	for (;;) {
		timer_disarm();
		if (got_stop) {
			log_err("%s: wait interrupted", device);
			return -EINTR;
		}
		/* The counter before the status: no event falls between. */
		r = dmctl_get_info(device, &info);
		if (!r)
			r = dmctl_get_status(info.name, &ts);
		if (r)
			return r;
		now = clock_now_us();
		r = wait_check(device, ts, &rep);
		if (r > 0 && p->on) {
			/* The line ends on this sample, ready, and stays. */
			dmctl_table_status_free(p->prev);
			p->prev = NULL;
			progress_draw(p, ts, now);
			progress_keep(p);
			return 0;
		}
		if (r) {
			dmctl_table_status_free(ts);
			return r > 0 ? 0 : r;
		}
		if (deadline_us && now >= deadline_us) {
			output_percent(rep.copied_bytes, rep.total_bytes, pct,
				       sizeof(pct));
			progress_clear(p);
			log_err("%s: timed out, mirror %s, %s copied", device,
				status_phase_name(rep.phase), pct);
			dmctl_table_status_free(ts);
			return -ETIMEDOUT;
		}
		progress_draw(p, ts, now);

		wake_ms = p->on ? PROGRESS_TICK_MS : 0;
		if (deadline_us && (!wake_ms ||
				    (deadline_us - now) / 1000 < wake_ms))
			wake_ms = (deadline_us - now + 999) / 1000;
		if (wake_ms)
			timer_arm(wake_ms);
		log_dbg("%s: waiting for event %u", info.name, info.event_nr);
		r = dmctl_wait_event(info.name, info.event_nr);
		if (r && r != -EINTR)
			return r;
	}
}

int wait_ready(const char * const *names, int nr, uint64_t deadline_us,
	       bool progress)
{
	struct progress p = { .on = progress && isatty(STDOUT_FILENO) };
	struct wait_signals old;
	int i, r = 0;

	signals_install(&old);
	for (i = 0; i < nr && !r; i++) {
		r = wait_one(names[i], deadline_us, &p);
		dmctl_table_status_free(p.prev);
		p.prev = NULL;
	}
	signals_restore(&old);
	progress_clear(&p);
	if (!r)
		log_verbose("%s%s ready", names[0], nr > 1 ? " and the others" :
			    "");
	return r;
}

int action_wait(int argc, const char **argv)
{
	uint64_t deadline = 0;

	(void)argc;
	if (mctl_opt.has_timeout)
		deadline = clock_now_us() + (uint64_t)mctl_opt.timeout_s * 1000000;
	return wait_ready(argv, 1, deadline, mctl_opt.progress);
}
