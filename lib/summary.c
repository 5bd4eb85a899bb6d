/*
 * summary.c: per-resolver summary, text or JSON.
 */
#include <stdlib.h>
#include <string.h>

#include "summary.h"

#define LLU(x)	((unsigned long long)(x))

/* Resolvers in a stable order: IPv4 before IPv6, then by address. */
static int
cmp_resolver(const void *x, const void *y)
{
	const struct dr_addr *a =
	    dr_resolver_addr(*(const struct dr_resolver *const *)x);
	const struct dr_addr *b =
	    dr_resolver_addr(*(const struct dr_resolver *const *)y);

	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return memcmp(a->a, b->a, sizeof(a->a));
}

static struct dr_resolver **
sorted(struct dr_engine *e, size_t *np)
{
	struct dr_tracker	 *t = dr_engine_tracker(e);
	struct dr_resolver	**v, *r;
	uint32_t		  it = 0;
	size_t			  n = 0;

	v = calloc(dr_tracker_nresolvers(t) + 1, sizeof(*v));
	if (v == NULL)
		return NULL;
	while ((r = dr_tracker_next(t, &it)) != NULL)
		v[n++] = r;
	qsort(v, n, sizeof(*v), cmp_resolver);
	*np = n;
	return v;
}

void
dr_json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s != '\0'; s++) {
		unsigned char	c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* Answer time quantiles in ms, from a lifetime histogram. */
static void
quantiles(const struct dr_resolver *r, double *p50, double *p95,
    double *p99, uint64_t *n)
{
	const uint64_t	*h = dr_resolver_latency(r);

	*p50 = (double)dr_latency_quantile(h, 0.50, n) / DR_MSEC;
	*p95 = (double)dr_latency_quantile(h, 0.95, NULL) / DR_MSEC;
	*p99 = (double)dr_latency_quantile(h, 0.99, NULL) / DR_MSEC;
}

static void
json_resolver(FILE *f, const struct dr_resolver *r)
{
	const struct dr_resolver_counts	*n = dr_resolver_counts(r);
	const struct dr_detect_state	*st = dr_resolver_cstate(r);
	struct dr_icmp_sender		 s[DR_ICMP_SENDERS];
	char				 addr[DR_ADDR_STRLEN];
	double				 p50, p95, p99;
	uint64_t			 samples;
	size_t				 ns, i;
	int				 c, first = 1;

	fprintf(f, "{\"resolver\": \"%s\", \"queries\": %llu, "
	    "\"retransmissions\": %llu, \"responses\": %llu, "
	    "\"unreachable\": %llu, \"unreachable_by_code\": {",
	    dr_addr_format(dr_resolver_addr(r), addr, sizeof(addr)),
	    LLU(n->queries), LLU(n->retransmissions), LLU(n->responses),
	    LLU(n->unreachable));
	for (c = 0; c < DR_ICMP_NCODES; c++) {
		if (n->unreach_by_code[c] == 0)
			continue;
		fputs(first ? "" : ", ", f);
		if (c == DR_ICMP_CODE_OTHER)
			fprintf(f, "\"other\": %llu", LLU(n->unreach_by_code[c]));
		else
			fprintf(f, "\"%d\": %llu", c,
			    LLU(n->unreach_by_code[c]));
		first = 0;
	}
	fprintf(f, "}, \"unmatched\": %llu, \"timeouts\": %llu, "
	    "\"rcodes\": {", LLU(n->unmatched), LLU(n->timeouts));
	for (c = 0; c < DR_RC_NCLASSES; c++)
		fprintf(f, "%s\"%s\": %llu", c ? ", " : "",
		    dr_rcode_class_name((enum dr_rcode_class)c),
		    LLU(n->rcodes[c]));
	quantiles(r, &p50, &p95, &p99, &samples);
	fprintf(f, "}, \"alerts\": %llu, \"slow_alerts\": %llu, "
	    "\"failing\": %s, \"slow\": %s, \"cause\": \"%s\", "
	    "\"late_responses\": %llu, \"answered_late\": %llu, "
	    "\"tcp_resets\": %llu, \"tcp_unmatched_resets\": %llu, "
	    "\"tcp_connect_timeouts\": %llu, \"unmatched_responses\": %llu, "
	    "\"evicted\": %llu, \"latency\": {\"samples\": %llu, "
	    "\"p50_ms\": %.1f, \"p95_ms\": %.1f, \"p99_ms\": %.1f}, "
	    "\"icmp_senders\": [", LLU(n->alerts), LLU(n->slow_alerts),
	    st->failing ? "true" : "false", st->slow ? "true" : "false",
	    dr_cause_token(st->failing ? st->cause : DR_CAUSE_NONE),
	    LLU(n->late), LLU(n->answered_late), LLU(n->tcp_resets),
	    LLU(n->tcp_unmatched_resets), LLU(n->tcp_connect_timeouts),
	    LLU(n->unmatched_responses), LLU(n->evicted), LLU(samples), p50,
	    p95, p99);
	ns = dr_resolver_icmp_senders(r, s, DR_ICMP_SENDERS);
	for (i = 0; i < ns; i++)
		fprintf(f, "%s{\"address\": \"%s\", \"count\": %u, "
		    "\"hops\": %d, \"is_resolver\": %s}", i ? ", " : "",
		    dr_addr_format(&s[i].addr, addr, sizeof(addr)), s[i].count,
		    dr_icmp_hops(s[i].ttl), dr_addr_eq(&s[i].addr,
		    dr_resolver_addr(r)) ? "true" : "false");
	fprintf(f, "]}");
}

static void
json_event(FILE *f, const struct dr_alert *a)
{
	char	at[40], since[40], addr[DR_ADDR_STRLEN];

	dr_alert_time(a->ts, at, sizeof(at));
	dr_alert_time(a->since, since, sizeof(since));
	fprintf(f, "{\"time\": \"%s\", \"ts\": %lld.%06lld, \"event\": "
	    "\"%s\", \"resolver\": \"%s\", \"detector\": \"%s\", "
	    "\"cause\": \"%s\", \"reminder\": %s, \"first_failure\": \"%s\", "
	    "\"queries\": %u, \"failures\": %u, \"failure_rate\": %.3f, "
	    "\"clients\": %u, \"p95_ms\": %u", at,
	    (long long)(a->ts / DR_USEC - (a->ts % DR_USEC < 0)),
	    (long long)((a->ts % DR_USEC + DR_USEC) % DR_USEC),
	    dr_alert_event_name(a->event),
	    dr_addr_format(&a->resolver, addr, sizeof(addr)),
	    dr_detector_name(a->detector), dr_cause_token(a->cause),
	    a->reminder ? "true" : "false", since, a->queries, a->failures,
	    a->rate, a->clients, a->p95_ms);
	if (a->event == DR_ALERT_UPDATED)
		fprintf(f, ", \"previous_cause\": \"%s\"",
		    dr_cause_token(a->prev_cause));
	if (a->icmp_from.family != DR_AF_NONE)
		fprintf(f, ", \"icmp_from\": \"%s\", \"icmp_hops\": %d",
		    dr_addr_format(&a->icmp_from, addr, sizeof(addr)),
		    a->icmp_hops);
	fprintf(f, ", \"sample_qname\": ");
	dr_json_string(f, a->qname);
	fputc('}', f);
}

int
dr_summary_json(FILE *f, struct dr_engine *e, const char *source,
    const struct dr_alert *events, size_t nevents)
{
	const struct dr_engine_stats	*st = dr_engine_stats(e);
	const struct dr_tracker_stats	*ts;
	struct dr_resolver		**v;
	size_t				 n, i;
	int				 c;

	if ((v = sorted(e, &n)) == NULL)
		return -1;
	ts = dr_tracker_stats(dr_engine_tracker(e));
	fprintf(f, "{\"source\": ");
	dr_json_string(f, source);
	fprintf(f, ", \"packets\": %llu, \"decode\": {", LLU(st->packets));
	for (c = 0; c < DR_DECODE_NRESULTS; c++)
		fprintf(f, "%s\"%s\": %llu", c ? ", " : "",
		    dr_decode_result_name((enum dr_decode_result)c),
		    LLU(st->decode[c]));
	fprintf(f, "}, \"capture\": {\"received\": %llu, \"dropped\": %llu, "
	    "\"ifdropped\": %llu}, \"clock\": {\"suspect\": %llu, "
	    "\"steps\": %llu}, \"tables\": {\"resolver_evictions\": %llu, "
	    "\"resolver_table_full\": %llu, \"pending_evictions\": %llu, "
	    "\"ignored\": %llu}, \"alerts\": %llu, \"reminders\": %llu, "
	    "\"recoveries\": %llu, \"flaps\": %llu, \"updates\": %llu, "
	    "\"slow\": %llu, \"slow_recoveries\": %llu, "
	    "\"alerts_dropped\": %llu, \"resolvers\": [",
	    LLU(st->capture_received), LLU(st->capture_dropped),
	    LLU(st->capture_ifdropped), LLU(st->suspect_time),
	    LLU(st->clock_steps), LLU(ts->resolver_evictions),
	    LLU(ts->resolver_table_full), LLU(ts->pending_evictions),
	    LLU(ts->ignored), LLU(st->alerts), LLU(st->reminders),
	    LLU(st->recoveries), LLU(st->flaps), LLU(st->updates),
	    LLU(st->slow), LLU(st->slow_recoveries), LLU(st->alerts_dropped));
	for (i = 0; i < n; i++) {
		fprintf(f, "%s\n  ", i ? "," : "");
		json_resolver(f, v[i]);
	}
	fprintf(f, "%s], \"events\": [", n ? "\n" : "");
	for (i = 0; i < nevents; i++) {
		fprintf(f, "%s\n  ", i ? "," : "");
		json_event(f, &events[i]);
	}
	fprintf(f, "%s]}\n", nevents ? "\n" : "");
	free(v);
	return fflush(f) == EOF || ferror(f) ? -1 : 0;
}

int
dr_summary_text(FILE *f, struct dr_engine *e, const char *source)
{
	const struct dr_engine_stats	*st = dr_engine_stats(e);
	const struct dr_resolver_counts	*c;
	const struct dr_detect_state	*ds;
	struct dr_resolver		**v;
	char				 addr[DR_ADDR_STRLEN], p95[16];
	double				 p50, q95, p99;
	uint64_t			 samples;
	size_t				 n, i;

	if ((v = sorted(e, &n)) == NULL)
		return -1;
	fprintf(f, "%s: %llu packets, %llu truncated, %llu malformed; "
	    "%llu failing alerts, %llu recoveries, %llu flapping, %llu slow"
	    "%s\n", source, LLU(st->packets),
	    LLU(st->decode[DR_DECODE_TRUNCATED]),
	    LLU(st->decode[DR_DECODE_MALFORMED]), LLU(st->alerts),
	    LLU(st->recoveries), LLU(st->flaps), LLU(st->slow),
	    st->suspect_time ? " (some timestamps were suspect)" : "");
	/* Every outcome that can fail a resolver has a column. */
	fprintf(f, "%-39s %8s %8s %7s %7s %7s %7s %7s %7s %7s %6s\n",
	    "resolver", "queries", "answered", "unreach", "resets",
	    "timeout", "srvfail", "refused", "retrans", "p95ms", "alerts");
	for (i = 0; i < n; i++) {
		c = dr_resolver_counts(v[i]);
		ds = dr_resolver_cstate(v[i]);
		quantiles(v[i], &p50, &q95, &p99, &samples);
		if (samples > 0)
			snprintf(p95, sizeof(p95), "%.0f", q95);
		else
			snprintf(p95, sizeof(p95), "-");
		fprintf(f, "%-39s %8llu %8llu %7llu %7llu %7llu %7llu %7llu "
		    "%7llu %7s %6llu%s%s\n",
		    dr_addr_format(dr_resolver_addr(v[i]), addr, sizeof(addr)),
		    LLU(c->queries), LLU(c->responses), LLU(c->unreachable),
		    LLU(c->tcp_resets), LLU(c->timeouts),
		    LLU(c->rcodes[DR_RC_SERVFAIL]),
		    LLU(c->rcodes[DR_RC_REFUSED]), LLU(c->retransmissions),
		    p95, LLU(c->alerts + c->slow_alerts),
		    ds->failing ? "  FAILING" : "", ds->slow ? "  SLOW" : "");
	}
	free(v);
	return fflush(f) == EOF || ferror(f) ? -1 : 0;
}
