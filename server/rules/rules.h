/* SPDX-License-Identifier: MIT */
/*
 * The rules engine: judges sensor events against the site's hours and the
 * customer-care standards (sections 3, 5, 7) and keeps the breach log.
 *
 * Rules (docs/server.md "Rules" has the exact semantics):
 * out_of_hours_access, left_insecure, door_held_open, out_of_hours_noise,
 * excess_noise, sensor_offline. One breach per (sensor, rule) may be open at
 * a time (a UNIQUE partial index); a continuing condition updates its
 * detail. Every transition is written to breach_audit, which is also the
 * alerts outbox: rows are published after their transaction committed, and
 * marked once the MQTT client took them, so an alert survives a restart.
 *
 * Door and noise rules are judged on EVENT time: all state (door open since,
 * pending deadlines, the noise window) is in the database, and a deadline is
 * fired either by the wall clock (rules_tick, live) or by a later event of
 * the same sensor whose time is past it (backlog), with the same result.
 * sensor_offline is about hearing from a sensor and uses arrival time.
 *
 * Not for: decoding payloads, de-duplication (ingest), HTTP (api_breaches).
 * Threads: every function but rules_start/rules_stop/rules_kick is called
 * with the store lock held; rules_event inside the caller's transaction.
 */
#ifndef SITEBOARD_SERVER_RULES_H
#define SITEBOARD_SERVER_RULES_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "hours/sitehours.h"
#include "store/store.h"

#define RULES_NOTE_MAX 2000 /* characters of an acknowledgement note */

enum rules_role {
	RULES_ROLE_NONE = 0,
	RULES_ROLE_SITE_ACCESS,
	RULES_ROLE_SECURE_STORE,
	RULES_ROLE_COMMUNAL_ENTRANCE,
	RULES_ROLE_NOISE,
};

enum rules_kind {
	RULES_KIND_DOOR = 0,
	RULES_KIND_NOISE,
	RULES_KIND_STATUS,
};

/* One newly stored event. Strings borrowed for the call. */
struct rules_event {
	const char *sensor;
	const char *block;
	enum rules_kind kind;
	enum rules_role role;
	int64_t ts_ms;      /* event time: door change, noise period start */
	int64_t arrived_ms; /* arrival time (a status has no other) */
	bool open;          /* door */
	int period_s;       /* noise */
	bool has_levels;    /* noise: false when the levels were null */
	double laeq;
	bool online;   /* status */
	bool retained; /* status: delivered as a retained message (replayed) */
};

struct rules_config {
	long insecure_grace_min;  /* [doors] insecure_grace_min, 15 */
	long held_open_s;         /* [doors] held_open_s, 300 */
	double out_of_hours_laeq; /* [noise] out_of_hours_laeq, 55 */
	double in_hours_laeq;     /* [noise] in_hours_laeq, 75 */
	long in_hours_window_min; /* [noise] in_hours_window_min, 60 */
	long heartbeat_s;         /* [sensors] heartbeat_s, 60; 0 turns silence detection off */
};

#define RULES_CONFIG_DEFAULT {15, 300, 55.0, 75.0, 60, 60}

struct rules;

/*
 * store and hours borrowed, must outlive the rules; cfg copied.
 * @retval 0 and *out, -EIO (statements; logged), -ENOMEM
 */
int rules_open(struct store *store, struct sitehours *hours, const struct rules_config *cfg,
	       struct rules **out);

/* Stops the thread if started, finalizes statements. Before store_close. NULL is fine. */
void rules_close(struct rules *r);

/*
 * Judge one newly stored event (not a duplicate), inside the caller's
 * transaction. @retval 0, -EIO (the caller rolls back), -ENOMEM
 */
int rules_event(struct rules *r, const struct rules_event *ev);

/*
 * Fire deadlines due at wall-clock now_ms (door timers; silence timers only
 * while other sensors are being heard). Runs its own transaction.
 * @retval number of breaches opened, or -EIO
 */
int rules_tick(struct rules *r, int64_t now_ms);

/*
 * The hours changed (exceptions): move pending left_insecure deadlines.
 * Inside the caller's transaction. @retval 0, -EIO
 */
int rules_hours_changed(struct rules *r);

/*
 * Acknowledge breach id with note (who: the role or label; both borrowed).
 * An open breach becomes acknowledged (a transition: alerted); one already
 * acknowledged or closed keeps its state and gets the note in its audit.
 * Inside the caller's transaction. @retval 0, -ENOENT, -EIO
 */
int rules_ack(struct rules *r, int64_t id, const char *who, const char *note, int64_t now_ms);

/* Breaches as the API answers them (new references for the caller). */
struct rules_filter {
	const char *state; /* each NULL: any */
	const char *rule;
	const char *block;
	const char *sensor;
	int64_t from_ms; /* breaches active at some time in [from, to); 0: unbounded */
	int64_t to_ms;
	long limit;
	long offset;
};
/* @retval 0 and *out = {"breaches":[...]}, -EIO, -ENOMEM */
int rules_breaches_json(struct rules *r, const struct rules_filter *f, json_t **out);
/* One breach with "audit":[{"state","at","who","note"}]. @retval 0, -ENOENT, -EIO, -ENOMEM */
int rules_breach_json(struct rules *r, int64_t id, json_t **out);

/*
 * The ingest sink (ingest_sink_fn, ctx a struct rules *): rules_event for a
 * newly stored event, in batch mode: what the transaction learns of each
 * sensor (its rule_sensors row, its silence timer, which breaches are not
 * open) is kept in memory and written by rules_ingest_flush, which the
 * caller MUST call inside the same transaction before committing (it also
 * kicks the thread so the alerts go out after the commit); after a rollback
 * call rules_ingest_discard instead. Same results as rules_event per event.
 * @retval (flush) 0, -EIO, -ENOMEM: roll back
 */
struct ingest_event;
int rules_ingest_sink(void *ctx, const struct ingest_event *ev);
int rules_ingest_flush(void *ctx);
void rules_ingest_discard(void *ctx);

/* The store given to rules_open (borrowed). */
struct store *rules_store(struct rules *r);

/* True if name is one of the rule names. */
bool rules_rule_valid(const char *name);

/*
 * Send an alert (JSON text, borrowed); 0 if the MQTT client took it, <0 to
 * try again later (not connected).
 */
typedef int (*rules_alert_fn)(void *ctx, const char *json);

/* Publish every committed, unpublished transition in order. Lock held, no transaction open. */
int rules_publish_alerts(struct rules *r, rules_alert_fn fn, void *ctx);

/* Called by the thread, store lock held, no transaction open. */
typedef void (*rules_day_fn)(void *ctx);

/*
 * Start the background thread: about once a second (or at once after
 * rules_kick) it takes the store lock, runs rules_tick with the wall clock
 * and rules_publish_alerts with fn; and when the local date changes, calls
 * day_fn (may be NULL), e.g. to republish boards whose hours show "this
 * week". fn/ctx/day_fn/day_ctx borrowed until rules_close.
 * @retval 0, -EAGAIN
 */
int rules_start(struct rules *r, rules_alert_fn fn, void *ctx, rules_day_fn day_fn,
		void *day_ctx);

/* Stop the thread (waits for it). Idempotent; NULL is fine. */
void rules_stop(struct rules *r);

/* Wake the thread (e.g. after a commit with new transitions). Any thread, no lock needed. */
void rules_kick(struct rules *r);

#endif
