/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of siteboardctl's command line (server/ctl/src/cli.c): parsing,
 * usage errors, request paths and JSON bodies for every resource.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli.h"

#define ARGV(...) ((char *const[]){"siteboardctl", __VA_ARGS__, NULL})
#define ARGC(...) ((int)(sizeof((char *const[]){"siteboardctl", __VA_ARGS__}) / sizeof(char *)))
#define PARSE(cmd, err, ...) cli_parse(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), (cmd), (err), sizeof(err))

/* Parse, which must succeed, and return the body as compact JSON (caller frees). */
static char *body_of(struct cli_cmd *cmd)
{
	json_t *body = NULL;
	char *text = NULL;

	assert_int_equal(cli_build_body(cmd, &body), 0);
	assert_non_null(body);
	text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	return text;
}

static void assert_path(const struct cli_cmd *cmd, const char *want)
{
	char path[CLI_PATH_MAX];

	assert_int_equal(cli_path(cmd, path, sizeof(path)), 0);
	assert_string_equal(path, want);
}

static void test_notice_add(void **state)
{
	struct cli_cmd cmd;
	char err[CLI_ERR_MAX];
	char *body = NULL;

	(void)state;
	assert_int_equal(PARSE(&cmd, err, "notices", "add", "--block", "tower-a", "--title",
			       "Lift out of service", "--priority", "urgent"),
			 0);
	assert_int_equal(cmd.action, CLI_ADD);
	assert_string_equal(cmd.res->name, "notices");
	assert_string_equal(cli_method(&cmd), "POST");
	assert_path(&cmd, "/api/v1/blocks/tower-a/notices");
	body = body_of(&cmd);
	assert_string_equal(body, "{\"title\":\"Lift out of service\",\"priority\":\"urgent\"}");
	free(body);
}

static void test_global_options_anywhere(void **state)
{
	struct cli_cmd cmd;
	char err[CLI_ERR_MAX];

	(void)state;
	assert_int_equal(PARSE(&cmd, err, "--server", "http://h:1", "--json", "notices", "list",
			       "--block=tower-a", "--token", "t0k"),
			 0);
	assert_string_equal(cmd.server, "http://h:1");
	assert_string_equal(cmd.token, "t0k");
	assert_true(cmd.json);
	assert_string_equal(cmd.block, "tower-a");
	assert_string_equal(cli_method(&cmd), "GET");
	assert_path(&cmd, "/api/v1/blocks/tower-a/notices");
}

static void test_field_equals_and_dash_value(void **state)
{
	struct cli_cmd cmd;
	char err[CLI_ERR_MAX];
	char *body = NULL;

	(void)state;
	assert_int_equal(PARSE(&cmd, err, "notices", "add", "--block", "b", "--title=a=b", "--body",
			       "--not-an-option"),
			 0);
	body = body_of(&cmd);
	assert_string_equal(body, "{\"title\":\"a=b\",\"body\":\"--not-an-option\"}");
	free(body);
}

static void test_works_noisy_is_bool(void **state)
{
	struct cli_cmd cmd;
	char err[CLI_ERR_MAX];
	char *body = NULL;

	(void)state;
	assert_int_equal(PARSE(&cmd, err, "works", "add", "--block", "tower-a", "--from",
			       "2026-11-30", "--to", "2026-12-04", "--what", "Scaffold erection",
			       "--noisy", "yes", "--access", "Clear balconies"),
			 0);
	body = body_of(&cmd);
	assert_string_equal(body, "{\"from\":\"2026-11-30\",\"to\":\"2026-12-04\",\"what\":"
				  "\"Scaffold erection\",\"noisy\":true,\"access\":\"Clear balconies\"}");
	free(body);

	assert_int_equal(PARSE(&cmd, err, "works", "update", "w1", "--noisy", "FALSE"), 0);
	body = body_of(&cmd);
	assert_string_equal(body, "{\"noisy\":false}");
	free(body);

	assert_int_equal(PARSE(&cmd, err, "works", "update", "w1", "--noisy", "maybe"), -EINVAL);
	assert_non_null(strstr(err, "--noisy"));
}

