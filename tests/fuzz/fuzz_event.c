/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the sensor payload decoders (the server's edge for
 * sensor input). What decodes must encode and decode back to the same values.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "siteboard/event.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	char err[256];
	char buf[512];
	struct event_door d, d2;
	struct event_noise n, n2;
	struct event_status st, st2;

	if (event_door_decode(s, size, &d, err, sizeof(err)) == 0) {
		if (event_door_encode(&d, buf, sizeof(buf)) <= 0 ||
		    event_door_decode(buf, strlen(buf), &d2, err, sizeof(err)) != 0 ||
		    d2.seq != d.seq || d2.ts_ms != d.ts_ms || d2.open != d.open)
			abort();
	}
	if (event_noise_decode(s, size, &n, err, sizeof(err)) == 0) {
		if (event_noise_encode(&n, buf, sizeof(buf)) <= 0 ||
		    event_noise_decode(buf, strlen(buf), &n2, err, sizeof(err)) != 0 ||
		    n2.seq != n.seq || n2.has_levels != n.has_levels || n2.period_s != n.period_s)
			abort();
	}
	if (event_status_decode(s, size, &st, err, sizeof(err)) == 0) {
		if (event_status_encode(&st, buf, sizeof(buf)) <= 0 ||
		    event_status_decode(buf, strlen(buf), &st2, err, sizeof(err)) != 0 ||
		    st2.online != st.online)
			abort();
	}
	return 0;
}
