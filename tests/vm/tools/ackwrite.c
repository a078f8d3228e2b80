// SPDX-License-Identifier: GPL-2.0
/*
 * ackwrite - a writer that records every acknowledged write on a
 * separate "log" device, and the verifier of what it recorded (the VM
 * lane's crash loop, tests/vm/cases/crash-loop.sh).
 *
 *   ackwrite init LOG
 *   ackwrite write DEV LOG --seed S [--hot-start SECTOR --hot-len SECTORS]
 *                  [--hot-pct P] [--qd N] [--rate W] [--count N]
 *                  [--sync dsync|fdatasync]
 *   ackwrite verify DEV LOG
 *   ackwrite cmp A B
 *
 * Contract.
 *
 * DEV is cut into 4 KiB blocks.  Every block ackwrite writes is
 * self-describing: a header (magic, its block number, a sequence number,
 * a 64-bit hash of the whole block) and a fill that follows from the block
 * number and the sequence number.  A block is "well-formed" when all of
 * that holds; a block that reads as zeroes was never written.
 *
 * A write is acknowledged once pwrite() of the block with O_DIRECT
 * returned, made durable by O_DSYNC (the default: a FUA write) or by an
 * fdatasync() of DEV (--sync fdatasync: an empty flush).  Only then is
 * the block's new sequence number written to the block's slot on LOG
 * (one 512-byte sector per block, O_DIRECT|O_DSYNC, so a slot is never
 * torn and never read-modify-written), with the number of acknowledged
 * writes of that block so far.  So after any crash, a slot names a write
 * that DEV acknowledged; DEV may hold that write or a later one whose
 * slot update was lost.
 *
 * Sequence numbers are (epoch << 32) | n.  The epoch is in LOG's header
 * (sector 0); each "write" run adds one to it, durably, before its first
 * write, and n counts from 1 in the run.  So the numbers only grow, also
 * across crashes and reboots: a write in flight at a crash (on DEV, not
 * logged) never has the number of a later write, which would let a lost
 * later write pass for present.
 *
 * write runs until SIGTERM or SIGINT (it finishes the writes in flight,
 * logs them, prints its counts and exits 0), until --count writes are
 * acknowledged, or until it is killed.  A failed write, flush or log
 * write ends it with exit 1 (that write is not logged).  --qd N runs N
 * threads; thread t writes only the blocks b with b % N == t, so no two
 * writes to one block, nor to one slot, are ever in flight together.
 * --hot-pct P (default 90; a fraction such as 99.5 too) of the writes go
 * to a block drawn in the hot window [--hot-start, --hot-start +
 * --hot-len) (sectors; no window: every write is cold), the others
 * ("cold") anywhere on DEV.  The cold writes are spread evenly, not drawn:
 * of any M consecutive writes of a thread at most M * (100 - P) / 100 + 1
 * are cold, so with --rate W (a cap on the writes per second, all threads
 * together; default 0, no cap) a case can bound the regions written in
 * the last T seconds by the hot window's plus T * W * (100 - P) / 100 +
 * qd.  --seed S makes the block choice repeatable (with the epoch).
 *
 * verify reads DEV and LOG with O_DIRECT and checks every block:
 *   - a block whose slot holds s > 0 must be well-formed, carry its own
 *     block number and a sequence number >= s (a later write whose slot
 *     update was lost may be there) and not newer than LOG's epoch;
 *   - a block whose slot is empty must read as zeroes or be well-formed
 *     (a write in flight at a crash);
 *   - a slot must be empty or valid (magic, hash, its own block number).
 * It prints the counts, the first mismatches with their offsets, and a
 * machine-readable line "ackwrite: key=value ...", and exits 1 on any
 * mismatch.  A lost acknowledged write shows as zeroes, an older sequence
 * number, or a malformed block.
 *
 * init LOG writes an empty log: zero slots, epoch 0.  LOG must hold
 * 512 * (1 + DEV's blocks) bytes (64 MiB of DEV: 8 MiB + 512); the header
 * records the block count at the first write, and DEV must match it.
 *
 * cmp A B compares the first size(A) bytes of A and B with O_DIRECT reads
 * (so no stale page cache): it prints the number of 4 KiB blocks that
 * differ and the first of them, and exits 1 if any does.
 *
 * Exit codes: 0 ok, 1 mismatch or I/O error, 2 usage.
 * Build: gcc -static -O2 -Wall -Wextra -Werror -pthread (build-initramfs.sh).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/fs.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define BLK		4096u
#define SECT		512u
#define WORDS		(BLK / 8)
#define BLK_MAGIC	0x31304b4c424b4341ull	/* "ACKBLK01" */
#define SLOT_MAGIC	0x31304c534b4341ull	/* "ACKSL01\0" */
#define LOG_MAGIC	0x3130474f4c4b4341ull	/* "ACKLOG01" */
#define MAX_QD		64
#define SHOW_MAX	10

