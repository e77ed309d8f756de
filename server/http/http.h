/* SPDX-License-Identifier: MIT */
/*
 * The HTTP server (libmicrohttpd, one thread per connection): collects each
 * request body up to HTTP_MAX_BODY (413 beyond, as soon as Content-Length
 * says so, or after discarding the rest of an unannounced body) and hands
 * the request to the handlers the program registers (function pointers and
 * their context): the pages' handler for the paths it claims, else the API's.
 * One debug log line per request, never with the body.
 *
 * Not for: routing, JSON or pages (the handlers'). Knows nothing of them.
 */
#ifndef SITEBOARD_SERVER_HTTP_H
#define SITEBOARD_SERVER_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#define HTTP_MAX_BODY (1024 * 1024) /* larger bodies get 413 */

/* One request (all borrowed for the handler's call). */
struct http_request {
	const char *method;
	const char *path;          /* without the query */
	const char *query;         /* raw, URL-encoded, without '?'; "" if none */
	const char *authorization; /* Authorization header or NULL */
	const char *cookie;        /* Cookie header or NULL */
	const char *content_type;  /* Content-Type header or NULL */
	const char *client;        /* client address text, for rate limits */
	const char *body;          /* NULL when empty */
	size_t len;
};

#define HTTP_MAX_COOKIES 2

/* The answer; body is malloc'd (or NULL: no body) and becomes http's. */
struct http_response {
	int status;
	char *body;
	size_t len;
	const char *content_type; /* static string, or NULL */
	char location[512];       /* "" or a redirect target */
	char cookies[HTTP_MAX_COOKIES][256];
	int n_cookies;
	char disposition[160]; /* "" or Content-Disposition */
	bool page;             /* a page: Cache-Control, CSP, nosniff, Referrer-Policy */
	bool private_page;     /* page with Cache-Control: no-store */
	const char *csp;       /* NULL: the default Content-Security-Policy; else the whole
				  policy (valid until the handler's context is closed) */
};

/*
 * Answer req into *out (zeroed by http first). Must be thread-safe.
 * @retval 0, or -ENOMEM when nothing could be answered (http sends a bare 500)
 */
typedef int (*http_handler_fn)(void *ctx, const struct http_request *req,
			       struct http_response *out);

struct http_handlers {
	http_handler_fn api; /* every path the pages do not claim */
	void *api_ctx;
	http_handler_fn pages; /* may be NULL: API only */
	void *pages_ctx;
	bool (*pages_claim)(const char *path); /* the paths for pages */
};

struct http;

/*
 * Listen on host:port (host borrowed; port 0 picks a free port) and serve
 * the handlers (copied; their contexts borrowed, must outlive the http).
 * Requests run at once, each on its connection's thread.
 * @retval 0 and *out set
 * @retval -EADDRNOTAVAIL host does not resolve; -EIO cannot listen (logged)
 * @retval -ENOMEM
 */
int http_open(const char *host, int port, const struct http_handlers *handlers,
	      struct http **out);

/* The port actually bound. */
int http_port(const struct http *h);

/* Stop serving (waits for the threads) and free. NULL is fine. */
void http_close(struct http *h);

#endif
