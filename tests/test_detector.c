/*
 * test_detector.c: the pure state machine, on hand-built inputs.
 *
 * Rates over known outcomes; the fast (run and short window), streak
 * and window tests; recovery four ways; flapping; cause updates,
 * reminders and holding back for capture loss; slowness.
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "detector.h"

#define S	DR_USEC
#define MS	1000LL
#define T0	(1700000000LL * S)

/* The defaults of dnsreach.conf. */
static struct dr_detect_conf
dconf(void)
{
	struct dr_detect_conf	c;

	memset(&c, 0, sizeof(c));
	c.threshold = 0.5;
	c.clear_threshold = 0.2;
	c.min_queries = 5;
	c.min_clients = 3;
	c.fast_window = 2 * S;
	c.fast_threshold = 0.9;
	c.fail_streak = 3;
	c.flap_window = 120 * S;
	c.idle_clear = 300 * S;
	c.realert_interval = 600 * S;
	c.slow_threshold = S;
	c.count_timeouts = 1;
	return c;
}

/* Nothing measured; the last outcome is "now" unless changed. */
static struct dr_detect_input
blank(dr_time_t now)
{
	struct dr_detect_input	in;

	memset(&in, 0, sizeof(in));
	in.last_outcome = now;
	return in;
}

/*
 * The window: n outcomes, f of them of kind cls, from one client, the
 * latest of them a failure when there are any.  The short window holds
 * nothing (as on a quiet resolver between ticks).
 */
static struct dr_detect_input
win(uint32_t n, uint32_t f, enum dr_fail_class cls, dr_time_t now)
{
	struct dr_detect_input	in = blank(now);

	in.outcomes = n;
	in.queries = n;
	in.fail[cls] = f;
	in.active_clients = 1;
	in.failing_clients = f > 0;
	if (f > 0) {
		in.run.failures = 1;
		in.run.fail[cls] = 1;
		in.run.strong = cls != DR_FAIL_TIMEOUT;
		in.run.clients = 1;
		in.run.first_query = now - S;
		in.run.first_at = in.run.last_at = now;
	}
	return in;
}

/* The short window: n outcomes, f of kind cls; the window the same. */
static struct dr_detect_input
shortw(uint32_t n, uint32_t f, enum dr_fail_class cls, dr_time_t now)
{
	struct dr_detect_input	in = win(n, f, cls, now);

	in.s_outcomes = n;
	in.s_fail[cls] = f;
	return in;
}

/*
 * A run of f failures of kind cls, known over span (the run's span is
 * of when failures became known), from one client.
 */
static struct dr_detect_input
run(uint32_t f, enum dr_fail_class cls, dr_time_t span, dr_time_t now)
{
	struct dr_detect_input	in = blank(now);

	in.run.failures = f;
	in.run.fail[cls] = f;
	in.run.strong = cls == DR_FAIL_TIMEOUT ? 0 : f;
	in.run.clients = 1;
	in.run.first_query = now - span - 3 * S;
	in.run.first_at = now - span;
	in.run.last_at = now;
	in.active_clients = 1;
	in.failing_clients = 1;
	return in;
}

static void
st_init(struct dr_detect_state *st)
{
	memset(st, 0, sizeof(*st));
}

/* Bring st down (failing) at now with a total outage. */
static void
go_down(const struct dr_detect_conf *c, struct dr_detect_state *st,
    dr_time_t now)
{
	struct dr_detect_input	in = win(20, 20, DR_FAIL_PORT, now);

	ck_assert_int_eq(dr_detect_step(c, st, &in, now), DR_TRANS_FAILING);
	ck_assert_int_eq(st->down, 1);
	ck_assert_int_eq(st->failing, 1);
}

/* ---- rates and causes ---- */

START_TEST(test_failures_and_rate)
{
	struct dr_detect_conf	c = dconf();
	struct dr_detect_input	in = blank(T0);
	int			k;

	ck_assert_uint_eq(dr_detect_failures(&c, in.fail), 0);
	ck_assert(dr_detect_rate(&c, &in) == 0.0);
	in.outcomes = 40;
	for (k = 0; k < DR_FAIL_NCLASSES; k++)
		in.fail[k] = (uint32_t)k + 1;		/* 55 in all */
	ck_assert_uint_eq(dr_detect_failures(&c, in.fail), 55);
	in.outcomes = 110;
	ck_assert(dr_detect_rate(&c, &in) == 0.5);
	/*
	 * Without timeouts counted they leave the rate altogether: 48
	 * failures out of the 103 outcomes that were not timeouts.
	 */
	c.count_timeouts = 0;
	ck_assert_uint_eq(dr_detect_failures(&c, in.fail),
	    55 - (DR_FAIL_TIMEOUT + 1));
	ck_assert(dr_detect_rate(&c, &in) == 48.0 / 103.0);
	c.count_timeouts = 1;
	/* Never over 100%. */
	in.outcomes = 4;
	ck_assert(dr_detect_rate(&c, &in) == 1.0);
	/* No outcome known: 0, not a division by zero. */
	in.outcomes = 0;
	ck_assert(dr_detect_rate(&c, &in) == 0.0);
	/* No overflow in the sum. */
	for (k = 0; k < DR_FAIL_NCLASSES; k++)
		in.fail[k] = UINT32_MAX;
	ck_assert_uint_eq(dr_detect_failures(&c, in.fail), UINT32_MAX);
	in.outcomes = UINT32_MAX;
	ck_assert(dr_detect_rate(&c, &in) == 1.0);
	/* Queries still waiting are in neither: only outcomes count. */
	in = win(10, 5, DR_FAIL_PORT, T0);
	in.queries = 1000;
	ck_assert(dr_detect_rate(&c, &in) == 0.5);
}
END_TEST

