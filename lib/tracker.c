/*
 * tracker.c: the resolver table and the outstanding-query table.
 *
 * Both are arrays allocated once with calloc, linked by 32-bit indices:
 * hash chains, an LRU list of resolvers, and two age lists of queries
 * (outstanding, oldest first; timed out, oldest first).  Entries are
 * taken from a high-water mark or a free list, so pages of a large table
 * become resident only as traffic fills them.  Nothing here allocates
 * after dr_tracker_new().
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tracker.h"

#define NIL		UINT32_MAX
#define LRU_SCAN	64	/* idle resolvers looked at before giving up */
#define CHAIN_SCAN	64	/* entries looked at without a DNS id */
#define CLIENT_BITS	512
#define RUN_CLIENTS	4	/* distinct clients a run tells apart */

_Static_assert(DR_W_FAIL_LAST - DR_W_FAIL_FIRST + 1 == DR_FAIL_NCLASSES,
    "one window counter per kind of failure");
_Static_assert(DR_W_TIMEOUTS == DR_W_FAIL_FIRST + DR_FAIL_TIMEOUT,
    "timeouts are a kind of failure");

enum pstate {
	P_FREE = 0,
	P_OUTSTANDING,
	P_TIMEDOUT
};

enum pkind {
	P_QUERY = 0,
	P_CONNECT		/* a TCP SYN, its query not seen yet */
};

struct pending {
	struct dr_addr	client;
	uint8_t		state;
	uint8_t		kind;
	uint8_t		transport;
	uint8_t		failed_as;	/* P_TIMEDOUT: the class it was booked */
	uint8_t		quoted;		/* 1 + class an 8-byte ICMP quote said */
	uint8_t		resent;		/* the client sent it again */
	uint16_t	cport;
	uint16_t	id;
	uint32_t	resolver;	/* index into the resolver table */
	uint32_t	qhash;		/* dr_dns_question_hash(), 0 unknown */
	uint32_t	chash;		/* the client, for the sketches */
	uint32_t	h3;		/* hash3() of client, port, resolver */
	dr_time_t	ts;		/* when the query was first seen */
	uint32_t	h4prev, h4next;	/* chain by client/port/resolver/id */
	uint32_t	h3prev, h3next;	/* chain by client/port/resolver */
	uint32_t	lprev, lnext;	/* age list, or free list (lnext) */
};

struct plist {
	uint32_t	head, tail;
};

/*
 * Distinct clients over the last one to two window spans: two linear-
 * counting maps that take turns, their set bits counted as they are set
 * so that reading the estimate is a table look-up.
 */
struct clients {
	uint64_t	map[2][CLIENT_BITS / 64];	/* [0]: this span */
	uint16_t	set0;		/* bits set in map[0] */
	uint16_t	setu;		/* bits set in map[0] | map[1] */
};

struct dr_resolver {
	struct dr_addr		addr;
	uint8_t			provisional;	/* made by no query */
	uint8_t			dirty;
	uint32_t		hnext;		/* hash chain */
	uint32_t		lru_prev, lru_next;
	uint32_t		npending;	/* outstanding or timed out */
	uint32_t		ntimedout;	/* of those, timed out */
	dr_time_t		last_active;
	dr_time_t		last_outcome;
	struct dr_resolver_counts n;
	struct dr_detect_state	det;
	struct dr_run		run;
	uint32_t		run_clients[RUN_CLIENTS];
	struct clients		failing;	/* whose queries failed */
	struct clients		active;		/* who asked */
	int64_t			clients_epoch;
	struct dr_latency_window lat;
	uint64_t		lat_life[DR_LAT_NBINS];
	struct dr_icmp_sender	senders[DR_ICMP_SENDERS];
	char			sample_qname[DR_SAMPLE_QNAME_MAX];
	struct dr_window	*win;
};

struct dr_tracker {
	struct dr_tracker_conf	conf;
	struct dr_prefix	*allow;		/* our copy of conf.allow */
	uint32_t		seed;
	size_t			wsize;		/* bytes per window */
	uint32_t		short_buckets;	/* the short window */
	int			slow_bin;	/* first bin above slow_threshold */
	struct dr_tracker_stats	stats;

	struct dr_resolver	*res;
	uint8_t			*wins;
	uint32_t		*rhash;
	uint32_t		rmask;
	uint32_t		rused, rhigh, rfree;
	uint32_t		lru_head, lru_tail;	/* head: most recent */
	uint32_t		*dirty;		/* a stack of resolvers */
	uint32_t		ndirty;
	uint32_t		lc[CLIENT_BITS + 1];	/* bits set -> count */

	struct pending		*pend;
	uint32_t		*h4, *h3;
	uint32_t		pmask;
	uint32_t		pused, phigh, pfree;
	struct plist		outstanding, timedout;
	dr_time_t		now;
};

static uint32_t
pow2_at_least(uint32_t n)
{
	uint32_t	p = 16;

	while (p < n && p < (1u << 30))
		p <<= 1;
	return p;
}

static int
conf_ok(const struct dr_tracker_conf *c)
{
	return c->window.bucket > 0 && c->window.nbuckets >= 1 &&
	    c->window.nbuckets <= DR_WINDOW_MAX_BUCKETS &&
	    c->max_resolvers >= 1 && c->max_resolvers < NIL / 2 &&
	    c->max_pending >= 1 && c->max_pending < NIL / 2 &&
	    c->query_timeout > 0 && c->match_window >= c->query_timeout &&
	    c->fast_window >= 0 && c->run_gap >= 0 &&
	    (c->nallow == 0 || c->allow != NULL);
}

static int
copy_conf(struct dr_tracker *t, const struct dr_tracker_conf *c)
{
	struct dr_prefix	*a = NULL;
	dr_time_t		 nb;

	if (c->nallow > 0) {
		a = calloc(c->nallow, sizeof(*a));
		if (a == NULL)
			return -1;
		memcpy(a, c->allow, c->nallow * sizeof(*a));
	}
	free(t->allow);
	t->allow = a;
	t->conf = *c;
	t->conf.allow = a;
	/* The buckets the short window spans, and the one filling now. */
	nb = (c->fast_window + c->window.bucket - 1) / c->window.bucket + 1;
	t->short_buckets = c->fast_window == 0 ? 0 :
	    nb > c->window.nbuckets ? c->window.nbuckets : (uint32_t)nb;
	/*
	 * Answers in the bin that holds the threshold or later may be over
	 * it (all are when the threshold is a bin bound, as 1 s is).
	 */
	t->slow_bin = c->slow_threshold > 0 ?
	    dr_latency_bin(c->slow_threshold) : DR_LAT_NBINS;
	return 0;
}

