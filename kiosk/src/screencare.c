/* SPDX-License-Identifier: MIT */
/*
 * Display schedule and burn-in shift (see screencare.h).
 */
#include "screencare.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#include <sbrender/layout.h>

/* "HH:MM" at s (exactly five characters); max_hour 24 allows "24:00". */
static int parse_hhmm(const char *s, int max_hour, int *out)
{
	int h, m;

	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' || s[2] != ':' ||
	    s[3] < '0' || s[3] > '5' || s[4] < '0' || s[4] > '9')
		return -EINVAL;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	if (h > max_hour || (h == 24 && m != 0))
		return -EINVAL;
	*out = h * 60 + m;
	return 0;
}

int screencare_parse_off(const char *text, struct screencare_off *out)
{
	struct screencare_off off = {false, 0, 0};

	if (text == NULL || text[0] == '\0' || strcmp(text, "none") == 0) {
		*out = off;
		return 0;
	}
	if (strlen(text) != 11 || text[5] != '-' || parse_hhmm(text, 23, &off.from_min) < 0 ||
	    parse_hhmm(text + 6, 24, &off.to_min) < 0)
		return -EINVAL;
	if (off.to_min == 24 * 60)
		off.to_min = 0;
	if (off.from_min == off.to_min)
		return -EINVAL;
	off.set = true;
	*out = off;
	return 0;
}

bool screencare_off_at(const struct screencare_off *off, int minute_of_day)
{
	if (!off->set)
		return false;
	if (off->from_min < off->to_min)
		return minute_of_day >= off->from_min && minute_of_day < off->to_min;
	return minute_of_day >= off->from_min || minute_of_day < off->to_min;
}

bool screencare_is_off(const struct screencare_off *off, int64_t now_ms)
{
	time_t t;
	struct tm tm;

	if (!off->set || now_ms < LAYOUT_CLOCK_VALID_MS)
		return false;
	t = (time_t)(now_ms / 1000);
	if (localtime_r(&t, &tm) == NULL)
		return false;
	return screencare_off_at(off, tm.tm_hour * 60 + tm.tm_min);
}

void screencare_shift(int64_t elapsed_ms, int *dx, int *dy)
{
	/* home first, then a ring: every pixel edge moves, none goes far */
	static const signed char ring[][2] = {
		{0, 0}, {3, 0}, {3, 3}, {0, 3}, {-3, 3}, {-3, 0}, {-3, -3}, {0, -3}, {3, -3},
	};
	const int64_t n = (int64_t)(sizeof(ring) / sizeof(ring[0]));
	int64_t step;

	if (elapsed_ms < 0)
		elapsed_ms = 0;
	step = (elapsed_ms / SCREENCARE_SHIFT_PERIOD_MS) % n;
	*dx = ring[step][0];
	*dy = ring[step][1];
}
