/*
 * doc.c: Markdown or HTML from the same calls, everything escaped.
 *
 * HTML goes straight to the stream.  Markdown collects a block's text
 * first, so that it can be wrapped: spaces inside code spans are held
 * as NBSP_MARK (never a break) and become spaces on the way out.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"

#define WIDTH		76
#define BUF_MAX		(1024 * 1024)	/* one block's text, at most */
#define NBSP_MARK	'\001'
#define MAX_COLS	8

enum block {
	B_NONE = 0,
	B_HEAD,
	B_PARA,
	B_NOTE,
	B_ITEM,
	B_TABLE,
	B_PRE
};

struct dr_doc {
	FILE			*f;
	enum dr_doc_format	 fmt;
	enum block		 block;
	int			 level;		/* of the heading */
	int			 list;		/* 0, or 1 + ordered */
	int			 nitem;
	int			 ncols, col, in_row;
	char			 align[MAX_COLS];
	int			 strong;
	int			 written;	/* a block went out */
	char			*buf;
	size_t			 len, cap;
	int			 err;
};

static void
out(struct dr_doc *d, const char *s, size_t n)
{
	if (n > 0 && fwrite(s, 1, n, d->f) != n)
		d->err = 1;
}

static void
outs(struct dr_doc *d, const char *s)
{
	out(d, s, strlen(s));
}

/* Markdown: keep for the end of the block. */
static void
keep(struct dr_doc *d, const char *s, size_t n)
{
	char	*b;
	size_t	 cap;

	if (n == 0)
		return;
	if (d->len + n + 1 > d->cap) {
		if (d->len + n + 1 > BUF_MAX) {
			d->err = 1;
			return;
		}
		cap = d->cap ? d->cap : 1024;
		while (cap < d->len + n + 1)
			cap *= 2;
		if ((b = realloc(d->buf, cap)) == NULL) {
			d->err = 1;
			return;
		}
		d->buf = b;
		d->cap = cap;
	}
	memcpy(d->buf + d->len, s, n);
	d->len += n;
	d->buf[d->len] = '\0';
}

static void
emit(struct dr_doc *d, const char *s, size_t n)
{
	if (d->fmt == DR_DOC_HTML || d->block == B_PRE)
		out(d, s, n);
	else
		keep(d, s, n);
}

static void
emits(struct dr_doc *d, const char *s)
{
	emit(d, s, strlen(s));
}

void
dr_html_escape(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&#39;", f);
			break;
		default:
			fputc(*s, f);
			break;
		}
	}
}

static void
html(struct dr_doc *d, const char *s)
{
	dr_html_escape(d->f, s);
	if (ferror(d->f))
		d->err = 1;
}

/* Whether s[i] ends a word: a space or the end of the line. */
static int
word_end(const char *s, size_t n, size_t i)
{
	return i >= n || s[i] == ' ';
}

/*
 * One Markdown line.  In a paragraph or list item (flow), a line that
 * would start a heading, a list item or a rule ("# ", "- ", "+ ", "12. ",
 * "===") gets that character escaped.
 */
static void
md_line(struct dr_doc *d, const char *prefix, const char *s, size_t n,
    int flow)
{
	size_t	i, k = 0, h = 0;
	char	c;

	outs(d, prefix);
	while (k < n && k < 9 && s[k] >= '0' && s[k] <= '9')
		k++;
	while (h < n && s[h] == '#')
		h++;
	if (!flow)
		k = h = 0;
	else if (n > 0 && (((s[0] == '-' || s[0] == '+') &&
	    word_end(s, n, 1)) || (h > 0 && h <= 6 && word_end(s, n, h)) ||
	    strspn(s, "=") == n))
		out(d, "\\", 1);
	for (i = 0; i < n; i++) {
		if (i == k && k > 0 && (s[i] == '.' || s[i] == ')') &&
		    word_end(s, n, i + 1))
			out(d, "\\", 1);
		c = s[i] == NBSP_MARK ? ' ' : s[i];
		out(d, &c, 1);
	}
	out(d, "\n", 1);
}

