/* SPDX-License-Identifier: MIT */
/*
 * The kiosk's status payload (see status.h). Times through common's
 * sbtime_format.
 */
#include "status.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include <siteboard/sbtime.h>

int status_format(int64_t board_version, int64_t shown_at_ms, bool screen_off, char *buf,
		  size_t n)
{
	char shown[SBTIME_BUFSZ];
	int rc, w;

	if (n < STATUS_BUFSZ)
		return -ENOSPC;
	rc = sbtime_format(shown_at_ms, shown, sizeof(shown));
	if (rc < 0)
		return rc;
	w = snprintf(buf, n,
		     "{\"state\":\"online\",\"version\":\"" SITEBOARD_VERSION
		     "\",\"board_version\":%" PRId64 ",\"shown_at\":\"%s\",\"display\":\"%s\"}",
		     board_version, shown, screen_off ? "off-by-schedule" : "on");
	return w < 0 || (size_t)w >= n ? -ENOSPC : 0;
}
