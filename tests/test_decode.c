/*
 * test_decode.c: dr_decode() on synthetic frames, every link type and
 * every way a frame can be cut short or damaged.
 *
 * Frames are decoded from a heap copy of exactly caplen bytes, so that
 * ASan sees any read past the capture.
 */
#include <netinet/in.h>

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "dns.h"
#include "util_pkt.h"

#define BUFSZ		4096
#define QNAME		"www.example.com"
#define CPORT		40000
#define TS		1700000000000000LL

static const int all_dlts[] = { 0, 1, 12, 14, 101, 108, 113, 228, 229, 276 };
#define NDLTS	(sizeof(all_dlts) / sizeof(all_dlts[0]))

struct res {
	enum dr_decode_result	 r;
	struct dr_event		 ev;	/* ev.dns is cleared, see dns_off */
	size_t			 dns_off;
	int			 qlen;
	char			 qname[DR_DNS_NAMEBUF];
};

static struct dr_addr C4, R4, C6, R6;

static void
setup(void)
{
	C4 = pkt_addr("192.0.2.10");
	R4 = pkt_addr("203.0.113.2");
	C6 = pkt_addr("2001:db8::10");
	R6 = pkt_addr("2001:db8::53");
}

static const struct dr_addr *
cli(int v6)
{
	return v6 ? &C6 : &C4;
}

static const struct dr_addr *
srv(int v6)
{
	return v6 ? &R6 : &R4;
}

/*
 * Decode f[0..caplen) out of a heap copy of exactly that size and check
 * what must hold for any input.
 */
static void
run(int dlt, const uint8_t *f, size_t caplen, size_t wirelen, struct res *x)
{
	uint8_t		*b;
	struct dr_event	*ev = &x->ev;

	b = malloc(caplen == 0 ? 1 : caplen);
	ck_assert_ptr_nonnull(b);
	if (caplen > 0)
		memcpy(b, f, caplen);
	memset(x, 0xa5, sizeof(*x));
	x->r = dr_decode(dlt, b, caplen, wirelen, TS, ev);
	ck_assert_int_ge(x->r, 0);
	ck_assert_int_lt(x->r, DR_DECODE_NRESULTS);
	ck_assert_int_eq(ev->ts, TS);
	ck_assert_int_ge(ev->kind, 0);
	ck_assert_int_lt(ev->kind, DR_EV_NKINDS);
	if (x->r != DR_DECODE_OK)
		ck_assert_int_eq(ev->kind, DR_EV_OTHER);
	else
		ck_assert_int_ne(ev->kind, DR_EV_OTHER);
	ck_assert_int_le(ev->has_dns, 1);
	x->qlen = -2;
	x->qname[0] = '\0';
	x->dns_off = (size_t)-1;
	if (ev->has_dns) {
		ck_assert_ptr_nonnull(ev->dns);
		ck_assert_uint_ge(ev->dns_len, DR_DNS_HDRLEN);
	}
	if (ev->dns != NULL) {
		ck_assert(ev->has_dns);
		ck_assert(ev->dns >= b && ev->dns < b + caplen);
		ck_assert_uint_le(ev->dns_len, (size_t)(b + caplen - ev->dns));
		x->dns_off = (size_t)(ev->dns - b);
		x->qlen = dr_dns_qname(ev->dns, ev->dns_len, x->qname,
		    sizeof(x->qname));
		if (x->qlen == -1)
			ck_assert_str_eq(x->qname, "");
		else
			ck_assert_uint_eq(strlen(x->qname), (size_t)x->qlen);
	} else
		ck_assert_uint_eq(ev->dns_len, 0);
	ev->dns = NULL;
	free(b);
}

static enum dr_decode_result
dec(int dlt, const uint8_t *f, size_t len, struct res *x)
{
	run(dlt, f, len, len, x);
	return x->r;
}

static void
check_addr(const struct dr_addr *got, const struct dr_addr *want)
{
	char	a[DR_ADDR_STRLEN], b[DR_ADDR_STRLEN];

	ck_assert_msg(dr_addr_eq(got, want), "address %s, want %s",
	    dr_addr_format(got, a, sizeof(a)),
	    dr_addr_format(want, b, sizeof(b)));
}

/* A UDP DNS message as an IP packet; query C->R:53 or response back. */
static size_t
ip_udp_dns(uint8_t *out, int v6, int qr, uint16_t id, int rcode)
{
	uint8_t	dns[512];
	size_t	n;

	n = pkt_dns(dns, sizeof(dns), id, qr, rcode, QNAME);
	ck_assert_uint_gt(n, 0);
	if (qr)
		n = pkt_ip_udp(out, BUFSZ, srv(v6), 53, cli(v6), CPORT, dns,
		    n);
	else
		n = pkt_ip_udp(out, BUFSZ, cli(v6), CPORT, srv(v6), 53, dns,
		    n);
	ck_assert_uint_gt(n, 0);
	return n;
}

/* The same over TCP with the length prefix. */
static size_t
ip_tcp_dns(uint8_t *out, int v6, int qr, uint16_t id)
{
	uint8_t	dns[512];
	size_t	n;

	n = pkt_dns(dns + 2, sizeof(dns) - 2, id, qr, 0, QNAME);
	ck_assert_uint_gt(n, 0);
	dns[0] = (uint8_t)(n >> 8);
	dns[1] = (uint8_t)n;
	if (qr)
		n = pkt_ip_tcp(out, BUFSZ, srv(v6), 53, cli(v6), CPORT,
		    PKT_TH_ACK | PKT_TH_PSH, dns, n + 2);
	else
		n = pkt_ip_tcp(out, BUFSZ, cli(v6), CPORT, srv(v6), 53,
		    PKT_TH_ACK | PKT_TH_PSH, dns, n + 2);
	ck_assert_uint_gt(n, 0);
	return n;
}

/* ICMP unreachable from the resolver quoting q[0..qlen). */
static size_t
ip_unreach(uint8_t *out, int v6, uint8_t code, const uint8_t *q,
    size_t qlen)
{
	size_t	n;

	n = pkt_ip_icmp_unreach(out, BUFSZ, srv(v6), cli(v6), code, q, qlen);
	ck_assert_uint_gt(n, 0);
	return n;
}

static size_t
frame(uint8_t *out, int dlt, int nvlan, const uint8_t *ip, size_t iplen)
{
	size_t	n;

	n = pkt_link(out, BUFSZ, dlt, nvlan, ip, iplen);
	ck_assert_uint_gt(n, 0);
	return n;
}

static void
check_query(const struct res *x, int v6, enum dr_transport tr, uint16_t id)
{
	ck_assert_int_eq(x->r, DR_DECODE_OK);
	ck_assert_int_eq(x->ev.kind, DR_EV_QUERY);
	ck_assert_int_eq(x->ev.transport, tr);
	check_addr(&x->ev.resolver, srv(v6));
	check_addr(&x->ev.client, cli(v6));
	ck_assert_uint_eq(x->ev.resolver_port, 53);
	ck_assert_uint_eq(x->ev.client_port, CPORT);
	ck_assert_uint_eq(x->ev.has_dns, 1);
	ck_assert_uint_eq(x->ev.id, id);
	ck_assert_uint_eq(x->ev.qdcount, 1);
	ck_assert_uint_eq(x->ev.ancount, 0);
	ck_assert_uint_eq(x->ev.opcode, 0);
	ck_assert_uint_eq(x->ev.flags, DR_DNSF_RD);
	ck_assert_str_eq(x->qname, QNAME);
}

static void
check_response(const struct res *x, int v6, enum dr_transport tr,
    uint16_t id)
{
	ck_assert_int_eq(x->r, DR_DECODE_OK);
	ck_assert_int_eq(x->ev.kind, DR_EV_RESPONSE);
	ck_assert_int_eq(x->ev.transport, tr);
	check_addr(&x->ev.resolver, srv(v6));
	check_addr(&x->ev.client, cli(v6));
	ck_assert_uint_eq(x->ev.resolver_port, 53);
	ck_assert_uint_eq(x->ev.client_port, CPORT);
	ck_assert_uint_eq(x->ev.has_dns, 1);
	ck_assert_uint_eq(x->ev.id, id);
	ck_assert_uint_eq(x->ev.flags, DR_DNSF_RD | DR_DNSF_RA);
	ck_assert_str_eq(x->qname, QNAME);
}

static int
dlt_fits(int dlt, int v6)
{
	return !(dlt == DR_DLT_IPV4 && v6) && !(dlt == DR_DLT_IPV6 && !v6);
}

START_TEST(test_link_types)
{
	uint8_t		ip[BUFSZ], f[BUFSZ];
	struct res	x;
	size_t		i, n, fl;
	int		v6;

	for (i = 0; i < NDLTS; i++) {
		ck_assert(dr_decode_linktype_ok(all_dlts[i]));
		for (v6 = 0; v6 <= 1; v6++) {
			if (!dlt_fits(all_dlts[i], v6))
				continue;
			n = ip_udp_dns(ip, v6, 0, 0x1234, 0);
			fl = frame(f, all_dlts[i], 0, ip, n);
			dec(all_dlts[i], f, fl, &x);
			check_query(&x, v6, DR_TRANSPORT_UDP, 0x1234);
			ck_assert_uint_eq(x.ev.dns_len, n - (v6 ? 48 : 28));
			ck_assert_uint_eq(x.dns_off, fl - x.ev.dns_len);

			n = ip_udp_dns(ip, v6, 1, 0xbeef, 3);
			fl = frame(f, all_dlts[i], 0, ip, n);
			dec(all_dlts[i], f, fl, &x);
			check_response(&x, v6, DR_TRANSPORT_UDP, 0xbeef);
			ck_assert_uint_eq(x.ev.rcode, 3);
		}
	}
}
END_TEST

