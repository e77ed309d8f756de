/* SPDX-License-Identifier: MIT */
/*
 * Off-the-shelf sensors mapped to registered sensor ids by the server's
 * config (docs/server.md): the [zigbee2mqtt], [esphome], [tasmota] and
 * [shelly] sections, whose keys are device names. Loading is a second INI
 * pass over the same file (config_load accepts these sections with a "*"
 * key and leaves them to this module). Decoding turns one of their MQTT
 * messages into door states and availability, validated here, at the edge.
 *
 * Not for: storing anything (ingest) or the native siteboard payloads (event.h).
 * Threads: a loaded mapping is immutable; decode may run on any thread.
 */
#ifndef SITEBOARD_SERVER_MAPPING_H
#define SITEBOARD_SERVER_MAPPING_H

#include <stdbool.h>
#include <stddef.h>

#define MAPPING_MAX 1024      /* mapped devices across all sections */
#define MAPPING_NAME_MAX 100  /* device name / topic part length */

struct mapping;

/* What one mapped message says about one sensor. */
struct mapping_msg {
	const char *sensor; /* the mapped sensor id (borrowed from the mapping) */
	const char *family; /* "zigbee2mqtt", "esphome", "tasmota", "shelly" */
	bool has_door;      /* a door state is reported */
	bool open;
	int online;         /* 1, 0, or -1 when not reported */
	int battery_pct;    /* 0..100, or -1 when not reported */
};

/* Called for each sensor a message concerns; the message is borrowed for the call. */
typedef void (*mapping_fn)(void *ctx, const struct mapping_msg *msg);

/*
 * Read the mapping sections of the INI file at path (the rest of the file is
 * ignored). A file without them gives an empty mapping.
 * @retval 0 and *out set (free with mapping_free)
 * @retval -ENOENT cannot open, -EINVAL bad section content (err: one line
 *         "FILE:LINE: ..."), -ENOMEM
 */
int mapping_load(const char *path, struct mapping **out, char *err, size_t err_len);

/*
 * The same from INI text in memory (for tests and the fuzz target); name is
 * used in error lines.
 */
int mapping_load_string(const char *text, const char *name, struct mapping **out, char *err,
			size_t err_len);

/* NULL is fine. */
void mapping_free(struct mapping *m);

/* Number of mapped devices. */
size_t mapping_count(const struct mapping *m);

/*
 * The exact topics to subscribe to, deduplicated: fills up to max entries of
 * 256 bytes and returns how many there are in all.
 */
size_t mapping_subscriptions(const struct mapping *m, char (*topics)[256], size_t max);

/*
 * Decode one message (payload: len bytes, need not be NUL-terminated).
 * @retval number of sensors the topic concerns (fn called for each when the
 *         payload is valid), 0 if the topic is not mapped
 * @retval -EINVAL the topic is mapped but the payload is bad (err says why)
 */
int mapping_decode(const struct mapping *m, const char *topic, const char *payload, size_t len,
		   mapping_fn fn, void *ctx, char *err, size_t err_len);

#endif
