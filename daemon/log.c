/*
 * log.c: one line per message to stderr, and to the journal as well for
 * warnings and worse when asked.  Under systemd, stderr already is the
 * journal (JOURNAL_STREAM): then a "<N>" prefix gives the priority and
 * nothing is sent twice.
 */
#define SD_JOURNAL_SUPPRESS_LOCATION

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <systemd/sd-journal.h>

#include "log.h"
#include "sink.h"

static int	log_journal;
static int	log_verbose;
static int	log_stream_is_journal;

void
log_init(int to_journal, int verbose)
{
	log_verbose = verbose;
	log_stream_is_journal = getenv("JOURNAL_STREAM") != NULL;
	log_set_journal(to_journal);
}

void
log_set_journal(int on)
{
	log_journal = on && !log_stream_is_journal;
}

static void
vlog(int pri, const char *fmt, va_list ap, int with_errno)
{
	char	msg[2048];
	int	saved = errno, n;

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
	if (log_journal && pri <= LOG_NOTICE &&
	    access(DR_JOURNAL_SOCKET, W_OK) == 0)
		sd_journal_send("MESSAGE=%s", msg, "PRIORITY=%d", pri,
		    "SYSLOG_IDENTIFIER=dnsreachd", NULL);
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
