/*
 * alert.h: one alert record, and its words.
 *
 * The engine queues alerts as values (dr_engine_next_alert()); whoever
 * drains the queue decides where they go.
 */
#ifndef DR_ALERT_H
#define DR_ALERT_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "base.h"
#include "detector.h"

enum dr_alert_event {
	DR_ALERT_FAILING = 0,
	DR_ALERT_RECOVERED,
	DR_ALERT_FLAPPING,	/* failed again soon after recovering */
	DR_ALERT_UPDATED,	/* still failing; the evidence changed cause */
	DR_ALERT_SLOW,		/* answers, but p95 above slow_threshold */
	DR_ALERT_SLOW_RECOVERED,
	DR_ALERT_NEVENTS
};

/* journalctl MESSAGE_ID=..., and the catalog's entries. */
#define DR_MSGID_FAILING	"5b2d8a0e4c7f4f7e9a31d6c2b8e0f417"
#define DR_MSGID_RECOVERED	"c41f9e2a7d3b4a56b0e8f1a2d9c7e305"
#define DR_MSGID_FLAPPING	"0761d1fefbc0431dabca009b1c52785c"
#define DR_MSGID_UPDATED	"2d8b35f540f2466a8a87e39ae1db5009"
#define DR_MSGID_SLOW		"40a33b3f4543463885518cff8ea342ef"
#define DR_MSGID_SLOW_RECOVERED	"33b4cec992dc4fd0b641565c7459560a"

#define DR_ALERT_QNAME_MAX	256	/* bytes of escaped name kept */

struct dr_alert {
	enum dr_alert_event event;
	enum dr_detector detector;	/* which test fired or cleared */
	int		reminder;	/* a repeat of an ongoing failure */
	dr_time_t	ts;
	dr_time_t	since;		/* first failure of this episode */
	struct dr_addr	resolver;
	/* The evidence, over the detector's span (window_span). */
	uint32_t	queries;	/* queries with a known outcome */
	uint32_t	failures;	/* what the rate counts */
	uint32_t	unreachable;	/* ICMP unreachable, any code */
	uint32_t	by_class[DR_FAIL_NCLASSES];	/* failures by kind */
	uint32_t	tcp_resets;	/* TCP connections refused */
	uint32_t	timeouts;
	uint32_t	servfail;	/* answers with a failing rcode */
	uint32_t	refused;
	uint32_t	retransmissions;	/* client resends, not queries */
	double		rate;
	double		threshold;
	dr_time_t	window_span;
	enum dr_cause	cause;
	enum dr_cause	prev_cause;	/* DR_ALERT_UPDATED: what it said */
	uint32_t	clients;
	uint64_t	capture_drops;	/* kernel drops during the window */
	uint32_t	p95_ms;		/* answer time, 0 when unknown */
	uint32_t	p50_ms;
	uint32_t	slow_threshold_ms;
	struct dr_addr	icmp_from;	/* most frequent ICMP sender, or none */
	int		icmp_hops;	/* its distance, -1 when unknown */
	char		qname[DR_ALERT_QNAME_MAX];	/* escaped, or "" */
};

/*
 * The MESSAGE sentence, e.g. "resolver 203.0.113.2 failing: 48 of 50
 * DNS queries in the last 20 s got ICMP port unreachable (96%) - DNS
 * service not listening".  Returns what snprintf returns.
 */
int		dr_alert_message(const struct dr_alert *, char *, size_t);
/* "failing", "recovered", ...: DNSREACH_EVENT. */
const char	*dr_alert_event_name(enum dr_alert_event);
const char	*dr_alert_msgid(enum dr_alert_event);
/* syslog priority: LOG_WARNING for trouble, LOG_NOTICE for the end of it. */
int		dr_alert_priority(const struct dr_alert *);
/* Reminders and updates may be dropped under pressure; the rest never. */
int		dr_alert_droppable(const struct dr_alert *);
/* "2026-01-01T00:00:30.250Z" into buf (at least 32 bytes). */
void		dr_alert_time(dr_time_t, char *, size_t);

#endif
