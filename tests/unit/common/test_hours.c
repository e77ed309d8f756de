/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the hours policy: the weekly-spec parser, England and Wales
 * bank holidays against the published dates (with and without the GOV.UK
 * file), exceptions, both clock changes of several years in Europe/London,
 * boundaries, threads, and the cost of hours_permitted.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "siteboard/hours.h"
#include "siteboard/sbtime.h"

#define FIXTURE SITEBOARD_FIXTURES "/bank-holidays.json"
#define PACKAGED SITEBOARD_FIXTURES "/../../packaging/bank-holidays.json"
#define HOUR INT64_C(3600000)

static struct hours_policy *open_ok(const char *spec)
{
	struct hours_policy *p = NULL;
	char err[256];

	if (hours_open(spec, &p, err, sizeof(err)) != 0)
		fail_msg("'%s': %s", spec, err);
	return p;
}

/* An RFC 3339 instant with offset, so each expectation states its local time. */
static int64_t at(const char *s)
{
	int64_t ms = 0;

	if (sbtime_parse(s, &ms) != 0)
		fail_msg("bad instant in test: %s", s);
	return ms;
}

static void test_weekly_good(void **state)
{
	static const char *const cases[][2] = {
		{"mon-fri 08:00-17:00", "mon-fri 08:00-17:00"},
		{"  Mon-Fri   08:00-17:00  ", "mon-fri 08:00-17:00"},
		{"mon-fri 08:00-17:00, sat 09:00-13:00", "mon-fri 08:00-17:00, sat 09:00-13:00"},
		{"mon-fri 08:00-17:00;sat 09:00-13:00", "mon-fri 08:00-17:00, sat 09:00-13:00"},
		{"mon,wed,fri 07:30-24:00", "mon,wed,fri 07:30-24:00"},
		{"sat,sun 00:00-24:00", "sat-sun 00:00-24:00"},
		{"fri-mon 10:00-11:00", "mon,fri-sun 10:00-11:00"},
		{"tue,mon 08:00-09:00", "mon-tue 08:00-09:00"},
		{"none", "none"},
	};
	char buf[128];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct hours_policy *p = open_ok(cases[i][0]);
		struct hours_policy *q = NULL;
		char again[128];

		assert_int_equal(hours_weekly_text(p, buf, sizeof(buf)), 0);
		assert_string_equal(buf, cases[i][1]);
		q = open_ok(buf);
		assert_int_equal(hours_weekly_text(q, again, sizeof(again)), 0);
		assert_string_equal(again, buf);
		hours_close(q);
		hours_close(p);
	}
	{
		struct hours_policy *p = open_ok(HOURS_DEFAULT_WEEKLY);

		assert_int_equal(hours_weekly_text(p, buf, 5), -ENOSPC);
		hours_close(p);
	}
	hours_close(NULL);
}

static void test_weekly_bad(void **state)
{
	static const char *const cases[][2] = {
		{"", "empty"},
		{"   ", "empty"},
		{"mon-fry 08:00-17:00", "unknown day 'fry' at character 5"},
		{"monday 08:00-17:00", "unknown day 'monday'"},
		{"mon-fri 8:00-17:00", "expected a time HH:MM"},
		{"mon-fri 08:00-25:00", "expected a time HH:MM"},
		{"mon-fri 08:00-17:60", "expected a time HH:MM"},
		{"mon-fri 17:00-08:00", "cannot cross midnight"},
		{"mon-fri 08:00-08:00", "ends before it starts"},
		{"mon-fri 24:00-24:00", "ends before it starts"},
		{"mon-fri 08:00", "expected '-' between"},
		{"mon-fri08:00-17:00", "expected a space"},
		{"mon-fri 08:00-17:00 sat 09:00-13:00", "expected ',' or ';'"},
		{"mon-fri 08:00-17:00,", "expected a day"},
		{"08:00-17:00", "expected a day"},
		{"mon-fri 08:00-17:000", "expected a time"},
		{"none mon 08:00-09:00", "nothing after"},
		{"mon-fri 08:00-17:00\n", "byte 0x0a at character 20"},
	};
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct hours_policy *p = (struct hours_policy *)&err;

		if (hours_open(cases[i][0], &p, err, sizeof(err)) != -EINVAL)
			fail_msg("accepted '%s'", cases[i][0]);
		assert_null(p);
		if (strstr(err, cases[i][1]) == NULL)
			fail_msg("'%s': error '%s' lacks '%s'", cases[i][0], err, cases[i][1]);
		assert_null(strchr(err, '\n'));
	}
	{
		char many[1024] = "";
		struct hours_policy *p = NULL;

		for (int i = 0; i < HOURS_MAX_WINDOWS + 1; i++)
			strncat(many, "mon 08:00-09:00, ", sizeof(many) - strlen(many) - 1);
		many[strlen(many) - 2] = '\0';
		assert_int_equal(hours_open(many, &p, err, sizeof(err)), -EINVAL);
		assert_non_null(strstr(err, "more than 16 windows"));
	}
	{
		struct hours_policy *p = NULL;

		assert_int_equal(hours_open(NULL, &p, err, sizeof(err)), -EINVAL);
		assert_int_equal(hours_open("x", &p, NULL, 0), -EINVAL);
	}
}

