/* SPDX-License-Identifier: MIT */
/*
 * Status payloads of sensord (docs/sensord.md "Status and last will"): the
 * DESIGN.md status message, plus "gateway" on each sensor's status and
 * "sensors" on the gateway's own status, which is where the last will sits.
 * Encoded with event_status_encode and jansson, never by hand.
 */
#ifndef SENSORD_STATUS_H
#define SENSORD_STATUS_H

#include <stdbool.h>
#include <stddef.h>

#define STATUS_MAX_BYTES 2048

/*
 * {"state":"online"|"offline","fw":"…","gateway":"<gateway id>"}
 * @retval length written, -EINVAL, -ENOSPC
 */
int status_sensor_json(bool online, const char *fw, const char *gateway, char *buf, size_t n);

/*
 * {"state":"online"|"offline","fw":"…","sensors":["gate-1",…]}
 * @retval length written, -EINVAL, -ENOSPC
 */
int status_gateway_json(bool online, const char *fw, const char *const *sensors, size_t n_sensors,
			char *buf, size_t n);

#endif
