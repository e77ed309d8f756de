/* SPDX-License-Identifier: MIT */
/*
 * The web pages' front (see web.h): set-up, routing, the page frame, staff
 * sign-in and sign-out, and the tenants' complaint form. Staff pages proper
 * are in web_staff.c.
 */
#include "web/web.h"

/*
 * An Argon2id hash (same cost as users' own) to verify against when the user
 * name is unknown, so the answer takes as long and nobody learns which names
 * exist. A constant, not made at start-up, where hashing would cost the
 * server 64 MiB of memory and a fraction of a second for nothing.
 */
#define DUMMY_HASH \
	"$argon2id$v=19$m=65536,t=2,p=1$BBh4HEmyl+l93KTCzqlOjA$fCJ1MaQq6jLTLDffEPeMONSyIIneCjmd0gTeOURZDp0"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>

#include "siteboard/log.h"
#include "siteboard/sbtime.h"
#include "siteboard/topic.h"
#include "web/web_page.h"

#define DAY_MS (INT64_C(86400) * 1000)
#define PATH_MAX_LEN 512
#define MAX_SEGMENTS 6
#define LOGIN_COOKIE "sb_login"
#define SESSION_COOKIE "sb_session"
#define RATE_KEYS 1024

/* One small stylesheet: large targets, 200% zoom friendly (rem, no fixed widths), AA contrast. */
static const char style[] =
	"*{box-sizing:border-box}"
	"body{margin:0;font:1.125rem/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;"
	"color:#1b1b1b;background:#fff}"
	"header{background:#0b3d6e;color:#fff;padding:.75rem 1rem}"
	"header a,header button{color:#fff}"
	"header p{margin:0;font-weight:600}"
	"nav ul{list-style:none;margin:.5rem 0 0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}"
	"nav form{display:inline}"
	"nav button{background:none;border:0;padding:0;font:inherit;text-decoration:underline;"
	"min-height:0;width:auto;margin:0;cursor:pointer}"
	"main{max-width:44rem;margin:0 auto;padding:1rem}"
	"main.wide{max-width:72rem}"
	"h1{font-size:1.75rem;line-height:1.25;margin:.5rem 0 1rem}"
	"h2{font-size:1.35rem;margin:1.5rem 0 .5rem}"
	"a{color:#0b4f8a}"
	"label,legend{display:block;font-weight:600;margin:1rem 0 .25rem}"
	".hint{display:block;font-weight:400;color:#454545;margin:.1rem 0 .25rem}"
	"input,select,textarea{font:inherit;width:100%;min-height:3rem;padding:.5rem;"
	"border:2px solid #505050;border-radius:.25rem;background:#fff;color:#1b1b1b}"
	"textarea{min-height:9rem}"
	"input[type=radio],input[type=checkbox]{width:1.75rem;min-height:1.75rem;height:1.75rem;"
	"margin:0 .75rem 0 0;flex:none}"
	".choice{display:flex;align-items:center;min-height:3rem;margin:0;font-weight:400}"
	"fieldset{border:0;padding:0;margin:0}"
	"button{font:inherit;font-weight:600;min-height:3rem;padding:.5rem 1.25rem;margin:1.25rem 0;"
	"border:2px solid #0b4f8a;border-radius:.25rem;background:#0b4f8a;color:#fff;cursor:pointer}"
	"button.secondary{background:#fff;color:#0b4f8a}"
	"button.danger{background:#a4161a;border-color:#a4161a}"
	":focus-visible{outline:3px solid #c05600;outline-offset:2px}"
	".error-summary{border:4px solid #a4161a;padding:.5rem 1rem;margin:1rem 0}"
	".error{color:#a4161a;font-weight:600;display:block}"
	".ok{border:4px solid #1d6b33;padding:.5rem 1rem;margin:1rem 0}"
	".ref{font-size:1.5rem;font-weight:700}"
	".trap{display:none}"
	".scroll{overflow-x:auto;margin:.5rem 0}"
	"table{border-collapse:collapse;width:100%}"
	"th,td{border:1px solid #8a8a8a;padding:.4rem .5rem;text-align:left;vertical-align:top}"
	"dl{display:grid;grid-template-columns:minmax(8rem,auto) 1fr;gap:.25rem 1rem}"
	"dt{font-weight:600}dd{margin:0;white-space:pre-wrap;overflow-wrap:anywhere}"
	".pre{white-space:pre-wrap;overflow-wrap:anywhere}"
	".inline{display:flex;flex-wrap:wrap;gap:0 1rem;align-items:center}"
	".inline button{margin:.25rem 0}"
	"img.preview{max-width:100%;height:auto;border:1px solid #505050}"
	"[hidden]{display:none!important}"
	".warn{color:#a4161a;font-weight:700}"
	".inline>div{flex:1 1 12rem}"
	".inline p{margin:.5rem 0}"
	"ol.trail{padding-left:1.5rem}ol.trail p{margin:.25rem 0}"
	".note{border-left:4px solid #8a8a8a;padding-left:.75rem}"
	"svg.noisechart{display:block;width:100%;min-width:40rem;height:auto}"
	"caption{text-align:left;font-weight:600;padding:.25rem 0}"
	".legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1.5rem}"
	".swatch{display:inline-block;width:1.75rem;height:1rem;margin-right:.5rem;"
	"vertical-align:middle}";

