/* SPDX-License-Identifier: MIT */
/*
 * Acknowledged, retransmitted sending over the link (see link.h). The ring
 * holds frames in seq order; an ACK may free a slot in the middle, which is
 * closed up at once so the ring stays dense (at most LINK_RING moves of a
 * small struct, rare compared with the link's speed).
 */
#include "sbcore/link.h"

#include <errno.h>

static bool due(uint32_t now, uint32_t at)
{
	return (int32_t)(now - at) >= 0;
}

static struct link_entry *at(struct link *l, size_t i)
{
	return &l->ring[(l->head + i) % LINK_RING];
}

void link_init(struct link *l, uint16_t node)
{
	l->node = node;
	l->next_seq = 1;
	l->head = 0;
	l->count = 0;
	l->dropped = 0;
	l->retransmits = 0;
	l->acked = 0;
}

int64_t link_queue(struct link *l, const struct frame *f, uint32_t event_ms)
{
	struct link_entry *e;

	if (!frame_sequenced(f->type))
		return -EINVAL;
	if (l->count == LINK_RING) {
		l->head = (l->head + 1) % LINK_RING;
		l->count--;
		l->dropped++;
	}
	e = at(l, l->count);
	l->count++;
	e->f = *f;
	e->f.node = l->node;
	e->f.seq = l->next_seq++;
	if (l->next_seq == 0)
		l->next_seq = 1;
	e->event_ms = event_ms;
	e->rto_ms = LINK_RTO_MIN_MS;
	e->sends = 0;
	e->due_ms = event_ms;
	return e->f.seq;
}

bool link_ack(struct link *l, uint32_t seq, uint32_t now_ms)
{
	bool recovering;

	for (size_t i = 0; i < l->count; i++) {
		if (at(l, i)->f.seq != seq)
			continue;
		recovering = at(l, i)->sends > 1;
		for (size_t j = i; j + 1 < l->count; j++)
			*at(l, j) = *at(l, j + 1);
		l->count--;
		l->acked++;
		if (recovering) {
			for (size_t j = 0; j < l->count; j++) {
				struct link_entry *e = at(l, j);

				if (e->sends > 0 && e->rto_ms > LINK_RTO_MIN_MS) {
					e->rto_ms = LINK_RTO_MIN_MS;
					e->due_ms = now_ms;
				}
			}
		}
		return true;
	}
	return false;
}

bool link_poll(struct link *l, uint32_t now_ms, struct frame *out)
{
	for (size_t i = 0; i < l->count; i++) {
		struct link_entry *e = at(l, i);
		uint32_t age;

		if (e->sends > 0 && !due(now_ms, e->due_ms))
			continue;
		if (e->sends > 0) {
			l->retransmits++;
			e->rto_ms = e->rto_ms >= LINK_RTO_MAX_MS / 2 ? LINK_RTO_MAX_MS : e->rto_ms * 2;
		}
		e->sends++;
		e->due_ms = now_ms + e->rto_ms;
		*out = e->f;
		age = now_ms - e->event_ms;
		switch (out->type) {
		case FRAME_HELLO:
			out->u.hello.age_ms = age;
			break;
		case FRAME_DOOR:
			out->u.door.age_ms = age;
			break;
		case FRAME_NOISE:
			out->u.noise.age_ms = age;
			break;
		default:
			break;
		}
		return true;
	}
	return false;
}

size_t link_pending(const struct link *l)
{
	return l->count;
}
