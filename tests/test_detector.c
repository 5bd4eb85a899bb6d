/*
 * test_detector.c: rate, thresholds, hysteresis, reminders, cause.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "detector.h"

#define S	DR_USEC
#define T0	(1700000000LL * S)

static struct dr_detect_conf
dconf(void)
{
	struct dr_detect_conf	c;

	memset(&c, 0, sizeof(c));
	c.threshold = 0.5;
	c.clear_threshold = 0.2;
	c.min_queries = 5;
	c.realert_interval = 600 * S;
	c.count_timeouts = 1;
	return c;
}

static struct dr_detect_input
in_port(uint32_t queries, uint32_t port)
{
	struct dr_detect_input	in;

	memset(&in, 0, sizeof(in));
	in.queries = queries;
	in.port = port;
	return in;
}

START_TEST(test_failures_and_rate)
{
	struct dr_detect_conf	c = dconf();
	struct dr_detect_input	in;

	memset(&in, 0, sizeof(in));
	ck_assert_uint_eq(dr_detect_failures(&c, &in), 0);
	ck_assert(dr_detect_rate(&c, &in) == 0.0);
	in.queries = 20;
	in.port = 1;
	in.admin = 2;
	in.host = 3;
	in.other = 4;
	in.timeouts = 5;
	ck_assert_uint_eq(dr_detect_failures(&c, &in), 15);
	ck_assert(dr_detect_rate(&c, &in) == 0.75);
	c.count_timeouts = 0;
	ck_assert_uint_eq(dr_detect_failures(&c, &in), 10);
	ck_assert(dr_detect_rate(&c, &in) == 0.5);
	/* Never over 100%. */
	in.queries = 4;
	ck_assert_uint_eq(dr_detect_failures(&c, &in), 4);
	ck_assert(dr_detect_rate(&c, &in) == 1.0);
	/* No overflow in the sum. */
	in.queries = UINT32_MAX;
	in.port = in.admin = in.host = in.other = UINT32_MAX;
	ck_assert_uint_eq(dr_detect_failures(&c, &in), UINT32_MAX);
	/* Failures without queries: rate 0, not a division by zero. */
	in.queries = 0;
	ck_assert(dr_detect_rate(&c, &in) == 0.0);
}
END_TEST

START_TEST(test_threshold_edge)
{
	struct dr_detect_conf	c = dconf();
	struct dr_detect_state	st;
	struct dr_detect_input	in;
	static const struct {
		double		th;
		uint32_t	q, f;
	} v[] = {
		{ 0.5, 10, 5 }, { 0.3, 10, 3 }, { 0.7, 10, 7 },
		{ 0.35, 20, 7 }, { 0.9, 10, 9 }, { 0.1, 10, 1 },
		{ 1.0, 8, 8 }, { 0.6, 5, 3 }, { 0.45, 20, 9 },
		{ 0.55, 20, 11 }, { 0.33, 100, 33 }, { 0.01, 100, 1 },
	};
	size_t			i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		c.threshold = v[i].th;
		c.clear_threshold = v[i].th / 4;
		c.min_queries = 1;
		/* Exactly at the threshold: failing. */
		memset(&st, 0, sizeof(st));
		in = in_port(v[i].q, v[i].f);
		ck_assert_msg(dr_detect_step(&c, &st, &in, T0) ==
		    DR_TRANS_FAILING, "%u/%u at threshold %g", v[i].f,
		    v[i].q, v[i].th);
		ck_assert_int_eq(st.failing, 1);
		ck_assert_int_eq(st.since, T0);
		ck_assert_int_eq(st.last_alert, T0);
		/* One failure less: not. */
		memset(&st, 0, sizeof(st));
		in = in_port(v[i].q, v[i].f - 1);
		ck_assert_msg(dr_detect_step(&c, &st, &in, T0) ==
		    DR_TRANS_NONE, "%u/%u at threshold %g", v[i].f - 1,
		    v[i].q, v[i].th);
		ck_assert_int_eq(st.failing, 0);
	}
}
END_TEST

START_TEST(test_min_queries)
{
	struct dr_detect_conf	c = dconf();
	struct dr_detect_state	st;
	struct dr_detect_input	in;
	uint32_t		q;

	memset(&st, 0, sizeof(st));
	for (q = 0; q < c.min_queries; q++) {
		in = in_port(q, q);
		ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0),
		    DR_TRANS_NONE);
	}
	in = in_port(5, 5);
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_FAILING);
	/* min_queries 0 still needs a query. */
	c.min_queries = 0;
	memset(&st, 0, sizeof(st));
	in = in_port(0, 0);
	in.timeouts = 3;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_NONE);
	in = in_port(1, 1);
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_FAILING);
}
END_TEST

