/*
 * report.h: an incident report from a capture, for the people who must
 * act on it: a summary in plain words (what users saw, since when, how
 * many machines, which names, which resolver, the likely cause, its
 * evidence and what to check next), a timeline in UTC, and a technical
 * appendix with the counts and evidence packets in tcpdump's words.
 * Markdown, or one HTML page with an SVG timeline per failing resolver.
 *
 * Built from two passes over the same savefile:
 *
 *   1. the replay: the engine's alerts, one by one, to dr_report_alert();
 *      then dr_report_engine() takes the resolvers' lifetime counts and
 *      the capture's span.  This says which resolvers failed, when, why.
 *   2. only when some did (dr_report_wants_packets()), every frame again
 *      to dr_report_packet(): for those resolvers alone, lookups and
 *      failures per time step (each query's outcome matched to it), the
 *      clients and names that failed, the ICMP senders, and the first
 *      few failed exchanges and the first answer after each recovery.
 *
 * Memory is bounded whatever the capture holds: DR_REPORT_RESOLVERS
 * resolvers in detail, DR_REPORT_EPISODES incidents each, a timeline of
 * at most DR_REPORT_POINTS steps (longer spans take longer steps), a
 * fixed table of queries awaiting their outcome; what does not fit is
 * counted and said.  Pure: frames and alerts in, text out.
 */
#ifndef DR_REPORT_H
#define DR_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "alert.h"
#include "config.h"
#include "doc.h"
#include "engine.h"

#define DR_REPORT_RESOLVERS	16	/* failing resolvers told in detail */
#define DR_REPORT_EPISODES	8	/* incidents per resolver in detail */
#define DR_REPORT_POINTS	240	/* timeline steps per resolver */
#define DR_REPORT_PENDING	65536	/* queries awaiting an outcome */

struct dr_report;

/* "markdown" or "html": 0, or -1. */
int		dr_report_format(const char *, enum dr_doc_format *);

/*
 * source names the capture in the report (as the user gave it).  The
 * configuration says what the engine counted as a failure and how long
 * it waited for answers.  NULL when out of memory.
 */
struct dr_report *dr_report_new(const struct dr_config *,
		    const char *source);
void		dr_report_free(struct dr_report *);

/* Pass 1: every alert of the replay, in order. */
void		dr_report_alert(struct dr_report *, const struct dr_alert *);
/*
 * After pass 1: the resolvers' counts, and the capture's first and last
 * packet times (INT64_MIN for none).  -1 when out of memory.
 */
int		dr_report_engine(struct dr_report *, struct dr_engine *,
		    dr_time_t first, dr_time_t last);
/* The capture could not be read to its end: why, for the report. */
void		dr_report_cut(struct dr_report *, const char *why);
/* 1 when pass 2 has something to find. */
int		dr_report_wants_packets(const struct dr_report *);
/* Pass 2: every frame again. */
void		dr_report_packet(struct dr_report *, int linktype,
		    const uint8_t *, size_t caplen, size_t wirelen,
		    dr_time_t ts);
/* End of pass 2: queries still out get their outcome. */
void		dr_report_finish(struct dr_report *);

/* 1 when the capture held no DNS at all (after pass 1). */
int		dr_report_nothing(const struct dr_report *);
/* The report; 0, or -1 when writing failed. */
int		dr_report_write(FILE *, struct dr_report *,
		    enum dr_doc_format);

#endif
