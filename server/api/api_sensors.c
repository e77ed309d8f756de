/* SPDX-License-Identifier: MIT */
/*
 * Sensor registry, events and ingest counters over HTTP (see api_sensors.h).
 * Validation follows api.c: a wrong JSON type is 400, a well-typed but
 * invalid value (unknown block, role that does not fit the kind) is 422, an
 * unknown field 422, a taken id 409, an unknown sensor 404.
 */
#include "api/api_sensors.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "http/reply.h"
#include "siteboard/sbtime.h"
#include "siteboard/utf8.h"
#include "siteboard/topic.h"
#include "http/query.h"
#include "store/sensordb.h"

#define LOCATION_MAX_CHARS 200
#define EVENTS_LIMIT_DEFAULT 100
#define EVENTS_LIMIT_MAX 1000

struct api_sensors {
	struct store *store;
	struct sensordb *db;
};

int api_sensors_open(struct store *store, struct api_sensors **out)
{
	struct api_sensors *a = calloc(1, sizeof(*a));
	int ret;

	*out = NULL;
	if (a == NULL)
		return -ENOMEM;
	a->store = store;
	ret = sensordb_open(store, &a->db);
	if (ret < 0) {
		free(a);
		return ret;
	}
	*out = a;
	return 0;
}

void api_sensors_close(struct api_sensors *a)
{
	if (a == NULL)
		return;
	sensordb_close(a->db);
	free(a);
}

static json_t *time_or_null(int64_t ms)
{
	char buf[SBTIME_BUFSZ];

	if (ms < 0 || sbtime_format(ms, buf, sizeof(buf)) < 0)
		return json_null();
	return json_string(buf);
}

static json_t *sensor_json(const struct sensordb_sensor *s)
{
	int64_t gaps = 0;

	if (s->first_seq >= 0)
		gaps = s->last_seq - s->first_seq + 1 - s->n_events;
	return json_pack("{s:s,s:s,s:s,s:s,s:s?,s:o,s:o,s:o,s:o,s:s?,s:o,s:I,s:I}", "id", s->id,
			 "block", s->block, "kind", s->kind, "role", s->role, "location",
			 s->has_location ? s->location : NULL, "created_at",
			 time_or_null(s->created_at), "last_seen", time_or_null(s->last_seen),
			 "online", s->online < 0 ? json_null() : json_boolean(s->online == 1),
			 "battery_pct",
			 s->battery_pct < 0 ? json_null() : json_integer(s->battery_pct), "fw",
			 s->fw[0] != '\0' ? s->fw : NULL, "last_seq",
			 s->last_seq < 0 ? json_null() : json_integer(s->last_seq), "events",
			 (json_int_t)s->n_events, "seq_gaps", (json_int_t)(gaps > 0 ? gaps : 0));
}

static bool role_fits(const char *kind, const char *role)
{
	if (strcmp(kind, "noise") == 0)
		return strcmp(role, "noise") == 0;
	return strcmp(role, "site_access") == 0 || strcmp(role, "secure_store") == 0 ||
	       strcmp(role, "communal_entrance") == 0;
}

/* Apply body fields onto s (POST: s blank; PUT: the stored sensor). 0 or -EINVAL (reply set). */
static int apply_fields(struct api_sensors *a, struct reply *r, json_t *body,
			struct sensordb_sensor *s, bool create)
{
	static const char *const known[] = {"id", "block", "kind", "role", "location"};
	struct store_block b = {0};
	const char *key = NULL;
	json_t *v = NULL;
	int rc;

