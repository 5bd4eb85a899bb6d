/*
 * escape.h: make text from elsewhere (the journal, packets) safe to print
 * on a terminal, in a JSON string or in Markdown.
 */
#ifndef DR_ESCAPE_H
#define DR_ESCAPE_H

#include <stddef.h>

/*
 *   TEXT      printable ASCII as it is, '\' as "\\", any other byte as
 *             "\xHH": nothing reaches a terminal that it would act on.
 *   JSON      the inside of a JSON string: '"' and '\' escaped, control
 *             characters as \uXXXX, valid UTF-8 kept, any other byte
 *             (invalid UTF-8) as U+FFFD.
 *   MARKDOWN  as TEXT, and ` * _ [ ] < > | & with a backslash before
 *             them, so a table cell stays one cell of plain text.
 */
enum dr_esc_mode {
	DR_ESC_TEXT = 0,
	DR_ESC_JSON,
	DR_ESC_MARKDOWN
};

/* Bytes a buffer needs for any escaped form of n bytes, NUL included. */
#define DR_ESC_SIZE(n)	((n) * 6 + 1)

/*
 * Escape src into dst: at most len - 1 bytes and a NUL (len > 0), never
 * cutting an escape in two.  Returns the length written.
 */
size_t	dr_escape(enum dr_esc_mode, char *dst, size_t len, const char *src);

#endif
