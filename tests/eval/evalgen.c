/*
 * evalgen: write the captures of the detection-quality suite, each with
 * its truth: what happened, when, and which alerts a good detector must
 * (and must not) raise.  See docs/detection.md.
 *
 *   evalgen -l
 *   evalgen [-n] [-s SEED] [-c CLIENTS] [-r QPS] -o DIR [SCENARIO...]
 *
 * -l lists the scenarios.  Otherwise each scenario named (all of them
 * when none is) is written to DIR/NAME.pcap (Ethernet; DIR/NAME.pcapng
 * too with -n, or only that for a scenario that asks for pcapng) and its
 * truth to DIR/NAME.truth.json.  -c and -r change the default number of
 * clients (40) and queries per second (20) of scenarios that use the
 * defaults; -s the seed.  Same arguments, same bytes.
 *
 * The traffic is what a gateway sees of a LAN's stub resolvers: clients
 * of unequal appetite (a few busy, most quiet) look names up at random
 * (Poisson) times, or at jittered regular times for the quiet resolvers;
 * most lookups are glibc's A and AAAA pair from one socket, some a
 * browser's A, AAAA and HTTPS from three, some PTR, MX, TXT or SRV.
 * Ports and ids are random, popular names come back often, a few names
 * do not exist (NXDOMAIN) and a few fail (SERVFAIL) even on a healthy
 * resolver.  Answers come after a round trip of a few ms, tens to
 * hundreds of ms on a cache miss, now and then over a second.  ICMP
 * errors are rate limited per client as Linux does (a burst of 6, then
 * one per second; IPv6 four per second), and "host unreachable" comes
 * when the router's neighbour resolution gives up, 3 s after the first
 * packet it queued, for every packet queued meanwhile.
 *
 * Each fault (one function per kind below) applies to a resolver from
 * its onset to its end, to all queries or a random share of them, to all
 * clients or one, steadily or flapping; faults are in the scenario table
 * at the end, with the alerts expected and their deadlines.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util_pkt.h"

#define EVALGEN_VERSION	"dnsreach-evalgen 1"
#define T0		1767225600LL		/* 2026-01-01T00:00:00Z */
#define USEC		1000000LL
#define MS		1000LL
#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

#define MAXRES		4
#define MAXFAULT	4
#define MAXNOISE	2
#define MAXEXPECT	6
#define MAXALLOW	2
#define MAXCLI		240		/* clients of one scenario */
#define CLI_EXTRA	(MAXCLI - 1)	/* a noisy client */
#define NNAMES		600		/* popular names */

/* Who sends an ICMP error. */
enum sender {
	FROM_RESOLVER = 0,
	FROM_ROUTER
};

enum fault_kind {
	F_END = 0,
	F_ICMP,		/* ICMP destination unreachable, code, from */
	F_DROP,		/* no answer, no ICMP */
	F_RCODE,	/* answered with rcode code */
	F_SLOW,		/* answered delay seconds late */
	F_GONE,		/* answered late to a client gone: its ICMP */
	F_QUIET		/* the clients ask nothing at all */
};

struct fault {
	enum fault_kind	 kind;
	int		 res;		/* resolver index */
	double		 onset, end;	/* s from the start; end 0: none */
	double		 share;		/* of queries hit; 0: all */
	int		 code;		/* ICMP code or rcode */
	enum sender	 from;
	int		 arp;		/* ICMP when ARP/NDP gives up */
	int		 client;	/* only client index + 1; 0: all */
	double		 down, up;	/* flapping, s; 0: steady */
	double		 delay;		/* s late (F_SLOW, F_GONE) */
};

enum noise_kind {
	N_END = 0,
	N_FORGED,	/* ICMP port unreachable quoting queries never sent */
	N_NXSTORM,	/* one client asks random names: NXDOMAIN */
	N_BROKEN	/* a broken domain: SERVFAIL, asked by many */
};

struct noise {
	enum noise_kind	 kind;
	int		 res;
	double		 onset, end;	/* end 0: to the end */
	double		 rate;		/* per second */
};

enum arrivals {
	ARR_POISSON = 0,
	ARR_JITTER		/* regular, +-33% */
};

struct rspec {
	const char	*addr;		/* NULL ends the list */
	double		 qps;		/* 0: the default (20) */
	int		 clients;	/* 0: the default (40) */
	int		 first;		/* its first client */
	double		 rtt;		/* round trip, ms; 0: 8 */
	enum arrivals	 arrivals;
	int		 failover;	/* then ask resolver index + 1 */
};

/* An alert the detector must raise. */
struct expect {
	const char	*what;		/* "detect", "clear"; NULL ends */
	const char	*events;	/* "failing", "failing|flapping" */
	int		 res;
	const char	*cause;		/* final cause, or NULL */
	double		 at;		/* s from the start */
	double		 deadline;	/* s after at; 0: by the end */
};

/*
 * Alerts tolerated in a span, up to max of them (the expected ones
 * count too).
 */
struct allow {
	const char	*events;	/* NULL ends */
	int		 res;
	double		 from, to;
	int		 max;
};

struct gen;

struct scenario {
	const char	*name;
	const char	*summary;
	const char	*note;		/* why the truth is so */
	double		 duration;	/* s of traffic */
	int		 nvlan;		/* 802.1Q tags */
	int		 dlt;		/* link type; 0: Ethernet */
	unsigned	 snaplen;	/* 0: whole packets */
	int		 any;		/* tcpdump -i any on the gateway */
	int		 jitter;	/* us, timestamps not monotonic */
	int		 nat;		/* clients behind one address */
	int		 pcapng;	/* written as pcapng only */
	unsigned	 retx;		/* resends of a lost query */
	double		 retx_gap;	/* s between them */
	int		 counts;	/* check query counts exactly */
	void		(*script)(struct gen *); /* not traffic */
	struct rspec	 res[MAXRES];
	struct fault	 fault[MAXFAULT];
	struct noise	 noise[MAXNOISE];
	struct expect	 expect[MAXEXPECT];
	struct allow	 allow[MAXALLOW];
};

/* Per resolver, what was sent: the truth's counts. */
struct rstate {
	struct dr_addr	 addr;
	int		 v6;
	int		 nres;		/* its index */
	double		 qps;
	int		 nclients, first;
	double		 rtt;		/* ms */
	int		 hops;
	unsigned long	 queries, retx, responses, unreach, unmatched;
	unsigned long	 timeouts, rcodes[16];
	int64_t		 next;		/* next lookup, us */
	double		*cum;		/* client weights, summed */
};

/* A source of packets other than lookups. */
struct nstate {
	const struct noise	*n;
	int64_t			 next;
};

struct pkt {
	int64_t		t;		/* us from the start */
	uint32_t	seq;
	uint32_t	len;
	size_t		off;		/* in the arena */
	int		copy;		/* the forwarded copy (-i any) */
};

struct gen {
	const struct scenario	*sc;
	uint64_t		 rng;
	uint64_t		 wrng;		/* timestamp jitter */
	double			 def_qps;
	int			 def_clients;
	struct rstate		 res[MAXRES];
	int			 nres;
	struct nstate		 noise[MAXNOISE];
	int			 nnoise;
	int64_t			 arp_end[MAXFAULT]; /* ARP gives up */
	double			 tokens[MAXRES + 1][MAXCLI]; /* ICMP */
	int64_t			 tlast[MAXRES + 1][MAXCLI];
	struct dr_addr		 router4, router6;
	struct pkt		*pkts;
	size_t			 npkts, cappkts;
	uint8_t			*arena;
	size_t			 used, caparena;
	int64_t			 last;		/* latest packet */
};

/* One DNS question on the wire, as a client sent it. */
struct query {
	int		res;
	int		cli;
	uint16_t	port;
	uint16_t	id;
	uint16_t	qtype;
	uint8_t		rcode;		/* a healthy resolver's answer */
	int		edns;
	int64_t		t;
	char		name[160];
};

/* ---- randomness: xorshift64*, seeded per scenario ---- */

static uint64_t
rnd64(struct gen *g)
{
	g->rng ^= g->rng >> 12;
	g->rng ^= g->rng << 25;
	g->rng ^= g->rng >> 27;
	return g->rng * 0x2545f4914f6cdd1dULL;
}

/* Uniform in [0, n). */
static uint32_t
rnd(struct gen *g, uint32_t n)
{
	return (uint32_t)(((rnd64(g) >> 32) * (uint64_t)n) >> 32);
}

/* Uniform in [0, 1). */
static double
unif(struct gen *g)
{
	return (double)(rnd64(g) >> 11) / 9007199254740992.0;
}

static double
expo(struct gen *g, double mean)
{
	return -mean * log(1.0 - unif(g));
}

static double
loguniform(struct gen *g, double lo, double hi)
{
	return lo * exp(unif(g) * log(hi / lo));
}

/* A client port: Linux's ephemeral range. */
static uint16_t
new_port(struct gen *g)
{
	return (uint16_t)(32768 + rnd(g, 28232));
}

static int64_t
us_of(double s)
{
	return (int64_t)llround(s * (double)USEC);
}

/* ---- names ---- */

static const char *const subs[] = {
	"www", "mail", "api", "cdn", "static", "img", "login", "auth", "m",
	"app", "news", "shop", "blog", "docs", "video", "ads", "track",
	"update", "push", "chat", "assets", "media", "files", "dl", "imap",
	"vpn", "portal", "status", "metrics", "edge", "ws", "download",
	"support", "store", "accounts", "telemetry", "sync", "fonts", "play"
};
static const char *const doms[] = {
	"example", "acme", "contoso", "fabrikam", "northwind", "globex",
	"initech", "umbrella", "hooli", "piedpiper", "vandelay", "tyrell",
	"cyberdyne", "wonka", "soylent", "aperture", "blackmesa", "oscorp",
	"gringotts", "monarch", "massive", "prestige", "bluth", "sterling",
	"kramerica", "weyland", "yoyodyne", "stark", "wayne", "nakatomi",
	"octan", "virtucon", "duff", "krusty", "momcorp", "rekall", "omni",
	"delos", "encom", "dharma", "abstergo", "ingen", "spacely",
	"cogswell", "rossum", "buynlarge", "gekko", "tessier-ashpool"
};
static const char *const tlds[] = {
	"com", "com", "com", "com", "net", "net", "org", "de", "io", "co.uk",
	"fr", "nl", "jp", "dev", "app", "info", "eu", "ch", "se", "it"
};

