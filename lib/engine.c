/*
 * engine.c: the one place where decode, tracker and detector meet, the
 * engine's clock, and the alert queue.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dedup.h"
#include "engine.h"

/* Queued alerts at least; more with a larger resolver table. */
#define QUEUE_MIN	256
/* A stamp farther than this from the clock must be confirmed. */
#define CLOCK_JUMP	(10 * 60 * DR_USEC)
/* How far before a held stamp the next one may be and still agree. */
#define CLOCK_SLACK	(5 * DR_USEC)
/* The largest frame held back while its stamp is in doubt. */
#define HOLD_MAX	262144

struct dr_engine {
	struct dr_tracker	*tracker;
	struct dr_tracker_conf	 tconf;
	struct dr_detect_conf	 dconf;
	uint32_t		 seed;

	/* The clock: packet time plus offset, never going back. */
	dr_time_t		 tick;		/* interval: one bucket */
	dr_time_t		 next_tick;	/* INT64_MIN: not started */
	dr_time_t		 now;
	int			 started;
	dr_time_t		 offset;	/* after a confirmed step back */
	uint8_t			*hold;		/* a frame whose stamp is odd */
	size_t			 hold_caplen, hold_wirelen;
	int			 hold_dlt;
	dr_time_t		 hold_ts;
	int			 holding;

	struct dr_window	*drops;		/* capture loss, counter 0 */
	int			 capture_down;	/* no data: judge nothing */
	dr_time_t		 blind_until;	/* a window since it came back */
	uint64_t		 last_lost;

	struct dr_dedup		*dedup;		/* NULL: every packet counts */

	struct dr_alert		*q;		/* a ring */
	size_t			 qcap, qhead, qlen;
	struct dr_engine_stats	 stats;
};

static void
confs_from(const struct dr_config *c, struct dr_tracker_conf *tc,
    struct dr_detect_conf *dc)
{
	memset(tc, 0, sizeof(*tc));
	tc->window.bucket = c->bucket;
	tc->window.nbuckets = (uint32_t)(c->window / c->bucket);
	tc->query_timeout = c->query_timeout;
	tc->match_window = c->match_window;
	tc->fast_window = c->fast_window;
	tc->slow_threshold = c->slow_threshold;
	tc->run_gap = c->idle_clear;
	tc->max_resolvers = c->max_resolvers;
	tc->max_pending = c->max_pending;
	tc->count_unmatched = c->count_unmatched;
	tc->count_timeouts = c->count_timeouts;
	tc->fail_rcodes = c->failure_rcodes;
	tc->allow = c->resolvers;
	tc->nallow = c->nresolvers;

	memset(dc, 0, sizeof(*dc));
	dc->threshold = c->threshold;
	dc->clear_threshold = c->clear_threshold;
	dc->min_queries = c->min_queries;
	dc->min_clients = c->min_clients;
	dc->fast_window = c->fast_window;
	/* A threshold above it raises the fast path's bar too. */
	dc->fast_threshold = c->fast_threshold > c->threshold ?
	    c->fast_threshold : c->threshold;
	dc->fail_streak = c->fail_streak;
	dc->flap_window = c->flap_window;
	dc->idle_clear = c->idle_clear;
	dc->realert_interval = c->realert_interval;
	dc->slow_threshold = c->slow_threshold;
	dc->count_timeouts = c->count_timeouts;
}

static struct dr_window *
drops_new(const struct dr_window_conf *wc)
{
	struct dr_window	*w = malloc(dr_window_size(wc));

	if (w != NULL)
		dr_window_init(w, wc);
	return w;
}

/*
 * Room for every resolver to change state a few times between two
 * drains (the flapping state keeps it to that); the pages are touched
 * only when used.
 */
static size_t
queue_size(const struct dr_config *c)
{
	size_t	n = (size_t)c->max_resolvers * 4;

	return n < QUEUE_MIN ? QUEUE_MIN : n;
}

