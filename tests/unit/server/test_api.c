/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the HTTP API logic (api_handle) over a real temporary SQLite
 * store: every route, every error status, merges, deletes, and the board
 * that results, read back through the common board decoder.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "apitest.h"
#include "siteboard/board.h"

static int setup(void **state)
{
	struct apitest *t = apitest_open();

	*state = t;
	return t != NULL ? 0 : -1;
}

static int teardown(void **state)
{
	apitest_close(*state);
	return 0;
}

#define CALL(t, m, p, tok, body) apitest_call((t), (m), (p), (tok), (body))

/* The value of a string member of the last response. */
static const char *resp_str(struct apitest *t, json_t **keep, const char *key)
{
	json_decref(*keep);
	*keep = json_loads(t->response, 0, NULL);
	assert_non_null(*keep);
	return json_string_value(json_object_get(*keep, key));
}

static struct board *decoded_board(struct apitest *t, const char *block)
{
	char path[128];
	char err[256];
	struct board *b = NULL;

	snprintf(path, sizeof(path), "/api/v1/blocks/%s/board", block);
	assert_int_equal(CALL(t, "GET", path, t->admin, NULL), 200);
	/* what GET answers is exactly what was published */
	assert_non_null(t->last_board);
	assert_string_equal(t->response, t->last_board);
	assert_int_equal(board_decode(t->response, strlen(t->response), &b, err, sizeof(err)), 0);
	return b;
}

static void make_block(struct apitest *t, const char *id)
{
	char body[128];

	snprintf(body, sizeof(body), "{\"id\":\"%s\",\"name\":\"Block %s\"}", id, id);
	assert_int_equal(CALL(t, "POST", "/api/v1/blocks", t->admin, body), 201);
}

static void test_blocks(void **state)
{
	struct apitest *t = *state;
	json_t *j = NULL;
	struct board *b = NULL;

	assert_int_equal(CALL(t, "POST", "/api/v1/blocks", t->admin,
			      "{\"id\":\"tower-a\",\"name\":\"Tower A\"}"),
			 201);
	assert_string_equal(resp_str(t, &j, "id"), "tower-a");
	assert_int_equal(t->published, 1);
	assert_string_equal(t->last_block, "tower-a");
	assert_int_equal(CALL(t, "GET", "/api/v1/blocks", t->admin, NULL), 200);
	assert_non_null(strstr(t->response, "\"board_version\":1"));
	assert_int_equal(CALL(t, "GET", "/api/v1/blocks/tower-a", t->caretaker, NULL), 200);
	/* PUT merges: name stays, address added */
	assert_int_equal(CALL(t, "PUT", "/api/v1/blocks/tower-a", t->admin,
			      "{\"address\":\"Tower A, Barton Hill, Bristol\"}"),
			 200);
	assert_string_equal(resp_str(t, &j, "name"), "Tower A");
	assert_string_equal(resp_str(t, &j, "address"), "Tower A, Barton Hill, Bristol");
	b = decoded_board(t, "tower-a");
	assert_int_equal(b->version, 2);
	assert_string_equal(b->site_id, "barton-hill");
	assert_string_equal(b->contractor, "Acme Build Ltd");
	assert_string_equal(b->block_address, "Tower A, Barton Hill, Bristol");
	assert_string_equal(b->complaint_url, "https://example.org/c/tower-a");
	assert_string_equal(b->timezone, "Europe/London");
	assert_int_equal(b->n_weekly, 1);
	board_free(b);
	assert_int_equal(CALL(t, "DELETE", "/api/v1/blocks/tower-a", t->admin, NULL), 204);
	assert_null(t->response);
	assert_null(t->last_board); /* the retained board is cleared */
	assert_int_equal(CALL(t, "GET", "/api/v1/blocks/tower-a", t->admin, NULL), 404);
	json_decref(j);
}

