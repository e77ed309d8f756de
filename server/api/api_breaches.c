/* SPDX-License-Identifier: MIT */
/*
 * Breaches and hours exceptions over HTTP (see api_breaches.h). Validation
 * follows api.c: a wrong JSON type is 400, a well-typed but invalid value
 * 422, an unknown field 422, a second exception for a date 409, an unknown
 * id 404; caretakers may read but not acknowledge or change hours (403).
 */
#include "api/api_breaches.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "http/query.h"
#include "http/reply.h"
#include "siteboard/log.h"
#include "siteboard/utf8.h"
#include "siteboard/sbtime.h"
#include "siteboard/topic.h"

#define BREACHES_LIMIT_MAX 1000
#define ID_TEXT_MAX 20

struct api_breaches {
	struct rules *rules;
	struct sitehours *hours;
};

static bool may_change(const struct api_breaches_req *q)
{
	return access_role_at_least(q->who, TOKEN_ROLE_MANAGER);
}

/* A positive integer id from a path segment. */
static bool parse_id(const char *s, int64_t *id)
{
	char *end = NULL;
	long long v;

	if (s[0] < '0' || s[0] > '9' || strlen(s) > ID_TEXT_MAX)
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v <= 0)
		return false;
	*id = v;
	return true;
}

/* A whole-number parameter (*out unchanged when absent); a bad one is answered 422. */
static int param_long(struct reply *r, const char *query, const char *key, long min, long max,
		      long *out)
{
	int64_t v = 0;
	int rc = query_int(query, key, min, max, &v);

	if (rc < 0) {
		reply_error(r, 422, "'%s' must be a whole number from %ld to %ld", key, min, max);
		return -EINVAL;
	}
	if (rc > 0)
		*out = (long)v;
	return 0;
}

/* ---- breaches ---- */

static void breaches_list(struct api_breaches *b, struct reply *r, const char *query)
{
	static const char *const id_keys[] = {"block", "sensor"};
	char state[QUERY_VALUE_MAX], rule[QUERY_VALUE_MAX];
	char ids[2][QUERY_VALUE_MAX];
	char from[QUERY_VALUE_MAX], to[QUERY_VALUE_MAX];
	struct rules_filter f = {0};
	json_t *out = NULL;
	int rc;

	rc = query_get(query, "state", state, sizeof(state));
	if (rc < 0 || (rc > 0 && strcmp(state, "open") != 0 && strcmp(state, "acknowledged") != 0 &&
		       strcmp(state, "closed") != 0)) {
		reply_error(r, 422, "'state' must be open, acknowledged or closed");
		return;
	}
	f.state = rc > 0 ? state : NULL;
	rc = query_get(query, "rule", rule, sizeof(rule));
	if (rc < 0 || (rc > 0 && !rules_rule_valid(rule))) {
		reply_error(r, 422, "'rule' is not a rule name");
		return;
	}
	f.rule = rc > 0 ? rule : NULL;
	for (int i = 0; i < 2; i++) {
		rc = query_get(query, id_keys[i], ids[i], sizeof(ids[i]));
		if (rc < 0 || (rc > 0 && !topic_id_valid(ids[i]))) {
			reply_error(r, 422, "'%s' must match [a-z0-9-]{1,40}", id_keys[i]);
			return;
		}
		if (i == 0)
			f.block = rc > 0 ? ids[0] : NULL;
		else
			f.sensor = rc > 0 ? ids[1] : NULL;
	}
	rc = query_get(query, "from", from, sizeof(from));
	if (rc < 0 || (rc > 0 && sbtime_parse(from, &f.from_ms) < 0)) {
		reply_error(r, 422, "'from' must be an RFC 3339 time");
		return;
	}
	rc = query_get(query, "to", to, sizeof(to));
	if (rc < 0 || (rc > 0 && sbtime_parse(to, &f.to_ms) < 0)) {
		reply_error(r, 422, "'to' must be an RFC 3339 time");
		return;
	}
	f.limit = 100;
	if (param_long(r, query, "limit", 1, BREACHES_LIMIT_MAX, &f.limit) < 0 ||
	    param_long(r, query, "offset", 0, 1000000000L, &f.offset) < 0)
		return;
	if (rules_breaches_json(b->rules, &f, &out) < 0) {
		reply_internal(r);
		return;
	}
	reply_json(r, 200, out);
}

