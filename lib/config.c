/*
 * config.c: dnsreach.conf parsing, value syntax and cross-key checks.
 *
 * One line is one "key = value".  Every value goes through one setter,
 * whether it came from the file or from "-o", so both accept the same
 * text and report the same messages.  A bad value leaves the old one in
 * place; the caller learns from the error count that the result is not
 * to be used.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "config.h"
#include "window.h"

#define LINE_MAX_LEN	4096		/* bytes, without the newline */
#define FILE_MAX_LEN	(1024 * 1024)	/* a config is never this big */
#define MSG_MAX		1024
#define QUOTE_MAX	64		/* value bytes shown in a message */
#define USER_NAME_MAX	32		/* what useradd accepts */

#define US_MS		1000LL
#define US_S		DR_USEC
#define US_M		(60 * DR_USEC)
#define US_H		(3600 * DR_USEC)

enum kind {
	K_IFACE,
	K_FILTER,
	K_SIZE,		/* uint32_t, bytes, k/M/G suffixes */
	K_COUNT,	/* uint32_t, plain whole number */
	K_BOOL,		/* int */
	K_DURATION,	/* dr_time_t */
	K_RATE,		/* double */
	K_RESOLVERS,
	K_ALERTS,
	K_USER,
	K_LISTEN,	/* "" or ADDR:PORT, [ADDR6]:PORT */
	K_RCODES,	/* uint16_t, a set of rcodes */
	K_DEDUP,	/* dr_time_t, a duration or "auto" (-1) */
	K_BIGSIZE	/* uint64_t, bytes, k/M/G suffixes */
};

/* Rate bounds that exclude their end point. */
#define R_MIN_OPEN	0x1
#define R_MAX_OPEN	0x2

struct key {
	const char	*name;
	enum kind	 kind;
	size_t		 off;
	int64_t		 min, max;	/* sizes, counts, durations */
	int		 zero_ok;	/* 0 allowed below min ("off") */
	int		 open;		/* R_* for rates, range is 0..1 */
};

#define OFF(f)	offsetof(struct dr_config, f)

static const struct key keys[] = {
	{ "interface", K_IFACE, OFF(interface), 0, 0, 0, 0 },
	{ "filter", K_FILTER, OFF(filter), 0, 0, 0, 0 },
	{ "snaplen", K_SIZE, OFF(snaplen), 128, 262144, 0, 0 },
	{ "buffer_size", K_SIZE, OFF(buffer_size),
	    64 * 1024, 1024 * 1024 * 1024, 1, 0 },
	{ "promiscuous", K_BOOL, OFF(promiscuous), 0, 0, 0, 0 },
	{ "window", K_DURATION, OFF(window), US_S, US_H, 0, 0 },
	{ "bucket", K_DURATION, OFF(bucket), 10 * US_MS, US_H, 0, 0 },
	{ "threshold", K_RATE, OFF(threshold), 0, 0, 0, R_MIN_OPEN },
	{ "clear_threshold", K_RATE, OFF(clear_threshold), 0, 0, 0,
	    R_MAX_OPEN },
	{ "min_queries", K_COUNT, OFF(min_queries), 1, 1000000, 0, 0 },
	{ "min_clients", K_COUNT, OFF(min_clients), 1, 4, 0, 0 },
	{ "fast_window", K_DURATION, OFF(fast_window),
	    100 * US_MS, US_M, 1, 0 },
	{ "fast_threshold", K_RATE, OFF(fast_threshold), 0, 0, 0,
	    R_MIN_OPEN },
	{ "fail_streak", K_COUNT, OFF(fail_streak), 2, 1000, 1, 0 },
	{ "flap_window", K_DURATION, OFF(flap_window), US_S, 24 * US_H, 1,
	    0 },
	{ "idle_clear", K_DURATION, OFF(idle_clear), US_S, 24 * US_H, 1, 0 },
	{ "slow_threshold", K_DURATION, OFF(slow_threshold),
	    US_MS, 60 * US_S, 1, 0 },
	{ "failure_rcodes", K_RCODES, OFF(failure_rcodes), 0, 0, 0, 0 },
	{ "realert_interval", K_DURATION, OFF(realert_interval),
	    US_S, 24 * US_H, 1, 0 },
	{ "query_timeout", K_DURATION, OFF(query_timeout),
	    100 * US_MS, 60 * US_S, 0, 0 },
	{ "match_window", K_DURATION, OFF(match_window),
	    100 * US_MS, US_H, 0, 0 },
	{ "count_timeouts", K_BOOL, OFF(count_timeouts), 0, 0, 0, 0 },
	{ "count_unmatched", K_BOOL, OFF(count_unmatched), 0, 0, 0, 0 },
	{ "resolvers", K_RESOLVERS, OFF(resolvers), 0, 0, 0, 0 },
	{ "max_resolvers", K_COUNT, OFF(max_resolvers), 1, 1048576, 0, 0 },
	{ "max_pending", K_COUNT, OFF(max_pending), 16, 16777216, 0, 0 },
	{ "alerts", K_ALERTS, OFF(alerts), 0, 0, 0, 0 },
	{ "user", K_USER, OFF(user), 0, 0, 0, 0 },
	{ "allow_root", K_BOOL, OFF(allow_root), 0, 0, 0, 0 },
	{ "stats_interval", K_DURATION, OFF(stats_interval),
	    US_S, 24 * US_H, 1, 0 },
	{ "metrics_listen", K_LISTEN, OFF(metrics_listen), 0, 0, 0, 0 },
	{ "dedup_window", K_DEDUP, OFF(dedup_window), US_MS, US_S, 1, 0 },
	{ "memory_limit", K_BIGSIZE, OFF(memory_limit),
	    16LL * 1024 * 1024, 1024LL * 1024 * 1024 * 1024, 0, 0 },
};
#define NKEYS	(sizeof(keys) / sizeof(keys[0]))

