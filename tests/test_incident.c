/*
 * test_incident.c: journal entries paired into incidents.
 */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "incident.h"

#define S	1000000LL
#define T0	(1767225600LL * S)	/* 2026-01-01T00:00:00Z */
#define NONE	DR_INC_TIME_NONE

/* A failing-type record at packet time at (seconds after T0). */
static struct dr_inc_record
rec(enum dr_inc_event ev, const char *res, int64_t first, int64_t at)
{
	struct dr_inc_record	r;

	memset(&r, 0, sizeof(r));
	r.event = ev;
	r.realtime = T0 + 1000 * S + at * S;	/* journal time: later */
	r.writer = 1;
	r.host = "gw1";
	r.iface = "eth1";
	r.resolver = res;
	r.cause = ev == DR_INC_EV_RECOVERED ||
	    ev == DR_INC_EV_SLOW_RECOVERED ? "none" : "service-not-listening";
	r.qname = "host0.example.com";
	r.first_failure = first < 0 ? NONE : T0 + first * S;
	r.event_time = T0 + at * S;
	r.rate = ev == DR_INC_EV_RECOVERED ? 0.1 : 0.5;
	r.p95_ms = -1;
	r.clients = 12;
	return r;
}

static struct dr_incidents *
mk(void)
{
	struct dr_incidents	*s = dr_incidents_new(DR_INC_OPEN_MAX,
	    DR_INC_LIST_MAX);

	ck_assert_ptr_nonnull(s);
	return s;
}

static void
add(struct dr_incidents *s, struct dr_inc_record r)
{
	ck_assert_int_eq(dr_incidents_add(s, &r), 0);
}

static const struct dr_incident *
only(struct dr_incidents *s)
{
	ck_assert_int_eq(dr_incidents_finish(s), 0);
	ck_assert_uint_eq(dr_incidents_count(s), 1);
	return dr_incidents_get(s, 0);
}

START_TEST(test_pair)
{
	struct dr_incidents		*s = mk();
	const struct dr_incident	*inc;
	struct dr_inc_record		 r;

	add(s, rec(DR_INC_EV_FAILING, "203.0.113.2", 60, 90));
	r = rec(DR_INC_EV_FAILING, "203.0.113.2", 60, 690);
	r.reminder = 1;
	r.rate = 0.75;
	r.clients = 20;
	r.qname = "other.example.com";
	add(s, r);
	r = rec(DR_INC_EV_RECOVERED, "203.0.113.2", 60, 738);
	r.rate = 0.9;		/* never a peak: it is the end */
	r.clients = 99;
	add(s, r);
	inc = only(s);
	ck_assert_str_eq(inc->host, "gw1");
	ck_assert_str_eq(inc->iface, "eth1");
	ck_assert_str_eq(inc->resolver, "203.0.113.2");
	ck_assert_int_eq(inc->kind, DR_INC_KIND_FAILING);
	ck_assert_int_eq(inc->status, DR_INC_ST_ENDED);
	ck_assert_int_eq(inc->partial, 0);
	ck_assert_int_eq(inc->start, T0 + 60 * S);
	ck_assert_int_eq(inc->end, T0 + 738 * S);
	ck_assert_int_eq(inc->last_event, T0 + 738 * S);
	ck_assert_int_eq(inc->first_seen, T0 + 1090 * S);
	ck_assert_int_eq(inc->last_seen, T0 + 1738 * S);
	ck_assert_double_eq(inc->peak_rate, 0.75);
	ck_assert_int_eq(inc->clients, 20);
	ck_assert_str_eq(inc->qname, "host0.example.com");
	ck_assert_str_eq(inc->cause, "service-not-listening");
	ck_assert_uint_eq(inc->reminders, 1);
	ck_assert_uint_eq(inc->entries, 3);
	ck_assert_uint_eq(inc->flaps, 0);
	ck_assert_uint_eq(dr_incidents_stats(s)->records, 3);
	ck_assert_uint_eq(dr_incidents_stats(s)->duplicates, 0);
	ck_assert_uint_eq(dr_incidents_stats(s)->incidents, 1);
	dr_incidents_free(s);
}
END_TEST