struct dr_engine *
dr_engine_new(const struct dr_config *c, uint32_t seed)
{
	struct dr_engine	*e;

	if ((e = calloc(1, sizeof(*e))) == NULL)
		return NULL;
	confs_from(c, &e->tconf, &e->dconf);
	e->seed = seed;
	e->tracker = dr_tracker_new(&e->tconf, seed);
	e->drops = drops_new(&e->tconf.window);
	e->qcap = queue_size(c);
	e->q = calloc(e->qcap, sizeof(*e->q));
	e->hold = malloc(HOLD_MAX);
	if (c->dedup_window > 0)
		e->dedup = dr_dedup_new(DR_DEDUP_SLOTS, c->dedup_window, seed);
	if (e->tracker == NULL || e->drops == NULL || e->q == NULL ||
	    e->hold == NULL || (c->dedup_window > 0 && e->dedup == NULL)) {
		dr_engine_free(e);
		return NULL;
	}
	e->tick = c->bucket;
	e->next_tick = INT64_MIN;
	return e;
}

void
dr_engine_free(struct dr_engine *e)
{
	if (e == NULL)
		return;
	dr_tracker_free(e->tracker);
	free(e->drops);
	free(e->q);
	free(e->hold);
	dr_dedup_free(e->dedup);
	free(e);
}

int
dr_engine_reconfigure(struct dr_engine *e, const struct dr_config *c)
{
	struct dr_tracker_conf	 tc;
	struct dr_detect_conf	 dc;
	struct dr_tracker	*t;
	struct dr_window	*w;
	struct dr_alert		*q = NULL;
	struct dr_resolver	*r;
	size_t			 qcap = queue_size(c), i;
	uint32_t		 it;
	int			 pass;

	/* Seen-twice detection on or off: no state to carry. */
	if (c->dedup_window > 0 && e->dedup == NULL &&
	    (e->dedup = dr_dedup_new(DR_DEDUP_SLOTS, c->dedup_window,
	    e->seed)) == NULL)
		return -1;
	if (e->dedup != NULL)
		dr_dedup_set_window(e->dedup, c->dedup_window);
	if (qcap > e->qcap) {
		/* Keep what is queued, in order. */
		if ((q = calloc(qcap, sizeof(*q))) == NULL)
			return -1;
		for (i = 0; i < e->qlen; i++)
			q[i] = e->q[(e->qhead + i) % e->qcap];
	}
	confs_from(c, &tc, &dc);
	if (dr_tracker_reconfigure(e->tracker, &tc) == 0) {
		t = NULL;
		w = NULL;
	} else {
		/*
		 * New window geometry or table sizes: new tables, with
		 * every resolver carried over so that none loses its alert
		 * state (a failing one must still get its recovery, not a
		 * second alert).
		 */
		t = dr_tracker_new(&tc, e->seed);
		w = drops_new(&tc.window);
		if (t == NULL || w == NULL) {
			dr_tracker_free(t);
			free(w);
			free(q);
			return -1;
		}
		/*
		 * Failing ones first: if the new table is smaller, the ones
		 * that owe a recovery notice are the last to be dropped.
		 */
		for (pass = 1; pass >= 0; pass--)
			for (it = 0; (r = dr_tracker_next(e->tracker, &it)) !=
			    NULL;)
				if ((dr_resolver_cstate(r)->failing ||
				    dr_resolver_cstate(r)->slow) == pass &&
				    dr_tracker_import(t, r, e->now) == -1)
					break;	/* smaller table: the rest go */
		dr_tracker_free(e->tracker);
		free(e->drops);
		e->tracker = t;
		e->drops = w;
		e->tick = c->bucket;
		e->next_tick = INT64_MIN;
	}
	if (q != NULL) {
		free(e->q);
		e->q = q;
		e->qcap = qcap;
		e->qhead = 0;
	}
	e->tconf = tc;
	e->dconf = dc;
	return t == NULL ? 1 : 0;
}

