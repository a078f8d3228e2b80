// SPDX-License-Identifier: GPL-2.0-only
/*
 * mirrorctl - control dm-mirrorlive live storage migrations
 *
 * The command line is `mirrorctl [OPTION...] <action> <action-specific>`:
 * popt parses the global options, the first remaining argument names an
 * action in the table below, and the action's handler gets the rest.
 * Handlers return 0, -errno or -MCTL_E*; main() turns that into the exit
 * status with mctl_exit_code() and nothing else:
 *
 *   0  success
 *   1  operation failed: no such device, the kernel refused or an I/O
 *      error, a status line mirrorctl cannot parse
 *   2  usage error: no or unknown action, wrong argument count, bad option
 *   3  precondition not met: not a mirrorlive device, not a dm device
 *   4  timeout
 *
 * Only `status` is implemented so far; the other actions of DESIGN.md §2
 * are added to the table as they are written.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <popt.h>

#include "dm.h"
#include "errors.h"
#include "log.h"
#include "output.h"
#include "status.h"

#ifndef MIRRORCTL_VERSION
#error "MIRRORCTL_VERSION must be defined by the build (see Makefile)"
#endif

#define MIRRORLIVE_TARGET	"mirrorlive"

struct action {
	const char *name;
	int (*handler)(int argc, const char **argv);
	int min_args;
	int max_args;
	const char *arg_desc;
	const char *help;
};

static struct {
	int verbose;
	int debug;
	int version;
	int help;
} opt;

/* ------------------------------------------------------------------ */
/* status */

static bool is_mirrorlive(const struct dmctl_segment *seg)
{
	return !strcmp(seg->target_type, MIRRORLIVE_TARGET);
}

/*
 * Refuse a device without any mirrorlive segment, naming what it is
 * instead: "target linear", "targets linear, striped", "no table loaded".
 */
static int status_require_mirror(const char *device,
				 const struct dmctl_table_status *ts)
{
	char what[128] = "no table loaded";
	size_t i, j, len = 0, nr_types = 0;

	for (i = 0; i < ts->nr_segments; i++)
		if (is_mirrorlive(&ts->segments[i]))
			return 0;

	for (i = 0; i < ts->nr_segments && len < sizeof(what); i++) {
		const char *type = ts->segments[i].target_type;

		for (j = 0; j < i; j++)
			if (!strcmp(ts->segments[j].target_type, type))
				break;
		if (j < i)
			continue;	/* already named */
		len += snprintf(what + len, sizeof(what) - len, "%s%s",
				nr_types++ ? ", " : "", type);
	}
	if (nr_types)
		log_err("%s: not a mirrorlive device (target%s %s)", device,
			nr_types > 1 ? "s" : "", what);
	else
		log_err("%s: not a mirrorlive device (%s)", device, what);
	return -MCTL_EPRECOND;
}

/* Parse every mirrorlive segment before printing anything. */
static int status_parse_segments(const char *device,
				 const struct dmctl_table_status *ts,
				 struct mirror_status *st)
{
	size_t i;

	for (i = 0; i < ts->nr_segments; i++) {
		const struct dmctl_segment *seg = &ts->segments[i];

		if (!is_mirrorlive(seg))
			continue;
		if (status_parse(seg->params, &st[i])) {
			log_err("%s: unparseable mirrorlive status \"%s\"",
				device, seg->params);
			return -EINVAL;
		}
	}
	return 0;
}

static void status_print(const struct dmctl_table_status *ts,
			 const struct mirror_status *st)
{
	size_t i;

	output_field(stdout, "device", "%s", ts->name);
	if (ts->nr_segments == 1) {
		output_mirror_status(stdout, &st[0]);
		return;
	}

	output_field(stdout, "segments", "%zu", ts->nr_segments);
	for (i = 0; i < ts->nr_segments; i++) {
		const struct dmctl_segment *seg = &ts->segments[i];

		output_segment(stdout, seg->start, seg->length,
			       seg->target_type);
		if (is_mirrorlive(seg))
			output_mirror_status(stdout, &st[i]);
	}
}

static int action_status(int argc, const char **argv)
{
	const char *device = argv[0];
	struct dmctl_table_status *ts;
	struct mirror_status *st = NULL;
	int r;

	(void)argc;
	r = dmctl_get_status(device, &ts);
	if (r)
		return r;

	r = status_require_mirror(device, ts);
	if (!r) {
		st = calloc(ts->nr_segments, sizeof(*st));
		r = st ? status_parse_segments(device, ts, st) : -ENOMEM;
		if (r == -ENOMEM)
			log_err("%s: %s", device, strerror(ENOMEM));
	}
	if (!r)
		status_print(ts, st);

	free(st);
	dmctl_table_status_free(ts);
	return r;
}

