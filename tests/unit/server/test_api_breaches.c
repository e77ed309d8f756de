/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the breaches and hours-exceptions API (api_breaches.c)
 * through api_handle, with the real rules engine and store: roles, notes,
 * filters, status codes for bad input, and exceptions that republish every
 * board with its hours.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "api/api.h"
#include "api/api_breaches.h"
#include "apitest.h"
#include "rules/rules.h"
#include "siteboard/sbtime.h"
#include "hours/sitehours.h"

struct fx {
	struct apitest *t;
	struct sitehours *h;
	struct rules *r;
	struct api_breaches *b;
	char manager[TOKEN_TEXT_MAX];
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct sitehours_options ho = {NULL, NULL};
	struct rules_config cfg = RULES_CONFIG_DEFAULT;
	char err[256];

	setenv("TZ", "Europe/London", 1);
	tzset();
	if (f == NULL)
		return -1;
	f->t = apitest_open();
	if (f->t == NULL || sitehours_open(f->t->store, &ho, &f->h, err, sizeof(err)) < 0 ||
	    rules_open(f->t->store, f->h, &cfg, &f->r) < 0 ||
	    api_breaches_open(f->r, f->h, &f->b) < 0 ||
	    apitest_token(f->t, "manager", f->manager) < 0)
		return -1;
	f->t->site.hours = f->h;
	api_set_breaches(f->t->api, f->b);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	api_breaches_close(f->b);
	rules_close(f->r);
	sitehours_close(f->h);
	apitest_close(f->t);
	free(f);
	return 0;
}

/* A breach: the gate opened out of hours. */
static void make_breach(struct fx *f, const char *ts)
{
	struct rules_event ev = {
		.sensor = "gate",
		.block = "tower-a",
		.kind = RULES_KIND_DOOR,
		.role = RULES_ROLE_SITE_ACCESS,
		.open = true,
	};

	assert_int_equal(sbtime_parse(ts, &ev.ts_ms), 0);
	ev.arrived_ms = ev.ts_ms;
	assert_int_equal(store_begin(f->t->store), 0);
	assert_int_equal(rules_event(f->r, &ev), 0);
	assert_int_equal(store_commit(f->t->store), 0);
}

static void test_list_and_get(void **state)
{
	struct fx *f = *state;
	struct apitest *t = f->t;

	make_breach(f, "2026-11-23T19:00:00Z");
	assert_int_equal(apitest_call(t, "GET", "/api/v1/breaches", t->caretaker, NULL), 200);
	assert_non_null(strstr(t->response, "\"rule\":\"out_of_hours_access\""));
	assert_non_null(strstr(t->response, "\"started_at\":\"2026-11-23T19:00:00Z\""));
	assert_int_equal(apitest_call(t, "GET", "/api/v1/breaches?state=closed", t->admin, NULL),
			 200);
	assert_string_equal(t->response, "{\"breaches\":[]}");
	assert_int_equal(apitest_call(t, "GET",
				      "/api/v1/breaches?state=open&rule=out_of_hours_access"
				      "&block=tower-a&sensor=gate&from=2026-11-23T00:00:00Z"
				      "&to=2026-11-24T00:00:00Z&limit=10",
				      t->admin, NULL),
			 200);
	assert_non_null(strstr(t->response, "\"id\":1"));
	assert_int_equal(apitest_call(t, "GET", "/api/v1/breaches?to=2026-11-23T18:00:00Z",
				      t->admin, NULL),
			 200);
	assert_string_equal(t->response, "{\"breaches\":[]}");
	assert_int_equal(apitest_call(t, "GET", "/api/v1/breaches?state=bad", t->admin, NULL), 422);
	assert_int_equal(apitest_call(t, "GET", "/api/v1/breaches?rule=x", t->admin, NULL), 422);
	assert_int_equal(apitest_call(t, "GET", "/api/v1/breaches?from=yesterday", t->admin, NULL),
			 422);
	assert_int_equal(apitest_call(t, "GET", "/api/v1/breaches?limit=0", t->admin, NULL), 422);
	assert_int_equal(apitest_call(t, "GET", "/api/v1/breaches/1", t->caretaker, NULL), 200);
	assert_non_null(strstr(t->response, "\"audit\":[{\"state\":\"open\""));
	assert_int_equal(apitest_call(t, "GET", "/api/v1/breaches/2", t->admin, NULL), 404);
	assert_int_equal(apitest_call(t, "GET", "/api/v1/breaches/x1", t->admin, NULL), 404);
	assert_int_equal(apitest_call(t, "DELETE", "/api/v1/breaches/1", t->admin, NULL), 405);
	assert_int_equal(apitest_call(t, "GET", "/api/v1/breaches", NULL, NULL), 401);
}

