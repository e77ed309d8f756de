/* SPDX-License-Identifier: MIT */
/*
 * Kiosk statuses from MQTT into the kiosks table (see kiosks.h). One UPSERT
 * per message: fields the message lacks keep their stored values, so the
 * last will ({"state":"offline"}) keeps the board version last shown.
 */
#include "devices/kiosks.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sqlite3.h>

#include "siteboard/log.h"
#include "siteboard/sbtime.h"
#include "siteboard/sqlx.h"

#define LOG_EVERY_MS 10000 /* at most one "bad status" line per this, with a count */

enum stmt {
	S_UPSERT = 0,
	S_DELETE,
	S_LIST,
	S_N,
};

static const char *const sql[S_N] = {
	[S_UPSERT] = "INSERT INTO kiosks (block, id, state, version, board_version, shown_at, display,"
	             " last_seen, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
	             " ON CONFLICT (block, id) DO UPDATE SET state = excluded.state,"
	             " version = COALESCE(excluded.version, version),"
	             " board_version = COALESCE(excluded.board_version, board_version),"
	             " shown_at = COALESCE(excluded.shown_at, shown_at),"
	             " display = COALESCE(excluded.display, display),"
	             " last_seen = CASE WHEN ?10 THEN COALESCE(last_seen, excluded.last_seen)"
	             "  ELSE excluded.last_seen END,"
	             " updated_at = excluded.updated_at",
	[S_DELETE] = "DELETE FROM kiosks WHERE block = ?1 AND id = ?2",
	[S_LIST] = "SELECT block, id, state, version, board_version, shown_at, display, last_seen,"
	           " updated_at FROM kiosks ORDER BY block, id",
};

struct kiosks {
	struct store *store;
	sqlite3_stmt *st[S_N];
	char site[TOPIC_ID_MAX + 1];
	char prefix[TOPIC_MAX]; /* "siteboard/<site>/" */
	int64_t last_log_ms;    /* MQTT thread only */
	long suppressed;
};

int kiosks_open(struct store *store, const char *site_id, struct kiosks **out)
{
	struct kiosks *k = NULL;
	int ret = -EIO;

	*out = NULL;
	if (!topic_id_valid(site_id))
		return -EINVAL;
	k = calloc(1, sizeof(*k));
	if (k == NULL)
		return -ENOMEM;
	k->store = store;
	snprintf(k->site, sizeof(k->site), "%s", site_id);
	snprintf(k->prefix, sizeof(k->prefix), "siteboard/%s/", site_id);
	if (sqlx_prepare_all(store_sqlite(store), sql, S_N, k->st, "kiosks") < 0)
		goto fail;
	*out = k;
	return 0;
fail:
	kiosks_close(k);
	return ret;
}

void kiosks_close(struct kiosks *k)
{
	if (k == NULL)
		return;
	sqlx_finalize_all(k->st, S_N);
	free(k);
}

int kiosks_subscription(const struct kiosks *k, char *buf, size_t n)
{
	int len = snprintf(buf, n, "siteboard/%s/+/kiosk/+/status", k->site);

	return len < 0 || (size_t)len >= n ? -ENOSPC : 0;
}

/* Split "<block>/kiosk/<id>/status" after the site prefix into block and id. */
static int split_topic(const char *rest, char *block, char *id)
{
	const char *p = strchr(rest, '/');
	const char *q = NULL;
	size_t bl, il;

	if (p == NULL || strncmp(p, "/kiosk/", 7) != 0)
		return -EINVAL;
	bl = (size_t)(p - rest);
	p += 7;
	q = strchr(p, '/');
	if (q == NULL || strcmp(q, "/status") != 0)
		return -EINVAL;
	il = (size_t)(q - p);
	if (bl == 0 || bl > TOPIC_ID_MAX || il == 0 || il > TOPIC_ID_MAX)
		return -EINVAL;
	memcpy(block, rest, bl);
	block[bl] = '\0';
	memcpy(id, p, il);
	id[il] = '\0';
	return topic_id_valid(block) && topic_id_valid(id) ? 0 : -EINVAL;
}

bool kiosks_topic(const struct kiosks *k, const char *topic)
{
	char block[TOPIC_ID_MAX + 1], id[TOPIC_ID_MAX + 1];
	size_t pl = strlen(k->prefix);

	return strncmp(topic, k->prefix, pl) == 0 && split_topic(topic + pl, block, id) == 0;
}

static bool printable(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return false;
	return true;
}

int kiosks_parse(const char *site_id, const char *topic, const void *payload, size_t len,
		 struct kiosk_status *out)
{
	char prefix[TOPIC_MAX];
	json_t *o = NULL;
	json_t *v = NULL;
	const char *s = NULL;
	int ret = -EINVAL;

