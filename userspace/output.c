// SPDX-License-Identifier: GPL-2.0-only
/*
 * output.c - human-readable reports on stdout
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

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

void output_segment(FILE *out, uint64_t start, uint64_t length,
		    const char *target)
{
	char size[SIZE_FORMAT_MAX];

	/* length < 2^64 sectors from the kernel; bytes only for show. */
	size_format(length > UINT64_MAX >> 9 ? UINT64_MAX : length << 9,
		    size, sizeof(size));
	fputc('\n', out);
	output_field(out, "segment", "start %llu, length %llu sectors (%s)",
		     (unsigned long long)start, (unsigned long long)length,
		     size);
	output_field(out, "target", "%s", target);
}

static void output_progress(FILE *out, const struct mirror_status *st)
{
	char copied[SIZE_FORMAT_MAX], total[SIZE_FORMAT_MAX];
	char percent[OUTPUT_PERCENT_MAX];

	size_format(st->copied_sectors << 9, copied, sizeof(copied));
	size_format(st->total_sectors << 9, total, sizeof(total));
	output_percent(st->copied_sectors, st->total_sectors, percent,
		       sizeof(percent));
	output_field(out, "copied", "%s / %s (%s)", copied, total, percent);
}

void output_mirror_status(FILE *out, const struct mirror_status *st)
{
	output_field(out, "phase", "%s", status_phase_name(st->phase));
	output_progress(out, st);
	output_field(out, "mirrored writes", "%llu",
		     (unsigned long long)st->mirrored_writes);
	output_field(out, "dest errors", "%llu",
		     (unsigned long long)st->dest_errors);
	output_field(out, "source errors", "%llu",
		     (unsigned long long)st->source_errors);
	output_field(out, "zero regions", "%llu",
		     (unsigned long long)st->zero_regions);
	if (st->max_copy_kbps)
		output_field(out, "max copy rate", "%llu KiB/s",
			     (unsigned long long)st->max_copy_kbps);
	else
		output_field(out, "max copy rate", "unlimited");
	output_field(out, "reason", "%s", st->reason);
}
