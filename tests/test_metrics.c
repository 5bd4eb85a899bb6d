/*
 * test_metrics.c: the Prometheus text, from real frames through the
 * engine: series names, labels, the answer-time histogram (cumulative
 * buckets, an exact sum, the count), rcode and ICMP-code labels.
 * promtool checks the format itself in tests/integration/t_metrics.sh.
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "metrics.h"
#include "util_pkt.h"

#define S	DR_USEC
#define MS	1000LL
#define T0	(1700000000LL * S)
#define CLI	"192.0.2.10"
#define RES	"203.0.113.2"
#define RES2	"203.0.113.3"
#define NAME	"www.example.com"

static uint8_t	ipbuf[PKT_MAX], icmpbuf[PKT_MAX], frame[PKT_MAX];
static uint8_t	dnsbuf[PKT_MAX];

static struct dr_engine *
enew(void)
{
	struct dr_config	 c;
	struct dr_engine	*e;

	dr_config_defaults(&c);
	c.window = 10 * S;
	c.bucket = S;
	c.query_timeout = 2 * S;
	c.match_window = 10 * S;
	c.max_resolvers = 8;
	c.max_pending = 256;
	e = dr_engine_new(&c, 1);
	ck_assert_ptr_nonnull(e);
	return e;
}

static void
feed(struct dr_engine *e, const uint8_t *ip, size_t len, dr_time_t ts)
{
	size_t	n;

	ck_assert_uint_gt(len, 0);
	n = pkt_link(frame, sizeof(frame), DR_DLT_EN10MB, 0, ip, len);
	ck_assert_uint_gt(n, len);
	dr_engine_packet(e, DR_DLT_EN10MB, frame, n, n, ts);
}

static size_t
mkquery(const char *res, uint16_t cport, uint16_t id)
{
	struct dr_addr	c = pkt_addr(CLI), r = pkt_addr(res);
	size_t		n;

	n = pkt_dns(dnsbuf, sizeof(dnsbuf), id, 0, 0, NAME);
	return pkt_ip_udp(ipbuf, sizeof(ipbuf), &c, cport, &r, DR_DNS_PORT,
	    dnsbuf, n);
}

/* A query at ts and its answer rtt later. */
static void
exchange(struct dr_engine *e, uint16_t id, int rcode, dr_time_t ts,
    dr_time_t rtt)
{
	struct dr_addr	c = pkt_addr(CLI), r = pkt_addr(RES);
	size_t		n;

	feed(e, ipbuf, mkquery(RES, (uint16_t)(40000 + id), id), ts);
	n = pkt_dns(dnsbuf, sizeof(dnsbuf), id, 1, rcode, NAME);
	n = pkt_ip_udp(ipbuf, sizeof(ipbuf), &r, DR_DNS_PORT, &c,
	    (uint16_t)(40000 + id), dnsbuf, n);
	feed(e, ipbuf, n, ts + rtt);
}

/* A query at ts, refused by ICMP with code. */
static void
refused(struct dr_engine *e, const char *res, uint16_t id, uint8_t code,
    dr_time_t ts)
{
	struct dr_addr	c = pkt_addr(CLI), r = pkt_addr(res);
	size_t		q, n;

	q = mkquery(res, (uint16_t)(40000 + id), id);
	feed(e, ipbuf, q, ts);
	n = pkt_ip_icmp_unreach(icmpbuf, sizeof(icmpbuf), &r, &c, code, ipbuf,
	    q);
	feed(e, icmpbuf, n, ts + 100);
}

static char *
render(struct dr_engine *e, const struct dr_metrics_info *mi)
{
	char	*text = NULL;
	size_t	 len = 0;
	FILE	*f;

	f = open_memstream(&text, &len);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(dr_metrics_write(f, e, mi), 0);
	ck_assert_int_eq(fclose(f), 0);
	return text;
}

static struct dr_metrics_info
info(void)
{
	struct dr_metrics_info	mi;

	memset(&mi, 0, sizeof(mi));
	mi.version = "0.1.0";
	mi.libpcap = "1.10.3";
	mi.libevent = "2.1.12-stable";
	mi.start_time = 1700000000.5;
	mi.capture_up = 1;
	return mi;
}

/* The value of the sample line that starts with "series ". */
static double
value(const char *text, const char *series)
{
	size_t		 n = strlen(series);
	const char	*p = text;

	while ((p = strstr(p, series)) != NULL) {
		if ((p == text || p[-1] == '\n') && p[n] == ' ')
			return strtod(p + n + 1, NULL);
		p += n;
	}
	ck_abort_msg("no sample %s", series);
	return 0;
}

