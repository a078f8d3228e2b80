// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_report.c - unit tests for userspace/report.c and its human output
 *
 * A report aggregates the segments of one device and derives the rate and
 * ETA from two status samples; status, list and wait --progress print it.
 * Rows give the samples as the kernel would and pin the device-wide values.
 */
#include <errno.h>
#include <string.h>

#include "unit.h"
#include "output.h"
#include "report.h"
#include "report_human.h"

#define MAX_SEGS	3

struct seg {
	uint64_t start, length;
	const char *target;
	const char *params;
};

/* A status sample, as dmctl_get_status() reads it, over static strings. */
static struct table *sample(const char *name, const struct seg *segs,
			    struct table_line *buf)
{
	static struct table ts[2];
	static unsigned int next;
	struct table *t = &ts[next++ % 2];
	size_t n = 0;

	while (n < MAX_SEGS && segs[n].target) {
		buf[n] = (struct table_line){ segs[n].start, segs[n].length,
			(char *)segs[n].target, (char *)segs[n].params };
		n++;
	}
	*t = (struct table){ .nr = n, .lines = buf, .name = (char *)name,
			     .major = 253, .minor = 0 };
	return t;
}

static struct table *table_of(const struct seg *lines)
{
	struct table *t = table_new();
	size_t i;

	assert_non_null(t);
	for (i = 0; i < MAX_SEGS && lines[i].target; i++)
		assert_int_equal(table_add(t, lines[i].start, lines[i].length,
					   lines[i].target, lines[i].params), 0);
	return t;
}

struct want {
	enum mirror_phase phase;
	uint64_t copied, total;
	bool has_rate;
	uint64_t rate;
	bool has_eta;
	uint64_t eta;
	const char *reason;
	uint64_t dest_errors;
	const char *source, *destination;
};

