// SPDX-License-Identifier: GPL-2.0-only
/*
 * lock.c - one mirrorctl changing tables at a time
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>

#include "lock.h"
#include "log.h"

void lock_take(struct mctl_lock *lock)
{
	int fd;

	lock->held = false;
	lock->fd = -1;

	/* /run/lock may be missing in an initramfs. */
	mkdir("/run", 0755);
	mkdir(LOCK_DIR, 01777);
	fd = open(LOCK_PATH, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		log_verbose("%s: cannot open, going on unlocked: %s",
			    LOCK_PATH, strerror(errno));
		return;
	}
	while (flock(fd, LOCK_EX)) {
		if (errno == EINTR)
			continue;
		log_verbose("%s: cannot lock, going on unlocked: %s",
			    LOCK_PATH, strerror(errno));
		close(fd);
		return;
	}
	log_dbg("holding %s", LOCK_PATH);
	lock->held = true;
	lock->fd = fd;
}

void lock_release(struct mctl_lock *lock)
{
	if (lock->held)
		close(lock->fd);	/* drops the flock */
	lock->held = false;
	lock->fd = -1;
}