/* ---- the alert queue ---- */

static void
queue_drop_at(struct dr_engine *e, size_t k)
{
	size_t	i;

	/* Close the gap, keeping the order of the rest. */
	for (i = k; i + 1 < e->qlen; i++)
		e->q[(e->qhead + i) % e->qcap] =
		    e->q[(e->qhead + i + 1) % e->qcap];
	e->qlen--;
	e->stats.alerts_dropped++;
}

static void
queue_push(struct dr_engine *e, const struct dr_alert *a)
{
	size_t	i;

	if (e->qlen == e->qcap) {
		/* Reminders and updates go first; failing never does. */
		for (i = 0; i < e->qlen; i++)
			if (dr_alert_droppable(&e->q[(e->qhead + i) % e->qcap]))
				break;
		if (i < e->qlen)
			queue_drop_at(e, i);
		else if (dr_alert_droppable(a)) {
			e->stats.alerts_dropped++;
			return;
		} else
			queue_drop_at(e, 0);	/* only past capacity */
	}
	e->q[(e->qhead + e->qlen) % e->qcap] = *a;
	e->qlen++;
}

int
dr_engine_next_alert(struct dr_engine *e, struct dr_alert *a)
{
	if (e->qlen == 0)
		return 0;
	*a = e->q[e->qhead];
	e->qhead = (e->qhead + 1) % e->qcap;
	e->qlen--;
	return 1;
}

size_t
dr_engine_queued_alerts(const struct dr_engine *e)
{
	return e->qlen;
}

/* ---- verdicts ---- */

/* The counts of the measurements a verdict rests on. */
static const uint32_t *
view_counts(const struct dr_engine *e, const struct dr_detect_input *in,
    enum dr_view v, uint32_t *outcomes, dr_time_t *span, dr_time_t now)
{
	static const uint32_t	none[DR_FAIL_NCLASSES];
	dr_time_t		w = e->tconf.window.bucket *
	    (dr_time_t)e->tconf.window.nbuckets;

	switch (v) {
	case DR_VIEW_RUN:
		*outcomes = in->run.failures > 0 ? in->run.failures :
		    in->run.successes;
		*span = now - (in->run.failures > 0 ? in->run.first_query :
		    now);
		/* To the tenth of a second: what a reader takes in. */
		*span = (*span + DR_USEC / 20) / (DR_USEC / 10) * (DR_USEC / 10);
		if (*span < e->tconf.window.bucket)
			*span = e->tconf.window.bucket;
		return in->run.fail;
	case DR_VIEW_SHORT:
		*outcomes = in->s_outcomes;
		*span = e->dconf.fast_window;
		return in->s_fail;
	case DR_VIEW_WINDOW:
		*outcomes = in->outcomes;
		*span = w;
		return in->fail;
	default:
		*outcomes = 0;
		*span = e->dconf.idle_clear > 0 ? e->dconf.idle_clear : w;
		return none;
	}
}

