/* SPDX-License-Identifier: MIT */
/*
 * The HTTP side of siteboardctl: one request to the siteboard server's API
 * through libcurl, with the token as a Bearer header, JSON in and out, 10 s
 * timeouts, no redirects followed (the token must not travel elsewhere) and
 * the answer body capped at CLIENT_MAX_BODY. Interprets nothing: the caller
 * decides what a status means.
 *
 * curl_global_init must have been called (main does it once). A struct client
 * is used from one thread at a time.
 */
#ifndef SITEBOARDCTL_CLIENT_H
#define SITEBOARDCTL_CLIENT_H

#include <stddef.h>

#define CLIENT_MAX_BODY (8u * 1024u * 1024u)
#define CLIENT_TIMEOUT_S 10L

struct client;

struct client_answer {
	long status;  /* HTTP status, e.g. 200 */
	char *body;   /* malloc'd, NUL-terminated (may be ""); owned by the answer */
	size_t len;   /* bytes in body, without the terminator */
};

/*
 * Prepare a client for base_url ("http://host:port", a trailing "/" is
 * dropped) and token. Both are copied.
 * @retval 0 and *out set (free with client_close)
 * @retval -ENOMEM
 */
int client_open(const char *base_url, const char *token, struct client **out);

/* Free a client. NULL is fine. */
void client_close(struct client *h);

/*
 * Send method to base_url + path with body (NUL-terminated JSON, or NULL for
 * none) and fill *ans. Any status counts as success here.
 * On failure err gets curl's reason ("Couldn't connect to server", ...).
 * @retval 0 and *ans filled (release with client_answer_free)
 * @retval -EIO    no answer: connection, timeout or protocol failure
 * @retval -EFBIG  the answer body is larger than CLIENT_MAX_BODY
 * @retval -ENOMEM
 */
int client_request(struct client *h, const char *method, const char *path, const char *body,
		   struct client_answer *ans, char *err, size_t err_len);

/* Free what an answer owns and zero it. NULL is fine. */
void client_answer_free(struct client_answer *ans);

#endif
