/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fake_host.h - fake block devices, blkid, lock and clock for unit tests
 *
 * Companion of fake_dm.h for tests that run whole commands: start checks
 * its destination through blockdev.h and probe.h, every changing command
 * takes the lock, status and wait read the clock.  The linker redirects
 * mirrorctl's own calls to the __wrap_* functions below ("unit-wrap:"
 * lines, see fake_dm.h).  A test describes the destination in a struct
 * fake_host and calls fake_host_reset() with it.
 *
 * unit-wrap: blockdev_get
 * unit-wrap: blockdev_open_exclusive
 * unit-wrap: blockdev_sysfs_lbs
 * unit-wrap: blockdev_whole_disk
 * unit-wrap: blockdev_nbd_timeout
 * unit-wrap: blockdev_name
 * unit-wrap: probe_signature
 * unit-wrap: lock_take
 * unit-wrap: lock_release
 * unit-wrap: lock_peek
 * unit-wrap: log_syslog
 * unit-wrap: clock_now_us
 * unit-wrap: clock_sleep_ms
 * unit-wrap: journal_save
 * unit-wrap: journal_load
 * unit-wrap: journal_erase
 *
 * The lock is always held, on the fake descriptor FAKE_LOCK_FD; a peek
 * (status, list) finds it free unless fake_host.lock_busy.  The lock
 * file's record of a swap (journal.h) lives in fhost.journal:
 * fake_host.journal is the record a killed mirrorctl left, and every
 * record saved is kept, in order, in fhost.journal_log.
 */
#ifndef MIRRORCTL_FAKE_HOST_H
#define MIRRORCTL_FAKE_HOST_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "blockdev.h"
#include "errors.h"
#include "journal.h"
#include "lock.h"
#include "log.h"

#define FAKE_LOCK_FD	42

struct fake_host {
	int get_ret;			/* blockdev_get() fails so */
	unsigned int major, minor;	/* the destination */
	uint64_t size_bytes;		/* 0: 64 MiB */
	unsigned int lbs;		/* 0: 512 */
	unsigned int dm_lbs;		/* the dm device's; 0: 512 */
	int excl_ret;			/* blockdev_open_exclusive() */
	/* Block device part_major:part_minor is a partition of whole_*. */
	unsigned int part_major, part_minor, whole_major, whole_minor;
	const char *signature;		/* blkid finds it */
	/* blockdev_nbd_timeout()'s answer (0: no NBD) and the timeout */
	int nbd_ret;
	uint64_t nbd_timeout;
	const char *journal;		/* the lock file's record */
	int lock_busy;			/* lock_peek(): another holder */
};

static struct {
	const struct fake_host *h;
	uint64_t now_us;
	int locked;
	int lock_taken;
	int probes;
	char journal[1024];
	char journal_saved[1024];	/* the last record saved */
	char journal_log[4096];		/* "<phase>;" per save, "erase;" */
	char syslog[2048];		/* log_syslog()'s lines */
} fhost;

static void fake_host_reset(const struct fake_host *h)
{
	memset(&fhost, 0, sizeof(fhost));
	fhost.h = h;
	fhost.now_us = 1000000;
	if (h->journal)
		snprintf(fhost.journal, sizeof(fhost.journal), "%s", h->journal);
}

int __wrap_blockdev_get(const char *path, struct blockdev *bd)
{
	const struct fake_host *h = fhost.h;

	if (h->get_ret == -ENODEV)
		log_err("%s: no such device", path);
	else if (h->get_ret == -MCTL_EPRECOND)
		log_err("%s: not a block device", path);
	if (h->get_ret)
		return h->get_ret;
	bd->path = path;
	bd->major = h->major ? h->major : 7;
	bd->minor = h->major ? h->minor : 1;
	bd->size_bytes = h->size_bytes ? h->size_bytes : 64 << 20;
	bd->logical_block_size = h->lbs ? h->lbs : 512;
	return 0;
}

int __wrap_blockdev_open_exclusive(const char *path)
{
	(void)path;
	return fhost.h->excl_ret;
}

