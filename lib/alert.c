/*
 * alert.c: the words of an alert, one sentence a tired operator reads.
 */
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "alert.h"

/* "60 s", "1.5 s", "2 min". */
static void
fmt_span(dr_time_t us, char *buf, size_t len)
{
	if (us >= 120 * DR_USEC && us % (60 * DR_USEC) == 0)
		snprintf(buf, len, "%lld min",
		    (long long)(us / (60 * DR_USEC)));
	else if (us >= 10 * DR_USEC)
		snprintf(buf, len, "%lld s", (long long)((us + DR_USEC / 2) /
		    DR_USEC));
	else
		snprintf(buf, len, "%.1f s", (double)us / DR_USEC);
}

/* What happened to the queries, when it was one thing. */
static const char *
got_what(enum dr_fail_class c)
{
	static const char *const t[DR_FAIL_NCLASSES] = {
		[DR_FAIL_PORT] = "got ICMP port unreachable",
		[DR_FAIL_PORT_PATH] =
		    "got ICMP port unreachable from another host",
		[DR_FAIL_ADMIN] = "got ICMP administratively prohibited",
		[DR_FAIL_HOST] = "got ICMP host or network unreachable",
		[DR_FAIL_OTHER] = "got ICMP destination unreachable",
		[DR_FAIL_RESET] = "were refused (TCP reset)",
		[DR_FAIL_TIMEOUT] = "got no answer at all",
		[DR_FAIL_SERVFAIL] = "were answered SERVFAIL",
		[DR_FAIL_REFUSED] = "were answered REFUSED",
		[DR_FAIL_RCODE] = "were answered with an error code",
	};

	return (unsigned)c < DR_FAIL_NCLASSES ? t[c] : "failed";
}

/* The same, as an item of a list: "port unreachable (3)". */
static const char *
fail_item(enum dr_fail_class c)
{
	static const char *const t[DR_FAIL_NCLASSES] = {
		[DR_FAIL_PORT] = "port unreachable",
		[DR_FAIL_PORT_PATH] = "port unreachable from another host",
		[DR_FAIL_ADMIN] = "administratively prohibited",
		[DR_FAIL_HOST] = "host or network unreachable",
		[DR_FAIL_OTHER] = "other unreachable",
		[DR_FAIL_RESET] = "TCP reset",
		[DR_FAIL_TIMEOUT] = "no answer",
		[DR_FAIL_SERVFAIL] = "SERVFAIL",
		[DR_FAIL_REFUSED] = "REFUSED",
		[DR_FAIL_RCODE] = "error rcode",
	};

	return (unsigned)c < DR_FAIL_NCLASSES ? t[c] : "?";
}

/*
 * "got ICMP port unreachable (96%)" for one kind of failure, "failed
 * (100%): port unreachable (3), administratively prohibited (4)" for a
 * mix: every kind is named, none hidden behind the first.
 */
static void
fmt_failures(const struct dr_alert *a, int pct, char *buf, size_t len)
{
	const char	*sep = "";
	size_t		 o;
	int		 c, kinds = 0, only = -1, n;

	for (c = 0; c < DR_FAIL_NCLASSES; c++)
		if (a->by_class[c] > 0) {
			kinds++;
			only = c;
		}
	if (kinds <= 1) {
		snprintf(buf, len, "%s (%d%%)",
		    got_what((enum dr_fail_class)only), pct);
		return;
	}
	n = snprintf(buf, len, "failed (%d%%):", pct);
	o = n < 0 || (size_t)n >= len ? len : (size_t)n;
	for (c = 0; c < DR_FAIL_NCLASSES && o < len; c++) {
		if (a->by_class[c] == 0)
			continue;
		n = snprintf(buf + o, len - o, "%s %s (%u)", sep,
		    fail_item((enum dr_fail_class)c), a->by_class[c]);
		if (n < 0)
			break;
		o += (size_t)n;
		sep = ",";
	}
}

/* Who sent the ICMP errors, when it tells something. */
static void
fmt_sender(const struct dr_alert *a, char *buf, size_t len)
{
	char	from[DR_ADDR_STRLEN], hops[32] = "";

	buf[0] = '\0';
	if (a->icmp_from.family == DR_AF_NONE)
		return;
	dr_addr_format(&a->icmp_from, from, sizeof(from));
	if (dr_addr_eq(&a->icmp_from, &a->resolver)) {
		if (a->cause == DR_CAUSE_NOT_LISTENING)
			snprintf(buf, len, " on %s (the host is up and says "
			    "port 53 is closed)", from);
		else if (a->cause == DR_CAUSE_FIREWALL)
			snprintf(buf, len, " on %s itself (its own firewall "
			    "rejects port 53)", from);
		return;
	}
	if (a->cause != DR_CAUSE_FIREWALL && a->cause != DR_CAUSE_HOST_DOWN &&
	    a->cause != DR_CAUSE_UNREACH_OTHER)
		return;
	if (a->icmp_hops >= 0)
		snprintf(hops, sizeof(hops), ", %d hop%s away", a->icmp_hops,
		    a->icmp_hops == 1 ? "" : "s");
	snprintf(buf, len, " (router %s%s says so, not the resolver)", from,
	    hops);
}

