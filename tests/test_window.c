/*
 * test_window.c: the sliding window of time buckets.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "window.h"

#define S	DR_USEC

static struct dr_window *
wnew(const struct dr_window_conf *wc)
{
	struct dr_window	*w;

	w = malloc(dr_window_size(wc));
	ck_assert_ptr_nonnull(w);
	dr_window_init(w, wc);
	return w;
}

/* Every total matches the sum of its buckets. */
static void
check_sums(const struct dr_window *w, const struct dr_window_conf *wc)
{
	uint64_t	sum;
	uint32_t	s;
	int		c;

	for (c = 0; c < DR_W_NCOUNTERS; c++) {
		sum = 0;
		for (s = 0; s < wc->nbuckets; s++)
			sum += w->b[s][c];
		ck_assert_uint_eq(sum, dr_window_total(w, c));
	}
}

START_TEST(test_size_init)
{
	struct dr_window_conf	 wc = { S, 10 };
	struct dr_window	*w;
	int			 c;

	ck_assert_uint_eq(dr_window_size(&wc), sizeof(struct dr_window) +
	    10 * sizeof(uint32_t[DR_W_NCOUNTERS]));
	w = wnew(&wc);
	for (c = 0; c < DR_W_NCOUNTERS; c++)
		ck_assert_uint_eq(dr_window_total(w, c), 0);
	/* Advancing a window that saw nothing is harmless. */
	dr_window_advance(w, &wc, 1000 * S);
	for (c = 0; c < DR_W_NCOUNTERS; c++)
		ck_assert_uint_eq(dr_window_total(w, c), 0);
	free(w);
}
END_TEST

START_TEST(test_add_and_totals)
{
	struct dr_window_conf	 wc = { S, 10 };
	struct dr_window	*w = wnew(&wc);

	ck_assert_int_eq(dr_window_add(w, &wc, 100 * S, DR_W_QUERIES, 1), 0);
	ck_assert_int_eq(dr_window_add(w, &wc, 100 * S + 5, DR_W_QUERIES, 2),
	    0);
	ck_assert_int_eq(dr_window_add(w, &wc, 101 * S, DR_W_TIMEOUTS, 1), 0);
	ck_assert_int_eq(dr_window_add(w, &wc, 109 * S + S - 1,
	    DR_W_QUERIES, 4), 0);
	ck_assert_uint_eq(dr_window_total(w, DR_W_QUERIES), 7);
	ck_assert_uint_eq(dr_window_total(w, DR_W_TIMEOUTS), 1);
	ck_assert_uint_eq(dr_window_total(w, DR_W_RESPONSES), 0);
	check_sums(w, &wc);
	/* 110 s pushes bucket 100 out, keeps 101..110. */
	ck_assert_int_eq(dr_window_add(w, &wc, 110 * S, DR_W_RESPONSES, 1),
	    0);
	ck_assert_uint_eq(dr_window_total(w, DR_W_QUERIES), 4);
	ck_assert_uint_eq(dr_window_total(w, DR_W_TIMEOUTS), 1);
	ck_assert_uint_eq(dr_window_total(w, DR_W_RESPONSES), 1);
	check_sums(w, &wc);
	free(w);
}
END_TEST

START_TEST(test_jump_clears)
{
	struct dr_window_conf	 wc = { S, 10 };
	struct dr_window	*w = wnew(&wc);
	int			 i;

	for (i = 0; i < 10; i++)
		dr_window_add(w, &wc, (100 + i) * S, DR_W_QUERIES, 3);
	ck_assert_uint_eq(dr_window_total(w, DR_W_QUERIES), 30);
	/* Exactly one span later: every old bucket is out. */
	dr_window_add(w, &wc, 119 * S, DR_W_QUERIES, 1);
	ck_assert_uint_eq(dr_window_total(w, DR_W_QUERIES), 1);
	check_sums(w, &wc);
	/* Far, far ahead. */
	dr_window_add(w, &wc, 1000000000 * S, DR_W_TIMEOUTS, 2);
	ck_assert_uint_eq(dr_window_total(w, DR_W_QUERIES), 0);
	ck_assert_uint_eq(dr_window_total(w, DR_W_TIMEOUTS), 2);
	check_sums(w, &wc);
	free(w);
}
END_TEST

