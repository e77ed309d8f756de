/* SPDX-License-Identifier: MIT */
/*
 * The sensor tables of the server's database (schema migration 2, store.c):
 * the sensor registry with its live status and seq bookkeeping, the sensor
 * events (unique per sensor and seq), recorded seq gaps, ingest counters and
 * the ingest journal's applied mark. Statements are prepared once at open on
 * the store's connection.
 *
 * Not for: validating outside input (api_sensors, ingest), transactions
 * (store_begin/commit).
 * Threads: every call, open and close included, with store_lock held.
 */
#ifndef SITEBOARD_SERVER_SENSORDB_H
#define SITEBOARD_SERVER_SENSORDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "siteboard/event.h"
#include "store/store.h"

#define SENSORDB_LOCATION_MAX 800 /* bytes (200 characters of UTF-8) */

/* One registry row. Unknown numbers are -1; strings are "" when absent. */
struct sensordb_sensor {
	char id[41];
	char block[41];
	char kind[8];  /* door | noise */
	char role[24]; /* site_access | secure_store | communal_entrance | noise */
	char location[SENSORDB_LOCATION_MAX + 1];
	bool has_location;
	int64_t created_at;
	int64_t last_seen;
	int online; /* 1, 0, -1: no status yet */
	int battery_pct;
	char fw[EVENT_FW_MAX + 1];
	int64_t first_seq; /* -1: no event yet */
	int64_t last_seq;
	int64_t n_events;
};

/* One stored event. */
struct sensordb_event {
	const char *sensor; /* borrowed */
	const char *block;
	bool door; /* door, else noise */
	int64_t seq;
	int64_t ts_ms;
	int64_t arrived_ms;
	bool open;
	struct event_noise noise;
};

struct sensordb;

/* @retval 0 and *out set, -EIO (logged), -ENOMEM. */
int sensordb_open(struct store *store, struct sensordb **out);
/* Finalize the statements; before store_close. NULL is fine. */
void sensordb_close(struct sensordb *d);

/* Registry. @retval 0, -ENOENT (no such sensor; insert/update: no such block), -EEXIST, -EIO */
int sensordb_sensor_get(struct sensordb *d, const char *id, struct sensordb_sensor *out);
int sensordb_sensor_insert(struct sensordb *d, const struct sensordb_sensor *s);
/* Changes block, kind, role and location. */
int sensordb_sensor_update(struct sensordb *d, const struct sensordb_sensor *s);
int sensordb_sensor_delete(struct sensordb *d, const char *id);
/* Walk the registry by id (block NULL: all). fn's non-zero return stops and is returned. */
typedef int (*sensordb_sensor_fn)(void *ctx, const struct sensordb_sensor *s);
int sensordb_sensor_foreach(struct sensordb *d, const char *block, sensordb_sensor_fn fn,
			    void *ctx);

/*
 * The live part of a registry row as a batch left it, written in one
 * statement (ingest's per-transaction cache). Numbers -1 are NULL; fw NULL
 * leaves it unchanged. @retval 0, -EIO
 */
struct sensordb_live {
	int64_t last_seen;
	int online;
	int battery_pct;
	const char *fw; /* borrowed */
	int64_t first_seq;
	int64_t last_seq;
	int64_t n_events;
};
int sensordb_sensor_live(struct sensordb *d, const char *id, const struct sensordb_live *l);

/* Insert one event. @retval 0 stored, -EEXIST (sensor, seq) already stored, -EIO */
int sensordb_event_insert(struct sensordb *d, const struct sensordb_event *e);
/* The door state of the sensor's latest event. 0, -ENOENT (none), -EIO. */
int sensordb_last_door(struct sensordb *d, const char *sensor, bool *open);

/* Query events oldest first (by event time, then seq). sensor/block NULL: any;
 * from/to: INT64_MIN/INT64_MAX for none (from inclusive, to exclusive). */
struct sensordb_query {
	const char *sensor;
	const char *block;
	int64_t from_ms;
	int64_t to_ms;
	int64_t limit;
	int64_t offset;
};
typedef int (*sensordb_event_fn)(void *ctx, const struct sensordb_event *e, const char *kind);
int sensordb_events(struct sensordb *d, const struct sensordb_query *q, int64_t *total,
		    sensordb_event_fn fn, void *ctx);

/* Record a gap of missing seqs [from, to]. 0 or -EIO. */
int sensordb_gap_add(struct sensordb *d, const char *sensor, int64_t from_seq, int64_t to_seq,
		     int64_t detected_ms);

/* Add delta to a named counter. 0 or -EIO. */
int sensordb_counter_add(struct sensordb *d, const char *name, int64_t delta);
typedef int (*sensordb_counter_fn)(void *ctx, const char *name, int64_t count);
int sensordb_counter_foreach(struct sensordb *d, sensordb_counter_fn fn, void *ctx);

/* The last journal record id applied to the database. 0 or -EIO. */
int sensordb_journal_applied(struct sensordb *d, int64_t *id);
int sensordb_journal_set_applied(struct sensordb *d, int64_t id);

#endif
