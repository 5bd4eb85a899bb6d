/*
 * decode.c: link layer -> IPv4/IPv6 -> UDP/TCP/ICMP -> DNS header.
 *
 * All reads go through the cursor in cursor.h; fixed-size headers are
 * taken whole with cur_bytes() and then indexed inside what was checked.
 *
 * Running out of bytes is TRUNCATED when the capture ended before the IP
 * payload did (snaplen), and MALFORMED when the IP packet itself, as
 * captured in full, is too short for what its headers claim.
 */
#include <netinet/in.h>

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "cursor.h"
#include "decode.h"
#include "dns.h"

#define ETHERTYPE_IP		0x0800
#define ETHERTYPE_IPV6		0x86dd
#define ETHERTYPE_VLAN		0x8100
#define ETHERTYPE_QINQ		0x88a8
#define ETHERTYPE_QINQ_OLD	0x9100
#define ETHERTYPE_PPPOE		0x8864	/* PPPoE session: DSL gateways */
#define PPP_IP			0x0021
#define PPP_IPV6		0x0057
#define ETH_MAXTAGS		2

/* Enough for any sane chain; bounds the work a crafted packet can cause. */
#define IP6_MAXEXT		8

#define ICMP_UNREACH		3
#define ICMP6_DST_UNREACH	1

#define TH_SYN			0x02
#define TH_RST			0x04
#define TH_ACK			0x10

/* What the IP layer tells the layers above it. */
struct ipinfo {
	int		 fam;		/* DR_AF_INET or DR_AF_INET6 */
	const uint8_t	*src;
	const uint8_t	*dst;
	int		 cut;		/* capture ended in the IP payload */
	int		 frag;		/* first fragment: more follow */
	uint8_t		 ttl;		/* TTL or hop limit */
};

static inline uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline enum dr_decode_result
short_of(const struct ipinfo *ii)
{
	return ii->cut ? DR_DECODE_TRUNCATED : DR_DECODE_MALFORMED;
}

static inline void
set_addr(struct dr_addr *a, int fam, const uint8_t *p)
{
	if (fam == DR_AF_INET)
		dr_addr_set4(a, p);
	else
		dr_addr_set6(a, p);
}

static enum dr_decode_result
from_ethertype(uint16_t type, int *ver)
{
	if (type == ETHERTYPE_IP)
		*ver = 4;
	else if (type == ETHERTYPE_IPV6)
		*ver = 6;
	else
		return DR_DECODE_NOT_DNS;
	return DR_DECODE_OK;
}

/* BSD AF_INET is 2 everywhere; AF_INET6 differs between the BSDs. */
static enum dr_decode_result
from_af(uint32_t af, int *ver)
{
	if (af == 2)
		*ver = 4;
	else if (af == 24 || af == 28 || af == 30)
		*ver = 6;
	else
		return DR_DECODE_NOT_DNS;
	return DR_DECODE_OK;
}

static inline int
is_vlan(uint16_t type)
{
	return type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ ||
	    type == ETHERTYPE_QINQ_OLD;
}

