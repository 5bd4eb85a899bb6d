/*
 * window.h: a sliding window of fixed time buckets, each holding the same
 * small set of counters, with running totals.
 *
 * Adding is O(1) amortised: moving the head forward clears at most
 * nbuckets buckets however far time jumps.  A timestamp a little in the
 * past (live captures reorder by a few ms) lands in its own bucket while
 * that bucket is still inside the window; older ones are dropped.
 */
#ifndef DR_WINDOW_H
#define DR_WINDOW_H

#include <stddef.h>
#include <stdint.h>

#include "decode.h"

enum dr_wcounter {
	DR_W_QUERIES = 0,	/* queries sent (UDP and TCP) */
	DR_W_RESPONSES,		/* answers received */
	DR_W_UNREACH_PORT,	/* ICMP port unreachable */
	DR_W_UNREACH_HOST,	/* host/net unreachable and kin */
	DR_W_UNREACH_ADMIN,	/* administratively prohibited */
	DR_W_UNREACH_OTHER,	/* any other unreachable code */
	DR_W_TIMEOUTS,		/* queries with no answer at all */
	DR_W_UNMATCHED,		/* ICMP errors quoting no query we saw */
	DR_W_SERVFAIL,		/* SERVFAIL and REFUSED answers */
	DR_W_LATE,		/* answers that came after the client gave up */
	DR_W_TCP_RESET,		/* TCP connections to port 53 refused */
	DR_W_NCOUNTERS
};

/* Most buckets one window may have: bounds memory per resolver. */
#define DR_WINDOW_MAX_BUCKETS	3600

struct dr_window_conf {
	dr_time_t	bucket;		/* width of one bucket, > 0 */
	uint32_t	nbuckets;	/* 1 .. DR_WINDOW_MAX_BUCKETS */
};

struct dr_window {
	int64_t		head;		/* absolute index of newest bucket */
	uint32_t	totals[DR_W_NCOUNTERS];
	uint32_t	b[][DR_W_NCOUNTERS];	/* nbuckets rows */
};

/* Bytes a window of this configuration takes. */
size_t		dr_window_size(const struct dr_window_conf *);
void		dr_window_init(struct dr_window *,
		    const struct dr_window_conf *);
/*
 * Add delta (may be negative, to take back an earlier add) to counter c
 * at time ts.  Returns 0, or -1 when ts is older than the window (nothing
 * changes then).
 */
int		dr_window_add(struct dr_window *, const struct dr_window_conf *,
		    dr_time_t ts, enum dr_wcounter c, int32_t delta);
/* Move the window so that it ends at now (a tick without packets). */
void		dr_window_advance(struct dr_window *,
		    const struct dr_window_conf *, dr_time_t now);
static inline uint32_t
dr_window_total(const struct dr_window *w, enum dr_wcounter c)
{
	return w->totals[c];
}
const char	*dr_wcounter_name(enum dr_wcounter);

#endif
