/*
 * tracker.h: per-resolver measurements and query matching.
 *
 * Two bounded tables, both allocated once: resolvers (each with its
 * sliding window, its run of outcomes, answer-time histograms, client
 * sketches and ICMP senders) and outstanding queries.  Each query ends
 * in exactly one outcome: answered (or answered with a failing rcode),
 * an ICMP error, a TCP reset, a timeout, or evicted (unknown).  A
 * timed-out query stays matchable for match_window so that a late answer
 * or ICMP error replaces the timeout with its true outcome.  Outcomes
 * are booked in the window when they become known; a query still within
 * query_timeout is neither a success nor a failure.  The same query sent
 * again (same client, port, id and name) is a retransmission, not a new
 * query.
 *
 * The detector's state lives in each resolver's entry, but only the
 * engine steps it; everything else reads a resolver through the
 * functions below.
 */
#ifndef DR_TRACKER_H
#define DR_TRACKER_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "base.h"
#include "decode.h"
#include "detector.h"
#include "dns.h"
#include "latency.h"
#include "window.h"

#define DR_ICMP_NCODES		17	/* codes 0..15, then "other" */
#define DR_ICMP_CODE_OTHER	16	/* codes no RFC defines for type 3 */
#define DR_SAMPLE_QNAME_MAX	256	/* bytes of escaped name kept */
#define DR_ICMP_SENDERS		4	/* most frequent senders kept */

struct dr_tracker_conf {
	struct dr_window_conf	window;
	dr_time_t		query_timeout;
	dr_time_t		match_window;	/* >= query_timeout */
	dr_time_t		fast_window;	/* the short window, 0 = none */
	dr_time_t		slow_threshold;	/* answer times of interest */
	dr_time_t		run_gap;	/* a run of failures ends after */
	uint32_t		max_resolvers;
	uint32_t		max_pending;
	int			count_unmatched;
	int			count_timeouts;
	uint16_t		fail_rcodes;	/* bit n: rcode n is a failure */
	const struct dr_prefix	*allow;		/* NULL/0 = every resolver */
	size_t			nallow;
};

/* Lifetime counts of one resolver (the summary's fields). */
struct dr_resolver_counts {
	uint64_t	queries;		/* distinct DNS queries */
	uint64_t	retransmissions;	/* the same query again */
	uint64_t	responses;
	uint64_t	rcodes[DR_RC_NCLASSES];
	uint64_t	answered_late;		/* after their timeout */
	uint64_t	answer_time;		/* us, summed: dr_resolver_latency() */
	uint64_t	unreachable;		/* ICMP unreach quoting DNS */
	uint64_t	unreach_by_code[DR_ICMP_NCODES];
	uint64_t	unmatched;		/* of those, quoting no query */
	uint64_t	timeouts;		/* final outcome: no answer */
	uint64_t	late;			/* ICMP about late answers */
	uint64_t	tcp_resets;		/* refused attempts */
	uint64_t	tcp_unmatched_resets;	/* resets of nothing seen */
	uint64_t	tcp_connect_timeouts;	/* SYN never answered */
	uint64_t	unmatched_responses;
	uint64_t	evicted;		/* queries lost, table full */
	uint64_t	alerts;			/* failing episodes */
	uint64_t	slow_alerts;
};

struct dr_icmp_sender {
	struct dr_addr	addr;
	uint32_t	count;
	uint8_t		ttl;		/* as last received */
};

struct dr_tracker_stats {
	uint64_t	events;
	uint64_t	ignored;		/* resolver not in allowlist */
	uint64_t	resolver_evictions;
	uint64_t	resolver_table_full;	/* events dropped: all busy */
	uint64_t	pending_evictions;
};

struct dr_tracker;
struct dr_resolver;

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

/*
 * The per-packet entry point: no allocation, no formatting.  Returns
 * how many resolvers are waiting in dr_tracker_next_dirty().
 */
