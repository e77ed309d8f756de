/* SPDX-License-Identifier: MIT */
/*
 * The HTTP server (libmicrohttpd, a thread per connection): collects each
 * request body up to HTTP_MAX_BODY (413 beyond, as soon as Content-Length
 * says so, or after discarding the rest of an unannounced body), and hands
 * the request to the handlers the layers above registered (main.c wires
 * the API and the web pages): the web handler for the paths its
 * `handles` function claims, the API for the rest. One debug log line per
 * request, never with the body.
 *
 * Not for: routing, JSON or HTML (api, web): this layer includes neither.
 */
#ifndef SITEBOARD_SERVER_HTTP_H
#define SITEBOARD_SERVER_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#define HTTP_MAX_BODY (1024 * 1024) /* larger bodies get 413 */

/* One request, all borrowed for the call. */
struct http_request {
	const char *method;
	const char *path;         /* without the query */
	const char *query;        /* raw, URL-encoded; NULL or "" if none */
	const char *cookie;       /* Cookie header or NULL */
	const char *content_type; /* Content-Type header or NULL */
	const char *client;       /* client address text, for rate limits */
	const char *body;
	size_t len;
};

#define HTTP_MAX_COOKIES 2

/* The answer; body is malloc'd (release with http_response_release). */
struct http_response {
	int status;
	char *body;
	size_t len;
	const char *content_type; /* static string */
	char location[512];       /* "" or a redirect target */
	char cookies[HTTP_MAX_COOKIES][256];
	int n_cookies;
	char disposition[160]; /* "" or Content-Disposition */
	bool private_page;     /* Cache-Control: no-store */
	const char *csp;       /* NULL: the default Content-Security-Policy; else the whole
				  policy (static, or the web's: valid while the web is open) */
};

/* Free the response's body. NULL is fine. */
void http_response_release(struct http_response *r);

/*
 * What serves the requests. Every pointer is borrowed and must outlive the
 * http; the functions run on the connections' threads, several at once.
 * api: the JSON API for every path web_handles does not claim; path
 * carries the query ("?a=1&b=2", re-encoded); authorization is the header
 * or NULL; on success *response is malloc'd JSON (or NULL for no body),
 * taken by the http. Returns 0, or a negative errno for a 500.
 * web (may be NULL, with web_handles): the pages; 0 or a negative errno.
 */
struct http_handlers {
	int (*api)(void *ctx, const char *method, const char *path, const char *authorization,
		   const char *body, size_t len, int *status, char **response);
	void *api_ctx;
	bool (*web_handles)(const char *path);
	int (*web)(void *ctx, const struct http_request *req, struct http_response *out);
	void *web_ctx;
};

struct http;

/*
 * Listen on host:port (host borrowed; port 0 picks a free port) and serve
 * with handlers (copied; what they point to is borrowed).
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
