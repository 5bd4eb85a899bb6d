/*
 * detector.c: the fast, streak and window tests, recovery, flapping,
 * cause, and slowness.  See detector.h for the design.
 */
#include <math.h>
#include <string.h>

#include "detector.h"

/* Outcomes a short window needs before its rate means anything. */
#define SHORT_MIN_OUTCOMES	10
/* Timeouts alone are weaker evidence than errors: a longer run. */
#define TIMEOUT_EXTRA		2
/* Distinct clients the tracker tells apart in a run. */
#define RUN_MAX_CLIENTS		4
/*
 * A recovery needs a run of answers that the failure rate seen when it
 * went down would produce by chance less than once in this many tries.
 */
#define RECOVERY_ODDS		1e-4
#define RECOVERY_MIN_RUN	4
#define RECOVERY_MAX_RUN	32
/* ICMP errors that outweigh any number of timeouts in naming the cause. */
#define CAUSE_MIN_TOLD		2
/* Answer times a slow verdict needs in each half of the window. */
#define SLOW_MIN_SAMPLES	10
/* One-sided 95 % normal quantile: "over" must be clearly over 5 %. */
#define SLOW_Z			1.645
/* Ticks the slow verdict must hold (either way) before it is said. */
#define SLOW_HOLD_TICKS		2

uint32_t
dr_detect_failures(const struct dr_detect_conf *dc, const uint32_t *fail)
{
	uint64_t	f = 0;
	int		c;

	for (c = 0; c < DR_FAIL_NCLASSES; c++)
		if (c != DR_FAIL_TIMEOUT || dc->count_timeouts)
			f += fail[c];
	return f > UINT32_MAX ? UINT32_MAX : (uint32_t)f;
}

/* Outcomes the rate is over: timeouts left out when they do not count. */
static uint32_t
counted(const struct dr_detect_conf *dc, uint32_t outcomes,
    const uint32_t *fail)
{
	if (!dc->count_timeouts && fail[DR_FAIL_TIMEOUT] <= outcomes)
		return outcomes - fail[DR_FAIL_TIMEOUT];
	return outcomes;
}

static double
ratio(uint32_t failures, uint32_t outcomes)
{
	if (outcomes == 0)
		return 0.0;
	/* Each query has one outcome; clamp all the same: no 101 %. */
	return failures >= outcomes ? 1.0 : (double)failures / outcomes;
}

double
dr_detect_rate(const struct dr_detect_conf *dc,
    const struct dr_detect_input *in)
{
	return ratio(dr_detect_failures(dc, in->fail),
	    counted(dc, in->outcomes, in->fail));
}

enum dr_cause
dr_fail_cause(enum dr_fail_class c)
{
	static const enum dr_cause map[DR_FAIL_NCLASSES] = {
		[DR_FAIL_PORT] = DR_CAUSE_NOT_LISTENING,
		[DR_FAIL_PORT_PATH] = DR_CAUSE_FIREWALL,
		[DR_FAIL_ADMIN] = DR_CAUSE_FIREWALL,
		[DR_FAIL_HOST] = DR_CAUSE_HOST_DOWN,
		[DR_FAIL_OTHER] = DR_CAUSE_UNREACH_OTHER,
		[DR_FAIL_RESET] = DR_CAUSE_NOT_LISTENING,
		[DR_FAIL_TIMEOUT] = DR_CAUSE_SILENT_DROP,
		[DR_FAIL_SERVFAIL] = DR_CAUSE_SERVFAIL,
		[DR_FAIL_REFUSED] = DR_CAUSE_REFUSED,
		[DR_FAIL_RCODE] = DR_CAUSE_ERROR_RCODE,
	};

	return (unsigned)c < DR_FAIL_NCLASSES ? map[c] : DR_CAUSE_NONE;
}

static void
by_cause(const struct dr_detect_conf *dc, const uint32_t *fail,
    uint32_t *n)
{
	int	c;

	memset(n, 0, DR_CAUSE_N * sizeof(*n));
	for (c = 0; c < DR_FAIL_NCLASSES; c++)
		if (c != DR_FAIL_TIMEOUT || dc->count_timeouts)
			n[dr_fail_cause((enum dr_fail_class)c)] += fail[c];
}

