/*
 * test_tracker.c: resolver table, query matching, outcomes, bounds.
 *
 * Events are built by hand (struct dr_event); a randomized run checks
 * the counts against a plain model of the outstanding-query table.
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

static struct dr_tracker_conf
tconf(void)
{
	struct dr_tracker_conf	c;

	memset(&c, 0, sizeof(c));
	c.window.bucket = S;
	c.window.nbuckets = 10;
	c.query_timeout = 3 * S;
	c.match_window = 10 * S;
	c.max_resolvers = 16;
	c.max_pending = 1024;
	return c;
}

static struct dr_tracker *
tnew(const struct dr_tracker_conf *c)
{
	struct dr_tracker	*t = dr_tracker_new(c, 12345);

	ck_assert_ptr_nonnull(t);
	return t;
}

static struct dr_addr
a4(int last)
{
	struct dr_addr	a;
	uint8_t		b[4] = { 192, 0, 2, (uint8_t)last };

	dr_addr_set4(&a, b);
	return a;
}

static struct dr_event
mk(enum dr_event_kind kind, const char *res, int client, uint16_t cport,
    uint16_t id, dr_time_t ts)
{
	struct dr_event	ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = kind;
	ev.ts = ts;
	ev.resolver = pkt_addr(res);
	ev.client = a4(client);
	ev.resolver_port = DR_DNS_PORT;
	ev.client_port = cport;
	ev.id = id;
	ev.has_dns = kind == DR_EV_QUERY || kind == DR_EV_RESPONSE;
	return ev;
}

static void
query(struct dr_tracker *t, const char *res, int client, uint16_t cport,
    uint16_t id, dr_time_t ts)
{
	struct dr_event	ev = mk(DR_EV_QUERY, res, client, cport, id, ts);

	dr_tracker_event(t, &ev);
}

static void
answer(struct dr_tracker *t, const char *res, int client, uint16_t cport,
    uint16_t id, uint8_t rcode, dr_time_t ts)
{
	struct dr_event	ev = mk(DR_EV_RESPONSE, res, client, cport, id, ts);

	ev.rcode = rcode;
	ev.flags = DR_DNSF_RA;
	dr_tracker_event(t, &ev);
}

static void
unreach(struct dr_tracker *t, const char *res, int client, uint16_t cport,
    int has_dns, uint16_t id, int icmp6, uint8_t code, dr_time_t ts)
{
	struct dr_event	ev = mk(DR_EV_UNREACH, res, client, cport, id, ts);

	ev.has_dns = (uint8_t)has_dns;
	if (!has_dns)
		ev.id = 0;
	ev.icmp6 = (uint8_t)icmp6;
	ev.icmp_code = code;
	dr_tracker_event(t, &ev);
}

static struct dr_resolver *
find(struct dr_tracker *t, const char *res)
{
	struct dr_addr	a = pkt_addr(res);

	return dr_tracker_find(t, &a);
}

static uint32_t
wt(struct dr_tracker *t, const char *res, enum dr_wcounter c)
{
	struct dr_resolver	*r = find(t, res);

	ck_assert_ptr_nonnull(r);
	return dr_window_total(r->win, c);
}

static uint32_t
wfail(const struct dr_resolver *r)
{
	return dr_window_total(r->win, DR_W_UNREACH_PORT) +
	    dr_window_total(r->win, DR_W_UNREACH_HOST) +
	    dr_window_total(r->win, DR_W_UNREACH_ADMIN) +
	    dr_window_total(r->win, DR_W_UNREACH_OTHER) +
	    dr_window_total(r->win, DR_W_TIMEOUTS) +
	    dr_window_total(r->win, DR_W_TCP_RESET);
}

#define R1	"203.0.113.2"
#define R2	"203.0.113.3"
#define R6	"2001:db8::53"

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
	c.nallow = 1;
	ck_assert_ptr_null(dr_tracker_new(&c, 1));
	dr_tracker_free(NULL);
}
END_TEST

START_TEST(test_query_response)
{
	struct dr_tracker_conf	 c = tconf();
	struct dr_tracker	*t = tnew(&c);
	struct dr_resolver	*r;
	struct dr_detect_input	 in;

	query(t, R1, 10, 40000, 7, T0);
	ck_assert_uint_eq(dr_tracker_nresolvers(t), 1);
	ck_assert_uint_eq(dr_tracker_npending(t), 1);
	answer(t, R1, 10, 40000, 7, 0, T0 + 20 * MS);
	r = find(t, R1);
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(r->n.queries, 1);
	ck_assert_uint_eq(r->n.responses, 1);
	ck_assert_uint_eq(r->n.rcodes[DR_RC_NOERROR], 1);
	ck_assert_uint_eq(r->n.unmatched_responses, 0);
	ck_assert_uint_eq(r->npending, 0);
	ck_assert_uint_eq(dr_tracker_npending(t), 0);
	ck_assert_uint_eq(wt(t, R1, DR_W_QUERIES), 1);
	ck_assert_uint_eq(wt(t, R1, DR_W_RESPONSES), 1);
	/* Nothing times out after an answer. */
	dr_tracker_advance(t, T0 + 5 * S);
	ck_assert_uint_eq(r->n.timeouts, 0);
	ck_assert_uint_eq(wfail(r), 0);
	dr_resolver_input(r, &in);
	ck_assert_uint_eq(in.queries, 1);
	ck_assert_uint_eq(in.timeouts + in.port + in.admin + in.host +
	    in.other, 0);
	ck_assert_uint_eq(in.drops, 0);
	/* A wrong id, port or client is no answer to it. */
	query(t, R1, 10, 40000, 8, T0 + 6 * S);
	answer(t, R1, 10, 40000, 9, 0, T0 + 6 * S + 1);
	answer(t, R1, 10, 40001, 8, 0, T0 + 6 * S + 2);
	answer(t, R1, 11, 40000, 8, 0, T0 + 6 * S + 3);
	ck_assert_uint_eq(r->n.unmatched_responses, 3);
	ck_assert_uint_eq(r->npending, 1);
	/* Nor is an answer from another resolver. */
	answer(t, R2, 10, 40000, 8, 0, T0 + 6 * S + 4);
	ck_assert_uint_eq(r->npending, 1);
	ck_assert_uint_eq(find(t, R2)->n.unmatched_responses, 1);
	dr_tracker_free(t);
}
END_TEST