/* No FIRST_FAILURE: the onset's EVENT_TIME, then the journal time. */
START_TEST(test_start_fallbacks)
{
	struct dr_incidents		*s = mk();
	const struct dr_incident	*inc;
	struct dr_inc_record		 r;

	r = rec(DR_INC_EV_FAILING, "203.0.113.2", -1, 90);
	add(s, r);
	r = rec(DR_INC_EV_FAILING, "203.0.113.3", -1, 90);
	r.event_time = NONE;
	r.realtime = T0 + 5 * S;
	add(s, r);
	ck_assert_int_eq(dr_incidents_finish(s), 0);
	ck_assert_uint_eq(dr_incidents_count(s), 2);
	inc = dr_incidents_get(s, 0);
	ck_assert_str_eq(inc->resolver, "203.0.113.3");
	ck_assert_int_eq(inc->start, T0 + 5 * S);
	ck_assert_int_eq(inc->last_event, NONE);
	inc = dr_incidents_get(s, 1);
	ck_assert_int_eq(inc->start, T0 + 90 * S);
	ck_assert_int_eq(inc->status, DR_INC_ST_ONGOING);
	ck_assert_int_eq(inc->end, NONE);
	ck_assert_ptr_null(dr_incidents_get(s, 2));
	dr_incidents_free(s);
}
END_TEST

/* Two resolvers' outages interleaved: two incidents, by start. */
START_TEST(test_two_resolvers)
{
	struct dr_incidents		*s = mk();
	const struct dr_incident	*a, *b;

	add(s, rec(DR_INC_EV_FAILING, "2001:db8::2", 100, 130));
	add(s, rec(DR_INC_EV_FAILING, "203.0.113.2", 60, 140));
	add(s, rec(DR_INC_EV_RECOVERED, "2001:db8::2", 100, 178));
	add(s, rec(DR_INC_EV_RECOVERED, "203.0.113.2", 60, 400));
	ck_assert_int_eq(dr_incidents_finish(s), 0);
	ck_assert_uint_eq(dr_incidents_count(s), 2);
	a = dr_incidents_get(s, 0);
	b = dr_incidents_get(s, 1);
	ck_assert_str_eq(a->resolver, "203.0.113.2");
	ck_assert_int_eq(a->end - a->start, 340 * S);
	ck_assert_str_eq(b->resolver, "2001:db8::2");
	ck_assert_int_eq(b->end - b->start, 78 * S);
	dr_incidents_free(s);
}
END_TEST

/* Host, interface, resolver and kind each make a key of their own. */
START_TEST(test_keys)
{
	struct dr_incidents	*s = mk();
	struct dr_inc_record	 r;
	size_t			 i;

	add(s, rec(DR_INC_EV_FAILING, "203.0.113.2", 10, 20));
	r = rec(DR_INC_EV_FAILING, "203.0.113.2", 11, 20);
	r.host = "gw2";
	add(s, r);
	r = rec(DR_INC_EV_FAILING, "203.0.113.2", 12, 20);
	r.iface = "eth2";
	add(s, r);
	r = rec(DR_INC_EV_SLOW, "203.0.113.2", 13, 20);
	add(s, r);
	r = rec(DR_INC_EV_FAILING, "203.0.113.2", 14, 20);
	r.host = NULL;		/* absent: "" */
	add(s, r);
	/* Each recovered ends its own only. */
	r = rec(DR_INC_EV_RECOVERED, "203.0.113.2", 11, 30);
	r.host = "gw2";
	add(s, r);
	ck_assert_int_eq(dr_incidents_finish(s), 0);
	ck_assert_uint_eq(dr_incidents_count(s), 5);
	for (i = 0; i < 5; i++) {
		const struct dr_incident *inc = dr_incidents_get(s, i);

		ck_assert_int_eq(inc->start, T0 + (int64_t)(10 + i) * S);
		ck_assert_int_eq(inc->status, i == 1 ? DR_INC_ST_ENDED :
		    DR_INC_ST_ONGOING);
	}
	ck_assert_str_eq(dr_incidents_get(s, 4)->host, "");
	ck_assert_int_eq(dr_incidents_get(s, 3)->kind, DR_INC_KIND_SLOW);
	dr_incidents_free(s);
}
END_TEST

