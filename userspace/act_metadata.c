// SPDX-License-Identifier: GPL-2.0-only
/*
 * act_metadata.c - metadata: print what a metadata device records
 *
 * metadata.h reads and sums up the device; this prints it as text or as
 * one JSON document:
 *
 *   {"version": 1, "metadata": {"path": P, "valid": true, "reason": null,
 *    "format_version": 1, "live_slot": 1, "seq": 7, "nonce": "0x...",
 *    "state": "migrating", "clean": true, "reversed": false,
 *    "mirror_id": "00..0f" | null,
 *    "length_sectors": N, "region_size_bytes": N, "regions": N,
 *    "source_offset_sectors": N, "source_sectors": N,
 *    "destination_offset_sectors": N, "destination_sectors": N,
 *    "copied_regions": N, "dirty_regions": N, "uncopied_regions": N,
 *    "invalid_copied_blocks": N, "invalid_intent_blocks": N,
 *    "format_time": T, "commit_time": T,
 *    "device_bytes": N, "needed_bytes": N,
 *    "slots": [{"result": "valid" | "empty" | "invalid",
 *               "reason": null | R, "seq": N | null}, ...]}}
 *
 * A device that is refused still gets its document, "valid": false with
 * the reason and what is known (the rest null); the exit status is 3.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "actions.h"
#include "errors.h"
#include "json_build.h"
#include "log.h"
#include "metadata.h"
#include "output.h"
#include "report_json.h"
#include "size.h"

#define TIME_MAX	32
#define MIRROR_ID_HEX	(2 * MIRRORLIVE_META_MIRROR_ID_LEN + 1)

static void format_time(uint64_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) ||
	    !strftime(buf, len, "%Y-%m-%d %H:%M:%S UTC", &tm))
		snprintf(buf, len, "%" PRIu64 " s", t);
}

/* The mirror id in hex, or NULL when it is all zeroes (none given). */
static const char *mirror_id_hex(const struct meta_sb *sb, char *buf)
{
	unsigned int i, any = 0;

	for (i = 0; i < MIRRORLIVE_META_MIRROR_ID_LEN; i++) {
		any |= sb->mirror_id[i];
		sprintf(buf + 2 * i, "%02x", sb->mirror_id[i]);
	}
	return any ? buf : NULL;
}

static const char *slot_result_name(int result)
{
	return !result ? "valid" : result == -ENODATA ? "empty" : "invalid";
}

/* ------------------------------------------------------------------ */
/* text */

static void print_bytes_field(const char *label, const char *prefix,
			      uint64_t bytes)
{
	char size[SIZE_FORMAT_MAX];

	size_format(bytes, size, sizeof(size));
	output_field(stdout, label, "%s%s", prefix, size);
}

static void print_human(const char *path, const struct meta_summary *sum)
{
	const struct meta_sb *sb = &sum->sb;
	char t[TIME_MAX], id[MIRROR_ID_HEX], a[SIZE_FORMAT_MAX];
	char b[SIZE_FORMAT_MAX], prefix[64];
	uint64_t region_bytes = (uint64_t)sb->region_sectors << 9;

	printf("%s: mirrorlive metadata, format version %u\n", path,
	       MIRRORLIVE_META_VERSION);
	output_field(stdout, "state", "%s, %s", meta_state_name(sb->state),
		     sb->flags & MIRRORLIVE_META_SB_CLEAN ?
		     "clean (shut down cleanly)" :
		     "not clean (in use, or crashed)");
	if (sb->flags & MIRRORLIVE_META_SB_REVERSED)
		output_field(stdout, "legs", "reversed: a kept mirror, its "
			     "source the destination of the migration that "
			     "formatted it");
	format_time(sb->commit_time, t, sizeof(t));
	output_field(stdout, "superblock", "slot %d, seq %" PRIu64 ", %s",
		     sum->live, sb->seq, t);
	format_time(sb->format_time, t, sizeof(t));
	output_field(stdout, "formatted", "%s", t);
	output_field(stdout, "mirror id", "%s",
		     mirror_id_hex(sb, id) ? id : "none");
	size_format(sb->len << 9, a, sizeof(a));
	size_format(region_bytes, b, sizeof(b));
	output_field(stdout, "mapped", "%s (%" PRIu64 " sectors), %" PRIu64
		     " regions of %s", a, sb->len, sb->regions, b);
	snprintf(prefix, sizeof(prefix), "offset %" PRIu64 " sectors, device ",
		 sb->source_offset);
	print_bytes_field("source", prefix, sb->source_sectors << 9);
	snprintf(prefix, sizeof(prefix), "offset %" PRIu64 " sectors, device ",
		 sb->dest_offset);
	print_bytes_field("destination", prefix, sb->dest_sectors << 9);
	output_field(stdout, "copied", "%" PRIu64 " regions", meta_copied(sum));
	output_field(stdout, "dirty", "%" PRIu64 " regions, copied again at "
		     "the next start", sum->dirty);
	output_field(stdout, "not copied", "%" PRIu64 " regions",
		     sb->regions - meta_copied(sum) - sum->dirty);
	output_field(stdout, "invalid blocks", "%" PRIu64 " copied-bitmap, %"
		     PRIu64 " write-intent", sum->invalid_copied_blocks,
		     sum->invalid_intent_blocks);
	size_format(sum->needed_blocks * MIRRORLIVE_META_BLOCK_SIZE, a,
		    sizeof(a));
	size_format(sum->device_blocks * MIRRORLIVE_META_BLOCK_SIZE, b,
		    sizeof(b));
	output_field(stdout, "size", "%s used of %s", a, b);
}

