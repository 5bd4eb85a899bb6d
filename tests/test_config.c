/*
 * test_config.c: dnsreach.conf syntax, values, messages and checks.
 *
 * Run from the repository root: one test reads conf/dnsreach.conf.
 */
#include <sys/stat.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "window.h"

#define SHIPPED_CONF	"conf/dnsreach.conf"
#define NAME		"t.conf"
#define MAXMSG		64

struct errs {
	int	n;
	char	msg[MAXMSG][1100];
};

static void
collect(void *arg, const char *msg)
{
	struct errs	*e = arg;

	if (e->n < MAXMSG)
		snprintf(e->msg[e->n], sizeof(e->msg[0]), "%s", msg);
	e->n++;
}

static int
parse(struct dr_config *c, struct errs *e, const char *text)
{
	memset(e, 0, sizeof(*e));
	dr_config_defaults(c);
	return dr_config_parse(c, text, strlen(text), NAME, collect, e);
}

/* The text gives exactly one error, and it is msg. */
static void
expect_error(const char *text, const char *msg)
{
	struct dr_config	c;
	struct errs		e;
	int			n;

	n = parse(&c, &e, text);
	ck_assert_msg(n == 1 && e.n == 1, "%s: %d errors, want 1 (%s)", text,
	    n, e.n > 0 ? e.msg[0] : "none");
	ck_assert_str_eq(e.msg[0], msg);
}

/* Same config apart from the file's seen mask. */
static int
same_config(const struct dr_config *a, const struct dr_config *b)
{
	struct dr_config	x = *a, y = *b;

	x.seen = y.seen = 0;
	return memcmp(&x, &y, sizeof(x)) == 0;
}

