/*
 * test_engine.c: real frames in, alerts out.
 *
 * Frames are built with tests/util_pkt.h and fed through
 * dr_engine_packet() with packet time as the clock, the way the daemon
 * and --read do; alerts are drained from the engine's queue.  The
 * alert's words and journal fields are checked here too.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "engine.h"
#include "sink.h"
#include "util_pkt.h"

#define S	DR_USEC
#define MS	1000LL
#define T0	(1700000000LL * S)
#define NAME	"www.example.com"
#define MAXAL	1024

#define R1	"203.0.113.2"
#define R2	"203.0.113.3"
#define R6	"2001:db8::53"
#define C1	"192.0.2.10"
#define C2	"192.0.2.11"
#define C3	"192.0.2.12"
#define ROUTER	"198.51.100.1"

struct alerts {
	int		n;
	struct dr_alert	a[MAXAL];
};

static uint8_t	ipbuf[PKT_MAX], icmpbuf[PKT_MAX], frame[PKT_MAX];
static uint8_t	dnsbuf[PKT_MAX];
static const char *const clients[3] = { C1, C2, C3 };
/* A frame may be held while its stamp is in doubt: do not count. */
static int	lenient;

/* The defaults, with tables that fit a test. */
static struct dr_config
cfg(void)
{
	struct dr_config	c;

	dr_config_defaults(&c);
	c.max_resolvers = 64;
	c.max_pending = 4096;
	return c;
}

static struct dr_engine *
enew(const struct dr_config *c, struct alerts *al)
{
	struct dr_engine	*e;

	memset(al, 0, sizeof(*al));
	e = dr_engine_new(c, 12345);
	ck_assert_ptr_nonnull(e);
	return e;
}

/*
 * Take what the engine queued, in order (alerts are in packet time: a
 * clock that steps back may tell an earlier time between two drains).
 */
static int
drain(struct dr_engine *e, struct alerts *al)
{
	int	n = 0;

	while (al->n < MAXAL && dr_engine_next_alert(e, &al->a[al->n])) {
		if (n > 0)
			ck_assert_int_le(al->a[al->n - 1].ts, al->a[al->n].ts);
		al->n++;
		n++;
	}
	ck_assert_uint_eq(dr_engine_queued_alerts(e), 0);
	return n;
}

static void
feed(struct dr_engine *e, const uint8_t *ip, size_t len, dr_time_t ts)
{
	const struct dr_engine_stats	*st = dr_engine_stats(e);
	uint64_t			 ok = st->decode[DR_DECODE_OK];
	size_t				 n;

	ck_assert_uint_gt(len, 0);
	n = pkt_link(frame, sizeof(frame), DR_DLT_EN10MB, 0, ip, len);
	ck_assert_uint_gt(n, len);
	dr_engine_packet(e, DR_DLT_EN10MB, frame, n, n, ts);
	ck_assert_msg(st->decode[DR_DECODE_OK] == ok + 1 ||
	    (lenient && st->decode[DR_DECODE_OK] >= ok),
	    "frame at %lld did not decode", (long long)ts);
}

/* The query as an IP packet in ipbuf; returns its length. */
static size_t
mkquery(const char *cli, uint16_t cport, const char *res, uint16_t id,
    const char *name)
{
	struct dr_addr	c = pkt_addr(cli), r = pkt_addr(res);
	size_t		n;

	n = pkt_dns(dnsbuf, sizeof(dnsbuf), id, 0, 0, name);
	ck_assert_uint_gt(n, 0);
	n = pkt_ip_udp(ipbuf, sizeof(ipbuf), &c, cport, &r, DR_DNS_PORT,
	    dnsbuf, n);
	ck_assert_uint_gt(n, 0);
	return n;
}

static void
query(struct dr_engine *e, const char *cli, uint16_t cport, const char *res,
    uint16_t id, const char *name, dr_time_t ts)
{
	feed(e, ipbuf, mkquery(cli, cport, res, id, name), ts);
}

static void
answer(struct dr_engine *e, const char *cli, uint16_t cport,
    const char *res, uint16_t id, const char *name, int rcode, dr_time_t ts)
{
	struct dr_addr	c = pkt_addr(cli), r = pkt_addr(res);
	size_t		n;

	n = pkt_dns(dnsbuf, sizeof(dnsbuf), id, 1, rcode, name);
	n = pkt_ip_udp(ipbuf, sizeof(ipbuf), &r, DR_DNS_PORT, &c, cport,
	    dnsbuf, n);
	feed(e, ipbuf, n, ts);
}

/* ICMP unreachable from `from` quoting the query, TTL as given. */
static void
icmp(struct dr_engine *e, const char *cli, uint16_t cport, const char *res,
    uint16_t id, const char *name, const char *from, uint8_t code,
    uint8_t ttl, dr_time_t ts)
{
	struct dr_addr	f = pkt_addr(from), c = pkt_addr(cli);
	size_t		qlen, n;

	qlen = mkquery(cli, cport, res, id, name);
	n = pkt_ip_icmp_unreach(icmpbuf, sizeof(icmpbuf), &f, &c, code,
	    ipbuf, qlen);
	ck_assert_uint_gt(n, 0);
	if (f.family == DR_AF_INET)
		icmpbuf[8] = ttl;
	else
		icmpbuf[7] = ttl;
	feed(e, icmpbuf, n, ts);
}

/* A query, and 1 ms later an ICMP unreachable quoting all of it. */
static void
query_icmp(struct dr_engine *e, const char *cli, uint16_t cport,
    const char *res, uint16_t id, const char *name, const char *from,
    uint8_t code, dr_time_t ts)
{
	query(e, cli, cport, res, id, name, ts);
	icmp(e, cli, cport, res, id, name, from, code, 64, ts + MS);
}

static void
ticks(struct dr_engine *e, dr_time_t from, dr_time_t to)
{
	dr_time_t	t;

	for (t = from; t <= to; t += S)
		dr_engine_tick(e, t);
}

static struct dr_resolver *
find(struct dr_engine *e, const char *res)
{
	struct dr_addr	a = pkt_addr(res);

	return dr_tracker_find(dr_engine_tracker(e), &a);
}

static const struct dr_resolver_counts *
cnt(struct dr_engine *e, const char *res)
{
	struct dr_resolver	*r = find(e, res);

	ck_assert_msg(r != NULL, "no resolver %s", res);
	return dr_resolver_counts(r);
}

static void
check_addr(const struct dr_addr *a, const char *want)
{
	char	buf[DR_ADDR_STRLEN];

	ck_assert_str_eq(dr_addr_format(a, buf, sizeof(buf)), want);
}

static void
msg_has(const struct dr_alert *a, const char *words)
{
	char	msg[1024];

	dr_alert_message(a, msg, sizeof(msg));
	ck_assert_msg(strstr(msg, words) != NULL, "\"%s\" not in: %s", words,
	    msg);
}

/* Ten queries from three clients, each refused by ICMP port 53. */
static void
incident(struct dr_engine *e, const char *res, const char *from,
    uint8_t code, dr_time_t t, int n)
{
	int	i;

	for (i = 0; i < n; i++)
		query_icmp(e, clients[i % 3], (uint16_t)(40000 + i), res,
		    (uint16_t)(100 + i), NAME, from, code, t + i * 40 * MS);
}

/*
 * Steady traffic from three clients, one query every step from from to
 * to (excluded): answered after 5 ms (how 0), refused by port
 * unreachable after 1 ms (1), or never answered (2).  Drains after
 * each packet; returns how many alerts came.
 */
static int
traffic(struct dr_engine *e, struct alerts *al, const char *res, int how,
    dr_time_t from, dr_time_t to, dr_time_t step)
{
	static uint16_t	 id;
	dr_time_t	 t;
	const char	*cl;
	uint16_t	 port;
	int		 n = 0, i;

	for (t = from, i = 0; t < to; t += step, i++) {
		cl = clients[i % 3];
		port = (uint16_t)(20000 + id % 20000);
		id++;
		query(e, cl, port, res, id, NAME, t);
		n += drain(e, al);
		if (how == 0)
			answer(e, cl, port, res, id, NAME, 0, t + 5 * MS);
		else if (how == 1)
			icmp(e, cl, port, res, id, NAME, res, 3, 64, t + MS);
		n += drain(e, al);
	}
	return n;
}

/* ---- outages ---- */

/*
 * A total outage by port unreachable: alerted within fast_window of its
 * onset, by the outcome that completes the run, not at the next tick
 * (the short window, diluted by the answers before, says so a little
 * later at T0 + 13 s).
 */
START_TEST(test_total_outage_fast)
{
	struct dr_config	 c = cfg();
	struct alerts		 al;
	struct dr_engine	*e = enew(&c, &al);
	struct dr_alert		*a;
	const dr_time_t		 on = T0 + 10 * S + 900 * MS;

	ck_assert_int_eq(traffic(e, &al, R1, 0, T0, on, 100 * MS), 0);
	ck_assert_int_eq(traffic(e, &al, R1, 1, on, on + 5 * S, 100 * MS),
	    1);
	a = &al.a[0];
	ck_assert_int_eq(a->event, DR_ALERT_FAILING);
	ck_assert_int_eq(a->detector, DR_DET_FAST);
	ck_assert_int_eq(a->cause, DR_CAUSE_NOT_LISTENING);
	check_addr(&a->resolver, R1);
	/* The failure known fast_window after the first one was. */
	ck_assert_int_eq(a->ts, on + c.fast_window + MS);
	ck_assert_int_ne(a->ts % S, 0);
	ck_assert_int_eq(a->since, on);
	ck_assert_uint_eq(a->failures, 16);
	ck_assert_uint_eq(a->queries, 16);
	ck_assert_uint_eq(a->unreachable, 16);
	ck_assert_uint_eq(a->by_class[DR_FAIL_PORT], 16);
	ck_assert(a->rate == 1.0);
	ck_assert(a->threshold == c.fast_threshold);
	ck_assert_uint_eq(a->clients, 3);
	ck_assert_str_eq(a->qname, NAME);
	check_addr(&a->icmp_from, R1);
	ck_assert_int_eq(a->icmp_hops, 0);
	msg_has(a, "resolver 203.0.113.2 failing: 16 of 16 DNS queries in "
	    "the last 1.5 s");
	msg_has(a, "got ICMP port unreachable (100%)");
	msg_has(a, "DNS service not listening");
	msg_has(a, "on 203.0.113.2 (the host is up and says port 53 is "
	    "closed)");
	ck_assert_uint_eq(dr_engine_nfailing(e), 1);
	ck_assert_uint_eq(dr_engine_stats(e)->alerts, 1);

	/* It answers again: recovered once the short window is clean. */
	ck_assert_int_eq(traffic(e, &al, R1, 0, on + 5 * S, on + 10 * S,
	    100 * MS), 1);
	a = &al.a[1];
	ck_assert_int_eq(a->event, DR_ALERT_RECOVERED);
	ck_assert_int_eq(a->detector, DR_DET_FAST);
	ck_assert_int_le(a->ts, on + 5 * S + c.fast_window + c.bucket);
	ck_assert_int_eq(a->cause, DR_CAUSE_NONE);
	ck_assert_int_eq(dr_alert_priority(a), LOG_NOTICE);
	msg_has(a, "resolver 203.0.113.2 recovered");
	ck_assert_uint_eq(dr_engine_nfailing(e), 0);
	/* And stays quiet. */
	ticks(e, on + 10 * S, on + 400 * S);
	ck_assert_int_eq(drain(e, &al), 0);
	ck_assert_uint_eq(cnt(e, R1)->alerts, 1);
	ck_assert_uint_eq(cnt(e, R1)->timeouts, 0);
	ck_assert_uint_eq(dr_engine_stats(e)->recoveries, 1);
	dr_engine_free(e);
}
END_TEST

