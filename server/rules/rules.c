/* SPDX-License-Identifier: MIT */
/*
 * The rules engine (see rules.h): judging events, the per-transaction batch
 * table, the wall clock and the thread; its deadlines are timers.c, the
 * breaches table breaches.c, the alert outbox outbox.c (rules_priv.h).
 * Per sensor the database keeps what the
 * rules need to judge the next event without a clock: the door's state and
 * since when (rule_sensors), pending deadlines (rule_timers), the noise
 * periods of the current window (rule_noise). An event first fires its own
 * sensor's deadlines that its time has passed, then is applied; the wall
 * clock fires the same deadlines live. Either way a breach opened by a
 * deadline starts at the deadline, so a live day and the same day replayed
 * as a backlog give the same breaches.
 *
 * Batches: inside one ingest transaction (rules_ingest_sink ...
 * rules_ingest_flush) a small table per sensor keeps what this transaction
 * already knows, so a busy sensor costs one read and one write of its
 * rule_sensors row and heartbeat timer per batch, not per event, and a
 * breach known not to be open is not looked up again. It lives only as long
 * as the transaction (flushed before the commit, dropped on a rollback), and
 * nothing else runs SQL on the connection meanwhile (the store lock), so the
 * results are those of the event-by-event path.
 */
#include "rules/rules_priv.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "siteboard/hashmap.h"
#include "siteboard/hours.h"
#include "siteboard/log.h"
#include "siteboard/sbtime.h"
#include "ingest/ingest.h"

static const char *const rule_names[] = {
	R_OOH_ACCESS, R_INSECURE, R_HELD_OPEN, R_OOH_NOISE, R_EXCESS, R_OFFLINE,
};

static const char *const sql[S_N] = {
	"SELECT door, door_since, status FROM rule_sensors WHERE sensor = ?1",
	"INSERT INTO rule_sensors (sensor, block, door, door_since, status)"
	" VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(sensor) DO UPDATE SET block = ?2,"
	" door = ?3, door_since = ?4, status = ?5",
	"INSERT INTO rule_timers (sensor, rule, block, due, since) VALUES (?1, ?2, ?3, ?4, ?5)"
	" ON CONFLICT(sensor, rule) DO UPDATE SET block = ?3, due = ?4, since = ?5",
	"DELETE FROM rule_timers WHERE sensor = ?1 AND (?2 IS NULL OR rule = ?2)"
	" AND (?2 IS NOT NULL OR rule != '" R_OFFLINE "')",
	"SELECT rule, block, due, since FROM rule_timers WHERE sensor = ?1 AND due <= ?2"
	" AND rule != '" R_OFFLINE "' ORDER BY due, rule",
	"SELECT sensor, rule, block, due, since FROM rule_timers WHERE due <= ?1"
	" AND rule != '" R_OFFLINE "' ORDER BY due, sensor, rule LIMIT " "200",
	"SELECT sensor, rule, block, due, since FROM rule_timers WHERE due <= ?1"
	" AND rule = '" R_OFFLINE "' ORDER BY due, sensor LIMIT " "200",
	"SELECT sensor, block, since FROM rule_timers WHERE rule = ?1",
	"SELECT id, started_at, detail FROM breaches WHERE sensor = ?1 AND rule = ?2"
	" AND state != 'closed'",
	"INSERT INTO breaches (rule, block, sensor, started_at, state, detail)"
	" VALUES (?1, ?2, ?3, ?4, 'open', ?5)",
	"UPDATE breaches SET detail = ?2 WHERE id = ?1",
	"UPDATE breaches SET state = 'closed', ended_at = ?2, detail = ?3 WHERE id = ?1",
	"UPDATE breaches SET state = ?2 WHERE id = ?1",
	"SELECT id, rule, block, sensor, started_at, ended_at, state, detail FROM breaches"
	" WHERE id = ?1",
	"SELECT id, rule, block, sensor, started_at, ended_at, state, detail FROM breaches"
	" WHERE (?1 IS NULL OR state = ?1) AND (?2 IS NULL OR rule = ?2)"
	" AND (?3 IS NULL OR block = ?3) AND (?4 IS NULL OR sensor = ?4)"
	" AND (?5 IS NULL OR ended_at IS NULL OR ended_at >= ?5)"
	" AND (?6 IS NULL OR started_at < ?6)"
	" ORDER BY started_at DESC, id DESC LIMIT ?7 OFFSET ?8",
	"INSERT INTO breach_audit (breach, state, at, recorded_at, who, note, published)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	"SELECT state, at, recorded_at, who, note FROM breach_audit WHERE breach = ?1 ORDER BY id",
	"SELECT a.id, a.state, b.id, b.rule, b.block, b.sensor, b.started_at, b.ended_at,"
	" b.detail FROM breach_audit a JOIN breaches b ON b.id = a.breach"
	" WHERE a.published = 0 ORDER BY a.id LIMIT 100",
	"UPDATE breach_audit SET published = 1 WHERE id = ?1",
	"INSERT OR REPLACE INTO rule_noise (sensor, ts, period_s, laeq) VALUES (?1, ?2, ?3, ?4)",
	"DELETE FROM rule_noise WHERE sensor = ?1 AND ts < ?2",
	"SELECT period_s, laeq FROM rule_noise WHERE sensor = ?1 AND ts >= ?2 AND ts < ?3",
	"BEGIN IMMEDIATE",
	"COMMIT",
	"ROLLBACK",
};