static void test_ack(void **state)
{
	struct fx *f = *state;
	struct apitest *t = f->t;
	char big[2100 + 20];

	make_breach(f, "2026-11-23T19:00:00Z");
	assert_int_equal(apitest_call(t, "POST", "/api/v1/breaches/1/ack", t->caretaker,
				      "{\"note\":\"x\"}"),
			 403);
	assert_int_equal(apitest_call(t, "POST", "/api/v1/breaches/1/ack", f->manager, "{}"), 422);
	assert_int_equal(apitest_call(t, "POST", "/api/v1/breaches/1/ack", f->manager,
				      "{\"note\":\"\"}"),
			 422);
	assert_int_equal(apitest_call(t, "POST", "/api/v1/breaches/1/ack", f->manager,
				      "{\"note\":5}"),
			 400);
	assert_int_equal(apitest_call(t, "POST", "/api/v1/breaches/1/ack", f->manager, "{\"no"),
			 400);
	assert_int_equal(apitest_call(t, "POST", "/api/v1/breaches/1/ack", f->manager,
				      "{\"note\":\"a\",\"who\":\"me\"}"),
			 422);
	memset(big, 'a', sizeof(big));
	memcpy(big, "{\"note\":\"", 9);
	memcpy(big + 9 + 2001, "\"}", 3);
	assert_int_equal(apitest_call(t, "POST", "/api/v1/breaches/1/ack", f->manager, big), 422);
	assert_int_equal(apitest_call(t, "POST", "/api/v1/breaches/9/ack", f->manager,
				      "{\"note\":\"x\"}"),
			 404);
	assert_int_equal(apitest_call(t, "POST", "/api/v1/breaches/1/ack", f->manager,
				      "{\"note\":\"Agreed night delivery\"}"),
			 200);
	assert_non_null(strstr(t->response, "\"state\":\"acknowledged\""));
	assert_non_null(strstr(t->response, "\"note\":\"Agreed night delivery\""));
	assert_non_null(strstr(t->response, "\"who\":\"manager\"")); /* no name: the role */
	assert_int_equal(apitest_call(t, "GET", "/api/v1/breaches/1/ack", f->manager, NULL), 405);
	{
		char named[TOKEN_TEXT_MAX];

		/* a named token: its name is recorded, not its role */
		assert_int_equal(apitest_token_as(t, "manager", "maria", NULL, named), 0);
		assert_int_equal(apitest_call(t, "POST", "/api/v1/breaches/1/ack", named,
					      "{\"note\":\"Checked on site\"}"),
				 200);
		assert_non_null(strstr(t->response, "\"who\":\"maria\""));
	}
}

