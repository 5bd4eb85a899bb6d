/*
 * test_pktline.c: packets in tcpdump's words (dr_pktline), the decoder
 * fields they need (l4_len, tcp_flags), and names at any offset
 * (dr_dns_name).  tests/integration/t_report.sh compares whole captures
 * with the real tcpdump.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "dns.h"
#include "pktline.h"
#include "util_pkt.h"

#define T_SEED	(1768397072LL * DR_USEC + 192571)	/* 13:24:32.192571 */

static struct dr_addr	client, resolver, client6, resolver6;

static void
setup(void)
{
	client = pkt_addr("192.51.100.15");
	resolver = pkt_addr("203.0.113.2");
	client6 = pkt_addr("2001:db8:1::a");
	resolver6 = pkt_addr("2001:db8::2");
}

/* Decode a raw IP packet (DLT 12) into *ev; its line into line. */
static enum dr_decode_result
line_of(const uint8_t *ip, size_t caplen, size_t len, dr_time_t ts,
    struct dr_event *ev, char *line, size_t linelen)
{
	enum dr_decode_result	r;

	r = dr_decode(DR_DLT_RAW, ip, caplen, len, ts, ev);
	if (r == DR_DECODE_OK)
		dr_pktline(ev, line, linelen);
	return r;
}

static int
printable(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return 0;
	return 1;
}

START_TEST(test_seed_lines)
{
	uint8_t		dns[512], q[1024], ip[1024];
	char		line[DR_PKTLINE_MAX];
	struct dr_event	ev;
	size_t		dl, ql, il;

	dl = pkt_dns(dns, sizeof(dns), 35084, 0, 0, "yummyrecipesforme.com");
	ql = pkt_ip_udp(q, sizeof(q), &client, 52444, &resolver, 53, dns, dl);
	ck_assert_int_eq(line_of(q, ql, ql, T_SEED, &ev, line, sizeof(line)),
	    DR_DECODE_OK);
	ck_assert_uint_eq(ev.l4_len, 8 + dl);
	ck_assert_str_eq(line, "13:24:32.192571 IP 192.51.100.15.52444 > "
	    "203.0.113.2.53: 35084+ A? yummyrecipesforme.com. (39)");

	il = pkt_ip_icmp_unreach(ip, sizeof(ip), &resolver, &client, 3, q,
	    ql);
	ck_assert_int_eq(line_of(ip, il, il, T_SEED + 3905993, &ev, line,
	    sizeof(line)), DR_DECODE_OK);
	ck_assert_uint_eq(ev.l4_len, 8 + ql);
	ck_assert_str_eq(line, "13:24:36.098564 IP 203.0.113.2 > "
	    "192.51.100.15: ICMP 203.0.113.2 udp port 53 unreachable, "
	    "length 75");

	/* The router's errors name what it could not reach. */
	il = pkt_ip_icmp_unreach(ip, sizeof(ip), &client6 /* any */,
	    &client, 13, q, ql);
	ck_assert_uint_eq(il, 0);	/* families must agree */
}
END_TEST

START_TEST(test_icmp6_and_extension_headers)
{
	uint8_t		dns[512], q[1024], icmp[1024], ip[1200];
	char		line[DR_PKTLINE_MAX];
	struct dr_event	ev;
	size_t		dl, ql, il, n;

	dl = pkt_dns(dns, sizeof(dns), 7, 0, 0, "www.example.com");
	ql = pkt_ip_udp(q, sizeof(q), &client6, 20000, &resolver6, 53, dns,
	    dl);
	il = pkt_ip_icmp_unreach(icmp, sizeof(icmp), &resolver6, &client6, 4,
	    q, ql);
	ck_assert_int_eq(line_of(icmp, il, il, 0, &ev, line, sizeof(line)),
	    DR_DECODE_OK);
	ck_assert_str_eq(line, "00:00:00.000000 IP6 2001:db8::2 > "
	    "2001:db8:1::a: ICMP6, destination unreachable, unreachable "
	    "port, 2001:db8::2 udp port 53, length 89");

	/*
	 * The same ICMPv6 message behind an 8-byte hop-by-hop header: the
	 * length is the ICMPv6 message's, not the IPv6 payload's.
	 */
	memset(ip + 40, 0, 8);
	ip[40] = 58;				/* next header: ICMPv6 */
	n = il - 40;
	memcpy(ip + 48, icmp + 40, n);
	n = pkt_ip6(ip, sizeof(ip), &resolver6, &client6, 0, ip + 40, n + 8);
	ck_assert_uint_gt(n, 0);
	ck_assert_int_eq(line_of(ip, n, n, 0, &ev, line, sizeof(line)),
	    DR_DECODE_OK);
	ck_assert_uint_eq(ev.l4_len, il - 40);
	ck_assert_ptr_nonnull(strstr(line, ", length 89"));
}
END_TEST