/* Linear counting: n distinct among m bits leave m e^(-n/m) of them 0. */
static void
lc_table(struct dr_tracker *t)
{
	double	zeros;
	int	set;

	for (set = 0; set <= CLIENT_BITS; set++) {
		/* A full map says "at least this many". */
		zeros = set < CLIENT_BITS ? CLIENT_BITS - set : 1;
		t->lc[set] = (uint32_t)lround(CLIENT_BITS *
		    log(CLIENT_BITS / zeros));
	}
}

struct dr_tracker *
dr_tracker_new(const struct dr_tracker_conf *c, uint32_t seed)
{
	struct dr_tracker	*t;
	uint32_t		 rbuckets, pbuckets;

	if (!conf_ok(c))
		return NULL;
	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	if (copy_conf(t, c) == -1) {
		free(t);
		return NULL;
	}
	t->seed = seed;
	t->wsize = dr_window_size(&c->window);
	/* Keep every window 8-byte aligned: it starts with an int64_t. */
	t->wsize = (t->wsize + 7) & ~(size_t)7;
	rbuckets = pow2_at_least(c->max_resolvers);
	pbuckets = pow2_at_least(c->max_pending);
	t->rmask = rbuckets - 1;
	t->pmask = pbuckets - 1;
	t->res = calloc(c->max_resolvers, sizeof(*t->res));
	t->wins = calloc(c->max_resolvers, t->wsize);
	t->rhash = malloc(rbuckets * sizeof(*t->rhash));
	t->dirty = calloc(c->max_resolvers, sizeof(*t->dirty));
	t->pend = calloc(c->max_pending, sizeof(*t->pend));
	t->h4 = malloc(pbuckets * sizeof(*t->h4));
	t->h3 = malloc(pbuckets * sizeof(*t->h3));
	if (t->res == NULL || t->wins == NULL || t->rhash == NULL ||
	    t->dirty == NULL || t->pend == NULL || t->h4 == NULL ||
	    t->h3 == NULL) {
		dr_tracker_free(t);
		return NULL;
	}
	lc_table(t);
	memset(t->rhash, 0xff, rbuckets * sizeof(*t->rhash));
	memset(t->h4, 0xff, pbuckets * sizeof(*t->h4));
	memset(t->h3, 0xff, pbuckets * sizeof(*t->h3));
	t->rfree = t->pfree = NIL;
	t->lru_head = t->lru_tail = NIL;
	t->outstanding.head = t->outstanding.tail = NIL;
	t->timedout.head = t->timedout.tail = NIL;
	return t;
}

void
dr_tracker_free(struct dr_tracker *t)
{
	if (t == NULL)
		return;
	free(t->res);
	free(t->wins);
	free(t->rhash);
	free(t->dirty);
	free(t->pend);
	free(t->h4);
	free(t->h3);
	free(t->allow);
	free(t);
}

int
dr_tracker_reconfigure(struct dr_tracker *t, const struct dr_tracker_conf *c)
{
	if (!conf_ok(c))
		return -1;
	if (c->window.bucket != t->conf.window.bucket ||
	    c->window.nbuckets != t->conf.window.nbuckets ||
	    c->max_resolvers != t->conf.max_resolvers ||
	    c->max_pending != t->conf.max_pending)
		return -1;
	return copy_conf(t, c);
}

/* ---- resolvers ---- */

static void
lru_unlink(struct dr_tracker *t, uint32_t i)
{
	struct dr_resolver	*r = &t->res[i];

	if (r->lru_prev != NIL)
		t->res[r->lru_prev].lru_next = r->lru_next;
	else
		t->lru_head = r->lru_next;
	if (r->lru_next != NIL)
		t->res[r->lru_next].lru_prev = r->lru_prev;
	else
		t->lru_tail = r->lru_prev;
}

static void
lru_push_front(struct dr_tracker *t, uint32_t i)
{
	struct dr_resolver	*r = &t->res[i];

	r->lru_prev = NIL;
	r->lru_next = t->lru_head;
	if (t->lru_head != NIL)
		t->res[t->lru_head].lru_prev = i;
	else
		t->lru_tail = i;
	t->lru_head = i;
}

static void
resolver_remove(struct dr_tracker *t, uint32_t i)
{
	struct dr_resolver	*r = &t->res[i];
	uint32_t		*pp;

	pp = &t->rhash[dr_addr_hash(&r->addr, t->seed) & t->rmask];
	while (*pp != i)
		pp = &t->res[*pp].hnext;
	*pp = r->hnext;
	lru_unlink(t, i);
	r->addr.family = DR_AF_NONE;
	r->hnext = t->rfree;
	t->rfree = i;
	t->rused--;
}

/*
 * The least recently active resolver with no queries out and nothing to
 * tell.  An entry made by no query (an ICMP error, an answer nobody
 * asked for: anyone on the LAN can send those) may only push out another
 * such entry, so a flood cannot evict real resolvers.
 */
static int
resolver_evict(struct dr_tracker *t, int provisional)
{
	struct dr_resolver	*r;
	uint32_t		 i, n;

	for (i = t->lru_tail, n = 0; i != NIL && n < LRU_SCAN;
	    i = t->res[i].lru_prev, n++) {
		r = &t->res[i];
		if (r->npending == 0 && !r->det.failing && !r->det.slow &&
		    !r->det.down && !r->dirty &&
		    (!provisional || r->provisional)) {
			resolver_remove(t, i);
			t->stats.resolver_evictions++;
			return 0;
		}
	}
	return -1;
}

static uint32_t
resolver_lookup(struct dr_tracker *t, const struct dr_addr *a, uint32_t *hp)
{
	uint32_t	h, i;

	h = dr_addr_hash(a, t->seed) & t->rmask;
	if (hp != NULL)
		*hp = h;
	for (i = t->rhash[h]; i != NIL; i = t->res[i].hnext)
		if (dr_addr_eq(&t->res[i].addr, a))
			return i;
	return NIL;
}

static uint32_t
resolver_get(struct dr_tracker *t, const struct dr_addr *a, dr_time_t ts,
    int provisional)
{
	struct dr_resolver	*r;
	uint32_t		 h, i;

	if ((i = resolver_lookup(t, a, &h)) != NIL) {
		if (t->lru_head != i) {
			lru_unlink(t, i);
			lru_push_front(t, i);
		}
		r = &t->res[i];
		if (ts > r->last_active)
			r->last_active = ts;
		if (!provisional)
			r->provisional = 0;
		return i;
	}
	if (t->rused == t->conf.max_resolvers &&
	    resolver_evict(t, provisional) == -1) {
		t->stats.resolver_table_full++;
		return NIL;
	}
	if (t->rfree != NIL) {
		i = t->rfree;
		t->rfree = t->res[i].hnext;
	} else
		i = t->rhigh++;
	r = &t->res[i];
	memset(r, 0, sizeof(*r));
	r->addr = *a;
	r->provisional = provisional != 0;
	r->last_active = ts;
	r->last_outcome = INT64_MIN;
	r->win = (struct dr_window *)(void *)(t->wins + (size_t)i * t->wsize);
	dr_window_init(r->win, &t->conf.window);
	r->hnext = t->rhash[h];
	t->rhash[h] = i;
	lru_push_front(t, i);
	t->rused++;
	return i;
}

