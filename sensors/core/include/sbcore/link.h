/* SPDX-License-Identifier: MIT */
/*
 * The sending half of the node's link: numbers event frames (HELLO, DOOR,
 * NOISE), keeps each in a fixed ring until sensord acknowledges it, and
 * retransmits with exponential backoff (LINK_RTO_MIN_MS doubling up to
 * LINK_RTO_MAX_MS). When the ring is full the oldest frame is dropped and
 * counted. The age field of each frame is filled in at every (re)send from
 * the time of the event, so sensord can stamp it now - age.
 *
 * Pure logic over a millisecond clock the caller passes in (modulo 2^32);
 * no I/O, so the tests drive it through a lossy, reordering fake channel.
 * Freestanding, caller-allocated, one owner, no locking.
 */
#ifndef SBCORE_LINK_H
#define SBCORE_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sbcore/frame.h"

#define LINK_RING 32
#define LINK_RTO_MIN_MS 500u
#define LINK_RTO_MAX_MS 4000u

struct link_entry {
	struct frame f;
	uint32_t event_ms; /* uptime of the event: age = now - event_ms */
	uint32_t due_ms;   /* next (re)send */
	uint32_t rto_ms;   /* current backoff */
	uint32_t sends;    /* 0 until first sent */
};

struct link {
	uint16_t node;
	uint32_t next_seq;
	struct link_entry ring[LINK_RING]; /* oldest at head */
	size_t head, count;
	uint32_t dropped;     /* frames dropped from a full ring */
	uint32_t retransmits; /* resends after a timeout */
	uint32_t acked;       /* frames acknowledged */
};

/* Empty ring; sequence numbers start at 1. */
void link_init(struct link *l, uint16_t node);

/*
 * Queue a sequenced frame (type and payload set by the caller; node, seq and
 * age are filled here). It is sent at the next link_poll. If the ring is
 * full, the oldest frame is dropped and l->dropped counted.
 * @retval the seq given to the frame (>= 1), or -EINVAL for a type that is
 *         not sequenced
 */
int64_t link_queue(struct link *l, const struct frame *f, uint32_t event_ms);

/*
 * An ACK for seq arrived: forget that frame. If the link had been
 * retransmitting (sensord was away), the other waiting frames are made due
 * at once with the backoff reset. Unknown or repeated seqs are ignored.
 * @retval true when a waiting frame was acknowledged
 */
bool link_ack(struct link *l, uint32_t seq, uint32_t now_ms);

/*
 * The next frame to send now, oldest first: fills *out (age set) and
 * schedules its retransmission. Call until it returns false.
 */
bool link_poll(struct link *l, uint32_t now_ms, struct frame *out);

/* Frames waiting for an ACK. */
size_t link_pending(const struct link *l);

#endif
