// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for dm-mirrorlive's phase state machine (mirrorlive-phase.c).
 */
#include <kunit/test.h>

#include "mirrorlive-phase.h"

struct transition {
	enum mirrorlive_phase from;
	enum mirrorlive_phase_event_type ev;
	enum mirrorlive_phase to;
};

#define T(f, e, t) { MIRRORLIVE_##f, MIRRORLIVE_EV_##e, MIRRORLIVE_##t }

/* Every (phase, event) pair, so a new transition cannot slip in untested. */
static const struct transition transitions[] = {
	T(COPYING, PAUSE, PAUSED),	T(COPYING, RESUME, COPYING),
	T(COPYING, COPY_DONE, READY),	T(COPYING, FAIL, FAILED),
	T(PAUSED, PAUSE, PAUSED),	T(PAUSED, RESUME, COPYING),
	T(PAUSED, COPY_DONE, READY),	T(PAUSED, FAIL, FAILED),
	T(READY, PAUSE, READY),		T(READY, RESUME, READY),
	T(READY, COPY_DONE, READY),	T(READY, FAIL, FAILED),
	T(FAILED, PAUSE, FAILED),	T(FAILED, RESUME, FAILED),
	T(FAILED, COPY_DONE, FAILED),	T(FAILED, FAIL, FAILED),
};

static const char * const event_names[] = {
	"pause", "resume", "copy_done", "fail"
};

static void transition_desc(const struct transition *t, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s + %s -> %s",
		 mirrorlive_phase_name(t->from), event_names[t->ev],
		 mirrorlive_phase_name(t->to));
}

KUNIT_ARRAY_PARAM(transition, transitions, transition_desc);

static void mirrorlive_phase_test_transition(struct kunit *test)
{
	const struct transition *t = test->param_value;
	struct mirrorlive_phase_state ps;
	bool changed;

	mirrorlive_phase_init(&ps, t->from);
	changed = mirrorlive_phase_event(&ps, t->ev, MIRRORLIVE_REASON_COPY);
	KUNIT_EXPECT_EQ(test, mirrorlive_phase_get(&ps), t->to);
	KUNIT_EXPECT_EQ(test, changed, t->from != t->to);
	KUNIT_EXPECT_EQ(test, mirrorlive_phase_reason(&ps),
			t->from != t->to && t->to == MIRRORLIVE_FAILED ?
			MIRRORLIVE_REASON_COPY : MIRRORLIVE_REASON_NONE);
}

static void mirrorlive_phase_test_first_reason_kept(struct kunit *test)
{
	struct mirrorlive_phase_state ps;

	mirrorlive_phase_init(&ps, MIRRORLIVE_READY);
	KUNIT_EXPECT_TRUE(test, mirrorlive_phase_event(&ps, MIRRORLIVE_EV_FAIL,
						       MIRRORLIVE_REASON_DEST_FLUSH));
	KUNIT_EXPECT_FALSE(test, mirrorlive_phase_event(&ps, MIRRORLIVE_EV_FAIL,
							MIRRORLIVE_REASON_DEST_WRITE));
	KUNIT_EXPECT_STREQ(test, mirrorlive_reason_name(mirrorlive_phase_reason(&ps)),
			   "dest_flush_error");
}

static void mirrorlive_phase_test_names(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, mirrorlive_phase_name(MIRRORLIVE_COPYING), "copying");
	KUNIT_EXPECT_STREQ(test, mirrorlive_phase_name(MIRRORLIVE_PAUSED), "paused");
	KUNIT_EXPECT_STREQ(test, mirrorlive_phase_name(MIRRORLIVE_READY), "ready");
	KUNIT_EXPECT_STREQ(test, mirrorlive_phase_name(MIRRORLIVE_FAILED), "failed");
	KUNIT_EXPECT_STREQ(test, mirrorlive_reason_name(MIRRORLIVE_REASON_NONE), "-");
	KUNIT_EXPECT_STREQ(test, mirrorlive_reason_name(MIRRORLIVE_REASON_DEST_WRITE),
			   "dest_write_error");
	KUNIT_EXPECT_STREQ(test, mirrorlive_reason_name(MIRRORLIVE_REASON_DEST_DISCARD),
			   "dest_discard_error");
	KUNIT_EXPECT_STREQ(test, mirrorlive_reason_name(MIRRORLIVE_REASON_SOURCE_READ),
			   "source_read_error");
	KUNIT_EXPECT_STREQ(test, mirrorlive_reason_name(MIRRORLIVE_REASON_COPY),
			   "copy_error");
	KUNIT_EXPECT_STREQ(test, mirrorlive_reason_name(MIRRORLIVE_REASON_FAIL_DEST),
			   "fail_dest");
	KUNIT_EXPECT_STREQ(test, mirrorlive_reason_name(MIRRORLIVE_REASON_METADATA),
			   "metadata_error");
}

static struct kunit_case mirrorlive_phase_test_cases[] = {
	KUNIT_CASE_PARAM(mirrorlive_phase_test_transition, transition_gen_params),
	KUNIT_CASE(mirrorlive_phase_test_first_reason_kept),
	KUNIT_CASE(mirrorlive_phase_test_names),
	{}
};

static struct kunit_suite mirrorlive_phase_test_suite = {
	.name = "mirrorlive_phase",
	.test_cases = mirrorlive_phase_test_cases,
};

kunit_test_suite(mirrorlive_phase_test_suite);

MODULE_LICENSE("GPL");
