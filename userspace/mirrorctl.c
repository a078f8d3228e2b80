// SPDX-License-Identifier: GPL-2.0-only
/*
 * mirrorctl - control dm-mirrorlive live storage migrations
 *
 * The command line is `mirrorctl [OPTION...] <action> <action-specific>`:
 * popt parses the options (anywhere on the line), the first remaining
 * argument names an action in the table below, and the action's handler
 * gets the rest.  Each action lists the options it takes; any other is a
 * usage error, as is a wrong argument count.  Handlers return 0, -errno or
 * -MCTL_E*; main() turns that into the exit status with mctl_exit_code()
 * and nothing else (Documentation/interface.rst, section 7.5):
 *
 *   0  success
 *   1  operation failed: no such device, the kernel refused, an I/O
 *      error, the mirror failed, a status line mirrorctl cannot parse,
 *      verify found source and destination differ
 *   2  usage error
 *   3  precondition not met: not ready, already mirroring, destination
 *      rejected, not a mirrorlive device
 *   4  timeout
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <popt.h>

#include "actions.h"
#include "clock.h"
#include "decimal.h"
#include "dm.h"
#include "errors.h"
#include "help.h"
#include "log.h"
#include "mirrortab.h"
#include "options.h"
#include "sector.h"
#include "size.h"
#include "table.h"

#ifndef MIRRORCTL_VERSION
#error "MIRRORCTL_VERSION must be defined by the build (see Makefile)"
#endif

/* --timeout's upper bound: ten years is no timeout an operator means. */
#define TIMEOUT_MAX_S	315360000u

#define OPT(id)		(1u << (id))
_Static_assert(O_NR <= 32, "OPT() bits of an unsigned int");
#define START_OPTS	(OPT(O_REGION_SIZE) | OPT(O_MAX_RATE) | \
			 OPT(O_MIN_RATE) | OPT(O_SPARSE) | \
			 OPT(O_DEST_ZEROED) | OPT(O_NOSYNC) | OPT(O_PAUSED) | \
			 OPT(O_FORCE) | OPT(O_WAIT) | OPT(O_TIMEOUT) | \
			 OPT(O_PROGRESS) | OPT(O_RISK_STALE_METADATA) | \
			 OPT(O_JSON) | OPT(O_METADATA) | OPT(O_MIRRORTAB))

struct action {
	const char *name;
	const char *alias;		/* an older name, or NULL */
	int (*handler)(int argc, const char **argv);
	int min_args;
	int max_args;
	unsigned int options;		/* OPT() bits it takes */
	/* Rules on how the options given (OPT() bits) fit together, or NULL. */
	int (*verify)(unsigned int seen);
	const char *arg_desc;
	const char *help;
	bool no_dm;			/* needs no device-mapper */
};

static int start_verify(unsigned int seen);

