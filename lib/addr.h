/*
 * addr.h: IPv4/IPv6 addresses and prefixes as plain values.
 *
 * An address is 16 bytes plus a family so it can be a hash key without
 * allocation; IPv4 lives in the first 4 bytes, the rest stay zero.
 */
#ifndef DR_ADDR_H
#define DR_ADDR_H

#include <stddef.h>
#include <stdint.h>

#define DR_AF_NONE	0
#define DR_AF_INET	4
#define DR_AF_INET6	6

/* Longest text form: a full IPv6 address plus NUL (INET6_ADDRSTRLEN). */
#define DR_ADDR_STRLEN	46

struct dr_addr {
	uint8_t		family;		/* DR_AF_INET or DR_AF_INET6 */
	uint8_t		a[16];
};

struct dr_prefix {
	struct dr_addr	addr;
	uint8_t		len;		/* prefix length in bits */
};

void		dr_addr_set4(struct dr_addr *, const uint8_t *);
void		dr_addr_set6(struct dr_addr *, const uint8_t *);
int		dr_addr_eq(const struct dr_addr *, const struct dr_addr *);
uint32_t	dr_addr_hash(const struct dr_addr *, uint32_t);
/* Text form into buf (DR_ADDR_STRLEN bytes); returns buf. */
const char	*dr_addr_format(const struct dr_addr *, char *, size_t);
/* 0 on success, -1 when the text is not an address. */
int		dr_addr_parse(struct dr_addr *, const char *);
/* "ADDR" or "ADDR/LEN"; 0 on success, -1 on bad text or length. */
int		dr_prefix_parse(struct dr_prefix *, const char *);
int		dr_prefix_match(const struct dr_prefix *,
		    const struct dr_addr *);

#endif
