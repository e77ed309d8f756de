/* SPDX-License-Identifier: MIT */
/*
 * A sensor gateway's status (docs/sensord.md, "Status and last will"). One
 * MQTT connection has one last will, so siteboard-sensord publishes its
 * will on its own status topic, siteboard/<site>/<block>/sensor/<gateway>/
 * status, listing the sensors it serves: {"state":"offline","sensors":[...]}.
 * The gateway is not a registered sensor; ingest reads such a status as the
 * same status of every listed sensor (those registered in that block).
 *
 * Only parses the list: state, fw and battery stay event_status_decode's.
 * Pure; any thread.
 */
#ifndef SERVER_GATEWAY_H
#define SERVER_GATEWAY_H

#include <stddef.h>

#include "siteboard/topic.h"

#define GATEWAY_MAX_SENSORS 64 /* sensors one gateway status may list */

struct gateway_list {
	size_t n;
	char sensors[GATEWAY_MAX_SENSORS][TOPIC_ID_MAX + 1];
};

/*
 * Read the "sensors" list of a status payload (len bytes, need not be
 * NUL-terminated) into *out; duplicates are listed once.
 * @retval 1 a gateway's status (it has "sensors"; the list may be empty)
 * @retval 0 not a gateway's (no "sensors", or not JSON: left to the status decoder)
 * @retval -EINVAL "sensors" is not an array of sensor ids, or lists more than
 *         GATEWAY_MAX_SENSORS; err holds one line
 */
int gateway_list_parse(const char *payload, size_t len, struct gateway_list *out, char *err,
		       size_t err_len);

#endif