START_TEST(test_answers)
{
	uint8_t		dns[512], ip[1024];
	char		line[DR_PKTLINE_MAX];
	struct dr_event	ev;
	size_t		dl, il;

	/* An A answer whose owner points at the question. */
	dl = pkt_dns(dns, sizeof(dns), 1063, 1, 0, "mail.example.org");
	pkt_put16(dns + 6, 1);
	memcpy(dns + dl, "\xc0\x0c\x00\x01\x00\x01\x00\x00\x01\x2c\x00\x04"
	    "\xc6\x33\x64\x49", 16);
	dl += 16;
	il = pkt_ip_udp(ip, sizeof(ip), &resolver, 53, &client, 54438, dns,
	    dl);
	ck_assert_int_eq(line_of(ip, il, il, 0, &ev, line, sizeof(line)),
	    DR_DECODE_OK);
	ck_assert_str_eq(line, "00:00:00.000000 IP 203.0.113.2.53 > "
	    "192.51.100.15.54438: 1063 1/0/0 A 198.51.100.73 (50)");

	/*
	 * Cut by the snap length inside the answer's data, then before its
	 * length: tcpdump's truncation mark, and its silence.
	 */
	ck_assert_int_eq(line_of(ip, il - 2, il, 0, &ev, line, sizeof(line)),
	    DR_DECODE_OK);
	ck_assert_str_eq(line, "00:00:00.000000 IP 203.0.113.2.53 > "
	    "192.51.100.15.54438: 1063 1/0/0 A [|domain]");
	ck_assert_int_eq(line_of(ip, il - 6, il, 0, &ev, line, sizeof(line)),
	    DR_DECODE_OK);
	ck_assert_str_eq(line, "00:00:00.000000 IP 203.0.113.2.53 > "
	    "192.51.100.15.54438: 1063 1/0/0 (50)");

	/* SERVFAIL and REFUSED, as the incident evidence shows them. */
	dl = pkt_dns(dns, sizeof(dns), 5736, 1, 2, "host9.example.com");
	il = pkt_ip_udp(ip, sizeof(ip), &resolver, 53, &client, 20009, dns,
	    dl);
	line_of(ip, il, il, 0, &ev, line, sizeof(line));
	ck_assert_ptr_nonnull(strstr(line, ": 5736 ServFail 0/0/0 (35)"));
	dl = pkt_dns(dns, sizeof(dns), 5737, 1, 5, "host9.example.com");
	il = pkt_ip_udp(ip, sizeof(ip), &resolver, 53, &client, 20009, dns,
	    dl);
	line_of(ip, il, il, 0, &ev, line, sizeof(line));
	ck_assert_ptr_nonnull(strstr(line, ": 5737 Refused 0/0/0 (35)"));
}
END_TEST

START_TEST(test_tcp)
{
	uint8_t		ip[256];
	char		line[DR_PKTLINE_MAX];
	struct dr_event	ev;
	size_t		il;

	il = pkt_ip_tcp(ip, sizeof(ip), &resolver, 53, &client, 20010,
	    PKT_TH_RST | PKT_TH_ACK, NULL, 0);
	ck_assert_int_eq(line_of(ip, il, il, 0, &ev, line, sizeof(line)),
	    DR_DECODE_OK);
	ck_assert_int_eq(ev.kind, DR_EV_TCP_RESET);
	ck_assert_uint_eq(ev.tcp_flags, PKT_TH_RST | PKT_TH_ACK);
	ck_assert_uint_eq(ev.l4_len, 20);
	ck_assert_str_eq(line, "00:00:00.000000 IP 203.0.113.2.53 > "
	    "192.51.100.15.20010: Flags [R.]");
}
END_TEST

START_TEST(test_hostile_names)
{
	static const char	*names[] = {
		"<script>x</script>", "a|b", "`x`", "*_&_*", "[x](y)",
		"\"q\""
	};
	uint8_t			dns[512], ip[1024];
	char			line[DR_PKTLINE_MAX];
	struct dr_event		ev;
	size_t			i, dl, il;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		dl = pkt_dns(dns, sizeof(dns), 1, 0, 0, names[i]);
		il = pkt_ip_udp(ip, sizeof(ip), &client, 1024, &resolver, 53,
		    dns, dl);
		ck_assert_int_eq(line_of(ip, il, il, 0, &ev, line,
		    sizeof(line)), DR_DECODE_OK);
		ck_assert(printable(line));
		/* The name, between "A? " and " (": no markup left. */
		ck_assert_ptr_nonnull(strstr(line, "A? "));
		ck_assert_msg(strpbrk(strstr(line, "A? "), "<>|`*&[]\"") ==
		    NULL, "%s", line);
	}
	/* A control byte and a high byte inside a label. */
	dl = pkt_dns(dns, sizeof(dns), 1, 0, 0, "abc.example");
	dns[13] = 0x07;
	dns[14] = 0xe9;
	il = pkt_ip_udp(ip, sizeof(ip), &client, 1024, &resolver, 53, dns, dl);
	line_of(ip, il, il, 0, &ev, line, sizeof(line));
	ck_assert_ptr_nonnull(strstr(line, "A? \\007\\233c.example. ("));
}
END_TEST

