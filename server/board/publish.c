/* SPDX-License-Identifier: MIT */
/*
 * MQTT publishing of boards (see publish.h). The connected flag and the count
 * of unacknowledged boards are the only state shared with the mosquitto
 * thread; both sit under p->mutex. The reconnect republish runs under the
 * store lock, so a change committed meanwhile is either in it or published
 * after it, never overtaken by an older board.
 *
 * The network thread is ours rather than mosquitto_loop_start's: libmosquitto
 * 2.0's loop_forever gives up for good when the very first connection
 * attempt fails (broker not up yet), so the thread runs it again after a
 * growing delay until publish_close.
 */
#include "board/publish.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mosquitto.h>

#include "siteboard/log.h"
#include "siteboard/sbtime.h"
#include "siteboard/topic.h"

#define KEEPALIVE_S 30
#define RECONNECT_MIN_S 1
#define RECONNECT_MAX_S 30
/*
 * Messages (boards, alerts) handed to libmosquitto and not yet acknowledged
 * by the broker; past this publish_alert_outbox declines, and the rules keep
 * their alerts in the database instead of libmosquitto's unbounded queue.
 */
#define ALERTS_PENDING_MAX 1000

struct publish {
	struct mosquitto *mosq;
	struct store *store;
	char *site_id;
	char *host;
	int port;
	pthread_mutex_t mutex;
	bool connected;
	long pending;
	bool stopping;
	bool lib_init;
	bool thread_started;
	pthread_t thread;
	char **subs; /* topic filters, n_subs of them */
	int n_subs;
	publish_message_fn on_message;
	void *message_ctx;
};

static void set_connected(struct publish *p, bool connected)
{
	pthread_mutex_lock(&p->mutex);
	p->connected = connected;
	pthread_mutex_unlock(&p->mutex);
}

static bool is_connected(struct publish *p)
{
	bool c;

	pthread_mutex_lock(&p->mutex);
	c = p->connected;
	pthread_mutex_unlock(&p->mutex);
	return c;
}

static int send_board(struct publish *p, const char *block, const char *json)
{
	char topic[TOPIC_MAX];
	size_t len = json != NULL ? strlen(json) : 0;
	int mid = 0;
	int rc;

	if (topic_board(topic, sizeof(topic), p->site_id, block) < 0) {
		log_error("mqtt: no topic for block %s", block);
		return -EINVAL;
	}
	rc = mosquitto_publish(p->mosq, &mid, topic, (int)len, json, 1, true);
	if (rc != MOSQ_ERR_SUCCESS) {
		log_warn("mqtt: publish to %s failed: %s", topic, mosquitto_strerror(rc));
		return -EIO;
	}
	pthread_mutex_lock(&p->mutex);
	p->pending++;
	pthread_mutex_unlock(&p->mutex);
	log_debug("mqtt: published %s (%zu bytes)", topic, len);
	return 0;
}

static int republish_cb(void *ctx, const struct store_block *b, const char *board_json)
{
	struct publish *p = ctx;

	if (board_json != NULL)
		send_board(p, b->id, board_json);
	return 0;
}

static void on_connect(struct mosquitto *mosq, void *obj, int rc)
{
	struct publish *p = obj;

	(void)mosq;
	if (rc != 0) {
		log_warn("mqtt: %s:%d refused the connection: %s", p->host, p->port,
			 mosquitto_connack_string(rc));
		return;
	}
	log_info("mqtt: connected to %s:%d", p->host, p->port);
	if (p->n_subs > 0) {
		rc = mosquitto_subscribe_multiple(p->mosq, NULL, p->n_subs, p->subs, 1, 0, NULL);
		if (rc != MOSQ_ERR_SUCCESS)
			log_error("mqtt: cannot subscribe: %s", mosquitto_strerror(rc));
	}
	store_lock(p->store);
	set_connected(p, true);
	if (store_block_foreach(p->store, republish_cb, p) != 0)
		log_error("mqtt: cannot read the boards to republish");
	store_unlock(p->store);
}

static void on_message(struct mosquitto *mosq, void *obj, const struct mosquitto_message *msg)
{
	struct publish *p = obj;

	(void)mosq;
	if (p->on_message != NULL)
		p->on_message(p->message_ctx, msg->topic, msg->payload, (size_t)msg->payloadlen,
			      msg->retain);
}

