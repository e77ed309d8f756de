/* SPDX-License-Identifier: MIT */
/*
 * The hours-of-work policy: the weekly-spec parser, England and Wales bank
 * holidays (rules plus GOV.UK's bank-holidays.json), agreed exceptions, and
 * local dates turned into UTC spans through the system tz database
 * (sbdate.h: localtime_r's tm_gmtoff; never mktime, whose handling of the
 * clock-change gap and overlap is unspecified). Queries go through a small thread-local
 * cache of per-date spans, so a policy stays read-only after set-up and a hot
 * hours_permitted costs no tz look-up. Not for display: the board formats
 * hours itself.
 */
#include "siteboard/hours.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "siteboard/sbdate.h"
#include "siteboard/sbtime.h"

#define MAX_SPEC_LEN 1024
#define MAX_FILE_BYTES (1024 * 1024)
#define MAX_EVENTS 2000
#define MAX_TITLE 200
#define MIN_EVENTS_PER_YEAR 6
#define SEARCH_DAYS 400
#define CACHE_SLOTS 8
/* Year 1 to year 9999: keeps every conversion far from overflow. */
#define MIN_MS INT64_C(-62135596800000)
#define MAX_MS INT64_C(253402300799999)

struct window {
	uint8_t days; /* bit 0 = mon .. bit 6 = sun */
	int from, to; /* minutes after local midnight */
};

struct minspan {
	int from, to;
};

struct holiday {
	int64_t day; /* days since 1970-01-01 */
	char title[MAX_TITLE + 1];
};

struct exception {
	int64_t day;
	bool closed;
	int from, to;
};

struct hours_policy {
	uint64_t uid; /* changes with every set-up call: the cache key */
	size_t nwin;
	struct window win[HOURS_MAX_WINDOWS];
	size_t nday[7];
	struct minspan day[7][HOURS_MAX_WINDOWS];
	struct holiday *hol; /* sorted by day */
	size_t nhol;
	struct exception *exc; /* sorted by day */
	size_t nexc;
};

/* The spans of one local date; [lo_ms, hi_ms) is the date itself. */
struct day_ent {
	uint64_t uid;
	int64_t day;
	int64_t lo_ms, hi_ms;
	size_t n;
	struct hours_span span[HOURS_MAX_WINDOWS];
};

static atomic_uint_fast64_t next_uid = 1;
static _Thread_local struct day_ent cache[CACHE_SLOTS];
static _Thread_local unsigned cache_next;

static const char *const day_names[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

static void set_err(char *err, size_t err_len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t err_len, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || err_len == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, err_len, fmt, ap);
	va_end(ap);
	/* One line, even when jansson quotes input back. */
	for (char *c = err; *c != '\0'; c++) {
		if ((unsigned char)*c < 0x20)
			*c = '?';
	}
}

