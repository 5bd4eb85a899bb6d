/*
 * test_tracker.c: resolver table, query matching, outcomes, runs, bounds.
 *
 * Events are built by hand (struct dr_event); queries carry a real DNS
 * question so that retransmissions can be told from new queries.  A
 * randomized run checks that no query ever has two outcomes.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tracker.h"
#include "util_pkt.h"

#define S	DR_USEC
#define MS	1000LL
#define T0	(1700000000LL * S)
#define NAME	"www.example.com"

#define R1	"203.0.113.2"
#define R2	"203.0.113.3"
#define R6	"2001:db8::53"
#define ROUTER	"198.51.100.1"
#define ROUTER6	"2001:db8:1::1"

static uint8_t	qbuf[1024];

static struct dr_tracker_conf
tconf(void)
{
	struct dr_tracker_conf	c;

	memset(&c, 0, sizeof(c));
	c.window.bucket = S;
	c.window.nbuckets = 10;
	c.query_timeout = 3 * S;
	c.match_window = 10 * S;
	c.fast_window = 2 * S;
	c.run_gap = 300 * S;
	c.max_resolvers = 16;
	c.max_pending = 1024;
	c.count_timeouts = 1;
	c.fail_rcodes = (1u << 2) | (1u << 5);	/* SERVFAIL, REFUSED */
	return c;
}

static struct dr_tracker *
tnew(const struct dr_tracker_conf *c)
{
	struct dr_tracker	*t = dr_tracker_new(c, 12345);

	ck_assert_ptr_nonnull(t);
	return t;
}

/* Client n: 10.x.y.z, so that there can be many. */
static struct dr_addr
cli(int n)
{
	struct dr_addr	a;
	uint8_t		b[4] = { 10, (uint8_t)(n >> 16), (uint8_t)(n >> 8),
	    (uint8_t)n };

	dr_addr_set4(&a, b);
	return a;
}

/* ev carries a DNS message (qr: a response) asking name. */
static void
with_name(struct dr_event *ev, const char *name, int qr)
{
	size_t	n;

	n = pkt_dns(qbuf, sizeof(qbuf), ev->id, qr, ev->rcode, name);
	ck_assert_uint_gt(n, 0);
	ev->dns = qbuf;
	ev->dns_len = n;
	ev->has_dns = 1;
}

/* An event of this kind with no DNS message; ICMP from the resolver. */
static struct dr_event
mk(enum dr_event_kind kind, const char *res, int client, uint16_t cport,
    uint16_t id, dr_time_t ts)
{
	struct dr_event	ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = kind;
	ev.transport = DR_TRANSPORT_UDP;
	ev.ts = ts;
	ev.resolver = pkt_addr(res);
	ev.client = cli(client);
	ev.resolver_port = DR_DNS_PORT;
	ev.client_port = cport;
	ev.id = id;
	ev.icmp6 = ev.resolver.family == DR_AF_INET6;
	ev.icmp_from.family = DR_AF_NONE;
	if (kind == DR_EV_UNREACH || kind == DR_EV_LATE_RESPONSE) {
		ev.icmp_from = ev.resolver;
		ev.icmp_ttl = 64;
	}
	return ev;
}

static void
queryq(struct dr_tracker *t, const char *res, int client, uint16_t cport,
    uint16_t id, const char *name, dr_time_t ts)
{
	struct dr_event	ev = mk(DR_EV_QUERY, res, client, cport, id, ts);

	with_name(&ev, name, 0);
	dr_tracker_event(t, &ev);
}

static void
query(struct dr_tracker *t, const char *res, int client, uint16_t cport,
    uint16_t id, dr_time_t ts)
{
	queryq(t, res, client, cport, id, NAME, ts);
}

/* An answer whose question is not compared (none captured). */
static void
answer(struct dr_tracker *t, const char *res, int client, uint16_t cport,
    uint16_t id, uint8_t rcode, dr_time_t ts)
{
	struct dr_event	ev = mk(DR_EV_RESPONSE, res, client, cport, id, ts);

	ev.has_dns = 1;
	ev.rcode = rcode;
	ev.flags = DR_DNSF_RA;
	dr_tracker_event(t, &ev);
}

static void
answerq(struct dr_tracker *t, const char *res, int client, uint16_t cport,
    uint16_t id, uint8_t rcode, const char *name, dr_time_t ts)
{
	struct dr_event	ev = mk(DR_EV_RESPONSE, res, client, cport, id, ts);

	ev.rcode = rcode;
	ev.flags = DR_DNSF_RA;
	with_name(&ev, name, 1);
	dr_tracker_event(t, &ev);
}

/*
 * ICMP unreachable from `from` (NULL: the resolver itself) quoting the
 * query whole (has_dns) or only its first 8 UDP bytes.
 */
static void
unreach_from(struct dr_tracker *t, const char *res, int client,
    uint16_t cport, int has_dns, uint16_t id, uint8_t code,
    const char *from, dr_time_t ts)
{
	struct dr_event	ev = mk(DR_EV_UNREACH, res, client, cport,
	    has_dns ? id : 0, ts);

	if (has_dns)
		with_name(&ev, NAME, 0);
	ev.icmp_code = code;
	if (from != NULL)
		ev.icmp_from = pkt_addr(from);
	dr_tracker_event(t, &ev);
}

static void
unreach(struct dr_tracker *t, const char *res, int client, uint16_t cport,
    int has_dns, uint16_t id, uint8_t code, dr_time_t ts)
{
	unreach_from(t, res, client, cport, has_dns, id, code, NULL, ts);
}

/* A TCP event with no DNS message: SYN, SYN+ACK or RST. */
static void
tcp(struct dr_tracker *t, enum dr_event_kind kind, const char *res,
    int client, uint16_t cport, dr_time_t ts)
{
	struct dr_event	ev = mk(kind, res, client, cport, 0, ts);

	ev.transport = DR_TRANSPORT_TCP;
	dr_tracker_event(t, &ev);
}

static void
tcp_query(struct dr_tracker *t, const char *res, int client, uint16_t cport,
    uint16_t id, dr_time_t ts)
{
	struct dr_event	ev = mk(DR_EV_QUERY, res, client, cport, id, ts);

	ev.transport = DR_TRANSPORT_TCP;
	with_name(&ev, NAME, 0);
	dr_tracker_event(t, &ev);
}

static void
tcp_answer(struct dr_tracker *t, const char *res, int client,
    uint16_t cport, uint16_t id, dr_time_t ts)
{
	struct dr_event	ev = mk(DR_EV_RESPONSE, res, client, cport, id, ts);

	ev.transport = DR_TRANSPORT_TCP;
	with_name(&ev, NAME, 1);
	dr_tracker_event(t, &ev);
}

static struct dr_resolver *
find(struct dr_tracker *t, const char *res)
{
	struct dr_addr	a = pkt_addr(res);

	return dr_tracker_find(t, &a);
}

static const struct dr_resolver_counts *
cnt(struct dr_tracker *t, const char *res)
{
	struct dr_resolver	*r = find(t, res);

	ck_assert_msg(r != NULL, "no resolver %s", res);
	return dr_resolver_counts(r);
}

/* What the window holds for res, read at now. */
static struct dr_detect_input
win(struct dr_tracker *t, const char *res, dr_time_t now)
{
	struct dr_resolver	*r = find(t, res);
	struct dr_detect_input	 in;

	ck_assert_msg(r != NULL, "no resolver %s", res);
	dr_tracker_input(t, r, now, INT64_MIN, &in);
	return in;
}

static uint32_t
nfail(const struct dr_detect_input *in)
{
	uint32_t	n = 0;
	int		k;

	for (k = 0; k < DR_FAIL_NCLASSES; k++)
		n += in->fail[k];
	return n;
}

/* Answers that were no failure. */
static uint32_t
resp(const struct dr_detect_input *in)
{
	ck_assert_uint_ge(in->outcomes, nfail(in));
	return in->outcomes - nfail(in);
}

static const struct dr_run *
run_of(struct dr_tracker *t, const char *res)
{
	return dr_resolver_run(find(t, res));
}

/* ---- the table ---- */

START_TEST(test_new_bad_conf)
{
	struct dr_tracker_conf	c;

	c = tconf();
	c.window.bucket = 0;
	ck_assert_ptr_null(dr_tracker_new(&c, 1));
	c = tconf();
	c.window.nbuckets = 0;
	ck_assert_ptr_null(dr_tracker_new(&c, 1));
	c = tconf();
	c.window.nbuckets = DR_WINDOW_MAX_BUCKETS + 1;
	ck_assert_ptr_null(dr_tracker_new(&c, 1));
	c = tconf();
	c.max_resolvers = 0;
	ck_assert_ptr_null(dr_tracker_new(&c, 1));
	c = tconf();
	c.max_pending = 0;
	ck_assert_ptr_null(dr_tracker_new(&c, 1));
	c = tconf();
	c.query_timeout = 0;
	ck_assert_ptr_null(dr_tracker_new(&c, 1));
	c = tconf();
	c.match_window = c.query_timeout - 1;
	ck_assert_ptr_null(dr_tracker_new(&c, 1));
	c = tconf();
	c.fast_window = -1;
	ck_assert_ptr_null(dr_tracker_new(&c, 1));
	c = tconf();
	c.run_gap = -1;
	ck_assert_ptr_null(dr_tracker_new(&c, 1));
	c = tconf();
	c.nallow = 1;
	ck_assert_ptr_null(dr_tracker_new(&c, 1));
	dr_tracker_free(NULL);
}
END_TEST

START_TEST(test_query_response)
{
	struct dr_tracker_conf	 c = tconf();
	struct dr_tracker	*t = tnew(&c);
	struct dr_detect_input	 in;

	query(t, R1, 10, 40000, 7, T0);
	ck_assert_uint_eq(dr_tracker_nresolvers(t), 1);
	ck_assert_uint_eq(dr_tracker_npending(t), 1);
	/* Asked, not yet answered: neither a success nor a failure. */
	in = win(t, R1, T0);
	ck_assert_uint_eq(in.queries, 1);
	ck_assert_uint_eq(in.outcomes, 0);
	ck_assert_int_eq(in.last_outcome, INT64_MIN);
	answer(t, R1, 10, 40000, 7, 0, T0 + 20 * MS);
	ck_assert_uint_eq(cnt(t, R1)->queries, 1);
	ck_assert_uint_eq(cnt(t, R1)->responses, 1);
	ck_assert_uint_eq(cnt(t, R1)->rcodes[DR_RC_NOERROR], 1);
	ck_assert_uint_eq(cnt(t, R1)->unmatched_responses, 0);
	ck_assert_uint_eq(dr_tracker_npending(t), 0);
	in = win(t, R1, T0 + 20 * MS);
	ck_assert_uint_eq(in.queries, 1);
	ck_assert_uint_eq(in.outcomes, 1);
	ck_assert_uint_eq(resp(&in), 1);
	ck_assert_int_eq(in.last_outcome, T0 + 20 * MS);
	ck_assert_uint_eq(in.run.successes, 1);
	/* Nothing times out after an answer. */
	dr_tracker_advance(t, T0 + 5 * S);
	ck_assert_uint_eq(cnt(t, R1)->timeouts, 0);
	in = win(t, R1, T0 + 5 * S);
	ck_assert_uint_eq(nfail(&in), 0);
	ck_assert_uint_eq(in.outcomes, 1);
	ck_assert_uint_eq(in.drops, 0);
	ck_assert_int_eq(in.blind, 0);
	/* A wrong id, port or client is no answer to it. */
	query(t, R1, 10, 40000, 8, T0 + 6 * S);
	answer(t, R1, 10, 40000, 9, 0, T0 + 6 * S + 1);
	answer(t, R1, 10, 40001, 8, 0, T0 + 6 * S + 2);
	answer(t, R1, 11, 40000, 8, 0, T0 + 6 * S + 3);
	ck_assert_uint_eq(cnt(t, R1)->unmatched_responses, 3);
	ck_assert_uint_eq(cnt(t, R1)->responses, 4);
	ck_assert_uint_eq(dr_tracker_npending(t), 1);
	/* Unmatched answers are no outcome of a query. */
	ck_assert_uint_eq(win(t, R1, T0 + 7 * S).outcomes, 1);
	/* Nor is an answer from another resolver. */
	answer(t, R2, 10, 40000, 8, 0, T0 + 6 * S + 4);
	ck_assert_uint_eq(dr_tracker_npending(t), 1);
	ck_assert_uint_eq(cnt(t, R2)->unmatched_responses, 1);
	/* The one it was for. */
	answer(t, R1, 10, 40000, 8, 0, T0 + 6 * S + 5);
	ck_assert_uint_eq(dr_tracker_npending(t), 0);
	ck_assert_uint_eq(win(t, R1, T0 + 7 * S).outcomes, 2);
	dr_tracker_free(t);
}
END_TEST

/* A timeout is booked when it expires, not when the query was sent. */
START_TEST(test_timeout)
{
	struct dr_tracker_conf	 c = tconf();
	struct dr_tracker	*t = tnew(&c);
	struct dr_resolver	*r;
	struct dr_detect_input	 in;

	query(t, R1, 10, 40000, 7, T0);
	r = find(t, R1);
	/* Just before the timeout: still out, no outcome. */
	dr_tracker_expire(t, T0 + 3 * S - 1);
	ck_assert_uint_eq(cnt(t, R1)->timeouts, 0);
	ck_assert_uint_eq(win(t, R1, T0 + 3 * S - 1).outcomes, 0);
	ck_assert_int_eq(dr_tracker_first_failure(t, r), INT64_MIN);
	/* A later event for another resolver passes the timeout. */
	query(t, R2, 10, 40001, 1, T0 + 3 * S);
	ck_assert_uint_eq(cnt(t, R1)->timeouts, 1);
	in = win(t, R1, T0 + 3 * S);
	ck_assert_uint_eq(in.fail[DR_FAIL_TIMEOUT], 1);
	ck_assert_uint_eq(in.outcomes, 1);
	ck_assert_int_eq(in.last_outcome, T0 + 3 * S);
	ck_assert_int_eq(dr_tracker_first_failure(t, r), T0 + 3 * S);
	/* The query ages out of the window before its timeout does. */
	dr_tracker_advance(t, T0 + 12 * S);
	in = win(t, R1, T0 + 12 * S);
	ck_assert_uint_eq(in.queries, 0);
	ck_assert_uint_eq(in.fail[DR_FAIL_TIMEOUT], 1);
	dr_tracker_advance(t, T0 + 13 * S);
	in = win(t, R1, T0 + 13 * S);
	ck_assert_uint_eq(in.fail[DR_FAIL_TIMEOUT], 0);
	ck_assert_int_eq(dr_tracker_first_failure(t, r), INT64_MIN);
	ck_assert_uint_eq(cnt(t, R1)->timeouts, 1);
	/* A time going back does not expire anything again. */
	dr_tracker_expire(t, T0);
	ck_assert_uint_eq(cnt(t, R1)->timeouts, 1);
	dr_tracker_free(t);
}
END_TEST

