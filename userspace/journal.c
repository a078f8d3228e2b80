// SPDX-License-Identifier: GPL-2.0-only
/*
 * journal.c - what a table swap in progress has done to which devices
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "journal.h"

#define JOURNAL_MAGIC	"mirrorctl-journal 1"
/* A record ends with this line, so a longer old one it overwrote is cut. */
#define JOURNAL_END	"end"
/* Far more than any group of devices one command names. */
#define JOURNAL_MAX_BYTES	(1 << 20)

#define FNV64_OFFSET	0xcbf29ce484222325ULL
#define FNV64_PRIME	0x100000001b3ULL

static const char * const phase_names[] = {
	[JOURNAL_PREPARE] = "prepare",
	[JOURNAL_COMMIT] = "commit",
};

uint64_t journal_table_hash(const struct table *t)
{
	uint64_t h = FNV64_OFFSET;
	char *text = table_format(t);
	const unsigned char *p;

	if (!text)
		return 0;
	for (p = (const unsigned char *)text; *p; p++)
		h = (h ^ *p) * FNV64_PRIME;
	free(text);
	return h;
}

char *journal_format(const struct journal *j)
{
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f;

	f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	fprintf(f, "%s\naction %s\npid %ld\nphase %s\n", JOURNAL_MAGIC,
		j->action, j->pid, phase_names[j->phase]);
	for (i = 0; i < j->nr; i++) {
		const struct journal_dev *d = &j->devs[i];

		fprintf(f, "device %" PRIu32 " %" PRIu32 " %016" PRIx64
			" %016" PRIx64 " %s\n", d->major, d->minor,
			d->live_hash, d->next_hash, d->name);
	}
	fprintf(f, "%s\n", JOURNAL_END);
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

void journal_release(struct journal *j)
{
	free(j->devs);
	memset(j, 0, sizeof(*j));
}

/* "action NAME": a word of at most JOURNAL_ACTION_MAX - 1 letters */
static int parse_action(const char *line, struct journal *j)
{
	const char *a;
	size_t n;

	if (strncmp(line, "action ", 7))
		return -EINVAL;
	a = line + 7;
	n = strlen(a);
	if (!n || n >= sizeof(j->action) || strspn(a, "abcdefghijklmnopqrstuvwxyz-") != n)
		return -EINVAL;
	memcpy(j->action, a, n + 1);
	return 0;
}

static int parse_pid(const char *line, struct journal *j)
{
	char dummy;

	if (sscanf(line, "pid %ld%c", &j->pid, &dummy) != 1 || j->pid <= 0)
		return -EINVAL;
	return 0;
}

static int parse_phase(const char *line, struct journal *j)
{
	size_t i;

	if (strncmp(line, "phase ", 6))
		return -EINVAL;
	for (i = 0; i < sizeof(phase_names) / sizeof(phase_names[0]); i++) {
		if (!strcmp(line + 6, phase_names[i])) {
			j->phase = i;
			return 0;
		}
	}
	return -EINVAL;
}

/* "device MAJOR MINOR LIVEHASH NEXTHASH NAME" */
static int parse_device(const char *line, struct journal_dev *d)
{
	int name_at = -1;
	size_t n;

	if (sscanf(line, "device %" SCNu32 " %" SCNu32 " %16" SCNx64 " %16"
		   SCNx64 " %n", &d->major, &d->minor, &d->live_hash,
		   &d->next_hash, &name_at) != 4 || name_at < 0)
		return -EINVAL;
	n = strlen(line + name_at);
	if (!n || n >= sizeof(d->name))
		return -EINVAL;
	memcpy(d->name, line + name_at, n + 1);
	return 0;
}

static int add_device(struct journal *j, const char *line)
{
	struct journal_dev *devs;
	int r;

	devs = realloc(j->devs, (j->nr + 1) * sizeof(*devs));
	if (!devs)
		return -ENOMEM;
	j->devs = devs;
	memset(&devs[j->nr], 0, sizeof(devs[j->nr]));
	r = parse_device(line, &devs[j->nr]);
	if (!r)
		j->nr++;
	return r;
}

/* The fixed lines, in order, then devices until "end". */
static int parse_lines(char *text, struct journal *j)
{
	int (*const head[])(const char *, struct journal *) = {
		parse_action, parse_pid, parse_phase,
	};
	char *line, *rest = text;
	size_t i;
	int r;

	line = strsep(&rest, "\n");
	if (!line || strcmp(line, JOURNAL_MAGIC))
		return -EINVAL;
	for (i = 0; i < sizeof(head) / sizeof(head[0]); i++) {
		line = strsep(&rest, "\n");
		if (!line)
			return -EINVAL;
		r = head[i](line, j);
		if (r)
			return r;
	}
	while ((line = strsep(&rest, "\n"))) {
		if (!strcmp(line, JOURNAL_END))
			return 0;
		r = add_device(j, line);
		if (r)
			return r;
	}
	return -EINVAL;		/* no "end": torn or truncated */
}

int journal_parse(const char *text, struct journal *j)
{
	char *copy;
	int r;

	memset(j, 0, sizeof(*j));
	copy = strdup(text);
	if (!copy)
		return -ENOMEM;
	r = parse_lines(copy, j);
	free(copy);
	if (r)
		journal_release(j);
	return r;
}

enum journal_fix journal_decide(enum journal_phase phase,
				const struct journal_dev *d,
				const struct journal_state *s)
{
	if (s->major != d->major || s->minor != d->minor)
		return JOURNAL_FIX_FOREIGN;

	/* The swap happened; a resume may be all that is missing. */
	if (s->live_hash == d->next_hash) {
		if (s->inactive)
			return JOURNAL_FIX_FOREIGN;
		return s->suspended ? JOURNAL_FIX_RESUME : JOURNAL_FIX_NONE;
	}
	if (s->live_hash != d->live_hash)
		return JOURNAL_FIX_FOREIGN;

	if (s->inactive) {
		if (s->inactive_hash != d->next_hash)
			return JOURNAL_FIX_FOREIGN;
		/*
		 * Decided while suspended, and suspended ever since: nothing
		 * reached the device after the checks.
		 */
		if (phase == JOURNAL_COMMIT && s->suspended)
			return JOURNAL_FIX_FORWARD;
		return JOURNAL_FIX_BACK;
	}
	/* Not loaded yet, or already dropped by the swap's own rollback. */
	return s->suspended ? JOURNAL_FIX_RESUME : JOURNAL_FIX_NONE;
}

int journal_save(const struct mctl_lock *lock, const struct journal *j)
{
	char *text;
	size_t len;
	ssize_t n;
	int r = 0;

	if (!lock->held)
		return -EBADF;
	text = journal_format(j);
	if (!text)
		return -ENOMEM;
	len = strlen(text);
	/*
	 * Over the old record, then cut it: killed in between, the file
	 * holds the new record up to its "end" line, and parsing stops
	 * there.  Erasing first would lose the record instead.
	 */
	n = pwrite(lock->fd, text, len, 0);
	if (n < 0)
		r = -errno;
	else if ((size_t)n != len)
		r = -EIO;
	else if (ftruncate(lock->fd, len))
		r = -errno;
	free(text);
	return r;
}

int journal_load(const struct mctl_lock *lock, struct journal *j)
{
	struct stat st;
	char *text;
	ssize_t n;
	int r;

	memset(j, 0, sizeof(*j));
	if (!lock->held)
		return -EBADF;
	if (fstat(lock->fd, &st))
		return -errno;
	if (!st.st_size)
		return 0;
	if (st.st_size > JOURNAL_MAX_BYTES)
		return -EINVAL;
	text = malloc(st.st_size + 1);
	if (!text)
		return -ENOMEM;
	n = pread(lock->fd, text, st.st_size, 0);
	if (n < 0) {
		r = -errno;
		free(text);
		return r;
	}
	text[n] = '\0';
	r = journal_parse(text, j);
	free(text);
	return r;
}

int journal_erase(const struct mctl_lock *lock)
{
	if (!lock->held)
		return -EBADF;
	return ftruncate(lock->fd, 0) ? -errno : 0;
}
