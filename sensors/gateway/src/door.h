/* SPDX-License-Identifier: MIT */
/*
 * A debounced door contact: the event path between a raw line (GPIO through
 * gpio.c, or a fake in the tests) and the sink. Reports the initial state at
 * start, then every debounced change, both edges, timestamped with the time
 * the contact settled. Not for scripted doors, which need no debouncing.
 */
#ifndef SENSORD_DOOR_H
#define SENSORD_DOOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sink.h"

/* A raw door line. "level" is true when the door is open. */
struct door_line_ops {
	/* Read the current level. 0 or a negative errno. */
	int (*read)(void *line, bool *open);
	/*
	 * Wait up to timeout_ms for an edge. Returns 1 with the level after it and
	 * its time (monotonic ms, as sbtime_mono_ms) in *at_ms, 0 on timeout, or
	 * a negative errno.
	 */
	int (*wait)(void *line, int timeout_ms, bool *open, int64_t *at_ms);
};

/*
 * Run until *sink->stop is set (checked at least every 200 ms) or the line
 * fails. Blocking: sensord runs each door on its own thread.
 * @retval 0 stopped, or the negative errno of a line failure (logged)
 */
int door_run(const struct door_line_ops *ops, void *line, uint32_t debounce_ms, size_t sensor,
	     const struct sink *sink);

#endif
