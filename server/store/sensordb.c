/* SPDX-License-Identifier: MIT */
/*
 * Sensor tables (see sensordb.h): one array of SQL, prepared once at open on
 * the store's connection, reset after each use.
 */
#include "store/sensordb.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "siteboard/log.h"
#include "siteboard/sqlx.h"

enum stmt {
	S_GET = 0,
	S_INSERT,
	S_UPDATE,
	S_DELETE,
	S_LIST_ALL,
	S_LIST_BLOCK,
	S_EV_INSERT,
	S_LAST_DOOR,
	S_EV_COUNT_SENSOR,
	S_EV_LIST_SENSOR,
	S_EV_COUNT_BLOCK,
	S_EV_LIST_BLOCK,
	S_EV_COUNT_ALL,
	S_EV_LIST_ALL,
	S_GAP_ADD,
	S_COUNTER_ADD,
	S_COUNTER_LIST,
	S_JOURNAL_GET,
	S_JOURNAL_SET,
	S_LIVE,
	S_N,
};

#define SENSOR_COLS \
	"id, block, kind, role, location, created_at, last_seen, online, battery_pct, fw," \
	" first_seq, last_seq, n_events"
#define EVENT_COLS "sensor, seq, block, kind, ts, arrived_at, open, period_s, laeq, lafmax, la90, la10"

static const char *const sql[S_N] = {
	[S_GET] = "SELECT " SENSOR_COLS " FROM sensors WHERE id = ?1",
	[S_INSERT] = "INSERT INTO sensors (id, block, kind, role, location, created_at)"
	             " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[S_UPDATE] = "UPDATE sensors SET block = ?2, kind = ?3, role = ?4, location = ?5 WHERE id = ?1",
	[S_DELETE] = "DELETE FROM sensors WHERE id = ?1",
	[S_LIST_ALL] = "SELECT " SENSOR_COLS " FROM sensors ORDER BY id",
	[S_LIST_BLOCK] = "SELECT " SENSOR_COLS " FROM sensors WHERE block = ?1 ORDER BY id",
	[S_EV_INSERT] = "INSERT OR IGNORE INTO sensor_events (" EVENT_COLS ")"
	                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
	[S_LAST_DOOR] = "SELECT open FROM sensor_events WHERE sensor = ?1 ORDER BY seq DESC LIMIT 1",
	[S_EV_COUNT_SENSOR] = "SELECT COUNT(*) FROM sensor_events WHERE sensor = ?1 AND ts >= ?2 AND ts < ?3",
	[S_EV_LIST_SENSOR] = "SELECT " EVENT_COLS " FROM sensor_events WHERE sensor = ?1 AND ts >= ?2 AND ts < ?3"
	                     " ORDER BY seq LIMIT ?4 OFFSET ?5",
	[S_EV_COUNT_BLOCK] = "SELECT COUNT(*) FROM sensor_events WHERE block = ?1 AND ts >= ?2 AND ts < ?3",
	[S_EV_LIST_BLOCK] = "SELECT " EVENT_COLS " FROM sensor_events WHERE block = ?1 AND ts >= ?2 AND ts < ?3"
	                    " ORDER BY ts, sensor, seq LIMIT ?4 OFFSET ?5",
	[S_EV_COUNT_ALL] = "SELECT COUNT(*) FROM sensor_events WHERE ?1 IS NULL AND ts >= ?2 AND ts < ?3",
	[S_EV_LIST_ALL] = "SELECT " EVENT_COLS " FROM sensor_events WHERE ?1 IS NULL AND ts >= ?2 AND ts < ?3"
	                  " ORDER BY ts, sensor, seq LIMIT ?4 OFFSET ?5",
	[S_GAP_ADD] = "INSERT INTO sensor_gaps (sensor, from_seq, to_seq, detected_at) VALUES (?1, ?2, ?3, ?4)",
	[S_COUNTER_ADD] = "INSERT INTO ingest_counters (name, count) VALUES (?1, ?2)"
	                  " ON CONFLICT (name) DO UPDATE SET count = count + excluded.count",
	[S_COUNTER_LIST] = "SELECT name, count FROM ingest_counters ORDER BY name",
	[S_JOURNAL_GET] = "SELECT applied FROM ingest_journal WHERE id = 1",
	[S_JOURNAL_SET] = "UPDATE ingest_journal SET applied = ?1 WHERE id = 1",
	[S_LIVE] = "UPDATE sensors SET last_seen = ?2, online = ?3, battery_pct = ?4, fw = COALESCE(?5, fw),"
	           " first_seq = ?6, last_seq = ?7, n_events = ?8 WHERE id = ?1",
};

