/* SPDX-License-Identifier: MIT */
/*
 * The broker lockdown commands of siteboard-server (docs/install-server.md):
 *   device add kiosk|sensor|sensord|server|bridge ID [--block B]
 *              [--sensors a,b] [--prefix P]
 *   device remove ID
 *   device list
 *   mqtt-acl DIR
 * "device add" registers a device with a new random password and prints
 * the INI lines for its config (the password is shown this once; only its
 * Mosquitto hash is stored). "mqtt-acl" writes DIR/passwd (Mosquitto's
 * password_file) and DIR/acl (acl_file) from the registered devices and the
 * server config's mapped bridges; a removed device is refused by the broker
 * once these are regenerated and the broker reloaded.
 *
 * Not for: the table (devices.c) or the hash (mqttpw.c).
 * Threads: main thread, before the server runs.
 */
#ifndef SITEBOARD_SERVER_DEVICECMD_H
#define SITEBOARD_SERVER_DEVICECMD_H

#include <stdbool.h>

#include "ingest/mapping.h"
#include "store/store.h"

/* Whether word names one of these commands ("device", "mqtt-acl"). */
bool devicecmd_is_command(const char *word);

/*
 * Run the command argv[0] ("device" or "mqtt-acl") with its arguments
 * (argv borrowed). site is the [site] id; map the config's mapped devices
 * (may be NULL), both borrowed.
 * @retval the exit status: 0, 1 (failure), 2 (bad arguments)
 */
int devicecmd_run(struct store *st, const char *site, const struct mapping *map, int argc,
		  char **argv);

#endif
