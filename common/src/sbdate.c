/* SPDX-License-Identifier: MIT */
/*
 * Local dates in the process's zone from localtime_r's tm_gmtoff alone, never
 * mktime: the offset is looked up either side of a wall time and the instant
 * chosen from the offsets that fit (see sbdate.h for the rules at the clock
 * changes). The calendar arithmetic is sbtime's days-from-civil.
 */
#include "siteboard/sbdate.h"

#include <errno.h>
#include <time.h>

#include "siteboard/sbtime.h"

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

bool sbdate_valid(struct sbdate d)
{
	int y2, m2, d2;

	if (d.year < 1970 || d.year > 9999 || d.month < 1 || d.month > 12 || d.day < 1 ||
	    d.day > 31)
		return false;
	sbtime_civil_from_days(sbtime_days_from_civil(d.year, d.month, d.day), &y2, &m2, &d2);
	return y2 == d.year && m2 == d.month && d2 == d.day;
}

int sbdate_parse(const char *s, struct sbdate *out)
{
	struct sbdate d = {0, 0, 0};

	if (sbtime_parse_date(s, &d.year, &d.month, &d.day) < 0 || !sbdate_valid(d))
		return -EINVAL;
	*out = d;
	return 0;
}

int sbdate_weekday(struct sbdate d)
{
	int64_t day = sbtime_days_from_civil(d.year, d.month, d.day);

	/* 1970-01-01 was a Thursday. */
	return (int)(day + 3 - floor_div(day + 3, 7) * 7);
}

struct sbdate sbdate_add_days(struct sbdate d, int64_t n)
{
	struct sbdate r;

	sbtime_civil_from_days(sbtime_days_from_civil(d.year, d.month, d.day) + n, &r.year,
			       &r.month, &r.day);
	return r;
}

/* UTC offset in seconds at instant t (seconds); false if t is out of range. */
static bool utc_offset(int64_t t, long *off)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (localtime_r(&tt, &tm) == NULL)
		return false;
	*off = tm.tm_gmtoff;
	return true;
}

/*
 * Assumes at most one offset change within a day either side, true of every
 * zone in use.
 */
int64_t sbdate_local_to_utc_s(int64_t L)
{
	long o1 = 0, o2 = 0, c;
	bool v1, v2;
	int64_t lo, hi;

	if (!utc_offset(L - 86400, &o1) || !utc_offset(L + 86400, &o2))
		return L;
	v1 = utc_offset(L - o1, &c) && c == o1;
	if (o1 == o2 && v1)
		return L - o1;
	v2 = utc_offset(L - o2, &c) && c == o2;
	if (v1 && v2)
		return L - (o1 > o2 ? o1 : o2);
	if (v1)
		return L - o1;
	if (v2)
		return L - o2;
	/* In the gap: find the first instant with the later offset. */
	lo = L - (o1 > o2 ? o1 : o2);
	hi = L - (o1 < o2 ? o1 : o2);
	while (hi - lo > 1) {
		int64_t mid = lo + (hi - lo) / 2;

		if (utc_offset(mid, &c) && c == o2)
			hi = mid;
		else
			lo = mid;
	}
	return hi;
}

int sbdate_local_ms(struct sbdate d, int minute, int64_t *out_ms)
{
	int64_t day;

	if (!sbdate_valid(d) || minute < 0 || minute > 24 * 60)
		return -EINVAL;
	day = sbtime_days_from_civil(d.year, d.month, d.day);
	*out_ms = sbdate_local_to_utc_s(day * 86400 + (int64_t)minute * 60) * 1000;
	return 0;
}

int sbdate_local_midnight_ms(struct sbdate d, int64_t *out_ms)
{
	return sbdate_local_ms(d, 0, out_ms);
}

int sbdate_local_day_ms(struct sbdate d, int64_t *start_ms, int64_t *end_ms)
{
	int64_t s, e;

	if (sbdate_local_ms(d, 0, &s) < 0 || sbdate_local_ms(d, 24 * 60, &e) < 0 || e <= s)
		return -EINVAL;
	*start_ms = s;
	*end_ms = e;
	return 0;
}

int sbdate_local_date(int64_t t_ms, struct sbdate *out)
{
	time_t tt;
	struct tm tm;

	/* Years 1..9999, so the result always fits the calendar arithmetic. */
	if (t_ms < INT64_C(-62135596800000) || t_ms > INT64_C(253402300799999))
		return -EINVAL;
	tt = (time_t)floor_div(t_ms, 1000);
	if (localtime_r(&tt, &tm) == NULL)
		return -EINVAL;
	out->year = tm.tm_year + 1900;
	out->month = tm.tm_mon + 1;
	out->day = tm.tm_mday;
	return 0;
}
