/* SPDX-License-Identifier: MIT */
/*
 * Complaints over the JSON API (see api_complaints.h). Bodies are checked
 * here, once: known keys only, strings where strings belong, then the same
 * complaints_check the web form uses.
 */
#include "access/access.h"
#include "api/api_complaints.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "complaints/complaints.h"
#include "http/form.h"
#include "http/reply.h"
#include "siteboard/log.h"
#include "siteboard/utf8.h"
#include "siteboard/sbtime.h"
#include "siteboard/topic.h"
#include "store/users.h"

#define DAY_MS (INT64_C(86400) * 1000)

struct api_complaints {
	struct store *store;
	struct complaints *complaints;
	struct users *users;
	api_complaints_alert_fn alert;
	void *alert_ctx;
};

struct creq {
	struct api_complaints *c;
	const struct api_complaints_req *in;
	struct reply out;
	char actor[8 + ACCESS_NAME_MAX];
};

int api_complaints_open(struct store *store, api_complaints_alert_fn alert, void *alert_ctx,
			struct api_complaints **out)
{
	struct api_complaints *c = calloc(1, sizeof(*c));
	int ret;

	*out = NULL;
	if (c == NULL)
		return -ENOMEM;
	c->store = store;
	c->alert = alert;
	c->alert_ctx = alert_ctx;
	ret = complaints_open(store, &c->complaints);
	if (ret == 0)
		ret = users_open(store, &c->users);
	if (ret < 0) {
		api_complaints_close(c);
		return ret;
	}
	*out = c;
	return 0;
}

void api_complaints_close(struct api_complaints *c)
{
	if (c == NULL)
		return;
	complaints_close(c->complaints);
	users_close(c->users);
	free(c);
}

static json_t *time_or_null(int64_t ms)
{
	char buf[SBTIME_BUFSZ];

	if (ms <= 0 || sbtime_format(ms, buf, sizeof(buf)) < 0)
		return json_null();
	return json_string(buf);
}

static json_t *complaint_json(const struct complaint *cp, bool contact)
{
	json_t *o = json_pack("{s:I,s:s,s:s,s:s?,s:s?,s:s,s:s,s:s,s:o,s:o,s:b,s:I}", "id",
			      (json_int_t)cp->id, "ref", cp->ref, "block", cp->block, "block_name",
			      cp->block_name, "address", cp->address, "category", cp->category,
			      "description", cp->description, "status", cp->status, "received_at",
			      time_or_null(cp->received_at), "closed_at", time_or_null(cp->closed_at),
			      "anonymised", cp->anonymised_at > 0, "responses",
			      (json_int_t)cp->n_responses);

	if (o != NULL && contact &&
	    json_object_set_new(o, "contact",
				json_pack("{s:s?,s:s?,s:s?,s:s?,s:s?}", "name", cp->name, "flat",
					  cp->flat, "phone", cp->phone, "email", cp->email,
					  "preference", cp->contact_pref)) < 0) {
		json_decref(o);
		o = NULL;
	}
	return o;
}

static int list_cb(void *ctx, const struct complaint *cp)
{
	json_t **arr = ctx;
	const char *contact = json_string_value(json_array_get(arr[1], 0));

	return json_array_append_new(arr[0], complaint_json(cp, contact != NULL)) == 0 ? 0
										       : -ENOMEM;
}