enum dr_cause
dr_detect_cause(const struct dr_detect_conf *dc, const uint32_t *fail)
{
	uint32_t	n[DR_CAUSE_N], max = 0, icmp;
	enum dr_cause	best = DR_CAUSE_NONE;
	int		c;

	/*
	 * ICMP errors and resets explain the silence around them: a kernel
	 * sends one ICMP error per client and second or so and the rest of
	 * the queries time out.  With a couple of them, timeouts do not
	 * name the cause.  (An occasional failing answer explains nothing
	 * of the kind.)
	 */
	icmp = fail[DR_FAIL_PORT] + fail[DR_FAIL_PORT_PATH] +
	    fail[DR_FAIL_ADMIN] + fail[DR_FAIL_HOST] + fail[DR_FAIL_OTHER] +
	    fail[DR_FAIL_RESET];
	by_cause(dc, fail, n);
	if (icmp >= CAUSE_MIN_TOLD)
		n[DR_CAUSE_SILENT_DROP] = 0;
	/* Ties go to the first: the most specific, most actionable. */
	for (c = DR_CAUSE_NONE + 1; c < DR_CAUSE_N; c++)
		if (n[c] > max) {
			max = n[c];
			best = (enum dr_cause)c;
		}
	return best;
}

/* Failing clients a verdict needs: min_clients, or all there are. */
static uint32_t
clients_needed(const struct dr_detect_conf *dc,
    const struct dr_detect_input *in)
{
	uint32_t	n = dc->min_clients;

	if (n > RUN_MAX_CLIENTS)
		n = RUN_MAX_CLIENTS;
	if (in->active_clients < n)
		n = in->active_clients;
	return n < 1 ? 1 : n;
}

/*
 * Failures in a row.  Spanning fast_window, they are an outage however
 * few the queries: errors need fail_streak of them, bare timeouts (a
 * lossy path looks the same for a moment) a few more.  With several
 * clients asking, several must be among the failures.  The span is of
 * the times the failures became known, not of their queries: a timeout
 * is known query_timeout late, and next to an error known at once it
 * must not make a moment look like seconds.
 */
static int
run_fails(const struct dr_detect_conf *dc, const struct dr_detect_input *in)
{
	const struct dr_run	*r = &in->run;
	uint32_t		 need = dc->fail_streak;

	if (dc->fail_streak == 0 || dc->fast_window == 0)
		return 0;
	if (r->strong == 0) {
		if (!dc->count_timeouts)
			return 0;
		need += TIMEOUT_EXTRA;
	}
	return r->failures >= need &&
	    r->last_at - r->first_at >= dc->fast_window &&
	    r->clients >= clients_needed(dc, in);
}

/* The short window's failures and the outcomes they are out of. */
static double
short_rate(const struct dr_detect_conf *dc, const struct dr_detect_input *in,
    uint32_t *n)
{
	*n = counted(dc, in->s_outcomes, in->s_fail);
	return ratio(dr_detect_failures(dc, in->s_fail), *n);
}

static int
short_fails(const struct dr_detect_conf *dc, const struct dr_detect_input *in)
{
	uint32_t	n;
	double		rate = short_rate(dc, in, &n);

	return dc->fast_window > 0 && n >= SHORT_MIN_OUTCOMES &&
	    rate >= dc->fast_threshold &&
	    in->failing_clients >= clients_needed(dc, in);
}

static int
window_fails(const struct dr_detect_conf *dc,
    const struct dr_detect_input *in)
{
	uint32_t	n = counted(dc, in->outcomes, in->fail), sn;
	double		rate = dr_detect_rate(dc, in);
	double		srate = short_rate(dc, in, &sn);

	if (n == 0 || n < dc->min_queries || rate < dc->threshold)
		return 0;
	/*
	 * Still failing now, not only a burst that is ageing out: the
	 * short window agrees, or, when it holds too little to say, the
	 * latest outcome was a failure.
	 */
	if (sn >= 3 ? srate < dc->threshold : in->run.failures == 0)
		return 0;
	return in->failing_clients >= clients_needed(dc, in);
}

/* Answers in a row that the rate seen would rarely give by chance. */
static uint32_t
run_to_recover(double rate)
{
	double	n;

	if (rate >= 1.0 - 1e-9)
		return RECOVERY_MIN_RUN;
	n = ceil(log(RECOVERY_ODDS) / log(1.0 - rate));
	if (n < RECOVERY_MIN_RUN)
		return RECOVERY_MIN_RUN;
	return n > RECOVERY_MAX_RUN ? RECOVERY_MAX_RUN : (uint32_t)n;
}

