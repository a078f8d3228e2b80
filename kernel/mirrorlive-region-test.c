// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for dm-mirrorlive's region state and locks
 * (mirrorlive-region.c).
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/err.h>
#include <linux/kthread.h>

#include "mirrorlive-region.h"

#define NR_REGIONS	256

struct region_test {
	struct mirrorlive_regions *rg;
};

static int region_test_init(struct kunit *test)
{
	struct region_test *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	t->rg = mirrorlive_regions_create(NR_REGIONS * 8, 8);
	KUNIT_ASSERT_FALSE(test, IS_ERR(t->rg));
	test->priv = t;
	return 0;
}

static void region_test_exit(struct kunit *test)
{
	struct region_test *t = test->priv;

	mirrorlive_regions_destroy(t->rg);
}

/* A bio only ever sits on a bio_list here: it is never submitted. */
static struct bio *fake_bio(struct kunit *test)
{
	struct bio *bio = kunit_kzalloc(test, sizeof(*bio), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, bio);
	return bio;
}

static unsigned int bio_list_count(struct bio_list *bl)
{
	unsigned int n = 0;
	struct bio *bio;

	bio_list_for_each(bio, bl)
		n++;
	return n;
}

static void mirrorlive_region_test_uncopied_write_goes_to_source(struct kunit *test)
{
	struct region_test *t = test->priv;
	struct mirrorlive_region_write w;

	KUNIT_EXPECT_EQ(test, mirrorlive_region_write_begin(t->rg, &w, 5, fake_bio(test)),
			MIRRORLIVE_WRITE_SOURCE);
	mirrorlive_region_write_end(t->rg, &w);
}

static void mirrorlive_region_test_overlapping_write_waits_for_copy(struct kunit *test)
{
	struct region_test *t = test->priv;
	struct mirrorlive_region_copy c;
	struct mirrorlive_region_write w;
	struct bio *bio = fake_bio(test);
	struct bio_list deferred = BIO_EMPTY_LIST;

	KUNIT_ASSERT_TRUE(test, mirrorlive_region_copy_lock(t->rg, &c, 3));
	KUNIT_EXPECT_EQ(test, mirrorlive_region_write_begin(t->rg, &w, 3, bio),
			MIRRORLIVE_WRITE_DEFERRED);

	mirrorlive_region_copy_unlock(t->rg, &c, true, &deferred);
	KUNIT_EXPECT_EQ(test, bio_list_count(&deferred), 1U);
	KUNIT_EXPECT_PTR_EQ(test, bio_list_pop(&deferred), bio);

	/* Routed again, the deferred write now goes to both legs. */
	KUNIT_EXPECT_EQ(test, mirrorlive_region_write_begin(t->rg, &w, 3, bio),
			MIRRORLIVE_WRITE_BOTH);
	KUNIT_EXPECT_TRUE(test, mirrorlive_region_is_copied(t->rg, 3));
	KUNIT_EXPECT_EQ(test, mirrorlive_regions_copied(t->rg), 1ULL);
	mirrorlive_region_write_end(t->rg, &w);
}

static void mirrorlive_region_test_copy_waits_for_inflight_write(struct kunit *test)
{
	struct region_test *t = test->priv;
	struct mirrorlive_region_copy c;
	struct mirrorlive_region_write w;
	struct bio_list deferred = BIO_EMPTY_LIST;

	KUNIT_ASSERT_EQ(test, mirrorlive_region_write_begin(t->rg, &w, 9, fake_bio(test)),
			MIRRORLIVE_WRITE_SOURCE);
	KUNIT_EXPECT_FALSE(test, mirrorlive_region_copy_lock(t->rg, &c, 9));
	KUNIT_EXPECT_EQ(test, c.writes_in_flight, 1U);

	mirrorlive_region_write_end(t->rg, &w);
	KUNIT_EXPECT_EQ(test, c.writes_in_flight, 0U);
	mirrorlive_region_copy_wait(t->rg, &c);	/* returns at once */

	mirrorlive_region_copy_unlock(t->rg, &c, true, &deferred);
	KUNIT_EXPECT_TRUE(test, bio_list_empty(&deferred));
}

