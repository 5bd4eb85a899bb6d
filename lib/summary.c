/*
 * summary.c: per-resolver summary, text or JSON.
 */
#include <stdlib.h>
#include <string.h>

#include "summary.h"

/* Resolvers in a stable order: IPv4 before IPv6, then by address. */
static int
cmp_resolver(const void *x, const void *y)
{
	const struct dr_resolver *a = *(const struct dr_resolver *const *)x;
	const struct dr_resolver *b = *(const struct dr_resolver *const *)y;

	if (a->addr.family != b->addr.family)
		return a->addr.family < b->addr.family ? -1 : 1;
	return memcmp(a->addr.a, b->addr.a, sizeof(a->addr.a));
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

static void
json_string(FILE *f, const char *s)
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

int
dr_summary_json(FILE *f, struct dr_engine *e, const char *source)
{
	const struct dr_engine_stats	*st = dr_engine_stats(e);
	const struct dr_tracker_stats	*ts;
	struct dr_resolver		**v, *r;
	char				 addr[DR_ADDR_STRLEN];
	size_t				 n, i;
	int				 c, first;

	if ((v = sorted(e, &n)) == NULL)
		return -1;
	ts = dr_tracker_stats(dr_engine_tracker(e));
	fprintf(f, "{\"source\": ");
	json_string(f, source);
	fprintf(f, ", \"packets\": %llu, \"decode\": {",
	    (unsigned long long)st->packets);
	for (c = 0; c < DR_DECODE_NRESULTS; c++)
		fprintf(f, "%s\"%s\": %llu", c ? ", " : "",
		    dr_decode_result_name((enum dr_decode_result)c),
		    (unsigned long long)st->decode[c]);
	fprintf(f, "}, \"capture\": {\"received\": %llu, \"dropped\": %llu, "
	    "\"ifdropped\": %llu}, \"tables\": {\"resolver_evictions\": %llu, "
	    "\"resolver_table_full\": %llu, \"pending_evictions\": %llu, "
	    "\"ignored\": %llu}, \"alerts\": %llu, \"reminders\": %llu, "
	    "\"recoveries\": %llu, \"resolvers\": [",
	    (unsigned long long)st->capture_received,
	    (unsigned long long)st->capture_dropped,
	    (unsigned long long)st->capture_ifdropped,
	    (unsigned long long)ts->resolver_evictions,
	    (unsigned long long)ts->resolver_table_full,
	    (unsigned long long)ts->pending_evictions,
	    (unsigned long long)ts->ignored,
	    (unsigned long long)st->alerts,
	    (unsigned long long)st->reminders,
	    (unsigned long long)st->recoveries);
	for (i = 0; i < n; i++) {
		r = v[i];
		fprintf(f, "%s\n  {\"resolver\": \"%s\", \"queries\": %llu, "
		    "\"responses\": %llu, \"unreachable\": %llu, "
		    "\"unreachable_by_code\": {", i ? "," : "",
		    dr_addr_format(&r->addr, addr, sizeof(addr)),
		    (unsigned long long)r->n.queries,
		    (unsigned long long)r->n.responses,
		    (unsigned long long)r->n.unreachable);
		first = 1;
		for (c = 0; c < DR_ICMP_NCODES; c++) {
			uint64_t k = r->n.unreach_by_code[c];

			if (k == 0)
				continue;
			fputs(first ? "" : ", ", f);
			if (c == DR_ICMP_CODE_OTHER)
				fprintf(f, "\"other\": %llu", (unsigned long long)k);
			else
				fprintf(f, "\"%d\": %llu", c, (unsigned long long)k);
			first = 0;
		}
		fprintf(f, "}, \"unmatched\": %llu, \"timeouts\": %llu, "
		    "\"rcodes\": {", (unsigned long long)r->n.unmatched,
		    (unsigned long long)r->n.timeouts);
		for (c = 0; c < DR_RC_NCLASSES; c++)
			fprintf(f, "%s\"%s\": %llu", c ? ", " : "",
			    dr_rcode_class_name((enum dr_rcode_class)c),
			    (unsigned long long)r->n.rcodes[c]);
		fprintf(f, "}, \"alerts\": %llu, \"failing\": %s, "
		    "\"late_responses\": %llu, \"tcp_resets\": %llu, "
		    "\"unmatched_responses\": %llu, \"evicted\": %llu}",
		    (unsigned long long)r->n.alerts,
		    r->det.failing ? "true" : "false",
		    (unsigned long long)r->n.late,
		    (unsigned long long)r->n.tcp_resets,
		    (unsigned long long)r->n.unmatched_responses,
		    (unsigned long long)r->n.evicted);
	}
	fprintf(f, "%s]}\n", n ? "\n" : "");
	free(v);
	return fflush(f) == EOF || ferror(f) ? -1 : 0;
}

int
dr_summary_text(FILE *f, struct dr_engine *e, const char *source)
{
	const struct dr_engine_stats	*st = dr_engine_stats(e);
	struct dr_resolver		**v, *r;
	char				 addr[DR_ADDR_STRLEN];
	size_t				 n, i;

	if ((v = sorted(e, &n)) == NULL)
		return -1;
	fprintf(f, "%s: %llu packets, %llu truncated, %llu malformed; "
	    "%llu failing alerts, %llu recoveries\n", source,
	    (unsigned long long)st->packets,
	    (unsigned long long)st->decode[DR_DECODE_TRUNCATED],
	    (unsigned long long)st->decode[DR_DECODE_MALFORMED],
	    (unsigned long long)st->alerts,
	    (unsigned long long)st->recoveries);
	fprintf(f, "%-39s %9s %9s %9s %9s %9s %6s\n", "resolver", "queries",
	    "responses", "unreach", "unmatched", "timeouts", "alerts");
	for (i = 0; i < n; i++) {
		r = v[i];
		fprintf(f, "%-39s %9llu %9llu %9llu %9llu %9llu %6llu%s\n",
		    dr_addr_format(&r->addr, addr, sizeof(addr)),
		    (unsigned long long)r->n.queries,
		    (unsigned long long)r->n.responses,
		    (unsigned long long)r->n.unreachable,
		    (unsigned long long)r->n.unmatched,
		    (unsigned long long)r->n.timeouts,
		    (unsigned long long)r->n.alerts,
		    r->det.failing ? "  FAILING" : "");
	}
	free(v);
	return fflush(f) == EOF || ferror(f) ? -1 : 0;
}