START_TEST(test_timeout)
{
	struct dr_tracker_conf	 c = tconf();
	struct dr_tracker	*t = tnew(&c);
	struct dr_resolver	*r;

	query(t, R1, 10, 40000, 7, T0);
	r = find(t, R1);
	/* Just before the timeout: still out. */
	dr_tracker_expire(t, T0 + 3 * S - 1);
	ck_assert_uint_eq(r->n.timeouts, 0);
	ck_assert_uint_eq(wt(t, R1, DR_W_TIMEOUTS), 0);
	/* A later event for another resolver passes the timeout. */
	query(t, R2, 10, 40001, 1, T0 + 3 * S);
	ck_assert_uint_eq(r->n.timeouts, 1);
	ck_assert_uint_eq(wt(t, R1, DR_W_TIMEOUTS), 1);
	/* Booked at the query's time: it ages out with the query. */
	dr_tracker_advance(t, T0 + 9 * S);
	ck_assert_uint_eq(wt(t, R1, DR_W_TIMEOUTS), 1);
	ck_assert_uint_eq(wt(t, R1, DR_W_QUERIES), 1);
	dr_tracker_advance(t, T0 + 10 * S);
	ck_assert_uint_eq(wt(t, R1, DR_W_TIMEOUTS), 0);
	ck_assert_uint_eq(wt(t, R1, DR_W_QUERIES), 0);
	ck_assert_uint_eq(r->n.timeouts, 1);
	/* A time going back does not expire anything again. */
	dr_tracker_expire(t, T0);
	ck_assert_uint_eq(r->n.timeouts, 1);
	dr_tracker_free(t);
}
END_TEST

START_TEST(test_late_answer_replaces_timeout)
{
	struct dr_tracker_conf	 c = tconf();
	struct dr_tracker	*t = tnew(&c);
	struct dr_resolver	*r;

	query(t, R1, 10, 40000, 7, T0);
	query(t, R1, 10, 40001, 8, T0);
	query(t, R1, 10, 40002, 9, T0);
	r = find(t, R1);
	dr_tracker_expire(t, T0 + 4 * S);
	ck_assert_uint_eq(r->n.timeouts, 3);
	ck_assert_uint_eq(wt(t, R1, DR_W_TIMEOUTS), 3);
	/* The answer came after all. */
	answer(t, R1, 10, 40000, 7, 0, T0 + 5 * S);
	ck_assert_uint_eq(r->n.timeouts, 2);
	ck_assert_uint_eq(wt(t, R1, DR_W_TIMEOUTS), 2);
	ck_assert_uint_eq(wt(t, R1, DR_W_RESPONSES), 1);
	ck_assert_uint_eq(r->n.unmatched_responses, 0);
	/* A late ICMP error, with the full query quoted. */
	unreach(t, R1, 10, 40001, 1, 8, 0, 3, T0 + 6 * S);
	ck_assert_uint_eq(r->n.timeouts, 1);
	ck_assert_uint_eq(r->n.unreachable, 1);
	ck_assert_uint_eq(r->n.unmatched, 0);
	ck_assert_uint_eq(wt(t, R1, DR_W_TIMEOUTS), 1);
	ck_assert_uint_eq(wt(t, R1, DR_W_UNREACH_PORT), 1);
	ck_assert_uint_eq(wfail(r), 2);
	ck_assert_uint_eq(wt(t, R1, DR_W_QUERIES), 3);
	/* Past the match window: the last one stays a timeout. */
	answer(t, R1, 10, 40002, 9, 0, T0 + 10 * S);
	ck_assert_uint_eq(r->n.timeouts, 1);
	ck_assert_uint_eq(r->n.unmatched_responses, 1);
	ck_assert_uint_eq(r->npending, 0);
	/* A second answer to an answered query matches nothing. */
	answer(t, R1, 10, 40000, 7, 0, T0 + 10 * S + 1);
	ck_assert_uint_eq(r->n.unmatched_responses, 2);
	ck_assert_uint_eq(r->n.timeouts, 1);
	dr_tracker_free(t);
}
END_TEST

START_TEST(test_retransmissions)
{
	struct dr_tracker_conf	 c = tconf();
	struct dr_tracker	*t = tnew(&c);
	struct dr_resolver	*r;

	/* The same query three times, the first one timed out. */
	query(t, R1, 10, 40000, 7, T0);
	query(t, R1, 10, 40000, 7, T0 + 3 * S);
	query(t, R1, 10, 40000, 7, T0 + 4 * S);
	r = find(t, R1);
	ck_assert_uint_eq(r->n.timeouts, 1);
	ck_assert_uint_eq(r->npending, 3);
	answer(t, R1, 10, 40000, 7, 0, T0 + 4 * S + 10 * MS);
	ck_assert_uint_eq(r->n.responses, 1);
	ck_assert_uint_eq(r->n.unmatched_responses, 0);
	ck_assert_uint_eq(r->n.timeouts, 0);
	ck_assert_uint_eq(r->npending, 0);
	ck_assert_uint_eq(wt(t, R1, DR_W_QUERIES), 3);
	ck_assert_uint_eq(wt(t, R1, DR_W_RESPONSES), 3);
	ck_assert_uint_eq(wt(t, R1, DR_W_TIMEOUTS), 0);
	dr_tracker_free(t);
}
END_TEST

