/*
 * chart.h: one resolver's timeline as an inline SVG drawing: queries and
 * failed queries per second, step by step, with the failing (and slow)
 * spans shaded.  Plain SVG 1.1 shapes and text, no scripts, no links,
 * no fonts or images from elsewhere: a renderer needs nothing but the
 * drawing.
 */
#ifndef DR_CHART_H
#define DR_CHART_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base.h"

enum dr_chart_span_kind {
	DR_SPAN_FAILING = 0,
	DR_SPAN_SLOW
};

struct dr_chart_span {
	dr_time_t		from, to;
	enum dr_chart_span_kind	kind;
};

struct dr_chart {
	const char	*title;		/* our own words: escaped anyway */
	dr_time_t	 t0;		/* start of step 0 */
	dr_time_t	 step;		/* > 0 */
	size_t		 n;		/* steps */
	const uint32_t	*queries;	/* per step */
	const uint32_t	*failed;	/* per step (by when asked) */
	const struct dr_chart_span *spans;
	size_t		 nspans;
};

/* The <svg> element; 0, or -1 when the chart makes no sense. */
int		dr_chart_svg(FILE *, const struct dr_chart *);

#endif
