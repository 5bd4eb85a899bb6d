/*
 * test_latency.c: answer-time bins, quantiles, and the window of two
 * halves that take turns.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "latency.h"

#define S	DR_USEC
#define MS	1000LL
#define LAST	(DR_LAT_NBINS - 1)	/* the open bin */

START_TEST(test_bin_edges)
{
	/* The first bin ends at 100 us, the next at 150 us. */
	ck_assert_int_eq(dr_latency_bin(0), 0);
	ck_assert_int_eq(dr_latency_bin(1), 0);
	ck_assert_int_eq(dr_latency_bin(99), 0);
	ck_assert_int_eq(dr_latency_bin(100), 1);
	ck_assert_int_eq(dr_latency_bin(149), 1);
	ck_assert_int_eq(dr_latency_bin(150), 2);
	ck_assert_int_eq(dr_latency_bin(199), 2);
	ck_assert_int_eq(dr_latency_bin(200), 3);
	ck_assert_int_eq(dr_latency_bin(999), 6);
	ck_assert_int_eq(dr_latency_bin(MS), 7);
	ck_assert_int_eq(dr_latency_bin(S), 25);
	/* 30 s is the last bound: at it and beyond, the open bin. */
	ck_assert_int_eq(dr_latency_bin(30 * S - 1), LAST - 1);
	ck_assert_int_eq(dr_latency_bin(30 * S), LAST);
	ck_assert_int_eq(dr_latency_bin(3600 * S), LAST);
	ck_assert_int_eq(dr_latency_bin(INT64_MAX), LAST);
	/* A clock that stepped back gives no negative bin. */
	ck_assert_int_eq(dr_latency_bin(-1), 0);
	ck_assert_int_eq(dr_latency_bin(INT64_MIN), 0);
}
END_TEST

START_TEST(test_bounds)
{
	dr_time_t	b, prev = 0;
	int		i;

	ck_assert_int_eq(DR_LAT_NBINS, DR_LAT_NBOUNDS + 1);
	ck_assert_int_eq(dr_latency_bound(0), 100);
	ck_assert_int_eq(dr_latency_bound(1), 150);
	ck_assert_int_eq(dr_latency_bound(DR_LAT_NBOUNDS - 1), 30 * S);
	ck_assert_int_eq(dr_latency_bound(LAST), INT64_MAX);
	ck_assert_int_eq(dr_latency_bound(LAST + 1), INT64_MAX);
	ck_assert_int_eq(dr_latency_bound(-1), 0);
	for (i = 0; i < DR_LAT_NBOUNDS; i++) {
		b = dr_latency_bound(i);
		/* Rising, never more than 5/3 apart (the 3-5 step). */
		ck_assert_int_gt(b, prev);
		if (i > 0)
			ck_assert_int_le(b * 3, prev * 5);
		/* Each bound is where its bin ends and the next begins. */
		ck_assert_int_eq(dr_latency_bin(b - 1), i);
		ck_assert_int_eq(dr_latency_bin(b), i + 1);
		prev = b;
	}
}
END_TEST

