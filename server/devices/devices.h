/* SPDX-License-Identifier: MIT */
/*
 * The broker's clients, registered by "siteboard-server device add": one row
 * per device (table devices, migration 5) with its kind, block, the sensors
 * a sensord gateway speaks for, its MQTT user name and the Mosquitto hash of
 * its password (the password itself is shown once and never stored). The
 * broker's password_file and acl_file are generated from these rows
 * (devicecmd.c).
 *
 * Not for: checking outside input (devicecmd validates ids first).
 * Threads: callers hold store_lock around every call, open and close included.
 */
#ifndef SITEBOARD_SERVER_DEVICES_H
#define SITEBOARD_SERVER_DEVICES_H

#include <stdint.h>

#include "devices/mqttpw.h"
#include "store/store.h"

#define DEVICES_ID_MAX 41       /* [a-z0-9-]{1,40} and NUL */
#define DEVICES_USER_MAX 50     /* "<kind>-<id>" and NUL */
#define DEVICES_SENSORS_MAX 720 /* up to 16 comma-separated sensor ids and NUL */
#define DEVICES_PREFIX_MAX 101  /* a bridge's own topic prefix and NUL */

enum devices_kind {
	DEVICES_SERVER = 0, /* the site server itself */
	DEVICES_KIOSK,
	DEVICES_SENSOR,  /* one sensor that talks MQTT itself */
	DEVICES_SENSORD, /* a gateway publishing for the sensors it lists */
	DEVICES_BRIDGE,  /* Zigbee2MQTT, ESPHome, Tasmota, Shelly: the mapped topics */
};

/* One device. Strings are plain arrays; "" means none. */
struct device {
	char id[DEVICES_ID_MAX];
	enum devices_kind kind;
	char block[DEVICES_ID_MAX];
	char sensors[DEVICES_SENSORS_MAX];
	char prefix[DEVICES_PREFIX_MAX];
	char username[DEVICES_USER_MAX];
	char pwhash[MQTTPW_HASH_MAX];
	int64_t created_at; /* Unix ms */
};

struct devices;

/* "server", "kiosk", ... and back. parse: 0 or -EINVAL. */
const char *devices_kind_name(enum devices_kind kind);
int devices_kind_parse(const char *name, enum devices_kind *out);

/*
 * Prepare the statements on the store's connection (borrowed; must outlive
 * the handle). 0, -EIO (logged), -ENOMEM.
 */
int devices_open(struct store *st, struct devices **out);

/* NULL is fine. */
void devices_close(struct devices *d);

/* Add dev (borrowed). 0, -EEXIST (id or user name taken), -EIO. */
int devices_add(struct devices *d, const struct device *dev);

/* Revoke. 0, -ENOENT, -EIO. */
int devices_remove(struct devices *d, const char *id);

/*
 * Call fn for each device by kind, then id; dev is borrowed for the call. A
 * non-zero return from fn stops the walk and is returned. -EIO on a read error.
 */
typedef int (*devices_fn)(void *ctx, const struct device *dev);
int devices_foreach(struct devices *d, devices_fn fn, void *ctx);

#endif
