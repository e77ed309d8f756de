/* SPDX-License-Identifier: MIT */
/*
 * The on-disk store-and-forward queue of siteboard-sensord (SQLite, WAL,
 * synchronous=FULL). Every reading is pushed here before anything is
 * published, with the sensor's next seq taken and advanced in the same
 * transaction, so seq survives restarts and kill -9 loses nothing pushed.
 * A row leaves only through outbox_ack, when its PUBACK has arrived. The
 * queue is bounded: when full, the oldest row is dropped, logged and counted.
 *
 * Not a general message store: rows are read back in insertion order only.
 * Thread-safe: every call takes the outbox's mutex (input threads push, the
 * main thread reads and acks).
 */
#ifndef SENSORD_OUTBOX_H
#define SENSORD_OUTBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <siteboard/event.h>
#include <siteboard/topic.h>

#define OUTBOX_PAYLOAD_MAX 1024

struct outbox;

/* One queued message, copied out (no pointers into the database). */
struct outbox_row {
	int64_t id; /* rises with every push; rows are sent in id order */
	char sensor[TOPIC_ID_MAX + 1];
	int64_t seq;
	char topic[TOPIC_MAX];
	char payload[OUTBOX_PAYLOAD_MAX];
	size_t len;
};

/*
 * Writes the payload for seq into buf (n bytes); returns its length or a
 * negative errno. Called with the outbox locked: must not call back into it.
 */
typedef int (*outbox_encode_fn)(void *ctx, int64_t seq, char *buf, size_t n);

/*
 * Open (creating if needed) the queue at path, holding at most max_rows.
 * @retval 0, -EIO (logged with sqlite3_errmsg), -ENOMEM, -EINVAL
 */
int outbox_open(const char *path, int64_t max_rows, struct outbox **out);

/* NULL-safe. */
void outbox_close(struct outbox *ob);

/*
 * Take sensor's next seq, encode the payload with it, store the row, advance
 * the seq: one durable transaction. topic and sensor are copied.
 * @retval 0 and *seq_out (if not NULL) set; -EINVAL bad argument or the
 *         encoder failed; -EIO database error (nothing stored, seq unchanged)
 */
int outbox_push(struct outbox *ob, const char *sensor, const char *topic, outbox_encode_fn encode,
		void *ctx, int64_t *seq_out);

/*
 * Where an event from a firmware node came from: its node id, its boot
 * (boot count and estimated boot time, as sensord's node link knows them)
 * and the node's own seq of the frame. Copied by the call.
 */
struct outbox_origin {
	uint16_t node;
	uint32_t boot_count;
	int64_t boot_ms;
	uint32_t node_seq;
};

/*
 * As outbox_push, for a frame from a firmware node. The published seq stays
 * sensord's dense per-sensor seq (the node's seq counts HELLO, DOOR and NOISE
 * together and restarts at 1 when the node reboots, so it cannot be the
 * sensor's), but the pair (origin, seq) is stored in the same transaction:
 * the same frame pushed again (a retransmission after a crash between
 * queueing and ACKing) gets its first seq back and queues nothing
 * (*duplicate true). The last OUTBOX_ORIGIN_KEEP pairs per sensor are kept.
 * @retval as outbox_push
 */
#define OUTBOX_ORIGIN_KEEP 1024
int outbox_push_node(struct outbox *ob, const char *sensor, const char *topic,
		     const struct outbox_origin *origin, outbox_encode_fn encode, void *ctx,
		     int64_t *seq_out, bool *duplicate);

/*
 * The first row with id > after_id.
 * @retval 0 and *row filled, -ENOENT none, -EIO
 */
int outbox_next(struct outbox *ob, int64_t after_id, struct outbox_row *row);

/* Delete row id (its PUBACK arrived). Deleting a missing row is fine. 0 or -EIO. */
int outbox_ack(struct outbox *ob, int64_t id);

/* Rows waiting now. */
int64_t outbox_count(struct outbox *ob);

/* Rows dropped because the queue was full, over the queue's whole life. */
int64_t outbox_dropped(struct outbox *ob);

/* The seq the next push for sensor will get (1 for a new sensor); <0 on error. */
int64_t outbox_next_seq(struct outbox *ob, const char *sensor);

#endif
