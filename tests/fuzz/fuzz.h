/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fuzz.h - what the harnesses of tests/fuzz/ share
 *
 * Each harness defines LLVMFuzzerTestOneInput() and is linked either with
 * libFuzzer (make fuzz) or with regress_main.c, which replays files (the
 * unit lane).  A broken invariant prints what broke and abort()s, which
 * both count as a crash; ASan, UBSan or valgrind catch the rest.
 *
 * Numbers in an input are read with userspace/decimal.c's decimal_u64(),
 * which every harness compiles: digits only, as the kernel prints them.
 */
#ifndef MIRRORCTL_FUZZ_H
#define MIRRORCTL_FUZZ_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decimal.h"
#include "table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond, ...) do {					\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: invariant broken: %s: ",	\
			__FILE__, __LINE__, #cond);			\
		fprintf(stderr, __VA_ARGS__);				\
		fputc('\n', stderr);					\
		abort();						\
	}								\
} while (0)

/*
 * The input as a C string in a buffer of exactly its size, so that ASan
 * sees a read past the NUL.  An embedded NUL ends the string early, as it
 * would for a string from libdevmapper.
 */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/*
 * fuzz_table_line - split "<start> <length> <target> <params>" as
 * libdevmapper hands a table line to mirrorctl: two decimal numbers and a
 * target word, each followed by one space; params are the rest of the line
 * (possibly empty).  Cuts @line in place.  Returns 0 or -EINVAL.
 */
static inline int fuzz_table_line(char *line, uint64_t *start,
				  uint64_t *length, char **target,
				  char **params)
{
	char *w[3], *p = line;
	int i;

	for (i = 0; i < 3; i++) {
		w[i] = p;
		p = strchr(p, ' ');
		if (i < 2 && !p)
			return -EINVAL;
		if (p)
			*p++ = '\0';
		else
			p = w[i] + strlen(w[i]);
		if (!*w[i])
			return -EINVAL;
	}
	if (decimal_u64(w[0], DECIMAL_NUL, start, NULL) ||
	    decimal_u64(w[1], DECIMAL_NUL, length, NULL))
		return -EINVAL;
	*target = w[2];
	*params = p;
	return 0;
}

/*
 * fuzz_table_parse - the lines of @text up to a line "--" (or the end) as a
 * table; *@rest is set past that line, or to NULL at the end of @text.
 * Lines that do not split are skipped: the parsers under test see only
 * what libdevmapper could have given them.  Cuts @text in place.
 */
static inline struct table *fuzz_table_parse(char *text, char **rest)
{
	struct table *t = table_new();
	char *line = text, *nl;

	if (!t)
		abort();
	*rest = NULL;
	while (line) {
		uint64_t start, length;
		char *target, *params;

		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		if (!strcmp(line, "--")) {
			*rest = nl ? nl + 1 : NULL;
			break;
		}
		if (!fuzz_table_line(line, &start, &length, &target, &params) &&
		    table_add(t, start, length, target, params))
			abort();
		line = nl ? nl + 1 : NULL;
	}
	return t;
}

#endif /* MIRRORCTL_FUZZ_H */