/* The same onset twice from one process: one incident. */
START_TEST(test_duplicate_onset)
{
	struct dr_incidents		*s = mk();
	const struct dr_incident	*inc;

	add(s, rec(DR_INC_EV_FAILING, "203.0.113.2", 60, 90));
	add(s, rec(DR_INC_EV_FAILING, "203.0.113.2", 60, 90));
	add(s, rec(DR_INC_EV_FAILING, "203.0.113.2", 70, 95));
	add(s, rec(DR_INC_EV_RECOVERED, "203.0.113.2", 60, 140));
	inc = only(s);
	ck_assert_int_eq(inc->start, T0 + 60 * S);
	ck_assert_int_eq(inc->end, T0 + 140 * S);
	ck_assert_uint_eq(inc->entries, 2);
	ck_assert_uint_eq(dr_incidents_stats(s)->duplicates, 2);
	dr_incidents_free(s);
}
END_TEST

/* Unknown writers cannot tell a restart: the same incident. */
START_TEST(test_duplicate_unknown_writer)
{
	struct dr_incidents	*s = mk();
	struct dr_inc_record	 r;

	add(s, rec(DR_INC_EV_FAILING, "203.0.113.2", 60, 90));
	r = rec(DR_INC_EV_FAILING, "203.0.113.2", 300, 330);
	r.writer = 0;
	add(s, r);
	ck_assert_int_eq(only(s)->start, T0 + 60 * S);
	ck_assert_uint_eq(dr_incidents_stats(s)->restarts, 0);
	dr_incidents_free(s);
}
END_TEST

/*
 * An onset from another process while one is open: the daemon restarted
 * and the old incident never got its end.
 */
START_TEST(test_restart)
{
	struct dr_incidents		*s = mk();
	const struct dr_incident	*a, *b;
	struct dr_inc_record		 r;

	add(s, rec(DR_INC_EV_FAILING, "203.0.113.2", 60, 90));
	r = rec(DR_INC_EV_FAILING, "203.0.113.2", 60, 690);
	r.reminder = 1;
	add(s, r);
	r = rec(DR_INC_EV_FAILING, "203.0.113.2", 1000, 1030);
	r.writer = 2;
	add(s, r);
	r = rec(DR_INC_EV_RECOVERED, "203.0.113.2", 1000, 1100);
	r.writer = 2;
	add(s, r);
	ck_assert_int_eq(dr_incidents_finish(s), 0);
	ck_assert_uint_eq(dr_incidents_count(s), 2);
	a = dr_incidents_get(s, 0);
	b = dr_incidents_get(s, 1);
	ck_assert_int_eq(a->status, DR_INC_ST_NO_END);
	ck_assert_int_eq(a->start, T0 + 60 * S);
	ck_assert_int_eq(a->end, NONE);
	ck_assert_int_eq(a->last_event, T0 + 690 * S);
	ck_assert_uint_eq(a->reminders, 1);
	ck_assert_int_eq(b->status, DR_INC_ST_ENDED);
	ck_assert_int_eq(b->start, T0 + 1000 * S);
	ck_assert_int_eq(b->end, T0 + 1100 * S);
	ck_assert_uint_eq(dr_incidents_stats(s)->restarts, 1);
	dr_incidents_free(s);
}
END_TEST

/* A recovered whose onset was not read: partial, start from its own. */
START_TEST(test_end_only)
{
	struct dr_incidents		*s = mk();
	const struct dr_incident	*a, *b;

	add(s, rec(DR_INC_EV_RECOVERED, "203.0.113.2", 60, 140));
	add(s, rec(DR_INC_EV_RECOVERED, "203.0.113.3", -1, 150));
	ck_assert_int_eq(dr_incidents_finish(s), 0);
	ck_assert_uint_eq(dr_incidents_count(s), 2);
	a = dr_incidents_get(s, 0);
	b = dr_incidents_get(s, 1);
	ck_assert_str_eq(a->resolver, "203.0.113.2");
	ck_assert_int_eq(a->partial, 1);
	ck_assert_int_eq(a->status, DR_INC_ST_ENDED);
	ck_assert_int_eq(a->start, T0 + 60 * S);
	ck_assert_int_eq(a->end, T0 + 140 * S);
	ck_assert_double_eq(a->peak_rate, -1);
	ck_assert_int_eq(a->clients, -1);
	ck_assert_str_eq(a->cause, "");
	ck_assert_str_eq(b->resolver, "203.0.113.3");
	ck_assert_int_eq(b->start, NONE);
	ck_assert_int_eq(b->end, T0 + 150 * S);
	dr_incidents_free(s);
}
END_TEST