struct store *rules_store(struct rules *r)
{
	return r->store;
}

bool rules_rule_valid(const char *name)
{
	for (size_t i = 0; i < sizeof(rule_names) / sizeof(rule_names[0]); i++)
		if (strcmp(name, rule_names[i]) == 0)
			return true;
	return false;
}

/* ---- the batch table ---- */

unsigned rules_rule_bit(const char *rule)
{
	for (unsigned i = 0; i < sizeof(rule_names) / sizeof(rule_names[0]); i++)
		if (rule == rule_names[i] || strcmp(rule, rule_names[i]) == 0)
			return 1u << i;
	return 0;
}

/*
 * This transaction's entry for sensor, created empty; NULL outside a batch
 * (or for an id too long to be a sensor's, or out of memory): write through.
 */
struct batch_sensor *rules_batch_get(struct rules *r, const char *sensor)
{
	struct batch_sensor *b = NULL;
	void *v = NULL;
	bool created = false;

	if (!r->batching || strlen(sensor) >= KEY_MAX)
		return NULL;
	if (hashmap_put(r->batch, sensor, &v, &created) < 0)
		return NULL;
	b = v;
	if (created) {
		snprintf(b->sensor, sizeof(b->sensor), "%s", sensor);
		b->door_due_lb = INT64_MIN;
	}
	return b;
}

static void batch_clear(struct rules *r)
{
	hashmap_clear(r->batch);
	r->batching = false;
}

/* ---- sensor state ---- */

static int sensor_get(struct rules *r, const char *sensor, struct sensor_state *s)
{
	sqlite3_stmt *st = r->st[S_SENSOR_GET];
	const unsigned char *status = NULL;
	int rc;

	memset(s, 0, sizeof(*s));
	s->door = DOOR_UNKNOWN;
	bind_text(st, 1, sensor);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		s->known = true;
		s->door = sqlite3_column_type(st, 0) == SQLITE_NULL ? DOOR_UNKNOWN
								    : sqlite3_column_int(st, 0);
		s->door_since = sqlite3_column_int64(st, 1);
		status = sqlite3_column_text(st, 2);
		snprintf(s->status, sizeof(s->status), "%s",
			 status != NULL ? (const char *)status : "");
	}
	finish(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(r, "get sensor state");
}

static int sensor_put(struct rules *r, const char *sensor, const char *block,
		      const struct sensor_state *s)
{
	sqlite3_stmt *st = r->st[S_SENSOR_PUT];

	bind_text(st, 1, sensor);
	bind_text(st, 2, block);
	if (s->door == DOOR_UNKNOWN)
		sqlite3_bind_null(st, 3);
	else
		sqlite3_bind_int(st, 3, s->door);
	sqlite3_bind_int64(st, 4, s->door_since);
	bind_text(st, 5, s->status[0] != '\0' ? s->status : NULL);
	return step_done(r, st, "put sensor state");
}

/* ---- doors ---- */

