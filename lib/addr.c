/*
 * addr.c: address values, hashing and prefix matching.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"

void
dr_addr_set4(struct dr_addr *a, const uint8_t *p)
{
	memset(a, 0, sizeof(*a));
	a->family = DR_AF_INET;
	memcpy(a->a, p, 4);
}

void
dr_addr_set6(struct dr_addr *a, const uint8_t *p)
{
	a->family = DR_AF_INET6;
	memcpy(a->a, p, 16);
}

int
dr_addr_eq(const struct dr_addr *x, const struct dr_addr *y)
{
	return x->family == y->family && memcmp(x->a, y->a, 16) == 0;
}

/*
 * FNV-1a over the 16 bytes, mixed with a per-table seed so that a remote
 * sender cannot aim all its addresses at one chain without knowing it.
 */
uint32_t
dr_addr_hash(const struct dr_addr *a, uint32_t seed)
{
	uint32_t	h = 2166136261u ^ seed;
	size_t		i, n = a->family == DR_AF_INET ? 4 : 16;

	for (i = 0; i < n; i++) {
		h ^= a->a[i];
		h *= 16777619u;
	}
	h ^= a->family;
	h *= 16777619u;
	return h ^ (h >> 15);
}

const char *
dr_addr_format(const struct dr_addr *a, char *buf, size_t len)
{
	int	af = a->family == DR_AF_INET ? AF_INET : AF_INET6;

	if (a->family == DR_AF_NONE ||
	    inet_ntop(af, a->a, buf, (socklen_t)len) == NULL) {
		if (len > 0)
			buf[0] = '\0';
	}
	return buf;
}

int
dr_addr_parse(struct dr_addr *a, const char *s)
{
	uint8_t	b[16];

	if (inet_pton(AF_INET, s, b) == 1) {
		dr_addr_set4(a, b);
		return 0;
	}
	if (inet_pton(AF_INET6, s, b) == 1) {
		dr_addr_set6(a, b);
		return 0;
	}
	return -1;
}

int
dr_prefix_parse(struct dr_prefix *p, const char *s)
{
	char		 buf[DR_ADDR_STRLEN + 8], *slash, *end;
	unsigned long	 len;
	unsigned	 max;
	size_t		 i;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash != NULL)
		*slash++ = '\0';
	if (dr_addr_parse(&p->addr, buf) == -1)
		return -1;
	max = p->addr.family == DR_AF_INET ? 32 : 128;
	if (slash == NULL)
		len = max;
	else {
		if (*slash < '0' || *slash > '9')
			return -1;
		len = strtoul(slash, &end, 10);
		if (*end != '\0' || len > max)
			return -1;
	}
	p->len = (uint8_t)len;
	/* Clear host bits so that matching is a plain compare. */
	for (i = 0; i < 16; i++) {
		if (i * 8 >= len)
			p->addr.a[i] = 0;
		else if (i * 8 + 8 > len)
			p->addr.a[i] &= (uint8_t)(0xff << (8 - (len - i * 8)));
	}
	return 0;
}

int
dr_prefix_match(const struct dr_prefix *p, const struct dr_addr *a)
{
	size_t	full = p->len / 8, rest = p->len % 8;

	if (p->addr.family != a->family)
		return 0;
	if (memcmp(p->addr.a, a->a, full) != 0)
		return 0;
	if (rest == 0)
		return 1;
	return (a->a[full] & (uint8_t)(0xff << (8 - rest))) == p->addr.a[full];
}