	json_object_foreach(body, key, v) {
		bool ok = false;

		for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
			ok = ok || strcmp(key, known[i]) == 0;
		if (!ok) {
			reply_error(r, 422, "unknown field '%s'", key);
			return -EINVAL;
		}
		if (!json_is_string(v) && !(json_is_null(v) && strcmp(key, "location") == 0)) {
			reply_error(r, 400, "'%s' must be a string", key);
			return -EINVAL;
		}
	}
	v = json_object_get(body, "id");
	if (create) {
		if (v == NULL) {
			reply_error(r, 422, "missing field 'id'");
			return -EINVAL;
		}
		if (!topic_id_valid(json_string_value(v))) {
			reply_error(r, 422, "'id' must match [a-z0-9-]{1,40}");
			return -EINVAL;
		}
		snprintf(s->id, sizeof(s->id), "%s", json_string_value(v));
	} else if (v != NULL && strcmp(json_string_value(v), s->id) != 0) {
		reply_error(r, 422, "'id' cannot be changed");
		return -EINVAL;
	}
	v = json_object_get(body, "block");
	if (v != NULL) {
		const char *blk = json_string_value(v);

		rc = topic_id_valid(blk) ? store_block_get(a->store, blk, &b) : -ENOENT;
		store_block_release(&b);
		if (rc == -ENOENT) {
			reply_error(r, 422, "no block %.40s", blk);
			return -EINVAL;
		}
		if (rc < 0) {
			reply_error(r, 500, "internal error");
			return -EIO;
		}
		snprintf(s->block, sizeof(s->block), "%s", blk);
	}
	v = json_object_get(body, "kind");
	if (v != NULL) {
		if (strcmp(json_string_value(v), "door") != 0 &&
		    strcmp(json_string_value(v), "noise") != 0) {
			reply_error(r, 422, "'kind' must be door or noise");
			return -EINVAL;
		}
		snprintf(s->kind, sizeof(s->kind), "%s", json_string_value(v));
	}
	v = json_object_get(body, "role");
	if (v != NULL) {
		if (strlen(json_string_value(v)) >= sizeof(s->role)) {
			reply_error(r, 422, "unknown role");
			return -EINVAL;
		}
		snprintf(s->role, sizeof(s->role), "%s", json_string_value(v));
	}
	v = json_object_get(body, "location");
	if (v != NULL) {
		s->has_location = !json_is_null(v);
		s->location[0] = '\0';
		if (s->has_location) {
			const char *loc = json_string_value(v);

			if (utf8_chars(loc) > LOCATION_MAX_CHARS ||
			    strlen(loc) > SENSORDB_LOCATION_MAX) {
				reply_error(r, 422, "'location' must be up to %d characters",
					    LOCATION_MAX_CHARS);
				return -EINVAL;
			}
			snprintf(s->location, sizeof(s->location), "%s", loc);
		}
	}
	if (s->block[0] == '\0' || s->kind[0] == '\0' || s->role[0] == '\0') {
		reply_error(r, 422, "missing field '%s'",
			    s->block[0] == '\0' ? "block" : s->kind[0] == '\0' ? "kind" : "role");
		return -EINVAL;
	}
	if (!role_fits(s->kind, s->role)) {
		reply_error(r, 422,
			    "'role' of a %s sensor must be %s", s->kind,
			    strcmp(s->kind, "noise") == 0
				    ? "noise"
				    : "site_access, secure_store or communal_entrance");
		return -EINVAL;
	}
	return 0;
}

