/*
 * pktline.c: a decoded packet in tcpdump's words (print-domain.c,
 * print-icmp.c, print-icmp6.c of tcpdump 4.99, without -v).
 *
 * The DNS message is read again here, through the cursor, for what the
 * decoder does not keep: the section counts, the question's type and
 * class, the answers.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cursor.h"
#include "dns.h"
#include "pktline.h"

#define T_A		1
#define T_NS		2
#define T_CNAME		5
#define T_SOA		6
#define T_PTR		12
#define T_MX		15
#define T_TXT		16
#define T_AAAA		28
#define T_SRV		33
#define T_DNAME		39
#define T_OPT		41
#define C_IN		1

#define TH_FIN		0x01
#define TH_SYN		0x02
#define TH_RST		0x04
#define TH_PUSH		0x08
#define TH_ACK		0x10

/* The line being written: never overflows, remembers that it was cut. */
struct line {
	char	*p;
	size_t	 len;		/* room, NUL included */
	size_t	 o;
	int	 cut;
};

static void __attribute__((format(printf, 2, 3)))
put(struct line *l, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	if (l->cut)
		return;
	va_start(ap, fmt);
	n = vsnprintf(l->p + l->o, l->len - l->o, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= l->len - l->o) {
		l->cut = 1;
		return;
	}
	l->o += (size_t)n;
}

static const char *
type_name(uint16_t t, char *buf, size_t len)
{
	static const struct {
		uint16_t	 t;
		const char	*s;
	} types[] = {
		{ 1, "A" }, { 2, "NS" }, { 3, "MD" }, { 4, "MF" }, { 5, "CNAME" },
		{ 6, "SOA" }, { 7, "MB" }, { 8, "MG" }, { 9, "MR" }, { 10, "NULL" },
		{ 11, "WKS" }, { 12, "PTR" }, { 13, "HINFO" }, { 14, "MINFO" },
		{ 15, "MX" }, { 16, "TXT" }, { 17, "RP" }, { 18, "AFSDB" },
		{ 19, "X25" }, { 20, "ISDN" }, { 21, "RT" }, { 22, "NSAP" },
		{ 23, "NSAP_PTR" }, { 24, "SIG" }, { 25, "KEY" }, { 26, "PX" },
		{ 27, "GPOS" }, { 28, "AAAA" }, { 29, "LOC" }, { 30, "NXT" },
		{ 31, "EID" }, { 32, "NIMLOC" }, { 33, "SRV" }, { 34, "ATMA" },
		{ 35, "NAPTR" }, { 36, "KX" }, { 37, "CERT" }, { 38, "A6" },
		{ 39, "DNAME" }, { 40, "SINK" }, { 41, "OPT" }, { 42, "APL" },
		{ 43, "DS" }, { 44, "SSHFP" }, { 45, "IPSECKEY" }, { 46, "RRSIG" },
		{ 47, "NSEC" }, { 48, "DNSKEY" }, { 49, "DHCID" }, { 50, "NSEC3" },
		{ 51, "NSEC3PARAM" }, { 52, "TLSA" }, { 53, "SMIMEA" },
		{ 55, "HIP" }, { 56, "NINFO" }, { 57, "RKEY" }, { 58, "TALINK" },
		{ 59, "CDS" }, { 60, "CDNSKEY" }, { 61, "OPENPGPKEY" },
		{ 62, "CSYNC" }, { 63, "ZONEMD" }, { 64, "SVCB" }, { 65, "HTTPS" },
		{ 99, "SPF" }, { 100, "UINFO" }, { 101, "UID" }, { 102, "GID" },
		{ 103, "UNSPEC" }, { 104, "NID" }, { 105, "L32" }, { 106, "L64" },
		{ 107, "LP" }, { 108, "EUI48" }, { 109, "EUI64" }, { 249, "TKEY" },
		{ 250, "TSIG" }, { 251, "IXFR" }, { 252, "AXFR" }, { 253, "MAILB" },
		{ 254, "MAILA" }, { 255, "ANY" }, { 256, "URI" }, { 257, "CAA" },
		{ 258, "AVC" }, { 259, "DOA" }, { 260, "AMTRELAY" }, { 32768, "TA" },
		{ 32769, "DLV" },
	};
	size_t	i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (types[i].t == t)
			return types[i].s;
	snprintf(buf, len, "Type%u", t);
	return buf;
}

static const char *
class_name(uint16_t c, char *buf, size_t len)
{
	switch (c) {
	case 1:
		return "IN";
	case 3:
		return "CHAOS";
	case 4:
		return "HS";
	case 255:
		return "ANY";
	}
	snprintf(buf, len, "(Class %u)", c);
	return buf;
}