static char *
read_text(const char *path, size_t *len)
{
	FILE	*f;
	char	*buf;
	long	 n;

	ck_assert_ptr_nonnull(f = fopen(path, "r"));
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	ck_assert_int_ge(n, 0);
	rewind(f);
	ck_assert_ptr_nonnull(buf = malloc((size_t)n + 1));
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

START_TEST(test_defaults)
{
	struct dr_config	c;

	memset(&c, 0xa5, sizeof(c));
	dr_config_defaults(&c);
	ck_assert_str_eq(c.interface, "");
	ck_assert_str_eq(c.filter, DR_DEFAULT_FILTER);
	ck_assert_uint_eq(c.snaplen, 1024);
	ck_assert_uint_eq(c.buffer_size, 4194304);
	ck_assert_int_eq(c.promiscuous, 0);
	ck_assert_int_eq(c.window, 20 * DR_USEC);
	ck_assert_int_eq(c.bucket, DR_USEC);
	ck_assert_double_eq(c.threshold, 0.5);
	ck_assert_double_eq(c.clear_threshold, 0.2);
	ck_assert_uint_eq(c.min_queries, 5);
	ck_assert_uint_eq(c.min_clients, 2);
	ck_assert_int_eq(c.fast_window, 1500000);
	ck_assert_double_eq(c.fast_threshold, 0.9);
	ck_assert_uint_eq(c.fail_streak, 3);
	ck_assert_int_eq(c.flap_window, 120 * DR_USEC);
	ck_assert_int_eq(c.idle_clear, 300 * DR_USEC);
	ck_assert_int_eq(c.slow_threshold, DR_USEC);
	/* SERVFAIL and REFUSED fail a query; NXDOMAIN is an answer. */
	ck_assert_uint_eq(c.failure_rcodes, (1u << 2) | (1u << 5));
	ck_assert_int_eq(c.realert_interval, 600 * DR_USEC);
	ck_assert_int_eq(c.query_timeout, 3 * DR_USEC);
	ck_assert_int_eq(c.match_window, 60 * DR_USEC);
	ck_assert_int_eq(c.count_timeouts, 1);
	ck_assert_int_eq(c.count_unmatched, 0);
	ck_assert_uint_eq(c.nresolvers, 0);
	ck_assert_uint_eq(c.max_resolvers, 4096);
	ck_assert_uint_eq(c.max_pending, 65536);
	ck_assert_int_eq(c.alerts, DR_ALERTS_JOURNAL);
	ck_assert_str_eq(c.user, "nobody");
	ck_assert_int_eq(c.allow_root, 0);
	ck_assert_int_eq(c.stats_interval, 0);
	ck_assert_uint_eq(c.seen, 0);
	ck_assert_int_eq(dr_config_validate(&c, NAME, NULL, NULL), 0);
}
END_TEST

START_TEST(test_every_key)
{
	static const char text[] =
	    "interface = eth0\n"
	    "filter = udp port 53 or icmp\n"
	    "snaplen = 2k\n"
	    "buffer_size = 16M\n"
	    "promiscuous = yes\n"
	    "window = 2m\n"
	    "bucket = 500ms\n"
	    "threshold = 75%\n"
	    "clear_threshold = 0.1\n"
	    "min_queries = 20\n"
	    "min_clients = 2\n"
	    "fast_window = 5s\n"
	    "fast_threshold = 95%\n"
	    "fail_streak = 4\n"
	    "flap_window = 10m\n"
	    "idle_clear = 1m\n"
	    "slow_threshold = 250ms\n"
	    "failure_rcodes = SERVFAIL, notimp 15\n"
	    "realert_interval = 1h\n"
	    "query_timeout = 1.5s\n"
	    "match_window = 90\n"
	    "count_timeouts = off\n"
	    "count_unmatched = true\n"
	    "resolvers = 203.0.113.2, 2001:db8::/32 198.51.100.0/24\n"
	    "max_resolvers = 100\n"
	    "max_pending = 1000\n"
	    "alerts = both\n"
	    "user = dnsreach\n"
	    "allow_root = 1\n"
	    "stats_interval = 30s\n"
	    "metrics_listen = [::1]:9754\n";
	struct dr_config	c;
	struct errs		e;
	char			buf[DR_ADDR_STRLEN];

	ck_assert_int_eq(parse(&c, &e, text), 0);
	ck_assert_int_eq(e.n, 0);
	ck_assert_str_eq(c.interface, "eth0");
	ck_assert_str_eq(c.filter, "udp port 53 or icmp");
	ck_assert_uint_eq(c.snaplen, 2048);
	ck_assert_uint_eq(c.buffer_size, 16 * 1024 * 1024);
	ck_assert_int_eq(c.promiscuous, 1);
	ck_assert_int_eq(c.window, 120 * DR_USEC);
	ck_assert_int_eq(c.bucket, 500000);
	ck_assert_double_eq(c.threshold, 0.75);
	ck_assert_double_eq(c.clear_threshold, 0.1);
	ck_assert_uint_eq(c.min_queries, 20);
	ck_assert_uint_eq(c.min_clients, 2);
	ck_assert_int_eq(c.fast_window, 5 * DR_USEC);
	ck_assert_double_eq(c.fast_threshold, 0.95);
	ck_assert_uint_eq(c.fail_streak, 4);
	ck_assert_int_eq(c.flap_window, 600 * DR_USEC);
	ck_assert_int_eq(c.idle_clear, 60 * DR_USEC);
	ck_assert_int_eq(c.slow_threshold, 250000);
	ck_assert_uint_eq(c.failure_rcodes, (1u << 2) | (1u << 4) |
	    (1u << 15));
	ck_assert_int_eq(c.realert_interval, 3600 * DR_USEC);
	ck_assert_int_eq(c.query_timeout, 1500000);
	ck_assert_int_eq(c.match_window, 90 * DR_USEC);
	ck_assert_int_eq(c.count_timeouts, 0);
	ck_assert_int_eq(c.count_unmatched, 1);
	ck_assert_uint_eq(c.nresolvers, 3);
	ck_assert_str_eq(dr_addr_format(&c.resolvers[0].addr, buf,
	    sizeof(buf)), "203.0.113.2");
	ck_assert_uint_eq(c.resolvers[0].len, 32);
	ck_assert_str_eq(dr_addr_format(&c.resolvers[1].addr, buf,
	    sizeof(buf)), "2001:db8::");
	ck_assert_uint_eq(c.resolvers[1].len, 32);
	ck_assert_str_eq(dr_addr_format(&c.resolvers[2].addr, buf,
	    sizeof(buf)), "198.51.100.0");
	ck_assert_uint_eq(c.resolvers[2].len, 24);
	ck_assert_uint_eq(c.max_resolvers, 100);
	ck_assert_uint_eq(c.max_pending, 1000);
	ck_assert_int_eq(c.alerts, DR_ALERTS_BOTH);
	ck_assert_str_eq(c.user, "dnsreach");
	ck_assert_int_eq(c.allow_root, 1);
	ck_assert_int_eq(c.stats_interval, 30 * DR_USEC);
	ck_assert_str_eq(c.metrics_listen, "[::1]:9754");
	/* Every key was set, so every bit of seen is. */
	ck_assert_uint_eq(c.seen, (1ULL << 31) - 1);
	ck_assert_int_eq(dr_config_validate(&c, NAME, NULL, NULL), 0);
}
END_TEST

/* Each key: a bad value, and the exact message that names it. */
static const struct {
	const char	*line;
	const char	*msg;
} bad_values[] = {
	{ "interface = eth0/1",
	  "interface: \"eth0/1\" is not an interface name (at most 15 bytes, "
	  "no '/')" },
	{ "interface = eth0, aaaaaaaaaaaaaaaa",
	  "interface: \"aaaaaaaaaaaaaaaa\" is not an interface name (at most "
	  "15 bytes, no '/')" },
	{ "interface = eth0 eth1 eth0",
	  "interface: \"eth0\" is named twice" },
	{ "interface = any, eth0",
	  "interface: \"any\" already captures on every interface: name it "
	  "alone" },
	{ "interface = a b c d e f g h i",
	  "interface: more than 8 interfaces" },
	{ "dedup_window = 2s",
	  "dedup_window: \"2s\" is out of range (0, or 1ms to 1s)" },
	{ "dedup_window = often",
	  "dedup_window: \"often\" is not a duration (seconds, or a number "
	  "with us, ms, s, m or h), or auto" },
	{ "memory_limit = 8M",
	  "memory_limit: \"8M\" is out of range (16M to 1024G)" },
	{ "filter = \"udp\tport 53\x01\"",
	  "filter: \"udp\\x09port 53\\x01\" contains a control character" },
	{ "snaplen = 64", "snaplen: \"64\" is out of range (128 to 256k)" },
	{ "snaplen = 1T",
	  "snaplen: \"1T\" is not a size (a number of bytes, optionally "
	  "with k, M or G)" },
	{ "snaplen = 257k",
	  "snaplen: \"257k\" is out of range (128 to 256k)" },
	{ "buffer_size = 1k",
	  "buffer_size: \"1k\" is out of range (0, or 64k to 1G)" },
	{ "buffer_size = 2G",
	  "buffer_size: \"2G\" is out of range (0, or 64k to 1G)" },
	{ "promiscuous = maybe",
	  "promiscuous: \"maybe\" is not a boolean (yes/no, true/false, "
	  "on/off, 1/0)" },
	{ "window = 0", "window: \"0\" is out of range (1s to 1h)" },
	{ "window = 61m", "window: \"61m\" is out of range (1s to 1h)" },
	{ "window = 5 s",
	  "window: \"5 s\" is not a duration (seconds, or a number with us, "
	  "ms, s, m or h)" },
	{ "bucket = 1ms", "bucket: \"1ms\" is out of range (10ms to 1h)" },
	{ "threshold = 150%",
	  "threshold: \"150%\" is not a rate between 0% and 100%" },
	{ "threshold = 0", "threshold: \"0\" must be above 0%" },
	{ "threshold = -0.5",
	  "threshold: \"-0.5\" is not a rate between 0% and 100%" },
	{ "clear_threshold = 100%",
	  "clear_threshold: \"100%\" must be below 100%" },
	{ "clear_threshold = half",
	  "clear_threshold: \"half\" is not a rate between 0% and 100%" },
	{ "min_queries = 0",
	  "min_queries: \"0\" is out of range (1 to 1000000)" },
	{ "min_queries = 1000001",
	  "min_queries: \"1000001\" is out of range (1 to 1000000)" },
	{ "min_queries = 5k", "min_queries: \"5k\" is not a whole number" },
	{ "min_clients = 0", "min_clients: \"0\" is out of range (1 to 4)" },
	{ "min_clients = 5", "min_clients: \"5\" is out of range (1 to 4)" },
	{ "fast_window = 50ms",
	  "fast_window: \"50ms\" is out of range (0, or 100ms to 1m)" },
	{ "fast_window = 61s",
	  "fast_window: \"61s\" is out of range (0, or 100ms to 1m)" },
	{ "fast_threshold = 0", "fast_threshold: \"0\" must be above 0%" },
	{ "fast_threshold = 101%",
	  "fast_threshold: \"101%\" is not a rate between 0% and 100%" },
	{ "fail_streak = 1",
	  "fail_streak: \"1\" is out of range (0, or 2 to 1000)" },
	{ "fail_streak = 1001",
	  "fail_streak: \"1001\" is out of range (0, or 2 to 1000)" },
	{ "flap_window = 500ms",
	  "flap_window: \"500ms\" is out of range (0, or 1s to 24h)" },
	{ "flap_window = 25h",
	  "flap_window: \"25h\" is out of range (0, or 1s to 24h)" },
	{ "idle_clear = 999ms",
	  "idle_clear: \"999ms\" is out of range (0, or 1s to 24h)" },
	{ "idle_clear = 2d",
	  "idle_clear: \"2d\" is not a duration (seconds, or a number with "
	  "us, ms, s, m or h)" },
	{ "slow_threshold = 999us",
	  "slow_threshold: \"999us\" is out of range (0, or 1ms to 1m)" },
	{ "slow_threshold = 61s",
	  "slow_threshold: \"61s\" is out of range (0, or 1ms to 1m)" },
	{ "failure_rcodes = FOO",
	  "failure_rcodes: \"FOO\" is not a list of rcodes (names such as "
	  "SERVFAIL, REFUSED, NOTIMP, or numbers 0-15; \"\" for none)" },
	{ "failure_rcodes = SERVFAIL 16",
	  "failure_rcodes: \"SERVFAIL 16\" is not a list of rcodes (names "
	  "such as SERVFAIL, REFUSED, NOTIMP, or numbers 0-15; \"\" for "
	  "none)" },
	{ "realert_interval = 500ms",
	  "realert_interval: \"500ms\" is out of range (0, or 1s to 24h)" },
	{ "realert_interval = 25h",
	  "realert_interval: \"25h\" is out of range (0, or 1s to 24h)" },
	{ "query_timeout = 50ms",
	  "query_timeout: \"50ms\" is out of range (100ms to 1m)" },
	{ "query_timeout = 61s",
	  "query_timeout: \"61s\" is out of range (100ms to 1m)" },
	{ "match_window = 2h",
	  "match_window: \"2h\" is out of range (100ms to 1h)" },
	{ "count_timeouts = 2",
	  "count_timeouts: \"2\" is not a boolean (yes/no, true/false, "
	  "on/off, 1/0)" },
	{ "count_unmatched = ",
	  "count_unmatched: \"\" is not a boolean (yes/no, true/false, "
	  "on/off, 1/0)" },
	{ "resolvers = 203.0.113.2, dns.example",
	  "resolvers: \"dns.example\" is not an IPv4 or IPv6 address or "
	  "prefix" },
	{ "resolvers = 192.0.2.0/33",
	  "resolvers: \"192.0.2.0/33\" is not an IPv4 or IPv6 address or "
	  "prefix" },
	{ "max_resolvers = 0",
	  "max_resolvers: \"0\" is out of range (1 to 1048576)" },
	{ "max_resolvers = -1",
	  "max_resolvers: \"-1\" is not a whole number" },
	{ "max_pending = 15",
	  "max_pending: \"15\" is out of range (16 to 16777216)" },
	{ "max_pending = 99999999999999999999",
	  "max_pending: \"99999999999999999999\" is not a whole number" },
	{ "alerts = syslog",
	  "alerts: \"syslog\" is not one of journal, stderr, both" },
	{ "user = root user",
	  "user: \"root user\" is not a user name or numeric uid" },
	{ "user = 4294967295",
	  "user: \"4294967295\" is not a user name or numeric uid" },
	{ "user = -root", "user: \"-root\" is not a user name or numeric uid" },
	{ "allow_root = nope",
	  "allow_root: \"nope\" is not a boolean (yes/no, true/false, "
	  "on/off, 1/0)" },
	{ "metrics_listen = 9754",
	  "metrics_listen: \"9754\" is not ADDRESS:PORT (e.g. 127.0.0.1:9754 "
	  "or [::1]:9754), or \"\" for off" },
	{ "metrics_listen = ::1:9754",
	  "metrics_listen: \"::1:9754\" is not ADDRESS:PORT (e.g. "
	  "127.0.0.1:9754 or [::1]:9754), or \"\" for off" },
	{ "metrics_listen = 127.0.0.1:0",
	  "metrics_listen: \"127.0.0.1:0\" is not ADDRESS:PORT (e.g. "
	  "127.0.0.1:9754 or [::1]:9754), or \"\" for off" },
	{ "metrics_listen = 127.0.0.1:65536",
	  "metrics_listen: \"127.0.0.1:65536\" is not ADDRESS:PORT (e.g. "
	  "127.0.0.1:9754 or [::1]:9754), or \"\" for off" },
	{ "metrics_listen = host:80",
	  "metrics_listen: \"host:80\" is not ADDRESS:PORT (e.g. "
	  "127.0.0.1:9754 or [::1]:9754), or \"\" for off" },
	{ "stats_interval = 1ms",
	  "stats_interval: \"1ms\" is out of range (0, or 1s to 24h)" },
	{ "stats_interval = 99999999999999999999h",
	  "stats_interval: \"99999999999999999999h\" is not a duration "
	  "(seconds, or a number with us, ms, s, m or h)" },
};

START_TEST(test_bad_value)
{
	struct dr_config	c, def;
	struct errs		e;
	char			text[256], want[1024];

	/* On line 3, after a comment and a blank line. */
	snprintf(text, sizeof(text), "# x\n\n%s\n",
	    bad_values[_i].line);
	snprintf(want, sizeof(want), NAME ":3: %s", bad_values[_i].msg);
	expect_error(text, want);

	/* A bad value changes nothing. */
	parse(&c, &e, text);
	dr_config_defaults(&def);
	ck_assert_msg(same_config(&c, &def), "%s changed the config", text);
}
END_TEST

START_TEST(test_syntax_errors)
{
	expect_error("window = 5s\nthreshold 0.5\n",
	    NAME ":2: expected \"key = value\"");
	expect_error("window\n", NAME ":1: expected \"key = value\"");
	expect_error("  = 5\n", NAME ":1: expected \"key = value\"");
	expect_error("\"window\" = 5\n", NAME ":1: expected \"key = value\"");
	expect_error("tresh = 0.5\n", NAME ":1: unknown key \"tresh\"");
	expect_error("Window = 5\n", NAME ":1: unknown key \"Window\"");
	expect_error("wi\xffn\x01 = 5\n",
	    NAME ":1: unknown key \"wi\\xffn\\x01\"");
	expect_error("\n\nwindow = 30s\nbucket = 1s\n# c\nwindow = 20s\n",
	    NAME ":6: duplicate key \"window\" (first set on line 3)");
	/* A first setting that was bad still counts as the first. */
	{
		struct dr_config	c;
		struct errs		e;

		ck_assert_int_eq(parse(&c, &e,
		    "window = 5x\nwindow = 5s\n"), 2);
		ck_assert_str_eq(e.msg[1], NAME ":2: duplicate key \"window\" "
		    "(first set on line 1)");
		ck_assert_int_eq(c.window, 20 * DR_USEC);
	}
}
END_TEST

START_TEST(test_comments_quotes)
{
	static const char text[] =
	    "# a comment\n"
	    "   # an indented comment\n"
	    "\n"
	    "   \t\n"
	    "\twindow=30s# no space needed\n"
	    "bucket\t=\t2s   \t\n"
	    "filter = \"udp port 53 # not a comment\"  # a comment\n"
	    "user = \"dns\\\\reach\"\n"
	    "interface = \"\"\n"
	    "alerts = stderr\r\n"
	    "threshold = 60%";		/* no final newline */
	struct dr_config	c;
	struct errs		e;

	ck_assert_int_eq(parse(&c, &e, text), 1);
	/* A backslash is not a user name, but it did get unescaped. */
	ck_assert_str_eq(e.msg[0], NAME ":8: user: \"dns\\\\reach\" is not a "
	    "user name or numeric uid");
	ck_assert_int_eq(c.window, 30 * DR_USEC);
	ck_assert_int_eq(c.bucket, 2 * DR_USEC);
	ck_assert_str_eq(c.filter, "udp port 53 # not a comment");
	ck_assert_str_eq(c.interface, "");
	ck_assert_int_eq(c.alerts, DR_ALERTS_STDERR);
	ck_assert_double_eq(c.threshold, 0.6);

	ck_assert_int_eq(parse(&c, &e,
	    "filter = \"a \\\"b\\\" \\\\ c\"\n"), 0);
	ck_assert_str_eq(c.filter, "a \"b\" \\ c");
	/* Unquoted, quotes are plain text. */
	ck_assert_int_eq(parse(&c, &e, "filter = a \"b\" c\n"), 0);
	ck_assert_str_eq(c.filter, "a \"b\" c");
	/* Quoted numbers work like unquoted ones. */
	ck_assert_int_eq(parse(&c, &e, "window = \"2m\"\n"), 0);
	ck_assert_int_eq(c.window, 120 * DR_USEC);
	/* An empty file, and one of comments only. */
	ck_assert_int_eq(parse(&c, &e, ""), 0);
	ck_assert_int_eq(parse(&c, &e, "#\n#\n\n"), 0);

	expect_error("filter = \"udp # x\n",
	    NAME ":1: filter: missing closing quote");
	expect_error("filter = \"udp\" x\n",
	    NAME ":1: filter: unexpected text after the closing quote");
	expect_error("filter = \"a\\nb\"\n",
	    NAME ":1: filter: unknown escape \"\\\\n\" in quoted value "
	    "(only \\\" and \\\\)");
	expect_error("filter = \"a\\",
	    NAME ":1: filter: unknown escape \"\\\\\" in quoted value "
	    "(only \\\" and \\\\)");
}
END_TEST

START_TEST(test_several_errors)
{
	static const char text[] =
	    "window = 30s\n"		/* 1 good */
	    "tresh = 0.5\n"		/* 2 unknown */
	    "threshold = 150%\n"	/* 3 bad value */
	    "min_queries = 10\n"	/* 4 good, still applied */
	    "bucket\n"			/* 5 no '=' */
	    "window = 20s\n"		/* 6 duplicate */
	    "alerts = both\n";		/* 7 good */
	struct dr_config	c;
	struct errs		e;

	ck_assert_int_eq(parse(&c, &e, text), 4);
	ck_assert_int_eq(e.n, 4);
	ck_assert_str_eq(e.msg[0], NAME ":2: unknown key \"tresh\"");
	ck_assert_str_eq(e.msg[1], NAME ":3: threshold: \"150%\" is not a "
	    "rate between 0% and 100%");
	ck_assert_str_eq(e.msg[2], NAME ":5: expected \"key = value\"");
	ck_assert_str_eq(e.msg[3], NAME ":6: duplicate key \"window\" "
	    "(first set on line 1)");
	ck_assert_int_eq(c.window, 30 * DR_USEC);
	ck_assert_uint_eq(c.min_queries, 10);
	ck_assert_int_eq(c.alerts, DR_ALERTS_BOTH);
	ck_assert_double_eq(c.threshold, 0.5);
}
END_TEST

START_TEST(test_lines)
{
	struct dr_config	 c;
	struct errs		 e;
	char			*text;
	size_t			 n;
	static const char	 nul[] =
	    "window = 5s\nbucket = 1\0s\nmin_queries = 9\n";

	/* A NUL byte spoils its own line only. */
	dr_config_defaults(&c);
	memset(&e, 0, sizeof(e));
	ck_assert_int_eq(dr_config_parse(&c, nul, sizeof(nul) - 1, NAME,
	    collect, &e), 1);
	ck_assert_str_eq(e.msg[0], NAME ":2: NUL byte in line");
	ck_assert_int_eq(c.window, 5 * DR_USEC);
	ck_assert_int_eq(c.bucket, DR_USEC);
	ck_assert_uint_eq(c.min_queries, 9);

	/* buf need not be NUL-terminated: only len bytes are read. */
	dr_config_defaults(&c);
	ck_assert_int_eq(dr_config_parse(&c, "window = 5sXX", 11, NAME,
	    collect, &e), 0);
	ck_assert_int_eq(c.window, 5 * DR_USEC);

	/* 4096 bytes is the longest line; one more is an error. */
	ck_assert_ptr_nonnull(text = malloc(8192));
	n = (size_t)snprintf(text, 8192, "window = 5s%*s", 4096 - 11, "#");
	ck_assert_uint_eq(n, 4096);
	ck_assert_int_eq(parse(&c, &e, text), 0);
	ck_assert_int_eq(c.window, 5 * DR_USEC);
	snprintf(text, 8192, "\nwindow = 5s%*s\nbucket = 2s\n", 4097 - 11,
	    "#");
	ck_assert_int_eq(parse(&c, &e, text), 1);
	ck_assert_str_eq(e.msg[0], NAME ":2: line longer than 4096 bytes");
	ck_assert_int_eq(c.window, 20 * DR_USEC);
	ck_assert_int_eq(c.bucket, 2 * DR_USEC);

	/* The longest filter fits; one byte more does not. */
	memcpy(text, "filter = ", 9);
	memset(text + 9, 'x', 1023);
	text[9 + 1023] = '\0';
	ck_assert_int_eq(parse(&c, &e, text), 0);
	ck_assert_uint_eq(strlen(c.filter), 1023);
	text[9 + 1023] = 'x';
	text[9 + 1024] = '\0';
	ck_assert_int_eq(parse(&c, &e, text), 1);
	ck_assert_ptr_nonnull(strstr(e.msg[0],
	    "...\" is too long (at most 1023 bytes)"));
	ck_assert_str_eq(c.filter, DR_DEFAULT_FILTER);
	free(text);
}
END_TEST

START_TEST(test_durations)
{
	static const struct {
		const char	*s;
		int		 ok;
		dr_time_t	 v;
	} t[] = {
		{ "0", 1, 0 },
		{ "5", 1, 5 * DR_USEC },
		{ "5s", 1, 5 * DR_USEC },
		{ "250ms", 1, 250000 },
		{ "100us", 1, 100 },
		{ "2m", 1, 120 * DR_USEC },
		{ "1h", 1, 3600 * DR_USEC },
		{ "1.5s", 1, 1500000 },
		{ "1.5", 1, 1500000 },
		{ "0.5ms", 1, 500 },
		{ "1.25h", 1, 4500 * DR_USEC },
		{ "007s", 1, 7 * DR_USEC },
		{ "1.0000001s", 1, 1000000 },	/* below 1us: dropped */
		{ "1.9us", 1, 1 },
		{ "9223372036854775807us", 1, INT64_MAX },
		{ "2562047788h", 1, 2562047788LL * 3600 * DR_USEC },
		{ "9223372036854775808us", 0, 0 },
		{ "2562047789h", 0, 0 },
		{ "2562047788.1h", 0, 0 },
		{ "99999999999999999999h", 0, 0 },
		{ "99999999999999999999", 0, 0 },
		{ "", 0, 0 },
		{ "-1", 0, 0 },
		{ "+1", 0, 0 },
		{ "5 s", 0, 0 },
		{ " 5s", 0, 0 },
		{ "5s ", 0, 0 },
		{ "5S", 0, 0 },
		{ "5sec", 0, 0 },
		{ "1d", 0, 0 },
		{ "ms", 0, 0 },
		{ ".5s", 0, 0 },
		{ "5.s", 0, 0 },
		{ "1e3", 0, 0 },
		{ "0x10", 0, 0 },
		{ "1.2.3", 0, 0 },
		{ "5ms5", 0, 0 },
	};
	size_t		i;
	dr_time_t	v;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		v = -42;
		ck_assert_msg(dr_parse_duration(t[i].s, &v) == (t[i].ok ? 0 :
		    -1), "\"%s\"", t[i].s);
		if (t[i].ok)
			ck_assert_msg(v == t[i].v, "\"%s\" = %lld", t[i].s,
			    (long long)v);
		else
			ck_assert_int_eq(v, -42);
	}
}
END_TEST

