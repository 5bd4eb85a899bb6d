/*
 * mkpcap: write a scenario capture for the integration tests, and print
 * what a correct reader must count in it, as one JSON object.
 *
 *   mkpcap [-6] [-n] [-l DLT] [-t NVLAN] [-r QPS] [-c CLIENTS] [-u NOISE]
 *          [-T TTL] -o FILE PHASE...
 *
 * A PHASE is BEHAVIOUR:SECONDS, one after the other, with queries from
 * CLIENTS clients to one resolver (203.0.113.2 or 2001:db8::2) at QPS:
 *   answer      answered after 20 ms (NOERROR)
 *   servfail    answered SERVFAIL
 *   icmpN       ICMP (or ICMPv6) unreachable code N quoting the whole query;
 *               port unreachable comes from the resolver, others from a
 *               router (198.51.100.1 / 2001:db8:ff::1) whose errors
 *               arrive with TTL (hop limit) 64, or -T TTL: 61 puts the
 *               router 3 hops away
 *   quote8N     the same with only 8 bytes of UDP quoted (old routers)
 *   drop        no answer at all
 *   tcprst      DNS over TCP refused: SYN answered by RST
 *   forged      answered, plus one ICMP port unreachable per query that
 *               quotes a query nobody sent (must stay "unmatched")
 * -n writes pcapng instead of pcap; -u adds NOISE unrelated HTTPS packets
 * per query.  Time starts at 2026-01-01T00:00:00Z; everything is
 * deterministic.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "util_pkt.h"

#define T0		1767225600LL
#define USEC		1000000LL
#define MAX_PHASES	32

struct out {
	FILE		*f;
	pcap_dumper_t	*d;
	pcap_t		*p;
	int		 pcapng;
	int		 dlt;
	int		 nvlan;
	unsigned	 snaplen;
};

struct truth {
	unsigned long	queries, responses, unreachable, unmatched, timeouts;
	unsigned long	by_code[16], noerror, servfail, tcp_resets, packets;
};

static void
put32(FILE *f, uint32_t v)
{
	fwrite(&v, 4, 1, f);
}

static void
put16(FILE *f, uint16_t v)
{
	fwrite(&v, 2, 1, f);
}

/* pcapng: libpcap 1.10 reads it but cannot write it. */
static void
ng_header(struct out *o)
{
	put32(o->f, 0x0a0d0d0a);	/* section header block */
	put32(o->f, 28);
	put32(o->f, 0x1a2b3c4d);
	put16(o->f, 1);
	put16(o->f, 0);
	put32(o->f, 0xffffffff);	/* section length unknown */
	put32(o->f, 0xffffffff);
	put32(o->f, 28);
	put32(o->f, 1);			/* interface description block */
	put32(o->f, 20);
	put16(o->f, (uint16_t)o->dlt);
	put16(o->f, 0);
	put32(o->f, o->snaplen);
	put32(o->f, 20);
}