/* The published England and Wales bank holidays ("MM-DD"), 2020..2027. */
static const char *const published[8][11] = {
	{"01-01", "04-10", "04-13", "05-08", "05-25", "08-31", "12-25", "12-28"},
	{"01-01", "04-02", "04-05", "05-03", "05-31", "08-30", "12-27", "12-28"},
	{"01-03", "04-15", "04-18", "05-02", "06-02", "06-03", "08-29", "09-19", "12-26", "12-27"},
	{"01-02", "04-07", "04-10", "05-01", "05-08", "05-29", "08-28", "12-25", "12-26"},
	{"01-01", "03-29", "04-01", "05-06", "05-27", "08-26", "12-25", "12-26"},
	{"01-01", "04-18", "04-21", "05-05", "05-26", "08-25", "12-25", "12-26"},
	{"01-01", "04-03", "04-06", "05-04", "05-25", "08-31", "12-25", "12-28"},
	{"01-01", "03-26", "03-29", "05-03", "05-31", "08-30", "12-27", "12-28"},
};

/* What the rules alone give where a year had one-off changes. */
static const char *const computed_only[4][11] = {
	{"01-01", "04-10", "04-13", "05-04", "05-25", "08-31", "12-25", "12-28"},
	{"01-01", "04-02", "04-05", "05-03", "05-31", "08-30", "12-27", "12-28"},
	{"01-03", "04-15", "04-18", "05-02", "05-30", "08-29", "12-26", "12-27"},
	{"01-02", "04-07", "04-10", "05-01", "05-29", "08-28", "12-25", "12-26"},
};

/* Every day of year y is a holiday exactly when listed. */
static void check_year(const struct hours_policy *p, int y, const char *const list[11])
{
	int64_t d0 = sbtime_days_from_civil(y, 1, 1), d1 = sbtime_days_from_civil(y + 1, 1, 1);

	for (int64_t d = d0; d < d1; d++) {
		int yy, m, dd;
		char mmdd[8];
		bool want = false;
		const char *name = NULL;

		sbtime_civil_from_days(d, &yy, &m, &dd);
		snprintf(mmdd, sizeof(mmdd), "%02d-%02d", m, dd);
		for (int i = 0; i < 11 && list[i] != NULL; i++)
			want = want || strcmp(list[i], mmdd) == 0;
		if (hours_is_bank_holiday(p, yy, m, dd, &name) != want)
			fail_msg("%d-%s: expected %s", y, mmdd,
				 want ? "a bank holiday" : "no bank holiday");
		if (want)
			assert_non_null(name);
	}
}

static void test_bank_holidays_computed(void **state)
{
	struct hours_policy *p = open_ok(HOURS_DEFAULT_WEEKLY);
	const char *name = NULL;

	(void)state;
	for (int y = 2024; y <= 2027; y++)
		check_year(p, y, published[y - 2020]);
	for (int y = 2020; y <= 2023; y++)
		check_year(p, y, computed_only[y - 2020]);
	assert_true(hours_is_bank_holiday(p, 2026, 12, 28, &name));
	assert_string_equal(name, "Boxing Day (substitute day)");
	assert_true(hours_is_bank_holiday(p, 2027, 12, 27, &name));
	assert_string_equal(name, "Christmas Day (substitute day)");
	assert_true(hours_is_bank_holiday(p, 2022, 1, 3, &name));
	assert_string_equal(name, "New Year's Day (substitute day)");
	assert_true(hours_is_bank_holiday(p, 2022, 12, 27, &name));
	assert_string_equal(name, "Christmas Day (substitute day)");
	assert_true(hours_is_bank_holiday(p, 2026, 4, 3, NULL));
	assert_false(hours_is_bank_holiday(p, 2026, 2, 30, NULL));
	assert_false(hours_is_bank_holiday(p, 2026, 13, 1, NULL));
	hours_close(p);
}

