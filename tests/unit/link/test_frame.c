/* SPDX-License-Identifier: MIT */
/*
 * Link frames: a known-answer frame (the example in docs/firmware.md, its
 * bytes worked out independently with Python's binascii.crc_hqx), round
 * trips of every type, and rejection of every corruption: each bit flip,
 * each truncation, oversize, bad length, bad CRC, unknown version or type,
 * values out of range. The stream deframer counts what it discards.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sbcore/cobs.h"
#include "sbcore/crc16.h"
#include "sbcore/deframe.h"
#include "sbcore/frame.h"

static const uint8_t door_wire[] = {0x04, 0x01, 0x02, 0x07, 0x02, 0x2a, 0x01, 0x01,
				    0x06, 0x09, 0x01, 0x40, 0xe2, 0x01, 0x02, 0xfa,
				    0x01, 0x01, 0x03, 0x8e, 0x1c, 0x00};

static struct frame door_example(void)
{
	struct frame f;

	memset(&f, 0, sizeof(f));
	f.type = FRAME_DOOR;
	f.node = 7;
	f.seq = 42;
	f.u.door.open = 1;
	f.u.door.uptime_ms = 123456;
	f.u.door.age_ms = 250;
	return f;
}

static void test_known_answer(void **state)
{
	struct frame f = door_example(), g;
	uint8_t buf[FRAME_WIRE_MAX];
	int n;

	(void)state;
	n = frame_encode(&f, buf, sizeof(buf));
	assert_int_equal(n, (int)sizeof(door_wire));
	assert_memory_equal(buf, door_wire, sizeof(door_wire));
	assert_int_equal(frame_decode(door_wire, sizeof(door_wire) - 1, &g), 0);
	assert_int_equal(g.type, FRAME_DOOR);
	assert_int_equal(g.node, 7);
	assert_int_equal(g.seq, 42);
	assert_int_equal(g.u.door.open, 1);
	assert_int_equal(g.u.door.uptime_ms, 123456);
	assert_int_equal(g.u.door.age_ms, 250);
}

/* One frame of every type, with extreme values where they exist. */
static size_t all_types(struct frame *f)
{
	size_t n = 0;

	memset(f, 0, 7 * sizeof(*f));
	f[n].type = FRAME_HELLO;
	f[n].node = 0xFFFF;
	f[n].seq = 1;
	f[n].u.hello = (struct frame_hello){1, 2, 3, FRAME_CAP_DOOR | FRAME_CAP_NOISE, 0xDEADBEEF,
					    UINT32_MAX, 17};
	n++;
	f[n] = door_example();
	f[n].u.door.open = 0;
	f[n].seq = UINT32_MAX;
	n++;
	f[n].type = FRAME_NOISE;
	f[n].node = 1;
	f[n].seq = 0x01000000;
	f[n].u.noise = (struct frame_noise){60, 6320, 7890, FRAME_LEVEL_NONE, 61000};
	n++;
	f[n].type = FRAME_NOISE;
	f[n].node = 0;
	f[n].seq = 9;
	f[n].u.noise = (struct frame_noise){65535, -5000, INT16_MAX, 0, 0};
	n++;
	f[n].type = FRAME_HEARTBEAT;
	f[n].node = 300;
	f[n].u.heartbeat = (struct frame_heartbeat){86400000, 3300, 5, 0x00FF0000};
	n++;
	f[n].type = FRAME_ACK;
	f[n].node = 300;
	f[n].u.ack.seq = 0x00000100;
	n++;
	f[n].type = FRAME_STIMULUS;
	f[n].node = 2;
	f[n].u.stimulus = (struct frame_stimulus){FRAME_STIM_TONE, 9400};
	n++;
	return n;
}

