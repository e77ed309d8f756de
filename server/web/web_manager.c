/* SPDX-License-Identifier: MIT */
/*
 * The managers' pages under /staff/ (see web.h; managers and admins only, a
 * caretaker gets 403 on every one): the live list of breaches and one
 * breach with its trail and the acknowledgement form, the hours exceptions
 * (who agreed them and why), kiosks and sensors (last seen, online,
 * battery; a kiosk behind its block's board is flagged), the noise day view
 * of a block (noisechart.h) and the breaches CSV of the export form.
 *
 * Breaches are read and acknowledged through the rules engine directly, so
 * the trail names the signed-in user; hours exceptions and sensors go
 * through the API as the user's role, like the board items.
 * The breaches list refreshes itself with a small inline script (allowed by
 * its hash in the page's Content-Security-Policy); without it the page
 * works the same with a reload link.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <sodium.h>

#include "devices/kiosks.h"
#include "web/noisechart.h"
#include "rules/rules.h"
#include "siteboard/log.h"
#include "siteboard/utf8.h"
#include "siteboard/sbdate.h"
#include "siteboard/sbtime.h"
#include "siteboard/topic.h"
#include "hours/sitehours.h"
#include "web/web_page.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define ACTIVE_MAX 500       /* open and acknowledged breaches listed, each */
#define LIST_MAX 200         /* closed or all: the newest */
#define EXPORT_PAGE 1000     /* breaches per query while exporting */
#define DAY_BREACHES_MAX 1000
#define BLOCKS_MAX 200       /* blocks offered in the day view's list */
#define SPANS_MAX 16
#define PERIODS_MAX 200000   /* noise periods of one sensor in one day (1 s periods: 86400) */
#define NOISE_SENSORS_MAX 8  /* charts on one day view */
#define EXCEPTIONS_PAST_DAYS 60
#define BATTERY_LOW 20
#define CHART_DB_MIN 30.0
#define CHART_DB_MAX 100.0
#define DAY_MS (INT64_C(86400) * 1000)
#define PATH_MAX_LEN 200

/*
 * Every LIVE_EVERY_S seconds, while the tab is visible, updating is not
 * paused and focus is not inside the list, fetch this same page and swap
 * in its #live part; announce only a change in the number shown.
 */
#define LIVE_EVERY_S "15"
static const char live_script[] =
	"(function(){"
	"var live=document.getElementById('live'),st=document.getElementById('live-status'),"
	"btn=document.getElementById('live-toggle'),on=true;"
	"if(!live||!st||!btn||!window.fetch||!window.DOMParser)return;"
	"btn.hidden=false;"
	"btn.addEventListener('click',function(){on=!on;"
	"btn.textContent=on?'Pause automatic updates':'Resume automatic updates';"
	"st.textContent=on?'Automatic updates resumed.':'Automatic updates paused.';"
	"if(on)tick();});"
	"function tick(){"
	"if(!on||document.hidden||live.contains(document.activeElement))return;"
	"fetch(location.href,{credentials:'same-origin'}).then(function(r){"
	"if(!r.ok)throw new Error(r.status);return r.text();}).then(function(t){"
	"var n=new DOMParser().parseFromString(t,'text/html').getElementById('live');"
	"if(!n||!on)return;"
	"var before=live.getAttribute('data-count'),after=n.getAttribute('data-count');"
	"live.innerHTML=n.innerHTML;live.setAttribute('data-count',after);"
	"if(before!==after)st.textContent='The list has changed: '+n.getAttribute('data-summary');"
	"}).catch(function(){st.textContent='The list could not be updated. Reload the page.';});}"
	"setInterval(tick," LIVE_EVERY_S "000);"
	"})();";

static const struct {
	const char *rule;
	const char *label;
} rule_labels[] = {
	{"out_of_hours_access", "Site door opened out of hours"},
	{"left_insecure", "Door left insecure"},
	{"door_held_open", "Entrance held open"},
	{"out_of_hours_noise", "Noise out of hours"},
	{"excess_noise", "Excess noise in hours"},
	{"sensor_offline", "Sensor offline"},
};

static const struct {
	const char *value;
	const char *label;
} state_choices[] = {
	{"", "Open and acknowledged"},
	{"open", "Open"},
	{"acknowledged", "Acknowledged"},
	{"closed", "Closed"},
	{"all", "All"},
};

static const char *rule_label(const char *rule)
{
	for (size_t i = 0; i < N(rule_labels); i++)
		if (rule != NULL && strcmp(rule, rule_labels[i].rule) == 0)
			return rule_labels[i].label;
	return rule != NULL ? rule : "-";
}

static const char *state_label(const char *state)
{
	if (state == NULL)
		return "-";
	if (strcmp(state, "open") == 0)
		return "Open";
	if (strcmp(state, "acknowledged") == 0)
		return "Acknowledged";
	if (strcmp(state, "closed") == 0)
		return "Closed";
	if (strcmp(state, "note") == 0)
		return "Note added";
	return state;
}


static void unavailable(struct wreq *r)
{
	web_page_message(r, 503, "Not available", "This page is not available on this server.");
}

static void problem(struct html *h, const char *message)
{
	if (message == NULL)
		return;
	html_raw(h, "<div class=\"error-summary\" role=\"alert\"><h2>There is a problem</h2><p>");
	html_text(h, message);
	html_raw(h, "</p></div>");
}

static int64_t json_time(json_t *o, const char *key)
{
	int64_t ms = 0;
	const char *s = json_string_value(json_object_get(o, key));

	if (s == NULL || sbtime_parse(s, &ms) < 0)
		return 0;
	return ms;
}

static void local_text(int64_t ms, const char *fmt, char *buf, size_t n)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	if (ms <= 0 || localtime_r(&t, &tm) == NULL || strftime(buf, n, fmt, &tm) == 0)
		snprintf(buf, n, "-");
}

/* A local date YYYY-MM-DD into its start and the next day's start (23-25 hours later). */
static int parse_day(const char *s, int64_t *start, int64_t *end, int *ymd)
{
	struct sbdate d = {0, 0, 0};

	if (sbdate_parse(s, &d) < 0 || sbdate_local_day_ms(d, start, end) < 0)
		return -EINVAL;
	if (ymd != NULL) {
		ymd[0] = d.year;
		ymd[1] = d.month;
		ymd[2] = d.day;
	}
	return 0;
}

static void local_date(int64_t ms, char *buf, size_t n)
{
	local_text(ms, "%Y-%m-%d", buf, n);
}

/* One line about a breach's detail, from its numbers (the program's own words). */
static void detail_text(const char *rule, json_t *d, char *buf, size_t n)
{
	char when[16];
	double limit = json_number_value(json_object_get(d, "limit"));

	buf[0] = '\0';
	if (rule == NULL) {
		return;
	} else if (strcmp(rule, "out_of_hours_noise") == 0) {
		snprintf(buf, n, "Highest LAeq %.1f dB over %lld periods (limit %.0f dB)",
			 json_number_value(json_object_get(d, "max_laeq")),
			 (long long)json_integer_value(json_object_get(d, "periods")), limit);
	} else if (strcmp(rule, "excess_noise") == 0) {
		snprintf(buf, n, "LAeq over %lld minutes up to %.1f dB (limit %.0f dB)",
			 (long long)json_integer_value(json_object_get(d, "window_min")),
			 json_number_value(json_object_get(d, "max_laeq_window")), limit);
	} else if (strcmp(rule, "sensor_offline") == 0) {
		const char *why = json_string_value(json_object_get(d, "reason"));

		local_text(json_time(d, "last_heard_at"), "%H:%M", when, sizeof(when));
		if (why != NULL && strcmp(why, "last_will") == 0)
			snprintf(buf, n, "Lost its connection (last heard %s)", when);
		else
			snprintf(buf, n, "Not heard since %s", when);
	} else {
		local_text(json_time(d, "opened_at"), "%H:%M", when, sizeof(when));
		if (json_is_integer(json_object_get(d, "grace_min")))
			snprintf(buf, n, "Opened %s, %lld minutes' grace", when,
				 (long long)json_integer_value(json_object_get(d, "grace_min")));
		else if (json_is_integer(json_object_get(d, "limit_s")))
			snprintf(buf, n, "Opened %s, limit %lld s", when,
				 (long long)json_integer_value(json_object_get(d, "limit_s")));
		else
			snprintf(buf, n, "Opened %s", when);
	}
	if (json_is_true(json_object_get(d, "retracted")))
		snprintf(buf + strlen(buf), n - strlen(buf), " (retracted: the door closed in time)");
}

