/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * actions.h - the actions of mirrorctl's action table
 *
 * mirrorctl.c parses the command line into mctl_opt, checks each option is
 * one the action takes, checks the argument count, and calls the handler
 * with the action's arguments.  A handler returns 0, -errno or -MCTL_E*,
 * having printed the reason; mctl_exit_code() makes the exit status of it.
 */
#ifndef MIRRORCTL_ACTIONS_H
#define MIRRORCTL_ACTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Options, parsed and checked; zeroed before every command line. */
struct mctl_options {
	bool verbose;
	bool debug;
	uint32_t region_sectors;	/* --region-size; 0: the default */
	bool has_max_rate;
	uint32_t max_kbps;		/* --max-rate, KiB/s; 0: unlimited */
	bool has_min_rate;
	uint32_t min_kbps;		/* --min-rate, KiB/s; 0: never yield */
	bool sparse;
	bool dest_zeroed;
	bool nosync;
	bool paused;
	bool force;
	bool risk_stale_metadata;
	const char *metadata;		/* start --metadata, or NULL */
	const char *mirrortab;		/* --mirrortab, or MIRRORTAB_DEFAULT */
	bool keep_source;		/* complete --keep-source */
	bool verify;			/* complete --verify */
	bool repair;			/* verify --repair */
	bool wait;
	bool progress;
	bool json;
	bool has_timeout;
	unsigned int timeout_s;		/* --timeout */
	unsigned int interval_s;	/* --interval; 0: none */
	/*
	 * --timeout as a clock_now_us() time, set when the action starts,
	 * or 0: every wait of the command (for the lock, for ready) ends by
	 * then
	 */
	uint64_t deadline_us;
};

extern struct mctl_options mctl_opt;

int action_start(int argc, const char **argv);
int action_status(int argc, const char **argv);
int action_list(int argc, const char **argv);
int action_wait(int argc, const char **argv);
int action_complete(int argc, const char **argv);
int action_cancel(int argc, const char **argv);
int action_pause(int argc, const char **argv);
int action_resume(int argc, const char **argv);
int action_set_rate(int argc, const char **argv);
int action_wrap(int argc, const char **argv);
int action_recover(int argc, const char **argv);
int action_monitor(int argc, const char **argv);
int action_metadata(int argc, const char **argv);
int action_restore(int argc, const char **argv);
int action_commit(int argc, const char **argv);
int action_revert(int argc, const char **argv);
int action_verify(int argc, const char **argv);

/*
 * rate_to_kbps - a RATE in bytes/s as the kernel's KiB/s, rounded up so
 * that a small non-zero rate never becomes 0 (unlimited).  Returns 0, or
 * -ERANGE when it does not fit the kernel's 32 bits.
 */
int rate_to_kbps(uint64_t bytes_per_sec, uint32_t *kbps);

/*
 * rate_per_segment - each segment's share of a device's rate limit: every
 * mirrorlive segment copies on its own, so a device of @nr_segments gets
 * @kbps / @nr_segments each (at least 1 KiB/s; 0 stays unlimited).
 */
uint32_t rate_per_segment(uint32_t kbps, size_t nr_segments);

#endif /* MIRRORCTL_ACTIONS_H */
