/* SPDX-License-Identifier: MIT */
/* Unit tests of logging: level names, filtering, one line per message. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "siteboard/log.h"

static void test_levels(void **state)
{
	enum log_level l;

	(void)state;
	assert_int_equal(log_level_parse("debug", &l), 0);
	assert_int_equal(l, LOG_LEVEL_DEBUG);
	assert_int_equal(log_level_parse("warn", &l), 0);
	assert_int_equal(l, LOG_LEVEL_WARN);
	assert_int_equal(log_level_parse("loud", &l), -EINVAL);
	assert_int_equal(log_level_parse(NULL, &l), -EINVAL);
}

static void test_output(void **state)
{
	char buf[4096] = "";
	FILE *f = tmpfile();
	FILE *saved;
	size_t n;

	(void)state;
	assert_non_null(f);
	saved = stderr;
	stderr = f;
	log_init("test-prog");
	log_set_level(LOG_LEVEL_INFO);
	log_info("hello %d\nsecond line", 42);
	log_debug("dropped");
	log_error("bad thing");
	fflush(f);
	stderr = saved;
	rewind(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	assert_non_null(strstr(buf, "test-prog["));
	assert_non_null(strstr(buf, "info: hello 42 second line\n"));
	assert_non_null(strstr(buf, "error: bad thing\n"));
	assert_null(strstr(buf, "dropped"));
	assert_non_null(strstr(buf, "Z test-prog"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_levels),
		cmocka_unit_test(test_output),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