static int
allowed(const struct dr_tracker *t, const struct dr_addr *a)
{
	size_t	i;

	if (t->conf.nallow == 0)
		return 1;
	for (i = 0; i < t->conf.nallow; i++)
		if (dr_prefix_match(&t->allow[i], a))
			return 1;
	return 0;
}

static void
mark_dirty(struct dr_tracker *t, uint32_t ri)
{
	if (t->res[ri].dirty)
		return;
	t->res[ri].dirty = 1;
	t->dirty[t->ndirty++] = ri;
}

struct dr_resolver *
dr_tracker_next_dirty(struct dr_tracker *t)
{
	struct dr_resolver	*r;

	while (t->ndirty > 0) {
		r = &t->res[t->dirty[--t->ndirty]];
		r->dirty = 0;
		if (r->addr.family != DR_AF_NONE)
			return r;
	}
	return NULL;
}

/* ---- clients ---- */

static void
clients_rotate(struct clients *c, int adjacent)
{
	if (adjacent) {
		memcpy(c->map[1], c->map[0], sizeof(c->map[0]));
		c->setu = c->set0;
	} else {
		memset(c->map[1], 0, sizeof(c->map[1]));
		c->setu = 0;
	}
	memset(c->map[0], 0, sizeof(c->map[0]));
	c->set0 = 0;
}

static void
clients_add(struct clients *c, uint32_t chash)
{
	uint32_t	bit = chash % CLIENT_BITS;
	uint64_t	m = (uint64_t)1 << (bit % 64);

	if (c->map[0][bit / 64] & m)
		return;
	c->map[0][bit / 64] |= m;
	c->set0++;
	if ((c->map[1][bit / 64] & m) == 0)
		c->setu++;
}

static uint32_t
clients_count(const struct dr_tracker *t, const struct clients *c)
{
	return t->lc[c->setu <= CLIENT_BITS ? c->setu : CLIENT_BITS];
}

static void
rotate_clients(struct dr_tracker *t, struct dr_resolver *r, dr_time_t now)
{
	dr_time_t	span = t->conf.window.bucket *
	    (dr_time_t)t->conf.window.nbuckets;
	int64_t		epoch = now / span;

	/* Only forward: a time a little back must not wipe the maps. */
	if (epoch <= r->clients_epoch)
		return;
	clients_rotate(&r->failing, epoch == r->clients_epoch + 1);
	clients_rotate(&r->active, epoch == r->clients_epoch + 1);
	r->clients_epoch = epoch;
}

/* For the client sketches: the address hash, mixed apart. */
static uint32_t
client_hash(uint32_t ah)
{
	uint32_t	h = ah * 0x5bd1e995u;

	return h ^ (h >> 13);
}

/* ---- outcomes ---- */

static void
book(struct dr_tracker *t, uint32_t ri, dr_time_t ts, enum dr_wcounter c,
    int32_t delta)
{
	dr_window_add(t->res[ri].win, &t->conf.window, ts, c, delta);
}

static int
counts_as_failure(const struct dr_tracker *t, enum dr_fail_class c)
{
	return c != DR_FAIL_TIMEOUT || t->conf.count_timeouts;
}

static void
run_reset_failures(struct dr_resolver *r)
{
	uint32_t	successes = r->run.successes;

	memset(&r->run, 0, sizeof(r->run));
	r->run.successes = successes;
}

static void
run_add_client(struct dr_resolver *r, uint32_t chash)
{
	uint32_t	i;

	for (i = 0; i < r->run.clients && i < RUN_CLIENTS; i++)
		if (r->run_clients[i] == chash)
			return;
	if (r->run.clients < RUN_CLIENTS)
		r->run_clients[r->run.clients++] = chash;
}

/*
 * A query's outcome is known at time at.  cls is the kind of failure,
 * or -1 for an answer that is no failure.  qts is when it was asked.
 */
static void
outcome(struct dr_tracker *t, uint32_t ri, int cls, dr_time_t qts,
    uint32_t chash, dr_time_t at)
{
	struct dr_resolver	*r = &t->res[ri];
	struct dr_run		*run = &r->run;

	if (at > r->last_outcome || r->last_outcome == INT64_MIN)
		r->last_outcome = at;
	if (cls < 0) {
		book(t, ri, at, DR_W_RESPONSES, 1);
		if (run->failures > 0)
			run_reset_failures(r);
		run->successes++;
		if (r->det.down)
			mark_dirty(t, ri);
		return;
	}
	book(t, ri, at, (enum dr_wcounter)(DR_W_FAIL_FIRST + cls), 1);
	if (!counts_as_failure(t, (enum dr_fail_class)cls))
		return;
	rotate_clients(t, r, at);
	clients_add(&r->failing, chash);
	/* Failures far apart are not one outage. */
	if (run->failures > 0 && t->conf.run_gap > 0 &&
	    at - run->last_at > t->conf.run_gap)
		run_reset_failures(r);
	run->successes = 0;
	if (run->failures == 0 || qts < run->first_query)
		run->first_query = qts;
	if (run->failures == 0 || at < run->first_at)
		run->first_at = at;
	if (run->failures == 0 || at > run->last_at)
		run->last_at = at;
	run->failures++;
	run->fail[cls]++;
	if (cls != DR_FAIL_TIMEOUT)
		run->strong++;
	run_add_client(r, chash);
	if (!r->det.down)
		mark_dirty(t, ri);
}

/*
 * A timed-out query gets its true outcome: take the timeout back (from
 * the bucket it was booked in) and book what really happened.
 */
static void
replace_failure(struct dr_tracker *t, struct pending *p, int cls,
    dr_time_t at)
{
	struct dr_resolver	*r = &t->res[p->resolver];
	struct dr_run		*run = &r->run;
	enum dr_fail_class	 was = (enum dr_fail_class)p->failed_as;

	book(t, p->resolver, p->ts + t->conf.query_timeout,
	    (enum dr_wcounter)(DR_W_FAIL_FIRST + was), -1);
	if (was == DR_FAIL_TIMEOUT)
		r->n.timeouts--;
	if (cls < 0) {
		/* Answered after all, however late: a success. */
		outcome(t, p->resolver, -1, p->ts, p->chash, at);
		return;
	}
	/* A timeout that did not count is new to the run: outcome() books. */
	if (counts_as_failure(t, was))
		book(t, p->resolver, at,
		    (enum dr_wcounter)(DR_W_FAIL_FIRST + cls), 1);
	/* The run holds this failure already: only its kind changes. */
	if (run->failures > 0 && p->ts >= run->first_query &&
	    counts_as_failure(t, was) && run->fail[was] > 0) {
		run->fail[was]--;
		run->fail[cls]++;
		if (was == DR_FAIL_TIMEOUT && cls != DR_FAIL_TIMEOUT)
			run->strong++;
		if (!r->det.down)
			mark_dirty(t, p->resolver);
	} else if (!counts_as_failure(t, was))
		outcome(t, p->resolver, cls, p->ts, p->chash, at);
	else if (r->det.down)
		mark_dirty(t, p->resolver);
	if (at > r->last_outcome)
		r->last_outcome = at;
}