/* No answer at all: alerted by query_timeout + fast_window. */
START_TEST(test_silent_drop)
{
	struct dr_config	 c = cfg();
	struct alerts		 al;
	struct dr_engine	*e = enew(&c, &al);
	struct dr_alert		*a;
	const dr_time_t		 on = T0 + 10 * S + 50 * MS;
	const dr_time_t		 back = on + 10 * S;

	/* At a tick, the short window: all the timeouts known so far. */
	ck_assert_int_eq(traffic(e, &al, R1, 0, T0, on, 100 * MS), 0);
	ck_assert_int_eq(traffic(e, &al, R1, 2, on, back, 100 * MS), 1);
	a = &al.a[0];
	ck_assert_int_eq(a->event, DR_ALERT_FAILING);
	ck_assert_int_eq(a->cause, DR_CAUSE_SILENT_DROP);
	ck_assert_int_le(a->ts, on + c.query_timeout + c.fast_window +
	    200 * MS);
	ck_assert_int_gt(a->ts, on + c.query_timeout);
	/* The first timeout's bucket: the window counts outcomes. */
	ck_assert_int_ge(a->since, on);
	ck_assert_int_le(a->since, on + c.query_timeout);
	ck_assert_uint_eq(a->unreachable, 0);
	ck_assert_uint_eq(a->timeouts, a->failures);
	ck_assert_uint_ge(a->timeouts, 5);
	ck_assert_uint_eq(a->clients, 3);
	msg_has(a, "got no answer at all");
	msg_has(a, "silent drop");
	/* Answers again: recovered once the last timeouts are in. */
	ck_assert_int_eq(traffic(e, &al, R1, 0, back, back + 10 * S,
	    100 * MS), 1);
	ck_assert_int_eq(al.a[1].event, DR_ALERT_RECOVERED);
	ck_assert_int_le(al.a[1].ts, back + c.query_timeout + 2 * S);
	/* Every query had one outcome: the silent ones timed out. */
	ck_assert_uint_eq(cnt(e, R1)->timeouts, 100);
	dr_engine_free(e);
}
END_TEST

/* The incident of the design: ten queries, ten ICMP port unreachables. */
START_TEST(test_incident_and_recovery)
{
	struct dr_config	 c = cfg();
	struct alerts		 al;
	struct dr_engine	*e = enew(&c, &al);
	struct dr_alert		*a;
	int			 i;

	incident(e, R1, R1, 3, T0, 10);
	ck_assert_int_eq(drain(e, &al), 0);
	ticks(e, T0 + S, T0 + 5 * S);
	ck_assert_int_eq(drain(e, &al), 1);
	a = &al.a[0];
	ck_assert_int_eq(a->event, DR_ALERT_FAILING);
	ck_assert_int_eq(a->reminder, 0);
	check_addr(&a->resolver, R1);
	/* Ten failures in the short window: the fast test, at a tick. */
	ck_assert_int_eq(a->detector, DR_DET_FAST);
	ck_assert_int_eq(a->ts, T0 + S);
	ck_assert_int_eq(a->since, T0);
	ck_assert_int_eq(a->window_span, c.fast_window);
	ck_assert_uint_eq(a->queries, 10);
	ck_assert_uint_eq(a->unreachable, 10);
	ck_assert_uint_eq(a->timeouts, 0);
	ck_assert_uint_eq(a->failures, 10);
	ck_assert(a->rate == 1.0);
	ck_assert_int_eq(a->cause, DR_CAUSE_NOT_LISTENING);
	ck_assert_str_eq(a->qname, NAME);
	ck_assert_uint_eq(a->clients, 3);
	ck_assert_uint_eq(a->capture_drops, 0);
	ck_assert_int_eq(dr_alert_priority(a), LOG_WARNING);
	ck_assert_str_eq(dr_alert_msgid(a->event), DR_MSGID_FAILING);
	msg_has(a, "10 of 10 DNS queries in the last 1.5 s");
	msg_has(a, "e.g. " NAME);

	/* Healthy answers: it recovers in a few answers. */
	for (i = 0; i < 50; i++) {
		query(e, C1, (uint16_t)(20000 + i), R1, (uint16_t)i,
		    "ok.example", T0 + 5 * S + i * 100 * MS);
		answer(e, C1, (uint16_t)(20000 + i), R1, (uint16_t)i,
		    "ok.example", 0, T0 + 5 * S + i * 100 * MS + 5 * MS);
	}
	ck_assert_int_eq(drain(e, &al), 1);
	a = &al.a[1];
	ck_assert_int_eq(a->event, DR_ALERT_RECOVERED);
	ck_assert_int_eq(a->detector, DR_DET_STREAK);
	ck_assert_int_eq(a->ts, T0 + 5 * S + 300 * MS + 5 * MS);
	msg_has(a, "the last 4 DNS queries to it were answered");
	/* Silence: nothing more to say. */
	ticks(e, T0 + 10 * S, T0 + 600 * S);
	ck_assert_int_eq(drain(e, &al), 0);
	ck_assert_uint_eq(cnt(e, R1)->queries, 10 + 50);
	ck_assert_uint_eq(cnt(e, R1)->responses, 50);
	ck_assert_uint_eq(cnt(e, R1)->unreachable, 10);
	ck_assert_uint_eq(cnt(e, R1)->unreach_by_code[3], 10);
	ck_assert_uint_eq(cnt(e, R1)->unmatched, 0);
	ck_assert_uint_eq(cnt(e, R1)->alerts, 1);
	ck_assert_uint_eq(dr_engine_stats(e)->packets, 20 + 100);
	ck_assert_uint_eq(dr_engine_stats(e)->kinds[DR_EV_UNREACH], 10);
	ck_assert_uint_eq(dr_engine_stats(e)->kinds[DR_EV_QUERY], 60);
	ck_assert_uint_eq(dr_engine_stats(e)->kinds[DR_EV_RESPONSE], 50);
	ck_assert_int_eq(dr_engine_now(e), T0 + 600 * S);
	dr_engine_free(e);
}
END_TEST

/* A second of failures in busy traffic, or two failures: no alert. */
START_TEST(test_blip)
{
	struct dr_config	 c = cfg();
	struct alerts		 al;
	struct dr_engine	*e = enew(&c, &al);
	const dr_time_t		 on = T0 + 20 * S;

	ck_assert_int_eq(traffic(e, &al, R1, 0, T0, on, 50 * MS), 0);
	ck_assert_int_eq(traffic(e, &al, R1, 1, on, on + 950 * MS, 50 * MS),
	    0);
	ck_assert_int_eq(traffic(e, &al, R1, 0, on + S, on + 30 * S,
	    50 * MS), 0);
	ck_assert_uint_eq(cnt(e, R1)->unreachable, 19);
	/* A quiet resolver, two failures in a row: not yet a streak. */
	query_icmp(e, C1, 1000, R2, 1, NAME, R2, 3, on + 40 * S);
	query_icmp(e, C1, 1001, R2, 2, NAME, R2, 3, on + 50 * S);
	ticks(e, on + 50 * S, on + 100 * S);
	ck_assert_int_eq(drain(e, &al), 0);
	/* The third, fast_window after the first: it is. */
	query_icmp(e, C1, 1002, R2, 3, NAME, R2, 3, on + 101 * S);
	ck_assert_int_eq(drain(e, &al), 1);
	ck_assert_int_eq(al.a[0].detector, DR_DET_STREAK);
	check_addr(&al.a[0].resolver, R2);
	ck_assert_uint_eq(al.a[0].failures, 3);
	dr_engine_free(e);
}
END_TEST

START_TEST(test_rcodes)
{
	static const struct {
		int		 rcode;
		enum dr_cause	 cause;
		const char	*words;
	} v[] = {
		{ 2, DR_CAUSE_SERVFAIL, "were answered SERVFAIL" },
		{ 5, DR_CAUSE_REFUSED, "were answered REFUSED" },
		{ 3, DR_CAUSE_NONE, NULL },	/* NXDOMAIN: an answer */
	};
	struct dr_config	 c = cfg();
	struct alerts		 al;
	struct dr_engine	*e;
	size_t			 i;
	int			 k;
	uint16_t		 port;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		e = enew(&c, &al);
		for (k = 0; k < 100; k++) {
			port = (uint16_t)(30000 + k);
			query(e, clients[k % 3], port, R1, (uint16_t)k, NAME,
			    T0 + k * 100 * MS);
			answer(e, clients[k % 3], port, R1, (uint16_t)k, NAME,
			    v[i].rcode, T0 + k * 100 * MS + 20 * MS);
		}
		ticks(e, T0 + 10 * S, T0 + 20 * S);
		drain(e, &al);
		if (v[i].words == NULL) {
			ck_assert_int_eq(al.n, 0);
			ck_assert_uint_eq(cnt(e, R1)->rcodes[DR_RC_NXDOMAIN],
			    100);
			dr_engine_free(e);
			continue;
		}
		ck_assert_int_ge(al.n, 1);
		ck_assert_int_eq(al.a[0].event, DR_ALERT_FAILING);
		ck_assert_int_eq(al.a[0].cause, v[i].cause);
		/* Ten bad answers by the first tick: the short window. */
		ck_assert_int_eq(al.a[0].ts, T0 + S);
		ck_assert_int_eq(al.a[0].detector, DR_DET_FAST);
		ck_assert_uint_eq(al.a[0].unreachable, 0);
		ck_assert_uint_eq(al.a[0].timeouts, 0);
		if (v[i].rcode == 2)
			ck_assert_uint_eq(al.a[0].servfail, al.a[0].failures);
		else
			ck_assert_uint_eq(al.a[0].refused, al.a[0].failures);
		msg_has(&al.a[0], v[i].words);
		msg_has(&al.a[0], dr_cause_text(v[i].cause));
		dr_engine_free(e);
	}
}
END_TEST

/*
 * The incident that started it all: one client, a query every two
 * minutes, each answered 4 to 44 s later by port unreachable from the
 * resolver itself.  Replayed from a savefile: packets only.
 */
START_TEST(test_seed_incident)
{
	static const dr_time_t	 delay[3] = { 4 * S, 44 * S, 20 * S };
	const char		*cl = "198.51.100.15";
	struct dr_config	 c = cfg();
	struct alerts		 al;
	struct dr_engine	*e = enew(&c, &al);
	int			 i, found = 0;

	for (i = 0; i < 3; i++) {
		query(e, cl, (uint16_t)(33000 + i), R1, (uint16_t)(7 + i),
		    NAME, T0 + i * 120 * S);
		icmp(e, cl, (uint16_t)(33000 + i), R1, (uint16_t)(7 + i),
		    NAME, R1, 3, 64, T0 + i * 120 * S + delay[i]);
	}
	dr_engine_finish(e);
	drain(e, &al);
	ck_assert_int_ge(al.n, 1);
	ck_assert_int_eq(al.a[0].event, DR_ALERT_FAILING);
	check_addr(&al.a[0].resolver, R1);
	for (i = 0; i < al.n; i++)
		if ((al.a[i].event == DR_ALERT_FAILING ||
		    al.a[i].event == DR_ALERT_UPDATED) &&
		    al.a[i].cause == DR_CAUSE_NOT_LISTENING) {
			found = 1;
			msg_has(&al.a[i], "DNS service not listening");
			msg_has(&al.a[i], "on 203.0.113.2");
		}
	ck_assert_msg(found, "no alert says service-not-listening");
	ck_assert_uint_eq(cnt(e, R1)->queries, 3);
	ck_assert_uint_eq(cnt(e, R1)->unreachable, 3);
	ck_assert_uint_eq(cnt(e, R1)->unmatched, 0);
	/* Each ICMP replaced its query's timeout. */
	ck_assert_uint_eq(cnt(e, R1)->timeouts, 0);
	dr_engine_free(e);
}
END_TEST