START_TEST(test_link_null_loop)
{
	static const uint32_t	afs6[] = { 24, 28, 30 };
	uint8_t			ip4[BUFSZ], ip6[BUFSZ], f[BUFSZ];
	struct res		x;
	size_t			n4, n6, i;
	uint32_t		af;

	n4 = ip_udp_dns(ip4, 0, 0, 1, 0);
	n6 = ip_udp_dns(ip6, 1, 0, 2, 0);
	/* DLT_NULL: either byte order. */
	memcpy(f + 4, ip4, n4);
	f[0] = 2; f[1] = 0; f[2] = 0; f[3] = 0;
	ck_assert_int_eq(dec(DR_DLT_NULL, f, 4 + n4, &x), DR_DECODE_OK);
	f[0] = 0; f[3] = 2;
	ck_assert_int_eq(dec(DR_DLT_NULL, f, 4 + n4, &x), DR_DECODE_OK);
	memcpy(f + 4, ip6, n6);
	for (i = 0; i < 3; i++) {
		af = afs6[i];
		memcpy(f, &af, 4);
		ck_assert_int_eq(dec(DR_DLT_NULL, f, 4 + n6, &x),
		    DR_DECODE_OK);
		check_query(&x, 1, DR_TRANSPORT_UDP, 2);
		af = __builtin_bswap32(af);
		memcpy(f, &af, 4);
		ck_assert_int_eq(dec(DR_DLT_NULL, f, 4 + n6, &x),
		    DR_DECODE_OK);
		/* DLT_LOOP is network order only. */
		f[0] = f[1] = f[2] = 0;
		f[3] = (uint8_t)afs6[i];
		ck_assert_int_eq(dec(DR_DLT_LOOP, f, 4 + n6, &x),
		    DR_DECODE_OK);
		f[0] = (uint8_t)afs6[i];
		f[3] = 0;
		ck_assert_int_eq(dec(DR_DLT_LOOP, f, 4 + n6, &x),
		    DR_DECODE_NOT_DNS);
	}
	/* Linux AF_INET6 (10) and anything else: not ours. */
	f[0] = 10; f[1] = f[2] = f[3] = 0;
	ck_assert_int_eq(dec(DR_DLT_NULL, f, 4 + n6, &x), DR_DECODE_NOT_DNS);
	ck_assert_int_eq(dec(DR_DLT_NULL, f, 3, &x), DR_DECODE_TRUNCATED);
	ck_assert_int_eq(dec(DR_DLT_LOOP, f, 0, &x), DR_DECODE_TRUNCATED);
}
END_TEST

START_TEST(test_vlan)
{
	static const uint16_t	tags[][3] = {
		{ 0x8100 }, { 0x88a8 }, { 0x9100 },
		{ 0x88a8, 0x8100 }, { 0x8100, 0x8100 }, { 0x9100, 0x8100 },
	};
	static const int	ntags[] = { 1, 1, 1, 2, 2, 2 };
	uint8_t			ip[BUFSZ], f[BUFSZ];
	struct res		x;
	size_t			i, n, fl;
	int			v6, k;

	for (v6 = 0; v6 <= 1; v6++) {
		n = ip_udp_dns(ip, v6, 0, 7, 0);
		for (k = 0; k <= 2; k++) {
			fl = frame(f, DR_DLT_EN10MB, k, ip, n);
			ck_assert_uint_eq(fl, 14 + 4 * (size_t)k + n);
			dec(DR_DLT_EN10MB, f, fl, &x);
			check_query(&x, v6, DR_TRANSPORT_UDP, 7);
		}
		for (i = 0; i < sizeof(ntags) / sizeof(ntags[0]); i++) {
			fl = pkt_eth(f, BUFSZ, tags[i], ntags[i],
			    v6 ? 0x86dd : 0x0800, ip, n);
			dec(DR_DLT_EN10MB, f, fl, &x);
			check_query(&x, v6, DR_TRANSPORT_UDP, 7);
		}
		/* Three tags is more than we look through. */
		fl = frame(f, DR_DLT_EN10MB, 3, ip, n);
		ck_assert_int_eq(dec(DR_DLT_EN10MB, f, fl, &x),
		    DR_DECODE_NOT_DNS);
	}
	/* ARP, and an 802.3 length field, are not IP. */
	fl = pkt_eth(f, BUFSZ, NULL, 0, 0x0806, ip, 28);
	ck_assert_int_eq(dec(DR_DLT_EN10MB, f, fl, &x), DR_DECODE_NOT_DNS);
	fl = pkt_eth(f, BUFSZ, NULL, 0, 100, ip, 100);
	ck_assert_int_eq(dec(DR_DLT_EN10MB, f, fl, &x), DR_DECODE_NOT_DNS);
	ck_assert_int_eq(dec(DR_DLT_EN10MB, f, 13, &x), DR_DECODE_TRUNCATED);
	/* Cut inside the tag. */
	fl = frame(f, DR_DLT_EN10MB, 2, ip, n);
	ck_assert_int_eq(dec(DR_DLT_EN10MB, f, 18, &x), DR_DECODE_TRUNCATED);
}
END_TEST

START_TEST(test_sll_raw_other)
{
	uint8_t		ip[BUFSZ], f[BUFSZ];
	struct res	x;
	size_t		n, fl;

	n = ip_udp_dns(ip, 0, 0, 9, 0);
	fl = frame(f, DR_DLT_LINUX_SLL, 0, ip, n);
	f[14] = 0x08;
	f[15] = 0x06;
	ck_assert_int_eq(dec(DR_DLT_LINUX_SLL, f, fl, &x), DR_DECODE_NOT_DNS);
	ck_assert_int_eq(dec(DR_DLT_LINUX_SLL, f, 15, &x),
	    DR_DECODE_TRUNCATED);
	fl = frame(f, DR_DLT_LINUX_SLL2, 0, ip, n);
	f[0] = 0x00;
	f[1] = 0x04;
	ck_assert_int_eq(dec(DR_DLT_LINUX_SLL2, f, fl, &x),
	    DR_DECODE_NOT_DNS);
	ck_assert_int_eq(dec(DR_DLT_LINUX_SLL2, f, 19, &x),
	    DR_DECODE_TRUNCATED);

	/* Raw: the version nibble decides, and must be 4 or 6. */
	memcpy(f, ip, n);
	f[0] = 0x55;
	ck_assert_int_eq(dec(DR_DLT_RAW, f, n, &x), DR_DECODE_MALFORMED);
	ck_assert_int_eq(dec(DR_LINKTYPE_RAW, f, 0, &x),
	    DR_DECODE_TRUNCATED);
	/* DLT_IPV4 holding IPv6 and the other way round. */
	n = ip_udp_dns(ip, 1, 0, 9, 0);
	ck_assert_int_eq(dec(DR_DLT_IPV4, ip, n, &x), DR_DECODE_MALFORMED);
	n = ip_udp_dns(ip, 0, 0, 9, 0);
	ck_assert_int_eq(dec(DR_DLT_IPV6, ip, n, &x), DR_DECODE_MALFORMED);
}
END_TEST

START_TEST(test_unsupported)
{
	static const int	bad[] = { -1, 2, 9, 105, 127, 192, 1000 };
	uint8_t			ip[BUFSZ];
	struct res		x;
	size_t			i, n;

	n = ip_udp_dns(ip, 0, 0, 9, 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert(!dr_decode_linktype_ok(bad[i]));
		ck_assert_int_eq(dec(bad[i], ip, n, &x),
		    DR_DECODE_UNSUPPORTED);
		ck_assert_int_eq(x.ev.kind, DR_EV_OTHER);
	}
	ck_assert_int_eq(dr_decode(1, NULL, 0, 0, TS, &x.ev),
	    DR_DECODE_TRUNCATED);
}
END_TEST

START_TEST(test_result_names)
{
	ck_assert_str_eq(dr_decode_result_name(DR_DECODE_OK), "ok");
	ck_assert_str_eq(dr_decode_result_name(DR_DECODE_NOT_DNS), "not_dns");
	ck_assert_str_eq(dr_decode_result_name(DR_DECODE_TRUNCATED),
	    "truncated");
	ck_assert_str_eq(dr_decode_result_name(DR_DECODE_MALFORMED),
	    "malformed");
	ck_assert_str_eq(dr_decode_result_name(DR_DECODE_UNSUPPORTED),
	    "unsupported");
	ck_assert_str_eq(dr_decode_result_name(DR_DECODE_NRESULTS),
	    "unknown");
}
END_TEST

