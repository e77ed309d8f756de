/* SPDX-License-Identifier: MIT */
/*
 * The breaches table and its audit trail: finding, opening, closing and
 * acknowledging a breach (one open breach per sensor and rule, the schema
 * enforces it), and reading them as JSON for the API and the pages.
 */
#include "rules/rules_priv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- breaches ---- */

void breach_release(struct open_breach *b)
{
	json_decref(b->detail);
	memset(b, 0, sizeof(*b));
}

/* @retval 0 (found), -ENOENT, -EIO */
int breach_find(struct rules *r, const char *sensor, const char *rule,
		       struct open_breach *out)
{
	sqlite3_stmt *st = r->st[S_BREACH_OPEN_FIND];
	struct batch_sensor *bs = rules_batch_get(r, sensor);
	const char *detail = NULL;
	int ret = -ENOENT;
	int rc;

	memset(out, 0, sizeof(*out));
	out->sensor = sensor;
	out->rule = rule;
	if (bs != NULL && (bs->none_open & rules_rule_bit(rule)) != 0)
		return -ENOENT;
	bind_text(st, 1, sensor);
	bind_text(st, 2, rule);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(st, 0);
		out->started_at = sqlite3_column_int64(st, 1);
		detail = (const char *)sqlite3_column_text(st, 2);
		out->detail = detail != NULL ? json_loads(detail, 0, NULL) : NULL;
		if (out->detail == NULL)
			out->detail = json_object();
		ret = out->detail != NULL ? 0 : -ENOMEM;
	} else if (rc != SQLITE_DONE) {
		ret = db_fail(r, "find breach");
	} else if (bs != NULL) {
		bs->none_open |= rules_rule_bit(rule);
	}
	finish(st);
	return ret;
}

int breach_audit(struct rules *r, int64_t breach, const char *state, int64_t at,
		 int64_t recorded_at, const char *who, const char *note, bool alert)
{
	sqlite3_stmt *st = r->st[S_AUDIT_INSERT];

	sqlite3_bind_int64(st, 1, breach);
	bind_text(st, 2, state);
	sqlite3_bind_int64(st, 3, at);
	sqlite3_bind_int64(st, 4, recorded_at);
	bind_text(st, 5, who);
	bind_text(st, 6, note);
	sqlite3_bind_int(st, 7, alert ? 0 : 1);
	return step_done(r, st, "audit");
}

static int detail_text(json_t *detail, char **out)
{
	*out = json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS);
	return *out != NULL ? 0 : -ENOMEM;
}

/* Open a breach (detail borrowed). recorded_at: when the server learnt it. */
int breach_open(struct rules *r, const char *rule, const char *block, const char *sensor,
		       int64_t started_at, json_t *detail, int64_t recorded_at)
{
	sqlite3_stmt *st = r->st[S_BREACH_INSERT];
	struct batch_sensor *bs = rules_batch_get(r, sensor);
	char *text = NULL;
	int64_t id;
	int ret;

	if (bs != NULL)
		bs->none_open &= ~rules_rule_bit(rule);
	ret = detail_text(detail, &text);
	if (ret < 0)
		return ret;
	bind_text(st, 1, rule);
	bind_text(st, 2, block);
	bind_text(st, 3, sensor);
	sqlite3_bind_int64(st, 4, started_at);
	bind_text(st, 5, text);
	ret = step_done(r, st, "open breach");
	free(text);
	if (ret < 0)
		return ret;
	id = sqlite3_last_insert_rowid(r->db);
	log_info("breach %lld: %s at %s (%s) opened", (long long)id, rule, sensor, block);
	return breach_audit(r, id, "open", started_at, recorded_at, "rules", NULL, true);
}

int breach_set_detail(struct rules *r, const struct open_breach *b)
{
	sqlite3_stmt *st = r->st[S_BREACH_DETAIL];
	char *text = NULL;
	int ret = detail_text(b->detail, &text);

	if (ret < 0)
		return ret;
	sqlite3_bind_int64(st, 1, b->id);
	bind_text(st, 2, text);
	ret = step_done(r, st, "update breach");
	free(text);
	return ret;
}

/*
 * Close b at ended_at. A close before the start means a live deadline fired
 * although the door had closed in time (the event arrived late): the breach
 * is kept, zero length, marked "retracted".
 */
int breach_close(struct rules *r, struct open_breach *b, int64_t ended_at,
			int64_t recorded_at)
{
	sqlite3_stmt *st = r->st[S_BREACH_CLOSE];
	char *text = NULL;
	int ret;

	if (ended_at < b->started_at) {
		json_object_set_new(b->detail, "retracted", json_true());
		ended_at = b->started_at;
	}
	ret = detail_text(b->detail, &text);
	if (ret < 0)
		return ret;
	sqlite3_bind_int64(st, 1, b->id);
	sqlite3_bind_int64(st, 2, ended_at);
	bind_text(st, 3, text);
	ret = step_done(r, st, "close breach");
	free(text);
	if (ret == 0) {
		struct batch_sensor *bs = b->sensor != NULL ? rules_batch_get(r, b->sensor) : NULL;

		if (bs != NULL)
			bs->none_open |= rules_rule_bit(b->rule);
		log_info("breach %lld closed", (long long)b->id);
		ret = breach_audit(r, b->id, "closed", ended_at, recorded_at, "rules", NULL, true);
	}
	return ret;
}