/* Entries read twice (an upload sent again): the same one incident. */
START_TEST(test_replayed_entries)
{
	struct dr_incidents		*s = mk();
	const struct dr_incident	*inc;
	struct dr_inc_record		 r;
	int				 i;

	for (i = 0; i < 2; i++) {
		add(s, rec(DR_INC_EV_FAILING, "203.0.113.2", 60, 90));
		r = rec(DR_INC_EV_FAILING, "203.0.113.2", 60, 690);
		r.reminder = 1;
		add(s, r);
		add(s, rec(DR_INC_EV_RECOVERED, "203.0.113.2", 60, 738));
	}
	inc = only(s);
	ck_assert_int_eq(inc->end, T0 + 738 * S);
	ck_assert_uint_eq(inc->reminders, 1);
	ck_assert_uint_eq(dr_incidents_stats(s)->duplicates, 3);
	dr_incidents_free(s);
}
END_TEST

/* Failing again after an end (not a flap): a second incident. */
START_TEST(test_second_outage)
{
	struct dr_incidents	*s = mk();
	struct dr_inc_record	 r;

	add(s, rec(DR_INC_EV_FAILING, "203.0.113.2", 60, 90));
	add(s, rec(DR_INC_EV_RECOVERED, "203.0.113.2", 60, 140));
	add(s, rec(DR_INC_EV_FAILING, "203.0.113.2", 500, 530));
	/* A reminder after an end, not seen begin: partial. */
	r = rec(DR_INC_EV_FAILING, "203.0.113.3", 60, 90);
	add(s, r);
	add(s, rec(DR_INC_EV_RECOVERED, "203.0.113.3", 60, 140));
	r = rec(DR_INC_EV_FAILING, "203.0.113.3", 900, 1500);
	r.reminder = 1;
	add(s, r);
	ck_assert_int_eq(dr_incidents_finish(s), 0);
	ck_assert_uint_eq(dr_incidents_count(s), 4);
	ck_assert_int_eq(dr_incidents_get(s, 2)->start, T0 + 500 * S);
	ck_assert_int_eq(dr_incidents_get(s, 2)->status, DR_INC_ST_ONGOING);
	ck_assert_int_eq(dr_incidents_get(s, 3)->start, T0 + 900 * S);
	ck_assert_int_eq(dr_incidents_get(s, 3)->partial, 1);
	ck_assert_uint_eq(dr_incidents_get(s, 3)->reminders, 1);
	dr_incidents_free(s);
}
END_TEST

/* failing, recovered, flapping, recovered: one incident. */
START_TEST(test_flapping)
{
	struct dr_incidents		*s = mk();
	const struct dr_incident	*inc;
	struct dr_inc_record		 r;

	add(s, rec(DR_INC_EV_FAILING, "203.0.113.2", 60, 90));
	add(s, rec(DR_INC_EV_RECOVERED, "203.0.113.2", 60, 140));
	r = rec(DR_INC_EV_FLAPPING, "203.0.113.2", 150, 170);
	r.rate = 0.9;
	add(s, r);
	add(s, rec(DR_INC_EV_RECOVERED, "203.0.113.2", 150, 230));
	add(s, rec(DR_INC_EV_FLAPPING, "203.0.113.2", 240, 250));
	add(s, rec(DR_INC_EV_RECOVERED, "203.0.113.2", 240, 300));
	inc = only(s);
	ck_assert_int_eq(inc->start, T0 + 60 * S);
	ck_assert_int_eq(inc->end, T0 + 300 * S);
	ck_assert_int_eq(inc->status, DR_INC_ST_ENDED);
	ck_assert_uint_eq(inc->flaps, 2);
	ck_assert_double_eq(inc->peak_rate, 0.9);
	dr_incidents_free(s);
}
END_TEST

