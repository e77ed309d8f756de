/* SPDX-License-Identifier: MIT */
/*
 * The alert outbox: every breach transition is a row of breach_audit
 * written in the same transaction as the change; rules_publish_alerts hands
 * the rows not yet published to the caller (the MQTT alerts topic) in
 * rounds of 100 and marks them, so an alert is sent at least once and a
 * storm of breaches cannot grow the server's memory.
 */
#include "rules/rules_priv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- alerts ---- */

/* One round: up to 100 alerts. @retval how many were taken by fn, or -EIO, -ENOMEM */
static int publish_round(struct rules *r, rules_alert_fn fn, void *ctx)
{
	sqlite3_stmt *st = r->st[S_AUDIT_PENDING];
	int64_t ids[100];
	char *texts[100] = {NULL};
	size_t n = 0;
	int sent = 0;
	int ret = 0;
	int rc;

	while (n < 100 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *b = breach_row_json(st, 2);
		json_t *alert = NULL;

		ids[n] = sqlite3_column_int64(st, 0);
		if (b != NULL)
			alert = json_pack("{s:O,s:s,s:O,s:O,s:O,s:O,s:O}", "breach",
					  json_object_get(b, "id"), "state",
					  (const char *)sqlite3_column_text(st, 1), "rule",
					  json_object_get(b, "rule"), "block",
					  json_object_get(b, "block"), "sensor",
					  json_object_get(b, "sensor"), "started_at",
					  json_object_get(b, "started_at"), "detail",
					  json_object_get(b, "detail"));
		if (alert != NULL && strcmp((const char *)sqlite3_column_text(st, 1), "closed") == 0)
			json_object_set(alert, "ended_at", json_object_get(b, "ended_at"));
		texts[n] = alert != NULL ? json_dumps(alert, JSON_COMPACT) : NULL;
		json_decref(alert);
		json_decref(b);
		if (texts[n] == NULL) {
			ret = -ENOMEM;
			break;
		}
		n++;
	}
	finish(st);
	/*
	 * One transaction (one sync) for the round's marks, not one per alert. A
	 * crash before its commit sends the round's alerts again: at least once,
	 * as before.
	 */
	if (ret == 0 && n > 0)
		ret = rules_tx(r, S_BEGIN);
	for (size_t i = 0; ret == 0 && i < n; i++) {
		if (fn(ctx, texts[i]) < 0)
			break; /* not connected: the rest wait, in order */
		st = r->st[S_AUDIT_MARK];
		sqlite3_bind_int64(st, 1, ids[i]);
		ret = step_done(r, st, "mark alert");
		if (ret == 0)
			sent++;
	}
	if (n > 0 && !sqlite3_get_autocommit(r->db)) {
		if (ret == 0)
			ret = rules_tx(r, S_COMMIT);
		if (ret < 0 && !sqlite3_get_autocommit(r->db))
			rules_tx(r, S_ROLLBACK);
	}
	for (size_t i = 0; i < n; i++)
		free(texts[i]);
	return ret < 0 ? ret : sent;
}

int rules_publish_alerts(struct rules *r, rules_alert_fn fn, void *ctx)
{
	int ret;

	/* bounded, so the store lock is not held for ever behind a busy ingest */
	for (int round = 0; round < ALERT_ROUNDS_MAX; round++) {
		ret = publish_round(r, fn, ctx);
		if (ret < 0)
			return ret;
		if (ret < 100)
			break;
	}
	return 0;
}

