/*
 * incident.c: journal entries paired into incidents; see incident.h for
 * the rules.
 *
 * The open table is a chained hash of keys with a least-recently-seen
 * list through it, both bounded; finished incidents move, strings and
 * all, into a growing array bounded by list_max.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "incident.h"

struct entry {
	struct dr_incident	 inc;
	struct entry		*hnext;		/* hash chain */
	struct entry		*older;		/* least recently seen first */
	struct entry		*newer;
	uint64_t		 writer;	/* who wrote the onset */
	uint32_t		 hash;
	int			 open;		/* not ended (yet) */
};

struct dr_incidents {
	struct entry		**buckets;
	size_t			  nbuckets;	/* a power of two */
	size_t			  nentries;
	size_t			  open_max;
	struct entry		 *oldest;
	struct entry		 *newest;
	struct dr_incident	 *list;
	size_t			  nlist;
	size_t			  list_alloc;
	size_t			  list_max;
	int			  finished;
	struct dr_inc_stats	  stats;
};

static const struct {
	const char		*msgid;
	const char		*name;
	enum dr_inc_kind	 kind;
} events[DR_INC_EV_N] = {
	[DR_INC_EV_FAILING] =
	    { DR_MSGID_FAILING, "failing", DR_INC_KIND_FAILING },
	[DR_INC_EV_RECOVERED] =
	    { DR_MSGID_RECOVERED, "recovered", DR_INC_KIND_FAILING },
	[DR_INC_EV_FLAPPING] =
	    { DR_MSGID_FLAPPING, "flapping", DR_INC_KIND_FAILING },
	[DR_INC_EV_UPDATED] =
	    { DR_MSGID_UPDATED, "updated", DR_INC_KIND_FAILING },
	[DR_INC_EV_SLOW] =
	    { DR_MSGID_SLOW, "slow", DR_INC_KIND_SLOW },
	[DR_INC_EV_SLOW_RECOVERED] =
	    { DR_MSGID_SLOW_RECOVERED, "slow-recovered", DR_INC_KIND_SLOW },
};

int
dr_inc_event_from_msgid(const char *id)
{
	int	i;

	if (id == NULL)
		return -1;
	for (i = 0; i < DR_INC_EV_N; i++)
		if (strcmp(id, events[i].msgid) == 0)
			return i;
	return -1;
}

const char *
dr_inc_event_msgid(enum dr_inc_event ev)
{
	return (unsigned)ev < DR_INC_EV_N ? events[ev].msgid : "";
}

const char *
dr_inc_event_name(enum dr_inc_event ev)
{
	return (unsigned)ev < DR_INC_EV_N ? events[ev].name : "?";
}

const char *
dr_inc_kind_name(enum dr_inc_kind k)
{
	return k == DR_INC_KIND_SLOW ? "slow" : "failing";
}

const char *
dr_inc_status_name(enum dr_inc_status st)
{
	switch (st) {
	case DR_INC_ST_ENDED:
		return "ended";
	case DR_INC_ST_ONGOING:
		return "ongoing";
	case DR_INC_ST_NO_END:
		return "no-end";
	}
	return "?";
}

/* ---- times ---- */

static int
digits(const char **sp, int n, int *out)
{
	const char	*s = *sp;
	int		 v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*sp = s + n;
	*out = v;
	return 0;
}

static int
expect(const char **sp, char c)
{
	if (**sp != c)
		return -1;
	(*sp)++;
	return 0;
}