START_TEST(test_late_answer_replaces_timeout)
{
	struct dr_tracker_conf	 c = tconf();
	struct dr_tracker	*t = tnew(&c);
	struct dr_detect_input	 in;

	query(t, R1, 10, 40000, 7, T0);
	query(t, R1, 10, 40001, 8, T0);
	query(t, R1, 10, 40002, 9, T0);
	dr_tracker_expire(t, T0 + 4 * S);
	ck_assert_uint_eq(cnt(t, R1)->timeouts, 3);
	in = win(t, R1, T0 + 4 * S);
	ck_assert_uint_eq(in.fail[DR_FAIL_TIMEOUT], 3);
	ck_assert_uint_eq(in.outcomes, 3);
	ck_assert_uint_eq(in.run.failures, 3);
	/* The answer came after all: a success, the timeout taken back. */
	answer(t, R1, 10, 40000, 7, 0, T0 + 5 * S);
	ck_assert_uint_eq(cnt(t, R1)->timeouts, 2);
	ck_assert_uint_eq(cnt(t, R1)->answered_late, 1);
	ck_assert_uint_eq(cnt(t, R1)->unmatched_responses, 0);
	in = win(t, R1, T0 + 5 * S);
	ck_assert_uint_eq(in.fail[DR_FAIL_TIMEOUT], 2);
	ck_assert_uint_eq(resp(&in), 1);
	ck_assert_uint_eq(in.outcomes, 3);
	/* A success ends the run. */
	ck_assert_uint_eq(in.run.failures, 0);
	ck_assert_uint_eq(in.run.successes, 1);
	/* A late ICMP error, with the full query quoted: its kind. */
	unreach(t, R1, 10, 40001, 1, 8, 3, T0 + 6 * S);
	ck_assert_uint_eq(cnt(t, R1)->timeouts, 1);
	ck_assert_uint_eq(cnt(t, R1)->unreachable, 1);
	ck_assert_uint_eq(cnt(t, R1)->unmatched, 0);
	in = win(t, R1, T0 + 6 * S);
	ck_assert_uint_eq(in.fail[DR_FAIL_TIMEOUT], 1);
	ck_assert_uint_eq(in.fail[DR_FAIL_PORT], 1);
	ck_assert_uint_eq(in.outcomes, 3);
	ck_assert_uint_eq(in.queries, 3);
	/* Twice the same late ICMP: it has its outcome already. */
	unreach(t, R1, 10, 40001, 1, 8, 3, T0 + 6 * S + 1);
	in = win(t, R1, T0 + 6 * S);
	ck_assert_uint_eq(in.fail[DR_FAIL_PORT], 1);
	ck_assert_uint_eq(in.outcomes, 3);
	ck_assert_uint_eq(cnt(t, R1)->unmatched, 1);
	/* Past the match window: the last one stays a timeout. */
	answer(t, R1, 10, 40002, 9, 0, T0 + 10 * S);
	ck_assert_uint_eq(cnt(t, R1)->timeouts, 1);
	ck_assert_uint_eq(cnt(t, R1)->unmatched_responses, 1);
	ck_assert_uint_eq(dr_tracker_npending(t), 0);
	/* A second answer to an answered query matches nothing. */
	answer(t, R1, 10, 40000, 7, 0, T0 + 10 * S + 1);
	ck_assert_uint_eq(cnt(t, R1)->unmatched_responses, 2);
	ck_assert_uint_eq(cnt(t, R1)->timeouts, 1);
	in = win(t, R1, T0 + 10 * S);
	ck_assert_uint_eq(in.outcomes, 3);
	dr_tracker_free(t);
}
END_TEST

/* Timeouts not counted are still replaced, once. */
START_TEST(test_late_outcome_uncounted_timeouts)
{
	struct dr_tracker_conf	 c = tconf();
	struct dr_tracker	*t;
	struct dr_detect_input	 in;

	c.count_timeouts = 0;
	t = tnew(&c);
	query(t, R1, 10, 40000, 1, T0);
	query(t, R1, 10, 40001, 2, T0);
	dr_tracker_expire(t, T0 + 4 * S);
	ck_assert_uint_eq(cnt(t, R1)->timeouts, 2);
	in = win(t, R1, T0 + 4 * S);
	ck_assert_uint_eq(in.fail[DR_FAIL_TIMEOUT], 2);
	ck_assert_uint_eq(in.outcomes, 2);
	/* Timeouts that do not count are not failures in a row. */
	ck_assert_uint_eq(in.run.failures, 0);
	/* A late ICMP: one port unreachable instead, booked once. */
	unreach(t, R1, 10, 40000, 1, 1, 3, T0 + 5 * S);
	in = win(t, R1, T0 + 5 * S);
	ck_assert_uint_eq(in.fail[DR_FAIL_TIMEOUT], 1);
	ck_assert_uint_eq(in.fail[DR_FAIL_PORT], 1);
	ck_assert_uint_eq(in.outcomes, 2);
	ck_assert_uint_eq(cnt(t, R1)->timeouts, 1);
	ck_assert_uint_eq(in.run.failures, 1);
	ck_assert_uint_eq(in.run.fail[DR_FAIL_PORT], 1);
	ck_assert_uint_eq(in.run.strong, 1);
	/* A late answer: a success instead. */
	answer(t, R1, 10, 40001, 2, 0, T0 + 6 * S);
	in = win(t, R1, T0 + 6 * S);
	ck_assert_uint_eq(in.fail[DR_FAIL_TIMEOUT], 0);
	ck_assert_uint_eq(in.fail[DR_FAIL_PORT], 1);
	ck_assert_uint_eq(resp(&in), 1);
	ck_assert_uint_eq(in.outcomes, 2);
	ck_assert_uint_eq(cnt(t, R1)->timeouts, 0);
	dr_tracker_free(t);
}
END_TEST

START_TEST(test_retransmissions)
{
	struct dr_tracker_conf	 c = tconf();
	struct dr_tracker	*t = tnew(&c);
	struct dr_detect_input	 in;
	const uint64_t		*lat;
	int			 k;

	/* The same query three times, the first one timed out. */
	query(t, R1, 10, 40000, 7, T0);
	query(t, R1, 10, 40000, 7, T0 + 3 * S);
	query(t, R1, 10, 40000, 7, T0 + 4 * S);
	ck_assert_uint_eq(cnt(t, R1)->queries, 1);
	ck_assert_uint_eq(cnt(t, R1)->retransmissions, 2);
	ck_assert_uint_eq(cnt(t, R1)->timeouts, 1);
	ck_assert_uint_eq(dr_tracker_npending(t), 1);
	in = win(t, R1, T0 + 4 * S);
	ck_assert_uint_eq(in.queries, 1);
	ck_assert_uint_eq(in.retransmissions, 2);
	ck_assert_uint_eq(in.outcomes, 1);
	/* A resend is no new failure in the run either. */
	ck_assert_uint_eq(in.run.failures, 1);
	answer(t, R1, 10, 40000, 7, 0, T0 + 4 * S + 10 * MS);
	ck_assert_uint_eq(cnt(t, R1)->responses, 1);
	ck_assert_uint_eq(cnt(t, R1)->unmatched_responses, 0);
	ck_assert_uint_eq(cnt(t, R1)->timeouts, 0);
	ck_assert_uint_eq(cnt(t, R1)->answered_late, 1);
	ck_assert_uint_eq(dr_tracker_npending(t), 0);
	in = win(t, R1, T0 + 5 * S);
	ck_assert_uint_eq(in.queries, 1);
	ck_assert_uint_eq(in.outcomes, 1);
	ck_assert_uint_eq(resp(&in), 1);
	ck_assert_uint_eq(in.fail[DR_FAIL_TIMEOUT], 0);
	/* Which send it answers, nobody knows: no answer time (Karn). */
	lat = dr_resolver_latency(find(t, R1));
	for (k = 0; k < DR_LAT_NBINS; k++)
		ck_assert_uint_eq(lat[k], 0);
	/* Asked again once answered: a new query. */
	query(t, R1, 10, 40000, 7, T0 + 6 * S);
	ck_assert_uint_eq(cnt(t, R1)->queries, 2);
	ck_assert_uint_eq(cnt(t, R1)->retransmissions, 2);
	answer(t, R1, 10, 40000, 7, 0, T0 + 6 * S + 1);

	/* Another question with the same id: another query. */
	queryq(t, R1, 10, 41000, 5, "a.example", T0 + 7 * S);
	queryq(t, R1, 10, 41000, 5, "b.example", T0 + 7 * S + 1);
	queryq(t, R1, 10, 41000, 5, "B.Example", T0 + 7 * S + 2);
	ck_assert_uint_eq(cnt(t, R1)->queries, 4);
	ck_assert_uint_eq(cnt(t, R1)->retransmissions, 3);
	ck_assert_uint_eq(dr_tracker_npending(t), 2);
	/* Both out: each answer settles the query of its question. */
	answerq(t, R1, 10, 41000, 5, 2, "b.example", T0 + 7 * S + 3);
	ck_assert_uint_eq(dr_tracker_npending(t), 1);
	ck_assert_uint_eq(win(t, R1, T0 + 8 * S).fail[DR_FAIL_SERVFAIL], 1);
	answerq(t, R1, 10, 41000, 5, 0, "a.example", T0 + 7 * S + 5);
	ck_assert_uint_eq(dr_tracker_npending(t), 0);
	ck_assert_uint_eq(cnt(t, R1)->unmatched_responses, 0);
	in = win(t, R1, T0 + 8 * S);
	ck_assert_uint_eq(in.queries, 4);
	ck_assert_uint_eq(in.retransmissions, 3);
	ck_assert_uint_eq(in.outcomes, 4);

	/* Over TCP the same query again is the segment resent. */
	tcp_query(t, R1, 10, 42000, 9, T0 + 9 * S);
	tcp_query(t, R1, 10, 42000, 9, T0 + 9 * S + 200 * MS);
	ck_assert_uint_eq(cnt(t, R1)->queries, 5);
	ck_assert_uint_eq(cnt(t, R1)->retransmissions, 3);
	ck_assert_uint_eq(dr_tracker_npending(t), 1);
	dr_tracker_free(t);
}
END_TEST

/* ---- ICMP ---- */

/* An 8-byte quote names no query: an answer still wins. */
START_TEST(test_icmp_short_quote)
{
	struct dr_tracker_conf	 c = tconf();
	struct dr_tracker	*t = tnew(&c);
	struct dr_detect_input	 in;

	query(t, R1, 10, 40000, 1, T0);
	query(t, R1, 10, 40000, 2, T0 + 100 * MS);
	query(t, R1, 10, 40000, 3, T0 + 200 * MS);
	unreach(t, R1, 10, 40000, 0, 0, 3, T0 + 300 * MS);
	ck_assert_uint_eq(dr_tracker_npending(t), 3);
	ck_assert_uint_eq(cnt(t, R1)->unreachable, 1);
	ck_assert_uint_eq(win(t, R1, T0 + S).outcomes, 0);
	/* The genuine answer to the oldest: a success. */
	answer(t, R1, 10, 40000, 1, 0, T0 + 400 * MS);
	ck_assert_uint_eq(cnt(t, R1)->unmatched_responses, 0);
	/* The next quote marks the oldest left. */
	unreach(t, R1, 10, 40000, 0, 0, 3, T0 + 500 * MS);
	answer(t, R1, 10, 40000, 3, 0, T0 + 600 * MS);
	ck_assert_uint_eq(cnt(t, R1)->unmatched_responses, 0);
	ck_assert_uint_eq(dr_tracker_npending(t), 1);
	/* Unanswered, it ends as what the quote said. */
	dr_tracker_expire(t, T0 + 4 * S);
	ck_assert_uint_eq(cnt(t, R1)->timeouts, 0);
	ck_assert_uint_eq(cnt(t, R1)->unreachable, 2);
	ck_assert_uint_eq(cnt(t, R1)->unmatched, 0);
	in = win(t, R1, T0 + 4 * S);
	ck_assert_uint_eq(in.fail[DR_FAIL_PORT], 1);
	ck_assert_uint_eq(in.fail[DR_FAIL_TIMEOUT], 0);
	ck_assert_uint_eq(resp(&in), 2);
	ck_assert_uint_eq(in.outcomes, 3);
	/* Booked when the query timed out, not when the ICMP came. */
	ck_assert_int_eq(in.last_outcome, T0 + 100 * MS + 3 * S);

	/* A quote after the timeout replaces it at once. */
	query(t, R1, 11, 40000, 1, T0 + 5 * S);
	dr_tracker_expire(t, T0 + 8 * S + 500 * MS);
	ck_assert_uint_eq(cnt(t, R1)->timeouts, 1);
	unreach(t, R1, 11, 40000, 0, 0, 3, T0 + 9 * S);
	ck_assert_uint_eq(cnt(t, R1)->timeouts, 0);
	in = win(t, R1, T0 + 9 * S);
	ck_assert_uint_eq(in.fail[DR_FAIL_PORT], 2);
	ck_assert_uint_eq(in.fail[DR_FAIL_TIMEOUT], 0);
	ck_assert_uint_eq(in.outcomes, 4);

	/* From a router on the way: blocked, not "not listening". */
	query(t, R1, 12, 40000, 1, T0 + 9 * S);
	unreach_from(t, R1, 12, 40000, 0, 0, 3, ROUTER, T0 + 9 * S + 1);
	dr_tracker_expire(t, T0 + 12 * S);
	in = win(t, R1, T0 + 12 * S);
	ck_assert_uint_eq(in.fail[DR_FAIL_PORT_PATH], 1);
	ck_assert_uint_eq(cnt(t, R1)->timeouts, 0);
	dr_tracker_free(t);
}
END_TEST