static void option(struct html *h, const char *value, const char *label, const char *cur)
{
	html_raw(h, "<option value=\"");
	html_text(h, value);
	html_raw(h, "\"");
	if (cur != NULL && strcmp(value, cur) == 0)
		html_raw(h, " selected");
	html_raw(h, ">");
	html_text(h, label);
	html_raw(h, "</option>");
}

/* ---- blocks, for the pickers ---- */

struct block_list {
	size_t n;
	struct {
		char id[TOPIC_ID_MAX + 1];
		char name[128];
		int64_t board_version;
	} b[BLOCKS_MAX];
};

static int block_cb(void *ctx, const struct store_block *b, const char *board)
{
	struct block_list *l = ctx;

	(void)board;
	if (l->n >= BLOCKS_MAX)
		return 1;
	snprintf(l->b[l->n].id, sizeof(l->b[0].id), "%s", b->id);
	snprintf(l->b[l->n].name, sizeof(l->b[0].name), "%s", b->name);
	l->b[l->n].board_version = b->board_version;
	l->n++;
	return 0;
}

/* Lock held. */
static void load_blocks(struct wreq *r, struct block_list *l)
{
	l->n = 0;
	store_block_foreach(r->w->store, block_cb, l);
}

static const char *block_name(const struct block_list *l, const char *id)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->b[i].id, id) == 0)
			return l->b[i].name;
	return NULL;
}

static void block_select(struct html *h, const struct block_list *l, const char *cur,
			 const char *any)
{
	html_raw(h, "<div><label for=\"block\">Block</label><select id=\"block\" name=\"block\">");
	if (any != NULL)
		option(h, "", any, cur != NULL ? cur : "");
	for (size_t i = 0; i < l->n; i++)
		option(h, l->b[i].id, l->b[i].name, cur);
	html_raw(h, "</select></div>");
}

/* ---- breaches list ---- */

static int by_start_desc(const void *a, const void *b)
{
	const char *sa = json_string_value(json_object_get(*(json_t *const *)a, "started_at"));
	const char *sb = json_string_value(json_object_get(*(json_t *const *)b, "started_at"));

	return strcmp(sb != NULL ? sb : "", sa != NULL ? sa : "");
}

/* The breaches for the list's state choice; lock held. Returns a new array or NULL. */
static json_t *list_breaches(struct wreq *r, const char *state, const char *block)
{
	struct rules_filter f = {0};
	json_t *all = json_array();
	json_t *part = NULL;
	const char *states[2] = {NULL, NULL};
	size_t n_states = 1;
	json_t **v = NULL;
	size_t n;

	f.block = block;
	if (state[0] == '\0') {
		states[0] = "open";
		states[1] = "acknowledged";
		n_states = 2;
		f.limit = ACTIVE_MAX;
	} else {
		states[0] = strcmp(state, "all") == 0 ? NULL : state;
		f.limit = LIST_MAX;
	}
	for (size_t i = 0; all != NULL && i < n_states; i++) {
		f.state = states[i];
		if (rules_breaches_json(r->w->opt.rules, &f, &part) < 0) {
			json_decref(all);
			return NULL;
		}
		json_array_extend(all, json_object_get(part, "breaches"));
		json_decref(part);
		part = NULL;
	}
	n = json_array_size(all);
	if (n_states == 2 && n > 1) {
		v = calloc(n, sizeof(*v));
		if (v != NULL) {
			for (size_t i = 0; i < n; i++)
				v[i] = json_incref(json_array_get(all, i));
			qsort(v, n, sizeof(*v), by_start_desc);
			json_array_clear(all);
			for (size_t i = 0; i < n; i++)
				json_array_append_new(all, v[i]);
			free(v);
		}
	}
	return all;
}

static void breach_row(struct html *h, json_t *b, const struct block_list *blocks)
{
	char when[64], detail[200];
	const char *rule = json_string_value(json_object_get(b, "rule"));
	const char *state = json_string_value(json_object_get(b, "state"));
	const char *block = json_string_value(json_object_get(b, "block"));
	const char *name = block != NULL ? block_name(blocks, block) : NULL;
	int64_t ended = json_time(b, "ended_at");

	html_fmt(h, "<tr class=\"breach-%s\"><td><a href=\"/staff/breaches/%lld\">#%lld</a></td><td>",
		 state != NULL && strcmp(state, "open") == 0 ? "open" : "other",
		 (long long)json_integer_value(json_object_get(b, "id")),
		 (long long)json_integer_value(json_object_get(b, "id")));
	web_time_text(json_time(b, "started_at"), when, sizeof(when));
	html_text(h, when);
	html_raw(h, "</td><td>");
	if (ended > 0) {
		web_time_text(ended, when, sizeof(when));
		html_text(h, when);
	} else {
		html_raw(h, "Still going");
	}
	html_raw(h, "</td><td>");
	html_text(h, rule_label(rule));
	html_raw(h, "</td><td>");
	html_text(h, name != NULL ? name : block);
	html_raw(h, "</td><td>");
	html_text(h, json_string_value(json_object_get(b, "sensor")));
	html_raw(h, "</td><td>");
	if (state != NULL && strcmp(state, "open") == 0)
		html_raw(h, "<strong class=\"warn\">Open</strong>");
	else
		html_text(h, state_label(state));
	html_raw(h, "</td><td>");
	detail_text(rule, json_object_get(b, "detail"), detail, sizeof(detail));
	html_text(h, detail);
	html_raw(h, "</td></tr>");
}

