// SPDX-License-Identifier: GPL-2.0-only
/*
 * act_watch.c - status, list and wait: looking at mirrors
 *
 * status and list print what watch.h samples and reports, as text or
 * JSON; wait is wait_ready() on one device.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "clock.h"
#include "dm.h"
#include "json_build.h"
#include "log.h"
#include "monitor.h"
#include "report.h"
#include "report_human.h"
#include "report_json.h"
#include "swap.h"
#include "watch.h"

/* ------------------------------------------------------------------ */
/* status */

int action_status(int argc, const char **argv)
{
	struct table *first = NULL, *second = NULL;
	uint64_t interval_ms = 0;
	struct table *table = NULL;
	struct report rep;
	int r;

	(void)argc;
	swap_report_interrupted();
	r = watch_sample(argv[0], &first, &second, &interval_ms, &table);
	if (!r)
		r = watch_report(argv[0], first, second, interval_ms, table,
				 &rep);
	if (!r) {
		if (mctl_opt.json)
			r = jb_print(report_json_device(&rep));
		else
			report_human_device(stdout, &rep);
		report_free(&rep);
	}
	table_free(table);
	table_free(first);
	table_free(second);
	return r;
}

/* ------------------------------------------------------------------ */
/* list */

struct list_entry {
	struct table *first;		/* status samples, dmctl_get_status() */
	struct table *second;
	struct table *table;		/* the live table */
};

static void list_free(struct list_entry *e, size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++) {
		table_free(e[i].first);
		table_free(e[i].second);
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
	struct table *ts;
	int nr = 0, r;
	size_t i;

	for (i = 0; names[i]; i++) {
		r = dmctl_get_status(names[i], &ts);
		if (r == -ENODEV)
			continue;
		if (r)
			return r;
		if (!table_has_mirror(ts)) {
			table_free(ts);
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
		r = watch_report(e[i].first->name, e[i].first, e[i].second,
				 interval_ms, e[i].table, &reps[i]);
		built += !r;
	}
	if (!r && mctl_opt.json) {
		r = jb_print(report_json_list(reps, nr));
	} else if (!r) {
		report_human_list(stdout, reps, nr);
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
	swap_report_interrupted();
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
		clock_sleep_ms(WATCH_SAMPLE_INTERVAL_MS);
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

int action_monitor(int argc, const char **argv)
{
	return monitor_run(argv, argc, mctl_opt.deadline_us,
			   mctl_opt.interval_s, mctl_opt.progress);
}

int action_wait(int argc, const char **argv)
{
	return wait_ready(argv, argc, mctl_opt.deadline_us, mctl_opt.progress);
}
