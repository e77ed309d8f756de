/* SPDX-License-Identifier: MIT */
/*
 * Staff accounts (table users, schema 4): a name, a role (the token roles:
 * caretaker, manager, admin), for caretakers the blocks they look after, and
 * an Argon2id password hash (libsodium crypto_pwhash_str, interactive
 * limits). Also the audit log (table audit_log): who changed what, when,
 * never with tenants' personal data in it.
 *
 * Not for: sessions and sign-in (session), the command line (main.c).
 * Threads: callers hold store_lock around every call except
 * users_hash_password and users_check_password, which are slow (about 0.1 s,
 * 64 MiB) and touch no shared state: call them without the lock, from any
 * thread. At most two of them run at once in the process (memory); more
 * callers wait their turn.
 */
#ifndef SITEBOARD_SERVER_USERS_H
#define SITEBOARD_SERVER_USERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "store/token.h"

#define USERS_NAME_MAX 40
#define USERS_PASSWORD_MIN 8
#define USERS_PASSWORD_MAX 200
#define USERS_BLOCKS_MAX 1024 /* "a,b,c" as stored */
#define USERS_HASH_MAX 128    /* crypto_pwhash_STRBYTES */

struct users;

struct user {
	int64_t id;
	char name[USERS_NAME_MAX + 1];
	enum token_role role;
	char blocks[USERS_BLOCKS_MAX + 1]; /* caretakers: comma list of block ids; else "" */
};

/*
 * Prepare the statements on store's connection (store borrowed, must outlive).
 * @retval 0 and *out set, -EIO (logged), -ENOMEM
 */
int users_open(struct store *store, struct users **out);
/* NULL is fine; call before store_close. */
void users_close(struct users *u);

/* [a-z0-9._-]{1,40}, starting with a letter or digit. */
bool users_name_valid(const char *name);
/* "" or a comma list of up to 100 block ids ([a-z0-9-]{1,40}), no repeats. */
bool users_blocks_valid(const char *blocks);

/* Hash a password (USERS_PASSWORD_MIN..MAX bytes). 0, -EINVAL (length), -ENOMEM. */
int users_hash_password(const char *password, char hash[USERS_HASH_MAX]);
/* True if password matches hash. */
bool users_check_password(const char *hash, const char *password);

/*
 * Accounts. Strings borrowed; inputs must be valid (checked by the caller).
 * @retval 0, -EEXIST (add: name taken), -ENOENT (no such user), -EIO
 */
int users_add(struct users *u, const char *name, enum token_role role, const char *blocks,
	      const char *hash, int64_t now_ms);
int users_set_password(struct users *u, const char *name, const char *hash);
/* Removes the account and its sessions. */
int users_remove(struct users *u, const char *name);
/* Fill *out, and hash (may be NULL). 0, -ENOENT, -EIO. */
int users_find(struct users *u, const char *name, struct user *out, char hash[USERS_HASH_MAX]);
int users_get(struct users *u, int64_t id, struct user *out);

/* Who may change which block is decided by server/access (access_may_change_block), not here. */

/*
 * Append to the audit log: actor (a user name, "token:<name>" for an API token, or "system"),
 * action ("complaint.status"), target ("WC-2026-0042") and detail (free text
 * without personal data; may be NULL). 0 or -EIO.
 */
int users_audit(struct users *u, const char *actor, const char *action, const char *target,
		const char *detail, int64_t now_ms);

/* Walk the audit log, newest first, at most limit rows. fn's strings are borrowed for the call. */
typedef int (*users_audit_fn)(void *ctx, int64_t at_ms, const char *actor, const char *action,
			      const char *target, const char *detail);
int users_audit_foreach(struct users *u, int limit, users_audit_fn fn, void *ctx);

#endif