_Static_assert(NKEYS <= 64, "seen is a 64-bit mask");

/* Where messages go and how they are prefixed. */
struct ctx {
	dr_config_error_fn	 fn;
	void			*arg;
	const char		*name;	/* file name or override origin */
	size_t			 line;	/* 0: no line number (override) */
	int			 nerr;
};

static void	report(struct ctx *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

static void
report(struct ctx *x, const char *fmt, ...)
{
	char	msg[MSG_MAX];
	int	n;
	va_list	ap;

	x->nerr++;
	if (x->fn == NULL)
		return;
	if (x->line != 0)
		n = snprintf(msg, sizeof(msg), "%s:%zu: ", x->name, x->line);
	else
		n = snprintf(msg, sizeof(msg), "%s: ", x->name);
	if (n < 0 || (size_t)n >= sizeof(msg))
		n = 0;
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - n, fmt, ap);
	va_end(ap);
	x->fn(x->arg, msg);
}

static int
is_ws(int ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\v' ||
	    ch == '\f';
}

static int
is_digit(int ch)
{
	return ch >= '0' && ch <= '9';
}

static int
lower(int ch)
{
	return ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch;
}

/*
 * Quote text for a message: values come from the user and may hold any
 * byte, and a long one would drown the message.
 */
static const char *
quote(char *buf, size_t size, const char *s, size_t len)
{
	size_t		i, o = 0;
	unsigned char	ch;

	buf[o++] = '"';
	for (i = 0; i < len && o + 8 < size; i++) {
		if (i == QUOTE_MAX) {
			memcpy(buf + o, "...", 3);
			o += 3;
			break;
		}
		ch = (unsigned char)s[i];
		if (ch == '"' || ch == '\\') {
			buf[o++] = '\\';
			buf[o++] = (char)ch;
		} else if (ch < 0x20 || ch >= 0x7f)
			o += (size_t)snprintf(buf + o, size - o, "\\x%02x", ch);
		else
			buf[o++] = (char)ch;
	}
	buf[o++] = '"';
	buf[o] = '\0';
	return buf;
}

#define QBUF	(QUOTE_MAX * 4 + 16)

static void
fmt_duration(char *buf, size_t size, dr_time_t v)
{
	long long	ll = (long long)v;

	if (v == 0)
		snprintf(buf, size, "0");
	else if (v % US_H == 0)
		snprintf(buf, size, "%lldh", ll / US_H);
	else if (v % US_M == 0)
		snprintf(buf, size, "%lldm", ll / US_M);
	else if (v % US_S == 0)
		snprintf(buf, size, "%llds", ll / US_S);
	else if (v % US_MS == 0)
		snprintf(buf, size, "%lldms", ll / US_MS);
	else
		snprintf(buf, size, "%lldus", ll);
}

static void
fmt_size(char *buf, size_t size, int64_t v)
{
	long long	ll = (long long)v;

	if (v != 0 && v % (1024 * 1024 * 1024) == 0)
		snprintf(buf, size, "%lldG", ll / (1024 * 1024 * 1024));
	else if (v != 0 && v % (1024 * 1024) == 0)
		snprintf(buf, size, "%lldM", ll / (1024 * 1024));
	else if (v != 0 && v % 1024 == 0)
		snprintf(buf, size, "%lldk", ll / 1024);
	else
		snprintf(buf, size, "%lld", ll);
}

static void
fmt_rate(char *buf, size_t size, double v)
{
	snprintf(buf, size, "%g%%", v * 100.0);
}

/* Digits into *v; fails on no digits or overflow.  Returns the end. */
static const char *
parse_digits(const char *s, uint64_t *v)
{
	uint64_t	n = 0;
	unsigned	d;

	if (!is_digit(*s))
		return NULL;
	for (; is_digit(*s); s++) {
		d = (unsigned)(*s - '0');
		if (n > (UINT64_MAX - d) / 10)
			return NULL;
		n = n * 10 + d;
	}
	*v = n;
	return s;
}

