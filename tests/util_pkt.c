/*
 * util_pkt.c: packet builders for tests; see util_pkt.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util_pkt.h"

#define AF_INET_BSD	2
#define AF_INET6_BSD	24	/* OpenBSD and NetBSD */

void
pkt_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

void
pkt_put32(uint8_t *p, uint32_t v)
{
	pkt_put16(p, (uint16_t)(v >> 16));
	pkt_put16(p + 2, (uint16_t)v);
}

static uint32_t
cksum_add(const uint8_t *p, size_t len, uint32_t sum)
{
	size_t	i;

	for (i = 0; i + 1 < len; i += 2) {
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
		sum = (sum & 0xffff) + (sum >> 16);
	}
	if (len & 1) {
		sum += (uint32_t)p[len - 1] << 8;
		sum = (sum & 0xffff) + (sum >> 16);
	}
	return sum;
}

uint16_t
pkt_cksum(const uint8_t *p, size_t len, uint32_t sum)
{
	sum = cksum_add(p, len, sum);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Checksum of seg[0..len) with the IPv4 or IPv6 pseudo-header. */
static uint16_t
l4_cksum(const struct dr_addr *src, const struct dr_addr *dst,
    uint8_t proto, const uint8_t *seg, size_t len)
{
	uint8_t		ph[8];
	size_t		alen = src->family == DR_AF_INET ? 4 : 16;
	uint32_t	sum = 0;

	sum = cksum_add(src->a, alen, sum);
	sum = cksum_add(dst->a, alen, sum);
	pkt_put32(ph, (uint32_t)len);
	pkt_put32(ph + 4, proto);
	sum = cksum_add(ph, sizeof(ph), sum);
	return pkt_cksum(seg, len, sum);
}

static int
families_ok(const struct dr_addr *a, const struct dr_addr *b)
{
	return a->family == b->family &&
	    (a->family == DR_AF_INET || a->family == DR_AF_INET6);
}

/* Move payload to out + hl (it may already be there). */
static size_t
place(uint8_t *out, size_t cap, size_t hl, const uint8_t *payload,
    size_t plen)
{
	if (cap < hl || plen > cap - hl)
		return 0;
	if (plen > 0)
		memmove(out + hl, payload, plen);
	return hl + plen;
}

struct dr_addr
pkt_addr(const char *text)
{
	struct dr_addr	a;

	memset(&a, 0, sizeof(a));
	if (dr_addr_parse(&a, text) == -1) {
		fprintf(stderr, "pkt_addr: bad address \"%s\"\n", text);
		abort();
	}
	return a;
}

size_t
pkt_dns_raw(uint8_t *out, size_t cap, uint16_t id, uint16_t flags,
    uint16_t qtype, const char *qname)
{
	size_t		 o = 12, n;
	const char	*s = qname, *dot;

	if (cap < 12)
		return 0;
	pkt_put16(out, id);
	pkt_put16(out + 2, flags);
	pkt_put16(out + 4, 1);
	pkt_put16(out + 6, 0);
	pkt_put16(out + 8, 0);
	pkt_put16(out + 10, 0);
	if (strcmp(s, ".") == 0)
		s = "";
	while (*s != '\0') {
		dot = strchr(s, '.');
		n = dot == NULL ? strlen(s) : (size_t)(dot - s);
		if (n == 0 || n > 63 || cap - o < n + 1)
			return 0;
		out[o++] = (uint8_t)n;
		memcpy(out + o, s, n);
		o += n;
		s += n;
		if (*s == '.')
			s++;
	}
	if (cap - o < 5)
		return 0;
	out[o++] = 0;
	pkt_put16(out + o, qtype);
	pkt_put16(out + o + 2, 1);
	return o + 4;
}

size_t
pkt_dns(uint8_t *out, size_t cap, uint16_t id, int qr, int rcode,
    const char *qname)
{
	uint16_t	flags = 0x0100;		/* RD */

	if (qr)
		flags |= 0x8000 | 0x0080;	/* QR, RA */
	flags |= (uint16_t)(rcode & 0x0f);
	return pkt_dns_raw(out, cap, id, flags, 1, qname);
}

size_t
pkt_udp(uint8_t *out, size_t cap, const struct dr_addr *src, uint16_t sport,
    const struct dr_addr *dst, uint16_t dport, const uint8_t *payload,
    size_t plen)
{
	size_t		len;
	uint16_t	sum;

	if (!families_ok(src, dst) || plen > 65535 - 8)
		return 0;
	if ((len = place(out, cap, 8, payload, plen)) == 0)
		return 0;
	pkt_put16(out, sport);
	pkt_put16(out + 2, dport);
	pkt_put16(out + 4, (uint16_t)len);
	pkt_put16(out + 6, 0);
	sum = l4_cksum(src, dst, 17, out, len);
	pkt_put16(out + 6, sum == 0 ? 0xffff : sum);
	return len;
}

size_t
pkt_tcp(uint8_t *out, size_t cap, const struct dr_addr *src, uint16_t sport,
    const struct dr_addr *dst, uint16_t dport, uint8_t tcpflags,
    const uint8_t *payload, size_t plen)
{
	size_t	len;

	if (!families_ok(src, dst))
		return 0;
	if ((len = place(out, cap, 20, payload, plen)) == 0)
		return 0;
	pkt_put16(out, sport);
	pkt_put16(out + 2, dport);
	pkt_put32(out + 4, 1000);
	pkt_put32(out + 8, tcpflags & PKT_TH_ACK ? 2000 : 0);
	out[12] = 5 << 4;
	out[13] = tcpflags;
	pkt_put16(out + 14, 65535);
	pkt_put16(out + 16, 0);
	pkt_put16(out + 18, 0);
	pkt_put16(out + 16, l4_cksum(src, dst, 6, out, len));
	return len;
}

size_t
pkt_ip4(uint8_t *out, size_t cap, const struct dr_addr *src,
    const struct dr_addr *dst, uint8_t proto, uint16_t frag,
    const uint8_t *opts, size_t optlen, const uint8_t *payload, size_t plen)
{
	size_t	hl = 20 + optlen, len;

	if (src->family != DR_AF_INET || dst->family != DR_AF_INET ||
	    optlen % 4 != 0 || optlen > 40 || plen > 65535 - hl)
		return 0;
	if ((len = place(out, cap, hl, payload, plen)) == 0)
		return 0;
	out[0] = (uint8_t)(0x40 | hl / 4);
	out[1] = 0;
	pkt_put16(out + 2, (uint16_t)len);
	pkt_put16(out + 4, 0x1234);
	pkt_put16(out + 6, frag);
	out[8] = 64;
	out[9] = proto;
	pkt_put16(out + 10, 0);
	memcpy(out + 12, src->a, 4);
	memcpy(out + 16, dst->a, 4);
	if (optlen > 0)
		memcpy(out + 20, opts, optlen);
	pkt_put16(out + 10, pkt_cksum(out, hl, 0));
	return len;
}

size_t
pkt_ip6(uint8_t *out, size_t cap, const struct dr_addr *src,
    const struct dr_addr *dst, uint8_t nh, const uint8_t *payload,
    size_t plen)
{
	size_t	len;

	if (src->family != DR_AF_INET6 || dst->family != DR_AF_INET6 ||
	    plen > 65535)
		return 0;
	if ((len = place(out, cap, 40, payload, plen)) == 0)
		return 0;
	pkt_put32(out, 0x60000000);
	pkt_put16(out + 4, (uint16_t)plen);
	out[6] = nh;
	out[7] = 64;
	memcpy(out + 8, src->a, 16);
	memcpy(out + 24, dst->a, 16);
	return len;
}

size_t
pkt_ip(uint8_t *out, size_t cap, const struct dr_addr *src,
    const struct dr_addr *dst, uint8_t proto, const uint8_t *payload,
    size_t plen)
{
	if (src->family == DR_AF_INET)
		return pkt_ip4(out, cap, src, dst, proto, 0x4000, NULL, 0,
		    payload, plen);
	return pkt_ip6(out, cap, src, dst, proto, payload, plen);
}

static size_t
iphl(const struct dr_addr *a)
{
	return a->family == DR_AF_INET ? 20 : 40;
}

size_t
pkt_ip_udp(uint8_t *out, size_t cap, const struct dr_addr *src,
    uint16_t sport, const struct dr_addr *dst, uint16_t dport,
    const uint8_t *payload, size_t plen)
{
	size_t	hl = iphl(src), n;

	if (!families_ok(src, dst) || cap < hl)
		return 0;
	n = pkt_udp(out + hl, cap - hl, src, sport, dst, dport, payload,
	    plen);
	if (n == 0)
		return 0;
	return pkt_ip(out, cap, src, dst, 17, out + hl, n);
}

size_t
pkt_ip_tcp(uint8_t *out, size_t cap, const struct dr_addr *src,
    uint16_t sport, const struct dr_addr *dst, uint16_t dport,
    uint8_t tcpflags, const uint8_t *payload, size_t plen)
{
	size_t	hl = iphl(src), n;

	if (!families_ok(src, dst) || cap < hl)
		return 0;
	n = pkt_tcp(out + hl, cap - hl, src, sport, dst, dport, tcpflags,
	    payload, plen);
	if (n == 0)
		return 0;
	return pkt_ip(out, cap, src, dst, 6, out + hl, n);
}

size_t
pkt_ip_icmp(uint8_t *out, size_t cap, const struct dr_addr *from,
    const struct dr_addr *to, uint8_t type, uint8_t code,
    const uint8_t *body, size_t blen)
{
	size_t		hl = iphl(from), n;
	uint8_t		*m;
	int		v6 = from->family == DR_AF_INET6;

	if (!families_ok(from, to) || cap < hl)
		return 0;
	m = out + hl;
	if ((n = place(m, cap - hl, 8, body, blen)) == 0 || n > 65535)
		return 0;
	m[0] = type;
	m[1] = code;
	pkt_put16(m + 2, 0);
	pkt_put32(m + 4, 0);
	if (v6)
		pkt_put16(m + 2, l4_cksum(from, to, 58, m, n));
	else
		pkt_put16(m + 2, pkt_cksum(m, n, 0));
	return pkt_ip(out, cap, from, to, v6 ? 58 : 1, m, n);
}

size_t
pkt_ip_icmp_unreach(uint8_t *out, size_t cap, const struct dr_addr *from,
    const struct dr_addr *to, uint8_t code, const uint8_t *quote,
    size_t qlen)
{
	return pkt_ip_icmp(out, cap, from, to,
	    from->family == DR_AF_INET6 ? 1 : 3, code, quote, qlen);
}

size_t
pkt_eth(uint8_t *out, size_t cap, const uint16_t *tpids, int ntags,
    uint16_t ethertype, const uint8_t *payload, size_t plen)
{
	static const uint8_t	mac[12] = {
		0x02, 0x00, 0x00, 0x00, 0x00, 0x01,	/* destination */
		0x02, 0x00, 0x00, 0x00, 0x00, 0x02,	/* source */
	};
	size_t			hl, o;
	int			i;

	if (ntags < 0 || ntags > 8)
		return 0;
	hl = 14 + 4 * (size_t)ntags;
	if (place(out, cap, hl, payload, plen) == 0)
		return 0;
	memcpy(out, mac, sizeof(mac));
	o = 12;
	for (i = 0; i < ntags; i++) {
		pkt_put16(out + o, tpids[i]);
		pkt_put16(out + o + 2, (uint16_t)(100 + i));	/* VLAN id */
		o += 4;
	}
	pkt_put16(out + o, ethertype);
	return hl + plen;
}

size_t
pkt_link(uint8_t *out, size_t cap, int dlt, int nvlan, const uint8_t *ip,
    size_t iplen)
{
	uint16_t	tpids[8];
	uint32_t	af;
	int		v6, i;

	if (iplen == 0)
		return 0;
	v6 = ip[0] >> 4 == 6;
	switch (dlt) {
	case 0:
		af = v6 ? AF_INET6_BSD : AF_INET_BSD;
		if (place(out, cap, 4, ip, iplen) == 0)
			return 0;
		memcpy(out, &af, 4);		/* host byte order */
		return 4 + iplen;
	case 108:
		if (place(out, cap, 4, ip, iplen) == 0)
			return 0;
		pkt_put32(out, v6 ? AF_INET6_BSD : AF_INET_BSD);
		return 4 + iplen;
	case 1:
		if (nvlan < 0 || nvlan > 8)
			return 0;
		for (i = 0; i < nvlan; i++)
			tpids[i] = i == nvlan - 1 ? 0x8100 : 0x88a8;
		return pkt_eth(out, cap, tpids, nvlan,
		    v6 ? 0x86dd : 0x0800, ip, iplen);
	case 12:
	case 14:
	case 101:
	case 228:
	case 229:
		return place(out, cap, 0, ip, iplen);
	case 113:
		if (place(out, cap, 16, ip, iplen) == 0)
			return 0;
		memset(out, 0, 16);
		pkt_put16(out, 0);			/* to us */
		pkt_put16(out + 2, 1);		/* ARPHRD_ETHER */
		pkt_put16(out + 4, 6);
		memcpy(out + 6, "\x02\x00\x00\x00\x00\x02", 6);
		pkt_put16(out + 14, v6 ? 0x86dd : 0x0800);
		return 16 + iplen;
	case 276:
		if (place(out, cap, 20, ip, iplen) == 0)
			return 0;
		memset(out, 0, 20);
		pkt_put16(out, v6 ? 0x86dd : 0x0800);
		pkt_put32(out + 4, 2);		/* ifindex */
		pkt_put16(out + 8, 1);		/* ARPHRD_ETHER */
		out[10] = 0;			/* to us */
		out[11] = 6;
		memcpy(out + 12, "\x02\x00\x00\x00\x00\x02", 6);
		return 20 + iplen;
	}
	return 0;
}

int
pkt_set_ttl(uint8_t *ip, size_t len, uint8_t ttl)
{
	size_t	hl;

	if (len >= 40 && ip[0] >> 4 == 6) {
		ip[7] = ttl;
		return 0;
	}
	if (len < 20 || ip[0] >> 4 != 4)
		return -1;
	hl = (size_t)(ip[0] & 0x0f) * 4;
	if (hl < 20 || hl > len)
		return -1;
	ip[8] = ttl;
	pkt_put16(ip + 10, 0);
	pkt_put16(ip + 10, pkt_cksum(ip, hl, 0));
	return 0;
}
