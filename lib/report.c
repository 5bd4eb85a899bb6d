/*
 * report.c: the incident report.  Pass 1 (alerts, then the engine's
 * counts) finds the incidents; pass 2 (frames) measures them; the
 * writer tells them, through doc.c, in Markdown or HTML.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chart.h"
#include "decode.h"
#include "dns.h"
#include "latency.h"
#include "pktline.h"
#include "report.h"
#include "tracker.h"

#define NCAND		4	/* query lines held per incident */
#define NEX		3	/* failed exchanges shown per incident */
#define NUPDATES	4	/* cause changes told per incident */
#define NSENDERS	4	/* ICMP senders counted per incident */
#define NNAMES		16	/* distinct failed names per incident */
#define SHOW_NAMES	5
#define NCLIENTS	256	/* distinct failing clients per incident */
#define CLIENT_SLOTS	512
#define NOTHERS		50	/* resolvers without incidents listed */
#define NOVERFLOW	64	/* failing resolvers beyond the detailed */
#define PENDING_BUCKETS	16384
#define AFTER_WINDOW	(10 * 60 * DR_USEC)	/* answer after recovery */
#define CAND_AFTER	100
#define LINE		DR_PKTLINE_MAX
#define T_NONE		INT64_MIN
#define T_OPEN		INT64_MAX

#define LLU(x)		((unsigned long long)(x))

enum outcome {
	O_ANSWERED = 0,
	O_FAILED,
	O_TIMEOUT,
	O_UNKNOWN
};

struct exchange {
	char		query[LINE];	/* "" when not kept */
	char		reply[LINE];	/* "" for no reply */
	enum outcome	outcome;
};

struct update {
	dr_time_t	ts;
	enum dr_cause	from, to;
};

struct sender {
	struct dr_addr	addr;
	uint8_t		ttl;
	uint32_t	count;
};

struct name {
	uint32_t	hash;
	uint32_t	failed;
	char		text[DR_ALERT_QNAME_MAX];
};

struct episode {
	int		slow;
	int		flapping;
	dr_time_t	since;		/* first failure (the engine's) */
	dr_time_t	alert_ts;
	dr_time_t	end;		/* recovered at; T_OPEN while not */
	struct dr_alert	alert;		/* the failing or slow alert */
	struct dr_alert	recovery;	/* valid when end != T_OPEN */
	enum dr_cause	cause;		/* the latest */
	uint32_t	reminders;
	struct update	updates[NUPDATES];
	uint32_t	nupdates, updates_seen;

	/* Pass 2: queries whose outcome fell in the incident. */
	uint64_t	asked, failed, answered;
	uint64_t	by_class[DR_FAIL_NCLASSES];
	dr_time_t	cls_first[DR_FAIL_NCLASSES];	/* by query time */
	dr_time_t	cls_last[DR_FAIL_NCLASSES];
	dr_time_t	first_error;	/* first failure reply seen */
	int		first_error_class;
	struct dr_addr	clients[CLIENT_SLOTS];
	uint32_t	nclients;
	int		clients_full;
	struct sender	senders[NSENDERS];
	uint32_t	nsenders;
	struct name	names[NNAMES];
	uint64_t	names_missed;
	char		cand[NCAND][LINE];
	uint8_t		cand_used[NCAND];
	struct exchange	ex[NEX];
	uint32_t	nex;
	char		after_cand[LINE];
	int		after_busy;
	int		have_after;
	struct exchange	after;
};

struct point {
	uint32_t	queries, failed, answered;
};

struct resolver {
	struct dr_addr	 addr;
	struct episode	 ep[DR_REPORT_EPISODES];
	uint32_t	 nep, nep_seen;
	int		 cur_fail, cur_slow;	/* open: index, -1, or -2 */

	/* The engine's lifetime counts. */
	int		 have_counts;
	struct dr_resolver_counts counts;
	double		 p50, p95;
	uint64_t	 samples;
	struct dr_icmp_sender senders[DR_ICMP_SENDERS];
	size_t		 nsenders;

	/* Pass 2. */
	dr_time_t	 t0, step;
	uint32_t	 npoints;
	struct point	 pts[DR_REPORT_POINTS];
	uint64_t	 retrans;
};

struct other {
	struct dr_addr	addr;
	uint64_t	queries, answered, failed;
	double		p95;
	uint64_t	samples;
	uint32_t	alerts;		/* overflowed failing ones */
	dr_time_t	since;
	enum dr_cause	cause;
};

#define P_TCP		0x01
#define P_HAS_ID	0x02
#define P_SYN		0x04

struct pending {
	struct dr_addr	client;
	uint8_t		res;
	uint8_t		flags;
	uint8_t		cand;		/* 0..NCAND-1, CAND_AFTER, 0xff */
	uint16_t	port, id;
	int16_t		ep, after_ep;
	int32_t		bin;
	int32_t		hnext, fprev, fnext;
	uint32_t	qhash;
	dr_time_t	ts;
};

struct dr_report {
	char			*source;
	uint16_t		 fail_rcodes;
	int			 count_timeouts;
	dr_time_t		 query_timeout, match_window;
	dr_time_t		 window, fast_window;
	double			 threshold, fast_threshold;
	uint32_t		 fail_streak;
	dr_time_t		 slow_threshold;

	struct resolver		*res[DR_REPORT_RESOLVERS];
	size_t			 nres;
	struct other		 overflow[NOVERFLOW];
	size_t			 noverflow;
	uint64_t		 overflow_seen;

	int			 have_engine;
	dr_time_t		 first, last;
	uint64_t		 packets;
	uint64_t		 decode[DR_DECODE_NRESULTS];
	uint64_t		 nresolvers, queries, answered, failed;
	struct other		 others[NOTHERS];
	size_t			 nothers;
	uint64_t		 others_seen;
	char			 cut[256];

	/* Pass 2: queries awaiting their outcome. */
	struct pending		*pool;
	int32_t			*buckets;
	int32_t			 free_head, fifo_head, fifo_tail;
	uint64_t		 evicted;
	int			 finished;
};

/* ---- words ---- */

static const char *
addr_s(const struct dr_addr *a, char *buf)
{
	return dr_addr_format(a, buf, DR_ADDR_STRLEN);
}

static int
utc(dr_time_t t, struct tm *tm)
{
	time_t	s = (time_t)(t / DR_USEC - (t % DR_USEC < 0));

	if (gmtime_r(&s, tm) == NULL) {
		memset(tm, 0, sizeof(*tm));
		return -1;
	}
	return 0;
}

/* "13:24:32" */
static const char *
clock_s(dr_time_t t, char *buf, size_t len)
{
	struct tm	tm;

	utc(t, &tm);
	strftime(buf, len, "%H:%M:%S", &tm);
	return buf;
}

/* "2026-01-14" */
static const char *
date_s(dr_time_t t, char *buf, size_t len)
{
	struct tm	tm;

	utc(t, &tm);
	strftime(buf, len, "%Y-%m-%d", &tm);
	return buf;
}

static const char *
stamp_s(dr_time_t t, char *buf, size_t len)
{
	struct tm	tm;

	utc(t, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm);
	return buf;
}

/*
 * From a to b as the clock times shown for them read (whole seconds):
 * 13:24:32.9 to 13:29:16.1 is 4 min 44 s, as a reader would count.
 */
static dr_time_t
between(dr_time_t a, dr_time_t b)
{
	long long	sa = a / DR_USEC - (a % DR_USEC < 0);
	long long	sb = b / DR_USEC - (b % DR_USEC < 0);

	return sb > sa ? (sb - sa) * DR_USEC : 0;
}

static int
same_day(dr_time_t a, dr_time_t b)
{
	char	x[16], y[16];

	return strcmp(date_s(a, x, sizeof(x)), date_s(b, y, sizeof(y))) == 0;
}

/* "45 s", "4 min 44 s", "2 h 5 min", "3 days 2 h". */
static const char *
dur_s(dr_time_t us, char *buf, size_t len)
{
	long long	s = us / DR_USEC;

	if (us == 0)
		snprintf(buf, len, "less than a second");
	else if (us < 10 * DR_USEC && us % DR_USEC != 0)
		snprintf(buf, len, "%.1f s", us < 0 ? 0.0 :
		    (double)us / DR_USEC);
	else if (s < 60)
		snprintf(buf, len, "%lld s", s);
	else if (s < 3600)
		snprintf(buf, len, s % 60 ? "%lld min %lld s" : "%lld min",
		    s / 60, s % 60);
	else if (s < 86400)
		snprintf(buf, len, s % 3600 / 60 ? "%lld h %lld min" : "%lld h",
		    s / 3600, s % 3600 / 60);
	else
		snprintf(buf, len, s % 86400 / 3600 ? "%lld day%s %lld h" :
		    "%lld day%s", s / 86400, s / 86400 == 1 ? "" : "s",
		    s % 86400 / 3600);
	return buf;
}

