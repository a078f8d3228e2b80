// SPDX-License-Identifier: GPL-2.0-only
/*
 * lock.c - one mirrorctl changing tables at a time; see lock.h
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "clock.h"
#include "lock.h"
#include "log.h"

pid_t lock_holder_pid(FILE *proc_locks, dev_t dev, ino_t ino)
{
	unsigned int maj, min;
	unsigned long long i;
	char line[256], kind[16];
	long pid;

	/* "1: FLOCK  ADVISORY  WRITE 1234 fd:01:5678 0 EOF" */
	while (fgets(line, sizeof(line), proc_locks)) {
		if (strstr(line, "->"))
			continue;
		if (sscanf(line, "%*d: %15s %*s %*s %ld %x:%x:%llu", kind,
			   &pid, &maj, &min, &i) != 5)
			continue;
		if (!strcmp(kind, "FLOCK") && maj == major(dev) &&
		    min == minor(dev) && i == (unsigned long long)ino && pid > 0)
			return pid;
	}
	return 0;
}

/* "pid 1234 (mirrorctl cancel vm)", or "another process" */
static void describe_holder(int fd, char *buf, size_t len)
{
	char path[64], cmd[160];
	struct stat st;
	FILE *f = NULL;
	pid_t pid = 0;
	size_t n = 0, k;
	int cfd;

	if (!fstat(fd, &st))
		f = fopen("/proc/locks", "re");
	if (f) {
		pid = lock_holder_pid(f, st.st_dev, st.st_ino);
		fclose(f);
	}
	if (!pid) {
		snprintf(buf, len, "another process");
		return;
	}
	snprintf(path, sizeof(path), "/proc/%ld/cmdline", (long)pid);
	cfd = open(path, O_RDONLY | O_CLOEXEC);
	if (cfd >= 0) {
		ssize_t got = read(cfd, cmd, sizeof(cmd) - 1);

		n = got > 0 ? got : 0;
		close(cfd);
	}
	/* its arguments, NUL-separated, trailing NUL dropped */
	while (n && !cmd[n - 1])
		n--;
	cmd[n] = '\0';
	for (k = 0; k < n; k++)
		if (!cmd[k])
			cmd[k] = ' ';
	if (n)
		snprintf(buf, len, "pid %ld (%s)", (long)pid, cmd);
	else
		snprintf(buf, len, "pid %ld", (long)pid);
}

/* Prepare /run/lock and open the lock file; -1 (said) when we cannot. */
static int lock_open(int flags)
{
	int fd;

	/* /run/lock may be missing in an initramfs. */
	mkdir("/run", 0755);
	mkdir(LOCK_DIR, 01777);
	fd = open(LOCK_PATH, flags | O_CLOEXEC, 0600);
	if (fd < 0)
		log_verbose("%s: cannot open, going on unlocked: %s",
			    LOCK_PATH, strerror(errno));
	return fd;
}

int lock_take(struct mctl_lock *lock, uint64_t deadline_us)
{
	uint64_t t0 = clock_now_us(), now;
	char holder[224];
	bool said = false;
	int fd;

	lock->held = false;
	lock->fd = -1;
	fd = lock_open(O_RDWR | O_CREAT);
	if (fd < 0)
		return 0;
	while (flock(fd, LOCK_EX | LOCK_NB)) {
		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK) {
			log_verbose("%s: cannot lock, going on unlocked: %s",
				    LOCK_PATH, strerror(errno));
			close(fd);
			return 0;
		}
		now = clock_now_us();
		if (deadline_us && now >= deadline_us) {
			describe_holder(fd, holder, sizeof(holder));
			log_err("%s: still held by %s, giving up (--timeout)",
				LOCK_PATH, holder);
			close(fd);
			return -ETIMEDOUT;
		}
		if (!said && now - t0 >= LOCK_SAY_WAIT_MS * 1000ull) {
			describe_holder(fd, holder, sizeof(holder));
			log_err("%s: held by %s, waiting%s", LOCK_PATH, holder,
				deadline_us ? " (until --timeout)" : "");
			said = true;
		}
		clock_sleep_ms(LOCK_POLL_MS);
	}
	log_dbg("holding %s", LOCK_PATH);
	lock->held = true;
	lock->fd = fd;
	return 0;
}

int lock_peek(struct mctl_lock *lock)
{
	int fd, r;

	lock->held = false;
	lock->fd = -1;
	fd = open(LOCK_PATH, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while ((r = flock(fd, LOCK_SH | LOCK_NB)) && errno == EINTR)
		;
	if (r) {
		r = -errno;
		close(fd);
		return r;
	}
	lock->held = true;
	lock->fd = fd;
	return 0;
}

void lock_release(struct mctl_lock *lock)
{
	if (lock->held)
		close(lock->fd);	/* drops the flock */
	lock->held = false;
	lock->fd = -1;
}
