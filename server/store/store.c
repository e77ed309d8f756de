/* SPDX-License-Identifier: MIT */
/*
 * SQLite store for siteboard-server (see store.h). Migrations are an array of
 * SQL scripts; user_version records how many have run, each one in its own
 * transaction. Statements are prepared once at open and reset after each use.
 */
#include "store/store.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "siteboard/log.h"
#include "siteboard/sqlx.h"

static const char *const migrations[] = {
	/* 1: blocks, board items, tokens */
	"CREATE TABLE blocks ("
	" id TEXT PRIMARY KEY,"
	" name TEXT NOT NULL,"
	" address TEXT,"
	" board_version INTEGER NOT NULL DEFAULT 0,"
	" board_json TEXT,"
	" seq INTEGER NOT NULL);"
	"CREATE TABLE notices (id TEXT PRIMARY KEY,"
	" block TEXT NOT NULL REFERENCES blocks(id) ON DELETE CASCADE,"
	" sortkey INTEGER NOT NULL, seq INTEGER NOT NULL, data TEXT NOT NULL);"
	"CREATE INDEX notices_block ON notices(block, sortkey, seq);"
	"CREATE TABLE works (id TEXT PRIMARY KEY,"
	" block TEXT NOT NULL REFERENCES blocks(id) ON DELETE CASCADE,"
	" sortkey INTEGER NOT NULL, seq INTEGER NOT NULL, data TEXT NOT NULL);"
	"CREATE INDEX works_block ON works(block, sortkey, seq);"
	"CREATE TABLE delays (id TEXT PRIMARY KEY,"
	" block TEXT NOT NULL REFERENCES blocks(id) ON DELETE CASCADE,"
	" sortkey INTEGER NOT NULL, seq INTEGER NOT NULL, data TEXT NOT NULL);"
	"CREATE INDEX delays_block ON delays(block, sortkey, seq);"
	"CREATE TABLE events (id TEXT PRIMARY KEY,"
	" block TEXT NOT NULL REFERENCES blocks(id) ON DELETE CASCADE,"
	" sortkey INTEGER NOT NULL, seq INTEGER NOT NULL, data TEXT NOT NULL);"
	"CREATE INDEX events_block ON events(block, sortkey, seq);"
	"CREATE TABLE contacts (id TEXT PRIMARY KEY,"
	" block TEXT NOT NULL REFERENCES blocks(id) ON DELETE CASCADE,"
	" sortkey INTEGER NOT NULL, seq INTEGER NOT NULL, data TEXT NOT NULL);"
	"CREATE INDEX contacts_block ON contacts(block, sortkey, seq);"
	"CREATE TABLE tokens ("
	" hash BLOB NOT NULL UNIQUE,"
	" role TEXT NOT NULL,"
	" label TEXT,"
	" created_at INTEGER NOT NULL);",
	/*
	 * 2: sensor registry, sensor events (seq de-duplicated), ingest counters,
	 * seq gaps and the ingest journal's applied mark (ingest.c, sensordb.c).
	 * Times are Unix milliseconds. sensor_events keeps its rows when a sensor
	 * is unregistered: the record outlives the registration.
	 */
	"CREATE TABLE sensors ("
	" id TEXT PRIMARY KEY,"
	" block TEXT NOT NULL REFERENCES blocks(id) ON DELETE CASCADE,"
	" kind TEXT NOT NULL CHECK (kind IN ('door', 'noise')),"
	" role TEXT NOT NULL CHECK (role IN ('site_access', 'secure_store',"
	"  'communal_entrance', 'noise')),"
	" location TEXT,"
	" created_at INTEGER NOT NULL,"
	" last_seen INTEGER,"      /* arrival of the last message of any kind */
	" online INTEGER,"         /* NULL: no status yet */
	" battery_pct INTEGER,"
	" fw TEXT,"
	" first_seq INTEGER,"      /* lowest and highest seq stored, and how many */
	" last_seq INTEGER,"
	" n_events INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX sensors_block ON sensors(block);"
	"CREATE TABLE sensor_events ("
	" sensor TEXT NOT NULL,"
	" seq INTEGER NOT NULL,"
	" block TEXT NOT NULL,"
	" kind TEXT NOT NULL CHECK (kind IN ('door', 'noise')),"
	" ts INTEGER NOT NULL,"    /* event time */
	" arrived_at INTEGER NOT NULL,"
	" open INTEGER,"           /* door */
	" period_s INTEGER, laeq REAL, lafmax REAL, la90 REAL, la10 REAL," /* noise */
	" PRIMARY KEY (sensor, seq)) WITHOUT ROWID;"
	"CREATE INDEX sensor_events_block ON sensor_events(block, ts);"
	"CREATE TABLE sensor_gaps ("
	" sensor TEXT NOT NULL,"
	" from_seq INTEGER NOT NULL,"
	" to_seq INTEGER NOT NULL,"
	" detected_at INTEGER NOT NULL);"
	"CREATE INDEX sensor_gaps_sensor ON sensor_gaps(sensor);"
	"CREATE TABLE ingest_counters ("
	" name TEXT PRIMARY KEY,"
	" count INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE ingest_journal ("
	" id INTEGER PRIMARY KEY CHECK (id = 1),"
	" applied INTEGER NOT NULL);"
	"INSERT INTO ingest_journal (id, applied) VALUES (1, 0);",
	/*
	 * 3: the breach log and what the rules engine remembers (rules.c,
	 * sitehours.c). One breach per (sensor, rule) may be open or
	 * acknowledged at a time. breach_audit records every transition and is
	 * the alerts outbox (published = 0 until the MQTT client took it).
	 * rule_timers are pending deadlines (door left insecure, held open,
	 * sensor silence), so they survive a restart. Times are Unix ms.
	 */
	"CREATE TABLE breaches ("
	" id INTEGER PRIMARY KEY,"
	" rule TEXT NOT NULL,"
	" block TEXT NOT NULL,"   /* no foreign key: the record outlives the block */
	" sensor TEXT NOT NULL,"
	" started_at INTEGER NOT NULL," /* event time */
	" ended_at INTEGER,"
	" state TEXT NOT NULL CHECK (state IN ('open', 'acknowledged', 'closed')),"
	" detail TEXT NOT NULL);"
	"CREATE UNIQUE INDEX breaches_one_open ON breaches(sensor, rule)"
	" WHERE state != 'closed';"
	"CREATE INDEX breaches_started ON breaches(started_at);"
	"CREATE TABLE breach_audit ("
	" id INTEGER PRIMARY KEY,"
	" breach INTEGER NOT NULL REFERENCES breaches(id) ON DELETE CASCADE,"
	" state TEXT NOT NULL CHECK (state IN ('open', 'acknowledged', 'closed', 'note')),"
	" at INTEGER NOT NULL,"          /* the transition's time (event time for rules) */
	" recorded_at INTEGER NOT NULL," /* when the server recorded it */
	" who TEXT NOT NULL,"            /* 'rules', or the role that acknowledged */
	" note TEXT,"
	" published INTEGER NOT NULL);"
	"CREATE INDEX breach_audit_breach ON breach_audit(breach);"
	"CREATE INDEX breach_audit_unpublished ON breach_audit(id) WHERE published = 0;"
	"CREATE TABLE rule_sensors ("
	" sensor TEXT PRIMARY KEY,"
	" block TEXT NOT NULL,"
	" door INTEGER,"                 /* 1 open, 0 closed, NULL unknown (offline) */
	" door_since INTEGER NOT NULL DEFAULT 0,"
	" status TEXT) WITHOUT ROWID;"   /* the last status message: online/offline */
	"CREATE TABLE rule_timers ("
	" sensor TEXT NOT NULL,"
	" rule TEXT NOT NULL,"
	" block TEXT NOT NULL,"
	" due INTEGER NOT NULL,"
	" since INTEGER NOT NULL,"       /* the door opened / last heard */
	" PRIMARY KEY (sensor, rule)) WITHOUT ROWID;"
	"CREATE INDEX rule_timers_due ON rule_timers(due);"
	"CREATE TABLE rule_noise ("
	" sensor TEXT NOT NULL,"
	" ts INTEGER NOT NULL,"
	" period_s INTEGER NOT NULL,"
	" laeq REAL NOT NULL,"
	" PRIMARY KEY (sensor, ts)) WITHOUT ROWID;"
	"CREATE TABLE hours_exceptions ("
	" id INTEGER PRIMARY KEY,"
	" date TEXT NOT NULL UNIQUE,"    /* YYYY-MM-DD, the site's local date */
	" closed INTEGER NOT NULL,"
	" from_min INTEGER,"             /* minutes after local midnight, when not closed */
	" to_min INTEGER,"
	" reason TEXT NOT NULL,"
	" agreed_by TEXT NOT NULL,"
	" created_at INTEGER NOT NULL);",
	/*
	 * 4: staff accounts, sign-in sessions, tenants' complaints with their
	 * responses, and the audit log (users.c, session.c, complaints.c). Times
	 * are Unix milliseconds. Complaints keep the block's name and address as
	 * received and no reference to blocks: the record outlives the block.
	 */
	"CREATE TABLE users ("
	" id INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL UNIQUE,"
	" role TEXT NOT NULL CHECK (role IN ('caretaker', 'manager', 'admin')),"
	" blocks TEXT NOT NULL DEFAULT '',"
	" hash TEXT NOT NULL,"
	" created_at INTEGER NOT NULL);"
	"CREATE TABLE sessions ("
	" hash BLOB PRIMARY KEY,"
	" user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	" csrf TEXT NOT NULL,"
	" created_at INTEGER NOT NULL,"
	" expires_at INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE INDEX sessions_user ON sessions(user_id);"
	"CREATE TABLE complaints ("
	" id INTEGER PRIMARY KEY,"
	" ref TEXT NOT NULL UNIQUE,"
	" year INTEGER NOT NULL,"
	" num INTEGER NOT NULL,"
	" block TEXT NOT NULL,"
	" block_name TEXT,"
	" address TEXT,"
	" category TEXT NOT NULL,"
	" description TEXT NOT NULL,"
	" name TEXT, flat TEXT, phone TEXT, email TEXT, contact_pref TEXT," /* personal data */
	" received_at INTEGER NOT NULL,"
	" status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'closed')),"
	" closed_at INTEGER,"
	" anonymised_at INTEGER," /* contact details erased (retention) */
	" UNIQUE (year, num));"
	"CREATE INDEX complaints_received ON complaints(received_at);"
	"CREATE TABLE complaint_responses ("
	" id INTEGER PRIMARY KEY,"
	" complaint INTEGER NOT NULL REFERENCES complaints(id) ON DELETE CASCADE,"
	" at INTEGER NOT NULL,"
	" by_user TEXT NOT NULL,"
	" channel TEXT,"
	" text TEXT NOT NULL);"
	"CREATE INDEX complaint_responses_complaint ON complaint_responses(complaint, at);"
	"CREATE TABLE audit_log ("
	" id INTEGER PRIMARY KEY,"
	" at INTEGER NOT NULL,"
	" actor TEXT NOT NULL,"
	" action TEXT NOT NULL,"
	" target TEXT,"
	" detail TEXT);",
	/*
	 * 5: the broker's clients (devices.c): MQTT user name and the Mosquitto
	 * password hash of each kiosk, sensor, gateway, bridge and the server;
	 * the broker's password and ACL files are generated from it.
	 */
	"CREATE TABLE devices ("
	" id TEXT PRIMARY KEY,"
	" kind TEXT NOT NULL CHECK (kind IN ('server', 'kiosk', 'sensor', 'sensord', 'bridge')),"
	" block TEXT,"                        /* no foreign key: blocks may come later */
	" sensors TEXT NOT NULL DEFAULT '',"  /* sensord: comma-separated sensor ids */
	" prefix TEXT NOT NULL DEFAULT '',"   /* bridge: its own topic prefix */
	" username TEXT NOT NULL UNIQUE,"
	" pwhash TEXT NOT NULL,"              /* $7$ PBKDF2-SHA512, as in mosquitto_passwd */
	" created_at INTEGER NOT NULL) WITHOUT ROWID;",
	/*
	 * 6: the lobby-screen kiosks as last heard on MQTT (kiosks.c): state,
	 * software and board version shown, when shown and last heard. Times
	 * are Unix ms. No foreign key: a kiosk may report for a block not yet made.
	 */
	"CREATE TABLE kiosks ("
	" block TEXT NOT NULL,"
	" id TEXT NOT NULL,"
	" state TEXT NOT NULL CHECK (state IN ('online', 'offline')),"
	" version TEXT,"
	" board_version INTEGER,"
	" shown_at INTEGER,"
	" display TEXT,"
	" last_seen INTEGER,"   /* NULL: heard only as a retained replay without shown_at */
	" updated_at INTEGER NOT NULL,"
	" PRIMARY KEY (block, id)) WITHOUT ROWID;",
	/*
	 * 7: API tokens get a name (the principal recorded in the audit log;
	 * NULL: the label, else the role) and the blocks they may change
	 * ('': none for caretakers, every block for managers and admins).
	 */
	"ALTER TABLE tokens ADD COLUMN name TEXT;"
	"ALTER TABLE tokens ADD COLUMN blocks TEXT NOT NULL DEFAULT '';",
};

