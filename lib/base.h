/*
 * base.h: what every module shares: time as a plain integer.
 *
 * Time is microseconds since the epoch (packet time, or the daemon's
 * clock mapped onto it).  Timestamps come from savefiles and NICs and
 * can be anything; the engine keeps only those within DR_TIME_LIMIT of
 * the epoch, so sums of a time and any span stay far from overflow.
 */
#ifndef DR_BASE_H
#define DR_BASE_H

#include <stdint.h>

typedef int64_t dr_time_t;

#define DR_USEC		1000000LL
#define DR_MSEC		1000LL
/* About 36,000 years either way: a span of years can be added freely. */
#define DR_TIME_LIMIT	(INT64_C(1) << 60)

static inline int
dr_time_valid(dr_time_t t)
{
	return t > -DR_TIME_LIMIT && t < DR_TIME_LIMIT;
}

/*
 * Seconds and microseconds as a capture header gives them (a savefile
 * may hold anything there) to a time; out of range gives DR_TIME_LIMIT,
 * which is not valid, never an overflow.
 */
static inline dr_time_t
dr_time_from_tv(int64_t sec, int64_t usec)
{
	dr_time_t	t;

	if (sec <= -DR_TIME_LIMIT / DR_USEC || sec >= DR_TIME_LIMIT / DR_USEC ||
	    usec <= -DR_USEC * 1000 || usec >= DR_USEC * 1000)
		return DR_TIME_LIMIT;
	/* Both fields in range can still add up to one past the limit. */
	t = sec * DR_USEC + usec;
	return dr_time_valid(t) ? t : DR_TIME_LIMIT;
}

#endif
