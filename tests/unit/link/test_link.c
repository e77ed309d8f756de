/* SPDX-License-Identifier: MIT */
/*
 * The node's retransmitting ring (link.c) and sensord's de-duplication
 * window (seqwin.c): backoff, ACKs in any order, a full ring dropping and
 * counting its oldest frame, and a simulation of a lossy, reordering serial
 * link in both directions in which every event arrives exactly once, with
 * its true time recovered from the age field.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sbcore/deframe.h"
#include "sbcore/frame.h"
#include "sbcore/link.h"
#include "sbcore/seqwin.h"

static struct frame door(int open, uint32_t at)
{
	struct frame f;

	memset(&f, 0, sizeof(f));
	f.type = FRAME_DOOR;
	f.u.door.open = (uint8_t)open;
	f.u.door.uptime_ms = at;
	return f;
}

static void test_backoff(void **state)
{
	struct link l;
	struct frame f = door(1, 1000), out;

	(void)state;
	link_init(&l, 5);
	assert_int_equal(link_queue(&l, &f, 1000), 1);
	assert_true(link_poll(&l, 1100, &out));
	assert_int_equal(out.seq, 1);
	assert_int_equal(out.node, 5);
	assert_int_equal(out.u.door.age_ms, 100);
	assert_false(link_poll(&l, 1100, &out));
	assert_false(link_poll(&l, 1599, &out));
	/* 500, then 1000, 2000, 4000, 4000 ms */
	assert_true(link_poll(&l, 1600, &out));
	assert_int_equal(out.u.door.age_ms, 600);
	assert_false(link_poll(&l, 2599, &out));
	assert_true(link_poll(&l, 2600, &out));
	assert_false(link_poll(&l, 4599, &out));
	assert_true(link_poll(&l, 4600, &out));
	assert_false(link_poll(&l, 8599, &out));
	assert_true(link_poll(&l, 8600, &out));
	assert_true(link_poll(&l, 12600, &out));
	assert_int_equal(l.retransmits, 5);
	assert_true(link_ack(&l, 1, 12700));
	assert_false(link_ack(&l, 1, 12700));
	assert_false(link_poll(&l, 20000, &out));
	assert_int_equal(link_pending(&l), 0);
	/* heartbeats and ACKs are not sequenced */
	f.type = FRAME_HEARTBEAT;
	assert_int_equal(link_queue(&l, &f, 0), -EINVAL);
}

static void test_clock_wrap(void **state)
{
	struct link l;
	struct frame f = door(0, UINT32_MAX - 100), out;

	(void)state;
	link_init(&l, 1);
	link_queue(&l, &f, UINT32_MAX - 100);
	assert_true(link_poll(&l, UINT32_MAX - 50, &out));
	assert_false(link_poll(&l, 200, &out));
	assert_true(link_poll(&l, 450, &out));
	assert_int_equal(out.u.door.age_ms, 551);
}

static void test_ack_out_of_order(void **state)
{
	struct link l;
	struct frame f = door(1, 0), out;
	uint32_t order[] = {3, 1, 5, 2};

	(void)state;
	link_init(&l, 1);
	for (int i = 0; i < 5; i++)
		link_queue(&l, &f, 0);
	for (int i = 0; i < 5; i++) {
		assert_true(link_poll(&l, 0, &out));
		assert_int_equal(out.seq, (uint32_t)i + 1);
	}
	for (int i = 0; i < 4; i++)
		assert_true(link_ack(&l, order[i], 10));
	assert_false(link_ack(&l, 9, 10));
	assert_int_equal(link_pending(&l), 1);
	assert_true(link_poll(&l, 500, &out));
	assert_int_equal(out.seq, 4);
}