static const char *prog = "ackwrite";

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void usage(void) __attribute__((noreturn));
static void usage(void)
{
	fprintf(stderr,
		"usage: ackwrite init LOG\n"
		"       ackwrite write DEV LOG --seed S [--hot-start SECTOR --hot-len SECTORS]\n"
		"                      [--hot-pct P] [--qd N] [--rate W] [--count N]\n"
		"                      [--sync dsync|fdatasync]\n"
		"       ackwrite verify DEV LOG\n"
		"       ackwrite cmp A B\n");
	exit(2);
}

/* ---------------------------------------------------------- hashing */

static uint64_t mix64(uint64_t x)	/* splitmix64's finaliser */
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static uint64_t hash_words(const uint64_t *w, size_t n)
{
	uint64_t h = 0x243f6a8885a308d3ull ^ n;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= w[i] * 0x87c37b91114253d5ull;
		h = (h << 31 | h >> 33) * 0x4cf5ad432745937full;
	}
	return mix64(h);
}

/* --------------------------------------------------------- the block */

/* word 0 magic, 1 block, 2 seq, 3 hash (of the block with word 3 zero) */
static uint64_t fill_word(uint64_t block, uint64_t seq, unsigned int i)
{
	return mix64(block * 0xd6e8feb86659fd93ull ^ seq * 0xa0761d6478bd642full ^ i);
}

static void make_block(uint64_t *w, uint64_t block, uint64_t seq)
{
	unsigned int i;

	w[0] = BLK_MAGIC;
	w[1] = block;
	w[2] = seq;
	w[3] = 0;
	for (i = 4; i < WORDS; i++)
		w[i] = fill_word(block, seq, i);
	w[3] = hash_words(w, WORDS);
}

static int all_zero(const void *p, size_t n)
{
	const uint64_t *w = p;
	size_t i;

	for (i = 0; i < n / 8; i++)
		if (w[i])
			return 0;
	return 1;
}

/* check_block: NULL if W is a well-formed block number BLOCK (its seq in
 * *SEQ), else why not */
static const char *check_block(uint64_t *w, uint64_t block, uint64_t *seq)
{
	uint64_t h = w[3];
	unsigned int i;
	int ok;

	if (w[0] != BLK_MAGIC)
		return "no block header (bad magic)";
	w[3] = 0;
	ok = hash_words(w, WORDS) == h;
	w[3] = h;
	if (!ok)
		return "bad checksum (torn or corrupt)";
	if (w[1] != block)
		return "the block of another offset (misplaced)";
	for (i = 4; i < WORDS; i++)
		if (w[i] != fill_word(block, w[2], i))
			return "wrong fill";
	*seq = w[2];
	return NULL;
}

/* --------------------------------------------------------------- log */

struct slot {			/* LOG sector 1 + block */
	uint64_t magic, block, seq, count, hash;
};

struct header {			/* LOG sector 0 */
	uint64_t magic, epoch, nblocks, hash;
};

static void slot_encode(void *sect, uint64_t block, uint64_t seq, uint64_t count)
{
	uint64_t *w = sect;

	memset(sect, 0, SECT);
	w[0] = SLOT_MAGIC;
	w[1] = block;
	w[2] = seq;
	w[3] = count;
	w[4] = hash_words(w, 4);
}