START_TEST(test_rates)
{
	static const struct {
		const char	*s;
		int		 ok;
		double		 v;
	} t[] = {
		{ "0", 1, 0.0 },
		{ "1", 1, 1.0 },
		{ "0.5", 1, 0.5 },
		{ "50%", 1, 0.5 },
		{ "12.5%", 1, 0.125 },
		{ "0%", 1, 0.0 },
		{ "100%", 1, 1.0 },
		{ "1.0", 1, 1.0 },
		{ "000.25", 1, 0.25 },
		{ "150%", 0, 0 },
		{ "1.5", 0, 0 },
		{ "100.001%", 0, 0 },
		{ "-0.1", 0, 0 },
		{ "", 0, 0 },
		{ "%", 0, 0 },
		{ "50 %", 0, 0 },
		{ "50%%", 0, 0 },
		{ ".5", 0, 0 },
		{ "nan", 0, 0 },
		{ "inf", 0, 0 },
		{ "0x1p-1", 0, 0 },
		{ "5e-1", 0, 0 },
		{ "99999999999999999999999", 0, 0 },
	};
	size_t	i;
	double	v, w;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		v = -1.0;
		ck_assert_msg(dr_parse_rate(t[i].s, &v) == (t[i].ok ? 0 : -1),
		    "\"%s\"", t[i].s);
		if (t[i].ok)
			ck_assert_msg(v == t[i].v, "\"%s\" = %g", t[i].s, v);
		else
			ck_assert_double_eq(v, -1.0);
	}
	/* The two spellings of a rate give the very same number. */
	ck_assert_int_eq(dr_parse_rate("20%", &v), 0);
	ck_assert_int_eq(dr_parse_rate("0.2", &w), 0);
	ck_assert(v == w && v == 0.2);
	ck_assert_int_eq(dr_parse_rate("33.3%", &v), 0);
	ck_assert_int_eq(dr_parse_rate("0.333", &w), 0);
	ck_assert(v == w && v == 0.333);
}
END_TEST

