/* SPDX-License-Identifier: MIT */
/* buf: append, printf, the maximum and its sticky error, taking the result. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "siteboard/buf.h"

static void test_append_take(void **state)
{
	struct buf b;
	char *s = NULL;
	size_t len = 0;

	(void)state;
	buf_init(&b, 100);
	buf_puts(&b, "tower");
	buf_append(&b, "-a\0x", 2);
	buf_printf(&b, " %d/%s", 42, "ok");
	buf_puts(&b, NULL);
	assert_int_equal(buf_err(&b), 0);
	assert_int_equal(buf_take(&b, &s, &len), 0);
	assert_string_equal(s, "tower-a 42/ok");
	assert_int_equal(len, strlen("tower-a 42/ok"));
	free(s);
	/* empty afterwards, reusable; an empty buffer gives "" */
	assert_int_equal(buf_take(&b, &s, NULL), 0);
	assert_string_equal(s, "");
	free(s);
	buf_release(&b);
	buf_release(NULL);
}

static void test_long_printf(void **state)
{
	struct buf b;
	char big[3000];
	char *s = NULL;

	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	buf_init(&b, 10000);
	buf_printf(&b, "<%s>", big);
	buf_printf(&b, "<%s>", big);
	assert_int_equal(buf_take(&b, &s, NULL), 0);
	assert_int_equal(strlen(s), 2 * (sizeof(big) + 1));
	assert_int_equal(s[0], '<');
	assert_int_equal(s[sizeof(big)], '>');
	free(s);
}

static void test_maximum_is_sticky(void **state)
{
	struct buf b;
	char *s = (char *)"x";

	(void)state;
	buf_init(&b, 8);
	buf_puts(&b, "12345678");
	assert_int_equal(buf_err(&b), 0);
	assert_int_equal(b.len, 8);
	buf_puts(&b, "9");
	assert_int_equal(buf_err(&b), -E2BIG);
	/* later small writes are ignored too: the document is incomplete */
	buf_puts(&b, "");
	buf_printf(&b, "%s", "");
	assert_int_equal(buf_reserve(&b, 0), -E2BIG);
	assert_int_equal(buf_take(&b, &s, NULL), -E2BIG);
	assert_null(s);
	/* released: usable again */
	buf_puts(&b, "ab");
	assert_int_equal(buf_take(&b, &s, NULL), 0);
	assert_string_equal(s, "ab");
	free(s);
}

static void test_printf_over_max(void **state)
{
	struct buf b;
	char *s = NULL;

	(void)state;
	buf_init(&b, 600);
	buf_printf(&b, "%0700d", 1);
	assert_int_equal(buf_err(&b), -E2BIG);
	assert_int_equal(buf_take(&b, &s, NULL), -E2BIG);
	assert_null(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_append_take),
		cmocka_unit_test(test_long_printf),
		cmocka_unit_test(test_maximum_is_sticky),
		cmocka_unit_test(test_printf_over_max),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