/*
 * The same, live: a tick every second.  Nobody asks any more after the
 * third query, so it recovers for idleness, and stays recovered: the
 * old failures are no evidence of a new outage.
 */
START_TEST(test_seed_incident_live)
{
	static const dr_time_t	 delay[3] = { 4 * S, 44 * S, 20 * S };
	const char		*cl = "198.51.100.15";
	struct dr_config	 c = cfg();
	struct alerts		 al;
	struct dr_engine	*e = enew(&c, &al);
	dr_time_t		 t = T0;
	int			 i;

	for (i = 0; i < 3; i++) {
		ticks(e, t, T0 + i * 120 * S - 1);
		query(e, cl, (uint16_t)(33000 + i), R1, (uint16_t)(7 + i),
		    NAME, T0 + i * 120 * S);
		ticks(e, T0 + i * 120 * S + S, T0 + i * 120 * S + delay[i] -
		    1);
		icmp(e, cl, (uint16_t)(33000 + i), R1, (uint16_t)(7 + i),
		    NAME, R1, 3, 64, T0 + i * 120 * S + delay[i]);
		t = T0 + i * 120 * S + delay[i] + S;
	}
	ticks(e, t, T0 + 3600 * S);
	drain(e, &al);
	ck_assert_int_eq(al.n, 2);
	ck_assert_int_eq(al.a[0].event, DR_ALERT_FAILING);
	ck_assert_int_eq(al.a[0].cause, DR_CAUSE_NOT_LISTENING);
	ck_assert_int_eq(al.a[1].event, DR_ALERT_RECOVERED);
	ck_assert_int_eq(al.a[1].detector, DR_DET_IDLE);
	ck_assert_int_eq(al.a[1].ts, T0 + 260 * S + c.idle_clear);
	ck_assert_uint_eq(dr_engine_nfailing(e), 0);
	dr_engine_free(e);
}
END_TEST

/* A silent drop turns out to be port unreachable: one update. */
START_TEST(test_updated)
{
	struct dr_config	 c = cfg();
	struct alerts		 al;
	struct dr_engine	*e = enew(&c, &al);
	int			 i;

	for (i = 0; i < 30; i++)
		query(e, clients[i % 3], (uint16_t)(40000 + i), R1,
		    (uint16_t)i, NAME, T0 + i * 100 * MS);
	ticks(e, T0 + 3 * S, T0 + 6 * S);
	drain(e, &al);
	ck_assert_int_eq(al.n, 1);
	ck_assert_int_eq(al.a[0].cause, DR_CAUSE_SILENT_DROP);
	/* The ICMP errors were only late. */
	for (i = 0; i < 30; i++)
		icmp(e, clients[i % 3], (uint16_t)(40000 + i), R1,
		    (uint16_t)i, NAME, R1, 3, 64, T0 + 6 * S + i * MS);
	ticks(e, T0 + 7 * S, T0 + 30 * S);
	drain(e, &al);
	ck_assert_int_eq(al.n, 2);
	ck_assert_int_eq(al.a[1].event, DR_ALERT_UPDATED);
	ck_assert_int_eq(al.a[1].cause, DR_CAUSE_NOT_LISTENING);
	ck_assert_int_eq(al.a[1].prev_cause, DR_CAUSE_SILENT_DROP);
	ck_assert_int_eq(al.a[1].since, al.a[0].since);
	ck_assert_int_eq(dr_alert_droppable(&al.a[1]), 1);
	msg_has(&al.a[1], "still failing, the evidence now points to "
	    "service-not-listening (not silent-drop)");
	ck_assert_uint_eq(dr_engine_stats(e)->updates, 1);
	ck_assert_uint_eq(cnt(e, R1)->timeouts, 0);
	ck_assert_uint_eq(cnt(e, R1)->alerts, 1);
	dr_engine_free(e);
}
END_TEST

/* Failing again soon after a recovery: one flapping alert. */
START_TEST(test_flapping)
{
	struct dr_config	 c = cfg();
	struct alerts		 al;
	struct dr_engine	*e = enew(&c, &al);
	dr_time_t		 t = T0;
	int			 i;

	for (i = 0; i < 6; i++) {
		traffic(e, &al, R1, 1, t, t + 5 * S, 100 * MS);
		traffic(e, &al, R1, 0, t + 5 * S, t + 15 * S, 100 * MS);
		t += 15 * S;
	}
	ck_assert_int_eq(al.n, 3);
	ck_assert_int_eq(al.a[0].event, DR_ALERT_FAILING);
	ck_assert_int_eq(al.a[1].event, DR_ALERT_RECOVERED);
	ck_assert_int_eq(al.a[2].event, DR_ALERT_FLAPPING);
	ck_assert_int_eq(dr_alert_droppable(&al.a[2]), 0);
	ck_assert_str_eq(dr_alert_msgid(al.a[2].event), DR_MSGID_FLAPPING);
	msg_has(&al.a[2], "flapping");
	ck_assert_uint_eq(dr_engine_nfailing(e), 1);
	/* Up for flap_window: now it is over. */
	traffic(e, &al, R1, 0, t, t + c.flap_window + 2 * S, 100 * MS);
	ck_assert_int_eq(al.n, 4);
	ck_assert_int_eq(al.a[3].event, DR_ALERT_RECOVERED);
	ck_assert_uint_eq(dr_engine_nfailing(e), 0);
	ck_assert_uint_eq(dr_engine_stats(e)->flaps, 1);
	ck_assert_uint_eq(dr_engine_stats(e)->alerts, 1);
	ck_assert_uint_eq(dr_engine_stats(e)->recoveries, 2);
	dr_engine_free(e);
}
END_TEST

START_TEST(test_slow)
{
	struct dr_config	 c = cfg();
	struct alerts		 al;
	struct dr_engine	*e = enew(&c, &al);
	dr_time_t		 t;
	int			 i;
	uint16_t		 port;

	/* Every answer 1.5 s late, for a whole window. */
	for (t = T0, i = 0; t < T0 + 30 * S; t += 200 * MS, i++) {
		port = (uint16_t)(20000 + i);
		query(e, clients[i % 3], port, R1, (uint16_t)i, NAME, t);
		answer(e, clients[i % 3], port, R1, (uint16_t)i, NAME, 0,
		    t + 1500 * MS);
	}
	drain(e, &al);
	ck_assert_int_eq(al.n, 1);
	ck_assert_int_eq(al.a[0].event, DR_ALERT_SLOW);
	ck_assert_int_eq(al.a[0].detector, DR_DET_SLOW);
	ck_assert_uint_gt(al.a[0].p95_ms, 1000);
	ck_assert_uint_le(al.a[0].p95_ms, 2000);
	ck_assert_uint_eq(al.a[0].slow_threshold_ms, 1000);
	ck_assert_int_eq(al.a[0].cause, DR_CAUSE_NONE);
	msg_has(&al.a[0], "slow: 95% of its answers within");
	msg_has(&al.a[0], "(threshold 1000 ms)");
	ck_assert_uint_eq(dr_engine_nslow(e), 1);
	ck_assert_uint_eq(dr_engine_nfailing(e), 0);
	ck_assert_uint_eq(cnt(e, R1)->slow_alerts, 1);
	/* Fast again: over, once the slow answers leave the window. */
	for (; t < T0 + 90 * S; t += 200 * MS, i++) {
		port = (uint16_t)(20000 + i);
		query(e, clients[i % 3], port, R1, (uint16_t)i, NAME, t);
		answer(e, clients[i % 3], port, R1, (uint16_t)i, NAME, 0,
		    t + 20 * MS);
	}
	drain(e, &al);
	ck_assert_int_eq(al.n, 2);
	ck_assert_int_eq(al.a[1].event, DR_ALERT_SLOW_RECOVERED);
	ck_assert_uint_le(al.a[1].p95_ms, 1000);
	msg_has(&al.a[1], "answers in time again");
	ck_assert_uint_eq(dr_engine_nslow(e), 0);
	ck_assert_uint_eq(dr_engine_stats(e)->slow, 1);
	ck_assert_uint_eq(dr_engine_stats(e)->slow_recoveries, 1);
	dr_engine_free(e);
}
END_TEST

/* ---- causes and words ---- */

START_TEST(test_causes)
{
	static const struct {
		const char	*res, *from;
		uint8_t		 code, ttl;
		enum dr_cause	 cause;
		int		 hops;
		const char	*words;
	} v[] = {
		{ R1, ROUTER, 13, 61, DR_CAUSE_FIREWALL, 3,
		    "administratively prohibited" },
		{ R1, ROUTER, 10, 250, DR_CAUSE_FIREWALL, 5,
		    "(router 198.51.100.1, 5 hops away says so, not the "
		    "resolver)" },
		{ R1, R1, 13, 64, DR_CAUSE_FIREWALL, 0,
		    "on 203.0.113.2 itself (its own firewall rejects port "
		    "53)" },
		{ R1, ROUTER, 3, 63, DR_CAUSE_FIREWALL, 1,
		    "port unreachable from another host" },
		{ R1, ROUTER, 1, 62, DR_CAUSE_HOST_DOWN, 2,
		    "(router 198.51.100.1, 2 hops away says so, not the "
		    "resolver)" },
		{ R1, ROUTER, 0, 64, DR_CAUSE_HOST_DOWN, 0,
		    "host or network" },
		{ R1, ROUTER, 2, 64, DR_CAUSE_UNREACH_OTHER, 0,
		    "destination unreachable" },
		{ R6, R6, 4, 64, DR_CAUSE_NOT_LISTENING, 0,
		    "DNS service not listening" },
		{ R6, "2001:db8:1::1", 1, 60, DR_CAUSE_FIREWALL, 4,
		    "administratively prohibited" },
		{ R6, "2001:db8:1::1", 3, 64, DR_CAUSE_HOST_DOWN, 0,
		    "host or network" },
	};
	struct dr_config	 c = cfg();
	struct alerts		 al;
	struct dr_engine	*e;
	const char		*cl;
	size_t			 i;
	int			 k;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		e = enew(&c, &al);
		cl = strchr(v[i].res, ':') ? "2001:db8:2::10" : C1;
		for (k = 0; k < 8; k++) {
			query(e, cl, (uint16_t)(40000 + k), v[i].res,
			    (uint16_t)k, NAME, T0 + k * 10 * MS);
			icmp(e, cl, (uint16_t)(40000 + k), v[i].res,
			    (uint16_t)k, NAME, v[i].from, v[i].code,
			    v[i].ttl, T0 + k * 10 * MS + MS);
		}
		ticks(e, T0 + S, T0 + 3 * S);
		drain(e, &al);
		ck_assert_msg(al.n == 1, "%s code %u: %d alerts", v[i].res,
		    v[i].code, al.n);
		ck_assert_int_eq(al.a[0].cause, v[i].cause);
		ck_assert_int_eq(al.a[0].detector, DR_DET_WINDOW);
		check_addr(&al.a[0].resolver, v[i].res);
		check_addr(&al.a[0].icmp_from, v[i].from);
		ck_assert_int_eq(al.a[0].icmp_hops, v[i].hops);
		ck_assert_uint_eq(al.a[0].unreachable, 8);
		ck_assert_uint_eq(al.a[0].queries, 8);
		ck_assert_int_eq(al.a[0].window_span, c.window);
		ck_assert_str_eq(al.a[0].qname, NAME);
		ck_assert_uint_eq(cnt(e, v[i].res)->unreach_by_code[v[i].code],
		    8);
		/* The router that said so is not a resolver. */
		ck_assert_uint_eq(dr_tracker_nresolvers(dr_engine_tracker(e)),
		    1);
		msg_has(&al.a[0], v[i].words);
		msg_has(&al.a[0], v[i].res);
		dr_engine_free(e);
	}
}
END_TEST

