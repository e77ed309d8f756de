/* SPDX-License-Identifier: MIT */
/*
 * Sensor payload codec over jansson: door, noise and status messages.
 * Decoding is the server's edge for sensor input: every field is checked here.
 */
#include "siteboard/event.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "siteboard/sbtime.h"

#define LEVEL_MIN -50.0
#define LEVEL_MAX 200.0

static int fail(char *err, size_t err_len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t err_len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, err_len, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* Parse and check it is an object; on failure err says why. */
static json_t *load(const char *json, size_t len, char *err, size_t err_len, int *rc)
{
	json_error_t jerr;
	json_t *root;

	if (len > EVENT_MAX_BYTES) {
		snprintf(err, err_len, "payload is %zu bytes, over the %d byte limit", len,
			 EVENT_MAX_BYTES);
		*rc = -E2BIG;
		return NULL;
	}
	root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		*rc = fail(err, err_len, "not valid JSON: %s", jerr.text);
		return NULL;
	}
	if (!json_is_object(root)) {
		json_decref(root);
		*rc = fail(err, err_len, "payload must be a JSON object");
		return NULL;
	}
	*rc = 0;
	return root;
}

static int get_seq_ts(json_t *root, int64_t *seq, int64_t *ts, char *err, size_t err_len)
{
	json_t *v = json_object_get(root, "seq");

	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > EVENT_SEQ_MAX)
		return fail(err, err_len, "seq: must be a whole number from 0 to 2^53-1");
	*seq = (int64_t)json_integer_value(v);
	v = json_object_get(root, "ts");
	if (!json_is_string(v) || sbtime_parse(json_string_value(v), ts) != 0)
		return fail(err, err_len, "ts: must be an RFC 3339 time like 2026-11-25T18:02:11.250Z");
	return 0;
}

int event_door_decode(const char *json, size_t len, struct event_door *out, char *err,
		      size_t err_len)
{
	struct event_door e = {0};
	json_t *root;
	json_t *v;
	int rc;

	root = load(json, len, err, err_len, &rc);
	if (root == NULL)
		return rc;
	rc = get_seq_ts(root, &e.seq, &e.ts_ms, err, err_len);
	if (rc == 0) {
		v = json_object_get(root, "state");
		if (json_is_string(v) && strcmp(json_string_value(v), "open") == 0)
			e.open = true;
		else if (json_is_string(v) && strcmp(json_string_value(v), "closed") == 0)
			e.open = false;
		else
			rc = fail(err, err_len, "state: must be \"open\" or \"closed\"");
	}
	json_decref(root);
	if (rc == 0)
		*out = e;
	return rc;
}

/* A level: a number in range, or null when allow_null. */
static int get_level(json_t *root, const char *key, bool *is_null, double *out, char *err,
		     size_t err_len)
{
	json_t *v = json_object_get(root, key);

	*is_null = false;
	*out = 0;
	if (v != NULL && json_is_null(v)) {
		*is_null = true;
		return 0;
	}
	if (!json_is_number(v))
		return fail(err, err_len, "%s: must be a number of dB or null", key);
	*out = json_number_value(v);
	if (!isfinite(*out) || *out < LEVEL_MIN || *out > LEVEL_MAX)
		return fail(err, err_len, "%s: must be from %.0f to %.0f dB", key, LEVEL_MIN, LEVEL_MAX);
	return 0;
}

int event_noise_decode(const char *json, size_t len, struct event_noise *out, char *err,
		       size_t err_len)
{
	struct event_noise e = {0};
	bool n1, n2, n3, n4 = true;
	json_t *root;
	json_t *v;
	int rc;

	root = load(json, len, err, err_len, &rc);
	if (root == NULL)
		return rc;
	rc = get_seq_ts(root, &e.seq, &e.ts_ms, err, err_len);
	if (rc != 0)
		goto out;
	v = json_object_get(root, "period_s");
	if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 86400) {
		rc = fail(err, err_len, "period_s: must be a whole number of seconds from 1 to 86400");
		goto out;
	}
	e.period_s = (int)json_integer_value(v);
	if ((rc = get_level(root, "laeq", &n1, &e.laeq, err, err_len)) != 0 ||
	    (rc = get_level(root, "lafmax", &n2, &e.lafmax, err, err_len)) != 0 ||
	    (rc = get_level(root, "la90", &n3, &e.la90, err, err_len)) != 0)
		goto out;
	if (n1 != n2 || n1 != n3) {
		rc = fail(err, err_len, "laeq, lafmax and la90 must be all numbers or all null");
		goto out;
	}
	e.has_levels = !n1;
	if (json_object_get(root, "la10") != NULL) {
		rc = get_level(root, "la10", &n4, &e.la10, err, err_len);
		if (rc != 0)
			goto out;
	}
	e.has_la10 = !n4;
