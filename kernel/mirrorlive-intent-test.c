// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the write-intent record (mirrorlive-intent.c): when a
 * write may go, what a block write carries and releases, when a sweep
 * may clear a bit, and what a failed block write does. The bios are
 * never submitted; only their identity is looked at.
 */
#include <kunit/test.h>
#include <linux/slab.h>

#include "mirrorlive-intent.h"
#include "mirrorlive-meta-format.h"

#define NONCE	0x5eedULL
#define BPB	MIRRORLIVE_META_BITS_PER_BLOCK

struct fixture {
	struct mirrorlive_intent *in;
	u8 *buf;
	u64 regions;
};

static struct fixture *setup(struct kunit *test, u64 regions)
{
	struct fixture *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, f);
	f->in = mirrorlive_intent_create(regions);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, f->in);
	f->buf = kunit_kzalloc(test, MIRRORLIVE_META_BLOCK_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, f->buf);
	f->regions = regions;
	return f;
}

static void teardown(struct fixture *f)
{
	mirrorlive_intent_destroy(f->in);
}

static struct bio *new_bio(struct kunit *test)
{
	struct bio *bio = kunit_kzalloc(test, sizeof(*bio), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, bio);
	return bio;
}

/* Is @region's bit set in the block encoded in f->buf (block @index)? */
static bool buf_has(struct kunit *test, struct fixture *f, u64 index,
		    u64 region)
{
	unsigned long *bits = kunit_kcalloc(test, BITS_TO_LONGS(BPB),
					    sizeof(long), GFP_KERNEL);
	u32 n = mirrorlive_meta_block_regions(f->regions, index);
	int r;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, bits);
	r = mirrorlive_meta_bitmap_decode(f->buf, MIRRORLIVE_META_KIND_INTENT,
					  index, NONCE, bits, n);
	KUNIT_ASSERT_EQ(test, r, 0);
	return test_bit(region - index * BPB, bits);
}

/* Write the next due block; it completes with @error. */
static s64 write_block(struct kunit *test, struct fixture *f, int error,
		       struct bio_list *go)
{
	s64 index = mirrorlive_intent_next_write(f->in, f->buf, NONCE);

	KUNIT_ASSERT_GE(test, index, 0);
	mirrorlive_intent_write_done(f->in, index, f->buf, NONCE, error, go);
	return index;
}

static void mirrorlive_intent_test_first_write_waits_for_its_bit(struct kunit *test)
{
	struct fixture *f = setup(test, 100);
	struct mirrorlive_intent_write w1, w2;
	struct bio *b1 = new_bio(test), *b2 = new_bio(test);
	struct bio_list go = BIO_EMPTY_LIST;

	KUNIT_EXPECT_TRUE(test, mirrorlive_intent_clean(f->in));
	KUNIT_EXPECT_FALSE(test, mirrorlive_intent_write_begin(f->in, &w1, 7, b1));
	KUNIT_EXPECT_TRUE(test, mirrorlive_intent_has_work(f->in));
	KUNIT_EXPECT_EQ(test, write_block(test, f, 0, &go), 0);
	KUNIT_EXPECT_TRUE(test, buf_has(test, f, 0, 7));
	KUNIT_EXPECT_FALSE(test, buf_has(test, f, 0, 8));
	KUNIT_EXPECT_PTR_EQ(test, bio_list_pop(&go), b1);
	KUNIT_EXPECT_TRUE(test, bio_list_empty(&go));
	KUNIT_EXPECT_EQ(test, mirrorlive_intent_durable(f->in), 1ULL);
	KUNIT_EXPECT_FALSE(test, mirrorlive_intent_has_work(f->in));

	/* the bit is on the disk: the next write goes at once */
	KUNIT_EXPECT_TRUE(test, mirrorlive_intent_write_begin(f->in, &w2, 7, b2));
	mirrorlive_intent_write_end(f->in, &w2);
	mirrorlive_intent_write_end(f->in, &w1);
	KUNIT_EXPECT_FALSE(test, mirrorlive_intent_clean(f->in));
	teardown(f);
}