static void breaches_page(struct wreq *r)
{
	struct block_list *blocks = calloc(1, sizeof(*blocks));
	const char *state = form_get(r->query, "state");
	const char *block = form_get(r->query, "block");
	const char *state_text = NULL;
	json_t *list = NULL;
	char summary[160], updated[16];
	struct html h;
	size_t idx;
	json_t *b;
	size_t n;

	if (blocks == NULL) {
		web_page_message(r, 503, "Sorry, there is a problem", "Please try again.");
		return;
	}
	if (state == NULL)
		state = "";
	for (size_t i = 0; i < N(state_choices); i++)
		if (strcmp(state, state_choices[i].value) == 0)
			state_text = state_choices[i].label;
	if (block != NULL && block[0] == '\0')
		block = NULL;
	if (state_text == NULL || (block != NULL && !topic_id_valid(block))) {
		web_page_message(r, 400, "Unknown choice", "Choose a state and a block from the lists.");
		goto out;
	}
	store_lock(r->w->store);
	load_blocks(r, blocks);
	list = list_breaches(r, state, block);
	store_unlock(r->w->store);
	if (list == NULL) {
		web_page_message(r, 503, "Sorry, there is a problem", "The breaches could not be read.");
		goto out;
	}
	n = json_array_size(list);
	local_text(r->now_ms, "%H:%M:%S", updated, sizeof(updated));
	if (state[0] == '\0')
		snprintf(summary, sizeof(summary), "%zu open or acknowledged %s.", n,
			 n == 1 ? "breach" : "breaches");
	else
		snprintf(summary, sizeof(summary), "%zu %s shown (%s).", n,
			 n == 1 ? "breach" : "breaches", state_text);
	web_page_begin(r, &h, "Breaches");
	html_raw(&h, "<h1>Breaches</h1><p>What the sensors recorded against the working hours and "
		     "the site rules, newest first. Open a breach to acknowledge it with a note.</p>"
		     "<form method=\"get\" action=\"/staff/breaches\" class=\"inline\"><div>"
		     "<label for=\"state\">Show</label><select id=\"state\" name=\"state\">");
	for (size_t i = 0; i < N(state_choices); i++)
		option(&h, state_choices[i].value, state_choices[i].label, state);
	html_raw(&h, "</select></div>");
	block_select(&h, blocks, block, "All blocks");
	html_raw(&h, "<button type=\"submit\">Show</button></form>"
		     "<div class=\"inline\"><p><a href=\"/staff/breaches");
	if (r->in->query != NULL && r->in->query[0] != '\0') {
		/* the same choices: re-encode what was parsed, not the raw query */
		html_raw(&h, "?state=");
		html_text(&h, state);
		if (block != NULL) {
			html_raw(&h, "&amp;block=");
			html_text(&h, block);
		}
	}
	html_raw(&h, "\">Reload the list</a></p><button type=\"button\" id=\"live-toggle\" "
		     "class=\"secondary\" hidden>Pause automatic updates</button></div>"
		     "<p id=\"live-status\" role=\"status\"></p>");
	html_fmt(&h, "<div id=\"live\" data-count=\"%zu\" data-summary=\"", n);
	html_text(&h, summary);
	html_raw(&h, "\"><p>");
	html_text(&h, summary);
	html_raw(&h, " Updated at ");
	html_text(&h, updated);
	html_raw(&h, ".</p>");
	if (n > 0) {
		html_raw(&h, "<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Breaches "
			     "list\"><table><thead><tr><th scope=\"col\">Breach</th>"
			     "<th scope=\"col\">Started</th><th scope=\"col\">Ended</th>"
			     "<th scope=\"col\">What</th><th scope=\"col\">Block</th>"
			     "<th scope=\"col\">Sensor</th><th scope=\"col\">State</th>"
			     "<th scope=\"col\">Detail</th></tr></thead><tbody>");
		json_array_foreach(list, idx, b)
			breach_row(&h, b, blocks);
		html_raw(&h, "</tbody></table></div>");
	}
	html_raw(&h, "</div><p><a href=\"/staff/export\">Export breaches to CSV</a></p><script>");
	html_raw(&h, live_script);
	html_raw(&h, "</script>");
	r->out->csp = r->w->live_csp;
	web_page_end(r, &h, 200);
out:
	json_decref(list);
	free(blocks);
}

/* ---- one breach ---- */



static void breach_page(struct wreq *r, int64_t id, const char *message, int status)
{
	char when[64], day[16], detail[200], block_title[128] = "";
	json_t *b = NULL;
	struct html h;
	const char *rule, *state, *block;
	bool open;
	size_t idx;
	json_t *a;
	int ret;

	store_lock(r->w->store);
	ret = rules_breach_json(r->w->opt.rules, id, &b);
	store_unlock(r->w->store);
	if (ret == -ENOENT) {
		web_not_found(r);
		return;
	}
	if (ret < 0) {
		web_page_message(r, 503, "Sorry, there is a problem", "The breach could not be read.");
		return;
	}
	rule = json_string_value(json_object_get(b, "rule"));
	state = json_string_value(json_object_get(b, "state"));
	block = json_string_value(json_object_get(b, "block"));
	if (block != NULL && topic_id_valid(block)) {
		struct store_block sb;

		store_lock(r->w->store);
		if (store_block_get(r->w->store, block, &sb) == 0) {
			snprintf(block_title, sizeof(block_title), "%s", sb.name);
			store_block_release(&sb);
		}
		store_unlock(r->w->store);
	}
	open = state != NULL && strcmp(state, "open") == 0;
	web_page_begin(r, &h, "Breach");
	html_fmt(&h, "<p><a href=\"/staff/breaches\">All open breaches</a></p><h1>Breach #%lld: ",
		 (long long)id);
	html_text(&h, rule_label(rule));
	html_raw(&h, "</h1>");
	problem(&h, message);
	html_raw(&h, "<dl>");
	web_dd(&h, "State", state_label(state));
	web_dd(&h, "Block", block_title[0] != '\0' ? block_title : block);
	web_dd(&h, "Sensor", json_string_value(json_object_get(b, "sensor")));
	web_time_text(json_time(b, "started_at"), when, sizeof(when));
	web_dd(&h, "Started", when);
	if (json_time(b, "ended_at") > 0)
		web_time_text(json_time(b, "ended_at"), when, sizeof(when));
	else
		snprintf(when, sizeof(when), "Still going");
	web_dd(&h, "Ended", when);
	detail_text(rule, json_object_get(b, "detail"), detail, sizeof(detail));
	web_dd(&h, "Detail", detail);
	html_raw(&h, "</dl>");
	local_date(json_time(b, "started_at"), day, sizeof(day));
	if (block != NULL && topic_id_valid(block)) {
		html_raw(&h, "<p><a href=\"/staff/day?block=");
		html_text(&h, block);
		html_raw(&h, "&amp;date=");
		html_text(&h, day);
		html_raw(&h, "\">Noise and breaches of that day</a></p>");
	}
	html_raw(&h, "<h2>What happened</h2><ol class=\"trail\">");
	json_array_foreach(json_object_get(b, "audit"), idx, a) {
		const char *who = json_string_value(json_object_get(a, "who"));
		const char *note = json_string_value(json_object_get(a, "note"));
		const char *st = NULL;

		web_time_text(json_time(a, "at"), when, sizeof(when));
		html_raw(&h, "<li><p><strong>");
		html_text(&h, when);
		html_raw(&h, "</strong>: ");
		st = json_string_value(json_object_get(a, "state"));
		html_text(&h, st != NULL && strcmp(st, "open") == 0 ? "Opened" : state_label(st));
		html_raw(&h, ", by ");
		html_text(&h, who != NULL && strcmp(who, "rules") == 0 ? "the sensors" : who);
		html_raw(&h, "</p>");
		if (note != NULL) {
			html_raw(&h, "<p class=\"pre note\">");
			html_text(&h, note);
			html_raw(&h, "</p>");
		}
		html_raw(&h, "</li>");
	}
	html_raw(&h, "</ol>");
	html_fmt(&h, "<h2>%s</h2><form method=\"post\" action=\"/staff/breaches/%lld/ack\">",
		 open ? "Acknowledge" : "Add a note", (long long)id);
	web_csrf_field(r, &h);
	html_fmt(&h, "<label for=\"note\">Note</label><span class=\"hint\" id=\"note-hint\">What "
		     "you found or did, and who you told. Up to %d characters.</span>"
		     "<textarea id=\"note\" name=\"note\" rows=\"4\" maxlength=\"%d\" required "
		     "aria-describedby=\"note-hint\"></textarea><button type=\"submit\">%s</button>"
		     "</form>",
		 RULES_NOTE_MAX, RULES_NOTE_MAX, open ? "Acknowledge" : "Add note");
	json_decref(b);
	web_page_end(r, &h, status);
}

