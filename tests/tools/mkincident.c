/*
 * mkincident: write the captures of the report tests, deterministically.
 *
 *   mkincident SCENARIO FILE
 *
 *   seed     the incident this project exists for: one client,
 *            192.51.100.15, asks 203.0.113.2 for yummyrecipesforme.com (A)
 *            three times two minutes apart from 2026-01-14 13:24:32 UTC;
 *            each query is answered 4 to 44 s later by ICMP "udp port 53
 *            unreachable" from 203.0.113.2 itself; nothing else.
 *   multi    ten minutes from 2026-03-14 09:00 UTC, four resolvers:
 *            203.0.113.2 refuses port 53 (ICMP from itself) from 1:00 to
 *            2:00, then drops every query silently from 7:00 to 8:00;
 *            2001:db8::53 is cut off by a router three hops away
 *            (2001:db8:ff::1, administratively prohibited) from 2:00 to
 *            the end; 203.0.113.4 answers SERVFAIL from 3:20 to 4:20;
 *            203.0.113.3 answers everything.
 *   healthy  a minute of answered queries to 203.0.113.2 and 2001:db8::2,
 *            with A and AAAA records in the answers.
 *   nodns    a minute of HTTPS and ping, no DNS.
 *   evil     as seed with three clients, asking for names that hold
 *            Markdown and HTML: "<script>", "a|b", "`x`", "*_&_*", ...
 *   zoo      one of each: DNS flags, EDNS, answers of many types, rcodes
 *            (extended too), every ICMP and ICMPv6 unreachable code, an
 *            8-byte quote, an error about a response, DNS over TCP: what
 *            dr_pktline() must print as tcpdump does.
 *
 * Ethernet framing, pcap format, microsecond stamps.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "util_pkt.h"

#define USEC		1000000LL
#define T_SEED		1768397072LL	/* 2026-01-14T13:24:32Z */
#define T_MULTI		1773478800LL	/* 2026-03-14T09:00:00Z */

struct pkt {
	long long	 us;
	size_t		 seq;		/* keeps equal stamps in order */
	size_t		 len;
	uint8_t		*b;
};

static struct pkt	*pkts;
static size_t		 npkts, cap_pkts;
static uint32_t		 rnd = 12345;

static void __attribute__((noreturn))
die(const char *what)
{
	fprintf(stderr, "mkincident: %s\n", what);
	exit(1);
}

/* Deterministic noise: the same file every run. */
static uint32_t
next_rand(void)
{
	rnd = rnd * 1103515245u + 12345u;
	return rnd >> 8;
}

static void
add(long long us, const uint8_t *ip, size_t len)
{
	struct pkt	*v;

	if (len == 0)
		die("a packet did not build");
	if (npkts == cap_pkts) {
		cap_pkts = cap_pkts ? cap_pkts * 2 : 1024;
		if ((v = realloc(pkts, cap_pkts * sizeof(*v))) == NULL)
			die("out of memory");
		pkts = v;
	}
	if ((pkts[npkts].b = malloc(len)) == NULL)
		die("out of memory");
	memcpy(pkts[npkts].b, ip, len);
	pkts[npkts].len = len;
	pkts[npkts].us = us;
	pkts[npkts].seq = npkts;
	npkts++;
}