/* DNS over TCP refused: "not listening", counted apart from ICMP. */
START_TEST(test_tcp_reset)
{
	struct dr_config	 c = cfg();
	struct alerts		 al;
	struct dr_engine	*e = enew(&c, &al);
	struct dr_addr		 cl, rs = pkt_addr(R1);
	size_t			 n;
	int			 i;

	/* Resets nobody asked for: forged, or closing idle connections. */
	for (i = 0; i < 10; i++) {
		cl = pkt_addr(clients[i % 3]);
		n = pkt_ip_tcp(ipbuf, sizeof(ipbuf), &rs, 53, &cl,
		    (uint16_t)(30000 + i), PKT_TH_RST | PKT_TH_ACK, NULL, 0);
		feed(e, ipbuf, n, T0 + i * 50 * MS);
	}
	ticks(e, T0 + S, T0 + 10 * S);
	ck_assert_int_eq(drain(e, &al), 0);
	ck_assert_ptr_null(find(e, R1));
	/* Connections refused. */
	for (i = 0; i < 10; i++) {
		cl = pkt_addr(clients[i % 3]);
		n = pkt_ip_tcp(ipbuf, sizeof(ipbuf), &cl,
		    (uint16_t)(31000 + i), &rs, 53, PKT_TH_SYN, NULL, 0);
		feed(e, ipbuf, n, T0 + 20 * S + i * 50 * MS);
		n = pkt_ip_tcp(ipbuf, sizeof(ipbuf), &rs, 53, &cl,
		    (uint16_t)(31000 + i), PKT_TH_RST | PKT_TH_ACK, NULL, 0);
		feed(e, ipbuf, n, T0 + 20 * S + i * 50 * MS + MS);
	}
	ticks(e, T0 + 21 * S, T0 + 22 * S);
	ck_assert_int_eq(drain(e, &al), 1);
	ck_assert_int_eq(al.a[0].cause, DR_CAUSE_NOT_LISTENING);
	ck_assert_uint_eq(al.a[0].tcp_resets, 10);
	ck_assert_uint_eq(al.a[0].unreachable, 0);
	ck_assert_uint_eq(al.a[0].failures, 10);
	msg_has(&al.a[0], "were refused (TCP reset)");
	ck_assert_uint_eq(cnt(e, R1)->tcp_resets, 10);
	ck_assert_uint_eq(cnt(e, R1)->tcp_unmatched_resets, 0);
	ck_assert_uint_eq(dr_engine_stats(e)->kinds[DR_EV_TCP_SYN], 10);
	ck_assert_uint_eq(dr_engine_stats(e)->kinds[DR_EV_TCP_RESET], 20);
	dr_engine_free(e);
}
END_TEST

START_TEST(test_reminder)
{
	struct dr_config	 c = cfg();
	struct alerts		 al;
	struct dr_engine	*e;
	dr_time_t		 t;
	int			 i, k;

	c.realert_interval = 30 * S;
	e = enew(&c, &al);
	for (t = T0, k = 0; t < T0 + 75 * S; t += 500 * MS, k++)
		query_icmp(e, C1, (uint16_t)(40000 + k % 1000), R1,
		    (uint16_t)k, NAME, R1, 3, t);
	ticks(e, T0 + 75 * S, T0 + 75 * S);
	drain(e, &al);
	/* Failing at 1.5 s, reminders 30 s apart, at ticks. */
	ck_assert_int_eq(al.n, 3);
	ck_assert_int_eq(al.a[0].reminder, 0);
	ck_assert_int_eq(al.a[0].ts, T0 + c.fast_window + MS);
	for (i = 1; i < 3; i++) {
		ck_assert_int_eq(al.a[i].event, DR_ALERT_FAILING);
		ck_assert_int_eq(al.a[i].reminder, 1);
		ck_assert_int_ge(al.a[i].ts, al.a[i - 1].ts + 30 * S);
		ck_assert_int_lt(al.a[i].ts, al.a[i - 1].ts + 31 * S);
		ck_assert_int_eq(al.a[i].since, al.a[0].since);
		ck_assert_int_eq(al.a[i].cause, DR_CAUSE_NOT_LISTENING);
		ck_assert_int_eq(dr_alert_droppable(&al.a[i]), 1);
	}
	msg_has(&al.a[1], "still failing");
	ck_assert_uint_eq(cnt(e, R1)->alerts, 1);
	ck_assert_uint_eq(dr_engine_stats(e)->reminders, 2);
	dr_engine_free(e);
}
END_TEST

START_TEST(test_held_for_capture_loss)
{
	struct dr_config	 c = cfg();
	struct alerts		 al;
	struct dr_engine	*e = enew(&c, &al);
	int			 i;

	/* R1 silently drops, R2 refuses: the capture lost a lot. */
	for (i = 0; i < 10; i++) {
		query(e, C1, (uint16_t)(30000 + i), R1, (uint16_t)i, NAME,
		    T0 + i * 50 * MS);
		query_icmp(e, C2, (uint16_t)(30000 + i), R2, (uint16_t)i,
		    NAME, R2, 3, T0 + i * 50 * MS);
	}
	dr_engine_capture_stats(e, 5000, 400, 100, T0 + 600 * MS);
	ticks(e, T0 + S, T0 + 8 * S);
	drain(e, &al);
	ck_assert_int_eq(al.n, 1);
	check_addr(&al.a[0].resolver, R2);
	ck_assert_uint_eq(al.a[0].capture_drops, 500);
	msg_has(&al.a[0], "capture lost 500 packets");
	ck_assert_uint_gt(dr_engine_stats(e)->held, 0);
	ck_assert_uint_eq(dr_engine_stats(e)->capture_received, 5000);
	ck_assert_uint_eq(dr_engine_stats(e)->capture_dropped, 400);
	ck_assert_uint_eq(dr_engine_stats(e)->capture_ifdropped, 100);
	ck_assert_int_eq(dr_resolver_cstate(find(e, R1))->failing, 0);
	ck_assert_uint_eq(cnt(e, R1)->timeouts, 10);
	/* Same counters again: no new loss. */
	dr_engine_capture_stats(e, 6000, 400, 100, T0 + 8 * S);
	dr_engine_free(e);

	/* Without the loss the same silent drop alerts. */
	e = enew(&c, &al);
	for (i = 0; i < 10; i++)
		query(e, C1, (uint16_t)(30000 + i), R1, (uint16_t)i, NAME,
		    T0 + i * 50 * MS);
	dr_engine_capture_stats(e, 5000, 3, 0, T0 + 600 * MS);
	ticks(e, T0 + S, T0 + 8 * S);
	drain(e, &al);
	ck_assert_int_eq(al.n, 1);
	ck_assert_int_eq(al.a[0].cause, DR_CAUSE_SILENT_DROP);
	ck_assert_uint_eq(al.a[0].capture_drops, 3);
	ck_assert_uint_eq(dr_engine_stats(e)->held, 0);
	dr_engine_free(e);
}
END_TEST

/* ---- the capture ---- */

/*
 * A capture that goes down must not turn into a recovery: an empty
 * window then is our blindness, not the resolver's health.
 */
START_TEST(test_capture_gap_is_not_recovery)
{
	struct dr_config	 c = cfg();
	struct alerts		 al;
	struct dr_engine	*e;
	dr_time_t		 t;
	int			 i;

	c.idle_clear = 30 * S;
	e = enew(&c, &al);
	incident(e, R1, R1, 3, T0, 10);
	ticks(e, T0 + S, T0 + 2 * S);
	ck_assert_int_eq(drain(e, &al), 1);

	/* Queries out when the capture goes blind are not timeouts. */
	query(e, C1, 20001, R2, 1, "lost.example", T0 + 2 * S - 10 * MS);
	query(e, C1, 20002, R2, 2, "lost.example", T0 + 2 * S - 5 * MS);

	/* Down for a minute: nothing is judged. */
	dr_engine_capture_state(e, 0, T0 + 2 * S);
	ck_assert_uint_eq(cnt(e, R2)->evicted, 2);
	ck_assert_uint_eq(cnt(e, R2)->timeouts, 0);
	ticks(e, T0 + 3 * S, T0 + 60 * S);
	ck_assert_int_eq(drain(e, &al), 0);
	ck_assert_uint_eq(dr_engine_nfailing(e), 1);

	/* Back, still silent: no recovery for one window. */
	dr_engine_capture_state(e, 1, T0 + 60 * S);
	ticks(e, T0 + 61 * S, T0 + 79 * S);
	ck_assert_int_eq(drain(e, &al), 0);
	/* After it, idleness is idleness again. */
	ticks(e, T0 + 80 * S, T0 + 81 * S);
	ck_assert_int_eq(drain(e, &al), 1);
	ck_assert_int_eq(al.a[1].event, DR_ALERT_RECOVERED);
	ck_assert_int_eq(al.a[1].detector, DR_DET_IDLE);
	msg_has(&al.a[1], "no queries to it in the last 30 s");

	/* Real answers clear it, blind or not. */
	incident(e, R1, R1, 3, T0 + 200 * S, 10);
	ticks(e, T0 + 201 * S, T0 + 202 * S);
	ck_assert_int_eq(drain(e, &al), 1);
	dr_engine_capture_state(e, 0, T0 + 203 * S);
	dr_engine_capture_state(e, 1, T0 + 210 * S);
	for (t = T0 + 211 * S, i = 0; i < 5; t += 100 * MS, i++) {
		query(e, C1, (uint16_t)(20100 + i), R1, (uint16_t)i,
		    "ok.example", t);
		answer(e, C1, (uint16_t)(20100 + i), R1, (uint16_t)i,
		    "ok.example", 0, t + 5 * MS);
	}
	ck_assert_int_eq(drain(e, &al), 1);
	ck_assert_int_eq(al.a[3].event, DR_ALERT_RECOVERED);
	ck_assert_int_lt(al.a[3].ts, T0 + 212 * S);
	dr_engine_free(e);
}
END_TEST

/* Nothing is judged while the capture is down, not even on packets. */
START_TEST(test_capture_down_no_verdict)
{
	struct dr_config	 c = cfg();
	struct alerts		 al;
	struct dr_engine	*e = enew(&c, &al);

	dr_engine_capture_state(e, 0, T0);
	incident(e, R1, R1, 3, T0, 30);
	ticks(e, T0 + S, T0 + 5 * S);
	ck_assert_int_eq(drain(e, &al), 0);
	dr_engine_capture_state(e, 1, T0 + 5 * S);
	ticks(e, T0 + 6 * S, T0 + 6 * S);
	ck_assert_int_eq(drain(e, &al), 1);
	dr_engine_free(e);
}
END_TEST

/* ---- savefiles and the clock ---- */

