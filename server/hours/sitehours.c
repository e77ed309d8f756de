/* SPDX-License-Identifier: MIT */
/*
 * The site's hours (see sitehours.h). A policy is immutable once built: a
 * change of exceptions builds a whole new one from the configuration and the
 * table and swaps the pointer, all under the store lock, so readers (who hold
 * that lock) never see one half-changed.
 */
#include "hours/sitehours.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "siteboard/log.h"
#include "siteboard/sbtime.h"
#include "siteboard/sqlx.h"

#define MAX_EXCEPTIONS HOURS_MAX_EXCEPTIONS
#define BOARD_DAYS 14

enum hs_stmt {
	HS_INSERT = 0,
	HS_DELETE,
	HS_GET,
	HS_LIST,
	HS_N_STMTS,
};

static const char *const hs_sql[HS_N_STMTS] = {
	[HS_INSERT] = "INSERT INTO hours_exceptions (date, closed, from_min, to_min, reason, agreed_by,"
	              " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[HS_DELETE] = "DELETE FROM hours_exceptions WHERE id = ?1",
	[HS_GET] = "SELECT id, date, closed, from_min, to_min, reason, agreed_by, created_at"
	           " FROM hours_exceptions WHERE id = ?1",
	[HS_LIST] = "SELECT id, date, closed, from_min, to_min, reason, agreed_by, created_at"
	            " FROM hours_exceptions WHERE (?1 IS NULL OR date >= ?1) AND (?2 IS NULL OR date <= ?2)"
	            " ORDER BY date",
};

struct sitehours {
	struct store *store;
	sqlite3 *db;
	sqlite3_stmt *st[HS_N_STMTS];
	char *weekly;
	char *bank_holidays;
	struct hours_policy *policy;
};

static void read_row(sqlite3_stmt *st, struct sitehours_exception *e)
{
	const char *date = (const char *)sqlite3_column_text(st, 1);

	memset(e, 0, sizeof(*e));
	e->id = sqlite3_column_int64(st, 0);
	snprintf(e->date, sizeof(e->date), "%s", date != NULL ? date : "");
	e->closed = sqlite3_column_int(st, 2) != 0;
	e->from_min = sqlite3_column_int(st, 3);
	e->to_min = sqlite3_column_int(st, 4);
	e->reason = (const char *)sqlite3_column_text(st, 5);
	e->agreed_by = (const char *)sqlite3_column_text(st, 6);
	e->created_at_ms = sqlite3_column_int64(st, 7);
}

int sitehours_foreach(struct sitehours *h, const char *from_date, const char *to_date,
		      sitehours_fn fn, void *ctx)
{
	sqlite3_stmt *st = h->st[HS_LIST];
	struct sitehours_exception e;
	int ret = 0;
	int rc;

	if (from_date != NULL)
		sqlite3_bind_text(st, 1, from_date, -1, SQLITE_STATIC);
	if (to_date != NULL)
		sqlite3_bind_text(st, 2, to_date, -1, SQLITE_STATIC);
	for (;;) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_DONE)
			break;
		if (rc != SQLITE_ROW) {
			ret = sqlx_fail(h->db, "sitehours", "list exceptions");
			break;
		}
		read_row(st, &e);
		ret = fn(ctx, &e);
		if (ret != 0)
			break;
	}
	sqlx_finish(st);
	return ret;
}

int sitehours_get(struct sitehours *h, int64_t id, sitehours_fn fn, void *ctx)
{
	sqlite3_stmt *st = h->st[HS_GET];
	struct sitehours_exception e;
	int ret;
	int rc;

	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		read_row(st, &e);
		ret = fn(ctx, &e);
	} else {
		ret = rc == SQLITE_DONE ? -ENOENT : sqlx_fail(h->db, "sitehours", "get exception");
	}
	sqlx_finish(st);
	return ret;
}

struct collect {
	struct hours_exception *list;
	size_t n;
};

static int collect_cb(void *ctx, const struct sitehours_exception *e)
{
	struct collect *c = ctx;
	struct hours_exception *x = NULL;

	if (c->n >= MAX_EXCEPTIONS)
		return 0;
	x = &c->list[c->n];
	if (sbtime_parse_date(e->date, &x->year, &x->month, &x->day) < 0)
		return 0; /* validated on the way in; a damaged row is skipped */
	x->closed = e->closed;
	x->from_min = e->from_min;
	x->to_min = e->to_min;
	c->n++;
	return 0;
}

