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
#define CHAIN3_SCAN	64	/* entries looked at for an 8-byte quote */
#define CLIENT_BITS	512

enum pstate {
	P_FREE = 0,
	P_OUTSTANDING,
	P_TIMEDOUT
};

struct pending {
	struct dr_addr	client;
	uint8_t		state;
	uint8_t		transport;
	uint16_t	cport;
	uint16_t	id;
	uint32_t	resolver;	/* index into the resolver table */
	dr_time_t	ts;		/* when the query was seen */
	uint32_t	h4prev, h4next;	/* chain by client/port/resolver/id */
	uint32_t	h3prev, h3next;	/* chain by client/port/resolver */
	uint32_t	lprev, lnext;	/* age list, or free list (lnext) */
};

struct plist {
	uint32_t	head, tail;
};

struct dr_tracker {
	struct dr_tracker_conf	conf;
	struct dr_prefix	*allow;		/* our copy of conf.allow */
	uint32_t		seed;
	size_t			wsize;		/* bytes per window */
	struct dr_tracker_stats	stats;

	struct dr_resolver	*res;
	uint8_t			*wins;
	uint32_t		*rhash;
	uint32_t		rmask;
	uint32_t		rused, rhigh, rfree;
	uint32_t		lru_head, lru_tail;	/* head: most recent */

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
	    (c->nallow == 0 || c->allow != NULL);
}

