/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of html.c: escaping for HTML text and attributes, CSV fields
 * (quotes, formulas), the size cap and sticky errors.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "http/html.h"

static char *take(struct html *h)
{
	char *out = NULL;
	size_t len = 0;

	assert_int_equal(html_take(h, &out, &len), 0);
	assert_int_equal(strlen(out), len);
	return out;
}

static void test_text_escapes_markup(void **state)
{
	struct html h;
	char *out = NULL;

	(void)state;
	html_init(&h, 1024);
	html_raw(&h, "<p>");
	html_text(&h, "<script>alert('x' & \"y\")</script>");
	html_raw(&h, "</p>");
	html_text(&h, NULL);
	out = take(&h);
	assert_string_equal(out, "<p>&lt;script&gt;alert(&#39;x&#39; &amp; &quot;y&quot;)"
				 "&lt;/script&gt;</p>");
	free(out);
	html_release(&h);
}

static void test_text_keeps_utf8(void **state)
{
	struct html h;
	char *out = NULL;

	(void)state;
	html_init(&h, 64);
	html_text(&h, "Café – naïve");
	out = take(&h);
	assert_string_equal(out, "Café – naïve");
	free(out);
	html_release(&h);
}

static void test_escape_into_buffer(void **state)
{
	char buf[16];

	(void)state;
	assert_int_equal(html_escape("a<b", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "a&lt;b");
	assert_int_equal(html_escape("<<<<", buf, sizeof(buf)), -ENOSPC);
	assert_string_equal(buf, "");
	assert_int_equal(html_escape("x", buf, 0), -ENOSPC);
}

static void test_csv(void **state)
{
	struct html h;
	char *out = NULL;

	(void)state;
	html_init(&h, 1024);
	html_csv(&h, "plain");
	html_raw(&h, ",");
	html_csv(&h, "say \"hi\", then\nleave");
	html_raw(&h, ",");
	html_csv(&h, "=HYPERLINK(\"http://x\")");
	html_raw(&h, ",");
	html_csv(&h, "-1+2");
	html_raw(&h, ",");
	html_csv(&h, "@SUM(A1)");
	html_raw(&h, ",");
	html_csv(&h, NULL);
	html_raw(&h, ",");
	html_csv(&h, "");
	out = take(&h);
	assert_string_equal(out, "\"plain\",\"say \"\"hi\"\", then\nleave\","
				 "\"'=HYPERLINK(\"\"http://x\"\")\",\"'-1+2\",\"'@SUM(A1)\",\"\",\"\"");
	free(out);
	html_release(&h);
}

static void test_cap_is_sticky(void **state)
{
	struct html h;
	char *out = NULL;
	size_t len = 99;

	(void)state;
	html_init(&h, 8);
	html_raw(&h, "12345678");
	html_raw(&h, "9");
	html_raw(&h, "");
	html_fmt(&h, "%d", 1);
	assert_int_equal(html_take(&h, &out, &len), -E2BIG);
	assert_null(out);
	assert_int_equal(len, 0);
	html_release(&h);
}

static void test_fmt_long(void **state)
{
	struct html h;
	char big[2000];
	char *out = NULL;

	(void)state;
	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	html_init(&h, 4096);
	html_fmt(&h, "<%s>%d", big, 42);
	out = take(&h);
	assert_int_equal(strlen(out), 1999 + 4);
	assert_memory_equal(out + 2000, ">42", 3);
	free(out);
	html_release(&h);
}

static void test_empty_take(void **state)
{
	struct html h;
	char *out = NULL;

	(void)state;
	html_init(&h, 16);
	out = take(&h);
	assert_string_equal(out, "");
	free(out);
	html_release(&h);
	html_release(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_escapes_markup),
		cmocka_unit_test(test_text_keeps_utf8),
		cmocka_unit_test(test_escape_into_buffer),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_cap_is_sticky),
		cmocka_unit_test(test_fmt_long),
		cmocka_unit_test(test_empty_take),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