static void test_substitutes_and_easter(void **state)
{
	struct hours_policy *p = open_ok(HOURS_DEFAULT_WEEKLY);
	/* Christmas on Saturday (2010, 2032), Sunday (2011, 2016), Friday (2015, 2037). */
	static const int xmas[][3] = {{2010, 27, 28}, {2032, 27, 28}, {2011, 26, 27},
				      {2016, 26, 27}, {2015, 25, 28}, {2037, 25, 28}};
	/* Easter Sundays: 2008 and 2285 early, 2038 late. */
	static const int easter[][3] = {{2000, 4, 23}, {2008, 3, 23}, {2011, 4, 24},
					{2019, 4, 21}, {2038, 4, 25}, {2285, 3, 22}};

	(void)state;
	for (size_t i = 0; i < sizeof(xmas) / sizeof(xmas[0]); i++) {
		for (int d = 24; d <= 31; d++) {
			bool want = d == xmas[i][1] || d == xmas[i][2];

			if (hours_is_bank_holiday(p, xmas[i][0], 12, d, NULL) != want)
				fail_msg("%d-12-%02d", xmas[i][0], d);
		}
	}
	for (size_t i = 0; i < sizeof(easter) / sizeof(easter[0]); i++) {
		int64_t e = sbtime_days_from_civil(easter[i][0], easter[i][1], easter[i][2]);
		int y, m, d;

		sbtime_civil_from_days(e - 2, &y, &m, &d);
		assert_true(hours_is_bank_holiday(p, y, m, d, NULL));
		sbtime_civil_from_days(e + 1, &y, &m, &d);
		assert_true(hours_is_bank_holiday(p, y, m, d, NULL));
		sbtime_civil_from_days(e, &y, &m, &d);
		assert_false(hours_is_bank_holiday(p, y, m, d, NULL));
	}
	/* New Year on Saturday 2011 -> Monday 3; Sunday 2017 -> Monday 2. */
	assert_true(hours_is_bank_holiday(p, 2011, 1, 3, NULL));
	assert_false(hours_is_bank_holiday(p, 2011, 1, 1, NULL));
	assert_true(hours_is_bank_holiday(p, 2017, 1, 2, NULL));
	hours_close(p);
}

static void test_bank_holidays_file(void **state)
{
	struct hours_policy *p = open_ok(HOURS_DEFAULT_WEEKLY);
	struct hours_policy *q = open_ok(HOURS_DEFAULT_WEEKLY);
	char err[256];
	const char *name = NULL;
	struct hours_span sp[4];

	(void)state;
	assert_int_equal(hours_load_bank_holidays(p, FIXTURE, err, sizeof(err)), 0);
	for (int y = 2020; y <= 2027; y++)
		check_year(p, y, published[y - 2020]);
	assert_true(hours_is_bank_holiday(p, 2020, 5, 8, &name));
	assert_string_equal(name, "Early May bank holiday (VE day)");
	assert_true(hours_is_bank_holiday(p, 2022, 9, 19, &name));
	assert_string_equal(name, "Bank Holiday for the State Funeral of Queen Elizabeth II");
	assert_true(hours_is_bank_holiday(p, 2023, 5, 8, &name));
	assert_string_equal(name, "Bank holiday for the coronation of King Charles III");
	assert_true(hours_is_bank_holiday(p, 2020, 1, 1, &name));
	assert_string_equal(name, "New Year\xe2\x80\x99s Day");
	/* The moved holiday is a working day, the new one closed. */
	assert_int_equal(hours_spans_for_date(p, 2020, 5, 4, sp, 4), 1);
	assert_int_equal(hours_spans_for_date(p, 2020, 5, 8, sp, 4), 0);
	assert_int_equal(hours_spans_for_date(p, 2022, 5, 30, sp, 4), 1);

	/* The packaged file holds the same dates. */
	assert_int_equal(hours_load_bank_holidays(q, PACKAGED, err, sizeof(err)), 0);
	for (int y = 2020; y <= 2027; y++)
		check_year(q, y, published[y - 2020]);

	assert_int_equal(
		hours_load_bank_holidays(q, SITEBOARD_FIXTURES "/no-such.json", err, sizeof(err)),
		-ENOENT);
	assert_non_null(strstr(err, "no-such.json"));
	hours_close(q);
	hours_close(p);
}

