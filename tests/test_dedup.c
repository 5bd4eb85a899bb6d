/*
 * test_dedup.c: a forwarded packet seen on two interfaces (before and
 * after NAT) is one packet; a packet sent again later is another.
 * Events come from real frames through dr_decode().
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "dedup.h"
#include "util_pkt.h"

#define MS	DR_MSEC
#define T0	(1767225600LL * DR_USEC)	/* 2026-01-01 */

/*
 * An event points into its frame: each gets its own buffer, so that two
 * stay valid side by side.
 */
static uint8_t	frames[4][PKT_MAX];
static int	nframe;

static uint8_t *
next_frame(void)
{
	return frames[nframe++ % 4];
}

/* One DNS message over UDP from src:sport to dst:dport, framed for dlt. */
static struct dr_event
udp_ev(int dlt, const char *src, uint16_t sport, const char *dst,
    uint16_t dport, uint16_t id, int qr, const char *qname, dr_time_t ts)
{
	uint8_t		 dns[512], ip[PKT_MAX];
	struct dr_addr	 s = pkt_addr(src), d = pkt_addr(dst);
	struct dr_event	 ev;
	uint8_t		*frame = next_frame();
	size_t		 dl, il, fl;

	dl = pkt_dns(dns, sizeof(dns), id, qr, 0, qname);
	il = pkt_ip_udp(ip, sizeof(ip), &s, sport, &d, dport, dns, dl);
	fl = pkt_link(frame, PKT_MAX, dlt, 0, ip, il);
	ck_assert_int_eq(dr_decode(dlt, frame, fl, fl, ts, &ev),
	    DR_DECODE_OK);
	return ev;
}

static struct dr_event
query(int dlt, const char *client, uint16_t port, uint16_t id,
    const char *qname, dr_time_t ts)
{
	return udp_ev(dlt, client, port, "203.0.113.2", 53, id, 0, qname, ts);
}

/* ICMP port unreachable from the resolver, quoting a query of client. */
static struct dr_event
unreach(int dlt, const char *client, uint16_t port, uint16_t id,
    dr_time_t ts)
{
	uint8_t		 dns[512], q[PKT_MAX], ip[PKT_MAX];
	struct dr_addr	 c = pkt_addr(client), r = pkt_addr("203.0.113.2");
	struct dr_event	 ev;
	uint8_t		*frame = next_frame();
	size_t		 dl, ql, il, fl;

	dl = pkt_dns(dns, sizeof(dns), id, 0, 0, "www.example.com");
	ql = pkt_ip_udp(q, sizeof(q), &c, port, &r, 53, dns, dl);
	il = pkt_ip_icmp_unreach(ip, sizeof(ip), &r, &c, 3, q, ql);
	fl = pkt_link(frame, PKT_MAX, dlt, 0, ip, il);
	ck_assert_int_eq(dr_decode(dlt, frame, fl, fl, ts, &ev),
	    DR_DECODE_OK);
	ck_assert_int_eq(ev.kind, DR_EV_UNREACH);
	return ev;
}

static struct dr_event
syn(const char *client, uint16_t port, dr_time_t ts)
{
	uint8_t		 ip[PKT_MAX];
	struct dr_addr	 c = pkt_addr(client), r = pkt_addr("203.0.113.2");
	struct dr_event	 ev;
	uint8_t		*frame = next_frame();
	size_t		 il, fl;

	il = pkt_ip_tcp(ip, sizeof(ip), &c, port, &r, 53, PKT_TH_SYN, NULL,
	    0);
	fl = pkt_link(frame, PKT_MAX, DR_DLT_EN10MB, 0, ip, il);
	ck_assert_int_eq(dr_decode(DR_DLT_EN10MB, frame, fl, fl, ts, &ev),
	    DR_DECODE_OK);
	ck_assert_int_eq(ev.kind, DR_EV_TCP_SYN);
	return ev;
}

static struct dr_dedup *
dnew(uint32_t slots, dr_time_t window)
{
	struct dr_dedup	*d = dr_dedup_new(slots, window, 12345);

	ck_assert_ptr_nonnull(d);
	return d;
}

/* Before NAT on the LAN (Ethernet), after it on the WAN (raw IP). */
START_TEST(test_nat_copy)
{
	struct dr_dedup	*d = dnew(1024, 10 * MS);
	struct dr_event	 lan, wan;

	lan = query(DR_DLT_EN10MB, "192.0.2.10", 40000, 0x1234,
	    "www.example.com", T0);
	wan = query(DR_DLT_RAW, "198.51.100.1", 61000, 0x1234,
	    "www.example.com", T0 + 80);
	ck_assert_int_eq(dr_dedup_seen(d, &lan), 0);
	ck_assert_int_eq(dr_dedup_seen(d, &wan), 1);
	/* The answer, both ways, is one answer too (and not the query). */
	lan = udp_ev(DR_DLT_RAW, "203.0.113.2", 53, "198.51.100.1", 61000,
	    0x1234, 1, "www.example.com", T0 + 5 * MS);
	wan = udp_ev(DR_DLT_LINUX_SLL, "203.0.113.2", 53, "192.0.2.10",
	    40000, 0x1234, 1, "www.example.com", T0 + 5 * MS + 60);
	ck_assert_int_eq(dr_dedup_seen(d, &lan), 0);
	ck_assert_int_eq(dr_dedup_seen(d, &wan), 1);
	dr_dedup_free(d);
}
END_TEST