/*
 * A client that keeps one source port: each query gets its own ICMP
 * error, and each ICMP error must end up as the outcome of one query.
 */
START_TEST(test_icmp_short_quotes_one_port)
{
	struct dr_tracker_conf	 c = tconf();
	struct dr_tracker	*t = tnew(&c);
	struct dr_detect_input	 in;
	int			 i;

	for (i = 0; i < 3; i++) {
		query(t, R1, 10, 5353, (uint16_t)(100 + i),
		    T0 + i * 100 * MS);
		unreach(t, R1, 10, 5353, 0, 0, 3, T0 + i * 100 * MS + MS);
	}
	dr_tracker_expire(t, T0 + 4 * S);
	in = win(t, R1, T0 + 4 * S);
	ck_assert_uint_eq(cnt(t, R1)->unreachable, 3);
	ck_assert_msg(in.fail[DR_FAIL_PORT] == 3 &&
	    cnt(t, R1)->timeouts == 0, "3 queries, 3 ICMP errors: %u port "
	    "unreachable, %llu timeouts", in.fail[DR_FAIL_PORT],
	    (unsigned long long)cnt(t, R1)->timeouts);
	ck_assert_uint_eq(in.outcomes, 3);
	dr_tracker_free(t);
}
END_TEST

START_TEST(test_icmp_full_quote)
{
	struct dr_tracker_conf	 c = tconf();
	struct dr_tracker	*t = tnew(&c);
	struct dr_detect_input	 in;

	/* A full quote matches on the id, not the age, and at once. */
	query(t, R1, 11, 40000, 1, T0);
	query(t, R1, 11, 40000, 2, T0);
	unreach(t, R1, 11, 40000, 1, 2, 13, T0 + 1);
	ck_assert_uint_eq(dr_tracker_npending(t), 1);
	in = win(t, R1, T0 + 1);
	ck_assert_uint_eq(in.fail[DR_FAIL_ADMIN], 1);
	ck_assert_uint_eq(in.outcomes, 1);
	ck_assert_int_eq(in.last_outcome, T0 + 1);
	answer(t, R1, 11, 40000, 1, 0, T0 + 2);
	ck_assert_uint_eq(cnt(t, R1)->unmatched_responses, 0);
	/* An id we never saw matches nothing. */
	query(t, R1, 12, 40000, 1, T0 + S);
	unreach(t, R1, 12, 40000, 1, 99, 3, T0 + S + 3);
	ck_assert_uint_eq(cnt(t, R1)->unmatched, 1);
	ck_assert_uint_eq(cnt(t, R1)->unreachable, 2);
	ck_assert_uint_eq(dr_tracker_npending(t), 1);
	in = win(t, R1, T0 + S + 3);
	ck_assert_uint_eq(in.fail[DR_FAIL_PORT], 0);
	ck_assert_uint_eq(in.outcomes, 2);
	/* An answer after the ICMP error finds nothing left. */
	answer(t, R1, 11, 40000, 2, 0, T0 + S + 4);
	ck_assert_uint_eq(cnt(t, R1)->unmatched_responses, 1);
	dr_tracker_free(t);
}
END_TEST

/* Port unreachable: from the resolver itself, or from a box on the way. */
START_TEST(test_icmp_sender_class)
{
	struct dr_tracker_conf	 c = tconf();
	struct dr_tracker	*t = tnew(&c);
	struct dr_detect_input	 in;

	query(t, R1, 10, 40000, 1, T0);
	query(t, R1, 10, 40001, 2, T0);
	unreach(t, R1, 10, 40000, 1, 1, 3, T0 + 1);
	unreach_from(t, R1, 10, 40001, 1, 2, 3, ROUTER, T0 + 2);
	in = win(t, R1, T0 + 2);
	ck_assert_uint_eq(in.fail[DR_FAIL_PORT], 1);
	ck_assert_uint_eq(in.fail[DR_FAIL_PORT_PATH], 1);
	ck_assert_int_eq(dr_detect_cause(&(struct dr_detect_conf){
	    .count_timeouts = 1 }, in.fail), DR_CAUSE_NOT_LISTENING);

	/* ICMPv6: code 4 is port unreachable. */
	query(t, R6, 10, 40000, 1, T0);
	query(t, R6, 10, 40001, 2, T0);
	unreach(t, R6, 10, 40000, 1, 1, 4, T0 + 1);
	unreach_from(t, R6, 10, 40001, 1, 2, 4, ROUTER6, T0 + 2);
	in = win(t, R6, T0 + 2);
	ck_assert_uint_eq(in.fail[DR_FAIL_PORT], 1);
	ck_assert_uint_eq(in.fail[DR_FAIL_PORT_PATH], 1);

	/* IPv4 code 4, fragmentation needed: a path MTU note. */
	query(t, R2, 10, 40000, 1, T0);
	unreach(t, R2, 10, 40000, 1, 1, 4, T0 + 1);
	ck_assert_uint_eq(cnt(t, R2)->unreachable, 1);
	ck_assert_uint_eq(cnt(t, R2)->unreach_by_code[4], 1);
	ck_assert_uint_eq(cnt(t, R2)->unmatched, 0);
	in = win(t, R2, T0 + 1);
	ck_assert_uint_eq(in.outcomes, 0);
	ck_assert_uint_eq(dr_resolver_icmp_senders(find(t, R2),
	    &(struct dr_icmp_sender){ .count = 0 }, 1), 0);
	/* The query is still out, and answered it is a success. */
	answer(t, R2, 10, 40000, 1, 0, T0 + 2);
	in = win(t, R2, T0 + 2);
	ck_assert_uint_eq(resp(&in), 1);
	ck_assert_uint_eq(in.outcomes, 1);
	dr_tracker_free(t);
}
END_TEST

static int
want_class(int icmp6, int code)
{
	if (icmp6) {
		switch (code) {
		case 4:
			return DR_FAIL_PORT;
		case 1: case 5: case 6:
			return DR_FAIL_ADMIN;
		case 0: case 2: case 3:
			return DR_FAIL_HOST;
		}
		return DR_FAIL_OTHER;
	}
	switch (code) {
	case 3:
		return DR_FAIL_PORT;
	case 4:
		return -1;
	case 9: case 10: case 13:
		return DR_FAIL_ADMIN;
	case 0: case 1: case 5: case 6: case 7: case 8: case 11: case 12:
		return DR_FAIL_HOST;
	}
	return DR_FAIL_OTHER;
}

START_TEST(test_icmp_codes)
{
	struct dr_tracker_conf	 c = tconf();
	struct dr_tracker	*t;
	struct dr_detect_input	 in;
	const char		*res;
	int			 icmp6, code, k, w;

	for (icmp6 = 0; icmp6 <= 1; icmp6++) {
		res = icmp6 ? R6 : R1;
		for (code = 0; code < 256; code++) {
			t = tnew(&c);
			query(t, res, 10, 40000, 7, T0);
			unreach(t, res, 10, 40000, code & 1, 7, (uint8_t)code,
			    T0 + 1);
			/* An 8-byte quote tells at the timeout. */
			dr_tracker_expire(t, T0 + 4 * S);
			ck_assert_uint_eq(cnt(t, res)->unreachable, 1);
			ck_assert_uint_eq(cnt(t, res)->unmatched, 0);
			for (k = 0; k < DR_ICMP_NCODES; k++)
				ck_assert_uint_eq(
				    cnt(t, res)->unreach_by_code[k],
				    k == (code < 16 ? code : 16));
			w = want_class(icmp6, code);
			if (w < 0)
				w = DR_FAIL_TIMEOUT;
			in = win(t, res, T0 + 4 * S);
			for (k = 0; k < DR_FAIL_NCLASSES; k++)
				ck_assert_msg(in.fail[k] == (k == w),
				    "icmp6 %d code %d: class %d is %u", icmp6,
				    code, k, in.fail[k]);
			ck_assert_uint_eq(in.outcomes, 1);
			dr_tracker_free(t);
		}
	}
}
END_TEST

START_TEST(test_unmatched_icmp)
{
	struct dr_tracker_conf	 c = tconf();
	struct dr_tracker	*t = tnew(&c);
	struct dr_detect_input	 in;

	/* Forged or about a query we missed: not a failure by default. */
	unreach(t, R1, 10, 40000, 1, 5, 3, T0);
	unreach(t, R1, 10, 40001, 0, 0, 1, T0);
	ck_assert_uint_eq(cnt(t, R1)->unreachable, 2);
	ck_assert_uint_eq(cnt(t, R1)->unmatched, 2);
	ck_assert_uint_eq(cnt(t, R1)->unreach_by_code[3], 1);
	ck_assert_uint_eq(cnt(t, R1)->unreach_by_code[1], 1);
	in = win(t, R1, T0);
	ck_assert_uint_eq(in.queries, 0);
	ck_assert_uint_eq(in.outcomes, 0);
	ck_assert_uint_eq(in.run.failures, 0);
	ck_assert_uint_eq(dr_resolver_clients(find(t, R1)), 0);
	ck_assert_ptr_null(dr_tracker_next_dirty(t));
	dr_tracker_free(t);

	/* One-direction capture: the operator says count them. */
	c.count_unmatched = 1;
	t = tnew(&c);
	unreach(t, R1, 10, 40000, 1, 5, 3, T0);
	unreach(t, R1, 10, 40001, 0, 0, 1, T0);
	ck_assert_uint_eq(cnt(t, R1)->unreachable, 2);
	ck_assert_uint_eq(cnt(t, R1)->unmatched, 2);
	ck_assert_uint_eq(cnt(t, R1)->queries, 0);
	in = win(t, R1, T0);
	ck_assert_uint_eq(in.queries, 0);
	ck_assert_uint_eq(in.outcomes, 2);
	ck_assert_uint_eq(in.fail[DR_FAIL_PORT], 1);
	ck_assert_uint_eq(in.fail[DR_FAIL_HOST], 1);
	ck_assert_uint_eq(in.run.failures, 2);
	ck_assert_uint_eq(dr_resolver_clients(find(t, R1)), 1);
	/* Answers nobody was seen asking for are outcomes too. */
	answer(t, R1, 10, 40002, 1, 0, T0 + 1);
	answer(t, R1, 10, 40003, 2, 2, T0 + 2);
	in = win(t, R1, T0 + 2);
	ck_assert_uint_eq(in.outcomes, 4);
	ck_assert_uint_eq(in.fail[DR_FAIL_SERVFAIL], 1);
	ck_assert_uint_eq(cnt(t, R1)->unmatched_responses, 2);
	dr_tracker_free(t);
}
END_TEST

/* ---- rcodes ---- */

START_TEST(test_rcodes)
{
	struct dr_tracker_conf	 c = tconf();
	struct dr_tracker	*t;
	struct dr_detect_input	 in;
	uint64_t		 want[DR_RC_NCLASSES] = { 0 };
	int			 rc, pass;

	for (pass = 0; pass < 3; pass++) {
		if (pass == 1)
			c.fail_rcodes = (1u << 2) | (1u << 4) | (1u << 12);
		else if (pass == 2)
			c.fail_rcodes = 0;
		t = tnew(&c);
		memset(want, 0, sizeof(want));
		for (rc = 0; rc < 16; rc++) {
			query(t, R1, 10, (uint16_t)(30000 + rc), 7, T0);
			answer(t, R1, 10, (uint16_t)(30000 + rc), 7,
			    (uint8_t)rc, T0 + 1);
			want[dr_rcode_class((uint8_t)rc)]++;
		}
		for (rc = 0; rc < DR_RC_NCLASSES; rc++)
			ck_assert_uint_eq(cnt(t, R1)->rcodes[rc], want[rc]);
		ck_assert_uint_eq(cnt(t, R1)->rcodes[DR_RC_NOERROR], 1);
		ck_assert_uint_eq(cnt(t, R1)->rcodes[DR_RC_NXDOMAIN], 1);
		ck_assert_uint_eq(cnt(t, R1)->rcodes[DR_RC_SERVFAIL], 1);
		ck_assert_uint_eq(cnt(t, R1)->rcodes[DR_RC_REFUSED], 1);
		ck_assert_uint_eq(cnt(t, R1)->rcodes[DR_RC_OTHER], 12);
		ck_assert_uint_eq(cnt(t, R1)->responses, 16);
		in = win(t, R1, T0 + 1);
		ck_assert_uint_eq(in.outcomes, 16);
		switch (pass) {
		case 0:
			/* SERVFAIL and REFUSED; NXDOMAIN is an answer. */
			ck_assert_uint_eq(in.fail[DR_FAIL_SERVFAIL], 1);
			ck_assert_uint_eq(in.fail[DR_FAIL_REFUSED], 1);
			ck_assert_uint_eq(in.fail[DR_FAIL_RCODE], 0);
			ck_assert_uint_eq(resp(&in), 14);
			break;
		case 1:
			ck_assert_uint_eq(in.fail[DR_FAIL_SERVFAIL], 1);
			ck_assert_uint_eq(in.fail[DR_FAIL_REFUSED], 0);
			ck_assert_uint_eq(in.fail[DR_FAIL_RCODE], 2);
			ck_assert_uint_eq(resp(&in), 13);
			break;
		default:
			ck_assert_uint_eq(nfail(&in), 0);
			break;
		}
		dr_tracker_free(t);
	}
	/* A failing answer breaks a run of answers and names the query. */
	c = tconf();
	t = tnew(&c);
	query(t, R1, 10, 1000, 1, T0);
	answer(t, R1, 10, 1000, 1, 0, T0 + 1);
	ck_assert_uint_eq(run_of(t, R1)->successes, 1);
	queryq(t, R1, 10, 1001, 2, "broken.example", T0 + 2);
	answerq(t, R1, 10, 1001, 2, 2, "broken.example", T0 + 3);
	ck_assert_uint_eq(run_of(t, R1)->successes, 0);
	ck_assert_uint_eq(run_of(t, R1)->failures, 1);
	ck_assert_uint_eq(run_of(t, R1)->strong, 1);
	ck_assert_str_eq(dr_resolver_sample_qname(find(t, R1)),
	    "broken.example");
	dr_tracker_free(t);
}
END_TEST

/* ---- TCP ---- */

