/*
 * test_dns.c: first question names and rcode classes.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dns.h"
#include "util_pkt.h"

/* A header with qdcount 1, then wire[0..n) at offset 12. */
static size_t
msg(uint8_t *out, const uint8_t *wire, size_t n)
{
	static const uint8_t	hdr[12] = {
		0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0,
	};

	memcpy(out, hdr, sizeof(hdr));
	if (n > 0)
		memcpy(out + 12, wire, n);
	return 12 + n;
}

/* dr_dns_qname() on a heap copy of exactly len bytes. */
static int
qname(const uint8_t *m, size_t len, char *out, size_t outlen)
{
	uint8_t	*b;
	int	 r;

	b = malloc(len == 0 ? 1 : len);
	ck_assert_ptr_nonnull(b);
	memcpy(b, m, len);
	r = dr_dns_qname(b, len, out, outlen);
	free(b);
	if (r == -1 && outlen > 0)
		ck_assert_str_eq(out, "");
	if (r >= 0)
		ck_assert_uint_eq(strlen(out), (size_t)r);
	return r;
}

START_TEST(test_plain)
{
	static const char	*names[] = {
		"www.example.com", "a", "example", "x-y_z.0-9.AbC",
		"a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p",
	};
	uint8_t			m[512];
	char			out[DR_DNS_NAMEBUF];
	size_t			i, n;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		n = pkt_dns(m, sizeof(m), 1, 0, 0, names[i]);
		ck_assert_uint_gt(n, 0);
		ck_assert_int_eq(qname(m, n, out, sizeof(out)),
		    (int)strlen(names[i]));
		ck_assert_str_eq(out, names[i]);
		/* Only the name needs to be there, not qtype and qclass. */
		ck_assert_int_eq(qname(m, n - 4, out, sizeof(out)),
		    (int)strlen(names[i]));
		/* One byte short of the terminating zero. */
		ck_assert_int_eq(qname(m, n - 5, out, sizeof(out)), -1);
	}
}
END_TEST

START_TEST(test_root)
{
	uint8_t	m[64];
	char	out[8];
	size_t	n;

	n = pkt_dns(m, sizeof(m), 1, 0, 0, ".");
	ck_assert_uint_eq(n, 12 + 1 + 4);
	ck_assert_int_eq(qname(m, n, out, sizeof(out)), 1);
	ck_assert_str_eq(out, ".");
	ck_assert_int_eq(qname(m, n, out, 2), 1);
	ck_assert_int_eq(qname(m, n, out, 1), -1);
	ck_assert_int_eq(qname(m, 12, out, sizeof(out)), -1);
}
END_TEST

START_TEST(test_short_or_empty)
{
	uint8_t	m[64];
	char	out[64];
	size_t	n;

	n = pkt_dns(m, sizeof(m), 1, 0, 0, "example");
	ck_assert_int_eq(qname(m, 11, out, sizeof(out)), -1);
	ck_assert_int_eq(qname(m, 0, out, sizeof(out)), -1);
	ck_assert_int_eq(dr_dns_qname(NULL, 0, out, sizeof(out)), -1);
	ck_assert_str_eq(out, "");
	/* No question at all. */
	m[5] = 0;
	ck_assert_int_eq(qname(m, n, out, sizeof(out)), -1);
	/* No room even for "": nothing written. */
	out[0] = 'x';
	ck_assert_int_eq(dr_dns_qname(m, n, out, 0), -1);
	ck_assert_int_eq(out[0], 'x');
}
END_TEST

