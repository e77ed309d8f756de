/* SPDX-License-Identifier: MIT */
/*
 * The kiosk's MQTT client (the common client in siteboard/mqtt.h). It
 * subscribes to the block's board topic and hands every message, and every
 * connection change, to the main loop as an SDL user event; it never touches
 * the cache or the screen. It owns the kiosk status topic's last will.
 *
 * Threads: mqttc_open, mqttc_publish and mqttc_close are called from the
 * main thread; callbacks run on the client's network thread and only copy and push.
 */
#ifndef SITEBOARD_KIOSK_MQTTC_H
#define SITEBOARD_KIOSK_MQTTC_H

#include <stddef.h>
#include <stdint.h>

/* event.user.code of the events pushed with type mqttc_config.event_type */
enum mqttc_event {
	MQTTC_EV_CONNECTED = 1,    /* CONNACK accepted */
	MQTTC_EV_DISCONNECTED = 2, /* connection lost or refused, or connect failed */
	MQTTC_EV_SUBSCRIBED = 3,   /* SUBACK for the board topic */
	MQTTC_EV_MESSAGE = 4,      /* data1 is a struct mqttc_msg *, taken by the receiver (free()) */
};

/* One received message: payload copy, NUL-terminated for convenience. */
struct mqttc_msg {
	size_t len;
	char data[];
};

struct mqttc_config {
	const char *host; /* all strings borrowed for the duration of mqttc_open */
	int port;
	const char *username; /* optional */
	const char *password; /* optional */
	const char *cafile;   /* optional: TLS with this CA */
	const char *certfile; /* optional, with keyfile and cafile: TLS client certificate */
	const char *keyfile;
	const char *client_id;
	const char *board_topic;  /* subscribed QoS 1 */
	const char *status_topic; /* optional: last will {"state":"offline"} retained QoS 1 */
	uint32_t event_type;      /* from SDL_RegisterEvents */
	int wake_fd;              /* optional (-1): one byte written after each pushed event */
};

struct mqttc;

/*
 * Start connecting in the background, over siteboard/mqtt.h (retries from
 * the first attempt, every address of the host, 0.5..30 s backoff). Returns
 * without waiting for the broker.
 * @retval 0 and *out set, -EINVAL bad config (logged), -ENOMEM, -EIO (logged)
 */
int mqttc_open(const struct mqttc_config *cfg, struct mqttc **out);

/*
 * Publish payload (copied) retained at QoS 1 on the status topic.
 * @retval 0, -ENOTCONN, -EIO
 */
int mqttc_publish_status(struct mqttc *m, const char *payload);

/*
 * Publish final_status (if not NULL and connected) on the status topic,
 * wait up to 1 s for it to be acknowledged, disconnect and stop. NULL m is fine.
 */
void mqttc_close(struct mqttc *m, const char *final_status);

#endif
