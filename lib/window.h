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

#include "base.h"

enum dr_wcounter {
	DR_W_QUERIES = 0,	/* queries sent, booked when sent */
	/*
	 * Outcomes, booked when they became known: a query is answered
	 * (RESPONSES) or fails in one of the ways below, in the order of
	 * enum dr_fail_class (detector.h).  A query still waiting for its
	 * answer is in none of them.
	 */
	DR_W_RESPONSES,		/* answered, and the answer is no failure */
	DR_W_FAIL_PORT,		/* ICMP port unreachable from the resolver */
	DR_W_FAIL_PORT_PATH,	/* ... from another host: a middlebox */
	DR_W_FAIL_ADMIN,	/* administratively prohibited */
	DR_W_FAIL_HOST,		/* host/net unreachable and kin */
	DR_W_FAIL_OTHER,	/* any other unreachable code */
	DR_W_FAIL_RESET,	/* TCP connection refused */
	DR_W_TIMEOUTS,		/* no answer at all */
	DR_W_FAIL_SERVFAIL,	/* answered SERVFAIL (when it counts) */
	DR_W_FAIL_REFUSED,	/* answered REFUSED (when it counts) */
	DR_W_FAIL_RCODE,	/* another rcode the configuration counts */
	/* Neither queries nor outcomes. */
	DR_W_UNMATCHED,		/* ICMP errors quoting no query we saw */
	DR_W_LATE,		/* answers that came after the client gave up */
	DR_W_RETRANS,		/* a client sent the same query again */
	DR_W_NCOUNTERS
};
#define DR_W_FAIL_FIRST	DR_W_FAIL_PORT
#define DR_W_FAIL_LAST	DR_W_FAIL_RCODE

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
/*
 * Sum the newest nb buckets up to now (the one holding now included)
 * into out[DR_W_NCOUNTERS]: the short window of the fast path.
 */
void		dr_window_recent(const struct dr_window *,
		    const struct dr_window_conf *, dr_time_t now, uint32_t nb,
		    uint32_t *out);
/*
 * Start of the oldest bucket in the window where a counter in
 * [first, last] is not 0; INT64_MIN when there is none.
 */
dr_time_t	dr_window_first(const struct dr_window *,
		    const struct dr_window_conf *, enum dr_wcounter first,
		    enum dr_wcounter last);
static inline uint32_t
dr_window_total(const struct dr_window *w, enum dr_wcounter c)
{
	return w->totals[c];
}
const char	*dr_wcounter_name(enum dr_wcounter);

#endif
