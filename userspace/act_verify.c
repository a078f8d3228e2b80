// SPDX-License-Identifier: GPL-2.0-only
/*
 * act_verify.c - verify, and the verify pass of complete --verify
 *
 * Both run verify.h's passes and judge how each device's ended
 * (Documentation/interface.rst, section 7.3): done with nothing left
 * mismatched is success; mismatches left, a pass ended in error, stopped
 * by someone else or gone with its table are failures, each said on
 * stderr.  verify prints what it found (verify_report.h); complete
 * --verify only refuses (exit 3), so that no table is touched.
 */
#include <errno.h>
#include <inttypes.h>

#include "act_verify.h"
#include "actions.h"
#include "errors.h"
#include "log.h"
#include "verify.h"
#include "verify_report.h"

/* How many mismatches an error message names. */
#define VERIFY_SAY_MAX		8

/* A done pass: 0 when no mismatched region is left, else why not. */
static int judge_done(const struct verify_dev *d, const char *tail)
{
	const struct report *rep = &d->rep;
	char where[512];

	if (rep->mismatched_regions <= rep->repaired_regions)
		return 0;
	verify_report_offsets(d, VERIFY_SAY_MAX, where, sizeof(where));
	if (rep->repaired_regions)
		log_err("%s: source and destination differ: %" PRIu64 " of %"
			PRIu64 " mismatched regions not repaired, mismatched at "
			"%s%s", d->info.name,
			rep->mismatched_regions - rep->repaired_regions,
			rep->mismatched_regions, where, tail);
	else
		log_err("%s: source and destination differ: %" PRIu64
			" mismatched region%s at %s%s", d->info.name,
			rep->mismatched_regions,
			rep->mismatched_regions == 1 ? "" : "s", where, tail);
	return -MCTL_EDIFFER;
}

/*
 * How the passes of @d ended, said when it is a failure: 0, -MCTL_EDIFFER
 * (regions left mismatched), -ECANCELED (stopped by someone else, or gone
 * with a table swap), -MCTL_EMIRROR (the mirror failed meanwhile) or -EIO
 * (a read of the source failed).  @tail ends each message.  Nothing is
 * said of a device without results, or whose passes verify_run() stopped:
 * it said why.
 */
static int judge(const struct verify_dev *d, const char *tail)
{
	const struct report *rep = &d->rep;

	if (!d->ended || d->stopped)
		return 0;
	switch (rep->verify) {
	case MIRROR_VERIFY_DONE:
		return judge_done(d, tail);
	case MIRROR_VERIFY_STOPPED:
		log_err("%s: verify: its pass was stopped by someone else "
			"(verify stop, or a suspend of the device) after %"
			PRIu64 " of %" PRIu64 " regions%s", d->info.name,
			rep->verified_regions, rep->copied_regions, tail);
		return -ECANCELED;
	case MIRROR_VERIFY_ERROR:
		if (rep->phase == MIRROR_FAILED) {
			log_err("%s: verify: the pass ended in error: mirror "
				"failed (%s)%s", d->info.name, rep->reason, tail);
			return -MCTL_EMIRROR;
		}
		log_err("%s: verify: the pass ended in error: a read of the "
			"source failed (%" PRIu64 " source errors, see the "
			"kernel log)%s", d->info.name, rep->source_errors, tail);
		return -EIO;
	default:
		log_err("%s: verify: its pass is gone: the table was replaced "
			"meanwhile%s", d->info.name, tail);
		return -ECANCELED;
	}
}

int action_verify(int argc, const char **argv)
{
	struct verify_dev *d;
	int i, r, rr;

	d = verify_devs_new(argv, argc);
	if (!d)
		return -ENOMEM;
	if (mctl_opt.json)
		log_keep_errors(true);
	r = verify_run(d, argc, mctl_opt.repair, mctl_opt.deadline_us,
		       mctl_opt.progress);
	for (i = 0; i < argc; i++) {
		if (!mctl_opt.json)
			verify_report_human(stdout, &d[i]);
		rr = judge(&d[i], "");
		if (!r)
			r = rr;
	}
	if (mctl_opt.json) {
		rr = verify_report_json(d, argc, r, mctl_opt.repair);
		if (!r)
			r = rr;
		log_keep_errors(false);
	}
	verify_devs_free(d, argc);
	return r;
}

/* complete --verify: every copied region compared, none mismatched. */
static int judge_for_complete(const struct verify_dev *d)
{
	static const char tail[] = ": staying on the source";
	const struct report *rep = &d->rep;

	if (judge(d, tail))
		return -MCTL_EPRECOND;
	if (rep->verified_regions < rep->copied_regions) {
		log_err("%s: verify: %" PRIu64 " of %" PRIu64 " copied regions "
			"were not verified (copied during the pass)%s",
			d->info.name, rep->copied_regions -
			rep->verified_regions, rep->copied_regions, tail);
		return -MCTL_EPRECOND;
	}
	log_verbose("%s: verified %" PRIu64 " regions: source and destination "
		    "are equal", d->info.name, rep->verified_regions);
	return 0;
}

int verify_before_complete(const char * const *names, int nr)
{
	struct verify_dev *d;
	int i, r, rr;

	d = verify_devs_new(names, nr);
	if (!d)
		return -ENOMEM;
	r = verify_run(d, nr, false, mctl_opt.deadline_us, false);
	/* Unless cut short (said why, the passes stopped): each device. */
	for (i = 0; i < nr && r != -ETIMEDOUT && r != -EINTR; i++) {
		rr = d[i].ended ? judge_for_complete(&d[i]) : 0;
		if (!r)
			r = rr;
	}
	verify_devs_free(d, nr);
	return r;
}