/* ------------------------------------------------------------------ */
/* JSON */

static struct json_object *slots_json(struct json_build *jb,
				      const struct meta_summary *sum)
{
	struct json_object *arr = jb_array(jb), *o;
	unsigned int s;

	for (s = 0; s < MIRRORLIVE_META_SB_SLOTS; s++) {
		o = jb_object(jb);
		jb_add(jb, o, "result",
		       jb_str(jb, slot_result_name(sum->slot_result[s])));
		jb_add(jb, o, "reason", sum->slot_result[s] == -EINVAL ?
		       jb_str(jb, sum->slot_why[s]) : NULL);
		jb_add(jb, o, "seq", sum->slot_result[s] ? NULL :
		       jb_u64(jb, sum->slot_seq[s]));
		jb_append(jb, arr, o);
	}
	return arr;
}

/* "key": value when the superblock was read, else null */
#define SB_U64(key, v) \
	jb_add(jb, m, key, valid_sb ? jb_u64(jb, v) : NULL)

static int print_json(const char *path, const struct meta_summary *sum,
		      bool valid, const char *reason)
{
	struct json_build jbuild = { 0 }, *jb = &jbuild;
	const struct meta_sb *sb = &sum->sb;
	struct json_object *root = jb_object(jb), *m = jb_object(jb);
	bool valid_sb = sum->live >= 0;
	char id[MIRROR_ID_HEX], nonce[24];

	jb_add(jb, root, "version", jb_int(jb, REPORT_JSON_VERSION));
	jb_add(jb, m, "path", jb_str(jb, path));
	jb_add(jb, m, "valid", jb_bool(jb, valid));
	jb_add(jb, m, "reason", jb_str(jb, reason));
	jb_add(jb, m, "format_version", valid_sb ?
	       jb_int(jb, MIRRORLIVE_META_VERSION) : NULL);
	jb_add(jb, m, "live_slot", valid_sb ? jb_int(jb, sum->live) : NULL);
	SB_U64("seq", sb->seq);
	snprintf(nonce, sizeof(nonce), "0x%016" PRIx64, sb->nonce);
	jb_add(jb, m, "nonce", valid_sb ? jb_str(jb, nonce) : NULL);
	jb_add(jb, m, "state", valid_sb ?
	       jb_str(jb, meta_state_name(sb->state)) : NULL);
	jb_add(jb, m, "clean", valid_sb ?
	       jb_bool(jb, sb->flags & MIRRORLIVE_META_SB_CLEAN) : NULL);
	jb_add(jb, m, "reversed", valid_sb ?
	       jb_bool(jb, sb->flags & MIRRORLIVE_META_SB_REVERSED) : NULL);
	jb_add(jb, m, "mirror_id", valid_sb ?
	       jb_str(jb, mirror_id_hex(sb, id)) : NULL);
	SB_U64("length_sectors", sb->len);
	SB_U64("region_size_bytes", (uint64_t)sb->region_sectors << 9);
	SB_U64("regions", sb->regions);
	SB_U64("source_offset_sectors", sb->source_offset);
	SB_U64("source_sectors", sb->source_sectors);
	SB_U64("destination_offset_sectors", sb->dest_offset);
	SB_U64("destination_sectors", sb->dest_sectors);
	valid_sb = valid;	/* the counts need the bitmaps too */
	SB_U64("copied_regions", meta_copied(sum));
	SB_U64("dirty_regions", sum->dirty);
	SB_U64("uncopied_regions", sb->regions - meta_copied(sum) - sum->dirty);
	SB_U64("invalid_copied_blocks", sum->invalid_copied_blocks);
	SB_U64("invalid_intent_blocks", sum->invalid_intent_blocks);
	valid_sb = sum->live >= 0;
	SB_U64("format_time", sb->format_time);
	SB_U64("commit_time", sb->commit_time);
	jb_add(jb, m, "device_bytes",
	       jb_u64(jb, sum->device_blocks * MIRRORLIVE_META_BLOCK_SIZE));
	SB_U64("needed_bytes", sum->needed_blocks * MIRRORLIVE_META_BLOCK_SIZE);
	jb_add(jb, m, "slots", slots_json(jb, sum));
	jb_add(jb, root, "metadata", m);

	return jb_print(jb_text(jb, root));
}

#undef SB_U64

/* ------------------------------------------------------------------ */

/* The operator's message for a refusal of meta_summarize(). */
static const char *refusal(int r, const struct meta_summary *sum)
{
	if (r == -ENODATA)
		return "not formatted: both superblock slots are zero (no "
		       "mirror has used it)";
	return sum->why;
}

int action_metadata(int argc, const char **argv)
{
	const char *path = argv[0], *why = NULL;
	struct meta_summary sum;
	int r;

	(void)argc;
	r = meta_read_path(path, &sum);
	if (r == -ENODATA || r == -EINVAL || r == -ENOSPC) {
		why = refusal(r, &sum);
		log_err("%s: %s", path, why);
		r = -MCTL_EPRECOND;
	} else if (r) {
		return r;	/* could not read it: said so */
	}
	if (mctl_opt.json) {
		int j = print_json(path, &sum, !r, why);

		return r ? r : j;
	}
	if (!r)
		print_human(path, &sum);
	return r;
}
