/* SPDX-License-Identifier: MIT */
/*
 * The answer of one API request: a status and a JSON body, and the helpers
 * every API module uses to set them, so that each error is {"error":"..."}
 * the same way everywhere. Not thread-safe; one reply per request.
 */
#ifndef SITEBOARD_REPLY_H
#define SITEBOARD_REPLY_H

#include <jansson.h>

struct reply {
	int status;
	char *response; /* malloc'd compact JSON, or NULL; the caller frees it */
};

/*
 * Answer status with obj (taken: its reference is released). A NULL obj or a
 * failure to encode becomes a 500 with no body.
 */
void reply_json(struct reply *r, int status, json_t *obj);

/* Answer status with {"error":"<formatted message>"} (at most 255 bytes). */
void reply_error(struct reply *r, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* 500 {"error":"internal error"}: a real failure (disk, memory), never bad input. */
void reply_internal(struct reply *r);

#endif