struct sensordb {
	sqlite3 *db;
	sqlite3_stmt *st[S_N];
};

static void col_text(sqlite3_stmt *st, int c, char *buf, size_t n)
{
	const unsigned char *t = sqlite3_column_text(st, c);

	snprintf(buf, n, "%s", t != NULL ? (const char *)t : "");
}

static int64_t col_opt(sqlite3_stmt *st, int c)
{
	return sqlite3_column_type(st, c) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, c);
}

static void read_sensor(sqlite3_stmt *st, struct sensordb_sensor *s)
{
	memset(s, 0, sizeof(*s));
	col_text(st, 0, s->id, sizeof(s->id));
	col_text(st, 1, s->block, sizeof(s->block));
	col_text(st, 2, s->kind, sizeof(s->kind));
	col_text(st, 3, s->role, sizeof(s->role));
	s->has_location = sqlite3_column_type(st, 4) != SQLITE_NULL;
	col_text(st, 4, s->location, sizeof(s->location));
	s->created_at = sqlite3_column_int64(st, 5);
	s->last_seen = col_opt(st, 6);
	s->online = (int)col_opt(st, 7);
	s->battery_pct = (int)col_opt(st, 8);
	col_text(st, 9, s->fw, sizeof(s->fw));
	s->first_seq = col_opt(st, 10);
	s->last_seq = col_opt(st, 11);
	s->n_events = sqlite3_column_int64(st, 12);
}

int sensordb_open(struct store *store, struct sensordb **out)
{
	struct sensordb *d = calloc(1, sizeof(*d));
	int ret = -EIO;

	*out = NULL;
	if (d == NULL)
		return -ENOMEM;
	d->db = store_db(store);
	if (sqlx_prepare_all(d->db, sql, S_N, d->st, "sensordb") < 0)
		goto out;
	*out = d;
	d = NULL;
	ret = 0;
out:
	sensordb_close(d);
	return ret;
}

void sensordb_close(struct sensordb *d)
{
	if (d == NULL)
		return;
	sqlx_finalize_all(d->st, S_N);
	free(d);
}

int sensordb_sensor_get(struct sensordb *d, const char *id, struct sensordb_sensor *out)
{
	sqlite3_stmt *st = d->st[S_GET];
	int ret = -ENOENT;
	int rc;

	sqlx_bind_text(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		read_sensor(st, out);
		ret = 0;
	} else if (rc != SQLITE_DONE) {
		ret = sqlx_fail(d->db, "sensordb", "sensor get");
	}
	sqlx_finish(st);
	return ret;
}

int sensordb_sensor_insert(struct sensordb *d, const struct sensordb_sensor *s)
{
	sqlite3_stmt *st = d->st[S_INSERT];

	sqlx_bind_text(st, 1, s->id);
	sqlx_bind_text(st, 2, s->block);
	sqlx_bind_text(st, 3, s->kind);
	sqlx_bind_text(st, 4, s->role);
	sqlx_bind_text(st, 5, s->has_location ? s->location : NULL);
	sqlite3_bind_int64(st, 6, s->created_at);
	return sqlx_step_done(st, "sensordb", false);
}

int sensordb_sensor_update(struct sensordb *d, const struct sensordb_sensor *s)
{
	sqlite3_stmt *st = d->st[S_UPDATE];

	sqlx_bind_text(st, 1, s->id);
	sqlx_bind_text(st, 2, s->block);
	sqlx_bind_text(st, 3, s->kind);
	sqlx_bind_text(st, 4, s->role);
	sqlx_bind_text(st, 5, s->has_location ? s->location : NULL);
	return sqlx_step_done(st, "sensordb", true);
}

int sensordb_sensor_delete(struct sensordb *d, const char *id)
{
	sqlite3_stmt *st = d->st[S_DELETE];

	sqlx_bind_text(st, 1, id);
	return sqlx_step_done(st, "sensordb", true);
}

