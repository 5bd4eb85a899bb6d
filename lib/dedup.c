/*
 * dedup.c: a packet seen twice, counted once (see dedup.h).
 */
#include <stdlib.h>
#include <string.h>

#include "dedup.h"

#define WAYS	4
#define EMPTY	INT64_MIN

struct slot {
	uint64_t	key;
	dr_time_t	ts;		/* EMPTY: free */
};

struct dr_dedup {
	dr_time_t	window;
	uint64_t	seed;
	uint32_t	nsets;
	struct slot	slots[];	/* nsets * WAYS */
};

#define M1	0x9e3779b97f4a7c15ULL
#define M2	0xbf58476d1ce4e5b9ULL
#define M3	0x94d049bb133111ebULL

static uint64_t
mix(uint64_t h, uint64_t v)
{
	h ^= v * M1;
	h = (h << 27 | h >> 37) * M2;
	return h;
}

/* splitmix64's finalizer: every input bit reaches every output bit. */
static uint64_t
final(uint64_t h)
{
	h ^= h >> 30;
	h *= M2;
	h ^= h >> 27;
	h *= M3;
	return h ^ (h >> 31);
}

static uint64_t
mix_bytes(uint64_t h, const uint8_t *p, size_t len)
{
	uint64_t	v;

	for (; len >= 8; p += 8, len -= 8) {
		memcpy(&v, p, 8);
		h = mix(h, v);
	}
	if (len > 0) {
		v = 0;
		memcpy(&v, p, len);
		h = mix(h, v ^ (uint64_t)len << 56);
	}
	return h;
}

static uint64_t
key_of(const struct dr_dedup *d, const struct dr_event *ev)
{
	uint64_t	h = d->seed;
	size_t		n;

	h = mix(h, (uint64_t)ev->kind | (uint64_t)ev->transport << 8 |
	    (uint64_t)ev->resolver_port << 16 |
	    (uint64_t)ev->resolver.family << 32 |
	    (uint64_t)ev->icmp_code << 40);
	h = mix_bytes(h, ev->resolver.a, sizeof(ev->resolver.a));
	if (ev->has_dns && ev->dns != NULL && ev->dns_len > 0) {
		/*
		 * NAT changes the client's address and port, never the
		 * message: the message is the key.
		 */
		n = ev->dns_len < DR_DEDUP_BYTES ? ev->dns_len :
		    DR_DEDUP_BYTES;
		h = mix(h, (uint64_t)n);
		h = mix_bytes(h, ev->dns, n);
	} else {
		/* Nothing but addresses to go by: an exact copy only. */
		h = mix(h, (uint64_t)ev->client_port |
		    (uint64_t)ev->client.family << 16 | 1ULL << 63);
		h = mix_bytes(h, ev->client.a, sizeof(ev->client.a));
	}
	return final(h);
}

size_t
dr_dedup_size(uint32_t slots)
{
	uint32_t	nsets = (slots + WAYS - 1) / WAYS;

	if (nsets == 0)
		nsets = 1;
	return sizeof(struct dr_dedup) +
	    (size_t)nsets * WAYS * sizeof(struct slot);
}

struct dr_dedup *
dr_dedup_new(uint32_t slots, dr_time_t window, uint32_t seed)
{
	struct dr_dedup	*d;
	size_t		 i;

	if ((d = malloc(dr_dedup_size(slots))) == NULL)
		return NULL;
	d->nsets = (slots + WAYS - 1) / WAYS;
	if (d->nsets == 0)
		d->nsets = 1;
	d->seed = final((uint64_t)seed ^ M3);
	dr_dedup_set_window(d, window);
	for (i = 0; i < (size_t)d->nsets * WAYS; i++) {
		d->slots[i].key = 0;
		d->slots[i].ts = EMPTY;
	}
	return d;
}

void
dr_dedup_free(struct dr_dedup *d)
{
	free(d);
}

void
dr_dedup_set_window(struct dr_dedup *d, dr_time_t window)
{
	if (window < 0)
		window = 0;
	if (window > DR_DEDUP_WINDOW_MAX)
		window = DR_DEDUP_WINDOW_MAX;
	d->window = window;
}

int
dr_dedup_seen(struct dr_dedup *d, const struct dr_event *ev)
{
	struct slot	*set, *old;
	uint64_t	 key;
	dr_time_t	 dt;
	int		 i;

	if (d->window == 0 || !dr_time_valid(ev->ts))
		return 0;
	key = key_of(d, ev);
	set = &d->slots[(size_t)(key % d->nsets) * WAYS];
	old = &set[0];
	for (i = 0; i < WAYS; i++) {
		if (set[i].ts != EMPTY && set[i].key == key) {
			dt = ev->ts - set[i].ts;
			if (dt <= d->window && dt >= -d->window)
				return 1;
			/* The same message again, later: a new packet. */
			set[i].ts = ev->ts;
			return 0;
		}
		if (set[i].ts == EMPTY ||
		    (old->ts != EMPTY && set[i].ts < old->ts))
			old = &set[i];
	}
	old->key = key;
	old->ts = ev->ts;
	return 0;
}
