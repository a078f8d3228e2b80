// SPDX-License-Identifier: GPL-2.0-only
/*
 * dm-mirrorlive: table line parsing. See mirrorlive-args.h for the contract.
 */
#include <linux/bitops.h>
#include <linux/ctype.h>
#include <linux/device-mapper.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/string.h>

#include "mirrorlive-args.h"

#define DM_MSG_PREFIX "mirrorlive"

/*
 * kstrtoull() alone accepts a leading '+' and a trailing newline; a table
 * word is neither, so insist on digits only.
 */
static int parse_u64(const char *str, u64 *value)
{
	if (!str || !isdigit(str[0]) || str[strlen(str) - 1] == '\n')
		return -EINVAL;

	return kstrtou64(str, 10, value) ? -EINVAL : 0;
}

int mirrorlive_parse_sectors(const char *str, sector_t *value)
{
	u64 v;

	if (parse_u64(str, &v) || v > (u64)(sector_t)-1)
		return -EINVAL;

	*value = v;
	return 0;
}

int mirrorlive_parse_kbps(const char *str, u32 *value)
{
	u64 v;

	if (parse_u64(str, &v) || v > U32_MAX)
		return -EINVAL;

	*value = v;
	return 0;
}

static int parse_region_size(struct mirrorlive_args *args,
			     struct dm_arg_set *as, char **error)
{
	const char *word = dm_shift_arg(as);
	sector_t sectors;

	if (!word || mirrorlive_parse_sectors(word, &sectors) ||
	    sectors < MIRRORLIVE_MIN_REGION_SECTORS ||
	    sectors > MIRRORLIVE_MAX_REGION_SECTORS ||
	    !is_power_of_2(sectors)) {
		*error = "Invalid region size";
		return -EINVAL;
	}

	args->region_sectors = sectors;
	return 0;
}

static int parse_copy_kbps(u32 *kbps, struct dm_arg_set *as,
			   char **error, char *invalid)
{
	const char *word = dm_shift_arg(as);

	if (!word || mirrorlive_parse_kbps(word, kbps)) {
		*error = invalid;
		return -EINVAL;
	}

	return 0;
}

enum mirrorlive_feature {
	FEATURE_REGION_SIZE,
	FEATURE_MAX_COPY_KBPS,
	FEATURE_SPARSE,
	FEATURE_DEST_ZEROED,
	FEATURE_NOSYNC,
	FEATURE_PAUSED,
	FEATURE_METADATA,
	FEATURE_MIRROR_ID,
	FEATURE_MIN_COPY_KBPS,
	NR_FEATURES
};

static const char * const feature_names[NR_FEATURES] = {
	[FEATURE_REGION_SIZE]	= "region_size",
	[FEATURE_MAX_COPY_KBPS]	= "max_copy_kbps",
	[FEATURE_SPARSE]	= "sparse",
	[FEATURE_DEST_ZEROED]	= "dest_zeroed",
	[FEATURE_NOSYNC]	= "nosync",
	[FEATURE_PAUSED]	= "paused",
	[FEATURE_METADATA]	= "metadata",
	[FEATURE_MIRROR_ID]	= "mirror_id",
	[FEATURE_MIN_COPY_KBPS]	= "min_copy_kbps",
};

/* Exactly 2 * MIRRORLIVE_MIRROR_ID_LEN hex digits, either case. */
static int parse_mirror_id(struct mirrorlive_args *args, struct dm_arg_set *as,
			   char **error)
{
	const char *word = dm_shift_arg(as);

	if (!word || strlen(word) != 2 * MIRRORLIVE_MIRROR_ID_LEN ||
	    hex2bin(args->mirror_id, word, MIRRORLIVE_MIRROR_ID_LEN)) {
		*error = "Invalid mirror_id";
		return -EINVAL;
	}
	args->has_mirror_id = true;
	return 0;
}

/*
 * @seen has a bit per feature, so that a feature given twice is refused
 * rather than silently overriding the first.
 */