/* ---- outstanding queries ---- */

/* ah: dr_addr_hash() of the client, computed once per event. */
static uint32_t
hash3(uint32_t ah, uint16_t cport, uint32_t resolver)
{
	uint32_t	h = ah;

	h ^= cport * 0x9e3779b1u;
	h ^= (resolver + 1) * 0x85ebca77u;
	h ^= h >> 13;
	h *= 0xc2b2ae3du;
	return h ^ (h >> 16);
}

static uint32_t
hash4(uint32_t h3, uint16_t id)
{
	uint32_t	h = h3 ^ (id * 0x27d4eb2fu);

	h ^= h >> 15;
	h *= 0x2c1b3c6du;
	return h ^ (h >> 12);
}

static void
plist_append(struct dr_tracker *t, struct plist *l, uint32_t i)
{
	t->pend[i].lnext = NIL;
	t->pend[i].lprev = l->tail;
	if (l->tail != NIL)
		t->pend[l->tail].lnext = i;
	else
		l->head = i;
	l->tail = i;
}

static void
plist_unlink(struct dr_tracker *t, struct plist *l, uint32_t i)
{
	struct pending	*p = &t->pend[i];

	if (p->lprev != NIL)
		t->pend[p->lprev].lnext = p->lnext;
	else
		l->head = p->lnext;
	if (p->lnext != NIL)
		t->pend[p->lnext].lprev = p->lprev;
	else
		l->tail = p->lprev;
}

static void
pending_remove(struct dr_tracker *t, uint32_t i)
{
	struct pending	*p = &t->pend[i];
	uint32_t	 h3 = p->h3;

	if (p->h4prev != NIL)
		t->pend[p->h4prev].h4next = p->h4next;
	else
		t->h4[hash4(h3, p->id) & t->pmask] = p->h4next;
	if (p->h4next != NIL)
		t->pend[p->h4next].h4prev = p->h4prev;
	if (p->h3prev != NIL)
		t->pend[p->h3prev].h3next = p->h3next;
	else
		t->h3[h3 & t->pmask] = p->h3next;
	if (p->h3next != NIL)
		t->pend[p->h3next].h3prev = p->h3prev;
	plist_unlink(t, p->state == P_OUTSTANDING ? &t->outstanding :
	    &t->timedout, i);
	t->res[p->resolver].npending--;
	if (p->state == P_TIMEDOUT)
		t->res[p->resolver].ntimedout--;
	p->state = P_FREE;
	p->lnext = t->pfree;
	t->pfree = i;
	t->pused--;
}

static void
pending_evict(struct dr_tracker *t)
{
	uint32_t	i;

	/* A timed-out query already has its outcome: lose it first. */
	if ((i = t->timedout.head) == NIL) {
		i = t->outstanding.head;
		t->res[t->pend[i].resolver].n.evicted++;
	}
	pending_remove(t, i);
	t->stats.pending_evictions++;
}

static uint32_t
pending_add(struct dr_tracker *t, uint32_t ri, const struct dr_event *ev,
    enum pkind kind, uint32_t qhash, uint32_t ah)
{
	struct pending	*p;
	uint32_t	 i, h3, h4;

	if (t->pused == t->conf.max_pending)
		pending_evict(t);
	if (t->pfree != NIL) {
		i = t->pfree;
		t->pfree = t->pend[i].lnext;
	} else
		i = t->phigh++;
	p = &t->pend[i];
	p->client = ev->client;
	p->cport = ev->client_port;
	p->id = kind == P_QUERY ? ev->id : 0;
	p->resolver = ri;
	p->ts = ev->ts;
	p->transport = (uint8_t)ev->transport;
	p->kind = (uint8_t)kind;
	p->state = P_OUTSTANDING;
	p->failed_as = p->quoted = p->resent = 0;
	p->qhash = qhash;
	p->chash = client_hash(ah);
	p->h3 = h3 = hash3(ah, p->cport, ri);
	h4 = hash4(h3, p->id) & t->pmask;
	h3 &= t->pmask;
	p->h4prev = p->h3prev = NIL;
	p->h4next = t->h4[h4];
	if (p->h4next != NIL)
		t->pend[p->h4next].h4prev = i;
	t->h4[h4] = i;
	p->h3next = t->h3[h3];
	if (p->h3next != NIL)
		t->pend[p->h3next].h3prev = i;
	t->h3[h3] = i;
	plist_append(t, &t->outstanding, i);
	t->res[ri].npending++;
	t->pused++;
	return i;
}

static int
pending_is(const struct pending *p, const struct dr_event *ev, uint32_t ri)
{
	return p->resolver == ri && p->cport == ev->client_port &&
	    dr_addr_eq(&p->client, &ev->client);
}

/*
 * The query with this DNS id from this client port; with a question
 * hash, the one that asked that question (ids get reused).
 */
static uint32_t
pending_find_id(struct dr_tracker *t, uint32_t ri, const struct dr_event *ev,
    uint32_t ah, uint32_t qhash)
{
	uint32_t	h3, i, any = NIL;

	h3 = hash3(ah, ev->client_port, ri);
	for (i = t->h4[hash4(h3, ev->id) & t->pmask]; i != NIL;
	    i = t->pend[i].h4next) {
		struct pending *p = &t->pend[i];

		if (p->kind != P_QUERY || p->id != ev->id ||
		    !pending_is(p, ev, ri))
			continue;
		if (qhash == 0 || p->qhash == 0 || p->qhash == qhash)
			return i;
		any = i;
	}
	/* An answer whose question we cannot compare still is the answer. */
	return qhash == 0 ? any : NIL;
}

/*
 * The query an answer is for: by DNS id alone, unless the client has
 * two queries out with that id (it reused it for another question);
 * only then is the answer's question worth hashing.
 */
static uint32_t
pending_find_answered(struct dr_tracker *t, uint32_t ri,
    const struct dr_event *ev, uint32_t ah)
{
	uint32_t	h3, i, found = NIL;

	h3 = hash3(ah, ev->client_port, ri);
	for (i = t->h4[hash4(h3, ev->id) & t->pmask]; i != NIL;
	    i = t->pend[i].h4next) {
		struct pending *p = &t->pend[i];

		if (p->kind != P_QUERY || p->id != ev->id ||
		    !pending_is(p, ev, ri))
			continue;
		if (found != NIL)
			return pending_find_id(t, ri, ev, ah,
			    dr_dns_question_hash(ev->dns, ev->dns_len));
		found = i;
	}
	return found;
}