START_TEST(test_tcp_refused)
{
	struct dr_tracker_conf	 c = tconf();
	struct dr_tracker	*t = tnew(&c);
	struct dr_detect_input	 in;

	/* SYN, then RST: the connection was refused, one failure. */
	tcp(t, DR_EV_TCP_SYN, R1, 10, 50000, T0);
	ck_assert_uint_eq(dr_tracker_npending(t), 1);
	tcp(t, DR_EV_TCP_RESET, R1, 10, 50000, T0 + MS);
	ck_assert_uint_eq(cnt(t, R1)->tcp_resets, 1);
	ck_assert_uint_eq(cnt(t, R1)->queries, 0);
	ck_assert_uint_eq(dr_tracker_npending(t), 0);
	in = win(t, R1, T0 + MS);
	ck_assert_uint_eq(in.fail[DR_FAIL_RESET], 1);
	ck_assert_uint_eq(in.outcomes, 1);
	ck_assert_uint_eq(in.run.failures, 1);
	ck_assert_uint_eq(in.run.strong, 1);
	/* The same RST again: nothing left to refuse. */
	tcp(t, DR_EV_TCP_RESET, R1, 10, 50000, T0 + 2 * MS);
	ck_assert_uint_eq(cnt(t, R1)->tcp_resets, 1);
	ck_assert_uint_eq(cnt(t, R1)->tcp_unmatched_resets, 1);
	ck_assert_uint_eq(win(t, R1, T0 + S).outcomes, 1);
	/* A SYN sent again is the same attempt. */
	tcp(t, DR_EV_TCP_SYN, R1, 11, 50000, T0 + S);
	tcp(t, DR_EV_TCP_SYN, R1, 11, 50000, T0 + 2 * S);
	ck_assert_uint_eq(dr_tracker_npending(t), 1);
	tcp(t, DR_EV_TCP_RESET, R1, 11, 50000, T0 + 2 * S + 1);
	ck_assert_uint_eq(win(t, R1, T0 + 3 * S).fail[DR_FAIL_RESET], 2);
	dr_tracker_advance(t, T0 + 20 * S);
	ck_assert_uint_eq(cnt(t, R1)->tcp_connect_timeouts, 0);
	ck_assert_uint_eq(cnt(t, R1)->timeouts, 0);
	dr_tracker_free(t);
}
END_TEST

START_TEST(test_tcp_query_reset)
{
	struct dr_tracker_conf	 c = tconf();
	struct dr_tracker	*t = tnew(&c);
	struct dr_detect_input	 in;

	/* The query, then the reset: that query's one outcome. */
	tcp(t, DR_EV_TCP_SYN, R1, 10, 50000, T0);
	tcp(t, DR_EV_TCP_ACCEPT, R1, 10, 50000, T0 + MS);
	tcp_query(t, R1, 10, 50000, 7, T0 + 2 * MS);
	ck_assert_uint_eq(dr_tracker_npending(t), 1);
	tcp(t, DR_EV_TCP_RESET, R1, 10, 50000, T0 + 3 * MS);
	ck_assert_uint_eq(cnt(t, R1)->tcp_resets, 1);
	ck_assert_uint_eq(dr_tracker_npending(t), 0);
	/* Never a timeout as well. */
	dr_tracker_advance(t, T0 + 9 * S);
	ck_assert_uint_eq(cnt(t, R1)->timeouts, 0);
	ck_assert_uint_eq(cnt(t, R1)->tcp_connect_timeouts, 0);
	in = win(t, R1, T0 + 9 * S);
	ck_assert_uint_eq(in.fail[DR_FAIL_RESET], 1);
	ck_assert_uint_eq(in.outcomes, 1);
	dr_tracker_advance(t, T0 + 20 * S);
	ck_assert_uint_eq(cnt(t, R1)->timeouts, 0);

	/* Without the SYN seen: the query is what is reset. */
	tcp_query(t, R1, 11, 50001, 8, T0 + 21 * S);
	tcp(t, DR_EV_TCP_RESET, R1, 11, 50001, T0 + 21 * S + 1);
	ck_assert_uint_eq(cnt(t, R1)->tcp_resets, 2);
	/* A query already timed out: the reset replaces the timeout. */
	tcp_query(t, R1, 12, 50002, 9, T0 + 22 * S);
	dr_tracker_expire(t, T0 + 26 * S);
	ck_assert_uint_eq(cnt(t, R1)->timeouts, 1);
	tcp(t, DR_EV_TCP_RESET, R1, 12, 50002, T0 + 27 * S);
	ck_assert_uint_eq(cnt(t, R1)->timeouts, 0);
	ck_assert_uint_eq(cnt(t, R1)->tcp_resets, 3);
	in = win(t, R1, T0 + 27 * S);
	ck_assert_uint_eq(in.fail[DR_FAIL_RESET], 2);
	ck_assert_uint_eq(in.fail[DR_FAIL_TIMEOUT], 0);
	ck_assert_uint_eq(in.outcomes, 2);
	dr_tracker_free(t);
}
END_TEST

START_TEST(test_tcp_reset_after_answer)
{
	struct dr_tracker_conf	 c = tconf();
	struct dr_tracker	*t = tnew(&c);
	struct dr_detect_input	 in;

	/* A forged reset, nothing seen: no resolver, no failure. */
	tcp(t, DR_EV_TCP_RESET, R2, 10, 50000, T0);
	ck_assert_ptr_null(find(t, R2));
	ck_assert_uint_eq(dr_tracker_nresolvers(t), 0);
	/* The server closing a connection whose query it answered. */
	tcp(t, DR_EV_TCP_SYN, R1, 10, 50000, T0);
	tcp(t, DR_EV_TCP_ACCEPT, R1, 10, 50000, T0 + MS);
	tcp_query(t, R1, 10, 50000, 7, T0 + 2 * MS);
	tcp_answer(t, R1, 10, 50000, 7, T0 + 3 * MS);
	tcp(t, DR_EV_TCP_RESET, R1, 10, 50000, T0 + 5 * S);
	ck_assert_uint_eq(cnt(t, R1)->tcp_resets, 0);
	ck_assert_uint_eq(cnt(t, R1)->tcp_unmatched_resets, 1);
	in = win(t, R1, T0 + 5 * S);
	ck_assert_uint_eq(in.fail[DR_FAIL_RESET], 0);
	ck_assert_uint_eq(resp(&in), 1);
	ck_assert_uint_eq(in.outcomes, 1);
	/* Forged against a known resolver: still nothing. */
	tcp(t, DR_EV_TCP_RESET, R1, 99, 51000, T0 + 6 * S);
	ck_assert_uint_eq(cnt(t, R1)->tcp_unmatched_resets, 2);
	ck_assert_uint_eq(win(t, R1, T0 + 6 * S).outcomes, 1);
	dr_tracker_free(t);

	/* Unless the operator says count what is not matched. */
	c.count_unmatched = 1;
	t = tnew(&c);
	tcp(t, DR_EV_TCP_RESET, R1, 10, 50000, T0);
	ck_assert_uint_eq(cnt(t, R1)->tcp_unmatched_resets, 1);
	in = win(t, R1, T0);
	ck_assert_uint_eq(in.fail[DR_FAIL_RESET], 1);
	ck_assert_uint_eq(in.outcomes, 1);
	dr_tracker_free(t);
}
END_TEST

START_TEST(test_tcp_accept)
{
	struct dr_tracker_conf	 c = tconf();
	struct dr_tracker	*t = tnew(&c);
	struct dr_detect_input	 in;

	/* SYN, SYN+ACK, query, answer: one success, nothing else. */
	tcp(t, DR_EV_TCP_SYN, R1, 10, 50000, T0);
	tcp(t, DR_EV_TCP_ACCEPT, R1, 10, 50000, T0 + MS);
	ck_assert_uint_eq(dr_tracker_npending(t), 0);
	tcp_query(t, R1, 10, 50000, 7, T0 + 2 * MS);
	tcp_answer(t, R1, 10, 50000, 7, T0 + 10 * MS);
	dr_tracker_advance(t, T0 + 9 * S);
	in = win(t, R1, T0 + 9 * S);
	ck_assert_uint_eq(in.outcomes, 1);
	ck_assert_uint_eq(resp(&in), 1);
	dr_tracker_advance(t, T0 + 20 * S);
	ck_assert_uint_eq(cnt(t, R1)->queries, 1);
	ck_assert_uint_eq(cnt(t, R1)->responses, 1);
	ck_assert_uint_eq(cnt(t, R1)->timeouts, 0);
	ck_assert_uint_eq(cnt(t, R1)->tcp_connect_timeouts, 0);
	/* The query alone, its SYN seen but not its SYN+ACK. */
	tcp(t, DR_EV_TCP_SYN, R1, 11, 50001, T0 + 21 * S);
	tcp_query(t, R1, 11, 50001, 8, T0 + 21 * S + 2 * MS);
	ck_assert_uint_eq(dr_tracker_npending(t), 1);
	tcp_answer(t, R1, 11, 50001, 8, T0 + 21 * S + 5 * MS);
	dr_tracker_advance(t, T0 + 30 * S);
	ck_assert_uint_eq(win(t, R1, T0 + 30 * S).outcomes, 1);
	dr_tracker_advance(t, T0 + 40 * S);
	ck_assert_uint_eq(cnt(t, R1)->tcp_connect_timeouts, 0);
	ck_assert_uint_eq(cnt(t, R1)->timeouts, 0);

	/* A SYN nobody answers: the attempt times out, no query does. */
	tcp(t, DR_EV_TCP_SYN, R1, 12, 50002, T0 + 41 * S);
	dr_tracker_expire(t, T0 + 44 * S);
	ck_assert_uint_eq(cnt(t, R1)->tcp_connect_timeouts, 1);
	ck_assert_uint_eq(cnt(t, R1)->timeouts, 0);
	ck_assert_uint_eq(cnt(t, R1)->queries, 2);
	in = win(t, R1, T0 + 44 * S);
	ck_assert_uint_eq(in.fail[DR_FAIL_TIMEOUT], 1);
	/* A SYN+ACK for nothing, or from nobody known: ignored. */
	tcp(t, DR_EV_TCP_ACCEPT, R1, 13, 50003, T0 + 45 * S);
	tcp(t, DR_EV_TCP_ACCEPT, R2, 13, 50003, T0 + 45 * S);
	ck_assert_ptr_null(find(t, R2));
	dr_tracker_free(t);
}
END_TEST

START_TEST(test_late_response_icmp)
{
	struct dr_tracker_conf	 c = tconf();
	struct dr_tracker	*t = tnew(&c);
	struct dr_event		 ev;

	/* Nobody known: no entry for it. */
	ev = mk(DR_EV_LATE_RESPONSE, R1, 10, 40000, 0, T0);
	ev.icmp_code = 3;
	dr_tracker_event(t, &ev);
	ck_assert_uint_eq(dr_tracker_nresolvers(t), 0);
	query(t, R1, 10, 40000, 1, T0);
	dr_tracker_event(t, &ev);
	ck_assert_uint_eq(cnt(t, R1)->late, 1);
	ck_assert_uint_eq(cnt(t, R1)->unreachable, 0);
	/* The client gave up; the query is still the resolver's. */
	ck_assert_uint_eq(dr_tracker_npending(t), 1);
	ck_assert_uint_eq(win(t, R1, T0).outcomes, 0);
	/* Other events are counted, and change nothing else. */
	ev = mk(DR_EV_OTHER, R2, 10, 40000, 0, T0 + 2);
	dr_tracker_event(t, &ev);
	ev.kind = DR_EV_NKINDS;
	dr_tracker_event(t, &ev);
	ck_assert_uint_eq(dr_tracker_nresolvers(t), 1);
	ck_assert_uint_eq(dr_tracker_stats(t)->events, 5);
	dr_tracker_free(t);
}
END_TEST

/* ---- the run of outcomes ---- */

/* Client n asks, and the resolver says port unreachable. */
static void
fail_from(struct dr_tracker *t, const char *res, int n, uint16_t id,
    dr_time_t qts, dr_time_t ts)
{
	query(t, res, n, 40000, id, qts);
	unreach(t, res, n, 40000, 1, id, 3, ts);
}