/* A door deadline came due (by event time or wall clock): open its breach. */
static int fire_door_timer(struct rules *r, const char *sensor, const char *rule,
			   const char *block, int64_t due, int64_t since, int64_t recorded_at)
{
	struct open_breach b;
	json_t *detail = NULL;
	int ret;

	ret = timer_del(r, sensor, rule);
	if (ret < 0)
		return ret;
	ret = breach_find(r, sensor, rule, &b);
	if (ret == 0) {
		/* still open from an earlier day: the same continuing condition */
		breach_release(&b);
		return 0;
	}
	if (ret != -ENOENT)
		return ret;
	detail = json_object();
	if (detail == NULL)
		return -ENOMEM;
	json_object_set_new(detail, "opened_at", time_json(since));
	if (strcmp(rule, R_HELD_OPEN) == 0)
		json_object_set_new(detail, "limit_s", json_integer(r->cfg.held_open_s));
	else
		json_object_set_new(detail, "grace_min", json_integer(r->cfg.insecure_grace_min));
	ret = breach_open(r, rule, block, sensor, due, detail, recorded_at);
	json_decref(detail);
	return ret;
}

/* Fire this sensor's door deadlines that event time upto has passed, in order. */
static int fire_due_for_sensor(struct rules *r, const char *sensor, int64_t upto,
			       int64_t recorded_at)
{
	sqlite3_stmt *st = r->st[S_TIMER_DUE_SENSOR];
	struct batch_sensor *bs = rules_batch_get(r, sensor);
	char rule[32], block[64];
	int64_t due, since;
	int ret = 0;

	if (bs != NULL && upto < bs->door_due_lb)
		return 0;
	for (;;) {
		int rc;

		bind_text(st, 1, sensor);
		sqlite3_bind_int64(st, 2, upto);
		rc = sqlite3_step(st);
		if (rc != SQLITE_ROW) {
			finish(st);
			if (rc != SQLITE_DONE)
				return db_fail(r, "due timers");
			if (bs != NULL && upto < INT64_MAX && upto + 1 > bs->door_due_lb)
				bs->door_due_lb = upto + 1;
			return 0;
		}
		snprintf(rule, sizeof(rule), "%s", (const char *)sqlite3_column_text(st, 0));
		snprintf(block, sizeof(block), "%s", (const char *)sqlite3_column_text(st, 1));
		due = sqlite3_column_int64(st, 2);
		since = sqlite3_column_int64(st, 3);
		finish(st);
		ret = fire_door_timer(r, sensor, rule, block, due, since, recorded_at);
		if (ret < 0)
			return ret;
	}
}

static bool door_role(enum rules_role role)
{
	return role == RULES_ROLE_SITE_ACCESS || role == RULES_ROLE_SECURE_STORE ||
	       role == RULES_ROLE_COMMUNAL_ENTRANCE;
}

static int door_opened(struct rules *r, const struct rules_event *ev, struct sensor_state *s)
{
	struct open_breach b;
	json_t *detail = NULL;
	int64_t due = 0;
	int ret;

	if (s->door == 1)
		return 0; /* the same state again (a re-send): still open since door_since */
	s->door = 1;
	s->door_since = ev->ts_ms;
	if (ev->role == RULES_ROLE_SITE_ACCESS && !hours_permitted(policy(r), ev->ts_ms)) {
		ret = breach_find(r, ev->sensor, R_OOH_ACCESS, &b);
		if (ret == 0) {
			json_object_set_new(b.detail, "opened_at", time_json(ev->ts_ms));
			ret = breach_set_detail(r, &b);
			breach_release(&b);
		} else if (ret == -ENOENT) {
			detail = json_pack("{s:o}", "opened_at", time_json(ev->ts_ms));
			ret = detail != NULL ? breach_open(r, R_OOH_ACCESS, ev->block, ev->sensor,
							   ev->ts_ms, detail, ev->arrived_ms)
					     : -ENOMEM;
			json_decref(detail);
		}
		if (ret < 0)
			return ret;
	}
	if (ev->role == RULES_ROLE_SITE_ACCESS || ev->role == RULES_ROLE_SECURE_STORE) {
		if (timer_insecure_deadline(r, ev->ts_ms, &due) == 0) {
			ret = timer_put(r, ev->sensor, R_INSECURE, ev->block, due, ev->ts_ms);
			if (ret < 0)
				return ret;
		}
	}
	if (ev->role == RULES_ROLE_COMMUNAL_ENTRANCE) {
		due = ev->ts_ms + (int64_t)r->cfg.held_open_s * 1000;
		ret = timer_put(r, ev->sensor, R_HELD_OPEN, ev->block, due, ev->ts_ms);
		if (ret < 0)
			return ret;
	}
	return 0;
}

