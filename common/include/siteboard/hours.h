/* SPDX-License-Identifier: MIT */
/*
 * The hours-of-work policy of a site (standards section 7: 08:00-17:00 unless
 * agreed): weekly windows, England and Wales bank holidays (computed, plus a
 * data file in GOV.UK's bank-holidays.json format for one-off changes), and
 * agreed exceptions for single dates. Evaluated in local time of the
 * process's time zone: a program sets TZ to the site's zone (setenv + tzset)
 * once at start, before threads; the local conversions (sbdate.h, localtime_r
 * only, never mktime) are then thread-safe.
 *
 * A window includes its start and excludes its end. All instants are ms since
 * the epoch (UTC); dates are local calendar dates.
 * A policy is immutable after set-up (hours_open, hours_load_bank_holidays,
 * hours_set_exceptions, all from one thread) and may then be read from any
 * thread: the per-date cache behind the queries is thread-local.
 */
#ifndef SITEBOARD_HOURS_H
#define SITEBOARD_HOURS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HOURS_MAX_WINDOWS 16
#define HOURS_MAX_EXCEPTIONS 4096
#define HOURS_DEFAULT_WEEKLY "mon-fri 08:00-17:00"

struct hours_policy;

/* One permitted span of one local date, as UTC instants [start_ms, end_ms). */
struct hours_span {
	int64_t start_ms;
	int64_t end_ms;
};

/* An agreed exception: either a window for that date, or closed all day. */
struct hours_exception {
	int year, month, day;
	bool closed;
	int from_min; /* minutes after local midnight, when !closed */
	int to_min;
};

/*
 * Parse weekly windows, e.g. "mon-fri 08:00-17:00" or
 * "mon-fri 08:00-17:00, sat 09:00-13:00" (days: mon..sun, ranges and
 * comma lists "mon,wed"; several windows separated by ", " or ";").
 * "none" means no weekly windows. Times are HH:MM, end after start, 24:00
 * allowed as an end; a window cannot cross midnight. Overlapping or touching
 * windows of a day are merged. At most HOURS_MAX_WINDOWS windows.
 * A local time that does not exist (spring gap) maps forward to the first
 * instant after the gap; one that occurs twice (autumn) to its first occurrence.
 * @retval 0 and *out (free with hours_close)
 * @retval -EINVAL with one line in err saying what is wrong and where
 * @retval -ENOMEM
 */
int hours_open(const char *weekly, struct hours_policy **out, char *err, size_t err_len);
void hours_close(struct hours_policy *p);

/*
 * Add bank holidays from a file in GOV.UK's format
 * ({"england-and-wales":{"events":[{"title":"...","date":"2023-05-08",...}]}}),
 * on top of the computed ones. Only "england-and-wales" is read. For every
 * year the file lists, the file is authoritative: that year's bank holidays
 * are exactly the file's (this is how a holiday MOVES, e.g. 2020's VE day);
 * other years use the computed rules. So a year the file lists must be
 * complete: a year with fewer than 6 events is rejected. A second load
 * replaces the first. On error the policy is unchanged. At most 1 MiB.
 * @retval 0
 * @retval -ENOENT no such file (other open/read failures: their negative errno)
 * @retval -EINVAL not in the format (err says why, one line)
 * @retval -ENOMEM
 */
int hours_load_bank_holidays(struct hours_policy *p, const char *path, char *err, size_t err_len);

/*
 * The same from a buffer (borrowed, need not be NUL-terminated): the parser
 * behind hours_load_bank_holidays, for callers and fuzzers without a file.
 * @retval 0, -EINVAL (err says why), -ENOMEM
 */
int hours_parse_bank_holidays_json(struct hours_policy *p, const char *buf, size_t len, char *err,
				   size_t err_len);

/*
 * Replace the agreed exceptions (copied; e may be NULL when n is 0). The
 * window exceptions of a date replace its weekly windows and open it even on
 * a bank holiday; several for one date are merged; a closed one for a date
 * wins over any window for it. On error the policy is unchanged.
 * @retval 0
 * @retval -EINVAL a bad date (1970..9999), from/to not 0 <= from < to <= 1440,
 *         more than HOURS_MAX_WINDOWS windows on one date, n > HOURS_MAX_EXCEPTIONS
 * @retval -ENOMEM
 */
int hours_set_exceptions(struct hours_policy *p, const struct hours_exception *e, size_t n);

/*
 * True if the local date is an England and Wales bank holiday (computed or from
 * the file). *name (if name is not NULL) is borrowed: a static string or the
 * file's title, valid until the next hours_load_bank_holidays or hours_close.
 */
bool hours_is_bank_holiday(const struct hours_policy *p, int year, int month, int day,
			   const char **name);

/*
 * The permitted spans of one local date, in order, after bank holidays and
 * exceptions; touching spans merged, empty ones (inside a spring gap) dropped.
 * @retval number of spans written (0 = no work that day or not a valid date),
 *         at most max
 */
size_t hours_spans_for_date(const struct hours_policy *p, int year, int month, int day,
			    struct hours_span *out, size_t max);

/* True if work is permitted at instant t. */
bool hours_permitted(const struct hours_policy *p, int64_t t_ms);

/*
 * The first boundary (a span's start or end) strictly after t, searching up
 * to 400 days ahead. A boundary is where hours_permitted changes: a span
 * ending at 24:00 and the next day's starting at 00:00 are one span, so
 * midnight is then no boundary.
 * @retval 0, or -ENOENT if none (no windows at all, or open throughout)
 */
int hours_next_boundary(const struct hours_policy *p, int64_t t_ms, int64_t *next_ms);

/*
 * The end of the most recent span that ended at or before t (for "left
 * insecure at end of day"), searching up to 400 days back. Spans touching
 * across midnight are one span, as for hours_next_boundary. @retval 0 or -ENOENT
 */
int hours_last_end(const struct hours_policy *p, int64_t t_ms, int64_t *end_ms);

/*
 * The weekly windows as text, normalised ("mon-fri 08:00-17:00, sat 09:00-13:00";
 * "none"), into buf; hours_open accepts it back. @retval 0 or -ENOSPC
 */
int hours_weekly_text(const struct hours_policy *p, char *buf, size_t n);

#endif
