/*
 * fuzz_dns.c: libFuzzer target for dr_dns_qname().  The first byte sets
 * the output buffer size, so short buffers get exercised too.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dns.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*out;
	size_t	 outlen, i;
	int	 n;

	if (size < 1)
		return 0;
	/* 0 means the full DR_DNS_NAMEBUF. */
	outlen = data[0] == 0 ? DR_DNS_NAMEBUF : data[0];
	if ((out = malloc(outlen)) == NULL)
		return 0;
	n = dr_dns_qname(data + 1, size - 1, out, outlen);
	if (n >= 0) {
		if (strlen(out) != (size_t)n || (size_t)n >= outlen)
			__builtin_trap();
		for (i = 0; i < (size_t)n; i++)
			if (out[i] <= ' ' || out[i] >= 0x7f || out[i] == '"')
				__builtin_trap();
	} else if (out[0] != '\0')
		__builtin_trap();
	free(out);
	return 0;
}
