/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the rules engine over a real temporary SQLite file, driven by
 * synthetic event sequences and explicit wall-clock ticks (no real clock):
 * each rule's open/continue/close, the one-open-breach index, deadlines that
 * survive a restart, a live day against the same day as a backlog,
 * exceptions, bank holidays and both clock changes (Europe/London).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "ingest/ingest.h"
#include "rules/rules.h"
#include "siteboard/log.h"
#include "siteboard/sbtime.h"
#include "hours/sitehours.h"
#include "store/store.h"
#include "testdb.h"

struct fixture {
	char path[256];
	struct store *s;
	struct sitehours *h;
	struct rules *r;
	struct rules_config cfg;
};

static int64_t T(const char *s)
{
	int64_t ms = 0;

	assert_int_equal(sbtime_parse(s, &ms), 0);
	return ms;
}

static void open_all(struct fixture *f)
{
	struct sitehours_options ho = {NULL, NULL};
	char err[256];

	assert_int_equal(store_open(f->path, &f->s), 0);
	assert_int_equal(sitehours_open(f->s, &ho, &f->h, err, sizeof(err)), 0);
	assert_int_equal(rules_open(f->s, f->h, &f->cfg, &f->r), 0);
}

static void close_all(struct fixture *f)
{
	rules_close(f->r);
	sitehours_close(f->h);
	store_close(f->s);
	f->r = NULL;
	f->h = NULL;
	f->s = NULL;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct rules_config def = RULES_CONFIG_DEFAULT;

	if (f == NULL)
		return -1;
	log_init("unit_server_rules");
	log_set_level(LOG_LEVEL_WARN);
	setenv("TZ", "Europe/London", 1);
	tzset();
	f->cfg = def;
	testdb_path(f->path, sizeof(f->path));
	open_all(f);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	close_all(f);
	testdb_remove(f->path);
	free(f);
	return 0;
}

static void feed(struct fixture *f, const struct rules_event *ev)
{
	assert_int_equal(store_begin(f->s), 0);
	assert_int_equal(rules_event(f->r, ev), 0);
	assert_int_equal(store_commit(f->s), 0);
}

static void door(struct fixture *f, const char *sensor, enum rules_role role, const char *ts,
		 bool open)
{
	struct rules_event ev = {
		.sensor = sensor,
		.block = "tower-a",
		.kind = RULES_KIND_DOOR,
		.role = role,
		.ts_ms = T(ts),
		.arrived_ms = T(ts),
		.open = open,
	};

	feed(f, &ev);
}

static void noise(struct fixture *f, const char *sensor, int64_t ts, double laeq)
{
	struct rules_event ev = {
		.sensor = sensor,
		.block = "tower-a",
		.kind = RULES_KIND_NOISE,
		.role = RULES_ROLE_NOISE,
		.ts_ms = ts,
		.arrived_ms = ts + 60000,
		.period_s = 60,
		.has_levels = true,
		.laeq = laeq,
	};

	feed(f, &ev);
}

static void status(struct fixture *f, const char *sensor, int64_t at, bool online, bool retained)
{
	struct rules_event ev = {
		.sensor = sensor,
		.block = "tower-a",
		.kind = RULES_KIND_STATUS,
		.role = RULES_ROLE_SITE_ACCESS,
		.ts_ms = at,
		.arrived_ms = at,
		.online = online,
		.retained = retained,
	};

	feed(f, &ev);
}

