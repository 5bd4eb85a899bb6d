/*
 * sink.h: an alert as journal fields, or as one text line.
 *
 * The journal entry is built here, into a fixed buffer that can be
 * copied and queued (the daemon's writer sends it when journald takes
 * it); the sending is not done here.
 */
#ifndef DR_SINK_H
#define DR_SINK_H

#include <stdint.h>
#include <stdio.h>

#include "alert.h"

/* Where journald listens; without it sd_journal_send() fails silently. */
#define DR_JOURNAL_SOCKET	"/run/systemd/journal/socket"

#define DR_JOURNAL_FIELDS	40
#define DR_JOURNAL_BUF		4096

/* "FIELD=value" strings in one buffer: a value, safe to copy. */
struct dr_journal_entry {
	uint32_t	nfields;
	uint16_t	off[DR_JOURNAL_FIELDS];
	uint16_t	len[DR_JOURNAL_FIELDS];
	int		priority;
	int		droppable;	/* a reminder: may go when pressed */
	char		buf[DR_JOURNAL_BUF];
};

/*
 * Every contract field of an alert (dnsreachd(8)); iface is
 * DNSREACH_INTERFACE.  Returns 0, or -1 when a field did not fit (the
 * entry holds the fields before it).
 */
int		dr_journal_entry_alert(struct dr_journal_entry *,
		    const struct dr_alert *, const char *iface);
/* A plain message of the daemon's own: MESSAGE, PRIORITY, identifier. */
int		dr_journal_entry_text(struct dr_journal_entry *, int priority,
		    const char *msg);
/* "2026-11-25T16:02:11.250Z dnsreachd[IFACE]: MESSAGE" and a newline. */
int		dr_sink_line(char *, size_t, const struct dr_alert *,
		    const char *iface);
int		dr_sink_stream(FILE *, const struct dr_alert *,
		    const char *iface);

#endif