int sensordb_sensor_foreach(struct sensordb *d, const char *block, sensordb_sensor_fn fn,
			    void *ctx)
{
	sqlite3_stmt *st = d->st[block != NULL ? S_LIST_BLOCK : S_LIST_ALL];
	struct sensordb_sensor *s = malloc(sizeof(*s));
	int ret = 0;
	int rc;

	if (s == NULL)
		return -ENOMEM;
	if (block != NULL)
		sqlx_bind_text(st, 1, block);
	for (;;) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_DONE)
			break;
		if (rc != SQLITE_ROW) {
			ret = sqlx_fail(d->db, "sensordb", "sensor list");
			break;
		}
		read_sensor(st, s);
		ret = fn(ctx, s);
		if (ret != 0)
			break;
	}
	sqlx_finish(st);
	free(s);
	return ret;
}

int sensordb_sensor_live(struct sensordb *d, const char *id, const struct sensordb_live *l)
{
	sqlite3_stmt *st = d->st[S_LIVE];

	sqlx_bind_text(st, 1, id);
	sqlx_bind_opt_int64(st, 2, l->last_seen);
	sqlx_bind_opt_int64(st, 3, l->online);
	sqlx_bind_opt_int64(st, 4, l->battery_pct);
	sqlx_bind_text(st, 5, l->fw);
	sqlx_bind_opt_int64(st, 6, l->first_seq);
	sqlx_bind_opt_int64(st, 7, l->last_seq);
	sqlite3_bind_int64(st, 8, l->n_events);
	return sqlx_step_done(st, "sensordb", false);
}

int sensordb_event_insert(struct sensordb *d, const struct sensordb_event *e)
{
	sqlite3_stmt *st = d->st[S_EV_INSERT];
	int ret;

	sqlx_bind_text(st, 1, e->sensor);
	sqlite3_bind_int64(st, 2, e->seq);
	sqlx_bind_text(st, 3, e->block);
	sqlx_bind_text(st, 4, e->door ? "door" : "noise");
	sqlite3_bind_int64(st, 5, e->ts_ms);
	sqlite3_bind_int64(st, 6, e->arrived_ms);
	if (e->door) {
		sqlite3_bind_int(st, 7, e->open ? 1 : 0);
	} else {
		sqlite3_bind_int(st, 8, e->noise.period_s);
		if (e->noise.has_levels) {
			sqlite3_bind_double(st, 9, e->noise.laeq);
			sqlite3_bind_double(st, 10, e->noise.lafmax);
			sqlite3_bind_double(st, 11, e->noise.la90);
			if (e->noise.has_la10)
				sqlite3_bind_double(st, 12, e->noise.la10);
		}
	}
	ret = sqlx_step_done(st, "sensordb", false);
	if (ret == 0 && sqlite3_changes(d->db) == 0)
		ret = -EEXIST;
	return ret;
}

int sensordb_last_door(struct sensordb *d, const char *sensor, bool *open)
{
	sqlite3_stmt *st = d->st[S_LAST_DOOR];
	int ret = -ENOENT;
	int rc;

	sqlx_bind_text(st, 1, sensor);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
		*open = sqlite3_column_int(st, 0) != 0;
		ret = 0;
	} else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		ret = sqlx_fail(d->db, "sensordb", "last door");
	}
	sqlx_finish(st);
	return ret;
}

static void read_event(sqlite3_stmt *st, struct sensordb_event *e, char *kind, size_t kind_len)
{
	memset(e, 0, sizeof(*e));
	e->sensor = (const char *)sqlite3_column_text(st, 0);
	e->seq = sqlite3_column_int64(st, 1);
	e->block = (const char *)sqlite3_column_text(st, 2);
	col_text(st, 3, kind, kind_len);
	e->door = strcmp(kind, "door") == 0;
	e->ts_ms = sqlite3_column_int64(st, 4);
	e->arrived_ms = sqlite3_column_int64(st, 5);
	e->open = sqlite3_column_int(st, 6) != 0;
	e->noise.seq = e->seq;
	e->noise.ts_ms = e->ts_ms;
	e->noise.period_s = sqlite3_column_int(st, 7);
	e->noise.has_levels = sqlite3_column_type(st, 8) != SQLITE_NULL;
	e->noise.laeq = sqlite3_column_double(st, 8);
	e->noise.lafmax = sqlite3_column_double(st, 9);
	e->noise.la90 = sqlite3_column_double(st, 10);
	e->noise.has_la10 = sqlite3_column_type(st, 11) != SQLITE_NULL;
	e->noise.la10 = sqlite3_column_double(st, 11);
}

