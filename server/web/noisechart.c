/* SPDX-License-Identifier: MIT */
/*
 * The noise day view's SVG and hourly table (see noisechart.h). Geometry is
 * fixed in a 800 x 340 viewBox: the page scales it. Levels are combined per
 * column and per hour as energy means weighted by overlap, so a period that
 * spans several columns or hours counts in each for the part it covers.
 */
#include "web/noisechart.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define VIEW_W 800
#define VIEW_H 340
#define PLOT_X0 52.0
#define PLOT_X1 770.0
#define PLOT_Y0 44.0  /* top of the plot; the breach band is above it */
#define PLOT_Y1 300.0 /* bottom */
#define BAND_Y 20.0
#define BAND_H 14.0
#define COLUMNS 366 /* 2 px each */
#define HOUR_MS INT64_C(3600000)
#define LABEL_EVERY_H 3
#define MIN_MARK_PX 3.0

/* One column's or hour's accumulated levels. */
struct acc {
	double energy_s; /* sum of 10^(L/10) x seconds */
	double laeq_s;   /* seconds with an LAeq */
	bool has_max;
	double lafmax;
	double covered_s;
};

static bool id_ok(const char *id)
{
	if (id == NULL || id[0] == '\0' || strlen(id) > 40)
		return false;
	return strspn(id, "abcdefghijklmnopqrstuvwxyz0123456789-") == strlen(id);
}

static bool chart_ok(const struct noisechart *c)
{
	return c->day_end_ms > c->day_start_ms && c->y_max > c->y_min && id_ok(c->id) &&
	       (c->n_periods == 0 || c->periods != NULL) && (c->n_spans == 0 || c->spans != NULL) &&
	       (c->n_breaches == 0 || c->breaches != NULL);
}

static double x_of(const struct noisechart *c, int64_t t)
{
	double f = (double)(t - c->day_start_ms) / (double)(c->day_end_ms - c->day_start_ms);

	if (f < 0)
		f = 0;
	if (f > 1)
		f = 1;
	return PLOT_X0 + f * (PLOT_X1 - PLOT_X0);
}

static double y_of(const struct noisechart *c, double db)
{
	double f = (db - c->y_min) / (c->y_max - c->y_min);

	if (f < 0)
		f = 0;
	if (f > 1)
		f = 1;
	return PLOT_Y1 - f * (PLOT_Y1 - PLOT_Y0);
}

static int64_t max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

