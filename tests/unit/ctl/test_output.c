/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of siteboardctl's printing (server/ctl/src/output.c): tables,
 * key: value items, quiet ids, error lines, and that control characters
 * from the server never reach the terminal.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "output.h"

struct capture {
	FILE *f;
	char *text;
	size_t len;
};

static void cap_open(struct capture *c)
{
	memset(c, 0, sizeof(*c));
	c->f = open_memstream(&c->text, &c->len);
	assert_non_null(c->f);
}

/* Close and return the text (freed by the caller). */
static char *cap_close(struct capture *c)
{
	assert_int_equal(fclose(c->f), 0);
	return c->text;
}

static json_t *parse(const char *text)
{
	json_error_t e;
	json_t *v = json_loads(text, 0, &e);

	if (v == NULL)
		fail_msg("bad test JSON: %s", e.text);
	return v;
}

static void test_list_table(void **state)
{
	struct capture c;
	json_t *answer = parse(
		"{\"notices\":[{\"id\":\"n1\",\"block\":\"tower-a\",\"title\":\"Water off\","
		"\"body\":\"\",\"priority\":\"urgent\",\"from\":\"2026-11-25T00:00:00Z\","
		"\"until\":null},{\"id\":\"n12\",\"block\":\"tower-a\",\"title\":\"Lift\","
		"\"priority\":\"normal\",\"from\":\"2026-11-26T00:00:00Z\","
		"\"until\":\"2026-11-27T12:00:00Z\"}]}");
	char *text = NULL;

	(void)state;
	cap_open(&c);
	assert_int_equal(output_list(c.f, resource_find("notices"), answer, false), 0);
	text = cap_close(&c);
	assert_string_equal(text,
			    "ID   PRIORITY  FROM                  UNTIL                 TITLE\n"
			    "n1   urgent    2026-11-25T00:00:00Z                        Water off\n"
			    "n12  normal    2026-11-26T00:00:00Z  2026-11-27T12:00:00Z  Lift\n");
	free(text);

	cap_open(&c);
	assert_int_equal(output_list(c.f, resource_find("notices"), answer, true), 0);
	text = cap_close(&c);
	assert_string_equal(text, "n1\nn12\n");
	free(text);
	json_decref(answer);
}

static void test_list_bool_and_wide(void **state)
{
	struct capture c;
	json_t *answer = parse("{\"works\":[{\"id\":\"w1\",\"from\":\"2026-11-30\",\"to\":"
			       "\"2026-12-04\",\"noisy\":true,\"what\":\"Scaffold\"}]}");
	char *text = NULL;

	(void)state;
	cap_open(&c);
	assert_int_equal(output_list(c.f, resource_find("works"), answer, false), 0);
	text = cap_close(&c);
	assert_string_equal(text, "ID  FROM        TO          NOISY  WHAT\n"
				  "w1  2026-11-30  2026-12-04  yes    Scaffold\n");
	free(text);
	json_decref(answer);

	/* a long cell is cut with an ellipsis; the last column is not cut */
	answer = parse("{\"contacts\":[{\"id\":\"c1\",\"role\":\"Resident liaison officer for "
		       "the whole of the estate\",\"phone\":\"1\",\"hours\":\"x\"}]}");
	cap_open(&c);
	assert_int_equal(output_list(c.f, resource_find("contacts"), answer, false), 0);
	text = cap_close(&c);
	assert_non_null(strstr(text, "Resident liaison officer for the whole \xe2\x80\xa6  "));
	free(text);
	json_decref(answer);
}

static void test_list_empty_and_bad(void **state)
{
	struct capture c;
	json_t *answer = parse("{\"blocks\":[]}");
	char *text = NULL;

	(void)state;
	cap_open(&c);
	assert_int_equal(output_list(c.f, resource_find("blocks"), answer, false), 0);
	text = cap_close(&c);
	assert_string_equal(text, "ID  NAME  ADDRESS  BOARD_VERSION\n");
	free(text);
	json_decref(answer);

	answer = parse("{\"notices\":{}}");
	cap_open(&c);
	assert_int_equal(output_list(c.f, resource_find("notices"), answer, false), -EINVAL);
	free(cap_close(&c));
	json_decref(answer);

	answer = parse("{\"notices\":[1]}");
	cap_open(&c);
	assert_int_equal(output_list(c.f, resource_find("notices"), answer, false), -EINVAL);
	free(cap_close(&c));
	json_decref(answer);
}