static const char *
rcode_text(unsigned rc, char *buf, size_t len)
{
	static const char *const t[] = {
		"", " FormErr", " ServFail", " NXDomain", " NotImp",
		" Refused", " YXDomain", " YXRRSet", " NXRRSet", " NotAuth",
		" NotZone", " Resp11", " Resp12", " Resp13", " Resp14",
		" NoChange", " BadVers", "Resp17", " Resp18", " Resp19",
		" Resp20", "Resp21", " Resp22", " BadCookie"
	};

	if (rc < sizeof(t) / sizeof(t[0]))
		return t[rc];
	snprintf(buf, len, " Resp%u", rc & 0xfff);
	return buf;
}

static const char *const opcodes[16] = {
	"", " inv_q", " stat", " op3", " notify", " update", " op6", " op7",
	" op8", " updateA", " updateD", " updateDA", " updateM", " updateMA",
	" zoneInit", " zoneRef"
};

/* A name at off, with tcpdump's trailing dot; -1 when it is bad. */
static int
put_name(struct line *l, const uint8_t *m, size_t len, size_t off,
    size_t *next)
{
	char	name[DR_DNS_NAMEBUF];

	if (dr_dns_name(m, len, off, name, sizeof(name), next) == -1)
		return -1;
	put(l, "%s%s", name, strcmp(name, ".") == 0 ? "" : ".");
	return 0;
}

/* tcpdump's fn_print_char(): M- for the high bit, ^ for controls. */
static void
put_chars(struct line *l, const uint8_t *s, size_t n)
{
	size_t	i;
	uint8_t	c;

	for (i = 0; i < n; i++) {
		c = s[i];
		if (c & 0x80) {
			c &= 0x7f;
			put(l, "M-");
		}
		if (c < 0x20 || c == 0x7f)
			put(l, "^%c", c ^ 0x40);
		else
			put(l, "%c", c);
	}
}

/*
 * Step over the name at off without following pointers (ns_nskip): a
 * pointer ends it.  -1 when the message ends first or a label type is
 * not one tcpdump skips.
 */
static int
skip_name(const uint8_t *m, size_t len, size_t off, size_t *next)
{
	struct cursor	c;
	uint8_t		b;

	cur_init(&c, m, len);
	if (cur_skip(&c, off) == -1)
		return -1;
	for (;;) {
		if (cur_u8(&c, &b) == -1)
			return -1;
		if (b == 0)
			break;
		if ((b & 0xc0) == 0xc0) {
			if (cur_skip(&c, 1) == -1)
				return -1;
			break;
		}
		if ((b & 0xc0) != 0 || cur_skip(&c, b) == -1)
			return -1;
	}
	*next = len - cur_left(&c);
	return 0;
}

enum rr_result {
	RR_OK = 0,
	RR_STOP,	/* no room for the fixed fields: stop, quietly */
	RR_TRUNC	/* cut inside: tcpdump's [|domain] */
};

