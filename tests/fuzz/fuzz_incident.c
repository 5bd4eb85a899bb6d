/*
 * fuzz_incident.c: libFuzzer target for what --incidents reads from
 * outside: --since/--until times (dr_when_parse), the alerts' ISO times
 * (dr_inc_parse_iso), escaping of journal text (dr_escape), and the
 * pairing of any sequence of entries into incidents.
 *
 * The input is first taken whole as a string; then, 8 bytes at a time,
 * as entries: event, flags, key, writer and three times, into a table
 * small enough that every bound is hit.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "incident.h"
#include "when.h"

#define S	1000000LL

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
strings(const char *s, size_t n)
{
	static char	buf[DR_ESC_SIZE(4096)];
	int64_t		t;
	size_t		len;
	int		m;

	dr_when_parse(s, 1767225600LL * S, &t);
	dr_inc_parse_iso(s, &t);
	if (n > 4096)
		return;
	for (m = DR_ESC_TEXT; m <= DR_ESC_MARKDOWN; m++) {
		len = dr_escape((enum dr_esc_mode)m, buf, sizeof(buf), s);
		if (len != strlen(buf) || len > n * 6)
			abort();
		/* A short buffer is never overrun and always terminated. */
		len = dr_escape((enum dr_esc_mode)m, buf, 7, s);
		if (len > 6 || buf[len] != '\0')
			abort();
	}
}

static void
pairing(const uint8_t *d, size_t size)
{
	static const char *const res[] = { "203.0.113.2", "2001:db8::2" };
	static const char *const host[] = { "gw1", "gw2", "" };
	struct dr_incidents	*s;
	struct dr_inc_record	 r;
	uint64_t		 entries = 0, records = 0;
	size_t			 i;

	if ((s = dr_incidents_new(4, 16)) == NULL)
		return;
	for (; size >= 8; d += 8, size -= 8) {
		memset(&r, 0, sizeof(r));
		r.event = (enum dr_inc_event)(d[0] % (DR_INC_EV_N + 1));
		r.reminder = d[1] & 1;
		r.resolver = res[(d[1] >> 1) & 1];
		r.host = host[((d[1] >> 2) & 3) % 3];
		r.iface = d[1] & 0x10 ? "eth1" : NULL;
		r.writer = d[1] >> 5;
		r.cause = d[2] & 1 ? "silent-drop" : "none";
		r.qname = d[2] & 2 ? "q.example" : "";
		r.realtime = (int64_t)d[3] * S;
		r.first_failure = d[4] == 0 ? DR_INC_TIME_NONE :
		    (int64_t)d[4] * S;
		r.event_time = d[5] == 0 ? DR_INC_TIME_NONE :
		    (int64_t)d[5] * S;
		r.rate = d[6] / 255.0;
		r.p95_ms = d[7] & 1 ? d[7] * 10.0 : -1;
		r.clients = d[7] & 2 ? d[7] : -1;
		if (dr_incidents_add(s, &r) == 0)
			records++;
	}
	if (dr_incidents_finish(s) != 0)
		abort();
	if (dr_incidents_count(s) > 16)
		abort();
	for (i = 0; i < dr_incidents_count(s); i++) {
		const struct dr_incident *inc = dr_incidents_get(s, i);

		entries += inc->entries;
		/* An end exactly when it ended. */
		if ((inc->status == DR_INC_ST_ENDED) !=
		    (inc->end != DR_INC_TIME_NONE))
			abort();
	}
	if (dr_incidents_stats(s)->unlisted == 0 &&
	    entries + dr_incidents_stats(s)->duplicates != records)
		abort();
	dr_incidents_free(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*s;

	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	strings(s, strlen(s));
	free(s);
	pairing(data, size);
	return 0;
}