static void mirrorlive_region_test_distinct_regions_never_wait(struct kunit *test)
{
	struct region_test *t = test->priv;
	struct mirrorlive_region_write *w;
	struct mirrorlive_region_copy c;
	struct bio_list deferred = BIO_EMPTY_LIST;
	unsigned int i;

	w = kunit_kcalloc(test, NR_REGIONS, sizeof(*w), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w);
	/* Regions 0 and 64, 1 and 65, ... share hash buckets. */
	for (i = 0; i < 128; i++)
		KUNIT_EXPECT_EQ(test,
				mirrorlive_region_write_begin(t->rg, &w[i], i,
							      fake_bio(test)),
				MIRRORLIVE_WRITE_SOURCE);

	KUNIT_EXPECT_TRUE(test, mirrorlive_region_copy_lock(t->rg, &c, 200));
	KUNIT_EXPECT_EQ(test,
			mirrorlive_region_write_begin(t->rg, &w[200], 201,
						      fake_bio(test)),
			MIRRORLIVE_WRITE_SOURCE);
	mirrorlive_region_copy_unlock(t->rg, &c, true, &deferred);

	for (i = 0; i < 128; i++)
		mirrorlive_region_write_end(t->rg, &w[i]);
	mirrorlive_region_write_end(t->rg, &w[200]);
	KUNIT_EXPECT_EQ(test, mirrorlive_regions_copied(t->rg), 1ULL);
}

static void mirrorlive_region_test_write_stream_cannot_starve_copy(struct kunit *test)
{
	struct region_test *t = test->priv;
	struct mirrorlive_region_write early[2], late;
	struct mirrorlive_region_copy c;
	struct bio_list deferred = BIO_EMPTY_LIST;
	unsigned int i;

	for (i = 0; i < 2; i++)
		mirrorlive_region_write_begin(t->rg, &early[i], 7, fake_bio(test));
	KUNIT_ASSERT_FALSE(test, mirrorlive_region_copy_lock(t->rg, &c, 7));

	/* Writes arriving after the lock queue up instead of adding to the wait. */
	for (i = 0; i < 100; i++)
		KUNIT_EXPECT_EQ(test,
				mirrorlive_region_write_begin(t->rg, &late, 7,
							      fake_bio(test)),
				MIRRORLIVE_WRITE_DEFERRED);
	KUNIT_EXPECT_EQ(test, c.writes_in_flight, 2U);

	mirrorlive_region_write_end(t->rg, &early[0]);
	mirrorlive_region_write_end(t->rg, &early[1]);
	KUNIT_EXPECT_EQ(test, c.writes_in_flight, 0U);

	mirrorlive_region_copy_unlock(t->rg, &c, true, &deferred);
	KUNIT_EXPECT_EQ(test, bio_list_count(&deferred), 100U);
}

struct waiter {
	struct mirrorlive_regions *rg;
	struct mirrorlive_region_copy *c;
	struct completion done;
};

static int copy_waiter_fn(void *data)
{
	struct waiter *wt = data;

	mirrorlive_region_copy_wait(wt->rg, wt->c);
	complete(&wt->done);
	return 0;
}

static void mirrorlive_region_test_write_end_wakes_sleeping_copy(struct kunit *test)
{
	struct region_test *t = test->priv;
	struct mirrorlive_region_copy c;
	struct mirrorlive_region_write w;
	struct bio_list deferred = BIO_EMPTY_LIST;
	struct task_struct *task;
	struct waiter wt = { .rg = t->rg, .c = &c };

	init_completion(&wt.done);
	mirrorlive_region_write_begin(t->rg, &w, 11, fake_bio(test));
	KUNIT_ASSERT_FALSE(test, mirrorlive_region_copy_lock(t->rg, &c, 11));

	task = kthread_run(copy_waiter_fn, &wt, "mirrorlive-test");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	KUNIT_EXPECT_EQ(test, wait_for_completion_timeout(&wt.done, HZ / 10), 0UL);

	mirrorlive_region_write_end(t->rg, &w);
	KUNIT_EXPECT_NE(test, wait_for_completion_timeout(&wt.done, 10 * HZ), 0UL);
	mirrorlive_region_copy_unlock(t->rg, &c, true, &deferred);
}

