/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * clock.h - time for rates, deadlines and the suspend window
 *
 * Separate functions so the unit tests can replace them (--wrap) with a
 * clock that only moves when told to.
 */
#ifndef MIRRORCTL_CLOCK_H
#define MIRRORCTL_CLOCK_H

#include <stdint.h>

/* clock_now_us - CLOCK_MONOTONIC in microseconds */
uint64_t clock_now_us(void);

/* clock_sleep_ms - sleep @ms milliseconds (restarted after signals) */
void clock_sleep_ms(unsigned int ms);

#endif /* MIRRORCTL_CLOCK_H */
