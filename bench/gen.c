/*
 * gen: write a large, deterministic gateway capture for the benchmark and
 * the oracle check, and the true per-resolver counts in it.
 *
 *   gen [-n PACKETS] -o FILE -t TRUTH.json [-R RESOLVERS] [-P OUTSTANDING]
 *       [-C CLIENTS] [-T SECONDS] [-s SEED]
 *
 * The mix is what a busy gateway sees: thousands of clients (IPv4 in
 * 192.0.2.0/24 and 198.51.100.0/24, IPv6 in 2001:db8:c::/48) asking tens
 * of resolvers (203.0.113.1-127, 2001:db8:53::/64) for real-looking names
 * with various qtypes, answered after a few ms with a spread of rcodes;
 * about 2% of the queries go over TCP (handshake, one segment with the
 * length-prefixed query, one with the answer, close).  Some resolvers
 * fail for part of the time: two IPv4 ones and one IPv6 one answered by
 * ICMP port unreachable quoting the whole query (as Linux does), one
 * IPv4 and one IPv6 answered by "administratively prohibited" from a
 * router, and one that drops queries silently (clients retransmit once).
 * More than half of the packets have nothing to do with DNS (HTTPS, QUIC,
 * NTP, ICMP echo, ICMP errors about non-DNS packets or about answers the
 * client no longer wanted) and must be discarded.  About 5% of frames
 * carry an 802.1Q tag and a few an 802.1ad outer tag as well.
 *
 * Packets are generated in time order and written in that order, each
 * with up to 2 ms of timestamp jitter (reordering); every reply comes at
 * least 5 ms after what it answers, so cause still precedes effect.
 *
 * -P N keeps about N answered queries in flight: each answer is held
 * back until N newer queries have been sent (first in, first out).
 * Without -P, answers take a few ms (some tens or hundreds, a few over
 * a second, which makes the client retransmit).
 *
 * The truth (per resolver: queries, responses, rcodes, unreachable and
 * unreachable_by_code; and the packet count) is counted as packets are
 * written, so it is exact by construction.  Same arguments, same bytes.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util_pkt.h"

#define GEN_VERSION	"dnsreach-bench-gen 1"
#define T0		1767225600LL		/* 2026-01-01T00:00:00Z */
#define USEC		1000000LL
#define MS		1000LL
#define JITTER		2000			/* +- us on written stamps */
#define MIN_RTT		(5 * MS)
#define NV4_MAX		127
#define NCODES		16

enum role {
	ROLE_OK = 0,
	ROLE_PORT,		/* port unreachable from the resolver */
	ROLE_ADMIN,	/* administratively prohibited from a router */
	ROLE_DROP		/* silently dropped */
};

struct resolver {
	struct dr_addr	addr;
	enum role	role;
	int64_t		out_from, out_until;	/* the outage, absolute us */
	int64_t		rtt;
	uint64_t	queries, responses, unreach;
	uint64_t	by_code[NCODES];
	uint64_t	rcodes[5];
};

enum kind {
	K_RESP = 1,	/* UDP answer */
	K_ICMP,		/* unreachable about the query */
	K_RETX,		/* the client asks again (same id and port) */
	K_LATE,		/* client's port unreachable about the answer */
	K_TCP,		/* next step of a DNS over TCP exchange */
	K_HTTPS,	/* next segment of an HTTPS flow */
	K_NTP,		/* NTP server reply */
	K_ECHO,		/* echo reply */
	K_QUIC		/* next QUIC datagram */
};

/* One packet still to come, with what it takes to build it. */
struct ev {
	int64_t		t;
	uint64_t	seq;		/* generation order breaks ties */
	uint32_t	res;		/* resolver or server index */
	uint32_t	cli;
	uint32_t	nseed;		/* the query name and type */
	uint32_t	cseq, sseq;	/* TCP sequence numbers */
	uint16_t	sport;
	uint16_t	id;
	uint8_t		kind;
	uint8_t		step;		/* TCP step, or packets left */
	uint8_t		nvlan;
	uint8_t		rcode;
	uint8_t		tcp;		/* DNS over TCP (for answers) */
	uint8_t		retx;		/* a retransmission is pending */
	uint8_t		left;		/* packets this chain still sends */
};

struct gen {
	uint64_t	 rng;
	FILE		*f;
	uint64_t	 packets;
	uint64_t	 target;
	int64_t		 span;			/* us */
	int64_t		 now;
	uint64_t	 seq;
	uint64_t	 future;		/* packets promised, not sent */

	struct resolver	*res;
	uint32_t	 nres, nv4;
	double		*cum;			/* cumulative weights */
	struct dr_addr	*cli4, *cli6;
	uint32_t	 ncli4, ncli6;
	struct dr_addr	 srv4[64], srv6[64];
	struct dr_addr	 router4, router6;

	struct ev	*heap;
	size_t		 nheap, capheap;
	struct ev	*ring;			/* -P: answers held back */
	size_t		 ringcap, ringhead, nring;
};

static uint8_t	frame[PKT_MAX], qbuf[PKT_MAX], dnsbuf[2048];
static uint8_t	noise[65536 + 2048];

/* ---- PRNG: xorshift64*, so the same seed gives the same file ---- */

