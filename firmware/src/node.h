/* SPDX-License-Identifier: MIT */
/*
 * The sensor node's application, one step per main-loop pass: debounced door
 * edges and noise periods become DOOR and NOISE frames in the link's ring,
 * due frames go out on the UART, ACKs come back in, a HEARTBEAT goes out
 * now and then. Everything it needs from the hardware comes through board.h.
 * struct node holds every buffer the node uses (about 10 KiB); it is placed
 * statically and nothing is allocated. One owner: the main loop.
 */
#ifndef SBFW_NODE_H
#define SBFW_NODE_H

#include <stdbool.h>
#include <stdint.h>

#include "sbcore/debounce.h"
#include "sbcore/deframe.h"
#include "sbcore/link.h"
#include "sbcore/noise.h"

#define NODE_AUDIO_BLOCK 240 /* 5 ms at 48 kHz */
#define NODE_DOOR_HOLD_MS 50

struct node_config {
	uint16_t id;
	uint32_t noise_period_s;
	uint32_t heartbeat_ms;
	uint8_t fw_major, fw_minor, fw_patch;
};

struct node {
	struct node_config cfg;
	struct link link;
	struct deframe rx;
	struct debounce door;
	struct noise_meter meter;
	bool meter_ok;
	bool audio_started;
	uint32_t audio_origin_ms; /* board_millis of the first sample */
	uint32_t next_heartbeat_ms;
	float audio[NODE_AUDIO_BLOCK];
	uint8_t io[FRAME_WIRE_MAX];
};

/*
 * Set up n and queue the HELLO. @retval 0, or the noise meter's error (the
 * node then runs without noise, and says so in HELLO's capabilities)
 */
int node_init(struct node *n, const struct node_config *cfg);

/* One pass of the main loop; never blocks for long. */
void node_step(struct node *n);

#endif