int
dr_inc_parse_iso(const char *s, int64_t *out)
{
	struct tm	tm;
	time_t		t;
	int		y, mo, d, h, mi, sec, n;
	int64_t		frac = 0, scale = 1000000;

	if (s == NULL)
		return -EINVAL;
	if (digits(&s, 4, &y) || expect(&s, '-') || digits(&s, 2, &mo) ||
	    expect(&s, '-') || digits(&s, 2, &d) || expect(&s, 'T') ||
	    digits(&s, 2, &h) || expect(&s, ':') || digits(&s, 2, &mi) ||
	    expect(&s, ':') || digits(&s, 2, &sec))
		return -EINVAL;
	if (*s == '.') {
		s++;
		for (n = 0; *s >= '0' && *s <= '9'; s++, n++) {
			if (n == 6)
				return -EINVAL;
			scale /= 10;
			frac += (*s - '0') * scale;
		}
		if (n == 0)
			return -EINVAL;
	}
	if (expect(&s, 'Z') || *s != '\0')
		return -EINVAL;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    sec > 60)
		return -EINVAL;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	t = timegm(&tm);
	/* timegm() normalises 2026-02-31: refuse what it had to move. */
	if (tm.tm_mday != d || tm.tm_mon != mo - 1)
		return -EINVAL;
	*out = (int64_t)t * 1000000 + frac;
	return 0;
}

void
dr_inc_format_iso(int64_t us, char *buf, size_t len)
{
	struct tm	tm;
	time_t		t;
	size_t		n;
	int64_t		rem;

	if (len == 0)
		return;
	if (us == DR_INC_TIME_NONE) {
		snprintf(buf, len, "?");
		return;
	}
	rem = us % 1000000;
	if (rem < 0)
		rem += 1000000;
	t = (time_t)((us - rem) / 1000000);
	if (gmtime_r(&t, &tm) == NULL ||
	    (n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm)) == 0) {
		snprintf(buf, len, "?");
		return;
	}
	snprintf(buf + n, len - n, ".%03dZ", (int)(rem / 1000));
}

/* ---- the table ---- */

struct dr_incidents *
dr_incidents_new(size_t open_max, size_t list_max)
{
	struct dr_incidents	*s;
	size_t			 nb = 64;

	if (open_max == 0 || list_max == 0)
		return NULL;
	while (nb < open_max && nb < ((size_t)1 << 20))
		nb <<= 1;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	if ((s->buckets = calloc(nb, sizeof(*s->buckets))) == NULL) {
		free(s);
		return NULL;
	}
	s->nbuckets = nb;
	s->open_max = open_max;
	s->list_max = list_max;
	return s;
}

static void
incident_clear(struct dr_incident *inc)
{
	free(inc->host);
	free(inc->iface);
	free(inc->resolver);
	free(inc->qname);
	inc->host = inc->iface = inc->resolver = inc->qname = NULL;
}

void
dr_incidents_free(struct dr_incidents *s)
{
	struct entry	*e, *next;
	size_t		 i;

	if (s == NULL)
		return;
	for (e = s->oldest; e != NULL; e = next) {
		next = e->newer;
		incident_clear(&e->inc);
		free(e);
	}
	for (i = 0; i < s->nlist; i++)
		incident_clear(&s->list[i]);
	free(s->list);
	free(s->buckets);
	free(s);
}

static uint32_t
fnv(uint32_t h, const char *p)
{
	do {
		h ^= (unsigned char)*p;
		h *= 16777619u;
	} while (*p++ != '\0');
	return h;
}

static uint32_t
key_hash(const char *host, const char *iface, const char *res,
    enum dr_inc_kind k)
{
	uint32_t	h = 2166136261u;

	h = fnv(h, host);
	h = fnv(h, iface);
	h = fnv(h, res);
	h ^= (uint32_t)k;
	h *= 16777619u;
	return h;
}

static struct entry *
lookup(struct dr_incidents *s, uint32_t h, const char *host,
    const char *iface, const char *res, enum dr_inc_kind k)
{
	struct entry	*e;

	for (e = s->buckets[h & (s->nbuckets - 1)]; e != NULL; e = e->hnext)
		if (e->hash == h && e->inc.kind == k &&
		    strcmp(e->inc.resolver, res) == 0 &&
		    strcmp(e->inc.iface, iface) == 0 &&
		    strcmp(e->inc.host, host) == 0)
			return e;
	return NULL;
}

