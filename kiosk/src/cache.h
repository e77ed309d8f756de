/* SPDX-License-Identifier: MIT */
/*
 * The kiosk's local cache (SQLite, one file): the last good board JSON per
 * site/block, with its version and the time it was received, so that the
 * screen shows the last board at start before any broker answers. Only
 * boards that board_decode accepted are put here. Main thread only.
 */
#ifndef SITEBOARD_KIOSK_CACHE_H
#define SITEBOARD_KIOSK_CACHE_H

#include <stddef.h>
#include <stdint.h>

struct cache;

/*
 * Open (creating if needed) the cache file at path (borrowed).
 * @retval 0 and *out set (close with cache_close)
 * @retval -EIO the file cannot be opened or is not a usable cache (corrupt,
 *         not SQLite, read-only); the reason is logged
 * @retval -ENOMEM
 */
int cache_open(const char *path, struct cache **out);

/* Close. NULL is fine. */
void cache_close(struct cache *c);

/*
 * Store json[0..len) (copied) as the board of site/block, replacing any.
 * @retval 0, -EIO (logged), -EINVAL (NULL or empty arguments)
 */
int cache_put(struct cache *c, const char *site, const char *block, int64_t version,
	      int64_t received_ms, const char *json, size_t len);

/*
 * Fetch the board of site/block. *json is malloc'd and NUL-terminated (caller
 * frees); version and received_ms may be NULL.
 * @retval 0, -ENOENT nothing cached, -EIO (logged), -ENOMEM
 */
int cache_get(struct cache *c, const char *site, const char *block, char **json, size_t *len,
	      int64_t *version, int64_t *received_ms);

#endif
