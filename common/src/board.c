/* SPDX-License-Identifier: MIT */
/*
 * The siteboard.board/1 codec over jansson. Decoding is where a board from the
 * network becomes trusted: every field is type-, length- and format-checked
 * here, and the first problem is reported as one line with its JSON path.
 * Encoding writes the same schema from a struct board the server filled.
 */
#include "siteboard/board.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "siteboard/sbtime.h"

struct dec {
	char *err;
	size_t err_len;
	int rc;
};

static int fail(struct dec *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct dec *d, const char *fmt, ...)
{
	va_list ap;

	if (d->rc == 0) {
		va_start(ap, fmt);
		vsnprintf(d->err, d->err_len, fmt, ap);
		va_end(ap);
		d->rc = -EINVAL;
	}
	return d->rc;
}

static int oom(struct dec *d)
{
	if (d->rc == 0) {
		snprintf(d->err, d->err_len, "out of memory");
		d->rc = -ENOMEM;
	}
	return d->rc;
}

/*
 * Copy string member key of obj into *out. A missing or null member is an
 * error only when required.
 */
static int get_str(struct dec *d, json_t *obj, const char *path, const char *key, bool required,
		   char **out)
{
	json_t *v = json_object_get(obj, key);
	size_t len;

	*out = NULL;
	if (v == NULL || json_is_null(v)) {
		if (required)
			return fail(d, "%s%s: required", path, key);
		return 0;
	}
	if (!json_is_string(v))
		return fail(d, "%s%s: must be a string", path, key);
	len = json_string_length(v);
	if (len > BOARD_MAX_TEXT)
		return fail(d, "%s%s: longer than %d bytes", path, key, BOARD_MAX_TEXT);
	if (required && len == 0)
		return fail(d, "%s%s: must not be empty", path, key);
	*out = strndup(json_string_value(v), len);
	if (*out == NULL)
		return oom(d);
	return 0;
}

static int get_date(struct dec *d, json_t *obj, const char *path, const char *key, bool required,
		    char out[11])
{
	json_t *v = json_object_get(obj, key);
	int y, m, day;

	out[0] = '\0';
	if (v == NULL || json_is_null(v)) {
		if (required)
			return fail(d, "%s%s: required", path, key);
		return 0;
	}
	if (!json_is_string(v) || sbtime_parse_date(json_string_value(v), &y, &m, &day) != 0)
		return fail(d, "%s%s: must be a date YYYY-MM-DD", path, key);
	memcpy(out, json_string_value(v), 11);
	return 0;
}

static int get_time(struct dec *d, json_t *obj, const char *path, const char *key, bool required,
		    int64_t *out)
{
	json_t *v = json_object_get(obj, key);

	*out = 0;
	if (v == NULL || json_is_null(v)) {
		if (required)
			return fail(d, "%s%s: required", path, key);
		return 0;
	}
	if (!json_is_string(v) || sbtime_parse(json_string_value(v), out) != 0)
		return fail(d, "%s%s: must be an RFC 3339 time like 2026-11-25T10:32:00Z", path,
			    key);
	return 0;
}

static int get_hhmm(struct dec *d, json_t *obj, const char *path, const char *key, int *out)
{
	json_t *v = json_object_get(obj, key);

	if (v == NULL || !json_is_string(v) || sbtime_parse_hhmm(json_string_value(v), out) != 0)
		return fail(d, "%s%s: must be a time HH:MM", path, key);
	return 0;
}

/*
 * Fetch an optional array member and allocate *items of n * size bytes.
 * A missing member is an empty list.
 */
static int get_list(struct dec *d, json_t *obj, const char *key, size_t size, void **items,
		    size_t *n, json_t **arr)
{
	json_t *v = json_object_get(obj, key);

	*items = NULL;
	*n = 0;
	*arr = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_array(v))
		return fail(d, "%s: must be a list", key);
	if (json_array_size(v) > BOARD_MAX_ITEMS)
		return fail(d, "%s: more than %d items", key, BOARD_MAX_ITEMS);
	if (json_array_size(v) == 0)
		return 0;
	*items = calloc(json_array_size(v), size);
	if (*items == NULL)
		return oom(d);
	*n = json_array_size(v);
	*arr = v;
	return 0;
}

