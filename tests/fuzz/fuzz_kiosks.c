/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for kiosks_parse, the server's edge for kiosk status
 * messages. The first input byte picks the topic (a good one or a bad one),
 * the rest is the payload. A parsed status must satisfy the header's promises.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "devices/kiosks.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const topics[] = {
		"siteboard/barton-hill/tower-a/kiosk/lobby-1/status",
		"siteboard/barton-hill/Tower A/kiosk/lobby-1/status",
		"siteboard/other-site/tower-a/kiosk/lobby-1/status",
		"siteboard/barton-hill/tower-a/kiosk/+/status",
	};
	struct kiosk_status st;

	if (size == 0)
		return 0;
	memset(&st, 0, sizeof(st));
	if (kiosks_parse("barton-hill", topics[data[0] % 4], data + 1, size - 1, &st) == 0) {
		if (data[0] % 4 != 0 || strlen(st.version) > KIOSKS_VERSION_MAX ||
		    strlen(st.display) > KIOSKS_DISPLAY_MAX || st.board_version < -1 ||
		    strcmp(st.block, "tower-a") != 0 || strcmp(st.id, "lobby-1") != 0)
			abort();
	}
	return 0;
}
