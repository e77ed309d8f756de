/* SPDX-License-Identifier: MIT */
/*
 * URL query strings (the part after '?', "a=1&b=x%20y"): find one key and
 * percent-decode its value ('+' is a space), optionally as a whole number
 * or an RFC 3339 time. Pure functions on borrowed strings; nothing kept.
 *
 * Not for: HTML form bodies (form), telling the client what was wrong (the
 * API modules word the 422 from these return values).
 * Threads: any.
 */
#ifndef SITEBOARD_SERVER_QUERY_H
#define SITEBOARD_SERVER_QUERY_H

#include <stddef.h>
#include <stdint.h>

/* Bytes of a decoded value the API modules accept (with the NUL). */
#define QUERY_VALUE_MAX 100

/*
 * Find key in query (NULL is empty) and percent-decode its first value into
 * out (n bytes, NUL-terminated).
 * @retval 1 found, 0 absent
 * @retval -EINVAL bad %-escape, an encoded NUL, or longer than n - 1 bytes
 */
int query_get(const char *query, const char *key, char *out, size_t n);

/*
 * key as a whole number (decimal, strtoll) in [min, max]; *out is left alone
 * when absent.
 * @retval 1 found, 0 absent, -EINVAL not a number, out of range or bad encoding
 */
int query_int(const char *query, const char *key, int64_t min, int64_t max, int64_t *out);

/*
 * key as an RFC 3339 time (sbtime_parse), in Unix ms; *out is left alone
 * when absent.
 * @retval 1 found, 0 absent, -EINVAL
 */
int query_time(const char *query, const char *key, int64_t *out);

#endif
