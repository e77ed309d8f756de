/* SPDX-License-Identifier: MIT */
/*
 * The board on screen and its cache (see kboard.h).
 */
#include "kboard.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <siteboard/log.h>

int kboard_open_cache(struct kboard *kb, const char *path)
{
	int rc = cache_open(path, &kb->cache);

	if (rc == -EIO) {
		/* a corrupt cache must not keep the screen dark: move it aside */
		char aside[4096];

		snprintf(aside, sizeof(aside), "%s.corrupt", path);
		log_warn("cache %s unusable: moved to %s, starting empty", path, aside);
		if (rename(path, aside) == 0)
			rc = cache_open(path, &kb->cache);
	}
	if (rc < 0) {
		log_error("running without a cache (%s)", strerror(-rc));
		kb->cache = NULL;
	}
	return rc;
}

int kboard_adopt(struct kboard *kb, const char *json, size_t len, bool from_broker,
		 int64_t now_ms)
{
	struct board *b = NULL;
	char err[256] = "";
	char *copy = NULL;
	int rc;

	if (kb->board && len == kb->len && memcmp(json, kb->json, len) == 0) {
		kb->from_broker |= from_broker;
		return -EALREADY;
	}
	rc = board_decode(json, len, &b, err, sizeof(err));
	if (rc < 0) {
		log_warn("board rejected: %s", err[0] ? err : strerror(-rc));
		return -EINVAL;
	}
	if (strcmp(b->site_id, kb->site) != 0 || strcmp(b->block_id, kb->block) != 0) {
		log_warn("board for %s/%s rejected: this kiosk shows %s/%s", b->site_id, b->block_id,
			 kb->site, kb->block);
		board_free(b);
		return -EINVAL;
	}
	copy = malloc(len + 1);
	if (!copy) {
		board_free(b);
		return -ENOMEM;
	}
	memcpy(copy, json, len);
	copy[len] = '\0';
	if (from_broker && kb->cache &&
	    cache_put(kb->cache, kb->site, kb->block, b->version, now_ms, json, len) < 0)
		log_warn("board version %" PRId64 " not cached", b->version);
	log_info("board version %" PRId64 " %s", b->version,
		 from_broker ? "received" : "loaded from the cache");
	board_free(kb->board);
	free(kb->json);
	kb->board = b;
	kb->json = copy;
	kb->len = len;
	kb->from_broker = from_broker;
	return 0;
}

int kboard_load_cached(struct kboard *kb, int64_t *received_ms)
{
	char *json = NULL;
	size_t len = 0;
	int64_t received = 0;
	int rc = -ENOENT;

	if (!kb->cache)
		return -ENOENT;
	if (cache_get(kb->cache, kb->site, kb->block, &json, &len, NULL, &received) == 0) {
		rc = kboard_adopt(kb, json, len, false, 0);
		if (rc == 0)
			*received_ms = received;
	}
	free(json);
	return rc;
}

void kboard_close(struct kboard *kb)
{
	if (!kb)
		return;
	cache_close(kb->cache);
	board_free(kb->board);
	free(kb->json);
	kb->cache = NULL;
	kb->board = NULL;
	kb->json = NULL;
	kb->len = 0;
}