/* Two capture handles hand over batches: the copy may come first. */
START_TEST(test_out_of_order)
{
	struct dr_dedup	*d = dnew(1024, 10 * MS);
	struct dr_event	 a, b;

	a = query(DR_DLT_EN10MB, "192.0.2.10", 40000, 7, "a.example", T0 +
	    40 * MS);
	b = query(DR_DLT_EN10MB, "198.51.100.1", 40000, 7, "a.example", T0 +
	    40 * MS - 200);
	ck_assert_int_eq(dr_dedup_seen(d, &a), 0);
	ck_assert_int_eq(dr_dedup_seen(d, &b), 1);
	dr_dedup_free(d);
}
END_TEST

START_TEST(test_different_is_new)
{
	struct dr_dedup	*d = dnew(1024, 10 * MS);
	struct dr_event	 ev;

	ev = query(DR_DLT_EN10MB, "192.0.2.10", 40000, 1, "a.example", T0);
	ck_assert_int_eq(dr_dedup_seen(d, &ev), 0);
	/* Another id, another name, another resolver: other packets. */
	ev = query(DR_DLT_EN10MB, "192.0.2.10", 40000, 2, "a.example", T0);
	ck_assert_int_eq(dr_dedup_seen(d, &ev), 0);
	ev = query(DR_DLT_EN10MB, "192.0.2.10", 40000, 1, "b.example", T0);
	ck_assert_int_eq(dr_dedup_seen(d, &ev), 0);
	ev = udp_ev(DR_DLT_EN10MB, "192.0.2.10", 40000, "203.0.113.3", 53,
	    1, 0, "a.example", T0);
	ck_assert_int_eq(dr_dedup_seen(d, &ev), 0);
	/* A query is not the answer that echoes it. */
	ev = udp_ev(DR_DLT_EN10MB, "203.0.113.2", 53, "192.0.2.10", 40000,
	    1, 1, "a.example", T0);
	ck_assert_int_eq(dr_dedup_seen(d, &ev), 0);
	dr_dedup_free(d);
}
END_TEST

/* A client asking again (same id and name) a second later: counted. */
START_TEST(test_later_is_new)
{
	struct dr_dedup	*d = dnew(1024, 10 * MS);
	struct dr_event	 ev;

	ev = query(DR_DLT_EN10MB, "192.0.2.10", 40000, 9, "a.example", T0);
	ck_assert_int_eq(dr_dedup_seen(d, &ev), 0);
	ev = query(DR_DLT_EN10MB, "192.0.2.10", 40000, 9, "a.example", T0 +
	    11 * MS);
	ck_assert_int_eq(dr_dedup_seen(d, &ev), 0);
	/* ... and its forwarded copy is a copy of the new one. */
	ev = query(DR_DLT_RAW, "198.51.100.1", 1024, 9, "a.example", T0 +
	    11 * MS + 50);
	ck_assert_int_eq(dr_dedup_seen(d, &ev), 1);
	ev = query(DR_DLT_EN10MB, "192.0.2.10", 40000, 9, "a.example", T0 +
	    DR_USEC);
	ck_assert_int_eq(dr_dedup_seen(d, &ev), 0);
	dr_dedup_free(d);
}
END_TEST

/* The ICMP error, translated back by NAT: the quote's client differs. */
START_TEST(test_icmp_copy)
{
	struct dr_dedup	*d = dnew(1024, 10 * MS);
	struct dr_event	 wan, lan, q;

	wan = unreach(DR_DLT_EN10MB, "198.51.100.1", 61000, 77, T0);
	lan = unreach(DR_DLT_EN10MB, "192.0.2.10", 40000, 77, T0 + 30);
	ck_assert_int_eq(dr_dedup_seen(d, &wan), 0);
	ck_assert_int_eq(dr_dedup_seen(d, &lan), 1);
	/* The query it quotes is not the error. */
	q = query(DR_DLT_EN10MB, "192.0.2.10", 40000, 77, "www.example.com",
	    T0 + 40);
	ck_assert_int_eq(dr_dedup_seen(d, &q), 0);
	dr_dedup_free(d);
}
END_TEST

