/* SPDX-License-Identifier: MIT */
/*
 * Layout of the lobby board (see layout.h). The screen is built from
 * "items": boxes of wrapped lines (a notice, a work, a delay banner). Fixed
 * panels (header, status lines, contacts, QR, footer) are placed first; what
 * is left is the paged area, filled item by item. An item moves whole to the
 * next page when it does not fit, and is split between lines only when it
 * alone is taller than a page. Text is wrapped by words and over-long words
 * are broken between UTF-8 characters, so nothing is drawn outside its box.
 *
 * Not for drawing: render.c turns the ops into pixels.
 */
#include <sbrender/layout.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <siteboard/sbtime.h>

#define COL_BG 0xFFFFFFu
#define COL_TEXT 0x111111u
#define COL_MUTED 0x333333u
#define COL_HEADER_BG 0x0B3D6Eu
#define COL_WHITE 0xFFFFFFu
#define COL_DELAY_BG 0xFFD500u
#define COL_URGENT 0xB00020u
#define COL_IMPORTANT 0xF5A300u
#define COL_NORMAL_BORDER 0x8A8A8Au
#define COL_NOISY 0x4A148Cu
#define COL_WARN_BG 0xFFF1C2u
#define COL_WARN_BORDER 0xB26A00u
#define COL_PANEL_BG 0xEAF1F8u
#define COL_RULE 0x0B3D6Eu
#define COL_NONE 0xFFFFFFFFu

#define EVENT_SHOWN_AFTER_START_MS (2 * 3600 * 1000) /* an event stays listed 2 h after it starts */

struct line {
	char *text;
	int px;
	bool bold;
	uint32_t fg;
	uint32_t pill; /* COL_NONE, or the background of a tag drawn behind the text */
	int w, h;
	int indent;
};

struct item {
	struct line *lines;
	size_t n, cap;
	uint32_t bg;     /* COL_NONE for no box */
	uint32_t border; /* COL_NONE for no border */
	int border_w;
	int pad;
	bool keep_next; /* a heading: never last on a page */
};

struct items {
	struct item *v;
	size_t n, cap;
};

struct metrics {
	int pad;
	int body, small, head, title;
	int gap; /* between items */
};

struct ctx {
	const struct layout_input *in;
	const struct board *b;
	struct layout *out;
	struct metrics m;
	bool clock_ok;
	int want_page; /* -1: count pages only */
};

static const char *const wday_long[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
					"Thursday", "Friday", "Saturday"};