/* A write that arrives while its block is being written waits for the next. */
static void mirrorlive_intent_test_write_during_block_write(struct kunit *test)
{
	struct fixture *f = setup(test, 100);
	struct mirrorlive_intent_write w1, w2, w3;
	struct bio *b1 = new_bio(test), *b2 = new_bio(test);
	struct bio *b3 = new_bio(test);
	struct bio_list go = BIO_EMPTY_LIST;
	s64 index;

	KUNIT_EXPECT_FALSE(test, mirrorlive_intent_write_begin(f->in, &w1, 1, b1));
	index = mirrorlive_intent_next_write(f->in, f->buf, NONCE);
	KUNIT_ASSERT_EQ(test, index, 0LL);
	/* one write per block in flight */
	KUNIT_EXPECT_EQ(test, mirrorlive_intent_next_write(f->in, f->buf, NONCE),
			(s64)-ENODATA);
	/* region 1 is in the block write; region 2 is not */
	KUNIT_EXPECT_FALSE(test, mirrorlive_intent_write_begin(f->in, &w2, 1, b2));
	KUNIT_EXPECT_FALSE(test, mirrorlive_intent_write_begin(f->in, &w3, 2, b3));
	/* the buffer holds the snapshot taken before w3 */
	mirrorlive_intent_write_done(f->in, index, f->buf, NONCE, 0, &go);
	KUNIT_EXPECT_PTR_EQ(test, bio_list_pop(&go), b1);
	KUNIT_EXPECT_PTR_EQ(test, bio_list_pop(&go), b2);
	KUNIT_EXPECT_TRUE(test, bio_list_empty(&go));
	KUNIT_EXPECT_TRUE(test, mirrorlive_intent_has_work(f->in));
	KUNIT_EXPECT_EQ(test, write_block(test, f, 0, &go), 0);
	KUNIT_EXPECT_TRUE(test, buf_has(test, f, 0, 2));
	KUNIT_EXPECT_PTR_EQ(test, bio_list_pop(&go), b3);
	mirrorlive_intent_write_end(f->in, &w1);
	mirrorlive_intent_write_end(f->in, &w2);
	mirrorlive_intent_write_end(f->in, &w3);
	teardown(f);
}

/* Writes to two blocks wait for their own block only. */
static void mirrorlive_intent_test_blocks_apart(struct kunit *test)
{
	struct fixture *f = setup(test, BPB + 10);
	struct mirrorlive_intent_write w0, w1;
	struct bio *b0 = new_bio(test), *b1 = new_bio(test);
	struct bio_list go = BIO_EMPTY_LIST;
	s64 first, second;

	mirrorlive_intent_write_begin(f->in, &w0, 3, b0);
	mirrorlive_intent_write_begin(f->in, &w1, BPB + 3, b1);
	first = mirrorlive_intent_next_write(f->in, f->buf, NONCE);
	KUNIT_ASSERT_GE(test, first, 0LL);
	mirrorlive_intent_write_done(f->in, first, f->buf, NONCE, 0, &go);
	KUNIT_EXPECT_PTR_EQ(test, bio_list_pop(&go), first ? b1 : b0);
	KUNIT_EXPECT_TRUE(test, bio_list_empty(&go));
	second = write_block(test, f, 0, &go);
	KUNIT_EXPECT_EQ(test, first + second, 1LL);
	KUNIT_EXPECT_TRUE(test, buf_has(test, f, second, second ? BPB + 3 : 3));
	KUNIT_EXPECT_PTR_EQ(test, bio_list_pop(&go), second ? b1 : b0);
	mirrorlive_intent_write_end(f->in, &w0);
	mirrorlive_intent_write_end(f->in, &w1);
	teardown(f);
}

/* Put region @r's bit on the disk, the write ended. */
static void dirty(struct kunit *test, struct fixture *f, u64 r)
{
	struct mirrorlive_intent_write w;
	struct bio_list go = BIO_EMPTY_LIST;

	if (!mirrorlive_intent_write_begin(f->in, &w, r, new_bio(test))) {
		write_block(test, f, 0, &go);
		KUNIT_ASSERT_FALSE(test, bio_list_empty(&go));
	}
	mirrorlive_intent_write_end(f->in, &w);
}