/* slot_decode: 0 empty (S zeroed), 1 valid, -1 invalid */
static int slot_decode(const void *sect, uint64_t block, struct slot *s)
{
	const uint64_t *w = sect;

	memset(s, 0, sizeof(*s));
	if (all_zero(sect, SECT))
		return 0;
	if (w[0] != SLOT_MAGIC || w[4] != hash_words(w, 4) || w[1] != block ||
	    !all_zero(w + 5, SECT - 40) || !w[2])
		return -1;
	s->magic = w[0];
	s->block = w[1];
	s->seq = w[2];
	s->count = w[3];
	return 1;
}

static void *xalign(size_t n)
{
	void *p;

	if (posix_memalign(&p, BLK, n))
		die("out of memory");
	memset(p, 0, n);
	return p;
}

static void pwrite_all(int fd, const void *buf, size_t n, off_t off, const char *what)
{
	ssize_t r = pwrite(fd, buf, n, off);

	if (r != (ssize_t)n)
		die("%s: write of %zu bytes at %jd: %s", what, n, (intmax_t)off,
		    r < 0 ? strerror(errno) : "short write");
}

static void pread_all(int fd, void *buf, size_t n, off_t off, const char *what)
{
	ssize_t r = pread(fd, buf, n, off);

	if (r != (ssize_t)n)
		die("%s: read of %zu bytes at %jd: %s", what, n, (intmax_t)off,
		    r < 0 ? strerror(errno) : "short read");
}

static uint64_t dev_bytes(int fd, const char *path)
{
	struct stat st;
	uint64_t n;

	if (fstat(fd, &st))
		die("%s: %s", path, strerror(errno));
	if (S_ISBLK(st.st_mode)) {
		if (ioctl(fd, BLKGETSIZE64, &n))
			die("%s: BLKGETSIZE64: %s", path, strerror(errno));
		return n;
	}
	return st.st_size;
}

static int open_dev(const char *path, int flags)
{
	int fd = open(path, flags | O_DIRECT);

	if (fd < 0)
		die("%s: %s", path, strerror(errno));
	return fd;
}

static void header_read(int fd, const char *path, struct header *h)
{
	uint64_t *w = xalign(SECT);

	pread_all(fd, w, SECT, 0, path);
	if (w[0] != LOG_MAGIC || w[3] != hash_words(w, 3))
		die("%s: not an ackwrite log (run ackwrite init %s first)", path, path);
	h->magic = w[0];
	h->epoch = w[1];
	h->nblocks = w[2];
	h->hash = w[3];
	free(w);
}

static void header_write(int fd, const char *path, uint64_t epoch, uint64_t nblocks)
{
	uint64_t *w = xalign(SECT);

	w[0] = LOG_MAGIC;
	w[1] = epoch;
	w[2] = nblocks;
	w[3] = hash_words(w, 3);
	pwrite_all(fd, w, SECT, 0, path);
	free(w);
}

static void seq_str(char *buf, size_t n, uint64_t seq)
{
	snprintf(buf, n, "%" PRIu64 ":%" PRIu64, seq >> 32, seq & 0xffffffffu);
}

/* -------------------------------------------------------------- init */

static int cmd_init(const char *log)
{
	int fd = open_dev(log, O_RDWR | O_DSYNC);
	uint64_t bytes = dev_bytes(fd, log), off;
	size_t chunk = 1u << 20;
	void *z = xalign(chunk);

	for (off = SECT; off < bytes; off += chunk) {
		size_t n = bytes - off < chunk ? bytes - off : chunk;

		n -= n % SECT;
		if (n)
			pwrite_all(fd, z, n, off, log);
	}
	header_write(fd, log, 0, 0);
	close(fd);
	free(z);
	printf("ackwrite init %s: an empty log of %" PRIu64 " slots\n", log,
	       bytes / SECT - 1);
	return 0;
}

/* ------------------------------------------------------------- write */

static struct {
	const char *dev, *log;
	int devfd, logfd;
	uint64_t nblocks, epoch, seed;
	uint64_t hot_first, hot_n;	/* blocks */
	double hot_pct;
	unsigned int qd;
	double rate;			/* writes/s, all threads; 0 none */
	uint64_t count;			/* 0: no limit */
	int fdatasync;
	uint64_t *counts;		/* acknowledged writes, per block */
	atomic_uint_fast64_t next_n;	/* the next seq's low half */
	atomic_uint_fast64_t issued;	/* writes begun (for --count) */
	atomic_uint_fast64_t acked, acked_hot;
	atomic_int stop, failed;
	atomic_int running;
} W;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t rng_next(uint64_t *s)
{
	*s += 0x9e3779b97f4a7c15ull;
	return mix64(*s);
}