static void mirrorlive_region_test_teardown_with_waiters(struct kunit *test)
{
	struct region_test *t = test->priv;
	struct mirrorlive_region_write inflight, queued;
	struct mirrorlive_region_copy c;
	struct bio_list deferred = BIO_EMPTY_LIST;

	mirrorlive_region_write_begin(t->rg, &inflight, 20, fake_bio(test));
	KUNIT_ASSERT_FALSE(test, mirrorlive_region_copy_lock(t->rg, &c, 20));
	KUNIT_EXPECT_EQ(test,
			mirrorlive_region_write_begin(t->rg, &queued, 20, fake_bio(test)),
			MIRRORLIVE_WRITE_DEFERRED);

	/* Abandon the copy (suspend): the queued write comes back, the region stays uncopied. */
	mirrorlive_region_copy_unlock(t->rg, &c, false, &deferred);
	KUNIT_EXPECT_EQ(test, bio_list_count(&deferred), 1U);
	KUNIT_EXPECT_FALSE(test, mirrorlive_region_is_copied(t->rg, 20));
	KUNIT_EXPECT_EQ(test,
			mirrorlive_region_write_begin(t->rg, &queued, 20, fake_bio(test)),
			MIRRORLIVE_WRITE_SOURCE);

	/* The in-flight write no longer points at the abandoned copy. */
	memset(&c, 0x5a, sizeof(c));
	mirrorlive_region_write_end(t->rg, &inflight);
	mirrorlive_region_write_end(t->rg, &queued);
	/* region_test_exit() destroys the state: it must not WARN. */
}

static void mirrorlive_region_test_nosync_starts_copied(struct kunit *test)
{
	struct mirrorlive_regions *rg = mirrorlive_regions_create(1000 * 8 - 3, 8);
	struct mirrorlive_region_write w;

	KUNIT_ASSERT_FALSE(test, IS_ERR(rg));
	mirrorlive_regions_mark_all_copied(rg);
	KUNIT_EXPECT_EQ(test, mirrorlive_regions_copied(rg), 1000ULL);
	KUNIT_EXPECT_EQ(test, mirrorlive_regions_copied_sectors(rg), (sector_t)7997);
	KUNIT_EXPECT_EQ(test, mirrorlive_region_next_uncopied(rg, 0), 1000ULL);
	KUNIT_EXPECT_EQ(test, mirrorlive_region_write_begin(rg, &w, 999, NULL),
			MIRRORLIVE_WRITE_BOTH);
	mirrorlive_region_write_end(rg, &w);
	mirrorlive_regions_destroy(rg);
}

/* Copy region @region under its lock, so that it is copied. */
static void copy_region(struct kunit *test, struct mirrorlive_regions *rg,
			u64 region)
{
	struct bio_list deferred = BIO_EMPTY_LIST;
	struct mirrorlive_region_copy c;

	KUNIT_ASSERT_TRUE(test, mirrorlive_region_copy_lock(rg, &c, region));
	mirrorlive_region_copy_unlock(rg, &c, true, &deferred);
	KUNIT_ASSERT_TRUE(test, bio_list_empty(&deferred));
}

static void mirrorlive_region_test_copied_write_only_counts(struct kunit *test)
{
	struct region_test *t = test->priv;
	struct mirrorlive_region_write w[2];

	copy_region(test, t->rg, 4);
	KUNIT_EXPECT_EQ(test, mirrorlive_region_write_begin(t->rg, &w[0], 4, NULL),
			MIRRORLIVE_WRITE_BOTH);
	KUNIT_EXPECT_EQ(test, mirrorlive_region_write_begin(t->rg, &w[1], 4, NULL),
			MIRRORLIVE_WRITE_BOTH);
	KUNIT_EXPECT_EQ(test, mirrorlive_regions_untracked(t->rg), 2L);
	mirrorlive_region_write_end(t->rg, &w[1]);
	mirrorlive_region_write_end(t->rg, &w[0]);
	KUNIT_EXPECT_EQ(test, mirrorlive_regions_untracked(t->rg), 0L);
}

struct track_all_thread {
	struct mirrorlive_regions *rg;
	struct completion done;
};

static int track_all_fn(void *data)
{
	struct track_all_thread *th = data;

	mirrorlive_regions_track_all_begin(th->rg);
	complete(&th->done);
	return 0;
}

/* track_all_begin() returns only once the counted writes have ended. */
static void mirrorlive_region_test_track_all_waits_for_counted(struct kunit *test)
{
	struct region_test *t = test->priv;
	struct mirrorlive_region_write w;
	struct track_all_thread th = { .rg = t->rg };
	struct task_struct *task;

	copy_region(test, t->rg, 7);
	KUNIT_ASSERT_EQ(test, mirrorlive_region_write_begin(t->rg, &w, 7, NULL),
			MIRRORLIVE_WRITE_BOTH);
	init_completion(&th.done);
	task = kthread_run(track_all_fn, &th, "region-track-test");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));

	/* Can only miss a bug, never flag a correct wait. */
	KUNIT_EXPECT_EQ(test, wait_for_completion_timeout(&th.done, HZ / 5), 0UL);
	mirrorlive_region_write_end(t->rg, &w);
	wait_for_completion(&th.done);
	mirrorlive_regions_track_all_end(t->rg);
}

