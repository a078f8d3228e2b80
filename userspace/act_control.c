// SPDX-License-Identifier: GPL-2.0-only
/*
 * act_control.c - pause, resume, set-rate and wrap
 *
 * pause, resume and set-rate send the target's messages
 * (Documentation/interface.rst, section 4) to every mirrorlive segment of the
 * device, addressed by its first sector; set-rate shares the device's RATE
 * among the segments. wrap creates the linear passthrough a VMM can open now
 * and start can mirror later.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "actions.h"
#include "blockdev.h"
#include "dm.h"
#include "errors.h"
#include "lock.h"
#include "log.h"
#include "sector.h"
#include "size.h"
#include "table.h"

int rate_to_kbps(uint64_t bytes_per_sec, uint32_t *kbps)
{
	uint64_t k = bytes_per_sec / 1024 + !!(bytes_per_sec % 1024);

	if (k > MIRROR_KBPS_MAX)
		return -ERANGE;
	*kbps = k;
	return 0;
}

uint32_t rate_per_segment(uint32_t kbps, size_t nr_segments)
{
	if (!kbps || nr_segments <= 1)
		return kbps;
	return kbps / nr_segments ? kbps / nr_segments : 1;
}

/* set-rate's RATE, and --min-rate's when given, for the whole device */
struct segment_rates {
	uint32_t max_kbps;
	bool set_min;
	uint32_t min_kbps;
};

/*
 * Send @msg to every mirrorlive segment of @device; with @rates, instead
 * "max_copy_kbps N" with each segment's share of rates->max_kbps, after
 * "min_copy_kbps N" likewise when rates->set_min.  Under the lock: a rate
 * change alters the table line the kernel prints, which start, complete
 * and cancel compare while the device is suspended.
 */

static int message_segments(const char *device, const char *msg,
			    const struct segment_rates *rates)
{
	char max_msg[48], min_msg[48];
	struct dmctl_info info;
	struct table *t;
	size_t i, nr, sent = 0;
	struct mctl_lock lock;
	int r;

	r = lock_take(&lock, mctl_opt.deadline_us);
	if (!r)
		r = dmctl_get_info(device, &info);
	if (!r)
		r = dmctl_get_table(info.name, false, &t);
	if (r) {
		lock_release(&lock);
		return r;
	}
	if (rates) {
		nr = table_count_target(t, TARGET_MIRRORLIVE);
		snprintf(max_msg, sizeof(max_msg), "max_copy_kbps %" PRIu32,
			 rate_per_segment(rates->max_kbps, nr));
		snprintf(min_msg, sizeof(min_msg), "min_copy_kbps %" PRIu32,
			 rate_per_segment(rates->min_kbps, nr));
		msg = max_msg;
	}
	for (i = 0; i < t->nr && !r; i++) {
		if (!table_line_is_mirror(&t->lines[i]))
			continue;
		if (rates && rates->set_min)
			r = dmctl_message(info.name, t->lines[i].start,
					  min_msg);
		if (!r)
			r = dmctl_message(info.name, t->lines[i].start, msg);
		sent += !r;
	}
	if (!r && !sent) {
		log_err("%s: not mirroring (%s)", info.name,
			t->nr ? t->lines[0].target : "no table loaded");
		r = -MCTL_EPRECOND;
	}
	lock_release(&lock);
	if (!r)
		log_verbose("%s: sent \"%s\"%s%s to %zu segment%s", info.name,
			    msg, rates && rates->set_min ? " and " : "",
			    rates && rates->set_min ? min_msg : "", sent,
			    sent > 1 ? "s" : "");
	table_free(t);
	return r;
}

static int message_all(const char *device, const char *msg)
{
	return message_segments(device, msg, NULL);
}

int action_pause(int argc, const char **argv)
{
	(void)argc;
	return message_all(argv[0], "pause_copy");
}

int action_resume(int argc, const char **argv)
{
	(void)argc;
	return message_all(argv[0], "resume_copy");
}

int action_set_rate(int argc, const char **argv)
{
	struct segment_rates rates = {
		.set_min = mctl_opt.has_min_rate,
		.min_kbps = mctl_opt.min_kbps,
	};
	uint64_t bytes;
	int r;

	(void)argc;
	r = rate_parse(argv[1], &bytes);
	if (!r)
		r = rate_to_kbps(bytes, &rates.max_kbps);
	if (r) {
		log_err("%s: invalid RATE: %s", argv[1],
			r == -ERANGE ? "too large" :
			r == -EDOM ? "no unit: expected " RATE_FORMS :
			"expected " RATE_FORMS);
		return -MCTL_EUSAGE;
	}
	return message_segments(argv[0], NULL, &rates);
}

/*
 * The dm UUID wrap gives NAME: WRAP_UUID_PREFIX NAME, so that udev links
 * /dev/disk/by-id/dm-uuid-MIRRORLIVE-NAME and tools can tell the project's
 * devices apart (Documentation/interface.rst, 7.3).  A NAME too long for
 * DM_UUID_LEN keeps its first 100 characters and gains "-" and 16 hex
 * digits of its FNV-1a hash, so that the UUID stays unique.
 */
#define WRAP_UUID_PREFIX	"MIRRORLIVE-"
#define WRAP_UUID_MAX		128	/* DM_UUID_LEN without the NUL */

static void wrap_uuid(const char *name, char *uuid, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	const char *p;

	if (strlen(WRAP_UUID_PREFIX) + strlen(name) <= WRAP_UUID_MAX) {
		snprintf(uuid, len, WRAP_UUID_PREFIX "%s", name);
		return;
	}
	for (p = name; *p; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
	snprintf(uuid, len, WRAP_UUID_PREFIX "%.100s-%016" PRIx64, name, h);
}

int action_wrap(int argc, const char **argv)
{
	const char *disk = argv[0], *name = argv[1];
	struct blockdev bd;
	struct table *t;
	struct mctl_lock lock;
	char params[32], uuid[WRAP_UUID_MAX + 1];
	int r;

	(void)argc;
	r = dmctl_check_new_name(name);
	if (!r)
		r = blockdev_get(disk, &bd);
	if (r)
		return r;
	if (bd.size_bytes < 512) {
		log_err("%s: device is empty", disk);
		return -MCTL_EPRECOND;
	}
	r = blockdev_open_exclusive(disk);
	if (r == -EBUSY) {
		log_err("%s: device is in use (mounted, or held by another "
			"process or device)", disk);
		return -MCTL_EPRECOND;
	}
	if (r) {
		log_err("%s: cannot open: %s", disk, strerror(-r));
		return r;
	}

	t = table_new();
	snprintf(params, sizeof(params), "%u:%u 0", bd.major, bd.minor);
	r = t ? table_add(t, 0, bd.size_bytes >> SECTOR_SHIFT, TARGET_LINEAR, params) :
		-ENOMEM;
	if (r) {
		log_err("%s: %s", name, strerror(ENOMEM));
		table_free(t);
		return r;
	}
	wrap_uuid(name, uuid, sizeof(uuid));
	r = lock_take(&lock, mctl_opt.deadline_us);
	if (!r)
		r = dmctl_create(name, uuid, t);
	lock_release(&lock);
	table_free(t);
	if (r == -EEXIST) {
		log_err("%s: a device of that name, or of dm UUID %s, exists",
			name, uuid);
		return -MCTL_EPRECOND;
	}
	if (!r)
		log_verbose("%s: created /dev/mapper/%s over %s", name, name,
			    disk);
	return r;
}
