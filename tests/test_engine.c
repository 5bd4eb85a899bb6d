/*
 * test_engine.c: real frames in, alerts out.
 *
 * Frames are built with tests/util_pkt.h and fed through
 * dr_engine_packet() with packet time as the clock, the way the daemon
 * and --read do.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "engine.h"
#include "util_pkt.h"

#define S	DR_USEC
#define MS	1000LL
#define T0	(1700000000LL * S)
#define NAME	"www.example.com"
#define MAXAL	256

struct alerts {
	int		n;
	struct dr_alert	a[MAXAL];
};

static uint8_t	ipbuf[PKT_MAX], icmpbuf[PKT_MAX], frame[PKT_MAX];
static uint8_t	dnsbuf[PKT_MAX];

static void
collect(void *arg, const struct dr_alert *a)
{
	struct alerts	*al = arg;

	ck_assert_int_lt(al->n, MAXAL);
	al->a[al->n++] = *a;
}

static struct dr_config
cfg(void)
{
	struct dr_config	c;

	dr_config_defaults(&c);
	c.window = 10 * S;
	c.bucket = S;
	c.min_queries = 5;
	c.query_timeout = 2 * S;
	c.match_window = 10 * S;
	c.max_resolvers = 64;
	c.max_pending = 4096;
	return c;
}

static struct dr_engine *
enew(const struct dr_config *c, struct alerts *al)
{
	struct dr_engine	*e;

	memset(al, 0, sizeof(*al));
	e = dr_engine_new(c, collect, al);
	ck_assert_ptr_nonnull(e);
	return e;
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
	ck_assert_msg(st->decode[DR_DECODE_OK] == ok + 1,
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

/*
 * A query, and from `from` (the resolver, or a router on the way) an
 * ICMP unreachable quoting all of it, 1 ms later.
 */