static void test_update_clears_with_null(void **state)
{
	struct cli_cmd cmd;
	char err[CLI_ERR_MAX];
	char *body = NULL;

	(void)state;
	assert_int_equal(PARSE(&cmd, err, "notices", "update", "n3", "--until", "", "--title",
			       "New"),
			 0);
	assert_string_equal(cli_method(&cmd), "PUT");
	assert_path(&cmd, "/api/v1/notices/n3");
	body = body_of(&cmd);
	assert_string_equal(body, "{\"title\":\"New\",\"until\":null}");
	free(body);

	/* a required field is never turned into null: the server refuses "" */
	assert_int_equal(PARSE(&cmd, err, "notices", "update", "n3", "--title", ""), 0);
	body = body_of(&cmd);
	assert_string_equal(body, "{\"title\":\"\"}");
	free(body);

	/* on add an empty optional field is simply left out */
	assert_int_equal(PARSE(&cmd, err, "contacts", "add", "--block", "b", "--role", "RLO",
			       "--phone", "0117", "--hours", ""),
			 0);
	body = body_of(&cmd);
	assert_string_equal(body, "{\"role\":\"RLO\",\"phone\":\"0117\"}");
	free(body);
}

static void test_every_resource(void **state)
{
	struct cli_cmd cmd;
	char err[CLI_ERR_MAX];
	char *body = NULL;

	(void)state;
	assert_int_equal(PARSE(&cmd, err, "blocks", "add", "--id", "tower-a", "--name", "Tower A",
			       "--address", "Barton Hill"),
			 0);
	assert_path(&cmd, "/api/v1/blocks");
	body = body_of(&cmd);
	assert_string_equal(body,
			    "{\"id\":\"tower-a\",\"name\":\"Tower A\",\"address\":\"Barton Hill\"}");
	free(body);

	assert_int_equal(PARSE(&cmd, err, "blocks", "update", "tower-a", "--address", ""), 0);
	assert_path(&cmd, "/api/v1/blocks/tower-a");
	body = body_of(&cmd);
	assert_string_equal(body, "{\"address\":null}");
	free(body);

	assert_int_equal(PARSE(&cmd, err, "delays", "add", "--block", "b", "--works", "w1",
			       "--reason", "High winds", "--new_from", "2026-12-07", "--new_to",
			       "2026-12-11"),
			 0);
	assert_path(&cmd, "/api/v1/blocks/b/delays");
	body = body_of(&cmd);
	assert_string_equal(body, "{\"works\":\"w1\",\"reason\":\"High winds\",\"new_from\":"
				  "\"2026-12-07\",\"new_to\":\"2026-12-11\"}");
	free(body);

	assert_int_equal(PARSE(&cmd, err, "events", "add", "--block", "b", "--id", "e9", "--title",
			       "Coffee", "--when", "2026-12-02T10:00:00Z", "--where", "Room"),
			 0);
	body = body_of(&cmd);
	assert_string_equal(body, "{\"id\":\"e9\",\"title\":\"Coffee\",\"when\":"
				  "\"2026-12-02T10:00:00Z\",\"where\":\"Room\"}");
	free(body);

	assert_int_equal(PARSE(&cmd, err, "contacts", "add", "--block", "b", "--role", "OOH",
			       "--name", "Sam", "--phone", "0117 496 0999", "--hours", "24 hours"),
			 0);
	body = body_of(&cmd);
	assert_string_equal(body, "{\"role\":\"OOH\",\"name\":\"Sam\",\"phone\":\"0117 496 0999\","
				  "\"hours\":\"24 hours\"}");
	free(body);
}

