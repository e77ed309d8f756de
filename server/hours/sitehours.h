/* SPDX-License-Identifier: MIT */
/*
 * The site's hours of work as the server holds them: the configured weekly
 * windows and bank-holiday file, plus the agreed exceptions kept in the
 * hours_exceptions table (who agreed, why). Builds the current hours policy
 * (common/hours.h) from those and replaces it whenever the exceptions change,
 * and fills a board's "hours" (weekly windows, this and next week's
 * exceptions and bank holidays).
 *
 * Not for: judging events (rules), HTTP validation (api_breaches).
 * Threads: every function is called with the store lock held; the policy
 * returned by sitehours_policy is replaced under that lock, so it may be
 * used only while the lock is held.
 */
#ifndef SITEBOARD_SERVER_SITEHOURS_H
#define SITEBOARD_SERVER_SITEHOURS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "siteboard/board.h"
#include "siteboard/hours.h"
#include "store/store.h"

#define SITEHOURS_TEXT_MAX 200 /* reason, agreed_by: characters */

struct sitehours;

struct sitehours_options {
	const char *weekly;        /* e.g. "mon-fri 08:00-17:00"; NULL: HOURS_DEFAULT_WEEKLY */
	const char *bank_holidays; /* GOV.UK-format file, or NULL: computed ones only */
};

/* One agreed exception. Strings borrowed (from the caller, or for a callback's duration). */
struct sitehours_exception {
	int64_t id;
	char date[11]; /* YYYY-MM-DD, local */
	bool closed;
	int from_min; /* when !closed; from < to */
	int to_min;
	const char *reason;
	const char *agreed_by;
	int64_t created_at_ms;
};

/*
 * Read the configuration and the stored exceptions (store borrowed, must
 * outlive the sitehours; the caller holds the store lock or no thread runs yet).
 * @retval 0 and *out, -EINVAL bad weekly text or bank-holiday file (err has
 *         one line), -EIO, -ENOMEM
 */
int sitehours_open(struct store *store, const struct sitehours_options *opt,
		   struct sitehours **out, char *err, size_t err_len);

/* Finalize statements and free the policy. Call before store_close. NULL is fine. */
void sitehours_close(struct sitehours *h);

/* The current policy: borrowed, valid while the store lock is held. */
const struct hours_policy *sitehours_policy(const struct sitehours *h);

/*
 * Add an exception (e->id and e->created_at_ms are ignored; created_at is
 * now_ms) and rebuild the policy. Run inside the caller's transaction; on a
 * failed commit call sitehours_reload.
 * @retval 0 and *id, -EEXIST (that date has an exception), -EIO, -ENOMEM
 */
int sitehours_add(struct sitehours *h, const struct sitehours_exception *e, int64_t now_ms,
		  int64_t *id);

/* Remove one and rebuild the policy. @retval 0, -ENOENT, -EIO, -ENOMEM */
int sitehours_remove(struct sitehours *h, int64_t id);

/* Rebuild the policy from the table (after a rollback). @retval 0, -EIO, -ENOMEM */
int sitehours_reload(struct sitehours *h);

/*
 * Call fn for each exception by date (from_date..to_date inclusive, either
 * may be NULL). A non-zero return from fn stops the walk and is returned.
 */
typedef int (*sitehours_fn)(void *ctx, const struct sitehours_exception *e);

/* Call fn for exception id. @retval fn's return, -ENOENT, -EIO */
int sitehours_get(struct sitehours *h, int64_t id, sitehours_fn fn, void *ctx);
int sitehours_foreach(struct sitehours *h, const char *from_date, const char *to_date,
		      sitehours_fn fn, void *ctx);

/*
 * Fill b's weekly windows and exceptions (b's own, freed by board_free):
 * the weekly windows, then for the local week of now_ms and the next one
 * every agreed exception and every bank holiday (as closed, reason = its name).
 * @retval 0, -ENOMEM, -EIO
 */
int sitehours_fill_board(struct sitehours *h, int64_t now_ms, struct board *b);

#endif
