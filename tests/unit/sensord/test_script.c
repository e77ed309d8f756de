/* SPDX-License-Identifier: MIT */
/* Unit tests of the scripted-events parser: good lines and every kind of bad line. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "script.h"

static int parse(const char *s, struct script_cmd *c, char *err)
{
	return script_parse(s, strlen(s), c, err, 160);
}

static void test_good_lines(void **state)
{
	struct script_cmd c;
	char err[160];

	(void)state;
	assert_int_equal(
		parse("{\"sensor\":\"gate-1\",\"state\":\"open\",\"ts\":\"2026-11-25T18:02:11Z\"}\n", &c,
		      err),
		0);
	assert_int_equal(c.kind, SCRIPT_DOOR);
	assert_string_equal(c.sensor, "gate-1");
	assert_true(c.open);
	assert_true(c.has_ts);
	assert_int_equal(c.ts_ms, INT64_C(1795629731000));
	assert_int_equal(parse("{\"state\":\"closed\",\"sensor\":\"s\"}", &c, err), 0);
	assert_false(c.open);
	assert_false(c.has_ts);
	assert_int_equal(parse("{\"sleep_ms\":500}", &c, err), 0);
	assert_int_equal(c.kind, SCRIPT_SLEEP);
	assert_int_equal(c.sleep_ms, 500);
	assert_int_equal(parse("", &c, err), -ENODATA);
	assert_int_equal(parse("   \r\n", &c, err), -ENODATA);
	assert_int_equal(parse("# a comment", &c, err), -ENODATA);
}

static void test_bad_lines(void **state)
{
	static const struct {
		const char *line;
		const char *why;
	} bad[] = {
		{"nonsense", "not JSON"},
		{"[1,2]", "must be a JSON object"},
		{"{\"sensor\":\"Gate\",\"state\":\"open\"}", "sensor:"},
		{"{\"sensor\":\"g\",\"state\":\"ajar\"}", "state:"},
		{"{\"sensor\":\"g\"}", "state:"},
		{"{\"sensor\":\"g\",\"state\":\"open\",\"ts\":\"yesterday\"}", "ts:"},
		{"{\"sensor\":\"g\",\"state\":\"open\",\"extra\":1}", "unknown field"},
		{"{\"sensor\":\"g\",\"sensor\":\"h\",\"state\":\"open\"}", "not JSON"},
		{"{\"sleep_ms\":-1}", "sleep_ms:"},
		{"{\"sleep_ms\":1.5}", "sleep_ms:"},
		{"{\"sleep_ms\":5,\"sensor\":\"g\"}", "sleep_ms:"},
	};
	struct script_cmd c;
	char err[160];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse(bad[i].line, &c, err), -EINVAL);
		if (!strstr(err, bad[i].why))
			fail_msg("%s: got '%s', want '%s'", bad[i].line, err, bad[i].why);
	}
}

static void test_long_line(void **state)
{
	static char line[SCRIPT_LINE_MAX + 10];
	struct script_cmd c;
	char err[160];

	(void)state;
	memset(line, ' ', sizeof(line) - 1);
	line[0] = '{';
	line[sizeof(line) - 2] = '}';
	assert_int_equal(script_parse(line, sizeof(line) - 1, &c, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "longer than"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_lines),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_long_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