static int item_object(struct dec *d, json_t *arr, const char *key, size_t i, char *path,
		       size_t path_len, json_t **out)
{
	*out = json_array_get(arr, i);
	snprintf(path, path_len, "%s[%zu].", key, i);
	if (!json_is_object(*out))
		return fail(d, "%s[%zu]: must be an object", key, i);
	return 0;
}

static int decode_hours(struct dec *d, json_t *root, struct board *b)
{
	json_t *hours = json_object_get(root, "hours");
	json_t *arr = NULL;
	json_t *o = NULL;
	char path[64];
	void *items = NULL;

	if (hours == NULL || json_is_null(hours)) {
		b->timezone = strdup("UTC");
		return b->timezone == NULL ? oom(d) : 0;
	}
	if (!json_is_object(hours))
		return fail(d, "hours: must be an object");
	if (get_str(d, hours, "hours.", "timezone", false, &b->timezone) != 0)
		return d->rc;
	if (b->timezone == NULL)
		b->timezone = strdup("UTC");
	if (b->timezone == NULL)
		return oom(d);

	if (get_list(d, hours, "weekly", sizeof(struct board_window), &items, &b->n_weekly, &arr) != 0)
		return d->rc;
	b->weekly = items;
	for (size_t i = 0; i < b->n_weekly; i++) {
		struct board_window *w = &b->weekly[i];

		if (item_object(d, arr, "hours.weekly", i, path, sizeof(path), &o) != 0 ||
		    get_str(d, o, path, "days", true, &w->days) != 0 ||
		    get_hhmm(d, o, path, "from", &w->from_min) != 0 ||
		    get_hhmm(d, o, path, "to", &w->to_min) != 0)
			return d->rc;
	}
	if (get_list(d, hours, "exceptions", sizeof(struct board_exception), &items,
		     &b->n_exceptions, &arr) != 0)
		return d->rc;
	b->exceptions = items;
	for (size_t i = 0; i < b->n_exceptions; i++) {
		struct board_exception *e = &b->exceptions[i];
		json_t *from;

		if (item_object(d, arr, "hours.exceptions", i, path, sizeof(path), &o) != 0 ||
		    get_date(d, o, path, "date", true, e->date) != 0 ||
		    get_str(d, o, path, "reason", false, &e->reason) != 0)
			return d->rc;
		from = json_object_get(o, "from");
		if (from == NULL || json_is_null(from)) {
			e->from_min = -1;
			e->to_min = -1;
		} else if (get_hhmm(d, o, path, "from", &e->from_min) != 0 ||
			   get_hhmm(d, o, path, "to", &e->to_min) != 0) {
			return d->rc;
		}
	}
	return 0;
}

