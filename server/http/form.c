/* SPDX-License-Identifier: MIT */
/*
 * URL-encoded form and Cookie header parsing (see form.h). The decoded text
 * is never longer than the input, so one allocation of len + 1 holds every
 * name and value.
 */
#include "http/form.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode src[0..n) into dst (NUL-terminated); returns the decoded length or -EINVAL. */
static long decode(const char *src, size_t n, char *dst)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		char c = src[i];

		if (c == '+') {
			c = ' ';
		} else if (c == '%') {
			int hi, lo;

			if (i + 2 >= n)
				return -EINVAL;
			hi = hexval(src[i + 1]);
			lo = hexval(src[i + 2]);
			if (hi < 0 || lo < 0)
				return -EINVAL;
			c = (char)(hi * 16 + lo);
			i += 2;
		}
		dst[o++] = c;
	}
	dst[o] = '\0';
	return (long)o;
}

/* Valid UTF-8 (no overlongs, no surrogates), no controls but TAB/LF/CR; CRLF -> LF in place. */
static bool clean_text(char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	size_t o = 0;

	while (i < len) {
		unsigned char c = p[i];
		size_t need;
		uint32_t cp;

		if (c < 0x80) {
			if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
				return false;
			if (c == '\r' && i + 1 < len && p[i + 1] == '\n') {
				i++;
				continue;
			}
			s[o++] = (char)c;
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			need = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			need = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			need = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		if (len - i <= need)
			return false;
		for (size_t k = 1; k <= need; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		if ((need == 2 && cp < 0x800) || (need == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x80 && cp < 0xa0))
			return false;
		memmove(s + o, s + i, need + 1);
		o += need + 1;
		i += need + 1;
	}
	s[o] = '\0';
	return true;
}

static bool name_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > FORM_NAME_MAX)
		return false;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

int form_parse(const char *data, size_t len, struct form **out)
{
	struct form *f = NULL;
	char *w = NULL;
	size_t i = 0;
	int ret = -EINVAL;

	*out = NULL;
	if (len > FORM_MAX_BYTES)
		return -E2BIG;
	f = calloc(1, sizeof(*f));
	if (f == NULL)
		return -ENOMEM;
	f->text = malloc(len + 2);
	if (f->text == NULL) {
		ret = -ENOMEM;
		goto out;
	}
	w = f->text;
	while (i < len) {
		const char *pair = data + i;
		const char *end = memchr(pair, '&', len - i);
		const char *eq = NULL;
		size_t plen = end != NULL ? (size_t)(end - pair) : len - i;
		long nlen, vlen;
		char *name = NULL;
		char *value = NULL;

		i += plen + 1;
		if (plen == 0)
			continue;
		eq = memchr(pair, '=', plen);
		if (eq == NULL)
			goto out;
		if (f->n == FORM_MAX_FIELDS) {
			ret = -E2BIG;
			goto out;
		}
		name = w;
		nlen = decode(pair, (size_t)(eq - pair), name);
		if (nlen < 0 || !name_ok(name) || form_get(f, name) != NULL)
			goto out;
		value = name + nlen + 1;
		vlen = decode(eq + 1, plen - (size_t)(eq - pair) - 1, value);
		if (vlen < 0 || !clean_text(value, (size_t)vlen))
			goto out;
		w = value + strlen(value) + 1;
		f->f[f->n].name = name;
		f->f[f->n].value = value;
		f->n++;
	}
	*out = f;
	f = NULL;
	ret = 0;
out:
	form_free(f);
	return ret;
}

void form_free(struct form *f)
{
	if (f == NULL)
		return;
	free(f->text);
	free(f);
}

const char *form_get(const struct form *f, const char *name)
{
	if (f == NULL)
		return NULL;
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->f[i].name, name) == 0)
			return f->f[i].value;
	return NULL;
}

static bool cookie_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-';
}

int form_cookie(const char *header, const char *name, char *out, size_t n)
{
	size_t nl = strlen(name);
	const char *p = header;

	if (n > 0)
		out[0] = '\0';
	if (header == NULL)
		return -ENOENT;
	while (*p != '\0') {
		size_t vlen = 0;

		while (*p == ' ' || *p == ';')
			p++;
		if (strncmp(p, name, nl) == 0 && p[nl] == '=') {
			const char *v = p + nl + 1;

			while (v[vlen] != '\0' && v[vlen] != ';' && v[vlen] != ' ')
				vlen++;
			for (size_t k = 0; k < vlen; k++)
				if (!cookie_char(v[k]))
					return -ENOENT;
			if (vlen == 0)
				return -ENOENT;
			if (vlen >= n)
				return -E2BIG;
			memcpy(out, v, vlen);
			out[vlen] = '\0';
			return 0;
		}
		p = strchr(p, ';');
		if (p == NULL)
			break;
	}
	return -ENOENT;
}