START_TEST(test_run)
{
	struct dr_tracker_conf	 c = tconf();
	struct dr_tracker	*t = tnew(&c);
	const struct dr_run	*r;
	dr_time_t		 at;

	fail_from(t, R1, 1, 1, T0, T0 + 10 * MS);
	r = run_of(t, R1);
	ck_assert_uint_eq(r->failures, 1);
	fail_from(t, R1, 2, 2, T0 + S, T0 + S + 10 * MS);
	fail_from(t, R1, 3, 3, T0 + 2 * S, T0 + 2 * S + 10 * MS);
	ck_assert_uint_eq(r->failures, 3);
	ck_assert_uint_eq(r->strong, 3);
	ck_assert_uint_eq(r->successes, 0);
	ck_assert_uint_eq(r->clients, 3);
	ck_assert_uint_eq(r->fail[DR_FAIL_PORT], 3);
	ck_assert_int_eq(r->first_query, T0);
	ck_assert_int_eq(r->first_at, T0 + 10 * MS);
	ck_assert_int_eq(r->last_at, T0 + 2 * S + 10 * MS);
	/* The same client again; then more than four: four. */
	fail_from(t, R1, 3, 4, T0 + 2 * S, T0 + 2 * S + 20 * MS);
	ck_assert_uint_eq(r->clients, 3);
	fail_from(t, R1, 4, 5, T0 + 2 * S, T0 + 2 * S + 30 * MS);
	fail_from(t, R1, 5, 6, T0 + 2 * S, T0 + 2 * S + 40 * MS);
	ck_assert_uint_eq(r->clients, 4);
	ck_assert_uint_eq(r->failures, 6);
	/* A timeout: a failure, not a strong one. */
	query(t, R1, 1, 41000, 7, T0 + 3 * S);
	dr_tracker_expire(t, T0 + 6 * S + 500 * MS);
	ck_assert_uint_eq(r->failures, 7);
	ck_assert_uint_eq(r->strong, 6);
	ck_assert_uint_eq(r->fail[DR_FAIL_TIMEOUT], 1);
	ck_assert_int_eq(r->first_query, T0);
	ck_assert_int_eq(r->first_at, T0 + 10 * MS);
	ck_assert_int_eq(r->last_at, T0 + 6 * S);
	/* An answer: the failures in a row are over. */
	query(t, R1, 1, 42000, 8, T0 + 7 * S);
	answer(t, R1, 1, 42000, 8, 0, T0 + 7 * S + 5 * MS);
	ck_assert_uint_eq(r->failures, 0);
	ck_assert_uint_eq(r->strong, 0);
	ck_assert_uint_eq(r->clients, 0);
	ck_assert_uint_eq(r->fail[DR_FAIL_PORT], 0);
	ck_assert_uint_eq(r->fail[DR_FAIL_TIMEOUT], 0);
	ck_assert_uint_eq(r->successes, 1);
	query(t, R1, 1, 42001, 9, T0 + 8 * S);
	answer(t, R1, 1, 42001, 9, 0, T0 + 8 * S + 5 * MS);
	ck_assert_uint_eq(r->successes, 2);
	/* A failure: the answers in a row are over. */
	at = T0 + 9 * S;
	fail_from(t, R1, 2, 10, at, at + MS);
	ck_assert_uint_eq(r->successes, 0);
	ck_assert_uint_eq(r->failures, 1);
	ck_assert_int_eq(r->first_query, at);
	ck_assert_int_eq(r->first_at, at + MS);
	ck_assert_int_eq(r->last_at, at + MS);
	/* run_gap apart is still one run; more is a new one. */
	at += MS + 300 * S;
	fail_from(t, R1, 3, 11, at - MS, at);
	ck_assert_uint_eq(r->failures, 2);
	at += 300 * S + 1;
	fail_from(t, R1, 4, 12, at - MS, at);
	ck_assert_uint_eq(r->failures, 1);
	ck_assert_uint_eq(r->clients, 1);
	ck_assert_int_eq(r->first_query, at - MS);

	/* What the detector sees of a run that has ended, unread. */
	ck_assert_uint_eq(win(t, R1, at + 300 * S).run.failures, 1);
	ck_assert_uint_eq(win(t, R1, at + 300 * S + 1).run.failures, 0);
	ck_assert_uint_eq(win(t, R1, at + 300 * S + 1).run.strong, 0);
	ck_assert_uint_eq(win(t, R1, at + 300 * S + 1).run.clients, 0);
	dr_tracker_free(t);

	/* run_gap 0: never ends for age. */
	c.run_gap = 0;
	t = tnew(&c);
	fail_from(t, R1, 1, 1, T0, T0 + 1);
	fail_from(t, R1, 1, 2, T0 + 86400 * S, T0 + 86400 * S + 1);
	ck_assert_uint_eq(run_of(t, R1)->failures, 2);
	dr_tracker_free(t);

	/* Timeouts not counted neither join nor end a run. */
	c = tconf();
	c.count_timeouts = 0;
	t = tnew(&c);
	fail_from(t, R1, 1, 1, T0, T0 + 1);
	query(t, R1, 1, 41000, 2, T0 + S);
	dr_tracker_expire(t, T0 + 5 * S);
	ck_assert_uint_eq(cnt(t, R1)->timeouts, 1);
	ck_assert_uint_eq(run_of(t, R1)->failures, 1);
	ck_assert_uint_eq(run_of(t, R1)->fail[DR_FAIL_TIMEOUT], 0);
	dr_tracker_free(t);
}
END_TEST

/* A late ICMP turns a timeout of the run into an error, in place. */
START_TEST(test_run_late_icmp)
{
	struct dr_tracker_conf	 c = tconf();
	struct dr_tracker	*t = tnew(&c);
	const struct dr_run	*r;

	query(t, R1, 1, 40000, 1, T0);
	query(t, R1, 2, 40000, 2, T0 + 100 * MS);
	query(t, R1, 3, 40000, 3, T0 + 200 * MS);
	dr_tracker_expire(t, T0 + 4 * S);
	r = run_of(t, R1);
	ck_assert_uint_eq(r->failures, 3);
	ck_assert_uint_eq(r->strong, 0);
	unreach(t, R1, 2, 40000, 1, 2, 3, T0 + 5 * S);
	ck_assert_uint_eq(r->failures, 3);
	ck_assert_uint_eq(r->strong, 1);
	ck_assert_uint_eq(r->fail[DR_FAIL_TIMEOUT], 2);
	ck_assert_uint_eq(r->fail[DR_FAIL_PORT], 1);
	ck_assert_uint_eq(win(t, R1, T0 + 5 * S).outcomes, 3);
	dr_tracker_free(t);
}
END_TEST

/* Which resolvers the engine should look at before the next tick. */
START_TEST(test_dirty)
{
	struct dr_tracker_conf	 c = tconf();
	struct dr_tracker	*t = tnew(&c);
	struct dr_resolver	*r;

	ck_assert_ptr_null(dr_tracker_next_dirty(t));
	/* Answers while it is up: nothing to look at. */
	query(t, R1, 1, 40000, 1, T0);
	answer(t, R1, 1, 40000, 1, 0, T0 + 1);
	ck_assert_ptr_null(dr_tracker_next_dirty(t));
	/* Failures while it is up: once, however many. */
	fail_from(t, R1, 1, 2, T0 + 2, T0 + 3);
	fail_from(t, R1, 2, 3, T0 + 4, T0 + 5);
	fail_from(t, R2, 2, 3, T0 + 4, T0 + 5);
	r = dr_tracker_next_dirty(t);
	ck_assert_ptr_nonnull(r);
	ck_assert_ptr_nonnull(dr_tracker_next_dirty(t));
	ck_assert_ptr_null(dr_tracker_next_dirty(t));
	/* A timeout is a failure too. */
	query(t, R1, 1, 40001, 4, T0 + S);
	dr_tracker_expire(t, T0 + 5 * S);
	ck_assert_ptr_eq(dr_tracker_next_dirty(t), find(t, R1));
	ck_assert_ptr_null(dr_tracker_next_dirty(t));
	/* Down: the answers are news, the failures are not. */
	dr_resolver_state(find(t, R1))->down = 1;
	fail_from(t, R1, 1, 5, T0 + 6 * S, T0 + 6 * S + 1);
	ck_assert_ptr_null(dr_tracker_next_dirty(t));
	query(t, R1, 1, 40002, 6, T0 + 7 * S);
	answer(t, R1, 1, 40002, 6, 0, T0 + 7 * S + 1);
	ck_assert_ptr_eq(dr_tracker_next_dirty(t), find(t, R1));
	ck_assert_ptr_null(dr_tracker_next_dirty(t));
	dr_tracker_free(t);
}
END_TEST

/* ---- reload ---- */

START_TEST(test_import)
{
	struct dr_tracker_conf	 c = tconf(), c2 = tconf();
	struct dr_tracker	*t = tnew(&c), *t2;
	struct dr_resolver	*r;
	struct dr_detect_input	 in;
	struct dr_icmp_sender	 s;

	query(t, R1, 10, 40000, 1, T0);			/* times out */
	query(t, R1, 10, 40001, 2, T0 + 3 * S);		/* still out */
	fail_from(t, R1, 11, 3, T0 + 3 * S, T0 + 3 * S + 1);
	dr_tracker_expire(t, T0 + 4 * S);
	r = find(t, R1);
	ck_assert_uint_eq(dr_resolver_counts(r)->timeouts, 1);
	dr_resolver_state(r)->failing = 1;
	dr_resolver_state(r)->down = 1;
	dr_resolver_state(r)->cause = DR_CAUSE_NOT_LISTENING;
	dr_resolver_note_alert(r, 0);

	c2.window.nbuckets = 20;
	t2 = tnew(&c2);
	ck_assert_int_eq(dr_tracker_import(t2, r, T0 + 4 * S), 0);
	r = find(t2, R1);
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(cnt(t2, R1)->queries, 3);
	ck_assert_uint_eq(cnt(t2, R1)->timeouts, 1);
	ck_assert_uint_eq(cnt(t2, R1)->alerts, 1);
	/* Only the one still out is lost. */
	ck_assert_uint_eq(cnt(t2, R1)->evicted, 1);
	ck_assert_uint_eq(dr_tracker_npending(t2), 0);
	/* Its alert state, its run, its name and senders came along. */
	ck_assert_int_eq(dr_resolver_cstate(r)->failing, 1);
	ck_assert_int_eq(dr_resolver_cstate(r)->down, 1);
	ck_assert_int_eq(dr_resolver_cstate(r)->cause,
	    DR_CAUSE_NOT_LISTENING);
	ck_assert_uint_eq(dr_resolver_run(r)->failures, 2);
	ck_assert_str_eq(dr_resolver_sample_qname(r), NAME);
	ck_assert_uint_eq(dr_resolver_icmp_senders(r, &s, 1), 1);
	ck_assert_uint_eq(s.count, 1);
	/* The window totals, booked at the reload. */
	in = win(t2, R1, T0 + 4 * S);
	ck_assert_uint_eq(in.queries, 3);
	ck_assert_uint_eq(in.fail[DR_FAIL_TIMEOUT], 1);
	ck_assert_uint_eq(in.fail[DR_FAIL_PORT], 1);
	ck_assert_uint_eq(in.outcomes, 2);
	ck_assert_uint_eq(dr_resolver_clients(r), 2);
	/* Importing into a full table fails. */
	c2.max_resolvers = 1;
	dr_tracker_free(t2);
	t2 = tnew(&c2);
	query(t2, R2, 10, 1, 1, T0);
	ck_assert_int_eq(dr_tracker_import(t2, find(t, R1), T0 + 4 * S), -1);
	dr_tracker_free(t);
	dr_tracker_free(t2);
}
END_TEST

START_TEST(test_allowlist)
{
	struct dr_tracker_conf	 c = tconf();
	struct dr_tracker	*t;
	struct dr_prefix	 p[2];

	ck_assert_int_eq(dr_prefix_parse(&p[0], "203.0.113.0/30"), 0);
	ck_assert_int_eq(dr_prefix_parse(&p[1], "2001:db8::/64"), 0);
	c.allow = p;
	c.nallow = 2;
	t = tnew(&c);
	/* The tracker keeps its own copy. */
	memset(p, 0, sizeof(p));
	query(t, R1, 10, 40000, 1, T0);
	query(t, R6, 10, 40000, 1, T0);
	query(t, "203.0.113.9", 10, 40000, 1, T0);
	query(t, "198.51.100.1", 10, 40000, 1, T0);
	unreach(t, "198.51.100.1", 10, 40000, 1, 1, 3, T0);
	ck_assert_uint_eq(dr_tracker_nresolvers(t), 2);
	ck_assert_ptr_nonnull(find(t, R1));
	ck_assert_ptr_nonnull(find(t, R6));
	ck_assert_ptr_null(find(t, "203.0.113.9"));
	ck_assert_uint_eq(dr_tracker_stats(t)->ignored, 3);
	ck_assert_uint_eq(dr_tracker_stats(t)->events, 5);
	ck_assert_uint_eq(dr_tracker_npending(t), 2);

	/* Reconfigure: a new allowlist applies, state stays. */
	ck_assert_int_eq(dr_prefix_parse(&p[0], "198.51.100.0/24"), 0);
	c.nallow = 1;
	ck_assert_int_eq(dr_tracker_reconfigure(t, &c), 0);
	query(t, "198.51.100.1", 10, 40000, 1, T0 + 1);
	query(t, R1, 10, 40001, 1, T0 + 1);
	ck_assert_ptr_nonnull(find(t, "198.51.100.1"));
	ck_assert_uint_eq(cnt(t, R1)->queries, 1);
	ck_assert_uint_eq(dr_tracker_stats(t)->ignored, 4);
	/* Watching everything again. */
	c.nallow = 0;
	c.allow = NULL;
	c.query_timeout = 5 * S;
	ck_assert_int_eq(dr_tracker_reconfigure(t, &c), 0);
	ck_assert_int_eq(dr_tracker_conf(t)->query_timeout, 5 * S);
	query(t, "203.0.113.9", 10, 40000, 1, T0 + 2);
	ck_assert_uint_eq(dr_tracker_nresolvers(t), 4);
	/* Geometry and sizes need new tables. */
	c.window.nbuckets = 20;
	ck_assert_int_eq(dr_tracker_reconfigure(t, &c), -1);
	c = tconf();
	c.max_pending = 2048;
	ck_assert_int_eq(dr_tracker_reconfigure(t, &c), -1);
	c = tconf();
	c.window.bucket = 2 * S;
	ck_assert_int_eq(dr_tracker_reconfigure(t, &c), -1);
	c = tconf();
	c.max_resolvers = 17;
	ck_assert_int_eq(dr_tracker_reconfigure(t, &c), -1);
	c = tconf();
	c.match_window = 1;
	ck_assert_int_eq(dr_tracker_reconfigure(t, &c), -1);
	ck_assert_uint_eq(dr_tracker_nresolvers(t), 4);
	dr_tracker_free(t);
}
END_TEST

/* A new fast_window applies to the short window at once. */
START_TEST(test_short_window)
{
	struct dr_tracker_conf	 c = tconf();
	struct dr_tracker	*t = tnew(&c);
	struct dr_detect_input	 in;
	int			 i;

	/* One failure in each of ten seconds. */
	for (i = 0; i < 10; i++)
		fail_from(t, R1, 1, (uint16_t)i, T0 + i * S,
		    T0 + i * S + 500 * MS);
	in = win(t, R1, T0 + 9 * S + 600 * MS);
	ck_assert_uint_eq(in.outcomes, 10);
	/* 2 s back, and the bucket filling now: three buckets. */
	ck_assert_uint_eq(in.s_outcomes, 3);
	ck_assert_uint_eq(in.s_fail[DR_FAIL_PORT], 3);
	/* Nothing since: the short window empties, the window not. */
	in = win(t, R1, T0 + 13 * S);
	ck_assert_uint_eq(in.s_outcomes, 0);
	ck_assert_uint_eq(in.outcomes, 10);
	c.fast_window = 5 * S;
	ck_assert_int_eq(dr_tracker_reconfigure(t, &c), 0);
	in = win(t, R1, T0 + 9 * S + 600 * MS);
	ck_assert_uint_eq(in.s_outcomes, 6);
	/* Longer than the window: the window. */
	c.fast_window = 60 * S;
	ck_assert_int_eq(dr_tracker_reconfigure(t, &c), 0);
	in = win(t, R1, T0 + 9 * S + 600 * MS);
	ck_assert_uint_eq(in.s_outcomes, 10);
	/* None. */
	c.fast_window = 0;
	ck_assert_int_eq(dr_tracker_reconfigure(t, &c), 0);
	in = win(t, R1, T0 + 9 * S + 600 * MS);
	ck_assert_uint_eq(in.s_outcomes, 0);
	ck_assert_uint_eq(in.outcomes, 10);
	dr_tracker_free(t);
}
END_TEST

