/*
 * gen_corpus.c: write the seed corpus for fuzz_decode and fuzz_dns.
 *
 *	cc -std=gnu11 -Ilib -Itests -o gen_corpus tests/fuzz/gen_corpus.c \
 *	    tests/util_pkt.c lib/addr.c
 *	./gen_corpus tests/fuzz/corpus
 *
 * fuzz_decode inputs are one byte of link type index (the order of the
 * table in fuzz_decode.c) and a frame; fuzz_dns inputs one byte of output
 * size (0: full) and a DNS message; fuzz_engine inputs the records of
 * fuzz_engine.c: an outage, a clock jumping 2 hours ahead and back, a
 * reload and the capture going down and up.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util_pkt.h"

/* Index into fuzz_decode.c's table: NULL, EN10MB, RAW, ..., SLL2. */
static const int dlts[] = { 0, 1, 12, 14, 101, 108, 113, 228, 229, 276 };

static void
put(const char *dir, const char *sub, const char *name, uint8_t first,
    const uint8_t *p, size_t len)
{
	char	path[1024];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/%s/%s", dir, sub, name);
	if ((f = fopen(path, "wb")) == NULL)
		err(1, "%s", path);
	if (fputc(first, f) == EOF || fwrite(p, 1, len, f) != len ||
	    fclose(f) == EOF)
		err(1, "%s", path);
}

/* One fuzz_engine packet record: opcode, time step (ms), length, bytes. */
static size_t
rec(uint8_t *out, size_t cap, int16_t dt_ms, const uint8_t *p, size_t n)
{
	if (cap < n + 5)
		errx(1, "engine seed too long");
	out[0] = 0;
	out[1] = (uint8_t)((uint16_t)dt_ms >> 8);
	out[2] = (uint8_t)dt_ms;
	out[3] = (uint8_t)(n >> 8);
	out[4] = (uint8_t)n;
	memcpy(out + 5, p, n);
	return n + 5;
}

static void
abs_time(uint8_t *buf, size_t *o, int64_t us)
{
	buf[(*o)++] = 0x81;
	memcpy(buf + *o, &us, sizeof(us));
	*o += sizeof(us);
}

static void	review_seeds(const char *);

/* A healthy stretch, an outage by port unreachable, its end. */
static void
engine_seeds(const char *dir)
{
	static uint8_t	buf[65536], dns[512], q[2048], ip[2048];
	struct dr_addr	c[3], r = pkt_addr("203.0.113.2");
	int64_t		t0 = 1767225600LL * 1000000;
	size_t		o = 0, dn, qn, n;
	char		path[1024];
	FILE		*f;
	int		i, variant;

	c[0] = pkt_addr("192.0.2.10");
	c[1] = pkt_addr("192.0.2.11");
	c[2] = pkt_addr("192.0.2.12");
	for (variant = 0; variant < 3; variant++) {
		o = 0;
		for (i = 0; i < 60; i++) {
			dn = pkt_dns(dns, sizeof(dns), (uint16_t)i, 0, 0,
			    "www.example.com");
			qn = pkt_ip_udp(q, sizeof(q), &c[i % 3],
			    (uint16_t)(40000 + i), &r, 53, dns, dn);
			o += rec(buf + o, sizeof(buf) - o, 100, q, qn);
			if (i < 20 || i >= 45) {
				dn = pkt_dns(dns, sizeof(dns), (uint16_t)i, 1,
				    0, "www.example.com");
				n = pkt_ip_udp(ip, sizeof(ip), &r, 53,
				    &c[i % 3], (uint16_t)(40000 + i), dns, dn);
			} else
				n = pkt_ip_icmp_unreach(ip, sizeof(ip), &r,
				    &c[i % 3], 3, q, qn);
			o += rec(buf + o, sizeof(buf) - o, 5, ip, n);
			if (variant == 1 && i == 30) {
				/* One stamp 2 hours ahead, then back. */
				abs_time(buf, &o, t0 + (i + 1) * 105000LL +
				    7200000000LL);
				o += rec(buf + o, sizeof(buf) - o, 0, q, qn);
				abs_time(buf, &o, t0 + (i + 1) * 105000LL);
			}
			if (variant == 2 && i == 25) {
				buf[o++] = 0x82;	/* reload */
				buf[o++] = 0xc1;
				buf[o++] = 0x83;	/* capture down */
				buf[o++] = 0x80;	/* tick + 2 s */
				buf[o++] = 0;
				buf[o++] = 2;
				buf[o++] = 0x84;	/* and up */
			}
		}
		buf[o++] = 0x86;
		snprintf(path, sizeof(path), "%s/fuzz_engine/outage-%d", dir,
		    variant);
		if ((f = fopen(path, "wb")) == NULL ||
		    fwrite(buf, 1, o, f) != o || fclose(f) == EOF)
			err(1, "%s", path);
	}
	review_seeds(dir);
}

