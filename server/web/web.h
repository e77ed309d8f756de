/* SPDX-License-Identifier: MIT */
/*
 * The server-rendered web pages (docs/web.md): the tenants' complaint form
 * (/c/<block>, public), staff sign-in (/login, /logout) and the staff pages
 * under /staff/ (caretakers: their blocks' notices, works and delays with a
 * kiosk preview; managers and admins: complaints with responses and status,
 * open breaches with acknowledgement, hours exceptions, kiosks and sensors,
 * the noise day view (SVG), CSV export, audit log). Plain HTML with one
 * inline stylesheet; no JavaScript needed (one small inline script, allowed
 * by its hash, refreshes the breaches list); every printed value escaped
 * (html.h), every form checked at the edge (form.h) and, for staff,
 * carrying a CSRF token.
 *
 * Board items are changed through the API (api_handle_as), so the pages
 * share its validation, transactions and board publishing.
 *
 * Not for: sockets (http), JSON API routes (api, api_complaints).
 * Threads: web_handle may be called from any thread; it takes the store lock
 * itself, never around api calls or password hashing.
 */
#ifndef SITEBOARD_SERVER_WEB_H
#define SITEBOARD_SERVER_WEB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "api/api.h"
#include "board/boardgen.h"
#include "store/store.h"

#define WEB_COMPLAINT_LIMIT 5                       /* complaints per client address ... */
#define WEB_COMPLAINT_WINDOW_MS (10 * 60 * 1000)    /* ... in this window */
#define WEB_LOGIN_LIMIT 5                           /* failed sign-ins per name or address ... */
#define WEB_LOGIN_WINDOW_MS (15 * 60 * 1000)        /* ... in this window */
#define WEB_RETENTION_DEFAULT_DAYS 365

/* Announce a new complaint: payload is JSON without personal data (borrowed). */
typedef void (*web_alert_fn)(void *ctx, const char *payload);

struct rules;
struct sitehours;
struct kiosks;

struct web_options {
	const struct boardgen_site *site; /* borrowed, outlives the web */
	/*
	 * Borrowed, outlive the web; each may be NULL (the pages that need it
	 * answer 503): breaches and acknowledgement, the permitted hours of the
	 * day view, the kiosks heard on MQTT.
	 */
	struct rules *rules;
	struct sitehours *hours;
	struct kiosks *kiosks;
	bool secure_cookies;              /* public_url is https: cookies get Secure */
	long retention_days;              /* [privacy] complaint_retention_days */
	web_alert_fn alert;               /* may be NULL */
	void *alert_ctx;
	const char *font;      /* kiosk preview fonts; NULL: the kiosk's defaults */
	const char *font_bold;
};

/* One request, all borrowed for the call. */
struct web_request {
	const char *method;
	const char *path;         /* without the query */
	const char *query;        /* raw, URL-encoded; NULL or "" if none */
	const char *cookie;       /* Cookie header or NULL */
	const char *content_type; /* Content-Type header or NULL */
	const char *client;       /* client address text, for rate limits */
	const char *body;
	size_t len;
};

#define WEB_MAX_COOKIES 2

/* The answer; body is malloc'd (release with web_response_release). */
struct web_response {
	int status;
	char *body;
	size_t len;
	const char *content_type; /* static string */
	char location[512];       /* "" or a redirect target */
	char cookies[WEB_MAX_COOKIES][256];
	int n_cookies;
	char disposition[160]; /* "" or Content-Disposition */
	bool private_page;     /* Cache-Control: no-store */
	const char *csp;       /* NULL: the default Content-Security-Policy; else the whole
				  policy (static, or the web's: valid while the web is open) */
};

struct web;

/*
 * store, api and opt->site borrowed (must outlive the web); opt copied.
 * Runs the retention purge once.
 * @retval 0 and *out set, -EIO (tables missing, fonts; logged), -ENOMEM
 */
int web_open(struct store *store, struct api *api, const struct web_options *opt,
	     struct web **out);

/* NULL is fine. Call before store_close. */
void web_close(struct web *w);

/* True for the paths the pages serve: /, /c/..., /login, /logout, /staff... */
bool web_handles(const char *path);

/*
 * Answer one request into *out (zeroed first). Every outcome for the client
 * is a status with a page.
 * @retval 0, or -ENOMEM when nothing could be answered (send a bare 500)
 */
int web_handle(struct web *w, const struct web_request *req, struct web_response *out);

/*
 * web_handle as an http_handler_fn (http.h) for main.c to register with
 * web_handles as its claim: ctx is the struct web. @retval 0, -ENOMEM
 */
int web_http_handler(void *ctx, const struct http_request *req, struct http_response *out);

void web_response_release(struct web_response *r);

/*
 * Erase contact details of complaints closed more than retention_days ago
 * (also run at open and then at most daily, from web_handle).
 * @retval number anonymised, or -EIO
 */
int web_purge(struct web *w, int64_t now_ms);

#endif
