// SPDX-License-Identifier: GPL-2.0-only
/*
 * swaplog.c - every table swap recorded in syslog; see swaplog.h
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "swaplog.h"

/* @t's lines joined with " | ", in a new string; NULL when out of memory */
static char *table_one_line(const struct table *t)
{
	char *text = table_format(t), *p;
	size_t len, n = 0;
	char *out;

	if (!text)
		return NULL;
	len = strlen(text);
	while (len && text[len - 1] == '\n')
		text[--len] = '\0';
	for (p = text; *p; p++)
		n += *p == '\n';
	out = malloc(len + 2 * n + 1);
	if (out) {
		char *o = out;

		for (p = text; *p; p++) {
			if (*p == '\n') {
				memcpy(o, " | ", 3);
				o += 3;
			} else {
				*o++ = *p;
			}
		}
		*o = '\0';
	}
	free(text);
	return out;
}

void swaplog_table(const char *action, const char *name, uint32_t major,
		   uint32_t minor, const char *what, const struct table *was,
		   const struct table *now)
{
	char *w = was ? table_one_line(was) : NULL;
	char *n = now ? table_one_line(now) : NULL;
	char *msg = NULL;

	if (asprintf(&msg, "%s %s (%" PRIu32 ":%" PRIu32 "): %s%s%s%s%s",
		     action, name, major, minor, what, w ? "; was: " : "",
		     w ? w : "", n ? "; now: " : "", n ? n : "") >= 0) {
		log_syslog(msg);
		free(msg);
	}
	free(w);
	free(n);
}