/* UDP query C->R:53 with IPv4 options and the given fragment word. */
static size_t
ip4_opts(uint8_t *out, size_t optlen, uint16_t frag)
{
	uint8_t	dns[512], udp[600], opts[40];
	size_t	n;

	memset(opts, 1, sizeof(opts));		/* NOPs */
	n = pkt_dns(dns, sizeof(dns), 0x4444, 0, 0, QNAME);
	n = pkt_udp(udp, sizeof(udp), &C4, CPORT, &R4, 53, dns, n);
	ck_assert_uint_gt(n, 0);
	n = pkt_ip4(out, BUFSZ, &C4, &R4, 17, frag, opts, optlen, udp, n);
	ck_assert_uint_gt(n, 0);
	return n;
}

START_TEST(test_ipv4)
{
	uint8_t		ip[BUFSZ];
	struct res	x;
	size_t		n, optlen;

	for (optlen = 0; optlen <= 40; optlen += 4) {
		n = ip4_opts(ip, optlen, 0);
		dec(DR_DLT_RAW, ip, n, &x);
		check_query(&x, 0, DR_TRANSPORT_UDP, 0x4444);
		ck_assert_uint_eq(x.dns_off, 20 + optlen + 8);
	}
	/* Options beyond the capture. */
	n = ip4_opts(ip, 40, 0);
	ck_assert_int_eq(dec(DR_DLT_RAW, ip, 40, &x), DR_DECODE_TRUNCATED);

	/* First fragment with MF: decode what is there. */
	n = ip4_opts(ip, 0, 0x2000);
	dec(DR_DLT_RAW, ip, n, &x);
	check_query(&x, 0, DR_TRANSPORT_UDP, 0x4444);
	/* Later fragments hold no UDP header. */
	n = ip4_opts(ip, 0, 185);
	ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x), DR_DECODE_NOT_DNS);
	n = ip4_opts(ip, 0, 0x2000 | 1);
	ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x), DR_DECODE_NOT_DNS);

	/* IHL below 5, total length below the header, bad version. */
	n = ip4_opts(ip, 0, 0);
	ip[0] = 0x44;
	ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x), DR_DECODE_MALFORMED);
	ip[0] = 0x46;		/* claims options, total length too small */
	ip[2] = 0;
	ip[3] = 20;
	ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x), DR_DECODE_MALFORMED);
	ip[0] = 0x45;
	ip[3] = 0;
	ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x), DR_DECODE_MALFORMED);
	n = ip4_opts(ip, 0, 0);
	ck_assert_int_eq(dec(DR_DLT_IPV4, ip, n, &x), DR_DECODE_OK);
	ip[0] = 0x65;
	ck_assert_int_eq(dec(DR_DLT_IPV4, ip, n, &x), DR_DECODE_MALFORMED);

	/* Total length shorter than the UDP length says: malformed. */
	n = ip4_opts(ip, 0, 0);
	ip[3] = (uint8_t)(ip[3] - 1);
	ck_assert_int_eq(dec(DR_DLT_IPV4, ip, n, &x), DR_DECODE_MALFORMED);

	/* Not UDP, TCP or ICMP. */
	n = ip4_opts(ip, 0, 0);
	ip[9] = 47;
	ck_assert_int_eq(dec(DR_DLT_IPV4, ip, n, &x), DR_DECODE_NOT_DNS);
}
END_TEST

START_TEST(test_ipv4_lengths)
{
	uint8_t		ip[BUFSZ], f[BUFSZ];
	struct res	x;
	size_t		n, fl;

	/* Ethernet padding after the packet stays out of the message. */
	n = ip_udp_dns(ip, 0, 0, 5, 0);
	fl = frame(f, DR_DLT_EN10MB, 0, ip, n);
	memset(f + fl, 0xee, 30);
	dec(DR_DLT_EN10MB, f, fl + 30, &x);
	check_query(&x, 0, DR_TRANSPORT_UDP, 5);
	ck_assert_uint_eq(x.ev.dns_len, n - 28);

	/* Snaplen cut inside the question: header is enough. */
	run(DR_DLT_EN10MB, f, 14 + 28 + 14, fl, &x);
	ck_assert_int_eq(x.r, DR_DECODE_OK);
	ck_assert_int_eq(x.ev.kind, DR_EV_QUERY);
	ck_assert_uint_eq(x.ev.dns_len, 14);
	ck_assert_int_eq(x.qlen, -1);
	/* Cut inside the DNS header. */
	run(DR_DLT_EN10MB, f, 14 + 28 + 11, fl, &x);
	ck_assert_int_eq(x.r, DR_DECODE_TRUNCATED);
	/* Cut inside the UDP header and the IP header. */
	ck_assert_int_eq(dec(DR_DLT_EN10MB, f, 14 + 25, &x),
	    DR_DECODE_TRUNCATED);
	ck_assert_int_eq(dec(DR_DLT_EN10MB, f, 14 + 19, &x),
	    DR_DECODE_TRUNCATED);
}
END_TEST

/* IPv6 C->R with the extension headers ext[0..elen) before UDP. */
static size_t
ip6_ext(uint8_t *out, uint8_t first, const uint8_t *ext, size_t elen)
{
	uint8_t	dns[512], pl[1024];
	size_t	n;

	n = pkt_dns(dns, sizeof(dns), 0x6666, 0, 0, QNAME);
	memcpy(pl, ext, elen);
	n = pkt_udp(pl + elen, sizeof(pl) - elen, &C6, CPORT, &R6, 53, dns,
	    n);
	ck_assert_uint_gt(n, 0);
	n = pkt_ip6(out, BUFSZ, &C6, &R6, first, pl, elen + n);
	ck_assert_uint_gt(n, 0);
	return n;
}

START_TEST(test_ipv6_ext)
{
	uint8_t		ext[512], ip[BUFSZ];
	struct res	x;
	size_t		n, e, i;

	/* Hop-by-hop (8), routing (24), fragment (first, MF), AH, dstopts. */
	memset(ext, 0, sizeof(ext));
	e = 0;
	ext[e] = 43; ext[e + 1] = 0; e += 8;			/* HBH */
	ext[e] = 44; ext[e + 1] = 2; e += 24;			/* RH */
	ext[e] = 51; ext[e + 3] = 1; e += 8;			/* FH */
	ext[e] = 60; ext[e + 1] = 4; e += 24;			/* AH */
	ext[e] = 17; ext[e + 1] = 1; e += 16;			/* DO */
	n = ip6_ext(ip, 0, ext, e);
	dec(DR_DLT_IPV6, ip, n, &x);
	check_query(&x, 1, DR_TRANSPORT_UDP, 0x6666);
	ck_assert_uint_eq(x.dns_off, 40 + e + 8);
	/* Cut inside an extension header. */
	ck_assert_int_eq(dec(DR_DLT_IPV6, ip, 40 + 30, &x),
	    DR_DECODE_TRUNCATED);
	/* An extension header running past the payload length. */
	ip[40 + 8 + 1] = 200;
	ck_assert_int_eq(dec(DR_DLT_IPV6, ip, n, &x), DR_DECODE_MALFORMED);

	/* Non-first fragment. */
	memset(ext, 0, sizeof(ext));
	ext[0] = 17; ext[2] = 0x01; ext[3] = 0x00;		/* offset 32 */
	n = ip6_ext(ip, 44, ext, 8);
	ck_assert_int_eq(dec(DR_DLT_IPV6, ip, n, &x), DR_DECODE_NOT_DNS);
	ext[2] = 0; ext[3] = 1;					/* M only */
	n = ip6_ext(ip, 44, ext, 8);
	ck_assert_int_eq(dec(DR_DLT_IPV6, ip, n, &x), DR_DECODE_OK);

	/* ESP and no next header. */
	n = ip6_ext(ip, 50, ext, 0);
	ck_assert_int_eq(dec(DR_DLT_IPV6, ip, n, &x), DR_DECODE_NOT_DNS);
	n = ip6_ext(ip, 59, ext, 0);
	ck_assert_int_eq(dec(DR_DLT_IPV6, ip, n, &x), DR_DECODE_NOT_DNS);
	memset(ext, 0, 8);
	ext[0] = 59;
	n = ip6_ext(ip, 60, ext, 8);
	ck_assert_int_eq(dec(DR_DLT_IPV6, ip, n, &x), DR_DECODE_NOT_DNS);

	/* Eight destination options headers are fine, nine too many. */
	memset(ext, 0, sizeof(ext));
	for (i = 0; i < 9; i++)
		ext[i * 8] = 60;
	ext[7 * 8] = 17;
	n = ip6_ext(ip, 60, ext, 8 * 8);
	ck_assert_int_eq(dec(DR_DLT_IPV6, ip, n, &x), DR_DECODE_OK);
	ext[7 * 8] = 60;
	ext[8 * 8] = 17;
	n = ip6_ext(ip, 60, ext, 9 * 8);
	ck_assert_int_eq(dec(DR_DLT_IPV6, ip, n, &x), DR_DECODE_NOT_DNS);

	/* Bad version, and a payload length short of the UDP length. */
	n = ip6_ext(ip, 17, ext, 0);
	ip[0] = 0x40;
	ck_assert_int_eq(dec(DR_DLT_IPV6, ip, n, &x), DR_DECODE_MALFORMED);
	n = ip6_ext(ip, 17, ext, 0);
	ip[5] = (uint8_t)(ip[5] - 1);
	ck_assert_int_eq(dec(DR_DLT_IPV6, ip, n - 1, &x),
	    DR_DECODE_MALFORMED);
	/* Payload length 0 (jumbogram, offload): what was captured. */
	n = ip6_ext(ip, 17, ext, 0);
	ip[4] = ip[5] = 0;
	dec(DR_DLT_IPV6, ip, n, &x);
	check_query(&x, 1, DR_TRANSPORT_UDP, 0x6666);
	ck_assert_int_eq(dec(DR_DLT_IPV6, ip, n - 40, &x),
	    DR_DECODE_TRUNCATED);
	/* ICMP (v4) inside IPv6 is not looked at. */
	n = ip6_ext(ip, 1, ext, 0);
	ck_assert_int_eq(dec(DR_DLT_IPV6, ip, n, &x), DR_DECODE_NOT_DNS);
}
END_TEST