START_TEST(test_icmp_matching)
{
	struct dr_tracker_conf	 c = tconf();
	struct dr_tracker	*t = tnew(&c);
	struct dr_resolver	*r;

	/* Two queries on one port; an 8-byte quote takes the oldest. */
	query(t, R1, 10, 40000, 1, T0);
	query(t, R1, 10, 40000, 2, T0 + 100 * MS);
	query(t, R1, 10, 40000, 3, T0 + 200 * MS);
	unreach(t, R1, 10, 40000, 0, 0, 0, 3, T0 + 300 * MS);
	r = find(t, R1);
	ck_assert_uint_eq(r->npending, 2);
	answer(t, R1, 10, 40000, 1, 0, T0 + 400 * MS);
	ck_assert_uint_eq(r->n.unmatched_responses, 1);
	unreach(t, R1, 10, 40000, 0, 0, 0, 3, T0 + 500 * MS);
	answer(t, R1, 10, 40000, 3, 0, T0 + 600 * MS);
	ck_assert_uint_eq(r->n.unmatched_responses, 1);
	ck_assert_uint_eq(r->npending, 0);
	ck_assert_uint_eq(r->n.unreachable, 2);
	ck_assert_uint_eq(r->n.unmatched, 0);
	ck_assert_uint_eq(wt(t, R1, DR_W_UNREACH_PORT), 2);

	/* A full quote matches on the id, not the age. */
	query(t, R1, 11, 40000, 1, T0 + S);
	query(t, R1, 11, 40000, 2, T0 + S);
	unreach(t, R1, 11, 40000, 1, 2, 0, 13, T0 + S + 1);
	answer(t, R1, 11, 40000, 1, 0, T0 + S + 2);
	ck_assert_uint_eq(r->n.unmatched_responses, 1);
	ck_assert_uint_eq(wt(t, R1, DR_W_UNREACH_ADMIN), 1);
	/* A full quote with an id we never saw matches nothing. */
	query(t, R1, 12, 40000, 1, T0 + S);
	unreach(t, R1, 12, 40000, 1, 99, 0, 3, T0 + S + 3);
	ck_assert_uint_eq(r->n.unmatched, 1);
	ck_assert_uint_eq(r->n.unreachable, 4);
	ck_assert_uint_eq(r->npending, 1);
	ck_assert_uint_eq(wt(t, R1, DR_W_UNMATCHED), 1);
	ck_assert_uint_eq(wt(t, R1, DR_W_UNREACH_PORT), 2);
	dr_tracker_free(t);
}
END_TEST

START_TEST(test_unmatched_icmp)
{
	struct dr_tracker_conf	 c = tconf();
	struct dr_tracker	*t = tnew(&c);
	struct dr_resolver	*r;

	/* Forged or about a query we missed: not a failure by default. */
	unreach(t, R1, 10, 40000, 1, 5, 0, 3, T0);
	unreach(t, R1, 10, 40001, 0, 0, 0, 1, T0);
	r = find(t, R1);
	ck_assert_uint_eq(r->n.unreachable, 2);
	ck_assert_uint_eq(r->n.unmatched, 2);
	ck_assert_uint_eq(r->n.unreach_by_code[3], 1);
	ck_assert_uint_eq(r->n.unreach_by_code[1], 1);
	ck_assert_uint_eq(wt(t, R1, DR_W_UNMATCHED), 2);
	ck_assert_uint_eq(wt(t, R1, DR_W_QUERIES), 0);
	ck_assert_uint_eq(wfail(r), 0);
	ck_assert_uint_eq(dr_resolver_clients(r), 0);
	dr_tracker_free(t);

	/* One-direction capture: the operator says count them. */
	c.count_unmatched = 1;
	t = tnew(&c);
	unreach(t, R1, 10, 40000, 1, 5, 0, 3, T0);
	unreach(t, R1, 10, 40001, 0, 0, 0, 1, T0);
	r = find(t, R1);
	ck_assert_uint_eq(r->n.unreachable, 2);
	ck_assert_uint_eq(r->n.unmatched, 2);
	ck_assert_uint_eq(r->n.queries, 0);
	ck_assert_uint_eq(wt(t, R1, DR_W_QUERIES), 2);
	ck_assert_uint_eq(wt(t, R1, DR_W_UNREACH_PORT), 1);
	ck_assert_uint_eq(wt(t, R1, DR_W_UNREACH_HOST), 1);
	ck_assert_uint_eq(dr_resolver_clients(r), 1);
	dr_tracker_free(t);
}
END_TEST

static enum dr_wcounter
want_class(int icmp6, int code)
{
	if (icmp6) {
		switch (code) {
		case 4:
			return DR_W_UNREACH_PORT;
		case 1: case 5: case 6:
			return DR_W_UNREACH_ADMIN;
		case 0: case 2: case 3:
			return DR_W_UNREACH_HOST;
		}
		return DR_W_UNREACH_OTHER;
	}
	switch (code) {
	case 3:
		return DR_W_UNREACH_PORT;
	case 9: case 10: case 13:
		return DR_W_UNREACH_ADMIN;
	case 0: case 1: case 5: case 6: case 7: case 8: case 11: case 12:
		return DR_W_UNREACH_HOST;
	}
	return DR_W_UNREACH_OTHER;
}

START_TEST(test_icmp_codes)
{
	struct dr_tracker_conf	 c = tconf();
	struct dr_tracker	*t;
	struct dr_resolver	*r;
	const char		*res;
	int			 icmp6, code, k;
	enum dr_wcounter	 w;

	for (icmp6 = 0; icmp6 <= 1; icmp6++) {
		res = icmp6 ? R6 : R1;
		for (code = 0; code < 256; code++) {
			t = tnew(&c);
			query(t, res, 10, 40000, 7, T0);
			unreach(t, res, 10, 40000, code & 1, 7, icmp6,
			    (uint8_t)code, T0 + 1);
			r = find(t, res);
			ck_assert_uint_eq(r->n.unreachable, 1);
			ck_assert_uint_eq(r->n.unmatched, 0);
			for (k = 0; k < DR_ICMP_NCODES; k++)
				ck_assert_uint_eq(r->n.unreach_by_code[k],
				    k == (code < 16 ? code : 16));
			w = want_class(icmp6, code);
			for (k = DR_W_UNREACH_PORT; k <= DR_W_UNREACH_OTHER;
			    k++)
				ck_assert_msg(wt(t, res, k) == (k == (int)w),
				    "icmp6 %d code %d: %s is %u", icmp6, code,
				    dr_wcounter_name(k), wt(t, res, k));
			ck_assert_uint_eq(wfail(r), 1);
			dr_tracker_free(t);
		}
	}
}
END_TEST

