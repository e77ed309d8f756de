/* SPDX-License-Identifier: MIT */
/*
 * Door contact debouncer: freestanding (no malloc, no stdio, no OS), shared by
 * siteboard-sensord and the firmware. A pure function of (state, raw level,
 * time in ms): the caller feeds every edge it sees and polls when
 * debounce_pending says so; the debounced level changes once the raw level
 * has stayed put for hold_ms. Times are a free-running uint32_t millisecond
 * counter; differences are taken modulo 2^32, so wrap-around is harmless as
 * long as the caller polls at least once every 24 days.
 * Caller-allocated; one owner; no locking.
 */
#ifndef SBCORE_DEBOUNCE_H
#define SBCORE_DEBOUNCE_H

#include <stdbool.h>
#include <stdint.h>

struct debounce {
	uint32_t hold_ms;  /* how long the raw level must be stable */
	uint32_t since_ms; /* time of the last raw change */
	bool raw;          /* last raw level fed */
	bool stable;       /* debounced level */
};

/* Start at a known level (e.g. read at start-up), nothing pending. */
void debounce_init(struct debounce *d, bool level, uint32_t hold_ms, uint32_t now_ms);

/*
 * Feed the raw level seen at now_ms (on an edge, or when polled with the
 * current level). Returns true when the debounced level changes; d->stable
 * is then the new level and *at_ms (if not NULL) the time the contact
 * settled, i.e. the last raw edge, which is the event's time.
 */
bool debounce_update(struct debounce *d, bool raw, uint32_t now_ms, uint32_t *at_ms);

/*
 * True when a change is waiting to be confirmed; *wait_ms (if not NULL) is
 * then how long until debounce_update should be called again (0: now).
 */
bool debounce_pending(const struct debounce *d, uint32_t now_ms, uint32_t *wait_ms);

#endif
