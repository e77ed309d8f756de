/* SPDX-License-Identifier: MIT */
/*
 * libmicrohttpd glue for the API (see http.h). Per connection state is one
 * struct upload holding the body collected so far, capped at HTTP_MAX_BODY.
 */
#include "http/http.h"

#include <errno.h>
#include <netdb.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <microhttpd.h>

#include "siteboard/log.h"

struct http {
	struct MHD_Daemon *daemon;
	struct http_handlers handlers;
	int port;
};

struct upload {
	char *buf;
	size_t len;
	size_t cap;
	bool too_large;
};

static const char too_large_json[] = "{\"error\":\"body larger than 1048576 bytes\"}";
static const char internal_json[] = "{\"error\":\"internal error\"}";
static const char long_uri_json[] = "{\"error\":\"query too long\"}";

static enum MHD_Result send_answer(struct MHD_Connection *conn, unsigned int status,
				   const char *body, size_t len, enum MHD_ResponseMemoryMode mode)
{
	struct MHD_Response *resp = NULL;
	enum MHD_Result ret;

	resp = MHD_create_response_from_buffer(len, (void *)(uintptr_t)body, mode);
	if (resp == NULL)
		return MHD_NO;
	if (len > 0)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
	ret = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* Append to the body, or note that the cap was crossed and drop the rest. */
static int collect(struct upload *u, const char *data, size_t size)
{
	char *nb = NULL;
	size_t ncap;

	if (u->too_large || size > HTTP_MAX_BODY - u->len) {
		u->too_large = true;
		free(u->buf);
		u->buf = NULL;
		u->len = 0;
		return 0;
	}
	if (u->len + size > u->cap) {
		ncap = u->cap == 0 ? 4096 : u->cap;
		while (ncap < u->len + size)
			ncap *= 2;
		if (ncap > HTTP_MAX_BODY)
			ncap = HTTP_MAX_BODY;
		nb = realloc(u->buf, ncap);
		if (nb == NULL)
			return -ENOMEM;
		u->buf = nb;
		u->cap = ncap;
	}
	memcpy(u->buf + u->len, data, size);
	u->len += size;
	return 0;
}

#define QUERY_MAX 2048

struct query_buf {
	char text[QUERY_MAX];
	size_t len;
	bool overflow;
};

static void query_put(struct query_buf *q, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			     (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~';

		if (q->len + 4 > sizeof(q->text)) {
			q->overflow = true;
			return;
		}
		if (plain) {
			q->text[q->len++] = (char)c;
		} else {
			q->text[q->len++] = '%';
			q->text[q->len++] = hex[c >> 4];
			q->text[q->len++] = hex[c & 15];
		}
	}
}

/* MHD gives the path without its query and the arguments decoded: encode them again. */
static enum MHD_Result query_arg(void *cls, enum MHD_ValueKind kind, const char *key,
				 const char *value)
{
	struct query_buf *q = cls;

	(void)kind;
	if (q->len + 2 > sizeof(q->text)) {
		q->overflow = true;
		return MHD_NO;
	}
	q->text[q->len] = q->len == 0 ? '?' : '&';
	q->len++;
	query_put(q, key);
	if (value != NULL) {
		q->text[q->len++] = '=';
		query_put(q, value);
	}
	q->text[q->len] = '\0';
	return q->overflow ? MHD_NO : MHD_YES;
}

/* The client's address as text, for the web pages' rate limits. */
static void client_address(struct MHD_Connection *conn, char *buf, size_t n)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci != NULL ? ci->client_addr : NULL;
	socklen_t len = sizeof(struct sockaddr_in6);

	snprintf(buf, n, "unknown");
	if (sa == NULL)
		return;
	if (sa->sa_family == AF_INET)
		len = sizeof(struct sockaddr_in);
	if (getnameinfo(sa, len, buf, (socklen_t)n, NULL, 0, NI_NUMERICHOST) != 0)
		snprintf(buf, n, "unknown");
}

