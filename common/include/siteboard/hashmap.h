/* SPDX-License-Identifier: MIT */
/*
 * A hash map from strings to fixed-size values: FNV-1a, open addressing with
 * linear probing, at most half full, a maximum number of entries set at
 * creation. Values live in the map (one block of value_size bytes each,
 * zeroed when created); the map copies its keys.
 *
 * For: per-transaction tables keyed by sensor or block id, caches of a few
 * thousand rows. Not for: removal of single entries (clear the whole map
 * instead; tables here live for one batch), ordered iteration, or keys that
 * are not NUL-terminated text.
 * Threads: one map, one thread (or the caller's lock).
 * Pointers: a value pointer returned by hashmap_get/hashmap_put is valid until
 * the next hashmap_put, hashmap_clear or hashmap_close (growing moves values).
 */
#ifndef SITEBOARD_HASHMAP_H
#define SITEBOARD_HASHMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hashmap;

#define HASHMAP_FNV_OFFSET UINT32_C(2166136261)

/*
 * FNV-1a over n bytes of data, continuing from h (start with
 * HASHMAP_FNV_OFFSET): also a cheap checksum. Not for anything adversarial.
 */
uint32_t hashmap_fnv1a(uint32_t h, const void *data, size_t n);

/*
 * A map of values of value_size bytes (> 0) and at most max_entries (> 0)
 * entries. Nothing is allocated until the first put.
 * @retval 0 and *out (free with hashmap_close)
 * @retval -EINVAL value_size or max_entries is 0
 * @retval -ENOMEM
 */
int hashmap_open(size_t value_size, size_t max_entries, struct hashmap **out);

/* Free the map, its keys and values. NULL is fine. */
void hashmap_close(struct hashmap *m);

/* The value of key (borrowed), or NULL when absent. */
void *hashmap_get(const struct hashmap *m, const char *key);

/*
 * The value of key, created zeroed when absent (the key is copied);
 * *created (may be NULL) says which.
 * @retval 0 and *value
 * @retval -ENOSPC the map holds max_entries already
 * @retval -ENOMEM
 */
int hashmap_put(struct hashmap *m, const char *key, void **value, bool *created);

/* Forget every entry (the memory is kept for the next batch). */
void hashmap_clear(struct hashmap *m);

/* How many entries. */
size_t hashmap_count(const struct hashmap *m);

/*
 * Iterate: start with *pos = 0; each call gives the next entry's value (and
 * key, when key is not NULL; both borrowed) or NULL at the end. The map must
 * not change while iterating. Order is unspecified.
 */
void *hashmap_next(const struct hashmap *m, size_t *pos, const char **key);

#endif
