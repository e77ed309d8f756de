/* SPDX-License-Identifier: MIT */
/*
 * A growable byte/text buffer with a maximum size set at creation and a
 * sticky error (curl's dynbuf, server/http/html.c's buffer): append bytes,
 * strings or printf output; after an allocation failure or the maximum the
 * buffer ignores further writes and buf_take reports it, so a producer can
 * write a whole document and check once. The contents are always
 * NUL-terminated (once anything is allocated), for text and bytes alike.
 *
 * For: bodies read from the network or a file, documents built piecewise.
 * Not for: escaping (html.h), arrays of structs (a typed array is clearer).
 * Threads: one buffer, one thread. The struct is public so it can live on the
 * stack; touch its fields only through these functions.
 */
#ifndef SITEBOARD_BUF_H
#define SITEBOARD_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data; /* owned; NULL until the first write */
	size_t len;
	size_t cap;
	size_t max; /* largest content accepted, in bytes (the NUL not counted) */
	int err;    /* 0, -ENOMEM or -E2BIG; sticky */
};

/* Start an empty buffer that may grow to max bytes. Nothing is allocated yet. */
void buf_init(struct buf *b, size_t max);

/* Free the contents and empty the buffer (max kept, error cleared). NULL is fine. */
void buf_release(struct buf *b);

/*
 * Make room for `more` bytes (and a NUL) beyond len.
 * @retval 0
 * @retval -E2BIG len + more would pass max (sticky)
 * @retval -ENOMEM (sticky)
 * @retval the sticky error of an earlier write
 */
int buf_reserve(struct buf *b, size_t more);

/* Append n bytes of p (borrowed). Errors are sticky; see buf_err. */
void buf_append(struct buf *b, const void *p, size_t n);

/* Append a NUL-terminated string (borrowed); NULL appends nothing. */
void buf_puts(struct buf *b, const char *s);

/* Append printf output. A formatting error is sticky as -EINVAL. */
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* buf_printf with a va_list (used, not ended: the caller va_ends it). */
void buf_vprintf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* The sticky error: 0, -ENOMEM, -E2BIG or -EINVAL. */
int buf_err(const struct buf *b);

/*
 * Hand over the contents (malloc'd, NUL-terminated, the caller frees; an
 * empty buffer gives "") and their length (len may be NULL); the buffer is
 * empty afterwards and may be reused.
 * @retval 0
 * @retval -ENOMEM, -E2BIG, -EINVAL a write failed: nothing is handed over,
 *         *out is NULL and the buffer is released
 */
int buf_take(struct buf *b, char **out, size_t *len);

#endif
