/* SPDX-License-Identifier: MIT */
/*
 * Complaints over the store's connection (see complaints.h).
 */
#include "complaints/complaints.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "siteboard/sbdate.h"
#include "siteboard/sbtime.h"
#include "siteboard/utf8.h"
#include "siteboard/log.h"
#include "siteboard/sqlx.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define DAY_MS (INT64_C(86400) * 1000)

const struct complaint_choice complaint_categories[] = {
	{"noise", "Noise"},
	{"working_hours", "Working hours"},
	{"access_damage", "Access or damage"},
	{"mess_waste", "Mess or waste"},
	{"staff_behaviour", "Staff behaviour"},
	{"other", "Something else"},
};
const size_t complaint_n_categories = N(complaint_categories);

const struct complaint_choice complaint_contact_prefs[] = {
	{"phone", "Phone"},
	{"email", "Email"},
	{"letter", "Letter"},
	{"in_person", "In person"},
	{"via_someone", "Through someone else"},
};
const size_t complaint_n_contact_prefs = N(complaint_contact_prefs);

const struct complaint_choice complaint_statuses[] = {
	{"open", "Open"},
	{"in_progress", "In progress"},
	{"closed", "Closed"},
};
const size_t complaint_n_statuses = N(complaint_statuses);

const struct complaint_choice complaint_channels[] = {
	{"phone", "Phone"},
	{"email", "Email"},
	{"letter", "Letter"},
	{"in_person", "In person"},
	{"via_someone", "Through someone else"},
	{"note", "Internal note"},
};
const size_t complaint_n_channels = N(complaint_channels);

enum stmt {
	NEXT_NUM = 0,
	INSERT,
	GET,
	LIST,
	RESP_LIST,
	RESP_ADD,
	SET_STATUS,
	PURGE,
	BEGIN,
	COMMIT,
	ROLLBACK,
	N_STMTS,
};

#define COLS                                                                                   \
	"c.id, c.ref, c.block, c.block_name, c.address, c.category, c.description, c.name,"  \
	" c.flat, c.phone, c.email, c.contact_pref, c.received_at, c.status, c.closed_at,"   \
	" c.anonymised_at,"                                                                    \
	" (SELECT COUNT(*) FROM complaint_responses r WHERE r.complaint = c.id)"

static const char *const sql[N_STMTS] = {
	[NEXT_NUM] = "SELECT COALESCE(MAX(num), 0) + 1 FROM complaints WHERE year = ?1",
	[INSERT] = "INSERT INTO complaints (ref, year, num, block, block_name, address, category,"
	           " description, name, flat, phone, email, contact_pref, received_at)"
	           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
	[GET] = "SELECT " COLS " FROM complaints c WHERE c.id = ?1",
	[LIST] = "SELECT " COLS " FROM complaints c WHERE (?1 IS NULL OR c.status = ?1)"
	         " AND (?2 IS NULL OR c.block = ?2) AND c.received_at >= ?3 AND c.received_at < ?4"
	         " ORDER BY c.received_at DESC, c.id DESC LIMIT ?5",
	[RESP_LIST] = "SELECT id, at, by_user, channel, text FROM complaint_responses WHERE complaint = ?1"
	              " ORDER BY at, id",
	[RESP_ADD] = "INSERT INTO complaint_responses (complaint, at, by_user, channel, text)"
	             " VALUES (?1, ?2, ?3, ?4, ?5)",
	[SET_STATUS] = "UPDATE complaints SET status = ?2,"
	               " closed_at = CASE WHEN ?2 = 'closed' THEN COALESCE(closed_at, ?3) ELSE NULL END"
	               " WHERE id = ?1",
	[PURGE] = "UPDATE complaints SET name = NULL, flat = NULL, phone = NULL, email = NULL,"
	          " anonymised_at = ?1 WHERE status = 'closed' AND closed_at <= ?2"
	          " AND anonymised_at IS NULL",
	[BEGIN] = "BEGIN IMMEDIATE",
	[COMMIT] = "COMMIT",
	[ROLLBACK] = "ROLLBACK",
};

struct complaints {
	sqlite3 *db;
	sqlite3_stmt *st[N_STMTS];
};

