/*
 * dns.c: rcode classes and the first question name, on demand.
 */
#include <stddef.h>
#include <stdint.h>

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
dr_dns_name(const uint8_t *msg, size_t len, size_t off, char *out,
    size_t outlen, size_t *next)
{
	struct cursor	 c;
	const uint8_t	*l;
	size_t		 o = 0, octets = 0, limit = off, ptr, end = 0;
	uint8_t		 b, b2;

	if (out == NULL || outlen == 0)
		return -1;
	out[0] = '\0';
	if (msg == NULL || off >= len)
		return -1;
	cur_init(&c, msg, len);
	cur_skip(&c, off);
	for (;;) {
		if (cur_u8(&c, &b) == -1)
			goto bad;
		if ((b & 0xc0) == 0xc0) {
			if (cur_u8(&c, &b2) == -1)
				goto bad;
			if (end == 0)
				end = len - cur_left(&c);
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
	if (next != NULL)
		*next = end != 0 ? end : len - cur_left(&c);
	return (int)o;
bad:
	out[0] = '\0';
	return -1;
}

int
dr_dns_qname(const uint8_t *msg, size_t len, char *out, size_t outlen)
{
	if (out == NULL || outlen == 0)
		return -1;
	out[0] = '\0';
	if (msg == NULL || len < DR_DNS_HDRLEN ||
	    (msg[4] << 8 | msg[5]) == 0)
		return -1;
	return dr_dns_name(msg, len, DR_DNS_HDRLEN, out, outlen, NULL);
}

/*
 * FNV-1a over the first question's name (ASCII case folded: some stacks
 * vary case), type and class.  The first name of a message cannot be
 * compressed (nothing precedes it to point at), so a pointer ends it.
 */
uint32_t
dr_dns_question_hash(const uint8_t *msg, size_t len)
{
	struct cursor	 c;
	const uint8_t	*tail;
	uint32_t	 h = 2166136261u;
	size_t		 octets = 0;
	uint8_t		 b, ch;

	if (msg == NULL || len < DR_DNS_HDRLEN || (msg[4] | msg[5]) == 0)
		return 0;
	cur_init(&c, msg, len);
	cur_skip(&c, DR_DNS_HDRLEN);
	for (;;) {
		if (cur_u8(&c, &b) == -1 || (b & 0xc0) != 0)
			return 0;
		octets += (size_t)b + 1;
		if (octets > DNS_MAXNAME)
			return 0;
		h = (h ^ b) * 16777619u;
		if (b == 0)
			break;
		while (b-- > 0) {
			if (cur_u8(&c, &ch) == -1)
				return 0;
			if (ch >= 'A' && ch <= 'Z')
				ch = (uint8_t)(ch + ('a' - 'A'));
			h = (h ^ ch) * 16777619u;
		}
	}
	/* Type and class, when the capture holds them. */
	if (cur_bytes(&c, 4, &tail) == 0)
		for (b = 0; b < 4; b++)
			h = (h ^ tail[b]) * 16777619u;
	return h == 0 ? 1 : h;
}