START_TEST(test_udp_direction)
{
	uint8_t		dns[512], ip[BUFSZ];
	struct res	x;
	size_t		dn, n;
	int		v6;

	for (v6 = 0; v6 <= 1; v6++) {
		/* A response sent to port 53 is not a response. */
		dn = pkt_dns(dns, sizeof(dns), 1, 1, 0, QNAME);
		n = pkt_ip_udp(ip, BUFSZ, srv(v6), CPORT, cli(v6), 53, dns,
		    dn);
		ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x),
		    DR_DECODE_NOT_DNS);
		/* A query from port 53 to elsewhere is not a query. */
		dn = pkt_dns(dns, sizeof(dns), 1, 0, 0, QNAME);
		n = pkt_ip_udp(ip, BUFSZ, srv(v6), 53, cli(v6), CPORT, dns,
		    dn);
		ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x),
		    DR_DECODE_NOT_DNS);
		/* Neither port 53. */
		n = pkt_ip_udp(ip, BUFSZ, srv(v6), 5353, cli(v6), 5353, dns,
		    dn);
		ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x),
		    DR_DECODE_NOT_DNS);
		/* Port 53 to port 53 query: the client port is 53. */
		n = pkt_ip_udp(ip, BUFSZ, cli(v6), 53, srv(v6), 53, dns, dn);
		ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x), DR_DECODE_OK);
		ck_assert_int_eq(x.ev.kind, DR_EV_QUERY);
		ck_assert_uint_eq(x.ev.client_port, 53);
		/* Opcode and flags come through. */
		dn = pkt_dns_raw(dns, sizeof(dns), 2, 0x8000 | 2 << 11 |
		    0x0400 | 0x0200 | 5, 28, QNAME);
		n = pkt_ip_udp(ip, BUFSZ, srv(v6), 53, cli(v6), CPORT, dns,
		    dn);
		ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x), DR_DECODE_OK);
		ck_assert_int_eq(x.ev.kind, DR_EV_RESPONSE);
		ck_assert_uint_eq(x.ev.opcode, 2);
		ck_assert_uint_eq(x.ev.rcode, 5);
		ck_assert_uint_eq(x.ev.flags, DR_DNSF_AA | DR_DNSF_TC);
	}
}
END_TEST

START_TEST(test_udp_short)
{
	uint8_t		dns[64], ip[BUFSZ];
	struct res	x;
	size_t		n, hl;
	int		v6;

	memset(dns, 0, sizeof(dns));
	for (v6 = 0; v6 <= 1; v6++) {
		hl = v6 ? 40 : 20;
		/* Eleven bytes of payload, all captured: malformed. */
		n = pkt_ip_udp(ip, BUFSZ, cli(v6), CPORT, srv(v6), 53, dns,
		    11);
		ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x),
		    DR_DECODE_MALFORMED);
		/* Twelve: a bare header is a query. */
		n = pkt_ip_udp(ip, BUFSZ, cli(v6), CPORT, srv(v6), 53, dns,
		    12);
		ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x), DR_DECODE_OK);
		ck_assert_int_eq(x.qlen, -1);
		/* Cut by the capture: truncated. */
		n = pkt_ip_udp(ip, BUFSZ, cli(v6), CPORT, srv(v6), 53, dns,
		    40);
		run(DR_DLT_RAW, ip, hl + 8 + 11, n, &x);
		ck_assert_int_eq(x.r, DR_DECODE_TRUNCATED);
		/* UDP length below 8, or past the IP packet. */
		ip[hl + 4] = 0;
		ip[hl + 5] = 7;
		ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x),
		    DR_DECODE_MALFORMED);
		ip[hl + 5] = 8 + 12;
		ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x),
		    DR_DECODE_OK);
		ck_assert_uint_eq(x.ev.dns_len, 12);
		ip[hl + 5] = 8 + 41;
		ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x),
		    DR_DECODE_MALFORMED);
	}
}
END_TEST

START_TEST(test_tcp)
{
	uint8_t		ip[BUFSZ], pl[600], f[BUFSZ];
	struct res	x;
	size_t		n, hl, fl;
	int		v6;

	for (v6 = 0; v6 <= 1; v6++) {
		hl = v6 ? 40 : 20;
		n = ip_tcp_dns(ip, v6, 0, 0x7001);
		fl = frame(f, DR_DLT_EN10MB, 1, ip, n);
		dec(DR_DLT_EN10MB, f, fl, &x);
		check_query(&x, v6, DR_TRANSPORT_TCP, 0x7001);
		ck_assert_uint_eq(x.dns_off, 18 + hl + 20 + 2);
		ck_assert_uint_eq(x.ev.dns_len, n - hl - 22);
		n = ip_tcp_dns(ip, v6, 1, 0x7002);
		fl = frame(f, DR_DLT_LINUX_SLL2, 0, ip, n);
		dec(DR_DLT_LINUX_SLL2, f, fl, &x);
		check_response(&x, v6, DR_TRANSPORT_TCP, 0x7002);

		/* TCP options: data offset 8. */
		memset(pl, 1, 12);
		n = pkt_dns(pl + 14, sizeof(pl) - 14, 0x7003, 0, 0, QNAME);
		pl[12] = 0;
		pl[13] = (uint8_t)n;
		n = pkt_ip_tcp(ip, BUFSZ, cli(v6), CPORT, srv(v6), 53,
		    PKT_TH_ACK, pl, n + 14);
		ip[hl + 12] = 8 << 4;
		dec(DR_DLT_RAW, ip, n, &x);
		check_query(&x, v6, DR_TRANSPORT_TCP, 0x7003);
		ck_assert_int_eq(dec(DR_DLT_RAW, ip, hl + 31, &x),
		    DR_DECODE_TRUNCATED);
		ip[hl + 12] = 4 << 4;
		ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x),
		    DR_DECODE_MALFORMED);

		/* Length prefix below a header. */
		n = ip_tcp_dns(ip, v6, 0, 1);
		ip[hl + 20] = 0;
		ip[hl + 21] = 11;
		ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x),
		    DR_DECODE_NOT_DNS);
		/* Short segments: not DNS, unless the capture cut them. */
		memset(pl, 0, 13);
		n = pkt_ip_tcp(ip, BUFSZ, cli(v6), CPORT, srv(v6), 53,
		    PKT_TH_ACK, pl, 13);
		ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x),
		    DR_DECODE_NOT_DNS);
		n = ip_tcp_dns(ip, v6, 0, 1);
		run(DR_DLT_RAW, ip, hl + 20 + 13, n, &x);
		ck_assert_int_eq(x.r, DR_DECODE_TRUNCATED);
		run(DR_DLT_RAW, ip, hl + 20, n, &x);
		ck_assert_int_eq(x.r, DR_DECODE_TRUNCATED);
		/* A message split across segments: what is there. */
		n = ip_tcp_dns(ip, v6, 0, 0x7004);
		ip[hl + 21] = (uint8_t)(ip[hl + 21] + 100);
		dec(DR_DLT_RAW, ip, n, &x);
		check_query(&x, v6, DR_TRANSPORT_TCP, 0x7004);

		/* SYN and SYN-ACK are events (test_tcp_setup); FIN is not. */
		n = pkt_ip_tcp(ip, BUFSZ, cli(v6), CPORT, srv(v6), 53,
		    PKT_TH_SYN, NULL, 0);
		ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x), DR_DECODE_OK);
		ck_assert_int_eq(x.ev.kind, DR_EV_TCP_SYN);
		n = pkt_ip_tcp(ip, BUFSZ, srv(v6), 53, cli(v6), CPORT,
		    PKT_TH_SYN | PKT_TH_ACK, NULL, 0);
		ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x), DR_DECODE_OK);
		ck_assert_int_eq(x.ev.kind, DR_EV_TCP_ACCEPT);
		n = pkt_ip_tcp(ip, BUFSZ, srv(v6), 53, cli(v6), CPORT,
		    PKT_TH_FIN | PKT_TH_ACK, NULL, 0);
		ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x),
		    DR_DECODE_NOT_DNS);
		/* Not port 53. */
		n = ip_tcp_dns(ip, v6, 0, 1);
		ip[hl + 3] = 54;
		ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x),
		    DR_DECODE_NOT_DNS);
	}
}
END_TEST