static int
has(const char *text, const char *s)
{
	return strstr(text, s) != NULL;
}

#define B(le)	"dnsreach_resolver_answer_seconds_bucket{resolver=\"" RES \
		"\",le=\"" le "\"}"

START_TEST(test_histogram)
{
	struct dr_metrics_info	 mi = info();
	struct dr_engine	*e = enew();
	char			*t;

	/* 50 us, 150 us, exactly 1 ms, 1.5 ms, 30 ms, 700 ms. */
	exchange(e, 1, 0, T0, 50);
	exchange(e, 2, 2, T0 + 10 * MS, 150);	/* SERVFAIL */
	exchange(e, 3, 0, T0 + 20 * MS, 1000);
	exchange(e, 4, 3, T0 + 30 * MS, 1500);	/* NXDOMAIN */
	exchange(e, 5, 0, T0 + 40 * MS, 30 * MS);
	exchange(e, 6, 0, T0 + 100 * MS, 700 * MS);
	t = render(e, &mi);
	ck_assert_double_eq(value(t, B("0.0001")), 1);
	ck_assert_double_eq(value(t, B("0.0002")), 2);
	ck_assert_double_eq(value(t, B("0.0005")), 2);
	/* A bin is [lower, upper): 1 ms exactly is above le="0.001". */
	ck_assert_double_eq(value(t, B("0.001")), 2);
	ck_assert_double_eq(value(t, B("0.002")), 4);
	ck_assert_double_eq(value(t, B("0.02")), 4);
	ck_assert_double_eq(value(t, B("0.05")), 5);
	ck_assert_double_eq(value(t, B("0.5")), 5);
	ck_assert_double_eq(value(t, B("1")), 6);
	ck_assert_double_eq(value(t, B("20")), 6);
	ck_assert_double_eq(value(t, B("+Inf")), 6);
	/* Only the 1-2-5 bounds: half the bins, each count exact. */
	ck_assert(!has(t, "le=\"0.00015\""));
	ck_assert(!has(t, "le=\"0.0003\""));
	ck_assert_double_eq(value(t, "dnsreach_resolver_answer_seconds_count"
	    "{resolver=\"" RES "\"}"), 6);
	/* The sum is exact, not estimated from the bins. */
	ck_assert_double_eq_tol(value(t, "dnsreach_resolver_answer_seconds_sum"
	    "{resolver=\"" RES "\"}"), 0.7327, 1e-9);
	ck_assert(has(t,
	    "# TYPE dnsreach_resolver_answer_seconds histogram\n"));
	/* p95 over the window: in the 700 ms answer's bin. */
	ck_assert_double_ge(value(t, "dnsreach_resolver_answer_p95_seconds"
	    "{resolver=\"" RES "\"}"), 0.5);
	free(t);
	dr_engine_free(e);
}
END_TEST

#define R(rc)	"dnsreach_resolver_responses_total{resolver=\"" RES \
		"\",rcode=\"" rc "\"}"
#define U(res, c) "dnsreach_resolver_unreachable_total{resolver=\"" res \
		"\",code=\"" c "\"}"

