/*
 * test_report.c: the incident report's writer (doc.c) and model
 * (report.c): escaping, wrapping, the two passes, and the bounds.
 *
 * Captures are lists of frames kept in memory and fed twice, as
 * daemon/report.c feeds a savefile: once through the engine (its alerts
 * to the report), once to the report.  tests/integration/t_report.sh
 * covers the daemon, golden files and the HTML.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "engine.h"
#include "report.h"
#include "util_pkt.h"

#define S	DR_USEC
#define T0	(1768397072LL * S)		/* 2026-01-14T13:24:32Z */
#define MAXF	200000

struct frame {
	dr_time_t	 ts;
	size_t		 len;
	uint8_t		*b;
};

struct capture {
	struct frame	*f;
	size_t		 n;
};

static struct capture	cap;

static void
cap_free(void)
{
	size_t	i;

	for (i = 0; i < cap.n; i++)
		free(cap.f[i].b);
	free(cap.f);
	memset(&cap, 0, sizeof(cap));
}

/* An IP packet into the capture, framed as Ethernet. */
static void
add(dr_time_t ts, const uint8_t *ip, size_t len)
{
	static uint8_t	frame[PKT_MAX];
	size_t		n;

	ck_assert_uint_gt(len, 0);
	if (cap.f == NULL)
		cap.f = calloc(MAXF, sizeof(*cap.f));
	ck_assert_ptr_nonnull(cap.f);
	ck_assert_uint_lt(cap.n, MAXF);
	n = pkt_link(frame, sizeof(frame), DR_DLT_EN10MB, 0, ip, len);
	ck_assert_uint_gt(n, 0);
	cap.f[cap.n].b = malloc(n);
	ck_assert_ptr_nonnull(cap.f[cap.n].b);
	memcpy(cap.f[cap.n].b, frame, n);
	cap.f[cap.n].len = n;
	cap.f[cap.n].ts = ts;
	cap.n++;
}

/* A query; its IP packet stays in *q for an ICMP error to quote. */
static size_t
query(dr_time_t ts, const char *client, uint16_t port, const char *res,
    uint16_t id, const char *name, uint8_t *q, size_t qcap)
{
	struct dr_addr	c = pkt_addr(client), r = pkt_addr(res);
	uint8_t		dns[512];
	size_t		dl, ql;

	dl = pkt_dns(dns, sizeof(dns), id, 0, 0, name);
	ql = pkt_ip_udp(q, qcap, &c, port, &r, 53, dns, dl);
	add(ts, q, ql);
	return ql;
}

static void
answer(dr_time_t ts, const char *client, uint16_t port, const char *res,
    uint16_t id, const char *name, int rcode)
{
	struct dr_addr	c = pkt_addr(client), r = pkt_addr(res);
	uint8_t		dns[512], ip[1024];
	size_t		dl;

	dl = pkt_dns(dns, sizeof(dns), id, 1, rcode, name);
	add(ts, ip, pkt_ip_udp(ip, sizeof(ip), &r, 53, &c, port, dns, dl));
}

static void
unreach(dr_time_t ts, const char *from, const char *client, uint8_t code,
    const uint8_t *q, size_t ql)
{
	struct dr_addr	f = pkt_addr(from), c = pkt_addr(client);
	uint8_t		ip[2048];

	add(ts, ip, pkt_ip_icmp_unreach(ip, sizeof(ip), &f, &c, code, q, ql));
}

/*
 * Both passes over the capture; extra alerts (made up) go to the report
 * before the engine's.  Returns the report, ready to write.
 */
static struct dr_report *
run(const struct dr_config *c, const struct dr_alert *extra, size_t nextra)
{
	struct dr_engine	*e;
	struct dr_report	*rp;
	struct dr_alert		 a;
	size_t			 i;

	e = dr_engine_new(c, 1);
	rp = dr_report_new(c, "test.pcap");
	ck_assert_ptr_nonnull(e);
	ck_assert_ptr_nonnull(rp);
	for (i = 0; i < nextra; i++)
		dr_report_alert(rp, &extra[i]);
	for (i = 0; i < cap.n; i++) {
		dr_engine_packet(e, DR_DLT_EN10MB, cap.f[i].b, cap.f[i].len,
		    cap.f[i].len, cap.f[i].ts);
		while (dr_engine_next_alert(e, &a))
			dr_report_alert(rp, &a);
	}
	dr_engine_finish(e);
	while (dr_engine_next_alert(e, &a))
		dr_report_alert(rp, &a);
	ck_assert_int_eq(dr_report_engine(rp, e, cap.n ? cap.f[0].ts :
	    INT64_MIN, cap.n ? cap.f[cap.n - 1].ts : INT64_MIN), 0);
	dr_engine_free(e);
	for (i = 0; i < cap.n && dr_report_wants_packets(rp); i++)
		dr_report_packet(rp, DR_DLT_EN10MB, cap.f[i].b, cap.f[i].len,
		    cap.f[i].len, cap.f[i].ts);
	dr_report_finish(rp);
	return rp;
}

