/* SPDX-License-Identifier: MIT */
/*
 * Board generation (see boardgen.h). Stored items are the api's canonical
 * JSON objects; they were validated on the way in, so a field that does not
 * parse here means a damaged database and fails the build with -EINVAL.
 */
#include "board/boardgen.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "siteboard/board.h"
#include "siteboard/log.h"
#include "siteboard/sbtime.h"
#include "hours/sitehours.h"

struct gen {
	struct board *b;
	size_t cap;
	int err;
};

static char *dup_or_null(const char *s)
{
	return s != NULL ? strdup(s) : NULL;
}

/* Copy an optional string field; 0, or -ENOMEM. */
static int opt_str(json_t *obj, const char *key, char **out)
{
	const char *v = json_string_value(json_object_get(obj, key));

	*out = NULL;
	if (v == NULL)
		return 0;
	*out = strdup(v);
	return *out != NULL ? 0 : -ENOMEM;
}

static int req_str(json_t *obj, const char *key, char **out)
{
	int ret = opt_str(obj, key, out);

	if (ret == 0 && *out == NULL)
		return -EINVAL;
	return ret;
}

static int date_field(json_t *obj, const char *key, char out[11], int required)
{
	const char *v = json_string_value(json_object_get(obj, key));
	int y, m, d;

	out[0] = '\0';
	if (v == NULL)
		return required ? -EINVAL : 0;
	if (sbtime_parse_date(v, &y, &m, &d) < 0 || strlen(v) != 10)
		return -EINVAL;
	memcpy(out, v, 11);
	return 0;
}

static int time_field(json_t *obj, const char *key, int64_t *out, int required)
{
	const char *v = json_string_value(json_object_get(obj, key));

	*out = 0;
	if (v == NULL)
		return required ? -EINVAL : 0;
	return sbtime_parse(v, out);
}

static json_t *load_item(const char *data)
{
	return json_loads(data, JSON_REJECT_DUPLICATES, NULL);
}

static int add_notice(void *ctx, const char *id, const char *data)
{
	struct gen *g = ctx;
	struct board_notice *n = NULL;
	json_t *o = load_item(data);
	const char *prio = NULL;
	int ret = -EINVAL;

	if (o == NULL || g->b->n_notices >= g->cap)
		goto out;
	n = &g->b->notices[g->b->n_notices++];
	n->id = strdup(id);
	if (n->id == NULL) {
		ret = -ENOMEM;
		goto out;
	}
	prio = json_string_value(json_object_get(o, "priority"));
	ret = req_str(o, "title", &n->title);
	if (ret == 0)
		ret = opt_str(o, "body", &n->body);
	if (ret == 0)
		ret = board_priority_parse(prio != NULL ? prio : "normal", &n->priority);
	if (ret == 0)
		ret = time_field(o, "from", &n->from_ms, 1);
	if (ret == 0)
		ret = time_field(o, "until", &n->until_ms, 0);
out:
	json_decref(o);
	return ret;
}

static int add_work(void *ctx, const char *id, const char *data)
{
	struct gen *g = ctx;
	struct board_work *w = NULL;
	json_t *o = load_item(data);
	int ret = -EINVAL;

	if (o == NULL || g->b->n_works >= g->cap)
		goto out;
	w = &g->b->works[g->b->n_works++];
	w->id = strdup(id);
	if (w->id == NULL) {
		ret = -ENOMEM;
		goto out;
	}
	w->noisy = json_is_true(json_object_get(o, "noisy"));
	ret = date_field(o, "from", w->from, 1);
	if (ret == 0)
		ret = date_field(o, "to", w->to, 1);
	if (ret == 0)
		ret = req_str(o, "what", &w->what);
	if (ret == 0)
		ret = opt_str(o, "where", &w->where);
	if (ret == 0)
		ret = opt_str(o, "access", &w->access);
out:
	json_decref(o);
	return ret;
}

static int has_work(const struct board *b, const char *id)
{
	for (size_t i = 0; i < b->n_works; i++)
		if (strcmp(b->works[i].id, id) == 0)
			return 1;
	return 0;
}

static int add_delay(void *ctx, const char *id, const char *data)
{
	struct gen *g = ctx;
	struct board_delay *d = NULL;
	json_t *o = load_item(data);
	const char *works = NULL;
	int ret = -EINVAL;

	if (o == NULL || g->b->n_delays >= g->cap)
		goto out;
	d = &g->b->delays[g->b->n_delays++];
	d->id = strdup(id);
	if (d->id == NULL) {
		ret = -ENOMEM;
		goto out;
	}
	/* a delay whose work was deleted since stays, without the dangling link */
	works = json_string_value(json_object_get(o, "works"));
	ret = 0;
	if (works != NULL && has_work(g->b, works)) {
		d->works = strdup(works);
		if (d->works == NULL)
			ret = -ENOMEM;
	}
	if (ret == 0)
		ret = req_str(o, "reason", &d->reason);
	if (ret == 0)
		ret = date_field(o, "new_from", d->new_from, 0);
	if (ret == 0)
		ret = date_field(o, "new_to", d->new_to, 0);
out:
	json_decref(o);
	return ret;
}

