/* SPDX-License-Identifier: MIT */
/*
 * MQTT topic names (DESIGN.md "MQTT topics"), built in one place so that no
 * program spells a topic by hand. Ids are [a-z0-9-]{1,40}.
 * Every builder writes into a caller's buffer of TOPIC_MAX bytes.
 * @retval 0, -EINVAL if an id is not valid, -ENOSPC if the buffer is short
 */
#ifndef SITEBOARD_TOPIC_H
#define SITEBOARD_TOPIC_H

#include <stdbool.h>
#include <stddef.h>

#define TOPIC_MAX 256
#define TOPIC_ID_MAX 40

/* True if id matches [a-z0-9-]{1,40}. NULL is not valid. */
bool topic_id_valid(const char *id);

/* siteboard/<site>/<block>/board */
int topic_board(char *buf, size_t n, const char *site, const char *block);
/* siteboard/<site>/<block>/kiosk/<kiosk>/status */
int topic_kiosk_status(char *buf, size_t n, const char *site, const char *block, const char *kiosk);
/* siteboard/<site>/<block>/kiosk/<kiosk>/cmd */
int topic_kiosk_cmd(char *buf, size_t n, const char *site, const char *block, const char *kiosk);
/* siteboard/<site>/<block>/sensor/<sensor>/<kind>; kind is door, noise or status */
int topic_sensor(char *buf, size_t n, const char *site, const char *block, const char *sensor,
		 const char *kind);
/* siteboard/<site>/alerts */
int topic_alerts(char *buf, size_t n, const char *site);
/* siteboard/<site>/+/board: every block's board, for subscribers */
int topic_all_boards(char *buf, size_t n, const char *site);

#endif
