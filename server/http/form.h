/* SPDX-License-Identifier: MIT */
/*
 * The edge of the web pages: parses an application/x-www-form-urlencoded
 * body (or a query string) into at most FORM_MAX_FIELDS name/value pairs,
 * and finds one cookie in a Cookie header. Everything is bounded and checked
 * once here: names are [a-z0-9_]{1,32}, each name at most once, values are
 * valid UTF-8 without control characters other than TAB, CR and LF (CR LF
 * becomes LF), '+' is a space and %XX is decoded.
 *
 * Not for: what a field means or how long it may be (the pages check that).
 * Threads: no shared state.
 */
#ifndef SITEBOARD_SERVER_FORM_H
#define SITEBOARD_SERVER_FORM_H

#include <stddef.h>

#define FORM_MAX_FIELDS 32
#define FORM_MAX_BYTES 65536 /* largest body or query accepted */
#define FORM_NAME_MAX 32

struct form_field {
	const char *name;  /* points into the form's own copy */
	const char *value; /* NUL-terminated, decoded */
};

struct form {
	size_t n;
	struct form_field f[FORM_MAX_FIELDS];
	char *text; /* decoded storage, owned */
};

/*
 * Parse len bytes of data (borrowed, need not be NUL-terminated; NULL with
 * len 0 gives an empty form) into *out (free with form_free).
 * @retval 0
 * @retval -EINVAL malformed: bad %-escape, bad name, repeated name, invalid
 *         UTF-8, a control character, '=' missing
 * @retval -E2BIG more than FORM_MAX_BYTES or FORM_MAX_FIELDS
 * @retval -ENOMEM
 */
int form_parse(const char *data, size_t len, struct form **out);

/* Free a form. NULL is fine. */
void form_free(struct form *f);

/* The value of field name (borrowed from f), or NULL if absent. f may be NULL. */
const char *form_get(const struct form *f, const char *name);

/*
 * Copy the value of cookie name from a Cookie header (both borrowed; header
 * may be NULL) into out (n bytes). Only [A-Za-z0-9_-] values are accepted.
 * @retval 0, -ENOENT (absent or malformed), -E2BIG (longer than n - 1)
 */
int form_cookie(const char *header, const char *name, char *out, size_t n);

#endif