static void list(struct creq *r)
{
	struct complaints_filter f = {0};
	struct form *q = NULL;
	json_t *ctx[2] = {json_array(), json_array()};
	const char *v = NULL;
	int64_t to = 0;
	int ret = form_parse(r->in->query, strlen(r->in->query), &q);

	if (ret < 0) {
		reply_error(&r->out, 400, "the query cannot be read");
		goto out;
	}
	f.status = form_get(q, "status");
	if (f.status != NULL &&
	    complaint_label(complaint_statuses, complaint_n_statuses, f.status) == NULL) {
		reply_error(&r->out, 422, "'status' must be open, in_progress or closed");
		goto out;
	}
	f.block = form_get(q, "block");
	if (f.block != NULL && !topic_id_valid(f.block)) {
		reply_error(&r->out, 422, "'block' must match [a-z0-9-]{1,40}");
		goto out;
	}
	v = form_get(q, "from");
	if (v != NULL && complaints_parse_day(v, &f.from_ms) < 0) {
		reply_error(&r->out, 422, "'from' must be a date YYYY-MM-DD");
		goto out;
	}
	v = form_get(q, "to");
	if (v != NULL) {
		if (complaints_parse_day(v, &to) < 0) {
			reply_error(&r->out, 422, "'to' must be a date YYYY-MM-DD");
			goto out;
		}
		f.to_ms = to + DAY_MS;
	}
	v = form_get(q, "contact");
	if (v != NULL && strcmp(v, "true") == 0)
		json_array_append_new(ctx[1], json_string("yes"));
	else if (v != NULL && strcmp(v, "false") != 0) {
		reply_error(&r->out, 422, "'contact' must be true or false");
		goto out;
	}
	if (ctx[0] == NULL || ctx[1] == NULL ||
	    complaints_foreach(r->c->complaints, &f, list_cb, ctx) != 0) {
		reply_error(&r->out, 500, "internal error");
		goto out;
	}
	reply_json(&r->out, 200, json_pack("{s:O}", "complaints", ctx[0]));
out:
	json_decref(ctx[0]);
	json_decref(ctx[1]);
	form_free(q);
}

/* Parse the body: an object whose keys are all in allowed and whose values are strings or null. */
static json_t *parse_body(struct creq *r, const char *const *allowed)
{
	json_error_t jerr;
	json_t *obj = NULL;
	const char *key = NULL;
	json_t *v = NULL;

	if (r->in->len == 0 || r->in->body == NULL) {
		reply_error(&r->out, 400, "a JSON object body is required");
		return NULL;
	}
	obj = json_loadb(r->in->body, r->in->len, JSON_REJECT_DUPLICATES, &jerr);
	if (obj == NULL || !json_is_object(obj)) {
		reply_error(&r->out, 400, "the body must be a JSON object");
		json_decref(obj);
		return NULL;
	}
	json_object_foreach(obj, key, v) {
		bool known = false;

		for (size_t i = 0; allowed[i] != NULL; i++)
			if (strcmp(allowed[i], key) == 0)
				known = true;
		if (!known) {
			reply_error(&r->out, 422, "unknown field '%.40s'", key);
			json_decref(obj);
			return NULL;
		}
		if (!json_is_string(v) && !json_is_null(v)) {
			reply_error(&r->out, 400, "'%s' must be a string", key);
			json_decref(obj);
			return NULL;
		}
	}
	return obj;
}

