/* SPDX-License-Identifier: MIT */
/* hashmap: put/get, growth keeps every value, the maximum, clear, iteration, FNV-1a vectors. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "siteboard/hashmap.h"

struct val {
	int n;
	char tag[8];
};

static void test_fnv_vectors(void **state)
{
	(void)state;
	/* Published FNV-1a 32-bit test vectors. */
	assert_int_equal(hashmap_fnv1a(HASHMAP_FNV_OFFSET, "", 0), 0x811c9dc5u);
	assert_int_equal(hashmap_fnv1a(HASHMAP_FNV_OFFSET, "a", 1), 0xe40c292cu);
	assert_int_equal(hashmap_fnv1a(HASHMAP_FNV_OFFSET, "foobar", 6), 0xbf9cf968u);
	/* continuing is the same as one pass */
	assert_int_equal(hashmap_fnv1a(hashmap_fnv1a(HASHMAP_FNV_OFFSET, "foo", 3), "bar", 3),
			 0xbf9cf968u);
}

static void test_put_get_grow(void **state)
{
	struct hashmap *m = NULL;
	struct val *v = NULL;
	bool created = false;
	char key[32];

	(void)state;
	assert_int_equal(hashmap_open(sizeof(struct val), 5000, &m), 0);
	assert_null(hashmap_get(m, "nope"));
	for (int i = 0; i < 1000; i++) {
		snprintf(key, sizeof(key), "sensor-%d", i);
		assert_int_equal(hashmap_put(m, key, (void **)&v, &created), 0);
		assert_true(created);
		assert_int_equal(v->n, 0); /* zeroed */
		v->n = i;
	}
	assert_int_equal(hashmap_count(m), 1000);
	for (int i = 0; i < 1000; i++) {
		snprintf(key, sizeof(key), "sensor-%d", i);
		v = hashmap_get(m, key);
		assert_non_null(v);
		assert_int_equal(v->n, i);
	}
	assert_int_equal(hashmap_put(m, "sensor-7", (void **)&v, &created), 0);
	assert_false(created);
	assert_int_equal(v->n, 7);
	assert_int_equal(hashmap_count(m), 1000);
	hashmap_close(m);
	hashmap_close(NULL);
}

static void test_bounded_clear_iterate(void **state)
{
	struct hashmap *m = NULL;
	struct val *v = NULL;
	const char *key = NULL;
	size_t pos = 0;
	int seen = 0;

	(void)state;
	assert_int_equal(hashmap_open(sizeof(struct val), 0, &m), -EINVAL);
	assert_int_equal(hashmap_open(sizeof(struct val), 3, &m), 0);
	assert_int_equal(hashmap_put(m, "a", (void **)&v, NULL), 0);
	v->n = 1;
	assert_int_equal(hashmap_put(m, "b", (void **)&v, NULL), 0);
	v->n = 2;
	assert_int_equal(hashmap_put(m, "c", (void **)&v, NULL), 0);
	v->n = 4;
	assert_int_equal(hashmap_put(m, "d", (void **)&v, NULL), -ENOSPC);
	/* an existing key is still found when full */
	assert_int_equal(hashmap_put(m, "a", (void **)&v, NULL), 0);
	while ((v = hashmap_next(m, &pos, &key)) != NULL) {
		assert_int_equal(v->n, key[0] == 'a' ? 1 : key[0] == 'b' ? 2 : 4);
		seen += v->n;
	}
	assert_int_equal(seen, 7);
	hashmap_clear(m);
	assert_int_equal(hashmap_count(m), 0);
	assert_null(hashmap_get(m, "a"));
	assert_int_equal(hashmap_put(m, "d", (void **)&v, NULL), 0);
	assert_int_equal(v->n, 0);
	hashmap_close(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fnv_vectors),
		cmocka_unit_test(test_put_get_grow),
		cmocka_unit_test(test_bounded_clear_iterate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