START_TEST(test_rcodes)
{
	struct dr_tracker_conf	 c = tconf();
	struct dr_tracker	*t = tnew(&c);
	struct dr_resolver	*r;
	int			 rc;
	uint64_t		 want[DR_RC_NCLASSES] = { 0 };

	for (rc = 0; rc < 16; rc++) {
		query(t, R1, 10, (uint16_t)(30000 + rc), 7, T0);
		answer(t, R1, 10, (uint16_t)(30000 + rc), 7, (uint8_t)rc,
		    T0 + 1);
		want[dr_rcode_class((uint8_t)rc)]++;
	}
	r = find(t, R1);
	for (rc = 0; rc < DR_RC_NCLASSES; rc++)
		ck_assert_uint_eq(r->n.rcodes[rc], want[rc]);
	ck_assert_uint_eq(r->n.rcodes[DR_RC_NOERROR], 1);
	ck_assert_uint_eq(r->n.rcodes[DR_RC_NXDOMAIN], 1);
	ck_assert_uint_eq(r->n.rcodes[DR_RC_SERVFAIL], 1);
	ck_assert_uint_eq(r->n.rcodes[DR_RC_REFUSED], 1);
	ck_assert_uint_eq(r->n.rcodes[DR_RC_OTHER], 12);
	ck_assert_uint_eq(r->n.responses, 16);
	/* SERVFAIL and REFUSED go to their window counter. */
	ck_assert_uint_eq(wt(t, R1, DR_W_SERVFAIL), 2);
	ck_assert_uint_eq(wt(t, R1, DR_W_RESPONSES), 16);
	ck_assert_uint_eq(wfail(r), 0);
	dr_tracker_free(t);
}
END_TEST

/* Each query keeps one outcome when a reload moves it to new tables. */
START_TEST(test_import_outcomes)
{
	struct dr_tracker_conf	 c = tconf(), c2 = tconf();
	struct dr_tracker	*t = tnew(&c), *t2;
	struct dr_resolver	*r;

	query(t, R1, 10, 40000, 1, T0);			/* times out */
	query(t, R1, 10, 40001, 2, T0 + 3 * S);		/* still out */
	dr_tracker_expire(t, T0 + 4 * S);
	r = find(t, R1);
	ck_assert_uint_eq(r->n.timeouts, 1);
	ck_assert_uint_eq(r->npending, 2);
	ck_assert_uint_eq(r->ntimedout, 1);

	c2.window.nbuckets = 20;
	t2 = tnew(&c2);
	ck_assert_int_eq(dr_tracker_import(t2, r, T0 + 4 * S), 0);
	r = find(t2, R1);
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(r->n.queries, 2);
	ck_assert_uint_eq(r->n.timeouts, 1);
	ck_assert_uint_eq(r->n.evicted, 1);	/* only the one still out */
	ck_assert_uint_eq(wt(t2, R1, DR_W_QUERIES), 2);
	ck_assert_uint_eq(wt(t2, R1, DR_W_TIMEOUTS), 1);
	dr_tracker_free(t);
	dr_tracker_free(t2);
}
END_TEST

START_TEST(test_tcp_reset_and_late)
{
	struct dr_tracker_conf	 c = tconf();
	struct dr_tracker	*t = tnew(&c);
	struct dr_resolver	*r;
	struct dr_event		 ev;

	ev = mk(DR_EV_TCP_RESET, R1, 10, 40000, 0, T0);
	ev.transport = DR_TRANSPORT_TCP;
	ev.has_dns = 0;
	dr_tracker_event(t, &ev);
	ev.client = a4(11);
	dr_tracker_event(t, &ev);
	r = find(t, R1);
	ck_assert_uint_eq(r->n.tcp_resets, 2);
	ck_assert_uint_eq(wt(t, R1, DR_W_QUERIES), 2);
	ck_assert_uint_eq(wt(t, R1, DR_W_TCP_RESET), 2);
	ck_assert_uint_eq(wt(t, R1, DR_W_UNREACH_PORT), 0);
	ck_assert_uint_eq(r->npending, 0);
	ck_assert_uint_eq(dr_resolver_clients(r), 2);

	ev = mk(DR_EV_LATE_RESPONSE, R1, 10, 40000, 0, T0 + 1);
	ev.icmp_code = 3;
	dr_tracker_event(t, &ev);
	ck_assert_uint_eq(r->n.late, 1);
	ck_assert_uint_eq(r->n.unreachable, 0);
	ck_assert_uint_eq(wt(t, R1, DR_W_LATE), 1);
	ck_assert_uint_eq(wfail(r), 2);

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
	unreach(t, "198.51.100.1", 10, 40000, 1, 1, 0, 3, T0);
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
	ck_assert_uint_eq(find(t, R1)->n.queries, 1);
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

START_TEST(test_resolver_table_full)
{
	struct dr_tracker_conf	 c = tconf();
	struct dr_tracker	*t;
	struct dr_resolver	*r;
	char			 name[32];
	int			 i;

	c.max_resolvers = 4;
	t = tnew(&c);
	/* .1 and .2 have a query out; .3 is failing; .4 is idle. */
	for (i = 1; i <= 4; i++) {
		snprintf(name, sizeof(name), "198.51.100.%d", i);
		if (i <= 2)
			query(t, name, 10, 40000, 1, T0 + i);
		else
			answer(t, name, 10, 40000, 1, 0, T0 + i);
	}
	find(t, "198.51.100.3")->det.failing = 1;
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
	r = find(t, "198.51.100.7");
	ck_assert_ptr_nonnull(r);
	/* A reused slot starts clean. */
	ck_assert_uint_eq(r->n.queries, 1);
	ck_assert_uint_eq(r->n.responses, 0);
	ck_assert_uint_eq(wt(t, "198.51.100.7", DR_W_RESPONSES), 0);
	ck_assert_uint_eq(wt(t, "198.51.100.7", DR_W_QUERIES), 1);
	/* The new one's query is matchable. */
	answer(t, "198.51.100.7", 10, 40000, 1, 0, T0 + 15);
	ck_assert_uint_eq(r->n.unmatched_responses, 0);
	ck_assert_uint_eq(r->npending, 0);
	ck_assert_uint_eq(dr_tracker_stats(t)->resolver_evictions, 2);
	dr_tracker_free(t);
}
END_TEST

START_TEST(test_pending_full)
{
	struct dr_tracker_conf	 c = tconf();
	struct dr_tracker	*t;
	struct dr_resolver	*r1, *r2;

	c.max_pending = 3;
	t = tnew(&c);
	query(t, R1, 10, 40000, 1, T0);
	query(t, R2, 10, 40000, 2, T0 + 1);
	query(t, R1, 10, 40000, 3, T0 + 2);
	query(t, R1, 10, 40000, 4, T0 + 3);	/* evicts id 1 */
	r1 = find(t, R1);
	r2 = find(t, R2);
	ck_assert_uint_eq(dr_tracker_npending(t), 3);
	ck_assert_uint_eq(r1->n.evicted, 1);
	ck_assert_uint_eq(r2->n.evicted, 0);
	ck_assert_uint_eq(dr_tracker_stats(t)->pending_evictions, 1);
	answer(t, R1, 10, 40000, 1, 0, T0 + 4);
	ck_assert_uint_eq(r1->n.unmatched_responses, 1);
	query(t, R1, 10, 40000, 5, T0 + 5);	/* evicts R2's id 2 */
	ck_assert_uint_eq(r2->n.evicted, 1);
	ck_assert_uint_eq(r2->npending, 0);
	ck_assert_uint_eq(r1->npending, 3);
	/* An evicted query is not a timeout. */
	dr_tracker_expire(t, T0 + 3 * S + 2);
	ck_assert_uint_eq(r1->n.timeouts, 1);	/* id 3 */
	ck_assert_uint_eq(r2->n.timeouts, 0);
	/* A timed-out entry goes before an outstanding one. */
	query(t, R2, 10, 40000, 6, T0 + 3 * S + 2);
	ck_assert_uint_eq(r1->n.evicted, 1);
	ck_assert_uint_eq(r1->n.timeouts, 1);
	ck_assert_uint_eq(dr_tracker_stats(t)->pending_evictions, 3);
	answer(t, R1, 10, 40000, 4, 0, T0 + 3 * S + 4);
	ck_assert_uint_eq(r1->n.unmatched_responses, 1);
	/* Ids 4 (answered), 5 and R2's 6 are what remain. */
	ck_assert_uint_eq(dr_tracker_npending(t), 2);
	answer(t, R1, 10, 40000, 3, 0, T0 + 3 * S + 4);
	ck_assert_uint_eq(r1->n.unmatched_responses, 2);
	ck_assert_uint_eq(r1->n.timeouts, 1);
	dr_tracker_free(t);
}
END_TEST

START_TEST(test_flush)
{
	struct dr_tracker_conf	 c = tconf();
	struct dr_tracker	*t = tnew(&c);
	struct dr_resolver	*r;
	int			 i;

	for (i = 0; i < 50; i++)
		query(t, i % 2 ? R1 : R2, 10 + i, 40000, (uint16_t)i,
		    T0 + i * 100 * MS);
	answer(t, R1, 11, 40000, 1, 0, T0 + 5 * S);
	dr_tracker_flush(t);
	r = find(t, R1);
	ck_assert_uint_eq(r->n.queries, 25);
	ck_assert_uint_eq(r->n.timeouts + r->n.responses, 25);
	ck_assert_uint_eq(find(t, R2)->n.timeouts, 25);
	ck_assert_uint_eq(find(t, R2)->n.queries, 25);
	/* Flushing twice changes nothing. */
	dr_tracker_flush(t);
	ck_assert_uint_eq(find(t, R2)->n.timeouts, 25);
	ck_assert_uint_eq(r->n.timeouts, 24);
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
		ck_assert_int_eq(r->addr.family, DR_AF_INET6);
		n++;
	}
	ck_assert_int_eq(n, 10);
	ck_assert_uint_eq(dr_tracker_nresolvers(t), 10);
	dr_tracker_free(t);
}
END_TEST