/* pick_block: the block of thread T's I-th write, of T's class
 * (b % qd == t).  Cold writes are spread evenly: write I is cold when
 * floor((I + 1) * c) > floor(I * c), c the cold fraction. */
static uint64_t pick_block(uint64_t *rng, unsigned int t, uint64_t i, int *hot)
{
	uint64_t first = 0, n = W.nblocks, b;
	double c = (100.0 - W.hot_pct) / 100.0;

	*hot = 0;
	if (W.hot_n && (uint64_t)((i + 1) * c) == (uint64_t)(i * c)) {
		first = W.hot_first;
		n = W.hot_n;
		*hot = 1;
	}
	b = first + rng_next(rng) % n;
	b = b - b % W.qd + t;		/* within qd - 1 of the draw */
	if (b < first)
		b += W.qd;
	else if (b >= first + n)
		b -= W.qd;		/* n >= qd: still >= first */
	return b;
}

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	atomic_store(&W.failed, 1);
	atomic_store(&W.stop, 1);
}

static void *writer(void *arg)
{
	unsigned int t = (unsigned int)(uintptr_t)arg;
	uint64_t *blk = xalign(BLK), *sect = xalign(SECT);
	uint64_t rng = mix64(W.seed ^ mix64(W.epoch) ^ (t + 1) * 0x51ed2701ull);
	double period = W.rate > 0 ? W.qd / W.rate : 0, next = now_s();
	uint64_t nth = 0;
	char s1[32];

	/* the cold writes' schedule starts at a random phase */
	if (W.hot_pct < 100)
		nth = rng_next(&rng) % (uint64_t)(100.0 / (100.0 - W.hot_pct) + 1);

	while (!atomic_load(&W.stop)) {
		uint64_t b, seq;
		ssize_t r;
		int hot;

		if (W.count && atomic_fetch_add(&W.issued, 1) >= W.count)
			break;
		if (period > 0) {
			double d = next - now_s();

			if (d > 0) {
				struct timespec ts = { (time_t)d, (long)((d - (time_t)d) * 1e9) };

				nanosleep(&ts, NULL);
			}
			next += period;
			if (next < now_s() - 1)	/* do not burst after a stall */
				next = now_s();
		}
		b = pick_block(&rng, t, nth++, &hot);
		seq = W.epoch << 32 | atomic_fetch_add(&W.next_n, 1);
		make_block(blk, b, seq);
		r = pwrite(W.devfd, blk, BLK, (off_t)(b * BLK));
		if (r != (ssize_t)BLK) {
			seq_str(s1, sizeof(s1), seq);
			fail("%s: write of block %" PRIu64 " (seq %s): %s", W.dev, b, s1,
			     r < 0 ? strerror(errno) : "short write");
			break;
		}
		if (W.fdatasync && fdatasync(W.devfd)) {
			fail("%s: fdatasync after block %" PRIu64 ": %s", W.dev, b, strerror(errno));
			break;
		}
		/* acknowledged: log it */
		slot_encode(sect, b, seq, W.counts[b] + 1);
		r = pwrite(W.logfd, sect, SECT, (off_t)((1 + b) * SECT));
		if (r != (ssize_t)SECT) {
			fail("%s: log write of block %" PRIu64 ": %s", W.log, b,
			     r < 0 ? strerror(errno) : "short write");
			break;
		}
		W.counts[b]++;
		atomic_fetch_add(&W.acked, 1);
		if (hot)
			atomic_fetch_add(&W.acked_hot, 1);
	}
	free(blk);
	free(sect);
	atomic_fetch_sub(&W.running, 1);
	return NULL;
}

static uint64_t num_arg(const char *opt, const char *v)
{
	char *end;
	unsigned long long n;

	errno = 0;
	n = strtoull(v, &end, 10);
	if (!*v || *end || errno || *v == '-') {
		fprintf(stderr, "%s: %s: not a number: %s\n", prog, opt, v);
		usage();
	}
	return n;
}