static void
emit(struct dr_engine *e, struct dr_resolver *r,
    const struct dr_detect_input *in, enum dr_transition tr, dr_time_t now)
{
	struct dr_detect_state	*st = dr_resolver_state(r);
	struct dr_icmp_sender	 top;
	const uint32_t		*fail;
	struct dr_alert		 a;
	uint32_t		 outcomes;

	memset(&a, 0, sizeof(a));
	a.ts = now;
	a.resolver = *dr_resolver_addr(r);
	a.detector = st->detector;
	switch (tr) {
	case DR_TRANS_FAILING:
	case DR_TRANS_FLAPPING:
		a.event = tr == DR_TRANS_FAILING ? DR_ALERT_FAILING :
		    DR_ALERT_FLAPPING;
		st->first_failure = st->view == DR_VIEW_RUN ?
		    in->run.first_query : dr_tracker_first_failure(
		    e->tracker, r);
		if (st->first_failure == INT64_MIN || st->first_failure > now)
			st->first_failure = now;
		dr_resolver_note_alert(r, 0);
		if (tr == DR_TRANS_FAILING)
			e->stats.alerts++;
		else
			e->stats.flaps++;
		break;
	case DR_TRANS_REMINDER:
		a.event = DR_ALERT_FAILING;
		a.reminder = 1;
		e->stats.reminders++;
		break;
	case DR_TRANS_UPDATED:
		a.event = DR_ALERT_UPDATED;
		e->stats.updates++;
		break;
	case DR_TRANS_RECOVERED:
		a.event = DR_ALERT_RECOVERED;
		e->stats.recoveries++;
		break;
	case DR_TRANS_SLOW:
		a.event = DR_ALERT_SLOW;
		a.detector = DR_DET_SLOW;
		dr_resolver_note_alert(r, 1);
		e->stats.slow++;
		break;
	case DR_TRANS_SLOW_RECOVERED:
		a.event = DR_ALERT_SLOW_RECOVERED;
		a.detector = DR_DET_SLOW;
		e->stats.slow_recoveries++;
		break;
	default:
		return;
	}
	a.since = a.event == DR_ALERT_SLOW ||
	    a.event == DR_ALERT_SLOW_RECOVERED ? now : st->first_failure;
	fail = view_counts(e, in, a.detector == DR_DET_SLOW ? DR_VIEW_WINDOW :
	    st->view, &outcomes, &a.window_span, now);
	memcpy(a.by_class, fail, sizeof(a.by_class));
	a.failures = dr_detect_failures(&e->dconf, fail);
	a.queries = outcomes;
	if (!e->dconf.count_timeouts && fail[DR_FAIL_TIMEOUT] <= outcomes)
		a.queries -= fail[DR_FAIL_TIMEOUT];
	if (a.failures > a.queries)
		a.queries = a.failures;
	a.rate = a.queries > 0 ? (double)a.failures / a.queries : 0.0;
	a.unreachable = fail[DR_FAIL_PORT] + fail[DR_FAIL_PORT_PATH] +
	    fail[DR_FAIL_ADMIN] + fail[DR_FAIL_HOST] + fail[DR_FAIL_OTHER];
	a.tcp_resets = fail[DR_FAIL_RESET];
	a.timeouts = fail[DR_FAIL_TIMEOUT];
	a.servfail = fail[DR_FAIL_SERVFAIL];
	a.refused = fail[DR_FAIL_REFUSED];
	a.retransmissions = in->retransmissions;
	/* The rate a verdict of the fast path was held against. */
	a.threshold = st->detector == DR_DET_FAST &&
	    a.event != DR_ALERT_RECOVERED ? e->dconf.fast_threshold :
	    e->dconf.threshold;
	if (a.event == DR_ALERT_FAILING || a.event == DR_ALERT_FLAPPING ||
	    a.event == DR_ALERT_UPDATED)
		a.cause = st->cause;
	if (a.event == DR_ALERT_UPDATED)
		a.prev_cause = st->prev_cause;
	a.clients = in->failing_clients;
	if (st->view == DR_VIEW_RUN && in->run.clients > a.clients)
		a.clients = in->run.clients;
	a.capture_drops = in->drops;
	a.p95_ms = (uint32_t)(dr_tracker_latency(r, 0.95) / DR_MSEC);
	a.p50_ms = (uint32_t)(dr_tracker_latency(r, 0.50) / DR_MSEC);
	a.slow_threshold_ms = (uint32_t)(e->dconf.slow_threshold / DR_MSEC);
	a.icmp_hops = -1;
	if (dr_resolver_icmp_senders(r, &top, 1) == 1) {
		a.icmp_from = top.addr;
		a.icmp_hops = dr_icmp_hops(top.ttl);
	}
	snprintf(a.qname, sizeof(a.qname), "%s", dr_resolver_sample_qname(r));
	/* Told in packet time, whatever re-basing the clock needed. */
	a.ts -= e->offset;
	a.since -= e->offset;
	queue_push(e, &a);
}