/* ---- distinct failing clients ---- */

static void
reset_from(struct dr_tracker *t, const char *res, int client, dr_time_t ts)
{
	struct dr_event	ev = mk(DR_EV_TCP_RESET, res, 0, 40000, 0, ts);
	uint8_t		b[4] = { 10, (uint8_t)(client >> 16),
	    (uint8_t)(client >> 8), (uint8_t)client };

	dr_addr_set4(&ev.client, b);
	ev.has_dns = 0;
	dr_tracker_event(t, &ev);
}

START_TEST(test_clients_estimate)
{
	struct dr_tracker_conf	 c = tconf();
	struct dr_tracker	*t;
	struct dr_resolver	*r;
	uint32_t		 est, tol;
	int			 n, i;

	for (n = 1; n <= 200; n++) {
		t = tnew(&c);
		query(t, R1, 10, 40000, 1, T0);
		answer(t, R1, 10, 40000, 1, 0, T0 + 1);
		ck_assert_uint_eq(dr_resolver_clients(find(t, R1)), 0);
		for (i = 0; i < n; i++) {
			/* Each client fails twice: counted once. */
			reset_from(t, R1, i * 7919, T0 + 2);
			reset_from(t, R1, i * 7919, T0 + 3);
		}
		r = find(t, R1);
		est = dr_resolver_clients(r);
		tol = n / 10 > 1 ? (uint32_t)n / 10 : 1;
		ck_assert_msg(est + tol >= (uint32_t)n && est <= n + tol,
		    "%d clients estimated as %u", n, est);
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
		reset_from(t, R1, i, T0 + 200 * MS);
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
	/*
	 * An hour with no tick at all (a savefile with a gap), then one
	 * failure: the next tick must not take it for an old one.
	 */
	reset_from(t, R1, 77, T0 + 3600 * S);
	ck_assert_uint_eq(dr_resolver_clients(r), 1);
	dr_tracker_advance(t, T0 + 3601 * S);
	ck_assert_msg(dr_resolver_clients(r) == 1,
	    "a tick after a gap lost a fresh client: %u",
	    dr_resolver_clients(r));
	/* A failure a little back in time does not wipe the map. */
	reset_from(t, R1, 78, T0 + 3599 * S);
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
	ck_assert_uint_eq(r->n.timeouts, 2);
	ck_assert_uint_eq(dr_resolver_clients(r), 2);
	dr_tracker_free(t);
}
END_TEST

/* ---- the sample name ---- */

START_TEST(test_sample_qname)
{
	struct dr_tracker_conf	 c = tconf();
	struct dr_tracker	*t = tnew(&c);
	struct dr_resolver	*r;
	struct dr_event		 ev;
	uint8_t			 dns[512], dns2[512];
	size_t			 n, n2;

	n = pkt_dns(dns, sizeof(dns), 7, 0, 0, "www.example.com");
	n2 = pkt_dns(dns2, sizeof(dns2), 8, 0, 0, "other.example");
	ck_assert_uint_gt(n, 12);
	ck_assert_uint_gt(n2, 12);
	query(t, R1, 10, 40000, 7, T0);
	query(t, R1, 10, 40000, 8, T0);
	r = find(t, R1);
	ck_assert_str_eq(r->sample_qname, "");
	ev = mk(DR_EV_UNREACH, R1, 10, 40000, 7, T0 + 1);
	ev.icmp_code = 3;
	ev.has_dns = 1;
	ev.dns = dns;
	ev.dns_len = n;
	dr_tracker_event(t, &ev);
	ck_assert_str_eq(r->sample_qname, "www.example.com");
	/* One name per episode: the first stays. */
	ev.id = 8;
	ev.dns = dns2;
	ev.dns_len = n2;
	dr_tracker_event(t, &ev);
	ck_assert_str_eq(r->sample_qname, "www.example.com");
	ck_assert_uint_eq(r->n.unmatched, 0);
	dr_tracker_free(t);
}
END_TEST

/* ---- randomized: counts against a model ---- */

#define NSTEP		30000
#define NRES		4
#define NCLIENT		12
#define MAXPEND		24

static const char *const rnames[NRES] = {
	"203.0.113.2", "203.0.113.3", "2001:db8::53", "198.51.100.7"
};

enum { M_OUT = 0, M_TIMEDOUT, M_GONE };
enum { O_NONE = 0, O_RESP, O_ICMP, O_TIMEOUT, O_EVICTED };

struct mq {
	int		res, client;
	uint16_t	port, id;
	dr_time_t	ts;
	int		state;
	int		outcome;
	enum dr_wcounter icmpc;
	uint64_t	tseq;		/* order it timed out in */
};

/* A booking not tied to a query's time. */
struct mb {
	int		res;
	dr_time_t	ts;
	enum dr_wcounter c;
};

struct model {
	struct mq		*q;
	int			 nq, first;	/* first: oldest active */
	struct mb		*b;
	int			 nb;
	int			 active;
	uint64_t		 tseq;
	dr_time_t		 now;
	struct dr_resolver_counts n[NRES];
	uint64_t		 settled_resp[NRES];
	const struct dr_tracker_conf *c;
};

static void
m_book(struct model *m, int res, dr_time_t ts, enum dr_wcounter c)
{
	m->b[m->nb].res = res;
	m->b[m->nb].ts = ts;
	m->b[m->nb].c = c;
	m->nb++;
}

static void
m_gone(struct model *m, int i)
{
	m->q[i].state = M_GONE;
	m->active--;
	while (m->first < m->nq && m->q[m->first].state == M_GONE)
		m->first++;
}

static void
m_expire(struct model *m, dr_time_t now)
{
	int	i;

	if (now < m->now)
		return;
	m->now = now;
	for (i = m->first; i < m->nq; i++) {
		if (m->q[i].state == M_OUT &&
		    now - m->q[i].ts >= m->c->query_timeout) {
			m->q[i].state = M_TIMEDOUT;
			m->q[i].outcome = O_TIMEOUT;
			m->q[i].tseq = m->tseq++;
			m->n[m->q[i].res].timeouts++;
		}
	}
	for (i = m->first; i < m->nq; i++)
		if (m->q[i].state == M_TIMEDOUT &&
		    now - m->q[i].ts >= m->c->match_window)
			m_gone(m, i);
}

static void
m_settle(struct model *m, int i, int outcome)
{
	if (m->q[i].state == M_TIMEDOUT)
		m->n[m->q[i].res].timeouts--;
	m->q[i].outcome = outcome;
	m_gone(m, i);
}

static int
m_same(const struct mq *q, int res, int client, uint16_t port)
{
	return q->state != M_GONE && q->res == res && q->client == client &&
	    q->port == port;
}

static void
m_query(struct model *m, int res, int client, uint16_t port, uint16_t id,
    dr_time_t ts)
{
	int		i, victim = -1;
	uint64_t	best = UINT64_MAX;

	m_expire(m, ts);
	if (m->active == (int)m->c->max_pending) {
		for (i = m->first; i < m->nq; i++)
			if (m->q[i].state == M_TIMEDOUT &&
			    m->q[i].tseq < best) {
				best = m->q[i].tseq;
				victim = i;
			}
		if (victim == -1) {
			for (i = m->first; m->q[i].state != M_OUT; i++)
				;
			victim = i;
			m->q[i].outcome = O_EVICTED;
			m->n[m->q[i].res].evicted++;
		}
		m_gone(m, victim);
	}
	m->n[res].queries++;
	i = m->nq++;
	memset(&m->q[i], 0, sizeof(m->q[i]));
	m->q[i].res = res;
	m->q[i].client = client;
	m->q[i].port = port;
	m->q[i].id = id;
	m->q[i].ts = ts;
	m->q[i].state = M_OUT;
	m->active++;
}

static void
m_response(struct model *m, int res, int client, uint16_t port, uint16_t id,
    uint8_t rcode, dr_time_t ts)
{
	int	i, matched = 0;

	m_expire(m, ts);
	m->n[res].responses++;
	m->n[res].rcodes[dr_rcode_class(rcode)]++;
	for (i = m->first; i < m->nq; i++) {
		if (m_same(&m->q[i], res, client, port) && m->q[i].id == id) {
			m_settle(m, i, O_RESP);
			m->settled_resp[res]++;
			matched = 1;
		}
	}
	if (!matched) {
		m->n[res].unmatched_responses++;
		m_book(m, res, ts, DR_W_RESPONSES);
	}
}

static void
m_unreach(struct model *m, int res, int client, uint16_t port, int has_dns,
    uint16_t id, int icmp6, uint8_t code, dr_time_t ts)
{
	int	i, found = -1;

	m_expire(m, ts);
	m->n[res].unreachable++;
	m->n[res].unreach_by_code[code < 16 ? code : 16]++;
	for (i = m->first; i < m->nq; i++) {
		if (!m_same(&m->q[i], res, client, port))
			continue;
		if (has_dns && m->q[i].id != id)
			continue;
		/*
		 * An 8-byte quote takes the oldest.  A full quote of a query
		 * sent more than once with one id: the spec leaves it open;
		 * the tracker takes the newest, and so does the model.
		 */
		if (!has_dns && found != -1)
			continue;
		found = i;
	}
	if (found == -1) {
		m->n[res].unmatched++;
		m_book(m, res, ts, DR_W_UNMATCHED);
		return;
	}
	m->q[found].icmpc = want_class(icmp6, code);
	m_settle(m, found, O_ICMP);
}

static void
m_reset(struct model *m, int res, dr_time_t ts)
{
	m_expire(m, ts);
	m->n[res].tcp_resets++;
	m_book(m, res, ts, DR_W_QUERIES);
	m_book(m, res, ts, DR_W_TCP_RESET);
}

static void
check_counts(struct dr_tracker *t, struct model *m, int step)
{
	struct dr_resolver	*r;
	uint64_t		 out;
	int			 k, i, j;

	for (k = 0; k < NRES; k++) {
		r = find(t, rnames[k]);
		if (r == NULL) {
			ck_assert_uint_eq(m->n[k].queries + m->n[k].responses +
			    m->n[k].unreachable + m->n[k].tcp_resets, 0);
			continue;
		}
#define EQ(f)	ck_assert_msg(r->n.f == m->n[k].f, \
	    "step %d %s: " #f " %llu, model %llu", step, rnames[k], \
	    (unsigned long long)r->n.f, (unsigned long long)m->n[k].f)
		EQ(queries);
		EQ(responses);
		EQ(unreachable);
		EQ(unmatched);
		EQ(timeouts);
		EQ(tcp_resets);
		EQ(unmatched_responses);
		EQ(evicted);
		for (j = 0; j < DR_RC_NCLASSES; j++)
			EQ(rcodes[j]);
		for (j = 0; j < DR_ICMP_NCODES; j++)
			EQ(unreach_by_code[j]);
#undef EQ
		/* Every query has exactly one outcome, or none yet. */
		out = 0;
		for (i = m->first; i < m->nq; i++)
			if (m->q[i].res == k && m->q[i].state == M_OUT)
				out++;
		ck_assert_uint_eq(r->n.queries, m->settled_resp[k] +
		    (r->n.unreachable - r->n.unmatched) + r->n.timeouts +
		    r->n.evicted + out);
		/* Without retransmissions this would be equal. */
		ck_assert_uint_le(r->n.responses - r->n.unmatched_responses,
		    m->settled_resp[k]);
		/* Failures in the window never exceed its queries. */
		ck_assert_msg(wfail(r) <= dr_window_total(r->win,
		    DR_W_QUERIES), "step %d %s: %u failures, %u queries",
		    step, rnames[k], wfail(r),
		    dr_window_total(r->win, DR_W_QUERIES));
	}
}