START_TEST(test_hysteresis)
{
	struct dr_detect_conf	c = dconf();
	struct dr_detect_state	st;
	struct dr_detect_input	in;
	dr_time_t		now = T0;
	int			i;

	c.realert_interval = 0;
	memset(&st, 0, sizeof(st));
	in = in_port(10, 6);
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, now), DR_TRANS_FAILING);
	/* Between clear and threshold, many times: no flapping. */
	for (i = 0; i < 100; i++) {
		now += S;
		in = in_port(100, (uint32_t)(21 + i % 29));
		ck_assert_int_eq(dr_detect_step(&c, &st, &in, now),
		    DR_TRANS_NONE);
		ck_assert_int_eq(st.failing, 1);
	}
	/* Below min_queries while failing: still failing. */
	in = in_port(2, 2);
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, now), DR_TRANS_NONE);
	/* Exactly at clear_threshold: recovered. */
	in = in_port(10, 2);
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, now),
	    DR_TRANS_RECOVERED);
	ck_assert_int_eq(st.failing, 0);
	/* And it stays ok between the two on the way up. */
	for (i = 0; i < 20; i++) {
		in = in_port(100, (uint32_t)(21 + i));
		ck_assert_int_eq(dr_detect_step(&c, &st, &in, now),
		    DR_TRANS_NONE);
	}
	/* Just above clear: still failing. */
	in = in_port(10, 6);
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, now), DR_TRANS_FAILING);
	in = in_port(100, 21);
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, now), DR_TRANS_NONE);
	in = in_port(100, 20);
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, now),
	    DR_TRANS_RECOVERED);
	/* A clear_threshold of 0 needs a clean window. */
	c.clear_threshold = 0;
	in = in_port(10, 6);
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, now), DR_TRANS_FAILING);
	in = in_port(1000, 1);
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, now), DR_TRANS_NONE);
	in = in_port(1000, 0);
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, now),
	    DR_TRANS_RECOVERED);
}
END_TEST

START_TEST(test_recovery_by_silence)
{
	struct dr_detect_conf	c = dconf();
	struct dr_detect_state	st;
	struct dr_detect_input	in;

	c.clear_threshold = 0;
	memset(&st, 0, sizeof(st));
	in = in_port(10, 10);
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_FAILING);
	/* Nothing in the window: nothing fails any more. */
	in = in_port(0, 0);
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0 + S),
	    DR_TRANS_RECOVERED);
	ck_assert_int_eq(st.failing, 0);
	/* Silence stays quiet. */
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0 + 2 * S),
	    DR_TRANS_NONE);
}
END_TEST

START_TEST(test_reminders)
{
	struct dr_detect_conf	c = dconf();
	struct dr_detect_state	st;
	struct dr_detect_input	in = in_port(10, 10);
	dr_time_t		now;
	int			n = 0;

	c.realert_interval = 60 * S;
	memset(&st, 0, sizeof(st));
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_FAILING);
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0 + 60 * S - 1),
	    DR_TRANS_NONE);
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0 + 60 * S),
	    DR_TRANS_REMINDER);
	ck_assert_int_eq(st.last_alert, T0 + 60 * S);
	ck_assert_int_eq(st.since, T0);
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0 + 61 * S),
	    DR_TRANS_NONE);
	/* One a minute, at most, ticking every second for an hour. */
	for (now = T0 + 62 * S; now <= T0 + 3660 * S; now += S)
		n += dr_detect_step(&c, &st, &in, now) == DR_TRANS_REMINDER;
	ck_assert_int_eq(n, 60);
	ck_assert_int_eq(st.since, T0);
	/* 0: never. */
	c.realert_interval = 0;
	memset(&st, 0, sizeof(st));
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_FAILING);
	for (now = T0; now <= T0 + 86400 * S; now += 60 * S)
		ck_assert_int_eq(dr_detect_step(&c, &st, &in, now),
		    DR_TRANS_NONE);
	/* A new episode restarts the reminder clock. */
	c.realert_interval = 60 * S;
	in = in_port(0, 0);
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, now),
	    DR_TRANS_RECOVERED);
	in = in_port(10, 10);
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, now + S),
	    DR_TRANS_FAILING);
	ck_assert_int_eq(st.since, now + S);
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, now + 60 * S),
	    DR_TRANS_NONE);
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, now + 61 * S),
	    DR_TRANS_REMINDER);
}
END_TEST

START_TEST(test_held)
{
	struct dr_detect_conf	c = dconf();
	struct dr_detect_state	st;
	struct dr_detect_input	in;

	memset(&st, 0, sizeof(st));
	memset(&in, 0, sizeof(in));
	in.queries = 10;
	in.timeouts = 8;
	in.drops = 8;
	/* Capture loss explains the timeouts. */
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_HELD);
	ck_assert_int_eq(st.failing, 0);
	in.drops = 1000;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_HELD);
	/* Fewer drops than timeouts: it does not. */
	in.drops = 7;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_FAILING);
	ck_assert_int_eq(dr_detect_cause(&c, &in), DR_CAUSE_SILENT_DROP);
	/* ICMP is not lost by the capture: no holding back. */
	memset(&st, 0, sizeof(st));
	in.drops = 1000;
	in.port = 1;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_FAILING);
	memset(&st, 0, sizeof(st));
	in.port = 0;
	in.host = 1;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_FAILING);
	/* Below the threshold: nothing to hold. */
	memset(&st, 0, sizeof(st));
	memset(&in, 0, sizeof(in));
	in.queries = 10;
	in.timeouts = 2;
	in.drops = 1000;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_NONE);
	/* Without timeouts counted, timeouts never fail alone. */
	c.count_timeouts = 0;
	in.timeouts = 10;
	in.drops = 0;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_NONE);
}
END_TEST

