/* SPDX-License-Identifier: MIT */
/*
 * Staff accounts and the audit log over the store's connection (see users.h).
 */
#include "store/users.h"

#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <sqlite3.h>

#include "siteboard/log.h"
#include "siteboard/topic.h"
#include "siteboard/sqlx.h"

#define MAX_BLOCKS 100
/*
 * Argon2id runs at once, process-wide: each takes 64 MiB, and the HTTP
 * server answers each connection on its own thread, so without a bound 256
 * sign-ins at once would want 16 GiB. Two keep both cores of a small server
 * busy; the rest wait on their own threads, never in front of other requests.
 */
#define PWHASH_AT_ONCE 2

static pthread_mutex_t pwhash_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pwhash_free = PTHREAD_COND_INITIALIZER;
static int pwhash_running;

static void pwhash_enter(void)
{
	pthread_mutex_lock(&pwhash_mutex);
	while (pwhash_running >= PWHASH_AT_ONCE)
		pthread_cond_wait(&pwhash_free, &pwhash_mutex);
	pwhash_running++;
	pthread_mutex_unlock(&pwhash_mutex);
}

static void pwhash_leave(void)
{
	pthread_mutex_lock(&pwhash_mutex);
	pwhash_running--;
	pthread_cond_signal(&pwhash_free);
	pthread_mutex_unlock(&pwhash_mutex);
}

enum stmt {
	ADD = 0,
	SET_HASH,
	REMOVE,
	FIND,
	GET,
	AUDIT_ADD,
	AUDIT_LIST,
	N_STMTS,
};

static const char *const sql[N_STMTS] = {
	[ADD] = "INSERT INTO users (name, role, blocks, hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
	[SET_HASH] = "UPDATE users SET hash = ?2 WHERE name = ?1",
	[REMOVE] = "DELETE FROM users WHERE name = ?1",
	[FIND] = "SELECT id, name, role, blocks, hash FROM users WHERE name = ?1",
	[GET] = "SELECT id, name, role, blocks, hash FROM users WHERE id = ?1",
	[AUDIT_ADD] = "INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
	[AUDIT_LIST] = "SELECT at, actor, action, target, detail FROM audit_log ORDER BY id DESC LIMIT ?1",
};

struct users {
	sqlite3 *db;
	sqlite3_stmt *st[N_STMTS];
};

int users_open(struct store *store, struct users **out)
{
	struct users *u = calloc(1, sizeof(*u));
	int ret = 0;

	*out = NULL;
	if (u == NULL)
		return -ENOMEM;
	u->db = store_db(store);
	ret = sqlx_prepare_all(u->db, sql, N_STMTS, u->st, "store");
	if (ret < 0) {
		users_close(u);
		return ret;
	}
	*out = u;
	return 0;
}

void users_close(struct users *u)
{
	if (u == NULL)
		return;
	sqlx_finalize_all(u->st, N_STMTS);
	free(u);
}

bool users_name_valid(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > USERS_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');

		if (!alnum && (i == 0 || strchr("._-", c) == NULL))
			return false;
	}
	return true;
}

bool users_blocks_valid(const char *blocks)
{
	char copy[USERS_BLOCKS_MAX + 1];
	char *ids[MAX_BLOCKS];
	char *p = copy;
	int n = 0;

	if (blocks[0] == '\0')
		return true;
	if (strlen(blocks) > USERS_BLOCKS_MAX)
		return false;
	snprintf(copy, sizeof(copy), "%s", blocks);
	for (;;) {
		char *comma = strchr(p, ',');

		if (comma != NULL)
			*comma = '\0';
		if (!topic_id_valid(p) || n == MAX_BLOCKS)
			return false;
		for (int i = 0; i < n; i++)
			if (strcmp(ids[i], p) == 0)
				return false;
		ids[n++] = p;
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	return true;
}

int users_hash_password(const char *password, char hash[USERS_HASH_MAX])
{
	size_t n = strlen(password);
	int rc;

	static_assert(crypto_pwhash_STRBYTES <= USERS_HASH_MAX, "hash buffer");
	if (n < USERS_PASSWORD_MIN || n > USERS_PASSWORD_MAX)
		return -EINVAL;
	pwhash_enter();
	rc = crypto_pwhash_str(hash, password, n, crypto_pwhash_OPSLIMIT_INTERACTIVE,
			       crypto_pwhash_MEMLIMIT_INTERACTIVE);
	pwhash_leave();
	return rc != 0 ? -ENOMEM : 0;
}

bool users_check_password(const char *hash, const char *password)
{
	size_t n = strlen(password);
	bool ok;

	if (n == 0 || n > USERS_PASSWORD_MAX)
		return false;
	pwhash_enter();
	ok = crypto_pwhash_str_verify(hash, password, n) == 0;
	pwhash_leave();
	return ok;
}

int users_add(struct users *u, const char *name, enum token_role role, const char *blocks,
	      const char *hash, int64_t now_ms)
{
	sqlite3_stmt *st = u->st[ADD];

	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, token_role_name(role), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, blocks, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, now_ms);
	return sqlx_step_done(st, "store", false);
}

