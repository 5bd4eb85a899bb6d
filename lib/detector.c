/*
 * detector.c: threshold with hysteresis, reminders, cause.
 */
#include "detector.h"

uint32_t
dr_detect_failures(const struct dr_detect_conf *dc,
    const struct dr_detect_input *in)
{
	uint64_t	f;

	f = (uint64_t)in->port + in->resets + in->admin + in->host +
	    in->other;
	if (dc->count_timeouts)
		f += in->timeouts;
	/*
	 * Each query has one outcome, so this cannot exceed queries; clamp
	 * all the same, a rate over 100% would be a lie in an alert.
	 */
	return f > in->queries ? in->queries : (uint32_t)f;
}

double
dr_detect_rate(const struct dr_detect_conf *dc,
    const struct dr_detect_input *in)
{
	if (in->queries == 0)
		return 0.0;
	return (double)dr_detect_failures(dc, in) / in->queries;
}

enum dr_cause
dr_detect_cause(const struct dr_detect_conf *dc,
    const struct dr_detect_input *in)
{
	/* Ties go to the first: the most specific, most actionable cause. */
	const struct {
		uint32_t	n;
		enum dr_cause	c;
	} v[] = {
		{ in->port + in->resets, DR_CAUSE_NOT_LISTENING },
		{ in->admin, DR_CAUSE_FIREWALL },
		{ in->host, DR_CAUSE_HOST_DOWN },
		{ in->other, DR_CAUSE_UNREACH_OTHER },
		{ dc->count_timeouts ? in->timeouts : 0, DR_CAUSE_SILENT_DROP },
	};
	enum dr_cause	best = DR_CAUSE_NONE;
	uint32_t	max = 0;
	size_t		i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		if (v[i].n > max) {
			max = v[i].n;
			best = v[i].c;
		}
	}
	return best;
}

enum dr_transition
dr_detect_step(const struct dr_detect_conf *dc, struct dr_detect_state *st,
    const struct dr_detect_input *in, dr_time_t now)
{
	double	rate = dr_detect_rate(dc, in);

	if (!st->failing) {
		if (in->queries == 0 || in->queries < dc->min_queries ||
		    rate < dc->threshold)
			return DR_TRANS_NONE;
		/*
		 * A lost response looks exactly like a timeout.  When the
		 * capture dropped at least as many packets as there are
		 * timeouts and no ICMP backs the failure, the loss explains
		 * it: hold back instead of blaming the resolver.
		 */
		if (in->port + in->resets + in->admin + in->host +
		    in->other == 0 && in->drops >= in->timeouts)
			return DR_TRANS_HELD;
		st->failing = 1;
		st->since = now;
		st->last_alert = now;
		return DR_TRANS_FAILING;
	}
	/*
	 * No queries left in the window: nothing fails any more, unless the
	 * window is empty because the capture was down.  A missing capture
	 * is no data, not a recovery.
	 */
	if (in->queries == 0 && in->blind)
		return DR_TRANS_NONE;
	if (in->queries == 0 || rate <= dc->clear_threshold) {
		st->failing = 0;
		return DR_TRANS_RECOVERED;
	}
	if (dc->realert_interval > 0 &&
	    now - st->last_alert >= dc->realert_interval) {
		st->last_alert = now;
		return DR_TRANS_REMINDER;
	}
	return DR_TRANS_NONE;
}

const char *
dr_cause_token(enum dr_cause c)
{
	static const char *const t[DR_CAUSE_N] = {
		"none", "service-not-listening", "blocked-by-firewall",
		"host-down", "unreachable-other", "silent-drop"
	};

	return (unsigned)c < DR_CAUSE_N ? t[c] : "none";
}

const char *
dr_cause_text(enum dr_cause c)
{
	static const char *const t[DR_CAUSE_N] = {
		"no failures",
		"DNS service not listening",
		"blocked by a firewall",
		"host or network down",
		"destination unreachable",
		"silent drop (server down or firewall dropping)"
	};

	return (unsigned)c < DR_CAUSE_N ? t[c] : t[0];
}
