/* SPDX-License-Identifier: MIT */
/*
 * The staff pages under /staff/ (see web.h): home, a block's notices, works
 * and delays (changed through the API as the user's role, so validation and
 * board publishing are the API's), the kiosk preview, the complaints inbox
 * with responses and status, CSV export and the audit log. Roles are checked
 * here, on every route; caretakers only see their own blocks.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "siteboard/log.h"
#include "siteboard/utf8.h"
#include "siteboard/sbdate.h"
#include "siteboard/sbtime.h"
#include "siteboard/topic.h"
#include "access/access.h"
#include "web/web_page.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define DAY_MS (INT64_C(86400) * 1000)
#define API_PATH_MAX 160

enum wtype { W_TEXT, W_AREA, W_PRIORITY, W_TIME, W_DATE, W_BOOL, W_WORKREF };

struct wfield {
	const char *name;
	const char *label;
	enum wtype type;
	bool required;
	int max;
	const char *hint;
};

struct wkind {
	const char *plural;
	const char *singular;
	const char *heading;
	bool expire; /* "Expire now" sets until */
	const struct wfield *fields;
	size_t n_fields;
};

static const struct wfield notice_fields[] = {
	{"title", "Title", W_TEXT, true, 200, NULL},
	{"body", "Text", W_AREA, false, 2000, NULL},
	{"priority", "Priority", W_PRIORITY, false, 0, NULL},
	{"from", "Show from", W_TIME, false, 0, "Site time. Leave empty to show it now."},
	{"until", "Show until", W_TIME, false, 0, "Site time. Leave empty to show it until removed."},
};

static const struct wfield work_fields[] = {
	{"what", "What", W_TEXT, true, 200, NULL},
	{"where", "Where", W_TEXT, false, 2000, NULL},
	{"from", "From", W_DATE, true, 0, NULL},
	{"to", "Until", W_DATE, true, 0, "The last day, included."},
	{"noisy", "Noisy work", W_BOOL, false, 0, NULL},
	{"access", "Access needed", W_TEXT, false, 2000, "For example: clear east balconies by 29 Nov."},
};

static const struct wfield delay_fields[] = {
	{"works", "Delayed work", W_WORKREF, false, 0, NULL},
	{"reason", "Reason", W_TEXT, true, 200, NULL},
	{"new_from", "New start", W_DATE, false, 0, NULL},
	{"new_to", "New end", W_DATE, false, 0, NULL},
};

static const struct wkind wkinds[] = {
	{"notices", "notice", "Notices", true, notice_fields, N(notice_fields)},
	{"works", "work", "Works", false, work_fields, N(work_fields)},
	{"delays", "delay", "Delays", false, delay_fields, N(delay_fields)},
};

static const struct wkind *find_wkind(const char *plural)
{
	for (size_t i = 0; i < N(wkinds); i++)
		if (strcmp(wkinds[i].plural, plural) == 0)
			return &wkinds[i];
	return NULL;
}


void web_forbidden(struct wreq *r)
{
	web_page_message(r, 403, "Not for your role",
			 "Your account cannot open this page. Ask a site manager if you need it.");
}

void web_not_found(struct wreq *r)
{
	web_page_message(r, 404, "Page not found", "There is no page at this address.");
}

static void audit(struct wreq *r, const char *action, const char *target, const char *detail)
{
	store_lock(r->w->store);
	users_audit(r->w->users, r->user.name, action, target, detail, r->now_ms);
	store_unlock(r->w->store);
}

/* Block scope is access.c's, for the pages as for the API. */
static bool may_block(const struct wreq *r, const char *block)
{
	struct principal who;

	access_principal_from_user(&who, &r->user);
	return access_may_change_block(&who, block);
}

/*
 * Call the API as this user (role and blocks: the API checks the scope
 * again); *answer is the parsed JSON (or NULL). Returns the status.
 */
int web_call_api(struct wreq *r, const char *method, const char *path, json_t *body,
		    json_t **answer)
{
	struct principal who;
	char *text = NULL;
	char *resp = NULL;
	int status = 500;

	*answer = NULL;
	if (body != NULL) {
		text = json_dumps(body, JSON_COMPACT);
		if (text == NULL)
			return 500;
	}
	access_principal_from_user(&who, &r->user);
	if (api_handle_as(r->w->api, &who, method, path, text, text != NULL ? strlen(text) : 0,
			  &status, &resp) < 0)
		status = 500;
	if (resp != NULL)
		*answer = json_loads(resp, 0, NULL);
	free(resp);
	free(text);
	return status;
}

const char *web_api_error(json_t *answer)
{
	const char *e = json_string_value(json_object_get(answer, "error"));

	return e != NULL ? e : "the change could not be made";
}

/* ---- times between the API (UTC) and forms (site-local) ---- */

static void utc_to_local_input(const char *utc, char *buf, size_t n)
{
	int64_t ms = 0;
	time_t t;
	struct tm tm;

	buf[0] = '\0';
	if (utc == NULL || sbtime_parse(utc, &ms) < 0)
		return;
	t = (time_t)(ms / 1000);
	if (localtime_r(&t, &tm) != NULL)
		strftime(buf, n, "%Y-%m-%dT%H:%M", &tm);
}

static int local_input_to_utc(const char *s, char *buf, size_t n)
{
	int y, mo, d, h, mi;
	char tail;
	int64_t t;

	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d%c", &y, &mo, &d, &h, &mi, &tail) != 5 ||
	    strlen(s) != 16 || h > 23 || mi > 59 || h < 0 || mi < 0 ||
	    sbdate_local_ms((struct sbdate){y, mo, d}, h * 60 + mi, &t) < 0)
		return -EINVAL;
	return sbtime_format(t, buf, n);
}

/* ---- item forms ---- */

