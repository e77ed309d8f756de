/* SPDX-License-Identifier: MIT */
/*
 * The noise day view as SVG, drawn on the server: one local day (00:00 to
 * the next 00:00 in the process's time zone, which is the site's; 23 or 25
 * hours on the days the clocks change) across, dB up; the permitted hours
 * shaded; LAeq of each measuring period as steps, LAFmax lighter; breaches
 * marked in a band along the top. Many periods are combined per pixel column
 * (energy mean of LAeq, highest LAFmax), so the output stays small whatever
 * the period length. Also the same data per hour, for the table that goes
 * with the chart.
 *
 * A pure function of its input and the time zone: no database, no clock.
 * Not for: fetching the data (web_manager), page layout (web).
 * Threads: no shared state.
 */
#ifndef SITEBOARD_SERVER_NOISECHART_H
#define SITEBOARD_SERVER_NOISECHART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http/html.h"

#define NOISECHART_HOURS_MAX 25 /* local hours in a day (25 when the clocks go back) */

/* One measuring period of one sensor. */
struct noisechart_period {
	int64_t ts_ms; /* start */
	int period_s;  /* >= 1 */
	bool has_laeq;
	double laeq;
	bool has_lafmax;
	double lafmax;
};

/* A permitted span or a breach: [start_ms, end_ms); end_ms 0 = still going (drawn to now_ms). */
struct noisechart_mark {
	int64_t start_ms;
	int64_t end_ms;
	const char *label; /* breach: outside text (escaped), e.g. "Noise out of hours, sensor mic" */
};

struct noisechart {
	int64_t day_start_ms; /* local midnight */
	int64_t day_end_ms;   /* the next local midnight */
	int64_t now_ms;       /* open breaches and the future: drawn up to here */
	const char *id;       /* [a-z0-9-] prefix for element ids, unique on the page */
	const char *title;    /* outside text, escaped: the chart's <title> */
	const char *desc;     /* outside text, escaped: its <desc> */
	double y_min, y_max;  /* dB shown; values outside are drawn at the edge */
	const struct noisechart_period *periods; /* by ts, may be NULL when n_periods is 0 */
	size_t n_periods;
	const struct noisechart_mark *spans; /* permitted hours */
	size_t n_spans;
	const struct noisechart_mark *breaches;
	size_t n_breaches;
};

/* One local hour of the table. */
struct noisechart_hour {
	int64_t start_ms;
	int64_t end_ms;
	char label[8];   /* "14:00" (a repeated hour when the clocks go back) */
	bool has_laeq;   /* any measured period started in this hour */
	double laeq;     /* energy mean over the periods, weighted by length */
	bool has_lafmax;
	double lafmax;   /* highest */
	int minutes;     /* minutes of measurement */
	bool permitted;  /* the hour overlaps the permitted hours */
	int breaches;    /* breaches active in the hour */
};

/*
 * Append the <svg> element (role="img", <title> and <desc>) to h.
 * @retval 0, -EINVAL (day_end <= day_start, y_max <= y_min, bad id); h's
 *         own errors are sticky in h
 */
int noisechart_svg(const struct noisechart *c, struct html *h);

/*
 * The day's local hours with their LAeq, LAFmax, coverage, permitted hours
 * and breaches into out (at most NOISECHART_HOURS_MAX).
 * @retval number of hours (23, 24 or 25), or -EINVAL
 */
int noisechart_hours(const struct noisechart *c, struct noisechart_hour *out, size_t max);

#endif