START_TEST(test_sizes)
{
	static const struct {
		const char	*s;
		int		 ok;
		uint64_t	 v;
	} t[] = {
		{ "0", 1, 0 },
		{ "1024", 1, 1024 },
		{ "4k", 1, 4096 },
		{ "4K", 1, 4096 },
		{ "4m", 1, 4194304 },
		{ "4M", 1, 4194304 },
		{ "1G", 1, 1073741824 },
		{ "1g", 1, 1073741824 },
		{ "18446744073709551615", 1, UINT64_MAX },
		{ "17179869183G", 1, 17179869183ULL << 30 },
		{ "18446744073709551616", 0, 0 },
		{ "17179869184G", 0, 0 },
		{ "", 0, 0 },
		{ "k", 0, 0 },
		{ "-1", 0, 0 },
		{ "1T", 0, 0 },
		{ "4kB", 0, 0 },
		{ "4KiB", 0, 0 },
		{ "4 k", 0, 0 },
		{ "1.5M", 0, 0 },
	};
	size_t		i;
	uint64_t	v;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		v = 42;
		ck_assert_msg(dr_parse_size(t[i].s, &v) == (t[i].ok ? 0 : -1),
		    "\"%s\"", t[i].s);
		ck_assert_msg(v == (t[i].ok ? t[i].v : 42), "\"%s\"", t[i].s);
	}
}
END_TEST