/* The report as text (the caller frees). */
static char *
write_report(struct dr_report *rp, enum dr_doc_format fmt)
{
	char	*s = NULL;
	size_t	 n = 0;
	FILE	*f = open_memstream(&s, &n);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(dr_report_write(f, rp, fmt), 0);
	fclose(f);
	return s;
}

static size_t
count(const char *hay, const char *needle)
{
	size_t	n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

/* Whether text holds s once lines are joined (wrapping is the writer's). */
static int
has(const char *text, const char *s)
{
	char	*flat = strdup(text), *p;
	int	 r;

	ck_assert_ptr_nonnull(flat);
	for (p = flat; *p != '\0'; p++)
		if (*p == '\n' && p[1] != '\n' && p[1] != '\0' &&
		    p > flat && p[-1] != '\n')
			*p = ' ';
	r = strstr(flat, s) != NULL;
	if (!r)
		fprintf(stderr, "not found: %s\n", s);
	free(flat);
	return r;
}

static struct dr_alert
alert(enum dr_alert_event ev, const char *res, dr_time_t ts, dr_time_t since,
    enum dr_cause cause)
{
	struct dr_alert	a;

	memset(&a, 0, sizeof(a));
	a.event = ev;
	a.resolver = pkt_addr(res);
	a.ts = ts;
	a.since = since;
	a.cause = cause;
	a.detector = DR_DET_STREAK;
	a.queries = a.failures = 3;
	a.rate = 1.0;
	a.icmp_hops = -1;
	return a;
}

/* ---- doc.c ---- */

static char *
doc_sample(enum dr_doc_format fmt)
{
	static const char *const head[2] = { "Name", "Count" };
	struct dr_doc	*d;
	char		*s = NULL, word[80];
	size_t		 n = 0;
	FILE		*f = open_memstream(&s, &n);

	ck_assert_ptr_nonnull(f);
	d = dr_doc_new(f, fmt, "T <&>", "p{}\n");
	ck_assert_ptr_nonnull(d);
	dr_doc_heading(d, 2);
	dr_doc_text(d, "1. Not a *list*");
	dr_doc_para(d);
	dr_doc_text(d, "a*b_c [l](u) <b> x|y & `c` ~z ");
	dr_doc_wire(d, "a`b|c\001\xc3\xa9");
	dr_doc_text(d, " ");
	dr_doc_code(d, "ss -lunp 'sport = :53'");
	dr_doc_para(d);
	/* A 74-letter word, then "3. x": line 2 would start a list. */
	memset(word, 'w', 74);
	word[74] = '\0';
	dr_doc_text(d, "%s 3. x", word);
	dr_doc_item(d, 1);
	dr_doc_text(d, "one");
	dr_doc_item(d, 1);
	dr_doc_text(d, "two ");
	dr_doc_strong(d, 1);
	dr_doc_text(d, "bold");
	dr_doc_table(d, 2, head, "lr");
	dr_doc_row(d);
	dr_doc_cell(d);
	dr_doc_wire(d, "a|b");
	dr_doc_cell(d);
	dr_doc_text(d, "%d", 7);
	dr_doc_pre(d);
	dr_doc_line(d, "12:00 <x> \x07 \xe2\x80\x94 \xe2\x80\xae");
	ck_assert_int_eq(dr_doc_end(d), 0);
	fclose(f);
	return s;
}

START_TEST(test_doc_markdown)
{
	char	*s = doc_sample(DR_DOC_MARKDOWN);

	ck_assert_str_eq(s,
	    "## 1. Not a \\*list\\*\n"
	    "\n"
	    "a\\*b\\_c \\[l\\](u) \\<b\\> x\\|y \\& \\`c\\` \\~z "
	    "`a\\096b\\124c\\001\\195\\169`\n"
	    "`ss -lunp 'sport = :53'`\n"
	    "\n"
	    "wwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwww\n"
	    "3\\. x\n"
	    "\n"
	    "1. one\n"
	    "2. two **bold**\n"
	    "\n"
	    "| Name | Count |\n"
	    "|---|---:|\n"
	    "| `a\\124b` | 7 |\n"
	    "\n"
	    "    12:00 <x> \\007 \xe2\x80\x94 \\226\\128\\174\n");
	free(s);
}
END_TEST

START_TEST(test_doc_html)
{
	char	*s = doc_sample(DR_DOC_HTML);

	ck_assert_str_eq(s,
	    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<title>T &lt;&amp;&gt;</title>\n"
	    "<style>\np{}\n</style>\n</head>\n<body>\n"
	    "<h2>1. Not a *list*</h2>\n"
	    "<p>a*b_c [l](u) &lt;b&gt; x|y &amp; `c` ~z "
	    "<code>a`b|c\\001\\195\\169</code> "
	    "<code>ss -lunp &#39;sport = :53&#39;</code></p>\n"
	    "<p>wwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwww 3. x</p>\n"
	    "<ol>\n<li>one</li>\n<li>two <strong>bold</strong></li>\n</ol>\n"
	    "<table>\n<thead><tr><th>Name</th><th class=\"r\">Count</th>"
	    "</tr></thead>\n<tbody>\n<tr><td><code>a|b</code></td>"
	    "<td class=\"r\">7</td></tr>\n</tbody>\n</table>\n"
	    "<pre>12:00 &lt;x&gt; \\007 \xe2\x80\x94 \\226\\128\\174</pre>\n"
	    "</body>\n</html>\n");
	free(s);
}
END_TEST

/* A code span is never cut across lines, however long the paragraph. */
START_TEST(test_doc_wrap)
{
	struct dr_doc	*d;
	char		*s = NULL, *line, *save;
	size_t		 n = 0, i;
	FILE		*f = open_memstream(&s, &n);

	d = dr_doc_new(f, DR_DOC_MARKDOWN, "t", NULL);
	dr_doc_para(d);
	for (i = 0; i < 40; i++) {
		dr_doc_text(d, "word %zu and ", i);
		dr_doc_code(d, "a command with spaces");
		dr_doc_text(d, " then ");
	}
	ck_assert_int_eq(dr_doc_end(d), 0);
	fclose(f);
	for (line = strtok_r(s, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		ck_assert_uint_eq(count(line, "`") % 2, 0);
		ck_assert_msg(strlen(line) <= 76 || count(line, "`") > 0,
		    "%s", line);
		ck_assert_ptr_null(strchr(line, '\001'));
	}
	free(s);
}
END_TEST

START_TEST(test_doc_write_error)
{
	struct dr_doc	*d;
	FILE		*f = fopen("/dev/full", "w");

	if (f == NULL)
		return;		/* no /dev/full here */
	d = dr_doc_new(f, DR_DOC_HTML, "t", NULL);
	ck_assert_ptr_nonnull(d);
	dr_doc_para(d);
	dr_doc_text(d, "lost");
	ck_assert_int_eq(dr_doc_end(d), -1);
	fclose(f);
}
END_TEST

/* ---- report.c ---- */

/* The incident this project exists for, through the real engine. */
START_TEST(test_report_seed)
{
	static const dr_time_t	delay[3] = { 3905993, 16432117, 43871205 };
	struct dr_config	c;
	struct dr_report	*rp;
	uint8_t			 q[1024];
	char			*md, *html;
	size_t			 ql;
	int			 i;

	dr_config_defaults(&c);
	for (i = 0; i < 3; i++) {
		ql = query(T0 + 192571 + i * 120 * S, "192.51.100.15",
		    (uint16_t)(52444 + i), "203.0.113.2", (uint16_t)(35084 + i),
		    "yummyrecipesforme.com", q, sizeof(q));
		unreach(T0 + 192571 + i * 120 * S + delay[i], "203.0.113.2",
		    "192.51.100.15", 3, q, ql);
	}
	rp = run(&c, NULL, 0);
	md = write_report(rp, DR_DOC_MARKDOWN);
	/* The lead: when, which resolver, the cause and its evidence. */
	ck_assert_ptr_nonnull(strstr(md, "**From 13:24:32 UTC on 2026-01-14 "
	    "to the end of the capture at 13:29:16"));
	ck_assert(has(md, "every name lookup sent to the DNS resolver "
	    "203.0.113.2 failed: websites looked down to the one client "
	    "machine using it.** The most likely cause: the DNS service on "
	    "203.0.113.2 is not running, or not listening on port 53, since "
	    "203.0.113.2 itself answered the lookups with \"udp port 53 "
	    "unreachable\"."));
	ck_assert_ptr_nonnull(strstr(md, "### 203.0.113.2: DNS service not "
	    "listening"));
	ck_assert(has(md, "`yummyrecipesforme.com` (3 failed"));
	ck_assert(has(md, "`ss -lunp 'sport = :53'`"));
	ck_assert(has(md, "1 client machine (192.51.100.15)"));
	ck_assert(has(md, "all 3 lookups sent to it"));
	/* The evidence, as tcpdump prints it. */
	ck_assert_ptr_nonnull(strstr(md, "    13:24:32.192571 IP "
	    "192.51.100.15.52444 > 203.0.113.2.53: 35084+ A? "
	    "yummyrecipesforme.com. (39)\n    13:24:36.098564 IP 203.0.113.2 "
	    "> 192.51.100.15: ICMP 203.0.113.2 udp port 53 unreachable, "
	    "length 75\n"));
	ck_assert_ptr_nonnull(strstr(md, "| 2026-01-14 13:24:32 | 203.0.113.2 "
	    "| First failed lookup |"));
	ck_assert_ptr_nonnull(strstr(md, "| 2026-01-14 13:29:16 | 203.0.113.2 "
	    "| Still failing at the end of the capture |"));
	html = write_report(rp, DR_DOC_HTML);
	ck_assert_uint_eq(count(html, "<svg "), 1);
	ck_assert_uint_eq(count(html, "<script"), 0);
	ck_assert_uint_eq(count(html, "http"), 0);
	free(md);
	free(html);
	dr_report_free(rp);
	cap_free();
}
END_TEST

/* More failing resolvers than told in detail: a table says the rest. */
START_TEST(test_report_overflow)
{
	struct dr_alert		 v[20];
	struct dr_config	 c;
	struct dr_report	*rp;
	char			*md, res[32];
	uint8_t			 q[512];
	int			 i;

	dr_config_defaults(&c);
	for (i = 0; i < 20; i++) {
		snprintf(res, sizeof(res), "203.0.113.%d", 10 + i);
		v[i] = alert(DR_ALERT_FAILING, res, T0 + (10 + i) * S,
		    T0 + i * S, DR_CAUSE_FIREWALL);
		query(T0 + i * S, "192.0.2.1", 1000, res, 1, "a.example", q,
		    sizeof(q));
	}
	rp = run(&c, v, 20);
	md = write_report(rp, DR_DOC_MARKDOWN);
	ck_assert_uint_eq(count(md, ": blocked by a firewall\n"),
	    DR_REPORT_RESOLVERS);
	ck_assert_ptr_nonnull(strstr(md, "### More failing resolvers"));
	ck_assert_ptr_nonnull(strstr(md, "| 203.0.113.29 | 1 | "));
	ck_assert(has(md, "all 20 DNS resolvers seen had incidents"));
	free(md);
	dr_report_free(rp);
	cap_free();
}
END_TEST

/* More incidents of one resolver than told: counted, not lost. */
START_TEST(test_report_many_incidents)
{
	struct dr_alert		 v[2 * 10];
	struct dr_config	 c;
	struct dr_report	*rp;
	char			*md;
	int			 i;

	dr_config_defaults(&c);
	for (i = 0; i < 10; i++) {
		v[2 * i] = alert(DR_ALERT_FAILING, "203.0.113.2",
		    T0 + i * 600 * S + 5 * S, T0 + i * 600 * S,
		    DR_CAUSE_NOT_LISTENING);
		v[2 * i + 1] = alert(DR_ALERT_RECOVERED, "203.0.113.2",
		    T0 + i * 600 * S + 60 * S, T0 + i * 600 * S,
		    DR_CAUSE_NONE);
	}
	rp = run(&c, v, 20);
	md = write_report(rp, DR_DOC_MARKDOWN);
	ck_assert_ptr_nonnull(strstr(md, "### 203.0.113.2: 10 incidents"));
	ck_assert_uint_eq(count(md, "#### Incident "), DR_REPORT_EPISODES);
	ck_assert(has(md, "2 more incidents of 203.0.113.2 are not told"));
	ck_assert(has(md, "failed 10 times in this capture"));
	free(md);
	dr_report_free(rp);
	cap_free();
}
END_TEST

/* Three days of failing: a timeline of at most DR_REPORT_POINTS steps. */
START_TEST(test_report_long_timeline)
{
	struct dr_alert		 v[2];
	struct dr_config	 c;
	struct dr_report	*rp;
	uint8_t			 q[512];
	char			*html, *path;
	size_t			 ql, i;

	dr_config_defaults(&c);
	v[0] = alert(DR_ALERT_FAILING, "203.0.113.2", T0 + 10 * S, T0,
	    DR_CAUSE_NOT_LISTENING);
	v[1] = alert(DR_ALERT_RECOVERED, "203.0.113.2", T0 + 3 * 86400 * S,
	    T0, DR_CAUSE_NONE);
	for (i = 0; i < 3 * 144; i++) {
		ql = query(T0 + (dr_time_t)i * 600 * S, "192.0.2.7",
		    (uint16_t)(2000 + i), "203.0.113.2", (uint16_t)i,
		    "www.example.com", q, sizeof(q));
		unreach(T0 + (dr_time_t)i * 600 * S + 1000, "203.0.113.2",
		    "192.0.2.7", 3, q, ql);
	}
	query(T0 + 3 * 86400 * S + S, "192.0.2.7", 999, "203.0.113.2", 999,
	    "www.example.com", q, sizeof(q));
	answer(T0 + 3 * 86400 * S + S + 20000, "192.0.2.7", 999,
	    "203.0.113.2", 999, "www.example.com", 0);
	rp = run(&c, v, 2);
	html = write_report(rp, DR_DOC_HTML);
	/* 432 of 432 failed; the failures' line has one step per point. */
	ck_assert(has(html, "all 432 lookups sent to it"));
	ck_assert_ptr_nonnull(path = strstr(html, "stroke=\"#c0392b\""));
	ck_assert_uint_le(count(path, "H"), DR_REPORT_POINTS + 2);
	ck_assert_uint_ge(count(path, "H"), 100);
	ck_assert_ptr_nonnull(strstr(html, "averaged over 30 min"));
	ck_assert_ptr_nonnull(strstr(html, "The first answer after the "
	    "recovery"));
	free(html);
	dr_report_free(rp);
	cap_free();
}
END_TEST

/* Queries awaiting an outcome are bounded; the report says so. */
START_TEST(test_report_pending_bound)
{
	struct dr_alert		 v[1];
	struct dr_config	 c;
	struct dr_report	*rp;
	uint8_t			 q[512];
	char			*md, client[32];
	size_t			 i;

	dr_config_defaults(&c);
	v[0] = alert(DR_ALERT_FAILING, "203.0.113.2", T0 + 5 * S, T0,
	    DR_CAUSE_SILENT_DROP);
	for (i = 0; i < DR_REPORT_PENDING + 1000; i++) {
		snprintf(client, sizeof(client), "192.0.2.%zu", i % 200 + 1);
		query(T0 + (dr_time_t)i * 100, client, (uint16_t)(i / 200),
		    "203.0.113.2", (uint16_t)i, "www.example.com", q,
		    sizeof(q));
	}
	rp = run(&c, v, 1);
	md = write_report(rp, DR_DOC_MARKDOWN);
	ck_assert(has(md, "1000 queries were still waiting"));
	free(md);
	dr_report_free(rp);
	cap_free();
}
END_TEST

/* Names with markup stay inert in both forms. */
START_TEST(test_report_hostile_names)
{
	static const char *const names[] = {
		"<script>alert(1)</script>", "a|b", "`x`", "*_&_*"
	};
	struct dr_config	 c;
	struct dr_report	*rp;
	uint8_t			 q[1024];
	char			*md, *html, client[32];
	size_t			 ql;
	int			 i;

	dr_config_defaults(&c);
	for (i = 0; i < 12; i++) {
		snprintf(client, sizeof(client), "192.0.2.%d", 10 + i % 3);
		ql = query(T0 + i * 2 * S, client, (uint16_t)(4000 + i),
		    "203.0.113.2", (uint16_t)i, names[i % 4], q, sizeof(q));
		unreach(T0 + i * 2 * S + 2000, "203.0.113.2", client, 3, q,
		    ql);
	}
	rp = run(&c, NULL, 0);
	md = write_report(rp, DR_DOC_MARKDOWN);
	html = write_report(rp, DR_DOC_HTML);
	ck_assert_ptr_nonnull(strstr(md, "`\\060script\\062alert"));
	ck_assert_ptr_nonnull(strstr(md, "`a\\124b`"));
	ck_assert_ptr_null(strstr(md, "<script"));
	ck_assert_ptr_null(strstr(html, "<script"));
	ck_assert_ptr_null(strstr(html, "`x`"));
	ck_assert_ptr_null(strstr(md, "*_&_*"));
	free(md);
	free(html);
	dr_report_free(rp);
	cap_free();
}
END_TEST

START_TEST(test_report_quiet)
{
	struct dr_config	 c;
	struct dr_report	*rp;
	struct dr_addr		 a = pkt_addr("192.0.2.1");
	struct dr_addr		 b = pkt_addr("198.51.100.80");
	uint8_t			 ip[256], q[512];
	char			*md;
	int			 i;

	dr_config_defaults(&c);
	for (i = 0; i < 10; i++)
		add(T0 + i * S, ip, pkt_ip_tcp(ip, sizeof(ip), &a, 40000, &b,
		    443, PKT_TH_ACK, NULL, 0));
	rp = run(&c, NULL, 0);
	ck_assert_int_eq(dr_report_nothing(rp), 1);
	ck_assert_int_eq(dr_report_wants_packets(rp), 0);
	md = write_report(rp, DR_DOC_MARKDOWN);
	ck_assert(has(md, "**No DNS traffic in this capture: 10 packets,"));
	free(md);
	dr_report_free(rp);
	cap_free();

	for (i = 0; i < 5; i++) {
		query(T0 + i * S, "192.0.2.1", (uint16_t)(5000 + i),
		    "203.0.113.2", (uint16_t)i, "www.example.com", q,
		    sizeof(q));
		answer(T0 + i * S + 20000, "192.0.2.1", (uint16_t)(5000 + i),
		    "203.0.113.2", (uint16_t)i, "www.example.com", 0);
	}
	rp = run(&c, NULL, 0);
	ck_assert_int_eq(dr_report_nothing(rp), 0);
	md = write_report(rp, DR_DOC_MARKDOWN);
	ck_assert(has(md, "**No DNS failures in this capture: 5 queries to "
	    "1 resolver, all answered.**"));
	ck_assert_ptr_nonnull(strstr(md, "| 203.0.113.2 | 5 | 5 | 0 |"));
	free(md);
	dr_report_free(rp);
	cap_free();
}
END_TEST

START_TEST(test_report_format)
{
	enum dr_doc_format	f;

	ck_assert_int_eq(dr_report_format("markdown", &f), 0);
	ck_assert_int_eq(f, DR_DOC_MARKDOWN);
	ck_assert_int_eq(dr_report_format("html", &f), 0);
	ck_assert_int_eq(f, DR_DOC_HTML);
	ck_assert_int_eq(dr_report_format("pdf", &f), -1);
	ck_assert_int_eq(dr_report_format("", &f), -1);
}
END_TEST

static Suite *
report_suite(void)
{
	Suite	*s = suite_create("report");
	TCase	*tc;

	tc = tcase_create("doc");
	tcase_add_test(tc, test_doc_markdown);
	tcase_add_test(tc, test_doc_html);
	tcase_add_test(tc, test_doc_wrap);
	tcase_add_test(tc, test_doc_write_error);
	suite_add_tcase(s, tc);

	tc = tcase_create("report");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_report_seed);
	tcase_add_test(tc, test_report_overflow);
	tcase_add_test(tc, test_report_many_incidents);
	tcase_add_test(tc, test_report_long_timeline);
	tcase_add_test(tc, test_report_pending_bound);
	tcase_add_test(tc, test_report_hostile_names);
	tcase_add_test(tc, test_report_quiet);
	tcase_add_test(tc, test_report_format);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(report_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
