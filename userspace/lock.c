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

int lock_take(void)
{
	int fd;

	/* /run/lock may be missing in an initramfs. */
	mkdir("/run", 0755);
	mkdir(LOCK_DIR, 01777);
	fd = open(LOCK_PATH, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		log_verbose("%s: cannot open, going on unlocked: %s",
			    LOCK_PATH, strerror(errno));
		return -1;
	}
	while (flock(fd, LOCK_EX)) {
		if (errno == EINTR)
			continue;
		log_verbose("%s: cannot lock, going on unlocked: %s",
			    LOCK_PATH, strerror(errno));
		close(fd);
		return -1;
	}
	log_dbg("holding %s", LOCK_PATH);
	return fd;
}

void lock_release(int lock)
{
	if (lock >= 0)
		close(lock);	/* drops the flock */
}