/* A flap that is still going at the end, and one seen alone. */
START_TEST(test_flapping_open)
{
	struct dr_incidents	*s = mk();

	add(s, rec(DR_INC_EV_FAILING, "203.0.113.2", 60, 90));
	add(s, rec(DR_INC_EV_RECOVERED, "203.0.113.2", 60, 140));
	add(s, rec(DR_INC_EV_FLAPPING, "203.0.113.2", 150, 170));
	add(s, rec(DR_INC_EV_FLAPPING, "203.0.113.3", 150, 170));
	ck_assert_int_eq(dr_incidents_finish(s), 0);
	ck_assert_uint_eq(dr_incidents_count(s), 2);
	ck_assert_int_eq(dr_incidents_get(s, 0)->status, DR_INC_ST_ONGOING);
	ck_assert_int_eq(dr_incidents_get(s, 0)->end, NONE);
	ck_assert_int_eq(dr_incidents_get(s, 0)->partial, 0);
	ck_assert_int_eq(dr_incidents_get(s, 1)->partial, 1);
	ck_assert_int_eq(dr_incidents_get(s, 1)->start, T0 + 150 * S);
	dr_incidents_free(s);
}
END_TEST

/* updated: the cause becomes the new one. */
START_TEST(test_updated)
{
	struct dr_incidents	*s = mk();
	struct dr_inc_record	 r;

	add(s, rec(DR_INC_EV_FAILING, "203.0.113.2", 60, 90));
	r = rec(DR_INC_EV_UPDATED, "203.0.113.2", 60, 200);
	r.cause = "blocked-by-firewall";
	add(s, r);
	add(s, rec(DR_INC_EV_RECOVERED, "203.0.113.2", 60, 300));
	/* An update with nothing open: partial, with that cause. */
	r = rec(DR_INC_EV_UPDATED, "203.0.113.3", 500, 600);
	r.cause = "silent-drop";
	add(s, r);
	ck_assert_int_eq(dr_incidents_finish(s), 0);
	ck_assert_uint_eq(dr_incidents_count(s), 2);
	ck_assert_str_eq(dr_incidents_get(s, 0)->cause,
	    "blocked-by-firewall");
	ck_assert_uint_eq(dr_incidents_get(s, 0)->updates, 1);
	ck_assert_int_eq(dr_incidents_get(s, 0)->end, T0 + 300 * S);
	ck_assert_str_eq(dr_incidents_get(s, 1)->cause, "silent-drop");
	ck_assert_int_eq(dr_incidents_get(s, 1)->partial, 1);
	ck_assert_int_eq(dr_incidents_get(s, 1)->start, T0 + 500 * S);
	dr_incidents_free(s);
}
END_TEST

/* slow and slow-recovered: an incident kind of its own. */
START_TEST(test_slow)
{
	struct dr_incidents		*s = mk();
	const struct dr_incident	*a, *b;
	struct dr_inc_record		 r;

	r = rec(DR_INC_EV_SLOW, "203.0.113.2", 60, 90);
	r.p95_ms = 800;
	r.rate = -1;
	r.cause = "none";	/* no failure cause: none kept */
	add(s, r);
	add(s, rec(DR_INC_EV_FAILING, "203.0.113.2", 100, 130));
	r = rec(DR_INC_EV_SLOW, "203.0.113.2", 60, 700);
	r.reminder = 1;
	r.p95_ms = 1250.5;
	r.rate = -1;
	add(s, r);
	/* A plain recovered does not end the slow one. */
	add(s, rec(DR_INC_EV_RECOVERED, "203.0.113.2", 100, 180));
	r = rec(DR_INC_EV_SLOW_RECOVERED, "203.0.113.2", 60, 800);
	r.p95_ms = 5000;	/* the end's value is not a peak */
	add(s, r);
	ck_assert_int_eq(dr_incidents_finish(s), 0);
	ck_assert_uint_eq(dr_incidents_count(s), 2);
	a = dr_incidents_get(s, 0);
	b = dr_incidents_get(s, 1);
	ck_assert_int_eq(a->kind, DR_INC_KIND_SLOW);
	ck_assert_int_eq(a->end, T0 + 800 * S);
	ck_assert_double_eq(a->peak_p95_ms, 1250.5);
	ck_assert_double_eq(a->peak_rate, -1);
	ck_assert_str_eq(a->cause, "");
	ck_assert_uint_eq(a->reminders, 1);
	ck_assert_int_eq(b->kind, DR_INC_KIND_FAILING);
	ck_assert_int_eq(b->end, T0 + 180 * S);
	dr_incidents_free(s);
}
END_TEST