/* Step over the link header; *ver is then the IP version to expect. */
static enum dr_decode_result
link_layer(int linktype, struct cursor *c, int *ver)
{
	uint32_t	af;
	uint16_t	type;
	int		i;

	switch (linktype) {
	case DR_DLT_NULL:
		if (cur_be32(c, &af) == -1)
			return DR_DECODE_TRUNCATED;
		/* Host order of the writer: small either way round. */
		if (af > 0xffff)
			af = __builtin_bswap32(af);
		return from_af(af, ver);
	case DR_DLT_LOOP:
		if (cur_be32(c, &af) == -1)
			return DR_DECODE_TRUNCATED;
		return from_af(af, ver);
	case DR_DLT_EN10MB:
		if (cur_skip(c, 12) == -1 || cur_be16(c, &type) == -1)
			return DR_DECODE_TRUNCATED;
		for (i = 0; i < ETH_MAXTAGS && is_vlan(type); i++) {
			if (cur_skip(c, 2) == -1 || cur_be16(c, &type) == -1)
				return DR_DECODE_TRUNCATED;
		}
		if (type == ETHERTYPE_PPPOE) {
			/* ver/type, code, session, length; PPP protocol. */
			if (cur_skip(c, 6) == -1 || cur_be16(c, &type) == -1)
				return DR_DECODE_TRUNCATED;
			if (type == PPP_IP)
				type = ETHERTYPE_IP;
			else if (type == PPP_IPV6)
				type = ETHERTYPE_IPV6;
			else
				return DR_DECODE_NOT_DNS;
		}
		return from_ethertype(type, ver);
	case DR_DLT_LINUX_SLL:
		if (cur_skip(c, 14) == -1 || cur_be16(c, &type) == -1)
			return DR_DECODE_TRUNCATED;
		return from_ethertype(type, ver);
	case DR_DLT_LINUX_SLL2:
		if (cur_be16(c, &type) == -1 || cur_skip(c, 18) == -1)
			return DR_DECODE_TRUNCATED;
		return from_ethertype(type, ver);
	case DR_DLT_RAW:
	case DR_DLT_RAW_OPENBSD:
	case DR_LINKTYPE_RAW:
		if (cur_left(c) == 0)
			return DR_DECODE_TRUNCATED;
		*ver = *c->p >> 4;
		if (*ver != 4 && *ver != 6)
			return DR_DECODE_MALFORMED;
		return DR_DECODE_OK;
	case DR_DLT_IPV4:
		*ver = 4;
		return DR_DECODE_OK;
	case DR_DLT_IPV6:
		*ver = 6;
		return DR_DECODE_OK;
	}
	return DR_DECODE_UNSUPPORTED;
}

/*
 * IPv4 header; leaves c on the payload, limited to the total length.  In
 * an ICMP quote (quote != 0) the total length is the original packet's,
 * so a shorter quote is normal and ii->cut stays the outer packet's.
 */
static enum dr_decode_result
ip4_hdr(struct cursor *c, struct ipinfo *ii, uint8_t *proto, int quote)
{
	const uint8_t	*h = c->p;
	size_t		 left = cur_left(c), hl, tot;

	if (left < 20)
		return short_of(ii);
	if (h[0] >> 4 != 4)
		return DR_DECODE_MALFORMED;
	hl = (size_t)(h[0] & 0x0f) * 4;
	tot = get16(h + 2);
	if (hl < 20 || tot < hl)
		return DR_DECODE_MALFORMED;
	if (!quote)
		ii->cut = tot > left;
	if (hl > left)
		return short_of(ii);
	/* Only the first fragment holds the transport header. */
	if ((get16(h + 6) & 0x1fff) != 0)
		return DR_DECODE_NOT_DNS;
	ii->frag = (get16(h + 6) & 0x2000) != 0;
	*proto = h[9];
	ii->fam = DR_AF_INET;
	ii->src = h + 12;
	ii->dst = h + 16;
	ii->ttl = h[8];
	if (tot < left)
		cur_limit(c, tot);
	cur_skip(c, hl);
	return DR_DECODE_OK;
}

/* IPv6 extension headers, up to IP6_MAXEXT of them. */
static enum dr_decode_result
ip6_ext(struct cursor *c, struct ipinfo *ii, uint8_t nh, uint8_t *proto)
{
	const uint8_t	*h;
	size_t		 len;
	int		 n;

	for (n = 0;; n++) {
		switch (nh) {
		case IPPROTO_HOPOPTS:
		case IPPROTO_ROUTING:
		case IPPROTO_DSTOPTS:
		case IPPROTO_AH:
		case IPPROTO_FRAGMENT:
			break;
		case IPPROTO_ESP:
		case IPPROTO_NONE:
			return DR_DECODE_NOT_DNS;
		default:
			*proto = nh;
			return DR_DECODE_OK;
		}
		if (n == IP6_MAXEXT)
			return DR_DECODE_NOT_DNS;
		if (nh == IPPROTO_FRAGMENT) {
			if (cur_bytes(c, 8, &h) == -1)
				return short_of(ii);
			if ((get16(h + 2) & 0xfff8) != 0)
				return DR_DECODE_NOT_DNS;
			ii->frag = h[3] & 1;
			nh = h[0];
			continue;
		}
		if (cur_bytes(c, 2, &h) == -1)
			return short_of(ii);
		if (nh == IPPROTO_AH)
			len = ((size_t)h[1] + 2) * 4 - 2;
		else
			len = ((size_t)h[1] + 1) * 8 - 2;
		nh = h[0];
		if (cur_skip(c, len) == -1)
			return short_of(ii);
	}
}