static double pct_arg(const char *opt, const char *v)
{
	char *end;
	double d;

	errno = 0;
	d = strtod(v, &end);
	if (!*v || *end || errno || !(d >= 0 && d <= 100)) {
		fprintf(stderr, "%s: %s: not a percentage: %s\n", prog, opt, v);
		usage();
	}
	return d;
}

static int cmd_write(int argc, char **argv)
{
	uint64_t hot_start = 0, hot_len = 0, bytes, i, logged = 0;
	int have_seed = 0, have_hot = 0;
	unsigned int t;
	pthread_t th[MAX_QD];
	sigset_t set;
	uint8_t *slots;
	struct header h;
	struct slot s;
	double t0;
	int a;

	if (argc < 2)
		usage();
	W.dev = argv[0];
	W.log = argv[1];
	W.hot_pct = 90;
	W.qd = 1;
	for (a = 2; a < argc; a++) {
		const char *o = argv[a], *v = a + 1 < argc ? argv[a + 1] : NULL;

		if (!v)
			usage();
		a++;
		if (!strcmp(o, "--seed"))
			W.seed = num_arg(o, v), have_seed = 1;
		else if (!strcmp(o, "--hot-start"))
			hot_start = num_arg(o, v), have_hot = 1;
		else if (!strcmp(o, "--hot-len"))
			hot_len = num_arg(o, v), have_hot = 1;
		else if (!strcmp(o, "--hot-pct"))
			W.hot_pct = pct_arg(o, v);
		else if (!strcmp(o, "--qd"))
			W.qd = num_arg(o, v);
		else if (!strcmp(o, "--rate"))
			W.rate = num_arg(o, v);
		else if (!strcmp(o, "--count"))
			W.count = num_arg(o, v);
		else if (!strcmp(o, "--sync") && !strcmp(v, "dsync"))
			W.fdatasync = 0;
		else if (!strcmp(o, "--sync") && !strcmp(v, "fdatasync"))
			W.fdatasync = 1;
		else
			usage();
	}
	if (!have_seed || W.qd < 1 || W.qd > MAX_QD)
		usage();

	W.devfd = open_dev(W.dev, O_RDWR | (W.fdatasync ? 0 : O_DSYNC));
	W.logfd = open_dev(W.log, O_RDWR | O_DSYNC);
	bytes = dev_bytes(W.devfd, W.dev);
	W.nblocks = bytes / BLK;
	if (W.nblocks < W.qd)
		die("%s: %" PRIu64 " blocks of 4 KiB, fewer than --qd", W.dev, W.nblocks);
	if (dev_bytes(W.logfd, W.log) < (1 + W.nblocks) * SECT)
		die("%s: too small for %" PRIu64 " blocks (needs %" PRIu64 " bytes)",
		    W.log, W.nblocks, (1 + W.nblocks) * SECT);
	if (have_hot) {
		W.hot_first = hot_start / 8;
		W.hot_n = hot_len / 8;
		if (W.hot_first >= W.nblocks || !W.hot_n)
			die("the hot window [%" PRIu64 ", +%" PRIu64 ") sectors is not within %s",
			    hot_start, hot_len, W.dev);
		if (W.hot_first + W.hot_n > W.nblocks)
			W.hot_n = W.nblocks - W.hot_first;
		if (W.hot_n < W.qd)
			die("the hot window holds fewer blocks than --qd");
	}

	header_read(W.logfd, W.log, &h);
	if (h.nblocks && h.nblocks != W.nblocks)
		die("%s: the log is for %" PRIu64 " blocks, %s has %" PRIu64, W.log,
		    h.nblocks, W.dev, W.nblocks);
	/* the per-block counts go on from the log; a corrupt slot stops us */
	W.counts = calloc(W.nblocks, sizeof(*W.counts));
	slots = xalign(W.nblocks * SECT);
	if (!W.counts)
		die("out of memory");
	pread_all(W.logfd, slots, W.nblocks * SECT, SECT, W.log);
	for (i = 0; i < W.nblocks; i++) {
		int r = slot_decode(slots + i * SECT, i, &s);

		if (r < 0)
			die("%s: the slot of block %" PRIu64 " is corrupt", W.log, i);
		W.counts[i] = s.count;
		logged += s.count;
	}
	free(slots);
	/* a new epoch, durable before the first write */
	W.epoch = h.epoch + 1;
	header_write(W.logfd, W.log, W.epoch, W.nblocks);
	atomic_store(&W.next_n, 1);

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);	/* the threads inherit it */
	fprintf(stderr, "ackwrite write %s: epoch %" PRIu64 ", %" PRIu64
		" blocks, hot blocks %" PRIu64 "+%" PRIu64 " (%g%%), qd %u, rate %g/s, sync %s; "
		"%" PRIu64 " writes logged before\n", W.dev, W.epoch, W.nblocks,
		W.hot_first, W.hot_n, W.hot_n ? W.hot_pct : 0.0, W.qd, W.rate,
		W.fdatasync ? "fdatasync" : "dsync", logged);
	t0 = now_s();
	atomic_store(&W.running, (int)W.qd);
	for (t = 0; t < W.qd; t++)
		if (pthread_create(&th[t], NULL, writer, (void *)(uintptr_t)t))
			die("pthread_create failed");
	while (atomic_load(&W.running) > 0) {
		struct timespec ts = { 0, 100 * 1000 * 1000 };

		if (sigtimedwait(&set, NULL, &ts) > 0)
			atomic_store(&W.stop, 1);
	}
	for (t = 0; t < W.qd; t++)
		pthread_join(th[t], NULL);
	printf("ackwrite write %s: epoch %" PRIu64 ": %" PRIu64 " writes acknowledged and logged "
	       "(%" PRIu64 " hot) in %.1f s%s\n", W.dev, W.epoch, (uint64_t)atomic_load(&W.acked),
	       (uint64_t)atomic_load(&W.acked_hot), now_s() - t0,
	       atomic_load(&W.failed) ? ", then failed" : "");
	return atomic_load(&W.failed) ? 1 : 0;
}

