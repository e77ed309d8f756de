/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of API tokens: a new token authenticates, a changed one does
 * not, and the database files never contain the token text.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "apitest.h"

static int setup(void **state)
{
	struct apitest *t = apitest_open();

	*state = t;
	return t != NULL ? 0 : -1;
}

static int teardown(void **state)
{
	apitest_close(*state);
	return 0;
}

static void test_format_and_hash(void **state)
{
	char a[TOKEN_TEXT_MAX];
	char b[TOKEN_TEXT_MAX];
	uint8_t ha[TOKEN_HASH_BYTES];
	uint8_t hb[TOKEN_HASH_BYTES];
	uint8_t again[TOKEN_HASH_BYTES];
	enum token_role role;

	(void)state;
	assert_int_equal(token_generate(a, sizeof(a), ha), 0);
	assert_int_equal(token_generate(b, sizeof(b), hb), 0);
	assert_memory_equal(a, "sbt_", 4);
	assert_int_equal(strlen(a), 4 + 43);
	assert_string_not_equal(a, b);
	assert_memory_not_equal(ha, hb, sizeof(ha));
	assert_int_equal(token_hash(a, strlen(a), again), 0);
	assert_memory_equal(ha, again, sizeof(ha));
	assert_int_equal(token_generate(a, 10, ha), -ENOSPC);
	assert_int_equal(token_role_parse("manager", &role), 0);
	assert_int_equal(role, TOKEN_ROLE_MANAGER);
	assert_int_equal(token_role_parse("root", &role), -EINVAL);
}

static void test_authenticates(void **state)
{
	struct apitest *t = *state;
	char changed[TOKEN_TEXT_MAX];

	assert_int_equal(apitest_call(t, "GET", "/api/v1/blocks", t->admin, NULL), 200);
	snprintf(changed, sizeof(changed), "%s", t->admin);
	changed[10] = changed[10] == 'A' ? 'B' : 'A';
	assert_int_equal(apitest_call(t, "GET", "/api/v1/blocks", changed, NULL), 401);
	changed[strlen(changed) - 1] = '\0';
	assert_int_equal(apitest_call(t, "GET", "/api/v1/blocks", changed, NULL), 401);
}

static int contains(const char *buf, size_t n, const char *needle)
{
	size_t k = strlen(needle);

	for (size_t i = 0; k <= n && i <= n - k; i++)
		if (memcmp(buf + i, needle, k) == 0)
			return 1;
	return 0;
}

static int file_contains(const char *path, const char *needle)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;
	int found = 0;

	if (f == NULL)
		return 0;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (buf != NULL && fread(buf, 1, (size_t)n, f) == (size_t)n)
		found = contains(buf, (size_t)n, needle);
	free(buf);
	fclose(f);
	return found;
}

static void test_not_stored(void **state)
{
	struct apitest *t = *state;
	char side[300];

	/* the admin and caretaker tokens were stored by apitest_open */
	assert_int_equal(apitest_call(t, "GET", "/api/v1/blocks", t->caretaker, NULL), 200);
	assert_false(file_contains(t->path, t->admin));
	assert_false(file_contains(t->path, t->admin + 4));
	snprintf(side, sizeof(side), "%s-wal", t->path);
	assert_false(file_contains(side, t->admin));
	assert_false(file_contains(side, t->admin + 4));
	assert_false(file_contains(side, t->caretaker + 4));
	/* but the role is there, so the file was really read */
	assert_true(file_contains(side, "caretaker") || file_contains(t->path, "caretaker"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_and_hash),
		cmocka_unit_test_setup_teardown(test_authenticates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_stored, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