static const char *const kind_tables[STORE_N_KINDS] = {
	"notices", "works", "delays", "events", "contacts",
};

enum item_stmt {
	ITEM_INSERT = 0,
	ITEM_UPDATE,
	ITEM_DELETE,
	ITEM_GET,
	ITEM_COUNT,
	ITEM_NEXT_SEQ,
	ITEM_LIST,
	ITEM_N_STMTS,
};

static const char *const item_sql[ITEM_N_STMTS] = {
	[ITEM_INSERT] = "INSERT INTO %s (id, block, sortkey, seq, data)"
	                " VALUES (?1, ?2, ?3, (SELECT COALESCE(MAX(seq), 0) + 1 FROM %s), ?4)",
	[ITEM_UPDATE] = "UPDATE %s SET sortkey = ?2, data = ?3 WHERE id = ?1",
	[ITEM_DELETE] = "DELETE FROM %s WHERE id = ?1",
	[ITEM_GET] = "SELECT block, data FROM %s WHERE id = ?1",
	[ITEM_COUNT] = "SELECT COUNT(*) FROM %s WHERE block = ?1",
	[ITEM_NEXT_SEQ] = "SELECT COALESCE(MAX(seq), 0) + 1 FROM %s",
	[ITEM_LIST] = "SELECT id, data FROM %s WHERE block = ?1 ORDER BY sortkey, seq",
};

