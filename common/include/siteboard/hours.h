/* SPDX-License-Identifier: MIT */
/*
 * The hours-of-work policy of a site (standards section 7: 08:00-17:00 unless
 * agreed): weekly windows, England and Wales bank holidays (computed, plus a
 * data file in GOV.UK's bank-holidays.json format for one-off changes), and
 * agreed exceptions for single dates. Evaluated in local time of the
 * process's time zone: a program sets TZ to the site's zone (setenv + tzset)
 * once at start, before threads; localtime_r/mktime are then thread-safe.
 *
 * A window includes its start and excludes its end. All instants are ms since
 * the epoch (UTC); dates are local calendar dates.
 * A policy is immutable after set-up and may be read from any thread.
 */
#ifndef SITEBOARD_HOURS_H
#define SITEBOARD_HOURS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HOURS_MAX_WINDOWS 16
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
 * @retval 0 and *out (free with hours_close), -EINVAL with one line in err
 */
int hours_open(const char *weekly, struct hours_policy **out, char *err, size_t err_len);
void hours_close(struct hours_policy *p);

/*
 * Add bank holidays from a file in GOV.UK's format
 * ({"england-and-wales":{"events":[{"title":"...","date":"2023-05-08",...}]}}),
 * on top of the computed ones. @retval 0, -ENOENT, -EINVAL (err says why)
 */
int hours_load_bank_holidays(struct hours_policy *p, const char *path, char *err, size_t err_len);

/* Replace the agreed exceptions (copied). @retval 0, -EINVAL, -ENOMEM */
int hours_set_exceptions(struct hours_policy *p, const struct hours_exception *e, size_t n);

/* True if the local date is an England and Wales bank holiday (computed or from the file). */
bool hours_is_bank_holiday(const struct hours_policy *p, int year, int month, int day,
			   const char **name);

/*
 * The permitted spans of one local date, in order, after bank holidays and
 * exceptions. @retval number of spans written (0 = no work that day), at most max
 */
size_t hours_spans_for_date(const struct hours_policy *p, int year, int month, int day,
			    struct hours_span *out, size_t max);

/* True if work is permitted at instant t. */
bool hours_permitted(const struct hours_policy *p, int64_t t_ms);

/*
 * The first boundary (a span's start or end) strictly after t, searching up
 * to 400 days ahead. @retval 0, or -ENOENT if none (no windows at all)
 */
int hours_next_boundary(const struct hours_policy *p, int64_t t_ms, int64_t *next_ms);

/*
 * The end of the most recent span that ended at or before t (for "left
 * insecure at end of day"), searching up to 400 days back. @retval 0 or -ENOENT
 */
int hours_last_end(const struct hours_policy *p, int64_t t_ms, int64_t *end_ms);

/* The weekly windows as text, normalised ("mon-fri 08:00-17:00"), into buf. */
int hours_weekly_text(const struct hours_policy *p, char *buf, size_t n);

#endif
