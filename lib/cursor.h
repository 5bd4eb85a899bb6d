/*
 * cursor.h: a bounds-checked reader over a captured packet.
 *
 * Every getter fails, leaving the cursor where it was, when fewer than
 * the wanted bytes are left.  Lengths are compared with what is left
 * (len > end - p), never by computing p + len first, so that no pointer
 * arithmetic can wrap or step outside the buffer (tcpdump ND_TTEST_LEN).
 */
#ifndef DR_CURSOR_H
#define DR_CURSOR_H

#include <stddef.h>
#include <stdint.h>

struct cursor {
	const uint8_t	*p;
	const uint8_t	*end;
};

/* p may be NULL only when len is 0. */
static inline void
cur_init(struct cursor *c, const uint8_t *p, size_t len)
{
	c->p = p;
	c->end = len == 0 ? p : p + len;
}

static inline size_t
cur_left(const struct cursor *c)
{
	return (size_t)(c->end - c->p);
}

static inline int
cur_skip(struct cursor *c, size_t len)
{
	if (len > (size_t)(c->end - c->p))
		return -1;
	c->p += len;
	return 0;
}

/* Point *v at the next len bytes and step over them. */
static inline int
cur_bytes(struct cursor *c, size_t len, const uint8_t **v)
{
	if (len > (size_t)(c->end - c->p))
		return -1;
	*v = c->p;
	c->p += len;
	return 0;
}

/* Keep only the next len bytes; fails when fewer are left. */
static inline int
cur_limit(struct cursor *c, size_t len)
{
	if (len > (size_t)(c->end - c->p))
		return -1;
	c->end = c->p + len;
	return 0;
}

static inline int
cur_u8(struct cursor *c, uint8_t *v)
{
	if (c->p >= c->end)
		return -1;
	*v = *c->p++;
	return 0;
}

static inline int
cur_be16(struct cursor *c, uint16_t *v)
{
	if (2 > (size_t)(c->end - c->p))
		return -1;
	*v = (uint16_t)(c->p[0] << 8 | c->p[1]);
	c->p += 2;
	return 0;
}

static inline int
cur_be32(struct cursor *c, uint32_t *v)
{
	if (4 > (size_t)(c->end - c->p))
		return -1;
	*v = (uint32_t)c->p[0] << 24 | (uint32_t)c->p[1] << 16 |
	    (uint32_t)c->p[2] << 8 | (uint32_t)c->p[3];
	c->p += 4;
	return 0;
}

#endif
