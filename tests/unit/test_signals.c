// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_signals.c - unit tests for userspace/signals.c
 *
 * The contract (signals.h): while held, the signals that would end or stop
 * mirrorctl are only noted; which one is kept; ignored ones stay ignored;
 * the release puts the old actions back, says what happened and delivers
 * the kept signal.  The tests stand in for the default actions with
 * counting handlers, so that a delivered signal is seen, not fatal.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "signals.h"

static volatile sig_atomic_t delivered[NSIG];

static void count_signal(int sig)
{
	delivered[sig]++;
}

static const int counted[] = {
	SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGUSR1, SIGUSR2,
	SIGTSTP, SIGTTIN, SIGTTOU,
};

/* Each test starts with counting handlers and nothing delivered. */
static int signals_setup(void **state)
{
	struct sigaction sa;
	size_t i;

	(void)state;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = count_signal;
	for (i = 0; i < ARRAY_SIZE(counted); i++)
		sigaction(counted[i], &sa, NULL);
	memset((void *)delivered, 0, sizeof(delivered));
	return 0;
}

static int total_delivered(void)
{
	int i, n = 0;

	for (i = 0; i < NSIG; i++)
		n += delivered[i];
	return n;
}

static char *release_captured(struct signals_held *h, const char *outcome)
{
	struct unit_capture c;

	unit_capture_start(&c, STDERR_FILENO);
	signals_release(h, outcome);
	return unit_capture_end(&c);
}

/* Held: noted, not delivered; released: delivered once, said first. */
static void signals_test_ending_noted_then_delivered(void **state)
{
	const int sig = (int)(long)*state;
	struct signals_held h;
	char *text, want[128];

	signals_hold(&h);
	raise(sig);
	assert_int_equal(total_delivered(), 0);
	assert_int_equal(signals_noted(), sig);
	assert_true(signals_ending());
	text = release_captured(&h, "during the table swap of x: undone");
	snprintf(want, sizeof(want), "mirrorctl: SIG%s received during the "
		 "table swap of x: undone\n", sigabbrev_np(sig));
	assert_string_equal(text, want);
	free(text);
	assert_int_equal(delivered[sig], 1);
	assert_int_equal(total_delivered(), 1);
	assert_int_equal(signals_noted(), 0);
}

static void signals_test_stop_is_not_ending(void **state)
{
	struct signals_held h;
	char *text;

	(void)state;
	signals_hold(&h);
	raise(SIGTSTP);
	assert_int_equal(signals_noted(), SIGTSTP);
	assert_false(signals_ending());
	text = release_captured(&h, "finished");
	assert_string_equal(text, "mirrorctl: SIGTSTP received finished\n");
	free(text);
	assert_int_equal(delivered[SIGTSTP], 1);
}

/* The first ending signal is kept; an ending one beats a stop. */
static void signals_test_which_is_kept(void **state)
{
	struct signals_held h;
	char *text;

	(void)state;
	signals_hold(&h);
	raise(SIGTSTP);
	raise(SIGINT);
	raise(SIGTERM);
	raise(SIGTTOU);
	assert_int_equal(signals_noted(), SIGINT);
	assert_true(signals_ending());
	text = release_captured(&h, "x");
	free(text);
	assert_int_equal(delivered[SIGINT], 1);
	assert_int_equal(total_delivered(), 1);
}

/* nohup's SIGHUP stays ignored, held or not. */
static void signals_test_ignored_stays_ignored(void **state)
{
	struct signals_held h;
	struct sigaction now;
	char *text;

	(void)state;
	signal(SIGHUP, SIG_IGN);
	signals_hold(&h);
	raise(SIGHUP);
	assert_int_equal(signals_noted(), 0);
	assert_false(signals_ending());
	text = release_captured(&h, "x");
	assert_string_equal(text, "");
	free(text);
	sigaction(SIGHUP, NULL, &now);
	assert_ptr_equal(now.sa_handler, SIG_IGN);
	assert_int_equal(total_delivered(), 0);
}

/* Nothing noted: the release is silent and the old actions are back. */
static void signals_test_quiet_release_restores(void **state)
{
	struct signals_held h;
	struct sigaction now;
	char *text;
	size_t i;

	(void)state;
	signals_hold(&h);
	text = release_captured(&h, "x");
	assert_string_equal(text, "");
	free(text);
	for (i = 0; i < ARRAY_SIZE(counted); i++) {
		sigaction(counted[i], NULL, &now);
		assert_ptr_equal(now.sa_handler, count_signal);
	}
	/* a second release of the same hold does nothing */
	text = release_captured(&h, "x");
	assert_string_equal(text, "");
	free(text);
	raise(SIGUSR1);
	assert_int_equal(delivered[SIGUSR1], 1);
}

int main(void)
{
	static const int ending[] = {
		SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGUSR1, SIGUSR2,
	};
	struct unit_suite suite = { 0 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ending); i++)
		unit_add(&suite, signals_test_ending_noted_then_delivered,
			 (void *)(long)ending[i], "SIG%s: held, then delivered",
			 sigabbrev_np(ending[i]));
	unit_add(&suite, signals_test_stop_is_not_ending, NULL,
		 "signals_test_stop_is_not_ending");
	unit_add(&suite, signals_test_which_is_kept, NULL,
		 "signals_test_which_is_kept");
	unit_add(&suite, signals_test_ignored_stays_ignored, NULL,
		 "signals_test_ignored_stays_ignored");
	unit_add(&suite, signals_test_quiet_release_restores, NULL,
		 "signals_test_quiet_release_restores");
	for (i = 0; i < suite.nr; i++)
		suite.tests[i].setup_func = signals_setup;
	return unit_run(&suite, "signals");
}