static void test_bank_holidays_bad(void **state)
{
	static const char *const cases[][2] = {
		{"", "line 1"},
		{"[]", "england-and-wales"},
		{"{\"scotland\":{}}", "england-and-wales"},
		{"{\"england-and-wales\":{}}", "events must be an array"},
		{"{\"england-and-wales\":{\"events\":[1]}}", "events[0] must be an object"},
		{"{\"england-and-wales\":{\"events\":[{\"title\":\"x\"}]}}", "events[0].date"},
		{"{\"england-and-wales\":{\"events\":[{\"title\":\"x\",\"date\":\"2023-02-29\"}]}}",
		 "events[0].date"},
		{"{\"england-and-wales\":{\"events\":[{\"title\":\"x\",\"date\":\"2023-05-08x\"}]}"
		 "}",
		 "events[0].date"},
		{"{\"england-and-wales\":{\"events\":[{\"date\":\"2023-05-08\"}]}}",
		 "events[0].title"},
		{"{\"england-and-wales\":{\"events\":[{\"title\":\"\",\"date\":\"2023-05-08\"}]}}",
		 "events[0].title"},
		{"{\"england-and-wales\":{\"events\":[{\"title\":\"Extra\",\"date\":\"2027-06-07\"}"
		 "]}}",
		 "2027 lists only 1 event"},
		{"{\"england-and-wales\":{\"events\":[]},\"england-and-wales\":{\"events\":[]}}",
		 "duplicate"},
	};
	struct hours_policy *p = open_ok(HOURS_DEFAULT_WEEKLY);
	char err[256];

	(void)state;
	assert_int_equal(hours_load_bank_holidays(p, FIXTURE, err, sizeof(err)), 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (hours_parse_bank_holidays_json(p, cases[i][0], strlen(cases[i][0]), err,
						   sizeof(err)) != -EINVAL)
			fail_msg("accepted %s", cases[i][0]);
		if (strstr(err, cases[i][1]) == NULL)
			fail_msg("%s: error '%s' lacks '%s'", cases[i][0], err, cases[i][1]);
		assert_null(strchr(err, '\n'));
	}
	/* A failed load leaves the file loaded before in place. */
	assert_true(hours_is_bank_holiday(p, 2020, 5, 8, NULL));
	assert_false(hours_is_bank_holiday(p, 2020, 5, 4, NULL));
	/* An empty list is valid and returns every year to the rules. */
	{
		const char *empty = "{\"england-and-wales\":{\"events\":[]}}";

		assert_int_equal(
			hours_parse_bank_holidays_json(p, empty, strlen(empty), err, sizeof(err)),
			0);
	}
	assert_true(hours_is_bank_holiday(p, 2020, 5, 4, NULL));
	hours_close(p);
}

static void test_exceptions(void **state)
{
	struct hours_policy *p = open_ok(HOURS_DEFAULT_WEEKLY);
	const struct hours_exception e[] = {
		{2026, 4, 6, false, 9 * 60, 13 * 60},  /* Easter Monday opened */
		{2026, 6, 10, true, 0, 0},	       /* a Wednesday closed */
		{2026, 6, 13, false, 9 * 60, 12 * 60}, /* a Saturday, two windows */
		{2026, 6, 13, false, 13 * 60, 15 * 60},
		{2026, 6, 11, false, 7 * 60, 19 * 60}, /* a Thursday's hours replaced */
		{2026, 6, 12, false, 9 * 60, 10 * 60}, /* closed wins over a window */
		{2026, 6, 12, true, 0, 0},
	};
	const struct hours_exception bad[][1] = {
		{{2026, 2, 29, false, 0, 60}}, {{2026, 6, 1, false, 60, 60}},
		{{2026, 6, 1, false, -1, 60}}, {{2026, 6, 1, false, 0, 1441}},
		{{1969, 12, 31, true, 0, 0}},
	};
	struct hours_exception many[HOURS_MAX_WINDOWS + 1];
	struct hours_span sp[4];

	(void)state;
	assert_int_equal(hours_set_exceptions(p, e, sizeof(e) / sizeof(e[0])), 0);
	assert_int_equal(hours_spans_for_date(p, 2026, 4, 6, sp, 4), 1);
	assert_int_equal(sp[0].start_ms, at("2026-04-06T09:00:00+01:00"));
	assert_int_equal(sp[0].end_ms, at("2026-04-06T13:00:00+01:00"));
	assert_true(hours_permitted(p, at("2026-04-06T12:59:59.999+01:00")));
	assert_false(hours_permitted(p, at("2026-04-06T13:00:00+01:00")));
	assert_int_equal(hours_spans_for_date(p, 2026, 6, 10, sp, 4), 0);
	assert_false(hours_permitted(p, at("2026-06-10T12:00:00+01:00")));
	assert_int_equal(hours_spans_for_date(p, 2026, 6, 13, sp, 4), 2);
	assert_int_equal(sp[1].start_ms, at("2026-06-13T13:00:00+01:00"));
	assert_int_equal(hours_spans_for_date(p, 2026, 6, 13, sp, 1), 1);
	assert_int_equal(hours_spans_for_date(p, 2026, 6, 11, sp, 4), 1);
	assert_int_equal(sp[0].start_ms, at("2026-06-11T07:00:00+01:00"));
	assert_true(hours_permitted(p, at("2026-06-11T18:30:00+01:00")));
	assert_int_equal(hours_spans_for_date(p, 2026, 6, 12, sp, 4), 0);
	assert_int_equal(hours_spans_for_date(p, 2026, 6, 9, sp, 4), 1); /* untouched */

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(hours_set_exceptions(p, bad[i], 1), -EINVAL);
	for (size_t i = 0; i < HOURS_MAX_WINDOWS + 1; i++)
		many[i] =
			(struct hours_exception){2026, 6, 1, false, (int)i * 60, (int)i * 60 + 30};
	assert_int_equal(hours_set_exceptions(p, many, HOURS_MAX_WINDOWS + 1), -EINVAL);
	assert_int_equal(hours_set_exceptions(p, NULL, 1), -EINVAL);
	/* Failures left the exceptions in place; an empty set clears them. */
	assert_int_equal(hours_spans_for_date(p, 2026, 6, 10, sp, 4), 0);
	assert_int_equal(hours_set_exceptions(p, NULL, 0), 0);
	assert_int_equal(hours_spans_for_date(p, 2026, 6, 10, sp, 4), 1);
	assert_int_equal(hours_spans_for_date(p, 2026, 4, 6, sp, 4), 0);
	hours_close(p);
}