START_TEST(test_fail_cause)
{
	static const enum dr_cause want[DR_FAIL_NCLASSES] = {
		[DR_FAIL_PORT] = DR_CAUSE_NOT_LISTENING,
		[DR_FAIL_PORT_PATH] = DR_CAUSE_FIREWALL,
		[DR_FAIL_ADMIN] = DR_CAUSE_FIREWALL,
		[DR_FAIL_HOST] = DR_CAUSE_HOST_DOWN,
		[DR_FAIL_OTHER] = DR_CAUSE_UNREACH_OTHER,
		[DR_FAIL_RESET] = DR_CAUSE_NOT_LISTENING,
		[DR_FAIL_TIMEOUT] = DR_CAUSE_SILENT_DROP,
		[DR_FAIL_SERVFAIL] = DR_CAUSE_SERVFAIL,
		[DR_FAIL_REFUSED] = DR_CAUSE_REFUSED,
		[DR_FAIL_RCODE] = DR_CAUSE_ERROR_RCODE,
	};
	struct dr_detect_conf	c = dconf();
	uint32_t		fail[DR_FAIL_NCLASSES];
	int			k;

	for (k = 0; k < DR_FAIL_NCLASSES; k++) {
		ck_assert_int_eq(dr_fail_cause(k), want[k]);
		/* One failure of a kind: its cause. */
		memset(fail, 0, sizeof(fail));
		fail[k] = 1;
		ck_assert_int_eq(dr_detect_cause(&c, fail), want[k]);
	}
	ck_assert_int_eq(dr_fail_cause(DR_FAIL_NCLASSES), DR_CAUSE_NONE);
	ck_assert_int_eq(dr_fail_cause((enum dr_fail_class)-1),
	    DR_CAUSE_NONE);
}
END_TEST

START_TEST(test_cause)
{
	struct dr_detect_conf	c = dconf();
	uint32_t		f[DR_FAIL_NCLASSES];

	memset(f, 0, sizeof(f));
	ck_assert_int_eq(dr_detect_cause(&c, f), DR_CAUSE_NONE);
	f[DR_FAIL_PORT] = 1;
	ck_assert_int_eq(dr_detect_cause(&c, f), DR_CAUSE_NOT_LISTENING);
	f[DR_FAIL_ADMIN] = 2;
	ck_assert_int_eq(dr_detect_cause(&c, f), DR_CAUSE_FIREWALL);
	f[DR_FAIL_HOST] = 3;
	ck_assert_int_eq(dr_detect_cause(&c, f), DR_CAUSE_HOST_DOWN);
	f[DR_FAIL_OTHER] = 4;
	ck_assert_int_eq(dr_detect_cause(&c, f), DR_CAUSE_UNREACH_OTHER);
	/* ICMP errors explain the timeouts around them. */
	f[DR_FAIL_TIMEOUT] = 500;
	ck_assert_int_eq(dr_detect_cause(&c, f), DR_CAUSE_UNREACH_OTHER);
	f[DR_FAIL_SERVFAIL] = 6;
	ck_assert_int_eq(dr_detect_cause(&c, f), DR_CAUSE_SERVFAIL);
	f[DR_FAIL_REFUSED] = 7;
	ck_assert_int_eq(dr_detect_cause(&c, f), DR_CAUSE_REFUSED);
	f[DR_FAIL_RCODE] = 8;
	ck_assert_int_eq(dr_detect_cause(&c, f), DR_CAUSE_ERROR_RCODE);
	/* Kinds of one cause add up: 2 resets + 7 port > 8. */
	f[DR_FAIL_RESET] = 2;
	f[DR_FAIL_PORT] = 7;
	ck_assert_int_eq(dr_detect_cause(&c, f), DR_CAUSE_NOT_LISTENING);
	f[DR_FAIL_PORT_PATH] = 8;
	ck_assert_int_eq(dr_detect_cause(&c, f), DR_CAUSE_FIREWALL);
	/* One ICMP error among many timeouts explains nothing. */
	memset(f, 0, sizeof(f));
	f[DR_FAIL_TIMEOUT] = 9;
	f[DR_FAIL_PORT] = 1;
	ck_assert_int_eq(dr_detect_cause(&c, f), DR_CAUSE_SILENT_DROP);
	/* Two do; a reset is one of them. */
	f[DR_FAIL_RESET] = 1;
	ck_assert_int_eq(dr_detect_cause(&c, f), DR_CAUSE_NOT_LISTENING);
	f[DR_FAIL_RESET] = 0;
	f[DR_FAIL_HOST] = 1;
	ck_assert_int_eq(dr_detect_cause(&c, f), DR_CAUSE_NOT_LISTENING);
	/* Failing answers are no such explanation. */
	memset(f, 0, sizeof(f));
	f[DR_FAIL_TIMEOUT] = 9;
	f[DR_FAIL_SERVFAIL] = 5;
	ck_assert_int_eq(dr_detect_cause(&c, f), DR_CAUSE_SILENT_DROP);
	/* Without timeouts counted, they point nowhere. */
	memset(f, 0, sizeof(f));
	f[DR_FAIL_TIMEOUT] = 9;
	f[DR_FAIL_HOST] = 1;
	c.count_timeouts = 0;
	ck_assert_int_eq(dr_detect_cause(&c, f), DR_CAUSE_HOST_DOWN);
	f[DR_FAIL_HOST] = 0;
	ck_assert_int_eq(dr_detect_cause(&c, f), DR_CAUSE_NONE);
	c.count_timeouts = 1;
	/* Ties go to the first, the most specific. */
	memset(f, 0, sizeof(f));
	f[DR_FAIL_PORT] = f[DR_FAIL_ADMIN] = f[DR_FAIL_HOST] = 7;
	f[DR_FAIL_OTHER] = f[DR_FAIL_SERVFAIL] = 7;
	f[DR_FAIL_REFUSED] = f[DR_FAIL_RCODE] = 7;
	ck_assert_int_eq(dr_detect_cause(&c, f), DR_CAUSE_NOT_LISTENING);
	f[DR_FAIL_PORT] = 6;
	ck_assert_int_eq(dr_detect_cause(&c, f), DR_CAUSE_FIREWALL);
	f[DR_FAIL_ADMIN] = 6;
	ck_assert_int_eq(dr_detect_cause(&c, f), DR_CAUSE_HOST_DOWN);
	f[DR_FAIL_HOST] = 6;
	ck_assert_int_eq(dr_detect_cause(&c, f), DR_CAUSE_UNREACH_OTHER);
	f[DR_FAIL_OTHER] = 6;
	ck_assert_int_eq(dr_detect_cause(&c, f), DR_CAUSE_SERVFAIL);
	f[DR_FAIL_SERVFAIL] = 6;
	ck_assert_int_eq(dr_detect_cause(&c, f), DR_CAUSE_REFUSED);
	f[DR_FAIL_REFUSED] = 6;
	ck_assert_int_eq(dr_detect_cause(&c, f), DR_CAUSE_ERROR_RCODE);
	/* With no ICMP to speak of, timeouts tie before answers. */
	memset(f, 0, sizeof(f));
	f[DR_FAIL_TIMEOUT] = f[DR_FAIL_SERVFAIL] = 7;
	ck_assert_int_eq(dr_detect_cause(&c, f), DR_CAUSE_SILENT_DROP);
}
END_TEST