static void
evaluate(struct dr_engine *e, struct dr_resolver *r, dr_time_t now,
    int tick)
{
	struct dr_detect_state	*st = dr_resolver_state(r);
	struct dr_detect_input	 in;
	enum dr_transition	 tr;
	int			 quiet = 0;

	/* Healthy and nothing failed: only slowness can change. */
	if (tick && (quiet = dr_resolver_quiet(r))) {
		memset(&in, 0, sizeof(in));
		dr_resolver_forget_sample(r);
		goto slow;
	}
	/*
	 * Down, only what happened since counts for the way back up (the
	 * window before the outage is full of answers); up, only what
	 * happened since the last recovery counts against it.
	 */
	dr_tracker_input(e->tracker, r, now, st->down ? st->down_at :
	    st->last_up, &in);
	in.drops = dr_window_total(e->drops, 0);
	in.blind = now < e->blind_until;
	tr = dr_detect_step(&e->dconf, st, &in, now);
	if (tr == DR_TRANS_HELD)
		e->stats.held++;
	else if (tr != DR_TRANS_NONE)
		emit(e, r, &in, tr, now);
	if (!tick)
		return;
	/* A new episode gets a fresh sample name. */
	if (!st->failing && !st->down && in.run.failures == 0 &&
	    dr_detect_failures(&e->dconf, in.fail) == 0)
		dr_resolver_forget_sample(r);
slow:
	dr_tracker_latency_input(e->tracker, r, e->dconf.slow_threshold, &in);
	if ((tr = dr_detect_slow_step(&e->dconf, st, &in, now)) ==
	    DR_TRANS_NONE)
		return;
	/* The alert tells the window's counts too. */
	if (quiet) {
		dr_tracker_input(e->tracker, r, now, st->last_up, &in);
		dr_tracker_latency_input(e->tracker, r,
		    e->dconf.slow_threshold, &in);
	}
	emit(e, r, &in, tr, now);
}

/* Resolvers whose last outcomes might change a verdict right now. */
static void
evaluate_dirty(struct dr_engine *e, dr_time_t now)
{
	struct dr_resolver	*r;

	while ((r = dr_tracker_next_dirty(e->tracker)) != NULL)
		if (!e->capture_down && dr_detect_run_ready(&e->dconf,
		    dr_resolver_cstate(r), dr_resolver_run(r)))
			evaluate(e, r, now, 0);
}

static void
tick_once(struct dr_engine *e, dr_time_t now)
{
	struct dr_resolver	*r;
	uint32_t		 it = 0;

	dr_tracker_advance(e->tracker, now);
	dr_window_advance(e->drops, &e->tconf.window, now);
	/* Expiry made timeouts: judged with the rest below. */
	while (dr_tracker_next_dirty(e->tracker) != NULL)
		;
	if (e->capture_down)
		return;
	while ((r = dr_tracker_next(e->tracker, &it)) != NULL)
		evaluate(e, r, now, 1);
}

/* ---- the clock ---- */

static dr_time_t
floor_to(dr_time_t t, dr_time_t step)
{
	dr_time_t	f = t - t % step;

	return t % step < 0 ? f - step : f;
}

/* Run the ticks that time has passed, and move the clock to now. */
static void
advance(struct dr_engine *e, dr_time_t now)
{
	dr_time_t	span = e->tconf.window.bucket *
	    (dr_time_t)e->tconf.window.nbuckets;
	dr_time_t	gap_end;

	if (e->next_tick == INT64_MIN)
		e->next_tick = floor_to(now, e->tick) + e->tick;
	if (now > e->now || !e->started)
		e->now = now;
	e->started = 1;
	if (now < e->next_tick)
		return;
	/*
	 * Tick through the gap as a live daemon would have, but only for
	 * one window span plus one bucket: after that an idle window is
	 * empty and the next tick sees all there is to see.
	 */
	gap_end = e->next_tick + span + e->tick;
	while (e->next_tick <= now && e->next_tick <= gap_end) {
		tick_once(e, e->next_tick);
		e->next_tick += e->tick;
	}
	if (e->next_tick <= now)
		e->next_tick = floor_to(now, e->tick) + e->tick;
}