bool web_is_post(const struct wreq *r)
{
	return strcmp(r->in->method, "POST") == 0;
}

void web_time_text(int64_t ms, char *buf, size_t n)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	if (ms <= 0 || localtime_r(&t, &tm) == NULL || strftime(buf, n, "%a %d %b %Y, %H:%M", &tm) == 0)
		snprintf(buf, n, "-");
}

static void add_cookie(struct wreq *r, const char *name, const char *value, long max_age)
{
	struct web_response *o = r->out;

	if (o->n_cookies >= WEB_MAX_COOKIES)
		return;
	snprintf(o->cookies[o->n_cookies++], sizeof(o->cookies[0]),
		 "%s=%s; Path=/; Max-Age=%ld; HttpOnly; SameSite=Strict%s", name, value, max_age,
		 r->w->opt.secure_cookies ? "; Secure" : "");
}

void web_redirect(struct wreq *r, const char *location)
{
	r->out->status = 303;
	snprintf(r->out->location, sizeof(r->out->location), "%s", location);
}

bool web_is_manager(const struct wreq *r)
{
	return r->user.role != TOKEN_ROLE_CARETAKER;
}

int web_parse_id(const char *s, int64_t *id)
{
	char *end = NULL;
	long long v;

	if (s[0] < '1' || s[0] > '9' || strlen(s) > 18)
		return -EINVAL;
	v = strtoll(s, &end, 10);
	if (*end != '\0')
		return -EINVAL;
	*id = v;
	return 0;
}

void web_dd(struct html *h, const char *term, const char *value)
{
	html_raw(h, "<dt>");
	html_raw(h, term);
	html_raw(h, "</dt><dd>");
	html_text(h, value != NULL && value[0] != '\0' ? value : "-");
	html_raw(h, "</dd>");
}

void web_csrf_field(struct wreq *r, struct html *h)
{
	html_raw(h, "<input type=\"hidden\" name=\"csrf\" value=\"");
	html_text(h, r->csrf);
	html_raw(h, "\">");
}

void web_page_begin(struct wreq *r, struct html *h, const char *title)
{
	html_init(h, WEB_PAGE_MAX);
	html_raw(h, "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\">"
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
		    "<title>");
	html_text(h, title);
	html_raw(h, " - ");
	html_text(h, r->w->opt.site->name);
	html_raw(h, "</title><style>");
	html_raw(h, style);
	html_raw(h, "</style></head><body><header><p>");
	html_text(h, r->w->opt.site->name);
	html_raw(h, "</p>");
	if (r->signed_in) {
		html_raw(h, "<nav aria-label=\"Staff pages\"><ul><li><a href=\"/staff/\">Home</a></li>");
		if (r->user.role != TOKEN_ROLE_CARETAKER)
			html_raw(h, "<li><a href=\"/staff/breaches\">Breaches</a></li>"
				    "<li><a href=\"/staff/day\">Noise</a></li>"
				    "<li><a href=\"/staff/hours\">Hours</a></li>"
				    "<li><a href=\"/staff/kiosks\">Kiosks and sensors</a></li>"
				    "<li><a href=\"/staff/complaints\">Complaints</a></li>"
				    "<li><a href=\"/staff/export\">Export</a></li>"
				    "<li><a href=\"/staff/audit\">Audit log</a></li>");
		html_raw(h, "<li><form method=\"post\" action=\"/logout\">");
		web_csrf_field(r, h);
		html_raw(h, "<button type=\"submit\">Sign out ");
		html_text(h, r->user.name);
		html_raw(h, "</button></form></li></ul></nav>");
	}
	html_raw(h, "</header>\n<main id=\"main\"");
	if (r->signed_in)
		html_raw(h, " class=\"wide\"");
	html_raw(h, ">");
}

void web_page_end(struct wreq *r, struct html *h, int status)
{
	struct web_response *o = r->out;
	int ret;

	html_raw(h, "</main></body></html>\n");
	free(o->body);
	o->body = NULL;
	ret = html_take(h, &o->body, &o->len);
	html_release(h);
	o->content_type = "text/html; charset=utf-8";
	o->status = ret == 0 ? status : 500;
}

