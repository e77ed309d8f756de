/* SPDX-License-Identifier: MIT */
/*
 * libmosquitto client for the kiosk (see mqttc.h). The network thread copies
 * each board message into a bounded buffer (BOARD_MAX_BYTES) and pushes it
 * to the SDL event queue; decoding, caching and drawing happen on the main
 * thread. Not for anything but the board and status topics.
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
#include <mosquitto.h>

#include <siteboard/board.h>
#include <siteboard/log.h>

struct mqttc {
	struct mosquitto *mosq;
	char *board_topic;
	char *status_topic;
	uint32_t event_type;
	int wake_fd;
	int sub_mid;
	bool started;

	pthread_mutex_t lock; /* guards the fields below */
	pthread_cond_t cond;
	bool connected;
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

static void on_connect(struct mosquitto *mosq, void *obj, int rc)
{
	struct mqttc *m = obj;
	int mid = 0;

	if (rc != 0) {
		log_warn("broker refused the connection: %s", mosquitto_connack_string(rc));
		push(m, MQTTC_EV_DISCONNECTED, NULL);
		return;
	}
	log_info("connected to the broker");
	pthread_mutex_lock(&m->lock);
	m->connected = true;
	pthread_mutex_unlock(&m->lock);
	if (mosquitto_subscribe(mosq, &mid, m->board_topic, 1) != MOSQ_ERR_SUCCESS)
		log_error("cannot subscribe to %s", m->board_topic);
	m->sub_mid = mid;
	push(m, MQTTC_EV_CONNECTED, NULL);
}

static void on_disconnect(struct mosquitto *mosq, void *obj, int rc)
{
	struct mqttc *m = obj;

	(void)mosq;
	pthread_mutex_lock(&m->lock);
	m->connected = false;
	pthread_cond_broadcast(&m->cond);
	pthread_mutex_unlock(&m->lock);
	if (rc != 0)
		log_warn("lost the broker connection: %s", mosquitto_strerror(rc));
	push(m, MQTTC_EV_DISCONNECTED, NULL);
}

static void on_subscribe(struct mosquitto *mosq, void *obj, int mid, int qos_count,
			 const int *granted)
{
	struct mqttc *m = obj;

	(void)mosq;
	if (mid != m->sub_mid)
		return;
	if (qos_count < 1 || granted[0] > 2)
		log_error("subscription to %s refused by the broker", m->board_topic);
	push(m, MQTTC_EV_SUBSCRIBED, NULL);
}

static void on_message(struct mosquitto *mosq, void *obj, const struct mosquitto_message *msg)
{
	struct mqttc *m = obj;
	struct mqttc_msg *copy = NULL;
	size_t len;

	(void)mosq;
	if (!msg->topic || strcmp(msg->topic, m->board_topic) != 0)
		return;
	if (msg->payloadlen <= 0) {
		log_info("empty board message ignored");
		return;
	}
	len = (size_t)msg->payloadlen;
	if (len > BOARD_MAX_BYTES) {
		log_warn("board message of %zu bytes ignored (limit %d)", len, BOARD_MAX_BYTES);
		return;
	}
	copy = malloc(sizeof(*copy) + len + 1);
	if (!copy) {
		log_error("out of memory for a board message");
		return;
	}
	copy->len = len;
	memcpy(copy->data, msg->payload, len);
	copy->data[len] = '\0';
	push(m, MQTTC_EV_MESSAGE, copy);
}

static void on_publish(struct mosquitto *mosq, void *obj, int mid)
{
	struct mqttc *m = obj;

	(void)mosq;
	pthread_mutex_lock(&m->lock);
	if (m->final_mid && mid == m->final_mid) {
		m->final_done = true;
		pthread_cond_broadcast(&m->cond);
	}
	pthread_mutex_unlock(&m->lock);
}

static void on_log(struct mosquitto *mosq, void *obj, int level, const char *str)
{
	(void)mosq;
	(void)obj;
	if (level == MOSQ_LOG_ERR)
		log_debug("mosquitto: %s", str);
}