static void test_ring_full(void **state)
{
	struct link l;
	struct frame f = door(1, 0), out;

	(void)state;
	link_init(&l, 1);
	for (uint32_t i = 0; i < LINK_RING + 8; i++)
		assert_int_equal(link_queue(&l, &f, i), i + 1);
	assert_int_equal(link_pending(&l), LINK_RING);
	assert_int_equal(l.dropped, 8);
	assert_true(link_poll(&l, 100, &out));
	assert_int_equal(out.seq, 9);
	assert_int_equal(out.u.door.age_ms, 100 - 8);
	/* an ACK in the middle of a full ring keeps the order */
	assert_true(link_ack(&l, 20, 100));
	for (uint32_t s = 10; s <= LINK_RING + 8; s++) {
		if (s == 20)
			continue;
		assert_true(link_poll(&l, 100, &out));
		assert_int_equal(out.seq, s);
	}
	assert_false(link_poll(&l, 100, &out));
}

/* After an outage, the first ACK of a retransmitted frame makes the rest due at once. */
static void test_recovery(void **state)
{
	struct link l;
	struct frame f = door(1, 0), out;
	uint32_t t = 0;

	(void)state;
	link_init(&l, 1);
	for (int i = 0; i < 4; i++)
		link_queue(&l, &f, 0);
	for (; t < 20000; t += 10)
		while (link_poll(&l, t, &out))
			;
	assert_true(link_ack(&l, 1, t));
	for (uint32_t s = 2; s <= 4; s++) {
		assert_true(link_poll(&l, t, &out));
		assert_int_equal(out.seq, s);
	}
}

static void test_seqwin(void **state)
{
	struct seqwin w;

	(void)state;
	seqwin_init(&w);
	assert_false(seqwin_check(&w, 0));
	assert_true(seqwin_check(&w, 1));
	assert_false(seqwin_check(&w, 1));
	assert_true(seqwin_check(&w, 3));
	assert_true(seqwin_check(&w, 2));
	assert_false(seqwin_check(&w, 2));
	assert_false(seqwin_check(&w, 3));
	assert_true(seqwin_check(&w, 70));
	assert_false(seqwin_check(&w, 6));  /* too old to tell: not new */
	assert_true(seqwin_check(&w, 7));   /* 63 behind: still in the window */
	assert_false(seqwin_check(&w, 7));
	assert_true(seqwin_check(&w, 1000));
	assert_false(seqwin_check(&w, 70));
	assert_true(seqwin_check(&w, 999));
}

/* ---- simulated link ---- */

static uint32_t rng = 12345;

static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng % n;
}

#define PIPE 256

/* Bytes in flight, each frame delivered whole at its own time, possibly out of order. */
struct pipe {
	struct {
		uint8_t b[FRAME_WIRE_MAX];
		size_t n;
		uint32_t at;
	} q[PIPE];
	size_t count;
	uint32_t loss_pct, max_delay;
	bool down; /* the far end is away: everything is lost */
};

static void pipe_send(struct pipe *p, const struct frame *f, uint32_t now)
{
	int n;

	if (p->down || rnd(100) < p->loss_pct || p->count == PIPE)
		return;
	n = frame_encode(f, p->q[p->count].b, FRAME_WIRE_MAX);
	assert_true(n > 0);
	/* now and then corrupt a byte: the receiver must discard it */
	if (rnd(100) < 5)
		p->q[p->count].b[rnd((uint32_t)n - 1)] ^= (uint8_t)(1u << rnd(8));
	p->q[p->count].n = (size_t)n;
	p->q[p->count].at = now + rnd(p->max_delay + 1);
	p->count++;
}

/* Deliver due frames through a deframer; returns the number of good frames placed in out. */
static size_t pipe_recv(struct pipe *p, struct deframe *d, uint32_t now, struct frame *out,
			size_t max)
{
	size_t got = 0;

	for (size_t i = 0; i < p->count;) {
		if ((int32_t)(now - p->q[i].at) < 0 || got == max) {
			i++;
			continue;
		}
		for (size_t k = 0; k < p->q[i].n; k++)
			if (deframe_push(d, p->q[i].b[k], &out[got]) == 1)
				got++;
		p->q[i] = p->q[--p->count];
	}
	return got;
}

#define EVENTS 600

