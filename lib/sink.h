/*
 * sink.h: where alerts go: the systemd journal, with every contract
 * field, or one text line on a stream.
 */
#ifndef DR_SINK_H
#define DR_SINK_H

#include <stdio.h>

#include "alert.h"

/* Where journald listens; without it sd_journal_send() fails silently. */
#define DR_JOURNAL_SOCKET	"/run/systemd/journal/socket"

/*
 * Send one alert to the journal.  iface is DNSREACH_INTERFACE.  Returns 0,
 * or a negative errno when journald is absent or the send failed, so the
 * caller can put the alert elsewhere rather than lose it.
 */
int		dr_sink_journal(const struct dr_alert *, const char *iface);
/* "2026-11-25T16:02:11.250Z dnsreachd[IFACE]: MESSAGE" and a newline. */
int		dr_sink_stream(FILE *, const struct dr_alert *,
		    const char *iface);

#endif
