/* SPDX-License-Identifier: MIT */
/* Unit tests of the sensor payload codec: DESIGN.md examples, round trips, bad input. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "siteboard/event.h"
#include "siteboard/sbtime.h"

#define DEC(fn, s, out) fn((s), strlen(s), (out), err, sizeof(err))

static void test_door(void **state)
{
	const char *s = "{\"seq\":7,\"ts\":\"2026-11-25T18:02:11.250Z\",\"state\":\"open\",\"extra\":1}";
	struct event_door e;
	struct event_door back;
	char err[200] = "";
	char buf[256];
	int64_t t;

	(void)state;
	assert_int_equal(DEC(event_door_decode, s, &e), 0);
	assert_int_equal(e.seq, 7);
	assert_true(e.open);
	assert_int_equal(sbtime_parse("2026-11-25T18:02:11.250Z", &t), 0);
	assert_int_equal(e.ts_ms, t);
	assert_true(event_door_encode(&e, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "{\"seq\":7,\"ts\":\"2026-11-25T18:02:11.250Z\",\"state\":\"open\"}");
	assert_int_equal(DEC(event_door_decode, buf, &back), 0);
	assert_memory_equal(&back, &e, sizeof(e));
	assert_int_equal(event_door_encode(&e, buf, 10), -ENOSPC);
	e.seq = -1;
	assert_int_equal(event_door_encode(&e, buf, sizeof(buf)), -EINVAL);
}

static void test_noise(void **state)
{
	const char *s = "{\"seq\":3,\"ts\":\"2026-11-25T18:00:00Z\",\"period_s\":60,\"laeq\":63.2,"
			"\"lafmax\":78.9,\"la90\":41.0}";
	const char *silent = "{\"seq\":4,\"ts\":\"2026-11-25T18:01:00Z\",\"period_s\":60,\"laeq\":null,"
			     "\"lafmax\":null,\"la90\":null,\"la10\":null}";
	struct event_noise e;
	struct event_noise back;
	char err[200] = "";
	char buf[256];

	(void)state;
	assert_int_equal(DEC(event_noise_decode, s, &e), 0);
	assert_true(e.has_levels);
	assert_false(e.has_la10);
	assert_int_equal(e.period_s, 60);
	assert_true(e.laeq > 63.19 && e.laeq < 63.21);
	assert_true(event_noise_encode(&e, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "{\"seq\":3,\"ts\":\"2026-11-25T18:00:00Z\",\"period_s\":60,\"laeq\":63.2,"
				 "\"lafmax\":78.9,\"la90\":41.0}");
	e.has_la10 = true;
	e.la10 = 66.04;
	assert_true(event_noise_encode(&e, buf, sizeof(buf)) > 0);
	assert_int_equal(DEC(event_noise_decode, buf, &back), 0);
	assert_true(back.has_la10 && back.la10 > 65.99 && back.la10 < 66.01);
	assert_int_equal(DEC(event_noise_decode, silent, &e), 0);
	assert_false(e.has_levels);
	assert_true(event_noise_encode(&e, buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, "\"laeq\":null"));
}

static void test_status(void **state)
{
	struct event_status e;
	char err[200] = "";
	char buf[256];

	(void)state;
	assert_int_equal(DEC(event_status_decode, "{\"state\":\"online\",\"battery_pct\":87,\"fw\":\"1.2\"}", &e), 0);
	assert_true(e.online);
	assert_int_equal(e.battery_pct, 87);
	assert_string_equal(e.fw, "1.2");
	assert_int_equal(DEC(event_status_decode, "{\"state\":\"offline\"}", &e), 0);
	assert_false(e.online);
	assert_int_equal(e.battery_pct, -1);
	assert_string_equal(e.fw, "");
	e.online = true;
	e.battery_pct = 50;
	snprintf(e.fw, sizeof(e.fw), "a\"b");
	assert_true(event_status_encode(&e, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "{\"state\":\"online\",\"battery_pct\":50,\"fw\":\"a\\\"b\"}");
}

static void expect_bad(int (*fn)(const char *, size_t, void *, char *, size_t), const char *s,
		       const char *reason)
{
	union {
		struct event_door d;
		struct event_noise n;
		struct event_status st;
	} out;
	char err[200] = "";

	if (fn(s, strlen(s), &out, err, sizeof(err)) != -EINVAL)
		fail_msg("accepted: %s", s);
	if (strstr(err, reason) == NULL)
		fail_msg("reason for %s is '%s', lacks '%s'", s, err, reason);
}

static int door(const char *s, size_t n, void *out, char *err, size_t err_len)
{
	return event_door_decode(s, n, out, err, err_len);
}

static int noise(const char *s, size_t n, void *out, char *err, size_t err_len)
{
	return event_noise_decode(s, n, out, err, err_len);
}

static int status(const char *s, size_t n, void *out, char *err, size_t err_len)
{
	return event_status_decode(s, n, out, err, err_len);
}

static void test_bad(void **state)
{
	const char *ts = "\"ts\":\"2026-11-25T18:00:00Z\"";
	char s[512];

	(void)state;
	expect_bad(door, "", "not valid JSON");
	expect_bad(door, "[]", "JSON object");
	expect_bad(door, "{\"seq\":1,\"ts\":\"2026-11-25T18:00:00Z\",\"state\":\"ajar\"}", "state");
	expect_bad(door, "{\"seq\":-1,\"ts\":\"2026-11-25T18:00:00Z\",\"state\":\"open\"}", "seq");
	expect_bad(door, "{\"seq\":1.5,\"ts\":\"2026-11-25T18:00:00Z\",\"state\":\"open\"}", "seq");
	expect_bad(door, "{\"seq\":9007199254740992,\"ts\":\"2026-11-25T18:00:00Z\",\"state\":\"open\"}", "seq");
	expect_bad(door, "{\"seq\":1,\"ts\":\"yesterday\",\"state\":\"open\"}", "ts");
	expect_bad(door, "{\"seq\":1,\"seq\":2,\"ts\":\"2026-11-25T18:00:00Z\",\"state\":\"open\"}", "JSON");
	snprintf(s, sizeof(s), "{\"seq\":1,%s,\"period_s\":0,\"laeq\":1,\"lafmax\":1,\"la90\":1}", ts);
	expect_bad(noise, s, "period_s");
	snprintf(s, sizeof(s), "{\"seq\":1,%s,\"period_s\":60,\"laeq\":1e9,\"lafmax\":1,\"la90\":1}", ts);
	expect_bad(noise, s, "laeq");
	snprintf(s, sizeof(s), "{\"seq\":1,%s,\"period_s\":60,\"laeq\":\"63\",\"lafmax\":1,\"la90\":1}", ts);
	expect_bad(noise, s, "laeq");
	snprintf(s, sizeof(s), "{\"seq\":1,%s,\"period_s\":60,\"laeq\":null,\"lafmax\":1,\"la90\":1}", ts);
	expect_bad(noise, s, "all numbers or all null");
	snprintf(s, sizeof(s), "{\"seq\":1,%s,\"period_s\":60,\"lafmax\":1,\"la90\":1}", ts);
	expect_bad(noise, s, "laeq");
	expect_bad(status, "{\"state\":\"asleep\"}", "state");
	expect_bad(status, "{\"state\":\"online\",\"battery_pct\":101}", "battery_pct");
	expect_bad(status, "{\"state\":\"online\",\"fw\":7}", "fw");
}

static void test_too_big(void **state)
{
	static char big[EVENT_MAX_BYTES + 2];
	struct event_door e;
	char err[200];

	(void)state;
	memset(big, ' ', sizeof(big));
	assert_int_equal(event_door_decode(big, sizeof(big), &e, err, sizeof(err)), -E2BIG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_door),  cmocka_unit_test(test_noise),
		cmocka_unit_test(test_status), cmocka_unit_test(test_bad),
		cmocka_unit_test(test_too_big),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