/* The kept text wrapped at WIDTH, the first line after first. */
static void
md_wrap(struct dr_doc *d, const char *first, const char *indent)
{
	const char	*p = d->buf != NULL ? d->buf : "";
	const char	*prefix = first;
	size_t		 room, start, end, n, w;

	while (*p == ' ')
		p++;
	if (*p == '\0') {
		md_line(d, first, "", 0, 0);
		return;
	}
	while (*p != '\0') {
		room = WIDTH > strlen(prefix) ? WIDTH - strlen(prefix) : 20;
		/* Take words while they fit; at least one. */
		start = 0;
		end = 0;
		n = strlen(p);
		while (end < n) {
			w = end;
			while (w < n && p[w] == ' ')
				w++;
			while (w < n && p[w] != ' ')
				w++;
			if (end > 0 && w > room)
				break;
			end = w;
		}
		while (end > start && p[end - 1] == ' ')
			end--;
		md_line(d, prefix, p, end, 1);
		p += end;
		while (*p == ' ')
			p++;
		prefix = indent;
	}
}

static void
md_close_block(struct dr_doc *d)
{
	char	num[16];

	switch (d->block) {
	case B_HEAD:
		snprintf(num, sizeof(num), "%.*s ", d->level, "####");
		md_line(d, num, d->buf != NULL ? d->buf : "", d->len, 0);
		break;
	case B_PARA:
	case B_NOTE:
		md_wrap(d, "", "");
		break;
	case B_ITEM:
		if (d->list == 2) {
			snprintf(num, sizeof(num), "%d. ", d->nitem);
			md_wrap(d, num, d->nitem < 10 ? "   " : "    ");
		} else
			md_wrap(d, "- ", "  ");
		break;
	case B_TABLE:
		if (d->in_row) {
			outs(d, "| ");
			md_line(d, "", d->buf != NULL ? d->buf : "", d->len,
			    0);
			/* md_line ended the row's line: put the bar back. */
		}
		break;
	default:
		break;
	}
	d->len = 0;
	if (d->buf != NULL)
		d->buf[0] = '\0';
}

static void
html_close_block(struct dr_doc *d)
{
	static const char *const end[] = {
		[B_HEAD] = "", [B_PARA] = "</p>\n", [B_NOTE] = "</p>\n",
		[B_ITEM] = "</li>\n", [B_TABLE] = "", [B_PRE] = "</pre>\n",
	};
	char	h[16];

	if (d->block == B_HEAD) {
		snprintf(h, sizeof(h), "</h%d>\n", d->level);
		outs(d, h);
	} else if (d->block == B_TABLE) {
		if (d->in_row)
			outs(d, "</td></tr>\n");
		outs(d, "</tbody>\n</table>\n");
	} else if (d->block != B_NONE)
		outs(d, end[d->block]);
}

/* Close the block; and the list unless the next block is an item. */
static void
close_block(struct dr_doc *d, int next_is_item)
{
	if (d->strong)
		dr_doc_strong(d, 0);
	if (d->fmt == DR_DOC_MARKDOWN) {
		if (d->block == B_TABLE && d->in_row) {
			/* The row's closing bar. */
			keep(d, " |", 2);
		}
		md_close_block(d);
	} else
		html_close_block(d);
	if (d->list && !next_is_item) {
		if (d->fmt == DR_DOC_HTML)
			outs(d, d->list == 2 ? "</ol>\n" : "</ul>\n");
		d->list = 0;
		d->nitem = 0;
	}
	d->block = B_NONE;
	d->in_row = 0;
}

/* A new block: Markdown puts a blank line between blocks. */
static void
open_block(struct dr_doc *d, enum block b, int item)
{
	int	same_list = item && d->list != 0;

	close_block(d, item);
	if (d->fmt == DR_DOC_MARKDOWN && d->written && !same_list)
		outs(d, "\n");
	d->written = 1;
	d->block = b;
}

