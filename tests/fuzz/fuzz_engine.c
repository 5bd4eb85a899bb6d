/*
 * fuzz_engine.c: libFuzzer target for the whole engine: decode, tracker,
 * detector, the clock, reload and capture loss, with time in the input.
 *
 * The input is a list of records, each one opcode byte and its operands:
 *   0x00-0x7f  a raw IP packet (DLT_RAW): 2 bytes of time step (ms,
 *              signed), 2 bytes of length, the bytes
 *   0x80       a tick: 2 bytes of time step (s)
 *   0x81       an absolute timestamp for the next packets: 8 bytes
 *   0x82       reload with one of the configurations below: 1 byte
 *   0x83       capture down, 0x84 capture up, 0x85 capture stats: 2 bytes
 *   0x86       drain the alert queue
 *   anything else: end of input
 * Small tables, so that eviction and the full queue are reached.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "config.h"
#include "engine.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
configure(struct dr_config *c, uint8_t k)
{
	dr_config_defaults(c);
	c->max_resolvers = 4 + (k & 7);
	c->max_pending = 16 + (k & 0x30);
	c->window = (k & 0x40) ? 5 * DR_USEC : 20 * DR_USEC;
	c->bucket = (k & 0x80) ? DR_USEC : DR_USEC / 2;
	c->query_timeout = DR_USEC;
	c->fast_window = DR_USEC;
	c->count_unmatched = k & 1;
	c->realert_interval = 10 * DR_USEC;
	c->flap_window = 30 * DR_USEC;
	c->idle_clear = 60 * DR_USEC;
}

/* Every alert that comes out must make sense. */
static void
drain(struct dr_engine *e)
{
	struct dr_alert	a;
	char		msg[1024];

	while (dr_engine_next_alert(e, &a)) {
		if ((unsigned)a.event >= DR_ALERT_NEVENTS ||
		    a.failures > a.queries || a.rate < 0.0 || a.rate > 1.0)
			__builtin_trap();
		if (dr_alert_message(&a, msg, sizeof(msg)) < 0)
			__builtin_trap();
	}
}

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dr_config	 c;
	struct dr_engine	*e;
	const uint8_t		*p = data, *end = data + size;
	/* Unsigned: the input may step time past any limit; it wraps. */
	uint64_t		 now = 1767225600ULL * DR_USEC;
	uint64_t		 lost = 0;
	size_t			 len;
	int64_t			 raw;
	uint8_t			 op;

	configure(&c, 0);
	if ((e = dr_engine_new(&c, 1)) == NULL)
		return 0;
	while (p < end) {
		op = *p++;
		if (op < 0x80) {
			if (end - p < 4)
				break;
			now += (uint64_t)((int16_t)get16(p) * DR_MSEC);
			len = get16(p + 2);
			p += 4;
			if (len > (size_t)(end - p))
				len = (size_t)(end - p);
			dr_engine_packet(e, DR_DLT_RAW, p, len, len,
			    (dr_time_t)now);
			p += len;
		} else if (op == 0x80 && end - p >= 2) {
			now += (uint64_t)((int16_t)get16(p) * DR_USEC);
			p += 2;
			dr_engine_tick(e, (dr_time_t)now);
		} else if (op == 0x81 && end - p >= 8) {
			memcpy(&raw, p, sizeof(raw));
			p += 8;
			now = (uint64_t)raw;
		} else if (op == 0x82 && end - p >= 1) {
			configure(&c, *p++);
			if (dr_engine_reconfigure(e, &c) < -1)
				__builtin_trap();
		} else if (op == 0x83 || op == 0x84) {
			dr_engine_capture_state(e, op == 0x84, (dr_time_t)now);
		} else if (op == 0x85 && end - p >= 2) {
			lost += get16(p);
			p += 2;
			dr_engine_capture_stats(e, lost * 10, lost, 0,
			    (dr_time_t)now);
		} else if (op == 0x86) {
			drain(e);
		} else
			break;
	}
	dr_engine_finish(e);
	drain(e);
	dr_engine_free(e);
	return 0;
}
