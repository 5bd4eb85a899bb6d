/*
 * when.h: a point in time as journalctl's --since and --until take it.
 */
#ifndef DR_WHEN_H
#define DR_WHEN_H

#include <stdint.h>

/*
 * Parse s, relative to now (microseconds since the epoch), into *out.
 * Dates are in the local time zone unless they end in " UTC" (or "Z"
 * after a "T" form).  Accepted:
 *   now, today, yesterday, tomorrow (the last three at 00:00:00)
 *   YYYY-MM-DD, YYYY-MM-DD HH:MM, YYYY-MM-DD HH:MM:SS (or with a "T")
 *   HH:MM, HH:MM:SS (today)
 *   @EPOCH (seconds, UTC)
 *   -SPAN, +SPAN, SPAN ago, SPAN left, where SPAN is one or more of a
 *   number and a unit: us, ms, s, sec, second(s), m, min, minute(s), h,
 *   hr, hour(s), d, day(s), w, week(s), M, month(s) (30.44 days), y,
 *   year(s) (365.25 days), as in "2h", "2 hours", "1h 30min".
 * Returns 0, or -EINVAL with *out untouched.
 */
int	dr_when_parse(const char *s, int64_t now, int64_t *out);

#endif