/* Last Sunday of the month (clock changes in the UK). */
static int last_sunday(int y, int m)
{
	int64_t d = sbtime_days_from_civil(y, m, 31);
	int64_t wd = (d + 3) % 7; /* 0 = Monday, for dates after 1970 */

	return 31 - (int)((wd + 1) % 7);
}

static int64_t local_at(int y, int m, int d, int hh, int mm, int offset_h)
{
	char buf[40];

	snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:00+%02d:00", y, m, d, hh, mm,
		 offset_h);
	return at(buf);
}

static void test_clock_changes(void **state)
{
	struct hours_policy *p = open_ok("mon-sun 08:00-17:00");
	struct hours_policy *all = open_ok("mon-sun 00:00-24:00, mon-sun 01:30-03:00");
	struct hours_policy *gap = open_ok("sun 01:30-03:00");
	struct hours_policy *inside = open_ok("sun 01:15-01:45");
	struct hours_span sp[4];

	(void)state;
	for (int y = 2024; y <= 2030; y++) {
		int spring = last_sunday(y, 3), autumn = last_sunday(y, 10);
		int64_t change;

		/* 08:00-17:00 is exactly that in local time, both days. */
		assert_int_equal(hours_spans_for_date(p, y, 3, spring, sp, 4), 1);
		assert_int_equal(sp[0].start_ms, local_at(y, 3, spring, 8, 0, 1));
		assert_int_equal(sp[0].end_ms, local_at(y, 3, spring, 17, 0, 1));
		assert_int_equal(hours_spans_for_date(p, y, 10, autumn, sp, 4), 1);
		assert_int_equal(sp[0].start_ms, local_at(y, 10, autumn, 8, 0, 0));
		assert_int_equal(sp[0].end_ms, local_at(y, 10, autumn, 17, 0, 0));
		/* The day before each change is in the old offset. */
		assert_int_equal(hours_spans_for_date(p, y, 3, spring - 1, sp, 4), 1);
		assert_int_equal(sp[0].start_ms, local_at(y, 3, spring - 1, 8, 0, 0));
		assert_int_equal(hours_spans_for_date(p, y, 10, autumn - 1, sp, 4), 1);
		assert_int_equal(sp[0].start_ms, local_at(y, 10, autumn - 1, 8, 0, 1));

		/* A whole day is 23 h in spring and 25 h in autumn. */
		assert_int_equal(hours_spans_for_date(all, y, 3, spring, sp, 4), 1);
		assert_int_equal(sp[0].end_ms - sp[0].start_ms, 23 * HOUR);
		assert_int_equal(sp[0].start_ms, local_at(y, 3, spring, 0, 0, 0));
		assert_int_equal(hours_spans_for_date(all, y, 10, autumn, sp, 4), 1);
		assert_int_equal(sp[0].end_ms - sp[0].start_ms, 25 * HOUR);
		assert_int_equal(sp[0].start_ms, local_at(y, 10, autumn, 0, 0, 1));

		/* Spring: 01:00 GMT becomes 02:00 BST; 01:30 does not exist and maps forward. */
		change = local_at(y, 3, spring, 1, 0, 0);
		assert_int_equal(hours_spans_for_date(gap, y, 3, spring, sp, 4), 1);
		assert_int_equal(sp[0].start_ms, change);
		assert_int_equal(sp[0].end_ms, local_at(y, 3, spring, 3, 0, 1));
		assert_false(hours_permitted(gap, change - 1));
		assert_true(hours_permitted(gap, change));
		assert_int_equal(hours_spans_for_date(inside, y, 3, spring, sp, 4), 0);
		assert_false(hours_permitted(inside, change));

		/* Autumn: 02:00 BST becomes 01:00 GMT; 01:30 is taken at its first occurrence. */
		change = local_at(y, 10, autumn, 1, 0, 0);
		assert_int_equal(hours_spans_for_date(gap, y, 10, autumn, sp, 4), 1);
		assert_int_equal(sp[0].start_ms, local_at(y, 10, autumn, 1, 30, 1));
		assert_int_equal(sp[0].end_ms, local_at(y, 10, autumn, 3, 0, 0));
		assert_int_equal(sp[0].end_ms - sp[0].start_ms, 2 * HOUR + HOUR / 2);
		assert_true(hours_permitted(gap, change - 1));
		assert_true(hours_permitted(gap, change));
		assert_int_equal(hours_spans_for_date(inside, y, 10, autumn, sp, 4), 1);
		assert_int_equal(sp[0].start_ms, local_at(y, 10, autumn, 1, 15, 1));
		assert_int_equal(sp[0].end_ms, local_at(y, 10, autumn, 1, 45, 1));
		assert_false(hours_permitted(inside, local_at(y, 10, autumn, 1, 30, 0)));
	}
	hours_close(inside);
	hours_close(gap);
	hours_close(all);
	hours_close(p);
}