static void
query_icmp(struct dr_engine *e, const char *cli, uint16_t cport,
    const char *res, uint16_t id, const char *name, const char *from,
    uint8_t code, dr_time_t ts)
{
	struct dr_addr	f = pkt_addr(from), c = pkt_addr(cli);
	size_t		qlen, n;

	qlen = mkquery(cli, cport, res, id, name);
	feed(e, ipbuf, qlen, ts);
	n = pkt_ip_icmp_unreach(icmpbuf, sizeof(icmpbuf), &f, &c, code,
	    ipbuf, qlen);
	feed(e, icmpbuf, n, ts + MS);
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

static void
check_addr(const struct dr_alert *a, const char *res)
{
	char	buf[DR_ADDR_STRLEN];

	ck_assert_str_eq(dr_addr_format(&a->resolver, buf, sizeof(buf)), res);
}

#define R1	"203.0.113.2"
#define R2	"203.0.113.3"
#define C1	"192.0.2.10"
#define C2	"192.0.2.11"
#define C3	"192.0.2.12"

/* Ten queries from three clients, each refused by ICMP port 53. */
static void
incident(struct dr_engine *e, const char *res, const char *from,
    uint8_t code, dr_time_t t, int n)
{
	static const char *const cl[3] = { C1, C2, C3 };
	int			 i;

	for (i = 0; i < n; i++)
		query_icmp(e, cl[i % 3], (uint16_t)(40000 + i), res,
		    (uint16_t)(100 + i), NAME, from, code, t + i * 40 * MS);
}

START_TEST(test_incident_and_recovery)
{
	struct dr_config	 c = cfg();
	struct alerts		 al;
	struct dr_engine	*e = enew(&c, &al);
	struct dr_resolver	*r;
	struct dr_alert		*a;
	char			 msg[1024];
	dr_time_t		 t;
	int			 i;

	incident(e, R1, R1, 3, T0, 10);
	ck_assert_int_eq(al.n, 0);
	ticks(e, T0 + S, T0 + 5 * S);
	ck_assert_int_eq(al.n, 1);
	a = &al.a[0];
	ck_assert_int_eq(a->event, DR_ALERT_FAILING);
	ck_assert_int_eq(a->reminder, 0);
	check_addr(a, R1);
	ck_assert_uint_eq(a->queries, 10);
	ck_assert_uint_eq(a->unreachable, 10);
	ck_assert_uint_eq(a->timeouts, 0);
	ck_assert_uint_eq(a->failures, 10);
	ck_assert(a->rate == 1.0);
	ck_assert(a->threshold == 0.5);
	ck_assert_int_eq(a->window, 10 * S);
	ck_assert_int_eq(a->cause, DR_CAUSE_NOT_LISTENING);
	ck_assert_str_eq(a->qname, NAME);
	ck_assert_uint_eq(a->clients, 3);
	ck_assert_int_eq(a->ts, T0 + S);
	ck_assert_int_eq(a->since, T0);
	ck_assert_uint_eq(a->capture_drops, 0);
	ck_assert_uint_eq(dr_engine_nfailing(e), 1);
	ck_assert_int_eq(dr_alert_priority(a), LOG_WARNING);
	ck_assert_str_eq(dr_alert_msgid(a->event), DR_MSGID_FAILING);
	ck_assert_str_eq(dr_alert_event_name(a->event), "failing");
	dr_alert_message(a, msg, sizeof(msg));
	ck_assert_msg(strstr(msg, "resolver 203.0.113.2 failing") != NULL,
	    "%s", msg);
	ck_assert_msg(strstr(msg, "10 of 10") != NULL, "%s", msg);
	ck_assert_msg(strstr(msg, "100%") != NULL, "%s", msg);
	ck_assert_msg(strstr(msg, "10 s") != NULL, "%s", msg);
	ck_assert_msg(strstr(msg, "port unreachable") != NULL, "%s", msg);
	ck_assert_msg(strstr(msg, "DNS service not listening") != NULL, "%s",
	    msg);
	ck_assert_msg(strstr(msg, NAME) != NULL, "%s", msg);

	/* Healthy answers only: the failures age out, it recovers. */
	for (t = T0 + 5 * S, i = 0; t < T0 + 25 * S; t += 100 * MS, i++) {
		query(e, C1, (uint16_t)(20000 + i % 1000), R1,
		    (uint16_t)i, "ok.example", t);
		answer(e, C1, (uint16_t)(20000 + i % 1000), R1,
		    (uint16_t)i, "ok.example", 0, t + 5 * MS);
	}
	ck_assert_int_eq(al.n, 2);
	a = &al.a[1];
	ck_assert_int_eq(a->event, DR_ALERT_RECOVERED);
	ck_assert_int_eq(a->cause, DR_CAUSE_NONE);
	check_addr(a, R1);
	ck_assert(a->rate <= c.clear_threshold);
	ck_assert_int_le(a->ts, T0 + 11 * S);
	ck_assert_int_eq(dr_alert_priority(a), LOG_NOTICE);
	ck_assert_str_eq(dr_alert_msgid(a->event), DR_MSGID_RECOVERED);
	dr_alert_message(a, msg, sizeof(msg));
	ck_assert_msg(strstr(msg, "resolver 203.0.113.2 recovered") != NULL,
	    "%s", msg);
	ck_assert_uint_eq(dr_engine_nfailing(e), 0);

	/* Silence: windows empty, nothing more to say. */
	ticks(e, T0 + 25 * S, T0 + 120 * S);
	ck_assert_int_eq(al.n, 2);

	r = find(e, R1);
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(r->n.queries, 10 + 200);
	ck_assert_uint_eq(r->n.responses, 200);
	ck_assert_uint_eq(r->n.unreachable, 10);
	ck_assert_uint_eq(r->n.unreach_by_code[3], 10);
	ck_assert_uint_eq(r->n.unmatched, 0);
	ck_assert_uint_eq(r->n.timeouts, 0);
	ck_assert_uint_eq(r->n.alerts, 1);
	ck_assert_uint_eq(dr_engine_stats(e)->alerts, 1);
	ck_assert_uint_eq(dr_engine_stats(e)->recoveries, 1);
	ck_assert_uint_eq(dr_engine_stats(e)->reminders, 0);
	ck_assert_uint_eq(dr_engine_stats(e)->packets, 20 + 400);
	ck_assert_uint_eq(dr_engine_stats(e)->kinds[DR_EV_UNREACH], 10);
	ck_assert_uint_eq(dr_engine_stats(e)->kinds[DR_EV_QUERY], 210);
	ck_assert_uint_eq(dr_engine_stats(e)->kinds[DR_EV_RESPONSE], 200);
	ck_assert_int_eq(dr_engine_now(e), T0 + 120 * S);
	dr_engine_free(e);
}
END_TEST

/*
 * A capture that goes down must not turn into a recovery: an empty
 * window then is our blindness, not the resolver's health.
 */
START_TEST(test_capture_gap_is_not_recovery)
{
	struct dr_config	 c = cfg();
	struct alerts		 al;
	struct dr_engine	*e = enew(&c, &al);
	dr_time_t		 t;
	int			 i;

	incident(e, R1, R1, 3, T0, 10);
	ticks(e, T0 + S, T0 + 2 * S);
	ck_assert_int_eq(al.n, 1);

	/* Queries out when the capture goes blind are not timeouts. */
	query(e, C1, 20001, R2, 1, "lost.example", T0 + 2 * S - 10 * MS);
	query(e, C1, 20002, R2, 2, "lost.example", T0 + 2 * S - 5 * MS);

	/* Down for a minute: the window empties, nothing is judged. */
	dr_engine_capture_state(e, 0, T0 + 2 * S);
	ck_assert_uint_eq(find(e, R2)->n.evicted, 2);
	ck_assert_uint_eq(find(e, R2)->n.timeouts, 0);
	ticks(e, T0 + 3 * S, T0 + 60 * S);
	ck_assert_int_eq(al.n, 1);
	ck_assert_uint_eq(dr_engine_nfailing(e), 1);

	/* Back, still silent: no recovery for one window. */
	dr_engine_capture_state(e, 1, T0 + 60 * S);
	ticks(e, T0 + 61 * S, T0 + 69 * S);
	ck_assert_int_eq(al.n, 1);

	/* Real healthy answers do clear it, blind or not. */
	for (t = T0 + 69 * S, i = 0; t < T0 + 72 * S; t += 100 * MS, i++) {
		query(e, C1, (uint16_t)(20000 + i), R1, (uint16_t)i,
		    "ok.example", t);
		answer(e, C1, (uint16_t)(20000 + i), R1, (uint16_t)i,
		    "ok.example", 0, t + 5 * MS);
	}
	ticks(e, T0 + 72 * S, T0 + 73 * S);
	ck_assert_int_eq(al.n, 2);
	ck_assert_int_eq(al.a[1].event, DR_ALERT_RECOVERED);
	dr_engine_free(e);
}
END_TEST

/* DNS over TCP refused: "not listening", counted apart from ICMP. */
START_TEST(test_tcp_reset)
{
	struct dr_config	 c = cfg();
	struct alerts		 al;
	struct dr_engine	*e = enew(&c, &al);
	uint8_t			 ip[256], fr[512];
	struct dr_addr		 cl = pkt_addr(C1), rs = pkt_addr(R1);
	char			 msg[1024];
	size_t			 n;
	int			 i;

	for (i = 0; i < 10; i++) {
		n = pkt_ip_tcp(ip, sizeof(ip), &rs, 53, &cl,
		    (uint16_t)(30000 + i), PKT_TH_RST | PKT_TH_ACK, NULL, 0);
		n = pkt_link(fr, sizeof(fr), DR_DLT_EN10MB, 0, ip, n);
		dr_engine_packet(e, DR_DLT_EN10MB, fr, n, n,
		    T0 + i * 50 * MS);
	}
	ticks(e, T0 + S, T0 + 2 * S);
	ck_assert_int_eq(al.n, 1);
	ck_assert_int_eq(al.a[0].cause, DR_CAUSE_NOT_LISTENING);
	ck_assert_uint_eq(al.a[0].tcp_resets, 10);
	ck_assert_uint_eq(al.a[0].unreachable, 0);
	ck_assert_uint_eq(al.a[0].failures, 10);
	dr_alert_message(&al.a[0], msg, sizeof(msg));
	ck_assert_msg(strstr(msg, "refused (TCP reset)") != NULL, "%s", msg);
	dr_engine_free(e);
}
END_TEST

START_TEST(test_silent_drop)
{
	struct dr_config	 c = cfg();
	struct alerts		 al;
	struct dr_engine	*e = enew(&c, &al);
	struct dr_alert		*a;
	char			 msg[1024];
	int			 i;

	for (i = 0; i < 10; i++)
		query(e, i % 2 ? C1 : C2, (uint16_t)(30000 + i), R1,
		    (uint16_t)i, NAME, T0 + i * 50 * MS);
	/* Nothing before the timeouts have passed. */
	ticks(e, T0 + S, T0 + 2 * S);
	ck_assert_int_eq(al.n, 0);
	ticks(e, T0 + 3 * S, T0 + 8 * S);
	ck_assert_int_eq(al.n, 1);
	a = &al.a[0];
	ck_assert_int_eq(a->event, DR_ALERT_FAILING);
	ck_assert_int_eq(a->cause, DR_CAUSE_SILENT_DROP);
	check_addr(a, R1);
	ck_assert_uint_eq(a->queries, 10);
	ck_assert_uint_eq(a->timeouts, 10);
	ck_assert_uint_eq(a->unreachable, 0);
	ck_assert_uint_eq(a->clients, 2);
	ck_assert_int_eq(a->since, T0);
	dr_alert_message(a, msg, sizeof(msg));
	ck_assert_msg(strstr(msg, "no answer") != NULL, "%s", msg);
	ck_assert_msg(strstr(msg, "silent drop") != NULL, "%s", msg);
	/* Silence clears it: no queries in the window any more. */
	ticks(e, T0 + 9 * S, T0 + 30 * S);
	ck_assert_int_eq(al.n, 2);
	ck_assert_int_eq(al.a[1].event, DR_ALERT_RECOVERED);
	ck_assert_uint_eq(find(e, R1)->n.timeouts, 10);
	dr_engine_free(e);
}
END_TEST

START_TEST(test_causes)
{
	static const struct {
		const char	*res, *from;
		uint8_t		 code;
		enum dr_cause	 cause;
		const char	*words;
	} v[] = {
		{ R1, "198.51.100.1", 13, DR_CAUSE_FIREWALL,
		    "administratively prohibited" },
		{ R1, "198.51.100.1", 10, DR_CAUSE_FIREWALL,
		    "blocked by a firewall" },
		{ R1, "198.51.100.1", 1, DR_CAUSE_HOST_DOWN,
		    "host or network" },
		{ R1, "198.51.100.1", 0, DR_CAUSE_HOST_DOWN,
		    "host or network" },
		{ R1, "198.51.100.1", 2, DR_CAUSE_UNREACH_OTHER,
		    "destination unreachable" },
		{ "2001:db8::53", "2001:db8::53", 4, DR_CAUSE_NOT_LISTENING,
		    "DNS service not listening" },
		{ "2001:db8::53", "2001:db8:1::1", 1, DR_CAUSE_FIREWALL,
		    "administratively prohibited" },
		{ "2001:db8::53", "2001:db8:1::1", 3, DR_CAUSE_HOST_DOWN,
		    "host or network" },
	};
	struct dr_config	 c = cfg();
	struct alerts		 al;
	struct dr_engine	*e;
	struct dr_resolver	*r;
	char			 msg[1024];
	size_t			 i;
	int			 k;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		e = enew(&c, &al);
		for (k = 0; k < 8; k++)
			query_icmp(e, strchr(v[i].res, ':') ? "2001:db8:2::10" :
			    C1, (uint16_t)(40000 + k), v[i].res,
			    (uint16_t)k, NAME, v[i].from, v[i].code,
			    T0 + k * 10 * MS);
		ticks(e, T0 + S, T0 + 3 * S);
		ck_assert_msg(al.n == 1, "%s code %u: %d alerts", v[i].res,
		    v[i].code, al.n);
		ck_assert_int_eq(al.a[0].cause, v[i].cause);
		check_addr(&al.a[0], v[i].res);
		ck_assert_uint_eq(al.a[0].unreachable, 8);
		ck_assert_uint_eq(al.a[0].queries, 8);
		ck_assert_str_eq(al.a[0].qname, NAME);
		r = find(e, v[i].res);
		ck_assert_uint_eq(r->n.unreach_by_code[v[i].code], 8);
		/* The router that said so is not a resolver. */
		ck_assert_uint_eq(dr_tracker_nresolvers(dr_engine_tracker(e)),
		    1);
		dr_alert_message(&al.a[0], msg, sizeof(msg));
		ck_assert_msg(strstr(msg, v[i].words) != NULL, "%s", msg);
		ck_assert_msg(strstr(msg, v[i].res) != NULL, "%s", msg);
		dr_engine_free(e);
	}
}
END_TEST

