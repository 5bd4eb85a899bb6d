/*
 * fuzz_decode.c: libFuzzer target for dr_decode() and, on what it finds,
 * dr_dns_qname() and dr_pktline() (which reads the whole DNS message
 * again).  The first byte picks the link type, the rest is the frame as
 * captured.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "decode.h"
#include "dns.h"
#include "pktline.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Every link type we decode, and one we do not. */
static const int dlts[] = {
	DR_DLT_NULL, DR_DLT_EN10MB, DR_DLT_RAW, DR_DLT_RAW_OPENBSD,
	DR_LINKTYPE_RAW, DR_DLT_LOOP, DR_DLT_LINUX_SLL, DR_DLT_IPV4,
	DR_DLT_IPV6, DR_DLT_LINUX_SLL2, 147,
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dr_event		ev;
	enum dr_decode_result	r;
	char			name[DR_DNS_NAMEBUF], line[DR_PKTLINE_MAX];
	size_t			i, len;
	int			n;

	if (size < 1)
		return 0;
	r = dr_decode(dlts[data[0] % (sizeof(dlts) / sizeof(dlts[0]))],
	    data + 1, size - 1, size - 1, 1, &ev);
	if (r != DR_DECODE_OK && ev.kind != DR_EV_OTHER)
		__builtin_trap();
	if (ev.has_dns && ev.dns_len > 0) {
		if (ev.dns < data + 1 || ev.dns_len > size - 1 ||
		    (size_t)(ev.dns - (data + 1)) > size - 1 - ev.dns_len)
			__builtin_trap();
		n = dr_dns_qname(ev.dns, ev.dns_len, name, sizeof(name));
		if (n >= 0 && strlen(name) != (size_t)n)
			__builtin_trap();
	}
	if (r == DR_DECODE_OK) {
		/* A line is printable ASCII and fits, whatever came in. */
		len = dr_pktline(&ev, line, sizeof(line));
		if (len >= sizeof(line) || strlen(line) != len)
			__builtin_trap();
		for (i = 0; i < len; i++)
			if (line[i] < 0x20 || line[i] > 0x7e)
				__builtin_trap();
	}
	return 0;
}
