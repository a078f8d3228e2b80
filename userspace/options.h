/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * options.h - mirrorctl's command-line options, each declared once
 *
 * MCTL_OPTIONS(X) lists every option as
 *
 *   X(ID, long name, short name or 0, popt argInfo, value name or NULL,
 *     help text)
 *
 * in the order --help shows them.  mirrorctl.c makes of it the option ids
 * (O_ID), their names for messages ("--long"), and popt's table; only
 * storing a value (set_option()) and which action takes which option (the
 * action table) are written out by hand.  The list is cryptsetup's
 * cryptsetup_arg_list.h idea.
 */
#ifndef MIRRORCTL_OPTIONS_H
#define MIRRORCTL_OPTIONS_H

#include <popt.h>

#define MCTL_OPTIONS(X)							\
	X(REGION_SIZE, "region-size", 0, POPT_ARG_STRING, "SIZE",	\
	  "copy and lock granularity (4K..1G, power of two; "	\
	  "default 512K)")						\
	X(MAX_RATE, "max-rate", 0, POPT_ARG_STRING, "RATE",		\
	  "limit the background copy to RATE a second (0 = unlimited)")		\
	X(MIN_RATE, "min-rate", 0, POPT_ARG_STRING, "RATE",		\
	  "yield to the guest: while it does I/O, copy at only RATE a "	\
	  "second (0 = never yield)")					\
	X(SPARSE, "sparse", 0, POPT_ARG_NONE, NULL,			\
	  "write all-zero regions as write-zeroes")		\
	X(DEST_ZEROED, "dest-zeroed", 0, POPT_ARG_NONE, NULL,		\
	  "DEST reads as zeroes: skip all-zero regions")		\
	X(NOSYNC, "nosync", 0, POPT_ARG_NONE, NULL,			\
	  "DEST already holds the data: copy nothing")		\
	X(PAUSED, "paused", 0, POPT_ARG_NONE, NULL,			\
	  "start with the background copy paused")			\
	X(FORCE, "force", 0, POPT_ARG_NONE, NULL,			\
	  "overwrite a DEST that carries a signature, a META that "	\
	  "holds another record")					\
	X(METADATA, "metadata", 0, POPT_ARG_STRING, "META",		\
	  "keep a record on META, so the mirror survives a reboot "	\
	  "(one DEVICE)")						\
	X(KEEP_SOURCE, "keep-source", 0, POPT_ARG_NONE, NULL,		\
	  "complete: keep the old source in sync, for commit or revert") \
	X(VERIFY, "verify", 0, POPT_ARG_NONE, NULL,			\
	  "complete: first compare source and destination; refuse "	\
	  "(exit 3) if they differ")					\
	X(REPAIR, "repair", 0, POPT_ARG_NONE, NULL,			\
	  "verify: write the source over each region that differs")	\
	X(MIRRORTAB, "mirrortab", 0, POPT_ARG_STRING, "FILE",		\
	  "the table of persistent mirrors (default /etc/mirrortab)")	\
	X(RISK_STALE_METADATA, "risk-stale-metadata", 0, POPT_ARG_NONE,	\
	  NULL, "move a volume manager's device anyway (its "	\
	  "next reload maps the source again)")				\
	X(WAIT, "wait", 0, POPT_ARG_NONE, NULL,				\
	  "then wait until every mirror is ready")				\
	X(TIMEOUT, "timeout", 0, POPT_ARG_STRING, "SECS",		\
	  "give up waiting after SECS (exit 4): for the lock; wait, "	\
	  "monitor, start --wait, complete: for ready; verify: for "	\
	  "its passes")							\
	X(INTERVAL, "interval", 0, POPT_ARG_STRING, "SECS",		\
	  "a progress report every SECS (default: phase changes only)") \
	X(PROGRESS, "progress", 0, POPT_ARG_NONE, NULL,			\
	  "a progress line, on a terminal; monitor: text, not JSON")	\
	X(JSON, "json", 0, POPT_ARG_NONE, NULL,				\
	  "print JSON (start, complete, cancel, verify: what was done)") \
	X(VERBOSE, "verbose", 'v', POPT_ARG_NONE, NULL,			\
	  "say what is being done")					\
	X(DEBUG, "debug", 0, POPT_ARG_NONE, NULL,			\
	  "show debug messages, libdevmapper's too (implies --verbose)") \
	X(VERSION, "version", 'V', POPT_ARG_NONE, NULL,			\
	  "print the version and exit")					\
	X(HELP, "help", 'h', POPT_ARG_NONE, NULL,			\
	  "show the help (of ACTION, after one) and exit")

/* Option ids, from 1: popt returns 0 and negative values for itself. */
enum opt_id {
	O_NONE,
#define MCTL_OPTION_ID(id, name, short_name, info, value, help) O_##id,
	MCTL_OPTIONS(MCTL_OPTION_ID)
#undef MCTL_OPTION_ID
	O_NR
};

#endif /* MIRRORCTL_OPTIONS_H */
