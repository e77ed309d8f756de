/* SPDX-License-Identifier: MIT */
/*
 * Fixed table of keys, each with a ring of its last `limit` hit times (see
 * ratelimit.h). Lookups are linear: the table is small (hundreds of keys).
 */
#include "http/ratelimit.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct slot {
	char key[RATELIMIT_KEY_MAX + 1];
	int64_t hits[RATELIMIT_LIMIT_MAX]; /* ring, oldest at next */
	int n;
	int next;
	int64_t last;
};

struct ratelimit {
	pthread_mutex_t mutex;
	int limit;
	int64_t window_ms;
	size_t max_keys;
	struct slot *slots;
};

int ratelimit_open(int limit, int64_t window_ms, size_t max_keys, struct ratelimit **out)
{
	struct ratelimit *r = NULL;

	*out = NULL;
	if (limit <= 0 || limit > RATELIMIT_LIMIT_MAX || max_keys == 0 || window_ms <= 0)
		return -EINVAL;
	r = calloc(1, sizeof(*r));
	if (r == NULL)
		return -ENOMEM;
	r->slots = calloc(max_keys, sizeof(*r->slots));
	if (r->slots == NULL) {
		free(r);
		return -ENOMEM;
	}
	pthread_mutex_init(&r->mutex, NULL);
	r->limit = limit;
	r->window_ms = window_ms;
	r->max_keys = max_keys;
	*out = r;
	return 0;
}

void ratelimit_close(struct ratelimit *r)
{
	if (r == NULL)
		return;
	pthread_mutex_destroy(&r->mutex);
	free(r->slots);
	free(r);
}

static struct slot *find(struct ratelimit *r, const char *key, bool create)
{
	char k[RATELIMIT_KEY_MAX + 1];
	struct slot *oldest = NULL;

	snprintf(k, sizeof(k), "%s", key);
	for (size_t i = 0; i < r->max_keys; i++) {
		struct slot *s = &r->slots[i];

		if (s->key[0] != '\0' && strcmp(s->key, k) == 0)
			return s;
		if (oldest == NULL || s->key[0] == '\0' ||
		    (oldest->key[0] != '\0' && s->last < oldest->last))
			oldest = s;
	}
	if (!create)
		return NULL;
	memset(oldest, 0, sizeof(*oldest));
	snprintf(oldest->key, sizeof(oldest->key), "%s", k);
	return oldest;
}

static int recent(const struct ratelimit *r, const struct slot *s, int64_t now_ms)
{
	int n = 0;

	for (int i = 0; i < s->n; i++)
		if (now_ms - s->hits[i] < r->window_ms)
			n++;
	return n;
}

static bool ok_locked(struct ratelimit *r, const char *key, int64_t now_ms)
{
	struct slot *s = find(r, key, false);

	return s == NULL || recent(r, s, now_ms) < r->limit;
}

static void hit_locked(struct ratelimit *r, const char *key, int64_t now_ms)
{
	struct slot *s = find(r, key, true);

	s->hits[s->next] = now_ms;
	s->next = (s->next + 1) % r->limit;
	if (s->n < r->limit)
		s->n++;
	s->last = now_ms;
}

bool ratelimit_ok(struct ratelimit *r, const char *key, int64_t now_ms)
{
	bool ok;

	pthread_mutex_lock(&r->mutex);
	ok = ok_locked(r, key, now_ms);
	pthread_mutex_unlock(&r->mutex);
	return ok;
}

void ratelimit_hit(struct ratelimit *r, const char *key, int64_t now_ms)
{
	pthread_mutex_lock(&r->mutex);
	hit_locked(r, key, now_ms);
	pthread_mutex_unlock(&r->mutex);
}

bool ratelimit_take(struct ratelimit *r, const char *key, int64_t now_ms)
{
	bool ok;

	pthread_mutex_lock(&r->mutex);
	ok = ok_locked(r, key, now_ms);
	if (ok)
		hit_locked(r, key, now_ms);
	pthread_mutex_unlock(&r->mutex);
	return ok;
}

void ratelimit_untake(struct ratelimit *r, const char *key, int64_t at_ms)
{
	int64_t kept[RATELIMIT_LIMIT_MAX];
	struct slot *s = NULL;
	bool found = false;
	int n = 0;

	pthread_mutex_lock(&r->mutex);
	s = find(r, key, false);
	/* keep the others oldest first at 0..n-1, next = n: as a ring not yet full */
	for (int k = 0; s != NULL && k < s->n; k++) {
		int64_t t = s->hits[(s->next - s->n + r->limit + k) % r->limit];

		if (!found && t == at_ms)
			found = true;
		else
			kept[n++] = t;
	}
	if (found) {
		memcpy(s->hits, kept, (size_t)n * sizeof(kept[0]));
		s->n = n;
		s->next = n;
	}
	pthread_mutex_unlock(&r->mutex);
}

void ratelimit_clear(struct ratelimit *r, const char *key)
{
	struct slot *s = NULL;

	pthread_mutex_lock(&r->mutex);
	s = find(r, key, false);
	if (s != NULL)
		memset(s, 0, sizeof(*s));
	pthread_mutex_unlock(&r->mutex);
}