/* ---- bounds ---- */

START_TEST(test_resolver_table_full)
{
	struct dr_tracker_conf	 c = tconf();
	struct dr_tracker	*t;
	char			 name[32];
	int			 i;

	c.max_resolvers = 4;
	t = tnew(&c);
	/* .1 and .2 have a query out; .3 is failing; .4 is idle. */
	for (i = 1; i <= 4; i++) {
		snprintf(name, sizeof(name), "198.51.100.%d", i);
		query(t, name, 10, 40000, 1, T0 + i);
		if (i > 2)
			answer(t, name, 10, 40000, 1, 0, T0 + i);
	}
	dr_resolver_state(find(t, "198.51.100.3"))->failing = 1;
	ck_assert_uint_eq(dr_tracker_nresolvers(t), 4);
	/* The only one that can go is .4, though it is the newest. */
	query(t, "198.51.100.5", 10, 40000, 1, T0 + 10);
	ck_assert_uint_eq(dr_tracker_nresolvers(t), 4);
	ck_assert_ptr_null(find(t, "198.51.100.4"));
	ck_assert_ptr_nonnull(find(t, "198.51.100.5"));
	ck_assert_uint_eq(dr_tracker_stats(t)->resolver_evictions, 1);
	/* Now nobody can go: the event is dropped. */
	query(t, "198.51.100.6", 10, 40000, 1, T0 + 11);
	ck_assert_ptr_null(find(t, "198.51.100.6"));
	ck_assert_uint_eq(dr_tracker_stats(t)->resolver_table_full, 1);
	ck_assert_uint_eq(dr_tracker_npending(t), 3);
	/* Answer .1: it is the least recently active idle one... */
	answer(t, "198.51.100.1", 10, 40000, 1, 0, T0 + 12);
	answer(t, "198.51.100.2", 10, 40000, 1, 0, T0 + 13);
	/* ...until .2's answer made .1 older than .2. */
	query(t, "198.51.100.7", 10, 40000, 1, T0 + 14);
	ck_assert_ptr_null(find(t, "198.51.100.1"));
	ck_assert_ptr_nonnull(find(t, "198.51.100.2"));
	ck_assert_ptr_nonnull(find(t, "198.51.100.3"));
	/* A reused slot starts clean. */
	ck_assert_uint_eq(cnt(t, "198.51.100.7")->queries, 1);
	ck_assert_uint_eq(cnt(t, "198.51.100.7")->responses, 0);
	ck_assert_uint_eq(win(t, "198.51.100.7", T0 + 14).outcomes, 0);
	ck_assert_uint_eq(win(t, "198.51.100.7", T0 + 14).queries, 1);
	ck_assert_int_eq(dr_resolver_cstate(find(t, "198.51.100.7"))->failing,
	    0);
	/* The new one's query is matchable. */
	answer(t, "198.51.100.7", 10, 40000, 1, 0, T0 + 15);
	ck_assert_uint_eq(cnt(t, "198.51.100.7")->unmatched_responses, 0);
	ck_assert_uint_eq(dr_tracker_stats(t)->resolver_evictions, 2);
	dr_tracker_free(t);
}
END_TEST

/*
 * Anyone on the LAN can send ICMP errors and answers: an entry made by
 * no query may push out another such entry, never a real resolver.
 */
START_TEST(test_provisional)
{
	struct dr_tracker_conf	 c = tconf();
	struct dr_tracker	*t;

	c.max_resolvers = 2;
	t = tnew(&c);
	query(t, R1, 10, 40000, 1, T0);
	answer(t, R1, 10, 40000, 1, 0, T0 + 1);
	query(t, R2, 10, 40000, 1, T0 + 2);
	answer(t, R2, 10, 40000, 1, 0, T0 + 3);
	/* Both idle, both evictable by a query; not by these. */
	unreach(t, "198.51.100.66", 10, 40000, 1, 1, 3, T0 + 4);
	answer(t, "198.51.100.67", 10, 40000, 1, 0, T0 + 5);
	ck_assert_ptr_nonnull(find(t, R1));
	ck_assert_ptr_nonnull(find(t, R2));
	ck_assert_ptr_null(find(t, "198.51.100.66"));
	ck_assert_ptr_null(find(t, "198.51.100.67"));
	ck_assert_uint_eq(dr_tracker_stats(t)->resolver_table_full, 2);
	ck_assert_uint_eq(dr_tracker_stats(t)->resolver_evictions, 0);
	dr_tracker_free(t);

	c.max_resolvers = 3;
	t = tnew(&c);
	query(t, R1, 10, 40000, 1, T0);
	answer(t, R1, 10, 40000, 1, 0, T0 + 1);
	query(t, R2, 10, 40000, 1, T0 + 2);
	answer(t, R2, 10, 40000, 1, 0, T0 + 3);
	/* Room: a provisional entry; the next one takes its place. */
	unreach(t, "198.51.100.66", 10, 40000, 1, 1, 3, T0 + 4);
	ck_assert_ptr_nonnull(find(t, "198.51.100.66"));
	answer(t, "198.51.100.67", 10, 40000, 1, 0, T0 + 5);
	ck_assert_ptr_null(find(t, "198.51.100.66"));
	ck_assert_ptr_nonnull(find(t, "198.51.100.67"));
	ck_assert_ptr_nonnull(find(t, R1));
	ck_assert_ptr_nonnull(find(t, R2));
	ck_assert_uint_eq(dr_tracker_stats(t)->resolver_evictions, 1);
	/* A client asks it: it is real now, and stays. */
	query(t, "198.51.100.67", 10, 40001, 2, T0 + 6);
	answer(t, "198.51.100.67", 10, 40001, 2, 0, T0 + 7);
	unreach(t, "198.51.100.68", 10, 40000, 1, 1, 3, T0 + 8);
	ck_assert_ptr_nonnull(find(t, "198.51.100.67"));
	ck_assert_ptr_null(find(t, "198.51.100.68"));
	ck_assert_uint_eq(dr_tracker_stats(t)->resolver_table_full, 1);
	dr_tracker_free(t);
}
END_TEST

START_TEST(test_pending_full)
{
	struct dr_tracker_conf	 c = tconf();
	struct dr_tracker	*t;

	c.max_pending = 3;
	t = tnew(&c);
	query(t, R1, 10, 40000, 1, T0);
	query(t, R2, 10, 40000, 2, T0 + 1);
	query(t, R1, 10, 40000, 3, T0 + 2);
	query(t, R1, 10, 40000, 4, T0 + 3);	/* evicts id 1 */
	ck_assert_uint_eq(dr_tracker_npending(t), 3);
	ck_assert_uint_eq(cnt(t, R1)->evicted, 1);
	ck_assert_uint_eq(cnt(t, R2)->evicted, 0);
	ck_assert_uint_eq(dr_tracker_stats(t)->pending_evictions, 1);
	answer(t, R1, 10, 40000, 1, 0, T0 + 4);
	ck_assert_uint_eq(cnt(t, R1)->unmatched_responses, 1);
	query(t, R1, 10, 40000, 5, T0 + 5);	/* evicts R2's id 2 */
	ck_assert_uint_eq(cnt(t, R2)->evicted, 1);
	/* An evicted query is not a timeout, and has no outcome. */
	dr_tracker_expire(t, T0 + 3 * S + 2);
	ck_assert_uint_eq(cnt(t, R1)->timeouts, 1);	/* id 3 */
	ck_assert_uint_eq(cnt(t, R2)->timeouts, 0);
	ck_assert_uint_eq(win(t, R2, T0 + 3 * S).outcomes, 0);
	/* A timed-out entry goes before an outstanding one. */
	query(t, R2, 10, 40000, 6, T0 + 3 * S + 2);
	ck_assert_uint_eq(cnt(t, R1)->evicted, 1);
	ck_assert_uint_eq(cnt(t, R1)->timeouts, 1);
	ck_assert_uint_eq(dr_tracker_stats(t)->pending_evictions, 3);
	answer(t, R1, 10, 40000, 4, 0, T0 + 3 * S + 4);
	ck_assert_uint_eq(cnt(t, R1)->unmatched_responses, 1);
	/* Ids 4 (answered), 5 and R2's 6 are what remain. */
	ck_assert_uint_eq(dr_tracker_npending(t), 2);
	/* Id 3 went: its timeout stands, no late answer for it. */
	answer(t, R1, 10, 40000, 3, 0, T0 + 3 * S + 4);
	ck_assert_uint_eq(cnt(t, R1)->unmatched_responses, 2);
	ck_assert_uint_eq(cnt(t, R1)->timeouts, 1);
	dr_tracker_free(t);
}
END_TEST

START_TEST(test_flush)
{
	struct dr_tracker_conf	 c = tconf();
	struct dr_tracker	*t = tnew(&c);
	int			 i;

	for (i = 0; i < 50; i++)
		query(t, i % 2 ? R1 : R2, 10 + i, 40000, (uint16_t)i,
		    T0 + i * 100 * MS);
	answer(t, R1, 11, 40000, 1, 0, T0 + 5 * S);
	dr_tracker_flush(t);
	ck_assert_uint_eq(cnt(t, R1)->queries, 25);
	ck_assert_uint_eq(cnt(t, R1)->timeouts + cnt(t, R1)->responses, 25);
	ck_assert_uint_eq(cnt(t, R2)->timeouts, 25);
	ck_assert_uint_eq(cnt(t, R2)->queries, 25);
	/* Booked where each one timed out: in the window still. */
	ck_assert_uint_eq(win(t, R2, T0 + 8 * S).fail[DR_FAIL_TIMEOUT], 25);
	/* Flushing twice changes nothing. */
	dr_tracker_flush(t);
	ck_assert_uint_eq(cnt(t, R2)->timeouts, 25);
	ck_assert_uint_eq(cnt(t, R1)->timeouts, 24);
	dr_tracker_free(t);
}
END_TEST

/* The capture went blind: what was out is unknown, not timed out. */
START_TEST(test_abandon)
{
	struct dr_tracker_conf	 c = tconf();
	struct dr_tracker	*t = tnew(&c);

	query(t, R1, 10, 40000, 1, T0);
	dr_tracker_expire(t, T0 + 3 * S);		/* a timeout */
	query(t, R1, 10, 40001, 2, T0 + 3 * S);
	query(t, R1, 10, 40002, 3, T0 + 3 * S);
	tcp(t, DR_EV_TCP_SYN, R1, 10, 50000, T0 + 3 * S);
	ck_assert_uint_eq(dr_tracker_npending(t), 4);
	dr_tracker_abandon(t);
	/* Two queries lost; the SYN was no query; the timeout stands. */
	ck_assert_uint_eq(cnt(t, R1)->evicted, 2);
	ck_assert_uint_eq(cnt(t, R1)->timeouts, 1);
	ck_assert_uint_eq(dr_tracker_npending(t), 1);
	dr_tracker_advance(t, T0 + 30 * S);
	ck_assert_uint_eq(cnt(t, R1)->timeouts, 1);
	ck_assert_uint_eq(cnt(t, R1)->tcp_connect_timeouts, 0);
	dr_tracker_free(t);
}
END_TEST

START_TEST(test_iterate)
{
	struct dr_tracker_conf	 c = tconf();
	struct dr_tracker	*t = tnew(&c);
	struct dr_resolver	*r;
	uint32_t		 it = 0;
	int			 n = 0, i;
	char			 name[32];

	ck_assert_ptr_null(dr_tracker_next(t, &it));
	for (i = 0; i < 10; i++) {
		snprintf(name, sizeof(name), "2001:db8::%d", i + 1);
		query(t, name, 1, 1, 1, T0);
	}
	it = 0;
	while ((r = dr_tracker_next(t, &it)) != NULL) {
		ck_assert_int_eq(dr_resolver_addr(r)->family, DR_AF_INET6);
		ck_assert_ptr_eq(dr_tracker_find(t, dr_resolver_addr(r)), r);
		n++;
	}
	ck_assert_int_eq(n, 10);
	ck_assert_uint_eq(dr_tracker_nresolvers(t), 10);
	dr_tracker_free(t);
}
END_TEST

/* ---- distinct clients ---- */

START_TEST(test_clients_estimate)
{
	struct dr_tracker_conf	 c = tconf();
	struct dr_tracker	*t;
	struct dr_detect_input	 in;
	uint32_t		 est, act, tol;
	int			 n, i;

	c.max_pending = 4096;
	for (n = 1; n <= 200; n++) {
		t = tnew(&c);
		query(t, R1, 0, 40000, 1, T0);
		answer(t, R1, 0, 40000, 1, 0, T0 + 1);
		ck_assert_uint_eq(dr_resolver_clients(find(t, R1)), 0);
		for (i = 0; i < n; i++) {
			/* Each client fails twice: counted once. */
			fail_from(t, R1, 1 + i * 7919, 1, T0 + 2, T0 + 2);
			fail_from(t, R1, 1 + i * 7919, 2, T0 + 3, T0 + 3);
		}
		est = dr_resolver_clients(find(t, R1));
		in = win(t, R1, T0 + 3);
		act = in.active_clients;
		tol = n / 10 > 1 ? (uint32_t)n / 10 : 1;
		ck_assert_msg(est + tol >= (uint32_t)n && est <= n + tol,
		    "%d clients estimated as %u", n, est);
		ck_assert_uint_eq(in.failing_clients, est);
		/* One more asked and was answered. */
		ck_assert_msg(act + tol >= (uint32_t)n + 1 &&
		    act <= n + 1 + tol, "%d clients asking estimated as %u",
		    n + 1, act);
		dr_tracker_free(t);
	}
}
END_TEST

