/*
 * clock.h: the live engine's clock: monotonic, read as wall time.
 */
#ifndef DR_CLOCK_H
#define DR_CLOCK_H

#include "base.h"

/* Take the wall clock's reading now as the start (before capturing). */
void		clock_start(void);
/* How far the wall clock has stepped since the start: once a batch. */
void		clock_sample(void);
/* Now, for the engine: monotonic time since the start, plus the start. */
dr_time_t	clock_now(void);
/* A packet's wall-clock stamp on the engine's clock, and back. */
dr_time_t	clock_from_wall(dr_time_t);
dr_time_t	clock_to_wall(dr_time_t);
/* The wall clock, for what is measured against packet stamps. */
dr_time_t	clock_wall(void);

#endif