static int door_closed(struct rules *r, const struct rules_event *ev, struct sensor_state *s)
{
	static const char *const door_rules[] = {R_OOH_ACCESS, R_INSECURE, R_HELD_OPEN};
	int ret;

	s->door = 0;
	s->door_since = ev->ts_ms;
	ret = timer_del(r, ev->sensor, NULL);
	for (size_t i = 0; ret == 0 && i < 3; i++)
		ret = breach_close_if_open(r, ev->sensor, door_rules[i], ev->ts_ms, ev->arrived_ms);
	return ret;
}

/* ---- noise ---- */

static int noise_ooh(struct rules *r, const struct rules_event *ev, bool loud)
{
	struct open_breach b;
	json_t *detail = NULL;
	double max;
	int ret = breach_find(r, ev->sensor, R_OOH_NOISE, &b);

	if (ret < 0 && ret != -ENOENT)
		return ret;
	if (!loud) {
		if (ret == 0)
			ret = breach_close(r, &b, ev->ts_ms, ev->arrived_ms);
		else
			ret = 0;
		breach_release(&b);
		return ret;
	}
	if (ret == 0) {
		max = json_real_value(json_object_get(b.detail, "max_laeq"));
		json_object_set_new(b.detail, "laeq", json_real(ev->laeq));
		json_object_set_new(b.detail, "max_laeq", json_real(ev->laeq > max ? ev->laeq : max));
		json_object_set_new(b.detail, "periods",
				    json_integer(json_integer_value(
							 json_object_get(b.detail, "periods")) +
						 1));
		json_object_set_new(b.detail, "last_period_at", time_json(ev->ts_ms));
		ret = breach_set_detail(r, &b);
		breach_release(&b);
		return ret;
	}
	detail = json_pack("{s:f,s:f,s:f,s:i,s:o}", "laeq", ev->laeq, "max_laeq", ev->laeq,
			   "limit", r->cfg.out_of_hours_laeq, "periods", 1, "last_period_at",
			   time_json(ev->ts_ms));
	if (detail == NULL)
		return -ENOMEM;
	ret = breach_open(r, R_OOH_NOISE, ev->block, ev->sensor, ev->ts_ms, detail,
			  ev->arrived_ms);
	json_decref(detail);
	return ret;
}

/* Energy average of the in-hours periods in the window ending at this period's end. */
static int window_laeq(struct rules *r, const char *sensor, int64_t end, double *out)
{
	sqlite3_stmt *st = r->st[S_NOISE_WINDOW];
	int64_t window = (int64_t)r->cfg.in_hours_window_min * 60 * 1000;
	double energy = 0, seconds = 0;
	int rc;

	bind_text(st, 1, sensor);
	sqlite3_bind_int64(st, 2, end - window);
	sqlite3_bind_int64(st, 3, end);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		double p = sqlite3_column_double(st, 0);

		energy += p * pow(10.0, sqlite3_column_double(st, 1) / 10.0);
		seconds += p;
	}
	finish(st);
	if (rc != SQLITE_DONE)
		return db_fail(r, "noise window");
	*out = seconds > 0 ? 10.0 * log10(energy / seconds) : -INFINITY;
	return 0;
}