static void test_paths_and_methods(void **state)
{
	struct cli_cmd cmd;
	char err[CLI_ERR_MAX];
	json_t *body = NULL;

	(void)state;
	assert_int_equal(PARSE(&cmd, err, "blocks", "list"), 0);
	assert_path(&cmd, "/api/v1/blocks");
	assert_int_equal(cli_build_body(&cmd, &body), 0);
	assert_null(body);

	assert_int_equal(PARSE(&cmd, err, "works", "show", "w12"), 0);
	assert_string_equal(cli_method(&cmd), "GET");
	assert_path(&cmd, "/api/v1/works/w12");

	assert_int_equal(PARSE(&cmd, err, "contacts", "remove", "c2"), 0);
	assert_string_equal(cli_method(&cmd), "DELETE");
	assert_path(&cmd, "/api/v1/contacts/c2");

	assert_int_equal(PARSE(&cmd, err, "blocks", "remove", "tower-a"), 0);
	assert_path(&cmd, "/api/v1/blocks/tower-a");

	assert_int_equal(PARSE(&cmd, err, "board", "tower-a"), 0);
	assert_int_equal(cmd.action, CLI_BOARD);
	assert_string_equal(cli_method(&cmd), "GET");
	assert_path(&cmd, "/api/v1/blocks/tower-a/board");
}

static void test_path_short_buffer(void **state)
{
	struct cli_cmd cmd;
	char err[CLI_ERR_MAX];
	char small[8];

	(void)state;
	assert_int_equal(PARSE(&cmd, err, "board", "tower-a"), 0);
	assert_int_equal(cli_path(&cmd, small, sizeof(small)), -ENOSPC);
}

/* Each of these must be a usage error whose message contains want. */
static void expect_usage(const char *want, int argc, char *const argv[])
{
	struct cli_cmd cmd;
	char err[CLI_ERR_MAX];

	assert_int_equal(cli_parse(argc, argv, &cmd, err, sizeof(err)), -EINVAL);
	if (strstr(err, want) == NULL)
		fail_msg("error '%s' does not contain '%s'", err, want);
}

#define EXPECT_USAGE(want, ...) expect_usage((want), ARGC(__VA_ARGS__), ARGV(__VA_ARGS__))

/* The whole request: method, path with query, and body (NULL: none). */
static void assert_request(struct cli_cmd *cmd, const char *method, const char *path,
			   const char *body)
{
	json_t *b = NULL;
	char *text = NULL;

	assert_string_equal(cli_method(cmd), method);
	assert_path(cmd, path);
	assert_int_equal(cli_build_body(cmd, &b), 0);
	if (body == NULL) {
		assert_null(b);
		return;
	}
	assert_non_null(b);
	text = json_dumps(b, JSON_COMPACT);
	json_decref(b);
	assert_string_equal(text, body);
	free(text);
}

static void test_sensors(void **state)
{
	struct cli_cmd cmd;
	char err[CLI_ERR_MAX];

	(void)state;
	/* not inside a block: --block is the sensor's block field */
	assert_int_equal(PARSE(&cmd, err, "sensors", "add", "--id", "gate-1", "--block", "tower-a",
			       "--kind", "door", "--role", "site_access", "--location",
			       "Main gate"),
			 0);
	assert_null(cmd.block);
	assert_request(&cmd, "POST", "/api/v1/sensors",
		       "{\"id\":\"gate-1\",\"block\":\"tower-a\",\"kind\":\"door\","
		       "\"role\":\"site_access\",\"location\":\"Main gate\"}");
	/* ... and on list the block filter */
	assert_int_equal(PARSE(&cmd, err, "sensors", "list", "--block", "tower-a"), 0);
	assert_request(&cmd, "GET", "/api/v1/sensors?block=tower-a", NULL);
	assert_int_equal(PARSE(&cmd, err, "sensors", "list"), 0);
	assert_request(&cmd, "GET", "/api/v1/sensors", NULL);
	/* a sensor may move block; its location may be cleared */
	assert_int_equal(PARSE(&cmd, err, "sensors", "update", "gate-1", "--block", "tower-b",
			       "--location", ""),
			 0);
	assert_request(&cmd, "PUT", "/api/v1/sensors/gate-1",
		       "{\"block\":\"tower-b\",\"location\":null}");
	assert_int_equal(PARSE(&cmd, err, "sensors", "show", "gate-1"), 0);
	assert_request(&cmd, "GET", "/api/v1/sensors/gate-1", NULL);
	assert_int_equal(PARSE(&cmd, err, "sensors", "remove", "gate-1"), 0);
	assert_request(&cmd, "DELETE", "/api/v1/sensors/gate-1", NULL);
}

