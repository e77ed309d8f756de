/* SPDX-License-Identifier: MIT */
/*
 * Tenants' complaints (standards section 8: complaints received, dates,
 * addresses, response details) in tables complaints and complaint_responses
 * (schema 4). Each complaint gets a reference WC-<year>-<number>, numbered
 * from 1 each (UTC) year, keeps the block's name and address as they were
 * when it was received, and carries the tenant's optional contact details,
 * which are personal data: complaints_purge erases them a set number of days
 * after the complaint was closed; the complaint itself stays.
 *
 * complaints_check is the one validator of a new complaint, for the web
 * form and the API alike.
 *
 * Not for: HTML or JSON (web, api_complaints), alerts (the callers).
 * Threads: callers hold store_lock around every call but complaints_check.
 */
#ifndef SITEBOARD_SERVER_COMPLAINTS_H
#define SITEBOARD_SERVER_COMPLAINTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define COMPLAINT_REF_MAX 24
#define COMPLAINT_DESCRIPTION_MAX 4000 /* characters */
#define COMPLAINT_NAME_MAX 100
#define COMPLAINT_FLAT_MAX 40
#define COMPLAINT_PHONE_MAX 40
#define COMPLAINT_EMAIL_MAX 254
#define COMPLAINT_RESPONSE_MAX 4000

/* The values a form or JSON may use, with the words shown to people. */
struct complaint_choice {
	const char *value;
	const char *label;
};
extern const struct complaint_choice complaint_categories[];
extern const size_t complaint_n_categories;
extern const struct complaint_choice complaint_contact_prefs[];
extern const size_t complaint_n_contact_prefs;
extern const struct complaint_choice complaint_statuses[];
extern const size_t complaint_n_statuses;
extern const struct complaint_choice complaint_channels[];
extern const size_t complaint_n_channels;

/* The label of value in a choice table, or NULL if value is not one of them. */
const char *complaint_label(const struct complaint_choice *t, size_t n, const char *value);

/* A new complaint as given (all borrowed; optional ones NULL or ""). */
struct complaint_in {
	const char *category;
	const char *description;
	const char *name;
	const char *flat;
	const char *phone;
	const char *email;
	const char *contact_pref;
};

/*
 * Check a new complaint. On failure *field names the first bad field and
 * msg (n bytes) says, in plain English, what to do.
 * @retval 0 or -EINVAL
 */
int complaints_check(const struct complaint_in *in, const char **field, char *msg, size_t n);

/*
 * A date (YYYY-MM-DD, the site's local date: the process TZ) as the ms of
 * its local midnight. 0 or -EINVAL (s may be NULL).
 */
int complaints_parse_day(const char *s, int64_t *ms);

/* "WC-2026-0042" into buf. 0 or -ENOSPC. */
int complaints_ref_format(char *buf, size_t n, int year, int64_t number);

/* A stored complaint; strings malloc'd (NULL when absent); free with complaints_release. */
struct complaint {
	int64_t id;
	char ref[COMPLAINT_REF_MAX];
	char *block;
	char *block_name;
	char *address;
	char *category;
	char *description;
	char *name;
	char *flat;
	char *phone;
	char *email;
	char *contact_pref;
	int64_t received_at;
	char *status;
	int64_t closed_at;     /* 0: not closed */
	int64_t anonymised_at; /* 0: contact details still held */
	int64_t n_responses;
};

struct complaints;

/* @retval 0 and *out set, -EIO (logged), -ENOMEM */
int complaints_open(struct store *store, struct complaints **out);
/* NULL is fine; call before store_close. */
void complaints_close(struct complaints *c);

/*
 * Store a checked complaint for block (with its name and address as now),
 * received at now_ms. Runs in its own transaction.
 * @retval 0 with *id and ref (COMPLAINT_REF_MAX bytes) set, -EIO
 */
int complaints_add(struct complaints *c, const struct complaint_in *in, const char *block,
		   const char *block_name, const char *address, int64_t now_ms, int64_t *id,
		   char *ref);

/* @retval 0, -ENOENT, -EIO, -ENOMEM */
int complaints_get(struct complaints *c, int64_t id, struct complaint *out);
void complaints_release(struct complaint *cp);

/* What a list shows: every filter is optional (NULL / 0 = any). */
struct complaints_filter {
	const char *status;
	const char *block;
	int64_t from_ms; /* received at or after */
	int64_t to_ms;   /* received before; 0 = no end */
	int limit;       /* 0 = 1000 */
};

/* fn gets each complaint (borrowed for the call), newest first; non-zero stops. */
typedef int (*complaints_fn)(void *ctx, const struct complaint *cp);
int complaints_foreach(struct complaints *c, const struct complaints_filter *f,
		       complaints_fn fn, void *ctx);

/* A response: who, when, how (a channel value or NULL), what. */
struct complaint_response {
	int64_t id;
	int64_t at;
	const char *by;
	const char *channel;
	const char *text;
};
typedef int (*complaints_response_fn)(void *ctx, const struct complaint_response *r);
int complaints_responses(struct complaints *c, int64_t id, complaints_response_fn fn, void *ctx);

/* Strings borrowed and checked by the caller. @retval 0, -ENOENT, -EIO */
int complaints_respond(struct complaints *c, int64_t id, const char *by, const char *channel,
		       const char *text, int64_t now_ms, int64_t *response_id);

/* status one of complaint_statuses; closing sets closed_at, reopening clears it. 0, -ENOENT, -EIO */
int complaints_set_status(struct complaints *c, int64_t id, const char *status, int64_t now_ms);

/*
 * Erase name, flat, phone and email of complaints closed more than
 * retention_days ago. *n gets how many were anonymised. 0 or -EIO.
 */
int complaints_purge(struct complaints *c, long retention_days, int64_t now_ms, int *n);

#endif