START_TEST(test_backwards)
{
	struct dr_window_conf	 wc = { S, 10 };
	struct dr_window	*w = wnew(&wc);

	dr_window_add(w, &wc, 100 * S, DR_W_QUERIES, 1);
	dr_window_add(w, &wc, 105 * S, DR_W_QUERIES, 1);
	/* A little back: its own bucket, and it ages out with it. */
	ck_assert_int_eq(dr_window_add(w, &wc, 100 * S + 1, DR_W_QUERIES, 1),
	    0);
	ck_assert_int_eq(dr_window_add(w, &wc, 96 * S, DR_W_QUERIES, 1), 0);
	ck_assert_uint_eq(dr_window_total(w, DR_W_QUERIES), 4);
	/* Older than the window: refused, nothing changes. */
	ck_assert_int_eq(dr_window_add(w, &wc, 95 * S + S - 1, DR_W_QUERIES,
	    1), -1);
	ck_assert_int_eq(dr_window_add(w, &wc, 10 * S, DR_W_QUERIES, 1), -1);
	ck_assert_int_eq(dr_window_add(w, &wc, 95 * S, DR_W_QUERIES, -1), -1);
	ck_assert_uint_eq(dr_window_total(w, DR_W_QUERIES), 4);
	check_sums(w, &wc);
	/* 106: bucket 96 leaves, 100 (two) and 105 stay. */
	dr_window_advance(w, &wc, 106 * S);
	ck_assert_uint_eq(dr_window_total(w, DR_W_QUERIES), 3);
	dr_window_advance(w, &wc, 110 * S);
	ck_assert_uint_eq(dr_window_total(w, DR_W_QUERIES), 1);
	dr_window_advance(w, &wc, 115 * S);
	ck_assert_uint_eq(dr_window_total(w, DR_W_QUERIES), 0);
	check_sums(w, &wc);
	free(w);
}
END_TEST

START_TEST(test_negative_delta)
{
	struct dr_window_conf	 wc = { S, 4 };
	struct dr_window	*w = wnew(&wc);

	dr_window_add(w, &wc, 10 * S, DR_W_TIMEOUTS, 2);
	dr_window_add(w, &wc, 11 * S, DR_W_TIMEOUTS, 1);
	ck_assert_int_eq(dr_window_add(w, &wc, 10 * S, DR_W_TIMEOUTS, -1), 0);
	ck_assert_uint_eq(dr_window_total(w, DR_W_TIMEOUTS), 2);
	/* More than the bucket holds: only down to zero, never below. */
	ck_assert_int_eq(dr_window_add(w, &wc, 10 * S, DR_W_TIMEOUTS, -5), 0);
	ck_assert_uint_eq(dr_window_total(w, DR_W_TIMEOUTS), 1);
	ck_assert_int_eq(dr_window_add(w, &wc, 12 * S, DR_W_TIMEOUTS, -1), 0);
	ck_assert_uint_eq(dr_window_total(w, DR_W_TIMEOUTS), 1);
	/* Other buckets are not borrowed from. */
	ck_assert_uint_eq(w->b[11 % 4][DR_W_TIMEOUTS], 1);
	/* The most negative delta there is. */
	ck_assert_int_eq(dr_window_add(w, &wc, 11 * S, DR_W_TIMEOUTS,
	    INT32_MIN), 0);
	ck_assert_uint_eq(dr_window_total(w, DR_W_TIMEOUTS), 0);
	/* A take-back on an empty window. */
	ck_assert_int_eq(dr_window_add(w, &wc, 12 * S, DR_W_QUERIES, -1), 0);
	ck_assert_uint_eq(dr_window_total(w, DR_W_QUERIES), 0);
	check_sums(w, &wc);
	free(w);
}
END_TEST