int users_set_password(struct users *u, const char *name, const char *hash)
{
	sqlite3_stmt *st = u->st[SET_HASH];

	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, hash, -1, SQLITE_STATIC);
	return sqlx_step_done(st, "store", true);
}

int users_remove(struct users *u, const char *name)
{
	sqlite3_stmt *st = u->st[REMOVE];

	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	return sqlx_step_done(st, "store", true);
}

static int read_user(struct users *u, sqlite3_stmt *st, struct user *out,
		     char hash[USERS_HASH_MAX])
{
	const char *role = NULL;
	const char *blocks = NULL;
	const char *h = NULL;
	int rc = sqlite3_step(st);
	int ret = 0;

	memset(out, 0, sizeof(*out));
	if (rc == SQLITE_DONE) {
		ret = -ENOENT;
		goto out;
	}
	if (rc != SQLITE_ROW) {
		ret = sqlx_fail(u->db, "store", "find user");
		goto out;
	}
	out->id = sqlite3_column_int64(st, 0);
	snprintf(out->name, sizeof(out->name), "%s", (const char *)sqlite3_column_text(st, 1));
	role = (const char *)sqlite3_column_text(st, 2);
	blocks = (const char *)sqlite3_column_text(st, 3);
	h = (const char *)sqlite3_column_text(st, 4);
	if (role == NULL || token_role_parse(role, &out->role) < 0) {
		ret = -EIO;
		goto out;
	}
	snprintf(out->blocks, sizeof(out->blocks), "%s", blocks != NULL ? blocks : "");
	if (hash != NULL)
		snprintf(hash, USERS_HASH_MAX, "%s", h != NULL ? h : "");
out:
	sqlx_finish(st);
	return ret;
}

int users_find(struct users *u, const char *name, struct user *out, char hash[USERS_HASH_MAX])
{
	sqlite3_bind_text(u->st[FIND], 1, name, -1, SQLITE_STATIC);
	return read_user(u, u->st[FIND], out, hash);
}

int users_get(struct users *u, int64_t id, struct user *out)
{
	sqlite3_bind_int64(u->st[GET], 1, id);
	return read_user(u, u->st[GET], out, NULL);
}

int users_audit(struct users *u, const char *actor, const char *action, const char *target,
		const char *detail, int64_t now_ms)
{
	sqlite3_stmt *st = u->st[AUDIT_ADD];

	sqlite3_bind_int64(st, 1, now_ms);
	sqlite3_bind_text(st, 2, actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, action, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, target, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, detail, -1, SQLITE_STATIC);
	return sqlx_step_done(st, "store", false);
}

int users_audit_foreach(struct users *u, int limit, users_audit_fn fn, void *ctx)
{
	sqlite3_stmt *st = u->st[AUDIT_LIST];
	int ret = 0;
	int rc;

	sqlite3_bind_int(st, 1, limit);
	for (;;) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_DONE)
			break;
		if (rc != SQLITE_ROW) {
			ret = sqlx_fail(u->db, "store", "list audit");
			break;
		}
		ret = fn(ctx, sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1),
			 (const char *)sqlite3_column_text(st, 2),
			 (const char *)sqlite3_column_text(st, 3),
			 (const char *)sqlite3_column_text(st, 4));
		if (ret != 0)
			break;
	}
	sqlx_finish(st);
	return ret;
}