int
dr_parse_duration(const char *s, dr_time_t *out)
{
	uint64_t	ip, fr = 0, scale = 1, unit, v, f;
	int		nfrac = 0;

	if ((s = parse_digits(s, &ip)) == NULL)
		return -1;
	if (*s == '.') {
		s++;
		if (!is_digit(*s))
			return -1;
		/*
		 * Nine digits keep fr * unit inside 64 bits even for hours;
		 * later ones are below a microsecond and dropped.
		 */
		for (; is_digit(*s); s++) {
			if (nfrac++ < 9) {
				fr = fr * 10 + (uint64_t)(*s - '0');
				scale *= 10;
			}
		}
	}
	if (*s == '\0' || strcmp(s, "s") == 0)
		unit = US_S;
	else if (strcmp(s, "ms") == 0)
		unit = US_MS;
	else if (strcmp(s, "us") == 0)
		unit = 1;
	else if (strcmp(s, "m") == 0)
		unit = US_M;
	else if (strcmp(s, "h") == 0)
		unit = US_H;
	else
		return -1;
	if (ip > (uint64_t)INT64_MAX / unit)
		return -1;
	v = ip * unit;
	f = fr * unit / scale;
	if (v > (uint64_t)INT64_MAX - f)
		return -1;
	*out = (dr_time_t)(v + f);
	return 0;
}

int
dr_parse_rate(const char *s, double *out)
{
	static const double pow10[] = {
		1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
		1e11, 1e12, 1e13, 1e14
	};
	uint64_t	ip = 0, fr = 0;
	int		nfrac = 0, pct = 0;
	double		v;

	if (!is_digit(*s))
		return -1;
	for (; is_digit(*s); s++) {
		/* Saturate: anything past 1000 is out of range anyway. */
		if (ip <= 1000)
			ip = ip * 10 + (uint64_t)(*s - '0');
	}
	if (*s == '.') {
		s++;
		if (!is_digit(*s))
			return -1;
		/* Twelve digits keep ip.fr exact in a double's mantissa. */
		for (; is_digit(*s); s++) {
			if (nfrac < 12) {
				fr = fr * 10 + (uint64_t)(*s - '0');
				nfrac++;
			}
		}
	}
	if (*s == '%') {
		pct = 1;
		s++;
	}
	if (*s != '\0' || ip > 1000)
		return -1;
	/* One division, so "0.2" and "20%" give the very same double. */
	v = (double)(ip * (uint64_t)pow10[nfrac] + fr) /
	    pow10[nfrac + 2 * pct];
	if (v < 0.0 || v > 1.0)
		return -1;
	*out = v;
	return 0;
}

int
dr_parse_size(const char *s, uint64_t *out)
{
	uint64_t	v, mul = 1;

	if ((s = parse_digits(s, &v)) == NULL)
		return -1;
	switch (*s) {
	case '\0':
		break;
	case 'k':
	case 'K':
		mul = 1024;
		break;
	case 'm':
	case 'M':
		mul = 1024 * 1024;
		break;
	case 'g':
	case 'G':
		mul = 1024 * 1024 * 1024;
		break;
	default:
		return -1;
	}
	if (*s != '\0' && s[1] != '\0')
		return -1;
	if (v > UINT64_MAX / mul)
		return -1;
	*out = v * mul;
	return 0;
}

static int
streq_nocase(const char *a, const char *b)
{
	for (; *a != '\0' && lower(*a) == lower(*b); a++, b++)
		;
	return *a == '\0' && *b == '\0';
}

int
dr_parse_bool(const char *s, int *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	size_t	i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (streq_nocase(s, yes[i])) {
			*out = 1;
			return 0;
		}
		if (streq_nocase(s, no[i])) {
			*out = 0;
			return 0;
		}
	}
	return -1;
}

const char *
dr_alert_dest_name(enum dr_alert_dest d)
{
	switch (d) {
	case DR_ALERTS_JOURNAL:
		return "journal";
	case DR_ALERTS_STDERR:
		return "stderr";
	case DR_ALERTS_BOTH:
		return "both";
	}
	return "unknown";
}

int
dr_parse_alert_dest(const char *s, enum dr_alert_dest *out)
{
	if (strcmp(s, "journal") == 0)
		*out = DR_ALERTS_JOURNAL;
	else if (strcmp(s, "stderr") == 0)
		*out = DR_ALERTS_STDERR;
	else if (strcmp(s, "both") == 0)
		*out = DR_ALERTS_BOTH;
	else
		return -1;
	return 0;
}

