// SPDX-License-Identifier: GPL-2.0-only
/*
 * events.c - waiting on dm events, cut short by a timer or by the
 * operator; see events.h
 */
#include <signal.h>
#include <sys/time.h>

#include "events.h"

static volatile sig_atomic_t got_stop;

static void on_alarm(int sig)
{
	(void)sig;	/* only there to make the ioctl return EINTR */
}

static void on_stop(int sig)
{
	(void)sig;
	got_stop = 1;
}

/* Without SA_RESTART, so the signals interrupt DM_DEVICE_WAITEVENT. */
void events_begin(struct events_saved *old)
{
	struct sigaction sa = { 0 };

	got_stop = 0;
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, &old->alrm);
	sa.sa_handler = on_stop;
	sigaction(SIGINT, &sa, &old->intr);
	sigaction(SIGTERM, &sa, &old->term);
}

void events_timer(uint64_t ms)
{
	struct itimerval it = {
		.it_interval = { 0, EVENTS_REFIRE_MS * 1000 },
		.it_value = { ms / 1000, (ms % 1000) * 1000 },
	};

	if (!ms)
		it.it_value.tv_usec = 1;	/* 0 would disarm it */
	setitimer(ITIMER_REAL, &it, NULL);
}

void events_timer_off(void)
{
	struct itimerval it = { { 0, 0 }, { 0, 0 } };

	setitimer(ITIMER_REAL, &it, NULL);
}

void events_end(const struct events_saved *old)
{
	events_timer_off();
	sigaction(SIGALRM, &old->alrm, NULL);
	sigaction(SIGINT, &old->intr, NULL);
	sigaction(SIGTERM, &old->term, NULL);
}

bool events_stopped(void)
{
	return got_stop;
}
