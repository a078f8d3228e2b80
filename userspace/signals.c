// SPDX-License-Identifier: GPL-2.0-only
/*
 * signals.c - no signal ends mirrorctl while devices are suspended; see
 * signals.h for the contract.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "signals.h"

static const int held_signals[SIGNALS_HELD_NR] = {
	SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGUSR1, SIGUSR2,
	SIGTSTP, SIGTTIN, SIGTTOU,
};

static volatile sig_atomic_t noted_signal;

static bool is_stop_signal(int sig)
{
	return sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

/* The first signal, unless an ending one follows a stopping one. */
static void note_signal(int sig)
{
	if (!noted_signal ||
	    (is_stop_signal(noted_signal) && !is_stop_signal(sig)))
		noted_signal = sig;
}

void signals_hold(struct signals_held *h)
{
	struct sigaction sa;
	int i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = note_signal;
	/*
	 * No SA_RESTART: a suspend waiting for I/O to drain returns
	 * -ERESTARTSYS when a signal is pending, which SA_RESTART would turn
	 * into the same wait again.  The other calls of a swap do not wait
	 * interruptibly, or retry (libdevmapper's udev wait, test_hook()).
	 */
	sa.sa_flags = 0;
	sigfillset(&sa.sa_mask);
	noted_signal = 0;
	for (i = 0; i < SIGNALS_HELD_NR; i++) {
		sigaction(held_signals[i], NULL, &h->old[i]);
		/* one ignored (nohup, a service's SIGPIPE) stays ignored */
		if (h->old[i].sa_handler != SIG_IGN)
			sigaction(held_signals[i], &sa, NULL);
	}
	h->active = true;
}

int signals_noted(void)
{
	return noted_signal;
}

bool signals_ending(void)
{
	return noted_signal && !is_stop_signal(noted_signal);
}

void signals_release(struct signals_held *h, const char *outcome)
{
	int i, sig = noted_signal;

	if (!h->active)
		return;
	h->active = false;
	for (i = 0; i < SIGNALS_HELD_NR; i++)
		sigaction(held_signals[i], &h->old[i], NULL);
	noted_signal = 0;
	if (!sig)
		return;
	log_err("SIG%s received %s", sigabbrev_np(sig) ? sigabbrev_np(sig) :
		"?", outcome);
	fflush(NULL);
	raise(sig);
}