static void test_sensor_events(void **state)
{
	struct cli_cmd cmd;
	char err[CLI_ERR_MAX];

	(void)state;
	/* filters go in table order whatever the order on the line */
	assert_int_equal(PARSE(&cmd, err, "sensor-events", "list", "--offset", "100", "--limit",
			       "50", "--sensor", "gate-1"),
			 0);
	assert_request(&cmd, "GET", "/api/v1/events?sensor=gate-1&limit=50&offset=100", NULL);
	assert_int_equal(PARSE(&cmd, err, "sensor-events", "list", "--block", "tower-a", "--from",
			       "2026-11-21T00:00:00Z", "--to", ""),
			 0);
	assert_request(&cmd, "GET", "/api/v1/events?block=tower-a&from=2026-11-21T00%3A00%3A00Z",
		       NULL);
	/* the board's events are still the block's items */
	assert_int_equal(PARSE(&cmd, err, "events", "list", "--block", "tower-a"), 0);
	assert_request(&cmd, "GET", "/api/v1/blocks/tower-a/events", NULL);
}

static void test_breaches(void **state)
{
	struct cli_cmd cmd;
	char err[CLI_ERR_MAX];

	(void)state;
	/* options may come before the action; values are percent-encoded */
	assert_int_equal(PARSE(&cmd, err, "breaches", "--to", "a&b=c d", "list", "--state", "open",
			       "--rule", "left_insecure", "--block", "tower-a", "--from",
			       "2026-11-24T17:00:00+01:00", "--sensor", "gate-1"),
			 0);
	assert_request(&cmd, "GET",
		       "/api/v1/breaches?state=open&rule=left_insecure&block=tower-a&sensor=gate-1"
		       "&from=2026-11-24T17%3A00%3A00%2B01%3A00&to=a%26b%3Dc%20d",
		       NULL);
	assert_int_equal(PARSE(&cmd, err, "breaches", "show", "7"), 0);
	assert_request(&cmd, "GET", "/api/v1/breaches/7", NULL);
	assert_int_equal(PARSE(&cmd, err, "breaches", "ack", "7", "--note", "Gate checked"), 0);
	assert_int_equal(cmd.action, CLI_VERB);
	assert_string_equal(cli_action_name(&cmd), "ack");
	assert_request(&cmd, "POST", "/api/v1/breaches/7/ack", "{\"note\":\"Gate checked\"}");
	/* --FIELD before the action (after the resource); the largest row id */
	assert_int_equal(PARSE(&cmd, err, "-q", "breaches", "--note=x", "ack",
			       "123456789012345678"),
			 0);
	assert_path(&cmd, "/api/v1/breaches/123456789012345678/ack");
}