static void breach_get(struct api_breaches *b, struct reply *r, int64_t id)
{
	json_t *out = NULL;
	int ret = rules_breach_json(b->rules, id, &out);

	if (ret == -ENOENT)
		reply_error(r, 404, "no breach %lld", (long long)id);
	else if (ret < 0)
		reply_internal(r);
	else
		reply_json(r, 200, out);
}

/* Parse the body as one JSON object; on failure the reply is set. */
static json_t *parse_body(struct reply *r, const char *body, size_t len)
{
	json_error_t jerr;
	json_t *obj = NULL;

	if (len > API_MAX_BODY) {
		reply_error(r, 413, "body larger than %d bytes", API_MAX_BODY);
		return NULL;
	}
	if (len == 0 || body == NULL) {
		reply_error(r, 400, "a JSON object body is required");
		return NULL;
	}
	obj = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (obj == NULL) {
		reply_error(r, 400, "malformed JSON at line %d column %d: %s", jerr.line,
			    jerr.column, jerr.text);
		return NULL;
	}
	if (!json_is_object(obj)) {
		json_decref(obj);
		reply_error(r, 400, "the body must be a JSON object");
		return NULL;
	}
	return obj;
}

static int only_keys(struct reply *r, json_t *body, const char *const *keys, size_t n)
{
	const char *key = NULL;
	json_t *v = NULL;

	json_object_foreach(body, key, v) {
		bool known = false;

		for (size_t i = 0; i < n; i++)
			if (strcmp(key, keys[i]) == 0)
				known = true;
		if (!known) {
			reply_error(r, 422, "unknown field '%s'", key);
			return -EINVAL;
		}
	}
	return 0;
}

/* A required text field of 1..max characters. */
static const char *text_field(struct reply *r, json_t *body, const char *key, size_t max)
{
	json_t *v = json_object_get(body, key);
	const char *s = NULL;

	if (v == NULL || json_is_null(v)) {
		reply_error(r, 422, "missing field '%s'", key);
		return NULL;
	}
	if (!json_is_string(v)) {
		reply_error(r, 400, "'%s' must be a string", key);
		return NULL;
	}
	s = json_string_value(v);
	if (utf8_chars(s) < 1 || utf8_chars(s) > max) {
		reply_error(r, 422, "'%s' must be 1 to %zu characters", key, max);
		return NULL;
	}
	return s;
}

static void breach_ack(struct api_breaches *b, struct reply *r, const struct api_breaches_req *q,
		       int64_t id, struct store *st)
{
	static const char *const keys[] = {"note"};
	json_t *body = parse_body(r, q->body, q->len);
	const char *note = NULL;
	json_t *out = NULL;
	int ret;

	if (body == NULL)
		return;
	if (only_keys(r, body, keys, 1) < 0)
		goto out;
	note = text_field(r, body, "note", RULES_NOTE_MAX);
	if (note == NULL)
		goto out;
	if (store_begin(st) < 0) {
		reply_internal(r);
		goto out;
	}
	ret = rules_ack(b->rules, id, q->who->name, note, sbtime_now_ms());
	if (ret == 0)
		ret = store_commit(st);
	if (ret < 0) {
		store_rollback(st);
		if (ret == -ENOENT)
			reply_error(r, 404, "no breach %lld", (long long)id);
		else
			reply_internal(r);
		goto out;
	}
	rules_kick(b->rules);
	if (rules_breach_json(b->rules, id, &out) < 0)
		reply_internal(r);
	else
		reply_json(r, 200, out);
out:
	json_decref(body);
}

