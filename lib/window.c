/*
 * window.c: fixed buckets in a ring, totals kept as buckets come and go.
 */
#include <string.h>

#include "window.h"

size_t
dr_window_size(const struct dr_window_conf *wc)
{
	return sizeof(struct dr_window) +
	    (size_t)wc->nbuckets * sizeof(uint32_t[DR_W_NCOUNTERS]);
}

void
dr_window_init(struct dr_window *w, const struct dr_window_conf *wc)
{
	memset(w, 0, dr_window_size(wc));
	w->head = INT64_MIN;		/* nothing seen yet */
}

static int64_t
bucket_index(const struct dr_window_conf *wc, dr_time_t ts)
{
	/* Floor division: timestamps before 1970 still order correctly. */
	int64_t	i = ts / wc->bucket;

	if (ts % wc->bucket != 0 && ts < 0)
		i--;
	return i;
}

static uint32_t
slot(const struct dr_window_conf *wc, int64_t idx)
{
	int64_t	s = idx % (int64_t)wc->nbuckets;

	return (uint32_t)(s < 0 ? s + wc->nbuckets : s);
}

static void
clear_bucket(struct dr_window *w, uint32_t s)
{
	int	c;

	for (c = 0; c < DR_W_NCOUNTERS; c++) {
		w->totals[c] -= w->b[s][c];
		w->b[s][c] = 0;
	}
}

static void
move_head(struct dr_window *w, const struct dr_window_conf *wc, int64_t idx)
{
	int64_t	i, from;

	if (idx <= w->head)
		return;
	if (w->head == INT64_MIN || idx - w->head >= (int64_t)wc->nbuckets) {
		/* A jump past the whole span: everything is old. */
		memset(w->totals, 0, sizeof(w->totals));
		memset(w->b, 0, (size_t)wc->nbuckets *
		    sizeof(uint32_t[DR_W_NCOUNTERS]));
	} else {
		from = w->head + 1;
		for (i = from; i <= idx; i++)
			clear_bucket(w, slot(wc, i));
	}
	w->head = idx;
}

int
dr_window_add(struct dr_window *w, const struct dr_window_conf *wc,
    dr_time_t ts, enum dr_wcounter c, int32_t delta)
{
	int64_t		idx = bucket_index(wc, ts);
	uint32_t	s;

	if (idx > w->head)
		move_head(w, wc, idx);
	else if (w->head - idx >= (int64_t)wc->nbuckets)
		return -1;
	s = slot(wc, idx);
	/* Never let a take-back drive a count below zero. */
	if (delta < 0 && w->b[s][c] < 0u - (uint32_t)delta)
		delta = -(int32_t)w->b[s][c];
	w->b[s][c] += (uint32_t)delta;
	w->totals[c] += (uint32_t)delta;
	return 0;
}

void
dr_window_advance(struct dr_window *w, const struct dr_window_conf *wc,
    dr_time_t now)
{
	int64_t	idx = bucket_index(wc, now);

	if (w->head != INT64_MIN && idx > w->head)
		move_head(w, wc, idx);
}

void
dr_window_recent(const struct dr_window *w, const struct dr_window_conf *wc,
    dr_time_t now, uint32_t nb, uint32_t *out)
{
	int64_t		idx, from;
	uint32_t	s;
	int		c;

	memset(out, 0, DR_W_NCOUNTERS * sizeof(*out));
	if (w->head == INT64_MIN)
		return;
	if (nb > wc->nbuckets)
		nb = wc->nbuckets;
	/* Buckets after the head are empty; before head-nbuckets, gone. */
	idx = bucket_index(wc, now);
	if (idx > w->head)
		idx = w->head;
	from = bucket_index(wc, now) - (int64_t)nb + 1;
	if (from <= w->head - (int64_t)wc->nbuckets)
		from = w->head - (int64_t)wc->nbuckets + 1;
	for (; from <= idx; from++) {
		s = slot(wc, from);
		for (c = 0; c < DR_W_NCOUNTERS; c++)
			out[c] += w->b[s][c];
	}
}

dr_time_t
dr_window_first(const struct dr_window *w, const struct dr_window_conf *wc,
    enum dr_wcounter first, enum dr_wcounter last)
{
	int64_t		idx;
	uint32_t	s;
	int		c;

	if (w->head == INT64_MIN)
		return INT64_MIN;
	for (idx = w->head - wc->nbuckets + 1; idx <= w->head; idx++) {
		s = slot(wc, idx);
		for (c = first; c <= (int)last; c++)
			if (w->b[s][c] > 0)
				return idx * wc->bucket;
	}
	return INT64_MIN;
}

const char *
dr_wcounter_name(enum dr_wcounter c)
{
	static const char *const names[DR_W_NCOUNTERS] = {
		"queries", "responses", "fail_port", "fail_port_path",
		"fail_admin", "fail_host", "fail_other", "fail_reset",
		"timeouts", "fail_servfail", "fail_refused", "fail_rcode",
		"unmatched", "late", "retransmissions"
	};

	return (unsigned)c < DR_W_NCOUNTERS ? names[c] : "?";
}
