/* SPDX-License-Identifier: MIT */
/*
 * The board: everything one block's lobby screen shows, schema
 * "siteboard.board/1" (DESIGN.md). The server builds a struct board from its
 * store and encodes it; the kiosk decodes what arrives over MQTT, which is
 * outside input and so is validated here, once, into this checked struct.
 * Inner code (layout, cache) may trust a decoded board.
 *
 * Ownership: a struct board owns every string and array it points to;
 * board_free releases all of it. Strings are NUL-terminated UTF-8; optional
 * ones are NULL when absent. Not thread-safe; hand a board to one owner.
 */
#ifndef SITEBOARD_BOARD_H
#define SITEBOARD_BOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BOARD_SCHEMA "siteboard.board/1"
#define BOARD_MAX_BYTES (1024 * 1024) /* largest encoded board accepted */
#define BOARD_MAX_ITEMS 500           /* per list (works, notices, ...) */
#define BOARD_MAX_TEXT 4000           /* longest string field, in bytes */

enum board_priority {
	BOARD_PRIORITY_NORMAL = 0,
	BOARD_PRIORITY_IMPORTANT = 1,
	BOARD_PRIORITY_URGENT = 2,
};

/* A weekly window of permitted working hours: days "mon-fri", "sat", "mon,wed". */
struct board_window {
	char *days;
	int from_min; /* minutes after local midnight */
	int to_min;
};

/* An agreed change for one date: from/to both -1 means no work that day. */
struct board_exception {
	char date[11]; /* YYYY-MM-DD */
	int from_min;
	int to_min;
	char *reason; /* optional */
};

struct board_work {
	char *id;
	char from[11]; /* YYYY-MM-DD, inclusive */
	char to[11];   /* YYYY-MM-DD, inclusive */
	char *what;
	char *where;   /* optional */
	bool noisy;
	char *access;  /* optional: what tenants must clear, and by when */
};

struct board_delay {
	char *id;
	char *works;      /* optional: id of the delayed work */
	char *reason;
	char new_from[11]; /* optional: "" when absent */
	char new_to[11];   /* optional: "" when absent */
};

struct board_notice {
	char *id;
	char *title;
	char *body; /* optional */
	enum board_priority priority;
	int64_t from_ms;  /* 0 when absent: shown from the start */
	int64_t until_ms; /* 0 when absent: no end */
};

struct board_event {
	char *id;
	char *title;
	int64_t when_ms;
	char *where; /* optional */
};

struct board_contact {
	char *id;    /* optional */
	char *role;
	char *name;  /* optional */
	char *phone;
	char *hours; /* optional */
};

struct board {
	int64_t version;
	int64_t generated_at_ms;
	char *site_id;
	char *site_name;
	char *contractor; /* optional */
	char *block_id;
	char *block_name;
	char *block_address; /* optional */
	char *timezone;      /* IANA name, e.g. "Europe/London"; "UTC" when absent */
	struct board_window *weekly;
	size_t n_weekly;
	struct board_exception *exceptions;
	size_t n_exceptions;
	struct board_work *works;
	size_t n_works;
	struct board_delay *delays;
	size_t n_delays;
	struct board_notice *notices;
	size_t n_notices;
	struct board_event *events;
	size_t n_events;
	struct board_contact *contacts;
	size_t n_contacts;
	char *complaint_url;
	char *survey_url; /* optional */
};

/* A zeroed board (all lists empty), or NULL when out of memory. */
struct board *board_new(void);

/* Free a board and everything it owns. NULL is fine. */
void board_free(struct board *b);

/*
 * Decode and validate len bytes of JSON (need not be NUL-terminated).
 * Unknown fields are ignored. On failure err gets one line naming the first
 * problem, e.g. "notices[2].priority: must be normal, important or urgent".
 * @retval 0 and *out set (caller frees with board_free)
 * @retval -EINVAL not JSON, wrong schema, missing/ill-typed required field,
 *         bad date or time, string or list too long
 * @retval -E2BIG  len > BOARD_MAX_BYTES
 * @retval -ENOMEM
 */
int board_decode(const char *json, size_t len, struct board **out, char *err, size_t err_len);

/*
 * Encode as compact JSON (schema field first). *out is malloc'd, NUL-terminated;
 * the caller frees it. Optional NULL strings are omitted, except survey_url
 * which is written as null.
 * @retval 0, -EINVAL if a required field is NULL, -ENOMEM
 */
int board_encode(const struct board *b, char **out);

/* "normal" / "important" / "urgent"; parse returns 0 or -EINVAL. */
const char *board_priority_name(enum board_priority p);
int board_priority_parse(const char *s, enum board_priority *out);

/*
 * True if the notice should be on screen at now_ms: from_ms <= now and
 * (until_ms == 0 or now < until_ms).
 */
bool board_notice_active(const struct board_notice *n, int64_t now_ms);

#endif
