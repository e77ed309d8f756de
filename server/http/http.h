/* SPDX-License-Identifier: MIT */
/*
 * The HTTP front of the API (libmicrohttpd, one thread per connection):
 * collects each request body up to API_MAX_BODY (413 beyond, as soon as
 * Content-Length says so, or after discarding the rest of an unannounced
 * body) and hands the request to api_handle. One debug log line per request,
 * never with the body.
 *
 * Not for: routing or JSON (api).
 */
#ifndef SITEBOARD_SERVER_HTTP_H
#define SITEBOARD_SERVER_HTTP_H

#include "api/api.h"

struct http;

/*
 * Listen on host:port (host borrowed; port 0 picks a free port) and serve api
 * and, for the paths web_handles names, the web pages (both borrowed; must
 * outlive the http; web may be NULL). Requests run at once, each on its
 * connection's thread: api and web must be thread-safe (they are).
 * @retval 0 and *out set
 * @retval -EADDRNOTAVAIL host does not resolve; -EIO cannot listen (logged)
 * @retval -ENOMEM
 */
struct web;
int http_open(const char *host, int port, struct api *api, struct web *web,
	      struct http **out);

/* The port actually bound. */
int http_port(const struct http *h);

/* Stop serving (waits for the threads) and free. NULL is fine. */
void http_close(struct http *h);

#endif
