/*
 * incident.h: pair dnsreachd's journal entries (failing, recovered,
 * flapping, updated, slow, slow-recovered) into incidents.
 *
 * Records in, incidents out: no I/O, no libsystemd.  The caller feeds the
 * entries in journal order with dr_incidents_add(), then calls
 * dr_incidents_finish() and reads the list, sorted by start.
 *
 * An incident is keyed by (host, interface, resolver, kind), kind being
 * "failing" (failing, recovered, flapping, updated) or "slow" (slow,
 * slow-recovered).  The rules, for one key:
 *
 *  - failing (or slow, updated, flapping) with nothing open opens an
 *    incident; its start is the entry's DNSREACH_FIRST_FAILURE, else its
 *    DNSREACH_EVENT_TIME, else the journal time.  Opened by anything but
 *    a failing/slow onset (a reminder, an update, a flap), the onset was
 *    not read: the incident is "partial".
 *  - failing while open: a reminder counts as one; an onset written by the
 *    same process (writer) is a duplicate and changes nothing; an onset
 *    from another writer means the daemon restarted without writing the
 *    end: the open incident is listed with an unknown end ("no-end") and
 *    a new one opens.
 *  - updated: the cause becomes the new one.
 *  - recovered ends it (end = DNSREACH_EVENT_TIME).  It stays in the
 *    table: a flapping entry for the same key reopens it, as the same
 *    incident, until a later recovered.  A duplicate recovered changes
 *    nothing; so does a duplicate onset of an incident already ended.
 *  - recovered with nothing open or ended (its onset was before the range
 *    read, or lost): listed as a partial incident, its start taken from
 *    its own DNSREACH_FIRST_FAILURE when it has one, else unknown.
 *  - at the end, incidents still open are "ongoing".
 *
 * Bounds: at most open_max keys are held; beyond that the least recently
 * seen key gives way (ended incidents first in effect, as they are not
 * refreshed), an open one being listed as "no-end".  At most list_max
 * incidents are listed; more are counted (stats.unlisted), not kept.
 */
#ifndef DR_INCIDENT_H
#define DR_INCIDENT_H

#include <stddef.h>
#include <stdint.h>

#include "alert.h"	/* DR_MSGID_* of every event kind */

#define DR_INC_OPEN_MAX		65536	/* keys held at once */
#define DR_INC_LIST_MAX		100000	/* incidents listed */
#define DR_INC_CAUSE_MAX	48	/* bytes of a cause token kept */

/* Unknown time, rate, count. */
#define DR_INC_TIME_NONE	INT64_MIN

enum dr_inc_event {
	DR_INC_EV_FAILING = 0,
	DR_INC_EV_RECOVERED,
	DR_INC_EV_FLAPPING,
	DR_INC_EV_UPDATED,
	DR_INC_EV_SLOW,
	DR_INC_EV_SLOW_RECOVERED,
	DR_INC_EV_N
};

enum dr_inc_kind {
	DR_INC_KIND_FAILING = 0,
	DR_INC_KIND_SLOW
};

enum dr_inc_status {
	DR_INC_ST_ENDED = 0,	/* a recovered (slow-recovered) ended it */
	DR_INC_ST_ONGOING,	/* still open at the end of the range */
	DR_INC_ST_NO_END	/* never ended: the daemon restarted, or the
				   table had to let it go */
};

/*
 * One journal entry.  Strings may be NULL (absent); they are copied.
 * Times are microseconds since the epoch, DR_INC_TIME_NONE when absent;
 * rate, p95_ms and clients are negative when absent.
 */
struct dr_inc_record {
	enum dr_inc_event	 event;
	int			 reminder;	/* DNSREACH_REMINDER=1 */
	int64_t			 realtime;	/* the journal's timestamp */
	uint64_t		 writer;	/* who wrote it (boot, pid); 0 =
						   unknown */
	const char		*host;		/* _HOSTNAME */
	const char		*iface;		/* DNSREACH_INTERFACE */
	const char		*resolver;	/* DNSREACH_RESOLVER */
	const char		*cause;		/* DNSREACH_CAUSE */
	const char		*qname;		/* DNSREACH_SAMPLE_QNAME */
	int64_t			 first_failure;	/* DNSREACH_FIRST_FAILURE */
	int64_t			 event_time;	/* DNSREACH_EVENT_TIME */
	double			 rate;		/* DNSREACH_FAILURE_RATE */
	double			 p95_ms;	/* DNSREACH_P95_MS */
	long			 clients;	/* DNSREACH_CLIENTS */
};

struct dr_incident {
	char			*host;		/* "" when absent */
	char			*iface;
	char			*resolver;
	char			*qname;		/* first non-empty sample */
	char			 cause[DR_INC_CAUSE_MAX]; /* the latest */
	enum dr_inc_kind	 kind;
	enum dr_inc_status	 status;
	int			 partial;	/* its onset was not read */
	int64_t			 start;		/* packet time, or NONE */
	int64_t			 end;		/* NONE unless ENDED */
	int64_t			 last_event;	/* latest EVENT_TIME seen */
	int64_t			 first_seen;	/* journal time, first entry */
	int64_t			 last_seen;	/* journal time, last entry */
	double			 peak_rate;	/* -1: none seen */
	double			 peak_p95_ms;	/* -1: none seen */
	long			 clients;	/* most seen, -1: none */
	uint32_t		 entries;	/* journal entries in it */
	uint32_t		 reminders;
	uint32_t		 flaps;		/* times it failed again */
	uint32_t		 updates;	/* cause changes */
};

struct dr_inc_stats {
	uint64_t	records;	/* entries given */
	uint64_t	duplicates;	/* ignored as repeats */
	uint64_t	restarts;	/* incidents left without an end by a
					   new onset from another writer */
	uint64_t	evicted;	/* open incidents let go (table full) */
	uint64_t	incidents;	/* incidents in all, listed or not */
	uint64_t	unlisted;	/* beyond list_max */
};

struct dr_incidents;

/* NULL when out of memory or a bound is 0. */
struct dr_incidents	*dr_incidents_new(size_t open_max, size_t list_max);
void			 dr_incidents_free(struct dr_incidents *);
/* 0, or -ENOMEM, or -EINVAL (a bad event, or called after finish). */
int			 dr_incidents_add(struct dr_incidents *,
			    const struct dr_inc_record *);
/* Lists what is still open as ongoing, sorts by start.  0 or -ENOMEM. */
int			 dr_incidents_finish(struct dr_incidents *);
size_t			 dr_incidents_count(const struct dr_incidents *);
const struct dr_incident *dr_incidents_get(const struct dr_incidents *,
			    size_t);
const struct dr_inc_stats *dr_incidents_stats(const struct dr_incidents *);

/* The event for a MESSAGE_ID, or -1. */
int			 dr_inc_event_from_msgid(const char *);
/* The MESSAGE_ID and the DNSREACH_EVENT name of an event. */
const char		*dr_inc_event_msgid(enum dr_inc_event);
const char		*dr_inc_event_name(enum dr_inc_event);
const char		*dr_inc_kind_name(enum dr_inc_kind);
/* "ended", "ongoing", "no-end". */
const char		*dr_inc_status_name(enum dr_inc_status);

/*
 * "2026-01-01T00:00:30.000Z" (fraction optional, 1 to 6 digits) to
 * microseconds since the epoch: 0, or -EINVAL.
 */
int			 dr_inc_parse_iso(const char *, int64_t *);
/* The same form with milliseconds, always in UTC; "?" for NONE. */
void			 dr_inc_format_iso(int64_t, char *, size_t);

#endif