START_TEST(test_small_buffer)
{
	uint8_t		dns[512], ip[1024];
	char		line[DR_PKTLINE_MAX], small[40];
	struct dr_event	ev;
	size_t		dl, il, n, k;

	dl = pkt_dns(dns, sizeof(dns), 1, 0, 0, "www.example.com");
	il = pkt_ip_udp(ip, sizeof(ip), &client, 1024, &resolver, 53, dns, dl);
	ck_assert_int_eq(line_of(ip, il, il, 0, &ev, line, sizeof(line)),
	    DR_DECODE_OK);
	for (k = 5; k <= sizeof(small); k++) {
		memset(small, 'Z', sizeof(small));
		n = dr_pktline(&ev, small, k);
		ck_assert_uint_lt(n, k);
		ck_assert_uint_eq(strlen(small), n);
		ck_assert_str_eq(small + n - 3, "...");
		ck_assert(strncmp(small, line, n - 3) == 0);
	}
	ck_assert_uint_eq(dr_pktline(&ev, small, 4), 0);
}
END_TEST

/* Whatever the bytes, a line is printable and fits. */
START_TEST(test_random)
{
	uint8_t		dns[512], ip[1024];
	char		line[64];
	struct dr_event	ev;
	size_t		dl, il, i, j;
	uint32_t	x = 2463534242u;

	for (i = 0; i < 20000; i++) {
		dl = pkt_dns(dns, sizeof(dns), 1, i & 1, 0, "www.example.com");
		for (j = 2; j < dl + 40 && j < sizeof(dns); j++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			if (j >= dl || x % 4 == 0)
				dns[j] = (uint8_t)(x >> 8);
		}
		dl += x % 40;
		il = pkt_ip_udp(ip, sizeof(ip), (i & 1) ? &resolver : &client,
		    (i & 1) ? 53 : 1024, (i & 1) ? &client : &resolver,
		    (i & 1) ? 1024 : 53, dns, dl);
		if (line_of(ip, il, il, (dr_time_t)x * 1000 - 4000000000000LL,
		    &ev, line, sizeof(line)) != DR_DECODE_OK)
			continue;
		ck_assert_uint_lt(strlen(line), sizeof(line));
		ck_assert(printable(line));
	}
}
END_TEST

START_TEST(test_dns_name)
{
	uint8_t	m[256];
	char	out[DR_DNS_NAMEBUF];
	size_t	n, next = 0;

	/* Question www.example.com at 12, then c0 10 (-> example.com). */
	n = pkt_dns(m, sizeof(m), 1, 1, 0, "www.example.com");
	ck_assert_int_eq(dr_dns_name(m, n, 12, out, sizeof(out), &next), 15);
	ck_assert_str_eq(out, "www.example.com");
	ck_assert_uint_eq(next, 12 + 17);
	m[n] = 0x03;
	memcpy(m + n + 1, "ftp\xc0\x10", 5);
	ck_assert_int_eq(dr_dns_name(m, n + 6, n, out, sizeof(out), &next),
	    15);
	ck_assert_str_eq(out, "ftp.example.com");
	ck_assert_uint_eq(next, n + 6);
	/* A pointer to itself or forwards: refused. */
	m[n] = 0xc0;
	m[n + 1] = (uint8_t)n;
	ck_assert_int_eq(dr_dns_name(m, n + 2, n, out, sizeof(out), NULL),
	    -1);
	ck_assert_str_eq(out, "");
	m[n + 1] = (uint8_t)(n + 2);
	m[n + 2] = 0;
	ck_assert_int_eq(dr_dns_name(m, n + 3, n, out, sizeof(out), NULL),
	    -1);
	/* Past the end, or no message. */
	ck_assert_int_eq(dr_dns_name(m, n, n, out, sizeof(out), NULL), -1);
	ck_assert_int_eq(dr_dns_name(NULL, 0, 0, out, sizeof(out), NULL), -1);
	/* The qname is the name at 12. */
	ck_assert_int_eq(dr_dns_qname(m, n, out, sizeof(out)), 15);
	ck_assert_str_eq(out, "www.example.com");
}
END_TEST

static Suite *
pktline_suite(void)
{
	Suite	*s = suite_create("pktline");
	TCase	*tc;

	tc = tcase_create("lines");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_seed_lines);
	tcase_add_test(tc, test_icmp6_and_extension_headers);
	tcase_add_test(tc, test_answers);
	tcase_add_test(tc, test_tcp);
	tcase_add_test(tc, test_hostile_names);
	tcase_add_test(tc, test_small_buffer);
	tcase_add_test(tc, test_random);
	suite_add_tcase(s, tc);

	tc = tcase_create("names");
	tcase_add_test(tc, test_dns_name);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(pktline_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