static int noise_excess(struct rules *r, const struct rules_event *ev, bool in_hours)
{
	int64_t end = ev->ts_ms + (int64_t)ev->period_s * 1000;
	int64_t window = (int64_t)r->cfg.in_hours_window_min * 60 * 1000;
	struct open_breach b;
	json_t *detail = NULL;
	double avg = -INFINITY;
	double max;
	int ret;

	if (in_hours && ev->has_levels) {
		sqlite3_stmt *st = r->st[S_NOISE_PUT];

		bind_text(st, 1, ev->sensor);
		sqlite3_bind_int64(st, 2, ev->ts_ms);
		sqlite3_bind_int(st, 3, ev->period_s);
		sqlite3_bind_double(st, 4, ev->laeq);
		ret = step_done(r, st, "noise period");
		if (ret < 0)
			return ret;
	}
	{
		sqlite3_stmt *st = r->st[S_NOISE_PRUNE];

		bind_text(st, 1, ev->sensor);
		sqlite3_bind_int64(st, 2, end - window);
		ret = step_done(r, st, "prune noise");
		if (ret < 0)
			return ret;
	}
	if (in_hours) {
		ret = window_laeq(r, ev->sensor, end, &avg);
		if (ret < 0)
			return ret;
	}
	ret = breach_find(r, ev->sensor, R_EXCESS, &b);
	if (ret < 0 && ret != -ENOENT)
		return ret;
	if (!in_hours || !(avg > r->cfg.in_hours_laeq)) {
		ret = ret == 0 ? breach_close(r, &b, ev->ts_ms, ev->arrived_ms) : 0;
		breach_release(&b);
		return ret;
	}
	if (ret == 0) {
		max = json_real_value(json_object_get(b.detail, "max_laeq_window"));
		json_object_set_new(b.detail, "laeq_window", json_real(avg));
		json_object_set_new(b.detail, "max_laeq_window", json_real(avg > max ? avg : max));
		ret = breach_set_detail(r, &b);
		breach_release(&b);
		return ret;
	}
	detail = json_pack("{s:f,s:f,s:f,s:i}", "laeq_window", avg, "max_laeq_window", avg,
			   "limit", r->cfg.in_hours_laeq, "window_min",
			   (int)r->cfg.in_hours_window_min);
	if (detail == NULL)
		return -ENOMEM;
	ret = breach_open(r, R_EXCESS, ev->block, ev->sensor, ev->ts_ms, detail, ev->arrived_ms);
	json_decref(detail);
	return ret;
}

static int noise_event(struct rules *r, const struct rules_event *ev)
{
	bool in_hours = hours_permitted(policy(r), ev->ts_ms);
	bool loud = ev->has_levels && !in_hours && ev->laeq > r->cfg.out_of_hours_laeq;
	int ret = noise_ooh(r, ev, loud);

	if (ret == 0)
		ret = noise_excess(r, ev, in_hours);
	return ret;
}

/* ---- liveness ---- */

static int arm_heartbeat(struct rules *r, const struct rules_event *ev)
{
	int64_t due;

	if (r->cfg.heartbeat_s <= 0)
		return 0;
	due = ev->arrived_ms + (int64_t)r->cfg.heartbeat_s * MISSED_HEARTBEATS * 1000;
	return timer_put(r, ev->sensor, R_OFFLINE, ev->block, due, ev->arrived_ms);
}

/* The sensor is offline from at: its door is not judged open any more. */
static int went_offline(struct rules *r, const char *sensor, const char *block, int64_t at,
			const char *reason, int64_t last_heard, int64_t recorded_at,
			struct sensor_state *s)
{
	struct open_breach b;
	json_t *detail = NULL;
	int ret;

	s->door = DOOR_UNKNOWN;
	ret = timer_del(r, sensor, NULL);
	if (ret == 0)
		ret = timer_del(r, sensor, R_OFFLINE);
	if (ret < 0)
		return ret;
	ret = breach_find(r, sensor, R_OFFLINE, &b);
	if (ret == 0) {
		breach_release(&b);
		return 0;
	}
	if (ret != -ENOENT)
		return ret;
	detail = json_pack("{s:s}", "reason", reason);
	if (detail == NULL)
		return -ENOMEM;
	if (last_heard > 0)
		json_object_set_new(detail, "last_heard_at", time_json(last_heard));
	ret = breach_open(r, R_OFFLINE, block, sensor, at, detail, recorded_at);
	json_decref(detail);
	return ret;
}

static void note_arrival(struct rules *r, int64_t arrived)
{
	int64_t hb = (int64_t)r->cfg.heartbeat_s * 1000;

	if (r->link_since_ms == 0 || arrived - r->last_arrival_ms > hb)
		r->link_since_ms = arrived;
	if (arrived > r->last_arrival_ms)
		r->last_arrival_ms = arrived;
}

/* ---- one event ---- */