/* A full open table lets the least recently seen key go. */
START_TEST(test_open_bound)
{
	struct dr_incidents	*s = dr_incidents_new(4, 100);
	char			 res[6][32];
	size_t			 i, noend = 0;
	int			 k;

	ck_assert_ptr_nonnull(s);
	for (k = 0; k < 6; k++)
		snprintf(res[k], sizeof(res[k]), "192.0.2.%d", k);
	/* Key 0 ended, keys 1..3 open, then 4 and 5 push 0 and 1 out. */
	add(s, rec(DR_INC_EV_FAILING, res[0], 0, 10));
	add(s, rec(DR_INC_EV_RECOVERED, res[0], 0, 20));
	for (k = 1; k < 6; k++)
		add(s, rec(DR_INC_EV_FAILING, res[k], k, 30 + k));
	/* Key 1 comes back: its old incident is gone, a partial opens. */
	add(s, rec(DR_INC_EV_RECOVERED, res[1], 1, 100));
	ck_assert_uint_eq(dr_incidents_stats(s)->evicted, 2);
	ck_assert_int_eq(dr_incidents_finish(s), 0);
	ck_assert_uint_eq(dr_incidents_count(s), 7);
	for (i = 0; i < dr_incidents_count(s); i++)
		if (dr_incidents_get(s, i)->status == DR_INC_ST_NO_END)
			noend++;
	ck_assert_uint_eq(noend, 2);
	ck_assert_int_eq(dr_incidents_get(s, 0)->status, DR_INC_ST_ENDED);
	dr_incidents_free(s);
}
END_TEST

/* Past list_max incidents are counted, not kept. */
START_TEST(test_list_bound)
{
	struct dr_incidents	*s = dr_incidents_new(100, 3);
	int			 k;

	ck_assert_ptr_nonnull(s);
	ck_assert_ptr_null(dr_incidents_new(0, 3));
	ck_assert_ptr_null(dr_incidents_new(3, 0));
	for (k = 0; k < 5; k++) {
		add(s, rec(DR_INC_EV_FAILING, "203.0.113.2", k * 100,
		    k * 100 + 30));
		add(s, rec(DR_INC_EV_RECOVERED, "203.0.113.2", k * 100,
		    k * 100 + 80));
	}
	ck_assert_int_eq(dr_incidents_finish(s), 0);
	ck_assert_uint_eq(dr_incidents_count(s), 3);
	ck_assert_uint_eq(dr_incidents_stats(s)->incidents, 5);
	ck_assert_uint_eq(dr_incidents_stats(s)->unlisted, 2);
	ck_assert_int_eq(dr_incidents_get(s, 2)->start, T0 + 200 * S);
	dr_incidents_free(s);
}
END_TEST

START_TEST(test_bad_input)
{
	struct dr_incidents	*s = mk();
	struct dr_inc_record	 r = rec(DR_INC_EV_FAILING, "x", 1, 2);

	r.event = DR_INC_EV_N;
	ck_assert_int_eq(dr_incidents_add(s, &r), -EINVAL);
	r.event = (enum dr_inc_event)-1;
	ck_assert_int_eq(dr_incidents_add(s, &r), -EINVAL);
	ck_assert_int_eq(dr_incidents_finish(s), 0);
	ck_assert_int_eq(dr_incidents_finish(s), 0);
	r.event = DR_INC_EV_FAILING;
	ck_assert_int_eq(dr_incidents_add(s, &r), -EINVAL);
	ck_assert_uint_eq(dr_incidents_count(s), 0);
	dr_incidents_free(s);
	dr_incidents_free(NULL);
}
END_TEST