enum block_stmt {
	BLOCK_INSERT = 0,
	BLOCK_UPDATE,
	BLOCK_DELETE,
	BLOCK_GET,
	BLOCK_SET_BOARD,
	BLOCK_BOARD,
	BLOCK_LIST,
	TOKEN_ADD,
	TOKEN_FIND,
	TX_BEGIN,
	TX_COMMIT,
	TX_ROLLBACK,
	BLOCK_N_STMTS,
};

static const char *const block_sql[BLOCK_N_STMTS] = {
	[BLOCK_INSERT] = "INSERT INTO blocks (id, name, address, seq)"
	                 " VALUES (?1, ?2, ?3, (SELECT COALESCE(MAX(seq), 0) + 1 FROM blocks))",
	[BLOCK_UPDATE] = "UPDATE blocks SET name = ?2, address = ?3 WHERE id = ?1",
	[BLOCK_DELETE] = "DELETE FROM blocks WHERE id = ?1",
	[BLOCK_GET] = "SELECT id, name, address, board_version FROM blocks WHERE id = ?1",
	[BLOCK_SET_BOARD] = "UPDATE blocks SET board_version = ?2, board_json = ?3 WHERE id = ?1",
	[BLOCK_BOARD] = "SELECT board_json FROM blocks WHERE id = ?1",
	[BLOCK_LIST] = "SELECT id, name, address, board_version, board_json FROM blocks ORDER BY seq",
	[TOKEN_ADD] = "INSERT INTO tokens (hash, role, label, created_at, name, blocks)"
		      " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[TOKEN_FIND] = "SELECT role, COALESCE(NULLIF(name, ''), NULLIF(label, ''), role), blocks"
		       " FROM tokens WHERE hash = ?1",
	[TX_BEGIN] = "BEGIN IMMEDIATE",
	[TX_COMMIT] = "COMMIT",
	[TX_ROLLBACK] = "ROLLBACK",
};