void
dr_config_defaults(struct dr_config *c)
{
	memset(c, 0, sizeof(*c));
	c->interface[0] = '\0';
	strcpy(c->filter, DR_DEFAULT_FILTER);
	c->snaplen = 1024;
	c->buffer_size = 4 * 1024 * 1024;
	c->promiscuous = 0;
	c->window = 20 * US_S;
	c->bucket = US_S;
	c->threshold = 0.5;
	c->clear_threshold = 0.2;
	c->min_queries = 5;
	c->min_clients = 2;
	c->fast_window = 1500 * US_MS;
	c->fast_threshold = 0.9;
	c->fail_streak = 3;
	c->flap_window = 2 * US_M;
	c->idle_clear = 5 * US_M;
	c->slow_threshold = US_S;
	c->failure_rcodes = (1u << 2) | (1u << 5);	/* SERVFAIL, REFUSED */
	c->realert_interval = 10 * US_M;
	c->query_timeout = 3 * US_S;
	c->match_window = 60 * US_S;
	c->count_timeouts = 1;
	c->count_unmatched = 0;
	c->nresolvers = 0;
	c->max_resolvers = 4096;
	c->max_pending = 65536;
	c->alerts = DR_ALERTS_JOURNAL;
	snprintf(c->user, sizeof(c->user), "%s", "nobody");
	c->allow_root = 0;
	c->stats_interval = 0;
	c->metrics_listen[0] = '\0';
	c->dedup_window = -1;
	c->memory_limit = 1024LL * 1024 * 1024;
	c->seen = 0;
}

/* "0, or 1s to 24h" style text for a range message. */
static void
range_text(char *buf, size_t size, const struct key *k)
{
	char	lo[32], hi[32];

	if (k->kind == K_DURATION || k->kind == K_DEDUP) {
		fmt_duration(lo, sizeof(lo), k->min);
		fmt_duration(hi, sizeof(hi), k->max);
	} else if (k->kind == K_SIZE || k->kind == K_BIGSIZE) {
		fmt_size(lo, sizeof(lo), k->min);
		fmt_size(hi, sizeof(hi), k->max);
	} else {
		snprintf(lo, sizeof(lo), "%lld", (long long)k->min);
		snprintf(hi, sizeof(hi), "%lld", (long long)k->max);
	}
	snprintf(buf, size, "%s%s to %s", k->zero_ok ? "0, or " : "", lo, hi);
}

/* A number-like value against its key's bounds. */
static int
in_range(const struct key *k, uint64_t v)
{
	if (v == 0 && k->zero_ok)
		return 1;
	return v >= (uint64_t)k->min && v <= (uint64_t)k->max;
}

static int
has_ctl(const char *s)
{
	for (; *s != '\0'; s++)
		if (((unsigned char)*s < 0x20 && *s != '\t') || *s == 0x7f)
			return 1;
	return 0;
}

static int
user_ok(const char *s)
{
	uint64_t	 uid;
	const char	*end;
	size_t		 len = strlen(s), i;

	if (len == 0)
		return 1;
	if (is_digit(s[0])) {
		/* (uid_t)-1 means "no change" to setuid(): not a user. */
		end = parse_digits(s, &uid);
		return end != NULL && *end == '\0' && uid < UINT32_MAX;
	}
	/* The portable user name set, as shadow's useradd checks it. */
	if (len > USER_NAME_MAX)
		return 0;
	if (!(lower(s[0]) >= 'a' && lower(s[0]) <= 'z') && s[0] != '_')
		return 0;
	for (i = 1; i < len; i++) {
		if ((lower(s[i]) >= 'a' && lower(s[i]) <= 'z') ||
		    is_digit(s[i]) || s[i] == '_' || s[i] == '.' ||
		    s[i] == '-')
			continue;
		if (s[i] == '$' && i == len - 1)
			continue;	/* Samba machine accounts */
		return 0;
	}
	return 1;
}

static int
set_resolvers(struct dr_config *c, struct ctx *x, const struct key *k,
    const char *v)
{
	struct dr_prefix	 tmp[DR_CONF_MAX_RESOLVERS];
	char			 tok[DR_ADDR_STRLEN + 8], q[QBUF];
	size_t			 n = 0, len;
	const char		*p = v, *start;

	for (;;) {
		while (*p == ',' || is_ws(*p))
			p++;
		if (*p == '\0')
			break;
		start = p;
		while (*p != '\0' && *p != ',' && !is_ws(*p))
			p++;
		len = (size_t)(p - start);
		if (n == DR_CONF_MAX_RESOLVERS) {
			report(x, "%s: more than %d addresses or prefixes",
			    k->name, DR_CONF_MAX_RESOLVERS);
			return -1;
		}
		if (len >= sizeof(tok)) {
			report(x, "%s: %s is not an IPv4 or IPv6 address or "
			    "prefix", k->name, quote(q, sizeof(q), start, len));
			return -1;
		}
		memcpy(tok, start, len);
		tok[len] = '\0';
		if (dr_prefix_parse(&tmp[n], tok) == -1) {
			report(x, "%s: %s is not an IPv4 or IPv6 address or "
			    "prefix", k->name, quote(q, sizeof(q), tok, len));
			return -1;
		}
		n++;
	}
	memcpy(c->resolvers, tmp, n * sizeof(tmp[0]));
	c->nresolvers = n;
	return 0;
}

