/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of tzone.c (the zone set is the one localtime_r then uses, a
 * change is told from the same zone) and status.c (the status payload, its
 * shown_at through common's sbtime_format).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <jansson.h>

#include <siteboard/sbtime.h>

#include "status.h"
#include "tzone.h"

static int local_hour(const char *rfc3339)
{
	int64_t ms = 0;
	time_t t;
	struct tm tm;

	assert_int_equal(sbtime_parse(rfc3339, &ms), 0);
	t = (time_t)(ms / 1000);
	assert_non_null(localtime_r(&t, &tm));
	return tm.tm_hour;
}

static void test_tzone(void **state)
{
	(void)state;
	/* nothing applied yet: any zone is a change, none is not */
	assert_true(tzone_differs("Europe/London"));
	assert_false(tzone_differs(NULL));
	assert_false(tzone_differs(""));

	assert_int_equal(tzone_apply("America/New_York"), 0);
	assert_int_equal(local_hour("2026-01-15T12:00:00Z"), 7);
	assert_false(tzone_differs("America/New_York"));
	assert_true(tzone_differs("Europe/London"));

	assert_int_equal(tzone_apply("Europe/London"), 0);
	assert_int_equal(local_hour("2026-07-15T12:00:00Z"), 13); /* BST */
	assert_int_equal(local_hour("2026-01-15T12:00:00Z"), 12);
	assert_false(tzone_differs("Europe/London"));
	assert_true(tzone_differs("America/New_York"));

	/* refused: the zone stays */
	assert_int_equal(tzone_apply(NULL), -EINVAL);
	assert_int_equal(tzone_apply(""), -EINVAL);
	assert_false(tzone_differs("Europe/London"));
}

static void test_status(void **state)
{
	char buf[STATUS_BUFSZ];
	json_t *j = NULL;
	json_error_t err;
	int64_t ms = 0, back = 0;

	(void)state;
	assert_int_equal(sbtime_parse("2026-11-25T18:02:11.250Z", &ms), 0);
	assert_int_equal(status_format(42, ms, false, buf, sizeof(buf)), 0);
	j = json_loads(buf, 0, &err);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "state")), "online");
	assert_int_equal(json_integer_value(json_object_get(j, "board_version")), 42);
	assert_string_equal(json_string_value(json_object_get(j, "display")), "on");
	assert_string_equal(json_string_value(json_object_get(j, "shown_at")),
			    "2026-11-25T18:02:11.250Z");
	assert_int_equal(sbtime_parse(json_string_value(json_object_get(j, "shown_at")), &back),
			 0);
	assert_true(back == ms);
	assert_non_null(json_string_value(json_object_get(j, "version")));
	json_decref(j);

	assert_int_equal(status_format(0, ms - 250, true, buf, sizeof(buf)), 0);
	j = json_loads(buf, 0, &err);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "display")), "off-by-schedule");
	assert_string_equal(json_string_value(json_object_get(j, "shown_at")),
			    "2026-11-25T18:02:11Z");
	json_decref(j);

	assert_int_equal(status_format(1, ms, false, buf, STATUS_BUFSZ - 1), -ENOSPC);
	assert_int_equal(status_format(1, -1, false, buf, sizeof(buf)), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tzone),
		cmocka_unit_test(test_status),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