static void test_hours_exceptions(void **state)
{
	struct cli_cmd cmd;
	char err[CLI_ERR_MAX];

	(void)state;
	assert_int_equal(PARSE(&cmd, err, "hours-exceptions", "add", "--date", "2026-12-05",
			       "--from", "08:00", "--to", "13:00", "--reason", "Crane delivery",
			       "--agreed_by", "Resident panel"),
			 0);
	assert_request(&cmd, "POST", "/api/v1/hours/exceptions",
		       "{\"date\":\"2026-12-05\",\"from\":\"08:00\",\"to\":\"13:00\","
		       "\"reason\":\"Crane delivery\",\"agreed_by\":\"Resident panel\"}");
	assert_int_equal(PARSE(&cmd, err, "hours-exceptions", "add", "--date", "2026-12-06",
			       "--closed", "yes", "--reason", "Fun day", "--agreed_by", "Panel"),
			 0);
	assert_request(&cmd, "POST", "/api/v1/hours/exceptions",
		       "{\"date\":\"2026-12-06\",\"closed\":true,\"reason\":\"Fun day\","
		       "\"agreed_by\":\"Panel\"}");
	assert_int_equal(PARSE(&cmd, err, "hours-exceptions", "list", "--from", "2026-12-01",
			       "--to", "2026-12-31"),
			 0);
	assert_request(&cmd, "GET", "/api/v1/hours/exceptions?from=2026-12-01&to=2026-12-31", NULL);
	assert_int_equal(PARSE(&cmd, err, "hours-exceptions", "show", "3"), 0);
	assert_request(&cmd, "GET", "/api/v1/hours/exceptions/3", NULL);
	assert_int_equal(PARSE(&cmd, err, "hours-exceptions", "remove", "3"), 0);
	assert_request(&cmd, "DELETE", "/api/v1/hours/exceptions/3", NULL);
}

static void test_complaints(void **state)
{
	struct cli_cmd cmd;
	char err[CLI_ERR_MAX];

	(void)state;
	assert_int_equal(PARSE(&cmd, err, "complaints", "list", "--contact", "yes", "--status",
			       "in_progress", "--block", "tower-a", "--from", "2026-11-01"),
			 0);
	assert_request(&cmd, "GET",
		       "/api/v1/complaints?status=in_progress&block=tower-a&from=2026-11-01"
		       "&contact=true",
		       NULL);
	assert_int_equal(PARSE(&cmd, err, "complaints", "list", "--contact", "No"), 0);
	assert_path(&cmd, "/api/v1/complaints?contact=false");
	assert_int_equal(PARSE(&cmd, err, "complaints", "show", "12"), 0);
	assert_request(&cmd, "GET", "/api/v1/complaints/12", NULL);
	assert_int_equal(PARSE(&cmd, err, "complaints", "respond", "12", "--text",
			       "Crew starts at 8", "--channel", "phone"),
			 0);
	assert_request(&cmd, "POST", "/api/v1/complaints/12/responses",
		       "{\"text\":\"Crew starts at 8\",\"channel\":\"phone\"}");
	/* an empty optional option is left out, as on add */
	assert_int_equal(PARSE(&cmd, err, "complaints", "respond", "12", "--text", "x",
			       "--channel", ""),
			 0);
	assert_request(&cmd, "POST", "/api/v1/complaints/12/responses", "{\"text\":\"x\"}");
	assert_int_equal(PARSE(&cmd, err, "complaints", "update", "12", "--status", "closed"), 0);
	assert_request(&cmd, "PUT", "/api/v1/complaints/12", "{\"status\":\"closed\"}");
}

static void test_query_too_long(void **state)
{
	struct cli_cmd cmd;
	char err[CLI_ERR_MAX];
	char path[CLI_PATH_MAX];
	char *big = malloc(CLI_PATH_MAX);

	(void)state;
	assert_non_null(big);
	memset(big, 'a', CLI_PATH_MAX - 1);
	big[CLI_PATH_MAX - 1] = '\0';
	assert_int_equal(PARSE(&cmd, err, "breaches", "list", "--from", big), 0);
	assert_int_equal(cli_path(&cmd, path, sizeof(path)), -ENOSPC);
	free(big);
}

