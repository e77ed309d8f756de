/* SPDX-License-Identifier: MIT */
/*
 * The systemd notification protocol, client side: one datagram of
 * "KEY=VALUE" lines to the AF_UNIX socket named by $NOTIFY_SOCKET
 * (sd_notify(3)), and the watchdog interval from $WATCHDOG_USEC. Written
 * here rather than linking libsystemd, which is not among our libraries and
 * would be a large dependency for thirty lines. Outside systemd (no
 * NOTIFY_SOCKET) every call is a no-op that succeeds.
 *
 * Not for: socket activation, fd store, or anything else of libsystemd.
 * Threads: any thread; nothing is kept between calls.
 */
#ifndef SITEBOARD_SDNOTIFY_H
#define SITEBOARD_SDNOTIFY_H

#include <stdint.h>

/*
 * Send state (borrowed, e.g. "READY=1", "WATCHDOG=1", "STOPPING=1").
 * @retval 0 sent, or no NOTIFY_SOCKET set
 * @retval -EINVAL NOTIFY_SOCKET is not an absolute path or "@abstract" name
 * @retval other negative errno from socket/sendto
 */
int sdnotify_send(const char *state);

/*
 * How often to send WATCHDOG=1, in milliseconds: half of $WATCHDOG_USEC
 * when the watchdog is on for this process ($WATCHDOG_PID, if set, is ours),
 * else 0 (no watchdog).
 */
int64_t sdnotify_watchdog_ms(void);

#endif