/* One resource record at *off, as ns_rprint() prints it without -v. */
static enum rr_result
put_rr(struct line *l, const uint8_t *m, size_t len, size_t *off)
{
	struct cursor	 c;
	const uint8_t	*rd, *s;
	char		 tb[16];
	uint16_t	 type, class, rdlen, v16;
	uint32_t	 ttl;
	size_t		 at;
	uint8_t		 n;

	if (skip_name(m, len, *off, &at) == -1)
		return RR_STOP;
	cur_init(&c, m, len);
	if (cur_skip(&c, at) == -1 || cur_be16(&c, &type) == -1 ||
	    cur_be16(&c, &class) == -1 || cur_be32(&c, &ttl) == -1 ||
	    cur_be16(&c, &rdlen) == -1)
		return RR_STOP;
	if (class != C_IN && type != T_OPT)
		put(l, " %s", class_name(class, tb, sizeof(tb)));
	put(l, " %s", type_name(type, tb, sizeof(tb)));
	at = len - cur_left(&c);
	if (cur_bytes(&c, rdlen, &rd) == -1)
		return RR_TRUNC;
	*off = at + rdlen;
	switch (type) {
	case T_A:
		if (rdlen < 4)
			return RR_TRUNC;
		put(l, " %u.%u.%u.%u", rd[0], rd[1], rd[2], rd[3]);
		break;
	case T_AAAA: {
		struct dr_addr	a;
		char		text[DR_ADDR_STRLEN];

		if (rdlen < 16)
			return RR_TRUNC;
		dr_addr_set6(&a, rd);
		put(l, " %s", dr_addr_format(&a, text, sizeof(text)));
		break;
	}
	case T_NS:
	case T_CNAME:
	case T_PTR:
	case T_DNAME:
		put(l, " ");
		return put_name(l, m, len, at, NULL) == 0 ? RR_OK : RR_TRUNC;
	case T_MX:
		if (rdlen < 2)
			return RR_TRUNC;
		put(l, " ");
		if (put_name(l, m, len, at + 2, NULL) == -1)
			return RR_TRUNC;
		put(l, " %u", (unsigned)(rd[0] << 8 | rd[1]));
		break;
	case T_SRV:
		if (rdlen < 6)
			return RR_TRUNC;
		put(l, " ");
		if (put_name(l, m, len, at + 6, NULL) == -1)
			return RR_TRUNC;
		put(l, ":%u %u %u", (unsigned)(rd[4] << 8 | rd[5]),
		    (unsigned)(rd[0] << 8 | rd[1]),
		    (unsigned)(rd[2] << 8 | rd[3]));
		break;
	case T_TXT: {
		struct cursor	t;

		cur_init(&t, rd, rdlen);
		while (cur_left(&t) > 0) {
			if (cur_u8(&t, &n) == -1 ||
			    cur_bytes(&t, n, &s) == -1)
				return RR_TRUNC;
			put(l, " \"");
			put_chars(l, s, n);
			put(l, "\"");
		}
		break;
	}
	case T_OPT:
		put(l, " UDPsize=%u", class);
		v16 = (uint16_t)(ttl & 0xffff);
		if (v16 & 0x8000)
			put(l, " DO");
		break;
	case T_SOA:
	default:
		break;		/* without -v tcpdump names the type only */
	}
	return RR_OK;
}

/* The extended rcode, from an OPT record in the additional section. */
static unsigned
ext_rcode(const uint8_t *m, size_t len, unsigned rcode, unsigned qd,
    unsigned an_ns, unsigned ar)
{
	struct cursor	 c;
	char		 scratch[DR_DNS_NAMEBUF];
	size_t		 at = DR_DNS_HDRLEN;
	uint16_t	 type, rdlen;
	uint8_t		 ext;
	unsigned	 i;

	for (i = 0; i < qd; i++) {
		if (dr_dns_name(m, len, at, scratch, sizeof(scratch), &at) ==
		    -1 || len - at < 4)
			return rcode;
		at += 4;
	}
	for (i = 0; i < an_ns + ar; i++) {
		if (dr_dns_name(m, len, at, scratch, sizeof(scratch), &at) ==
		    -1)
			return rcode;
		cur_init(&c, m, len);
		cur_skip(&c, at);
		if (cur_be16(&c, &type) == -1 || cur_skip(&c, 2) == -1 ||
		    cur_u8(&c, &ext) == -1)
			return rcode;
		if (i >= an_ns && type == T_OPT)
			return rcode | (unsigned)ext << 4;
		if (cur_skip(&c, 3) == -1 || cur_be16(&c, &rdlen) == -1 ||
		    cur_skip(&c, rdlen) == -1)
			return rcode;
		at = len - cur_left(&c);
	}
	return rcode;
}

/*
 * The DNS message, as domain_print() without -v.  Returns 0, or -1 when
 * it ended in tcpdump's truncation mark (and no " (N)" may follow).
 */