static void test_new_usage_errors(void **state)
{
	(void)state;
	/* actions a resource does not have, listed from the table */
	EXPECT_USAGE("unknown action 'add' for breaches (one of: list, show, ack)", "breaches",
		     "add");
	EXPECT_USAGE("unknown action 'show' for sensor-events (one of: list)", "sensor-events",
		     "show", "1");
	EXPECT_USAGE("unknown action 'update' for hours-exceptions", "hours-exceptions", "update",
		     "3", "--reason", "x");
	EXPECT_USAGE("unknown action 'ack' for notices", "notices", "ack", "n1");
	EXPECT_USAGE("missing ACTION for complaints (list, show, update, respond)", "complaints");
	/* choices */
	EXPECT_USAGE("--kind for sensors must be door or noise, not 'window'", "sensors", "add",
		     "--id", "s", "--block", "b", "--kind", "window", "--role", "noise");
	EXPECT_USAGE("--role for sensors must be", "sensors", "update", "s", "--role", "lobby");
	EXPECT_USAGE("--state for breaches must be", "breaches", "list", "--state", "ack");
	EXPECT_USAGE("--rule for breaches must be", "breaches", "list", "--rule", "noise");
	EXPECT_USAGE("--channel for complaints must be", "complaints", "respond", "1", "--text",
		     "t", "--channel", "fax");
	EXPECT_USAGE("--closed for hours-exceptions must be yes, no", "hours-exceptions", "add",
		     "--date", "2026-12-06", "--closed", "maybe", "--reason", "r", "--agreed_by",
		     "a");
	EXPECT_USAGE("--contact for complaints must be yes, no", "complaints", "list",
		     "--contact", "1");
	/* numbers and ids in filters */
	EXPECT_USAGE("--limit for sensor-events must be a whole number", "sensor-events", "list",
		     "--sensor", "s", "--limit", "-1");
	EXPECT_USAGE("--offset for breaches must be a whole number", "breaches", "list",
		     "--offset", "1e3");
	EXPECT_USAGE("--sensor 'a b' is not a valid id", "breaches", "list", "--sensor", "a b");
	EXPECT_USAGE("--block 'A' is not a valid id", "sensors", "list", "--block", "A");
	/* numeric ids */
	EXPECT_USAGE("'abc' is not a valid id (a whole number from 1)", "breaches", "show", "abc");
	EXPECT_USAGE("not a valid id", "breaches", "ack", "07", "--note", "x");
	EXPECT_USAGE("not a valid id", "hours-exceptions", "remove", "0");
	EXPECT_USAGE("not a valid id", "complaints", "show", "1234567890123456789");
	/* each action its own options */
	EXPECT_USAGE("breaches ack needs --note", "breaches", "ack", "7");
	EXPECT_USAGE("breaches ack needs an ID", "breaches", "ack", "--note", "x");
	EXPECT_USAGE("unknown option --state for breaches ack (options: note)", "breaches", "ack",
		     "7", "--note", "x", "--state", "open");
	EXPECT_USAGE("unknown filter --note for breaches list (filters: state, rule, block, "
		     "sensor, from, to, limit, offset)",
		     "breaches", "list", "--note", "x");
	EXPECT_USAGE("breaches show takes no --FIELD", "breaches", "show", "7", "--state", "open");
	EXPECT_USAGE("hours-exceptions list takes no --block", "hours-exceptions", "list",
		     "--block", "b");
	EXPECT_USAGE("breaches ack takes no --block", "breaches", "ack", "7", "--note", "x",
		     "--block", "b");
	EXPECT_USAGE("hours-exceptions add needs --agreed_by", "hours-exceptions", "add", "--date",
		     "2026-12-06", "--closed", "yes", "--reason", "r");
	EXPECT_USAGE("sensors add needs --block", "sensors", "add", "--id", "s", "--kind", "door",
		     "--role", "site_access");
	EXPECT_USAGE("--note given twice", "breaches", "ack", "7", "--note", "a", "--note", "b");
}