/* ------------------------------------------------------------------ */

static const struct action actions[] = {
	{ "status", action_status, 1, 1, "DEVICE",
	  "show the phase, progress and counters of a mirror" },
	{ NULL, NULL, 0, 0, NULL, NULL }
};

static const struct action *find_action(const char *name)
{
	const struct action *a;

	for (a = actions; a->name; a++)
		if (!strcmp(a->name, name))
			return a;
	return NULL;
}

static void print_help(poptContext ctx)
{
	const struct action *a;

	poptPrintHelp(ctx, stdout, 0);
	printf("\n<action> is one of:\n");
	for (a = actions; a->name; a++)
		printf("\t%s %s - %s\n", a->name, a->arg_desc, a->help);
	printf("\n"
	       "DEVICE is a dm name, /dev/mapper/NAME or a node such as /dev/dm-N.\n"
	       "\n"
	       "Exit status:\n"
	       "  0  success\n"
	       "  1  operation failed: no such device, kernel refused, I/O error,\n"
	       "     unparseable kernel status\n"
	       "  2  usage error\n"
	       "  3  precondition not met: not a mirrorlive device, not a dm device\n"
	       "  4  timeout\n");
}

static void print_try_help(void)
{
	fprintf(stderr, "Try 'mirrorctl --help' for more information.\n");
}

/* Check the argument count of @a and run it. */
static int run_action(const struct action *a, const char **args)
{
	int nargs = 0;
	int r;

	while (args && args[nargs])
		nargs++;
	if (nargs < a->min_args || nargs > a->max_args) {
		log_err("%s: wrong number of arguments, usage: mirrorctl %s %s",
			a->name, a->name, a->arg_desc);
		return -MCTL_EUSAGE;
	}

	dmctl_init();
	r = a->handler(nargs, args);
	dmctl_exit();
	return r;
}

/* Parse the command line and run the action; returns 0/-errno/-MCTL_E*. */
static int run(poptContext ctx)
{
	const struct action *a;
	const char *name;
	int r;

	while ((r = poptGetNextOpt(ctx)) > 0)
		;	/* every option stores into opt directly */
	if (r < -1) {
		log_err("%s: %s", poptBadOption(ctx, POPT_BADOPTION_NOALIAS),
			poptStrerror(r));
		return -MCTL_EUSAGE;
	}
	log_set_level(opt.verbose, opt.debug);

	if (opt.help) {
		print_help(ctx);
		return 0;
	}
	if (opt.version) {
		printf("mirrorctl %s\n", MIRRORCTL_VERSION);
		return 0;
	}

	name = poptGetArg(ctx);
	if (!name) {
		log_err("no action given: expected one of the actions in --help");
		return -MCTL_EUSAGE;
	}
	a = find_action(name);
	if (!a) {
		log_err("%s: unknown action", name);
		return -MCTL_EUSAGE;
	}
	log_dbg("running action %s", a->name);
	return run_action(a, poptGetArgs(ctx));
}

int main(int argc, const char **argv)
{
	struct poptOption options[] = {
		{ "verbose", 'v', POPT_ARG_NONE, &opt.verbose, 0,
		  "Say what is being done", NULL },
		{ "debug", '\0', POPT_ARG_NONE, &opt.debug, 0,
		  "Show debug messages, libdevmapper's too (implies --verbose)",
		  NULL },
		{ "version", 'V', POPT_ARG_NONE, &opt.version, 0,
		  "Print the version and exit", NULL },
		{ "help", 'h', POPT_ARG_NONE, &opt.help, 0,
		  "Show this help and exit", NULL },
		POPT_TABLEEND
	};
	poptContext ctx;
	int r;

	/* Fresh options on every call: the unit tests call main() repeatedly. */
	memset(&opt, 0, sizeof(opt));
	ctx = poptGetContext("mirrorctl", argc, argv, options, 0);
	if (!ctx) {
		log_err("cannot parse the command line: %s", strerror(ENOMEM));
		return mctl_exit_code(-ENOMEM);
	}
	poptSetOtherOptionHelp(ctx, "[OPTION...] <action> <action-specific>");

	r = run(ctx);
	errno = 0;
	/* Output that never reached its destination is a failure too. */
	if (fflush(stdout) || ferror(stdout)) {
		log_err("standard output: %s", strerror(errno ? errno : EIO));
		if (!r)
			r = -EIO;
	}
	if (r == -MCTL_EUSAGE)
		print_try_help();
	else if (r)
		log_verbose("command failed with code %d: %s", r,
			    mctl_strerror(r));

	poptFreeContext(ctx);
	return mctl_exit_code(r);
}