static void
lru_unlink(struct dr_incidents *s, struct entry *e)
{
	if (e->older != NULL)
		e->older->newer = e->newer;
	else
		s->oldest = e->newer;
	if (e->newer != NULL)
		e->newer->older = e->older;
	else
		s->newest = e->older;
	e->older = e->newer = NULL;
}

static void
lru_append(struct dr_incidents *s, struct entry *e)
{
	e->older = s->newest;
	e->newer = NULL;
	if (s->newest != NULL)
		s->newest->newer = e;
	else
		s->oldest = e;
	s->newest = e;
}

/* Move an incident into the list, or count it when the list is full. */
static int
list_add(struct dr_incidents *s, struct dr_incident *inc)
{
	struct dr_incident	*v;
	size_t			 n;

	s->stats.incidents++;
	if (s->nlist == s->list_max) {
		s->stats.unlisted++;
		incident_clear(inc);
		return 0;
	}
	if (s->nlist == s->list_alloc) {
		n = s->list_alloc == 0 ? 64 : s->list_alloc * 2;
		if (n > s->list_max)
			n = s->list_max;
		if ((v = reallocarray(s->list, n, sizeof(*v))) == NULL) {
			incident_clear(inc);
			return -ENOMEM;
		}
		s->list = v;
		s->list_alloc = n;
	}
	s->list[s->nlist++] = *inc;
	memset(inc, 0, sizeof(*inc));
	return 0;
}

/*
 * Take an entry out of the table and list its incident; one still open
 * gets the status given (no-end, or ongoing at the end of the range).
 */
static int
retire(struct dr_incidents *s, struct entry *e, enum dr_inc_status open_st)
{
	struct entry	**pp;
	int		  r;

	for (pp = &s->buckets[e->hash & (s->nbuckets - 1)]; *pp != e;
	    pp = &(*pp)->hnext)
		;
	*pp = e->hnext;
	lru_unlink(s, e);
	s->nentries--;
	if (e->open)
		e->inc.status = open_st;
	r = list_add(s, &e->inc);
	free(e);
	return r;
}

static int
set_str(char **dst, const char *src)
{
	if ((*dst = strdup(src != NULL ? src : "")) == NULL)
		return -ENOMEM;
	return 0;
}

/* The cause, unless the entry has none ("none" is no failure at all). */
static void
set_cause(struct dr_incident *inc, const char *cause)
{
	if (cause != NULL && *cause != '\0' && strcmp(cause, "none") != 0)
		snprintf(inc->cause, sizeof(inc->cause), "%s", cause);
}

static int
is_end(enum dr_inc_event ev)
{
	return ev == DR_INC_EV_RECOVERED || ev == DR_INC_EV_SLOW_RECOVERED;
}

/* What one more entry tells about an incident. */
static int
note(struct dr_incidents *s, struct entry *e, const struct dr_inc_record *r)
{
	struct dr_incident	*inc = &e->inc;

	inc->entries++;
	if (r->realtime > inc->last_seen)
		inc->last_seen = r->realtime;
	if (r->event_time != DR_INC_TIME_NONE &&
	    (inc->last_event == DR_INC_TIME_NONE ||
	    r->event_time > inc->last_event))
		inc->last_event = r->event_time;
	if (!is_end(r->event)) {
		if (r->rate >= 0 && r->rate > inc->peak_rate)
			inc->peak_rate = r->rate;
		if (r->p95_ms >= 0 && r->p95_ms > inc->peak_p95_ms)
			inc->peak_p95_ms = r->p95_ms;
		if (r->clients >= 0 && r->clients > inc->clients)
			inc->clients = r->clients;
		if (inc->qname[0] == '\0' && r->qname != NULL &&
		    r->qname[0] != '\0') {
			char	*q;

			if ((q = strdup(r->qname)) == NULL)
				return -ENOMEM;
			free(inc->qname);
			inc->qname = q;
		}
	}
	lru_unlink(s, e);
	lru_append(s, e);
	return 0;
}