START_TEST(test_words)
{
	static const char *const tok[DR_CAUSE_N] = {
		"none", "service-not-listening", "blocked-by-firewall",
		"host-down", "unreachable-other", "silent-drop", "servfail",
		"refused", "error-rcode"
	};
	static const char *const det[DR_DET_N] = {
		"none", "fast", "streak", "window", "idle", "slow"
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
	ck_assert_ptr_nonnull(strstr(dr_cause_text(DR_CAUSE_SERVFAIL),
	    "SERVFAIL"));
	ck_assert_ptr_nonnull(strstr(dr_cause_text(DR_CAUSE_REFUSED),
	    "REFUSED"));
	ck_assert_str_eq(dr_cause_token(DR_CAUSE_N), "none");
	ck_assert_str_eq(dr_cause_token((enum dr_cause)-1), "none");
	ck_assert_str_eq(dr_cause_text(DR_CAUSE_N), dr_cause_text(0));
	ck_assert_str_eq(dr_cause_text((enum dr_cause)99), dr_cause_text(0));
	for (c = 0; c < DR_DET_N; c++)
		ck_assert_str_eq(dr_detector_name(c), det[c]);
	ck_assert_str_eq(dr_detector_name(DR_DET_N), "none");
	ck_assert_str_eq(dr_detector_name((enum dr_detector)-1), "none");
}
END_TEST

/* ---- the window test ---- */

START_TEST(test_window_threshold_edge)
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
		c.fast_threshold = 1.0;
		c.min_queries = 1;
		/* Exactly at the threshold: failing. */
		st_init(&st);
		in = win(v[i].q, v[i].f, DR_FAIL_PORT, T0);
		ck_assert_msg(dr_detect_step(&c, &st, &in, T0) ==
		    DR_TRANS_FAILING, "%u/%u at threshold %g", v[i].f,
		    v[i].q, v[i].th);
		ck_assert_int_eq(st.failing, 1);
		ck_assert_int_eq(st.down, 1);
		ck_assert_int_eq(st.detector, DR_DET_WINDOW);
		ck_assert_int_eq(st.view, DR_VIEW_WINDOW);
		ck_assert_int_eq(st.cause, DR_CAUSE_NOT_LISTENING);
		ck_assert(st.rate_seen == (double)v[i].f / v[i].q);
		ck_assert_int_eq(st.since, T0);
		ck_assert_int_eq(st.down_at, T0);
		ck_assert_int_eq(st.last_alert, T0);
		/* One failure less: not. */
		st_init(&st);
		in = win(v[i].q, v[i].f - 1, DR_FAIL_PORT, T0);
		ck_assert_msg(dr_detect_step(&c, &st, &in, T0) ==
		    DR_TRANS_NONE, "%u/%u at threshold %g", v[i].f - 1,
		    v[i].q, v[i].th);
		ck_assert_int_eq(st.failing, 0);
		ck_assert_int_eq(st.down, 0);
	}
}
END_TEST

START_TEST(test_window_min_queries)
{
	struct dr_detect_conf	c = dconf();
	struct dr_detect_state	st;
	struct dr_detect_input	in;
	uint32_t		n;

	st_init(&st);
	for (n = 0; n < c.min_queries; n++) {
		in = win(n, n, DR_FAIL_ADMIN, T0);
		ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0),
		    DR_TRANS_NONE);
	}
	in = win(5, 5, DR_FAIL_ADMIN, T0);
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_FAILING);
	ck_assert_int_eq(st.cause, DR_CAUSE_FIREWALL);
	/* Queries still out are not outcomes. */
	st_init(&st);
	in = win(4, 4, DR_FAIL_ADMIN, T0);
	in.queries = 100;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_NONE);
	/* min_queries 0 still needs an outcome. */
	c.min_queries = 0;
	st_init(&st);
	in = win(0, 0, DR_FAIL_ADMIN, T0);
	in.queries = 3;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_NONE);
	in = win(1, 1, DR_FAIL_ADMIN, T0);
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_FAILING);
	/* Uncounted timeouts are not outcomes either. */
	c.min_queries = 5;
	c.count_timeouts = 0;
	st_init(&st);
	in = win(10, 4, DR_FAIL_ADMIN, T0);
	in.fail[DR_FAIL_TIMEOUT] = 6;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_NONE);
	in.outcomes = 11;
	in.fail[DR_FAIL_TIMEOUT] = 6;
	in.fail[DR_FAIL_ADMIN] = 5;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_FAILING);
	/* Timeouts alone never fail then. */
	st_init(&st);
	in = win(50, 50, DR_FAIL_TIMEOUT, T0);
	in.s_outcomes = 50;
	in.s_fail[DR_FAIL_TIMEOUT] = 50;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_NONE);
}
END_TEST

/* The window says failing, the short window says it has stopped. */
START_TEST(test_window_needs_short)
{
	struct dr_detect_conf	c = dconf();
	struct dr_detect_state	st;
	struct dr_detect_input	in;

	/* An old burst: 30 of 50 failed, the last 5 were answered. */
	st_init(&st);
	in = win(50, 30, DR_FAIL_PORT, T0);
	in.s_outcomes = 5;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_NONE);
	/* 2 of the last 5 failed: 40%, below the threshold still. */
	in.s_fail[DR_FAIL_PORT] = 2;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_NONE);
	/* 3 of 5: still failing now. */
	in.s_fail[DR_FAIL_PORT] = 3;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_FAILING);
	ck_assert_int_eq(st.detector, DR_DET_WINDOW);
	/* Three recent outcomes are enough to say it has stopped. */
	st_init(&st);
	in = win(50, 30, DR_FAIL_PORT, T0);
	in.s_outcomes = 3;
	in.s_fail[DR_FAIL_PORT] = 1;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_NONE);
	/* Fewer than 3: the latest outcome says, a failure... */
	st_init(&st);
	in = win(50, 30, DR_FAIL_PORT, T0);
	in.s_outcomes = 2;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_FAILING);
	/* ... or an answer. */
	st_init(&st);
	in = win(50, 30, DR_FAIL_PORT, T0);
	in.s_outcomes = 2;
	memset(&in.run, 0, sizeof(in.run));
	in.run.successes = 1;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_NONE);
}
END_TEST

