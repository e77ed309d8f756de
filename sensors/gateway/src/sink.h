/* SPDX-License-Identifier: MIT */
/*
 * Where inputs deliver readings: sensord's sink queues them on disk (and the
 * unit tests' fake sink records them). Sensors are named by their index in
 * the configuration. Called from input threads: a sink must be thread-safe.
 * Returns 0 or a negative errno (the input logs it and carries on).
 */
#ifndef SENSORD_SINK_H
#define SENSORD_SINK_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <siteboard/event.h>

/* Where a firmware node's event came from (nodelink.c); see outbox_push_node. */
struct sink_origin {
	uint16_t node;
	uint32_t boot_count;
	int64_t boot_ms;  /* the node link's estimate of the boot, fixed per boot */
	uint32_t node_seq;
};

struct sink {
	void *ctx;
	int (*door)(void *ctx, size_t sensor, int64_t ts_ms, bool open);
	/* e->seq is ignored: the queue assigns it */
	int (*noise)(void *ctx, size_t sensor, const struct event_noise *e);
	atomic_bool *stop; /* set when inputs must return */
	/*
	 * Optional, for frames from a firmware node: as door/noise, plus the
	 * frame's origin, so that the same frame delivered twice is queued once.
	 * When NULL, the node link calls door/noise.
	 */
	int (*node_door)(void *ctx, size_t sensor, const struct sink_origin *o, int64_t ts_ms,
			 bool open);
	int (*node_noise)(void *ctx, size_t sensor, const struct sink_origin *o,
			  const struct event_noise *e);
};

#endif