const char *complaint_label(const struct complaint_choice *t, size_t n, const char *value)
{
	if (value == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (strcmp(t[i].value, value) == 0)
			return t[i].label;
	return NULL;
}

static bool empty(const char *s)
{
	return s == NULL || s[0] == '\0';
}

static bool phone_ok(const char *s)
{
	int digits = 0;

	for (; *s != '\0'; s++) {
		if (*s >= '0' && *s <= '9')
			digits++;
		else if (strchr(" +()-.", *s) == NULL)
			return false;
	}
	return digits >= 6;
}

static bool email_ok(const char *s)
{
	const char *at = strchr(s, '@');

	if (at == NULL || at == s || strchr(at + 1, '@') != NULL || strchr(at, '.') == NULL)
		return false;
	for (; *s != '\0'; s++)
		if (*s == ' ' || *s == '\n' || *s == '\t' || *s == '<' || *s == '>')
			return false;
	return at[1] != '.' && s[-1] != '.';
}

static int bad(const char **field, const char *name, char *msg, size_t n, const char *text)
{
	*field = name;
	snprintf(msg, n, "%s", text);
	return -EINVAL;
}

int complaints_check(const struct complaint_in *in, const char **field, char *msg, size_t n)
{
	char text[160];

	*field = NULL;
	if (msg != NULL && n > 0)
		msg[0] = '\0';
	if (complaint_label(complaint_categories, complaint_n_categories, in->category) == NULL)
		return bad(field, "category", msg, n, "Choose what your complaint is about.");
	if (empty(in->description) || strspn(in->description, " \t\n") == strlen(in->description))
		return bad(field, "description", msg, n, "Describe the problem.");
	if (utf8_chars(in->description) > COMPLAINT_DESCRIPTION_MAX) {
		snprintf(text, sizeof(text), "Make the description %d characters or fewer.",
			 COMPLAINT_DESCRIPTION_MAX);
		return bad(field, "description", msg, n, text);
	}
	if (!empty(in->name) && utf8_chars(in->name) > COMPLAINT_NAME_MAX)
		return bad(field, "name", msg, n, "Make your name 100 characters or fewer.");
	if (!empty(in->name) && strchr(in->name, '\n') != NULL)
		return bad(field, "name", msg, n, "Write your name on one line.");
	if (!empty(in->flat) &&
	    (utf8_chars(in->flat) > COMPLAINT_FLAT_MAX || strchr(in->flat, '\n') != NULL))
		return bad(field, "flat", msg, n, "Make the flat number 40 characters or fewer.");
	if (!empty(in->phone) &&
	    (strlen(in->phone) > COMPLAINT_PHONE_MAX || !phone_ok(in->phone)))
		return bad(field, "phone", msg, n,
			   "Enter a phone number, like 0117 496 0000, or leave it empty.");
	if (!empty(in->email) &&
	    (strlen(in->email) > COMPLAINT_EMAIL_MAX || !email_ok(in->email)))
		return bad(field, "email", msg, n,
			   "Enter an email address, like name@example.com, or leave it empty.");
	if (!empty(in->contact_pref) &&
	    complaint_label(complaint_contact_prefs, complaint_n_contact_prefs,
			    in->contact_pref) == NULL)
		return bad(field, "contact_pref", msg, n, "Choose how we should contact you.");
	if (!empty(in->contact_pref) && strcmp(in->contact_pref, "phone") == 0 && empty(in->phone))
		return bad(field, "phone", msg, n,
			   "Enter a phone number, or choose another way to contact you.");
	if (!empty(in->contact_pref) && strcmp(in->contact_pref, "email") == 0 && empty(in->email))
		return bad(field, "email", msg, n,
			   "Enter an email address, or choose another way to contact you.");
	if (!empty(in->contact_pref) && strcmp(in->contact_pref, "letter") == 0 && empty(in->flat))
		return bad(field, "flat", msg, n,
			   "Enter your flat number so a letter reaches you, or choose another way.");
	return 0;
}

int complaints_parse_day(const char *s, int64_t *ms)
{
	struct sbdate d;

	if (sbdate_parse(s, &d) < 0)
		return -EINVAL;
	return sbdate_local_midnight_ms(d, ms);
}

int complaints_ref_format(char *buf, size_t n, int year, int64_t number)
{
	int len = snprintf(buf, n, "WC-%04d-%04lld", year, (long long)number);

	return len < 0 || (size_t)len >= n ? -ENOSPC : 0;
}

int complaints_open(struct store *store, struct complaints **out)
{
	struct complaints *c = calloc(1, sizeof(*c));
	int ret;

	*out = NULL;
	if (c == NULL)
		return -ENOMEM;
	c->db = store_db(store);
	ret = sqlx_prepare_all(c->db, sql, N_STMTS, c->st, "store");
	if (ret < 0) {
		complaints_close(c);
		return ret;
	}
	*out = c;
	return 0;
}

void complaints_close(struct complaints *c)
{
	if (c == NULL)
		return;
	sqlx_finalize_all(c->st, N_STMTS);
	free(c);
}

static int exec(struct complaints *c, enum stmt which)
{
	int ret = sqlite3_step(c->st[which]) == SQLITE_DONE ? 0 : sqlx_fail(c->db, "store", sql[which]);

	sqlx_finish(c->st[which]);
	return ret;
}

int complaints_add(struct complaints *c, const struct complaint_in *in, const char *block,
		   const char *block_name, const char *address, int64_t now_ms, int64_t *id,
		   char *ref)
{
	sqlite3_stmt *st = NULL;
	time_t t = (time_t)(now_ms / 1000);
	struct tm tm;
	int64_t num = 0;
	int year;
	int ret;

	gmtime_r(&t, &tm);
	year = tm.tm_year + 1900;
	if (c->db != NULL && sqlite3_get_autocommit(c->db) == 0) {
		log_error("store: complaints_add inside a transaction");
		return -EIO;
	}
	if (exec(c, BEGIN) < 0)
		return -EIO;
	st = c->st[NEXT_NUM];
	sqlite3_bind_int(st, 1, year);
	if (sqlite3_step(st) != SQLITE_ROW) {
		ret = sqlx_fail(c->db, "store", "next complaint number");
		sqlx_finish(st);
		goto rollback;
	}
	num = sqlite3_column_int64(st, 0);
	sqlx_finish(st);
	complaints_ref_format(ref, COMPLAINT_REF_MAX, year, num);
	st = c->st[INSERT];
	sqlite3_bind_text(st, 1, ref, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, year);
	sqlite3_bind_int64(st, 3, num);
	sqlite3_bind_text(st, 4, block, -1, SQLITE_STATIC);
	sqlx_bind_text_or_null(st, 5, block_name);
	sqlx_bind_text_or_null(st, 6, address);
	sqlite3_bind_text(st, 7, in->category, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, in->description, -1, SQLITE_STATIC);
	sqlx_bind_text_or_null(st, 9, in->name);
	sqlx_bind_text_or_null(st, 10, in->flat);
	sqlx_bind_text_or_null(st, 11, in->phone);
	sqlx_bind_text_or_null(st, 12, in->email);
	sqlx_bind_text_or_null(st, 13, in->contact_pref);
	sqlite3_bind_int64(st, 14, now_ms);
	if (sqlite3_step(st) != SQLITE_DONE) {
		ret = sqlx_fail(c->db, "store", "insert complaint");
		sqlx_finish(st);
		goto rollback;
	}
	sqlx_finish(st);
	*id = sqlite3_last_insert_rowid(c->db);
	if (exec(c, COMMIT) < 0) {
		ret = -EIO;
		goto rollback;
	}
	return 0;
rollback:
	if (sqlite3_get_autocommit(c->db) == 0)
		exec(c, ROLLBACK);
	return ret;
}

static char *dup_col(sqlite3_stmt *st, int col, bool *oom)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	char *s = NULL;

	if (t == NULL)
		return NULL;
	s = strdup((const char *)t);
	if (s == NULL)
		*oom = true;
	return s;
}

