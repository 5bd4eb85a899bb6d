/*
 * dns.h: the DNS bits the decoder and the alerts need: the fixed header
 * and, on demand only, the first question name in presentation form.
 */
#ifndef DR_DNS_H
#define DR_DNS_H

#include <stddef.h>
#include <stdint.h>

#define DR_DNS_HDRLEN	12
/* Presentation form of a 255-octet name with every octet as \DDD. */
#define DR_DNS_NAMEBUF	(255 * 4 + 2)

enum dr_rcode_class {
	DR_RC_NOERROR = 0,
	DR_RC_NXDOMAIN,
	DR_RC_SERVFAIL,
	DR_RC_REFUSED,
	DR_RC_OTHER,
	DR_RC_NCLASSES
};

enum dr_rcode_class dr_rcode_class(uint8_t rcode);
const char	*dr_rcode_class_name(enum dr_rcode_class);

/*
 * Decode the first question name of the DNS message msg[0..len) into
 * out as printable text: labels joined by '.', the root as ".", and any
 * octet outside [A-Za-z0-9-_] plus '.' and '\' inside labels escaped as
 * \DDD, so the result is safe for the journal, a terminal and JSON (after
 * JSON's own escaping of '\').  Compression pointers must point strictly
 * backwards; label types 0x40/0x80 and names over 255 octets are errors.
 * Returns the text length, or -1 (out is then "").
 */
int		 dr_dns_qname(const uint8_t *msg, size_t len, char *out,
		    size_t outlen);
/*
 * A hash of the first question (name, any case, type and class): the
 * same question asked again hashes the same.  0 when there is no
 * readable question; never UINT32_MAX.
 */
uint32_t	 dr_dns_question_hash(const uint8_t *msg, size_t len);

#endif
