/* SPDX-License-Identifier: MIT */
/*
 * sensord's MQTT connection, over the common client (siteboard/mqtt.h):
 * connect with a last will, keep reconnecting for ever (including when the
 * very first attempt fails), publish at QoS 1, and hand connection changes
 * and PUBACK mids to the owner's thread.
 *
 * Threads: the common client's network thread only records events under
 * the link's mutex and writes a byte to wake_fd; everything else
 * (publishing, taking events) is called from the owner's thread.
 */
#ifndef SENSORD_MQTTLINK_H
#define SENSORD_MQTTLINK_H

#include <stdbool.h>
#include <stddef.h>

struct mqttlink_options {
	const char *host; /* all borrowed for the duration of mqttlink_open */
	int port;
	const char *username, *password, *cafile;
	const char *certfile, *keyfile; /* optional, with cafile: TLS client certificate */
	const char *client_id;
	const char *will_topic; /* retained, QoS 1 */
	const char *will_payload;
	int wake_fd; /* written to on every event; -1 for none */
};

struct mqttlink;

/*
 * Start connecting in the background. A broker that is down is not an
 * error: the link keeps trying (0.5 s, doubling to 30 s).
 * @retval 0, -ENOMEM, -EINVAL (bad TLS or credentials, logged)
 */
int mqttlink_open(const struct mqttlink_options *opt, struct mqttlink **out);

/*
 * Publish QoS 1 and set *mid (if not NULL).
 * @retval 0, -ENOTCONN (not connected: nothing queued), -EIO
 */
int mqttlink_publish(struct mqttlink *l, const char *topic, const void *payload, size_t len,
		     bool retain, int *mid);

/*
 * Events since the last call: *connected is the state now, *generation
 * counts connections made so far (a change means a new connection, even if
 * a disconnect came between), and up to max acknowledged mids are copied to
 * acks. Returns how many mids were copied; call again while it returns max.
 */
size_t mqttlink_take(struct mqttlink *l, bool *connected, unsigned *generation, int *acks,
		     size_t max);

/*
 * Disconnect cleanly (no will) and stop; NULL-safe. Messages not yet
 * acknowledged are abandoned: their rows stay queued on disk.
 */
void mqttlink_close(struct mqttlink *l);

#endif