START_TEST(test_quantile_empty_one)
{
	uint64_t	bins[DR_LAT_NBINS], n;

	memset(bins, 0, sizeof(bins));
	n = 42;
	ck_assert_int_eq(dr_latency_quantile(bins, 0.5, &n), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(dr_latency_quantile(bins, 0.95, NULL), 0);

	/* One sample below 100 us: read inside [0, 100). */
	bins[0] = 1;
	ck_assert_int_eq(dr_latency_quantile(bins, 0.5, &n), 50);
	ck_assert_uint_eq(n, 1);

	/* Ten samples in [100, 150): spread evenly over the bin. */
	memset(bins, 0, sizeof(bins));
	bins[1] = 10;
	ck_assert_int_eq(dr_latency_quantile(bins, 0.1, NULL), 105);
	ck_assert_int_eq(dr_latency_quantile(bins, 0.5, NULL), 125);
	ck_assert_int_eq(dr_latency_quantile(bins, 0.95, &n), 147);
	ck_assert_uint_eq(n, 10);

	/* In the open bin: "at least 30 s", never more. */
	memset(bins, 0, sizeof(bins));
	bins[LAST] = 5;
	ck_assert_int_eq(dr_latency_quantile(bins, 0.5, NULL), 30 * S);
	ck_assert_int_eq(dr_latency_quantile(bins, 0.99, NULL), 30 * S);
}
END_TEST

START_TEST(test_quantile_interpolation)
{
	uint64_t	bins[DR_LAT_NBINS], n;

	/* Ten in [0, 100), ten in [150, 200), an empty bin between. */
	memset(bins, 0, sizeof(bins));
	bins[0] = 10;
	bins[2] = 10;
	ck_assert_int_eq(dr_latency_quantile(bins, 0.25, NULL), 50);
	ck_assert_int_eq(dr_latency_quantile(bins, 0.5, NULL), 100);
	/* The empty bin is skipped, not interpolated into. */
	ck_assert_int_eq(dr_latency_quantile(bins, 0.55, NULL), 155);
	ck_assert_int_eq(dr_latency_quantile(bins, 0.75, NULL), 175);
	ck_assert_int_eq(dr_latency_quantile(bins, 0.95, &n), 195);
	ck_assert_uint_eq(n, 20);

	/* 19 fast answers and one that never came back in time. */
	memset(bins, 0, sizeof(bins));
	bins[dr_latency_bin(20 * MS)] = 19;
	bins[LAST] = 1;
	ck_assert_int_eq(dr_latency_quantile(bins, 0.95, NULL), 30 * MS);
	ck_assert_int_eq(dr_latency_quantile(bins, 0.99, NULL), 30 * S);
}
END_TEST

/* Quantiles rise with q and stay in the bin that holds them. */
START_TEST(test_quantile_random)
{
	uint64_t	bins[DR_LAT_NBINS], cum, n;
	double		q;
	dr_time_t	v, prev;
	int		round, i, k;

	srandom(4242);
	for (round = 0; round < 500; round++) {
		memset(bins, 0, sizeof(bins));
		k = 1 + (int)(random() % 6);
		for (i = 0; i < k; i++)
			bins[random() % DR_LAT_NBINS] += 1 + random() % 50;
		prev = 0;
		for (q = 0.01; q < 1.0; q += 0.01) {
			v = dr_latency_quantile(bins, q, &n);
			ck_assert_int_ge(v, prev);
			prev = v;
			/* The bin where q * n samples are reached. */
			for (i = 0, cum = 0; i < LAST; i++) {
				cum += bins[i];
				if ((double)cum >= q * (double)n &&
				    bins[i] > 0)
					break;
			}
			ck_assert_int_ge(v, dr_latency_bound(i - 1));
			if (i < LAST)
				ck_assert_int_le(v, dr_latency_bound(i));
			else
				ck_assert_int_eq(v, dr_latency_bound(i - 1));
		}
	}
}
END_TEST

static uint64_t
wsum(const struct dr_latency_window *w, int bin)
{
	uint64_t	bins[DR_LAT_NBINS];

	dr_latency_window_sum(w, bins);
	return bins[bin];
}

static uint64_t
wtotal(const struct dr_latency_window *w)
{
	uint64_t	bins[DR_LAT_NBINS], n = 0;
	int		i;

	dr_latency_window_sum(w, bins);
	for (i = 0; i < DR_LAT_NBINS; i++)
		n += bins[i];
	return n;
}

START_TEST(test_window_rotation)
{
	struct dr_latency_window	w;
	const dr_time_t			span = 10 * S;	/* halves of 5 s */

	memset(&w, 0, sizeof(w));
	ck_assert_uint_eq(wtotal(&w), 0);
	/* The first answer, long after the epoch: a jump, both empty. */
	dr_latency_window_add(&w, span, 1000 * S, 3, 0);
	ck_assert_int_eq(w.epoch, 200);
	ck_assert_uint_eq(wsum(&w, 3), 1);
	ck_assert_uint_eq(wtotal(&w), 1);
	dr_latency_window_add(&w, span, 1005 * S - 1, 3, 0);
	ck_assert_uint_eq(w.half[0][3], 2);
	ck_assert_uint_eq(w.half[1][3], 0);
	/* The next half: the current one becomes the previous one. */
	dr_latency_window_add(&w, span, 1005 * S, 7, 1);
	ck_assert_int_eq(w.epoch, 201);
	/* Counts by half, and of them the ones marked over. */
	ck_assert_uint_eq(w.n[0], 1);
	ck_assert_uint_eq(w.over[0], 1);
	ck_assert_uint_eq(w.n[1], 2);
	ck_assert_uint_eq(w.over[1], 0);
	ck_assert_uint_eq(w.half[1][3], 2);
	ck_assert_uint_eq(w.half[0][7], 1);
	ck_assert_uint_eq(wsum(&w, 3), 2);
	ck_assert_uint_eq(wsum(&w, 7), 1);
	/* Within the half: nothing moves. */
	dr_latency_window_advance(&w, span, 1010 * S - 1);
	ck_assert_uint_eq(wtotal(&w), 3);
	/* One more half: the oldest answers are gone. */
	dr_latency_window_advance(&w, span, 1010 * S);
	ck_assert_int_eq(w.epoch, 202);
	ck_assert_uint_eq(w.n[1], 1);
	ck_assert_uint_eq(w.over[1], 1);
	ck_assert_uint_eq(w.n[0], 0);
	ck_assert_uint_eq(w.over[0], 0);
	ck_assert_uint_eq(wsum(&w, 3), 0);
	ck_assert_uint_eq(wsum(&w, 7), 1);
	ck_assert_uint_eq(w.half[1][7], 1);
	ck_assert_uint_eq(w.half[0][7], 0);

	/* Not going back: a late stamp lands in the current half. */
	dr_latency_window_add(&w, span, 1003 * S, 5, 0);
	ck_assert_int_eq(w.epoch, 202);
	ck_assert_uint_eq(w.half[0][5], 1);
	ck_assert_uint_eq(wsum(&w, 7), 1);
	dr_latency_window_advance(&w, span, 0);
	ck_assert_int_eq(w.epoch, 202);
	ck_assert_uint_eq(wtotal(&w), 2);

	/* Two halves on: nothing is left, not even the previous half. */
	dr_latency_window_advance(&w, span, 1020 * S);
	ck_assert_int_eq(w.epoch, 204);
	ck_assert_uint_eq(wtotal(&w), 0);
	ck_assert_uint_eq(w.n[0] + w.n[1] + w.over[0] + w.over[1], 0);

	/* Jumping far (hours, years) empties it at once. */
	dr_latency_window_add(&w, span, 1020 * S, 1, 0);
	dr_latency_window_add(&w, span, 1025 * S, 1, 0);
	ck_assert_uint_eq(wtotal(&w), 2);
	dr_latency_window_add(&w, span, 1025 * S + 3600 * S, 2, 0);
	ck_assert_uint_eq(wtotal(&w), 1);
	ck_assert_uint_eq(wsum(&w, 2), 1);
	dr_latency_window_advance(&w, span, INT64_C(1) << 60);
	ck_assert_uint_eq(wtotal(&w), 0);
}
END_TEST

START_TEST(test_window_odd)
{
	struct dr_latency_window	w;

	/* Bins out of range are not counted, but time still moves. */
	memset(&w, 0, sizeof(w));
	dr_latency_window_add(&w, 10 * S, 100 * S, -1, 1);
	dr_latency_window_add(&w, 10 * S, 100 * S, DR_LAT_NBINS, 1);
	ck_assert_uint_eq(wtotal(&w), 0);
	ck_assert_uint_eq(w.n[0], 0);
	ck_assert_uint_eq(w.over[0], 0);
	ck_assert_int_eq(w.epoch, 20);
	/* Any non-zero "over" is one. */
	dr_latency_window_add(&w, 10 * S, 100 * S, LAST, 7);
	ck_assert_uint_eq(wsum(&w, LAST), 1);
	ck_assert_uint_eq(w.over[0], 1);

	/* A span too short to halve does not divide by zero. */
	memset(&w, 0, sizeof(w));
	dr_latency_window_add(&w, 1, 5, 0, 0);
	dr_latency_window_add(&w, 0, 6, 0, 0);
	ck_assert_uint_eq(wtotal(&w), 2);
	ck_assert_int_eq(w.epoch, 6);
	dr_latency_window_advance(&w, 1, 8);
	ck_assert_uint_eq(wtotal(&w), 0);
}
END_TEST

static Suite *
latency_suite(void)
{
	Suite	*s = suite_create("latency");
	TCase	*tc;

	tc = tcase_create("bins");
	tcase_add_test(tc, test_bin_edges);
	tcase_add_test(tc, test_bounds);
	suite_add_tcase(s, tc);

	tc = tcase_create("quantiles");
	tcase_add_test(tc, test_quantile_empty_one);
	tcase_add_test(tc, test_quantile_interpolation);
	tcase_add_test(tc, test_quantile_random);
	suite_add_tcase(s, tc);

	tc = tcase_create("window");
	tcase_add_test(tc, test_window_rotation);
	tcase_add_test(tc, test_window_odd);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(latency_suite());
	int	 nf;

	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