static int
clears(const struct dr_detect_conf *dc, const struct dr_detect_state *st,
    const struct dr_detect_input *in, dr_time_t now, enum dr_detector *by)
{
	uint32_t	n = counted(dc, in->outcomes, in->fail), sn;
	double		srate = short_rate(dc, in, &sn);

	/* An empty window while the capture was down is our blindness. */
	if (in->blind && in->s_outcomes == 0)
		return 0;
	if (sn >= SHORT_MIN_OUTCOMES && srate <= dc->clear_threshold) {
		*by = DR_DET_FAST;
		return 1;
	}
	if (sn < SHORT_MIN_OUTCOMES &&
	    in->run.successes >= run_to_recover(st->rate_seen)) {
		*by = DR_DET_STREAK;
		return 1;
	}
	if (n > 0 && n >= dc->min_queries &&
	    dr_detect_rate(dc, in) <= dc->clear_threshold &&
	    srate < dc->threshold) {
		*by = DR_DET_WINDOW;
		return 1;
	}
	if (dc->idle_clear > 0 && !in->blind &&
	    (in->last_outcome == INT64_MIN ||
	    now - in->last_outcome >= dc->idle_clear)) {
		*by = DR_DET_IDLE;
		return 1;
	}
	return 0;
}

/* The larger body of evidence: the run's or the window's. */
static const uint32_t *
evidence(const struct dr_detect_conf *dc, const struct dr_detect_input *in)
{
	return dr_detect_failures(dc, in->run.fail) >
	    dr_detect_failures(dc, in->fail) ? in->run.fail : in->fail;
}

/* A new cause is told when it clearly has the upper hand. */
static int
cause_changed(const struct dr_detect_conf *dc, enum dr_cause was,
    const uint32_t *fail, enum dr_cause *now)
{
	uint32_t	n[DR_CAUSE_N];

	*now = dr_detect_cause(dc, fail);
	if (*now == DR_CAUSE_NONE || *now == was)
		return 0;
	by_cause(dc, fail, n);
	/* Timeouts that turned out to be errors: the errors explain them. */
	if (was == DR_CAUSE_SILENT_DROP)
		return 1;
	return n[*now] >= 2 * n[was];
}

int
dr_detect_run_ready(const struct dr_detect_conf *dc,
    const struct dr_detect_state *st, const struct dr_run *r)
{
	if (st->down)
		return r->successes >= RECOVERY_MIN_RUN;
	return dc->fail_streak > 0 && r->failures >= dc->fail_streak &&
	    r->last_at - r->first_at >= dc->fast_window;
}

/* Which test says the resolver is down now; DR_DET_NONE if none. */
static enum dr_detector
fails(const struct dr_detect_conf *dc, struct dr_detect_state *st,
    const struct dr_detect_input *in)
{
	uint32_t	n;

	if (run_fails(dc, in)) {
		st->view = DR_VIEW_RUN;
		st->rate_seen = 1.0;
		return in->run.failures >= SHORT_MIN_OUTCOMES ? DR_DET_FAST :
		    DR_DET_STREAK;
	}
	if (short_fails(dc, in)) {
		st->view = DR_VIEW_SHORT;
		st->rate_seen = short_rate(dc, in, &n);
		return DR_DET_FAST;
	}
	if (window_fails(dc, in)) {
		st->view = DR_VIEW_WINDOW;
		st->rate_seen = dr_detect_rate(dc, in);
		return DR_DET_WINDOW;
	}
	return DR_DET_NONE;
}

static const uint32_t *
view_fail(const struct dr_detect_input *in, enum dr_view v)
{
	switch (v) {
	case DR_VIEW_RUN:
		return in->run.fail;
	case DR_VIEW_SHORT:
		return in->s_fail;
	default:
		return in->fail;
	}
}

