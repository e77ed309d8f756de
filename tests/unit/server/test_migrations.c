/* SPDX-License-Identifier: MIT */
/*
 * Migrations proven on real data: each database in tests/fixtures/migrations
 * was made by the server of that schema version (make.sh there), through its
 * own API and subcommands. Each is loaded into a fresh SQLite file, opened
 * with store_open (which migrates it to STORE_SCHEMA_VERSION), and every row
 * the old version wrote must still be there and readable through today's
 * code; a new item can then be added beside them.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "siteboard/log.h"
#include "store/store.h"
#include "testdb.h"

#ifndef SITEBOARD_SRC
#error "SITEBOARD_SRC must name the source tree"
#endif

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* A fresh database file at path holding the fixture of version v. */
static void load_fixture(int v, const char *path)
{
	char file[1024];
	char *sql = NULL;
	char *err = NULL;
	sqlite3 *db = NULL;

	snprintf(file, sizeof(file), "%s/tests/fixtures/migrations/schema-v%d.sql", SITEBOARD_SRC, v);
	sql = read_all(file);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s: %s", file, err);
	sqlite3_close(db);
	free(sql);
}

/* One whole number from a query on the store's connection. */
static int64_t count(struct store *s, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int64_t n = -1;

	store_lock(s);
	if (sqlite3_prepare_v2(store_sqlite(s), sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(store_sqlite(s)));
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	store_unlock(s);
	return n;
}

static void check_version(int v)
{
	char path[256];
	struct store *s = NULL;
	struct store_block b = {0};
	int64_t n = 0;
	char *data = NULL;
	char *block = NULL;

	testdb_path(path, sizeof(path));
	load_fixture(v, path);
	assert_int_equal(store_open(path, &s), 0);
	store_lock(s);
	assert_int_equal(store_schema_version(s), STORE_SCHEMA_VERSION);

	/* blocks and board items (every version) */
	assert_int_equal(store_block_get(s, "tower-a", &b), 0);
	assert_string_equal(b.name, "Tower A");
	assert_non_null(b.address);
	assert_string_equal(b.address, "Tower A, Barton Hill, Bristol");
	store_block_release(&b);
	assert_int_equal(store_block_get(s, "tower-b", &b), 0);
	assert_null(b.address);
	store_block_release(&b);
	for (int k = 0; k < STORE_N_KINDS; k++) {
		assert_int_equal(store_item_count(s, (enum store_kind)k, "tower-a", &n), 0);
		assert_int_equal(n, k == STORE_DELAYS ? 0 : 1);
	}
	assert_int_equal(store_item_next_seq(s, STORE_NOTICES, &n), 0);
	assert_true(n >= 2);
	store_unlock(s);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM notices WHERE data LIKE "
				  "'%Water off Thursday 9-12%' AND data LIKE '%urgent%'"), 1);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM works WHERE data LIKE "
				  "'%Scaffold erection%' AND data LIKE '%2026-12-04%'"), 1);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM tokens WHERE role = 'admin'"), 1);

	if (v >= 4) {
		assert_int_equal(count(s, "SELECT COUNT(*) FROM sensors WHERE id = 'gate-1' AND "
					  "block = 'tower-a' AND role = 'site_access'"), 1);
		assert_int_equal(count(s, "SELECT COUNT(*) FROM users WHERE name = 'sam' AND "
					  "role = 'caretaker'"), 1);
		assert_int_equal(count(s, "SELECT COUNT(*) FROM hours_exceptions WHERE "
					  "date = '2026-12-05'"), 1);
		assert_int_equal(count(s, "SELECT COUNT(*) FROM complaints WHERE block = 'tower-a' "
					  "AND category = 'mess_waste' AND phone = '07700 900123'"), 1);
	}
	if (v >= 5)
		assert_int_equal(count(s, "SELECT COUNT(*) FROM devices WHERE id = 'lobby-tower-a' "
					  "AND kind = 'kiosk'"), 1);

	/* today's code writes beside the old rows */
	store_lock(s);
	assert_int_equal(store_item_insert(s, STORE_NOTICES, "n-new", "tower-a", 0,
					   "{\"title\":\"New\",\"body\":\"\",\"priority\":\"normal\"}"),
			 0);
	assert_int_equal(store_item_get(s, STORE_NOTICES, "n-new", &block, &data), 0);
	assert_string_equal(block, "tower-a");
	store_unlock(s);
	free(block);
	free(data);
	store_close(s);

	/* and opening it again migrates nothing more */
	assert_int_equal(store_open(path, &s), 0);
	store_lock(s);
	assert_int_equal(store_schema_version(s), STORE_SCHEMA_VERSION);
	store_unlock(s);
	store_close(s);
	testdb_remove(path);
}

static void test_v1(void **state)
{
	(void)state;
	check_version(1);
}

static void test_v4(void **state)
{
	(void)state;
	check_version(4);
}

static void test_v5(void **state)
{
	(void)state;
	check_version(5);
}

static void test_v6(void **state)
{
	(void)state;
	check_version(6);
}

/* A database from a newer build is refused, not opened and changed. */
static void test_newer_refused(void **state)
{
	char path[256];
	char sql[64];
	sqlite3 *db = NULL;
	struct store *s = NULL;

	(void)state;
	testdb_path(path, sizeof(path));
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", STORE_SCHEMA_VERSION + 1);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_open(path, &s), -EIO);
	assert_null(s);
	testdb_remove(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v1),
		cmocka_unit_test(test_v4),
		cmocka_unit_test(test_v5),
		cmocka_unit_test(test_v6),
		cmocka_unit_test(test_newer_refused),
	};

	log_set_level(LOG_LEVEL_ERROR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