static int64_t
bidx(const struct dr_tracker_conf *c, dr_time_t ts)
{
	return ts / c->window.bucket;	/* times are positive here */
}

/* After dr_tracker_advance(now): window totals from the model. */
static void
check_windows(struct dr_tracker *t, struct model *m, dr_time_t now, int step)
{
	const struct dr_tracker_conf	*c = m->c;
	uint32_t			 want[NRES][DR_W_NCOUNTERS];
	struct dr_resolver		*r;
	int64_t				 hi = bidx(c, now), lo, b;
	int				 i, k, w;

	lo = hi - c->window.nbuckets + 1;
	memset(want, 0, sizeof(want));
	for (i = m->nq - 1; i >= 0 && m->q[i].ts >= (lo - 1) *
	    c->window.bucket; i--) {
		b = bidx(c, m->q[i].ts);
		if (b < lo || b > hi)
			continue;
		k = m->q[i].res;
		want[k][DR_W_QUERIES]++;
		switch (m->q[i].outcome) {
		case O_RESP:
			want[k][DR_W_RESPONSES]++;
			break;
		case O_ICMP:
			want[k][m->q[i].icmpc]++;
			break;
		case O_TIMEOUT:
			want[k][DR_W_TIMEOUTS]++;
			break;
		}
	}
	for (i = m->nb - 1; i >= 0 && m->b[i].ts >= (lo - 1) *
	    c->window.bucket; i--) {
		b = bidx(c, m->b[i].ts);
		if (b >= lo && b <= hi)
			want[m->b[i].res][m->b[i].c]++;
	}
	for (k = 0; k < NRES; k++) {
		if ((r = find(t, rnames[k])) == NULL)
			continue;
		for (w = DR_W_QUERIES; w < DR_W_NCOUNTERS; w++) {
			if (w == DR_W_SERVFAIL || w == DR_W_LATE)
				continue;	/* not modelled */
			ck_assert_msg(dr_window_total(r->win, w) ==
			    want[k][w], "step %d %s window %s: %u, model %u",
			    step, rnames[k], dr_wcounter_name(w),
			    dr_window_total(r->win, w), want[k][w]);
		}
	}
}