/* IPv6 header and extension headers; as ip4_hdr(). */
static enum dr_decode_result
ip6_hdr(struct cursor *c, struct ipinfo *ii, uint8_t *proto, int quote)
{
	const uint8_t	*h;
	size_t		 plen;

	if (cur_bytes(c, 40, &h) == -1)
		return short_of(ii);
	if (h[0] >> 4 != 6)
		return DR_DECODE_MALFORMED;
	plen = get16(h + 4);
	if (plen != 0) {
		if (!quote)
			ii->cut = plen > cur_left(c);
		if (plen < cur_left(c))
			cur_limit(c, plen);
	} else if (!quote) {
		/* Jumbogram or segmentation offload: length unknown. */
		ii->cut = 1;
	}
	ii->fam = DR_AF_INET6;
	ii->src = h + 8;
	ii->dst = h + 24;
	ii->ttl = h[7];
	return ip6_ext(c, ii, h[6], proto);
}

static void
dns_hdr(const uint8_t *h, struct dr_event *ev)
{
	uint16_t	fl = get16(h + 2);

	ev->has_dns = 1;
	ev->id = get16(h);
	ev->opcode = (fl >> 11) & 0x0f;
	ev->rcode = fl & 0x0f;
	ev->flags = (fl & 0x0400 ? DR_DNSF_AA : 0) |
	    (fl & 0x0200 ? DR_DNSF_TC : 0) |
	    (fl & 0x0100 ? DR_DNSF_RD : 0) |
	    (fl & 0x0080 ? DR_DNSF_RA : 0);
	ev->qdcount = get16(h + 4);
	ev->ancount = get16(h + 6);
}

/* A DNS message at c: a query to port 53 or a response from it. */
static enum dr_decode_result
dns_msg(struct cursor *c, const struct ipinfo *ii, uint16_t sport,
    uint16_t dport, struct dr_event *ev)
{
	const uint8_t	*h = c->p;

	if (h[2] & 0x80) {
		if (sport != DR_DNS_PORT)
			return DR_DECODE_NOT_DNS;
		ev->kind = DR_EV_RESPONSE;
		set_addr(&ev->resolver, ii->fam, ii->src);
		set_addr(&ev->client, ii->fam, ii->dst);
		ev->resolver_port = sport;
		ev->client_port = dport;
	} else {
		if (dport != DR_DNS_PORT)
			return DR_DECODE_NOT_DNS;
		ev->kind = DR_EV_QUERY;
		set_addr(&ev->resolver, ii->fam, ii->dst);
		set_addr(&ev->client, ii->fam, ii->src);
		ev->resolver_port = dport;
		ev->client_port = sport;
	}
	dns_hdr(h, ev);
	ev->dns = h;
	ev->dns_len = cur_left(c);
	return DR_DECODE_OK;
}