/* Call the handler and send its answer with its headers; the body is handed to MHD. */
static enum MHD_Result answer(struct MHD_Connection *conn, http_handler_fn fn, void *ctx,
			      const struct http_request *req)
{
	struct http_response out;
	struct MHD_Response *resp = NULL;
	enum MHD_Result ret;

	memset(&out, 0, sizeof(out));
	if (fn(ctx, req, &out) < 0) {
		free(out.body);
		log_debug("%s %s -> 500", req->method, req->path);
		return send_answer(conn, 500, internal_json, sizeof(internal_json) - 1,
				   MHD_RESPMEM_PERSISTENT);
	}
	log_debug("%s %s -> %d", req->method, req->path, out.status);
	resp = MHD_create_response_from_buffer(out.len, out.body != NULL ? out.body : (void *)"",
					       out.body != NULL ? MHD_RESPMEM_MUST_FREE
								: MHD_RESPMEM_PERSISTENT);
	if (resp == NULL) {
		free(out.body);
		return MHD_NO;
	}
	if (out.content_type != NULL)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, out.content_type);
	if (out.location[0] != '\0')
		MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, out.location);
	for (int i = 0; i < out.n_cookies && i < HTTP_MAX_COOKIES; i++)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, out.cookies[i]);
	if (out.disposition[0] != '\0')
		MHD_add_response_header(resp, "Content-Disposition", out.disposition);
	if (out.page) {
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
					out.private_page ? "no-store" : "no-cache");
		MHD_add_response_header(resp, "Content-Security-Policy",
					out.csp != NULL ? out.csp
							: "default-src 'none'; style-src 'unsafe-inline'; "
							  "img-src 'self'; form-action 'self'; "
							  "frame-ancestors 'none'; base-uri 'none'");
		MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
		MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	}
	ret = MHD_queue_response(conn, (unsigned int)out.status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_data_size,
				  void **con_cls)
{
	struct http *h = cls;
	struct upload *u = *con_cls;
	const char *clen = NULL;
	struct query_buf query;
	struct http_request req = {0};
	char client[64];
	bool pages;

	(void)version;
	if (u == NULL) {
		u = calloc(1, sizeof(*u));
		if (u == NULL)
			return MHD_NO;
		*con_cls = u;
		clen = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
						   MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (clen != NULL && strtoull(clen, NULL, 10) > HTTP_MAX_BODY) {
			log_debug("%s %s -> 413", method, url);
			return send_answer(conn, 413, too_large_json, sizeof(too_large_json) - 1,
					   MHD_RESPMEM_PERSISTENT);
		}
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		if (collect(u, upload_data, *upload_data_size) < 0)
			return MHD_NO;
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (u->too_large) {
		log_debug("%s %s -> 413", method, url);
		return send_answer(conn, 413, too_large_json, sizeof(too_large_json) - 1,
				   MHD_RESPMEM_PERSISTENT);
	}
	memset(&query, 0, sizeof(query));
	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, query_arg, &query);
	if (query.overflow || strlen(url) + query.len + 1 > QUERY_MAX + 1024) {
		log_debug("%s %s -> 414", method, url);
		return send_answer(conn, 414, long_uri_json, sizeof(long_uri_json) - 1,
				   MHD_RESPMEM_PERSISTENT);
	}
	pages = h->handlers.pages != NULL && h->handlers.pages_claim != NULL &&
		h->handlers.pages_claim(url);
	client_address(conn, client, sizeof(client));
	req.method = method;
	req.path = url;
	req.query = query.len > 0 ? query.text + 1 : "";
	req.authorization =
		MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	req.cookie = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_COOKIE);
	req.content_type =
		MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
	req.client = client;
	req.body = u->buf;
	req.len = u->len;
	if (pages)
		return answer(conn, h->handlers.pages, h->handlers.pages_ctx, &req);
	return answer(conn, h->handlers.api, h->handlers.api_ctx, &req);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct upload *u = *con_cls;

	(void)cls;
	(void)conn;
	(void)toe;
	if (u == NULL)
		return;
	free(u->buf);
	free(u);
	*con_cls = NULL;
}

int http_open(const char *host, int port, const struct http_handlers *handlers,
	      struct http **out)
{
	struct addrinfo hints = {0};
	struct addrinfo *ai = NULL;
	struct http *h = NULL;
	const union MHD_DaemonInfo *info = NULL;
	/*
	 * One thread per connection, so no request waits behind another: a
	 * sign-in (Argon2id, ~75 ms), a preview render or a CSV export runs on
	 * its own connection's thread while the others answer. A thread pool
	 * (MHD_OPTION_THREAD_POOL_SIZE, libmicrohttpd 0.9.75 has both) would
	 * still let N slow requests block every other connection of those N
	 * threads, or need suspend/resume and workers of our own; at a site
	 * server's few dozen connections a thread each is the simpler correct
	 * design. MHD_OPTION_CONNECTION_LIMIT bounds the threads (256); poll(),
	 * not select(), so no descriptor number is too large. The handlers are
	 * thread-safe (store lock, ratelimit and preview mutexes; docs/server.md,
	 * "Threads"); users_check_password bounds the Argon2id runs at once.
	 */
	unsigned int flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_POLL_INTERNAL_THREAD |
			     MHD_USE_ERROR_LOG;
	char portstr[8];
	int ret = -EIO;
	int rc;

	*out = NULL;
	h = calloc(1, sizeof(*h));
	if (h == NULL)
		return -ENOMEM;
	h->handlers = *handlers;
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV | AI_PASSIVE;
	snprintf(portstr, sizeof(portstr), "%d", port);
	rc = getaddrinfo(host, portstr, &hints, &ai);
	if (rc != 0) {
		log_error("http: cannot resolve %s: %s", host, gai_strerror(rc));
		ret = -EADDRNOTAVAIL;
		goto out;
	}
	if (ai->ai_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	h->daemon = MHD_start_daemon(flags, (uint16_t)port, NULL, NULL, on_request, h,
				     MHD_OPTION_SOCK_ADDR, ai->ai_addr,
				     MHD_OPTION_NOTIFY_COMPLETED, on_completed, h,
				     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)30,
				     MHD_OPTION_CONNECTION_LIMIT, (unsigned int)256,
				     MHD_OPTION_END);
	if (h->daemon == NULL) {
		log_error("http: cannot listen on %s:%d", host, port);
		goto out;
	}
	info = MHD_get_daemon_info(h->daemon, MHD_DAEMON_INFO_BIND_PORT);
	h->port = info != NULL && info->port != 0 ? info->port : port;
	*out = h;
	h = NULL;
	ret = 0;
out:
	if (ai != NULL)
		freeaddrinfo(ai);
	http_close(h);
	return ret;
}

int http_port(const struct http *h)
{
	return h->port;
}

void http_close(struct http *h)
{
	if (h == NULL)
		return;
	if (h->daemon != NULL)
		MHD_stop_daemon(h->daemon);
	free(h);
}
