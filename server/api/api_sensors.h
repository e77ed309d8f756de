/* SPDX-License-Identifier: MIT */
/*
 * The sensor part of the HTTP API (docs/api.md "Sensors and events"): the
 * sensor registry (/sensors, /sensors/{id}), stored sensor events (/events
 * with a query) and the ingest counters (/ingest). api.c hands requests for
 * these paths here after authenticating them.
 *
 * Not for: authentication, HTTP framing, board items (api).
 * Threads: like api_handle: called with the store lock held.
 */
#ifndef SITEBOARD_SERVER_API_SENSORS_H
#define SITEBOARD_SERVER_API_SENSORS_H

#include <stdbool.h>
#include <stddef.h>

#include "store/store.h"

struct api_sensors;

/* store borrowed. Call with the store lock held. 0, -EIO, -ENOMEM. */
int api_sensors_open(struct store *store, struct api_sensors **out);
/* NULL is fine. */
void api_sensors_close(struct api_sensors *a);

/* One request, already authenticated (all borrowed). */
struct api_sensors_req {
	const char *method;
	bool may_change; /* admin or manager */
	char **seg;      /* path segments after /api/v1/ */
	int n;
	const char *query; /* after '?', or "" */
	const char *body;
	size_t len;
};

/*
 * Handle the request if the path is ours: *status and *response (malloc'd
 * JSON or NULL for 204) are set.
 * @retval 0 handled, -ENOENT not one of our paths (nothing set)
 */
int api_sensors_handle(struct api_sensors *a, const struct api_sensors_req *r, int *status,
		       char **response);

#endif