static uint64_t
rnd64(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

/* Uniform in [0, n). */
static uint32_t
rnd(uint64_t *s, uint32_t n)
{
	return (uint32_t)(((rnd64(s) >> 32) * (uint64_t)n) >> 32);
}

static int64_t
rnd_range(uint64_t *s, int64_t lo, int64_t hi)
{
	return lo + (int64_t)rnd(s, (uint32_t)(hi - lo + 1));
}

/* ---- names ---- */

static const char *const subs[] = {
	"www", "mail", "api", "cdn", "static", "img", "login", "auth", "m",
	"app", "news", "shop", "blog", "docs", "video", "ads", "track",
	"update", "push", "chat", "assets", "media", "files", "dl", "smtp",
	"imap", "vpn", "portal", "status", "metrics", "edge", "gw", "ws",
	"download", "support", "store", "accounts", "telemetry", "sync", "ntp"
};
static const char *const doms[] = {
	"example", "acme", "contoso", "fabrikam", "northwind", "globex",
	"initech", "umbrella", "hooli", "piedpiper", "vandelay", "tyrell",
	"cyberdyne", "wonka", "soylent", "aperture", "blackmesa", "oscorp",
	"gringotts", "monarch", "massive", "dunder-mifflin", "prestige",
	"bluth", "sterling", "kramerica", "weyland", "yoyodyne", "zorg",
	"stark", "wayne", "nakatomi", "octan", "virtucon", "duff", "krusty",
	"planet-express", "momcorp", "lacuna", "rekall", "omni", "delos",
	"encom", "dharma", "abstergo", "ingen", "spacely", "cogswell",
	"rossum", "buynlarge", "gekko", "vehement", "tessier-ashpool"
};
static const char *const tlds[] = {
	"com", "com", "com", "com", "net", "net", "org", "de", "io", "co.uk",
	"fr", "nl", "jp", "dev", "app", "info", "eu", "ch", "se", "it", "es",
	"com.au", "ca", "us", "cloud", "tv", "me", "org.uk"
};
#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * The query name and type that seed stands for; the answer and any ICMP
 * quote rebuild the same query from it.
 */
static uint16_t
qname_of(uint32_t seed, char *out, size_t cap)
{
	uint64_t	s = (uint64_t)seed * 0x9e3779b97f4a7c15ULL + 1;
	uint32_t	k = rnd(&s, 1000);
	const char	*d = doms[rnd(&s, NELEM(doms))];
	const char	*tld = tlds[rnd(&s, NELEM(tlds))];
	const char	*a = subs[rnd(&s, NELEM(subs))];
	const char	*b = subs[rnd(&s, NELEM(subs))];

	if (k < 30) {			/* PTR for a client address */
		snprintf(out, cap, "%u.%u.2.0.192.in-addr.arpa",
		    1 + rnd(&s, 254), rnd(&s, 4));
		return 12;
	}
	if (k < 45) {
		snprintf(out, cap, "_%s._tcp.%s.%s", k < 38 ? "ldap" : "sip",
		    d, tld);
		return 33;		/* SRV */
	}
	if (k < 65) {
		snprintf(out, cap, "%s.%s", d, tld);
		return 15;		/* MX */
	}
	if (k < 85) {
		snprintf(out, cap, "%s.%s", d, tld);
		return 16;		/* TXT */
	}
	if (k < 95) {
		snprintf(out, cap, "%s.%s", d, tld);
		return 2;		/* NS */
	}
	if (k < 200)
		snprintf(out, cap, "%s%u.%s.%s.%s", a, rnd(&s, 40), b, d, tld);
	else if (k < 500)
		snprintf(out, cap, "%s.%s.%s", a, d, tld);
	else if (k < 600)
		snprintf(out, cap, "%s.%s", d, tld);
	else
		snprintf(out, cap, "%s.%s.%s.%s", a, b, d, tld);
	if (k < 560)
		return 1;		/* A */
	if (k < 900)
		return 28;		/* AAAA */
	return 65;			/* HTTPS */
}

/* An EDNS(0) OPT record on most messages, as resolvers send today. */
static int
has_edns(uint32_t seed)
{
	return seed % 10 < 7;
}

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

/* The DNS query (qr 0) or its answer (qr 1, with rcode) for seed. */
static size_t
dns_msg(uint8_t *m, uint16_t id, uint32_t seed, int qr, uint8_t rcode)
{
	char		name[128];
	uint16_t	qtype = qname_of(seed, name, sizeof(name));
	uint16_t	flags = 0x0100;
	size_t		len;

	if (qr)
		flags |= 0x8000 | 0x0080 | rcode;
	len = pkt_dns_raw(m, 512, id, flags, qtype, name);
	if (len == 0) {
		fprintf(stderr, "gen: cannot build a query for %s\n", name);
		exit(1);
	}
	if (qr && rcode == 0 && (qtype == 1 || qtype == 28)) {
		size_t	rdlen = qtype == 1 ? 4 : 16;

		pkt_put16(m + len, 0xc00c);
		pkt_put16(m + len + 2, qtype);
		pkt_put16(m + len + 4, 1);
		pkt_put32(m + len + 6, 300);
		pkt_put16(m + len + 10, (uint16_t)rdlen);
		if (qtype == 1)
			pkt_put32(m + len + 12, 0xcb007180u | (seed & 0x7f));
		else {
			memcpy(m + len + 12, "\x20\x01\x0d\xb8\x00\x80\0\0"
			    "\0\0\0\0\0\0", 14);
			pkt_put16(m + len + 26, (uint16_t)seed);
		}
		len += 12 + rdlen;
		pkt_put16(m + 6, 1);		/* ANCOUNT */
	}
	if (has_edns(seed))
		len = add_opt(m, len);
	return len;
}

/* ---- output ---- */

static void
wr32(struct gen *g, uint32_t v)
{
	fwrite(&v, 4, 1, g->f);
}

static void
pcap_header(struct gen *g)
{
	uint16_t	v[2] = { 2, 4 };

	wr32(g, 0xa1b2c3d4);
	fwrite(v, 2, 2, g->f);
	wr32(g, 0);
	wr32(g, 0);
	wr32(g, 65535);
	wr32(g, 1);				/* Ethernet */
}

/* Frame ip (built at frame + 14 + 4 * nvlan) and write it at time t. */
static void
emit(struct gen *g, int64_t t, int nvlan, size_t iplen)
{
	size_t		 n;
	int64_t		 ts;
	uint32_t	 h[4];

	if (iplen == 0) {
		fprintf(stderr, "gen: packet builder failed\n");
		exit(1);
	}
	n = pkt_link(frame, sizeof(frame), 1, nvlan,
	    frame + 14 + 4 * nvlan, iplen);
	if (n == 0) {
		fprintf(stderr, "gen: cannot frame a packet\n");
		exit(1);
	}
	ts = t + (int64_t)rnd(&g->rng, 2 * JITTER + 1) - JITTER;
	h[0] = (uint32_t)(ts / USEC);
	h[1] = (uint32_t)(ts % USEC);
	h[2] = h[3] = (uint32_t)n;
	fwrite(h, 4, 4, g->f);
	fwrite(frame, 1, n, g->f);
	g->packets++;
}

static uint8_t *
ipbuf(int nvlan)
{
	return frame + 14 + 4 * nvlan;
}

static size_t
ipcap(int nvlan)
{
	return sizeof(frame) - 14 - 4 * (size_t)nvlan;
}

/* A TCP segment with real sequence numbers, inside IP, into out. */
static size_t
tcp_seg(uint8_t *out, size_t cap, const struct dr_addr *src, uint16_t sport,
    const struct dr_addr *dst, uint16_t dport, uint8_t flags, uint32_t seq,
    uint32_t ack, const uint8_t *payload, size_t plen)
{
	size_t		 hl = src->family == DR_AF_INET ? 20 : 40;
	size_t		 alen = src->family == DR_AF_INET ? 4 : 16, i;
	uint8_t		*t = out + hl;
	uint32_t	 sum = 0;

	if (cap < hl + 20 + plen)
		return 0;
	if (plen > 0)
		memmove(t + 20, payload, plen);
	pkt_put16(t, sport);
	pkt_put16(t + 2, dport);
	pkt_put32(t + 4, seq);
	pkt_put32(t + 8, flags & PKT_TH_ACK ? ack : 0);
	t[12] = 5 << 4;
	t[13] = flags;
	pkt_put16(t + 14, 64240);
	pkt_put16(t + 16, 0);
	pkt_put16(t + 18, 0);
	for (i = 0; i < alen; i += 2)
		sum += (uint32_t)(src->a[i] << 8 | src->a[i + 1]) +
		    (uint32_t)(dst->a[i] << 8 | dst->a[i + 1]);
	sum += 6 + (uint32_t)(20 + plen);
	pkt_put16(t + 16, pkt_cksum(t, 20 + plen, sum));
	return pkt_ip(out, cap, src, dst, 6, t, 20 + plen);
}

/* ---- the schedule: a binary heap of packets still to come ---- */

static int
ev_before(const struct ev *a, const struct ev *b)
{
	return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

static void
push(struct gen *g, struct ev e, unsigned npackets)
{
	size_t		i, p;
	struct ev	tmp;

	if (g->nheap == g->capheap) {
		g->capheap = g->capheap ? g->capheap * 2 : 4096;
		g->heap = realloc(g->heap, g->capheap * sizeof(*g->heap));
		if (g->heap == NULL) {
			fprintf(stderr, "gen: out of memory\n");
			exit(1);
		}
	}
	if (e.t < g->now + 1)
		e.t = g->now + 1;
	e.seq = g->seq++;
	e.left = (uint8_t)npackets;
	g->future += npackets;
	i = g->nheap++;
	g->heap[i] = e;
	while (i > 0) {
		p = (i - 1) / 2;
		if (!ev_before(&g->heap[i], &g->heap[p]))
			break;
		tmp = g->heap[p];
		g->heap[p] = g->heap[i];
		g->heap[i] = tmp;
		i = p;
	}
}

static struct ev
pop(struct gen *g)
{
	struct ev	top = g->heap[0], tmp;
	size_t		i = 0, l, m;

	g->future -= top.left;
	g->heap[0] = g->heap[--g->nheap];
	for (;;) {
		l = 2 * i + 1;
		m = i;
		if (l < g->nheap && ev_before(&g->heap[l], &g->heap[m]))
			m = l;
		if (l + 1 < g->nheap && ev_before(&g->heap[l + 1], &g->heap[m]))
			m = l + 1;
		if (m == i)
			break;
		tmp = g->heap[m];
		g->heap[m] = g->heap[i];
		g->heap[i] = tmp;
		i = m;
	}
	return top;
}

/* ---- DNS ---- */

static const struct dr_addr *
client_of(struct gen *g, const struct ev *e)
{
	return g->res[e->res].addr.family == DR_AF_INET ?
	    &g->cli4[e->cli] : &g->cli6[e->cli];
}

/* The IP packet of e's query into out. */
static size_t
query_ip(struct gen *g, const struct ev *e, uint8_t *out, size_t cap)
{
	size_t	dl = dns_msg(dnsbuf, e->id, e->nseed, 0, 0);

	return pkt_ip_udp(out, cap, client_of(g, e), e->sport,
	    &g->res[e->res].addr, 53, dnsbuf, dl);
}

static void
send_query(struct gen *g, const struct ev *e)
{
	emit(g, g->now, e->nvlan,
	    query_ip(g, e, ipbuf(e->nvlan), ipcap(e->nvlan)));
	g->res[e->res].queries++;
}

static int
rcode_class(uint8_t rcode)
{
	switch (rcode) {
	case 0: return 0;
	case 3: return 1;
	case 2: return 2;
	case 5: return 3;
	}
	return 4;
}

static size_t
answer_ip(struct gen *g, const struct ev *e, uint8_t *out, size_t cap)
{
	size_t	dl = dns_msg(dnsbuf, e->id, e->nseed, 1, e->rcode);

	return pkt_ip_udp(out, cap, &g->res[e->res].addr, 53,
	    client_of(g, e), e->sport, dnsbuf, dl);
}

static void
send_answer(struct gen *g, const struct ev *e)
{
	struct resolver	*r = &g->res[e->res];

	emit(g, g->now, e->nvlan, answer_ip(g, e, ipbuf(e->nvlan),
	    ipcap(e->nvlan)));
	r->responses++;
	r->rcodes[rcode_class(e->rcode)]++;
}

static void
send_icmp(struct gen *g, const struct ev *e)
{
	struct resolver		*r = &g->res[e->res];
	const struct dr_addr	*from;
	size_t			 ql;
	uint8_t			 code;
	int			 v6 = r->addr.family == DR_AF_INET6;

	ql = query_ip(g, e, qbuf, sizeof(qbuf));
	if (r->role == ROLE_PORT) {
		from = &r->addr;
		code = v6 ? 4 : 3;
	} else {
		from = v6 ? &g->router6 : &g->router4;
		code = v6 ? 1 : 13;
	}
	emit(g, g->now, e->nvlan, pkt_ip_icmp_unreach(ipbuf(e->nvlan),
	    ipcap(e->nvlan), from, client_of(g, e), code, qbuf, ql));
	r->unreach++;
	r->by_code[code]++;
}

/* The client no longer listens: port unreachable about the answer. */
static void
send_late(struct gen *g, const struct ev *e)
{
	const struct dr_addr	*c = client_of(g, e);
	size_t			 al = answer_ip(g, e, qbuf, sizeof(qbuf));

	emit(g, g->now, e->nvlan, pkt_ip_icmp_unreach(ipbuf(e->nvlan),
	    ipcap(e->nvlan), c, &g->res[e->res].addr,
	    c->family == DR_AF_INET ? 3 : 4, qbuf, al));
}

static uint8_t
pick_rcode(struct gen *g)
{
	uint32_t	k = rnd(&g->rng, 1000);

	if (k < 850)
		return 0;		/* NOERROR */
	if (k < 955)
		return 3;		/* NXDOMAIN */
	if (k < 985)
		return 2;		/* SERVFAIL */
	return 5;			/* REFUSED */
}

static int
in_outage(const struct resolver *r, int64_t t)
{
	return r->role != ROLE_OK && t >= r->out_from && t < r->out_until;
}

/* Zipf-like popularity, plus a fifth spread evenly so all are seen. */
static uint32_t
pick_resolver(struct gen *g)
{
	double		x;
	uint32_t	lo = 0, hi = g->nres - 1, mid;

	if (rnd(&g->rng, 5) == 0)
		return rnd(&g->rng, g->nres);
	x = (double)rnd64(&g->rng) / 18446744073709551616.0 *
	    g->cum[g->nres - 1];
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (g->cum[mid] > x)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

static uint8_t
pick_vlan(struct gen *g)
{
	uint32_t	k = rnd(&g->rng, 1000);

	return k < 5 ? 2 : k < 50 ? 1 : 0;
}

/* A client port: Linux's ephemeral range, never 53. */
static uint16_t
pick_port(struct gen *g)
{
	return (uint16_t)(32768 + rnd(&g->rng, 28232));
}

/* -P: hold the answer back until ringcap newer queries are out. */
static void
hold_answer(struct gen *g, const struct ev *e)
{
	struct ev	old;

	if (g->nring == g->ringcap) {
		old = g->ring[g->ringhead];
		g->ringhead = (g->ringhead + 1) % g->ringcap;
		g->nring--;
		g->future--;
		send_answer(g, &old);
	}
	g->ring[(g->ringhead + g->nring) % g->ringcap] = *e;
	g->nring++;
	g->future++;
}

static void
new_dns_tcp(struct gen *g, struct ev *e)
{
	e->kind = K_TCP;
	e->tcp = 1;
	e->step = 0;
	e->cseq = (uint32_t)rnd64(&g->rng);
	e->sseq = (uint32_t)rnd64(&g->rng);
	e->rcode = pick_rcode(g);
	e->t = g->now;
	push(g, *e, 7);
}

static void
new_dns(struct gen *g, int tcp)
{
	struct ev	 e;
	struct resolver	*r;
	int64_t		 d;

	memset(&e, 0, sizeof(e));
	e.res = pick_resolver(g);
	r = &g->res[e.res];
	e.cli = rnd(&g->rng, r->addr.family == DR_AF_INET ? g->ncli4 :
	    g->ncli6);
	e.sport = pick_port(g);
	e.id = (uint16_t)rnd(&g->rng, 65536);
	e.nseed = (uint32_t)rnd64(&g->rng);
	e.nvlan = pick_vlan(g);
	if (tcp && !in_outage(r, g->now)) {
		new_dns_tcp(g, &e);
		return;
	}
	send_query(g, &e);
	if (in_outage(r, g->now)) {
		switch (r->role) {
		case ROLE_PORT:
		case ROLE_ADMIN:
			e.kind = K_ICMP;
			e.t = g->now + r->rtt + rnd_range(&g->rng, 0, 500);
			push(g, e, 1);
			break;
		case ROLE_DROP:
			e.kind = K_RETX;
			e.t = g->now + rnd_range(&g->rng, 1000, 2000) * MS;
			push(g, e, 1);
			break;
		default:
			break;
		}
		return;
	}
	e.kind = K_RESP;
	e.rcode = pick_rcode(g);
	if (g->ringcap > 0) {
		hold_answer(g, &e);
		return;
	}
	d = r->rtt + rnd_range(&g->rng, 0, 3 * MS);
	switch (rnd(&g->rng, 100)) {
	case 0:
	case 1:			/* slow: the client asks again after 1 s */
		d = rnd_range(&g->rng, 1100, 2500) * MS;
		e.retx = 1;
		break;
	case 2: case 3: case 4: case 5: case 6: case 7: case 8: case 9:
		d += rnd_range(&g->rng, 20, 300) * MS;	/* cache miss */
		break;
	default:
		break;
	}
	e.t = g->now + d;
	if (e.retx) {
		struct ev	rx = e;

		rx.kind = K_RETX;
		rx.t = g->now + 1000 * MS;
		push(g, rx, 1);
	}
	/* Now and then the client has gone when the answer comes. */
	e.step = rnd(&g->rng, 1000) < 3;
	push(g, e, 1 + e.step);
}

static void
tcp_step(struct gen *g, struct ev *e)
{
	struct resolver		*r = &g->res[e->res];
	const struct dr_addr	*c = client_of(g, e);
	uint8_t			*ip = ipbuf(e->nvlan);
	size_t			 cap = ipcap(e->nvlan), ql, al, n = 0;
	uint32_t		 cs = e->cseq, ss = e->sseq;

	ql = dns_msg(qbuf + 2, e->id, e->nseed, 0, 0);
	al = dns_msg(dnsbuf + 2, e->id, e->nseed, 1, e->rcode);
	pkt_put16(qbuf, (uint16_t)ql);
	pkt_put16(dnsbuf, (uint16_t)al);
	ql += 2;
	al += 2;
	switch (e->step) {
	case 0:
		n = tcp_seg(ip, cap, c, e->sport, &r->addr, 53, PKT_TH_SYN,
		    cs, 0, NULL, 0);
		break;
	case 1:
		n = tcp_seg(ip, cap, &r->addr, 53, c, e->sport,
		    PKT_TH_SYN | PKT_TH_ACK, ss, cs + 1, NULL, 0);
		break;
	case 2:
		n = tcp_seg(ip, cap, c, e->sport, &r->addr, 53,
		    PKT_TH_PSH | PKT_TH_ACK, cs + 1, ss + 1, qbuf, ql);
		r->queries++;
		break;
	case 3:
		n = tcp_seg(ip, cap, &r->addr, 53, c, e->sport,
		    PKT_TH_PSH | PKT_TH_ACK, ss + 1, cs + 1 + (uint32_t)ql,
		    dnsbuf, al);
		r->responses++;
		r->rcodes[rcode_class(e->rcode)]++;
		break;
	case 4:
		n = tcp_seg(ip, cap, c, e->sport, &r->addr, 53,
		    PKT_TH_FIN | PKT_TH_ACK, cs + 1 + (uint32_t)ql,
		    ss + 1 + (uint32_t)al, NULL, 0);
		break;
	case 5:
		n = tcp_seg(ip, cap, &r->addr, 53, c, e->sport,
		    PKT_TH_FIN | PKT_TH_ACK, ss + 1 + (uint32_t)al,
		    cs + 2 + (uint32_t)ql, NULL, 0);
		break;
	case 6:
		n = tcp_seg(ip, cap, c, e->sport, &r->addr, 53, PKT_TH_ACK,
		    cs + 2 + (uint32_t)ql, ss + 2 + (uint32_t)al, NULL, 0);
		break;
	}
	emit(g, g->now, e->nvlan, n);
	if (e->step == 6)
		return;
	e->step++;
	switch (e->step) {
	case 1: case 5:
		e->t = g->now + r->rtt;
		break;
	case 3:
		e->t = g->now + r->rtt + rnd_range(&g->rng, 0, 20 * MS);
		break;
	default:
		e->t = g->now + rnd_range(&g->rng, 50, 300);
		break;
	}
	push(g, *e, 7u - e->step);
}

/* ---- traffic that is not DNS ---- */

static void
fill(struct gen *g, uint8_t *p, size_t n)
{
	memcpy(p, noise + rnd(&g->rng, 65536), n);
}

static const struct dr_addr *
server_of(struct gen *g, const struct ev *e, int v6)
{
	return v6 ? &g->srv6[e->res % 64] : &g->srv4[e->res % 64];
}

static const struct dr_addr *
any_client(struct gen *g, const struct ev *e, int v6)
{
	return v6 ? &g->cli6[e->cli % g->ncli6] : &g->cli4[e->cli % g->ncli4];
}

static void
https_step(struct gen *g, struct ev *e)
{
	int			 v6 = e->rcode;
	const struct dr_addr	*c = any_client(g, e, v6), *s;
	uint8_t			*ip = ipbuf(e->nvlan);
	size_t			 cap = ipcap(e->nvlan), n, len;

	s = server_of(g, e, v6);
	if (rnd(&g->rng, 10) < 4) {		/* client: ACK or request */
		len = rnd(&g->rng, 4) == 0 ? 40 + rnd(&g->rng, 500) : 0;
		fill(g, qbuf, len);
		n = tcp_seg(ip, cap, c, e->sport, s, 443,
		    PKT_TH_ACK | (len ? PKT_TH_PSH : 0), e->cseq, e->sseq,
		    qbuf, len);
		e->cseq += (uint32_t)len;
	} else {
		len = rnd(&g->rng, 3) ? 1448 - (v6 ? 20 : 0) :
		    100 + rnd(&g->rng, 1200);
		fill(g, qbuf, len);
		n = tcp_seg(ip, cap, s, 443, c, e->sport, PKT_TH_ACK,
		    e->sseq, e->cseq, qbuf, len);
		e->sseq += (uint32_t)len;
	}
	emit(g, g->now, e->nvlan, n);
	if (e->step == 0)
		return;
	e->step--;
	e->t = g->now + rnd_range(&g->rng, 20, 2000);
	push(g, *e, e->step + 1u);
}

static void
quic_step(struct gen *g, struct ev *e)
{
	int			 v6 = e->rcode;
	const struct dr_addr	*c = any_client(g, e, v6), *s;
	uint8_t			*ip = ipbuf(e->nvlan);
	size_t			 cap = ipcap(e->nvlan), n, len;

	s = server_of(g, e, v6);
	len = 40 + rnd(&g->rng, 1200);
	fill(g, qbuf, len);
	qbuf[0] = (uint8_t)(0x40 | (qbuf[0] & 0x3f));	/* short header */
	if (e->step & 1)
		n = pkt_ip_udp(ip, cap, s, 443, c, e->sport, qbuf, len);
	else
		n = pkt_ip_udp(ip, cap, c, e->sport, s, 443, qbuf, len);
	emit(g, g->now, e->nvlan, n);
	if (e->step == 0)
		return;
	e->step--;
	e->t = g->now + rnd_range(&g->rng, 100, 5000);
	push(g, *e, e->step + 1u);
}

static void
new_other(struct gen *g, uint32_t k)
{
	struct ev	 e;
	int		 v6 = rnd(&g->rng, 10) < 3;
	uint8_t		*ip;
	size_t		 cap, n, len;

	memset(&e, 0, sizeof(e));
	e.res = rnd(&g->rng, 64);
	e.cli = (uint32_t)rnd64(&g->rng);
	e.sport = pick_port(g);
	e.nvlan = pick_vlan(g);
	e.rcode = (uint8_t)v6;
	e.cseq = (uint32_t)rnd64(&g->rng);
	e.sseq = (uint32_t)rnd64(&g->rng);
	ip = ipbuf(e.nvlan);
	cap = ipcap(e.nvlan);
	if (k == 0) {			/* HTTPS: a burst of 1..8 segments */
		e.kind = K_HTTPS;
		e.step = (uint8_t)rnd(&g->rng, 8);
		e.t = g->now;
		push(g, e, e.step + 1u);
		return;
	}
	if (k == 1) {			/* QUIC: 1..3 datagrams */
		e.kind = K_QUIC;
		e.step = (uint8_t)rnd(&g->rng, 3);
		e.t = g->now;
		push(g, e, e.step + 1u);
		return;
	}
	if (k == 2) {			/* NTP */
		memset(qbuf, 0, 48);
		qbuf[0] = 0x23;
		fill(g, qbuf + 40, 8);
		n = pkt_ip_udp(ip, cap, any_client(g, &e, v6), 123,
		    server_of(g, &e, v6), 123, qbuf, 48);
		emit(g, g->now, e.nvlan, n);
		e.kind = K_NTP;
		e.t = g->now + MIN_RTT + rnd_range(&g->rng, 0, 40 * MS);
		push(g, e, 1);
		return;
	}
	if (k == 3) {			/* ping */
		fill(g, qbuf, 56);
		n = pkt_ip_icmp(ip, cap, any_client(g, &e, v6),
		    server_of(g, &e, v6), v6 ? 128 : 8, 0, qbuf, 56);
		emit(g, g->now, e.nvlan, n);
		e.kind = K_ECHO;
		e.t = g->now + MIN_RTT + rnd_range(&g->rng, 0, 40 * MS);
		push(g, e, 1);
		return;
	}
	/*
	 * ICMP errors that are not about a query to port 53: port
	 * unreachable about QUIC, and time exceeded about a DNS query.
	 */
	len = 40 + rnd(&g->rng, 200);
	fill(g, dnsbuf, len);
	if (k == 4) {
		n = pkt_ip_udp(qbuf, sizeof(qbuf), any_client(g, &e, v6),
		    e.sport, server_of(g, &e, v6), 443, dnsbuf, len);
		n = pkt_ip_icmp_unreach(ip, cap, server_of(g, &e, v6),
		    any_client(g, &e, v6), v6 ? 4 : 3, qbuf, n);
	} else {
		struct ev	q = e;

		q.res = rnd(&g->rng, g->nres);
		q.cli = rnd(&g->rng, g->res[q.res].addr.family == DR_AF_INET ?
		    g->ncli4 : g->ncli6);
		q.nseed = (uint32_t)rnd64(&g->rng);
		v6 = g->res[q.res].addr.family == DR_AF_INET6;
		n = query_ip(g, &q, qbuf, sizeof(qbuf));
		n = pkt_ip_icmp(ip, cap, v6 ? &g->router6 : &g->router4,
		    client_of(g, &q), v6 ? 3 : 11, 0, qbuf, n);
	}
	emit(g, g->now, e.nvlan, n);
}

static void
run_ev(struct gen *g, struct ev *e)
{
	int	v6 = e->rcode;

	switch (e->kind) {
	case K_RESP:
		send_answer(g, e);
		if (e->step) {
			e->kind = K_LATE;
			e->t = g->now + rnd_range(&g->rng, 100, 900);
			push(g, *e, 1);
		}
		break;
	case K_ICMP:
		send_icmp(g, e);
		break;
	case K_RETX:
		send_query(g, e);
		break;
	case K_LATE:
		send_late(g, e);
		break;
	case K_TCP:
		tcp_step(g, e);
		break;
	case K_HTTPS:
		https_step(g, e);
		break;
	case K_QUIC:
		quic_step(g, e);
		break;
	case K_NTP:
		memset(qbuf, 0, 48);
		qbuf[0] = 0x24;
		qbuf[1] = 2;
		fill(g, qbuf + 16, 32);
		emit(g, g->now, e->nvlan, pkt_ip_udp(ipbuf(e->nvlan),
		    ipcap(e->nvlan), server_of(g, e, v6), 123,
		    any_client(g, e, v6), 123, qbuf, 48));
		break;
	case K_ECHO:
		fill(g, qbuf, 56);
		emit(g, g->now, e->nvlan, pkt_ip_icmp(ipbuf(e->nvlan),
		    ipcap(e->nvlan), server_of(g, e, v6),
		    any_client(g, e, v6), v6 ? 129 : 0, 0, qbuf, 56));
		break;
	}
}

/* Send everything due by t, in time order. */
static void
run_until(struct gen *g, int64_t t)
{
	struct ev	e;

	while (g->nheap > 0 && g->heap[0].t <= t) {
		e = pop(g);
		if (e.t > g->now)
			g->now = e.t;
		run_ev(g, &e);
	}
	if (t > g->now)
		g->now = t;
}

/* Send everything still scheduled. */
static void
drain(struct gen *g)
{
	struct ev	e;

	while (g->nheap > 0) {
		e = pop(g);
		if (e.t > g->now)
			g->now = e.t;
		run_ev(g, &e);
	}
}

/* ---- set up ---- */

static void
setup(struct gen *g, uint32_t nres, uint32_t nclients)
{
	uint32_t	i, j;
	uint8_t		a[16];
	double		w = 0;

	g->nres = nres;
	g->nv4 = nres * 7 / 10;
	if (g->nv4 > NV4_MAX)
		g->nv4 = NV4_MAX;
	if (g->nv4 == 0)
		g->nv4 = 1;
	g->res = calloc(nres, sizeof(*g->res));
	g->cum = calloc(nres, sizeof(*g->cum));
	if (g->res == NULL || g->cum == NULL) {
		fprintf(stderr, "gen: out of memory\n");
		exit(1);
	}
	for (i = 0; i < nres; i++) {
		struct resolver	*r = &g->res[i];
		uint32_t	 k = i < g->nv4 ? i : i - g->nv4;

		if (i < g->nv4) {
			a[0] = 203; a[1] = 0; a[2] = 113;
			a[3] = (uint8_t)(1 + k);
			dr_addr_set4(&r->addr, a);
		} else {
			memset(a, 0, sizeof(a));
			memcpy(a, "\x20\x01\x0d\xb8\x00\x53", 6);
			pkt_put16(a + 12, (uint16_t)((k + 1) >> 16));
			pkt_put16(a + 14, (uint16_t)(k + 1));
			dr_addr_set6(&r->addr, a);
		}
		/* Popularity: Zipf-like, IPv6 half as busy. */
		w += (i < g->nv4 ? 1.0 : 0.5) / (0.5 + (double)k);
		g->cum[i] = w;
		r->rtt = MIN_RTT + rnd_range(&g->rng, 0, 25 * MS);
		if (i < g->nv4) {
			if (k == 2 || k == 3)
				r->role = ROLE_PORT;
			else if (k == 4)
				r->role = ROLE_ADMIN;
			else if (k == 5)
				r->role = ROLE_DROP;
		} else if (k == 1)
			r->role = ROLE_PORT;
		else if (k == 2)
			r->role = ROLE_ADMIN;
	}
	for (i = 0; i < nres; i++) {
		struct resolver	*r = &g->res[i];
		int64_t		 t0 = T0 * USEC;

		switch (r->role) {
		case ROLE_PORT:
			r->out_from = t0 + g->span * 3 / 10;
			r->out_until = t0 + g->span * 7 / 10;
			break;
		case ROLE_ADMIN:
			r->out_from = t0 + g->span / 2;
			r->out_until = INT64_MAX;
			break;
		case ROLE_DROP:
			r->out_from = t0 + g->span / 5;
			r->out_until = t0 + g->span * 3 / 5;
			break;
		default:
			break;
		}
	}
	/* IPv4 clients: both /24s except the router (198.51.100.254). */
	g->cli4 = calloc(508, sizeof(*g->cli4));
	for (i = 0, j = 0; i < 2; i++) {
		uint32_t	h;

		for (h = 1; h <= 254; h++) {
			if (i == 1 && h == 254)
				continue;
			a[0] = i ? 198 : 192;
			a[1] = i ? 51 : 0;
			a[2] = i ? 100 : 2;
			a[3] = (uint8_t)h;
			dr_addr_set4(&g->cli4[j++], a);
		}
	}
	g->ncli4 = j;
	g->ncli6 = nclients > g->ncli4 + 16 ? nclients - g->ncli4 : 16;
	g->cli6 = calloc(g->ncli6, sizeof(*g->cli6));
	if (g->cli4 == NULL || g->cli6 == NULL) {
		fprintf(stderr, "gen: out of memory\n");
		exit(1);
	}
	for (i = 0; i < g->ncli6; i++) {
		memset(a, 0, sizeof(a));
		memcpy(a, "\x20\x01\x0d\xb8\x00\x0c", 6);
		pkt_put16(a + 6, (uint16_t)(i / 200));
		pkt_put16(a + 14, (uint16_t)(0x10 + i % 200));
		dr_addr_set6(&g->cli6[i], a);
	}
	for (i = 0; i < 64; i++) {
		a[0] = 203; a[1] = 0; a[2] = 113;
		a[3] = (uint8_t)(128 + i);
		dr_addr_set4(&g->srv4[i], a);
		memset(a, 0, sizeof(a));
		memcpy(a, "\x20\x01\x0d\xb8\x00\x80", 6);
		pkt_put16(a + 14, (uint16_t)(0x100 + i));
		dr_addr_set6(&g->srv6[i], a);
	}
	g->router4 = pkt_addr("198.51.100.254");
	g->router6 = pkt_addr("2001:db8:ff::1");
	for (i = 0; i < sizeof(noise); i++)
		noise[i] = (uint8_t)(rnd64(&g->rng) >> 56);
}

/* ---- truth ---- */

static int
write_truth(struct gen *g, const char *path)
{
	static const char *const rcn[5] = {
		"NOERROR", "NXDOMAIN", "SERVFAIL", "REFUSED", "OTHER"
	};
	FILE	*f;
	char	 addr[DR_ADDR_STRLEN];
	uint32_t i, c, first = 1, k;

	if ((f = fopen(path, "w")) == NULL) {
		fprintf(stderr, "gen: %s: %s\n", path, strerror(errno));
		return -1;
	}
	fprintf(f, "{\"generator\": \"%s\", \"packets\": %llu, "
	    "\"resolvers\": {", GEN_VERSION, (unsigned long long)g->packets);
	for (i = 0; i < g->nres; i++) {
		struct resolver	*r = &g->res[i];

		if (r->queries == 0 && r->responses == 0 && r->unreach == 0)
			continue;
		fprintf(f, "%s\n  \"%s\": {\"queries\": %llu, "
		    "\"responses\": %llu, \"unreachable\": %llu, "
		    "\"unreachable_by_code\": {", first ? "" : ",",
		    dr_addr_format(&r->addr, addr, sizeof(addr)),
		    (unsigned long long)r->queries,
		    (unsigned long long)r->responses,
		    (unsigned long long)r->unreach);
		first = 0;
		for (c = 0, k = 0; c < NCODES; c++)
			if (r->by_code[c])
				fprintf(f, "%s\"%u\": %llu", k++ ? ", " : "", c,
				    (unsigned long long)r->by_code[c]);
		fprintf(f, "}, \"rcodes\": {");
		for (c = 0; c < 5; c++)
			fprintf(f, "%s\"%s\": %llu", c ? ", " : "", rcn[c],
			    (unsigned long long)r->rcodes[c]);
		fprintf(f, "}, \"role\": \"%s\"}",
		    r->role == ROLE_PORT ? "port-unreachable" :
		    r->role == ROLE_ADMIN ? "admin-prohibited" :
		    r->role == ROLE_DROP ? "silent-drop" : "ok");
	}
	fprintf(f, "\n}}\n");
	if (fclose(f) == EOF) {
		fprintf(stderr, "gen: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: gen [-n PACKETS] -o FILE -t TRUTH.json "
	    "[-R RESOLVERS] [-P OUTSTANDING]\n"
	    "           [-C CLIENTS] [-T SECONDS] [-s SEED]\n");
	exit(2);
}

static unsigned long long
num(const char *s, unsigned long long lo, unsigned long long hi)
{
	char			*end;
	unsigned long long	 v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || end == s || v < lo || v > hi)
		usage();
	return v;
}

int
main(int argc, char **argv)
{
	struct gen	 g;
	const char	*out = NULL, *truth = NULL;
	uint64_t	 seed = 0x5eed2026;
	uint32_t	 nres = 40, nclients = 4000, k;
	int64_t		 gap, end;
	int		 ch;
	static char	 iobuf[1 << 22];

	memset(&g, 0, sizeof(g));
	g.target = 2000000;
	g.span = 300 * USEC;
	while ((ch = getopt(argc, argv, "n:o:t:R:P:C:T:s:")) != -1) {
		switch (ch) {
		case 'n': g.target = num(optarg, 1, 1ULL << 32); break;
		case 'o': out = optarg; break;
		case 't': truth = optarg; break;
		case 'R': nres = (uint32_t)num(optarg, 1, 65535); break;
		case 'P': g.ringcap = (size_t)num(optarg, 1, 1 << 24); break;
		case 'C': nclients = (uint32_t)num(optarg, 1, 1 << 20); break;
		case 'T': g.span = (int64_t)num(optarg, 1, 86400) * USEC; break;
		case 's': seed = num(optarg, 0, UINT64_MAX); break;
		default: usage();
		}
	}
	if (out == NULL || truth == NULL || optind != argc)
		usage();
	g.rng = seed * 0x9e3779b97f4a7c15ULL + 0x2545f4914f6cdd1dULL;
	if (g.rng == 0)
		g.rng = 1;
	setup(&g, nres, nclients);
	if (g.ringcap > 0 &&
	    (g.ring = calloc(g.ringcap, sizeof(*g.ring))) == NULL) {
		fprintf(stderr, "gen: out of memory\n");
		return 1;
	}
	if ((g.f = fopen(out, "wb")) == NULL) {
		fprintf(stderr, "gen: %s: %s\n", out, strerror(errno));
		return 1;
	}
	setvbuf(g.f, iobuf, _IOFBF, sizeof(iobuf));
	pcap_header(&g);
	g.now = T0 * USEC;
	/* About 2.57 packets per transaction on average. */
	gap = g.span * 257 / 100 / (int64_t)g.target;
	while (g.packets + g.future < g.target) {
		run_until(&g, g.now + rnd_range(&g.rng, 0, 2 * gap + 1));
		k = rnd(&g.rng, 1000);
		if (k < 520)
			new_dns(&g, 0);
		else if (k < 530)
			new_dns(&g, 1);
		else if (k < 740)
			new_other(&g, 0);	/* HTTPS */
		else if (k < 865)
			new_other(&g, 1);	/* QUIC */
		else if (k < 930)
			new_other(&g, 2);	/* NTP */
		else if (k < 994)
			new_other(&g, 3);	/* ping */
		else if (k < 997)
			new_other(&g, 4);	/* ICMP about QUIC */
		else
			new_other(&g, 5);	/* time exceeded, DNS */
	}
	drain(&g);
	/* -P: the answers still held back come last. */
	end = g.now;
	while (g.nring > 0) {
		g.now = end + (int64_t)(g.ringcap - g.nring) * 10 + MIN_RTT;
		send_answer(&g, &g.ring[g.ringhead]);
		g.ringhead = (g.ringhead + 1) % g.ringcap;
		g.nring--;
		g.future--;
	}
	if (fflush(g.f) == EOF || ferror(g.f) || fclose(g.f) == EOF) {
		fprintf(stderr, "gen: %s: %s\n", out, strerror(errno));
		return 1;
	}
	if (write_truth(&g, truth) == -1)
		return 1;
	free(g.heap);
	free(g.ring);
	free(g.res);
	free(g.cum);
	free(g.cli4);
	free(g.cli6);
	return 0;
}