/*
 * The oldest entry on this client port of a transport (and kind, unless
 * any): for a quote or a reset that names no DNS id.  New entries go to
 * the chain's head, so the last match is the oldest.  Bounded: a client
 * that reuses one port for many queries must not make this walk long.
 */
static uint32_t
pending_find_port(struct dr_tracker *t, uint32_t ri, const struct dr_event *ev,
    uint32_t ah, int transport, int kind)
{
	uint32_t	h3, i, n, found = NIL;

	h3 = hash3(ah, ev->client_port, ri);
	for (i = t->h3[h3 & t->pmask], n = 0; i != NIL && n < CHAIN_SCAN;
	    i = t->pend[i].h3next, n++)
		if (pending_is(&t->pend[i], ev, ri) &&
		    t->pend[i].transport == transport &&
		    (kind < 0 || t->pend[i].kind == kind))
			found = i;
	return found;
}

/*
 * The oldest UDP query out on this client port that no 8-byte quote has
 * named yet: a client that keeps its port gets one ICMP error per query,
 * and each must name its own query, not the oldest one over again.
 */
static uint32_t
pending_find_unquoted(struct dr_tracker *t, uint32_t ri,
    const struct dr_event *ev, uint32_t ah)
{
	uint32_t	h3, i, n, found = NIL;

	h3 = hash3(ah, ev->client_port, ri);
	for (i = t->h3[h3 & t->pmask], n = 0; i != NIL && n < CHAIN_SCAN;
	    i = t->pend[i].h3next, n++)
		if (pending_is(&t->pend[i], ev, ri) &&
		    t->pend[i].transport == DR_TRANSPORT_UDP &&
		    t->pend[i].kind == P_QUERY &&
		    t->pend[i].state == P_OUTSTANDING && !t->pend[i].quoted)
			found = i;
	return found;
}

/* The query ended with outcome cls (-1: answered) at time at. */
static void
pending_settle(struct dr_tracker *t, uint32_t i, int cls, dr_time_t at)
{
	struct pending	*p = &t->pend[i];

	if (p->state == P_TIMEDOUT)
		replace_failure(t, p, cls, at);
	else
		outcome(t, p->resolver, cls, p->ts, p->chash, at);
	pending_remove(t, i);
}

/* ---- events ---- */

static void
note_qname(struct dr_resolver *r, const struct dr_event *ev)
{
	char	name[DR_DNS_NAMEBUF];
	int	len, k;

	/* Decode a name once per episode, not per packet. */
	if (r->sample_qname[0] != '\0' || !ev->has_dns || ev->dns == NULL)
		return;
	len = dr_dns_qname(ev->dns, ev->dns_len, name, sizeof(name));
	if (len <= 0)
		return;
	if ((size_t)len >= sizeof(r->sample_qname)) {
		/* Cut before a partial \DDD escape, never inside one. */
		len = sizeof(r->sample_qname) - 1;
		for (k = 1; k <= 3; k++)
			if (name[len - k] == '\\') {
				len -= k;
				break;
			}
	}
	memcpy(r->sample_qname, name, (size_t)len);
	r->sample_qname[len] = '\0';
}

/*
 * Space-saving: a new sender takes the place of the least frequent one
 * and inherits its count, so a steady sender is never pushed out by a
 * trickle of others.
 */
static void
note_sender(struct dr_resolver *r, const struct dr_event *ev)
{
	struct dr_icmp_sender	*s, *min = NULL;
	int			 i;

	if (ev->icmp_from.family == DR_AF_NONE)
		return;
	for (i = 0; i < DR_ICMP_SENDERS; i++) {
		s = &r->senders[i];
		if (s->count > 0 && dr_addr_eq(&s->addr, &ev->icmp_from)) {
			s->count++;
			s->ttl = ev->icmp_ttl;
			return;
		}
		if (min == NULL || s->count < min->count)
			min = s;
	}
	min->addr = ev->icmp_from;
	min->count++;
	min->ttl = ev->icmp_ttl;
}

int
dr_unreach_fail_class(const struct dr_event *ev)
{
	int	own = dr_addr_eq(&ev->icmp_from, &ev->resolver);

	if (ev->icmp6) {
		switch (ev->icmp_code) {
		case 4:			/* port unreachable */
			return own ? DR_FAIL_PORT : DR_FAIL_PORT_PATH;
		case 1:			/* administratively prohibited */
		case 5:			/* source address failed policy */
		case 6:			/* reject route */
			return DR_FAIL_ADMIN;
		case 0:			/* no route */
		case 2:			/* beyond scope of source */
		case 3:			/* address unreachable */
			return DR_FAIL_HOST;
		default:
			return DR_FAIL_OTHER;
		}
	}
	switch (ev->icmp_code) {
	case 3:				/* port unreachable */
		return own ? DR_FAIL_PORT : DR_FAIL_PORT_PATH;
	case 4:				/* fragmentation needed: path MTU */
		return -1;
	case 9:				/* net prohibited */
	case 10:			/* host prohibited */
	case 13:			/* communication prohibited */
		return DR_FAIL_ADMIN;
	case 0: case 1:			/* net, host unreachable */
	case 5:				/* source route failed */
	case 6: case 7:			/* net, host unknown */
	case 8:				/* source host isolated */
	case 11: case 12:		/* net, host unreachable for TOS */
		return DR_FAIL_HOST;
	default:			/* protocol, precedence, ... */
		return DR_FAIL_OTHER;
	}
}

int
dr_rcode_fail_class(uint16_t fail_rcodes, uint8_t rcode)
{
	if ((fail_rcodes & (1u << (rcode & 0x0f))) == 0)
		return -1;
	if (rcode == 2)
		return DR_FAIL_SERVFAIL;
	if (rcode == 5)
		return DR_FAIL_REFUSED;
	return DR_FAIL_RCODE;
}

static void
on_query(struct dr_tracker *t, uint32_t ri, const struct dr_event *ev,
    uint32_t ah)
{
	struct dr_resolver	*r = &t->res[ri];
	uint32_t		 qhash, i;

	qhash = dr_dns_question_hash(ev->dns, ev->dns_len);
	rotate_clients(t, r, ev->ts);
	clients_add(&r->active, client_hash(ah));
	if ((i = pending_find_id(t, ri, ev, ah, qhash)) != NIL &&
	    (qhash == 0 || t->pend[i].qhash == qhash)) {
		/*
		 * Over TCP the same query again is the segment resent; over
		 * UDP it is the client asking again: one query, retried.
		 */
		if (ev->transport == DR_TRANSPORT_TCP &&
		    t->pend[i].transport == DR_TRANSPORT_TCP)
			return;
		r->n.retransmissions++;
		t->pend[i].resent = 1;
		book(t, ri, ev->ts, DR_W_RETRANS, 1);
		return;
	}
	/* The connection's SYN is done with: the query is what counts. */
	if (ev->transport == DR_TRANSPORT_TCP &&
	    (i = pending_find_port(t, ri, ev, ah, DR_TRANSPORT_TCP,
	    P_CONNECT)) != NIL)
		pending_remove(t, i);
	r->n.queries++;
	book(t, ri, ev->ts, DR_W_QUERIES, 1);
	pending_add(t, ri, ev, P_QUERY, qhash, ah);
}