static void on_disconnect(struct mosquitto *mosq, void *obj, int rc)
{
	struct publish *p = obj;

	(void)mosq;
	set_connected(p, false);
	if (rc != 0)
		log_warn("mqtt: connection to %s:%d lost, reconnecting", p->host, p->port);
}

static void on_publish(struct mosquitto *mosq, void *obj, int mid)
{
	struct publish *p = obj;

	(void)mosq;
	(void)mid;
	pthread_mutex_lock(&p->mutex);
	p->pending--;
	pthread_mutex_unlock(&p->mutex);
}

static bool is_stopping(struct publish *p)
{
	bool s;

	pthread_mutex_lock(&p->mutex);
	s = p->stopping;
	pthread_mutex_unlock(&p->mutex);
	return s;
}

/* Sleep for seconds, waking early when publish_close asks the thread to stop. */
static void nap(struct publish *p, int seconds)
{
	struct timespec tick = {0, 100 * 1000 * 1000};

	for (int i = 0; i < seconds * 10 && !is_stopping(p); i++)
		nanosleep(&tick, NULL);
}

static void *network_thread(void *arg)
{
	struct publish *p = arg;
	int delay = RECONNECT_MIN_S;
	bool warned = false;
	int rc;

	while (!is_stopping(p)) {
		/* returns only when not connected and not reconnecting by itself */
		rc = mosquitto_loop_forever(p->mosq, 1000, 1);
		if (is_stopping(p))
			break;
		log_debug("mqtt: network loop ended (%s), retrying in %d s",
			  mosquitto_strerror(rc), delay);
		nap(p, delay);
		if (is_stopping(p))
			break;
		rc = mosquitto_reconnect(p->mosq);
		if (rc == MOSQ_ERR_SUCCESS) {
			delay = RECONNECT_MIN_S;
			warned = false;
			continue;
		}
		/* Once per outage, so an operator sees why (DNS, refused), not a flood. */
		if (!warned)
			log_warn("mqtt: cannot reach %s:%d (%s); retrying every %d s at most", p->host,
				 p->port,
				 rc == MOSQ_ERR_ERRNO ? strerror(errno) : mosquitto_strerror(rc),
				 RECONNECT_MAX_S);
		warned = true;
		if (delay < RECONNECT_MAX_S)
			delay = delay * 2 < RECONNECT_MAX_S ? delay * 2 : RECONNECT_MAX_S;
	}
	return NULL;
}

int publish_alert(void *ctx, const char *json)
{
	struct publish *p = ctx;
	char topic[TOPIC_MAX];
	int rc;

	if (!is_connected(p))
		return -ENOTCONN;
	if (topic_alerts(topic, sizeof(topic), p->site_id) < 0)
		return -EINVAL;
	rc = mosquitto_publish(p->mosq, NULL, topic, (int)strlen(json), json, 1, false);
	if (rc != MOSQ_ERR_SUCCESS) {
		log_warn("mqtt: alert to %s failed: %s", topic, mosquitto_strerror(rc));
		return rc == MOSQ_ERR_NO_CONN ? -ENOTCONN : -EIO;
	}
	pthread_mutex_lock(&p->mutex);
	p->pending++;
	pthread_mutex_unlock(&p->mutex);
	log_debug("mqtt: alert %s", json);
	return 0;
}

int publish_alert_outbox(void *ctx, const char *json)
{
	struct publish *p = ctx;
	bool busy;

	pthread_mutex_lock(&p->mutex);
	busy = p->pending >= ALERTS_PENDING_MAX;
	pthread_mutex_unlock(&p->mutex);
	return busy ? -EAGAIN : publish_alert(ctx, json);
}

void publish_board(void *ctx, const char *block, const char *board_json)
{
	struct publish *p = ctx;

	if (!is_connected(p)) {
		log_debug("mqtt: not connected; board of %s goes out on reconnect", block);
		return;
	}
	send_board(p, block, board_json);
}

