/* SPDX-License-Identifier: MIT */
/* Unit tests of topic names and id validation. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "siteboard/topic.h"

static void test_ids(void **state)
{
	(void)state;
	assert_true(topic_id_valid("tower-a"));
	assert_true(topic_id_valid("a"));
	assert_true(topic_id_valid("0123456789012345678901234567890123456789"));
	assert_false(topic_id_valid("01234567890123456789012345678901234567890"));
	assert_false(topic_id_valid(""));
	assert_false(topic_id_valid(NULL));
	assert_false(topic_id_valid("Tower-A"));
	assert_false(topic_id_valid("a/b"));
	assert_false(topic_id_valid("+"));
	assert_false(topic_id_valid("#"));
	assert_false(topic_id_valid("a b"));
	assert_false(topic_id_valid("a_b"));
}

static void test_topics(void **state)
{
	char t[TOPIC_MAX];
	char small[16];

	(void)state;
	assert_int_equal(topic_board(t, sizeof(t), "barton-hill", "tower-a"), 0);
	assert_string_equal(t, "siteboard/barton-hill/tower-a/board");
	assert_int_equal(topic_kiosk_status(t, sizeof(t), "s", "b", "k1"), 0);
	assert_string_equal(t, "siteboard/s/b/kiosk/k1/status");
	assert_int_equal(topic_kiosk_cmd(t, sizeof(t), "s", "b", "k1"), 0);
	assert_string_equal(t, "siteboard/s/b/kiosk/k1/cmd");
	assert_int_equal(topic_sensor(t, sizeof(t), "s", "b", "gate-1", "door"), 0);
	assert_string_equal(t, "siteboard/s/b/sensor/gate-1/door");
	assert_int_equal(topic_sensor(t, sizeof(t), "s", "b", "gate-1", "smell"), -EINVAL);
	assert_int_equal(topic_alerts(t, sizeof(t), "s"), 0);
	assert_string_equal(t, "siteboard/s/alerts");
	assert_int_equal(topic_all_boards(t, sizeof(t), "s"), 0);
	assert_string_equal(t, "siteboard/s/+/board");
	assert_int_equal(topic_board(t, sizeof(t), "s", "#"), -EINVAL);
	assert_int_equal(topic_board(t, sizeof(t), "s/x", "b"), -EINVAL);
	assert_int_equal(topic_board(small, sizeof(small), "site", "block"), -ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_topics),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
