/* SPDX-License-Identifier: MIT */
/*
 * The small SQLite helpers every module with a database wrote for itself:
 * log sqlite3_errmsg once and return -EIO; reset a statement for reuse; step
 * a statement without rows mapping constraint failures to errnos; bind text
 * or NULL; prepare an array of statements from a designated-initializer
 * array of SQL ([ST_X] = "...") once, and finalize them at close.
 *
 * For: the server's store modules, sensord's outbox, the kiosk's cache.
 * Not for: schema migration or transactions (each owner knows its own), or
 * hiding SQLite (callers still bind and read columns themselves).
 * Threads: as SQLite's connection the caller passes; these keep no state.
 * The log line names the caller's module (`who`, borrowed) and the statement
 * or operation (`what`, borrowed); never bound values, which may be tenant data.
 */
#ifndef SITEBOARD_SQLX_H
#define SITEBOARD_SQLX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

/* Log "who: what: <sqlite3_errmsg(db)>" as an error. @retval -EIO always */
int sqlx_fail(sqlite3 *db, const char *who, const char *what);

/* Reset st and clear its bindings, ready for the next use. NULL is fine. */
void sqlx_finish(sqlite3_stmt *st);

/*
 * Step st (a statement returning no rows) and finish it.
 * @retval 0
 * @retval -EEXIST a PRIMARY KEY or UNIQUE constraint failed
 * @retval -ENOENT a FOREIGN KEY constraint failed, or need_change and no row changed
 * @retval -EIO anything else (logged through sqlx_fail with the statement's SQL)
 */
int sqlx_step_done(sqlite3_stmt *st, const char *who, bool need_change);

/* Bind text s (borrowed until the statement is finished; SQLITE_STATIC), or NULL when s is NULL. */
int sqlx_bind_text(sqlite3_stmt *st, int idx, const char *s);

/* Bind text s, or NULL when s is NULL or empty. */
int sqlx_bind_text_or_null(sqlite3_stmt *st, int idx, const char *s);

/* Bind v, or NULL when v is negative (an absent count or id). */
int sqlx_bind_opt_int64(sqlite3_stmt *st, int idx, int64_t v);

/*
 * Prepare n statements (persistent) from sql[0..n-1] into st[0..n-1] (which
 * the caller owns and must pass to sqlx_finalize_all, also on failure). A
 * NULL entry (a gap in the designated initializers) is a programming error.
 * @retval 0
 * @retval -EINVAL a NULL entry (logged)
 * @retval -EIO a statement did not prepare (logged with its SQL)
 */
int sqlx_prepare_all(sqlite3 *db, const char *const *sql, size_t n, sqlite3_stmt **st,
		     const char *who);

/* Finalize and clear st[0..n-1]; NULL entries are fine. */
void sqlx_finalize_all(sqlite3_stmt **st, size_t n);

#endif
