/*
 * journal.h: sending entries to systemd-journald.
 */
#ifndef DR_JOURNAL_H
#define DR_JOURNAL_H

#include "sink.h"

/*
 * Send one entry.  Returns 0, or a negative errno when journald is not
 * there or the send failed, so that the caller can put it elsewhere.
 */
int	journal_send(const struct dr_journal_entry *);
/* 1 when journald's socket is there to be written to. */
int	journal_available(void);

#endif