static int64_t count(struct fixture *f, const char *rule, const char *state)
{
	sqlite3_stmt *st = NULL;
	int64_t n = -1;

	assert_int_equal(sqlite3_prepare_v2(store_sqlite(f->s),
					    "SELECT COUNT(*) FROM breaches WHERE rule = ?1"
					    " AND (?2 IS NULL OR state = ?2)",
					    -1, &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_text(st, 1, rule, -1, SQLITE_STATIC);
	if (state != NULL)
		sqlite3_bind_text(st, 2, state, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* The last breach of a rule: its start and end (-1 while open). */
static void last(struct fixture *f, const char *rule, int64_t *started, int64_t *ended)
{
	sqlite3_stmt *st = NULL;

	assert_int_equal(sqlite3_prepare_v2(store_sqlite(f->s),
					    "SELECT started_at, COALESCE(ended_at, -1) FROM breaches"
					    " WHERE rule = ?1 ORDER BY id DESC LIMIT 1",
					    -1, &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_text(st, 1, rule, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	*started = sqlite3_column_int64(st, 0);
	*ended = sqlite3_column_int64(st, 1);
	sqlite3_finalize(st);
}

/* Every breach as one line each, for comparing two runs. */
static char *dump(struct fixture *f)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 65536, len = 0;
	char *out = calloc(1, cap);

	assert_non_null(out);
	assert_int_equal(sqlite3_prepare_v2(store_sqlite(f->s),
					    "SELECT rule, sensor, started_at, COALESCE(ended_at, -1),"
					    " state, detail FROM breaches ORDER BY started_at, rule,"
					    " sensor",
					    -1, &st, NULL),
			 SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int n = snprintf(out + len, cap - len, "%s %s %lld %lld %s %s\n",
				 sqlite3_column_text(st, 0), sqlite3_column_text(st, 1),
				 (long long)sqlite3_column_int64(st, 2),
				 (long long)sqlite3_column_int64(st, 3), sqlite3_column_text(st, 4),
				 sqlite3_column_text(st, 5));

		assert_true(n > 0 && (size_t)n < cap - len);
		len += (size_t)n;
	}
	sqlite3_finalize(st);
	return out;
}

/* ---- doors ---- */

static void test_out_of_hours_access(void **state)
{
	struct fixture *f = *state;
	int64_t s, e;

	/* Monday 23 Nov 2026, GMT */
	door(f, "gate", RULES_ROLE_SITE_ACCESS, "2026-11-23T10:00:00Z", true);
	door(f, "gate", RULES_ROLE_SITE_ACCESS, "2026-11-23T10:05:00Z", false);
	assert_int_equal(count(f, "out_of_hours_access", NULL), 0);
	door(f, "gate", RULES_ROLE_SITE_ACCESS, "2026-11-23T07:50:00Z", true);
	assert_int_equal(count(f, "out_of_hours_access", "open"), 1);
	/* the same state again is no new opening */
	door(f, "gate", RULES_ROLE_SITE_ACCESS, "2026-11-23T07:51:00Z", true);
	assert_int_equal(count(f, "out_of_hours_access", NULL), 1);
	door(f, "gate", RULES_ROLE_SITE_ACCESS, "2026-11-23T07:55:00Z", false);
	last(f, "out_of_hours_access", &s, &e);
	assert_true(s == T("2026-11-23T07:50:00Z") && e == T("2026-11-23T07:55:00Z"));
	assert_int_equal(count(f, "out_of_hours_access", "closed"), 1);
	/* opened 07:50 and closed in time: not left insecure; secure stores are not access */
	assert_int_equal(count(f, "left_insecure", NULL), 0);
	door(f, "store", RULES_ROLE_SECURE_STORE, "2026-11-23T19:00:00Z", true);
	assert_int_equal(count(f, "out_of_hours_access", NULL), 1);
}

static void test_left_insecure_backlog(void **state)
{
	struct fixture *f = *state;
	int64_t s, e;

	door(f, "gate", RULES_ROLE_SITE_ACCESS, "2026-11-23T16:50:00Z", true);
	door(f, "gate", RULES_ROLE_SITE_ACCESS, "2026-11-23T18:30:00Z", false);
	assert_int_equal(count(f, "left_insecure", NULL), 1);
	last(f, "left_insecure", &s, &e);
	assert_true(s == T("2026-11-23T17:15:00Z"));
	assert_true(e == T("2026-11-23T18:30:00Z"));
	assert_int_equal(count(f, "out_of_hours_access", NULL), 0);
	/* closed within the grace: nothing */
	door(f, "store", RULES_ROLE_SECURE_STORE, "2026-11-24T16:50:00Z", true);
	door(f, "store", RULES_ROLE_SECURE_STORE, "2026-11-24T17:14:00Z", false);
	assert_int_equal(count(f, "left_insecure", NULL), 1);
}

static void test_left_insecure_live(void **state)
{
	struct fixture *f = *state;
	int64_t s, e;

	door(f, "gate", RULES_ROLE_SITE_ACCESS, "2026-11-23T16:50:00Z", true);
	assert_int_equal(rules_tick(f->r, T("2026-11-23T17:14:59Z")), 0);
	assert_int_equal(count(f, "left_insecure", NULL), 0);
	assert_int_equal(rules_tick(f->r, T("2026-11-23T17:15:01Z")), 1);
	assert_int_equal(count(f, "left_insecure", "open"), 1);
	/* a day later it is still the same breach */
	assert_int_equal(rules_tick(f->r, T("2026-11-24T18:00:00Z")), 0);
	door(f, "gate", RULES_ROLE_SITE_ACCESS, "2026-11-24T18:30:00Z", true);
	assert_int_equal(count(f, "left_insecure", NULL), 1);
	door(f, "gate", RULES_ROLE_SITE_ACCESS, "2026-11-24T18:31:00Z", false);
	last(f, "left_insecure", &s, &e);
	assert_true(s == T("2026-11-23T17:15:00Z") && e == T("2026-11-24T18:31:00Z"));
}

static void test_door_held_open(void **state)
{
	struct fixture *f = *state;
	int64_t s, e;

	door(f, "lobby", RULES_ROLE_COMMUNAL_ENTRANCE, "2026-11-23T10:00:00Z", true);
	door(f, "lobby", RULES_ROLE_COMMUNAL_ENTRANCE, "2026-11-23T10:04:59Z", false);
	assert_int_equal(count(f, "door_held_open", NULL), 0);
	door(f, "lobby", RULES_ROLE_COMMUNAL_ENTRANCE, "2026-11-23T11:00:00Z", true);
	door(f, "lobby", RULES_ROLE_COMMUNAL_ENTRANCE, "2026-11-23T11:10:00Z", false);
	last(f, "door_held_open", &s, &e);
	assert_true(s == T("2026-11-23T11:05:00Z") && e == T("2026-11-23T11:10:00Z"));
	/* a communal entrance is neither access nor insecure */
	door(f, "lobby", RULES_ROLE_COMMUNAL_ENTRANCE, "2026-11-23T22:00:00Z", true);
	assert_int_equal(rules_tick(f->r, T("2026-11-23T22:05:00Z")), 1);
	assert_int_equal(count(f, "out_of_hours_access", NULL), 0);
	assert_int_equal(count(f, "left_insecure", NULL), 0);
	assert_int_equal(count(f, "door_held_open", "open"), 1);
}

/* ---- noise ---- */

static void test_out_of_hours_noise(void **state)
{
	struct fixture *f = *state;
	int64_t t = T("2026-11-23T19:00:00Z");
	int64_t s, e;

	noise(f, "mic", t, 60);
	noise(f, "mic", t + 60000, 63);
	noise(f, "mic", t + 120000, 58);
	assert_int_equal(count(f, "out_of_hours_noise", NULL), 1);
	noise(f, "mic", t + 180000, 50);
	last(f, "out_of_hours_noise", &s, &e);
	assert_true(s == t && e == t + 180000);
	/* loud again: a new breach */
	noise(f, "mic", t + 240000, 70);
	assert_int_equal(count(f, "out_of_hours_noise", NULL), 2);
	/* in hours 70 dB is fine for this rule */
	noise(f, "mic", T("2026-11-24T10:00:00Z"), 70);
	assert_int_equal(count(f, "out_of_hours_noise", "open"), 0);
	assert_int_equal(count(f, "excess_noise", NULL), 0);
}

static void test_excess_noise(void **state)
{
	struct fixture *f = *state;
	int64_t t = T("2026-11-23T10:00:00Z");
	int64_t s, e;

	for (int i = 0; i < 30; i++)
		noise(f, "mic", t + i * 60000, 70);
	assert_int_equal(count(f, "excess_noise", NULL), 0);
	for (int i = 30; i < 60; i++)
		noise(f, "mic", t + i * 60000, 80);
	/* energy mean of 30 min at 70 and 30 at 80 is 77.4 dB: one breach */
	assert_int_equal(count(f, "excess_noise", "open"), 1);
	assert_int_equal(count(f, "excess_noise", NULL), 1);
	for (int i = 60; i < 120; i++)
		noise(f, "mic", t + i * 60000, 50);
	assert_int_equal(count(f, "excess_noise", NULL), 1);
	assert_int_equal(count(f, "excess_noise", "closed"), 1);
	last(f, "excess_noise", &s, &e);
	assert_true(s > t && e > s);
}

/* ---- faults ---- */

static void test_sensor_offline(void **state)
{
	struct fixture *f = *state;

	door(f, "gate", RULES_ROLE_SITE_ACCESS, "2026-11-23T16:50:00Z", true);
	status(f, "gate", T("2026-11-23T16:55:00Z"), false, false);
	assert_int_equal(count(f, "sensor_offline", "open"), 1);
	/* offline is never open: no left_insecure at 17:15 */
	rules_tick(f->r, T("2026-11-23T18:00:00Z"));
	assert_int_equal(count(f, "left_insecure", NULL), 0);
	/* the retained will replayed on reconnect opens nothing new */
	status(f, "gate", T("2026-11-23T18:01:00Z"), false, true);
	assert_int_equal(count(f, "sensor_offline", NULL), 1);
	status(f, "gate", T("2026-11-23T18:02:00Z"), true, false);
	assert_int_equal(count(f, "sensor_offline", "closed"), 1);
	status(f, "gate", T("2026-11-23T18:03:00Z"), true, true);
	status(f, "gate", T("2026-11-23T18:04:00Z"), false, true);
	assert_int_equal(count(f, "sensor_offline", NULL), 2);
	status(f, "gate", T("2026-11-23T18:05:00Z"), false, true);
	assert_int_equal(count(f, "sensor_offline", NULL), 2);
}

static void test_silence(void **state)
{
	struct fixture *f = *state;
	int64_t t = T("2026-11-23T10:00:00Z");

	/* both heard, then only "a" for 5 minutes */
	status(f, "b", t, true, false);
	for (int i = 0; i <= 5; i++)
		status(f, "a", t + i * 60000, true, false);
	assert_true(rules_tick(f->r, t + 5 * 60000) >= 1);
	assert_int_equal(count(f, "sensor_offline", "open"), 1);
	/* "a" is fine: heard a moment ago */
	status(f, "b", t + 6 * 60000, true, false);
	assert_int_equal(count(f, "sensor_offline", "closed"), 1);
	/* after a pause of everyone (a restart, a broker outage) nobody is blamed */
	assert_int_equal(rules_tick(f->r, t + 60 * 60000), 0);
}

static void test_one_open_breach_index(void **state)
{
	struct fixture *f = *state;
	sqlite3 *db = store_sqlite(f->s);
	const char *ins = "INSERT INTO breaches (rule, block, sensor, started_at, state, detail)"
			  " VALUES ('left_insecure', 'b', 'gate', 1, 'open', '{}')";

	assert_int_equal(sqlite3_exec(db, ins, NULL, NULL, NULL), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, ins, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "UPDATE breaches SET state = 'closed'", NULL, NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, ins, NULL, NULL, NULL), SQLITE_OK);
}

static void test_timer_survives_restart(void **state)
{
	struct fixture *f = *state;
	int64_t s, e;

	door(f, "lobby", RULES_ROLE_COMMUNAL_ENTRANCE, "2026-11-23T10:00:00Z", true);
	close_all(f);
	open_all(f);
	assert_int_equal(rules_tick(f->r, T("2026-11-23T10:20:00Z")), 1);
	last(f, "door_held_open", &s, &e);
	assert_true(s == T("2026-11-23T10:05:00Z") && e == -1);
}

/* ---- a day, live and as a backlog ---- */

struct day_event {
	const char *sensor;
	enum rules_role role;
	const char *ts;
	int open; /* door: 1/0; noise: -1 with laeq */
	double laeq;
};

static const struct day_event day[] = {
	{"gate", RULES_ROLE_SITE_ACCESS, "2026-11-24T07:40:00Z", 1, 0},
	{"gate", RULES_ROLE_SITE_ACCESS, "2026-11-24T07:45:00Z", 0, 0},
	{"lobby", RULES_ROLE_COMMUNAL_ENTRANCE, "2026-11-24T09:00:00Z", 1, 0},
	{"lobby", RULES_ROLE_COMMUNAL_ENTRANCE, "2026-11-24T09:12:00Z", 0, 0},
	{"store", RULES_ROLE_SECURE_STORE, "2026-11-24T12:00:00Z", 1, 0},
	{"gate", RULES_ROLE_SITE_ACCESS, "2026-11-24T16:50:00Z", 1, 0},
	{"mic", RULES_ROLE_NOISE, "2026-11-24T18:00:00Z", -1, 62},
	{"mic", RULES_ROLE_NOISE, "2026-11-24T18:01:00Z", -1, 64},
	{"mic", RULES_ROLE_NOISE, "2026-11-24T18:02:00Z", -1, 40},
	{"gate", RULES_ROLE_SITE_ACCESS, "2026-11-24T18:30:00Z", 0, 0},
	{"store", RULES_ROLE_SECURE_STORE, "2026-11-25T07:58:00Z", 0, 0},
};

static void play_day(struct fixture *f, bool live)
{
	for (size_t i = 0; i < sizeof(day) / sizeof(day[0]); i++) {
		int64_t t = T(day[i].ts);

		if (live)
			rules_tick(f->r, t - 1);
		if (day[i].open < 0)
			noise(f, day[i].sensor, t, day[i].laeq);
		else
			door(f, day[i].sensor, day[i].role, day[i].ts, day[i].open == 1);
		if (live)
			rules_tick(f->r, t + 1);
	}
}

static void test_backlog_equivalence(void **state)
{
	struct fixture *f = *state;
	struct fixture g = {0};
	char *a = NULL, *b = NULL;

	/* silence is judged on arrival, not event time: not part of this */
	f->cfg.heartbeat_s = 0;
	close_all(f);
	open_all(f);
	play_day(f, true);
	a = dump(f);
	g.cfg = f->cfg;
	testdb_path(g.path, sizeof(g.path));
	open_all(&g);
	play_day(&g, false);
	b = dump(&g);
	assert_string_equal(a, b);
	/* and it is the day we expect */
	assert_int_equal(count(f, "out_of_hours_access", NULL), 1);
	assert_int_equal(count(f, "door_held_open", NULL), 1);
	assert_int_equal(count(f, "left_insecure", NULL), 2);
	assert_int_equal(count(f, "out_of_hours_noise", NULL), 1);
	free(a);
	free(b);
	close_all(&g);
	testdb_remove(g.path);
}

/* ---- batches (rules_ingest_sink ... rules_ingest_flush) ---- */

/* A mixed, repeatable stream: every role, in and out of hours, repeats, statuses. */
static void batch_event(int i, struct ingest_event *ev, struct event_noise *nz)
{
	static const char *const sensors[] = {"gate", "store", "lobby", "mic", "back"};
	static const char *const roles[] = {"site_access", "secure_store", "communal_entrance",
					    "noise", "site_access"};
	uint32_t x = (uint32_t)i * 2654435761u;
	int k = (int)(x >> 7) % 5;
	/* 7 minutes apart from Monday 05:00 UTC: crosses 08:00 and 17:00 twice */
	int64_t ts = T("2026-11-23T05:00:00Z") + (int64_t)i * 7 * 60 * 1000;

	memset(ev, 0, sizeof(*ev));
	memset(nz, 0, sizeof(*nz));
	ev->sensor = sensors[k];
	ev->block = "tower-a";
	ev->role = roles[k];
	ev->ts_ms = ts;
	ev->arrived_ms = ts + (int64_t)(x % 5000);
	ev->battery_pct = -1;
	if ((x >> 3) % 11 == 0) {
		ev->kind = "status";
		ev->online = (x >> 5) % 3 != 0;
		ev->retained = (x >> 9) % 2 == 0;
		ev->ts_ms = ev->arrived_ms;
	} else if (k == 3) {
		ev->kind = "noise";
		nz->ts_ms = ts;
		nz->period_s = 60;
		nz->has_levels = (x >> 11) % 9 != 0;
		nz->laeq = 45.0 + (double)((x >> 13) % 45);
		ev->noise = nz;
	} else {
		ev->kind = "door";
		ev->open = (x >> 4) % 3 != 0; /* repeats of the same state too */
	}
}

/* Tables the rules write, one line per row, for comparing two runs. */
static char *dump_rules_state(struct fixture *f)
{
	static const char *const sql[] = {
		"SELECT sensor, block, COALESCE(door, -1), door_since, COALESCE(status, '')"
		" FROM rule_sensors ORDER BY sensor",
		"SELECT sensor, rule, block, due, since FROM rule_timers ORDER BY sensor, rule",
		"SELECT breach, state, at, recorded_at, published FROM breach_audit ORDER BY id",
		"SELECT id, rule, sensor, started_at, COALESCE(ended_at, -1), state, detail"
		" FROM breaches ORDER BY id",
		"SELECT sensor, ts, period_s, laeq FROM rule_noise ORDER BY sensor, ts",
	};
	size_t cap = 1 << 20, len = 0;
	char *out = calloc(1, cap);

	assert_non_null(out);
	for (size_t q = 0; q < sizeof(sql) / sizeof(sql[0]); q++) {
		sqlite3_stmt *st = NULL;

		assert_int_equal(sqlite3_prepare_v2(store_sqlite(f->s), sql[q], -1, &st, NULL),
				 SQLITE_OK);
		while (sqlite3_step(st) == SQLITE_ROW) {
			for (int c = 0; c < sqlite3_column_count(st); c++) {
				const unsigned char *t = sqlite3_column_text(st, c);
				int n = snprintf(out + len, cap - len, "%s%c",
						 t != NULL ? (const char *)t : "NULL",
						 c + 1 < sqlite3_column_count(st) ? ' ' : '\n');

				assert_true(n > 0 && (size_t)n < cap - len);
				len += (size_t)n;
			}
		}
		sqlite3_finalize(st);
	}
	return out;
}

#define BATCH_EVENTS 600

/* The stream through rules_ingest_sink in transactions of batch events. */
static void play_batches(struct fixture *f, int batch)
{
	struct ingest_event ev;
	struct event_noise nz;

	for (int i = 0; i < BATCH_EVENTS; i += batch) {
		/* one failed attempt first: rolled back and discarded, then redone */
		if (i % (3 * batch) == 0) {
			assert_int_equal(store_begin(f->s), 0);
			for (int j = i; j < i + batch && j < BATCH_EVENTS; j++) {
				batch_event(j, &ev, &nz);
				assert_int_equal(rules_ingest_sink(f->r, &ev), 0);
			}
			store_rollback(f->s);
			rules_ingest_discard(f->r);
		}
		assert_int_equal(store_begin(f->s), 0);
		for (int j = i; j < i + batch && j < BATCH_EVENTS; j++) {
			batch_event(j, &ev, &nz);
			assert_int_equal(rules_ingest_sink(f->r, &ev), 0);
		}
		assert_int_equal(rules_ingest_flush(f->r), 0);
		assert_int_equal(store_commit(f->s), 0);
	}
}

/* The same stream through rules_event, one transaction each (no batch table). */
static void play_single(struct fixture *f)
{
	static const enum rules_role roles[] = {RULES_ROLE_SITE_ACCESS, RULES_ROLE_SECURE_STORE,
						RULES_ROLE_COMMUNAL_ENTRANCE, RULES_ROLE_NOISE};
	static const char *const role_names[] = {"site_access", "secure_store",
						 "communal_entrance", "noise"};
	struct ingest_event ev;
	struct event_noise nz;

	for (int i = 0; i < BATCH_EVENTS; i++) {
		struct rules_event re = {0};

		batch_event(i, &ev, &nz);
		re.sensor = ev.sensor;
		re.block = ev.block;
		for (size_t k = 0; k < 4; k++)
			if (strcmp(ev.role, role_names[k]) == 0)
				re.role = roles[k];
		re.ts_ms = ev.ts_ms;
		re.arrived_ms = ev.arrived_ms;
		re.open = ev.open;
		re.online = ev.online;
		re.retained = ev.retained;
		if (strcmp(ev.kind, "door") == 0) {
			re.kind = RULES_KIND_DOOR;
		} else if (strcmp(ev.kind, "noise") == 0) {
			re.kind = RULES_KIND_NOISE;
			re.period_s = nz.period_s;
			re.has_levels = nz.has_levels;
			re.laeq = nz.laeq;
		} else {
			re.kind = RULES_KIND_STATUS;
		}
		feed(f, &re);
	}
}

static void test_batch_equivalence(void **state)
{
	static const int batches[] = {2, 7, 64, BATCH_EVENTS};
	struct fixture *f = *state;
	char *want = NULL;

	play_single(f);
	want = dump_rules_state(f);
	assert_true(count(f, "out_of_hours_access", NULL) > 0);
	assert_true(count(f, "sensor_offline", NULL) > 0);
	assert_true(count(f, "out_of_hours_noise", NULL) > 0);
	assert_true(count(f, "excess_noise", NULL) > 0);
	for (size_t b = 0; b < sizeof(batches) / sizeof(batches[0]); b++) {
		struct fixture g = {0};
		char *got = NULL;

		g.cfg = f->cfg;
		testdb_path(g.path, sizeof(g.path));
		open_all(&g);
		play_batches(&g, batches[b]);
		got = dump_rules_state(&g);
		assert_string_equal(want, got);
		free(got);
		close_all(&g);
		testdb_remove(g.path);
	}
	free(want);
}

/* ---- the hours ---- */

static void add_exception(struct fixture *f, const char *date, bool closed, int from, int to)
{
	struct sitehours_exception e = {0};
	int64_t id = 0;

	snprintf(e.date, sizeof(e.date), "%s", date);
	e.closed = closed;
	e.from_min = from;
	e.to_min = to;
	e.reason = "agreed";
	e.agreed_by = "Resident liaison";
	assert_int_equal(store_begin(f->s), 0);
	assert_int_equal(sitehours_add(f->h, &e, 1, &id), 0);
	assert_int_equal(rules_hours_changed(f->r), 0);
	assert_int_equal(store_commit(f->s), 0);
}

static void test_exceptions(void **state)
{
	struct fixture *f = *state;
	int64_t s, e;

	/* the door is open when the exception is agreed: its deadline moves */
	door(f, "gate", RULES_ROLE_SITE_ACCESS, "2026-11-24T16:00:00Z", true);
	add_exception(f, "2026-11-24", false, 8 * 60, 20 * 60);
	assert_int_equal(rules_tick(f->r, T("2026-11-24T18:00:00Z")), 0);
	door(f, "gate", RULES_ROLE_SITE_ACCESS, "2026-11-24T19:00:00Z", false);
	door(f, "gate", RULES_ROLE_SITE_ACCESS, "2026-11-24T19:10:00Z", true);
	door(f, "gate", RULES_ROLE_SITE_ACCESS, "2026-11-24T19:20:00Z", false);
	assert_int_equal(count(f, "out_of_hours_access", NULL), 0);
	assert_int_equal(count(f, "left_insecure", NULL), 0);
	door(f, "gate", RULES_ROLE_SITE_ACCESS, "2026-11-24T19:50:00Z", true);
	door(f, "gate", RULES_ROLE_SITE_ACCESS, "2026-11-24T20:30:00Z", false);
	last(f, "left_insecure", &s, &e);
	assert_true(s == T("2026-11-24T20:15:00Z"));
	/* a closed day: any access is out of hours */
	add_exception(f, "2026-11-25", true, 0, 0);
	door(f, "gate", RULES_ROLE_SITE_ACCESS, "2026-11-25T10:00:00Z", true);
	assert_int_equal(count(f, "out_of_hours_access", "open"), 1);
}

static void test_bank_holiday(void **state)
{
	struct fixture *f = *state;

	/* Christmas Day 2026 is a Friday; 26 Dec a Saturday, so 28 Dec is the substitute */
	door(f, "gate", RULES_ROLE_SITE_ACCESS, "2026-12-25T10:00:00Z", true);
	door(f, "gate", RULES_ROLE_SITE_ACCESS, "2026-12-25T10:01:00Z", false);
	door(f, "gate", RULES_ROLE_SITE_ACCESS, "2026-12-28T10:00:00Z", true);
	door(f, "gate", RULES_ROLE_SITE_ACCESS, "2026-12-28T10:01:00Z", false);
	door(f, "gate", RULES_ROLE_SITE_ACCESS, "2026-12-29T10:00:00Z", true);
	door(f, "gate", RULES_ROLE_SITE_ACCESS, "2026-12-29T10:01:00Z", false);
	assert_int_equal(count(f, "out_of_hours_access", NULL), 2);
}

static void test_clock_changes(void **state)
{
	struct fixture *f = *state;
	int64_t s, e;

	/* Monday 30 March 2026, BST: 08:00 local is 07:00Z */
	door(f, "gate", RULES_ROLE_SITE_ACCESS, "2026-03-30T07:30:00Z", true);
	door(f, "gate", RULES_ROLE_SITE_ACCESS, "2026-03-30T07:31:00Z", false);
	assert_int_equal(count(f, "out_of_hours_access", NULL), 0);
	door(f, "gate", RULES_ROLE_SITE_ACCESS, "2026-03-30T06:30:00Z", true);
	door(f, "gate", RULES_ROLE_SITE_ACCESS, "2026-03-30T06:31:00Z", false);
	assert_int_equal(count(f, "out_of_hours_access", NULL), 1);
	/* open on Friday 27 March (GMT) until Monday: insecure from 17:15 GMT */
	door(f, "store", RULES_ROLE_SECURE_STORE, "2026-03-27T16:00:00Z", true);
	door(f, "store", RULES_ROLE_SECURE_STORE, "2026-03-30T07:10:00Z", false);
	last(f, "left_insecure", &s, &e);
	assert_true(s == T("2026-03-27T17:15:00Z") && e == T("2026-03-30T07:10:00Z"));
	/* Monday 26 October 2026, GMT again: 07:30Z is 07:30 local, before hours */
	door(f, "gate", RULES_ROLE_SITE_ACCESS, "2026-10-26T07:30:00Z", true);
	door(f, "gate", RULES_ROLE_SITE_ACCESS, "2026-10-26T07:31:00Z", false);
	assert_int_equal(count(f, "out_of_hours_access", NULL), 2);
	/* Friday 23 October (BST): 17:00 local is 16:00Z */
	door(f, "store", RULES_ROLE_SECURE_STORE, "2026-10-23T15:50:00Z", true);
	door(f, "store", RULES_ROLE_SECURE_STORE, "2026-10-23T16:20:00Z", false);
	last(f, "left_insecure", &s, &e);
	assert_true(s == T("2026-10-23T16:15:00Z"));
}

/* ---- acknowledgement and the alerts outbox ---- */

struct sent {
	int n;
	char last[1024];
	bool fail;
};

static int send_cb(void *ctx, const char *json)
{
	struct sent *s = ctx;

	if (s->fail)
		return -ENOTCONN;
	s->n++;
	snprintf(s->last, sizeof(s->last), "%s", json);
	return 0;
}

static void test_ack_and_alerts(void **state)
{
	struct fixture *f = *state;
	struct sent sent = {0};
	json_t *b = NULL;

	door(f, "gate", RULES_ROLE_SITE_ACCESS, "2026-11-23T19:00:00Z", true);
	sent.fail = true;
	assert_int_equal(rules_publish_alerts(f->r, send_cb, &sent), 0);
	assert_int_equal(sent.n, 0);
	sent.fail = false;
	assert_int_equal(rules_publish_alerts(f->r, send_cb, &sent), 0);
	assert_int_equal(sent.n, 1);
	assert_non_null(strstr(sent.last, "\"state\":\"open\""));
	assert_non_null(strstr(sent.last, "\"rule\":\"out_of_hours_access\""));
	assert_int_equal(store_begin(f->s), 0);
	assert_int_equal(rules_ack(f->r, 1, "manager", "Night delivery, agreed", 5), 0);
	assert_int_equal(rules_ack(f->r, 99, "manager", "x", 5), -ENOENT);
	assert_int_equal(store_commit(f->s), 0);
	assert_int_equal(rules_publish_alerts(f->r, send_cb, &sent), 0);
	assert_int_equal(sent.n, 2);
	assert_non_null(strstr(sent.last, "\"state\":\"acknowledged\""));
	door(f, "gate", RULES_ROLE_SITE_ACCESS, "2026-11-23T19:05:00Z", false);
	assert_int_equal(rules_publish_alerts(f->r, send_cb, &sent), 0);
	assert_int_equal(sent.n, 3);
	assert_non_null(strstr(sent.last, "\"state\":\"closed\""));
	/* a note on a closed breach: audited, no alert */
	assert_int_equal(store_begin(f->s), 0);
	assert_int_equal(rules_ack(f->r, 1, "admin", "Reviewed", 6), 0);
	assert_int_equal(store_commit(f->s), 0);
	assert_int_equal(rules_publish_alerts(f->r, send_cb, &sent), 0);
	assert_int_equal(sent.n, 3);
	assert_int_equal(rules_breach_json(f->r, 1, &b), 0);
	assert_int_equal(json_array_size(json_object_get(b, "audit")), 4);
	assert_string_equal(json_string_value(json_object_get(b, "state")), "closed");
	json_decref(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_out_of_hours_access, setup, teardown),
		cmocka_unit_test_setup_teardown(test_left_insecure_backlog, setup, teardown),
		cmocka_unit_test_setup_teardown(test_left_insecure_live, setup, teardown),
		cmocka_unit_test_setup_teardown(test_door_held_open, setup, teardown),
		cmocka_unit_test_setup_teardown(test_out_of_hours_noise, setup, teardown),
		cmocka_unit_test_setup_teardown(test_excess_noise, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sensor_offline, setup, teardown),
		cmocka_unit_test_setup_teardown(test_silence, setup, teardown),
		cmocka_unit_test_setup_teardown(test_one_open_breach_index, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timer_survives_restart, setup, teardown),
		cmocka_unit_test_setup_teardown(test_backlog_equivalence, setup, teardown),
		cmocka_unit_test_setup_teardown(test_batch_equivalence, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exceptions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bank_holiday, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clock_changes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ack_and_alerts, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