int publish_open(const struct publish_options *opt, struct store *store, struct publish **out)
{
	struct publish *p = NULL;
	int ret = -ENOMEM;
	int rc;

	*out = NULL;
	p = calloc(1, sizeof(*p));
	if (p == NULL)
		return -ENOMEM;
	pthread_mutex_init(&p->mutex, NULL);
	p->store = store;
	p->port = opt->port;
	p->site_id = strdup(opt->site_id);
	p->host = strdup(opt->host);
	if (p->site_id == NULL || p->host == NULL)
		goto out;
	if (opt->n_subscriptions > 0) {
		p->subs = calloc(opt->n_subscriptions, sizeof(*p->subs));
		if (p->subs == NULL)
			goto out;
		for (size_t i = 0; i < opt->n_subscriptions; i++) {
			p->subs[i] = strdup(opt->subscriptions[i]);
			if (p->subs[i] == NULL)
				goto out;
			p->n_subs++;
		}
	}
	p->on_message = opt->on_message;
	p->message_ctx = opt->message_ctx;
	mosquitto_lib_init();
	p->lib_init = true;
	/* a persistent session when we subscribe, so nothing sent while we are down is lost */
	p->mosq = mosquitto_new(opt->client_id, p->n_subs == 0, p);
	if (p->mosq == NULL)
		goto out;
	ret = -EINVAL;
	mosquitto_threaded_set(p->mosq, true);
	mosquitto_connect_callback_set(p->mosq, on_connect);
	mosquitto_disconnect_callback_set(p->mosq, on_disconnect);
	mosquitto_message_callback_set(p->mosq, on_message);
	mosquitto_publish_callback_set(p->mosq, on_publish);
	mosquitto_reconnect_delay_set(p->mosq, RECONNECT_MIN_S, RECONNECT_MAX_S, true);
	if (opt->username != NULL) {
		rc = mosquitto_username_pw_set(p->mosq, opt->username, opt->password);
		if (rc != MOSQ_ERR_SUCCESS) {
			log_error("mqtt: username: %s", mosquitto_strerror(rc));
			goto out;
		}
	}
	if (opt->cafile != NULL) {
		rc = mosquitto_tls_set(p->mosq, opt->cafile, NULL, opt->certfile, opt->keyfile,
				       NULL);
		if (rc != MOSQ_ERR_SUCCESS) {
			log_error("mqtt: cafile %s: %s", opt->cafile, mosquitto_strerror(rc));
			goto out;
		}
	}
	rc = mosquitto_connect_async(p->mosq, opt->host, opt->port, KEEPALIVE_S);
	if (rc != MOSQ_ERR_SUCCESS)
		log_warn("mqtt: cannot connect to %s:%d yet (%s), retrying", opt->host,
			 opt->port, rc == MOSQ_ERR_ERRNO ? strerror(errno) : mosquitto_strerror(rc));
	if (pthread_create(&p->thread, NULL, network_thread, p) != 0) {
		log_error("mqtt: cannot start the network thread");
		goto out;
	}
	p->thread_started = true;
	*out = p;
	p = NULL;
	ret = 0;
out:
	publish_close(p, 0);
	return ret;
}

void publish_close(struct publish *p, int timeout_ms)
{
	struct timespec ten_ms = {0, 10 * 1000 * 1000};
	int64_t deadline = sbtime_mono_ms() + timeout_ms;
	long pending = 0;

	if (p == NULL)
		return;
	while (is_connected(p) && sbtime_mono_ms() < deadline) {
		pthread_mutex_lock(&p->mutex);
		pending = p->pending;
		pthread_mutex_unlock(&p->mutex);
		if (pending <= 0)
			break;
		nanosleep(&ten_ms, NULL);
	}
	if (pending > 0)
		log_warn("mqtt: %ld boards unacknowledged at shutdown", pending);
	pthread_mutex_lock(&p->mutex);
	p->stopping = true;
	pthread_mutex_unlock(&p->mutex);
	if (p->mosq != NULL) {
		/* makes loop_forever return once the DISCONNECT is out */
		mosquitto_disconnect(p->mosq);
		if (p->thread_started)
			pthread_join(p->thread, NULL);
		mosquitto_destroy(p->mosq);
	}
	if (p->lib_init)
		mosquitto_lib_cleanup();
	pthread_mutex_destroy(&p->mutex);
	for (int i = 0; i < p->n_subs; i++)
		free(p->subs[i]);
	free(p->subs);
	free(p->site_id);
	free(p->host);
	free(p);
}
