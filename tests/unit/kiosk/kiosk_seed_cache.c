/* SPDX-License-Identifier: MIT */
/*
 * Test helper: put a board JSON file into a kiosk cache, as the kiosk would
 * after receiving it, so that render tests can run --screenshot without a
 * broker. Usage: kiosk_seed_cache CACHE.sqlite BOARD.json
 * The board is validated with board_decode first; exits 1 on any error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <siteboard/board.h>
#include <siteboard/log.h>
#include <siteboard/sbtime.h>

#include "cache.h"

int main(int argc, char **argv)
{
	struct cache *c = NULL;
	struct board *b = NULL;
	char err[256] = "";
	char *json = NULL;
	size_t len = 0;
	FILE *f = NULL;
	int status = 1;

	log_init("kiosk_seed_cache");
	if (argc != 3) {
		fprintf(stderr, "usage: kiosk_seed_cache CACHE BOARD.json\n");
		return 2;
	}
	f = fopen(argv[2], "rb");
	if (!f) {
		fprintf(stderr, "kiosk_seed_cache: %s: %s\n", argv[2], strerror(errno));
		goto out;
	}
	json = malloc(BOARD_MAX_BYTES + 1);
	if (!json)
		goto out;
	len = fread(json, 1, BOARD_MAX_BYTES, f);
	if (board_decode(json, len, &b, err, sizeof(err)) < 0) {
		fprintf(stderr, "kiosk_seed_cache: %s: %s\n", argv[2], err);
		goto out;
	}
	if (cache_open(argv[1], &c) < 0 ||
	    cache_put(c, b->site_id, b->block_id, b->version, sbtime_now_ms(), json, len) < 0)
		goto out;
	status = 0;
out:
	cache_close(c);
	board_free(b);
	free(json);
	if (f)
		fclose(f);
	return status;
}
