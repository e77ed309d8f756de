/* SPDX-License-Identifier: MIT */
/*
 * The complaints part of the HTTP API (docs/api.md "Complaints"):
 * /complaints (list with filters; record one received another way),
 * /complaints/{id} (with contact details and responses; PUT the status) and
 * /complaints/{id}/responses. Managers and admins only: a caretaker token
 * gets 403 on every one of these paths. Contact details are in a list only
 * when asked for (?contact=true). api.c hands requests for these paths here
 * after authenticating them.
 *
 * Not for: authentication (api), storage (complaints), the web pages (web).
 * Threads: like api_handle: called with the store lock held.
 */
#ifndef SITEBOARD_SERVER_API_COMPLAINTS_H
#define SITEBOARD_SERVER_API_COMPLAINTS_H

#include <stddef.h>

#include "store/store.h"
#include "store/token.h"

struct api_complaints;

/* A new complaint's announcement (JSON without personal data, borrowed). */
typedef void (*api_complaints_alert_fn)(void *ctx, const char *payload);

/* store borrowed, must outlive it; alert may be NULL. Call with the store lock held. @retval 0, -EIO, -ENOMEM */
int api_complaints_open(struct store *store, api_complaints_alert_fn alert, void *alert_ctx,
			struct api_complaints **out);
/* NULL is fine; with the store lock held or no other thread running. */
void api_complaints_close(struct api_complaints *c);

/* One request, already authenticated (all borrowed). */
struct api_complaints_req {
	const char *method;
	enum token_role role;
	const char *name; /* the principal's, for the audit log */
	char **seg; /* path segments after /api/v1/ */
	int n;
	const char *query; /* after '?', or "" */
	const char *body;
	size_t len;
};

/*
 * Handle the request if the path is ours (c may be NULL: nothing is ours):
 * *status and *response (malloc'd JSON) are set.
 * @retval 0 handled, -ENOENT not one of our paths (nothing set)
 */
int api_complaints_handle(struct api_complaints *c, const struct api_complaints_req *r,
			  int *status, char **response);

#endif