out:
	json_decref(root);
	if (rc == 0)
		*out = e;
	return rc;
}

int event_status_decode(const char *json, size_t len, struct event_status *out, char *err,
			size_t err_len)
{
	struct event_status e = {.battery_pct = -1};
	json_t *root;
	json_t *v;
	int rc;

	root = load(json, len, err, err_len, &rc);
	if (root == NULL)
		return rc;
	v = json_object_get(root, "state");
	if (json_is_string(v) && strcmp(json_string_value(v), "online") == 0) {
		e.online = true;
	} else if (json_is_string(v) && strcmp(json_string_value(v), "offline") == 0) {
		e.online = false;
	} else {
		rc = fail(err, err_len, "state: must be \"online\" or \"offline\"");
		goto out;
	}
	v = json_object_get(root, "battery_pct");
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 100) {
			rc = fail(err, err_len, "battery_pct: must be a whole number from 0 to 100");
			goto out;
		}
		e.battery_pct = (int)json_integer_value(v);
	}
	v = json_object_get(root, "fw");
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_string(v) || json_string_length(v) > EVENT_FW_MAX) {
			rc = fail(err, err_len, "fw: must be a string of at most %d bytes", EVENT_FW_MAX);
			goto out;
		}
		memcpy(e.fw, json_string_value(v), json_string_length(v) + 1);
	}
out:
	json_decref(root);
	if (rc == 0)
		*out = e;
	return rc;
}

static int finish(int len, size_t n)
{
	if (len < 0)
		return -EINVAL;
	return (size_t)len < n ? len : -ENOSPC;
}

int event_door_encode(const struct event_door *e, char *buf, size_t n)
{
	char ts[SBTIME_BUFSZ];

	if (e->seq < 0 || e->seq > EVENT_SEQ_MAX || sbtime_format(e->ts_ms, ts, sizeof(ts)) != 0)
		return -EINVAL;
	return finish(snprintf(buf, n, "{\"seq\":%lld,\"ts\":\"%s\",\"state\":\"%s\"}",
			       (long long)e->seq, ts, e->open ? "open" : "closed"),
		      n);
}

static bool level_ok(double v)
{
	return isfinite(v) && v >= LEVEL_MIN && v <= LEVEL_MAX;
}

int event_noise_encode(const struct event_noise *e, char *buf, size_t n)
{
	char ts[SBTIME_BUFSZ];
	char la10[32] = "";

	if (e->seq < 0 || e->seq > EVENT_SEQ_MAX || e->period_s < 1 || e->period_s > 86400 ||
	    sbtime_format(e->ts_ms, ts, sizeof(ts)) != 0)
		return -EINVAL;
	if (!e->has_levels)
		return finish(snprintf(buf, n,
				       "{\"seq\":%lld,\"ts\":\"%s\",\"period_s\":%d,\"laeq\":null,"
				       "\"lafmax\":null,\"la90\":null}",
				       (long long)e->seq, ts, e->period_s),
			      n);
	if (!level_ok(e->laeq) || !level_ok(e->lafmax) || !level_ok(e->la90) ||
	    (e->has_la10 && !level_ok(e->la10)))
		return -EINVAL;
	if (e->has_la10)
		snprintf(la10, sizeof(la10), ",\"la10\":%.1f", e->la10);
	return finish(snprintf(buf, n,
			       "{\"seq\":%lld,\"ts\":\"%s\",\"period_s\":%d,\"laeq\":%.1f,"
			       "\"lafmax\":%.1f,\"la90\":%.1f%s}",
			       (long long)e->seq, ts, e->period_s, e->laeq, e->lafmax, e->la90, la10),
		      n);
}

int event_status_encode(const struct event_status *e, char *buf, size_t n)
{
	json_t *o = json_object();
	char *s = NULL;
	int rc;

	if (o == NULL)
		return -ENOMEM;
	json_object_set_new(o, "state", json_string(e->online ? "online" : "offline"));
	if (e->online && e->battery_pct >= 0 && e->battery_pct <= 100)
		json_object_set_new(o, "battery_pct", json_integer(e->battery_pct));
	/* fw is free text from a device: jansson escapes it properly. */
	if (e->online && e->fw[0] != '\0')
		json_object_set_new(o, "fw", json_string(e->fw));
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (s == NULL)
		return -EINVAL;
	rc = finish(snprintf(buf, n, "%s", s), n);
	free(s);
	return rc;
}