static void test_round_trips(void **state)
{
	struct frame f[7], g;
	uint8_t buf[FRAME_WIRE_MAX];
	size_t count = all_types(f);

	(void)state;
	for (size_t i = 0; i < count; i++) {
		int n = frame_encode(&f[i], buf, sizeof(buf));

		assert_true(n > 2 && n <= FRAME_WIRE_MAX);
		assert_int_equal(buf[n - 1], 0);
		assert_null(memchr(buf, 0, (size_t)n - 1));
		memset(&g, 0xA5, sizeof(g));
		assert_int_equal(frame_decode(buf, (size_t)n - 1, &g), 0);
		assert_int_equal(g.type, f[i].type);
		assert_int_equal(g.node, f[i].node);
		assert_int_equal(g.seq, f[i].seq);
		switch (g.type) {
		case FRAME_HELLO:
			assert_memory_equal(&g.u.hello, &f[i].u.hello, sizeof(g.u.hello));
			break;
		case FRAME_DOOR:
			assert_int_equal(g.u.door.open, f[i].u.door.open);
			assert_int_equal(g.u.door.uptime_ms, f[i].u.door.uptime_ms);
			assert_int_equal(g.u.door.age_ms, f[i].u.door.age_ms);
			break;
		case FRAME_NOISE:
			assert_int_equal(g.u.noise.period_s, f[i].u.noise.period_s);
			assert_int_equal(g.u.noise.laeq, f[i].u.noise.laeq);
			assert_int_equal(g.u.noise.lafmax, f[i].u.noise.lafmax);
			assert_int_equal(g.u.noise.la90, f[i].u.noise.la90);
			assert_int_equal(g.u.noise.age_ms, f[i].u.noise.age_ms);
			break;
		case FRAME_HEARTBEAT:
			assert_int_equal(g.u.heartbeat.uptime_ms, f[i].u.heartbeat.uptime_ms);
			assert_int_equal(g.u.heartbeat.battery_mv, f[i].u.heartbeat.battery_mv);
			assert_int_equal(g.u.heartbeat.dropped, f[i].u.heartbeat.dropped);
			assert_int_equal(g.u.heartbeat.rx_bad, f[i].u.heartbeat.rx_bad);
			break;
		case FRAME_ACK:
			assert_int_equal(g.u.ack.seq, f[i].u.ack.seq);
			break;
		case FRAME_STIMULUS:
			assert_int_equal(g.u.stimulus.kind, f[i].u.stimulus.kind);
			assert_int_equal(g.u.stimulus.value, f[i].u.stimulus.value);
			break;
		default:
			fail();
		}
	}
}

static void test_encode_rejects(void **state)
{
	struct frame f = door_example();
	uint8_t buf[FRAME_WIRE_MAX];

	(void)state;
	assert_int_equal(frame_encode(&f, buf, 10), -ENOSPC);
	assert_int_equal(frame_encode(&f, buf, 0), -ENOSPC);
	f.seq = 0;
	assert_int_equal(frame_encode(&f, buf, sizeof(buf)), -EINVAL);
	f.seq = 1;
	f.type = 0x42;
	assert_int_equal(frame_encode(&f, buf, sizeof(buf)), -EINVAL);
	f.type = FRAME_ACK;
	f.u.ack.seq = 1;
	assert_int_equal(frame_encode(&f, buf, sizeof(buf)), -EINVAL);
}

/* Every single-bit flip of every type's wire bytes is rejected, never misread. */
static void test_bit_flips(void **state)
{
	struct frame f[7], g;
	uint8_t buf[FRAME_WIRE_MAX], bad[FRAME_WIRE_MAX];
	size_t count = all_types(f);

	(void)state;
	for (size_t i = 0; i < count; i++) {
		int n = frame_encode(&f[i], buf, sizeof(buf)) - 1;

		for (int bit = 0; bit < n * 8; bit++) {
			memcpy(bad, buf, (size_t)n);
			bad[bit / 8] ^= (uint8_t)(1u << (bit % 8));
			assert_int_not_equal(frame_decode(bad, (size_t)n, &g), 0);
		}
	}
}

