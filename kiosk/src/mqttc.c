/* SPDX-License-Identifier: MIT */
/*
 * The kiosk's MQTT client (see mqttc.h), over the common client
 * (siteboard/mqtt.h), which owns connecting, reconnecting and the network
 * thread. Its callbacks copy each board message into a bounded buffer
 * (BOARD_MAX_BYTES) and push it to the SDL event queue; decoding, caching
 * and drawing happen on the main thread. Not for anything but the board and
 * status topics.
 */
#include "mqttc.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <SDL.h>

#include <siteboard/board.h>
#include <siteboard/log.h>
#include <siteboard/mqtt.h>

struct mqttc {
	struct mqtt *mqtt;
	char *board_topic;
	char *status_topic;
	uint32_t event_type;
	int wake_fd;

	pthread_mutex_t lock; /* guards the fields below */
	pthread_cond_t cond;
	int final_mid;
	bool final_done;
};

static void push(struct mqttc *m, int code, void *data)
{
	SDL_Event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = m->event_type;
	ev.user.code = code;
	ev.user.data1 = data;
	if (SDL_PushEvent(&ev) != 1) {
		log_warn("event queue full, MQTT event dropped");
		free(data);
		return;
	}
	if (m->wake_fd >= 0) {
		char b = 1;
		ssize_t w = write(m->wake_fd, &b, 1);

		(void)w; /* a full pipe already wakes the main loop */
	}
}

static void on_connect(void *ctx)
{
	log_info("connected to the broker"); /* a documented line (docs/kiosk.md) */
	push(ctx, MQTTC_EV_CONNECTED, NULL);
}

static void on_disconnect(void *ctx)
{
	struct mqttc *m = ctx;

	pthread_mutex_lock(&m->lock);
	pthread_cond_broadcast(&m->cond);
	pthread_mutex_unlock(&m->lock);
	push(m, MQTTC_EV_DISCONNECTED, NULL);
}

static void on_subscribe(void *ctx)
{
	push(ctx, MQTTC_EV_SUBSCRIBED, NULL);
}

static void on_message(void *ctx, const struct mqtt_message *msg)
{
	struct mqttc *m = ctx;
	struct mqttc_msg *copy = NULL;

	if (strcmp(msg->topic, m->board_topic) != 0)
		return;
	if (msg->len == 0) {
		log_info("empty board message ignored");
		return;
	}
	if (msg->len > BOARD_MAX_BYTES) {
		log_warn("board message of %zu bytes ignored (limit %d)", msg->len,
			 BOARD_MAX_BYTES);
		return;
	}
	copy = malloc(sizeof(*copy) + msg->len + 1);
	if (!copy) {
		log_error("out of memory for a board message");
		return;
	}
	copy->len = msg->len;
	memcpy(copy->data, msg->payload, msg->len);
	copy->data[msg->len] = '\0';
	push(m, MQTTC_EV_MESSAGE, copy);
}

static void on_publish(void *ctx, int mid)
{
	struct mqttc *m = ctx;

	pthread_mutex_lock(&m->lock);
	if (m->final_mid && mid == m->final_mid) {
		m->final_done = true;
		pthread_cond_broadcast(&m->cond);
	}
	pthread_mutex_unlock(&m->lock);
}

int mqttc_open(const struct mqttc_config *cfg, struct mqttc **out)
{
	struct mqttc *m = NULL;
	struct mqtt_options o = {0};
	int rc;

	if (!cfg->host || !cfg->board_topic || !cfg->client_id)
		return -EINVAL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	pthread_mutex_init(&m->lock, NULL);
	pthread_cond_init(&m->cond, NULL);
	m->event_type = cfg->event_type;
	m->wake_fd = cfg->wake_fd;
	m->board_topic = strdup(cfg->board_topic);
	m->status_topic = cfg->status_topic ? strdup(cfg->status_topic) : NULL;
	if (!m->board_topic || (cfg->status_topic && !m->status_topic)) {
		rc = -ENOMEM;
		goto fail;
	}
	o.host = cfg->host;
	o.port = cfg->port;
	o.username = cfg->username;
	o.password = cfg->password;
	o.cafile = cfg->cafile;
	o.certfile = cfg->certfile;
	o.keyfile = cfg->keyfile;
	o.client_id = cfg->client_id;
	o.clean_session = true;
	o.will_topic = m->status_topic;
	o.will_payload = "{\"state\":\"offline\"}";
	o.subscriptions = (const char *const *)&m->board_topic;
	o.n_subscriptions = 1;
	o.cb = (struct mqtt_callbacks){.on_connect = on_connect,
				       .on_disconnect = on_disconnect,
				       .on_subscribe = on_subscribe,
				       .on_message = on_message,
				       .on_publish = on_publish,
				       .ctx = m};
	rc = mqtt_open(&o, &m->mqtt);
	if (rc < 0)
		goto fail;
	*out = m;
	return 0;
fail:
	mqttc_close(m, NULL);
	return rc;
}

int mqttc_publish_status(struct mqttc *m, const char *payload)
{
	int rc;

	if (!m || !m->status_topic)
		return -EINVAL;
	rc = mqtt_publish(m->mqtt, m->status_topic, payload, strlen(payload), 1, true);
	if (rc == -ENOTCONN)
		return -ENOTCONN;
	return rc < 0 ? -EIO : 0;
}

/* Publish final_status and wait up to 1 s for its PUBACK (or the connection to drop). */
static void publish_final(struct mqttc *m, const char *final_status)
{
	struct timespec until;
	int mid;

	pthread_mutex_lock(&m->lock);
	mid = mqtt_publish(m->mqtt, m->status_topic, final_status, strlen(final_status), 1,
			   true);
	if (mid > 0) {
		m->final_mid = mid;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 1;
		while (!m->final_done && mqtt_connected(m->mqtt))
			if (pthread_cond_timedwait(&m->cond, &m->lock, &until) != 0)
				break;
	}
	pthread_mutex_unlock(&m->lock);
}

void mqttc_close(struct mqttc *m, const char *final_status)
{
	if (!m)
		return;
	if (m->mqtt && final_status && m->status_topic && mqtt_connected(m->mqtt))
		publish_final(m, final_status);
	mqtt_close(m->mqtt);
	pthread_cond_destroy(&m->cond);
	pthread_mutex_destroy(&m->lock);
	free(m->board_topic);
	free(m->status_topic);
	free(m);
}