static int
put_dns(struct line *l, const uint8_t *m, size_t len)
{
	struct cursor	c;
	char		rb[16], tb[16], scratch[DR_DNS_NAMEBUF];
	uint16_t	id, fl, qd, an, ns, ar, type, class;
	size_t		at = DR_DNS_HDRLEN;
	unsigned	i, op;

	cur_init(&c, m, len);
	if (cur_be16(&c, &id) == -1 || cur_be16(&c, &fl) == -1 ||
	    cur_be16(&c, &qd) == -1 || cur_be16(&c, &an) == -1 ||
	    cur_be16(&c, &ns) == -1 || cur_be16(&c, &ar) == -1)
		goto trunc;
	op = (fl >> 11) & 0x0f;
	if (fl & 0x8000) {
		put(l, "%u%s%s%s%s%s%s", id, opcodes[op],
		    rcode_text(ext_rcode(m, len, fl & 0x0f, qd,
		    (unsigned)an + ns, ar), rb, sizeof(rb)),
		    fl & 0x0400 ? "*" : "", fl & 0x0080 ? "" : "-",
		    fl & 0x0200 ? "|" : "", fl & 0x0020 ? "$" : "");
		if (qd != 1)
			put(l, " [%uq]", qd);
		for (i = 0; i < qd; i++) {
			if (skip_name(m, len, at, &at) == -1)
				goto trunc;
			at += 4;
		}
		put(l, " %u/%u/%u", an, ns, ar);
		/* tcpdump's loop, to the letter: see its ns_rprint(). */
		for (i = 0; i < an && (i == 0 || at < len); i++) {
			if (i > 0)
				put(l, ",");
			switch (put_rr(l, m, len, &at)) {
			case RR_TRUNC:
				goto trunc;
			case RR_STOP:
				at = len;
				break;
			case RR_OK:
				break;
			}
		}
		if (i < an)
			goto trunc;
		return 0;
	}
	put(l, "%u%s%s%s", id, opcodes[op], fl & 0x0100 ? "+" : "",
	    fl & 0x0010 ? "%" : "");
	if (fl & 0x6cf)
		put(l, " [b2&3=0x%x]", fl);
	if (op == 1) {
		if (qd)
			put(l, " [%uq]", qd);
		if (an != 1)
			put(l, " [%ua]", an);
	} else {
		if (an)
			put(l, " [%ua]", an);
		if (qd != 1)
			put(l, " [%uq]", qd);
	}
	if (ns)
		put(l, " [%un]", ns);
	if (ar)
		put(l, " [%uau]", ar);
	for (i = 0; i < qd; i++) {
		size_t	name_at = at;

		if (dr_dns_name(m, len, at, scratch, sizeof(scratch), &at) ==
		    -1)
			goto trunc;
		cur_init(&c, m, len);
		cur_skip(&c, at);
		if (cur_be16(&c, &type) == -1 || cur_be16(&c, &class) == -1)
			goto trunc;
		at += 4;
		put(l, " %s", type_name(type, tb, sizeof(tb)));
		if (class != C_IN)
			put(l, " %s", class_name(class, rb, sizeof(rb)));
		put(l, "? ");
		put_name(l, m, len, name_at, NULL);
	}
	return 0;
trunc:
	put(l, " [|domain]");
	return -1;
}

static void
put_addr_port(struct line *l, const struct dr_addr *a, int port)
{
	char	text[DR_ADDR_STRLEN];

	put(l, "%s", dr_addr_format(a, text, sizeof(text)));
	if (port >= 0)
		put(l, ".%d", port);
}

static void
put_tcp_flags(struct line *l, uint8_t f)
{
	static const struct {
		uint8_t	 bit;
		char	 c;
	} t[] = {
		{ TH_FIN, 'F' }, { TH_SYN, 'S' }, { TH_RST, 'R' },
		{ TH_PUSH, 'P' }, { TH_ACK, '.' }, { 0x20, 'U' },
		{ 0x40, 'E' }, { 0x80, 'W' }
	};
	size_t	i;

	put(l, "Flags [");
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (f & t[i].bit)
			put(l, "%c", t[i].c);
	put(l, "%s]", f == 0 ? "none" : "");
}

/* The ICMP text of tcpdump's print-icmp.c for type 3, code by code. */
static void
put_icmp4(struct line *l, const char *dst, int port, unsigned code)
{
	static const struct {
		const char	*before, *after;
	} t[16] = {
		{ "net ", " unreachable" }, { "host ", " unreachable" },
		{ "", " protocol 17 unreachable" }, { "", "" },
		{ "", " unreachable - need to frag" },
		{ "", " unreachable - source route failed" },
		{ "net ", " unreachable - unknown" },
		{ "host ", " unreachable - unknown" },
		{ "", " unreachable - source host isolated" },
		{ "net ", " unreachable - admin prohibited" },
		{ "host ", " unreachable - admin prohibited" },
		{ "net ", " unreachable - tos prohibited" },
		{ "host ", " unreachable - tos prohibited" },
		{ "host ", " unreachable - admin prohibited filter" },
		{ "host ", " unreachable - host precedence violation" },
		{ "host ", " unreachable - precedence cutoff" }
	};

	put(l, "ICMP ");
	if (code == 3)
		put(l, "%s udp port %d unreachable", dst, port);
	else if (code < 16)
		put(l, "%s%s%s", t[code].before, dst, t[code].after);
	else
		put(l, "%s unreachable - #%u", dst, code);
}

