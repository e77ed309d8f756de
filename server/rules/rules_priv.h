/* SPDX-License-Identifier: MIT */
/*
 * The rules engine's own header, shared by its files and nobody else:
 * rules.c (judging events, the batch table, the wall clock, the thread),
 * timers.c (the deadlines in rule_timers), breaches.c (the breaches table:
 * open, close, acknowledge, list) and outbox.c (the alerts published from
 * breach_audit). Everything here runs with the store lock held, like the
 * public functions of rules.h that reach it.
 */
#ifndef SITEBOARD_SERVER_RULES_PRIV_H
#define SITEBOARD_SERVER_RULES_PRIV_H

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>
#include <sqlite3.h>

struct hashmap;

#include "hours/sitehours.h"
#include "rules/rules.h"
#include "siteboard/log.h"
#include "siteboard/sbtime.h"

#define R_OOH_ACCESS "out_of_hours_access"
#define R_INSECURE "left_insecure"
#define R_HELD_OPEN "door_held_open"
#define R_OOH_NOISE "out_of_hours_noise"
#define R_EXCESS "excess_noise"
#define R_OFFLINE "sensor_offline"

#define MISSED_HEARTBEATS 3
#define TICK_BATCH 200
#define LIST_MAX 1000
#define DOOR_UNKNOWN (-1)
#define BATCH_MAX 65536 /* sensors in one transaction; more are written through */
#define KEY_MAX 64
#define ALERT_ROUNDS_MAX 20 /* of 100 alerts, per rules_publish_alerts */

enum stmt {
	S_SENSOR_GET = 0,
	S_SENSOR_PUT,
	S_TIMER_PUT,
	S_TIMER_DEL,
	S_TIMER_DUE_SENSOR,
	S_TIMER_DUE_DOORS,
	S_TIMER_DUE_SILENCE,
	S_TIMER_OF_RULE,
	S_BREACH_OPEN_FIND,
	S_BREACH_INSERT,
	S_BREACH_DETAIL,
	S_BREACH_CLOSE,
	S_BREACH_STATE,
	S_BREACH_GET,
	S_BREACH_LIST,
	S_AUDIT_INSERT,
	S_AUDIT_LIST,
	S_AUDIT_PENDING,
	S_AUDIT_MARK,
	S_NOISE_PUT,
	S_NOISE_PRUNE,
	S_NOISE_WINDOW,
	S_BEGIN,
	S_COMMIT,
	S_ROLLBACK,
	S_N,
};

/* What the rules remember of one sensor. */
struct sensor_state {
	bool known;
	int door; /* 0 closed, 1 open, DOOR_UNKNOWN */
	int64_t door_since;
	char status[8]; /* last status message seen: "online", "offline" or "" */
};

/* What the current transaction knows of one sensor (see the file comment). */
enum { HB_NONE = 0, HB_PUT, HB_DEL };
struct batch_sensor {
	char sensor[KEY_MAX];
	char block[KEY_MAX];
	bool loaded;          /* state read from rule_sensors */
	bool dirty;           /* state to write at the flush */
	struct sensor_state state;
	int hb;               /* the sensor_offline timer to write at the flush */
	int64_t hb_due;
	int64_t hb_since;
	unsigned none_open;   /* bit per rule_names index: no open breach */
	int64_t door_due_lb;  /* no door timer is due before this */
};

struct rules {
	struct store *store;
	struct sitehours *hours;
	struct rules_config cfg;
	sqlite3 *db;
	sqlite3_stmt *st[S_N];
	/* in memory, for the silence rule only: is the link delivering? */
	int64_t last_arrival_ms;
	int64_t link_since_ms;
	/* the thread */
	pthread_mutex_t mutex;
	pthread_cond_t cond;
	bool kicked;
	bool stopping;
	bool thread_started;
	pthread_t thread;
	rules_alert_fn alert_fn;
	void *alert_ctx;
	rules_day_fn day_fn;
	void *day_ctx;
	int last_yday; /* -1: not yet known */
	/* the current ingest transaction's per-sensor table */
	bool batching;
	struct hashmap *batch; /* of struct batch_sensor, at most BATCH_MAX */
};

/* An open (or acknowledged) breach of one sensor and rule. */
struct open_breach {
	int64_t id;
	int64_t started_at;
	json_t *detail;
	const char *sensor; /* borrowed from breach_find's caller */
	const char *rule;
};

static inline int db_fail(struct rules *r, const char *what)
{
	log_error("rules: %s: %s", what, sqlite3_errmsg(r->db));
	return -EIO;
}

static inline void finish(sqlite3_stmt *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

static inline int step_done(struct rules *r, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);

	finish(st);
	return rc == SQLITE_DONE ? 0 : db_fail(r, what);
}

static inline void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s == NULL)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

static inline json_t *time_json(int64_t ms)
{
	char buf[SBTIME_BUFSZ];

	if (sbtime_format(ms, buf, sizeof(buf)) < 0)
		return json_null();
	return json_string(buf);
}

static inline const struct hours_policy *policy(struct rules *r)
{
	return sitehours_policy(r->hours);
}

unsigned rules_rule_bit(const char *rule);

/*
 * This transaction's entry for sensor, created empty; NULL outside a batch
 * (or for an id too long to be a sensor's, or out of memory): write through.
 */
struct batch_sensor *rules_batch_get(struct rules *r, const char *sensor);

int rules_tx(struct rules *r, enum stmt which);

int timer_write(struct rules *r, const char *sensor, const char *rule,
		       const char *block, int64_t due, int64_t since);

int timer_remove(struct rules *r, const char *sensor, const char *rule);

/*
 * Set a timer. In a batch the silence timer (read only by rules_tick, never
 * inside an ingest transaction) waits for the flush: the last one wins.
 */
int timer_put(struct rules *r, const char *sensor, const char *rule, const char *block,
		     int64_t due, int64_t since);

/* Delete one timer, or (rule NULL) every door timer of the sensor. */
int timer_del(struct rules *r, const char *sensor, const char *rule);

/*
 * When a door opened at opened_ms becomes "left insecure": the first instant
 * that is outside permitted hours, at least grace after the door opened or
 * after the end of a span it was open through, with no span starting within
 * the grace. A door opened before work starts and open into the day is fine;
 * one opened out of hours and left open is insecure once the grace is over.
 */
int timer_insecure_deadline(struct rules *r, int64_t opened_ms, int64_t *out);

void breach_release(struct open_breach *b);

/* @retval 0 (found), -ENOENT, -EIO */
int breach_find(struct rules *r, const char *sensor, const char *rule,
		       struct open_breach *out);

int breach_audit(struct rules *r, int64_t breach, const char *state, int64_t at,
		 int64_t recorded_at, const char *who, const char *note, bool alert);

/* Open a breach (detail borrowed). recorded_at: when the server learnt it. */
int breach_open(struct rules *r, const char *rule, const char *block, const char *sensor,
		       int64_t started_at, json_t *detail, int64_t recorded_at);

int breach_set_detail(struct rules *r, const struct open_breach *b);

/*
 * Close b at ended_at. A close before the start means a live deadline fired
 * although the door had closed in time (the event arrived late): the breach
 * is kept, zero length, marked "retracted".
 */
int breach_close(struct rules *r, struct open_breach *b, int64_t ended_at,
			int64_t recorded_at);

/* Close the open breach of (sensor, rule), if any. */
int breach_close_if_open(struct rules *r, const char *sensor, const char *rule, int64_t ended_at,
			 int64_t recorded_at);

/* The breach row at the statement's current row, as the API shows it. */
json_t *breach_row_json(sqlite3_stmt *st, int off);

#endif