START_TEST(test_advance)
{
	struct dr_window_conf	 wc = { 500000, 6 };	/* 3 s */
	struct dr_window	*w = wnew(&wc);
	int			 i;

	for (i = 0; i < 6; i++)
		dr_window_add(w, &wc, 50 * S + i * 500000, DR_W_QUERIES, 1);
	ck_assert_uint_eq(dr_window_total(w, DR_W_QUERIES), 6);
	for (i = 1; i <= 6; i++) {
		dr_window_advance(w, &wc, 52 * S + 500000 + i * 500000);
		ck_assert_uint_eq(dr_window_total(w, DR_W_QUERIES), 6 - i);
		check_sums(w, &wc);
	}
	/* Advancing backwards changes nothing. */
	dr_window_add(w, &wc, 60 * S, DR_W_QUERIES, 1);
	dr_window_advance(w, &wc, 40 * S);
	ck_assert_uint_eq(dr_window_total(w, DR_W_QUERIES), 1);
	ck_assert_int_eq(w->head, 120);
	free(w);
}
END_TEST

START_TEST(test_one_bucket)
{
	struct dr_window_conf	 wc = { S, 1 };
	struct dr_window	*w = wnew(&wc);

	dr_window_add(w, &wc, 7 * S, DR_W_QUERIES, 2);
	ck_assert_int_eq(dr_window_add(w, &wc, 7 * S - 1, DR_W_QUERIES, 1),
	    -1);
	ck_assert_uint_eq(dr_window_total(w, DR_W_QUERIES), 2);
	dr_window_add(w, &wc, 8 * S, DR_W_QUERIES, 1);
	ck_assert_uint_eq(dr_window_total(w, DR_W_QUERIES), 1);
	free(w);
}
END_TEST

START_TEST(test_negative_time)
{
	struct dr_window_conf	 wc = { S, 3 };
	struct dr_window	*w = wnew(&wc);

	/* -1 us is in bucket -1, not bucket 0. */
	dr_window_add(w, &wc, -1, DR_W_QUERIES, 1);
	ck_assert_int_eq(w->head, -1);
	dr_window_add(w, &wc, -3 * S, DR_W_QUERIES, 1);
	ck_assert_uint_eq(dr_window_total(w, DR_W_QUERIES), 2);
	ck_assert_int_eq(dr_window_add(w, &wc, -3 * S - 1, DR_W_QUERIES, 1),
	    -1);
	dr_window_add(w, &wc, 2 * S, DR_W_QUERIES, 1);
	ck_assert_uint_eq(dr_window_total(w, DR_W_QUERIES), 1);
	check_sums(w, &wc);
	free(w);
}
END_TEST

/* Fill buckets 100..109 of a 10 s window with 1..10 queries. */
static struct dr_window *
staircase(const struct dr_window_conf *wc)
{
	struct dr_window	*w = wnew(wc);
	int			 i;

	for (i = 100; i <= 109; i++) {
		ck_assert_int_eq(dr_window_add(w, wc, i * S + S / 2,
		    DR_W_QUERIES, i - 99), 0);
		ck_assert_int_eq(dr_window_add(w, wc, i * S, DR_W_TIMEOUTS, 1),
		    0);
	}
	return w;
}

static uint32_t
recent(const struct dr_window *w, const struct dr_window_conf *wc,
    dr_time_t now, uint32_t nb, enum dr_wcounter c)
{
	uint32_t	out[DR_W_NCOUNTERS];

	memset(out, 0xa5, sizeof(out));
	dr_window_recent(w, wc, now, nb, out);
	return out[c];
}