static int read_row(sqlite3_stmt *st, struct complaint *cp)
{
	bool oom = false;

	memset(cp, 0, sizeof(*cp));
	cp->id = sqlite3_column_int64(st, 0);
	snprintf(cp->ref, sizeof(cp->ref), "%s", (const char *)sqlite3_column_text(st, 1));
	cp->block = dup_col(st, 2, &oom);
	cp->block_name = dup_col(st, 3, &oom);
	cp->address = dup_col(st, 4, &oom);
	cp->category = dup_col(st, 5, &oom);
	cp->description = dup_col(st, 6, &oom);
	cp->name = dup_col(st, 7, &oom);
	cp->flat = dup_col(st, 8, &oom);
	cp->phone = dup_col(st, 9, &oom);
	cp->email = dup_col(st, 10, &oom);
	cp->contact_pref = dup_col(st, 11, &oom);
	cp->received_at = sqlite3_column_int64(st, 12);
	cp->status = dup_col(st, 13, &oom);
	cp->closed_at = sqlite3_column_int64(st, 14);
	cp->anonymised_at = sqlite3_column_int64(st, 15);
	cp->n_responses = sqlite3_column_int64(st, 16);
	if (oom || cp->block == NULL || cp->category == NULL || cp->description == NULL ||
	    cp->status == NULL) {
		complaints_release(cp);
		return -ENOMEM;
	}
	return 0;
}