static void
on_response(struct dr_tracker *t, uint32_t ri, const struct dr_event *ev,
    uint32_t ah)
{
	struct dr_resolver	*r = &t->res[ri];
	struct pending		*p;
	int			 cls, bin;
	uint32_t		 i;

	cls = dr_rcode_fail_class(t->conf.fail_rcodes, ev->rcode);
	r->n.responses++;
	r->n.rcodes[dr_rcode_class(ev->rcode)]++;
	i = pending_find_answered(t, ri, ev, ah);
	if (i == NIL) {
		r->n.unmatched_responses++;
		/* One-way capture: answers are all the outcomes there are. */
		if (t->conf.count_unmatched)
			outcome(t, ri, cls, ev->ts, client_hash(ah), ev->ts);
		if (cls >= 0)
			note_qname(r, ev);
		return;
	}
	p = &t->pend[i];
	/*
	 * From the first time it was asked.  An answer to a query sent
	 * again cannot say which sending it answers (Karn's rule): it is no
	 * sample, or every lost query would look like a slow answer.
	 */
	if (!p->resent) {
		bin = dr_latency_bin(ev->ts - p->ts);
		r->lat_life[bin]++;
		if (ev->ts > p->ts)
			r->n.answer_time += (uint64_t)(ev->ts - p->ts);
		dr_latency_window_add(&r->lat, t->conf.window.bucket *
		    (dr_time_t)t->conf.window.nbuckets, ev->ts, bin,
		    bin >= t->slow_bin);
	}
	if (p->state == P_TIMEDOUT)
		r->n.answered_late++;
	pending_settle(t, i, cls, ev->ts);
	if (cls >= 0)
		note_qname(r, ev);
}

static void
on_unreach(struct dr_tracker *t, uint32_t ri, const struct dr_event *ev,
    uint32_t ah)
{
	struct dr_resolver	*r = &t->res[ri];
	int			 cls = dr_unreach_fail_class(ev);
	uint32_t		 i;

	r->n.unreachable++;
	r->n.unreach_by_code[ev->icmp_code < DR_ICMP_CODE_OTHER ?
	    ev->icmp_code : DR_ICMP_CODE_OTHER]++;
	if (cls < 0)
		return;		/* a path MTU message, not a failure */
	note_sender(r, ev);
	if (ev->has_dns)
		i = pending_find_id(t, ri, ev, ah, 0);
	else if ((i = pending_find_unquoted(t, ri, ev, ah)) == NIL)
		i = pending_find_port(t, ri, ev, ah, DR_TRANSPORT_UDP,
		    P_QUERY);
	if (i != NIL && !ev->has_dns && t->pend[i].state == P_OUTSTANDING) {
		/*
		 * Only 8 bytes quoted: no DNS id to prove which query, and
		 * anyone can send it.  It names the outcome should the query
		 * go unanswered; an answer still wins.
		 */
		t->pend[i].quoted = (uint8_t)(cls + 1);
	} else if (i != NIL)
		pending_settle(t, i, cls, ev->ts);
	else {
		/*
		 * Anyone on the LAN can forge ICMP: an error about a query
		 * we never saw does not count against the resolver unless
		 * the operator says this gateway sees only one direction.
		 */
		r->n.unmatched++;
		book(t, ri, ev->ts, DR_W_UNMATCHED, 1);
		if (!t->conf.count_unmatched)
			return;
		outcome(t, ri, cls, ev->ts, client_hash(ah), ev->ts);
	}
	note_qname(r, ev);
}

static void
on_reset(struct dr_tracker *t, uint32_t ri, const struct dr_event *ev,
    uint32_t ah)
{
	struct dr_resolver	*r = &t->res[ri];
	uint32_t		 i;

	/* A reset of a SYN or of a query not yet answered is a refusal. */
	i = pending_find_port(t, ri, ev, ah, DR_TRANSPORT_TCP, -1);
	if (i != NIL) {
		r->n.tcp_resets++;
		pending_settle(t, i, DR_FAIL_RESET, ev->ts);
		return;
	}
	/* Closing an idle connection, or forged: nothing failed. */
	r->n.tcp_unmatched_resets++;
	book(t, ri, ev->ts, DR_W_UNMATCHED, 1);
	if (t->conf.count_unmatched)
		outcome(t, ri, DR_FAIL_RESET, ev->ts, client_hash(ah), ev->ts);
}

size_t
dr_tracker_event(struct dr_tracker *t, const struct dr_event *ev)
{
	uint32_t	ri, ah, i;
	int		asks;

	t->stats.events++;
	if (ev->kind == DR_EV_OTHER || ev->kind >= DR_EV_NKINDS)
		return t->ndirty;
	if (!allowed(t, &ev->resolver)) {
		t->stats.ignored++;
		return t->ndirty;
	}
	if (ev->ts > t->now)
		dr_tracker_expire(t, ev->ts);
	/* Only a client asking makes a resolver worth a place. */
	asks = ev->kind == DR_EV_QUERY || ev->kind == DR_EV_TCP_SYN;
	if (!asks && !t->conf.count_unmatched &&
	    ev->kind != DR_EV_UNREACH && ev->kind != DR_EV_RESPONSE &&
	    resolver_lookup(t, &ev->resolver, NULL) == NIL)
		return t->ndirty;
	if ((ri = resolver_get(t, &ev->resolver, ev->ts, !asks)) == NIL)
		return t->ndirty;
	ah = dr_addr_hash(&ev->client, t->seed);
	switch (ev->kind) {
	case DR_EV_QUERY:
		on_query(t, ri, ev, ah);
		break;
	case DR_EV_RESPONSE:
		on_response(t, ri, ev, ah);
		break;
	case DR_EV_UNREACH:
		on_unreach(t, ri, ev, ah);
		break;
	case DR_EV_LATE_RESPONSE:
		t->res[ri].n.late++;
		book(t, ri, ev->ts, DR_W_LATE, 1);
		break;
	case DR_EV_TCP_SYN:
		/* A SYN resent is the same attempt. */
		if (pending_find_port(t, ri, ev, ah, DR_TRANSPORT_TCP,
		    P_CONNECT) == NIL)
			pending_add(t, ri, ev, P_CONNECT, 0, ah);
		break;
	case DR_EV_TCP_ACCEPT:
		/* It listens; the query to come will have the outcome. */
		i = pending_find_port(t, ri, ev, ah, DR_TRANSPORT_TCP,
		    P_CONNECT);
		if (i != NIL)
			pending_remove(t, i);
		break;
	case DR_EV_TCP_RESET:
		on_reset(t, ri, ev, ah);
		break;
	default:
		break;
	}
	return t->ndirty;
}