START_TEST(test_window_clients)
{
	struct dr_detect_conf	c = dconf();
	struct dr_detect_state	st;
	struct dr_detect_input	in;

	/* Five ask, two fail: a client problem, not the resolver's. */
	st_init(&st);
	in = win(20, 20, DR_FAIL_PORT, T0);
	in.active_clients = 5;
	in.failing_clients = 2;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_NONE);
	in.failing_clients = 3;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_FAILING);
	/* Only two ask: two is all there can be. */
	st_init(&st);
	in.active_clients = 2;
	in.failing_clients = 2;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_FAILING);
	st_init(&st);
	in.failing_clients = 1;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_NONE);
	/* Nobody known to ask: one failing client will do. */
	in.active_clients = 0;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_FAILING);
	/* ... but not none. */
	st_init(&st);
	in.failing_clients = 0;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_NONE);
	/* The sketches tell four apart: min_clients above is four. */
	c.min_clients = 100;
	st_init(&st);
	in.active_clients = 1000;
	in.failing_clients = 4;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_FAILING);
	c.min_clients = 1;
	st_init(&st);
	in.failing_clients = 1;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_FAILING);
}
END_TEST

/* ---- the fast path: a run of failures ---- */

START_TEST(test_run_streak)
{
	struct dr_detect_conf	c = dconf();
	struct dr_detect_state	st;
	struct dr_detect_input	in;

	/* fail_streak failures spanning fast_window: down. */
	st_init(&st);
	in = run(3, DR_FAIL_PORT, 2 * S, T0);
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_FAILING);
	ck_assert_int_eq(st.detector, DR_DET_STREAK);
	ck_assert_int_eq(st.view, DR_VIEW_RUN);
	ck_assert_int_eq(st.cause, DR_CAUSE_NOT_LISTENING);
	ck_assert(st.rate_seen == 1.0);
	/* Ten or more in a row: the fast test. */
	st_init(&st);
	in = run(10, DR_FAIL_HOST, 2 * S, T0);
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_FAILING);
	ck_assert_int_eq(st.detector, DR_DET_FAST);
	ck_assert_int_eq(st.cause, DR_CAUSE_HOST_DOWN);
	/* One short. */
	st_init(&st);
	in = run(2, DR_FAIL_PORT, 60 * S, T0);
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_NONE);
	/* A blip shorter than fast_window, however many. */
	in = run(500, DR_FAIL_PORT, 2 * S - 1, T0);
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_NONE);
	ck_assert_int_eq(st.down, 0);
	/* A longer streak, a longer span: both fine. */
	c.fail_streak = 5;
	in = run(4, DR_FAIL_PORT, 10 * S, T0);
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_NONE);
	in = run(5, DR_FAIL_PORT, 10 * S, T0);
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_FAILING);
	/* fail_streak 0 or fast_window 0: no run test at all. */
	c.fail_streak = 0;
	st_init(&st);
	in = run(100, DR_FAIL_PORT, 10 * S, T0);
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_NONE);
	c.fail_streak = 3;
	c.fast_window = 0;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_NONE);
}
END_TEST

START_TEST(test_run_timeouts)
{
	struct dr_detect_conf	c = dconf();
	struct dr_detect_state	st;
	struct dr_detect_input	in;

	/* Bare timeouts: a lossy path looks the same for a moment. */
	st_init(&st);
	in = run(3, DR_FAIL_TIMEOUT, 2 * S, T0);
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_NONE);
	in = run(4, DR_FAIL_TIMEOUT, 2 * S, T0);
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_NONE);
	in = run(5, DR_FAIL_TIMEOUT, 2 * S, T0);
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_FAILING);
	ck_assert_int_eq(st.cause, DR_CAUSE_SILENT_DROP);
	ck_assert_int_eq(st.detector, DR_DET_STREAK);
	/* One error among them: back to fail_streak. */
	st_init(&st);
	in = run(3, DR_FAIL_TIMEOUT, 2 * S, T0);
	in.run.fail[DR_FAIL_TIMEOUT] = 2;
	in.run.fail[DR_FAIL_RESET] = 1;
	in.run.strong = 1;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_FAILING);
	/* Timeouts not counted: they never make a run. */
	c.count_timeouts = 0;
	st_init(&st);
	in = run(50, DR_FAIL_TIMEOUT, 20 * S, T0);
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_NONE);
}
END_TEST

START_TEST(test_run_clients)
{
	struct dr_detect_conf	c = dconf();
	struct dr_detect_state	st;
	struct dr_detect_input	in;

	/* Five clients ask; the run holds two of them: not yet. */
	st_init(&st);
	in = run(10, DR_FAIL_PORT, 3 * S, T0);
	in.active_clients = 5;
	in.run.clients = 2;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_NONE);
	in.run.clients = 3;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_FAILING);
	/* Two ask, both fail: min(min_clients, active). */
	st_init(&st);
	in.active_clients = 2;
	in.run.clients = 2;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_FAILING);
	st_init(&st);
	in.run.clients = 1;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_NONE);
	/* A run tells four clients apart at most. */
	c.min_clients = 4;
	in.active_clients = 40;
	in.run.clients = 4;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_FAILING);
}
END_TEST

START_TEST(test_run_ready)
{
	struct dr_detect_conf	c = dconf();
	struct dr_detect_state	st;
	struct dr_detect_input	in;

	/* Up: enough failures over fast_window are worth a look. */
	st_init(&st);
	in = run(2, DR_FAIL_PORT, 5 * S, T0);
	ck_assert_int_eq(dr_detect_run_ready(&c, &st, &in.run), 0);
	in = run(3, DR_FAIL_PORT, 2 * S - 1, T0);
	ck_assert_int_eq(dr_detect_run_ready(&c, &st, &in.run), 0);
	in = run(3, DR_FAIL_PORT, 2 * S, T0);
	ck_assert_int_ne(dr_detect_run_ready(&c, &st, &in.run), 0);
	c.fail_streak = 0;
	ck_assert_int_eq(dr_detect_run_ready(&c, &st, &in.run), 0);
	c.fail_streak = 3;
	/* Down: a few answers in a row are. */
	st.down = 1;
	ck_assert_int_eq(dr_detect_run_ready(&c, &st, &in.run), 0);
	in = blank(T0);
	in.run.successes = 3;
	ck_assert_int_eq(dr_detect_run_ready(&c, &st, &in.run), 0);
	in.run.successes = 4;
	ck_assert_int_ne(dr_detect_run_ready(&c, &st, &in.run), 0);
}
END_TEST