void web_page_message(struct wreq *r, int status, const char *title, const char *text)
{
	struct html h;

	web_page_begin(r, &h, title);
	html_raw(&h, "<h1>");
	html_text(&h, title);
	html_raw(&h, "</h1><p>");
	html_text(&h, text);
	html_raw(&h, "</p>");
	web_page_end(r, &h, status);
}

/* ---- tenants' complaint form ---- */

struct complaint_form {
	const char *block_id;
	struct store_block block;
	const struct form *values; /* what was sent, to fill the form again; may be NULL */
	const char *bad_field;     /* NULL or the field to mark */
	const char *message;       /* NULL or the error text */
};

static void value_attr(struct html *h, const struct form *f, const char *name)
{
	const char *v = form_get(f, name);

	if (v != NULL) {
		html_raw(h, " value=\"");
		html_text(h, v);
		html_raw(h, "\"");
	}
}

static void field_error(struct html *h, const struct complaint_form *cf, const char *name)
{
	if (cf->bad_field == NULL || strcmp(cf->bad_field, name) != 0)
		return;
	html_fmt(h, "<span class=\"error\" id=\"%s-error\">Error: ", name);
	html_text(h, cf->message);
	html_raw(h, "</span>");
}

static void described_by(struct html *h, const struct complaint_form *cf, const char *name,
			 const char *hint)
{
	bool bad = cf->bad_field != NULL && strcmp(cf->bad_field, name) == 0;

	if (!bad && hint == NULL)
		return;
	html_raw(h, " aria-describedby=\"");
	if (hint != NULL)
		html_raw(h, hint);
	if (bad)
		html_fmt(h, "%s%s-error", hint != NULL ? " " : "", name);
	html_raw(h, "\"");
	if (bad)
		html_raw(h, " aria-invalid=\"true\"");
}

static void text_input(struct html *h, const struct complaint_form *cf, const char *name,
		       const char *label, const char *type, const char *autocomplete, int max,
		       const char *hint)
{
	char hint_id[48];

	snprintf(hint_id, sizeof(hint_id), "%s-hint", name);
	html_fmt(h, "<label for=\"%s\">", name);
	html_raw(h, label);
	html_raw(h, "</label>");
	if (hint != NULL) {
		html_fmt(h, "<span class=\"hint\" id=\"%s\">", hint_id);
		html_raw(h, hint);
		html_raw(h, "</span>");
	}
	field_error(h, cf, name);
	html_fmt(h, "<input id=\"%s\" name=\"%s\" type=\"%s\" autocomplete=\"%s\" maxlength=\"%d\"",
		 name, name, type, autocomplete, max);
	described_by(h, cf, name, hint != NULL ? hint_id : NULL);
	value_attr(h, cf->values, name);
	html_raw(h, ">");
}

static void radios(struct html *h, const struct complaint_form *cf, const char *name,
		   const char *legend, const char *hint, const struct complaint_choice *c,
		   size_t n)
{
	const char *chosen = form_get(cf->values, name);
	bool bad = cf->bad_field != NULL && strcmp(cf->bad_field, name) == 0;

	html_fmt(h, "<fieldset id=\"%s\"", name);
	if (hint != NULL || bad) {
		html_raw(h, " aria-describedby=\"");
		if (hint != NULL)
			html_fmt(h, "%s-hint", name);
		if (bad)
			html_fmt(h, "%s%s-error", hint != NULL ? " " : "", name);
		html_raw(h, "\"");
	}
	html_raw(h, "><legend>");
	html_raw(h, legend);
	html_raw(h, "</legend>");
	if (hint != NULL) {
		html_fmt(h, "<span class=\"hint\" id=\"%s-hint\">", name);
		html_raw(h, hint);
		html_raw(h, "</span>");
	}
	field_error(h, cf, name);
	for (size_t i = 0; i < n; i++) {
		html_fmt(h, "<label class=\"choice\" for=\"%s-%s\"><input type=\"radio\" id=\"%s-%s\" "
			    "name=\"%s\" value=\"%s\"",
			 name, c[i].value, name, c[i].value, name, c[i].value);
		if (chosen != NULL && strcmp(chosen, c[i].value) == 0)
			html_raw(h, " checked");
		html_raw(h, ">");
		html_raw(h, c[i].label);
		html_raw(h, "</label>");
	}
	html_raw(h, "</fieldset>");
}

