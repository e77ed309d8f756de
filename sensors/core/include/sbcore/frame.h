/* SPDX-License-Identifier: MIT */
/*
 * Frames of the node <-> sensord serial link (docs/firmware.md has the
 * byte-by-byte layout). One frame on the wire is
 *
 *     COBS( header | payload | crc16 ) 0x00
 *
 * header  = version(1) type(1) node(2, LE) seq(4, LE) length(1)
 * payload = `length` bytes, exactly the size the type defines
 * crc16   = CRC-16/CCITT-FALSE of header and payload, big-endian
 *
 * All multi-byte fields are little-endian except the CRC. This module turns
 * a struct frame into wire bytes and back; frame_decode is the one place
 * that validates bytes from the link, and everything it accepts is
 * well-formed (version, type, length, ranges), so callers trust the struct.
 * Freestanding, pure functions, no allocation.
 */
#ifndef SBCORE_FRAME_H
#define SBCORE_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FRAME_VERSION 1
#define FRAME_HEADER_LEN 9
#define FRAME_PAYLOAD_MAX 16 /* the largest type, HELLO */
#define FRAME_CRC_LEN 2
#define FRAME_RAW_MAX (FRAME_HEADER_LEN + FRAME_PAYLOAD_MAX + FRAME_CRC_LEN)
/* COBS of the largest raw frame, plus the 0x00 delimiter. */
#define FRAME_WIRE_MAX (FRAME_RAW_MAX + FRAME_RAW_MAX / 254 + 1 + 1)

/* A level that could not be measured (e.g. digital silence) on the wire. */
#define FRAME_LEVEL_NONE INT16_MIN

enum frame_type {
	FRAME_HELLO = 0x01,     /* node -> sensord, sequenced */
	FRAME_DOOR = 0x02,      /* node -> sensord, sequenced */
	FRAME_NOISE = 0x03,     /* node -> sensord, sequenced */
	FRAME_HEARTBEAT = 0x04, /* node -> sensord, seq 0: not acknowledged */
	FRAME_ACK = 0x05,       /* sensord -> node, seq 0 */
	FRAME_STIMULUS = 0x7F,  /* test rig -> node, seq 0; only test builds act on it */
};

/* Capability bits of HELLO. */
#define FRAME_CAP_DOOR 0x01u
#define FRAME_CAP_NOISE 0x02u
#define FRAME_CAP_STIMULUS 0x80u /* a test build: accepts STIMULUS frames */

struct frame_hello {
	uint8_t fw_major, fw_minor, fw_patch;
	uint8_t caps;        /* FRAME_CAP_* */
	uint32_t boot_count; /* rises per boot where the board can count; else 0 */
	uint32_t uptime_ms;  /* node uptime when the HELLO was made */
	uint32_t age_ms;     /* ms between making and sending */
};

struct frame_door {
	uint8_t open;       /* 1 open, 0 closed */
	uint32_t uptime_ms; /* node uptime at the (debounced) edge */
	uint32_t age_ms;    /* ms between the edge and sending */
};

struct frame_noise {
	uint16_t period_s; /* 1..65535 */
	int16_t laeq;      /* hundredths of a dB, or FRAME_LEVEL_NONE */
	int16_t lafmax;
	int16_t la90;
	uint32_t age_ms; /* ms between the start of the period and sending */
};

struct frame_heartbeat {
	uint32_t uptime_ms;
	uint16_t battery_mv; /* 0 when the board cannot measure it */
	uint32_t dropped;    /* frames dropped from a full ring, since boot */
	uint32_t rx_bad;     /* malformed or corrupt frames received, since boot */
};

struct frame_ack {
	uint32_t seq; /* the sequenced frame acknowledged */
};

enum frame_stimulus_kind {
	FRAME_STIM_DOOR = 1, /* value: 1 open, 0 closed (raw contact level) */
	FRAME_STIM_TONE = 2, /* value: 1 kHz tone level, hundredths of a dB; FRAME_LEVEL_NONE: silence */
	FRAME_STIM_BURST = 3 /* value: level of a 1 s burst of tone, hundredths of a dB */
};

struct frame_stimulus {
	uint8_t kind;
	int16_t value;
};

struct frame {
	uint8_t type;  /* enum frame_type */
	uint16_t node; /* the node's id, both directions */
	uint32_t seq;  /* 1.. for sequenced types, 0 otherwise */
	union {
		struct frame_hello hello;
		struct frame_door door;
		struct frame_noise noise;
		struct frame_heartbeat heartbeat;
		struct frame_ack ack;
		struct frame_stimulus stimulus;
	} u;
};

/* True for types that are acknowledged, retransmitted and de-duplicated. */
bool frame_sequenced(uint8_t type);

/*
 * Encode f into out (capacity cap) as wire bytes: COBS of the raw frame
 * followed by the 0x00 delimiter. cap >= FRAME_WIRE_MAX is always enough.
 * @retval the number of bytes, -EINVAL for an unknown type or a seq that
 *         does not fit the type, -ENOSPC
 */
int frame_encode(const struct frame *f, uint8_t *out, size_t cap);

/*
 * Decode one frame from the bytes between two delimiters (COBS-encoded,
 * delimiter excluded). Rejects: bad COBS, oversize, short, wrong CRC,
 * unknown version or type, a length byte that disagrees with the bytes
 * present or with the type, a seq that does not fit the type, out-of-range
 * values (door state, stimulus kind, noise period 0).
 * @retval 0, -EINVAL (malformed), -EBADMSG (CRC mismatch), -E2BIG (oversize),
 *         -EPROTO (unknown version or type)
 */
int frame_decode(const uint8_t *enc, size_t n, struct frame *out);

#endif
