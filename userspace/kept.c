// SPDX-License-Identifier: GPL-2.0-only
/*
 * kept.c - the kept state of complete --keep-source; see kept.h.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "kept.h"

static int marker_path(const char *dir, const char *name, char *buf,
		       size_t len)
{
	if (strchr(name, '/') ||
	    (size_t)snprintf(buf, len, "%s/%s", dir, name) >= len)
		return -EINVAL;
	return 0;
}

/* mkdir -p of @dir's last two components (/run exists) */
static int make_dir(const char *dir)
{
	char parent[PATH_MAX], *slash;

	snprintf(parent, sizeof(parent), "%s", dir);
	slash = strrchr(parent, '/');
	if (slash && slash != parent) {
		*slash = '\0';
		if (mkdir(parent, 0755) && errno != EEXIST)
			return -errno;
	}
	if (mkdir(dir, 0755) && errno != EEXIST)
		return -errno;
	return 0;
}

int kept_save(const char *dir, const char *name, uint64_t since,
	      const struct table *kept)
{
	char path[PATH_MAX], tmp[PATH_MAX + 8], *text;
	FILE *f;
	int r;

	r = marker_path(dir, name, path, sizeof(path));
	if (!r)
		r = make_dir(dir);
	if (r)
		return r;
	text = table_format(kept);
	if (!text)
		return -ENOMEM;
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	f = fopen(tmp, "we");
	if (!f) {
		r = -errno;
		free(text);
		return r;
	}
	fprintf(f, "since %" PRIu64 "\n%s", since, text);
	free(text);
	if (fflush(f) || fsync(fileno(f)))
		r = -errno;
	if (fclose(f) && !r)
		r = -errno;
	if (!r && rename(tmp, path))
		r = -errno;
	if (r)
		unlink(tmp);
	return r;
}

/* The table lines of a marker, as the kernel prints them. */
static int read_table(FILE *f, struct table *t)
{
	char line[4096], target[64];
	unsigned long long start, len;
	int n;

	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (sscanf(line, "%llu %llu %63s %n", &start, &len, target,
			   &n) != 3)
			return -EINVAL;
		if (table_add(t, start, len, target, line + n))
			return -ENOMEM;
	}
	return ferror(f) ? -EIO : 0;
}

int kept_since(const char *dir, const char *name, const struct table *live,
	       uint64_t *since)
{
	char path[PATH_MAX];
	struct table *t;
	FILE *f;
	int r;

	r = marker_path(dir, name, path, sizeof(path));
	if (r)
		return -ENOENT;
	f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? -ENOENT : -errno;
	t = table_new();
	r = t ? 0 : -ENOMEM;
	if (!r && fscanf(f, "since %" SCNu64 "\n", since) != 1)
		r = -EINVAL;
	if (!r)
		r = read_table(f, t);
	fclose(f);
	if (!r && !table_same_mapping(t, live))
		r = -ENOENT;	/* stale: the device changed since */
	table_free(t);
	return r;
}

int kept_drop(const char *dir, const char *name)
{
	char path[PATH_MAX];

	if (marker_path(dir, name, path, sizeof(path)))
		return -EINVAL;
	if (unlink(path) && errno != ENOENT)
		return -errno;
	return 0;
}