/* ---- time ---- */

static void
expire_queries(struct dr_tracker *t, dr_time_t now)
{
	struct dr_resolver	*r;
	struct pending		*p;
	dr_time_t		 at;
	uint32_t		 i;
	int			 cls;

	while ((i = t->outstanding.head) != NIL) {
		p = &t->pend[i];
		if (now - p->ts < t->conf.query_timeout)
			break;
		r = &t->res[p->resolver];
		at = p->ts + t->conf.query_timeout;
		/* No answer: what an 8-byte quote said, or a timeout. */
		cls = p->quoted ? p->quoted - 1 : DR_FAIL_TIMEOUT;
		if (p->kind == P_CONNECT)
			r->n.tcp_connect_timeouts++;
		else if (cls == DR_FAIL_TIMEOUT)
			r->n.timeouts++;
		outcome(t, p->resolver, cls, p->ts, p->chash, at);
		plist_unlink(t, &t->outstanding, i);
		p->state = P_TIMEDOUT;
		p->failed_as = (uint8_t)cls;
		r->ntimedout++;
		plist_append(t, &t->timedout, i);
	}
	while ((i = t->timedout.head) != NIL) {
		if (now - t->pend[i].ts < t->conf.match_window)
			break;
		pending_remove(t, i);
	}
}

void
dr_tracker_expire(struct dr_tracker *t, dr_time_t now)
{
	if (now < t->now)
		return;
	t->now = now;
	expire_queries(t, now);
}

void
dr_tracker_advance(struct dr_tracker *t, dr_time_t now)
{
	struct dr_resolver	*r;
	dr_time_t		 span = t->conf.window.bucket *
	    (dr_time_t)t->conf.window.nbuckets;
	uint32_t		 i;

	dr_tracker_expire(t, now);
	for (i = 0; i < t->rhigh; i++) {
		r = &t->res[i];
		if (r->addr.family == DR_AF_NONE)
			continue;
		dr_window_advance(r->win, &t->conf.window, now);
		rotate_clients(t, r, now);
		dr_latency_window_advance(&r->lat, span, now);
	}
}

void
dr_tracker_flush(struct dr_tracker *t)
{
	/* Whatever is still out had no answer in the capture. */
	while (t->outstanding.head != NIL)
		expire_queries(t, t->pend[t->outstanding.head].ts +
		    t->conf.query_timeout);
}

void
dr_tracker_abandon(struct dr_tracker *t)
{
	uint32_t	i;

	while ((i = t->outstanding.head) != NIL) {
		if (t->pend[i].kind == P_QUERY)
			t->res[t->pend[i].resolver].n.evicted++;
		pending_remove(t, i);
	}
}

int
dr_tracker_import(struct dr_tracker *t, const struct dr_resolver *old,
    dr_time_t now)
{
	struct dr_resolver	*r;
	uint32_t		 ri;
	int			 c;

	if ((ri = resolver_get(t, &old->addr, old->last_active,
	    old->provisional)) == NIL)
		return -1;
	r = &t->res[ri];
	r->n = old->n;
	/* Timed-out ones already have their outcome. */
	r->n.evicted += old->npending - old->ntimedout;
	r->det = old->det;
	r->run = old->run;
	memcpy(r->run_clients, old->run_clients, sizeof(r->run_clients));
	r->last_outcome = old->last_outcome;
	r->failing = old->failing;
	r->active = old->active;
	/* The old epochs count spans of the old window: renumber. */
	r->clients_epoch = now / (t->conf.window.bucket *
	    (dr_time_t)t->conf.window.nbuckets);
	/* Its halves were of the old window: they start afresh. */
	memset(&r->lat, 0, sizeof(r->lat));
	memcpy(r->lat_life, old->lat_life, sizeof(r->lat_life));
	memcpy(r->senders, old->senders, sizeof(r->senders));
	memcpy(r->sample_qname, old->sample_qname, sizeof(r->sample_qname));
	for (c = 0; c < DR_W_NCOUNTERS; c++) {
		uint32_t v = dr_window_total(old->win, (enum dr_wcounter)c);

		if (v > 0)
			book(t, ri, now, (enum dr_wcounter)c,
			    v > INT32_MAX ? INT32_MAX : (int32_t)v);
	}
	return 0;
}

/* ---- reading ---- */

struct dr_resolver *
dr_tracker_next(struct dr_tracker *t, uint32_t *it)
{
	while (*it < t->rhigh) {
		struct dr_resolver *r = &t->res[(*it)++];

		if (r->addr.family != DR_AF_NONE)
			return r;
	}
	return NULL;
}

struct dr_resolver *
dr_tracker_find(struct dr_tracker *t, const struct dr_addr *a)
{
	uint32_t	i = resolver_lookup(t, a, NULL);

	return i == NIL ? NULL : &t->res[i];
}

size_t
dr_tracker_nresolvers(const struct dr_tracker *t)
{
	return t->rused;
}

size_t
dr_tracker_npending(const struct dr_tracker *t)
{
	return t->pused;
}

const struct dr_tracker_stats *
dr_tracker_stats(const struct dr_tracker *t)
{
	return &t->stats;
}

const struct dr_tracker_conf *
dr_tracker_conf(const struct dr_tracker *t)
{
	return &t->conf;
}

