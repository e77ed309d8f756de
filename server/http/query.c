/* SPDX-License-Identifier: MIT */
/*
 * URL query strings (see query.h): one pass over "k=v&k=v" per lookup; the
 * strings are short (a request line), so no index is built.
 */
#include "http/query.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "siteboard/sbtime.h"

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int query_get(const char *query, const char *key, char *out, size_t n)
{
	size_t klen = strlen(key);
	const char *p = query;

	while (p != NULL && *p != '\0') {
		const char *end = strchr(p, '&');
		size_t len = end != NULL ? (size_t)(end - p) : strlen(p);

		if (len > klen && strncmp(p, key, klen) == 0 && p[klen] == '=') {
			size_t o = 0;

			for (size_t i = klen + 1; i < len; i++) {
				int c = (unsigned char)p[i];

				if (c == '%') {
					int hi = i + 2 < len ? hexval(p[i + 1]) : -1;
					int lo = i + 2 < len ? hexval(p[i + 2]) : -1;

					if (hi < 0 || lo < 0)
						return -EINVAL;
					c = hi * 16 + lo;
					i += 2;
				} else if (c == '+') {
					c = ' ';
				}
				if (c == 0 || o + 1 >= n)
					return -EINVAL;
				out[o++] = (char)c;
			}
			out[o] = '\0';
			return 1;
		}
		p = end != NULL ? end + 1 : NULL;
	}
	return 0;
}

int query_int(const char *query, const char *key, int64_t min, int64_t max, int64_t *out)
{
	char buf[QUERY_VALUE_MAX];
	char *end = NULL;
	long long v;
	int rc = query_get(query, key, buf, sizeof(buf));

	if (rc <= 0)
		return rc;
	errno = 0;
	v = strtoll(buf, &end, 10);
	if (errno != 0 || end == buf || *end != '\0' || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 1;
}

int query_time(const char *query, const char *key, int64_t *out)
{
	char buf[QUERY_VALUE_MAX];
	int64_t ms = 0;
	int rc = query_get(query, key, buf, sizeof(buf));

	if (rc <= 0)
		return rc;
	if (sbtime_parse(buf, &ms) < 0)
		return -EINVAL;
	*out = ms;
	return 1;
}
