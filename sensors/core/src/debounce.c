/* SPDX-License-Identifier: MIT */
/*
 * Door contact debouncer (see debounce.h). A raw change restarts the hold
 * timer; the debounced level follows the raw level once it has held for
 * hold_ms. Bounce that returns to the stable level within the hold time is
 * no event at all.
 */
#include "sbcore/debounce.h"

void debounce_init(struct debounce *d, bool level, uint32_t hold_ms, uint32_t now_ms)
{
	d->hold_ms = hold_ms;
	d->since_ms = now_ms;
	d->raw = level;
	d->stable = level;
}

bool debounce_update(struct debounce *d, bool raw, uint32_t now_ms, uint32_t *at_ms)
{
	if (raw != d->raw) {
		d->raw = raw;
		d->since_ms = now_ms;
	}
	if (d->raw == d->stable)
		return false;
	/* unsigned subtraction: correct across the 2^32 wrap */
	if ((uint32_t)(now_ms - d->since_ms) < d->hold_ms)
		return false;
	d->stable = d->raw;
	if (at_ms)
		*at_ms = d->since_ms;
	return true;
}

bool debounce_pending(const struct debounce *d, uint32_t now_ms, uint32_t *wait_ms)
{
	uint32_t held;

	if (d->raw == d->stable)
		return false;
	held = (uint32_t)(now_ms - d->since_ms);
	if (wait_ms)
		*wait_ms = held >= d->hold_ms ? 0 : d->hold_ms - held;
	return true;
}
