/* SPDX-License-Identifier: MIT */
/*
 * libmosquitto link (see mqttlink.h). The network thread runs
 * mosquitto_loop_forever and, when that returns without a connection,
 * reconnects itself after a growing delay: libmosquitto 2.0.11's loop never
 * retries when the very first connect fails. PUBACK mids go into a bounded
 * ring; if the owner falls that far behind, a lost mid only means the row
 * is published again later (a duplicate, never a loss).
 */
#include "mqttlink.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <mosquitto.h>

#include <siteboard/log.h>

#define KEEPALIVE_S 30
#define RECONNECT_MIN_S 1
#define RECONNECT_MAX_S 30
#define ACK_RING 1024

struct mqttlink {
	struct mosquitto *mosq;
	char *host;
	int port;
	int wake_fd;
	bool lib_init;
	bool thread_started;
	pthread_t thread;

	pthread_mutex_t lock; /* guards everything below */
	bool connected;
	bool stopping;
	unsigned generation;
	int acks[ACK_RING];
	size_t ack_head, ack_len;
	unsigned long acks_lost;
};

static void wake(struct mqttlink *l)
{
	char b = 1;
	ssize_t w;

	if (l->wake_fd < 0)
		return;
	w = write(l->wake_fd, &b, 1);
	(void)w; /* a full pipe already wakes the owner */
}

static void on_connect(struct mosquitto *mosq, void *obj, int rc)
{
	struct mqttlink *l = obj;

	(void)mosq;
	if (rc != 0) {
		log_warn("mqtt: %s:%d refused the connection: %s", l->host, l->port,
			 mosquitto_connack_string(rc));
		return;
	}
	log_info("mqtt: connected to %s:%d", l->host, l->port);
	pthread_mutex_lock(&l->lock);
	l->connected = true;
	l->generation++;
	pthread_mutex_unlock(&l->lock);
	wake(l);
}

static void on_disconnect(struct mosquitto *mosq, void *obj, int rc)
{
	struct mqttlink *l = obj;

	(void)mosq;
	pthread_mutex_lock(&l->lock);
	l->connected = false;
	pthread_mutex_unlock(&l->lock);
	if (rc != 0)
		log_warn("mqtt: connection to %s:%d lost; readings are queued on disk meanwhile",
			 l->host, l->port);
	wake(l);
}

static void on_publish(struct mosquitto *mosq, void *obj, int mid)
{
	struct mqttlink *l = obj;

	(void)mosq;
	pthread_mutex_lock(&l->lock);
	if (l->ack_len < ACK_RING) {
		l->acks[(l->ack_head + l->ack_len) % ACK_RING] = mid;
		l->ack_len++;
	} else {
		l->acks_lost++;
	}
	pthread_mutex_unlock(&l->lock);
	wake(l);
}

static bool is_stopping(struct mqttlink *l)
{
	bool s;

	pthread_mutex_lock(&l->lock);
	s = l->stopping;
	pthread_mutex_unlock(&l->lock);
	return s;
}

/* Sleep for seconds, waking early when mqttlink_close asks the thread to stop. */
static void nap(struct mqttlink *l, int seconds)
{
	struct timespec tick = {0, 100 * 1000 * 1000};

	for (int i = 0; i < seconds * 10 && !is_stopping(l); i++)
		nanosleep(&tick, NULL);
}

static void *network_thread(void *arg)
{
	struct mqttlink *l = arg;
	int delay = RECONNECT_MIN_S;
	bool warned = false;
	int rc;

	while (!is_stopping(l)) {
		/* returns only when not connected and not reconnecting by itself */
		rc = mosquitto_loop_forever(l->mosq, 1000, 1);
		if (is_stopping(l))
			break;
		log_debug("mqtt: network loop ended (%s), retrying in %d s", mosquitto_strerror(rc),
			  delay);
		nap(l, delay);
		if (is_stopping(l))
			break;
		rc = mosquitto_reconnect(l->mosq);
		if (rc == MOSQ_ERR_SUCCESS) {
			delay = RECONNECT_MIN_S;
			warned = false;
			continue;
		}
		if (!warned)
			log_warn("mqtt: cannot reach %s:%d (%s); readings are queued on disk, "
				 "retrying every %d s at most",
				 l->host, l->port,
				 rc == MOSQ_ERR_ERRNO ? strerror(errno) : mosquitto_strerror(rc),
				 RECONNECT_MAX_S);
		warned = true;
		if (delay < RECONNECT_MAX_S)
			delay = delay * 2 < RECONNECT_MAX_S ? delay * 2 : RECONNECT_MAX_S;
	}
	return NULL;
}