	memset(out, 0, sizeof(*out));
	out->board_version = -1;
	snprintf(prefix, sizeof(prefix), "siteboard/%s/", site_id);
	if (topic == NULL || strncmp(topic, prefix, strlen(prefix)) != 0 ||
	    split_topic(topic + strlen(prefix), out->block, out->id) < 0)
		return -EINVAL;
	if (len == 0)
		return -ENODATA;
	if (payload == NULL || len > KIOSKS_PAYLOAD_MAX)
		return -EINVAL;
	o = json_loadb(payload, len, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(o))
		goto out;
	s = json_string_value(json_object_get(o, "state"));
	if (s == NULL || (strcmp(s, "online") != 0 && strcmp(s, "offline") != 0))
		goto out;
	out->online = strcmp(s, "online") == 0;
	v = json_object_get(o, "version");
	if (v != NULL && !json_is_null(v)) {
		s = json_string_value(v);
		if (s == NULL || s[0] == '\0' || strlen(s) > KIOSKS_VERSION_MAX || !printable(s))
			goto out;
		snprintf(out->version, sizeof(out->version), "%s", s);
	}
	v = json_object_get(o, "board_version");
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_integer(v) || json_integer_value(v) < 0)
			goto out;
		out->board_version = (int64_t)json_integer_value(v);
	}
	v = json_object_get(o, "shown_at");
	if (v != NULL && !json_is_null(v)) {
		s = json_string_value(v);
		if (s == NULL || sbtime_parse(s, &out->shown_at_ms) < 0 || out->shown_at_ms <= 0)
			goto out;
	}
	v = json_object_get(o, "display");
	if (v != NULL && !json_is_null(v)) {
		s = json_string_value(v);
		if (s == NULL || s[0] == '\0' || strlen(s) > KIOSKS_DISPLAY_MAX ||
		    strspn(s, "abcdefghijklmnopqrstuvwxyz-") != strlen(s))
			goto out;
		snprintf(out->display, sizeof(out->display), "%s", s);
	}
	ret = 0;
out:
	json_decref(o);
	return ret;
}

static void bind_ms_or_null(sqlite3_stmt *st, int i, int64_t v)
{
	if (v <= 0)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_int64(st, i, v);
}

int kiosks_store(struct kiosks *k, const char *topic, const void *payload, size_t len,
		 bool retained, int64_t now_ms)
{
	struct kiosk_status s;
	sqlite3_stmt *st = NULL;
	int ret = kiosks_parse(k->site, topic, payload, len, &s);

	if (ret == -ENODATA) {
		st = k->st[S_DELETE];
		sqlite3_bind_text(st, 1, s.block, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, s.id, -1, SQLITE_TRANSIENT);
		return sqlx_step_done(st, "kiosks", false);
	}
	if (ret < 0)
		return ret;
	st = k->st[S_UPSERT];
	sqlite3_bind_text(st, 1, s.block, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, s.id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, s.online ? "online" : "offline", -1, SQLITE_STATIC);
	sqlx_bind_text_or_null(st, 4, s.version);
	if (s.board_version >= 0)
		sqlite3_bind_int64(st, 5, s.board_version);
	else
		sqlite3_bind_null(st, 5);
	bind_ms_or_null(st, 6, s.shown_at_ms);
	sqlx_bind_text_or_null(st, 7, s.display);
	/* a retained replay says nothing about now: at best the kiosk was there at shown_at */
	bind_ms_or_null(st, 8, retained ? (s.shown_at_ms <= now_ms ? s.shown_at_ms : 0) : now_ms);
	sqlite3_bind_int64(st, 9, now_ms);
	sqlite3_bind_int(st, 10, retained ? 1 : 0);
	return sqlx_step_done(st, "kiosks", false);
}

void kiosks_message(void *ctx, const char *topic, const void *payload, size_t len,
		    bool retained)
{
	struct kiosks *k = ctx;
	int64_t now = sbtime_now_ms();
	int ret;

	store_lock(k->store);
	ret = kiosks_store(k, topic, payload, len, retained, now);
	store_unlock(k->store);
	if (ret != -EINVAL)
		return;
	if (now - k->last_log_ms < LOG_EVERY_MS) {
		k->suppressed++;
		return;
	}
	/* the topic is ours and checked ([a-z0-9-] ids); the payload is never logged */
	log_warn("kiosks: bad status on %s dropped (%ld more suppressed)", topic, k->suppressed);
	k->last_log_ms = now;
	k->suppressed = 0;
}

static void column_text(sqlite3_stmt *st, int i, char *buf, size_t n)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	snprintf(buf, n, "%s", s != NULL ? (const char *)s : "");
}

int kiosks_foreach(struct kiosks *k, kiosks_fn fn, void *ctx)
{
	sqlite3_stmt *st = k->st[S_LIST];
	struct kiosk_status s;
	int ret = 0;
	int rc;

	for (;;) {
		rc = sqlite3_step(st);
		if (rc != SQLITE_ROW)
			break;
		memset(&s, 0, sizeof(s));
		column_text(st, 0, s.block, sizeof(s.block));
		column_text(st, 1, s.id, sizeof(s.id));
		s.online = strcmp((const char *)sqlite3_column_text(st, 2), "online") == 0;
		column_text(st, 3, s.version, sizeof(s.version));
		s.board_version = sqlite3_column_type(st, 4) == SQLITE_NULL
					  ? -1
					  : sqlite3_column_int64(st, 4);
		s.shown_at_ms = sqlite3_column_int64(st, 5);
		column_text(st, 6, s.display, sizeof(s.display));
		s.last_seen_ms = sqlite3_column_int64(st, 7);
		s.updated_ms = sqlite3_column_int64(st, 8);
		ret = fn(ctx, &s);
		if (ret != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = sqlx_fail(store_sqlite(k->store), "kiosks", "list");
	sqlite3_reset(st);
	return ret;
}
