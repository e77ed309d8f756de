/* SPDX-License-Identifier: MIT */
/* Unit tests of the core door debouncer: bounce, hold time, event time, wrap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sbcore/debounce.h>

static void test_bounce_is_one_event(void **state)
{
	struct debounce d;
	uint32_t at = 0, wait = 0;

	(void)state;
	debounce_init(&d, false, 50, 1000);
	assert_false(debounce_pending(&d, 1000, NULL));
	/* contact bounces 1000..1030 ms, settles open at 1030 */
	assert_false(debounce_update(&d, true, 1010, &at));
	assert_false(debounce_update(&d, false, 1015, &at));
	assert_false(debounce_update(&d, true, 1030, &at));
	assert_true(debounce_pending(&d, 1040, &wait));
	assert_int_equal(wait, 40);
	assert_false(debounce_update(&d, true, 1079, &at));
	assert_true(debounce_update(&d, true, 1080, &at));
	assert_true(d.stable);
	assert_int_equal(at, 1030);
	assert_false(debounce_pending(&d, 1080, NULL));
	/* no second event for the same level */
	assert_false(debounce_update(&d, true, 5000, &at));
}

static void test_glitch_back_to_stable_is_nothing(void **state)
{
	struct debounce d;
	uint32_t at = 0;

	(void)state;
	debounce_init(&d, true, 50, 0);
	assert_false(debounce_update(&d, false, 100, &at));
	assert_false(debounce_update(&d, true, 120, &at));
	assert_false(debounce_pending(&d, 130, NULL));
	assert_false(debounce_update(&d, true, 1000, &at));
	assert_true(d.stable);
}

static void test_zero_hold_and_wrap(void **state)
{
	struct debounce d;
	uint32_t at = 0;

	(void)state;
	debounce_init(&d, false, 0, 7);
	assert_true(debounce_update(&d, true, 8, &at));
	assert_int_equal(at, 8);
	/* across the 2^32 wrap */
	debounce_init(&d, false, 50, UINT32_MAX - 10);
	assert_false(debounce_update(&d, true, UINT32_MAX - 5, &at));
	assert_false(debounce_update(&d, true, 30, &at));
	assert_true(debounce_update(&d, true, 45, &at));
	assert_int_equal(at, UINT32_MAX - 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bounce_is_one_event),
		cmocka_unit_test(test_glitch_back_to_stable_is_nothing),
		cmocka_unit_test(test_zero_hold_and_wrap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