static const struct report_row {
	const char *what;
	struct seg first[MAX_SEGS];
	struct seg second[MAX_SEGS];	/* target NULL: one sample */
	uint64_t interval_ms;
	struct seg table[MAX_SEGS];
	int ret;
	struct want want;
} report_rows[] = {
	{ "copying, one sample: rate and eta unknown",
	  { { 0, 2048, "mirrorlive", "copying 1024/2048 0 0 0 0 0 -" } },
	  { { 0 } }, 0, { { 0 } }, 0,
	  { MIRROR_COPYING, 512 << 10, 1 << 20, false, 0, false, 0, "-", 0,
	    "", "" } },
	{ "copying, two samples 1 s apart",
	  { { 0, 204800, "mirrorlive", "copying 0/204800 0 0 0 0 0 -" } },
	  { { 0, 204800, "mirrorlive", "copying 20480/204800 0 0 0 0 0 -" } },
	  1000, { { 0 } }, 0,
	  { MIRROR_COPYING, 10 << 20, 100 << 20, true, 10 << 20, true, 9,
	    "-", 0, "", "" } },
	{ "copying, samples 500 ms apart, eta rounds up",
	  { { 0, 3000, "mirrorlive", "copying 0/3000 0 0 0 0 0 -" } },
	  { { 0, 3000, "mirrorlive", "copying 1000/3000 0 0 0 0 0 -" } },
	  500, { { 0 } }, 0,
	  { MIRROR_COPYING, 512000, 1536000, true, 1024000, true, 1, "-", 0,
	    "", "" } },
	{ "copying but no progress: rate 0, eta unknown",
	  { { 0, 8, "mirrorlive", "copying 0/8 0 0 0 0 0 -" } },
	  { { 0, 8, "mirrorlive", "copying 0/8 0 0 0 0 0 -" } },
	  1000, { { 0 } }, 0,
	  { MIRROR_COPYING, 0, 4096, true, 0, false, 0, "-", 0, "", "" } },
	{ "ready: rate 0, eta 0, from one sample",
	  { { 0, 8, "mirrorlive", "ready 8/8 3 0 0 0 0 -" } },
	  { { 0 } }, 0, { { 0 } }, 0,
	  { MIRROR_READY, 4096, 4096, true, 0, true, 0, "-", 0, "", "" } },
	{ "paused: rate 0, eta unknown",
	  { { 0, 8, "mirrorlive", "paused 4/8 0 0 0 0 100 -" } },
	  { { 0 } }, 0, { { 0 } }, 0,
	  { MIRROR_PAUSED, 2048, 4096, true, 0, false, 0, "-", 0, "", "" } },
	{ "failed: reason and errors",
	  { { 0, 8, "mirrorlive", "failed 4/8 1 2 0 0 0 dest_write_error" } },
	  { { 0 } }, 0, { { 0 } }, 0,
	  { MIRROR_FAILED, 2048, 4096, true, 0, false, 0, "dest_write_error",
	    2, "", "" } },
	{ "two segments: summed, copying wins over ready",
	  { { 0, 1024, "mirrorlive", "ready 1024/1024 0 0 0 0 0 -" },
	    { 1024, 3072, "mirrorlive", "copying 0/3072 0 0 0 0 0 -" } },
	  { { 0, 1024, "mirrorlive", "ready 1024/1024 0 0 0 0 0 -" },
	    { 1024, 3072, "mirrorlive", "copying 2048/3072 0 0 0 0 0 -" } },
	  1000,
	  { { 0, 1024, "mirrorlive", "8:16 2048 8:48 0" },
	    { 1024, 3072, "mirrorlive", "8:32 777 8:48 1024" } }, 0,
	  { MIRROR_COPYING, 3072 << 9, 4096 << 9, true, 1 << 20, true, 1, "-",
	    0, "8:16, 8:32", "8:48" } },
	{ "two segments: failed wins, first reason kept",
	  { { 0, 8, "mirrorlive", "paused 0/8 0 0 0 0 0 -" },
	    { 8, 8, "mirrorlive", "failed 0/8 0 0 1 0 0 source_read_error" } },
	  { { 0 } }, 0, { { 0 } }, 0,
	  { MIRROR_FAILED, 0, 8192, true, 0, false, 0, "source_read_error", 0,
	    "", "" } },
	{ "linear lines are not counted",
	  { { 0, 8, "linear", "" },
	    { 8, 8, "mirrorlive", "copying 4/8 0 0 0 0 0 -" } },
	  { { 0 } }, 0,
	  { { 0, 8, "linear", "7:0 0" },
	    { 8, 8, "mirrorlive", "7:0 8 7:1 8 2 max_copy_kbps 1" } }, 0,
	  { MIRROR_COPYING, 2048, 4096, false, 0, false, 0, "-", 0, "7:0",
	    "7:1" } },
	{ "table changed between samples: no rate from it",
	  { { 0, 8, "linear", "" } },
	  { { 0, 8, "mirrorlive", "copying 4/8 0 0 0 0 0 -" } },
	  1000, { { 0 } }, 0,
	  { MIRROR_COPYING, 2048, 4096, true, 0, false, 0, "-", 0, "", "" } },
	{ "progress went backwards: no rate from it",
	  { { 0, 8, "mirrorlive", "copying 6/8 0 0 0 0 0 -" } },
	  { { 0, 8, "mirrorlive", "copying 4/8 0 0 0 0 0 -" } },
	  1000, { { 0 } }, 0,
	  { MIRROR_COPYING, 2048, 4096, true, 0, false, 0, "-", 0, "", "" } },
	{ "no mirrorlive segment",
	  { { 0, 8, "linear", "" } }, { { 0 } }, 0, { { 0 } }, -ENOENT,
	  { 0 } },
	{ "no table", { { 0 } }, { { 0 } }, 0, { { 0 } }, -ENOENT, { 0 } },
	{ "unparseable status",
	  { { 0, 8, "mirrorlive", "ready 8/8 0 0 0 0 0 -" },
	    { 8, 8, "mirrorlive", "copying" } },
	  { { 0 } }, 0, { { 0 } }, -EINVAL, { 0 } },
};

