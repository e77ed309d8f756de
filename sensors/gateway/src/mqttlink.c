/* SPDX-License-Identifier: MIT */
/*
 * sensord's link (see mqttlink.h), over the common client
 * (siteboard/mqtt.h), which owns connecting and reconnecting. Its callbacks
 * only record events under the link's mutex and wake the owner. PUBACK mids
 * go into a bounded ring; if the owner falls that far behind, a lost mid
 * only means the row is published again later (a duplicate, never a loss).
 */
#include "mqttlink.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <siteboard/log.h>
#include <siteboard/mqtt.h>

#define ACK_RING 1024

struct mqttlink {
	struct mqtt *mqtt;
	int wake_fd;

	pthread_mutex_t lock; /* guards everything below */
	bool connected;
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

static void on_connect(void *ctx)
{
	struct mqttlink *l = ctx;

	pthread_mutex_lock(&l->lock);
	l->connected = true;
	l->generation++;
	pthread_mutex_unlock(&l->lock);
	wake(l);
}

static void on_disconnect(void *ctx)
{
	struct mqttlink *l = ctx;

	pthread_mutex_lock(&l->lock);
	l->connected = false;
	pthread_mutex_unlock(&l->lock);
	wake(l);
}

static void on_publish(void *ctx, int mid)
{
	struct mqttlink *l = ctx;

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

int mqttlink_open(const struct mqttlink_options *opt, struct mqttlink **out)
{
	struct mqttlink *l = NULL;
	struct mqtt_options o = {0};
	int ret;

	*out = NULL;
	if (!opt->host || !opt->client_id)
		return -EINVAL;
	l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	pthread_mutex_init(&l->lock, NULL);
	l->wake_fd = opt->wake_fd;
	o.host = opt->host;
	o.port = opt->port;
	o.username = opt->username;
	o.password = opt->password;
	o.cafile = opt->cafile;
	o.certfile = opt->certfile;
	o.keyfile = opt->keyfile;
	o.client_id = opt->client_id;
	o.clean_session = true;
	o.will_topic = opt->will_topic;
	o.will_payload = opt->will_payload;
	o.cb = (struct mqtt_callbacks){.on_connect = on_connect,
				       .on_disconnect = on_disconnect,
				       .on_publish = on_publish,
				       .ctx = l};
	ret = mqtt_open(&o, &l->mqtt);
	if (ret < 0)
		goto fail;
	*out = l;
	l = NULL;
fail:
	mqttlink_close(l);
	return ret;
}

int mqttlink_publish(struct mqttlink *l, const char *topic, const void *payload, size_t len,
		     bool retain, int *mid)
{
	int rc = mqtt_publish(l->mqtt, topic, payload, len, 1, retain);

	if (rc == -ENOTCONN)
		return -ENOTCONN;
	if (rc < 0)
		return -EIO;
	if (mid)
		*mid = rc;
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
	mqtt_close(l->mqtt);
	pthread_mutex_destroy(&l->lock);
	free(l);
}