static int64_t
onset_time(const struct dr_inc_record *r)
{
	if (r->first_failure != DR_INC_TIME_NONE)
		return r->first_failure;
	if (r->event_time != DR_INC_TIME_NONE)
		return r->event_time;
	return r->realtime;
}

static int64_t
end_time(const struct dr_inc_record *r)
{
	return r->event_time != DR_INC_TIME_NONE ? r->event_time :
	    r->realtime;
}

/* A new open incident for the record's key, in the table. */
static int
open_new(struct dr_incidents *s, const struct dr_inc_record *r,
    uint32_t h, enum dr_inc_kind kind, struct entry **ep)
{
	struct entry	*e;
	int		 err;

	if (s->nentries >= s->open_max) {
		if (s->oldest->open)
			s->stats.evicted++;
		if ((err = retire(s, s->oldest, DR_INC_ST_NO_END)) < 0)
			return err;
	}
	if ((e = calloc(1, sizeof(*e))) == NULL)
		return -ENOMEM;
	if (set_str(&e->inc.host, r->host) < 0 ||
	    set_str(&e->inc.iface, r->iface) < 0 ||
	    set_str(&e->inc.resolver, r->resolver) < 0 ||
	    set_str(&e->inc.qname, NULL) < 0) {
		incident_clear(&e->inc);
		free(e);
		return -ENOMEM;
	}
	e->inc.kind = kind;
	e->inc.status = DR_INC_ST_ONGOING;
	e->inc.start = onset_time(r);
	e->inc.end = DR_INC_TIME_NONE;
	e->inc.last_event = DR_INC_TIME_NONE;
	e->inc.first_seen = e->inc.last_seen = r->realtime;
	e->inc.peak_rate = -1;
	e->inc.peak_p95_ms = -1;
	e->inc.clients = -1;
	if (!is_end(r->event))
		set_cause(&e->inc, r->cause);
	e->writer = r->writer;
	e->hash = h;
	e->open = 1;
	e->hnext = s->buckets[h & (s->nbuckets - 1)];
	s->buckets[h & (s->nbuckets - 1)] = e;
	lru_append(s, e);
	s->nentries++;
	*ep = e;
	return 0;
}

static void
end_incident(struct entry *e, const struct dr_inc_record *r)
{
	e->open = 0;
	e->inc.status = DR_INC_ST_ENDED;
	e->inc.end = end_time(r);
}

