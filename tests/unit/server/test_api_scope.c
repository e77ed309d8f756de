/* SPDX-License-Identifier: MIT */
/*
 * Role and block scope of every block, board-item and sensor route of the API
 * (breaches and complaints: test_api_breaches.c, integration web_staff.sh), as a
 * table: each route is called on a fresh store (blocks a and b, one item of
 * each kind and a sensor in a) by no token, a caretaker of a, a caretaker of b, a
 * manager and an admin, and must answer the status in the table.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "apitest.h"

enum who { NOBODY, CT_IN, CT_OUT, MANAGER, ADMIN, N_WHO };

static const char *const who_names[N_WHO] = {"no token", "caretaker of a", "caretaker of b",
					     "manager", "admin"};

struct route_case {
	const char *method;
	const char *path;
	const char *body;
	int want[N_WHO];
};

#define NOTICE "{\"title\":\"T\"}"
#define WORK "{\"from\":\"2026-11-30\",\"to\":\"2026-12-04\",\"what\":\"Scaffold\"}"
#define DELAY "{\"works\":\"w1\",\"reason\":\"Wind\"}"
#define EVENT "{\"title\":\"Coffee\",\"when\":\"2026-12-02T10:00:00Z\"}"
#define SENSOR(id) "{\"id\":\"" id "\",\"block\":\"a\",\"kind\":\"door\",\"role\":\"site_access\"}"
#define CONTACT "{\"role\":\"Liaison\",\"phone\":\"0117 496 0000\"}"

static const struct route_case cases[] = {
	{"GET", "/api/v1/blocks", NULL, {401, 200, 200, 200, 200}},
	{"POST", "/api/v1/blocks", "{\"id\":\"c\",\"name\":\"C\"}", {401, 403, 403, 201, 201}},
	{"GET", "/api/v1/blocks/a", NULL, {401, 200, 200, 200, 200}},
	{"PUT", "/api/v1/blocks/a", "{\"name\":\"A2\"}", {401, 403, 403, 200, 200}},
	{"DELETE", "/api/v1/blocks/a", NULL, {401, 403, 403, 204, 204}},
	{"GET", "/api/v1/blocks/a/board", NULL, {401, 200, 200, 200, 200}},
	{"GET", "/api/v1/blocks/a/notices", NULL, {401, 200, 200, 200, 200}},
	{"POST", "/api/v1/blocks/a/notices", NOTICE, {401, 201, 403, 201, 201}},
	{"POST", "/api/v1/blocks/a/works", WORK, {401, 201, 403, 201, 201}},
	{"POST", "/api/v1/blocks/a/delays", DELAY, {401, 201, 403, 201, 201}},
	{"POST", "/api/v1/blocks/a/events", EVENT, {401, 403, 403, 201, 201}},
	{"POST", "/api/v1/blocks/a/contacts", CONTACT, {401, 403, 403, 201, 201}},
	{"GET", "/api/v1/notices/n1", NULL, {401, 200, 200, 200, 200}},
	{"PUT", "/api/v1/notices/n1", "{\"title\":\"U\"}", {401, 200, 403, 200, 200}},
	{"DELETE", "/api/v1/notices/n1", NULL, {401, 204, 403, 204, 204}},
	{"PUT", "/api/v1/works/w1", "{\"what\":\"U\"}", {401, 200, 403, 200, 200}},
	{"DELETE", "/api/v1/works/w1", NULL, {401, 204, 403, 204, 204}},
	{"PUT", "/api/v1/delays/d1", "{\"reason\":\"U\"}", {401, 200, 403, 200, 200}},
	{"DELETE", "/api/v1/delays/d1", NULL, {401, 204, 403, 204, 204}},
	{"PUT", "/api/v1/events/e1", "{\"title\":\"U\"}", {401, 403, 403, 200, 200}},
	{"DELETE", "/api/v1/events/e1", NULL, {401, 403, 403, 204, 204}},
	{"PUT", "/api/v1/contacts/c1", "{\"phone\":\"1\"}", {401, 403, 403, 200, 200}},
	{"DELETE", "/api/v1/contacts/c1", NULL, {401, 403, 403, 204, 204}},
	/* sensors belong to the site's staff: managers and admins */
	{"GET", "/api/v1/sensors", NULL, {401, 200, 200, 200, 200}},
	{"POST", "/api/v1/sensors", SENSOR("s2"), {401, 403, 403, 201, 201}},
	{"GET", "/api/v1/sensors/s1", NULL, {401, 200, 200, 200, 200}},
	{"PUT", "/api/v1/sensors/s1", "{\"location\":\"Gate\"}", {401, 403, 403, 200, 200}},
	{"DELETE", "/api/v1/sensors/s1", NULL, {401, 403, 403, 204, 204}},
	{"GET", "/api/v1/events?block=a", NULL, {401, 200, 200, 200, 200}},
	{"GET", "/api/v1/ingest", NULL, {401, 200, 200, 200, 200}},
	/* a missing item is 404 for whoever may change its kind */
	{"PUT", "/api/v1/notices/n99", "{\"title\":\"U\"}", {401, 404, 404, 404, 404}},
	{"DELETE", "/api/v1/events/e99", NULL, {401, 403, 403, 404, 404}},
};