static int decode_lists(struct dec *d, json_t *root, struct board *b)
{
	json_t *arr = NULL;
	json_t *o = NULL;
	char path[64];
	void *items = NULL;

	if (get_list(d, root, "works", sizeof(struct board_work), &items, &b->n_works, &arr) != 0)
		return d->rc;
	b->works = items;
	for (size_t i = 0; i < b->n_works; i++) {
		struct board_work *w = &b->works[i];
		json_t *noisy;

		if (item_object(d, arr, "works", i, path, sizeof(path), &o) != 0 ||
		    get_str(d, o, path, "id", true, &w->id) != 0 ||
		    get_date(d, o, path, "from", true, w->from) != 0 ||
		    get_date(d, o, path, "to", true, w->to) != 0 ||
		    get_str(d, o, path, "what", true, &w->what) != 0 ||
		    get_str(d, o, path, "where", false, &w->where) != 0 ||
		    get_str(d, o, path, "access", false, &w->access) != 0)
			return d->rc;
		if (strcmp(w->to, w->from) < 0)
			return fail(d, "%sto: before from", path);
		noisy = json_object_get(o, "noisy");
		if (noisy != NULL && !json_is_null(noisy) && !json_is_boolean(noisy))
			return fail(d, "%snoisy: must be true or false", path);
		w->noisy = json_is_true(noisy);
	}

	if (get_list(d, root, "delays", sizeof(struct board_delay), &items, &b->n_delays, &arr) != 0)
		return d->rc;
	b->delays = items;
	for (size_t i = 0; i < b->n_delays; i++) {
		struct board_delay *dl = &b->delays[i];

		if (item_object(d, arr, "delays", i, path, sizeof(path), &o) != 0 ||
		    get_str(d, o, path, "id", true, &dl->id) != 0 ||
		    get_str(d, o, path, "works", false, &dl->works) != 0 ||
		    get_str(d, o, path, "reason", true, &dl->reason) != 0 ||
		    get_date(d, o, path, "new_from", false, dl->new_from) != 0 ||
		    get_date(d, o, path, "new_to", false, dl->new_to) != 0)
			return d->rc;
	}

	if (get_list(d, root, "notices", sizeof(struct board_notice), &items, &b->n_notices, &arr) != 0)
		return d->rc;
	b->notices = items;
	for (size_t i = 0; i < b->n_notices; i++) {
		struct board_notice *n = &b->notices[i];
		char *prio = NULL;
		int rc;

		if (item_object(d, arr, "notices", i, path, sizeof(path), &o) != 0 ||
		    get_str(d, o, path, "id", true, &n->id) != 0 ||
		    get_str(d, o, path, "title", true, &n->title) != 0 ||
		    get_str(d, o, path, "body", false, &n->body) != 0 ||
		    get_time(d, o, path, "from", false, &n->from_ms) != 0 ||
		    get_time(d, o, path, "until", false, &n->until_ms) != 0 ||
		    get_str(d, o, path, "priority", false, &prio) != 0)
			return d->rc;
		n->priority = BOARD_PRIORITY_NORMAL;
		rc = prio != NULL ? board_priority_parse(prio, &n->priority) : 0;
		free(prio);
		if (rc != 0)
			return fail(d, "%spriority: must be normal, important or urgent", path);
	}

	if (get_list(d, root, "events", sizeof(struct board_event), &items, &b->n_events, &arr) != 0)
		return d->rc;
	b->events = items;
	for (size_t i = 0; i < b->n_events; i++) {
		struct board_event *e = &b->events[i];

		if (item_object(d, arr, "events", i, path, sizeof(path), &o) != 0 ||
		    get_str(d, o, path, "id", true, &e->id) != 0 ||
		    get_str(d, o, path, "title", true, &e->title) != 0 ||
		    get_time(d, o, path, "when", true, &e->when_ms) != 0 ||
		    get_str(d, o, path, "where", false, &e->where) != 0)
			return d->rc;
	}

	if (get_list(d, root, "contacts", sizeof(struct board_contact), &items, &b->n_contacts,
		     &arr) != 0)
		return d->rc;
	b->contacts = items;
	for (size_t i = 0; i < b->n_contacts; i++) {
		struct board_contact *c = &b->contacts[i];

		if (item_object(d, arr, "contacts", i, path, sizeof(path), &o) != 0 ||
		    get_str(d, o, path, "id", false, &c->id) != 0 ||
		    get_str(d, o, path, "role", true, &c->role) != 0 ||
		    get_str(d, o, path, "name", false, &c->name) != 0 ||
		    get_str(d, o, path, "phone", true, &c->phone) != 0 ||
		    get_str(d, o, path, "hours", false, &c->hours) != 0)
			return d->rc;
	}
	return 0;
}

