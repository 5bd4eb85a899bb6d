/*
 * metrics.c: Prometheus text exposition.  Written by hand: it is a few
 * lines of printf, and Debian packages no C client library for it.
 *
 * Every family is written whole (HELP, TYPE, then all its samples), so
 * per-resolver families walk the table once each.  dnsreachd(8), METRICS,
 * describes every series; keep it in step.
 */
#include <inttypes.h>
#include <stddef.h>

#include "metrics.h"

#define RES	"dnsreach_resolver_"

static void
head(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void
scalar(FILE *f, const char *name, const char *type, const char *help,
    uint64_t v)
{
	head(f, name, type, help);
	fprintf(f, "%s %" PRIu64 "\n", name, v);
}

/* A label value, escaped as the text format wants. */
static void
label_value(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\' || *s == '"')
			fprintf(f, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
}

/* NAME{resolver="ADDR" -- the caller adds any label and the value. */
static void
open_sample(FILE *f, const char *name, const struct dr_resolver *r)
{
	char	a[DR_ADDR_STRLEN];

	fprintf(f, "%s{resolver=\"%s\"", name,
	    dr_addr_format(dr_resolver_addr(r), a, sizeof(a)));
}

/* Seconds from microseconds; NaN is the format's "no value". */
static void
seconds(FILE *f, dr_time_t us, int known)
{
	if (known)
		fprintf(f, " %.6f\n", (double)us / DR_USEC);
	else
		fputs(" NaN\n", f);
}

#define RC(f)	offsetof(struct dr_resolver_counts, f)

/* Lifetime counters of a resolver with no label of their own. */
static const struct {
	const char	*name;
	const char	*help;
	size_t		 off;
} counters[] = {
	{ RES "queries_total",
	  "DNS queries to the resolver, not counting retransmissions.",
	  RC(queries) },
	{ RES "retransmissions_total",
	  "Queries sent again by a client (same client, port, id and name).",
	  RC(retransmissions) },
	{ RES "unmatched_total",
	  "ICMP unreachables quoting no query seen recently.", RC(unmatched) },
	{ RES "timeouts_total",
	  "Queries whose final outcome was no answer at all.", RC(timeouts) },
	{ RES "answered_late_total",
	  "Queries answered after query_timeout (not timeouts after all).",
	  RC(answered_late) },
	{ RES "late_responses_total",
	  "ICMP errors from clients about answers they no longer waited for.",
	  RC(late) },
	{ RES "tcp_resets_total",
	  "TCP connections to port 53 refused with a reset.", RC(tcp_resets) },
	{ RES "tcp_connect_timeouts_total",
	  "TCP connections to port 53 whose SYN was never answered.",
	  RC(tcp_connect_timeouts) },
	{ RES "unmatched_responses_total",
	  "Responses to no query seen.", RC(unmatched_responses) },
	{ RES "evicted_total",
	  "Queries whose outcome was lost: the pending table was full or the "
	  "capture went down.", RC(evicted) },
};

static uint64_t
count_at(const struct dr_resolver *r, size_t off)
{
	return *(const uint64_t *)(const void *)((const char *)
	    dr_resolver_counts(r) + off);
}

static void
per_resolver(FILE *f, struct dr_tracker *t, const char *name,
    const char *help, size_t off)
{
	struct dr_resolver	*r;
	uint32_t		 it = 0;

	head(f, name, "counter", help);
	while ((r = dr_tracker_next(t, &it)) != NULL) {
		open_sample(f, name, r);
		fprintf(f, "} %" PRIu64 "\n", count_at(r, off));
	}
}

static void
responses(FILE *f, struct dr_tracker *t)
{
	struct dr_resolver	*r;
	uint32_t		 it = 0;
	int			 c;

	head(f, RES "responses_total", "counter",
	    "DNS responses from the resolver, by rcode (OTHER: any rcode "
	    "not named).");
	while ((r = dr_tracker_next(t, &it)) != NULL)
		for (c = 0; c < DR_RC_NCLASSES; c++) {
			open_sample(f, RES "responses_total", r);
			fprintf(f, ",rcode=\"%s\"} %" PRIu64 "\n",
			    dr_rcode_class_name((enum dr_rcode_class)c),
			    dr_resolver_counts(r)->rcodes[c]);
		}
}

/* By code, only the codes seen: there are 17, and most never come. */
static void
unreachables(FILE *f, struct dr_tracker *t)
{
	const struct dr_resolver_counts	*n;
	struct dr_resolver		*r;
	uint32_t			 it = 0;
	int				 c;

	head(f, RES "unreachable_total", "counter",
	    "ICMP or ICMPv6 destination unreachables quoting a DNS query to "
	    "the resolver, by code (of ICMP for IPv4 resolvers, of ICMPv6 "
	    "for IPv6 ones; other: above 15).");
	while ((r = dr_tracker_next(t, &it)) != NULL) {
		n = dr_resolver_counts(r);
		for (c = 0; c < DR_ICMP_NCODES; c++) {
			if (n->unreach_by_code[c] == 0)
				continue;
			open_sample(f, RES "unreachable_total", r);
			if (c == DR_ICMP_CODE_OTHER)
				fputs(",code=\"other\"}", f);
			else
				fprintf(f, ",code=\"%d\"}", c);
			fprintf(f, " %" PRIu64 "\n", n->unreach_by_code[c]);
		}
	}
}

/*
 * Who sends the ICMP errors about a resolver's queries: the resolver
 * itself (nothing listens) or a router or firewall on the way, and how
 * far away.  Gauges: four senders are kept per resolver, most frequent
 * first, and a newcomer takes the place of the least frequent.
 */
static void
icmp_senders(FILE *f, struct dr_tracker *t)
{
	struct dr_icmp_sender	 s[DR_ICMP_SENDERS];
	struct dr_resolver	*r;
	char			 a[DR_ADDR_STRLEN];
	uint32_t		 it;
	size_t			 n, i;
	int			 pass;

	for (pass = 0; pass < 2; pass++) {
		head(f, pass == 0 ? RES "icmp_sender_errors" :
		    RES "icmp_sender_hops", "gauge", pass == 0 ?
		    "ICMP errors about the resolver's queries by sender (its "
		    "four most frequent; approximate once more have sent)." :
		    "Hops to that sender, from the TTL or hop limit its errors "
		    "arrived with (0: on the capture's link).");
		for (it = 0; (r = dr_tracker_next(t, &it)) != NULL;) {
			n = dr_resolver_icmp_senders(r, s, DR_ICMP_SENDERS);
			for (i = 0; i < n; i++) {
				open_sample(f, pass == 0 ?
				    RES "icmp_sender_errors" :
				    RES "icmp_sender_hops", r);
				fprintf(f, ",sender=\"%s\"} %d\n",
				    dr_addr_format(&s[i].addr, a, sizeof(a)),
				    pass == 0 ? (int)s[i].count :
				    dr_icmp_hops(s[i].ttl));
			}
		}
	}
}

static void
resolver_alerts(FILE *f, struct dr_tracker *t)
{
	struct dr_resolver	*r;
	uint32_t		 it = 0;

	head(f, RES "alerts_total", "counter",
	    "Episodes of the resolver: kind failing (failing or flapping "
	    "alerts) or slow.");
	while ((r = dr_tracker_next(t, &it)) != NULL) {
		open_sample(f, RES "alerts_total", r);
		fprintf(f, ",kind=\"failing\"} %" PRIu64 "\n",
		    dr_resolver_counts(r)->alerts);
		open_sample(f, RES "alerts_total", r);
		fprintf(f, ",kind=\"slow\"} %" PRIu64 "\n",
		    dr_resolver_counts(r)->slow_alerts);
	}
}

/*
 * Whether a bound of the latency bins is on the 1-2-5 series: those
 * are the histogram's buckets, half the bins, each count still exact.
 */
static int
bucket_bound(dr_time_t b)
{
	while (b >= 10 && b % 10 == 0)
		b /= 10;
	return b == 1 || b == 2 || b == 5;
}

/*
 * The lifetime answer-time histogram.  A bin holds [lower, upper) in
 * whole microseconds, so bucket le="X" counts answers below X: one of
 * exactly X lands in the next bucket, a microsecond's difference.
 */
static void
answer_histogram(FILE *f, struct dr_tracker *t)
{
	const char		*name = RES "answer_seconds";
	const uint64_t		*bins;
	struct dr_resolver	*r;
	uint64_t		 cum;
	uint32_t		 it = 0;
	dr_time_t		 b;
	int			 i;

	head(f, name, "histogram",
	    "Time from a query to its answer; queries sent again are no "
	    "sample (Karn's rule).");
	while ((r = dr_tracker_next(t, &it)) != NULL) {
		bins = dr_resolver_latency(r);
		cum = 0;
		for (i = 0; i < DR_LAT_NBINS - 1; i++) {
			cum += bins[i];
			b = dr_latency_bound(i);
			if (!bucket_bound(b))
				continue;
			open_sample(f, RES "answer_seconds_bucket", r);
			fprintf(f, ",le=\"%g\"} %" PRIu64 "\n",
			    (double)b / DR_USEC, cum);
		}
		cum += bins[DR_LAT_NBINS - 1];
		open_sample(f, RES "answer_seconds_bucket", r);
		fprintf(f, ",le=\"+Inf\"} %" PRIu64 "\n", cum);
		open_sample(f, RES "answer_seconds_sum", r);
		fputc('}', f);
		seconds(f, (dr_time_t)dr_resolver_counts(r)->answer_time, 1);
		open_sample(f, RES "answer_seconds_count", r);
		fprintf(f, "} %" PRIu64 "\n", cum);
	}
}

/* The gauges the detector's view gives: ratio, p95, states. */
static void
judgement(FILE *f, struct dr_engine *e)
{
	const struct dr_detect_conf	*dc = dr_engine_detect_conf(e);
	struct dr_tracker		*t = dr_engine_tracker(e);
	struct dr_detect_input		 in;
	struct dr_resolver		*r;
	uint32_t			 it;

	head(f, RES "failure_ratio", "gauge",
	    "Failed share of the queries with a known outcome in the window "
	    "(0 to 1).");
	for (it = 0; (r = dr_tracker_next(t, &it)) != NULL;) {
		dr_tracker_input(t, r, dr_engine_now(e),
		    dr_resolver_cstate(r)->last_up, &in);
		open_sample(f, RES "failure_ratio", r);
		fprintf(f, "} %.6f\n", dr_detect_rate(dc, &in));
	}
	head(f, RES "answer_p95_seconds", "gauge",
	    "95th percentile of the answer times in the window, as the slow "
	    "test sees it; NaN with no answers.");
	for (it = 0; (r = dr_tracker_next(t, &it)) != NULL;) {
		dr_tracker_latency_input(t, r, 0, &in);
		open_sample(f, RES "answer_p95_seconds", r);
		fputc('}', f);
		seconds(f, in.p95, in.samples > 0);
	}
	head(f, RES "failing", "gauge",
	    "1 while the resolver is failing (from the failing alert to the "
	    "recovered one), else 0.");
	for (it = 0; (r = dr_tracker_next(t, &it)) != NULL;) {
		open_sample(f, RES "failing", r);
		fprintf(f, "} %d\n", dr_resolver_cstate(r)->failing ? 1 : 0);
	}
	head(f, RES "slow", "gauge",
	    "1 while the resolver is slow (p95 above slow_threshold), else 0.");
	for (it = 0; (r = dr_tracker_next(t, &it)) != NULL;) {
		open_sample(f, RES "slow", r);
		fprintf(f, "} %d\n", dr_resolver_cstate(r)->slow ? 1 : 0);
	}
}

static void
process(FILE *f, const struct dr_metrics_info *mi)
{
	head(f, "dnsreach_build_info", "gauge",
	    "Always 1; the labels name the versions running.");
	fputs("dnsreach_build_info{version=\"", f);
	label_value(f, mi->version);
	fputs("\",libpcap=\"", f);
	label_value(f, mi->libpcap);
	fputs("\",libevent=\"", f);
	label_value(f, mi->libevent);
	fputs("\"} 1\n", f);
	head(f, "process_start_time_seconds", "gauge",
	    "Start time of the process since unix epoch in seconds.");
	fprintf(f, "process_start_time_seconds %.3f\n", mi->start_time);
	scalar(f, "dnsreach_http_connections", "gauge",
	    "Connections to the metrics endpoint open now.", mi->http_open);
	scalar(f, "dnsreach_http_connections_total", "counter",
	    "Connections to the metrics endpoint accepted.",
	    mi->http_accepted);
	scalar(f, "dnsreach_http_connections_expired_total", "counter",
	    "Connections closed because they outlived their deadline.",
	    mi->http_expired);
	scalar(f, "dnsreach_http_accept_errors_total", "counter",
	    "Failures to accept a connection (out of file descriptors...).",
	    mi->http_accept_errors);
}

static void
engine(FILE *f, struct dr_engine *e, int capture_up)
{
	static const struct {
		const char	*kind;
		size_t		 off;
	} kinds[] = {
#define ES(f)	offsetof(struct dr_engine_stats, f)
		{ "failing", ES(alerts) },
		{ "flapping", ES(flaps) },
		{ "reminder", ES(reminders) },
		{ "updated", ES(updates) },
		{ "recovered", ES(recoveries) },
		{ "slow", ES(slow) },
		{ "slow-recovered", ES(slow_recoveries) },
#undef ES
	};
	const struct dr_engine_stats	*st = dr_engine_stats(e);
	struct dr_tracker		*t = dr_engine_tracker(e);
	const struct dr_tracker_stats	*ts = dr_tracker_stats(t);
	size_t				 i;

	scalar(f, "dnsreach_packets_total", "counter",
	    "Packets read from the capture.", st->packets);
	head(f, "dnsreach_decode_total", "counter",
	    "Packets by decoding result.");
	for (i = 0; i < DR_DECODE_NRESULTS; i++)
		fprintf(f, "dnsreach_decode_total{result=\"%s\"} %" PRIu64 "\n",
		    dr_decode_result_name((enum dr_decode_result)i),
		    st->decode[i]);
	scalar(f, "dnsreach_capture_up", "gauge",
	    "1 while the capture is open, else 0.", capture_up != 0);
	scalar(f, "dnsreach_capture_received_total", "counter",
	    "Packets the kernel passed to the capture.", st->capture_received);
	scalar(f, "dnsreach_capture_dropped_total", "counter",
	    "Packets the kernel dropped for lack of buffer space.",
	    st->capture_dropped);
	scalar(f, "dnsreach_capture_ifdropped_total", "counter",
	    "Packets the interface dropped.", st->capture_ifdropped);

	head(f, "dnsreach_alerts_total", "counter",
	    "Alerts by kind, as DNSREACH_EVENT names them; reminder: a "
	    "failing alert repeated.");
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		fprintf(f, "dnsreach_alerts_total{kind=\"%s\"} %" PRIu64 "\n",
		    kinds[i].kind, *(const uint64_t *)(const void *)
		    ((const char *)st + kinds[i].off));
	scalar(f, "dnsreach_alerts_held_total", "counter",
	    "Failing verdicts not announced because capture loss explains "
	    "them.", st->held);
	scalar(f, "dnsreach_alerts_dropped_total", "counter",
	    "Alerts lost because the alert queue was full.",
	    st->alerts_dropped);

	scalar(f, "dnsreach_resolvers", "gauge",
	    "Resolvers in the table.", dr_tracker_nresolvers(t));
	scalar(f, "dnsreach_resolvers_max", "gauge",
	    "Size of the resolver table (max_resolvers).",
	    dr_tracker_conf(t)->max_resolvers);
	scalar(f, "dnsreach_resolvers_evicted_total", "counter",
	    "Resolvers evicted from the full table to make room.",
	    ts->resolver_evictions);
	scalar(f, "dnsreach_events_dropped_total", "counter",
	    "Events dropped because the resolver table was full and no "
	    "resolver could be evicted.", ts->resolver_table_full);
	scalar(f, "dnsreach_pending_queries", "gauge",
	    "Queries outstanding or recently timed out.",
	    dr_tracker_npending(t));
	scalar(f, "dnsreach_queries_evicted_total", "counter",
	    "Queries evicted from a full pending table (max_pending).",
	    ts->pending_evictions);
}

int
dr_metrics_write(FILE *f, struct dr_engine *e,
    const struct dr_metrics_info *mi)
{
	struct dr_tracker	*t = dr_engine_tracker(e);
	size_t			 i;

	process(f, mi);
	engine(f, e, mi->capture_up);
	for (i = 0; i < sizeof(counters) / sizeof(counters[0]); i++)
		per_resolver(f, t, counters[i].name, counters[i].help,
		    counters[i].off);
	responses(f, t);
	unreachables(f, t);
	icmp_senders(f, t);
	resolver_alerts(f, t);
	answer_histogram(f, t);
	judgement(f, e);
	return ferror(f) ? -1 : 0;
}
