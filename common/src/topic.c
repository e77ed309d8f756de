/* SPDX-License-Identifier: MIT */
/*
 * MQTT topic builders. The ids that go into a topic are checked here too, so
 * that no "+", "#" or "/" from outside can widen a subscription or a publish.
 */
#include "siteboard/topic.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

bool topic_id_valid(const char *id)
{
	size_t n;

	if (id == NULL)
		return false;
	n = strlen(id);
	if (n == 0 || n > TOPIC_ID_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = id[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
			return false;
	}
	return true;
}

static int build(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int build(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return len >= 0 && (size_t)len < n ? 0 : -ENOSPC;
}

int topic_board(char *buf, size_t n, const char *site, const char *block)
{
	if (!topic_id_valid(site) || !topic_id_valid(block))
		return -EINVAL;
	return build(buf, n, "siteboard/%s/%s/board", site, block);
}

int topic_kiosk_status(char *buf, size_t n, const char *site, const char *block, const char *kiosk)
{
	if (!topic_id_valid(site) || !topic_id_valid(block) || !topic_id_valid(kiosk))
		return -EINVAL;
	return build(buf, n, "siteboard/%s/%s/kiosk/%s/status", site, block, kiosk);
}

int topic_kiosk_cmd(char *buf, size_t n, const char *site, const char *block, const char *kiosk)
{
	if (!topic_id_valid(site) || !topic_id_valid(block) || !topic_id_valid(kiosk))
		return -EINVAL;
	return build(buf, n, "siteboard/%s/%s/kiosk/%s/cmd", site, block, kiosk);
}

int topic_sensor(char *buf, size_t n, const char *site, const char *block, const char *sensor,
		 const char *kind)
{
	if (!topic_id_valid(site) || !topic_id_valid(block) || !topic_id_valid(sensor) ||
	    kind == NULL ||
	    (strcmp(kind, "door") != 0 && strcmp(kind, "noise") != 0 && strcmp(kind, "status") != 0))
		return -EINVAL;
	return build(buf, n, "siteboard/%s/%s/sensor/%s/%s", site, block, sensor, kind);
}

int topic_alerts(char *buf, size_t n, const char *site)
{
	if (!topic_id_valid(site))
		return -EINVAL;
	return build(buf, n, "siteboard/%s/alerts", site);
}

int topic_all_boards(char *buf, size_t n, const char *site)
{
	if (!topic_id_valid(site))
		return -EINVAL;
	return build(buf, n, "siteboard/%s/+/board", site);
}
