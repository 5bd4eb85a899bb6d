/*
 * alert.c: the words of an alert, one sentence a tired operator reads.
 */
#include <stdio.h>
#include <syslog.h>

#include "alert.h"

/* "60 s", "1.5 s", "2 min". */
static void
fmt_span(dr_time_t us, char *buf, size_t len)
{
	if (us >= 120 * DR_USEC && us % (60 * DR_USEC) == 0)
		snprintf(buf, len, "%lld min",
		    (long long)(us / (60 * DR_USEC)));
	else
		snprintf(buf, len, "%g s", (double)us / DR_USEC);
}

static const char *
got_what(const struct dr_alert *a)
{
	switch (a->cause) {
	case DR_CAUSE_NOT_LISTENING:
		return a->tcp_resets == a->failures ? "were refused (TCP reset)" :
		    "got ICMP port unreachable";
	case DR_CAUSE_FIREWALL:
		return "got ICMP administratively prohibited";
	case DR_CAUSE_HOST_DOWN:
		return "got ICMP host or network unreachable";
	case DR_CAUSE_UNREACH_OTHER:
		return "got ICMP destination unreachable";
	case DR_CAUSE_SILENT_DROP:
		return "got no answer at all";
	default:
		return "failed";
	}
}

int
dr_alert_message(const struct dr_alert *a, char *buf, size_t len)
{
	char	addr[DR_ADDR_STRLEN], span[32], extra[64] = "", name[300] = "";
	char	resets[48] = "";
	int	pct = (int)(a->rate * 100.0 + 0.5);
	int	single;

	dr_addr_format(&a->resolver, addr, sizeof(addr));
	fmt_span(a->window, span, sizeof(span));
	if (a->capture_drops > 0)
		snprintf(extra, sizeof(extra),
		    " (capture lost %llu packets in the window)",
		    (unsigned long long)a->capture_drops);
	if (a->event == DR_ALERT_RECOVERED && a->queries == 0)
		return snprintf(buf, len, "resolver %s recovered: no queries "
		    "to it in the last %s, so no failures either%s", addr, span,
		    extra);
	if (a->event == DR_ALERT_RECOVERED)
		return snprintf(buf, len, "resolver %s recovered: %u of %u "
		    "DNS queries failed in the last %s (%d%%)%s", addr,
		    a->failures, a->queries, span, pct, extra);
	if (a->qname[0] != '\0')
		snprintf(name, sizeof(name), ", e.g. %s", a->qname);
	/* One kind of failure tells its own story; a mix is spelled out. */
	single = a->failures == a->unreachable + a->tcp_resets ||
	    a->failures == a->timeouts;
	if (single)
		return snprintf(buf, len, "resolver %s %s: %u of %u DNS "
		    "queries in the last %s %s (%d%%)%s \xe2\x80\x94 %s%s",
		    addr, a->reminder ? "still failing" : "failing",
		    a->failures, a->queries, span, got_what(a), pct,
		    name, dr_cause_text(a->cause), extra);
	if (a->tcp_resets > 0)
		snprintf(resets, sizeof(resets), ", %u refused (TCP reset)",
		    a->tcp_resets);
	return snprintf(buf, len, "resolver %s %s: %u of %u DNS queries in "
	    "the last %s failed (%d%%: %u ICMP unreachable%s, %u timed out)%s "
	    "\xe2\x80\x94 %s%s", addr,
	    a->reminder ? "still failing" : "failing", a->failures,
	    a->queries, span, pct, a->unreachable, resets, a->timeouts, name,
	    dr_cause_text(a->cause), extra);
}

const char *
dr_alert_event_name(enum dr_alert_event ev)
{
	return ev == DR_ALERT_RECOVERED ? "recovered" : "failing";
}

const char *
dr_alert_msgid(enum dr_alert_event ev)
{
	return ev == DR_ALERT_RECOVERED ? DR_MSGID_RECOVERED :
	    DR_MSGID_FAILING;
}

int
dr_alert_priority(const struct dr_alert *a)
{
	return a->event == DR_ALERT_RECOVERED ? LOG_NOTICE : LOG_WARNING;
}