START_TEST(test_reminder)
{
	struct dr_config	 c = cfg();
	struct alerts		 al;
	struct dr_engine	*e;
	char			 msg[1024];
	dr_time_t		 t;
	int			 i, k;

	c.realert_interval = 30 * S;
	e = enew(&c, &al);
	for (t = T0, k = 0; t < T0 + 75 * S; t += 500 * MS, k++)
		query_icmp(e, C1, (uint16_t)(40000 + k % 1000), R1,
		    (uint16_t)k, NAME, R1, 3, t);
	ticks(e, T0 + 75 * S, T0 + 75 * S);
	/* Failing at 1 s, reminders at 31 s and 61 s. */
	ck_assert_int_eq(al.n, 3);
	ck_assert_int_eq(al.a[0].reminder, 0);
	for (i = 1; i < 3; i++) {
		ck_assert_int_eq(al.a[i].event, DR_ALERT_FAILING);
		ck_assert_int_eq(al.a[i].reminder, 1);
		ck_assert_int_eq(al.a[i].ts, al.a[i - 1].ts + 30 * S);
		ck_assert_int_eq(al.a[i].since, al.a[0].since);
		ck_assert_int_eq(al.a[i].cause, DR_CAUSE_NOT_LISTENING);
	}
	dr_alert_message(&al.a[1], msg, sizeof(msg));
	ck_assert_msg(strstr(msg, "still failing") != NULL, "%s", msg);
	ck_assert_uint_eq(find(e, R1)->n.alerts, 1);
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
		query_icmp(e, C2, (uint16_t)(30000 + i), "203.0.113.3",
		    (uint16_t)i, NAME, "203.0.113.3", 3, T0 + i * 50 * MS);
	}
	dr_engine_capture_stats(e, 5000, 400, 100, T0 + 600 * MS);
	ticks(e, T0 + S, T0 + 8 * S);
	ck_assert_int_eq(al.n, 1);
	check_addr(&al.a[0], "203.0.113.3");
	ck_assert_uint_eq(al.a[0].capture_drops, 500);
	ck_assert_uint_gt(dr_engine_stats(e)->held, 0);
	ck_assert_uint_eq(dr_engine_stats(e)->capture_received, 5000);
	ck_assert_uint_eq(dr_engine_stats(e)->capture_dropped, 400);
	ck_assert_uint_eq(dr_engine_stats(e)->capture_ifdropped, 100);
	ck_assert_int_eq(find(e, R1)->det.failing, 0);
	ck_assert_uint_eq(find(e, R1)->n.timeouts, 10);
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
	ck_assert_int_eq(al.n, 1);
	ck_assert_int_eq(al.a[0].cause, DR_CAUSE_SILENT_DROP);
	ck_assert_uint_eq(dr_engine_stats(e)->held, 0);
	dr_engine_free(e);
}
END_TEST

