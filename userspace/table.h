/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * table.h - device-mapper tables, and the rewrites start/complete/cancel do
 *
 * A table is what DM_DEVICE_TABLE returns and DM_DEVICE_RELOAD takes: lines
 * of "<start> <length> <target> <params>".  mirrorctl moves a device through
 *
 *   linear(source segments)  --start-->     mirrorlive(source, dest)
 *   mirrorlive(source, dest) --complete-->  linear(dest)
 *   mirrorlive(source, dest) --cancel-->    linear(source segments)
 *
 * Each linear line "S L linear DEV OFF" becomes the mirrorlive line
 * "S L mirrorlive DEV OFF DEST BASE+S [features]": the segments of the
 * source, wherever they live, map onto one contiguous destination starting
 * at sector BASE.  complete and cancel are computed from the mirrorlive
 * table itself, so cancel restores exactly the source segments that start
 * mirrored, and nothing has to be remembered between the two commands.
 * Lines of any other target are carried over unchanged by complete and
 * cancel.
 *
 * The kernel prints devices as "major:minor" and mirrorlive's features in
 * one canonical order, only where they differ from the default
 * (Documentation/interface.rst, section 3.1): table_format_mirror() prints
 * exactly that, so a table mirrorctl loads reads back identical.
 *
 * The same type holds a device's status (dmctl_get_status()): one line per
 * segment, whose params are then the target's status line instead of its
 * table params.  A table or status read from a device also names the
 * device it was read from; one built here names none.
 *
 * Pure functions: no I/O, no messages.  They return 0 or -errno (-EINVAL
 * for a line that cannot be parsed, -ENOMEM).
 */
#ifndef MIRRORCTL_TABLE_H
#define MIRRORCTL_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../kernel/mirrorlive-abi.h"

#define TARGET_LINEAR		"linear"
#define TARGET_MIRRORLIVE	MIRRORLIVE_TARGET_NAME

/* Longest device field accepted: a path or "major:minor". */
#define TABLE_DEV_MAX		128

/*
 * mirrorlive feature defaults and limits (Documentation/interface.rst,
 * section 1.2), as the kernel defines them.
 */
#define MIRROR_REGION_DEFAULT	MIRRORLIVE_DEFAULT_REGION_SECTORS
#define MIRROR_REGION_MIN	MIRRORLIVE_MIN_REGION_SECTORS
#define MIRROR_REGION_MAX	MIRRORLIVE_MAX_REGION_SECTORS
#define MIRROR_KBPS_MAX		UINT32_MAX

struct table_line {
	uint64_t start;		/* 512-byte sectors */
	uint64_t length;	/* 512-byte sectors */
	char *target;
	char *params;
};

struct table {
	size_t nr;
	struct table_line *lines;
	/* Set when read from a device (dm.h), else NULL and 0:0. */
	char *name;		/* its dm name, whatever form DEVICE took */
	uint32_t major;
	uint32_t minor;
};

struct mirror_features {
	uint32_t region_sectors;	/* 0 = the default */
	uint32_t max_copy_kbps;		/* 0 = unlimited */
	bool sparse;
	bool dest_zeroed;
	bool nosync;
	bool paused;
	char metadata[TABLE_DEV_MAX];	/* "" = no metadata device */
	/* 32 lower-case hex digits, "" = none (only with metadata) */
	char mirror_id[2 * MIRRORLIVE_MIRROR_ID_LEN + 1];
	uint32_t min_copy_kbps;		/* 0 = the copy never yields */
};

/* The params of one mirrorlive line. */
struct mirror_params {
	char source[TABLE_DEV_MAX];
	uint64_t source_offset;
	char dest[TABLE_DEV_MAX];
	uint64_t dest_offset;
	struct mirror_features features;
};

/* table_new - an empty table naming no device; NULL when out of memory */
struct table *table_new(void);

/* table_free - free a table, its lines and its name; NULL is fine */
void table_free(struct table *t);

/*
 * table_add - append a line (copies @target and @params)
 *
 * Returns 0 or -ENOMEM; on -ENOMEM the table is unchanged.
 */
int table_add(struct table *t, uint64_t start, uint64_t length,
	      const char *target, const char *params);