static void
put_engine(const char *dir, const char *name, const uint8_t *buf, size_t o)
{
	char	path[1024];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/fuzz_engine/%s", dir, name);
	if ((f = fopen(path, "wb")) == NULL || fwrite(buf, 1, o, f) != o ||
	    fclose(f) == EOF)
		err(1, "%s", path);
}

/*
 * The inputs of the outside review's findings: a stamp at the far end
 * of time, six failures then the end of the capture, TCP resets of a
 * SYN, of an answered query and of nothing, and an ICMP error quoting
 * a response sent from port 53 to port 53.
 */
static void
review_seeds(const char *dir)
{
	static uint8_t	buf[8192], dns[512], q[2048], ip[2048];
	struct dr_addr	c = pkt_addr("192.0.2.10"), r = pkt_addr("203.0.113.2");
	int64_t		far = INT64_MAX - 5;
	size_t		o = 0, dn, qn, n;
	int		i;

	/* The far end of time, then ordinary packets. */
	abs_time(buf, &o, far);
	dn = pkt_dns(dns, sizeof(dns), 1, 0, 0, "a.example");
	qn = pkt_ip_udp(q, sizeof(q), &c, 40000, &r, 53, dns, dn);
	o += rec(buf + o, sizeof(buf) - o, 0, q, qn);
	abs_time(buf, &o, 1767225600LL * 1000000);
	for (i = 0; i < 6; i++) {
		dn = pkt_dns(dns, sizeof(dns), (uint16_t)i, 0, 0, "a.example");
		qn = pkt_ip_udp(q, sizeof(q), &c, (uint16_t)(40000 + i), &r,
		    53, dns, dn);
		o += rec(buf + o, sizeof(buf) - o, 80, q, qn);
		n = pkt_ip_icmp_unreach(ip, sizeof(ip), &r, &c, 3, q, qn);
		o += rec(buf + o, sizeof(buf) - o, 1, ip, n);
	}
	put_engine(dir, "far-time-and-last-bucket", buf, o);

	/* SYN then RST; a query answered then RST; a RST of nothing. */
	o = 0;
	n = pkt_ip_tcp(ip, sizeof(ip), &c, 41000, &r, 53, PKT_TH_SYN, NULL, 0);
	o += rec(buf + o, sizeof(buf) - o, 10, ip, n);
	n = pkt_ip_tcp(ip, sizeof(ip), &r, 53, &c, 41000,
	    PKT_TH_RST | PKT_TH_ACK, NULL, 0);
	o += rec(buf + o, sizeof(buf) - o, 1, ip, n);
	dn = pkt_dns(dns + 2, sizeof(dns) - 2, 9, 0, 0, "b.example");
	dns[0] = (uint8_t)(dn >> 8);
	dns[1] = (uint8_t)dn;
	n = pkt_ip_tcp(ip, sizeof(ip), &c, 41001, &r, 53,
	    PKT_TH_ACK | PKT_TH_PSH, dns, dn + 2);
	o += rec(buf + o, sizeof(buf) - o, 10, ip, n);
	dn = pkt_dns(dns + 2, sizeof(dns) - 2, 9, 1, 0, "b.example");
	dns[0] = (uint8_t)(dn >> 8);
	dns[1] = (uint8_t)dn;
	n = pkt_ip_tcp(ip, sizeof(ip), &r, 53, &c, 41001,
	    PKT_TH_ACK | PKT_TH_PSH, dns, dn + 2);
	o += rec(buf + o, sizeof(buf) - o, 5, ip, n);
	n = pkt_ip_tcp(ip, sizeof(ip), &r, 53, &c, 41001,
	    PKT_TH_RST | PKT_TH_ACK, NULL, 0);
	o += rec(buf + o, sizeof(buf) - o, 100, ip, n);
	n = pkt_ip_tcp(ip, sizeof(ip), &r, 53, &c, 41002, PKT_TH_RST, NULL, 0);
	o += rec(buf + o, sizeof(buf) - o, 100, ip, n);
	/* A response from 53 to 53, refused by its destination. */
	dn = pkt_dns(dns, sizeof(dns), 7, 1, 0, "c.example");
	qn = pkt_ip_udp(q, sizeof(q), &r, 53, &c, 53, dns, dn);
	n = pkt_ip_icmp_unreach(ip, sizeof(ip), &c, &r, 3, q, qn);
	o += rec(buf + o, sizeof(buf) - o, 10, ip, n);
	buf[o++] = 0x86;
	put_engine(dir, "tcp-resets-and-53-to-53", buf, o);
}