static struct dr_event
rev(enum dr_event_kind kind, int res, int client, uint16_t port,
    uint16_t id, dr_time_t ts)
{
	struct dr_event	ev = mk(kind, rnames[res], 0, port, id, ts);
	uint8_t		b6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
	    0, 0, 0, 0, 0, 0, 0, (uint8_t)client };

	if (ev.resolver.family == DR_AF_INET6)
		dr_addr_set6(&ev.client, b6);
	else
		ev.client = a4(client);
	return ev;
}

static void
random_run(uint32_t seed)
{
	struct dr_tracker_conf	 c = tconf();
	struct dr_tracker	*t;
	struct model		 m;
	struct dr_event		 ev, last;
	dr_time_t		 ts = T0;
	int			 step, k, x, res, client, has_dns, icmp6, i;
	int			 last_res = 0, last_client = 0;
	uint16_t		 port, id;
	uint8_t			 code, rcode;

	c.max_resolvers = 8;
	c.max_pending = MAXPEND;
	c.query_timeout = 2 * S;
	c.match_window = 5 * S;
	t = tnew(&c);
	memset(&m, 0, sizeof(m));
	m.c = &c;
	m.q = calloc(NSTEP, sizeof(*m.q));
	m.b = calloc(2 * NSTEP, sizeof(*m.b));
	ck_assert_ptr_nonnull(m.q);
	ck_assert_ptr_nonnull(m.b);
	memset(&last, 0, sizeof(last));
	srandom(seed);
	for (step = 0; step < NSTEP; step++) {
		x = (int)(random() % 1000);
		if (x < 30)
			ts += 1 + random() % (3 * S);	/* a lull */
		else if (x < 700)
			ts += random() % (60 * MS);
		res = (int)(random() % NRES);
		client = 1 + (int)(random() % NCLIENT);
		port = (uint16_t)(50000 + random() % 4);
		id = (uint16_t)(random() % 6);
		/* Aim at a query still in the table most of the time. */
		if (m.active > 0 && random() % 4 != 0) {
			i = m.first + (int)(random() % (m.nq - m.first));
			if (m.q[i].state != M_GONE) {
				res = m.q[i].res;
				client = m.q[i].client;
				port = m.q[i].port;
				id = m.q[i].id;
			}
		}
		icmp6 = strchr(rnames[res], ':') != NULL;
		x = (int)(random() % 100);
		if (x < 40) {
			ev = rev(DR_EV_QUERY, res, client, port, id, ts);
			m_query(&m, res, client, port, id, ts);
		} else if (x < 70) {
			rcode = (uint8_t)(random() % 4 == 0 ?
			    random() % 16 : 0);
			ev = rev(DR_EV_RESPONSE, res, client, port, id, ts);
			ev.rcode = rcode;
			m_response(&m, res, client, port, id, rcode, ts);
		} else if (x < 90) {
			has_dns = (int)(random() % 2);
			code = (uint8_t)(random() % 3 == 0 ? random() % 20 :
			    (icmp6 ? 4 : 3));
			ev = rev(DR_EV_UNREACH, res, client, port,
			    has_dns ? id : 0, ts);
			ev.has_dns = (uint8_t)has_dns;
			ev.icmp6 = (uint8_t)icmp6;
			ev.icmp_code = code;
			m_unreach(&m, res, client, port, has_dns, id, icmp6,
			    code, ts);
		} else if (x < 93) {
			ev = rev(DR_EV_TCP_RESET, res, client, port, 0, ts);
			ev.has_dns = 0;
			m_reset(&m, res, ts);
		} else if (x < 95) {
			ev = rev(DR_EV_LATE_RESPONSE, res, client, port, 0, ts);
			ev.has_dns = 0;
			ev.icmp_code = 3;
			m_expire(&m, ts);
			m.n[res].late++;
		} else if (x < 98 && last.kind != DR_EV_OTHER) {
			/* The same packet again, a little later. */
			ev = last;
			ev.ts = ts;
			res = last_res;
			client = last_client;
			switch (ev.kind) {
			case DR_EV_QUERY:
				m_query(&m, res, client,
				    ev.client_port, ev.id, ts);
				break;
			case DR_EV_RESPONSE:
				m_response(&m, res, client,
				    ev.client_port, ev.id,
				    ev.rcode, ts);
				break;
			case DR_EV_UNREACH:
				m_unreach(&m, res, client,
				    ev.client_port, ev.has_dns,
				    ev.id, ev.icmp6, ev.icmp_code, ts);
				break;
			case DR_EV_TCP_RESET:
				m_reset(&m, res, ts);
				break;
			default:
				m_expire(&m, ts);
				m.n[res].late++;
				break;
			}
		} else {
			dr_tracker_advance(t, ts);
			m_expire(&m, ts);
			check_counts(t, &m, step);
			check_windows(t, &m, ts, step);
			continue;
		}
		dr_tracker_event(t, &ev);
		last = ev;
		last_res = res;
		last_client = client;
		check_counts(t, &m, step);
		ck_assert_uint_eq(dr_tracker_npending(t), (size_t)m.active);
	}
	/* The end of the capture: whatever is out timed out. */
	dr_tracker_flush(t);
	for (i = m.first; i < m.nq; i++)
		if (m.q[i].state == M_OUT) {
			m.q[i].state = M_TIMEDOUT;
			m.q[i].outcome = O_TIMEOUT;
			m.n[m.q[i].res].timeouts++;
		}
	check_counts(t, &m, step);
	ck_assert_uint_eq(dr_tracker_stats(t)->resolver_table_full, 0);
	ck_assert_uint_gt(dr_tracker_stats(t)->pending_evictions, 0);
	for (k = 0; k < NRES; k++) {
		struct dr_resolver *r = find(t, rnames[k]);

		/* The run did exercise every path. */
		ck_assert_uint_gt(r->n.timeouts, 0);
		ck_assert_uint_gt(r->n.unmatched, 0);
		ck_assert_uint_gt(r->n.unmatched_responses, 0);
		ck_assert_uint_gt(r->n.unreachable - r->n.unmatched, 0);
		ck_assert_uint_gt(r->n.responses - r->n.unmatched_responses, 0);
	}
	free(m.q);
	free(m.b);
	dr_tracker_free(t);
}