static double	name_cum[NNAMES];

/*
 * Popular name k (Zipf): the same k is always the same name.  One name
 * in 30 does not exist (a typo or a retired host), one in 200 fails to
 * resolve (broken delegation or DNSSEC): those answers are NXDOMAIN and
 * SERVFAIL even from a healthy resolver.
 */
static uint8_t
popular_name(uint32_t k, char *out, size_t cap)
{
	uint64_t	s = (uint64_t)k * 0x9e3779b97f4a7c15ULL + 7;
	struct gen	h;

	memset(&h, 0, sizeof(h));
	h.rng = s;
	if (rnd(&h, 3) == 0)
		snprintf(out, cap, "%s.%s", doms[rnd(&h, NELEM(doms))],
		    tlds[rnd(&h, NELEM(tlds))]);
	else
		snprintf(out, cap, "%s.%s.%s", subs[rnd(&h, NELEM(subs))],
		    doms[rnd(&h, NELEM(doms))], tlds[rnd(&h, NELEM(tlds))]);
	if (k % 30 == 29)
		return 3;		/* NXDOMAIN */
	if (k % 200 == 101)
		return 2;		/* SERVFAIL */
	return 0;
}

static void
names_init(void)
{
	double	w = 0;
	int	k;

	for (k = 0; k < NNAMES; k++) {
		w += 1.0 / (1.0 + k);
		name_cum[k] = w;
	}
}