static void
put_icmp6(struct line *l, const char *dst, const char *src, int port,
    unsigned code)
{
	put(l, "ICMP6, destination unreachable, ");
	switch (code) {
	case 0:
		put(l, "unreachable route %s", dst);
		break;
	case 1:
		put(l, " unreachable prohibited %s", dst);
		break;
	case 3:
		put(l, "unreachable address %s", dst);
		break;
	case 4:
		put(l, "unreachable port, %s udp port %d", dst, port);
		break;
	case 2:
		put(l, "beyond scope %s, source address %s", dst, src);
		break;
	default:
		put(l, "unknown unreach code (%u)", code);
		break;
	}
}

/* The outer packet of an ICMP error and its words. */
static void
put_icmp(struct line *l, const struct dr_event *ev)
{
	const struct dr_addr	*qsrc, *qdst;
	char			 dst[DR_ADDR_STRLEN], src[DR_ADDR_STRLEN];
	int			 port;

	if (ev->kind == DR_EV_UNREACH) {
		qsrc = &ev->client;
		qdst = &ev->resolver;
		port = ev->resolver_port;
	} else {
		qsrc = &ev->resolver;
		qdst = &ev->client;
		port = ev->client_port;
	}
	put_addr_port(l, &ev->icmp_from, -1);
	put(l, " > ");
	put_addr_port(l, qsrc, -1);
	put(l, ": ");
	dr_addr_format(qdst, dst, sizeof(dst));
	dr_addr_format(qsrc, src, sizeof(src));
	if (ev->icmp6) {
		put_icmp6(l, dst, src, port, ev->icmp_code);
		/* Unknown codes: tcpdump dumps hex and no length. */
		if (ev->icmp_code > 4)
			return;
	} else
		put_icmp4(l, dst, port, ev->icmp_code);
	put(l, ", length %u", ev->l4_len);
}

size_t
dr_pktline(const struct dr_event *ev, char *buf, size_t len)
{
	struct line	 l = { buf, len, 0, 0 };
	struct tm	 tm;
	time_t		 t;
	dr_time_t	 us;
	const struct dr_addr *src, *dst;
	int		 sport, dport, from_resolver;
	size_t		 n;

	if (buf == NULL || len < 5)
		return 0;
	buf[0] = '\0';
	us = ev->ts % DR_USEC;
	t = (time_t)(ev->ts / DR_USEC);
	if (us < 0) {
		us += DR_USEC;
		t--;
	}
	if (gmtime_r(&t, &tm) == NULL)
		memset(&tm, 0, sizeof(tm));
	put(&l, "%02d:%02d:%02d.%06lld %s ", tm.tm_hour, tm.tm_min,
	    tm.tm_sec, (long long)us,
	    (ev->kind == DR_EV_UNREACH || ev->kind == DR_EV_LATE_RESPONSE ?
	    ev->icmp_from.family : ev->resolver.family) == DR_AF_INET6 ?
	    "IP6" : "IP");
	switch (ev->kind) {
	case DR_EV_UNREACH:
	case DR_EV_LATE_RESPONSE:
		put_icmp(&l, ev);
		break;
	case DR_EV_QUERY:
	case DR_EV_RESPONSE:
	case DR_EV_TCP_RESET:
	case DR_EV_TCP_SYN:
	case DR_EV_TCP_ACCEPT:
		from_resolver = ev->kind != DR_EV_QUERY &&
		    ev->kind != DR_EV_TCP_SYN;
		src = from_resolver ? &ev->resolver : &ev->client;
		dst = from_resolver ? &ev->client : &ev->resolver;
		sport = from_resolver ? ev->resolver_port : ev->client_port;
		dport = from_resolver ? ev->client_port : ev->resolver_port;
		put_addr_port(&l, src, sport);
		put(&l, " > ");
		put_addr_port(&l, dst, dport);
		put(&l, ": ");
		if (ev->transport == DR_TRANSPORT_TCP) {
			put_tcp_flags(&l, ev->tcp_flags);
			if (ev->dns == NULL)
				break;
			put(&l, ", length %zu ", ev->dns_len + 2);
		}
		if (put_dns(&l, ev->dns, ev->dns_len) == -1)
			break;
		/* A message cut by the snap length: what the IP says. */
		n = ev->dns_len;
		if (ev->transport == DR_TRANSPORT_UDP && ev->l4_len >= 8 &&
		    ev->l4_len - 8 > n)
			n = ev->l4_len - 8;
		put(&l, " (%zu)", n);
		break;
	default:
		put(&l, "(not DNS)");
		break;
	}
	if (l.cut) {
		l.o = len - 1;
		while (l.o > 0 && len - l.o < 4)
			l.o--;
		memcpy(buf + l.o, "...", 4);
		l.o += 3;
	}
	return l.o;
}
