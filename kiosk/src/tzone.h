/* SPDX-License-Identifier: MIT */
/*
 * The process's time zone (TZ), which sbrender's layout and screencare read
 * through localtime_r. setenv is not thread-safe against any other thread
 * reading the environment, so TZ is only ever set while the kiosk runs no
 * other thread: at start-up before the MQTT client starts, and when a board
 * brings another zone, between stopping the MQTT client and starting it again
 * (loop.c). tzone remembers the zone it set so that the loop can tell a
 * change.
 * Threads: tzone_apply only while the process has no other thread;
 * tzone_differs from the main thread.
 */
#ifndef SITEBOARD_KIOSK_TZONE_H
#define SITEBOARD_KIOSK_TZONE_H

#include <stdbool.h>

/*
 * Set TZ to zone (an IANA name such as "Europe/London") and call tzset.
 * Call only while no other thread runs.
 * @retval 0, -EINVAL zone NULL, empty or too long, -ENOMEM
 */
int tzone_apply(const char *zone);

/* Whether zone (NULL: none) is not the zone tzone_apply last set. */
bool tzone_differs(const char *zone);

#endif
