/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * help.h - laying out mirrorctl's help text
 *
 * Help is two columns: an item (an action's synopsis, an option) from
 * column 2, and its description from column HELP_TEXT_COL, words wrapped so
 * that no line is wider than HELP_WIDTH columns (so that it fits an
 * 80-column terminal).  An item too wide for the
 * first column puts its description on the next line.  No tabs: every
 * column is a character.
 */
#ifndef MIRRORCTL_HELP_H
#define MIRRORCTL_HELP_H

#include <stdio.h>

#define HELP_WIDTH	79
#define HELP_TEXT_COL	26

/* help_item - "  ITEM   TEXT...", TEXT wrapped from HELP_TEXT_COL */
void help_item(FILE *f, const char *item, const char *text);

/* help_item_col - help_item() with TEXT from column @col */
void help_item_col(FILE *f, const char *item, const char *text, int col);

/* help_para - TEXT wrapped from column 0 to HELP_WIDTH, then a newline */
void help_para(FILE *f, const char *text);

#endif /* MIRRORCTL_HELP_H */