int rules_event(struct rules *r, const struct rules_event *ev)
{
	struct batch_sensor *b = rules_batch_get(r, ev->sensor);
	struct sensor_state s;
	const char *status = NULL;
	int ret = 0;

	if (b != NULL && b->loaded) {
		s = b->state;
	} else {
		ret = sensor_get(r, ev->sensor, &s);
		if (ret < 0)
			return ret;
		if (b != NULL) {
			b->state = s;
			b->loaded = true;
		}
	}
	if (ev->kind == RULES_KIND_STATUS) {
		status = ev->online ? "online" : "offline";
		if (strcmp(s.status, status) == 0 && (ev->retained || !ev->online))
			return 0; /* a replay of what we know: no transition */
	}
	note_arrival(r, ev->arrived_ms);
	if (ev->kind != RULES_KIND_STATUS || ev->online) {
		/* heard from: not offline (any more) */
		ret = breach_close_if_open(r, ev->sensor, R_OFFLINE, ev->arrived_ms, ev->arrived_ms);
		if (ret == 0)
			ret = arm_heartbeat(r, ev);
		if (ret < 0)
			return ret;
	}
	switch (ev->kind) {
	case RULES_KIND_DOOR:
		if (!door_role(ev->role))
			break;
		ret = fire_due_for_sensor(r, ev->sensor, ev->ts_ms, ev->arrived_ms);
		if (ret == 0)
			ret = ev->open ? door_opened(r, ev, &s) : door_closed(r, ev, &s);
		break;
	case RULES_KIND_NOISE:
		ret = noise_event(r, ev);
		break;
	case RULES_KIND_STATUS:
		snprintf(s.status, sizeof(s.status), "%s", status);
		if (!ev->online)
			ret = went_offline(r, ev->sensor, ev->block, ev->arrived_ms, "last_will", 0,
					   ev->arrived_ms, &s);
		break;
	}
	if (ret == 0 && b != NULL) {
		b->state = s;
		b->dirty = true;
		snprintf(b->block, sizeof(b->block), "%s", ev->block);
	} else if (ret == 0) {
		ret = sensor_put(r, ev->sensor, ev->block, &s);
	}
	return ret;
}

static enum rules_role role_of(const char *role)
{
	if (role == NULL)
		return RULES_ROLE_NONE;
	if (strcmp(role, "site_access") == 0)
		return RULES_ROLE_SITE_ACCESS;
	if (strcmp(role, "secure_store") == 0)
		return RULES_ROLE_SECURE_STORE;
	if (strcmp(role, "communal_entrance") == 0)
		return RULES_ROLE_COMMUNAL_ENTRANCE;
	if (strcmp(role, "noise") == 0)
		return RULES_ROLE_NOISE;
	return RULES_ROLE_NONE;
}

int rules_ingest_sink(void *ctx, const struct ingest_event *ev)
{
	struct rules *r = ctx;
	struct rules_event e = {
		.sensor = ev->sensor,
		.block = ev->block,
		.role = role_of(ev->role),
		.ts_ms = ev->ts_ms,
		.arrived_ms = ev->arrived_ms,
		.open = ev->open,
		.online = ev->online,
		.retained = ev->retained,
	};
	int ret;

	if (strcmp(ev->kind, "door") == 0) {
		e.kind = RULES_KIND_DOOR;
	} else if (strcmp(ev->kind, "noise") == 0 && ev->noise != NULL) {
		e.kind = RULES_KIND_NOISE;
		e.period_s = ev->noise->period_s;
		e.has_levels = ev->noise->has_levels;
		e.laeq = ev->noise->laeq;
	} else if (strcmp(ev->kind, "status") == 0) {
		e.kind = RULES_KIND_STATUS;
	} else {
		return 0;
	}
	r->batching = true;
	ret = rules_event(r, &e);
	return ret;
}

int rules_ingest_flush(void *ctx)
{
	struct rules *r = ctx;
	bool any = r->batching;
	int ret = 0;

	size_t pos = 0;
	const struct batch_sensor *b = NULL;

	while (ret == 0 && (b = hashmap_next(r->batch, &pos, NULL)) != NULL) {
		if (b->dirty)
			ret = sensor_put(r, b->sensor, b->block, &b->state);
		if (ret == 0 && b->hb == HB_PUT)
			ret = timer_write(r, b->sensor, R_OFFLINE, b->block, b->hb_due, b->hb_since);
		else if (ret == 0 && b->hb == HB_DEL)
			ret = timer_remove(r, b->sensor, R_OFFLINE);
	}
	batch_clear(r);
	if (ret == 0 && any)
		rules_kick(r);
	return ret;
}

void rules_ingest_discard(void *ctx)
{
	batch_clear(ctx);
}

/* ---- the wall clock ---- */