/* ---- the fast path: the short window ---- */

START_TEST(test_short_window)
{
	struct dr_detect_conf	c = dconf();
	struct dr_detect_state	st;
	struct dr_detect_input	in;

	/* Keep the window test out of it. */
	c.min_queries = 1000;
	st_init(&st);
	in = shortw(10, 9, DR_FAIL_PORT, T0);
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_FAILING);
	ck_assert_int_eq(st.detector, DR_DET_FAST);
	ck_assert_int_eq(st.view, DR_VIEW_SHORT);
	ck_assert(st.rate_seen == 0.9);
	/* Below fast_threshold. */
	st_init(&st);
	in = shortw(10, 8, DR_FAIL_PORT, T0);
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_NONE);
	/* Fewer than ten outcomes mean little, even all failed. */
	in = shortw(9, 9, DR_FAIL_PORT, T0);
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_NONE);
	/* Not enough failing clients. */
	in = shortw(100, 100, DR_FAIL_PORT, T0);
	in.active_clients = 10;
	in.failing_clients = 2;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_NONE);
	in.failing_clients = 3;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_FAILING);
	/* No fast path at all. */
	c.fast_window = 0;
	st_init(&st);
	in = shortw(100, 100, DR_FAIL_PORT, T0);
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_NONE);
	/* The window test then, with its own threshold. */
	c.min_queries = 5;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_FAILING);
	ck_assert_int_eq(st.detector, DR_DET_WINDOW);
}
END_TEST

/* ---- recovery ---- */

START_TEST(test_recover_short)
{
	struct dr_detect_conf	c = dconf();
	struct dr_detect_state	st;
	struct dr_detect_input	in;

	st_init(&st);
	go_down(&c, &st, T0);
	/* The window still remembers; the last 10 are 70% fine. */
	in = win(40, 23, DR_FAIL_PORT, T0 + S);
	in.s_outcomes = 10;
	in.s_fail[DR_FAIL_PORT] = 3;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0 + S),
	    DR_TRANS_NONE);
	/* 80% fine: at clear_threshold. */
	in.s_fail[DR_FAIL_PORT] = 2;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0 + S),
	    DR_TRANS_RECOVERED);
	ck_assert_int_eq(st.detector, DR_DET_FAST);
	ck_assert_int_eq(st.view, DR_VIEW_SHORT);
	ck_assert_int_eq(st.failing, 0);
	ck_assert_int_eq(st.down, 0);
	ck_assert_int_eq(st.last_up, T0 + S);
	/* The old failures in the window do not bring it back down. */
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0 + 2 * S),
	    DR_TRANS_NONE);
}
END_TEST

/* Answers in a row enough that the rate seen would rarely give them. */
static void
recover_by_run(double rate, uint32_t need)
{
	struct dr_detect_conf	c = dconf();
	struct dr_detect_state	st;
	struct dr_detect_input	in;

	st_init(&st);
	st.down = st.failing = 1;
	st.cause = DR_CAUSE_NOT_LISTENING;
	st.rate_seen = rate;
	st.since = T0;
	st.last_alert = T0;
	/* The window is between the thresholds: it cannot clear it. */
	in = win(100, 30, DR_FAIL_PORT, T0 + S);
	in.s_outcomes = 9;
	in.run.successes = need - 1;
	ck_assert_msg(dr_detect_step(&c, &st, &in, T0 + S) == DR_TRANS_NONE,
	    "rate %g: %u answers cleared it", rate, need - 1);
	in.run.successes = need;
	ck_assert_msg(dr_detect_step(&c, &st, &in, T0 + S) ==
	    DR_TRANS_RECOVERED, "rate %g: %u answers did not clear it", rate,
	    need);
	ck_assert_int_eq(st.detector, DR_DET_STREAK);
	ck_assert_int_eq(st.view, DR_VIEW_RUN);
}

START_TEST(test_recover_run)
{
	recover_by_run(1.0, 4);
	recover_by_run(0.95, 4);
	/* 0.5^14 < 1e-4 < 0.5^13 */
	recover_by_run(0.5, 14);
	/* 0.7^26 < 1e-4 < 0.7^25 */
	recover_by_run(0.3, 26);
	/* Capped: more would take too long on a quiet resolver. */
	recover_by_run(0.2, 32);
	recover_by_run(0.01, 32);
	/* Ten recent outcomes: the short window decides, not the run. */
	{
		struct dr_detect_conf	c = dconf();
		struct dr_detect_state	st;
		struct dr_detect_input	in;

		st_init(&st);
		go_down(&c, &st, T0);
		in = win(100, 30, DR_FAIL_PORT, T0 + S);
		in.s_outcomes = 10;
		in.s_fail[DR_FAIL_PORT] = 5;
		in.run.successes = 5;
		ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0 + S),
		    DR_TRANS_NONE);
	}
}
END_TEST

START_TEST(test_recover_window)
{
	struct dr_detect_conf	c = dconf();
	struct dr_detect_state	st;
	struct dr_detect_input	in;
	dr_time_t		now = T0;
	int			i;

	c.realert_interval = 0;
	st_init(&st);
	in = win(10, 6, DR_FAIL_PORT, now);
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, now), DR_TRANS_FAILING);
	/* Between clear and threshold, many times: no flapping. */
	for (i = 0; i < 100; i++) {
		now += S;
		in = win(100, (uint32_t)(21 + i % 29), DR_FAIL_PORT, now);
		ck_assert_int_eq(dr_detect_step(&c, &st, &in, now),
		    DR_TRANS_NONE);
		ck_assert_int_eq(st.failing, 1);
	}
	/* Below min_queries while failing: still failing. */
	in = win(2, 0, DR_FAIL_PORT, now);
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, now), DR_TRANS_NONE);
	/* At clear_threshold, but the short window still failing. */
	in = win(10, 2, DR_FAIL_PORT, now);
	in.s_outcomes = 4;
	in.s_fail[DR_FAIL_PORT] = 2;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, now), DR_TRANS_NONE);
	/* At clear_threshold: recovered. */
	in.s_fail[DR_FAIL_PORT] = 1;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, now),
	    DR_TRANS_RECOVERED);
	ck_assert_int_eq(st.detector, DR_DET_WINDOW);
	ck_assert_int_eq(st.view, DR_VIEW_WINDOW);
	ck_assert_int_eq(st.failing, 0);
	/* And it stays ok between the two on the way up. */
	for (i = 0; i < 20; i++) {
		in = win(100, (uint32_t)(21 + i), DR_FAIL_PORT, now);
		ck_assert_int_eq(dr_detect_step(&c, &st, &in, now),
		    DR_TRANS_NONE);
	}
	/* A clear_threshold of 0 needs a clean window. */
	c.clear_threshold = 0;
	c.flap_window = 0;
	in = win(10, 6, DR_FAIL_PORT, now);
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, now), DR_TRANS_FAILING);
	in = win(1000, 1, DR_FAIL_PORT, now);
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, now), DR_TRANS_NONE);
	in = win(1000, 0, DR_FAIL_PORT, now);
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, now),
	    DR_TRANS_RECOVERED);
}
END_TEST