/*
 * "eth0, eth1" or "eth0 eth1": kept as "eth0,eth1".  "any" stands alone
 * (it already is every interface).
 */
static int
set_ifaces(struct dr_config *c, struct ctx *x, const struct key *k,
    const char *v)
{
	char		 out[DR_CONF_IFNAMSIZ], q[QBUF];
	const char	*p = v, *start, *e;
	size_t		 n = 0, o = 0, len;
	int		 any = 0;

	out[0] = '\0';
	for (;;) {
		while (*p == ',' || is_ws(*p))
			p++;
		if (*p == '\0')
			break;
		start = p;
		while (*p != '\0' && *p != ',' && !is_ws(*p))
			p++;
		len = (size_t)(p - start);
		quote(q, sizeof(q), start, len);
		if (len > DR_CONF_IFNAME_MAX || memchr(start, '/', len) ||
		    (len == 1 && *start == '.') ||
		    (len == 2 && memcmp(start, "..", 2) == 0)) {
			report(x, "%s: %s is not an interface name (at most "
			    "%d bytes, no '/')", k->name, q,
			    DR_CONF_IFNAME_MAX);
			return -1;
		}
		for (e = start; e < p; e++) {
			if ((unsigned char)*e < 0x20 || *e == 0x7f) {
				report(x, "%s: %s contains a control "
				    "character", k->name, q);
				return -1;
			}
		}
		if (n == DR_CONF_MAX_IFACES) {
			report(x, "%s: more than %d interfaces", k->name,
			    DR_CONF_MAX_IFACES);
			return -1;
		}
		for (e = out; *e != '\0'; e += strcspn(e, ",") +
		    (e[strcspn(e, ",")] == ',')) {
			if (strcspn(e, ",") == len &&
			    memcmp(e, start, len) == 0) {
				report(x, "%s: %s is named twice", k->name, q);
				return -1;
			}
		}
		if (len == 3 && memcmp(start, "any", 3) == 0)
			any = 1;
		if (n > 0)
			out[o++] = ',';
		memcpy(out + o, start, len);
		o += len;
		out[o] = '\0';
		n++;
	}
	if (any && n > 1) {
		report(x, "%s: \"any\" already captures on every interface: "
		    "name it alone", k->name);
		return -1;
	}
	memcpy(c->interface, out, o + 1);
	return 0;
}

static int
set_string(struct ctx *x, const struct key *k, char *dst, size_t size,
    const char *v)
{
	char	q[QBUF];
	size_t	len = strlen(v);

	if (len >= size) {
		report(x, "%s: %s is too long (at most %zu bytes)", k->name,
		    quote(q, sizeof(q), v, len), size - 1);
		return -1;
	}
	if (has_ctl(v)) {
		report(x, "%s: %s contains a control character", k->name,
		    quote(q, sizeof(q), v, len));
		return -1;
	}
	memcpy(dst, v, len + 1);
	return 0;
}