int
dr_incidents_add(struct dr_incidents *s, const struct dr_inc_record *r)
{
	const char		*host, *iface, *res;
	enum dr_inc_kind	 kind;
	struct entry		*e;
	uint32_t		 h;
	int			 err, onset;

	if (s->finished || (unsigned)r->event >= DR_INC_EV_N)
		return -EINVAL;
	s->stats.records++;
	host = r->host != NULL ? r->host : "";
	iface = r->iface != NULL ? r->iface : "";
	res = r->resolver != NULL ? r->resolver : "";
	kind = events[r->event].kind;
	h = key_hash(host, iface, res, kind);
	e = lookup(s, h, host, iface, res, kind);
	onset = (r->event == DR_INC_EV_FAILING ||
	    r->event == DR_INC_EV_SLOW) && !r->reminder;

	switch (r->event) {
	case DR_INC_EV_FAILING:
	case DR_INC_EV_SLOW:
		if (e != NULL && e->open && onset && r->writer != 0 &&
		    e->writer != 0 && r->writer != e->writer) {
			/* The daemon restarted; the old one has no end. */
			s->stats.restarts++;
			if ((err = retire(s, e, DR_INC_ST_NO_END)) < 0)
				return err;
			e = NULL;
		} else if (e != NULL && e->open && onset) {
			s->stats.duplicates++;
			return 0;
		} else if (e != NULL && !e->open &&
		    ((onset && onset_time(r) == e->inc.start) ||
		    (!onset && r->event_time != DR_INC_TIME_NONE &&
		    r->event_time <= e->inc.end))) {
			/* A repeat of news about an incident that ended. */
			s->stats.duplicates++;
			return 0;
		} else if (e != NULL && !e->open) {
			if ((err = retire(s, e, DR_INC_ST_NO_END)) < 0)
				return err;
			e = NULL;
		}
		if (e == NULL) {
			if ((err = open_new(s, r, h, kind, &e)) < 0)
				return err;
			e->inc.partial = !onset;
		}
		if (r->reminder)
			e->inc.reminders++;
		return note(s, e, r);

	case DR_INC_EV_FLAPPING:
		if (e == NULL) {
			if ((err = open_new(s, r, h, kind, &e)) < 0)
				return err;
			e->inc.partial = 1;
		} else if (!e->open) {
			/* Failed again soon after: the same incident. */
			e->open = 1;
			e->inc.status = DR_INC_ST_ONGOING;
			e->inc.end = DR_INC_TIME_NONE;
		}
		e->inc.flaps++;
		set_cause(&e->inc, r->cause);
		return note(s, e, r);

	case DR_INC_EV_UPDATED:
		if (e != NULL && !e->open) {
			if ((err = retire(s, e, DR_INC_ST_NO_END)) < 0)
				return err;
			e = NULL;
		}
		if (e == NULL) {
			if ((err = open_new(s, r, h, kind, &e)) < 0)
				return err;
			e->inc.partial = 1;
		}
		e->inc.updates++;
		set_cause(&e->inc, r->cause);
		return note(s, e, r);

	case DR_INC_EV_RECOVERED:
	case DR_INC_EV_SLOW_RECOVERED:
		if (e != NULL && !e->open) {
			s->stats.duplicates++;
			return 0;
		}
		if (e == NULL) {
			/* The end of an incident whose onset was not read. */
			if ((err = open_new(s, r, h, kind, &e)) < 0)
				return err;
			e->inc.partial = 1;
			e->inc.start = r->first_failure;
		}
		end_incident(e, r);
		return note(s, e, r);

	case DR_INC_EV_N:
		break;
	}
	return -EINVAL;
}

static int64_t
sort_time(const struct dr_incident *inc)
{
	if (inc->start != DR_INC_TIME_NONE)
		return inc->start;
	if (inc->end != DR_INC_TIME_NONE)
		return inc->end;
	if (inc->last_event != DR_INC_TIME_NONE)
		return inc->last_event;
	return inc->first_seen;
}

static int
cmp_incident(const void *a, const void *b)
{
	const struct dr_incident	*x = a, *y = b;
	int64_t				 tx = sort_time(x), ty = sort_time(y);
	int				 c;

	if (tx != ty)
		return tx < ty ? -1 : 1;
	if ((c = strcmp(x->host, y->host)) != 0 ||
	    (c = strcmp(x->iface, y->iface)) != 0 ||
	    (c = strcmp(x->resolver, y->resolver)) != 0)
		return c;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->first_seen != y->first_seen)
		return x->first_seen < y->first_seen ? -1 : 1;
	return 0;
}

int
dr_incidents_finish(struct dr_incidents *s)
{
	int	err = 0, r;

	if (s->finished)
		return 0;
	s->finished = 1;
	/* Oldest first, so a full list keeps the earliest. */
	while (s->oldest != NULL)
		if ((r = retire(s, s->oldest, DR_INC_ST_ONGOING)) < 0 &&
		    err == 0)
			err = r;
	if (s->nlist > 1)
		qsort(s->list, s->nlist, sizeof(*s->list), cmp_incident);
	return err;
}

size_t
dr_incidents_count(const struct dr_incidents *s)
{
	return s->finished ? s->nlist : 0;
}

const struct dr_incident *
dr_incidents_get(const struct dr_incidents *s, size_t i)
{
	return s->finished && i < s->nlist ? &s->list[i] : NULL;
}

const struct dr_inc_stats *
dr_incidents_stats(const struct dr_incidents *s)
{
	return &s->stats;
}