struct store {
	sqlite3 *db;
	/*
	 * store_lock is a ticket lock (first come, first served): a plain
	 * mutex let the ingest thread, which unlocks and locks again at once
	 * under load, starve the rules thread and HTTP handlers.
	 */
	pthread_mutex_t mutex; /* guards the two counters */
	pthread_cond_t turn;
	unsigned long next_ticket;
	unsigned long serving;
	sqlite3_stmt *block[BLOCK_N_STMTS];
	sqlite3_stmt *item[STORE_N_KINDS][ITEM_N_STMTS];
};

static int exec_sql(struct store *s, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, &msg);

	if (rc != SQLITE_OK) {
		log_error("store: %s", msg != NULL ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return -EIO;
	}
	return 0;
}

int store_schema_version(struct store *s)
{
	sqlite3_stmt *st = NULL;
	int ret = -EIO;

	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK) {
		ret = sqlx_fail(s->db, "store", "user_version");
		goto out;
	}
	if (sqlite3_step(st) != SQLITE_ROW) {
		ret = sqlx_fail(s->db, "store", "user_version");
		goto out;
	}
	ret = sqlite3_column_int(st, 0);
out:
	sqlite3_finalize(st);
	return ret;
}

static int migrate(struct store *s)
{
	int have = store_schema_version(s);
	char sql[64];

	if (have < 0)
		return have;
	if (have > STORE_SCHEMA_VERSION) {
		log_error("store: database schema %d is newer than this program (%d)", have,
			  STORE_SCHEMA_VERSION);
		return -EIO;
	}
	for (int v = have; v < STORE_SCHEMA_VERSION; v++) {
		if (exec_sql(s, "BEGIN IMMEDIATE") < 0)
			return -EIO;
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v + 1);
		if (exec_sql(s, migrations[v]) < 0 || exec_sql(s, sql) < 0) {
			exec_sql(s, "ROLLBACK");
			return -EIO;
		}
		if (exec_sql(s, "COMMIT") < 0)
			return -EIO;
		log_info("store: migrated schema to version %d", v + 1);
	}
	return 0;
}