struct tokens {
	char t[N_WHO][TOKEN_TEXT_MAX];
};

static void fixture(struct apitest *t, struct tokens *tk)
{
	static const char *const items[][2] = {
		{"notices", "{\"id\":\"n1\",\"title\":\"N\"}"},
		{"works", "{\"id\":\"w1\",\"from\":\"2026-11-30\",\"to\":\"2026-12-04\",\"what\":\"W\"}"},
		{"delays", "{\"id\":\"d1\",\"works\":\"w1\",\"reason\":\"R\"}"},
		{"events", "{\"id\":\"e1\",\"title\":\"E\",\"when\":\"2026-12-02T10:00:00Z\"}"},
		{"contacts", "{\"id\":\"c1\",\"role\":\"R\",\"phone\":\"1\"}"},
	};
	char path[64];

	assert_int_equal(apitest_call(t, "POST", "/api/v1/blocks", t->admin,
				      "{\"id\":\"a\",\"name\":\"A\"}"), 201);
	assert_int_equal(apitest_call(t, "POST", "/api/v1/blocks", t->admin,
				      "{\"id\":\"b\",\"name\":\"B\"}"), 201);
	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
		snprintf(path, sizeof(path), "/api/v1/blocks/a/%s", items[i][0]);
		assert_int_equal(apitest_call(t, "POST", path, t->admin, items[i][1]), 201);
	}
	assert_int_equal(apitest_call(t, "POST", "/api/v1/sensors", t->admin, SENSOR("s1")), 201);
	assert_int_equal(apitest_token_as(t, "caretaker", "cara", "a", tk->t[CT_IN]), 0);
	assert_int_equal(apitest_token_as(t, "caretaker", "carb", "b", tk->t[CT_OUT]), 0);
	assert_int_equal(apitest_token_as(t, "manager", NULL, NULL, tk->t[MANAGER]), 0);
	snprintf(tk->t[ADMIN], sizeof(tk->t[ADMIN]), "%s", t->admin);
}

static void test_routes(void **state)
{
	int failures = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (int w = 0; w < N_WHO; w++) {
			struct apitest *t = apitest_open();
			struct tokens tk;
			int got;

			assert_non_null(t);
			fixture(t, &tk);
			got = apitest_call(t, cases[i].method, cases[i].path,
					   w == NOBODY ? NULL : tk.t[w], cases[i].body);
			if (got != cases[i].want[w]) {
				print_error("%s %s as %s: %d, want %d (%s)\n", cases[i].method,
					    cases[i].path, who_names[w], got, cases[i].want[w],
					    t->response != NULL ? t->response : "");
				failures++;
			}
			if (got == 403 && (t->response == NULL || strstr(t->response, "\"error\"") == NULL)) {
				print_error("%s %s: 403 without a JSON error\n", cases[i].method,
					    cases[i].path);
				failures++;
			}
			apitest_close(t);
		}
	}
	assert_int_equal(failures, 0);
}

/* A caretaker may not move an item to another block through the body. */
static void test_no_block_in_body(void **state)
{
	struct apitest *t = apitest_open();
	struct tokens tk;

	(void)state;
	assert_non_null(t);
	fixture(t, &tk);
	assert_int_not_equal(apitest_call(t, "PUT", "/api/v1/notices/n1", tk.t[CT_OUT],
					  "{\"block\":\"b\",\"title\":\"x\"}"), 200);
	assert_int_not_equal(apitest_call(t, "PUT", "/api/v1/notices/n1", tk.t[CT_IN],
					  "{\"block\":\"b\",\"title\":\"x\"}"), 200);
	apitest_close(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_routes),
		cmocka_unit_test(test_no_block_in_body),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