static const char *str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static void create(struct creq *r)
{
	static const char *const allowed[] = {"block", "category", "description", "name", "flat",
					      "phone", "email", "contact_pref", NULL};
	struct store_block b = {0};
	struct complaint_in in = {0};
	struct complaint cp = {0};
	const char *field = NULL;
	char msg[200];
	char ref[COMPLAINT_REF_MAX];
	char when[SBTIME_BUFSZ];
	int64_t id = 0;
	int64_t now = sbtime_now_ms();
	json_t *body = parse_body(r, allowed);
	json_t *alert = NULL;
	char *text = NULL;
	int ret;

	if (body == NULL)
		return;
	in.category = str(body, "category");
	in.description = str(body, "description");
	in.name = str(body, "name");
	in.flat = str(body, "flat");
	in.phone = str(body, "phone");
	in.email = str(body, "email");
	in.contact_pref = str(body, "contact_pref");
	if (str(body, "block") == NULL || !topic_id_valid(str(body, "block"))) {
		reply_error(&r->out, 422, "'block' must name a block");
		goto out;
	}
	if (complaints_check(&in, &field, msg, sizeof(msg)) < 0) {
		reply_error(&r->out, 422, "'%s': %s", field, msg);
		goto out;
	}
	ret = store_block_get(r->c->store, str(body, "block"), &b);
	if (ret == -ENOENT) {
		reply_error(&r->out, 422, "'block': no block %s", str(body, "block"));
		goto out;
	}
	if (ret == 0)
		ret = complaints_add(r->c->complaints, &in, b.id, b.name, b.address, now, &id, ref);
	if (ret == 0)
		ret = complaints_get(r->c->complaints, id, &cp);
	if (ret < 0) {
		reply_error(&r->out, 500, "internal error");
		goto out;
	}
	users_audit(r->c->users, r->actor, "complaint.create", ref, NULL, now);
	log_info("complaint %s recorded for block %s", ref, b.id);
	sbtime_format(now, when, sizeof(when));
	alert = json_pack("{s:s,s:s,s:s,s:s,s:s}", "complaint", ref, "state", "open", "block", b.id,
			  "category", in.category, "received_at", when);
	text = alert != NULL ? json_dumps(alert, JSON_COMPACT) : NULL;
	if (text != NULL && r->c->alert != NULL)
		r->c->alert(r->c->alert_ctx, text);
	reply_json(&r->out, 201, complaint_json(&cp, true));
out:
	free(text);
	json_decref(alert);
	complaints_release(&cp);
	store_block_release(&b);
	json_decref(body);
}

static int responses_cb(void *ctx, const struct complaint_response *resp)
{
	json_t *arr = ctx;

	return json_array_append_new(arr, json_pack("{s:I,s:o,s:s,s:s?,s:s}", "id",
						    (json_int_t)resp->id, "at",
						    time_or_null(resp->at), "by", resp->by,
						    "channel", resp->channel, "text",
						    resp->text)) == 0
		       ? 0
		       : -ENOMEM;
}

static void get_one(struct creq *r, int64_t id)
{
	struct complaint cp = {0};
	json_t *o = NULL;
	json_t *arr = json_array();
	int ret = complaints_get(r->c->complaints, id, &cp);

	if (ret == -ENOENT) {
		reply_error(&r->out, 404, "no complaint %lld", (long long)id);
		goto out;
	}
	if (ret == 0 && arr != NULL)
		ret = complaints_responses(r->c->complaints, id, responses_cb, arr);
	o = ret == 0 && arr != NULL ? complaint_json(&cp, true) : NULL;
	if (o == NULL || json_object_set(o, "responses", arr) < 0) {
		json_decref(o);
		reply_error(&r->out, 500, "internal error");
		goto out;
	}
	reply_json(&r->out, 200, o);
out:
	json_decref(arr);
	complaints_release(&cp);
}

static void set_status(struct creq *r, int64_t id)
{
	static const char *const allowed[] = {"status", "id", "ref", NULL};
	json_t *body = parse_body(r, allowed);
	const char *status = NULL;
	struct complaint cp = {0};
	int64_t now = sbtime_now_ms();
	int ret;

	if (body == NULL)
		return;
	status = str(body, "status");
	if (complaint_label(complaint_statuses, complaint_n_statuses, status) == NULL) {
		reply_error(&r->out, 422, "'status' must be open, in_progress or closed");
		goto out;
	}
	ret = complaints_set_status(r->c->complaints, id, status, now);
	if (ret == 0)
		ret = complaints_get(r->c->complaints, id, &cp);
	if (ret == -ENOENT) {
		reply_error(&r->out, 404, "no complaint %lld", (long long)id);
		goto out;
	}
	if (ret < 0) {
		reply_error(&r->out, 500, "internal error");
		goto out;
	}
	users_audit(r->c->users, r->actor, "complaint.status", cp.ref, status, now);
	reply_json(&r->out, 200, complaint_json(&cp, true));
out:
	complaints_release(&cp);
	json_decref(body);
}