static int64_t min64(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

/* Where a mark ends: its end, or now for one still going. */
static int64_t mark_end(const struct noisechart *c, const struct noisechart_mark *m)
{
	return m->end_ms > 0 ? m->end_ms : max64(c->now_ms, m->start_ms);
}

/* Add the part of period p inside [from, to) to a. */
static void accumulate(struct acc *a, const struct noisechart_period *p, int64_t from, int64_t to)
{
	int64_t ps = p->ts_ms;
	int64_t pe = p->ts_ms + (int64_t)p->period_s * 1000;
	double s = (double)(min64(pe, to) - max64(ps, from)) / 1000.0;

	if (s <= 0)
		return;
	a->covered_s += s;
	if (p->has_laeq) {
		a->energy_s += pow(10.0, p->laeq / 10.0) * s;
		a->laeq_s += s;
	}
	if (p->has_lafmax && (!a->has_max || p->lafmax > a->lafmax)) {
		a->lafmax = p->lafmax;
		a->has_max = true;
	}
}

/* Accumulate every period into n equal slots of [from, to) (periods sorted or not). */
static void bin(const struct noisechart *c, int64_t from, int64_t to, struct acc *slots, int n)
{
	double w = (double)(to - from) / n;

	memset(slots, 0, sizeof(*slots) * (size_t)n);
	for (size_t i = 0; i < c->n_periods; i++) {
		const struct noisechart_period *p = &c->periods[i];
		int64_t pe = p->ts_ms + (int64_t)p->period_s * 1000;
		int first, last;

		if (p->period_s < 1 || pe <= from || p->ts_ms >= to)
			continue;
		first = p->ts_ms <= from ? 0 : (int)((double)(p->ts_ms - from) / w);
		last = pe >= to ? n - 1 : (int)((double)(pe - 1 - from) / w);
		if (first < 0)
			first = 0;
		if (last > n - 1)
			last = n - 1;
		for (int b = first; b <= last; b++)
			accumulate(&slots[b], p, from + (int64_t)(b * w), from + (int64_t)((b + 1) * w));
	}
}

static double acc_laeq(const struct acc *a)
{
	return 10.0 * log10(a->energy_s / a->laeq_s);
}

/* A step line through the columns that have a value; gaps break it. */
static void series(struct html *h, const struct noisechart *c, const struct acc *cols, bool max,
		   const char *cls, const char *stroke, const char *width)
{
	bool on = false;
	bool any = false;
	double colw = (PLOT_X1 - PLOT_X0) / COLUMNS;

	for (int b = 0; b < COLUMNS; b++) {
		bool has = max ? cols[b].has_max : cols[b].laeq_s > 0;
		double x0 = PLOT_X0 + b * colw;
		double y;

		if (!has) {
			on = false;
			continue;
		}
		y = y_of(c, max ? cols[b].lafmax : acc_laeq(&cols[b]));
		if (!any)
			html_fmt(h, "<path class=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"%s\" "
				    "stroke-linejoin=\"round\" d=\"",
				 cls, stroke, width);
		any = true;
		if (on)
			html_fmt(h, "V%.1fH%.1f", y, x0 + colw);
		else
			html_fmt(h, "M%.1f %.1fH%.1f", x0, y, x0 + colw);
		on = true;
	}
	if (any)
		html_raw(h, "\"/>");
}

static void hhmm(int64_t ms, char *buf, size_t n)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL || strftime(buf, n, "%H:%M", &tm) == 0)
		snprintf(buf, n, "--:--");
}

