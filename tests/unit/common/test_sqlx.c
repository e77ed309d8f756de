/* SPDX-License-Identifier: MIT */
/* sqlx on an in-memory database: prepare from designated initializers, step_done's errnos, binds. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "siteboard/sqlx.h"

enum { ST_ADD, ST_CHILD, ST_TOUCH, ST_GET, ST_N };

static const char *const sql[ST_N] = {
	[ST_ADD] = "INSERT INTO t(id, note, n) VALUES (?1, ?2, ?3)",
	[ST_CHILD] = "INSERT INTO c(t) VALUES (?1)",
	[ST_TOUCH] = "UPDATE t SET n = n + 1 WHERE id = ?1",
	[ST_GET] = "SELECT note IS NULL, n IS NULL FROM t WHERE id = ?1",
};

static sqlite3 *open_db(void)
{
	sqlite3 *db = NULL;

	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	sqlite3_extended_result_codes(db, 1);
	assert_int_equal(sqlite3_exec(db,
				      "PRAGMA foreign_keys = ON;"
				      "CREATE TABLE t(id TEXT PRIMARY KEY, note TEXT, n INTEGER);"
				      "CREATE TABLE c(t TEXT REFERENCES t(id));",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	return db;
}

static void test_statements(void **state)
{
	sqlite3 *db = open_db();
	sqlite3_stmt *st[ST_N] = {NULL};

	(void)state;
	assert_int_equal(sqlx_prepare_all(db, sql, ST_N, st, "test"), 0);
	sqlx_bind_text(st[ST_ADD], 1, "a");
	sqlx_bind_text_or_null(st[ST_ADD], 2, "");
	sqlx_bind_opt_int64(st[ST_ADD], 3, -1);
	assert_int_equal(sqlx_step_done(st[ST_ADD], "test", true), 0);
	sqlx_bind_text(st[ST_ADD], 1, "a");
	assert_int_equal(sqlx_step_done(st[ST_ADD], "test", false), -EEXIST);
	sqlx_bind_text(st[ST_CHILD], 1, "nope");
	assert_int_equal(sqlx_step_done(st[ST_CHILD], "test", false), -ENOENT);
	sqlx_bind_text(st[ST_TOUCH], 1, "nope");
	assert_int_equal(sqlx_step_done(st[ST_TOUCH], "test", true), -ENOENT);
	sqlx_bind_text(st[ST_TOUCH], 1, "a");
	assert_int_equal(sqlx_step_done(st[ST_TOUCH], "test", true), 0);
	/* the empty note and the negative count were stored as NULL */
	sqlx_bind_text(st[ST_GET], 1, "a");
	assert_int_equal(sqlite3_step(st[ST_GET]), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st[ST_GET], 0), 1);
	assert_int_equal(sqlite3_column_int(st[ST_GET], 1), 1);
	sqlx_finish(st[ST_GET]);
	sqlx_finish(NULL);
	sqlx_finalize_all(st, ST_N);
	assert_null(st[ST_ADD]);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

static void test_prepare_errors(void **state)
{
	static const char *const gap[3] = {[0] = "SELECT 1", [2] = "SELECT 2"};
	static const char *const bad[1] = {"SELEKT"};
	sqlite3 *db = open_db();
	sqlite3_stmt *st[3] = {NULL};

	(void)state;
	assert_int_equal(sqlx_prepare_all(db, gap, 3, st, "test"), -EINVAL);
	sqlx_finalize_all(st, 3);
	assert_int_equal(sqlx_prepare_all(db, bad, 1, st, "test"), -EIO);
	sqlx_finalize_all(st, 1);
	assert_int_equal(sqlx_fail(db, "test", "x"), -EIO);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_statements),
		cmocka_unit_test(test_prepare_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