/* Two-bit flips within the raw frame (before COBS): CRC-16 catches them all. */
static void test_double_flips(void **state)
{
	struct frame f = door_example(), g;
	uint8_t buf[FRAME_WIRE_MAX], raw[FRAME_RAW_MAX], enc[FRAME_WIRE_MAX];
	int n = frame_encode(&f, buf, sizeof(buf)) - 1;
	int len = cobs_decode(buf, (size_t)n, raw, sizeof(raw));

	(void)state;
	assert_true(len > 0);
	for (int a = 0; a < len * 8; a++) {
		for (int b = a + 1; b < len * 8; b++) {
			uint8_t copy[FRAME_RAW_MAX];
			int m;

			memcpy(copy, raw, (size_t)len);
			copy[a / 8] ^= (uint8_t)(1u << (a % 8));
			copy[b / 8] ^= (uint8_t)(1u << (b % 8));
			m = cobs_encode(copy, (size_t)len, enc, sizeof(enc));
			assert_true(m > 0);
			assert_int_not_equal(frame_decode(enc, (size_t)m, &g), 0);
		}
	}
}

static void test_truncation(void **state)
{
	struct frame f[7], g;
	uint8_t buf[FRAME_WIRE_MAX];
	size_t count = all_types(f);

	(void)state;
	for (size_t i = 0; i < count; i++) {
		int n = frame_encode(&f[i], buf, sizeof(buf)) - 1;

		for (int k = 0; k < n; k++)
			assert_int_not_equal(frame_decode(buf, (size_t)k, &g), 0);
	}
}

/* Encode raw bytes with a correct CRC appended: valid COBS, valid CRC. */
static int wrap(const uint8_t *raw, size_t n, uint8_t *enc, size_t cap)
{
	uint8_t tmp[512];
	uint16_t c = crc16(raw, n);

	memcpy(tmp, raw, n);
	tmp[n] = (uint8_t)(c >> 8);
	tmp[n + 1] = (uint8_t)c;
	return cobs_encode(tmp, n + 2, enc, cap);
}

static void test_structural(void **state)
{
	/* the door example's raw header and payload, CRC left to wrap() */
	uint8_t raw[64] = {0x01, 0x02, 0x07, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x09,
			   0x01, 0x40, 0xe2, 0x01, 0x00, 0xfa, 0x00, 0x00, 0x00};
	uint8_t copy[64], enc[600], big[400];
	struct frame g;
	int m;

	(void)state;
	m = wrap(raw, 18, enc, sizeof(enc));
	assert_int_equal(frame_decode(enc, (size_t)m, &g), 0);

	/* bad CRC */
	memcpy(copy, raw, 18);
	copy[18] = 0x8e;
	copy[19] = 0x1d;
	m = cobs_encode(copy, 20, enc, sizeof(enc));
	assert_int_equal(frame_decode(enc, (size_t)m, &g), -EBADMSG);

	/* bad length byte, frame otherwise consistent */
	memcpy(copy, raw, 18);
	copy[8] = 8;
	m = wrap(copy, 18, enc, sizeof(enc));
	assert_int_equal(frame_decode(enc, (size_t)m, &g), -EINVAL);
	/* length byte says 8 and 8 bytes follow: wrong for the type */
	m = wrap(copy, 17, enc, sizeof(enc));
	assert_int_equal(frame_decode(enc, (size_t)m, &g), -EINVAL);
	/* an extra payload byte, length byte matching it */
	memcpy(copy, raw, 18);
	copy[8] = 10;
	copy[18] = 0;
	m = wrap(copy, 19, enc, sizeof(enc));
	assert_int_equal(frame_decode(enc, (size_t)m, &g), -EINVAL);
	/* header only */
	m = wrap(raw, 9, enc, sizeof(enc));
	assert_int_equal(frame_decode(enc, (size_t)m, &g), -EINVAL);
	m = wrap(raw, 0, enc, sizeof(enc));
	assert_int_equal(frame_decode(enc, (size_t)m, &g), -EINVAL);

	/* version and type */
	memcpy(copy, raw, 18);
	copy[0] = 2;
	m = wrap(copy, 18, enc, sizeof(enc));
	assert_int_equal(frame_decode(enc, (size_t)m, &g), -EPROTO);
	memcpy(copy, raw, 18);
	copy[1] = 0x06;
	m = wrap(copy, 18, enc, sizeof(enc));
	assert_int_equal(frame_decode(enc, (size_t)m, &g), -EPROTO);

	/* values: seq 0 on an event, door state 2 */
	memcpy(copy, raw, 18);
	copy[4] = 0;
	m = wrap(copy, 18, enc, sizeof(enc));
	assert_int_equal(frame_decode(enc, (size_t)m, &g), -EINVAL);
	memcpy(copy, raw, 18);
	copy[9] = 2;
	m = wrap(copy, 18, enc, sizeof(enc));
	assert_int_equal(frame_decode(enc, (size_t)m, &g), -EINVAL);

	/* oversize: longer than any frame, with a valid CRC */
	memset(big, 0x11, sizeof(big));
	memcpy(big, raw, 18);
	m = wrap(big, 300, enc, sizeof(enc));
	assert_int_equal(frame_decode(enc, (size_t)m, &g), -E2BIG);
	m = wrap(big, FRAME_RAW_MAX - 1, enc, sizeof(enc));
	assert_int_equal(frame_decode(enc, (size_t)m, &g), -E2BIG);
}