static json_t *parse_body(struct reply *r, const struct api_sensors_req *q)
{
	json_error_t jerr;
	json_t *obj = NULL;

	if (q->len == 0 || q->body == NULL) {
		reply_error(r, 400, "a JSON object body is required");
		return NULL;
	}
	obj = json_loadb(q->body, q->len, JSON_REJECT_DUPLICATES, &jerr);
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

static void sensor_answer(struct api_sensors *a, struct reply *r, int status, const char *id)
{
	struct sensordb_sensor *s = malloc(sizeof(*s));
	int rc = s != NULL ? sensordb_sensor_get(a->db, id, s) : -ENOMEM;

	if (rc == -ENOENT)
		reply_error(r, 404, "no sensor %.40s", id);
	else if (rc < 0)
		reply_error(r, 500, "internal error");
	else
		reply_json(r, status, sensor_json(s));
	free(s);
}

static void sensor_write(struct api_sensors *a, struct reply *r, const struct api_sensors_req *q,
			 const char *id)
{
	struct sensordb_sensor *s = calloc(1, sizeof(*s));
	json_t *body = NULL;
	bool create = id == NULL;
	int rc;

	if (s == NULL) {
		reply_error(r, 500, "internal error");
		return;
	}
	if (!create) {
		rc = sensordb_sensor_get(a->db, id, s);
		if (rc < 0) {
			if (rc == -ENOENT)
				reply_error(r, 404, "no sensor %.40s", id);
			else
				reply_error(r, 500, "internal error");
			goto out;
		}
	}
	body = parse_body(r, q);
	if (body == NULL || apply_fields(a, r, body, s, create) < 0)
		goto out;
	s->created_at = sbtime_now_ms();
	rc = create ? sensordb_sensor_insert(a->db, s) : sensordb_sensor_update(a->db, s);
	if (rc == -EEXIST) {
		reply_error(r, 409, "sensor %s already exists", s->id);
		goto out;
	}
	if (rc == -ENOENT) {
		reply_error(r, 422, "no block %s", s->block);
		goto out;
	}
	if (rc < 0) {
		reply_error(r, 500, "internal error");
		goto out;
	}
	sensor_answer(a, r, create ? 201 : 200, s->id);
out:
	json_decref(body);
	free(s);
}

static int list_cb(void *ctx, const struct sensordb_sensor *s)
{
	return json_array_append_new(ctx, sensor_json(s)) == 0 ? 0 : -ENOMEM;
}

/* ---- queries ---- */

/* A whole-number parameter (def when absent); a bad one is answered 422. */
static int param_int(struct reply *r, const char *query, const char *key, int64_t def,
		     int64_t min, int64_t max, int64_t *out)
{
	*out = def;
	if (query_int(query, key, min, max, out) < 0) {
		reply_error(r, 422, "'%s' must be a whole number from %lld to %lld", key,
			    (long long)min, (long long)max);
		return -EINVAL;
	}
	return 0;
}

/* An RFC 3339 time parameter (def when absent); a bad one is answered 422. */
static int param_time(struct reply *r, const char *query, const char *key, int64_t def,
		      int64_t *out)
{
	*out = def;
	if (query_time(query, key, out) < 0) {
		reply_error(r, 422, "'%s' must be an RFC 3339 time", key);
		return -EINVAL;
	}
	return 0;
}

static int event_cb(void *ctx, const struct sensordb_event *e, const char *kind)
{
	json_t *ev = NULL;

	if (e->door) {
		ev = json_pack("{s:s,s:s,s:I,s:o,s:s,s:s,s:o}", "sensor", e->sensor, "block",
			       e->block, "seq", (json_int_t)e->seq, "ts", time_or_null(e->ts_ms),
			       "kind", kind, "state", e->open ? "open" : "closed", "arrived_at",
			       time_or_null(e->arrived_ms));
	} else {
		const struct event_noise *n = &e->noise;

		ev = json_pack("{s:s,s:s,s:I,s:o,s:s,s:i,s:o,s:o,s:o,s:o,s:o}", "sensor",
			       e->sensor, "block", e->block, "seq", (json_int_t)e->seq, "ts",
			       time_or_null(e->ts_ms), "kind", kind, "period_s", n->period_s,
			       "laeq", n->has_levels ? json_real(n->laeq) : json_null(), "lafmax",
			       n->has_levels ? json_real(n->lafmax) : json_null(), "la90",
			       n->has_levels ? json_real(n->la90) : json_null(), "la10",
			       n->has_levels && n->has_la10 ? json_real(n->la10) : json_null(),
			       "arrived_at", time_or_null(e->arrived_ms));
	}
	return json_array_append_new(ctx, ev) == 0 ? 0 : -ENOMEM;
}

static void events_list(struct api_sensors *a, struct reply *r, const char *query)
{
	char sensor[QUERY_VALUE_MAX];
	char block[QUERY_VALUE_MAX];
	struct sensordb_query q = {0};
	json_t *arr = NULL;
	int64_t total = 0;
	int rs = query_get(query, "sensor", sensor, sizeof(sensor));
	int rb = query_get(query, "block", block, sizeof(block));

	if (rs < 0 || rb < 0 || (rs > 0 && !topic_id_valid(sensor)) ||
	    (rb > 0 && !topic_id_valid(block))) {
		reply_error(r, 422, "'sensor' and 'block' must be ids");
		return;
	}
	if (rs == 0 && rb == 0) {
		reply_error(r, 422, "give 'sensor' or 'block'");
		return;
	}
	q.sensor = rs > 0 ? sensor : NULL;
	q.block = rs == 0 ? block : NULL;
	if (param_int(r, query, "limit", EVENTS_LIMIT_DEFAULT, 1, EVENTS_LIMIT_MAX, &q.limit) < 0 ||
	    param_int(r, query, "offset", 0, 0, INT64_MAX / 2, &q.offset) < 0 ||
	    param_time(r, query, "from", INT64_MIN, &q.from_ms) < 0 ||
	    param_time(r, query, "to", INT64_MAX, &q.to_ms) < 0)
		return;
	arr = json_array();
	if (arr == NULL || sensordb_events(a->db, &q, &total, event_cb, arr) != 0) {
		json_decref(arr);
		reply_error(r, 500, "internal error");
		return;
	}
	reply_json(r, 200, json_pack("{s:I,s:o}", "total", (json_int_t)total, "events", arr));
}

static int counter_cb(void *ctx, const char *name, int64_t count)
{
	return json_object_set_new(ctx, name, json_integer(count)) == 0 ? 0 : -ENOMEM;
}

static void sensors_route(struct api_sensors *a, struct reply *r, const struct api_sensors_req *q)
{
	bool get = strcmp(q->method, "GET") == 0;
	char block[QUERY_VALUE_MAX];
	json_t *arr = NULL;
	int rc;

	if (q->n == 1) {
		if (get) {
			rc = query_get(q->query, "block", block, sizeof(block));
			if (rc < 0 || (rc > 0 && !topic_id_valid(block))) {
				reply_error(r, 422, "'block' must be an id");
				return;
			}
			arr = json_array();
			if (arr == NULL ||
			    sensordb_sensor_foreach(a->db, rc > 0 ? block : NULL, list_cb, arr) != 0) {
				json_decref(arr);
				reply_error(r, 500, "internal error");
				return;
			}
			reply_json(r, 200, json_pack("{s:o}", "sensors", arr));
		} else if (strcmp(q->method, "POST") != 0) {
			reply_error(r, 405, "method %.16s not allowed here", q->method);
		} else if (!q->may_change) {
			reply_error(r, 403, "role caretaker may not change this");
		} else {
			sensor_write(a, r, q, NULL);
		}
		return;
	}
	if (!topic_id_valid(q->seg[1])) {
		reply_error(r, 404, "no sensor %.40s", q->seg[1]);
	} else if (get) {
		sensor_answer(a, r, 200, q->seg[1]);
	} else if (strcmp(q->method, "PUT") != 0 && strcmp(q->method, "DELETE") != 0) {
		reply_error(r, 405, "method %.16s not allowed here", q->method);
	} else if (!q->may_change) {
		reply_error(r, 403, "role caretaker may not change this");
	} else if (strcmp(q->method, "PUT") == 0) {
		sensor_write(a, r, q, q->seg[1]);
	} else {
		rc = sensordb_sensor_delete(a->db, q->seg[1]);
		if (rc == -ENOENT)
			reply_error(r, 404, "no sensor %.40s", q->seg[1]);
		else if (rc < 0)
			reply_error(r, 500, "internal error");
		else
			r->status = 204;
	}
}

int api_sensors_handle(struct api_sensors *a, const struct api_sensors_req *q, int *status,
		       char **response)
{
	struct reply r = {500, NULL};
	json_t *obj = NULL;

	if (q->n >= 1 && strcmp(q->seg[0], "sensors") == 0 && q->n <= 2) {
		sensors_route(a, &r, q);
	} else if (q->n == 1 && strcmp(q->seg[0], "events") == 0) {
		if (strcmp(q->method, "GET") == 0)
			events_list(a, &r, q->query);
		else
			reply_error(&r, 405, "method %.16s not allowed here", q->method);
	} else if (q->n == 1 && strcmp(q->seg[0], "ingest") == 0) {
		obj = json_object();
		if (strcmp(q->method, "GET") != 0)
			reply_error(&r, 405, "method %.16s not allowed here", q->method);
		else if (obj == NULL || sensordb_counter_foreach(a->db, counter_cb, obj) != 0)
			reply_error(&r, 500, "internal error");
		else
			reply_json(&r, 200, json_pack("{s:O}", "counters", obj));
		json_decref(obj);
	} else {
		return -ENOENT;
	}
	*status = r.status;
	*response = r.response;
	return 0;
}
