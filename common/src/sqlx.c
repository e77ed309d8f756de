/* SPDX-License-Identifier: MIT */
/*
 * SQLite helpers shared by every owner of a database (see sqlx.h).
 */
#include "siteboard/sqlx.h"

#include <errno.h>

#include "siteboard/log.h"

int sqlx_fail(sqlite3 *db, const char *who, const char *what)
{
	log_error("%s: %s: %s", who, what, sqlite3_errmsg(db));
	return -EIO;
}

void sqlx_finish(sqlite3_stmt *st)
{
	if (st == NULL)
		return;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

int sqlx_step_done(sqlite3_stmt *st, const char *who, bool need_change)
{
	sqlite3 *db = sqlite3_db_handle(st);
	int rc = sqlite3_step(st);
	int ret = 0;

	if (rc == SQLITE_CONSTRAINT_PRIMARYKEY || rc == SQLITE_CONSTRAINT_UNIQUE)
		ret = -EEXIST;
	else if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
		ret = -ENOENT;
	else if (rc != SQLITE_DONE)
		ret = sqlx_fail(db, who, sqlite3_sql(st));
	else if (need_change && sqlite3_changes(db) == 0)
		ret = -ENOENT;
	sqlx_finish(st);
	return ret;
}

int sqlx_bind_text(sqlite3_stmt *st, int idx, const char *s)
{
	if (s == NULL)
		return sqlite3_bind_null(st, idx);
	return sqlite3_bind_text(st, idx, s, -1, SQLITE_STATIC);
}

int sqlx_bind_text_or_null(sqlite3_stmt *st, int idx, const char *s)
{
	return sqlx_bind_text(st, idx, s != NULL && s[0] != '\0' ? s : NULL);
}

int sqlx_bind_opt_int64(sqlite3_stmt *st, int idx, int64_t v)
{
	if (v < 0)
		return sqlite3_bind_null(st, idx);
	return sqlite3_bind_int64(st, idx, v);
}

int sqlx_prepare_all(sqlite3 *db, const char *const *sql, size_t n, sqlite3_stmt **st,
		     const char *who)
{
	for (size_t i = 0; i < n; i++) {
		if (sql[i] == NULL) {
			log_error("%s: statement %zu has no SQL", who, i);
			return -EINVAL;
		}
		if (sqlite3_prepare_v3(db, sql[i], -1, SQLITE_PREPARE_PERSISTENT, &st[i], NULL) !=
		    SQLITE_OK)
			return sqlx_fail(db, who, sql[i]);
	}
	return 0;
}

void sqlx_finalize_all(sqlite3_stmt **st, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		sqlite3_finalize(st[i]);
		st[i] = NULL;
	}
}
