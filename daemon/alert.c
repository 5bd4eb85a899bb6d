/*
 * alert.c: where the engine's queued alerts go.  The journal first when
 * asked; when it cannot be written the alert goes to stderr (or syslog
 * once detached) instead, so none is lost.
 */
#include <errno.h>
#include <string.h>
#include <syslog.h>

#include "dnsreachd.h"
#include "journal.h"
#include "log.h"
#include "sink.h"

static void
route(struct daemon *d, const struct dr_alert *a)
{
	struct dr_journal_entry	 je;
	int			 to_stderr = d->conf.alerts & DR_ALERTS_STDERR;
	int			 r;

	if (d->conf.alerts & DR_ALERTS_JOURNAL) {
		dr_journal_entry_alert(&je, a, d->source);
		if ((r = journal_send(&je)) < 0) {
			/* Not lost: it goes to stderr instead. */
			if (!d->journal_warned)
				log_warnx("journal unavailable (%s); alerts "
				    "go to stderr until it is back",
				    strerror(-r));
			d->journal_warned = 1;
			to_stderr = 1;
		} else if (d->journal_warned) {
			log_notice("journal is back; alerts go there again");
			d->journal_warned = 0;
		}
	}
	if (to_stderr && d->detached) {
		char	msg[1024];

		/* No stderr after daemon(3): syslog is the last resort. */
		dr_alert_message(a, msg, sizeof(msg));
		syslog(dr_alert_priority(a) | LOG_DAEMON, "%s", msg);
	} else if (to_stderr)
		dr_sink_stream(stderr, a, d->source);
}

size_t
drain_alerts(struct daemon *d)
{
	struct dr_alert	a;
	size_t		n = 0;

	while (dr_engine_next_alert(d->engine, &a)) {
		route(d, &a);
		if (d->keep_events)
			keep_event(d, &a);
		n++;
	}
	if (n > 0)
		d->status_ticks = 0;	/* refresh STATUS= now */
	return n;
}