START_TEST(test_recent)
{
	struct dr_window_conf	 wc = { S, 10 };
	struct dr_window	*w = wnew(&wc);
	uint32_t		 out[DR_W_NCOUNTERS];
	int			 c;

	/* Nothing seen: all zero, whatever out held. */
	memset(out, 0xa5, sizeof(out));
	dr_window_recent(w, &wc, 100 * S, 5, out);
	for (c = 0; c < DR_W_NCOUNTERS; c++)
		ck_assert_uint_eq(out[c], 0);
	free(w);

	w = staircase(&wc);
	/* The newest nb buckets, the one holding now included. */
	ck_assert_uint_eq(recent(w, &wc, 109 * S + S / 2, 0, DR_W_QUERIES),
	    0);
	ck_assert_uint_eq(recent(w, &wc, 109 * S + S / 2, 1, DR_W_QUERIES),
	    10);
	ck_assert_uint_eq(recent(w, &wc, 109 * S, 2, DR_W_QUERIES), 19);
	ck_assert_uint_eq(recent(w, &wc, 110 * S - 1, 3, DR_W_QUERIES), 27);
	ck_assert_uint_eq(recent(w, &wc, 109 * S, 3, DR_W_TIMEOUTS), 3);
	ck_assert_uint_eq(recent(w, &wc, 109 * S, 10, DR_W_QUERIES), 55);
	/* More than the window holds is the window. */
	ck_assert_uint_eq(recent(w, &wc, 109 * S, 11, DR_W_QUERIES), 55);
	ck_assert_uint_eq(recent(w, &wc, 109 * S, UINT32_MAX, DR_W_QUERIES),
	    55);
	ck_assert_uint_eq(recent(w, &wc, 109 * S, 4, DR_W_RESPONSES), 0);
	/*
	 * Now past the head, no tick yet: the buckets after it are empty,
	 * and those a window ending now would have lost do not count.
	 */
	ck_assert_uint_eq(recent(w, &wc, 111 * S, 2, DR_W_QUERIES), 0);
	ck_assert_uint_eq(recent(w, &wc, 111 * S, 3, DR_W_QUERIES), 10);
	ck_assert_uint_eq(recent(w, &wc, 111 * S, 10, DR_W_QUERIES), 55 - 3);
	ck_assert_uint_eq(recent(w, &wc, 111 * S, 30, DR_W_QUERIES), 55 - 3);
	ck_assert_uint_eq(recent(w, &wc, 500 * S, 10, DR_W_QUERIES), 0);
	/* Now a little behind the head: the buckets up to now. */
	ck_assert_uint_eq(recent(w, &wc, 105 * S, 3, DR_W_QUERIES),
	    4 + 5 + 6);
	ck_assert_uint_eq(recent(w, &wc, 101 * S, 5, DR_W_QUERIES), 1 + 2);
	/* Before the window: nothing, not the ring's other side. */
	ck_assert_uint_eq(recent(w, &wc, 99 * S, 1, DR_W_QUERIES), 0);
	ck_assert_uint_eq(recent(w, &wc, 95 * S, 3, DR_W_QUERIES), 0);
	ck_assert_uint_eq(recent(w, &wc, 90 * S, 10, DR_W_QUERIES), 0);
	/* It reads, never moves: the totals are as they were. */
	ck_assert_uint_eq(dr_window_total(w, DR_W_QUERIES), 55);
	ck_assert_int_eq(w->head, 109);
	/* After a tick the old buckets are gone from it too. */
	dr_window_advance(w, &wc, 112 * S);
	ck_assert_uint_eq(recent(w, &wc, 112 * S, 10, DR_W_QUERIES),
	    4 + 5 + 6 + 7 + 8 + 9 + 10);
	ck_assert_uint_eq(recent(w, &wc, 112 * S, 5, DR_W_QUERIES), 9 + 10);
	free(w);

	/* Sub-second buckets, and times before 1970. */
	wc.bucket = 250000;
	wc.nbuckets = 4;
	w = wnew(&wc);
	dr_window_add(w, &wc, -1, DR_W_RESPONSES, 1);		/* -1 */
	dr_window_add(w, &wc, -250001, DR_W_RESPONSES, 2);	/* -2 */
	dr_window_add(w, &wc, 0, DR_W_RESPONSES, 4);		/* 0 */
	ck_assert_uint_eq(recent(w, &wc, 0, 1, DR_W_RESPONSES), 4);
	ck_assert_uint_eq(recent(w, &wc, 0, 2, DR_W_RESPONSES), 5);
	ck_assert_uint_eq(recent(w, &wc, 0, 3, DR_W_RESPONSES), 7);
	ck_assert_uint_eq(recent(w, &wc, -1, 1, DR_W_RESPONSES), 1);
	free(w);
}
END_TEST

