/*
 * alert.c: where the engine's queued alerts go: the journal writer
 * (journal.c), stderr, or both.  The writer never blocks the loop; while
 * journald does not take entries it shows them on stderr (syslog once
 * detached) itself, so none is lost.  When stderr is journald's own
 * stream (under systemd), "both" writes the journal entry only: the
 * stderr copy would be the same alert in the journal twice.
 */
#include <stdio.h>

#include "clock.h"
#include "dnsreachd.h"
#include "journal.h"
#include "log.h"
#include "sink.h"

static void
route(struct daemon *d, const struct dr_alert *a)
{
	struct dr_journal_entry	 je;
	char			 line[1280];
	int			 to_journal, to_stderr;

	to_journal = (d->conf.alerts & DR_ALERTS_JOURNAL) != 0;
	to_stderr = (d->conf.alerts & DR_ALERTS_STDERR) != 0;
	if (to_journal && to_stderr && journal_stream_is_stderr())
		to_stderr = 0;
	dr_sink_line(line, sizeof(line), a, d->source);
	if (to_stderr && d->detached) {
		/* No stderr after daemon(3): syslog, if it takes it now. */
		journal_syslog(dr_alert_priority(a), line);
	} else if (to_stderr) {
		fputs(line, stderr);
		fflush(stderr);
	}
	if (to_journal) {
		dr_journal_entry_alert(&je, a, d->source);
		journal_submit(&je, to_stderr ? NULL : line);
	}
}

size_t
drain_alerts(struct daemon *d)
{
	struct dr_alert	a;
	size_t		n = 0;

	while (dr_engine_next_alert(d->engine, &a)) {
		/* Live, the engine's clock is monotonic: tell wall time. */
		a.ts = clock_to_wall(a.ts);
		a.since = clock_to_wall(a.since);
		route(d, &a);
		if (d->on_alert != NULL)
			d->on_alert(d->on_alert_arg, &a);
		n++;
	}
	return n;
}
