// SPDX-License-Identifier: GPL-2.0-only
/*
 * mirrortab.c - the table of persistent migrations in progress; see
 * mirrortab.h for the contract.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "decimal.h"
#include "log.h"
#include "mirrortab.h"

#define BY_ID		"/dev/disk/by-id"
#define LINE_MAX_LEN	2048

static const char blanks[] = " \t";

/* Copy the next blank-separated word of *pos into @out; false at the end. */
static bool next_word(const char **pos, char *out, size_t len, bool *toolong)
{
	const char *p = *pos + strspn(*pos, blanks);
	size_t n = strcspn(p, blanks);

	*pos = p + n;
	if (!n)
		return false;
	if (n >= len) {
		*toolong = true;
		return false;
	}
	memcpy(out, p, n);
	out[n] = '\0';
	return true;
}

static int parse_u32(const char *s, uint32_t *v)
{
	uint64_t x;

	if (decimal_u64(s, strlen(s), &x, NULL) || x > UINT32_MAX)
		return -EINVAL;
	*v = (uint32_t)x;
	return 0;
}

static int parse_opts(char *list, struct mirrortab_opts *o, const char **why)
{
	static const char * const names[] = {
		"region_size=", "max_copy_kbps=", "sparse", "dest_zeroed",
		"uuid=", "min_copy_kbps=",
	};
	char *opt, *save = NULL;
	unsigned int seen = 0, i;

	memset(o, 0, sizeof(*o));
	if (!strcmp(list, "-"))
		return 0;
	for (opt = strtok_r(list, ",", &save); opt;
	     opt = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (!strncmp(opt, names[i], strlen(names[i])))
				break;
		if (i < sizeof(names) / sizeof(names[0]) && (seen & (1u << i))) {
			*why = "an option given twice";
			return -EINVAL;
		}
		seen |= 1u << i;
		if (!strncmp(opt, "region_size=", 12)) {
			if (parse_u32(opt + 12, &o->region_sectors) ||
			    !o->region_sectors ||
			    (o->region_sectors & (o->region_sectors - 1))) {
				*why = "region_size is not a power of two";
				return -EINVAL;
			}
		} else if (!strncmp(opt, "max_copy_kbps=", 14)) {
			if (parse_u32(opt + 14, &o->max_copy_kbps)) {
				*why = "max_copy_kbps is not a 32-bit number";
				return -EINVAL;
			}
		} else if (!strncmp(opt, "min_copy_kbps=", 14)) {
			if (parse_u32(opt + 14, &o->min_copy_kbps)) {
				*why = "min_copy_kbps is not a 32-bit number";
				return -EINVAL;
			}
		} else if (!strcmp(opt, "sparse")) {
			o->sparse = true;
		} else if (!strcmp(opt, "dest_zeroed")) {
			o->dest_zeroed = true;
		} else if (!strncmp(opt, "uuid=", 5) && opt[5] &&
			   strlen(opt + 5) < sizeof(o->uuid)) {
			snprintf(o->uuid, sizeof(o->uuid), "%s", opt + 5);
		} else {
			*why = "unknown option";
			return -EINVAL;
		}
	}
	return 0;
}

int mirrortab_parse_line(const char *line, struct mirrortab_entry *e,
			 const char **why)
{
	char opts[LINE_MAX_LEN], extra[8];
	const char *p = line + strspn(line, blanks);
	bool toolong = false;

	if (!*p || *p == '#')
		return 0;
	memset(e, 0, sizeof(*e));
	*why = "fewer than 5 fields";
	if (!next_word(&p, e->name, sizeof(e->name), &toolong) ||
	    !next_word(&p, e->source, sizeof(e->source), &toolong) ||
	    !next_word(&p, e->dest, sizeof(e->dest), &toolong) ||
	    !next_word(&p, e->metadata, sizeof(e->metadata), &toolong) ||
	    !next_word(&p, opts, sizeof(opts), &toolong)) {
		if (toolong)
			*why = "a field too long";
		return -EINVAL;
	}
	if (next_word(&p, extra, sizeof(extra), &toolong) || toolong) {
		*why = "more than 5 fields";
		return -EINVAL;
	}
	if (strchr(e->name, '/')) {
		*why = "NAME holds a '/'";
		return -EINVAL;
	}
	if (e->source[0] != '/' || e->dest[0] != '/' || e->metadata[0] != '/') {
		*why = "SOURCE, DEST and METADATA must be absolute paths";
		return -EINVAL;
	}
	return parse_opts(opts, &e->opts, why) ? -EINVAL : 1;
}

