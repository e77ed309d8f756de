/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of noisechart.c in Europe/London: the SVG has its title and
 * description (escaped), permitted spans shaded where they are, breaches
 * marked (an open one drawn to now), levels clamped to the axis; the hourly
 * table's energy means, coverage, permitted hours and breaches; the days the
 * clocks change have 23 and 25 hours; bad input is refused.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "web/noisechart.h"

#define H (INT64_C(3600) * 1000)
/* 2026-11-25 00:00 GMT (no summer time in November) */
#define DAY INT64_C(1795564800000)

static char *draw(const struct noisechart *c)
{
	struct html h;
	char *out = NULL;
	size_t len = 0;

	html_init(&h, 1 << 20);
	assert_int_equal(noisechart_svg(c, &h), 0);
	assert_int_equal(html_take(&h, &out, &len), 0);
	return out;
}

static struct noisechart base(void)
{
	struct noisechart c = {0};

	c.day_start_ms = DAY;
	c.day_end_ms = DAY + 24 * H;
	c.now_ms = DAY + 22 * H;
	c.id = "chart-0";
	c.title = "Noise at <Tower A>";
	c.desc = "A & B";
	c.y_min = 30;
	c.y_max = 100;
	return c;
}

static void test_svg(void **state)
{
	struct noisechart_period p[3] = {
		{DAY + 8 * H, 3600, true, 60.0, true, 80.0},
		{DAY + 9 * H, 3600, true, 150.0, true, 160.0}, /* off the scale: clamped */
		{DAY + 10 * H, 60, false, 0, false, 0},
	};
	struct noisechart_mark spans[1] = {{DAY + 8 * H, DAY + 17 * H, NULL}};
	struct noisechart_mark br[2] = {{DAY + 19 * H, DAY + 20 * H, "Noise out of hours <mic>"},
					{DAY + 21 * H, 0, "Door"}};
	struct noisechart c = base();
	char *svg = NULL;

	(void)state;
	c.periods = p;
	c.n_periods = 3;
	c.spans = spans;
	c.n_spans = 1;
	c.breaches = br;
	c.n_breaches = 2;
	svg = draw(&c);
	assert_non_null(strstr(svg, "<svg class=\"noisechart\" id=\"chart-0\" role=\"img\""));
	assert_non_null(strstr(svg, "<title id=\"chart-0-title\">Noise at &lt;Tower A&gt;</title>"));
	assert_non_null(strstr(svg, "<desc id=\"chart-0-desc\">A &amp; B</desc>"));
	/* 08:00 to 17:00 of a 718 px wide plot from x = 52: 8/24 and 9/24 of it */
	assert_non_null(strstr(svg, "class=\"permitted\" x=\"291.3\" y=\"44.0\" width=\"269.3\""));
	assert_non_null(strstr(svg, "Permitted hours 08:00 to 17:00"));
	assert_non_null(strstr(svg, "Noise out of hours &lt;mic&gt;, 19:00 to 20:00</title>"));
	assert_non_null(strstr(svg, "Door, 21:00 to now (still open)</title>"));
	assert_non_null(strstr(svg, "class=\"laeq\""));
	assert_non_null(strstr(svg, "class=\"lafmax\""));
	/* 60 dB at y = 300 - 30/70 x 256; 150 dB clamped to the top, 44 */
	assert_non_null(strstr(svg, " 190.3H"));
	assert_non_null(strstr(svg, "V44.0H"));
	assert_non_null(strstr(svg, ">24:00</text>"));
	assert_null(strstr(svg, "<mic>"));
	free(svg);
}

static void test_hours(void **state)
{
	struct noisechart_period p[3] = {
		{DAY + 8 * H, 1800, true, 60.0, true, 70.0},
		{DAY + 8 * H + 1800000, 1800, true, 70.0, true, 90.0},
		{DAY + 9 * H + 1800000, 3600, true, 50.0, true, 55.0}, /* half in 09, half in 10 */
	};
	struct noisechart_mark spans[1] = {{DAY + 8 * H, DAY + 9 * H, NULL}};
	struct noisechart_mark br[1] = {{DAY + 21 * H + 60000, 0, "x"}};
	struct noisechart_hour hours[NOISECHART_HOURS_MAX];
	struct noisechart c = base();

	(void)state;
	c.periods = p;
	c.n_periods = 3;
	c.spans = spans;
	c.n_spans = 1;
	c.breaches = br;
	c.n_breaches = 1;
	assert_int_equal(noisechart_hours(&c, hours, NOISECHART_HOURS_MAX), 24);
	assert_string_equal(hours[8].label, "08:00");
	assert_true(hours[8].has_laeq);
	/* energy mean of 60 and 70 dB, equal times: 10 log10((1e6 + 1e7) / 2) */
	assert_true(hours[8].laeq > 67.39 && hours[8].laeq < 67.41);
	assert_true(hours[8].lafmax > 89.9 && hours[8].lafmax < 90.1);
	assert_int_equal(hours[8].minutes, 60);
	assert_true(hours[8].permitted);
	assert_false(hours[9].permitted);
	assert_int_equal(hours[9].minutes, 30);
	assert_int_equal(hours[10].minutes, 30);
	assert_false(hours[11].has_laeq);
	assert_int_equal(hours[21].breaches, 1);
	assert_int_equal(hours[22].breaches, 0); /* open breaches end at now (22:00) */
	assert_int_equal(hours[20].breaches, 0);
}

static void test_clock_changes(void **state)
{
	struct noisechart_hour hours[NOISECHART_HOURS_MAX];
	struct noisechart c = base();

	(void)state;
	/* 2026-03-29 00:00 GMT to 2026-03-30 00:00 BST: 23 hours */
	c.day_start_ms = INT64_C(1774742400000);
	c.day_end_ms = c.day_start_ms + 23 * H;
	assert_int_equal(noisechart_hours(&c, hours, NOISECHART_HOURS_MAX), 23);
	assert_string_equal(hours[1].label, "02:00");
	/* 2026-10-25 00:00 BST to 2026-10-26 00:00 GMT: 25 hours, 01:00 twice */
	c.day_start_ms = INT64_C(1792882800000);
	c.day_end_ms = c.day_start_ms + 25 * H;
	assert_int_equal(noisechart_hours(&c, hours, NOISECHART_HOURS_MAX), 25);
	assert_string_equal(hours[1].label, "01:00");
	assert_string_equal(hours[2].label, "01:00");
}

static void test_bad_input(void **state)
{
	struct noisechart c = base();
	struct html h;

	(void)state;
	html_init(&h, 1024);
	c.id = "bad id\"";
	assert_int_equal(noisechart_svg(&c, &h), -EINVAL);
	c = base();
	c.day_end_ms = c.day_start_ms;
	assert_int_equal(noisechart_svg(&c, &h), -EINVAL);
	c = base();
	c.y_max = c.y_min;
	assert_int_equal(noisechart_svg(&c, &h), -EINVAL);
	c = base();
	c.n_periods = 1; /* and no periods */
	assert_int_equal(noisechart_hours(&c, NULL, 0), -EINVAL);
	html_release(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_svg),
		cmocka_unit_test(test_hours),
		cmocka_unit_test(test_clock_changes),
		cmocka_unit_test(test_bad_input),
	};

	setenv("TZ", "Europe/London", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
