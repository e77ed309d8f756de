/* SPDX-License-Identifier: MIT */
/*
 * The resources siteboardctl knows, as in docs/api.md: one constant table
 * that drives argument parsing, request paths, query strings, JSON bodies,
 * help text and output. Each row says where the resource lives (its URL
 * path, whether it sits inside a block), which actions it allows, the fields
 * of its add/update body, the filters of its list, the extra actions it has
 * (breaches ack, complaints respond) and the columns of its list table.
 * Adding a field, filter or action to the API means adding one row here.
 *
 * Not for: checking values beyond what a row says (cli.c), I/O.
 * Everything returned points into static constant data: never freed, safe
 * from any thread.
 */
#ifndef SITEBOARDCTL_RESOURCE_H
#define SITEBOARDCTL_RESOURCE_H

#include <stdbool.h>
#include <stddef.h>

#define RESOURCE_MAX_FIELDS 10 /* per field set: body fields, filters, an extra action's */
#define RESOURCE_MAX_COLUMNS 8

enum resource_type {
	RESOURCE_STRING, /* JSON string / query text, sent as given */
	RESOURCE_BOOL,   /* given as yes/no/true/false; JSON true/false, query true/false */
	RESOURCE_ID,     /* an id [a-z0-9-]{1,40}, checked before sending */
	RESOURCE_NUMBER, /* a whole number >= 0 (limit, offset), checked before sending */
};

struct resource_field {
	const char *name;        /* JSON key, query key and --option name */
	enum resource_type type;
	bool required;           /* must be given (add, extra action) */
	bool id;                 /* the item's own id: add only, never changed by update */
	const char *const *choices; /* NULL-terminated allowed values, or NULL */
	const char *hint;        /* one-line description for help */
};

/* The standard actions a resource allows (struct resource.actions). */
enum resource_action {
	RESOURCE_LIST = 1u << 0,   /* GET  /{path} or /blocks/{B}/{path}, filters as query */
	RESOURCE_ADD = 1u << 1,    /* POST /{path} or /blocks/{B}/{path} */
	RESOURCE_SHOW = 1u << 2,   /* GET  /{path}/{ID} */
	RESOURCE_UPDATE = 1u << 3, /* PUT  /{path}/{ID} */
	RESOURCE_REMOVE = 1u << 4, /* DELETE /{path}/{ID} */
};

#define RESOURCE_CRUD                                                                      \
	(RESOURCE_LIST | RESOURCE_ADD | RESOURCE_SHOW | RESOURCE_UPDATE | RESOURCE_REMOVE)

/* What an item's id looks like in its URL. */
enum resource_id_kind {
	RESOURCE_ID_NAME,   /* [a-z0-9-]{1,40} */
	RESOURCE_ID_NUMBER, /* a whole number from 1, no leading zero (database rows) */
};

/* An extra action on one item: POST /{path}/{ID}/{segment} with its own fields. */
struct resource_verb {
	const char *name;    /* ACTION word: "ack" */
	const char *segment; /* last URL segment: "ack", "responses" */
	const struct resource_field *fields;
	size_t n_fields;
	const char *hint;    /* one line for help */
};

struct resource {
	const char *name;     /* RESOURCE argument: "hours-exceptions" */
	const char *one;      /* singular, for messages: "hours exception" */
	const char *path;     /* URL path under /api/v1: "hours/exceptions" */
	const char *list_key; /* the array in a list answer: "exceptions" */
	const char *key;      /* what identifies a listed item (printed by -q): "id" */
	unsigned actions;     /* enum resource_action bits */
	bool item;            /* lives inside a block: list/add need --block B, in the path */
	enum resource_id_kind id_kind;
	const struct resource_field *fields; /* body of add and update */
	size_t n_fields;
	const struct resource_field *filters; /* query of list */
	size_t n_filters;
	const struct resource_verb *verbs;
	size_t n_verbs;
	const char *columns[RESOURCE_MAX_COLUMNS + 1]; /* list table, NULL-terminated */
};

/* The resource named name, or NULL. */
const struct resource *resource_find(const char *name);

/* All resources, in help order; *n gets the count. */
const struct resource *resource_all(size_t *n);

/* r's extra action named name, or NULL. */
const struct resource_verb *resource_verb_find(const struct resource *r, const char *name);

/* Index of the field called name in fields[0..n-1], or -1. */
int resource_field_index(const struct resource_field *fields, size_t n, const char *name);

/*
 * Write "a, b, c" (the names of fields[0..n-1]) into buf, truncated if
 * short. Returns buf.
 */
const char *resource_field_list(const struct resource_field *fields, size_t n, char *buf,
				size_t len);

#endif
