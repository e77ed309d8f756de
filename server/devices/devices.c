/* SPDX-License-Identifier: MIT */
/*
 * The devices table (see devices.h). Every statement is prepared once at open.
 */
#include "devices/devices.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "siteboard/log.h"
#include "siteboard/sqlx.h"

static const char *const kind_names[] = {"server", "kiosk", "sensor", "sensord", "bridge"};

enum { ST_ADD, ST_REMOVE, ST_LIST, ST_N };

static const char *const sql[ST_N] = {
	[ST_ADD] = "INSERT INTO devices (id, kind, block, sensors, prefix, username, pwhash, created_at)"
	           " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	[ST_REMOVE] = "DELETE FROM devices WHERE id = ?",
	[ST_LIST] = "SELECT id, kind, block, sensors, prefix, username, pwhash, created_at FROM devices"
	            " ORDER BY CASE kind WHEN 'server' THEN 0 WHEN 'kiosk' THEN 1 WHEN 'sensor' THEN 2"
	            " WHEN 'sensord' THEN 3 ELSE 4 END, id",
};

struct devices {
	sqlite3 *db;
	sqlite3_stmt *st[ST_N];
};

const char *devices_kind_name(enum devices_kind kind)
{
	if ((size_t)kind >= sizeof(kind_names) / sizeof(kind_names[0]))
		return "?";
	return kind_names[kind];
}

int devices_kind_parse(const char *name, enum devices_kind *out)
{
	for (size_t i = 0; i < sizeof(kind_names) / sizeof(kind_names[0]); i++) {
		if (strcmp(name, kind_names[i]) == 0) {
			*out = (enum devices_kind)i;
			return 0;
		}
	}
	return -EINVAL;
}

int devices_open(struct store *st, struct devices **out)
{
	struct devices *d = calloc(1, sizeof(*d));
	int ret = -ENOMEM;

	if (d == NULL)
		goto fail;
	d->db = store_sqlite(st);
	ret = -EIO;
	if (sqlx_prepare_all(d->db, sql, ST_N, d->st, "devices") < 0)
		goto fail;
	*out = d;
	return 0;
fail:
	devices_close(d);
	return ret;
}

void devices_close(struct devices *d)
{
	if (d == NULL)
		return;
	sqlx_finalize_all(d->st, ST_N);
	free(d);
}

int devices_add(struct devices *d, const struct device *dev)
{
	sqlite3_stmt *s = d->st[ST_ADD];
	int rc, ret = 0;

	sqlite3_bind_text(s, 1, dev->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, devices_kind_name(dev->kind), -1, SQLITE_STATIC);
	sqlx_bind_text_or_null(s, 3, dev->block);
	sqlite3_bind_text(s, 4, dev->sensors, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, dev->prefix, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, dev->username, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 7, dev->pwhash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 8, dev->created_at);
	rc = sqlite3_step(s);
	if ((rc & 0xff) == SQLITE_CONSTRAINT) {
		ret = -EEXIST;
	} else if (rc != SQLITE_DONE) {
		log_error("devices: add: %s", sqlite3_errmsg(d->db));
		ret = -EIO;
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return ret;
}

int devices_remove(struct devices *d, const char *id)
{
	sqlite3_stmt *s = d->st[ST_REMOVE];
	int ret = 0;

	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE) {
		log_error("devices: remove: %s", sqlite3_errmsg(d->db));
		ret = -EIO;
	} else if (sqlite3_changes(d->db) == 0) {
		ret = -ENOENT;
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return ret;
}

static void column_copy(sqlite3_stmt *s, int col, char *dst, size_t n)
{
	const unsigned char *v = sqlite3_column_text(s, col);

	snprintf(dst, n, "%s", v != NULL ? (const char *)v : "");
}

int devices_foreach(struct devices *d, devices_fn fn, void *ctx)
{
	sqlite3_stmt *s = d->st[ST_LIST];
	struct device *dev = calloc(1, sizeof(*dev));
	int rc, ret = 0;

	if (dev == NULL)
		return -ENOMEM;
	for (;;) {
		rc = sqlite3_step(s);
		if (rc == SQLITE_DONE)
			break;
		if (rc != SQLITE_ROW) {
			log_error("devices: list: %s", sqlite3_errmsg(d->db));
			ret = -EIO;
			break;
		}
		memset(dev, 0, sizeof(*dev));
		column_copy(s, 0, dev->id, sizeof(dev->id));
		if (devices_kind_parse((const char *)sqlite3_column_text(s, 1), &dev->kind) < 0) {
			ret = -EIO;
			break;
		}
		column_copy(s, 2, dev->block, sizeof(dev->block));
		column_copy(s, 3, dev->sensors, sizeof(dev->sensors));
		column_copy(s, 4, dev->prefix, sizeof(dev->prefix));
		column_copy(s, 5, dev->username, sizeof(dev->username));
		column_copy(s, 6, dev->pwhash, sizeof(dev->pwhash));
		dev->created_at = sqlite3_column_int64(s, 7);
		ret = fn(ctx, dev);
		if (ret != 0)
			break;
	}
	sqlite3_reset(s);
	free(dev);
	return ret;
}
