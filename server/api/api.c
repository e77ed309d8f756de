/* SPDX-License-Identifier: MIT */
/*
 * The JSON API (see api.h and docs/api.md). Each item kind is described by a
 * table of fields; one validator turns a request body (or, for PUT, the
 * stored item merged with the body) into the canonical object the store
 * keeps: every field present, absent optional ones as null, times in UTC.
 * Type errors answer 400, well-formed but invalid values 422.
 */
#include "api/api.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "http/reply.h"
#include "siteboard/board.h"
#include "siteboard/log.h"
#include "siteboard/utf8.h"
#include "siteboard/sbtime.h"
#include "siteboard/topic.h"
#include "api/api_breaches.h"
#include "api/api_complaints.h"
#include "api/api_sensors.h"
#include "store/token.h"

#define PATH_MAX_LEN 512
#define AUTH_MAX_LEN 200
#define MAX_SEGMENTS 4

enum field_type {
	FIELD_TEXT,
	FIELD_DATE,
	FIELD_TIME,
	FIELD_BOOL,
	FIELD_PRIORITY,
	FIELD_WORK_REF,
};

struct field {
	const char *name;
	enum field_type type;
	bool required;
	size_t min_chars; /* FIELD_TEXT */
	size_t max_chars;
	const char *def; /* default when absent; "now" for FIELD_TIME; "false" for bool */
};

struct kind {
	const char *plural; /* path segment, list key, store table */
	char letter;        /* server-made ids: letter + number */
	enum store_kind store;
	bool caretaker; /* caretakers may change these */
	const struct field *fields;
	size_t n_fields;
};

static const struct field notice_fields[] = {
	{"title", FIELD_TEXT, true, 1, 200, NULL},
	{"body", FIELD_TEXT, false, 0, 2000, ""},
	{"priority", FIELD_PRIORITY, false, 0, 0, "normal"},
	{"from", FIELD_TIME, false, 0, 0, "now"},
	{"until", FIELD_TIME, false, 0, 0, NULL},
};

static const struct field work_fields[] = {
	{"from", FIELD_DATE, true, 0, 0, NULL},
	{"to", FIELD_DATE, true, 0, 0, NULL},
	{"what", FIELD_TEXT, true, 1, 200, NULL},
	{"where", FIELD_TEXT, false, 0, 2000, NULL},
	{"noisy", FIELD_BOOL, false, 0, 0, "false"},
	{"access", FIELD_TEXT, false, 0, 2000, NULL},
};

static const struct field delay_fields[] = {
	{"works", FIELD_WORK_REF, false, 0, 0, NULL},
	{"reason", FIELD_TEXT, true, 1, 200, NULL},
	{"new_from", FIELD_DATE, false, 0, 0, NULL},
	{"new_to", FIELD_DATE, false, 0, 0, NULL},
};

static const struct field event_fields[] = {
	{"title", FIELD_TEXT, true, 1, 200, NULL},
	{"when", FIELD_TIME, true, 0, 0, NULL},
	{"where", FIELD_TEXT, false, 0, 2000, NULL},
};

