/* SPDX-License-Identifier: MIT */
/*
 * The HTTP API of docs/api.md as a plain function: method, path, the
 * Authorization header and the body go in; a status and a JSON answer come
 * out. All outside input is validated here, once: ids, types, lengths,
 * dates, times, references between items. Changes are written to the store
 * together with the block's new board in one transaction; after the commit
 * the board is handed to the publish callback.
 *
 * Not for: sockets and HTTP framing (http), MQTT (publish).
 * Threads: api_handle may be called from any thread; it holds the store lock
 * for the whole request, and calls the publish callback with it held.
 */
#ifndef SITEBOARD_SERVER_API_H
#define SITEBOARD_SERVER_API_H

#include <stddef.h>

#include "access/access.h"
#include "board/boardgen.h"
#include "http/http.h"
#include "store/store.h"
#include "store/token.h"

#define API_MAX_BODY HTTP_MAX_BODY /* larger bodies get 413 */

struct api;

/*
 * Publish block's board (JSON, borrowed for the call), or clear its retained
 * board when board_json is NULL (the block was deleted).
 */
typedef void (*api_publish_fn)(void *ctx, const char *block, const char *board_json);

/*
 * store and site are borrowed and must outlive the api; publish may be NULL.
 * Takes the store lock to prepare statements.
 * @retval 0 and *out set, -EIO (logged), -ENOMEM
 */
int api_open(struct store *store, const struct boardgen_site *site, api_publish_fn publish,
	     void *publish_ctx, struct api **out);

/* NULL is fine. */
void api_close(struct api *a);

/*
 * Route /api/v1/breaches... and /api/v1/hours/... to b (api_breaches.h;
 * borrowed, outlives the api). Without it those paths answer 404.
 */
struct api_breaches;
void api_set_breaches(struct api *a, struct api_breaches *b);

/*
 * Inside the caller's transaction, after a change every board shows (the
 * hours): give every block a new board version, commit, then publish each.
 * On failure the transaction is rolled back.
 * @retval 0, -E2BIG (a board too large), -EIO, -ENOMEM
 */
int api_commit_all_boards(struct api *a);

/*
 * Route /api/v1/breaches... and /api/v1/hours/... to b (api_breaches.h;
 * borrowed, outlives the api). Without it those paths answer 404.
 */
struct api_breaches;
void api_set_breaches(struct api *a, struct api_breaches *b);

/*
 * Inside the caller's transaction, after a change every board shows (the
 * hours): give every block a new board version, commit, then publish each.
 * On failure the transaction is rolled back.
 * @retval 0, -E2BIG (a board too large), -EIO, -ENOMEM
 */
int api_commit_all_boards(struct api *a);

/*
 * Handle one request. method and path (may carry a "?query", ignored) are
 * NUL-terminated; authorization may be NULL; body is len bytes, need not be
 * NUL-terminated and may be NULL when len is 0. All borrowed.
 * *status gets the HTTP status; *response a malloc'd JSON text the caller
 * frees, or NULL when the answer has no body (204).
 * @retval 0 (every outcome, including errors for the client, is a status)
 * @retval -ENOMEM nothing could be answered; send a bare 500
 */
int api_handle(struct api *a, const char *method, const char *path, const char *authorization,
	       const char *body, size_t len, int *status, char **response);


/*
 * Route /api/v1/complaints... to c (api_complaints.h; borrowed, outlives the
 * api). Without it those paths answer 404.
 */
struct api_complaints;
void api_set_complaints(struct api *a, struct api_complaints *c);

/*
 * api_handle for a caller that has authenticated the user itself (the web
 * pages' signed-in staff): the request runs as who (borrowed, copied), with
 * its role and block scope (access.h), no token needed.
 */
int api_handle_as(struct api *a, const struct principal *who, const char *method,
		  const char *path, const char *body, size_t len, int *status, char **response);

/*
 * api_handle as an http_handler_fn (http.h) for main.c to register: ctx is
 * the struct api. @retval 0, -ENOMEM
 */
int api_http_handler(void *ctx, const struct http_request *req, struct http_response *out);

#endif
