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

static const struct resource_field block_fields[] = {
	{"id", RESOURCE_STRING, true, true, NULL, "block id, [a-z0-9-]{1,40} (chosen by you)"},
	{"name", RESOURCE_STRING, true, false, NULL, "name shown on the board"},
	{"address", RESOURCE_STRING, false, false, NULL, "postal address"},
};

static const struct resource_field notice_fields[] = {
	{"id", RESOURCE_STRING, false, true, NULL, "id (default: the server makes one)"},
	{"title", RESOURCE_STRING, true, false, NULL, "headline, 1-200 characters"},
	{"body", RESOURCE_STRING, false, false, NULL, "text under the headline"},
	{"priority", RESOURCE_STRING, false, false, priorities, "normal (default), important or urgent"},
	{"from", RESOURCE_STRING, false, false, NULL, "shown from, RFC 3339 (default: now)"},
	{"until", RESOURCE_STRING, false, false, NULL, "shown until, RFC 3339 (default: no end)"},
};

static const struct resource_field work_fields[] = {
	{"id", RESOURCE_STRING, false, true, NULL, "id (default: the server makes one)"},
	{"from", RESOURCE_STRING, true, false, NULL, "first day, YYYY-MM-DD"},
	{"to", RESOURCE_STRING, true, false, NULL, "last day, YYYY-MM-DD (inclusive)"},
	{"what", RESOURCE_STRING, true, false, NULL, "the work, 1-200 characters"},
	{"where", RESOURCE_STRING, false, false, NULL, "where on the block"},
	{"noisy", RESOURCE_BOOL, false, false, NULL, "yes/no (default no)"},
	{"access", RESOURCE_STRING, false, false, NULL, "what tenants must clear, and by when"},
};

static const struct resource_field delay_fields[] = {
	{"id", RESOURCE_STRING, false, true, NULL, "id (default: the server makes one)"},
	{"works", RESOURCE_STRING, false, false, NULL, "id of the delayed work (same block)"},
	{"reason", RESOURCE_STRING, true, false, NULL, "why, 1-200 characters"},
	{"new_from", RESOURCE_STRING, false, false, NULL, "new first day, YYYY-MM-DD"},
	{"new_to", RESOURCE_STRING, false, false, NULL, "new last day, YYYY-MM-DD"},
};

static const struct resource_field event_fields[] = {
	{"id", RESOURCE_STRING, false, true, NULL, "id (default: the server makes one)"},
	{"title", RESOURCE_STRING, true, false, NULL, "what, 1-200 characters"},
	{"when", RESOURCE_STRING, true, false, NULL, "start, RFC 3339"},
	{"where", RESOURCE_STRING, false, false, NULL, "place"},
};

static const struct resource_field contact_fields[] = {
	{"id", RESOURCE_STRING, false, true, NULL, "id (default: the server makes one)"},
	{"role", RESOURCE_STRING, true, false, NULL, "e.g. \"Resident liaison officer\""},
	{"name", RESOURCE_STRING, false, false, NULL, "person's name"},
	{"phone", RESOURCE_STRING, true, false, NULL, "phone number, up to 40 characters"},
	{"hours", RESOURCE_STRING, false, false, NULL, "when to call, e.g. \"Mon-Fri 8-5\""},
};

static const struct resource resources[] = {
	{"blocks", "block", false, block_fields, COUNT(block_fields),
	 {"id", "name", "address", "board_version", NULL}},
	{"notices", "notice", true, notice_fields, COUNT(notice_fields),
	 {"id", "priority", "from", "until", "title", NULL}},
	{"works", "work", true, work_fields, COUNT(work_fields),
	 {"id", "from", "to", "noisy", "what", NULL}},
	{"delays", "delay", true, delay_fields, COUNT(delay_fields),
	 {"id", "works", "new_from", "new_to", "reason", NULL}},
	{"events", "event", true, event_fields, COUNT(event_fields),
	 {"id", "when", "title", "where", NULL}},
	{"contacts", "contact", true, contact_fields, COUNT(contact_fields),
	 {"id", "role", "name", "phone", "hours", NULL}},
};

_Static_assert(COUNT(work_fields) <= RESOURCE_MAX_FIELDS, "raise RESOURCE_MAX_FIELDS");
_Static_assert(COUNT(notice_fields) <= RESOURCE_MAX_FIELDS, "raise RESOURCE_MAX_FIELDS");

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

int resource_field_index(const struct resource *r, const char *name)
{
	for (size_t i = 0; i < r->n_fields; i++) {
		if (strcmp(r->fields[i].name, name) == 0)
			return (int)i;
	}
	return -1;
}

const char *resource_field_list(const struct resource *r, char *buf, size_t n)
{
	size_t used = 0;

	if (n == 0)
		return buf;
	buf[0] = '\0';
	for (size_t i = 0; i < r->n_fields && used < n; i++) {
		int len = snprintf(buf + used, n - used, "%s%s", i ? ", " : "", r->fields[i].name);

		if (len < 0)
			break;
		used += (size_t)len;
	}
	return buf;
}
