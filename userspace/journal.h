/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * journal.h - what a table swap in progress has done to which devices
 *
 * A swap (act_switch.c) loads new tables, suspends the devices, checks,
 * and resumes them.  A mirrorctl killed in between (kill -9, OOM, a lost
 * session) leaves a device with a new table loaded, and possibly suspended:
 * every write to it then waits, and every later start, complete or cancel
 * refuses it.  So, before it loads anything, a swap records in the lock file
 * (lock.h), which it holds until the end, the devices it is about to change
 * and a hash of the table each had and of the one it loads:
 *
 *   phase prepare  the new tables may be loaded and the devices suspended,
 *                  nothing decided yet: undo it (drop the new table,
 *                  resume the old one);
 *   phase commit   every check passed while all devices were suspended,
 *                  and they still are: the swap was decided, finish it
 *                  (resume with the new tables), so a group never ends up
 *                  half switched.
 *
 * The record is erased when the swap ends, whichever way.  A mirrorctl that
 * takes the lock and finds a record knows its writer is dead (it held the
 * lock) and recovers each device that is in a state the swap can have left
 * it in -- the live and inactive tables are those recorded, by hash --
 * before doing its own work.  A device changed since by someone else is
 * left alone.
 *
 * The record is text, one line per field:
 *
 *   mirrorctl-journal 1
 *   action complete
 *   pid 1234
 *   phase prepare
 *   device 253 3 <live hash> <next hash> <name>
 *   ...
 *
 * Hashes are 16 hex digits of FNV-1a 64 over table_format()'s text.  The
 * name comes last: a dm name may hold spaces.
 */
#ifndef MIRRORCTL_JOURNAL_H
#define MIRRORCTL_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lock.h"
#include "table.h"

#define JOURNAL_NAME_MAX	128	/* DM_NAME_LEN */
#define JOURNAL_ACTION_MAX	16

enum journal_phase {
	JOURNAL_PREPARE,
	JOURNAL_COMMIT,
};

struct journal_dev {
	char name[JOURNAL_NAME_MAX];
	uint32_t major;
	uint32_t minor;
	uint64_t live_hash;	/* the table it had */
	uint64_t next_hash;	/* the table the swap loads */
};

struct journal {
	char action[JOURNAL_ACTION_MAX];	/* "start", "complete"... */
	long pid;
	enum journal_phase phase;
	size_t nr;
	struct journal_dev *devs;
};

/* What recovering one device takes. */
enum journal_fix {
	JOURNAL_FIX_NONE,	/* nothing half done on it */
	JOURNAL_FIX_RESUME,	/* suspended on its recorded table: resume */
	JOURNAL_FIX_BACK,	/* drop the new table, resume the old one */
	JOURNAL_FIX_FORWARD,	/* resume with the new table */
	JOURNAL_FIX_FOREIGN,	/* changed by someone else: leave it */
};

/* What a device looks like now. */
struct journal_state {
	uint32_t major;
	uint32_t minor;
	uint64_t live_hash;
	bool inactive;		/* an inactive table is loaded... */
	uint64_t inactive_hash;	/* ...with this hash */
	bool suspended;
};

/* journal_table_hash - FNV-1a 64 of table_format(@t); 0 when out of memory */
uint64_t journal_table_hash(const struct table *t);

/*
 * journal_format - the record's text; NULL when out of memory.  The caller
 * frees it.
 */
char *journal_format(const struct journal *j);

/*
 * journal_parse - read a record
 * @text: journal_format()'s text
 * @j: filled on success; journal_release() it
 *
 * Returns 0, -EINVAL for text that is not a record (a line missing, out of
 * order, malformed, or anything after the last device), or -ENOMEM.
 */
int journal_parse(const char *text, struct journal *j);

/* journal_release - free what journal_parse() allocated; @j may be zeroed */
void journal_release(struct journal *j);

/*
 * journal_decide - how to recover one recorded device
 * @phase: the record's phase
 * @d: the device as recorded
 * @s: the device now (same name)
 *
 * Pure function; the decisions are those listed at the head of this file.
 */
enum journal_fix journal_decide(enum journal_phase phase,
				const struct journal_dev *d,
				const struct journal_state *s);

/*
 * journal_save - replace the record in the lock file with @j
 * journal_load - read it; @j->nr == 0 when there is none
 * journal_erase - drop it
 *
 * @lock is lock_take()'s, held: only its holder touches the record.  They
 * return 0 or -errno, -EBADF for a lock not held (then there is no record
 * to touch); journal_load() returns -EINVAL for a record it cannot read.
 * No messages.
 */
int journal_save(const struct mctl_lock *lock, const struct journal *j);
int journal_load(const struct mctl_lock *lock, struct journal *j);
int journal_erase(const struct mctl_lock *lock);

#endif /* MIRRORCTL_JOURNAL_H */
