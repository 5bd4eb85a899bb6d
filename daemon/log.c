/*
 * log.c: one line per message to stderr, and to the journal as well for
 * notices and worse when asked, through the journal writer (journal.c)
 * that alerts use too.  Under systemd, stderr already is the journal
 * (JOURNAL_STREAM names fd 2): then a "<N>" prefix gives the priority and
 * nothing is sent twice.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "journal.h"
#include "log.h"
#include "sink.h"

static int	log_journal;
static int	log_verbose;
static int	log_stream_is_journal;

void
log_init(int to_journal, int verbose)
{
	int	fl;

	log_verbose = verbose;
	log_stream_is_journal = journal_stream_is_stderr();
	/*
	 * journald's stream is a socket of our own: a stalled journald
	 * must not block the loop on it either.  A line that does not fit
	 * is lost from stderr, not from the journal writer's queue.
	 */
	if (log_stream_is_journal &&
	    (fl = fcntl(STDERR_FILENO, F_GETFL)) != -1)
		fcntl(STDERR_FILENO, F_SETFL, fl | O_NONBLOCK);
	log_set_journal(to_journal);
}

void
log_set_journal(int on)
{
	log_journal = on && !log_stream_is_journal;
}

void
log_set_detached(void)
{
	log_stream_is_journal = 0;
	journal_set_detached(1);
}

static void
vlog(int pri, const char *fmt, va_list ap, int with_errno)
{
	struct dr_journal_entry	je;
	char			msg[2048];
	int			saved = errno, n;

	if (pri == LOG_DEBUG && !log_verbose)
		return;
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	if (with_errno && n >= 0 && (size_t)n < sizeof(msg))
		snprintf(msg + n, sizeof(msg) - (size_t)n, ": %s",
		    strerror(saved));
	if (log_stream_is_journal)
		fprintf(stderr, "<%d>%s\n", pri, msg);
	else
		fprintf(stderr, "dnsreachd: %s\n", msg);
	if (log_journal && pri <= LOG_NOTICE) {
		dr_journal_entry_text(&je, pri, msg);
		/* Under pressure notices may go; warnings and worse stay. */
		je.droppable = pri >= LOG_NOTICE;
		journal_submit(&je, NULL);
	}
	errno = saved;
}

#define LOGFN(name, pri, e)				\
void							\
name(const char *fmt, ...)				\
{							\
	va_list	ap;					\
							\
	va_start(ap, fmt);				\
	vlog(pri, fmt, ap, e);				\
	va_end(ap);					\
}

LOGFN(log_warn, LOG_WARNING, 1)
LOGFN(log_warnx, LOG_WARNING, 0)
LOGFN(log_errx, LOG_ERR, 0)
LOGFN(log_notice, LOG_NOTICE, 0)
LOGFN(log_info, LOG_INFO, 0)
LOGFN(log_debug, LOG_DEBUG, 0)

void
fatal(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vlog(LOG_ERR, fmt, ap, 1);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vlog(LOG_ERR, fmt, ap, 0);
	va_end(ap);
	exit(1);
}