static const char *const wday_short[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char *const mon_long[] = {"January", "February", "March",     "April",
				       "May",     "June",     "July",      "August",
				       "September", "October", "November", "December"};
static const char *const mon_short[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* ---- ops ---------------------------------------------------------------- */

static int push_op(struct ctx *c, const struct layout_op *op, const char *text)
{
	struct layout *l = c->out;
	struct layout_op *nv = NULL;
	char *copy = NULL;

	if (l->n_ops == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 64;
		nv = realloc(l->ops, ncap * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		l->ops = nv;
		l->cap = ncap;
	}
	if (text) {
		copy = strdup(text);
		if (!copy)
			return -ENOMEM;
	}
	l->ops[l->n_ops] = *op;
	l->ops[l->n_ops].text = copy;
	l->n_ops++;
	return 0;
}

static int op_rect(struct ctx *c, int x, int y, int w, int h, uint32_t color, bool paged)
{
	struct layout_op op = {.kind = LAYOUT_OP_RECT, .x = x, .y = y, .w = w, .h = h,
			       .color = color, .paged = paged};

	if (w <= 0 || h <= 0)
		return 0;
	return push_op(c, &op, NULL);
}

static int op_text(struct ctx *c, int x, int y, const char *text, int px, bool bold,
		   uint32_t color, bool paged)
{
	struct layout_op op = {.kind = LAYOUT_OP_TEXT, .x = x, .y = y, .color = color,
			       .font_px = px, .bold = bold, .paged = paged};
	int rc;

	if (!text[0])
		return 0;
	rc = c->in->measure(c->in->measure_ctx, text, px, bold, &op.w, &op.h);
	if (rc < 0)
		return rc;
	return push_op(c, &op, text);
}

static int measure(struct ctx *c, const char *text, int px, bool bold, int *w, int *h)
{
	int tw = 0, th = 0;
	int rc = c->in->measure(c->in->measure_ctx, text, px, bold, &tw, &th);

	if (rc < 0)
		return rc;
	if (w)
		*w = tw;
	if (h)
		*h = th;
	return 0;
}

/* ---- time formatting ---------------------------------------------------- */

static void local_tm(int64_t ms, struct tm *tm)
{
	time_t t = (time_t)(ms / 1000);

	memset(tm, 0, sizeof(*tm));
	localtime_r(&t, tm);
}

static int64_t day_of_date(const char *date, int *wday)
{
	int y = 0, mo = 0, d = 0;
	int64_t days;

	if (sbtime_parse_date(date, &y, &mo, &d) < 0)
		return INT64_MIN;
	days = sbtime_days_from_civil(y, mo, d);
	if (wday)
		*wday = (int)(((days % 7) + 11) % 7); /* 1970-01-01 was a Thursday (4) */
	return days;
}

/* "Mon 7 Dec" from "YYYY-MM-DD". */
static void fmt_date_short(const char *date, char *buf, size_t n)
{
	int y = 0, mo = 0, d = 0, wd = 0;

	if (sbtime_parse_date(date, &y, &mo, &d) < 0) {
		snprintf(buf, n, "%s", date);
		return;
	}
	day_of_date(date, &wd);
	snprintf(buf, n, "%s %d %s", wday_short[wd], d, mon_short[mo - 1]);
}

static void fmt_range(const char *from, const char *to, char *buf, size_t n)
{
	char a[32], b[32];

	fmt_date_short(from, a, sizeof(a));
	if (!to[0] || strcmp(from, to) == 0) {
		snprintf(buf, n, "%s", a);
		return;
	}
	fmt_date_short(to, b, sizeof(b));
	snprintf(buf, n, "%s to %s", a, b);
}

static void fmt_local_short(int64_t ms, bool with_year, char *buf, size_t n)
{
	struct tm tm;

	local_tm(ms, &tm);
	if (with_year)
		snprintf(buf, n, "%s %d %s %d, %02d:%02d", wday_short[tm.tm_wday], tm.tm_mday,
			 mon_short[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min);
	else
		snprintf(buf, n, "%s %d %s, %02d:%02d", wday_short[tm.tm_wday], tm.tm_mday,
			 mon_short[tm.tm_mon], tm.tm_hour, tm.tm_min);
}

/* ---- items -------------------------------------------------------------- */

static void item_clear(struct item *it)
{
	for (size_t i = 0; i < it->n; i++)
		free(it->lines[i].text);
	free(it->lines);
	memset(it, 0, sizeof(*it));
}

static void items_clear(struct items *v)
{
	for (size_t i = 0; i < v->n; i++)
		item_clear(&v->v[i]);
	free(v->v);
	memset(v, 0, sizeof(*v));
}

static struct item *items_add(struct items *v, uint32_t bg, uint32_t border, int border_w, int pad)
{
	struct item *nv = NULL;
	struct item *it = NULL;

	if (v->n == v->cap) {
		size_t ncap = v->cap ? v->cap * 2 : 16;
		nv = realloc(v->v, ncap * sizeof(*nv));
		if (!nv)
			return NULL;
		v->v = nv;
		v->cap = ncap;
	}
	it = &v->v[v->n++];
	memset(it, 0, sizeof(*it));
	it->bg = bg;
	it->border = border;
	it->border_w = border_w;
	it->pad = pad;
	return it;
}

static int item_push_line(struct item *it, const char *text, size_t len, int px, bool bold,
			  uint32_t fg, uint32_t pill, int w, int h, int indent)
{
	struct line *nv = NULL;
	char *copy = NULL;

	if (it->n == it->cap) {
		size_t ncap = it->cap ? it->cap * 2 : 8;
		nv = realloc(it->lines, ncap * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		it->lines = nv;
		it->cap = ncap;
	}
	copy = strndup(text, len);
	if (!copy)
		return -ENOMEM;
	it->lines[it->n++] = (struct line){.text = copy, .px = px, .bold = bold, .fg = fg,
					   .pill = pill, .w = w, .h = h, .indent = indent};
	return 0;
}

static int item_inner_w(const struct item *it, int w)
{
	return w - 2 * (it->border_w + it->pad);
}

static int item_height(const struct item *it, size_t a, size_t b)
{
	int h = 2 * (it->border_w + it->pad);

	for (size_t i = a; i < b; i++)
		h += it->lines[i].h;
	return h;
}

static size_t utf8_next(const char *s, size_t i, size_t end)
{
	i++;
	while (i < end && ((unsigned char)s[i] & 0xC0u) == 0x80u)
		i++;
	return i;
}

/*
 * Wrap one paragraph (no '\n') of s[0..len) to max_w and append the lines.
 * Greedy by words; a word wider than max_w is broken between characters.
 */
static int wrap_para(struct ctx *c, struct item *it, const char *s, size_t len, int px, bool bold,
		     uint32_t fg, int max_w, int indent)
{
	char *buf = NULL; /* the line being built */
	size_t blen = 0;
	int lh = 0, w = 0, rc = 0;
	size_t i = 0;

	buf = malloc(len + 1);
	if (!buf)
		return -ENOMEM;
	rc = measure(c, "Ag", px, bold, NULL, &lh);
	if (rc < 0)
		goto out;
	while (i < len) {
		size_t ws, we;
		int cw = 0;

		while (i < len && s[i] == ' ')
			i++;
		if (i >= len)
			break;
		ws = i;
		while (i < len && s[i] != ' ')
			i++;
		we = i;
		/* try appending the word to the current line */
		{
			size_t nlen = blen + (blen ? 1 : 0) + (we - ws);
			char *cand = malloc(nlen + 1);

			if (!cand) {
				rc = -ENOMEM;
				goto out;
			}
			memcpy(cand, buf, blen);
			if (blen)
				cand[blen] = ' ';
			memcpy(cand + blen + (blen ? 1 : 0), s + ws, we - ws);
			cand[nlen] = '\0';
			rc = measure(c, cand, px, bold, &cw, NULL);
			if (rc == 0 && cw <= max_w) {
				memcpy(buf, cand, nlen + 1);
				blen = nlen;
				w = cw;
				free(cand);
				continue;
			}
			free(cand);
			if (rc < 0)
				goto out;
		}
		if (blen) {
			rc = item_push_line(it, buf, blen, px, bold, fg, COL_NONE, w, lh, indent);
			if (rc < 0)
				goto out;
			blen = 0;
			w = 0;
		}
		/* the word alone */
		memcpy(buf, s + ws, we - ws);
		buf[we - ws] = '\0';
		rc = measure(c, buf, px, bold, &cw, NULL);
		if (rc < 0)
			goto out;
		if (cw <= max_w) {
			blen = we - ws;
			w = cw;
			continue;
		}
		/* over-long word: break between characters */
		{
			size_t p = ws;

			while (p < we) {
				size_t q = utf8_next(s, p, we);
				size_t best = q;
				int bw = 0;

				for (;;) {
					int tw = 0;

					memcpy(buf, s + p, q - p);
					buf[q - p] = '\0';
					rc = measure(c, buf, px, bold, &tw, NULL);
					if (rc < 0)
						goto out;
					if (tw > max_w && q != utf8_next(s, p, we))
						break;
					best = q;
					bw = tw;
					if (q >= we)
						break;
					q = utf8_next(s, q, we);
				}
				if (best >= we) {
					memcpy(buf, s + p, best - p);
					blen = best - p;
					buf[blen] = '\0';
					w = bw;
					p = best;
				} else {
					rc = item_push_line(it, s + p, best - p, px, bold, fg,
							    COL_NONE, bw, lh, indent);
					if (rc < 0)
						goto out;
					p = best;
				}
			}
		}
	}
	if (blen)
		rc = item_push_line(it, buf, blen, px, bold, fg, COL_NONE, w, lh, indent);
out:
	free(buf);
	return rc;
}

/* Wrap text (may hold '\n' paragraph breaks) into it at the item's inner width. */
static int item_text(struct ctx *c, struct item *it, int w, const char *text, int px, bool bold,
		     uint32_t fg)
{
	int max_w = item_inner_w(it, w);
	const char *p = text;
	int rc = 0;
	char *clean = NULL;

	/* control characters would draw as boxes: treat them as spaces */
	clean = strdup(text);
	if (!clean)
		return -ENOMEM;
	for (char *q = clean; *q; q++)
		if ((unsigned char)*q < 0x20 && *q != '\n')
			*q = ' ';
	p = clean;
	for (;;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		rc = wrap_para(c, it, p, len, px, bold, fg, max_w, 0);
		if (rc < 0 || !nl)
			break;
		p = nl + 1;
	}
	free(clean);
	return rc;
}

/* A short tag ("URGENT") on its own line, drawn on a coloured pill. */
static int item_tag(struct ctx *c, struct item *it, const char *tag, int px, uint32_t fg,
		    uint32_t pill)
{
	int w = 0, h = 0;
	int rc = measure(c, tag, px, true, &w, &h);

	if (rc < 0)
		return rc;
	return item_push_line(it, tag, strlen(tag), px, true, fg, pill, w, h, 0);
}

/* Vertical space (an empty line of height h). */
static int item_space(struct item *it, int h)
{
	return item_push_line(it, "", 0, 0, false, COL_TEXT, COL_NONE, 0, h, 0);
}

/* Draw lines [a, b) of an item as one box at (x, y), width w. */
static int place_item(struct ctx *c, const struct item *it, size_t a, size_t b, int x, int y,
		      int w, bool paged)
{
	int h = item_height(it, a, b);
	int bw = it->border_w;
	int ix = x + bw + it->pad;
	int cy = y + bw + it->pad;
	int rc = 0;

	if (it->border != COL_NONE && bw > 0) {
		rc = op_rect(c, x, y, w, h, it->border, paged);
		if (rc == 0 && it->bg != COL_NONE)
			rc = op_rect(c, x + bw, y + bw, w - 2 * bw, h - 2 * bw, it->bg, paged);
	} else if (it->bg != COL_NONE) {
		rc = op_rect(c, x, y, w, h, it->bg, paged);
	}
	for (size_t i = a; i < b && rc == 0; i++) {
		const struct line *ln = &it->lines[i];

		if (ln->pill != COL_NONE) {
			int pp = ln->px / 3;

			rc = op_rect(c, ix + ln->indent, cy, ln->w + 2 * pp, ln->h, ln->pill, paged);
			if (rc == 0)
				rc = op_text(c, ix + ln->indent + pp, cy, ln->text, ln->px, ln->bold,
					     ln->fg, paged);
		} else {
			rc = op_text(c, ix + ln->indent, cy, ln->text, ln->px, ln->bold, ln->fg,
				     paged);
		}
		cy += ln->h;
	}
	return rc;
}

/* ---- board content ------------------------------------------------------ */

static bool contains_nocase(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++) {
		size_t i = 0;

		while (i < n && hay[i] && tolower((unsigned char)hay[i]) == needle[i])
			i++;
		if (i == n)
			return true;
	}
	return false;
}

bool layout_contact_is_emergency(const struct board_contact *ct)
{
	static const char *const words[] = {"out of hours", "out-of-hours", "emergency",
					    "24 hours",     "24 hour",      "24/7"};
	const char *fields[2] = {ct->role, ct->hours};

	for (size_t f = 0; f < 2; f++) {
		if (!fields[f])
			continue;
		for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
			if (contains_nocase(fields[f], words[i]))
				return true;
	}
	return false;
}

static const struct board_work *find_work(const struct board *b, const char *id)
{
	if (!id)
		return NULL;
	for (size_t i = 0; i < b->n_works; i++)
		if (b->works[i].id && strcmp(b->works[i].id, id) == 0)
			return &b->works[i];
	return NULL;
}

static const struct board_delay *find_delay_for(const struct board *b, const char *work_id)
{
	for (size_t i = 0; i < b->n_delays; i++)
		if (b->delays[i].works && work_id && strcmp(b->delays[i].works, work_id) == 0)
			return &b->delays[i];
	return NULL;
}

static int build_delays(struct ctx *c, struct items *v, int w)
{
	const struct board *b = c->b;
	int rc = 0;

	for (size_t i = 0; i < b->n_delays && rc == 0; i++) {
		const struct board_delay *d = &b->delays[i];
		const struct board_work *wk = find_work(b, d->works);
		struct item *it = items_add(v, COL_DELAY_BG, COL_TEXT, c->m.pad / 3 + 2, c->m.pad);
		char buf[BOARD_MAX_TEXT + 64];

		if (!it)
			return -ENOMEM;
		if (wk)
			snprintf(buf, sizeof(buf), "DELAYED: %s", wk->what);
		else
			snprintf(buf, sizeof(buf), "DELAY TO THE WORKS");
		rc = item_text(c, it, w, buf, c->m.head, true, COL_TEXT);
		if (rc == 0 && wk && wk->where)
			rc = item_text(c, it, w, wk->where, c->m.body, false, COL_TEXT);
		if (rc == 0) {
			snprintf(buf, sizeof(buf), "Why: %s", d->reason);
			rc = item_text(c, it, w, buf, c->m.body, false, COL_TEXT);
		}
		if (rc == 0 && (d->new_from[0] || d->new_to[0])) {
			char r[96];

			if (d->new_from[0])
				fmt_range(d->new_from, d->new_to, r, sizeof(r));
			else
				fmt_date_short(d->new_to, r, sizeof(r));
			snprintf(buf, sizeof(buf), "New dates: %s", r);
			rc = item_text(c, it, w, buf, c->m.body, true, COL_TEXT);
		}
	}
	return rc;
}

static struct item *add_heading(struct ctx *c, struct items *v, int w, const char *title, int *rc)
{
	struct item *it = items_add(v, COL_NONE, COL_NONE, 0, 0);

	if (!it) {
		*rc = -ENOMEM;
		return NULL;
	}
	it->keep_next = true;
	*rc = item_text(c, it, w, title, c->m.head, true, COL_HEADER_BG);
	if (*rc == 0) {
		/* an underline: a thin rule drawn as a pill-less empty line is not possible,
		 * so headings get a little space below instead */
		*rc = item_space(it, c->m.pad / 3);
	}
	return it;
}

static int cmp_work(const void *a, const void *b)
{
	const struct board_work *x = *(const struct board_work *const *)a;
	const struct board_work *y = *(const struct board_work *const *)b;
	int r = strcmp(x->from, y->from);

	return r ? r : strcmp(x->to, y->to);
}

static int build_works(struct ctx *c, struct items *v, int w)
{
	const struct board *b = c->b;
	const struct board_work **order = NULL;
	int64_t week0 = 0, week1 = 0;
	size_t shown = 0;
	int rc = 0;

	if (c->clock_ok) {
		struct tm tm;
		int64_t today;
		int wd;

		local_tm(c->in->now_ms, &tm);
		today = sbtime_days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
		wd = (tm.tm_wday + 6) % 7; /* 0 = Monday */
		week0 = today - wd;
		week1 = week0 + 13;
	}
	add_heading(c, v, w, c->clock_ok ? "Works this week and next" : "Works", &rc);
	if (rc < 0)
		return rc;
	if (b->n_works) {
		order = calloc(b->n_works, sizeof(*order));
		if (!order)
			return -ENOMEM;
		for (size_t i = 0; i < b->n_works; i++)
			order[i] = &b->works[i];
		qsort(order, b->n_works, sizeof(*order), cmp_work);
	}
	for (size_t i = 0; i < b->n_works && rc == 0; i++) {
		const struct board_work *wk = order[i];
		const struct board_delay *d = find_delay_for(b, wk->id);
		struct item *it = NULL;
		char buf[BOARD_MAX_TEXT + 64];
		char r[96];

		if (c->clock_ok) {
			int64_t f = day_of_date(wk->from, NULL), t = day_of_date(wk->to, NULL);

			if (f == INT64_MIN || t == INT64_MIN || f > week1 || t < week0)
				continue;
		}
		it = items_add(v, COL_BG, COL_NORMAL_BORDER, 2, c->m.pad * 2 / 3);
		if (!it) {
			rc = -ENOMEM;
			break;
		}
		shown++;
		fmt_range(wk->from, wk->to, r, sizeof(r));
		rc = item_text(c, it, w, r, c->m.body, true, COL_HEADER_BG);
		if (rc == 0 && wk->noisy)
			rc = item_tag(c, it, "NOISY WORK", c->m.small, COL_WHITE, COL_NOISY);
		if (rc == 0)
			rc = item_text(c, it, w, wk->what, c->m.body, true, COL_TEXT);
		if (rc == 0 && wk->where)
			rc = item_text(c, it, w, wk->where, c->m.body, false, COL_TEXT);
		if (rc == 0 && wk->access) {
			snprintf(buf, sizeof(buf), "Access needed: %s", wk->access);
			rc = item_text(c, it, w, buf, c->m.body, false, COL_TEXT);
		}
		if (rc == 0 && d) {
			if (d->new_from[0]) {
				fmt_range(d->new_from, d->new_to, r, sizeof(r));
				snprintf(buf, sizeof(buf), "Delayed: now %s", r);
			} else {
				snprintf(buf, sizeof(buf), "Delayed");
			}
			rc = item_text(c, it, w, buf, c->m.body, true, COL_URGENT);
		}
	}
	free(order);
	if (rc == 0 && shown == 0) {
		struct item *it = items_add(v, COL_NONE, COL_NONE, 0, 0);

		if (!it)
			return -ENOMEM;
		rc = item_text(c, it, w, "No works planned this week or next.", c->m.body, false,
			       COL_MUTED);
	}
	return rc;
}

static int build_notices(struct ctx *c, struct items *v, int w)
{
	const struct board *b = c->b;
	bool any = false;
	int rc = 0;

	for (size_t i = 0; i < b->n_notices; i++)
		if (!c->clock_ok || board_notice_active(&b->notices[i], c->in->now_ms))
			any = true;
	if (!any)
		return 0;
	add_heading(c, v, w, "Notices", &rc);
	for (int pr = BOARD_PRIORITY_URGENT; pr >= BOARD_PRIORITY_NORMAL && rc == 0; pr--) {
		for (size_t i = 0; i < b->n_notices && rc == 0; i++) {
			const struct board_notice *n = &b->notices[i];
			struct item *it = NULL;

			if ((int)n->priority != pr)
				continue;
			if (c->clock_ok && !board_notice_active(n, c->in->now_ms))
				continue;
			if (pr == BOARD_PRIORITY_URGENT)
				it = items_add(v, COL_BG, COL_URGENT, c->m.pad / 3 + 2, c->m.pad * 2 / 3);
			else if (pr == BOARD_PRIORITY_IMPORTANT)
				it = items_add(v, COL_BG, COL_IMPORTANT, c->m.pad / 4 + 2,
					       c->m.pad * 2 / 3);
			else
				it = items_add(v, COL_BG, COL_NORMAL_BORDER, 2, c->m.pad * 2 / 3);
			if (!it)
				return -ENOMEM;
			if (pr == BOARD_PRIORITY_URGENT)
				rc = item_tag(c, it, "URGENT", c->m.small, COL_WHITE, COL_URGENT);
			else if (pr == BOARD_PRIORITY_IMPORTANT)
				rc = item_tag(c, it, "IMPORTANT", c->m.small, COL_TEXT, COL_IMPORTANT);
			if (rc == 0)
				rc = item_text(c, it, w, n->title,
					       pr == BOARD_PRIORITY_URGENT ? c->m.head : c->m.body,
					       true, COL_TEXT);
			if (rc == 0 && n->body && n->body[0])
				rc = item_text(c, it, w, n->body, c->m.body, false, COL_TEXT);
		}
	}
	return rc;
}

static int cmp_event(const void *a, const void *b)
{
	const struct board_event *x = *(const struct board_event *const *)a;
	const struct board_event *y = *(const struct board_event *const *)b;

	return (x->when_ms > y->when_ms) - (x->when_ms < y->when_ms);
}

static int build_events(struct ctx *c, struct items *v, int w)
{
	const struct board *b = c->b;
	const struct board_event **ev = NULL;
	size_t n = 0;
	int rc = 0;

	if (!b->n_events)
		return 0;
	ev = calloc(b->n_events, sizeof(*ev));
	if (!ev)
		return -ENOMEM;
	for (size_t i = 0; i < b->n_events; i++) {
		const struct board_event *e = &b->events[i];

		if (c->clock_ok && e->when_ms + EVENT_SHOWN_AFTER_START_MS < c->in->now_ms)
			continue;
		ev[n++] = e;
	}
	qsort(ev, n, sizeof(*ev), cmp_event);
	if (n)
		add_heading(c, v, w, "Coming up", &rc);
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct item *it = items_add(v, COL_BG, COL_NORMAL_BORDER, 2, c->m.pad * 2 / 3);
		char when[64];

		if (!it) {
			rc = -ENOMEM;
			break;
		}
		fmt_local_short(ev[i]->when_ms, false, when, sizeof(when));
		rc = item_text(c, it, w, when, c->m.body, true, COL_HEADER_BG);
		if (rc == 0)
			rc = item_text(c, it, w, ev[i]->title, c->m.body, true, COL_TEXT);
		if (rc == 0 && ev[i]->where)
			rc = item_text(c, it, w, ev[i]->where, c->m.body, false, COL_TEXT);
	}
	free(ev);
	return rc;
}

static int items_height(const struct items *v, int gap)
{
	int h = 0;

	for (size_t i = 0; i < v->n; i++)
		h += item_height(&v->v[i], 0, v->v[i].n) + (i ? gap : 0);
	return h;
}

/* Stack items from y downwards (fixed, not paged). Returns the y after the last. */
static int place_stack(struct ctx *c, const struct items *v, int x, int y, int w, int gap, int *rc)
{
	for (size_t i = 0; i < v->n && *rc == 0; i++) {
		*rc = place_item(c, &v->v[i], 0, v->v[i].n, x, y, w, false);
		y += item_height(&v->v[i], 0, v->v[i].n) + gap;
	}
	return y;
}

/* Copy s with its spaces made non-breaking (U+00A0), so a phone number is never wrapped. */
static void nbsp_copy(char *dst, size_t n, const char *s)
{
	size_t j = 0;

	for (; *s && j + 3 < n; s++) {
		if (*s == ' ') {
			dst[j++] = (char)0xC2;
			dst[j++] = (char)0xA0;
		} else {
			dst[j++] = *s;
		}
	}
	dst[j] = '\0';
}

/*
 * Contacts panel: full form (role / name and phone / hours) if it fits in
 * budget, else one line per contact, else the emergency ones first and the
 * others while they fit. Emergency contacts are always bold.
 */
static int build_contacts(struct ctx *c, struct items *v, int w, int budget)
{
	const struct board *b = c->b;
	int rc = 0;

	for (int form = 0; form < 3; form++) {
		struct item *it = NULL;

		items_clear(v);
		it = items_add(v, COL_PANEL_BG, COL_NONE, 0, c->m.pad * 2 / 3);
		if (!it)
			return -ENOMEM;
		rc = item_text(c, it, w, "Contacts", c->m.head, true, COL_HEADER_BG);
		for (int pass = 0; pass < 2 && rc == 0; pass++) {
			for (size_t i = 0; i < b->n_contacts && rc == 0; i++) {
				const struct board_contact *ct = &b->contacts[i];
				bool em = layout_contact_is_emergency(ct);
				char buf[3 * BOARD_MAX_TEXT];
				char phone[2 * BOARD_MAX_TEXT];
				size_t mark = it->n;

				/* form 2: emergency contacts in pass 0, the rest in pass 1 */
				if (form == 2 ? (pass == 0) != em : pass == 1)
					continue;
				nbsp_copy(phone, sizeof(phone), ct->phone);
				if (form == 0) {
					rc = item_space(it, c->m.pad / 3);
					if (ct->hours)
						snprintf(buf, sizeof(buf), "%s (%s)", ct->role, ct->hours);
					else
						snprintf(buf, sizeof(buf), "%s", ct->role);
					if (rc == 0)
						rc = item_text(c, it, w, buf, c->m.body, true,
							       em ? COL_URGENT : COL_TEXT);
					if (ct->name)
						snprintf(buf, sizeof(buf), "%s \xE2\x80\x93 %s", phone, ct->name);
					else
						snprintf(buf, sizeof(buf), "%s", phone);
					if (rc == 0)
						rc = item_text(c, it, w, buf, c->m.body, em, COL_TEXT);
				} else {
					if (ct->hours && em)
						snprintf(buf, sizeof(buf), "%s: %s (%s)", ct->role,
							 phone, ct->hours);
					else
						snprintf(buf, sizeof(buf), "%s: %s", ct->role, phone);
					rc = item_text(c, it, w, buf, c->m.body, em, COL_TEXT);
				}
				if (rc == 0 && form == 2 && !em &&
				    item_height(it, 0, it->n) > budget) {
					/* drop the contact that did not fit */
					while (it->n > mark)
						free(it->lines[--it->n].text);
				}
			}
		}
		if (rc < 0 || item_height(it, 0, it->n) <= budget)
			break;
	}
	return rc;
}

/* The QR code with its caption; returns the height used. */
static int qr_block(struct ctx *c, int x, int y, int w, int q, bool emit, int *rc)
{
	const struct board *b = c->b;
	struct items cap = {0};
	struct item *it = NULL, *url = NULL;
	int cw = w - q - c->m.pad;
	bool below = cw < c->m.body * 7;
	int uw = 0, uh = 0, ch, h = 0;

	if (below)
		cw = w;
	it = items_add(&cap, COL_NONE, COL_NONE, 0, 0);
	if (!it) {
		*rc = -ENOMEM;
		return 0;
	}
	*rc = item_text(c, it, cw, "Scan to make a complaint or comment about the works",
			c->m.body, true, COL_TEXT);
	/* the URL as text only where it fits on one line: beside the code, else under it */
	if (*rc == 0)
		*rc = measure(c, b->complaint_url, c->m.small, false, &uw, &uh);
	if (*rc == 0 && uw <= cw) {
		*rc = item_space(it, c->m.pad / 2);
		if (*rc == 0)
			*rc = item_text(c, it, cw, b->complaint_url, c->m.small, false, COL_MUTED);
	} else if (*rc == 0 && uw <= w) {
		url = items_add(&cap, COL_NONE, COL_NONE, 0, 0);
		it = &cap.v[0];
		if (!url)
			*rc = -ENOMEM;
		else
			*rc = item_text(c, url, w, b->complaint_url, c->m.small, false, COL_MUTED);
	}
	if (*rc < 0)
		goto out;
	ch = item_height(it, 0, it->n);
	h = below ? q + c->m.pad / 2 + ch : (q > ch ? q : ch);
	if (url)
		h += c->m.pad / 2 + uh;
	if (emit) {
		struct layout_op op = {.kind = LAYOUT_OP_QR, .x = x, .y = y, .w = q, .h = q};

		*rc = push_op(c, &op, b->complaint_url);
		if (*rc == 0) {
			if (below)
				*rc = place_item(c, it, 0, it->n, x, y + q + c->m.pad / 2, cw, false);
			else
				*rc = place_item(c, it, 0, it->n, x + q + c->m.pad,
						 y + (q > ch ? (q - ch) / 2 : 0), cw, false);
		}
		if (*rc == 0 && url)
			*rc = place_item(c, url, 0, url->n, x, y + h - uh, w, false);
	}
out:
	items_clear(&cap);
	return h;
}

static int qr_side(struct ctx *c, int target)
{
	int mod = c->in->qr_modules > 0 ? c->in->qr_modules : 33;
	int k = target / mod;

	if (k < 3)
		k = 3;
	return k * mod;
}

/* ---- paging ------------------------------------------------------------- */

/*
 * Place the flow items page by page into [top, bottom) at x, width w. Emits
 * ops for c->want_page only; returns the page count.
 */
static int flow(struct ctx *c, const struct items *v, int x, int top, int bottom, int w, int *rc)
{
	int page = 0, y = top;
	int gap = c->m.gap;
	int page_h = bottom - top;
	const struct item *section = NULL; /* heading of the section being filled */

	for (size_t i = 0; i < v->n && *rc == 0; i++) {
		const struct item *it = &v->v[i];
		int h = item_height(it, 0, it->n);
		int need = h;

		if (it->keep_next)
			section = it;
		if (it->keep_next && i + 1 < v->n) {
			const struct item *nx = &v->v[i + 1];
			int nh = item_height(nx, 0, nx->n);

			if (nh > page_h - h - gap)
				nh = item_height(nx, 0, nx->n ? 1 : 0);
			need = h + gap + nh;
		}
		if (y > top && y + need > bottom) {
			page++;
			y = top;
			/* a section carried over to a new page repeats its heading */
			if (!it->keep_next && section) {
				int sh = item_height(section, 0, section->n);

				if (sh + gap + h <= page_h || h > page_h) {
					if (page == c->want_page)
						*rc = place_item(c, section, 0, section->n, x, y, w,
								 true);
					y += sh + gap;
				}
			}
		}
		if (h <= bottom - y) {
			if (page == c->want_page)
				*rc = place_item(c, it, 0, it->n, x, y, w, true);
			y += h + gap;
			continue;
		}
		/* taller than the page on its own: split between lines */
		{
			size_t a = 0;

			while (a < it->n && *rc == 0) {
				size_t bnd = a + 1;

				while (bnd < it->n && y + item_height(it, a, bnd + 1) <= bottom)
					bnd++;
				if (y + item_height(it, a, bnd) > bottom && y > top) {
					page++;
					y = top;
					continue;
				}
				if (page == c->want_page)
					*rc = place_item(c, it, a, bnd, x, y, w, true);
				y += item_height(it, a, bnd) + gap;
				a = bnd;
				if (a < it->n) {
					page++;
					y = top;
				}
			}
		}
	}
	return page + 1;
}

/* ---- screens ------------------------------------------------------------ */

static int build_header(struct ctx *c, int *y_out)
{
	const struct layout_input *in = c->in;
	const struct metrics *m = &c->m;
	struct items left = {0}, right = {0};
	struct item *li = NULL, *ri = NULL;
	char timebuf[16], datebuf[64];
	struct tm tm;
	int rw = 0, tw = 0, dw = 0, lw, h, rc = 0;

	local_tm(in->now_ms, &tm);
	snprintf(timebuf, sizeof(timebuf), "%02d:%02d", tm.tm_hour, tm.tm_min);
	snprintf(datebuf, sizeof(datebuf), "%s %d %s %d", wday_long[tm.tm_wday], tm.tm_mday,
		 mon_long[tm.tm_mon], tm.tm_year + 1900);
	li = items_add(&left, COL_NONE, COL_NONE, 0, 0);
	ri = items_add(&right, COL_NONE, COL_NONE, 0, 0);
	if (!li || !ri) {
		rc = -ENOMEM;
		goto out;
	}
	if (c->clock_ok) {
		rc = measure(c, timebuf, m->title, true, &tw, NULL);
		if (rc == 0)
			rc = measure(c, datebuf, m->body, false, &dw, NULL);
		if (rc < 0)
			goto out;
		rw = tw > dw ? tw : dw;
		if (rw > in->width - 2 * m->pad)
			rw = in->width - 2 * m->pad;
		rc = item_text(c, ri, rw, timebuf, m->title, true, COL_WHITE);
		if (rc == 0)
			rc = item_text(c, ri, rw, datebuf, m->body, false, COL_WHITE);
		if (rc < 0)
			goto out;
	}
	lw = in->width - 2 * m->pad - (rw ? rw + m->pad : 0);
	if (lw < in->width / 3)
		lw = in->width - 2 * m->pad; /* stack: date under the names */
	if (c->b) {
		rc = item_text(c, li, lw, c->b->block_name, m->title, true, COL_WHITE);
		if (rc == 0)
			rc = item_text(c, li, lw, c->b->site_name, m->body, false, COL_WHITE);
	} else {
		rc = item_text(c, li, lw, "Notice board", m->title, true, COL_WHITE);
	}
	if (rc < 0)
		goto out;
	{
		int lh = item_height(li, 0, li->n), rh = item_height(ri, 0, ri->n);
		bool stacked = lw == in->width - 2 * m->pad && rw;

		h = m->pad + (stacked ? lh + rh : (lh > rh ? lh : rh)) + m->pad;
		rc = op_rect(c, 0, 0, in->width, h, COL_HEADER_BG, false);
		if (rc == 0)
			rc = place_item(c, li, 0, li->n, m->pad, m->pad, lw, false);
		if (rc == 0 && rw) {
			/* right-align each line of the clock block */
			int ry = stacked ? m->pad + lh : m->pad;

			for (size_t i = 0; i < ri->n && rc == 0; i++) {
				const struct line *ln = &ri->lines[i];
				int x = stacked ? m->pad : in->width - m->pad - ln->w;

				rc = op_text(c, x, ry, ln->text, ln->px, ln->bold, ln->fg, false);
				ry += ln->h;
			}
		}
	}
	*y_out = h;
out:
	items_clear(&left);
	items_clear(&right);
	return rc;
}

/* Clock and staleness warnings under the header. */
static int build_status(struct ctx *c, int y, int *y_out)
{
	const struct layout_input *in = c->in;
	struct items v = {0};
	int rc = 0;
	int w = in->width;

	if (!c->clock_ok) {
		struct item *it = items_add(&v, COL_WARN_BG, COL_NONE, 0, c->m.pad / 2);

		if (!it)
			return -ENOMEM;
		rc = item_text(c, it, w, "Clock not set: dates cannot be checked", c->m.body, true,
			       COL_TEXT);
	}
	if (rc == 0 && in->stale) {
		struct item *it = items_add(&v, COL_WARN_BG, COL_NONE, 0, c->m.pad / 2);
		char buf[128], since[48];
		struct tm a, b;

		if (!it) {
			rc = -ENOMEM;
			goto out;
		}
		local_tm(in->stale_since_ms, &a);
		local_tm(in->now_ms, &b);
		if (a.tm_year == b.tm_year && a.tm_yday == b.tm_yday)
			snprintf(since, sizeof(since), "%02d:%02d", a.tm_hour, a.tm_min);
		else
			fmt_local_short(in->stale_since_ms, false, since, sizeof(since));
		snprintf(buf, sizeof(buf), "This board may be out of date (no connection since %s)",
			 since);
		rc = item_text(c, it, w, buf, c->m.body, true, COL_TEXT);
	}
	if (rc == 0 && v.n) {
		int h = items_height(&v, 0);

		y = place_stack(c, &v, 0, y, w, 0, &rc);
		if (rc == 0)
			rc = op_rect(c, 0, y - 3, w, 3, COL_WARN_BORDER, false);
		(void)h;
	}
	*y_out = y;
out:
	items_clear(&v);
	return rc;
}

static int build_waiting(struct ctx *c)
{
	const struct layout_input *in = c->in;
	struct items v = {0};
	struct item *it = NULL;
	int y = 0, rc;
	int w = in->width - 4 * c->m.pad;

	rc = build_header(c, &y);
	if (rc == 0)
		rc = build_status(c, y, &y);
	if (rc < 0)
		return rc;
	it = items_add(&v, COL_NONE, COL_NONE, 0, 0);
	if (!it)
		return -ENOMEM;
	rc = item_text(c, it, w, "Waiting for the notice board\xE2\x80\xA6", c->m.head, true,
		       COL_TEXT);
	if (rc == 0)
		rc = item_space(it, c->m.pad);
	if (rc == 0)
		rc = item_text(c, it, w, "Information about the building works will appear here.",
			       c->m.body, false, COL_MUTED);
	if (rc == 0) {
		int h = item_height(it, 0, it->n);
		int top = y + (in->height - y - h) / 2;

		if (top < y + c->m.pad)
			top = y + c->m.pad;
		rc = place_item(c, it, 0, it->n, 2 * c->m.pad, top, w, false);
	}
	items_clear(&v);
	return rc;
}

static int bottom_line(struct ctx *c, int n_pages, int page, bool emit, int *h_out)
{
	const struct layout_input *in = c->in;
	char when[96], upd[128], pg[32];
	int h = 0, pw = 0, rc;

	fmt_local_short(c->b->generated_at_ms, true, when, sizeof(when));
	snprintf(upd, sizeof(upd), "Updated %s", when);
	snprintf(pg, sizeof(pg), "Page %d of %d", page + 1, n_pages);
	rc = measure(c, upd, c->m.small, false, NULL, &h);
	if (rc == 0)
		rc = measure(c, pg, c->m.small, true, &pw, NULL);
	if (rc < 0)
		return rc;
	*h_out = h + c->m.pad;
	if (!emit)
		return 0;
	{
		int y = in->height - c->m.pad / 2 - h;

		rc = op_rect(c, 0, y - c->m.pad / 2, in->width, 2, COL_RULE, false);
		if (rc == 0)
			rc = op_text(c, c->m.pad, y, upd, c->m.small, false, COL_MUTED, false);
		if (rc == 0 && n_pages > 1)
			rc = op_text(c, in->width - c->m.pad - pw, y, pg, c->m.small, true, COL_TEXT,
				     false);
	}
	return rc;
}

static int build_board(struct ctx *c)
{
	const struct layout_input *in = c->in;
	const struct metrics *m = &c->m;
	bool land = in->width > in->height;
	struct items delays = {0}, flowv = {0}, contacts = {0};
	int y = 0, bot_h = 0, rc;
	int bottom, fx, fw, rx, rwid;
	int q, qh, ch, delays_h;
	bool delays_fixed = false;

	rc = build_header(c, &y);
	if (rc == 0)
		rc = build_status(c, y, &y);
	if (rc == 0)
		rc = bottom_line(c, 1, 0, false, &bot_h);
	if (rc < 0)
		goto out;
	y += m->pad;
	bottom = in->height - bot_h - m->pad / 2;

	if (land) {
		/* right column: contacts on top, the QR code in the space below */
		rwid = in->width * (in->height < 600 ? 44 : 37) / 100;
		rx = in->width - m->pad - rwid;
		fx = m->pad;
		fw = rx - m->pad - fx;
		q = qr_side(c, (in->height < 600 ? in->height * 31 / 100 : in->height * 27 / 100));
		if (q > rwid / 2)
			q = qr_side(c, rwid / 2);
		qh = qr_block(c, rx, 0, rwid, q, false, &rc);
		if (rc < 0)
			goto out;
		rc = build_contacts(c, &contacts, rwid, bottom - y - qh - m->gap * 2);
		if (rc < 0)
			goto out;
		ch = items_height(&contacts, 0);
		{
			int cy = y;
			int room = bottom - (cy + ch + m->gap);
			int qy = cy + ch + m->gap + (room > qh ? (room - qh) / 2 : 0);

			place_stack(c, &contacts, rx, cy, rwid, 0, &rc);
			if (rc == 0)
				qr_block(c, rx, qy, rwid, q, true, &rc);
		}
	} else {
		/* footer: contacts, then the QR code, above the bottom line */
		fx = m->pad;
		fw = in->width - 2 * m->pad;
		q = qr_side(c, in->width * 28 / 100);
		qh = qr_block(c, fx, 0, fw, q, false, &rc);
		if (rc < 0)
			goto out;
		rc = build_contacts(c, &contacts, fw, in->height * 26 / 100);
		if (rc < 0)
			goto out;
		ch = items_height(&contacts, 0);
		{
			int qy = bottom - qh;
			int cy = qy - m->gap - ch;

			rc = op_rect(c, 0, cy - m->gap / 2 - 2, in->width, 2, COL_RULE, false);
			if (rc == 0)
				place_stack(c, &contacts, fx, cy, fw, 0, &rc);
			if (rc == 0)
				qr_block(c, fx, qy, fw, q, true, &rc);
			bottom = cy - m->gap;
		}
	}
	if (rc < 0)
		goto out;
	/* delays stay on every page while they take at most half the paged area */
	rc = build_delays(c, &delays, fw);
	if (rc < 0)
		goto out;
	delays_h = items_height(&delays, m->gap);
	delays_fixed = delays.n && delays_h <= (bottom - y) / 2;
	if (delays_fixed) {
		y = place_stack(c, &delays, fx, y, fw, m->gap, &rc);
	} else {
		items_clear(&delays);
		rc = build_delays(c, &flowv, fw);
	}
	if (rc < 0)
		goto out;
	/* notices active now (urgent first) lead: they are the most time-critical */
	rc = build_notices(c, &flowv, fw);
	if (rc == 0)
		rc = build_works(c, &flowv, fw);
	if (rc == 0)
		rc = build_events(c, &flowv, fw);
	if (rc < 0)
		goto out;

	c->out->flow_top = y;
	c->out->flow_bottom = bottom;
	{
		int want = in->page < 0 ? 0 : in->page;
		int n_pages;

		c->want_page = -1;
		n_pages = flow(c, &flowv, fx, y, bottom, fw, &rc);
		if (rc < 0)
			goto out;
		c->want_page = want % n_pages;
		c->out->n_pages = n_pages;
		c->out->page = c->want_page;
		flow(c, &flowv, fx, y, bottom, fw, &rc);
		if (rc == 0)
			rc = bottom_line(c, n_pages, c->want_page, true, &bot_h);
	}
out:
	items_clear(&delays);
	items_clear(&flowv);
	items_clear(&contacts);
	return rc;
}

int layout_build(const struct layout_input *in, struct layout **out)
{
	struct layout *l = NULL;
	struct ctx c;
	int s, rc;

	if (!in || !out || !in->measure || in->width < 320 || in->height < 240)
		return -EINVAL;
	l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	l->n_pages = 1;
	memset(&c, 0, sizeof(c));
	c.in = in;
	c.b = in->board;
	c.out = l;
	c.clock_ok = in->now_ms >= LAYOUT_CLOCK_VALID_MS;
	s = in->width < in->height ? in->width : in->height;
	c.m.body = s / 32 > 14 ? s / 32 : 14;
	c.m.small = (s + 35) / 36 > 13 ? (s + 35) / 36 : 13;
	c.m.head = c.m.body * 5 / 4;
	c.m.title = c.m.body * 7 / 4;
	c.m.pad = c.m.body * 2 / 3;
	c.m.gap = c.m.body / 2;

	rc = op_rect(&c, 0, 0, in->width, in->height, COL_BG, false);
	if (rc == 0)
		rc = c.b ? build_board(&c) : build_waiting(&c);
	if (rc < 0) {
		layout_free(l);
		return rc;
	}
	l->flow_top = l->flow_top ? l->flow_top : 0;
	*out = l;
	return 0;
}

void layout_free(struct layout *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n_ops; i++)
		free(l->ops[i].text);
	free(l->ops);
	free(l);
}
