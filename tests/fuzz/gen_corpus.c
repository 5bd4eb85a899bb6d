/*
 * gen_corpus.c: write the seed corpus for fuzz_decode and fuzz_dns.
 *
 *	cc -std=gnu11 -Ilib -Itests -o gen_corpus tests/fuzz/gen_corpus.c \
 *	    tests/util_pkt.c lib/addr.c
 *	./gen_corpus tests/fuzz/corpus
 *
 * fuzz_decode inputs are one byte of link type index (the order of the
 * table in fuzz_decode.c) and a frame; fuzz_dns inputs one byte of output
 * size (0: full) and a DNS message.
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
	return 0;
}
