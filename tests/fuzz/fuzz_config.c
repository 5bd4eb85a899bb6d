/*
 * fuzz_config.c: libFuzzer target for the dnsreach.conf parser.
 *
 * The input is a whole file; its first line is also tried as a "-o"
 * override, and the result goes through the cross-key checks.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
no_error(void *arg, const char *msg)
{
	size_t	*n = arg;

	/* Touch the message so a bad one shows up under ASan. */
	*n += strlen(msg);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dr_config	 c;
	const uint8_t		*nl;
	char			*line;
	size_t			 len, n = 0;

	dr_config_defaults(&c);
	dr_config_parse(&c, (const char *)data, size, "fuzz.conf", no_error,
	    &n);
	dr_config_validate(&c, "fuzz.conf", no_error, &n);

	nl = memchr(data, '\n', size);
	len = nl != NULL ? (size_t)(nl - data) : size;
	if ((line = malloc(len + 1)) == NULL)
		return 0;
	memcpy(line, data, len);
	line[len] = '\0';
	dr_config_override(&c, line, "-o", no_error, &n);
	dr_config_validate(&c, "-o", no_error, &n);
	free(line);
	return 0;
}