static const char *
plural(uint64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static int
pct(uint64_t part, uint64_t whole)
{
	if (whole == 0)
		return 0;
	/* Never 100% unless all, never 0% unless none. */
	if (part == whole)
		return 100;
	if (part * 100 / whole >= 99)
		return 99;
	if (part > 0 && part * 100 < whole)
		return 1;
	return (int)((part * 100 + whole / 2) / whole);
}

/* What the users of a resolver saw, by cause. */
static const char *
users_saw(enum dr_cause c)
{
	switch (c) {
	case DR_CAUSE_SILENT_DROP:
		return "name lookups got no answer at all: programs waited "
		    "several seconds, then gave up, so websites and other "
		    "services looked down or very slow";
	case DR_CAUSE_SERVFAIL:
		return "name lookups failed with an error (\"server "
		    "failure\"), so websites and other services looked down";
	case DR_CAUSE_REFUSED:
		return "name lookups were refused, so websites and other "
		    "services looked down";
	default:
		return "name lookups failed at once with an error, so "
		    "websites and other services looked down";
	}
}

/* The cause in plain words, about resolver r. */
static void
cause_plain(enum dr_cause c, const char *r, char *buf, size_t len)
{
	switch (c) {
	case DR_CAUSE_NOT_LISTENING:
		snprintf(buf, len, "the DNS service on %s is not running, or "
		    "not listening on port 53", r);
		break;
	case DR_CAUSE_FIREWALL:
		snprintf(buf, len, "a firewall blocks DNS traffic (port 53) "
		    "to %s", r);
		break;
	case DR_CAUSE_HOST_DOWN:
		snprintf(buf, len, "%s is down, or the network cannot reach "
		    "it", r);
		break;
	case DR_CAUSE_UNREACH_OTHER:
		snprintf(buf, len, "the network cannot deliver DNS traffic "
		    "to %s", r);
		break;
	case DR_CAUSE_SILENT_DROP:
		snprintf(buf, len, "%s does not answer at all: the server is "
		    "down, or a firewall silently drops DNS traffic to it", r);
		break;
	case DR_CAUSE_SERVFAIL:
		snprintf(buf, len, "the resolver %s is up but cannot resolve "
		    "names: its upstream servers, forwarders or DNSSEC "
		    "validation fail", r);
		break;
	case DR_CAUSE_REFUSED:
		snprintf(buf, len, "the resolver %s is up but refuses to "
		    "serve these clients (its access control)", r);
		break;
	case DR_CAUSE_ERROR_RCODE:
		snprintf(buf, len, "the resolver %s answers with an error "
		    "code", r);
		break;
	default:
		snprintf(buf, len, "unknown");
		break;
	}
}

/* The first thing to do, for the summary's list. */
static void
first_action(enum dr_cause c, const char *r, const char *sender, int hops,
    int slow, char *buf, size_t len)
{
	if (slow) {
		snprintf(buf, len, "check the load on %s and how fast its "
		    "upstream servers answer", r);
		return;
	}
	switch (c) {
	case DR_CAUSE_NOT_LISTENING:
		snprintf(buf, len, "check the DNS service on %s (is it "
		    "running? is it listening on port 53?)", r);
		break;
	case DR_CAUSE_FIREWALL:
		if (sender[0] != '\0' && strcmp(sender, r) != 0)
			snprintf(buf, len, "check the firewall rules for port "
			    "53 on %s (%d %s from the capture point), which "
			    "rejected the lookups", sender, hops,
			    hops == 1 ? "hop" : "hops");
		else
			snprintf(buf, len, "check the firewall rules for port "
			    "53 on %s and on the way to it", r);
		break;
	case DR_CAUSE_HOST_DOWN:
	case DR_CAUSE_UNREACH_OTHER:
		if (sender[0] != '\0' && strcmp(sender, r) != 0)
			snprintf(buf, len, "check that %s is up, and the "
			    "routes of %s, which says it cannot reach it", r,
			    sender);
		else
			snprintf(buf, len, "check that %s is up and "
			    "reachable", r);
		break;
	case DR_CAUSE_SILENT_DROP:
		snprintf(buf, len, "check that %s is up and reachable on "
		    "port 53 (ping, traceroute)", r);
		break;
	case DR_CAUSE_SERVFAIL:
		snprintf(buf, len, "check the upstream servers (forwarders) "
		    "and DNSSEC validation of %s", r);
		break;
	case DR_CAUSE_REFUSED:
		snprintf(buf, len, "check the access control (allow-query) "
		    "of %s", r);
		break;
	default:
		snprintf(buf, len, "read the log of the DNS service on %s", r);
		break;
	}
}

static const char *
class_words(int c)
{
	static const char *const t[DR_FAIL_NCLASSES] = {
		[DR_FAIL_PORT] = "\"udp port 53 unreachable\" from the resolver",
		[DR_FAIL_PORT_PATH] =
		    "\"udp port 53 unreachable\" from another host",
		[DR_FAIL_ADMIN] = "\"administratively prohibited\"",
		[DR_FAIL_HOST] = "\"host unreachable\"",
		[DR_FAIL_OTHER] = "\"destination unreachable\"",
		[DR_FAIL_RESET] = "a TCP reset",
		[DR_FAIL_TIMEOUT] = "no answer",
		[DR_FAIL_SERVFAIL] = "SERVFAIL",
		[DR_FAIL_REFUSED] = "REFUSED",
		[DR_FAIL_RCODE] = "an error code",
	};

	return c >= 0 && c < DR_FAIL_NCLASSES ? t[c] : "a failure";
}

static const char *
icmp_code_words(int icmp6, int code)
{
	static const char *const v4[16] = {
		"net unreachable", "host unreachable", "protocol unreachable",
		"port unreachable", "fragmentation needed",
		"source route failed", "net unknown", "host unknown",
		"source host isolated", "net administratively prohibited",
		"host administratively prohibited", "net unreachable for TOS",
		"host unreachable for TOS",
		"communication administratively prohibited",
		"host precedence violation", "precedence cutoff"
	};
	static const char *const v6[7] = {
		"no route", "administratively prohibited", "beyond scope",
		"address unreachable", "port unreachable",
		"source address failed policy", "reject route"
	};

	if (icmp6)
		return code >= 0 && code < 7 ? v6[code] : "other";
	return code >= 0 && code < 16 ? v4[code] : "other";
}

/* ---- pass 1: alerts ---- */

static struct resolver *
find_res(struct dr_report *rp, const struct dr_addr *a, size_t *idx)
{
	size_t	i;

	for (i = 0; i < rp->nres; i++)
		if (dr_addr_eq(&rp->res[i]->addr, a)) {
			if (idx != NULL)
				*idx = i;
			return rp->res[i];
		}
	return NULL;
}

/* A failing resolver beyond the detailed ones: a line in a table. */
static void
note_overflow(struct dr_report *rp, const struct dr_alert *a)
{
	size_t	i;

	for (i = 0; i < rp->noverflow; i++)
		if (dr_addr_eq(&rp->overflow[i].addr, &a->resolver))
			break;
	if (i == rp->noverflow) {
		if (rp->noverflow == NOVERFLOW) {
			rp->overflow_seen++;
			return;
		}
		memset(&rp->overflow[i], 0, sizeof(rp->overflow[i]));
		rp->overflow[i].addr = a->resolver;
		rp->overflow[i].since = a->since;
		rp->overflow[i].cause = a->cause;
		rp->noverflow++;
		rp->overflow_seen++;
	}
	if ((a->event == DR_ALERT_FAILING && !a->reminder) ||
	    a->event == DR_ALERT_FLAPPING || a->event == DR_ALERT_SLOW)
		rp->overflow[i].alerts++;
}

static struct episode *
new_episode(struct resolver *r, const struct dr_alert *a, int slow)
{
	struct episode	*e;
	int		 c;

	r->nep_seen++;
	if (r->nep == DR_REPORT_EPISODES)
		return NULL;
	e = &r->ep[r->nep++];
	memset(e, 0, sizeof(*e));
	e->slow = slow;
	e->flapping = a->event == DR_ALERT_FLAPPING;
	e->since = slow ? a->ts : a->since;
	e->alert_ts = a->ts;
	e->end = T_OPEN;
	e->alert = *a;
	e->cause = a->cause;
	e->first_error = T_NONE;
	e->first_error_class = -1;
	for (c = 0; c < DR_FAIL_NCLASSES; c++)
		e->cls_first[c] = e->cls_last[c] = T_NONE;
	return e;
}

void
dr_report_alert(struct dr_report *rp, const struct dr_alert *a)
{
	struct resolver	*r;
	struct episode	*e;
	int		*cur;

	if ((r = find_res(rp, &a->resolver, NULL)) == NULL) {
		if (a->event != DR_ALERT_FAILING &&
		    a->event != DR_ALERT_FLAPPING && a->event != DR_ALERT_SLOW)
			return;		/* the end of what we never saw */
		if (rp->nres == DR_REPORT_RESOLVERS) {
			note_overflow(rp, a);
			return;
		}
		if ((r = calloc(1, sizeof(*r))) == NULL) {
			note_overflow(rp, a);
			return;
		}
		r->addr = a->resolver;
		r->cur_fail = r->cur_slow = -1;
		rp->res[rp->nres++] = r;
	}
	cur = a->event == DR_ALERT_SLOW || a->event == DR_ALERT_SLOW_RECOVERED ?
	    &r->cur_slow : &r->cur_fail;
	e = *cur >= 0 ? &r->ep[*cur] : NULL;
	switch (a->event) {
	case DR_ALERT_FAILING:
		if (a->reminder && *cur != -1) {
			if (e != NULL)
				e->reminders++;
			break;
		}
		/* FALLTHROUGH */
	case DR_ALERT_FLAPPING:
	case DR_ALERT_SLOW:
		if (e != NULL && e->end == T_OPEN)
			e->end = a->ts;		/* never recovered: cut */
		e = new_episode(r, a, a->event == DR_ALERT_SLOW);
		*cur = e != NULL ? (int)(e - r->ep) : -2;
		break;
	case DR_ALERT_UPDATED:
		if (e == NULL)
			break;
		e->updates_seen++;
		if (e->nupdates < NUPDATES) {
			e->updates[e->nupdates].ts = a->ts;
			e->updates[e->nupdates].from = a->prev_cause;
			e->updates[e->nupdates].to = a->cause;
			e->nupdates++;
		}
		e->cause = a->cause;
		break;
	case DR_ALERT_RECOVERED:
	case DR_ALERT_SLOW_RECOVERED:
		if (e != NULL) {
			e->end = a->ts;
			e->recovery = *a;
		}
		*cur = -1;
		break;
	default:
		break;
	}
}

/* ---- after pass 1: the engine's counts ---- */

static void
keep_other(struct dr_report *rp, const struct other *o)
{
	size_t	i, at;

	rp->others_seen++;
	/* Most queries first; ties by address, so the order is stable. */
	for (at = 0; at < rp->nothers; at++) {
		if (o->queries > rp->others[at].queries)
			break;
		if (o->queries == rp->others[at].queries &&
		    (o->addr.family < rp->others[at].addr.family ||
		    (o->addr.family == rp->others[at].addr.family &&
		    memcmp(o->addr.a, rp->others[at].addr.a, 16) < 0)))
			break;
	}
	if (at == NOTHERS)
		return;
	i = rp->nothers < NOTHERS ? rp->nothers++ : NOTHERS - 1;
	memmove(&rp->others[at + 1], &rp->others[at],
	    (i - at) * sizeof(rp->others[0]));
	rp->others[at] = *o;
}

static uint64_t
failures_of(const struct dr_resolver_counts *c)
{
	return c->unreachable - c->unmatched + c->timeouts + c->tcp_resets +
	    c->rcodes[DR_RC_SERVFAIL] + c->rcodes[DR_RC_REFUSED];
}

/* The span a resolver's timeline covers, and its step. */
static void
timeline_span(struct dr_report *rp, struct resolver *r)
{
	static const long	steps[] = {
		1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200,
		10800, 21600, 43200, 86400, 172800, 604800
	};
	dr_time_t		lo = T_OPEN, hi = T_NONE, pad, step, from, to;
	dr_time_t		start;
	size_t			i;
	uint32_t		k;

	for (k = 0; k < r->nep; k++) {
		if (r->ep[k].since < lo)
			lo = r->ep[k].since;
		if ((r->ep[k].end == T_OPEN ? rp->last : r->ep[k].end) > hi)
			hi = r->ep[k].end == T_OPEN ? rp->last : r->ep[k].end;
	}
	if (r->nep == 0 || rp->first == T_NONE || hi < lo) {
		r->npoints = 0;
		return;
	}
	pad = (hi - lo) / 4;
	if (pad < 60 * DR_USEC)
		pad = 60 * DR_USEC;
	start = lo - pad < rp->first ? rp->first : lo - pad;
	to = hi + pad > rp->last ? rp->last : hi + pad;
	if (to < start)
		to = start;
	to += 1;			/* the last packet is inside */
	step = 0;
	from = start;
	/* The shortest round step that fits, from a round moment. */
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		step = steps[i] * DR_USEC;
		from = start - (start % step + step) % step;
		if ((to - from + step - 1) / step <= DR_REPORT_POINTS)
			break;
	}
	r->t0 = from;
	r->step = step;
	r->npoints = (uint32_t)((to - from + step - 1) / step);
	if (r->npoints > DR_REPORT_POINTS)
		r->npoints = DR_REPORT_POINTS;
}

int
dr_report_engine(struct dr_report *rp, struct dr_engine *eng,
    dr_time_t first, dr_time_t last)
{
	const struct dr_engine_stats	*st = dr_engine_stats(eng);
	struct dr_tracker		*t = dr_engine_tracker(eng);
	const struct dr_resolver_counts	*c;
	struct dr_resolver		*dr;
	struct resolver			*r;
	struct other			 o;
	const uint64_t			*lat;
	uint32_t			 it = 0;
	size_t				 i;

	rp->have_engine = 1;
	rp->first = first;
	rp->last = last;
	rp->packets = st->packets;
	memcpy(rp->decode, st->decode, sizeof(rp->decode));
	while ((dr = dr_tracker_next(t, &it)) != NULL) {
		c = dr_resolver_counts(dr);
		rp->nresolvers++;
		rp->queries += c->queries;
		rp->answered += c->responses;
		rp->failed += failures_of(c);
		lat = dr_resolver_latency(dr);
		if ((r = find_res(rp, dr_resolver_addr(dr), NULL)) != NULL) {
			r->have_counts = 1;
			r->counts = *c;
			r->p50 = (double)dr_latency_quantile(lat, 0.50,
			    &r->samples) / DR_MSEC;
			r->p95 = (double)dr_latency_quantile(lat, 0.95, NULL) /
			    DR_MSEC;
			r->nsenders = dr_resolver_icmp_senders(dr, r->senders,
			    DR_ICMP_SENDERS);
			continue;
		}
		memset(&o, 0, sizeof(o));
		o.addr = *dr_resolver_addr(dr);
		o.queries = c->queries;
		o.answered = c->responses;
		o.failed = failures_of(c);
		o.p95 = (double)dr_latency_quantile(lat, 0.95, &o.samples) /
		    DR_MSEC;
		for (i = 0; i < rp->noverflow; i++)
			if (dr_addr_eq(&rp->overflow[i].addr, &o.addr))
				break;
		if (i == rp->noverflow)
			keep_other(rp, &o);
		else {
			rp->overflow[i].queries = o.queries;
			rp->overflow[i].answered = o.answered;
			rp->overflow[i].failed = o.failed;
		}
	}
	for (i = 0; i < rp->nres; i++)
		timeline_span(rp, rp->res[i]);
	if (rp->nres > 0 && rp->pool == NULL) {
		rp->pool = calloc(DR_REPORT_PENDING, sizeof(*rp->pool));
		rp->buckets = malloc(PENDING_BUCKETS * sizeof(*rp->buckets));
		if (rp->pool == NULL || rp->buckets == NULL)
			return -1;
		for (i = 0; i < PENDING_BUCKETS; i++)
			rp->buckets[i] = -1;
		for (i = 0; i < DR_REPORT_PENDING; i++)
			rp->pool[i].hnext = i + 1 < DR_REPORT_PENDING ?
			    (int32_t)i + 1 : -1;
		rp->free_head = 0;
		rp->fifo_head = rp->fifo_tail = -1;
	}
	return 0;
}

void
dr_report_cut(struct dr_report *rp, const char *why)
{
	if (rp->cut[0] == '\0')
		snprintf(rp->cut, sizeof(rp->cut), "%s", why);
}

int
dr_report_nothing(const struct dr_report *rp)
{
	return rp->have_engine && rp->nresolvers == 0;
}

int
dr_report_wants_packets(const struct dr_report *rp)
{
	return rp->nres > 0 && rp->pool != NULL;
}

/* ---- pass 2: queries and their outcomes ---- */

/* The failing (not slow) incident of r holding time t, or -1. */
static int
episode_at(const struct resolver *r, dr_time_t t)
{
	uint32_t	k;

	for (k = 0; k < r->nep; k++)
		if (!r->ep[k].slow && t >= r->ep[k].since &&
		    t <= r->ep[k].end)
			return (int)k;
	return -1;
}