/* The one setter: file lines and overrides both end here. */
static int
set_value(struct dr_config *c, struct ctx *x, const struct key *k,
    const char *v)
{
	char		 q[QBUF], r[96], *field = (char *)c + k->off;
	const char	*p;
	uint64_t	 u;
	uint32_t	 u32;
	dr_time_t	 t;
	double		 d;
	int		 b;
	enum dr_alert_dest a;

	quote(q, sizeof(q), v, strlen(v));
	switch (k->kind) {
	case K_IFACE:
		return set_ifaces(c, x, k, v);
	case K_FILTER:
		return set_string(x, k, c->filter, sizeof(c->filter), v);
	case K_USER:
		if (!user_ok(v)) {
			report(x, "%s: %s is not a user name or numeric uid",
			    k->name, q);
			return -1;
		}
		return set_string(x, k, c->user, sizeof(c->user), v);
	case K_SIZE:
	case K_COUNT:
		if (k->kind == K_SIZE ? dr_parse_size(v, &u) == -1 :
		    ((p = parse_digits(v, &u)) == NULL || *p != '\0')) {
			report(x, k->kind == K_SIZE ?
			    "%s: %s is not a size (a number of bytes, "
			    "optionally with k, M or G)" :
			    "%s: %s is not a whole number", k->name, q);
			return -1;
		}
		if (!in_range(k, u)) {
			range_text(r, sizeof(r), k);
			report(x, "%s: %s is out of range (%s)", k->name, q, r);
			return -1;
		}
		u32 = (uint32_t)u;
		memcpy(field, &u32, sizeof(u32));
		return 0;
	case K_BIGSIZE:
		if (dr_parse_size(v, &u) == -1) {
			report(x, "%s: %s is not a size (a number of bytes, "
			    "optionally with k, M or G)", k->name, q);
			return -1;
		}
		if (!in_range(k, u)) {
			range_text(r, sizeof(r), k);
			report(x, "%s: %s is out of range (%s)", k->name, q, r);
			return -1;
		}
		memcpy(field, &u, sizeof(u));
		return 0;
	case K_DEDUP:
		if (strcmp(v, "auto") == 0) {
			t = -1;
			memcpy(field, &t, sizeof(t));
			return 0;
		}
		/* FALLTHROUGH */
	case K_DURATION:
		if (dr_parse_duration(v, &t) == -1) {
			report(x, "%s: %s is not a duration (seconds, or a "
			    "number with us, ms, s, m or h)%s", k->name, q,
			    k->kind == K_DEDUP ? ", or auto" : "");
			return -1;
		}
		if (!in_range(k, (uint64_t)t)) {
			range_text(r, sizeof(r), k);
			report(x, "%s: %s is out of range (%s)", k->name, q, r);
			return -1;
		}
		memcpy(field, &t, sizeof(t));
		return 0;
	case K_RATE:
		if (dr_parse_rate(v, &d) == -1) {
			report(x, "%s: %s is not a rate between 0%% and 100%%",
			    k->name, q);
			return -1;
		}
		if ((k->open & R_MIN_OPEN) && d <= 0.0) {
			report(x, "%s: %s must be above 0%%", k->name, q);
			return -1;
		}
		if ((k->open & R_MAX_OPEN) && d >= 1.0) {
			report(x, "%s: %s must be below 100%%", k->name, q);
			return -1;
		}
		memcpy(field, &d, sizeof(d));
		return 0;
	case K_BOOL:
		if (dr_parse_bool(v, &b) == -1) {
			report(x, "%s: %s is not a boolean (yes/no, "
			    "true/false, on/off, 1/0)", k->name, q);
			return -1;
		}
		memcpy(field, &b, sizeof(b));
		return 0;
	case K_ALERTS:
		if (dr_parse_alert_dest(v, &a) == -1) {
			report(x, "%s: %s is not one of journal, stderr, both",
			    k->name, q);
			return -1;
		}
		c->alerts = a;
		return 0;
	case K_RESOLVERS:
		return set_resolvers(c, x, k, v);
	case K_LISTEN:
		if (*v != '\0' && dr_parse_listen(v, NULL, 0, NULL) == -1) {
			report(x, "%s: %s is not ADDRESS:PORT (e.g. "
			    "127.0.0.1:9754 or [::1]:9754), or \"\" for off",
			    k->name, q);
			return -1;
		}
		return set_string(x, k, c->metrics_listen,
		    sizeof(c->metrics_listen), v);
	case K_RCODES:
		if (dr_parse_rcodes(v, &c->failure_rcodes) == -1) {
			report(x, "%s: %s is not a list of rcodes (names such "
			    "as SERVFAIL, REFUSED, NOTIMP, or numbers 0-15; "
			    "\"\" for none)", k->name, q);
			return -1;
		}
		return 0;
	}
	return -1;
}

static const char *const rcode_names[16] = {
	"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
	"YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE", "DSOTYPENI",
	NULL, NULL, NULL, NULL
};

int
dr_parse_rcodes(const char *s, uint16_t *out)
{
	char		 tok[16];
	const char	*start;
	uint16_t	 set = 0;
	uint64_t	 n;
	size_t		 len;
	int		 i;

	for (;;) {
		while (*s == ',' || is_ws(*s))
			s++;
		if (*s == '\0')
			break;
		start = s;
		while (*s != '\0' && *s != ',' && !is_ws(*s))
			s++;
		len = (size_t)(s - start);
		if (len >= sizeof(tok))
			return -1;
		memcpy(tok, start, len);
		tok[len] = '\0';
		for (i = 0; i < 16; i++)
			if (rcode_names[i] != NULL &&
			    strcasecmp(tok, rcode_names[i]) == 0)
				break;
		if (i == 16) {
			const char *e = parse_digits(tok, &n);

			if (e == NULL || *e != '\0' || n > 15)
				return -1;
			i = (int)n;
		}
		set |= (uint16_t)(1u << i);
	}
	*out = set;
	return 0;
}

void
dr_rcodes_format(uint16_t set, char *buf, size_t len)
{
	size_t	o = 0;
	int	i, n;

	if (len == 0)
		return;
	buf[0] = '\0';
	for (i = 0; i < 16; i++) {
		if ((set & (1u << i)) == 0)
			continue;
		if (rcode_names[i] != NULL)
			n = snprintf(buf + o, len - o, "%s%s", o ? " " : "",
			    rcode_names[i]);
		else
			n = snprintf(buf + o, len - o, "%s%d", o ? " " : "",
			    i);
		if (n < 0 || (size_t)n >= len - o)
			return;
		o += (size_t)n;
	}
}

