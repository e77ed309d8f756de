/* SPDX-License-Identifier: MIT */
/*
 * Boards to MQTT (over the common client, siteboard/mqtt.h): connects in
 * the background and keeps reconnecting; on every successful (re)connect it
 * republishes every block's stored board, retained at QoS 1, so the broker
 * always holds exactly what the store committed. publish_board sends one
 * changed board (or clears a deleted block's retained board).
 *
 * Not for: building boards (boardgen) or deciding when to publish (api).
 * Threads: publish_board may be called from any thread holding the store
 * lock (the api does); the reconnect republish takes the store lock itself.
 */
#ifndef SITEBOARD_SERVER_PUBLISH_H
#define SITEBOARD_SERVER_PUBLISH_H

#include <stdbool.h>
#include <stddef.h>

#include "store/store.h"

/*
 * A received message (all borrowed for the call), on the network thread.
 * The QoS 1 PUBACK goes out after this returns, so a receiver that must not
 * lose what is acknowledged makes it durable before returning.
 */
typedef void (*publish_message_fn)(void *ctx, const char *topic, const void *payload,
				   size_t len, bool retained);

struct publish_options {
	const char *host;
	int port;
	const char *username; /* NULL: none */
	const char *password; /* NULL: none */
	const char *cafile;   /* NULL: plain TCP */
	const char *certfile; /* with keyfile: TLS client certificate (NULL: none) */
	const char *keyfile;
	const char *client_id;
	const char *site_id;
	/*
	 * Topic filters to subscribe to at QoS 1 on every connect (copied), and
	 * who receives the messages. With subscriptions the session is
	 * persistent (clean session off): the broker queues for us while we are
	 * away and redelivers what we did not acknowledge.
	 */
	char (*subscriptions)[256];
	size_t n_subscriptions;
	publish_message_fn on_message;
	void *message_ctx;
};

struct publish;

/*
 * Start connecting (all strings copied or borrowed for the call only; store
 * borrowed, must outlive the publish). Succeeds while the broker is down.
 * @retval 0 and *out set
 * @retval -EINVAL bad options (e.g. unreadable cafile; logged), -ENOMEM
 */
int publish_open(const struct publish_options *opt, struct store *store, struct publish **out);

/*
 * Publish block's board JSON (borrowed), or clear it when board_json is NULL.
 * The signature matches api_publish_fn with ctx a struct publish *.
 * While disconnected this does nothing: the reconnect republishes the store.
 */
void publish_board(void *ctx, const char *block, const char *board_json);

/*
 * Publish one alert (JSON, borrowed) on siteboard/<site>/alerts, QoS 1, not
 * retained. Signature matches rules_alert_fn with ctx a struct publish *.
 * @retval 0 the client took it, -ENOTCONN not connected (try again later), -EIO
 */
int publish_alert(void *ctx, const char *json);

/*
 * publish_alert for a sender that keeps its own outbox (the rules engine's
 * breach_audit): it also declines while 1000 messages await the broker's
 * acknowledgement, so a burst of alerts waits in the database rather than
 * in libmosquitto's unbounded memory queue.
 * @retval as publish_alert, and -EAGAIN (try again later)
 */
int publish_alert_outbox(void *ctx, const char *json);

/*
 * Wait up to timeout_ms for sent boards to be acknowledged, disconnect, stop
 * the thread and free. NULL is fine.
 */
void publish_close(struct publish *p, int timeout_ms);

#endif