static void tenant_form(struct wreq *r, const struct complaint_form *cf, int status)
{
	struct web *w = r->w;
	struct html h;
	char title[256];
	const char *desc = form_get(cf->values, "description");

	snprintf(title, sizeof(title), "Make a complaint about the works at %s", cf->block.name);
	web_page_begin(r, &h, "Make a complaint");
	if (cf->message != NULL) {
		html_raw(&h, "<div class=\"error-summary\" role=\"alert\" aria-labelledby=\"error-title\">"
			     "<h2 id=\"error-title\">There is a problem</h2><p><a href=\"#");
		html_text(&h, cf->bad_field != NULL ? cf->bad_field : "main");
		html_raw(&h, "\">");
		html_text(&h, cf->message);
		html_raw(&h, "</a></p></div>");
	}
	html_raw(&h, "<h1>");
	html_text(&h, title);
	html_raw(&h, "</h1><p>");
	/* The address alone when it names the block already ("Tower A, Barton Hill"). */
	if (cf->block.address != NULL && cf->block.address[0] != '\0' &&
	    strncmp(cf->block.address, cf->block.name, strlen(cf->block.name)) == 0) {
		html_text(&h, cf->block.address);
	} else {
		html_text(&h, cf->block.name);
		if (cf->block.address != NULL && cf->block.address[0] != '\0') {
			html_raw(&h, ", ");
			html_text(&h, cf->block.address);
		}
	}
	html_raw(&h, ". Works by ");
	html_text(&h, w->opt.site->contractor != NULL ? w->opt.site->contractor
						      : w->opt.site->name);
	html_raw(&h, ".</p><p>Tell us what went wrong. The site manager reads every complaint.</p>");
	html_raw(&h, "<form method=\"post\" action=\"/c/");
	html_text(&h, cf->block_id);
	html_raw(&h, "\" novalidate>");
	radios(&h, cf, "category", "What is your complaint about?", NULL, complaint_categories,
	       complaint_n_categories);
	html_raw(&h, "<label for=\"description\">What happened?</label>"
		     "<span class=\"hint\" id=\"description-hint\">Say when and where, if you can.</span>");
	field_error(&h, cf, "description");
	html_fmt(&h, "<textarea id=\"description\" name=\"description\" rows=\"6\" maxlength=\"%d\"",
		 COMPLAINT_DESCRIPTION_MAX);
	described_by(&h, cf, "description", "description-hint");
	html_raw(&h, ">");
	html_text(&h, desc);
	html_raw(&h, "</textarea>");
	html_raw(&h, "<h2>Your details (optional)</h2><p id=\"privacy\">We use your details only to "
		     "deal with this complaint and to contact you about it. Only the site managers "
		     "can see them; they are never shown on the lobby screen or passed on. ");
	html_fmt(&h, "We erase them %ld days after your complaint is closed.", w->opt.retention_days);
	html_raw(&h, " Without them we can still look into the problem, but we cannot tell you "
		     "what we did.</p>");
	text_input(&h, cf, "name", "Your name", "text", "name", COMPLAINT_NAME_MAX, NULL);
	text_input(&h, cf, "flat", "Flat number", "text", "address-line2", COMPLAINT_FLAT_MAX, NULL);
	text_input(&h, cf, "phone", "Phone number", "tel", "tel", COMPLAINT_PHONE_MAX, NULL);
	text_input(&h, cf, "email", "Email address", "email", "email", COMPLAINT_EMAIL_MAX, NULL);
	radios(&h, cf, "contact_pref", "How should we contact you?", NULL, complaint_contact_prefs,
	       complaint_n_contact_prefs);
	html_raw(&h, "<div class=\"trap\" aria-hidden=\"true\"><label for=\"website\">Leave this "
		     "empty</label><input id=\"website\" name=\"website\" type=\"text\" "
		     "tabindex=\"-1\" autocomplete=\"off\"></div>");
	html_raw(&h, "<button type=\"submit\">Send complaint</button></form>");
	web_page_end(r, &h, status);
}

static int load_block(struct wreq *r, const char *id, struct store_block *b)
{
	int ret;

	if (!topic_id_valid(id))
		return -ENOENT;
	store_lock(r->w->store);
	ret = store_block_get(r->w->store, id, b);
	store_unlock(r->w->store);
	return ret;
}

static void announce(struct wreq *r, const char *ref, const char *block, const char *category)
{
	char when[SBTIME_BUFSZ];
	json_t *o = NULL;
	char *text = NULL;

	if (r->w->opt.alert == NULL)
		return;
	sbtime_format(r->now_ms, when, sizeof(when));
	/* reference, block, category and time only: never the description or contact details */
	o = json_pack("{s:s,s:s,s:s,s:s,s:s}", "complaint", ref, "state", "open", "block", block,
		      "category", category, "received_at", when);
	text = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;
	if (text != NULL)
		r->w->opt.alert(r->w->opt.alert_ctx, text);
	free(text);
	json_decref(o);
}