static int tick_doors(struct rules *r, int64_t now, int *opened)
{
	sqlite3_stmt *st = r->st[S_TIMER_DUE_DOORS];
	char sensor[64], rule[32], block[64];
	int64_t due, since;
	int ret;

	for (int i = 0; i < TICK_BATCH; i++) {
		int rc;

		sqlite3_bind_int64(st, 1, now);
		rc = sqlite3_step(st);
		if (rc != SQLITE_ROW) {
			finish(st);
			return rc == SQLITE_DONE ? 0 : db_fail(r, "due timers");
		}
		snprintf(sensor, sizeof(sensor), "%s", (const char *)sqlite3_column_text(st, 0));
		snprintf(rule, sizeof(rule), "%s", (const char *)sqlite3_column_text(st, 1));
		snprintf(block, sizeof(block), "%s", (const char *)sqlite3_column_text(st, 2));
		due = sqlite3_column_int64(st, 3);
		since = sqlite3_column_int64(st, 4);
		finish(st);
		ret = fire_door_timer(r, sensor, rule, block, due, since, now);
		if (ret < 0)
			return ret;
		(*opened)++;
	}
	return 0;
}

/*
 * Silence is judged only while the link delivers: other sensors heard
 * within a heartbeat and for at least one. After a restart or a broker
 * outage the backlog arrives first, so nobody is called offline for the
 * link's silence. (A site with a single sensor relies on its last will.)
 */
static bool link_up(struct rules *r, int64_t now)
{
	int64_t hb = (int64_t)r->cfg.heartbeat_s * 1000;

	return r->cfg.heartbeat_s > 0 && r->link_since_ms > 0 &&
	       now - r->last_arrival_ms <= hb && now - r->link_since_ms >= hb;
}

static int tick_silence(struct rules *r, int64_t now, int *opened)
{
	sqlite3_stmt *st = r->st[S_TIMER_DUE_SILENCE];
	char sensor[64], block[64];
	struct sensor_state s;
	int64_t due, since;
	int ret;

	if (!link_up(r, now))
		return 0;
	for (int i = 0; i < TICK_BATCH; i++) {
		int rc;

		sqlite3_bind_int64(st, 1, now);
		rc = sqlite3_step(st);
		if (rc != SQLITE_ROW) {
			finish(st);
			return rc == SQLITE_DONE ? 0 : db_fail(r, "due silence");
		}
		snprintf(sensor, sizeof(sensor), "%s", (const char *)sqlite3_column_text(st, 0));
		snprintf(block, sizeof(block), "%s", (const char *)sqlite3_column_text(st, 2));
		due = sqlite3_column_int64(st, 3);
		since = sqlite3_column_int64(st, 4);
		finish(st);
		ret = sensor_get(r, sensor, &s);
		if (ret == 0)
			ret = went_offline(r, sensor, block, due, "silence", since, now, &s);
		if (ret == 0)
			ret = sensor_put(r, sensor, block, &s);
		if (ret < 0)
			return ret;
		(*opened)++;
	}
	return 0;
}

int rules_tx(struct rules *r, enum stmt which)
{
	return step_done(r, r->st[which], sql[which]);
}

int rules_tick(struct rules *r, int64_t now_ms)
{
	int opened = 0;
	int ret = rules_tx(r, S_BEGIN);

	if (ret < 0)
		return ret;
	ret = tick_doors(r, now_ms, &opened);
	if (ret == 0)
		ret = tick_silence(r, now_ms, &opened);
	if (ret == 0)
		ret = rules_tx(r, S_COMMIT);
	if (ret < 0) {
		if (!sqlite3_get_autocommit(r->db))
			rules_tx(r, S_ROLLBACK);
		return ret;
	}
	return opened;
}

int rules_hours_changed(struct rules *r)
{
	sqlite3_stmt *st = r->st[S_TIMER_OF_RULE];
	struct pending {
		char sensor[64];
		char block[64];
		int64_t since;
	} *list = NULL;
	size_t n = 0, cap = 0;
	int64_t due = 0;
	int ret = 0;
	int rc;

	bind_text(st, 1, R_INSECURE);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			size_t ncap = cap != 0 ? cap * 2 : 16;
			struct pending *nl = realloc(list, ncap * sizeof(*list));

			if (nl == NULL) {
				ret = -ENOMEM;
				break;
			}
			list = nl;
			cap = ncap;
		}
		snprintf(list[n].sensor, sizeof(list[n].sensor), "%s",
			 (const char *)sqlite3_column_text(st, 0));
		snprintf(list[n].block, sizeof(list[n].block), "%s",
			 (const char *)sqlite3_column_text(st, 1));
		list[n].since = sqlite3_column_int64(st, 2);
		n++;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = db_fail(r, "list timers");
	finish(st);
	for (size_t i = 0; ret == 0 && i < n; i++) {
		if (timer_insecure_deadline(r, list[i].since, &due) == 0)
			ret = timer_put(r, list[i].sensor, R_INSECURE, list[i].block, due,
					list[i].since);
		else
			ret = timer_del(r, list[i].sensor, R_INSECURE);
	}
	free(list);
	return ret;
}