START_TEST(test_cause)
{
	struct dr_detect_conf	c = dconf();
	struct dr_detect_input	in;

	memset(&in, 0, sizeof(in));
	in.queries = 100;
	ck_assert_int_eq(dr_detect_cause(&c, &in), DR_CAUSE_NONE);
	in.port = 1;
	ck_assert_int_eq(dr_detect_cause(&c, &in), DR_CAUSE_NOT_LISTENING);
	in.admin = 2;
	ck_assert_int_eq(dr_detect_cause(&c, &in), DR_CAUSE_FIREWALL);
	in.host = 3;
	ck_assert_int_eq(dr_detect_cause(&c, &in), DR_CAUSE_HOST_DOWN);
	in.other = 4;
	ck_assert_int_eq(dr_detect_cause(&c, &in), DR_CAUSE_UNREACH_OTHER);
	in.timeouts = 5;
	ck_assert_int_eq(dr_detect_cause(&c, &in), DR_CAUSE_SILENT_DROP);
	c.count_timeouts = 0;
	ck_assert_int_eq(dr_detect_cause(&c, &in), DR_CAUSE_UNREACH_OTHER);
	c.count_timeouts = 1;
	/* Ties go in the order port, admin, host, other, timeouts. */
	in.port = in.admin = in.host = in.other = in.timeouts = 7;
	ck_assert_int_eq(dr_detect_cause(&c, &in), DR_CAUSE_NOT_LISTENING);
	in.port = 6;
	ck_assert_int_eq(dr_detect_cause(&c, &in), DR_CAUSE_FIREWALL);
	in.admin = 6;
	ck_assert_int_eq(dr_detect_cause(&c, &in), DR_CAUSE_HOST_DOWN);
	in.host = 6;
	ck_assert_int_eq(dr_detect_cause(&c, &in), DR_CAUSE_UNREACH_OTHER);
	in.other = 6;
	ck_assert_int_eq(dr_detect_cause(&c, &in), DR_CAUSE_SILENT_DROP);
	memset(&in, 0, sizeof(in));
	in.queries = 10;
	in.timeouts = 3;
	in.admin = 3;
	ck_assert_int_eq(dr_detect_cause(&c, &in), DR_CAUSE_FIREWALL);
	in.host = 3;
	ck_assert_int_eq(dr_detect_cause(&c, &in), DR_CAUSE_FIREWALL);
}
END_TEST

START_TEST(test_cause_words)
{
	static const char *const tok[DR_CAUSE_N] = {
		"none", "service-not-listening", "blocked-by-firewall",
		"host-down", "unreachable-other", "silent-drop"
	};
	int	c, k;

	for (c = 0; c < DR_CAUSE_N; c++) {
		ck_assert_str_eq(dr_cause_token(c), tok[c]);
		ck_assert_ptr_nonnull(dr_cause_text(c));
		ck_assert_uint_gt(strlen(dr_cause_text(c)), 0);
		/* Tokens are journal-field safe: lower case and '-'. */
		for (k = 0; tok[c][k] != '\0'; k++)
			ck_assert((tok[c][k] >= 'a' && tok[c][k] <= 'z') ||
			    tok[c][k] == '-');
		for (k = 0; k < c; k++)
			ck_assert_str_ne(dr_cause_text(c), dr_cause_text(k));
	}
	ck_assert_str_eq(dr_cause_text(DR_CAUSE_NOT_LISTENING),
	    "DNS service not listening");
	ck_assert_str_eq(dr_cause_token(DR_CAUSE_N), "none");
	ck_assert_str_eq(dr_cause_token((enum dr_cause)-1), "none");
	ck_assert_str_eq(dr_cause_text(DR_CAUSE_N), dr_cause_text(0));
	ck_assert_str_eq(dr_cause_text((enum dr_cause)99), dr_cause_text(0));
}
END_TEST

static Suite *
detector_suite(void)
{
	Suite	*s = suite_create("detector");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_failures_and_rate);
	tcase_add_test(tc, test_threshold_edge);
	tcase_add_test(tc, test_min_queries);
	tcase_add_test(tc, test_hysteresis);
	tcase_add_test(tc, test_recovery_by_silence);
	tcase_add_test(tc, test_reminders);
	tcase_add_test(tc, test_held);
	tcase_add_test(tc, test_cause);
	tcase_add_test(tc, test_cause_words);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(detector_suite());
	int	 nf;

	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