static enum dr_decode_result
udp(struct cursor *c, const struct ipinfo *ii, struct dr_event *ev)
{
	const uint8_t	*h;
	uint16_t	 sport, dport;
	size_t		 ulen;
	int		 cut = 0;

	if (cur_bytes(c, 8, &h) == -1)
		return short_of(ii);
	sport = get16(h);
	dport = get16(h + 2);
	if (sport != DR_DNS_PORT && dport != DR_DNS_PORT)
		return DR_DECODE_NOT_DNS;
	ulen = get16(h + 4);
	if (ulen < 8)
		return DR_DECODE_MALFORMED;
	ulen -= 8;
	if (ulen <= cur_left(c))
		cur_limit(c, ulen);
	else if (ii->cut)
		cut = 1;
	else if (!ii->frag)
		return DR_DECODE_MALFORMED;	/* longer than the IP packet */
	/* A first fragment (large answers) holds the header: decode it. */
	if (cur_left(c) < DR_DNS_HDRLEN)
		return cut ? DR_DECODE_TRUNCATED : DR_DECODE_MALFORMED;
	ev->transport = DR_TRANSPORT_UDP;
	return dns_msg(c, ii, sport, dport, ev);
}

/*
 * A DNS message over TCP: length prefix, then a header that must look
 * like one.  The middle of a long answer has no prefix of its own, and
 * its bytes (signatures, say) must not be read as a new message: random
 * bytes pass these checks about once in 200,000.
 */
static int
tcp_msg_ok(const uint8_t *h, size_t mlen)
{
	uint16_t	qd = get16(h + 4);

	return mlen >= DR_DNS_HDRLEN && qd <= 1 &&
	    ((h[2] >> 3) & 0x0f) <= 6 && (h[3] & 0x40) == 0;
}

/* What follows this message in the segment: a next one, maybe. */
static void
tcp_rest(struct cursor *c, size_t mlen, struct dr_event *ev)
{
	if (mlen < cur_left(c)) {
		ev->more = c->p + mlen;
		ev->more_len = cur_left(c) - mlen;
		cur_limit(c, mlen);
	}
}

/*
 * A segment with payload is taken as the start of a DNS message (length
 * prefix, then header); anything that does not look like one is not DNS.
 * Messages after the first (glibc sends A and AAAA queries in one
 * segment) are left in ev->more for dr_decode_more().
 */
static enum dr_decode_result
tcp(struct cursor *c, const struct ipinfo *ii, struct dr_event *ev)
{
	const uint8_t	*h;
	uint16_t	 sport, dport;
	size_t		 off, mlen;

	if (cur_bytes(c, 20, &h) == -1)
		return short_of(ii);
	sport = get16(h);
	dport = get16(h + 2);
	if (sport != DR_DNS_PORT && dport != DR_DNS_PORT)
		return DR_DECODE_NOT_DNS;
	off = (size_t)(h[12] >> 4) * 4;
	if (off < 20)
		return DR_DECODE_MALFORMED;
	ev->transport = DR_TRANSPORT_TCP;
	/*
	 * Connection set-up and refusal, so that a reset can be told from
	 * a server closing an idle connection: only a reset that answers a
	 * SYN or a query is a failure (the tracker decides).
	 */
	if (sport == DR_DNS_PORT && (h[13] & (TH_RST | TH_SYN | TH_ACK)) ==
	    (TH_SYN | TH_ACK))
		ev->kind = DR_EV_TCP_ACCEPT;
	else if (sport == DR_DNS_PORT && (h[13] & TH_RST))
		ev->kind = DR_EV_TCP_RESET;
	else if (dport == DR_DNS_PORT && (h[13] & (TH_SYN | TH_ACK |
	    TH_RST)) == TH_SYN)
		ev->kind = DR_EV_TCP_SYN;
	if (ev->kind != DR_EV_OTHER) {
		if (ev->kind == DR_EV_TCP_SYN) {
			set_addr(&ev->resolver, ii->fam, ii->dst);
			set_addr(&ev->client, ii->fam, ii->src);
			ev->resolver_port = dport;
			ev->client_port = sport;
		} else {
			set_addr(&ev->resolver, ii->fam, ii->src);
			set_addr(&ev->client, ii->fam, ii->dst);
			ev->resolver_port = sport;
			ev->client_port = dport;
		}
		return DR_DECODE_OK;
	}
	if (cur_skip(c, off - 20) == -1)
		return short_of(ii);
	if (cur_left(c) < 2 + DR_DNS_HDRLEN)
		return ii->cut ? DR_DECODE_TRUNCATED : DR_DECODE_NOT_DNS;
	cur_bytes(c, 2, &h);
	mlen = get16(h);
	if (!tcp_msg_ok(c->p, mlen))
		return DR_DECODE_NOT_DNS;
	tcp_rest(c, mlen, ev);
	return dns_msg(c, ii, sport, dport, ev);
}

