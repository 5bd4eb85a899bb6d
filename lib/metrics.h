/*
 * metrics.h: the engine's counters in the Prometheus text format
 * (version 0.0.4), for a scraper; the daemon serves it over HTTP.
 *
 * Names follow Prometheus's conventions: counters end in _total, times
 * are in seconds, ratios are 0 to 1.  Per-resolver series carry a
 * resolver label, one set per resolver in the tracker's table, so
 * their number is bounded by max_resolvers.
 */
#ifndef DR_METRICS_H
#define DR_METRICS_H

#include <stdint.h>
#include <stdio.h>

#include "engine.h"

/* What the process knows and the engine does not. */
struct dr_metrics_info {
	const char	*version;	/* dnsreach_build_info's labels */
	const char	*libpcap;
	const char	*libevent;
	double		 start_time;	/* process start, epoch s */
	int		 capture_up;	/* the live capture is open */
	/* The HTTP endpoint itself. */
	uint64_t	 http_open;	/* connections open now */
	uint64_t	 http_accepted;
	uint64_t	 http_expired;	/* closed at their deadline */
	uint64_t	 http_accept_errors;
};

/* 0, or -1 when the stream reports an error. */
int		dr_metrics_write(FILE *, struct dr_engine *,
		    const struct dr_metrics_info *);

#endif