START_TEST(test_bools_alerts)
{
	static const char *const yes[] = { "yes", "true", "on", "1", "YES",
	    "True", "oN" };
	static const char *const no[] = { "no", "false", "off", "0", "No",
	    "FALSE", "Off" };
	static const char *const bad[] = { "", "2", "y", "n", "yess", "of",
	    "enable", " yes", "yes " };
	enum dr_alert_dest	d;
	size_t			i;
	int			b;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		b = -1;
		ck_assert_int_eq(dr_parse_bool(yes[i], &b), 0);
		ck_assert_int_eq(b, 1);
	}
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		b = -1;
		ck_assert_int_eq(dr_parse_bool(no[i], &b), 0);
		ck_assert_int_eq(b, 0);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		b = -1;
		ck_assert_msg(dr_parse_bool(bad[i], &b) == -1, "\"%s\"",
		    bad[i]);
		ck_assert_int_eq(b, -1);
	}

	ck_assert_int_eq(dr_parse_alert_dest("journal", &d), 0);
	ck_assert_int_eq(d, DR_ALERTS_JOURNAL);
	ck_assert_int_eq(dr_parse_alert_dest("stderr", &d), 0);
	ck_assert_int_eq(d, DR_ALERTS_STDERR);
	ck_assert_int_eq(dr_parse_alert_dest("both", &d), 0);
	ck_assert_int_eq(d, DR_ALERTS_BOTH);
	ck_assert_int_eq(dr_parse_alert_dest("Journal", &d), -1);
	ck_assert_int_eq(dr_parse_alert_dest("", &d), -1);
	ck_assert_int_eq(dr_parse_alert_dest("syslog", &d), -1);
	ck_assert_int_eq(d, DR_ALERTS_BOTH);
	ck_assert_str_eq(dr_alert_dest_name(DR_ALERTS_JOURNAL), "journal");
	ck_assert_str_eq(dr_alert_dest_name(DR_ALERTS_STDERR), "stderr");
	ck_assert_str_eq(dr_alert_dest_name(DR_ALERTS_BOTH), "both");
	ck_assert_str_eq(dr_alert_dest_name((enum dr_alert_dest)0),
	    "unknown");
}
END_TEST

START_TEST(test_rcodes)
{
	static const struct {
		const char	*s;
		int		 ok;
		uint16_t	 v;
	} t[] = {
		{ "", 1, 0 },
		{ " , ,", 1, 0 },
		{ "SERVFAIL", 1, 1u << 2 },
		{ "servfail", 1, 1u << 2 },
		{ "Refused", 1, 1u << 5 },
		{ "SERVFAIL,REFUSED", 1, (1u << 2) | (1u << 5) },
		{ "SERVFAIL REFUSED", 1, (1u << 2) | (1u << 5) },
		{ " SERVFAIL ,\tREFUSED, ", 1, (1u << 2) | (1u << 5) },
		{ "2 5", 1, (1u << 2) | (1u << 5) },
		{ "SERVFAIL 2", 1, 1u << 2 },
		{ "0", 1, 1u << 0 },
		{ "15", 1, 1u << 15 },
		{ "012", 1, 1u << 12 },
		{ "NOERROR FORMERR NXDOMAIN NOTIMP YXDOMAIN YXRRSET NXRRSET "
		  "NOTAUTH NOTZONE DSOTYPENI", 1, 0x0fdb },
		{ "16", 0, 0 },
		{ "-1", 0, 0 },
		{ "SERVFAILX", 0, 0 },
		{ "SERV FAIL", 0, 0 },
		{ "SERVFAIL;REFUSED", 0, 0 },
		{ "BADVERS", 0, 0 },
		{ "0x2", 0, 0 },
		{ "99999999999999999999", 0, 0 },
		{ "AVERYLONGRCODENAMEINDEED", 0, 0 },
	};
	char		buf[256];
	size_t		i;
	uint16_t	v;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		v = 0xbeef;
		ck_assert_msg(dr_parse_rcodes(t[i].s, &v) == (t[i].ok ? 0 :
		    -1), "\"%s\"", t[i].s);
		ck_assert_msg(v == (t[i].ok ? t[i].v : 0xbeef),
		    "\"%s\" = %#x", t[i].s, v);
	}
	/* Back to text: names where there are, numbers elsewhere. */
	dr_rcodes_format(0, buf, sizeof(buf));
	ck_assert_str_eq(buf, "");
	dr_rcodes_format((1u << 2) | (1u << 5), buf, sizeof(buf));
	ck_assert_str_eq(buf, "SERVFAIL REFUSED");
	dr_rcodes_format((1u << 0) | (1u << 12) | (1u << 15), buf,
	    sizeof(buf));
	ck_assert_str_eq(buf, "NOERROR 12 15");
	/* Every set reads back as itself. */
	for (i = 0; i <= 0xffff; i += 0x0101) {
		dr_rcodes_format((uint16_t)i, buf, sizeof(buf));
		ck_assert_int_eq(dr_parse_rcodes(buf, &v), 0);
		ck_assert_uint_eq(v, i);
	}
	dr_rcodes_format(0xffff, buf, sizeof(buf));
	ck_assert_int_eq(dr_parse_rcodes(buf, &v), 0);
	ck_assert_uint_eq(v, 0xffff);
	/* A short buffer stays a string. */
	dr_rcodes_format(0xffff, buf, 10);
	ck_assert_uint_lt(strlen(buf), 10);
	dr_rcodes_format(0xffff, buf, 0);
}
END_TEST