/* A sweep: prepare, (the flush of both legs), commit, write the blocks. */
static u64 sweep(struct kunit *test, struct fixture *f)
{
	struct bio_list go = BIO_EMPTY_LIST;
	u64 cleared;

	mirrorlive_intent_sweep_prepare(f->in);
	cleared = mirrorlive_intent_sweep_commit(f->in);
	while (mirrorlive_intent_has_work(f->in))
		write_block(test, f, 0, &go);
	KUNIT_EXPECT_TRUE(test, bio_list_empty(&go));
	mirrorlive_intent_sweep_end(f->in);
	return cleared;
}

/*
 * A region's later writes since the last sweep, its bit on the disk, take
 * no lock (they only count themselves); during a sweep every write does,
 * so that sweep_prepare sees them in their block.
 */
static void mirrorlive_intent_test_hot_write_takes_no_lock(struct kunit *test)
{
	struct fixture *f = setup(test, 100);
	struct mirrorlive_intent_write w;

	dirty(test, f, 3);
	KUNIT_EXPECT_TRUE(test, mirrorlive_intent_write_begin(f->in, &w, 3,
							      new_bio(test)));
	KUNIT_EXPECT_TRUE(test, w.counted);
	mirrorlive_intent_write_end(f->in, &w);

	sweep(test, f);				/* 3 is one interval old */
	KUNIT_ASSERT_TRUE(test, mirrorlive_intent_sweep_prepare(f->in));
	KUNIT_EXPECT_TRUE(test, mirrorlive_intent_write_begin(f->in, &w, 3,
							      new_bio(test)));
	KUNIT_EXPECT_FALSE(test, w.counted);	/* first since the sweep */
	mirrorlive_intent_write_end(f->in, &w);
	KUNIT_EXPECT_TRUE(test, mirrorlive_intent_write_begin(f->in, &w, 3,
							      new_bio(test)));
	KUNIT_EXPECT_FALSE(test, w.counted);	/* a sweep is under way */
	mirrorlive_intent_write_end(f->in, &w);
	KUNIT_EXPECT_EQ(test, mirrorlive_intent_sweep_commit(f->in), 0ULL);
	mirrorlive_intent_sweep_end(f->in);

	KUNIT_EXPECT_TRUE(test, mirrorlive_intent_write_begin(f->in, &w, 3,
							      new_bio(test)));
	KUNIT_EXPECT_TRUE(test, w.counted);
	mirrorlive_intent_write_end(f->in, &w);
	KUNIT_EXPECT_EQ(test, mirrorlive_intent_durable(f->in), 1ULL);
	teardown(f);
}

/* A bit goes only after a whole interval without a write, as md's does. */
static void mirrorlive_intent_test_sweep_is_lazy(struct kunit *test)
{
	struct fixture *f = setup(test, 100);

	dirty(test, f, 5);
	/* written in the interval that this sweep closes: kept */
	KUNIT_EXPECT_EQ(test, sweep(test, f), 0ULL);
	KUNIT_EXPECT_EQ(test, mirrorlive_intent_durable(f->in), 1ULL);
	/* a whole interval without a write: cleared, and on the disk too */
	KUNIT_EXPECT_EQ(test, sweep(test, f), 1ULL);
	KUNIT_EXPECT_FALSE(test, buf_has(test, f, 0, 5));
	KUNIT_EXPECT_EQ(test, mirrorlive_intent_durable(f->in), 0ULL);
	KUNIT_EXPECT_TRUE(test, mirrorlive_intent_clean(f->in));
	teardown(f);
}

/* A hot region stays set: each interval has a write. */
static void mirrorlive_intent_test_hot_region_stays(struct kunit *test)
{
	struct fixture *f = setup(test, 100);
	int i;

	for (i = 0; i < 5; i++) {
		dirty(test, f, 9);
		KUNIT_EXPECT_EQ(test, sweep(test, f), 0ULL);
	}
	KUNIT_EXPECT_EQ(test, mirrorlive_intent_durable(f->in), 1ULL);
	teardown(f);
}

