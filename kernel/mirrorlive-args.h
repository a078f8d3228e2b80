/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dm-mirrorlive: table line parsing.
 *
 * The constructor's arguments are parsed here, separately from opening the
 * devices, so that every rule of the table line can be tested in KUnit
 * without block devices. The table line is documented in
 * Documentation/interface.rst, section 1:
 *
 *   <source_dev> <source_offset> <dest_dev> <dest_offset>
 *   [<#feature_args> <feature_arg>*]
 *
 * feature_arg: region_size <sectors> | max_copy_kbps <n> | sparse |
 *              dest_zeroed | nosync | paused | metadata <dev> |
 *              mirror_id <32 hex digits> (only with metadata) |
 *              min_copy_kbps <n>
 *
 * Nothing here allocates, sleeps or takes locks; the parser may be called
 * from any process context.
 */
#ifndef DM_MIRRORLIVE_ARGS_H
#define DM_MIRRORLIVE_ARGS_H

#include <linux/types.h>

/* The region size limits and MIRRORLIVE_MAX_FEATURE_ARGS. */
#include "mirrorlive-abi.h"

/*
 * The parsed table line. Device strings point into the argv passed to
 * mirrorlive_parse_args() and live as long as it does.
 */
struct mirrorlive_args {
	const char *source_dev;
	sector_t source_offset;
	const char *dest_dev;
	sector_t dest_offset;
	const char *meta_dev;		/* NULL: no metadata device */
	bool has_mirror_id;
	u8 mirror_id[MIRRORLIVE_MIRROR_ID_LEN];	/* zeroes without one */

	u32 region_sectors;
	u32 max_copy_kbps;		/* 0 = unlimited */
	u32 min_copy_kbps;		/* 0 = the copy never yields */
	bool sparse;
	bool dest_zeroed;
	bool nosync;
	bool paused;
};

/*
 * mirrorlive_parse_args() - parse and validate a mirrorlive table line.
 * @args:  filled in on success; left in an unspecified state on failure.
 * @argc:  number of words, as given to the target constructor.
 * @argv:  the words.
 * @error: on failure, set to a static message suitable for ti->error.
 *
 * Checks everything that can be checked without opening the devices:
 * argument count, numbers (no sign, no trailing characters, no overflow),
 * the feature count, unknown, repeated and conflicting features, and the
 * region size range. Device-dependent checks (sizes, block sizes, overlap)
 * belong to the constructor.
 *
 * Return: 0 on success, -EINVAL on any malformed input.
 */
int mirrorlive_parse_args(struct mirrorlive_args *args, unsigned int argc,
			  char **argv, char **error);

/*
 * mirrorlive_parse_sectors() - parse a sector count or offset.
 * @str:   decimal number without sign or trailing characters.
 * @value: set on success.
 *
 * Return: 0, or -EINVAL for malformed or out-of-range input.
 */
int mirrorlive_parse_sectors(const char *str, sector_t *value);

/*
 * mirrorlive_parse_kbps() - parse a copy rate in KiB/s (0 = unlimited).
 * @str:   decimal number without sign or trailing characters.
 * @value: set on success.
 *
 * Shared by the table line and the max_copy_kbps and min_copy_kbps
 * messages so that all accept exactly the same words.
 *
 * Return: 0, or -EINVAL for malformed or out-of-range input.
 */
int mirrorlive_parse_kbps(const char *str, u32 *value);

#endif /* DM_MIRRORLIVE_ARGS_H */