static void test_usage_errors(void **state)
{
	(void)state;
	expect_usage("missing RESOURCE", 1, (char *const[]){"siteboardctl", NULL});
	EXPECT_USAGE("unknown resource 'hours'", "hours", "list");
	EXPECT_USAGE("missing ACTION", "notices");
	EXPECT_USAGE("unknown action 'delete'", "notices", "delete", "n1");
	/* unknown field: named, and the valid ones listed */
	EXPECT_USAGE("unknown field --colour for notices (fields: id, title, body, priority, "
		     "from, until)",
		     "notices", "add", "--block", "b", "--title", "t", "--colour", "red");
	EXPECT_USAGE("unknown field --title for works", "works", "update", "w1", "--title", "x");
	EXPECT_USAGE("unknown option --bogus", "--bogus", "blocks", "list");
	EXPECT_USAGE("unknown option '-x'", "-x", "blocks", "list");
	/* --block rules */
	EXPECT_USAGE("notices list needs --block", "notices", "list");
	EXPECT_USAGE("works add needs --block", "works", "add", "--from", "2026-01-01", "--to",
		     "2026-01-02", "--what", "x");
	EXPECT_USAGE("blocks list takes no --block", "blocks", "list", "--block", "a");
	EXPECT_USAGE("takes no --block", "notices", "show", "n1", "--block", "a");
	/* required fields on add */
	EXPECT_USAGE("notices add needs --title", "notices", "add", "--block", "b");
	EXPECT_USAGE("blocks add needs --id", "blocks", "add", "--name", "A");
	EXPECT_USAGE("contacts add needs --phone", "contacts", "add", "--block", "b", "--role",
		     "r");
	/* ids go into URLs: validated */
	EXPECT_USAGE("not a valid id", "notices", "show", "../blocks");
	EXPECT_USAGE("not a valid id", "notices", "remove", "N1");
	EXPECT_USAGE("not a valid id", "notices", "update", "a%2fb", "--title", "x");
	EXPECT_USAGE("not a valid block id", "notices", "list", "--block", "tower a");
	EXPECT_USAGE("not a valid block id", "notices", "list", "--block", "a/../b");
	EXPECT_USAGE("not a valid block id", "board", "tower?x=1");
	EXPECT_USAGE("not a valid id", "blocks", "add", "--id", "Tower A", "--name", "x");
	EXPECT_USAGE("not a valid id", "notices", "show",
		     "a12345678901234567890123456789012345678901");
	/* arguments */
	EXPECT_USAGE("needs an ID", "notices", "show");
	EXPECT_USAGE("unexpected argument 'n2'", "notices", "show", "n1", "n2");
	EXPECT_USAGE("unexpected argument", "notices", "list", "--block", "b", "extra");
	EXPECT_USAGE("needs at least one --FIELD", "notices", "update", "n1");
	EXPECT_USAGE("id cannot be changed", "notices", "update", "n1", "--id", "n2");
	EXPECT_USAGE("takes no --FIELD", "notices", "show", "n1", "--title", "x");
	EXPECT_USAGE("--title given twice", "notices", "add", "--block", "b", "--title", "a",
		     "--title", "b");
	EXPECT_USAGE("--title needs a value", "notices", "add", "--block", "b", "--title");
	EXPECT_USAGE("--json takes no value", "--json=yes", "blocks", "list");
	EXPECT_USAGE("--priority for notices must be", "notices", "add", "--block", "b", "--title",
		     "t", "--priority", "high");
	EXPECT_USAGE("not valid UTF-8", "notices", "add", "--block", "b", "--title", "caf\xe9");
	EXPECT_USAGE("board needs a BLOCK", "board");
	EXPECT_USAGE("do not go together", "--json", "-q", "blocks", "list");
}

static void test_help_and_version(void **state)
{
	struct cli_cmd cmd;
	char err[CLI_ERR_MAX];

	(void)state;
	assert_int_equal(PARSE(&cmd, err, "--help"), 0);
	assert_true(cmd.help);
	assert_null(cmd.res);
	assert_int_equal(PARSE(&cmd, err, "works", "--help"), 0);
	assert_true(cmd.help);
	assert_string_equal(cmd.res->name, "works");
	assert_int_equal(PARSE(&cmd, err, "notices", "add", "-h"), 0);
	assert_true(cmd.help);
	assert_int_equal(PARSE(&cmd, err, "--version"), 0);
	assert_true(cmd.version);
	/* the resource is known even when the line is wrong, for the hint */
	assert_int_equal(PARSE(&cmd, err, "notices", "list"), -EINVAL);
	assert_string_equal(cmd.res->name, "notices");
}

