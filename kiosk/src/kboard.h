/* SPDX-License-Identifier: MIT */
/*
 * The board on screen and its cache: opening the SQLite cache (a corrupt one
 * is moved aside), loading the cached board at start, and adopting a board
 * (decoded, checked to be this block's, cached when it came from the broker).
 * Not for: drawing (sbrender), the time zone it brings (tzone.h).
 * Threads: main thread only.
 */
#ifndef SITEBOARD_KIOSK_KBOARD_H
#define SITEBOARD_KIOSK_KBOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <siteboard/board.h>

#include "cache.h"

struct kboard {
	const char *site, *block; /* borrowed (the configuration's) */
	struct cache *cache;      /* owned; NULL: running without a cache */
	struct board *board;      /* owned; the board on screen, NULL: waiting */
	char *json;               /* owned; board's JSON, NUL-terminated */
	size_t len;
	bool from_broker; /* the board on screen came (also) from the broker */
};

/*
 * Open the cache at path into kb->cache; a corrupt file is renamed to
 * path.corrupt and a fresh cache started. Failure is logged and leaves
 * kb->cache NULL (the kiosk then runs without one).
 * @retval 0, or the negative errno of cache_open
 */
int kboard_open_cache(struct kboard *kb, const char *path);

/*
 * Decode, check and adopt json (len bytes, borrowed). from_broker: also
 * write it to the cache, received at now_ms.
 * @retval 0 adopted (the caller redraws)
 * @retval -EALREADY identical to the board shown
 * @retval -EINVAL rejected (logged: undecodable or another block's)
 * @retval -ENOMEM
 */
int kboard_adopt(struct kboard *kb, const char *json, size_t len, bool from_broker,
		 int64_t now_ms);

/*
 * Adopt the cached board, if any. *received_ms: when it was received.
 * @retval 0 adopted, -ENOENT none (or no cache), or kboard_adopt's errors
 */
int kboard_load_cached(struct kboard *kb, int64_t *received_ms);

/* Close the cache and free the board (NULL-safe). */
void kboard_close(struct kboard *kb);

#endif