void
dr_tracker_input(const struct dr_tracker *t, const struct dr_resolver *r,
    dr_time_t now, dr_time_t since, struct dr_detect_input *in)
{
	const struct dr_window_conf *wc = &t->conf.window;
	const struct dr_window	*w = r->win;
	uint32_t		 s[DR_W_NCOUNTERS], tot[DR_W_NCOUNTERS];
	dr_time_t		 nb;
	int			 c;

	memset(in, 0, sizeof(*in));
	nb = since > now - wc->bucket * (dr_time_t)wc->nbuckets ?
	    (now - since) / wc->bucket + 1 : (dr_time_t)wc->nbuckets;
	if (nb < (dr_time_t)wc->nbuckets)
		dr_window_recent(w, wc, now, (uint32_t)(nb < 1 ? 1 : nb), tot);
	else
		for (c = 0; c < DR_W_NCOUNTERS; c++)
			tot[c] = dr_window_total(w, (enum dr_wcounter)c);
	in->queries = tot[DR_W_QUERIES];
	in->retransmissions = tot[DR_W_RETRANS];
	in->outcomes = tot[DR_W_RESPONSES];
	for (c = 0; c < DR_FAIL_NCLASSES; c++) {
		in->fail[c] = tot[DR_W_FAIL_FIRST + c];
		in->outcomes += in->fail[c];
	}
	if (t->short_buckets > 0) {
		dr_window_recent(w, wc, now, t->short_buckets, s);
		in->s_outcomes = s[DR_W_RESPONSES];
		for (c = 0; c < DR_FAIL_NCLASSES; c++) {
			in->s_fail[c] = s[DR_W_FAIL_FIRST + c];
			in->s_outcomes += in->s_fail[c];
		}
	}
	in->run = r->run;
	/* A run ends after run_gap, also when no failure comes to end it. */
	if (in->run.failures > 0 && t->conf.run_gap > 0 &&
	    now - in->run.last_at > t->conf.run_gap) {
		memset(&in->run, 0, sizeof(in->run));
		in->run.successes = r->run.successes;
	}
	in->last_outcome = r->last_outcome;
	/* Counting clients costs: only when some failure may need them. */
	for (c = 0; c < DR_FAIL_NCLASSES; c++)
		if (in->fail[c] > 0 || in->s_fail[c] > 0)
			break;
	if (c < DR_FAIL_NCLASSES || r->run.failures > 0 || r->det.down) {
		in->failing_clients = clients_count(t, &r->failing);
		in->active_clients = clients_count(t, &r->active);
	}
}

void
dr_tracker_latency_input(const struct dr_tracker *t,
    const struct dr_resolver *r, dr_time_t over, struct dr_detect_input *in)
{
	uint64_t	bins[DR_LAT_NBINS];
	int		h;

	(void)t;
	in->over_halves[0] = in->over_halves[1] = 0;
	in->samples_halves[0] = in->samples_halves[1] = 0;
	in->p95 = 0;
	if ((in->samples = (uint64_t)r->lat.n[0] + r->lat.n[1]) == 0)
		return;
	/*
	 * With 5 % of the answers or fewer in bins that may be over the
	 * threshold, p95 is not over it: the common case costs nothing.
	 */
	if (over > 0 && !r->det.slow &&
	    ((uint64_t)r->lat.over[0] + r->lat.over[1]) * 20 <= in->samples)
		return;
	dr_latency_window_sum(&r->lat, bins);
	in->p95 = dr_latency_quantile(bins, 0.95, NULL);
	if (over <= 0 || in->p95 <= over)
		return;
	for (h = 0; h < 2; h++) {
		in->samples_halves[h] = r->lat.n[h];
		in->over_halves[h] = r->lat.over[h];
	}
}

dr_time_t
dr_tracker_latency(const struct dr_resolver *r, double q)
{
	uint64_t	bins[DR_LAT_NBINS];

	dr_latency_window_sum(&r->lat, bins);
	return dr_latency_quantile(bins, q, NULL);
}

int
dr_resolver_quiet(const struct dr_resolver *r)
{
	int	c;

	if (r->run.failures > 0 || r->det.down || r->det.flapping)
		return 0;
	for (c = DR_W_FAIL_FIRST; c <= DR_W_FAIL_LAST; c++)
		if (dr_window_total(r->win, (enum dr_wcounter)c) > 0)
			return 0;
	return 1;
}

dr_time_t
dr_tracker_first_failure(const struct dr_tracker *t,
    const struct dr_resolver *r)
{
	return dr_window_first(r->win, &t->conf.window, DR_W_FAIL_FIRST,
	    DR_W_FAIL_LAST);
}

const struct dr_addr *
dr_resolver_addr(const struct dr_resolver *r)
{
	return &r->addr;
}

const struct dr_resolver_counts *
dr_resolver_counts(const struct dr_resolver *r)
{
	return &r->n;
}

struct dr_detect_state *
dr_resolver_state(struct dr_resolver *r)
{
	return &r->det;
}

const struct dr_detect_state *
dr_resolver_cstate(const struct dr_resolver *r)
{
	return &r->det;
}

const struct dr_run *
dr_resolver_run(const struct dr_resolver *r)
{
	return &r->run;
}

const char *
dr_resolver_sample_qname(const struct dr_resolver *r)
{
	return r->sample_qname;
}

void
dr_resolver_note_alert(struct dr_resolver *r, int slow)
{
	if (slow)
		r->n.slow_alerts++;
	else
		r->n.alerts++;
}

void
dr_resolver_forget_sample(struct dr_resolver *r)
{
	r->sample_qname[0] = '\0';
}

const uint64_t *
dr_resolver_latency(const struct dr_resolver *r)
{
	return r->lat_life;
}

size_t
dr_resolver_icmp_senders(const struct dr_resolver *r,
    struct dr_icmp_sender *out, size_t max)
{
	struct dr_icmp_sender	all[DR_ICMP_SENDERS];
	size_t			n = 0, i, j;

	for (i = 0; i < DR_ICMP_SENDERS; i++) {
		if (r->senders[i].count == 0)
			continue;
		/* Insertion sort: most frequent first, four at most. */
		for (j = n; j > 0 && all[j - 1].count < r->senders[i].count;
		    j--)
			all[j] = all[j - 1];
		all[j] = r->senders[i];
		n++;
	}
	/* Sorted whole first: the top ones, not the first ones met. */
	if (n > max)
		n = max;
	for (i = 0; i < n; i++)
		out[i] = all[i];
	return n;
}

int
dr_icmp_hops(uint8_t ttl)
{
	/* The usual initial values: Linux/BSD, Windows, network gear. */
	if (ttl <= 64)
		return 64 - ttl;
	if (ttl <= 128)
		return 128 - ttl;
	return 255 - ttl;
}

uint32_t
dr_resolver_clients(const struct dr_resolver *r)
{
	double	zeros = CLIENT_BITS - r->failing.setu;

	if (r->failing.setu == 0)
		return 0;
	/* As lc_table(), for a reader with no tracker at hand. */
	return (uint32_t)lround(CLIENT_BITS * log(CLIENT_BITS /
	    (zeros < 1 ? 1 : zeros)));
}

uint64_t
dr_tracker_memory(const struct dr_tracker_conf *c)
{
	uint64_t	wsize, nr = c->max_resolvers, np = c->max_pending;

	/* What dr_tracker_new() allocates, to the byte. */
	wsize = (dr_window_size(&c->window) + 7) & ~(uint64_t)7;
	return sizeof(struct dr_tracker) +
	    nr * (sizeof(struct dr_resolver) + wsize + sizeof(uint32_t)) +
	    (uint64_t)pow2_at_least(c->max_resolvers) * sizeof(uint32_t) +
	    np * sizeof(struct pending) +
	    (uint64_t)pow2_at_least(c->max_pending) * 2 * sizeof(uint32_t) +
	    (uint64_t)c->nallow * sizeof(struct dr_prefix);
}