/* ------------------------------------------------------------ verify */

static int cmd_verify(int argc, char **argv)
{
	const char *dev, *log;
	int devfd, logfd;
	uint64_t nblocks, b, base, chunk = 256;	/* blocks a read */
	uint64_t acked = 0, newer = 0, unlogged = 0, zero = 0, bad = 0, badslot = 0;
	uint64_t writes = 0;
	uint8_t *data, *slots;
	struct header h;
	char s1[32], s2[32];

	if (argc != 2)
		usage();
	dev = argv[0];
	log = argv[1];
	devfd = open_dev(dev, O_RDONLY);
	logfd = open_dev(log, O_RDONLY);
	nblocks = dev_bytes(devfd, dev) / BLK;
	header_read(logfd, log, &h);
	if (h.nblocks && h.nblocks != nblocks)
		die("%s: the log is for %" PRIu64 " blocks, %s has %" PRIu64, log,
		    h.nblocks, dev, nblocks);
	if (dev_bytes(logfd, log) < (1 + nblocks) * SECT)
		die("%s: too small for %" PRIu64 " blocks", log, nblocks);
	data = xalign(chunk * BLK);
	slots = xalign(chunk * SECT);

#define MISMATCH(...) do {						\
		if (bad++ < SHOW_MAX) {					\
			printf("ackwrite verify %s: block %" PRIu64	\
			       " (byte %" PRIu64 "): ", dev, b, b * BLK); \
			printf(__VA_ARGS__);				\
			putchar('\n');					\
		}							\
	} while (0)

	for (base = 0; base < nblocks; base += chunk) {
		uint64_t n = nblocks - base < chunk ? nblocks - base : chunk, k;

		pread_all(devfd, data, n * BLK, (off_t)(base * BLK), dev);
		pread_all(logfd, slots, n * SECT, (off_t)((1 + base) * SECT), log);
		for (k = 0; k < n; k++) {
			uint64_t *w = (uint64_t *)(data + k * BLK), seq = 0;
			const char *why = NULL;
			struct slot s;
			int z, r;

			b = base + k;
			r = slot_decode(slots + k * SECT, b, &s);
			if (r < 0) {
				badslot++;
				MISMATCH("its log slot is corrupt");
				continue;
			}
			writes += s.count;
			z = all_zero(w, BLK);
			if (!z)
				why = check_block(w, b, &seq);
			if (!z && !why && (seq >> 32) > h.epoch) {
				seq_str(s1, sizeof(s1), seq);
				MISMATCH("holds seq %s, of an epoch the log never began", s1);
				continue;
			}
			if (!r) {	/* never acknowledged */
				if (z)
					zero++;
				else if (!why)
					unlogged++;
				else
					MISMATCH("never acknowledged, not zeroes, not a block: %s", why);
				continue;
			}
			seq_str(s1, sizeof(s1), s.seq);
			if (z) {
				MISMATCH("acknowledged seq %s, reads as zeroes", s1);
			} else if (why) {
				MISMATCH("acknowledged seq %s, %s", s1, why);
			} else if (seq < s.seq) {
				seq_str(s2, sizeof(s2), seq);
				MISMATCH("acknowledged seq %s, holds the older seq %s", s1, s2);
			} else {
				acked++;
				if (seq > s.seq)
					newer++;
			}
		}
	}
	if (bad > SHOW_MAX)
		printf("ackwrite verify %s: ... and %" PRIu64 " more mismatches\n", dev,
		       bad - SHOW_MAX);
	printf("ackwrite verify %s against %s: %" PRIu64 " blocks checked: %" PRIu64
	       " hold their last acknowledged write (%" PRIu64 " of them a later one, "
	       "in flight at a crash), %" PRIu64 " written but never acknowledged, %"
	       PRIu64 " never written; %" PRIu64 " acknowledged writes logged in %"
	       PRIu64 " runs; %" PRIu64 " mismatches\n", dev, log, nblocks, acked, newer,
	       unlogged, zero, writes, h.epoch, bad);
	printf("ackwrite: blocks=%" PRIu64 " acked_blocks=%" PRIu64 " newer=%" PRIu64
	       " unlogged=%" PRIu64 " zero=%" PRIu64 " acked_writes=%" PRIu64
	       " epoch=%" PRIu64 " bad_slots=%" PRIu64 " mismatches=%" PRIu64 "\n",
	       nblocks, acked, newer, unlogged, zero, writes, h.epoch, badslot, bad);
	free(data);
	free(slots);
	close(devfd);
	close(logfd);
	return bad ? 1 : 0;
}