struct dr_doc *
dr_doc_new(FILE *f, enum dr_doc_format fmt, const char *title,
    const char *style)
{
	struct dr_doc	*d;

	if ((d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	d->f = f;
	d->fmt = fmt;
	if (fmt == DR_DOC_HTML) {
		outs(d, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
		    "<meta charset=\"utf-8\">\n<title>");
		html(d, title);
		outs(d, "</title>\n");
		if (style != NULL) {
			outs(d, "<style>\n");
			outs(d, style);
			outs(d, "</style>\n");
		}
		outs(d, "</head>\n<body>\n");
	}
	return d;
}

int
dr_doc_end(struct dr_doc *d)
{
	int	err;

	close_block(d, 0);
	if (d->fmt == DR_DOC_HTML)
		outs(d, "</body>\n</html>\n");
	if (fflush(d->f) == EOF || ferror(d->f))
		d->err = 1;
	err = d->err;
	free(d->buf);
	free(d);
	return err ? -1 : 0;
}

void
dr_doc_heading(struct dr_doc *d, int level)
{
	char	h[8];

	if (level < 1)
		level = 1;
	if (level > 4)
		level = 4;
	open_block(d, B_HEAD, 0);
	d->level = level;
	if (d->fmt == DR_DOC_HTML) {
		snprintf(h, sizeof(h), "<h%d>", level);
		outs(d, h);
	}
}

void
dr_doc_para(struct dr_doc *d)
{
	open_block(d, B_PARA, 0);
	if (d->fmt == DR_DOC_HTML)
		outs(d, "<p>");
}

void
dr_doc_note(struct dr_doc *d)
{
	open_block(d, B_NOTE, 0);
	if (d->fmt == DR_DOC_HTML)
		outs(d, "<p class=\"note\">");
}

void
dr_doc_item(struct dr_doc *d, int ordered)
{
	int	want = ordered ? 2 : 1;

	if (d->list != 0 && d->list != want)
		close_block(d, 0);
	open_block(d, B_ITEM, 1);
	if (d->list == 0) {
		d->list = want;
		d->nitem = 0;
		if (d->fmt == DR_DOC_HTML)
			outs(d, ordered ? "<ol>\n" : "<ul>\n");
	}
	d->nitem++;
	if (d->fmt == DR_DOC_HTML)
		outs(d, "<li>");
}

void
dr_doc_table(struct dr_doc *d, int ncols, const char *const *headers,
    const char *align)
{
	int	i;

	if (ncols > MAX_COLS)
		ncols = MAX_COLS;
	open_block(d, B_TABLE, 0);
	d->ncols = ncols;
	for (i = 0; i < ncols; i++)
		d->align[i] = align != NULL && align[i] == 'r' ? 'r' : 'l';
	if (d->fmt == DR_DOC_HTML) {
		outs(d, "<table>\n<thead><tr>");
		for (i = 0; i < ncols; i++) {
			outs(d, d->align[i] == 'r' ? "<th class=\"r\">" :
			    "<th>");
			html(d, headers[i]);
			outs(d, "</th>");
		}
		outs(d, "</tr></thead>\n<tbody>\n");
		return;
	}
	outs(d, "|");
	for (i = 0; i < ncols; i++) {
		outs(d, " ");
		outs(d, headers[i]);
		outs(d, " |");
	}
	outs(d, "\n|");
	for (i = 0; i < ncols; i++)
		outs(d, d->align[i] == 'r' ? "---:|" : "---|");
	outs(d, "\n");
}

void
dr_doc_row(struct dr_doc *d)
{
	if (d->block != B_TABLE)
		return;
	if (d->strong)
		dr_doc_strong(d, 0);
	if (d->fmt == DR_DOC_HTML) {
		if (d->in_row)
			outs(d, "</td></tr>\n");
		outs(d, "<tr>");
	} else if (d->in_row) {
		keep(d, " |", 2);
		md_close_block(d);
	}
	d->in_row = 1;
	d->col = 0;
}

void
dr_doc_cell(struct dr_doc *d)
{
	if (d->block != B_TABLE || !d->in_row)
		return;
	if (d->strong)
		dr_doc_strong(d, 0);
	if (d->fmt == DR_DOC_HTML) {
		if (d->col > 0)
			outs(d, "</td>");
		outs(d, d->col < d->ncols && d->align[d->col] == 'r' ?
		    "<td class=\"r\">" : "<td>");
	} else if (d->col > 0)
		keep(d, " | ", 3);
	d->col++;
}

void
dr_doc_pre(struct dr_doc *d)
{
	open_block(d, B_PRE, 0);
	if (d->fmt == DR_DOC_HTML)
		outs(d, "<pre>");
	d->nitem = 0;
}

/*
 * The length of the UTF-8 sequence at s if it is a valid one for a
 * printable character (not a C1 control, not a line separator, not a
 * bidirectional override that could disguise the text), else 0.
 */
static size_t
utf8_ok(const unsigned char *s)
{
	uint32_t	cp;
	size_t		n, i;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 ||
	    cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff) ||
	    cp < 0xa0 || cp == 0x2028 || cp == 0x2029 || cp == 0x200e ||
	    cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069) || cp == 0xfeff)
		return 0;
	return n;
}