START_TEST(test_tcp_rst)
{
	uint8_t		ip[BUFSZ];
	struct res	x;
	size_t		n;
	int		v6;

	for (v6 = 0; v6 <= 1; v6++) {
		n = pkt_ip_tcp(ip, BUFSZ, srv(v6), 53, cli(v6), CPORT,
		    PKT_TH_RST | PKT_TH_ACK, NULL, 0);
		ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x), DR_DECODE_OK);
		ck_assert_int_eq(x.ev.kind, DR_EV_TCP_RESET);
		ck_assert_int_eq(x.ev.transport, DR_TRANSPORT_TCP);
		check_addr(&x.ev.resolver, srv(v6));
		check_addr(&x.ev.client, cli(v6));
		ck_assert_uint_eq(x.ev.resolver_port, 53);
		ck_assert_uint_eq(x.ev.client_port, CPORT);
		ck_assert_uint_eq(x.ev.has_dns, 0);
		n = pkt_ip_tcp(ip, BUFSZ, srv(v6), 53, cli(v6), CPORT,
		    PKT_TH_RST, NULL, 0);
		ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x), DR_DECODE_OK);
		ck_assert_int_eq(x.ev.kind, DR_EV_TCP_RESET);
		/* The client resetting is not the resolver refusing. */
		n = pkt_ip_tcp(ip, BUFSZ, cli(v6), CPORT, srv(v6), 53,
		    PKT_TH_RST, NULL, 0);
		ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x),
		    DR_DECODE_NOT_DNS);
	}
}
END_TEST

/* Connection set-up: the SYN and the server's SYN+ACK are events. */
START_TEST(test_tcp_setup)
{
	uint8_t		ip[BUFSZ];
	struct res	x;
	size_t		n;
	int		v6;

	for (v6 = 0; v6 <= 1; v6++) {
		/* The client opens: the resolver is the one it calls. */
		n = pkt_ip_tcp(ip, BUFSZ, cli(v6), CPORT, srv(v6), 53,
		    PKT_TH_SYN, NULL, 0);
		ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x), DR_DECODE_OK);
		ck_assert_int_eq(x.ev.kind, DR_EV_TCP_SYN);
		ck_assert_int_eq(x.ev.transport, DR_TRANSPORT_TCP);
		check_addr(&x.ev.resolver, srv(v6));
		check_addr(&x.ev.client, cli(v6));
		ck_assert_uint_eq(x.ev.resolver_port, 53);
		ck_assert_uint_eq(x.ev.client_port, CPORT);
		ck_assert_uint_eq(x.ev.has_dns, 0);
		ck_assert_int_eq(x.ev.icmp_from.family, DR_AF_NONE);
		/* The resolver accepts: same sides, from the other end. */
		n = pkt_ip_tcp(ip, BUFSZ, srv(v6), 53, cli(v6), CPORT,
		    PKT_TH_SYN | PKT_TH_ACK, NULL, 0);
		ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x), DR_DECODE_OK);
		ck_assert_int_eq(x.ev.kind, DR_EV_TCP_ACCEPT);
		ck_assert_int_eq(x.ev.transport, DR_TRANSPORT_TCP);
		check_addr(&x.ev.resolver, srv(v6));
		check_addr(&x.ev.client, cli(v6));
		ck_assert_uint_eq(x.ev.resolver_port, 53);
		ck_assert_uint_eq(x.ev.client_port, CPORT);
		ck_assert_uint_eq(x.ev.has_dns, 0);
		/* Or refuses. */
		n = pkt_ip_tcp(ip, BUFSZ, srv(v6), 53, cli(v6), CPORT,
		    PKT_TH_RST | PKT_TH_ACK, NULL, 0);
		ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x), DR_DECODE_OK);
		ck_assert_int_eq(x.ev.kind, DR_EV_TCP_RESET);
		check_addr(&x.ev.resolver, srv(v6));
		check_addr(&x.ev.client, cli(v6));
		ck_assert_uint_eq(x.ev.client_port, CPORT);
		/* SYN+ACK with RST set is a reset, not an accept. */
		n = pkt_ip_tcp(ip, BUFSZ, srv(v6), 53, cli(v6), CPORT,
		    PKT_TH_SYN | PKT_TH_ACK | PKT_TH_RST, NULL, 0);
		ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x), DR_DECODE_OK);
		ck_assert_int_eq(x.ev.kind, DR_EV_TCP_RESET);
		/* A SYN with ACK or RST to port 53 opens nothing. */
		n = pkt_ip_tcp(ip, BUFSZ, cli(v6), CPORT, srv(v6), 53,
		    PKT_TH_SYN | PKT_TH_ACK, NULL, 0);
		ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x),
		    DR_DECODE_NOT_DNS);
		n = pkt_ip_tcp(ip, BUFSZ, cli(v6), CPORT, srv(v6), 53,
		    PKT_TH_SYN | PKT_TH_RST, NULL, 0);
		ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x),
		    DR_DECODE_NOT_DNS);
		/* Nor does one from port 53 to a client port. */
		n = pkt_ip_tcp(ip, BUFSZ, srv(v6), 53, cli(v6), CPORT,
		    PKT_TH_SYN, NULL, 0);
		ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x),
		    DR_DECODE_NOT_DNS);
		/* A SYN between other ports is nobody's business. */
		n = pkt_ip_tcp(ip, BUFSZ, cli(v6), CPORT, srv(v6), 853,
		    PKT_TH_SYN, NULL, 0);
		ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x),
		    DR_DECODE_NOT_DNS);
	}
}
END_TEST

/* Check an UNREACH (or LATE_RESPONSE) event against the quote. */
static void
check_unreach(const struct res *x, int v6, uint8_t code, int has_dns,
    enum dr_event_kind kind)
{
	ck_assert_int_eq(x->r, DR_DECODE_OK);
	ck_assert_int_eq(x->ev.kind, kind);
	ck_assert_int_eq(x->ev.transport, DR_TRANSPORT_UDP);
	check_addr(&x->ev.resolver, srv(v6));
	check_addr(&x->ev.client, cli(v6));
	ck_assert_uint_eq(x->ev.resolver_port, 53);
	ck_assert_uint_eq(x->ev.client_port, CPORT);
	ck_assert_uint_eq(x->ev.icmp6, v6);
	ck_assert_uint_eq(x->ev.icmp_code, code);
	ck_assert_uint_eq(x->ev.has_dns, has_dns);
}

START_TEST(test_icmp_unreach_codes)
{
	uint8_t		q[BUFSZ], ip[BUFSZ], f[BUFSZ];
	struct res	x;
	size_t		qn, n, fl, hl;
	int		v6, code;

	for (v6 = 0; v6 <= 1; v6++) {
		hl = v6 ? 40 : 20;
		qn = ip_udp_dns(q, v6, 0, 0xabcd, 0);
		for (code = 0; code <= (v6 ? 7 : 15); code++) {
			n = ip_unreach(ip, v6, (uint8_t)code, q, qn);
			fl = frame(f, DR_DLT_EN10MB, 0, ip, n);
			dec(DR_DLT_EN10MB, f, fl, &x);
			check_unreach(&x, v6, (uint8_t)code, 1,
			    DR_EV_UNREACH);
			ck_assert_uint_eq(x.ev.id, 0xabcd);
			ck_assert_uint_eq(x.ev.qdcount, 1);
			ck_assert_uint_eq(x.ev.flags, DR_DNSF_RD);
			ck_assert_uint_eq(x.dns_off, 14 + hl + 8 + hl + 8);
			ck_assert_uint_eq(x.ev.dns_len, qn - hl - 8);
			ck_assert_str_eq(x.qname, QNAME);
		}
	}
}
END_TEST

