/* SPDX-License-Identifier: MIT */
/*
 * MQTT publishing of boards (see publish.h), over the common client
 * (siteboard/mqtt.h), which owns connecting, reconnecting, subscribing and
 * the network thread. The count of unacknowledged messages is the only state
 * shared with that thread; it sits under p->mutex. The reconnect republish
 * runs under the store lock, so a change committed meanwhile is either in it
 * or published after it, never overtaken by an older board.
 */
#include "board/publish.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "siteboard/log.h"
#include "siteboard/mqtt.h"
#include "siteboard/sbtime.h"
#include "siteboard/topic.h"

/*
 * Messages (boards, alerts) handed to the client and not yet acknowledged
 * by the broker; past this publish_alert_outbox declines, and the rules keep
 * their alerts in the database instead of libmosquitto's unbounded queue.
 */
#define ALERTS_PENDING_MAX 1000

struct publish {
	struct mqtt *mqtt;
	struct store *store;
	char *site_id;
	pthread_mutex_t mutex;
	long pending;
	publish_message_fn on_message;
	void *message_ctx;
};

static void count_sent(struct publish *p)
{
	pthread_mutex_lock(&p->mutex);
	p->pending++;
	pthread_mutex_unlock(&p->mutex);
}

static int send_board(struct publish *p, const char *block, const char *json)
{
	char topic[TOPIC_MAX];
	size_t len = json != NULL ? strlen(json) : 0;
	int rc;

	if (topic_board(topic, sizeof(topic), p->site_id, block) < 0) {
		log_error("mqtt: no topic for block %s", block);
		return -EINVAL;
	}
	rc = mqtt_publish(p->mqtt, topic, json, len, 1, true);
	if (rc < 0) {
		log_warn("mqtt: publish to %s failed: %s", topic, strerror(-rc));
		return -EIO;
	}
	count_sent(p);
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

static void on_connect(void *ctx)
{
	struct publish *p = ctx;

	store_lock(p->store);
	if (store_block_foreach(p->store, republish_cb, p) != 0)
		log_error("mqtt: cannot read the boards to republish");
	store_unlock(p->store);
}

static void on_message(void *ctx, const struct mqtt_message *msg)
{
	struct publish *p = ctx;

	if (p->on_message != NULL)
		p->on_message(p->message_ctx, msg->topic, msg->payload, msg->len, msg->retain);
}

static void on_publish(void *ctx, int mid)
{
	struct publish *p = ctx;

	(void)mid;
	pthread_mutex_lock(&p->mutex);
	p->pending--;
	pthread_mutex_unlock(&p->mutex);
}

int publish_alert(void *ctx, const char *json)
{
	struct publish *p = ctx;
	char topic[TOPIC_MAX];
	int rc;

	if (!mqtt_connected(p->mqtt))
		return -ENOTCONN;
	if (topic_alerts(topic, sizeof(topic), p->site_id) < 0)
		return -EINVAL;
	rc = mqtt_publish(p->mqtt, topic, json, strlen(json), 1, false);
	if (rc < 0) {
		log_warn("mqtt: alert to %s failed: %s", topic, strerror(-rc));
		return rc == -ENOTCONN ? -ENOTCONN : -EIO;
	}
	count_sent(p);
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

	if (!mqtt_connected(p->mqtt)) {
		log_debug("mqtt: not connected; board of %s goes out on reconnect", block);
		return;
	}
	send_board(p, block, board_json);
}

int publish_open(const struct publish_options *opt, struct store *store, struct publish **out)
{
	struct publish *p = NULL;
	const char **subs = NULL;
	struct mqtt_options o = {0};
	int ret = -ENOMEM;

	*out = NULL;
	p = calloc(1, sizeof(*p));
	if (p == NULL)
		return -ENOMEM;
	pthread_mutex_init(&p->mutex, NULL);
	p->store = store;
	p->on_message = opt->on_message;
	p->message_ctx = opt->message_ctx;
	p->site_id = strdup(opt->site_id);
	if (p->site_id == NULL)
		goto out;
	if (opt->n_subscriptions > 0) {
		subs = calloc(opt->n_subscriptions, sizeof(*subs));
		if (subs == NULL)
			goto out;
		for (size_t i = 0; i < opt->n_subscriptions; i++)
			subs[i] = opt->subscriptions[i];
	}
	o.host = opt->host;
	o.port = opt->port;
	o.username = opt->username;
	o.password = opt->password;
	o.cafile = opt->cafile;
	o.certfile = opt->certfile;
	o.keyfile = opt->keyfile;
	o.client_id = opt->client_id;
	/* a persistent session when we subscribe, so nothing sent while we are down is lost */
	o.clean_session = opt->n_subscriptions == 0;
	o.subscriptions = subs;
	o.n_subscriptions = opt->n_subscriptions;
	o.cb = (struct mqtt_callbacks){.on_connect = on_connect,
				       .on_message = on_message,
				       .on_publish = on_publish,
				       .ctx = p};
	ret = mqtt_open(&o, &p->mqtt);
	if (ret < 0)
		goto out;
	*out = p;
	p = NULL;
out:
	free(subs);
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
	while (p->mqtt != NULL && mqtt_connected(p->mqtt) && sbtime_mono_ms() < deadline) {
		pthread_mutex_lock(&p->mutex);
		pending = p->pending;
		pthread_mutex_unlock(&p->mutex);
		if (pending <= 0)
			break;
		nanosleep(&ten_ms, NULL);
	}
	if (pending > 0)
		log_warn("mqtt: %ld boards unacknowledged at shutdown", pending);
	mqtt_close(p->mqtt);
	pthread_mutex_destroy(&p->mutex);
	free(p->site_id);
	free(p);
}