int sensordb_events(struct sensordb *d, const struct sensordb_query *q, int64_t *total,
		    sensordb_event_fn fn, void *ctx)
{
	enum stmt c = q->sensor != NULL ? S_EV_COUNT_SENSOR
		      : q->block != NULL ? S_EV_COUNT_BLOCK : S_EV_COUNT_ALL;
	sqlite3_stmt *count = d->st[c];
	sqlite3_stmt *list = d->st[c + 1];
	const char *key = q->sensor != NULL ? q->sensor : q->block;
	struct sensordb_event e;
	char kind[8];
	int ret = 0;
	int rc;

	sqlx_bind_text(count, 1, key);
	sqlite3_bind_int64(count, 2, q->from_ms);
	sqlite3_bind_int64(count, 3, q->to_ms);
	if (sqlite3_step(count) != SQLITE_ROW) {
		ret = sqlx_fail(d->db, "sensordb", "event count");
		goto out;
	}
	*total = sqlite3_column_int64(count, 0);
	sqlx_bind_text(list, 1, key);
	sqlite3_bind_int64(list, 2, q->from_ms);
	sqlite3_bind_int64(list, 3, q->to_ms);
	sqlite3_bind_int64(list, 4, q->limit);
	sqlite3_bind_int64(list, 5, q->offset);
	for (;;) {
		rc = sqlite3_step(list);
		if (rc == SQLITE_DONE)
			break;
		if (rc != SQLITE_ROW) {
			ret = sqlx_fail(d->db, "sensordb", "event list");
			break;
		}
		read_event(list, &e, kind, sizeof(kind));
		ret = fn(ctx, &e, kind);
		if (ret != 0)
			break;
	}
out:
	sqlx_finish(count);
	sqlx_finish(list);
	return ret;
}

int sensordb_gap_add(struct sensordb *d, const char *sensor, int64_t from_seq, int64_t to_seq,
		     int64_t detected_ms)
{
	sqlite3_stmt *st = d->st[S_GAP_ADD];

	sqlx_bind_text(st, 1, sensor);
	sqlite3_bind_int64(st, 2, from_seq);
	sqlite3_bind_int64(st, 3, to_seq);
	sqlite3_bind_int64(st, 4, detected_ms);
	return sqlx_step_done(st, "sensordb", false);
}

int sensordb_counter_add(struct sensordb *d, const char *name, int64_t delta)
{
	sqlite3_stmt *st = d->st[S_COUNTER_ADD];

	sqlx_bind_text(st, 1, name);
	sqlite3_bind_int64(st, 2, delta);
	return sqlx_step_done(st, "sensordb", false);
}

int sensordb_counter_foreach(struct sensordb *d, sensordb_counter_fn fn, void *ctx)
{
	sqlite3_stmt *st = d->st[S_COUNTER_LIST];
	int ret = 0;
	int rc;

	for (;;) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_DONE)
			break;
		if (rc != SQLITE_ROW) {
			ret = sqlx_fail(d->db, "sensordb", "counter list");
			break;
		}
		ret = fn(ctx, (const char *)sqlite3_column_text(st, 0),
			 sqlite3_column_int64(st, 1));
		if (ret != 0)
			break;
	}
	sqlx_finish(st);
	return ret;
}

int sensordb_journal_applied(struct sensordb *d, int64_t *id)
{
	sqlite3_stmt *st = d->st[S_JOURNAL_GET];
	int ret = 0;

	if (sqlite3_step(st) == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	else
		ret = sqlx_fail(d->db, "sensordb", "journal applied");
	sqlx_finish(st);
	return ret;
}

int sensordb_journal_set_applied(struct sensordb *d, int64_t id)
{
	sqlite3_stmt *st = d->st[S_JOURNAL_SET];

	sqlite3_bind_int64(st, 1, id);
	return sqlx_step_done(st, "sensordb", false);
}