START_TEST(test_icmp_short_quote)
{
	uint8_t		q[BUFSZ], ip[BUFSZ];
	struct res	x;
	size_t		qn, n, hl;
	int		v6;

	for (v6 = 0; v6 <= 1; v6++) {
		hl = v6 ? 40 : 20;
		qn = ip_udp_dns(q, v6, 0, 0xabcd, 0);
		/* RFC 792 routers: IP header plus 8 bytes. */
		n = ip_unreach(ip, v6, 3, q, hl + 8);
		ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x), DR_DECODE_OK);
		check_unreach(&x, v6, 3, 0, DR_EV_UNREACH);
		/* Eleven DNS bytes: still no header. */
		n = ip_unreach(ip, v6, 3, q, hl + 8 + 11);
		ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x), DR_DECODE_OK);
		check_unreach(&x, v6, 3, 0, DR_EV_UNREACH);
		/* Twelve: the header, no name. */
		n = ip_unreach(ip, v6, 3, q, hl + 8 + 12);
		ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x), DR_DECODE_OK);
		check_unreach(&x, v6, 3, 1, DR_EV_UNREACH);
		ck_assert_int_eq(x.qlen, -1);
		/* Too short for the UDP ports: malformed, or cut. */
		n = ip_unreach(ip, v6, 3, q, hl + 4);
		ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x),
		    DR_DECODE_MALFORMED);
		n = ip_unreach(ip, v6, 3, q, qn);
		run(DR_DLT_RAW, ip, hl + 8 + hl + 4, n, &x);
		ck_assert_int_eq(x.r, DR_DECODE_TRUNCATED);
		/* Too short for the quoted IP header. */
		n = ip_unreach(ip, v6, 3, q, hl - 1);
		ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x),
		    DR_DECODE_MALFORMED);
		n = ip_unreach(ip, v6, 3, q, 0);
		ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x),
		    DR_DECODE_MALFORMED);
		/* The quote's UDP length bounds the DNS bytes. */
		n = ip_unreach(ip, v6, 3, q, qn);
		ip[hl + 8 + hl + 4] = 0;
		ip[hl + 8 + hl + 5] = 8 + 12;
		ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x), DR_DECODE_OK);
		ck_assert_uint_eq(x.ev.dns_len, 12);
	}
	/* Quoted IPv4 header damage. */
	qn = ip_udp_dns(q, 0, 0, 1, 0);
	n = ip_unreach(ip, 0, 3, q, qn);
	ip[28] = 0x65;
	ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x), DR_DECODE_MALFORMED);
	ip[28] = 0x43;
	ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x), DR_DECODE_MALFORMED);
	n = ip_unreach(ip, 0, 3, q, 40);
	ip[28] = 0x4f;		/* 60-byte header: past the quote */
	ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x), DR_DECODE_MALFORMED);
	/* A quoted later fragment has no UDP header. */
	n = ip_unreach(ip, 0, 3, q, qn);
	ip[28 + 7] = 10;
	ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x), DR_DECODE_NOT_DNS);
	/* A quoted IPv6 packet with an extension header. */
	{
		uint8_t	ext[8] = { 17, 0, 0, 0, 0, 0, 0, 0 };

		qn = ip6_ext(q, 60, ext, sizeof(ext));
		n = pkt_ip_icmp_unreach(ip, BUFSZ, &R6, &C6, 4, q, qn);
		ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x), DR_DECODE_OK);
		check_unreach(&x, 1, 4, 1, DR_EV_UNREACH);
		ck_assert_uint_eq(x.ev.id, 0x6666);
		ck_assert_str_eq(x.qname, QNAME);
	}
}
END_TEST

START_TEST(test_icmp_late_response)
{
	uint8_t		q[BUFSZ], ip[BUFSZ];
	struct res	x;
	size_t		qn, n;
	int		v6;

	for (v6 = 0; v6 <= 1; v6++) {
		/* The client says port unreachable to the resolver. */
		qn = ip_udp_dns(q, v6, 1, 0x5555, 2);
		n = pkt_ip_icmp_unreach(ip, BUFSZ, cli(v6), srv(v6), 3, q, qn);
		ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x), DR_DECODE_OK);
		check_unreach(&x, v6, 3, 1, DR_EV_LATE_RESPONSE);
		ck_assert_uint_eq(x.ev.id, 0x5555);
		ck_assert_uint_eq(x.ev.rcode, 2);
		ck_assert_str_eq(x.qname, QNAME);
	}
}
END_TEST

/* Who sent the ICMP error, and with what TTL it arrived. */
START_TEST(test_icmp_sender)
{
	uint8_t		q[BUFSZ], ip[BUFSZ];
	struct res	x;
	struct dr_addr	rt;
	size_t		qn, n;
	int		v6;

	for (v6 = 0; v6 <= 1; v6++) {
		qn = ip_udp_dns(q, v6, 0, 0x1234, 0);
		/* The resolver itself, TTL 64 as util_pkt sends. */
		n = ip_unreach(ip, v6, v6 ? 4 : 3, q, qn);
		ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x), DR_DECODE_OK);
		check_addr(&x.ev.icmp_from, srv(v6));
		ck_assert_uint_eq(x.ev.icmp_ttl, 64);
		/* The TTL (hop limit) as it arrived, not as sent. */
		ip[v6 ? 7 : 8] = 250;
		ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x), DR_DECODE_OK);
		ck_assert_uint_eq(x.ev.icmp_ttl, 250);
		ip[v6 ? 7 : 8] = 1;
		ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x), DR_DECODE_OK);
		ck_assert_uint_eq(x.ev.icmp_ttl, 1);
		/* A router on the way: the sender is not the resolver. */
		rt = pkt_addr(v6 ? "2001:db8:1::1" : "198.51.100.1");
		n = pkt_ip_icmp_unreach(ip, BUFSZ, &rt, cli(v6), 1, q, qn);
		ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x), DR_DECODE_OK);
		check_unreach(&x, v6, 1, 1, DR_EV_UNREACH);
		check_addr(&x.ev.icmp_from, &rt);
		check_addr(&x.ev.resolver, srv(v6));
		ck_assert_uint_eq(x.ev.icmp_ttl, 64);
		/* An 8-byte quote has a sender too. */
		n = pkt_ip_icmp_unreach(ip, BUFSZ, &rt, cli(v6), 3, q,
		    (v6 ? 40 : 20) + 8);
		ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x), DR_DECODE_OK);
		check_addr(&x.ev.icmp_from, &rt);
		/* About a late answer: the client sent it. */
		qn = ip_udp_dns(q, v6, 1, 0x1234, 0);
		n = pkt_ip_icmp_unreach(ip, BUFSZ, cli(v6), srv(v6), 3, q, qn);
		ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x), DR_DECODE_OK);
		ck_assert_int_eq(x.ev.kind, DR_EV_LATE_RESPONSE);
		check_addr(&x.ev.icmp_from, cli(v6));
		/* Not ICMP: no sender, no TTL. */
		n = ip_udp_dns(ip, v6, 0, 1, 0);
		ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x), DR_DECODE_OK);
		ck_assert_int_eq(x.ev.icmp_from.family, DR_AF_NONE);
		ck_assert_uint_eq(x.ev.icmp_ttl, 0);
	}
}
END_TEST

/*
 * Port 53 to port 53 (a forwarder's own traffic): the QR bit in the
 * quote tells a query from a response; without it, it is a query.
 */
START_TEST(test_icmp_port53_both)
{
	uint8_t		q[BUFSZ], ip[BUFSZ], dns[512];
	struct res	x;
	size_t		dn, qn, n, hl;
	int		v6;

	for (v6 = 0; v6 <= 1; v6++) {
		hl = v6 ? 40 : 20;
		/* A response srv:53 -> cli:53, refused by cli. */
		dn = pkt_dns(dns, sizeof(dns), 0x4242, 1, 0, QNAME);
		qn = pkt_ip_udp(q, BUFSZ, srv(v6), 53, cli(v6), 53, dns, dn);
		ck_assert_uint_gt(qn, 0);
		n = pkt_ip_icmp_unreach(ip, BUFSZ, cli(v6), srv(v6), 3, q, qn);
		ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x), DR_DECODE_OK);
		ck_assert_int_eq(x.ev.kind, DR_EV_LATE_RESPONSE);
		check_addr(&x.ev.resolver, srv(v6));
		check_addr(&x.ev.client, cli(v6));
		ck_assert_uint_eq(x.ev.resolver_port, 53);
		ck_assert_uint_eq(x.ev.client_port, 53);
		ck_assert_uint_eq(x.ev.has_dns, 1);
		ck_assert_uint_eq(x.ev.id, 0x4242);
		/* Just the DNS header is enough to see QR. */
		n = pkt_ip_icmp_unreach(ip, BUFSZ, cli(v6), srv(v6), 3, q,
		    hl + 8 + 12);
		ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x), DR_DECODE_OK);
		ck_assert_int_eq(x.ev.kind, DR_EV_LATE_RESPONSE);
		/* A query cli:53 -> srv:53, refused by srv. */
		dn = pkt_dns(dns, sizeof(dns), 0x4343, 0, 0, QNAME);
		qn = pkt_ip_udp(q, BUFSZ, cli(v6), 53, srv(v6), 53, dns, dn);
		n = ip_unreach(ip, v6, 3, q, qn);
		ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x), DR_DECODE_OK);
		ck_assert_int_eq(x.ev.kind, DR_EV_UNREACH);
		check_addr(&x.ev.resolver, srv(v6));
		check_addr(&x.ev.client, cli(v6));
		ck_assert_uint_eq(x.ev.resolver_port, 53);
		ck_assert_uint_eq(x.ev.client_port, 53);
		ck_assert_uint_eq(x.ev.has_dns, 1);
		ck_assert_uint_eq(x.ev.id, 0x4343);
		/* 8 bytes (and 11): no QR to read, taken as a query. */
		n = ip_unreach(ip, v6, 3, q, hl + 8);
		ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x), DR_DECODE_OK);
		ck_assert_int_eq(x.ev.kind, DR_EV_UNREACH);
		check_addr(&x.ev.resolver, srv(v6));
		ck_assert_uint_eq(x.ev.has_dns, 0);
		n = ip_unreach(ip, v6, 3, q, hl + 8 + 11);
		ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x), DR_DECODE_OK);
		ck_assert_int_eq(x.ev.kind, DR_EV_UNREACH);
		ck_assert_uint_eq(x.ev.has_dns, 0);
		/* The response's 8-byte quote is a query's too. */
		dn = pkt_dns(dns, sizeof(dns), 0x4242, 1, 0, QNAME);
		qn = pkt_ip_udp(q, BUFSZ, srv(v6), 53, cli(v6), 53, dns, dn);
		n = pkt_ip_icmp_unreach(ip, BUFSZ, cli(v6), srv(v6), 3, q,
		    hl + 8);
		ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x), DR_DECODE_OK);
		ck_assert_int_eq(x.ev.kind, DR_EV_UNREACH);
		check_addr(&x.ev.resolver, cli(v6));
		check_addr(&x.ev.client, srv(v6));
	}
}
END_TEST

