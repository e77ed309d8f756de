/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of screencare.c: parsing the display_off window, windows that
 * wrap past midnight, local time across a clock change, an unset clock, and
 * the burn-in shift's steps and bounds.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include <cmocka.h>

#include <siteboard/sbtime.h>

#include "screencare.h"

static int64_t at(const char *rfc3339)
{
	int64_t ms = 0;

	assert_int_equal(sbtime_parse(rfc3339, &ms), 0);
	return ms;
}

static void test_parse(void **state)
{
	struct screencare_off off;

	(void)state;
	assert_int_equal(screencare_parse_off("23:00-06:00", &off), 0);
	assert_true(off.set);
	assert_int_equal(off.from_min, 23 * 60);
	assert_int_equal(off.to_min, 6 * 60);
	assert_int_equal(screencare_parse_off("00:00-24:00", &off), -EINVAL); /* all day */
	assert_int_equal(screencare_parse_off("19:30-24:00", &off), 0);
	assert_int_equal(off.to_min, 0);
	assert_int_equal(screencare_parse_off(NULL, &off), 0);
	assert_false(off.set);
	assert_int_equal(screencare_parse_off("", &off), 0);
	assert_false(off.set);
	assert_int_equal(screencare_parse_off("none", &off), 0);
	assert_false(off.set);
	assert_int_equal(screencare_parse_off("23:00", &off), -EINVAL);
	assert_int_equal(screencare_parse_off("23:00-6:00", &off), -EINVAL);
	assert_int_equal(screencare_parse_off("24:00-06:00", &off), -EINVAL);
	assert_int_equal(screencare_parse_off("23:60-06:00", &off), -EINVAL);
	assert_int_equal(screencare_parse_off("23:00-06:00 ", &off), -EINVAL);
	assert_int_equal(screencare_parse_off("06:00-06:00", &off), -EINVAL);
	assert_int_equal(screencare_parse_off("ab:cd-ef:gh", &off), -EINVAL);
}

static void test_window(void **state)
{
	struct screencare_off night, lunch, none = {false, 0, 0};

	(void)state;
	assert_int_equal(screencare_parse_off("23:00-06:00", &night), 0);
	assert_false(screencare_off_at(&night, 22 * 60 + 59));
	assert_true(screencare_off_at(&night, 23 * 60));
	assert_true(screencare_off_at(&night, 0));
	assert_true(screencare_off_at(&night, 5 * 60 + 59));
	assert_false(screencare_off_at(&night, 6 * 60));
	assert_false(screencare_off_at(&night, 12 * 60));
	assert_int_equal(screencare_parse_off("12:00-13:30", &lunch), 0);
	assert_false(screencare_off_at(&lunch, 11 * 60 + 59));
	assert_true(screencare_off_at(&lunch, 12 * 60));
	assert_true(screencare_off_at(&lunch, 13 * 60 + 29));
	assert_false(screencare_off_at(&lunch, 13 * 60 + 30));
	assert_false(screencare_off_at(&none, 0));
}

static void test_local_time(void **state)
{
	struct screencare_off night;

	(void)state;
	setenv("TZ", "Europe/London", 1);
	tzset();
	assert_int_equal(screencare_parse_off("23:00-06:00", &night), 0);
	/* winter: UTC == local */
	assert_false(screencare_is_off(&night, at("2026-11-25T22:59:00Z")));
	assert_true(screencare_is_off(&night, at("2026-11-25T23:00:00Z")));
	assert_true(screencare_is_off(&night, at("2026-11-26T05:59:59Z")));
	assert_false(screencare_is_off(&night, at("2026-11-26T06:00:00Z")));
	/* summer: BST is UTC+1, so 22:00Z is 23:00 local */
	assert_true(screencare_is_off(&night, at("2026-07-01T22:00:00Z")));
	assert_false(screencare_is_off(&night, at("2026-07-01T05:00:00Z")));
	/* an unset clock never blanks */
	assert_false(screencare_is_off(&night, at("1970-01-01T23:30:00Z")));
	unsetenv("TZ");
	tzset();
}

static void test_shift(void **state)
{
	int dx = 99, dy = 99, moves = 0, px = 0, py = 0;

	(void)state;
	screencare_shift(0, &dx, &dy);
	assert_int_equal(dx, 0);
	assert_int_equal(dy, 0);
	screencare_shift(SCREENCARE_SHIFT_PERIOD_MS - 1, &dx, &dy);
	assert_int_equal(dx, 0);
	assert_int_equal(dy, 0);
	screencare_shift(-5, &dx, &dy);
	assert_int_equal(dx, 0);
	for (int64_t t = 0; t < 48 * INT64_C(3600000); t += SCREENCARE_SHIFT_PERIOD_MS) {
		screencare_shift(t, &dx, &dy);
		assert_true(abs(dx) <= SCREENCARE_SHIFT_MAX_PX);
		assert_true(abs(dy) <= SCREENCARE_SHIFT_MAX_PX);
		if (t > 0 && (dx != px || dy != py))
			moves++;
		px = dx;
		py = dy;
	}
	/* it moves at every step */
	assert_int_equal(moves, 48 * 60 / 3 - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_local_time),
		cmocka_unit_test(test_shift),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