START_TEST(test_clients_over_time)
{
	struct dr_tracker_conf	 c = tconf();
	struct dr_tracker	*t = tnew(&c);
	struct dr_resolver	*r;
	int			 i;

	/* Failures early in the window, then a tick in the same window. */
	for (i = 0; i < 20; i++)
		fail_from(t, R1, i, (uint16_t)i, T0 + 100 * MS,
		    T0 + 200 * MS);
	r = find(t, R1);
	ck_assert_uint_eq(dr_resolver_clients(r), 20);
	dr_tracker_advance(t, T0 + S);
	ck_assert_msg(dr_resolver_clients(r) == 20,
	    "a tick in the same window lost the clients: %u",
	    dr_resolver_clients(r));
	dr_tracker_advance(t, T0 + 5 * S);
	ck_assert_uint_eq(dr_resolver_clients(r), 20);
	/* Long after the failures, nobody is failing. */
	dr_tracker_advance(t, T0 + 40 * S);
	ck_assert_uint_eq(dr_resolver_clients(r), 0);
	ck_assert_uint_eq(win(t, R1, T0 + 40 * S).active_clients, 0);
	/*
	 * An hour with no tick at all (a savefile with a gap), then one
	 * failure: the next tick must not take it for an old one.
	 */
	fail_from(t, R1, 77, 1, T0 + 3600 * S - 1, T0 + 3600 * S);
	ck_assert_uint_eq(dr_resolver_clients(r), 1);
	dr_tracker_advance(t, T0 + 3601 * S);
	ck_assert_msg(dr_resolver_clients(r) == 1,
	    "a tick after a gap lost a fresh client: %u",
	    dr_resolver_clients(r));
	/* A failure a little back in time does not wipe the map. */
	fail_from(t, R1, 78, 2, T0 + 3599 * S - 1, T0 + 3599 * S);
	ck_assert_uint_eq(dr_resolver_clients(r), 2);
	dr_tracker_advance(t, T0 + 3602 * S);
	ck_assert_uint_eq(dr_resolver_clients(r), 2);
	dr_tracker_advance(t, T0 + 3700 * S);
	ck_assert_uint_eq(dr_resolver_clients(r), 0);
	/* Timeouts count their clients too. */
	query(t, R1, 1, 40000, 1, T0 + 3701 * S);
	query(t, R1, 2, 40000, 1, T0 + 3701 * S);
	query(t, R1, 3, 40000, 1, T0 + 3701 * S);
	answer(t, R1, 3, 40000, 1, 0, T0 + 3701 * S + 1);
	dr_tracker_advance(t, T0 + 3705 * S);
	ck_assert_uint_eq(cnt(t, R1)->timeouts, 2);
	ck_assert_uint_eq(dr_resolver_clients(r), 2);
	ck_assert_uint_eq(win(t, R1, T0 + 3705 * S).active_clients, 3);
	dr_tracker_free(t);
}
END_TEST

/* ---- what an alert names ---- */

START_TEST(test_sample_qname)
{
	struct dr_tracker_conf	 c = tconf();
	struct dr_tracker	*t = tnew(&c);
	struct dr_resolver	*r;
	struct dr_event		 ev;
	char			 lab[64], name[300], *p;
	size_t			 len;

	queryq(t, R1, 10, 40000, 7, "www.example.com", T0);
	queryq(t, R1, 10, 40000, 8, "other.example", T0);
	r = find(t, R1);
	ck_assert_str_eq(dr_resolver_sample_qname(r), "");
	/* An answer is no failure: no sample. */
	queryq(t, R1, 10, 40001, 9, "fine.example", T0);
	answerq(t, R1, 10, 40001, 9, 0, "fine.example", T0 + 1);
	ck_assert_str_eq(dr_resolver_sample_qname(r), "");
	ev = mk(DR_EV_UNREACH, R1, 10, 40000, 7, T0 + 1);
	ev.icmp_code = 3;
	with_name(&ev, "www.example.com", 0);
	dr_tracker_event(t, &ev);
	ck_assert_str_eq(dr_resolver_sample_qname(r), "www.example.com");
	/* One name per episode: the first stays. */
	ev.id = 8;
	with_name(&ev, "other.example", 0);
	dr_tracker_event(t, &ev);
	ck_assert_str_eq(dr_resolver_sample_qname(r), "www.example.com");
	ck_assert_uint_eq(cnt(t, R1)->unmatched, 0);
	/* A new episode: a new name. */
	dr_resolver_forget_sample(r);
	ck_assert_str_eq(dr_resolver_sample_qname(r), "");
	queryq(t, R1, 10, 40002, 10, "third.example", T0 + 2);
	answerq(t, R1, 10, 40002, 10, 5, "third.example", T0 + 3);
	ck_assert_str_eq(dr_resolver_sample_qname(r), "third.example");

	/* A long name of odd bytes: cut, but never inside an escape. */
	dr_resolver_forget_sample(r);
	memset(lab, 0x01, 63);
	lab[63] = '\0';
	snprintf(name, sizeof(name), "%s.%s.%s.%s", lab, lab, lab, "ab");
	queryq(t, R1, 10, 40003, 11, name, T0 + 4);
	unreach(t, R1, 10, 40003, 0, 0, 3, T0 + 4);
	ev = mk(DR_EV_UNREACH, R1, 10, 40003, 11, T0 + 4);
	ev.icmp_code = 3;
	with_name(&ev, name, 0);
	dr_tracker_event(t, &ev);
	len = strlen(dr_resolver_sample_qname(r));
	ck_assert_uint_gt(len, 200);
	ck_assert_uint_lt(len, DR_SAMPLE_QNAME_MAX);
	p = strrchr(dr_resolver_sample_qname(r), '\\');
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(strncmp(p, "\\001", 4), 0);
	dr_tracker_free(t);
}
END_TEST

START_TEST(test_icmp_senders)
{
	struct dr_tracker_conf	 c = tconf();
	struct dr_tracker	*t = tnew(&c);
	struct dr_icmp_sender	 s[DR_ICMP_SENDERS + 1];
	struct dr_resolver	*r;
	struct dr_event		 ev;
	char			 buf[DR_ADDR_STRLEN];
	int			 i;
	static const struct {
		const char	*from;
		int		 n;
		uint8_t		 ttl;
	} v[] = {
		{ "192.0.2.1", 5, 62 },
		{ "192.0.2.2", 30, 250 },
		{ "192.0.2.3", 1, 120 },
		{ "192.0.2.4", 3, 64 },
	};
	size_t			 k;

	query(t, R1, 10, 40000, 1, T0);
	r = find(t, R1);
	ck_assert_uint_eq(dr_resolver_icmp_senders(r, s, DR_ICMP_SENDERS), 0);
	for (k = 0; k < sizeof(v) / sizeof(v[0]); k++)
		for (i = 0; i < v[k].n; i++) {
			ev = mk(DR_EV_UNREACH, R1, 10, 40000, 0, T0 + 1);
			ev.icmp_code = 1;
			ev.icmp_from = pkt_addr(v[k].from);
			ev.icmp_ttl = v[k].ttl;
			dr_tracker_event(t, &ev);
		}
	/* Most frequent first. */
	ck_assert_uint_eq(dr_resolver_icmp_senders(r, s, DR_ICMP_SENDERS), 4);
	ck_assert_str_eq(dr_addr_format(&s[0].addr, buf, sizeof(buf)),
	    "192.0.2.2");
	ck_assert_uint_eq(s[0].count, 30);
	ck_assert_uint_eq(s[0].ttl, 250);
	ck_assert_str_eq(dr_addr_format(&s[1].addr, buf, sizeof(buf)),
	    "192.0.2.1");
	ck_assert_str_eq(dr_addr_format(&s[2].addr, buf, sizeof(buf)),
	    "192.0.2.4");
	ck_assert_str_eq(dr_addr_format(&s[3].addr, buf, sizeof(buf)),
	    "192.0.2.3");
	ck_assert_uint_eq(s[3].count, 1);
	/* Asked for fewer, the top ones. */
	ck_assert_uint_eq(dr_resolver_icmp_senders(r, s, 1), 1);
	ck_assert_str_eq(dr_addr_format(&s[0].addr, buf, sizeof(buf)),
	    "192.0.2.2");
	/* A fifth takes the least frequent's place and count, plus one. */
	ev.icmp_from = pkt_addr("192.0.2.5");
	ev.icmp_ttl = 1;
	dr_tracker_event(t, &ev);
	ck_assert_uint_eq(dr_resolver_icmp_senders(r, s, DR_ICMP_SENDERS), 4);
	ck_assert_str_eq(dr_addr_format(&s[3].addr, buf, sizeof(buf)),
	    "192.0.2.5");
	ck_assert_uint_eq(s[3].count, 2);
	ck_assert_uint_eq(s[3].ttl, 1);
	/*
	 * A steady sender is never pushed out by a trickle of others: one
	 * with more than a quarter of all is always kept.
	 */
	for (i = 0; i < 20; i++) {
		snprintf(buf, sizeof(buf), "198.51.100.%d", i + 1);
		ev.icmp_from = pkt_addr(buf);
		dr_tracker_event(t, &ev);
	}
	dr_resolver_icmp_senders(r, s, DR_ICMP_SENDERS);
	ck_assert_str_eq(dr_addr_format(&s[0].addr, buf, sizeof(buf)),
	    "192.0.2.2");
	/* Each ICMP error counts once, matched or not. */
	ck_assert_uint_eq(dr_resolver_icmp_senders(r, s, DR_ICMP_SENDERS), 4);
	ck_assert_uint_eq(s[0].count, 30);
	ck_assert_uint_ge(s[1].count, 5);
	ck_assert_uint_eq(cnt(t, R1)->unreachable, 39 + 1 + 20);

	/* Hops from the usual initial TTLs. */
	ck_assert_int_eq(dr_icmp_hops(64), 0);
	ck_assert_int_eq(dr_icmp_hops(62), 2);
	ck_assert_int_eq(dr_icmp_hops(1), 63);
	ck_assert_int_eq(dr_icmp_hops(0), 64);
	ck_assert_int_eq(dr_icmp_hops(128), 0);
	ck_assert_int_eq(dr_icmp_hops(120), 8);
	ck_assert_int_eq(dr_icmp_hops(65), 63);
	ck_assert_int_eq(dr_icmp_hops(255), 0);
	ck_assert_int_eq(dr_icmp_hops(250), 5);
	ck_assert_int_eq(dr_icmp_hops(129), 126);
	dr_tracker_free(t);
}
END_TEST

/* Answer times: what the detector and the alerts get. */
START_TEST(test_input)
{
	struct dr_tracker_conf	 c = tconf();
	struct dr_tracker	*t;
	struct dr_resolver	*r;
	struct dr_detect_input	 in;
	int			 i;

	c.slow_threshold = S;
	t = tnew(&c);
	/* 20 answers in 10 ms, then 20 in 2 s: one half of each. */
	for (i = 0; i < 20; i++) {
		query(t, R1, 10, (uint16_t)(30000 + i), 1, T0 + i * MS);
		answer(t, R1, 10, (uint16_t)(30000 + i), 1, 0,
		    T0 + i * MS + 10 * MS);
	}
	r = find(t, R1);
	/* All fast: p95 cannot be over the threshold, nothing by half. */
	in = win(t, R1, T0 + S);
	dr_tracker_latency_input(t, r, S, &in);
	ck_assert_uint_eq(in.samples, 20);
	ck_assert_int_le(in.p95, S);
	ck_assert_uint_eq(in.samples_halves[0] + in.samples_halves[1], 0);
	for (i = 0; i < 20; i++) {
		query(t, R1, 10, (uint16_t)(31000 + i), 1,
		    T0 + 5 * S + i * MS);
		answer(t, R1, 10, (uint16_t)(31000 + i), 1, 0,
		    T0 + 7 * S + i * MS);
	}
	in = win(t, R1, T0 + 8 * S);
	ck_assert_int_eq(in.last_outcome, T0 + 7 * S + 19 * MS);
	dr_tracker_latency_input(t, r, S, &in);
	ck_assert_uint_eq(in.samples, 40);
	/* The 20th answer is fast, the 38th slow: bins of 1.5x. */
	ck_assert_int_ge(dr_tracker_latency(r, 0.5), 10 * MS);
	ck_assert_int_le(dr_tracker_latency(r, 0.5), 15 * MS);
	ck_assert_int_ge(in.p95, 2 * S);
	ck_assert_int_lt(in.p95, 3 * S);
	ck_assert_int_eq(dr_tracker_latency(r, 0.95), in.p95);
	/* Over the threshold: by half, [0] the current one. */
	ck_assert_uint_eq(in.samples_halves[0], 20);
	ck_assert_uint_eq(in.over_halves[0], 20);
	ck_assert_uint_eq(in.samples_halves[1], 20);
	ck_assert_uint_eq(in.over_halves[1], 0);
	/* Asked for a higher bar, p95 is under it: no halves. */
	dr_tracker_latency_input(t, r, 5 * S, &in);
	ck_assert_uint_eq(in.samples_halves[0], 0);
	ck_assert_uint_eq(in.samples, 40);
	ck_assert_uint_eq(dr_resolver_latency(r)[dr_latency_bin(10 * MS)],
	    20);
	/* An answer to a query sent twice is no sample (Karn). */
	query(t, R1, 10, 32000, 1, T0 + 8 * S);
	query(t, R1, 10, 32000, 1, T0 + 9 * S);
	answer(t, R1, 10, 32000, 1, 0, T0 + 9 * S + 10 * MS);
	ck_assert_uint_eq(cnt(t, R1)->responses, 41);
	dr_tracker_latency_input(t, r, 0, &in);
	ck_assert_uint_eq(in.samples, 40);
	/* A window later both halves have rotated out. */
	dr_tracker_advance(t, T0 + 25 * S);
	dr_tracker_latency_input(t, r, S, &in);
	ck_assert_uint_eq(in.samples, 0);
	ck_assert_int_eq(in.p95, 0);
	ck_assert_int_eq(dr_tracker_latency(r, 0.95), 0);
	/* The lifetime histogram keeps them. */
	ck_assert_uint_eq(dr_resolver_latency(r)[dr_latency_bin(2 * S)], 20);
	dr_tracker_free(t);
}
END_TEST

