/*
 * escape.c: text from the journal made safe for a terminal, JSON and
 * Markdown.
 */
#include <stdio.h>
#include <string.h>

#include "escape.h"

/* Length of the valid UTF-8 sequence at p (not ASCII), or 0. */
static size_t
utf8_len(const unsigned char *p)
{
	unsigned char	c = p[0];

	if (c >= 0xc2 && c <= 0xdf)
		return (p[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		if ((p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80)
			return 0;
		if (c == 0xe0 && p[1] < 0xa0)		/* overlong */
			return 0;
		if (c == 0xed && p[1] >= 0xa0)		/* surrogates */
			return 0;
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if ((p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 ||
		    (p[3] & 0xc0) != 0x80)
			return 0;
		if (c == 0xf0 && p[1] < 0x90)		/* overlong */
			return 0;
		if (c == 0xf4 && p[1] >= 0x90)		/* > U+10FFFF */
			return 0;
		return 4;
	}
	return 0;
}

size_t
dr_escape(enum dr_esc_mode mode, char *dst, size_t len, const char *src)
{
	const unsigned char	*p = (const unsigned char *)src;
	char			 tmp[8];
	size_t			 o = 0, n, u;

	if (len == 0)
		return 0;
	for (; src != NULL && *p != '\0'; p += u) {
		u = 1;
		if (mode == DR_ESC_JSON) {
			if (*p == '"' || *p == '\\')
				n = (size_t)snprintf(tmp, sizeof(tmp), "\\%c",
				    *p);
			else if (*p < 0x20 || *p == 0x7f)
				n = (size_t)snprintf(tmp, sizeof(tmp),
				    "\\u%04x", *p);
			else if (*p < 0x80) {
				tmp[0] = (char)*p;
				n = 1;
			} else if ((u = utf8_len(p)) != 0) {
				memcpy(tmp, p, u);
				n = u;
			} else {
				u = 1;
				n = (size_t)snprintf(tmp, sizeof(tmp),
				    "\\ufffd");
			}
		} else if (*p == '\\') {
			memcpy(tmp, "\\\\", 2);
			n = 2;
		} else if (*p < 0x20 || *p >= 0x7f) {
			n = (size_t)snprintf(tmp, sizeof(tmp), "\\x%02x", *p);
		} else if (mode == DR_ESC_MARKDOWN &&
		    strchr("`*_[]<>|&", *p) != NULL) {
			tmp[0] = '\\';
			tmp[1] = (char)*p;
			n = 2;
		} else {
			tmp[0] = (char)*p;
			n = 1;
		}
		if (n > len - 1 - o)
			break;
		memcpy(dst + o, tmp, n);
		o += n;
	}
	dst[o] = '\0';
	return o;
}