/* The value to show in field f: from the submitted form, else from the stored item. */
static void field_value(const struct wfield *f, const struct form *sent, json_t *item,
			char *buf, size_t n)
{
	const char *v = NULL;
	json_t *j = NULL;

	buf[0] = '\0';
	if (sent != NULL) {
		v = form_get(sent, f->name);
		if (f->type == W_BOOL)
			snprintf(buf, n, "%s", v != NULL ? "on" : "");
		else if (v != NULL)
			snprintf(buf, n, "%s", v);
		return;
	}
	j = json_object_get(item, f->name);
	if (f->type == W_BOOL)
		snprintf(buf, n, "%s", json_is_true(j) ? "on" : "");
	else if (f->type == W_TIME)
		utc_to_local_input(json_string_value(j), buf, n);
	else if (json_is_string(j))
		snprintf(buf, n, "%s", json_string_value(j));
}

static void select_option(struct html *h, const char *value, const char *label, const char *cur)
{
	html_raw(h, "<option value=\"");
	html_text(h, value);
	html_raw(h, "\"");
	if (strcmp(value, cur) == 0)
		html_raw(h, " selected");
	html_raw(h, ">");
	html_text(h, label);
	html_raw(h, "</option>");
}

/*
 * One form for a kind: action is the POST target; sent/item give values;
 * works (for delays) lists the block's works.
 */
static void item_form(struct html *h, struct wreq *r, const struct wkind *k, const char *prefix,
		      const char *action, const struct form *sent, json_t *item, json_t *works,
		      const char *submit)
{
	char value[4096];
	char id[80];

	html_raw(h, "<form method=\"post\" action=\"");
	html_text(h, action);
	html_raw(h, "\">");
	web_csrf_field(r, h);
	html_raw(h, "<input type=\"hidden\" name=\"action\" value=\"save\">");
	for (size_t i = 0; i < k->n_fields; i++) {
		const struct wfield *f = &k->fields[i];

		snprintf(id, sizeof(id), "%s-%s", prefix, f->name);
		field_value(f, sent, item, value, sizeof(value));
		if (f->type == W_BOOL) {
			html_fmt(h, "<label class=\"choice\" for=\"%s\"><input type=\"checkbox\" "
				    "id=\"%s\" name=\"%s\"%s>",
				 id, id, f->name, value[0] != '\0' ? " checked" : "");
			html_raw(h, f->label);
			html_raw(h, "</label>");
			continue;
		}
		html_fmt(h, "<label for=\"%s\">%s%s</label>", id, f->label,
			 f->required ? "" : " (optional)");
		if (f->hint != NULL)
			html_fmt(h, "<span class=\"hint\" id=\"%s-hint\">%s</span>", id, f->hint);
		switch (f->type) {
		case W_AREA:
			html_fmt(h, "<textarea id=\"%s\" name=\"%s\" maxlength=\"%d\" rows=\"4\">", id,
				 f->name, f->max);
			html_text(h, value);
			html_raw(h, "</textarea>");
			break;
		case W_PRIORITY:
			html_fmt(h, "<select id=\"%s\" name=\"%s\">", id, f->name);
			select_option(h, "normal", "Normal", value[0] != '\0' ? value : "normal");
			select_option(h, "important", "Important", value);
			select_option(h, "urgent", "Urgent", value);
			html_raw(h, "</select>");
			break;
		case W_WORKREF: {
			size_t wi;
			json_t *wk;

			html_fmt(h, "<select id=\"%s\" name=\"%s\">", id, f->name);
			select_option(h, "", "None", value);
			json_array_foreach(works, wi, wk) {
				const char *wid = json_string_value(json_object_get(wk, "id"));
				const char *what = json_string_value(json_object_get(wk, "what"));

				if (wid != NULL && what != NULL)
					select_option(h, wid, what, value);
			}
			html_raw(h, "</select>");
			break;
		}
		default:
			html_fmt(h, "<input id=\"%s\" name=\"%s\" type=\"%s\"", id, f->name,
				 f->type == W_TIME   ? "datetime-local"
				 : f->type == W_DATE ? "date"
						     : "text");
			if (f->max > 0)
				html_fmt(h, " maxlength=\"%d\"", f->max);
			if (f->hint != NULL)
				html_fmt(h, " aria-describedby=\"%s-hint\"", id);
			if (f->required)
				html_raw(h, " required");
			html_raw(h, " value=\"");
			html_text(h, value);
			html_raw(h, "\">");
			break;
		}
	}
	html_raw(h, "<button type=\"submit\">");
	html_text(h, submit);
	html_raw(h, "</button></form>");
}

