// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_lock.c - unit tests for userspace/lock.c: finding the holder of the
 * mirrorctl lock in /proc/locks, which a command waiting for it names
 * (lock.h).  lock_take() itself is exercised in the guest (mirrorctl-lock).
 */
#include <stdio.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "unit.h"
#include "lock.h"

/* The lock file: device 0:25 (0x19), inode 1234. */
#define LOCK_DEV	makedev(0, 25)
#define LOCK_INO	1234

static const struct holder_row {
	const char *what;
	const char *proc_locks;
	pid_t pid;
} holder_rows[] = {
	{ "no locks at all", "", 0 },
	{ "the holder",
	  "1: FLOCK  ADVISORY  WRITE 4242 00:19:1234 0 EOF\n", 4242 },
	{ "a shared holder (status peeking)",
	  "1: FLOCK  ADVISORY  READ 77 00:19:1234 0 EOF\n", 77 },
	{ "among other locks",
	  "1: POSIX  ADVISORY  WRITE 100 fd:01:1234 0 EOF\n"
	  "2: FLOCK  ADVISORY  WRITE 200 00:19:999 0 EOF\n"
	  "3: OFDLCK ADVISORY  READ  -1 00:06:1234 0 EOF\n"
	  "4: FLOCK  ADVISORY  WRITE 300 00:19:1234 0 EOF\n", 300 },
	{ "a waiter is not the holder",
	  "1: FLOCK  ADVISORY  WRITE 300 00:19:1234 0 EOF\n"
	  "1: -> FLOCK  ADVISORY  WRITE 301 00:19:1234 0 EOF\n", 300 },
	{ "only a waiter listed",
	  "1: -> FLOCK  ADVISORY  WRITE 301 00:19:1234 0 EOF\n", 0 },
	{ "a POSIX lock on the same file is not ours",
	  "1: POSIX  ADVISORY  WRITE 100 00:19:1234 0 EOF\n", 0 },
	{ "same inode, other device",
	  "1: FLOCK  ADVISORY  WRITE 100 00:1a:1234 0 EOF\n", 0 },
	{ "device numbers are hex",
	  "1: FLOCK  ADVISORY  WRITE 100 00:25:1234 0 EOF\n", 0 },
	{ "a pid another namespace cannot see",
	  "1: FLOCK  ADVISORY  WRITE 0 00:19:1234 0 EOF\n", 0 },
	{ "a garbled line, then the holder",
	  "garbage\n1: FLOCK\n2: FLOCK  ADVISORY  WRITE 55 00:19:1234 0 EOF\n",
	  55 },
};

static void lock_test_holder(void **state)
{
	const struct holder_row *row = *state;
	FILE *f;

	f = fmemopen((void *)row->proc_locks, strlen(row->proc_locks) + 1,
		     "r");
	assert_non_null(f);
	assert_int_equal(lock_holder_pid(f, LOCK_DEV, LOCK_INO), row->pid);
	fclose(f);
}

int main(void)
{
	struct unit_suite suite = { 0 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(holder_rows); i++)
		unit_add(&suite, lock_test_holder, (void *)&holder_rows[i],
			 "holder: %s -> %ld", holder_rows[i].what,
			 (long)holder_rows[i].pid);
	return unit_run(&suite, "lock");
}
