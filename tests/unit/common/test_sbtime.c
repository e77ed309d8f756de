/* SPDX-License-Identifier: MIT */
/* Unit tests of RFC 3339 instants, dates and clock times. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "siteboard/sbtime.h"

static void test_parse_known(void **state)
{
	int64_t ms;

	(void)state;
	assert_int_equal(sbtime_parse("1970-01-01T00:00:00Z", &ms), 0);
	assert_int_equal(ms, 0);
	assert_int_equal(sbtime_parse("2026-11-25T18:02:11.250Z", &ms), 0);
	assert_int_equal(ms, INT64_C(1795629731250));
	assert_int_equal(sbtime_parse("2026-11-25T19:02:11.250+01:00", &ms), 0);
	assert_int_equal(ms, INT64_C(1795629731250));
	assert_int_equal(sbtime_parse("2026-11-25t17:02:11.2509-01:00", &ms), 0);
	assert_int_equal(ms, INT64_C(1795629731250));
	assert_int_equal(sbtime_parse("2024-02-29T12:00:00z", &ms), 0);
	assert_int_equal(sbtime_parse("2016-12-31T23:59:60Z", &ms), 0);
}

static void test_parse_bad(void **state)
{
	static const char *const bad[] = {
		"", "2026-11-25", "2026-11-25T18:02:11", "2026-11-25 18:02:11Z",
		"2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z", "2026-11-31T00:00:00Z",
		"2026-11-25T24:00:00Z", "2026-11-25T18:60:00Z", "2026-11-25T18:02:11.Z",
		"2026-11-25T18:02:11+0100", "2026-11-25T18:02:11+01:00x", "1969-12-31T23:59:59Z",
		"1970-01-01T00:30:00+01:00", "2026-11-25T18:02:11ZZ", "20261125T180211Z",
		"+2026-11-25T18:02:11Z", "2026-1-25T18:02:11Z",
	};
	int64_t ms = 7;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (sbtime_parse(bad[i], &ms) != -EINVAL)
			fail_msg("accepted '%s'", bad[i]);
	}
	assert_int_equal(sbtime_parse(NULL, &ms), -EINVAL);
	assert_int_equal(ms, 7);
}

static void test_format(void **state)
{
	char buf[SBTIME_BUFSZ];
	char small[10];
	int64_t back;

	(void)state;
	assert_int_equal(sbtime_format(INT64_C(1795629731250), buf, sizeof(buf)), 0);
	assert_string_equal(buf, "2026-11-25T18:02:11.250Z");
	assert_int_equal(sbtime_format(INT64_C(1795629731000), buf, sizeof(buf)), 0);
	assert_string_equal(buf, "2026-11-25T18:02:11Z");
	assert_int_equal(sbtime_format(-1, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(sbtime_format(0, small, sizeof(small)), -ENOSPC);
	/* Round trip over a spread of instants, leap days included. */
	for (int64_t t = 0; t < INT64_C(4102444800000); t += INT64_C(86400000) * 37 + 12345) {
		assert_int_equal(sbtime_format(t, buf, sizeof(buf)), 0);
		assert_int_equal(sbtime_parse(buf, &back), 0);
		assert_int_equal(back, t);
	}
}

static void test_dates(void **state)
{
	int y, m, d;

	(void)state;
	assert_int_equal(sbtime_parse_date("2028-02-29", &y, &m, &d), 0);
	assert_int_equal(y * 10000 + m * 100 + d, 20280229);
	assert_int_equal(sbtime_parse_date("2027-02-29", &y, &m, &d), -EINVAL);
	assert_int_equal(sbtime_parse_date("2100-02-29", &y, &m, &d), -EINVAL);
	assert_int_equal(sbtime_parse_date("2000-02-29", &y, &m, &d), 0);
	assert_int_equal(sbtime_parse_date("2026-11-30 ", &y, &m, &d), -EINVAL);
	assert_int_equal(sbtime_parse_date("2026-00-10", &y, &m, &d), -EINVAL);
	assert_int_equal(sbtime_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(sbtime_days_from_civil(2026, 11, 25), 20782);
	sbtime_civil_from_days(20782, &y, &m, &d);
	assert_int_equal(y * 10000 + m * 100 + d, 20261125);
	for (int64_t day = -1000; day < 100000; day += 7) {
		sbtime_civil_from_days(day, &y, &m, &d);
		assert_int_equal(sbtime_days_from_civil(y, m, d), day);
	}
}

static void test_hhmm(void **state)
{
	int min;

	(void)state;
	assert_int_equal(sbtime_parse_hhmm("08:00", &min), 0);
	assert_int_equal(min, 480);
	assert_int_equal(sbtime_parse_hhmm("24:00", &min), 0);
	assert_int_equal(min, 1440);
	assert_int_equal(sbtime_parse_hhmm("24:01", &min), -EINVAL);
	assert_int_equal(sbtime_parse_hhmm("8:00", &min), -EINVAL);
	assert_int_equal(sbtime_parse_hhmm("08:60", &min), -EINVAL);
	assert_int_equal(sbtime_parse_hhmm("08:00pm", &min), -EINVAL);
}

static void test_clocks(void **state)
{
	int64_t a = sbtime_mono_ms();

	(void)state;
	assert_true(sbtime_now_ms() > INT64_C(1700000000000));
	assert_true(sbtime_mono_ms() >= a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_known), cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_format),      cmocka_unit_test(test_dates),
		cmocka_unit_test(test_hhmm),        cmocka_unit_test(test_clocks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
