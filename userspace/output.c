// SPDX-License-Identifier: GPL-2.0-only
/*
 * output.c - values and lines as mirrorctl shows them to people; see
 * output.h
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "output.h"
#include "size.h"

void output_field(FILE *out, const char *label, const char *fmt, ...)
{
	int pad = OUTPUT_LABEL_WIDTH - (int)strlen(label) - 1;
	va_list ap;

	fprintf(out, "%s:%*s", label, pad > 1 ? pad : 1, "");
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fputc('\n', out);
}

int output_percent(uint64_t done, uint64_t total, char *buf, size_t len)
{
	uint64_t permille;
	int n;

	if (!total || done >= total) {
		permille = 1000;
	} else {
		/* Scale both down until done * 1000 fits; the ratio survives. */
		while (done > UINT64_MAX / 1000) {
			done >>= 1;
			total >>= 1;
		}
		permille = done * 1000 / total;
		/* Scaling may have rounded done up to total: still unfinished. */
		if (permille > 999)
			permille = 999;
	}

	n = snprintf(buf, len, "%llu.%llu%%",
		     (unsigned long long)(permille / 10),
		     (unsigned long long)(permille % 10));
	return n < 0 || (size_t)n >= len ? -ENOSPC : 0;
}

void output_duration(uint64_t s, char *buf, size_t len)
{
	if (s < 60)
		snprintf(buf, len, "%llus", (unsigned long long)s);
	else if (s < 3600)
		snprintf(buf, len, "%llum%02llus", (unsigned long long)(s / 60),
			 (unsigned long long)(s % 60));
	else if (s < 86400)
		snprintf(buf, len, "%lluh%02llum", (unsigned long long)(s / 3600),
			 (unsigned long long)(s % 3600 / 60));
	else
		snprintf(buf, len, "%llud%02lluh", (unsigned long long)(s / 86400),
			 (unsigned long long)(s % 86400 / 3600));
}

void output_rate(bool known, uint64_t bytes_per_sec, char *buf, size_t len)
{
	char size[SIZE_FORMAT_MAX];

	if (!known) {
		snprintf(buf, len, "-");
		return;
	}
	size_format(bytes_per_sec, size, sizeof(size));
	snprintf(buf, len, "%s/s", size);
}

void output_line_begin(struct output_line *l, bool wanted)
{
	l->on = wanted && isatty(STDOUT_FILENO);
	l->drawn = false;
}

void output_line_draw(struct output_line *l, const char *text)
{
	if (!l->on)
		return;
	printf("\33[2K\r%s", text);
	fflush(stdout);
	l->drawn = true;
}

void output_line_clear(struct output_line *l)
{
	if (l->drawn) {
		fputs("\33[2K\r", stdout);
		fflush(stdout);
		l->drawn = false;
	}
}

void output_line_keep(struct output_line *l)
{
	if (l->drawn) {
		fputc('\n', stdout);
		fflush(stdout);
		l->drawn = false;
	}
}