START_TEST(test_values_in_file)
{
	struct dr_config	c;
	struct errs		e;
	char			text[2048];
	size_t			i, o;

	/* Zero turns optional intervals off. */
	ck_assert_int_eq(parse(&c, &e, "realert_interval = 0\n"
	    "stats_interval = 0s\nbuffer_size = 0\n"), 0);
	ck_assert_int_eq(c.realert_interval, 0);
	ck_assert_int_eq(c.stats_interval, 0);
	ck_assert_uint_eq(c.buffer_size, 0);
	/* And the tests and states the new keys can leave out. */
	ck_assert_int_eq(parse(&c, &e, "fast_window = 0\nfail_streak = 0\n"
	    "flap_window = 0\nidle_clear = 0\nslow_threshold = 0\n"
	    "failure_rcodes = \"\"\n"), 0);
	ck_assert_int_eq(c.fast_window, 0);
	ck_assert_uint_eq(c.fail_streak, 0);
	ck_assert_int_eq(c.flap_window, 0);
	ck_assert_int_eq(c.idle_clear, 0);
	ck_assert_int_eq(c.slow_threshold, 0);
	ck_assert_uint_eq(c.failure_rcodes, 0);
	ck_assert_int_eq(dr_config_validate(&c, NAME, NULL, NULL), 0);
	/* Their bounds are allowed too. */
	ck_assert_int_eq(parse(&c, &e, "min_clients = 1\nfail_streak = 2\n"
	    "fast_window = 100ms\nflap_window = 1s\nidle_clear = 24h\n"
	    "slow_threshold = 1ms\nfast_threshold = 100%\n"), 0);
	ck_assert_uint_eq(c.min_clients, 1);
	ck_assert_uint_eq(c.fail_streak, 2);
	ck_assert_int_eq(c.fast_window, 100000);
	ck_assert_int_eq(c.flap_window, DR_USEC);
	ck_assert_int_eq(c.idle_clear, 24 * 3600 * DR_USEC);
	ck_assert_int_eq(c.slow_threshold, 1000);
	ck_assert_double_eq(c.fast_threshold, 1.0);
	ck_assert_int_eq(parse(&c, &e, "min_clients = 4\nfail_streak = 1000\n"
	    "window = 1m\nfast_window = 1m\nslow_threshold = 1m\n"
	    "flap_window = 24h\n"), 0);
	ck_assert_uint_eq(c.min_clients, 4);
	ck_assert_uint_eq(c.fail_streak, 1000);
	ck_assert_int_eq(c.fast_window, 60 * DR_USEC);
	ck_assert_int_eq(c.slow_threshold, 60 * DR_USEC);
	ck_assert_int_eq(c.flap_window, 24 * 3600 * DR_USEC);
	ck_assert_int_eq(dr_config_validate(&c, NAME, NULL, NULL), 0);
	/* The bounds themselves are allowed. */
	ck_assert_int_eq(parse(&c, &e, "snaplen = 128\nwindow = 1h\n"
	    "bucket = 10ms\nthreshold = 100%\nclear_threshold = 0\n"
	    "min_queries = 1000000\nquery_timeout = 100ms\n"
	    "match_window = 1h\nmax_resolvers = 1048576\n"
	    "max_pending = 16\nbuffer_size = 1G\n"), 0);
	ck_assert_uint_eq(c.snaplen, 128);
	ck_assert_double_eq(c.threshold, 1.0);
	ck_assert_double_eq(c.clear_threshold, 0.0);
	ck_assert_uint_eq(c.buffer_size, 1U << 30);
	ck_assert_int_eq(parse(&c, &e, "snaplen = 256k\n"), 0);
	ck_assert_uint_eq(c.snaplen, 262144);

	/* Users: names, numbers, nothing. */
	ck_assert_int_eq(parse(&c, &e, "user = _dnsreach\n"), 0);
	ck_assert_str_eq(c.user, "_dnsreach");
	ck_assert_int_eq(parse(&c, &e, "user = 65534\n"), 0);
	ck_assert_str_eq(c.user, "65534");
	ck_assert_int_eq(parse(&c, &e, "user = host$\n"), 0);
	ck_assert_int_eq(parse(&c, &e, "user = a.b-c_d\n"), 0);
	ck_assert_int_eq(parse(&c, &e, "user = x\nuser = \"\"\n"), 1);
	ck_assert_int_eq(parse(&c, &e, "user = \"\"\n"), 0);
	ck_assert_str_eq(c.user, "");
	ck_assert_int_eq(parse(&c, &e,
	    "user = abcdefghijabcdefghijabcdefghijabc\n"), 1);
	ck_assert_int_eq(parse(&c, &e, "user = a$b\n"), 1);
	ck_assert_int_eq(parse(&c, &e, "user = 12ab\n"), 1);

	/* Resolvers: empty means all; host bits go; the limit holds. */
	ck_assert_int_eq(parse(&c, &e, "resolvers = 192.0.2.77/24,,"
	    " ,2001:db8::1\n"), 0);
	ck_assert_uint_eq(c.nresolvers, 2);
	ck_assert_uint_eq(c.resolvers[0].addr.a[3], 0);
	ck_assert_uint_eq(c.resolvers[1].len, 128);
	ck_assert_int_eq(parse(&c, &e, "resolvers =\n"), 0);
	ck_assert_uint_eq(c.nresolvers, 0);
	o = (size_t)snprintf(text, sizeof(text), "resolvers =");
	for (i = 0; i < DR_CONF_MAX_RESOLVERS; i++)
		o += (size_t)snprintf(text + o, sizeof(text) - o,
		    " 192.0.2.%zu", i);
	ck_assert_int_eq(parse(&c, &e, text), 0);
	ck_assert_uint_eq(c.nresolvers, DR_CONF_MAX_RESOLVERS);
	snprintf(text + o, sizeof(text) - o, " 198.51.100.1");
	ck_assert_int_eq(parse(&c, &e, text), 1);
	ck_assert_str_eq(e.msg[0], NAME ":1: resolvers: more than 64 "
	    "addresses or prefixes");
	ck_assert_uint_eq(c.nresolvers, 0);
}
END_TEST

START_TEST(test_overrides)
{
	struct dr_config	c;
	struct errs		e;

	ck_assert_int_eq(parse(&c, &e, "window = 30s\nthreshold = 0.4\n"), 0);
	/* Overriding a key the file set is no duplicate; last one wins. */
	ck_assert_int_eq(dr_config_override(&c, "window=2m", "-o", collect,
	    &e), 0);
	ck_assert_int_eq(dr_config_override(&c, " window = 3m ", "-o",
	    collect, &e), 0);
	ck_assert_int_eq(c.window, 180 * DR_USEC);
	ck_assert_int_eq(dr_config_override(&c, "filter=\"port 53 # x\"",
	    "-o", collect, &e), 0);
	ck_assert_str_eq(c.filter, "port 53 # x");
	ck_assert_int_eq(dr_config_override(&c, "filter=icmp # x", "-o",
	    collect, &e), 0);
	ck_assert_str_eq(c.filter, "icmp");
	ck_assert_int_eq(dr_config_override(&c, "threshold=", "-o",
	    collect, &e), 1);
	ck_assert_int_eq(e.n, 1);
	ck_assert_str_eq(e.msg[0], "-o: threshold: \"\" is not a rate "
	    "between 0% and 100%");
	ck_assert_int_eq(dr_config_override(&c, "threshold=150%", "-o",
	    collect, &e), 1);
	ck_assert_str_eq(e.msg[1], "-o: threshold: \"150%\" is not a rate "
	    "between 0% and 100%");
	ck_assert_double_eq(c.threshold, 0.4);
	ck_assert_int_eq(dr_config_override(&c, "tresh=1", "-o", collect,
	    &e), 1);
	ck_assert_str_eq(e.msg[2], "-o: unknown key \"tresh\"");
	ck_assert_int_eq(dr_config_override(&c, "window", "-o", collect,
	    &e), 1);
	ck_assert_str_eq(e.msg[3], "-o: expected \"key = value\"");
	ck_assert_int_eq(dr_config_override(&c, "", "--alerts", collect,
	    &e), 1);
	ck_assert_str_eq(e.msg[4], "--alerts: expected \"key = value\"");
	ck_assert_int_eq(dr_config_override(&c, "window=1s\nbucket=1s",
	    "-o", collect, &e), 1);
	ck_assert_str_eq(e.msg[5], "-o: expected \"key = value\" on one "
	    "line");
	ck_assert_int_eq(c.bucket, DR_USEC);
	ck_assert_int_eq(e.n, 6);
	/* A NULL error function is fine: only the count is returned. */
	ck_assert_int_eq(dr_config_override(&c, "window=0", "-o", NULL,
	    NULL), 1);
	ck_assert_int_eq(c.window, 180 * DR_USEC);
	/* The file's seen mask is left as the file made it. */
	ck_assert_uint_eq(c.seen, (1U << 5) | (1U << 7));
}
END_TEST