/* Build a fresh policy from the configuration and the table; swap it in. */
static int rebuild(struct sitehours *h, char *err, size_t err_len)
{
	struct hours_policy *p = NULL;
	struct collect c = {0};
	int ret;

	ret = hours_open(h->weekly, &p, err, err_len);
	if (ret < 0)
		goto out;
	if (h->bank_holidays != NULL) {
		ret = hours_load_bank_holidays(p, h->bank_holidays, err, err_len);
		if (ret < 0)
			goto out;
	}
	c.list = calloc(MAX_EXCEPTIONS, sizeof(*c.list));
	if (c.list == NULL) {
		ret = -ENOMEM;
		goto out;
	}
	ret = sitehours_foreach(h, NULL, NULL, collect_cb, &c);
	if (ret == 0)
		ret = hours_set_exceptions(p, c.list, c.n);
	if (ret < 0)
		goto out;
	hours_close(h->policy);
	h->policy = p;
	p = NULL;
out:
	free(c.list);
	hours_close(p);
	return ret;
}

int sitehours_reload(struct sitehours *h)
{
	char err[256];
	int ret = rebuild(h, err, sizeof(err));

	if (ret < 0)
		log_error("sitehours: cannot rebuild the hours policy (%d)", ret);
	return ret;
}

int sitehours_open(struct store *store, const struct sitehours_options *opt,
		   struct sitehours **out, char *err, size_t err_len)
{
	struct sitehours *h = NULL;
	int ret = -ENOMEM;

	*out = NULL;
	h = calloc(1, sizeof(*h));
	if (h == NULL)
		return -ENOMEM;
	h->store = store;
	h->db = store_sqlite(store);
	h->weekly = strdup(opt->weekly != NULL ? opt->weekly : HOURS_DEFAULT_WEEKLY);
	if (h->weekly == NULL)
		goto out;
	if (opt->bank_holidays != NULL) {
		h->bank_holidays = strdup(opt->bank_holidays);
		if (h->bank_holidays == NULL)
			goto out;
	}
	ret = sqlx_prepare_all(h->db, hs_sql, HS_N_STMTS, h->st, "sitehours");
	if (ret < 0) {
		snprintf(err, err_len, "cannot read the hours exceptions (see log)");
		goto out;
	}
	ret = rebuild(h, err, err_len);
	if (ret < 0)
		goto out;
	*out = h;
	h = NULL;
out:
	sitehours_close(h);
	return ret;
}

void sitehours_close(struct sitehours *h)
{
	if (h == NULL)
		return;
	sqlx_finalize_all(h->st, HS_N_STMTS);
	hours_close(h->policy);
	free(h->weekly);
	free(h->bank_holidays);
	free(h);
}

const struct hours_policy *sitehours_policy(const struct sitehours *h)
{
	return h->policy;
}

int sitehours_add(struct sitehours *h, const struct sitehours_exception *e, int64_t now_ms,
		  int64_t *id)
{
	sqlite3_stmt *st = h->st[HS_INSERT];
	int ret = 0;
	int rc;

	sqlite3_bind_text(st, 1, e->date, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, e->closed ? 1 : 0);
	if (!e->closed) {
		sqlite3_bind_int(st, 3, e->from_min);
		sqlite3_bind_int(st, 4, e->to_min);
	}
	sqlite3_bind_text(st, 5, e->reason, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, e->agreed_by, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, now_ms);
	rc = sqlite3_step(st);
	if (rc == SQLITE_CONSTRAINT_UNIQUE)
		ret = -EEXIST;
	else if (rc != SQLITE_DONE)
		ret = sqlx_fail(h->db, "sitehours", "add exception");
	else
		*id = sqlite3_last_insert_rowid(h->db);
	sqlx_finish(st);
	if (ret == 0)
		ret = sitehours_reload(h);
	return ret;
}

int sitehours_remove(struct sitehours *h, int64_t id)
{
	sqlite3_stmt *st = h->st[HS_DELETE];
	int ret = 0;

	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_DONE)
		ret = sqlx_fail(h->db, "sitehours", "remove exception");
	else if (sqlite3_changes(h->db) == 0)
		ret = -ENOENT;
	sqlx_finish(st);
	if (ret == 0)
		ret = sitehours_reload(h);
	return ret;
}

/* ---- the board's hours ---- */

/* "08:00-17:00" (maybe with a trailing , or ;) into minutes. */
static bool parse_range(const char *tok, int *from, int *to)
{
	char a[8], b[8];

	if (strlen(tok) != 11 || tok[5] != '-')
		return false;
	memcpy(a, tok, 5);
	a[5] = '\0';
	memcpy(b, tok + 6, 5);
	b[5] = '\0';
	return sbtime_parse_hhmm(a, from) == 0 && sbtime_parse_hhmm(b, to) == 0;
}

