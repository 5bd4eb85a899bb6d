/*
 * chart.c: a timeline in SVG: step lines over shaded spans, axes with
 * round numbers and UTC times.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "chart.h"
#include "doc.h"

#define W	720.0
#define H	240.0
#define ML	56.0		/* margins: left for the rates */
#define MR	16.0
#define MT	34.0		/* top for the legend */
#define MB	40.0		/* bottom for the times */
#define PW	(W - ML - MR)
#define PH	(H - MT - MB)

#define C_QUERIES	"#7fa7d9"
#define C_FAILED	"#c0392b"
#define C_FAILING	"#f6d2cf"
#define C_SLOW		"#fbe7b5"

/* The smallest of 1, 2, 5 times a power of ten at or above v. */
static double
nice_ceil(double v)
{
	static const double	m[] = { 1, 2, 5 };
	double			p = 0.001;
	int			i;

	if (v <= 1.0)
		return 1.0;
	for (;;) {
		for (i = 0; i < 3; i++)
			if (m[i] * p >= v)
				return m[i] * p;
		p *= 10.0;
	}
}

/* Tick spacing for about six ticks over span (us). */
static dr_time_t
tick_step(dr_time_t span)
{
	static const int	s[] = {
		1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600,
		7200, 10800, 21600, 43200, 86400, 172800, 604800
	};
	size_t			i;

	for (i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		if (span / (s[i] * DR_USEC) <= 7)
			return s[i] * DR_USEC;
	return span / 6 > 0 ? span / 6 : DR_USEC;
}

static void
clock_text(dr_time_t t, int seconds, char *buf, size_t len)
{
	struct tm	tm;
	time_t		s = (time_t)(t / DR_USEC);

	if (gmtime_r(&s, &tm) == NULL) {
		snprintf(buf, len, "?");
		return;
	}
	strftime(buf, len, seconds ? "%H:%M:%S" : "%H:%M", &tm);
}

static double
xpos(const struct dr_chart *c, dr_time_t t)
{
	double	span = (double)c->step * (double)c->n;
	double	x = ML + (double)(t - c->t0) / span * PW;

	return x < ML ? ML : x > ML + PW ? ML + PW : x;
}

static double
ypos(double v, double ymax)
{
	return MT + PH - v / ymax * PH;
}

/* A step line; width: the lookups are drawn wide, the failures over them. */
static void
series(FILE *f, const struct dr_chart *c, const uint32_t *v, double per,
    double ymax, const char *color, double width)
{
	size_t	i;

	fprintf(f, "<path fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\" "
	    "stroke-linejoin=\"round\" d=\"M%.1f %.1f", color, width, ML,
	    ypos(v[0] / per, ymax));
	for (i = 0; i < c->n; i++) {
		if (i > 0)
			fprintf(f, "V%.1f", ypos(v[i] / per, ymax));
		fprintf(f, "H%.1f", xpos(c, c->t0 + (dr_time_t)(i + 1) *
		    c->step));
	}
	fprintf(f, "\"/>\n");
}

int
dr_chart_svg(FILE *f, const struct dr_chart *c)
{
	double		per, ymax = 0.0, x0, x1, x;
	dr_time_t	end, tick, t;
	char		label[32];
	size_t		i;
	int		seconds, slow = 0;

	if (c->n == 0 || c->step <= 0 || c->queries == NULL ||
	    c->failed == NULL)
		return -1;
	per = (double)c->step / DR_USEC;
	end = c->t0 + c->step * (dr_time_t)c->n;
	for (i = 0; i < c->n; i++) {
		if (c->queries[i] / per > ymax)
			ymax = c->queries[i] / per;
		if (c->failed[i] / per > ymax)
			ymax = c->failed[i] / per;
	}
	ymax = nice_ceil(ymax);

	fprintf(f, "<svg viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" "
	    "height=\"%.0f\" role=\"img\" font-family=\"sans-serif\" "
	    "font-size=\"11\" aria-label=\"", W, H, W, H);
	dr_html_escape(f, c->title);
	fprintf(f, "\">\n<title>");
	dr_html_escape(f, c->title);
	fprintf(f, "</title>\n<rect x=\"0\" y=\"0\" width=\"%.0f\" "
	    "height=\"%.0f\" fill=\"#ffffff\"/>\n", W, H);

	/* The spans first, under everything else. */
	for (i = 0; i < c->nspans; i++) {
		if (c->spans[i].to < c->t0 || c->spans[i].from > end)
			continue;
		x0 = xpos(c, c->spans[i].from);
		x1 = xpos(c, c->spans[i].to);
		if (x1 - x0 < 2.0)
			x1 = x0 + 2.0;
		slow |= c->spans[i].kind == DR_SPAN_SLOW;
		fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		    "height=\"%.1f\" fill=\"%s\"/>\n", x0, MT, x1 - x0, PH,
		    c->spans[i].kind == DR_SPAN_SLOW ? C_SLOW : C_FAILING);
	}

	/* Rates: 0, half, top. */
	for (i = 0; i <= 2; i++) {
		double	v = ymax * (double)i / 2.0;

		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		    "y2=\"%.1f\" stroke=\"#cccccc\" stroke-width=\"1\"/>\n",
		    ML, ypos(v, ymax), ML + PW, ypos(v, ymax));
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" "
		    "text-anchor=\"end\">%.10g</text>\n", ML - 6.0,
		    ypos(v, ymax) + 4.0, v);
	}
	fprintf(f, "<text x=\"4\" y=\"%.1f\" font-size=\"10\">per s</text>\n",
	    MT - 6.0);

	/* Times, at round UTC moments. */
	tick = tick_step(end - c->t0);
	seconds = tick < 60 * DR_USEC;
	t = c->t0 - (c->t0 % tick + tick) % tick;
	for (; t <= end; t += tick) {
		if (t < c->t0)
			continue;
		x = xpos(c, t);
		clock_text(t, seconds, label, sizeof(label));
		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		    "y2=\"%.1f\" stroke=\"#888888\" stroke-width=\"1\"/>\n",
		    x, MT + PH, x, MT + PH + 4.0);
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">"
		    "%s</text>\n", x, MT + PH + 16.0, label);
	}
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" "
	    "font-size=\"10\">UTC</text>\n", ML + PW, H - 6.0);
	fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
	    "stroke=\"#444444\" stroke-width=\"1\"/>\n", ML, MT + PH,
	    ML + PW, MT + PH);

	series(f, c, c->queries, per, ymax, C_QUERIES, 4.0);
	series(f, c, c->failed, per, ymax, C_FAILED, 1.6);

	/* The legend, along the top. */
	fprintf(f, "<line x1=\"%.1f\" y1=\"14\" x2=\"%.1f\" y2=\"14\" "
	    "stroke=\"%s\" stroke-width=\"4\"/>\n<text x=\"%.1f\" y=\"18\">"
	    "lookups per second</text>\n", ML, ML + 18.0, C_QUERIES,
	    ML + 22.0);
	fprintf(f, "<line x1=\"%.1f\" y1=\"14\" x2=\"%.1f\" y2=\"14\" "
	    "stroke=\"%s\" stroke-width=\"2\"/>\n<text x=\"%.1f\" y=\"18\">"
	    "failed lookups per second</text>\n", ML + 150.0, ML + 168.0,
	    C_FAILED, ML + 172.0);
	fprintf(f, "<rect x=\"%.1f\" y=\"8\" width=\"18\" height=\"11\" "
	    "fill=\"%s\"/>\n<text x=\"%.1f\" y=\"18\">failing</text>\n",
	    ML + 330.0, C_FAILING, ML + 352.0);
	if (slow)
		fprintf(f, "<rect x=\"%.1f\" y=\"8\" width=\"18\" "
		    "height=\"11\" fill=\"%s\"/>\n<text x=\"%.1f\" y=\"18\">"
		    "slow</text>\n", ML + 410.0, C_SLOW, ML + 432.0);
	fprintf(f, "</svg>\n");
	return ferror(f) ? -1 : 0;
}