enum dr_decode_result
dr_decode_more(struct dr_event *ev)
{
	struct cursor	c;
	const uint8_t	*h;
	size_t		 mlen;
	int		 qr;

	if (ev->more_len < 2 + DR_DNS_HDRLEN ||
	    (ev->kind != DR_EV_QUERY && ev->kind != DR_EV_RESPONSE)) {
		ev->more_len = 0;
		return DR_DECODE_NOT_DNS;
	}
	cur_init(&c, ev->more, ev->more_len);
	ev->more_len = 0;
	cur_bytes(&c, 2, &h);
	mlen = get16(h);
	h = c.p;
	qr = (h[2] & 0x80) != 0;
	/* Same connection, same direction: same kind of message. */
	if (!tcp_msg_ok(h, mlen) || qr != (ev->kind == DR_EV_RESPONSE))
		return DR_DECODE_NOT_DNS;
	tcp_rest(&c, mlen, ev);
	dns_hdr(h, ev);
	ev->dns = h;
	ev->dns_len = cur_left(&c);
	return DR_DECODE_OK;
}

/*
 * The packet quoted by an ICMP or ICMPv6 unreachable: UDP to port 53 is
 * a query that failed, UDP from port 53 a response the client refused.
 */
static enum dr_decode_result
icmp_quote(struct cursor *c, const struct ipinfo *ii, int icmp6,
    uint8_t code, struct dr_event *ev)
{
	struct ipinfo		q;
	enum dr_decode_result	r;
	const uint8_t		*h;
	uint16_t		 sport, dport;
	size_t			 ulen;
	uint8_t			 proto;
	int			 qr;

	q.cut = ii->cut;
	q.frag = 0;
	if (icmp6)
		r = ip6_hdr(c, &q, &proto, 1);
	else
		r = ip4_hdr(c, &q, &proto, 1);
	if (r != DR_DECODE_OK)
		return r;
	if (proto != IPPROTO_UDP)
		return DR_DECODE_NOT_DNS;
	if (cur_bytes(c, 8, &h) == -1)
		return short_of(&q);
	sport = get16(h);
	dport = get16(h + 2);
	ulen = get16(h + 4);
	if (ulen >= 8 && ulen - 8 < cur_left(c))
		cur_limit(c, ulen - 8);
	qr = -1;		/* the quote ends before the DNS header */
	if (cur_left(c) >= DR_DNS_HDRLEN)
		qr = (c->p[2] & 0x80) != 0;
	/*
	 * Port 53 on both sides is a server's own traffic (a forwarder, an
	 * authoritative): only the QR bit tells a query from a response,
	 * and an 8-byte quote cannot tell at all.  It is taken as a query
	 * then, which only a query seen from that port can match.
	 */
	if (dport == DR_DNS_PORT && (sport != DR_DNS_PORT || qr != 1)) {
		ev->kind = DR_EV_UNREACH;
		set_addr(&ev->resolver, q.fam, q.dst);
		set_addr(&ev->client, q.fam, q.src);
		ev->resolver_port = dport;
		ev->client_port = sport;
	} else if (sport == DR_DNS_PORT && qr != 0) {
		ev->kind = DR_EV_LATE_RESPONSE;
		set_addr(&ev->resolver, q.fam, q.src);
		set_addr(&ev->client, q.fam, q.dst);
		ev->resolver_port = sport;
		ev->client_port = dport;
	} else
		return DR_DECODE_NOT_DNS;
	ev->transport = DR_TRANSPORT_UDP;
	ev->icmp6 = icmp6 != 0;
	ev->icmp_code = code;
	ev->icmp_ttl = ii->ttl;
	set_addr(&ev->icmp_from, ii->fam, ii->src);
	if (qr != -1) {
		dns_hdr(c->p, ev);
		ev->dns = c->p;
		ev->dns_len = cur_left(c);
	}
	return DR_DECODE_OK;
}