START_TEST(test_icmp_not_dns)
{
	static const uint8_t	types4[] = { 0, 4, 5, 8, 11, 12 };
	static const uint8_t	types6[] = { 2, 3, 4, 128, 129, 135 };
	uint8_t			q[BUFSZ], ip[BUFSZ], dns[512];
	struct res		x;
	size_t			qn, n, dn, i;
	int			v6;

	for (v6 = 0; v6 <= 1; v6++) {
		/* Quoting TCP to port 53. */
		qn = ip_tcp_dns(q, v6, 0, 1);
		n = ip_unreach(ip, v6, 3, q, qn);
		ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x),
		    DR_DECODE_NOT_DNS);
		/* Quoting UDP between other ports. */
		dn = pkt_dns(dns, sizeof(dns), 1, 0, 0, QNAME);
		qn = pkt_ip_udp(q, BUFSZ, cli(v6), CPORT, srv(v6), 123, dns,
		    dn);
		n = ip_unreach(ip, v6, 3, q, qn);
		ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x),
		    DR_DECODE_NOT_DNS);
		/* Other types quoting a DNS query. */
		qn = ip_udp_dns(q, v6, 0, 1, 0);
		for (i = 0; i < sizeof(types4); i++) {
			n = pkt_ip_icmp(ip, BUFSZ, srv(v6), cli(v6),
			    v6 ? types6[i] : types4[i], 0, q, qn);
			ck_assert_uint_gt(n, 0);
			ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x),
			    DR_DECODE_NOT_DNS);
		}
		/* ICMP header cut or too short. */
		n = ip_unreach(ip, v6, 3, q, qn);
		run(DR_DLT_RAW, ip, (v6 ? 40 : 20) + 7, n, &x);
		ck_assert_int_eq(x.r, DR_DECODE_TRUNCATED);
	}
	/* The wrong IP version inside ICMPv6. */
	qn = ip_udp_dns(q, 0, 0, 1, 0);
	n = ip_unreach(ip, 1, 3, q, qn);
	ck_assert_int_eq(dec(DR_DLT_RAW, ip, n, &x), DR_DECODE_MALFORMED);
}
END_TEST

/*
 * Every valid frame we know, in a table for the truncation and damage
 * loops.
 */
struct vframe {
	int	dlt;
	size_t	len;
	uint8_t	*buf;
};

static size_t
add_frame(struct vframe *v, size_t nv, int dlt, int nvlan, const uint8_t *ip,
    size_t iplen)
{
	uint8_t	f[BUFSZ];
	size_t	n;

	n = frame(f, dlt, nvlan, ip, iplen);
	v[nv].dlt = dlt;
	v[nv].len = n;
	v[nv].buf = malloc(n);
	ck_assert_ptr_nonnull(v[nv].buf);
	memcpy(v[nv].buf, f, n);
	return nv + 1;
}

#define MAXV	512

static size_t
valid_frames(struct vframe *v)
{
	uint8_t	ip[BUFSZ], q[BUFSZ], ext[64];
	size_t	nv = 0, n, qn, i;
	int	v6, kind, k;
	struct res x;

	memset(ext, 0, sizeof(ext));
	ext[0] = 44; ext[8] = 60; ext[16] = 17;	/* HBH, FH, DO */
	for (v6 = 0; v6 <= 1; v6++) {
		for (kind = 0; kind < 10; kind++) {
			switch (kind) {
			case 0:
				n = ip_udp_dns(ip, v6, 0, 1, 0);
				break;
			case 1:
				n = ip_udp_dns(ip, v6, 1, 2, 3);
				break;
			case 2:
				n = ip_tcp_dns(ip, v6, 0, 3);
				break;
			case 3:
				n = ip_tcp_dns(ip, v6, 1, 4);
				break;
			case 4:
				n = pkt_ip_tcp(ip, BUFSZ, srv(v6), 53, cli(v6),
				    CPORT, PKT_TH_RST, NULL, 0);
				break;
			case 5:
				qn = ip_udp_dns(q, v6, 0, 5, 0);
				n = ip_unreach(ip, v6, 3, q, qn);
				break;
			case 6:
				qn = ip_udp_dns(q, v6, 1, 6, 0);
				n = pkt_ip_icmp_unreach(ip, BUFSZ, cli(v6),
				    srv(v6), 3, q, qn);
				break;
			case 8:
				n = pkt_ip_tcp(ip, BUFSZ, cli(v6), CPORT,
				    srv(v6), 53, PKT_TH_SYN, NULL, 0);
				break;
			case 9:
				n = pkt_ip_tcp(ip, BUFSZ, srv(v6), 53, cli(v6),
				    CPORT, PKT_TH_SYN | PKT_TH_ACK, NULL, 0);
				break;
			default:
				if (v6) {
					qn = ip6_ext(q, 0, ext, 24);
					n = ip_unreach(ip, 1, 1, q, qn);
				} else {
					n = ip4_opts(ip, 12, 0x2000);
				}
				break;
			}
			for (i = 0; i < NDLTS; i++) {
				if (!dlt_fits(all_dlts[i], v6))
					continue;
				for (k = 0; k <= (all_dlts[i] == 1 ? 2 : 0);
				    k++)
					nv = add_frame(v, nv, all_dlts[i], k,
					    ip, n);
			}
		}
		/* The chain of extension headers on its own too. */
		if (v6) {
			n = ip6_ext(ip, 0, ext, 24);
			nv = add_frame(v, nv, DR_DLT_IPV6, 0, ip, n);
		}
	}
	ck_assert_uint_le(nv, MAXV);
	for (i = 0; i < nv; i++)
		ck_assert_int_eq(dec(v[i].dlt, v[i].buf, v[i].len, &x),
		    DR_DECODE_OK);
	return nv;
}

static void
free_frames(struct vframe *v, size_t nv)
{
	size_t	i;

	for (i = 0; i < nv; i++)
		free(v[i].buf);
}

static void
check_any(const struct res *x)
{
	ck_assert_msg(x->r == DR_DECODE_OK || x->r == DR_DECODE_TRUNCATED ||
	    x->r == DR_DECODE_NOT_DNS || x->r == DR_DECODE_MALFORMED,
	    "result %s", dr_decode_result_name(x->r));
}

START_TEST(test_truncation)
{
	struct vframe	v[MAXV];
	struct res	x;
	size_t		nv, i, len;

	nv = valid_frames(v);
	for (i = 0; i < nv; i++) {
		for (len = 0; len <= v[i].len; len++) {
			/* Cut by the snaplen, and short on the wire. */
			run(v[i].dlt, v[i].buf, len, v[i].len, &x);
			check_any(&x);
			if (len < v[i].len && x.r == DR_DECODE_MALFORMED)
				ck_abort_msg("frame %zu cut at %zu: malformed",
				    i, len);
			run(v[i].dlt, v[i].buf, len, len, &x);
			check_any(&x);
		}
	}
	free_frames(v, nv);
}
END_TEST

/* xorshift32: the same damage on every run and every libc. */
static uint32_t
rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

START_TEST(test_damage)
{
	struct vframe	v[MAXV];
	struct res	x;
	uint8_t		f[BUFSZ];
	uint32_t	seed = 0x2545f491;
	size_t		nv, i, len;
	int		it, k, nflip;

	nv = valid_frames(v);
	for (i = 0; i < nv; i++) {
		for (it = 0; it < 400; it++) {
			memcpy(f, v[i].buf, v[i].len);
			nflip = 1 + (int)(rnd(&seed) % 4);
			for (k = 0; k < nflip; k++)
				f[rnd(&seed) % v[i].len] ^=
				    (uint8_t)(1 + rnd(&seed) % 255);
			len = v[i].len;
			if (it % 4 == 3)
				len = rnd(&seed) % (len + 1);
			run(v[i].dlt, f, len, v[i].len, &x);
			check_any(&x);
		}
	}
	free_frames(v, nv);
}
END_TEST

/* ---- found by comparing counts with tshark (bench/edge.c) ---- */

