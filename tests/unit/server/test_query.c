/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of query.c: finding a key, percent-decoding, the bounds of the
 * output buffer, whole numbers and RFC 3339 times, and malformed input.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "http/query.h"

static void test_get(void **state)
{
	char v[QUERY_VALUE_MAX];

	(void)state;
	assert_int_equal(query_get("sensor=lg-7&limit=10", "sensor", v, sizeof(v)), 1);
	assert_string_equal(v, "lg-7");
	assert_int_equal(query_get("sensor=lg-7&limit=10", "limit", v, sizeof(v)), 1);
	assert_string_equal(v, "10");
	/* a key is matched whole, never as a prefix or a suffix */
	assert_int_equal(query_get("limits=1&xlimit=2", "limit", v, sizeof(v)), 0);
	assert_int_equal(query_get("limit", "limit", v, sizeof(v)), 0);
	assert_int_equal(query_get("", "limit", v, sizeof(v)), 0);
	assert_int_equal(query_get(NULL, "limit", v, sizeof(v)), 0);
	/* the first of two wins; an empty value is found */
	assert_int_equal(query_get("a=1&a=2", "a", v, sizeof(v)), 1);
	assert_string_equal(v, "1");
	assert_int_equal(query_get("a=&b=2", "a", v, sizeof(v)), 1);
	assert_string_equal(v, "");
	assert_int_equal(query_get("a=1&&b=2", "b", v, sizeof(v)), 1);
	assert_string_equal(v, "2");
}

static void test_decode(void **state)
{
	char v[QUERY_VALUE_MAX];

	(void)state;
	assert_int_equal(query_get("from=2026-11-23T10%3A00%3A00Z", "from", v, sizeof(v)), 1);
	assert_string_equal(v, "2026-11-23T10:00:00Z");
	assert_int_equal(query_get("q=a+b%2Bc%2fd", "q", v, sizeof(v)), 1);
	assert_string_equal(v, "a b+c/d");
	assert_int_equal(query_get("q=%C3%A9", "q", v, sizeof(v)), 1);
	assert_string_equal(v, "\xc3\xa9");
	/* bad escapes and an encoded NUL */
	assert_int_equal(query_get("q=%", "q", v, sizeof(v)), -EINVAL);
	assert_int_equal(query_get("q=%4", "q", v, sizeof(v)), -EINVAL);
	assert_int_equal(query_get("q=%4&r=1", "q", v, sizeof(v)), -EINVAL);
	assert_int_equal(query_get("q=%zz", "q", v, sizeof(v)), -EINVAL);
	assert_int_equal(query_get("q=a%00b", "q", v, sizeof(v)), -EINVAL);
	/* a bad value elsewhere does not matter */
	assert_int_equal(query_get("q=%zz&r=1", "r", v, sizeof(v)), 1);
}

static void test_bounds(void **state)
{
	char v[4];
	char big[QUERY_VALUE_MAX + 16];

	(void)state;
	assert_int_equal(query_get("k=abc", "k", v, sizeof(v)), 1);
	assert_string_equal(v, "abc");
	assert_int_equal(query_get("k=abcd", "k", v, sizeof(v)), -EINVAL);
	assert_int_equal(query_get("k=%41%42%43%44", "k", v, sizeof(v)), -EINVAL);
	memset(big, 'x', sizeof(big));
	memcpy(big, "k=", 2);
	big[sizeof(big) - 1] = '\0';
	{
		char w[QUERY_VALUE_MAX];

		assert_int_equal(query_get(big, "k", w, sizeof(w)), -EINVAL);
	}
}

static void test_int(void **state)
{
	int64_t n = 42;

	(void)state;
	assert_int_equal(query_int("limit=10", "limit", 1, 1000, &n), 1);
	assert_int_equal(n, 10);
	n = 42;
	assert_int_equal(query_int("offset=0", "limit", 1, 1000, &n), 0);
	assert_int_equal(n, 42); /* absent: untouched */
	assert_int_equal(query_int("limit=0", "limit", 1, 1000, &n), -EINVAL);
	assert_int_equal(query_int("limit=1001", "limit", 1, 1000, &n), -EINVAL);
	assert_int_equal(query_int("limit=1000", "limit", 1, 1000, &n), 1);
	assert_int_equal(n, 1000);
	assert_int_equal(query_int("limit=", "limit", 0, 10, &n), -EINVAL);
	assert_int_equal(query_int("limit=1x", "limit", 0, 10, &n), -EINVAL);
	assert_int_equal(query_int("limit=ten", "limit", 0, 10, &n), -EINVAL);
	assert_int_equal(query_int("limit=-3", "limit", -5, 10, &n), 1);
	assert_int_equal(n, -3);
	assert_int_equal(query_int("o=99999999999999999999", "o", 0, INT64_MAX, &n), -EINVAL);
	assert_int_equal(query_int("o=9223372036854775807", "o", 0, INT64_MAX, &n), 1);
	assert_int_equal(n, INT64_MAX);
	assert_int_equal(query_int("o=%zz", "o", 0, 10, &n), -EINVAL);
}

static void test_time(void **state)
{
	int64_t t = -1;

	(void)state;
	assert_int_equal(query_time("from=1970-01-01T00:00:01Z", "from", &t), 1);
	assert_int_equal(t, 1000);
	assert_int_equal(query_time("from=2026-11-23T10%3A00%3A00%2B01%3A00", "from", &t), 1);
	assert_int_equal(t, 1795424400000LL);
	t = -1;
	assert_int_equal(query_time("to=x", "from", &t), 0);
	assert_int_equal(t, -1);
	assert_int_equal(query_time("from=yesterday", "from", &t), -EINVAL);
	assert_int_equal(query_time("from=", "from", &t), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_get),    cmocka_unit_test(test_decode),
		cmocka_unit_test(test_bounds), cmocka_unit_test(test_int),
		cmocka_unit_test(test_time),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