static void test_exceptions(void **state)
{
	struct fx *f = *state;
	struct apitest *t = f->t;
	char date[32], body[256];
	time_t now = time(NULL);
	struct tm tm;
	int before;

	localtime_r(&now, &tm);
	snprintf(date, sizeof(date), "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday);
	assert_int_equal(apitest_call(t, "POST", "/api/v1/blocks", t->admin,
				      "{\"id\":\"tower-a\",\"name\":\"Tower A\"}"),
			 201);
	before = t->published;
	snprintf(body, sizeof(body),
		 "{\"date\":\"%s\",\"from\":\"08:00\",\"to\":\"13:00\","
		 "\"reason\":\"Crane delivery\",\"agreed_by\":\"Resident panel\"}",
		 date);
	assert_int_equal(apitest_call(t, "POST", "/api/v1/hours/exceptions", t->caretaker, body),
			 403);
	assert_int_equal(apitest_call(t, "POST", "/api/v1/hours/exceptions", f->manager, body),
			 201);
	assert_non_null(strstr(t->response, "\"from\":\"08:00\""));
	assert_int_equal(t->published, before + 1);
	assert_non_null(strstr(t->last_board, "Crane delivery"));
	assert_non_null(strstr(t->last_board, "\"weekly\":[{\"days\":\"mon-fri\""));
	assert_int_equal(apitest_call(t, "POST", "/api/v1/hours/exceptions", f->manager, body),
			 409);
	assert_int_equal(apitest_call(t, "POST", "/api/v1/hours/exceptions", f->manager,
				      "{\"date\":\"2026-12-24\",\"closed\":true,"
				      "\"reason\":\"Christmas Eve\",\"agreed_by\":\"Landlord\"}"),
			 201);
	assert_non_null(strstr(t->response, "\"closed\":true"));
	assert_int_equal(apitest_call(t, "POST", "/api/v1/hours/exceptions", f->manager,
				      "{\"date\":\"2026-12-23\",\"from\":\"10:00\",\"to\":\"09:00\","
				      "\"reason\":\"x\",\"agreed_by\":\"y\"}"),
			 422);
	assert_int_equal(apitest_call(t, "POST", "/api/v1/hours/exceptions", f->manager,
				      "{\"date\":\"2026-02-30\",\"closed\":true,"
				      "\"reason\":\"x\",\"agreed_by\":\"y\"}"),
			 422);
	assert_int_equal(apitest_call(t, "POST", "/api/v1/hours/exceptions", f->manager,
				      "{\"date\":\"2026-12-23\",\"closed\":true,"
				      "\"from\":\"08:00\",\"reason\":\"x\",\"agreed_by\":\"y\"}"),
			 422);
	assert_int_equal(apitest_call(t, "POST", "/api/v1/hours/exceptions", f->manager,
				      "{\"date\":\"2026-12-23\",\"closed\":true,\"reason\":\"x\"}"),
			 422);
	assert_int_equal(apitest_call(t, "POST", "/api/v1/hours/exceptions", f->manager,
				      "{\"date\":\"2026-12-23\",\"closed\":\"yes\","
				      "\"reason\":\"x\",\"agreed_by\":\"y\"}"),
			 400);
	assert_int_equal(apitest_call(t, "GET", "/api/v1/hours/exceptions", t->caretaker, NULL),
			 200);
	assert_non_null(strstr(t->response, "\"agreed_by\":\"Landlord\""));
	assert_int_equal(apitest_call(t, "GET", "/api/v1/hours/exceptions?from=2026-12-24",
				      t->caretaker, NULL),
			 200);
	assert_int_equal(apitest_call(t, "GET", "/api/v1/hours/exceptions/1", t->caretaker, NULL),
			 200);
	assert_int_equal(apitest_call(t, "DELETE", "/api/v1/hours/exceptions/1", t->caretaker,
				      NULL),
			 403);
	before = t->published;
	assert_int_equal(apitest_call(t, "DELETE", "/api/v1/hours/exceptions/1", f->manager, NULL),
			 204);
	assert_int_equal(t->published, before + 1);
	assert_null(strstr(t->last_board, "Crane delivery"));
	assert_int_equal(apitest_call(t, "DELETE", "/api/v1/hours/exceptions/1", f->manager, NULL),
			 404);
	assert_int_equal(apitest_call(t, "GET", "/api/v1/hours", f->manager, NULL), 404);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_list_and_get, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ack, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exceptions, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