/*
 * While all writes are tracked, a copied region locks like an uncopied
 * one: the lock waits for its writes in flight and defers new ones, which
 * go to both legs afterwards; the region stays copied.
 */
static void mirrorlive_region_test_verify_lock_on_copied_region(struct kunit *test)
{
	struct region_test *t = test->priv;
	struct mirrorlive_region_write inflight, late, again;
	struct bio_list deferred = BIO_EMPTY_LIST;
	struct mirrorlive_region_copy c;
	struct bio *bio = fake_bio(test);

	copy_region(test, t->rg, 12);
	mirrorlive_regions_track_all_begin(t->rg);	/* nothing counted */
	KUNIT_ASSERT_EQ(test, mirrorlive_region_write_begin(t->rg, &inflight, 12, NULL),
			MIRRORLIVE_WRITE_BOTH);
	KUNIT_EXPECT_EQ(test, mirrorlive_regions_untracked(t->rg), 0L);

	KUNIT_EXPECT_FALSE(test, mirrorlive_region_copy_lock(t->rg, &c, 12));
	KUNIT_EXPECT_EQ(test, mirrorlive_region_write_begin(t->rg, &late, 12, bio),
			MIRRORLIVE_WRITE_DEFERRED);
	mirrorlive_region_write_end(t->rg, &inflight);
	mirrorlive_region_copy_wait(t->rg, &c);	/* returns at once */

	mirrorlive_region_copy_unlock(t->rg, &c, false, &deferred);
	KUNIT_EXPECT_PTR_EQ(test, bio_list_pop(&deferred), bio);
	KUNIT_EXPECT_TRUE(test, mirrorlive_region_is_copied(t->rg, 12));
	KUNIT_EXPECT_EQ(test, mirrorlive_regions_copied(t->rg), 1ULL);
	KUNIT_EXPECT_EQ(test, mirrorlive_region_write_begin(t->rg, &again, 12, bio),
			MIRRORLIVE_WRITE_BOTH);

	/* Back to counting; the registered write still ends as one. */
	mirrorlive_regions_track_all_end(t->rg);
	KUNIT_EXPECT_EQ(test, mirrorlive_region_write_begin(t->rg, &late, 12, NULL),
			MIRRORLIVE_WRITE_BOTH);
	KUNIT_EXPECT_EQ(test, mirrorlive_regions_untracked(t->rg), 1L);
	mirrorlive_region_write_end(t->rg, &again);
	mirrorlive_region_write_end(t->rg, &late);
	KUNIT_EXPECT_EQ(test, mirrorlive_regions_untracked(t->rg), 0L);
}

static void mirrorlive_region_test_next_copied(struct kunit *test)
{
	struct region_test *t = test->priv;

	KUNIT_EXPECT_EQ(test, mirrorlive_region_next_copied(t->rg, 0),
			(u64)NR_REGIONS);
	copy_region(test, t->rg, 70);
	copy_region(test, t->rg, NR_REGIONS - 1);
	KUNIT_EXPECT_EQ(test, mirrorlive_region_next_copied(t->rg, 0), 70ULL);
	KUNIT_EXPECT_EQ(test, mirrorlive_region_next_copied(t->rg, 70), 70ULL);
	KUNIT_EXPECT_EQ(test, mirrorlive_region_next_copied(t->rg, 71),
			(u64)NR_REGIONS - 1);
	KUNIT_EXPECT_EQ(test, mirrorlive_region_next_copied(t->rg, NR_REGIONS),
			(u64)NR_REGIONS);
}

