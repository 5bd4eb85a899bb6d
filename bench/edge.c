/*
 * edge: write a small capture of corner cases where dnsreachd's counts
 * and tshark's may part, one resolver address per case, and print the
 * legend.  Compare with:
 *
 *   edge -o edge.pcap
 *   dnsreachd --read edge.pcap --json >edge.json
 *   python3 bench/oracle.py edge.pcap edge.json -
 *
 * Each difference names the address, so the case.  These are not in the
 * benchmark capture (bench/gen.c), whose counts must agree exactly.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util_pkt.h"

static FILE		*out;
static long long	 ts = 1767225600LL * 1000000;
static uint8_t		 fr[PKT_MAX], ip[PKT_MAX], q[PKT_MAX], d[8192];

static void
w32(uint32_t v)
{
	fwrite(&v, 4, 1, out);
}

static void
emit_frame(const uint8_t *frame, size_t len, size_t caplen)
{
	ts += 1000;
	w32((uint32_t)(ts / 1000000));
	w32((uint32_t)(ts % 1000000));
	w32((uint32_t)caplen);
	w32((uint32_t)len);
	fwrite(frame, 1, caplen, out);
}

/* Ethernet with nvlan tags around an IP packet, cut to caplen if != 0. */
static void
emit(const uint8_t *p, size_t len, int nvlan, size_t caplen)
{
	size_t	n = pkt_link(fr, sizeof(fr), 1, nvlan, p, len);

	if (n == 0) {
		fprintf(stderr, "edge: cannot frame\n");
		exit(1);
	}
	emit_frame(fr, n, caplen ? caplen : n);
}

/* TCP over IPv4 with the given sequence numbers (and right checksum). */
static size_t
tcp(uint8_t *o, const struct dr_addr *s, uint16_t sp,
    const struct dr_addr *t, uint16_t dp, uint8_t flags, uint32_t seq,
    uint32_t ack, const uint8_t *pl, size_t n)
{
	size_t		 len = pkt_ip_tcp(o, PKT_MAX, s, sp, t, dp, flags, pl, n);
	uint8_t		*h = o + 20;
	uint32_t	 sum;

	pkt_put32(h + 4, seq);
	pkt_put32(h + 8, ack);
	pkt_put16(h + 16, 0);
	sum = (uint32_t)(s->a[0] << 8 | s->a[1]) + (uint32_t)(s->a[2] << 8 |
	    s->a[3]) + (uint32_t)(t->a[0] << 8 | t->a[1]) +
	    (uint32_t)(t->a[2] << 8 | t->a[3]) + 6 + (uint32_t)(len - 20);
	pkt_put16(h + 16, pkt_cksum(h, len - 20, sum));
	return len;
}

static void
handshake(const struct dr_addr *c, uint16_t port, const struct dr_addr *r)
{
	emit(ip, tcp(ip, c, port, r, 53, PKT_TH_SYN, 100, 0, NULL, 0), 0, 0);
	emit(ip, tcp(ip, r, 53, c, port, PKT_TH_SYN | PKT_TH_ACK, 500, 101,
	    NULL, 0), 0, 0);
}

/* An answer with n TXT records of 255 bytes of c; returns its length. */
static size_t
big_answer(uint8_t *m, uint16_t id, const char *name, int n, uint8_t c)
{
	size_t	len = pkt_dns_raw(m, 512, id, 0x8180, 16, name);
	int	k;

	pkt_put16(m + 6, (uint16_t)n);
	for (k = 0; k < n; k++) {
		uint8_t	*rr = m + len;

		pkt_put16(rr, 0xc00c);
		pkt_put16(rr + 2, 16);
		pkt_put16(rr + 4, 1);
		pkt_put32(rr + 6, 3600);
		pkt_put16(rr + 10, 256);
		rr[12] = 255;
		memset(rr + 13, c, 255);
		len += 12 + 256;
	}
	return len;
}

static struct dr_addr
res(int n, const char *what)
{
	char	a[32];

	snprintf(a, sizeof(a), "203.0.113.%d", n);
	printf("%-16s %s\n", a, what);
	return pkt_addr(a);
}