static int push_all(struct deframe *d, const uint8_t *p, size_t n, struct frame *out, int *bad)
{
	int good = 0;

	for (size_t i = 0; i < n; i++) {
		int rc = deframe_push(d, p[i], out);

		if (rc == 1)
			good++;
		else if (rc < 0)
			(*bad)++;
	}
	return good;
}

static void test_deframe_stream(void **state)
{
	struct deframe d;
	struct frame g;
	uint8_t junk[200];
	int bad = 0;

	(void)state;
	deframe_init(&d);
	/* leading delimiters are no frames; a frame; a truncated one; a frame */
	assert_int_equal(push_all(&d, (const uint8_t *)"\0\0\0", 3, &g, &bad), 0);
	assert_int_equal(push_all(&d, door_wire, sizeof(door_wire), &g, &bad), 1);
	assert_int_equal(g.seq, 42);
	assert_int_equal(push_all(&d, door_wire, 10, &g, &bad), 0);
	assert_int_equal(push_all(&d, (const uint8_t *)"\0", 1, &g, &bad), 0);
	assert_int_equal(bad, 1);
	assert_int_equal(push_all(&d, door_wire, sizeof(door_wire), &g, &bad), 1);
	/* a run of junk longer than any frame, then a good frame */
	memset(junk, 0x5A, sizeof(junk));
	assert_int_equal(push_all(&d, junk, sizeof(junk), &g, &bad), 0);
	assert_int_equal(deframe_push(&d, 0, &g), -E2BIG);
	bad++;
	assert_int_equal(push_all(&d, door_wire, sizeof(door_wire), &g, &bad), 1);
	/* junk glued in front of a frame spoils only that frame */
	assert_int_equal(push_all(&d, junk, 3, &g, &bad), 0);
	assert_int_equal(push_all(&d, door_wire, sizeof(door_wire), &g, &bad), 0);
	assert_int_equal(bad, 3);
	assert_int_equal(d.bad, 3);
	assert_int_equal(d.frames, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_answer),
		cmocka_unit_test(test_round_trips),
		cmocka_unit_test(test_encode_rejects),
		cmocka_unit_test(test_bit_flips),
		cmocka_unit_test(test_double_flips),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_structural),
		cmocka_unit_test(test_deframe_stream),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