static uint32_t
p_hash(uint8_t res, const struct dr_addr *client, uint16_t port, int tcp)
{
	return dr_addr_hash(client, (uint32_t)port << 9 | (uint32_t)res << 1 |
	    (tcp ? 1u : 0u)) % PENDING_BUCKETS;
}

/* A query (or SYN) awaiting its outcome; id < 0 matches any. */
static int32_t
p_find(struct dr_report *rp, uint8_t res, const struct dr_addr *client,
    uint16_t port, int tcp, int id, uint8_t want)
{
	struct pending	*p;
	int32_t		 i;

	for (i = rp->buckets[p_hash(res, client, port, tcp)]; i >= 0;
	    i = p->hnext) {
		p = &rp->pool[i];
		if (p->res != res || p->port != port ||
		    (p->flags & P_TCP) != (tcp ? P_TCP : 0) ||
		    (p->flags & want) != want ||
		    !dr_addr_eq(&p->client, client))
			continue;
		if (id >= 0 && (p->flags & P_HAS_ID) && p->id != id)
			continue;
		return i;
	}
	return -1;
}

static void
p_unlink(struct dr_report *rp, int32_t i)
{
	struct pending	*p = &rp->pool[i];
	int32_t		*at;

	at = &rp->buckets[p_hash(p->res, &p->client, p->port,
	    p->flags & P_TCP)];
	while (*at != i && *at >= 0)
		at = &rp->pool[*at].hnext;
	if (*at == i)
		*at = p->hnext;
	if (p->fprev >= 0)
		rp->pool[p->fprev].fnext = p->fnext;
	else
		rp->fifo_head = p->fnext;
	if (p->fnext >= 0)
		rp->pool[p->fnext].fprev = p->fprev;
	else
		rp->fifo_tail = p->fprev;
	p->hnext = rp->free_head;
	rp->free_head = i;
}

static void
client_add(struct episode *e, const struct dr_addr *a)
{
	uint32_t	h = dr_addr_hash(a, 0x5bd1e995u) % CLIENT_SLOTS, n;

	for (n = 0; n < CLIENT_SLOTS; n++, h = (h + 1) % CLIENT_SLOTS) {
		if (e->clients[h].family == DR_AF_NONE)
			break;
		if (dr_addr_eq(&e->clients[h], a))
			return;
	}
	if (e->nclients >= NCLIENTS) {
		e->clients_full = 1;
		return;
	}
	e->clients[h] = *a;
	e->nclients++;
}

static void
sender_add(struct episode *e, const struct dr_event *ev)
{
	uint32_t	i;

	for (i = 0; i < e->nsenders; i++)
		if (dr_addr_eq(&e->senders[i].addr, &ev->icmp_from)) {
			e->senders[i].count++;
			e->senders[i].ttl = ev->icmp_ttl;
			return;
		}
	if (e->nsenders == NSENDERS)
		return;
	e->senders[i].addr = ev->icmp_from;
	e->senders[i].ttl = ev->icmp_ttl;
	e->senders[i].count = 1;
	e->nsenders++;
}

static struct name *
name_find(struct episode *e, uint32_t hash)
{
	uint32_t	i;

	for (i = 0; hash != 0 && i < NNAMES; i++)
		if (e->names[i].hash == hash)
			return &e->names[i];
	return NULL;
}

/* Remember a question's name, in a free slot or one that never failed. */
static struct name *
name_keep(struct episode *e, uint32_t hash, const uint8_t *dns, size_t len)
{
	struct name	*n;
	char		 text[DR_DNS_NAMEBUF];
	uint32_t	 i, j;

	if (hash == 0 || (n = name_find(e, hash)) != NULL)
		return hash == 0 ? NULL : n;
	/* An empty slot, else one whose name has not failed (yet). */
	for (i = 0; i < NNAMES; i++)
		if (e->names[i].hash == 0)
			break;
	for (j = 0; i == NNAMES && j < NNAMES; j++)
		if (e->names[j].failed == 0)
			i = j;
	if (i == NNAMES || dns == NULL ||
	    dr_dns_qname(dns, len, text, sizeof(text)) < 0 ||
	    strlen(text) >= sizeof(e->names[i].text))
		return NULL;
	n = &e->names[i];
	n->hash = hash;
	n->failed = 0;
	memcpy(n->text, text, strlen(text) + 1);
	return n;
}

static void
line_into(char *dst, const struct dr_event *ev)
{
	if (ev != NULL)
		dr_pktline(ev, dst, LINE);
	else
		dst[0] = '\0';
}

/*
 * The outcome of pending query i: an answer, a failure (reply ev, or
 * ev NULL for no answer), or unknown.  Counts it in its step and its
 * incident, and keeps evidence while there is room.
 */
static void
settle(struct dr_report *rp, int32_t i, enum outcome o, int cls,
    const struct dr_event *ev, dr_time_t at)
{
	struct pending	*p = &rp->pool[i];
	struct resolver	*r = rp->res[p->res];
	struct episode	*e = NULL, *ea;
	struct exchange	*x;
	struct name	*n;
	int		 fail = o == O_FAILED || o == O_TIMEOUT;
	int		 k = p->ep;

	if (o == O_UNKNOWN)
		goto done;
	if (p->bin >= 0 && (uint32_t)p->bin < r->npoints) {
		if (p->flags & P_SYN)
			r->pts[p->bin].queries++;	/* a refused attempt */
		if (fail)
			r->pts[p->bin].failed++;
		else
			r->pts[p->bin].answered++;
	}
	/* A failure counts where it was known, as the engine books it. */
	if (k < 0 && fail)
		k = episode_at(r, at);
	if (k >= 0) {
		e = &r->ep[k];
		e->asked++;
		if (fail) {
			e->failed++;
			e->by_class[cls]++;
			if (e->cls_first[cls] == T_NONE ||
			    p->ts < e->cls_first[cls])
				e->cls_first[cls] = p->ts;
			if (e->cls_last[cls] == T_NONE ||
			    p->ts > e->cls_last[cls])
				e->cls_last[cls] = p->ts;
			client_add(e, &p->client);
			if (ev != NULL && (e->first_error == T_NONE ||
			    at < e->first_error)) {
				e->first_error = at;
				e->first_error_class = cls;
			}
			if (ev != NULL && (ev->kind == DR_EV_UNREACH))
				sender_add(e, ev);
			if ((n = name_find(e, p->qhash)) != NULL ||
			    (ev != NULL && ev->has_dns && (n = name_keep(e,
			    p->qhash, ev->dns, ev->dns_len)) != NULL))
				n->failed++;
			else
				e->names_missed++;
		} else
			e->answered++;
		if (p->cand < NCAND && (int)p->ep == k) {
			if (fail && e->nex < NEX) {
				x = &e->ex[e->nex++];
				memcpy(x->query, e->cand[p->cand], LINE);
				line_into(x->reply, ev);
				x->outcome = o;
			}
			e->cand_used[p->cand] = 0;
			p->cand = 0xff;
		}
	}
done:
	if (p->cand < NCAND && p->ep >= 0)
		r->ep[p->ep].cand_used[p->cand] = 0;
	if (p->cand == CAND_AFTER && p->after_ep >= 0) {
		ea = &r->ep[p->after_ep];
		ea->after_busy = 0;
		if (o == O_ANSWERED && !ea->have_after) {
			memcpy(ea->after.query, ea->after_cand, LINE);
			line_into(ea->after.reply, ev);
			ea->after.outcome = O_ANSWERED;
			ea->have_after = 1;
		}
	}
	p_unlink(rp, i);
}

/* Queries that waited out match_window: no answer (or not counted). */
static void
expire(struct dr_report *rp, dr_time_t now)
{
	struct pending	*p;
	int32_t		 i;

	while ((i = rp->fifo_head) >= 0) {
		p = &rp->pool[i];
		if (p->ts > now - rp->match_window)
			break;
		settle(rp, i, (p->flags & P_SYN) || !rp->count_timeouts ?
		    O_UNKNOWN : O_TIMEOUT, DR_FAIL_TIMEOUT, NULL,
		    p->ts + rp->query_timeout);
	}
}

/* The latest recovered incident an answer at t would show as "after". */
static int
after_episode(const struct resolver *r, dr_time_t t)
{
	int		best = -1;
	uint32_t	k;

	for (k = 0; k < r->nep; k++) {
		const struct episode *e = &r->ep[k];

		if (e->slow || e->end == T_OPEN || t < e->end ||
		    t - e->end > AFTER_WINDOW || e->have_after ||
		    e->after_busy)
			continue;
		if (best < 0 || e->end > r->ep[best].end)
			best = (int)k;
	}
	return best;
}

static void
on_query(struct dr_report *rp, uint8_t ri, const struct dr_event *ev,
    int syn)
{
	struct resolver	*r = rp->res[ri];
	struct episode	*e;
	struct pending	*p;
	int32_t		 i, bin = -1;
	uint32_t	 used, h;
	int		 k, after = -1, c;

	if (!syn && p_find(rp, ri, &ev->client, ev->client_port,
	    ev->transport == DR_TRANSPORT_TCP, ev->id, P_HAS_ID) >= 0) {
		r->retrans++;
		return;
	}
	if (r->npoints > 0 && ev->ts >= r->t0 &&
	    (ev->ts - r->t0) / r->step < r->npoints)
		bin = (int32_t)((ev->ts - r->t0) / r->step);
	if ((k = episode_at(r, ev->ts)) < 0)
		after = after_episode(r, ev->ts);
	/* Far from any incident: nothing to learn from it. */
	if (bin < 0 && k < 0 && after < 0)
		return;
	if ((i = rp->free_head) < 0) {
		/* Full: the oldest query's outcome stays unknown. */
		rp->evicted++;
		settle(rp, rp->fifo_head, O_UNKNOWN, 0, NULL, ev->ts);
		i = rp->free_head;
	}
	p = &rp->pool[i];
	rp->free_head = p->hnext;
	memset(p, 0, sizeof(*p));
	p->client = ev->client;
	p->res = ri;
	p->port = ev->client_port;
	p->id = ev->id;
	p->flags = (ev->transport == DR_TRANSPORT_TCP ? P_TCP : 0) |
	    (syn ? P_SYN : P_HAS_ID);
	p->cand = 0xff;
	p->ts = ev->ts;
	p->after_ep = -1;
	p->qhash = syn ? 0 : dr_dns_question_hash(ev->dns, ev->dns_len);
	p->bin = bin;
	p->ep = (int16_t)k;
	if (bin >= 0 && !syn)
		r->pts[bin].queries++;
	if (k >= 0) {
		e = &r->ep[k];
		if (!syn)
			name_keep(e, p->qhash, ev->dns, ev->dns_len);
		/* Lines for the first failures: one spare for an answer. */
		for (c = 0, used = 0; c < NCAND; c++)
			used += e->cand_used[c];
		for (c = 0; c < NCAND && e->nex + used < NEX + 1; c++) {
			if (e->cand_used[c])
				continue;
			dr_pktline(ev, e->cand[c], LINE);
			e->cand_used[c] = 1;
			p->cand = (uint8_t)c;
			break;
		}
	} else if (after >= 0) {
		e = &r->ep[after];
		dr_pktline(ev, e->after_cand, LINE);
		e->after_busy = 1;
		p->cand = CAND_AFTER;
		p->after_ep = (int16_t)after;
	}
	/* In the hash and at the tail of the FIFO. */
	h = p_hash(ri, &p->client, p->port, p->flags & P_TCP);
	p->hnext = rp->buckets[h];
	rp->buckets[h] = i;
	p->fnext = -1;
	p->fprev = rp->fifo_tail;
	if (rp->fifo_tail >= 0)
		rp->pool[rp->fifo_tail].fnext = i;
	else
		rp->fifo_head = i;
	rp->fifo_tail = i;
}

static void
on_event(struct dr_report *rp, const struct dr_event *ev)
{
	size_t	ri;
	int32_t	i;
	int	cls, tcp = ev->transport == DR_TRANSPORT_TCP;

	if (find_res(rp, &ev->resolver, &ri) == NULL)
		return;
	switch (ev->kind) {
	case DR_EV_QUERY:
		on_query(rp, (uint8_t)ri, ev, 0);
		break;
	case DR_EV_TCP_SYN:
		on_query(rp, (uint8_t)ri, ev, 1);
		break;
	case DR_EV_RESPONSE:
		if ((i = p_find(rp, (uint8_t)ri, &ev->client, ev->client_port,
		    tcp, ev->id, P_HAS_ID)) < 0)
			break;
		cls = dr_rcode_fail_class(rp->fail_rcodes, ev->rcode);
		settle(rp, i, cls < 0 ? O_ANSWERED : O_FAILED, cls < 0 ? 0 :
		    cls, ev, ev->ts);
		break;
	case DR_EV_UNREACH:
		if ((cls = dr_unreach_fail_class(ev)) < 0)
			break;
		if ((i = p_find(rp, (uint8_t)ri, &ev->client, ev->client_port,
		    0, ev->has_dns ? ev->id : -1, 0)) < 0)
			break;
		settle(rp, i, O_FAILED, cls, ev, ev->ts);
		break;
	case DR_EV_TCP_RESET:
		if ((i = p_find(rp, (uint8_t)ri, &ev->client, ev->client_port,
		    1, -1, 0)) < 0)
			break;
		settle(rp, i, O_FAILED, DR_FAIL_RESET, ev, ev->ts);
		break;
	case DR_EV_TCP_ACCEPT:
		if ((i = p_find(rp, (uint8_t)ri, &ev->client, ev->client_port,
		    1, -1, P_SYN)) >= 0)
			settle(rp, i, O_UNKNOWN, 0, NULL, ev->ts);
		break;
	default:
		break;
	}
}

