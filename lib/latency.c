/*
 * latency.c: log-scaled histograms of answer times.
 */
#include <string.h>

#include "latency.h"

static const dr_time_t bounds[DR_LAT_NBOUNDS] = {
	100, 150, 200, 300, 500, 700,
	1000, 1500, 2000, 3000, 5000, 7000,
	10000, 15000, 20000, 30000, 50000, 70000,
	100000, 150000, 200000, 300000, 500000, 700000,
	1000000, 1500000, 2000000, 3000000, 5000000, 7000000,
	10000000, 15000000, 20000000, 30000000
};

int
dr_latency_bin(dr_time_t us)
{
	int	lo = 0, hi = DR_LAT_NBOUNDS, mid;

	/* The first bin whose upper bound is above us. */
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (us < bounds[mid])
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

dr_time_t
dr_latency_bound(int i)
{
	if (i < 0)
		return 0;
	return i < DR_LAT_NBOUNDS ? bounds[i] : INT64_MAX;
}

dr_time_t
dr_latency_quantile(const uint64_t *bins, double q, uint64_t *np)
{
	uint64_t	n = 0, cum = 0;
	double		want, lo, hi;
	int		i;

	for (i = 0; i < DR_LAT_NBINS; i++)
		n += bins[i];
	if (np != NULL)
		*np = n;
	if (n == 0)
		return 0;
	want = q * (double)n;
	for (i = 0; i < DR_LAT_NBINS - 1; i++) {
		if ((double)(cum + bins[i]) >= want && bins[i] > 0)
			break;
		cum += bins[i];
	}
	lo = i == 0 ? 0.0 : (double)bounds[i - 1];
	/* The open bin reads as its lower bound: "at least". */
	if (i == DR_LAT_NBINS - 1)
		return (dr_time_t)lo;
	hi = (double)bounds[i];
	return (dr_time_t)(lo + (hi - lo) * (want - (double)cum) /
	    (double)bins[i]);
}

void
dr_latency_window_advance(struct dr_latency_window *w, dr_time_t span,
    dr_time_t now)
{
	dr_time_t	halfspan = span / 2 > 0 ? span / 2 : 1;
	int64_t		epoch = now / halfspan;

	/* Only forward: an answer a little late must not wipe a half. */
	if (epoch <= w->epoch)
		return;
	if (epoch == w->epoch + 1) {
		memcpy(w->half[1], w->half[0], sizeof(w->half[0]));
		w->n[1] = w->n[0];
		w->over[1] = w->over[0];
	} else {
		memset(w->half[1], 0, sizeof(w->half[1]));
		w->n[1] = w->over[1] = 0;
	}
	memset(w->half[0], 0, sizeof(w->half[0]));
	w->n[0] = w->over[0] = 0;
	w->epoch = epoch;
}

void
dr_latency_window_add(struct dr_latency_window *w, dr_time_t span,
    dr_time_t now, int bin, int over)
{
	dr_latency_window_advance(w, span, now);
	if (bin >= 0 && bin < DR_LAT_NBINS) {
		w->half[0][bin]++;
		w->n[0]++;
		w->over[0] += over != 0;
	}
}

void
dr_latency_window_sum(const struct dr_latency_window *w, uint64_t *bins)
{
	int	i;

	for (i = 0; i < DR_LAT_NBINS; i++)
		bins[i] = (uint64_t)w->half[0][i] + w->half[1][i];
}