static void mirrorlive_region_test_next_uncopied(struct kunit *test)
{
	struct region_test *t = test->priv;
	struct mirrorlive_region_copy c;
	struct bio_list deferred = BIO_EMPTY_LIST;
	u64 r;

	for (r = 0; r < 3; r++) {
		mirrorlive_region_copy_lock(t->rg, &c, r);
		mirrorlive_region_copy_unlock(t->rg, &c, true, &deferred);
	}
	KUNIT_EXPECT_EQ(test, mirrorlive_region_next_uncopied(t->rg, 0), 3ULL);
	KUNIT_EXPECT_EQ(test, mirrorlive_region_next_uncopied(t->rg, 1), 3ULL);
	KUNIT_EXPECT_EQ(test, mirrorlive_region_next_uncopied(t->rg, 200), 200ULL);
	/* A bounded look: the limit when nothing before it is uncopied. */
	KUNIT_EXPECT_EQ(test, mirrorlive_region_next_uncopied_before(t->rg, 0, 2), 2ULL);
	KUNIT_EXPECT_EQ(test, mirrorlive_region_next_uncopied_before(t->rg, 0, 4), 3ULL);
	KUNIT_EXPECT_EQ(test, mirrorlive_region_next_uncopied_before(t->rg, 5, 5), 5ULL);
	KUNIT_EXPECT_EQ(test, mirrorlive_region_next_uncopied_before(t->rg, 0, NR_REGIONS + 9),
			3ULL);
	r = mirrorlive_region_next_uncopied_before(t->rg, NR_REGIONS, NR_REGIONS + 9);
	KUNIT_EXPECT_EQ(test, r, (u64)NR_REGIONS);
	KUNIT_EXPECT_EQ(test, mirrorlive_region_next_uncopied(t->rg, NR_REGIONS),
			(u64)NR_REGIONS);

	/* Copying a region twice counts it once. */
	mirrorlive_region_copy_lock(t->rg, &c, 1);
	mirrorlive_region_copy_unlock(t->rg, &c, true, &deferred);
	KUNIT_EXPECT_EQ(test, mirrorlive_regions_copied(t->rg), 3ULL);
}

/* Progress counts the short last region by its real length, once. */
static void mirrorlive_region_test_copied_sectors(struct kunit *test)
{
	struct mirrorlive_regions *rg = mirrorlive_regions_create(20, 8);
	struct mirrorlive_region_copy c;
	struct bio_list deferred = BIO_EMPTY_LIST;

	KUNIT_ASSERT_FALSE(test, IS_ERR(rg));
	KUNIT_EXPECT_EQ(test, mirrorlive_regions_count(rg), 3ULL);
	mirrorlive_region_copy_lock(rg, &c, 2);
	mirrorlive_region_copy_unlock(rg, &c, true, &deferred);
	KUNIT_EXPECT_EQ(test, mirrorlive_regions_copied_sectors(rg), (sector_t)4);
	mirrorlive_region_copy_lock(rg, &c, 0);
	mirrorlive_region_copy_unlock(rg, &c, true, &deferred);
	KUNIT_EXPECT_EQ(test, mirrorlive_regions_copied_sectors(rg), (sector_t)12);
	/* An abandoned copy marks nothing. */
	mirrorlive_region_copy_lock(rg, &c, 1);
	mirrorlive_region_copy_unlock(rg, &c, false, &deferred);
	KUNIT_EXPECT_EQ(test, mirrorlive_regions_copied_sectors(rg), (sector_t)12);
	mirrorlive_regions_destroy(rg);
}

static void mirrorlive_region_test_inherit(struct kunit *test)
{
	struct mirrorlive_regions *old = mirrorlive_regions_create(20, 8);
	struct mirrorlive_regions *new = mirrorlive_regions_create(20, 8);
	struct mirrorlive_regions *other = mirrorlive_regions_create(20, 16);
	struct mirrorlive_region_copy c;
	struct bio_list deferred = BIO_EMPTY_LIST;

	KUNIT_ASSERT_FALSE(test, IS_ERR(old) || IS_ERR(new) || IS_ERR(other));
	mirrorlive_region_copy_lock(old, &c, 0);
	mirrorlive_region_copy_unlock(old, &c, true, &deferred);
	mirrorlive_region_copy_lock(old, &c, 2);
	mirrorlive_region_copy_unlock(old, &c, true, &deferred);

	KUNIT_EXPECT_EQ(test, mirrorlive_regions_inherit(new, old), 0);
	KUNIT_EXPECT_EQ(test, mirrorlive_regions_copied(new), 2ULL);
	KUNIT_EXPECT_EQ(test, mirrorlive_regions_copied_sectors(new), (sector_t)12);
	KUNIT_EXPECT_EQ(test, mirrorlive_region_next_uncopied(new, 0), 1ULL);
	KUNIT_EXPECT_EQ(test, mirrorlive_regions_inherit(other, old), -EINVAL);
	KUNIT_EXPECT_EQ(test, mirrorlive_regions_copied(other), 0ULL);

	mirrorlive_regions_destroy(other);
	mirrorlive_regions_destroy(new);
	mirrorlive_regions_destroy(old);
}