static void breach_ack(struct wreq *r, int64_t id)
{
	struct web *w = r->w;
	const char *note = form_get(r->form, "note");
	char target[32], path[64];
	int ret;

	if (note == NULL || strspn(note, " \t\n") == strlen(note)) {
		breach_page(r, id, "Write a note: what you found or did.", 422);
		return;
	}
	if (utf8_chars(note) > RULES_NOTE_MAX) {
		breach_page(r, id, "Make the note 2000 characters or fewer.", 422);
		return;
	}
	snprintf(target, sizeof(target), "breach %lld", (long long)id);
	store_lock(w->store);
	ret = store_begin(w->store);
	if (ret == 0)
		ret = rules_ack(w->opt.rules, id, r->user.name, note, r->now_ms);
	if (ret == 0)
		ret = users_audit(w->users, r->user.name, "breach.ack", target, NULL, r->now_ms);
	if (ret == 0)
		ret = store_commit(w->store);
	else
		store_rollback(w->store);
	store_unlock(w->store);
	if (ret == -ENOENT) {
		web_not_found(r);
		return;
	}
	if (ret < 0) {
		web_page_message(r, 503, "Not saved", "The note could not be saved. Please try again.");
		return;
	}
	rules_kick(w->opt.rules); /* the alert goes out now */
	snprintf(path, sizeof(path), "/staff/breaches/%lld", (long long)id);
	web_redirect(r, path);
}

static void breaches_route(struct wreq *r, char **seg, int n)
{
	int64_t id = 0;

	if (r->w->opt.rules == NULL) {
		unavailable(r);
		return;
	}
	if (n == 1 && !web_is_post(r))
		breaches_page(r);
	else if (n < 2 || web_parse_id(seg[1], &id) < 0)
		web_not_found(r);
	else if (n == 2 && !web_is_post(r))
		breach_page(r, id, NULL, 200);
	else if (n == 3 && strcmp(seg[2], "ack") == 0 && web_is_post(r))
		breach_ack(r, id);
	else
		web_not_found(r);
}

/* ---- hours exceptions ---- */

static void hours_page(struct wreq *r, const char *message, int status)
{
	char path[PATH_MAX_LEN], since[16], weekly[256] = "", when[64];
	const struct form *sent = message != NULL ? r->form : NULL;
	json_t *answer = NULL;
	struct html h;
	size_t idx;
	json_t *e;

	local_date(r->now_ms - EXCEPTIONS_PAST_DAYS * DAY_MS, since, sizeof(since));
	snprintf(path, sizeof(path), "/api/v1/hours/exceptions?from=%s", since);
	if (web_call_api(r, "GET", path, NULL, &answer) != 200) {
		json_decref(answer);
		web_page_message(r, 503, "Not available", "The hours could not be read.");
		return;
	}
	if (r->w->opt.hours != NULL) {
		store_lock(r->w->store);
		if (hours_weekly_text(sitehours_policy(r->w->opt.hours), weekly, sizeof(weekly)) < 0)
			weekly[0] = '\0';
		store_unlock(r->w->store);
	}
	web_page_begin(r, &h, "Working hours");
	html_raw(&h, "<h1>Working hours</h1>");
	problem(&h, message);
	if (weekly[0] != '\0') {
		html_raw(&h, "<p>Every week (site time): <strong>");
		html_text(&h, strcmp(weekly, "none") == 0 ? "no regular hours" : weekly);
		html_raw(&h, "</strong>, except bank holidays and the agreed exceptions below.</p>");
	}
	html_raw(&h, "<h2>Agreed exceptions</h2>");
	if (json_array_size(json_object_get(answer, "exceptions")) == 0) {
		html_raw(&h, "<p>No exceptions from ");
		html_text(&h, since);
		html_raw(&h, " on.</p>");
	} else {
		html_raw(&h, "<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Agreed "
			     "exceptions\"><table><thead><tr><th scope=\"col\">Date</th>"
			     "<th scope=\"col\">Work allowed</th><th scope=\"col\">Why</th>"
			     "<th scope=\"col\">Agreed by</th><th scope=\"col\">Added</th>"
			     "<th scope=\"col\">Change</th></tr></thead><tbody>");
		json_array_foreach(json_object_get(answer, "exceptions"), idx, e) {
			json_int_t id = json_integer_value(json_object_get(e, "id"));

			html_raw(&h, "<tr><td>");
			html_text(&h, json_string_value(json_object_get(e, "date")));
			html_raw(&h, "</td><td>");
			if (json_is_true(json_object_get(e, "closed"))) {
				html_raw(&h, "No work");
			} else {
				html_text(&h, json_string_value(json_object_get(e, "from")));
				html_raw(&h, " to ");
				html_text(&h, json_string_value(json_object_get(e, "to")));
			}
			html_raw(&h, "</td><td>");
			html_text(&h, json_string_value(json_object_get(e, "reason")));
			html_raw(&h, "</td><td>");
			html_text(&h, json_string_value(json_object_get(e, "agreed_by")));
			html_raw(&h, "</td><td>");
			web_time_text(json_time(e, "created_at"), when, sizeof(when));
			html_text(&h, when);
			html_fmt(&h, "</td><td><form method=\"post\" action=\"/staff/hours/%lld\">",
				 (long long)id);
			web_csrf_field(r, &h);
			html_raw(&h, "<input type=\"hidden\" name=\"action\" value=\"delete\">"
				     "<button type=\"submit\" class=\"danger\" aria-label=\"Remove the "
				     "exception of ");
			html_text(&h, json_string_value(json_object_get(e, "date")));
			html_raw(&h, "\">Remove</button></form></td></tr>");
		}
		html_raw(&h, "</tbody></table></div>");
	}
	html_raw(&h, "<h2>Add an exception</h2><p>One date at a time, in site time. It replaces "
		     "that date's usual hours at once, for the breach rules and on every lobby "
		     "screen.</p><form method=\"post\" action=\"/staff/hours\">");
	web_csrf_field(r, &h);
	html_raw(&h, "<label for=\"date\">Date</label><input type=\"date\" id=\"date\" name=\"date\" "
		     "required value=\"");
	html_text(&h, form_get(sent, "date"));
	html_raw(&h, "\"><label for=\"from\">Work allowed from</label><input type=\"time\" "
		     "id=\"from\" name=\"from\" value=\"");
	html_text(&h, form_get(sent, "from"));
	html_raw(&h, "\"><label for=\"to\">Until</label><input type=\"time\" id=\"to\" name=\"to\" "
		     "value=\"");
	html_text(&h, form_get(sent, "to"));
	html_fmt(&h, "\"><label class=\"choice\" for=\"closed\"><input type=\"checkbox\" "
		     "id=\"closed\" name=\"closed\"%s>No work at all that day</label>",
		 form_get(sent, "closed") != NULL ? " checked" : "");
	html_fmt(&h, "<label for=\"reason\">Why</label><input type=\"text\" id=\"reason\" "
		     "name=\"reason\" maxlength=\"%d\" required value=\"",
		 SITEHOURS_TEXT_MAX);
	html_text(&h, form_get(sent, "reason"));
	html_fmt(&h, "\"><label for=\"agreed_by\">Agreed by</label><span class=\"hint\" "
		     "id=\"agreed_by-hint\">Who agreed it and where, for example: Resident panel, "
		     "1 Dec meeting.</span><input type=\"text\" id=\"agreed_by\" name=\"agreed_by\" "
		     "maxlength=\"%d\" required aria-describedby=\"agreed_by-hint\" value=\"",
		 SITEHOURS_TEXT_MAX);
	html_text(&h, form_get(sent, "agreed_by"));
	html_raw(&h, "\"><button type=\"submit\">Add exception</button></form>");
	json_decref(answer);
	web_page_end(r, &h, status);
}

