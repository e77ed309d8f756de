/* SPDX-License-Identifier: MIT */
/*
 * Status payloads (see status.h): the common fields come from
 * event_status_encode, the sensord-specific field is added with jansson.
 */
#include "status.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include <siteboard/event.h>

/* Encode the DESIGN.md status, parse it back, let add() extend it, dump it. */
static int build(bool online, const char *fw, int (*add)(json_t *obj, const void *arg),
		 const void *arg, char *buf, size_t n)
{
	struct event_status st;
	char base[256];
	json_t *obj = NULL;
	char *out = NULL;
	int ret = -EINVAL;
	int len;

	memset(&st, 0, sizeof(st));
	st.online = online;
	st.battery_pct = -1;
	if (online && fw) {
		if (strlen(fw) > EVENT_FW_MAX)
			return -EINVAL;
		snprintf(st.fw, sizeof(st.fw), "%s", fw);
	}
	len = event_status_encode(&st, base, sizeof(base));
	if (len < 0)
		return len;
	obj = json_loadb(base, (size_t)len, 0, NULL);
	if (!obj || add(obj, arg) < 0)
		goto out;
	out = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (!out) {
		ret = -ENOMEM;
		goto out;
	}
	if (strlen(out) >= n) {
		ret = -ENOSPC;
		goto out;
	}
	memcpy(buf, out, strlen(out) + 1);
	ret = (int)strlen(out);
out:
	free(out);
	json_decref(obj);
	return ret;
}

static int add_gateway(json_t *obj, const void *arg)
{
	return json_object_set_new(obj, "gateway", json_string(arg));
}

struct sensor_list {
	const char *const *ids;
	size_t n;
};

static int add_sensors(json_t *obj, const void *arg)
{
	const struct sensor_list *l = arg;
	json_t *a = json_array();

	if (!a)
		return -1;
	for (size_t i = 0; i < l->n; i++) {
		if (json_array_append_new(a, json_string(l->ids[i])) < 0) {
			json_decref(a);
			return -1;
		}
	}
	return json_object_set_new(obj, "sensors", a);
}

int status_sensor_json(bool online, const char *fw, const char *gateway, char *buf, size_t n)
{
	if (!gateway)
		return -EINVAL;
	return build(online, fw, add_gateway, gateway, buf, n);
}

int status_gateway_json(bool online, const char *fw, const char *const *sensors, size_t n_sensors,
			char *buf, size_t n)
{
	struct sensor_list l = {sensors, n_sensors};

	return build(online, fw, add_sensors, &l, buf, n);
}
