/*
 * dns.c: rcode classes and the first question name, on demand.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cursor.h"
#include "dns.h"

#define DNS_MAXNAME	255	/* octets on the wire, length bytes included */

enum dr_rcode_class
dr_rcode_class(uint8_t rcode)
{
	switch (rcode) {
	case 0:
		return DR_RC_NOERROR;
	case 2:
		return DR_RC_SERVFAIL;
	case 3:
		return DR_RC_NXDOMAIN;
	case 5:
		return DR_RC_REFUSED;
	}
	return DR_RC_OTHER;
}

const char *
dr_rcode_class_name(enum dr_rcode_class rc)
{
	switch (rc) {
	case DR_RC_NOERROR:
		return "NOERROR";
	case DR_RC_NXDOMAIN:
		return "NXDOMAIN";
	case DR_RC_SERVFAIL:
		return "SERVFAIL";
	case DR_RC_REFUSED:
		return "REFUSED";
	case DR_RC_OTHER:
	case DR_RC_NCLASSES:
		break;
	}
	return "OTHER";
}

static inline int
plain(uint8_t ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	    (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
}

/*
 * Append one label to out at *o, escaping as \DDD.  Needs room for the
 * NUL as well; -1 when out is too small.
 */
static int
put_label(const uint8_t *l, size_t n, char *out, size_t outlen, size_t *o)
{
	size_t	i;
	uint8_t	ch;

	for (i = 0; i < n; i++) {
		ch = l[i];
		if (plain(ch)) {
			if (outlen - *o < 2)
				return -1;
			out[(*o)++] = (char)ch;
		} else {
			if (outlen - *o < 5)
				return -1;
			out[(*o)++] = '\\';
			out[(*o)++] = (char)('0' + ch / 100);
			out[(*o)++] = (char)('0' + ch / 10 % 10);
			out[(*o)++] = (char)('0' + ch % 10);
		}
	}
	return 0;
}

/*
 * Each pointer must land before the place the previous run of labels
 * started (tcpdump fqdn_print), which both forbids forward and self
 * pointers and guarantees the walk ends.
 */
int
dr_dns_qname(const uint8_t *msg, size_t len, char *out, size_t outlen)
{
	struct cursor	 c;
	const uint8_t	*l;
	size_t		 o = 0, octets = 0, limit = DR_DNS_HDRLEN, ptr;
	uint16_t	 qdcount;
	uint8_t		 b, b2;

	if (out == NULL || outlen == 0)
		return -1;
	out[0] = '\0';
	if (msg == NULL || len < DR_DNS_HDRLEN)
		return -1;
	qdcount = (uint16_t)(msg[4] << 8 | msg[5]);
	if (qdcount == 0)
		return -1;
	cur_init(&c, msg, len);
	cur_skip(&c, DR_DNS_HDRLEN);
	for (;;) {
		if (cur_u8(&c, &b) == -1)
			goto bad;
		if ((b & 0xc0) == 0xc0) {
			if (cur_u8(&c, &b2) == -1)
				goto bad;
			ptr = (size_t)(b & 0x3f) << 8 | b2;
			if (ptr >= limit)
				goto bad;
			limit = ptr;
			cur_init(&c, msg, len);
			cur_skip(&c, ptr);
			continue;
		}
		if (b & 0xc0)
			goto bad;		/* 0x40 and 0x80: obsolete */
		octets += (size_t)b + 1;
		if (octets > DNS_MAXNAME)
			goto bad;
		if (b == 0)
			break;
		if (cur_bytes(&c, b, &l) == -1)
			goto bad;
		if (o > 0) {
			if (outlen - o < 2)
				goto bad;
			out[o++] = '.';
		}
		if (put_label(l, b, out, outlen, &o) == -1)
			goto bad;
	}
	if (o == 0) {
		if (outlen < 2)
			goto bad;
		out[o++] = '.';
	}
	out[o] = '\0';
	return (int)o;
bad:
	out[0] = '\0';
	return -1;
}

/* Up to 8 octets as one word, ASCII case folded (and a few others). */
static inline uint64_t
word(const uint8_t *p, size_t n)
{
	uint64_t	w = 0;

	memcpy(&w, p, n > 8 ? 8 : n);
	/*
	 * Setting bit 5 folds A-Z onto a-z; it also merges a few other
	 * pairs of octets, which only makes two different questions look
	 * alike to the fingerprint, never one question look different.
	 */
	return w | 0x2020202020202020ULL;
}

/*
 * A fingerprint of the first question: the name's length, its first and
 * last eight octets (case folded: some stacks vary case), type and
 * class.  It tells a client's resend of a query from a new question on
 * the same port and DNS id, and is cheap on the per-packet path: only
 * the label lengths are walked.  The first name of a message cannot be
 * compressed (nothing precedes it to point at).
 */
uint32_t
dr_dns_question_hash(const uint8_t *msg, size_t len)
{
	uint64_t	h;
	size_t		o = DR_DNS_HDRLEN, n;
	uint32_t	tc = 0;

	if (msg == NULL || len <= DR_DNS_HDRLEN || (msg[4] | msg[5]) == 0)
		return 0;
	while (msg[o] != 0) {
		if ((msg[o] & 0xc0) != 0)
			return 0;
		o += (size_t)msg[o] + 1;
		if (o - DR_DNS_HDRLEN >= DNS_MAXNAME || o >= len)
			return 0;
	}
	n = o - DR_DNS_HDRLEN;
	if (len - o > 4)
		memcpy(&tc, msg + o + 1, 4);
	h = (n + 1) * 0x9e3779b97f4a7c15ULL;
	h ^= word(msg + DR_DNS_HDRLEN, n) * 0xc2b2ae3d27d4eb4fULL;
	h = (h ^ (h >> 29)) * 0xbf58476d1ce4e5b9ULL;
	h ^= word(msg + (n > 8 ? o - 8 : DR_DNS_HDRLEN), n) *
	    0x94d049bb133111ebULL;
	h = (h ^ (h >> 31) ^ tc) * 0x9e3779b97f4a7c15ULL;
	h ^= h >> 32;
	/* 0 says "no question"; UINT32_MAX is kept for callers. */
	return (uint32_t)h == 0 || (uint32_t)h == UINT32_MAX ? 1 :
	    (uint32_t)h;
}
