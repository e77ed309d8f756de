/* SPDX-License-Identifier: MIT */
/*
 * sensord's end of the node link (nodelink.c) with a fake sink: events
 * stamped now - age, every good event frame ACKed, retransmissions not
 * delivered twice (also after a restart, through the state file), a new
 * boot of the node starting afresh, unmapped nodes and a refusing sink not
 * ACKed, corrupt frames counted.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "nodelink.h"
#include "sbcore/deframe.h"
#include "sbcore/frame.h"

struct fake {
	int doors, noises, refuse;
	size_t sensor;
	int64_t ts;
	bool open;
	struct event_noise noise;
};

static int fake_door(void *ctx, size_t sensor, int64_t ts_ms, bool open)
{
	struct fake *f = ctx;

	if (f->refuse)
		return -EIO;
	f->doors++;
	f->sensor = sensor;
	f->ts = ts_ms;
	f->open = open;
	return 0;
}

static int fake_noise(void *ctx, size_t sensor, const struct event_noise *e)
{
	struct fake *f = ctx;

	f->noises++;
	f->sensor = sensor;
	f->noise = *e;
	return 0;
}

static const struct nodelink_map map[] = {{7, true, 3}, {7, false, 4}};
static char state[64];
static int sv[2];

static int setup(void **st)
{
	(void)st;
	snprintf(state, sizeof(state), "/tmp/test-nodelink-%d", (int)getpid());
	unlink(state);
	return socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
}

static int teardown(void **st)
{
	(void)st;
	unlink(state);
	close(sv[0]);
	close(sv[1]);
	return 0;
}

static void feed(struct nodelink *l, const struct frame *f, int64_t now)
{
	uint8_t buf[FRAME_WIRE_MAX];
	int n = frame_encode(f, buf, sizeof(buf));

	assert_true(n > 0);
	nodelink_feed(l, buf, (size_t)n, now, sv[0]);
}

/* The ACKs waiting on the far end of the socket, as seqs; returns how many. */
static int acks(uint32_t *seqs, int max)
{
	uint8_t buf[1024];
	struct deframe d;
	struct frame f;
	ssize_t got;
	int n = 0;

	deframe_init(&d);
	got = recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT);
	for (ssize_t i = 0; i < got; i++) {
		if (deframe_push(&d, buf[i], &f) == 1) {
			assert_int_equal(f.type, FRAME_ACK);
			assert_int_equal(f.node, 7);
			if (n < max)
				seqs[n] = f.u.ack.seq;
			n++;
		}
	}
	return n;
}

static struct frame hello(uint32_t seq, uint32_t boot, uint32_t uptime)
{
	struct frame f;

	memset(&f, 0, sizeof(f));
	f.type = FRAME_HELLO;
	f.node = 7;
	f.seq = seq;
	f.u.hello = (struct frame_hello){0, 1, 0, FRAME_CAP_DOOR | FRAME_CAP_NOISE, boot, uptime, 0};
	return f;
}

static struct frame door(uint32_t seq, int open, uint32_t age)
{
	struct frame f;

	memset(&f, 0, sizeof(f));
	f.type = FRAME_DOOR;
	f.node = 7;
	f.seq = seq;
	f.u.door.open = (uint8_t)open;
	f.u.door.age_ms = age;
	return f;
}