START_TEST(test_compression)
{
	/*
	 * The first name starts at 12, so a backward pointer lands in the
	 * header: flags 0x0363 and qdcount "om" spell \003com, ancount's
	 * high byte ends the name.
	 */
	static const uint8_t	back[] = {
		0x12, 0x34, 0x03, 'c', 'o', 'm', 0x00, 0x00, 0, 0, 0, 0,
		7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0xc0, 0x02,
	};
	/* As above, but the end of "com" points to 0: "x" then "com". */
	static const uint8_t	loop[] = {
		0x01, 'x', 0x03, 'c', 'o', 'm', 0xc0, 0x00, 0, 0, 0, 0,
		0xc0, 0x02,
	};
	/* A pointer to 0 reading "x" then the root at 2. */
	static const uint8_t	twice[] = {
		0x01, 'x', 0x00, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0,
		1, 'a', 0xc0, 0x00,
	};
	uint8_t			m[64];
	char			out[64];
	size_t			n;

	ck_assert_int_eq(qname(back, sizeof(back), out, sizeof(out)), 11);
	ck_assert_str_eq(out, "example.com");
	/* The pointer's second byte is missing. */
	ck_assert_int_eq(qname(back, sizeof(back) - 1, out, sizeof(out)),
	    -1);
	ck_assert_int_eq(qname(loop, sizeof(loop), out, sizeof(out)), -1);
	/* qdcount of twice is 1 and the first name is "a.x". */
	ck_assert_int_eq(qname(twice, sizeof(twice), out, sizeof(out)), 3);
	ck_assert_str_eq(out, "a.x");

	/* Self pointer, forward pointer, pointer back onto the name. */
	n = msg(m, (const uint8_t *)"\xc0\x0c", 2);
	ck_assert_int_eq(qname(m, n, out, sizeof(out)), -1);
	n = msg(m, (const uint8_t *)"\xc0\x10\x00\x01\x00\x01\x00", 7);
	ck_assert_int_eq(qname(m, n, out, sizeof(out)), -1);
	n = msg(m, (const uint8_t *)"\x01\x61\xc0\x0c", 4);
	ck_assert_int_eq(qname(m, n, out, sizeof(out)), -1);
	n = msg(m, (const uint8_t *)"\x01\x61\xc0\x0d", 4);
	ck_assert_int_eq(qname(m, n, out, sizeof(out)), -1);
	/* A pointer past the end of the message. */
	n = msg(m, (const uint8_t *)"\xff\xff", 2);
	ck_assert_int_eq(qname(m, n, out, sizeof(out)), -1);
}
END_TEST

START_TEST(test_label_types)
{
	uint8_t	m[128];
	char	out[64];
	size_t	n;

	/* 0x40 (extended) and 0x80 (reserved) label types. */
	n = msg(m, (const uint8_t *)"\x41\x61\x00", 3);
	ck_assert_int_eq(qname(m, n, out, sizeof(out)), -1);
	n = msg(m, (const uint8_t *)"\x81\x61\x00", 3);
	ck_assert_int_eq(qname(m, n, out, sizeof(out)), -1);
	n = msg(m, (const uint8_t *)"\x01\x61\x40", 3);
	ck_assert_int_eq(qname(m, n, out, sizeof(out)), -1);
	/* 63 is the longest label; 64 would be an 0x40 type. */
	memset(m + 13, 'a', 63);
	m[12] = 63;
	m[12 + 64] = 0;
	ck_assert_int_eq(qname(m, 12 + 65, out, sizeof(out)), 63);
	ck_assert_int_eq(qname(m, 12 + 65, out, 63), -1);
	m[12] = 64;
	ck_assert_int_eq(qname(m, 12 + 65, out, sizeof(out)), -1);
}
END_TEST

/* Labels of the given sizes, filled with fill, then the root. */
static size_t
name_of(uint8_t *m, const int *sizes, int nlabels, uint8_t fill)
{
	size_t	o;
	int	i;

	o = msg(m, NULL, 0);
	for (i = 0; i < nlabels; i++) {
		m[o++] = (uint8_t)sizes[i];
		memset(m + o, fill, (size_t)sizes[i]);
		o += (size_t)sizes[i];
	}
	m[o++] = 0;
	return o;
}

START_TEST(test_length_cap)
{
	static const int	ok[] = { 63, 63, 63, 61 };	/* 255 */
	static const int	over[] = { 63, 63, 63, 62 };	/* 256 */
	uint8_t			m[1024];
	char			out[DR_DNS_NAMEBUF];
	int			ones[128];
	size_t			n;
	int			i;

	n = name_of(m, ok, 4, 'a');
	ck_assert_int_eq(qname(m, n, out, sizeof(out)), 63 * 3 + 61 + 3);
	n = name_of(m, over, 4, 'a');
	ck_assert_int_eq(qname(m, n, out, sizeof(out)), -1);
	/* Every octet escaped still fits DR_DNS_NAMEBUF. */
	n = name_of(m, ok, 4, 0xff);
	ck_assert_int_eq(qname(m, n, out, sizeof(out)), 4 * 250 + 3);
	ck_assert_int_eq(strncmp(out, "\\255\\255", 8), 0);
	for (i = 0; i < 128; i++)
		ones[i] = 1;
	/* 127 one-octet labels: 255 octets; 128: too many. */
	n = name_of(m, ones, 127, '.');
	ck_assert_int_eq(qname(m, n, out, sizeof(out)), 127 * 4 + 126);
	ck_assert_uint_le(strlen(out) + 1, DR_DNS_NAMEBUF);
	n = name_of(m, ones, 128, 'b');
	ck_assert_int_eq(qname(m, n, out, sizeof(out)), -1);
}
END_TEST

