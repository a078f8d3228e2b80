// SPDX-License-Identifier: GPL-2.0-only
/*
 * help.c - laying out mirrorctl's help text; see help.h
 */
#include <string.h>

#include "help.h"

/*
 * Print @text's words from column @col, the cursor being at column @at,
 * breaking lines before HELP_WIDTH; ends with a newline.  A word longer
 * than a line gets one of its own.
 */
static void help_wrap(FILE *f, const char *text, int at, int col)
{
	const char *p = text;
	size_t len;

	if (at > col) {
		fputc('\n', f);
		at = 0;
	}
	fprintf(f, "%*s", col - at, "");
	at = col;
	while (*p) {
		while (*p == ' ')
			p++;
		len = strcspn(p, " ");
		if (!len)
			break;
		if (at > col && at + 1 + (int)len > HELP_WIDTH) {
			fprintf(f, "\n%*s", col, "");
			at = col;
		}
		if (at > col) {
			fputc(' ', f);
			at++;
		}
		fwrite(p, 1, len, f);
		at += len;
		p += len;
	}
	fputc('\n', f);
}

void help_item_col(FILE *f, const char *item, const char *text, int col)
{
	int at = fprintf(f, "  %s", item);

	/* at least two blanks between an item and its text */
	help_wrap(f, text, at + 2 > col ? HELP_WIDTH : at, col);
}

void help_item(FILE *f, const char *item, const char *text)
{
	help_item_col(f, item, text, HELP_TEXT_COL);
}

void help_para(FILE *f, const char *text)
{
	help_wrap(f, text, 0, 0);
}
