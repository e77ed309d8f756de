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

struct sink {
	void *ctx;
	int (*door)(void *ctx, size_t sensor, int64_t ts_ms, bool open);
	/* e->seq is ignored: the queue assigns it */
	int (*noise)(void *ctx, size_t sensor, const struct event_noise *e);
	atomic_bool *stop; /* set when inputs must return */
};

#endif