static void report_test_build(void **state)
{
	const struct report_row *row = *state;
	struct table_line b1[MAX_SEGS], b2[MAX_SEGS];
	struct table *s1, *s2 = NULL;
	struct table *t = NULL;
	struct report r;
	size_t bad = 99;
	int ret;

	s1 = sample("vm1", row->first, b1);
	if (row->second[0].target)
		s2 = sample("vm1", row->second, b2);
	if (row->table[0].target)
		t = table_of(row->table);
	ret = report_build(s1, s2, row->interval_ms, t, NULL, &r, &bad);
	table_free(t);
	assert_int_equal(ret, row->ret);
	if (ret) {
		assert_null(r.segments);
		if (ret == -EINVAL)
			assert_int_equal(bad, 1);
		return;
	}
	assert_string_equal(r.device, "vm1");
	assert_int_equal(r.phase, row->want.phase);
	assert_int_equal(r.copied_bytes, row->want.copied);
	assert_int_equal(r.total_bytes, row->want.total);
	assert_int_equal(r.has_rate, row->want.has_rate);
	assert_int_equal(r.rate_bytes_per_sec, row->want.rate);
	assert_int_equal(r.has_eta, row->want.has_eta);
	assert_int_equal(r.eta_seconds, row->want.eta);
	assert_string_equal(r.reason, row->want.reason);
	assert_int_equal(r.dest_errors, row->want.dest_errors);
	assert_string_equal(r.source, row->want.source);
	assert_string_equal(r.destination, row->want.destination);
	report_free(&r);
}

static void name_dev(const char *dev, char *buf, size_t len)
{
	snprintf(buf, len, "/dev/x%s", dev);
}

/* The whole human report of a two-segment device, line by line. */
static void report_test_output(void **state)
{
	static const struct seg segs[MAX_SEGS] = {
		{ 0, 1024, "linear", "" },
		{ 1024, 2048, "mirrorlive", "copying 1024/2048 5 0 0 1 2048 -" },
	};
	static const struct seg lines[MAX_SEGS] = {
		{ 0, 1024, "linear", "7:0 0" },
		{ 1024, 2048, "mirrorlive", "7:0 4096 7:1 1024 2 max_copy_kbps 2048" },
	};
	struct table_line b[MAX_SEGS];
	struct table *t = table_of(lines);
	char *buf = NULL;
	size_t len = 0;
	struct report r;
	FILE *f;

	(void)state;
	assert_int_equal(report_build(sample("vm2", segs, b), NULL, 0, t,
				      name_dev, &r, NULL), 0);
	table_free(t);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	report_human_device(f, &r);
	assert_int_equal(fclose(f), 0);
	report_free(&r);
	assert_string_equal(buf,
		"device:          vm2\n"
		"phase:           copying\n"
		"copied:          512.0 KiB / 1.0 MiB (50.0%)\n"
		"rate:            -\n"
		"eta:             -\n"
		"mirrored writes: 5\n"
		"dest errors:     0\n"
		"source errors:   0\n"
		"zero regions:    1\n"
		"max copy rate:   2.0 MiB/s\n"
		"reason:          -\n"
		"source:          /dev/x7:0\n"
		"destination:     /dev/x7:1\n"
		"segments:        2\n"
		"\n"
		"segment:         start 0, length 1024 sectors (512.0 KiB)\n"
		"target:          linear\n"
		"\n"
		"segment:         start 1024, length 2048 sectors (1.0 MiB)\n"
		"target:          mirrorlive\n"
		"phase:           copying\n"
		"copied:          512.0 KiB / 1.0 MiB (50.0%)\n"
		"mirrored writes: 5\n"
		"dest errors:     0\n"
		"source errors:   0\n"
		"zero regions:    1\n"
		"max copy rate:   2.0 MiB/s\n"
		"reason:          -\n"
		"source:          /dev/x7:0 at sector 4096\n"
		"destination:     /dev/x7:1 at sector 1024\n");
	free(buf);
}

