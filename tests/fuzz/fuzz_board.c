/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for board_decode, the kiosk's parser of boards from the
 * network. Whatever decodes must also encode and decode again to the same
 * JSON, so a board the kiosk accepts is one the server could have sent.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "siteboard/board.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct board *b = NULL;
	struct board *b2 = NULL;
	char *json = NULL;
	char *json2 = NULL;
	char err[256];

	if (board_decode((const char *)data, size, &b, err, sizeof(err)) != 0) {
		if (b != NULL || err[0] == '\0')
			abort();
		return 0;
	}
	if (board_encode(b, &json) != 0)
		abort();
	if (board_decode(json, strlen(json), &b2, err, sizeof(err)) != 0)
		abort();
	if (board_encode(b2, &json2) != 0 || strcmp(json, json2) != 0)
		abort();
	free(json);
	free(json2);
	board_free(b);
	board_free(b2);
	return 0;
}
