/*
 * when.c: --since and --until times, as journalctl reads them (a useful
 * subset of systemd.time(7)).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "when.h"

#define USEC		1000000LL
#define SPAN_MAX	(1000LL * 366 * 86400 * USEC)	/* 1000 years */

static const struct {
	const char	*name;
	int64_t		 us;
} units[] = {
	/* A unit is a whole word: "m" never matches the start of "min". */
	{ "us", 1 }, { "usec", 1 }, { "ms", 1000 }, { "msec", 1000 },
	{ "s", USEC }, { "sec", USEC }, { "second", USEC },
	{ "seconds", USEC },
	{ "m", 60 * USEC }, { "min", 60 * USEC }, { "minute", 60 * USEC },
	{ "minutes", 60 * USEC },
	{ "h", 3600 * USEC }, { "hr", 3600 * USEC }, { "hour", 3600 * USEC },
	{ "hours", 3600 * USEC },
	{ "d", 86400 * USEC }, { "day", 86400 * USEC },
	{ "days", 86400 * USEC },
	{ "w", 604800 * USEC }, { "week", 604800 * USEC },
	{ "weeks", 604800 * USEC },
	{ "M", 2629800 * USEC }, { "month", 2629800 * USEC },
	{ "months", 2629800 * USEC },
	{ "y", 31557600 * USEC }, { "year", 31557600 * USEC },
	{ "years", 31557600 * USEC },
};

/* "2h 30min", "1.5h", "90": a span in microseconds (no unit: seconds). */
static int
parse_span(const char *s, const char *end, int64_t *out)
{
	int64_t	total = 0, whole, frac, scale, u;
	size_t	i, n;
	int	any = 0;

	while (s < end) {
		while (s < end && *s == ' ')
			s++;
		if (s == end)
			break;
		if (!isdigit((unsigned char)*s))
			return -1;
		for (whole = 0; s < end && isdigit((unsigned char)*s); s++) {
			whole = whole * 10 + (*s - '0');
			if (whole > SPAN_MAX)
				return -1;
		}
		frac = 0;
		scale = 1;
		if (s < end && *s == '.') {
			for (s++; s < end && isdigit((unsigned char)*s); s++)
				if (scale < 1000000) {
					frac = frac * 10 + (*s - '0');
					scale *= 10;
				}
		}
		while (s < end && *s == ' ')
			s++;
		u = USEC;
		if (s < end && isalpha((unsigned char)*s)) {
			for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
				n = strlen(units[i].name);
				if ((size_t)(end - s) >= n &&
				    strncmp(s, units[i].name, n) == 0 &&
				    (s + n == end ||
				    !isalpha((unsigned char)s[n])))
					break;
			}
			if (i == sizeof(units) / sizeof(units[0]))
				return -1;
			u = units[i].us;
			s += n;
		}
		if (whole > SPAN_MAX / u)
			return -1;
		/* frac < scale <= 10^6: no product here can overflow. */
		total += whole * u + u / scale * frac +
		    u % scale * frac / scale;
		if (total > SPAN_MAX)
			return -1;
		any = 1;
	}
	if (!any)
		return -1;
	*out = total;
	return 0;
}

static int
num(const char **sp, int n, int *out)
{
	int	v = 0, i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*sp)[i]))
			return -1;
		v = v * 10 + ((*sp)[i] - '0');
	}
	*sp += n;
	*out = v;
	return 0;
}

/* tm (fields set, local or UTC) to microseconds; checks nothing moved. */
static int
tm_to_us(struct tm *tm, int utc, int64_t *out)
{
	struct tm	want = *tm;
	time_t		t;

	tm->tm_isdst = -1;
	if ((t = utc ? timegm(tm) : mktime(tm)) == (time_t)-1)
		return -1;
	if (tm->tm_mday != want.tm_mday || tm->tm_mon != want.tm_mon ||
	    tm->tm_year != want.tm_year)
		return -1;
	*out = (int64_t)t * USEC;
	return 0;
}

