/* SPDX-License-Identifier: MIT */
/*
 * The resource and field table (see resource.h). Only data and lookups: no
 * validation of values beyond what the table says, no I/O.
 */
#include "resource.h"

#include <stdio.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *const priorities[] = {"normal", "important", "urgent", NULL};
static const char *const sensor_kinds[] = {"door", "noise", NULL};
static const char *const sensor_roles[] = {"site_access", "secure_store", "communal_entrance",
					   "noise", NULL};
static const char *const breach_states[] = {"open", "acknowledged", "closed", NULL};
static const char *const breach_rules[] = {"out_of_hours_access", "left_insecure",
					   "door_held_open", "out_of_hours_noise",
					   "excess_noise", "sensor_offline", NULL};
static const char *const complaint_statuses[] = {"open", "in_progress", "closed", NULL};
static const char *const complaint_channels[] = {"phone", "email", "letter", "in_person",
						 "via_someone", "note", NULL};

static const struct resource_field block_fields[] = {
	{"id", RESOURCE_ID, true, true, NULL, "block id, [a-z0-9-]{1,40} (chosen by you)"},
	{"name", RESOURCE_STRING, true, false, NULL, "name shown on the board"},
	{"address", RESOURCE_STRING, false, false, NULL, "postal address"},
};

static const struct resource_field notice_fields[] = {
	{"id", RESOURCE_ID, false, true, NULL, "id (default: the server makes one)"},
	{"title", RESOURCE_STRING, true, false, NULL, "headline, 1-200 characters"},
	{"body", RESOURCE_STRING, false, false, NULL, "text under the headline"},
	{"priority", RESOURCE_STRING, false, false, priorities, "normal (default), important or urgent"},
	{"from", RESOURCE_STRING, false, false, NULL, "shown from, RFC 3339 (default: now)"},
	{"until", RESOURCE_STRING, false, false, NULL, "shown until, RFC 3339 (default: no end)"},
};

static const struct resource_field work_fields[] = {
	{"id", RESOURCE_ID, false, true, NULL, "id (default: the server makes one)"},
	{"from", RESOURCE_STRING, true, false, NULL, "first day, YYYY-MM-DD"},
	{"to", RESOURCE_STRING, true, false, NULL, "last day, YYYY-MM-DD (inclusive)"},
	{"what", RESOURCE_STRING, true, false, NULL, "the work, 1-200 characters"},
	{"where", RESOURCE_STRING, false, false, NULL, "where on the block"},
	{"noisy", RESOURCE_BOOL, false, false, NULL, "yes/no (default no)"},
	{"access", RESOURCE_STRING, false, false, NULL, "what tenants must clear, and by when"},
};

static const struct resource_field delay_fields[] = {
	{"id", RESOURCE_ID, false, true, NULL, "id (default: the server makes one)"},
	{"works", RESOURCE_STRING, false, false, NULL, "id of the delayed work (same block)"},
	{"reason", RESOURCE_STRING, true, false, NULL, "why, 1-200 characters"},
	{"new_from", RESOURCE_STRING, false, false, NULL, "new first day, YYYY-MM-DD"},
	{"new_to", RESOURCE_STRING, false, false, NULL, "new last day, YYYY-MM-DD"},
};

static const struct resource_field event_fields[] = {
	{"id", RESOURCE_ID, false, true, NULL, "id (default: the server makes one)"},
	{"title", RESOURCE_STRING, true, false, NULL, "what, 1-200 characters"},
	{"when", RESOURCE_STRING, true, false, NULL, "start, RFC 3339"},
	{"where", RESOURCE_STRING, false, false, NULL, "place"},
};

static const struct resource_field contact_fields[] = {
	{"id", RESOURCE_ID, false, true, NULL, "id (default: the server makes one)"},
	{"role", RESOURCE_STRING, true, false, NULL, "e.g. \"Resident liaison officer\""},
	{"name", RESOURCE_STRING, false, false, NULL, "person's name"},
	{"phone", RESOURCE_STRING, true, false, NULL, "phone number, up to 40 characters"},
	{"hours", RESOURCE_STRING, false, false, NULL, "when to call, e.g. \"Mon-Fri 8-5\""},
};

static const struct resource_field sensor_fields[] = {
	{"id", RESOURCE_ID, true, true, NULL, "sensor id, [a-z0-9-]{1,40} (as in its MQTT topic)"},
	{"block", RESOURCE_ID, true, false, NULL, "the block it is in"},
	{"kind", RESOURCE_STRING, true, false, sensor_kinds, "door or noise"},
	{"role", RESOURCE_STRING, true, false, sensor_roles,
	 "site_access, secure_store or communal_entrance (door), noise (noise)"},
	{"location", RESOURCE_STRING, false, false, NULL, "where it is, up to 200 characters"},
};