static void
process(struct dr_engine *e, int linktype, const uint8_t *pkt, size_t caplen,
    size_t wirelen, dr_time_t ts)
{
	struct dr_event		ev;
	enum dr_decode_result	res;
	size_t			dirty;

	if (!e->started || ts >= e->next_tick)
		advance(e, ts);
	else if (ts > e->now)
		e->now = ts;
	res = dr_decode(linktype, pkt, caplen, wirelen, ts, &ev);
	e->stats.decode[res]++;
	if (res != DR_DECODE_OK)
		return;
	/* The same packet on another interface (a gateway): once. */
	if (e->dedup != NULL && dr_dedup_seen(e->dedup, &ev)) {
		e->stats.duplicates++;
		return;
	}
	e->stats.kinds[ev.kind]++;
	dirty = dr_tracker_event(e->tracker, &ev);
	/* Each step eats at least a header: bounded by the segment. */
	while (ev.more_len > 0 && dr_decode_more(&ev) == DR_DECODE_OK) {
		e->stats.kinds[ev.kind]++;
		dirty = dr_tracker_event(e->tracker, &ev);
	}
	if (dirty > 0)
		evaluate_dirty(e, ts);
}

/*
 * The frame held back gets its verdict from the stamp after it (valid
 * says whether there is one).  Returns what to add to that stamp: a
 * confirmed step back moves the offset.
 */
static dr_time_t
settle_hold(struct dr_engine *e, dr_time_t next, int valid)
{
	dr_time_t	shift = 0;

	e->holding = 0;
	if (valid && next >= e->hold_ts - CLOCK_SLACK &&
	    next <= e->hold_ts + CLOCK_JUMP) {
		e->stats.clock_steps++;
		if (e->hold_ts < e->now) {
			shift = e->now - e->hold_ts;
			e->offset += shift;
		}
		process(e, e->hold_dlt, e->hold, e->hold_caplen,
		    e->hold_wirelen, e->hold_ts + shift);
	} else {
		e->stats.suspect_time++;
		process(e, e->hold_dlt, e->hold, e->hold_caplen,
		    e->hold_wirelen, e->now);
	}
	return shift;
}

void
dr_engine_packet(struct dr_engine *e, int linktype, const uint8_t *pkt,
    size_t caplen, size_t wirelen, dr_time_t ts)
{
	int	valid = dr_time_valid(ts) && dr_time_valid(ts + e->offset);

	e->stats.packets++;
	if (valid)
		ts += e->offset;
	if (e->holding)
		ts += settle_hold(e, ts, valid);
	if (!valid) {
		/* No time at all: take the clock's, if there is one. */
		e->stats.suspect_time++;
		if (!e->started)
			return;
		ts = e->now;
	} else if (e->started && (ts > e->now + CLOCK_JUMP ||
	    ts < e->now - CLOCK_JUMP) && caplen <= HOLD_MAX && pkt != NULL) {
		memcpy(e->hold, pkt, caplen);
		e->hold_caplen = caplen;
		e->hold_wirelen = wirelen;
		e->hold_dlt = linktype;
		e->hold_ts = ts;
		e->holding = 1;
		return;
	}
	process(e, linktype, pkt, caplen, wirelen, ts);
}

/*
 * The caller's clock (a tick, capture news) on the engine's: re-based
 * as packets are after a step back, and checked like a packet's stamp.
 */
static dr_time_t
caller_time(const struct dr_engine *e, dr_time_t now)
{
	if (!dr_time_valid(now) || !dr_time_valid(now + e->offset))
		return e->now;
	return now + e->offset;
}

