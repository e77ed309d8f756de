/* SPDX-License-Identifier: MIT */
/* Unit tests of the INI loader: values, defaults, and one clear line for each kind of mistake. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "siteboard/config.h"

struct cfg {
	char *host;
	long port;
	bool tls;
	double limit;
	char *id;
};

static char path[64];

static void write_ini(const char *text)
{
	int fd;

	snprintf(path, sizeof(path), "/tmp/sb-config-test-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static int load(const char *text, struct cfg *c, char *err, size_t err_len)
{
	const struct config_key keys[] = {
		{"mqtt", "host", CONFIG_STRING, &c->host, false, 0, 0},
		{"mqtt", "port", CONFIG_INT, &c->port, false, 1, 65535},
		{"mqtt", "tls", CONFIG_BOOL, &c->tls, false, 0, 0},
		{"noise", "limit", CONFIG_DOUBLE, &c->limit, false, 30, 120},
		{"kiosk", "id", CONFIG_STRING, &c->id, true, 0, 0},
	};
	int rc;

	write_ini(text);
	rc = config_load(path, keys, sizeof(keys) / sizeof(keys[0]), err, err_len);
	unlink(path);
	if (rc != 0)
		config_release(keys, sizeof(keys) / sizeof(keys[0]));
	return rc;
}

static void test_values_and_defaults(void **state)
{
	struct cfg c = {NULL, 1883, false, 65.0, NULL};
	char err[256] = "";

	(void)state;
	c.host = strdup("127.0.0.1");
	assert_int_equal(load("; comment\n[kiosk]\nid = lobby-1\n[mqtt]\nport=8883\ntls = yes\n", &c,
			      err, sizeof(err)),
			 0);
	assert_string_equal(c.host, "127.0.0.1");
	assert_int_equal(c.port, 8883);
	assert_true(c.tls);
	assert_true(c.limit == 65.0);
	assert_string_equal(c.id, "lobby-1");
	free(c.host);
	free(c.id);
}

static void expect_error(const char *text, const char *want)
{
	struct cfg c = {NULL, 1883, false, 65.0, NULL};
	char err[256] = "";

	assert_int_equal(load(text, &c, err, sizeof(err)), -EINVAL);
	if (strstr(err, want) == NULL)
		fail_msg("error '%s' lacks '%s'", err, want);
	assert_null(strchr(err, '\n'));
	assert_non_null(strstr(err, path));
	assert_null(c.host);
	assert_null(c.id);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("[kiosk]\nid=a\n[mqtt]\nprot=1\n", ":4: unknown key 'prot' in [mqtt]");
	expect_error("[kiosk]\nid=a\n[mqt]\nport=1\n", ":4: unknown section [mqt]");
	expect_error("[kiosk]\nid=a\n[mqtt]\nport=99999\n", "'port' in [mqtt] must be a whole number from 1 to 65535");
	expect_error("[kiosk]\nid=a\n[mqtt]\nport=12ab\n", ":4:");
	expect_error("[kiosk]\nid=a\n[mqtt]\ntls=maybe\n", "must be true or false");
	expect_error("[kiosk]\nid=a\n[noise]\nlimit=1e999\n", "must be a number");
	expect_error("[mqtt]\nport=1\n", "missing required key 'id' in [kiosk]");
	expect_error("[kiosk]\nid=a\nthis line is wrong\n", ":3: syntax error");
	expect_error("id=a\n", "outside any [section]");
}

static void test_missing_file(void **state)
{
	char *id = NULL;
	const struct config_key keys[] = {{"kiosk", "id", CONFIG_STRING, &id, true, 0, 0}};
	char err[256] = "";

	(void)state;
	assert_int_equal(config_load("/nonexistent/siteboard.ini", keys, 1, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "/nonexistent/siteboard.ini: cannot open"));
}

static void test_hostport(void **state)
{
	char *host = NULL;
	int port = 0;

	(void)state;
	assert_int_equal(config_split_hostport("127.0.0.1:8080", &host, &port), 0);
	assert_string_equal(host, "127.0.0.1");
	assert_int_equal(port, 8080);
	free(host);
	assert_int_equal(config_split_hostport("[::1]:80", &host, &port), 0);
	assert_string_equal(host, "::1");
	free(host);
	assert_int_equal(config_split_hostport("localhost", &host, &port), -EINVAL);
	assert_int_equal(config_split_hostport(":80", &host, &port), -EINVAL);
	assert_int_equal(config_split_hostport("a:0", &host, &port), -EINVAL);
	assert_int_equal(config_split_hostport("a:65536", &host, &port), -EINVAL);
	assert_int_equal(config_split_hostport("::1:80", &host, &port), -EINVAL);
	assert_int_equal(config_split_hostport("[::1]80", &host, &port), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values_and_defaults),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_hostport),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
