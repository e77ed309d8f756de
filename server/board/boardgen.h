/* SPDX-License-Identifier: MIT */
/*
 * Builds a block's board (schema siteboard.board/1, common/board.h) from the
 * store and the site's configuration, and encodes it to JSON. Items come out
 * in board order because the store keeps them by sort key (api sets it):
 * notices urgent, important, normal, then by from; works by from date;
 * events by when; delays and contacts in creation order.
 *
 * Not for: storing or publishing the result (api, publish).
 * Threads: the caller holds the store lock.
 */
#ifndef SITEBOARD_SERVER_BOARDGEN_H
#define SITEBOARD_SERVER_BOARDGEN_H

#include <stdint.h>

#include "store/store.h"

struct sitehours;

/* The site-wide part of every board. All strings borrowed from the config. */
struct boardgen_site {
	const char *id;
	const char *name;
	const char *contractor; /* NULL when not configured */
	const char *timezone;
	const char *public_url; /* no trailing slash */
	struct sitehours *hours; /* the hours (sitehours.h), borrowed; NULL: the default week */
};

/*
 * Encode the board of block with the given version and generated_at.
 * *json is malloc'd (caller frees).
 * @retval 0
 * @retval -ENOENT no such block
 * @retval -E2BIG the encoded board exceeds BOARD_MAX_BYTES
 * @retval -EIO, -ENOMEM, -EINVAL (stored data unusable; logged)
 */
int boardgen_build(struct store *s, const struct boardgen_site *site, const char *block,
		   int64_t version, int64_t now_ms, char **json);

#endif