int noisechart_svg(const struct noisechart *c, struct html *h)
{
	struct acc cols[COLUMNS]; /* on the stack: pages are drawn on several threads */
	char t1[8], t2[8];
	int hour = 0;

	if (!chart_ok(c))
		return -EINVAL;
	bin(c, c->day_start_ms, c->day_end_ms, cols, COLUMNS);
	html_fmt(h, "<svg class=\"noisechart\" id=\"%s\" role=\"img\" viewBox=\"0 0 %d %d\" "
		    "aria-labelledby=\"%s-title %s-desc\" font-size=\"14\" "
		    "xmlns=\"http://www.w3.org/2000/svg\"><title id=\"%s-title\">",
		 c->id, VIEW_W, VIEW_H, c->id, c->id, c->id);
	html_text(h, c->title);
	html_fmt(h, "</title><desc id=\"%s-desc\">", c->id);
	html_text(h, c->desc);
	html_raw(h, "</desc>");
	html_fmt(h, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#fff\" "
		    "stroke=\"#505050\"/>",
		 PLOT_X0, PLOT_Y0, PLOT_X1 - PLOT_X0, PLOT_Y1 - PLOT_Y0);
	for (size_t i = 0; i < c->n_spans; i++) {
		const struct noisechart_mark *m = &c->spans[i];
		double x0 = x_of(c, m->start_ms);
		double x1 = x_of(c, m->end_ms);

		if (x1 <= x0)
			continue;
		hhmm(m->start_ms, t1, sizeof(t1));
		hhmm(m->end_ms, t2, sizeof(t2));
		html_fmt(h, "<rect class=\"permitted\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
			    "height=\"%.1f\" fill=\"#d6ecd9\"><title>Permitted hours %s to "
			    "%s</title></rect>",
			 x0, PLOT_Y0, x1 - x0, PLOT_Y1 - PLOT_Y0, t1, t2);
	}
	/* dB grid and labels */
	for (double db = ceil(c->y_min / 10) * 10; db <= c->y_max + 1e-9; db += 10) {
		double y = y_of(c, db);

		html_fmt(h, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
			    "stroke=\"#b8b8b8\" stroke-width=\"1\"/><text x=\"%.1f\" y=\"%.1f\" "
			    "text-anchor=\"end\" fill=\"#1b1b1b\">%.0f</text>",
			 PLOT_X0, PLOT_X1, y, y, PLOT_X0 - 6, y + 5, db);
	}
	html_fmt(h, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" fill=\"#1b1b1b\">dB</text>",
		 PLOT_X0 - 6, PLOT_Y0 - 8);
	/* hour ticks, labelled every LABEL_EVERY_H hours and at the end */
	for (int64_t t = c->day_start_ms; t <= c->day_end_ms; t += HOUR_MS, hour++) {
		double x = x_of(c, t);

		html_fmt(h, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
			    "stroke=\"#505050\"/>",
			 x, x, PLOT_Y1, PLOT_Y1 + (hour % LABEL_EVERY_H == 0 ? 8.0 : 4.0));
		if (hour % LABEL_EVERY_H == 0 || t == c->day_end_ms) {
			hhmm(t, t1, sizeof(t1));
			if (t == c->day_end_ms)
				snprintf(t1, sizeof(t1), "24:00");
			html_fmt(h, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
				    "fill=\"#1b1b1b\">%s</text>",
				 x, PLOT_Y1 + 24, t1);
		}
	}
	series(h, c, cols, true, "lafmax", "#8fb3d9", "1.5");
	series(h, c, cols, false, "laeq", "#0b3d6e", "2.5");
	for (size_t i = 0; i < c->n_breaches; i++) {
		const struct noisechart_mark *m = &c->breaches[i];
		int64_t end = mark_end(c, m);
		double x0, x1;

		if (end < c->day_start_ms || m->start_ms >= c->day_end_ms)
			continue;
		x0 = x_of(c, m->start_ms);
		x1 = x_of(c, end);
		if (x1 - x0 < MIN_MARK_PX)
			x1 = x0 + MIN_MARK_PX;
		hhmm(max64(m->start_ms, c->day_start_ms), t1, sizeof(t1));
		hhmm(min64(end, c->day_end_ms), t2, sizeof(t2));
		html_raw(h, "<g class=\"breach\"><title>");
		html_text(h, m->label);
		html_fmt(h, ", %s to %s%s</title>", t1, m->end_ms > 0 ? t2 : "now",
			 m->end_ms > 0 ? "" : " (still open)");
		html_fmt(h, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
			    "fill=\"#a4161a\" fill-opacity=\"0.85\"/>"
			    "<path d=\"M%.1f %.1fl-6 -12h12z\" fill=\"#a4161a\"/>"
			    "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#a4161a\" "
			    "stroke-dasharray=\"4 3\"/></g>",
			 x0, BAND_Y, x1 - x0, BAND_H, x0, BAND_Y, x0, x0, PLOT_Y0, PLOT_Y1);
	}
	html_raw(h, "</svg>");
	return 0;
}

int noisechart_hours(const struct noisechart *c, struct noisechart_hour *out, size_t max)
{
	struct acc a;
	int n = 0;

	if (!chart_ok(c))
		return -EINVAL;
	for (int64_t t = c->day_start_ms; t < c->day_end_ms && (size_t)n < max; t += HOUR_MS, n++) {
		struct noisechart_hour *o = &out[n];

		memset(o, 0, sizeof(*o));
		o->start_ms = t;
		o->end_ms = min64(t + HOUR_MS, c->day_end_ms);
		hhmm(t, o->label, sizeof(o->label));
		bin(c, o->start_ms, o->end_ms, &a, 1);
		o->has_laeq = a.laeq_s > 0;
		o->laeq = o->has_laeq ? acc_laeq(&a) : 0;
		o->has_lafmax = a.has_max;
		o->lafmax = a.lafmax;
		o->minutes = (int)lround(a.covered_s / 60.0);
		for (size_t i = 0; i < c->n_spans; i++)
			if (c->spans[i].start_ms < o->end_ms && c->spans[i].end_ms > o->start_ms)
				o->permitted = true;
		for (size_t i = 0; i < c->n_breaches; i++)
			/* a zero-length breach (retracted) counts in the hour it is in */
			if (c->breaches[i].start_ms < o->end_ms &&
			    (mark_end(c, &c->breaches[i]) > o->start_ms ||
			     c->breaches[i].start_ms >= o->start_ms))
				o->breaches++;
	}
	return n;
}