void
dr_report_packet(struct dr_report *rp, int linktype, const uint8_t *pkt,
    size_t caplen, size_t wirelen, dr_time_t ts)
{
	struct dr_event	ev;

	if (!dr_report_wants_packets(rp) || rp->finished)
		return;
	expire(rp, ts);
	if (dr_decode(linktype, pkt, caplen, wirelen, ts, &ev) !=
	    DR_DECODE_OK)
		return;
	for (;;) {
		on_event(rp, &ev);
		if (ev.more_len == 0 || dr_decode_more(&ev) != DR_DECODE_OK)
			break;
	}
}

void
dr_report_finish(struct dr_report *rp)
{
	struct pending	*p;
	int32_t		 i;

	if (!dr_report_wants_packets(rp) || rp->finished)
		return;
	while ((i = rp->fifo_head) >= 0) {
		p = &rp->pool[i];
		settle(rp, i, (p->flags & P_SYN) || !rp->count_timeouts ||
		    p->ts + rp->query_timeout > rp->last ? O_UNKNOWN :
		    O_TIMEOUT, DR_FAIL_TIMEOUT, NULL, p->ts + rp->query_timeout);
	}
	rp->finished = 1;
}

/* ---- life ---- */

int
dr_report_format(const char *s, enum dr_doc_format *f)
{
	if (strcmp(s, "markdown") == 0 || strcmp(s, "md") == 0)
		*f = DR_DOC_MARKDOWN;
	else if (strcmp(s, "html") == 0)
		*f = DR_DOC_HTML;
	else
		return -1;
	return 0;
}

struct dr_report *
dr_report_new(const struct dr_config *c, const char *source)
{
	struct dr_report	*rp;

	if ((rp = calloc(1, sizeof(*rp))) == NULL)
		return NULL;
	if ((rp->source = strdup(source)) == NULL) {
		free(rp);
		return NULL;
	}
	rp->fail_rcodes = c->failure_rcodes;
	rp->count_timeouts = c->count_timeouts;
	rp->query_timeout = c->query_timeout;
	rp->match_window = c->match_window;
	rp->window = c->window;
	rp->fast_window = c->fast_window;
	rp->threshold = c->threshold;
	rp->fast_threshold = c->fast_threshold > c->threshold ?
	    c->fast_threshold : c->threshold;
	rp->fail_streak = c->fail_streak;
	rp->slow_threshold = c->slow_threshold;
	rp->first = rp->last = T_NONE;
	rp->free_head = rp->fifo_head = rp->fifo_tail = -1;
	return rp;
}

void
dr_report_free(struct dr_report *rp)
{
	size_t	i;

	if (rp == NULL)
		return;
	for (i = 0; i < rp->nres; i++)
		free(rp->res[i]);
	free(rp->pool);
	free(rp->buckets);
	free(rp->source);
	free(rp);
}


/* ---- the report ---- */

static const char style[] =
    "body{font-family:sans-serif;max-width:62em;margin:2em auto;"
    "padding:0 1em;line-height:1.45;color:#222}\n"
    "h2{border-bottom:1px solid #ccc;padding-bottom:.2em;"
    "margin-top:1.8em}\n"
    "table{border-collapse:collapse;margin:.6em 0}\n"
    "th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left;"
    "vertical-align:top}\n"
    "th.r,td.r{text-align:right}\n"
    "pre{background:#f6f6f6;padding:.6em;overflow-x:auto;"
    "font-size:.85em}\n"
    "code{background:#f2f2f2;padding:0 .2em}\n"
    "p.note{font-size:.9em;color:#555}\n"
    "figure{margin:1em 0}\n"
    "svg{max-width:100%;height:auto;border:1px solid #ddd}\n";

struct row {
	dr_time_t	 ts;
	size_t		 seq;
	const struct resolver *r;	/* NULL: the capture */
	char		 what[200];
};

/* Failures of an incident: measured in pass 2, else as alerted. */
static void
ep_counts(const struct episode *e, uint64_t *failed, uint64_t *asked,
    uint64_t *by_class)
{
	int	c;

	if (e->asked > 0) {
		*failed = e->failed;
		*asked = e->asked;
		for (c = 0; c < DR_FAIL_NCLASSES; c++)
			by_class[c] = e->by_class[c];
		return;
	}
	*failed = e->alert.failures;
	*asked = e->alert.queries;
	for (c = 0; c < DR_FAIL_NCLASSES; c++)
		by_class[c] = e->alert.by_class[c];
}

static uint64_t
ep_clients(const struct episode *e)
{
	return e->asked > 0 ? e->nclients : e->alert.clients;
}

/* The sender of most ICMP errors in the incident, and its hops. */
static int
ep_sender(const struct episode *e, char *addr, int *hops)
{
	const struct sender	*best = NULL;
	uint32_t		 i;

	addr[0] = '\0';
	*hops = -1;
	for (i = 0; i < e->nsenders; i++)
		if (best == NULL || e->senders[i].count > best->count)
			best = &e->senders[i];
	if (best != NULL) {
		addr_s(&best->addr, addr);
		*hops = dr_icmp_hops(best->ttl);
		return 1;
	}
	/* No pass 2: what the alert said, when the cause is ICMP's. */
	if (e->asked == 0 && e->alert.icmp_from.family != DR_AF_NONE &&
	    e->cause != DR_CAUSE_SILENT_DROP &&
	    e->cause != DR_CAUSE_SERVFAIL && e->cause != DR_CAUSE_REFUSED &&
	    e->cause != DR_CAUSE_ERROR_RCODE) {
		addr_s(&e->alert.icmp_from, addr);
		*hops = e->alert.icmp_hops;
		return 1;
	}
	return 0;
}

static const char *
cause_short(enum dr_cause c)
{
	switch (c) {
	case DR_CAUSE_SILENT_DROP:
		return "no answer at all";
	case DR_CAUSE_SERVFAIL:
		return "cannot resolve (SERVFAIL)";
	case DR_CAUSE_REFUSED:
		return "refuses the clients (REFUSED)";
	case DR_CAUSE_ERROR_RCODE:
		return "answers with an error code";
	default:
		return dr_cause_text(c);
	}
}

static const char *
ep_cause_short(const struct episode *e)
{
	return e->slow ? "slow answers" : cause_short(e->cause);
}

/* The incident's names, most failed first (ties: first seen). */
static size_t
ep_names(const struct episode *e, const struct name **out, size_t max)
{
	size_t	n = 0, i, j;

	for (i = 0; i < NNAMES; i++) {
		if (e->names[i].failed == 0)
			continue;
		for (j = n; j > 0 && out[j - 1]->failed < e->names[i].failed;
		    j--)
			if (j < max)
				out[j] = out[j - 1];
		if (j < max) {
			out[j] = &e->names[i];
			if (n < max)
				n++;
		}
	}
	return n;
}

