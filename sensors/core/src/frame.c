/* SPDX-License-Identifier: MIT */
/*
 * Link frame encoding and validation (see frame.h). Payloads are packed by
 * hand, byte by byte, so the layout does not depend on the compiler's
 * struct padding or the host's byte order.
 */
#include "sbcore/frame.h"

#include <errno.h>

#include "sbcore/cobs.h"
#include "sbcore/crc16.h"

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	       ((uint32_t)p[3] << 24);
}

/* Payload size of a type, or -1 for an unknown type. */
static int payload_len(uint8_t type)
{
	switch (type) {
	case FRAME_HELLO:
		return 16;
	case FRAME_DOOR:
		return 9;
	case FRAME_NOISE:
		return 12;
	case FRAME_HEARTBEAT:
		return 14;
	case FRAME_ACK:
		return 4;
	case FRAME_STIMULUS:
		return 3;
	default:
		return -1;
	}
}

bool frame_sequenced(uint8_t type)
{
	return type == FRAME_HELLO || type == FRAME_DOOR || type == FRAME_NOISE;
}

static bool seq_fits(uint8_t type, uint32_t seq)
{
	return frame_sequenced(type) ? seq != 0 : seq == 0;
}

static void pack(const struct frame *f, uint8_t *p)
{
	switch (f->type) {
	case FRAME_HELLO:
		p[0] = f->u.hello.fw_major;
		p[1] = f->u.hello.fw_minor;
		p[2] = f->u.hello.fw_patch;
		p[3] = f->u.hello.caps;
		put32(p + 4, f->u.hello.boot_count);
		put32(p + 8, f->u.hello.uptime_ms);
		put32(p + 12, f->u.hello.age_ms);
		break;
	case FRAME_DOOR:
		p[0] = f->u.door.open ? 1 : 0;
		put32(p + 1, f->u.door.uptime_ms);
		put32(p + 5, f->u.door.age_ms);
		break;
	case FRAME_NOISE:
		put16(p, f->u.noise.period_s);
		put16(p + 2, (uint16_t)f->u.noise.laeq);
		put16(p + 4, (uint16_t)f->u.noise.lafmax);
		put16(p + 6, (uint16_t)f->u.noise.la90);
		put32(p + 8, f->u.noise.age_ms);
		break;
	case FRAME_HEARTBEAT:
		put32(p, f->u.heartbeat.uptime_ms);
		put16(p + 4, f->u.heartbeat.battery_mv);
		put32(p + 6, f->u.heartbeat.dropped);
		put32(p + 10, f->u.heartbeat.rx_bad);
		break;
	case FRAME_ACK:
		put32(p, f->u.ack.seq);
		break;
	case FRAME_STIMULUS:
		p[0] = f->u.stimulus.kind;
		put16(p + 1, (uint16_t)f->u.stimulus.value);
		break;
	default:
		break;
	}
}

/* Fill out's payload from p; false for values out of range. */
static bool unpack(const uint8_t *p, struct frame *out)
{
	switch (out->type) {
	case FRAME_HELLO:
		out->u.hello.fw_major = p[0];
		out->u.hello.fw_minor = p[1];
		out->u.hello.fw_patch = p[2];
		out->u.hello.caps = p[3];
		out->u.hello.boot_count = get32(p + 4);
		out->u.hello.uptime_ms = get32(p + 8);
		out->u.hello.age_ms = get32(p + 12);
		return true;
	case FRAME_DOOR:
		if (p[0] > 1)
			return false;
		out->u.door.open = p[0];
		out->u.door.uptime_ms = get32(p + 1);
		out->u.door.age_ms = get32(p + 5);
		return true;
	case FRAME_NOISE:
		out->u.noise.period_s = get16(p);
		out->u.noise.laeq = (int16_t)get16(p + 2);
		out->u.noise.lafmax = (int16_t)get16(p + 4);
		out->u.noise.la90 = (int16_t)get16(p + 6);
		out->u.noise.age_ms = get32(p + 8);
		return out->u.noise.period_s != 0;
	case FRAME_HEARTBEAT:
		out->u.heartbeat.uptime_ms = get32(p);
		out->u.heartbeat.battery_mv = get16(p + 4);
		out->u.heartbeat.dropped = get32(p + 6);
		out->u.heartbeat.rx_bad = get32(p + 10);
		return true;
	case FRAME_ACK:
		out->u.ack.seq = get32(p);
		return out->u.ack.seq != 0;
	case FRAME_STIMULUS:
		out->u.stimulus.kind = p[0];
		out->u.stimulus.value = (int16_t)get16(p + 1);
		return p[0] >= FRAME_STIM_DOOR && p[0] <= FRAME_STIM_BURST;
	default:
		return false;
	}
}

int frame_encode(const struct frame *f, uint8_t *out, size_t cap)
{
	uint8_t raw[FRAME_RAW_MAX];
	int plen = payload_len(f->type);
	size_t n;
	uint16_t crc;
	int rc;

	if (plen < 0 || !seq_fits(f->type, f->seq))
		return -EINVAL;
	raw[0] = FRAME_VERSION;
	raw[1] = f->type;
	put16(raw + 2, f->node);
	put32(raw + 4, f->seq);
	raw[8] = (uint8_t)plen;
	pack(f, raw + FRAME_HEADER_LEN);
	n = FRAME_HEADER_LEN + (size_t)plen;
	crc = crc16(raw, n);
	raw[n++] = (uint8_t)(crc >> 8);
	raw[n++] = (uint8_t)crc;
	if (cap < 1)
		return -ENOSPC;
	rc = cobs_encode(raw, n, out, cap - 1);
	if (rc < 0)
		return rc;
	out[rc] = 0;
	return rc + 1;
}

int frame_decode(const uint8_t *enc, size_t n, struct frame *out)
{
	uint8_t raw[FRAME_RAW_MAX];
	int len, plen;
	uint16_t crc;

	if (n > COBS_MAX_ENCODED(FRAME_RAW_MAX))
		return -E2BIG;
	len = cobs_decode(enc, n, raw, sizeof(raw));
	if (len == -ENOSPC)
		return -E2BIG;
	if (len < 0)
		return -EINVAL;
	if (len < FRAME_HEADER_LEN + FRAME_CRC_LEN)
		return -EINVAL;
	crc = crc16(raw, (size_t)len - FRAME_CRC_LEN);
	if (raw[len - 2] != (uint8_t)(crc >> 8) || raw[len - 1] != (uint8_t)crc)
		return -EBADMSG;
	if (raw[0] != FRAME_VERSION)
		return -EPROTO;
	plen = payload_len(raw[1]);
	if (plen < 0)
		return -EPROTO;
	if (raw[8] != plen || len != FRAME_HEADER_LEN + plen + FRAME_CRC_LEN)
		return -EINVAL;
	out->type = raw[1];
	out->node = get16(raw + 2);
	out->seq = get32(raw + 4);
	if (!seq_fits(out->type, out->seq) || !unpack(raw + FRAME_HEADER_LEN, out))
		return -EINVAL;
	return 0;
}