static void tenant_submit(struct wreq *r, struct complaint_form *cf)
{
	struct web *w = r->w;
	struct complaint_in in = {0};
	char msg[200];
	char ref[COMPLAINT_REF_MAX];
	int64_t id = 0;
	struct html h;
	const char *trap = form_get(r->form, "website");
	int ret;

	in.category = form_get(r->form, "category");
	in.description = form_get(r->form, "description");
	in.name = form_get(r->form, "name");
	in.flat = form_get(r->form, "flat");
	in.phone = form_get(r->form, "phone");
	in.email = form_get(r->form, "email");
	in.contact_pref = form_get(r->form, "contact_pref");
	cf->values = r->form;
	if (complaints_check(&in, &cf->bad_field, msg, sizeof(msg)) < 0) {
		cf->message = msg;
		tenant_form(r, cf, 422);
		return;
	}
	if (!ratelimit_take(w->form_rl, r->in->client, r->now_ms)) {
		web_page_message(r, 429, "Too many complaints",
				 "You have sent several complaints in the last few minutes. "
				 "Please wait ten minutes and try again, or phone the site "
				 "contact shown on the lobby screen.");
		return;
	}
	if (trap != NULL && trap[0] != '\0') {
		log_info("complaint form: hidden field filled in, not stored");
		web_page_message(r, 200, "Thank you", "Your complaint has been sent.");
		return;
	}
	store_lock(w->store);
	ret = complaints_add(w->complaints, &in, cf->block_id, cf->block.name, cf->block.address,
			     r->now_ms, &id, ref);
	if (ret == 0)
		users_audit(w->users, "tenant", "complaint.create", ref, NULL, r->now_ms);
	store_unlock(w->store);
	if (ret < 0) {
		web_page_message(r, 503, "Sorry, there is a problem",
				 "Your complaint could not be saved. Please try again later.");
		return;
	}
	log_info("complaint %s received for block %s", ref, cf->block_id);
	announce(r, ref, cf->block_id, in.category);
	web_page_begin(r, &h, "Complaint sent");
	html_raw(&h, "<div class=\"ok\" role=\"status\"><h1>Complaint sent</h1><p>Your reference is</p>"
		     "<p class=\"ref\" id=\"reference\">");
	html_text(&h, ref);
	html_raw(&h, "</p></div><h2>What happens next</h2><p>The site manager will look into your "
		     "complaint. If you left contact details, they will contact you ");
	if (in.contact_pref != NULL && in.contact_pref[0] != '\0') {
		html_raw(&h, "the way you asked (");
		html_text(&h, complaint_label(complaint_contact_prefs, complaint_n_contact_prefs,
					      in.contact_pref));
		html_raw(&h, ")");
	} else {
		html_raw(&h, "by phone, email or letter");
	}
	html_raw(&h, " to tell you what they found and what they will do.</p><p>Quote your "
		     "reference if you contact the site team about this complaint.</p><p><a href=\"/c/");
	html_text(&h, cf->block_id);
	html_raw(&h, "\">Make another complaint</a></p>");
	web_page_end(r, &h, 201);
}

static void route_tenant(struct wreq *r, char **seg, int n)
{
	struct complaint_form cf = {0};
	int ret;

	if (n != 2) {
		web_page_message(r, 404, "Page not found", "There is no page at this address.");
		return;
	}
	cf.block_id = seg[1];
	ret = load_block(r, seg[1], &cf.block);
	if (ret == -ENOENT) {
		web_page_message(r, 404, "Page not found",
				 "There is no block at this address. Check the link or scan the "
				 "code on the lobby screen again.");
		return;
	}
	if (ret < 0) {
		web_page_message(r, 503, "Sorry, there is a problem", "Please try again later.");
		return;
	}
	if (web_is_post(r))
		tenant_submit(r, &cf);
	else
		tenant_form(r, &cf, 200);
	store_block_release(&cf.block);
}

/* ---- sign-in ---- */

static void login_form(struct wreq *r, int status, const char *message, const char *username)
{
	char token[SESSION_TOKEN_MAX];
	struct html h;

	session_random(token, sizeof(token));
	add_cookie(r, LOGIN_COOKIE, token, 3600);
	web_page_begin(r, &h, "Sign in");
	if (message != NULL) {
		html_raw(&h, "<div class=\"error-summary\" role=\"alert\"><h2>There is a problem</h2><p>");
		html_text(&h, message);
		html_raw(&h, "</p></div>");
	}
	html_raw(&h, "<h1>Sign in</h1><p>For site staff. Tenants: use the link or code on your "
		     "lobby screen to make a complaint.</p><form method=\"post\" action=\"/login\">"
		     "<input type=\"hidden\" name=\"csrf\" value=\"");
	html_text(&h, token);
	html_raw(&h, "\"><label for=\"username\">Username</label><input id=\"username\" "
		     "name=\"username\" type=\"text\" autocomplete=\"username\" autocapitalize=\"none\" "
		     "maxlength=\"40\" required");
	if (username != NULL) {
		html_raw(&h, " value=\"");
		html_text(&h, username);
		html_raw(&h, "\"");
	}
	html_raw(&h, "><label for=\"password\">Password</label><input id=\"password\" "
		     "name=\"password\" type=\"password\" autocomplete=\"current-password\" "
		     "maxlength=\"200\" required><button type=\"submit\">Sign in</button></form>");
	web_page_end(r, &h, status);
}

