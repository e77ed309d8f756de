/* SPDX-License-Identifier: MIT */
/*
 * String-keyed open-addressing hash map (see hashmap.h). The slot count is a
 * power of two, at least twice the entries, so probes stay short and a probe
 * always finds an empty slot. Keys are strdup'd; values sit in one array
 * beside the slots so a value pointer is plain memory of value_size bytes.
 */
#include "siteboard/hashmap.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define HASHMAP_SLOTS_MIN 16

struct slot {
	char *key; /* owned; NULL when empty */
	uint32_t hash;
};

struct hashmap {
	struct slot *slots;
	unsigned char *values; /* n_slots * value_size bytes */
	size_t n_slots;        /* 0 or a power of two */
	size_t n_used;
	size_t value_size;
	size_t max_entries;
};

uint32_t hashmap_fnv1a(uint32_t h, const void *data, size_t n)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= UINT32_C(16777619);
	}
	return h;
}

static uint32_t key_hash(const char *key)
{
	return hashmap_fnv1a(HASHMAP_FNV_OFFSET, key, strlen(key));
}

int hashmap_open(size_t value_size, size_t max_entries, struct hashmap **out)
{
	struct hashmap *m = NULL;

	*out = NULL;
	if (value_size == 0 || max_entries == 0 || max_entries > SIZE_MAX / 4 / value_size)
		return -EINVAL;
	m = calloc(1, sizeof(*m));
	if (m == NULL)
		return -ENOMEM;
	m->value_size = value_size;
	m->max_entries = max_entries;
	*out = m;
	return 0;
}

void hashmap_clear(struct hashmap *m)
{
	if (m == NULL)
		return;
	for (size_t i = 0; i < m->n_slots; i++) {
		free(m->slots[i].key);
		m->slots[i].key = NULL;
	}
	m->n_used = 0;
}

void hashmap_close(struct hashmap *m)
{
	if (m == NULL)
		return;
	hashmap_clear(m);
	free(m->slots);
	free(m->values);
	free(m);
}

/* The slot holding key, or the empty slot where it would go. */
static size_t find(const struct hashmap *m, const char *key, uint32_t hash)
{
	size_t mask = m->n_slots - 1;
	size_t i = hash & mask;

	while (m->slots[i].key != NULL &&
	       (m->slots[i].hash != hash || strcmp(m->slots[i].key, key) != 0))
		i = (i + 1) & mask;
	return i;
}

static int grow(struct hashmap *m)
{
	size_t n = m->n_slots != 0 ? m->n_slots * 2 : HASHMAP_SLOTS_MIN;
	struct slot *slots = calloc(n, sizeof(*slots));
	unsigned char *values = calloc(n, m->value_size);
	struct hashmap nm = *m;

	if (slots == NULL || values == NULL) {
		free(slots);
		free(values);
		return -ENOMEM;
	}
	nm.slots = slots;
	nm.values = values;
	nm.n_slots = n;
	for (size_t i = 0; i < m->n_slots; i++) {
		size_t j;

		if (m->slots[i].key == NULL)
			continue;
		j = find(&nm, m->slots[i].key, m->slots[i].hash);
		slots[j] = m->slots[i];
		memcpy(values + j * m->value_size, m->values + i * m->value_size, m->value_size);
	}
	free(m->slots);
	free(m->values);
	m->slots = slots;
	m->values = values;
	m->n_slots = n;
	return 0;
}

void *hashmap_get(const struct hashmap *m, const char *key)
{
	size_t i;

	if (m->n_slots == 0)
		return NULL;
	i = find(m, key, key_hash(key));
	return m->slots[i].key != NULL ? m->values + i * m->value_size : NULL;
}

int hashmap_put(struct hashmap *m, const char *key, void **value, bool *created)
{
	uint32_t hash = key_hash(key);
	size_t i;

	if (m->n_slots != 0) {
		i = find(m, key, hash);
		if (m->slots[i].key != NULL) {
			*value = m->values + i * m->value_size;
			if (created != NULL)
				*created = false;
			return 0;
		}
	}
	if (m->n_used >= m->max_entries)
		return -ENOSPC;
	if ((m->n_used + 1) * 2 > m->n_slots && grow(m) < 0)
		return -ENOMEM;
	i = find(m, key, hash);
	m->slots[i].key = strdup(key);
	if (m->slots[i].key == NULL)
		return -ENOMEM;
	m->slots[i].hash = hash;
	m->n_used++;
	*value = m->values + i * m->value_size;
	memset(*value, 0, m->value_size);
	if (created != NULL)
		*created = true;
	return 0;
}

size_t hashmap_count(const struct hashmap *m)
{
	return m->n_used;
}

void *hashmap_next(const struct hashmap *m, size_t *pos, const char **key)
{
	for (size_t i = *pos; i < m->n_slots; i++) {
		if (m->slots[i].key != NULL) {
			*pos = i + 1;
			if (key != NULL)
				*key = m->slots[i].key;
			return m->values + i * m->value_size;
		}
	}
	*pos = m->n_slots;
	return NULL;
}
