/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mirrortab.h - the table of persistent migrations in progress
 *
 * /etc/mirrortab (mirrorctl --mirrortab FILE elsewhere) lists, one line
 * each, the mirrors started with --metadata that have not ended yet, so
 * that `mirrorctl restore` can set their devices up again at boot
 * (Documentation/interface.rst, 7.11):
 *
 *   # NAME  SOURCE  DEST  METADATA  OPTIONS
 *   vm  /dev/disk/by-id/wwn-0x5000...  /dev/disk/by-id/nvme-eui.0025...
 *       /dev/disk/by-id/wwn-0x5000...-part1  region_size=1024,sparse
 *
 * (one line in the file).  Fields are separated by blanks; '#' starts a
 * comment line.  OPTIONS is "-" or a comma-separated list of
 * region_size=SECTORS, max_copy_kbps=N, min_copy_kbps=N, sparse,
 * dest_zeroed and uuid=DM-UUID (the device's dm UUID, given back at
 * restore).  The
 * geometry (length, offsets) is the metadata device's.
 *
 * start adds the line before its table swap, complete and cancel remove
 * it after theirs, restore once it set the device up on the leg the
 * record names; all under the mirrorctl lock (lock.h).  The file is
 * replaced atomically (a temporary file, fsync, rename, fsync of the
 * directory), so a crash leaves the old or the new one.  Lines that are
 * not entries (comments, blank lines, malformed ones) are kept as they
 * are.
 */
#ifndef MIRRORCTL_MIRRORTAB_H
#define MIRRORCTL_MIRRORTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MIRRORTAB_DEFAULT	"/etc/mirrortab"
#define MIRRORTAB_FIELD_MAX	256
#define MIRRORTAB_UUID_MAX	129	/* DM_UUID_LEN, with the NUL */

struct mirrortab_opts {
	uint32_t region_sectors;	/* 0: the default */
	uint32_t max_copy_kbps;		/* 0: unlimited */
	bool sparse;
	bool dest_zeroed;
	char uuid[MIRRORTAB_UUID_MAX];	/* "" : none */
	uint32_t min_copy_kbps;		/* 0: the copy never yields */
};

struct mirrortab_entry {
	char name[128];
	char source[MIRRORTAB_FIELD_MAX];
	char dest[MIRRORTAB_FIELD_MAX];
	char metadata[MIRRORTAB_FIELD_MAX];
	struct mirrortab_opts opts;
};

/* One line of the file: an entry, or text kept as it is. */
struct mirrortab_line {
	bool is_entry;
	struct mirrortab_entry entry;
	char *text;			/* !is_entry: the line, without '\n' */
	unsigned int lineno;		/* in the file read; 0 when added */
	const char *why;		/* malformed: why it is not an entry */
};

struct mirrortab {
	size_t nr;
	struct mirrortab_line *lines;
};

/*
 * mirrortab_parse_line() - parse one line (without its '\n') into @e.
 * Return: 1 for an entry, 0 for a comment or blank line, -EINVAL for a
 * malformed one (*why says why).
 */
int mirrortab_parse_line(const char *line, struct mirrortab_entry *e,
			 const char **why);

/*
 * mirrortab_format_entry() - @e as a line, with '\n'.
 * Return: 0, -EINVAL when a field cannot be written (empty, a blank, a
 * '#' first), -ENOSPC when @len is too small.
 */
int mirrortab_format_entry(const struct mirrortab_entry *e, char *buf,
			   size_t len);

/* Read @path (a missing file is an empty table). 0 or -errno. */
int mirrortab_read(const char *path, struct mirrortab *t);

/* Replace @path atomically with @t. 0 or -errno. */
int mirrortab_write(const char *path, const struct mirrortab *t);

void mirrortab_free(struct mirrortab *t);

/* The entry named @name, or NULL. */
struct mirrortab_entry *mirrortab_find(struct mirrortab *t, const char *name);

/* Add @e, or replace the entry of the same name. 0 or -ENOMEM. */
int mirrortab_set(struct mirrortab *t, const struct mirrortab_entry *e);

/* Drop the entry named @name; true when there was one. */
bool mirrortab_remove(struct mirrortab *t, const char *name);

/*
 * mirrortab_add() / mirrortab_drop() - read, change and write @path in
 * one go. Return 0 or -errno (with a message).
 */
int mirrortab_add(const char *path, const struct mirrortab_entry *e);
int mirrortab_drop(const char *path, const char *name);

/*
 * stable_path() - a name of block device @devnode that survives a
 * reboot: its /dev/disk/by-id link (wwn-, nvme-eui., dm-uuid-, then any
 * other, the first in sorted order), else @devnode itself.
 */
void stable_path(const char *devnode, char *out, size_t len);

#endif /* MIRRORCTL_MIRRORTAB_H */
