/* SPDX-License-Identifier: MIT */
/*
 * Internal to the web pages (web.c: routing, sign-in, tenants' form;
 * web_staff.c: staff pages; web_manager.c: managers' breaches, hours,
 * kiosks and sensors, noise day view): the shared state, one request in
 * progress, and the page helpers. Not a public interface.
 */
#ifndef SITEBOARD_SERVER_WEB_PAGE_H
#define SITEBOARD_SERVER_WEB_PAGE_H

#include <pthread.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "complaints/complaints.h"
#include "http/form.h"
#include "http/html.h"
#include "board/preview.h"
#include "http/ratelimit.h"
#include "store/sensordb.h"
#include "store/session.h"
#include "store/users.h"
#include "web/web.h"

#define WEB_PAGE_MAX (4 * 1024 * 1024)  /* largest page */
#define WEB_EXPORT_MAX (32 * 1024 * 1024) /* largest CSV */

struct web {
	struct store *store;
	struct api *api;
	struct users *users;
	struct sessions *sessions;
	struct complaints *complaints;
	struct preview *preview;
	struct ratelimit *form_rl;
	struct ratelimit *login_rl;
	struct sensordb *sensordb; /* the day view's noise periods */
	struct web_options opt;
	char live_csp[384]; /* the policy of pages with the live-refresh script */
	pthread_mutex_t mutex; /* dummy hash and last purge */
	int64_t last_purge_ms;
};

/* One request in progress. */
struct wreq {
	struct web *w;
	const struct web_request *in;
	struct web_response *out;
	struct form *query; /* parsed query; never NULL after dispatch */
	struct form *form;  /* parsed body of a POST, else NULL */
	bool signed_in;
	struct user user;
	char csrf[SESSION_TOKEN_MAX];
	int64_t now_ms;
};

bool web_is_post(const struct wreq *r);

/* Start a page: doctype, head with the stylesheet, header (staff navigation when signed in). */
void web_page_begin(struct wreq *r, struct html *h, const char *title);
/* Close it and make it the answer with status. */
void web_page_end(struct wreq *r, struct html *h, int status);
/* A whole page with a heading and one paragraph (both the program's own text). */
void web_page_message(struct wreq *r, int status, const char *title, const char *text);
/* 303 See Other to location (the program's own path). */
void web_redirect(struct wreq *r, const char *location);
/* The hidden CSRF field of the signed-in user. */
void web_csrf_field(struct wreq *r, struct html *h);
/* True for a manager or admin (not a caretaker). */
bool web_is_manager(const struct wreq *r);
/* A numeric id from a path segment: digits, no leading zero. 0 or -EINVAL. */
int web_parse_id(const char *s, int64_t *id);
/* One <dt>term</dt><dd>value</dd> pair; value escaped, "-" when empty. */
void web_dd(struct html *h, const char *term, const char *value);
/* Local date and time of ms for people ("Tue 25 Nov 2026, 18:02"). */
void web_time_text(int64_t ms, char *buf, size_t n);

/* web_staff.c: everything under /staff/ (signed in, CSRF already checked for POSTs). */
void web_staff_route(struct wreq *r, char **seg, int n);

/* web_staff.c: 403 "Not for your role" and 404 pages. */
void web_forbidden(struct wreq *r);
void web_not_found(struct wreq *r);
/*
 * Call the JSON API as the user's role (body borrowed, may be NULL);
 * *answer is the parsed answer or NULL (caller decrefs). Returns the status.
 */
int web_call_api(struct wreq *r, const char *method, const char *path, json_t *body,
		 json_t **answer);
/* The API answer's "error" text (borrowed from answer), or a general one. */
const char *web_api_error(json_t *answer);

/*
 * web_manager.c: /staff/breaches..., /staff/hours..., /staff/kiosks and
 * /staff/day (managers and admins). Returns false, answering nothing, for
 * any other path.
 */
bool web_manager_route(struct wreq *r, char **seg, int n);
/* web_manager.c: the breaches CSV of the export form (r->form has what, from, to). */
void web_manager_export_breaches(struct wreq *r);
/* web_manager.c: fill w->live_csp (the default policy plus the live script's hash). */
int web_manager_init(struct web *w);

#endif