/* --------------------------------------------------------------- cmp */

static int cmd_cmp(const char *pa, const char *pb)
{
	int fa = open_dev(pa, O_RDONLY), fb = open_dev(pb, O_RDONLY);
	uint64_t bytes = dev_bytes(fa, pa), off, diff = 0, chunk = 1u << 20;
	uint8_t *a = xalign(chunk), *b = xalign(chunk);

	if (dev_bytes(fb, pb) < bytes)
		die("%s is smaller than %s", pb, pa);
	if (bytes % SECT)
		die("%s: not a whole number of sectors", pa);
	for (off = 0; off < bytes; off += chunk) {
		uint64_t n = bytes - off < chunk ? bytes - off : chunk, k;

		pread_all(fa, a, n, (off_t)off, pa);
		pread_all(fb, b, n, (off_t)off, pb);
		if (!memcmp(a, b, n))
			continue;
		for (k = 0; k < n; k += BLK) {
			uint64_t m = n - k < BLK ? n - k : BLK;

			if (memcmp(a + k, b + k, m) && diff++ < SHOW_MAX)
				printf("ackwrite cmp: block %" PRIu64 " (byte %" PRIu64
				       ") differs\n", (off + k) / BLK, off + k);
		}
	}
	printf("ackwrite cmp %s %s: %" PRIu64 " bytes, %" PRIu64 " blocks of 4 KiB differ\n",
	       pa, pb, bytes, diff);
	free(a);
	free(b);
	close(fa);
	close(fb);
	return diff ? 1 : 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2)
		usage();
	if (!strcmp(argv[1], "init") && argc == 3)
		return cmd_init(argv[2]);
	if (!strcmp(argv[1], "write"))
		return cmd_write(argc - 2, argv + 2);
	if (!strcmp(argv[1], "verify"))
		return cmd_verify(argc - 2, argv + 2);
	if (!strcmp(argv[1], "cmp") && argc == 4)
		return cmd_cmp(argv[2], argv[3]);
	usage();
}