/* No DNS bytes: only an exact copy (forwarding without NAT) matches. */
START_TEST(test_no_dns_exact_only)
{
	struct dr_dedup	*d = dnew(1024, 10 * MS);
	struct dr_event	 a, b;

	a = syn("192.0.2.10", 40000, T0);
	b = syn("192.0.2.10", 40000, T0 + 20);
	ck_assert_int_eq(dr_dedup_seen(d, &a), 0);
	ck_assert_int_eq(dr_dedup_seen(d, &b), 1);
	b = syn("192.0.2.11", 40000, T0 + 40);
	ck_assert_int_eq(dr_dedup_seen(d, &b), 0);
	b = syn("192.0.2.10", 40001, T0 + 60);
	ck_assert_int_eq(dr_dedup_seen(d, &b), 0);
	dr_dedup_free(d);
}
END_TEST

START_TEST(test_window_off)
{
	struct dr_dedup	*d = dnew(1024, 0);
	struct dr_event	 ev;

	ev = query(DR_DLT_EN10MB, "192.0.2.10", 40000, 3, "a.example", T0);
	ck_assert_int_eq(dr_dedup_seen(d, &ev), 0);
	ck_assert_int_eq(dr_dedup_seen(d, &ev), 0);
	dr_dedup_set_window(d, 5 * MS);
	ck_assert_int_eq(dr_dedup_seen(d, &ev), 0);
	ck_assert_int_eq(dr_dedup_seen(d, &ev), 1);
	dr_dedup_set_window(d, 0);
	ck_assert_int_eq(dr_dedup_seen(d, &ev), 0);
	/* No stamp: no judgement. */
	dr_dedup_set_window(d, 5 * MS);
	ev.ts = DR_TIME_LIMIT;
	ck_assert_int_eq(dr_dedup_seen(d, &ev), 0);
	ck_assert_int_eq(dr_dedup_seen(d, &ev), 0);
	dr_dedup_free(d);
}
END_TEST

/*
 * A small table under many distinct packets: it stays bounded (no
 * allocation after creation) and still finds copies of recent ones.
 */
START_TEST(test_bounded)
{
	struct dr_dedup	*d = dnew(64, 10 * MS);
	struct dr_event	 ev;
	uint16_t	 id;
	int		 found = 0;

	ck_assert_uint_eq(dr_dedup_size(64), dr_dedup_size(61));
	for (id = 0; id < 5000; id++) {
		ev = query(DR_DLT_EN10MB, "192.0.2.10", 40000, id, "a.example",
		    T0 + id);
		ck_assert_int_eq(dr_dedup_seen(d, &ev), 0);
		/* Its copy right after: always found. */
		ev = query(DR_DLT_RAW, "198.51.100.1", 50000, id, "a.example",
		    T0 + id + 1);
		ck_assert_int_eq(dr_dedup_seen(d, &ev), 1);
	}
	/* The last few, a while (in packets) later: most still there. */
	for (id = 4990; id < 5000; id++) {
		ev = query(DR_DLT_LINUX_SLL, "198.51.100.1", 50000, id,
		    "a.example", T0 + 5000);
		found += dr_dedup_seen(d, &ev);
	}
	ck_assert_int_ge(found, 5);
	dr_dedup_free(d);
}
END_TEST

/* IPv6, NAT66 or not: the same rule. */
START_TEST(test_ipv6)
{
	struct dr_dedup	*d = dnew(1024, 10 * MS);
	struct dr_event	 a, b;

	a = udp_ev(DR_DLT_EN10MB, "2001:db8:c::10", 40000, "2001:db8::2", 53,
	    0xbeef, 0, "v6.example", T0);
	b = udp_ev(DR_DLT_LINUX_SLL2, "2001:db8:1::1", 40000, "2001:db8::2",
	    53, 0xbeef, 0, "v6.example", T0 + 15);
	ck_assert_int_eq(dr_dedup_seen(d, &a), 0);
	ck_assert_int_eq(dr_dedup_seen(d, &b), 1);
	/* The same message to the IPv4 address of the resolver: another. */
	b = udp_ev(DR_DLT_EN10MB, "192.0.2.10", 40000, "203.0.113.2", 53,
	    0xbeef, 0, "v6.example", T0 + 20);
	ck_assert_int_eq(dr_dedup_seen(d, &b), 0);
	dr_dedup_free(d);
}
END_TEST

static Suite *
dedup_suite(void)
{
	Suite	*s = suite_create("dedup");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_nat_copy);
	tcase_add_test(tc, test_out_of_order);
	tcase_add_test(tc, test_different_is_new);
	tcase_add_test(tc, test_later_is_new);
	tcase_add_test(tc, test_icmp_copy);
	tcase_add_test(tc, test_no_dns_exact_only);
	tcase_add_test(tc, test_window_off);
	tcase_add_test(tc, test_bounded);
	tcase_add_test(tc, test_ipv6);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(dedup_suite());
	int	 nf;

	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
