/*
 * util_pkt.h: build packets for tests and fixture generators.
 *
 * Every builder writes into out[0..cap) and returns the length written,
 * or 0 when cap is too small or the arguments make no sense (mixed
 * address families, a label over 63 octets...).  Lengths and checksums
 * are filled in, so the result is what a real stack would send.  Layers
 * nest by passing one builder's output as the next one's payload; the
 * payload may already sit where the builder will put it (out + header
 * length), so no scratch buffer is needed.
 */
#ifndef DR_UTIL_PKT_H
#define DR_UTIL_PKT_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"

#define PKT_MAX		65600	/* big enough for any frame built here */

#define PKT_TH_FIN	0x01
#define PKT_TH_SYN	0x02
#define PKT_TH_RST	0x04
#define PKT_TH_PSH	0x08
#define PKT_TH_ACK	0x10

/* Address from text; aborts on bad text (tests only). */
struct dr_addr	pkt_addr(const char *text);

/*
 * DNS header plus one question (qtype A, class IN).  qname is
 * "www.example.com" style, "" or "." for the root.  Queries have RD set,
 * responses RD and RA; no answer records.
 */
size_t	pkt_dns(uint8_t *out, size_t cap, uint16_t id, int qr, int rcode,
	    const char *qname);
/* As pkt_dns() with any qtype and the raw flags word (QR, opcode, ...). */
size_t	pkt_dns_raw(uint8_t *out, size_t cap, uint16_t id, uint16_t flags,
	    uint16_t qtype, const char *qname);

/* Transport headers with checksums over the pseudo-header. */
size_t	pkt_udp(uint8_t *out, size_t cap, const struct dr_addr *src,
	    uint16_t sport, const struct dr_addr *dst, uint16_t dport,
	    const uint8_t *payload, size_t plen);
size_t	pkt_tcp(uint8_t *out, size_t cap, const struct dr_addr *src,
	    uint16_t sport, const struct dr_addr *dst, uint16_t dport,
	    uint8_t tcpflags, const uint8_t *payload, size_t plen);

/*
 * IPv4 header (TTL 64, DF unless frag says otherwise) with optional
 * options (optlen a multiple of 4, up to 40) around payload.  frag is the
 * raw flags/fragment-offset word.
 */
size_t	pkt_ip4(uint8_t *out, size_t cap, const struct dr_addr *src,
	    const struct dr_addr *dst, uint8_t proto, uint16_t frag,
	    const uint8_t *opts, size_t optlen, const uint8_t *payload,
	    size_t plen);
/* IPv6 header; payload starts with any extension headers nh names. */
size_t	pkt_ip6(uint8_t *out, size_t cap, const struct dr_addr *src,
	    const struct dr_addr *dst, uint8_t nh, const uint8_t *payload,
	    size_t plen);
/* IPv4 or IPv6 by the address family, with a plain header. */
size_t	pkt_ip(uint8_t *out, size_t cap, const struct dr_addr *src,
	    const struct dr_addr *dst, uint8_t proto, const uint8_t *payload,
	    size_t plen);

size_t	pkt_ip_udp(uint8_t *out, size_t cap, const struct dr_addr *src,
	    uint16_t sport, const struct dr_addr *dst, uint16_t dport,
	    const uint8_t *payload, size_t plen);
/* payload includes the 2-byte DNS length prefix if the caller wants one. */
size_t	pkt_ip_tcp(uint8_t *out, size_t cap, const struct dr_addr *src,
	    uint16_t sport, const struct dr_addr *dst, uint16_t dport,
	    uint8_t tcpflags, const uint8_t *payload, size_t plen);

/*
 * ICMP (IPv4) or ICMPv6 message of any type and code from -> to: the
 * 4-byte header, a zero 4-byte word, then body.
 */
size_t	pkt_ip_icmp(uint8_t *out, size_t cap, const struct dr_addr *from,
	    const struct dr_addr *to, uint8_t type, uint8_t code,
	    const uint8_t *body, size_t blen);
/* ICMP type 3 or ICMPv6 type 1 by family, quoting quote[0..qlen). */
size_t	pkt_ip_icmp_unreach(uint8_t *out, size_t cap,
	    const struct dr_addr *from, const struct dr_addr *to, uint8_t code,
	    const uint8_t *quote, size_t qlen);

/*
 * Frame an IP packet for a link type: DLT 0 and 108 (AF_INET 2,
 * AF_INET6 24), 1 (Ethernet with nvlan 0..8 tags: 802.1Q, or 802.1ad
 * outside 802.1Q when two or more), 12, 14, 101, 228, 229 (raw), 113
 * (Linux SLL) and 276 (SLL2).  nvlan is ignored for other link types.
 */
size_t	pkt_link(uint8_t *out, size_t cap, int dlt, int nvlan,
	    const uint8_t *ip, size_t iplen);
/* Ethernet with the given tag TPIDs (outermost first) and ethertype. */
size_t	pkt_eth(uint8_t *out, size_t cap, const uint16_t *tpids, int ntags,
	    uint16_t ethertype, const uint8_t *payload, size_t plen);

/* Big-endian stores, for builders of headers this file lacks. */
void	pkt_put16(uint8_t *p, uint16_t v);
void	pkt_put32(uint8_t *p, uint32_t v);

/* The Internet checksum of p[0..len) added to sum (RFC 1071). */
uint16_t pkt_cksum(const uint8_t *p, size_t len, uint32_t sum);

/*
 * Set the IPv4 TTL (and fix the header checksum) or the IPv6 hop limit
 * of the IP packet ip[0..len), as a stack or a router on the path would
 * leave it.  Returns 0, or -1 when ip is not an IP header.
 */
int	pkt_set_ttl(uint8_t *ip, size_t len, uint8_t ttl);

#endif