START_TEST(test_labels)
{
	struct dr_metrics_info	 mi = info();
	struct dr_engine	*e = enew();
	char			*t;

	exchange(e, 1, 0, T0, 1 * MS);
	exchange(e, 2, 2, T0 + 1 * MS, 1 * MS);
	exchange(e, 3, 2, T0 + 2 * MS, 1 * MS);
	exchange(e, 4, 5, T0 + 3 * MS, 1 * MS);	/* REFUSED */
	exchange(e, 5, 9, T0 + 4 * MS, 1 * MS);	/* NOTAUTH: other */
	refused(e, RES2, 10, 3, T0 + 5 * MS);
	refused(e, RES2, 11, 3, T0 + 6 * MS);
	refused(e, RES2, 12, 13, T0 + 7 * MS);
	t = render(e, &mi);
	ck_assert_double_eq(value(t, R("NOERROR")), 1);
	ck_assert_double_eq(value(t, R("SERVFAIL")), 2);
	ck_assert_double_eq(value(t, R("REFUSED")), 1);
	ck_assert_double_eq(value(t, R("NXDOMAIN")), 0);
	ck_assert_double_eq(value(t, R("OTHER")), 1);
	ck_assert_double_eq(value(t, U(RES2, "3")), 2);
	ck_assert_double_eq(value(t, U(RES2, "13")), 1);
	/* The resolver itself sent all three, from its own link. */
	ck_assert_double_eq(value(t, "dnsreach_resolver_icmp_sender_errors"
	    "{resolver=\"" RES2 "\",sender=\"" RES2 "\"}"), 3);
	ck_assert_double_eq(value(t, "dnsreach_resolver_icmp_sender_hops"
	    "{resolver=\"" RES2 "\",sender=\"" RES2 "\"}"), 0);
	ck_assert(!has(t, "dnsreach_resolver_icmp_sender_errors{resolver=\""
	    RES "\""));
	/* Codes never seen are not written. */
	ck_assert(!has(t, U(RES2, "0")));
	ck_assert(!has(t, "dnsreach_resolver_unreachable_total{resolver=\""
	    RES "\""));
	ck_assert_double_eq(value(t, "dnsreach_resolver_queries_total"
	    "{resolver=\"" RES2 "\"}"), 3);
	/* No answers: no percentile. */
	ck_assert(has(t, "dnsreach_resolver_answer_p95_seconds{resolver=\""
	    RES2 "\"} NaN\n"));
	ck_assert_double_eq(value(t, "dnsreach_resolver_answer_seconds_count"
	    "{resolver=\"" RES2 "\"}"), 0);
	ck_assert_double_eq(value(t, "dnsreach_resolvers"), 2);
	ck_assert_double_eq(value(t, "dnsreach_resolvers_max"), 8);
	ck_assert_double_eq(value(t, "dnsreach_capture_up"), 1);
	ck_assert_double_eq(value(t, "dnsreach_alerts_total{kind=\"failing\"}"),
	    0);
	free(t);
	dr_engine_free(e);
}
END_TEST

START_TEST(test_failing)
{
	struct dr_metrics_info	 mi = info();
	struct dr_engine	*e = enew();
	char			*t;
	int			 i;

	/* Every query refused for two seconds: failing, ratio 1. */
	for (i = 0; i < 40; i++)
		refused(e, RES, (uint16_t)(100 + i), 3, T0 + i * 50 * MS);
	dr_engine_tick(e, T0 + 2100 * MS);
	t = render(e, &mi);
	ck_assert_double_eq(value(t, "dnsreach_resolver_failing{resolver=\""
	    RES "\"}"), 1);
	ck_assert_double_eq(value(t, "dnsreach_resolver_failure_ratio"
	    "{resolver=\"" RES "\"}"), 1);
	ck_assert_double_eq(value(t, "dnsreach_resolver_slow{resolver=\""
	    RES "\"}"), 0);
	ck_assert_double_eq(value(t, "dnsreach_alerts_total{kind=\"failing\"}"),
	    1);
	ck_assert_double_eq(value(t, "dnsreach_resolver_alerts_total"
	    "{resolver=\"" RES "\",kind=\"failing\"}"), 1);
	free(t);
	dr_engine_free(e);
}
END_TEST

START_TEST(test_process)
{
	struct dr_metrics_info	 mi = info();
	struct dr_engine	*e = enew();
	char			*t;

	mi.version = "1.0\"x\\y\nz";
	mi.http_open = 3;
	mi.http_expired = 7;
	mi.capture_up = 0;
	t = render(e, &mi);
	/* Label values escaped as the text format says. */
	ck_assert(has(t, "dnsreach_build_info{version=\"1.0\\\"x\\\\y\\nz\","
	    "libpcap=\"1.10.3\",libevent=\"2.1.12-stable\"} 1\n"));
	ck_assert_double_eq(value(t, "process_start_time_seconds"),
	    1700000000.5);
	ck_assert_double_eq(value(t, "dnsreach_http_connections"), 3);
	ck_assert_double_eq(value(t, "dnsreach_http_connections_expired_total"),
	    7);
	ck_assert_double_eq(value(t, "dnsreach_capture_up"), 0);
	/* An empty table: every family still has its HELP and TYPE. */
	ck_assert(has(t, "# TYPE dnsreach_resolver_failing gauge\n"));
	ck_assert(!has(t, "{resolver="));
	free(t);
	dr_engine_free(e);
}
END_TEST

static Suite *
suite(void)
{
	Suite	*s = suite_create("metrics");
	TCase	*tc = tcase_create("text");

	tcase_add_test(tc, test_histogram);
	tcase_add_test(tc, test_labels);
	tcase_add_test(tc, test_failing);
	tcase_add_test(tc, test_process);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