static int parse_feature(struct mirrorlive_args *args, struct dm_arg_set *as,
			 unsigned long *seen, char **error)
{
	const char *word = dm_shift_arg(as);
	enum mirrorlive_feature f;

	for (f = 0; f < NR_FEATURES; f++)
		if (!strcasecmp(word, feature_names[f]))
			break;

	if (f == NR_FEATURES) {
		DMERR("Unknown feature argument: %.64s", word);
		*error = "Unknown feature argument";
		return -EINVAL;
	}

	if (__test_and_set_bit(f, seen)) {
		*error = "Duplicate feature argument";
		return -EINVAL;
	}

	switch (f) {
	case FEATURE_REGION_SIZE:
		return parse_region_size(args, as, error);
	case FEATURE_MAX_COPY_KBPS:
		return parse_copy_kbps(&args->max_copy_kbps, as, error,
				       "Invalid max_copy_kbps");
	case FEATURE_MIN_COPY_KBPS:
		return parse_copy_kbps(&args->min_copy_kbps, as, error,
				       "Invalid min_copy_kbps");
	case FEATURE_SPARSE:
		args->sparse = true;
		break;
	case FEATURE_DEST_ZEROED:
		args->dest_zeroed = true;
		break;
	case FEATURE_NOSYNC:
		args->nosync = true;
		break;
	case FEATURE_PAUSED:
		args->paused = true;
		break;
	case FEATURE_METADATA:
		args->meta_dev = dm_shift_arg(as);
		if (!args->meta_dev) {
			*error = "Invalid metadata device";
			return -EINVAL;
		}
		break;
	case FEATURE_MIRROR_ID:
		return parse_mirror_id(args, as, error);
	case NR_FEATURES:
		break;
	}

	return 0;
}

/*
 * dm_read_arg_group() reads the count with sscanf("%u"), which wraps
 * silently ("4294967297" would read as 1), so the count is parsed here.
 */
static int parse_feature_count(struct dm_arg_set *as, unsigned int *count,
			       char **error)
{
	u64 v;

	if (parse_u64(dm_shift_arg(as), &v) ||
	    v > MIRRORLIVE_MAX_FEATURE_ARGS || v > as->argc) {
		*error = "Invalid number of feature arguments";
		return -EINVAL;
	}

	*count = v;
	return 0;
}

static int parse_features(struct mirrorlive_args *args, struct dm_arg_set *as,
			  char **error)
{
	unsigned long seen = 0;
	unsigned int count;
	struct dm_arg_set features;
	int r;

	if (!as->argc)
		return 0;

	r = parse_feature_count(as, &count, error);
	if (r)
		return r;

	if (as->argc > count) {
		*error = "Too many arguments";
		return -EINVAL;
	}

	/*
	 * Parse the group on its own set, so that a feature taking a value
	 * cannot consume a word past the declared count.
	 */
	features.argc = count;
	features.argv = as->argv;
	while (features.argc) {
		r = parse_feature(args, &features, &seen, error);
		if (r)
			return r;
	}

	if (args->nosync && args->paused) {
		*error = "Features nosync and paused conflict";
		return -EINVAL;
	}
	if (args->has_mirror_id && !args->meta_dev) {
		*error = "Feature mirror_id needs metadata";
		return -EINVAL;
	}

	return 0;
}

int mirrorlive_parse_args(struct mirrorlive_args *args, unsigned int argc,
			  char **argv, char **error)
{
	struct dm_arg_set as = { .argc = argc, .argv = argv };

	memset(args, 0, sizeof(*args));
	args->region_sectors = MIRRORLIVE_DEFAULT_REGION_SECTORS;

	if (argc < 4) {
		*error = "Not enough arguments";
		return -EINVAL;
	}

	args->source_dev = dm_shift_arg(&as);
	if (mirrorlive_parse_sectors(dm_shift_arg(&as), &args->source_offset)) {
		*error = "Invalid source offset";
		return -EINVAL;
	}

	args->dest_dev = dm_shift_arg(&as);
	if (mirrorlive_parse_sectors(dm_shift_arg(&as), &args->dest_offset)) {
		*error = "Invalid destination offset";
		return -EINVAL;
	}

	return parse_features(args, &as, error);
}