int
main(int argc, char **argv)
{
	struct dr_addr	 c = pkt_addr("192.0.2.10");
	struct dr_addr	 rt = pkt_addr("198.51.100.254");
	struct dr_addr	 t1 = pkt_addr("198.51.100.1");
	struct dr_addr	 t2 = pkt_addr("198.51.100.2");
	struct dr_addr	 r;
	const char	*file = NULL;
	uint16_t	 v[2] = { 2, 4 };
	uint8_t		 pp[PKT_MAX];
	size_t		 dl, dl2, n, ql;
	int		 ch;

	while ((ch = getopt(argc, argv, "o:")) != -1) {
		if (ch != 'o') {
			fprintf(stderr, "usage: edge -o FILE\n");
			return 2;
		}
		file = optarg;
	}
	if (file == NULL || (out = fopen(file, "wb")) == NULL) {
		fprintf(stderr, "usage: edge -o FILE\n");
		return 2;
	}
	w32(0xa1b2c3d4);
	fwrite(v, 2, 2, out);
	w32(0);
	w32(0);
	w32(65535);
	w32(1);

	r = res(11, "TCP: two queries in one segment (A and AAAA, as glibc "
	    "sends them)");
	handshake(&c, 40011, &r);
	dl = pkt_dns_raw(d + 2, 512, 1, 0x0100, 1, "www.example.com");
	pkt_put16(d, (uint16_t)dl);
	dl2 = pkt_dns_raw(d + 4 + dl, 512, 2, 0x0100, 28, "www.example.com");
	pkt_put16(d + 2 + dl, (uint16_t)dl2);
	emit(ip, tcp(ip, &c, 40011, &r, 53, PKT_TH_PSH | PKT_TH_ACK, 101, 501,
	    d, 4 + dl + dl2), 0, 0);

	r = res(12, "TCP: the 2-byte length in its own segment, then the "
	    "query");
	handshake(&c, 40012, &r);
	dl = pkt_dns_raw(d + 2, 512, 3, 0x0100, 1, "mail.example.com");
	pkt_put16(d, (uint16_t)dl);
	emit(ip, tcp(ip, &c, 40012, &r, 53, PKT_TH_PSH | PKT_TH_ACK, 101, 501,
	    d, 2), 0, 0);
	emit(ip, tcp(ip, &c, 40012, &r, 53, PKT_TH_PSH | PKT_TH_ACK, 103, 501,
	    d + 2, dl), 0, 0);

	r = res(13, "TCP: an answer in two segments, the second with bytes "
	    "that look like a header with QR=1");
	handshake(&c, 40013, &r);
	dl = pkt_dns_raw(d + 2, 512, 4, 0x0100, 16, "big.example.com");
	pkt_put16(d, (uint16_t)dl);
	ql = dl + 2;
	emit(ip, tcp(ip, &c, 40013, &r, 53, PKT_TH_PSH | PKT_TH_ACK, 101, 501,
	    d, ql), 0, 0);
	dl = big_answer(d + 2, 4, "big.example.com", 8, 0xe1);
	pkt_put16(d, (uint16_t)dl);
	emit(ip, tcp(ip, &r, 53, &c, 40013, PKT_TH_ACK, 501,
	    101 + (uint32_t)ql, d, 1448), 0, 0);
	emit(ip, tcp(ip, &r, 53, &c, 40013, PKT_TH_PSH | PKT_TH_ACK,
	    501 + 1448, 101 + (uint32_t)ql, d + 1448, 2 + dl - 1448), 0, 0);

	r = res(14, "TCP: the query segment retransmitted (same sequence "
	    "number)");
	handshake(&c, 40014, &r);
	dl = pkt_dns_raw(d + 2, 512, 5, 0x0100, 1, "retx.example.com");
	pkt_put16(d, (uint16_t)dl);
	n = tcp(ip, &c, 40014, &r, 53, PKT_TH_PSH | PKT_TH_ACK, 101, 501, d,
	    2 + dl);
	emit(ip, n, 0, 0);
	emit(ip, n, 0, 0);

	r = res(15, "UDP: an answer in two IPv4 fragments (EDNS 4096)");
	dl = pkt_dns_raw(d, 512, 6, 0x0100, 16, "frag.example.com");
	emit(ip, pkt_ip_udp(ip, PKT_MAX, &c, 40015, &r, 53, d, dl), 0, 0);
	dl = big_answer(d, 6, "frag.example.com", 8, 'a');
	n = pkt_udp(q, PKT_MAX, &r, 53, &c, 40015, d, dl);
	emit(ip, pkt_ip4(ip, PKT_MAX, &r, &c, 17, 0x2000, NULL, 0, q, 1480),
	    0, 0);
	emit(ip, pkt_ip4(ip, PKT_MAX, &r, &c, 17, 1480 / 8, NULL, 0,
	    q + 1480, n - 1480), 0, 0);

	r = res(16, "ICMP port unreachable quoting only 8 bytes of UDP");
	dl = pkt_dns_raw(d, 512, 7, 0x0100, 1, "q8.example.com");
	ql = pkt_ip_udp(q, PKT_MAX, &c, 40016, &r, 53, d, dl);
	emit(q, ql, 0, 0);
	emit(ip, pkt_ip_icmp_unreach(ip, PKT_MAX, &rt, &c, 3, q, 28), 0, 0);

	r = res(17, "ICMP unreachable with code 20 (codes above 15 are "
	    "booked as 15)");
	dl = pkt_dns_raw(d, 512, 8, 0x0100, 1, "c20.example.com");
	ql = pkt_ip_udp(q, PKT_MAX, &c, 40017, &r, 53, d, dl);
	emit(q, ql, 0, 0);
	emit(ip, pkt_ip_icmp_unreach(ip, PKT_MAX, &rt, &c, 20, q, ql), 0, 0);

	r = res(18, "QR=0 (NOTIFY) from port 53 to a high port: tshark "
	    "books a query to 192.0.2.10");
	dl = pkt_dns_raw(d, 512, 9, 0x2000, 6, "example.com");
	emit(ip, pkt_ip_udp(ip, PKT_MAX, &r, 53, &c, 40018, d, dl), 0, 0);

	r = res(19, "three VLAN tags (802.1ad, 802.1Q, 802.1Q)");
	dl = pkt_dns_raw(d, 512, 10, 0x0100, 1, "vlan3.example.com");
	emit(ip, pkt_ip_udp(ip, PKT_MAX, &c, 40019, &r, 53, d, dl), 3, 0);

	r = res(20, "query cut by the snaplen after 8 bytes of DNS header");
	dl = pkt_dns_raw(d, 512, 11, 0x0100, 1, "snap.example.com");
	emit(ip, pkt_ip_udp(ip, PKT_MAX, &c, 40020, &r, 53, d, dl), 0,
	    14 + 28 + 8);

	r = res(21, "query inside IPv4-in-IPv4 (protocol 4)");
	dl = pkt_dns_raw(d, 512, 12, 0x0100, 1, "ipip.example.com");
	ql = pkt_ip_udp(q, PKT_MAX, &c, 40021, &r, 53, d, dl);
	emit(ip, pkt_ip(ip, PKT_MAX, &t1, &t2, 4, q, ql), 0, 0);

	printf("%-16s %s\n", "2001:db8:53::22", "IPv6 query inside 6in4 "
	    "(protocol 41)");
	{
		struct dr_addr	c6 = pkt_addr("2001:db8:c::10");
		struct dr_addr	r6 = pkt_addr("2001:db8:53::22");

		dl = pkt_dns_raw(d, 512, 13, 0x0100, 28, "6in4.example.com");
		ql = pkt_ip_udp(q, PKT_MAX, &c6, 40022, &r6, 53, d, dl);
		emit(ip, pkt_ip(ip, PKT_MAX, &t1, &t2, 41, q, ql), 0, 0);
	}

	r = res(24, "PPPoE session frame (DSL WAN side) carrying a query");
	dl = pkt_dns_raw(d, 512, 15, 0x0100, 1, "pppoe.example.com");
	ql = pkt_ip_udp(q, PKT_MAX, &c, 40024, &r, 53, d, dl);
	pp[0] = 0x11;
	pp[1] = 0;
	pkt_put16(pp + 2, 0x1234);
	pkt_put16(pp + 4, (uint16_t)(ql + 2));
	pkt_put16(pp + 6, 0x0021);
	memcpy(pp + 8, q, ql);
	n = pkt_eth(fr, sizeof(fr), NULL, 0, 0x8864, pp, ql + 8);
	emit_frame(fr, n, n);

	/* Cases both count alike; here so a change shows. */
	printf("%-16s %s\n", "224.0.0.251/252", "mDNS and LLMNR queries "
	    "(not queries to a resolver; agree)");
	{
		struct dr_addr	m = pkt_addr("224.0.0.251");
		struct dr_addr	l = pkt_addr("224.0.0.252");

		dl = pkt_dns_raw(d, 512, 0, 0, 12,
		    "_services._dns-sd._udp.local");
		emit(ip, pkt_ip_udp(ip, PKT_MAX, &c, 5353, &m, 5353, d, dl),
		    0, 0);
		dl = pkt_dns_raw(d, 512, 14, 0, 1, "printer");
		emit(ip, pkt_ip_udp(ip, PKT_MAX, &c, 40023, &l, 5355, d, dl),
		    0, 0);
	}
	r = res(25, "query from port 53 to port 53 (agree)");
	dl = pkt_dns_raw(d, 512, 16, 0, 1, "srv.example.com");
	emit(ip, pkt_ip_udp(ip, PKT_MAX, &c, 53, &r, 53, d, dl), 0, 0);

	r = res(27, "ICMP admin prohibited quoting a TCP SYN to 53 (agree: "
	    "not counted)");
	ql = pkt_ip_tcp(q, PKT_MAX, &c, 40027, &r, 53, PKT_TH_SYN, NULL, 0);
	emit(ip, pkt_ip_icmp_unreach(ip, PKT_MAX, &rt, &c, 13, q, ql), 0, 0);

	r = res(28, "query with IPv4 options, and ICMP quoting it (agree)");
	{
		static const uint8_t	opt[4] = { 0x94, 0x04, 0, 0 };

		dl = pkt_dns_raw(d, 512, 17, 0x0100, 1, "opt.example.com");
		n = pkt_udp(q + 24, PKT_MAX - 24, &c, 40028, &r, 53, d, dl);
		ql = pkt_ip4(q, PKT_MAX, &c, &r, 17, 0, opt, 4, q + 24, n);
		emit(q, ql, 0, 0);
		emit(ip, pkt_ip_icmp_unreach(ip, PKT_MAX, &r, &c, 3, q, ql),
		    0, 0);
	}
	if (fclose(out) == EOF) {
		perror(file);
		return 1;
	}
	return 0;
}