START_TEST(test_recover_idle)
{
	struct dr_detect_conf	c = dconf();
	struct dr_detect_state	st;
	struct dr_detect_input	in;

	st_init(&st);
	go_down(&c, &st, T0);
	/* Nobody asks any more: the window alone cannot say. */
	in = blank(T0);
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0 + 60 * S),
	    DR_TRANS_NONE);
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0 + 300 * S - 1),
	    DR_TRANS_NONE);
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0 + 300 * S),
	    DR_TRANS_RECOVERED);
	ck_assert_int_eq(st.detector, DR_DET_IDLE);
	ck_assert_int_eq(st.view, DR_VIEW_NONE);
	ck_assert_int_eq(st.failing, 0);
	/* Silence stays quiet. */
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0 + 301 * S),
	    DR_TRANS_NONE);
	/* No outcome ever known counts as idle. */
	st_init(&st);
	go_down(&c, &st, T0);
	in = blank(T0);
	in.last_outcome = INT64_MIN;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0 + S),
	    DR_TRANS_RECOVERED);
	/* idle_clear 0: never for idleness. */
	c.idle_clear = 0;
	c.flap_window = 0;
	c.realert_interval = 0;
	st_init(&st);
	go_down(&c, &st, T0);
	in = blank(T0);
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0 + 86400 * S),
	    DR_TRANS_NONE);
	ck_assert_int_eq(st.failing, 1);
}
END_TEST

/* An empty window while the capture was down is our blindness. */
START_TEST(test_recover_blind)
{
	struct dr_detect_conf	c = dconf();
	struct dr_detect_state	st;
	struct dr_detect_input	in;

	c.realert_interval = 0;
	st_init(&st);
	go_down(&c, &st, T0);
	in = blank(T0);
	in.blind = 1;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0 + 3600 * S),
	    DR_TRANS_NONE);
	/* A run of answers from before the gap is no news either. */
	in.run.successes = 20;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0 + 3600 * S),
	    DR_TRANS_NONE);
	ck_assert_int_eq(st.failing, 1);
	/* Real answers clear it, blind or not. */
	in = shortw(10, 0, DR_FAIL_PORT, T0 + 3600 * S);
	in.blind = 1;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0 + 3600 * S),
	    DR_TRANS_RECOVERED);
	/* Once the blind spell is over, idleness clears again. */
	st_init(&st);
	go_down(&c, &st, T0);
	in = blank(T0);
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0 + 3600 * S),
	    DR_TRANS_RECOVERED);
}
END_TEST

/* ---- flapping ---- */

START_TEST(test_flapping)
{
	struct dr_detect_conf	c = dconf();
	struct dr_detect_state	st;
	struct dr_detect_input	bad, good;
	dr_time_t		t = T0;
	int			i;

	st_init(&st);
	bad = win(20, 20, DR_FAIL_PORT, t);
	good = shortw(20, 0, DR_FAIL_PORT, t);
	ck_assert_int_eq(dr_detect_step(&c, &st, &bad, t), DR_TRANS_FAILING);
	t += 10 * S;
	ck_assert_int_eq(dr_detect_step(&c, &st, &good, t),
	    DR_TRANS_RECOVERED);
	ck_assert_int_eq(st.last_up, t);
	/* Failing again within flap_window: told once, as flapping. */
	t += 119 * S;
	ck_assert_int_eq(dr_detect_step(&c, &st, &bad, t),
	    DR_TRANS_FLAPPING);
	ck_assert_int_eq(st.flapping, 1);
	ck_assert_int_eq(st.failing, 1);
	ck_assert_int_eq(st.since, t);
	ck_assert_int_eq(st.cause, DR_CAUSE_NOT_LISTENING);
	/* Then silence while it flaps, up and down. */
	for (i = 0; i < 9; i++) {
		t += 30 * S;
		ck_assert_int_eq(dr_detect_step(&c, &st, &good, t),
		    DR_TRANS_NONE);
		ck_assert_int_eq(st.down, 0);
		ck_assert_int_eq(st.failing, 1);
		t += 30 * S;
		ck_assert_int_eq(dr_detect_step(&c, &st, &bad, t),
		    DR_TRANS_NONE);
		ck_assert_int_eq(st.down, 1);
	}
	/* Nor a cause update while it flaps. */
	bad = win(20, 20, DR_FAIL_HOST, t);
	ck_assert_int_eq(dr_detect_step(&c, &st, &bad, t), DR_TRANS_NONE);
	t += S;
	ck_assert_int_eq(dr_detect_step(&c, &st, &good, t), DR_TRANS_NONE);
	/* It stays up for flap_window: now it has recovered. */
	ck_assert_int_eq(dr_detect_step(&c, &st, &good, t + 120 * S - 1),
	    DR_TRANS_NONE);
	ck_assert_int_eq(dr_detect_step(&c, &st, &good, t + 120 * S),
	    DR_TRANS_RECOVERED);
	ck_assert_int_eq(st.flapping, 0);
	ck_assert_int_eq(st.failing, 0);
	ck_assert_int_eq(dr_detect_step(&c, &st, &good, t + 121 * S),
	    DR_TRANS_NONE);
	/* Failing flap_window after that recovery is a new episode. */
	t = st.last_up + 120 * S;
	ck_assert_int_eq(dr_detect_step(&c, &st, &bad, t), DR_TRANS_FAILING);
	ck_assert_int_eq(st.flapping, 0);

	/* No flapping state: a pair per flap. */
	c.flap_window = 0;
	st_init(&st);
	for (i = 0; i < 5; i++) {
		ck_assert_int_eq(dr_detect_step(&c, &st, &bad, t),
		    DR_TRANS_FAILING);
		t += S;
		ck_assert_int_eq(dr_detect_step(&c, &st, &good, t),
		    DR_TRANS_RECOVERED);
		t += S;
	}
}
END_TEST