/* A name safe to type into a shell, for dig; else example.com. */
static const char *
dig_name(const struct episode *e)
{
	const struct name	*top[1];
	const char		*s;

	if (ep_names(e, top, 1) == 0)
		return e->alert.qname[0] != '\0' &&
		    strspn(e->alert.qname, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_") ==
		    strlen(e->alert.qname) ? e->alert.qname : "example.com";
	s = top[0]->text;
	return strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_") == strlen(s) ? s :
	    "example.com";
}

static dr_time_t
ep_to(const struct dr_report *rp, const struct episode *e)
{
	return e->end == T_OPEN ? rp->last : e->end;
}

/*
 * "from 09:01:00 to 09:02:01 UTC on 2026-03-14 (1 min 1 s)", or "from
 * 13:24:32 UTC on 2026-01-14 to the end of the capture at 13:29:16
 * (4 min 44 s; still failing then)".
 */
static void
when_phrase(const struct dr_report *rp, const struct episode *e,
    int capital, char *buf, size_t len)
{
	char		a[16], b[16], da[16], db[16], d[48];
	dr_time_t	to = ep_to(rp, e);
	const char	*from = capital ? "From" : "from";

	clock_s(e->since, a, sizeof(a));
	clock_s(to, b, sizeof(b));
	date_s(e->since, da, sizeof(da));
	date_s(to, db, sizeof(db));
	dur_s(between(e->since, to), d, sizeof(d));
	if (e->end == T_OPEN && same_day(e->since, to))
		snprintf(buf, len, "%s %s UTC on %s to the end of the capture "
		    "at %s (%s; still failing then)", from, a, da, b, d);
	else if (e->end == T_OPEN)
		snprintf(buf, len, "%s %s %s UTC to the end of the capture at "
		    "%s %s (%s; still failing then)", from, da, a, db, b, d);
	else if (same_day(e->since, to))
		snprintf(buf, len, "%s %s to %s UTC on %s (%s)", from, a, b,
		    da, d);
	else
		snprintf(buf, len, "%s %s %s to %s %s UTC (%s)", from, da, a,
		    db, b, d);
}

/* Why the alert came when it did, from the test that fired. */
static void
alert_why(const struct dr_report *rp, const struct episode *e, char *buf,
    size_t len)
{
	char	w[32];

	switch (e->alert.detector) {
	case DR_DET_FAST:
		snprintf(buf, len, ", as soon as nearly all lookups had failed "
		    "for %s", dur_s(rp->fast_window, w, sizeof(w)));
		break;
	case DR_DET_STREAK:
		snprintf(buf, len, ", after %u failures in a row",
		    e->alert.failures);
		break;
	case DR_DET_WINDOW:
		snprintf(buf, len, ", when %d%% of the lookups over %s had "
		    "failed", (int)(e->alert.rate * 100.0 + 0.5),
		    dur_s(e->alert.window_span, w, sizeof(w)));
		break;
	default:
		buf[0] = '\0';
		break;
	}
}

static void
text_addr(struct dr_doc *d, const struct dr_addr *a)
{
	char	s[DR_ADDR_STRLEN];

	dr_doc_text(d, "%s", addr_s(a, s));
}

/* The most frequent kind of failure that points to cause, or -1. */
static int
best_class(const struct episode *e, enum dr_cause cause)
{
	uint64_t	by[DR_FAIL_NCLASSES], failed, asked;
	int		c, best = -1;

	ep_counts(e, &failed, &asked, by);
	for (c = 0; c < DR_FAIL_NCLASSES; c++)
		if (by[c] > 0 && dr_fail_cause((enum dr_fail_class)c) ==
		    cause && (best < 0 || by[c] > by[best]))
			best = c;
	return best;
}

/*
 * The evidence for cause in a few words: "203.0.113.2 itself answered
 * the lookups with ...", from the most frequent kind of failure that
 * points to it.
 */
static void
evidence_short(const struct resolver *r, const struct episode *e,
    enum dr_cause cause, char *buf, size_t len)
{
	char		res[DR_ADDR_STRLEN], sender[DR_ADDR_STRLEN];
	char		who[DR_ADDR_STRLEN + 48];
	int		best, hops, own;

	buf[0] = '\0';
	best = best_class(e, cause);
	addr_s(&r->addr, res);
	own = ep_sender(e, sender, &hops) && strcmp(sender, res) == 0;
	if (sender[0] == '\0' || own)
		snprintf(who, sizeof(who), "%s itself", res);
	else if (hops >= 0)
		snprintf(who, sizeof(who), "the router %s, %d %s away,", sender,
		    hops, hops == 1 ? "hop" : "hops");
	else
		snprintf(who, sizeof(who), "the router %s", sender);
	switch (best) {
	case DR_FAIL_PORT:
		snprintf(buf, len, "%s itself answered the lookups with "
		    "\"udp port 53 unreachable\"", res);
		break;
	case DR_FAIL_PORT_PATH:
		snprintf(buf, len, "%s, not the resolver, answered the lookups "
		    "with \"udp port 53 unreachable\"", who);
		break;
	case DR_FAIL_ADMIN:
		snprintf(buf, len, "%s answered the lookups with "
		    "\"administratively prohibited\"", who);
		break;
	case DR_FAIL_HOST:
		snprintf(buf, len, "%s answered the lookups with \"host "
		    "unreachable\"", who);
		break;
	case DR_FAIL_OTHER:
		snprintf(buf, len, "%s answered the lookups with \"destination "
		    "unreachable\"", who);
		break;
	case DR_FAIL_RESET:
		snprintf(buf, len, "%s refused the DNS-over-TCP connections",
		    res);
		break;
	case DR_FAIL_TIMEOUT:
		snprintf(buf, len, "the lookups got no reply at all, not even "
		    "an error");
		break;
	case DR_FAIL_SERVFAIL:
		snprintf(buf, len, "%s answered the lookups with SERVFAIL", res);
		break;
	case DR_FAIL_REFUSED:
		snprintf(buf, len, "%s answered the lookups with REFUSED", res);
		break;
	case DR_FAIL_RCODE:
		snprintf(buf, len, "%s answered the lookups with an error code",
		    res);
		break;
	}
}

/*
 * When the evidence changed within an incident: what it pointed to
 * before, and when, from the failures themselves where pass 2 saw them.
 */
static void
changed(struct dr_doc *d, const struct resolver *r, const struct episode *e)
{
	char	ev[200], a[16], b[16];
	int	c;

	if (e->slow || e->nupdates == 0 || e->alert.cause == e->cause)
		return;
	evidence_short(r, e, e->alert.cause, ev, sizeof(ev));
	c = best_class(e, e->alert.cause);
	if (c >= 0 && e->cls_first[c] != T_NONE)
		dr_doc_text(d, " Before that, from %s to %s, it looked like "
		    "\"%s\"%s%s.", clock_s(e->cls_first[c], a, sizeof(a)),
		    clock_s(e->cls_last[c], b, sizeof(b)),
		    cause_short(e->alert.cause), ev[0] != '\0' ? ": " : "",
		    ev);
	else
		dr_doc_text(d, " Until %s it looked like \"%s\"%s%s.",
		    clock_s(e->updates[e->nupdates - 1].ts, a, sizeof(a)),
		    cause_short(e->alert.cause), ev[0] != '\0' ? ": " : "",
		    ev);
}

/* One sentence per kind of failure, the most frequent first (three). */
static void
evidence_words(struct dr_doc *d, const struct dr_report *rp,
    const struct resolver *r, const struct episode *e)
{
	uint64_t	by[DR_FAIL_NCLASSES], failed, asked, n;
	char		res[DR_ADDR_STRLEN], who[DR_ADDR_STRLEN + 64];
	char		sender[DR_ADDR_STRLEN], dur[32];
	int		c, best, told, hops, own;

	ep_counts(e, &failed, &asked, by);
	addr_s(&r->addr, res);
	own = ep_sender(e, sender, &hops) && strcmp(sender, res) == 0;
	if (sender[0] == '\0' || own)
		snprintf(who, sizeof(who), "%s itself", res);
	else if (hops >= 0)
		snprintf(who, sizeof(who), "the router %s, %d %s from where "
		    "the capture was taken,", sender, hops,
		    hops == 1 ? "hop" : "hops");
	else
		snprintf(who, sizeof(who), "the router %s", sender);
	for (told = 0; told < 3; told++) {
		best = -1;
		for (c = 0; c < DR_FAIL_NCLASSES; c++)
			if (by[c] > 0 && (best < 0 || by[c] > by[best]))
				best = c;
		if (best < 0)
			break;
		n = by[best];
		by[best] = 0;
		if (told > 0)
			dr_doc_text(d, " ");
		switch (best) {
		case DR_FAIL_PORT:
			dr_doc_text(d, "%s itself answered %llu %s with the "
			    "ICMP error \"udp port 53 unreachable\": the "
			    "machine is up and reachable, but no program "
			    "accepts DNS queries on port 53.", res, LLU(n),
			    plural(n, "lookup", "lookups"));
			break;
		case DR_FAIL_PORT_PATH:
			dr_doc_text(d, "%s, not %s, answered %llu %s with "
			    "\"udp port 53 unreachable\": a firewall there "
			    "rejects DNS on the resolver's behalf.",
			    own ? res : who, res, LLU(n),
			    plural(n, "lookup", "lookups"));
			break;
		case DR_FAIL_ADMIN:
			dr_doc_text(d, "%s answered %llu %s with the ICMP "
			    "error \"administratively prohibited\": a "
			    "firewall rule there rejects them.", who, LLU(n),
			    plural(n, "lookup", "lookups"));
			break;
		case DR_FAIL_HOST:
			dr_doc_text(d, "%s answered %llu %s with the ICMP "
			    "error \"host unreachable\" (or \"network "
			    "unreachable\"): it has no way to deliver them "
			    "to %s.", who, LLU(n),
			    plural(n, "lookup", "lookups"), res);
			break;
		case DR_FAIL_OTHER:
			dr_doc_text(d, "%s answered %llu %s with an ICMP "
			    "\"destination unreachable\" error.", who, LLU(n),
			    plural(n, "lookup", "lookups"));
			break;
		case DR_FAIL_RESET:
			dr_doc_text(d, "%s refused %llu DNS-over-TCP %s (TCP "
			    "reset): nothing listens on TCP port 53 either.",
			    res, LLU(n), plural(n, "connection",
			    "connections"));
			break;
		case DR_FAIL_TIMEOUT:
			dur_s(rp->match_window, dur, sizeof(dur));
			dr_doc_text(d, "%llu %s got no reply at all, neither "
			    "an answer nor an error message, within %s.",
			    LLU(n), plural(n, "lookup", "lookups"), dur);
			break;
		case DR_FAIL_SERVFAIL:
			dr_doc_text(d, "%s answered %llu %s with SERVFAIL "
			    "(\"server failure\"): it is up and reachable, "
			    "but could not find the answers.", res, LLU(n),
			    plural(n, "lookup", "lookups"));
			break;
		case DR_FAIL_REFUSED:
			dr_doc_text(d, "%s answered %llu %s with REFUSED: it "
			    "is up and reachable, but will not serve these "
			    "clients.", res, LLU(n),
			    plural(n, "lookup", "lookups"));
			break;
		default:
			dr_doc_text(d, "%s answered %llu %s with an error "
			    "code.", res, LLU(n),
			    plural(n, "lookup", "lookups"));
			break;
		}
	}
	if (told == 0)
		dr_doc_text(d, "the alert's counts (see the appendix).");
}

static void
item(struct dr_doc *d, int ordered, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
item(struct dr_doc *d, int ordered, const char *fmt, ...)
{
	char	buf[1024];
	va_list	ap;

	dr_doc_item(d, ordered);
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	dr_doc_text(d, "%s", buf);
}

/* "What to do next": a short checklist for the cause. */
static void
checklist(struct dr_doc *d, const struct resolver *r,
    const struct episode *e)
{
	char		res[DR_ADDR_STRLEN], sender[DR_ADDR_STRLEN], cmd[400];
	const char	*name = dig_name(e);
	int		hops, router;

	addr_s(&r->addr, res);
	router = ep_sender(e, sender, &hops) && strcmp(sender, res) != 0;
	dr_doc_para(d);
	dr_doc_strong(d, 1);
	dr_doc_text(d, "What to do next:");
	dr_doc_strong(d, 0);
	if (!e->slow && e->nupdates > 0 && e->alert.cause != e->cause)
		item(d, 1, "The evidence changed during the incident (first "
		    "\"%s\", in the end \"%s\"): what follows is for the "
		    "latest; the first may have been the start of it.",
		    cause_short(e->alert.cause), cause_short(e->cause));
	if (e->slow) {
		item(d, 1, "Check the load on %s: CPU, memory, and how many "
		    "queries it gets; its log may say it is overloaded.", res);
		dr_doc_item(d, 1);
		dr_doc_text(d, "Check how fast its upstream servers or "
		    "forwarders answer: on %s, ", res);
		dr_doc_code(d, "dig @FORWARDER example.com");
		dr_doc_text(d, " shows the query time.");
		goto verify;
	}
	switch (e->cause) {
	case DR_CAUSE_NOT_LISTENING:
		dr_doc_item(d, 1);
		dr_doc_text(d, "Check the DNS service on %s: is it running? "
		    "(", res);
		dr_doc_code(d, "systemctl status named");
		dr_doc_text(d, ", or unbound, dnsmasq: whichever serves "
		    "DNS there.)");
		dr_doc_item(d, 1);
		dr_doc_text(d, "Is it listening on port 53? On %s, ", res);
		dr_doc_code(d, "ss -lunp 'sport = :53'");
		dr_doc_text(d, " must list it (and ");
		dr_doc_code(d, "ss -ltnp 'sport = :53'");
		dr_doc_text(d, " for TCP).");
		item(d, 1, "Read its log for why it stopped or cannot start: "
		    "a configuration error, a crash, a full disk, or an "
		    "overload such as a denial-of-service attack.");
		break;
	case DR_CAUSE_FIREWALL:
		if (router)
			item(d, 1, "The errors came from %s%s%d %s from the "
			    "capture point: check its firewall rules for UDP "
			    "and TCP port 53 towards %s first.", sender,
			    hops >= 0 ? ", " : "", hops >= 0 ? hops : 0,
			    hops >= 0 ? (hops == 1 ? "hop" : "hops") :
			    "", res);
		dr_doc_item(d, 1);
		dr_doc_text(d, "Check the firewall on %s itself (", res);
		dr_doc_code(d, "nft list ruleset");
		dr_doc_text(d, " or ");
		dr_doc_code(d, "iptables -S");
		dr_doc_text(d, ") for rules about port 53; a recent change "
		    "is the usual culprit.");
		dr_doc_item(d, 1);
		dr_doc_text(d, "Check any other firewall between the clients "
		    "and %s; ", res);
		snprintf(cmd, sizeof(cmd), "traceroute -U -p 53 %s", res);
		dr_doc_code(d, cmd);
		dr_doc_text(d, " shows where the path stops.");
		break;
	case DR_CAUSE_HOST_DOWN:
	case DR_CAUSE_UNREACH_OTHER:
		dr_doc_item(d, 1);
		dr_doc_text(d, "Check that %s is up: its console, its power, ",
		    res);
		snprintf(cmd, sizeof(cmd), "ping %s", res);
		dr_doc_code(d, cmd);
		dr_doc_text(d, ".");
		dr_doc_item(d, 1);
		if (router)
			dr_doc_text(d, "Check the path: %s%s%d %s from the "
			    "capture point, says it cannot reach %s; check "
			    "its routes and its link towards it (", sender,
			    hops >= 0 ? ", " : "", hops >= 0 ? hops : 0,
			    hops >= 0 ? (hops == 1 ? "hop" : "hops") : "",
			    res);
		else
			dr_doc_text(d, "Check the path to %s: routes and "
			    "links (", res);
		snprintf(cmd, sizeof(cmd), "traceroute %s", res);
		dr_doc_code(d, cmd);
		dr_doc_text(d, ").");
		break;
	case DR_CAUSE_SILENT_DROP:
		dr_doc_item(d, 1);
		dr_doc_text(d, "Check that %s is up and reachable: ", res);
		snprintf(cmd, sizeof(cmd), "ping %s", res);
		dr_doc_code(d, cmd);
		dr_doc_text(d, ", then ");
		snprintf(cmd, sizeof(cmd), "traceroute -U -p 53 %s", res);
		dr_doc_code(d, cmd);
		dr_doc_text(d, " to see where packets to port 53 stop.");
		dr_doc_item(d, 1);
		dr_doc_text(d, "If it is up, check that its DNS service runs "
		    "and keeps up (");
		dr_doc_code(d, "ss -lunp 'sport = :53'");
		dr_doc_text(d, " on %s, its log, its load).", res);
		item(d, 1, "Check the firewalls on %s and on the way to it "
		    "for rules that drop port 53 without a word.", res);
		break;
	case DR_CAUSE_SERVFAIL:
		dr_doc_item(d, 1);
		dr_doc_text(d, "%s is up but cannot resolve: check that it "
		    "reaches its upstream servers or forwarders (on %s: ",
		    res, res);
		dr_doc_code(d, "dig @FORWARDER example.com");
		dr_doc_text(d, ").");
		dr_doc_item(d, 1);
		dr_doc_text(d, "Check DNSSEC validation: its log names the "
		    "zones that fail; a wrong clock breaks every "
		    "signature (");
		dr_doc_code(d, "timedatectl");
		dr_doc_text(d, ").");
		item(d, 1, "Read its log for errors about forwarders, "
		    "timeouts or validation.");
		break;
	case DR_CAUSE_REFUSED:
		item(d, 1, "%s refuses these clients: check its access "
		    "control (allow-query and allow-recursion in BIND, "
		    "access-control in Unbound) against the clients' "
		    "addresses.", res);
		item(d, 1, "Did the clients' addresses change (a new subnet, "
		    "NAT), or the resolver's configuration?");
		break;
	default:
		item(d, 1, "Read the log of the DNS service on %s.", res);
		break;
	}
verify:
	dr_doc_item(d, 1);
	dr_doc_text(d, "When it is fixed, ");
	snprintf(cmd, sizeof(cmd), "dig @%s %s", res, name);
	dr_doc_code(d, cmd);
	dr_doc_text(d, " must get an answer%s.", e->slow ? " quickly" : "");
	dr_doc_close(d);
}

/* Up to five clients, in address order. */
static void
client_list(struct dr_doc *d, const struct episode *e)
{
	const struct dr_addr	*v[5];
	size_t			 n = 0, i, j;

	for (i = 0; i < CLIENT_SLOTS && e->nclients <= 5; i++) {
		if (e->clients[i].family == DR_AF_NONE || n == 5)
			continue;
		for (j = n; j > 0 && (v[j - 1]->family > e->clients[i].family ||
		    (v[j - 1]->family == e->clients[i].family &&
		    memcmp(v[j - 1]->a, e->clients[i].a, 16) > 0)); j--)
			v[j] = v[j - 1];
		v[j] = &e->clients[i];
		n++;
	}
	if (n == 0)
		return;
	dr_doc_text(d, " (");
	for (i = 0; i < n; i++) {
		if (i > 0)
			dr_doc_text(d, ", ");
		text_addr(d, v[i]);
	}
	dr_doc_text(d, ")");
}

static void
episode_bullets(struct dr_doc *d, const struct dr_report *rp,
    const struct resolver *r, const struct episode *e)
{
	const struct name	*top[SHOW_NAMES];
	uint64_t		 by[DR_FAIL_NCLASSES], failed, asked, nc;
	char			 when[256], a[16], b[40], res[DR_ADDR_STRLEN];
	char			 cause[300];
	size_t			 nn, i;

	addr_s(&r->addr, res);
	ep_counts(e, &failed, &asked, by);
	when_phrase(rp, e, 0, when, sizeof(when));

	dr_doc_item(d, 0);
	dr_doc_strong(d, 1);
	dr_doc_text(d, "What users saw:");
	dr_doc_strong(d, 0);
	dr_doc_text(d, " %s.", e->slow ? "answers came late, so websites "
	    "and other services were slow to start" : users_saw(e->cause));

	dr_doc_item(d, 0);
	dr_doc_strong(d, 1);
	dr_doc_text(d, "When:");
	dr_doc_strong(d, 0);
	dr_doc_text(d, " %s.", when);
	dur_s(between(e->since, e->alert_ts), b, sizeof(b));
	alert_why(rp, e, cause, sizeof(cause));
	if (!e->slow)
		dr_doc_text(d, " The first lookup failed at %s; dnsreach "
		    "raised the alert at %s, %s later%s.",
		    clock_s(e->since, a, sizeof(a)), clock_s(e->alert_ts,
		    when, sizeof(when)), b, cause);
	if (e->flapping)
		dr_doc_text(d, " It had recovered only shortly before "
		    "(flapping).");

	if (!e->slow) {
		nc = ep_clients(e);
		dr_doc_item(d, 0);
		dr_doc_strong(d, 1);
		dr_doc_text(d, "Who:");
		dr_doc_strong(d, 0);
		dr_doc_text(d, " %s%llu client %s", e->clients_full ?
		    "more than " : "", LLU(nc),
		    plural(nc, "machine", "machines"));
		if (e->asked > 0)
			client_list(d, e);
		nn = ep_names(e, top, SHOW_NAMES);
		if (nn > 0) {
			dr_doc_text(d, "; the names that failed include ");
			for (i = 0; i < nn; i++) {
				if (i > 0)
					dr_doc_text(d, ", ");
				dr_doc_wire(d, top[i]->text);
				dr_doc_text(d, " (%u failed %s)",
				    top[i]->failed, plural(top[i]->failed,
				    "lookup", "lookups"));
			}
		} else if (e->alert.qname[0] != '\0') {
			dr_doc_text(d, "; the names that failed include ");
			dr_doc_wire(d, e->alert.qname);
		}
		dr_doc_text(d, ".");
	}

	dr_doc_item(d, 0);
	dr_doc_strong(d, 1);
	dr_doc_text(d, "How bad:");
	dr_doc_strong(d, 0);
	if (e->slow)
		dr_doc_text(d, " 95%% of its answers took up to %u ms and "
		    "half of them up to %u ms, over %s (the limit is %u ms).",
		    e->alert.p95_ms, e->alert.p50_ms, dur_s(e->alert.window_span,
		    b, sizeof(b)), e->alert.slow_threshold_ms);
	else if (e->asked > 0 && failed == asked)
		dr_doc_text(d, " %s %llu %s sent to it during the incident "
		    "failed.", asked == 1 ? "the" : asked == 2 ? "both" : "all",
		    LLU(asked), plural(asked, "lookup", "lookups"));
	else if (e->asked > 0)
		dr_doc_text(d, " %llu of the %llu lookups sent to it during "
		    "the incident failed (%d%%).", LLU(failed), LLU(asked),
		    pct(failed, asked));
	else
		dr_doc_text(d, " %llu of %llu lookups failed when the alert "
		    "was raised (%d%%).", LLU(failed), LLU(asked),
		    pct(failed, asked));

	dr_doc_item(d, 0);
	dr_doc_strong(d, 1);
	dr_doc_text(d, "Most likely cause:");
	dr_doc_strong(d, 0);
	if (e->slow)
		dr_doc_text(d, " %s is overloaded, or its upstream servers "
		    "answer slowly.", res);
	else {
		cause_plain(e->cause, res, cause, sizeof(cause));
		dr_doc_text(d, " %s.", cause);
		changed(d, r, e);
	}

	if (!e->slow) {
		dr_doc_item(d, 0);
		dr_doc_strong(d, 1);
		dr_doc_text(d, "Evidence:");
		dr_doc_strong(d, 0);
		dr_doc_text(d, " ");
		evidence_words(d, rp, r, e);
	}
	if (e->end != T_OPEN) {
		dr_doc_item(d, 0);
		dr_doc_strong(d, 1);
		dr_doc_text(d, "Recovery:");
		dr_doc_strong(d, 0);
		dr_doc_text(d, " at %s it %s again.", clock_s(e->end, a,
		    sizeof(a)), e->slow ? "answered in time" : "answered");
	}
	dr_doc_close(d);
}

static void
chart(struct dr_doc *d, const struct dr_report *rp, const struct resolver *r)
{
	struct dr_chart_span	 spans[DR_REPORT_EPISODES];
	struct dr_chart		 c;
	uint32_t		 q[DR_REPORT_POINTS], f[DR_REPORT_POINTS];
	char			 res[DR_ADDR_STRLEN], title[160], step[32];
	char			 day[16];
	FILE			*out;
	uint32_t		 i;

	if ((out = dr_doc_raw(d)) == NULL || r->npoints == 0)
		return;
	for (i = 0; i < r->npoints; i++) {
		q[i] = r->pts[i].queries;
		f[i] = r->pts[i].failed;
	}
	for (i = 0; i < r->nep; i++) {
		spans[i].from = r->ep[i].since;
		spans[i].to = ep_to(rp, &r->ep[i]);
		spans[i].kind = r->ep[i].slow ? DR_SPAN_SLOW : DR_SPAN_FAILING;
	}
	snprintf(title, sizeof(title), "DNS lookups to %s, %s UTC",
	    addr_s(&r->addr, res), date_s(r->t0, day, sizeof(day)));
	memset(&c, 0, sizeof(c));
	c.title = title;
	c.t0 = r->t0;
	c.step = r->step;
	c.n = r->npoints;
	c.queries = q;
	c.failed = f;
	c.spans = spans;
	c.nspans = r->nep;
	fputs("<figure>\n", out);
	dr_chart_svg(out, &c);
	fputs("<figcaption>", out);
	dr_html_escape(out, title);
	fprintf(out, ": lookups and failed lookups per second (averaged over "
	    "%s, by when they were asked); shaded: failing.</figcaption>\n"
	    "</figure>\n", dur_s(r->step, step, sizeof(step)));
}

static void
resolver_section(struct dr_doc *d, const struct dr_report *rp,
    const struct resolver *r)
{
	char		res[DR_ADDR_STRLEN], a[16], b[16];
	uint32_t	k;

	addr_s(&r->addr, res);
	dr_doc_heading(d, 3);
	if (r->nep == 1)
		dr_doc_text(d, "%s: %s", res, ep_cause_short(&r->ep[0]));
	else
		dr_doc_text(d, "%s: %u incidents", res, r->nep_seen);
	for (k = 0; k < r->nep; k++) {
		const struct episode *e = &r->ep[k];

		if (r->nep > 1) {
			dr_doc_heading(d, 4);
			if (e->end == T_OPEN)
				dr_doc_text(d, "Incident %u: %s UTC to the "
				    "end of the capture, %s", k + 1,
				    clock_s(e->since, a, sizeof(a)),
				    ep_cause_short(e));
			else
				dr_doc_text(d, "Incident %u: %s to %s UTC, %s",
				    k + 1, clock_s(e->since, a, sizeof(a)),
				    clock_s(e->end, b, sizeof(b)),
				    ep_cause_short(e));
		}
		episode_bullets(d, rp, r, e);
		checklist(d, r, e);
	}
	if (r->nep_seen > r->nep) {
		dr_doc_note(d);
		dr_doc_text(d, "%u more incidents of %s are not told here: "
		    "this report tells the first %d of each resolver.",
		    r->nep_seen - r->nep, res, DR_REPORT_EPISODES);
	}
	chart(d, rp, r);
}

/* ---- the summary's lead ---- */

static int
cmp_res(const void *x, const void *y)
{
	const struct resolver	*a = *(const struct resolver *const *)x;
	const struct resolver	*b = *(const struct resolver *const *)y;
	int			 oa = a->nep > 0 &&
	    a->ep[a->nep - 1].end == T_OPEN;
	int			 ob = b->nep > 0 &&
	    b->ep[b->nep - 1].end == T_OPEN;

	/* Still failing first, then by the first failure. */
	if (oa != ob)
		return ob - oa;
	if (a->nep > 0 && b->nep > 0 && a->ep[0].since != b->ep[0].since)
		return a->ep[0].since < b->ep[0].since ? -1 : 1;
	if (a->addr.family != b->addr.family)
		return a->addr.family < b->addr.family ? -1 : 1;
	return memcmp(a->addr.a, b->addr.a, sizeof(a->addr.a));
}

static void
lead_one(struct dr_doc *d, const struct dr_report *rp,
    const struct resolver *r)
{
	const struct episode	*e = &r->ep[0];
	uint64_t		 by[DR_FAIL_NCLASSES], failed, asked, nc;
	char			 when[256], res[DR_ADDR_STRLEN], cause[300];
	char			 act[300], sender[DR_ADDR_STRLEN], ev[200];
	int			 hops;

	addr_s(&r->addr, res);
	when_phrase(rp, e, 1, when, sizeof(when));
	ep_counts(e, &failed, &asked, by);
	ep_sender(e, sender, &hops);
	first_action(e->cause, res, sender, hops, e->slow, act, sizeof(act));
	dr_doc_para(d);
	dr_doc_strong(d, 1);
	if (e->slow) {
		dr_doc_text(d, "%s, the DNS resolver %s answered name lookups "
		    "slowly, so websites were slow to start.", when, res);
		dr_doc_strong(d, 0);
		dr_doc_text(d, " The most likely cause: %s is overloaded, or "
		    "its upstream servers answer slowly. First thing to "
		    "do: %s.", res, act);
		return;
	}
	nc = ep_clients(e);
	if (failed == asked && asked > 0)
		dr_doc_text(d, "%s, every name lookup sent to the DNS "
		    "resolver %s failed", when, res);
	else
		dr_doc_text(d, "%s, %d%% of the name lookups sent to the DNS "
		    "resolver %s failed", when, pct(failed, asked), res);
	if (nc == 1)
		dr_doc_text(d, ": websites looked down to the one client "
		    "machine using it.");
	else
		dr_doc_text(d, ": websites looked down to the %s%llu client "
		    "machines using it.", e->clients_full ? "more than " : "",
		    LLU(nc));
	dr_doc_strong(d, 0);
	cause_plain(e->cause, res, cause, sizeof(cause));
	evidence_short(r, e, e->cause, ev, sizeof(ev));
	dr_doc_text(d, " The most likely cause: %s%s%s.", cause,
	    ev[0] != '\0' ? ", since " : "", ev);
	changed(d, r, e);
	dr_doc_text(d, " First thing to do: %s.", act);
}

static void
lead_many(struct dr_doc *d, const struct dr_report *rp,
    struct resolver *const *v, size_t n)
{
	const struct episode	*e;
	char			 res[DR_ADDR_STRLEN], when[256], act[300];
	char			 sender[DR_ADDR_STRLEN], a[16], dur[32];
	char			 ev[200];
	size_t			 i, open = 0, total = 0;
	uint32_t		 k;
	int			 hops;

	for (i = 0; i < n; i++) {
		total += v[i]->nep_seen;
		open += v[i]->nep > 0 && v[i]->ep[v[i]->nep - 1].end == T_OPEN;
	}
	dr_doc_para(d);
	dr_doc_strong(d, 1);
	if (n == 1 && rp->noverflow == 0) {
		if (total == 2)
			snprintf(act, sizeof(act), "twice");
		else
			snprintf(act, sizeof(act), "%zu times", total);
		dr_doc_text(d, "Name lookups through the DNS resolver %s "
		    "failed %s in this capture%s.", addr_s(&v[0]->addr, res),
		    act, open > 0 ? ", and it was still failing when the "
		    "capture ended" : "");
		dr_doc_strong(d, 0);
		dr_doc_text(d, " While it failed, websites looked down to the "
		    "client machines using it. In short:");
		for (k = 0; k < v[0]->nep; k++) {
			e = &v[0]->ep[k];
			when_phrase(rp, e, 1, when, sizeof(when));
			ep_sender(e, sender, &hops);
			first_action(e->cause, res, sender, hops, e->slow, act,
			    sizeof(act));
			evidence_short(v[0], e, e->cause, ev, sizeof(ev));
			dr_doc_item(d, 0);
			dr_doc_text(d, "%s: %s%s%s%s. First: %s.", when,
			    ep_cause_short(e), ev[0] != '\0' ? " (" : "", ev,
			    ev[0] != '\0' ? ")" : "", act);
		}
		dr_doc_close(d);
		return;
	} else {
		if (n + rp->noverflow == rp->nresolvers)
			dr_doc_text(d, "DNS failed in this capture: all %llu "
			    "DNS resolvers seen had incidents (%zu in all)",
			    LLU(rp->nresolvers), total);
		else
			dr_doc_text(d, "DNS failed in this capture: %zu of the "
			    "%llu DNS resolvers seen had incidents (%zu in "
			    "all)", n + rp->noverflow, LLU(rp->nresolvers),
			    total);
		if (open == 1)
			dr_doc_text(d, ", and one was still failing when the "
			    "capture ended");
		else if (open > 1)
			dr_doc_text(d, ", and %zu were still failing when the "
			    "capture ended", open);
		dr_doc_text(d, ".");
		dr_doc_strong(d, 0);
		dr_doc_text(d, " While a resolver failed, websites looked down "
		    "to the client machines using it. In short:");
	}
	for (i = 0; i < n; i++) {
		addr_s(&v[i]->addr, res);
		dr_doc_item(d, 0);
		dr_doc_strong(d, 1);
		dr_doc_text(d, "%s", res);
		dr_doc_strong(d, 0);
		e = &v[i]->ep[v[i]->nep - 1];
		if (v[i]->nep == 1) {
			when_phrase(rp, e, 0, when, sizeof(when));
			evidence_short(v[i], e, e->cause, ev, sizeof(ev));
			dr_doc_text(d, ": %s; %s%s%s%s.", when,
			    ep_cause_short(e), ev[0] != '\0' ? " (" : "", ev,
			    ev[0] != '\0' ? ")" : "");
		} else {
			dr_doc_text(d, ": %u incidents:", v[i]->nep_seen);
			for (k = 0; k < v[i]->nep; k++)
				dr_doc_text(d, "%s %s for %s%s (%s)",
				    k ? "," : "", clock_s(v[i]->ep[k].since, a,
				    sizeof(a)), dur_s(between(v[i]->ep[k].since,
				    ep_to(rp, &v[i]->ep[k])), dur, sizeof(dur)),
				    v[i]->ep[k].end == T_OPEN ?
				    ", still failing at the end" : "",
				    ep_cause_short(&v[i]->ep[k]));
			dr_doc_text(d, ".");
		}
		ep_sender(e, sender, &hops);
		first_action(e->cause, res, sender, hops, e->slow, act,
		    sizeof(act));
		dr_doc_text(d, " First: %s.", act);
	}
	if (rp->noverflow > 0) {
		dr_doc_item(d, 0);
		dr_doc_text(d, "%zu more failing %s: see the appendix.",
		    rp->noverflow, plural(rp->noverflow, "resolver",
		    "resolvers"));
	}
	dr_doc_close(d);
}

static void
lead_quiet(struct dr_doc *d, const struct dr_report *rp)
{
	char	t[32];

	dr_doc_para(d);
	dr_doc_strong(d, 1);
	if (rp->packets == 0) {
		dr_doc_text(d, "The capture holds no packets: there is nothing "
		    "to report.");
		dr_doc_strong(d, 0);
		return;
	}
	if (rp->nresolvers == 0) {
		dr_doc_text(d, "No DNS traffic in this capture: %llu %s, none "
		    "of them a DNS query, a DNS answer or an ICMP error about "
		    "DNS.", LLU(rp->packets), plural(rp->packets, "packet",
		    "packets"));
		dr_doc_strong(d, 0);
		dr_doc_text(d, " The capture cannot show whether name lookups "
		    "worked. "
		    "Check that it was taken where the clients' DNS traffic "
		    "passes, and that its filter kept UDP and TCP port 53 and "
		    "ICMP.");
		if (rp->decode[DR_DECODE_TRUNCATED] > 0)
			dr_doc_text(d, " %llu packets were cut short by the "
			    "capture's snap length before their DNS part.",
			    LLU(rp->decode[DR_DECODE_TRUNCATED]));
		return;
	}
	if (rp->failed == 0) {
		dr_doc_text(d, "No DNS failures in this capture: %llu %s to "
		    "%llu %s, all answered.", LLU(rp->queries),
		    plural(rp->queries, "query", "queries"),
		    LLU(rp->nresolvers), plural(rp->nresolvers, "resolver",
		    "resolvers"));
		dr_doc_strong(d, 0);
		return;
	}
	dr_doc_text(d, "No DNS incident in this capture: %llu %s to %llu %s; "
	    "%llu failed (%d%%), too few to count as an outage.",
	    LLU(rp->queries), plural(rp->queries, "query", "queries"),
	    LLU(rp->nresolvers), plural(rp->nresolvers, "resolver",
	    "resolvers"), LLU(rp->failed), pct(rp->failed, rp->queries));
	dr_doc_strong(d, 0);
	dr_doc_text(d, " dnsreach raises an alert when at least %.0f%% of a "
	    "resolver's lookups fail over %s, or %u fail in a row.",
	    rp->threshold * 100.0, dur_s(rp->window, t, sizeof(t)),
	    rp->fail_streak);
}

/* ---- timeline ---- */

static int
cmp_row(const void *x, const void *y)
{
	const struct row	*a = x, *b = y;

	if (a->ts != b->ts)
		return a->ts < b->ts ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static struct row *
add_row(struct row *v, size_t *n, size_t cap, dr_time_t ts,
    const struct resolver *r, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static struct row *
add_row(struct row *v, size_t *n, size_t cap, dr_time_t ts,
    const struct resolver *r, const char *fmt, ...)
{
	va_list	ap;

	if (*n == cap)
		return NULL;
	v[*n].ts = ts;
	v[*n].seq = *n;
	v[*n].r = r;
	va_start(ap, fmt);
	vsnprintf(v[*n].what, sizeof(v[*n].what), fmt, ap);
	va_end(ap);
	return &v[(*n)++];
}

static int
timeline(struct dr_doc *d, const struct dr_report *rp,
    struct resolver *const *res, size_t nres)
{
	static const char *const head[3] = { "Time (UTC)", "Resolver",
	    "What happened" };
	struct row		*v;
	const struct episode	*e;
	char			 ts[32], a[DR_ADDR_STRLEN];
	size_t			 n = 0, cap, i;
	uint32_t		 k, u;
	int			 c, first;

	cap = 2 + nres * DR_REPORT_EPISODES * (5 + NUPDATES +
	    DR_FAIL_NCLASSES);
	if ((v = calloc(cap, sizeof(*v))) == NULL)
		return -1;
	add_row(v, &n, cap, rp->first, NULL, "The capture begins");
	for (i = 0; i < nres; i++) {
		for (k = 0; k < res[i]->nep; k++) {
			e = &res[i]->ep[k];
			if (e->slow) {
				add_row(v, &n, cap, e->alert_ts, res[i],
				    "Alert: slow answers (95%% within %u ms)",
				    e->alert.p95_ms);
				if (e->end != T_OPEN)
					add_row(v, &n, cap, e->end, res[i],
					    "Answers in time again");
				continue;
			}
			add_row(v, &n, cap, e->since, res[i],
			    "First failed lookup");
			if (e->first_error != T_NONE &&
			    e->first_error - e->since >= DR_USEC)
				add_row(v, &n, cap, e->first_error, res[i],
				    "First error back: %s",
				    class_words(e->first_error_class));
			/* Where the failures themselves changed kind. */
			for (c = 0, first = -1; c < DR_FAIL_NCLASSES; c++)
				if (e->cls_first[c] != T_NONE && (first < 0 ||
				    e->cls_first[c] < e->cls_first[first]))
					first = c;
			for (c = 0; c < DR_FAIL_NCLASSES; c++)
				if (c != first && e->cls_first[c] != T_NONE &&
				    e->by_class[c] * 10 >= e->failed)
					add_row(v, &n, cap, e->cls_first[c],
					    res[i], "Lookups now get %s",
					    class_words(c));
			add_row(v, &n, cap, e->alert_ts, res[i],
			    "Alert: %s, %s", e->flapping ?
			    "failing again soon after recovering" :
			    "failing", cause_short(e->alert.cause));
			for (u = 0; u < e->nupdates; u++)
				add_row(v, &n, cap, e->updates[u].ts, res[i],
				    "Alert updated: now %s (before: %s)",
				    cause_short(e->updates[u].to),
				    cause_short(e->updates[u].from));
			if (e->end != T_OPEN)
				add_row(v, &n, cap, e->end, res[i],
				    "Recovered: lookups are answered again");
			else
				add_row(v, &n, cap, rp->last, res[i],
				    "Still failing at the end of the capture");
		}
	}
	add_row(v, &n, cap, rp->last, NULL, "The capture ends");
	qsort(v, n, sizeof(*v), cmp_row);
	dr_doc_table(d, 3, head, "lll");
	for (i = 0; i < n; i++) {
		dr_doc_row(d);
		dr_doc_cell(d);
		dr_doc_text(d, "%s", stamp_s(v[i].ts, ts, sizeof(ts)));
		dr_doc_cell(d);
		if (v[i].r != NULL)
			dr_doc_text(d, "%s", addr_s(&v[i].r->addr, a));
		dr_doc_cell(d);
		dr_doc_text(d, "%s", v[i].what);
	}
	dr_doc_close(d);
	free(v);
	return 0;
}

/* ---- appendix ---- */

static void
count_row(struct dr_doc *d, const char *what, uint64_t n)
{
	dr_doc_row(d);
	dr_doc_cell(d);
	dr_doc_text(d, "%s", what);
	dr_doc_cell(d);
	dr_doc_text(d, "%llu", LLU(n));
}

static void
counts_table(struct dr_doc *d, const struct resolver *r)
{
	static const char *const head[2] = { "Measure (whole capture)",
	    "Count" };
	const struct dr_resolver_counts	*c = &r->counts;
	char				 what[160], res[DR_ADDR_STRLEN];
	char				 s[DR_ADDR_STRLEN];
	size_t				 i;
	int				 code, v6 = r->addr.family ==
	    DR_AF_INET6, hops;

	addr_s(&r->addr, res);
	dr_doc_table(d, 2, head, "lr");
	count_row(d, "DNS queries", c->queries);
	count_row(d, "Retransmissions (the same query again)",
	    c->retransmissions);
	count_row(d, "Answers", c->responses);
	for (i = 0; i < DR_RC_NCLASSES; i++) {
		snprintf(what, sizeof(what), "Answers %s",
		    dr_rcode_class_name((enum dr_rcode_class)i));
		count_row(d, what, c->rcodes[i]);
	}
	count_row(d, "ICMP destination unreachable about queries",
	    c->unreachable);
	for (code = 0; code < DR_ICMP_NCODES; code++) {
		if (c->unreach_by_code[code] == 0)
			continue;
		if (code == DR_ICMP_CODE_OTHER)
			snprintf(what, sizeof(what), "ICMP code above 15");
		else
			snprintf(what, sizeof(what), "ICMP%s code %d, %s",
			    v6 ? "v6" : "", code, icmp_code_words(v6, code));
		count_row(d, what, c->unreach_by_code[code]);
	}
	for (i = 0; i < r->nsenders; i++) {
		hops = dr_icmp_hops(r->senders[i].ttl);
		addr_s(&r->senders[i].addr, s);
		if (strcmp(s, res) == 0)
			snprintf(what, sizeof(what), "ICMP errors sent by %s "
			    "(the resolver itself)", s);
		else if (hops >= 0)
			snprintf(what, sizeof(what), "ICMP errors sent by %s "
			    "(%d %s away)", s, hops, hops == 1 ? "hop" :
			    "hops");
		else
			snprintf(what, sizeof(what), "ICMP errors sent by %s",
			    s);
		count_row(d, what, r->senders[i].count);
	}
	count_row(d, "ICMP errors quoting no query seen (not counted)",
	    c->unmatched);
	count_row(d, "Timeouts (no answer at all)", c->timeouts);
	count_row(d, "DNS-over-TCP connections refused", c->tcp_resets);
	count_row(d, "Alerts (failing)", c->alerts);
	dr_doc_row(d);
	dr_doc_cell(d);
	dr_doc_text(d, "Answer time, median / 95th percentile");
	dr_doc_cell(d);
	if (r->samples > 0)
		dr_doc_text(d, "%.1f ms / %.1f ms", r->p50, r->p95);
	else
		dr_doc_text(d, "no answers");
	dr_doc_close(d);
}

static void
exchange_lines(struct dr_doc *d, const struct exchange *x,
    const struct dr_report *rp)
{
	char	line[LINE + 64], dur[32];

	dr_doc_pre(d);
	if (x->query[0] != '\0')
		dr_doc_line(d, x->query);
	if (x->reply[0] != '\0')
		dr_doc_line(d, x->reply);
	else if (x->outcome == O_TIMEOUT) {
		snprintf(line, sizeof(line), "(no reply within %s)",
		    dur_s(rp->match_window, dur, sizeof(dur)));
		dr_doc_line(d, line);
	}
	dr_doc_close(d);
}

static void
evidence(struct dr_doc *d, const struct dr_report *rp,
    const struct resolver *r)
{
	const struct episode	*e;
	char			 res[DR_ADDR_STRLEN], cmd[600], a[16];
	uint32_t		 k, i;
	int			 any = 0;

	addr_s(&r->addr, res);
	for (k = 0; k < r->nep; k++)
		any |= r->ep[k].nex > 0 || r->ep[k].have_after;
	if (!any)
		return;
	dr_doc_para(d);
	dr_doc_text(d, "Evidence packets, as ");
	snprintf(cmd, sizeof(cmd), "TZ=UTC tcpdump -n -r %s 'host %s or %s'",
	    strspn(rp->source, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ"
	    "RSTUVWXYZ0123456789._/+-") == strlen(rp->source) ?
	    rp->source : "FILE", res, r->addr.family == DR_AF_INET6 ?
	    "icmp6" : "icmp");
	dr_doc_code(d, cmd);
	dr_doc_text(d, " prints them:");
	for (k = 0; k < r->nep; k++) {
		e = &r->ep[k];
		if (e->nex == 0 && !e->have_after)
			continue;
		for (i = 0; i < e->nex; i++) {
			dr_doc_para(d);
			if (r->nep > 1)
				dr_doc_text(d, "Incident %u, ", k + 1);
			dr_doc_text(d, "%s failed lookup%s:", i == 0 ?
			    (r->nep > 1 ? "first" : "First") :
			    (r->nep > 1 ? "next" : "Next"),
			    e->ex[i].query[0] == '\0' ?
			    " (its query is not in the capture)" :
			    e->ex[i].outcome == O_TIMEOUT ?
			    ", which got no reply" : " and the reply");
			exchange_lines(d, &e->ex[i], rp);
		}
		if (e->have_after) {
			dr_doc_para(d);
			dr_doc_text(d, "%s first answer after the recovery "
			    "at %s:", r->nep > 1 ? "Then the" : "The",
			    clock_s(e->end, a, sizeof(a)));
			exchange_lines(d, &e->after, rp);
		}
	}
}

static void
alert_lines(struct dr_doc *d, const struct resolver *r)
{
	const struct episode	*e;
	char			 msg[1200], at[40], line[1300];
	uint32_t		 k;

	if (r->nep == 0)
		return;
	dr_doc_para(d);
	dr_doc_text(d, "The alerts, as dnsreachd logs them (");
	dr_doc_code(d, "journalctl -t dnsreachd");
	dr_doc_text(d, " shows the same live):");
	dr_doc_pre(d);
	for (k = 0; k < r->nep; k++) {
		e = &r->ep[k];
		dr_alert_time(e->alert.ts, at, sizeof(at));
		dr_alert_message(&e->alert, msg, sizeof(msg));
		snprintf(line, sizeof(line), "%s %s", at, msg);
		dr_doc_line(d, line);
		if (e->end == T_OPEN)
			continue;
		dr_alert_time(e->recovery.ts, at, sizeof(at));
		dr_alert_message(&e->recovery, msg, sizeof(msg));
		snprintf(line, sizeof(line), "%s %s", at, msg);
		dr_doc_line(d, line);
	}
	dr_doc_close(d);
}

static void
others_table(struct dr_doc *d, const struct dr_report *rp)
{
	static const char *const head[5] = { "Resolver", "Queries",
	    "Answers", "Failed", "Answer time p95" };
	static const char *const ohead[5] = { "Resolver", "Incidents",
	    "First failure (UTC)", "Cause", "Queries" };
	char		a[DR_ADDR_STRLEN], ts[32];
	size_t		i;

	if (rp->noverflow > 0) {
		dr_doc_heading(d, 3);
		dr_doc_text(d, "More failing resolvers");
		dr_doc_para(d);
		dr_doc_text(d, "This report tells %d failing resolvers in "
		    "detail; these failed too:", DR_REPORT_RESOLVERS);
		dr_doc_table(d, 5, ohead, "lrllr");
		for (i = 0; i < rp->noverflow; i++) {
			dr_doc_row(d);
			dr_doc_cell(d);
			dr_doc_text(d, "%s", addr_s(&rp->overflow[i].addr, a));
			dr_doc_cell(d);
			dr_doc_text(d, "%u", rp->overflow[i].alerts);
			dr_doc_cell(d);
			dr_doc_text(d, "%s", stamp_s(rp->overflow[i].since, ts,
			    sizeof(ts)));
			dr_doc_cell(d);
			dr_doc_text(d, "%s", cause_short(
			    rp->overflow[i].cause));
			dr_doc_cell(d);
			dr_doc_text(d, "%llu", LLU(rp->overflow[i].queries));
		}
		dr_doc_close(d);
		if (rp->overflow_seen > rp->noverflow) {
			dr_doc_note(d);
			dr_doc_text(d, "And %llu more.",
			    LLU(rp->overflow_seen - rp->noverflow));
		}
	}
	if (rp->nothers == 0)
		return;
	dr_doc_heading(d, 3);
	dr_doc_text(d, "Resolvers without incidents");
	dr_doc_table(d, 5, head, "lrrrr");
	for (i = 0; i < rp->nothers; i++) {
		dr_doc_row(d);
		dr_doc_cell(d);
		dr_doc_text(d, "%s", addr_s(&rp->others[i].addr, a));
		dr_doc_cell(d);
		dr_doc_text(d, "%llu", LLU(rp->others[i].queries));
		dr_doc_cell(d);
		dr_doc_text(d, "%llu", LLU(rp->others[i].answered));
		dr_doc_cell(d);
		dr_doc_text(d, "%llu", LLU(rp->others[i].failed));
		dr_doc_cell(d);
		if (rp->others[i].samples > 0)
			dr_doc_text(d, "%.1f ms", rp->others[i].p95);
		else
			dr_doc_text(d, "-");
	}
	dr_doc_close(d);
	if (rp->others_seen > rp->nothers) {
		dr_doc_note(d);
		dr_doc_text(d, "And %llu more resolvers with fewer queries.",
		    LLU(rp->others_seen - rp->nothers));
	}
}

static void
about(struct dr_doc *d, const struct dr_report *rp, size_t nres)
{
	char	w[32], f[32], q[32], m[32], st[32];
	size_t	i;

	dr_doc_heading(d, 2);
	dr_doc_text(d, "About this report");
	dr_doc_note(d);
	dr_doc_text(d, "dnsreachd replayed the capture through the same "
	    "detection as the running daemon: a resolver fails when at "
	    "least %.0f%% of its lookups fail over %s (and over the last %s), "
	    "when nearly all fail over %s from several clients, or when %u "
	    "fail in a row on a quiet resolver. A lookup with no reply "
	    "within %s counts as unanswered; a reply up to %s late still "
	    "counts for what it says.", rp->threshold * 100.0,
	    dur_s(rp->window, w, sizeof(w)), dur_s(rp->fast_window, f,
	    sizeof(f)), f, rp->fail_streak, dur_s(rp->query_timeout, q,
	    sizeof(q)), dur_s(rp->match_window, m, sizeof(m)));
	dr_doc_note(d);
	dr_doc_text(d, "Times are the capture's own packet times, in UTC. The "
	    "counts of an incident are the lookups asked while it lasted "
	    "(and failures known while it lasted), matched to their replies "
	    "by client, port and DNS id. Evidence lines read as ");
	dr_doc_code(d, "TZ=UTC tcpdump -n");
	dr_doc_text(d, " prints them, except that names keep only letters, "
	    "digits, '-' and '_' as they are (any other byte reads \\DDD) and "
	    "TCP lines leave out sequence numbers and options.");
	for (i = 0; i < nres; i++)
		if (rp->res[i]->npoints > 0)
			break;
	if (i < nres) {
		dr_doc_note(d);
		dr_doc_text(d, "The HTML form of this report (");
		dr_doc_code(d, "--report-format=html");
		dr_doc_text(d, ") draws each failing resolver's lookups over "
		    "time, in steps of %s or more.",
		    dur_s(rp->res[i]->step, st, sizeof(st)));
	}
	if (rp->evicted > 0) {
		dr_doc_note(d);
		dr_doc_text(d, "%llu queries were still waiting for a reply "
		    "when the report's table of %d was full: their outcome is "
		    "left out of the incident counts.", LLU(rp->evicted),
		    DR_REPORT_PENDING);
	}
}

int
dr_report_write(FILE *f, struct dr_report *rp, enum dr_doc_format fmt)
{
	struct resolver	*v[DR_REPORT_RESOLVERS];
	struct dr_doc	*d;
	char		 a[32], b[32], dur[32];
	size_t		 i;
	int		 r = 0;

	if ((d = dr_doc_new(f, fmt, "DNS incident report", style)) == NULL)
		return -1;
	for (i = 0; i < rp->nres; i++)
		v[i] = rp->res[i];
	qsort(v, rp->nres, sizeof(v[0]), cmp_res);

	dr_doc_heading(d, 1);
	dr_doc_text(d, "DNS incident report");
	dr_doc_para(d);
	dr_doc_text(d, "Capture ");
	dr_doc_wire(d, rp->source);
	if (rp->first != T_NONE) {
		stamp_s(rp->first, a, sizeof(a));
		if (same_day(rp->first, rp->last))
			clock_s(rp->last, b, sizeof(b));
		else
			stamp_s(rp->last, b, sizeof(b));
		dr_doc_text(d, ", %s to %s UTC (%s)", a, b,
		    dur_s(between(rp->first, rp->last), dur, sizeof(dur)));
	}
	dr_doc_text(d, ": %llu %s", LLU(rp->packets),
	    plural(rp->packets, "packet", "packets"));
	if (rp->nresolvers > 0)
		dr_doc_text(d, ", %llu DNS %s to %llu %s", LLU(rp->queries),
		    plural(rp->queries, "query", "queries"),
		    LLU(rp->nresolvers), plural(rp->nresolvers, "resolver",
		    "resolvers"));
	dr_doc_text(d, ".");
	if (rp->cut[0] != '\0') {
		dr_doc_para(d);
		dr_doc_strong(d, 1);
		dr_doc_text(d, "The capture file ends early");
		dr_doc_strong(d, 0);
		dr_doc_text(d, " (");
		dr_doc_wire(d, rp->cut);
		dr_doc_text(d, "): this report covers what could be read.");
	}

	dr_doc_heading(d, 2);
	dr_doc_text(d, "Summary");
	if (rp->nres == 0 && rp->noverflow == 0)
		lead_quiet(d, rp);
	else if (rp->nres == 1 && rp->noverflow == 0 && v[0]->nep_seen == 1)
		lead_one(d, rp, v[0]);
	else
		lead_many(d, rp, v, rp->nres);
	for (i = 0; i < rp->nres; i++)
		resolver_section(d, rp, v[i]);

	if (rp->nres > 0) {
		dr_doc_heading(d, 2);
		dr_doc_text(d, "Timeline");
		if (timeline(d, rp, v, rp->nres) == -1)
			r = -1;
	}

	if (rp->nresolvers > 0 || rp->noverflow > 0) {
		dr_doc_heading(d, 2);
		dr_doc_text(d, "Technical appendix");
	}
	for (i = 0; i < rp->nres; i++) {
		dr_doc_heading(d, 3);
		text_addr(d, &v[i]->addr);
		if (v[i]->have_counts)
			counts_table(d, v[i]);
		evidence(d, rp, v[i]);
		alert_lines(d, v[i]);
	}
	others_table(d, rp);
	if (rp->decode[DR_DECODE_TRUNCATED] + rp->decode[DR_DECODE_MALFORMED]
	    > 0) {
		dr_doc_note(d);
		dr_doc_text(d, "%llu packets were cut short by the capture's "
		    "snap length and %llu were malformed; they are counted "
		    "apart, not as failures.",
		    LLU(rp->decode[DR_DECODE_TRUNCATED]),
		    LLU(rp->decode[DR_DECODE_MALFORMED]));
	}
	about(d, rp, rp->nres);
	if (dr_doc_end(d) == -1)
		r = -1;
	return r;
}