/* The submitted form as the API's JSON; on a bad value *err says which. */
static json_t *form_to_json(const struct wkind *k, const struct form *f, bool edit, char *err,
			    size_t n)
{
	json_t *o = json_object();
	char buf[SBTIME_BUFSZ];

	if (o == NULL)
		return NULL;
	for (size_t i = 0; i < k->n_fields; i++) {
		const struct wfield *fd = &k->fields[i];
		const char *v = form_get(f, fd->name);
		json_t *j = NULL;

		if (fd->type == W_BOOL) {
			j = json_boolean(v != NULL);
		} else if (v == NULL || v[0] == '\0') {
			if (!edit)
				continue;
			j = json_null();
		} else if (fd->type == W_TIME) {
			if (local_input_to_utc(v, buf, sizeof(buf)) < 0) {
				snprintf(err, n, "%s: enter a date and time", fd->label);
				json_decref(o);
				return NULL;
			}
			j = json_string(buf);
		} else {
			j = json_string(v);
		}
		if (j == NULL || json_object_set_new(o, fd->name, j) < 0) {
			snprintf(err, n, "%s: the text could not be read", fd->label);
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

/* ---- a block's page ---- */

static json_t *list_items(struct wreq *r, const char *block, const char *plural)
{
	char path[API_PATH_MAX];
	json_t *answer = NULL;
	json_t *arr = NULL;

	snprintf(path, sizeof(path), "/api/v1/blocks/%s/%s", block, plural);
	if (web_call_api(r, "GET", path, NULL, &answer) == 200)
		arr = json_incref(json_object_get(answer, plural));
	json_decref(answer);
	return arr != NULL ? arr : json_array();
}

static void item_row(struct html *h, struct wreq *r, const struct wkind *k, json_t *item)
{
	const char *id = json_string_value(json_object_get(item, "id"));
	char when[64];
	int64_t ms = 0;

	if (id == NULL)
		return;
	html_raw(h, "<tr><td>");
	if (k == &wkinds[0]) {
		html_text(h, json_string_value(json_object_get(item, "title")));
		html_raw(h, "</td><td>");
		html_text(h, json_string_value(json_object_get(item, "priority")));
		html_raw(h, "</td><td>");
		sbtime_parse(json_string_value(json_object_get(item, "from")), &ms);
		web_time_text(ms, when, sizeof(when));
		html_text(h, when);
		html_raw(h, "</td><td>");
		ms = 0;
		if (json_is_string(json_object_get(item, "until")))
			sbtime_parse(json_string_value(json_object_get(item, "until")), &ms);
		web_time_text(ms, when, sizeof(when));
		html_text(h, ms > 0 ? when : "until removed");
		if (ms > 0 && ms <= r->now_ms)
			html_raw(h, " (expired)");
	} else if (k == &wkinds[1]) {
		html_text(h, json_string_value(json_object_get(item, "what")));
		html_raw(h, "</td><td>");
		html_text(h, json_string_value(json_object_get(item, "from")));
		html_raw(h, " to ");
		html_text(h, json_string_value(json_object_get(item, "to")));
		html_raw(h, "</td><td>");
		html_text(h, json_string_value(json_object_get(item, "where")));
	} else {
		html_text(h, json_string_value(json_object_get(item, "reason")));
		html_raw(h, "</td><td>");
		html_text(h, json_string_value(json_object_get(item, "new_from")));
		html_raw(h, " to ");
		html_text(h, json_string_value(json_object_get(item, "new_to")));
	}
	html_raw(h, "</td><td><div class=\"inline\"><a href=\"/staff/");
	html_raw(h, k->plural);
	html_raw(h, "/");
	html_text(h, id);
	html_raw(h, "\">Edit</a>");
	if (k->expire) {
		html_raw(h, "<form method=\"post\" action=\"/staff/notices/");
		html_text(h, id);
		html_raw(h, "\">");
		web_csrf_field(r, h);
		html_raw(h, "<input type=\"hidden\" name=\"action\" value=\"expire\">"
			    "<button type=\"submit\" class=\"secondary\">Expire now</button></form>");
	}
	html_raw(h, "<form method=\"post\" action=\"/staff/");
	html_raw(h, k->plural);
	html_raw(h, "/");
	html_text(h, id);
	html_raw(h, "\">");
	web_csrf_field(r, h);
	html_raw(h, "<input type=\"hidden\" name=\"action\" value=\"delete\">"
		    "<button type=\"submit\" class=\"danger\">Remove</button></form></div></td></tr>");
}

static const char *const headers[][4] = {
	{"Title", "Priority", "From", "Until"},
	{"What", "Dates", "Where", NULL},
	{"Reason", "New dates", NULL, NULL},
};

static void block_page(struct wreq *r, const struct store_block *b, const struct wkind *bad_kind,
		       const struct form *sent, const char *message, int status)
{
	struct html h;
	json_t *lists[N(wkinds)] = {NULL};
	char action[API_PATH_MAX];
	char prefix[32];

	for (size_t i = 0; i < N(wkinds); i++)
		lists[i] = list_items(r, b->id, wkinds[i].plural);
	web_page_begin(r, &h, b->name);
	html_raw(&h, "<h1>");
	html_text(&h, b->name);
	html_raw(&h, "</h1>");
	if (message != NULL) {
		html_raw(&h, "<div class=\"error-summary\" role=\"alert\"><h2>There is a problem</h2><p>");
		html_text(&h, message);
		html_raw(&h, "</p></div>");
	}
	html_raw(&h, "<p>Changes show on the lobby screen within seconds.</p>");
	for (size_t i = 0; i < N(wkinds); i++) {
		const struct wkind *k = &wkinds[i];
		size_t idx;
		json_t *item;

		html_fmt(&h, "<h2 id=\"%s\">%s</h2>", k->plural, k->heading);
		if (json_array_size(lists[i]) == 0) {
			html_fmt(&h, "<p>No %s.</p>", k->plural);
		} else {
			html_fmt(&h, "<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"%s\"><table><thead><tr>", k->heading);
			for (int c = 0; c < 4 && headers[i][c] != NULL; c++)
				html_fmt(&h, "<th scope=\"col\">%s</th>", headers[i][c]);
			html_raw(&h, "<th scope=\"col\">Change</th></tr></thead><tbody>");
			json_array_foreach(lists[i], idx, item)
				item_row(&h, r, k, item);
			html_raw(&h, "</tbody></table></div>");
		}
		html_fmt(&h, "<h3>Add a %s</h3>", k->singular);
		snprintf(action, sizeof(action), "/staff/blocks/%s/%s", b->id, k->plural);
		snprintf(prefix, sizeof(prefix), "new-%s", k->singular);
		item_form(&h, r, k, prefix, action, bad_kind == k ? sent : NULL, NULL, lists[1],
			  "Add");
	}
	html_raw(&h, "<h2 id=\"preview\">Lobby screen preview</h2><p>How the screen looks now, drawn "
		     "by the kiosk's own code.</p><img class=\"preview\" width=\"540\" height=\"960\" src=\"/staff/blocks/");
	html_text(&h, b->id);
	html_raw(&h, "/preview.png\" alt=\"The lobby screen of ");
	html_text(&h, b->name);
	html_raw(&h, " as the kiosk draws it now\">");
	for (size_t i = 0; i < N(wkinds); i++)
		json_decref(lists[i]);
	web_page_end(r, &h, status);
}

static int get_block(struct wreq *r, const char *id, struct store_block *b)
{
	int ret;

	memset(b, 0, sizeof(*b));
	if (!topic_id_valid(id))
		return -ENOENT;
	store_lock(r->w->store);
	ret = store_block_get(r->w->store, id, b);
	store_unlock(r->w->store);
	return ret;
}

static void preview(struct wreq *r, const char *block)
{
	char *board = NULL;
	unsigned char *png = NULL;
	size_t len = 0;
	int ret;

	if (r->w->preview == NULL) {
		web_page_message(r, 503, "No preview", "The preview fonts are not installed.");
		return;
	}
	store_lock(r->w->store);
	ret = store_block_board(r->w->store, block, &board);
	store_unlock(r->w->store);
	if (ret < 0 || board == NULL) {
		web_not_found(r);
		goto out;
	}
	ret = preview_png(r->w->preview, board, r->now_ms, 1080, 1920, &png, &len);
	if (ret < 0) {
		web_page_message(r, 503, "No preview", "The preview could not be drawn.");
		goto out;
	}
	free(r->out->body);
	r->out->body = (char *)png;
	r->out->len = len;
	r->out->content_type = "image/png";
	r->out->status = 200;
out:
	free(board);
}

static void block_route(struct wreq *r, char **seg, int n)
{
	struct store_block b;
	const struct wkind *k = NULL;
	json_t *body = NULL;
	json_t *answer = NULL;
	char path[API_PATH_MAX];
	char err[200];
	int status;

	if (get_block(r, seg[1], &b) < 0) {
		web_not_found(r);
		return;
	}
	if (!may_block(r, b.id)) {
		web_forbidden(r);
		goto out;
	}
	if (n == 2 && !web_is_post(r)) {
		block_page(r, &b, NULL, NULL, NULL, 200);
		goto out;
	}
	if (n == 3 && strcmp(seg[2], "preview.png") == 0 && !web_is_post(r)) {
		preview(r, b.id);
		goto out;
	}
	k = n == 3 ? find_wkind(seg[2]) : NULL;
	if (k == NULL || !web_is_post(r)) {
		web_not_found(r);
		goto out;
	}
	body = form_to_json(k, r->form, false, err, sizeof(err));
	if (body == NULL) {
		block_page(r, &b, k, r->form, err, 422);
		goto out;
	}
	snprintf(path, sizeof(path), "/api/v1/blocks/%s/%s", b.id, k->plural);
	status = web_call_api(r, "POST", path, body, &answer);
	if (status == 201) {
		audit(r, k->plural, json_string_value(json_object_get(answer, "id")), "created");
		snprintf(path, sizeof(path), "/staff/blocks/%s#%s", b.id, k->plural);
		web_redirect(r, path);
	} else if (status == 403) {
		web_forbidden(r);
	} else {
		snprintf(err, sizeof(err), "%s", web_api_error(answer));
		block_page(r, &b, k, r->form, err, status >= 500 ? 503 : 422);
	}
out:
	json_decref(body);
	json_decref(answer);
	store_block_release(&b);
}

static void item_page(struct wreq *r, const struct wkind *k, json_t *item, const char *block,
		      const struct form *sent, const char *message, int status)
{
	struct html h;
	char action[API_PATH_MAX];
	const char *id = json_string_value(json_object_get(item, "id"));
	json_t *works = k == &wkinds[2] ? list_items(r, block, "works") : NULL;

	web_page_begin(r, &h, "Edit");
	html_fmt(&h, "<h1>Edit %s ", k->singular);
	html_text(&h, id);
	html_raw(&h, "</h1><p><a href=\"/staff/blocks/");
	html_text(&h, block);
	html_raw(&h, "\">Back to the block</a></p>");
	if (message != NULL) {
		html_raw(&h, "<div class=\"error-summary\" role=\"alert\"><h2>There is a problem</h2><p>");
		html_text(&h, message);
		html_raw(&h, "</p></div>");
	}
	snprintf(action, sizeof(action), "/staff/%s/%s", k->plural, id);
	item_form(&h, r, k, "edit", action, sent, item, works, "Save");
	json_decref(works);
	web_page_end(r, &h, status);
}

static void item_route(struct wreq *r, const struct wkind *k, const char *id)
{
	char path[API_PATH_MAX];
	char back[API_PATH_MAX];
	char err[200];
	char now[SBTIME_BUFSZ];
	json_t *item = NULL;
	json_t *body = NULL;
	json_t *answer = NULL;
	const char *block = NULL;
	const char *action = NULL;
	int status;

	if (!topic_id_valid(id)) {
		web_not_found(r);
		return;
	}
	snprintf(path, sizeof(path), "/api/v1/%s/%s", k->plural, id);
	if (web_call_api(r, "GET", path, NULL, &item) != 200) {
		web_not_found(r);
		goto out;
	}
	block = json_string_value(json_object_get(item, "block"));
	if (block == NULL || !may_block(r, block)) {
		web_forbidden(r);
		goto out;
	}
	if (!web_is_post(r)) {
		item_page(r, k, item, block, NULL, NULL, 200);
		goto out;
	}
	snprintf(back, sizeof(back), "/staff/blocks/%s#%s", block, k->plural);
	action = form_get(r->form, "action");
	if (action != NULL && strcmp(action, "delete") == 0) {
		status = web_call_api(r, "DELETE", path, NULL, &answer);
		if (status == 204) {
			audit(r, k->plural, id, "removed");
			web_redirect(r, back);
		} else {
			web_page_message(r, status == 403 ? 403 : 422, "Not removed", web_api_error(answer));
		}
		goto out;
	}
	if (action != NULL && strcmp(action, "expire") == 0 && k->expire) {
		int64_t from = 0;

		sbtime_parse(json_string_value(json_object_get(item, "from")), &from);
		sbtime_format(r->now_ms, now, sizeof(now));
		body = json_pack("{s:s}", "until", now);
		if (body != NULL && from >= r->now_ms) {
			sbtime_format(r->now_ms - 1000, now, sizeof(now));
			json_object_set_new(body, "from", json_string(now));
		}
		status = body != NULL ? web_call_api(r, "PUT", path, body, &answer) : 500;
		if (status == 200) {
			audit(r, k->plural, id, "expired");
			web_redirect(r, back);
		} else {
			web_page_message(r, 422, "Not expired", web_api_error(answer));
		}
		goto out;
	}
	body = form_to_json(k, r->form, true, err, sizeof(err));
	if (body == NULL) {
		item_page(r, k, item, block, r->form, err, 422);
		goto out;
	}
	status = web_call_api(r, "PUT", path, body, &answer);
	if (status == 200) {
		audit(r, k->plural, id, "changed");
		web_redirect(r, back);
	} else {
		snprintf(err, sizeof(err), "%s", web_api_error(answer));
		item_page(r, k, item, block, r->form, err, 422);
	}
out:
	json_decref(item);
	json_decref(body);
	json_decref(answer);
}

/* ---- home ---- */

struct home_ctx {
	struct wreq *r;
	struct html *h;
	int shown;
};

static int home_block(void *ctx, const struct store_block *b, const char *board)
{
	struct home_ctx *hc = ctx;

	(void)board;
	if (!may_block(hc->r, b->id))
		return 0;
	html_raw(hc->h, "<li><a href=\"/staff/blocks/");
	html_text(hc->h, b->id);
	html_raw(hc->h, "\">");
	html_text(hc->h, b->name);
	html_raw(hc->h, "</a></li>");
	hc->shown++;
	return 0;
}

static void home(struct wreq *r)
{
	struct html h;
	struct home_ctx hc = {r, &h, 0};

	web_page_begin(r, &h, "Staff");
	html_raw(&h, "<h1>Hello, ");
	html_text(&h, r->user.name);
	html_fmt(&h, "</h1><p>Signed in as %s.</p>", token_role_name(r->user.role));
	if (web_is_manager(r))
		html_raw(&h, "<h2>Site</h2><ul><li><a href=\"/staff/breaches\">Open breaches</a></li>"
			     "<li><a href=\"/staff/day\">Noise day view</a></li>"
			     "<li><a href=\"/staff/hours\">Working hours and exceptions</a></li>"
			     "<li><a href=\"/staff/kiosks\">Kiosks and sensors</a></li></ul>");
	if (web_is_manager(r))
		html_raw(&h, "<h2>Complaints</h2><ul><li><a href=\"/staff/complaints?status=open\">Open "
			     "complaints</a></li><li><a href=\"/staff/complaints\">All complaints</a>"
			     "</li><li><a href=\"/staff/export\">Export to CSV</a></li></ul>");
	html_raw(&h, "<h2>Blocks: notices, works and delays</h2><ul>");
	store_lock(r->w->store);
	store_block_foreach(r->w->store, home_block, &hc);
	store_unlock(r->w->store);
	html_raw(&h, "</ul>");
	if (hc.shown == 0)
		html_raw(&h, "<p>No blocks are assigned to you.</p>");
	web_page_end(r, &h, 200);
}

/* ---- complaints ---- */

static void choice_select(struct html *h, const char *id, const char *label,
			  const struct complaint_choice *c, size_t n, const char *cur,
			  const char *any)
{
	html_fmt(h, "<label for=\"%s\">%s</label><select id=\"%s\" name=\"%s\">", id, label, id, id);
	if (any != NULL)
		select_option(h, "", any, cur != NULL ? cur : "");
	for (size_t i = 0; i < n; i++)
		select_option(h, c[i].value, c[i].label, cur != NULL ? cur : "");
	html_raw(h, "</select>");
}

static int inbox_row(void *ctx, const struct complaint *cp)
{
	struct html *h = ctx;
	char when[64];

	web_time_text(cp->received_at, when, sizeof(when));
	html_fmt(h, "<tr><td><a href=\"/staff/complaints/%lld\">", (long long)cp->id);
	html_text(h, cp->ref);
	html_raw(h, "</a></td><td>");
	html_text(h, when);
	html_raw(h, "</td><td>");
	html_text(h, cp->block_name != NULL ? cp->block_name : cp->block);
	html_raw(h, "</td><td>");
	html_text(h, complaint_label(complaint_categories, complaint_n_categories, cp->category));
	html_raw(h, "</td><td>");
	html_text(h, complaint_label(complaint_statuses, complaint_n_statuses, cp->status));
	html_fmt(h, "</td><td>%lld</td></tr>", (long long)cp->n_responses);
	return 0;
}

static void inbox(struct wreq *r)
{
	struct complaints_filter f = {0};
	const char *status = form_get(r->query, "status");
	struct html h;
	int ret;

	if (status != NULL && status[0] == '\0')
		status = NULL;
	if (status != NULL &&
	    complaint_label(complaint_statuses, complaint_n_statuses, status) == NULL) {
		web_page_message(r, 400, "Unknown status", "Choose a status from the list.");
		return;
	}
	f.status = status;
	f.limit = 500;
	web_page_begin(r, &h, "Complaints");
	html_raw(&h, "<h1>Complaints</h1><form method=\"get\" action=\"/staff/complaints\" "
		     "class=\"inline\">");
	choice_select(&h, "status", "Status", complaint_statuses, complaint_n_statuses, status,
		      "Any");
	html_raw(&h, "<button type=\"submit\">Show</button></form>"
		     "<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Complaints\">"
		     "<table><thead><tr><th scope=\"col\">Reference</th><th scope=\"col\">Received</th>"
		     "<th scope=\"col\">Block</th><th scope=\"col\">About</th>"
		     "<th scope=\"col\">Status</th><th scope=\"col\">Responses</th></tr></thead><tbody>");
	store_lock(r->w->store);
	ret = complaints_foreach(r->w->complaints, &f, inbox_row, &h);
	store_unlock(r->w->store);
	html_raw(&h, "</tbody></table></div>");
	if (ret < 0)
		html_raw(&h, "<p class=\"error\">The list could not be read completely.</p>");
	web_page_end(r, &h, 200);
}

static int response_item(void *ctx, const struct complaint_response *resp)
{
	struct html *h = ctx;
	char when[64];
	const char *how = complaint_label(complaint_channels, complaint_n_channels, resp->channel);

	web_time_text(resp->at, when, sizeof(when));
	html_raw(h, "<li><p><strong>");
	html_text(h, when);
	html_raw(h, "</strong>, ");
	html_text(h, resp->by);
	if (how != NULL) {
		html_raw(h, " (");
		html_text(h, how);
		html_raw(h, ")");
	}
	html_raw(h, ":</p><p class=\"pre\">");
	html_text(h, resp->text);
	html_raw(h, "</p></li>");
	return 0;
}


static void complaint_page(struct wreq *r, int64_t id, const char *message, int status)
{
	struct complaint cp;
	struct html h;
	char when[64];
	int ret;

	store_lock(r->w->store);
	ret = complaints_get(r->w->complaints, id, &cp);
	store_unlock(r->w->store);
	if (ret < 0) {
		web_not_found(r);
		return;
	}
	web_page_begin(r, &h, cp.ref);
	html_raw(&h, "<h1>Complaint ");
	html_text(&h, cp.ref);
	html_raw(&h, "</h1>");
	if (message != NULL) {
		html_raw(&h, "<div class=\"error-summary\" role=\"alert\"><h2>There is a problem</h2><p>");
		html_text(&h, message);
		html_raw(&h, "</p></div>");
	}
	html_raw(&h, "<dl>");
	web_time_text(cp.received_at, when, sizeof(when));
	web_dd(&h, "Received", when);
	web_dd(&h, "Block", cp.block_name != NULL ? cp.block_name : cp.block);
	web_dd(&h, "Address", cp.address);
	web_dd(&h, "About", complaint_label(complaint_categories, complaint_n_categories, cp.category));
	web_dd(&h, "Status", complaint_label(complaint_statuses, complaint_n_statuses, cp.status));
	if (cp.closed_at > 0) {
		web_time_text(cp.closed_at, when, sizeof(when));
		web_dd(&h, "Closed", when);
	}
	web_dd(&h, "What happened", cp.description);
	html_raw(&h, "</dl><h2>Contact details</h2>");
	if (cp.anonymised_at > 0) {
		web_time_text(cp.anonymised_at, when, sizeof(when));
		html_raw(&h, "<p>Erased under the retention policy on ");
		html_text(&h, when);
		html_raw(&h, ".</p>");
	} else {
		html_raw(&h, "<dl>");
		web_dd(&h, "Name", cp.name);
		web_dd(&h, "Flat", cp.flat);
		web_dd(&h, "Phone", cp.phone);
		web_dd(&h, "Email", cp.email);
		web_dd(&h, "Contact by",
		   complaint_label(complaint_contact_prefs, complaint_n_contact_prefs, cp.contact_pref));
		html_raw(&h, "</dl>");
	}
	html_raw(&h, "<h2>Responses</h2>");
	if (cp.n_responses == 0) {
		html_raw(&h, "<p>No responses yet.</p>");
	} else {
		html_raw(&h, "<ol>");
		store_lock(r->w->store);
		complaints_responses(r->w->complaints, id, response_item, &h);
		store_unlock(r->w->store);
		html_raw(&h, "</ol>");
	}
	html_fmt(&h, "<h2>Add a response</h2><form method=\"post\" action=\"/staff/complaints/%lld/"
		     "responses\">",
		 (long long)id);
	web_csrf_field(r, &h);
	choice_select(&h, "channel", "How you responded", complaint_channels, complaint_n_channels,
		      cp.contact_pref, NULL);
	html_fmt(&h, "<label for=\"text\">What was said or done</label><textarea id=\"text\" "
		     "name=\"text\" rows=\"5\" maxlength=\"%d\" required></textarea>"
		     "<button type=\"submit\">Add response</button></form>",
		 COMPLAINT_RESPONSE_MAX);
	html_fmt(&h, "<h2>Status</h2><form method=\"post\" action=\"/staff/complaints/%lld/status\" "
		     "class=\"inline\">",
		 (long long)id);
	web_csrf_field(r, &h);
	choice_select(&h, "status", "Status", complaint_statuses, complaint_n_statuses, cp.status,
		      NULL);
	html_raw(&h, "<button type=\"submit\">Change status</button></form>");
	complaints_release(&cp);
	web_page_end(r, &h, status);
}

static void complaint_action(struct wreq *r, int64_t id, const char *what)
{
	char target[COMPLAINT_REF_MAX + 8];
	char path[80];
	struct complaint cp;
	const char *text = form_get(r->form, "text");
	const char *channel = form_get(r->form, "channel");
	const char *status = form_get(r->form, "status");
	int ret;

	if (strcmp(what, "responses") == 0) {
		if (text == NULL || text[0] == '\0' || strspn(text, " \n\t") == strlen(text)) {
			complaint_page(r, id, "Write what was said or done.", 422);
			return;
		}
		if (utf8_chars(text) > COMPLAINT_RESPONSE_MAX) {
			complaint_page(r, id, "Make the response 4000 characters or fewer.", 422);
			return;
		}
		if (channel != NULL && channel[0] != '\0' &&
		    complaint_label(complaint_channels, complaint_n_channels, channel) == NULL) {
			complaint_page(r, id, "Choose how you responded.", 422);
			return;
		}
	} else if (strcmp(what, "status") == 0) {
		if (complaint_label(complaint_statuses, complaint_n_statuses, status) == NULL) {
			complaint_page(r, id, "Choose a status.", 422);
			return;
		}
	} else {
		web_not_found(r);
		return;
	}
	store_lock(r->w->store);
	ret = complaints_get(r->w->complaints, id, &cp);
	if (ret == 0) {
		snprintf(target, sizeof(target), "%s", cp.ref);
		complaints_release(&cp);
		if (strcmp(what, "responses") == 0)
			ret = complaints_respond(r->w->complaints, id, r->user.name,
						 channel != NULL && channel[0] != '\0' ? channel : NULL,
						 text, r->now_ms, NULL);
		else
			ret = complaints_set_status(r->w->complaints, id, status, r->now_ms);
	}
	if (ret == 0)
		users_audit(r->w->users, r->user.name,
			    strcmp(what, "responses") == 0 ? "complaint.respond" : "complaint.status",
			    target, strcmp(what, "status") == 0 ? status : NULL, r->now_ms);
	store_unlock(r->w->store);
	if (ret == -ENOENT) {
		web_not_found(r);
		return;
	}
	if (ret < 0) {
		web_page_message(r, 503, "Not saved", "Please try again.");
		return;
	}
	snprintf(path, sizeof(path), "/staff/complaints/%lld", (long long)id);
	web_redirect(r, path);
}


static void complaints_route(struct wreq *r, char **seg, int n)
{
	int64_t id = 0;

	if (!web_is_manager(r)) {
		web_forbidden(r);
		return;
	}
	if (n == 1 && !web_is_post(r)) {
		inbox(r);
		return;
	}
	if (n < 2 || web_parse_id(seg[1], &id) < 0) {
		web_not_found(r);
		return;
	}
	if (n == 2 && !web_is_post(r))
		complaint_page(r, id, NULL, 200);
	else if (n == 3 && web_is_post(r))
		complaint_action(r, id, seg[2]);
	else
		web_not_found(r);
}

/* ---- export ---- */

struct export_ctx {
	struct html *h;
	struct wreq *r;
	bool contact;
};

/* Collects plain text, which export_row then escapes as one CSV field. */
static int export_response(void *ctx, const struct complaint_response *resp)
{
	struct html *h = ctx;
	char when[SBTIME_BUFSZ];

	sbtime_format(resp->at, when, sizeof(when));
	html_raw(h, when);
	html_raw(h, " ");
	html_raw(h, resp->by);
	if (resp->channel != NULL) {
		html_raw(h, " (");
		html_raw(h, resp->channel);
		html_raw(h, ")");
	}
	html_raw(h, ": ");
	html_raw(h, resp->text);
	html_raw(h, "\n");
	return 0;
}

static int export_row(void *ctx, const struct complaint *cp)
{
	struct export_ctx *ec = ctx;
	struct html *h = ec->h;
	struct html resp;
	char when[SBTIME_BUFSZ];
	char *text = NULL;
	size_t len = 0;

	html_csv(h, cp->ref);
	html_raw(h, ",");
	sbtime_format(cp->received_at, when, sizeof(when));
	html_csv(h, when);
	html_raw(h, ",");
	html_csv(h, cp->block);
	html_raw(h, ",");
	html_csv(h, cp->address);
	html_raw(h, ",");
	html_csv(h, cp->category);
	html_raw(h, ",");
	html_csv(h, cp->description);
	html_raw(h, ",");
	html_csv(h, cp->status);
	html_raw(h, ",");
	when[0] = '\0';
	if (cp->closed_at > 0)
		sbtime_format(cp->closed_at, when, sizeof(when));
	html_csv(h, when);
	html_raw(h, ",");
	html_init(&resp, 1024 * 1024);
	complaints_responses(ec->r->w->complaints, cp->id, export_response, &resp);
	if (html_take(&resp, &text, &len) == 0 && len > 0)
		text[len - 1] = '\0';
	html_csv(h, text);
	free(text);
	html_release(&resp);
	if (ec->contact) {
		html_raw(h, ",");
		html_csv(h, cp->name);
		html_raw(h, ",");
		html_csv(h, cp->flat);
		html_raw(h, ",");
		html_csv(h, cp->phone);
		html_raw(h, ",");
		html_csv(h, cp->email);
		html_raw(h, ",");
		html_csv(h, cp->contact_pref);
	}
	html_raw(h, "\r\n");
	return 0;
}

static void export_form(struct wreq *r, const char *message, int status)
{
	struct html h;
	char today[16];
	time_t t = (time_t)(r->now_ms / 1000);
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(today, sizeof(today), "%Y-%m-%d", &tm);
	web_page_begin(r, &h, "Export");
	html_raw(&h, "<h1>Export to CSV</h1>");
	if (message != NULL) {
		html_raw(&h, "<div class=\"error-summary\" role=\"alert\"><h2>There is a problem</h2><p>");
		html_text(&h, message);
		html_raw(&h, "</p></div>");
	}
	html_raw(&h, "<form method=\"post\" action=\"/staff/export\">");
	web_csrf_field(r, &h);
	html_raw(&h, "<fieldset><legend>What to export</legend><label class=\"choice\" "
		     "for=\"what-complaints\"><input type=\"radio\" id=\"what-complaints\" "
		     "name=\"what\" value=\"complaints\" checked>Complaints, with responses</label>"
		     "<label class=\"choice\" for=\"what-breaches\"><input type=\"radio\" "
		     "id=\"what-breaches\" name=\"what\" value=\"breaches\">Breaches, with "
		     "acknowledgements and notes</label>"
		     "</fieldset><label for=\"from\">From (on or after)</label>"
		     "<input type=\"date\" id=\"from\" name=\"from\" required value=\"");
	html_text(&h, today);
	html_raw(&h, "\"><label for=\"to\">Until (on or before)</label>"
		     "<input type=\"date\" id=\"to\" name=\"to\" required value=\"");
	html_text(&h, today);
	html_raw(&h, "\"><label class=\"choice\" for=\"contact\"><input type=\"checkbox\" "
		     "id=\"contact\" name=\"contact\">Include tenants' contact details with complaints "
		     "(personal data: keep the file safe)</label><button type=\"submit\">Download CSV</button></form>");
	web_page_end(r, &h, status);
}

static void export_csv(struct wreq *r)
{
	struct complaints_filter f = {0};
	struct export_ctx ec;
	struct html h;
	const char *what = form_get(r->form, "what");
	int64_t to = 0;
	char detail[120];
	int ret;

	if (what != NULL && strcmp(what, "breaches") == 0) {
		web_manager_export_breaches(r);
		return;
	}
	if (what == NULL || strcmp(what, "complaints") != 0) {
		export_form(r, "Choose what to export.", 422);
		return;
	}
	if (complaints_parse_day(form_get(r->form, "from"), &f.from_ms) < 0 ||
	    complaints_parse_day(form_get(r->form, "to"), &to) < 0) {
		export_form(r, "Enter both dates.", 422);
		return;
	}
	if (to < f.from_ms) {
		export_form(r, "The end date must not be before the start date.", 422);
		return;
	}
	f.to_ms = to + DAY_MS;
	f.limit = 1000000;
	ec.h = &h;
	ec.r = r;
	ec.contact = form_get(r->form, "contact") != NULL;
	html_init(&h, WEB_EXPORT_MAX);
	html_raw(&h, "reference,received_at,block,address,category,description,status,closed_at,"
		     "responses");
	if (ec.contact)
		html_raw(&h, ",name,flat,phone,email,contact_pref");
	html_raw(&h, "\r\n");
	store_lock(r->w->store);
	ret = complaints_foreach(r->w->complaints, &f, export_row, &ec);
	snprintf(detail, sizeof(detail), "complaints %s to %s%s", form_get(r->form, "from"),
		 form_get(r->form, "to"), ec.contact ? ", with contact details" : "");
	if (ret == 0)
		users_audit(r->w->users, r->user.name, "export", "complaints", detail, r->now_ms);
	store_unlock(r->w->store);
	if (ret == 0)
		ret = html_take(&h, &r->out->body, &r->out->len);
	html_release(&h);
	if (ret < 0) {
		web_page_message(r, 503, "Not exported", "The export could not be made.");
		return;
	}
	r->out->status = 200;
	r->out->content_type = "text/csv; charset=utf-8";
	snprintf(r->out->disposition, sizeof(r->out->disposition),
		 "attachment; filename=\"complaints-%.10s-to-%.10s.csv\"", form_get(r->form, "from"),
		 form_get(r->form, "to"));
}

/* ---- audit ---- */

static int audit_row(void *ctx, int64_t at, const char *actor, const char *action,
		     const char *target, const char *detail)
{
	struct html *h = ctx;
	char when[64];

	web_time_text(at, when, sizeof(when));
	html_raw(h, "<tr><td>");
	html_text(h, when);
	html_raw(h, "</td><td>");
	html_text(h, actor);
	html_raw(h, "</td><td>");
	html_text(h, action);
	html_raw(h, "</td><td>");
	html_text(h, target);
	html_raw(h, "</td><td>");
	html_text(h, detail);
	html_raw(h, "</td></tr>");
	return 0;
}

static void audit_page(struct wreq *r)
{
	struct html h;

	web_page_begin(r, &h, "Audit log");
	html_raw(&h, "<h1>Audit log</h1><p>The latest 500 changes.</p><div class=\"scroll\" "
		     "tabindex=\"0\" role=\"region\" aria-label=\"Audit log\"><table><thead><tr>"
		     "<th scope=\"col\">When</th><th scope=\"col\">Who</th><th scope=\"col\">What</th>"
		     "<th scope=\"col\">Item</th><th scope=\"col\">Detail</th></tr></thead><tbody>");
	store_lock(r->w->store);
	users_audit_foreach(r->w->users, 500, audit_row, &h);
	store_unlock(r->w->store);
	html_raw(&h, "</tbody></table></div>");
	web_page_end(r, &h, 200);
}

void web_staff_route(struct wreq *r, char **seg, int n)
{
	const struct wkind *k = NULL;

	if (n == 0 || (n == 1 && seg[0][0] == '\0')) {
		if (web_is_post(r))
			web_not_found(r);
		else
			home(r);
		return;
	}
	if (strcmp(seg[0], "blocks") == 0 && n >= 2) {
		block_route(r, seg, n);
		return;
	}
	if (strcmp(seg[0], "complaints") == 0) {
		complaints_route(r, seg, n);
		return;
	}
	if (strcmp(seg[0], "export") == 0 && n == 1) {
		if (!web_is_manager(r))
			web_forbidden(r);
		else if (web_is_post(r))
			export_csv(r);
		else
			export_form(r, NULL, 200);
		return;
	}
	if (strcmp(seg[0], "audit") == 0 && n == 1) {
		if (!web_is_manager(r))
			web_forbidden(r);
		else if (web_is_post(r))
			web_not_found(r);
		else
			audit_page(r);
		return;
	}
	if (web_manager_route(r, seg, n))
		return;
	k = find_wkind(seg[0]);
	if (k != NULL && n == 2) {
		item_route(r, k, seg[1]);
		return;
	}
	web_not_found(r);
}