/* "YYYY-MM-DD[( |T)HH:MM[:SS]][ UTC|Z]" or "HH:MM[:SS][ UTC]". */
static int
parse_date(const char *s, const char *end, int64_t now, int64_t *out)
{
	struct tm	tm;
	time_t		t = (time_t)(now / USEC);
	int		y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, utc = 0;
	int		have_date = 0, have_time = 0;
	size_t		n = (size_t)(end - s);

	if (n >= 4 && strncmp(end - 4, " UTC", 4) == 0) {
		utc = 1;
		end -= 4;
	} else if (n >= 1 && end[-1] == 'Z' && memchr(s, 'T', n) != NULL) {
		utc = 1;
		end--;
	}
	if (end - s >= 10 && s[4] == '-') {
		if (num(&s, 4, &y) || *s++ != '-' || num(&s, 2, &mo) ||
		    *s++ != '-' || num(&s, 2, &d))
			return -1;
		have_date = 1;
		if (s < end) {
			if (*s != ' ' && *s != 'T')
				return -1;
			s++;
		}
	}
	if (s < end) {
		if (end - s < 5 || num(&s, 2, &h) || *s++ != ':' ||
		    num(&s, 2, &mi))
			return -1;
		if (s < end && (*s++ != ':' || end - s != 2 ||
		    num(&s, 2, &sec)))
			return -1;
		have_time = 1;
	}
	if (s != end || (!have_date && !have_time))
		return -1;
	if (h > 23 || mi > 59 || sec > 59)
		return -1;
	if (have_date) {
		if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31)
			return -1;
		memset(&tm, 0, sizeof(tm));
		tm.tm_year = y - 1900;
		tm.tm_mon = mo - 1;
		tm.tm_mday = d;
	} else if ((utc ? gmtime_r(&t, &tm) : localtime_r(&t, &tm)) == NULL)
		return -1;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	return tm_to_us(&tm, utc, out);
}

/* Local midnight, days away from now's day. */
static int
midnight(int64_t now, int days, int64_t *out)
{
	struct tm	tm;
	time_t		t = (time_t)(now / USEC);

	if (localtime_r(&t, &tm) == NULL)
		return -1;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_mday += days;
	tm.tm_isdst = -1;
	if ((t = mktime(&tm)) == (time_t)-1)
		return -1;
	*out = (int64_t)t * USEC;
	return 0;
}

static int
word(const char *s, const char *end, const char *w)
{
	size_t	n = strlen(w);

	return (size_t)(end - s) == n && strncmp(s, w, n) == 0;
}

/* "@1767225600": seconds since the epoch. */
static int
parse_epoch(const char *s, const char *end, int64_t *out)
{
	int64_t	v = 0;

	if (s == end)
		return -1;
	for (; s < end; s++) {
		if (!isdigit((unsigned char)*s) || v > SPAN_MAX)
			return -1;
		v = v * 10 + (*s - '0') * USEC;
	}
	*out = v;
	return 0;
}

int
dr_when_parse(const char *s, int64_t now, int64_t *out)
{
	const char	*end;
	int64_t		 v = 0, span = 0;
	int		 r;

	if (s == NULL)
		return -EINVAL;
	while (*s == ' ')
		s++;
	end = s + strlen(s);
	while (end > s && end[-1] == ' ')
		end--;
	if (end == s)
		return -EINVAL;
	if (word(s, end, "now")) {
		v = now;
		r = 0;
	} else if (word(s, end, "today"))
		r = midnight(now, 0, &v);
	else if (word(s, end, "yesterday"))
		r = midnight(now, -1, &v);
	else if (word(s, end, "tomorrow"))
		r = midnight(now, 1, &v);
	else if (*s == '@')
		r = parse_epoch(s + 1, end, &v);
	else if (*s == '-' || *s == '+') {
		r = parse_span(s + 1, end, &span);
		v = *s == '-' ? now - span : now + span;
	} else if (end - s > 4 && strncmp(end - 4, " ago", 4) == 0) {
		r = parse_span(s, end - 4, &span);
		v = now - span;
	} else if (end - s > 5 && strncmp(end - 5, " left", 5) == 0) {
		r = parse_span(s, end - 5, &span);
		v = now + span;
	} else
		r = parse_date(s, end, now, &v);
	if (r != 0)
		return -EINVAL;
	*out = v;
	return 0;
}