START_TEST(test_reconfigure)
{
	struct dr_config	 c = cfg();
	struct alerts		 al;
	struct dr_engine	*e = enew(&c, &al);
	struct dr_tracker	*t;
	struct dr_resolver	*r;
	int			 i;

	incident(e, R1, R1, 3, T0, 10);
	ticks(e, T0 + S, T0 + 2 * S);
	ck_assert_int_eq(al.n, 1);
	t = dr_engine_tracker(e);
	/* A new threshold keeps the windows and the failing state. */
	c.threshold = 0.9;
	c.clear_threshold = 0.5;
	ck_assert_int_eq(dr_engine_reconfigure(e, &c), 1);
	ck_assert_ptr_eq(dr_engine_tracker(e), t);
	r = find(e, R1);
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(dr_window_total(r->win, DR_W_QUERIES), 10);
	ck_assert_int_eq(r->det.failing, 1);
	ck_assert_uint_eq(dr_engine_nfailing(e), 1);
	/* The new clear threshold applies: 10 of 20 is 50%. */
	query(e, C1, 1000, R1, 1, NAME, T0 + 3 * S);
	answer(e, C1, 1000, R1, 1, NAME, 0, T0 + 3 * S + 1);
	ticks(e, T0 + 4 * S, T0 + 4 * S);
	ck_assert_int_eq(al.n, 1);
	for (i = 2; i <= 10; i++) {
		query(e, C1, (uint16_t)(1000 + i), R1, (uint16_t)i, NAME,
		    T0 + 4 * S + i);
		answer(e, C1, (uint16_t)(1000 + i), R1, (uint16_t)i, NAME, 0,
		    T0 + 4 * S + i + 1);
	}
	ticks(e, T0 + 5 * S, T0 + 5 * S);
	ck_assert_int_eq(al.n, 2);
	ck_assert_int_eq(al.a[1].event, DR_ALERT_RECOVERED);
	ck_assert_uint_eq(al.a[1].queries, 20);
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

	c.threshold = 0.5;
	incident(e, R1, R1, 3, T0, 10);
	query(e, C1, 7, R1, 7, NAME, T0 + 1500 * MS);
	ticks(e, T0 + S, T0 + 2 * S);
	ck_assert_int_eq(al.n, 1);
	ck_assert_uint_eq(find(e, R1)->n.alerts, 1);
	/* A new window needs new tables: 0, resolvers carried over. */
	c.window = 20 * S;
	ck_assert_int_eq(dr_engine_reconfigure(e, &c), 0);
	t = dr_engine_tracker(e);
	ck_assert_int_eq(dr_tracker_conf(t)->window.nbuckets, 20);
	ck_assert_uint_eq(dr_tracker_nresolvers(t), 1);
	r = find(e, R1);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(r->det.failing, 1);
	ck_assert_uint_eq(r->n.queries, 11);
	ck_assert_uint_eq(r->n.unreachable, 10);
	ck_assert_uint_eq(r->n.alerts, 1);
	ck_assert_uint_eq(dr_window_total(r->win, DR_W_QUERIES), 11);
	ck_assert_uint_eq(dr_window_total(r->win, DR_W_UNREACH_PORT), 10);
	ck_assert_str_eq(r->sample_qname, NAME);
	/* Still failing, not failing again. */
	ticks(e, T0 + 3 * S, T0 + 5 * S);
	ck_assert_int_eq(al.n, 1);
	ck_assert_uint_eq(dr_resolver_clients(r), 3);
	/* Silence: one recovery, in the new window's time. */
	ticks(e, T0 + 6 * S, T0 + 60 * S);
	ck_assert_int_eq(al.n, 2);
	ck_assert_int_eq(al.a[1].event, DR_ALERT_RECOVERED);
	ck_assert_int_eq(al.a[1].window, 20 * S);
	/* The failing clients age out under the new window too. */
	ck_assert_msg(dr_resolver_clients(r) == 0,
	    "clients after a minute of silence: %u", dr_resolver_clients(r));
	/* And it works after. */
	incident(e, R1, R1, 3, T0 + 70 * S, 10);
	ticks(e, T0 + 71 * S, T0 + 72 * S);
	ck_assert_int_eq(al.n, 3);
	ck_assert_int_eq(al.a[2].event, DR_ALERT_FAILING);
	ck_assert_int_eq(al.a[2].window, 20 * S);
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
	/* Seven healthy resolvers, then the failing one, then more. */
	for (i = 0; i < 7; i++) {
		snprintf(res, sizeof(res), "198.51.100.%d", 10 + i);
		query(e, C1, (uint16_t)(30000 + i), res, 1, NAME, T0);
		answer(e, C1, (uint16_t)(30000 + i), res, 1, NAME, 0,
		    T0 + MS);
	}
	incident(e, R1, R1, 3, T0, 10);
	ticks(e, T0 + S, T0 + 2 * S);
	ck_assert_int_eq(al.n, 1);
	c.max_resolvers = 2;
	ck_assert_int_eq(dr_engine_reconfigure(e, &c), 0);
	ck_assert_ptr_nonnull(find(e, R1));
	ck_assert_int_eq(find(e, R1)->det.failing, 1);
	ck_assert_uint_le(dr_tracker_nresolvers(dr_engine_tracker(e)), 2);
	/* It still owes, and gets, its recovery. */
	ticks(e, T0 + 3 * S, T0 + 30 * S);
	ck_assert_int_eq(al.n, 2);
	ck_assert_int_eq(al.a[1].event, DR_ALERT_RECOVERED);
	dr_engine_free(e);
}
END_TEST

