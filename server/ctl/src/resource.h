/* SPDX-License-Identifier: MIT */
/*
 * The resources siteboardctl knows and their fields, as in docs/api.md: one
 * constant table that drives argument parsing, JSON body building, help text
 * and output. Adding a field to the API means adding one row here.
 *
 * Everything returned points into static constant data: never freed, safe
 * from any thread.
 */
#ifndef SITEBOARDCTL_RESOURCE_H
#define SITEBOARDCTL_RESOURCE_H

#include <stdbool.h>
#include <stddef.h>

#define RESOURCE_MAX_FIELDS 8
#define RESOURCE_MAX_COLUMNS 6

enum resource_type {
	RESOURCE_STRING, /* JSON string */
	RESOURCE_BOOL,   /* JSON true/false; given as yes/no/true/false */
};

struct resource_field {
	const char *name;        /* JSON key and --option name */
	enum resource_type type;
	bool required;           /* must be given on add */
	bool id;                 /* the "id" field: add only, validated as an id */
	const char *const *choices; /* NULL-terminated allowed values, or NULL */
	const char *hint;        /* one-line description for help */
};

struct resource {
	const char *name;   /* "notices": URL segment and RESOURCE argument */
	const char *one;    /* "notice": singular, for messages */
	bool item;          /* lives inside a block (needs --block to list/add) */
	const struct resource_field *fields;
	size_t n_fields;
	const char *columns[RESOURCE_MAX_COLUMNS + 1]; /* list table, NULL-terminated */
};

/* The resource named name, or NULL. */
const struct resource *resource_find(const char *name);

/* All resources, in help order; *n gets the count. */
const struct resource *resource_all(size_t *n);

/* Index of field name in r->fields, or -1. */
int resource_field_index(const struct resource *r, const char *name);

/*
 * Write "a, b, c" (every field name of r) into buf, truncated if short.
 * Returns buf.
 */
const char *resource_field_list(const struct resource *r, char *buf, size_t n);

#endif