/* ---- hours exceptions ---- */

static json_t *hhmm_json(int min)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%02d:%02d", min / 60, min % 60);
	return json_string(buf);
}

static json_t *exception_json(const struct sitehours_exception *e)
{
	char created[SBTIME_BUFSZ] = "";

	sbtime_format(e->created_at_ms, created, sizeof(created));
	return json_pack("{s:I,s:s,s:o,s:o,s:b,s:s,s:s,s:s}", "id", (json_int_t)e->id, "date",
			 e->date, "from", e->closed ? json_null() : hhmm_json(e->from_min), "to",
			 e->closed ? json_null() : hhmm_json(e->to_min), "closed", e->closed,
			 "reason", e->reason != NULL ? e->reason : "", "agreed_by",
			 e->agreed_by != NULL ? e->agreed_by : "", "created_at", created);
}

static int list_exc_cb(void *ctx, const struct sitehours_exception *e)
{
	return json_array_append_new(ctx, exception_json(e)) == 0 ? 0 : -ENOMEM;
}

static int one_exc_cb(void *ctx, const struct sitehours_exception *e)
{
	json_t **out = ctx;

	*out = exception_json(e);
	return *out != NULL ? 0 : -ENOMEM;
}

static void reply_exception(struct api_breaches *b, struct reply *r, int status, int64_t id)
{
	json_t *out = NULL;
	int ret = sitehours_get(b->hours, id, one_exc_cb, &out);

	if (ret == -ENOENT)
		reply_error(r, 404, "no hours exception %lld", (long long)id);
	else if (ret < 0)
		reply_internal(r);
	else
		reply_json(r, status, out);
}

static void exceptions_list(struct api_breaches *b, struct reply *r, const char *query)
{
	char from[QUERY_VALUE_MAX], to[QUERY_VALUE_MAX];
	int y, m, d;
	int rf = query_get(query, "from", from, sizeof(from));
	int rt = query_get(query, "to", to, sizeof(to));
	json_t *arr = NULL;

	if (rf < 0 || (rf > 0 && (strlen(from) != 10 || sbtime_parse_date(from, &y, &m, &d) < 0)) ||
	    rt < 0 || (rt > 0 && (strlen(to) != 10 || sbtime_parse_date(to, &y, &m, &d) < 0))) {
		reply_error(r, 422, "'from' and 'to' must be dates YYYY-MM-DD");
		return;
	}
	arr = json_array();
	if (arr == NULL || sitehours_foreach(b->hours, rf > 0 ? from : NULL, rt > 0 ? to : NULL,
					     list_exc_cb, arr) != 0) {
		json_decref(arr);
		reply_internal(r);
		return;
	}
	reply_json(r, 200, json_pack("{s:o}", "exceptions", arr));
}

/* A "HH:MM" field into minutes. */
static int hhmm_field(struct reply *r, json_t *body, const char *key, int *out)
{
	json_t *v = json_object_get(body, key);

	if (v == NULL || json_is_null(v)) {
		reply_error(r, 422, "missing field '%s' (or \"closed\":true)", key);
		return -EINVAL;
	}
	if (!json_is_string(v)) {
		reply_error(r, 400, "'%s' must be a string", key);
		return -EINVAL;
	}
	if (strlen(json_string_value(v)) != 5 ||
	    sbtime_parse_hhmm(json_string_value(v), out) < 0) {
		reply_error(r, 422, "'%s' must be a time HH:MM", key);
		return -EINVAL;
	}
	return 0;
}

