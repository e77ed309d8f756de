/* SPDX-License-Identifier: MIT */
/*
 * SQLite queue (see outbox.h). Schema:
 *   outbox(id INTEGER PRIMARY KEY AUTOINCREMENT, sensor, seq, topic, payload, created_ms)
 *   seqs(sensor PRIMARY KEY, next)        next seq per sensor
 *   meta(key PRIMARY KEY, value)          'dropped': rows dropped when full
 *   nodeseqs(sensor, node, boot_count, boot_ms, node_seq, seq)
 *                                         which seq a firmware node's frame got
 * AUTOINCREMENT keeps ids rising even after the queue empties, so the send
 * order is the push order across restarts. Statements are prepared once.
 */
#include "outbox.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include <siteboard/log.h>
#include <siteboard/sbtime.h>
#include <siteboard/sqlx.h>

enum stmt {
	ST_BEGIN,
	ST_COMMIT,
	ST_ROLLBACK,
	ST_SEQ_GET,
	ST_SEQ_SET,
	ST_INSERT,
	ST_OLDEST,
	ST_DELETE,
	ST_NEXT,
	ST_COUNT,
	ST_DROPPED_GET,
	ST_DROPPED_SET,
	ST_ORIGIN_GET,
	ST_ORIGIN_SET,
	ST_ORIGIN_PRUNE,
	ST_N
};