size_t		dr_tracker_event(struct dr_tracker *, const struct dr_event *);
/* Time out queries that have waited query_timeout by now (cheap). */
void		dr_tracker_expire(struct dr_tracker *, dr_time_t now);
/* Expire, and move every window and map to now: once per tick. */
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
 * Resolvers whose outcomes changed in a way the detector should look
 * at now, not only at the next tick: a failure while up, an answer
 * while down.  NULL when there are none left.
 */
struct dr_resolver *dr_tracker_next_dirty(struct dr_tracker *);

/*
 * Carry a resolver over from another tracker (a reload that changed the
 * window or table sizes): lifetime counts, detector state, and its
 * window totals booked at now.  Its outstanding queries are lost
 * (counted as evicted).  Returns 0, or -1 when the table has no room.
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
/* Bytes dr_tracker_new() allocates for this configuration. */
uint64_t	dr_tracker_memory(const struct dr_tracker_conf *);

/*
 * What the detector needs of r at time now (drops, blind left 0).  The
 * window's counts start at since when it is later than the window's
 * start: a recovery starts the evidence afresh.
 */
void		dr_tracker_input(const struct dr_tracker *,
		    const struct dr_resolver *, dr_time_t now, dr_time_t since,
		    struct dr_detect_input *);
/*
 * The answer-time part of the input: p95 and samples over the window,
 * and, only when p95 is above over (the slow test's threshold), of each
 * half of it.
 */
void		dr_tracker_latency_input(const struct dr_tracker *,
		    const struct dr_resolver *, dr_time_t over,
		    struct dr_detect_input *);
/* Quantile q of r's answer times over the window, 0 when none. */
dr_time_t	dr_tracker_latency(const struct dr_resolver *, double q);
/*
 * Nothing a failure verdict could rest on: no failure in the window nor
 * in the run, and not down.  A tick may skip such a resolver.
 */
int		dr_resolver_quiet(const struct dr_resolver *);
/* Start of the oldest window bucket holding a failure, or INT64_MIN. */
dr_time_t	dr_tracker_first_failure(const struct dr_tracker *,
		    const struct dr_resolver *);

/* Reading one resolver. */
const struct dr_addr *dr_resolver_addr(const struct dr_resolver *);
const struct dr_resolver_counts *dr_resolver_counts(
		    const struct dr_resolver *);
/* The detector's state of r: the engine steps it. */
struct dr_detect_state *dr_resolver_state(struct dr_resolver *);
const struct dr_detect_state *dr_resolver_cstate(const struct dr_resolver *);
const struct dr_run *dr_resolver_run(const struct dr_resolver *);
/* A failed name of the current episode, escaped; "" when none. */
const char	*dr_resolver_sample_qname(const struct dr_resolver *);
/* Count an alert in r's lifetime counts (slow: a slow one). */
void		dr_resolver_note_alert(struct dr_resolver *, int slow);
/* The episode is over: the next failure samples a new name. */
void		dr_resolver_forget_sample(struct dr_resolver *);
/* Lifetime answer-time histogram (DR_LAT_NBINS bins). */
const uint64_t	*dr_resolver_latency(const struct dr_resolver *);
/* ICMP senders, most frequent first; returns how many (<= max). */
size_t		dr_resolver_icmp_senders(const struct dr_resolver *,
		    struct dr_icmp_sender *, size_t max);
/* The kind of failure an ICMP error tells (an enum dr_fail_class), or -1. */
int		dr_unreach_fail_class(const struct dr_event *);
/* The kind of failure an answer's rcode is, or -1 (fail_rcodes: a set). */
int		dr_rcode_fail_class(uint16_t fail_rcodes, uint8_t rcode);
/* Hops from a received TTL or hop limit: 64, 128 or 255 minus it. */
int		dr_icmp_hops(uint8_t ttl);
/* Estimated distinct clients whose queries failed in the window. */
uint32_t	dr_resolver_clients(const struct dr_resolver *);

#endif
