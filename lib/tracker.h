/*
 * tracker.h: per-resolver counts and query matching.
 *
 * Two bounded tables, both allocated once: resolvers (each with its
 * sliding window) and outstanding queries.  Each query ends in exactly
 * one outcome (answered, unreachable, reset, timed out, or evicted), so
 * nothing is counted twice.  A timed-out query stays matchable for
 * match_window so that a late answer or ICMP error replaces the timeout
 * with its true outcome.  Outcomes are booked in the window at the time
 * of their query, so failures in a window never exceed its queries.
 */
#ifndef DR_TRACKER_H
#define DR_TRACKER_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "decode.h"
#include "detector.h"
#include "dns.h"
#include "window.h"

#define DR_ICMP_NCODES		17	/* codes 0..15, then "other" */
#define DR_ICMP_CODE_OTHER	16	/* codes no RFC defines for type 3 */
#define DR_SAMPLE_QNAME_MAX	256	/* bytes of escaped name kept */

struct dr_tracker_conf {
	struct dr_window_conf	window;
	dr_time_t		query_timeout;
	dr_time_t		match_window;	/* >= query_timeout */
	uint32_t		max_resolvers;
	uint32_t		max_pending;
	int			count_unmatched;
	const struct dr_prefix	*allow;		/* NULL/0 = every resolver */
	size_t			nallow;
};

/* Lifetime counts of one resolver (the summary's fields). */
struct dr_resolver_counts {
	uint64_t	queries;
	uint64_t	responses;
	uint64_t	rcodes[DR_RC_NCLASSES];
	uint64_t	unreachable;		/* ICMP unreach quoting DNS */
	uint64_t	unreach_by_code[DR_ICMP_NCODES];
	uint64_t	unmatched;		/* of those, quoting no query */
	uint64_t	timeouts;		/* final outcome: no answer */
	uint64_t	late;			/* ICMP about late answers */
	uint64_t	tcp_resets;
	uint64_t	unmatched_responses;
	uint64_t	evicted;		/* queries lost, table full */
	uint64_t	alerts;
};

struct dr_resolver {
	struct dr_addr		addr;
	uint32_t		hnext;		/* hash chain */
	uint32_t		lru_prev, lru_next;
	uint32_t		npending;	/* outstanding or timed out */
	uint32_t		ntimedout;	/* of those, timed out */
	dr_time_t		last_active;
	struct dr_resolver_counts n;
	struct dr_detect_state	det;
	dr_time_t		first_failure;	/* since it last was ok */
	/* Distinct failing clients: two rotating linear-counting maps. */
	uint64_t		clients[2][8];
	int64_t			clients_epoch;
	char			sample_qname[DR_SAMPLE_QNAME_MAX];
	struct dr_window	*win;
};

struct dr_tracker_stats {
	uint64_t	events;
	uint64_t	ignored;		/* resolver not in allowlist */
	uint64_t	resolver_evictions;
	uint64_t	resolver_table_full;	/* events dropped: all busy */
	uint64_t	pending_evictions;
};

struct dr_tracker;

/* NULL on allocation failure or bad configuration. */
struct dr_tracker *dr_tracker_new(const struct dr_tracker_conf *,
		    uint32_t seed);
void		dr_tracker_free(struct dr_tracker *);
/*
 * Apply a new configuration.  Returns 0 when it applied keeping all
 * state; -1 when it cannot without new tables (caller builds a new
 * tracker).  Window geometry and table sizes need new tables.
 */
int		dr_tracker_reconfigure(struct dr_tracker *,
		    const struct dr_tracker_conf *);

/* The per-packet entry point: no allocation, no formatting. */
void		dr_tracker_event(struct dr_tracker *, const struct dr_event *);
/* Time out queries that have waited query_timeout by now (cheap). */
void		dr_tracker_expire(struct dr_tracker *, dr_time_t now);
/* Expire, and move every window to now: once per tick, O(resolvers). */
void		dr_tracker_advance(struct dr_tracker *, dr_time_t now);
/* End of input: every query still out ends as a timeout. */
void		dr_tracker_flush(struct dr_tracker *);
/*
 * The capture went blind: queries still out will never be seen
 * answered, which says nothing of the resolver.  They end as evicted
 * (outcome unknown), not as timeouts.
 */
void		dr_tracker_abandon(struct dr_tracker *);

/*
 * Carry a resolver over from another tracker (a reload that changed the
 * window or table sizes): lifetime counts, alert state, and its window
 * totals booked at now.  Its outstanding queries are lost (counted as
 * evicted).  Returns 0, or -1 when the table has no room.
 */
int		dr_tracker_import(struct dr_tracker *,
		    const struct dr_resolver *, dr_time_t now);

/* Resolvers in table order; *it starts at 0.  NULL at the end. */
struct dr_resolver *dr_tracker_next(struct dr_tracker *, uint32_t *it);
size_t		dr_tracker_nresolvers(const struct dr_tracker *);
size_t		dr_tracker_npending(const struct dr_tracker *);
struct dr_resolver *dr_tracker_find(struct dr_tracker *,
		    const struct dr_addr *);
const struct dr_tracker_stats *dr_tracker_stats(const struct dr_tracker *);
const struct dr_tracker_conf *dr_tracker_conf(const struct dr_tracker *);

/* The window totals of r as detector input (drops left 0). */
void		dr_resolver_input(const struct dr_resolver *,
		    struct dr_detect_input *);
/* Estimated distinct clients whose queries failed in the window. */
uint32_t	dr_resolver_clients(const struct dr_resolver *);

#endif