int
main(int argc, char **argv)
{
	static uint8_t	dns[512], q[2048], ip[2048], fr[2048];
	struct dr_addr	c4, r4, c6, r6, *c, *r;
	char		name[64];
	size_t		dn, qn, n, fn, i;
	int		v6, k;

	if (argc != 2) {
		fprintf(stderr, "usage: gen_corpus DIR\n");
		return 2;
	}
	c4 = pkt_addr("192.0.2.10");
	r4 = pkt_addr("203.0.113.2");
	c6 = pkt_addr("2001:db8::10");
	r6 = pkt_addr("2001:db8::53");
	for (v6 = 0; v6 <= 1; v6++) {
		c = v6 ? &c6 : &c4;
		r = v6 ? &r6 : &r4;
		for (k = 0; k < 5; k++) {
			switch (k) {
			case 0:		/* query */
				dn = pkt_dns(dns, sizeof(dns), 0x1234, 0, 0,
				    "www.example.com");
				n = pkt_ip_udp(ip, sizeof(ip), c, 40000, r,
				    53, dns, dn);
				break;
			case 1:		/* NXDOMAIN response */
				dn = pkt_dns(dns, sizeof(dns), 0x1234, 1, 3,
				    "www.example.com");
				n = pkt_ip_udp(ip, sizeof(ip), r, 53, c,
				    40000, dns, dn);
				break;
			case 2:		/* port unreachable quoting a query */
				dn = pkt_dns(dns, sizeof(dns), 0x4321, 0, 0,
				    "example.org");
				qn = pkt_ip_udp(q, sizeof(q), c, 40001, r,
				    53, dns, dn);
				n = pkt_ip_icmp_unreach(ip, sizeof(ip), r, c,
				    v6 ? 4 : 3, q, qn);
				break;
			case 3:		/* DNS over TCP */
				dn = pkt_dns(dns + 2, sizeof(dns) - 2, 7, 0,
				    0, "a.example");
				dns[0] = (uint8_t)(dn >> 8);
				dns[1] = (uint8_t)dn;
				n = pkt_ip_tcp(ip, sizeof(ip), c, 40002, r,
				    53, PKT_TH_ACK | PKT_TH_PSH, dns, dn + 2);
				break;
			default:	/* RST from the resolver */
				n = pkt_ip_tcp(ip, sizeof(ip), r, 53, c,
				    40003, PKT_TH_RST | PKT_TH_ACK, NULL, 0);
				break;
			}
			if (n == 0)
				errx(1, "building packet %d", k);
			for (i = 0; i < sizeof(dlts) / sizeof(dlts[0]); i++) {
				if ((dlts[i] == 228 && v6) ||
				    (dlts[i] == 229 && !v6))
					continue;
				/* Ethernet with two tags covers the rest. */
				fn = pkt_link(fr, sizeof(fr), dlts[i],
				    dlts[i] == 1 ? 2 : 0, ip, n);
				if (fn == 0)
					errx(1, "framing for %d", dlts[i]);
				snprintf(name, sizeof(name), "v%d-%d-dlt%d",
				    v6 ? 6 : 4, k, dlts[i]);
				put(argv[1], "fuzz_decode", name, (uint8_t)i,
				    fr, fn);
			}
			if (k < 2) {
				snprintf(name, sizeof(name), "msg-v%d-%d",
				    v6 ? 6 : 4, k);
				put(argv[1], "fuzz_dns", name, 0, dns, dn);
			}
		}
	}
	engine_seeds(argv[1]);
	return 0;
}
