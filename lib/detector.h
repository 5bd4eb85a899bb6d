/*
 * detector.h: the per-resolver state machine ok -> failing -> ok.
 *
 * Pure: counts and a time in, at most one transition out.  The failure
 * rate is (unreachable + timeouts) / queries over the window; timeouts can
 * be left out, leaving the pure ICMP rate.  Hysteresis between threshold
 * and clear_threshold keeps a resolver near the line from flapping.
 */
#ifndef DR_DETECTOR_H
#define DR_DETECTOR_H

#include <stdint.h>

#include "decode.h"

enum dr_cause {
	DR_CAUSE_NONE = 0,
	DR_CAUSE_NOT_LISTENING,	/* ICMP port unreachable, TCP reset */
	DR_CAUSE_FIREWALL,	/* administratively prohibited */
	DR_CAUSE_HOST_DOWN,	/* host or network unreachable */
	DR_CAUSE_UNREACH_OTHER,	/* any other unreachable code */
	DR_CAUSE_SILENT_DROP,	/* timeouts without ICMP */
	DR_CAUSE_N
};

struct dr_detect_conf {
	double		threshold;
	double		clear_threshold;
	uint32_t	min_queries;
	dr_time_t	realert_interval;	/* 0 = no reminders */
	int		count_timeouts;
};

/* What the window says, as the detector needs it. */
struct dr_detect_input {
	uint32_t	queries;
	uint32_t	port;		/* failures by cause, in the window */
	uint32_t	resets;		/* TCP resets: "not listening" too */
	uint32_t	admin;
	uint32_t	host;
	uint32_t	other;
	uint32_t	timeouts;
	uint64_t	drops;		/* capture drops during the window */
	int		blind;		/* capture was down within the window */
};

struct dr_detect_state {
	int		failing;
	dr_time_t	since;		/* when it went failing */
	dr_time_t	last_alert;	/* last failing alert or reminder */
};

enum dr_transition {
	DR_TRANS_NONE = 0,
	DR_TRANS_FAILING,	/* ok -> failing */
	DR_TRANS_REMINDER,	/* still failing, realert_interval passed */
	DR_TRANS_RECOVERED,	/* failing -> ok */
	DR_TRANS_HELD		/* would fail, but capture loss explains it */
};

/* Failures the rate counts, and the rate itself (0 when no queries). */
uint32_t	dr_detect_failures(const struct dr_detect_conf *,
		    const struct dr_detect_input *);
double		dr_detect_rate(const struct dr_detect_conf *,
		    const struct dr_detect_input *);
enum dr_cause	dr_detect_cause(const struct dr_detect_conf *,
		    const struct dr_detect_input *);
/* Step the state machine at time now; updates st. */
enum dr_transition dr_detect_step(const struct dr_detect_conf *,
		    struct dr_detect_state *, const struct dr_detect_input *,
		    dr_time_t now);

/* "service-not-listening": the DNSREACH_CAUSE token. */
const char	*dr_cause_token(enum dr_cause);
/* "DNS service not listening": words for MESSAGE. */
const char	*dr_cause_text(enum dr_cause);

#endif