static void test_notices(void **state)
{
	struct apitest *t = *state;
	json_t *j = NULL;
	struct board *b = NULL;

	make_block(t, "a");
	assert_int_equal(CALL(t, "POST", "/api/v1/blocks/a/notices", t->caretaker,
			      "{\"title\":\"Later normal\",\"from\":\"2026-11-26T00:00:00Z\"}"),
			 201);
	assert_string_equal(resp_str(t, &j, "id"), "n1");
	assert_string_equal(resp_str(t, &j, "priority"), "normal");
	assert_int_equal(CALL(t, "POST", "/api/v1/blocks/a/notices", t->admin,
			      "{\"id\":\"water\",\"title\":\"Water off\",\"priority\":\"urgent\","
			      "\"body\":\"9-12\",\"from\":\"2026-11-25T01:00:00+01:00\","
			      "\"until\":\"2026-11-27T12:00:00Z\"}"),
			 201);
	assert_string_equal(resp_str(t, &j, "from"), "2026-11-25T00:00:00Z");
	assert_string_equal(resp_str(t, &j, "block"), "a");
	assert_int_equal(CALL(t, "POST", "/api/v1/blocks/a/notices", t->admin,
			      "{\"title\":\"Earlier normal\",\"from\":\"2026-11-20T00:00:00Z\"}"),
			 201);
	/* board order: urgent first, then normal by from */
	b = decoded_board(t, "a");
	assert_int_equal(b->n_notices, 3);
	assert_string_equal(b->notices[0].id, "water");
	assert_int_equal(b->notices[0].priority, BOARD_PRIORITY_URGENT);
	assert_string_equal(b->notices[0].body, "9-12");
	assert_string_equal(b->notices[1].title, "Earlier normal");
	assert_string_equal(b->notices[2].title, "Later normal");
	board_free(b);
	assert_int_equal(CALL(t, "GET", "/api/v1/blocks/a/notices", t->admin, NULL), 200);
	assert_non_null(strstr(t->response, "{\"notices\":[{\"id\":\"water\""));
	/* PUT merges; null clears an optional field */
	assert_int_equal(CALL(t, "PUT", "/api/v1/notices/water", t->caretaker,
			      "{\"title\":\"Water off Thursday\",\"until\":null}"),
			 200);
	assert_string_equal(resp_str(t, &j, "priority"), "urgent");
	assert_string_equal(resp_str(t, &j, "title"), "Water off Thursday");
	assert_null(json_string_value(json_object_get(j, "until")));
	assert_int_equal(CALL(t, "GET", "/api/v1/notices/water", t->admin, NULL), 200);
	assert_string_equal(resp_str(t, &j, "title"), "Water off Thursday");
	assert_int_equal(CALL(t, "DELETE", "/api/v1/notices/water", t->caretaker, NULL), 204);
	assert_int_equal(CALL(t, "GET", "/api/v1/notices/water", t->admin, NULL), 404);
	b = decoded_board(t, "a");
	assert_int_equal(b->n_notices, 2);
	assert_int_equal(b->version, 6);
	board_free(b);
	json_decref(j);
}

static void test_works_delays_events_contacts(void **state)
{
	struct apitest *t = *state;
	json_t *j = NULL;
	struct board *b = NULL;

	make_block(t, "a");
	assert_int_equal(CALL(t, "POST", "/api/v1/blocks/a/works", t->caretaker,
			      "{\"id\":\"w1\",\"from\":\"2026-11-30\",\"to\":\"2026-12-04\","
			      "\"what\":\"Scaffold erection\",\"where\":\"East side\","
			      "\"noisy\":true,\"access\":\"Clear balconies\"}"),
			 201);
	assert_int_equal(CALL(t, "POST", "/api/v1/blocks/a/works", t->caretaker,
			      "{\"from\":\"2026-11-20\",\"to\":\"2026-11-20\",\"what\":\"Survey\"}"),
			 201);
	assert_string_equal(resp_str(t, &j, "id"), "w2");
	assert_int_equal(CALL(t, "POST", "/api/v1/blocks/a/delays", t->caretaker,
			      "{\"works\":\"w1\",\"reason\":\"High winds\","
			      "\"new_from\":\"2026-12-07\",\"new_to\":\"2026-12-11\"}"),
			 201);
	assert_int_equal(CALL(t, "POST", "/api/v1/blocks/a/events", t->admin,
			      "{\"title\":\"Coffee morning\",\"when\":\"2026-12-02T10:00:00Z\","
			      "\"where\":\"Community room\"}"),
			 201);
	assert_int_equal(CALL(t, "POST", "/api/v1/blocks/a/contacts", t->admin,
			      "{\"role\":\"Resident liaison officer\",\"name\":\"Sam Patel\","
			      "\"phone\":\"0117 496 0000\",\"hours\":\"Mon-Fri 8-5\"}"),
			 201);
	assert_string_equal(resp_str(t, &j, "id"), "c1");
	assert_int_equal(CALL(t, "PUT", "/api/v1/works/w2", t->admin, "{\"noisy\":true}"), 200);
	assert_non_null(strstr(t->response, "\"noisy\":true"));
	b = decoded_board(t, "a");
	assert_int_equal(b->n_works, 2);
	assert_string_equal(b->works[0].id, "w2"); /* by from date */
	assert_true(b->works[0].noisy);
	assert_string_equal(b->works[1].access, "Clear balconies");
	assert_int_equal(b->n_delays, 1);
	assert_string_equal(b->delays[0].works, "w1");
	assert_string_equal(b->delays[0].new_to, "2026-12-11");
	assert_int_equal(b->n_events, 1);
	assert_string_equal(b->events[0].where, "Community room");
	assert_int_equal(b->n_contacts, 1);
	assert_string_equal(b->contacts[0].phone, "0117 496 0000");
	board_free(b);
	for (const char *const *p = (const char *const[]){"/api/v1/blocks/a/works",
							  "/api/v1/blocks/a/delays",
							  "/api/v1/blocks/a/events",
							  "/api/v1/blocks/a/contacts", NULL};
	     *p != NULL; p++)
		assert_int_equal(CALL(t, "GET", *p, t->caretaker, NULL), 200);
	assert_int_equal(CALL(t, "DELETE", "/api/v1/delays/d1", t->caretaker, NULL), 204);
	assert_int_equal(CALL(t, "DELETE", "/api/v1/events/e1", t->admin, NULL), 204);
	assert_int_equal(CALL(t, "DELETE", "/api/v1/contacts/c1", t->admin, NULL), 204);
	assert_int_equal(CALL(t, "DELETE", "/api/v1/works/w1", t->admin, NULL), 204);
	assert_int_equal(CALL(t, "GET", "/api/v1/events/e1", t->admin, NULL), 404);
	json_decref(j);
}

