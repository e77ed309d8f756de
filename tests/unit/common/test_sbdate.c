/* SPDX-License-Identifier: MIT */
/*
 * sbdate: real dates only, day arithmetic, and local midnights in
 * Europe/London on both clock-change days of 2026 (23 and 25 hours).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include <cmocka.h>

#include "siteboard/sbdate.h"
#include "siteboard/sbtime.h"

static int64_t utc(const char *s)
{
	int64_t ms = 0;

	assert_int_equal(sbtime_parse(s, &ms), 0);
	return ms;
}

static void test_valid(void **state)
{
	struct sbdate d;

	(void)state;
	assert_true(sbdate_valid((struct sbdate){2024, 2, 29}));
	assert_false(sbdate_valid((struct sbdate){2026, 2, 29}));
	assert_false(sbdate_valid((struct sbdate){2026, 2, 31}));
	assert_false(sbdate_valid((struct sbdate){2026, 4, 31}));
	assert_false(sbdate_valid((struct sbdate){2026, 13, 1}));
	assert_false(sbdate_valid((struct sbdate){1969, 12, 31}));
	assert_int_equal(sbdate_parse("2026-02-31", &d), -EINVAL);
	assert_int_equal(sbdate_parse("2026-3-29", &d), -EINVAL);
	assert_int_equal(sbdate_parse("2026-03-29x", &d), -EINVAL);
	assert_int_equal(sbdate_parse("", &d), -EINVAL);
	assert_int_equal(sbdate_parse(NULL, &d), -EINVAL);
	assert_int_equal(sbdate_parse("2026-03-29", &d), 0);
	assert_int_equal(d.year, 2026);
	assert_int_equal(d.month, 3);
	assert_int_equal(d.day, 29);
}

static void test_weekday_add(void **state)
{
	struct sbdate d;

	(void)state;
	assert_int_equal(sbdate_weekday((struct sbdate){1970, 1, 1}), 3);  /* Thursday */
	assert_int_equal(sbdate_weekday((struct sbdate){2026, 3, 29}), 6); /* Sunday */
	assert_int_equal(sbdate_weekday((struct sbdate){2026, 12, 2}), 2); /* Wednesday */
	d = sbdate_add_days((struct sbdate){2026, 2, 28}, 1);
	assert_int_equal(d.month, 3);
	assert_int_equal(d.day, 1);
	d = sbdate_add_days((struct sbdate){2024, 2, 28}, 1);
	assert_int_equal(d.day, 29);
	d = sbdate_add_days((struct sbdate){2026, 1, 1}, -1);
	assert_int_equal(d.year, 2025);
	assert_int_equal(d.month, 12);
	assert_int_equal(d.day, 31);
}

static void test_london_spring(void **state)
{
	int64_t s = 0, e = 0, t = 0;

	(void)state;
	/* 2026-03-29: clocks go forward at 01:00 GMT; the day has 23 hours. */
	assert_int_equal(sbdate_local_day_ms((struct sbdate){2026, 3, 29}, &s, &e), 0);
	assert_true(s == utc("2026-03-29T00:00:00Z"));
	assert_true(e == utc("2026-03-29T23:00:00Z"));
	assert_true(e - s == INT64_C(23) * 3600 * 1000);
	/* 01:30 does not exist: the first instant after the gap (02:00 BST). */
	assert_int_equal(sbdate_local_ms((struct sbdate){2026, 3, 29}, 90, &t), 0);
	assert_true(t == utc("2026-03-29T01:00:00Z"));
	assert_int_equal(sbdate_local_ms((struct sbdate){2026, 3, 29}, 8 * 60, &t), 0);
	assert_true(t == utc("2026-03-29T07:00:00Z"));
	assert_int_equal(sbdate_local_ms((struct sbdate){2026, 3, 29}, 1441, &t), -EINVAL);
	assert_int_equal(sbdate_local_midnight_ms((struct sbdate){2026, 2, 31}, &t), -EINVAL);
}

static void test_london_autumn(void **state)
{
	int64_t s = 0, e = 0, t = 0;
	struct sbdate d;

	(void)state;
	/* 2026-10-25: clocks go back at 02:00 BST; the day has 25 hours. */
	assert_int_equal(sbdate_local_day_ms((struct sbdate){2026, 10, 25}, &s, &e), 0);
	assert_true(s == utc("2026-10-24T23:00:00Z"));
	assert_true(e == utc("2026-10-26T00:00:00Z"));
	assert_true(e - s == INT64_C(25) * 3600 * 1000);
	/* 01:30 happens twice: the first time (BST). */
	assert_int_equal(sbdate_local_ms((struct sbdate){2026, 10, 25}, 90, &t), 0);
	assert_true(t == utc("2026-10-25T00:30:00Z"));
	/* Both 01:30s are on the 25th; 23:30Z the night before is too. */
	assert_int_equal(sbdate_local_date(utc("2026-10-25T01:30:00Z"), &d), 0);
	assert_int_equal(d.day, 25);
	assert_int_equal(sbdate_local_date(utc("2026-10-24T23:30:00Z"), &d), 0);
	assert_int_equal(d.day, 25);
	assert_int_equal(sbdate_local_date(utc("2026-10-24T22:59:59Z"), &d), 0);
	assert_int_equal(d.day, 24);
	assert_int_equal(sbdate_local_date(utc("2026-10-25T23:59:59Z"), &d), 0);
	assert_int_equal(d.day, 25);
	assert_int_equal(sbdate_local_date(utc("2026-10-26T00:00:00Z"), &d), 0);
	assert_int_equal(d.day, 26);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_weekday_add),
		cmocka_unit_test(test_london_spring),
		cmocka_unit_test(test_london_autumn),
	};

	/* The zone is set once, at start-up, as a program does. */
	setenv("TZ", "Europe/London", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