START_TEST(test_first)
{
	struct dr_window_conf	 wc = { S, 10 };
	struct dr_window	*w = wnew(&wc);

	ck_assert_int_eq(dr_window_first(w, &wc, DR_W_FAIL_FIRST,
	    DR_W_FAIL_LAST), INT64_MIN);
	dr_window_add(w, &wc, 100 * S + 10, DR_W_QUERIES, 1);
	dr_window_add(w, &wc, 103 * S + 999999, DR_W_TIMEOUTS, 1);
	dr_window_add(w, &wc, 105 * S, DR_W_FAIL_PORT, 1);
	dr_window_add(w, &wc, 107 * S, DR_W_FAIL_RCODE, 1);
	/* The start of the oldest bucket with one of them. */
	ck_assert_int_eq(dr_window_first(w, &wc, DR_W_FAIL_FIRST,
	    DR_W_FAIL_LAST), 103 * S);
	ck_assert_int_eq(dr_window_first(w, &wc, DR_W_QUERIES,
	    DR_W_QUERIES), 100 * S);
	ck_assert_int_eq(dr_window_first(w, &wc, DR_W_FAIL_PORT,
	    DR_W_FAIL_PORT), 105 * S);
	ck_assert_int_eq(dr_window_first(w, &wc, DR_W_FAIL_RCODE,
	    DR_W_FAIL_RCODE), 107 * S);
	ck_assert_int_eq(dr_window_first(w, &wc, DR_W_RESPONSES,
	    DR_W_RESPONSES), INT64_MIN);
	ck_assert_int_eq(dr_window_first(w, &wc, DR_W_UNMATCHED,
	    DR_W_NCOUNTERS - 1), INT64_MIN);
	/* The window moves on: the timeout is gone, the error stays. */
	dr_window_advance(w, &wc, 113 * S + S / 2);
	ck_assert_int_eq(dr_window_first(w, &wc, DR_W_FAIL_FIRST,
	    DR_W_FAIL_LAST), 105 * S);
	ck_assert_int_eq(dr_window_first(w, &wc, DR_W_QUERIES,
	    DR_W_QUERIES), INT64_MIN);
	/* Taken back (a late answer): it no longer counts. */
	dr_window_add(w, &wc, 105 * S, DR_W_FAIL_PORT, -1);
	ck_assert_int_eq(dr_window_first(w, &wc, DR_W_FAIL_FIRST,
	    DR_W_FAIL_LAST), 107 * S);
	dr_window_advance(w, &wc, 1000 * S);
	ck_assert_int_eq(dr_window_first(w, &wc, DR_W_FAIL_FIRST,
	    DR_W_FAIL_LAST), INT64_MIN);
	free(w);

	/* Sub-second buckets, and before 1970: floor, not truncation. */
	wc.bucket = 250000;
	wc.nbuckets = 4;
	w = wnew(&wc);
	dr_window_add(w, &wc, S + 300000, DR_W_FAIL_HOST, 1);
	ck_assert_int_eq(dr_window_first(w, &wc, DR_W_FAIL_FIRST,
	    DR_W_FAIL_LAST), 1250000);
	free(w);
	w = wnew(&wc);
	dr_window_add(w, &wc, -1, DR_W_FAIL_ADMIN, 1);
	dr_window_add(w, &wc, -250001, DR_W_FAIL_ADMIN, 1);
	ck_assert_int_eq(dr_window_first(w, &wc, DR_W_FAIL_FIRST,
	    DR_W_FAIL_LAST), -500000);
	free(w);
}
END_TEST