static void
emit(struct out *o, struct truth *t, long long us, const uint8_t *ip,
    size_t iplen)
{
	static uint8_t		frame[PKT_MAX];
	struct pcap_pkthdr	h;
	size_t			n;
	uint32_t		pad = 0;
	uint64_t		ts;

	n = pkt_link(frame, sizeof(frame), o->dlt, o->nvlan, ip, iplen);
	if (n == 0) {
		fprintf(stderr, "mkpcap: cannot frame for DLT %d\n", o->dlt);
		exit(1);
	}
	t->packets++;
	if (o->pcapng) {
		ts = (uint64_t)us;
		put32(o->f, 6);		/* enhanced packet block */
		put32(o->f, (uint32_t)(32 + ((n + 3) & ~(size_t)3)));
		put32(o->f, 0);
		put32(o->f, (uint32_t)(ts >> 32));
		put32(o->f, (uint32_t)ts);
		put32(o->f, (uint32_t)n);
		put32(o->f, (uint32_t)n);
		fwrite(frame, 1, n, o->f);
		fwrite(&pad, 1, ((n + 3) & ~(size_t)3) - n, o->f);
		put32(o->f, (uint32_t)(32 + ((n + 3) & ~(size_t)3)));
		return;
	}
	h.ts.tv_sec = (time_t)(us / USEC);
	h.ts.tv_usec = (suseconds_t)(us % USEC);
	h.caplen = h.len = (bpf_u_int32)n;
	pcap_dump((u_char *)o->d, &h, frame);
}

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: mkpcap [-6] [-n] [-l DLT] [-t NVLAN] [-r QPS] "
	    "[-c CLIENTS] [-u NOISE] [-T TTL] -o FILE PHASE...\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	static uint8_t	 dns[512], ip[PKT_MAX], quote[PKT_MAX];
	struct out	 o = { NULL, NULL, NULL, 0, 1, 0, 65535 };
	struct truth	 t;
	struct dr_addr	 resolver, router, client, web;
	const char	*file = NULL;
	char		 name[64], beh[32];
	long long	 now = T0 * USEC, us, step;
	unsigned	 qps = 10, nclients = 20, noise = 0, secs, code, q = 0;
	unsigned	 router_ttl = 64;
	unsigned	 i, k;
	size_t		 dl, ql, il;
	int		 v6 = 0, ch, ph, is_quote8;

	memset(&t, 0, sizeof(t));
	while ((ch = getopt(argc, argv, "6nl:t:r:c:u:T:o:")) != -1) {
		switch (ch) {
		case '6': v6 = 1; break;
		case 'n': o.pcapng = 1; break;
		case 'l': o.dlt = atoi(optarg); break;
		case 't': o.nvlan = atoi(optarg); break;
		case 'r': qps = (unsigned)atoi(optarg); break;
		case 'c': nclients = (unsigned)atoi(optarg); break;
		case 'u': noise = (unsigned)atoi(optarg); break;
		case 'T': router_ttl = (unsigned)atoi(optarg); break;
		case 'o': file = optarg; break;
		default: usage();
		}
	}
	if (file == NULL || optind == argc || qps == 0 || nclients == 0 ||
	    nclients > 250 || router_ttl == 0 || router_ttl > 255)
		usage();
	resolver = pkt_addr(v6 ? "2001:db8::2" : "203.0.113.2");
	router = pkt_addr(v6 ? "2001:db8:ff::1" : "198.51.100.1");
	web = pkt_addr(v6 ? "2001:db8:80::80" : "198.51.100.80");
	if (o.pcapng) {
		if ((o.f = fopen(file, "wb")) == NULL) {
			fprintf(stderr, "mkpcap: %s: %s\n", file,
			    strerror(errno));
			return 1;
		}
		ng_header(&o);
	} else {
		o.p = pcap_open_dead(o.dlt, 65535);
		if (o.p == NULL || (o.d = pcap_dump_open(o.p, file)) == NULL) {
			fprintf(stderr, "mkpcap: %s: cannot write\n", file);
			return 1;
		}
	}
	step = USEC / qps;
	for (ph = optind; ph < argc; ph++) {
		if (sscanf(argv[ph], "%31[a-z0-9]:%u", beh, &secs) != 2)
			usage();
		for (us = 0; us < (long long)secs * USEC; us += step, q++) {
			long long	qt = now + us;
			uint16_t	port = (uint16_t)(20000 + q % 40000);
			uint16_t	id = (uint16_t)(q * 7919u + 1);
			char		ctext[64];

			snprintf(ctext, sizeof(ctext), v6 ? "2001:db8:1::%x" :
			    "192.0.2.%u", 10 + q % nclients);
			client = pkt_addr(ctext);
			snprintf(name, sizeof(name), "host%u.example.com",
			    q % 100);
			for (k = 0; k < noise; k++) {
				il = pkt_ip_tcp(ip, sizeof(ip), &client,
				    (uint16_t)(40000 + k), &web, 443,
				    PKT_TH_ACK, dns, 100);
				emit(&o, &t, qt + 1 + k, ip, il);
			}
			if (strcmp(beh, "tcprst") == 0) {
				il = pkt_ip_tcp(ip, sizeof(ip), &client, port,
				    &resolver, 53, PKT_TH_SYN, NULL, 0);
				emit(&o, &t, qt, ip, il);
				il = pkt_ip_tcp(ip, sizeof(ip), &resolver, 53,
				    &client, port, PKT_TH_RST | PKT_TH_ACK,
				    NULL, 0);
				emit(&o, &t, qt + 300, ip, il);
				t.tcp_resets++;
				continue;
			}
			dl = pkt_dns(dns, sizeof(dns), id, 0, 0, name);
			ql = pkt_ip_udp(quote, sizeof(quote), &client, port,
			    &resolver, 53, dns, dl);
			emit(&o, &t, qt, quote, ql);
			t.queries++;
			if (strcmp(beh, "answer") == 0 ||
			    strcmp(beh, "servfail") == 0 ||
			    strcmp(beh, "forged") == 0) {
				int	rc = beh[0] == 's' ? 2 : 0;

				dl = pkt_dns(dns, sizeof(dns), id, 1, rc, name);
				il = pkt_ip_udp(ip, sizeof(ip), &resolver, 53,
				    &client, port, dns, dl);
				emit(&o, &t, qt + 20000, ip, il);
				t.responses++;
				if (rc == 0)
					t.noerror++;
				else
					t.servfail++;
				if (beh[0] != 'f')
					continue;
				/* An error about a query nobody sent. */
				dl = pkt_dns(dns, sizeof(dns),
				    (uint16_t)(id ^ 0x5555), 0, 0, name);
				ql = pkt_ip_udp(quote, sizeof(quote), &client,
				    (uint16_t)(port ^ 0x1111), &resolver, 53,
				    dns, dl);
				il = pkt_ip_icmp_unreach(ip, sizeof(ip),
				    &resolver, &client, v6 ? 4 : 3, quote, ql);
				emit(&o, &t, qt + 30000, ip, il);
				t.unreachable++;
				t.unmatched++;
				t.by_code[v6 ? 4 : 3]++;
			} else if (strcmp(beh, "drop") == 0) {
				t.timeouts++;
			} else if (sscanf(beh, "icmp%u", &code) == 1 ||
			    sscanf(beh, "quote%u", &code) == 1) {
				is_quote8 = strncmp(beh, "quote8", 6) == 0;
				if (is_quote8)
					code = (unsigned)atoi(beh + 6);
				if (code > 15)
					usage();
				/* Linux quotes the whole query. */
				il = pkt_ip_icmp_unreach(ip, sizeof(ip),
				    (v6 ? code == 4 : code == 3) ? &resolver :
				    &router, &client, (uint8_t)code, quote,
				    is_quote8 ? ql - dl : ql);
				if (router_ttl != 64 && !(v6 ? code == 4 :
				    code == 3))
					pkt_set_ttl(ip, il, (uint8_t)router_ttl);
				emit(&o, &t, qt + 1000, ip, il);
				t.unreachable++;
				t.by_code[code]++;
			} else
				usage();
		}
		now += (long long)secs * USEC;
	}
	if (o.pcapng)
		fclose(o.f);
	else {
		pcap_dump_close(o.d);
		pcap_close(o.p);
	}
	printf("{\"resolver\": \"%s\", \"packets\": %lu, \"queries\": %lu, "
	    "\"responses\": %lu, \"unreachable\": %lu, \"unmatched\": %lu, "
	    "\"timeouts\": %lu, \"tcp_resets\": %lu, \"noerror\": %lu, "
	    "\"servfail\": %lu, \"unreachable_by_code\": {",
	    v6 ? "2001:db8::2" : "203.0.113.2", t.packets, t.queries,
	    t.responses, t.unreachable, t.unmatched, t.timeouts, t.tcp_resets,
	    t.noerror, t.servfail);
	for (i = 0, k = 0; i < 16; i++)
		if (t.by_code[i])
			printf("%s\"%u\": %lu", k++ ? ", " : "", i,
			    t.by_code[i]);
	printf("}}\n");
	return 0;
}