/* Close the open breach of (sensor, rule), if any. */
int breach_close_if_open(struct rules *r, const char *sensor, const char *rule, int64_t ended_at,
			 int64_t recorded_at)
{
	struct open_breach b;
	int ret = breach_find(r, sensor, rule, &b);

	if (ret == -ENOENT)
		return 0;
	if (ret == 0)
		ret = breach_close(r, &b, ended_at, recorded_at);
	breach_release(&b);
	return ret;
}

/* ---- acknowledgement and reading ---- */

int rules_ack(struct rules *r, int64_t id, const char *who, const char *note, int64_t now_ms)
{
	sqlite3_stmt *st = r->st[S_BREACH_GET];
	bool was_open = false;
	int ret;
	int rc;

	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		was_open = strcmp((const char *)sqlite3_column_text(st, 6), "open") == 0;
	finish(st);
	if (rc == SQLITE_DONE)
		return -ENOENT;
	if (rc != SQLITE_ROW)
		return db_fail(r, "get breach");
	if (was_open) {
		st = r->st[S_BREACH_STATE];
		sqlite3_bind_int64(st, 1, id);
		bind_text(st, 2, "acknowledged");
		ret = step_done(r, st, "acknowledge");
		if (ret < 0)
			return ret;
		log_info("breach %lld acknowledged by %s", (long long)id, who);
	}
	return breach_audit(r, id, was_open ? "acknowledged" : "note", now_ms, now_ms, who, note,
		     was_open);
}

/* The breach row at the statement's current row, as the API shows it. */
json_t *breach_row_json(sqlite3_stmt *st, int off)
{
	const char *detail_text = (const char *)sqlite3_column_text(st, off + 7);
	json_t *detail = detail_text != NULL ? json_loads(detail_text, 0, NULL) : NULL;

	return json_pack("{s:I,s:s,s:s,s:s,s:o,s:o,s:s,s:o}", "id",
			 (json_int_t)sqlite3_column_int64(st, off), "rule",
			 (const char *)sqlite3_column_text(st, off + 1), "block",
			 (const char *)sqlite3_column_text(st, off + 2), "sensor",
			 (const char *)sqlite3_column_text(st, off + 3), "started_at",
			 time_json(sqlite3_column_int64(st, off + 4)), "ended_at",
			 sqlite3_column_type(st, off + 5) == SQLITE_NULL
				 ? json_null()
				 : time_json(sqlite3_column_int64(st, off + 5)),
			 "state", (const char *)sqlite3_column_text(st, off + 6), "detail",
			 detail != NULL ? detail : json_object());
}

int rules_breaches_json(struct rules *r, const struct rules_filter *f, json_t **out)
{
	sqlite3_stmt *st = r->st[S_BREACH_LIST];
	json_t *arr = json_array();
	long limit = f->limit > 0 && f->limit <= LIST_MAX ? f->limit : 100;
	int ret = 0;
	int rc;

	*out = NULL;
	if (arr == NULL)
		return -ENOMEM;
	bind_text(st, 1, f->state);
	bind_text(st, 2, f->rule);
	bind_text(st, 3, f->block);
	bind_text(st, 4, f->sensor);
	if (f->from_ms > 0)
		sqlite3_bind_int64(st, 5, f->from_ms);
	if (f->to_ms > 0)
		sqlite3_bind_int64(st, 6, f->to_ms);
	sqlite3_bind_int64(st, 7, limit);
	sqlite3_bind_int64(st, 8, f->offset > 0 ? f->offset : 0);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (json_array_append_new(arr, breach_row_json(st, 0)) < 0) {
			ret = -ENOMEM;
			break;
		}
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = db_fail(r, "list breaches");
	finish(st);
	if (ret == 0) {
		*out = json_pack("{s:O}", "breaches", arr);
		if (*out == NULL)
			ret = -ENOMEM;
	}
	json_decref(arr);
	return ret;
}

int rules_breach_json(struct rules *r, int64_t id, json_t **out)
{
	sqlite3_stmt *st = r->st[S_BREACH_GET];
	json_t *b = NULL;
	json_t *trail = NULL;
	int ret = 0;
	int rc;

	*out = NULL;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		b = breach_row_json(st, 0);
	finish(st);
	if (rc == SQLITE_DONE)
		return -ENOENT;
	if (rc != SQLITE_ROW)
		return db_fail(r, "get breach");
	trail = json_array();
	if (b == NULL || trail == NULL) {
		ret = -ENOMEM;
		goto out;
	}
	st = r->st[S_AUDIT_LIST];
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *a = json_pack("{s:s,s:o,s:o,s:s,s:s?}", "state",
				      (const char *)sqlite3_column_text(st, 0), "at",
				      time_json(sqlite3_column_int64(st, 1)), "recorded_at",
				      time_json(sqlite3_column_int64(st, 2)), "who",
				      (const char *)sqlite3_column_text(st, 3), "note",
				      (const char *)sqlite3_column_text(st, 4));

		if (json_array_append_new(trail, a) < 0) {
			ret = -ENOMEM;
			break;
		}
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = db_fail(r, "audit trail");
	finish(st);
	if (ret == 0 && json_object_set(b, "audit", trail) < 0)
		ret = -ENOMEM;
	if (ret == 0) {
		*out = b;
		b = NULL;
	}
out:
	json_decref(trail);
	json_decref(b);
	return ret;
}

