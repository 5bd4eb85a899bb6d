/*
 * alert.c: where an alert goes.  The journal first when asked; when it
 * cannot be written the alert goes to stderr (or syslog once detached)
 * instead, so none is lost.
 */
#include <string.h>
#include <syslog.h>

#include "dnsreachd.h"
#include "log.h"
#include "sink.h"

void
on_alert(void *arg, const struct dr_alert *a)
{
	struct daemon	*d = arg;
	int		 to_stderr = d->conf.alerts & DR_ALERTS_STDERR;
	int		 r;

	if (d->conf.alerts & DR_ALERTS_JOURNAL) {
		if ((r = dr_sink_journal(a, d->source)) < 0) {
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
	d->status_ticks = 0;	/* refresh STATUS= now */
}

