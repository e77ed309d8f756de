/* SPDX-License-Identifier: MIT */
/*
 * Sensor ingest: every sensor message the server's MQTT connection receives
 * (siteboard/<site>/+/sensor/+/door|noise|status and the mapped off-the-shelf
 * topics) is validated, written ahead to an append-only journal file, queued,
 * and stored by an ingest thread in group-commit transactions: seq
 * de-duplication, seq gap detection, registry status (last seen, online,
 * battery), and for each new event a call to the sink (the rules engine)
 * inside the same transaction.
 *
 * Durability: ingest_message returns (and libmosquitto sends the PUBACK) only
 * once the message is in the journal file (write(2), no fsync), so kill -9 of
 * the server loses nothing acknowledged; a power cut may lose the journal's
 * unsynced tail. The journal is replayed at open; replay is idempotent (each
 * record carries an id, the database records the last id applied).
 *
 * Not for: the MQTT connection (publish), the registry API (api_sensors),
 * judging events (rules).
 * Threads: ingest_message is called from the MQTT network thread only; the
 * sink runs on the ingest thread with the store lock held and a transaction
 * open.
 */
#ifndef SITEBOARD_SERVER_INGEST_H
#define SITEBOARD_SERVER_INGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "siteboard/event.h"
#include "ingest/mapping.h"
#include "store/store.h"

/* Events further than this in the future (event time vs arrival) are clock faults. */
#define INGEST_FUTURE_MAX_MS (5 * 60 * 1000)

/*
 * One stored event (or status), as handed to the sink. Everything is
 * borrowed for the duration of the call.
 */
struct ingest_event {
	const char *sensor; /* registered sensor id */
	const char *block;  /* its block */
	const char *kind;   /* "door" | "noise" | "status" */
	const char *role;   /* "site_access" | "secure_store" | "communal_entrance" | "noise" */
	int64_t seq;        /* door/noise: the stored seq (server-assigned for mapped sensors); status: -1 */
	int64_t ts_ms;      /* event time (door: the change; noise: period start; status: arrival) */
	int64_t arrived_ms; /* when the server received it */
	bool open;          /* door: true = open */
	const struct event_noise *noise; /* noise: the levels; otherwise NULL */
	bool online;        /* status */
	int battery_pct;    /* status: 0..100, or -1 when not reported */
	bool retained;      /* status: a retained message replayed by the broker */
};

/*
 * Called once per new event, on the ingest thread, inside the transaction
 * that stores it (not for duplicates). A negative return rolls the whole
 * batch back; it is retried (so the sink must be deterministic).
 */
typedef int (*ingest_sink_fn)(void *ctx, const struct ingest_event *ev);

struct ingest_options {
	const char *site_id;          /* borrowed for the call */
	const char *journal_path;     /* borrowed for the call */
	const struct mapping *map;    /* off-the-shelf mappings, or NULL; borrowed, outlives ingest */
	size_t queue_max;             /* 0: default 16384 */
	size_t batch_max;             /* 0: default 4096 events per transaction */
};

struct ingest;

/*
 * Open the journal and replay what it holds that the database has not
 * applied (store borrowed, must outlive the ingest). Does not start the thread.
 * @retval 0 and *out set
 * @retval -EIO journal or database error (logged), -ENOMEM
 */
int ingest_open(const struct ingest_options *opt, struct store *store, struct ingest **out);

/*
 * Optional batch hooks of a sink that caches within a transaction: flush is
 * called after a batch's last event, inside its transaction (a negative
 * return rolls the batch back, like the sink's); discard after any rollback
 * of a batch the sink saw. Both get the sink's ctx.
 */
typedef int (*ingest_flush_fn)(void *ctx);
typedef void (*ingest_discard_fn)(void *ctx);

/* Set the sink (NULL: none) and its batch hooks (each may be NULL). Call before ingest_start. */
void ingest_set_sink(struct ingest *in, ingest_sink_fn fn, void *ctx);
void ingest_set_sink_batch(struct ingest *in, ingest_flush_fn flush, ingest_discard_fn discard);

/* Replay the journal through the sink, then start the ingest thread. 0, -EIO, -ENOMEM. */
int ingest_start(struct ingest *in);

/*
 * The MQTT topic filters to subscribe to (QoS 1): fills up to max entries of
 * TOPIC_MAX bytes and returns how many.
 */
size_t ingest_subscriptions(const struct ingest *in, char (*topics)[256], size_t max);

/*
 * Take one MQTT message (all borrowed for the call). Blocks while the queue
 * is full. Signature matches publish_message_fn with ctx a struct ingest *.
 */
void ingest_message(void *ctx, const char *topic, const void *payload, size_t len,
		    bool retained);

/*
 * Process synchronously: wait until everything taken so far is committed.
 * For tests and shutdown. 0 or -EIO.
 */
int ingest_flush(struct ingest *in);

/* Stop taking messages, commit what is queued, stop the thread, free. NULL is fine. */
void ingest_close(struct ingest *in);

#endif