static const struct action actions[] = {
	{ "start", NULL, action_start, 2, INT_MAX, START_OPTS, start_verify,
	  "DEVICE DEST [DEVICE DEST]...",
	  "mirror each DEVICE onto its DEST, live", false },
	{ "status", NULL, action_status, 1, 1, OPT(O_JSON), NULL, "DEVICE",
	  "show phase, progress, rate and ETA of a mirror", false },
	{ "list", NULL, action_list, 0, 0, OPT(O_JSON), NULL, "",
	  "show every mirror, one per line", false },
	{ "wait", NULL, action_wait, 1, INT_MAX,
	  OPT(O_TIMEOUT) | OPT(O_PROGRESS), NULL, "DEVICE...",
	  "wait until every mirror is ready (0), or one failed (1)",
	  false },
	{ "monitor", NULL, action_monitor, 1, INT_MAX,
	  OPT(O_TIMEOUT) | OPT(O_INTERVAL) | OPT(O_PROGRESS), NULL,
	  "DEVICE...", "print each phase change, and progress every "
	  "--interval, one JSON line each, until ready", false },
	{ "verify", NULL, action_verify, 1, INT_MAX,
	  OPT(O_REPAIR) | OPT(O_TIMEOUT) | OPT(O_PROGRESS) | OPT(O_JSON), NULL,
	  "DEVICE...", "compare source and destination of every mirror, "
	  "region by region; exit 1 if they differ", false },
	{ "complete", NULL, action_complete, 1, INT_MAX,
	  OPT(O_TIMEOUT) | OPT(O_JSON) | OPT(O_MIRRORTAB) | OPT(O_KEEP_SOURCE) |
	  OPT(O_VERIFY),
	  NULL,
	  "DEVICE...", "switch every DEVICE onto its destination, atomically",
	  false },
	{ "cancel", NULL, action_cancel, 1, INT_MAX,
	  OPT(O_TIMEOUT) | OPT(O_JSON) | OPT(O_MIRRORTAB), NULL,
	  "DEVICE...", "switch every DEVICE back onto its source", false },
	{ "commit", NULL, action_commit, 1, INT_MAX,
	  OPT(O_TIMEOUT) | OPT(O_JSON) | OPT(O_MIRRORTAB), NULL, "DEVICE...",
	  "after complete --keep-source: drop the old source", false },
	{ "revert", NULL, action_revert, 1, INT_MAX,
	  OPT(O_TIMEOUT) | OPT(O_JSON) | OPT(O_MIRRORTAB), NULL, "DEVICE...",
	  "after complete --keep-source: go back to the old source", false },
	{ "pause-copy", "pause", action_pause, 1, 1, OPT(O_TIMEOUT), NULL,
	  "DEVICE", "pause the background copy (writes stay mirrored)", false },
	{ "resume-copy", "resume", action_resume, 1, 1, OPT(O_TIMEOUT), NULL,
	  "DEVICE", "resume the background copy", false },
	{ "set-rate", NULL, action_set_rate, 2, 2,
	  OPT(O_TIMEOUT) | OPT(O_MIN_RATE), NULL, "DEVICE RATE",
	  "limit the background copy to RATE a second (and, with "
	  "--min-rate, how far it yields to the guest)", false },
	{ "recover", NULL, action_recover, 0, 0, OPT(O_TIMEOUT), NULL, "",
	  "finish or undo a swap an interrupted mirrorctl left half done",
	  false },
	{ "wrap", NULL, action_wrap, 2, 2, OPT(O_TIMEOUT), NULL,
	  "BLOCKDEV NAME", "create dm device NAME, linear over BLOCKDEV",
	  false },
	{ "metadata", NULL, action_metadata, 1, 1, OPT(O_JSON), NULL, "META",
	  "show what a metadata device records", true },
	{ "restore", NULL, action_restore, 0, 0,
	  OPT(O_TIMEOUT) | OPT(O_MIRRORTAB), NULL, "",
	  "set up the devices of the mirrortab again, at boot", false },
	{ NULL, NULL, NULL, 0, 0, 0, NULL, NULL, NULL, false }
};

/* "--long", for messages. */
static const char * const opt_names[O_NR] = {
#define MCTL_OPTION_NAME(id, name, short_name, info, value, help) \
	[O_##id] = "--" name,
	MCTL_OPTIONS(MCTL_OPTION_NAME)
#undef MCTL_OPTION_NAME
};

struct mctl_options mctl_opt;
/* --metadata's and --mirrortab's arguments, owned here (freed at the end
 * of main()). */
static char *mctl_metadata_arg;
static char *mctl_mirrortab_arg;

/* What the command line holds beyond mctl_opt. */
struct cmdline {
	unsigned int seen;		/* OPT() bits given */
	bool version;
	bool help;
};

static const struct action *find_action(const char *name)
{
	const struct action *a;

	for (a = actions; a->name; a++)
		if (!strcmp(a->name, name) ||
		    (a->alias && !strcmp(a->alias, name)))
			return a;
	return NULL;
}

/* ------------------------------------------------------------------ */
/* help */

/* Each option as help shows it. */
static const struct {
	const char *name;
	char short_name;
	const char *value;
	const char *help;
} option_help[O_NR] = {
#define MCTL_OPTION_HELP(id, name, short_name, info, value, help) \
	[O_##id] = { name, short_name, value, help },
	MCTL_OPTIONS(MCTL_OPTION_HELP)
#undef MCTL_OPTION_HELP
};

#define GLOBAL_OPTS	(OPT(O_VERBOSE) | OPT(O_DEBUG) | OPT(O_VERSION) | \
			 OPT(O_HELP))

static void print_options(unsigned int which)
{
	char item[64];
	int id;

	for (id = 1; id < O_NR; id++) {
		if (!(which & OPT(id)))
			continue;
		if (option_help[id].short_name)
			snprintf(item, sizeof(item), "-%c, --%s",
				 option_help[id].short_name, option_help[id].name);
		else
			snprintf(item, sizeof(item), "--%s", option_help[id].name);
		if (option_help[id].value)
			snprintf(item + strlen(item), sizeof(item) - strlen(item),
				 "=%s", option_help[id].value);
		help_item(stdout, item, option_help[id].help);
	}
}

/* "start DEVICE DEST [DEVICE DEST]..." */
static void action_synopsis(const struct action *a, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s", a->name, *a->arg_desc ? " " : "",
		 a->arg_desc);
}