enum dr_transition
dr_detect_step(const struct dr_detect_conf *dc, struct dr_detect_state *st,
    const struct dr_detect_input *in, dr_time_t now)
{
	const uint32_t		*fail;
	struct dr_detect_state	 was = *st;
	enum dr_detector	 by;
	enum dr_cause		 cause;

	if (!st->down) {
		/* Flapping ends once it has stayed up for flap_window. */
		if (st->flapping && now - st->last_up >= dc->flap_window) {
			st->flapping = 0;
			st->failing = 0;
			return DR_TRANS_RECOVERED;
		}
		if ((by = fails(dc, st, in)) == DR_DET_NONE)
			return DR_TRANS_NONE;
		fail = view_fail(in, st->view);
		/*
		 * A lost answer looks exactly like a timeout.  When the
		 * capture dropped at least as many packets as there are
		 * timeouts and no error backs the failure, the loss explains
		 * it: hold back instead of blaming the resolver.
		 */
		if (dr_detect_failures(dc, fail) == fail[DR_FAIL_TIMEOUT] &&
		    in->drops >= fail[DR_FAIL_TIMEOUT]) {
			*st = was;
			return DR_TRANS_HELD;
		}
		st->down = 1;
		st->down_at = now;
		st->detector = by;
		if (st->flapping)
			return DR_TRANS_NONE;
		st->cause = dr_detect_cause(dc, fail);
		st->last_alert = now;
		st->failing = 1;
		st->since = now;
		if (dc->flap_window > 0 && st->last_up != 0 &&
		    now - st->last_up < dc->flap_window) {
			st->flapping = 1;
			return DR_TRANS_FLAPPING;
		}
		return DR_TRANS_FAILING;
	}
	if (clears(dc, st, in, now, &by)) {
		st->down = 0;
		st->last_up = now;
		st->detector = by;
		st->view = by == DR_DET_FAST ? DR_VIEW_SHORT :
		    by == DR_DET_STREAK ? DR_VIEW_RUN :
		    by == DR_DET_WINDOW ? DR_VIEW_WINDOW : DR_VIEW_NONE;
		if (st->flapping)
			return DR_TRANS_NONE;
		st->failing = 0;
		return DR_TRANS_RECOVERED;
	}
	fail = evidence(dc, in);
	if (!st->flapping && cause_changed(dc, st->cause, fail, &cause)) {
		st->prev_cause = st->cause;
		st->cause = cause;
		st->view = fail == in->run.fail ? DR_VIEW_RUN : DR_VIEW_WINDOW;
		return DR_TRANS_UPDATED;
	}
	if (dc->realert_interval > 0 &&
	    now - st->last_alert >= dc->realert_interval) {
		st->last_alert = now;
		st->view = fail == in->run.fail ? DR_VIEW_RUN : DR_VIEW_WINDOW;
		return DR_TRANS_REMINDER;
	}
	return DR_TRANS_NONE;
}

/*
 * More than 5 % of n answers over the threshold puts p95 over it; a few
 * stragglers or resent losses can get there by chance in a short half,
 * so it takes clearly more: over 5 % with 95 % confidence (a normal
 * approximation of the binomial, fine from ten answers up).
 */
static int
clearly_slow(uint32_t n, uint32_t over)
{
	double	need = 0.05 * n + SLOW_Z * sqrt(0.05 * 0.95 * n);

	return n >= SLOW_MIN_SAMPLES && over > need;
}

enum dr_transition
dr_detect_slow_step(const struct dr_detect_conf *dc,
    struct dr_detect_state *st, const struct dr_detect_input *in,
    dr_time_t now)
{
	int	agree;

	(void)now;
	if (dc->slow_threshold == 0) {
		st->slow_ticks = 0;
		if (!st->slow)
			return DR_TRANS_NONE;
		st->slow = 0;
		return DR_TRANS_SLOW_RECOVERED;
	}
	if (!st->slow)
		agree = in->p95 > dc->slow_threshold &&
		    clearly_slow(in->samples_halves[0], in->over_halves[0]) &&
		    clearly_slow(in->samples_halves[1], in->over_halves[1]);
	else
		agree = in->samples > 0 && in->p95 <= dc->slow_threshold;
	if (!agree) {
		st->slow_ticks = 0;
		return DR_TRANS_NONE;
	}
	if (++st->slow_ticks < SLOW_HOLD_TICKS)
		return DR_TRANS_NONE;
	st->slow_ticks = 0;
	st->slow = !st->slow;
	return st->slow ? DR_TRANS_SLOW : DR_TRANS_SLOW_RECOVERED;
}

const char *
dr_cause_token(enum dr_cause c)
{
	static const char *const t[DR_CAUSE_N] = {
		"none", "service-not-listening", "blocked-by-firewall",
		"host-down", "unreachable-other", "silent-drop", "servfail",
		"refused", "error-rcode"
	};

	return (unsigned)c < DR_CAUSE_N ? t[c] : "none";
}

const char *
dr_cause_text(enum dr_cause c)
{
	static const char *const t[DR_CAUSE_N] = {
		"no failures",
		"DNS service not listening",
		"blocked by a firewall",
		"host or network down",
		"destination unreachable",
		"silent drop (server down or firewall dropping)",
		"the resolver answers SERVFAIL: it cannot resolve (upstream, "
		    "DNSSEC or forwarder trouble)",
		"the resolver answers REFUSED: it refuses these clients (ACL "
		    "or misconfigured service)",
		"the resolver answers with an error code"
	};

	return (unsigned)c < DR_CAUSE_N ? t[c] : t[0];
}

const char *
dr_detector_name(enum dr_detector d)
{
	static const char *const t[DR_DET_N] = {
		"none", "fast", "streak", "window", "idle", "slow"
	};

	return (unsigned)d < DR_DET_N ? t[d] : "none";
}