/* Many entries over a few keys: every one is used once or counted. */
START_TEST(test_random)
{
	static const enum dr_inc_event evs[] = {
		DR_INC_EV_FAILING, DR_INC_EV_FAILING, DR_INC_EV_RECOVERED,
		DR_INC_EV_FLAPPING, DR_INC_EV_UPDATED, DR_INC_EV_SLOW,
		DR_INC_EV_SLOW_RECOVERED
	};
	struct dr_incidents	*s = dr_incidents_new(8, 100000);
	struct dr_inc_record	 r;
	char			 res[16];
	uint64_t		 entries = 0;
	size_t			 i;
	int			 k;

	ck_assert_ptr_nonnull(s);
	srandom(11);
	for (k = 0; k < 20000; k++) {
		snprintf(res, sizeof(res), "192.0.2.%ld", random() % 12);
		r = rec(evs[random() % 7], res, k - random() % 50, k);
		r.reminder = random() % 3 == 0;
		r.writer = 1 + (uint64_t)(random() % 2);
		if (random() % 10 == 0)
			r.first_failure = NONE;
		add(s, r);
	}
	ck_assert_int_eq(dr_incidents_finish(s), 0);
	ck_assert_uint_eq(dr_incidents_stats(s)->unlisted, 0);
	for (i = 0; i < dr_incidents_count(s); i++) {
		const struct dr_incident *inc = dr_incidents_get(s, i);

		entries += inc->entries;
		ck_assert_uint_ge(inc->entries, 1);
		if (inc->status == DR_INC_ST_ENDED)
			ck_assert_int_ne(inc->end, NONE);
		else
			ck_assert_int_eq(inc->end, NONE);
		if (i > 0 && inc->start != NONE &&
		    dr_incidents_get(s, i - 1)->start != NONE)
			ck_assert_int_ge(inc->start,
			    dr_incidents_get(s, i - 1)->start);
	}
	ck_assert_uint_eq(entries + dr_incidents_stats(s)->duplicates,
	    20000);
	ck_assert_uint_eq(dr_incidents_stats(s)->incidents,
	    dr_incidents_count(s));
	dr_incidents_free(s);
}
END_TEST

START_TEST(test_names)
{
	int	ev;

	for (ev = 0; ev < DR_INC_EV_N; ev++)
		ck_assert_int_eq(dr_inc_event_from_msgid(
		    dr_inc_event_msgid((enum dr_inc_event)ev)), ev);
	ck_assert_int_eq(dr_inc_event_from_msgid(DR_MSGID_FAILING),
	    DR_INC_EV_FAILING);
	ck_assert_int_eq(dr_inc_event_from_msgid(
	    "c41f9e2a7d3b4a56b0e8f1a2d9c7e305"), DR_INC_EV_RECOVERED);
	ck_assert_int_eq(dr_inc_event_from_msgid(
	    "0761d1fefbc0431dabca009b1c52785c"), DR_INC_EV_FLAPPING);
	ck_assert_int_eq(dr_inc_event_from_msgid(
	    "2d8b35f540f2466a8a87e39ae1db5009"), DR_INC_EV_UPDATED);
	ck_assert_int_eq(dr_inc_event_from_msgid(
	    "40a33b3f4543463885518cff8ea342ef"), DR_INC_EV_SLOW);
	ck_assert_int_eq(dr_inc_event_from_msgid(
	    "33b4cec992dc4fd0b641565c7459560a"), DR_INC_EV_SLOW_RECOVERED);
	ck_assert_int_eq(dr_inc_event_from_msgid("nope"), -1);
	ck_assert_int_eq(dr_inc_event_from_msgid(NULL), -1);
	ck_assert_str_eq(dr_inc_event_name(DR_INC_EV_SLOW_RECOVERED),
	    "slow-recovered");
	ck_assert_str_eq(dr_inc_kind_name(DR_INC_KIND_SLOW), "slow");
	ck_assert_str_eq(dr_inc_kind_name(DR_INC_KIND_FAILING), "failing");
	ck_assert_str_eq(dr_inc_status_name(DR_INC_ST_NO_END), "no-end");
	ck_assert_str_eq(dr_inc_status_name(DR_INC_ST_ONGOING), "ongoing");
	ck_assert_str_eq(dr_inc_status_name(DR_INC_ST_ENDED), "ended");
}
END_TEST