static const struct resource_field sensor_filters[] = {
	{"block", RESOURCE_ID, false, false, NULL, "only this block's sensors"},
};

static const struct resource_field sensor_event_filters[] = {
	{"sensor", RESOURCE_ID, false, false, NULL, "this sensor's events, by seq"},
	{"block", RESOURCE_ID, false, false, NULL, "this block's events, by event time"},
	{"from", RESOURCE_STRING, false, false, NULL, "event time from, RFC 3339 (inclusive)"},
	{"to", RESOURCE_STRING, false, false, NULL, "event time before, RFC 3339"},
	{"limit", RESOURCE_NUMBER, false, false, NULL, "at most this many, 1-1000 (default 100)"},
	{"offset", RESOURCE_NUMBER, false, false, NULL, "skip this many"},
};

static const struct resource_field breach_filters[] = {
	{"state", RESOURCE_STRING, false, false, breach_states, "open, acknowledged or closed"},
	{"rule", RESOURCE_STRING, false, false, breach_rules,
	 "out_of_hours_access, left_insecure, door_held_open, out_of_hours_noise, "
	 "excess_noise or sensor_offline"},
	{"block", RESOURCE_ID, false, false, NULL, "only this block"},
	{"sensor", RESOURCE_ID, false, false, NULL, "only this sensor"},
	{"from", RESOURCE_STRING, false, false, NULL, "active at or after, RFC 3339"},
	{"to", RESOURCE_STRING, false, false, NULL, "active before, RFC 3339"},
	{"limit", RESOURCE_NUMBER, false, false, NULL, "at most this many, 1-1000 (default 100)"},
	{"offset", RESOURCE_NUMBER, false, false, NULL, "skip this many"},
};

static const struct resource_field breach_ack_fields[] = {
	{"note", RESOURCE_STRING, true, false, NULL, "what was done, 1-2000 characters"},
};

static const struct resource_verb breach_verbs[] = {
	{"ack", "ack", breach_ack_fields, COUNT(breach_ack_fields),
	 "acknowledge (or add a note to) a breach"},
};

static const struct resource_field exception_fields[] = {
	{"date", RESOURCE_STRING, true, false, NULL, "the site's local date, YYYY-MM-DD"},
	{"from", RESOURCE_STRING, false, false, NULL, "work may start, HH:MM (not when closed)"},
	{"to", RESOURCE_STRING, false, false, NULL, "work must stop, HH:MM, 24:00 allowed"},
	{"closed", RESOURCE_BOOL, false, false, NULL, "yes: no work that day (no --from/--to)"},
	{"reason", RESOURCE_STRING, true, false, NULL, "why, 1-200 characters"},
	{"agreed_by", RESOURCE_STRING, true, false, NULL, "who agreed it, 1-200 characters"},
};

static const struct resource_field exception_filters[] = {
	{"from", RESOURCE_STRING, false, false, NULL, "dates from, YYYY-MM-DD (inclusive)"},
	{"to", RESOURCE_STRING, false, false, NULL, "dates to, YYYY-MM-DD (inclusive)"},
};

static const struct resource_field complaint_fields[] = {
	{"status", RESOURCE_STRING, false, false, complaint_statuses,
	 "open, in_progress or closed"},
};

static const struct resource_field complaint_filters[] = {
	{"status", RESOURCE_STRING, false, false, complaint_statuses,
	 "open, in_progress or closed"},
	{"block", RESOURCE_ID, false, false, NULL, "only this block"},
	{"from", RESOURCE_STRING, false, false, NULL, "received from, YYYY-MM-DD (inclusive)"},
	{"to", RESOURCE_STRING, false, false, NULL, "received to, YYYY-MM-DD (inclusive)"},
	{"contact", RESOURCE_BOOL, false, false, NULL, "yes: include contact details"},
};

static const struct resource_field complaint_respond_fields[] = {
	{"text", RESOURCE_STRING, true, false, NULL, "the response, as sent or said"},
	{"channel", RESOURCE_STRING, false, false, complaint_channels,
	 "phone, email, letter, in_person, via_someone or note"},
};

static const struct resource_verb complaint_verbs[] = {
	{"respond", "responses", complaint_respond_fields, COUNT(complaint_respond_fields),
	 "record a response to the complainant"},
};

#define FIELDS(a) (a), COUNT(a)
#define NONE NULL, 0