static int
msg_recovered(const struct dr_alert *a, const char *addr, const char *span,
    const char *extra, char *buf, size_t len)
{
	int	pct = (int)(a->rate * 100.0 + 0.5);

	if (a->detector == DR_DET_IDLE || a->queries == 0)
		return snprintf(buf, len, "resolver %s recovered: no queries "
		    "to it in the last %s, so no failures either%s", addr,
		    span, extra);
	if (a->detector == DR_DET_STREAK)
		return snprintf(buf, len, "resolver %s recovered: the last "
		    "%u DNS queries to it were answered%s", addr, a->queries,
		    extra);
	return snprintf(buf, len, "resolver %s recovered: %u of %u DNS "
	    "queries failed in the last %s (%d%%)%s", addr, a->failures,
	    a->queries, span, pct, extra);
}

int
dr_alert_message(const struct dr_alert *a, char *buf, size_t len)
{
	char		addr[DR_ADDR_STRLEN], span[32], extra[64] = "";
	char		name[300] = "", what[256], sender[128], head[160];
	int		pct = (int)(a->rate * 100.0 + 0.5);

	dr_addr_format(&a->resolver, addr, sizeof(addr));
	fmt_span(a->window_span, span, sizeof(span));
	if (a->capture_drops > 0)
		snprintf(extra, sizeof(extra),
		    " (capture lost %llu packets in the window)",
		    (unsigned long long)a->capture_drops);
	switch (a->event) {
	case DR_ALERT_RECOVERED:
		return msg_recovered(a, addr, span, extra, buf, len);
	case DR_ALERT_SLOW:
		return snprintf(buf, len, "resolver %s slow: 95%% of its "
		    "answers within %u ms, half within %u ms, over the last "
		    "%s (threshold %u ms)", addr, a->p95_ms, a->p50_ms, span,
		    a->slow_threshold_ms);
	case DR_ALERT_SLOW_RECOVERED:
		return snprintf(buf, len, "resolver %s answers in time again: "
		    "95%% of its answers within %u ms over the last %s "
		    "(threshold %u ms)", addr, a->p95_ms, span,
		    a->slow_threshold_ms);
	case DR_ALERT_FLAPPING:
		snprintf(head, sizeof(head), "resolver %s flapping: failing "
		    "again soon after it recovered, and told once until it "
		    "stays up;", addr);
		break;
	case DR_ALERT_UPDATED:
		snprintf(head, sizeof(head), "resolver %s still failing, the "
		    "evidence now points to %s (not %s):", addr,
		    dr_cause_token(a->cause), dr_cause_token(a->prev_cause));
		break;
	default:
		snprintf(head, sizeof(head), "resolver %s %s:", addr,
		    a->reminder ? "still failing" : "failing");
		break;
	}
	if (a->qname[0] != '\0')
		snprintf(name, sizeof(name), ", e.g. %s", a->qname);
	fmt_failures(a, pct, what, sizeof(what));
	fmt_sender(a, sender, sizeof(sender));
	return snprintf(buf, len, "%s %u of %u DNS queries in the last %s "
	    "%s%s \xe2\x80\x94 %s%s%s", head, a->failures, a->queries, span,
	    what, name, dr_cause_text(a->cause), sender, extra);
}

const char *
dr_alert_event_name(enum dr_alert_event ev)
{
	static const char *const t[DR_ALERT_NEVENTS] = {
		"failing", "recovered", "flapping", "updated", "slow",
		"slow-recovered"
	};

	return (unsigned)ev < DR_ALERT_NEVENTS ? t[ev] : "failing";
}

const char *
dr_alert_msgid(enum dr_alert_event ev)
{
	static const char *const t[DR_ALERT_NEVENTS] = {
		DR_MSGID_FAILING, DR_MSGID_RECOVERED, DR_MSGID_FLAPPING,
		DR_MSGID_UPDATED, DR_MSGID_SLOW, DR_MSGID_SLOW_RECOVERED
	};

	return (unsigned)ev < DR_ALERT_NEVENTS ? t[ev] : DR_MSGID_FAILING;
}

int
dr_alert_priority(const struct dr_alert *a)
{
	return a->event == DR_ALERT_RECOVERED ||
	    a->event == DR_ALERT_SLOW_RECOVERED ? LOG_NOTICE : LOG_WARNING;
}

int
dr_alert_droppable(const struct dr_alert *a)
{
	return a->reminder || a->event == DR_ALERT_UPDATED;
}

void
dr_alert_time(dr_time_t us, char *buf, size_t len)
{
	struct tm	tm;
	time_t		t = (time_t)(us / DR_USEC);
	dr_time_t	ms = us % DR_USEC / 1000;
	size_t		n;

	if (ms < 0) {
		t--;
		ms += 1000;
	}
	if (gmtime_r(&t, &tm) == NULL ||
	    (n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm)) == 0) {
		snprintf(buf, len, "?");
		return;
	}
	snprintf(buf + n, len - n, ".%03dZ", (int)ms);
}