/* The end of a savefile judges the last bucket. */
START_TEST(test_finish)
{
	struct dr_config	 c = cfg();
	struct alerts		 al;
	struct dr_engine	*e = enew(&c, &al);
	int			 i;

	for (i = 0; i < 6; i++)
		query_icmp(e, C1, (uint16_t)(30000 + i), R1, (uint16_t)i,
		    NAME, R1, 3, T0 + 200 * MS + i * 50 * MS);
	ck_assert_int_eq(drain(e, &al), 0);
	dr_engine_finish(e);
	ck_assert_int_eq(drain(e, &al), 1);
	ck_assert_int_eq(al.a[0].event, DR_ALERT_FAILING);
	ck_assert_int_eq(al.a[0].ts, T0 + S);
	ck_assert_uint_eq(al.a[0].failures, 6);
	dr_engine_free(e);

	/* Queries still out end as timeouts, with no verdict on them. */
	e = enew(&c, &al);
	for (i = 0; i < 5; i++)
		query(e, C1, (uint16_t)(30000 + i), R1, (uint16_t)i, NAME,
		    T0 + i * MS);
	answer(e, C1, 30000, R1, 0, NAME, 2, T0 + 10 * MS);
	dr_engine_finish(e);
	ck_assert_uint_eq(cnt(e, R1)->queries, 5);
	ck_assert_uint_eq(cnt(e, R1)->responses, 1);
	ck_assert_uint_eq(cnt(e, R1)->rcodes[DR_RC_SERVFAIL], 1);
	ck_assert_uint_eq(cnt(e, R1)->timeouts, 4);
	ck_assert_uint_eq(cnt(e, R1)->unmatched_responses, 0);
	ck_assert_int_eq(drain(e, &al), 0);
	/* Finishing twice changes no count. */
	dr_engine_finish(e);
	ck_assert_uint_eq(cnt(e, R1)->timeouts, 4);
	ck_assert_uint_eq(cnt(e, R1)->queries, 5);
	dr_engine_free(e);

	/* An engine that saw nothing finishes quietly. */
	e = enew(&c, &al);
	dr_engine_finish(e);
	ck_assert_int_eq(drain(e, &al), 0);
	dr_engine_free(e);
}
END_TEST

/* One packet stamped two hours ahead changes nothing. */
START_TEST(test_clock_suspect)
{
	struct dr_config	 c = cfg();
	struct alerts		 al;
	struct dr_engine	*e = enew(&c, &al);
	const dr_time_t		 on = T0 + 10 * S + 900 * MS;

	lenient = 1;
	traffic(e, &al, R1, 0, T0, T0 + 5 * S, 100 * MS);
	query(e, C1, 999, R1, 999, NAME, T0 + 5 * S + 7200 * S);
	traffic(e, &al, R1, 0, T0 + 5 * S + 100 * MS, on, 100 * MS);
	lenient = 0;
	ck_assert_uint_eq(dr_engine_stats(e)->suspect_time, 1);
	ck_assert_uint_eq(dr_engine_stats(e)->clock_steps, 0);
	ck_assert_int_lt(dr_engine_now(e), on);
	ck_assert_int_eq(al.n, 0);
	/* The real outage after it is seen, fast. */
	traffic(e, &al, R1, 1, on, on + 5 * S, 100 * MS);
	ck_assert_int_eq(al.n, 1);
	ck_assert_int_eq(al.a[0].ts, on + c.fast_window + MS);
	ck_assert_int_eq(al.a[0].since, on);
	/* The odd query was taken at the engine's time. */
	ck_assert_uint_eq(cnt(e, R1)->queries, 50 + 1 + 58 + 50);
	dr_engine_free(e);
}
END_TEST

/* The clock steps back for good: the engine follows, and still alerts. */
START_TEST(test_clock_step_back)
{
	struct dr_config	 c = cfg();
	struct alerts		 al;
	struct dr_engine	*e = enew(&c, &al);
	const dr_time_t		 back = T0 + 10 * S - 7200 * S;
	dr_time_t		 now;

	traffic(e, &al, R1, 0, T0, T0 + 10 * S, 100 * MS);
	now = dr_engine_now(e);
	lenient = 1;
	traffic(e, &al, R1, 0, back, back + 10 * S, 100 * MS);
	lenient = 0;
	ck_assert_uint_eq(dr_engine_stats(e)->clock_steps, 1);
	ck_assert_uint_eq(dr_engine_stats(e)->suspect_time, 0);
	/* Re-based: the engine's time went on, never back. */
	ck_assert_int_gt(dr_engine_now(e), now);
	ck_assert_int_lt(dr_engine_now(e), now + 11 * S);
	ck_assert_int_eq(al.n, 0);
	/* An outage after the step is alerted as fast as ever. */
	traffic(e, &al, R1, 1, back + 10 * S, back + 15 * S, 100 * MS);
	ck_assert_int_eq(al.n, 1);
	ck_assert_int_eq(al.a[0].event, DR_ALERT_FAILING);
	ck_assert_int_eq(al.a[0].detector, DR_DET_FAST);
	ck_assert_int_le(al.a[0].ts - al.a[0].since, c.fast_window + MS);
	/* Told in packet time, as the packets said it. */
	ck_assert_int_gt(al.a[0].ts, back + 10 * S);
	ck_assert_int_lt(al.a[0].ts, back + 15 * S);
	ck_assert_int_ge(al.a[0].since, back + 10 * S);
	/* And its end. */
	traffic(e, &al, R1, 0, back + 15 * S, back + 20 * S, 100 * MS);
	ck_assert_int_eq(al.n, 2);
	ck_assert_int_eq(al.a[1].event, DR_ALERT_RECOVERED);
	dr_engine_free(e);
}
END_TEST

/*
 * Live, the daemon's ticks come from the same clock as the packets:
 * after it stepped back, the ticks must be re-based too, or they are
 * ignored as old and nothing clears in silence.
 */
START_TEST(test_clock_step_back_ticks)
{
	struct dr_config	 c = cfg();
	struct alerts		 al;
	struct dr_engine	*e = enew(&c, &al);
	const dr_time_t		 back = T0 + 10 * S - 7200 * S;
	dr_time_t		 t;

	c.idle_clear = 30 * S;
	ck_assert_int_eq(dr_engine_reconfigure(e, &c), 1);
	traffic(e, &al, R1, 0, T0, T0 + 10 * S, 100 * MS);
	ticks(e, T0 + S, T0 + 10 * S);
	lenient = 1;
	traffic(e, &al, R1, 0, back, back + 5 * S, 100 * MS);
	lenient = 0;
	ck_assert_uint_eq(dr_engine_stats(e)->clock_steps, 1);
	traffic(e, &al, R1, 1, back + 5 * S, back + 10 * S, 100 * MS);
	ck_assert_int_eq(al.n, 1);
	ck_assert_int_eq(al.a[0].event, DR_ALERT_FAILING);
	/* Silence, ticking by the stepped clock: idleness clears it. */
	for (t = back + 10 * S; t < back + 100 * S; t += S) {
		dr_engine_tick(e, t);
		drain(e, &al);
	}
	ck_assert_int_eq(al.n, 2);
	ck_assert_int_eq(al.a[1].event, DR_ALERT_RECOVERED);
	ck_assert_int_eq(al.a[1].detector, DR_DET_IDLE);
	/* A step back confirmed by a tick: the tick counts as well. */
	t = dr_engine_now(e);
	lenient = 1;
	query(e, C1, 9999, R1, 9999, NAME, back - 7200 * S);
	lenient = 0;
	dr_engine_tick(e, back - 7200 * S + S);
	ck_assert_uint_eq(dr_engine_stats(e)->clock_steps, 2);
	ck_assert_int_eq(dr_engine_now(e), t + S);
	dr_engine_tick(e, back - 7200 * S + 2 * S);
	ck_assert_int_eq(dr_engine_now(e), t + 2 * S);
	/* Capture loss, by the same clock, is seen in the window. */
	dr_engine_capture_stats(e, 100, 7, 0, back - 7198 * S);
	traffic(e, &al, R2, 2, back - 7197 * S, back - 7196 * S, 100 * MS);
	for (t = back - 7196 * S; t < back - 7188 * S; t += S)
		dr_engine_tick(e, t);
	drain(e, &al);
	ck_assert_int_eq(al.n, 3);
	check_addr(&al.a[2].resolver, R2);
	ck_assert_uint_eq(al.a[2].capture_drops, 7);
	dr_engine_free(e);
}
END_TEST

/* Hours ahead (confirmed), then years: cheap, and nothing breaks. */
START_TEST(test_time_jump)
{
	struct dr_config	 c = cfg();
	struct alerts		 al;
	struct dr_engine	*e = enew(&c, &al);
	struct dr_detect_input	 in;
	struct timespec		 t0, t1;
	const dr_time_t		 far = T0 + 5 * 3600 * S;

	incident(e, R1, R1, 3, T0, 10);
	query(e, C1, 5555, R1, 5555, NAME, T0 + 500 * MS);
	ticks(e, T0 + S, T0 + S);
	ck_assert_int_eq(drain(e, &al), 1);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* Hours ahead, and the next packet agrees: a step forward. */
	lenient = 1;
	query(e, C1, 1, R1, 1, NAME, far);
	query(e, C1, 2, R1, 2, NAME, far + S);
	ck_assert_uint_eq(dr_engine_stats(e)->clock_steps, 1);
	ck_assert_int_eq(dr_engine_now(e), far + S);
	dr_tracker_input(dr_engine_tracker(e), find(e, R1), far + S,
	    INT64_MIN, &in);
	ck_assert_uint_eq(in.queries, 2);
	ck_assert_uint_eq(in.fail[DR_FAIL_PORT], 0);
	ck_assert_uint_eq(cnt(e, R1)->timeouts, 1);
	/* No queries for hours: recovered for want of them. */
	ticks(e, far + 2 * S, far + 3 * S);
	ck_assert_int_eq(drain(e, &al), 1);
	ck_assert_int_eq(al.a[1].event, DR_ALERT_RECOVERED);
	ck_assert_int_eq(al.a[1].detector, DR_DET_IDLE);
	/* Twenty years on, twice. */
	query(e, C1, 3, R1, 3, NAME, far + 20LL * 365 * 86400 * S);
	query(e, C1, 4, R1, 4, NAME, far + 20LL * 365 * 86400 * S + S);
	dr_engine_tick(e, far + 40LL * 365 * 86400 * S);
	dr_engine_tick(e, far + 40LL * 365 * 86400 * S + S);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ck_assert_int_lt(t1.tv_sec - t0.tv_sec, 5);
	ck_assert_int_eq(drain(e, &al), 0);
	ck_assert_uint_eq(cnt(e, R1)->timeouts, 5);
	/* A packet from the past is harmless. */
	query(e, C1, 5, R1, 5, NAME, T0);
	dr_engine_tick(e, T0);
	ck_assert_int_eq(drain(e, &al), 0);
	lenient = 0;
	dr_engine_free(e);
}
END_TEST