int board_decode(const char *json, size_t len, struct board **out, char *err, size_t err_len)
{
	struct dec d = {err, err_len, 0};
	json_error_t jerr;
	json_t *root = NULL;
	json_t *v = NULL;
	json_t *site = NULL;
	json_t *block = NULL;
	struct board *b = NULL;

	*out = NULL;
	if (len > BOARD_MAX_BYTES) {
		snprintf(err, err_len, "board is %zu bytes, over the %d byte limit", len,
			 BOARD_MAX_BYTES);
		return -E2BIG;
	}
	root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		fail(&d, "not valid JSON: %s at line %d column %d", jerr.text, jerr.line,
		     jerr.column);
		goto out;
	}
	if (!json_is_object(root)) {
		fail(&d, "board must be a JSON object");
		goto out;
	}
	v = json_object_get(root, "schema");
	if (!json_is_string(v) || strcmp(json_string_value(v), BOARD_SCHEMA) != 0) {
		fail(&d, "schema: must be \"%s\"", BOARD_SCHEMA);
		goto out;
	}
	b = board_new();
	if (b == NULL) {
		oom(&d);
		goto out;
	}
	v = json_object_get(root, "version");
	if (!json_is_integer(v) || json_integer_value(v) < 0) {
		fail(&d, "version: must be a whole number of at least 0");
		goto out;
	}
	b->version = (int64_t)json_integer_value(v);
	if (get_time(&d, root, "", "generated_at", true, &b->generated_at_ms) != 0)
		goto out;

	site = json_object_get(root, "site");
	block = json_object_get(root, "block");
	if (!json_is_object(site)) {
		fail(&d, "site: required object");
		goto out;
	}
	if (!json_is_object(block)) {
		fail(&d, "block: required object");
		goto out;
	}
	if (get_str(&d, site, "site.", "id", true, &b->site_id) != 0 ||
	    get_str(&d, site, "site.", "name", true, &b->site_name) != 0 ||
	    get_str(&d, site, "site.", "contractor", false, &b->contractor) != 0 ||
	    get_str(&d, block, "block.", "id", true, &b->block_id) != 0 ||
	    get_str(&d, block, "block.", "name", true, &b->block_name) != 0 ||
	    get_str(&d, block, "block.", "address", false, &b->block_address) != 0 ||
	    get_str(&d, root, "", "complaint_url", true, &b->complaint_url) != 0 ||
	    get_str(&d, root, "", "survey_url", false, &b->survey_url) != 0)
		goto out;
	if (decode_hours(&d, root, b) != 0 || decode_lists(&d, root, b) != 0)
		goto out;
out:
	json_decref(root);
	if (d.rc != 0) {
		board_free(b);
		return d.rc;
	}
	*out = b;
	return 0;
}

/* ---- encoding ---- */

static int set_str(json_t *obj, const char *key, const char *value)
{
	if (value == NULL)
		return 0;
	return json_object_set_new(obj, key, json_string(value));
}

static int set_time(json_t *obj, const char *key, int64_t ms)
{
	char buf[SBTIME_BUFSZ];

	if (sbtime_format(ms, buf, sizeof(buf)) != 0)
		return -1;
	return json_object_set_new(obj, key, json_string(buf));
}

static int set_hhmm(json_t *obj, const char *key, int minutes)
{
	char buf[8];

	snprintf(buf, sizeof(buf), "%02d:%02d", (minutes / 60) % 100, minutes % 60);
	return json_object_set_new(obj, key, json_string(buf));
}

static json_t *encode_hours(const struct board *b)
{
	json_t *hours = json_object();
	json_t *weekly = json_array();
	json_t *exc = json_array();
	int rc = 0;

	if (hours == NULL || weekly == NULL || exc == NULL)
		goto fail;
	rc |= set_str(hours, "timezone", b->timezone != NULL ? b->timezone : "UTC");
	for (size_t i = 0; i < b->n_weekly; i++) {
		json_t *w = json_object();

		rc |= json_array_append_new(weekly, w);
		rc |= set_str(w, "days", b->weekly[i].days);
		rc |= set_hhmm(w, "from", b->weekly[i].from_min);
		rc |= set_hhmm(w, "to", b->weekly[i].to_min);
	}
	for (size_t i = 0; i < b->n_exceptions; i++) {
		const struct board_exception *e = &b->exceptions[i];
		json_t *o = json_object();

		rc |= json_array_append_new(exc, o);
		rc |= set_str(o, "date", e->date);
		if (e->from_min >= 0) {
			rc |= set_hhmm(o, "from", e->from_min);
			rc |= set_hhmm(o, "to", e->to_min);
		}
		rc |= set_str(o, "reason", e->reason);
	}
	rc |= json_object_set_new(hours, "weekly", weekly);
	rc |= json_object_set_new(hours, "exceptions", exc);
	if (rc != 0) {
		json_decref(hours);
		return NULL;
	}
	return hours;
fail:
	json_decref(hours);
	json_decref(weekly);
	json_decref(exc);
	return NULL;
}

