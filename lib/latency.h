/*
 * latency.h: answer times in fixed, log-scaled bins.
 *
 * Bins follow a 1-1.5-2-3-5-7 series from 100 us to 30 s (about 1.5x
 * apart, so a quantile read back is within ~20 %), plus one open bin
 * above.  Memory is fixed: a resolver keeps a lifetime histogram and a
 * window of two halves that take turns, so the window's quantiles cover
 * the last half-span to span of time.
 */
#ifndef DR_LATENCY_H
#define DR_LATENCY_H

#include <stdint.h>

#include "base.h"

#define DR_LAT_NBOUNDS	34
#define DR_LAT_NBINS	(DR_LAT_NBOUNDS + 1)

struct dr_latency_window {
	uint32_t	half[2][DR_LAT_NBINS];	/* [0] is the current half */
	uint32_t	n[2];			/* samples in each half */
	uint32_t	over[2];		/* of those, marked "over" */
	int64_t		epoch;			/* now / half-span */
};

/* The bin of an answer time (us); negative times go to bin 0. */
int		dr_latency_bin(dr_time_t);
/* Upper bound of bin i in us; INT64_MAX for the open last bin. */
dr_time_t	dr_latency_bound(int);
/*
 * Quantile q (0 < q < 1) of a histogram, interpolated inside its bin;
 * 0 when the histogram is empty.  *n, when not NULL, gets the count.
 */
dr_time_t	dr_latency_quantile(const uint64_t *bins, double q,
		    uint64_t *n);

/*
 * Rotate to now (span: the whole window), then count bin; over marks a
 * sample as one of interest (above a threshold), counted apart.
 */
void		dr_latency_window_add(struct dr_latency_window *,
		    dr_time_t span, dr_time_t now, int bin, int over);
void		dr_latency_window_advance(struct dr_latency_window *,
		    dr_time_t span, dr_time_t now);
/* Both halves added up into bins[DR_LAT_NBINS]. */
void		dr_latency_window_sum(const struct dr_latency_window *,
		    uint64_t *bins);

#endif