static void login_submit(struct wreq *r)
{
	struct web *w = r->w;
	char cookie[SESSION_TOKEN_MAX];
	char hash[USERS_HASH_MAX] = "";
	char token[SESSION_TOKEN_MAX];
	char csrf[SESSION_TOKEN_MAX];
	char name_key[RATELIMIT_KEY_MAX + 1];
	struct user u;
	const char *name = form_get(r->form, "username");
	const char *pw = form_get(r->form, "password");
	bool found = false;
	bool ok = false;
	int ret;

	if (form_cookie(r->in->cookie, LOGIN_COOKIE, cookie, sizeof(cookie)) < 0 ||
	    !session_csrf_ok(cookie, form_get(r->form, "csrf"))) {
		login_form(r, 403, "The sign-in form had expired. Please try again.", NULL);
		return;
	}
	if (name == NULL || pw == NULL || name[0] == '\0' || pw[0] == '\0') {
		login_form(r, 422, "Enter your username and password.", name);
		return;
	}
	snprintf(name_key, sizeof(name_key), "user:%.40s", name);
	/*
	 * Count the attempt while it runs (take), not after: sign-ins run at
	 * once on their own threads, and a check now with a hit after the
	 * 75 ms hash would let any number of guesses sent together through.
	 */
	if (!ratelimit_take(w->login_rl, r->in->client, r->now_ms)) {
		login_form(r, 429, "Too many failed attempts. Wait 15 minutes and try again.", name);
		return;
	}
	if (!ratelimit_take(w->login_rl, name_key, r->now_ms)) {
		ratelimit_untake(w->login_rl, r->in->client, r->now_ms);
		login_form(r, 429, "Too many failed attempts. Wait 15 minutes and try again.", name);
		return;
	}
	if (users_name_valid(name)) {
		store_lock(w->store);
		found = users_find(w->users, name, &u, hash) == 0;
		store_unlock(w->store);
	}
	/* the same work whether or not the user exists */
	ok = users_check_password(found ? hash : DUMMY_HASH, pw) && found;
	if (!ok) {
		log_info("sign-in failed from %s", r->in->client);
		login_form(r, 401, "The username or password is not right.", name);
		return;
	}
	ratelimit_untake(w->login_rl, r->in->client, r->now_ms);
	ratelimit_clear(w->login_rl, name_key);
	store_lock(w->store);
	ret = session_create(w->sessions, u.id, r->now_ms, token, csrf);
	if (ret == 0) {
		session_purge(w->sessions, r->now_ms);
		users_audit(w->users, u.name, "session.signin", u.name, NULL, r->now_ms);
	}
	store_unlock(w->store);
	if (ret < 0) {
		web_page_message(r, 503, "Sorry, there is a problem", "Please try again later.");
		return;
	}
	log_info("%s signed in", u.name);
	add_cookie(r, SESSION_COOKIE, token, (long)(SESSION_TTL_MS / 1000));
	add_cookie(r, LOGIN_COOKIE, "x", 0);
	web_redirect(r, "/staff/");
}

/* Look up the session cookie; fills r->user and r->csrf. */
static void find_session(struct wreq *r)
{
	char token[SESSION_TOKEN_MAX];
	int64_t uid = 0;
	int ret;

	if (form_cookie(r->in->cookie, SESSION_COOKIE, token, sizeof(token)) < 0)
		return;
	store_lock(r->w->store);
	ret = session_find(r->w->sessions, token, r->now_ms, &uid, r->csrf);
	if (ret == 0)
		ret = users_get(r->w->users, uid, &r->user);
	store_unlock(r->w->store);
	r->signed_in = ret == 0;
}