static bool one_word(const char *s)
{
	return *s && *s != '#' && !s[strcspn(s, " \t\n\\,")];
}

int mirrortab_format_entry(const struct mirrortab_entry *e, char *buf,
			   size_t len)
{
	char opts[512] = "";
	size_t n = 0;

	if (!one_word(e->name) || !one_word(e->source) || !one_word(e->dest) ||
	    !one_word(e->metadata) ||
	    (e->opts.uuid[0] && !one_word(e->opts.uuid)))
		return -EINVAL;
	if (e->opts.region_sectors)
		n += snprintf(opts + n, sizeof(opts) - n, ",region_size=%u",
			      e->opts.region_sectors);
	if (e->opts.max_copy_kbps)
		n += snprintf(opts + n, sizeof(opts) - n, ",max_copy_kbps=%u",
			      e->opts.max_copy_kbps);
	if (e->opts.min_copy_kbps)
		n += snprintf(opts + n, sizeof(opts) - n, ",min_copy_kbps=%u",
			      e->opts.min_copy_kbps);
	if (e->opts.sparse)
		n += snprintf(opts + n, sizeof(opts) - n, ",sparse");
	if (e->opts.dest_zeroed)
		n += snprintf(opts + n, sizeof(opts) - n, ",dest_zeroed");
	if (e->opts.uuid[0])
		snprintf(opts + n, sizeof(opts) - n, ",uuid=%s", e->opts.uuid);
	n = snprintf(buf, len, "%s %s %s %s %s\n", e->name, e->source, e->dest,
		     e->metadata, opts[0] ? opts + 1 : "-");
	return n < len ? 0 : -ENOSPC;
}

void mirrortab_free(struct mirrortab *t)
{
	size_t i;

	for (i = 0; i < t->nr; i++)
		free(t->lines[i].text);
	free(t->lines);
	t->lines = NULL;
	t->nr = 0;
}

static struct mirrortab_line *new_line(struct mirrortab *t)
{
	struct mirrortab_line *l;

	l = realloc(t->lines, (t->nr + 1) * sizeof(*l));
	if (!l)
		return NULL;
	t->lines = l;
	l = &t->lines[t->nr++];
	memset(l, 0, sizeof(*l));
	return l;
}

int mirrortab_read(const char *path, struct mirrortab *t)
{
	char buf[LINE_MAX_LEN];
	struct mirrortab_line *l;
	unsigned int lineno = 0;
	FILE *f;
	int r = 0, kind;

	memset(t, 0, sizeof(*t));
	f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? 0 : -errno;
	while (fgets(buf, sizeof(buf), f)) {
		lineno++;
		buf[strcspn(buf, "\n")] = '\0';
		l = new_line(t);
		if (!l) {
			r = -ENOMEM;
			break;
		}
		l->lineno = lineno;
		kind = mirrortab_parse_line(buf, &l->entry, &l->why);
		l->is_entry = kind == 1;
		if (kind == 1)
			continue;
		if (kind == 0)
			l->why = NULL;
		l->text = strdup(buf);
		if (!l->text) {
			r = -ENOMEM;
			break;
		}
	}
	if (!r && ferror(f))
		r = -EIO;
	fclose(f);
	if (r)
		mirrortab_free(t);
	return r;
}

static int fsync_dir_of(const char *path)
{
	char copy[PATH_MAX];
	int fd, r = 0;

	snprintf(copy, sizeof(copy), "%s", path);
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fsync(fd))
		r = -errno;
	close(fd);
	return r;
}