/* Stamps at and past the limit, and capture headers full of junk. */
START_TEST(test_time_limits)
{
	static const dr_time_t	 odd[] = {
		DR_TIME_LIMIT, DR_TIME_LIMIT - 1, -DR_TIME_LIMIT,
		-DR_TIME_LIMIT + 1, INT64_MAX, INT64_MIN, INT64_MAX - 1,
		INT64_MIN + 1, 0, -1
	};
	struct dr_config	 c = cfg();
	struct alerts		 al;
	struct dr_engine	*e;
	size_t			 i, j;

	/* dr_time_from_tv(): never an overflow, out of range invalid. */
	ck_assert_int_eq(dr_time_from_tv(0, 0), 0);
	ck_assert_int_eq(dr_time_from_tv(1700000000, 250000),
	    T0 + 250 * MS);
	ck_assert_int_eq(dr_time_from_tv(-1, 999999), -1);
	ck_assert_int_eq(dr_time_from_tv(5, -1), 5 * S - 1);
	ck_assert_int_eq(dr_time_from_tv(INT64_MAX, 0), DR_TIME_LIMIT);
	ck_assert_int_eq(dr_time_from_tv(INT64_MIN, 0), DR_TIME_LIMIT);
	ck_assert_int_eq(dr_time_from_tv(0, INT64_MAX), DR_TIME_LIMIT);
	ck_assert_int_eq(dr_time_from_tv(0, INT64_MIN), DR_TIME_LIMIT);
	ck_assert_int_eq(dr_time_from_tv(INT64_MAX, INT64_MAX),
	    DR_TIME_LIMIT);
	ck_assert_int_eq(dr_time_from_tv(INT64_MIN, INT64_MIN),
	    DR_TIME_LIMIT);
	ck_assert_int_eq(dr_time_from_tv(DR_TIME_LIMIT / S, 0),
	    DR_TIME_LIMIT);
	/* Out of range is DR_TIME_LIMIT, whichever field takes it out. */
	for (i = 0; i < 4; i++) {
		dr_time_t v = dr_time_from_tv((i & 1 ? -1 : 1) *
		    (DR_TIME_LIMIT / S - 1), (i & 1 ? -1 : 1) *
		    (i & 2 ? 999999999 : 999999));

		ck_assert_msg(dr_time_valid(v) || v == DR_TIME_LIMIT,
		    "case %zu: %lld is neither a time nor DR_TIME_LIMIT", i,
		    (long long)v);
	}
	ck_assert(dr_time_valid(dr_time_from_tv(DR_TIME_LIMIT / S - 1,
	    999999)));
	ck_assert(dr_time_valid(dr_time_from_tv(-(DR_TIME_LIMIT / S) + 1,
	    -999999)));
	ck_assert(!dr_time_valid(DR_TIME_LIMIT));
	ck_assert(!dr_time_valid(-DR_TIME_LIMIT));
	ck_assert(dr_time_valid(DR_TIME_LIMIT - 1));

	/* Each odd stamp first, then after a normal start. */
	lenient = 1;
	for (j = 0; j < 2; j++)
		for (i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
			e = enew(&c, &al);
			if (j == 1)
				incident(e, R1, R1, 3, T0, 10);
			query(e, C1, 1, R1, 1, NAME, odd[i]);
			query(e, C1, 2, R1, 2, NAME, odd[i]);
			dr_engine_tick(e, odd[i]);
			query(e, C1, 3, R1, 3, NAME, T0 + 2 * S);
			dr_engine_tick(e, T0 + 3 * S);
			dr_engine_capture_stats(e, 1, 1, 1, odd[i]);
			dr_engine_capture_state(e, 0, odd[i]);
			dr_engine_capture_state(e, 1, odd[i]);
			dr_engine_tick(e, odd[i]);
			dr_engine_finish(e);
			drain(e, &al);
			/* At most a tick past the limit: far from overflow. */
			ck_assert_msg(dr_engine_now(e) > -DR_TIME_LIMIT - S &&
			    dr_engine_now(e) < DR_TIME_LIMIT + S,
			    "stamp %zu, start %zu: now %lld", i, j,
			    (long long)dr_engine_now(e));
			dr_engine_free(e);
		}
	lenient = 0;

	/* Near the limit, a whole outage still works. */
	e = enew(&c, &al);
	incident(e, R1, R1, 3, DR_TIME_LIMIT - 100 * S, 10);
	ticks(e, DR_TIME_LIMIT - 99 * S, DR_TIME_LIMIT - 90 * S);
	dr_engine_finish(e);
	drain(e, &al);
	ck_assert_int_ge(al.n, 1);
	ck_assert_int_eq(al.a[0].event, DR_ALERT_FAILING);
	dr_engine_free(e);
	/* And near the other end. */
	e = enew(&c, &al);
	incident(e, R1, R1, 3, -DR_TIME_LIMIT + 10 * S, 10);
	ticks(e, -DR_TIME_LIMIT + 11 * S, -DR_TIME_LIMIT + 20 * S);
	drain(e, &al);
	ck_assert_int_ge(al.n, 1);
	ck_assert_int_eq(al.a[0].event, DR_ALERT_FAILING);
	dr_engine_free(e);
}
END_TEST

/* ---- the queue ---- */

/*
 * Nobody drains: failing and recovered alerts stay, reminders make way
 * for them and are counted.
 */
START_TEST(test_queue_full)
{
	struct dr_config	 c = cfg();
	struct alerts		 al;
	struct dr_engine	*e;
	char			 res[64][32];
	int			 i, k, nfail = 0, nrec = 0, nrem = 0;
	int			 seen_fail[64], seen_rec[64];
	struct dr_addr		 a;

	c.realert_interval = S;
	e = enew(&c, &al);
	for (i = 0; i < 64; i++) {
		snprintf(res[i], sizeof(res[i]), "198.51.100.%d", 100 + i);
		incident(e, res[i], res[i], 3, T0 + i * MS, 10);
	}
	/* 64 alerts, then 64 reminders a second: the queue fills. */
	ticks(e, T0 + S, T0 + 10 * S);
	ck_assert_uint_eq(dr_engine_queued_alerts(e), 256);
	ck_assert_uint_eq(dr_engine_stats(e)->alerts, 64);
	ck_assert_uint_gt(dr_engine_stats(e)->alerts_dropped, 0);
	ck_assert_uint_eq(dr_engine_stats(e)->alerts_dropped,
	    64 + dr_engine_stats(e)->reminders - 256);
	/* They all recover: each recovery pushes out a reminder. */
	for (i = 0; i < 64; i++)
		for (k = 0; k < 4; k++) {
			query(e, C1, (uint16_t)(50000 + k), res[i],
			    (uint16_t)k, NAME, T0 + 10 * S + i * MS);
			answer(e, C1, (uint16_t)(50000 + k), res[i],
			    (uint16_t)k, NAME, 0, T0 + 10 * S + i * MS + 1);
		}
	ck_assert_uint_eq(dr_engine_stats(e)->recoveries, 64);
	ck_assert_uint_eq(dr_engine_queued_alerts(e), 256);
	drain(e, &al);
	ck_assert_int_eq(al.n, 256);
	memset(seen_fail, 0, sizeof(seen_fail));
	memset(seen_rec, 0, sizeof(seen_rec));
	for (i = 0; i < al.n; i++) {
		a = al.a[i].resolver;
		k = a.a[3] - 100;
		ck_assert(k >= 0 && k < 64);
		if (al.a[i].event == DR_ALERT_FAILING &&
		    !al.a[i].reminder) {
			nfail++;
			seen_fail[k]++;
		} else if (al.a[i].event == DR_ALERT_RECOVERED) {
			nrec++;
			/* In order: its failing alert came first. */
			ck_assert_int_eq(seen_fail[k], 1);
			seen_rec[k]++;
		} else {
			ck_assert_int_eq(al.a[i].reminder, 1);
			nrem++;
		}
	}
	ck_assert_int_eq(nfail, 64);
	ck_assert_int_eq(nrec, 64);
	ck_assert_int_eq(nrem, 256 - 128);
	ck_assert_uint_eq(dr_engine_stats(e)->alerts_dropped,
	    dr_engine_stats(e)->reminders - nrem);
	/* Room again. */
	ck_assert_uint_eq(dr_engine_queued_alerts(e), 0);
	ck_assert_int_eq(dr_engine_next_alert(e, &al.a[0]), 0);
	dr_engine_free(e);
}
END_TEST

/* ---- reload ---- */

START_TEST(test_reconfigure)
{
	struct dr_config	 c = cfg();
	struct alerts		 al;
	struct dr_engine	*e = enew(&c, &al);
	struct dr_tracker	*t;
	struct dr_detect_input	 in;

	incident(e, R1, R1, 3, T0, 10);
	ticks(e, T0 + S, T0 + 2 * S);
	ck_assert_int_eq(drain(e, &al), 1);
	t = dr_engine_tracker(e);
	/* New thresholds keep the windows and the failing state. */
	c.threshold = 0.9;
	c.fast_threshold = 0.95;
	c.clear_threshold = 0.5;
	c.realert_interval = 5 * S;
	ck_assert_int_eq(dr_engine_reconfigure(e, &c), 1);
	ck_assert_ptr_eq(dr_engine_tracker(e), t);
	ck_assert(dr_engine_detect_conf(e)->threshold == 0.9);
	ck_assert(dr_engine_detect_conf(e)->fast_threshold == 0.95);
	/* A threshold above fast_threshold raises the fast path's bar. */
	c.threshold = 0.97;
	ck_assert_int_eq(dr_engine_reconfigure(e, &c), 1);
	ck_assert(dr_engine_detect_conf(e)->fast_threshold == 0.97);
	c.threshold = 0.9;
	ck_assert_int_eq(dr_engine_reconfigure(e, &c), 1);
	dr_tracker_input(t, find(e, R1), T0 + 2 * S, INT64_MIN, &in);
	ck_assert_uint_eq(in.queries, 10);
	ck_assert_uint_eq(in.fail[DR_FAIL_PORT], 10);
	ck_assert_int_eq(dr_resolver_cstate(find(e, R1))->failing, 1);
	ck_assert_uint_eq(dr_engine_nfailing(e), 1);
	/* The new reminder interval applies. */
	ticks(e, T0 + 3 * S, T0 + 6 * S);
	ck_assert_int_eq(drain(e, &al), 1);
	ck_assert_int_eq(al.a[1].reminder, 1);
	ck_assert_int_eq(al.a[1].ts, T0 + 6 * S);
	dr_engine_free(e);
}
END_TEST

START_TEST(test_reconfigure_window)
{
	struct dr_config	 c = cfg();
	struct alerts		 al;
	struct dr_engine	*e = enew(&c, &al);
	struct dr_tracker	*t;
	struct dr_resolver	*r;
	struct dr_detect_input	 in;

	incident(e, R1, R1, 3, T0, 10);
	query(e, C1, 7, R1, 7, NAME, T0 + 1500 * MS);
	ticks(e, T0 + S, T0 + 2 * S);
	ck_assert_int_eq(drain(e, &al), 1);
	/* A new window needs new tables: 0, resolvers carried over. */
	c.window = 40 * S;
	ck_assert_int_eq(dr_engine_reconfigure(e, &c), 0);
	t = dr_engine_tracker(e);
	ck_assert_int_eq(dr_tracker_conf(t)->window.nbuckets, 40);
	ck_assert_uint_eq(dr_tracker_nresolvers(t), 1);
	r = find(e, R1);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(dr_resolver_cstate(r)->failing, 1);
	ck_assert_uint_eq(cnt(e, R1)->queries, 11);
	ck_assert_uint_eq(cnt(e, R1)->unreachable, 10);
	ck_assert_uint_eq(cnt(e, R1)->alerts, 1);
	ck_assert_uint_eq(cnt(e, R1)->evicted, 1);
	dr_tracker_input(t, r, T0 + 2 * S, INT64_MIN, &in);
	ck_assert_uint_eq(in.queries, 11);
	ck_assert_uint_eq(in.fail[DR_FAIL_PORT], 10);
	ck_assert_str_eq(dr_resolver_sample_qname(r), NAME);
	/* Still failing, not failing again. */
	ticks(e, T0 + 3 * S, T0 + 5 * S);
	ck_assert_int_eq(drain(e, &al), 0);
	ck_assert_uint_eq(dr_resolver_clients(r), 3);
	/* Answers: one recovery, no second failing alert. */
	traffic(e, &al, R1, 0, T0 + 6 * S, T0 + 10 * S, 100 * MS);
	ck_assert_int_eq(al.n, 2);
	ck_assert_int_eq(al.a[1].event, DR_ALERT_RECOVERED);
	/* And it works after. */
	incident(e, R1, R1, 3, T0 + 400 * S, 10);
	ticks(e, T0 + 401 * S, T0 + 402 * S);
	ck_assert_int_eq(drain(e, &al), 1);
	ck_assert_int_eq(al.a[2].event, DR_ALERT_FAILING);
	ck_assert_uint_eq(al.a[2].clients, 3);
	dr_engine_free(e);
}
END_TEST