int
dr_parse_listen(const char *s, char *addr, size_t addrlen, uint16_t *port)
{
	char		 buf[DR_ADDR_STRLEN + 8], *colon, *a = buf, *end;
	struct dr_addr	 da;
	unsigned long	 p;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	if ((colon = strrchr(buf, ':')) == NULL)
		return -1;
	*colon++ = '\0';
	if (buf[0] == '[') {
		/* [v6]:port, the only way to write a v6 address here. */
		if (colon - buf < 3 || colon[-2] != ']')
			return -1;
		colon[-2] = '\0';
		a = buf + 1;
		if (strchr(a, ':') == NULL)
			return -1;
	} else if (strchr(buf, ':') != NULL)
		return -1;
	if (dr_addr_parse(&da, a) == -1)
		return -1;
	if (*colon < '0' || *colon > '9')
		return -1;
	p = strtoul(colon, &end, 10);
	if (*end != '\0' || p == 0 || p > 65535)
		return -1;
	if (addr != NULL)
		snprintf(addr, addrlen, "%s", a);
	if (port != NULL)
		*port = (uint16_t)p;
	return 0;
}

static const struct key *
find_key(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < NKEYS; i++)
		if (strlen(keys[i].name) == len &&
		    memcmp(keys[i].name, s, len) == 0)
			return &keys[i];
	return NULL;
}

/*
 * One line, without its newline.  firstline is NULL for an override (no
 * duplicate check: overriding the file is the point), else it records
 * where each key was first set.
 */
static void
parse_line(struct dr_config *c, struct ctx *x, const char *line, size_t len,
    size_t *firstline)
{
	char			 buf[LINE_MAX_LEN + 1], val[LINE_MAX_LEN + 1];
	char			 q[QBUF];
	const struct key	*k;
	size_t			 i = 0, ks, kl, o = 0, idx;

	if (memchr(line, '\0', len) != NULL) {
		report(x, "NUL byte in line");
		return;
	}
	if (len > LINE_MAX_LEN) {
		report(x, "line longer than %d bytes", LINE_MAX_LEN);
		return;
	}
	memcpy(buf, line, len);
	buf[len] = '\0';

	while (is_ws(buf[i]))
		i++;
	if (buf[i] == '\0' || buf[i] == '#') {
		/* Blank is fine in a file, but "-o ''" sets nothing. */
		if (firstline == NULL)
			report(x, "expected \"key = value\"");
		return;
	}
	ks = i;
	while (buf[i] != '\0' && !is_ws(buf[i]) && buf[i] != '=' &&
	    buf[i] != '#' && buf[i] != '"')
		i++;
	kl = i - ks;
	while (is_ws(buf[i]))
		i++;
	if (kl == 0 || buf[i] != '=') {
		report(x, "expected \"key = value\"");
		return;
	}
	i++;
	if ((k = find_key(buf + ks, kl)) == NULL) {
		report(x, "unknown key %s", quote(q, sizeof(q), buf + ks, kl));
		return;
	}
	idx = (size_t)(k - keys);
	if (firstline != NULL) {
		if (c->seen & (1ULL << idx)) {
			report(x, "duplicate key \"%s\" (first set on line "
			    "%zu)", k->name, firstline[idx]);
			return;
		}
		c->seen |= 1ULL << idx;
		firstline[idx] = x->line;
	}

	while (is_ws(buf[i]))
		i++;
	if (buf[i] == '"') {
		/* Quoted: '#' is text; \" and \\ are the only escapes. */
		for (i++; buf[i] != '"'; i++) {
			if (buf[i] == '\0') {
				report(x, "%s: missing closing quote",
				    k->name);
				return;
			}
			if (buf[i] == '\\') {
				if (buf[i + 1] != '"' && buf[i + 1] != '\\') {
					report(x, "%s: unknown escape %s in "
					    "quoted value (only \\\" and \\\\)",
					    k->name, quote(q, sizeof(q),
					    buf + i, buf[i + 1] ? 2 : 1));
					return;
				}
				i++;
			}
			val[o++] = buf[i];
		}
		for (i++; is_ws(buf[i]); i++)
			;
		if (buf[i] != '\0' && buf[i] != '#') {
			report(x, "%s: unexpected text after the closing "
			    "quote", k->name);
			return;
		}
	} else {
		while (buf[i] != '\0' && buf[i] != '#')
			val[o++] = buf[i++];
		while (o > 0 && is_ws(val[o - 1]))
			o--;
	}
	val[o] = '\0';
	set_value(c, x, k, val);
}

