/* SPDX-License-Identifier: MIT */
/* The principal, role ranks and block scope (access.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "access/access.h"

static void test_scope(void **state)
{
	struct principal p;

	(void)state;
	access_principal_set(&p, NULL, TOKEN_ROLE_CARETAKER, NULL);
	assert_string_equal(p.name, "caretaker");
	assert_false(access_may_change_block(&p, "a")); /* no blocks: none */
	assert_false(access_may_change_site(&p));
	access_principal_set(&p, "bob", TOKEN_ROLE_CARETAKER, "tower-a,tower-c");
	assert_string_equal(p.name, "bob");
	assert_true(access_may_change_block(&p, "tower-a"));
	assert_true(access_may_change_block(&p, "tower-c"));
	assert_false(access_may_change_block(&p, "tower"));
	assert_false(access_may_change_block(&p, "tower-b"));
	assert_false(access_may_change_block(&p, ""));
	access_principal_set(&p, "", TOKEN_ROLE_MANAGER, "");
	assert_string_equal(p.name, "manager");
	assert_true(access_may_change_block(&p, "anything"));
	assert_true(access_may_change_site(&p));
	access_principal_set(&p, "m", TOKEN_ROLE_MANAGER, "tower-b");
	assert_true(access_may_change_block(&p, "tower-b"));
	assert_false(access_may_change_block(&p, "tower-a"));
	assert_false(access_may_change_site(&p));
	access_principal_set(&p, "root", TOKEN_ROLE_ADMIN, NULL);
	assert_true(access_may_change_block(&p, "x"));
	assert_false(access_may_change_block(NULL, "x"));
}

static void test_ranks(void **state)
{
	struct principal c, m, a;

	(void)state;
	access_principal_set(&c, NULL, TOKEN_ROLE_CARETAKER, NULL);
	access_principal_set(&m, NULL, TOKEN_ROLE_MANAGER, NULL);
	access_principal_set(&a, NULL, TOKEN_ROLE_ADMIN, NULL);
	assert_true(access_role_at_least(&c, TOKEN_ROLE_CARETAKER));
	assert_false(access_role_at_least(&c, TOKEN_ROLE_MANAGER));
	assert_true(access_role_at_least(&m, TOKEN_ROLE_MANAGER));
	assert_false(access_role_at_least(&m, TOKEN_ROLE_ADMIN));
	assert_true(access_role_at_least(&a, TOKEN_ROLE_ADMIN));
	assert_true(access_role_at_least(&a, TOKEN_ROLE_CARETAKER));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scope),
		cmocka_unit_test(test_ranks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
