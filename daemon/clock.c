/*
 * clock.c: the live engine's clock.
 *
 * Packet stamps are wall-clock time, which NTP can step.  The engine's
 * clock must not step with it: back, its ticks would be ignored for as
 * long as the step; forward, every window and query would age out at
 * once.  So the engine runs on CLOCK_MONOTONIC dressed as wall time (the
 * wall clock at the start plus the monotonic time since), a packet's
 * stamp is moved by how far the wall clock has stepped since the start
 * (sampled once a batch, so a slewing clock is followed too), and
 * alerts are told in wall time again.  --read does not use this: there
 * packet time is the clock.
 */
#include <time.h>

#include "clock.h"

static dr_time_t	start_offset;	/* wall - monotonic at the start */
static dr_time_t	stepped;	/* how far the wall clock moved since */

static dr_time_t
read_clock(clockid_t id)
{
	struct timespec	ts;

	clock_gettime(id, &ts);
	return (dr_time_t)ts.tv_sec * DR_USEC + ts.tv_nsec / 1000;
}

void
clock_start(void)
{
	start_offset = read_clock(CLOCK_REALTIME) - read_clock(CLOCK_MONOTONIC);
	stepped = 0;
}

void
clock_sample(void)
{
	stepped = read_clock(CLOCK_REALTIME) - read_clock(CLOCK_MONOTONIC) -
	    start_offset;
}

dr_time_t
clock_now(void)
{
	return read_clock(CLOCK_MONOTONIC) + start_offset;
}

dr_time_t
clock_from_wall(dr_time_t t)
{
	/* An odd stamp stays odd: the engine judges it. */
	return dr_time_valid(t) ? t - stepped : t;
}

dr_time_t
clock_to_wall(dr_time_t t)
{
	return t + stepped;
}

dr_time_t
clock_wall(void)
{
	return read_clock(CLOCK_REALTIME);
}