static void print_exit_codes(void)
{
	static const char * const codes[] = {
		"success",
		"operation failed: no such device, kernel refused, I/O error, "
		"mirror failed, unparseable kernel status, verify found the "
		"legs differ",
		"usage error",
		"precondition not met: not ready, already mirroring, "
		"destination rejected, not a mirrorlive device",
		"timeout (--timeout)",
	};
	char code[4];
	size_t i;

	printf("Exit status:\n");
	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		snprintf(code, sizeof(code), "%zu", i);
		help_item_col(stdout, code, codes[i], 5);
	}
}

/* mirrorctl --help, mirrorctl help */
static void print_help(void)
{
	const struct action *a;
	char syn[128], text[160];

	printf("Usage: mirrorctl [OPTION...] ACTION [ARG...]\n"
	       "Move a live block device onto another one with "
	       "dm-mirrorlive.\n\nActions:\n");
	for (a = actions; a->name; a++) {
		action_synopsis(a, syn, sizeof(syn));
		snprintf(text, sizeof(text), "%s%s%s%s", a->help,
			 a->alias ? " (also: " : "", a->alias ? a->alias : "",
			 a->alias ? ")" : "");
		help_item(stdout, syn, text);
	}
	help_item(stdout, "help [ACTION]",
		  "this help, or the usage and options of ACTION");
	printf("\nOptions of every action:\n");
	print_options(GLOBAL_OPTS);
	printf("\n");
	help_para(stdout, "'mirrorctl help ACTION' or 'mirrorctl ACTION --help' "
		  "shows the options of ACTION.");
	printf("\n");
	help_para(stdout, "DEVICE is a dm name, /dev/mapper/NAME or a node such "
		  "as /dev/dm-N. DEST and BLOCKDEV are block devices. SIZE and "
		  "RATE take binary units: K or KiB, M or MiB, G or GiB, T or "
		  "TiB (512K, 100MiB); a SIZE without one is in bytes. A RATE "
		  "is per second (100M, 100MiB/s); 0 = unlimited is the only "
		  "RATE without a unit.");
	printf("\n");
	print_exit_codes();
}

/* mirrorctl help ACTION, mirrorctl ACTION --help */
static void print_action_help(const struct action *a)
{
	char syn[128];

	action_synopsis(a, syn, sizeof(syn));
	printf("Usage: mirrorctl %s%s\n", syn,
	       a->options ? " [OPTION...]" : "");
	help_para(stdout, a->help);
	if (a->alias)
		printf("Also called: %s\n", a->alias);
	if (a->options) {
		printf("\nOptions:\n");
		print_options(a->options);
	}
	printf("\nOptions of every action:\n");
	print_options(GLOBAL_OPTS);
	printf("\n");
	print_exit_codes();
}

/* mirrorctl help [ACTION] */
static int run_help(const char **args)
{
	const struct action *a;

	if (!args || !args[0]) {
		print_help();
		return 0;
	}
	if (args[1]) {
		log_err("help: wrong number of arguments, usage: mirrorctl "
			"help [ACTION]");
		return -MCTL_EUSAGE;
	}
	a = find_action(args[0]);
	if (!a) {
		log_err("%s: unknown action", args[0]);
		return -MCTL_EUSAGE;
	}
	print_action_help(a);
	return 0;
}

static void print_try_help(void)
{
	fprintf(stderr, "Try 'mirrorctl --help' for more information.\n");
}

/* ------------------------------------------------------------------ */
/* option values */

static int parse_region_size(const char *arg)
{
	uint64_t bytes;

	if (size_parse(arg, &bytes) || bytes < (MIRROR_REGION_MIN << SECTOR_SHIFT) ||
	    bytes > ((uint64_t)MIRROR_REGION_MAX << SECTOR_SHIFT) || (bytes & (bytes - 1))) {
		log_err("--region-size %s: expected a power of two from 4K to 1G",
			arg);
		return -MCTL_EUSAGE;
	}
	mctl_opt.region_sectors = bytes >> SECTOR_SHIFT;
	return 0;
}

