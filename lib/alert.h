/*
 * alert.h: one alert record, and its words.
 */
#ifndef DR_ALERT_H
#define DR_ALERT_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "decode.h"
#include "detector.h"
#include "tracker.h"

enum dr_alert_event {
	DR_ALERT_FAILING = 0,
	DR_ALERT_RECOVERED
};

/* journalctl MESSAGE_ID=..., and the catalog's entries. */
#define DR_MSGID_FAILING	"5b2d8a0e4c7f4f7e9a31d6c2b8e0f417"
#define DR_MSGID_RECOVERED	"c41f9e2a7d3b4a56b0e8f1a2d9c7e305"

struct dr_alert {
	enum dr_alert_event event;
	int		reminder;	/* a repeat of an ongoing failure */
	dr_time_t	ts;
	dr_time_t	since;		/* first failure of this episode */
	struct dr_addr	resolver;
	uint32_t	queries;
	uint32_t	unreachable;	/* ICMP unreachable failures, any code */
	uint32_t	tcp_resets;	/* TCP connections refused */
	uint32_t	timeouts;
	uint32_t	failures;	/* what the rate counts */
	double		rate;
	double		threshold;
	dr_time_t	window;
	enum dr_cause	cause;
	uint32_t	clients;
	uint64_t	capture_drops;	/* kernel drops during the window */
	char		qname[DR_SAMPLE_QNAME_MAX];	/* escaped, or "" */
};

/*
 * The MESSAGE sentence, e.g. "resolver 203.0.113.2 failing: 48 of 50
 * DNS queries in the last 60 s got ICMP port unreachable (96%) - DNS
 * service not listening".  Returns what snprintf returns.
 */
int		dr_alert_message(const struct dr_alert *, char *, size_t);
const char	*dr_alert_event_name(enum dr_alert_event);
const char	*dr_alert_msgid(enum dr_alert_event);
/* syslog priority: LOG_WARNING for failing, LOG_NOTICE for recovered. */
int		dr_alert_priority(const struct dr_alert *);

#endif