/* A smaller table on reload keeps the failing resolver first. */
START_TEST(test_reconfigure_shrink)
{
	struct dr_config	 c = cfg();
	struct alerts		 al;
	struct dr_engine	*e;
	char			 res[32];
	int			 i;

	c.max_resolvers = 8;
	e = enew(&c, &al);
	/* Seven healthy resolvers, then the failing one. */
	for (i = 0; i < 7; i++) {
		snprintf(res, sizeof(res), "198.51.100.%d", 10 + i);
		query(e, C1, (uint16_t)(30000 + i), res, 1, NAME, T0);
		answer(e, C1, (uint16_t)(30000 + i), res, 1, NAME, 0,
		    T0 + MS);
	}
	incident(e, R1, R1, 3, T0, 10);
	ticks(e, T0 + S, T0 + 2 * S);
	ck_assert_int_eq(drain(e, &al), 1);
	c.max_resolvers = 2;
	ck_assert_int_eq(dr_engine_reconfigure(e, &c), 0);
	ck_assert_ptr_nonnull(find(e, R1));
	ck_assert_int_eq(dr_resolver_cstate(find(e, R1))->failing, 1);
	ck_assert_uint_le(dr_tracker_nresolvers(dr_engine_tracker(e)), 2);
	/*
	 * It still owes, and gets, its recovery: once the failures, booked
	 * at the reload, have left the short window.
	 */
	traffic(e, &al, R1, 0, T0 + 3 * S, T0 + 8 * S, 100 * MS);
	ck_assert_int_eq(al.n, 2);
	ck_assert_int_eq(al.a[1].event, DR_ALERT_RECOVERED);
	dr_engine_free(e);
}
END_TEST

START_TEST(test_not_dns)
{
	struct dr_config	 c = cfg();
	struct alerts		 al;
	struct dr_engine	*e = enew(&c, &al);
	struct dr_addr		 a = pkt_addr(C1), b = pkt_addr(R1);
	uint8_t			 junk[64];
	size_t			 n, f;

	memset(junk, 0, sizeof(junk));
	n = pkt_ip_udp(ipbuf, sizeof(ipbuf), &a, 5000, &b, 123, junk, 48);
	f = pkt_link(frame, sizeof(frame), DR_DLT_EN10MB, 0, ipbuf, n);
	dr_engine_packet(e, DR_DLT_EN10MB, frame, f, f, T0);
	/* Truncated capture of the same. */
	dr_engine_packet(e, DR_DLT_EN10MB, frame, 20, f, T0);
	dr_engine_packet(e, 9999, frame, f, f, T0);
	ck_assert_uint_eq(dr_engine_stats(e)->packets, 3);
	ck_assert_uint_eq(dr_engine_stats(e)->decode[DR_DECODE_NOT_DNS], 1);
	ck_assert_uint_eq(dr_engine_stats(e)->decode[DR_DECODE_TRUNCATED],
	    1);
	ck_assert_uint_eq(dr_engine_stats(e)->decode[DR_DECODE_UNSUPPORTED],
	    1);
	ck_assert_uint_eq(dr_tracker_nresolvers(dr_engine_tracker(e)), 0);
	ck_assert_int_eq(drain(e, &al), 0);
	dr_engine_free(e);
}
END_TEST

/* ---- words and fields ---- */

static struct dr_alert
sample_alert(void)
{
	struct dr_alert	a;

	memset(&a, 0, sizeof(a));
	a.event = DR_ALERT_FAILING;
	a.detector = DR_DET_WINDOW;
	a.ts = T0 + 30 * S + 250 * MS;
	a.since = T0;
	a.resolver = pkt_addr("2001:db8::53");
	a.queries = 50;
	a.by_class[DR_FAIL_PORT] = 48;
	a.unreachable = 48;
	a.failures = 48;
	a.rate = 0.96;
	a.threshold = 0.5;
	a.window_span = 5 * 60 * S;
	a.cause = DR_CAUSE_NOT_LISTENING;
	a.clients = 3;
	a.icmp_hops = -1;
	snprintf(a.qname, sizeof(a.qname), "a\\032b.example");
	return a;
}

START_TEST(test_alert_message)
{
	struct dr_alert	a = sample_alert();
	char		msg[1024];
	int		n;

	n = dr_alert_message(&a, msg, sizeof(msg));
	ck_assert_int_eq(n, (int)strlen(msg));
	ck_assert_str_eq(msg, "resolver 2001:db8::53 failing: 48 of 50 DNS "
	    "queries in the last 5 min got ICMP port unreachable (96%), "
	    "e.g. a\\032b.example \xe2\x80\x94 DNS service not listening");
	/* Truncation reports the full length, like snprintf. */
	ck_assert_int_eq(dr_alert_message(&a, msg, 10), n);
	ck_assert_uint_eq(strlen(msg), 9);
	/* Every kind in a mix is named. */
	a.by_class[DR_FAIL_PORT] = 3;
	a.by_class[DR_FAIL_ADMIN] = 4;
	a.by_class[DR_FAIL_TIMEOUT] = 41;
	a.capture_drops = 7;
	a.qname[0] = '\0';
	dr_alert_message(&a, msg, sizeof(msg));
	ck_assert_msg(strstr(msg, "failed (96%): port unreachable (3), "
	    "administratively prohibited (4), no answer (41)") != NULL,
	    "%s", msg);
	ck_assert_msg(strstr(msg, "e.g.") == NULL, "%s", msg);
	ck_assert_msg(strstr(msg, "(capture lost 7 packets in the window)")
	    != NULL, "%s", msg);
	/* The resolver itself said port 53 is closed. */
	a = sample_alert();
	a.icmp_from = a.resolver;
	a.icmp_hops = 0;
	msg_has(&a, "DNS service not listening on 2001:db8::53 (the host is "
	    "up and says port 53 is closed)");
	a.cause = DR_CAUSE_FIREWALL;
	msg_has(&a, "blocked by a firewall on 2001:db8::53 itself (its own "
	    "firewall rejects port 53)");
	/* A router said the host is down: named, with its distance. */
	a = sample_alert();
	a.resolver = pkt_addr(R1);
	a.cause = DR_CAUSE_HOST_DOWN;
	memset(a.by_class, 0, sizeof(a.by_class));
	a.by_class[DR_FAIL_HOST] = 48;
	a.icmp_from = pkt_addr(ROUTER);
	a.icmp_hops = 3;
	msg_has(&a, "got ICMP host or network unreachable (96%)");
	msg_has(&a, "host or network down (router 198.51.100.1, 3 hops away "
	    "says so, not the resolver)");
	a.icmp_hops = 1;
	msg_has(&a, "(router 198.51.100.1, 1 hop away says so, not the "
	    "resolver)");
	a.icmp_hops = -1;
	msg_has(&a, "(router 198.51.100.1 says so, not the resolver)");
	/* A router's word is no news when the cause needs no sender. */
	a.cause = DR_CAUSE_SILENT_DROP;
	a.by_class[DR_FAIL_HOST] = 0;
	a.by_class[DR_FAIL_TIMEOUT] = 48;
	a.icmp_hops = 3;
	dr_alert_message(&a, msg, sizeof(msg));
	ck_assert_msg(strstr(msg, "router") == NULL, "%s", msg);
	a.cause = DR_CAUSE_HOST_DOWN;
	a.by_class[DR_FAIL_TIMEOUT] = 0;
	a.by_class[DR_FAIL_HOST] = 48;
	/* A reminder. */
	a.reminder = 1;
	msg_has(&a, "resolver 203.0.113.2 still failing: 48 of 50");
	/* Flapping, updated. */
	a = sample_alert();
	a.event = DR_ALERT_FLAPPING;
	msg_has(&a, "resolver 2001:db8::53 flapping: failing again soon "
	    "after it recovered");
	a.event = DR_ALERT_UPDATED;
	a.prev_cause = DR_CAUSE_SILENT_DROP;
	msg_has(&a, "resolver 2001:db8::53 still failing, the evidence now "
	    "points to service-not-listening (not silent-drop): 48 of 50");
	/* Slow, and in time again. */
	a = sample_alert();
	a.event = DR_ALERT_SLOW;
	a.detector = DR_DET_SLOW;
	a.p95_ms = 1500;
	a.p50_ms = 200;
	a.slow_threshold_ms = 1000;
	a.window_span = 20 * S;
	msg_has(&a, "resolver 2001:db8::53 slow: 95% of its answers within "
	    "1500 ms, half within 200 ms, over the last 20 s (threshold "
	    "1000 ms)");
	a.event = DR_ALERT_SLOW_RECOVERED;
	a.p95_ms = 300;
	msg_has(&a, "resolver 2001:db8::53 answers in time again: 95% of its "
	    "answers within 300 ms over the last 20 s (threshold 1000 ms)");
	/* Recovered: by the window, by a run of answers, for idleness. */
	a = sample_alert();
	a.event = DR_ALERT_RECOVERED;
	a.cause = DR_CAUSE_NONE;
	a.failures = 1;
	a.rate = 0.02;
	a.window_span = 1500000;
	dr_alert_message(&a, msg, sizeof(msg));
	ck_assert_str_eq(msg, "resolver 2001:db8::53 recovered: 1 of 50 DNS "
	    "queries failed in the last 1.5 s (2%)");
	a.detector = DR_DET_STREAK;
	a.queries = 4;
	msg_has(&a, "recovered: the last 4 DNS queries to it were answered");
	a.detector = DR_DET_IDLE;
	a.queries = 0;
	a.window_span = 300 * S;
	msg_has(&a, "recovered: no queries to it in the last 5 min, so no "
	    "failures either");
	/* One kind of failure each: its own words. */
	a = sample_alert();
	memset(a.by_class, 0, sizeof(a.by_class));
	a.by_class[DR_FAIL_RESET] = 48;
	msg_has(&a, "were refused (TCP reset) (96%)");
	a.by_class[DR_FAIL_RESET] = 0;
	a.by_class[DR_FAIL_PORT_PATH] = 48;
	msg_has(&a, "got ICMP port unreachable from another host (96%)");
	/* Spans. */
	a.window_span = 59 * S;
	msg_has(&a, "in the last 59 s");
	a.window_span = 90 * S;
	msg_has(&a, "in the last 90 s");
	a.window_span = 2 * S;
	msg_has(&a, "in the last 2.0 s");
}
END_TEST

START_TEST(test_alert_names)
{
	static const char *const names[DR_ALERT_NEVENTS] = {
		"failing", "recovered", "flapping", "updated", "slow",
		"slow-recovered"
	};
	struct dr_alert	a = sample_alert();
	char		buf[64];
	const char	*id;
	int		ev, k;

	for (ev = 0; ev < DR_ALERT_NEVENTS; ev++) {
		ck_assert_str_eq(dr_alert_event_name(ev), names[ev]);
		id = dr_alert_msgid(ev);
		/* 128-bit ids as journalctl wants them, one per kind. */
		ck_assert_uint_eq(strlen(id), 32);
		for (k = 0; id[k] != '\0'; k++)
			ck_assert((id[k] >= '0' && id[k] <= '9') ||
			    (id[k] >= 'a' && id[k] <= 'f'));
		for (k = 0; k < ev; k++)
			ck_assert_str_ne(id, dr_alert_msgid(k));
		a.event = ev;
		a.reminder = 0;
		ck_assert_int_eq(dr_alert_priority(&a),
		    ev == DR_ALERT_RECOVERED ||
		    ev == DR_ALERT_SLOW_RECOVERED ? LOG_NOTICE : LOG_WARNING);
		ck_assert_int_eq(dr_alert_droppable(&a),
		    ev == DR_ALERT_UPDATED);
	}
	ck_assert_str_eq(dr_alert_msgid(DR_ALERT_FAILING), DR_MSGID_FAILING);
	ck_assert_str_eq(dr_alert_msgid(DR_ALERT_RECOVERED),
	    DR_MSGID_RECOVERED);
	ck_assert_str_eq(dr_alert_event_name(DR_ALERT_NEVENTS), "failing");
	a.event = DR_ALERT_FAILING;
	a.reminder = 1;
	ck_assert_int_eq(dr_alert_droppable(&a), 1);
	/* Times: UTC, milliseconds, also before 1970. */
	dr_alert_time(T0 + 250 * MS, buf, sizeof(buf));
	ck_assert_str_eq(buf, "2023-11-14T22:13:20.250Z");
	dr_alert_time(0, buf, sizeof(buf));
	ck_assert_str_eq(buf, "1970-01-01T00:00:00.000Z");
	dr_alert_time(-1500 * MS, buf, sizeof(buf));
	ck_assert_str_eq(buf, "1969-12-31T23:59:58.500Z");
	dr_alert_time(DR_TIME_LIMIT - 1, buf, sizeof(buf));
	ck_assert_uint_gt(strlen(buf), 0);
}
END_TEST

