/* SPDX-License-Identifier: MIT */
/*
 * What the kiosk publishes on its status topic (DESIGN.md): the JSON payload
 * {"state":"online","version":...,"board_version":N,"shown_at":RFC3339,
 * "display":"on"|"off-by-schedule"}. The offline payload is the MQTT
 * client's last will and its final message.
 * Not for: sending it (loop.c through mqttc). Threads: any (pure).
 */
#ifndef SITEBOARD_KIOSK_STATUS_H
#define SITEBOARD_KIOSK_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STATUS_OFFLINE "{\"state\":\"offline\"}"
#define STATUS_BUFSZ 320

/*
 * Write the online payload: board_version (0: no board yet), shown_at_ms
 * (Unix ms, the last frame presented), screen_off (blanked by schedule).
 * @retval 0, -ENOSPC n < STATUS_BUFSZ, -EINVAL shown_at_ms negative
 */
int status_format(int64_t board_version, int64_t shown_at_ms, bool screen_off, char *buf,
		  size_t n);

#endif