/*
 * A write in flight at sweep_prepare may end after the flush was issued:
 * its block keeps every bit at that sweep, even if the write ends first.
 */
static void mirrorlive_intent_test_inflight_at_prepare_keeps_block(struct kunit *test)
{
	struct fixture *f = setup(test, 100);
	struct mirrorlive_intent_write w;
	struct bio_list go = BIO_EMPTY_LIST;

	dirty(test, f, 5);
	sweep(test, f);				/* 5 is now one interval old */
	KUNIT_EXPECT_FALSE(test, mirrorlive_intent_write_begin(f->in, &w, 6,
							       new_bio(test)));
	write_block(test, f, 0, &go);
	KUNIT_ASSERT_FALSE(test, bio_list_empty(&go));
	mirrorlive_intent_sweep_prepare(f->in);	/* w in flight */
	mirrorlive_intent_write_end(f->in, &w);
	KUNIT_EXPECT_EQ(test, mirrorlive_intent_sweep_commit(f->in), 0ULL);
	KUNIT_EXPECT_EQ(test, mirrorlive_intent_durable(f->in), 2ULL);
	/* the next sweep may: neither was written in the last two intervals */
	KUNIT_EXPECT_EQ(test, sweep(test, f), 2ULL);
	KUNIT_EXPECT_TRUE(test, mirrorlive_intent_clean(f->in));
	teardown(f);
}

/* A write that begins between prepare and commit keeps its region. */
static void mirrorlive_intent_test_write_during_sweep(struct kunit *test)
{
	struct fixture *f = setup(test, 100);
	struct mirrorlive_intent_write w;

	dirty(test, f, 5);
	sweep(test, f);
	mirrorlive_intent_sweep_prepare(f->in);
	/* the bit is still on the disk: this write goes at once */
	KUNIT_EXPECT_TRUE(test, mirrorlive_intent_write_begin(f->in, &w, 5,
							      new_bio(test)));
	mirrorlive_intent_write_end(f->in, &w);
	KUNIT_EXPECT_EQ(test, mirrorlive_intent_sweep_commit(f->in), 0ULL);
	KUNIT_EXPECT_EQ(test, mirrorlive_intent_durable(f->in), 1ULL);
	teardown(f);
}

/*
 * After a commit cleared a bit in memory, a write to that region waits
 * until its bit is on the disk again, even though the disk still has it.
 */
static void mirrorlive_intent_test_write_after_clear_waits(struct kunit *test)
{
	struct fixture *f = setup(test, 100);
	struct mirrorlive_intent_write w;
	struct bio *bio = new_bio(test);
	struct bio_list go = BIO_EMPTY_LIST;

	dirty(test, f, 5);
	sweep(test, f);
	mirrorlive_intent_sweep_prepare(f->in);
	KUNIT_EXPECT_EQ(test, mirrorlive_intent_sweep_commit(f->in), 1ULL);
	KUNIT_EXPECT_FALSE(test, mirrorlive_intent_write_begin(f->in, &w, 5, bio));
	write_block(test, f, 0, &go);
	KUNIT_EXPECT_TRUE(test, buf_has(test, f, 0, 5));
	KUNIT_EXPECT_PTR_EQ(test, bio_list_pop(&go), bio);
	mirrorlive_intent_write_end(f->in, &w);
	teardown(f);
}