static enum dr_decode_result
icmp(struct cursor *c, const struct ipinfo *ii, int icmp6,
    struct dr_event *ev)
{
	const uint8_t	*h;

	if (cur_bytes(c, 8, &h) == -1)
		return short_of(ii);
	if (h[0] != (icmp6 ? ICMP6_DST_UNREACH : ICMP_UNREACH))
		return DR_DECODE_NOT_DNS;
	return icmp_quote(c, ii, icmp6, h[1], ev);
}

enum dr_decode_result
dr_decode(int linktype, const uint8_t *pkt, size_t caplen, size_t wirelen,
    dr_time_t ts, struct dr_event *ev)
{
	struct cursor		c;
	struct ipinfo		ii;
	enum dr_decode_result	r;
	uint8_t			proto = 0;
	int			ver = 0;

	/* Truncation is judged against the IP lengths, not the wire. */
	(void)wirelen;

	ev->kind = DR_EV_OTHER;
	ev->transport = DR_TRANSPORT_UDP;
	ev->ts = ts;
	ev->resolver_port = ev->client_port = 0;
	ev->has_dns = 0;
	ev->icmp6 = ev->icmp_code = ev->icmp_ttl = 0;
	ev->icmp_from.family = DR_AF_NONE;
	ev->dns = NULL;
	ev->dns_len = 0;
	ev->more_len = 0;

	cur_init(&c, pkt, pkt == NULL ? 0 : caplen);
	ii.cut = 1;		/* until an IP length says otherwise */
	ii.frag = 0;
	ii.ttl = 0;
	r = link_layer(linktype, &c, &ver);
	if (r == DR_DECODE_OK) {
		if (ver == 4)
			r = ip4_hdr(&c, &ii, &proto, 0);
		else
			r = ip6_hdr(&c, &ii, &proto, 0);
	}
	if (r == DR_DECODE_OK) {
		switch (proto) {
		case IPPROTO_UDP:
			r = udp(&c, &ii, ev);
			break;
		case IPPROTO_TCP:
			r = tcp(&c, &ii, ev);
			break;
		case IPPROTO_ICMP:
		case IPPROTO_ICMPV6:
			/* ICMP in IPv4, ICMPv6 in IPv6, not crossed. */
			if ((proto == IPPROTO_ICMPV6) == (ver == 6))
				r = icmp(&c, &ii, ver == 6, ev);
			else
				r = DR_DECODE_NOT_DNS;
			break;
		default:
			r = DR_DECODE_NOT_DNS;
			break;
		}
	}
	if (r != DR_DECODE_OK) {
		ev->kind = DR_EV_OTHER;
		ev->has_dns = 0;
		ev->dns = NULL;
		ev->dns_len = 0;
	}
	return r;
}

const char *
dr_decode_result_name(enum dr_decode_result r)
{
	switch (r) {
	case DR_DECODE_OK:
		return "ok";
	case DR_DECODE_NOT_DNS:
		return "not_dns";
	case DR_DECODE_TRUNCATED:
		return "truncated";
	case DR_DECODE_MALFORMED:
		return "malformed";
	case DR_DECODE_UNSUPPORTED:
		return "unsupported";
	case DR_DECODE_NRESULTS:
		break;
	}
	return "unknown";
}

int
dr_decode_linktype_ok(int linktype)
{
	switch (linktype) {
	case DR_DLT_NULL:
	case DR_DLT_EN10MB:
	case DR_DLT_RAW:
	case DR_DLT_RAW_OPENBSD:
	case DR_LINKTYPE_RAW:
	case DR_DLT_LOOP:
	case DR_DLT_LINUX_SLL:
	case DR_DLT_LINUX_SLL2:
	case DR_DLT_IPV4:
	case DR_DLT_IPV6:
		return 1;
	}
	return 0;
}