void
dr_engine_tick(struct dr_engine *e, dr_time_t now)
{
	if (dr_time_valid(now) && dr_time_valid(now + e->offset))
		now += e->offset;
	if (e->holding)
		now += settle_hold(e, now, dr_time_valid(now) && now <=
		    e->now + CLOCK_JUMP && now >= e->hold_ts - CLOCK_SLACK);
	if (!dr_time_valid(now) || (e->started && now < e->now))
		return;
	advance(e, now);
}

void
dr_engine_capture_stats(struct dr_engine *e, uint64_t received,
    uint64_t dropped, uint64_t ifdropped, dr_time_t now)
{
	uint64_t	lost = dropped + ifdropped;

	now = caller_time(e, now);
	if (lost > e->last_lost) {
		uint64_t d = lost - e->last_lost;

		dr_window_add(e->drops, &e->tconf.window, now, 0,
		    d > INT32_MAX ? INT32_MAX : (int32_t)d);
	}
	e->last_lost = lost;
	e->stats.capture_received = received;
	e->stats.capture_dropped = dropped;
	e->stats.capture_ifdropped = ifdropped;
}

void
dr_engine_capture_state(struct dr_engine *e, int up, dr_time_t now)
{
	now = caller_time(e, now);
	if (up && e->capture_down)
		e->blind_until = now + e->tconf.window.bucket *
		    (dr_time_t)e->tconf.window.nbuckets;
	/* Unanswered because unseen: not timeouts of the resolver. */
	if (!up && !e->capture_down)
		dr_tracker_abandon(e->tracker);
	e->capture_down = !up;
}

void
dr_engine_finish(struct dr_engine *e)
{
	/* A frame still held has nothing after it to vouch for it. */
	if (e->holding)
		settle_hold(e, 0, 0);
	if (e->started) {
		/* The end of the capture closes its last bucket. */
		advance(e, floor_to(e->now, e->tick) + e->tick);
	}
	dr_tracker_flush(e->tracker);
	while (dr_tracker_next_dirty(e->tracker) != NULL)
		;
}

const struct dr_engine_stats *
dr_engine_stats(const struct dr_engine *e)
{
	return &e->stats;
}

struct dr_tracker *
dr_engine_tracker(struct dr_engine *e)
{
	return e->tracker;
}

const struct dr_detect_conf *
dr_engine_detect_conf(const struct dr_engine *e)
{
	return &e->dconf;
}

size_t
dr_engine_nfailing(struct dr_engine *e)
{
	struct dr_resolver	*r;
	uint32_t		 it = 0;
	size_t			 n = 0;

	while ((r = dr_tracker_next(e->tracker, &it)) != NULL)
		n += dr_resolver_cstate(r)->failing != 0;
	return n;
}

size_t
dr_engine_nslow(struct dr_engine *e)
{
	struct dr_resolver	*r;
	uint32_t		 it = 0;
	size_t			 n = 0;

	while ((r = dr_tracker_next(e->tracker, &it)) != NULL)
		n += dr_resolver_cstate(r)->slow != 0;
	return n;
}

dr_time_t
dr_engine_now(const struct dr_engine *e)
{
	return e->now;
}

uint64_t
dr_engine_memory(const struct dr_config *c)
{
	struct dr_tracker_conf	tc;
	struct dr_detect_conf	dc;

	if (c->bucket <= 0 || c->window < c->bucket)
		return 0;	/* not a configuration validate lets by */
	confs_from(c, &tc, &dc);
	return sizeof(struct dr_engine) + dr_tracker_memory(&tc) +
	    dr_window_size(&tc.window) +
	    (uint64_t)queue_size(c) * sizeof(struct dr_alert) + HOLD_MAX +
	    (c->dedup_window != 0 ? dr_dedup_size(DR_DEDUP_SLOTS) : 0);
}
