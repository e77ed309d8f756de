/* SPDX-License-Identifier: MIT */
/*
 * Bounded output buffer and escaping (see html.h).
 */
#include "http/html.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void html_init(struct html *h, size_t max)
{
	buf_init(&h->b, max);
}

void html_release(struct html *h)
{
	if (h != NULL)
		buf_release(&h->b);
}

void html_rawn(struct html *h, const char *s, size_t n)
{
	buf_append(&h->b, s, n);
}

void html_raw(struct html *h, const char *s)
{
	if (s != NULL)
		buf_append(&h->b, s, strlen(s));
}

void html_fmt(struct html *h, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&h->b, fmt, ap);
	va_end(ap);
}

static const char *entity(char c)
{
	switch (c) {
	case '&':
		return "&amp;";
	case '<':
		return "&lt;";
	case '>':
		return "&gt;";
	case '"':
		return "&quot;";
	case '\'':
		return "&#39;";
	default:
		return NULL;
	}
}

void html_text(struct html *h, const char *s)
{
	const char *run = s;

	if (s == NULL)
		return;
	for (; *s != '\0'; s++) {
		const char *e = entity(*s);

		if (e == NULL)
			continue;
		html_rawn(h, run, (size_t)(s - run));
		html_raw(h, e);
		run = s + 1;
	}
	html_rawn(h, run, (size_t)(s - run));
}

int html_escape(const char *s, char *out, size_t n)
{
	size_t len = 0;

	if (n == 0)
		return -ENOSPC;
	for (; *s != '\0'; s++) {
		const char *e = entity(*s);
		size_t add = e != NULL ? strlen(e) : 1;

		if (len + add >= n) {
			out[0] = '\0';
			return -ENOSPC;
		}
		if (e != NULL)
			memcpy(out + len, e, add);
		else
			out[len] = *s;
		len += add;
	}
	out[len] = '\0';
	return 0;
}

void html_csv(struct html *h, const char *s)
{
	const char *run = s;

	html_raw(h, "\"");
	if (s == NULL) {
		html_raw(h, "\"");
		return;
	}
	if (strchr("=+-@\t\r", s[0]) != NULL && s[0] != '\0')
		html_raw(h, "'");
	for (; *s != '\0'; s++) {
		if (*s != '"')
			continue;
		html_rawn(h, run, (size_t)(s - run) + 1);
		html_raw(h, "\"");
		run = s + 1;
	}
	html_rawn(h, run, (size_t)(s - run));
	html_raw(h, "\"");
}

int html_take(struct html *h, char **out, size_t *len)
{
	*len = 0;
	return buf_take(&h->b, out, len);
}