static int prepare_all(struct store *s)
{
	char sql[512];
	int ret = sqlx_prepare_all(s->db, block_sql, BLOCK_N_STMTS, s->block, "store");

	if (ret < 0)
		return ret;
	for (int k = 0; k < STORE_N_KINDS; k++) {
		for (int i = 0; i < ITEM_N_STMTS; i++) {
			/* the table name is one of ours, never input */
			snprintf(sql, sizeof(sql), item_sql[i], kind_tables[k], kind_tables[k]);
			if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
					       &s->item[k][i], NULL) != SQLITE_OK)
				return sqlx_fail(s->db, "store", sql);
		}
	}
	return 0;
}

static pthread_once_t memstatus_once = PTHREAD_ONCE_INIT;

static void memstatus_off(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int store_open(const char *path, struct store **out)
{
	struct store *s = NULL;
	int ret = -EIO;
	int rc;

	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return -ENOMEM;
	pthread_mutex_init(&s->mutex, NULL);
	pthread_cond_init(&s->turn, NULL);
	/*
	 * NOMUTEX: SQLite's own per-connection mutex is redundant under the
	 * store lock, which every user of this connection holds (store.h), and
	 * cost about a tenth of the ingest thread's time.
	 */
	/*
	 * Memory statistics take a global mutex on every SQLite allocation (a
	 * seventh of ingest time); nothing here reads them. Only effective
	 * before SQLite initialises, so the first store of the process does it.
	 */
	pthread_once(&memstatus_once, memstatus_off);
	rc = sqlite3_open_v2(path, &s->db,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		log_error("store: cannot open %s: %s", path,
			  s->db != NULL ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
		goto out;
	}
	sqlite3_busy_timeout(s->db, 5000);
	sqlite3_extended_result_codes(s->db, 1);
	if (exec_sql(s, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
			"PRAGMA foreign_keys=ON;") < 0) {
		log_error("store: cannot set up %s", path);
		goto out;
	}
	if (migrate(s) < 0 || prepare_all(s) < 0)
		goto out;
	*out = s;
	s = NULL;
	ret = 0;
out:
	store_close(s);
	return ret;
}

void store_close(struct store *s)
{
	if (s == NULL)
		return;
	sqlx_finalize_all(s->block, BLOCK_N_STMTS);
	for (int k = 0; k < STORE_N_KINDS; k++)
		sqlx_finalize_all(s->item[k], ITEM_N_STMTS);
	if (sqlite3_close(s->db) != SQLITE_OK)
		log_error("store: close: %s", sqlite3_errmsg(s->db));
	pthread_mutex_destroy(&s->mutex);
	pthread_cond_destroy(&s->turn);
	free(s);
}

sqlite3 *store_db(struct store *s)
{
	return s->db;
}

struct sqlite3 *store_sqlite(struct store *s)
{
	return s->db;
}

void store_lock(struct store *s)
{
	unsigned long ticket;

	pthread_mutex_lock(&s->mutex);
	ticket = s->next_ticket++;
	while (ticket != s->serving)
		pthread_cond_wait(&s->turn, &s->mutex);
	pthread_mutex_unlock(&s->mutex);
}

void store_unlock(struct store *s)
{
	pthread_mutex_lock(&s->mutex);
	s->serving++;
	pthread_cond_broadcast(&s->turn);
	pthread_mutex_unlock(&s->mutex);
}

static char *column_dup(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	if (t == NULL)
		return NULL;
	return strdup((const char *)t);
}

int store_begin(struct store *s)
{
	return sqlx_step_done(s->block[TX_BEGIN], "store", false);
}

int store_commit(struct store *s)
{
	int ret = sqlx_step_done(s->block[TX_COMMIT], "store", false);

	if (ret < 0)
		store_rollback(s);
	return ret;
}

void store_rollback(struct store *s)
{
	if (sqlite3_get_autocommit(s->db))
		return;
	sqlx_step_done(s->block[TX_ROLLBACK], "store", false);
}

int store_block_insert(struct store *s, const char *id, const char *name, const char *address)
{
	sqlite3_stmt *st = s->block[BLOCK_INSERT];

	sqlx_bind_text(st, 1, id);
	sqlx_bind_text(st, 2, name);
	sqlx_bind_text(st, 3, address);
	return sqlx_step_done(st, "store", false);
}

int store_block_update(struct store *s, const char *id, const char *name, const char *address)
{
	sqlite3_stmt *st = s->block[BLOCK_UPDATE];

	sqlx_bind_text(st, 1, id);
	sqlx_bind_text(st, 2, name);
	sqlx_bind_text(st, 3, address);
	return sqlx_step_done(st, "store", true);
}

int store_block_delete(struct store *s, const char *id)
{
	sqlite3_stmt *st = s->block[BLOCK_DELETE];

	sqlx_bind_text(st, 1, id);
	return sqlx_step_done(st, "store", true);
}

void store_block_release(struct store_block *b)
{
	if (b == NULL)
		return;
	free(b->id);
	free(b->name);
	free(b->address);
	memset(b, 0, sizeof(*b));
}

static int read_block(sqlite3_stmt *st, struct store_block *out)
{
	memset(out, 0, sizeof(*out));
	out->id = column_dup(st, 0);
	out->name = column_dup(st, 1);
	out->address = column_dup(st, 2);
	out->board_version = sqlite3_column_int64(st, 3);
	if (out->id == NULL || out->name == NULL ||
	    (out->address == NULL && sqlite3_column_type(st, 2) != SQLITE_NULL)) {
		store_block_release(out);
		return -ENOMEM;
	}
	return 0;
}

int store_block_get(struct store *s, const char *id, struct store_block *out)
{
	sqlite3_stmt *st = s->block[BLOCK_GET];
	int ret;
	int rc;

	memset(out, 0, sizeof(*out));
	sqlx_bind_text(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		ret = read_block(st, out);
	else if (rc == SQLITE_DONE)
		ret = -ENOENT;
	else
		ret = sqlx_fail(s->db, "store", "get block");
	sqlx_finish(st);
	return ret;
}

int store_block_set_board(struct store *s, const char *id, int64_t version, const char *json)
{
	sqlite3_stmt *st = s->block[BLOCK_SET_BOARD];

	sqlx_bind_text(st, 1, id);
	sqlite3_bind_int64(st, 2, version);
	sqlx_bind_text(st, 3, json);
	return sqlx_step_done(st, "store", true);
}

int store_block_board(struct store *s, const char *id, char **json)
{
	sqlite3_stmt *st = s->block[BLOCK_BOARD];
	int ret = 0;
	int rc;

	*json = NULL;
	sqlx_bind_text(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		if (sqlite3_column_type(st, 0) != SQLITE_NULL) {
			*json = column_dup(st, 0);
			if (*json == NULL)
				ret = -ENOMEM;
		}
	} else if (rc == SQLITE_DONE) {
		ret = -ENOENT;
	} else {
		ret = sqlx_fail(s->db, "store", "get board");
	}
	sqlx_finish(st);
	return ret;
}

int store_block_foreach(struct store *s, store_block_fn fn, void *ctx)
{
	sqlite3_stmt *st = s->block[BLOCK_LIST];
	struct store_block b = {0};
	int ret = 0;
	int rc;

	for (;;) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_DONE)
			break;
		if (rc != SQLITE_ROW) {
			ret = sqlx_fail(s->db, "store", "list blocks");
			break;
		}
		ret = read_block(st, &b);
		if (ret < 0)
			break;
		ret = fn(ctx, &b, (const char *)sqlite3_column_text(st, 4));
		store_block_release(&b);
		if (ret != 0)
			break;
	}
	sqlx_finish(st);
	return ret;
}

int store_item_insert(struct store *s, enum store_kind kind, const char *id, const char *block,
		      int64_t sortkey, const char *data)
{
	sqlite3_stmt *st = s->item[kind][ITEM_INSERT];

	sqlx_bind_text(st, 1, id);
	sqlx_bind_text(st, 2, block);
	sqlite3_bind_int64(st, 3, sortkey);
	sqlx_bind_text(st, 4, data);
	return sqlx_step_done(st, "store", false);
}

int store_item_update(struct store *s, enum store_kind kind, const char *id, int64_t sortkey,
		      const char *data)
{
	sqlite3_stmt *st = s->item[kind][ITEM_UPDATE];

	sqlx_bind_text(st, 1, id);
	sqlite3_bind_int64(st, 2, sortkey);
	sqlx_bind_text(st, 3, data);
	return sqlx_step_done(st, "store", true);
}

int store_item_delete(struct store *s, enum store_kind kind, const char *id)
{
	sqlite3_stmt *st = s->item[kind][ITEM_DELETE];

	sqlx_bind_text(st, 1, id);
	return sqlx_step_done(st, "store", true);
}

int store_item_get(struct store *s, enum store_kind kind, const char *id, char **block,
		   char **data)
{
	sqlite3_stmt *st = s->item[kind][ITEM_GET];
	char *b = NULL;
	char *d = NULL;
	int ret = 0;
	int rc;

	sqlx_bind_text(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		ret = -ENOENT;
		goto out;
	}
	if (rc != SQLITE_ROW) {
		ret = sqlx_fail(s->db, "store", "get item");
		goto out;
	}
	b = column_dup(st, 0);
	d = column_dup(st, 1);
	if (b == NULL || d == NULL) {
		ret = -ENOMEM;
		goto out;
	}
	if (block != NULL) {
		*block = b;
		b = NULL;
	}
	if (data != NULL) {
		*data = d;
		d = NULL;
	}
out:
	sqlx_finish(st);
	free(b);
	free(d);
	return ret;
}

static int single_int(struct store *s, sqlite3_stmt *st, const char *what, int64_t *value)
{
	int ret = 0;

	if (sqlite3_step(st) == SQLITE_ROW)
		*value = sqlite3_column_int64(st, 0);
	else
		ret = sqlx_fail(s->db, "store", what);
	sqlx_finish(st);
	return ret;
}

int store_item_count(struct store *s, enum store_kind kind, const char *block, int64_t *count)
{
	sqlite3_stmt *st = s->item[kind][ITEM_COUNT];

	sqlx_bind_text(st, 1, block);
	return single_int(s, st, "count items", count);
}

int store_item_next_seq(struct store *s, enum store_kind kind, int64_t *seq)
{
	return single_int(s, s->item[kind][ITEM_NEXT_SEQ], "next item", seq);
}

int store_item_foreach(struct store *s, enum store_kind kind, const char *block,
		       store_item_fn fn, void *ctx)
{
	sqlite3_stmt *st = s->item[kind][ITEM_LIST];
	int ret = 0;
	int rc;

	sqlx_bind_text(st, 1, block);
	for (;;) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_DONE)
			break;
		if (rc != SQLITE_ROW) {
			ret = sqlx_fail(s->db, "store", "list items");
			break;
		}
		ret = fn(ctx, (const char *)sqlite3_column_text(st, 0),
			 (const char *)sqlite3_column_text(st, 1));
		if (ret != 0)
			break;
	}
	sqlx_finish(st);
	return ret;
}