/* ---- while failing: updates, reminders ---- */

START_TEST(test_updated)
{
	struct dr_detect_conf	c = dconf();
	struct dr_detect_state	st;
	struct dr_detect_input	in;

	/* Silent drop first: timeouts. */
	st_init(&st);
	in = run(6, DR_FAIL_TIMEOUT, 3 * S, T0);
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_FAILING);
	ck_assert_int_eq(st.cause, DR_CAUSE_SILENT_DROP);
	/* Some of them turn out to be port unreachable: at once. */
	in.run.fail[DR_FAIL_TIMEOUT] = 2;
	in.run.fail[DR_FAIL_PORT] = 4;
	in.run.strong = 4;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0 + S),
	    DR_TRANS_UPDATED);
	ck_assert_int_eq(st.cause, DR_CAUSE_NOT_LISTENING);
	ck_assert_int_eq(st.prev_cause, DR_CAUSE_SILENT_DROP);
	ck_assert_int_eq(st.view, DR_VIEW_RUN);
	ck_assert_int_eq(st.failing, 1);
	ck_assert_int_eq(st.since, T0);
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0 + 2 * S),
	    DR_TRANS_NONE);
	/* Another ICMP cause needs twice the count. */
	in = win(30, 10, DR_FAIL_PORT, T0 + 3 * S);
	in.fail[DR_FAIL_ADMIN] = 19;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0 + 3 * S),
	    DR_TRANS_NONE);
	ck_assert_int_eq(st.cause, DR_CAUSE_NOT_LISTENING);
	in.fail[DR_FAIL_ADMIN] = 20;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0 + 4 * S),
	    DR_TRANS_UPDATED);
	ck_assert_int_eq(st.cause, DR_CAUSE_FIREWALL);
	ck_assert_int_eq(st.prev_cause, DR_CAUSE_NOT_LISTENING);
	ck_assert_int_eq(st.view, DR_VIEW_WINDOW);
	/* Timeouts with a couple of ICMP errors: still the firewall. */
	in = win(402, 2, DR_FAIL_ADMIN, T0 + 5 * S);
	in.fail[DR_FAIL_TIMEOUT] = 400;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0 + 5 * S),
	    DR_TRANS_NONE);
	ck_assert_int_eq(st.cause, DR_CAUSE_FIREWALL);
	/* With one, the timeouts name it: silent drop, twice the count. */
	in.fail[DR_FAIL_ADMIN] = 1;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0 + 6 * S),
	    DR_TRANS_UPDATED);
	ck_assert_int_eq(st.cause, DR_CAUSE_SILENT_DROP);
	ck_assert_int_eq(st.prev_cause, DR_CAUSE_FIREWALL);
	/* An update is no reminder: the reminder clock runs on. */
	ck_assert_int_eq(st.last_alert, T0);
	in.last_outcome = T0 + 600 * S;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0 + 600 * S),
	    DR_TRANS_REMINDER);
}
END_TEST

START_TEST(test_reminders)
{
	struct dr_detect_conf	c = dconf();
	struct dr_detect_state	st;
	struct dr_detect_input	in;
	dr_time_t		now;
	int			n = 0;

	c.realert_interval = 60 * S;
	c.idle_clear = 0;
	st_init(&st);
	in = win(10, 10, DR_FAIL_PORT, T0);
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
	st_init(&st);
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_FAILING);
	for (now = T0; now <= T0 + 86400 * S; now += 60 * S)
		ck_assert_int_eq(dr_detect_step(&c, &st, &in, now),
		    DR_TRANS_NONE);
	/* A new episode restarts the reminder clock. */
	c.realert_interval = 60 * S;
	c.flap_window = 0;
	in = win(10, 0, DR_FAIL_PORT, now);
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, now),
	    DR_TRANS_RECOVERED);
	in = win(10, 10, DR_FAIL_PORT, now);
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

	st_init(&st);
	in = win(10, 8, DR_FAIL_TIMEOUT, T0);
	in.drops = 8;
	/* Capture loss explains the timeouts. */
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_HELD);
	ck_assert_int_eq(st.failing, 0);
	ck_assert_int_eq(st.down, 0);
	ck_assert_int_eq(st.view, DR_VIEW_NONE);
	in.drops = 1000;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_HELD);
	/* A run of timeouts, the same. */
	in = run(8, DR_FAIL_TIMEOUT, 3 * S, T0);
	in.drops = 8;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_HELD);
	ck_assert_int_eq(st.down, 0);
	/* Fewer drops than timeouts: it does not. */
	in = win(10, 8, DR_FAIL_TIMEOUT, T0);
	in.drops = 7;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_FAILING);
	ck_assert_int_eq(st.cause, DR_CAUSE_SILENT_DROP);
	/* An error is not lost by the capture: no holding back. */
	st_init(&st);
	in = win(10, 8, DR_FAIL_TIMEOUT, T0);
	in.drops = 1000;
	in.fail[DR_FAIL_PORT] = 1;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_FAILING);
	st_init(&st);
	in.fail[DR_FAIL_PORT] = 0;
	in.fail[DR_FAIL_SERVFAIL] = 1;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_FAILING);
	/* Below the threshold: nothing to hold. */
	st_init(&st);
	in = win(10, 2, DR_FAIL_TIMEOUT, T0);
	in.drops = 1000;
	ck_assert_int_eq(dr_detect_step(&c, &st, &in, T0), DR_TRANS_NONE);
}
END_TEST

/* ---- slowness ---- */

/*
 * The window's p95, and per half the answers and how many of them were
 * over slow_threshold.
 */
static struct dr_detect_input
slow_in(dr_time_t p95, uint32_t na, uint32_t overa, uint32_t nb,
    uint32_t overb)
{
	struct dr_detect_input	in = blank(T0);

	in.p95 = p95;
	in.samples = (uint64_t)na + nb;
	in.samples_halves[0] = na;
	in.over_halves[0] = overa;
	in.samples_halves[1] = nb;
	in.over_halves[1] = overb;
	return in;
}