void complaints_release(struct complaint *cp)
{
	if (cp == NULL)
		return;
	free(cp->block);
	free(cp->block_name);
	free(cp->address);
	free(cp->category);
	free(cp->description);
	free(cp->name);
	free(cp->flat);
	free(cp->phone);
	free(cp->email);
	free(cp->contact_pref);
	free(cp->status);
	memset(cp, 0, sizeof(*cp));
}

int complaints_get(struct complaints *c, int64_t id, struct complaint *out)
{
	sqlite3_stmt *st = c->st[GET];
	int ret;
	int rc;

	memset(out, 0, sizeof(*out));
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		ret = read_row(st, out);
	else if (rc == SQLITE_DONE)
		ret = -ENOENT;
	else
		ret = sqlx_fail(c->db, "store", "get complaint");
	sqlx_finish(st);
	return ret;
}

int complaints_foreach(struct complaints *c, const struct complaints_filter *f,
		       complaints_fn fn, void *ctx)
{
	sqlite3_stmt *st = c->st[LIST];
	struct complaint cp;
	int ret = 0;
	int rc;

	sqlx_bind_text_or_null(st, 1, f->status);
	sqlx_bind_text_or_null(st, 2, f->block);
	sqlite3_bind_int64(st, 3, f->from_ms);
	sqlite3_bind_int64(st, 4, f->to_ms > 0 ? f->to_ms : INT64_MAX);
	sqlite3_bind_int(st, 5, f->limit > 0 ? f->limit : 1000);
	for (;;) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_DONE)
			break;
		if (rc != SQLITE_ROW) {
			ret = sqlx_fail(c->db, "store", "list complaints");
			break;
		}
		ret = read_row(st, &cp);
		if (ret < 0)
			break;
		ret = fn(ctx, &cp);
		complaints_release(&cp);
		if (ret != 0)
			break;
	}
	sqlx_finish(st);
	return ret;
}

int complaints_responses(struct complaints *c, int64_t id, complaints_response_fn fn, void *ctx)
{
	sqlite3_stmt *st = c->st[RESP_LIST];
	struct complaint_response r;
	int ret = 0;
	int rc;

	sqlite3_bind_int64(st, 1, id);
	for (;;) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_DONE)
			break;
		if (rc != SQLITE_ROW) {
			ret = sqlx_fail(c->db, "store", "list responses");
			break;
		}
		r.id = sqlite3_column_int64(st, 0);
		r.at = sqlite3_column_int64(st, 1);
		r.by = (const char *)sqlite3_column_text(st, 2);
		r.channel = (const char *)sqlite3_column_text(st, 3);
		r.text = (const char *)sqlite3_column_text(st, 4);
		ret = fn(ctx, &r);
		if (ret != 0)
			break;
	}
	sqlx_finish(st);
	return ret;
}

int complaints_respond(struct complaints *c, int64_t id, const char *by, const char *channel,
		       const char *text, int64_t now_ms, int64_t *response_id)
{
	sqlite3_stmt *st = c->st[RESP_ADD];
	int ret = 0;
	int rc;

	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, now_ms);
	sqlite3_bind_text(st, 3, by, -1, SQLITE_STATIC);
	sqlx_bind_text_or_null(st, 4, channel);
	sqlite3_bind_text(st, 5, text, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
		ret = -ENOENT;
	else if (rc != SQLITE_DONE)
		ret = sqlx_fail(c->db, "store", "add response");
	else if (response_id != NULL)
		*response_id = sqlite3_last_insert_rowid(c->db);
	sqlx_finish(st);
	return ret;
}

int complaints_set_status(struct complaints *c, int64_t id, const char *status, int64_t now_ms)
{
	sqlite3_stmt *st = c->st[SET_STATUS];
	int ret = 0;

	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now_ms);
	if (sqlite3_step(st) != SQLITE_DONE)
		ret = sqlx_fail(c->db, "store", "set complaint status");
	else if (sqlite3_changes(c->db) == 0)
		ret = -ENOENT;
	sqlx_finish(st);
	return ret;
}

int complaints_purge(struct complaints *c, long retention_days, int64_t now_ms, int *n)
{
	sqlite3_stmt *st = c->st[PURGE];
	int ret = 0;

	*n = 0;
	sqlite3_bind_int64(st, 1, now_ms);
	sqlite3_bind_int64(st, 2, now_ms - (int64_t)retention_days * DAY_MS);
	if (sqlite3_step(st) != SQLITE_DONE)
		ret = sqlx_fail(c->db, "store", "purge complaints");
	else
		*n = sqlite3_changes(c->db);
	sqlx_finish(st);
	return ret;
}
