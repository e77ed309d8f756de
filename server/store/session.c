/* SPDX-License-Identifier: MIT */
/*
 * Sessions over the store's connection (see session.h). Tokens are hashed
 * with the API token hash (token.h), so a stolen database holds no usable
 * session.
 */
#include "store/session.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <sqlite3.h>

#include "siteboard/log.h"
#include "siteboard/sqlx.h"
#include "store/token.h"

enum stmt {
	CREATE = 0,
	FIND,
	DELETE,
	PURGE,
	N_STMTS,
};

static const char *const sql[N_STMTS] = {
	[CREATE] = "INSERT INTO sessions (hash, user_id, csrf, created_at, expires_at)"
	           " VALUES (?1, ?2, ?3, ?4, ?5)",
	[FIND] = "SELECT user_id, csrf FROM sessions WHERE hash = ?1 AND expires_at > ?2",
	[DELETE] = "DELETE FROM sessions WHERE hash = ?1",
	[PURGE] = "DELETE FROM sessions WHERE expires_at <= ?1",
};

struct sessions {
	sqlite3 *db;
	sqlite3_stmt *st[N_STMTS];
};

int session_open(struct store *store, struct sessions **out)
{
	struct sessions *s = calloc(1, sizeof(*s));
	int ret;

	*out = NULL;
	if (s == NULL)
		return -ENOMEM;
	s->db = store_db(store);
	ret = sqlx_prepare_all(s->db, sql, N_STMTS, s->st, "store");
	if (ret < 0) {
		session_close(s);
		return ret;
	}
	*out = s;
	return 0;
}

void session_close(struct sessions *s)
{
	if (s == NULL)
		return;
	sqlx_finalize_all(s->st, N_STMTS);
	free(s);
}

int session_random(char *out, size_t n)
{
	unsigned char raw[32];

	if (n < SESSION_TOKEN_MAX)
		return -ENOSPC;
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, n, raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
	return 0;
}

int session_create(struct sessions *s, int64_t user_id, int64_t now_ms, char *token,
		   char *csrf)
{
	sqlite3_stmt *st = s->st[CREATE];
	uint8_t hash[TOKEN_HASH_BYTES];
	int ret = 0;

	if (session_random(token, SESSION_TOKEN_MAX) < 0 ||
	    session_random(csrf, SESSION_TOKEN_MAX) < 0 ||
	    token_hash(token, strlen(token), hash) < 0)
		return -EIO;
	sqlite3_bind_blob(st, 1, hash, sizeof(hash), SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, user_id);
	sqlite3_bind_text(st, 3, csrf, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, now_ms);
	sqlite3_bind_int64(st, 5, now_ms + SESSION_TTL_MS);
	if (sqlite3_step(st) != SQLITE_DONE)
		ret = sqlx_fail(s->db, "store", "create session");
	sqlx_finish(st);
	return ret;
}

int session_find(struct sessions *s, const char *token, int64_t now_ms, int64_t *user_id,
		 char *csrf)
{
	sqlite3_stmt *st = s->st[FIND];
	uint8_t hash[TOKEN_HASH_BYTES];
	int ret = 0;
	int rc;

	if (token[0] == '\0' || strlen(token) >= SESSION_TOKEN_MAX ||
	    token_hash(token, strlen(token), hash) < 0)
		return -ENOENT;
	sqlite3_bind_blob(st, 1, hash, sizeof(hash), SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now_ms);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*user_id = sqlite3_column_int64(st, 0);
		snprintf(csrf, SESSION_TOKEN_MAX, "%s", (const char *)sqlite3_column_text(st, 1));
	} else if (rc == SQLITE_DONE) {
		ret = -ENOENT;
	} else {
		ret = sqlx_fail(s->db, "store", "find session");
	}
	sqlx_finish(st);
	return ret;
}

int session_delete(struct sessions *s, const char *token)
{
	sqlite3_stmt *st = s->st[DELETE];
	uint8_t hash[TOKEN_HASH_BYTES];
	int ret = 0;

	if (token_hash(token, strlen(token), hash) < 0)
		return 0;
	sqlite3_bind_blob(st, 1, hash, sizeof(hash), SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		ret = sqlx_fail(s->db, "store", "delete session");
	sqlx_finish(st);
	return ret;
}

int session_purge(struct sessions *s, int64_t now_ms)
{
	sqlite3_stmt *st = s->st[PURGE];
	int ret = 0;

	sqlite3_bind_int64(st, 1, now_ms);
	if (sqlite3_step(st) != SQLITE_DONE)
		ret = sqlx_fail(s->db, "store", "purge sessions");
	sqlx_finish(st);
	return ret;
}

bool session_csrf_ok(const char *expected, const char *given)
{
	size_t n;

	if (expected == NULL || given == NULL || expected[0] == '\0')
		return false;
	n = strlen(expected);
	if (strlen(given) != n)
		return false;
	return sodium_memcmp(expected, given, n) == 0;
}