/* The value of FIELD in je, or NULL; fails if it is there twice. */
static const char *
field(const struct dr_journal_entry *je, const char *name)
{
	const char	*found = NULL, *f;
	size_t		 n = strlen(name);
	uint32_t	 i;

	for (i = 0; i < je->nfields; i++) {
		f = je->buf + je->off[i];
		if (je->len[i] > n && strncmp(f, name, n) == 0 &&
		    f[n] == '=') {
			ck_assert_msg(found == NULL, "%s twice", name);
			found = f + n + 1;
		}
	}
	return found;
}

/* The value of FIELD as a string of its own. */
static const char *
value(const struct dr_journal_entry *je, const char *name)
{
	static char	 buf[DR_JOURNAL_BUF];
	const char	*v = field(je, name);
	uint32_t	 i;

	ck_assert_msg(v != NULL, "no %s", name);
	for (i = 0; i < je->nfields; i++)
		if (je->buf + je->off[i] < v &&
		    v <= je->buf + je->off[i] + je->len[i]) {
			snprintf(buf, sizeof(buf), "%.*s",
			    (int)(je->buf + je->off[i] + je->len[i] - v), v);
			return buf;
		}
	ck_abort_msg("bad offsets");
	return NULL;
}

START_TEST(test_journal_entry)
{
	static const char *const contract[] = {
		"MESSAGE", "PRIORITY", "MESSAGE_ID", "SYSLOG_IDENTIFIER",
		"DNSREACH_EVENT", "DNSREACH_RESOLVER", "DNSREACH_INTERFACE",
		"DNSREACH_QUERIES", "DNSREACH_UNREACHABLE",
		"DNSREACH_FAILURE_RATE", "DNSREACH_THRESHOLD",
		"DNSREACH_WINDOW_SEC", "DNSREACH_CAUSE", "DNSREACH_CLIENTS",
		"DNSREACH_SAMPLE_QNAME", "DNSREACH_TIMEOUTS",
		"DNSREACH_TCP_RESETS", "DNSREACH_FIRST_FAILURE",
		"DNSREACH_EVENT_TIME", "DNSREACH_CAPTURE_DROPS",
		"DNSREACH_REMINDER", "DNSREACH_DETECTOR"
	};
	struct dr_journal_entry	 je;
	struct dr_alert		 a = sample_alert();
	char			 msg[1024];
	const char		*f;
	size_t			 i, k;
	int			 ev;

	for (ev = 0; ev < DR_ALERT_NEVENTS; ev++) {
		a.event = ev;
		ck_assert_int_eq(dr_journal_entry_alert(&je, &a, "eth0"), 0);
		for (i = 0; i < sizeof(contract) / sizeof(contract[0]); i++)
			ck_assert_msg(field(&je, contract[i]) != NULL,
			    "%s: no %s", dr_alert_event_name(ev),
			    contract[i]);
		/* Journal field names: A-Z, 0-9, _, not leading. */
		for (i = 0; i < je.nfields; i++) {
			f = je.buf + je.off[i];
			ck_assert(f[0] != '_');
			for (k = 0; f[k] != '='; k++) {
				ck_assert_uint_lt(k, je.len[i]);
				ck_assert((f[k] >= 'A' && f[k] <= 'Z') ||
				    (f[k] >= '0' && f[k] <= '9') ||
				    f[k] == '_');
			}
		}
		ck_assert_str_eq(value(&je, "DNSREACH_EVENT"),
		    dr_alert_event_name(ev));
		ck_assert_str_eq(value(&je, "MESSAGE_ID"),
		    dr_alert_msgid(ev));
		ck_assert_int_eq(je.priority, dr_alert_priority(&a));
		/* Only an update says what it said before. */
		ck_assert_int_eq(field(&je, "DNSREACH_PREVIOUS_CAUSE") !=
		    NULL, ev == DR_ALERT_UPDATED);
		ck_assert_int_eq(field(&je, "DNSREACH_SLOW_THRESHOLD_MS") !=
		    NULL, ev == DR_ALERT_SLOW ||
		    ev == DR_ALERT_SLOW_RECOVERED);
		ck_assert_int_eq(field(&je, "DNSREACH_P95_MS") != NULL,
		    ev == DR_ALERT_SLOW || ev == DR_ALERT_SLOW_RECOVERED);
		ck_assert_ptr_null(field(&je, "DNSREACH_ICMP_FROM"));
	}
	a = sample_alert();
	ck_assert_int_eq(dr_journal_entry_alert(&je, &a, "eth0"), 0);
	dr_alert_message(&a, msg, sizeof(msg));
	ck_assert_str_eq(value(&je, "MESSAGE"), msg);
	ck_assert_str_eq(value(&je, "PRIORITY"), "4");
	ck_assert_str_eq(value(&je, "MESSAGE_ID"), DR_MSGID_FAILING);
	ck_assert_str_eq(value(&je, "SYSLOG_IDENTIFIER"), "dnsreachd");
	ck_assert_str_eq(value(&je, "DNSREACH_EVENT"), "failing");
	ck_assert_str_eq(value(&je, "DNSREACH_RESOLVER"), "2001:db8::53");
	ck_assert_str_eq(value(&je, "DNSREACH_INTERFACE"), "eth0");
	ck_assert_str_eq(value(&je, "DNSREACH_QUERIES"), "50");
	ck_assert_str_eq(value(&je, "DNSREACH_UNREACHABLE"), "48");
	ck_assert_str_eq(value(&je, "DNSREACH_FAILURE_RATE"), "0.960");
	ck_assert_str_eq(value(&je, "DNSREACH_THRESHOLD"), "0.500");
	ck_assert_str_eq(value(&je, "DNSREACH_WINDOW_SEC"), "300");
	ck_assert_str_eq(value(&je, "DNSREACH_CAUSE"),
	    "service-not-listening");
	ck_assert_str_eq(value(&je, "DNSREACH_CLIENTS"), "3");
	ck_assert_str_eq(value(&je, "DNSREACH_SAMPLE_QNAME"),
	    "a\\032b.example");
	ck_assert_str_eq(value(&je, "DNSREACH_TIMEOUTS"), "0");
	ck_assert_str_eq(value(&je, "DNSREACH_TCP_RESETS"), "0");
	ck_assert_str_eq(value(&je, "DNSREACH_FIRST_FAILURE"),
	    "2023-11-14T22:13:20.000Z");
	ck_assert_str_eq(value(&je, "DNSREACH_EVENT_TIME"),
	    "2023-11-14T22:13:50.250Z");
	ck_assert_str_eq(value(&je, "DNSREACH_CAPTURE_DROPS"), "0");
	ck_assert_str_eq(value(&je, "DNSREACH_REMINDER"), "0");
	ck_assert_str_eq(value(&je, "DNSREACH_DETECTOR"), "window");
	ck_assert_int_eq(je.droppable, 0);
	/* The conditional ones. */
	a.event = DR_ALERT_UPDATED;
	a.prev_cause = DR_CAUSE_SILENT_DROP;
	a.icmp_from = pkt_addr(ROUTER);
	a.icmp_hops = 3;
	a.p95_ms = 40;
	a.p50_ms = 5;
	ck_assert_int_eq(dr_journal_entry_alert(&je, &a, ""), 0);
	ck_assert_str_eq(value(&je, "DNSREACH_PREVIOUS_CAUSE"),
	    "silent-drop");
	ck_assert_str_eq(value(&je, "DNSREACH_ICMP_FROM"), ROUTER);
	ck_assert_str_eq(value(&je, "DNSREACH_ICMP_HOPS"), "3");
	ck_assert_str_eq(value(&je, "DNSREACH_P95_MS"), "40");
	ck_assert_str_eq(value(&je, "DNSREACH_P50_MS"), "5");
	ck_assert_str_eq(value(&je, "DNSREACH_INTERFACE"), "");
	ck_assert_int_eq(je.droppable, 1);
	a.event = DR_ALERT_FAILING;
	a.reminder = 1;
	ck_assert_int_eq(dr_journal_entry_alert(&je, &a, "eth0"), 0);
	ck_assert_str_eq(value(&je, "DNSREACH_REMINDER"), "1");
	ck_assert_int_eq(je.droppable, 1);
	/* The daemon's own lines. */
	ck_assert_int_eq(dr_journal_entry_text(&je, LOG_INFO, "started"), 0);
	ck_assert_uint_eq(je.nfields, 3);
	ck_assert_str_eq(value(&je, "MESSAGE"), "started");
	ck_assert_str_eq(value(&je, "PRIORITY"), "6");
	ck_assert_str_eq(value(&je, "SYSLOG_IDENTIFIER"), "dnsreachd");
}
END_TEST

START_TEST(test_sink_stream)
{
	struct dr_alert	 a = sample_alert();
	char		*buf = NULL, msg[1024], want[1200];
	size_t		 len = 0;
	FILE		*f;

	ck_assert_ptr_nonnull(f = open_memstream(&buf, &len));
	ck_assert_int_eq(dr_sink_stream(f, &a, "eth0"), 0);
	fclose(f);
	dr_alert_message(&a, msg, sizeof(msg));
	snprintf(want, sizeof(want), "2023-11-14T22:13:50.250Z "
	    "dnsreachd[eth0]: %s\n", msg);
	ck_assert_str_eq(buf, want);
	free(buf);
}
END_TEST

static Suite *
engine_suite(void)
{
	Suite	*s = suite_create("engine");
	TCase	*tc;

	tc = tcase_create("outages");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_total_outage_fast);
	tcase_add_test(tc, test_silent_drop);
	tcase_add_test(tc, test_incident_and_recovery);
	tcase_add_test(tc, test_blip);
	tcase_add_test(tc, test_rcodes);
	tcase_add_test(tc, test_seed_incident);
	tcase_add_test(tc, test_seed_incident_live);
	tcase_add_test(tc, test_updated);
	tcase_add_test(tc, test_flapping);
	tcase_add_test(tc, test_slow);
	tcase_add_test(tc, test_causes);
	tcase_add_test(tc, test_tcp_reset);
	tcase_add_test(tc, test_reminder);
	tcase_add_test(tc, test_held_for_capture_loss);
	suite_add_tcase(s, tc);

	tc = tcase_create("time");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_capture_gap_is_not_recovery);
	tcase_add_test(tc, test_capture_down_no_verdict);
	tcase_add_test(tc, test_finish);
	tcase_add_test(tc, test_clock_suspect);
	tcase_add_test(tc, test_clock_step_back);
	tcase_add_test(tc, test_clock_step_back_ticks);
	tcase_add_test(tc, test_time_jump);
	tcase_add_test(tc, test_time_limits);
	suite_add_tcase(s, tc);

	tc = tcase_create("state");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_queue_full);
	tcase_add_test(tc, test_reconfigure);
	tcase_add_test(tc, test_reconfigure_window);
	tcase_add_test(tc, test_reconfigure_shrink);
	tcase_add_test(tc, test_not_dns);
	suite_add_tcase(s, tc);

	tc = tcase_create("words");
	tcase_add_test(tc, test_alert_message);
	tcase_add_test(tc, test_alert_names);
	tcase_add_test(tc, test_journal_entry);
	tcase_add_test(tc, test_sink_stream);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(engine_suite());
	int	 nf;

	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
