/* SPDX-License-Identifier: MIT */
/*
 * RFC 3339 instants, calendar dates and clock times. Calendar arithmetic uses
 * the days-from-civil algorithm (proleptic Gregorian), so nothing depends on
 * the process's TZ setting.
 */
#include "siteboard/sbtime.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <time.h>

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Read exactly n digits from s into *out. */
static bool read_digits(const char *s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

int64_t sbtime_days_from_civil(int year, int month, int day)
{
	int64_t y = (int64_t)year - (month <= 2);
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t mp = (month + 9) % 12;
	int64_t doy = (153 * mp + 2) / 5 + day - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

void sbtime_civil_from_days(int64_t days, int *year, int *month, int *day)
{
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;

	*year = (int)(yoe + era * 400 + (m <= 2));
	*month = (int)m;
	*day = (int)(doy - (153 * mp + 2) / 5 + 1);
}

int sbtime_parse_date(const char *s, int *year, int *month, int *day)
{
	int y, m, d;

	if (s == NULL || !read_digits(s, 4, &y) || s[4] != '-' || !read_digits(s + 5, 2, &m) ||
	    s[7] != '-' || !read_digits(s + 8, 2, &d) || s[10] != '\0')
		return -EINVAL;
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return -EINVAL;
	*year = y;
	*month = m;
	*day = d;
	return 0;
}

int sbtime_parse_hhmm(const char *s, int *minutes)
{
	int h, m;

	if (s == NULL || !read_digits(s, 2, &h) || s[2] != ':' || !read_digits(s + 3, 2, &m) ||
	    s[5] != '\0')
		return -EINVAL;
	if (h > 24 || m > 59 || (h == 24 && m != 0))
		return -EINVAL;
	*minutes = h * 60 + m;
	return 0;
}

int sbtime_parse(const char *s, int64_t *out_ms)
{
	int y, mo, d, h, mi, sec, oh = 0, om = 0;
	int64_t ms = 0;
	const char *p;
	int sign = 0;

	if (s == NULL || !read_digits(s, 4, &y) || s[4] != '-' || !read_digits(s + 5, 2, &mo) ||
	    s[7] != '-' || !read_digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != 't') ||
	    !read_digits(s + 11, 2, &h) || s[13] != ':' || !read_digits(s + 14, 2, &mi) ||
	    s[16] != ':' || !read_digits(s + 17, 2, &sec))
		return -EINVAL;
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 ||
	    mi > 59 || sec > 60)
		return -EINVAL;
	if (sec == 60) /* a leap second is read as the last second of its minute */
		sec = 59;
	p = s + 19;
	if (*p == '.') {
		int n = 0;

		p++;
		if (!is_digit(*p))
			return -EINVAL;
		while (is_digit(*p)) {
			if (n < 3) {
				ms = ms * 10 + (*p - '0');
				n++;
			}
			p++;
		}
		while (n++ < 3)
			ms *= 10;
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p == '+' ? 1 : -1;
		if (!read_digits(p + 1, 2, &oh) || p[3] != ':' || !read_digits(p + 4, 2, &om) ||
		    oh > 23 || om > 59)
			return -EINVAL;
		p += 6;
	} else {
		return -EINVAL;
	}
	if (*p != '\0')
		return -EINVAL;

	int64_t secs = sbtime_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
	secs -= sign * (oh * 3600 + om * 60);
	if (secs < 0)
		return -EINVAL;
	*out_ms = secs * 1000 + ms;
	return 0;
}

int sbtime_format(int64_t ms, char *buf, size_t n)
{
	int y, mo, d;
	int64_t secs, days, rem;
	int len;

	if (n < SBTIME_BUFSZ)
		return -ENOSPC;
	if (ms < 0 || ms >= INT64_C(253402300800000)) /* year 10000 */
		return -EINVAL;
	secs = ms / 1000;
	days = secs / 86400;
	rem = secs % 86400;
	sbtime_civil_from_days(days, &y, &mo, &d);
	if (ms % 1000 != 0)
		len = snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", y, mo, d,
			       (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60),
			       (int)(ms % 1000));
	else
		len = snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, d,
			       (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
	return len > 0 && (size_t)len < n ? 0 : -ENOSPC;
}

int64_t sbtime_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t sbtime_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
