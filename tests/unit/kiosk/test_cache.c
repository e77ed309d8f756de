/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of cache.c against real SQLite files in a temporary directory:
 * round trip, survival across reopen, replacement, and a corrupt file that
 * must give an error, not a crash.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "cache.h"

static char dir[] = "/tmp/kiosk-cache-test-XXXXXX";
static char path[256];

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/cache.sqlite", dir);
	return 0;
}

static int teardown(void **state)
{
	char p[300];
	static const char *const suffix[] = {"", "-wal", "-shm"};

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "%s%s", path, suffix[i]);
		unlink(p);
	}
	rmdir(dir);
	return 0;
}

static void test_round_trip_and_reopen(void **state)
{
	static const char json[] = "{\"schema\":\"siteboard.board/1\",\"version\":3}";
	struct cache *c = NULL;
	char *got = NULL;
	size_t len = 0;
	int64_t v = 0, r = 0;

	(void)state;
	assert_int_equal(cache_open(path, &c), 0);
	assert_int_equal(cache_get(c, "barton-hill", "tower-a", &got, &len, &v, &r), -ENOENT);
	assert_int_equal(cache_put(c, "barton-hill", "tower-a", 3, 1234, json, strlen(json)), 0);
	assert_int_equal(cache_get(c, "barton-hill", "tower-a", &got, &len, &v, &r), 0);
	assert_int_equal(len, strlen(json));
	assert_string_equal(got, json);
	assert_int_equal(v, 3);
	assert_int_equal(r, 1234);
	free(got);
	got = NULL;
	/* other blocks are separate */
	assert_int_equal(cache_get(c, "barton-hill", "tower-b", &got, &len, NULL, NULL), -ENOENT);
	assert_int_equal(cache_put(c, "barton-hill", "tower-a", 0, 0, json, 0), -EINVAL);
	cache_close(c);
	c = NULL;

	/* survives reopen; a newer board replaces the old one */
	assert_int_equal(cache_open(path, &c), 0);
	assert_int_equal(cache_get(c, "barton-hill", "tower-a", &got, &len, &v, NULL), 0);
	assert_string_equal(got, json);
	free(got);
	got = NULL;
	assert_int_equal(cache_put(c, "barton-hill", "tower-a", 4, 99, "{\"v\":4}", 7), 0);
	cache_close(c);
	c = NULL;
	assert_int_equal(cache_open(path, &c), 0);
	assert_int_equal(cache_get(c, "barton-hill", "tower-a", &got, &len, &v, &r), 0);
	assert_string_equal(got, "{\"v\":4}");
	assert_int_equal(v, 4);
	assert_int_equal(r, 99);
	free(got);
	cache_close(c);
	cache_close(NULL);
}

static void test_corrupt_file(void **state)
{
	struct cache *c = NULL;
	FILE *f;
	char p[300];

	(void)state;
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
	f = fopen(path, "wb");
	assert_non_null(f);
	for (int i = 0; i < 200; i++)
		fputs("this is not an SQLite database, just garbage bytes\n", f);
	fclose(f);
	assert_int_equal(cache_open(path, &c), -EIO);
	assert_null(c);

	/* a directory where the file should be */
	snprintf(p, sizeof(p), "%s/sub", dir);
	assert_int_equal(mkdir(p, 0700), 0);
	assert_int_equal(cache_open(p, &c), -EIO);
	rmdir(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_and_reopen),
		cmocka_unit_test(test_corrupt_file),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