static void hours_add(struct wreq *r)
{
	const char *date = form_get(r->form, "date");
	const char *from = form_get(r->form, "from");
	const char *to = form_get(r->form, "to");
	const char *reason = form_get(r->form, "reason");
	const char *agreed = form_get(r->form, "agreed_by");
	bool closed = form_get(r->form, "closed") != NULL;
	json_t *body = NULL;
	json_t *answer = NULL;
	char detail[64];
	int status;

	if (date == NULL || date[0] == '\0') {
		hours_page(r, "Enter the date.", 422);
		return;
	}
	if (!closed && (from == NULL || from[0] == '\0' || to == NULL || to[0] == '\0')) {
		hours_page(r, "Enter the hours work is allowed, or tick \"No work at all that day\".",
			   422);
		return;
	}
	body = json_pack("{s:s,s:s,s:s}", "date", date, "reason", reason != NULL ? reason : "",
			 "agreed_by", agreed != NULL ? agreed : "");
	if (body != NULL && closed)
		json_object_set_new(body, "closed", json_true());
	else if (body != NULL) {
		json_object_set_new(body, "from", json_string(from));
		json_object_set_new(body, "to", json_string(to));
	}
	status = body != NULL ? web_call_api(r, "POST", "/api/v1/hours/exceptions", body, &answer)
			      : 500;
	if (status == 201) {
		snprintf(detail, sizeof(detail), "%.10s %s", date, closed ? "closed" : "window");
		store_lock(r->w->store);
		users_audit(r->w->users, r->user.name, "hours.exception.add", detail, NULL, r->now_ms);
		store_unlock(r->w->store);
		web_redirect(r, "/staff/hours");
	} else if (status == 403) {
		web_forbidden(r);
	} else {
		char err[256];

		snprintf(err, sizeof(err), "%s", web_api_error(answer));
		hours_page(r, err, status >= 500 ? 503 : 422);
	}
	json_decref(body);
	json_decref(answer);
}

static void hours_remove(struct wreq *r, const char *seg)
{
	char path[PATH_MAX_LEN], target[40];
	const char *action = form_get(r->form, "action");
	json_t *answer = NULL;
	int64_t id = 0;
	int status;

	if (web_parse_id(seg, &id) < 0 || action == NULL || strcmp(action, "delete") != 0) {
		web_not_found(r);
		return;
	}
	snprintf(path, sizeof(path), "/api/v1/hours/exceptions/%lld", (long long)id);
	status = web_call_api(r, "DELETE", path, NULL, &answer);
	if (status == 204) {
		snprintf(target, sizeof(target), "exception %lld", (long long)id);
		store_lock(r->w->store);
		users_audit(r->w->users, r->user.name, "hours.exception.remove", target, NULL,
			    r->now_ms);
		store_unlock(r->w->store);
		web_redirect(r, "/staff/hours");
	} else if (status == 404) {
		web_not_found(r);
	} else {
		web_page_message(r, status == 403 ? 403 : 503, "Not removed", web_api_error(answer));
	}
	json_decref(answer);
}

static void hours_route(struct wreq *r, char **seg, int n)
{
	if (n == 1 && !web_is_post(r))
		hours_page(r, NULL, 200);
	else if (n == 1)
		hours_add(r);
	else if (n == 2 && web_is_post(r))
		hours_remove(r, seg[1]);
	else
		web_not_found(r);
}

/* ---- kiosks and sensors ---- */

struct kiosk_ctx {
	struct html *h;
	const struct block_list *blocks;
	int n;
};

static int kiosk_row(void *ctx, const struct kiosk_status *k)
{
	struct kiosk_ctx *kc = ctx;
	struct html *h = kc->h;
	const char *name = block_name(kc->blocks, k->block);
	int64_t current = -1;
	char when[64];

	for (size_t i = 0; i < kc->blocks->n; i++)
		if (strcmp(kc->blocks->b[i].id, k->block) == 0)
			current = kc->blocks->b[i].board_version;
	kc->n++;
	html_raw(h, "<tr><td>");
	html_text(h, k->id);
	html_raw(h, "</td><td>");
	html_text(h, name != NULL ? name : k->block);
	if (name == NULL)
		html_raw(h, " (no such block)");
	html_raw(h, "</td><td>");
	html_raw(h, k->online ? "Online" : "<strong class=\"warn\">Offline</strong>");
	if (k->display[0] != '\0' && strcmp(k->display, "on") != 0) {
		html_raw(h, " (screen ");
		html_text(h, strcmp(k->display, "off-by-schedule") == 0 ? "off by schedule"
									 : k->display);
		html_raw(h, ")");
	}
	html_raw(h, "</td><td>");
	web_time_text(k->last_seen_ms, when, sizeof(when));
	html_text(h, k->last_seen_ms > 0 ? when : "not since the server started");
	html_raw(h, "</td><td>");
	if (k->board_version >= 0)
		html_fmt(h, "%lld", (long long)k->board_version);
	else
		html_raw(h, "-");
	if (current >= 0)
		html_fmt(h, " of %lld", (long long)current);
	if (k->board_version >= 0 && current > k->board_version)
		html_raw(h, " <strong class=\"warn\">Behind: not showing the latest board</strong>");
	else if (k->board_version >= 0 && current >= 0)
		html_raw(h, " (up to date)");
	html_raw(h, "</td><td>");
	web_time_text(k->shown_at_ms, when, sizeof(when));
	html_text(h, when);
	html_raw(h, "</td><td>");
	html_text(h, k->version[0] != '\0' ? k->version : "-");
	html_raw(h, "</td></tr>");
	return 0;
}

static void sensor_row(struct html *h, json_t *s, const struct block_list *blocks)
{
	const char *block = json_string_value(json_object_get(s, "block"));
	const char *name = block != NULL ? block_name(blocks, block) : NULL;
	json_t *online = json_object_get(s, "online");
	json_t *battery = json_object_get(s, "battery_pct");
	json_int_t gaps = json_integer_value(json_object_get(s, "seq_gaps"));
	char when[64];

	html_raw(h, "<tr><td>");
	html_text(h, json_string_value(json_object_get(s, "id")));
	html_raw(h, "</td><td>");
	html_text(h, name != NULL ? name : block);
	html_raw(h, "</td><td>");
	html_text(h, json_string_value(json_object_get(s, "role")));
	html_raw(h, "</td><td>");
	html_text(h, json_string_value(json_object_get(s, "location")));
	html_raw(h, "</td><td>");
	web_time_text(json_time(s, "last_seen"), when, sizeof(when));
	html_text(h, json_time(s, "last_seen") > 0 ? when : "never");
	html_raw(h, "</td><td>");
	if (json_is_true(online))
		html_raw(h, "Online");
	else if (json_is_false(online))
		html_raw(h, "<strong class=\"warn\">Offline</strong>");
	else
		html_raw(h, "Not reported");
	html_raw(h, "</td><td>");
	if (json_is_integer(battery)) {
		html_fmt(h, "%lld%%", (long long)json_integer_value(battery));
		if (json_integer_value(battery) < BATTERY_LOW)
			html_raw(h, " <strong class=\"warn\">Low</strong>");
	} else {
		html_raw(h, "-");
	}
	html_raw(h, "</td><td>");
	html_fmt(h, "%lld", (long long)gaps);
	html_raw(h, "</td></tr>");
}

