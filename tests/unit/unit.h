/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * unit.h - shared helpers for the cmocka unit tests in tests/unit/
 *
 * Tests are table-driven: each row of a table becomes its own cmocka test
 * case, named after the row, so the TAP output and the lane's counts say
 * exactly which input broke.  Usage:
 *
 *	struct unit_suite suite = { 0 };
 *
 *	for (i = 0; i < ARRAY_SIZE(rows); i++)
 *		unit_add(&suite, check_row, &rows[i], "parse \"%s\"", rows[i].in);
 *	unit_add(&suite, some_test, NULL, "some_test");
 *	return unit_run(&suite, "size");
 *
 * The test function finds its row in *state.
 */
#ifndef MIRRORCTL_UNIT_H
#define MIRRORCTL_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

struct unit_suite {
	struct CMUnitTest *tests;
	size_t nr;
};

/* Append one test case; aborts the binary (a failure) if out of memory. */
static inline void __attribute__((format(printf, 4, 5)))
unit_add(struct unit_suite *suite, CMUnitTestFunction fn, void *row,
	 const char *name_fmt, ...)
{
	struct CMUnitTest *t;
	char *name;
	va_list ap;

	t = realloc(suite->tests, (suite->nr + 1) * sizeof(*t));
	va_start(ap, name_fmt);
	if (!t || vasprintf(&name, name_fmt, ap) < 0) {
		fprintf(stderr, "unit_add: out of memory\n");
		abort();
	}
	va_end(ap);

	suite->tests = t;
	t[suite->nr++] = (struct CMUnitTest) {
		.name = name,
		.test_func = fn,
		.initial_state = row,
	};
}

/*
 * unit_esc - make a test input printable inside a one-line TAP test name
 *
 * Control characters and '#' (a TAP directive) become C escapes.  Returns
 * one of a few static buffers, so up to four calls may share one printf.
 */
static inline const char *unit_esc(const char *s)
{
	static char bufs[4][256];
	static unsigned int next;
	char *buf = bufs[next++ % 4];
	size_t n = 0;

	if (!s)
		return "(null)";
	for (; *s && n < sizeof(bufs[0]) - 8; s++) {
		unsigned char c = *s;

		if (c == '\n')
			n += sprintf(buf + n, "\\n");
		else if (c == '\t')
			n += sprintf(buf + n, "\\t");
		else if (c == '"' || c == '\\')
			n += sprintf(buf + n, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f || c == '#')
			n += sprintf(buf + n, "\\x%02x", c);
		else
			buf[n++] = c;
	}
	buf[n] = '\0';
	return buf;
}

/*
 * Capture what the code under test writes to a file descriptor (stdout or
 * stderr, with their stdio buffers flushed around it):
 *
 *	unit_capture_start(&c, STDERR_FILENO);
 *	r = code_under_test();
 *	text = unit_capture_end(&c);	// caller frees
 *
 * Assert only after unit_capture_end(): a failing assertion jumps out and
 * would leave the descriptor redirected, its message lost in the capture.
 */
struct unit_capture {
	int fd;
	int saved;
	FILE *tmp;
};

static inline void unit_flush(int fd)
{
	fflush(fd == STDOUT_FILENO ? stdout : stderr);
}

static inline void unit_capture_start(struct unit_capture *c, int fd)
{
	unit_flush(fd);
	c->fd = fd;
	c->tmp = tmpfile();
	c->saved = dup(fd);
	if (!c->tmp || c->saved < 0 || dup2(fileno(c->tmp), fd) < 0) {
		perror("unit_capture_start");
		abort();
	}
}

static inline char *unit_capture_end(struct unit_capture *c)
{
	char *text;
	long len;

	unit_flush(c->fd);
	dup2(c->saved, c->fd);
	close(c->saved);
	len = ftell(c->tmp);
	text = calloc(1, len + 1);
	rewind(c->tmp);
	if (!text || fread(text, 1, len, c->tmp) != (size_t)len) {
		perror("unit_capture_end");
		abort();
	}
	fclose(c->tmp);
	return text;
}

/* Run every case as one group, free the suite; returns the failure count. */
static inline int unit_run(struct unit_suite *suite, const char *group)
{
	size_t i;
	int failed;

	failed = _cmocka_run_group_tests(group, suite->tests, suite->nr,
					 NULL, NULL);
	for (i = 0; i < suite->nr; i++)
		free((char *)suite->tests[i].name);
	free(suite->tests);
	suite->tests = NULL;
	suite->nr = 0;
	return failed;
}

#endif /* MIRRORCTL_UNIT_H */
