/* SPDX-License-Identifier: MIT */
/*
 * The lobby-screen kiosks as the server hears them. Each kiosk publishes a
 * retained status on siteboard/<site>/<block>/kiosk/<id>/status
 * (docs/kiosk.md: {"state":"online","version","board_version","shown_at"},
 * last will {"state":"offline"}); the server subscribes to
 * siteboard/<site>/+/kiosk/+/status on its MQTT connection and keeps the
 * latest of each kiosk in the table kiosks (schema migration 6, store.c):
 * state, software version, board version shown, when it was shown and when
 * the server last heard from it. A zero-length retained message (the
 * status cleared) forgets the kiosk.
 *
 * Not for: the MQTT connection (publish), sensors (ingest), pages (web).
 * Threads: kiosks_message runs on the MQTT network thread and takes the
 * store lock itself; every other call is made with the store lock held.
 */
#ifndef SITEBOARD_SERVER_KIOSKS_H
#define SITEBOARD_SERVER_KIOSKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "siteboard/topic.h"
#include "store/store.h"

#define KIOSKS_PAYLOAD_MAX 1024 /* larger status payloads are refused */
#define KIOSKS_VERSION_MAX 40   /* bytes of "version" */
#define KIOSKS_DISPLAY_MAX 24   /* bytes of "display" */

/* One kiosk's status: as parsed from a message, or as stored. */
struct kiosk_status {
	char block[TOPIC_ID_MAX + 1];
	char id[TOPIC_ID_MAX + 1];
	bool online;
	char version[KIOSKS_VERSION_MAX + 1]; /* "" when not known */
	int64_t board_version;                /* -1 when not known */
	int64_t shown_at_ms;                  /* 0 when not known */
	char display[KIOSKS_DISPLAY_MAX + 1]; /* "on", "off-by-schedule"; "" when not known */
	int64_t last_seen_ms;                 /* 0 when not known (heard only as a retained replay) */
	int64_t updated_ms;                   /* when the server stored this */
};

struct kiosks;

/*
 * Prepare the statements (store borrowed, must outlive the kiosks; site_id
 * copied). Store lock held by the caller.
 * @retval 0 and *out, -EINVAL (bad site id), -EIO (table missing; logged), -ENOMEM
 */
int kiosks_open(struct store *store, const char *site_id, struct kiosks **out);

/* Finalize the statements; before store_close. NULL is fine. */
void kiosks_close(struct kiosks *k);

/* The topic filter to subscribe to (QoS 1) into buf (TOPIC_MAX bytes). 0 or -ENOSPC. */
int kiosks_subscription(const struct kiosks *k, char *buf, size_t n);

/* True if topic (borrowed) is a kiosk status topic of this site. */
bool kiosks_topic(const struct kiosks *k, const char *topic);

/*
 * Validate one status message (the edge: topic of this site, JSON object,
 * "state" online|offline required, "version" printable up to
 * KIOSKS_VERSION_MAX bytes, "board_version" a whole number >= 0, "shown_at"
 * RFC 3339, "display" [a-z-]; other fields ignored) into *out (last_seen and
 * updated left 0). All borrowed.
 * @retval 0, -EINVAL (bad topic or payload), -ENODATA (zero-length: the status was cleared)
 */
int kiosks_parse(const char *site_id, const char *topic, const void *payload, size_t len,
		 struct kiosk_status *out);

/*
 * Store one status message received at now_ms. A live message sets
 * last_seen to now; a retained replay (delivered at subscribe time) does not
 * move it, except to shown_at for a kiosk not heard before. Fields a message
 * lacks (the last will has only "state") keep their stored values. A
 * zero-length message removes the kiosk. Store lock held.
 * @retval 0, -EINVAL (not a valid status; nothing stored), -EIO
 */
int kiosks_store(struct kiosks *k, const char *topic, const void *payload, size_t len,
		 bool retained, int64_t now_ms);

/*
 * The MQTT receiver (publish_message_fn, ctx a struct kiosks *): takes the
 * store lock and calls kiosks_store with the wall clock; a bad message is
 * logged (rate-limited) and dropped.
 */
void kiosks_message(void *ctx, const char *topic, const void *payload, size_t len,
		    bool retained);

/* Walk the kiosks by block, then id. fn's non-zero return stops the walk and is returned. */
typedef int (*kiosks_fn)(void *ctx, const struct kiosk_status *s);
int kiosks_foreach(struct kiosks *k, kiosks_fn fn, void *ctx);

#endif