int __wrap_blockdev_sysfs_lbs(uint32_t maj, uint32_t min, unsigned int *lbs)
{
	(void)maj;
	(void)min;
	*lbs = fhost.h->dm_lbs ? fhost.h->dm_lbs : 512;
	return 0;
}

int __wrap_blockdev_nbd_timeout(uint32_t maj, uint32_t min, uint64_t *jiffies)
{
	(void)maj;
	(void)min;
	*jiffies = fhost.h->nbd_timeout;
	return fhost.h->nbd_ret;
}

void __wrap_blockdev_whole_disk(uint32_t maj, uint32_t min, uint32_t *wmaj,
				uint32_t *wmin)
{
	const struct fake_host *h = fhost.h;

	*wmaj = maj;
	*wmin = min;
	if (h->whole_major && maj == h->part_major && min == h->part_minor) {
		*wmaj = h->whole_major;
		*wmin = h->whole_minor;
	}
}

void __wrap_blockdev_name(const char *dev, char *buf, size_t len)
{
	snprintf(buf, len, "%s", dev);
}

int __wrap_probe_signature(const char *path, char *what, size_t len)
{
	(void)path;
	fhost.probes++;
	if (!fhost.h->signature)
		return 0;
	snprintf(what, len, "%s", fhost.h->signature);
	return 1;
}

int __wrap_lock_take(struct mctl_lock *lock, uint64_t deadline_us)
{
	(void)deadline_us;
	assert_int_equal(fhost.locked, 0);
	fhost.locked = 1;
	fhost.lock_taken++;
	lock->held = true;
	lock->fd = FAKE_LOCK_FD;
	return 0;
}

int __wrap_lock_peek(struct mctl_lock *lock)
{
	assert_int_equal(fhost.locked, 0);
	lock->held = false;
	lock->fd = -1;
	if (fhost.h->lock_busy)
		return -EWOULDBLOCK;
	fhost.locked = 1;
	lock->held = true;
	lock->fd = FAKE_LOCK_FD;
	return 0;
}

void __wrap_log_syslog(const char *msg)
{
	size_t len = strlen(fhost.syslog);

	snprintf(fhost.syslog + len, sizeof(fhost.syslog) - len, "%s\n", msg);
}

void __wrap_lock_release(struct mctl_lock *lock)
{
	assert_true(lock->held);
	assert_int_equal(lock->fd, FAKE_LOCK_FD);
	fhost.locked = 0;
	lock->held = false;
	lock->fd = -1;
}

/* The lock the journal is handed is the one taken, and still held. */
static void fake_lock_check(const struct mctl_lock *lock)
{
	assert_true(lock->held);
	assert_int_equal(lock->fd, FAKE_LOCK_FD);
}

uint64_t __wrap_clock_now_us(void)
{
	return fhost.now_us;
}

void __wrap_clock_sleep_ms(unsigned int ms)
{
	fhost.now_us += (uint64_t)ms * 1000;
}

int __wrap_journal_save(const struct mctl_lock *lock, const struct journal *j)
{
	char *text = journal_format(j);
	size_t len = strlen(fhost.journal_log);

	fake_lock_check(lock);
	assert_non_null(text);
	snprintf(fhost.journal, sizeof(fhost.journal), "%s", text);
	snprintf(fhost.journal_saved, sizeof(fhost.journal_saved), "%s", text);
	snprintf(fhost.journal_log + len, sizeof(fhost.journal_log) - len,
		 "%s;", j->phase == JOURNAL_COMMIT ? "commit" : "prepare");
	free(text);
	return 0;
}

int __wrap_journal_load(const struct mctl_lock *lock, struct journal *j)
{
	fake_lock_check(lock);
	memset(j, 0, sizeof(*j));
	if (!fhost.journal[0])
		return 0;
	return journal_parse(fhost.journal, j);
}

int __wrap_journal_erase(const struct mctl_lock *lock)
{
	size_t len = strlen(fhost.journal_log);

	fake_lock_check(lock);
	fhost.journal[0] = '\0';
	snprintf(fhost.journal_log + len, sizeof(fhost.journal_log) - len,
		 "erase;");
	return 0;
}

#endif /* MIRRORCTL_FAKE_HOST_H */