static void test_item(void **state)
{
	struct capture c;
	json_t *item = parse("{\"priority\":\"urgent\",\"title\":\"Water off\",\"id\":\"n3\","
			     "\"block\":\"tower-a\",\"body\":\"line one\\nline two\","
			     "\"until\":null,\"extra\":7}");
	char *text = NULL;

	(void)state;
	cap_open(&c);
	assert_int_equal(output_item(c.f, resource_find("notices"), item, false), 0);
	text = cap_close(&c);
	assert_string_equal(text, "id: n3\n"
				  "block: tower-a\n"
				  "title: Water off\n"
				  "body: line one\n"
				  "  line two\n"
				  "priority: urgent\n"
				  "until:\n"
				  "extra: 7\n");
	free(text);

	cap_open(&c);
	assert_int_equal(output_item(c.f, resource_find("notices"), item, true), 0);
	text = cap_close(&c);
	assert_string_equal(text, "n3\n");
	free(text);
	json_decref(item);

	item = parse("[]");
	cap_open(&c);
	assert_int_equal(output_item(c.f, resource_find("notices"), item, false), -EINVAL);
	free(cap_close(&c));
	json_decref(item);
}

static void test_control_characters(void **state)
{
	struct capture c;
	json_t *item = parse("{\"id\":\"n1\",\"title\":\"a\\u001b[2Jb\\u009bc\\td\"}");
	char *text = NULL;

	(void)state;
	cap_open(&c);
	assert_int_equal(output_item(c.f, resource_find("notices"), item, false), 0);
	text = cap_close(&c);
	assert_string_equal(text, "id: n1\ntitle: a [2Jb c d\n");
	free(text);
	json_decref(item);
}

static void test_json(void **state)
{
	struct capture c;
	json_t *v = parse("{\"b\":1,\"a\":[true]}");
	char *text = NULL;

	(void)state;
	cap_open(&c);
	assert_int_equal(output_json(c.f, v), 0);
	text = cap_close(&c);
	assert_string_equal(text, "{\n  \"b\": 1,\n  \"a\": [\n    true\n  ]\n}\n");
	free(text);
	json_decref(v);
}

static void test_list_key_and_total(void **state)
{
	struct capture c;
	json_t *answer = parse("{\"exceptions\":[{\"id\":3,\"date\":\"2026-12-05\",\"from\":"
			       "\"08:00\",\"to\":\"13:00\",\"closed\":false,\"reason\":\"Crane\","
			       "\"agreed_by\":\"Panel\"}]}");
	json_t *events = parse("{\"total\":5,\"events\":[{\"sensor\":\"gate-1\",\"block\":\"b\","
			       "\"seq\":41,\"ts\":\"2026-11-21T03:00:00Z\",\"kind\":\"door\","
			       "\"state\":\"open\",\"arrived_at\":\"2026-11-21T03:00:01Z\"},"
			       "{\"sensor\":\"mic\",\"block\":\"b\",\"seq\":7,\"ts\":"
			       "\"2026-11-21T03:01:00Z\",\"kind\":\"noise\",\"period_s\":60,"
			       "\"laeq\":61.5,\"arrived_at\":\"2026-11-21T03:01:00Z\"}]}");
	char *text = NULL;

	(void)state;
	/* hours-exceptions answer {"exceptions":[...]} */
	cap_open(&c);
	assert_int_equal(output_list(c.f, resource_find("hours-exceptions"), answer, false), 0);
	text = cap_close(&c);
	assert_string_equal(text, "ID  DATE        CLOSED  FROM   TO     AGREED_BY  REASON\n"
				  "3   2026-12-05  no      08:00  13:00  Panel      Crane\n");
	free(text);
	cap_open(&c);
	assert_int_equal(output_list(c.f, resource_find("hours-exceptions"), answer, true), 0);
	text = cap_close(&c);
	assert_string_equal(text, "3\n");
	free(text);

	/* sensor events: no id, -q prints seq; a total larger than the page is said */
	cap_open(&c);
	assert_int_equal(output_list(c.f, resource_find("sensor-events"), events, false), 0);
	text = cap_close(&c);
	assert_string_equal(
		text,
		"SENSOR  SEQ  TS                    KIND   STATE  LAEQ  ARRIVED_AT\n"
		"gate-1  41   2026-11-21T03:00:00Z  door   open         2026-11-21T03:00:01Z\n"
		"mic     7    2026-11-21T03:01:00Z  noise         61.5  2026-11-21T03:01:00Z\n"
		"(2 of 5 shown; page with --limit and --offset)\n");
	free(text);
	cap_open(&c);
	assert_int_equal(output_list(c.f, resource_find("sensor-events"), events, true), 0);
	text = cap_close(&c);
	assert_string_equal(text, "41\n7\n");
	free(text);

	/* the resource's own key, not its name */
	cap_open(&c);
	assert_int_equal(output_list(c.f, resource_find("sensor-events"), answer, false), -EINVAL);
	free(cap_close(&c));
	json_decref(answer);
	json_decref(events);
}