/* A failed block write lets every waiting write go and records no more. */
static void mirrorlive_intent_test_failed_block_write(struct kunit *test)
{
	struct fixture *f = setup(test, BPB + 10);
	struct mirrorlive_intent_write w0, w1, w2;
	struct bio_list go = BIO_EMPTY_LIST;
	int n = 0;

	mirrorlive_intent_write_begin(f->in, &w0, 1, new_bio(test));
	mirrorlive_intent_write_begin(f->in, &w1, BPB + 1, new_bio(test));
	write_block(test, f, -EIO, &go);
	while (bio_list_pop(&go))
		n++;
	KUNIT_EXPECT_EQ(test, n, 2);
	KUNIT_EXPECT_FALSE(test, mirrorlive_intent_has_work(f->in));
	KUNIT_EXPECT_EQ(test, mirrorlive_intent_next_write(f->in, f->buf, NONCE),
			(s64)-ENODATA);
	KUNIT_EXPECT_TRUE(test, mirrorlive_intent_write_begin(f->in, &w2, 2,
							      new_bio(test)));
	KUNIT_EXPECT_FALSE(test, mirrorlive_intent_clean(f->in));
	mirrorlive_intent_write_end(f->in, &w0);
	mirrorlive_intent_write_end(f->in, &w1);
	mirrorlive_intent_write_end(f->in, &w2);
	teardown(f);
}

/* A failure elsewhere (a commit, a flush) lets the waiting writes go. */
static void mirrorlive_intent_test_fail(struct kunit *test)
{
	struct fixture *f = setup(test, 100);
	struct mirrorlive_intent_write w;
	struct bio *bio = new_bio(test);
	struct bio_list go = BIO_EMPTY_LIST;

	KUNIT_EXPECT_FALSE(test, mirrorlive_intent_write_begin(f->in, &w, 4, bio));
	mirrorlive_intent_fail(f->in, &go);
	KUNIT_EXPECT_PTR_EQ(test, bio_list_pop(&go), bio);
	KUNIT_EXPECT_FALSE(test, mirrorlive_intent_has_work(f->in));
	mirrorlive_intent_write_end(f->in, &w);
	teardown(f);
}

/* A clean shutdown clears everything, however recent. */
static void mirrorlive_intent_test_clear_all(struct kunit *test)
{
	struct fixture *f = setup(test, BPB + 10);
	struct bio_list go = BIO_EMPTY_LIST;

	dirty(test, f, 1);
	dirty(test, f, 2);
	dirty(test, f, BPB + 9);
	KUNIT_EXPECT_EQ(test, mirrorlive_intent_durable(f->in), 3ULL);
	mirrorlive_intent_clear_all(f->in);
	KUNIT_EXPECT_EQ(test, mirrorlive_intent_wanted(f->in), 0ULL);
	write_block(test, f, 0, &go);
	write_block(test, f, 0, &go);
	KUNIT_EXPECT_FALSE(test, mirrorlive_intent_has_work(f->in));
	KUNIT_EXPECT_TRUE(test, mirrorlive_intent_clean(f->in));
	KUNIT_EXPECT_TRUE(test, bio_list_empty(&go));
	teardown(f);
}

static struct kunit_case mirrorlive_intent_test_cases[] = {
	KUNIT_CASE(mirrorlive_intent_test_first_write_waits_for_its_bit),
	KUNIT_CASE(mirrorlive_intent_test_write_during_block_write),
	KUNIT_CASE(mirrorlive_intent_test_blocks_apart),
	KUNIT_CASE(mirrorlive_intent_test_sweep_is_lazy),
	KUNIT_CASE(mirrorlive_intent_test_hot_write_takes_no_lock),
	KUNIT_CASE(mirrorlive_intent_test_hot_region_stays),
	KUNIT_CASE(mirrorlive_intent_test_inflight_at_prepare_keeps_block),
	KUNIT_CASE(mirrorlive_intent_test_write_during_sweep),
	KUNIT_CASE(mirrorlive_intent_test_write_after_clear_waits),
	KUNIT_CASE(mirrorlive_intent_test_failed_block_write),
	KUNIT_CASE(mirrorlive_intent_test_fail),
	KUNIT_CASE(mirrorlive_intent_test_clear_all),
	{}
};

static struct kunit_suite mirrorlive_intent_test_suite = {
	.name = "mirrorlive_intent",
	.test_cases = mirrorlive_intent_test_cases,
};

kunit_test_suite(mirrorlive_intent_test_suite);

MODULE_LICENSE("GPL");
