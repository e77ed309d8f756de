/* SPDX-License-Identifier: MIT */
/* parse_int64/parse_int: the strict grammar, ranges and the int64 limits. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "siteboard/parse.h"

static void test_good(void **state)
{
	int64_t v = 0;
	int i = 0;

	(void)state;
	assert_int_equal(parse_int64("0", 0, 10, &v), 0);
	assert_true(v == 0);
	assert_int_equal(parse_int64("007", 0, 10, &v), 0);
	assert_true(v == 7);
	assert_int_equal(parse_int64("-42", -100, 100, &v), 0);
	assert_true(v == -42);
	assert_int_equal(parse_int64("9223372036854775807", INT64_MIN, INT64_MAX, &v), 0);
	assert_true(v == INT64_MAX);
	assert_int_equal(parse_int64("-9223372036854775808", INT64_MIN, INT64_MAX, &v), 0);
	assert_true(v == INT64_MIN);
	assert_int_equal(parse_int("65535", 1, 65535, &i), 0);
	assert_int_equal(i, 65535);
}

static void test_bad(void **state)
{
	static const char *const bad[] = {"",   "-",  "+1", " 1", "1 ", "1x", "0x10",
					  "1.5", "--1", "1-", "\t1", "١"};
	int64_t v = 99;

	(void)state;
	assert_int_equal(parse_int64(NULL, 0, 10, &v), -EINVAL);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(parse_int64(bad[i], INT64_MIN, INT64_MAX, &v), -EINVAL);
	/* junk after an overflowing number is junk, not a range error */
	assert_int_equal(parse_int64("99999999999999999999x", INT64_MIN, INT64_MAX, &v), -EINVAL);
	assert_true(v == 99);
}

static void test_range(void **state)
{
	int64_t v = 99;
	int i = 99;

	(void)state;
	assert_int_equal(parse_int64("11", 0, 10, &v), -ERANGE);
	assert_int_equal(parse_int64("-1", 0, 10, &v), -ERANGE);
	assert_int_equal(parse_int64("9223372036854775808", INT64_MIN, INT64_MAX, &v), -ERANGE);
	assert_int_equal(parse_int64("-9223372036854775809", INT64_MIN, INT64_MAX, &v), -ERANGE);
	assert_int_equal(parse_int64("99999999999999999999", INT64_MIN, INT64_MAX, &v), -ERANGE);
	assert_true(v == 99);
	assert_int_equal(parse_int("65536", 1, 65535, &i), -ERANGE);
	assert_int_equal(parse_int("0", 1, 65535, &i), -ERANGE);
	assert_int_equal(i, 99);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_range),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
