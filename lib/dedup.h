/*
 * dedup.h: a packet seen twice, counted once.
 *
 * On a gateway that captures on several interfaces (or on "any"), a
 * forwarded DNS packet is seen once coming in and once going out, a few
 * microseconds apart, perhaps with another client address and port
 * (NAT).  Two events are copies when they are of the same kind about the
 * same resolver (address and port) and carry the same DNS message (its
 * first DR_DEDUP_BYTES bytes: id, flags, counts, question, and how long
 * it is), stamped at most window apart.  An event without DNS bytes (TCP
 * handshakes, an ICMP error quoting 8 bytes) matches only an exact copy:
 * client address and port as well, since nothing else tells two apart.
 *
 * A bounded table of 4-way sets keyed by a seeded 64-bit hash: lookups
 * compare stamps in either direction, since two capture handles hand
 * over their packets in batches and not in time order; an insert into a
 * full set replaces its oldest entry.  Allocation at creation only.
 */
#ifndef DR_DEDUP_H
#define DR_DEDUP_H

#include <stddef.h>
#include <stdint.h>

#include "base.h"
#include "decode.h"

#define DR_DEDUP_BYTES		256	/* of a DNS message, compared */
#define DR_DEDUP_SLOTS		32768	/* the engine's table */
#define DR_DEDUP_WINDOW_MAX	DR_USEC

struct dr_dedup;

/* slots is rounded up to a multiple of 4; NULL when out of memory. */
struct dr_dedup	*dr_dedup_new(uint32_t slots, dr_time_t window,
		    uint32_t seed);
void		 dr_dedup_free(struct dr_dedup *);
/* Bytes a table of that many slots takes. */
size_t		 dr_dedup_size(uint32_t slots);
/* 0 turns it off: nothing is a copy any more. */
void		 dr_dedup_set_window(struct dr_dedup *, dr_time_t);
/*
 * 1 when ev copies an event seen within window of it (do not count it
 * again); else ev is remembered and the answer is 0.
 */
int		 dr_dedup_seen(struct dr_dedup *, const struct dr_event *);

#endif