int store_token_add(struct store *s, const uint8_t *hash, size_t hash_len, const char *role,
		    const char *label, const char *name, const char *blocks, int64_t created_at_ms)
{
	sqlite3_stmt *st = s->block[TOKEN_ADD];

	sqlite3_bind_blob(st, 1, hash, (int)hash_len, SQLITE_STATIC);
	sqlx_bind_text(st, 2, role);
	sqlx_bind_text(st, 3, label);
	sqlite3_bind_int64(st, 4, created_at_ms);
	sqlx_bind_text(st, 5, name);
	sqlx_bind_text(st, 6, blocks != NULL ? blocks : "");
	return sqlx_step_done(st, "store", false);
}

static void copy_col(sqlite3_stmt *st, int col, char *dst, size_t n)
{
	const unsigned char *v = sqlite3_column_text(st, col);

	snprintf(dst, n, "%s", v != NULL ? (const char *)v : "");
}

int store_token_find(struct store *s, const uint8_t *hash, size_t hash_len, char *role,
		     size_t role_len, char *name, size_t name_len, char *blocks, size_t blocks_len)
{
	sqlite3_stmt *st = s->block[TOKEN_FIND];
	const unsigned char *r = NULL;
	int ret = 0;
	int rc;

	sqlite3_bind_blob(st, 1, hash, (int)hash_len, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		r = sqlite3_column_text(st, 0);
		snprintf(role, role_len, "%s", r != NULL ? (const char *)r : "");
		copy_col(st, 1, name, name_len);
		copy_col(st, 2, blocks, blocks_len);
	} else if (rc == SQLITE_DONE) {
		ret = -ENOENT;
	} else {
		ret = sqlx_fail(s->db, "store", "find token");
	}
	sqlx_finish(st);
	return ret;
}