/*
 * A persistent mirror's record comes in (import) and goes out (export) a
 * bitmap block at a time; the short last region counts by its length.
 */
static void mirrorlive_region_test_import_export(struct kunit *test)
{
	/* 130 regions of 8 sectors, the last one of 4 */
	struct mirrorlive_regions *rg = mirrorlive_regions_create(129 * 8 + 4, 8);
	DECLARE_BITMAP(in, 192) = { 0 };
	DECLARE_BITMAP(out, 192);

	KUNIT_ASSERT_FALSE(test, IS_ERR(rg));
	__set_bit(1, in);
	__set_bit(65, in);		/* region 129: the short one */
	mirrorlive_regions_import(rg, in, 64, 66);
	KUNIT_EXPECT_EQ(test, mirrorlive_regions_copied(rg), 2ULL);
	KUNIT_EXPECT_EQ(test, mirrorlive_regions_copied_sectors(rg),
			(sector_t)(8 + 4));
	KUNIT_EXPECT_TRUE(test, mirrorlive_region_is_copied(rg, 65));
	KUNIT_EXPECT_TRUE(test, mirrorlive_region_is_copied(rg, 129));
	/* importing again counts nothing twice */
	mirrorlive_regions_import(rg, in, 64, 66);
	KUNIT_EXPECT_EQ(test, mirrorlive_regions_copied(rg), 2ULL);

	bitmap_fill(out, 192);
	mirrorlive_regions_export(rg, out, 64, 66);
	KUNIT_EXPECT_TRUE(test, test_bit(1, out) && test_bit(65, out));
	KUNIT_EXPECT_EQ(test, bitmap_weight(out, 64 + 2), 2U);
	/* nothing past the bits asked for in the last word written */
	KUNIT_EXPECT_FALSE(test, test_bit(66, out));
	bitmap_zero(out, 192);
	mirrorlive_regions_export(rg, out, 0, 64);
	KUNIT_EXPECT_TRUE(test, bitmap_empty(out, 64));
	mirrorlive_regions_destroy(rg);
}

static void mirrorlive_region_test_create_limits(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, PTR_ERR(mirrorlive_regions_create(0, 8)),
			(long)-E2BIG);
	KUNIT_EXPECT_EQ(test, PTR_ERR(mirrorlive_regions_create(8ULL << 31, 8)),
			(long)-E2BIG);
}

static struct kunit_case mirrorlive_region_test_cases[] = {
	KUNIT_CASE(mirrorlive_region_test_uncopied_write_goes_to_source),
	KUNIT_CASE(mirrorlive_region_test_overlapping_write_waits_for_copy),
	KUNIT_CASE(mirrorlive_region_test_copy_waits_for_inflight_write),
	KUNIT_CASE(mirrorlive_region_test_distinct_regions_never_wait),
	KUNIT_CASE(mirrorlive_region_test_write_stream_cannot_starve_copy),
	KUNIT_CASE(mirrorlive_region_test_write_end_wakes_sleeping_copy),
	KUNIT_CASE(mirrorlive_region_test_teardown_with_waiters),
	KUNIT_CASE(mirrorlive_region_test_nosync_starts_copied),
	KUNIT_CASE(mirrorlive_region_test_copied_write_only_counts),
	KUNIT_CASE(mirrorlive_region_test_track_all_waits_for_counted),
	KUNIT_CASE(mirrorlive_region_test_verify_lock_on_copied_region),
	KUNIT_CASE(mirrorlive_region_test_next_copied),
	KUNIT_CASE(mirrorlive_region_test_next_uncopied),
	KUNIT_CASE(mirrorlive_region_test_copied_sectors),
	KUNIT_CASE(mirrorlive_region_test_inherit),
	KUNIT_CASE(mirrorlive_region_test_import_export),
	KUNIT_CASE(mirrorlive_region_test_create_limits),
	{}
};

static struct kunit_suite mirrorlive_region_test_suite = {
	.name = "mirrorlive_region",
	.init = region_test_init,
	.exit = region_test_exit,
	.test_cases = mirrorlive_region_test_cases,
};

kunit_test_suite(mirrorlive_region_test_suite);

MODULE_LICENSE("GPL");