/* Several interfaces, comma or space separated, kept as "a,b". */
START_TEST(test_interfaces)
{
	struct dr_config	c;
	struct errs		e;

	ck_assert_int_eq(parse(&c, &e, "interface = eth0, eth1  wg0\n"), 0);
	ck_assert_str_eq(c.interface, "eth0,eth1,wg0");
	ck_assert_int_eq(parse(&c, &e, "interface = \"any\"\n"), 0);
	ck_assert_str_eq(c.interface, "any");
	ck_assert_int_eq(parse(&c, &e,
	    "interface = a,b,c,d,e,f,g,aaaaaaaaaaaaaaa\n"), 0);
	ck_assert_str_eq(c.interface, "a,b,c,d,e,f,g,aaaaaaaaaaaaaaa");
	ck_assert_int_eq(dr_config_override(&c, "interface=ppp0 tun0", "-o",
	    collect, &e), 0);
	ck_assert_str_eq(c.interface, "ppp0,tun0");
	ck_assert_int_eq(dr_config_override(&c, "interface=", "-o",
	    collect, &e), 0);
	ck_assert_str_eq(c.interface, "");
}
END_TEST

START_TEST(test_dedup_memory_keys)
{
	struct dr_config	c;
	struct errs		e;

	dr_config_defaults(&c);
	ck_assert_int_eq(c.dedup_window, -1);
	ck_assert_uint_eq(c.memory_limit, 1024ULL * 1024 * 1024);
	ck_assert_int_eq(parse(&c, &e, "dedup_window = 5ms\n"
	    "memory_limit = 64G\n"), 0);
	ck_assert_int_eq(c.dedup_window, 5 * DR_MSEC);
	ck_assert_uint_eq(c.memory_limit, 64ULL * 1024 * 1024 * 1024);
	ck_assert_int_eq(parse(&c, &e, "dedup_window = 0\n"), 0);
	ck_assert_int_eq(c.dedup_window, 0);
	ck_assert_int_eq(parse(&c, &e, "dedup_window = auto\n"), 0);
	ck_assert_int_eq(c.dedup_window, -1);

	/* Over the budget: said, with what to change. */
	memset(&e, 0, sizeof(e));
	ck_assert_int_eq(parse(&c, &e, "max_resolvers = 1000000\n"
	    "window = 1h\nbucket = 1s\nmemory_limit = 1G\n"), 0);
	ck_assert_int_eq(dr_config_check_memory(&c, 1024ULL << 20, NAME,
	    collect, &e), 0);
	ck_assert_int_eq(dr_config_check_memory(&c, (1024ULL << 20) + 1,
	    NAME, collect, &e), 1);
	ck_assert_str_eq(e.msg[0], NAME ": max_resolvers (1000000) with "
	    "3600-bucket windows and max_pending (65536) need 1025 MiB of "
	    "tables, more than memory_limit (1G): lower them, or raise "
	    "memory_limit");
}
END_TEST

START_TEST(test_validate)
{
	struct dr_config	c;
	struct errs		e;

	memset(&e, 0, sizeof(e));
	ck_assert_int_eq(parse(&c, &e, "threshold = 30%\n"
	    "clear_threshold = 30%\n"), 0);
	ck_assert_int_eq(dr_config_validate(&c, NAME, collect, &e), 1);
	ck_assert_str_eq(e.msg[0], NAME ": clear_threshold (30%) must be "
	    "below threshold (30%)");

	ck_assert_int_eq(parse(&c, &e, "window = 10s\nbucket = 3s\n"), 0);
	ck_assert_int_eq(dr_config_validate(&c, NAME, collect, &e), 1);
	ck_assert_str_eq(e.msg[0], NAME ": window (10s) must be a whole "
	    "multiple of bucket (3s)");

	ck_assert_int_eq(parse(&c, &e, "window = 10s\nbucket = 20s\n"), 0);
	ck_assert_int_eq(dr_config_validate(&c, NAME, collect, &e), 1);
	ck_assert_str_eq(e.msg[0], NAME ": bucket (20s) must not be longer "
	    "than window (10s)");

	ck_assert_int_eq(parse(&c, &e, "window = 1h\nbucket = 500ms\n"), 0);
	ck_assert_int_eq(dr_config_validate(&c, NAME, collect, &e), 1);
	ck_assert_str_eq(e.msg[0], NAME ": window (1h) / bucket (500ms) is "
	    "7200 buckets, more than 3600");
	/* Exactly DR_WINDOW_MAX_BUCKETS is fine. */
	ck_assert_int_eq(parse(&c, &e, "window = 1h\nbucket = 1s\n"), 0);
	ck_assert_int_eq(DR_WINDOW_MAX_BUCKETS, 3600);
	ck_assert_int_eq(dr_config_validate(&c, NAME, collect, &e), 0);

	ck_assert_int_eq(parse(&c, &e, "query_timeout = 5s\n"
	    "match_window = 4s\n"), 0);
	ck_assert_int_eq(dr_config_validate(&c, NAME, collect, &e), 1);
	ck_assert_str_eq(e.msg[0], NAME ": match_window (4s) must not be "
	    "shorter than query_timeout (5s)");
	ck_assert_int_eq(parse(&c, &e, "query_timeout = 5s\n"
	    "match_window = 5s\n"), 0);
	ck_assert_int_eq(dr_config_validate(&c, NAME, collect, &e), 0);

	ck_assert_int_eq(parse(&c, &e, "window = 5s\nquery_timeout = 5s\n"),
	    0);
	ck_assert_int_eq(dr_config_validate(&c, NAME, collect, &e), 1);
	ck_assert_str_eq(e.msg[0], NAME ": query_timeout (5s) must be "
	    "shorter than window (5s)");

	/* The short window is part of the window. */
	ck_assert_int_eq(parse(&c, &e, "window = 10s\nfast_window = 11s\n"),
	    0);
	ck_assert_int_eq(dr_config_validate(&c, NAME, collect, &e), 1);
	ck_assert_str_eq(e.msg[0], NAME ": fast_window (11s) must not be "
	    "longer than window (10s)");
	ck_assert_int_eq(parse(&c, &e, "window = 10s\nfast_window = 10s\n"),
	    0);
	ck_assert_int_eq(dr_config_validate(&c, NAME, collect, &e), 0);
	/* The default fast_window against a short window. */
	ck_assert_int_eq(parse(&c, &e, "window = 1s\nquery_timeout = 500ms\n"
	    "match_window = 1s\n"), 0);
	ck_assert_int_eq(dr_config_validate(&c, NAME, collect, &e), 1);
	ck_assert_str_eq(e.msg[0], NAME ": fast_window (1500ms) must not be "
	    "longer than window (1s)");
	/*
	 * A threshold above fast_threshold is no error: the engine raises
	 * the fast path's bar to it (test_engine.c).
	 */
	ck_assert_int_eq(parse(&c, &e, "threshold = 95%\n"), 0);
	ck_assert_int_eq(dr_config_validate(&c, NAME, collect, &e), 0);
	ck_assert_int_eq(parse(&c, &e, "threshold = 60%\n"
	    "fast_threshold = 59%\n"), 0);
	ck_assert_int_eq(dr_config_validate(&c, NAME, collect, &e), 0);

	/* Everything wrong at once: every rule reports. */
	ck_assert_int_eq(parse(&c, &e, "window = 7s\nbucket = 2s\n"
	    "threshold = 0.1\nclear_threshold = 0.15\n"
	    "query_timeout = 10s\nmatch_window = 1500ms\n"), 0);
	ck_assert_int_eq(dr_config_validate(&c, NAME, collect, &e), 4);
	ck_assert_str_eq(e.msg[0], NAME ": clear_threshold (15%) must be "
	    "below threshold (10%)");
	ck_assert_str_eq(e.msg[1], NAME ": window (7s) must be a whole "
	    "multiple of bucket (2s)");
	ck_assert_str_eq(e.msg[2], NAME ": query_timeout (10s) must be "
	    "shorter than window (7s)");
	ck_assert_str_eq(e.msg[3], NAME ": match_window (1500ms) must not "
	    "be shorter than query_timeout (10s)");

	/* A struct filled by hand cannot make it divide by zero. */
	dr_config_defaults(&c);
	c.bucket = 0;
	ck_assert_int_eq(dr_config_validate(&c, NAME, NULL, NULL), 1);
}
END_TEST