START_TEST(test_random_invariants)
{
	random_run(20240601);
}
END_TEST

START_TEST(test_random_invariants2)
{
	random_run(99);
}
END_TEST

static Suite *
tracker_suite(void)
{
	Suite	*s = suite_create("tracker");
	TCase	*tc = tcase_create("core");
	TCase	*tr = tcase_create("random");

	tcase_add_test(tc, test_new_bad_conf);
	tcase_add_test(tc, test_query_response);
	tcase_add_test(tc, test_timeout);
	tcase_add_test(tc, test_late_answer_replaces_timeout);
	tcase_add_test(tc, test_retransmissions);
	tcase_add_test(tc, test_icmp_matching);
	tcase_add_test(tc, test_unmatched_icmp);
	tcase_add_test(tc, test_icmp_codes);
	tcase_add_test(tc, test_rcodes);
	tcase_add_test(tc, test_tcp_reset_and_late);
	tcase_add_test(tc, test_import_outcomes);
	tcase_add_test(tc, test_allowlist);
	tcase_add_test(tc, test_resolver_table_full);
	tcase_add_test(tc, test_pending_full);
	tcase_add_test(tc, test_flush);
	tcase_add_test(tc, test_iterate);
	tcase_add_test(tc, test_clients_estimate);
	tcase_add_test(tc, test_clients_over_time);
	tcase_add_test(tc, test_sample_qname);
	suite_add_tcase(s, tc);
	tcase_set_timeout(tr, 120);
	tcase_add_test(tr, test_random_invariants);
	tcase_add_test(tr, test_random_invariants2);
	suite_add_tcase(s, tr);
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
