/* SPDX-License-Identifier: MIT */
/*
 * A bounded text buffer for server-rendered pages and CSV, with the only
 * ways the web pages put outside text into output: html_text escapes for
 * HTML text and attribute values (& < > " '), html_csv quotes a CSV field
 * and defuses spreadsheet formulas. html_raw and html_fmt are for the
 * program's own markup and numbers only, never for stored or request text.
 *
 * Errors are sticky: after an allocation failure or the maximum size the
 * buffer ignores further writes and html_take reports it.
 * Not for: templates with logic (pages are plain C), HTTP (web).
 * Threads: one buffer, one thread.
 */
#ifndef SITEBOARD_SERVER_HTML_H
#define SITEBOARD_SERVER_HTML_H

#include <stdbool.h>
#include <stddef.h>

#include "siteboard/buf.h"

struct html {
	struct buf b; /* common's bounded buffer: max, sticky error (0, -ENOMEM or -E2BIG) */
};

/* Start an empty buffer that may grow to max bytes. Nothing is allocated yet. */
void html_init(struct html *h, size_t max);

/* Free the buffer. NULL is fine. */
void html_release(struct html *h);

/*
 * Hand over the text (NUL-terminated, malloc'd, caller frees) and its length;
 * the buffer is empty afterwards.
 * @retval 0, -ENOMEM, -E2BIG (a write failed; nothing is handed over)
 */
int html_take(struct html *h, char **out, size_t *len);

/* The program's own markup, as is. */
void html_raw(struct html *h, const char *s);
void html_rawn(struct html *h, const char *s, size_t n);
/* printf for the program's own markup and numbers; %s arguments must not be outside text. */
void html_fmt(struct html *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Outside text, escaped for HTML text and quoted attributes. NULL writes nothing. */
void html_text(struct html *h, const char *s);

/*
 * One CSV field (RFC 4180): always quoted, quotes doubled; a field starting
 * with = + - @ TAB or CR gets a leading apostrophe so spreadsheets do not run
 * it as a formula. NULL writes an empty field.
 */
void html_csv(struct html *h, const char *s);

/* Escape s into out (n bytes, NUL-terminated). 0, or -ENOSPC if it does not fit. */
int html_escape(const char *s, char *out, size_t n);

#endif
