/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * log.h - messages to the operator
 *
 * All of mirrorctl's diagnostics go to stderr, so stdout carries only what
 * an action was asked to print (and can be parsed, e.g. by --json later).
 *
 *   error    "mirrorctl: <what>: <why>"  always printed
 *   verbose  "mirrorctl: <text>"         with --verbose or --debug
 *   debug    "# <text>"                  with --debug only
 *
 * Callers pass the text without the prefix and without a trailing newline.
 */
#ifndef MIRRORCTL_LOG_H
#define MIRRORCTL_LOG_H

#include <stdbool.h>
#include <stddef.h>

/*
 * log_set_level - choose which messages are printed
 * @verbose: print log_verbose() messages
 * @debug: print log_dbg() messages too; implies @verbose
 */
void log_set_level(bool verbose, bool debug);

void log_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_verbose(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_dbg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * log_keep_errors - from now on (@on) keep a copy of every log_err()
 * message, for a JSON result (result_json.h), those kept already too when
 * it was on; with !@on drop the copies and stop.  At most LOG_KEPT_MAX are kept; later ones are only printed.
 * log_kept_errors - the messages kept, in order, without the "mirrorctl: "
 * prefix; *@nr of them
 */
#define LOG_KEPT_MAX	32
void log_keep_errors(bool on);
const char * const *log_kept_errors(size_t *nr);

/*
 * log_syslog - @msg to syslog (the system journal), facility user,
 * priority notice, as "mirrorctl[PID]: MSG"; for the record of what
 * mirrorctl changed (swaplog.h), not for the operator at the terminal.
 * Dropped silently when no syslog daemon listens.
 */
void log_syslog(const char *msg);

#endif /* MIRRORCTL_LOG_H */
