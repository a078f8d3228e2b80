// SPDX-License-Identifier: GPL-2.0-only
/*
 * blockdev.c - block devices: what start checks about a destination
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/fs.h>		/* BLKGETSIZE64, BLKSSZGET */
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "blockdev.h"
#include "errors.h"
#include "log.h"

#define SYS_DEV_BLOCK	"/sys/dev/block"

int blockdev_get(const char *path, struct blockdev *bd)
{
	struct stat st;
	int fd, lbs, r = 0;

	if (stat(path, &st)) {
		if (errno == ENOENT || errno == ENOTDIR) {
			log_err("%s: no such device", path);
			return -ENODEV;
		}
		r = -errno;
		log_err("%s: cannot stat: %s", path, strerror(-r));
		return r;
	}
	if (!S_ISBLK(st.st_mode)) {
		log_err("%s: not a block device", path);
		return -MCTL_EPRECOND;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		log_err("%s: cannot open: %s", path, strerror(-r));
		return r;
	}
	bd->path = path;
	bd->major = major(st.st_rdev);
	bd->minor = minor(st.st_rdev);
	if (ioctl(fd, BLKGETSIZE64, &bd->size_bytes) ||
	    ioctl(fd, BLKSSZGET, &lbs)) {
		r = -errno;
		log_err("%s: cannot read its size: %s", path, strerror(-r));
	} else {
		bd->logical_block_size = lbs;
	}
	close(fd);
	return r;
}

int blockdev_open_exclusive(const char *path)
{
	int fd = open(path, O_RDONLY | O_EXCL | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/* Read one unsigned number from a sysfs file. */
static int sysfs_read_u64(const char *path, uint64_t *v)
{
	unsigned long long x;
	FILE *f = fopen(path, "re");
	int n;

	if (!f)
		return -errno;
	n = fscanf(f, "%llu", &x);
	fclose(f);
	if (n != 1)
		return -EINVAL;
	*v = x;
	return 0;
}

int blockdev_sysfs_lbs(uint32_t maj, uint32_t min, unsigned int *lbs)
{
	char path[PATH_MAX];
	uint64_t v;
	int r;

	snprintf(path, sizeof(path), SYS_DEV_BLOCK "/%u:%u/queue/logical_block_size",
		 maj, min);
	r = sysfs_read_u64(path, &v);
	if (r)
		return r;
	*lbs = v;
	return 0;
}

int blockdev_sysfs_sectors(uint32_t maj, uint32_t min, uint64_t *sectors)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), SYS_DEV_BLOCK "/%u:%u/size", maj, min);
	return sysfs_read_u64(path, sectors);
}

/* The kernel's name of @maj:@min ("nbd0"), from its sysfs uevent. */
static int sysfs_kname(uint32_t maj, uint32_t min, char *buf, size_t len)
{
	char path[PATH_MAX], line[256];
	int r = -ENOENT;
	FILE *f;

	snprintf(path, sizeof(path), SYS_DEV_BLOCK "/%u:%u/uevent", maj, min);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "DEVNAME=", 8)) {
			line[strcspn(line, "\n")] = '\0';
			snprintf(buf, len, "%s", line + 8);
			r = 0;
			break;
		}
	}
	fclose(f);
	return r;
}

int blockdev_nbd_timeout(uint32_t maj, uint32_t min, uint64_t *jiffies)
{
	char name[256], path[PATH_MAX];
	size_t digits;

	if (sysfs_kname(maj, min, name, sizeof(name)) || strncmp(name, "nbd", 3))
		return 0;
	/* nbd<N>, or its partition nbd<N>p<M>: the disk's timeout */
	digits = strspn(name + 3, "0123456789");
	if (!digits || (name[3 + digits] && name[3 + digits] != 'p'))
		return 0;
	name[3 + digits] = '\0';
	snprintf(path, sizeof(path), "/sys/kernel/debug/nbd/%s/timeout", name);
	return sysfs_read_u64(path, jiffies) ? -ENOENT : 1;
}

void blockdev_whole_disk(uint32_t maj, uint32_t min, uint32_t *wmaj,
			 uint32_t *wmin)
{
	char path[PATH_MAX];
	unsigned int a, b;
	uint64_t part;
	FILE *f;

	*wmaj = maj;
	*wmin = min;
	snprintf(path, sizeof(path), SYS_DEV_BLOCK "/%u:%u/partition", maj, min);
	if (sysfs_read_u64(path, &part))
		return;		/* no partition */
	/* The partition's directory sits in its disk's. */
	snprintf(path, sizeof(path), SYS_DEV_BLOCK "/%u:%u/../dev", maj, min);
	f = fopen(path, "re");
	if (!f)
		return;
	if (fscanf(f, "%u:%u", &a, &b) == 2) {
		*wmaj = a;
		*wmin = b;
	}
	fclose(f);
}

int blockdev_parse_devno(const char *s, uint32_t *maj, uint32_t *min)
{
	unsigned int a, b;
	char tail;

	if (sscanf(s, "%u:%u%c", &a, &b, &tail) != 2 || s[0] < '0' ||
	    s[0] > '9')
		return -EINVAL;
	*maj = a;
	*min = b;
	return 0;
}

void blockdev_name(const char *dev, char *buf, size_t len)
{
	char path[PATH_MAX], line[256], name[256];
	uint32_t maj, min;
	FILE *f;

	snprintf(buf, len, "%s", dev);
	if (blockdev_parse_devno(dev, &maj, &min))
		return;

	snprintf(path, sizeof(path), SYS_DEV_BLOCK "/%u:%u/dm/name", maj, min);
	f = fopen(path, "re");
	if (f) {
		if (fgets(name, sizeof(name), f)) {
			name[strcspn(name, "\n")] = '\0';
			if (name[0])
				snprintf(buf, len, "/dev/mapper/%s", name);
		}
		fclose(f);
		return;
	}

	snprintf(path, sizeof(path), SYS_DEV_BLOCK "/%u:%u/uevent", maj, min);
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "DEVNAME=", 8)) {
			line[strcspn(line, "\n")] = '\0';
			snprintf(buf, len, "/dev/%s", line + 8);
			break;
		}
	}
	fclose(f);
}
