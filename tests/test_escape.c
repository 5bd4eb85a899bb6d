/*
 * test_escape.c: text from the journal made safe to print.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"

static const char *
esc(enum dr_esc_mode m, const char *s)
{
	static char	buf[DR_ESC_SIZE(64)];

	dr_escape(m, buf, sizeof(buf), s);
	return buf;
}

START_TEST(test_text)
{
	ck_assert_str_eq(esc(DR_ESC_TEXT, "gw1.example.net"),
	    "gw1.example.net");
	ck_assert_str_eq(esc(DR_ESC_TEXT, "a b~"), "a b~");
	/* A terminal escape sequence is shown, not obeyed. */
	ck_assert_str_eq(esc(DR_ESC_TEXT, "x\033[2Jy"), "x\\x1b[2Jy");
	ck_assert_str_eq(esc(DR_ESC_TEXT, "a\nb\rc\td"),
	    "a\\x0ab\\x0dc\\x09d");
	ck_assert_str_eq(esc(DR_ESC_TEXT, "\x7f\x80\x9b\xff"),
	    "\\x7f\\x80\\x9b\\xff");
	ck_assert_str_eq(esc(DR_ESC_TEXT, "a\\x41"), "a\\\\x41");
	ck_assert_str_eq(esc(DR_ESC_TEXT, "a|b_c"), "a|b_c");
	ck_assert_str_eq(esc(DR_ESC_TEXT, ""), "");
	ck_assert_str_eq(esc(DR_ESC_TEXT, NULL), "");
}
END_TEST

START_TEST(test_json)
{
	ck_assert_str_eq(esc(DR_ESC_JSON, "203.0.113.2"), "203.0.113.2");
	ck_assert_str_eq(esc(DR_ESC_JSON, "a\"b\\c"), "a\\\"b\\\\c");
	ck_assert_str_eq(esc(DR_ESC_JSON, "a\nb\x01\x7f"),
	    "a\\u000ab\\u0001\\u007f");
	/* Valid UTF-8 stays, anything else is U+FFFD. */
	ck_assert_str_eq(esc(DR_ESC_JSON, "caf\xc3\xa9 \xe2\x82\xac"),
	    "caf\xc3\xa9 \xe2\x82\xac");
	ck_assert_str_eq(esc(DR_ESC_JSON, "\xf0\x9f\x98\x80"),
	    "\xf0\x9f\x98\x80");
	ck_assert_str_eq(esc(DR_ESC_JSON, "a\xffz"), "a\\ufffdz");
	ck_assert_str_eq(esc(DR_ESC_JSON, "\xc0\x80"), "\\ufffd\\ufffd");
	ck_assert_str_eq(esc(DR_ESC_JSON, "\xed\xa0\x80"),
	    "\\ufffd\\ufffd\\ufffd");
	ck_assert_str_eq(esc(DR_ESC_JSON, "\xe0\x80\xaf"),
	    "\\ufffd\\ufffd\\ufffd");
	ck_assert_str_eq(esc(DR_ESC_JSON, "\xf4\x90\x80\x80"),
	    "\\ufffd\\ufffd\\ufffd\\ufffd");
	/* A sequence cut by the end of the string. */
	ck_assert_str_eq(esc(DR_ESC_JSON, "x\xe2\x82"), "x\\ufffd\\ufffd");
	ck_assert_str_eq(esc(DR_ESC_JSON, "\x80"), "\\ufffd");
}
END_TEST

START_TEST(test_markdown)
{
	ck_assert_str_eq(esc(DR_ESC_MARKDOWN, "eth_1|*x*"),
	    "eth\\_1\\|\\*x\\*");
	ck_assert_str_eq(esc(DR_ESC_MARKDOWN, "<b>[a](b)&`"),
	    "\\<b\\>\\[a\\](b)\\&\\`");
	ck_assert_str_eq(esc(DR_ESC_MARKDOWN, "a\nb"), "a\\x0ab");
	ck_assert_str_eq(esc(DR_ESC_MARKDOWN, "203.0.113.2"), "203.0.113.2");
}
END_TEST

/* A short buffer: whole escapes only, always terminated. */
START_TEST(test_bounds)
{
	char	buf[DR_ESC_SIZE(8)];
	size_t	n;

	memset(buf, 'Z', sizeof(buf));
	n = dr_escape(DR_ESC_TEXT, buf, 6, "ab\033cd");
	ck_assert_str_eq(buf, "ab");
	ck_assert_uint_eq(n, 2);
	n = dr_escape(DR_ESC_TEXT, buf, 7, "ab\033cd");
	ck_assert_str_eq(buf, "ab\\x1b");
	ck_assert_uint_eq(n, 6);
	n = dr_escape(DR_ESC_JSON, buf, 4, "\xe2\x82\xac\xe2\x82\xac");
	ck_assert_str_eq(buf, "\xe2\x82\xac");
	n = dr_escape(DR_ESC_JSON, buf, 1, "abc");
	ck_assert_str_eq(buf, "");
	ck_assert_uint_eq(n, 0);
	ck_assert_uint_eq(dr_escape(DR_ESC_TEXT, buf, 0, "abc"), 0);
	/* The worst case fits DR_ESC_SIZE. */
	n = dr_escape(DR_ESC_JSON, buf, sizeof(buf),
	    "\xff\xff\xff\xff\xff\xff\xff\xff");
	ck_assert_uint_eq(n, 48);
	n = dr_escape(DR_ESC_MARKDOWN, buf, sizeof(buf), "\\\\\\\\\\\\\\\\");
	ck_assert_uint_eq(n, 16);
}
END_TEST

static Suite *
escape_suite(void)
{
	Suite	*s = suite_create("escape");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_text);
	tcase_add_test(tc, test_json);
	tcase_add_test(tc, test_markdown);
	tcase_add_test(tc, test_bounds);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(escape_suite());
	int	 nf;

	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