static void kiosks_page(struct wreq *r)
{
	struct block_list *blocks = calloc(1, sizeof(*blocks));
	struct kiosk_ctx kc = {0};
	json_t *sensors = NULL;
	struct html h;
	size_t idx;
	json_t *s;
	int ret = 0;

	if (blocks == NULL) {
		web_page_message(r, 503, "Sorry, there is a problem", "Please try again.");
		return;
	}
	if (web_call_api(r, "GET", "/api/v1/sensors", NULL, &sensors) != 200) {
		web_page_message(r, 503, "Not available", "The sensors could not be read.");
		goto out;
	}
	web_page_begin(r, &h, "Kiosks and sensors");
	html_raw(&h, "<h1>Kiosks and sensors</h1><h2>Lobby screens</h2><p>Each screen reports when "
		     "it connects and each time it shows a new board. A screen behind its block's "
		     "board version has not shown the latest change.</p>");
	kc.h = &h;
	kc.blocks = blocks;
	html_raw(&h, "<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Lobby "
		     "screens\"><table><thead><tr><th scope=\"col\">Kiosk</th>"
		     "<th scope=\"col\">Block</th><th scope=\"col\">State</th>"
		     "<th scope=\"col\">Last heard</th><th scope=\"col\">Board version</th>"
		     "<th scope=\"col\">Shown at</th><th scope=\"col\">Software</th></tr></thead>"
		     "<tbody>");
	store_lock(r->w->store);
	load_blocks(r, blocks);
	if (r->w->opt.kiosks != NULL)
		ret = kiosks_foreach(r->w->opt.kiosks, kiosk_row, &kc);
	store_unlock(r->w->store);
	html_raw(&h, "</tbody></table></div>");
	if (kc.n == 0)
		html_raw(&h, "<p>No screen has reported yet.</p>");
	if (ret < 0)
		html_raw(&h, "<p class=\"error\">The list could not be read completely.</p>");
	html_raw(&h, "<h2>Sensors</h2>");
	if (json_array_size(json_object_get(sensors, "sensors")) == 0) {
		html_raw(&h, "<p>No sensors are registered.</p>");
	} else {
		html_raw(&h, "<div class=\"scroll\" tabindex=\"0\" role=\"region\" "
			     "aria-label=\"Sensors\"><table><thead><tr><th scope=\"col\">Sensor</th>"
			     "<th scope=\"col\">Block</th><th scope=\"col\">Role</th>"
			     "<th scope=\"col\">Location</th><th scope=\"col\">Last heard</th>"
			     "<th scope=\"col\">State</th><th scope=\"col\">Battery</th>"
			     "<th scope=\"col\">Lost messages</th></tr></thead><tbody>");
		json_array_foreach(json_object_get(sensors, "sensors"), idx, s)
			sensor_row(&h, s, blocks);
		html_raw(&h, "</tbody></table></div>");
	}
	web_page_end(r, &h, 200);
out:
	json_decref(sensors);
	free(blocks);
}

/* ---- noise day view ---- */

struct periods {
	struct noisechart_period *p;
	size_t n;
	size_t cap;
	bool truncated;
};

static int period_cb(void *ctx, const struct sensordb_event *e, const char *kind)
{
	struct periods *ps = ctx;
	struct noisechart_period *p;

	if (e->door || strcmp(kind, "noise") != 0)
		return 0;
	if (ps->n == ps->cap) {
		size_t cap = ps->cap != 0 ? ps->cap * 2 : 256;
		struct noisechart_period *np = NULL;

		if (cap > PERIODS_MAX) {
			ps->truncated = true;
			return 1;
		}
		np = realloc(ps->p, cap * sizeof(*np));
		if (np == NULL)
			return -ENOMEM;
		ps->p = np;
		ps->cap = cap;
	}
	p = &ps->p[ps->n++];
	p->ts_ms = e->noise.ts_ms != 0 ? e->noise.ts_ms : e->ts_ms;
	p->period_s = e->noise.period_s > 0 ? e->noise.period_s : 1;
	p->has_laeq = e->noise.has_levels;
	p->laeq = e->noise.laeq;
	p->has_lafmax = e->noise.has_levels;
	p->lafmax = e->noise.lafmax;
	return 0;
}

struct noise_sensors {
	size_t n;
	char id[NOISE_SENSORS_MAX][TOPIC_ID_MAX + 1];
	char location[NOISE_SENSORS_MAX][SENSORDB_LOCATION_MAX + 1];
};

static int noise_sensor_cb(void *ctx, const struct sensordb_sensor *s)
{
	struct noise_sensors *ns = ctx;

	if (strcmp(s->kind, "noise") != 0 || ns->n >= NOISE_SENSORS_MAX)
		return 0;
	snprintf(ns->id[ns->n], sizeof(ns->id[0]), "%s", s->id);
	snprintf(ns->location[ns->n], sizeof(ns->location[0]), "%s", s->location);
	ns->n++;
	return 0;
}

static void level_cell(struct html *h, bool has, double v)
{
	if (has)
		html_fmt(h, "<td>%.1f</td>", v);
	else
		html_raw(h, "<td>-</td>");
}

