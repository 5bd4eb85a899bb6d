/*
 * detector.h: per-resolver judgement: ok -> failing -> ok, and slow.
 *
 * Pure: what the tracker measured and a time in, at most one transition
 * out.  Only queries whose outcome is known count: a query still within
 * query_timeout is neither a success nor a failure.  Three tests can make
 * a resolver failing, fastest first:
 *
 *   fast    failures in a row (no success between them) from enough
 *           clients spanning fast_window, or a short window of the last
 *           fast_window failing at fast_threshold: a total or near-total
 *           outage, seen in seconds;
 *   streak  on a quiet resolver, fail_streak failures in a row (more when
 *           they are only timeouts): a few queries a minute still tell;
 *   window  the failure rate over the window at threshold, and the short
 *           window still failing too (multi-window, as in SRE burn-rate
 *           alerts): a partial outage, without holding an old burst.
 *
 * Recovery is as quick: a clean short window, or a run of answers long
 * enough that the failure rate seen when it failed would hardly have
 * produced it by chance; or a clean long window; or, with no queries at
 * all, idle_clear.  Failing again within flap_window of a recovery makes
 * one "flapping" alert instead of a pair per flap.  Slowness is its own
 * state: p95 of the answer times over the window above slow_threshold.
 */
#ifndef DR_DETECTOR_H
#define DR_DETECTOR_H

#include <stddef.h>
#include <stdint.h>

#include "base.h"

enum dr_cause {
	DR_CAUSE_NONE = 0,
	DR_CAUSE_NOT_LISTENING,	/* port unreachable from it, TCP reset */
	DR_CAUSE_FIREWALL,	/* prohibited, or port unreachable by a box */
	DR_CAUSE_HOST_DOWN,	/* host or network unreachable */
	DR_CAUSE_UNREACH_OTHER,	/* any other unreachable code */
	DR_CAUSE_SILENT_DROP,	/* timeouts without ICMP */
	DR_CAUSE_SERVFAIL,	/* up, but cannot resolve */
	DR_CAUSE_REFUSED,	/* up, but refuses these clients */
	DR_CAUSE_ERROR_RCODE,	/* another rcode the configuration counts */
	DR_CAUSE_N
};

/* The ways a query can fail; the window keeps them in this order. */
enum dr_fail_class {
	DR_FAIL_PORT = 0,	/* ICMP port unreachable from the resolver */
	DR_FAIL_PORT_PATH,	/* ICMP port unreachable from another host */
	DR_FAIL_ADMIN,		/* administratively prohibited */
	DR_FAIL_HOST,		/* host or network unreachable */
	DR_FAIL_OTHER,		/* other unreachable codes */
	DR_FAIL_RESET,		/* TCP reset */
	DR_FAIL_TIMEOUT,	/* no answer at all */
	DR_FAIL_SERVFAIL,
	DR_FAIL_REFUSED,
	DR_FAIL_RCODE,
	DR_FAIL_NCLASSES
};

enum dr_detector {
	DR_DET_NONE = 0,
	DR_DET_FAST,
	DR_DET_STREAK,
	DR_DET_WINDOW,
	DR_DET_IDLE,		/* recovered for want of queries */
	DR_DET_SLOW,
	DR_DET_N
};

/* Which measurements a verdict rests on. */
enum dr_view {
	DR_VIEW_NONE = 0,
	DR_VIEW_RUN,		/* the run of outcomes */
	DR_VIEW_SHORT,		/* the last fast_window */
	DR_VIEW_WINDOW		/* the whole window */
};

struct dr_detect_conf {
	double		threshold;		/* window rate to fail */
	double		clear_threshold;	/* rate to recover */
	uint32_t	min_queries;		/* known outcomes, window */
	uint32_t	min_clients;		/* failing clients, if so many */
	dr_time_t	fast_window;		/* 0 = no fast path */
	double		fast_threshold;
	uint32_t	fail_streak;		/* 0 = no streak test */
	dr_time_t	flap_window;		/* 0 = no flapping state */
	dr_time_t	idle_clear;		/* 0 = never clear for idleness */
	dr_time_t	realert_interval;	/* 0 = no reminders */
	dr_time_t	slow_threshold;		/* 0 = no slow test */
	int		count_timeouts;
};

/* A run of consecutive outcomes, as the tracker keeps it. */
struct dr_run {
	uint32_t	failures;	/* failed in a row, 0 after a success */
	uint32_t	strong;		/* of those, not timeouts */
	uint32_t	successes;	/* answered in a row, 0 after a failure */
	uint32_t	clients;	/* distinct clients among the failures */
	dr_time_t	first_query;	/* earliest query of the failures */
	dr_time_t	first_at;	/* when the first failure was known */
	dr_time_t	last_at;	/* when the latest failure was known */
	uint32_t	fail[DR_FAIL_NCLASSES];
};

