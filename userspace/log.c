// SPDX-License-Identifier: GPL-2.0-only
/*
 * log.c - messages to the operator
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <syslog.h>

#include "log.h"

static bool log_verbose_on;
static bool log_debug_on;
static bool log_keeping;
static char *log_kept[LOG_KEPT_MAX];
static size_t log_nr_kept;

void log_set_level(bool verbose, bool debug)
{
	log_debug_on = debug;
	log_verbose_on = verbose || debug;
}

static void log_vprint(const char *prefix, const char *fmt, va_list ap)
{
	fputs(prefix, stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void log_err(const char *fmt, ...)
{
	va_list ap;
	char *copy;

	va_start(ap, fmt);
	log_vprint("mirrorctl: ", fmt, ap);
	va_end(ap);
	if (!log_keeping || log_nr_kept >= LOG_KEPT_MAX)
		return;
	va_start(ap, fmt);
	if (vasprintf(&copy, fmt, ap) >= 0)
		log_kept[log_nr_kept++] = copy;
	va_end(ap);
}

void log_keep_errors(bool on)
{
	if (on && log_keeping)
		return;		/* keeping already: keep what was kept */
	while (log_nr_kept)
		free(log_kept[--log_nr_kept]);
	log_keeping = on;
}

const char * const *log_kept_errors(size_t *nr)
{
	*nr = log_nr_kept;
	return (const char * const *)log_kept;
}

void log_verbose(const char *fmt, ...)
{
	va_list ap;

	if (!log_verbose_on)
		return;
	va_start(ap, fmt);
	log_vprint("mirrorctl: ", fmt, ap);
	va_end(ap);
}

void log_dbg(const char *fmt, ...)
{
	va_list ap;

	if (!log_debug_on)
		return;
	va_start(ap, fmt);
	log_vprint("# ", fmt, ap);
	va_end(ap);
}

void log_syslog(const char *msg)
{
	openlog("mirrorctl", LOG_PID, LOG_USER);
	syslog(LOG_NOTICE, "%s", msg);
	closelog();
}