static void hours_table(struct html *h, const struct noisechart *c, const char *label)
{
	struct noisechart_hour hours[NOISECHART_HOURS_MAX];
	int n = noisechart_hours(c, hours, NOISECHART_HOURS_MAX);

	html_raw(h, "<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"");
	html_text(h, label);
	html_raw(h, "\"><table><caption>");
	html_text(h, label);
	html_raw(h, "</caption><thead><tr><th scope=\"col\">Hour</th><th scope=\"col\">LAeq dB</th>"
		    "<th scope=\"col\">Highest LAFmax dB</th><th scope=\"col\">Minutes measured</th>"
		    "<th scope=\"col\">Work permitted</th><th scope=\"col\">Breaches</th></tr>"
		    "</thead><tbody>");
	for (int i = 0; i < n; i++) {
		html_raw(h, "<tr><th scope=\"row\">");
		html_text(h, hours[i].label);
		html_raw(h, "</th>");
		level_cell(h, hours[i].has_laeq, hours[i].laeq);
		level_cell(h, hours[i].has_lafmax, hours[i].lafmax);
		html_fmt(h, "<td>%d</td><td>%s</td><td>%d</td></tr>", hours[i].minutes,
			 hours[i].permitted ? "Yes" : "No", hours[i].breaches);
	}
	html_raw(h, "</tbody></table></div>");
}

static const char legend[] =
	"<ul class=\"legend\">"
	"<li><span class=\"swatch\" style=\"background:#d6ecd9\"></span>Work permitted</li>"
	"<li><span class=\"swatch\" style=\"background:#0b3d6e;height:.3rem\"></span>LAeq of each "
	"period</li>"
	"<li><span class=\"swatch\" style=\"background:#8fb3d9;height:.2rem\"></span>LAFmax (the "
	"loudest moment)</li>"
	"<li><span class=\"swatch\" style=\"background:#a4161a\"></span>Breach</li></ul>";

/* Everything the day view shows, read once; freed by day_release. */
struct day_view {
	struct block_list *blocks;
	struct noise_sensors *ns;
	struct periods ps[NOISE_SENSORS_MAX];
	struct hours_span spans[SPANS_MAX];
	struct noisechart_mark span_marks[SPANS_MAX];
	struct noisechart_mark *bmarks;
	char (*blabels)[160];
	json_t *breaches;
	size_t n_spans;
	size_t n_b;
	const char *block;
	const char *name;
	const char *date;
	const char *message;
	int status;
	int64_t start;
	int64_t end;
	int ymd[3];
	char today[16], prev[16], next[16], when[64];
};

static void day_release(struct day_view *d)
{
	for (size_t i = 0; i < NOISE_SENSORS_MAX; i++)
		free(d->ps[i].p);
	free(d->bmarks);
	free(d->blabels);
	json_decref(d->breaches);
	free(d->ns);
	free(d->blocks);
}

/* The date and block asked for. 0, or -1 with the answer already given. */
static int day_choose(struct wreq *r, struct day_view *d)
{
	struct web *w = r->w;

	local_date(r->now_ms, d->today, sizeof(d->today));
	if (d->date == NULL || d->date[0] == '\0')
		d->date = d->today;
	if (parse_day(d->date, &d->start, &d->end, d->ymd) < 0) {
		d->message = "Enter a date as YYYY-MM-DD. Showing today instead.";
		d->status = 422;
		d->date = d->today;
		parse_day(d->date, &d->start, &d->end, d->ymd);
	}
	store_lock(w->store);
	load_blocks(r, d->blocks);
	store_unlock(w->store);
	if (d->blocks->n == 0) {
		web_page_message(r, 200, "Noise day view", "There are no blocks yet.");
		return -1;
	}
	if (d->block == NULL || d->block[0] == '\0')
		d->block = d->blocks->b[0].id;
	d->name = topic_id_valid(d->block) ? block_name(d->blocks, d->block) : NULL;
	if (d->name == NULL) {
		web_not_found(r);
		return -1;
	}
	return 0;
}

/* The day's permitted spans, noise periods and breaches. 0, or -1 with the answer given. */
static int day_read(struct wreq *r, struct day_view *d)
{
	struct web *w = r->w;
	struct rules_filter f = {0};
	int ret = 0;

	f.block = d->block;
	f.from_ms = d->start;
	f.to_ms = d->end;
	f.limit = DAY_BREACHES_MAX;
	store_lock(w->store);
	if (w->opt.hours != NULL)
		d->n_spans = hours_spans_for_date(sitehours_policy(w->opt.hours), d->ymd[0],
						  d->ymd[1], d->ymd[2], d->spans, SPANS_MAX);
	sensordb_sensor_foreach(w->sensordb, d->block, noise_sensor_cb, d->ns);
	for (size_t i = 0; ret >= 0 && i < d->ns->n; i++) {
		struct sensordb_query q = {d->ns->id[i], NULL, d->start, d->end, PERIODS_MAX + 1, 0};
		int64_t total = 0;

		ret = sensordb_events(w->sensordb, &q, &total, period_cb, &d->ps[i]);
	}
	if (ret >= 0 && w->opt.rules != NULL)
		ret = rules_breaches_json(w->opt.rules, &f, &d->breaches);
	store_unlock(w->store);
	if (ret < 0) {
		web_page_message(r, 503, "Sorry, there is a problem", "The day could not be read.");
		return -1;
	}
	return 0;
}

/* The chart's marks: permitted spans and breaches (labels kept in d). */
static void day_marks(struct day_view *d)
{
	json_t *list = json_object_get(d->breaches, "breaches");

	for (size_t i = 0; i < d->n_spans; i++) {
		d->span_marks[i].start_ms = d->spans[i].start_ms;
		d->span_marks[i].end_ms = d->spans[i].end_ms;
		d->span_marks[i].label = NULL;
	}
	d->n_b = json_array_size(list);
	if (d->n_b > 0) {
		d->bmarks = calloc(d->n_b, sizeof(*d->bmarks));
		d->blabels = calloc(d->n_b, sizeof(*d->blabels));
		if (d->bmarks == NULL || d->blabels == NULL)
			d->n_b = 0;
	}
	for (size_t i = 0; i < d->n_b; i++) {
		json_t *b = json_array_get(list, i);

		d->bmarks[i].start_ms = json_time(b, "started_at");
		d->bmarks[i].end_ms = json_time(b, "ended_at");
		snprintf(d->blabels[i], sizeof(d->blabels[0]), "Breach #%lld: %s, sensor %s",
			 (long long)json_integer_value(json_object_get(b, "id")),
			 rule_label(json_string_value(json_object_get(b, "rule"))),
			 json_string_value(json_object_get(b, "sensor")));
		d->bmarks[i].label = d->blabels[i];
	}
}

/* The heading, the block and date form, the previous/next links and the legend. */
static void day_header(struct html *h, const struct day_view *d)
{
	html_raw(h, "<h1>Noise at ");
	html_text(h, d->name);
	html_raw(h, ", ");
	html_text(h, d->when);
	html_raw(h, "</h1>");
	problem(h, d->message);
	html_raw(h, "<form method=\"get\" action=\"/staff/day\" class=\"inline\">");
	block_select(h, d->blocks, d->block, NULL);
	html_raw(h, "<div><label for=\"date\">Date</label><input type=\"date\" id=\"date\" "
		    "name=\"date\" value=\"");
	html_text(h, d->date);
	html_raw(h, "\"></div><button type=\"submit\">Show</button></form><p class=\"inline\">"
		    "<a href=\"/staff/day?block=");
	html_text(h, d->block);
	html_raw(h, "&amp;date=");
	html_text(h, d->prev);
	html_raw(h, "\">Previous day</a><a href=\"/staff/day?block=");
	html_text(h, d->block);
	html_raw(h, "&amp;date=");
	html_text(h, d->next);
	html_raw(h, "\">Next day</a></p>");
	html_raw(h, legend);
}

/* One sensor's chart and hourly table (i is 0 with no noise sensor: hours and breaches only). */
static void day_chart(struct wreq *r, struct html *h, const struct day_view *d, size_t i)
{
	const struct noise_sensors *ns = d->ns;
	struct noisechart c = {0};
	char label[200], title[320], desc[600], chart_id[48];

	c.day_start_ms = d->start;
	c.day_end_ms = d->end;
	c.now_ms = r->now_ms;
	c.y_min = CHART_DB_MIN;
	c.y_max = CHART_DB_MAX;
	c.spans = d->span_marks;
	c.n_spans = d->n_spans;
	c.breaches = d->bmarks;
	c.n_breaches = d->n_b;
	snprintf(chart_id, sizeof(chart_id), "chart-%zu", i);
	c.id = chart_id;
	if (ns->n > 0) {
		c.periods = d->ps[i].p;
		c.n_periods = d->ps[i].n;
		html_raw(h, "<h2>Sensor ");
		html_text(h, ns->id[i]);
		if (ns->location[i][0] != '\0') {
			html_raw(h, ": ");
			html_text(h, ns->location[i]);
		}
		html_raw(h, "</h2>");
		snprintf(title, sizeof(title), "Noise at %s, sensor %s, %s", d->name, ns->id[i],
			 d->when);
	} else {
		html_raw(h, "<h2>No noise sensor</h2><p>This block has no noise sensor: the "
			    "chart shows the permitted hours and breaches only.</p>");
		snprintf(title, sizeof(title), "Permitted hours and breaches at %s, %s", d->name,
			 d->when);
	}
	snprintf(desc, sizeof(desc),
		 "Sound level in dB (%.0f to %.0f) against local time over the day: %zu "
		 "measuring periods, %zu permitted spans shaded, %zu breaches marked. The "
		 "table below gives the same by hour.",
		 CHART_DB_MIN, CHART_DB_MAX, c.n_periods, d->n_spans, d->n_b);
	c.title = title;
	c.desc = desc;
	html_raw(h, "<div class=\"scroll chart\" tabindex=\"0\" role=\"region\" aria-label=\"");
	html_text(h, title);
	html_raw(h, "\">");
	noisechart_svg(&c, h);
	html_raw(h, "</div>");
	if (d->ps[i].truncated)
		html_raw(h, "<p class=\"error\">Too many periods that day: only the first are "
			    "drawn.</p>");
	if (ns->n > 0)
		snprintf(label, sizeof(label), "Noise levels by hour, sensor %s", ns->id[i]);
	else
		snprintf(label, sizeof(label), "Permitted hours and breaches by hour");
	hours_table(h, &c, label);
}

/* The table of the day's breaches. */
static void day_breaches(struct html *h, const struct day_view *d)
{
	html_raw(h, "<h2>Breaches that day</h2>");
	if (d->n_b == 0) {
		html_raw(h, "<p>None.</p>");
		return;
	}
	html_raw(h, "<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Breaches "
		    "that day\"><table><thead><tr><th scope=\"col\">Breach</th>"
		    "<th scope=\"col\">Started</th><th scope=\"col\">Ended</th>"
		    "<th scope=\"col\">What</th><th scope=\"col\">Block</th>"
		    "<th scope=\"col\">Sensor</th><th scope=\"col\">State</th>"
		    "<th scope=\"col\">Detail</th></tr></thead><tbody>");
	for (size_t i = 0; i < d->n_b; i++)
		breach_row(h, json_array_get(json_object_get(d->breaches, "breaches"), i), d->blocks);
	html_raw(h, "</tbody></table></div>");
}

static void day_page(struct wreq *r)
{
	struct day_view *d = calloc(1, sizeof(*d));
	struct html h;

	if (d != NULL) {
		d->blocks = calloc(1, sizeof(*d->blocks));
		d->ns = calloc(1, sizeof(*d->ns));
	}
	if (d == NULL || d->blocks == NULL || d->ns == NULL) {
		web_page_message(r, 503, "Sorry, there is a problem", "Please try again.");
		goto out;
	}
	d->status = 200;
	d->block = form_get(r->query, "block");
	d->date = form_get(r->query, "date");
	if (day_choose(r, d) < 0 || day_read(r, d) < 0)
		goto out;
	day_marks(d);
	local_date(d->start - DAY_MS / 2, d->prev, sizeof(d->prev));
	local_date(d->end + DAY_MS / 2, d->next, sizeof(d->next));
	local_text(d->start + DAY_MS / 2, "%A %d %B %Y", d->when, sizeof(d->when));

	web_page_begin(r, &h, "Noise day view");
	day_header(&h, d);
	for (size_t i = 0; i < (d->ns->n > 0 ? d->ns->n : 1); i++)
		day_chart(r, &h, d, i);
	day_breaches(&h, d);
	web_page_end(r, &h, d->status);
out:
	if (d != NULL)
		day_release(d);
	free(d);
}

/* ---- breaches CSV ---- */

static void csv_breach(struct html *h, json_t *b, json_t *full)
{
	char *detail = json_dumps(json_object_get(b, "detail"), JSON_COMPACT | JSON_SORT_KEYS);
	struct html trail;
	char *text = NULL;
	size_t len = 0;
	size_t idx;
	json_t *a;

	html_fmt(h, "\"%lld\",", (long long)json_integer_value(json_object_get(b, "id")));
	html_csv(h, json_string_value(json_object_get(b, "rule")));
	html_raw(h, ",");
	html_csv(h, json_string_value(json_object_get(b, "block")));
	html_raw(h, ",");
	html_csv(h, json_string_value(json_object_get(b, "sensor")));
	html_raw(h, ",");
	html_csv(h, json_string_value(json_object_get(b, "started_at")));
	html_raw(h, ",");
	html_csv(h, json_string_value(json_object_get(b, "ended_at")));
	html_raw(h, ",");
	html_csv(h, json_string_value(json_object_get(b, "state")));
	html_raw(h, ",");
	html_csv(h, detail);
	html_raw(h, ",");
	free(detail);
	/* the trail as plain lines, then quoted as one field */
	html_init(&trail, 1024 * 1024);
	json_array_foreach(json_object_get(full, "audit"), idx, a) {
		const char *note = json_string_value(json_object_get(a, "note"));

		html_raw(&trail, json_string_value(json_object_get(a, "at")));
		html_raw(&trail, " ");
		html_raw(&trail, json_string_value(json_object_get(a, "who")));
		html_raw(&trail, " (");
		html_raw(&trail, json_string_value(json_object_get(a, "state")));
		html_raw(&trail, ")");
		if (note != NULL) {
			html_raw(&trail, ": ");
			html_raw(&trail, note);
		}
		html_raw(&trail, "\n");
	}
	if (html_take(&trail, &text, &len) == 0 && len > 0)
		text[len - 1] = '\0';
	html_csv(h, text);
	free(text);
	html_release(&trail);
	html_raw(h, "\r\n");
}

void web_manager_export_breaches(struct wreq *r)
{
	struct web *w = r->w;
	struct rules_filter f = {0};
	const char *from = form_get(r->form, "from");
	const char *to = form_get(r->form, "to");
	int64_t s0, e0, s1, e1;
	json_t *page = NULL;
	char detail[80];
	struct html h;
	size_t got = 0;
	int ret = 0;

	if (w->opt.rules == NULL) {
		unavailable(r);
		return;
	}
	if (parse_day(from, &s0, &e0, NULL) < 0 || parse_day(to, &s1, &e1, NULL) < 0) {
		web_page_message(r, 422, "Enter both dates",
				 "Go back and enter the dates as YYYY-MM-DD.");
		return;
	}
	if (s1 < s0) {
		web_page_message(r, 422, "Dates the wrong way round",
				 "The end date must not be before the start date.");
		return;
	}
	f.from_ms = s0;
	f.to_ms = e1;
	f.limit = EXPORT_PAGE;
	html_init(&h, WEB_EXPORT_MAX);
	html_raw(&h, "id,rule,block,sensor,started_at,ended_at,state,detail,trail\r\n");
	store_lock(w->store);
	do {
		size_t idx;
		json_t *b;

		json_decref(page);
		page = NULL;
		ret = rules_breaches_json(w->opt.rules, &f, &page);
		got = ret == 0 ? json_array_size(json_object_get(page, "breaches")) : 0;
		json_array_foreach(json_object_get(page, "breaches"), idx, b) {
			json_t *full = NULL;

			if (rules_breach_json(w->opt.rules,
					      json_integer_value(json_object_get(b, "id")),
					      &full) < 0)
				ret = -EIO;
			csv_breach(&h, b, full);
			json_decref(full);
		}
		f.offset += EXPORT_PAGE;
	} while (ret == 0 && got == EXPORT_PAGE);
	snprintf(detail, sizeof(detail), "breaches %.10s to %.10s", from, to);
	if (ret == 0)
		users_audit(w->users, r->user.name, "export", "breaches", detail, r->now_ms);
	store_unlock(w->store);
	json_decref(page);
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
		 "attachment; filename=\"breaches-%.10s-to-%.10s.csv\"", from, to);
}