static uint64_t new_uid(void)
{
	return atomic_fetch_add(&next_uid, 1);
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* 0 = Monday. 1970-01-01 was a Thursday. */
static int weekday(int64_t day)
{
	return (int)(day + 3 - floor_div(day + 3, 7) * 7);
}

/* ---- The weekly spec ---- */

struct lexer {
	const char *s;
	size_t i;
	char *err;
	size_t err_len;
};

static void skip_ws(struct lexer *lx)
{
	while (lx->s[lx->i] == ' ' || lx->s[lx->i] == '\t')
		lx->i++;
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int lower(char c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Describe the character at lx->i for an error message. */
static void describe_at(const struct lexer *lx, char *buf, size_t n)
{
	unsigned char c = (unsigned char)lx->s[lx->i];

	if (c == '\0')
		snprintf(buf, n, "end of text");
	else if (c >= 0x20 && c < 0x7f)
		snprintf(buf, n, "'%c' at character %zu", c, lx->i + 1);
	else
		snprintf(buf, n, "byte 0x%02x at character %zu", c, lx->i + 1);
}

static int expected(struct lexer *lx, const char *what)
{
	char at[48];

	describe_at(lx, at, sizeof(at));
	set_err(lx->err, lx->err_len, "weekly hours: expected %s, found %s", what, at);
	return -EINVAL;
}

static int parse_day(struct lexer *lx, int *out)
{
	size_t start = lx->i, len;

	while (is_alpha(lx->s[lx->i]))
		lx->i++;
	len = lx->i - start;
	if (len == 0) {
		lx->i = start;
		return expected(lx, "a day (mon..sun)");
	}
	for (int d = 0; d < 7; d++) {
		if (len == 3 && lower(lx->s[start]) == day_names[d][0] &&
		    lower(lx->s[start + 1]) == day_names[d][1] &&
		    lower(lx->s[start + 2]) == day_names[d][2]) {
			*out = d;
			return 0;
		}
	}
	set_err(lx->err, lx->err_len,
		"weekly hours: unknown day '%.*s' at character %zu (use mon..sun)",
		len > 16 ? 16 : (int)len, lx->s + start, start + 1);
	return -EINVAL;
}

static int parse_time(struct lexer *lx, int *out)
{
	char tok[6];

	for (size_t k = 0; k < 5; k++) {
		if (lx->s[lx->i + k] == '\0')
			return expected(lx, "a time HH:MM");
	}
	memcpy(tok, lx->s + lx->i, 5);
	tok[5] = '\0';
	if (sbtime_parse_hhmm(tok, out) != 0 ||
	    (lx->s[lx->i + 5] >= '0' && lx->s[lx->i + 5] <= '9'))
		return expected(lx, "a time HH:MM (00:00..24:00)");
	lx->i += 5;
	return 0;
}

/* days ("mon-fri", "mon,wed", "sat") then "HH:MM-HH:MM" */
static int parse_window(struct lexer *lx, struct window *w)
{
	int a, b, rc;
	size_t at;

	w->days = 0;
	for (;;) {
		skip_ws(lx);
		rc = parse_day(lx, &a);
		if (rc != 0)
			return rc;
		b = a;
		if (lx->s[lx->i] == '-') {
			lx->i++;
			rc = parse_day(lx, &b);
			if (rc != 0)
				return rc;
		}
		for (int d = a;; d = (d + 1) % 7) {
			w->days |= (uint8_t)(1u << d);
			if (d == b)
				break;
		}
		if (lx->s[lx->i] != ',')
			break;
		lx->i++;
	}
	if (lx->s[lx->i] != ' ' && lx->s[lx->i] != '\t')
		return expected(lx, "a space between days and times");
	skip_ws(lx);
	at = lx->i;
	rc = parse_time(lx, &w->from);
	if (rc != 0)
		return rc;
	if (lx->s[lx->i] != '-')
		return expected(lx, "'-' between the start and end times");
	lx->i++;
	rc = parse_time(lx, &w->to);
	if (rc != 0)
		return rc;
	if (w->from >= w->to) {
		set_err(lx->err, lx->err_len,
			"weekly hours: window at character %zu ends before it starts "
			"(a window cannot cross midnight: split it at 24:00)",
			at + 1);
		return -EINVAL;
	}
	return 0;
}

static int cmp_minspan(const void *a, const void *b)
{
	const struct minspan *x = a, *y = b;

	return (x->from > y->from) - (x->from < y->from);
}

/* Sort and merge overlapping or touching spans in place; returns the new count. */
static size_t merge_minspans(struct minspan *s, size_t n)
{
	size_t k = 0;

	if (n == 0)
		return 0;
	qsort(s, n, sizeof(*s), cmp_minspan);
	for (size_t i = 1; i < n; i++) {
		if (s[i].from <= s[k].to) {
			if (s[i].to > s[k].to)
				s[k].to = s[i].to;
		} else {
			s[++k] = s[i];
		}
	}
	return k + 1;
}

static int parse_weekly(struct hours_policy *p, const char *spec, char *err, size_t err_len)
{
	struct lexer lx = {.s = spec, .i = 0, .err = err, .err_len = err_len};
	size_t len = strnlen(spec, MAX_SPEC_LEN + 1);
	int rc;

	if (len > MAX_SPEC_LEN) {
		set_err(err, err_len, "weekly hours: longer than %d characters", MAX_SPEC_LEN);
		return -EINVAL;
	}
	skip_ws(&lx);
	if (spec[lx.i] == '\0') {
		set_err(err, err_len, "weekly hours: empty (write \"none\" for no weekly hours)");
		return -EINVAL;
	}
	if (strncmp(spec + lx.i, "none", 4) == 0) {
		lx.i += 4;
		skip_ws(&lx);
		if (spec[lx.i] != '\0')
			return expected(&lx, "nothing after \"none\"");
		return 0;
	}
	for (;;) {
		if (p->nwin == HOURS_MAX_WINDOWS) {
			set_err(err, err_len, "weekly hours: more than %d windows",
				HOURS_MAX_WINDOWS);
			return -EINVAL;
		}
		rc = parse_window(&lx, &p->win[p->nwin]);
		if (rc != 0)
			return rc;
		p->nwin++;
		skip_ws(&lx);
		if (spec[lx.i] == '\0')
			break;
		if (spec[lx.i] != ',' && spec[lx.i] != ';')
			return expected(&lx, "',' or ';' between windows");
		lx.i++;
	}
	for (int d = 0; d < 7; d++) {
		size_t n = 0;

		for (size_t w = 0; w < p->nwin; w++) {
			if (p->win[w].days & (1u << d)) {
				p->day[d][n].from = p->win[w].from;
				p->day[d][n].to = p->win[w].to;
				n++;
			}
		}
		p->nday[d] = merge_minspans(p->day[d], n);
	}
	return 0;
}

int hours_open(const char *weekly, struct hours_policy **out, char *err, size_t err_len)
{
	struct hours_policy *p = NULL;
	int rc;

	*out = NULL;
	set_err(err, err_len, "%s", "");
	if (weekly == NULL) {
		set_err(err, err_len, "weekly hours: missing");
		rc = -EINVAL;
		goto fail;
	}
	p = calloc(1, sizeof(*p));
	if (p == NULL) {
		set_err(err, err_len, "out of memory");
		rc = -ENOMEM;
		goto fail;
	}
	p->uid = new_uid();
	rc = parse_weekly(p, weekly, err, err_len);
	if (rc != 0)
		goto fail;
	*out = p;
	return 0;
fail:
	hours_close(p);
	return rc;
}

void hours_close(struct hours_policy *p)
{
	if (p == NULL)
		return;
	free(p->hol);
	free(p->exc);
	free(p);
}

static int append(char *buf, size_t n, size_t *pos, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int append(char *buf, size_t n, size_t *pos, const char *fmt, ...)
{
	va_list ap;
	int len;

	if (*pos >= n)
		return -ENOSPC;
	va_start(ap, fmt);
	len = vsnprintf(buf + *pos, n - *pos, fmt, ap);
	va_end(ap);
	if (len < 0 || (size_t)len >= n - *pos)
		return -ENOSPC;
	*pos += (size_t)len;
	return 0;
}

static int append_hhmm(char *buf, size_t n, size_t *pos, int min)
{
	return append(buf, n, pos, "%02d:%02d", min / 60, min % 60);
}

int hours_weekly_text(const struct hours_policy *p, char *buf, size_t n)
{
	size_t pos = 0;
	int rc = 0;

	if (n == 0)
		return -ENOSPC;
	buf[0] = '\0';
	if (p->nwin == 0)
		return append(buf, n, &pos, "none");
	for (size_t w = 0; w < p->nwin && rc == 0; w++) {
		const struct window *win = &p->win[w];
		bool first = true;

		if (w > 0)
			rc = append(buf, n, &pos, ", ");
		/* Runs of consecutive days, Monday first: "mon-fri", "mon,wed". */
		for (int d = 0; d < 7 && rc == 0;) {
			int e = d;

			if (!(win->days & (1u << d))) {
				d++;
				continue;
			}
			while (e + 1 < 7 && (win->days & (1u << (e + 1))))
				e++;
			rc = append(buf, n, &pos, "%s%s", first ? "" : ",", day_names[d]);
			if (rc == 0 && e > d)
				rc = append(buf, n, &pos, "-%s", day_names[e]);
			first = false;
			d = e + 1;
		}
		if (rc == 0)
			rc = append(buf, n, &pos, " ");
		if (rc == 0)
			rc = append_hhmm(buf, n, &pos, win->from);
		if (rc == 0)
			rc = append(buf, n, &pos, "-");
		if (rc == 0)
			rc = append_hhmm(buf, n, &pos, win->to);
	}
	if (rc != 0)
		buf[0] = '\0';
	return rc;
}

/* ---- Bank holidays ---- */

struct rule_hol {
	int64_t day;
	const char *title;
};

/* Gregorian Easter Sunday (the anonymous Gregorian algorithm). */
static int64_t easter(int y)
{
	int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4;
	int f = (b + 8) / 25, g = (b - f + 1) / 3;
	int h = (19 * a + b - d - g + 15) % 30;
	int i = c / 4, k = c % 4;
	int l = (32 + 2 * e + 2 * i - h - k) % 7;
	int m = (a + 11 * h + 22 * l) / 451;
	int month = (h + l - 7 * m + 114) / 31;
	int day = (h + l - 7 * m + 114) % 31 + 1;

	return sbtime_days_from_civil(y, month, day);
}

static int64_t first_monday(int y, int month)
{
	int64_t d = sbtime_days_from_civil(y, month, 1);

	return d + (7 - weekday(d)) % 7;
}

static int64_t last_monday(int y, int month, int last_dom)
{
	int64_t d = sbtime_days_from_civil(y, month, last_dom);

	return d - weekday(d);
}

static bool is_weekend(int64_t day)
{
	return weekday(day) >= 5;
}

/* The computed England and Wales bank holidays of year y; returns the count (at most 8). */
static size_t rule_holidays(int y, struct rule_hol out[8])
{
	size_t n = 0;
	int64_t d = sbtime_days_from_civil(y, 1, 1);
	int64_t e = easter(y);
	int64_t xmas = sbtime_days_from_civil(y, 12, 25);
	int64_t box = xmas + 1;
	int64_t next_free = box + 1;
	bool xmas_sub = is_weekend(xmas), box_sub = is_weekend(box);

	if (is_weekend(d))
		out[n++] =
			(struct rule_hol){d + (7 - weekday(d)), "New Year's Day (substitute day)"};
	else
		out[n++] = (struct rule_hol){d, "New Year's Day"};
	out[n++] = (struct rule_hol){e - 2, "Good Friday"};
	out[n++] = (struct rule_hol){e + 1, "Easter Monday"};
	if (y >= 1978)
		out[n++] = (struct rule_hol){first_monday(y, 5), "Early May bank holiday"};
	out[n++] = (struct rule_hol){last_monday(y, 5, 31), "Spring bank holiday"};
	out[n++] = (struct rule_hol){last_monday(y, 8, 31), "Summer bank holiday"};
	/* Substitutes take the first weekdays after Boxing Day, Christmas's first. */
	if (!xmas_sub)
		out[n++] = (struct rule_hol){xmas, "Christmas Day"};
	if (!box_sub)
		out[n++] = (struct rule_hol){box, "Boxing Day"};
	while (is_weekend(next_free))
		next_free++;
	if (xmas_sub) {
		out[n++] = (struct rule_hol){next_free, "Christmas Day (substitute day)"};
		next_free++;
		while (is_weekend(next_free))
			next_free++;
	}
	if (box_sub)
		out[n++] = (struct rule_hol){next_free, "Boxing Day (substitute day)"};
	return n;
}

/* Index of the first holiday with day >= day. */
static size_t hol_lower(const struct holiday *h, size_t n, int64_t day)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (h[mid].day < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool holiday_on(const struct hours_policy *p, int64_t day, const char **name)
{
	int y, m, d;
	int64_t jan1, next_jan1;
	size_t i;
	struct rule_hol r[8];
	size_t n;

	sbtime_civil_from_days(day, &y, &m, &d);
	jan1 = sbtime_days_from_civil(y, 1, 1);
	next_jan1 = sbtime_days_from_civil(y + 1, 1, 1);
	i = hol_lower(p->hol, p->nhol, jan1);
	if (i < p->nhol && p->hol[i].day < next_jan1) {
		/* The file covers this year: it alone decides. */
		i = hol_lower(p->hol, p->nhol, day);
		if (i < p->nhol && p->hol[i].day == day) {
			if (name != NULL)
				*name = p->hol[i].title;
			return true;
		}
		return false;
	}
	n = rule_holidays(y, r);
	for (i = 0; i < n; i++) {
		if (r[i].day == day) {
			if (name != NULL)
				*name = r[i].title;
			return true;
		}
	}
	return false;
}

bool hours_is_bank_holiday(const struct hours_policy *p, int year, int month, int day,
			   const char **name)
{
	if (!sbdate_valid((struct sbdate){year, month, day}))
		return false;
	return holiday_on(p, sbtime_days_from_civil(year, month, day), name);
}

static int cmp_holiday(const void *a, const void *b)
{
	const struct holiday *x = a, *y = b;

	return (x->day > y->day) - (x->day < y->day);
}

/* Drop repeated dates of a sorted list (one title stays); returns the new count. */
static size_t drop_repeats(struct holiday *hol, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		if (k > 0 && hol[i].day == hol[k - 1].day)
			continue;
		hol[k++] = hol[i];
	}
	return k;
}

/* The file replaces the rules for each year it lists, so each must be complete. */
static int check_complete_years(const struct holiday *hol, size_t n, char *err, size_t err_len)
{
	size_t first = 0;

	for (size_t i = 1; i <= n; i++) {
		int y0, y1 = 0, m, d;

		sbtime_civil_from_days(hol[first].day, &y0, &m, &d);
		if (i < n)
			sbtime_civil_from_days(hol[i].day, &y1, &m, &d);
		if (i < n && y1 == y0)
			continue;
		if (i - first < MIN_EVENTS_PER_YEAR) {
			set_err(err, err_len,
				"bank holidays: %d lists only %zu event(s); the file replaces the "
				"computed holidays of each year it lists, so list all of that "
				"year's",
				y0, i - first);
			return -EINVAL;
		}
		first = i;
	}
	return 0;
}

int hours_parse_bank_holidays_json(struct hours_policy *p, const char *buf, size_t len, char *err,
				   size_t err_len)
{
	json_t *root = NULL;
	json_error_t jerr;
	json_t *div = NULL;
	json_t *events = NULL;
	struct holiday *hol = NULL;
	size_t n = 0, count;
	int rc = -EINVAL;

	set_err(err, err_len, "%s", "");
	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		set_err(err, err_len, "bank holidays: line %d: %s", jerr.line, jerr.text);
		goto out;
	}
	div = json_object_get(root, "england-and-wales");
	if (!json_is_object(div)) {
		set_err(err, err_len, "bank holidays: \"england-and-wales\" must be an object");
		goto out;
	}
	events = json_object_get(div, "events");
	if (!json_is_array(events)) {
		set_err(err, err_len, "bank holidays: england-and-wales.events must be an array");
		goto out;
	}
	count = json_array_size(events);
	if (count > MAX_EVENTS) {
		set_err(err, err_len, "bank holidays: more than %d events", MAX_EVENTS);
		goto out;
	}
	hol = calloc(count > 0 ? count : 1, sizeof(*hol));
	if (hol == NULL) {
		set_err(err, err_len, "out of memory");
		rc = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < count; i++) {
		json_t *ev = json_array_get(events, i);
		json_t *date = json_object_get(ev, "date");
		json_t *title = json_object_get(ev, "title");
		int y, m, d;

		if (!json_is_object(ev)) {
			set_err(err, err_len,
				"bank holidays: england-and-wales.events[%zu] must be an object",
				i);
			goto out;
		}
		if (!json_is_string(date) ||
		    sbtime_parse_date(json_string_value(date), &y, &m, &d) != 0 ||
		    strlen(json_string_value(date)) != json_string_length(date)) {
			set_err(err, err_len,
				"bank holidays: england-and-wales.events[%zu].date must be a date "
				"YYYY-MM-DD",
				i);
			goto out;
		}
		if (!json_is_string(title) || json_string_length(title) == 0 ||
		    json_string_length(title) > MAX_TITLE ||
		    strlen(json_string_value(title)) != json_string_length(title)) {
			set_err(err, err_len,
				"bank holidays: england-and-wales.events[%zu].title must be text "
				"of 1..%d bytes",
				i, MAX_TITLE);
			goto out;
		}
		hol[n].day = sbtime_days_from_civil(y, m, d);
		memcpy(hol[n].title, json_string_value(title), json_string_length(title) + 1);
		n++;
	}
	qsort(hol, n, sizeof(*hol), cmp_holiday);
	n = drop_repeats(hol, n);
	if (check_complete_years(hol, n, err, err_len) != 0)
		goto out;
	free(p->hol);
	p->hol = hol;
	p->nhol = n;
	hol = NULL;
	p->uid = new_uid();
	rc = 0;
out:
	free(hol);
	json_decref(root);
	return rc;
}

int hours_load_bank_holidays(struct hours_policy *p, const char *path, char *err, size_t err_len)
{
	FILE *f = NULL;
	char *buf = NULL;
	size_t len;
	int rc;

	set_err(err, err_len, "%s", "");
	f = fopen(path, "rb");
	if (f == NULL) {
		rc = -errno;
		set_err(err, err_len, "bank holidays: %s: %s", path, strerror(errno));
		goto out;
	}
	buf = malloc(MAX_FILE_BYTES + 1);
	if (buf == NULL) {
		set_err(err, err_len, "out of memory");
		rc = -ENOMEM;
		goto out;
	}
	len = fread(buf, 1, MAX_FILE_BYTES + 1, f);
	if (ferror(f)) {
		set_err(err, err_len, "bank holidays: %s: read error", path);
		rc = -EIO;
		goto out;
	}
	if (len > MAX_FILE_BYTES) {
		set_err(err, err_len, "bank holidays: %s: larger than %d bytes", path,
			MAX_FILE_BYTES);
		rc = -EINVAL;
		goto out;
	}
	rc = hours_parse_bank_holidays_json(p, buf, len, err, err_len);
out:
	free(buf);
	if (f != NULL)
		fclose(f);
	return rc;
}

/* ---- Exceptions ---- */

static int cmp_exception(const void *a, const void *b)
{
	const struct exception *x = a, *y = b;

	return (x->day > y->day) - (x->day < y->day);
}

int hours_set_exceptions(struct hours_policy *p, const struct hours_exception *e, size_t n)
{
	struct exception *exc = NULL;
	size_t run = 0;

	if (n > HOURS_MAX_EXCEPTIONS || (n > 0 && e == NULL))
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (!sbdate_valid((struct sbdate){e[i].year, e[i].month, e[i].day}))
			return -EINVAL;
		if (!e[i].closed &&
		    (e[i].from_min < 0 || e[i].from_min >= e[i].to_min || e[i].to_min > 24 * 60))
			return -EINVAL;
	}
	if (n > 0) {
		exc = calloc(n, sizeof(*exc));
		if (exc == NULL)
			return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		exc[i].day = sbtime_days_from_civil(e[i].year, e[i].month, e[i].day);
		exc[i].closed = e[i].closed;
		exc[i].from = e[i].closed ? 0 : e[i].from_min;
		exc[i].to = e[i].closed ? 0 : e[i].to_min;
	}
	if (n > 0)
		qsort(exc, n, sizeof(*exc), cmp_exception);
	for (size_t i = 0; i < n; i++) {
		run = i > 0 && exc[i].day == exc[i - 1].day ? run + 1 : 1;
		if (run > HOURS_MAX_WINDOWS) {
			free(exc);
			return -EINVAL;
		}
	}
	free(p->exc);
	p->exc = exc;
	p->nexc = n;
	p->uid = new_uid();
	return 0;
}

/* The windows of a date in local minutes, after exceptions and bank holidays. */
static size_t minspans_for_day(const struct hours_policy *p, int64_t day,
			       struct minspan out[HOURS_MAX_WINDOWS])
{
	size_t lo = 0, hi = p->nexc, n = 0;
	bool any = false;
	int wd;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->exc[mid].day < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < p->nexc && p->exc[i].day == day; i++) {
		any = true;
		if (p->exc[i].closed)
			return 0;
		out[n].from = p->exc[i].from;
		out[n].to = p->exc[i].to;
		n++;
	}
	if (any)
		return merge_minspans(out, n);
	wd = weekday(day);
	if (p->nday[wd] == 0 || holiday_on(p, day, NULL))
		return 0;
	memcpy(out, p->day[wd], p->nday[wd] * sizeof(out[0]));
	return p->nday[wd];
}

/* ---- Local time ---- */

static int64_t local_ms(int64_t day, int min)
{
	return sbdate_local_to_utc_s(day * 86400 + (int64_t)min * 60) * 1000;
}

static void fill_day(const struct hours_policy *p, int64_t day, struct day_ent *ent)
{
	struct minspan ms[HOURS_MAX_WINDOWS];
	size_t n = minspans_for_day(p, day, ms);

	ent->uid = p->uid;
	ent->day = day;
	ent->lo_ms = local_ms(day, 0);
	ent->hi_ms = local_ms(day + 1, 0);
	ent->n = 0;
	for (size_t i = 0; i < n; i++) {
		int64_t s = ms[i].from == 0 ? ent->lo_ms : local_ms(day, ms[i].from);
		int64_t e = ms[i].to == 24 * 60 ? ent->hi_ms : local_ms(day, ms[i].to);

		if (s >= e)
			continue; /* wholly inside a spring gap */
		if (ent->n > 0 && s <= ent->span[ent->n - 1].end_ms) {
			if (e > ent->span[ent->n - 1].end_ms)
				ent->span[ent->n - 1].end_ms = e;
			continue;
		}
		ent->span[ent->n].start_ms = s;
		ent->span[ent->n].end_ms = e;
		ent->n++;
	}
}

static struct day_ent *new_slot(void)
{
	struct day_ent *ent = &cache[cache_next];

	cache_next = (cache_next + 1) % CACHE_SLOTS;
	return ent;
}

static const struct day_ent *day_spans(const struct hours_policy *p, int64_t day)
{
	struct day_ent *ent;

	for (size_t i = 0; i < CACHE_SLOTS; i++) {
		if (cache[i].uid == p->uid && cache[i].day == day)
			return &cache[i];
	}
	ent = new_slot();
	fill_day(p, day, ent);
	return ent;
}

/* The local date of instant t_ms, or false if out of range. */
static bool local_day(int64_t t_ms, int64_t *day)
{
	struct sbdate d;

	if (t_ms < MIN_MS || t_ms > MAX_MS || sbdate_local_date(t_ms, &d) < 0)
		return false;
	*day = sbtime_days_from_civil(d.year, d.month, d.day);
	return true;
}

/* The cached date holding instant t, filling the cache on a miss. */
static const struct day_ent *day_at(const struct hours_policy *p, int64_t t_ms)
{
	int64_t day;

	for (size_t i = 0; i < CACHE_SLOTS; i++) {
		if (cache[i].uid == p->uid && t_ms >= cache[i].lo_ms && t_ms < cache[i].hi_ms)
			return &cache[i];
	}
	if (!local_day(t_ms, &day))
		return NULL;
	return day_spans(p, day);
}

size_t hours_spans_for_date(const struct hours_policy *p, int year, int month, int day,
			    struct hours_span *out, size_t max)
{
	const struct day_ent *ent;
	size_t n;

	if (!sbdate_valid((struct sbdate){year, month, day}))
		return 0;
	ent = day_spans(p, sbtime_days_from_civil(year, month, day));
	n = ent->n < max ? ent->n : max;
	memcpy(out, ent->span, n * sizeof(*out));
	return n;
}

bool hours_permitted(const struct hours_policy *p, int64_t t_ms)
{
	const struct day_ent *ent = day_at(p, t_ms);

	if (ent == NULL)
		return false;
	for (size_t i = 0; i < ent->n; i++) {
		if (t_ms >= ent->span[i].start_ms && t_ms < ent->span[i].end_ms)
			return true;
	}
	return false;
}

int hours_next_boundary(const struct hours_policy *p, int64_t t_ms, int64_t *next_ms)
{
	const struct day_ent *ent = day_at(p, t_ms);
	int64_t day, cur_end = INT64_MIN;

	if (ent == NULL)
		return -ENOENT;
	day = ent->day;
	for (int k = 0; k <= SEARCH_DAYS; k++) {
		ent = day_spans(p, day + k);
		for (size_t i = 0; i < ent->n; i++) {
			const struct hours_span *s = &ent->span[i];

			if (s->start_ms == cur_end) { /* continues across midnight */
				cur_end = s->end_ms;
				continue;
			}
			if (cur_end > t_ms) {
				*next_ms = cur_end;
				return 0;
			}
			if (s->start_ms > t_ms) {
				*next_ms = s->start_ms;
				return 0;
			}
			cur_end = s->end_ms;
		}
		/* An end is final once the next day does not start at it. */
		if (cur_end > t_ms && cur_end != ent->hi_ms) {
			*next_ms = cur_end;
			return 0;
		}
	}
	return -ENOENT;
}

int hours_last_end(const struct hours_policy *p, int64_t t_ms, int64_t *end_ms)
{
	const struct day_ent *ent = day_at(p, t_ms);
	int64_t day, later_start = INT64_MAX;

	if (ent == NULL)
		return -ENOENT;
	day = ent->day;
	for (int k = 0; k <= SEARCH_DAYS; k++) {
		ent = day_spans(p, day - k);
		for (size_t i = ent->n; i-- > 0;) {
			const struct hours_span *s = &ent->span[i];

			if (s->end_ms <= t_ms && s->end_ms != later_start) {
				*end_ms = s->end_ms;
				return 0;
			}
			later_start = s->start_ms;
		}
	}
	return -ENOENT;
}