static void respond(struct creq *r, int64_t id)
{
	static const char *const allowed[] = {"text", "channel", NULL};
	json_t *body = parse_body(r, allowed);
	const char *text = NULL;
	const char *channel = NULL;
	struct complaint cp = {0};
	int64_t now = sbtime_now_ms();
	int64_t rid = 0;
	int ret;

	if (body == NULL)
		return;
	text = str(body, "text");
	channel = str(body, "channel");
	if (text == NULL || text[0] == '\0' || utf8_chars(text) > COMPLAINT_RESPONSE_MAX) {
		reply_error(&r->out, 422, "'text' must be 1 to %d characters", COMPLAINT_RESPONSE_MAX);
		goto out;
	}
	if (channel != NULL &&
	    complaint_label(complaint_channels, complaint_n_channels, channel) == NULL) {
		reply_error(&r->out, 422, "'channel' must be phone, email, letter, in_person, via_someone or note");
		goto out;
	}
	ret = complaints_get(r->c->complaints, id, &cp);
	if (ret == 0)
		ret = complaints_respond(r->c->complaints, id, r->actor, channel, text, now, &rid);
	if (ret == -ENOENT) {
		reply_error(&r->out, 404, "no complaint %lld", (long long)id);
		goto out;
	}
	if (ret < 0) {
		reply_error(&r->out, 500, "internal error");
		goto out;
	}
	users_audit(r->c->users, r->actor, "complaint.respond", cp.ref, NULL, now);
	reply_json(&r->out, 201, json_pack("{s:I,s:o,s:s,s:s?,s:s}", "id", (json_int_t)rid, "at",
				time_or_null(now), "by", r->actor, "channel", channel, "text", text));
out:
	complaints_release(&cp);
	json_decref(body);
}

static int parse_id(const char *s, int64_t *id)
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

int api_complaints_handle(struct api_complaints *c, const struct api_complaints_req *in,
			  int *status, char **response)
{
	struct creq r = {.c = c, .in = in, .out = {.status = 500}};
	bool get = strcmp(in->method, "GET") == 0;
	bool post = strcmp(in->method, "POST") == 0;
	bool put = strcmp(in->method, "PUT") == 0;
	int64_t id = 0;

	if (c == NULL || in->n < 1 || strcmp(in->seg[0], "complaints") != 0)
		return -ENOENT;
	snprintf(r.actor, sizeof(r.actor), "token:%s", in->name);
	if (in->role == TOKEN_ROLE_CARETAKER) {
		reply_error(&r.out, 403, "role caretaker may not see complaints");
	} else if (in->n == 1) {
		if (get)
			list(&r);
		else if (post)
			create(&r);
		else
			reply_error(&r.out, 405, "method %.16s not allowed here", in->method);
	} else if (parse_id(in->seg[1], &id) < 0 || in->n > 3 ||
		   (in->n == 3 && strcmp(in->seg[2], "responses") != 0)) {
		reply_error(&r.out, 404, "no such path");
	} else if (in->n == 2) {
		if (get)
			get_one(&r, id);
		else if (put)
			set_status(&r, id);
		else
			reply_error(&r.out, 405, "method %.16s not allowed here", in->method);
	} else if (get) {
		json_t *arr = json_array();

		if (arr == NULL || complaints_responses(c->complaints, id, responses_cb, arr) != 0) {
			json_decref(arr);
			reply_error(&r.out, 500, "internal error");
		} else {
			reply_json(&r.out, 200, json_pack("{s:o}", "responses", arr));
		}
	} else if (post) {
		respond(&r, id);
	} else {
		reply_error(&r.out, 405, "method %.16s not allowed here", in->method);
	}
	*status = r.out.status;
	*response = r.out.response;
	return 0;
}
