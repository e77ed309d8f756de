/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for sensord's scripted-events parser (script_parse): any
 * bytes must give 0, -ENODATA or -EINVAL with a NUL-terminated reason, and a
 * parsed door event must carry a valid sensor id.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../sensors/gateway/src/script.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct script_cmd c;
	char err[160];
	int rc = script_parse((const char *)data, size, &c, err, sizeof(err));

	if (rc != 0 && rc != -ENODATA && rc != -EINVAL)
		abort();
	if (rc == -EINVAL && memchr(err, '\0', sizeof(err)) == NULL)
		abort();
	if (rc == 0 && c.kind == SCRIPT_DOOR && !topic_id_valid(c.sensor))
		abort();
	if (rc == 0 && c.kind == SCRIPT_SLEEP && (c.sleep_ms < 0 || c.sleep_ms > SCRIPT_SLEEP_MAX_MS))
		abort();
	return 0;
}
