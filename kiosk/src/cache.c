/* SPDX-License-Identifier: MIT */
/*
 * SQLite board cache (see cache.h). One table, one row per site/block,
 * statements prepared once at open and finalized at close. WAL mode so that
 * a power cut during a write leaves the previous board readable.
 */
#include "cache.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include <siteboard/log.h>

struct cache {
	sqlite3 *db;
	sqlite3_stmt *put;
	sqlite3_stmt *get;
};

static const char schema_sql[] =
	"PRAGMA journal_mode=WAL;"
	"CREATE TABLE IF NOT EXISTS board ("
	" site TEXT NOT NULL, block TEXT NOT NULL, version INTEGER NOT NULL,"
	" received_ms INTEGER NOT NULL, json BLOB NOT NULL, PRIMARY KEY (site, block));";

int cache_open(const char *path, struct cache **out)
{
	struct cache *c = NULL;
	char *err = NULL;
	int rc = -EIO;

	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	if (sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		log_error("cache %s: %s", path, c->db ? sqlite3_errmsg(c->db) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(c->db, 2000);
	if (sqlite3_exec(c->db, schema_sql, NULL, NULL, &err) != SQLITE_OK) {
		log_error("cache %s: %s", path, err ? err : sqlite3_errmsg(c->db));
		sqlite3_free(err);
		goto fail;
	}
	if (sqlite3_prepare_v2(c->db,
			       "INSERT OR REPLACE INTO board (site, block, version, received_ms, json)"
			       " VALUES (?1, ?2, ?3, ?4, ?5)",
			       -1, &c->put, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(c->db,
			       "SELECT json, version, received_ms FROM board"
			       " WHERE site = ?1 AND block = ?2",
			       -1, &c->get, NULL) != SQLITE_OK) {
		log_error("cache %s: %s", path, sqlite3_errmsg(c->db));
		goto fail;
	}
	*out = c;
	return 0;
fail:
	cache_close(c);
	return rc;
}

void cache_close(struct cache *c)
{
	if (!c)
		return;
	sqlite3_finalize(c->put);
	sqlite3_finalize(c->get);
	sqlite3_close(c->db);
	free(c);
}

int cache_put(struct cache *c, const char *site, const char *block, int64_t version,
	      int64_t received_ms, const char *json, size_t len)
{
	int rc = 0;

	if (!c || !site || !block || !json || !len)
		return -EINVAL;
	if (sqlite3_bind_text(c->put, 1, site, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
	    sqlite3_bind_text(c->put, 2, block, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
	    sqlite3_bind_int64(c->put, 3, version) != SQLITE_OK ||
	    sqlite3_bind_int64(c->put, 4, received_ms) != SQLITE_OK ||
	    sqlite3_bind_blob64(c->put, 5, json, len, SQLITE_TRANSIENT) != SQLITE_OK ||
	    sqlite3_step(c->put) != SQLITE_DONE) {
		log_error("cache write failed: %s", sqlite3_errmsg(c->db));
		rc = -EIO;
	}
	sqlite3_reset(c->put);
	sqlite3_clear_bindings(c->put);
	return rc;
}

int cache_get(struct cache *c, const char *site, const char *block, char **json, size_t *len,
	      int64_t *version, int64_t *received_ms)
{
	const void *blob = NULL;
	char *copy = NULL;
	int n, step, rc = 0;

	if (!c || !site || !block || !json)
		return -EINVAL;
	if (sqlite3_bind_text(c->get, 1, site, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
	    sqlite3_bind_text(c->get, 2, block, -1, SQLITE_TRANSIENT) != SQLITE_OK) {
		rc = -EIO;
		goto out;
	}
	step = sqlite3_step(c->get);
	if (step == SQLITE_DONE) {
		rc = -ENOENT;
		goto out;
	}
	if (step != SQLITE_ROW) {
		log_error("cache read failed: %s", sqlite3_errmsg(c->db));
		rc = -EIO;
		goto out;
	}
	blob = sqlite3_column_blob(c->get, 0);
	n = sqlite3_column_bytes(c->get, 0);
	copy = malloc((size_t)n + 1);
	if (!copy) {
		rc = -ENOMEM;
		goto out;
	}
	if (n > 0)
		memcpy(copy, blob, (size_t)n);
	copy[n] = '\0';
	*json = copy;
	if (len)
		*len = (size_t)n;
	if (version)
		*version = sqlite3_column_int64(c->get, 1);
	if (received_ms)
		*received_ms = sqlite3_column_int64(c->get, 2);
out:
	sqlite3_reset(c->get);
	sqlite3_clear_bindings(c->get);
	return rc;
}