static void test_errors(void **state)
{
	struct apitest *t = *state;

	make_block(t, "a");
	make_block(t, "b");
	assert_int_equal(CALL(t, "POST", "/api/v1/blocks/b/works", t->admin,
			      "{\"id\":\"wb\",\"from\":\"2026-11-30\",\"to\":\"2026-12-04\","
			      "\"what\":\"x\"}"),
			 201);
	/* 400 */
	assert_int_equal(CALL(t, "POST", "/api/v1/blocks/a/notices", t->admin, "{\"title\":"), 400);
	assert_non_null(strstr(t->response, "\"error\":"));
	assert_int_equal(CALL(t, "POST", "/api/v1/blocks/a/notices", t->admin, "[1]"), 400);
	assert_int_equal(CALL(t, "POST", "/api/v1/blocks/a/notices", t->admin, "{\"title\":5}"),
			 400);
	assert_int_equal(CALL(t, "POST", "/api/v1/blocks/a/notices", t->admin, NULL), 400);
	assert_int_equal(CALL(t, "PUT", "/api/v1/works/wb", t->admin, "{\"noisy\":\"yes\"}"), 400);
	/* 401 */
	assert_int_equal(CALL(t, "GET", "/api/v1/blocks", NULL, NULL), 401);
	assert_int_equal(CALL(t, "GET", "/api/v1/blocks", "sbt_nope", NULL), 401);
	/* 403 */
	assert_int_equal(CALL(t, "POST", "/api/v1/blocks", t->caretaker,
			      "{\"id\":\"c\",\"name\":\"C\"}"),
			 403);
	assert_int_equal(CALL(t, "DELETE", "/api/v1/blocks/a", t->caretaker, NULL), 403);
	assert_int_equal(CALL(t, "POST", "/api/v1/blocks/a/contacts", t->caretaker,
			      "{\"role\":\"x\",\"phone\":\"1\"}"),
			 403);
	assert_int_equal(CALL(t, "POST", "/api/v1/blocks/a/events", t->caretaker,
			      "{\"title\":\"x\",\"when\":\"2026-12-02T10:00:00Z\"}"),
			 403);
	/* 404 */
	assert_int_equal(CALL(t, "GET", "/api/v1/blocks/nope", t->admin, NULL), 404);
	assert_int_equal(CALL(t, "POST", "/api/v1/blocks/nope/notices", t->admin,
			      "{\"title\":\"x\"}"),
			 404);
	assert_int_equal(CALL(t, "GET", "/api/v1/notices/n99", t->admin, NULL), 404);
	assert_int_equal(CALL(t, "PUT", "/api/v1/notices/n99", t->admin, "{\"title\":\"x\"}"), 404);
	assert_int_equal(CALL(t, "DELETE", "/api/v1/notices/n99", t->admin, NULL), 404);
	assert_int_equal(CALL(t, "GET", "/api/v1/blocks/BAD!", t->admin, NULL), 404);
	assert_int_equal(CALL(t, "GET", "/api/v1/frobs", t->admin, NULL), 404);
	assert_int_equal(CALL(t, "GET", "/api/v2/blocks", t->admin, NULL), 404);
	/* 405 */
	assert_int_equal(CALL(t, "PATCH", "/api/v1/blocks", t->admin, "{}"), 405);
	/* 409 */
	assert_int_equal(CALL(t, "POST", "/api/v1/blocks", t->admin, "{\"id\":\"a\",\"name\":\"A\"}"),
			 409);
	assert_int_equal(CALL(t, "POST", "/api/v1/blocks/a/notices", t->admin,
			      "{\"id\":\"n5\",\"title\":\"x\"}"),
			 201);
	assert_int_equal(CALL(t, "POST", "/api/v1/blocks/b/notices", t->admin,
			      "{\"id\":\"n5\",\"title\":\"x\"}"),
			 409);
	/* 422 */
	assert_int_equal(CALL(t, "POST", "/api/v1/blocks", t->admin, "{\"name\":\"A\"}"), 422);
	assert_int_equal(CALL(t, "POST", "/api/v1/blocks", t->admin, "{\"id\":\"A B\",\"name\":\"A\"}"),
			 422);
	assert_int_equal(CALL(t, "POST", "/api/v1/blocks/a/notices", t->admin, "{\"body\":\"x\"}"),
			 422);
	assert_int_equal(CALL(t, "POST", "/api/v1/blocks/a/notices", t->admin, "{\"title\":\"\"}"),
			 422);
	assert_int_equal(CALL(t, "POST", "/api/v1/blocks/a/notices", t->admin,
			      "{\"title\":\"x\",\"priority\":\"loud\"}"),
			 422);
	assert_int_equal(CALL(t, "POST", "/api/v1/blocks/a/notices", t->admin,
			      "{\"title\":\"x\",\"from\":\"2026-11-25T10:00:00Z\","
			      "\"until\":\"2026-11-25T09:00:00Z\"}"),
			 422);
	assert_int_equal(CALL(t, "POST", "/api/v1/blocks/a/notices", t->admin,
			      "{\"title\":\"x\",\"from\":\"yesterday\"}"),
			 422);
	assert_int_equal(CALL(t, "POST", "/api/v1/blocks/a/notices", t->admin,
			      "{\"title\":\"x\",\"colour\":\"red\"}"),
			 422);
	assert_int_equal(CALL(t, "POST", "/api/v1/blocks/a/works", t->admin,
			      "{\"from\":\"2026-02-30\",\"to\":\"2026-03-04\",\"what\":\"x\"}"),
			 422);
	assert_int_equal(CALL(t, "POST", "/api/v1/blocks/a/works", t->admin,
			      "{\"from\":\"2026-03-05\",\"to\":\"2026-03-04\",\"what\":\"x\"}"),
			 422);
	assert_int_equal(CALL(t, "POST", "/api/v1/blocks/a/delays", t->admin,
			      "{\"works\":\"w404\",\"reason\":\"x\"}"),
			 422);
	/* a work of another block is unknown here */
	assert_int_equal(CALL(t, "POST", "/api/v1/blocks/a/delays", t->admin,
			      "{\"works\":\"wb\",\"reason\":\"x\"}"),
			 422);
	assert_int_equal(CALL(t, "PUT", "/api/v1/notices/n5", t->admin, "{\"title\":null}"), 422);
	assert_int_equal(CALL(t, "PUT", "/api/v1/notices/n5", t->admin, "{\"block\":\"b\"}"), 422);
	/* nothing above changed block a beyond the one notice */
	assert_int_equal(CALL(t, "GET", "/api/v1/blocks/a", t->admin, NULL), 200);
	assert_non_null(strstr(t->response, "\"board_version\":2"));
}

static void test_too_large(void **state)
{
	struct apitest *t = *state;
	size_t n = API_MAX_BODY + 1;
	char *big = malloc(n);
	int status = 0;
	char *resp = NULL;
	char auth[128];

	assert_non_null(big);
	memset(big, ' ', n);
	snprintf(auth, sizeof(auth), "Bearer %s", t->admin);
	assert_int_equal(api_handle(t->api, "POST", "/api/v1/blocks", auth, big, n, &status, &resp),
			 0);
	assert_int_equal(status, 413);
	free(resp);
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_blocks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_notices, setup, teardown),
		cmocka_unit_test_setup_teardown(test_works_delays_events_contacts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_large, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