/* --max-rate or --min-rate (@opt): a RATE as KiB/s in *@kbps */
static int parse_rate(const char *arg, const char *opt, uint32_t *kbps,
		      bool *has)
{
	uint64_t bytes;
	int r;

	r = rate_parse(arg, &bytes);
	if (!r)
		r = rate_to_kbps(bytes, kbps);
	if (r) {
		log_err("%s %s: %s", opt, arg, r == -ERANGE ? "too large" :
			r == -EDOM ? "no unit: expected " RATE_FORMS :
			"expected " RATE_FORMS);
		return -MCTL_EUSAGE;
	}
	*has = true;
	return 0;
}

static int parse_timeout(const char *arg)
{
	uint64_t v;

	if (decimal_u64(arg, DECIMAL_NUL, &v, NULL) || v > TIMEOUT_MAX_S) {
		log_err("--timeout %s: expected whole seconds, 0 to %u", arg,
			TIMEOUT_MAX_S);
		return -MCTL_EUSAGE;
	}
	mctl_opt.timeout_s = v;
	mctl_opt.has_timeout = true;
	return 0;
}

/* --interval's upper bound: a report a day */
#define INTERVAL_MAX_S	86400u

static int parse_interval(const char *arg)
{
	uint64_t v;

	if (decimal_u64(arg, DECIMAL_NUL, &v, NULL) || v < 1 ||
	    v > INTERVAL_MAX_S) {
		log_err("--interval %s: expected whole seconds, 1 to %u", arg,
			INTERVAL_MAX_S);
		return -MCTL_EUSAGE;
	}
	mctl_opt.interval_s = v;
	return 0;
}

/* Store option @id (its argument, if any, is @arg). */
/* A copy: popt's argument is freed after set_option() (freed at exit). */
static int parse_path(const char *arg, const char *opt, const char *what,
		      char **copy, const char **value)
{
	if (!arg || !*arg) {
		log_err("%s: expected %s", opt, what);
		return -MCTL_EUSAGE;
	}
	free(*copy);
	*copy = strdup(arg);
	if (!*copy)
		return -ENOMEM;
	*value = *copy;
	return 0;
}

static int set_option(struct cmdline *cl, int id, const char *arg)
{
	cl->seen |= OPT(id);
	switch (id) {
	case O_VERBOSE:		mctl_opt.verbose = true; return 0;
	case O_DEBUG:		mctl_opt.debug = true; return 0;
	case O_VERSION:		cl->version = true; return 0;
	case O_HELP:		cl->help = true; return 0;
	case O_REGION_SIZE:	return parse_region_size(arg);
	case O_MAX_RATE:	return parse_rate(arg, "--max-rate",
					      &mctl_opt.max_kbps,
					      &mctl_opt.has_max_rate);
	case O_MIN_RATE:	return parse_rate(arg, "--min-rate",
					      &mctl_opt.min_kbps,
					      &mctl_opt.has_min_rate);
	case O_SPARSE:		mctl_opt.sparse = true; return 0;
	case O_DEST_ZEROED:	mctl_opt.dest_zeroed = true; return 0;
	case O_NOSYNC:		mctl_opt.nosync = true; return 0;
	case O_PAUSED:		mctl_opt.paused = true; return 0;
	case O_FORCE:		mctl_opt.force = true; return 0;
	case O_METADATA:
		return parse_path(arg, "--metadata", "a block device",
				  &mctl_metadata_arg, &mctl_opt.metadata);
	case O_MIRRORTAB:
		return parse_path(arg, "--mirrortab", "a file",
				  &mctl_mirrortab_arg, &mctl_opt.mirrortab);
	case O_RISK_STALE_METADATA:
		mctl_opt.risk_stale_metadata = true;
		return 0;
	case O_WAIT:		mctl_opt.wait = true; return 0;
	case O_TIMEOUT:		return parse_timeout(arg);
	case O_INTERVAL:	return parse_interval(arg);
	case O_PROGRESS:	mctl_opt.progress = true; return 0;
	case O_JSON:		mctl_opt.json = true; return 0;
	case O_KEEP_SOURCE:	mctl_opt.keep_source = true; return 0;
	case O_VERIFY:		mctl_opt.verify = true; return 0;
	case O_REPAIR:		mctl_opt.repair = true; return 0;
	}
	return -MCTL_EUSAGE;
}

/* The options given must be ones @a takes, and fit together. */
static int check_options(const struct action *a, unsigned int seen)
{
	unsigned int bad = seen & ~(a->options | GLOBAL_OPTS);
	int id;

	for (id = 1; id < O_NR; id++) {
		if (bad & OPT(id)) {
			log_err("%s: not an option of %s", opt_names[id],
				a->name);
			return -MCTL_EUSAGE;
		}
	}
	return a->verify ? a->verify(seen) : 0;
}

