/*
 * sink.c: journal fields and the text line of an alert.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sink.h"

static int	add(struct dr_journal_entry *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

static int
add(struct dr_journal_entry *je, const char *fmt, ...)
{
	size_t	used = 0;
	va_list	ap;
	int	n;

	if (je->nfields > 0)
		used = (size_t)je->off[je->nfields - 1] +
		    je->len[je->nfields - 1];
	if (je->nfields == DR_JOURNAL_FIELDS || used >= sizeof(je->buf))
		return -1;
	va_start(ap, fmt);
	n = vsnprintf(je->buf + used, sizeof(je->buf) - used, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(je->buf) - used)
		return -1;
	je->off[je->nfields] = (uint16_t)used;
	je->len[je->nfields] = (uint16_t)n;
	je->nfields++;
	return 0;
}

static void
entry_init(struct dr_journal_entry *je, int priority)
{
	je->nfields = 0;
	je->priority = priority;
	je->droppable = 0;
}

int
dr_journal_entry_text(struct dr_journal_entry *je, int priority,
    const char *msg)
{
	entry_init(je, priority);
	if (add(je, "MESSAGE=%s", msg) == -1 ||
	    add(je, "PRIORITY=%d", priority) == -1 ||
	    add(je, "SYSLOG_IDENTIFIER=dnsreachd") == -1)
		return -1;
	return 0;
}

int
dr_journal_entry_alert(struct dr_journal_entry *je, const struct dr_alert *a,
    const char *iface)
{
	char	msg[1024], addr[DR_ADDR_STRLEN], since[40], at[40];
	int	r = 0;

	entry_init(je, dr_alert_priority(a));
	je->droppable = dr_alert_droppable(a);
	dr_alert_message(a, msg, sizeof(msg));
	dr_addr_format(&a->resolver, addr, sizeof(addr));
	dr_alert_time(a->since, since, sizeof(since));
	dr_alert_time(a->ts, at, sizeof(at));
	r |= add(je, "MESSAGE=%s", msg);
	r |= add(je, "PRIORITY=%d", je->priority);
	r |= add(je, "MESSAGE_ID=%s", dr_alert_msgid(a->event));
	r |= add(je, "SYSLOG_IDENTIFIER=dnsreachd");
	r |= add(je, "DNSREACH_EVENT=%s", dr_alert_event_name(a->event));
	r |= add(je, "DNSREACH_REMINDER=%d", a->reminder);
	r |= add(je, "DNSREACH_DETECTOR=%s", dr_detector_name(a->detector));
	r |= add(je, "DNSREACH_RESOLVER=%s", addr);
	r |= add(je, "DNSREACH_INTERFACE=%s", iface);
	r |= add(je, "DNSREACH_QUERIES=%u", a->queries);
	r |= add(je, "DNSREACH_UNREACHABLE=%u", a->unreachable);
	r |= add(je, "DNSREACH_TIMEOUTS=%u", a->timeouts);
	r |= add(je, "DNSREACH_TCP_RESETS=%u", a->tcp_resets);
	r |= add(je, "DNSREACH_SERVFAIL=%u", a->servfail);
	r |= add(je, "DNSREACH_REFUSED=%u", a->refused);
	r |= add(je, "DNSREACH_RETRANSMISSIONS=%u", a->retransmissions);
	r |= add(je, "DNSREACH_FAILURE_RATE=%.3f", a->rate);
	r |= add(je, "DNSREACH_THRESHOLD=%.3f", a->threshold);
	r |= add(je, "DNSREACH_WINDOW_SEC=%g", (double)a->window_span /
	    DR_USEC);
	r |= add(je, "DNSREACH_CAUSE=%s", dr_cause_token(a->cause));
	if (a->event == DR_ALERT_UPDATED)
		r |= add(je, "DNSREACH_PREVIOUS_CAUSE=%s",
		    dr_cause_token(a->prev_cause));
	r |= add(je, "DNSREACH_CLIENTS=%u", a->clients);
	r |= add(je, "DNSREACH_SAMPLE_QNAME=%s", a->qname);
	r |= add(je, "DNSREACH_FIRST_FAILURE=%s", since);
	r |= add(je, "DNSREACH_EVENT_TIME=%s", at);
	r |= add(je, "DNSREACH_CAPTURE_DROPS=%llu",
	    (unsigned long long)a->capture_drops);
	if (a->p95_ms > 0 || a->event == DR_ALERT_SLOW ||
	    a->event == DR_ALERT_SLOW_RECOVERED) {
		r |= add(je, "DNSREACH_P95_MS=%u", a->p95_ms);
		r |= add(je, "DNSREACH_P50_MS=%u", a->p50_ms);
	}
	if (a->event == DR_ALERT_SLOW || a->event == DR_ALERT_SLOW_RECOVERED)
		r |= add(je, "DNSREACH_SLOW_THRESHOLD_MS=%u",
		    a->slow_threshold_ms);
	if (a->icmp_from.family != DR_AF_NONE) {
		dr_addr_format(&a->icmp_from, addr, sizeof(addr));
		r |= add(je, "DNSREACH_ICMP_FROM=%s", addr);
		r |= add(je, "DNSREACH_ICMP_HOPS=%d", a->icmp_hops);
	}
	return r == 0 ? 0 : -1;
}

int
dr_sink_line(char *buf, size_t len, const struct dr_alert *a,
    const char *iface)
{
	char	msg[1024], at[40];

	dr_alert_message(a, msg, sizeof(msg));
	dr_alert_time(a->ts, at, sizeof(at));
	return snprintf(buf, len, "%s dnsreachd[%s]: %s\n", at, iface, msg);
}

int
dr_sink_stream(FILE *f, const struct dr_alert *a, const char *iface)
{
	char	line[1280];

	dr_sink_line(line, sizeof(line), a, iface);
	if (fputs(line, f) == EOF || fflush(f) == EOF)
		return -EIO;
	return 0;
}