/* ---- life cycle and thread ---- */

static bool stopping(struct rules *r)
{
	bool s;

	pthread_mutex_lock(&r->mutex);
	s = r->stopping;
	pthread_mutex_unlock(&r->mutex);
	return s;
}

/* A new local date since the last look (the thread's own state). */
static bool new_day(struct rules *r)
{
	time_t now = time(NULL);
	struct tm tm;
	bool changed;

	if (localtime_r(&now, &tm) == NULL)
		return false;
	changed = r->last_yday >= 0 && tm.tm_yday != r->last_yday;
	r->last_yday = tm.tm_yday;
	return changed;
}

static void *rules_thread(void *arg)
{
	struct rules *r = arg;
	struct timespec until;

	while (!stopping(r)) {
		store_lock(r->store);
		if (new_day(r) && r->day_fn != NULL)
			r->day_fn(r->day_ctx);
		if (rules_tick(r, sbtime_now_ms()) < 0)
			log_error("rules: cannot fire deadlines (see above)");
		if (rules_publish_alerts(r, r->alert_fn, r->alert_ctx) < 0)
			log_error("rules: cannot publish alerts (see above)");
		store_unlock(r->store);
		pthread_mutex_lock(&r->mutex);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 1;
		while (!r->kicked && !r->stopping)
			if (pthread_cond_timedwait(&r->cond, &r->mutex, &until) != 0)
				break;
		r->kicked = false;
		pthread_mutex_unlock(&r->mutex);
	}
	return NULL;
}

int rules_start(struct rules *r, rules_alert_fn fn, void *ctx, rules_day_fn day_fn,
		void *day_ctx)
{
	r->alert_fn = fn;
	r->alert_ctx = ctx;
	r->day_fn = day_fn;
	r->day_ctx = day_ctx;
	r->last_yday = -1;
	if (pthread_create(&r->thread, NULL, rules_thread, r) != 0)
		return -EAGAIN;
	r->thread_started = true;
	return 0;
}

void rules_kick(struct rules *r)
{
	if (r == NULL)
		return;
	pthread_mutex_lock(&r->mutex);
	r->kicked = true;
	pthread_cond_signal(&r->cond);
	pthread_mutex_unlock(&r->mutex);
}

int rules_open(struct store *store, struct sitehours *hours, const struct rules_config *cfg,
	       struct rules **out)
{
	struct rules *r = NULL;
	int ret = 0;

	*out = NULL;
	r = calloc(1, sizeof(*r));
	if (r == NULL)
		return -ENOMEM;
	pthread_mutex_init(&r->mutex, NULL);
	pthread_cond_init(&r->cond, NULL);
	r->store = store;
	r->hours = hours;
	r->cfg = *cfg;
	r->db = store_sqlite(store);
	ret = hashmap_open(sizeof(struct batch_sensor), BATCH_MAX, &r->batch);
	if (ret < 0)
		goto out;
	for (int i = 0; i < S_N; i++) {
		if (sqlite3_prepare_v3(r->db, sql[i], -1, SQLITE_PREPARE_PERSISTENT, &r->st[i],
				       NULL) != SQLITE_OK) {
			ret = db_fail(r, sql[i]);
			goto out;
		}
	}
	*out = r;
	r = NULL;
out:
	rules_close(r);
	return ret;
}

void rules_stop(struct rules *r)
{
	if (r == NULL || !r->thread_started)
		return;
	pthread_mutex_lock(&r->mutex);
	r->stopping = true;
	pthread_cond_signal(&r->cond);
	pthread_mutex_unlock(&r->mutex);
	pthread_join(r->thread, NULL);
	r->thread_started = false;
}

void rules_close(struct rules *r)
{
	if (r == NULL)
		return;
	rules_stop(r);
	for (int i = 0; i < S_N; i++)
		sqlite3_finalize(r->st[i]);
	hashmap_close(r->batch);
	pthread_cond_destroy(&r->cond);
	pthread_mutex_destroy(&r->mutex);
	free(r);
}