static int
copy_allow(struct dr_tracker *t, const struct dr_tracker_conf *c)
{
	struct dr_prefix	*a = NULL;

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
	return 0;
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
	if (copy_allow(t, c) == -1) {
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
	t->pend = calloc(c->max_pending, sizeof(*t->pend));
	t->h4 = malloc(pbuckets * sizeof(*t->h4));
	t->h3 = malloc(pbuckets * sizeof(*t->h3));
	if (t->res == NULL || t->wins == NULL || t->rhash == NULL ||
	    t->pend == NULL || t->h4 == NULL || t->h3 == NULL) {
		dr_tracker_free(t);
		return NULL;
	}
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
	return copy_allow(t, c);
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

/* Least recently active resolver with no queries out and no alert up. */
static int
resolver_evict(struct dr_tracker *t)
{
	uint32_t	i, n;

	for (i = t->lru_tail, n = 0; i != NIL && n < LRU_SCAN;
	    i = t->res[i].lru_prev, n++) {
		if (t->res[i].npending == 0 && !t->res[i].det.failing) {
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
resolver_get(struct dr_tracker *t, const struct dr_addr *a, dr_time_t ts)
{
	struct dr_resolver	*r;
	uint32_t		 h, i;

	if ((i = resolver_lookup(t, a, &h)) != NIL) {
		if (t->lru_head != i) {
			lru_unlink(t, i);
			lru_push_front(t, i);
		}
		if (ts > t->res[i].last_active)
			t->res[i].last_active = ts;
		return i;
	}
	if (t->rused == t->conf.max_resolvers && resolver_evict(t) == -1) {
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
	r->last_active = ts;
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

/* ---- outstanding queries ---- */

static uint32_t
hash3(const struct dr_tracker *t, const struct dr_addr *client, uint16_t cport,
    uint32_t resolver)
{
	uint32_t	h = dr_addr_hash(client, t->seed);

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
	uint32_t	 h3;

	h3 = hash3(t, &p->client, p->cport, p->resolver);
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
book(struct dr_tracker *t, uint32_t ri, dr_time_t ts, enum dr_wcounter c,
    int32_t delta)
{
	dr_window_add(t->res[ri].win, &t->conf.window, ts, c, delta);
}

/* A query gets its outcome: take back its timeout if it had one. */
static void
pending_complete(struct dr_tracker *t, uint32_t i)
{
	struct pending	*p = &t->pend[i];

	if (p->state == P_TIMEDOUT) {
		t->res[p->resolver].n.timeouts--;
		book(t, p->resolver, p->ts, DR_W_TIMEOUTS, -1);
	}
	pending_remove(t, i);
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

static void
pending_add(struct dr_tracker *t, uint32_t ri, const struct dr_event *ev)
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
	p->id = ev->id;
	p->resolver = ri;
	p->ts = ev->ts;
	p->transport = (uint8_t)ev->transport;
	p->state = P_OUTSTANDING;
	h3 = hash3(t, &p->client, p->cport, ri);
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
}

static int
pending_is(const struct pending *p, const struct dr_event *ev, uint32_t ri)
{
	return p->resolver == ri && p->cport == ev->client_port &&
	    dr_addr_eq(&p->client, &ev->client);
}

/* The query this answer or error is about, or NIL. */
static uint32_t
pending_find(struct dr_tracker *t, uint32_t ri, const struct dr_event *ev,
    int with_id)
{
	uint32_t	h3, i, n, found = NIL;

	h3 = hash3(t, &ev->client, ev->client_port, ri);
	if (with_id) {
		for (i = t->h4[hash4(h3, ev->id) & t->pmask]; i != NIL;
		    i = t->pend[i].h4next)
			if (t->pend[i].id == ev->id && pending_is(&t->pend[i],
			    ev, ri))
				return i;
		return NIL;
	}
	/*
	 * Only the 8 UDP bytes were quoted: the oldest query on that port
	 * is the best guess.  New entries go to the chain's head, so the
	 * last match is the oldest.  Bounded: a client that reuses one
	 * port for many queries must not make this walk long.
	 */
	for (i = t->h3[h3 & t->pmask], n = 0; i != NIL && n < CHAIN3_SCAN;
	    i = t->pend[i].h3next, n++)
		if (pending_is(&t->pend[i], ev, ri))
			found = i;
	return found;
}

/* ---- outcomes ---- */

static void	rotate_clients(struct dr_tracker *, struct dr_resolver *,
		    dr_time_t);

static void
note_client(struct dr_tracker *t, struct dr_resolver *r,
    const struct dr_addr *client)
{
	uint32_t	bit = dr_addr_hash(client, t->seed ^ 0x5bd1e995u) %
	    CLIENT_BITS;

	/* Into the map of now, not of the last tick (or of epoch 0). */
	rotate_clients(t, r, t->now);
	r->clients[0][bit / 64] |= (uint64_t)1 << (bit % 64);
}

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

static enum dr_wcounter
unreach_class(const struct dr_event *ev)
{
	if (ev->icmp6) {
		switch (ev->icmp_code) {
		case 4:			/* port unreachable */
			return DR_W_UNREACH_PORT;
		case 1:			/* administratively prohibited */
		case 5:			/* source address failed policy */
		case 6:			/* reject route */
			return DR_W_UNREACH_ADMIN;
		case 0:			/* no route */
		case 2:			/* beyond scope of source */
		case 3:			/* address unreachable */
			return DR_W_UNREACH_HOST;
		default:
			return DR_W_UNREACH_OTHER;
		}
	}
	switch (ev->icmp_code) {
	case 3:				/* port unreachable */
		return DR_W_UNREACH_PORT;
	case 9:				/* net prohibited */
	case 10:			/* host prohibited */
	case 13:			/* communication prohibited */
		return DR_W_UNREACH_ADMIN;
	case 0: case 1:			/* net, host unreachable */
	case 5:				/* source route failed */
	case 6: case 7:			/* net, host unknown */
	case 8:				/* source host isolated */
	case 11: case 12:		/* net, host unreachable for TOS */
		return DR_W_UNREACH_HOST;
	default:			/* protocol, frag needed, ... */
		return DR_W_UNREACH_OTHER;
	}
}

static void
on_query(struct dr_tracker *t, uint32_t ri, const struct dr_event *ev)
{
	uint32_t	i;

	/*
	 * Over TCP the same query again is the same segment resent, not a
	 * new question (over UDP a resend is a query of its own).
	 */
	if (ev->transport == DR_TRANSPORT_TCP &&
	    (i = pending_find(t, ri, ev, 1)) != NIL &&
	    t->pend[i].transport == DR_TRANSPORT_TCP &&
	    t->pend[i].state == P_OUTSTANDING)
		return;
	t->res[ri].n.queries++;
	book(t, ri, ev->ts, DR_W_QUERIES, 1);
	pending_add(t, ri, ev);
}

static void
on_response(struct dr_tracker *t, uint32_t ri, const struct dr_event *ev)
{
	struct dr_resolver	*r = &t->res[ri];
	enum dr_rcode_class	 rc = dr_rcode_class(ev->rcode);
	dr_time_t		 qts = ev->ts;
	uint32_t		 i;
	int			 matched = 0;

	r->n.responses++;
	r->n.rcodes[rc]++;
	/* One answer settles every retransmission of the same query. */
	while ((i = pending_find(t, ri, ev, 1)) != NIL) {
		qts = t->pend[i].ts;
		book(t, ri, qts, DR_W_RESPONSES, 1);
		pending_complete(t, i);
		matched = 1;
	}
	if (!matched) {
		r->n.unmatched_responses++;
		book(t, ri, ev->ts, DR_W_RESPONSES, 1);
	}
	if (rc == DR_RC_SERVFAIL || rc == DR_RC_REFUSED)
		book(t, ri, qts, DR_W_SERVFAIL, 1);
}

static void
on_unreach(struct dr_tracker *t, uint32_t ri, const struct dr_event *ev)
{
	struct dr_resolver	*r = &t->res[ri];
	enum dr_wcounter	 c = unreach_class(ev);
	uint32_t		 i;

	r->n.unreachable++;
	r->n.unreach_by_code[ev->icmp_code < DR_ICMP_CODE_OTHER ?
	    ev->icmp_code : DR_ICMP_CODE_OTHER]++;
	i = pending_find(t, ri, ev, ev->has_dns);
	if (i != NIL) {
		book(t, ri, t->pend[i].ts, c, 1);
		pending_complete(t, i);
	} else {
		/*
		 * Anyone on the LAN can forge ICMP: an error about a query
		 * we never saw does not count against the resolver unless
		 * the operator says this gateway sees only one direction.
		 */
		r->n.unmatched++;
		book(t, ri, ev->ts, DR_W_UNMATCHED, 1);
		if (!t->conf.count_unmatched)
			return;
		book(t, ri, ev->ts, DR_W_QUERIES, 1);
		book(t, ri, ev->ts, c, 1);
	}
	note_client(t, r, &ev->client);
	note_qname(r, ev);
}

void
dr_tracker_event(struct dr_tracker *t, const struct dr_event *ev)
{
	uint32_t	ri;

	t->stats.events++;
	if (ev->kind == DR_EV_OTHER || ev->kind >= DR_EV_NKINDS)
		return;
	if (!allowed(t, &ev->resolver)) {
		t->stats.ignored++;
		return;
	}
	if (ev->ts > t->now)
		dr_tracker_expire(t, ev->ts);
	if ((ri = resolver_get(t, &ev->resolver, ev->ts)) == NIL)
		return;
	switch (ev->kind) {
	case DR_EV_QUERY:
		on_query(t, ri, ev);
		break;
	case DR_EV_RESPONSE:
		on_response(t, ri, ev);
		break;
	case DR_EV_UNREACH:
		on_unreach(t, ri, ev);
		break;
	case DR_EV_LATE_RESPONSE:
		t->res[ri].n.late++;
		book(t, ri, ev->ts, DR_W_LATE, 1);
		break;
	case DR_EV_TCP_RESET:
		/* A refused connection is a failed attempt of its own. */
		t->res[ri].n.tcp_resets++;
		book(t, ri, ev->ts, DR_W_QUERIES, 1);
		book(t, ri, ev->ts, DR_W_TCP_RESET, 1);
		note_client(t, &t->res[ri], &ev->client);
		break;
	default:
		break;
	}
}

/* ---- time ---- */

static void
rotate_clients(struct dr_tracker *t, struct dr_resolver *r, dr_time_t now)
{
	dr_time_t	span = t->conf.window.bucket *
	    (dr_time_t)t->conf.window.nbuckets;
	int64_t		epoch = now / span;

	/* Only forward: a time a little back must not wipe the maps. */
	if (epoch <= r->clients_epoch)
		return;
	if (epoch == r->clients_epoch + 1)
		memcpy(r->clients[1], r->clients[0], sizeof(r->clients[0]));
	else
		memset(r->clients[1], 0, sizeof(r->clients[1]));
	memset(r->clients[0], 0, sizeof(r->clients[0]));
	r->clients_epoch = epoch;
}

static void
expire_queries(struct dr_tracker *t, dr_time_t now)
{
	struct pending	*p;
	uint32_t	 i;

	while ((i = t->outstanding.head) != NIL) {
		p = &t->pend[i];
		if (now - p->ts < t->conf.query_timeout)
			break;
		/* Booked at query time, like every outcome. */
		t->res[p->resolver].n.timeouts++;
		book(t, p->resolver, p->ts, DR_W_TIMEOUTS, 1);
		note_client(t, &t->res[p->resolver], &p->client);
		plist_unlink(t, &t->outstanding, i);
		p->state = P_TIMEDOUT;
		t->res[p->resolver].ntimedout++;
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

/* Move every window and client map to now: once per tick. */
void
dr_tracker_advance(struct dr_tracker *t, dr_time_t now)
{
	uint32_t	i;

	dr_tracker_expire(t, now);
	for (i = 0; i < t->rhigh; i++) {
		if (t->res[i].addr.family == DR_AF_NONE)
			continue;
		dr_window_advance(t->res[i].win, &t->conf.window, now);
		rotate_clients(t, &t->res[i], now);
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

int
dr_tracker_import(struct dr_tracker *t, const struct dr_resolver *old,
    dr_time_t now)
{
	struct dr_resolver	*r;
	uint32_t		 ri;
	int			 c;

	if ((ri = resolver_get(t, &old->addr, old->last_active)) == NIL)
		return -1;
	r = &t->res[ri];
	r->n = old->n;
	/* Timed-out ones already have their outcome. */
	r->n.evicted += old->npending - old->ntimedout;
	r->det = old->det;
	r->first_failure = old->first_failure;
	memcpy(r->clients, old->clients, sizeof(r->clients));
	/* The old epoch counts spans of the old window: renumber. */
	r->clients_epoch = now / (t->conf.window.bucket *
	    (dr_time_t)t->conf.window.nbuckets);
	memcpy(r->sample_qname, old->sample_qname, sizeof(r->sample_qname));
	for (c = 0; c < DR_W_NCOUNTERS; c++) {
		uint32_t v = dr_window_total(old->win, (enum dr_wcounter)c);

		if (v > 0)
			book(t, ri, now, (enum dr_wcounter)c,
			    v > INT32_MAX ? INT32_MAX : (int32_t)v);
	}
	return 0;
}

void
dr_tracker_abandon(struct dr_tracker *t)
{
	uint32_t	i;

	while ((i = t->outstanding.head) != NIL) {
		t->res[t->pend[i].resolver].n.evicted++;
		pending_remove(t, i);
	}
}

/* ---- queries ---- */

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
dr_resolver_input(const struct dr_resolver *r, struct dr_detect_input *in)
{
	const struct dr_window	*w = r->win;

	memset(in, 0, sizeof(*in));
	in->queries = dr_window_total(w, DR_W_QUERIES);
	in->port = dr_window_total(w, DR_W_UNREACH_PORT);
	in->resets = dr_window_total(w, DR_W_TCP_RESET);
	in->admin = dr_window_total(w, DR_W_UNREACH_ADMIN);
	in->host = dr_window_total(w, DR_W_UNREACH_HOST);
	in->other = dr_window_total(w, DR_W_UNREACH_OTHER);
	in->timeouts = dr_window_total(w, DR_W_TIMEOUTS);
}

uint32_t
dr_resolver_clients(const struct dr_resolver *r)
{
	unsigned	set = 0, i;
	double		zeros;

	for (i = 0; i < 8; i++)
		set += (unsigned)__builtin_popcountll(r->clients[0][i] |
		    r->clients[1][i]);
	if (set == 0)
		return 0;
	/* Linear counting; a full map says "at least this many". */
	zeros = CLIENT_BITS - set;
	if (zeros < 1)
		zeros = 1;
	return (uint32_t)lround(CLIENT_BITS * log(CLIENT_BITS / zeros));
}