void
dr_doc_line(struct dr_doc *d, const char *s)
{
	char		num[8];
	unsigned char	c;
	size_t		u;

	if (d->block != B_PRE)
		return;
	if (d->fmt == DR_DOC_HTML) {
		if (d->nitem++ > 0)
			outs(d, "\n");
	} else
		outs(d, "    ");
	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if (c > 0x7e && (u = utf8_ok((const unsigned char *)s)) > 0) {
			out(d, s, u);
			s += u - 1;
		} else if (c < 0x20 || c > 0x7e) {
			snprintf(num, sizeof(num), "\\%03u", c);
			outs(d, num);
		} else if (d->fmt == DR_DOC_HTML && strchr("&<>\"'", c)) {
			num[0] = (char)c;
			num[1] = '\0';
			html(d, num);
		} else
			out(d, (const char *)&c, 1);
	}
	if (d->fmt == DR_DOC_MARKDOWN)
		outs(d, "\n");
}

void
dr_doc_close(struct dr_doc *d)
{
	close_block(d, 0);
}

void
dr_doc_text(struct dr_doc *d, const char *fmt, ...)
{
	char		 small[1024], *s = small, *big = NULL;
	const char	*p;
	va_list		 ap;
	int		 n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(small)) {
		if ((big = malloc((size_t)n + 1)) == NULL) {
			d->err = 1;
			return;
		}
		va_start(ap, fmt);
		vsnprintf(big, (size_t)n + 1, fmt, ap);
		va_end(ap);
		s = big;
	}
	if (d->fmt == DR_DOC_HTML || d->block == B_PRE) {
		if (d->fmt == DR_DOC_HTML)
			html(d, s);
		else
			outs(d, s);
	} else {
		for (p = s; *p != '\0'; p++) {
			if (strchr("\\`*_[]<>|&~", *p) != NULL)
				keep(d, "\\", 1);
			if (*p == '\n')
				keep(d, " ", 1);
			else
				keep(d, p, 1);
		}
	}
	free(big);
}

/* A code span of s; wire: every byte that could mean something, \DDD. */
static void
code_span(struct dr_doc *d, const char *s, int wire)
{
	char		num[8], mark = NBSP_MARK;
	unsigned char	c;

	if (d->fmt == DR_DOC_HTML)
		outs(d, "<code>");
	else
		keep(d, "`", 1);
	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if (c < 0x20 || c > 0x7e || (d->fmt == DR_DOC_MARKDOWN &&
		    (c == '`' || c == '|') && wire)) {
			snprintf(num, sizeof(num), "\\%03u", c);
			emits(d, num);
		} else if (d->fmt == DR_DOC_HTML) {
			num[0] = (char)c;
			num[1] = '\0';
			html(d, num);
		} else if (c == ' ')
			keep(d, &mark, 1);
		else
			keep(d, (const char *)&c, 1);
	}
	if (d->fmt == DR_DOC_HTML)
		outs(d, "</code>");
	else
		keep(d, "`", 1);
}

void
dr_doc_wire(struct dr_doc *d, const char *s)
{
	if (s == NULL || *s == '\0') {
		dr_doc_text(d, "(none)");
		return;
	}
	code_span(d, s, 1);
}

void
dr_doc_code(struct dr_doc *d, const char *s)
{
	code_span(d, s, 0);
}

void
dr_doc_strong(struct dr_doc *d, int on)
{
	if (on == d->strong)
		return;
	d->strong = on;
	if (d->fmt == DR_DOC_HTML)
		outs(d, on ? "<strong>" : "</strong>");
	else
		keep(d, "**", 2);
}

FILE *
dr_doc_raw(struct dr_doc *d)
{
	if (d->fmt != DR_DOC_HTML)
		return NULL;
	close_block(d, 0);
	return d->f;
}