/* start's options: --progress belongs to --wait. */
static int start_verify(unsigned int seen)
{
	if ((seen & OPT(O_PROGRESS)) && !(seen & OPT(O_WAIT))) {
		log_err("--progress: start takes it with --wait only");
		return -MCTL_EUSAGE;
	}
	if ((seen & OPT(O_NOSYNC)) && (seen & OPT(O_PAUSED))) {
		log_err("--nosync: conflicts with --paused (nothing to copy)");
		return -MCTL_EUSAGE;
	}
	return 0;
}

/* Check the argument count of @a and run it. */
static int run_action(const struct action *a, const char **args)
{
	int nargs = 0;
	int r;

	while (args && args[nargs])
		nargs++;
	if (nargs < a->min_args || nargs > a->max_args) {
		log_err("%s: wrong number of arguments, usage: mirrorctl %s%s%s",
			a->name, a->name, *a->arg_desc ? " " : "", a->arg_desc);
		return -MCTL_EUSAGE;
	}

	if (mctl_opt.has_timeout)
		mctl_opt.deadline_us = clock_now_us() +
				       (uint64_t)mctl_opt.timeout_s * 1000000;
	if (a->no_dm)
		return a->handler(nargs, args);
	dmctl_init();
	r = dmctl_check_access();
	if (!r)
		r = a->handler(nargs, args);
	dmctl_exit();
	return r;
}

/* Parse the command line and run the action; returns 0/-errno/-MCTL_E*. */
static int run(poptContext ctx)
{
	struct cmdline cl = { 0 };
	const struct action *a;
	const char *name;
	char *arg;
	int r;

	while ((r = poptGetNextOpt(ctx)) > 0) {
		arg = poptGetOptArg(ctx);
		r = set_option(&cl, r, arg);
		free(arg);
		if (r)
			return r;
	}
	if (r < -1) {
		log_err("%s: %s", poptBadOption(ctx, POPT_BADOPTION_NOALIAS),
			poptStrerror(r));
		return -MCTL_EUSAGE;
	}
	log_set_level(mctl_opt.verbose, mctl_opt.debug);

	if (cl.help) {
		/* mirrorctl ACTION --help: that action's help */
		name = poptPeekArg(ctx);
		a = name ? find_action(name) : NULL;
		if (a)
			print_action_help(a);
		else
			print_help();
		return 0;
	}
	if (cl.version) {
		printf("mirrorctl %s\n", MIRRORCTL_VERSION);
		return 0;
	}

	name = poptGetArg(ctx);
	if (!name) {
		log_err("no action given: expected one of the actions in --help");
		return -MCTL_EUSAGE;
	}
	if (!strcmp(name, "help")) {
		return run_help(poptGetArgs(ctx));
	}
	a = find_action(name);
	if (!a) {
		log_err("%s: unknown action", name);
		return -MCTL_EUSAGE;
	}
	r = check_options(a, cl.seen);
	if (r)
		return r;
	log_dbg("running action %s", a->name);
	return run_action(a, poptGetArgs(ctx));
}

int main(int argc, const char **argv)
{
	struct poptOption options[] = {
#define MCTL_POPT_ROW(id, name, short_name, info, value, help) \
		{ name, short_name, info, NULL, O_##id, help, value },
		MCTL_OPTIONS(MCTL_POPT_ROW)
#undef MCTL_POPT_ROW
		POPT_TABLEEND
	};
	poptContext ctx;
	int r;

	/* Fresh options on every call: the unit tests call main() repeatedly. */
	memset(&mctl_opt, 0, sizeof(mctl_opt));
	mctl_opt.mirrortab = MIRRORTAB_DEFAULT;
	log_set_level(false, false);
	ctx = poptGetContext("mirrorctl", argc, argv, options, 0);
	if (!ctx) {
		log_err("cannot parse the command line: %s", strerror(ENOMEM));
		return mctl_exit_code(-ENOMEM);
	}

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
		log_verbose("failed: %s (exit %d)", mctl_strerror(r),
			    mctl_exit_code(r));

	poptFreeContext(ctx);
	log_keep_errors(false);
	free(mctl_metadata_arg);
	mctl_metadata_arg = NULL;
	mctl_opt.metadata = NULL;
	free(mctl_mirrortab_arg);
	mctl_mirrortab_arg = NULL;
	mctl_opt.mirrortab = MIRRORTAB_DEFAULT;
	return mctl_exit_code(r);
}
