/* SPDX-License-Identifier: MIT */
/*
 * Care of the panel the kiosk runs on, as pure functions: the display
 * schedule ("[kiosk] display_off = 23:00-06:00": the screen is blanked in
 * that local-time window, and the kiosk says so in its status) and the
 * burn-in shift (the whole layout moves a few pixels every few minutes so no
 * pixel shows the same thing for days).
 *
 * Not for: drawing (main.c applies the result) or time zones (the caller
 * sets TZ; screencare_is_off reads local time with localtime_r).
 * Threads: re-entrant.
 */
#ifndef SITEBOARD_KIOSK_SCREENCARE_H
#define SITEBOARD_KIOSK_SCREENCARE_H

#include <stdbool.h>
#include <stdint.h>

#define SCREENCARE_SHIFT_PERIOD_MS (3 * 60 * 1000) /* one step every 3 minutes */
#define SCREENCARE_SHIFT_MAX_PX 3                  /* never further than this from home */

/* A daily "off" window in local time; to < from wraps past midnight. */
struct screencare_off {
	bool set;
	int from_min; /* minutes after local midnight, 0..1439 */
	int to_min;
};

/*
 * Parse "HH:MM-HH:MM" (24-hour; "24:00" allowed as an end); NULL, "" or
 * "none" mean no window. from == to is refused (off all day is not a
 * schedule).
 * @retval 0 and *out filled, -EINVAL malformed
 */
int screencare_parse_off(const char *text, struct screencare_off *out);

/* Whether minute_of_day (0..1439) falls in the window: from inclusive, to exclusive. */
bool screencare_off_at(const struct screencare_off *off, int minute_of_day);

/*
 * Whether the screen is off at now_ms (Unix ms, local time by TZ). A clock
 * that is not set (before 2024) never blanks the screen: a wrong clock must
 * not hide the board.
 */
bool screencare_is_off(const struct screencare_off *off, int64_t now_ms);

/*
 * The layout's offset after elapsed_ms of running: (0,0) for the first
 * period, then around a small ring of positions within
 * SCREENCARE_SHIFT_MAX_PX, one step per SCREENCARE_SHIFT_PERIOD_MS.
 */
void screencare_shift(int64_t elapsed_ms, int *dx, int *dy);

#endif
