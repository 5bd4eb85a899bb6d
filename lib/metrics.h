/*
 * metrics.h: the engine's counters in the Prometheus text format
 * (version 0.0.4), for a scraper; the daemon serves it over HTTP.
 */
#ifndef DR_METRICS_H
#define DR_METRICS_H

#include <stdio.h>

#include "engine.h"

/* capture_up: 1 when the live capture is open.  0, or -1 on error. */
int		dr_metrics_write(FILE *, struct dr_engine *, int capture_up);

#endif
