/*
 * engine.h: decode -> tracker -> detector -> alert queue, the same for
 * live capture and savefiles.
 *
 * Time is always the caller's: packet timestamps, plus ticks so windows
 * advance and alerts clear when no packets come.  A packet stamped far
 * from the engine's clock is held until the next packet says whether
 * the clock really stepped (then the engine follows: forward as a gap,
 * back by re-basing) or that one stamp was wrong (then it is counted
 * as suspect and taken at the engine's time).  Alerts are stamped in
 * packet time all the same.  The engine never calls out: alerts are
 * queued as values and the caller drains them.
 */
#ifndef DR_ENGINE_H
#define DR_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "alert.h"
#include "base.h"
#include "config.h"
#include "decode.h"
#include "tracker.h"

struct dr_engine_stats {
	uint64_t	packets;
	uint64_t	decode[DR_DECODE_NRESULTS];
	uint64_t	kinds[DR_EV_NKINDS];
	uint64_t	held;		/* alerts held back for capture loss */
	uint64_t	alerts;		/* resolvers that went failing */
	uint64_t	reminders;
	uint64_t	recoveries;
	uint64_t	flaps;
	uint64_t	updates;
	uint64_t	slow;
	uint64_t	slow_recoveries;
	uint64_t	alerts_dropped;	/* queue full: reminders first */
	uint64_t	suspect_time;	/* stamps far off, taken at "now" */
	uint64_t	clock_steps;	/* confirmed jumps of packet time */
	uint64_t	duplicates;	/* seen on two interfaces: once */
	uint64_t	capture_received;	/* as pcap_stats last said */
	uint64_t	capture_dropped;
	uint64_t	capture_ifdropped;
};

struct dr_engine;

/*
 * NULL when the tables cannot be allocated.  seed keys the hash tables
 * (it should differ between runs, so that nobody can aim collisions).
 */
struct dr_engine *dr_engine_new(const struct dr_config *, uint32_t seed);
void		dr_engine_free(struct dr_engine *);
/*
 * Bytes dr_engine_new() allocates for this configuration (the tables
 * are mostly untouched until traffic fills them: an upper bound).  A
 * reload into new table sizes holds the old and the new ones at once.
 */
uint64_t	dr_engine_memory(const struct dr_config *);
/*
 * Take a new configuration.  Window state of resolvers is kept unless the
 * window geometry or table sizes change; then each resolver's counts and
 * alert state move to the new tables, its window totals booked at the
 * reload.  Returns 1 when state was kept whole, 0 when tables were
 * rebuilt, -1 on allocation failure (old state kept).
 */
int		dr_engine_reconfigure(struct dr_engine *,
		    const struct dr_config *);

/* One captured frame.  Runs any ticks that packet time has passed. */
void		dr_engine_packet(struct dr_engine *, int linktype,
		    const uint8_t *, size_t caplen, size_t wirelen,
		    dr_time_t ts);
/* Timer: time out queries, move windows to now, evaluate resolvers. */
void		dr_engine_tick(struct dr_engine *, dr_time_t now);
/*
 * Capture counters as pcap_stats reports them (cumulative since open;
 * the caller adds across reopens).  Growth is booked at time now so that
 * alerts can tell a loss from a failure.
 */
void		dr_engine_capture_stats(struct dr_engine *, uint64_t received,
		    uint64_t dropped, uint64_t ifdropped, dr_time_t now);
/*
 * The capture went down (up = 0) or came back.  While it is down nothing
 * is judged; for one window after it comes back an empty window is not a
 * recovery, since the emptiness is our blindness, not the resolver's.
 */
void		dr_engine_capture_state(struct dr_engine *, int up,
		    dr_time_t now);
/*
 * End of a savefile: the last bucket is judged (the end is a tick),
 * then queries still out end as timeouts, without a verdict on them.
 */
void		dr_engine_finish(struct dr_engine *);

/* The oldest queued alert into *a: 1, or 0 when the queue is empty. */
int		dr_engine_next_alert(struct dr_engine *, struct dr_alert *);
size_t		dr_engine_queued_alerts(const struct dr_engine *);

const struct dr_engine_stats *dr_engine_stats(const struct dr_engine *);
struct dr_tracker *dr_engine_tracker(struct dr_engine *);
const struct dr_detect_conf *dr_engine_detect_conf(const struct dr_engine *);
/* Resolvers now failing, and now slow. */
size_t		dr_engine_nfailing(struct dr_engine *);
size_t		dr_engine_nslow(struct dr_engine *);
dr_time_t	dr_engine_now(const struct dr_engine *);

#endif