static void
count_only(void *arg, const char *msg)
{
	(void)msg;
	(*(int *)arg)++;
}

START_TEST(test_load)
{
	struct dr_config	 c, d;
	struct errs		 e;
	char			 path[] = "/tmp/test_config.XXXXXX";
	char			*big;
	int			 fd, n = 0;
	size_t			 len, i;
	static const char	 text[] = "# round trip\nwindow = 2m\n"
	    "threshold = 90%\nresolvers = 2001:db8::53\n";

	dr_config_defaults(&c);
	errno = 0;
	ck_assert_int_eq(dr_config_load(&c, "/nonexistent/dnsreach.conf",
	    count_only, &n), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(n, 0);
	errno = 0;
	ck_assert_int_eq(dr_config_load(&c, "/tmp", count_only, &n), -1);
	ck_assert_int_eq(errno, EISDIR);
	ck_assert_int_eq(n, 0);

	ck_assert_int_ne(fd = mkstemp(path), -1);
	ck_assert_int_eq(write(fd, text, sizeof(text) - 1),
	    (ssize_t)sizeof(text) - 1);
	ck_assert_int_eq(close(fd), 0);
	dr_config_defaults(&c);
	memset(&e, 0, sizeof(e));
	ck_assert_int_eq(dr_config_load(&c, path, collect, &e), 0);
	ck_assert_int_eq(parse(&d, &e, text), 0);
	ck_assert(same_config(&c, &d));
	ck_assert_int_eq(c.window, 120 * DR_USEC);
	ck_assert_double_eq(c.threshold, 0.9);
	ck_assert_uint_eq(c.nresolvers, 1);

	/* Messages carry the path as given. */
	ck_assert_int_ne(fd = open(path, O_WRONLY | O_TRUNC), -1);
	ck_assert_int_eq(write(fd, "\nwindow = 2x\n", 13), 13);
	ck_assert_int_eq(close(fd), 0);
	memset(&e, 0, sizeof(e));
	ck_assert_int_eq(dr_config_load(&c, path, collect, &e), 1);
	ck_assert_ptr_eq(strstr(e.msg[0], path), e.msg[0]);
	ck_assert_str_eq(e.msg[0] + strlen(path), ":2: window: \"2x\" is "
	    "not a duration (seconds, or a number with us, ms, s, m or h)");

	/* 1 MiB of comments is fine; a byte more is refused. */
	len = 1024 * 1024;
	ck_assert_ptr_nonnull(big = malloc(len));
	memset(big, '#', len);
	for (i = 63; i < len; i += 64)
		big[i] = '\n';
	ck_assert_int_ne(fd = open(path, O_WRONLY | O_TRUNC), -1);
	ck_assert_int_eq(write(fd, big, len), (ssize_t)len);
	ck_assert_int_eq(close(fd), 0);
	memset(&e, 0, sizeof(e));
	ck_assert_int_eq(dr_config_load(&c, path, collect, &e), 0);
	ck_assert_int_ne(fd = open(path, O_WRONLY | O_APPEND), -1);
	ck_assert_int_eq(write(fd, "#", 1), 1);
	ck_assert_int_eq(close(fd), 0);
	ck_assert_int_eq(dr_config_load(&c, path, collect, &e), 1);
	ck_assert_int_eq(e.n, 1);
	ck_assert_str_eq(e.msg[0] + strlen(path),
	    ": file is larger than 1048576 bytes");
	free(big);
	ck_assert_int_eq(unlink(path), 0);
}
END_TEST

START_TEST(test_shipped_conf)
{
	struct dr_config	 c, def;
	struct errs		 e;
	char			*text, *p, *q;
	size_t			 len, nkeys = 0;

	dr_config_defaults(&def);
	dr_config_defaults(&c);
	memset(&e, 0, sizeof(e));
	ck_assert_int_eq(dr_config_load(&c, SHIPPED_CONF, collect, &e), 0);
	ck_assert_int_eq(e.n, 0);
	ck_assert(same_config(&c, &def));

	/*
	 * The commented-out lines are the defaults: uncommented, the file
	 * must still give the defaults, and name every key once.
	 */
	text = read_text(SHIPPED_CONF, &len);
	for (p = text, q = text; *p != '\0'; p++) {
		if (*p == '#' && (p == text || p[-1] == '\n') &&
		    p[1] >= 'a' && p[1] <= 'z')
			continue;
		*q++ = *p;
	}
	*q = '\0';
	dr_config_defaults(&c);
	ck_assert_int_eq(dr_config_parse(&c, text, strlen(text),
	    SHIPPED_CONF, collect, &e), 0);
	ck_assert_msg(e.n == 0, "%s", e.msg[0]);
	ck_assert(same_config(&c, &def));
	for (; c.seen != 0; c.seen &= c.seen - 1)
		nkeys++;
	ck_assert_uint_eq(nkeys, 33);
	ck_assert_int_eq(dr_config_validate(&c, SHIPPED_CONF, collect, &e),
	    0);
	free(text);
}
END_TEST

START_TEST(test_quoting_in_messages)
{
	char	text[256], want[256];

	/* Long values are cut; odd bytes are escaped. */
	snprintf(text, sizeof(text), "window = 1%069d\n", 0);
	snprintf(want, sizeof(want), NAME ":1: window: \"1%063d...\" is not "
	    "a duration (seconds, or a number with us, ms, s, m or h)", 0);
	expect_error(text, want);
	expect_error("alerts = \"a\\\"\\\\\xc3\xa9\"\n", NAME ":1: alerts: "
	    "\"a\\\"\\\\\\xc3\\xa9\" is not one of journal, stderr, both");
}
END_TEST

static Suite *
config_suite(void)
{
	Suite	*s = suite_create("config");
	TCase	*tc;

	tc = tcase_create("values");
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_durations);
	tcase_add_test(tc, test_rates);
	tcase_add_test(tc, test_sizes);
	tcase_add_test(tc, test_bools_alerts);
	tcase_add_test(tc, test_rcodes);
	suite_add_tcase(s, tc);

	tc = tcase_create("parse");
	tcase_add_test(tc, test_every_key);
	tcase_add_loop_test(tc, test_bad_value, 0,
	    sizeof(bad_values) / sizeof(bad_values[0]));
	tcase_add_test(tc, test_syntax_errors);
	tcase_add_test(tc, test_comments_quotes);
	tcase_add_test(tc, test_several_errors);
	tcase_add_test(tc, test_lines);
	tcase_add_test(tc, test_values_in_file);
	tcase_add_test(tc, test_quoting_in_messages);
	tcase_add_test(tc, test_overrides);
	tcase_add_test(tc, test_validate);
	tcase_add_test(tc, test_interfaces);
	tcase_add_test(tc, test_dedup_memory_keys);
	suite_add_tcase(s, tc);

	tc = tcase_create("files");
	tcase_add_test(tc, test_load);
	tcase_add_test(tc, test_shipped_conf);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 nfail;

	sr = srunner_create(config_suite());
	srunner_run_all(sr, CK_NORMAL);
	nfail = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nfail == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