int mqttc_open(const struct mqttc_config *cfg, struct mqttc **out)
{
	static const char offline[] = "{\"state\":\"offline\"}";
	struct mqttc *m = NULL;
	int rc = -EIO, mrc;

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
	mosquitto_lib_init();
	m->mosq = mosquitto_new(cfg->client_id, true, m);
	if (!m->mosq) {
		rc = -ENOMEM;
		goto fail;
	}
	mosquitto_connect_callback_set(m->mosq, on_connect);
	mosquitto_disconnect_callback_set(m->mosq, on_disconnect);
	mosquitto_subscribe_callback_set(m->mosq, on_subscribe);
	mosquitto_message_callback_set(m->mosq, on_message);
	mosquitto_publish_callback_set(m->mosq, on_publish);
	mosquitto_log_callback_set(m->mosq, on_log);
	mosquitto_reconnect_delay_set(m->mosq, 1, 30, true);
	if (cfg->username &&
	    mosquitto_username_pw_set(m->mosq, cfg->username, cfg->password) != MOSQ_ERR_SUCCESS) {
		log_error("cannot set MQTT credentials");
		goto fail;
	}
	if (cfg->cafile) {
		mrc = mosquitto_tls_set(m->mosq, cfg->cafile, NULL, cfg->certfile, cfg->keyfile,
					NULL);
		if (mrc != MOSQ_ERR_SUCCESS) {
			log_error("cannot use cafile %s: %s", cfg->cafile, mosquitto_strerror(mrc));
			rc = -EINVAL;
			goto fail;
		}
	}
	if (m->status_topic &&
	    mosquitto_will_set(m->mosq, m->status_topic, (int)strlen(offline), offline, 1, true) !=
		    MOSQ_ERR_SUCCESS) {
		log_error("cannot set the last will");
		goto fail;
	}
	mrc = mosquitto_connect_async(m->mosq, cfg->host, cfg->port, 30);
	if (mrc != MOSQ_ERR_SUCCESS) {
		/* the network thread keeps retrying; tell the main loop now */
		log_warn("cannot reach the broker at %s:%d yet: %s", cfg->host, cfg->port,
			 mrc == MOSQ_ERR_ERRNO ? strerror(errno) : mosquitto_strerror(mrc));
		push(m, MQTTC_EV_DISCONNECTED, NULL);
	}
	mrc = mosquitto_loop_start(m->mosq);
	if (mrc != MOSQ_ERR_SUCCESS) {
		log_error("cannot start the MQTT thread: %s", mosquitto_strerror(mrc));
		goto fail;
	}
	m->started = true;
	*out = m;
	return 0;
fail:
	mqttc_close(m, NULL);
	return rc;
}

int mqttc_publish_status(struct mqttc *m, const char *payload)
{
	int mrc;

	if (!m || !m->status_topic)
		return -EINVAL;
	mrc = mosquitto_publish(m->mosq, NULL, m->status_topic, (int)strlen(payload), payload, 1,
				true);
	if (mrc == MOSQ_ERR_NO_CONN)
		return -ENOTCONN;
	if (mrc != MOSQ_ERR_SUCCESS) {
		log_warn("cannot publish status: %s", mosquitto_strerror(mrc));
		return -EIO;
	}
	return 0;
}

void mqttc_close(struct mqttc *m, const char *final_status)
{
	if (!m)
		return;
	if (m->mosq && m->started) {
		bool connected;

		pthread_mutex_lock(&m->lock);
		connected = m->connected;
		pthread_mutex_unlock(&m->lock);
		if (final_status && m->status_topic && connected) {
			int mid = 0;

			pthread_mutex_lock(&m->lock);
			if (mosquitto_publish(m->mosq, &mid, m->status_topic,
					      (int)strlen(final_status), final_status, 1,
					      true) == MOSQ_ERR_SUCCESS) {
				struct timespec until;

				m->final_mid = mid;
				clock_gettime(CLOCK_REALTIME, &until);
				until.tv_sec += 1;
				while (!m->final_done && m->connected)
					if (pthread_cond_timedwait(&m->cond, &m->lock, &until) != 0)
						break;
			}
			pthread_mutex_unlock(&m->lock);
		}
		mosquitto_disconnect(m->mosq);
		mosquitto_loop_stop(m->mosq, false);
	}
	if (m->mosq) {
		mosquitto_destroy(m->mosq);
		mosquitto_lib_cleanup();
	}
	pthread_cond_destroy(&m->cond);
	pthread_mutex_destroy(&m->lock);
	free(m->board_topic);
	free(m->status_topic);
	free(m);
}
