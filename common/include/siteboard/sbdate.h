/* SPDX-License-Identifier: MIT */
/*
 * Local calendar dates and their instants in the process's time zone, without
 * mktime (whose handling of the clock-change days and of out-of-range fields
 * such as 2026-02-31 differs between C libraries and is wrong for us: it
 * normalises instead of refusing). The zone is the process's TZ, set once at
 * start-up before threads (setenv + tzset); no setenv("TZ") afterwards. Then
 * every function here may be called from any thread (localtime_r only).
 *
 * For: "is this a real date", day of week, adding days, "the UTC instant of
 * local midnight (or HH:MM) of date D" and "the local date of instant T", right
 * on days of 23 or 25 hours. Not for: parsing or formatting wire times
 * (sbtime.h), or the hours-of-work policy (hours.h, which uses this).
 * Dates are proleptic Gregorian, years 1970..9999; instants are ms since the epoch.
 */
#ifndef SITEBOARD_SBDATE_H
#define SITEBOARD_SBDATE_H

#include <stdbool.h>
#include <stdint.h>

/* A calendar date; plain values, no ownership. */
struct sbdate {
	int year, month, day;
};

/* true if d is a real calendar date in 1970..9999 (2026-02-31 is not). */
bool sbdate_valid(struct sbdate d);

/* Parse exactly "YYYY-MM-DD" (a real date, 1970..9999). @retval 0, -EINVAL */
int sbdate_parse(const char *s, struct sbdate *out);

/* Day of week of a valid date: 0 = Monday .. 6 = Sunday. */
int sbdate_weekday(struct sbdate d);

/* The date n days after d (n may be negative); d must be valid. */
struct sbdate sbdate_add_days(struct sbdate d, int64_t n);

/*
 * The UTC instant of local wall time `minute` (0..1440) of date d. A time in
 * the spring gap maps to the first instant after the gap; one that occurs
 * twice (autumn) to its first occurrence. minute 1440 is the next midnight.
 * @retval 0 and *out_ms
 * @retval -EINVAL d not valid or minute out of range
 */
int sbdate_local_ms(struct sbdate d, int minute, int64_t *out_ms);

/* sbdate_local_ms(d, 0): the start of local date d. @retval 0, -EINVAL */
int sbdate_local_midnight_ms(struct sbdate d, int64_t *out_ms);

/*
 * [*start_ms, *end_ms): local date d from its midnight to the next one's
 * (23, 24 or 25 hours). @retval 0, -EINVAL
 */
int sbdate_local_day_ms(struct sbdate d, int64_t *start_ms, int64_t *end_ms);

/* The local date of instant t_ms. @retval 0, -EINVAL out of range */
int sbdate_local_date(int64_t t_ms, struct sbdate *out);

/*
 * The instant (seconds) of local wall time L, given as seconds since
 * 1970-01-01T00:00 of the local calendar (as if the zone were UTC). Same gap
 * and overlap rules as sbdate_local_ms; no range check (the hours policy's
 * inner loop calls it with dates it has checked).
 */
int64_t sbdate_local_to_utc_s(int64_t L);

#endif