static void test_double_dash(void **state)
{
	struct cli_cmd cmd;
	char err[CLI_ERR_MAX];

	(void)state;
	assert_int_equal(PARSE(&cmd, err, "-q", "notices", "show", "--", "n1"), 0);
	assert_true(cmd.quiet);
	assert_string_equal(cmd.id, "n1");
}

static void test_resolve(void **state)
{
	struct cli_cmd cmd;
	char err[CLI_ERR_MAX];

	(void)state;
	assert_int_equal(PARSE(&cmd, err, "blocks", "list"), 0);
	assert_int_equal(cli_resolve(&cmd, NULL, NULL, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "SITEBOARD_TOKEN"));

	assert_int_equal(PARSE(&cmd, err, "blocks", "list"), 0);
	assert_int_equal(cli_resolve(&cmd, NULL, "abc", err, sizeof(err)), 0);
	assert_string_equal(cmd.server, CLI_DEFAULT_SERVER);
	assert_string_equal(cmd.token, "abc");

	assert_int_equal(PARSE(&cmd, err, "blocks", "list"), 0);
	assert_int_equal(cli_resolve(&cmd, "https://sb.example:8443/", "abc", err, sizeof(err)), 0);
	assert_string_equal(cmd.server, "https://sb.example:8443/");

	/* the command line wins over the environment */
	assert_int_equal(PARSE(&cmd, err, "--server", "http://a:1", "--token", "cli", "blocks",
			       "list"),
			 0);
	assert_int_equal(cli_resolve(&cmd, "http://b:2", "env", err, sizeof(err)), 0);
	assert_string_equal(cmd.server, "http://a:1");
	assert_string_equal(cmd.token, "cli");

	assert_int_equal(PARSE(&cmd, err, "--server", "ftp://a", "blocks", "list"), 0);
	assert_int_equal(cli_resolve(&cmd, NULL, "t", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "bad server URL"));

	assert_int_equal(PARSE(&cmd, err, "--server", "http://a b", "blocks", "list"), 0);
	assert_int_equal(cli_resolve(&cmd, NULL, "t", err, sizeof(err)), -EINVAL);

	/* no header injection through the token */
	assert_int_equal(PARSE(&cmd, err, "--token", "a\r\nX-Evil: 1", "blocks", "list"), 0);
	assert_int_equal(cli_resolve(&cmd, NULL, NULL, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "bad token"));
}

static void test_parse_bool(void **state)
{
	bool b = false;

	(void)state;
	assert_int_equal(cli_parse_bool("yes", &b), 0);
	assert_true(b);
	assert_int_equal(cli_parse_bool("True", &b), 0);
	assert_true(b);
	assert_int_equal(cli_parse_bool("no", &b), 0);
	assert_false(b);
	assert_int_equal(cli_parse_bool("false", &b), 0);
	assert_false(b);
	assert_int_equal(cli_parse_bool("1", &b), -EINVAL);
	assert_int_equal(cli_parse_bool("", &b), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_notice_add),
		cmocka_unit_test(test_global_options_anywhere),
		cmocka_unit_test(test_field_equals_and_dash_value),
		cmocka_unit_test(test_works_noisy_is_bool),
		cmocka_unit_test(test_update_clears_with_null),
		cmocka_unit_test(test_every_resource),
		cmocka_unit_test(test_paths_and_methods),
		cmocka_unit_test(test_path_short_buffer),
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test(test_help_and_version),
		cmocka_unit_test(test_double_dash),
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_parse_bool),
		cmocka_unit_test(test_sensors),
		cmocka_unit_test(test_sensor_events),
		cmocka_unit_test(test_breaches),
		cmocka_unit_test(test_hours_exceptions),
		cmocka_unit_test(test_complaints),
		cmocka_unit_test(test_query_too_long),
		cmocka_unit_test(test_new_usage_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