/*
 * The policy's normalised weekly text ("mon-fri 08:00-17:00, sat 09:00-13:00")
 * as board windows: each time range closes a window whose days are the
 * words before it.
 */
static int fill_weekly(struct sitehours *h, struct board *b)
{
	char text[512];
	char days[64] = "";
	char tok[64];
	const char *p = text;
	int from = 0, to = 0;

	if (hours_weekly_text(h->policy, text, sizeof(text)) < 0)
		return -EINVAL;
	b->weekly = calloc(HOURS_MAX_WINDOWS, sizeof(*b->weekly));
	if (b->weekly == NULL)
		return -ENOMEM;
	for (;;) {
		size_t len = 0;

		while (*p == ' ' || *p == '\t' || *p == ',' || *p == ';')
			p++;
		if (*p == '\0')
			break;
		while (p[len] != '\0' && p[len] != ' ' && p[len] != '\t' && p[len] != ';')
			len++;
		snprintf(tok, sizeof(tok), "%.*s", (int)len, p);
		p += len;
		while (len > 0 && tok[len - 1] == ',')
			tok[--len] = '\0';
		if (!parse_range(tok, &from, &to)) {
			snprintf(days, sizeof(days), "%s", tok);
			continue;
		}
		if (b->n_weekly >= HOURS_MAX_WINDOWS || days[0] == '\0')
			continue;
		b->weekly[b->n_weekly].days = strdup(days);
		if (b->weekly[b->n_weekly].days == NULL)
			return -ENOMEM;
		b->weekly[b->n_weekly].from_min = from;
		b->weekly[b->n_weekly].to_min = to;
		b->n_weekly++;
	}
	return 0;
}

struct board_fill {
	struct board *b;
	size_t cap;
};

static int board_exc_cb(void *ctx, const struct sitehours_exception *e)
{
	struct board_fill *f = ctx;
	struct board_exception *x = NULL;

	if (f->b->n_exceptions >= f->cap)
		return 0;
	x = &f->b->exceptions[f->b->n_exceptions];
	memcpy(x->date, e->date, sizeof(x->date));
	x->from_min = e->closed ? -1 : e->from_min;
	x->to_min = e->closed ? -1 : e->to_min;
	x->reason = strdup(e->reason != NULL ? e->reason : "");
	if (x->reason == NULL)
		return -ENOMEM;
	f->b->n_exceptions++;
	return 0;
}

static bool has_date(const struct board *b, const char *date)
{
	for (size_t i = 0; i < b->n_exceptions; i++)
		if (strcmp(b->exceptions[i].date, date) == 0)
			return true;
	return false;
}

static int cmp_exc(const void *a, const void *b)
{
	return strcmp(((const struct board_exception *)a)->date,
		      ((const struct board_exception *)b)->date);
}

int sitehours_fill_board(struct sitehours *h, int64_t now_ms, struct board *b)
{
	struct board_fill f = {b, BOARD_DAYS};
	time_t now = (time_t)(now_ms / 1000);
	struct tm tm;
	int64_t monday;
	char first[11], last[11];
	int y, m, d;
	int ret;

	ret = fill_weekly(h, b);
	if (ret < 0)
		return ret;
	if (localtime_r(&now, &tm) == NULL)
		return -EINVAL;
	/* tm_wday: 0 = Sunday */
	monday = sbtime_days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday) -
		 ((tm.tm_wday + 6) % 7);
	sbtime_civil_from_days(monday, &y, &m, &d);
	snprintf(first, sizeof(first), "%04d-%02d-%02d", y, m, d);
	sbtime_civil_from_days(monday + BOARD_DAYS - 1, &y, &m, &d);
	snprintf(last, sizeof(last), "%04d-%02d-%02d", y, m, d);
	b->exceptions = calloc(BOARD_DAYS, sizeof(*b->exceptions));
	if (b->exceptions == NULL)
		return -ENOMEM;
	ret = sitehours_foreach(h, first, last, board_exc_cb, &f);
	if (ret < 0)
		return ret;
	for (int64_t day = monday; day < monday + BOARD_DAYS; day++) {
		const char *name = NULL;
		struct sitehours_exception e = {0};

		sbtime_civil_from_days(day, &y, &m, &d);
		if (!hours_is_bank_holiday(h->policy, y, m, d, &name))
			continue;
		snprintf(e.date, sizeof(e.date), "%04d-%02d-%02d", y, m, d);
		if (has_date(b, e.date))
			continue;
		e.closed = true;
		e.reason = name != NULL ? name : "Bank holiday";
		ret = board_exc_cb(&f, &e);
		if (ret < 0)
			return ret;
	}
	qsort(b->exceptions, b->n_exceptions, sizeof(*b->exceptions), cmp_exc);
	return 0;
}