static void test_events_acks_duplicates(void **st)
{
	struct fake fk = {0};
	struct sink sink = {&fk, fake_door, fake_noise, NULL, NULL, NULL};
	struct nodelink_params p = {"tcp:unused:1", 0, state, map, 2};
	struct nodelink l;
	struct frame f;
	uint32_t s[8];

	(void)st;
	assert_int_equal(nodelink_init(&l, &p, &sink), 0);
	f = hello(1, 1, 5000);
	feed(&l, &f, 1000000);
	assert_int_equal(acks(s, 8), 1);
	assert_int_equal(s[0], 1);

	f = door(2, 1, 1500);
	feed(&l, &f, 1000000);
	assert_int_equal(fk.doors, 1);
	assert_int_equal(fk.sensor, 3);
	assert_true(fk.open);
	assert_int_equal(fk.ts, 1000000 - 1500);
	/* the same frame again (its ACK was lost): ACKed, not delivered */
	f.u.door.age_ms = 2500;
	feed(&l, &f, 1001000);
	assert_int_equal(fk.doors, 1);
	assert_int_equal(acks(s, 8), 2);
	assert_int_equal(s[0], 2);
	assert_int_equal(s[1], 2);

	memset(&f, 0, sizeof(f));
	f.type = FRAME_NOISE;
	f.node = 7;
	f.seq = 3;
	f.u.noise = (struct frame_noise){60, 6321, 7890, 4100, 61000};
	feed(&l, &f, 2000000);
	assert_int_equal(fk.noises, 1);
	assert_int_equal(fk.sensor, 4);
	assert_true(fk.noise.has_levels);
	assert_float_equal(fk.noise.laeq, 63.21, 1e-9);
	assert_float_equal(fk.noise.la90, 41.0, 1e-9);
	assert_int_equal(fk.noise.period_s, 60);
	assert_int_equal(fk.noise.ts_ms, 2000000 - 61000);
	f.seq = 4;
	f.u.noise.laeq = FRAME_LEVEL_NONE;
	feed(&l, &f, 2000000);
	assert_false(fk.noise.has_levels);
	assert_int_equal(acks(s, 8), 2);

	/* a refusing sink: no ACK, delivered when sent again */
	fk.refuse = 1;
	f = door(5, 0, 0);
	feed(&l, &f, 3000000);
	assert_int_equal(acks(s, 8), 0);
	fk.refuse = 0;
	feed(&l, &f, 3000500);
	assert_int_equal(fk.doors, 2);
	assert_int_equal(acks(s, 8), 1);

	/* an unmapped node: not ACKed */
	f = door(1, 1, 0);
	f.node = 8;
	feed(&l, &f, 3000000);
	assert_int_equal(l.unmapped, 1);
	assert_int_equal(fk.doors, 2);

	/* a corrupt frame is counted */
	{
		uint8_t buf[FRAME_WIRE_MAX];
		int n;

		f = door(6, 1, 0);
		n = frame_encode(&f, buf, sizeof(buf));
		buf[4] ^= 0x01;
		nodelink_feed(&l, buf, (size_t)n, 3000000, sv[0]);
		assert_int_equal(l.bad_frames, 1);
		assert_int_equal(fk.doors, 2);
	}
	(void)acks(s, 8);

	/* restart: the state file remembers what was delivered */
	assert_int_equal(nodelink_init(&l, &p, &sink), 0);
	f = door(2, 1, 9000);
	feed(&l, &f, 4000000);
	f = door(5, 0, 9000);
	feed(&l, &f, 4000000);
	assert_int_equal(fk.doors, 2);
	assert_int_equal(acks(s, 8), 2);
	f = door(6, 1, 100);
	feed(&l, &f, 4000000);
	assert_int_equal(fk.doors, 3);

	/* the node reboots (same boot count, later boot time): seq 1, 2 are new */
	f = hello(1, 1, 10);
	feed(&l, &f, 5000000);
	f = door(2, 0, 5);
	feed(&l, &f, 5000000);
	assert_int_equal(fk.doors, 4);
	/* a HELLO sent again in the same boot changes nothing */
	f = hello(1, 1, 10);
	f.u.hello.age_ms = 3000;
	feed(&l, &f, 5003000);
	f = door(2, 0, 3005);
	feed(&l, &f, 5003000);
	assert_int_equal(fk.doors, 4);
	assert_int_equal(acks(s, 8), 5);
}

/*
 * Frames are taken in order: one past a gap is held back unacknowledged until
 * the missing one comes (the node sends both again), so a door's "closed"
 * never reaches the server before its "open"; a gap that outlives the node's
 * retransmissions (its ring dropped the frame) is given up on.
 */
static void test_in_order(void **st)
{
	struct fake fk = {0};
	struct sink sink = {&fk, fake_door, fake_noise, NULL, NULL, NULL};
	struct nodelink_params p = {"tcp:unused:1", 0, state, map, 2};
	struct nodelink l;
	struct frame f;
	uint32_t s[8];

	(void)st;
	assert_int_equal(nodelink_init(&l, &p, &sink), 0);
	f = hello(1, 1, 5000);
	feed(&l, &f, 1000000);
	f = door(2, 1, 0);
	feed(&l, &f, 1000000);
	assert_int_equal(acks(s, 8), 2);
	/* 3 (closed) is lost; 4 (open again) arrives first: held, not ACKed */
	f = door(4, 1, 0);
	feed(&l, &f, 1000100);
	assert_int_equal(fk.doors, 1);
	assert_int_equal(l.held, 1);
	assert_int_equal(acks(s, 8), 0);
	/* 3 comes again, then 4: delivered oldest first */
	f = door(3, 0, 500);
	feed(&l, &f, 1000600);
	assert_int_equal(fk.doors, 2);
	assert_false(fk.open);
	f = door(4, 1, 500);
	feed(&l, &f, 1000600);
	assert_int_equal(fk.doors, 3);
	assert_true(fk.open);
	assert_int_equal(acks(s, 8), 2);
	assert_int_equal(s[0], 3);
	assert_int_equal(s[1], 4);
	/* 5 and 6 never come (dropped from the node's full ring): 7 waits, then goes */
	f = door(7, 0, 0);
	feed(&l, &f, 2000000);
	assert_int_equal(fk.doors, 3);
	feed(&l, &f, 2000000 + NODELINK_GAP_WAIT_MS - 1);
	assert_int_equal(fk.doors, 3);
	feed(&l, &f, 2000000 + NODELINK_GAP_WAIT_MS);
	assert_int_equal(fk.doors, 4);
	assert_false(fk.open);
	assert_int_equal(acks(s, 8), 1);
	assert_int_equal(s[0], 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_events_acks_duplicates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_in_order, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
