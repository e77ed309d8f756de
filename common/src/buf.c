/* SPDX-License-Identifier: MIT */
/*
 * Bounded growable buffer (see buf.h). Capacity doubles from 256 bytes up to
 * max + 1, so a buffer near its maximum never holds more than it may use.
 */
#include "siteboard/buf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUF_FIRST 256

void buf_init(struct buf *b, size_t max)
{
	memset(b, 0, sizeof(*b));
	b->max = max;
}

void buf_release(struct buf *b)
{
	if (b == NULL)
		return;
	free(b->data);
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->err = 0;
}

int buf_reserve(struct buf *b, size_t more)
{
	size_t ncap;
	char *nb = NULL;

	if (b->err != 0)
		return b->err;
	if (more > b->max || b->len > b->max - more) {
		b->err = -E2BIG;
		return b->err;
	}
	if (b->len + more + 1 <= b->cap)
		return 0;
	ncap = b->cap == 0 ? BUF_FIRST : b->cap;
	while (ncap < b->len + more + 1 && ncap <= b->max)
		ncap *= 2;
	if (ncap > b->max + 1)
		ncap = b->max + 1;
	nb = realloc(b->data, ncap);
	if (nb == NULL) {
		b->err = -ENOMEM;
		return b->err;
	}
	b->data = nb;
	b->cap = ncap;
	return 0;
}

void buf_append(struct buf *b, const void *p, size_t n)
{
	if (n == 0 || buf_reserve(b, n) < 0)
		return;
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void buf_puts(struct buf *b, const char *s)
{
	if (s != NULL)
		buf_append(b, s, strlen(s));
}

void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	char small[512];
	va_list again;
	int n;

	va_copy(again, ap);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	if (n < 0) {
		b->err = b->err != 0 ? b->err : -EINVAL;
	} else if ((size_t)n < sizeof(small)) {
		buf_append(b, small, (size_t)n);
	} else if (buf_reserve(b, (size_t)n) == 0) {
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, again);
		b->len += (size_t)n;
	}
	va_end(again);
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

int buf_err(const struct buf *b)
{
	return b->err;
}

int buf_take(struct buf *b, char **out, size_t *len)
{
	int ret = b->err;

	*out = NULL;
	if (ret == 0 && b->data == NULL) {
		ret = buf_reserve(b, 0);
		if (ret == 0)
			b->data[0] = '\0';
	}
	if (ret < 0) {
		buf_release(b);
		return ret;
	}
	*out = b->data;
	if (len != NULL)
		*len = b->len;
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	return 0;
}