static void test_item_arrays_and_block_field(void **state)
{
	struct capture c;
	json_t *breach = parse(
		"{\"id\":7,\"rule\":\"left_insecure\",\"block\":\"tower-a\",\"sensor\":\"gate-1\","
		"\"state\":\"acknowledged\",\"detail\":{\"grace_min\":15},\"audit\":[{\"state\":"
		"\"open\",\"note\":null},{\"state\":\"acknowledged\",\"note\":\"Checked\\nok\"}],"
		"\"extra\":[]}");
	json_t *sensor = parse("{\"id\":\"gate-1\",\"block\":\"tower-a\",\"kind\":\"door\","
			       "\"role\":\"site_access\",\"location\":null}");
	char *text = NULL;

	(void)state;
	cap_open(&c);
	assert_int_equal(output_item(c.f, resource_find("breaches"), breach, false), 0);
	text = cap_close(&c);
	assert_string_equal(text, "id: 7\n"
				  "block: tower-a\n"
				  "rule: left_insecure\n"
				  "sensor: gate-1\n"
				  "state: acknowledged\n"
				  "detail: {\"grace_min\":15}\n"
				  "audit:\n"
				  "  {\"state\":\"open\",\"note\":null}\n"
				  "  {\"state\":\"acknowledged\",\"note\":\"Checked\\nok\"}\n"
				  "extra: []\n");
	free(text);

	/* "block" is a sensor field: printed once, after the id */
	cap_open(&c);
	assert_int_equal(output_item(c.f, resource_find("sensors"), sensor, false), 0);
	text = cap_close(&c);
	assert_string_equal(text, "id: gate-1\nblock: tower-a\nkind: door\nrole: site_access\n"
				  "location:\n");
	free(text);
	json_decref(breach);
	json_decref(sensor);
}

static void test_error_text(void **state)
{
	char buf[64];
	const char *ok = "{\"error\":\"no such notice\"}";
	const char *nasty = "{\"error\":\"bad\\nthing\\u001b]0;x\"}";
	const char *html = "<html>502 Bad Gateway</html>";

	(void)state;
	output_error_text(ok, strlen(ok), buf, sizeof(buf));
	assert_string_equal(buf, "no such notice");
	output_error_text(nasty, strlen(nasty), buf, sizeof(buf));
	assert_string_equal(buf, "bad thing ]0;x");
	output_error_text(html, strlen(html), buf, sizeof(buf));
	assert_string_equal(buf, "(no error message in the answer)");
	output_error_text("", 0, buf, sizeof(buf));
	assert_string_equal(buf, "(no error message in the answer)");
	output_error_text(ok, strlen(ok), buf, 5);
	assert_string_equal(buf, "no s");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list_table),
		cmocka_unit_test(test_list_bool_and_wide),
		cmocka_unit_test(test_list_empty_and_bad),
		cmocka_unit_test(test_item),
		cmocka_unit_test(test_control_characters),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_error_text),
		cmocka_unit_test(test_list_key_and_total),
		cmocka_unit_test(test_item_arrays_and_block_field),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
