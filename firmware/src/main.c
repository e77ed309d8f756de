/* SPDX-License-Identifier: MIT */
/*
 * siteboard-node: the sensor node's main loop. Everything is set up once;
 * afterwards the loop kicks the watchdog, runs one node step and sleeps
 * until the next interrupt (the 1 ms tick at the latest).
 */
#include "board.h"
#include "node.h"

#ifndef NODE_ID
#define NODE_ID 1
#endif
#ifndef NODE_NOISE_PERIOD_S
#define NODE_NOISE_PERIOD_S 60
#endif
#ifndef NODE_HEARTBEAT_MS
#define NODE_HEARTBEAT_MS 30000
#endif

static struct node node;

int main(void)
{
	static const struct node_config cfg = {
		.id = NODE_ID,
		.noise_period_s = NODE_NOISE_PERIOD_S,
		.heartbeat_ms = NODE_HEARTBEAT_MS,
		.fw_major = SBFW_VERSION_MAJOR,
		.fw_minor = SBFW_VERSION_MINOR,
		.fw_patch = SBFW_VERSION_PATCH,
	};

	board_init();
	(void)node_init(&node, &cfg);
	for (;;) {
		board_watchdog_kick();
		node_step(&node);
		board_sleep();
	}
}