static void logout(struct wreq *r)
{
	char token[SESSION_TOKEN_MAX];

	if (!web_is_post(r)) {
		web_page_message(r, 405, "Use the Sign out button", "Sign out from any staff page.");
		return;
	}
	if (!r->signed_in) {
		web_redirect(r, "/login");
		return;
	}
	if (!session_csrf_ok(r->csrf, form_get(r->form, "csrf"))) {
		web_page_message(r, 403, "The form had expired",
				 "Go back, reload the page and try again.");
		return;
	}
	if (form_cookie(r->in->cookie, SESSION_COOKIE, token, sizeof(token)) == 0) {
		store_lock(r->w->store);
		session_delete(r->w->sessions, token);
		users_audit(r->w->users, r->user.name, "session.signout", r->user.name, NULL,
			    r->now_ms);
		store_unlock(r->w->store);
	}
	r->signed_in = false;
	add_cookie(r, SESSION_COOKIE, "x", 0);
	web_redirect(r, "/login");
}

/* ---- set-up and dispatch ---- */

int web_purge(struct web *w, int64_t now_ms)
{
	char detail[64];
	int n = 0;
	int ret;

	store_lock(w->store);
	ret = complaints_purge(w->complaints, w->opt.retention_days, now_ms, &n);
	if (ret == 0 && n > 0) {
		snprintf(detail, sizeof(detail), "%d complaints anonymised", n);
		users_audit(w->users, "system", "complaints.purge", NULL, detail, now_ms);
	}
	if (ret == 0)
		session_purge(w->sessions, now_ms);
	store_unlock(w->store);
	if (ret < 0)
		return ret;
	if (n > 0)
		log_info("privacy: contact details of %d closed complaints erased", n);
	pthread_mutex_lock(&w->mutex);
	w->last_purge_ms = now_ms;
	pthread_mutex_unlock(&w->mutex);
	return n;
}

int web_open(struct store *store, struct api *api, const struct web_options *opt,
	     struct web **out)
{
	struct web *w = calloc(1, sizeof(*w));
	int ret = -EIO;

	*out = NULL;
	if (w == NULL)
		return -ENOMEM;
	pthread_mutex_init(&w->mutex, NULL);
	w->store = store;
	w->api = api;
	w->opt = *opt;
	if (w->opt.retention_days < 0)
		w->opt.retention_days = WEB_RETENTION_DEFAULT_DAYS;
	store_lock(store);
	ret = users_open(store, &w->users);
	if (ret == 0)
		ret = session_open(store, &w->sessions);
	if (ret == 0)
		ret = complaints_open(store, &w->complaints);
	if (ret == 0)
		ret = sensordb_open(store, &w->sensordb);
	store_unlock(store);
	if (ret == 0)
		ret = web_manager_init(w);
	if (ret < 0)
		goto fail;
	ret = ratelimit_open(WEB_COMPLAINT_LIMIT, WEB_COMPLAINT_WINDOW_MS, RATE_KEYS, &w->form_rl);
	if (ret == 0)
		ret = ratelimit_open(WEB_LOGIN_LIMIT, WEB_LOGIN_WINDOW_MS, RATE_KEYS, &w->login_rl);
	if (ret < 0)
		goto fail;
	ret = preview_open(opt->font != NULL ? opt->font : PREVIEW_FONT,
			   opt->font_bold != NULL ? opt->font_bold : PREVIEW_FONT_BOLD, &w->preview);
	if (ret < 0)
		log_warn("web: kiosk previews unavailable (fonts)");
	if (web_purge(w, sbtime_now_ms()) < 0) {
		ret = -EIO;
		goto fail;
	}
	*out = w;
	return 0;
fail:
	web_close(w);
	return ret;
}

void web_close(struct web *w)
{
	if (w == NULL)
		return;
	preview_close(w->preview);
	ratelimit_close(w->form_rl);
	ratelimit_close(w->login_rl);
	if (w->store != NULL)
		store_lock(w->store);
	complaints_close(w->complaints);
	sensordb_close(w->sensordb);
	session_close(w->sessions);
	users_close(w->users);
	if (w->store != NULL)
		store_unlock(w->store);
	pthread_mutex_destroy(&w->mutex);
	free(w);
}

bool web_handles(const char *path)
{
	return strcmp(path, "/") == 0 || strncmp(path, "/c/", 3) == 0 ||
	       strcmp(path, "/login") == 0 || strcmp(path, "/logout") == 0 ||
	       strcmp(path, "/staff") == 0 || strncmp(path, "/staff/", 7) == 0;
}

void web_response_release(struct web_response *r)
{
	if (r == NULL)
		return;
	free(r->body);
	r->body = NULL;
}

static bool is_form_type(const char *ct)
{
	return ct != NULL && strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0;
}

static void maybe_purge(struct web *w, int64_t now_ms)
{
	bool due;

	pthread_mutex_lock(&w->mutex);
	due = now_ms - w->last_purge_ms >= DAY_MS;
	pthread_mutex_unlock(&w->mutex);
	if (due)
		web_purge(w, now_ms);
}