static json_t *encode_lists(const struct board *b, json_t *root)
{
	json_t *works = json_array();
	json_t *delays = json_array();
	json_t *notices = json_array();
	json_t *events = json_array();
	json_t *contacts = json_array();
	int rc = 0;

	rc |= json_object_set_new(root, "works", works);
	rc |= json_object_set_new(root, "delays", delays);
	rc |= json_object_set_new(root, "notices", notices);
	rc |= json_object_set_new(root, "events", events);
	rc |= json_object_set_new(root, "contacts", contacts);
	if (rc != 0)
		return NULL;
	for (size_t i = 0; i < b->n_works; i++) {
		const struct board_work *w = &b->works[i];
		json_t *o = json_object();

		rc |= json_array_append_new(works, o);
		rc |= set_str(o, "id", w->id);
		rc |= set_str(o, "from", w->from);
		rc |= set_str(o, "to", w->to);
		rc |= set_str(o, "what", w->what);
		rc |= set_str(o, "where", w->where);
		rc |= json_object_set_new(o, "noisy", json_boolean(w->noisy));
		rc |= set_str(o, "access", w->access);
	}
	for (size_t i = 0; i < b->n_delays; i++) {
		const struct board_delay *dl = &b->delays[i];
		json_t *o = json_object();

		rc |= json_array_append_new(delays, o);
		rc |= set_str(o, "id", dl->id);
		rc |= set_str(o, "works", dl->works);
		rc |= set_str(o, "reason", dl->reason);
		if (dl->new_from[0] != '\0')
			rc |= set_str(o, "new_from", dl->new_from);
		if (dl->new_to[0] != '\0')
			rc |= set_str(o, "new_to", dl->new_to);
	}
	for (size_t i = 0; i < b->n_notices; i++) {
		const struct board_notice *n = &b->notices[i];
		json_t *o = json_object();

		rc |= json_array_append_new(notices, o);
		rc |= set_str(o, "id", n->id);
		rc |= set_str(o, "title", n->title);
		rc |= set_str(o, "body", n->body);
		rc |= set_str(o, "priority", board_priority_name(n->priority));
		if (n->from_ms != 0)
			rc |= set_time(o, "from", n->from_ms);
		if (n->until_ms != 0)
			rc |= set_time(o, "until", n->until_ms);
	}
	for (size_t i = 0; i < b->n_events; i++) {
		const struct board_event *e = &b->events[i];
		json_t *o = json_object();

		rc |= json_array_append_new(events, o);
		rc |= set_str(o, "id", e->id);
		rc |= set_str(o, "title", e->title);
		rc |= set_time(o, "when", e->when_ms);
		rc |= set_str(o, "where", e->where);
	}
	for (size_t i = 0; i < b->n_contacts; i++) {
		const struct board_contact *c = &b->contacts[i];
		json_t *o = json_object();

		rc |= json_array_append_new(contacts, o);
		rc |= set_str(o, "id", c->id);
		rc |= set_str(o, "role", c->role);
		rc |= set_str(o, "name", c->name);
		rc |= set_str(o, "phone", c->phone);
		rc |= set_str(o, "hours", c->hours);
	}
	return rc == 0 ? root : NULL;
}

