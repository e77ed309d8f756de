/* SPDX-License-Identifier: MIT */
/*
 * Store-and-forward sending: moves rows from the outbox to the broker, in id
 * order, at most SENDER_WINDOW unacknowledged at a time, and deletes a row
 * only when the PUBACK for the mid it was published with arrives.
 *
 * After a reconnect, messages that were in flight are left to libmosquitto,
 * which sends them again itself; nothing newer goes out until they are
 * acknowledged, so the broker sees the rows in order. If their PUBACKs do not
 * come within SENDER_ACK_TIMEOUT_MS, every unacknowledged row is published
 * again from the oldest (duplicates are fine: the server de-duplicates by
 * seq). Pure logic over the outbox and a publish function, so the tests drive
 * it with a fake broker. Not thread-safe: one thread (sensord's main loop)
 * owns a sender.
 */
#ifndef SENSORD_SENDER_H
#define SENSORD_SENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "outbox.h"

#define SENDER_WINDOW 32
#define SENDER_ACK_TIMEOUT_MS 10000

/*
 * Publish payload (QoS 1, not retained) and set *mid. ctx is the one given to
 * sender_open. @retval 0, -ENOTCONN, or another negative errno.
 */
typedef int (*sender_publish_fn)(void *ctx, const char *topic, const void *payload, size_t len,
				 int *mid);

struct sender;

/* ob is borrowed and must outlive the sender. @retval 0, -ENOMEM */
int sender_open(struct outbox *ob, sender_publish_fn publish, void *ctx, struct sender **out);

/* NULL-safe. */
void sender_close(struct sender *s);

/* The connection came up (now_ms: monotonic). */
void sender_connected(struct sender *s, int64_t now_ms);

/* The connection went down. */
void sender_disconnected(struct sender *s);

/* A PUBACK arrived for mid; mids the sender did not publish are ignored. */
void sender_acked(struct sender *s, int mid, int64_t now_ms);

/*
 * While connected: publish as many queued rows as the window allows and
 * handle the acknowledgement timeout. Returns how many rows were published,
 * or a negative errno when the outbox cannot be read.
 */
int sender_pump(struct sender *s, int64_t now_ms);

/* Rows published and not yet acknowledged. */
size_t sender_inflight(const struct sender *s);

#endif