static void dispatch(struct wreq *r, char **seg, int n)
{
	if (strcmp(seg[0], "") == 0 && n == 1) {
		web_redirect(r, "/staff/");
		return;
	}
	if (strcmp(seg[0], "c") == 0) {
		route_tenant(r, seg, n);
		return;
	}
	find_session(r);
	if (strcmp(seg[0], "login") == 0 && n == 1) {
		if (web_is_post(r))
			login_submit(r);
		else if (r->signed_in)
			web_redirect(r, "/staff/");
		else
			login_form(r, 200, NULL, NULL);
		return;
	}
	if (strcmp(seg[0], "logout") == 0 && n == 1) {
		logout(r);
		return;
	}
	/* /staff... */
	r->out->private_page = true;
	if (!r->signed_in) {
		if (web_is_post(r))
			web_page_message(r, 403, "Sign in first",
					 "Your session has ended. Sign in again and repeat the change.");
		else
			web_redirect(r, "/login");
		return;
	}
	if (web_is_post(r) && !session_csrf_ok(r->csrf, form_get(r->form, "csrf"))) {
		web_page_message(r, 403, "The form had expired",
				 "Go back, reload the page and try again.");
		return;
	}
	web_staff_route(r, seg + 1, n - 1);
}

int web_handle(struct web *w, const struct web_request *req, struct web_response *out)
{
	struct wreq r = {.w = w, .in = req, .out = out};
	char buf[PATH_MAX_LEN];
	char *seg[MAX_SEGMENTS + 1] = {NULL};
	char *p = NULL;
	int n = 0;
	int ret;

	memset(out, 0, sizeof(*out));
	r.now_ms = sbtime_now_ms();
	maybe_purge(w, r.now_ms);
	if (strlen(req->path) >= sizeof(buf) || req->path[0] != '/') {
		web_page_message(&r, 404, "Page not found", "There is no page at this address.");
		goto out;
	}
	if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0 &&
	    strcmp(req->method, "POST") != 0) {
		web_page_message(&r, 405, "Not allowed", "This page only answers GET and POST.");
		goto out;
	}
	ret = form_parse(req->query, req->query != NULL ? strlen(req->query) : 0, &r.query);
	if (ret == 0 && web_is_post(&r)) {
		if (!is_form_type(req->content_type)) {
			web_page_message(&r, 415, "Unsupported form", "Send the form from the page.");
			goto out;
		}
		ret = form_parse(req->body, req->len, &r.form);
	}
	if (ret == -ENOMEM)
		goto out;
	if (ret == -E2BIG) {
		web_page_message(&r, 413, "Too much text",
				 "The form was too long. Shorten the text and try again.");
		goto out;
	}
	if (ret < 0) {
		web_page_message(&r, 400, "Bad request", "The form could not be read.");
		goto out;
	}
	snprintf(buf, sizeof(buf), "%s", req->path + 1);
	p = buf;
	while (n <= MAX_SEGMENTS) {
		char *slash = strchr(p, '/');

		seg[n++] = p;
		if (slash == NULL)
			break;
		*slash = '\0';
		p = slash + 1;
	}
	/* a trailing slash is the same page: "staff/" is "staff" */
	if (n > 1 && seg[n - 1][0] == '\0')
		n--;
	if (n > MAX_SEGMENTS) {
		web_page_message(&r, 404, "Page not found", "There is no page at this address.");
		goto out;
	}
	dispatch(&r, seg, n);
out:
	form_free(r.query);
	form_free(r.form);
	if (out->status == 0 && out->body == NULL)
		out->status = 500;
	return out->status == 500 && out->body == NULL ? -ENOMEM : 0;
}

int web_http_handler(void *ctx, const struct http_request *req, struct http_response *out)
{
	struct web_request in = {.method = req->method, .path = req->path, .query = req->query,
				 .cookie = req->cookie, .content_type = req->content_type,
				 .client = req->client, .body = req->body, .len = req->len};
	struct web_response r;
	int ret = web_handle(ctx, &in, &r);

	if (ret < 0) {
		web_response_release(&r);
		return ret;
	}
	out->status = r.status;
	out->body = r.body; /* now the caller's */
	out->len = r.len;
	out->content_type = r.content_type;
	snprintf(out->location, sizeof(out->location), "%s", r.location);
	for (int i = 0; i < r.n_cookies && i < HTTP_MAX_COOKIES && i < WEB_MAX_COOKIES; i++)
		snprintf(out->cookies[i], sizeof(out->cookies[i]), "%s", r.cookies[i]);
	out->n_cookies = r.n_cookies < HTTP_MAX_COOKIES ? r.n_cookies : HTTP_MAX_COOKIES;
	snprintf(out->disposition, sizeof(out->disposition), "%s", r.disposition);
	out->page = true;
	out->private_page = r.private_page;
	out->csp = r.csp;
	return 0;
}