static void test_permitted_edges(void **state)
{
	struct hours_policy *p = open_ok(HOURS_DEFAULT_WEEKLY);
	/* Winter and summer weekdays, and the Mondays after each clock change. */
	static const char *const days[] = {"2026-01-14", "2026-07-15", "2026-03-30",
					   "2026-10-26", "2025-03-31", "2027-11-01"};

	(void)state;
	for (size_t i = 0; i < sizeof(days) / sizeof(days[0]); i++) {
		int y, m, d, off;

		assert_int_equal(sbtime_parse_date(days[i], &y, &m, &d), 0);
		off = (m > 3 && m < 10) || (m == 3 && d > 29) || (m == 10 && d < 25) ? 1 : 0;
		assert_false(hours_permitted(p, local_at(y, m, d, 8, 0, off) - 1));
		assert_true(hours_permitted(p, local_at(y, m, d, 8, 0, off)));
		assert_true(hours_permitted(p, local_at(y, m, d, 17, 0, off) - 1));
		assert_false(hours_permitted(p, local_at(y, m, d, 17, 0, off)));
		assert_false(hours_permitted(p, local_at(y, m, d, 0, 0, off)));
		assert_false(hours_permitted(p, local_at(y, m, d, 23, 59, off)));
	}
	/* Weekends and bank holidays are closed. */
	assert_false(hours_permitted(p, at("2026-01-17T12:00:00Z")));
	assert_false(hours_permitted(p, at("2026-04-03T12:00:00+01:00")));
	assert_false(hours_permitted(p, at("2026-12-28T12:00:00Z")));
	assert_true(hours_permitted(p, at("2026-12-29T12:00:00Z")));
	/* Far outside any sensible range. */
	assert_false(hours_permitted(p, INT64_MAX));
	assert_false(hours_permitted(p, INT64_MIN));
	hours_close(p);
}

