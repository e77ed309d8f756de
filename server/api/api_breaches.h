/* SPDX-License-Identifier: MIT */
/*
 * The breach and hours part of the HTTP API (docs/api.md "Breaches" and
 * "Hours exceptions"): /breaches (list with filters), /breaches/{id} (with
 * its audit trail), /breaches/{id}/ack, /hours/exceptions and
 * /hours/exceptions/{id}. api.c hands requests for these paths here after
 * authenticating them. Adding or removing an exception rebuilds the hours
 * policy, moves pending left-insecure deadlines and republishes every board,
 * in one transaction.
 *
 * Not for: authentication, HTTP framing (api, http); judging events (rules).
 * Threads: like api_handle: called with the store lock held.
 */
#ifndef SITEBOARD_SERVER_API_BREACHES_H
#define SITEBOARD_SERVER_API_BREACHES_H

#include <stddef.h>

#include "access/access.h"

#include "api/api.h"
#include "rules/rules.h"
#include "hours/sitehours.h"

struct api_breaches;

/* All borrowed, must outlive it. @retval 0, -ENOMEM */
int api_breaches_open(struct rules *rules, struct sitehours *hours, struct api_breaches **out);
/* NULL is fine. */
void api_breaches_close(struct api_breaches *b);

/* One request, already authenticated (all borrowed). */
struct api_breaches_req {
	const char *method;
	const struct principal *who; /* role decides; name is recorded on acknowledgements */
	char **seg;                  /* path segments after /api/v1/ */
	int n;
	const char *query; /* after '?', or "" */
	const char *body;
	size_t len;
};

/*
 * Handle the request if the path is ours (b may be NULL: nothing is ours):
 * *status and *response (malloc'd JSON, or NULL for 204) are set. api is
 * the caller, for republishing boards.
 * @retval 0 handled, -ENOENT not one of our paths (nothing set)
 */
int api_breaches_handle(struct api_breaches *b, struct api *api, const struct api_breaches_req *r,
			int *status, char **response);

#endif
