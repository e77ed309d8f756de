/* SPDX-License-Identifier: MIT */
/*
 * Sliding-window counters per key (a client address, a user name): at most
 * `limit` hits in `window_ms`. Used for the public complaint form (5 in 10
 * minutes per address) and for failed sign-ins. Memory is bounded: at most
 * max_keys keys; when full, the key whose last hit is oldest is forgotten.
 * State lives in memory only: a restart forgets it (documented in docs/web.md).
 *
 * Threads: every call may come from any thread (one mutex inside).
 */
#ifndef SITEBOARD_SERVER_RATELIMIT_H
#define SITEBOARD_SERVER_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RATELIMIT_KEY_MAX 64 /* longer keys are cut */
#define RATELIMIT_LIMIT_MAX 32

struct ratelimit;

/*
 * @retval 0 and *out set, -EINVAL (limit 0 or > RATELIMIT_LIMIT_MAX, no keys), -ENOMEM
 */
int ratelimit_open(int limit, int64_t window_ms, size_t max_keys, struct ratelimit **out);

/* NULL is fine. */
void ratelimit_close(struct ratelimit *r);

/* True if key (borrowed) has fewer than limit hits in the window ending at now_ms. */
bool ratelimit_ok(struct ratelimit *r, const char *key, int64_t now_ms);

/* Record a hit for key at now_ms. */
void ratelimit_hit(struct ratelimit *r, const char *key, int64_t now_ms);

/* ratelimit_ok, and if so ratelimit_hit, atomically. */
bool ratelimit_take(struct ratelimit *r, const char *key, int64_t now_ms);

/*
 * Take back one hit of key recorded at at_ms (by ratelimit_take): an attempt
 * counted while it ran that turned out not to count (a sign-in that succeeded).
 */
void ratelimit_untake(struct ratelimit *r, const char *key, int64_t at_ms);

/* Forget key (a successful sign-in clears its failures). */
void ratelimit_clear(struct ratelimit *r, const char *key);

#endif