/*
 * table_length - the sectors a table maps
 *
 * Returns the end of the last line when the lines cover 0..end without a
 * gap or overlap, else 0 (also for an empty table).
 */
uint64_t table_length(const struct table *t);

/*
 * table_equal - same lines, same targets, same params (the device a table
 * names does not count)
 */
bool table_equal(const struct table *a, const struct table *b);

/*
 * table_same_mapping - table_equal, except that the mirrorlive features
 * nosync and dest_zeroed do not count: the kernel stops printing them by
 * itself once they stop being true (the destination was written to, or
 * the mirror failed; Documentation/dm-mirrorlive.rst, "Reloading a
 * mirror"), which is no one else changing the table.
 */
bool table_same_mapping(const struct table *a, const struct table *b);

/* table_count_target - number of lines of target @target */
size_t table_count_target(const struct table *t, const char *target);

/*
 * table_line_is_mirror - is @l a line of target mirrorlive?
 * table_has_mirror - has @t (a table or a status) at least one?
 */
bool table_line_is_mirror(const struct table_line *l);
bool table_has_mirror(const struct table *t);

/*
 * table_parse_linear - parse the params of a linear line, "DEV OFFSET"
 * @dev: receives DEV, at least TABLE_DEV_MAX bytes
 */
int table_parse_linear(const char *params, char *dev, uint64_t *offset);

/*
 * table_parse_mirror - parse the params of a mirrorlive line
 *
 * Accepts what the kernel prints and what the constructor accepts:
 * features in any order, each at most once, with their arguments checked
 * as the kernel does.
 */
int table_parse_mirror(const char *params, struct mirror_params *mp);

/*
 * table_format_mirror - the canonical params of a mirrorlive line
 *
 * Returns 0, -EINVAL for features the kernel would refuse (a region size
 * that is not a power of two in range, nosync with paused), or -ENOSPC when
 * @len is too small.
 */
int table_format_mirror(const struct mirror_params *mp, char *buf,
			size_t len);

/*
 * table_make_mirror - the mirrorlive table that start loads
 * @linear: the device's table; every line must be linear
 * @dest: the destination, as it goes into the table ("major:minor")
 * @dest_base: sector of @dest where the device's sector 0 goes
 * @features: applied to every line
 * @out: the new table on success
 *
 * Returns -EINVAL when a line is not linear or its params cannot be parsed
 * (*bad_line is then its index, if @bad_line is not NULL), when the
 * table does not map 0..length contiguously, or when @dest is empty, too
 * long or not one word of a table line (a blank, a backslash).
 */
int table_make_mirror(const struct table *linear, const char *dest,
		      uint64_t dest_base, const struct mirror_features *features,
		      struct table **out, size_t *bad_line);

/*
 * table_make_complete - linear(dest) for every mirrorlive line
 * table_make_cancel - linear(source) for every mirrorlive line
 *
 * Other lines are copied unchanged.  -EINVAL (and *bad_line) for a
 * mirrorlive line that cannot be parsed; -ENOENT when there is none.
 */
int table_make_complete(const struct table *mirror, struct table **out,
			size_t *bad_line);
int table_make_cancel(const struct table *mirror, struct table **out,
		      size_t *bad_line);

/*
 * table_make_keep - complete --keep-source: every mirrorlive line
 * "S L mirrorlive SRC SOFF DEST DOFF [f]" becomes "S L mirrorlive DEST
 * DOFF SRC SOFF [region_size R] nosync [metadata M [mirror_id I]]": the
 * destination is the primary (reads come from it) and the old source a
 * second leg every write still reaches, equal to it at once (the mirror
 * was ready). Its table_make_cancel() is commit (linear on the
 * destination), its table_make_complete() is revert (linear on the old
 * source). The metadata device and the mirror_id stay: the kept mirror
 * takes the record over (Documentation/metadata-format.rst, section 3,
 * "Reversal"). The rate limit does not: nothing is copied. Other lines
 * are copied.
 */
int table_make_keep(const struct table *mirror, struct table **out,
		    size_t *bad_line);

/*
 * table_format - the table as dmsetup prints it, one line per line, each
 * ending in '\n'; NULL when out of memory.  The caller frees it.
 */
char *table_format(const struct table *t);

#endif /* MIRRORCTL_TABLE_H */