int mirrortab_write(const char *path, const struct mirrortab *t)
{
	char tmp[PATH_MAX], line[LINE_MAX_LEN];
	size_t i;
	FILE *f;
	int fd, r = 0;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.new", path) >= sizeof(tmp))
		return -ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	f = fdopen(fd, "w");
	if (!f) {
		r = -errno;
		close(fd);
		unlink(tmp);
		return r;
	}
	for (i = 0; i < t->nr && !r; i++) {
		const struct mirrortab_line *l = &t->lines[i];

		if (!l->is_entry) {
			fprintf(f, "%s\n", l->text);
			continue;
		}
		r = mirrortab_format_entry(&l->entry, line, sizeof(line));
		if (!r)
			fputs(line, f);
	}
	if (!r && (fflush(f) || fsync(fd)))
		r = -errno;
	if (fclose(f) && !r)
		r = -errno;
	if (!r && rename(tmp, path))
		r = -errno;
	if (r)
		unlink(tmp);
	else
		r = fsync_dir_of(path);
	return r;
}

struct mirrortab_entry *mirrortab_find(struct mirrortab *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nr; i++)
		if (t->lines[i].is_entry && !strcmp(t->lines[i].entry.name, name))
			return &t->lines[i].entry;
	return NULL;
}

static const char header[] =
	"# mirrorctl: persistent migrations in progress, set up again at "
	"boot by\n# mirrorctl restore (mirrorctl(8)). NAME SOURCE DEST "
	"METADATA OPTIONS";

int mirrortab_set(struct mirrortab *t, const struct mirrortab_entry *e)
{
	struct mirrortab_entry *old = mirrortab_find(t, e->name);
	struct mirrortab_line *l;

	if (old) {
		*old = *e;
		return 0;
	}
	if (!t->nr) {
		l = new_line(t);
		if (!l || !(l->text = strdup(header)))
			return -ENOMEM;
	}
	l = new_line(t);
	if (!l)
		return -ENOMEM;
	l->is_entry = true;
	l->entry = *e;
	return 0;
}

bool mirrortab_remove(struct mirrortab *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nr; i++) {
		if (!t->lines[i].is_entry || strcmp(t->lines[i].entry.name, name))
			continue;
		memmove(&t->lines[i], &t->lines[i + 1],
			(t->nr - i - 1) * sizeof(t->lines[0]));
		t->nr--;
		return true;
	}
	return false;
}

/* Read @path, change it (@e to add, else @name to drop), write it back. */
static int update(const char *path, const struct mirrortab_entry *e,
		  const char *name)
{
	struct mirrortab t;
	int r;

	r = mirrortab_read(path, &t);
	if (r) {
		log_err("%s: cannot read: %s", path, strerror(-r));
		return r;
	}
	if (e)
		r = mirrortab_set(&t, e);
	if (!r && (e || mirrortab_remove(&t, name)))
		r = mirrortab_write(path, &t);
	if (r)
		log_err("%s: cannot %s %s: %s", path, e ? "add" : "remove",
			e ? e->name : name, strerror(-r));
	mirrortab_free(&t);
	return r;
}

int mirrortab_add(const char *path, const struct mirrortab_entry *e)
{
	return update(path, e, NULL);
}

int mirrortab_drop(const char *path, const char *name)
{
	return update(path, NULL, name);
}

/* Lower is better: the kinds of by-id link that name the hardware. */
static int link_rank(const char *name)
{
	static const char * const prefixes[] = {
		"wwn-", "nvme-eui.", "dm-uuid-", "scsi-", "nvme-", "virtio-",
	};
	size_t i;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (!strncmp(name, prefixes[i], strlen(prefixes[i])))
			return (int)i;
	return (int)i;
}

void stable_path(const char *devnode, char *out, size_t len)
{
	char best[NAME_MAX + 1] = "", link[PATH_MAX];
	struct stat dev, st;
	struct dirent *de;
	int rank, best_rank = INT_MAX;
	DIR *dir;

	snprintf(out, len, "%s", devnode);
	if (stat(devnode, &dev) || !S_ISBLK(dev.st_mode))
		return;
	dir = opendir(BY_ID);
	if (!dir)
		return;
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(link, sizeof(link), BY_ID "/%s", de->d_name);
		if (stat(link, &st) || !S_ISBLK(st.st_mode) ||
		    st.st_rdev != dev.st_rdev)
			continue;
		rank = link_rank(de->d_name);
		if (rank < best_rank ||
		    (rank == best_rank && strcmp(de->d_name, best) < 0)) {
			best_rank = rank;
			snprintf(best, sizeof(best), "%s", de->d_name);
		}
	}
	closedir(dir);
	if (best[0] && strlen(BY_ID) + 1 + strlen(best) < len)
		snprintf(out, len, BY_ID "/%s", best);
}