/* glibc sends the A and AAAA queries in one TCP segment: both count. */
START_TEST(test_tcp_two_messages)
{
	uint8_t		dns[512], ip[BUFSZ], fr[BUFSZ];
	struct dr_event	ev;
	size_t		n1, n2, n;
	int		v6;

	for (v6 = 0; v6 <= 1; v6++) {
		n1 = pkt_dns(dns + 2, 200, 0x1111, 0, 0, QNAME);
		dns[0] = (uint8_t)(n1 >> 8);
		dns[1] = (uint8_t)n1;
		n2 = pkt_dns_raw(dns + 4 + n1, 200, 0x2222, 0x0100, 28, QNAME);
		dns[2 + n1] = (uint8_t)(n2 >> 8);
		dns[3 + n1] = (uint8_t)n2;
		n = pkt_ip_tcp(ip, BUFSZ, cli(v6), CPORT, srv(v6), 53,
		    PKT_TH_ACK | PKT_TH_PSH, dns, n1 + n2 + 4);
		n = frame(fr, DR_DLT_EN10MB, 0, ip, n);
		ck_assert_int_eq(dr_decode(DR_DLT_EN10MB, fr, n, n, TS, &ev),
		    DR_DECODE_OK);
		ck_assert_int_eq(ev.kind, DR_EV_QUERY);
		ck_assert_uint_eq(ev.id, 0x1111);
		ck_assert_uint_eq(ev.dns_len, n1);
		ck_assert_int_eq(dr_decode_more(&ev), DR_DECODE_OK);
		ck_assert_int_eq(ev.kind, DR_EV_QUERY);
		ck_assert_uint_eq(ev.id, 0x2222);
		ck_assert_uint_eq(ev.dns_len, n2);
		check_addr(&ev.resolver, srv(v6));
		ck_assert_uint_eq(ev.more_len, 0);
		ck_assert_int_eq(dr_decode_more(&ev), DR_DECODE_NOT_DNS);

		/* A partial second message, cut by the capture. */
		ck_assert_int_eq(dr_decode(DR_DLT_EN10MB, fr, n - n2 + 4, n,
		    TS, &ev), DR_DECODE_OK);
		ck_assert_int_eq(dr_decode_more(&ev), DR_DECODE_NOT_DNS);
	}
}
END_TEST

/* The middle of a long TCP answer is not a new message. */
START_TEST(test_tcp_continuation)
{
	uint8_t		pay[600], ip[BUFSZ], fr[BUFSZ];
	struct dr_event	ev;
	uint32_t	seed = 7;
	size_t		n, i;
	int		k, hits = 0;

	for (k = 0; k < 2000; k++) {
		for (i = 0; i < sizeof(pay); i++) {
			seed = seed * 1103515245u + 12345u;
			pay[i] = (uint8_t)(seed >> 16);
		}
		pay[4] |= 0x80;		/* looks like a response */
		n = pkt_ip_tcp(ip, BUFSZ, &R4, 53, &C4, CPORT, PKT_TH_ACK,
		    pay, sizeof(pay));
		n = frame(fr, DR_DLT_EN10MB, 0, ip, n);
		if (dr_decode(DR_DLT_EN10MB, fr, n, n, TS, &ev) ==
		    DR_DECODE_OK)
			hits++;
	}
	ck_assert_int_le(hits, 1);
}
END_TEST

/* A large UDP answer in IPv4 or IPv6 fragments: the first one counts. */
START_TEST(test_first_fragment)
{
	uint8_t		dns[BUFSZ], udp[BUFSZ], ip[BUFSZ], fr[BUFSZ];
	uint8_t		fh[8 + 1500];
	struct dr_event	ev;
	size_t		dl, ul, n;

	dl = pkt_dns(dns, sizeof(dns), 0x4242, 1, 0, QNAME);
	memset(dns + dl, 0xab, 2000);	/* answers that do not fit */
	dl += 2000;
	dns[7] = 9;			/* ancount */
	ul = pkt_udp(udp, sizeof(udp), &R4, 53, &C4, CPORT, dns, dl);
	/* IPv4: MF set, offset 0, 1480 bytes of the datagram. */
	n = pkt_ip4(ip, BUFSZ, &R4, &C4, IPPROTO_UDP, 0x2000, NULL, 0, udp,
	    1480);
	n = frame(fr, DR_DLT_EN10MB, 0, ip, n);
	ck_assert_int_eq(dr_decode(DR_DLT_EN10MB, fr, n, n, TS, &ev),
	    DR_DECODE_OK);
	ck_assert_int_eq(ev.kind, DR_EV_RESPONSE);
	ck_assert_uint_eq(ev.id, 0x4242);

	/* IPv6: fragment header, offset 0, M flag. */
	ul = pkt_udp(udp, sizeof(udp), &R6, 53, &C6, CPORT, dns, dl);
	memset(fh, 0, 8);
	fh[0] = IPPROTO_UDP;
	fh[3] = 1;			/* M */
	fh[7] = 1;			/* identification */
	memcpy(fh + 8, udp, 1400);
	n = pkt_ip6(ip, BUFSZ, &R6, &C6, IPPROTO_FRAGMENT, fh, 8 + 1400);
	n = frame(fr, DR_DLT_EN10MB, 0, ip, n);
	ck_assert_int_eq(dr_decode(DR_DLT_EN10MB, fr, n, n, TS, &ev),
	    DR_DECODE_OK);
	ck_assert_int_eq(ev.kind, DR_EV_RESPONSE);
	ck_assert_uint_eq(ev.id, 0x4242);
	(void)ul;

	/* Without MF, the same short datagram is malformed. */
	n = pkt_ip4(ip, BUFSZ, &R4, &C4, IPPROTO_UDP, 0x4000, NULL, 0, udp,
	    1480);
	n = frame(fr, DR_DLT_EN10MB, 0, ip, n);
	ck_assert_int_eq(dr_decode(DR_DLT_EN10MB, fr, n, n, TS, &ev),
	    DR_DECODE_MALFORMED);
}
END_TEST

/* PPPoE sessions, what a DSL gateway captures on its uplink. */
START_TEST(test_pppoe)
{
	uint8_t		ip[BUFSZ], pl[BUFSZ], fr[BUFSZ];
	struct dr_event	ev;
	size_t		n, f, k;
	int		v6;

	for (v6 = 0; v6 <= 1; v6++) {
		n = ip_udp_dns(ip, v6, 0, 0x77, 0);
		pl[0] = 0x11;			/* version 1, type 1 */
		pl[1] = 0;			/* session data */
		pl[2] = 0x12;
		pl[3] = 0x34;			/* session id */
		pl[4] = (uint8_t)((n + 2) >> 8);
		pl[5] = (uint8_t)(n + 2);
		pl[6] = 0;
		pl[7] = v6 ? 0x57 : 0x21;	/* PPP protocol */
		memcpy(pl + 8, ip, n);
		f = pkt_eth(fr, BUFSZ, NULL, 0, 0x8864, pl, n + 8);
		ck_assert_int_eq(dr_decode(DR_DLT_EN10MB, fr, f, f, TS, &ev),
		    DR_DECODE_OK);
		ck_assert_int_eq(ev.kind, DR_EV_QUERY);
		check_addr(&ev.resolver, srv(v6));
		/* LCP and friends are not IP. */
		pl[6] = 0xc0;
		pl[7] = 0x21;
		f = pkt_eth(fr, BUFSZ, NULL, 0, 0x8864, pl, n + 8);
		ck_assert_int_eq(dr_decode(DR_DLT_EN10MB, fr, f, f, TS, &ev),
		    DR_DECODE_NOT_DNS);
		/* Every truncation stays in bounds (run() copies exactly). */
		pl[6] = 0;
		pl[7] = v6 ? 0x57 : 0x21;
		f = pkt_eth(fr, BUFSZ, NULL, 0, 0x8864, pl, n + 8);
		for (k = 0; k < f; k++) {
			struct res	x;

			run(DR_DLT_EN10MB, fr, k, f, &x);
			if (x.r == DR_DECODE_OK)
				ck_assert_int_eq(x.ev.kind, DR_EV_QUERY);
			else
				ck_assert_int_eq(x.r, DR_DECODE_TRUNCATED);
		}
	}
}
END_TEST

static Suite *
decode_suite(void)
{
	Suite	*s = suite_create("decode");
	TCase	*tc;

	tc = tcase_create("link");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_link_types);
	tcase_add_test(tc, test_pppoe);
	tcase_add_test(tc, test_link_null_loop);
	tcase_add_test(tc, test_vlan);
	tcase_add_test(tc, test_sll_raw_other);
	tcase_add_test(tc, test_unsupported);
	tcase_add_test(tc, test_result_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("ip");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_ipv4);
	tcase_add_test(tc, test_ipv4_lengths);
	tcase_add_test(tc, test_ipv6_ext);
	tcase_add_test(tc, test_first_fragment);
	suite_add_tcase(s, tc);

	tc = tcase_create("transport");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_udp_direction);
	tcase_add_test(tc, test_udp_short);
	tcase_add_test(tc, test_tcp);
	tcase_add_test(tc, test_tcp_rst);
	tcase_add_test(tc, test_tcp_setup);
	tcase_add_test(tc, test_tcp_two_messages);
	tcase_add_test(tc, test_tcp_continuation);
	suite_add_tcase(s, tc);

	tc = tcase_create("icmp");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_icmp_unreach_codes);
	tcase_add_test(tc, test_icmp_short_quote);
	tcase_add_test(tc, test_icmp_late_response);
	tcase_add_test(tc, test_icmp_sender);
	tcase_add_test(tc, test_icmp_port53_both);
	tcase_add_test(tc, test_icmp_not_dns);
	suite_add_tcase(s, tc);

	tc = tcase_create("robust");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_truncation);
	tcase_add_test(tc, test_damage);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(decode_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
