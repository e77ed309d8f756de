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
	memset(h, 0, sizeof(*h));
	h->max = max;
}

void html_release(struct html *h)
{
	if (h == NULL)
		return;
	free(h->buf);
	h->buf = NULL;
	h->len = 0;
	h->cap = 0;
}

static int reserve(struct html *h, size_t more)
{
	size_t ncap;
	char *nb = NULL;

	if (h->err != 0)
		return h->err;
	if (more > h->max || h->len > h->max - more) {
		h->err = -E2BIG;
		return h->err;
	}
	if (h->len + more + 1 <= h->cap)
		return 0;
	ncap = h->cap == 0 ? 4096 : h->cap;
	while (ncap < h->len + more + 1)
		ncap *= 2;
	if (ncap > h->max + 1)
		ncap = h->max + 1;
	nb = realloc(h->buf, ncap);
	if (nb == NULL) {
		h->err = -ENOMEM;
		return h->err;
	}
	h->buf = nb;
	h->cap = ncap;
	return 0;
}

void html_rawn(struct html *h, const char *s, size_t n)
{
	if (n == 0 || reserve(h, n) < 0)
		return;
	memcpy(h->buf + h->len, s, n);
	h->len += n;
	h->buf[h->len] = '\0';
}

void html_raw(struct html *h, const char *s)
{
	if (s != NULL)
		html_rawn(h, s, strlen(s));
}

void html_fmt(struct html *h, const char *fmt, ...)
{
	char small[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0) {
		h->err = h->err != 0 ? h->err : -EINVAL;
		return;
	}
	if ((size_t)n < sizeof(small)) {
		html_rawn(h, small, (size_t)n);
		return;
	}
	if (reserve(h, (size_t)n) < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(h->buf + h->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	h->len += (size_t)n;
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
	*out = NULL;
	*len = 0;
	if (h->err != 0)
		return h->err;
	if (h->buf == NULL && reserve(h, 0) < 0)
		return h->err;
	h->buf[h->len] = '\0';
	*out = h->buf;
	*len = h->len;
	h->buf = NULL;
	h->len = 0;
	h->cap = 0;
	return 0;
}
