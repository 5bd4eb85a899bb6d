/*
 * test_when.c: --since/--until times.
 */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "when.h"

#define S	1000000LL
#define T0	(1767225600LL * S)	/* 2026-01-01T00:00:00Z */
#define NOW	(T0 + 12 * 3600 * S + 34 * 60 * S + 56 * S + 789)

static int64_t
when(const char *s)
{
	int64_t	t = -1;

	ck_assert_msg(dr_when_parse(s, NOW, &t) == 0, "refused \"%s\"", s);
	return t;
}

static void
set_tz(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
}

START_TEST(test_words)
{
	set_tz("UTC0");
	ck_assert_int_eq(when("now"), NOW);
	ck_assert_int_eq(when("  now "), NOW);
	ck_assert_int_eq(when("today"), T0);
	ck_assert_int_eq(when("yesterday"), T0 - 86400 * S);
	ck_assert_int_eq(when("tomorrow"), T0 + 86400 * S);
}
END_TEST

START_TEST(test_dates)
{
	set_tz("UTC0");
	ck_assert_int_eq(when("2026-01-01"), T0);
	ck_assert_int_eq(when("2026-01-01 00:01"), T0 + 60 * S);
	ck_assert_int_eq(when("2026-01-01 00:01:02"), T0 + 62 * S);
	ck_assert_int_eq(when("2026-01-01T00:01:02"), T0 + 62 * S);
	ck_assert_int_eq(when("2026-01-01T00:01:02Z"), T0 + 62 * S);
	ck_assert_int_eq(when("2025-12-31 23:59:59"), T0 - S);
	ck_assert_int_eq(when("10:00"), T0 + 10 * 3600 * S);
	ck_assert_int_eq(when("10:00:05"), T0 + 36005 * S);
	ck_assert_int_eq(when("@1767225600"), T0);
	ck_assert_int_eq(when("@0"), 0);
}
END_TEST

/* Local time unless told UTC: one hour east of Greenwich. */
START_TEST(test_zones)
{
	set_tz("CET-1");
	ck_assert_int_eq(when("2026-01-01"), T0 - 3600 * S);
	ck_assert_int_eq(when("2026-01-01 01:00"), T0);
	ck_assert_int_eq(when("2026-01-01 00:00 UTC"), T0);
	ck_assert_int_eq(when("2026-01-01T00:00:00Z"), T0);
	/* NOW is 13:34 in CET: today began at 23:00 UTC the day before. */
	ck_assert_int_eq(when("today"), T0 - 3600 * S);
	ck_assert_int_eq(when("@1767225600"), T0);
	set_tz("UTC0");
}
END_TEST

START_TEST(test_relative)
{
	set_tz("UTC0");
	ck_assert_int_eq(when("-2h"), NOW - 7200 * S);
	ck_assert_int_eq(when("+2h"), NOW + 7200 * S);
	ck_assert_int_eq(when("2 hours ago"), NOW - 7200 * S);
	ck_assert_int_eq(when("2hours ago"), NOW - 7200 * S);
	ck_assert_int_eq(when("1 hour ago"), NOW - 3600 * S);
	ck_assert_int_eq(when("1h 30min ago"), NOW - 5400 * S);
	ck_assert_int_eq(when("-1h30m"), NOW - 5400 * S);
	ck_assert_int_eq(when("-90"), NOW - 90 * S);
	ck_assert_int_eq(when("-1.5h"), NOW - 5400 * S);
	ck_assert_int_eq(when("-500ms"), NOW - 500000);
	ck_assert_int_eq(when("-3d"), NOW - 3 * 86400 * S);
	ck_assert_int_eq(when("-1w"), NOW - 7 * 86400 * S);
	ck_assert_int_eq(when("2 weeks ago"), NOW - 14 * 86400 * S);
	ck_assert_int_eq(when("5 days left"), NOW + 5 * 86400 * S);
	ck_assert_int_eq(when("-10 minutes"), NOW - 600 * S);
	ck_assert_int_eq(when("-1M"), NOW - 2629800 * S);
	ck_assert_int_eq(when("-1y"), NOW - 31557600 * S);
	/* A long fraction of a long unit (found by fuzz_incident). */
	ck_assert_int_eq(when("-0.5y"), NOW - 15778800 * S);
	ck_assert_int_eq(when("-0.999999y"), NOW - 31557568442400LL);
}
END_TEST

START_TEST(test_bad)
{
	static const char *const bad[] = {
		"", "  ", "garbage", "yesterdayy", "Today", "2026-13-01",
		"2026-02-30", "2026-01-01 25:00", "2026-01-01 12:60",
		"2026-01-01 12", "2026-01-01 12:00:", "2026-01-01 12:00:00:00",
		"2026-01-01x", "26-01-01", "1969-12-31", "-2x", "-2 hourss",
		"-", "+", "2 hours", "ago", " ago", "-h", "@", "@12a", "@-5",
		"12:", "1:00", "-99999999999999999999h", "-2h ago",
		"2026-01-01Z", "-1000000y",
	};
	int64_t	t = 42;
	size_t	i;

	set_tz("UTC0");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(dr_when_parse(bad[i], NOW, &t) == -EINVAL,
		    "accepted \"%s\"", bad[i]);
	ck_assert_int_eq(dr_when_parse(NULL, NOW, &t), -EINVAL);
	ck_assert_int_eq(t, 42);
}
END_TEST

static Suite *
when_suite(void)
{
	Suite	*s = suite_create("when");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_words);
	tcase_add_test(tc, test_dates);
	tcase_add_test(tc, test_zones);
	tcase_add_test(tc, test_relative);
	tcase_add_test(tc, test_bad);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(when_suite());
	int	 nf;

	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