START_TEST(test_time_jump)
{
	struct dr_config	 c = cfg();
	struct alerts		 al;
	struct dr_engine	*e = enew(&c, &al);
	struct dr_resolver	*r;
	struct timespec		 t0, t1;
	dr_time_t		 far = T0 + 5 * 3600 * S;

	incident(e, R1, R1, 3, T0, 10);
	query(e, C1, 5555, R1, 5555, NAME, T0 + 500 * MS);
	ticks(e, T0 + S, T0 + S);
	ck_assert_int_eq(al.n, 1);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* Hours ahead, then years ahead. */
	query(e, C1, 1, R1, 1, NAME, far);
	r = find(e, R1);
	ck_assert_uint_eq(dr_window_total(r->win, DR_W_QUERIES), 1);
	ck_assert_uint_eq(dr_window_total(r->win, DR_W_UNREACH_PORT), 0);
	ck_assert_uint_eq(dr_window_total(r->win, DR_W_TIMEOUTS), 0);
	ck_assert_int_eq(r->det.failing, 0);
	ck_assert_int_eq(al.n, 2);
	ck_assert_int_eq(al.a[1].event, DR_ALERT_RECOVERED);
	ck_assert_uint_eq(r->n.timeouts, 1);
	ck_assert_uint_eq(dr_tracker_npending(dr_engine_tracker(e)), 1);
	query(e, C1, 2, R1, 2, NAME, far + 20LL * 365 * 86400 * S);
	ck_assert_uint_eq(dr_window_total(r->win, DR_W_QUERIES), 1);
	dr_engine_tick(e, far + 40LL * 365 * 86400 * S);
	ck_assert_uint_eq(dr_window_total(r->win, DR_W_QUERIES), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ck_assert_int_lt(t1.tv_sec - t0.tv_sec, 5);
	ck_assert_int_eq(al.n, 2);
	ck_assert_uint_eq(r->n.timeouts, 3);
	/* A packet from the past is harmless. */
	query(e, C1, 3, R1, 3, NAME, T0);
	ck_assert_int_eq(al.n, 2);
	dr_engine_free(e);
}
END_TEST

START_TEST(test_finish)
{
	struct dr_config	 c = cfg();
	struct alerts		 al;
	struct dr_engine	*e = enew(&c, &al);
	struct dr_resolver	*r;
	int			 i;

	for (i = 0; i < 5; i++)
		query(e, C1, (uint16_t)(30000 + i), R1, (uint16_t)i, NAME,
		    T0 + i * MS);
	answer(e, C1, 30000, R1, 0, NAME, 2, T0 + 10 * MS);
	dr_engine_finish(e);
	r = find(e, R1);
	ck_assert_uint_eq(r->n.queries, 5);
	ck_assert_uint_eq(r->n.responses, 1);
	ck_assert_uint_eq(r->n.rcodes[DR_RC_SERVFAIL], 1);
	ck_assert_uint_eq(r->n.timeouts, 4);
	ck_assert_uint_eq(r->n.unmatched_responses, 0);
	/* Finishing twice changes nothing. */
	dr_engine_finish(e);
	ck_assert_uint_eq(r->n.timeouts, 4);
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
	dr_engine_free(e);
}
END_TEST

START_TEST(test_alert_message)
{
	struct dr_alert	a;
	char		msg[1024];
	int		n;

	memset(&a, 0, sizeof(a));
	a.event = DR_ALERT_FAILING;
	a.resolver = pkt_addr("2001:db8::53");
	a.queries = 50;
	a.unreachable = 30;
	a.timeouts = 18;
	a.failures = 48;
	a.rate = 0.96;
	a.threshold = 0.5;
	a.window = 5 * 60 * S;
	a.cause = DR_CAUSE_NOT_LISTENING;
	a.capture_drops = 7;
	snprintf(a.qname, sizeof(a.qname), "a\\032b.example");
	n = dr_alert_message(&a, msg, sizeof(msg));
	ck_assert_int_eq(n, (int)strlen(msg));
	ck_assert_msg(strstr(msg, "resolver 2001:db8::53 failing: 48 of 50")
	    != NULL, "%s", msg);
	ck_assert_msg(strstr(msg, "5 min") != NULL, "%s", msg);
	ck_assert_msg(strstr(msg, "96%") != NULL, "%s", msg);
	ck_assert_msg(strstr(msg, "30 ICMP unreachable, 18 timed out") !=
	    NULL, "%s", msg);
	ck_assert_msg(strstr(msg, "DNS service not listening") != NULL, "%s",
	    msg);
	ck_assert_msg(strstr(msg, "a\\032b.example") != NULL, "%s", msg);
	ck_assert_msg(strstr(msg, "capture lost 7 packets") != NULL, "%s",
	    msg);
	/* Truncation reports the full length, like snprintf. */
	ck_assert_int_eq(dr_alert_message(&a, msg, 10), n);
	ck_assert_uint_eq(strlen(msg), 9);
	a.event = DR_ALERT_RECOVERED;
	a.failures = 1;
	a.rate = 0.02;
	a.window = 1500000;
	dr_alert_message(&a, msg, sizeof(msg));
	ck_assert_msg(strstr(msg, "resolver 2001:db8::53 recovered: 1 of 50")
	    != NULL, "%s", msg);
	ck_assert_msg(strstr(msg, "1.5 s") != NULL, "%s", msg);
	ck_assert_msg(strstr(msg, "failing") == NULL, "%s", msg);
	ck_assert_str_eq(dr_alert_event_name(DR_ALERT_RECOVERED), "recovered");
}
END_TEST

static Suite *
engine_suite(void)
{
	Suite	*s = suite_create("engine");
	TCase	*tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_incident_and_recovery);
	tcase_add_test(tc, test_silent_drop);
	tcase_add_test(tc, test_capture_gap_is_not_recovery);
	tcase_add_test(tc, test_tcp_reset);
	tcase_add_test(tc, test_causes);
	tcase_add_test(tc, test_reminder);
	tcase_add_test(tc, test_held_for_capture_loss);
	tcase_add_test(tc, test_reconfigure);
	tcase_add_test(tc, test_reconfigure_window);
	tcase_add_test(tc, test_reconfigure_shrink);
	tcase_add_test(tc, test_time_jump);
	tcase_add_test(tc, test_finish);
	tcase_add_test(tc, test_not_dns);
	tcase_add_test(tc, test_alert_message);
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