static void test_boundaries(void **state)
{
	struct hours_policy *p = open_ok(HOURS_DEFAULT_WEEKLY);
	struct hours_policy *always = open_ok("mon-sun 00:00-24:00");
	struct hours_policy *none = open_ok("none");
	struct hours_policy *weekdays = open_ok("mon-fri 00:00-24:00");
	const struct hours_exception e[] = {{2026, 6, 13, false, 10 * 60, 12 * 60},
					    {2026, 6, 17, true, 0, 0}};
	int64_t t;

	(void)state;
	/* Within a day, then over a weekend. */
	assert_int_equal(hours_next_boundary(p, at("2026-01-14T07:00:00Z"), &t), 0);
	assert_int_equal(t, at("2026-01-14T08:00:00Z"));
	assert_int_equal(hours_next_boundary(p, at("2026-01-14T08:00:00Z"), &t), 0);
	assert_int_equal(t, at("2026-01-14T17:00:00Z"));
	assert_int_equal(hours_next_boundary(p, at("2026-01-16T17:00:00Z"), &t), 0);
	assert_int_equal(t, at("2026-01-19T08:00:00Z"));
	assert_int_equal(hours_last_end(p, at("2026-01-19T07:59:00Z"), &t), 0);
	assert_int_equal(t, at("2026-01-16T17:00:00Z"));
	assert_int_equal(hours_last_end(p, at("2026-01-16T17:00:00Z"), &t), 0);
	assert_int_equal(t, at("2026-01-16T17:00:00Z"));
	assert_int_equal(hours_last_end(p, at("2026-01-16T16:59:59.999Z"), &t), 0);
	assert_int_equal(t, at("2026-01-15T17:00:00Z"));

	/* Easter 2026: Thursday's end -> Tuesday's start. */
	assert_int_equal(hours_next_boundary(p, at("2026-04-02T17:00:00+01:00"), &t), 0);
	assert_int_equal(t, at("2026-04-07T08:00:00+01:00"));
	assert_int_equal(hours_last_end(p, at("2026-04-07T07:00:00+01:00"), &t), 0);
	assert_int_equal(t, at("2026-04-02T17:00:00+01:00"));
	/* Christmas 2027: Friday 24th -> Wednesday 29th. */
	assert_int_equal(hours_next_boundary(p, at("2027-12-24T18:00:00Z"), &t), 0);
	assert_int_equal(t, at("2027-12-29T08:00:00Z"));

	/* Over the spring change: Friday in GMT, Monday in BST. */
	assert_int_equal(hours_next_boundary(p, at("2026-03-27T17:00:00Z"), &t), 0);
	assert_int_equal(t, at("2026-03-30T08:00:00+01:00"));
	assert_int_equal(hours_last_end(p, at("2026-03-30T07:00:00+01:00"), &t), 0);
	assert_int_equal(t, at("2026-03-27T17:00:00Z"));
	/* And the autumn one. */
	assert_int_equal(hours_next_boundary(p, at("2026-10-23T17:30:00+01:00"), &t), 0);
	assert_int_equal(t, at("2026-10-26T08:00:00Z"));
	assert_int_equal(hours_last_end(p, at("2026-10-26T07:59:59Z"), &t), 0);
	assert_int_equal(t, at("2026-10-23T17:00:00+01:00"));

	/* Exceptions: a Saturday opened, a Wednesday closed. */
	assert_int_equal(hours_set_exceptions(p, e, 2), 0);
	assert_int_equal(hours_next_boundary(p, at("2026-06-12T17:00:00+01:00"), &t), 0);
	assert_int_equal(t, at("2026-06-13T10:00:00+01:00"));
	assert_int_equal(hours_last_end(p, at("2026-06-15T07:00:00+01:00"), &t), 0);
	assert_int_equal(t, at("2026-06-13T12:00:00+01:00"));
	assert_int_equal(hours_next_boundary(p, at("2026-06-16T17:00:00+01:00"), &t), 0);
	assert_int_equal(t, at("2026-06-18T08:00:00+01:00"));
	assert_int_equal(hours_last_end(p, at("2026-06-18T07:00:00+01:00"), &t), 0);
	assert_int_equal(t, at("2026-06-16T17:00:00+01:00"));

	/* Spans touching at midnight are one: the boundaries are Sat 00:00 and Mon 00:00. */
	assert_int_equal(hours_next_boundary(weekdays, at("2026-01-14T12:00:00Z"), &t), 0);
	assert_int_equal(t, at("2026-01-17T00:00:00Z"));
	assert_int_equal(hours_next_boundary(weekdays, at("2026-01-17T00:00:00Z"), &t), 0);
	assert_int_equal(t, at("2026-01-19T00:00:00Z"));
	assert_int_equal(hours_last_end(weekdays, at("2026-01-16T23:00:00Z"), &t), 0);
	assert_int_equal(t, at("2026-01-10T00:00:00Z"));
	/* ... and Good Friday ends the run of Thursday, after the clock change. */
	assert_int_equal(hours_next_boundary(weekdays, at("2026-04-01T12:00:00+01:00"), &t), 0);
	assert_int_equal(t, at("2026-04-03T00:00:00+01:00"));

	/* Open round the clock but for bank holidays. */
	assert_int_equal(hours_next_boundary(always, at("2026-01-14T12:00:00Z"), &t), 0);
	assert_int_equal(t, at("2026-04-03T00:00:00+01:00"));
	assert_int_equal(hours_next_boundary(always, t, &t), 0);
	assert_int_equal(t, at("2026-04-04T00:00:00+01:00"));
	assert_int_equal(hours_last_end(always, at("2026-01-14T12:00:00Z"), &t), 0);
	assert_int_equal(t, at("2026-01-01T00:00:00Z"));
	assert_int_equal(hours_last_end(always, at("2026-04-06T12:00:00+01:00"), &t), 0);
	assert_int_equal(t, at("2026-04-06T00:00:00+01:00"));
	assert_int_equal(hours_next_boundary(none, at("2026-01-14T12:00:00Z"), &t), -ENOENT);
	assert_int_equal(hours_last_end(none, at("2026-01-14T12:00:00Z"), &t), -ENOENT);
	assert_int_equal(hours_next_boundary(p, INT64_MAX, &t), -ENOENT);
	hours_close(weekdays);
	hours_close(none);
	hours_close(always);
	hours_close(p);
}