START_TEST(test_names)
{
	int	c, k;

	ck_assert_str_eq(dr_wcounter_name(DR_W_QUERIES), "queries");
	ck_assert_str_eq(dr_wcounter_name(DR_W_RESPONSES), "responses");
	ck_assert_str_eq(dr_wcounter_name(DR_W_FAIL_PORT), "fail_port");
	ck_assert_str_eq(dr_wcounter_name(DR_W_TIMEOUTS), "timeouts");
	ck_assert_str_eq(dr_wcounter_name(DR_W_FAIL_RCODE), "fail_rcode");
	ck_assert_str_eq(dr_wcounter_name(DR_W_RETRANS), "retransmissions");
	ck_assert_str_eq(dr_wcounter_name(DR_W_LATE), "late");
	/* Every counter has its own name. */
	for (c = 0; c < DR_W_NCOUNTERS; c++) {
		ck_assert_str_ne(dr_wcounter_name(c), "?");
		for (k = 0; k < c; k++)
			ck_assert_str_ne(dr_wcounter_name(c),
			    dr_wcounter_name(k));
	}
	ck_assert_str_eq(dr_wcounter_name(DR_W_NCOUNTERS), "?");
	ck_assert_str_eq(dr_wcounter_name((enum dr_wcounter)-1), "?");
}
END_TEST

/* ---- randomized, against a brute-force model ---- */

#define NEV	20000

struct mev {
	int64_t		idx;		/* bucket */
	int		c;
	int32_t		delta;
};

static int64_t
floordiv(int64_t a, int64_t b)
{
	int64_t	q = a / b;

	if (a % b != 0 && (a < 0) != (b < 0))
		q--;
	return q;
}

/*
 * dr_window_recent() and dr_window_first() against the model's buckets
 * (val[0] is bucket head - nbuckets + 1).
 */
static void
check_recent_first(const struct dr_window *w, const struct dr_window_conf *wc,
    int64_t (*val)[DR_W_NCOUNTERS], int64_t head, dr_time_t now, uint32_t nb)
{
	uint32_t	out[DR_W_NCOUNTERS];
	uint64_t	want[DR_W_NCOUNTERS];
	int64_t		lo = head - (int64_t)wc->nbuckets + 1, from, to, j;
	dr_time_t	first = INT64_MIN;
	int		c;

	memset(want, 0, sizeof(want));
	to = floordiv(now, wc->bucket);
	from = to - (int64_t)(nb < wc->nbuckets ? nb : wc->nbuckets) + 1;
	if (to > head)
		to = head;
	if (from < lo)
		from = lo;
	for (j = from; j <= to; j++)
		for (c = 0; c < DR_W_NCOUNTERS; c++)
			want[c] += (uint64_t)val[j - lo][c];
	dr_window_recent(w, wc, now, nb, out);
	for (c = 0; c < DR_W_NCOUNTERS; c++)
		ck_assert_msg(out[c] == want[c], "recent %u at %lld counter "
		    "%d: %u, model %llu", nb, (long long)now, c, out[c],
		    (unsigned long long)want[c]);
	for (j = lo; j <= head && first == INT64_MIN; j++)
		for (c = DR_W_FAIL_FIRST; c <= DR_W_FAIL_LAST; c++)
			if (val[j - lo][c] > 0)
				first = j * wc->bucket;
	ck_assert_int_eq(dr_window_first(w, wc, DR_W_FAIL_FIRST,
	    DR_W_FAIL_LAST), first);
}

/*
 * The model keeps every accepted add and, per (bucket, counter), the
 * clamped value the window should hold.  A bucket value is the clamped
 * running sum of its adds in order.
 */
