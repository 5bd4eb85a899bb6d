/*
 * doc.h: a small document writer for reports people read: headings,
 * paragraphs, lists, tables and preformatted lines, as Markdown or as
 * one self-contained HTML page, from the same calls.
 *
 * Text comes in three kinds and each is escaped for the target:
 *
 *   dr_doc_text()  our own words and numbers: HTML-escaped, and in
 *                  Markdown every character that could start markup is
 *                  backslash-escaped;
 *   dr_doc_wire()  anything from the wire or the user (names, file
 *                  names): a code span in which every byte outside
 *                  printable ASCII, and in Markdown '`' and '|', reads
 *                  \DDD, so no byte can break out of it;
 *   dr_doc_code()  a command to type: a code span of our own text.
 *
 * Markdown paragraphs and list items are wrapped at 76 columns, never
 * inside a code span.  Blocks close themselves when the next one starts;
 * a list ends when something other than an item follows.
 */
#ifndef DR_DOC_H
#define DR_DOC_H

#include <stdio.h>

enum dr_doc_format {
	DR_DOC_MARKDOWN = 0,
	DR_DOC_HTML
};

struct dr_doc;

/* NULL when out of memory.  style: CSS for HTML's <style>, or NULL. */
struct dr_doc	*dr_doc_new(FILE *, enum dr_doc_format, const char *title,
		    const char *style);
/* Closes what is open and frees; -1 when writing failed at any point. */
int		 dr_doc_end(struct dr_doc *);

void		 dr_doc_heading(struct dr_doc *, int level);	/* 1..4 */
void		 dr_doc_para(struct dr_doc *);
/* A paragraph whose words read as a note (smaller, in HTML). */
void		 dr_doc_note(struct dr_doc *);
void		 dr_doc_item(struct dr_doc *, int ordered);
/*
 * A table of ncols columns (at most 8) with these headers; align holds
 * 'l' or 'r' per column.  Then dr_doc_row() before each row and
 * dr_doc_cell() before each of its cells.
 */
void		 dr_doc_table(struct dr_doc *, int ncols,
		    const char *const *headers, const char *align);
void		 dr_doc_row(struct dr_doc *);
void		 dr_doc_cell(struct dr_doc *);
/*
 * Preformatted lines (evidence packets): one call per line.  Bytes
 * outside printable ASCII read \DDD, but for valid UTF-8 of printable
 * characters (an em dash in an alert), bidirectional controls excepted.
 */
void		 dr_doc_pre(struct dr_doc *);
void		 dr_doc_line(struct dr_doc *, const char *);
/* Close the open block (and list). */
void		 dr_doc_close(struct dr_doc *);

void		 dr_doc_text(struct dr_doc *, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
void		 dr_doc_wire(struct dr_doc *, const char *);
void		 dr_doc_code(struct dr_doc *, const char *);
void		 dr_doc_strong(struct dr_doc *, int on);

/*
 * HTML only: close the open block and give the stream for markup the
 * caller writes itself (an SVG chart).  NULL for Markdown.
 */
FILE		*dr_doc_raw(struct dr_doc *);

/* s with & < > " ' as entities (for the caller's own markup). */
void		 dr_html_escape(FILE *, const char *s);

#endif
