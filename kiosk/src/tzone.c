/* SPDX-License-Identifier: MIT */
/*
 * The process's time zone, set only while single-threaded (see tzone.h).
 */
#include "tzone.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TZONE_MAX 128

static char applied[TZONE_MAX]; /* "" until tzone_apply succeeds */

int tzone_apply(const char *zone)
{
	size_t n;

	if (!zone || !zone[0])
		return -EINVAL;
	n = strlen(zone);
	if (n >= sizeof(applied))
		return -EINVAL;
	if (setenv("TZ", zone, 1) != 0)
		return -ENOMEM;
	tzset();
	memcpy(applied, zone, n + 1);
	return 0;
}

bool tzone_differs(const char *zone)
{
	return zone && zone[0] && strcmp(zone, applied) != 0;
}