START_TEST(test_escape)
{
	static const uint8_t	w[] = {
		5, 'a', '.', 'b', ' ', 0xff,
		6, '\\', '"', '\n', 0x00, '-', '_',
		0,
	};
	uint8_t			m[64];
	char			out[128];
	const char		*want =
	    "a\\046b\\032\\255.\\092\\034\\010\\000-_";
	size_t			n;

	n = msg(m, w, sizeof(w));
	ck_assert_int_eq(qname(m, n, out, sizeof(out)), (int)strlen(want));
	ck_assert_str_eq(out, want);
}
END_TEST

START_TEST(test_small_buffer)
{
	uint8_t	m[64];
	char	out[64];
	size_t	n, len;
	int	want = (int)strlen("www.example.com");

	n = pkt_dns(m, sizeof(m), 1, 0, 0, "www.example.com");
	for (len = 1; len <= (size_t)want; len++)
		ck_assert_int_eq(qname(m, n, out, len), -1);
	ck_assert_int_eq(qname(m, n, out, (size_t)want + 1), want);
	ck_assert_str_eq(out, "www.example.com");
	/* An escape must fit whole. */
	n = msg(m, (const uint8_t *)"\x02\x61\x20\x00", 4);
	ck_assert_int_eq(qname(m, n, out, 5), -1);
	ck_assert_int_eq(qname(m, n, out, 6), 5);
	ck_assert_str_eq(out, "a\\032");
}
END_TEST

/* xorshift32 */
static uint32_t
rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

START_TEST(test_random)
{
	uint8_t		m[96];
	char		out[DR_DNS_NAMEBUF];
	uint32_t	seed = 0x9e3779b9;
	size_t		n, i, j;
	int		r;

	for (i = 0; i < 200000; i++) {
		n = rnd(&seed) % sizeof(m);
		for (j = 0; j < n; j++) {
			/* Mostly small label lengths and pointers. */
			switch (rnd(&seed) % 4) {
			case 0:
				m[j] = (uint8_t)(rnd(&seed) % 8);
				break;
			case 1:
				m[j] = 0xc0;
				break;
			default:
				m[j] = (uint8_t)rnd(&seed);
				break;
			}
		}
		if (n > 5)
			m[5] |= 1;
		r = qname(m, n, out, 1 + rnd(&seed) % sizeof(out));
		if (r < 0)
			continue;
		for (j = 0; out[j] != '\0'; j++)
			ck_assert(out[j] == '.' || out[j] == '\\' ||
			    out[j] == '-' || out[j] == '_' ||
			    (out[j] >= '0' && out[j] <= '9') ||
			    (out[j] >= 'a' && out[j] <= 'z') ||
			    (out[j] >= 'A' && out[j] <= 'Z'));
	}
}
END_TEST

START_TEST(test_rcode)
{
	static const struct {
		uint8_t			 rcode;
		enum dr_rcode_class	 rc;
		const char		*name;
	} t[] = {
		{ 0, DR_RC_NOERROR, "NOERROR" },
		{ 1, DR_RC_OTHER, "OTHER" },
		{ 2, DR_RC_SERVFAIL, "SERVFAIL" },
		{ 3, DR_RC_NXDOMAIN, "NXDOMAIN" },
		{ 4, DR_RC_OTHER, "OTHER" },
		{ 5, DR_RC_REFUSED, "REFUSED" },
		{ 6, DR_RC_OTHER, "OTHER" },
		{ 9, DR_RC_OTHER, "OTHER" },
		{ 15, DR_RC_OTHER, "OTHER" },
		{ 255, DR_RC_OTHER, "OTHER" },
	};
	size_t	i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		ck_assert_int_eq(dr_rcode_class(t[i].rcode), t[i].rc);
		ck_assert_str_eq(dr_rcode_class_name(dr_rcode_class(
		    t[i].rcode)), t[i].name);
	}
	ck_assert_str_eq(dr_rcode_class_name(DR_RC_NCLASSES), "OTHER");
}
END_TEST

static Suite *
dns_suite(void)
{
	Suite	*s = suite_create("dns");
	TCase	*tc;

	tc = tcase_create("qname");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_plain);
	tcase_add_test(tc, test_root);
	tcase_add_test(tc, test_short_or_empty);
	tcase_add_test(tc, test_compression);
	tcase_add_test(tc, test_label_types);
	tcase_add_test(tc, test_length_cap);
	tcase_add_test(tc, test_escape);
	tcase_add_test(tc, test_small_buffer);
	tcase_add_test(tc, test_random);
	suite_add_tcase(s, tc);

	tc = tcase_create("rcode");
	tcase_add_test(tc, test_rcode);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(dns_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