/* What the tracker measured, as the detector needs it. */
struct dr_detect_input {
	/* Over the window: outcomes known, by kind. */
	uint32_t	outcomes;
	uint32_t	fail[DR_FAIL_NCLASSES];
	uint32_t	queries;	/* sent (for the words only) */
	uint32_t	retransmissions;
	/* Over the last fast_window. */
	uint32_t	s_outcomes;
	uint32_t	s_fail[DR_FAIL_NCLASSES];
	struct dr_run	run;
	uint32_t	failing_clients;	/* distinct, over the window */
	uint32_t	active_clients;		/* distinct, asking */
	dr_time_t	last_outcome;	/* INT64_MIN: none yet */
	/*
	 * Answer times over the window: samples, p95 (0 when at most 5 %
	 * of the answers can be over slow_threshold: it cannot be over
	 * it then, and nobody needs to know by how much), and per half of
	 * the window the answers and those over slow_threshold (only when
	 * the whole window's p95 is over it).
	 */
	dr_time_t	p95;
	uint64_t	samples;
	uint32_t	samples_halves[2];
	uint32_t	over_halves[2];
	uint64_t	drops;		/* capture drops during the window */
	int		blind;		/* capture was down within the window */
};

struct dr_detect_state {
	uint8_t		failing;	/* the alert state the operator sees */
	uint8_t		down;		/* what the tests say now */
	uint8_t		flapping;
	uint8_t		slow;
	enum dr_cause	cause;		/* last announced */
	enum dr_cause	prev_cause;	/* before the last update */
	enum dr_detector detector;	/* what fired or cleared last */
	enum dr_view	view;		/* and the evidence it used */
	double		rate_seen;	/* failure rate when it went down */
	dr_time_t	since;		/* went failing */
	dr_time_t	first_failure;	/* of this episode (the engine's) */
	dr_time_t	last_alert;	/* failing alert or reminder */
	dr_time_t	last_up;	/* last recovery (a flap is near it) */
	dr_time_t	down_at;	/* when the tests last said "down" */
	uint32_t	slow_ticks;	/* steps the slow test said "change" */
};

enum dr_transition {
	DR_TRANS_NONE = 0,
	DR_TRANS_FAILING,	/* ok -> failing */
	DR_TRANS_REMINDER,	/* still failing, realert_interval passed */
	DR_TRANS_UPDATED,	/* still failing, the cause changed */
	DR_TRANS_FLAPPING,	/* failing again soon after a recovery */
	DR_TRANS_RECOVERED,	/* failing or flapping -> ok */
	DR_TRANS_HELD,		/* would fail, but capture loss explains it */
	DR_TRANS_SLOW,
	DR_TRANS_SLOW_RECOVERED
};

/* Failures the rates count (timeouts only with count_timeouts). */
uint32_t	dr_detect_failures(const struct dr_detect_conf *,
		    const uint32_t *fail);
/* failures / outcomes over the window; 0 with no outcomes. */
double		dr_detect_rate(const struct dr_detect_conf *,
		    const struct dr_detect_input *);
/* The cause counts point to: the most common, ties to the first. */
enum dr_cause	dr_detect_cause(const struct dr_detect_conf *,
		    const uint32_t *fail);
/* The cause of one kind of failure. */
enum dr_cause	dr_fail_cause(enum dr_fail_class);
/*
 * Step the failure state machine at time now.  After a transition,
 * st->detector says which test fired or cleared and st->view which
 * measurements it rests on (for the alert's words and counts).
 */
enum dr_transition dr_detect_step(const struct dr_detect_conf *,
		    struct dr_detect_state *, const struct dr_detect_input *,
		    dr_time_t now);
/*
 * Whether a step between ticks could change anything, from the run
 * alone: cheap enough to ask after every outcome.
 */
int		dr_detect_run_ready(const struct dr_detect_conf *,
		    const struct dr_detect_state *, const struct dr_run *);
/* Step the slow state machine. */
enum dr_transition dr_detect_slow_step(const struct dr_detect_conf *,
		    struct dr_detect_state *, const struct dr_detect_input *,
		    dr_time_t now);

/* "service-not-listening": the DNSREACH_CAUSE token. */
const char	*dr_cause_token(enum dr_cause);
/* "DNS service not listening": words for MESSAGE. */
const char	*dr_cause_text(enum dr_cause);
/* "fast": DNSREACH_DETECTOR. */
const char	*dr_detector_name(enum dr_detector);

#endif