START_TEST(test_slow)
{
	struct dr_detect_conf	c = dconf();
	struct dr_detect_state	st;
	struct dr_detect_input	in, ok;
	dr_time_t		t = T0;

	st_init(&st);
	in = slow_in(2 * S, 10, 2, 10, 2);
	/* Two steps in a row before it is said. */
	ck_assert_int_eq(dr_detect_slow_step(&c, &st, &in, t += S),
	    DR_TRANS_NONE);
	ck_assert_int_eq(dr_detect_slow_step(&c, &st, &in, t += S),
	    DR_TRANS_SLOW);
	ck_assert_int_eq(st.slow, 1);
	ck_assert_int_eq(dr_detect_slow_step(&c, &st, &in, t += S),
	    DR_TRANS_NONE);
	/* Slowness leaves the failure state alone. */
	ck_assert_int_eq(st.failing, 0);
	ck_assert_int_eq(st.down, 0);
	/* The window's p95 at the threshold for two steps: over. */
	ok = slow_in(S, 10, 0, 10, 0);
	ck_assert_int_eq(dr_detect_slow_step(&c, &st, &ok, t += S),
	    DR_TRANS_NONE);
	ck_assert_int_eq(dr_detect_slow_step(&c, &st, &ok, t += S),
	    DR_TRANS_SLOW_RECOVERED);
	ck_assert_int_eq(st.slow, 0);

	/* One straggler in ten is chance, two are not: each half. */
	st_init(&st);
	in = slow_in(2 * S, 10, 2, 10, 1);
	ck_assert_int_eq(dr_detect_slow_step(&c, &st, &in, t += S),
	    DR_TRANS_NONE);
	ck_assert_int_eq(dr_detect_slow_step(&c, &st, &in, t += S),
	    DR_TRANS_NONE);
	in = slow_in(2 * S, 10, 1, 10, 2);
	ck_assert_int_eq(dr_detect_slow_step(&c, &st, &in, t += S),
	    DR_TRANS_NONE);
	ck_assert_int_eq(dr_detect_slow_step(&c, &st, &in, t += S),
	    DR_TRANS_NONE);
	/* Of a hundred, 9 over is clearly over 5 %, 8 is not. */
	in = slow_in(2 * S, 100, 8, 100, 50);
	ck_assert_int_eq(dr_detect_slow_step(&c, &st, &in, t += S),
	    DR_TRANS_NONE);
	ck_assert_int_eq(dr_detect_slow_step(&c, &st, &in, t += S),
	    DR_TRANS_NONE);
	/* Nine answers in a half are too few to say. */
	in = slow_in(5 * S, 9, 9, 100, 100);
	ck_assert_int_eq(dr_detect_slow_step(&c, &st, &in, t += S),
	    DR_TRANS_NONE);
	ck_assert_int_eq(dr_detect_slow_step(&c, &st, &in, t += S),
	    DR_TRANS_NONE);
	/* The window's p95 at the threshold is not above it. */
	in = slow_in(S, 100, 100, 100, 100);
	ck_assert_int_eq(dr_detect_slow_step(&c, &st, &in, t += S),
	    DR_TRANS_NONE);
	ck_assert_int_eq(dr_detect_slow_step(&c, &st, &in, t += S),
	    DR_TRANS_NONE);
	/* A step that disagrees starts the count again. */
	in = slow_in(2 * S, 100, 9, 100, 9);
	ok = slow_in(2 * S, 100, 9, 100, 8);
	ck_assert_int_eq(dr_detect_slow_step(&c, &st, &in, t += S),
	    DR_TRANS_NONE);
	ck_assert_int_eq(dr_detect_slow_step(&c, &st, &ok, t += S),
	    DR_TRANS_NONE);
	ck_assert_int_eq(dr_detect_slow_step(&c, &st, &in, t += S),
	    DR_TRANS_NONE);
	ck_assert_int_eq(dr_detect_slow_step(&c, &st, &in, t += S),
	    DR_TRANS_SLOW);
	/* No answers at all is no sign of speed. */
	ok = slow_in(0, 0, 0, 0, 0);
	ck_assert_int_eq(dr_detect_slow_step(&c, &st, &ok, t += S),
	    DR_TRANS_NONE);
	ck_assert_int_eq(dr_detect_slow_step(&c, &st, &ok, t += S),
	    DR_TRANS_NONE);
	ck_assert_int_eq(st.slow, 1);
	/* Just above the threshold: still slow. */
	ok = slow_in(S + 1, 10, 0, 10, 0);
	ck_assert_int_eq(dr_detect_slow_step(&c, &st, &ok, t += S),
	    DR_TRANS_NONE);
	ck_assert_int_eq(dr_detect_slow_step(&c, &st, &ok, t += S),
	    DR_TRANS_NONE);
	/* slow_threshold 0 turns the test off and ends a slow state. */
	c.slow_threshold = 0;
	ck_assert_int_eq(dr_detect_slow_step(&c, &st, &in, t += S),
	    DR_TRANS_SLOW_RECOVERED);
	ck_assert_int_eq(st.slow, 0);
	ck_assert_int_eq(dr_detect_slow_step(&c, &st, &in, t += S),
	    DR_TRANS_NONE);
	ck_assert_int_eq(dr_detect_slow_step(&c, &st, &in, t += S),
	    DR_TRANS_NONE);
	ck_assert_int_eq(st.slow, 0);
}
END_TEST

static Suite *
detector_suite(void)
{
	Suite	*s = suite_create("detector");
	TCase	*tc;

	tc = tcase_create("rate");
	tcase_add_test(tc, test_failures_and_rate);
	tcase_add_test(tc, test_fail_cause);
	tcase_add_test(tc, test_cause);
	tcase_add_test(tc, test_words);
	suite_add_tcase(s, tc);

	tc = tcase_create("fail");
	tcase_add_test(tc, test_window_threshold_edge);
	tcase_add_test(tc, test_window_min_queries);
	tcase_add_test(tc, test_window_needs_short);
	tcase_add_test(tc, test_window_clients);
	tcase_add_test(tc, test_run_streak);
	tcase_add_test(tc, test_run_timeouts);
	tcase_add_test(tc, test_run_clients);
	tcase_add_test(tc, test_run_ready);
	tcase_add_test(tc, test_short_window);
	suite_add_tcase(s, tc);

	tc = tcase_create("recover");
	tcase_add_test(tc, test_recover_short);
	tcase_add_test(tc, test_recover_run);
	tcase_add_test(tc, test_recover_window);
	tcase_add_test(tc, test_recover_idle);
	tcase_add_test(tc, test_recover_blind);
	suite_add_tcase(s, tc);

	tc = tcase_create("episode");
	tcase_add_test(tc, test_flapping);
	tcase_add_test(tc, test_updated);
	tcase_add_test(tc, test_reminders);
	tcase_add_test(tc, test_held);
	tcase_add_test(tc, test_slow);
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