static const char *const sql[ST_N] = {
	[ST_BEGIN] = "BEGIN IMMEDIATE",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",
	[ST_SEQ_GET] = "SELECT next FROM seqs WHERE sensor = ?1",
	[ST_SEQ_SET] = "INSERT INTO seqs(sensor, next) VALUES(?1, ?2) "
		       "ON CONFLICT(sensor) DO UPDATE SET next = excluded.next",
	[ST_INSERT] = "INSERT INTO outbox(sensor, seq, topic, payload, created_ms) "
		      "VALUES(?1, ?2, ?3, ?4, ?5)",
	[ST_OLDEST] = "SELECT id, sensor, seq FROM outbox ORDER BY id LIMIT 1",
	[ST_DELETE] = "DELETE FROM outbox WHERE id = ?1",
	[ST_NEXT] = "SELECT id, sensor, seq, topic, payload FROM outbox WHERE id > ?1 "
		    "ORDER BY id LIMIT 1",
	[ST_COUNT] = "SELECT count(*) FROM outbox",
	[ST_DROPPED_GET] = "SELECT value FROM meta WHERE key = 'dropped'",
	[ST_DROPPED_SET] = "INSERT INTO meta(key, value) VALUES('dropped', ?1) "
			   "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
	[ST_ORIGIN_GET] = "SELECT seq FROM nodeseqs WHERE sensor = ?1 AND node = ?2 AND "
			  "boot_count = ?3 AND boot_ms = ?4 AND node_seq = ?5",
	[ST_ORIGIN_SET] = "INSERT OR REPLACE INTO nodeseqs(sensor, node, boot_count, boot_ms, "
			  "node_seq, seq) VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_ORIGIN_PRUNE] = "DELETE FROM nodeseqs WHERE sensor = ?1 AND seq <= ?2",
};

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS outbox("
	" id INTEGER PRIMARY KEY AUTOINCREMENT, sensor TEXT NOT NULL, seq INTEGER NOT NULL,"
	" topic TEXT NOT NULL, payload BLOB NOT NULL, created_ms INTEGER NOT NULL);"
	"CREATE TABLE IF NOT EXISTS seqs(sensor TEXT PRIMARY KEY, next INTEGER NOT NULL);"
	"CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL);"
	"CREATE TABLE IF NOT EXISTS nodeseqs(sensor TEXT NOT NULL, node INTEGER NOT NULL,"
	" boot_count INTEGER NOT NULL, boot_ms INTEGER NOT NULL, node_seq INTEGER NOT NULL,"
	" seq INTEGER NOT NULL, PRIMARY KEY(sensor, node, boot_count, boot_ms, node_seq));";

struct outbox {
	sqlite3 *db;
	sqlite3_stmt *st[ST_N];
	pthread_mutex_t lock;
	int64_t max_rows;
	int64_t count;   /* rows in outbox, kept in step with the table */
	int64_t dropped; /* as stored in meta */
};

static int exec_simple(struct outbox *ob, enum stmt s)
{
	int rc = sqlite3_step(ob->st[s]);

	sqlite3_reset(ob->st[s]);
	return rc == SQLITE_DONE ? 0 : sqlx_fail(ob->db, "queue", sql[s]);
}

/* Run a one-column integer query; -ENOENT when there is no row. */
static int query_int(struct outbox *ob, sqlite3_stmt *st, int64_t *out)
{
	int rc = sqlite3_step(st);
	int ret = 0;

	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	else if (rc == SQLITE_DONE)
		ret = -ENOENT;
	else
		ret = sqlx_fail(ob->db, "queue", sqlite3_sql(st));
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return ret;
}

static int exec_bound(struct outbox *ob, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? 0 : sqlx_fail(ob->db, "queue", sqlite3_sql(st));
}

int outbox_open(const char *path, int64_t max_rows, struct outbox **out)
{
	struct outbox *ob = NULL;
	char *msg = NULL;
	int ret = -ENOMEM;
	int rc;

	*out = NULL;
	if (!path || max_rows < 1)
		return -EINVAL;
	ob = calloc(1, sizeof(*ob));
	if (!ob)
		return -ENOMEM;
	pthread_mutex_init(&ob->lock, NULL);
	ob->max_rows = max_rows;
	ret = -EIO;
	rc = sqlite3_open_v2(path, &ob->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		log_error("queue: cannot open %s: %s", path,
			  ob->db ? sqlite3_errmsg(ob->db) : sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_busy_timeout(ob->db, 5000);
	/* FULL: a push that returned is on disk, whatever kills us next */
	rc = sqlite3_exec(ob->db,
			  "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", NULL, NULL, &msg);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(ob->db, schema, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		log_error("queue: %s: %s", path, msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		goto fail;
	}
	if (sqlx_prepare_all(ob->db, sql, ST_N, ob->st, "queue") < 0)
		goto fail;
	if (query_int(ob, ob->st[ST_COUNT], &ob->count) != 0)
		goto fail;
	rc = query_int(ob, ob->st[ST_DROPPED_GET], &ob->dropped);
	if (rc == -ENOENT)
		ob->dropped = 0;
	else if (rc != 0)
		goto fail;
	*out = ob;
	ob = NULL;
	ret = 0;
fail:
	outbox_close(ob);
	return ret;
}

void outbox_close(struct outbox *ob)
{
	if (!ob)
		return;
	sqlx_finalize_all(ob->st, ST_N);
	if (ob->db)
		sqlite3_close(ob->db);
	pthread_mutex_destroy(&ob->lock);
	free(ob);
}

/* Inside the push transaction: make room by dropping the oldest row. */
static int drop_oldest(struct outbox *ob)
{
	sqlite3_stmt *st = ob->st[ST_OLDEST];
	char sensor[TOPIC_ID_MAX + 1] = "";
	int64_t id = 0, seq = 0;
	int rc;

	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const unsigned char *s = sqlite3_column_text(st, 1);

		id = sqlite3_column_int64(st, 0);
		seq = sqlite3_column_int64(st, 2);
		if (s)
			snprintf(sensor, sizeof(sensor), "%s", (const char *)s);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return sqlx_fail(ob->db, "queue", sql[ST_OLDEST]);
	sqlite3_bind_int64(ob->st[ST_DELETE], 1, id);
	if (exec_bound(ob, ob->st[ST_DELETE]) != 0)
		return -EIO;
	sqlite3_bind_int64(ob->st[ST_DROPPED_SET], 1, ob->dropped + 1);
	if (exec_bound(ob, ob->st[ST_DROPPED_SET]) != 0)
		return -EIO;
	log_warn("queue: full (%lld rows): dropped the oldest reading, %s seq %lld "
		 "(%lld dropped so far)",
		 (long long)ob->max_rows, sensor, (long long)seq, (long long)ob->dropped + 1);
	return 1;
}

static void bind_origin(sqlite3_stmt *st, const char *sensor, const struct outbox_origin *o)
{
	sqlite3_bind_text(st, 1, sensor, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, o->node);
	sqlite3_bind_int64(st, 3, o->boot_count);
	sqlite3_bind_int64(st, 4, o->boot_ms);
	sqlite3_bind_int64(st, 5, o->node_seq);
}

/* Inside the push transaction: record which seq origin's frame got. */
static int origin_set(struct outbox *ob, const char *sensor, const struct outbox_origin *o,
		      int64_t seq)
{
	bind_origin(ob->st[ST_ORIGIN_SET], sensor, o);
	sqlite3_bind_int64(ob->st[ST_ORIGIN_SET], 6, seq);
	if (exec_bound(ob, ob->st[ST_ORIGIN_SET]) != 0)
		return -EIO;
	sqlite3_bind_text(ob->st[ST_ORIGIN_PRUNE], 1, sensor, -1, SQLITE_STATIC);
	sqlite3_bind_int64(ob->st[ST_ORIGIN_PRUNE], 2, seq - OUTBOX_ORIGIN_KEEP);
	return exec_bound(ob, ob->st[ST_ORIGIN_PRUNE]);
}

static int push(struct outbox *ob, const char *sensor, const char *topic,
		const struct outbox_origin *origin, outbox_encode_fn encode, void *ctx,
		int64_t *seq_out, bool *duplicate)
{
	char payload[OUTBOX_PAYLOAD_MAX];
	int64_t seq = 1;
	int dropped = 0;
	int ret = -EIO;
	int len, rc;

	if (!ob || !sensor || !topic || !encode || !topic_id_valid(sensor))
		return -EINVAL;
	pthread_mutex_lock(&ob->lock);
	if (exec_simple(ob, ST_BEGIN) != 0)
		goto out;
	if (origin) {
		bind_origin(ob->st[ST_ORIGIN_GET], sensor, origin);
		rc = query_int(ob, ob->st[ST_ORIGIN_GET], &seq);
		if (rc == 0) {
			/* queued before: nothing new to store */
			*duplicate = true;
			exec_simple(ob, ST_ROLLBACK);
			if (seq_out)
				*seq_out = seq;
			ret = 0;
			goto out;
		}
		if (rc != -ENOENT)
			goto rollback;
	}
	sqlite3_bind_text(ob->st[ST_SEQ_GET], 1, sensor, -1, SQLITE_STATIC);
	rc = query_int(ob, ob->st[ST_SEQ_GET], &seq);
	if (rc == -ENOENT)
		seq = 1;
	else if (rc != 0)
		goto rollback;
	len = encode(ctx, seq, payload, sizeof(payload));
	if (len < 0) {
		ret = -EINVAL;
		goto rollback;
	}
	if (ob->count >= ob->max_rows) {
		dropped = drop_oldest(ob);
		if (dropped < 0)
			goto rollback;
	}
	sqlite3_bind_text(ob->st[ST_INSERT], 1, sensor, -1, SQLITE_STATIC);
	sqlite3_bind_int64(ob->st[ST_INSERT], 2, seq);
	sqlite3_bind_text(ob->st[ST_INSERT], 3, topic, -1, SQLITE_STATIC);
	sqlite3_bind_blob(ob->st[ST_INSERT], 4, payload, len, SQLITE_STATIC);
	sqlite3_bind_int64(ob->st[ST_INSERT], 5, sbtime_now_ms());
	if (exec_bound(ob, ob->st[ST_INSERT]) != 0)
		goto rollback;
	sqlite3_bind_text(ob->st[ST_SEQ_SET], 1, sensor, -1, SQLITE_STATIC);
	sqlite3_bind_int64(ob->st[ST_SEQ_SET], 2, seq + 1);
	if (exec_bound(ob, ob->st[ST_SEQ_SET]) != 0)
		goto rollback;
	if (origin && origin_set(ob, sensor, origin, seq) != 0)
		goto rollback;
	if (exec_simple(ob, ST_COMMIT) != 0)
		goto rollback;
	if (dropped > 0) {
		ob->dropped++;
		ob->count--;
	}
	ob->count++;
	if (seq_out)
		*seq_out = seq;
	ret = 0;
	goto out;
rollback:
	exec_simple(ob, ST_ROLLBACK);
out:
	pthread_mutex_unlock(&ob->lock);
	return ret;
}

int outbox_push(struct outbox *ob, const char *sensor, const char *topic, outbox_encode_fn encode,
		void *ctx, int64_t *seq_out)
{
	bool dup = false;

	return push(ob, sensor, topic, NULL, encode, ctx, seq_out, &dup);
}

int outbox_push_node(struct outbox *ob, const char *sensor, const char *topic,
		     const struct outbox_origin *origin, outbox_encode_fn encode, void *ctx,
		     int64_t *seq_out, bool *duplicate)
{
	bool dup = false;
	int rc;

	if (!origin)
		return -EINVAL;
	rc = push(ob, sensor, topic, origin, encode, ctx, seq_out, &dup);
	if (duplicate)
		*duplicate = dup;
	return rc;
}

int outbox_next(struct outbox *ob, int64_t after_id, struct outbox_row *row)
{
	sqlite3_stmt *st = ob->st[ST_NEXT];
	int ret = -ENOENT;
	int rc;

	pthread_mutex_lock(&ob->lock);
	sqlite3_bind_int64(st, 1, after_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const unsigned char *sensor = sqlite3_column_text(st, 1);
		const unsigned char *topic = sqlite3_column_text(st, 3);
		const void *payload = sqlite3_column_blob(st, 4);
		int len = sqlite3_column_bytes(st, 4);

		memset(row, 0, sizeof(*row));
		row->id = sqlite3_column_int64(st, 0);
		row->seq = sqlite3_column_int64(st, 2);
		ret = -EIO;
		if (!sensor || !topic || len < 0 || (size_t)len >= sizeof(row->payload) ||
		    strlen((const char *)sensor) >= sizeof(row->sensor) ||
		    strlen((const char *)topic) >= sizeof(row->topic)) {
			log_error("queue: row %lld is damaged", (long long)row->id);
		} else {
			memcpy(row->sensor, sensor, strlen((const char *)sensor) + 1);
			memcpy(row->topic, topic, strlen((const char *)topic) + 1);
			if (len > 0)
				memcpy(row->payload, payload, (size_t)len);
			row->len = (size_t)len;
			ret = 0;
		}
	} else if (rc != SQLITE_DONE) {
		ret = sqlx_fail(ob->db, "queue", sql[ST_NEXT]);
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	pthread_mutex_unlock(&ob->lock);
	return ret;
}

int outbox_ack(struct outbox *ob, int64_t id)
{
	int ret;

	pthread_mutex_lock(&ob->lock);
	sqlite3_bind_int64(ob->st[ST_DELETE], 1, id);
	ret = exec_bound(ob, ob->st[ST_DELETE]);
	if (ret == 0 && sqlite3_changes(ob->db) > 0)
		ob->count--;
	pthread_mutex_unlock(&ob->lock);
	return ret;
}

int64_t outbox_count(struct outbox *ob)
{
	int64_t n;

	pthread_mutex_lock(&ob->lock);
	n = ob->count;
	pthread_mutex_unlock(&ob->lock);
	return n;
}

int64_t outbox_dropped(struct outbox *ob)
{
	int64_t n;

	pthread_mutex_lock(&ob->lock);
	n = ob->dropped;
	pthread_mutex_unlock(&ob->lock);
	return n;
}

int64_t outbox_next_seq(struct outbox *ob, const char *sensor)
{
	int64_t seq = 1;
	int rc;

	pthread_mutex_lock(&ob->lock);
	sqlite3_bind_text(ob->st[ST_SEQ_GET], 1, sensor, -1, SQLITE_STATIC);
	rc = query_int(ob, ob->st[ST_SEQ_GET], &seq);
	pthread_mutex_unlock(&ob->lock);
	if (rc == -ENOENT)
		return 1;
	return rc < 0 ? rc : seq;
}