/* hours_permitted must agree with the spans, whatever order instants come in. */
static void test_agrees_with_spans(void **state)
{
	struct hours_policy *p = open_ok("mon-fri 08:00-17:00, sat 09:00-13:00, sun 01:30-02:30");
	uint64_t x = 88172645463325252u;
	int64_t base = at("2024-01-01T00:00:00Z");

	(void)state;
	for (int i = 0; i < 20000; i++) {
		int64_t t, day;
		int y, m, d;
		struct hours_span sp[HOURS_MAX_WINDOWS];
		size_t n;
		bool want = false;
		time_t tt;
		struct tm tm;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		t = base + (int64_t)(x % (UINT64_C(4) * 366 * 86400000));
		tt = (time_t)(t / 1000);
		localtime_r(&tt, &tm);
		day = sbtime_days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
		sbtime_civil_from_days(day, &y, &m, &d);
		n = hours_spans_for_date(p, y, m, d, sp, HOURS_MAX_WINDOWS);
		for (size_t k = 0; k < n; k++)
			want = want || (t >= sp[k].start_ms && t < sp[k].end_ms);
		if (hours_permitted(p, t) != want)
			fail_msg("disagree at %lld", (long long)t);
	}
	hours_close(p);
}

struct thread_arg {
	const struct hours_policy *p;
	int64_t base;
	const bool *want;
	int wrong;
};

#define N_INSTANTS 50000
#define STEP_MS INT64_C(997331)

static void *thread_main(void *v)
{
	struct thread_arg *a = v;

	for (int round = 0; round < 4; round++) {
		for (int i = 0; i < N_INSTANTS; i++) {
			if (hours_permitted(a->p, a->base + i * STEP_MS) != a->want[i])
				a->wrong++;
		}
	}
	return NULL;
}

static void test_threads(void **state)
{
	struct hours_policy *p = open_ok(HOURS_DEFAULT_WEEKLY);
	bool *want = calloc(N_INSTANTS, sizeof(*want));
	struct thread_arg args[4];
	pthread_t th[4];
	char err[256];

	(void)state;
	assert_non_null(want);
	assert_int_equal(hours_load_bank_holidays(p, FIXTURE, err, sizeof(err)), 0);
	for (int i = 0; i < N_INSTANTS; i++)
		want[i] = hours_permitted(p, at("2020-01-01T00:00:00Z") + i * STEP_MS);
	for (int k = 0; k < 4; k++) {
		args[k] = (struct thread_arg){p, at("2020-01-01T00:00:00Z"), want, 0};
		assert_int_equal(pthread_create(&th[k], NULL, thread_main, &args[k]), 0);
	}
	for (int k = 0; k < 4; k++) {
		assert_int_equal(pthread_join(th[k], NULL), 0);
		assert_int_equal(args[k].wrong, 0);
	}
	free(want);
	hours_close(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_weekly_good),
		cmocka_unit_test(test_weekly_bad),
		cmocka_unit_test(test_bank_holidays_computed),
		cmocka_unit_test(test_substitutes_and_easter),
		cmocka_unit_test(test_bank_holidays_file),
		cmocka_unit_test(test_bank_holidays_bad),
		cmocka_unit_test(test_exceptions),
		cmocka_unit_test(test_clock_changes),
		cmocka_unit_test(test_permitted_edges),
		cmocka_unit_test(test_boundaries),
		cmocka_unit_test(test_agrees_with_spans),
		cmocka_unit_test(test_threads),
	};

	setenv("TZ", "Europe/London", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
