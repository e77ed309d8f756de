/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of form.c: URL-encoded bodies (decoding, bounds, malformed
 * input from tests/fixtures/forms-bad) and Cookie headers.
 */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "http/form.h"
#include "siteboard/utf8.h"

static struct form *parse_ok(const char *s)
{
	struct form *f = NULL;

	assert_int_equal(form_parse(s, strlen(s), &f), 0);
	assert_non_null(f);
	return f;
}

static int parse_rc(const char *s, size_t len)
{
	struct form *f = NULL;
	int rc = form_parse(s, len, &f);

	if (rc == 0)
		form_free(f);
	else
		assert_null(f);
	return rc;
}

static void test_decoding(void **state)
{
	struct form *f = parse_ok("category=noise&description=Radio+at+7%3A30%0D%0Aloud%21"
				  "&name=Caf%C3%A9&empty=&&flat=12");

	(void)state;
	assert_int_equal(f->n, 5);
	assert_string_equal(form_get(f, "category"), "noise");
	assert_string_equal(form_get(f, "description"), "Radio at 7:30\nloud!");
	assert_string_equal(form_get(f, "name"), "Café");
	assert_string_equal(form_get(f, "empty"), "");
	assert_string_equal(form_get(f, "flat"), "12");
	assert_null(form_get(f, "phone"));
	assert_null(form_get(NULL, "phone"));
	form_free(f);
	form_free(NULL);
}

static void test_empty(void **state)
{
	struct form *f = NULL;

	(void)state;
	assert_int_equal(form_parse(NULL, 0, &f), 0);
	assert_int_equal(f->n, 0);
	form_free(f);
	f = parse_ok("&&&");
	assert_int_equal(f->n, 0);
	form_free(f);
}

static void test_not_nul_terminated(void **state)
{
	const char buf[] = {'a', '=', '1', '&', 'b', '=', '2'};
	struct form *f = NULL;

	(void)state;
	assert_int_equal(form_parse(buf, sizeof(buf), &f), 0);
	assert_string_equal(form_get(f, "b"), "2");
	form_free(f);
}

static void test_malformed(void **state)
{
	static const char *const bad[] = {
		"a=%", "a=%4", "a=%G0", "novalue", "a=1&a=2", "Upper=x", "a-b=1", "=x",
		"a=%00", "a=%01", "a=%7F", "a=%C3", "a=%C0%80", "a=%ED%A0%80", "a=%F5%80%80%80",
		"a=%C2%85", "na%6De=ok&na%6De=again",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse_rc(bad[i], strlen(bad[i])) != -EINVAL)
			fail_msg("accepted: %s", bad[i]);
	}
	assert_int_equal(parse_rc("a=%09%0A%0D", 11), 0);
}

static void test_bounds(void **state)
{
	char *big = malloc(FORM_MAX_BYTES + 2);
	char many[FORM_MAX_FIELDS * 8 + 16];
	size_t o = 0;
	char name[40];

	(void)state;
	assert_non_null(big);
	memset(big, 'a', FORM_MAX_BYTES + 1);
	big[0] = 'x';
	big[1] = '=';
	assert_int_equal(parse_rc(big, FORM_MAX_BYTES + 1), -E2BIG);
	assert_int_equal(parse_rc(big, FORM_MAX_BYTES), 0);
	free(big);
	for (int i = 0; i <= FORM_MAX_FIELDS; i++)
		o += (size_t)snprintf(many + o, sizeof(many) - o, "f%d=1&", i);
	assert_int_equal(parse_rc(many, o), -E2BIG);
	memset(name, 'n', sizeof(name));
	name[FORM_NAME_MAX] = '=';
	name[FORM_NAME_MAX + 1] = '\0';
	assert_int_equal(parse_rc(name, strlen(name)), 0);
	name[FORM_NAME_MAX] = 'n';
	name[FORM_NAME_MAX + 1] = '=';
	name[FORM_NAME_MAX + 2] = '\0';
	assert_int_equal(parse_rc(name, strlen(name)), -EINVAL);
}

static void test_fixtures(void **state)
{
	char dir[512];
	char path[1024];
	char buf[70000];
	DIR *d = NULL;
	struct dirent *e = NULL;
	int n = 0;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/tests/fixtures/forms-bad", SITEBOARD_SRC);
	d = opendir(dir);
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		FILE *fp = NULL;
		size_t len;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		fp = fopen(path, "rb");
		assert_non_null(fp);
		len = fread(buf, 1, sizeof(buf), fp);
		fclose(fp);
		if (parse_rc(buf, len) == 0)
			fail_msg("bad form accepted: %s", e->d_name);
		n++;
	}
	closedir(d);
	assert_true(n >= 5);
}

static void test_cookie(void **state)
{
	char out[16];

	(void)state;
	assert_int_equal(form_cookie("a=1; sb_session=abc-DEF_9; b=2", "sb_session", out, sizeof(out)), 0);
	assert_string_equal(out, "abc-DEF_9");
	assert_int_equal(form_cookie("sb_session=xyz", "sb_session", out, sizeof(out)), 0);
	assert_string_equal(out, "xyz");
	assert_int_equal(form_cookie("xsb_session=1", "sb_session", out, sizeof(out)), -ENOENT);
	assert_int_equal(form_cookie("sb_session=", "sb_session", out, sizeof(out)), -ENOENT);
	assert_int_equal(form_cookie("sb_session=a\"b", "sb_session", out, sizeof(out)), -ENOENT);
	assert_int_equal(form_cookie(NULL, "sb_session", out, sizeof(out)), -ENOENT);
	assert_int_equal(form_cookie("sb_session=0123456789abcdef", "sb_session", out, sizeof(out)),
			 -E2BIG);
	assert_int_equal(utf8_chars("Café"), 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decoding),   cmocka_unit_test(test_empty),
		cmocka_unit_test(test_not_nul_terminated), cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_bounds),     cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_cookie),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