static void
random_run(uint32_t seed, dr_time_t bucket, uint32_t nbuckets)
{
	struct dr_window_conf	 wc = { bucket, nbuckets };
	struct dr_window	*w = wnew(&wc);
	struct mev		*ev = calloc(NEV, sizeof(*ev));
	int64_t			 head = INT64_MIN, idx, lo;
	uint64_t		 want[DR_W_NCOUNTERS];
	dr_time_t		 ts = -5 * bucket;
	int			 i, j, k, c, r, nev = 0;
	int64_t			 v;
	int64_t			(*val)[DR_W_NCOUNTERS];
	int32_t			 d;

	val = calloc(nbuckets, sizeof(*val));
	ck_assert_ptr_nonnull(ev);
	ck_assert_ptr_nonnull(val);
	srandom(seed);
	for (i = 0; i < NEV; i++) {
		r = (int)(random() % 100);
		if (r < 60)
			ts += random() % (bucket * 2);
		else if (r < 75)
			ts -= random() % (bucket * 3);	/* small step back */
		else if (r < 90)
			ts += random() % (bucket * (nbuckets + 2));
		else if (r < 92)
			ts += bucket * nbuckets * (1 + random() % 50);
		else if (r < 97) {
			/* advance() only */
			ts += random() % (bucket * 4);
			dr_window_advance(w, &wc, ts);
			idx = floordiv(ts, bucket);
			if (head != INT64_MIN && idx > head)
				head = idx;
			goto verify;
		} else
			ts -= random() % (bucket * (nbuckets + 3));
		c = (int)(random() % DR_W_NCOUNTERS);
		d = (int32_t)(random() % 5) - 1;	/* -1 .. 3 */
		if (random() % 20 == 0)
			d = -(int32_t)(random() % 10);
		idx = floordiv(ts, bucket);
		k = dr_window_add(w, &wc, ts, c, d);
		if (head != INT64_MIN && idx <= head - (int64_t)nbuckets) {
			ck_assert_int_eq(k, -1);
			goto verify;
		}
		ck_assert_int_eq(k, 0);
		if (head == INT64_MIN || idx > head)
			head = idx;
		ev[nev].idx = idx;
		ev[nev].c = c;
		ev[nev].delta = d;
		nev++;
		if (nev == NEV)
			break;
verify:
		memset(want, 0, sizeof(want));
		if (head != INT64_MIN) {
			lo = head - (int64_t)nbuckets + 1;
			/*
			 * Replay, in order, the adds whose bucket is in the
			 * window, each bucket clamped at zero as it goes.
			 * Accepted adds are never older than head - nbuckets
			 * at their time, and head only grows, so the scan
			 * can stop at the first add far below lo.
			 */
			for (j = nev - 1; j >= 0 && ev[j].idx >=
			    lo - 2 * (int64_t)nbuckets; j--)
				;
			memset(val, 0, nbuckets * sizeof(*val));
			for (j++; j < nev; j++) {
				if (ev[j].idx < lo || ev[j].idx > head)
					continue;
				v = val[ev[j].idx - lo][ev[j].c] +
				    ev[j].delta;
				val[ev[j].idx - lo][ev[j].c] = v < 0 ? 0 : v;
			}
			for (j = 0; j < (int)nbuckets; j++)
				for (c = 0; c < DR_W_NCOUNTERS; c++)
					want[c] += (uint64_t)val[j][c];
		}
		for (c = 0; c < DR_W_NCOUNTERS; c++)
			ck_assert_msg(want[c] == dr_window_total(w, c),
			    "seed %u step %d counter %d: window %u, model %llu",
			    seed, i, c, dr_window_total(w, c),
			    (unsigned long long)want[c]);
		if (head != INT64_MIN)
			check_recent_first(w, &wc, val, head, ts,
			    (uint32_t)i % (nbuckets + 3));
		if (i % 97 == 0)
			check_sums(w, &wc);
	}
	check_sums(w, &wc);
	free(val);
	free(ev);
	free(w);
}

START_TEST(test_random_small)
{
	random_run(1, 1000, 7);
}
END_TEST

START_TEST(test_random_ring_wraps)
{
	/* Many times around a 3-bucket ring. */
	random_run(42, 250000, 3);
}
END_TEST

START_TEST(test_random_seconds)
{
	random_run(7, S, 10);
}
END_TEST

static Suite *
window_suite(void)
{
	Suite	*s = suite_create("window");
	TCase	*tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_size_init);
	tcase_add_test(tc, test_add_and_totals);
	tcase_add_test(tc, test_jump_clears);
	tcase_add_test(tc, test_backwards);
	tcase_add_test(tc, test_negative_delta);
	tcase_add_test(tc, test_advance);
	tcase_add_test(tc, test_one_bucket);
	tcase_add_test(tc, test_negative_time);
	tcase_add_test(tc, test_recent);
	tcase_add_test(tc, test_first);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_random_small);
	tcase_add_test(tc, test_random_ring_wraps);
	tcase_add_test(tc, test_random_seconds);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(window_suite());
	int	 nf;

	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