START_TEST(test_iso)
{
	static const char *const bad[] = {
		"", "2026-01-01", "2026-01-01T00:00:30", "2026-01-01 00:00:30Z",
		"2026-01-01T00:00:30.Z", "2026-01-01T00:00:30.0000001Z",
		"2026-13-01T00:00:30Z", "2026-02-30T00:00:30Z",
		"2026-01-01T24:00:00Z", "2026-01-01T00:00:30Zx",
		"2026-1-01T00:00:30Z", "x026-01-01T00:00:30Z", "?"
	};
	char	buf[40];
	int64_t	t;
	size_t	i;

	ck_assert_int_eq(dr_inc_parse_iso("2026-01-01T00:00:30.000Z", &t), 0);
	ck_assert_int_eq(t, T0 + 30 * S);
	ck_assert_int_eq(dr_inc_parse_iso("2026-01-01T00:00:30Z", &t), 0);
	ck_assert_int_eq(t, T0 + 30 * S);
	ck_assert_int_eq(dr_inc_parse_iso("2026-01-01T00:00:30.25Z", &t), 0);
	ck_assert_int_eq(t, T0 + 30 * S + 250000);
	ck_assert_int_eq(dr_inc_parse_iso("2026-01-01T00:00:30.000001Z", &t),
	    0);
	ck_assert_int_eq(t, T0 + 30 * S + 1);
	ck_assert_int_eq(dr_inc_parse_iso("2024-02-29T23:59:59.999Z", &t), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(dr_inc_parse_iso(bad[i], &t) == -EINVAL,
		    "accepted \"%s\"", bad[i]);
	ck_assert_int_eq(dr_inc_parse_iso(NULL, &t), -EINVAL);
	dr_inc_format_iso(T0 + 78 * S + 123456, buf, sizeof(buf));
	ck_assert_str_eq(buf, "2026-01-01T00:01:18.123Z");
	dr_inc_format_iso(NONE, buf, sizeof(buf));
	ck_assert_str_eq(buf, "?");
	dr_inc_format_iso(-1500000, buf, sizeof(buf));
	ck_assert_str_eq(buf, "1969-12-31T23:59:58.500Z");
	dr_inc_format_iso(T0, buf, 5);
	ck_assert_uint_lt(strlen(buf), 5);
}
END_TEST

static Suite *
incident_suite(void)
{
	Suite	*s = suite_create("incident");
	TCase	*tc = tcase_create("pairing");
	TCase	*tb = tcase_create("bounds");
	TCase	*tt = tcase_create("words and times");

	tcase_add_test(tc, test_pair);
	tcase_add_test(tc, test_start_fallbacks);
	tcase_add_test(tc, test_two_resolvers);
	tcase_add_test(tc, test_keys);
	tcase_add_test(tc, test_duplicate_onset);
	tcase_add_test(tc, test_duplicate_unknown_writer);
	tcase_add_test(tc, test_restart);
	tcase_add_test(tc, test_end_only);
	tcase_add_test(tc, test_replayed_entries);
	tcase_add_test(tc, test_second_outage);
	tcase_add_test(tc, test_flapping);
	tcase_add_test(tc, test_flapping_open);
	tcase_add_test(tc, test_updated);
	tcase_add_test(tc, test_slow);
	suite_add_tcase(s, tc);
	tcase_set_timeout(tb, 60);
	tcase_add_test(tb, test_open_bound);
	tcase_add_test(tb, test_list_bound);
	tcase_add_test(tb, test_bad_input);
	tcase_add_test(tb, test_random);
	suite_add_tcase(s, tb);
	tcase_add_test(tt, test_names);
	tcase_add_test(tt, test_iso);
	suite_add_tcase(s, tt);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(incident_suite());
	int	 nf;

	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
