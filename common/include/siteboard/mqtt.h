/* SPDX-License-Identifier: MIT */
/*
 * The one MQTT client of siteboard (libmosquitto under our own network
 * thread), used by the server, siteboard-sensord and the kiosk. It connects
 * with retry from the very first attempt (a broker that is down at start is
 * not an error), tries every address the broker's name resolves to, and
 * reconnects with a bounded backoff (0.5 s doubling to 30 s, reset when a
 * connection is accepted). On every accepted connection it re-makes the
 * subscriptions, then tells the owner.
 *
 * Not for: topics, payloads or queues (those belong to the programs); it
 * queues nothing while disconnected (mqtt_publish returns -ENOTCONN).
 *
 * Threads: mqtt_open and mqtt_close are called from the owner's thread;
 * mqtt_publish and mqtt_connected from any thread. Every callback runs on
 * the network thread, one at a time, and must not block: it copies what it
 * needs and hands it to the owner's thread (the kiosk with SDL_PushEvent,
 * sensord into a ring read by its loop, the server under its store lock).
 * A callback may call mqtt_publish; it must never call mqtt_close.
 */
#ifndef SITEBOARD_MQTT_H
#define SITEBOARD_MQTT_H

#include <stdbool.h>
#include <stddef.h>

/* One received message, all borrowed for the duration of the callback only. */
struct mqtt_message {
	const char *topic;
	const void *payload; /* len bytes, not NUL-terminated */
	size_t len;
	int qos;
	bool retain;
};

struct mqtt_callbacks {
	/* CONNACK accepted; subscriptions already sent. mqtt_publish works here. */
	void (*on_connect)(void *ctx);
	/* A connection was lost, or (once per outage) the broker could not be reached. */
	void (*on_disconnect)(void *ctx);
	/* The broker answered the subscriptions made on this connection. */
	void (*on_subscribe)(void *ctx);
	/* A message on a subscribed topic. QoS 1's PUBACK goes out after this returns. */
	void (*on_message)(void *ctx, const struct mqtt_message *msg);
	/* The broker acknowledged the QoS 1/2 message mqtt_publish returned mid for. */
	void (*on_publish)(void *ctx, int mid);
	void *ctx; /* borrowed, passed to every callback */
};

struct mqtt_options {
	const char *host; /* all strings copied or used during mqtt_open only */
	int port;
	const char *username; /* NULL: none; [mqtt] username */
	const char *password; /* NULL: none; [mqtt] password */
	const char *cafile;   /* NULL: plain TCP; [mqtt] cafile */
	const char *certfile; /* with keyfile and cafile: TLS client certificate */
	const char *keyfile;
	const char *client_id;
	/* false: a persistent session, the broker keeps our subscriptions' messages */
	bool clean_session;
	const char *will_topic; /* NULL: no last will; else retained, QoS 1 */
	const char *will_payload;
	/* topic filters subscribed at QoS 1 on every connect (copied) */
	const char *const *subscriptions;
	size_t n_subscriptions;
	struct mqtt_callbacks cb;
};

struct mqtt;

/*
 * Start the network thread, which starts connecting. Returns without
 * waiting for the broker.
 * @retval 0 and *out set (close with mqtt_close)
 * @retval -EINVAL missing host or client id, bad credentials, unreadable TLS files (logged)
 * @retval -ENOMEM
 */
int mqtt_open(const struct mqtt_options *opt, struct mqtt **out);

/*
 * Publish len bytes of payload (copied) on topic. Any thread.
 * @retval >0 the message id (1..65535, also for QoS 0), matched by on_publish
 * @retval -ENOTCONN not connected: nothing is queued, the caller keeps it
 * @retval -EINVAL bad topic, QoS or size
 * @retval -EIO any other libmosquitto failure (logged)
 */
int mqtt_publish(struct mqtt *m, const char *topic, const void *payload, size_t len, int qos,
		 bool retain);

/* Whether a CONNACK was accepted and the connection has not been lost since. Any thread. */
bool mqtt_connected(struct mqtt *m);

/*
 * Disconnect cleanly (the broker does not send the last will), stop and join
 * the network thread, free. Unacknowledged messages are dropped. NULL is fine.
 * Owner's thread only, never from a callback.
 */
void mqtt_close(struct mqtt *m);

#endif