static const struct resource resources[] = {
	{"blocks", "block", "blocks", "blocks", "id", RESOURCE_CRUD, false, RESOURCE_ID_NAME,
	 FIELDS(block_fields), NONE, NONE,
	 {"id", "name", "address", "board_version", NULL}},
	{"notices", "notice", "notices", "notices", "id", RESOURCE_CRUD, true, RESOURCE_ID_NAME,
	 FIELDS(notice_fields), NONE, NONE,
	 {"id", "priority", "from", "until", "title", NULL}},
	{"works", "work", "works", "works", "id", RESOURCE_CRUD, true, RESOURCE_ID_NAME,
	 FIELDS(work_fields), NONE, NONE,
	 {"id", "from", "to", "noisy", "what", NULL}},
	{"delays", "delay", "delays", "delays", "id", RESOURCE_CRUD, true, RESOURCE_ID_NAME,
	 FIELDS(delay_fields), NONE, NONE,
	 {"id", "works", "new_from", "new_to", "reason", NULL}},
	{"events", "event", "events", "events", "id", RESOURCE_CRUD, true, RESOURCE_ID_NAME,
	 FIELDS(event_fields), NONE, NONE,
	 {"id", "when", "title", "where", NULL}},
	{"contacts", "contact", "contacts", "contacts", "id", RESOURCE_CRUD, true,
	 RESOURCE_ID_NAME, FIELDS(contact_fields), NONE, NONE,
	 {"id", "role", "name", "phone", "hours", NULL}},
	{"sensors", "sensor", "sensors", "sensors", "id", RESOURCE_CRUD, false, RESOURCE_ID_NAME,
	 FIELDS(sensor_fields), FIELDS(sensor_filters), NONE,
	 {"id", "block", "kind", "role", "online", "last_seen", "location", NULL}},
	/* GET /events?sensor= is the sensors' log; "events" above is the board's events */
	{"sensor-events", "sensor event", "events", "events", "seq", RESOURCE_LIST, false,
	 RESOURCE_ID_NAME, NONE, FIELDS(sensor_event_filters), NONE,
	 {"sensor", "seq", "ts", "kind", "state", "laeq", "arrived_at", NULL}},
	{"breaches", "breach", "breaches", "breaches", "id", RESOURCE_LIST | RESOURCE_SHOW, false,
	 RESOURCE_ID_NUMBER, NONE, FIELDS(breach_filters), FIELDS(breach_verbs),
	 {"id", "state", "rule", "block", "sensor", "started_at", "ended_at", NULL}},
	{"hours-exceptions", "hours exception", "hours/exceptions", "exceptions", "id",
	 RESOURCE_LIST | RESOURCE_ADD | RESOURCE_SHOW | RESOURCE_REMOVE, false,
	 RESOURCE_ID_NUMBER, FIELDS(exception_fields), FIELDS(exception_filters), NONE,
	 {"id", "date", "closed", "from", "to", "agreed_by", "reason", NULL}},
	{"complaints", "complaint", "complaints", "complaints", "id",
	 RESOURCE_LIST | RESOURCE_SHOW | RESOURCE_UPDATE, false, RESOURCE_ID_NUMBER,
	 FIELDS(complaint_fields), FIELDS(complaint_filters), FIELDS(complaint_verbs),
	 {"id", "ref", "status", "block", "category", "received_at", NULL}},
};

#define FITS(a) _Static_assert(COUNT(a) <= RESOURCE_MAX_FIELDS, "raise RESOURCE_MAX_FIELDS")
FITS(block_fields);
FITS(notice_fields);
FITS(work_fields);
FITS(delay_fields);
FITS(event_fields);
FITS(contact_fields);
FITS(sensor_fields);
FITS(sensor_filters);
FITS(sensor_event_filters);
FITS(breach_filters);
FITS(breach_ack_fields);
FITS(exception_fields);
FITS(exception_filters);
FITS(complaint_fields);
FITS(complaint_filters);
FITS(complaint_respond_fields);

const struct resource *resource_find(const char *name)
{
	if (name == NULL)
		return NULL;
	for (size_t i = 0; i < COUNT(resources); i++) {
		if (strcmp(resources[i].name, name) == 0)
			return &resources[i];
	}
	return NULL;
}

const struct resource *resource_all(size_t *n)
{
	*n = COUNT(resources);
	return resources;
}

const struct resource_verb *resource_verb_find(const struct resource *r, const char *name)
{
	for (size_t i = 0; i < r->n_verbs; i++) {
		if (strcmp(r->verbs[i].name, name) == 0)
			return &r->verbs[i];
	}
	return NULL;
}

int resource_field_index(const struct resource_field *fields, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(fields[i].name, name) == 0)
			return (int)i;
	}
	return -1;
}

const char *resource_field_list(const struct resource_field *fields, size_t n, char *buf,
				size_t len)
{
	size_t used = 0;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	for (size_t i = 0; i < n && used < len; i++) {
		int w = snprintf(buf + used, len - used, "%s%s", i ? ", " : "", fields[i].name);

		if (w < 0)
			break;
		used += (size_t)w;
	}
	return buf;
}