int mqttlink_open(const struct mqttlink_options *opt, struct mqttlink **out)
{
	struct mqttlink *l = NULL;
	int ret = -ENOMEM;
	int rc;

	*out = NULL;
	if (!opt->host || !opt->client_id)
		return -EINVAL;
	l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	pthread_mutex_init(&l->lock, NULL);
	l->wake_fd = opt->wake_fd;
	l->port = opt->port;
	l->host = strdup(opt->host);
	if (!l->host)
		goto fail;
	mosquitto_lib_init();
	l->lib_init = true;
	l->mosq = mosquitto_new(opt->client_id, true, l);
	if (!l->mosq)
		goto fail;
	ret = -EINVAL;
	mosquitto_threaded_set(l->mosq, true);
	mosquitto_connect_callback_set(l->mosq, on_connect);
	mosquitto_disconnect_callback_set(l->mosq, on_disconnect);
	mosquitto_publish_callback_set(l->mosq, on_publish);
	mosquitto_reconnect_delay_set(l->mosq, RECONNECT_MIN_S, RECONNECT_MAX_S, true);
	if (opt->username) {
		rc = mosquitto_username_pw_set(l->mosq, opt->username, opt->password);
		if (rc != MOSQ_ERR_SUCCESS) {
			log_error("mqtt: username: %s", mosquitto_strerror(rc));
			goto fail;
		}
	}
	if (opt->cafile) {
		rc = mosquitto_tls_set(l->mosq, opt->cafile, NULL, opt->certfile, opt->keyfile,
				       NULL);
		if (rc != MOSQ_ERR_SUCCESS) {
			log_error("mqtt: cafile %s: %s", opt->cafile, mosquitto_strerror(rc));
			goto fail;
		}
	}
	if (opt->will_topic) {
		rc = mosquitto_will_set(l->mosq, opt->will_topic, (int)strlen(opt->will_payload),
					opt->will_payload, 1, true);
		if (rc != MOSQ_ERR_SUCCESS) {
			log_error("mqtt: last will: %s", mosquitto_strerror(rc));
			goto fail;
		}
	}
	rc = mosquitto_connect_async(l->mosq, opt->host, opt->port, KEEPALIVE_S);
	if (rc != MOSQ_ERR_SUCCESS)
		log_warn("mqtt: cannot connect to %s:%d yet (%s); readings are queued on disk, "
			 "retrying",
			 opt->host, opt->port,
			 rc == MOSQ_ERR_ERRNO ? strerror(errno) : mosquitto_strerror(rc));
	if (pthread_create(&l->thread, NULL, network_thread, l) != 0) {
		log_error("mqtt: cannot start the network thread");
		ret = -ENOMEM;
		goto fail;
	}
	l->thread_started = true;
	*out = l;
	l = NULL;
	ret = 0;
fail:
	mqttlink_close(l);
	return ret;
}

int mqttlink_publish(struct mqttlink *l, const char *topic, const void *payload, size_t len,
		     bool retain, int *mid)
{
	bool connected;
	int rc;

	pthread_mutex_lock(&l->lock);
	connected = l->connected;
	pthread_mutex_unlock(&l->lock);
	if (!connected)
		return -ENOTCONN;
	rc = mosquitto_publish(l->mosq, mid, topic, (int)len, payload, 1, retain);
	if (rc == MOSQ_ERR_NO_CONN)
		return -ENOTCONN;
	if (rc != MOSQ_ERR_SUCCESS) {
		log_warn("mqtt: publish to %s: %s", topic, mosquitto_strerror(rc));
		return -EIO;
	}
	return 0;
}

size_t mqttlink_take(struct mqttlink *l, bool *connected, unsigned *generation, int *acks,
		     size_t max)
{
	size_t n = 0;
	unsigned long lost;

	pthread_mutex_lock(&l->lock);
	*connected = l->connected;
	*generation = l->generation;
	while (n < max && l->ack_len > 0) {
		acks[n++] = l->acks[l->ack_head];
		l->ack_head = (l->ack_head + 1) % ACK_RING;
		l->ack_len--;
	}
	lost = l->acks_lost;
	l->acks_lost = 0;
	pthread_mutex_unlock(&l->lock);
	if (lost > 0)
		log_warn("mqtt: %lu PUBACKs arrived faster than they were handled; those readings "
			 "will be sent again",
			 lost);
	return n;
}

void mqttlink_close(struct mqttlink *l)
{
	if (!l)
		return;
	pthread_mutex_lock(&l->lock);
	l->stopping = true;
	pthread_mutex_unlock(&l->lock);
	if (l->mosq) {
		/* makes loop_forever return once the DISCONNECT is out */
		mosquitto_disconnect(l->mosq);
		if (l->thread_started)
			pthread_join(l->thread, NULL);
		mosquitto_destroy(l->mosq);
	}
	if (l->lib_init)
		mosquitto_lib_cleanup();
	pthread_mutex_destroy(&l->lock);
	free(l->host);
	free(l);
}