int board_encode(const struct board *b, char **out)
{
	json_t *root = NULL;
	json_t *site = NULL;
	json_t *block = NULL;
	json_t *hours = NULL;
	int rc = 0;

	*out = NULL;
	if (b->site_id == NULL || b->site_name == NULL || b->block_id == NULL ||
	    b->block_name == NULL || b->complaint_url == NULL)
		return -EINVAL;
	root = json_object();
	site = json_object();
	block = json_object();
	if (root == NULL || site == NULL || block == NULL) {
		json_decref(site);
		json_decref(block);
		rc = -ENOMEM;
		goto out;
	}
	json_object_set_new(root, "schema", json_string(BOARD_SCHEMA));
	json_object_set_new(root, "version", json_integer((json_int_t)b->version));
	if (set_time(root, "generated_at", b->generated_at_ms) != 0) {
		json_decref(site);
		json_decref(block);
		rc = -EINVAL;
		goto out;
	}
	set_str(site, "id", b->site_id);
	set_str(site, "name", b->site_name);
	set_str(site, "contractor", b->contractor);
	json_object_set_new(root, "site", site);
	set_str(block, "id", b->block_id);
	set_str(block, "name", b->block_name);
	set_str(block, "address", b->block_address);
	json_object_set_new(root, "block", block);
	hours = encode_hours(b);
	if (hours == NULL || json_object_set_new(root, "hours", hours) != 0 ||
	    encode_lists(b, root) == NULL) {
		rc = -ENOMEM;
		goto out;
	}
	set_str(root, "complaint_url", b->complaint_url);
	json_object_set_new(root, "survey_url",
			    b->survey_url != NULL ? json_string(b->survey_url) : json_null());
	*out = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (*out == NULL)
		rc = -ENOMEM;
out:
	json_decref(root);
	return rc;
}

struct board *board_new(void)
{
	return calloc(1, sizeof(struct board));
}

void board_free(struct board *b)
{
	if (b == NULL)
		return;
	free(b->site_id);
	free(b->site_name);
	free(b->contractor);
	free(b->block_id);
	free(b->block_name);
	free(b->block_address);
	free(b->timezone);
	for (size_t i = 0; i < b->n_weekly; i++)
		free(b->weekly[i].days);
	free(b->weekly);
	for (size_t i = 0; i < b->n_exceptions; i++)
		free(b->exceptions[i].reason);
	free(b->exceptions);
	for (size_t i = 0; i < b->n_works; i++) {
		free(b->works[i].id);
		free(b->works[i].what);
		free(b->works[i].where);
		free(b->works[i].access);
	}
	free(b->works);
	for (size_t i = 0; i < b->n_delays; i++) {
		free(b->delays[i].id);
		free(b->delays[i].works);
		free(b->delays[i].reason);
	}
	free(b->delays);
	for (size_t i = 0; i < b->n_notices; i++) {
		free(b->notices[i].id);
		free(b->notices[i].title);
		free(b->notices[i].body);
	}
	free(b->notices);
	for (size_t i = 0; i < b->n_events; i++) {
		free(b->events[i].id);
		free(b->events[i].title);
		free(b->events[i].where);
	}
	free(b->events);
	for (size_t i = 0; i < b->n_contacts; i++) {
		free(b->contacts[i].id);
		free(b->contacts[i].role);
		free(b->contacts[i].name);
		free(b->contacts[i].phone);
		free(b->contacts[i].hours);
	}
	free(b->contacts);
	free(b->complaint_url);
	free(b->survey_url);
	free(b);
}

const char *board_priority_name(enum board_priority p)
{
	switch (p) {
	case BOARD_PRIORITY_IMPORTANT:
		return "important";
	case BOARD_PRIORITY_URGENT:
		return "urgent";
	case BOARD_PRIORITY_NORMAL:
		break;
	}
	return "normal";
}

int board_priority_parse(const char *s, enum board_priority *out)
{
	if (s == NULL)
		return -EINVAL;
	if (strcmp(s, "normal") == 0)
		*out = BOARD_PRIORITY_NORMAL;
	else if (strcmp(s, "important") == 0)
		*out = BOARD_PRIORITY_IMPORTANT;
	else if (strcmp(s, "urgent") == 0)
		*out = BOARD_PRIORITY_URGENT;
	else
		return -EINVAL;
	return 0;
}

bool board_notice_active(const struct board_notice *n, int64_t now_ms)
{
	return n->from_ms <= now_ms && (n->until_ms == 0 || now_ms < n->until_ms);
}
