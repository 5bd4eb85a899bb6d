/*
 * metrics.c: Prometheus text exposition.  Written by hand: it is a few
 * lines of printf, and Debian packages no C client library for it.
 */
#include <inttypes.h>
#include <stddef.h>

#include "metrics.h"

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

/* One series per resolver of a lifetime counter. */
static void
per_resolver(FILE *f, struct dr_tracker *t, const char *name,
    const char *help, size_t off)
{
	struct dr_resolver	*r;
	char			 a[DR_ADDR_STRLEN];
	uint32_t		 it = 0;

	head(f, name, "counter", help);
	while ((r = dr_tracker_next(t, &it)) != NULL)
		fprintf(f, "%s{resolver=\"%s\"} %" PRIu64 "\n", name,
		    dr_addr_format(dr_resolver_addr(r), a, sizeof(a)),
		    *(const uint64_t *)(const void *)((const char *)
		    dr_resolver_counts(r) + off));
}

#define RC(f)	offsetof(struct dr_resolver_counts, f)

static const struct {
	const char	*name;
	const char	*help;
	size_t		 off;
} counters[] = {
	{ "dnsreach_resolver_queries_total",
	  "DNS queries to the resolver.", RC(queries) },
	{ "dnsreach_resolver_responses_total",
	  "DNS responses from the resolver.", RC(responses) },
	{ "dnsreach_resolver_unreachable_total",
	  "ICMP unreachables quoting a DNS query to the resolver.",
	  RC(unreachable) },
	{ "dnsreach_resolver_unmatched_total",
	  "Of those, quoting no query seen.", RC(unmatched) },
	{ "dnsreach_resolver_timeouts_total",
	  "Queries that got no answer at all.", RC(timeouts) },
	{ "dnsreach_resolver_tcp_resets_total",
	  "TCP connections to port 53 refused.", RC(tcp_resets) },
};

int
dr_metrics_write(FILE *f, struct dr_engine *e, int capture_up)
{
	const struct dr_engine_stats	*st = dr_engine_stats(e);
	const struct dr_detect_conf	*dc = dr_engine_detect_conf(e);
	struct dr_tracker		*t = dr_engine_tracker(e);
	struct dr_detect_input		 in;
	struct dr_resolver		*r;
	char				 a[DR_ADDR_STRLEN];
	uint32_t			 it;
	int				 i;

	scalar(f, "dnsreach_packets_total", "counter",
	    "Packets read from the capture.", st->packets);
	head(f, "dnsreach_decode_total", "counter",
	    "Packets by decoding result.");
	for (i = 0; i < DR_DECODE_NRESULTS; i++)
		fprintf(f, "dnsreach_decode_total{result=\"%s\"} %" PRIu64 "\n",
		    dr_decode_result_name((enum dr_decode_result)i),
		    st->decode[i]);
	scalar(f, "dnsreach_capture_up", "gauge",
	    "1 while the capture is open.", capture_up != 0);
	scalar(f, "dnsreach_capture_received_total", "counter",
	    "Packets the kernel passed to the capture.", st->capture_received);
	scalar(f, "dnsreach_capture_dropped_total", "counter",
	    "Packets the kernel dropped for lack of buffer.",
	    st->capture_dropped);
	scalar(f, "dnsreach_capture_ifdropped_total", "counter",
	    "Packets the interface dropped.", st->capture_ifdropped);
	scalar(f, "dnsreach_alerts_total", "counter",
	    "Resolvers that went failing.", st->alerts);
	scalar(f, "dnsreach_recoveries_total", "counter",
	    "Resolvers that recovered.", st->recoveries);
	scalar(f, "dnsreach_resolvers", "gauge",
	    "Resolvers in the table.", dr_tracker_nresolvers(t));

	for (i = 0; i < (int)(sizeof(counters) / sizeof(counters[0])); i++)
		per_resolver(f, t, counters[i].name, counters[i].help,
		    counters[i].off);

	head(f, "dnsreach_resolver_failure_rate", "gauge",
	    "Failed share of the queries in the window.");
	for (it = 0; (r = dr_tracker_next(t, &it)) != NULL;) {
		dr_tracker_input(t, r, dr_engine_now(e),
		    dr_resolver_cstate(r)->last_up, &in);
		fprintf(f, "dnsreach_resolver_failure_rate{resolver=\"%s\"} "
		    "%.4f\n", dr_addr_format(dr_resolver_addr(r), a,
		    sizeof(a)), dr_detect_rate(dc, &in));
	}
	head(f, "dnsreach_resolver_failing", "gauge",
	    "1 while the resolver is failing.");
	for (it = 0; (r = dr_tracker_next(t, &it)) != NULL;)
		fprintf(f, "dnsreach_resolver_failing{resolver=\"%s\"} %d\n",
		    dr_addr_format(dr_resolver_addr(r), a, sizeof(a)),
		    dr_resolver_cstate(r)->failing);
	return ferror(f) ? -1 : 0;
}