/* Validate a new exception into *e (strings borrowed from body). */
static int check_exception(struct reply *r, json_t *body, struct sitehours_exception *e)
{
	static const char *const keys[] = {"date", "from", "to", "closed", "reason", "agreed_by"};
	json_t *date = json_object_get(body, "date");
	json_t *closed = json_object_get(body, "closed");
	int y, m, d;

	memset(e, 0, sizeof(*e));
	if (only_keys(r, body, keys, sizeof(keys) / sizeof(keys[0])) < 0)
		return -EINVAL;
	if (date == NULL || json_is_null(date)) {
		reply_error(r, 422, "missing field 'date'");
		return -EINVAL;
	}
	if (!json_is_string(date)) {
		reply_error(r, 400, "'date' must be a string");
		return -EINVAL;
	}
	if (strlen(json_string_value(date)) != 10 ||
	    sbtime_parse_date(json_string_value(date), &y, &m, &d) < 0 || y < 1970) {
		reply_error(r, 422, "'date' must be a date YYYY-MM-DD");
		return -EINVAL;
	}
	snprintf(e->date, sizeof(e->date), "%s", json_string_value(date));
	if (closed != NULL && !json_is_null(closed) && !json_is_boolean(closed)) {
		reply_error(r, 400, "'closed' must be true or false");
		return -EINVAL;
	}
	e->closed = json_is_true(closed);
	if (e->closed) {
		if ((json_object_get(body, "from") != NULL &&
		     !json_is_null(json_object_get(body, "from"))) ||
		    (json_object_get(body, "to") != NULL &&
		     !json_is_null(json_object_get(body, "to")))) {
			reply_error(r, 422, "a closed day has no 'from' or 'to'");
			return -EINVAL;
		}
	} else {
		if (hhmm_field(r, body, "from", &e->from_min) < 0 ||
		    hhmm_field(r, body, "to", &e->to_min) < 0)
			return -EINVAL;
		if (e->to_min <= e->from_min) {
			reply_error(r, 422, "'to' must be after 'from'");
			return -EINVAL;
		}
	}
	e->reason = text_field(r, body, "reason", SITEHOURS_TEXT_MAX);
	if (e->reason == NULL)
		return -EINVAL;
	e->agreed_by = text_field(r, body, "agreed_by", SITEHOURS_TEXT_MAX);
	if (e->agreed_by == NULL)
		return -EINVAL;
	return 0;
}

/*
 * The exception is written (add or remove) in the open transaction: move
 * pending deadlines, give every block its new board, commit, publish. On
 * failure the policy is rebuilt from what the table holds after rollback.
 */
static int commit_hours(struct api_breaches *b, struct reply *r, struct api *api,
			struct store *st)
{
	int ret = rules_hours_changed(b->rules);

	if (ret == 0)
		ret = api_commit_all_boards(api); /* commits, or rolls back */
	else
		store_rollback(st);
	if (ret < 0) {
		sitehours_reload(b->hours);
		if (ret == -E2BIG)
			reply_error(r, 422, "a board would exceed its size limit");
		else
			reply_internal(r);
	}
	return ret;
}

static void exception_add(struct api_breaches *b, struct reply *r,
			  const struct api_breaches_req *q, struct api *api, struct store *st)
{
	struct sitehours_exception e;
	json_t *body = parse_body(r, q->body, q->len);
	int64_t id = 0;
	int ret;

	if (body == NULL)
		return;
	if (check_exception(r, body, &e) < 0)
		goto out;
	if (store_begin(st) < 0) {
		reply_internal(r);
		goto out;
	}
	ret = sitehours_add(b->hours, &e, sbtime_now_ms(), &id);
	if (ret < 0) {
		store_rollback(st);
		sitehours_reload(b->hours);
		if (ret == -EEXIST)
			reply_error(r, 409, "%s already has an exception; remove it first", e.date);
		else
			reply_internal(r);
		goto out;
	}
	if (commit_hours(b, r, api, st) < 0)
		goto out;
	log_info("hours exception %lld for %s added", (long long)id, e.date);
	reply_exception(b, r, 201, id);
out:
	json_decref(body);
}