static uint32_t
pick_cum(struct gen *g, const double *cum, uint32_t n)
{
	double		x = unif(g) * cum[n - 1];
	uint32_t	lo = 0, hi = n - 1, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (cum[mid] > x)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* A name from the popular set, or now and then a rare one. */
static uint8_t
pick_name(struct gen *g, char *out, size_t cap)
{
	if (rnd(g, 10) == 0) {
		snprintf(out, cap, "%s%u.%s.%s", subs[rnd(g, NELEM(subs))],
		    rnd(g, 1000), doms[rnd(g, NELEM(doms))],
		    tlds[rnd(g, NELEM(tlds))]);
		return 0;
	}
	return popular_name(pick_cum(g, name_cum, NNAMES), out, cap);
}

/* ---- addresses ---- */

static void
client_addr(const struct gen *g, int v6, int cli, struct dr_addr *a)
{
	char	text[64];

	if (g->sc->nat && cli != CLI_EXTRA)
		snprintf(text, sizeof(text), v6 ? "2001:db8:1::fe" :
		    "198.51.100.250");
	else if (v6)
		snprintf(text, sizeof(text), "2001:db8:1::%x", 0x10 + cli);
	else if (cli < 200)
		snprintf(text, sizeof(text), "192.0.2.%d", 10 + cli);
	else
		snprintf(text, sizeof(text), "198.51.100.%d", 10 + cli - 200);
	*a = pkt_addr(text);
}

/* Windows clients start at TTL 128, the others at 64. */
static uint8_t
client_ttl(int cli)
{
	return cli % 4 == 3 ? 128 : 64;
}

static const struct dr_addr *
router_of(const struct gen *g, const struct rstate *r)
{
	return r->v6 ? &g->router6 : &g->router4;
}

/* ---- output: every packet is kept, then sorted and written ---- */

static void
store(struct gen *g, int64_t t, const uint8_t *ip, size_t len, int copy)
{
	struct pkt	*p;

	if (g->npkts == g->cappkts) {
		g->cappkts = g->cappkts ? g->cappkts * 2 : 65536;
		g->pkts = realloc(g->pkts, g->cappkts * sizeof(*g->pkts));
	}
	while (g->used + len > g->caparena) {
		g->caparena = g->caparena ? g->caparena * 2 : 1 << 22;
		g->arena = realloc(g->arena, g->caparena);
	}
	if (g->pkts == NULL || g->arena == NULL) {
		fprintf(stderr, "evalgen: out of memory\n");
		exit(1);
	}
	p = &g->pkts[g->npkts];
	p->t = t;
	p->seq = (uint32_t)g->npkts++;
	p->len = (uint32_t)len;
	p->off = g->used;
	p->copy = copy;
	memcpy(g->arena + g->used, ip, len);
	g->used += len;
	if (t > g->last)
		g->last = t;
}

/*
 * Keep the IP packet ip, sent with ttl at t.  Captured on "any", a
 * gateway sees it twice: coming in on one side and, 20 to 60 us later
 * and one hop older, going out on the other.
 */
static void
put(struct gen *g, int64_t t, uint8_t ttl, uint8_t *ip, size_t len)
{
	if (len == 0) {
		fprintf(stderr, "evalgen: a packet builder failed\n");
		exit(1);
	}
	pkt_set_ttl(ip, len, ttl);
	store(g, t, ip, len, 0);
	if (!g->sc->any)
		return;
	pkt_set_ttl(ip, len, (uint8_t)(ttl - 1));
	store(g, t + 20 + (int64_t)rnd(g, 40), ip, len, 1);
}

static int
pkt_cmp(const void *x, const void *y)
{
	const struct pkt	*a = x, *b = y;

	if (a->t != b->t)
		return a->t < b->t ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static void
wr32(FILE *f, uint32_t v)
{
	fwrite(&v, 4, 1, f);
}

static void
wr16(FILE *f, uint16_t v)
{
	fwrite(&v, 2, 1, f);
}

static int
write_capture(struct gen *g, const char *path, int pcapng)
{
	static uint8_t	 frame[PKT_MAX];
	static char	 iobuf[1 << 20];
	FILE		*f;
	size_t		 i, n, pad, caplen;
	uint64_t	 ts;
	uint32_t	 zero = 0, snaplen;
	int		 dlt = g->sc->dlt ? g->sc->dlt : 1;
	uint64_t	 wrng = g->wrng;

	snaplen = g->sc->snaplen ? g->sc->snaplen : 65535;
	qsort(g->pkts, g->npkts, sizeof(*g->pkts), pkt_cmp);
	if ((f = fopen(path, "wb")) == NULL) {
		fprintf(stderr, "evalgen: %s: %s\n", path, strerror(errno));
		return -1;
	}
	setvbuf(f, iobuf, _IOFBF, sizeof(iobuf));
	if (pcapng) {
		wr32(f, 0x0a0d0d0a);	/* section header block */
		wr32(f, 28);
		wr32(f, 0x1a2b3c4d);
		wr16(f, 1);
		wr16(f, 0);
		wr32(f, 0xffffffff);
		wr32(f, 0xffffffff);
		wr32(f, 28);
		wr32(f, 1);		/* interface description block */
		wr32(f, 20);
		wr16(f, (uint16_t)dlt);
		wr16(f, 0);
		wr32(f, snaplen);
		wr32(f, 20);
	} else {
		wr32(f, 0xa1b2c3d4);
		wr16(f, 2);
		wr16(f, 4);
		wr32(f, 0);
		wr32(f, 0);
		wr32(f, snaplen);
		wr32(f, (uint32_t)dlt);
	}
	for (i = 0; i < g->npkts; i++) {
		const struct pkt	*p = &g->pkts[i];

		n = pkt_link(frame, sizeof(frame), dlt, g->sc->nvlan,
		    g->arena + p->off, p->len);
		if (n == 0) {
			fprintf(stderr, "evalgen: cannot frame a packet\n");
			exit(1);
		}
		if (p->copy && dlt == 113)
			pkt_put16(frame, 4);		/* outgoing */
		if (p->copy && dlt == 276) {
			pkt_put32(frame + 4, 3);	/* the other side */
			frame[10] = 4;			/* outgoing */
		}
		caplen = n < snaplen ? n : snaplen;
		ts = (uint64_t)(T0 * USEC + p->t);
		if (g->sc->jitter > 0) {
			/* Per-CPU rings: written in order, stamped not. */
			wrng ^= wrng >> 12;
			wrng ^= wrng << 25;
			wrng ^= wrng >> 27;
			ts += (uint64_t)((int64_t)((wrng * 0x2545f4914f6cdd1dULL)
			    % (uint64_t)(2 * g->sc->jitter + 1)) -
			    g->sc->jitter);
		}
		if (pcapng) {
			pad = ((caplen + 3) & ~(size_t)3) - caplen;
			wr32(f, 6);	/* enhanced packet block */
			wr32(f, (uint32_t)(32 + caplen + pad));
			wr32(f, 0);
			wr32(f, (uint32_t)(ts >> 32));
			wr32(f, (uint32_t)ts);
			wr32(f, (uint32_t)caplen);
			wr32(f, (uint32_t)n);
			fwrite(frame, 1, caplen, f);
			fwrite(&zero, 1, pad, f);
			wr32(f, (uint32_t)(32 + caplen + pad));
		} else {
			wr32(f, (uint32_t)(ts / USEC));
			wr32(f, (uint32_t)(ts % USEC));
			wr32(f, (uint32_t)caplen);
			wr32(f, (uint32_t)n);
			fwrite(frame, 1, caplen, f);
		}
	}
	if (fflush(f) == EOF || ferror(f) || fclose(f) == EOF) {
		fprintf(stderr, "evalgen: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* ---- DNS messages ---- */

static size_t
add_opt(uint8_t *m, size_t len)
{
	static const uint8_t	opt[11] = {
		0, 0, 41, 0x04, 0xd0, 0, 0, 0, 0, 0, 0	/* 1232 bytes */
	};

	memcpy(m + len, opt, sizeof(opt));
	pkt_put16(m + 10, 1);			/* ARCOUNT */
	return len + sizeof(opt);
}

/* The query's IP packet into ip, as the client sent it. */
static size_t
query_ip(const struct gen *g, const struct query *q, uint8_t *ip, size_t cap)
{
	const struct rstate	*r = &g->res[q->res];
	struct dr_addr		 c;
	uint8_t			 m[512];
	size_t			 len;

	client_addr(g, r->v6, q->cli, &c);
	len = pkt_dns_raw(m, sizeof(m) - 16, q->id, 0x0100, q->qtype,
	    q->name);
	if (len == 0) {
		fprintf(stderr, "evalgen: cannot build %s\n", q->name);
		exit(1);
	}
	if (q->edns)
		len = add_opt(m, len);
	return pkt_ip_udp(ip, cap, &c, q->port, &r->addr, 53, m, len);
}

/* The answer's IP packet into ip, with rcode. */
static size_t
answer_ip(const struct gen *g, const struct query *q, uint8_t rcode,
    uint8_t *ip, size_t cap)
{
	const struct rstate	*r = &g->res[q->res];
	struct dr_addr		 c;
	uint8_t			 m[512];
	size_t			 len, rdlen;

	client_addr(g, r->v6, q->cli, &c);
	len = pkt_dns_raw(m, sizeof(m) - 64, q->id,
	    (uint16_t)(0x8180 | rcode), q->qtype, q->name);
	if (len == 0) {
		fprintf(stderr, "evalgen: cannot build %s\n", q->name);
		exit(1);
	}
	/* An address record; one AAAA in four is NODATA. */
	if (rcode == 0 && (q->qtype == 1 ||
	    (q->qtype == 28 && q->id % 4 != 0))) {
		rdlen = q->qtype == 1 ? 4 : 16;
		pkt_put16(m + len, 0xc00c);
		pkt_put16(m + len + 2, q->qtype);
		pkt_put16(m + len + 4, 1);
		pkt_put32(m + len + 6, 300);
		pkt_put16(m + len + 10, (uint16_t)rdlen);
		if (q->qtype == 1)
			pkt_put32(m + len + 12, 0xc6336400u | (q->id & 0xff));
		else {
			memcpy(m + len + 12, "\x20\x01\x0d\xb8\x00\x80\0\0"
			    "\0\0\0\0\0\0", 14);
			pkt_put16(m + len + 26, q->id);
		}
		len += 12 + rdlen;
		pkt_put16(m + 6, 1);		/* ANCOUNT */
	}
	if (q->edns)
		len = add_opt(m, len);
	return pkt_ip_udp(ip, cap, &r->addr, 53, &c, q->port, m, len);
}

/* ---- what one query meets ---- */

static void
send_query(struct gen *g, const struct query *q, int64_t t)
{
	uint8_t	ip[1024];

	put(g, t, client_ttl(q->cli), ip, query_ip(g, q, ip, sizeof(ip)));
}

static void
send_answer(struct gen *g, const struct query *q, int64_t t, uint8_t rcode)
{
	struct rstate	*r = &g->res[q->res];
	uint8_t		 ip[1024];

	put(g, t, (uint8_t)(64 - r->hops), ip,
	    answer_ip(g, q, rcode, ip, sizeof(ip)));
	r->responses++;
	r->rcodes[rcode & 15]++;
}

/* How long a healthy resolver takes to answer, us. */
static int64_t
answer_delay(struct gen *g, const struct rstate *r)
{
	double	u = unif(g), d;

	d = r->rtt * (0.9 + 0.2 * unif(g)) + expo(g, 0.6);
	if (u < 0.002)
		d += 400 + 1000 * unif(g);	/* slow authoritative */
	else if (u < 0.14)
		d += loguniform(g, 10, 250);	/* cache miss */
	return (int64_t)(d * MS);
}

static void
healthy(struct gen *g, const struct query *q)
{
	send_answer(g, q, q->t + answer_delay(g, &g->res[q->res]), q->rcode);
}

/* Is f in force at time t (us) for client cli, share aside? */
static int
in_force(const struct fault *f, int64_t t, int cli)
{
	double	s = (double)t / USEC, phase;

	if (s < f->onset || (f->end > 0 && s >= f->end))
		return 0;
	if (f->client != 0 && f->client != cli + 1)
		return 0;
	if (f->down > 0) {
		phase = fmod(s - f->onset, f->down + f->up);
		return phase < f->down;
	}
	return 1;
}

/*
 * The fault a query to resolver ri from cli at t meets, or -1.  Faults
 * in force share the queries out by their shares, one draw per query.
 */
static int
fault_for(struct gen *g, int ri, int cli, int64_t t)
{
	const struct fault	*f;
	double			 u = unif(g), cum = 0;
	int			 i;

	for (i = 0; i < MAXFAULT && g->sc->fault[i].kind != F_END; i++) {
		f = &g->sc->fault[i];
		if (f->res != ri || f->kind == F_QUIET ||
		    !in_force(f, t, cli))
			continue;
		cum += f->share > 0 ? f->share : 1.0;
		if (u < cum)
			return i;
	}
	return -1;
}

/*
 * Linux's ICMP rate limit (inet_peer_xrlim_allow): per destination, a
 * token bucket of 6 errors refilled at one a second (four a second for
 * ICMPv6 to a /64).  sender 0..MAXRES-1 is a resolver, MAXRES the router.
 */
static int
icmp_allowed(struct gen *g, int sender, int cli, int v6, int64_t t)
{
	double	 tmo, *tok;
	int64_t	*last;

	if (g->sc->nat)
		cli = 0;	/* one destination for all */
	tmo = v6 ? 0.25 : 1.0;
	tok = &g->tokens[sender][cli];
	last = &g->tlast[sender][cli];

	if (t > *last) {
		*tok += (double)(t - *last) / USEC;
		*last = t;
	}
	if (*tok > 6 * tmo)
		*tok = 6 * tmo;
	if (*tok < tmo)
		return 0;
	*tok -= tmo;
	return 1;
}

static void failover(struct gen *, const struct query *, int64_t);

/*
 * ICMP destination unreachable quoting the whole query (as Linux does),
 * from the resolver after it received the query or from a router on
 * the way; with arp, when the router's neighbour resolution, started by
 * the first packet queued, gives up 3 s later.  When the host comes
 * back during a resolution, the queued queries are delivered.
 */
static void
fault_icmp(struct gen *g, const struct query *q, int fi)
{
	const struct fault	*f = &g->sc->fault[fi];
	struct rstate		*r = &g->res[q->res];
	const struct dr_addr	*from;
	struct dr_addr		 c;
	uint8_t			 quote[1024], ip[2048];
	size_t			 ql;
	int64_t			 t, end = us_of(f->end);
	int			 sender;

	if (f->from == FROM_RESOLVER) {
		from = &r->addr;
		sender = r->nres;
		t = q->t + (int64_t)(r->rtt * MS * (0.9 + 0.2 * unif(g)));
	} else {
		from = router_of(g, r);
		sender = MAXRES;
		t = q->t + (int64_t)(r->rtt * MS * 0.6 * (0.9 +
		    0.2 * unif(g)));
	}
	if (f->arp) {
		if (q->t >= g->arp_end[fi])
			g->arp_end[fi] = q->t + 3 * USEC +
			    (int64_t)rnd(g, 2000);
		t = g->arp_end[fi] + (int64_t)rnd(g, 300);
		if (f->end > 0 && g->arp_end[fi] >= end) {
			/* The host answers ARP: the queue goes out. */
			send_answer(g, q, end + answer_delay(g, r), q->rcode);
			return;
		}
	}
	if (!icmp_allowed(g, sender, q->cli, r->v6, t)) {
		r->timeouts++;
		failover(g, q, q->t + 5 * USEC);
		return;
	}
	ql = query_ip(g, q, quote, sizeof(quote));
	/* The quote is the query as it arrived, hops later. */
	pkt_set_ttl(quote, ql, (uint8_t)(client_ttl(q->cli) -
	    (f->from == FROM_RESOLVER ? r->hops : r->hops - 1)));
	client_addr(g, r->v6, q->cli, &c);
	put(g, t, (uint8_t)(64 - (f->from == FROM_RESOLVER ? r->hops :
	    r->hops - 1)), ip, pkt_ip_icmp_unreach(ip, sizeof(ip), from, &c,
	    (uint8_t)f->code, quote, ql));
	r->unreach++;
	failover(g, q, t + 200 + (int64_t)rnd(g, 300));
}

/*
 * No answer, no ICMP.  The client sends the same query again (same id,
 * port and name) retx times, retx_gap apart; a resend that meets no
 * fault any more is answered.
 */
static void
fault_drop(struct gen *g, const struct query *q, int fi)
{
	struct rstate	*r = &g->res[q->res];
	int64_t		 t = q->t;
	unsigned	 i;

	(void)fi;
	for (i = 0; i < g->sc->retx; i++) {
		t += us_of(g->sc->retx_gap) +
		    (int64_t)rnd(g, 100 * MS) - 50 * MS;
		send_query(g, q, t);
		r->retx++;
		if (fault_for(g, q->res, q->cli, t) == -1) {
			send_answer(g, q, t + answer_delay(g, r), q->rcode);
			return;
		}
	}
	r->timeouts++;
	failover(g, q, q->t + 5 * USEC);
}

/*
 * Answered, with an error: SERVFAIL (after the resolver's own tries
 * upstream) or REFUSED (at once).
 */
static void
fault_rcode(struct gen *g, const struct query *q, int fi)
{
	const struct fault	*f = &g->sc->fault[fi];
	const struct rstate	*r = &g->res[q->res];
	int64_t			 d = answer_delay(g, r);

	if (f->code == 2)
		d += (int64_t)rnd(g, 50 * MS);
	send_answer(g, q, q->t + d, (uint8_t)f->code);
}

/* Answered, delay late (+-100 ms). */
static void
fault_slow(struct gen *g, const struct query *q, int fi)
{
	const struct fault	*f = &g->sc->fault[fi];
	const struct rstate	*r = &g->res[q->res];

	send_answer(g, q, q->t + answer_delay(g, r) + us_of(f->delay) +
	    (int64_t)rnd(g, 200 * MS) - 100 * MS, q->rcode);
}

/*
 * Answered late, between 1.1 s and delay, after the client has closed
 * its socket: its kernel answers the answer with ICMP port unreachable,
 * quoting UDP from port 53 to the client.
 */
static void
fault_gone(struct gen *g, const struct query *q, int fi)
{
	const struct fault	*f = &g->sc->fault[fi];
	struct rstate		*r = &g->res[q->res];
	struct dr_addr		 c;
	uint8_t			 quote[1024], ip[2048];
	size_t			 al;
	int64_t			 t;

	t = q->t + us_of(1.1 + (f->delay - 1.1) * unif(g));
	send_answer(g, q, t, q->rcode);
	al = answer_ip(g, q, q->rcode, quote, sizeof(quote));
	client_addr(g, r->v6, q->cli, &c);
	put(g, t + 60 + (int64_t)rnd(g, 200), client_ttl(q->cli), ip,
	    pkt_ip_icmp_unreach(ip, sizeof(ip), &c, &r->addr,
	    r->v6 ? 4 : 3, quote, al));
}

/* Send q and play out what it meets. */
static void
ask(struct gen *g, const struct query *q)
{
	int	fi;

	send_query(g, q, q->t);
	g->res[q->res].queries++;
	if ((fi = fault_for(g, q->res, q->cli, q->t)) == -1) {
		healthy(g, q);
		return;
	}
	switch (g->sc->fault[fi].kind) {
	case F_ICMP:
		fault_icmp(g, q, fi);
		break;
	case F_DROP:
		fault_drop(g, q, fi);
		break;
	case F_RCODE:
		fault_rcode(g, q, fi);
		break;
	case F_SLOW:
		fault_slow(g, q, fi);
		break;
	case F_GONE:
		fault_gone(g, q, fi);
		break;
	default:
		healthy(g, q);
		break;
	}
}

/*
 * glibc moves on to the next nameserver at once on ECONNREFUSED and
 * after its 5 s timeout otherwise: the same query from a new socket.
 */
static void
failover(struct gen *g, const struct query *q, int64_t t)
{
	const struct rspec	*rs = &g->sc->res[q->res];
	struct query		 n;

	if (rs->failover == 0)
		return;
	n = *q;
	n.res = rs->failover - 1;
	n.port = new_port(g);
	n.t = t;
	ask(g, &n);
}

/* ---- lookups ---- */

static int
quiet(const struct gen *g, int ri, int64_t t)
{
	const struct fault	*f;
	int			 i;

	for (i = 0; i < MAXFAULT && g->sc->fault[i].kind != F_END; i++) {
		f = &g->sc->fault[i];
		if (f->res == ri && f->kind == F_QUIET && in_force(f, t, -1))
			return 1;
	}
	return 0;
}

/*
 * One lookup by a client: glibc's A and AAAA pair from one socket, a
 * browser's A, AAAA and HTTPS from three, or a single question.
 */
static void
lookup(struct gen *g, struct rstate *r, int64_t t)
{
	static const uint16_t	other[] = { 15, 16, 33, 65, 65, 28 };
	struct query		q;
	uint32_t		k = rnd(g, 100);
	int			i, n = 1;

	memset(&q, 0, sizeof(q));
	q.res = r->nres;
	q.cli = r->first + (int)pick_cum(g, r->cum, (uint32_t)r->nclients);
	q.edns = q.cli % 3 != 0;
	q.port = new_port(g);
	q.t = t;
	q.rcode = pick_name(g, q.name, sizeof(q.name));
	if (k < 70) {
		n = k < 55 ? 2 : 3;
		for (i = 0; i < n; i++) {
			q.qtype = i == 0 ? 1 : i == 1 ? 28 : 65;
			q.id = (uint16_t)rnd(g, 65536);
			if (k >= 55 && i > 0)
				q.port = new_port(g);
			ask(g, &q);
			q.t += 20 + (int64_t)rnd(g, 150);
		}
		return;
	}
	q.id = (uint16_t)rnd(g, 65536);
	if (k < 82)
		q.qtype = 1;
	else if (k < 87) {
		q.qtype = 12;
		q.rcode = rnd(g, 4) == 0 ? 3 : 0;
		snprintf(q.name, sizeof(q.name), "%u.%u.0.10.in-addr.arpa",
		    1 + rnd(g, 254), rnd(g, 4));
	} else
		q.qtype = other[rnd(g, NELEM(other))];
	ask(g, &q);
}

/* Mean questions per lookup, from lookup(): 0.55*2 + 0.15*3 + 0.30. */
#define Q_PER_LOOKUP	1.85

static int64_t
next_gap(struct gen *g, const struct rstate *r, const struct rspec *rs)
{
	double	mean = Q_PER_LOOKUP / r->qps;

	if (rs->arrivals == ARR_JITTER)
		return us_of(mean * (0.67 + 0.66 * unif(g)));
	return us_of(expo(g, mean)) + 1;
}

/* ---- noise: traffic that is not a resolver's fault ---- */

/* ICMP port unreachable "from" the resolver about a query never sent. */
static void
noise_forged(struct gen *g, const struct noise *n, int64_t t)
{
	struct rstate	*r = &g->res[n->res];
	struct query	 q;
	struct dr_addr	 c;
	uint8_t		 quote[1024], ip[2048];
	size_t		 ql;

	memset(&q, 0, sizeof(q));
	q.res = n->res;
	q.cli = r->first + (int)rnd(g, (uint32_t)r->nclients);
	q.port = new_port(g);
	q.id = (uint16_t)rnd(g, 65536);
	q.qtype = rnd(g, 2) ? 1 : 28;
	pick_name(g, q.name, sizeof(q.name));
	ql = query_ip(g, &q, quote, sizeof(quote));
	client_addr(g, r->v6, q.cli, &c);
	put(g, t, (uint8_t)(30 + rnd(g, 220)), ip, pkt_ip_icmp_unreach(ip,
	    sizeof(ip), &r->addr, &c, r->v6 ? 4 : 3, quote, ql));
	r->unreach++;
	r->unmatched++;
}

/* A client (malware, a misconfigured search list) asks random names. */
static void
noise_nxstorm(struct gen *g, const struct noise *n, int64_t t)
{
	struct query	q;
	int		i, len = 8 + (int)rnd(g, 10);

	memset(&q, 0, sizeof(q));
	q.res = n->res;
	q.cli = CLI_EXTRA;
	q.port = new_port(g);
	q.id = (uint16_t)rnd(g, 65536);
	q.qtype = 1;
	q.t = t;
	q.rcode = 3;
	for (i = 0; i < len; i++)
		q.name[i] = (char)('a' + rnd(g, 26));
	snprintf(q.name + len, sizeof(q.name) - (size_t)len, ".%s.%s",
	    doms[rnd(g, NELEM(doms))], tlds[rnd(g, NELEM(tlds))]);
	ask(g, &q);
}

/* Clients keep asking for one broken domain: SERVFAIL after a while. */
static void
noise_broken(struct gen *g, const struct noise *n, int64_t t)
{
	struct rstate	*r = &g->res[n->res];
	struct query	 q;

	memset(&q, 0, sizeof(q));
	q.res = n->res;
	q.cli = r->first + (int)rnd(g, (uint32_t)r->nclients);
	q.edns = q.cli % 3 != 0;
	q.port = new_port(g);
	q.id = (uint16_t)rnd(g, 65536);
	q.qtype = rnd(g, 2) ? 1 : 28;
	snprintf(q.name, sizeof(q.name), "%s.dnssec-failed.example",
	    subs[rnd(g, 4)]);
	q.t = t;
	send_query(g, &q, t);
	r->queries++;
	send_answer(g, &q, t + answer_delay(g, r) +
	    (int64_t)(50 + rnd(g, 350)) * MS, 2);
}

static void
noise_step(struct gen *g, struct nstate *ns)
{
	const struct noise	*n = ns->n;

	switch (n->kind) {
	case N_FORGED:
		noise_forged(g, n, ns->next);
		break;
	case N_NXSTORM:
		noise_nxstorm(g, n, ns->next);
		break;
	case N_BROKEN:
		noise_broken(g, n, ns->next);
		break;
	default:
		break;
	}
	ns->next += us_of(expo(g, 1.0 / n->rate)) + 1;
}

/* ---- scripts: scenarios that are not traffic plus a fault ---- */

/*
 * The seed incident, as an analyst captured it: one client, three
 * lookups of one name two minutes apart, each refused 4 to 44 s later
 * by ICMP port unreachable from the resolver itself.  Nothing else.
 * (192.51.100.15 is the client's address in the original write-up; it
 * is not a documentation address.)
 */
static void
script_seed(struct gen *g)
{
	struct rstate	*r = &g->res[0];
	struct dr_addr	 c = pkt_addr("192.51.100.15");
	uint8_t		 m[512], quote[1024], ip[2048];
	size_t		 len, ql;
	uint16_t	 port, id;
	int64_t		 t;
	int		 i;

	for (i = 0; i < 3; i++) {
		t = (int64_t)i * 120 * USEC + (int64_t)rnd(g, 20 * MS);
		port = new_port(g);
		id = (uint16_t)rnd(g, 65536);
		len = pkt_dns_raw(m, sizeof(m), id, 0x0100, 1,
		    "yummyrecipesforme.com");
		ql = pkt_ip_udp(quote, sizeof(quote), &c, port, &r->addr, 53,
		    m, len);
		memcpy(ip, quote, ql);
		put(g, t, 64, ip, ql);
		r->queries++;
		pkt_set_ttl(quote, ql, 64 - (uint8_t)r->hops);
		put(g, t + us_of(4 + 40 * unif(g)), (uint8_t)(64 - r->hops), ip,
		    pkt_ip_icmp_unreach(ip, sizeof(ip), &r->addr, &c, 3, quote,
		    ql));
		r->unreach++;
	}
}

/* ---- one scenario ---- */

static uint64_t
seed_of(const char *name, uint64_t seed)
{
	uint64_t	h = 0xcbf29ce484222325ULL;

	for (; *name != '\0'; name++)
		h = (h ^ (uint8_t)*name) * 0x100000001b3ULL;
	h ^= seed * 0x9e3779b97f4a7c15ULL;
	return h == 0 ? 1 : h;
}

static void
setup(struct gen *g, const struct scenario *sc, uint64_t seed)
{
	const struct rspec	*rs;
	struct rstate		*r;
	double			 w;
	int			 i, k;

	g->sc = sc;
	g->rng = seed_of(sc->name, seed);
	g->wrng = g->rng ^ 0x5deece66dULL;
	g->router4 = pkt_addr("198.51.100.1");
	g->router6 = pkt_addr("2001:db8:ff::1");
	for (i = 0; i < MAXRES && sc->res[i].addr != NULL; i++) {
		rs = &sc->res[i];
		r = &g->res[i];
		r->addr = pkt_addr(rs->addr);
		r->v6 = r->addr.family == DR_AF_INET6;
		r->nres = i;
		r->qps = rs->qps > 0 ? rs->qps : g->def_qps;
		r->nclients = rs->clients > 0 ? rs->clients : g->def_clients;
		r->first = rs->first;
		if (r->first + r->nclients > CLI_EXTRA) {
			fprintf(stderr, "evalgen: %s: too many clients\n",
			    sc->name);
			exit(2);
		}
		r->rtt = rs->rtt > 0 ? rs->rtt : 8 + 3 * i;
		r->hops = 5 + 2 * i;
		/* Appetites: client k asks 1 / sqrt(k + 1) as often. */
		if ((r->cum = calloc((size_t)r->nclients,
		    sizeof(*r->cum))) == NULL) {
			fprintf(stderr, "evalgen: out of memory\n");
			exit(1);
		}
		for (k = 0, w = 0; k < r->nclients; k++) {
			w += 1.0 / sqrt(k + 1.0);
			r->cum[k] = w;
		}
		/* Already running when the capture starts. */
		if (rs->arrivals == ARR_JITTER)
			r->next = us_of(unif(g) * Q_PER_LOOKUP / r->qps);
		else
			r->next = next_gap(g, r, rs);
	}
	g->nres = i;
	for (i = 0; i < MAXNOISE && sc->noise[i].kind != N_END; i++) {
		g->noise[i].n = &sc->noise[i];
		g->noise[i].next = us_of(sc->noise[i].onset +
		    expo(g, 1.0 / sc->noise[i].rate));
	}
	g->nnoise = i;
	for (i = 0; i < MAXRES + 1; i++)
		for (k = 0; k < MAXCLI; k++) {
			g->tokens[i][k] = 6;
			g->tlast[i][k] = 0;
		}
}

/* Lookups and noise, in time order, until the end of the scenario. */
static void
run(struct gen *g)
{
	const struct scenario	*sc = g->sc;
	int64_t			 end = us_of(sc->duration), t;
	struct nstate		*ns;
	struct rstate		*r;
	int			 i, who;

	if (sc->script != NULL) {
		sc->script(g);
		return;
	}
	for (;;) {
		who = -1;
		t = end;
		for (i = 0; i < g->nres; i++)
			if (g->res[i].next < t) {
				t = g->res[i].next;
				who = i;
			}
		for (i = 0; i < g->nnoise; i++) {
			ns = &g->noise[i];
			if (ns->n->end > 0 && ns->next >= us_of(ns->n->end))
				continue;
			if (ns->next < t) {
				t = ns->next;
				who = MAXRES + i;
			}
		}
		if (who == -1)
			break;
		if (who >= MAXRES) {
			noise_step(g, &g->noise[who - MAXRES]);
			continue;
		}
		r = &g->res[who];
		if (!quiet(g, who, t))
			lookup(g, r, t);
		r->next = t + next_gap(g, r, &sc->res[who]);
	}
}

/* ---- truth ---- */

static const char *
fault_name(const struct fault *f)
{
	switch (f->kind) {
	case F_ICMP:
		return "icmp-unreachable";
	case F_DROP:
		return "silent-drop";
	case F_RCODE:
		return "rcode";
	case F_SLOW:
		return "slow";
	case F_GONE:
		return "late-answers-client-gone";
	case F_QUIET:
		return "no-traffic";
	default:
		return "none";
	}
}

static const char *
noise_name(const struct noise *n)
{
	switch (n->kind) {
	case N_FORGED:
		return "forged-icmp";
	case N_NXSTORM:
		return "nxdomain-storm";
	case N_BROKEN:
		return "servfail-one-domain";
	default:
		return "none";
	}
}

/* A JSON string; our own texts are plain ASCII without escapes. */
static void
jstr(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s != NULL && *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static void
jlist(FILE *f, const char *events)
{
	const char	*p = events, *bar;

	fputc('[', f);
	while (p != NULL) {
		bar = strchr(p, '|');
		fprintf(f, "\"%.*s\"", bar == NULL ? (int)strlen(p) :
		    (int)(bar - p), p);
		p = bar == NULL ? NULL : bar + 1;
		if (p != NULL)
			fprintf(f, ", ");
	}
	fputc(']', f);
}

static int
write_truth(struct gen *g, const char *path, const char *file,
    const char *filepcapng, uint64_t seed)
{
	const struct scenario	*sc = g->sc;
	char			 a[DR_ADDR_STRLEN], from[DR_ADDR_STRLEN];
	FILE			*f;
	int			 i;

	if ((f = fopen(path, "w")) == NULL) {
		fprintf(stderr, "evalgen: %s: %s\n", path, strerror(errno));
		return -1;
	}
	fprintf(f, "{\"generator\": \"%s\", \"scenario\": ", EVALGEN_VERSION);
	jstr(f, sc->name);
	fprintf(f, ",\n \"summary\": ");
	jstr(f, sc->summary);
	fprintf(f, ",\n \"note\": ");
	jstr(f, sc->note != NULL ? sc->note : "");
	fprintf(f, ",\n \"seed\": %llu, \"file\": ", (unsigned long long)seed);
	jstr(f, file);
	fprintf(f, ", \"file_pcapng\": ");
	if (filepcapng != NULL)
		jstr(f, filepcapng);
	else
		fprintf(f, "null");
	fprintf(f, ", \"linktype\": %d, \"snaplen\": %u, \"any\": %s, "
	    "\"nat\": %s, \"timestamp_jitter_us\": %d", sc->dlt ? sc->dlt : 1,
	    sc->snaplen ? sc->snaplen : 65535, sc->any ? "true" : "false",
	    sc->nat ? "true" : "false", sc->jitter);
	fprintf(f, ", \"vlan\": %d,\n \"start\": %lld.0, \"duration\": %.3f, "
	    "\"last_packet\": %.6f, \"packets\": %zu, "
	    "\"check_counts\": %s,\n \"resolvers\": [", sc->nvlan, T0,
	    sc->duration, (double)g->last / USEC, g->npkts,
	    sc->counts ? "true" : "false");
	for (i = 0; i < g->nres; i++) {
		const struct rstate	*r = &g->res[i];

		fprintf(f, "%s\n  {\"resolver\": \"%s\", \"qps\": %g, "
		    "\"clients\": %d, \"queries\": %lu, "
		    "\"retransmissions\": %lu, \"responses\": %lu, "
		    "\"unreachable\": %lu, \"unmatched\": %lu, "
		    "\"timeouts\": %lu, \"rcodes\": {\"NOERROR\": %lu, "
		    "\"NXDOMAIN\": %lu, \"SERVFAIL\": %lu, "
		    "\"REFUSED\": %lu}}", i ? "," : "",
		    dr_addr_format(&r->addr, a, sizeof(a)),
		    sc->script != NULL ? 0 : r->qps,
		    sc->script != NULL ? 1 : r->nclients, r->queries, r->retx,
		    r->responses, r->unreach, r->unmatched, r->timeouts,
		    r->rcodes[0], r->rcodes[3], r->rcodes[2], r->rcodes[5]);
	}
	fprintf(f, "],\n \"faults\": [");
	for (i = 0; i < MAXFAULT && sc->fault[i].kind != F_END; i++) {
		const struct fault	*ft = &sc->fault[i];
		const struct rstate	*r = &g->res[ft->res];

		dr_addr_format(&r->addr, a, sizeof(a));
		dr_addr_format(ft->from == FROM_RESOLVER ? &r->addr :
		    router_of(g, r), from, sizeof(from));
		fprintf(f, "%s\n  {\"resolver\": \"%s\", \"kind\": \"%s\", "
		    "\"onset\": %g, \"end\": ", i ? "," : "", a,
		    fault_name(ft), ft->onset);
		if (ft->end > 0)
			fprintf(f, "%g", ft->end);
		else
			fprintf(f, "null");
		fprintf(f, ", \"share\": %g", ft->share > 0 ? ft->share : 1.0);
		if (ft->kind == F_ICMP)
			fprintf(f, ", \"icmp_code\": %d, \"icmp_from\": "
			    "\"%s\", \"neighbour_resolution\": %s", ft->code,
			    from, ft->arp ? "true" : "false");
		if (ft->kind == F_RCODE)
			fprintf(f, ", \"rcode\": %d", ft->code);
		if (ft->kind == F_SLOW || ft->kind == F_GONE)
			fprintf(f, ", \"delay\": %g", ft->delay);
		if (ft->client != 0) {
			struct dr_addr	c;

			client_addr(g, r->v6, ft->client - 1, &c);
			fprintf(f, ", \"client\": \"%s\"",
			    dr_addr_format(&c, from, sizeof(from)));
		}
		if (ft->down > 0)
			fprintf(f, ", \"down\": %g, \"up\": %g", ft->down,
			    ft->up);
		fprintf(f, "}");
	}
	fprintf(f, "],\n \"noise\": [");
	for (i = 0; i < MAXNOISE && sc->noise[i].kind != N_END; i++) {
		const struct noise	*n = &sc->noise[i];

		fprintf(f, "%s\n  {\"resolver\": \"%s\", \"kind\": \"%s\", "
		    "\"onset\": %g, \"end\": %g, \"rate\": %g}", i ? "," : "",
		    dr_addr_format(&g->res[n->res].addr, a, sizeof(a)),
		    noise_name(n), n->onset, n->end > 0 ? n->end : sc->duration,
		    n->rate);
	}
	fprintf(f, "],\n \"expect\": [");
	for (i = 0; i < MAXEXPECT && sc->expect[i].what != NULL; i++) {
		const struct expect	*e = &sc->expect[i];

		fprintf(f, "%s\n  {\"what\": \"%s\", \"events\": ",
		    i ? "," : "", e->what);
		jlist(f, e->events);
		fprintf(f, ", \"resolver\": \"%s\", \"cause\": ",
		    dr_addr_format(&g->res[e->res].addr, a, sizeof(a)));
		if (e->cause != NULL)
			jstr(f, e->cause);
		else
			fprintf(f, "null");
		fprintf(f, ", \"at\": %g, \"deadline\": ", e->at);
		if (e->deadline > 0)
			fprintf(f, "%g}", e->deadline);
		else
			fprintf(f, "null}");
	}
	fprintf(f, "],\n \"allow\": [");
	for (i = 0; i < MAXALLOW && sc->allow[i].events != NULL; i++) {
		const struct allow	*al = &sc->allow[i];

		fprintf(f, "%s\n  {\"events\": ", i ? "," : "");
		jlist(f, al->events);
		fprintf(f, ", \"resolver\": \"%s\", \"from\": %g, \"to\": %g, "
		    "\"max\": %d}", dr_addr_format(&g->res[al->res].addr, a,
		    sizeof(a)), al->from, al->to, al->max);
	}
	fprintf(f, "]}\n");
	if (fclose(f) == EOF) {
		fprintf(stderr, "evalgen: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int
generate(const struct scenario *sc, const char *dir, uint64_t seed,
    int also_pcapng, double qps, int clients)
{
	struct gen	*g;
	char		 cap[4096], ng[4096], truth[4096];
	char		 capname[256], ngname[256];
	int		 i, r = 0, want_pcap = !sc->pcapng;
	int		 want_ng = sc->pcapng || also_pcapng;

	if ((g = calloc(1, sizeof(*g))) == NULL) {
		fprintf(stderr, "evalgen: out of memory\n");
		return -1;
	}
	g->def_qps = qps;
	g->def_clients = clients;
	setup(g, sc, seed);
	run(g);
	snprintf(capname, sizeof(capname), "%s.pcap", sc->name);
	snprintf(ngname, sizeof(ngname), "%s.pcapng", sc->name);
	snprintf(cap, sizeof(cap), "%s/%s", dir, capname);
	snprintf(ng, sizeof(ng), "%s/%s", dir, ngname);
	snprintf(truth, sizeof(truth), "%s/%s.truth.json", dir, sc->name);
	if (want_pcap && write_capture(g, cap, 0) == -1)
		r = -1;
	if (r == 0 && want_ng && write_capture(g, ng, 1) == -1)
		r = -1;
	if (r == 0 && write_truth(g, truth, want_pcap ? capname : ngname,
	    want_ng ? ngname : NULL, seed) == -1)
		r = -1;
	for (i = 0; i < g->nres; i++)
		free(g->res[i].cum);
	free(g->pkts);
	free(g->arena);
	free(g);
	return r;
}

/* ---- the scenarios ---- */

#define H	300.0		/* healthy before the fault */
#define TOTAL	120.0		/* how long a total outage lasts */

#define V4	{ .addr = "203.0.113.2" }
#define V4B	"203.0.113.3"
#define V6	{ .addr = "2001:db8:53::2" }
#define V6ADDR	"2001:db8:53::2"

#define DETECT(r, ev, cause, at, dl)	{ "detect", ev, r, cause, at, dl }
#define CLEAR(r, ev, at, dl)		{ "clear", ev, r, NULL, at, dl }

/* A total outage of resolver 0 by ICMP code c from fr, H to H + TOTAL. */
#define ICMP_TOTAL(c, fr)	{ .kind = F_ICMP, .res = 0, .onset = H, \
	.end = H + TOTAL, .code = c, .from = fr }

static const struct scenario scenarios[] = {
/* -- total outages, each ending -- */
{
	.name = "port-v4",
	.summary = "total outage: ICMP port unreachable from the resolver",
	.duration = H + TOTAL + 120,
	.res = { V4 },
	.fault = { ICMP_TOTAL(3, FROM_RESOLVER) },
	.expect = {
		DETECT(0, "failing", "service-not-listening", H, 3),
		CLEAR(0, "recovered", H + TOTAL, 10) },
},
{
	.name = "port-v6",
	.summary = "total outage over IPv6: ICMPv6 port unreachable",
	.duration = H + TOTAL + 120,
	.res = { V6 },
	.fault = { ICMP_TOTAL(4, FROM_RESOLVER) },
	.expect = {
		DETECT(0, "failing", "service-not-listening", H, 3),
		CLEAR(0, "recovered", H + TOTAL, 10) },
},
{
	.name = "admin-resolver-v4",
	.summary = "total outage: admin prohibited (code 13) from the "
	    "resolver's own firewall",
	.duration = H + TOTAL + 120,
	.res = { V4 },
	.fault = { ICMP_TOTAL(13, FROM_RESOLVER) },
	.expect = {
		DETECT(0, "failing", "blocked-by-firewall", H, 3),
		CLEAR(0, "recovered", H + TOTAL, 10) },
},
{
	.name = "admin-router-v4",
	.summary = "total outage: admin prohibited (code 13) from a router",
	.duration = H + TOTAL + 120,
	.res = { V4 },
	.fault = { ICMP_TOTAL(13, FROM_ROUTER) },
	.expect = {
		DETECT(0, "failing", "blocked-by-firewall", H, 3),
		CLEAR(0, "recovered", H + TOTAL, 10) },
},
{
	.name = "admin-router-v6",
	.summary = "total outage over IPv6: ICMPv6 administratively "
	    "prohibited (code 1) from a router",
	.duration = H + TOTAL + 120,
	.res = { V6 },
	.fault = { ICMP_TOTAL(1, FROM_ROUTER) },
	.expect = {
		DETECT(0, "failing", "blocked-by-firewall", H, 3),
		CLEAR(0, "recovered", H + TOTAL, 10) },
},
{
	.name = "hostdown-v4",
	.summary = "total outage: host unreachable from the last router, "
	    "3 s after each query (ARP gives up)",
	.duration = H + TOTAL + 120,
	.res = { V4 },
	.fault = { { .kind = F_ICMP, .res = 0, .onset = H, .end = H + TOTAL,
	    .code = 1, .from = FROM_ROUTER, .arp = 1 } },
	.expect = {
		DETECT(0, "failing", "host-down", H, 6),
		CLEAR(0, "recovered", H + TOTAL, 10) },
},
{
	.name = "hostdown-v6",
	.summary = "total outage over IPv6: address unreachable (code 3) "
	    "from the last router, 3 s after each query (NDP gives up)",
	.note = "ICMPv6 address unreachable is the IPv6 form of host "
	    "unreachable (RFC 4443 2.4: neighbour resolution failed).",
	.duration = H + TOTAL + 120,
	.res = { V6 },
	.fault = { { .kind = F_ICMP, .res = 0, .onset = H, .end = H + TOTAL,
	    .code = 3, .from = FROM_ROUTER, .arp = 1 } },
	.expect = {
		DETECT(0, "failing", "host-down", H, 6),
		CLEAR(0, "recovered", H + TOTAL, 10) },
},
{
	.name = "netunreach-v4",
	.summary = "total outage: network unreachable (code 0) from a "
	    "router at once (route withdrawn)",
	.duration = H + TOTAL + 120,
	.res = { V4 },
	.fault = { ICMP_TOTAL(0, FROM_ROUTER) },
	.expect = {
		DETECT(0, "failing", "host-down", H, 3),
		CLEAR(0, "recovered", H + TOTAL, 10) },
},
{
	.name = "drop-v4",
	.summary = "total silent drop; clients resend once after 5 s "
	    "(glibc's default)",
	.duration = H + TOTAL + 120,
	.retx = 1,
	.retx_gap = 5,
	.res = { V4 },
	.fault = { { .kind = F_DROP, .res = 0, .onset = H,
	    .end = H + TOTAL } },
	.expect = {
		DETECT(0, "failing", "silent-drop", H, 6),
		CLEAR(0, "recovered", H + TOTAL, 10) },
},
{
	.name = "drop-v6",
	.summary = "total silent drop over IPv6, to the end of the "
	    "capture; no resends",
	.duration = H + 60,
	.res = { V6 },
	.fault = { { .kind = F_DROP, .res = 0, .onset = H } },
	.expect = {
		DETECT(0, "failing", "silent-drop", H, 6) },
},
{
	.name = "drop-retx",
	.summary = "total silent drop; clients resend each query twice "
	    "(same id, port, name) 1 s apart: counted exactly",
	.note = "queries counts each question once, retransmissions each "
	    "resend; a resend after the end of the drop is answered.",
	.duration = H + TOTAL + 120,
	.retx = 2,
	.retx_gap = 1,
	.counts = 1,
	.res = { V4 },
	.fault = { { .kind = F_DROP, .res = 0, .onset = H,
	    .end = H + TOTAL } },
	.expect = {
		DETECT(0, "failing", "silent-drop", H, 6),
		CLEAR(0, "recovered", H + TOTAL, 10) },
},
{
	.name = "servfail",
	.summary = "the resolver answers SERVFAIL to everything",
	.duration = H + TOTAL + 120,
	.res = { V4 },
	.fault = { { .kind = F_RCODE, .res = 0, .onset = H, .end = H + TOTAL,
	    .code = 2 } },
	.expect = {
		DETECT(0, "failing", "servfail", H, 5),
		CLEAR(0, "recovered", H + TOTAL, 10) },
},
{
	.name = "refused",
	.summary = "the resolver answers REFUSED to everything",
	.duration = H + TOTAL + 120,
	.res = { V4 },
	.fault = { { .kind = F_RCODE, .res = 0, .onset = H, .end = H + TOTAL,
	    .code = 5 } },
	.expect = {
		DETECT(0, "failing", "refused", H, 5),
		CLEAR(0, "recovered", H + TOTAL, 10) },
},
{
	.name = "failing-from-start",
	.summary = "the capture starts in the middle of an outage (port "
	    "unreachable for its first 2 minutes)",
	.duration = 300,
	.res = { V4 },
	.fault = { { .kind = F_ICMP, .res = 0, .onset = 0, .end = 120,
	    .code = 3 } },
	.expect = {
		DETECT(0, "failing", "service-not-listening", 0, 3),
		CLEAR(0, "recovered", 120, 10) },
},
/* -- partial -- */
{
	.name = "partial-port-70",
	.summary = "70% of queries (at random) get port unreachable for "
	    "3 minutes",
	.duration = H + 180 + 120,
	.res = { V4 },
	.fault = { { .kind = F_ICMP, .res = 0, .onset = H, .end = H + 180,
	    .code = 3, .share = 0.7 } },
	.expect = {
		DETECT(0, "failing", "service-not-listening", H, 20),
		CLEAR(0, "recovered", H + 180, 20) },
},
{
	.name = "partial-port-55",
	.summary = "55% of queries get port unreachable for 3 minutes, "
	    "just over the 50% threshold",
	.note = "Over the default threshold (50%) by 5 points: the default "
	    "60 s window must see it; deadline one window.",
	.duration = H + 180 + 120,
	.res = { V4 },
	.fault = { { .kind = F_ICMP, .res = 0, .onset = H, .end = H + 180,
	    .code = 3, .share = 0.55 } },
	.expect = {
		DETECT(0, "failing", "service-not-listening", H, 60),
		CLEAR(0, "recovered", H + 180, 20) },
},
{
	.name = "partial-drop-70",
	.summary = "70% of queries silently dropped for 3 minutes",
	.duration = H + 180 + 120,
	.res = { V4 },
	.fault = { { .kind = F_DROP, .res = 0, .onset = H, .end = H + 180,
	    .share = 0.7 } },
	.expect = {
		DETECT(0, "failing", "silent-drop", H, 23),
		CLEAR(0, "recovered", H + 180, 20) },
},
{
	.name = "partial-port-30",
	.summary = "30% of queries get port unreachable for 3 minutes: "
	    "below the threshold, no alert",
	.note = "The default threshold is 50%: 30% failing is a real "
	    "problem, but below what the operator configured; expected: "
	    "no alert (lower threshold to see it).",
	.duration = H + 180 + 120,
	.res = { V4 },
	.fault = { { .kind = F_ICMP, .res = 0, .onset = H, .end = H + 180,
	    .code = 3, .share = 0.3 } },
},
/* -- slow -- */
{
	.name = "slow-1500ms",
	.summary = "every answer 1.5 s late for 3 minutes",
	.duration = H + 180 + 120,
	.res = { V4 },
	.fault = { { .kind = F_SLOW, .res = 0, .onset = H, .end = H + 180,
	    .delay = 1.5 } },
	.expect = {
		DETECT(0, "slow", NULL, H, 30),
		CLEAR(0, "slow-recovered", H + 180, 30) },
},
/* -- the seed incident and quiet resolvers -- */
{
	.name = "seed-incident",
	.summary = "the seed incident: one client, three lookups of "
	    "yummyrecipesforme.com 2 min apart, each refused 4-44 s later "
	    "by port unreachable from 203.0.113.2",
	.note = "ICMP arrives after query_timeout: the first word may be "
	    "silent-drop, the final cause must be service-not-listening. "
	    "No recovered: nothing was ever answered.",
	.duration = 290,
	.script = script_seed,
	.res = { V4 },
	.expect = {
		DETECT(0, "failing", "service-not-listening", 0, 0) },
},
{
	.name = "lowrate-port",
	.summary = "a quiet resolver (4 queries a minute, 3 clients) "
	    "fails every query with port unreachable",
	.duration = H + 300,
	.res = { { .addr = "203.0.113.2", .qps = 4.0 / 60, .clients = 3,
	    .arrivals = ARR_JITTER } },
	.fault = { { .kind = F_ICMP, .res = 0, .onset = H, .code = 3 } },
	.expect = {
		DETECT(0, "failing", "service-not-listening", H, 120) },
},
{
	.name = "lowrate-drop",
	.summary = "a quiet resolver (4 queries a minute, 3 clients) "
	    "drops every query",
	.duration = H + 300,
	.res = { { .addr = "203.0.113.2", .qps = 4.0 / 60, .clients = 3,
	    .arrivals = ARR_JITTER } },
	.fault = { { .kind = F_DROP, .res = 0, .onset = H } },
	.expect = {
		DETECT(0, "failing", "silent-drop", H, 120) },
},
/* -- must stay silent -- */
{
	.name = "healthy",
	.summary = "15 minutes of healthy traffic (with its usual "
	    "NXDOMAIN, some SERVFAIL, cache misses)",
	.duration = 900,
	.res = { V4 },
},
{
	.name = "blip-port-1s",
	.summary = "resolver restart: port unreachable for 1 s",
	.duration = H + 120,
	.res = { V4 },
	.fault = { { .kind = F_ICMP, .res = 0, .onset = H, .end = H + 1,
	    .code = 3 } },
},
{
	.name = "blip-drop-1s",
	.summary = "resolver restart: 1 s of silence; clients resend "
	    "after 5 s",
	.duration = H + 120,
	.retx = 1,
	.retx_gap = 5,
	.res = { V4 },
	.fault = { { .kind = F_DROP, .res = 0, .onset = H, .end = H + 1 } },
},
{
	.name = "loss-3pct",
	.summary = "3% of queries lost at random for 10 minutes; clients "
	    "resend after 5 s",
	.note = "The lost queries are answered 5 s late, through the "
	    "resend: 3% of lookups that slow is loss, not a slow resolver.",
	.duration = H + 600 + 60,
	.retx = 1,
	.retx_gap = 5,
	.res = { V4 },
	.fault = { { .kind = F_DROP, .res = 0, .onset = H, .end = H + 600,
	    .share = 0.03 } },
},
{
	.name = "forged-icmp-flood",
	.summary = "50/s forged port unreachables \"from\" the resolver, "
	    "quoting queries nobody sent",
	.duration = H + 300 + 60,
	.res = { V4 },
	.noise = { { .kind = N_FORGED, .res = 0, .onset = H, .end = H + 300,
	    .rate = 50 } },
},
{
	.name = "late-answer-icmp",
	.summary = "3% of answers come after the client gave up: its port "
	    "unreachable quotes UDP from port 53",
	.note = "Those answers take 1.1 to 2.5 s: 3% of stragglers do not "
	    "make the resolver slow (the median answer is ~10 ms).",
	.duration = 600,
	.res = { V4 },
	.fault = { { .kind = F_GONE, .res = 0, .onset = 0, .share = 0.03,
	    .delay = 2.5 } },
},
{
	.name = "second-resolver",
	.summary = "primary 203.0.113.2 fails (port unreachable) and "
	    "clients fail over to a healthy 203.0.113.3",
	.note = "The healthy resolver gets the failed-over queries on top "
	    "of its own and must get no alert.",
	.duration = H + TOTAL + 120,
	.res = { { .addr = "203.0.113.2", .failover = 2 },
	    { .addr = V4B, .qps = 4 } },
	.fault = { ICMP_TOTAL(3, FROM_RESOLVER) },
	.expect = {
		DETECT(0, "failing", "service-not-listening", H, 3),
		CLEAR(0, "recovered", H + TOTAL, 10) },
},
{
	.name = "one-client-blocked",
	.summary = "the busiest of 40 clients (~9% of queries) is "
	    "blocked by the resolver's firewall (admin prohibited)",
	.note = "One client's problem, not the resolver's: no alert.",
	.duration = H + 300 + 60,
	.res = { V4 },
	.fault = { { .kind = F_ICMP, .res = 0, .onset = H, .end = H + 300,
	    .code = 13, .client = 1 } },
},
{
	.name = "nxdomain-storm",
	.summary = "one client asks 50 random names a second for 5 "
	    "minutes: NXDOMAIN storm",
	.duration = H + 300 + 60,
	.res = { V4 },
	.noise = { { .kind = N_NXSTORM, .res = 0, .onset = H, .end = H + 300,
	    .rate = 50 } },
},
{
	.name = "servfail-one-domain",
	.summary = "a broken domain asked 1.5 times a second: ~7% of "
	    "answers SERVFAIL for 10 minutes",
	.duration = 600,
	.res = { V4 },
	.noise = { { .kind = N_BROKEN, .res = 0, .onset = 0, .rate = 1.5 } },
},
{
	.name = "healthy-far",
	.summary = "a healthy resolver 120 ms away (cache misses up to "
	    "~400 ms): not slow",
	.duration = 600,
	.res = { { .addr = "203.0.113.2", .rtt = 120 } },
},
{
	.name = "traffic-gap",
	.summary = "healthy, then no queries at all for 3 minutes, then "
	    "healthy again",
	.duration = H + 180 + 120,
	.res = { V4 },
	.fault = { { .kind = F_QUIET, .res = 0, .onset = H,
	    .end = H + 180 } },
},
/* -- framing variants -- */
{
	.name = "port-v4-vlan",
	.summary = "port-v4 on an 802.1Q-tagged link",
	.duration = H + TOTAL + 120,
	.nvlan = 1,
	.res = { V4 },
	.fault = { ICMP_TOTAL(3, FROM_RESOLVER) },
	.expect = {
		DETECT(0, "failing", "service-not-listening", H, 3),
		CLEAR(0, "recovered", H + TOTAL, 10) },
},
{
	.name = "port-v6-vlan",
	.summary = "port-v6 on an 802.1Q-tagged link",
	.duration = H + TOTAL + 120,
	.nvlan = 1,
	.res = { V6 },
	.fault = { ICMP_TOTAL(4, FROM_RESOLVER) },
	.expect = {
		DETECT(0, "failing", "service-not-listening", H, 3),
		CLEAR(0, "recovered", H + TOTAL, 10) },
},
{
	.name = "port-v4-qinq",
	.summary = "port-v4 under two tags (802.1ad outside 802.1Q)",
	.duration = H + TOTAL + 120,
	.nvlan = 2,
	.res = { V4 },
	.fault = { ICMP_TOTAL(3, FROM_RESOLVER) },
	.expect = {
		DETECT(0, "failing", "service-not-listening", H, 3),
		CLEAR(0, "recovered", H + TOTAL, 10) },
},
{
	.name = "port-v4-pcapng",
	.summary = "port-v4 written as pcapng",
	.duration = H + TOTAL + 120,
	.pcapng = 1,
	.res = { V4 },
	.fault = { ICMP_TOTAL(3, FROM_RESOLVER) },
	.expect = {
		DETECT(0, "failing", "service-not-listening", H, 3),
		CLEAR(0, "recovered", H + TOTAL, 10) },
},
/* -- harder -- */
{
	.name = "port-v4-any",
	.summary = "port-v4 captured with tcpdump -i any on the gateway "
	    "(Linux cooked v2): every packet twice, in and out",
	.note = "Each query, answer and ICMP error is seen on the LAN side "
	    "and again, one hop older, on the WAN side: the copy is not a "
	    "retransmission nor a second failure.",
	.duration = H + TOTAL + 120,
	.dlt = 276,
	.any = 1,
	.res = { V4 },
	.fault = { ICMP_TOTAL(3, FROM_RESOLVER) },
	.expect = {
		DETECT(0, "failing", "service-not-listening", H, 3),
		CLEAR(0, "recovered", H + TOTAL, 10) },
},
{
	.name = "healthy-any",
	.summary = "healthy traffic captured with tcpdump -i any on the "
	    "gateway: every packet twice",
	.duration = 600,
	.dlt = 276,
	.any = 1,
	.res = { V4 },
},
{
	.name = "port-v6-sll",
	.summary = "port-v6 in Linux cooked framing (SLL, one interface)",
	.duration = H + TOTAL + 120,
	.dlt = 113,
	.res = { V6 },
	.fault = { ICMP_TOTAL(4, FROM_RESOLVER) },
	.expect = {
		DETECT(0, "failing", "service-not-listening", H, 3),
		CLEAR(0, "recovered", H + TOTAL, 10) },
},
{
	.name = "port-v4-snaplen96",
	.summary = "port-v4 captured with a 96-byte snaplen (tcpdump -s 96): "
	    "long names cut, ICMP quotes cut inside the question",
	.note = "Ethernet, IP, ICMP, the quoted IP and UDP headers and the "
	    "DNS header fit in 96 bytes: enough to match every error to its "
	    "query by client, port and id.",
	.duration = H + TOTAL + 120,
	.snaplen = 96,
	.res = { V4 },
	.fault = { ICMP_TOTAL(3, FROM_RESOLVER) },
	.expect = {
		DETECT(0, "failing", "service-not-listening", H, 3),
		CLEAR(0, "recovered", H + TOTAL, 10) },
},
{
	.name = "port-v4-jitter",
	.summary = "port-v4 from a multi-queue capture: timestamps jitter "
	    "by +-2 ms and now and then go backwards",
	.duration = H + TOTAL + 120,
	.jitter = 2000,
	.res = { V4 },
	.fault = { ICMP_TOTAL(3, FROM_RESOLVER) },
	.expect = {
		DETECT(0, "failing", "service-not-listening", H, 3),
		CLEAR(0, "recovered", H + TOTAL, 10) },
},
{
	.name = "port-v4-nat",
	.summary = "port-v4 seen on the WAN side of a NAT: all 40 clients "
	    "are one address, so ICMP is rate limited to ~1/s for all",
	.note = "The resolver's kernel limits its errors per destination, "
	    "and there is one: ~1 query in 20 gets its port unreachable, the "
	    "rest time out.  Nothing is answered; every error says not "
	    "listening.",
	.duration = H + TOTAL + 120,
	.nat = 1,
	.res = { V4 },
	.fault = { ICMP_TOTAL(3, FROM_RESOLVER) },
	.expect = {
		DETECT(0, "failing", "service-not-listening", H, 3),
		CLEAR(0, "recovered", H + TOTAL, 10) },
},
{
	.name = "rate-2qps-port",
	.summary = "a quiet network (2 queries/s): total outage, port "
	    "unreachable",
	.note = "10 s, not 5: about one lookup a second comes at random, "
	    "and one draw in 20 brings fewer than 3 in the first 5 s.",
	.duration = H + TOTAL + 120,
	.res = { { .addr = "203.0.113.2", .qps = 2 } },
	.fault = { ICMP_TOTAL(3, FROM_RESOLVER) },
	.expect = {
		DETECT(0, "failing", "service-not-listening", H, 10),
		CLEAR(0, "recovered", H + TOTAL, 10) },
},
{
	.name = "rate-200qps-port",
	.summary = "a busy network (200 queries/s from 200 clients): total "
	    "outage, port unreachable",
	.duration = H + TOTAL + 120,
	.res = { { .addr = "203.0.113.2", .qps = 200, .clients = 200 } },
	.fault = { ICMP_TOTAL(3, FROM_RESOLVER) },
	.expect = {
		DETECT(0, "failing", "service-not-listening", H, 3),
		CLEAR(0, "recovered", H + TOTAL, 10) },
},
{
	.name = "port-ratelimited",
	.summary = "200 queries/s from 40 clients: total outage; Linux's "
	    "ICMP rate limit leaves ~80% of queries unanswered",
	.note = "At 5 queries/s per client the resolver's kernel sends one "
	    "port unreachable per client per second after a burst of 6: "
	    "most queries time out, but every ICMP says the service is not "
	    "listening, and nothing was answered.",
	.duration = H + TOTAL + 120,
	.res = { { .addr = "203.0.113.2", .qps = 200 } },
	.fault = { ICMP_TOTAL(3, FROM_RESOLVER) },
	.expect = {
		DETECT(0, "failing", "service-not-listening", H, 3),
		CLEAR(0, "recovered", H + TOTAL, 10) },
},
{
	.name = "flap-10-20",
	.summary = "flapping: 10 s down (port unreachable), 20 s up, for "
	    "5 minutes",
	.note = "An alert within 3 s of the first flap; at most 4 failing "
	    "or flapping alerts and 4 recovered in all, that is at most 3 "
	    "flaps told as pairs before it is called flapping (not a pair "
	    "for each of the 10); one recovered within 3 minutes of the "
	    "last flap.",
	.duration = H + 280 + 300,
	.res = { V4 },
	.fault = { { .kind = F_ICMP, .res = 0, .onset = H, .end = H + 280,
	    .code = 3, .down = 10, .up = 20 } },
	.expect = {
		DETECT(0, "failing|flapping", NULL, H, 3),
		CLEAR(0, "recovered", H + 280, 180) },
	.allow = {
		{ "failing|flapping", 0, H, H + 280 + 180, 4 },
		{ "recovered", 0, H, H + 280 + 180, 4 } },
},
{
	.name = "mixed-codes",
	.summary = "total outage, mixed ICMP: 70% port unreachable from "
	    "the resolver, 30% admin prohibited from a router",
	.note = "Cause: the larger share, service-not-listening.",
	.duration = H + TOTAL + 120,
	.res = { V4 },
	.fault = {
		{ .kind = F_ICMP, .res = 0, .onset = H, .end = H + TOTAL,
		    .code = 3, .share = 0.7 },
		{ .kind = F_ICMP, .res = 0, .onset = H, .end = H + TOTAL,
		    .code = 13, .from = FROM_ROUTER, .share = 0.3 } },
	.expect = {
		DETECT(0, "failing", "service-not-listening", H, 3),
		CLEAR(0, "recovered", H + TOTAL, 10) },
},
{
	.name = "cause-change",
	.summary = "the service stops (port unreachable), 30 s later the "
	    "host goes down (host unreachable from the router)",
	.note = "Final cause host-down: the alert must be updated.",
	.duration = H + TOTAL + 120,
	.res = { V4 },
	.fault = {
		{ .kind = F_ICMP, .res = 0, .onset = H, .end = H + 30,
		    .code = 3 },
		{ .kind = F_ICMP, .res = 0, .onset = H + 30, .end = H + TOTAL,
		    .code = 1, .from = FROM_ROUTER, .arp = 1 } },
	.expect = {
		DETECT(0, "failing", "host-down", H, 3),
		CLEAR(0, "recovered", H + TOTAL, 10) },
},
{
	.name = "three-resolvers",
	.summary = "three resolvers: 203.0.113.2 healthy, 203.0.113.3 "
	    "port unreachable, 2001:db8:53::2 silent drop, overlapping",
	.duration = 600,
	.res = { { .addr = "203.0.113.2", .qps = 15 },
	    { .addr = V4B, .qps = 6, .clients = 20, .first = 10 },
	    { .addr = V6ADDR, .qps = 6, .clients = 30, .first = 5 } },
	.fault = {
		{ .kind = F_ICMP, .res = 1, .onset = H, .end = H + TOTAL,
		    .code = 3 },
		{ .kind = F_DROP, .res = 2, .onset = H + 60,
		    .end = H + 60 + TOTAL } },
	.expect = {
		DETECT(1, "failing", "service-not-listening", H, 3),
		CLEAR(1, "recovered", H + TOTAL, 10),
		DETECT(2, "failing", "silent-drop", H + 60, 6),
		CLEAR(2, "recovered", H + 60 + TOTAL, 10) },
},
};

static const size_t	nscenarios = NELEM(scenarios);

/* ---- main ---- */

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: evalgen -l\n"
	    "       evalgen [-n] [-s SEED] [-c CLIENTS] [-r QPS] -o DIR "
	    "[SCENARIO...]\n");
	exit(2);
}

static const struct scenario *
find(const char *name)
{
	size_t	i;

	for (i = 0; i < nscenarios; i++)
		if (strcmp(scenarios[i].name, name) == 0)
			return &scenarios[i];
	return NULL;
}

int
main(int argc, char **argv)
{
	const struct scenario	*sc;
	const char		*dir = NULL;
	unsigned long long	 seed = 1;
	double			 qps = 20;
	int			 clients = 40, list = 0, ng = 0, ch, i;
	char			*end;
	size_t			 k;

	while ((ch = getopt(argc, argv, "lns:c:r:o:")) != -1) {
		switch (ch) {
		case 'l':
			list = 1;
			break;
		case 'n':
			ng = 1;
			break;
		case 's':
			errno = 0;
			seed = strtoull(optarg, &end, 10);
			if (errno != 0 || *end != '\0')
				usage();
			break;
		case 'c':
			clients = atoi(optarg);
			if (clients < 1 || clients > 200)
				usage();
			break;
		case 'r':
			qps = strtod(optarg, &end);
			if (*end != '\0' || qps <= 0 || qps > 5000)
				usage();
			break;
		case 'o':
			dir = optarg;
			break;
		default:
			usage();
		}
	}
	names_init();
	if (list) {
		for (k = 0; k < nscenarios; k++)
			printf("%-20s %s\n", scenarios[k].name,
			    scenarios[k].summary);
		return 0;
	}
	if (dir == NULL)
		usage();
	for (i = optind; i < argc; i++)
		if (find(argv[i]) == NULL) {
			fprintf(stderr, "evalgen: no scenario \"%s\" "
			    "(evalgen -l lists them)\n", argv[i]);
			return 2;
		}
	for (k = 0; k < nscenarios; k++) {
		sc = &scenarios[k];
		if (optind < argc) {
			for (i = optind; i < argc; i++)
				if (strcmp(argv[i], sc->name) == 0)
					break;
			if (i == argc)
				continue;
		}
		if (generate(sc, dir, seed, ng, qps, clients) == -1)
			return 1;
	}
	return 0;
}
