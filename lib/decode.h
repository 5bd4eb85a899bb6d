/*
 * decode.h: one captured frame in, one small DNS-relevant event out.
 *
 * The decoder reads only through bounds-checked getters (see cursor.h),
 * allocates nothing, formats nothing and decodes no names.  It says what
 * the packet means for a resolver: a query to it, a response from it, an
 * ICMP error about a query to it, or nothing of interest.
 */
#ifndef DR_DECODE_H
#define DR_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "base.h"

/* Link types we decode: the DLT_* numbers from pcap/dlt.h. */
#define DR_DLT_NULL		0	/* BSD loopback, host byte order AF */
#define DR_DLT_EN10MB		1
#define DR_DLT_RAW		12	/* raw IP on most systems */
#define DR_DLT_RAW_OPENBSD	14
#define DR_DLT_LOOP		108	/* OpenBSD loopback, network order AF */
#define DR_DLT_LINUX_SLL	113
#define DR_DLT_IPV4		228
#define DR_DLT_IPV6		229
#define DR_DLT_LINUX_SLL2	276
#define DR_LINKTYPE_RAW		101	/* LINKTYPE_RAW as written in files */

#define DR_DNS_PORT	53

enum dr_decode_result {
	DR_DECODE_OK = 0,	/* ev is filled in and interesting */
	DR_DECODE_NOT_DNS,	/* well formed, not for us (ev->kind OTHER) */
	DR_DECODE_TRUNCATED,	/* capture ended before what we needed */
	DR_DECODE_MALFORMED,	/* header fields contradict themselves */
	DR_DECODE_UNSUPPORTED,	/* link type we do not know */
	DR_DECODE_NRESULTS
};

enum dr_event_kind {
	DR_EV_OTHER = 0,
	DR_EV_QUERY,		/* DNS message with QR=0 to port 53 */
	DR_EV_RESPONSE,		/* DNS message with QR=1 from port 53 */
	DR_EV_UNREACH,		/* ICMP/ICMPv6 unreachable quoting UDP to 53 */
	DR_EV_LATE_RESPONSE,	/* ICMP unreachable quoting UDP *from* 53 */
	DR_EV_TCP_RESET,	/* TCP RST from port 53 */
	DR_EV_TCP_SYN,		/* a client opens a connection to port 53 */
	DR_EV_TCP_ACCEPT,	/* SYN+ACK from port 53: it listens */
	DR_EV_NKINDS
};

enum dr_transport {
	DR_TRANSPORT_UDP = 0,
	DR_TRANSPORT_TCP
};

struct dr_event {
	enum dr_event_kind kind;
	enum dr_transport transport;
	dr_time_t	ts;
	struct dr_addr	resolver;	/* the DNS server side */
	struct dr_addr	client;		/* the side that asked */
	uint16_t	resolver_port;	/* 53 unless ICMP quote says other */
	uint16_t	client_port;

	/* DNS header, valid when has_dns (queries, responses, full quotes). */
	uint8_t		has_dns;
	uint8_t		opcode;
	uint8_t		rcode;
	uint8_t		flags;		/* DR_DNSF_* below */
	uint16_t	id;
	uint16_t	qdcount;
	uint16_t	ancount;

	/* ICMP, valid for DR_EV_UNREACH and DR_EV_LATE_RESPONSE. */
	uint8_t		icmp6;		/* 1: ICMPv6 type 1, 0: ICMP type 3 */
	uint8_t		icmp_code;
	uint8_t		icmp_ttl;	/* TTL or hop limit it arrived with */
	struct dr_addr	icmp_from;	/* who sent it */

	/*
	 * The DNS message as captured (for queries, responses, and ICMP
	 * quotes that reach past the DNS header), so that a name can be
	 * decoded later and only when someone needs it.  Points into the
	 * packet buffer: valid only until the next packet.
	 */
	const uint8_t	*dns;
	size_t		 dns_len;

	/* DNS over TCP: bytes after this message in the same segment. */
	const uint8_t	*more;
	size_t		 more_len;
};

#define DR_DNSF_AA	0x01
#define DR_DNSF_TC	0x02
#define DR_DNSF_RD	0x04
#define DR_DNSF_RA	0x08

/*
 * Decode one frame.  caplen is what was captured (what pkt holds),
 * wirelen what was on the wire.  Always sets ev->kind (DR_EV_OTHER unless
 * the result is DR_DECODE_OK) and ev->ts.  Running out of captured bytes
 * that the IP (or link) headers say exist is DR_DECODE_TRUNCATED; headers
 * that promise less than the next layer needs are DR_DECODE_MALFORMED.
 */
enum dr_decode_result dr_decode(int linktype, const uint8_t *pkt,
		    size_t caplen, size_t wirelen, dr_time_t ts,
		    struct dr_event *ev);

/*
 * The next DNS message in the same TCP segment, if any: updates the DNS
 * fields of ev (addresses and ports stay).  DR_DECODE_OK or NOT_DNS.
 */
enum dr_decode_result dr_decode_more(struct dr_event *ev);

const char	*dr_decode_result_name(enum dr_decode_result);
/* 1 when the link type is one dr_decode() understands. */
int		 dr_decode_linktype_ok(int linktype);

#endif