static int
cmp_pkt(const void *x, const void *y)
{
	const struct pkt *a = x, *b = y;

	if (a->us != b->us)
		return a->us < b->us ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static void
write_all(const char *file)
{
	static uint8_t		 frame[PKT_MAX];
	struct pcap_pkthdr	 h;
	pcap_dumper_t		*d;
	pcap_t			*p;
	size_t			 i, n;

	qsort(pkts, npkts, sizeof(*pkts), cmp_pkt);
	if ((p = pcap_open_dead(DLT_EN10MB, 65535)) == NULL ||
	    (d = pcap_dump_open(p, file)) == NULL) {
		fprintf(stderr, "mkincident: %s: cannot write\n", file);
		exit(1);
	}
	for (i = 0; i < npkts; i++) {
		n = pkt_link(frame, sizeof(frame), DLT_EN10MB, 0, pkts[i].b,
		    pkts[i].len);
		if (n == 0)
			die("cannot frame a packet");
		h.ts.tv_sec = (time_t)(pkts[i].us / USEC);
		h.ts.tv_usec = (suseconds_t)(pkts[i].us % USEC);
		h.caplen = h.len = (bpf_u_int32)n;
		pcap_dump((u_char *)d, &h, frame);
		free(pkts[i].b);
	}
	pcap_dump_close(d);
	pcap_close(p);
	free(pkts);
}

/* The query as sent; *qlen its length, for an ICMP error to quote. */
static const uint8_t *
query(long long us, const struct dr_addr *client, uint16_t port,
    const struct dr_addr *resolver, uint16_t id, uint16_t qtype,
    const char *name, size_t *qlen)
{
	static uint8_t	ip[PKT_MAX];
	uint8_t		dns[512];
	size_t		dl;

	dl = pkt_dns_raw(dns, sizeof(dns), id, 0x0100, qtype, name);
	*qlen = pkt_ip_udp(ip, sizeof(ip), client, port, resolver, 53, dns,
	    dl);
	add(us, ip, *qlen);
	return ip;
}

/* A response with rcode and, for NOERROR, one A or AAAA record. */
static void
answer(long long us, const struct dr_addr *resolver,
    const struct dr_addr *client, uint16_t port, uint16_t id,
    uint16_t qtype, const char *name, int rcode)
{
	uint8_t	ip[1024], dns[600];
	size_t	dl;

	dl = pkt_dns_raw(dns, sizeof(dns), id, (uint16_t)(0x8180 | rcode),
	    qtype, name);
	if (dl == 0)
		die("a response did not build");
	if (rcode == 0 && (qtype == 1 || qtype == 28)) {
		size_t	rdlen = qtype == 1 ? 4 : 16;

		pkt_put16(dns + 6, 1);			/* ancount */
		pkt_put16(dns + dl, 0xc00c);		/* the qname */
		pkt_put16(dns + dl + 2, qtype);
		pkt_put16(dns + dl + 4, 1);
		pkt_put32(dns + dl + 6, 300);
		pkt_put16(dns + dl + 10, (uint16_t)rdlen);
		memset(dns + dl + 12, 0, rdlen);
		if (qtype == 1) {
			dns[dl + 12] = 198;
			dns[dl + 13] = 51;
			dns[dl + 14] = 100;
			dns[dl + 15] = (uint8_t)(10 + id % 200);
		} else {
			dns[dl + 12] = 0x20;
			dns[dl + 13] = 0x01;
			dns[dl + 14] = 0x0d;
			dns[dl + 15] = 0xb8;
			dns[dl + 27] = (uint8_t)(id % 200 + 1);
		}
		dl += 12 + rdlen;
	}
	add(us, ip, pkt_ip_udp(ip, sizeof(ip), resolver, 53, client, port,
	    dns, dl));
}

static void
unreach(long long us, const struct dr_addr *from, uint8_t ttl,
    const struct dr_addr *to, uint8_t code, const uint8_t *quote,
    size_t qlen)
{
	uint8_t	ip[PKT_MAX];
	size_t	il;

	il = pkt_ip_icmp_unreach(ip, sizeof(ip), from, to, code, quote, qlen);
	if (il == 0 || (ttl != 64 && pkt_set_ttl(ip, il, ttl) == -1))
		die("an ICMP error did not build");
	add(us, ip, il);
}

static void
seed(void)
{
	/* Seconds after each query that its ICMP error came. */
	static const long long	delay[3] = { 3905993, 16432117, 43871205 };
	static const uint16_t	port[3] = { 52444, 52958, 53012 };
	static const uint16_t	id[3] = { 35084, 4151, 60527 };
	struct dr_addr		client = pkt_addr("192.51.100.15");
	struct dr_addr		resolver = pkt_addr("203.0.113.2");
	const uint8_t		*q;
	long long		 t;
	size_t			 ql;
	int			 i;

	for (i = 0; i < 3; i++) {
		t = T_SEED * USEC + 192571 + i * 120 * USEC;
		q = query(t, &client, port[i], &resolver, id[i], 1,
		    "yummyrecipesforme.com", &ql);
		unreach(t + delay[i], &resolver, 64, &client, 3, q, ql);
	}
}

enum behaviour { ANSWER, PORT, ADMIN, SERVFAIL, DROP };

struct stream {
	const char	*resolver;
	const char	*clients;	/* "192.0.2.": the last part varies */
	unsigned	 nclients;
	unsigned	 qps;
	const char	*router;	/* sends ADMIN errors */
	uint8_t		 router_ttl;
};

/* Queries of one stream from second from to second to, all alike. */
static void
traffic(const struct stream *s, long long t0, unsigned from, unsigned to,
    enum behaviour b)
{
	static const char *const names[] = {
		"www.example.com", "mail.example.org", "intranet.example.net",
		"cdn.example.com", "api.example.org", "login.example.net"
	};
	static unsigned		 q;
	struct dr_addr		 resolver = pkt_addr(s->resolver), client;
	struct dr_addr		 router;
	const uint8_t		*qp;
	long long		 t, end = t0 + (long long)to * USEC;
	char			 ctext[64];
	const char		*name;
	uint16_t		 port, id, qtype;
	size_t			 ql;
	int			 v6 = resolver.family == DR_AF_INET6;

	for (t = t0 + (long long)from * USEC; t < end; t += USEC / s->qps) {
		q++;
		snprintf(ctext, sizeof(ctext), v6 ? "%s%x" : "%s%u",
		    s->clients, 10 + q % s->nclients);
		client = pkt_addr(ctext);
		port = (uint16_t)(30000 + next_rand() % 30000);
		id = (uint16_t)next_rand();
		name = names[q % (sizeof(names) / sizeof(names[0]))];
		qtype = v6 ? 28 : 1;
		qp = query(t, &client, port, &resolver, id, qtype, name, &ql);
		switch (b) {
		case ANSWER:
		case SERVFAIL:
			answer(t + 8000 + next_rand() % 30000, &resolver,
			    &client, port, id, qtype, name,
			    b == SERVFAIL ? 2 : 0);
			break;
		case PORT:
			unreach(t + 300 + next_rand() % 500, &resolver, 64,
			    &client, v6 ? 4 : 3, qp, ql);
			break;
		case ADMIN:
			router = pkt_addr(s->router);
			unreach(t + 900 + next_rand() % 500, &router,
			    s->router_ttl, &client, v6 ? 1 : 13, qp, ql);
			break;
		case DROP:
			break;
		}
	}
}

static void
multi(void)
{
	static const struct stream r1 = { "203.0.113.2", "192.0.2.", 12, 4,
	    NULL, 64 };
	static const struct stream r2 = { "2001:db8::53", "2001:db8:1::", 6,
	    2, "2001:db8:ff::1", 61 };
	static const struct stream r3 = { "203.0.113.4", "192.0.2.", 8, 2,
	    NULL, 64 };
	static const struct stream r4 = { "203.0.113.3", "192.0.2.", 4, 1,
	    NULL, 64 };
	long long	t0 = T_MULTI * USEC;

	traffic(&r1, t0, 0, 60, ANSWER);
	traffic(&r1, t0, 60, 120, PORT);
	traffic(&r1, t0, 120, 420, ANSWER);
	traffic(&r1, t0, 420, 480, DROP);
	traffic(&r1, t0, 480, 600, ANSWER);
	traffic(&r2, t0 + 250000, 0, 120, ANSWER);
	traffic(&r2, t0 + 250000, 120, 600, ADMIN);
	traffic(&r3, t0 + 125000, 0, 200, ANSWER);
	traffic(&r3, t0 + 125000, 200, 260, SERVFAIL);
	traffic(&r3, t0 + 125000, 260, 600, ANSWER);
	traffic(&r4, t0 + 375000, 0, 600, ANSWER);
}

static void
healthy(void)
{
	static const struct stream a = { "203.0.113.2", "192.0.2.", 5, 2,
	    NULL, 64 };
	static const struct stream b = { "2001:db8::2", "2001:db8:1::", 3,
	    1, NULL, 64 };

	traffic(&a, T_MULTI * USEC, 0, 60, ANSWER);
	traffic(&b, T_MULTI * USEC + 500000, 0, 60, ANSWER);
}

static void
nodns(void)
{
	struct dr_addr	c = pkt_addr("192.0.2.10");
	struct dr_addr	web = pkt_addr("198.51.100.80");
	uint8_t		ip[256], body[64];
	long long	t;

	memset(body, 0x42, sizeof(body));
	for (t = 0; t < 60; t++) {
		add(T_MULTI * USEC + t * USEC, ip, pkt_ip_tcp(ip, sizeof(ip),
		    &c, 40000, &web, 443, PKT_TH_ACK | PKT_TH_PSH, body,
		    sizeof(body)));
		add(T_MULTI * USEC + t * USEC + 500000, ip, pkt_ip_icmp(ip,
		    sizeof(ip), &c, &web, 8, 0, body, 16));
	}
}

static void
evil(void)
{
	static const char *const names[] = {
		"<script>alert(1)</script>.example.com", "a|b.example.com",
		"`x`.example.com", "*_&_*.example.com", "[x](y).example.com",
		"\"q\".example.com"
	};
	struct dr_addr	 resolver = pkt_addr("203.0.113.2"), client;
	const uint8_t	*q;
	char		 ctext[32];
	long long	 t;
	size_t		 ql, i;

	for (i = 0; i < 12; i++) {
		snprintf(ctext, sizeof(ctext), "192.0.2.%zu", 10 + i % 3);
		client = pkt_addr(ctext);
		t = T_SEED * USEC + (long long)i * 2 * USEC;
		q = query(t, &client, (uint16_t)(40000 + i), &resolver,
		    (uint16_t)(1000 + i), 1, names[i % 6], &ql);
		unreach(t + 2000, &resolver, 64, &client, 3, q, ql);
	}
}

/* A DNS message built by hand, for the zoo. */
struct msg {
	uint8_t	b[1024];
	size_t	n;
};

static void
m_u16(struct msg *m, uint16_t v)
{
	pkt_put16(m->b + m->n, v);
	m->n += 2;
}

static void
m_u32(struct msg *m, uint32_t v)
{
	pkt_put32(m->b + m->n, v);
	m->n += 4;
}

static void
m_hdr(struct msg *m, uint16_t id, uint16_t flags, uint16_t qd, uint16_t an,
    uint16_t ns, uint16_t ar)
{
	m->n = 0;
	m_u16(m, id);
	m_u16(m, flags);
	m_u16(m, qd);
	m_u16(m, an);
	m_u16(m, ns);
	m_u16(m, ar);
}

/* "www.example.com", "" for the root; "@12" points to offset 12. */
static void
m_name(struct msg *m, const char *name)
{
	const char	*dot;
	size_t		 n;

	while (*name != '\0') {
		if (name[0] == '@') {
			m_u16(m, (uint16_t)(0xc000 | atoi(name + 1)));
			return;
		}
		dot = strchr(name, '.');
		n = dot == NULL ? strlen(name) : (size_t)(dot - name);
		m->b[m->n++] = (uint8_t)n;
		memcpy(m->b + m->n, name, n);
		m->n += n;
		name += n;
		if (*name == '.')
			name++;
	}
	m->b[m->n++] = 0;
}

static void
m_question(struct msg *m, const char *name, uint16_t type, uint16_t class)
{
	m_name(m, name);
	m_u16(m, type);
	m_u16(m, class);
}

/* An RR whose data is rdata[0..rdlen). */
static void
m_rr(struct msg *m, const char *name, uint16_t type, uint16_t class,
    uint32_t ttl, const void *rdata, size_t rdlen)
{
	m_name(m, name);
	m_u16(m, type);
	m_u16(m, class);
	m_u32(m, ttl);
	m_u16(m, (uint16_t)rdlen);
	memcpy(m->b + m->n, rdata, rdlen);
	m->n += rdlen;
}

/* An RR whose data is a name (with prefix bytes before it). */
static void
m_rr_name(struct msg *m, const char *name, uint16_t type,
    const uint8_t *pre, size_t npre, const char *target)
{
	size_t	at;

	m_name(m, name);
	m_u16(m, type);
	m_u16(m, 1);
	m_u32(m, 300);
	at = m->n;
	m_u16(m, 0);
	if (npre > 0)
		memcpy(m->b + m->n, pre, npre);
	m->n += npre;
	m_name(m, target);
	pkt_put16(m->b + at, (uint16_t)(m->n - at - 2));
}

static void
m_opt(struct msg *m, uint16_t size, uint8_t ext_rcode, int dnssec_ok)
{
	m_name(m, "");
	m_u16(m, 41);
	m_u16(m, size);
	m_u32(m, (uint32_t)ext_rcode << 24 | (dnssec_ok ? 0x8000 : 0));
	m_u16(m, 0);
}

static void
zoo_udp(long long t, const char *a, uint16_t pa, const char *b, uint16_t pb,
    const struct msg *m)
{
	struct dr_addr	x = pkt_addr(a), y = pkt_addr(b);
	uint8_t		ip[2048];

	add(t, ip, pkt_ip_udp(ip, sizeof(ip), &x, pa, &y, pb, m->b, m->n));
}

static void
zoo(void)
{
	static const uint8_t	a4[4] = { 198, 51, 100, 7 };
	static const uint8_t	a6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0,
	    0, 0, 0, 0, 0, 0, 0, 0, 0x53 };
	static const uint8_t	mx[2] = { 0, 10 };
	static const uint8_t	srv[6] = { 0, 1, 0, 5, 0x01, 0xbb };
	static const uint8_t	txt[] = "\x05hello\x0bwor\x01" "d \"x\" \xe9";
	static const uint8_t	soa[22] = { 1, 0, 0, 0 };
	struct dr_addr		c4 = pkt_addr("192.0.2.10");
	struct dr_addr		r4 = pkt_addr("203.0.113.2");
	struct dr_addr		c6 = pkt_addr("2001:db8:1::a");
	struct dr_addr		r6 = pkt_addr("2001:db8::2");
	struct dr_addr		gw4 = pkt_addr("198.51.100.1");
	struct dr_addr		gw6 = pkt_addr("2001:db8:ff::1");
	struct msg		m;
	uint8_t			ip[2048], q[2048], tcp[1100];
	long long		t = T_MULTI * USEC;
	const char		*C = "192.0.2.10", *R = "203.0.113.2";
	size_t			ql;
	unsigned		code;

	/* Queries: EDNS, CD, a Z bit, CHAOS, no question, two. */
	m_hdr(&m, 1, 0x0110, 1, 0, 0, 1);
	m_question(&m, "www.example.com", 1, 1);
	m_opt(&m, 1232, 0, 1);
	zoo_udp(t += 1000, C, 40001, R, 53, &m);
	m_hdr(&m, 2, 0x0140, 1, 0, 0, 0);
	m_question(&m, "version.bind", 16, 3);
	zoo_udp(t += 1000, C, 40002, R, 53, &m);
	m_hdr(&m, 3, 0x0100, 0, 0, 0, 0);
	zoo_udp(t += 1000, C, 40003, R, 53, &m);
	m_hdr(&m, 4, 0x0000, 2, 0, 0, 0);
	m_question(&m, "a.example.com", 28, 1);
	m_question(&m, "b.@12", 1, 1);
	zoo_udp(t += 1000, C, 40004, R, 53, &m);
	m_hdr(&m, 5, 0x0100, 1, 0, 0, 0);
	m_question(&m, "", 2, 1);
	zoo_udp(t += 1000, C, 40005, R, 53, &m);

	/* Answers of many types; NXDOMAIN with an SOA; flags. */
	m_hdr(&m, 1, 0x81a0, 1, 2, 0, 1);
	m_question(&m, "www.example.com", 1, 1);
	m_rr_name(&m, "@12", 5, NULL, 0, "cdn.example.net");
	m_rr(&m, "@45", 1, 1, 300, a4, 4);
	m_opt(&m, 1232, 0, 1);
	zoo_udp(t += 1000, R, 53, C, 40001, &m);
	m_hdr(&m, 6, 0x8580, 1, 5, 0, 0);
	m_question(&m, "example.com", 15, 1);
	m_rr_name(&m, "@12", 15, mx, 2, "mail.@12");
	m_rr(&m, "@12", 28, 1, 300, a6, 16);
	m_rr(&m, "@12", 16, 1, 300, txt, sizeof(txt) - 1);
	m_rr_name(&m, "_https._tcp.@12", 33, srv, 6, "web.@12");
	m_rr_name(&m, "@12", 2, NULL, 0, "ns1.@12");
	zoo_udp(t += 1000, R, 53, C, 40006, &m);
	m_hdr(&m, 7, 0x8183, 1, 0, 1, 0);
	m_question(&m, "nosuch.example.com", 1, 1);
	m_rr(&m, "@19", 6, 1, 300, soa, sizeof(soa));
	zoo_udp(t += 1000, R, 53, C, 40007, &m);
	m_hdr(&m, 8, 0x8302, 1, 0, 0, 0);
	m_question(&m, "www.example.com", 12, 3);
	zoo_udp(t += 1000, R, 53, C, 40008, &m);
	m_hdr(&m, 9, 0x8105, 1, 0, 0, 0);
	m_question(&m, "www.example.com", 1, 1);
	zoo_udp(t += 1000, R, 53, C, 40009, &m);
	m_hdr(&m, 10, 0x8180, 1, 0, 0, 1);
	m_question(&m, "www.example.com", 1, 1);
	m_opt(&m, 512, 1, 0);			/* BADVERS */
	zoo_udp(t += 1000, R, 53, C, 40010, &m);
	m_hdr(&m, 11, 0xa080, 1, 1, 0, 0);	/* AD, no RD */
	m_question(&m, "1.100.51.198.in-addr.arpa", 12, 1);
	m_rr_name(&m, "@12", 12, NULL, 0, "host.example.com");
	zoo_udp(t += 1000, R, 53, C, 40011, &m);

	/* Every ICMP and ICMPv6 unreachable code about a query. */
	for (code = 0; code <= 16; code++) {
		m_hdr(&m, (uint16_t)(100 + code), 0x0100, 1, 0, 0, 0);
		m_question(&m, "www.example.com", 1, 1);
		ql = pkt_ip_udp(q, sizeof(q), &c4, (uint16_t)(41000 + code),
		    &r4, 53, m.b, m.n);
		add(t += 1000, q, ql);
		unreach(t += 1000, code == 3 ? &r4 : &gw4, 61, &c4,
		    (uint8_t)code, q, code == 16 ? ql - m.n : ql);
	}
	for (code = 0; code <= 4; code++) {
		m_hdr(&m, (uint16_t)(200 + code), 0x0100, 1, 0, 0, 0);
		m_question(&m, "www.example.com", 28, 1);
		ql = pkt_ip_udp(q, sizeof(q), &c6, (uint16_t)(42000 + code),
		    &r6, 53, m.b, m.n);
		add(t += 1000, q, ql);
		unreach(t += 1000, code == 4 ? &r6 : &gw6, 61, &c6,
		    (uint8_t)code, q, ql);
	}
	/* The client's port was closed when the answer came. */
	m_hdr(&m, 300, 0x8180, 1, 0, 0, 0);
	m_question(&m, "www.example.com", 1, 1);
	ql = pkt_ip_udp(q, sizeof(q), &r4, 53, &c4, 43000, m.b, m.n);
	add(t += 1000, q, ql);
	unreach(t += 1000, &c4, 64, &r4, 3, q, ql);

	/* DNS over TCP: refused, then a query and its answer. */
	add(t += 1000, ip, pkt_ip_tcp(ip, sizeof(ip), &c4, 44000, &r4, 53,
	    PKT_TH_SYN, NULL, 0));
	add(t += 1000, ip, pkt_ip_tcp(ip, sizeof(ip), &r4, 53, &c4, 44000,
	    PKT_TH_RST | PKT_TH_ACK, NULL, 0));
	m_hdr(&m, 400, 0x0100, 1, 0, 0, 0);
	m_question(&m, "www.example.com", 1, 1);
	pkt_put16(tcp, (uint16_t)m.n);
	memcpy(tcp + 2, m.b, m.n);
	add(t += 1000, ip, pkt_ip_tcp(ip, sizeof(ip), &c4, 44001, &r4, 53,
	    PKT_TH_PSH | PKT_TH_ACK, tcp, m.n + 2));
	m_hdr(&m, 400, 0x8180, 1, 1, 0, 0);
	m_question(&m, "www.example.com", 1, 1);
	m_rr(&m, "@12", 1, 1, 300, a4, 4);
	pkt_put16(tcp, (uint16_t)m.n);
	memcpy(tcp + 2, m.b, m.n);
	add(t += 1000, ip, pkt_ip_tcp(ip, sizeof(ip), &r4, 53, &c4, 44001,
	    PKT_TH_PSH | PKT_TH_ACK, tcp, m.n + 2));
}

int
main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: mkincident seed|multi|healthy|nodns|"
		    "evil|zoo FILE\n");
		return 2;
	}
	if (strcmp(argv[1], "seed") == 0)
		seed();
	else if (strcmp(argv[1], "multi") == 0)
		multi();
	else if (strcmp(argv[1], "healthy") == 0)
		healthy();
	else if (strcmp(argv[1], "nodns") == 0)
		nodns();
	else if (strcmp(argv[1], "evil") == 0)
		evil();
	else if (strcmp(argv[1], "zoo") == 0)
		zoo();
	else {
		fprintf(stderr, "mkincident: unknown scenario %s\n", argv[1]);
		return 2;
	}
	write_all(argv[2]);
	return 0;
}
