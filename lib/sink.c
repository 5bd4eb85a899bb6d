/*
 * sink.c: the journal and stream alert sinks.
 */
#define SD_JOURNAL_SUPPRESS_LOCATION	/* CODE_FILE= etc. add nothing */

#include <errno.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-journal.h>

#include "sink.h"

static void
fmt_time(dr_time_t us, char *buf, size_t len)
{
	struct tm	tm;
	time_t		t = (time_t)(us / DR_USEC);
	size_t		n;

	if (gmtime_r(&t, &tm) == NULL ||
	    (n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm)) == 0) {
		snprintf(buf, len, "?");
		return;
	}
	snprintf(buf + n, len - n, ".%03dZ", (int)(us % DR_USEC / 1000));
}

int
dr_sink_journal(const struct dr_alert *a, const char *iface)
{
	char	msg[1024], addr[DR_ADDR_STRLEN], since[40], at[40];
	int	r;

	/*
	 * sd_journal_send() returns 0 when the socket is missing (systemd
	 * #4472): look for it ourselves so the caller can fall back.
	 */
	if (access(DR_JOURNAL_SOCKET, W_OK) == -1)
		return -errno;
	dr_alert_message(a, msg, sizeof(msg));
	dr_addr_format(&a->resolver, addr, sizeof(addr));
	fmt_time(a->since, since, sizeof(since));
	fmt_time(a->ts, at, sizeof(at));
	r = sd_journal_send(
	    "MESSAGE=%s", msg,
	    "PRIORITY=%d", dr_alert_priority(a),
	    "MESSAGE_ID=%s", dr_alert_msgid(a->event),
	    "SYSLOG_IDENTIFIER=dnsreachd",
	    "DNSREACH_EVENT=%s", dr_alert_event_name(a->event),
	    "DNSREACH_REMINDER=%d", a->reminder,
	    "DNSREACH_RESOLVER=%s", addr,
	    "DNSREACH_INTERFACE=%s", iface,
	    "DNSREACH_QUERIES=%u", a->queries,
	    "DNSREACH_UNREACHABLE=%u", a->unreachable,
	    "DNSREACH_TIMEOUTS=%u", a->timeouts,
	    "DNSREACH_TCP_RESETS=%u", a->tcp_resets,
	    "DNSREACH_FAILURE_RATE=%.3f", a->rate,
	    "DNSREACH_THRESHOLD=%.3f", a->threshold,
	    "DNSREACH_WINDOW_SEC=%g", (double)a->window / DR_USEC,
	    "DNSREACH_CAUSE=%s", dr_cause_token(a->cause),
	    "DNSREACH_CLIENTS=%u", a->clients,
	    "DNSREACH_SAMPLE_QNAME=%s", a->qname,
	    "DNSREACH_FIRST_FAILURE=%s", since,
	    "DNSREACH_EVENT_TIME=%s", at,
	    "DNSREACH_CAPTURE_DROPS=%llu", (unsigned long long)a->capture_drops,
	    NULL);
	return r < 0 ? r : 0;
}

int
dr_sink_stream(FILE *f, const struct dr_alert *a, const char *iface)
{
	char	msg[1024], at[40];

	dr_alert_message(a, msg, sizeof(msg));
	fmt_time(a->ts, at, sizeof(at));
	if (fprintf(f, "%s dnsreachd[%s]: %s\n", at, iface, msg) < 0 ||
	    fflush(f) == EOF)
		return -EIO;
	return 0;
}
