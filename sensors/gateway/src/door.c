/* SPDX-License-Identifier: MIT */
/*
 * Debounced door event path (see door.h). The core debouncer runs on a
 * 32-bit millisecond clock taken from the monotonic clock; event times are
 * turned into wall-clock time by their age when reported, so a clock step
 * between edge and report cannot reorder them.
 */
#include "door.h"

#include <errno.h>

#include <sbcore/debounce.h>
#include <siteboard/log.h>
#include <siteboard/sbtime.h>

#define DOOR_POLL_MS 200

static void report(size_t sensor, const struct sink *sink, bool open, int64_t at_mono)
{
	int64_t age = sbtime_mono_ms() - at_mono;
	int rc;

	if (age < 0)
		age = 0;
	rc = sink->door(sink->ctx, sensor, sbtime_now_ms() - age, open);
	if (rc < 0)
		log_error("door: reading not queued (%d); see the queue's error above", rc);
}

int door_run(const struct door_line_ops *ops, void *line, uint32_t debounce_ms, size_t sensor,
	     const struct sink *sink)
{
	struct debounce d;
	int64_t base = sbtime_mono_ms(); /* the debouncer counts from here */
	int64_t at_mono = 0;
	uint32_t at = 0, wait = 0, now32;
	bool open = false;
	int rc;

	rc = ops->read(line, &open);
	if (rc < 0)
		return rc;
	debounce_init(&d, open, debounce_ms, 0);
	report(sensor, sink, open, base);
	while (!atomic_load(sink->stop)) {
		int timeout = DOOR_POLL_MS;

		if (debounce_pending(&d, (uint32_t)(sbtime_mono_ms() - base), &wait) &&
		    wait < (uint32_t)timeout)
			timeout = (int)wait;
		rc = ops->wait(line, timeout, &open, &at_mono);
		if (rc < 0)
			return rc;
		if (rc == 0) {
			open = d.raw;
			at_mono = sbtime_mono_ms();
		}
		now32 = (uint32_t)(at_mono - base);
		if (debounce_update(&d, open, now32, &at))
			report(sensor, sink, d.stable, at_mono - (int64_t)(uint32_t)(now32 - at));
		/* the clock alone may complete a change the edge started */
		at_mono = sbtime_mono_ms();
		now32 = (uint32_t)(at_mono - base);
		if (debounce_update(&d, d.raw, now32, &at))
			report(sensor, sink, d.stable, at_mono - (int64_t)(uint32_t)(now32 - at));
	}
	return 0;
}
