/* SPDX-License-Identifier: MIT */
/*
 * Times on the wire: RFC 3339 instants in UTC ("2026-11-25T18:02:11.250Z"),
 * calendar dates ("2026-11-30") and clock times ("08:00"). Instants are held
 * as int64_t milliseconds since the Unix epoch everywhere in siteboard.
 * Pure functions, no time zone state: local-time display is the caller's job.
 */
#ifndef SITEBOARD_SBTIME_H
#define SITEBOARD_SBTIME_H

#include <stddef.h>
#include <stdint.h>

/* Enough for "YYYY-MM-DDTHH:MM:SS.mmmZ" and its terminator. */
#define SBTIME_BUFSZ 32

/*
 * Parse an RFC 3339 date-time: "YYYY-MM-DDTHH:MM:SS" with optional fraction
 * (truncated to ms) and "Z" or "+hh:mm"/"-hh:mm" offset (lower-case t/z too).
 * @retval 0 and *out_ms set
 * @retval -EINVAL anything else (including out-of-range fields, Feb 30, and
 *         years outside 1970..9999)
 */
int sbtime_parse(const char *s, int64_t *out_ms);

/*
 * Format as UTC "YYYY-MM-DDTHH:MM:SSZ", with ".mmm" only when ms % 1000 != 0.
 * @retval 0, or -ENOSPC if n < SBTIME_BUFSZ, -EINVAL for a negative time
 */
int sbtime_format(int64_t ms, char *buf, size_t n);

/* Parse "YYYY-MM-DD" (a real calendar date). Returns 0 or -EINVAL. */
int sbtime_parse_date(const char *s, int *year, int *month, int *day);

/* Parse "HH:MM" (00:00..24:00) into minutes after midnight. 0 or -EINVAL. */
int sbtime_parse_hhmm(const char *s, int *minutes);

/* Days since 1970-01-01 of a proleptic Gregorian date (no validation). */
int64_t sbtime_days_from_civil(int year, int month, int day);

/* Inverse of sbtime_days_from_civil. */
void sbtime_civil_from_days(int64_t days, int *year, int *month, int *day);

/* Wall-clock now, ms since the epoch (CLOCK_REALTIME). */
int64_t sbtime_now_ms(void);

/* Monotonic ms for measuring intervals (CLOCK_MONOTONIC). */
int64_t sbtime_mono_ms(void);

#endif