/* Counts since a time: a recovery starts the evidence afresh. */
START_TEST(test_input_since)
{
	struct dr_tracker_conf	 c = tconf();
	struct dr_tracker	*t = tnew(&c);
	struct dr_resolver	*r;
	struct dr_detect_input	 in;
	int			 i;

	for (i = 0; i < 4; i++)
		fail_from(t, R1, 1, (uint16_t)i, T0 + i * S, T0 + i * S + 1);
	for (i = 4; i < 8; i++) {
		query(t, R1, 1, 40000, (uint16_t)i, T0 + i * S);
		answer(t, R1, 1, 40000, (uint16_t)i, 0, T0 + i * S + 1);
	}
	r = find(t, R1);
	dr_tracker_input(t, r, T0 + 8 * S, INT64_MIN, &in);
	ck_assert_uint_eq(in.outcomes, 8);
	ck_assert_uint_eq(in.fail[DR_FAIL_PORT], 4);
	ck_assert_uint_eq(in.queries, 8);
	/* From T0 + 3 s: that bucket and later ones. */
	dr_tracker_input(t, r, T0 + 8 * S, T0 + 3 * S, &in);
	ck_assert_uint_eq(in.outcomes, 5);
	ck_assert_uint_eq(in.fail[DR_FAIL_PORT], 1);
	ck_assert_uint_eq(in.queries, 5);
	dr_tracker_input(t, r, T0 + 8 * S, T0 + 4 * S, &in);
	ck_assert_uint_eq(in.outcomes, 4);
	ck_assert_uint_eq(in.fail[DR_FAIL_PORT], 0);
	/* Since now: the current bucket only. */
	dr_tracker_input(t, r, T0 + 7 * S, T0 + 7 * S, &in);
	ck_assert_uint_eq(in.outcomes, 1);
	/* Since before the window: the whole window. */
	dr_tracker_input(t, r, T0 + 8 * S, T0 - 100 * S, &in);
	ck_assert_uint_eq(in.outcomes, 8);
	/* The run and the short window are what they are. */
	ck_assert_uint_eq(in.run.successes, 4);
	dr_tracker_free(t);
}
END_TEST

/* Nothing a failure verdict could rest on. */
START_TEST(test_quiet)
{
	struct dr_tracker_conf	 c = tconf();
	struct dr_tracker	*t = tnew(&c);
	struct dr_resolver	*r;

	query(t, R1, 1, 40000, 1, T0);
	answer(t, R1, 1, 40000, 1, 0, T0 + 1);
	r = find(t, R1);
	ck_assert_int_ne(dr_resolver_quiet(r), 0);
	dr_resolver_state(r)->down = 1;
	ck_assert_int_eq(dr_resolver_quiet(r), 0);
	dr_resolver_state(r)->down = 0;
	dr_resolver_state(r)->flapping = 1;
	ck_assert_int_eq(dr_resolver_quiet(r), 0);
	dr_resolver_state(r)->flapping = 0;
	/* A failure in the window. */
	fail_from(t, R1, 1, 2, T0 + S, T0 + S + 1);
	ck_assert_int_eq(dr_resolver_quiet(r), 0);
	/* Answered since, the run is over; the window still holds it. */
	query(t, R1, 1, 40000, 3, T0 + 2 * S);
	answer(t, R1, 1, 40000, 3, 0, T0 + 2 * S + 1);
	ck_assert_uint_eq(run_of(t, R1)->failures, 0);
	ck_assert_int_eq(dr_resolver_quiet(r), 0);
	/* Until it ages out. */
	dr_tracker_advance(t, T0 + 11 * S);
	ck_assert_int_ne(dr_resolver_quiet(r), 0);
	/* A timeout not counted is no failure either. */
	c.count_timeouts = 0;
	ck_assert_int_eq(dr_tracker_reconfigure(t, &c), 0);
	query(t, R1, 1, 40000, 4, T0 + 12 * S);
	dr_tracker_expire(t, T0 + 16 * S);
	ck_assert_uint_eq(cnt(t, R1)->timeouts, 1);
	dr_tracker_free(t);
}
END_TEST

/* ---- randomized: every query one outcome ---- */

#define NSTEP		30000
#define NRES		4
#define NCLIENT		12

static const char *const rnames[NRES] = {
	"203.0.113.2", "203.0.113.3", "2001:db8::53", "198.51.100.7"
};
static const char *const qnames[3] = {
	"a.example", "b.example", "c.example"
};

/* What must hold at any time for every resolver. */
static void
check_invariants(struct dr_tracker *t, dr_time_t now, int step, int end)
{
	const struct dr_resolver_counts	*n;
	struct dr_detect_input		 in;
	const struct dr_run		*r;
	uint32_t			 icmp;
	int				 k;

	for (k = 0; k < NRES; k++) {
		if (find(t, rnames[k]) == NULL)
			continue;
		n = cnt(t, rnames[k]);
		in = win(t, rnames[k], now);
		/* The window spans the whole run: it holds everything. */
		ck_assert_msg(in.queries == n->queries, "step %d %s: window "
		    "%u queries, %llu in all", step, rnames[k], in.queries,
		    (unsigned long long)n->queries);
		ck_assert_uint_eq(in.retransmissions, n->retransmissions);
		ck_assert_msg(in.fail[DR_FAIL_TIMEOUT] == n->timeouts,
		    "step %d %s: window %u timeouts, %llu in all", step,
		    rnames[k], in.fail[DR_FAIL_TIMEOUT],
		    (unsigned long long)n->timeouts);
		/* No query has two outcomes. */
		ck_assert_msg(in.outcomes + n->evicted <= n->queries,
		    "step %d %s: %u outcomes + %llu evicted > %llu queries",
		    step, rnames[k], in.outcomes,
		    (unsigned long long)n->evicted,
		    (unsigned long long)n->queries);
		/* Once all is over, each has exactly one. */
		if (end)
			ck_assert_msg(in.outcomes + n->evicted == n->queries,
			    "%s at the end: %u outcomes + %llu evicted, "
			    "%llu queries", rnames[k], in.outcomes,
			    (unsigned long long)n->evicted,
			    (unsigned long long)n->queries);
		icmp = in.fail[DR_FAIL_PORT] + in.fail[DR_FAIL_PORT_PATH] +
		    in.fail[DR_FAIL_ADMIN] + in.fail[DR_FAIL_HOST] +
		    in.fail[DR_FAIL_OTHER];
		ck_assert_uint_le(icmp, n->unreachable - n->unmatched);
		ck_assert_uint_le(resp(&in) + in.fail[DR_FAIL_SERVFAIL] +
		    in.fail[DR_FAIL_REFUSED] + in.fail[DR_FAIL_RCODE],
		    n->responses - n->unmatched_responses);
		ck_assert_uint_le(in.fail[DR_FAIL_RESET], n->tcp_resets);
		ck_assert_uint_le(n->answered_late, n->responses);
		/* The run is self-consistent. */
		r = dr_resolver_run(find(t, rnames[k]));
		ck_assert_uint_eq(r->failures, nfail(&(struct dr_detect_input){
		    .fail = { r->fail[0], r->fail[1], r->fail[2], r->fail[3],
		    r->fail[4], r->fail[5], r->fail[6], r->fail[7],
		    r->fail[8], r->fail[9] } }));
		ck_assert_uint_eq(r->strong, r->failures -
		    r->fail[DR_FAIL_TIMEOUT]);
		ck_assert(r->failures == 0 || r->successes == 0);
		ck_assert_uint_le(r->clients, 4);
		ck_assert_uint_le(r->clients, r->failures);
	}
}

/* A query asked lately, for answers and errors to aim at. */
struct rq {
	int		res, client, tcp;
	uint16_t	port, id;
	const char	*qn;
};

#define NRECENT	16

static void
random_run(uint32_t seed, int count_timeouts)
{
	struct dr_tracker_conf	 c = tconf();
	struct dr_tracker	*t;
	struct dr_event		 ev;
	struct rq		 recent[NRECENT], q;
	dr_time_t		 ts = T0;
	int			 step, x, k, nrecent = 0;

	_Static_assert(DR_FAIL_NCLASSES == 10, "check_invariants lists them");
	c.window.nbuckets = 3600;	/* the whole run */
	c.max_resolvers = 8;
	c.max_pending = 10;
	c.query_timeout = 2 * S;
	c.match_window = 5 * S;
	c.count_timeouts = count_timeouts;
	t = tnew(&c);
	srandom(seed);
	for (step = 0; step < NSTEP; step++) {
		x = (int)(random() % 1000);
		if (x < 30)
			ts += 1 + random() % (3 * S);	/* a lull */
		else if (x < 700)
			ts += random() % (60 * MS);
		q.res = (int)(random() % NRES);
		q.client = 1 + (int)(random() % NCLIENT);
		q.tcp = random() % 8 == 0;
		q.port = (uint16_t)(50000 + random() % 4 + q.tcp * 1000);
		q.id = (uint16_t)(random() % 6);
		q.qn = qnames[random() % 3];
		x = (int)(random() % 100);
		/* Mostly about a query asked lately (or asked again). */
		if (nrecent > 0 && random() % 4 != 0)
			q = recent[random() % (nrecent < NRECENT ? nrecent :
			    NRECENT)];
		ev = mk(DR_EV_QUERY, rnames[q.res], q.client, q.port, q.id,
		    ts);
		if (q.tcp)
			ev.transport = DR_TRANSPORT_TCP;
		if (x < 40) {
			with_name(&ev, q.qn, 0);
			recent[nrecent++ % NRECENT] = q;
		} else if (x < 65) {
			ev.kind = DR_EV_RESPONSE;
			ev.rcode = (uint8_t)(random() % 4 == 0 ?
			    random() % 16 : 0);
			if (random() % 2)
				with_name(&ev, q.qn, 1);
			else
				ev.has_dns = 1;
		} else if (x < 85 && !q.tcp) {
			ev = mk(DR_EV_UNREACH, rnames[q.res], q.client,
			    q.port, 0, ts);
			if (random() % 2) {
				ev.id = q.id;
				with_name(&ev, q.qn, 0);
			}
			ev.icmp_code = (uint8_t)(random() % 3 == 0 ?
			    random() % 20 : (ev.icmp6 ? 4 : 3));
			if (random() % 4 == 0)
				ev.icmp_from = pkt_addr(ev.icmp6 ? ROUTER6 :
				    ROUTER);
		} else if (x < 89) {
			ev.kind = DR_EV_TCP_RESET;
			ev.transport = DR_TRANSPORT_TCP;
		} else if (x < 91) {
			ev = mk(DR_EV_LATE_RESPONSE, rnames[q.res], q.client,
			    q.port, 0, ts);
			ev.icmp_code = 3;
		} else {
			if (x < 96)
				dr_tracker_expire(t, ts);
			else
				dr_tracker_advance(t, ts);
			check_invariants(t, ts, step, 0);
			continue;
		}
		dr_tracker_event(t, &ev);
		check_invariants(t, ts, step, 0);
	}
	ck_assert_int_lt(ts - T0, 3000 * S);
	/* The end of the capture: whatever is out timed out. */
	dr_tracker_flush(t);
	check_invariants(t, ts, step, 1);
	ck_assert_uint_eq(dr_tracker_stats(t)->resolver_table_full, 0);
	ck_assert_uint_gt(dr_tracker_stats(t)->pending_evictions, 0);
	for (k = 0; k < NRES; k++) {
		const struct dr_resolver_counts *n = cnt(t, rnames[k]);

		/* The run did exercise every path. */
		ck_assert_uint_gt(n->timeouts, 0);
		ck_assert_uint_gt(n->retransmissions, 0);
		ck_assert_uint_gt(n->answered_late, 0);
		ck_assert_uint_gt(n->unmatched, 0);
		ck_assert_uint_gt(n->unmatched_responses, 0);
		ck_assert_uint_gt(n->tcp_resets, 0);
		ck_assert_uint_gt(n->evicted, 0);
		ck_assert_uint_gt(n->unreachable - n->unmatched, 0);
		ck_assert_uint_gt(n->responses - n->unmatched_responses, 0);
	}
	dr_tracker_free(t);
}

START_TEST(test_random_invariants)
{
	random_run(20240601, 1);
}
END_TEST

START_TEST(test_random_invariants2)
{
	random_run(99, 1);
}
END_TEST

START_TEST(test_random_uncounted_timeouts)
{
	random_run(7, 0);
}
END_TEST

static Suite *
tracker_suite(void)
{
	Suite	*s = suite_create("tracker");
	TCase	*tc;

	tc = tcase_create("outcomes");
	tcase_add_test(tc, test_new_bad_conf);
	tcase_add_test(tc, test_query_response);
	tcase_add_test(tc, test_timeout);
	tcase_add_test(tc, test_late_answer_replaces_timeout);
	tcase_add_test(tc, test_late_outcome_uncounted_timeouts);
	tcase_add_test(tc, test_retransmissions);
	tcase_add_test(tc, test_rcodes);
	suite_add_tcase(s, tc);

	tc = tcase_create("icmp");
	tcase_add_test(tc, test_icmp_short_quote);
	tcase_add_test(tc, test_icmp_short_quotes_one_port);
	tcase_add_test(tc, test_icmp_full_quote);
	tcase_add_test(tc, test_icmp_sender_class);
	tcase_add_test(tc, test_icmp_codes);
	tcase_add_test(tc, test_unmatched_icmp);
	tcase_add_test(tc, test_icmp_senders);
	tcase_add_test(tc, test_late_response_icmp);
	suite_add_tcase(s, tc);

	tc = tcase_create("tcp");
	tcase_add_test(tc, test_tcp_refused);
	tcase_add_test(tc, test_tcp_query_reset);
	tcase_add_test(tc, test_tcp_reset_after_answer);
	tcase_add_test(tc, test_tcp_accept);
	suite_add_tcase(s, tc);

	tc = tcase_create("run");
	tcase_add_test(tc, test_run);
	tcase_add_test(tc, test_run_late_icmp);
	tcase_add_test(tc, test_dirty);
	tcase_add_test(tc, test_short_window);
	tcase_add_test(tc, test_input);
	tcase_add_test(tc, test_input_since);
	tcase_add_test(tc, test_quiet);
	tcase_add_test(tc, test_clients_estimate);
	tcase_add_test(tc, test_clients_over_time);
	tcase_add_test(tc, test_sample_qname);
	suite_add_tcase(s, tc);

	tc = tcase_create("table");
	tcase_add_test(tc, test_import);
	tcase_add_test(tc, test_allowlist);
	tcase_add_test(tc, test_resolver_table_full);
	tcase_add_test(tc, test_provisional);
	tcase_add_test(tc, test_pending_full);
	tcase_add_test(tc, test_flush);
	tcase_add_test(tc, test_abandon);
	tcase_add_test(tc, test_iterate);
	suite_add_tcase(s, tc);

	tc = tcase_create("random");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_random_invariants);
	tcase_add_test(tc, test_random_invariants2);
	tcase_add_test(tc, test_random_uncounted_timeouts);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(tracker_suite());
	int	 nf;

	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
