/*
 * journal.h: the one way to systemd-journald, for alerts and for the
 * daemon's own log.  Entries go into a bounded queue that a thread of
 * their own writes, so a stalled journald never stops the loop; while
 * journald does not take them, alerts are shown on stderr at once and
 * written to the journal, in order, once it takes entries again.
 */
#ifndef DR_JOURNAL_H
#define DR_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include <event2/event.h>

#include "sink.h"

struct journal_stats {
	uint64_t	sent;		/* entries journald took */
	uint64_t	dropped;	/* reminders, notices: queue was full */
	uint64_t	unwritten;	/* alerts that reached stderr only */
	size_t		queued;		/* waiting now */
	int		trouble;	/* stalled or unavailable */
};

/* 1 when fd 2 is journald's stream for this process (JOURNAL_STREAM). */
int	journal_stream_is_stderr(void);
/* The writer may run from now on (after daemon(3): threads do not fork). */
void	journal_start(void);
/* A timer on this loop notices a stalled journal; NULL removes it. */
void	journal_attach(struct event_base *);
/* stderr went to /dev/null (daemon(3)): the fallback is syslog. */
void	journal_set_detached(int);
/* A replay may wait for room in the queue while journald keeps up. */
void	journal_set_patient(int);
/*
 * Queue one entry for journald; never blocks (a patient caller waits
 * only while journald takes entries).  text is the line to show on
 * stderr if journald cannot take it now, NULL when it was shown there
 * already.
 */
void	journal_submit(const struct dr_journal_entry *, const char *text);
/*
 * Give the writer at most ms to empty the queue, then show on stderr what
 * journald did not take, and stop the writer.  Also runs at exit.
 */
void	journal_close(int ms);
void	journal_stats(struct journal_stats *);
/*
 * One line to syslog, only if /dev/log takes it at once: the fallback
 * once stderr is gone; syslog(3) would block on a stalled journald.
 */
void	journal_syslog(int priority, const char *text);

#endif
