/* SPDX-License-Identifier: MIT */
/*
 * Scripted-events parser (see script.h), over jansson: an object with either
 * "sensor" + "state" (+ "ts") or "sleep_ms", nothing else, no duplicate keys.
 */
#include "script.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include <siteboard/sbtime.h>

static bool blank_or_comment(const char *line, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (line[i] == ' ' || line[i] == '\t' || line[i] == '\r' || line[i] == '\n')
			continue;
		return line[i] == '#';
	}
	return true;
}

static int parse_door(json_t *obj, struct script_cmd *out, char *err, size_t err_len)
{
	json_t *sensor = json_object_get(obj, "sensor");
	json_t *state = json_object_get(obj, "state");
	json_t *ts = json_object_get(obj, "ts");
	const char *key;
	json_t *val;

	json_object_foreach(obj, key, val) {
		if (strcmp(key, "sensor") != 0 && strcmp(key, "state") != 0 && strcmp(key, "ts") != 0) {
			snprintf(err, err_len, "unknown field \"%.40s\"", key);
			return -EINVAL;
		}
	}
	if (!json_is_string(sensor) || !topic_id_valid(json_string_value(sensor))) {
		snprintf(err, err_len, "sensor: must be a sensor id ([a-z0-9-]{1,40})");
		return -EINVAL;
	}
	if (!json_is_string(state)) {
		snprintf(err, err_len, "state: must be \"open\" or \"closed\"");
		return -EINVAL;
	}
	if (strcmp(json_string_value(state), "open") == 0) {
		out->open = true;
	} else if (strcmp(json_string_value(state), "closed") == 0) {
		out->open = false;
	} else {
		snprintf(err, err_len, "state: must be \"open\" or \"closed\"");
		return -EINVAL;
	}
	if (ts) {
		if (!json_is_string(ts) || sbtime_parse(json_string_value(ts), &out->ts_ms) < 0) {
			snprintf(err, err_len, "ts: must be an RFC 3339 time");
			return -EINVAL;
		}
		out->has_ts = true;
	}
	out->kind = SCRIPT_DOOR;
	snprintf(out->sensor, sizeof(out->sensor), "%s", json_string_value(sensor));
	return 0;
}

int script_parse(const char *line, size_t len, struct script_cmd *out, char *err, size_t err_len)
{
	json_error_t jerr;
	json_t *root = NULL;
	json_t *sleep = NULL;
	int ret = -EINVAL;

	memset(out, 0, sizeof(*out));
	if (err_len > 0)
		err[0] = '\0';
	if (blank_or_comment(line, len))
		return -ENODATA;
	if (len > SCRIPT_LINE_MAX) {
		snprintf(err, err_len, "line longer than %d bytes", SCRIPT_LINE_MAX);
		return -EINVAL;
	}
	root = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		snprintf(err, err_len, "not JSON: %s", jerr.text);
		goto out;
	}
	if (!json_is_object(root)) {
		snprintf(err, err_len, "must be a JSON object");
		goto out;
	}
	sleep = json_object_get(root, "sleep_ms");
	if (!sleep) {
		ret = parse_door(root, out, err, err_len);
		goto out;
	}
	if (json_object_size(root) != 1) {
		snprintf(err, err_len, "sleep_ms: must be alone in its line");
		goto out;
	}
	if (!json_is_integer(sleep) || json_integer_value(sleep) < 0 ||
	    json_integer_value(sleep) > SCRIPT_SLEEP_MAX_MS) {
		snprintf(err, err_len, "sleep_ms: must be a whole number from 0 to %d",
			 SCRIPT_SLEEP_MAX_MS);
		goto out;
	}
	out->kind = SCRIPT_SLEEP;
	out->sleep_ms = json_integer_value(sleep);
	ret = 0;
out:
	json_decref(root);
	return ret;
}
