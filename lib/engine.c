/*
 * engine.c: the one place where decode, tracker and detector meet.
 */
#include <stdlib.h>
#include <string.h>

#include "engine.h"

struct dr_engine {
	struct dr_tracker	*tracker;
	struct dr_tracker_conf	 tconf;
	struct dr_detect_conf	 dconf;
	dr_time_t		 tick;		/* interval: one bucket */
	dr_time_t		 next_tick;	/* INT64_MIN: not started */
	dr_time_t		 now;
	struct dr_window	*drops;		/* capture loss, counter 0 */
	int			 capture_down;	/* no data: judge nothing */
	dr_time_t		 blind_until;	/* a window since it came back */
	uint64_t		 last_lost;
	dr_alert_fn		 fn;
	void			*arg;
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
	tc->max_resolvers = c->max_resolvers;
	tc->max_pending = c->max_pending;
	tc->count_unmatched = c->count_unmatched;
	tc->allow = c->resolvers;
	tc->nallow = c->nresolvers;

	memset(dc, 0, sizeof(*dc));
	dc->threshold = c->threshold;
	dc->clear_threshold = c->clear_threshold;
	dc->min_queries = c->min_queries;
	dc->realert_interval = c->realert_interval;
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

struct dr_engine *
dr_engine_new(const struct dr_config *c, dr_alert_fn fn, void *arg)
{
	struct dr_engine	*e;

	if ((e = calloc(1, sizeof(*e))) == NULL)
		return NULL;
	confs_from(c, &e->tconf, &e->dconf);
	/* The seed only needs to differ between runs, not be secret-grade. */
	e->tracker = dr_tracker_new(&e->tconf, (uint32_t)random());
	e->drops = drops_new(&e->tconf.window);
	if (e->tracker == NULL || e->drops == NULL) {
		dr_engine_free(e);
		return NULL;
	}
	e->tick = c->bucket;
	e->next_tick = INT64_MIN;
	e->fn = fn;
	e->arg = arg;
	return e;
}

void
dr_engine_free(struct dr_engine *e)
{
	if (e == NULL)
		return;
	dr_tracker_free(e->tracker);
	free(e->drops);
	free(e);
}

int
dr_engine_reconfigure(struct dr_engine *e, const struct dr_config *c)
{
	struct dr_tracker_conf	 tc;
	struct dr_detect_conf	 dc;
	struct dr_tracker	*t;
	struct dr_window	*w;
	struct dr_resolver	*r;
	uint32_t		 it;
	int			 pass;

	confs_from(c, &tc, &dc);
	if (dr_tracker_reconfigure(e->tracker, &tc) == 0) {
		e->tconf = tc;
		e->dconf = dc;
		return 1;
	}
	/*
	 * New window geometry or table sizes: new tables, with every
	 * resolver carried over so that none loses its alert state (a
	 * failing one must still get its recovery, not a second alert).
	 */
	t = dr_tracker_new(&tc, (uint32_t)random());
	w = drops_new(&tc.window);
	if (t == NULL || w == NULL) {
		dr_tracker_free(t);
		free(w);
		return -1;
	}
	/*
	 * Failing ones first: if the new table is smaller, the ones that
	 * owe a recovery notice are the last to be dropped.
	 */
	for (pass = 1; pass >= 0; pass--) {
		for (it = 0; (r = dr_tracker_next(e->tracker, &it)) != NULL;)
			if ((r->det.failing != 0) == pass &&
			    dr_tracker_import(t, r, e->now) == -1)
				break;	/* smaller table: the rest go */
	}
	dr_tracker_free(e->tracker);
	free(e->drops);
	e->tracker = t;
	e->drops = w;
	e->tconf = tc;
	e->dconf = dc;
	e->tick = c->bucket;
	e->next_tick = INT64_MIN;
	return 0;
}

/* Start of the oldest bucket in the window that holds a failure. */
static dr_time_t
first_failure(const struct dr_engine *e, const struct dr_resolver *r,
    dr_time_t fallback)
{
	const struct dr_window_conf	*wc = &e->tconf.window;
	const struct dr_window		*w = r->win;
	int64_t				 idx;
	uint32_t			 s;
	int				 c;

	for (idx = w->head - wc->nbuckets + 1; idx <= w->head; idx++) {
		s = (uint32_t)(((idx % wc->nbuckets) + wc->nbuckets) %
		    wc->nbuckets);
		for (c = DR_W_UNREACH_PORT; c <= DR_W_TIMEOUTS; c++)
			if (w->b[s][c] > 0)
				return idx * wc->bucket;
		if (w->b[s][DR_W_TCP_RESET] > 0)
			return idx * wc->bucket;
	}
	return fallback;
}

static void
emit(struct dr_engine *e, struct dr_resolver *r,
    const struct dr_detect_input *in, enum dr_transition tr, dr_time_t now)
{
	struct dr_alert	a;

	memset(&a, 0, sizeof(a));
	a.event = tr == DR_TRANS_RECOVERED ? DR_ALERT_RECOVERED :
	    DR_ALERT_FAILING;
	a.reminder = tr == DR_TRANS_REMINDER;
	a.ts = now;
	if (tr == DR_TRANS_FAILING)
		r->first_failure = first_failure(e, r, now);
	a.since = r->first_failure;
	a.resolver = r->addr;
	a.queries = in->queries;
	a.unreachable = in->port + in->admin + in->host + in->other;
	a.tcp_resets = in->resets;
	a.timeouts = in->timeouts;
	a.failures = dr_detect_failures(&e->dconf, in);
	a.rate = dr_detect_rate(&e->dconf, in);
	a.threshold = e->dconf.threshold;
	a.window = e->tconf.window.bucket * e->tconf.window.nbuckets;
	a.cause = a.event == DR_ALERT_FAILING ?
	    dr_detect_cause(&e->dconf, in) : DR_CAUSE_NONE;
	a.clients = dr_resolver_clients(r);
	a.capture_drops = in->drops;
	memcpy(a.qname, r->sample_qname, sizeof(a.qname));
	if (tr == DR_TRANS_FAILING) {
		r->n.alerts++;
		e->stats.alerts++;
	} else if (tr == DR_TRANS_REMINDER)
		e->stats.reminders++;
	else
		e->stats.recoveries++;
	if (e->fn != NULL)
		e->fn(e->arg, &a);
}

static void
tick_once(struct dr_engine *e, dr_time_t now)
{
	struct dr_detect_input	 in;
	struct dr_resolver	*r;
	enum dr_transition	 tr;
	uint32_t		 it = 0;

	dr_tracker_advance(e->tracker, now);
	dr_window_advance(e->drops, &e->tconf.window, now);
	if (e->capture_down)
		return;
	while ((r = dr_tracker_next(e->tracker, &it)) != NULL) {
		dr_resolver_input(r, &in);
		in.drops = dr_window_total(e->drops, 0);
		in.blind = now < e->blind_until;
		tr = dr_detect_step(&e->dconf, &r->det, &in, now);
		switch (tr) {
		case DR_TRANS_NONE:
			break;
		case DR_TRANS_HELD:
			e->stats.held++;
			break;
		default:
			emit(e, r, &in, tr, now);
			break;
		}
		/* A new episode gets a fresh sample name. */
		if (!r->det.failing && dr_detect_failures(&e->dconf, &in) == 0)
			r->sample_qname[0] = '\0';
	}
}

void
dr_engine_tick(struct dr_engine *e, dr_time_t now)
{
	dr_time_t	span = e->tconf.window.bucket *
	    (dr_time_t)e->tconf.window.nbuckets;
	dr_time_t	gap_end;

	if (e->next_tick == INT64_MIN)
		e->next_tick = now - now % e->tick + e->tick;
	if (now > e->now)
		e->now = now;
	if (now < e->next_tick)
		return;
	/*
	 * Tick through the gap as a live daemon would have, but only for
	 * one window span plus one bucket: after that an idle window is
	 * empty and nothing more can change.
	 */
	gap_end = e->next_tick + span + e->tick;
	while (e->next_tick <= now && e->next_tick <= gap_end) {
		tick_once(e, e->next_tick);
		e->next_tick += e->tick;
	}
	if (e->next_tick <= now)
		e->next_tick = now - now % e->tick + e->tick;
}

void
dr_engine_packet(struct dr_engine *e, int linktype, const uint8_t *pkt,
    size_t caplen, size_t wirelen, dr_time_t ts)
{
	struct dr_event		ev;
	enum dr_decode_result	res;

	e->stats.packets++;
	if (ts >= e->next_tick)
		dr_engine_tick(e, ts);
	res = dr_decode(linktype, pkt, caplen, wirelen, ts, &ev);
	e->stats.decode[res]++;
	if (res != DR_DECODE_OK)
		return;
	e->stats.kinds[ev.kind]++;
	dr_tracker_event(e->tracker, &ev);
	/* Each step eats at least a header: bounded by the segment. */
	while (ev.more_len > 0 && dr_decode_more(&ev) == DR_DECODE_OK) {
		e->stats.kinds[ev.kind]++;
		dr_tracker_event(e->tracker, &ev);
	}
}

void
dr_engine_capture_stats(struct dr_engine *e, uint64_t received,
    uint64_t dropped, uint64_t ifdropped, dr_time_t now)
{
	uint64_t	lost = dropped + ifdropped;

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
	dr_tracker_flush(e->tracker);
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
		n += r->det.failing != 0;
	return n;
}

dr_time_t
dr_engine_now(const struct dr_engine *e)
{
	return e->now;
}