static void report_test_list_and_progress(void **state)
{
	static const struct seg s1[MAX_SEGS] = {
		{ 0, 204800, "mirrorlive", "copying 0/204800 0 0 0 0 0 -" },
	};
	static const struct seg s2[MAX_SEGS] = {
		{ 0, 204800, "mirrorlive", "copying 20480/204800 0 0 0 0 0 -" },
	};
	struct table_line b1[MAX_SEGS], b2[MAX_SEGS];
	char *buf = NULL, line[160];
	size_t len = 0;
	struct report r;
	FILE *f;

	(void)state;
	assert_int_equal(report_build(sample("vm1", s1, b1),
				      sample("vm1", s2, b2), 1000, NULL, NULL,
				      &r, NULL), 0);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	report_human_list(f, &r, 1);
	assert_int_equal(fclose(f), 0);
	assert_string_equal(buf,
		"DEVICE PHASE   PROGRESS   COPIED     TOTAL       RATE ETA "
		"REASON\n"
		"vm1    copying    10.0% 10.0 MiB 100.0 MiB 10.0 MiB/s  9s -\n");
	free(buf);
	/* no mirror, no header */
	buf = NULL;
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	report_human_list(f, &r, 0);
	assert_int_equal(fclose(f), 0);
	assert_string_equal(buf, "");
	free(buf);
	report_human_progress_line(&r, line, sizeof(line));
	assert_string_equal(line, "vm1: copying 10.0% 10.0 MiB/100.0 MiB, "
				  "10.0 MiB/s, ETA 9s");
	report_free(&r);
}

/* list: a long LVM-style name widens DEVICE for every row */
static void report_test_list_widths(void **state)
{
	static const struct seg s1[MAX_SEGS] = {
		{ 0, 204800, "mirrorlive", "ready 204800/204800 5 0 0 0 0 -" },
	};
	static const struct seg s2[MAX_SEGS] = {
		{ 0, 204800, "mirrorlive", "failed 20480/204800 0 3 0 0 0 "
		  "dest_write_error" },
	};
	struct table_line b1[MAX_SEGS], b2[MAX_SEGS];
	struct report r[2];
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	assert_int_equal(report_build(sample("vm1", s1, b1), NULL, 0, NULL,
				      NULL, &r[0], NULL), 0);
	assert_int_equal(report_build(sample("vg_production-lv_database_disk0",
					     s2, b2), NULL, 0, NULL, NULL,
				      &r[1], NULL), 0);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	report_human_list(f, r, 2);
	assert_int_equal(fclose(f), 0);
	assert_string_equal(buf,
		"DEVICE                          PHASE  PROGRESS    COPIED"
		"     TOTAL  RATE ETA REASON\n"
		"vm1                             ready    100.0% 100.0 MiB"
		" 100.0 MiB 0 B/s  0s -\n"
		"vg_production-lv_database_disk0 failed    10.0%  10.0 MiB"
		" 100.0 MiB 0 B/s   - dest_write_error\n");
	free(buf);
	report_free(&r[0]);
	report_free(&r[1]);
}

static const struct duration_row {
	uint64_t s;
	const char *out;
} duration_rows[] = {
	{ 0, "0s" }, { 59, "59s" }, { 60, "1m00s" }, { 65, "1m05s" },
	{ 3599, "59m59s" }, { 3600, "1h00m" }, { 7380, "2h03m" },
	{ 86399, "23h59m" }, { 86400, "1d00h" }, { 273600, "3d04h" },
	{ UINT64_MAX, "213503982334601d07h" },
};

static void report_test_duration(void **state)
{
	const struct duration_row *row = *state;
	char buf[OUTPUT_DURATION_MAX];

	output_duration(row->s, buf, sizeof(buf));
	assert_string_equal(buf, row->out);
}

static void report_test_rate(void **state)
{
	char buf[OUTPUT_RATE_MAX];

	(void)state;
	output_rate(false, 5, buf, sizeof(buf));
	assert_string_equal(buf, "-");
	output_rate(true, 0, buf, sizeof(buf));
	assert_string_equal(buf, "0 B/s");
	output_rate(true, 1536 << 10, buf, sizeof(buf));
	assert_string_equal(buf, "1.5 MiB/s");
	output_rate(true, UINT64_MAX, buf, sizeof(buf));
	assert_string_equal(buf, "16.0 EiB/s");
}