int
dr_config_parse(struct dr_config *c, const char *buf, size_t len,
    const char *name, dr_config_error_fn fn, void *arg)
{
	struct ctx	 x = { fn, arg, name != NULL ? name : "config", 0, 0 };
	size_t		 firstline[NKEYS] = { 0 };
	const char	*p = buf, *end = buf + len, *nl;

	/* seen is about this file: an earlier parse is not a duplicate. */
	c->seen = 0;
	while (p < end) {
		x.line++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		parse_line(c, &x, p, (size_t)(nl - p), firstline);
		if (nl == end)
			break;
		p = nl + 1;
	}
	return x.nerr;
}

int
dr_config_load(struct dr_config *c, const char *path, dr_config_error_fn fn,
    void *arg)
{
	struct ctx	 x = { fn, arg, path, 0, 0 };
	char		*buf = NULL, *nbuf;
	size_t		 size = 0, len = 0;
	ssize_t		 n;
	int		 fd, rv, saved;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	for (;;) {
		if (len == size) {
			/* Read one byte past the limit to see it is passed. */
			if (size > FILE_MAX_LEN) {
				report(&x, "file is larger than %d bytes",
				    FILE_MAX_LEN);
				free(buf);
				close(fd);
				return x.nerr;
			}
			size = size == 0 ? 8192 : size * 2;
			if (size > FILE_MAX_LEN + 1)
				size = FILE_MAX_LEN + 1;
			if ((nbuf = realloc(buf, size)) == NULL)
				goto fail;
			buf = nbuf;
		}
		n = read(fd, buf + len, size - len);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	rv = dr_config_parse(c, buf, len, path, fn, arg);
	free(buf);
	return rv;

fail:
	saved = errno;
	free(buf);
	close(fd);
	errno = saved;
	return -1;
}

int
dr_config_override(struct dr_config *c, const char *kv, const char *origin,
    dr_config_error_fn fn, void *arg)
{
	struct ctx	x = { fn, arg, origin != NULL ? origin : "-o", 0, 0 };

	if (strchr(kv, '\n') != NULL) {
		report(&x, "expected \"key = value\" on one line");
		return 1;
	}
	parse_line(c, &x, kv, strlen(kv), NULL);
	return x.nerr;
}

int
dr_config_validate(const struct dr_config *c, const char *name,
    dr_config_error_fn fn, void *arg)
{
	struct ctx	x = { fn, arg, name != NULL ? name : "config", 0, 0 };
	char		a[32], b[32];

	if (c->clear_threshold >= c->threshold) {
		fmt_rate(a, sizeof(a), c->clear_threshold);
		fmt_rate(b, sizeof(b), c->threshold);
		report(&x, "clear_threshold (%s) must be below threshold (%s)",
		    a, b);
	}
	fmt_duration(a, sizeof(a), c->window);
	fmt_duration(b, sizeof(b), c->bucket);
	if (c->bucket <= 0 || c->window <= 0)
		report(&x, "window (%s) and bucket (%s) must be positive", a,
		    b);
	else if (c->bucket > c->window)
		report(&x, "bucket (%s) must not be longer than window (%s)",
		    b, a);
	else if (c->window % c->bucket != 0)
		report(&x, "window (%s) must be a whole multiple of bucket "
		    "(%s)", a, b);
	else if (c->window / c->bucket > DR_WINDOW_MAX_BUCKETS)
		report(&x, "window (%s) / bucket (%s) is %lld buckets, more "
		    "than %d", a, b, (long long)(c->window / c->bucket),
		    DR_WINDOW_MAX_BUCKETS);
	if (c->query_timeout >= c->window) {
		fmt_duration(b, sizeof(b), c->query_timeout);
		report(&x, "query_timeout (%s) must be shorter than window "
		    "(%s)", b, a);
	}
	if (c->match_window < c->query_timeout) {
		fmt_duration(a, sizeof(a), c->match_window);
		fmt_duration(b, sizeof(b), c->query_timeout);
		report(&x, "match_window (%s) must not be shorter than "
		    "query_timeout (%s)", a, b);
	}
	if (c->fast_window > c->window) {
		fmt_duration(a, sizeof(a), c->fast_window);
		fmt_duration(b, sizeof(b), c->window);
		report(&x, "fast_window (%s) must not be longer than window "
		    "(%s)", a, b);
	}
	return x.nerr;
}

int
dr_config_check_memory(const struct dr_config *c, uint64_t need,
    const char *name, dr_config_error_fn fn, void *arg)
{
	struct ctx	x = { fn, arg, name != NULL ? name : "config", 0, 0 };
	char		b[32];

	if (need <= c->memory_limit)
		return 0;
	fmt_size(b, sizeof(b), (int64_t)c->memory_limit);
	report(&x, "max_resolvers (%u) with %lld-bucket windows and "
	    "max_pending (%u) need %llu MiB of tables, more than memory_limit "
	    "(%s): lower them, or raise memory_limit", c->max_resolvers,
	    c->bucket > 0 ? (long long)(c->window / c->bucket) : 0LL,
	    c->max_pending, (unsigned long long)((need + (1 << 20) - 1) >> 20),
	    b);
	return x.nerr;
}
