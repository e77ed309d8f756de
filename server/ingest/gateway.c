/* SPDX-License-Identifier: MIT */
/*
 * The sensor list of a gateway's status (see gateway.h), with jansson.
 */
#include "ingest/gateway.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

int gateway_list_parse(const char *payload, size_t len, struct gateway_list *out, char *err,
		       size_t err_len)
{
	json_t *root = NULL;
	json_t *list, *v;
	size_t i;
	int ret = 0;

	out->n = 0;
	root = json_loadb(payload, len, JSON_REJECT_DUPLICATES, NULL);
	list = json_is_object(root) ? json_object_get(root, "sensors") : NULL;
	if (list == NULL)
		goto out;
	ret = -EINVAL;
	if (!json_is_array(list)) {
		snprintf(err, err_len, "sensors: must be a list of sensor ids");
		goto out;
	}
	if (json_array_size(list) > GATEWAY_MAX_SENSORS) {
		snprintf(err, err_len, "sensors: more than %d", GATEWAY_MAX_SENSORS);
		goto out;
	}
	json_array_foreach(list, i, v) {
		const char *id = json_string_value(v);
		bool seen = false;

		if (id == NULL || !topic_id_valid(id)) {
			snprintf(err, err_len, "sensors: item %zu is not a sensor id", i);
			goto out;
		}
		for (size_t j = 0; j < out->n && !seen; j++)
			seen = strcmp(out->sensors[j], id) == 0;
		if (!seen)
			snprintf(out->sensors[out->n++], sizeof(out->sensors[0]), "%s", id);
	}
	ret = 1;
out:
	if (ret < 0)
		out->n = 0;
	json_decref(root);
	return ret;
}
