/* SPDX-License-Identifier: MIT */
/*
 * A real api over a real temporary store for the api and token tests, with a
 * publish callback that records the last board it was given.
 */
#ifndef SITEBOARD_TESTS_SERVER_APITEST_H
#define SITEBOARD_TESTS_SERVER_APITEST_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "siteboard/log.h"
#include "store/store.h"
#include "testdb.h"
#include "store/token.h"

struct apitest {
	char path[256];
	struct store *store;
	struct api *api;
	struct boardgen_site site;
	char admin[TOKEN_TEXT_MAX];
	char caretaker[TOKEN_TEXT_MAX];
	int published;
	char last_block[64];
	char *last_board; /* NULL after a clear */
	int status;
	char *response;
};

static inline void apitest_publish(void *ctx, const char *block, const char *board)
{
	struct apitest *t = ctx;

	t->published++;
	snprintf(t->last_block, sizeof(t->last_block), "%s", block);
	free(t->last_board);
	t->last_board = board != NULL ? strdup(board) : NULL;
}

/* A token (text: TOKEN_TEXT_MAX bytes) with role, name and blocks (both may be NULL). */
static inline int apitest_token_as(struct apitest *t, const char *role, const char *name,
				   const char *blocks, char *text)
{
	uint8_t hash[TOKEN_HASH_BYTES];

	if (token_generate(text, TOKEN_TEXT_MAX, hash) < 0)
		return -1;
	return store_token_add(t->store, hash, sizeof(hash), role, NULL, name, blocks, 0);
}

static inline int apitest_token(struct apitest *t, const char *role, char *text)
{
	return apitest_token_as(t, role, NULL, NULL, text);
}

static inline struct apitest *apitest_open(void)
{
	struct apitest *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	log_init("unit_server");
	log_set_level(LOG_LEVEL_ERROR);
	t->site.id = "barton-hill";
	t->site.name = "Barton Hill window replacement";
	t->site.contractor = "Acme Build Ltd";
	t->site.timezone = "Europe/London";
	t->site.public_url = "https://example.org";
	testdb_path(t->path, sizeof(t->path));
	if (token_init() < 0 || store_open(t->path, &t->store) < 0 ||
	    api_open(t->store, &t->site, apitest_publish, t, &t->api) < 0 ||
	    apitest_token(t, "admin", t->admin) < 0 ||
	    apitest_token_as(t, "caretaker", "carol", "a,b,tower-a", t->caretaker) < 0)
		return NULL;
	return t;
}

static inline void apitest_close(struct apitest *t)
{
	if (t == NULL)
		return;
	api_close(t->api);
	store_close(t->store);
	testdb_remove(t->path);
	free(t->last_board);
	free(t->response);
	free(t);
}

/* Make a request with token tok (NULL: no header); returns the status. */
static inline int apitest_call(struct apitest *t, const char *method, const char *path,
			       const char *tok, const char *body)
{
	char auth[128];

	free(t->response);
	t->response = NULL;
	if (tok != NULL)
		snprintf(auth, sizeof(auth), "Bearer %s", tok);
	if (api_handle(t->api, method, path, tok != NULL ? auth : NULL, body,
		       body != NULL ? strlen(body) : 0, &t->status, &t->response) < 0)
		return -1;
	return t->status;
}

#endif