static const struct field contact_fields[] = {
	{"role", FIELD_TEXT, true, 1, 200, NULL},
	{"name", FIELD_TEXT, false, 0, 2000, NULL},
	{"phone", FIELD_TEXT, true, 1, 40, NULL},
	{"hours", FIELD_TEXT, false, 0, 2000, NULL},
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct kind kinds[] = {
	{"notices", 'n', STORE_NOTICES, true, notice_fields, N(notice_fields)},
	{"works", 'w', STORE_WORKS, true, work_fields, N(work_fields)},
	{"delays", 'd', STORE_DELAYS, true, delay_fields, N(delay_fields)},
	{"events", 'e', STORE_EVENTS, false, event_fields, N(event_fields)},
	{"contacts", 'c', STORE_CONTACTS, false, contact_fields, N(contact_fields)},
};

static const struct field block_fields[] = {
	{"name", FIELD_TEXT, true, 1, 2000, NULL},
	{"address", FIELD_TEXT, false, 0, 2000, NULL},
};

struct api {
	struct store *store;
	const struct boardgen_site *site;
	api_publish_fn publish;
	void *publish_ctx;
	struct api_sensors *sensors; /* sensors, events, ingest (api_sensors.c) */
	struct api_breaches *breaches; /* breaches, hours exceptions (api_breaches.c); may be NULL */
	struct api_complaints *complaints; /* complaints (api_complaints.c); may be NULL */
};

/* One request in progress. */
struct req {
	struct api *api;
	const char *method;
	struct principal who; /* from the token, or the web pages' signed-in user */
	const char *body;
	size_t len;
	const char *query; /* after '?', or "" */
	struct reply out;
};

static bool method_is(const struct req *r, const char *m)
{
	return strcmp(r->method, m) == 0;
}

static bool is_date(const char *s)
{
	int y, m, d;

	return strlen(s) == 10 && sbtime_parse_date(s, &y, &m, &d) == 0;
}

static int64_t date_days(const char *s)
{
	int y = 0, m = 0, d = 0;

	sbtime_parse_date(s, &y, &m, &d);
	return sbtime_days_from_civil(y, m, d);
}

/* Parse the body as one JSON object; on failure the reply is set. */
static json_t *parse_body(struct req *r)
{
	json_error_t jerr;
	json_t *obj = NULL;

	if (r->len > API_MAX_BODY) {
		reply_error(&r->out, 413, "body larger than %d bytes", API_MAX_BODY);
		return NULL;
	}
	if (r->len == 0 || r->body == NULL) {
		reply_error(&r->out, 400, "a JSON object body is required");
		return NULL;
	}
	obj = json_loadb(r->body, r->len, JSON_REJECT_DUPLICATES, &jerr);
	if (obj == NULL) {
		reply_error(&r->out, 400, "malformed JSON at line %d column %d: %s", jerr.line,
			    jerr.column, jerr.text);
		return NULL;
	}
	if (!json_is_object(obj)) {
		json_decref(obj);
		reply_error(&r->out, 400, "the body must be a JSON object");
		return NULL;
	}
	return obj;
}

/*
 * Reject keys that are not fields. "id" and "block" may be repeated but must
 * match (so a client may send back what it read).
 */
static int check_keys(struct req *r, json_t *body, const struct field *fields, size_t n,
		      const char *id, const char *block)
{
	const char *key = NULL;
	json_t *v = NULL;

	json_object_foreach(body, key, v) {
		bool known = false;

		for (size_t i = 0; i < n; i++)
			if (strcmp(key, fields[i].name) == 0)
				known = true;
		if (known)
			continue;
		if ((strcmp(key, "id") == 0 && id != NULL) ||
		    (strcmp(key, "block") == 0 && block != NULL)) {
			const char *want = key[0] == 'i' ? id : block;

			if (!json_is_string(v)) {
				reply_error(&r->out, 400, "'%s' must be a string", key);
				return -EINVAL;
			}
			if (strcmp(json_string_value(v), want) != 0) {
				reply_error(&r->out, 422, "'%s' cannot be changed", key);
				return -EINVAL;
			}
			continue;
		}
		reply_error(&r->out, 422, "unknown field '%s'", key);
		return -EINVAL;
	}
	return 0;
}

/* Validate one field of obj (in place: defaults, normalised times). */
static int check_field(struct req *r, json_t *obj, const struct field *f, const char *block)
{
	json_t *v = json_object_get(obj, f->name);
	const char *s = NULL;
	char buf[SBTIME_BUFSZ];
	int64_t ms = 0;
	enum board_priority prio;
	char *ref_block = NULL;
	int rc;

	if (v == NULL || json_is_null(v)) {
		if (f->required) {
			reply_error(&r->out, 422, "missing field '%s'", f->name);
			return -EINVAL;
		}
		if (f->def == NULL)
			v = json_null();
		else if (f->type == FIELD_BOOL)
			v = json_false();
		else if (f->type == FIELD_TIME) {
			sbtime_format(sbtime_now_ms(), buf, sizeof(buf));
			v = json_string(buf);
		} else
			v = json_string(f->def);
		return json_object_set_new(obj, f->name, v) == 0 ? 0 : -ENOMEM;
	}
	if (f->type == FIELD_BOOL) {
		if (!json_is_boolean(v)) {
			reply_error(&r->out, 400, "'%s' must be true or false", f->name);
			return -EINVAL;
		}
		return 0;
	}
	if (!json_is_string(v)) {
		reply_error(&r->out, 400, "'%s' must be a string", f->name);
		return -EINVAL;
	}
	s = json_string_value(v);
	switch (f->type) {
	case FIELD_TEXT:
		if (utf8_chars(s) < f->min_chars || utf8_chars(s) > f->max_chars ||
		    strlen(s) > BOARD_MAX_TEXT) {
			reply_error(&r->out, 422, "'%s' must be %zu to %zu characters", f->name,
				    f->min_chars, f->max_chars);
			return -EINVAL;
		}
		return 0;
	case FIELD_DATE:
		if (!is_date(s)) {
			reply_error(&r->out, 422, "'%s' must be a date YYYY-MM-DD", f->name);
			return -EINVAL;
		}
		return 0;
	case FIELD_TIME:
		if (sbtime_parse(s, &ms) < 0 || sbtime_format(ms, buf, sizeof(buf)) < 0) {
			reply_error(&r->out, 422, "'%s' must be an RFC 3339 time", f->name);
			return -EINVAL;
		}
		return json_object_set_new(obj, f->name, json_string(buf)) == 0 ? 0 : -ENOMEM;
	case FIELD_PRIORITY:
		if (board_priority_parse(s, &prio) < 0) {
			reply_error(&r->out, 422, "'%s' must be normal, important or urgent", f->name);
			return -EINVAL;
		}
		return 0;
	case FIELD_WORK_REF:
		rc = topic_id_valid(s) ? store_item_get(r->api->store, STORE_WORKS, s, &ref_block,
							NULL)
				       : -ENOENT;
		if (rc == 0 && strcmp(ref_block, block) != 0)
			rc = -ENOENT;
		free(ref_block);
		if (rc == -ENOENT) {
			reply_error(&r->out, 422, "'%s': no work '%.40s' in block %s", f->name, s, block);
			return -EINVAL;
		}
		if (rc < 0) {
			reply_internal(&r->out);
			return rc;
		}
		return 0;
	case FIELD_BOOL:
		break;
	}
	return 0;
}

static const char *str_of(json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

static int64_t time_of(json_t *obj, const char *key)
{
	int64_t ms = 0;

	sbtime_parse(str_of(obj, key), &ms);
	return ms;
}

/* Checks across fields, and the sort key that gives board order. */
static int check_item(struct req *r, const struct kind *k, json_t *obj, const char *block,
		      int64_t *sortkey)
{
	enum board_priority prio = BOARD_PRIORITY_NORMAL;
	int ret;

	for (size_t i = 0; i < k->n_fields; i++) {
		ret = check_field(r, obj, &k->fields[i], block);
		if (ret < 0) {
			if (ret == -ENOMEM)
				reply_internal(&r->out);
			return ret;
		}
	}
	*sortkey = 0;
	switch (k->store) {
	case STORE_NOTICES:
		if (str_of(obj, "until") != NULL &&
		    time_of(obj, "until") <= time_of(obj, "from")) {
			reply_error(&r->out, 422, "'until' must be after 'from'");
			return -EINVAL;
		}
		board_priority_parse(str_of(obj, "priority"), &prio);
		/* urgent first, then important, then normal; each by from */
		*sortkey = ((int64_t)(BOARD_PRIORITY_URGENT - prio) << 50) + time_of(obj, "from");
		break;
	case STORE_WORKS:
		if (date_days(str_of(obj, "to")) < date_days(str_of(obj, "from"))) {
			reply_error(&r->out, 422, "'to' must not be before 'from'");
			return -EINVAL;
		}
		*sortkey = date_days(str_of(obj, "from"));
		break;
	case STORE_DELAYS:
		if (str_of(obj, "new_from") != NULL && str_of(obj, "new_to") != NULL &&
		    date_days(str_of(obj, "new_to")) < date_days(str_of(obj, "new_from"))) {
			reply_error(&r->out, 422, "'new_to' must not be before 'new_from'");
			return -EINVAL;
		}
		break;
	case STORE_EVENTS:
		*sortkey = time_of(obj, "when");
		break;
	case STORE_CONTACTS:
	case STORE_N_KINDS:
		break;
	}
	return 0;
}

/* Keep only the fields of the kind, in table order: what the store holds. */
static char *canonical(json_t *obj, const struct field *fields, size_t n)
{
	json_t *out = json_object();
	char *text = NULL;

	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		json_t *v = json_object_get(obj, fields[i].name);

		if (json_object_set(out, fields[i].name, v != NULL ? v : json_null()) < 0)
			goto out;
	}
	text = json_dumps(out, JSON_COMPACT);
out:
	json_decref(out);
	return text;
}

/* An item as answered: id and block first, then its fields. */
static json_t *item_json(const char *id, const char *block, const char *data)
{
	json_t *out = json_pack("{s:s,s:s}", "id", id, "block", block);
	json_t *fields = json_loads(data, 0, NULL);

	if (out == NULL || fields == NULL || json_object_update(out, fields) < 0) {
		json_decref(out);
		out = NULL;
	}
	json_decref(fields);
	return out;
}

static json_t *block_json(const struct store_block *b)
{
	return json_pack("{s:s,s:s,s:s?,s:I}", "id", b->id, "name", b->name, "address",
			 b->address, "board_version", (json_int_t)b->board_version);
}

/*
 * Inside a transaction with block's content changed: give it a new board
 * version and store the board, commit, publish. On failure rolls back and
 * sets the reply.
 */
static int commit_block(struct req *r, const char *block)
{
	struct api *a = r->api;
	struct store_block b = {0};
	char *board = NULL;
	int ret;

	ret = store_block_get(a->store, block, &b);
	if (ret == 0)
		ret = boardgen_build(a->store, a->site, block, b.board_version + 1,
				     sbtime_now_ms(), &board);
	if (ret == 0)
		ret = store_block_set_board(a->store, block, b.board_version + 1, board);
	if (ret == 0)
		ret = store_commit(a->store);
	if (ret < 0) {
		store_rollback(a->store);
		if (ret == -E2BIG)
			reply_error(&r->out, 422, "the board of block %s would exceed %d bytes", block,
				    BOARD_MAX_BYTES);
		else
			reply_internal(&r->out);
		goto out;
	}
	log_debug("block %s: board version %lld", block, (long long)(b.board_version + 1));
	if (a->publish != NULL)
		a->publish(a->publish_ctx, block, board);
out:
	free(board);
	store_block_release(&b);
	return ret;
}

/* May the caller change items of kind k (NULL: what belongs to no block) in block (or NULL)? */
static bool may_change(const struct req *r, const struct kind *k, const char *block)
{
	if (k == NULL && block == NULL)
		return access_may_change_site(&r->who);
	if (!access_role_at_least(&r->who, TOKEN_ROLE_MANAGER) && (k == NULL || !k->caretaker))
		return false;
	return access_may_change_block(&r->who, block);
}

/*
 * For PUT/DELETE of item id: may the caller change it? A missing item is
 * left to the handler (404); a failed look-up sets 500.
 */
static bool may_change_item(struct req *r, const struct kind *k, const char *id)
{
	char *block = NULL;
	bool ok;
	int ret = store_item_get(r->api->store, k->store, id, &block, NULL);

	if (ret == -ENOENT) /* the handler answers 404 to whoever may change the kind */
		return k->caretaker || access_role_at_least(&r->who, TOKEN_ROLE_MANAGER);
	if (ret < 0) {
		reply_internal(&r->out);
		return false;
	}
	ok = may_change(r, k, block);
	free(block);
	return ok;
}

/* ---- blocks ---- */

static int list_blocks_cb(void *ctx, const struct store_block *b, const char *board_json)
{
	json_t *arr = ctx;

	(void)board_json;
	return json_array_append_new(arr, block_json(b)) == 0 ? 0 : -ENOMEM;
}

static void blocks_list(struct req *r)
{
	json_t *arr = json_array();

	if (arr == NULL || store_block_foreach(r->api->store, list_blocks_cb, arr) != 0) {
		json_decref(arr);
		reply_internal(&r->out);
		return;
	}
	reply_json(&r->out, 200, json_pack("{s:o}", "blocks", arr));
}

static void block_answer(struct req *r, int status, const char *id)
{
	struct store_block b = {0};

	if (store_block_get(r->api->store, id, &b) < 0) {
		reply_internal(&r->out);
		return;
	}
	reply_json(&r->out, status, block_json(&b));
	store_block_release(&b);
}

static int check_block_fields(struct req *r, json_t *obj)
{
	for (size_t i = 0; i < N(block_fields); i++) {
		int ret = check_field(r, obj, &block_fields[i], NULL);

		if (ret < 0) {
			if (ret == -ENOMEM)
				reply_internal(&r->out);
			return ret;
		}
	}
	return 0;
}

static void block_create(struct req *r)
{
	struct store *st = r->api->store;
	json_t *body = parse_body(r);
	const char *id = NULL;
	int ret;

	if (body == NULL)
		return;
	id = str_of(body, "id");
	if (json_object_get(body, "id") == NULL || json_is_null(json_object_get(body, "id"))) {
		reply_error(&r->out, 422, "missing field 'id'");
		goto out;
	}
	if (id == NULL) {
		reply_error(&r->out, 400, "'id' must be a string");
		goto out;
	}
	if (!topic_id_valid(id)) {
		reply_error(&r->out, 422, "'id' must match [a-z0-9-]{1,40}");
		goto out;
	}
	if (check_keys(r, body, block_fields, N(block_fields), id, NULL) < 0 ||
	    check_block_fields(r, body) < 0)
		goto out;
	if (store_begin(st) < 0) {
		reply_internal(&r->out);
		goto out;
	}
	ret = store_block_insert(st, id, str_of(body, "name"), str_of(body, "address"));
	if (ret < 0) {
		store_rollback(st);
		if (ret == -EEXIST)
			reply_error(&r->out, 409, "block %s already exists", id);
		else
			reply_internal(&r->out);
		goto out;
	}
	if (commit_block(r, id) == 0) {
		log_info("block %s created", id);
		block_answer(r, 201, id);
	}
out:
	json_decref(body);
}

static void block_update(struct req *r, const char *id)
{
	struct store *st = r->api->store;
	struct store_block b = {0};
	json_t *body = parse_body(r);
	json_t *merged = NULL;
	int ret;

	if (body == NULL)
		return;
	if (check_keys(r, body, block_fields, N(block_fields), id, NULL) < 0)
		goto out;
	if (store_begin(st) < 0) {
		reply_internal(&r->out);
		goto out;
	}
	ret = store_block_get(st, id, &b);
	if (ret < 0) {
		store_rollback(st);
		if (ret == -ENOENT)
			reply_error(&r->out, 404, "no block %s", id);
		else
			reply_internal(&r->out);
		goto out;
	}
	merged = json_pack("{s:s,s:s?}", "name", b.name, "address", b.address);
	if (merged == NULL || json_object_update(merged, body) < 0) {
		store_rollback(st);
		reply_internal(&r->out);
		goto out;
	}
	json_object_del(merged, "id");
	if (check_block_fields(r, merged) < 0) {
		store_rollback(st);
		goto out;
	}
	ret = store_block_update(st, id, str_of(merged, "name"), str_of(merged, "address"));
	if (ret < 0) {
		store_rollback(st);
		reply_internal(&r->out);
		goto out;
	}
	if (commit_block(r, id) == 0)
		block_answer(r, 200, id);
out:
	store_block_release(&b);
	json_decref(merged);
	json_decref(body);
}

static void block_delete(struct req *r, const char *id)
{
	struct api *a = r->api;
	int ret;

	if (store_begin(a->store) < 0) {
		reply_internal(&r->out);
		return;
	}
	ret = store_block_delete(a->store, id);
	if (ret == 0)
		ret = store_commit(a->store);
	if (ret < 0) {
		store_rollback(a->store);
		if (ret == -ENOENT)
			reply_error(&r->out, 404, "no block %s", id);
		else
			reply_internal(&r->out);
		return;
	}
	log_info("block %s deleted", id);
	if (a->publish != NULL)
		a->publish(a->publish_ctx, id, NULL);
	r->out.status = 204;
}

static void block_get(struct req *r, const char *id)
{
	struct store_block b = {0};
	int ret = store_block_get(r->api->store, id, &b);

	if (ret == -ENOENT)
		reply_error(&r->out, 404, "no block %s", id);
	else if (ret < 0)
		reply_internal(&r->out);
	else
		reply_json(&r->out, 200, block_json(&b));
	store_block_release(&b);
}

static void block_board(struct req *r, const char *id)
{
	char *board = NULL;
	int ret = store_block_board(r->api->store, id, &board);

	if (ret == -ENOENT) {
		reply_error(&r->out, 404, "no block %s", id);
	} else if (ret < 0) {
		reply_internal(&r->out);
	} else if (board == NULL) {
		reply_error(&r->out, 404, "block %s has no board yet", id);
	} else {
		r->out.status = 200;
		r->out.response = board;
	}
}

/* ---- items ---- */

struct list_ctx {
	json_t *arr;
	const char *block;
};

static int list_items_cb(void *ctx, const char *id, const char *data)
{
	struct list_ctx *lc = ctx;

	return json_array_append_new(lc->arr, item_json(id, lc->block, data)) == 0 ? 0
										     : -ENOMEM;
}

/* 0 if the block exists; otherwise the reply is set. */
static int need_block(struct req *r, const char *block)
{
	struct store_block b = {0};
	int ret = store_block_get(r->api->store, block, &b);

	store_block_release(&b);
	if (ret == -ENOENT)
		reply_error(&r->out, 404, "no block %s", block);
	else if (ret < 0)
		reply_internal(&r->out);
	return ret;
}

static void items_list(struct req *r, const struct kind *k, const char *block)
{
	struct list_ctx lc = {json_array(), block};

	if (need_block(r, block) < 0)
		goto out;
	if (lc.arr == NULL || store_item_foreach(r->api->store, k->store, block, list_items_cb,
						 &lc) != 0) {
		reply_internal(&r->out);
		goto out;
	}
	reply_json(&r->out, 200, json_pack("{s:O}", k->plural, lc.arr));
out:
	json_decref(lc.arr);
}

/* A free server-made id: letter + number. */
static int make_id(struct req *r, const struct kind *k, char *id, size_t n)
{
	int64_t seq = 0;
	int ret = store_item_next_seq(r->api->store, k->store, &seq);

	while (ret == 0) {
		snprintf(id, n, "%c%lld", k->letter, (long long)seq++);
		ret = store_item_get(r->api->store, k->store, id, NULL, NULL);
		if (ret == -ENOENT)
			return 0;
	}
	return ret;
}

static void item_create(struct req *r, const struct kind *k, const char *block)
{
	struct store *st = r->api->store;
	json_t *body = parse_body(r);
	json_t *given = NULL;
	char id[TOPIC_ID_MAX + 1];
	char *data = NULL;
	int64_t sortkey = 0;
	int64_t count = 0;
	int ret;

	if (body == NULL)
		return;
	given = json_object_get(body, "id");
	if (given != NULL && !json_is_null(given)) {
		if (!json_is_string(given)) {
			reply_error(&r->out, 400, "'id' must be a string");
			goto out;
		}
		if (!topic_id_valid(json_string_value(given))) {
			reply_error(&r->out, 422, "'id' must match [a-z0-9-]{1,40}");
			goto out;
		}
		snprintf(id, sizeof(id), "%s", json_string_value(given));
	} else {
		id[0] = '\0';
	}
	json_object_del(body, "id");
	if (check_keys(r, body, k->fields, k->n_fields, NULL, block) < 0)
		goto out;
	if (store_begin(st) < 0) {
		reply_internal(&r->out);
		goto out;
	}
	if (need_block(r, block) < 0 || check_item(r, k, body, block, &sortkey) < 0)
		goto rollback;
	if (store_item_count(st, k->store, block, &count) < 0) {
		reply_internal(&r->out);
		goto rollback;
	}
	if (count >= BOARD_MAX_ITEMS) {
		reply_error(&r->out, 422, "block %s already has %d %s", block, BOARD_MAX_ITEMS,
			    k->plural);
		goto rollback;
	}
	if (id[0] == '\0' && make_id(r, k, id, sizeof(id)) < 0) {
		reply_internal(&r->out);
		goto rollback;
	}
	data = canonical(body, k->fields, k->n_fields);
	if (data == NULL) {
		reply_internal(&r->out);
		goto rollback;
	}
	ret = store_item_insert(st, k->store, id, block, sortkey, data);
	if (ret == -EEXIST) {
		reply_error(&r->out, 409, "%s %s already exists", k->plural, id);
		goto rollback;
	}
	if (ret < 0) {
		reply_internal(&r->out);
		goto rollback;
	}
	if (commit_block(r, block) == 0)
		reply_json(&r->out, 201, item_json(id, block, data));
	goto out;
rollback:
	store_rollback(st);
out:
	free(data);
	json_decref(body);
}

static void item_get(struct req *r, const struct kind *k, const char *id)
{
	char *block = NULL;
	char *data = NULL;
	int ret = store_item_get(r->api->store, k->store, id, &block, &data);

	if (ret == -ENOENT)
		reply_error(&r->out, 404, "no %s %s", k->plural, id);
	else if (ret < 0)
		reply_internal(&r->out);
	else
		reply_json(&r->out, 200, item_json(id, block, data));
	free(block);
	free(data);
}

static void item_update(struct req *r, const struct kind *k, const char *id)
{
	struct store *st = r->api->store;
	json_t *body = parse_body(r);
	json_t *merged = NULL;
	char *block = NULL;
	char *data = NULL;
	char *newdata = NULL;
	int64_t sortkey = 0;
	int ret;

	if (body == NULL)
		return;
	if (store_begin(st) < 0) {
		reply_internal(&r->out);
		goto out;
	}
	ret = store_item_get(st, k->store, id, &block, &data);
	if (ret < 0) {
		if (ret == -ENOENT)
			reply_error(&r->out, 404, "no %s %s", k->plural, id);
		else
			reply_internal(&r->out);
		goto rollback;
	}
	if (check_keys(r, body, k->fields, k->n_fields, id, block) < 0)
		goto rollback;
	json_object_del(body, "id");
	json_object_del(body, "block");
	merged = json_loads(data, 0, NULL);
	if (merged == NULL || json_object_update(merged, body) < 0) {
		reply_internal(&r->out);
		goto rollback;
	}
	if (check_item(r, k, merged, block, &sortkey) < 0)
		goto rollback;
	newdata = canonical(merged, k->fields, k->n_fields);
	if (newdata == NULL || store_item_update(st, k->store, id, sortkey, newdata) < 0) {
		reply_internal(&r->out);
		goto rollback;
	}
	if (commit_block(r, block) == 0)
		reply_json(&r->out, 200, item_json(id, block, newdata));
	goto out;
rollback:
	store_rollback(st);
out:
	free(block);
	free(data);
	free(newdata);
	json_decref(merged);
	json_decref(body);
}

static void item_delete(struct req *r, const struct kind *k, const char *id)
{
	struct store *st = r->api->store;
	char *block = NULL;
	int ret;

	if (store_begin(st) < 0) {
		reply_internal(&r->out);
		return;
	}
	ret = store_item_get(st, k->store, id, &block, NULL);
	if (ret == 0)
		ret = store_item_delete(st, k->store, id);
	if (ret < 0) {
		store_rollback(st);
		if (ret == -ENOENT)
			reply_error(&r->out, 404, "no %s %s", k->plural, id);
		else
			reply_internal(&r->out);
		goto out;
	}
	if (commit_block(r, block) == 0)
		r->out.status = 204;
out:
	free(block);
}

/* ---- routing ---- */

static const struct kind *find_kind(const char *name)
{
	for (size_t i = 0; i < N(kinds); i++)
		if (strcmp(kinds[i].plural, name) == 0)
			return &kinds[i];
	return NULL;
}

static int authenticate(struct req *r, const char *authorization)
{
	uint8_t hash[TOKEN_HASH_BYTES];
	char role[16];
	char name[ACCESS_NAME_MAX + 1];
	char blocks[ACCESS_BLOCKS_MAX + 1];
	enum token_role rl = TOKEN_ROLE_CARETAKER;
	const char *tok = NULL;
	int ret;

	if (authorization == NULL || strncasecmp(authorization, "Bearer ", 7) != 0) {
		reply_error(&r->out, 401, "an Authorization: Bearer token is required");
		return -EACCES;
	}
	tok = authorization + 7;
	while (*tok == ' ')
		tok++;
	if (*tok == '\0' || strlen(tok) > AUTH_MAX_LEN || token_hash(tok, strlen(tok), hash) < 0) {
		reply_error(&r->out, 401, "unknown token");
		return -EACCES;
	}
	ret = store_token_find(r->api->store, hash, sizeof(hash), role, sizeof(role), name,
			       sizeof(name), blocks, sizeof(blocks));
	if (ret == -ENOENT || (ret == 0 && token_role_parse(role, &rl) < 0)) {
		reply_error(&r->out, 401, "unknown token");
		return -EACCES;
	}
	if (ret < 0) {
		reply_internal(&r->out);
		return ret;
	}
	access_principal_set(&r->who, name, rl, blocks);
	return 0;
}

static void method_not_allowed(struct req *r)
{
	reply_error(&r->out, 405, "method %.16s not allowed here", r->method);
}

static void forbidden(struct req *r)
{
	if (r->out.status == 500 && r->out.response != NULL)
		return; /* the scope look-up failed and said so */
	reply_error(&r->out, 403, "%s (%s) may not change this", r->who.name,
		    token_role_name(r->who.role));
}

static void route(struct req *r, char **seg, int n)
{
	const struct kind *k = NULL;
	bool get = method_is(r, "GET");
	struct api_sensors_req sreq = {r->method, may_change(r, NULL, NULL), seg, n, r->query,
				       r->body, r->len};

	struct api_breaches_req breq = {r->method, &r->who, seg, n, r->query,
					r->body, r->len};

	struct api_complaints_req creq = {r->method, r->who.role, r->who.name, seg, n,
					  r->query, r->body, r->len};

	if (api_complaints_handle(r->api->complaints, &creq, &r->out.status, &r->out.response) == 0)
		return;
	if (api_sensors_handle(r->api->sensors, &sreq, &r->out.status, &r->out.response) == 0)
		return;
	if (api_breaches_handle(r->api->breaches, r->api, &breq, &r->out.status, &r->out.response) == 0)
		return;
	if (n >= 1 && strcmp(seg[0], "blocks") == 0) {
		if (n >= 2 && !topic_id_valid(seg[1])) {
			reply_error(&r->out, 404, "no block %.40s", seg[1]);
			return;
		}
		if (n == 1) {
			if (get)
				blocks_list(r);
			else if (!method_is(r, "POST"))
				method_not_allowed(r);
			else if (!may_change(r, NULL, NULL))
				forbidden(r);
			else
				block_create(r);
			return;
		}
		if (n == 2) {
			if (get)
				block_get(r, seg[1]);
			else if (!method_is(r, "PUT") && !method_is(r, "DELETE"))
				method_not_allowed(r);
			else if (!may_change(r, NULL, seg[1]))
				forbidden(r);
			else if (method_is(r, "PUT"))
				block_update(r, seg[1]);
			else
				block_delete(r, seg[1]);
			return;
		}
		if (n == 3 && strcmp(seg[2], "board") == 0) {
			if (get)
				block_board(r, seg[1]);
			else
				method_not_allowed(r);
			return;
		}
		k = n == 3 ? find_kind(seg[2]) : NULL;
		if (k == NULL) {
			reply_error(&r->out, 404, "no such path");
			return;
		}
		if (get)
			items_list(r, k, seg[1]);
		else if (!method_is(r, "POST"))
			method_not_allowed(r);
		else if (!may_change(r, k, seg[1]))
			forbidden(r);
		else
			item_create(r, k, seg[1]);
		return;
	}
	k = n == 2 ? find_kind(seg[0]) : NULL;
	if (k == NULL) {
		reply_error(&r->out, 404, "no such path");
		return;
	}
	if (!topic_id_valid(seg[1]))
		reply_error(&r->out, 404, "no %s %.40s", k->plural, seg[1]);
	else if (get)
		item_get(r, k, seg[1]);
	else if (!method_is(r, "PUT") && !method_is(r, "DELETE"))
		method_not_allowed(r);
	else if (!may_change_item(r, k, seg[1]))
		forbidden(r);
	else if (method_is(r, "PUT"))
		item_update(r, k, seg[1]);
	else
		item_delete(r, k, seg[1]);
}

int api_open(struct store *store, const struct boardgen_site *site, api_publish_fn publish,
	     void *publish_ctx, struct api **out)
{
	struct api *a = calloc(1, sizeof(*a));
	int ret;

	*out = NULL;
	if (a == NULL)
		return -ENOMEM;
	a->store = store;
	a->site = site;
	a->publish = publish;
	a->publish_ctx = publish_ctx;
	store_lock(store);
	ret = api_sensors_open(store, &a->sensors);
	store_unlock(store);
	if (ret < 0) {
		free(a);
		return ret;
	}
	*out = a;
	return 0;
}

void api_set_breaches(struct api *a, struct api_breaches *b)
{
	a->breaches = b;
}

void api_set_complaints(struct api *a, struct api_complaints *c)
{
	a->complaints = c;
}

struct all_boards {
	char **ids;
	size_t n;
	size_t cap;
};

static int collect_block_cb(void *ctx, const struct store_block *b, const char *board_json)
{
	struct all_boards *ab = ctx;

	(void)board_json;
	if (ab->n == ab->cap) {
		size_t cap = ab->cap != 0 ? ab->cap * 2 : 16;
		char **ids = realloc(ab->ids, cap * sizeof(*ids));

		if (ids == NULL)
			return -ENOMEM;
		ab->ids = ids;
		ab->cap = cap;
	}
	ab->ids[ab->n] = strdup(b->id);
	if (ab->ids[ab->n] == NULL)
		return -ENOMEM;
	ab->n++;
	return 0;
}

int api_commit_all_boards(struct api *a)
{
	struct all_boards ab = {0};
	char **boards = NULL;
	int64_t now = sbtime_now_ms();
	int ret;

	ret = store_block_foreach(a->store, collect_block_cb, &ab);
	if (ret == 0 && ab.n > 0) {
		boards = calloc(ab.n, sizeof(*boards));
		if (boards == NULL)
			ret = -ENOMEM;
	}
	for (size_t i = 0; ret == 0 && i < ab.n; i++) {
		struct store_block b = {0};

		ret = store_block_get(a->store, ab.ids[i], &b);
		if (ret == 0)
			ret = boardgen_build(a->store, a->site, ab.ids[i], b.board_version + 1, now,
					     &boards[i]);
		if (ret == 0)
			ret = store_block_set_board(a->store, ab.ids[i], b.board_version + 1,
						    boards[i]);
		store_block_release(&b);
	}
	if (ret == 0)
		ret = store_commit(a->store);
	if (ret < 0)
		store_rollback(a->store);
	for (size_t i = 0; i < ab.n; i++) {
		if (ret == 0 && a->publish != NULL)
			a->publish(a->publish_ctx, ab.ids[i], boards[i]);
		free(ab.ids[i]);
		if (boards != NULL)
			free(boards[i]);
	}
	free(ab.ids);
	free(boards);
	return ret;
}

void api_close(struct api *a)
{
	if (a == NULL)
		return;
	api_sensors_close(a->sensors);
	free(a);
}

/* as: the caller has authenticated the request already (web pages); else the token. */
static int handle(struct api *a, const struct principal *as, const char *method,
		  const char *path, const char *authorization, const char *body, size_t len,
		  int *status, char **response)
{
	struct req r = {.api = a, .method = method, .query = "", .body = body, .len = len};
	char buf[PATH_MAX_LEN];
	char *seg[MAX_SEGMENTS + 1] = {NULL};
	char *p = NULL;
	int n = 0;

	*status = 500;
	*response = NULL;
	if (strlen(path) >= sizeof(buf) || strncmp(path, "/api/v1/", 8) != 0) {
		reply_error(&r.out, 404, "no such path");
		goto out;
	}
	snprintf(buf, sizeof(buf), "%s", path + 8);
	p = strchr(buf, '?');
	r.query = "";
	if (p != NULL) {
		*p = '\0';
		r.query = path + 8 + (p - buf) + 1;
	}
	p = buf;
	while (n <= MAX_SEGMENTS) {
		char *slash = strchr(p, '/');

		seg[n++] = p;
		if (slash == NULL)
			break;
		*slash = '\0';
		p = slash + 1;
	}
	store_lock(a->store);
	if (as != NULL)
		r.who = *as;
	if (as != NULL || authenticate(&r, authorization) == 0) {
		bool empty = n > MAX_SEGMENTS;

		for (int i = 0; i < n && !empty; i++)
			if (seg[i][0] == '\0')
				empty = true;
		if (empty)
			reply_error(&r.out, 404, "no such path");
		else
			route(&r, seg, n);
	}
	store_unlock(a->store);
out:
	if (r.out.status == 500 && r.out.response == NULL)
		return -ENOMEM;
	*status = r.out.status;
	*response = r.out.response;
	return 0;
}

int api_handle(struct api *a, const char *method, const char *path, const char *authorization,
	       const char *body, size_t len, int *status, char **response)
{
	return handle(a, NULL, method, path, authorization, body, len, status, response);
}

int api_handle_as(struct api *a, const struct principal *who, const char *method,
		  const char *path, const char *body, size_t len, int *status, char **response)
{
	return handle(a, who, method, path, NULL, body, len, status, response);
}

int api_http_handler(void *ctx, const struct http_request *req, struct http_response *out)
{
	size_t n = strlen(req->path) + strlen(req->query) + 2;
	char *path = malloc(n);
	char *response = NULL;
	int status = 500;
	int ret;

	if (path == NULL)
		return -ENOMEM;
	snprintf(path, n, "%s%s%s", req->path, req->query[0] != '\0' ? "?" : "", req->query);
	ret = api_handle(ctx, req->method, path, req->authorization, req->body, req->len, &status,
			 &response);
	free(path);
	if (ret < 0)
		return ret;
	out->status = status;
	out->body = response;
	out->len = response != NULL ? strlen(response) : 0;
	out->content_type = response != NULL ? "application/json" : NULL;
	return 0;
}