static uint32_t simulate(uint32_t loss_pct, uint32_t max_delay, uint32_t outage_from,
		     uint32_t outage_to)
{
	static struct pipe up, down;
	struct link l;
	struct deframe gw_rx, node_rx;
	struct seqwin seen;
	static uint32_t delivered[EVENTS + 1];
	uint32_t next_event = 0, queued = 0, got_events = 0;
	struct frame in[PIPE], out;
	uint32_t t;

	memset(&up, 0, sizeof(up));
	memset(&down, 0, sizeof(down));
	memset(delivered, 0, sizeof(delivered));
	up.loss_pct = down.loss_pct = loss_pct;
	up.max_delay = down.max_delay = max_delay;
	link_init(&l, 9);
	deframe_init(&gw_rx);
	deframe_init(&node_rx);
	seqwin_init(&seen);

	for (t = 0; t < 600000; t++) {
		bool away = t >= outage_from && t < outage_to;
		size_t n;

		up.down = down.down = away;
		/* an event every 0..400 ms, its uptime in the payload */
		if (queued < EVENTS && t >= next_event) {
			struct frame f = door((int)(queued & 1), t);

			assert_int_equal(link_queue(&l, &f, t), (int64_t)queued + 1);
			queued++;
			next_event = t + rnd(400);
		}
		while (link_poll(&l, t, &out))
			pipe_send(&up, &out, t);
		/* sensord: ACK every good frame, count each seq once, stamp it now - age */
		n = pipe_recv(&up, &gw_rx, t, in, PIPE);
		for (size_t i = 0; i < n; i++) {
			struct frame ack;

			assert_int_equal(in[i].type, FRAME_DOOR);
			assert_int_equal(in[i].node, 9);
			memset(&ack, 0, sizeof(ack));
			ack.type = FRAME_ACK;
			ack.node = 9;
			ack.u.ack.seq = in[i].seq;
			pipe_send(&down, &ack, t);
			if (!seqwin_check(&seen, in[i].seq))
				continue;
			assert_true(in[i].seq <= EVENTS);
			assert_int_equal(delivered[in[i].seq], 0);
			delivered[in[i].seq] = 1;
			got_events++;
			/* now - age is the event's own time, late by the transit time only */
			assert_in_range(t - in[i].u.door.age_ms - in[i].u.door.uptime_ms, 0,
					max_delay);
		}
		n = pipe_recv(&down, &node_rx, t, in, PIPE);
		for (size_t i = 0; i < n; i++) {
			assert_int_equal(in[i].type, FRAME_ACK);
			link_ack(&l, in[i].u.ack.seq, t);
		}
		if (queued == EVENTS && link_pending(&l) == 0 && up.count == 0)
			break;
	}
	assert_int_equal(queued, EVENTS);
	assert_int_equal(link_pending(&l), 0);
	/*
	 * nothing lost but what the full ring dropped, and that was counted (a
	 * dropped frame may have arrived all the same, its ACK lost)
	 */
	assert_true(got_events <= EVENTS);
	assert_true(EVENTS - got_events <= l.dropped);
	if (loss_pct > 0) {
		assert_true(l.retransmits > 0);
		assert_true(gw_rx.bad > 0);
	}
	return l.dropped;
}

static void test_sim_clean(void **state)
{
	(void)state;
	assert_int_equal(simulate(0, 0, 0, 0), 0);
}

static void test_sim_loss_reorder(void **state)
{
	(void)state;
	assert_int_equal(simulate(30, 300, 0, 0), 0);
}

/* sensord away for 5 s: the ring (32) holds the backlog, all arrives once. */
static void test_sim_outage(void **state)
{
	(void)state;
	assert_int_equal(simulate(10, 50, 20000, 25000), 0);
}

/* away for 60 s: more than the ring holds; the oldest are dropped and counted. */
static void test_sim_long_outage(void **state)
{
	(void)state;
	assert_true(simulate(10, 50, 20000, 80000) > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backoff),
		cmocka_unit_test(test_clock_wrap),
		cmocka_unit_test(test_ack_out_of_order),
		cmocka_unit_test(test_ring_full),
		cmocka_unit_test(test_recovery),
		cmocka_unit_test(test_seqwin),
		cmocka_unit_test(test_sim_clean),
		cmocka_unit_test(test_sim_loss_reorder),
		cmocka_unit_test(test_sim_outage),
		cmocka_unit_test(test_sim_long_outage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