static int add_event(void *ctx, const char *id, const char *data)
{
	struct gen *g = ctx;
	struct board_event *e = NULL;
	json_t *o = load_item(data);
	int ret = -EINVAL;

	if (o == NULL || g->b->n_events >= g->cap)
		goto out;
	e = &g->b->events[g->b->n_events++];
	e->id = strdup(id);
	if (e->id == NULL) {
		ret = -ENOMEM;
		goto out;
	}
	ret = req_str(o, "title", &e->title);
	if (ret == 0)
		ret = time_field(o, "when", &e->when_ms, 1);
	if (ret == 0)
		ret = opt_str(o, "where", &e->where);
out:
	json_decref(o);
	return ret;
}

static int add_contact(void *ctx, const char *id, const char *data)
{
	struct gen *g = ctx;
	struct board_contact *c = NULL;
	json_t *o = load_item(data);
	int ret = -EINVAL;

	if (o == NULL || g->b->n_contacts >= g->cap)
		goto out;
	c = &g->b->contacts[g->b->n_contacts++];
	c->id = strdup(id);
	if (c->id == NULL) {
		ret = -ENOMEM;
		goto out;
	}
	ret = req_str(o, "role", &c->role);
	if (ret == 0)
		ret = opt_str(o, "name", &c->name);
	if (ret == 0)
		ret = req_str(o, "phone", &c->phone);
	if (ret == 0)
		ret = opt_str(o, "hours", &c->hours);
out:
	json_decref(o);
	return ret;
}

/* Allocate the array for one kind and fill it from the store. */
static int load_kind(struct store *s, const char *block, enum store_kind kind, void **array,
		     size_t elem, store_item_fn fn, struct gen *g)
{
	int64_t count = 0;
	int ret = store_item_count(s, kind, block, &count);

	if (ret < 0)
		return ret;
	g->cap = (size_t)count;
	if (count == 0)
		return 0;
	*array = calloc((size_t)count, elem);
	if (*array == NULL)
		return -ENOMEM;
	return store_item_foreach(s, kind, block, fn, g);
}

static int fill_site(struct board *b, const struct boardgen_site *site,
		     const struct store_block *blk, int64_t now_ms)
{
	size_t url_len = strlen(site->public_url) + strlen("/c/") + strlen(blk->id) + 1;

	b->site_id = strdup(site->id);
	b->site_name = strdup(site->name);
	b->contractor = dup_or_null(site->contractor);
	b->block_id = strdup(blk->id);
	b->block_name = strdup(blk->name);
	b->block_address = dup_or_null(blk->address);
	b->timezone = strdup(site->timezone);
	b->complaint_url = malloc(url_len);
	if (b->site_id == NULL || b->site_name == NULL ||
	    (site->contractor != NULL && b->contractor == NULL) || b->block_id == NULL ||
	    b->block_name == NULL || (blk->address != NULL && b->block_address == NULL) ||
	    b->timezone == NULL || b->complaint_url == NULL)
		return -ENOMEM;
	snprintf(b->complaint_url, url_len, "%s/c/%s", site->public_url, blk->id);
	if (site->hours != NULL)
		return sitehours_fill_board(site->hours, now_ms, b);
	/* no site hours given (tests of other modules): the default week */
	b->weekly = calloc(1, sizeof(*b->weekly));
	if (b->weekly == NULL)
		return -ENOMEM;
	b->n_weekly = 1;
	b->weekly[0].days = strdup("mon-fri");
	b->weekly[0].from_min = 8 * 60;
	b->weekly[0].to_min = 17 * 60;
	return b->weekly[0].days != NULL ? 0 : -ENOMEM;
}

int boardgen_build(struct store *s, const struct boardgen_site *site, const char *block,
		   int64_t version, int64_t now_ms, char **json)
{
	struct store_block blk = {0};
	struct gen g = {0};
	char *out = NULL;
	int ret;

	*json = NULL;
	ret = store_block_get(s, block, &blk);
	if (ret < 0)
		goto out;
	g.b = board_new();
	if (g.b == NULL) {
		ret = -ENOMEM;
		goto out;
	}
	g.b->version = version;
	g.b->generated_at_ms = now_ms;
	ret = fill_site(g.b, site, &blk, now_ms);
	if (ret == 0)
		ret = load_kind(s, block, STORE_WORKS, (void **)&g.b->works,
				sizeof(*g.b->works), add_work, &g);
	if (ret == 0)
		ret = load_kind(s, block, STORE_DELAYS, (void **)&g.b->delays,
				sizeof(*g.b->delays), add_delay, &g);
	if (ret == 0)
		ret = load_kind(s, block, STORE_NOTICES, (void **)&g.b->notices,
				sizeof(*g.b->notices), add_notice, &g);
	if (ret == 0)
		ret = load_kind(s, block, STORE_EVENTS, (void **)&g.b->events,
				sizeof(*g.b->events), add_event, &g);
	if (ret == 0)
		ret = load_kind(s, block, STORE_CONTACTS, (void **)&g.b->contacts,
				sizeof(*g.b->contacts), add_contact, &g);
	if (ret == -EINVAL)
		log_error("boardgen: block %s: a stored item is damaged", block);
	if (ret < 0)
		goto out;
	ret = board_encode(g.b, &out);
	if (ret < 0) {
		log_error("boardgen: block %s: cannot encode board (%d)", block, ret);
		goto out;
	}
	if (strlen(out) > BOARD_MAX_BYTES) {
		ret = -E2BIG;
		goto out;
	}
	*json = out;
	out = NULL;
out:
	free(out);
	board_free(g.b);
	store_block_release(&blk);
	return ret;
}