/* ---- set-up and routing ---- */

int web_manager_init(struct web *w)
{
	unsigned char hash[crypto_hash_sha256_BYTES];
	char b64[sodium_base64_ENCODED_LEN(crypto_hash_sha256_BYTES,
					   sodium_base64_VARIANT_ORIGINAL)];
	int len;

	if (sodium_init() < 0)
		return -EIO;
	crypto_hash_sha256(hash, (const unsigned char *)live_script, strlen(live_script));
	sodium_bin2base64(b64, sizeof(b64), hash, sizeof(hash), sodium_base64_VARIANT_ORIGINAL);
	len = snprintf(w->live_csp, sizeof(w->live_csp),
		       "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; "
		       "script-src 'sha256-%s'; connect-src 'self'; form-action 'self'; "
		       "frame-ancestors 'none'; base-uri 'none'",
		       b64);
	return len < 0 || (size_t)len >= sizeof(w->live_csp) ? -ENOSPC : 0;
}

bool web_manager_route(struct wreq *r, char **seg, int n)
{
	bool breaches = strcmp(seg[0], "breaches") == 0;
	bool hours = strcmp(seg[0], "hours") == 0;
	bool kiosks = strcmp(seg[0], "kiosks") == 0;
	bool day = strcmp(seg[0], "day") == 0;

	if (!breaches && !hours && !kiosks && !day)
		return false;
	if (!web_is_manager(r)) {
		web_forbidden(r);
		return true;
	}
	if (breaches)
		breaches_route(r, seg, n);
	else if (hours)
		hours_route(r, seg, n);
	else if (n == 1 && !web_is_post(r) && kiosks)
		kiosks_page(r);
	else if (n == 1 && !web_is_post(r) && day)
		day_page(r);
	else
		web_not_found(r);
	return true;
}