static void report_test_needs_rate(void **state)
{
	static const struct seg copying[MAX_SEGS] = {
		{ 0, 8, "mirrorlive", "ready 8/8 0 0 0 0 0 -" },
		{ 8, 8, "mirrorlive", "copying 0/8 0 0 0 0 0 -" },
	};
	static const struct seg idle[MAX_SEGS] = {
		{ 0, 8, "mirrorlive", "paused 0/8 0 0 0 0 0 -" },
		{ 8, 8, "linear", "" },
		{ 16, 8, "mirrorlive", "garbage" },
	};
	struct table_line b[MAX_SEGS];

	(void)state;
	assert_true(report_needs_rate(sample("a", copying, b)));
	assert_false(report_needs_rate(sample("a", idle, b)));
}

/*
 * The device-wide verify state (report.h): the one ranking highest of
 * repairing, verifying, error, stopped, "-", done; the counts are sums.
 */
static const struct verify_agg_row {
	const char *a, *b;	/* two segments' verify fields */
	const char *state;
	uint64_t verified, copied, mismatched, repaired;
} verify_agg_rows[] = {
	{ "done 8/8 1 1", "done 4/8 2 0", "done", 12, 16, 3, 1 },
	{ "done 8/8 0 0", "- 0/8 0 0", "-", 8, 16, 0, 0 },
	{ "- 0/8 0 0", "stopped 2/8 0 0", "stopped", 2, 16, 0, 0 },
	{ "stopped 2/8 0 0", "error 3/8 1 0", "error", 5, 16, 1, 0 },
	{ "error 3/8 1 0", "verifying 1/8 0 0", "verifying", 4, 16, 1, 0 },
	{ "repairing 1/8 0 0", "verifying 1/8 0 0", "repairing", 2, 16, 0, 0 },
	{ "done 8/8 0 0", "done 8/8 0 0", "done", 16, 16, 0, 0 },
};

static void report_test_verify(void **state)
{
	const struct verify_agg_row *row = *state;
	char a[96], b[96];
	struct seg segs[MAX_SEGS] = {
		{ 0, 8, "mirrorlive", a },
		{ 8, 8, "linear", "" },
		{ 16, 8, "mirrorlive", b },
	};
	struct table_line buf[MAX_SEGS];
	struct report r;

	snprintf(a, sizeof(a), "ready 8/8 0 0 0 0 0 - - %s", row->a);
	snprintf(b, sizeof(b), "ready 8/8 0 0 0 0 0 - - %s", row->b);
	assert_int_equal(report_build(sample("vm", segs, buf), NULL, 0, NULL,
				      NULL, &r, NULL), 0);
	assert_string_equal(status_verify_name(r.verify), row->state);
	assert_int_equal(r.verified_regions, row->verified);
	assert_int_equal(r.copied_regions, row->copied);
	assert_int_equal(r.mismatched_regions, row->mismatched);
	assert_int_equal(r.repaired_regions, row->repaired);
	report_free(&r);
}

int main(void)
{
	struct unit_suite suite = { 0 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(report_rows); i++)
		unit_add(&suite, report_test_build, (void *)&report_rows[i],
			 "build %s", report_rows[i].what);
	unit_add(&suite, report_test_output, NULL, "report_test_output");
	unit_add(&suite, report_test_list_and_progress, NULL,
		 "report_test_list_and_progress");
	unit_add(&suite, report_test_list_widths, NULL,
		 "report_test_list_widths");
	for (i = 0; i < ARRAY_SIZE(duration_rows); i++)
		unit_add(&suite, report_test_duration, (void *)&duration_rows[i],
			 "duration %s", duration_rows[i].out);
	unit_add(&suite, report_test_rate, NULL, "report_test_rate");
	unit_add(&suite, report_test_needs_rate, NULL, "report_test_needs_rate");
	for (i = 0; i < ARRAY_SIZE(verify_agg_rows); i++)
		unit_add(&suite, report_test_verify, (void *)&verify_agg_rows[i],
			 "verify of \"%s\" and \"%s\" -> %s",
			 verify_agg_rows[i].a, verify_agg_rows[i].b,
			 verify_agg_rows[i].state);

	return unit_run(&suite, "report");
}