static void exception_get(struct api_breaches *b, struct reply *r, int64_t id)
{
	reply_exception(b, r, 200, id);
}

static void exception_remove(struct api_breaches *b, struct reply *r, int64_t id,
			     struct api *api, struct store *st)
{
	int ret;

	if (store_begin(st) < 0) {
		reply_internal(r);
		return;
	}
	ret = sitehours_remove(b->hours, id);
	if (ret < 0) {
		store_rollback(st);
		sitehours_reload(b->hours);
		if (ret == -ENOENT)
			reply_error(r, 404, "no hours exception %lld", (long long)id);
		else
			reply_internal(r);
		return;
	}
	if (commit_hours(b, r, api, st) < 0)
		return;
	log_info("hours exception %lld removed", (long long)id);
	r->status = 204;
}

/* ---- routing ---- */

int api_breaches_handle(struct api_breaches *b, struct api *api, const struct api_breaches_req *q,
			int *status, char **response)
{
	struct reply r = {500, NULL};
	struct store *st = NULL;
	bool get = strcmp(q->method, "GET") == 0;
	bool post = strcmp(q->method, "POST") == 0;
	bool del = strcmp(q->method, "DELETE") == 0;
	int64_t id = 0;

	if (b == NULL || q->n < 1 ||
	    (strcmp(q->seg[0], "breaches") != 0 && strcmp(q->seg[0], "hours") != 0))
		return -ENOENT;
	st = rules_store(b->rules);
	if (strcmp(q->seg[0], "breaches") == 0) {
		if (q->n >= 2 && !parse_id(q->seg[1], &id)) {
			reply_error(&r, 404, "no breach %.40s", q->seg[1]);
		} else if (q->n == 1) {
			if (get)
				breaches_list(b, &r, q->query);
			else
				reply_error(&r, 405, "method %.16s not allowed here", q->method);
		} else if (q->n == 2) {
			if (get)
				breach_get(b, &r, id);
			else
				reply_error(&r, 405, "method %.16s not allowed here", q->method);
		} else if (q->n == 3 && strcmp(q->seg[2], "ack") == 0) {
			if (!post)
				reply_error(&r, 405, "method %.16s not allowed here", q->method);
			else if (!may_change(q))
				reply_error(&r, 403, "role %s may not acknowledge breaches", token_role_name(q->who->role));
			else
				breach_ack(b, &r, q, id, st);
		} else {
			reply_error(&r, 404, "no such path");
		}
	} else if (q->n < 2 || strcmp(q->seg[1], "exceptions") != 0 || q->n > 3) {
		reply_error(&r, 404, "no such path");
	} else if (q->n == 3 && !parse_id(q->seg[2], &id)) {
		reply_error(&r, 404, "no hours exception %.40s", q->seg[2]);
	} else if (q->n == 2) {
		if (get)
			exceptions_list(b, &r, q->query);
		else if (!post)
			reply_error(&r, 405, "method %.16s not allowed here", q->method);
		else if (!may_change(q))
			reply_error(&r, 403, "role %s may not change the hours", token_role_name(q->who->role));
		else
			exception_add(b, &r, q, api, st);
	} else {
		if (get)
			exception_get(b, &r, id);
		else if (!del)
			reply_error(&r, 405, "method %.16s not allowed here", q->method);
		else if (!may_change(q))
			reply_error(&r, 403, "role %s may not change the hours", token_role_name(q->who->role));
		else
			exception_remove(b, &r, id, api, st);
	}
	*status = r.status;
	*response = r.response;
	return 0;
}

int api_breaches_open(struct rules *rules, struct sitehours *hours, struct api_breaches **out)
{
	struct api_breaches *b = calloc(1, sizeof(*b));

	*out = NULL;
	if (b == NULL)
		return -ENOMEM;
	b->rules = rules;
	b->hours = hours;
	*out = b;
	return 0;
}

void api_breaches_close(struct api_breaches *b)
{
	free(b);
}
